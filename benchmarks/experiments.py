"""Retrieval experiments: variants of Ladder's search scored on the dev and held-out sets.

    .venv/bin/python benchmarks/experiments.py [--only fusion,levels,lexical,kinds,embed] [--corpus PATH]

Nothing in ``assistant/`` or ``index/`` is edited: each variant patches a copy of one knob for
the duration of its run (fusion weights and RRF k, level aggregation, BM25 fields, the kinds
search returns, the text given to the embedding model, which needs a fresh temporary index).
Prints one table (all queries of a set; R@5/MRR@10 over work+topic, levels over work+person) and
writes ``benchmarks/results/experiments.json``. A variant is only worth adopting if it wins on
both sets: dev is tuned on, held-out is not.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np

# the repository first, so a benchmark script named like a package (benchmarks/index.py) cannot shadow it
sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]

from harness import DEFAULT_CORPUS, RESULTS, code_version, indexed_ladder, table, write_json  # noqa: E402
from quality import evaluate, level_metrics, summarise  # noqa: E402
from queryset import load  # noqa: E402

import assistant.retrieve as retrieve  # noqa: E402
from assistant.corpus import ROLE_KINDS, Corpus  # noqa: E402
from assistant.results import LevelScore  # noqa: E402
from assistant.service import Ladder  # noqa: E402
from assistant.text import terms  # noqa: E402
from index.documents import _KIND_LABEL, Chunk  # noqa: E402

Patch = Callable[[ExitStack], None]


# -- level aggregation variants --------------------------------------------------------------
def _rank_levels(
    per_doc: Callable[[list[float]], float],
    depth: int | None = None,
    kinds: tuple[str, ...] = (),
    value: Callable[[retrieve.Candidate], float] = lambda cand: cand.score,
    top_default: int = 5,
) -> Callable[..., tuple[LevelScore, ...]]:
    """A ``rank_levels`` that scores a document by ``per_doc`` of its (grouped) candidates' values
    (fused scores unless ``value`` says otherwise)."""

    def rank_levels(
        fused: list[retrieve.Candidate], corpus: Corpus, top: int = top_default
    ) -> tuple[LevelScore, ...]:
        scores: dict[str, list[float]] = {}
        evidence: dict[str, list[str]] = {}
        for cand in fused[:depth] if depth else fused:
            for cid in corpus.group_of.get(cand.chunk.id, (cand.chunk.id,)):
                chunk = corpus.by_id[cid]
                if not chunk.level or (kinds and chunk.kind not in kinds) or cid in evidence.get(chunk.path, ()):
                    continue
                scores.setdefault(chunk.path, []).append(value(cand))
                evidence.setdefault(chunk.path, []).append(cid)
        totals = {p: per_doc(sorted(v, reverse=True)) for p, v in scores.items()}
        ranked = sorted(totals, key=lambda p: -totals[p])[:top]
        if not ranked:
            return ()
        norm = totals[ranked[0]] or 1.0
        out = []
        for path in ranked:
            doc = corpus.documents[path]
            out.append(LevelScore(doc.level, doc.role, doc.track, path, totals[path] / norm, tuple(evidence[path][:5])))
        return tuple(out)

    return rank_levels


def harmonic(values: list[float]) -> float:  # what search does today: the n-th piece counts 1/n
    return sum(v / (i + 1) for i, v in enumerate(values))


def top_n(n: int) -> Callable[[list[float]], float]:
    return lambda values: sum(values[:n])


def geometric(ratio: float) -> Callable[[list[float]], float]:
    return lambda values: sum(v * ratio**i for i, v in enumerate(values))


def levels_patch(**kwargs: Any) -> Patch:
    return lambda stack: stack.enter_context(mock.patch.object(retrieve, "rank_levels", _rank_levels(**kwargs)))


def by_size(ladder: Ladder) -> Patch:
    """Harmonic sum divided by log2 of the document's bullet count (long documents collect more)."""

    def patch(stack: ExitStack) -> None:
        corpus = ladder.corpus()
        size = {p: len(d.chunks) for p, d in corpus.documents.items()}
        base = _rank_levels(harmonic)

        def rank_levels(fused: list[retrieve.Candidate], corpus: Corpus, top: int = 5) -> tuple[LevelScore, ...]:
            ranked = base(fused, corpus, top=100)
            rescored = sorted(
                (LevelScore(s.level, s.role, s.track, s.path, s.score / math.log2(2 + size[s.path]), s.evidence)
                 for s in ranked), key=lambda s: -s.score)
            return tuple(rescored[:top])

        stack.enter_context(mock.patch.object(retrieve, "rank_levels", rank_levels))

    return patch


