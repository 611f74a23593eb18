"""Ladder's exception tree. Every message names the file or setting and says what to do.

    LadderError
    ├── IndexingError       a framework folder or file cannot be indexed
    ├── ModelError          the embedding model cannot be loaded or does not match the store
    ├── StoreError          the vector store cannot be opened, written or is damaged
    │   ├── IndexNotBuiltError   no index yet
    │   ├── IndexBusyError       another indexer holds the store
    │   └── StoreAccessError     the store folder is missing, not a folder, or cannot be
    │                            written or read (not damage: never moved aside)
    └── QueryError          a query or option the user gave is unusable (exit code 2)
"""

from __future__ import annotations


class LadderError(Exception):
    """Base of every error Ladder reports to a user."""

    exit_code = 1


class IndexingError(LadderError):
    """A framework folder or file cannot be indexed."""


class ModelError(LadderError):
    """The embedding model cannot be loaded, or the store was built with another one."""


class StoreError(LadderError):
    """The vector store cannot be opened or written, or is damaged."""


class IndexNotBuiltError(StoreError):
    """There is no index yet."""


class IndexBusyError(StoreError):
    """Another indexer is writing to the store (``holder``: who, e.g. "pid 4242", when known)."""

    holder: str = ""


class StoreAccessError(StoreError):
    """The store folder is missing, not a folder, or cannot be read or written. Not damage:
    the index in it is fine and is never moved aside for it."""


class QueryError(LadderError):
    """A query, filter or option given by the user is unusable."""

    exit_code = 2
