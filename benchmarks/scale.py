"""Scale: indexing, search, fit, start-up and memory at 1k, 10k and 100k chunks, on the
embedded store and on a real Chroma server.

    .venv/bin/python benchmarks/scale.py [--sizes 1000,10000,100000] [--backends embedded,server]
                                         [--corpus PATH] [--queries 200] [--embed-cache FILE]

For each size a synthetic framework is generated into a temporary folder (``benchmarks/synth.py``
recombines the sentences of ``--corpus``; nothing is committed). For each backend (the embedded
``PersistentClient`` folder, or ``chroma run --host 127.0.0.1 --port FREE --path TMP`` started and
stopped here) one child process indexes it and measures, so every process's peak memory is its own
(``ru_maxrss`` from ``os.wait4``: resident set, including the model and file-backed pages):

- **index**: ``build_index`` wall time. The embedder is the real all-MiniLM-L6-v2 behind a cache
  keyed by text and shared by both backends through a file: the first backend of a size pays for
  "embed+write", the second only for "write" (parse, hash, Chroma add, publish). The seconds spent
  inside the model are timed separately, so "write" is always total minus model time.
- **corpus**: building the in-memory corpus (every chunk read back from Chroma, BM25 index) and
  saving it beside the store: what the first process after an index pays.
- **search**: ``ladder.search(k=10)`` p50/p95 over ``--queries`` queries, unfiltered, with a level
  filter (about a sixth of the corpus) and with a track filter (one track). Query vectors are
  cached after a warm-up pass, so these numbers exclude the model's encode (reported on its own as
  "encode": a constant ~7 ms on an idle machine that does not depend on the corpus). The Chroma
  query and the BM25 lookup are also timed alone, to show what grows. "L3 before" is the level
  filter as searched before commit daf2021 (exact search only up to 2,000 chunks, else
  an over-fetch of unfiltered neighbours), on the same queries in the same process; "L3 first" is
  the first level-filtered query of the process, which reads the filter's vectors from the store.
- **fit**: ``ladder.fit`` of a 20-statement self-review, p50 of 10 (statement vectors cached).
- **status**: ``ladder.status()`` (the app's freshness check on every page run).
- **cold start**: wall time of a fresh ``python -m assistant search ... --json`` process to its
  answer: lexical with the corpus read from Chroma, lexical from the corpus cache, and hybrid
  from the cache (which adds importing torch and loading the model). Its peak memory is the
  serving process's.

Prints three tables, writes ``benchmarks/results/scale.json`` and draws ``docs/scale.png``.
Goal: search p50 at the largest size no more than 2x its value at the smallest.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

# Run as a script, this folder comes first on sys.path, where a module could shadow a package of
# the repository (benchmarks/index.py would hide the ``index`` package): import from the repo root.
REPO = Path(__file__).resolve().parent.parent
sys.path[:] = [str(REPO)] + [p for p in sys.path if Path(p or ".").resolve() != REPO / "benchmarks"]

from benchmarks.synth import fit_document, queries, write_framework  # noqa: E402
from tests.appserver import wait_for_http  # noqa: E402

DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "people"
RESULTS = REPO / "benchmarks" / "results"

GOAL = 2.0
K = 10
FIT_RUNS = 10
PLOT = REPO / "docs" / "scale.png"


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100), linear interpolation between the closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def table(headers: list[str], rows: list[list[Any]]) -> str:
    """A plain text table: numbers right-aligned, floats with up to three decimals."""

    def cell(value: Any) -> str:
        if value is None:
            return "-"
        if isinstance(value, float):
            return f"{value:,.1f}" if abs(value) >= 100 else f"{value:.3g}" if abs(value) < 1 else f"{value:.2f}"
        if isinstance(value, int):
            return f"{value:,}"
        return str(value)

    cells = [[cell(v) for v in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    numeric = [all(isinstance(r[i], int | float) or r[i] is None for r in rows) for i in range(len(headers))]

    def line(values: list[str]) -> str:
        return "  ".join(v.rjust(w) if n else v.ljust(w) for v, w, n in zip(values, widths, numeric, strict=True))

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in cells)])


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


# -- the caching embedder ---------------------------------------------------------------------
class CachingEmbedder:
    """The real model behind a cache keyed by text, loaded from and saved to one ``.npz`` file.

    ``model_seconds``/``model_texts`` count only what the model itself did; ``encode_ms`` holds
    the time of each query the model encoded.
    """

    def __init__(self, inner: Any, path: Path):
        self.inner = inner
        self.name: str = inner.name
        self.dimension: int = inner.dimension
        self.path = path
        self._vectors: dict[str, np.ndarray] = {}
        self._new = 0
        self.model_seconds = 0.0
        self.model_texts = 0
        self.encode_ms: list[float] = []
        #: what the model spent filling the file, over every run that added to it
        self.filled = {"texts": 0, "seconds": 0.0}
        if path.exists():
            with np.load(path) as data:
                for key, vec in zip(data["keys"], data["vectors"], strict=True):
                    self._vectors[str(key)] = vec
                self.filled = json.loads(str(data["filled"]))

    @staticmethod
    def _key(kind: str, text: str) -> str:
        return hashlib.sha1(f"{kind}\x1f{text}".encode()).hexdigest()

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        keys = [self._key("d", t) for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in self._vectors}.items())
        if missing:
            started = time.perf_counter()
            out = self.inner.embed_documents([t for _, t in missing])
            self.model_seconds += time.perf_counter() - started
            self.model_texts += len(missing)
            self.filled["texts"] += len(missing)
            self.filled["seconds"] += time.perf_counter() - started
            for (k, _), vec in zip(missing, out, strict=True):
                self._vectors[k] = vec
            self._new += len(missing)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self._vectors[k] for k in keys])

    def embed_query(self, text: str) -> np.ndarray:
        key = self._key("q", text)
        if key not in self._vectors:
            started = time.perf_counter()
            self._vectors[key] = self.inner.embed_query(text)
            self.encode_ms.append(1000 * (time.perf_counter() - started))
            self._new += 1
        return self._vectors[key]

    def save(self) -> None:
        if not self._new:
            return
        keys = list(self._vectors)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(keys), vectors=np.stack([self._vectors[k] for k in keys]),
                 filled=np.array(json.dumps(self.filled)))
        os.replace(tmp, self.path)
        self._new = 0


# -- the child process: index and measure one size on one backend ------------------------------
def _ms(values: list[float]) -> dict[str, float]:
    return {"p50": round(percentile(values, 50), 3), "p95": round(percentile(values, 95), 3), "n": len(values)}


def child(spec: dict[str, Any]) -> dict[str, Any]:
    import cProfile
    import io
    import pstats

    from assistant.config import Settings
    from assistant.results import Filters
    from assistant.retrieve import clean_query, corpus_mask, resolve_filters
    from assistant.service import build_ladder
    from assistant.text import terms
    from index.build import build_index
    from index.embed import SentenceTransformerEmbedder

    started = time.perf_counter()
    embedder = CachingEmbedder(SentenceTransformerEmbedder(threads=spec["threads"]), Path(spec["embed_cache"]))
    load_s = time.perf_counter() - started
    root = Path(spec["framework"])
    settings = Settings(
        roles=(root,), store=Path(spec["store"]), chroma_url=spec["url"], chroma_database=spec["database"],
        cache=Path(spec["cache"]), auto_index=False,
    )
    ladder = build_ladder(settings, embedder=embedder)

    started = time.perf_counter()
    report = build_index([root], ladder.store, embedder)
    index_s = time.perf_counter() - started
    model_texts, model_s = embedder.model_texts, embedder.model_seconds
    started = time.perf_counter()
    corpus = ladder.corpus()
    corpus_s = time.perf_counter() - started
    embedder.save()

    qs = [clean_query(q)[0] for q in spec["queries"]]
    track = corpus.values["track"][len(corpus.values["track"]) // 2]
    filters = {"none": Filters(), "level": Filters(level="L3"), "track": Filters(track=track)}
    selected = {}  # chunks each filter lets through
    for name, f in filters.items():
        mask = corpus_mask(corpus, resolve_filters(f, corpus))
        selected[name] = len(corpus.chunks) if mask is None else int(mask.sum())
    ladder.search(qs[0], k=K)  # its vector computed, then the first filtered queries of the process:
    first_ms = {}  # they read the filter's vectors from the store for the exact search
    for name in ("level", "track"):
        t = time.perf_counter()
        ladder.search(qs[0], k=K, filters=filters[name])
        first_ms[name] = round(1000 * (time.perf_counter() - t), 2)
    for q in qs:  # warm-up: every query vector computed once (the model's encode time recorded)
        ladder.search(q, k=K)
    # "level_exact_2000": the level filter as searched before (exact search only up to 2,000
    # chunks, else an over-fetch of unfiltered neighbours), on the same queries, interleaved
    import assistant.nearest as retrieve  # where EXACT_MAX is read

    exact_max = retrieve.EXACT_MAX
    times: dict[str, list[float]] = {name: [] for name in [*filters, "level_exact_2000"]}
    for i, q in enumerate(qs):
        names = list(times)
        names = names[i % 4:] + names[: i % 4]  # rotate the order so none always runs first
        for name in names:
            retrieve.EXACT_MAX = 2000 if name == "level_exact_2000" else exact_max
            t = time.perf_counter()
            response = ladder.search(q, k=K, filters=filters[name if name in filters else "level"])
            times[name].append(1000 * (time.perf_counter() - t))
            if name == "none" and not response.results:
                raise SystemExit(f"no results for {q!r}")
    retrieve.EXACT_MAX = exact_max
    parts: dict[str, list[float]] = {"chroma": [], "chroma_level": [], "bm25": []}
    level_where = {"level": {"$in": ["L3"]}}
    for q in qs:
        vector = embedder.embed_query(q)
        t = time.perf_counter()
        ladder.store.nearest(vector[None, :], 50)
        parts["chroma"].append(1000 * (time.perf_counter() - t))
        t = time.perf_counter()
        ladder.store.nearest(vector[None, :], 50, level_where)
        parts["chroma_level"].append(1000 * (time.perf_counter() - t))
        t = time.perf_counter()
        corpus.lexical(terms(q), 50, None)
        parts["bm25"].append(1000 * (time.perf_counter() - t))

    encode_ms = []  # the model alone, on queries it has not seen (the cache may hold the others)
    for q in qs[:50]:
        t = time.perf_counter()
        embedder.inner.embed_query(q + " ")
        encode_ms.append(1000 * (time.perf_counter() - t))

    document = spec["fit_doc"]
    statements = len(ladder.fit(document).statements)  # warm: statement vectors cached
    fit_ms = []
    for _ in range(FIT_RUNS):
        t = time.perf_counter()
        ladder.fit(document)
        fit_ms.append(1000 * (time.perf_counter() - t))
    status_ms = []
    for _ in range(3):
        t = time.perf_counter()
        ladder.status()
        status_ms.append(1000 * (time.perf_counter() - t))

    profile = ""
    if spec["profile"]:
        prof = cProfile.Profile()
        prof.enable()
        for q in qs[:100]:
            ladder.search(q, k=K)
            ladder.search(q, k=K, filters=filters["level"])
        prof.disable()
        out = io.StringIO()
        stats = pstats.Stats(prof, stream=out)
        stats.sort_stats("tottime").print_stats(25)
        profile = out.getvalue()
    embedder.save()
    return {
        "chunks": report.chunks,
        "files": len(report.added),
        "model_load_s": round(load_s, 3),
        "index_s": round(index_s, 3),
        "model_texts": model_texts,
        "model_s": round(model_s, 3),
        "write_s": round(index_s - model_s, 3),
        "embed_cache_filled": embedder.filled,
        "torch_threads": __import__("torch").get_num_threads(),
        "corpus_build_s": round(corpus_s, 3),
        "search_ms": {name: _ms(v) for name, v in times.items()},
        "first_filtered_ms": first_ms,
        "exact_max": retrieve.EXACT_MAX,
        "parts_ms": {name: _ms(v) for name, v in parts.items()},
        "encode_ms": _ms(encode_ms),
        "filters": {"level": "L3", "track": track, "selected": selected},
        "fit_ms": {**_ms(fit_ms), "statements": statements},
        "status_ms": _ms(status_ms),
        "profile": profile,
    }


# -- the parent: frameworks, servers, children --------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ChromaServer:
    """``chroma run`` on loopback with a temporary path, for one size."""

    def __init__(self, path: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = path.parent / f"{path.name}.log"
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [str(Path(sys.executable).parent / "chroma"), "run", "--host", "127.0.0.1", "--port",
                 str(self.port), "--path", str(path)],
                stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
            )
        try:
            wait_for_http(f"{self.url}/api/v2/heartbeat", self.proc, self.log, 60)
        except (RuntimeError, TimeoutError) as exc:
            self.stop()
            raise SystemExit(f"chroma run: {exc}") from None

    def peak_mb(self) -> float | None:
        """The server process's peak resident memory (VmHWM)."""
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
        except OSError:
            pass
        return None

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=20)


