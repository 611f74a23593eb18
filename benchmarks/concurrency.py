"""Latency under concurrency, recorded from the concurrency tests.

    .venv/bin/python benchmarks/concurrency.py [--json benchmarks/results/concurrency.json]

Runs ``tests/test_concurrency.py`` (8 concurrent CLI searches on one store, 20 threads sharing
one Ladder on the embedded store and on a Chroma server, 20 concurrent sessions of the running
app, searches during a re-index by another process) with ``LADDER_CONCURRENCY_JSON`` set, so
each test writes its latency distribution there; then prints them as a table. The tests use
the hashing fake embedder, so these numbers exclude the model's encode (a constant ~7 ms a
query on an idle machine; see benchmarks/latency.py for the real model).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

_REPO = Path(__file__).resolve().parent.parent
sys.path[:] = [str(_REPO)] + [p for p in sys.path if Path(p or ".").resolve() != _REPO / "benchmarks"]

from benchmarks.scale import REPO, RESULTS, table  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, default=RESULTS / "concurrency.json", help="output (default: %(default)s)")
    args = parser.parse_args(argv)
    target = args.json.resolve()
    target.unlink(missing_ok=True)
    load = os.getloadavg()[0]
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/test_concurrency.py", "-q", "-p", "no:cacheprovider"],
        cwd=REPO, env={**os.environ, "LADDER_CONCURRENCY_JSON": str(target)},
    )
    if done.returncode != 0 or not target.exists():
        print("the concurrency tests failed: numbers not recorded", file=sys.stderr)
        return 1
    data = json.loads(target.read_text())
    rows = []
    for name, entry in data.items():
        for metric, stats in entry.items():
            if isinstance(stats, dict) and "p50" in stats:
                rows.append([name, metric, stats["n"], stats["p50"], stats["p95"], stats["max"], entry["load_average"]])
    print(table(["scenario", "measured", "n", "p50 ms", "p95 ms", "max ms", "load"], rows))
    print(f"\ncores {os.cpu_count()}; load average at start {load:.1f}; wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
