"""The vector store: opening it, and the only module that imports chromadb.

``open_store`` gives one ``VectorStore`` (``index.generations``: how an index is written as a
generation, published atomically and read) over an embedded Chroma folder or a Chroma server.
The store's parts live beside it: ``index.state`` (the published-state record),
``index.segments`` (what a store folder holds, orphaned vector folders), ``index.integrity``
(is the vector index whole?) and ``index.failures`` (Chroma's failures as Ladder's errors).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from .errors import StoreAccessError, StoreError
from .failures import first_line, is_access_problem, without_secret
from .generations import Hit, VectorStore
from .segments import LOCK_FILE, is_ladder_store
from .state import CollectionState, FileState

__all__ = ["Hit", "VectorStore", "is_ladder_store", "open_store"]


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
        from chromadb.errors import NotFoundError

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
            reason = without_secret(first_line(exc), token)
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
        state = CollectionState(client, location, NotFoundError)
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
    return VectorStore(_LazyClient(path), FileState(path), str(path), path / LOCK_FILE)


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
                    if is_access_problem(exc):
                        raise StoreAccessError(
                            f"store {self._path}: cannot be opened ({str(exc)[:120]}); "
                            "check that it can be read and written"
                        ) from None
                    raise StoreError(
                        f"store {self._path}: cannot be opened ({str(exc)[:120]}); run: ladder index --rebuild"
                    ) from None
        return getattr(self._client, name)
