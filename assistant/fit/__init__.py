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

import math
from collections import defaultdict

import numpy as np

from index import Chunk, QueryError, VectorStore

from ..corpus import ROLE_KINDS, Corpus, RoleDocument
from ..names import is_management_role
from ..results import Filters, FitReport, Gap, Inherited, RoleFit, StatementMatch, TrackCall
from ..retrieve import candidates, corpus_mask, nearest_allowed, rank_levels, resolve_filters
from ..text import clean_input, split_statements, terms
from .bands import COVERED, SHOW, estimate_band
from .family import below_guided, says_family, unsaid_specialisms
from .frame import expectations_of, frame
from .scope import horizon_months, scope_match, scope_signals
from .statements import Evidence, classify
from .titles import named_levels, named_tracks, self_descriptions
from .tracks import call_of as track_call
from .tracks import shares as decide_shares

__all__ = ["Evidence", "classify", "clean_fit_text", "fit", "horizon_months", "scope_signals"]

MAX_FIT_CHARS = 50_000
#: Dense candidates fetched per statement.
DEPTH = 400
#: A statement's match counts fully when within about this much cosine of its best match.
TEMPERATURE = 0.04
#: Below this cosine a statement is unrelated to the framework and counts for nothing.
FLOOR = 0.25
FULL = 0.55
SCOPE_WEIGHT = 0.6
#: How much the BM25 ranking of the whole text adds, relative to the best fit score.
#: Measured on benchmarks/quality.py (fit level@1, dev / held-out person): 0 -> 0.833 / 0.909,
#: 0.4 -> 0.833 / 1.0, 0.8 -> 0.861 / 1.0; work queries 0.85 -> 0.875 on dev.
LEXICAL_WEIGHT = 0.8
#: A level the writer names ("senior SRE") adds this part of the track's best score.
NAMED_LEVEL = 0.5
#: A stub document scores this part of the fuller document of its level it refers to.
STUB_SHARE = 0.95
#: A document of the other ladder (people manager or individual contributor) than the one the
#: writer says they are on keeps this part of its score. Matters where both ladders share a track
#: (Support engineers and managers in one folder). dev-eval fit unchanged (path@1 0.90): the
#: Support principal who wrote "IC (no reports)" is no longer read as the L4 Support Manager
#: (now L4 Lead, exceeding: still one level off).
FAMILY_MISMATCH = 0.5
#: A document whose role name adds a word to a sibling's at the same level of its track (Senior
#: *Cloud* Security Engineer beside Senior Security Engineer) keeps this part of its score when
#: the text never says that word: the specialism is not shown. dev-eval fit path@1 0.90 -> 0.92.
UNSAID_SPECIALISM = 0.9
#: A document at or below the level of someone the writer mentors, coaches or manages keeps this
#: part of its score.
GUIDES_ABOVE = 0.5
#: A lower level of the best's track goes first when it scores at least this part of the best
#: (and no gaps are named): the text is that level, exceeding.
EXCEEDING_SHARE = 0.8


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
    evidence: Evidence | None = None,
) -> FitReport:
    """Rank role documents for ``statements`` whose embeddings are ``statement_vectors``:
    the track first, then the level within it, then the band within the level."""
    if evidence is None:
        evidence = Evidence(tuple(statements if statements is not None else split_statements(text)))
    statements = list(evidence.statements)
    if statement_vectors is None or not statements:
        raise QueryError("nothing to fit: describe your work in a sentence or more")
    allowed = resolve_filters(filters or Filters(), corpus)
    allowed.pop("kind", None)
    role_mask = corpus_mask(corpus, allowed, ROLE_KINDS)
    role_chunks = int(np.count_nonzero(role_mask)) if role_mask is not None else len(corpus.chunks)
    hits = nearest_allowed(store, corpus, statement_vectors, min(DEPTH, max(role_chunks, 1)), allowed, ROLE_KINDS)

    # best[s][doc] = (similarity, chunk id, dimension) of statement s's best match in a document
    best: list[dict[str, tuple[float, str, str]]] = []
    for row in hits:
        per_doc: dict[str, tuple[float, str, str]] = {}
        for cid, similarity in row:
            for gid in corpus.group_of.get(cid, (cid,)):  # a shared bullet matches every copy
                chunk = corpus.by_id.get(gid)
                if chunk is None or not chunk.level or not _allowed(chunk, allowed):
                    continue
                key = corpus.key_of(chunk)  # a file may hold several levels
                if similarity > per_doc.get(key, (-1.0, "", ""))[0]:
                    per_doc[key] = (similarity, chunk.id, chunk.dimension or chunk.kind)
        best.append(per_doc)
    docs = {p: corpus.documents[p] for p in {p for per_doc in best for p in per_doc}}
    if not docs:
        raise QueryError("nothing to fit: no role document matches the filters")
    qualities = [_quality(per_doc) for per_doc in best]

    # 1. the track
    tracks = sorted({d.track for d in docs.values()})
    by_track = [
        {t: max((v[0] for p, v in per_doc.items() if docs[p].track == t), default=0.0) for t in tracks}
        for per_doc in best
    ]
    derived = frame(corpus)
    spans = self_descriptions(evidence.headline, text)
    mentions = named_tracks(spans, derived.track_words, derived.roles)
    if "track" in allowed and len(tracks) == 1:
        call = TrackCall(tracks[0], 1.0, given=True)
        shares = {call.track: 1.0}
    else:
        lexical_tracks = _lexical_by_track(statements, corpus, corpus_mask(corpus, allowed, ROLE_KINDS))
        shares = decide_shares(by_track, qualities, mentions, tracks, lexical_tracks)
        call = track_call(shares)

    # 2. the level, within each track (documents scored against their own track's best match)
    scope_text = scope_signals(" ".join(statements))
    scores: dict[str, float] = {}
    matches: dict[str, dict[str, list[StatementMatch]]] = {}
    scope_of: dict[str, dict[str, float]] = {}
    dims: dict[str, dict[str, float]] = defaultdict(dict)
    for s, per_doc in enumerate(best):
        quality = qualities[s]
        for path, (sim, cid, dim) in per_doc.items():
            top_sim = by_track[s][docs[path].track]
            weight = quality * math.exp((sim - top_sim) / TEMPERATURE)
            # noisy-or inside a dimension: the n-th statement about one thing adds less
            prev = dims[path].get(dim, 0.0)
            dims[path][dim] = 1.0 - (1.0 - prev) * (1.0 - weight)
            if sim >= SHOW:
                chunk = corpus.by_id[cid]
                matches.setdefault(path, {}).setdefault(chunk.dimension or chunk.kind.title(), []).append(
                    StatementMatch(s, cid, chunk.plain, chunk.kind, chunk.dimension, sim, chunk.line)
                )
    for path, per_dim in dims.items():
        closeness = scope_match(scope_text, docs[path])
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
            key = _key(corpus, lv.path, lv.level)
            if key in scores:
                scores[key] += LEXICAL_WEIGHT * scale * lv.score
    for path in docs:
        # a document that only points at another of its level ("equivalent to a Junior
        # Software Engineer, except ...") fits as well as that one, but not better by itself
        other = derived.stubs.get(path)
        if other in scores:
            scores[path] = max(scores.get(path, 0.0), STUB_SHARE * scores[other])
    named = named_levels(spans, {k: w for k, w in derived.level_words.items() if k in docs})
    if named:  # the writer says which level they are at ("senior SRE"): strong evidence
        top_of: dict[str, float] = defaultdict(float)
        for path, score in scores.items():
            top_of[docs[path].track] = max(top_of[docs[path].track], score)
        for path, share in named.items():
            if path in scores:
                scores[path] += NAMED_LEVEL * top_of[docs[path].track] * share
    family = says_family(text)
    if family:  # "I manage the support managers" / "IC, no reports": the other ladder of the track fits less
        for path in scores:
            if is_management_role(docs[path].role) != (family == "manager"):
                scores[path] *= FAMILY_MISMATCH
    for path in below_guided(docs, derived.level_words, " ".join(statements)) & scores.keys():
        scores[path] *= GUIDES_ABOVE  # "mentor the two support leads": the writer is above a lead
    for path in unsaid_specialisms(docs, text):
        if path in scores:  # "Senior Cloud Security Engineer" beside "Senior Security Engineer", no cloud said
            scores[path] *= UNSAID_SPECIALISM
    in_track_best: dict[str, float] = defaultdict(float)
    for path, score in scores.items():
        in_track_best[docs[path].track] = max(in_track_best[docs[path].track], score)
    final = {p: shares.get(docs[p].track, 0.0) * sc / (in_track_best[docs[p].track] or 1.0) for p, sc in scores.items()}
    ranked_paths = sorted(final, key=lambda p: (-final[p], -scores[p], docs[p].level_num, p))
    moved_down = _prefer_exceeding(ranked_paths, docs, scores, evidence.gaps)
    exceeding = moved_down[:1] != ranked_paths[:1]
    if exceeding:  # the next level's evidence counts for this level, as exceeding it
        final[moved_down[0]] = final[ranked_paths[0]]
    ranked_paths = moved_down
    ranking = tuple(
        RoleFit(
            level=docs[p].level,
            role=docs[p].role,
            track=docs[p].track,
            path=docs[p].path,
            key=p,
            score=final[p],
            dimensions={
                d: tuple(sorted(ms, key=lambda m: -m.similarity))
                for d, ms in sorted(matches.get(p, {}).items())
            },
            scope=scope_of.get(p, {}),
        )
        for p in ranked_paths[:top]
    )
    confidence, note = _confidence(ranking, best, corpus, call, scores, exceeding)
    next_up, gaps = _gaps(ranking, corpus, store, statement_vectors, scores) if with_gaps else (None, ())
    band = (
        estimate_band(
            corpus.documents[ranking[0].key], corpus.documents[derived.stubs.get(ranking[0].key, ranking[0].key)],
            corpus, store, statement_vectors, best, evidence.gaps, exceeding=exceeding,
        )
        if ranking else None
    )
    return FitReport(
        statements=tuple(statements),
        ranking=ranking,
        confidence=confidence,
        confidence_note=note,
        next_up=next_up,
        gaps=gaps,
        track=call,
        band=band,
        ignored=evidence.ignored,
        inherited=_inherited(corpus.documents[ranking[0].key], corpus, store, statement_vectors) if ranking else (),
    )


