"""The published-state record: which generation (collection) is live, with which model, from
which files. Publishing a new index is one atomic write of this record.

Two backends behind one small interface: a JSON file replaced atomically (a local store) and
collection metadata on a Chroma server (where there is no file to replace).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Protocol

from .errors import StoreAccessError, StoreError
from .segments import STATE_FILE

#: The server collection whose metadata points at the live generation.
_STATE_COLLECTION = "ladder_state"


class StateBackend(Protocol):
    def read(self) -> dict[str, Any] | None: ...

    def write(self, state: dict[str, Any]) -> None: ...

    def version(self) -> str: ...


class FileState:
    """The live-generation record as a JSON file, replaced atomically (local stores)."""

    def __init__(self, folder: Path):
        self.path = folder / STATE_FILE

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


class CollectionState:
    """The live-generation record on a Chroma server, where there is no file to replace.

    Each generation's full state is written into that generation's own collection metadata
    before it goes live; a small pointer (``{"live": name}``) in the ``ladder_state``
    collection's metadata says which one is live. Publishing rewrites only the pointer, one
    atomic metadata update on the server. Readers fetch the small pointer on every call and the
    full state once per generation, so a query's cost does not grow with the framework.

    ``missing`` is the client's "no such collection" error (chromadb's ``NotFoundError``, given
    by ``index.store``: the only module that imports chromadb).
    """

    def __init__(self, client: Any, location: str, missing: type[Exception]):
        self._client = client
        self._location = location
        self._missing = missing
        self._cache: tuple[str, dict[str, Any]] | None = None

    def _pointer(self) -> dict[str, Any]:
        try:
            collection = self._client.get_collection(_STATE_COLLECTION, embedding_function=None)
        except self._missing:
            return {}
        return dict(collection.metadata or {})

    def read(self) -> dict[str, Any] | None:
        live = self._pointer().get("live")
        if not live:
            return None
        if self._cache and self._cache[0] == live:
            return self._cache[1]
        try:
            meta = self._client.get_collection(live, embedding_function=None).metadata or {}
            state: dict[str, Any] = json.loads(meta["ladder_state"])
        except (self._missing, KeyError, ValueError):
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
