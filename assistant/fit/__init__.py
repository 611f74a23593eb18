"""Level fit: which role documents does a description of someone's work match, and why.

The input is split into statements; each statement is matched to the framework's bullets
(expectations, examples, summaries, attributes). A role document scores for every statement
whose best match in it is close to that statement's best match anywhere (so shared, generic
bullets do not decide the ranking), with diminishing returns inside a dimension so that
evidence spread across dimensions counts more than many statements about one thing. Scope
signals (planning horizon, impact radius, autonomy) stated in the text are compared with each
document's attributes and added on top. Every number is traceable to statements and bullets.
"""

from __future__ import annotations

import functools
import math
import re
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from index import QueryError, VectorStore

from ..corpus import ROLE_KINDS, Corpus, RoleDocument
from ..results import Filters, FitReport, Gap, RoleFit, StatementMatch
from ..retrieve import candidates, nearest_allowed, rank_levels, resolve_filters
from ..text import clean_input, split_statements, terms
from .scope import horizon_months, scope_match, scope_signals

__all__ = ["clean_fit_text", "fit", "horizon_months", "scope_signals"]

MAX_FIT_CHARS = 50_000
#: Dense candidates fetched per statement.
DEPTH = 60
#: A statement's match counts fully when within about this much cosine of its best match.
TEMPERATURE = 0.04
#: Below this cosine a statement is unrelated to the framework and counts for nothing.
FLOOR = 0.25
FULL = 0.55
#: Evidence shown for a document: matches at least this strong.
SHOW = 0.35
#: An expectation of the next level counts as covered at this similarity.
COVERED = 0.5
SCOPE_WEIGHT = 0.6
#: How much the BM25 ranking of the whole text adds, relative to the best fit score.
#: Measured on benchmarks/quality.py (fit level@1, dev / held-out person): 0 -> 0.833 / 0.909,
#: 0.4 -> 0.833 / 1.0, 0.8 -> 0.861 / 1.0; work queries 0.85 -> 0.875 on dev.
LEXICAL_WEIGHT = 0.8


@dataclass(frozen=True, slots=True)
class _Match:
    chunk_id: str
    similarity: float


def fit(
    text: str,
    corpus: Corpus,
    store: VectorStore,
    statement_vectors: np.ndarray | None,
    *,
    statements: list[str] | None = None,
    filters: Filters | None = None,
    top: int = 10,
    with_gaps: bool = True,
) -> FitReport:
    """Rank role documents for ``statements`` whose embeddings are ``statement_vectors``."""
    statements = statements if statements is not None else split_statements(text)
    if statement_vectors is None or not statements:
        raise QueryError("nothing to fit: describe your work in a sentence or more")
    allowed = resolve_filters(filters or Filters(), corpus)
    allowed.pop("kind", None)
    hits = nearest_allowed(store, corpus, statement_vectors, DEPTH, allowed, ROLE_KINDS)

    # best[s][path] = (similarity, chunk id, dimension) of statement s's best match in a doc
    best: list[dict[str, tuple[float, str, str]]] = []
    for row in hits:
        per_doc: dict[str, tuple[float, str, str]] = {}
        for cid, similarity in row:
            chunk = corpus.by_id.get(cid)
            if chunk is None or not chunk.level:
                continue
            if similarity > per_doc.get(chunk.path, (-1.0, "", ""))[0]:
                per_doc[chunk.path] = (similarity, chunk.id, chunk.dimension or chunk.kind)
        best.append(per_doc)

    scope_text = scope_signals(" ".join(statements))
    scores: dict[str, float] = {}
    evidence: dict[str, dict[str, list[StatementMatch]]] = {}
    scope_of: dict[str, dict[str, float]] = {}
    dims: dict[str, dict[str, float]] = defaultdict(dict)
    for s, per_doc in enumerate(best):
        if not per_doc:
            continue
        top_sim = max(v[0] for v in per_doc.values())
        quality = min(1.0, max(0.0, (top_sim - FLOOR) / (FULL - FLOOR)))
        for path, (sim, cid, dim) in per_doc.items():
            weight = quality * math.exp((sim - top_sim) / TEMPERATURE)
            # noisy-or inside a dimension: the n-th statement about one thing adds less
            prev = dims[path].get(dim, 0.0)
            dims[path][dim] = 1.0 - (1.0 - prev) * (1.0 - weight)
            if sim >= SHOW:
                chunk = corpus.by_id[cid]
                evidence.setdefault(path, {}).setdefault(chunk.dimension or chunk.kind.title(), []).append(
                    StatementMatch(s, cid, chunk.plain, chunk.kind, chunk.dimension, sim, chunk.line)
                )
    for path, per_dim in dims.items():
        doc = corpus.documents[path]
        closeness = scope_match(scope_text, doc)
        scope_of[path] = closeness
        bonus = SCOPE_WEIGHT * sum(closeness.values()) / len(closeness) if closeness else 0.0
        scores[path] = sum(per_dim.values()) + bonus

    if LEXICAL_WEIGHT and scores:
        # words the framework uses for one level ("junior", "principal", "strategy") are
        # evidence too: add the documents' BM25 ranking for the whole text, scaled to the fit
        lexical = candidates(
            np.zeros(1, dtype=np.float32), terms(" ".join(statements)), corpus, store, allowed, 200,
            ROLE_KINDS, mode="lexical",
        )
        scale = max(scores.values())
        for lv in rank_levels(lexical, corpus, top=len(corpus.documents)):
            if lv.path in scores:
                scores[lv.path] += LEXICAL_WEIGHT * scale * lv.score
    ranked_paths = sorted(scores, key=lambda p: (-scores[p], corpus.documents[p].level_num, p))
    ranking = tuple(
        RoleFit(
            level=corpus.documents[p].level,
            role=corpus.documents[p].role,
            track=corpus.documents[p].track,
            path=p,
            score=scores[p],
            dimensions={
                d: tuple(sorted(ms, key=lambda m: -m.similarity))
                for d, ms in sorted(evidence.get(p, {}).items())
            },
            scope=scope_of.get(p, {}),
        )
        for p in ranked_paths[:top]
    )
    confidence, note = _confidence(ranking, best, corpus)
    next_up, gaps = _gaps(ranking, corpus, store, statement_vectors, scores) if with_gaps else (None, ())
    return FitReport(
        statements=tuple(statements),
        ranking=ranking,
        confidence=confidence,
        confidence_note=note,
        next_up=next_up,
        gaps=gaps,
    )


