"""Hybrid retrieval: dense (Chroma) and lexical (BM25) candidates, fused by reciprocal rank,
filtered the same way on both sides, with identical bullets grouped into one result."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from index import Chunk, QueryError, VectorStore

from .corpus import Corpus
from .lexical import expand_terms, matched_terms
from .nearest import EXACT_MAX as EXACT_MAX  # re-exported: the names this module had
from .nearest import OVERFETCH_MARGIN as OVERFETCH_MARGIN
from .nearest import OVERFETCH_MAX as OVERFETCH_MAX
from .nearest import _exact_subsets as _exact_subsets
from .nearest import chroma_where as chroma_where
from .nearest import corpus_mask, nearest_allowed
from .results import Filters, LevelScore, Placement, SearchResponse, SearchResult
from .strength import PARTIAL_AT as PARTIAL_AT  # re-exported: the names this module had
from .strength import STRONG_AT as STRONG_AT
from .strength import strength
from .text import clean_input

MAX_QUERY_CHARS = 2000
MAX_K = 100
MODES = ("hybrid", "dense", "lexical")
#: Reciprocal-rank fusion constant: 10 lets a first place on one side count (measured: MRR +0.07).
_RRF_K = 10
#: Dense and lexical weights in the fusion: meaning matters more than shared words.
DENSE_WEIGHT = 1.0
LEXICAL_WEIGHT = 0.6
#: The weight of the dense list for the query without the names it mentions (``topic_of``):
#: measured on the dev-eval search set MRR@10 +0.02 (40 queries), on benchmarks/quality.py's dev
#: set -0.01 (104 queries), R@5 unchanged on both: noise-sized. Boosting the documents or the
#: dimension a query names was tried and dropped (dev-eval +0.02, quality dev -0.03).
TOPIC_WEIGHT = 1.0
#: Overview passages (README text: no level) that rank among a search's results are listed apart,
#: this many at most, and the results are role documents' bullets. Measured on the dev-eval search
#: set: recall@5 0.74 -> 0.76, MRR@10 0.77 -> 0.79 (README text took a top-5 place in 9 of 40
#: queries); our own sets unchanged (R@5 0.917 / 0.844, MRR@10 0.887 / 0.891).
OVERVIEWS_APART = 3
#: Bullets of the tracks a query names by their domain ("the support team", "SRE", "cloud":
#: ``understand.tracks_said``) weigh this much more in the fusion. Measured on the dev-eval search
#: set (40 queries): recall@5 0.80 -> 0.85, MRR@10 0.81 -> 0.85, with no query worse; our own sets
#: unchanged (x1.5: 0.84 / 0.85; x3: as x2). Job titles ("the analysts") do not count.
TRACK_BOOST = 2.0


@dataclass(frozen=True, slots=True)
class Candidate:
    chunk: Chunk
    score: float
    dense: float  # cosine similarity, 0 when only lexical found it
    dense_rank: int
    lexical_rank: int


def clean_query(query: str) -> tuple[str, str]:
    """The query to use and a notice when it was shortened.

    Raises:
        QueryError: the query is empty or only whitespace/control characters.
    """
    return clean_input(
        query, limit=MAX_QUERY_CHARS, what="query",
        empty="the query is empty; describe your work or a topic, e.g. 'mentoring'",
        hint="use `ladder fit` for long documents",
    )


def resolve_filters(filters: Filters, corpus: Corpus) -> dict[str, list[str]]:
    """Filter settings -> the exact stored values each one allows.

    Raises:
        QueryError: a value matches nothing in the index; the message lists the valid ones.
    """
    allowed: dict[str, list[str]] = {}
    for name in ("level", "role", "track", "dimension", "kind"):
        wanted = getattr(filters, name).strip()
        if not wanted:
            continue
        values = corpus.values[name]
        if name in ("role", "track"):
            hits = [v for v in values if wanted.lower() in v.lower()]
        else:
            norm = wanted.lower().lstrip("l") if name == "level" else wanted.lower()
            hits = [
                v for v in values
                if (v.lower().lstrip("l") if name == "level" else v.lower()) == norm
            ]
        if not hits:
            raise QueryError(
                f"--{name} {wanted!r} matches nothing in the index; valid values: "
                + ", ".join(values)
            )
        allowed[name] = hits
    return allowed



def candidates(
    vector: np.ndarray,
    query_terms: list[str],
    corpus: Corpus,
    store: VectorStore,
    allowed: dict[str, list[str]],
    depth: int,
    kinds: Sequence[str] = (),
    mode: str = "hybrid",
    topic_vector: np.ndarray | None = None,
    tracks: Sequence[str] = (),
) -> list[Candidate]:
    """Dense and lexical candidates fused by weighted reciprocal rank, best first.

    ``mode`` "dense" or "lexical" uses one side only (for benchmarks and comparisons).
    ``topic_vector``: the embedding of the query without the names it mentions (``topic_of``),
    a second dense list fused with ``TOPIC_WEIGHT``. ``tracks``: the tracks the query names;
    their chunks' fused scores are multiplied by ``TRACK_BOOST``.
    """
    if mode not in MODES:
        raise QueryError(f"--mode {mode!r}: choose one of {', '.join(MODES)}")
    mask = corpus_mask(corpus, allowed, kinds)
    dense = nearest_allowed(store, corpus, vector[None, :], depth, allowed, kinds, mask)[0] if mode != "lexical" else []
    lexical = corpus.lexical(query_terms, depth, mask) if mode != "dense" else []
    scores: dict[str, float] = {}
    sims: dict[str, float] = {}
    d_rank: dict[str, int] = {}
    l_rank: dict[str, int] = {}
    for rank, (cid, similarity) in enumerate(dense):
        if cid not in corpus.by_id:
            continue  # the generation changed under us; the corpus is the truth
        scores[cid] = scores.get(cid, 0.0) + DENSE_WEIGHT / (_RRF_K + rank + 1)
        sims[cid], d_rank[cid] = similarity, rank + 1
    if topic_vector is not None and mode != "lexical":
        topical = nearest_allowed(store, corpus, topic_vector[None, :], depth, allowed, kinds, mask)[0]
        # nothing in common (similarity 0) is no evidence, and its ties come back in any order
        topical = sorted((h for h in topical if h[1] > 1e-6), key=lambda hit: (-round(hit[1], 6), hit[0]))
        for rank, (cid, similarity) in enumerate(topical):
            if cid not in corpus.by_id:
                continue
            scores[cid] = scores.get(cid, 0.0) + TOPIC_WEIGHT / (_RRF_K + rank + 1)
            if cid not in sims:
                sims[cid] = similarity
    for rank, (pos, _score) in enumerate(lexical):
        cid = corpus.chunks[pos].id
        scores[cid] = scores.get(cid, 0.0) + LEXICAL_WEIGHT / (_RRF_K + rank + 1)
        l_rank[cid] = rank + 1
    if tracks:
        inside = _in_tracks(frozenset(tracks), corpus)
        scores = {c: s * TRACK_BOOST if inside(corpus.by_id[c]) else s for c, s in scores.items()}
    ordered = sorted(scores, key=lambda c: (-scores[c], -sims.get(c, 0.0), c))
    return [
        Candidate(corpus.by_id[c], scores[c], sims.get(c, 0.0), d_rank.get(c, 0), l_rank.get(c, 0))
        for c in ordered
    ]


def _in_tracks(tracks: frozenset[str], corpus: Corpus) -> Callable[[Chunk], bool]:
    """Whether a chunk belongs to ``tracks``: its document's track is one of them, or it is an
    overview page in a folder that holds their documents (``Security-Operations/README.md`` for
    the Security Analyst track)."""
    folders: set[str] = set()
    for doc in corpus.documents.values():
        if doc.track in tracks:
            parts = doc.path.split("/")[:-1]
            folders.update("/".join(parts[:n]) for n in range(1, len(parts) + 1))

    def inside(chunk: Chunk) -> bool:
        if chunk.track in tracks:
            return True
        return chunk.kind == "overview" and chunk.path.rpartition("/")[0] in folders

    return inside


def search(
    query: str,
    corpus: Corpus,
    store: VectorStore,
    vector: np.ndarray,
    *,
    k: int = 10,
    filters: Filters | None = None,
    notice: str = "",
    mode: str = "hybrid",
    topic_vector: np.ndarray | None = None,
    overviews_apart: bool = True,
    tracks: Sequence[str] = (),
) -> SearchResponse:
    """Hybrid search for an already-cleaned query whose embedding is ``vector`` (and, when it
    names roles, ``topic_vector``: the embedding of the rest of it, see ``candidates``).

    ``overviews_apart``: overview passages go to ``SearchResponse.overviews`` instead of taking
    places among the bullets (unless the filters ask for overviews); False mixes them in, by rank
    (what answering reads). ``tracks``: the tracks the query names (``understand.tracks_said``),
    whose chunks weigh ``TRACK_BOOST`` times more in the fusion."""
    if not 1 <= k <= MAX_K:
        raise QueryError(f"-k {k}: give a number of results from 1 to {MAX_K}")
    allowed = resolve_filters(filters or Filters(), corpus)
    depth = max(50, 4 * k)
    fused = candidates(vector, expand_terms(query, corpus), corpus, store, allowed, depth, mode=mode,
                       topic_vector=topic_vector, tracks=tracks)
    searchable = corpus.searchable
    fused = [c for c in fused if searchable[corpus.position[c.chunk.id]]]
    # a framework of overview pages only (no role documents found) has nothing else to show
    apart = overviews_apart and "overview" not in allowed.get("kind", ()) and bool(corpus.documents)
    picked: list[Candidate] = []
    aside: list[Candidate] = []
    seen_groups: set[tuple[str, ...]] = set()
    for cand in fused:
        group = corpus.group_of.get(cand.chunk.id, (cand.chunk.id,))
        if group in seen_groups:
            continue
        seen_groups.add(group)
        if apart and cand.chunk.kind == "overview":
            if len(aside) < OVERVIEWS_APART:
                aside.append(cand)
            continue
        picked.append(cand)
        if len(picked) >= k:
            break
    sims = _similarities(picked + aside, store, vector, mode)
    results = [_result(cand, query, corpus, sims, mode) for cand in picked]
    levels = _with_similarity(rank_levels(fused[:depth], corpus), fused, corpus, sims)
    overviews = tuple(_result(cand, query, corpus, sims, mode) for cand in aside)
    return SearchResponse(query=query, results=tuple(results), levels=levels, notice=notice, overviews=overviews)


def _result(cand: Candidate, query: str, corpus: Corpus, sims: dict[str, float], mode: str) -> SearchResult:
    c = cand.chunk
    group = corpus.group_of.get(c.id, (c.id,))
    others = tuple(
        Placement(o.id, o.level, o.role, o.track, o.dimension, o.path, o.line)
        for o in sorted((corpus.by_id[g] for g in group if g != c.id), key=_place_order)
    )
    return SearchResult(
        id=c.id, text=c.text, plain=c.plain, kind=c.kind, dimension=c.dimension,
        level=c.level, role=c.role, track=c.track, path=c.path, line=c.line,
        score=sims.get(c.id, 0.0), also_in=others, matched_terms=matched_terms(query, c),
        context=c.context, key=c.key,
        # word matches alone (no model yet) have no similarity to put in words
        strength=strength(sims.get(c.id, 0.0)) if mode != "lexical" else "",
    )


def _similarities(
    picked: list[Candidate], store: VectorStore, vector: np.ndarray, mode: str
) -> dict[str, float]:
    """Cosine similarity of the query to each picked chunk: the score shown, on one scale for
    every query (lexical-only candidates are looked up; the lexical mode has no vector: 0)."""
    sims = {c.chunk.id: c.dense for c in picked if c.dense_rank}
    missing = [c.chunk.id for c in picked if not c.dense_rank]
    if missing and mode != "lexical" and vector.shape[0] > 1:
        stored = store.vectors(missing)
        query = np.asarray(vector, dtype=np.float32)
        for cid, vec in stored.items():
            sims[cid] = float(np.dot(np.asarray(vec, dtype=np.float32), query))
    return {cid: max(0.0, min(1.0, sim)) for cid, sim in sims.items()}


def rank_levels(fused: list[Candidate], corpus: Corpus, top: int = 5) -> tuple[LevelScore, ...]:
    """Role documents ranked by their best-matching chunk (a group counts for every document
    it appears in); more matches only break ties, so large documents do not win by size.
    Scores are relative to the best document (1.0); ``search`` shows similarities instead."""
    best_of: dict[str, float] = {}
    depth: dict[str, float] = {}
    evidence: dict[str, list[str]] = {}
    top_score = fused[0].score if fused else 1.0
    for cand in fused:
        for cid in corpus.group_of.get(cand.chunk.id, (cand.chunk.id,)):
            chunk = corpus.by_id[cid]
            if not chunk.level:
                continue
            key = corpus.key_of(chunk)  # one file may hold several levels
            seen = evidence.setdefault(key, [])
            if cid in seen:
                continue
            score = cand.score / top_score
            best_of.setdefault(key, score)
            depth[key] = depth.get(key, 0.0) + score / (len(seen) + 1)
            seen.append(cid)
    totals = {p: best_of[p] + 0.01 * depth[p] for p in best_of}
    ranked = sorted(totals, key=lambda p: -totals[p])[:top]
    if not ranked:
        return ()
    norm = totals[ranked[0]]
    return tuple(
        LevelScore(
            corpus.documents[p].level, corpus.documents[p].role, corpus.documents[p].track, corpus.documents[p].path,
            totals[p] / norm, tuple(evidence[p][:5]),
        )
        for p in ranked
    )


def _with_similarity(
    levels: tuple[LevelScore, ...], fused: list[Candidate], corpus: Corpus, sims: dict[str, float]
) -> tuple[LevelScore, ...]:
    """Each document's score as the similarity of its best bullet to the query (same scale as results)."""
    similarity = {c.chunk.id: c.dense for c in fused if c.dense_rank}
    similarity.update(sims)
    out = []
    for lv in levels:
        group = corpus.group_of.get(lv.evidence[0], (lv.evidence[0],)) if lv.evidence else ()
        out.append(replace(lv, score=max((similarity.get(g, 0.0) for g in group), default=0.0)))
    return tuple(out)


def _place_order(c: Chunk) -> tuple[str, float, str]:
    return (c.track, c.level_num, c.role)
