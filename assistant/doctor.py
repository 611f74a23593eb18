"""Is the store there, and is it healthy? ``ladder doctor`` and the read-only commands ask here
(``Ladder.doctor`` delegates); the checks themselves run in a child process (``index.check_store``)."""

from __future__ import annotations

from index import StoreHealth, check_store

from .config import Settings


def store_health(settings: Settings, *, opened: bool = False) -> StoreHealth:
    """Check the store in a child process with a time limit (a damaged store can hang).
    ``opened``: the Ladder already holds a store (one handed in, or opened)."""
    s = settings
    if s.chroma_url:
        return check_store(url=s.chroma_url, token=s.chroma_token or None, database=s.chroma_database or None)
    if no_local_store(s, opened=opened):
        return StoreHealth(location=str(s.store), ok=True, built=False)
    return check_store(s.store)


def no_local_store(settings: Settings, *, opened: bool = False) -> bool:
    """Whether the store is a local folder holding no Chroma database yet (nothing to read)."""
    s = settings
    if opened or s.chroma_url:
        return False
    # a file where the store should be is not "no store": opening it says what is wrong
    if not s.store.exists():
        return True
    # an empty folder has no store yet; one holding other files is refused when opened
    return s.store.is_dir() and not any(not p.name.startswith(".") for p in s.store.iterdir())
