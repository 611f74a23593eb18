"""How well ``ladder ask`` answers: accuracy, citations, honesty about what the documents don't say,
and warm latency, over a development set of questions about the people framework.

    .venv/bin/python benchmarks/ask.py [--corpus PATH] [--data FILE] [--repeat N] [--threads N] [-v]

Each line of ``benchmarks/data/ask.jsonl`` is a question written in our own words with its
``type``, whether the documents answer it (``answerable``), the substrings a correct answer must
contain (``expect``), the chunks it must cite (``cite``: ``path`` plus ``line`` or a ``text``
substring, since chunk ids are hashes), other citations that are fine (``allow``: any of ``path``,
``dimension``, ``kind``, ``text``, ``line``), and for ambiguous names the role documents it must
offer back (``candidates``). Scores:

- answer accuracy: answerable questions whose answer is found, contains every expected substring
  and cites every required chunk;
- citation precision: of all citations in those answers, the share that are required or allowed
  (and recall: the share of required citations given);
- "doesn't say" accuracy: unanswerable questions answered with ``found`` false;
- ask-back accuracy: ambiguous questions answered with ``found`` false and every expected candidate;
- latency: every question asked ``--repeat`` times after a warm-up pass, no language model.

Prints a table and writes ``benchmarks/results/<data file name>.json`` (``ask.json`` for the
development set, ``ask_heldout.json`` for the held-out set, written once and not tuned on). The
corpus is indexed into a temporary store with the real default model; nothing is copied into the
repository.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.answers import Answer, Citation  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.service import build_ladder  # noqa: E402

DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "people"
DEFAULT_DATA = REPO / "benchmarks" / "data" / "ask.jsonl"
RESULTS = REPO / "benchmarks" / "results"
GOAL_MS = 100.0


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def matches(citation: Citation, spec: dict[str, Any]) -> bool:
    """Whether a citation is the chunk (or in the scope) ``spec`` describes."""
    if "path" in spec and citation.path != spec["path"]:
        return False
    if "line" in spec and citation.line != spec["line"]:
        return False
    if "dimension" in spec and citation.dimension != spec["dimension"]:
        return False
    if "kind" in spec and citation.kind != spec["kind"]:
        return False
    return not ("text" in spec and spec["text"].casefold() not in citation.text.casefold())


def score(item: dict[str, Any], answer: Answer) -> dict[str, Any]:
    """One question's verdict."""
    required = item.get("cite", [])
    allowed = required + item.get("allow", [])
    missing = [spec for spec in required if not any(matches(c, spec) for c in answer.citations)]
    stray = [c for c in answer.citations if not any(matches(c, spec) for spec in allowed)]
    text = answer.answer.casefold()
    absent = [s for s in item.get("expect", []) if s.casefold() not in text]
    if item["type"] == "ask-back":
        offered = {c.path for c in answer.candidates}
        correct = not answer.found and set(item.get("candidates", [])) <= offered
    elif not item["answerable"]:
        correct = not answer.found
    else:
        correct = answer.found and not absent and not missing
    return {
        "correct": correct,
        "missing_text": absent,
        "missing_citations": missing,
        "stray_citations": [f"{c.path}:{c.line}" for c in stray],
        "citations": len(answer.citations),
        "required": len(required),
        "required_found": len(required) - len(missing),
    }


