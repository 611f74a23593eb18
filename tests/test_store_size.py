"""Re-indexing does not grow the store (issue 14, case 6).

Chroma leaves a deleted collection's segment folder on disk (chroma-core/chroma#5259), and each
re-index publishes a new collection and deletes the old one: Ladder reclaims those folders after
publishing and sweeps any left by an interrupted run when the next index starts.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from assistant import Settings, build_ladder
from index import check_store, open_store

from .conftest import FIXTURE_L2
from .fakes import HashingEmbedder

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _vector_folders(store: Path) -> list[Path]:
    return sorted(p for p in store.iterdir() if p.is_dir() and UUID.fullmatch(p.name))


def _size(store: Path) -> int:
    return sum(f.stat().st_size for f in store.rglob("*") if f.is_file())


def test_the_store_stays_flat_over_ten_reindexes(fixture_root: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    ladder = build_ladder(Settings(roles=(fixture_root,), store=store), embedder=HashingEmbedder(),
                          store=open_store(store))
    role = fixture_root / FIXTURE_L2
    original = role.read_text("utf-8")
    folders, vector_bytes, sqlite_bytes = [], [], []
    for run in range(10):
        role.write_text(original + f"\n## Extra\n\n- I keep run {run} of the wiki tidy.\n", "utf-8")
        assert ladder.index().published
        folders.append(len(_vector_folders(store)))
        vector_bytes.append(sum(_size(f) for f in _vector_folders(store)))
        sqlite_bytes.append((store / "chroma.sqlite3").stat().st_size)
    assert folders == [1] * 10  # only the live generation's vectors are on disk (was 1, 2, ... 10)
    assert len(set(vector_bytes)) == 1, vector_bytes
    # SQLite keeps its high-water mark and reuses free pages: it levels off rather than growing per run
    assert max(sqlite_bytes) <= sqlite_bytes[1] * 1.25, sqlite_bytes


def test_doctor_counts_orphaned_folders_and_the_next_index_reclaims_them(fixture_root: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    vectors = open_store(store)
    ladder = build_ladder(Settings(roles=(fixture_root,), store=store), embedder=HashingEmbedder(), store=vectors)
    ladder.index()
    live = _vector_folders(store)
    # what a run killed between creating a generation and deleting it leaves: a folder no collection owns
    name = vectors.create_generation()
    vectors.add(name, ladder.corpus().chunks[:40], np.ones((40, ladder.embedder.dimension), np.float32), ["h"] * 40)
    vectors.drop_unpublished()
    [orphan] = [p for p in _vector_folders(store) if p not in live]
    orphan_bytes = sum(f.stat().st_size for f in orphan.rglob("*") if f.is_file())
    health = check_store(store)
    assert (health.ok, health.orphans, health.orphan_folders, health.orphan_bytes) == (True, 0, 1, orphan_bytes)
    assert orphan_bytes > 0
    (fixture_root / FIXTURE_L2).write_text((fixture_root / FIXTURE_L2).read_text("utf-8") + "\n- I add one.\n")
    assert ladder.index().published
    assert not orphan.exists() and len(_vector_folders(store)) == 1
    assert check_store(store).orphan_folders == 0