# -- fusion, lexical fields and kinds ----------------------------------------------------------
def fusion(dense: float, lexical: float, rrf_k: int = 60) -> Patch:
    def patch(stack: ExitStack) -> None:
        stack.enter_context(mock.patch.object(retrieve, "DENSE_WEIGHT", dense))
        stack.enter_context(mock.patch.object(retrieve, "LEXICAL_WEIGHT", lexical))
        stack.enter_context(mock.patch.object(retrieve, "_RRF_K", rrf_k))

    return patch


def lexical_fields(fn: Callable[[Chunk], str]) -> Patch:
    def patch(stack: ExitStack) -> None:
        stack.enter_context(mock.patch.object(Corpus, "lexical_terms", lambda self, c: terms(fn(c))))

    return patch


_HYPHENATED = re.compile(r"\b([a-z]+)-([a-z]+)\b")
_BRITISH = re.compile(r"(?<=[a-z]{3})([iy])s(e|ed|es|ing|ation|ations|er|ers)\b")


def better_terms(text: str) -> list[str]:
    """``terms`` that also index hyphenated compounds joined (post-mortem = postmortem) and treat
    -ise/-yse spellings as -ize/-yze (analysed = analyzed)."""
    text = _BRITISH.sub(lambda m: f"{m.group(1)}z{m.group(2)}", text.lower())
    joined = " ".join(a + b for a, b in _HYPHENATED.findall(text))
    return terms(f"{text} {joined}")


def lexical_tokens(fn: Callable[[str], list[str]]) -> Patch:
    """Tokenise corpus and queries alike with ``fn``."""
    import assistant.corpus as corpus_module

    def patch(stack: ExitStack) -> None:
        stack.enter_context(mock.patch.object(corpus_module, "terms", fn))
        stack.enter_context(mock.patch.object(retrieve, "terms", fn))

    return patch


def search_kinds(kinds: tuple[str, ...]) -> Patch:
    """Search (results and levels) only over chunks of ``kinds``."""
    original = retrieve.candidates

    def candidates(*args: Any, **kwargs: Any) -> list[retrieve.Candidate]:
        kwargs["kinds"] = kinds
        return original(*args, **kwargs)

    return lambda stack: stack.enter_context(mock.patch.object(retrieve, "candidates", candidates))


# -- exact dense search instead of Chroma's approximate (HNSW) one ------------------------------------
def _matches(chunk: Chunk, where: dict[str, Any] | None) -> bool:
    """Evaluate the ``{"field": {"$in": [...]}}`` / ``{"$and": [...]}`` filters search and fit send."""
    if not where:
        return True
    if "$and" in where:
        return all(_matches(chunk, w) for w in where["$and"])
    ((name, cond),) = where.items()
    return getattr(chunk, name) in cond["$in"]


def exact_dense(ladder: Ladder) -> Patch:
    """``store.nearest`` by brute force over every stored vector: exact and deterministic."""
    corpus = ladder.corpus()
    ids = [c.id for c in corpus.chunks]
    stored = ladder.store.vectors(ids)
    matrix = np.stack([stored[i] for i in ids]).astype(np.float32)

    def nearest(vectors: np.ndarray, k: int, where: dict[str, Any] | None = None) -> list[list[tuple[str, float]]]:
        sims = np.asarray(vectors, dtype=np.float32) @ matrix.T
        if where:
            sims[:, ~np.array([_matches(c, where) for c in corpus.chunks])] = -np.inf
        out = []
        for row in sims:
            order = np.argsort(-row, kind="stable")[:k]
            out.append([(ids[j], float(row[j])) for j in order if np.isfinite(row[j])])
        return out

    return lambda stack: stack.enter_context(mock.patch.object(ladder.store, "nearest", nearest))


# -- embedding text variants (need their own index) -----------------------------------------------
def _body(c: Chunk) -> str:
    body = f"{c.context} {c.plain}".strip() if c.context else c.plain
    return f"{c.key.replace('_', ' ')}: {body}" if c.kind == "attribute" and c.key else body


#: What the embedding model is given for a chunk. "current" is ``Chunk.embed_text`` as it is today
#: ("L4 Lead Software Engineer - Culture and Leadership: I ...").
EMBED_TEXTS: dict[str, Callable[[Chunk], str]] = {
    "current": Chunk.embed_text,
    "text": _body,
    "dimension-text": lambda c: f"{c.dimension or _KIND_LABEL.get(c.kind, '')}: {_body(c)}".lstrip(": "),
    "role-dimension-text": lambda c: (
        f"{c.role} - {c.dimension or _KIND_LABEL.get(c.kind, '')}: {_body(c)}" if c.role else _body(c)
    ),
    "text-role": lambda c: f"{_body(c)} ({c.role})" if c.role else _body(c),
}


