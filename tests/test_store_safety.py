"""A store error is damage only when the data is damaged (issue 14, case 5).

A store that cannot be written, a path that is a file, and a folder of someone else's files get
their own one-line errors, and ``--rebuild`` never moves any of them aside.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from index.failures import is_access_problem
from index.store import is_ladder_store

from .conftest import run
from .fakes import HashingEmbedder


def _tree(path: Path) -> dict[str, bytes]:
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def test_a_file_given_as_the_store_is_never_moved(
    fixture_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fake_cli: HashingEmbedder
) -> None:
    afile = tmp_path / "AFILE"
    afile.write_text("my notes\n", "utf-8")
    for argv in (["index", str(fixture_root), "--rebuild"], ["doctor"], ["index", str(fixture_root)]):
        code, out, err = run(["--store", str(afile), *argv], capsys)
        assert (code, out, err) == (1, "", f"ladder: error: store path {afile}: not a folder; choose another with "
                                             "--store\n")
    assert afile.read_text("utf-8") == "my notes\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["AFILE", "framework"]


def test_a_folder_of_other_files_is_never_moved_or_written(
    fixture_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fake_cli: HashingEmbedder
) -> None:
    home = tmp_path / "Documents"
    home.mkdir()
    (home / "thesis.md").write_text("draft\n", "utf-8")
    for argv in (["index", str(fixture_root), "--rebuild"], ["doctor"]):
        code, out, err = run(["--store", str(home), *argv], capsys)
        assert (code, out, err) == (1, "", f"ladder: error: store path {home}: holds files that are not a Ladder "
                                             "store; choose a new or empty folder with --store\n")
    assert _tree(home) == {"thesis.md": b"draft\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Documents", "framework"]


@contextmanager
def _read_only_copy(store: Path, where: Path) -> Iterator[Path]:
    """A copy of ``store`` that this process cannot write: a read-only tmpfs for root (root
    ignores permissions), ``chmod a-w`` for anyone else."""
    if os.geteuid() != 0:
        copy = where / "store"
        shutil.copytree(store, copy)
        subprocess.run(["chmod", "-R", "a-w", str(copy)], check=True)
        try:
            yield copy
        finally:
            subprocess.run(["chmod", "-R", "u+w", str(copy)], check=True)
        return
    mount = where / "ro"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("root without the right to mount a read-only tmpfs")
    try:
        shutil.copytree(store, mount / "store")
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        yield mount / "store"
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_a_healthy_store_that_cannot_be_written_is_not_called_damaged(
    fixture_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fake_cli: HashingEmbedder
) -> None:
    store = tmp_path / "store"
    assert run(["--store", str(store), "index", str(fixture_root)], capsys)[0] == 0
    with _read_only_copy(store, tmp_path) as frozen:
        before = _tree(frozen)
        for argv in (["doctor"], ["index", str(fixture_root), "--rebuild"], ["index", str(fixture_root)]):
            code, out, err = run(["--store", str(frozen), *argv], capsys)
            assert (code, out) == (1, "")
            assert err.startswith(f"ladder: error: store path {frozen}: not writable (")
            assert err.endswith("); choose another with --store\n") and err.count("\n") == 1
            assert "damaged" not in err
        assert _tree(frozen) == before
        assert not [p for p in frozen.parent.iterdir() if ".damaged-" in p.name]


def test_access_problems_are_told_from_damage(tmp_path: Path) -> None:
    db = tmp_path / "x.sqlite3"
    sqlite3.connect(db).execute("create table t (a)").connection.commit()
    readonly = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as refused:
        readonly.execute("insert into t values (1)")
    readonly.close()
    assert is_access_problem(refused.value)  # "attempt to write a readonly database"
    assert is_access_problem(PermissionError(13, "Permission denied"))
    assert not is_access_problem(sqlite3.DatabaseError("database disk image is malformed"))
    assert not is_access_problem(RuntimeError("Error executing plan: Internal error"))
    (tmp_path / "store").mkdir()
    assert is_ladder_store(tmp_path / "store")
    (tmp_path / "store" / "chroma.sqlite3").write_bytes(b"")
    (tmp_path / "store" / "0f3a9c2b-1d4e-4f6a-9b8c-0123456789ab").mkdir()
    (tmp_path / "store" / ".DS_Store").write_bytes(b"")
    assert is_ladder_store(tmp_path / "store")
    (tmp_path / "store" / "thesis.md").write_text("x", "utf-8")
    assert not is_ladder_store(tmp_path / "store")
