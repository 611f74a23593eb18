"""Dense neighbours under filters: exact over the vectors the filters allow when they are few
(or the corpus is small), an over-fetch filtered here when they are a fair share, Chroma's
``where`` as the last resort. The vector subsets are kept per corpus (``derived``)."""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np

from index import VectorStore

from .corpus import Corpus
from .derived import derived


def chroma_where(allowed: dict[str, list[str]], kinds: Sequence[str] = ()) -> dict[str, Any] | None:
    clauses: list[dict[str, Any]] = [
        {name: {"$in": values}} for name, values in sorted(allowed.items()) if name != "kind"
    ]
    kind_values = allowed.get("kind") or list(kinds)
    if kind_values:
        clauses.append({"kind": {"$in": kind_values}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def corpus_mask(corpus: Corpus, allowed: dict[str, list[str]], kinds: Sequence[str] = ()) -> np.ndarray | None:
    if not allowed and not kinds:
        return None
    sets = {name: set(values) for name, values in allowed.items()}
    if kinds and "kind" not in sets:
        sets["kind"] = set(kinds)
    return corpus.mask(sets)


#: Filters that allow at most this many chunks are searched exactly over those chunks' vectors,
#: fetched from the store once per filter and generation (and kept for the next query). One
#: thread scores about 15,000 vectors a millisecond: 25,000 cost ~1.7 ms, less than Chroma's own
#: query at 100k chunks (2.6 ms), and a sixth of 100k (a level filter) ~1.1 ms against 7 ms for
#: the over-fetch below (measured, benchmarks/scale.py).
EXACT_MAX = 25_000
#: Otherwise a filtered query over-fetches at most this many unfiltered neighbours per vector ...
OVERFETCH_MAX = 2000
#: ... this many times what the filters' share of the corpus calls for.
OVERFETCH_MARGIN = 2.0
#: The exact subsets kept per corpus (``derived``), least recently used dropped first, by the
#: bytes of their vectors (128 MB: five level filters at 100k chunks).
_SUBSETS_BYTES = 128 << 20
_Subsets = OrderedDict[tuple[Any, ...], tuple[list[str], np.ndarray]]
_SUBSETS_LOCK = threading.Lock()


def nearest_allowed(
    store: VectorStore,
    corpus: Corpus,
    vectors: np.ndarray,
    depth: int,
    allowed: dict[str, list[str]],
    kinds: Sequence[str] = (),
    mask: np.ndarray | None = None,
) -> list[list[tuple[str, float]]]:
    """Ids and similarities of the ``depth`` nearest chunks the filters allow, per vector
    (``mask``: the filters' ``corpus_mask``, when the caller has it already).

    Chroma's ``where`` costs time in proportion to the whole collection (about 150 ms a query
    at 100k chunks, against 4 ms unfiltered), so it is the last resort:

    - no filters on a corpus of at most ``EXACT_MAX`` chunks, or filters that allow at most that
      many: exact search over their vectors;
    - filters that allow a fair share of the corpus: the unfiltered neighbours are over-fetched
      (``depth / share * OVERFETCH_MARGIN``, then once more ``OVERFETCH_MAX`` if too few were
      allowed) and filtered here with the corpus's mask: the nearest allowed chunks among the
      nearest ones;
    - anything else, or too few survivors: Chroma's ``where``.
    """
    where = chroma_where(allowed, kinds)
    if where is None:
        if len(corpus.chunks) > EXACT_MAX:
            return store.nearest(vectors, depth)
        # a corpus this size is searched exactly too: the same neighbours on every run (Chroma's
        # HNSW is approximate, and its graph differs from one build to the next far down the list)
        mask = np.ones(len(corpus.chunks), dtype=np.float32)
    mask = corpus_mask(corpus, allowed, kinds) if mask is None else mask
    assert mask is not None
    count = int(np.count_nonzero(mask))
    if count == 0:
        return [[] for _ in range(len(vectors))]
    if count <= EXACT_MAX:
        spec = tuple(sorted((name, tuple(values)) for name, values in allowed.items()))
        key = (store.location, corpus.generation, spec, tuple(kinds))
        return _exact(store, corpus, key, mask, vectors, depth)
    fetch = math.ceil(depth * len(mask) / count * OVERFETCH_MARGIN)
    position = corpus.position
    while fetch <= OVERFETCH_MAX:
        out = []
        for row in store.nearest(vectors, fetch):
            kept = [(cid, sim) for cid, sim in row if cid in position and mask[position[cid]] > 0]
            if len(kept) < depth and len(row) >= fetch:  # more allowed chunks lie further out
                break
            out.append(kept[:depth])
        else:
            return out
        fetch = OVERFETCH_MAX if fetch < OVERFETCH_MAX else OVERFETCH_MAX + 1  # once more, as far as allowed
    return store.nearest(vectors, depth, where)


def _exact_subsets(corpus: Corpus) -> _Subsets:
    """The exact subsets kept for ``corpus`` (``derived``: they go with its generation)."""
    return derived(corpus, "exact subsets", OrderedDict)


def _exact(
    store: VectorStore, corpus: Corpus, key: tuple[Any, ...], mask: np.ndarray, vectors: np.ndarray, depth: int
) -> list[list[tuple[str, float]]]:
    subsets = _exact_subsets(corpus)
    with _SUBSETS_LOCK:
        subset = subsets.get(key)
        if subset is not None:
            subsets.move_to_end(key)
    if subset is None:
        wanted = [corpus.chunks[p].id for p in np.flatnonzero(mask)]
        stored = store.vectors(wanted)
        ids = [i for i in wanted if i in stored]
        matrix = np.stack([stored[i] for i in ids]) if ids else np.zeros((0, vectors.shape[1]), dtype=np.float32)
        subset = (ids, matrix)
        with _SUBSETS_LOCK:
            subsets[key] = subset
            while len(subsets) > 1 and sum(m.nbytes for _, m in subsets.values()) > _SUBSETS_BYTES:
                subsets.popitem(last=False)
    ids, matrix = subset
    out = []
    queries = np.asarray(vectors, dtype=np.float32)
    # unit vectors: cosine = dot. One query: einsum, not BLAS: OpenBLAS threads this small
    # product and, beside torch's threads, it took 4 ms instead of 0.1 ms in some processes.
    products = np.einsum("d,nd->n", queries[0], matrix)[None, :] if len(queries) == 1 else queries @ matrix.T
    for sims in products:
        top = np.argpartition(-sims, depth - 1)[:depth] if len(sims) > depth else np.arange(len(sims))
        out.append([(ids[j], float(sims[j])) for j in sorted(top.tolist(), key=lambda j: (-sims[j], j))])
    return out