def _prefer_exceeding(
    ranked: list[str], docs: dict[str, RoleDocument], scores: dict[str, float], gaps_named: int
) -> list[str]:
    """A level fully shown plus some of a higher one is that level, exceeding, not the higher
    level maturing: when a lower level of the best document's track scores close behind it
    (``EXCEEDING_SHARE``) and the writer names no gaps, the best-scoring such level goes first.
    Any lower level, not only the adjacent one: a level's own evidence weighs more than a few
    generic matches two levels up (dev-eval fit path@1 0.88 -> 0.90, level within one 0.98 ->
    1.00; benchmarks/quality.py fit level@1 0.853 -> 0.863)."""
    if not ranked or gaps_named:
        return ranked
    top = docs[ranked[0]]
    below = [p for p in ranked[1:] if docs[p].track == top.track and docs[p].level_num < top.level_num]
    if not below:
        return ranked
    candidate = max(below, key=lambda p: scores[p])
    if scores[candidate] >= EXCEEDING_SHARE * scores[ranked[0]]:
        return [candidate, *(p for p in ranked if p != candidate)]
    return ranked


def _inherited(doc: RoleDocument, corpus: Corpus, store: VectorStore, vectors: np.ndarray) -> tuple[Inherited, ...]:
    """The expectations ``doc`` builds on, from other documents, and how many the text covers."""
    out = []
    for source in corpus.inherited(doc):
        bullets = expectations_of(source)
        if not bullets:
            continue
        stored = store.vectors([c.id for c in bullets])
        covered = sum(
            1 for c in bullets
            if c.id in stored and len(vectors) and float(np.max(vectors @ stored[c.id])) >= SHOW
        )
        out.append(Inherited(source.label, source.path, tuple(c.plain for c in bullets), covered))
    return tuple(out)