def _run(cmd: list[str], env: dict[str, str], out: Path, timeout: float) -> tuple[float, int, float]:
    """Run ``cmd``; (wall seconds, exit code, peak RSS in MB) of that process alone."""
    started = time.perf_counter()
    with open(out, "wb") as fh:
        proc = subprocess.Popen(cmd, env=env, stdout=fh, stderr=subprocess.STDOUT, cwd=REPO)
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.01)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - started, proc.returncode, usage.ru_maxrss / 1024


def _env(store: Path, cache: Path, url: str, database: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LADDER_")}
    env.update(LADDER_STORE=str(store), LADDER_CACHE=str(cache), ANONYMIZED_TELEMETRY="False",
               PYTHONPATH=str(REPO))
    if url:
        env.update(LADDER_CHROMA_URL=url, LADDER_CHROMA_DATABASE=database)
    return env


def cold_starts(store: Path, cache: Path, url: str, database: str, query: str, work: Path) -> dict[str, Any]:
    """A fresh CLI search process, three ways; wall seconds to its answer and its peak memory."""
    env = _env(store, cache, url, database)
    out: dict[str, Any] = {}
    runs = (("lexical_from_chroma", "lexical", True), ("lexical_from_cache", "lexical", False),
            ("hybrid_from_cache", "hybrid", False))
    for name, mode, drop_cache in runs:
        if drop_cache:
            shutil.rmtree(store / "corpus-cache", ignore_errors=True)
            shutil.rmtree(cache / "corpus", ignore_errors=True)
        log = work / f"cold-{name}.out"
        cmd = [sys.executable, "-m", "assistant", "search", query, "--json", "--mode", mode]
        seconds, code, peak = _run(cmd, env, log, timeout=900)
        text = log.read_text(errors="replace")
        if code != 0 or '"results": [' not in text:
            raise SystemExit(f"cold search ({name}) failed ({code}): {text[-1500:]}")
        out[name] = {"s": round(seconds, 3), "peak_mb": round(peak, 1)}
    return out


def measure(size: int, backend: str, framework: Path, work: Path, args: argparse.Namespace,
            shared: dict[str, Any]) -> dict[str, Any]:
    store = work / f"store-{size}-{backend}"
    cache = work / f"cache-{size}-{backend}"
    server = ChromaServer(work / f"chroma-{size}") if backend == "server" else None
    try:
        spec = {
            "framework": str(framework), "store": str(store), "cache": str(cache),
            "url": server.url if server else "", "database": f"scale{size}" if server else "",
            "embed_cache": str(shared["embed_cache"]), "queries": shared["queries"],
            "fit_doc": shared["fit_doc"], "profile": args.profile, "threads": args.threads,
        }
        spec_path = work / f"spec-{size}-{backend}.json"
        result_path = work / f"result-{size}-{backend}.json"
        spec_path.write_text(json.dumps(spec))
        env = _env(store, cache, spec["url"], spec["database"])
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(spec_path), "--result", str(result_path)]
        seconds, code, peak = _run(cmd, env, work / f"child-{size}-{backend}.out", timeout=4 * 3600)
        if code != 0 or not result_path.exists():
            tail = (work / f"child-{size}-{backend}.out").read_text(errors="replace")[-3000:]
            raise SystemExit(f"{backend} at {size}: the measuring process failed ({code}):\n{tail}")
        result = json.loads(result_path.read_text())
        result["process_peak_mb"] = round(peak, 1)
        result["cold"] = cold_starts(store, cache, spec["url"], spec["database"], shared["queries"][0], work)
        if server:
            result["server_peak_mb"] = server.peak_mb()
        return result
    finally:
        if server:
            server.stop()


