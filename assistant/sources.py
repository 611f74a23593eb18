"""Frameworks kept in git, seen from the service: index a repository's checkout, and read what
changed in a framework folder's history (``Ladder.index_git``, ``Ladder.changes`` and
``Ladder.history`` delegate here)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from index import (
    Commit,
    FrameworkChanges,
    GitSource,
    IndexingError,
    IndexRecord,
    IndexReport,
    framework_changes,
    framework_history,
    git_checkout,
)

from .config import BUNDLED_ROLES

#: ``Ladder.index``: index these folders (recording the git source) and publish.
Index = Callable[..., IndexReport]


def index_git(
    index: Index, cache: Path, url: str, *, ref: str = "", subdir: str = "", web: str = "", **options: Any
) -> tuple[IndexReport, GitSource]:
    """Clone or fetch ``url`` into ``cache``, check out ``ref`` and ``index`` its ``subdir``,
    recording the commit (and ``web``); ``options`` (rebuild, wait_seconds, progress) go to
    ``index``. See ``Ladder.index_git``."""
    with git_checkout(url, cache, ref=ref, subdir=subdir, web=web) as source:
        report = index([source.root], source=source.state(), **options)
    return report, source


def framework_root(path: Path | None, indexed: IndexRecord | None, roles: tuple[Path, ...]) -> Path:
    """The framework folder whose history is read: ``path``, else the one ``indexed``, else the
    first configured root."""
    if path:
        return path
    if indexed and indexed.roots:
        return Path(indexed.roots[0])
    return roles[0]


def changes(root: Path, since: str | None = None, until: str | None = None) -> FrameworkChanges:
    """Bullets added, removed and reworded in ``root`` between two commits (``framework_changes``)."""
    return framework_changes(_with_history(root), since, until)


def history(root: Path, limit: int = 30) -> tuple[Commit, ...]:
    """The newest ``limit`` commits that touched ``root``, newest first."""
    return framework_history(_with_history(root), limit)


def _with_history(root: Path) -> Path:
    """``root``, unless it is the bundled framework: a copy whose git history is Ladder's own."""
    if root.resolve() == BUNDLED_ROLES.resolve():
        raise IndexingError(
            f"{root}: the bundled framework is a copy without its own git history; to see what changed, "
            "point LADDER_ROLES at a git checkout of your framework, or run: ladder index GIT-URL"
        )
    return root
