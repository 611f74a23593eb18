"""Indexing speed on a real framework: parse only, cold full index, one changed file, no change.

    .venv/bin/python benchmarks/index.py [--corpus ../shared/corpora/people] [--runs 5]

The corpus is copied to a temporary folder first (the original is never modified) and indexed
into a temporary store with the real default model, loaded once before anything is timed.
Prints a table and writes ``benchmarks/results/index.json``. Goals on a 2-core machine:
no-change re-index under 1 s, one changed file under 2 s, parsing the corpus under 0.5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant import Settings, build_ladder  # noqa: E402
from index import open_store, parse_folder  # noqa: E402
from index.embed import SentenceTransformerEmbedder  # noqa: E402

DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "people"
RESULTS = REPO / "benchmarks" / "results" / "index.json"
GOALS = {"parse": 0.5, "one_change": 2.0, "no_change": 1.0}
#: The bullet edited for the one-changed-file runs (present in the people corpus).
EDIT_FILE = "Engineering/Software-Engineering/L3-Senior-Software-Engineer.md"


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _timed(fn: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return times, result


def _edit_one_bullet(path: Path, run: int) -> None:
    """Change the words of one bullet, differently each run, so each run is a real change."""
    lines = path.read_text("utf-8").splitlines(keepends=True)
    target = next(i for i, line in enumerate(lines) if line.startswith("- "))
    lines[target] = f"- I changed this bullet for benchmark run {run}.\n"
    path.write_text("".join(lines), "utf-8")


def measure(corpus: Path, runs: int, threads: int) -> dict[str, Any]:
    load_before = os.getloadavg()
    parse_times, (docs, skipped) = _timed(lambda: parse_folder([corpus]), runs)
    chunks = sum(len(d.chunks) for d in docs)

    started = time.perf_counter()
    embedder = SentenceTransformerEmbedder(threads=threads)
    model_seconds = time.perf_counter() - started
    rss_model = _peak_rss_mb()

    with tempfile.TemporaryDirectory(prefix="ladder-bench-index-") as tmp:
        root = Path(tmp) / "people"
        shutil.copytree(corpus, root)
        store_path = Path(tmp) / "store"
        ladder = build_ladder(
            Settings(roles=(root,), store=store_path, auto_index=False), embedder=embedder, store=open_store(store_path)
        )

        started = time.perf_counter()
        cold = ladder.index()
        cold_seconds = time.perf_counter() - started
        rss_cold = _peak_rss_mb()

        no_change_times, no_change = _timed(ladder.index, runs)
        assert not no_change.published and no_change.embedded == 0

        one_change_times: list[float] = []
        embedded: list[int] = []
        for run in range(runs):
            _edit_one_bullet(root / EDIT_FILE, run)
            seconds, report = _timed(ladder.index, 1)
            assert report.published and report.updated == [EDIT_FILE], report
            one_change_times += seconds
            embedded.append(report.embedded)

        # What a user waits for: ``ladder index`` with nothing to do, as a new process.
        env = {**os.environ, "LADDER_STORE": str(store_path)}
        cli = [sys.executable, "-m", "assistant", "index", str(root)]
        process_times, done = _timed(
            lambda: subprocess.run(cli, env=env, capture_output=True, text=True, check=True, cwd=REPO), runs
        )
        assert done.stdout.startswith("Index is up to date"), done.stdout

    return {
        "corpus": {"path": str(corpus), "files": len(docs), "chunks": chunks, "skipped": len(skipped)},
        "parse_seconds": {"median": statistics.median(parse_times), "min": min(parse_times)},
        "model_load_seconds": model_seconds,
        "cold_index": {
            "seconds": cold_seconds,
            "chunks": cold.chunks,
            "chunks_per_second": cold.chunks / cold_seconds,
            "embedded": cold.embedded,
            "peak_rss_mb_after_model_load": rss_model,
            "peak_rss_mb_after_cold_index": rss_cold,
        },
        "one_change_seconds": {
            "median": statistics.median(one_change_times),
            "max": max(one_change_times),
            "embedded_per_run": embedded,
        },
        "no_change_seconds": {"median": statistics.median(no_change_times), "max": max(no_change_times)},
        "no_change_new_process_seconds": {"median": statistics.median(process_times), "max": max(process_times)},
        "runs": runs,
        "goals": GOALS,
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(),
            "torch_threads": threads or "default",
        },
        "commit": _commit(),
    }


def _commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
        return out.stdout.strip()
    except OSError:
        return ""


def render(result: dict[str, Any]) -> str:
    cold = result["cold_index"]
    rows = [
        ("parse whole corpus (median)", result["parse_seconds"]["median"], GOALS["parse"]),
        ("load the model", result["model_load_seconds"], None),
        ("cold full index", cold["seconds"], None),
        ("re-index, one file changed (median)", result["one_change_seconds"]["median"], GOALS["one_change"]),
        ("re-index, no change (median)", result["no_change_seconds"]["median"], GOALS["no_change"]),
        ("ladder index, no change, new process", result["no_change_new_process_seconds"]["median"], None),
    ]
    corpus = result["corpus"]
    lines = [
        f"corpus: {corpus['files']} files, {corpus['chunks']} chunks; {result['runs']} runs each; "
        f"load average {result['machine']['load_average_before'][0]} on {result['machine']['cpus']} CPUs",
        "",
        f"{'step':<40} {'seconds':>9}  {'goal':>6}",
        f"{'-' * 40} {'-' * 9}  {'-' * 6}",
    ]
    for name, seconds, goal in rows:
        verdict = "" if goal is None else (f"< {goal:g}" + (" ok" if seconds < goal else " MISSED"))
        lines.append(f"{name:<40} {seconds:>9.3f}  {verdict}")
    lines += [
        "",
        f"cold index: {cold['chunks_per_second']:.0f} chunks/s; peak RSS {cold['peak_rss_mb_after_cold_index']:.0f} MB "
        f"({cold['peak_rss_mb_after_model_load']:.0f} MB after loading the model); "
        f"one change embedded {result['one_change_seconds']['embedded_per_run']} chunk(s) per run",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="framework folder (read, never modified)")
    parser.add_argument("--runs", type=int, default=5, help="repetitions of the quick steps")
    parser.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: torch's default)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON results")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"corpus {args.corpus} is not a folder; pass --corpus PATH", file=sys.stderr)
        return 1
    result = measure(args.corpus.resolve(), args.runs, args.threads)
    print(render(result))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    print(f"\nwrote {args.out.relative_to(REPO) if args.out.is_relative_to(REPO) else args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