@contextmanager
def patched(patches: list[Patch]) -> Iterator[None]:
    with ExitStack() as stack:
        for p in patches:
            p(stack)
        yield


def fresh_corpus(ladder: Ladder) -> None:
    """Give the Ladder a corpus built now, under the patches (bypassing its corpus cache)."""
    ladder._corpus = Corpus(ladder.store.all_chunks(), ladder.store.require_state()["collection"])


def fit_plus_lexical(ladder: Ladder, query: Any, weight: float) -> tuple[str | None, str | None]:
    """Top role document when fit's scores are combined with BM25's level scores for the query."""
    report = ladder.fit(query.query, top=40)
    if not report.ranking:
        return None, None
    top = max(r.score for r in report.ranking) or 1.0
    combined = {r.path: r.score / top for r in report.ranking}
    with mock.patch.object(retrieve, "rank_levels", _rank_levels(harmonic, top_default=40)):
        for lv in ladder.search(query.query, k=10, mode="lexical").levels:
            combined[lv.path] = combined.get(lv.path, 0.0) + weight * lv.score
    best = max(combined, key=lambda p: combined[p])
    doc = ladder.corpus().documents[best]
    return doc.level, doc.role


FIT_LEXICAL_WEIGHTS = (0.3, 0.6)


def score(ladder: Ladder, queries: list[Any], patches: list[Patch], fit: bool = False) -> dict[str, Any]:
    with patched(patches):
        fresh_corpus(ladder)
        systems = [("ladder", "hybrid"), ("dense", "dense"), ("bm25", "lexical")]
        records = evaluate(ladder, queries, systems, fit=fit)
        if fit:
            for record, query in zip(records, queries, strict=True):
                if query.level:
                    for w in FIT_LEXICAL_WEIGHTS:
                        record["systems"][f"fit+bm25 {w}"] = level_metrics(query, *fit_plus_lexical(ladder, query, w))
    fresh_corpus(ladder)
    out: dict[str, Any] = {}
    for set_name in ("dev", "heldout"):
        chosen = [r for r in records if r["set"] == set_name]
        out[set_name] = summarise(chosen)
        retrieval = summarise([r for r in chosen if r["type"] != "person"])
        for system in out[set_name]:
            out[set_name][system]["retrieval"] = retrieval[system]["all"]
    return out


def row(name: str, result: dict[str, Any], system: str = "ladder") -> list[Any]:
    cells: list[Any] = [name]
    for set_name in ("dev", "heldout"):
        s = result[set_name][system]
        cells += [s["retrieval"]["R@5"], s["retrieval"]["MRR@10"], s["work"]["lvl@1"], s["person"]["lvl@1"],
                  s["person"]["lvl±1"]]
    return cells


HEADERS = ["variant", "dev R@5", "dev MRR", "dev work lvl@1", "dev person lvl@1", "dev person ±1",
           "ho R@5", "ho MRR", "ho work lvl@1", "ho person lvl@1", "ho person ±1"]


def plain_text(c: Chunk) -> str:
    return f"{c.context} {c.plain}"


