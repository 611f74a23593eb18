"""A one-shot ``ladder search`` as a new process, against the floor of what it must import.

    .venv/bin/python benchmarks/coldstart.py [--corpus PATH] [--runs 5]

Indexes the corpus (default: the people framework) into a temporary store once, then times, as
new processes, interleaved ``--runs`` times (medians, wall clock):

- ``python -c "import torch"``: the floor of anything that runs the model;
- ``python -c "import torch, sentence_transformers"``: the floor with the library that loads it;
- ``ladder search QUERY`` (hybrid: the query is embedded, so the model is loaded);
- ``ladder search QUERY --mode lexical`` (BM25 only: no model, no torch);
- ``ladder --help``.

Goal (issue 12): a cold ``ladder search`` within 3 s on 2 cores, or near the floor if that is
higher. Prints a table and writes ``benchmarks/results/coldstart.json``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]

from harness import DEFAULT_CORPUS, RESULTS, code_version, table, write_json  # noqa: E402

QUERY = "I mentor junior engineers through their first on-call rotations"
GOAL_SECONDS = 3.0


def _timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="framework folder to index")
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (medians are reported)")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        raise SystemExit(f"corpus {args.corpus} is not a folder; pass --corpus PATH")
    python = sys.executable
    ladder = [python, "-m", "assistant"]
    with tempfile.TemporaryDirectory(prefix="ladder-coldstart-") as tmp:
        env = {**os.environ, "LADDER_STORE": str(Path(tmp) / "store"), "LADDER_CACHE": str(Path(tmp) / "cache")}
        repo = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (repo, env.get("PYTHONPATH")) if p)
        _timed([*ladder, "index", str(args.corpus)], env)
        commands = {
            "import torch (floor)": [python, "-c", "import torch"],
            "import torch, sentence_transformers": [python, "-c", "import torch, sentence_transformers"],
            "ladder search (hybrid)": [*ladder, "search", QUERY, "-k", "5"],
            "ladder search --mode lexical": [*ladder, "search", QUERY, "-k", "5", "--mode", "lexical"],
            "ladder --help": [*ladder, "--help"],
        }
        load_before = os.getloadavg()
        times: dict[str, list[float]] = {name: [] for name in commands}
        _timed(commands["ladder search (hybrid)"], env)  # warm the OS file cache once
        for _ in range(args.runs):
            for name, argv in commands.items():
                times[name].append(_timed(argv, env))
    medians = {name: statistics.median(values) for name, values in times.items()}
    floor = medians["import torch (floor)"]
    rows = [[name, medians[name], min(values), max(values), medians[name] / floor] for name, values in times.items()]
    print(table(["new process", "median s", "min s", "max s", "x floor"], rows))
    cold = medians["ladder search (hybrid)"]
    print(f"\ncold hybrid search {cold:.2f} s (goal {GOAL_SECONDS:.0f} s); above the torch import: "
          f"{cold - floor:.2f} s; load average {load_before[0]:.2f} -> {os.getloadavg()[0]:.2f} "
          f"on {os.cpu_count()} cores")
    write_json(RESULTS / "coldstart.json", {
        "corpus": str(args.corpus),
        "runs": args.runs,
        "seconds": times,
        "medians": medians,
        "goal_seconds": GOAL_SECONDS,
        "load_before": load_before,
        "load_after": os.getloadavg(),
        "cpus": os.cpu_count(),
        "code": code_version(),
    })


if __name__ == "__main__":
    main()
