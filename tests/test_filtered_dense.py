"""Filtered dense retrieval without Chroma's ``where`` (whose cost grows with the whole
collection): exact search over small allowed sets, over-fetch and filter for broad ones, and
``where`` as the fallback. Every path must give what ``where`` gives on a small store, where
Chroma's answer is exhaustive."""

from __future__ import annotations

import math

import pytest

from assistant import nearest
from assistant.corpus import ROLE_KINDS
from assistant.nearest import chroma_where, nearest_allowed

QUERIES = ("mentoring junior engineers", "terraform modules for infrastructure", "incident review", "warehouse")
FILTERS = (
    ({"level": ["L3"]}, ()),
    ({"track": ["Platform"]}, ()),
    ({"level": ["L4"], "dimension": ["Domain Expertise"]}, ()),
    ({}, ROLE_KINDS),
)


@pytest.fixture
def ladder(make_ladder, fixture_root, fake_embedder):
    ladder = make_ladder(fixture_root, fake_embedder)
    ladder.index()
    return ladder


def _ranked(row: list[tuple[str, float]]) -> tuple[list[float], list[frozenset[str]]]:
    """The similarities in order, and the ids at each similarity but the lowest: which of
    several equally near chunks fill the last places is arbitrary."""
    sims = [round(s, 5) for _, s in row]
    levels = sorted(set(sims), reverse=True)[:-1]
    return sims, [frozenset(i for i, t in row if round(t, 5) == s) for s in levels]


class _Spy:
    """Records the store's queries: (k, with ``where``)."""

    def __init__(self, store):
        self.store = store
        self.calls: list[tuple[int, bool]] = []
        self.reads = 0

    def nearest(self, vectors, k, where=None):
        self.calls.append((k, where is not None))
        return self.store.nearest(vectors, k, where)

    def vectors(self, ids):
        self.reads += 1
        return self.store.vectors(ids)

    @property
    def location(self):
        return self.store.location


@pytest.mark.parametrize("path", ["exact", "overfetch", "where"])
def test_every_path_gives_what_chroma_where_gives(ladder, monkeypatch, path):
    corpus = ladder.corpus()
    monkeypatch.setattr(nearest, "EXACT_MAX", len(corpus.chunks) if path == "exact" else 0)
    monkeypatch.setattr(nearest, "OVERFETCH_MAX", 10_000 if path == "overfetch" else 0)
    subsets = nearest._exact_subsets(corpus)  # kept per corpus, i.e. per generation
    subsets.clear()
    for allowed, kinds in FILTERS:
        for query in QUERIES:
            vector = ladder.embedder.embed_query(query)[None, :]
            spy = _Spy(ladder.store)
            got = nearest_allowed(spy, corpus, vector, 5, allowed, kinds)  # type: ignore[arg-type]
            want = ladder.store.nearest(vector, 5, chroma_where(allowed, kinds))
            assert _ranked(got[0]) == _ranked(want[0]), (allowed, query)
            assert [w for _, w in spy.calls] == {"exact": [], "overfetch": [False], "where": [True]}[path]


@pytest.mark.parametrize("widest", [10_000, 0])
def test_overfetch_widens_once_then_falls_back_to_where(ladder, monkeypatch, widest):
    corpus = ladder.corpus()
    monkeypatch.setattr(nearest, "EXACT_MAX", 0)
    monkeypatch.setattr(nearest, "OVERFETCH_MARGIN", 0.3)  # fetch fewer than the allowed share calls for
    allowed = {"level": ["L4"]}
    share = sum(c.level == "L4" for c in corpus.chunks) / len(corpus.chunks)
    first = math.ceil(5 / share * 0.3)
    monkeypatch.setattr(nearest, "OVERFETCH_MAX", max(first, widest))
    vector = ladder.embedder.embed_query("data pipelines into the warehouse")[None, :]  # near L3 Data, not L4
    spy = _Spy(ladder.store)
    got = nearest_allowed(spy, corpus, vector, 5, allowed)  # type: ignore[arg-type]
    if widest:
        assert spy.calls == [(first, False), (widest, False)]
    else:
        assert spy.calls == [(first, False), (5, True)]
    assert _ranked(got[0]) == _ranked(ladder.store.nearest(vector, 5, chroma_where(allowed))[0])
    assert {corpus.by_id[i].level for i, _ in got[0]} == {"L4"}


def test_a_filter_that_allows_nothing_returns_nothing_without_asking_the_store(ladder):
    corpus = ladder.corpus()
    spy = _Spy(ladder.store)
    vector = ladder.embedder.embed_query("mentoring")[None, :]
    assert nearest_allowed(spy, corpus, vector, 5, {"level": ["L3"], "track": ["Platform"]}, ("overview",)) == [[]]
    assert spy.calls == []


def test_exact_subsets_are_kept_within_their_byte_budget_least_recent_dropped(ladder, monkeypatch):
    corpus = ladder.corpus()
    subsets = nearest._exact_subsets(corpus)  # kept per corpus, i.e. per generation
    subsets.clear()
    vector = ladder.embedder.embed_query("mentoring")[None, :]
    l3, l4 = {"level": ["L3"]}, {"level": ["L4"]}
    nearest_allowed(ladder.store, corpus, vector, 5, l3)
    (only,) = subsets.values()
    monkeypatch.setattr(nearest, "_SUBSETS_BYTES", only[1].nbytes + 1)  # room for one L3-sized subset

    spy = _Spy(ladder.store)
    nearest_allowed(spy, corpus, vector, 5, l3)  # kept: no read of vectors, no query
    assert (spy.calls, spy.reads, len(subsets)) == ([], 0, 1)
    nearest_allowed(spy, corpus, vector, 5, l4)  # over the budget: L3, least recent, goes
    assert [dict(key[2]) for key in subsets] == [{"level": ("L4",)}]
    got = nearest_allowed(spy, corpus, vector, 5, l3)  # read again, still right
    assert (spy.calls, spy.reads) == ([], 2)
    assert _ranked(got[0]) == _ranked(ladder.store.nearest(vector, 5, chroma_where(l3))[0])
