"""Fit on the independent development set (../shared/dev-eval/fit.jsonl) in one process.

Same metrics as ``../shared/dev-eval/score.py --only fit`` (path@1, path@3, level@1, level within
one, track@1, band accuracy), overall and per style and band, plus how often each confidence label
was right. Loads the model once; indexes people-wide into ``--store`` (kept between runs).

    python benchmarks/deveval_fit.py [--store /tmp/deveval-store] [--misses]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.results import Filters  # noqa: E402
from benchmarks.harness import REPO, RESULTS, indexed_ladder, write_json  # noqa: E402


def level_int(level: str) -> int | None:
    m = re.match(r"L(\d+)", level or "")
    return int(m.group(1)) if m else None


def metrics(item: dict, report: dict) -> dict[str, float]:
    ranking = report.get("ranking") or []
    paths = [r["path"] for r in ranking]
    top = ranking[0] if ranking else {}
    m = {
        "path@1": float(paths[:1] == [item["path"]]),
        "path@3": float(item["path"] in paths[:3]),
        "level@1": float(top.get("level", "") == item["level"]),
        "level±1": float(level_int(top.get("level", "")) is not None
                         and abs(level_int(top["level"]) - level_int(item["level"])) <= 1),
        "track@1": float(bool(paths) and Path(paths[0]).parent.name == item["track"]),
    }
    if report.get("band"):
        m["band"] = float(report["band"] == item["band"])
    return m


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", default="/tmp/deveval-store")
    ap.add_argument("--misses", action="store_true", help="print every path@1 miss")
    ap.add_argument("--plain", action="store_true", help="only the plain items")
    ap.add_argument("--bands", action="store_true", help="print the band's numbers for every item")
    ap.add_argument("--oracle-track", action="store_true", help="give fit the right track (--track), to "
                    "measure the level and band alone")
    args = ap.parse_args()
    shared = REPO.parent / "shared"
    corpus = shared / "corpora" / "people-wide"
    items = [json.loads(x) for x in (shared / "dev-eval" / "fit.jsonl").read_text().splitlines() if x.strip()]
    if args.plain:
        items = [i for i in items if i["style"] == "plain"]
    with indexed_ladder(corpus, Path(args.store), threads=1) as (ladder, _):
        run(ladder, items, args)


def run(ladder, items: list[dict], args: argparse.Namespace) -> None:
    per: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    labels: dict[str, list[float]] = defaultdict(list)
    times = []
    for item in items:
        t0 = time.perf_counter()
        filters = Filters(track=item["track"].replace("-", " ")) if args.oracle_track else None
        report = ladder.fit(item["text"], filters=filters).to_json()
        times.append(time.perf_counter() - t0)
        m = metrics(item, report)
        for key in ("all", item["style"], item["band"]):
            for k, v in m.items():
                per[key][k].append(v)
        labels[report.get("confidence", "?")].append(m["path@1"])
        if args.bands and report.get("band_detail"):
            b = report["band_detail"]
            print(f"BAND {item['id']} gold={item['band'][:4]} got={b['band'][:4]} cov={b['coverage']:.2f} "
                  f"next={b['next_level']} gaps={b['gaps_named']} ok={m['path@1']:.0f}")
        if args.misses and (not m["path@1"] or not m.get("band", 1)):
            print(f"{item['id']} [{item['style']}/{item['band']}] want {Path(item['path']).name}; got "
                  + ", ".join(f"{Path(r['path']).name} {r['score']:.2f}" for r in report["ranking"][:3])
                  + f" band={report.get('band')} conf={report.get('confidence')}")
    cols = ["path@1", "path@3", "level@1", "level±1", "track@1", "band"]
    print("| subset | n | " + " | ".join(cols) + " |")
    print("|---|---:|" + "---:|" * len(cols))
    rows = {}
    for key in ("all", "plain", "mixed", "performing", "maturing", "exceeding"):
        if key not in per:
            continue
        row = {c: sum(per[key][c]) / len(per[key][c]) for c in cols if per[key][c]}
        rows[key] = row | {"n": len(per[key]["path@1"])}
        print(f"| {key} | {rows[key]['n']} | " + " | ".join(f"{row.get(c, float('nan')):.2f}" for c in cols) + " |")
    print("\n| confidence | n | path@1 right |\n|---|---:|---:|")
    for label, hits in sorted(labels.items()):
        print(f"| {label} | {len(hits)} | {sum(hits) / len(hits):.2f} |")
    times.sort()
    print(f"\nfit latency p50 {times[len(times) // 2] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms")
    accuracy = {k: [len(v), sum(v) / len(v)] for k, v in labels.items()}
    p50 = times[len(times) // 2] * 1000
    write_json(RESULTS / "deveval_fit.json", {"rows": rows, "labels": accuracy, "p50_ms": p50})


if __name__ == "__main__":
    main()
