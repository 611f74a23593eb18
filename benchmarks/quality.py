"""Search and level-fit quality on the people framework: BM25 alone, dense alone and Ladder.

    .venv/bin/python benchmarks/quality.py [--set dev|heldout|all] [--corpus PATH] [--failures]

Indexes the corpus into a temporary store with the real default model, runs every query of the
chosen set(s) through ``Ladder.search`` in each mode (k=10, the product default) and, for queries
with a level, through ``Ladder.fit``; prints one table per set and writes
``benchmarks/results/quality.json`` (summary and per-query detail).

Metrics (means over the queries a metric applies to):
- R@5: share of a query's relevant bullets found in the top 5 results. A grouped result covers
  its own id and every ``also_in`` id, so one result can cover identical bullets of several roles.
- MRR@10: 1 / rank of the first result covering a relevant bullet (0 if none in the top 10).
- lvl@1 / lvl±1: the top of the level ranking (``levels`` of search, ``ranking`` of fit) has the
  expected level / is at most one level away. L1.0 counts as L1.
- role@1: the top role document is the expected role (only for queries naming a role).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

# the repository first, so a benchmark script named like a package (benchmarks/index.py) cannot shadow it
sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]

from harness import DEFAULT_CORPUS, RESULTS, code_version, indexed_ladder, table, write_json  # noqa: E402
from queryset import TYPES, Query, QuerySetError, level_floor, load  # noqa: E402

from assistant.results import SearchResponse  # noqa: E402
from assistant.service import Ladder  # noqa: E402

#: (row label, search mode); "ladder-fit" is added when the Ladder has ``fit``.
SYSTEMS = (("bm25", "lexical"), ("dense", "dense"), ("ladder", "hybrid"))
METRICS = ("R@5", "MRR@10", "lvl@1", "lvl±1", "role@1")
K = 10


def covered(response: SearchResponse) -> list[set[str]]:
    """For each result, the chunk ids it stands for (itself and its grouped duplicates)."""
    return [{r.id, *(p.id for p in r.also_in)} for r in response.results]


def level_metrics(query: Query, level: str | None, role: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"top_level": level, "top_role": role}
    if query.level:
        got = level_floor(level) if level else -99
        out["lvl@1"] = float(got == query.level_num)
        out["lvl±1"] = float(abs(got - query.level_num) <= 1)
    if query.role:
        out["role@1"] = float(role == query.role)
    return out


def search_metrics(query: Query, response: SearchResponse) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if query.relevant:
        rel = set(query.relevant)
        cov = covered(response)
        found = set().union(*cov[:5]) & rel if cov else set()
        rank = next((i + 1 for i, ids in enumerate(cov[:K]) if ids & rel), 0)
        out["R@5"] = len(found) / len(rel)
        out["MRR@10"] = 1.0 / rank if rank else 0.0
        out["rank"] = rank
    top = response.levels[0] if response.levels else None
    out.update(level_metrics(query, top.level if top else None, top.role if top else None))
    out["top"] = [f"{r.level} {r.role} | {r.plain[:90]}" for r in response.results[:3]]
    out["levels"] = [f"{lv.level} {lv.role} {lv.score:.2f}" for lv in response.levels[:3]]
    return out


def evaluate(
    ladder: Ladder, queries: list[Query], systems: Iterable[tuple[str, str]] = SYSTEMS, fit: bool = True
) -> list[dict[str, Any]]:
    """One record per query: its metrics under every system."""
    has_fit = fit and hasattr(ladder, "fit")
    records = []
    for query in queries:
        record: dict[str, Any] = {"id": query.id, "set": query.set, "type": query.type, "query": query.query,
                                  "level": query.level, "role": query.role, "note": query.note, "systems": {}}
        for name, mode in systems:
            record["systems"][name] = search_metrics(query, ladder.search(query.query, k=K, mode=mode))
        if has_fit and query.level:
            report = ladder.fit(query.query)
            best = report.ranking[0] if report.ranking else None
            metrics = level_metrics(query, best.level if best else None, best.role if best else None)
            metrics["confidence"] = report.confidence
            metrics["levels"] = [f"{r.level} {r.role} {r.score:.2f}" for r in report.ranking[:3]]
            record["systems"]["ladder-fit"] = metrics
        records.append(record)
    return records


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def summarise(records: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    """``{system: {type or "all": {"n": queries, metric: mean or None}}}``."""
    systems: list[str] = []
    for record in records:
        systems.extend(s for s in record["systems"] if s not in systems)
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for system in systems:
        out[system] = {}
        for kind in (*TYPES, "all"):
            chosen = [r for r in records if kind in ("all", r["type"]) and system in r["systems"]]
            if not chosen:
                continue
            row: dict[str, Any] = {"n": len(chosen)}
            for metric in METRICS:
                row[metric] = _mean([r["systems"][system][metric] for r in chosen if metric in r["systems"][system]])
            out[system][kind] = row
    return out


def render(summary: dict[str, dict[str, dict[str, Any]]]) -> str:
    rows = []
    for system, kinds in summary.items():
        for kind, row in kinds.items():
            rows.append([system, kind, row["n"], *(row[m] for m in METRICS)])
    return table(["system", "type", "n", *METRICS], rows)


def failures(records: list[dict[str, Any]], system: str = "ladder") -> list[dict[str, Any]]:
    """Queries whose relevant bullets are missing from the top 10, or whose top level is wrong."""
    out = []
    for r in records:
        m = r["systems"].get(system, {})
        if m.get("MRR@10") == 0.0 or m.get("lvl@1") == 0.0:
            out.append(r)
    return out


def render_failures(records: list[dict[str, Any]], system: str = "ladder") -> str:
    lines = []
    for r in failures(records, system):
        m = r["systems"][system]
        ranks = " ".join(f"{s}={r['systems'][s].get('rank', '-')}" for s in r["systems"] if "rank" in r["systems"][s])
        lines.append(f"[{r['set']} {r['id']} {r['type']}] {r['query'][:110]}")
        lines.append(f"    expected: {r['level'] or '-'} {r['role']}  ranks: {ranks}")
        lines.append(f"    {system} levels: {'; '.join(m['levels'])}")
        if "ladder-fit" in r["systems"]:
            lines.append(f"    fit levels: {'; '.join(r['systems']['ladder-fit']['levels'])}")
        for top in m["top"]:
            lines.append(f"      - {top}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=("dev", "heldout", "all"), default="dev", help="query set (default: dev)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="framework folder (default: %(default)s)")
    parser.add_argument("--store", type=Path, help="reuse this store folder instead of a temporary one")
    parser.add_argument(
        "--threads", type=int, default=1,
        help="torch CPU threads (default 1: the scores do not depend on it, and one thread is the "
        "fastest and steadiest on a busy machine; 0 = torch's default)",
    )
    parser.add_argument("--failures", action="store_true", help="list the queries Ladder gets wrong")
    parser.add_argument("--json", type=Path, default=RESULTS / "quality.json", help="output (default: %(default)s)")
    args = parser.parse_args(argv)
    sets = ["dev", "heldout"] if args.set == "all" else [args.set]

    with indexed_ladder(args.corpus, args.store, threads=args.threads) as (ladder, index_seconds):
        try:
            queries = load(sets, ladder.corpus())
        except QuerySetError as exc:
            print(exc, file=sys.stderr)
            return 1
        started = time.perf_counter()
        records = evaluate(ladder, queries)
        eval_seconds = time.perf_counter() - started
        model = ladder.embedder.name

    summaries = {name: summarise([r for r in records if r["set"] == name]) for name in sets}
    if len(sets) > 1:
        summaries["all"] = summarise(records)
    for name, summary in summaries.items():
        n = sum(1 for r in records if name in ("all", r["set"]))
        print(f"\n== {name} set ({n} queries) ==")
        print(render(summary))
    print(f"\nindexed in {index_seconds:.1f} s; evaluated in {eval_seconds:.1f} s; model {model}")
    if args.failures:
        print("\n== Ladder (hybrid) failures: relevant bullet not in top 10, or wrong top level ==")
        print(render_failures(records))
    for record in records:  # keep the JSON small: result texts only for Ladder
        for name, metrics in record["systems"].items():
            if name != "ladder":
                metrics.pop("top", None)
    write_json(args.json, {
        "command": "benchmarks/quality.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "code": code_version(),
        "corpus": str(args.corpus),
        "model": model,
        "k": K,
        "index_seconds": round(index_seconds, 2),
        "eval_seconds": round(eval_seconds, 2),
        "summary": summaries,
        "queries": records,
    })
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
