"""The vector store: the only module that imports chromadb.

An index is a *generation*: one Chroma collection written in full, then published by
switching a small state record (which collection is live, with which model, from which files)
in one atomic step. The live collection is never modified in place, so a reader never sees a
half-written index and an interrupted run leaves the previous generation answering. Chroma's
dict shapes are converted to ``Chunk`` here and nowhere else.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar
from urllib.parse import urlparse

import numpy as np

from . import locks
from .documents import Chunk
from .errors import IndexBusyError, IndexNotBuiltError, LadderError, StoreAccessError, StoreError

_PREFIX = "ladder_gen_"
_STATE_COLLECTION = "ladder_state"
_STATE_FILE = "ladder-state.json"
_LOCK_FILE = "ladder-write.lock"
_ADD_BATCH = 2000
_GET_BATCH = 5000
_T = TypeVar("_T")
#: Words in a Chroma/SQLite/OS failure that mean the folder cannot be read or written, not damage.
_ACCESS_WORDS = (
    "readonly", "read-only", "read only", "permission denied", "operation not permitted",
    "unable to open database file", "not a directory", "no space left", "disk is full", "disk full",
)
#: What Ladder and Chroma put in a store folder: anything else there is the user's, not ours.
_STORE_NAMES = ("chroma.sqlite3", _STATE_FILE, _LOCK_FILE, "corpus-cache")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_STORE_PATTERNS = re.compile(  # hidden names too: .state-* and probes, and a desktop's .DS_Store
    rf"{_UUID.pattern}|\..*|chroma\.sqlite3-(?:wal|shm|journal)"
)


def _is_access_problem(exc: BaseException) -> bool:
    """True when ``exc`` says the store cannot be read or written (permissions, a read-only
    or full disk), as opposed to its data being damaged."""
    if isinstance(exc, (PermissionError, NotADirectoryError, IsADirectoryError)):
        return True
    text = str(exc).lower()
    return any(word in text for word in _ACCESS_WORDS)


def is_ladder_store(path: Path) -> bool:
    """True when the folder ``path`` holds only what Ladder and Chroma write (or nothing):
    the only kind of folder Ladder ever moves aside."""
    try:
        names = [p.name for p in path.iterdir()]
    except OSError:
        return False
    return all(n in _STORE_NAMES or _STORE_PATTERNS.fullmatch(n) for n in names)


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
            return json.loads(self.path.read_text("utf-8"))
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreAccessError(
                f"{self.path}: index state cannot be read ({exc.strerror}); check the store's permissions"
            ) from None
        except ValueError as exc:
            raise StoreError(
                f"{self.path}: index state is unreadable ({exc}); run: ladder index --rebuild"
            ) from None

    def write(self, state: dict[str, Any]) -> None:
        try:
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".state-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(state, fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except OSError as exc:
            raise StoreAccessError(
                f"{self.path}: the index state cannot be written ({exc.strerror}); the previous index is "
                "untouched; check the store's permissions and free space"
            ) from None

    def version(self) -> str:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return ""
        return f"{st.st_mtime_ns}:{st.st_size}:{st.st_ino}"


class _CollectionState:
    """The live-generation record on a Chroma server, where there is no file to replace.

    Each generation's full state is written into that generation's own collection metadata
    before it goes live; a small pointer (``{"live": name}``) in the ``ladder_state``
    collection's metadata says which one is live. Publishing rewrites only the pointer, one
    atomic metadata update on the server. Readers fetch the small pointer on every call and the
    full state once per generation, so a query's cost does not grow with the framework.
    """

    def __init__(self, client: Any, location: str):
        self._client = client
        self._location = location
        self._cache: tuple[str, dict[str, Any]] | None = None

    def _pointer(self) -> dict[str, Any]:
        from chromadb.errors import NotFoundError

        try:
            collection = self._client.get_collection(_STATE_COLLECTION, embedding_function=None)
        except NotFoundError:
            return {}
        return dict(collection.metadata or {})

    def read(self) -> dict[str, Any] | None:
        from chromadb.errors import NotFoundError

        live = self._pointer().get("live")
        if not live:
            return None
        if self._cache and self._cache[0] == live:
            return self._cache[1]
        try:
            meta = self._client.get_collection(live, embedding_function=None).metadata or {}
            state: dict[str, Any] = json.loads(meta["ladder_state"])
        except (NotFoundError, KeyError, ValueError):
            raise StoreError(
                f"{self._location}: live index {live} is missing or damaged on the server; "
                "run: ladder index --rebuild"
            ) from None
        self._cache = (live, state)
        return state

    def write(self, state: dict[str, Any]) -> None:
        name = state["collection"]
        generation = self._client.get_collection(name, embedding_function=None)
        # no "hnsw:" keys here: the distance is fixed at creation and may not be re-sent
        generation.modify(metadata={"ladder_state": json.dumps(state)})
        pointer = self._client.get_or_create_collection(_STATE_COLLECTION, embedding_function=None)
        pointer.modify(metadata={"live": name})

    def version(self) -> str:
        return str(self._pointer().get("live", ""))


class VectorStore:
    """One client interface over an embedded Chroma folder or a Chroma server."""

    def __init__(
        self, client: Any, state: _StateBackend, location: str, lock_path: Path, secret: str = ""
    ):
        self._client = client
        self._state = state
        self.location = location
        self._lock_path = lock_path
        self._live: tuple[str, Any, int] | None = None
        self._read_cache: tuple[str, float, dict[str, Any] | None] | None = None
        self._secret = secret  # the server token: redacted from every message, never stored

    @contextmanager
    def _foreign_errors(self, doing: str) -> Iterator[None]:
        """Chroma's own failures (damage, a server gone) -> one clear ``StoreError``."""
        try:
            yield
        except (LadderError, ValueError, TypeError):
            raise  # ours, or a bad filter from the caller
        except Exception as exc:  # noqa: BLE001 - chromadb and httpx raise many types
            reason = _redact(_first_line(exc), self._secret)
            if _is_access_problem(exc):
                raise StoreAccessError(
                    f"{self.location}: {doing} failed ({reason}): the store cannot be written or read, which "
                    "is not damage; check its permissions and free space (the previous index is untouched)"
                ) from None
            raise StoreError(
                f"{self.location}: {doing} failed ({reason}); check it with: ladder doctor, "
                "or rebuild it with: ladder index --rebuild"
            ) from None

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
        local = isinstance(self._state, _FileState)
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
        """Vector-segment folders of a local store that no collection owns.

        Chroma leaves a deleted collection's segment folder on disk (chroma-core/chroma#5259)
        and Ladder deletes a collection on every re-index, so without a sweep each re-index
        would leave the previous generation's vectors behind. A folder counts as an orphan
        only when its name is a UUID and Chroma's own segment table does not list it; when
        that table cannot be read, nothing is an orphan.
        """
        if not isinstance(self._state, _FileState):
            return []  # a server manages its own files
        folder = self._state.path.parent
        try:
            with closing(sqlite3.connect(f"file:{folder / 'chroma.sqlite3'}?mode=ro", uri=True, timeout=5)) as db:
                owned = {str(row[0]) for row in db.execute("SELECT id FROM segments")}
            folders = [p for p in folder.iterdir() if p.is_dir() and _UUID.fullmatch(p.name)]
        except (sqlite3.Error, OSError):
            return []
        return sorted(p for p in folders if p.name not in owned)

    def sweep_orphans(self) -> list[Path]:
        """Delete ``orphan_folders()`` (the caller holds the writer lock); returns them."""
        swept = []
        for orphan in self.orphan_folders():
            shutil.rmtree(orphan, ignore_errors=True)
            swept.append(orphan)
        return swept

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
        """Once per generation and process (a few ms): a damaged vector index answers wrongly
        rather than failing, so check its size and that three stored vectors find themselves."""
        with self._foreign_errors("opening the index"):
            count = int(collection.count())
            if expected >= 0 and count != expected:
                raise StoreError(
                    f"{self.location}: the live index holds {count} of its {expected} chunks; "
                    "run: ladder index --rebuild"
                )
            offsets = sorted({0, count // 2, count - 1}) if count else []
            vectors = [
                collection.get(limit=1, offset=o, include=["embeddings"])["embeddings"][0] for o in offsets
            ]
            misses = 0
            if vectors:
                # HNSW is approximate: a healthy index may rank a near-twin first, so a vector
                # counts as found anywhere in its top 10, and one miss of three is tolerated.
                found = collection.query(
                    query_embeddings=np.asarray(vectors, dtype=np.float32),
                    n_results=min(10, count),
                    include=["distances"],
                )
                misses = sum(1 for row in found["distances"] or [] if not row or min(row) > 1e-3)
        if misses > 1 or (misses and len(offsets) == 1):
            raise StoreError(
                f"{self.location}: the vector index is damaged ({misses} of {len(offsets)} stored vectors "
                "do not find themselves); check it with: ladder doctor, or rebuild it with: ladder index --rebuild"
            )
        return count

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
            count = int(collection.count())
            expected = int(state.get("chunks", count))
            if count != expected:
                raise StoreError(
                    f"{self.location}: the live index holds {count} of its {expected} chunks; "
                    "run: ladder index --rebuild"
                )
            ids = collection.get(include=[])["ids"]
            picked = ids[:: max(1, len(ids) // max(1, sample))][:sample]
            got = collection.get(ids=picked, include=["embeddings"])
            vectors = np.asarray(got["embeddings"], dtype=np.float32)
            misses = 0
            if len(picked):
                found = collection.query(
                    query_embeddings=vectors, n_results=min(10, count), include=["distances"]
                )
                misses = sum(1 for row in found["distances"] or [] if not row or min(row) > 1e-3)
            orphans = len([n for n in self._generation_names() if n != state["collection"]])
        if misses > len(picked) // 50:  # HNSW is approximate, but not by this much
            raise StoreError(
                f"{self.location}: {misses} of {len(picked)} sampled vectors no longer find "
                "themselves (a damaged vector index); run: ladder index --rebuild"
            )
        folders = self.orphan_folders()
        size = sum(f.stat().st_size for folder in folders for f in folder.rglob("*") if f.is_file())
        return {"chunks": count, "sampled": len(picked), "misses": misses, "orphans": orphans,
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


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:160]


def _redact(text: str, secret: str | None) -> str:
    return text.replace(secret, "***") if secret else text


def _ensure_database(host: str, port: int, ssl: bool, headers: dict[str, str] | None, database: str) -> None:
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from chromadb.errors import NotFoundError

    admin = chromadb.AdminClient(
        ChromaSettings(
            chroma_api_impl="chromadb.api.fastapi.FastAPI",
            chroma_server_host=host,
            chroma_server_http_port=port,
            chroma_server_ssl_enabled=ssl,
            chroma_server_headers=headers,
            anonymized_telemetry=False,
        )
    )
    try:
        admin.get_database(database)
    except NotFoundError:
        admin.create_database(database)


def open_store(
    path: Path | None = None,
    url: str | None = None,
    token: str | None = None,
    *,
    database: str | None = None,
) -> VectorStore:
    """Open the embedded store at ``path``, or the Chroma server at ``url`` when given.

    Args:
        path: the embedded store's folder.
        url: a Chroma server, ``http://HOST:PORT``; ``path`` is then ignored.
        token: sent to the server as ``Authorization: Bearer``; never shown in a message.
        database: a Chroma database on the server (created on first use), so several
            frameworks can share one server; default: the server's default database.

    Raises:
        StoreError: the folder cannot be created or written, or the server does not answer.
    """
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    if url:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        settings = ChromaSettings(anonymized_telemetry=False)
        parsed = urlparse(url if "://" in url else f"http://{url}")
        if not parsed.hostname:
            raise StoreError(f"--chroma-url {url!r}: not a URL; use http://HOST:PORT")
        headers = {"Authorization": f"Bearer {token}"} if token else None
        port = parsed.port or (443 if parsed.scheme == "https" else 8000)
        server = f"{parsed.scheme}://{parsed.hostname}:{port}"
        extra = {"database": database} if database else {}
        try:
            if database:
                _ensure_database(parsed.hostname, port, parsed.scheme == "https", headers, database)
            client = chromadb.HttpClient(
                host=parsed.hostname,
                port=port,
                ssl=parsed.scheme == "https",
                headers=headers,
                settings=settings,
                **extra,  # type: ignore[arg-type]
            )
            client.heartbeat()
        except Exception as exc:  # noqa: BLE001
            reason = _redact(_first_line(exc), token)
            if any(word in reason for word in ("401", "403", "nauthorized", "orbidden")):
                raise StoreError(
                    f"Chroma server {server} refused the credentials ({reason}); "
                    "check LADDER_CHROMA_TOKEN"
                ) from None
            raise StoreError(
                f"Chroma server {server} did not answer ({reason}); "
                "start it with: chroma run --host 127.0.0.1 --port PORT --path DIR"
            ) from None
        location = f"{parsed.hostname}:{port}" + (f"/{database}" if database else "")
        key = hashlib.sha1(location.encode()).hexdigest()[:12]
        lock = Path(tempfile.gettempdir()) / f"ladder-{key}.lock"
        state = _CollectionState(client, location)
        return VectorStore(client, state, location, lock, secret=token or "")

    assert path is not None
    if path.exists() and not path.is_dir():
        raise StoreAccessError(f"store path {path}: not a folder; choose another with --store")
    if path.is_dir() and not is_ladder_store(path):
        raise StoreAccessError(
            f"store path {path}: holds files that are not a Ladder store; choose a new or empty folder with --store"
        )
    try:
        path.mkdir(parents=True, exist_ok=True)
        # a probe of its own: processes opening the store at once must not delete each other's
        fd, probe = tempfile.mkstemp(dir=path, prefix=".ladder-write-probe-")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise StoreAccessError(
            f"store path {path}: not writable ({exc.strerror}); choose another with --store"
        ) from None
    return VectorStore(_LazyClient(path), _FileState(path), str(path), path / _LOCK_FILE)


class _LazyClient:
    """The embedded Chroma client, opened on first use: the state file and Ladder's corpus
    cache are read without it, so a restarted app's first page and word search need no
    ``import chromadb`` (1-1.5 s on 2 busy cores)."""

    def __init__(self, path: Path):
        self._path = path
        self._client: Any = None
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        with self._lock:
            if self._client is None:
                import chromadb
                from chromadb.config import Settings as ChromaSettings

                try:
                    self._client = chromadb.PersistentClient(
                        path=str(self._path), settings=ChromaSettings(anonymized_telemetry=False)
                    )
                except Exception as exc:  # noqa: BLE001
                    if _is_access_problem(exc):
                        raise StoreAccessError(
                            f"store {self._path}: cannot be opened ({str(exc)[:120]}); "
                            "check that it can be read and written"
                        ) from None
                    raise StoreError(
                        f"store {self._path}: cannot be opened ({str(exc)[:120]}); run: ladder index --rebuild"
                    ) from None
        return getattr(self._client, name)
