"""A local store's folder on disk: the files Ladder and Chroma put there, and the vector-segment
folders no collection owns any more.

Ladder only ever moves aside (``index.health.set_aside``) a folder that holds nothing but these
files, and only deletes segment folders that Chroma's own segment table does not list.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

#: The published-state record of a local store (``index.state.FileState``).
STATE_FILE = "ladder-state.json"
#: The single-writer lock file.
LOCK_FILE = "ladder-write.lock"
#: What Ladder and Chroma put in a store folder: anything else there is the user's, not ours.
_STORE_NAMES = ("chroma.sqlite3", STATE_FILE, LOCK_FILE, "corpus-cache")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_STORE_PATTERNS = re.compile(  # hidden names too: .state-* and probes, and a desktop's .DS_Store
    rf"{_UUID.pattern}|\..*|chroma\.sqlite3-(?:wal|shm|journal)"
)


def is_ladder_store(path: Path) -> bool:
    """True when the folder ``path`` holds only what Ladder and Chroma write (or nothing):
    the only kind of folder Ladder ever moves aside."""
    try:
        names = [p.name for p in path.iterdir()]
    except OSError:
        return False
    return all(n in _STORE_NAMES or _STORE_PATTERNS.fullmatch(n) for n in names)


def orphan_folders(folder: Path) -> list[Path]:
    """Vector-segment folders of the local store in ``folder`` that no collection owns.

    Chroma leaves a deleted collection's segment folder on disk (chroma-core/chroma#5259)
    and Ladder deletes a collection on every re-index, so without a sweep each re-index
    would leave the previous generation's vectors behind. A folder counts as an orphan
    only when its name is a UUID and Chroma's own segment table does not list it; when
    that table cannot be read, nothing is an orphan.
    """
    try:
        with closing(sqlite3.connect(f"file:{folder / 'chroma.sqlite3'}?mode=ro", uri=True, timeout=5)) as db:
            owned = {str(row[0]) for row in db.execute("SELECT id FROM segments")}
        folders = [p for p in folder.iterdir() if p.is_dir() and _UUID.fullmatch(p.name)]
    except (sqlite3.Error, OSError):
        return []
    return sorted(p for p in folders if p.name not in owned)


def sweep(folders: list[Path]) -> list[Path]:
    """Delete ``folders`` (orphans; the caller holds the writer lock); returns them."""
    swept = []
    for orphan in folders:
        shutil.rmtree(orphan, ignore_errors=True)
        swept.append(orphan)
    return swept
