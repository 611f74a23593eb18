"""The vector store: the only module that imports chromadb.

An index is a *generation*: one Chroma collection written in full, then published by
switching a small state record (which collection is live, with which model, from which files)
in one atomic step. The live collection is never modified in place, so a reader never sees a
half-written index and an interrupted run leaves the previous generation answering. Chroma's
dict shapes are converted to ``Chunk`` here and nowhere else.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

import numpy as np

from .documents import Chunk
from .errors import IndexBusyError, IndexNotBuiltError, StoreError

_PREFIX = "ladder_gen_"
_STATE_COLLECTION = "ladder_state"
_STATE_FILE = "ladder-state.json"
_LOCK_FILE = "ladder-write.lock"
_ADD_BATCH = 2000


@dataclass(frozen=True, slots=True)
class Hit:
    """A chunk found by a vector query, with its cosine similarity."""

    chunk: Chunk
    similarity: float


class _StateBackend(Protocol):
    def read(self) -> dict[str, Any] | None: ...

    def write(self, state: dict[str, Any]) -> None: ...

    def version(self) -> str: ...


class _FileState:
    """The live-generation record as a JSON file, replaced atomically (local stores)."""

    def __init__(self, folder: Path):
        self.path = folder / _STATE_FILE

    def read(self) -> dict[str, Any] | None:
        try:
            return json.loads(self.path.read_text("utf-8"))  # type: ignore[no-any-return]
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise StoreError(
                f"{self.path}: index state is unreadable ({exc}); run: ladder index --rebuild"
            ) from None

    def write(self, state: dict[str, Any]) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".state-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(state, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)

    def version(self) -> str:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return ""
        return f"{st.st_mtime_ns}:{st.st_size}:{st.st_ino}"


class _CollectionState:
    """The live-generation record in a collection's metadata (Chroma server)."""

    def __init__(self, client: Any):
        self._client = client

    def _collection(self) -> Any:
        return self._client.get_or_create_collection(_STATE_COLLECTION, embedding_function=None)

    def read(self) -> dict[str, Any] | None:
        meta = self._collection().metadata or {}
        raw = meta.get("state")
        return json.loads(raw) if raw else None

    def write(self, state: dict[str, Any]) -> None:
        self._collection().modify(metadata={"state": json.dumps(state)})

    def version(self) -> str:
        state = self.read()
        return state.get("collection", "") if state else ""


