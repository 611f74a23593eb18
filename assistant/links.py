"""Links from what Ladder returns to the bullet on the framework's git host.

A framework indexed from an http(s) repository (``ladder index https://host/org/repo.git``)
records its web address and commit; every search result, level, fit match, gap and citation
then carries ``url``: ``https://host/org/repo/blob/COMMIT/PATH#Lnn``. The link names the
indexed commit, so it shows the text Ladder matched even after the branch moves on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from .answers import Answer, Citation
from .results import FitReport, Gap, LevelScore, RoleFit, SearchResponse, SearchResult, StatementMatch

Link = Callable[[str, int], str]
T = TypeVar("T", SearchResponse, FitReport, Answer)


def with_links(found: T, link: Link) -> T:
    """``found`` with ``url`` filled in wherever it names a file (and line); unchanged when
    ``link`` gives no address (the framework has no web address)."""
    if not link("", 0):
        return found
    if isinstance(found, SearchResponse):
        return replace(
            found,
            results=tuple(_result(r, link) for r in found.results),
            levels=tuple(_level(lv, link) for lv in found.levels),
            overviews=tuple(_result(r, link) for r in found.overviews),
        )
    if isinstance(found, FitReport):
        return replace(
            found,
            ranking=tuple(_fit(f, link) for f in found.ranking),
            next_up=_fit(found.next_up, link) if found.next_up else None,
            gaps=tuple(_gap(g, link) for g in found.gaps),
        )
    return replace(found, citations=tuple(_citation(c, link) for c in found.citations))


def _result(r: SearchResult, link: Link) -> SearchResult:
    return replace(r, url=link(r.path, r.line))


def _level(lv: LevelScore, link: Link) -> LevelScore:
    return replace(lv, url=link(lv.path, 0))


def _fit(f: RoleFit, link: Link) -> RoleFit:
    dims = {d: tuple(_match(m, f.path, link) for m in ms) for d, ms in f.dimensions.items()}
    return replace(f, url=link(f.path, 0), dimensions=dims)


def _match(m: StatementMatch, path: str, link: Link) -> StatementMatch:
    return replace(m, url=link(path, m.line))


def _gap(g: Gap, link: Link) -> Gap:
    return replace(g, url=link(g.path, g.line))


def _citation(c: Citation, link: Link) -> Citation:
    return replace(c, url=link(c.path, c.line))
