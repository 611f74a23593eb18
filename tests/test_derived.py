"""assistant.derived: state derived from a corpus is built once per corpus, i.e. per index
generation, and goes with it."""

from __future__ import annotations

import gc
import threading
import time
import weakref

from assistant.corpus import Corpus
from assistant.derived import derived
from assistant.fit.frame import frame
from assistant.names import lexicon
from tests.fakes import HashingEmbedder


def test_built_once_per_corpus_and_key() -> None:
    first, second = Corpus([], "g1"), Corpus([], "g1")  # same generation name, another object
    calls: list[str] = []

    def build(name: str) -> list[str]:
        calls.append(name)
        return [name]

    a = derived(first, "k", lambda: build("a"))
    assert derived(first, "k", lambda: build("again")) is a
    assert derived(first, "other", lambda: build("b")) == ["b"]
    assert derived(second, "k", lambda: build("c")) == ["c"]
    assert calls == ["a", "b", "c"]


def test_state_goes_with_its_corpus() -> None:
    corpus = Corpus([], "g1")
    value = derived(corpus, "k", lambda: type("State", (), {})())
    gone = weakref.ref(value)
    del corpus, value
    gc.collect()
    assert gone() is None


def test_threads_building_at_once_all_get_the_first_result() -> None:
    corpus = Corpus([], "g1")
    start = threading.Barrier(4)
    got: list[object] = []

    def build() -> object:
        time.sleep(0.02)
        return object()

    def worker() -> None:
        start.wait()
        got.append(derived(corpus, "slow", build))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 4 and len({id(g) for g in got}) == 1


def test_a_new_generation_gets_new_derived_state(make_ladder, fixture_root) -> None:
    ladder = make_ladder(fixture_root, HashingEmbedder())
    ladder.index()
    before = ladder.corpus()
    assert lexicon(before) is lexicon(ladder.corpus()) and frame(before) is frame(ladder.corpus())
    (fixture_root / "data" / "L2-Data-Engineer.md").write_text(
        "# L2: Data Engineer\n\n## Domain Expertise\n\n- I write SQL queries.\n"
    )
    ladder.index()
    after = ladder.corpus()
    assert after.generation != before.generation
    assert lexicon(after) is not lexicon(before)
    assert "data/L2-Data-Engineer.md" in lexicon(after).doc_words
    assert "data/L2-Data-Engineer.md" not in lexicon(before).doc_words
