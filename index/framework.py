"""What only the whole framework can tell: the order of named levels a README lists, and which
role document builds on which ("in addition to the expectations in Everyone.md").

Runs after every file is parsed on its own. A README (any overview) whose list links to role
documents without level numbers gives them their levels in the list's order; a document that
says it builds on another gets that document's path on every chunk (``Chunk.inherits``), so
Browse, Compare and fit can show the inherited expectations.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import unquote, urlparse

from .documents import RoleDoc, Skipped

__all__ = ["link_framework"]

_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?[^)]*\)")
_MARKDOWN_NAME = re.compile(r"\.(?:md|markdown)$", re.I)

#: reparse(path, (level, level_num)) -> the document parsed again with that level.
Reparse = Callable[[str, tuple[str, float]], RoleDoc | None]


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", text.lower()))


def _stem(target: str) -> str:
    path = unquote(urlparse(target).path)
    return _MARKDOWN_NAME.sub("", posixpath.basename(path.rstrip("/")))


def _resolve_link(base: str, target: str, by_path: dict[str, RoleDoc]) -> str:
    """The document a link points at: a relative path from ``base``, else the same file name."""
    parsed = urlparse(target)
    if not parsed.scheme and parsed.path:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(base), unquote(parsed.path)))
        if joined in by_path:
            return joined
    stem = _norm(_stem(target))
    if not stem:
        return ""
    same = [p for p in by_path if _norm(posixpath.basename(_MARKDOWN_NAME.sub("", p))) == stem]
    return min(same, key=lambda p: (p.count("/"), p)) if same else ""


def _resolve_name(base: str, name: str, docs: list[RoleDoc]) -> str:
    """The role document a role name means: every word of the name in its role or title,
    fewest other words, nearest folder first."""
    wanted = set(_norm(name).split()) - {"role", "the"}
    if not wanted:
        return ""
    folder = posixpath.dirname(base)
    best: tuple[int, int, str] | None = None
    for doc in docs:
        if doc.path == base or doc.is_overview:
            continue
        have = set(_norm(f"{doc.role} {doc.title} {_stem(doc.path)}").split())
        if not wanted <= have:
            continue
        key = (len(have - wanted) - (1 if doc.role and wanted <= set(_norm(doc.role).split()) else 0),
               0 if posixpath.dirname(doc.path) == folder else 1, doc.path)
        if best is None or key < best:
            best = key
    return best[2] if best else ""


def _listed_order(overview: RoleDoc, by_path: dict[str, RoleDoc]) -> list[str]:
    """Role documents without level numbers that an overview's list links to, in list order."""
    order: list[str] = []
    folder = posixpath.dirname(overview.path)
    titled = {
        _norm(d.title): d.path for d in by_path.values()
        if d.title and posixpath.dirname(d.path) == folder and d.path != overview.path
    }
    for chunk in overview.chunks:
        if chunk.kind != "overview":
            continue
        # a link to the file, or a list item that is just its title ("2. Senior Engineer")
        targets = _LINK.findall(chunk.text)
        paths = [_resolve_link(overview.path, t, by_path) for t in targets] or [titled.get(_norm(chunk.plain), "")]
        for path in paths:
            doc = by_path.get(path)
            if doc is None or path in order or path == overview.path:
                continue
            if any(ch.isdigit() for ch in doc.level):
                return []  # numbered levels keep their numbers
            if len(doc.levels) > 1 or (doc.is_overview and not doc.chunks):
                continue
            order.append(path)
    named = sum(1 for p in order if by_path[p].levels)
    # a ladder when most of what it lists already reads as levels (Senior, Staff...)
    return order if len(order) >= 2 and named * 2 >= len(order) else []


def link_framework(docs: list[RoleDoc], reparse: Reparse) -> tuple[list[RoleDoc], list[Skipped]]:
    """Give listed named levels their order and record what each document builds on.

    Args:
        docs: every parsed document of the framework.
        reparse: parses one file again with a given level (used for levels a README orders).

    Returns:
        The documents (some replaced) and notes on links that lead nowhere.
    """
    by_path = {d.path: d for d in docs}
    notes: list[Skipped] = []
    for overview in [d for d in docs if d.is_overview]:
        for n, path in enumerate(_listed_order(overview, by_path), 1):
            doc = by_path[path]
            name = doc.levels[0] if doc.levels else doc.title
            again = reparse(path, (name, float(n)))
            if again is not None:
                by_path[path] = again
    docs = [by_path[d.path] for d in docs]
    inherited: set[str] = set()
    out: list[RoleDoc] = []
    for doc in docs:
        targets: list[str] = []
        for said in doc.builds_on:
            looks_like_file = "/" in said or _MARKDOWN_NAME.search(said) or said.startswith(("http", "."))
            found = _resolve_link(doc.path, said, by_path) if looks_like_file else _resolve_name(doc.path, said, docs)
            if found and found != doc.path and found not in targets:
                targets.append(found)
            elif not found and not urlparse(said).scheme:  # a web page elsewhere is not the framework's to hold
                notes.append(Skipped(doc.path, f"builds on {said!r}, which is not among the indexed files: "
                                               "its expectations are not shown as inherited; index the folder "
                                               "that holds it, or link to the file"))
        inherited.update(targets)
        if targets:
            joined = "|".join(targets)
            doc = replace(doc, chunks=tuple(replace(c, inherits=joined) if c.kind != "overview" else c
                                            for c in doc.chunks))
        out.append(doc)
    for doc in out:
        if doc.layout.startswith("role page") and doc.path not in inherited:
            notes.append(Skipped(doc.path, f"no levels found in {doc.path}: read as a role page whose "
                                           "expectations apply to one role; is it a table with one column per level?"))
    return out, notes