def _fmt(v: float | None, digits: int = 1) -> str:
    return "-" if v is None else f"{v:.{digits}f}"


def report_tables(runs: list[dict[str, Any]]) -> str:
    index_rows = []
    search_rows = []
    start_rows = []
    for r in runs:
        label = "embed+write" if r["model_texts"] else "write"
        index_rows.append([
            r["size"], r["backend"], r["chunks"], r["files"], label, r["model_texts"], r["model_s"], r["write_s"],
            round(r["chunks"] / r["index_s"], 1), round(r["chunks"] / max(r["write_s"], 1e-9), 1),
            r["corpus_build_s"],
        ])
        s = r["search_ms"]
        p = r["parts_ms"]
        search_rows.append([
            r["size"], r["backend"], s["none"]["p50"], s["none"]["p95"], s["level"]["p50"], s["level"]["p95"],
            s["track"]["p50"], s["track"]["p95"], p["chroma"]["p50"], p["chroma_level"]["p50"], p["bm25"]["p50"],
            s["level_exact_2000"]["p50"], r["first_filtered_ms"]["level"], r["encode_ms"]["p50"], r["fit_ms"]["p50"],
            r["status_ms"]["p50"],
        ])
        c = r["cold"]
        start_rows.append([
            r["size"], r["backend"], c["lexical_from_chroma"]["s"], c["lexical_from_cache"]["s"],
            c["hybrid_from_cache"]["s"], r["process_peak_mb"], c["hybrid_from_cache"]["peak_mb"],
            r.get("server_peak_mb"),
        ])
    return "\n\n".join([
        "Indexing (seconds; chunks/s)\n" + table(
            ["size", "backend", "chunks", "files", "measured", "embedded", "model s", "write s", "chunks/s",
             "write chunks/s", "corpus s"], index_rows),
        "Search, fit and status (ms; search excludes the query encode, shown alone)\n" + table(
            ["size", "backend", "p50", "p95", "L3 p50", "L3 p95", "track p50", "track p95", "chroma",
             "chroma L3", "bm25", "L3 before p50", "L3 first", "encode", "fit p50", "status"], search_rows),
        "Cold start to first search (s) and peak memory (MB, ru_maxrss)\n" + table(
            ["size", "backend", "lexical, corpus from Chroma", "lexical, from cache", "hybrid, from cache",
             "index+measure RSS", "serving RSS", "server RSS"], start_rows),
    ])


