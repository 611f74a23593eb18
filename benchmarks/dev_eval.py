"""Search and ask on the shared development evaluation set (plain-language queries and questions
written independently of the framework's wording), beside our own sets (``quality.py``, ``ask.py``).

    .venv/bin/python benchmarks/dev_eval.py [--eval DIR] [--only search,ask] [--misses]

``DIR`` (default ``../shared/dev-eval``) holds ``search.jsonl``, ``ask.jsonl`` and the set's own
``score.py``; its metric code is used as it is (recall@5 and MRR@10 for search; answer accuracy,
false declines and declined not-covered questions for ask), with the library called in process
instead of through the ``ladder`` command (same JSON contract, one model load). The corpus,
``DIR/../corpora/people-wide``, is indexed into a temporary store with the real default model.
Prints the set's tables and writes ``benchmarks/results/dev_eval.json``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant import QueryError  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.service import build_ladder  # noqa: E402

RESULTS = REPO / "benchmarks" / "results"


def _scorer(folder: Path) -> Any:
    spec = importlib.util.spec_from_file_location("dev_eval_score", folder / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"{folder / 'score.py'}: not found; pass --eval with the dev-eval folder")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval", type=Path, default=REPO.parent / "shared" / "dev-eval")
    ap.add_argument("--only", default="search,ask")
    ap.add_argument("--misses", action="store_true", help="print the misses the scorer lists")
    args = ap.parse_args()
    score = _scorer(args.eval)
    corpus = args.eval.parent / "corpora" / "people-wide"
    store = Path(tempfile.mkdtemp(prefix="ladder-dev-eval-"))
    ladder = build_ladder(Settings(roles=(corpus,), store=store))
    started = time.perf_counter()
    ladder.index()
    indexed = time.perf_counter() - started

    def run(cmd: list[str], stdin: str | None = None, timeout: int = 0) -> str:
        out = []
        for line in (stdin or "").splitlines():
            try:
                data = (ladder.search(line, k=10) if "search" in cmd else ladder.ask(line)).to_json()
            except QueryError as exc:
                data = {"question": line, "found": False, "error": str(exc)}
            out.append(json.dumps(data))
        return "\n".join(out)

    score.run = run
    summary: dict[str, Any] = {"corpus": str(corpus), "index_seconds": round(indexed, 1)}
    for part in args.only.split(","):
        started = time.perf_counter()
        report, numbers = {"search": score.score_search, "ask": score.score_ask}[part](["ladder"])
        seconds = time.perf_counter() - started
        table = report.split("\n\nmisses:")[0]
        print(f"## {part} ({seconds:.1f} s)\n\n{table if not args.misses else report}\n")
        summary[part] = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in numbers.items()}
        summary[part + "_table"] = table
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "dev_eval.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS / 'dev_eval.json'}")


if __name__ == "__main__":
    main()
