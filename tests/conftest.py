"""Shared fixtures: the real model (loaded once per session), a fake one, fresh stores, a
Chroma server, the app as a server, and real child processes.

A test is marked ``slow`` automatically when it uses a fixture in ``SLOW_FIXTURES`` (the real
model, a Chroma server, the app server, a browser, child processes it starts or kills), runs on
the ``server`` backend, or is a ``browser`` test: ``pytest -m "not slow"`` is the fast loop.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from assistant import Ladder, Settings, build_ladder
from index import Embedder, VectorStore, open_store
from index.embed import SentenceTransformerEmbedder

from .appserver import AppServer, app_server, free_port, wait_for_http
from .fakes import HashingEmbedder

REPO = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "framework"
SHARED = Path(os.environ.get("LADDER_SHARED", REPO.parent / "shared"))
CORPUS = SHARED / "corpora" / "people"
ROLES = REPO / "roles"
#: The fixture framework's files, as indexed paths.
FIXTURE_L2 = "platform/L2-Platform-Engineer.md"
FIXTURE_FILES = [
    "README.md",
    "data/L3-Senior-Data-Engineer.md",
    FIXTURE_L2,
    "platform/L3-Senior-Platform-Engineer.md",
    "platform/L4-Platform-Technical-Lead.md",
]


#: Using any of these (directly or through another fixture) makes a test ``slow``.
SLOW_FIXTURES = frozenset({"real_embedder", "model_library", "chroma_server", "processes", "serve_app", "browser"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark ``slow`` every test that loads the real model, starts a server, a browser or child
    processes, judged from the fixtures it uses (see ``SLOW_FIXTURES``)."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        params = getattr(getattr(item, "callspec", None), "params", {})
        if fixtures & SLOW_FIXTURES or params.get("backend") == "server" or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def real_embedder() -> Embedder:
    """all-MiniLM-L6-v2 from its PyPI package, loaded once for the whole test session."""
    return SentenceTransformerEmbedder()


@pytest.fixture(scope="session")
def model_library() -> None:
    """torch and sentence-transformers imported (3-4 s, once a session), for tests of the real
    model loader that need no model (e.g. a folder that is not one)."""
    import sentence_transformers  # noqa: F401
    import torch  # noqa: F401


@pytest.fixture(scope="session")
def real_index(tmp_path_factory: pytest.TempPathFactory, real_embedder: Embedder) -> Ladder:
    """The fixture framework indexed with the real model once per session, for tests that only
    read it (searches, fits, the CLI over its store): never index or edit through it."""
    store = tmp_path_factory.mktemp("real-index") / "store"
    ladder = build_ladder(Settings(roles=(FIXTURE,), store=store), embedder=real_embedder, store=open_store(store))
    ladder.index()
    return ladder


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


# -- a real Chroma server ------------------------------------------------------------------
@dataclass(frozen=True)
class ChromaServer:
    """A ``chroma run`` process on 127.0.0.1; each test takes its own database on it."""

    url: str
    path: Path
    log: Path
    _names: Iterator[int]

    def new_database(self) -> str:
        """A database name no other test uses (``open_store`` creates it on first use)."""
        return f"t{os.getpid()}_{next(self._names)}"


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    """``chroma run`` (shipped with chromadb) on a free loopback port and a temporary path,
    started once per session: heartbeat awaited (at most 30 s), stopped at the end."""
    chroma = Path(sys.executable).parent / "chroma"
    home = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    log_path = home / "server.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [str(chroma), "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(home / "data")],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        )
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_for_http(f"{url}/api/v2/heartbeat", proc, log_path, 30)
        except (RuntimeError, TimeoutError) as exc:
            pytest.fail(f"chroma run: {exc}")
        yield ChromaServer(url, home / "data", log_path, itertools.count())
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@dataclass(frozen=True)
class Backend:
    """One kind of store for a parametrized test: ``embedded`` or ``server``.

    ``settings(name)`` and ``open(name)`` address the same store for the same name (a new
    client each call, as another process would make); different names are separate stores.
    """

    kind: str
    root: Path
    server: ChromaServer | None

    def _database(self, name: str) -> str:
        return f"{self.root.name}_{name}"[-60:]

    def settings(self, name: str = "main") -> dict[str, object]:
        if self.server:
            return {"chroma_url": self.server.url, "chroma_database": self._database(name)}
        return {"store": self.root / name}

    def env(self, name: str = "main") -> dict[str, str]:
        """The same store as ``LADDER_*`` variables, for a ``ladder`` subprocess."""
        if self.server:
            return {"LADDER_CHROMA_URL": self.server.url, "LADDER_CHROMA_DATABASE": self._database(name)}
        return {"LADDER_STORE": str(self.root / name)}

    def open(self, name: str = "main") -> VectorStore:
        if self.server:
            return open_store(url=self.server.url, database=self._database(name))
        return open_store(self.root / name)


@pytest.fixture(params=["embedded", "server"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    """Runs a test twice: on an embedded store under tmp_path, and on the session's Chroma
    server (a database of its own)."""
    if request.param == "server":
        server: ChromaServer = request.getfixturevalue("chroma_server")
        root = tmp_path / server.new_database()
        return Backend("server", root, server)
    return Backend("embedded", tmp_path / "stores", None)


# -- real child processes ------------------------------------------------------------------
class Processes:
    """Child processes one test starts (indexers it kills, servers, concurrent CLIs): every one
    still running when the test ends is killed, so a failing test leaves none behind."""

    def __init__(self) -> None:
        self._started: list[subprocess.Popen[Any]] = []

    def start(self, argv: list[str], **popen: Any) -> subprocess.Popen[Any]:
        """``subprocess.Popen(argv, **popen)``, remembered for the clean-up."""
        proc = subprocess.Popen(argv, **popen)
        self._started.append(proc)
        return proc

    def run(self, argv: list[str], timeout: float = 120, **run: Any) -> subprocess.CompletedProcess[Any]:
        """``subprocess.run(argv, timeout=timeout, **run)``: killed by ``run`` itself on timeout."""
        return subprocess.run(argv, timeout=timeout, **run)

    def close(self) -> None:
        for proc in self._started:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=30)


@pytest.fixture
def processes() -> Iterator[Processes]:
    """Start real child processes through this (the test is then ``slow``)."""
    started = Processes()
    try:
        yield started
    finally:
        started.close()


@pytest.fixture
def serve_app() -> Iterator[Callable[..., AppServer]]:
    """``serve_app(roles, store, log, env)``: ``streamlit run streamlit_app.py`` on a free
    loopback port, healthy when returned, stopped when the test ends (the test is ``slow``)."""
    with contextlib.ExitStack() as stack:
        yield lambda *args, **kwargs: stack.enter_context(app_server(*args, **kwargs))


@pytest.fixture
def fake_cli(monkeypatch: pytest.MonkeyPatch) -> HashingEmbedder:
    """The ``ladder`` command with the hashing embedder (for ``run``)."""
    from assistant import build_ladder

    embedder = HashingEmbedder()
    monkeypatch.setattr("assistant.cli.build_ladder", lambda settings: build_ladder(settings, embedder=embedder))
    return embedder


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``ladder ARGV`` in this process: (exit code, stdout, stderr)."""
    from assistant.cli import main

    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err
