"""Is a generation's vector index still whole? A damaged HNSW index answers wrongly rather than
failing, so these checks count the collection and ask stored vectors to find themselves.

Both take a Chroma collection (any object with ``count``, ``get`` and ``query``) and raise
``StoreError`` naming ``location`` and the fix; ``VectorStore`` turns Chroma's own failures
around them into Ladder's errors.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import StoreError


def spot_check(collection: Any, expected: int, location: str) -> int:
    """Once per generation and process (a few ms): a damaged vector index answers wrongly
    rather than failing, so check its size and that three stored vectors find themselves.

    Returns:
        The collection's size.
    """
    count = int(collection.count())
    if expected >= 0 and count != expected:
        raise StoreError(
            f"{location}: the live index holds {count} of its {expected} chunks; "
            "run: ladder index --rebuild"
        )
    offsets = sorted({0, count // 2, count - 1}) if count else []
    vectors = [
        collection.get(limit=1, offset=o, include=["embeddings"])["embeddings"][0] for o in offsets
    ]
    misses = 0
    if vectors:
        # HNSW is approximate: a healthy index may rank a near-twin first, so a vector
        # counts as found anywhere in its top 10, and one miss of three is tolerated.
        found = collection.query(
            query_embeddings=np.asarray(vectors, dtype=np.float32),
            n_results=min(10, count),
            include=["distances"],
        )
        misses = sum(1 for row in found["distances"] or [] if not row or min(row) > 1e-3)
    if misses > 1 or (misses and len(offsets) == 1):
        raise StoreError(
            f"{location}: the vector index is damaged ({misses} of {len(offsets)} stored vectors "
            "do not find themselves); check it with: ladder doctor, or rebuild it with: ladder index --rebuild"
        )
    return count


def sample_check(collection: Any, state: dict[str, Any], sample: int, location: str) -> tuple[int, int, int]:
    """The full check: the size ``state`` recorded, and up to ``sample`` vectors spread over the
    collection queried for themselves.

    Returns:
        ``(chunks, sampled, misses)``: the caller decides how many misses mean damage.
    """
    count = int(collection.count())
    expected = int(state.get("chunks", count))
    if count != expected:
        raise StoreError(
            f"{location}: the live index holds {count} of its {expected} chunks; "
            "run: ladder index --rebuild"
        )
    ids = collection.get(include=[])["ids"]
    picked = ids[:: max(1, len(ids) // max(1, sample))][:sample]
    got = collection.get(ids=picked, include=["embeddings"])
    vectors = np.asarray(got["embeddings"], dtype=np.float32)
    misses = 0
    if len(picked):
        found = collection.query(
            query_embeddings=vectors, n_results=min(10, count), include=["distances"]
        )
        misses = sum(1 for row in found["distances"] or [] if not row or min(row) > 1e-3)
    return count, len(picked), misses