def variants(groups: set[str], ladder: Ladder) -> list[tuple[str, list[Patch]]]:
    """The (name, patches) to score on one index, by group."""
    out: list[tuple[str, list[Patch]]] = []
    if "fusion" in groups:
        for d, lex, k in ((1.0, 1.0, 60), (0.6, 1.0, 60), (1.0, 0.3, 60), (1.0, 0.6, 20), (1.0, 0.6, 10),
                          (1.0, 1.0, 20)):
            out.append((f"fusion dense={d} lexical={lex} k={k}", [fusion(d, lex, k)]))
    if "levels" in groups:
        out += [
            ("levels: top-1 fused score per doc", [levels_patch(per_doc=top_n(1))]),
            ("levels: top-3 sum", [levels_patch(per_doc=top_n(3))]),
            ("levels: geometric 0.5", [levels_patch(per_doc=geometric(0.5))]),
            ("levels: harmonic, first 10 cands", [levels_patch(per_doc=harmonic, depth=10)]),
            ("levels: harmonic / log2(doc size)", [by_size(ladder)]),
            ("levels: best dense cosine per doc", [levels_patch(per_doc=top_n(1), value=lambda c: c.dense)]),
        ]
    if "lexical" in groups:
        out += [
            ("bm25: context+text only", [lexical_fields(plain_text)]),
            ("bm25: + role", [lexical_fields(lambda c: f"{plain_text(c)} {c.key} {c.dimension} {c.role}")]),
            ("bm25: hyphen compounds joined, -ise = -ize", [lexical_tokens(better_terms)]),
        ]
    if "kinds" in groups:
        out += [
            ("search: no overview chunks", [search_kinds(ROLE_KINDS)]),
            ("search: expectation+example only", [search_kinds(("expectation", "example"))]),
        ]
    if "combos" in groups:
        out += [
            ("fusion 1/1 k=20 + top-3 levels", [fusion(1.0, 1.0, 20), levels_patch(per_doc=top_n(3))]),
            ("fusion 0.6/1 + top-3 levels", [fusion(0.6, 1.0, 60), levels_patch(per_doc=top_n(3))]),
            ("fusion 1/1 k=20 + geometric 0.5", [fusion(1.0, 1.0, 20), levels_patch(per_doc=geometric(0.5))]),
        ]
    if "combos2" in groups:
        top1, geo = levels_patch(per_doc=top_n(1)), levels_patch(per_doc=geometric(0.5))
        out += [
            ("fusion 1/0.6 k=10 + top-1 levels", [fusion(1.0, 0.6, 10), top1]),
            ("fusion 1/0.6 k=10 + geometric 0.5", [fusion(1.0, 0.6, 10), geo]),
            ("fusion 1/1 k=20 + top-1 levels", [fusion(1.0, 1.0, 20), top1]),
            ("fusion 1/0.8 k=20 + geometric 0.5", [fusion(1.0, 0.8, 20), geo]),
            ("fusion 1/0.8 k=20 + top-1 levels", [fusion(1.0, 0.8, 20), top1]),
            ("fusion 1/0.6 k=10 + geometric 0.5 + no overview", [fusion(1.0, 0.6, 10), geo, search_kinds(ROLE_KINDS)]),
        ]
    if "final" in groups:
        best = [fusion(1.0, 0.6, 10), levels_patch(per_doc=top_n(1))]
        out += [
            ("fusion 1/0.6 k=10 + top-1 levels", best),
            ("... + bm25 hyphen/-ise tokens", best + [lexical_tokens(better_terms)]),
            ("... + no overview chunks", best + [search_kinds(ROLE_KINDS)]),
            ("... + bm25 context+text only", best + [lexical_fields(plain_text)]),
        ]
    return out


def slim(results: dict[str, Any]) -> dict[str, Any]:
    """Only Ladder's and fit's summaries (dense and BM25 alone do not change with the knobs)."""
    return {
        name: {set_name: {system: summary for system, summary in by_system.items() if system not in ("dense", "bm25")}
               for set_name, by_system in result.items()}
        for name, result in results.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--only", default="fusion,levels,lexical,kinds,combos",
                        help="groups to run on each index: fusion, levels, lexical, kinds, combos, combos2, final")
    parser.add_argument("--embed", default="current,text,text-role",
                        help=f"embedding texts, one index each: {', '.join(EMBED_TEXTS)}")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--hnsw", action="store_true",
                        help="score variants with Chroma's approximate search (default: exact, so that "
                        "variants are not confounded by which neighbours one HNSW build happens to miss)")
    parser.add_argument("--json", type=Path, default=RESULTS / "experiments.json")
    args = parser.parse_args(argv)
    groups = set(args.only.split(",")) if args.only else set()
    results: dict[str, dict[str, Any]] = {}
    rows: list[list[Any]] = []
    print(table(HEADERS, []), flush=True)

    def run(name: str, ladder: Ladder, queries: list[Any], patches: list[Patch], fit: bool = False) -> None:
        results[name] = score(ladder, queries, patches, fit)
        new = [row(name, results[name])]
        if fit:
            new.append(row(name + " [fit]", results[name], "ladder-fit"))
            new += [row(f"{name} [fit+bm25 {w}]", results[name], f"fit+bm25 {w}") for w in FIT_LEXICAL_WEIGHTS]
        rows.extend(new)
        for line in table(HEADERS, new).splitlines()[2:]:
            print(line, flush=True)

    for embed in args.embed.split(","):
        with mock.patch.object(Chunk, "embed_text", EMBED_TEXTS[embed]), \
                indexed_ladder(args.corpus, None, threads=args.threads) as (ladder, _):
            queries = load(["dev", "heldout"], ladder.corpus())
            base: list[Patch] = [] if args.hnsw else [exact_dense(ladder)]
            if not args.hnsw:
                run(f"embed={embed} (Chroma HNSW)", ladder, queries, [])
            run(f"embed={embed}", ladder, queries, base, fit=True)
            for name, patches in variants(groups, ladder):
                run(f"embed={embed} | {name}", ladder, queries, base + patches)
    print()
    print(table(HEADERS, rows))
    write_json(args.json, {"code": code_version(), "command": "benchmarks/experiments.py " + " ".join(
        argv if argv is not None else sys.argv[1:]), "headers": HEADERS, "rows": rows, "results": slim(results)})
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