def percentile(values: list[float], q: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(sorted(values), n=100, method="inclusive")[q - 1]


def table(headers: list[str], rows: list[list[Any]]) -> str:
    cells = [[f"{v:.3f}" if isinstance(v, float) else str(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    fmt = "  ".join(f"{{:{'<' if i == 0 else '>'}{w}}}" for i, w in enumerate(widths))
    return "\n".join([fmt.format(*headers), fmt.format(*("-" * w for w in widths)), *(fmt.format(*r) for r in cells)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of every question after the warm-up")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads (0: one per core)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every wrong answer")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        raise SystemExit(f"corpus {args.corpus} is not a folder; pass --corpus PATH")
    items = load(args.data)

    with tempfile.TemporaryDirectory(prefix="ladder-ask-bench-", ignore_cleanup_errors=True) as tmp:
        settings = Settings(roles=(args.corpus.resolve(),), store=Path(tmp), auto_index=False,
                            torch_threads=args.threads, llm_url="")
        ladder = build_ladder(settings)
        started = time.perf_counter()
        ladder.index()
        ladder.corpus()
        index_seconds = time.perf_counter() - started

        answers: dict[str, Answer] = {}
        for item in items:  # warm-up pass, scored
            answers[item["id"]] = ladder.ask(item["question"])
        timings: dict[str, list[float]] = defaultdict(list)
        for _ in range(args.repeat):
            for item in items:
                t0 = time.perf_counter()
                ladder.ask(item["question"])
                timings[item["id"]].append(1000 * (time.perf_counter() - t0))

    per_question = []
    for item in items:
        answer = answers[item["id"]]
        verdict = score(item, answer)
        per_question.append({
            "id": item["id"], "type": item["type"], "question": item["question"], "intent": answer.intent,
            "found": answer.found, **verdict, "ms_median": round(statistics.median(timings[item["id"]]), 2),
        })

    def share(rows: list[dict[str, Any]]) -> float:
        return sum(r["correct"] for r in rows) / len(rows) if rows else float("nan")

    answerable = [r for r, i in zip(per_question, items, strict=True) if i["answerable"]]
    unanswerable = [r for r in per_question if r["type"] == "unanswerable"]
    ask_back = [r for r in per_question if r["type"] == "ask-back"]
    found = [r for r in answerable if r["found"]]
    cited = sum(r["citations"] for r in found)
    stray = sum(len(r["stray_citations"]) for r in found)
    required = sum(r["required"] for r in answerable)
    all_ms = [ms for values in timings.values() for ms in values]
    summary = {
        "questions": len(items),
        "answer_accuracy": share(answerable),
        "citation_precision": (cited - stray) / cited if cited else float("nan"),
        "citation_recall": sum(r["required_found"] for r in answerable) / required if required else float("nan"),
        "doesnt_say_accuracy": share(unanswerable),
        "ask_back_accuracy": share(ask_back),
        "latency_ms_p50": percentile(all_ms, 50),
        "latency_ms_p95": percentile(all_ms, 95),
        "latency_ms_max": max(all_ms),
        "latency_goal_ms": GOAL_MS,
        "index_seconds": index_seconds,
        "repeat": args.repeat,
        "threads": args.threads,
    }
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in per_question:
        by_type[row["type"]].append(row)

    rows = [[t, len(rs), sum(r["correct"] for r in rs), share(rs),
             statistics.median(r["ms_median"] for r in rs), max(r["ms_median"] for r in rs)]
            for t, rs in by_type.items()]
    print(table(["type", "n", "correct", "accuracy", "ms p50", "ms max"], rows))
    print()
    print(table(["metric", "value"], [
        ["answer accuracy", f"{summary['answer_accuracy']:.3f} ({sum(r['correct'] for r in answerable)}/"
                            f"{len(answerable)})"],
        ["citation precision", f"{summary['citation_precision']:.3f} ({cited - stray}/{cited})"],
        ["citation recall", f"{summary['citation_recall']:.3f}"],
        ["doesn't-say accuracy", f"{summary['doesnt_say_accuracy']:.3f} ({sum(r['correct'] for r in unanswerable)}/"
                                 f"{len(unanswerable)})"],
        ["ask-back accuracy", f"{summary['ask_back_accuracy']:.3f} ({sum(r['correct'] for r in ask_back)}/"
                              f"{len(ask_back)})"],
        ["latency p50 / p95 (ms)", f"{summary['latency_ms_p50']:.1f} / {summary['latency_ms_p95']:.1f} "
                                   f"(goal < {GOAL_MS:.0f})"],
    ]))
    if args.verbose:
        for row in per_question:
            if not row["correct"] or (row["stray_citations"] and row["type"] not in ("unanswerable", "ask-back")):
                print(f"\n{row['id']} {row['question']!r}: intent {row['intent']}, found {row['found']}")
                for key in ("missing_text", "missing_citations", "stray_citations"):
                    if row[key]:
                        print(f"  {key}: {row[key]}")
    out = RESULTS / f"{args.data.stem}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"summary": summary, "questions": per_question}, indent=2, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    print(f"\nwrote {out.relative_to(REPO) if out.is_relative_to(REPO) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
