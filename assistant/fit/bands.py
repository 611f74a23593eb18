"""The band within a level: maturing, performing or exceeding, estimated from coverage.

Many frameworks grade inside a level (Octopus calls it maturity): *maturing* is ready for the
level but only partly delivering it, *performing* meets most of its expectations, *exceeding*
meets the level and shows behaviours of the next. Ladder estimates it from what the text covers:
how many lines name something not done yet ("haven't led a project yet": maturing), how many
statements read like the next level of the same track rather than this one (two or more, and no
gaps named: exceeding), and, reported beside it, the share of the level's expectations that some
statement matches, per dimension. Where a framework defines no bands, the same numbers are still a
coverage estimate, and the report says so.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from index import VectorStore

from ..corpus import Corpus, RoleDocument
from ..results import Band
from .frame import expectations_of

#: An expectation counts as covered when a statement matches it at least this closely: the same
#: threshold at which a match is shown as evidence (and counted in the app's coverage grid).
SHOW = 0.35
#: An expectation of the next level is listed as a gap when no statement matches it this closely.
COVERED = 0.5
#: A statement reads like the next level when its best match there is this close ...
NEXT_AT = 0.45
#: ... and beats its best match in this level by this much.
NEXT_MARGIN = 0.02
#: Statements of the next level needed for exceeding.
EXCEEDING_FROM = 2


def estimate_band(
    doc: RoleDocument,
    judged_by: RoleDocument,
    corpus: Corpus,
    store: VectorStore,
    vectors: np.ndarray,
    best: list[dict[str, tuple[float, str, str]]],
    gaps_named: int,
    *,
    exceeding: bool = False,
) -> Band:
    """Band of ``doc`` for statements with embeddings ``vectors`` and per-document best matches
    ``best[s][path] = (similarity, chunk id, dimension)``; ``exceeding``: the ranking already
    preferred this level to the next one, which scored close above it; ``judged_by``: the document
    whose expectations judge it (``doc`` itself, or the page a stub refers to)."""
    own = judged_by
    expectations = expectations_of(own)
    stored = store.vectors([c.id for c in expectations])
    per_dim: dict[str, list[float]] = defaultdict(list)
    for chunk in expectations:
        vec = stored.get(chunk.id)
        sim = float(np.max(vectors @ vec)) if vec is not None and len(vectors) else 0.0
        per_dim[chunk.dimension or "General"].append(float(sim >= SHOW))
    covered = [x for xs in per_dim.values() for x in xs]
    coverage = sum(covered) / len(covered) if covered else 0.0
    dimensions = {d: sum(xs) / len(xs) for d, xs in per_dim.items()}
    nexts = corpus.next_level(own)
    next_paths = {d.key or d.path for d in nexts}
    next_count = 0
    for per_doc in best:
        here = max((per_doc[p][0] for p in (doc.key or doc.path, own.key or own.path) if p in per_doc), default=0.0)
        there = max((per_doc[p][0] for p in next_paths if p in per_doc), default=0.0)
        if there >= NEXT_AT and there >= here + NEXT_MARGIN:
            next_count += 1
    if gaps_named:
        band = "maturing"
    elif exceeding or (nexts and next_count >= EXCEEDING_FROM):
        band = "exceeding"
    else:
        band = "performing"
    note = (
        ("a higher level scores close to it; " if exceeding else "")
        + f"covers {coverage:.0%} of the level's expectations; {next_count} statement"
        f"{'' if next_count == 1 else 's'} read like the next level"
        + (f"; {gaps_named} line{'' if gaps_named == 1 else 's'} name something not done yet" if gaps_named else "")
    )
    return Band(band, coverage, dimensions, next_count, gaps_named, note)