def _confidence(
    ranking: tuple[RoleFit, ...], best: list[dict[str, tuple[float, str, str]]], corpus: Corpus
) -> tuple[str, str]:
    strong = sum(1 for per_doc in best if per_doc and max(v[0] for v in per_doc.values()) >= 0.45)
    if not ranking or strong == 0:
        return "thin", (
            "Too little evidence to judge: no statement clearly matches the framework. "
            "Describe concrete things you did, one per line."
        )
    first = ranking[0]
    if strong < 2:
        return "thin", (
            f"Thin evidence: only {strong} statement clearly matches the framework. "
            f"{first.label} fits best so far; add more of what you did to be sure."
        )
    if len(ranking) > 1:
        second = ranking[1]
        close = second.score >= 0.9 * first.score
        lv_a = corpus.documents[first.path].level_num
        lv_b = corpus.documents[second.path].level_num
        if close and abs(lv_a - lv_b) <= 1 and lv_a != lv_b:
            low, high = sorted((first, second), key=lambda r: corpus.documents[r.path].level_num)
            return "split", (
                f"Split between {low.label} and {high.label}: the evidence supports both about "
                f"equally ({first.score:.2f} vs {second.score:.2f})."
            )
        if close and lv_a == lv_b:
            return "clear", (
                f"{first.level} fits clearly; the evidence is split between two roles at that level "
                f"({first.role} and {second.role})."
            )
    return "clear", f"{first.label} fits best, ahead of the next role by a clear margin."


def _gaps(
    ranking: tuple[RoleFit, ...],
    corpus: Corpus,
    store: VectorStore,
    vectors: np.ndarray,
    scores: dict[str, float],
) -> tuple[RoleFit | None, tuple[Gap, ...]]:
    if not ranking:
        return None, ()
    candidates = corpus.next_level(corpus.documents[ranking[0].path])
    if not candidates:
        return None, ()
    nxt = max(candidates, key=lambda d: (scores.get(d.path, 0.0), d.role))
    # a bullet that only introduces sub-bullets ("Within my group:") is not itself a gap
    expectations = [c for c in nxt.chunks if c.kind == "expectation" and not c.plain.endswith(":")]
    stored = store.vectors([c.id for c in expectations])
    gaps = []
    for chunk in expectations:
        vec = stored.get(chunk.id)
        sim = float(np.max(vectors @ vec)) if vec is not None and len(vectors) else 0.0
        if sim < COVERED:
            gaps.append(Gap(chunk.id, chunk.plain, chunk.dimension, chunk.path, chunk.line, sim))
    next_fit = next((r for r in ranking if r.path == nxt.path), None) or RoleFit(
        nxt.level, nxt.role, nxt.track, nxt.path, scores.get(nxt.path, 0.0)
    )
    return next_fit, tuple(gaps)


def clean_fit_text(text: str) -> tuple[str, str]:
    """The text to fit and a notice when it was shortened."""
    return clean_input(
        text, limit=MAX_FIT_CHARS, what="text",
        empty="nothing to fit: paste a description of your work (or use --file FILE)",
    )

