"""Indexing with the real model and a real Chroma under tmp_path: full and incremental.

One writer at a time and kill -9 in the middle of a write are tested once, with real
processes, in tests/test_reliability.py (the lock itself in tests/test_locks.py).

The model is loaded once per session (``real_embedder``); a session cache in front of it means
the corpus is embedded once however many tests index it. What each run *asks* the model to
embed is counted by ``Counting``, so "only the changed bullet was embedded" is asserted exactly.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

import index.build
from assistant import Ladder, build_ladder
from index import Embedder
from index.build import parse_folder

from .conftest import CORPUS, MakeLadder
from .fakes import HashingEmbedder

PRINCIPAL = "Engineering/Software-Engineering/L5-Principal-Software-Engineer.md"
ANALYST = "Security-Operations/Security-Analyst/L2-Security-Analyst.md"
CORPUS_FILES = 18
CORPUS_CHUNKS = 666


class Cached:
    """The real model with a memory: each distinct text is embedded once per session."""

    def __init__(self, inner: Embedder):
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self._vectors: dict[str, np.ndarray] = {}

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if todo:
            self._vectors.update(zip(todo, self.inner.embed_documents(todo), strict=True))
        return np.stack([self._vectors[t] for t in texts]) if texts else np.zeros((0, self.dimension))

    def embed_query(self, text: str) -> np.ndarray:
        return self.inner.embed_query(text)


class Counting:
    """Records every text an index run asks to embed (optionally under another model name)."""

    def __init__(self, inner: Embedder, name: str | None = None):
        self.inner = inner
        self.name = name or inner.name
        self.dimension = inner.dimension
        self.texts: list[str] = []

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        self.texts.extend(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> np.ndarray:
        return self.inner.embed_query(text)


@pytest.fixture(scope="session")
def model(real_embedder: Embedder) -> Cached:
    return Cached(real_embedder)


@pytest.fixture
def people(tmp_path: Path) -> Path:
    """A private copy of the shared corpus, which tests may edit (the original is never touched)."""
    root = tmp_path / "people"
    shutil.copytree(CORPUS, root)
    return root


def indexed(make_ladder: MakeLadder, root: Path, model: Cached) -> tuple[Ladder, Counting]:
    counting = Counting(model)
    ladder = make_ladder(root, counting)
    report = ladder.index()
    assert (report.published, report.chunks, len(report.added)) == (True, CORPUS_CHUNKS, CORPUS_FILES)
    counting.texts.clear()
    return ladder, counting


# -- a full index -----------------------------------------------------------------------------


def test_full_index_of_the_corpus(make_ladder: MakeLadder, model: Cached) -> None:
    counting = Counting(model)
    ladder = make_ladder(CORPUS, counting)
    report = ladder.index()
    docs, _ = parse_folder([CORPUS])
    expected = [c.embed_text() for d in docs for c in d.chunks]
    # the same bullet in several roles is embedded once: 666 chunks, 542 distinct texts
    assert len(expected) == CORPUS_CHUNKS
    assert len(set(expected)) == 542
    assert sorted(counting.texts) == sorted(set(expected))
    # a first index reuses nothing: the 124 repeats of a text embedded now are not "reused"
    assert (report.chunks, report.embedded, report.reused, report.skipped) == (CORPUS_CHUNKS, 542, 0, [])
    assert (report.updated, report.unchanged, report.removed, report.rebuilt) == ([], [], [], "")
    assert len(report.added) == CORPUS_FILES
    status = ladder.status()
    assert (status.built, status.model, status.files, status.chunks, status.stale) == (
        True,
        "all-MiniLM-L6-v2",
        CORPUS_FILES,
        CORPUS_CHUNKS,
        False,
    )
    assert status.kinds == {"summary": 23, "attribute": 57, "expectation": 289, "example": 251, "overview": 46}
    assert status.levels == {
        "-": 46,
        "L1": 54,
        "L1.0": 5,
        "L2": 86,
        "L3": 166,
        "L4": 155,
        "L5": 107,
        "L6": 47,
    }


def test_each_bullet_comes_back_first_for_its_own_text(make_ladder: MakeLadder, model: Cached) -> None:
    ladder = make_ladder(CORPUS, model)
    ladder.index()
    chunks = sorted(ladder.chunks(), key=lambda c: c.id)
    assert len(chunks) == CORPUS_CHUNKS
    for chunk in chunks[::45]:  # 15 queries through the model's query path
        hits = ladder.store.query(model.embed_query(chunk.embed_text()), 10)
        # the same bullet in several roles has one vector: those copies tie for first place
        twins = [h for h in hits if h.chunk.embed_text() == chunk.embed_text()]
        assert chunk in [h.chunk for h in twins]
        assert min(h.similarity for h in twins) > 0.999
        others = [h for h in hits if h.chunk.embed_text() != chunk.embed_text()]
        assert hits[: len(twins)] == twins and others[0].similarity < 0.999
    # Plain words a user might paste, without the role and dimension the index adds:
    for words, path, line in [
        ("I joined several calls with a customer who was at risk of churn.", PRINCIPAL, 120),
        ("I was pulled into a complex deal negotiation.", PRINCIPAL, 121),
        (
            "I am a core member of our iSPORT team",
            "Security-Operations/Management/L5-Senior-Security-Operations-Manager.md",
            16,
        ),
    ]:
        top = ladder.store.query(model.embed_query(words), 1)[0].chunk
        assert (top.path, top.line) == (path, line)


# -- incremental re-index ---------------------------------------------------------------------


def test_editing_one_bullet_embeds_only_that_bullet(people: Path, make_ladder: MakeLadder, model: Cached) -> None:
    ladder, counting = indexed(make_ladder, people, model)
    before = {c.id: c for c in ladder.chunks()}
    path = people / PRINCIPAL
    old = "- I allow myself to be persuaded by great ideas."
    new = "- I allow myself to be persuaded by great ideas, wherever they come from."
    path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")

    report = ladder.index()
    assert counting.texts == ["I allow myself to be persuaded by great ideas, wherever they come from."]
    assert (report.updated, report.added, report.removed) == ([PRINCIPAL], [], [])
    assert len(report.unchanged) == CORPUS_FILES - 1
    assert (report.chunks, report.embedded, report.reused) == (CORPUS_CHUNKS, 1, CORPUS_CHUNKS - 1)
    after = {c.id: c for c in ladder.chunks()}
    assert set(before) - set(after) == {next(i for i, c in before.items() if c.text == old[2:])}
    (added,) = set(after) - set(before)
    assert (after[added].text, after[added].line, after[added].dimension) == (new[2:], 44, "Teaching and Mentoring")
    hit = ladder.store.query(model.embed_query(after[added].embed_text()), 1)[0]
    assert hit.chunk.id == added


def test_a_new_file_and_a_removed_file(people: Path, make_ladder: MakeLadder, model: Cached) -> None:
    ladder, counting = indexed(make_ladder, people, model)
    (people / ANALYST).unlink()
    extra = people / "Security-Operations" / "Security-Analyst" / "L5-Principal-Security-Analyst.md"
    extra.write_text("# L5: Principal Security Analyst\n\n## Domain Expertise\n\n- I run the threat intel program.\n")

    report = ladder.index()
    assert counting.texts == ["I run the threat intel program."]
    added = "Security-Operations/Security-Analyst/L5-Principal-Security-Analyst.md"
    assert (report.added, report.removed, report.updated) == ([added], [ANALYST], [])
    assert report.chunks == CORPUS_CHUNKS - 29 + 1
    paths = {c.path for c in ladder.chunks()}
    assert ANALYST not in paths and added in paths
    assert ladder.status().files == CORPUS_FILES


def test_no_change_publishes_nothing(people: Path, make_ladder: MakeLadder, model: Cached) -> None:
    ladder, counting = indexed(make_ladder, people, model)
    state = ladder.store.state()
    version = ladder.store.state_version()
    os.utime(people / PRINCIPAL)  # a touch without a change is not a change

    started = time.perf_counter()
    report = ladder.index()
    assert time.perf_counter() - started < 1.0
    assert counting.texts == []
    assert (report.published, report.embedded, report.chunks, report.reused) == (False, 0, CORPUS_CHUNKS, CORPUS_CHUNKS)
    assert len(report.unchanged) == CORPUS_FILES
    assert ladder.store.state() == state
    assert ladder.store.state_version() == version


def test_another_model_rebuilds_everything(people: Path, make_ladder: MakeLadder, model: Cached) -> None:
    ladder, _ = indexed(make_ladder, people, model)
    other = Counting(model, name="all-MiniLM-L6-v2-copy")
    report = build_ladder(ladder.settings, embedder=other, store=ladder.store).index()
    assert report.rebuilt == "model changed from all-MiniLM-L6-v2 to all-MiniLM-L6-v2-copy"
    # every distinct text embedded again; a bullet shared by several roles is embedded once
    assert (report.embedded, report.reused, len(other.texts)) == (542, 0, 542)
    assert len(report.added) == CORPUS_FILES
    assert ladder.store.state()["model"] == "all-MiniLM-L6-v2-copy"


def test_a_new_parser_version_rebuilds_everything(
    fixture_root: Path, make_ladder: MakeLadder, fake_embedder: HashingEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    ladder = make_ladder(fixture_root, fake_embedder)
    ladder.index()
    monkeypatch.setattr(index.build, "PARSER_VERSION", "next")
    report = ladder.index()
    assert (report.rebuilt, report.published, len(report.added), report.unchanged) == (
        "parser version changed",
        True,
        5,
        [],
    )
    # Every file is parsed again; vectors of texts that did not change are still reused.
    assert (report.chunks, report.embedded, report.reused) == (66, 0, 66)
