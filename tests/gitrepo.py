"""Real git repositories for tests, built in tmp_path (no network, no global git config)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60,
        env={**os.environ, **_ENV}, check=True,
    )
    return done.stdout.strip()


class Repo:
    """A working repository; ``commit()`` returns the new commit id."""

    def __init__(self, path: Path):
        self.path = path
        path.mkdir(parents=True)
        git(path, "init", "-q", "-b", "main")

    def add_tree(self, source: Path, under: str = "") -> None:
        shutil.copytree(source, self.path / under if under else self.path, dirs_exist_ok=True)

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.path / rel
        text = path.read_text("utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), "utf-8")

    def write(self, rel: str, text: str) -> None:
        (self.path / rel).parent.mkdir(parents=True, exist_ok=True)
        (self.path / rel).write_text(text, "utf-8")

    def commit(self, message: str = "change") -> str:
        git(self.path, "add", "-A")
        git(self.path, "commit", "-q", "-m", message)
        return git(self.path, "rev-parse", "HEAD")

    def bare(self, where: Path) -> Path:
        """A bare clone at ``where`` (what a server holds); ``push()`` updates it."""
        git(self.path.parent, "clone", "-q", "--bare", str(self.path), str(where))
        git(self.path, "remote", "add", "origin", str(where))
        return where

    def push(self, *refs: str) -> None:
        git(self.path, "push", "-q", "origin", *(refs or ("main",)))
