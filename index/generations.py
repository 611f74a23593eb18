"""Generations: how the vector store writes, publishes and reads an index (``VectorStore``).

An index is a *generation*: one Chroma collection written in full, then published by
switching a small state record (``index.state``: which collection is live, with which model,
from which files) in one atomic step. The live collection is never modified in place, so a
reader never sees a half-written index and an interrupted run leaves the previous generation
answering. Chroma's dict shapes are converted to ``Chunk`` here and nowhere else.

``VectorStore`` holds a Chroma client but never imports chromadb: ``index.store.open_store``
(the only module that does) creates the client and the store.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from . import locks, segments
from .documents import Chunk
from .errors import IndexBusyError, IndexNotBuiltError, LadderError, StoreError
from .failures import foreign_errors
from .integrity import sample_check, spot_check
from .state import FileState, StateBackend

_PREFIX = "ladder_gen_"
_ADD_BATCH = 2000
_GET_BATCH = 5000
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Hit:
    """A chunk found by a vector query, with its cosine similarity."""

    chunk: Chunk
    similarity: float



class VectorStore:
    """One client interface over an embedded Chroma folder or a Chroma server."""

    def __init__(
        self, client: Any, state: StateBackend, location: str, lock_path: Path, secret: str = ""
    ):
        self._client = client
        self._state = state
        self.location = location
        self._lock_path = lock_path
        self._live: tuple[str, Any, int] | None = None
        self._read_cache: tuple[str, float, dict[str, Any] | None] | None = None
        self._secret = secret  # the server token: redacted from every message, never stored

    def _foreign_errors(self, doing: str) -> AbstractContextManager[None]:
        """Chroma's own failures (damage, a server gone) -> one clear ``StoreError``."""
        return foreign_errors(self.location, doing, self._secret)

    # -- state -----------------------------------------------------------------------------
    def state(self) -> dict[str, Any] | None:
        """The published state (live collection, model, files), or None before the first index."""
        return self._state.read()

    def current_state(self) -> dict[str, Any] | None:
        """The published state for readers, re-read only when it may have changed.

        A local store's state file is checked with one ``stat`` per call; a server's state is
        re-read at most once a second. Either way a search never parses the file manifest
        again while nothing was published, so its cost does not grow with the framework.
        """
        now = time.monotonic()
        local = isinstance(self._state, FileState)
        if self._read_cache is not None:
            version, stamp, value = self._read_cache
            if (local and self._state.version() == version) or (not local and now - stamp < 1.0):
                return value
        version = self._state.version() if local else ""
        value = self._state.read()
        self._read_cache = (version, now, value)
        return value

    def state_version(self) -> str:
        """Changes whenever a new generation is published (cheap: a stat for local stores)."""
        return self._state.version()

    def require_state(self) -> dict[str, Any]:
        state = self.current_state()
        if not state:
            raise IndexNotBuiltError(
                f"no index in {self.location} yet; run: ladder index PATH (e.g. ladder index roles/)"
            )
        return state

    # -- writing ---------------------------------------------------------------------------
    @contextmanager
    def writer_lock(
        self, wait_seconds: float = 0.0, on_wait: Callable[[str], None] | None = None
    ) -> Iterator[None]:
        """Hold the single-writer lock; raise ``IndexBusyError`` if another indexer has it
        after ``wait_seconds`` (``on_wait(holder)`` is called once when the wait begins)."""
        self._lock_path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self._lock_path, "a+")
        try:
            try:
                locks.lock(fh, wait_seconds, on_wait)
            except locks.LockBusy as exc:
                busy = IndexBusyError(
                    f"{self.location}: another ladder index is writing ({exc.holder}); "
                    "wait for it to finish, or pass --wait SECONDS"
                )
                busy.holder = exc.holder
                raise busy from None
            locks.record_holder(fh)
            yield
        finally:
            fh.close()

    def create_generation(self) -> str:
        """A new empty collection for the next index; returns its name."""
        name = f"{_PREFIX}{time.time_ns()}"
        with self._foreign_errors("writing the index"):
            self._client.create_collection(
                name, embedding_function=None, metadata={"hnsw:space": "cosine", "hnsw:search_ef": 200}
            )
        return name

    def add(self, name: str, chunks: Sequence[Chunk], vectors: np.ndarray, hashes: list[str]) -> None:
        with self._foreign_errors("writing the index"):
            collection = self._client.get_collection(name, embedding_function=None)
            for start in range(0, len(chunks), _ADD_BATCH):
                part = chunks[start : start + _ADD_BATCH]
                metas = [{**c.metadata(), "ehash": h} for c, h in zip(part, hashes[start:], strict=False)]
                collection.add(
                    ids=[c.id for c in part],
                    documents=[c.text for c in part],
                    metadatas=metas,  # type: ignore[arg-type]
                    embeddings=vectors[start : start + len(part)],
                )

    def count(self, name: str) -> int:
        return int(self._client.get_collection(name, embedding_function=None).count())

    def publish(self, state: dict[str, Any]) -> None:
        """Make ``state['collection']`` the live generation, then drop every other one and
        reclaim their folders."""
        with self._foreign_errors("publishing the index"):
            self._state.write(state)
        self.drop_unpublished()
        self.sweep_orphans()

    def orphan_folders(self) -> list[Path]:
        """Vector-segment folders of a local store that no collection owns
        (``index.segments.orphan_folders``); none for a server, which manages its own files."""
        if not isinstance(self._state, FileState):
            return []  # a server manages its own files
        return segments.orphan_folders(self._state.path.parent)

    def sweep_orphans(self) -> list[Path]:
        """Delete ``orphan_folders()`` (the caller holds the writer lock); returns them."""
        return segments.sweep(self.orphan_folders())

    def drop_unpublished(self) -> list[str]:
        """Delete generations that are not live (left by interrupted runs); returns their names."""
        state = self.state()
        live = state.get("collection") if state else None
        dropped = []
        for name in self._generation_names():
            if name != live:
                try:
                    self._client.delete_collection(name)
                    dropped.append(name)
                except Exception:  # noqa: BLE001 - a concurrent cleaner got there first
                    continue
        return dropped

    def _generation_names(self) -> list[str]:
        return [
            c if isinstance(c, str) else c.name
            for c in self._client.list_collections()
            if (c if isinstance(c, str) else c.name).startswith(_PREFIX)
        ]

    # -- reading ---------------------------------------------------------------------------
    def _collection(self) -> Any:
        return self._open(self.require_state())[0]

    def _open(self, state: dict[str, Any]) -> tuple[Any, int]:
        """The collection of ``state``'s generation and its size, fetched once per generation
        (a generation is never modified, so its size is read once, not on every query)."""
        name = state["collection"]
        if self._live is None or self._live[0] != name:
            try:
                collection = self._client.get_collection(name, embedding_function=None)
            except LadderError:
                raise  # the client itself could not be opened (it opens on first use)
            except Exception as exc:  # noqa: BLE001
                raise StoreError(
                    f"{self.location}: live index {name} is missing or damaged ({exc}); "
                    "run: ladder index --rebuild"
                ) from None
            count = self._spot_check(collection, int(state.get("chunks", -1)))
            self._live = (name, collection, count)
        return self._live[1], self._live[2]

    def _on_live(self, doing: str, call: Callable[[Any, int], _T]) -> _T:
        """``call(collection, size)`` on the live generation.

        Another process may publish a new generation and drop this one between our reading the
        state and querying (a server's state is re-read at most once a second): when the call
        fails and the published state has moved on, it runs once more on the new generation.
        """
        state = self.require_state()
        try:
            collection, count = self._open(state)
            with self._foreign_errors(doing):
                return call(collection, count)
        except Exception:
            self._read_cache = None  # look at the published state now
            fresh = self.require_state()
            if fresh["collection"] == state["collection"]:
                raise
        collection, count = self._open(fresh)
        with self._foreign_errors(doing):
            return call(collection, count)

    def _spot_check(self, collection: Any, expected: int) -> int:
        """Once per generation and process (a few ms): ``index.integrity.spot_check``."""
        with self._foreign_errors("opening the index"):
            return spot_check(collection, expected, self.location)

    def query(self, vector: np.ndarray, k: int, where: dict[str, Any] | None = None) -> list[Hit]:
        result = self._on_live("searching the index", lambda collection, count: collection.query(
            query_embeddings=[vector.tolist()],
            n_results=max(1, min(k, count)),
            where=where or None,
            include=["documents", "metadatas", "distances"],
        ))
        return [
            Hit(Chunk.from_metadata(i, doc or "", meta or {}), 1.0 - float(dist))
            for i, doc, meta, dist in zip(
                result["ids"][0],
                result["documents"][0],  # type: ignore[index]
                result["metadatas"][0],  # type: ignore[index]
                result["distances"][0],  # type: ignore[index]
                strict=False,
            )
        ]

    def nearest(
        self, vectors: np.ndarray, k: int, where: dict[str, Any] | None = None
    ) -> list[list[tuple[str, float]]]:
        """Ids and cosine similarities of the ``k`` nearest chunks, one list per query vector.

        Cheaper than ``query``: no documents or metadata cross the wire, for callers that
        already hold the chunks in memory.
        """
        if len(vectors) == 0:
            return []
        result = self._on_live("searching the index", lambda collection, count: collection.query(
            query_embeddings=[v.tolist() for v in vectors],
            n_results=max(1, min(k, count)),
            where=where or None,
            include=["distances"],
        ))
        return [
            [(i, 1.0 - float(d)) for i, d in zip(ids, dists, strict=False)]
            for ids, dists in zip(result["ids"], result["distances"], strict=False)  # type: ignore[arg-type]
        ]

    def vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        """Stored embeddings of the live generation for ``ids``."""
        if not ids:
            return {}
        out: dict[str, np.ndarray] = {}

        def read(batch: list[str]) -> Any:
            return self._on_live("reading the index", lambda c, _: c.get(ids=batch, include=["embeddings"]))

        for start in range(0, len(ids), _GET_BATCH):  # bounded: SQLite caps a query's variables
            got = read(ids[start:start + _GET_BATCH])
            embeddings = np.asarray(got["embeddings"], dtype=np.float32)
            out.update(zip(got["ids"], embeddings, strict=False))
        return out

    def all_chunks(self, name: str | None = None) -> list[Chunk]:
        """Every chunk of the live generation (or of ``name``), in no particular order."""
        collection = (
            self._client.get_collection(name, embedding_function=None) if name else self._collection()
        )
        out: list[Chunk] = []
        with self._foreign_errors("reading the index"):
            total = collection.count()
            for offset in range(0, total, 5000):
                got = collection.get(include=["documents", "metadatas"], limit=5000, offset=offset)
                out.extend(
                    Chunk.from_metadata(i, d or "", m or {})
                    for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=False)  # type: ignore[arg-type]
                )
        return out

    def check(self, sample: int = 200) -> dict[str, int]:
        """Verify the live generation here and now: its size, and that sampled vectors find themselves.

        A damaged local store can hang in here: call it through ``index.health.check_store``,
        which runs it in a child process with a time limit.

        Returns:
            ``{"chunks", "sampled", "misses", "orphans", "orphan_folders", "orphan_bytes"}``: orphans
            are unpublished generations; orphan folders are vector folders no collection owns.
        Raises:
            IndexNotBuiltError: no index yet. StoreError: the index is damaged.
        """
        state = self.require_state()
        collection = self._collection()
        with self._foreign_errors("checking the index"):
            count, sampled, misses = sample_check(collection, state, sample, self.location)
            orphans = len([n for n in self._generation_names() if n != state["collection"]])
        if misses > sampled // 50:  # HNSW is approximate, but not by this much
            raise StoreError(
                f"{self.location}: {misses} of {sampled} sampled vectors no longer find "
                "themselves (a damaged vector index); run: ladder index --rebuild"
            )
        folders = self.orphan_folders()
        size = sum(f.stat().st_size for folder in folders for f in folder.rglob("*") if f.is_file())
        return {"chunks": count, "sampled": sampled, "misses": misses, "orphans": orphans,
                "orphan_folders": len(folders), "orphan_bytes": size}

    def vectors_by_hash(self) -> dict[str, np.ndarray]:
        """Stored embeddings of the live generation keyed by their embed-text hash (for reuse)."""
        state = self.state()
        if not state:
            return {}
        try:
            collection = self._client.get_collection(state["collection"], embedding_function=None)
        except Exception:  # noqa: BLE001 - a damaged live index just means nothing to reuse
            return {}
        out: dict[str, np.ndarray] = {}
        total = collection.count()
        for offset in range(0, total, 5000):
            got = collection.get(include=["metadatas", "embeddings"], limit=5000, offset=offset)
            for meta, vec in zip(got["metadatas"], got["embeddings"], strict=False):  # type: ignore[arg-type]
                if meta and meta.get("ehash"):
                    out[str(meta["ehash"])] = np.asarray(vec, dtype=np.float32)
        return out

