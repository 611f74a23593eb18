"""Many readers at once, and readers while the framework changes under them.

- 8 ``python -m assistant search --json`` processes against one store at once agree exactly;
- 20 threads sharing one ``Ladder`` (as the app's ``st.cache_resource`` shares it), and 20
  sessions of the running app (``streamlit run``, over its websocket) at once get the same
  answers as one at a time;
- a long-running reader (like the app) keeps answering while another process re-indexes the
  same store, and only ever shows text of the old or the new files;
- a role file edited, renamed, added or deleted: the serving Ladder's ``status()`` (the app's
  freshness check) notices, and once another writer re-indexed, it serves the new generation
  and its results never point at text that is gone.

Subprocesses are the real CLI; ``tests/shim`` only swaps in the hashing fake embedder (and,
where asked, pauses a write half-way). Latencies are printed and, when
``LADDER_CONCURRENCY_JSON`` names a file, written there (``benchmarks/concurrency.py`` does
that for ``benchmarks/results/concurrency.json``). Loopback only; bounded in count and time.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from assistant import Ladder, Settings, build_ladder, views
from assistant.results import Filters
from index import parse_folder

from .conftest import REPO, Backend
from .fakes import HashingEmbedder

SHIM = Path(__file__).resolve().parent / "shim"
TIMEOUT = 120
L2 = "platform/L2-Platform-Engineer.md"
L4 = "platform/L4-Platform-Technical-Lead.md"
DATA_L3 = "data/L3-Senior-Data-Engineer.md"
DATA_L3_RENAMED = "data/L3-Senior-Analytics-Engineer.md"
NEW_FILE = "ops/L1-Ops-Engineer.md"
OLD = "I fix flaky build pipelines and keep the continuous integration jobs green."
NEW = "I repair flaky build pipelines and keep the continuous integration jobs green."
L4_ONLY = "I make build-versus-buy decisions for core infrastructure and defend them to leadership."
DATA_ONLY = "I design batch and streaming pipelines that load data into the warehouse every hour."
QUERIES = (
    (OLD, Filters()),
    ("mentoring junior engineers", Filters()),
    (L4_ONLY, Filters()),
    (DATA_ONLY, Filters(level="L3")),
    ("on-call runbook for failed services", Filters(track="Platform")),
    ("warehouse pipelines", Filters(dimension="Domain Expertise")),
)
_RECORDED: dict[str, Any] = {}


# -- helpers ------------------------------------------------------------------------------------
def _latency(values_s: list[float]) -> dict[str, float]:
    ms = sorted(1000 * v for v in values_s)
    q = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else ms * 99
    return {"n": len(ms), "p50": round(q[49], 2), "p95": round(q[94], 2), "max": round(ms[-1], 2)}


def _record(name: str, data: dict[str, Any]) -> None:
    """Print ``data`` and merge it into ``$LADDER_CONCURRENCY_JSON`` (when set) under ``name``."""
    _RECORDED[name] = {**data, "cores": os.cpu_count(), "load_average": round(os.getloadavg()[0], 2)}
    print(f"{name}: {json.dumps(_RECORDED[name])}")
    target = os.environ.get("LADDER_CONCURRENCY_JSON")
    if target:
        path = Path(target)
        existing = json.loads(path.read_text()) if path.exists() else {}
        existing[name] = _RECORDED[name]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(existing, indent=2) + "\n")


def _env(tmp: Path, extra: dict[str, str], pause: float = 0.0) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LADDER_")}
    return {
        **env,
        "PYTHONPATH": os.pathsep.join(p for p in (str(SHIM), os.environ.get("PYTHONPATH")) if p),
        "LADDER_TEST_SHIM": "1",
        "LADDER_TEST_PAUSE": str(pause),
        "LADDER_TEST_MARKER": str(tmp / "marker"),
        "LADDER_CACHE": str(tmp / "cache"),
        "ANONYMIZED_TELEMETRY": "False",
        **extra,
    }


def _texts(root: Path) -> set[str]:
    """Every chunk text the framework under ``root`` holds now."""
    docs, _ = parse_folder([root])
    return {c.plain for d in docs for c in d.chunks}


def _ladder(root: Path, tmp: Path, settings: dict[str, object]) -> Ladder:
    config = Settings(roles=(root,), cache=tmp / "cache", auto_index=False, **settings)  # type: ignore[arg-type]
    return build_ladder(config, embedder=HashingEmbedder())


def _signature(response: Any) -> list[tuple[str, str, float]]:
    return [(r.id, r.path, round(r.score, 6)) for r in response.results]


def _points_at_live_text(root: Path, result: Any) -> bool:
    """The result's file exists and its line holds the result's text."""
    path = root / result.path
    if not path.is_file():
        return False
    lines = path.read_text(encoding="utf-8").splitlines()
    return 0 < result.line <= len(lines) and result.text.split("\n")[0][:60] in lines[result.line - 1]


# -- many readers -------------------------------------------------------------------------------
def test_eight_concurrent_cli_searches_return_identical_results(tmp_path, fixture_root, processes):
    store = tmp_path / "store"
    ladder = _ladder(fixture_root, tmp_path, {"store": store})
    ladder.index()
    expected = ladder.search(DATA_ONLY, k=5, filters=Filters(level="L3")).to_json()
    command = [sys.executable, "-m", "assistant", "--store", str(store), "search", DATA_ONLY, "--level", "L3",
               "-k", "5", "--json"]
    env = _env(tmp_path, {})
    logs = [(tmp_path / f"out{n}", tmp_path / f"err{n}") for n in range(8)]
    started = time.perf_counter()
    procs = []
    for out, err in logs:
        with open(out, "wb") as stdout, open(err, "wb") as stderr:
            procs.append(processes.start(command, stdout=stdout, stderr=stderr, cwd=REPO, env=env))
    finished: dict[int, float] = {}
    while len(finished) < len(procs) and time.perf_counter() - started < TIMEOUT:
        for n, proc in enumerate(procs):
            if n not in finished and proc.poll() is not None:
                finished[n] = time.perf_counter() - started
        time.sleep(0.01)
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
    assert [proc.wait() for proc in procs] == [0] * 8, [err.read_text()[-500:] for _, err in logs]
    outputs = [json.loads(out.read_text()) for out, _ in logs]
    seconds = list(finished.values())
    assert all(o == outputs[0] for o in outputs)
    assert [r["id"] for r in outputs[0]["results"]] == [r["id"] for r in expected["results"]]
    assert outputs[0]["results"][0]["plain"] == DATA_ONLY
    _record("cli_searches_8_concurrent", {"process_wall_ms": _latency(seconds),
                                          "note": "each a cold python -m assistant search (fake model)"})


def test_twenty_threads_share_one_ladder(backend: Backend, tmp_path, fixture_root):
    ladder = _ladder(fixture_root, tmp_path, backend.settings())
    ladder.index()
    fit_text = f"{OLD}\n{DATA_ONLY}\nI teach analysts to write efficient SQL queries."
    expected = {i: _signature(ladder.search(q, k=5, filters=f)) for i, (q, f) in enumerate(QUERIES)}
    expected_fit = [r.path for r in ladder.fit(fit_text).ranking]
    errors: list[str] = []
    wrong: list[str] = []
    latencies: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(20)

    def session(n: int) -> None:
        barrier.wait()
        for step in range(12):
            i = (n + step) % len(QUERIES)
            started = time.perf_counter()
            try:
                if step % 4 == 3:
                    got: Any = [r.path for r in ladder.fit(fit_text).ranking]
                    want: Any = expected_fit
                else:
                    query, filters = QUERIES[i]
                    got, want = _signature(ladder.search(query, k=5, filters=filters)), expected[i]
            except Exception as exc:  # noqa: BLE001 - every failure is collected and reported
                with lock:
                    errors.append(f"session {n} step {step}: {exc!r}")
                continue
            with lock:
                latencies.append(time.perf_counter() - started)
                if got != want:
                    wrong.append(f"session {n} step {step}")

    threads = [threading.Thread(target=session, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    assert wrong == []
    assert len(latencies) == 20 * 12
    _record(f"ladder_threads_20_{backend.kind}", {"operation_ms": _latency(latencies),
                                                  "note": "9 searches + 3 fits per thread, shared Ladder (fake model)"})


def _app_session(url: str, query_string: str) -> tuple[float, list[str], list[str]]:
    """One session of the running app over Streamlit's websocket, as a browser tab opens it:
    (seconds until the page script finished, its Markdown/caption texts made plain, errors shown)."""
    from streamlit.proto import Alert_pb2, BackMsg_pb2, ClientState_pb2, ForwardMsg_pb2
    from websockets.sync.client import connect

    texts: list[str] = []
    problems: list[str] = []
    with connect(url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"],  # type: ignore[list-item]
                 open_timeout=TIMEOUT, max_size=None) as ws:
        started = time.perf_counter()
        ws.send(BackMsg_pb2.BackMsg(rerun_script=ClientState_pb2.ClientState(query_string=query_string))
                .SerializeToString())
        while True:
            msg = ForwardMsg_pb2.ForwardMsg()
            msg.ParseFromString(ws.recv(timeout=TIMEOUT))
            kind = msg.WhichOneof("type")
            if kind == "script_finished":
                return time.perf_counter() - started, texts, problems
            if kind != "delta" or msg.delta.WhichOneof("type") != "new_element":
                continue
            element = msg.delta.new_element
            if element.WhichOneof("type") == "markdown":
                texts.append(re.sub(r"\\(.)", r"\1", element.markdown.body))
            elif element.WhichOneof("type") == "exception":
                problems.append(element.exception.message)
            elif element.WhichOneof("type") == "alert" and element.alert.format == Alert_pb2.Alert.ERROR:
                problems.append(element.alert.body)


def test_twenty_concurrent_app_sessions(tmp_path, fixture_root, serve_app):
    store = tmp_path / "store"
    reference = _ladder(fixture_root, tmp_path, {"store": store})
    reference.index()
    pages = []
    for query, filters in QUERIES:
        chosen = {n: getattr(filters, n) for n in ("level", "track", "dimension") if getattr(filters, n)}
        params = {"q": query, **chosen}
        response = views.run_search(reference, query, views.filters_from(
            params.get("level", views.ANY), params.get("track", views.ANY), views.ANY,
            params.get("dimension", views.ANY), views.ANY))
        listed = response.results + response.overviews  # the page lists overview passages last
        pages.append((urllib.parse.urlencode(params), {f"{r.path}:{r.line}" for r in listed}))
    server = serve_app(fixture_root, store, tmp_path / "app.log", env=_env(tmp_path, {}))
    try:
        first = _app_session(server.url, pages[0][0])  # the first visitor loads the Ladder
        assert first[2] == []
        outcomes: dict[int, tuple[float, list[str], list[str]]] = {}
        failures: list[str] = []
        barrier = threading.Barrier(20)

        def session(n: int) -> None:
            barrier.wait()
            try:
                outcomes[n] = _app_session(server.url, pages[n % len(pages)][0])
            except Exception as exc:  # noqa: BLE001 - every failure is collected and reported
                failures.append(f"session {n}: {exc!r}")

        threads = [threading.Thread(target=session, args=(n,)) for n in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(TIMEOUT)
    finally:
        server.stop()
    assert failures == []
    assert sorted(outcomes) == list(range(20))
    assert {n: problems for n, (_, _, problems) in outcomes.items() if problems} == {}
    for n, (_, texts, _) in outcomes.items():
        shown = {m.group(1) for t in texts for m in [re.match(r"^(\S+\.md:\d+)", t)] if m}
        assert shown == pages[n % len(pages)][1], f"session {n}"
    _record("app_sessions_20_concurrent", {
        "first_visit_ms": round(1000 * first[0], 1),
        "page_run_ms": _latency([s for s, _, _ in outcomes.values()]),
        "note": "20 websocket sessions at once against streamlit run (fake model); one cached Ladder",
    })


# -- readers while the framework changes ----------------------------------------------------------
def _edit_rename_delete(root: Path) -> None:
    l2 = root / L2
    l2.write_text(l2.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    (root / DATA_L3).rename(root / DATA_L3_RENAMED)
    (root / L4).unlink()


def test_searches_keep_answering_while_another_process_reindexes(backend: Backend, tmp_path, fixture_root,
                                                                 processes):
    reader = _ladder(fixture_root, tmp_path, backend.settings())
    reader.index()
    before = _texts(fixture_root)
    first_generation = reader.corpus().generation
    _edit_rename_delete(fixture_root)
    after = _texts(fixture_root)
    assert OLD in before and OLD not in after and NEW in after and L4_ONLY not in after

    marker = tmp_path / "marker"
    writer = processes.start(
        [sys.executable, "-m", "assistant", "index", str(fixture_root)], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, cwd=REPO, env=_env(tmp_path, backend.env(), pause=1.0),
    )
    answered = during_write = 0
    latencies: list[float] = []
    stray: list[str] = []
    deadline = time.monotonic() + TIMEOUT
    while writer.poll() is None and time.monotonic() < deadline:
        query, filters = QUERIES[answered % len(QUERIES)]
        writing = marker.exists()
        started = time.perf_counter()
        response = reader.search(query, k=5, filters=filters)
        latencies.append(time.perf_counter() - started)
        assert response.results, query
        stray += [r.plain for r in response.results if r.plain not in before | after]
        answered += 1
        during_write += writing and writer.poll() is None
    out, err = writer.communicate(timeout=TIMEOUT)
    assert writer.returncode == 0, err
    assert stray == []
    assert during_write >= 3  # searches ran while the new generation was half written

    # once published, the reader serves the new generation only
    time.sleep(1.1)  # a server's state is re-read at most once a second
    assert reader.corpus().generation != first_generation
    for query, filters in QUERIES:
        for r in reader.search(query, k=10, filters=filters).results:
            assert r.plain in after, r.plain
    _record(f"search_during_reindex_{backend.kind}", {"search_ms": _latency(latencies), "searches": answered,
                                                      "during_half_written_generation": during_write})


def test_a_role_file_edited_renamed_or_deleted_while_serving(backend: Backend, tmp_path, fixture_root):
    serving = _ladder(fixture_root, tmp_path, backend.settings())
    serving.index()
    assert serving.search(OLD, k=1).results[0].plain == OLD

    def reindex() -> None:
        """Another writer (its own client, as another process or the app's refresh has) publishes."""
        writer = _ladder(fixture_root, tmp_path, backend.settings())
        assert writer.index().published
        time.sleep(1.1 if backend.server else 0.0)  # a server's state is re-read at most once a second

    def serves_only_live_text() -> list[Any]:
        results = [r for q, f in QUERIES for r in serving.search(q, k=10, filters=f).results]
        assert results
        assert [f"{r.path}:{r.line}" for r in results if not _points_at_live_text(fixture_root, r)] == []
        assert serving.corpus().generation == serving.store.current_state()["collection"]  # type: ignore[index]
        return results

    def noticed() -> tuple[list[str], list[str], list[str]]:
        status = serving.status()  # what the app checks on every page run
        return status.changed, status.added, status.removed

    assert noticed() == ([], [], [])
    l2 = fixture_root / L2
    l2.write_text(l2.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    assert noticed() == ([L2], [], [])
    reindex()
    assert noticed() == ([], [], [])
    results = serves_only_live_text()
    assert OLD not in {r.plain for r in results}
    assert serving.search(NEW, k=1).results[0].plain == NEW

    (fixture_root / DATA_L3).rename(fixture_root / DATA_L3_RENAMED)
    (fixture_root / "ops").mkdir()
    (fixture_root / NEW_FILE).write_text("# L1: Ops Engineer\n\n## Delivery\n\n- I restart services.\n")
    assert noticed() == ([], [DATA_L3_RENAMED, NEW_FILE], [DATA_L3])
    reindex()
    assert noticed() == ([], [], [])
    results = serves_only_live_text()
    assert DATA_L3 not in {r.path for r in results}
    top = serving.search(DATA_ONLY, k=1).results[0]
    assert (top.plain, top.path) == (DATA_ONLY, DATA_L3_RENAMED)

    (fixture_root / L4).unlink()
    assert noticed() == ([], [], [L4])
    reindex()
    assert noticed() == ([], [], [])
    results = serves_only_live_text()
    assert L4 not in {r.path for r in results}
    assert L4_ONLY not in {r.plain for r in serving.search(L4_ONLY, k=10).results}
    assert L4 not in {lv.path for lv in serving.search("platform roadmap for the next year").levels}
