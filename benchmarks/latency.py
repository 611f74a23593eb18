"""Warm search and fit latency against the bare cost of one embedding plus one Chroma query.

    .venv/bin/python benchmarks/latency.py [--corpus PATH] [--queries 200] [--threads 0]

Indexes the corpus into a temporary store, warms up, then for each of ``--queries`` queries (the
benchmark query sets, repeated with variations) times, interleaved so both see the same machine:

- bare: ``ladder.embedder.embed_query(q)`` (one ``model.encode``) plus one ``collection.query`` on
  the live Chroma collection with the depth and fields search asks for (ids and distances: search
  takes the chunks from its in-memory corpus);
- Ladder: ``ladder.search(q)`` (hybrid, k=10: embedding, Chroma, BM25, fusion, grouping, levels).

Goal: Ladder's p50 within 1.5x the bare p50. Then ``ladder.fit`` on a 20-statement document,
warm p50 (goal: under 1 s). Prints a table and writes ``benchmarks/results/latency.json``. The
machine's load average is recorded with the numbers: on a busy machine torch's default of one
thread per core can be many times slower than one thread, so compare runs with the same --threads.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# the repository first, so a benchmark script named like a package (benchmarks/index.py) cannot shadow it
sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]

from harness import DEFAULT_CORPUS, RESULTS, code_version, indexed_ladder, percentile, table, write_json  # noqa: E402
from queryset import SETS, read_rows  # noqa: E402

from assistant.retrieve import clean_query  # noqa: E402
from assistant.service import Ladder  # noqa: E402
from assistant.text import split_statements  # noqa: E402

SEARCH_GOAL = 1.5
FIT_GOAL = 1.0
K = 10
DEPTH = max(50, 4 * K)  # what retrieve.search asks Chroma for at k=10


def query_texts(n: int) -> list[str]:
    """``n`` queries: the benchmark sets, then shortened and lower-cased variants of them."""
    base = [row["query"] for path in SETS.values() for row in read_rows(path)]
    variants = [
        base,
        [" ".join(q.split()[:8]) for q in base],
        [q.lower() for q in base],
    ]
    out: list[str] = []
    while len(out) < n:
        for group in variants:
            out.extend(group)
    return out[:n]


def fit_document() -> str:
    """A 20-statement self-review: bullets from the work queries of the development set."""
    rows = [r for r in read_rows(SETS["dev"]) if r["type"] == "work"][:20]
    text = "## What I did this year\n" + "\n".join(f"- {r['query']}" for r in rows)
    count = len(split_statements(text))
    if count != 20:
        raise SystemExit(f"the fit document has {count} statements, not 20; fix fit_document()")
    return text


def timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def measure(ladder: Ladder, queries: list[str]) -> dict[str, list[float]]:
    collection = ladder.store._collection()  # the bare Chroma collection: fine in a benchmark
    embedder = ladder.embedder

    def bare(q: str) -> tuple[float, float]:
        started = time.perf_counter()
        vector = embedder.embed_query(q)
        encoded = time.perf_counter()
        collection.query(query_embeddings=[vector.tolist()], n_results=DEPTH, include=["distances"])
        return encoded - started, time.perf_counter() - encoded

    for q in queries[:10]:  # warm: model, Chroma, BM25, corpus
        bare(q)
        ladder.search(q, k=K)
    times: dict[str, list[float]] = {"encode": [], "chroma": [], "bare": [], "search": [], "lexical": []}
    for i, q in enumerate(queries):
        q = clean_query(q)[0]
        first_bare = i % 2 == 0  # alternate the order so neither side always runs second
        if not first_bare:
            times["search"].append(timed(lambda q=q: ladder.search(q, k=K)))
        encode, chroma = bare(q)
        times["encode"].append(encode)
        times["chroma"].append(chroma)
        times["bare"].append(encode + chroma)
        if first_bare:
            times["search"].append(timed(lambda q=q: ladder.search(q, k=K)))
        times["lexical"].append(timed(lambda q=q: ladder.search(q, k=K, mode="lexical")))
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="framework folder (default: %(default)s)")
    parser.add_argument("--store", type=Path, help="reuse this store folder instead of a temporary one")
    parser.add_argument("--queries", type=int, default=200, help="timed searches (default: %(default)s)")
    parser.add_argument("--fit-runs", type=int, default=15, help="timed fits (default: %(default)s)")
    parser.add_argument("--threads", type=int, default=0, help="torch CPU threads (default 0: torch's default)")
    parser.add_argument("--json", type=Path, default=RESULTS / "latency.json", help="output (default: %(default)s)")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()

    with indexed_ladder(args.corpus, args.store, threads=args.threads) as (ladder, _):
        times = measure(ladder, query_texts(args.queries))
        fit_times: list[float] = []
        statements = 0
        if hasattr(ladder, "fit"):
            document = fit_document()
            statements = len(ladder.fit(document).statements)  # warm
            fit_times = [timed(lambda: ladder.fit(document)) for _ in range(args.fit_runs)]
        import torch

        threads = torch.get_num_threads()

    ms = {name: [v * 1000 for v in values] for name, values in times.items()}
    p = {name: {"p50": percentile(v, 50), "p95": percentile(v, 95), "mean": sum(v) / len(v)} for name, v in ms.items()}
    ratio = p["search"]["p50"] / p["bare"]["p50"]
    rows: list[list[Any]] = [
        ["model.encode(query)", len(ms["encode"]), p["encode"]["p50"], p["encode"]["p95"], None],
        ["collection.query (k=50)", len(ms["chroma"]), p["chroma"]["p50"], p["chroma"]["p95"], None],
        ["bare: encode + query", len(ms["bare"]), p["bare"]["p50"], p["bare"]["p95"], None],
        ["ladder search (hybrid)", len(ms["search"]), p["search"]["p50"], p["search"]["p95"],
         f"{ratio:.2f}x bare (goal <= {SEARCH_GOAL}x)"],
        ["ladder search (lexical)", len(ms["lexical"]), p["lexical"]["p50"], p["lexical"]["p95"],
         "no model: BM25, fusion, grouping, levels"],
    ]
    fit: dict[str, Any] = {}
    if fit_times:
        fit_ms = [v * 1000 for v in fit_times]
        fit = {"statements": statements, "runs": len(fit_ms), "p50": percentile(fit_ms, 50),
               "p95": percentile(fit_ms, 95), "goal_ms": FIT_GOAL * 1000}
        rows.append([f"ladder fit ({statements} statements)", len(fit_ms), fit["p50"], fit["p95"],
                     f"goal < {FIT_GOAL * 1000:.0f} ms"])
    load_after = os.getloadavg()
    print(table(["operation", "n", "p50 ms", "p95 ms", "note"], rows))
    print(f"\ntorch threads {threads}; cores {os.cpu_count()}; "
          f"load average {load_before[0]:.1f} -> {load_after[0]:.1f}")
    write_json(args.json, {
        "command": "benchmarks/latency.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "code": code_version(),
        "corpus": str(args.corpus),
        "torch_threads": threads,
        "cpu_count": os.cpu_count(),
        "load_average": {"before": load_before[0], "after": load_after[0]},
        "queries": args.queries,
        "ms": {name: {k: round(v, 3) for k, v in stats.items()} for name, stats in p.items()},
        "search_over_bare_p50": round(ratio, 3),
        "search_goal_met": ratio <= SEARCH_GOAL,
        "fit": {k: round(v, 3) if isinstance(v, float) else v for k, v in fit.items()},
        "fit_goal_met": bool(fit) and fit["p50"] < FIT_GOAL * 1000,
    })
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
