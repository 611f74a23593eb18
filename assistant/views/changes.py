"""The What changed page: the commits that touched the framework (or a notice why there is
nothing to compare), commit labels, links to changed bullets at their commit, and the changes
between two commits grouped by role document and dimension as safe Markdown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .. import Bullet as ChangedBullet
from .. import Commit, FrameworkChanges, IndexingError, Ladder, SectionChanges, render, web_link
from .documents import word_diff
from .search import source_link
from .session import error_text

__all__ = [
    "HISTORY_LIMIT",
    "ChangeGroup",
    "ChangeLink",
    "ChangeSection",
    "change_groups",
    "change_history",
    "change_links",
    "changes_summary",
    "commit_label",
]

#: (path, line, commit) -> the bullet on the framework's git host at that commit, or "".
ChangeLink = Callable[[str, int, str], str]
HISTORY_LIMIT = 30


def change_history(ladder: Ladder, limit: int = HISTORY_LIMIT) -> tuple[tuple[Commit, ...], str]:
    """The commits that touched the indexed framework, newest first, and "" when there are two
    or more to compare; else () or the one commit, and a notice saying why nothing can be compared."""
    try:
        history = ladder.history(limit=limit)
    except IndexingError as exc:  # not in git (or git is missing or too slow): a notice, not an error
        return (), error_text(exc)
    if len(history) >= 2:
        return history, ""
    so_far = "No commit has touched" if not history else "Only one commit has touched"
    return history, (
        f"{so_far} the framework folder yet, so there is nothing to compare: "
        "what each commit changed shows here once a second one is made."
    )


def commit_label(commit: Commit) -> str:
    """``3f2a9c1 · 2024-05-01 · Recalibrate the L3 expectations`` (plain text, for a select box)."""
    subject = " ".join(commit.subject.split())
    subject = subject if len(subject) <= 72 else subject[:71] + "…"
    return f"{commit.id[:7]} · {commit.date[:10]} · {subject}"


def change_links(ladder: Ladder) -> ChangeLink:
    """Links to changed bullets at the commit they are read from, on the framework's git host;
    "" when the index records no web address (a local folder, a file:// or ssh repository)."""
    record = ladder.record()
    source = dict(record.source) if record else {}

    def link(path: str, line: int, commit: str) -> str:
        return web_link({**source, "commit": commit}, path, line)

    return link


@dataclass(frozen=True, slots=True)
class ChangeSection:
    """One dimension's changes, as safe Markdown."""

    dimension: str
    counts: str  # badges: ``+2 added``, ``-1 removed``, ``1 reworded``
    bullets: str  # a list: + added, - removed, ~ reworded (before, then -> after)


@dataclass(frozen=True, slots=True)
class ChangeGroup:
    """The changes to one role document."""

    role: str
    source: str  # safe Markdown: the file (linked when it can be), whether it is new or renamed
    sections: tuple[ChangeSection, ...]


def changes_summary(found: FrameworkChanges) -> str:
    """``2 files changed: 3 bullets added, 2 removed, 3 reworded in 4 sections`` (plain text)."""
    files = len(found.files)
    if not found.sections:
        return (
            f"{files} file{'s' * (files != 1)} changed, no bullet: the text of the framework reads the same."
            if files else "No role document changed between these commits."
        )
    added = sum(len(s.added) for s in found.sections)
    removed = sum(len(s.removed) for s in found.sections)
    reworded = sum(len(s.reworded) for s in found.sections)
    sections = len(found.sections)
    return (
        f"{files} file{'s' * (files != 1)} changed: {added} bullet{'s' * (added != 1)} added, {removed} removed, "
        f"{reworded} reworded in {sections} section{'s' * (sections != 1)}."
    )


def change_groups(found: FrameworkChanges, link: ChangeLink | None = None) -> list[ChangeGroup]:
    """The changes grouped by role document, in the order git listed the files."""
    link = link or (lambda path, line, commit: "")
    by_file: dict[tuple[str, str], list[SectionChanges]] = {}
    for section in found.sections:
        by_file.setdefault((section.path, section.role), []).append(section)
    groups = []
    for (path, role), sections in by_file.items():
        first = sections[0]
        source = source_link(path, link(path, 0, found.until))
        if not first.old_path:
            source += " · new file"
        elif first.old_path != path:
            source += " · " + render.escape(f"renamed from {first.old_path}")
        groups.append(ChangeGroup(role, source, tuple(_change_section(s, found, link) for s in sections)))
    return groups


def _change_section(section: SectionChanges, found: FrameworkChanges, link: ChangeLink) -> ChangeSection:
    counts = [
        render.badge(label, colour)
        for n, label, colour in (
            (len(section.added), f"+{len(section.added)} added", "green"),
            (len(section.removed), f"-{len(section.removed)} removed", "red"),
            (len(section.reworded), f"{len(section.reworded)} reworded", "orange"),
        )
        if n
    ]
    old_path = section.old_path or section.path
    lines = [
        f"- :green[**{render.escape('+')}**] {_changed(b, link(section.path, b.line, found.until))}"
        for b in section.added
    ]
    lines += [
        f"- :red[**{render.escape('-')}**] {_changed(b, link(old_path, b.line, found.since))}"
        for b in section.removed
    ]
    for r in section.reworded:
        before, after = word_diff(r.before.text, r.after.text)
        where = _line_link(r.after.line, link(section.path, r.after.line, found.until))
        lines.append(f"- :orange[**{render.escape('~')}**] {before}  \n  → {after}{_kind(r.after)} {where}")
    return ChangeSection(section.dimension, " ".join(counts), "\n".join(lines))


def _changed(bullet: ChangedBullet, url: str) -> str:
    return f"{render.escape(bullet.text)}{_kind(bullet)} {_line_link(bullet.line, url)}"


def _kind(bullet: ChangedBullet) -> str:
    return " " + render.badge("Example", "gray") if bullet.kind == "example" else ""


def _line_link(line: int, url: str) -> str:
    return f":gray[{source_link(f'line {line}', url)}]"
