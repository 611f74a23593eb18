"""The one exclusive file lock (``fcntl.flock``) behind every "one at a time" in Ladder: the
store's single writer, setting a damaged store aside, and a git clone being updated.

The lock belongs to the open file, so it is released when the file is closed, also when the
process dies (kill -9 included): no stale lock survives its holder.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable
from typing import IO

__all__ = ["LockBusy", "lock", "record_holder"]


class LockBusy(Exception):
    """Another process holds the lock; ``holder`` is what it recorded (``pid N``), if anything."""

    def __init__(self, holder: str):
        super().__init__(holder)
        self.holder = holder


def lock(
    fh: IO[str], wait_seconds: float = 0.0, on_wait: Callable[[str], None] | None = None, poll: float = 0.2
) -> None:
    """Take the exclusive lock on the open file ``fh``, trying for up to ``wait_seconds``.

    ``on_wait(holder)`` is called once, when a positive wait begins.

    Raises:
        LockBusy: another process still holds it when the wait is over (at once when 0).
    """
    deadline = time.monotonic() + wait_seconds
    waiting = False
    while True:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            if not waiting and on_wait is not None and wait_seconds > 0:
                on_wait(holder)
            waiting = True
            if time.monotonic() >= deadline:
                raise LockBusy(holder) from None
            time.sleep(poll)


def record_holder(fh: IO[str]) -> None:
    """Write ``pid N`` into the locked file, for a process that finds it busy to name."""
    fh.seek(0)
    fh.truncate()
    fh.write(f"pid {os.getpid()}")
    fh.flush()
