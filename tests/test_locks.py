"""index.locks: the one exclusive file lock (store writer, set-aside, git clone)."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from index import locks


def test_a_second_open_file_is_refused_and_names_the_holder(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    with open(path, "a+") as first, open(path, "a+") as second:
        locks.lock(first)
        locks.record_holder(first)
        with pytest.raises(locks.LockBusy) as caught:
            locks.lock(second)
        assert caught.value.holder == f"pid {os.getpid()}"
        assert path.read_text() == f"pid {os.getpid()}"


def test_an_unnamed_holder_is_another_process(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    with open(path, "a+") as first, open(path, "a+") as second:
        locks.lock(first)
        with pytest.raises(locks.LockBusy) as caught:
            locks.lock(second)
        assert caught.value.holder == "another process"


def test_closing_the_file_releases_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    with open(path, "a+") as first:
        locks.lock(first)
    with open(path, "a+") as second:
        locks.lock(second)  # no LockBusy


def test_a_waiter_is_told_once_and_gets_the_lock_when_it_is_released(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    told: list[str] = []
    first = open(path, "a+")
    locks.lock(first)
    locks.record_holder(first)
    releaser = threading.Timer(0.5, first.close)
    releaser.start()
    started = time.monotonic()
    with open(path, "a+") as second:
        locks.lock(second, wait_seconds=10, on_wait=told.append, poll=0.05)
        waited = time.monotonic() - started
    releaser.join()
    assert told == [f"pid {os.getpid()}"]
    assert 0.4 < waited < 10


def test_a_wait_that_runs_out_raises(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    told: list[str] = []
    with open(path, "a+") as first, open(path, "a+") as second:
        locks.lock(first)
        with pytest.raises(locks.LockBusy):
            locks.lock(second, wait_seconds=0.2, on_wait=told.append, poll=0.05)
    assert told == ["another process"]
