"""Which rule for "reworded": word ratio >= 0.5 (Compare's) or character ratio >= 0.6 (What
changed's, before index/diff.py)? Measured on real rewordings between tracks.

    .venv/bin/python benchmarks/reworded.py [--corpus PATH]

For every pair of role documents at the same level in different track folders, the bullets of
one dimension and kind that are not identical (index.diff.bullet_key) are paired, and each pair
that either rule calls reworded is printed with both scores: ``WC`` both rules, ``W-`` words
only, ``-C`` characters only. The pairs where the rules disagree were read and labelled by hand
(docs/architecture.md has the count). Prints the table; writes ``benchmarks/results/reworded.json``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # the repository, not benchmarks/ (benchmarks/index.py would shadow the package)

from index.diff import bullet_key, similarity  # noqa: E402
from index.parse import parse_markdown  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpora" / "people-wide")
    args = ap.parse_args()
    files = sorted(args.corpus.rglob("L*.md"))
    seen: dict[tuple[str, str], dict[str, object]] = {}
    for fa, fb in itertools.combinations(files, 2):
        if fa.name[:2] != fb.name[:2] or fa.parent == fb.parent:
            continue
        da, db = (parse_markdown(f.read_text("utf-8"), f.name) for f in (fa, fb))
        for dim in dict.fromkeys(c.dimension for c in da.chunks if c.dimension):
            for kind in ("expectation", "example"):
                left = [c.plain for c in da.chunks if c.dimension == dim and c.kind == kind]
                right = [c.plain for c in db.chunks if c.dimension == dim and c.kind == kind]
                keys_l, keys_r = {bullet_key(t) for t in left}, {bullet_key(t) for t in right}
                for a in (t for t in left if bullet_key(t) not in keys_r):
                    for b in (t for t in right if bullet_key(t) not in keys_l):
                        word = similarity(a, b)
                        char = SequenceMatcher(None, a, b, autojunk=False).ratio()
                        if word >= 0.5 or char >= 0.6:
                            seen[(a, b)] = {"a": a, "b": b, "word": round(word, 3), "char": round(char, 3)}
    rows = sorted(seen.values(), key=lambda r: -float(r["word"]))  # type: ignore[arg-type]
    for r in rows:
        flag = ("W" if float(r["word"]) >= 0.5 else "-") + ("C" if float(r["char"]) >= 0.6 else "-")  # type: ignore[arg-type]
        r["rules"] = flag
        print(f"{flag} word {r['word']:.3f} char {r['char']:.3f}\n   A: {r['a']}\n   B: {r['b']}")
    counts = {k: sum(r["rules"] == k for r in rows) for k in ("WC", "W-", "-C")}
    print(f"\npairs either rule takes: {len(rows)}; both: {counts['WC']}, words only: {counts['W-']}, "
          f"characters only: {counts['-C']}")
    out = ROOT / "benchmarks" / "results" / "reworded.json"
    out.write_text(json.dumps({"corpus": str(args.corpus), "counts": counts, "pairs": rows}, indent=1) + "\n")


if __name__ == "__main__":
    main()
