"""The corpus cache in the store is data, never code (issue 14, case 7).

It used to be a pickle: anyone able to write the store folder ran code as the next user of
``ladder search``. It is now JSON plus an ``.npz`` read with ``allow_pickle=False``, versioned.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np

from assistant import Ladder, Settings, build_ladder
from assistant.corpus import load_cached
from index import open_store

from .fakes import HashingEmbedder


class _Payload:
    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (Path.touch, (self.marker,))


def _ladder(root: Path, store: Path) -> Ladder:
    return build_ladder(Settings(roles=(root,), store=store), embedder=HashingEmbedder(), store=open_store(store))


def _lexical(ladder: Ladder, query: str) -> list[tuple[str, float]]:
    return [(r.id, round(r.score, 6)) for r in ladder.search(query, k=8, mode="lexical").results]


def test_the_cache_gives_the_same_results_and_holds_no_pickle(fixture_root: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = _ladder(fixture_root, store)
    first.index()
    built = _lexical(first, "flaky build pipelines on call")
    generation = first.store.state()["collection"]  # type: ignore[index]
    cache = store / "corpus-cache"
    assert sorted(p.name for p in cache.iterdir()) == [f"corpus-{generation}.json", f"corpus-{generation}.npz"]
    meta = json.loads((cache / f"corpus-{generation}.json").read_text("utf-8"))
    assert (meta["version"], meta["generation"]) == (4, generation)
    loaded = load_cached(cache, generation)
    assert loaded is not None and loaded.chunks == first.corpus().chunks
    assert loaded.group_of == first.corpus().group_of and len(set(loaded.group_of.values())) < len(loaded.group_of)
    assert _lexical(_ladder(fixture_root, store), "flaky build pipelines on call") == built != []
    # another version, or the wrong generation, is rebuilt rather than trusted
    (cache / f"corpus-{generation}.json").write_text(json.dumps({**meta, "version": 2}), "utf-8")
    assert load_cached(cache, generation) is None
    assert _lexical(_ladder(fixture_root, store), "flaky build pipelines on call") == built


def test_a_crafted_pickle_in_the_store_is_never_loaded(fixture_root: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = _ladder(fixture_root, store)
    first.index()
    built = _lexical(first, "flaky build pipelines")
    generation = first.store.state()["collection"]  # type: ignore[index]
    cache = store / "corpus-cache"
    marker = tmp_path / "pwned"
    # the old cache's name, a pickle posing as the arrays, and an .npz holding a pickled object array
    (cache / f"corpus-{generation}.pkl").write_bytes(pickle.dumps((2, _Payload(marker))))
    (cache / f"corpus-{generation}.npz").write_bytes(pickle.dumps(_Payload(marker)))
    assert _lexical(_ladder(fixture_root, store), "flaky build pipelines") == built
    with open(cache / f"corpus-{generation}.npz", "wb") as fh:
        np.savez(fh, data=np.array([_Payload(marker)], dtype=object), indices=np.zeros(1), indptr=np.zeros(2))
    assert load_cached(cache, generation) is None
    assert _lexical(_ladder(fixture_root, store), "flaky build pipelines") == built
    assert not marker.exists()
