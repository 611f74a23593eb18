"""The composition root: the one place the model and the store are created.

``build_ladder(settings)`` returns a ``Ladder``; the CLI and the app call its methods and
render what comes back. Tests pass their own embedder and store through the same door.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from index import (
    Chunk,
    Embedder,
    IndexNotBuiltError,
    IndexReport,
    ModelError,
    RoleDoc,
    Skipped,
    VectorStore,
    build_index,
    find_sources,
    open_store,
    parse_folder,
)
from index.build import Progress
from index.changes import Commit, FrameworkChanges, framework_changes, framework_history
from index.git import GitSource, git_checkout, web_link
from index.health import StoreHealth, check_store, recover_store

from .answers import Answer
from .ask import AskContext, ChatSettings
from .ask import ask as _ask
from .config import Settings
from .corpus import Corpus, load_cached, save_cached
from .fit import clean_fit_text
from .fit import fit as _fit
from .links import with_links
from .query import topic_of
from .results import Filters, FitReport, SearchResponse
from .retrieve import clean_query
from .retrieve import search as _search
from .text import split_statements


@dataclass(frozen=True, slots=True)
class Status:
    """What ``ladder status`` reports."""

    store: str
    model: str
    built: bool
    files: int = 0
    chunks: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    levels: dict[str, int] = field(default_factory=dict)
    roots: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    built_at: float = 0.0
    skipped: list[dict[str, str]] = field(default_factory=list)
    source: dict[str, Any] = field(default_factory=dict)

    @property
    def stale(self) -> bool:
        return bool(self.changed or self.added or self.removed)

    def to_json(self) -> dict[str, Any]:
        return {
            "store": self.store,
            "model": self.model,
            "built": self.built,
            "files": self.files,
            "chunks": self.chunks,
            "kinds": self.kinds,
            "levels": self.levels,
            "roots": self.roots,
            "stale": self.stale,
            "changed": self.changed,
            "added": self.added,
            "removed": self.removed,
            "built_at": self.built_at,
            "skipped": self.skipped,
            "source": self.source,
        }


class Ladder:
    """Ladder's library API. Heavy resources are created lazily, once, and shared."""

    def __init__(
        self,
        settings: Settings,
        *,
        embedder: Embedder | None = None,
        store: VectorStore | None = None,
    ):
        self.settings = settings
        self._embedder = embedder
        self._store = store
        self._lock = threading.RLock()
        self._corpus: Any = None
        self._digests: dict[str, tuple[tuple[int, ...], str]] = {}
        self._listing: tuple[Any, frozenset[str]] | None = None

    # -- resources -------------------------------------------------------------------------
    @property
    def embedder(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                from index.embed import LazyEmbedder

                self._embedder = LazyEmbedder(
                    self.settings.model, threads=self.settings.torch_threads
                )
            return self._embedder

    @property
    def store(self) -> VectorStore:
        with self._lock:
            if self._store is None:
                s = self.settings
                self._store = open_store(
                    s.store, s.chroma_url or None, s.chroma_token or None, database=s.chroma_database or None
                )
            return self._store

    # -- indexing --------------------------------------------------------------------------
    def index(
        self,
        paths: list[Path] | None = None,
        *,
        rebuild: bool = False,
        wait_seconds: float = 0.0,
        progress: Progress | None = None,
        extra_state: dict[str, Any] | None = None,
    ) -> IndexReport:
        """Index ``paths`` (default: the configured roles) and publish the new generation.

        A rebuild first checks a local store in a child process; a damaged one is moved
        aside to ``<store>.damaged-<time>`` (never deleted) and the index starts fresh.
        """
        roots = list(paths) if paths else list(self.settings.roles)
        recovered = ""
        if rebuild and self._store is None and not self.settings.chroma_url:
            recovered = recover_store(self.settings.store)
        report = build_index(
            roots,
            self.store,
            self.embedder,
            rebuild=rebuild,
            wait_seconds=wait_seconds,
            progress=progress,
            extra_state=extra_state,
        )
        if report.published:
            self.corpus()  # build and cache the lexical index now, not on the first search
        return replace(report, rebuilt=recovered) if recovered else report

    def index_git(
        self,
        url: str,
        *,
        ref: str = "",
        subdir: str = "",
        web: str = "",
        rebuild: bool = False,
        wait_seconds: float = 0.0,
        progress: Progress | None = None,
    ) -> tuple[IndexReport, GitSource]:
        """Clone or fetch the framework repository ``url`` into the cache, check out ``ref``
        (default: its default branch) and index ``subdir`` of it, recording the commit (and ``web``,
        the repository's web page that results link to; default: derived from ``url``)."""
        with git_checkout(url, self.settings.cache, ref=ref, subdir=subdir, web=web) as source:
            report = self.index(
                [source.root],
                rebuild=rebuild,
                wait_seconds=wait_seconds,
                progress=progress,
                extra_state={"source": source.state()},
            )
        return report, source

    def changes(self, path: Path | None = None, *, since: str = "HEAD~1", until: str = "HEAD") -> FrameworkChanges:
        """Bullets added, removed and reworded between two commits of a framework kept in git
        (default folder: the one indexed, else the configured roles)."""
        return framework_changes(path or self._indexed_root(), since, until)

    def history(self, path: Path | None = None, *, limit: int = 30) -> tuple[Commit, ...]:
        """The newest ``limit`` commits that touched a framework kept in git, newest first
        (default folder: the one indexed, else the configured roles)."""
        return framework_history(path or self._indexed_root(), limit)

    def _indexed_root(self) -> Path:
        if self.settings.chroma_url or self.settings.store.exists():
            state = self.store.state()
            if state and state.get("roots"):
                return Path(state["roots"][0])
        return self.settings.roles[0]

    def doctor(self) -> StoreHealth:
        """Check the store in a child process with a time limit (a damaged store can hang)."""
        s = self.settings
        if s.chroma_url:
            return check_store(url=s.chroma_url, token=s.chroma_token or None, database=s.chroma_database or None)
        return check_store(s.store)

    def parse(self, paths: list[Path]) -> tuple[list[RoleDoc], list[Skipped]]:
        """Parse without embedding: how Ladder understands a framework."""
        return parse_folder(paths)

    def status(self) -> Status:
        """The store, its model, counts, and whether indexed files changed on disk since."""
        state = self.store.state()
        if not state:
            return Status(store=self.store.location, model=self.settings.model, built=False)
        files: dict[str, Any] = state.get("files", {})
        changed, removed = [], []
        for rel, info in files.items():
            try:
                digest = self._digest(info["abspath"])
            except OSError:
                removed.append(rel)
                continue
            if digest != info["hash"]:
                changed.append(rel)
        added: list[str] = []
        try:
            added = sorted(p for p in self._source_paths([Path(r) for r in state.get("roots", [])]) if p not in files)
        except Exception:  # noqa: BLE001 - a vanished root shows up as removed files
            pass
        return Status(
            store=self.store.location,
            model=state.get("model", ""),
            built=True,
            files=len(files),
            chunks=int(state.get("chunks", 0)),
            kinds=dict(state.get("kinds", {})),
            levels=dict(sorted(state.get("levels", {}).items())),
            roots=list(state.get("roots", [])),
            changed=sorted(changed),
            added=added,
            removed=sorted(removed),
            built_at=float(state.get("built_at", 0.0)),
            skipped=[{"path": p, "reason": r} for p, r in state.get("notes", [])],
            source=dict(state.get("source", {})),
        )

    # The app checks freshness on every page run: at 100k chunks (2,600 files) reading and
    # hashing every file twice took 0.7-1.4 s a call. Files are re-read only when their stat
    # changed, and the folders re-listed only when a folder's own stat did (adding, removing
    # or renaming a file changes its folder's mtime).
    def _digest(self, path: str) -> str:
        info = os.stat(path)
        key = (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)
        known = self._digests.get(path)
        if known is not None and known[0] == key:
            return known[1]
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        self._digests[path] = (key, digest)
        return digest

    def _source_paths(self, roots: list[Path]) -> frozenset[str]:
        folders = []
        for root in roots:
            for folder, subfolders, _ in os.walk(root):
                subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and d != "node_modules")
                info = os.stat(folder)
                folders.append((folder, info.st_mtime_ns, info.st_ino))
        fingerprint = (tuple(map(str, roots)), tuple(folders))
        known = self._listing
        if known is not None and known[0] == fingerprint:
            return known[1]
        sources, _ = find_sources(roots)
        paths = frozenset(s.path for s in sources)
        self._listing = (fingerprint, paths)
        return paths

    def ensure_index(self, progress: Progress | None = None) -> IndexReport | None:
        """Build the index of the configured roles when there is none (and auto-index is on)."""
        if self.store.current_state():
            return None
        if not self.settings.auto_index:
            raise IndexNotBuiltError(
                f"no index in {self.store.location} yet; run: ladder index PATH"
            )
        return self.index(progress=progress)

    def check_model(self) -> dict[str, Any]:
        """The live state, after checking it was built with this model."""
        state = self.store.require_state()
        if state.get("model") != self.embedder.name:
            raise ModelError(
                f"the index in {self.store.location} was built with {state.get('model')}, "
                f"not {self.embedder.name}; run: ladder index --rebuild, or pass --model "
                f"{state.get('model')}"
            )
        return state

    def chunks(self) -> list[Chunk]:
        """Every chunk of the live index."""
        return self.corpus().chunks

    def corpus(self) -> Corpus:
        """The in-memory view of the live generation; rebuilt when a new one is published."""
        self.ensure_index()
        state = self.check_model()
        with self._lock:
            generation = state["collection"]
            if self._corpus is None or self._corpus.generation != generation:
                cached = load_cached(self._corpus_cache_dir(), generation)
                if cached is None:
                    cached = Corpus(self.store.all_chunks(), generation)
                    save_cached(self._corpus_cache_dir(), cached)
                self._corpus = cached
            return self._corpus

    def _corpus_cache_dir(self) -> Path:
        """Local stores keep the corpus cache inside the store; servers in the user cache."""
        if self.settings.chroma_url:
            where = f"{self.settings.chroma_url}|{self.settings.chroma_database}"
            key = hashlib.sha1(where.encode()).hexdigest()[:12]
            return self.settings.cache / "corpus" / key
        return self.settings.store / "corpus-cache"

    def search(
        self, query: str, *, k: int = 10, filters: Filters | None = None, mode: str = "hybrid"
    ) -> SearchResponse:
        """Hybrid search over the live index.

        Raises:
            QueryError: empty query, bad ``k`` or a filter value the index does not hold.
        """
        text, notice = clean_query(query)
        corpus = self.corpus()
        vector = self.embedder.embed_query(text) if mode != "lexical" else np.zeros(1, dtype=np.float32)
        topic = topic_of(text, corpus) if mode != "lexical" else ""
        topic_vector = self.embedder.embed_query(topic) if topic else None
        found = _search(text, corpus, self.store, vector, k=k, filters=filters, notice=notice, mode=mode,
                        topic_vector=topic_vector)
        return with_links(found, self.link)

    def fit(self, text: str, *, filters: Filters | None = None, top: int = 10) -> FitReport:
        """Which role documents fit a description of someone's work, with the evidence.

        Raises:
            QueryError: the text is empty or a filter value is unknown.
        """
        text, notice = clean_fit_text(text)
        statements = split_statements(text, limit=_MAX_STATEMENTS + 1)
        if len(statements) > _MAX_STATEMENTS:
            statements = statements[:_MAX_STATEMENTS]
            notice = (notice + " " if notice else "") + (
                f"only the first {_MAX_STATEMENTS} statements were used"
            )
        corpus = self.corpus()
        vectors = self.embedder.embed_documents(statements)
        report = _fit(text, corpus, self.store, vectors, statements=statements, filters=filters, top=top)
        return with_links(replace(report, notice=notice) if notice else report, self.link)

    def ask_context(self) -> AskContext:
        """What answering needs from the live index: corpus, search, embedding, fit, language model."""
        s = self.settings
        chat = ChatSettings(s.llm_url, s.llm_model, s.llm_key, s.llm_timeout) if s.llm_url else None

        def embed(texts: Sequence[str]) -> np.ndarray:
            return self.embedder.embed_documents(list(texts))

        return AskContext(corpus=self.corpus(), search=self.search, embed=embed, fit=self.fit, chat=chat)

    def ask(self, question: str, *, generate: bool | None = None) -> Answer:
        """Answer a question about the framework from the documents, citing every claim.

        Args:
            question: e.g. "who evaluates a technical lead?"; long questions are shortened.
            generate: rewrite the answer with the configured language model (default: when
                ``llm_url`` is set); its answer is checked and the composed one kept if it fails.

        Raises:
            QueryError: the question is empty, or ``generate=True`` without ``llm_url`` set.
        """
        return with_links(_ask(self.ask_context(), question, generate=generate), self.link)

    def link(self, path: str, line: int = 0) -> str:
        """A browser link to ``path`` (as results name it) at ``line``, on the git host of the
        indexed commit; "" when the framework has no web address (a local folder, file://, ssh)."""
        state = self.store.current_state() or {}
        return web_link(state.get("source") or {}, path, line)


_MAX_STATEMENTS = 200


def build_ladder(
    settings: Settings | None = None,
    *,
    embedder: Embedder | None = None,
    store: VectorStore | None = None,
) -> Ladder:
    """Create the one ``Ladder`` for a process from ``settings`` (default: the environment)."""
    return Ladder(settings or Settings.from_env(), embedder=embedder, store=store)
