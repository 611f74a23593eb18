"""What a recalibration changed: bullets added, removed and reworded between two commits,
and the commits that touched the framework folder (to pick two from).

Both versions of every changed Markdown file under the framework folder are read from git
and parsed as the indexer parses them (same size, line and time caps). Within one role and
one dimension, the one bullet diff (``index.diff``) decides: bullets of the same kind and the
same text (as a reader sees it) are unchanged; of the rest, the most similar removed/added
pairs (words at least ``REWORDED_AT`` alike) are "reworded", and what is left is "added" or
"removed".
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .diff import Bullet, diff_bullets
from .documents import Chunk, RoleDoc, level_label
from .errors import IndexingError, QueryError
from .files import _SKIP_DIRS, MAX_FILE_BYTES, SourceFile, _looks_like_markdown_name, _track_for, parse_source
from .git import GIT_SECONDS, _GitFailed, git_bytes, run_git
from .jsonable import to_json

_SECTION = {"summary": "Summary", "attribute": "Attributes", "overview": "Overview"}


@dataclass(frozen=True, slots=True)
class Reworded:
    before: Bullet
    after: Bullet
    similarity: float


@dataclass(frozen=True, slots=True)
class SectionChanges:
    """The changes to one dimension (or the summary or attributes) of one role document."""

    path: str  # the file now; its old path when it was deleted
    old_path: str  # the file before; "" when it is new; differs from ``path`` on a rename
    role: str
    dimension: str
    added: tuple[Bullet, ...] = ()
    removed: tuple[Bullet, ...] = ()
    reworded: tuple[Reworded, ...] = ()


@dataclass(frozen=True, slots=True)
class FrameworkChanges:
    """Everything ``framework_changes`` found between two commits."""

    root: str
    since: str  # commit ids
    until: str
    files: tuple[str, ...]  # the changed Markdown files, as paths under the framework folder
    sections: tuple[SectionChanges, ...]
    notes: tuple[str, ...] = ()  # files that could not be compared, and why

    def to_json(self) -> dict[str, Any]:
        return to_json(self)


@dataclass(frozen=True, slots=True)
class Commit:
    """A commit that touched the framework folder."""

    id: str
    date: str  # the committer date, ISO 8601 with its offset
    subject: str


def _work_tree(root: Path, hint: str, timeout: float) -> tuple[Path, str]:
    """The top of the git working tree holding the folder ``root``, and ``root``'s path in it.

    Raises:
        IndexingError: ``root`` is not a folder inside a git repository (``hint`` says why it must be).
    """
    if not root.is_dir():
        raise IndexingError(f"{root}: no such folder; give the framework folder inside a git repository")
    try:
        top = Path(run_git(["rev-parse", "--show-toplevel"], root, timeout=timeout).strip())
        prefix = run_git(["rev-parse", "--show-prefix"], root, timeout=timeout).strip()
    except _GitFailed:
        raise IndexingError(f"{root}: not inside a git repository; {hint}") from None
    return top, prefix


def framework_history(root: Path, limit: int = 30, *, timeout: float = GIT_SECONDS) -> tuple[Commit, ...]:
    """The newest ``limit`` commits that touched the framework folder ``root`` (inside a git
    working tree) along HEAD's first parents, newest first; () when there are none yet. On a
    history with merges a merged branch is its merge commit (what it changed, all at once),
    not the branch's own commits.

    Raises:
        IndexingError: ``root`` is not a folder inside a git repository.
    """
    _work_tree(root, "keep the framework in git to see what each commit changed", timeout)
    try:
        out = run_git(
            ["log", "--first-parent", f"--max-count={max(1, limit)}", "--no-color", "-z",
             "--format=%H%x00%cI%x00%s", "HEAD", "--", "."],
            root, timeout=timeout,
        )
    except _GitFailed:  # a repository without commits: HEAD names nothing yet
        return ()
    fields = out.split("\0")
    return tuple(Commit(*fields[i : i + 3]) for i in range(0, len(fields) - 2, 3))


def framework_changes(
    root: Path, since: str | None = None, until: str | None = None, *, timeout: float = GIT_SECONDS
) -> FrameworkChanges:
    """The bullets added, removed and reworded in the framework folder ``root`` (inside a git
    working tree) between the commits ``since`` and ``until``.

    With neither given: the last change, the two newest commits of ``framework_history`` (what
    the app shows by default). ``since`` alone compares it with HEAD; ``until`` alone with its
    first parent.

    Raises:
        IndexingError: ``root`` is not a folder inside a git repository.
        QueryError: ``since`` or ``until`` names no commit, ``since`` is newer than ``until``,
            or fewer than two commits touched the folder (with neither given).
    """
    top, prefix = _work_tree(root, "ladder changes compares commits of a framework kept in git", timeout)
    if since is None and until is None:
        since, until = _last_change(root, timeout)
    until = until or "HEAD"
    new = _commit(until, "--until", top, timeout)
    since = since or f"{new}~1"
    old = _commit(since, "--since", top, timeout)
    if old != new and _is_ancestor(new, old, top, timeout):
        raise QueryError(f"--since {since} is newer than --until {until}; give the older commit as --since")
    label = root.resolve().name
    listing = run_git(
        ["diff", "-z", "--name-status", "-M", "--no-ext-diff", old, new, "--", f":(top){prefix}"],
        top, timeout=timeout,
    )
    sections: list[SectionChanges] = []
    files: list[str] = []
    notes: list[str] = []
    for status, before, after in _name_status(listing):
        rel_before = before[len(prefix):] if before else ""
        rel_after = after[len(prefix):] if after else ""
        shown = rel_after or rel_before
        if not any(_is_framework_file(p) for p in (rel_before, rel_after) if p):
            continue
        files.append(shown)
        docs = []
        for commit, full, rel in ((old, before, rel_before), (new, after, rel_after)):
            doc, note = _parse_at(top, commit, full, rel, label, timeout) if rel else (None, "")
            docs.append(doc)
            if note:
                notes.append(note)
        sections.extend(_compare(docs[0], docs[1], rel_before if status != "A" else "", shown))
    return FrameworkChanges(str(root), old, new, tuple(files), tuple(sections), tuple(notes))


def _last_change(root: Path, timeout: float) -> tuple[str, str]:
    newest = framework_history(root, 2, timeout=timeout)
    if len(newest) < 2:
        so_far = "no commit has" if not newest else "only one commit has"
        raise QueryError(f"{root}: {so_far} touched the framework folder yet; nothing to compare: give --since REF")
    return newest[1].id, newest[0].id


def _is_ancestor(older: str, newer: str, top: Path, timeout: float) -> bool:
    """Whether commit ``older`` is an ancestor of ``newer``."""
    try:
        run_git(["merge-base", "--is-ancestor", older, newer], top, timeout=timeout)
    except _GitFailed:
        return False
    return True


def _commit(ref: str, flag: str, top: Path, timeout: float) -> str:
    try:
        if ref.startswith("-"):
            raise _GitFailed(ref)
        return run_git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top, timeout=timeout).strip()
    except _GitFailed:
        raise QueryError(f"{flag} {ref}: no such commit, branch or tag in {top}") from None


def _name_status(raw: str) -> list[tuple[str, str, str]]:
    """``git diff -z --name-status`` -> (status letter, path before, path after)."""
    fields = raw.split("\0")
    out: list[tuple[str, str, str]] = []
    i = 0
    while i < len(fields) and fields[i]:
        status = fields[i][0]
        if status in "RC":
            out.append((status, fields[i + 1], fields[i + 2]))
            i += 3
            continue
        path = fields[i + 1]
        out.append((status, "" if status == "A" else path, "" if status == "D" else path))
        i += 2
    return out


def _is_framework_file(rel: str) -> bool:
    parts = PurePosixPath(rel).parts
    if any(p.startswith(".") or p in _SKIP_DIRS for p in parts):
        return False
    return _looks_like_markdown_name(parts[-1])


def _parse_at(top: Path, commit: str, full: str, rel: str, label: str, timeout: float) -> tuple[RoleDoc | None, str]:
    spec = f"{commit}:{full}"
    try:
        size = int(run_git(["cat-file", "-s", spec], top, timeout=timeout).strip())
    except (_GitFailed, ValueError):
        return None, ""
    if size > MAX_FILE_BYTES:
        return None, f"{rel} at {commit[:12]}: {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit"
    data = git_bytes(["cat-file", "blob", spec], top, timeout=timeout)
    source = SourceFile(rel, top / full, _track_for(rel, label), data, hashlib.sha256(data).hexdigest())
    doc, skipped = parse_source(source)
    if doc is None:
        reason = skipped[-1].reason if skipped else "not readable"
        return None, f"{rel} at {commit[:12]}: {reason}"
    return doc, ""


def _section_of(chunk: Chunk) -> str:
    return chunk.dimension or _SECTION.get(chunk.kind, chunk.kind.capitalize())


def _compare(before: RoleDoc | None, after: RoleDoc | None, old_path: str, path: str) -> list[SectionChanges]:
    role = (after or before).label if (after or before) else path  # type: ignore[union-attr]
    old_chunks = before.chunks if before else ()
    new_chunks = after.chunks if after else ()
    # a file that holds several levels (a matrix, levels as headings): changes per level
    several = len({c.level for c in (*new_chunks, *old_chunks) if c.level}) > 1

    def place(chunk: Chunk) -> tuple[str, str]:
        unit = level_label(chunk.level, chunk.role) if several and chunk.level else role
        return unit, _section_of(chunk)

    order: list[tuple[str, str]] = []
    for chunk in (*new_chunks, *old_chunks):
        if place(chunk) not in order:
            order.append(place(chunk))
    out = []
    for unit, section in order:
        found = diff_bullets(
            [_bullet(c) for c in old_chunks if place(c) == (unit, section)],
            [_bullet(c) for c in new_chunks if place(c) == (unit, section)],
        )
        reworded = sorted((Reworded(p.a, p.b, round(p.similarity, 3)) for p in found.reworded),
                          key=lambda r: r.after.line)
        removed, added = found.only_a, found.only_b
        if removed or added or reworded:
            out.append(SectionChanges(path, old_path, unit, section, tuple(added), tuple(removed), tuple(reworded)))
    return out


def _bullet(chunk: Chunk) -> Bullet:
    return Bullet(chunk.plain, chunk.kind, chunk.line)