def goals(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for backend in sorted({r["backend"] for r in runs}):
        mine = sorted((r for r in runs if r["backend"] == backend), key=lambda r: r["chunks"])
        if len(mine) < 2:
            continue
        small, large = mine[0], mine[-1]
        for name in ("none", "level", "track"):
            ratio = large["search_ms"][name]["p50"] / small["search_ms"][name]["p50"]
            # what a user waits for: the same plus the query's encode (which does not grow)
            with_encode = (large["search_ms"][name]["p50"] + large["encode_ms"]["p50"]) / (
                small["search_ms"][name]["p50"] + small["encode_ms"]["p50"])
            out.append({"backend": backend, "filter": name, "small": small["chunks"], "large": large["chunks"],
                        "ratio": round(ratio, 2), "met": ratio <= GOAL, "ratio_with_encode": round(with_encode, 2)})
    return out


def plot(runs: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
    styles = {"embedded": "-", "server": "--"}
    for backend in sorted({r["backend"] for r in runs}):
        mine = sorted((r for r in runs if r["backend"] == backend), key=lambda r: r["chunks"])
        x = [r["chunks"] for r in mine]
        for name, color in (("none", "tab:blue"), ("level", "tab:orange"), ("track", "tab:green")):
            axes[0].plot(x, [r["search_ms"][name]["p50"] for r in mine], styles[backend], color=color, marker="o",
                         label=f"{backend}, {'no filter' if name == 'none' else name + ' filter'}")
        axes[1].plot(x, [r["chunks"] / max(r["write_s"], 1e-9) for r in mine], styles[backend], marker="o",
                     label=f"{backend}: write (excl. model)")
        axes[1].plot(x, [r["fit_ms"]["p50"] for r in mine], styles[backend], marker="s", color="tab:red",
                     label=f"{backend}: fit p50 (ms)")
        axes[2].plot(x, [r["cold"]["lexical_from_chroma"]["s"] for r in mine], styles[backend], marker="o",
                     color="tab:purple", label=f"{backend}: corpus from Chroma")
        axes[2].plot(x, [r["cold"]["hybrid_from_cache"]["s"] for r in mine], styles[backend], marker="o",
                     color="tab:brown", label=f"{backend}: hybrid, from cache")
    axes[0].set(title="Search p50 (ms, excl. query encode)", xscale="log", xlabel="chunks", yscale="log")
    axes[1].set(title="Write throughput (chunks/s) and fit p50 (ms)", xscale="log", yscale="log", xlabel="chunks")
    axes[2].set(title="Cold start to first search (s)", xscale="log", xlabel="chunks")
    for ax in axes:
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000", help="chunk counts (default: %(default)s)")
    parser.add_argument("--backends", default="embedded,server", help="embedded and/or server (default: %(default)s)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="source framework (default: %(default)s)")
    parser.add_argument("--queries", type=int, default=200, help="queries per filter (default: %(default)s)")
    parser.add_argument("--embed-cache", type=Path, help="keep embeddings in FILE.npz across runs "
                        "(default: a temporary file, so the first backend of each size really embeds)")
    parser.add_argument("--threads", type=int, default=0, help="torch threads for the measuring process "
                        "(default 0: one per core; 1 holds up better on a busy machine)")
    parser.add_argument("--profile", action="store_true", help="cProfile 200 searches per run into the JSON")
    parser.add_argument("--json", type=Path, default=RESULTS / "scale.json", help="output (default: %(default)s)")
    parser.add_argument("--plot", type=Path, default=PLOT, help="plot (default: %(default)s)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        result = child(json.loads(args.child.read_text()))
        args.result.write_text(json.dumps(result))
        return 0

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if not set(backends) <= {"embedded", "server"}:
        parser.error("--backends: embedded and/or server")
    if not args.corpus.is_dir():
        parser.error(f"--corpus {args.corpus}: not a folder")
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="ladder-scale-", ignore_cleanup_errors=True) as tmp:
        work = Path(tmp)
        shared = {
            "embed_cache": (args.embed_cache or work / "embeddings.npz").resolve(),
            "queries": queries(args.corpus, args.queries),
            "fit_doc": fit_document(args.corpus),
        }
        for size in sizes:
            t = time.perf_counter()
            framework = write_framework(work / f"framework-{size}", size, args.corpus)
            gen_s = time.perf_counter() - t
            for backend in backends:
                print(f"... {size:,} chunks, {backend}", file=sys.stderr, flush=True)
                result = measure(size, backend, framework.root, work, args, shared)
                result.update(size=size, backend=backend, tracks=framework.tracks, generate_s=round(gen_s, 2))
                runs.append(result)
                print(report_tables([result]).split("\n\n")[1].splitlines()[-1], file=sys.stderr, flush=True)
            shutil.rmtree(work / f"framework-{size}", ignore_errors=True)
    text = report_tables(runs)
    checks = goals(runs)
    print(text)
    print()
    for g in checks:
        print(f"goal ({g['backend']}, filter {g['filter']}): search p50 at {g['large']:,} chunks is "
              f"{g['ratio']:.2f}x its value at {g['small']:,} (goal <= {GOAL}x): {'met' if g['met'] else 'NOT met'}; "
              f"with the query's encode {g['ratio_with_encode']:.2f}x")
    filled = runs[-1]["embed_cache_filled"] if runs else {}
    if filled.get("texts"):
        print(f"embedding: the model embedded {sum(r['model_texts'] for r in runs):,} texts in this run; the "
              f"cache's {filled['texts']:,} texts took it {filled['seconds']:,.0f} s "
              f"({filled['texts'] / filled['seconds']:.0f} texts/s, whenever they were embedded)")
    load_after = os.getloadavg()[0]
    print(f"\ncores {os.cpu_count()}; load average {load_before:.1f} -> {load_after:.1f}; "
          f"{time.perf_counter() - started:.0f} s in all")
    profiles = {f"{r['size']}-{r['backend']}": r.pop("profile") for r in runs}
    write_json(args.json, {
        "command": "benchmarks/scale.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "corpus": str(args.corpus),
        "cpu_count": os.cpu_count(),
        "load_average": {"before": round(load_before, 2), "after": round(load_after, 2)},
        "seconds": round(time.perf_counter() - started, 1),
        "memory": "peak resident set (ru_maxrss of each process from os.wait4; VmHWM for the server)",
        "search": "ladder.search k=10 with query vectors cached: excludes the model's encode",
        "runs": runs,
        "goals": checks,
    })
    print(f"wrote {args.json}")
    if args.profile:
        prof = args.json.with_name("scale-profile.txt")
        prof.write_text("\n".join(f"== {k}\n{v}" for k, v in profiles.items() if v))
        print(f"wrote {prof}")
    try:
        plot(runs, args.plot)
        print(f"wrote {args.plot}")
    except ImportError:
        print("matplotlib is not installed (pip install -e '.[dev]'): no plot", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