class VectorStore:
    """One client interface over an embedded Chroma folder or a Chroma server."""

    def __init__(self, client: Any, state: _StateBackend, location: str, lock_path: Path):
        self._client = client
        self._state = state
        self.location = location
        self._lock_path = lock_path
        self._live: tuple[str, Any] | None = None

    # -- state -----------------------------------------------------------------------------
    def state(self) -> dict[str, Any] | None:
        """The published state (live collection, model, files), or None before the first index."""
        return self._state.read()

    def state_version(self) -> str:
        """Changes whenever a new generation is published (cheap: a stat for local stores)."""
        return self._state.version()

    def require_state(self) -> dict[str, Any]:
        state = self.state()
        if not state:
            raise IndexNotBuiltError(
                f"no index in {self.location} yet; run: ladder index PATH (e.g. ladder index roles/)"
            )
        return state

    # -- writing ---------------------------------------------------------------------------
    @contextmanager
    def writer_lock(self, wait_seconds: float = 0.0) -> Iterator[None]:
        """Hold the single-writer lock; raise ``IndexBusyError`` if another indexer has it."""
        self._lock_path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self._lock_path, "a+")
        deadline = time.monotonic() + wait_seconds
        try:
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        fh.seek(0)
                        holder = fh.read().strip() or "another process"
                        raise IndexBusyError(
                            f"{self.location}: another ladder index is writing ({holder}); "
                            "wait for it to finish, or pass --wait SECONDS"
                        ) from None
                    time.sleep(0.2)
            fh.seek(0)
            fh.truncate()
            fh.write(f"pid {os.getpid()}")
            fh.flush()
            yield
        finally:
            fh.close()

    def create_generation(self) -> str:
        """A new empty collection for the next index; returns its name."""
        name = f"{_PREFIX}{time.time_ns()}"
        self._client.create_collection(
            name, embedding_function=None, metadata={"hnsw:space": "cosine"}
        )
        return name

    def add(self, name: str, chunks: Sequence[Chunk], vectors: np.ndarray, hashes: list[str]) -> None:
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
        """Make ``state['collection']`` the live generation, then drop every other one."""
        self._state.write(state)
        self.drop_unpublished()

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
        state = self.require_state()
        name = state["collection"]
        if self._live is None or self._live[0] != name:
            try:
                self._live = (name, self._client.get_collection(name, embedding_function=None))
            except Exception as exc:  # noqa: BLE001
                raise StoreError(
                    f"{self.location}: live index {name} is missing or damaged ({exc}); "
                    "run: ladder index --rebuild"
                ) from None
        return self._live[1]

    def query(self, vector: np.ndarray, k: int, where: dict[str, Any] | None = None) -> list[Hit]:
        collection = self._collection()
        k = max(1, min(k, collection.count()))
        result = collection.query(
            query_embeddings=[vector.tolist()],
            n_results=k,
            where=where or None,
            include=["documents", "metadatas", "distances"],
        )
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

    def all_chunks(self, name: str | None = None) -> list[Chunk]:
        """Every chunk of the live generation (or of ``name``), in no particular order."""
        collection = (
            self._client.get_collection(name, embedding_function=None) if name else self._collection()
        )
        out: list[Chunk] = []
        total = collection.count()
        for offset in range(0, total, 5000):
            got = collection.get(include=["documents", "metadatas"], limit=5000, offset=offset)
            out.extend(
                Chunk.from_metadata(i, d or "", m or {})
                for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=False)  # type: ignore[arg-type]
            )
        return out

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


def open_store(path: Path | None = None, url: str | None = None, token: str | None = None) -> VectorStore:
    """Open the embedded store at ``path``, or the Chroma server at ``url`` when given.

    Raises:
        StoreError: the folder cannot be created or written, or the server does not answer.
    """
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    if url:
        parsed = urlparse(url if "://" in url else f"http://{url}")
        if not parsed.hostname:
            raise StoreError(f"--chroma-url {url!r}: not a URL; use http://HOST:PORT")
        headers = {"Authorization": f"Bearer {token}"} if token else None
        try:
            client = chromadb.HttpClient(
                host=parsed.hostname,
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
                headers=headers,
                settings=settings,
            )
            client.heartbeat()
        except Exception as exc:  # noqa: BLE001
            reason = str(exc).replace(token, "***") if token else str(exc)
            raise StoreError(
                f"Chroma server {parsed.scheme}://{parsed.hostname}:{parsed.port} did not answer "
                f"({reason[:120]}); start it with: chroma run --host 127.0.0.1 --port PORT --path DIR"
            ) from None
        key = hashlib.sha1(f"{parsed.hostname}:{parsed.port}".encode()).hexdigest()[:12]
        lock = Path(tempfile.gettempdir()) / f"ladder-{key}.lock"
        return VectorStore(client, _CollectionState(client), f"{parsed.hostname}:{parsed.port}", lock)

    assert path is not None
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".ladder-write-probe"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        raise StoreError(
            f"store path {path}: not writable ({exc.strerror}); choose another with --store"
        ) from None
    try:
        client = chromadb.PersistentClient(path=str(path), settings=settings)
    except Exception as exc:  # noqa: BLE001
        raise StoreError(
            f"store {path}: cannot be opened ({str(exc)[:120]}); run: ladder index --rebuild"
        ) from None
    return VectorStore(client, _FileState(path), str(path), path / _LOCK_FILE)
