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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index import IndexRecord, IndexReport, find_sources, folder_fingerprint, to_json

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
