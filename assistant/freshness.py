"""Is the index fresh? The indexed files compared with the framework folder on disk, and what
``Ladder.ensure_fresh`` did about it (``Refresh``; one build at a time per process: ``BUILD_LOCK``).

The app asks on every page run: at 100k chunks (2,600 files) reading and hashing every file
each time took 0.7-1.4 s. Files are re-read only when their stat changed, and the folders
re-listed only when a folder's own stat did (adding, removing or renaming a file changes its
folder's mtime). The folders are walked by the indexer's own rules (``index.find_sources``,
``index.folder_fingerprint``), so "is the index stale?" never disagrees with what indexing reads.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from index import (
    IndexBusyError,
    IndexNotBuiltError,
    IndexRecord,
    IndexReport,
    Progress,
    VectorStore,
    find_sources,
    folder_fingerprint,
    to_json,
)

from .config import Settings

#: One build or refresh at a time per process (the app's sessions share one): a caller that finds
#: it held waits, then checks again, so the work is done once. Other processes are kept out by the
#: store's writer lock.
BUILD_LOCK = threading.Lock()


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
    #: the team's glossary file searches read (``LADDER_GLOSSARY``); "" for the built-in list only
    glossary: str = ""

    @property
    def stale(self) -> bool:
        return bool(self.changed or self.added or self.removed)

    def to_json(self) -> dict[str, Any]:
        return to_json(self, derived={"stale": self.stale})


@dataclass(frozen=True, slots=True)
class Refresh:
    """What ``Ladder.ensure_fresh`` did. ``action`` is one of:

    - "": nothing, the index was fresh;
    - "built": there was no index, ``report`` says what was indexed;
    - "updated": role files changed on disk (``status`` names them) and were re-indexed;
    - "busy": files changed but another process held the writer lock (``holder``): the
      current index was kept and keeps answering.
    """

    action: str = ""
    report: IndexReport | None = None
    status: Status | None = None
    holder: str = ""


class Freshness:
    """Compares an index record with the files on disk, remembering what it read."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._digests: dict[str, tuple[tuple[int, ...], str]] = {}
        self._listing: tuple[Any, frozenset[str]] | None = None

    def status(self, record: IndexRecord, location: str) -> Status:
        """The status of the index ``record`` (in the store at ``location``) against the disk."""
        files = record.files
        changed, removed = [], []
        for rel, info in files.items():
            try:
                digest = self._digest(info.abspath)
            except OSError:
                removed.append(rel)
                continue
            if digest != info.hash:
                changed.append(rel)
        added: list[str] = []
        try:
            added = sorted(p for p in self._source_paths([Path(r) for r in record.roots]) if p not in files)
        except Exception:  # noqa: BLE001 - a vanished root shows up as removed files
            pass
        return Status(
            store=location,
            model=record.model,
            built=True,
            files=len(files),
            chunks=record.chunks,
            kinds=dict(record.kinds),
            levels=dict(record.levels.items()),  # lowest level first, as the index stored them
            roots=list(record.roots),
            changed=sorted(changed),
            added=added,
            removed=sorted(removed),
            built_at=record.built_at,
            skipped=[{"path": p, "reason": r} for p, r in record.notes],
            source=dict(record.source),
        )

    def _digest(self, path: str) -> str:
        info = os.stat(path)
        key = (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)
        with self._lock:
            known = self._digests.get(path)
        if known is not None and known[0] == key:
            return known[1]
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        with self._lock:
            self._digests[path] = (key, digest)
        return digest

    def _source_paths(self, roots: list[Path]) -> frozenset[str]:
        fingerprint = folder_fingerprint(roots)
        known = self._listing
        if known is not None and known[0] == fingerprint:
            return known[1]
        sources, _ = find_sources(roots)
        paths = frozenset(s.path for s in sources)
        self._listing = (fingerprint, paths)
        return paths


class _Service(Protocol):
    """What ``ensure_fresh`` needs of the ``Ladder``."""

    settings: Settings

    @property
    def store(self) -> VectorStore: ...

    def status(self) -> Status: ...

    def index(self, paths: list[Path] | None = None, *, progress: Progress | None = None) -> IndexReport: ...


def ensure_fresh(
    ladder: _Service,
    progress: Progress | None = None,
    *,
    stale: bool = True,
    on_wait: Callable[[], None] | None = None,
    before_build: Callable[[], None] | None = None,
) -> Refresh:
    """Build the index of the configured roles when there is none (and auto-index is on); with
    ``stale``, also re-index when indexed role files changed on disk. The one home of this rule:
    the CLI, the app and ``Ladder.corpus()`` all come here and only choose what to say.

    One build at a time per process (``BUILD_LOCK``): a caller that finds one running calls
    ``on_wait()`` (to say so), waits for it, then checks again. ``before_build()`` runs right
    before this call builds (to say so, or to wait for the model). When another process holds
    the writer lock while files changed, the current index is kept: ``Refresh("busy")``.

    Raises:
        IndexNotBuiltError: there is no index and ``settings.auto_index`` is off.
    """
    if _due(ladder, stale) is None:
        return Refresh()
    if not BUILD_LOCK.acquire(blocking=False):
        if on_wait:
            on_wait()
        BUILD_LOCK.acquire()
    try:
        status = _due(ladder, stale)
        if status is None:
            return Refresh()
        if before_build:
            before_build()
        if not status.built:
            if not ladder.settings.auto_index:
                raise IndexNotBuiltError(f"no index in {ladder.store.location} yet; run: ladder index PATH")
            return Refresh("built", report=ladder.index(progress=progress))
        try:
            return Refresh("updated", report=ladder.index(progress=progress), status=status)
        except IndexBusyError as exc:
            return Refresh("busy", status=status, holder=exc.holder)
    finally:
        BUILD_LOCK.release()


def _due(ladder: _Service, stale: bool) -> Status | None:
    """Why the index needs building (or, with ``stale``, refreshing); None when it does not.
    Without ``stale`` this is one cached read of the published state (every query asks)."""
    if not stale:
        if ladder.store.current_state():
            return None
        return Status(store=ladder.store.location, model=ladder.settings.model, built=False)
    status = ladder.status()
    return status if not status.built or status.stale else None