def _key(corpus: Corpus, path: str, level: str) -> str:
    """The corpus key of the role document at ``path`` and ``level``."""
    several = f"{path}#{level}"
    return several if several in corpus.documents else path


def _allowed(chunk: Chunk, allowed: dict[str, list[str]]) -> bool:
    return all(getattr(chunk, name) in values for name, values in allowed.items())


def _quality(per_doc: dict[str, tuple[float, str, str]]) -> float:
    """How well a statement matches the framework at all: 0 below ``FLOOR``, 1 from ``FULL``."""
    if not per_doc:
        return 0.0
    top_sim = max(v[0] for v in per_doc.values())
    return min(1.0, max(0.0, (top_sim - FLOOR) / (FULL - FLOOR)))


def _lexical_by_track(statements: list[str], corpus: Corpus, mask: np.ndarray | None) -> list[dict[str, float]]:
    """Per statement, its best BM25 score in each track."""
    out = []
    for statement in statements:
        best: dict[str, float] = {}
        for pos, score in corpus.lexical(terms(statement), 50, mask):
            chunk = corpus.chunks[pos]
            if chunk.level and score > best.get(chunk.track, 0.0):
                best[chunk.track] = score
        out.append(best)
    return out


def _confidence(
    ranking: tuple[RoleFit, ...], best: list[dict[str, tuple[float, str, str]]], corpus: Corpus,
    call: TrackCall, scores: dict[str, float], exceeding: bool = False,
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
    if call.close:
        return "track unclear", (
            f"The work reads like {call.track} ({call.confidence:.0%} of the evidence) but also like "
            f"{call.runner_up} ({call.runner_up_confidence:.0%}). {first.label} fits best if {call.track} "
            f"is your track; pick your track to be sure."
        )
    same_track = [r for r in ranking if r.track == first.track]
    if exceeding and len(same_track) > 1:
        above = same_track[1]
        return "split", (
            f"Between {first.label} and {above.label}: it reads as {first.label}, exceeding: the work "
            f"shows the level and some of a higher one ({above.label} scores {scores[above.key]:.2f} on its own "
            f"against {scores[first.key]:.2f})."
        )
    if len(same_track) > 1:
        second = same_track[1]
        close = scores[second.key] >= 0.9 * scores[first.key]
        lv_a = corpus.documents[first.key].level_num
        lv_b = corpus.documents[second.key].level_num
        if close and abs(lv_a - lv_b) <= 1 and lv_a != lv_b:
            low, high = sorted((first, second), key=lambda r: corpus.documents[r.key].level_num)
            return "split", (
                f"Split between {low.label} and {high.label}: the evidence supports both about "
                f"equally ({scores[first.key]:.2f} vs {scores[second.key]:.2f})."
            )
    return "clear", f"{first.label} fits best, ahead of the next level by a clear margin."


def _gaps(
    ranking: tuple[RoleFit, ...],
    corpus: Corpus,
    store: VectorStore,
    vectors: np.ndarray,
    scores: dict[str, float],
) -> tuple[RoleFit | None, tuple[Gap, ...]]:
    if not ranking:
        return None, ()
    candidates = corpus.next_level(corpus.documents[ranking[0].key])
    if not candidates:
        return None, ()
    nxt = max(candidates, key=lambda d: (scores.get(d.key, 0.0), d.role))
    expectations = expectations_of(nxt)
    stored = store.vectors([c.id for c in expectations])
    gaps = []
    for chunk in expectations:
        vec = stored.get(chunk.id)
        sim = float(np.max(vectors @ vec)) if vec is not None and len(vectors) else 0.0
        if sim < COVERED:
            gaps.append(Gap(chunk.id, chunk.plain, chunk.dimension, chunk.path, chunk.line, sim))
    next_fit = next((r for r in ranking if r.key == nxt.key), None) or RoleFit(
        nxt.level, nxt.role, nxt.track, nxt.path, scores.get(nxt.key, 0.0), key=nxt.key
    )
    return next_fit, tuple(gaps)


def clean_fit_text(text: str) -> tuple[str, str]:
    """The text to fit and a notice when it was shortened."""
    return clean_input(
        text, limit=MAX_FIT_CHARS, what="text",
        empty="nothing to fit: paste a description of your work (or use --file FILE)",
    )

