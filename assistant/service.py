"""The composition root: the one place the model and the store are created.

``build_ladder(settings)`` returns a ``Ladder``; the CLI and the app call its methods and
render what comes back. Tests pass their own embedder and store through the same door.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from index import (
    Chunk,
    Commit,
    Embedder,
    FrameworkChanges,
    GitSource,
    IndexRecord,
    IndexReport,
    ModelError,
    Progress,
    RoleDoc,
    Skipped,
    StoreHealth,
    VectorStore,
    build_index,
    open_store,
    parse_folder,
    recover_store,
    web_link,
)

from . import sources
from .answers import Answer
from .ask import AskContext, ChatSettings
from .ask import ask as _ask
from .config import Settings
from .corpus import Corpus, load_cached, save_cached
from .doctor import no_local_store, store_health
from .fit import classify as classify_statements
from .fit import clean_fit_text
from .fit import fit as _fit
from .freshness import Freshness, Refresh, Status, ensure_fresh
from .glossary import DEFAULT_GLOSSARY, Glossary, load_glossary
from .links import with_links
from .query import corrected, topic_of
from .results import Filters, FitReport, SearchResponse
from .retrieve import clean_query
from .retrieve import search as _search
from .understand import tracks_said


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
        self._draft: Corpus | None = None
        self._freshness = Freshness()
        self._record: tuple[Any, IndexRecord] | None = None  # (the store's state object, its record)
        self._glossary: Glossary | None = None

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

    @property
    def glossary(self) -> Glossary:
        """The jargon searches read in plain words: the built-in list and ``settings.glossary``.

        Raises:
            QueryError: the glossary file is missing or malformed (named, with the line).
        """
        with self._lock:
            if self._glossary is None:
                path = self.settings.glossary
                self._glossary = DEFAULT_GLOSSARY.merged(load_glossary(path)) if path else DEFAULT_GLOSSARY
            return self._glossary

    # -- indexing --------------------------------------------------------------------------
    def index(
        self,
        paths: list[Path] | None = None,
        *,
        rebuild: bool = False,
        wait_seconds: float = 0.0,
        progress: Progress | None = None,
        source: Mapping[str, str] | None = None,
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
            source=source,
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
        return sources.index_git(
            self.index, self.settings.cache, url, ref=ref, subdir=subdir, web=web, rebuild=rebuild,
            wait_seconds=wait_seconds, progress=progress,
        )

    def changes(
        self, path: Path | None = None, *, since: str | None = None, until: str | None = None
    ) -> FrameworkChanges:
        """Bullets added, removed and reworded between two commits of a framework kept in git
        (default folder: the one indexed, else the configured roles; default range: the last
        change, as ``framework_changes``)."""
        return sources.changes(self._framework_root(path), since, until)

    def history(self, path: Path | None = None, *, limit: int = 30) -> tuple[Commit, ...]:
        """The newest ``limit`` commits that touched a framework kept in git, newest first
        (default folder: the one indexed, else the configured roles)."""
        return sources.history(self._framework_root(path), limit)

    def _framework_root(self, path: Path | None) -> Path:
        record = None
        if not path and (self.settings.chroma_url or self.settings.store.exists()):
            state = self.store.state()
            record = IndexRecord.from_dict(state) if state else None
        return sources.framework_root(path, record, self.settings.roles)

    def doctor(self) -> StoreHealth:
        """Check the store in a child process with a time limit (a damaged store can hang)."""
        return store_health(self.settings, opened=self._store is not None)

    def _no_local_store(self) -> bool:
        return no_local_store(self.settings, opened=self._store is not None)

    def parse(self, paths: list[Path]) -> tuple[list[RoleDoc], list[Skipped]]:
        """Parse without embedding: how Ladder understands a framework."""
        return parse_folder(paths)

    def status(self) -> Status:
        """The store, its model, counts, and whether indexed files changed on disk since.
        Read-only: a local store that does not exist yet is not created."""
        if self._no_local_store():
            status = Status(store=str(self.settings.store), model=self.settings.model, built=False)
        elif state := self.store.state():
            status = self._freshness.status(IndexRecord.from_dict(state), self.store.location)
        else:
            status = Status(store=self.store.location, model=self.settings.model, built=False)
        return replace(status, glossary=str(self.settings.glossary or ""))

    def has_index(self) -> bool:
        """Whether a published index exists, without reading the framework's files (``status``
        also checks them for changes). Read-only: a missing local store is not created."""
        return not self._no_local_store() and self.record() is not None

    def ensure_fresh(
        self,
        progress: Progress | None = None,
        *,
        stale: bool = True,
        on_wait: Callable[[], None] | None = None,
        before_build: Callable[[], None] | None = None,
    ) -> Refresh:
        """Build the index when there is none; with ``stale``, re-index when role files changed
        (``freshness.ensure_fresh``: one build per process, another process writing kept).

        Raises:
            IndexNotBuiltError: there is no index and ``settings.auto_index`` is off.
        """
        return ensure_fresh(self, progress, stale=stale, on_wait=on_wait, before_build=before_build)

    def ensure_index(self, progress: Progress | None = None) -> IndexReport | None:
        """Build the index of the configured roles when there is none (and auto-index is on)."""
        return self.ensure_fresh(progress, stale=False).report

    def check_model(self) -> IndexRecord:
        """The live index record, after checking it was built with this model."""
        record = self._record_of(self.store.require_state())
        if record.model != self.embedder.name:
            raise ModelError(
                f"the index in {self.store.location} was built with {record.model}, "
                f"not {self.embedder.name}; run: ladder index --rebuild, or pass --model "
                f"{record.model}"
            )
        return record

    def chunks(self) -> list[Chunk]:
        """Every chunk of the live index."""
        return self.corpus().chunks

    def corpus(self) -> Corpus:
        """The in-memory view of the live generation; rebuilt when a new one is published."""
        self.ensure_fresh(stale=False)
        state = self.check_model()
        with self._lock:
            generation = state.collection
            if self._corpus is None or self._corpus.generation != generation:
                cached = load_cached(self._corpus_cache_dir(), generation)
                if cached is None:
                    cached = Corpus(self.store.all_chunks(), generation)
                    save_cached(self._corpus_cache_dir(), cached)
                self._corpus = cached
            return self._corpus

    def draft_corpus(self) -> Corpus:
        """The configured roles parsed, with no embedding and no store: what Browse, Compare and
        word (BM25) search serve while the index is built. Parsed once per process."""
        with self._lock:
            if self._draft is None:
                docs, _ = parse_folder(list(self.settings.roles))
                self._draft = Corpus([c for d in docs for c in d.chunks], "draft")
            return self._draft

    def _corpus_cache_dir(self) -> Path:
        """Local stores keep the corpus cache inside the store; servers in the user cache."""
        if self.settings.chroma_url:
            where = f"{self.settings.chroma_url}|{self.settings.chroma_database}"
            key = hashlib.sha1(where.encode()).hexdigest()[:12]
            return self.settings.cache / "corpus" / key
        return self.settings.store / "corpus-cache"

    def search(
        self,
        query: str,
        *,
        k: int = 10,
        filters: Filters | None = None,
        mode: str = "hybrid",
        corpus: Corpus | None = None,
        overviews_apart: bool = True,
    ) -> SearchResponse:
        """Hybrid search over the live index (``mode="lexical"`` with ``corpus`` from
        ``draft_corpus()``: word matches while there is no index or model yet). Overview
        passages that rank among the results come apart in ``overviews``; ``overviews_apart=False``
        mixes them in by rank.

        Raises:
            QueryError: empty query, bad ``k``, a filter value the index does not hold, or a
                glossary file (``settings.glossary``) that is missing or malformed.
        """
        text, notice = clean_query(query)
        corpus = corpus or self.corpus()
        fixed = corrected(text, corpus)  # "secuirty enginer" -> "security engineer": the names' spelling
        if fixed != text:
            notice = " ".join(x for x in (notice, f'searched for "{fixed}" (spelling corrected)') if x)
            text = fixed
        glossed = self.glossary.gloss(text, corpus)  # "terraform" -> "terraform (infrastructure as code)"
        notice = "; ".join(x for x in (notice, glossed.notice) if x)
        wide = glossed.text
        vector = self.embedder.embed_query(wide) if mode != "lexical" else np.zeros(1, dtype=np.float32)
        topic = topic_of(wide, corpus) if mode != "lexical" else ""
        topic_vector = self.embedder.embed_query(topic) if topic else None
        found = _search(wide, corpus, self.store, vector, k=k, filters=filters, notice=notice, mode=mode,
                        topic_vector=topic_vector, overviews_apart=overviews_apart,
                        tracks=tracks_said(text, corpus))
        return with_links(replace(found, query=text) if wide != text else found, self.link)

    def fit(self, text: str, *, filters: Filters | None = None, top: int = 10) -> FitReport:
        """Which role documents fit a description of someone's work, with the evidence.

        Raises:
            QueryError: the text is empty or a filter value is unknown.
        """
        text, notice = clean_fit_text(text)
        evidence = classify_statements(text, limit=_MAX_STATEMENTS + 1)
        if len(evidence.statements) > _MAX_STATEMENTS:
            evidence = replace(evidence, statements=evidence.statements[:_MAX_STATEMENTS])
            notice = (notice + " " if notice else "") + (
                f"only the first {_MAX_STATEMENTS} statements were used"
            )
        corpus = self.corpus()
        vectors = self.embedder.embed_documents(list(evidence.statements))
        report = _fit(text, corpus, self.store, vectors, evidence=evidence, filters=filters, top=top)
        return with_links(replace(report, notice=notice) if notice else report, self.link)

    def ask_context(self) -> AskContext:
        """What answering needs from the live index: corpus, search, embedding, fit, language model."""
        s = self.settings
        chat = ChatSettings(s.llm_url, s.llm_model, s.llm_key, s.llm_timeout) if s.llm_url else None

        def embed(texts: Sequence[str]) -> np.ndarray:
            return self.embedder.embed_documents(list(texts))

        def search(text: str, **options: Any) -> SearchResponse:
            return self.search(text, overviews_apart=False, **options)  # answers read overview text too

        return AskContext(corpus=self.corpus(), search=search, embed=embed, fit=self.fit, chat=chat,
                          glossary=self.glossary)

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
        record = self.record()
        return web_link(dict(record.source) if record else {}, path, line)

    def record(self) -> IndexRecord | None:
        """The live index's record (model, files, git source...), None before the first index;
        re-read only when a new generation may have been published."""
        state = self.store.current_state()
        return self._record_of(state) if state else None

    def _record_of(self, state: dict[str, Any]) -> IndexRecord:
        # Searches ask for the record on every call: the store hands back the same state object
        # until a new generation is published, so it is turned into a record once per generation.
        known = self._record
        if known is None or known[0] is not state:
            known = self._record = (state, IndexRecord.from_dict(state))
        return known[1]


_MAX_STATEMENTS = 200


def build_ladder(
    settings: Settings | None = None,
    *,
    embedder: Embedder | None = None,
    store: VectorStore | None = None,
) -> Ladder:
    """Create the one ``Ladder`` for a process from ``settings`` (default: the environment)."""
    return Ladder(settings or Settings.from_env(), embedder=embedder, store=store)
