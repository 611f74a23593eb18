"""The Search page: sidebar choices as ``Filters``, searching with the role filter meaning
exactly that role, results grouped by role document, a result's badges and highlighted text,
and ``path:line`` links to the framework's git host (safe Markdown).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import quote

from .. import Chunk, Ladder, render
from ..answers import Citation
from ..corpus import Corpus
from ..results import Filters, Placement, SearchResponse, SearchResult
from .session import ANY, KIND_LABELS

__all__ = [
    "ResultGroup",
    "also_in_text",
    "citations_markdown",
    "filters_from",
    "no_match_text",
    "results_caption",
    "group_results",
    "result_markdown",
    "run_search",
    "source_link",
]

def filters_from(level: str = ANY, track: str = ANY, role: str = ANY, dimension: str = ANY, kind: str = ANY) -> Filters:
    """Sidebar choices -> ``Filters`` (``ANY`` means no filter)."""

    def value(v: str | None) -> str:
        return "" if not v or v == ANY else v

    return Filters(
        level=value(level), role=value(role), track=value(track), dimension=value(dimension), kind=value(kind)
    )


def run_search(
    ladder: Ladder, query: str, filters: Filters, k: int = 10, *, corpus: Corpus | None = None, mode: str = "hybrid"
) -> SearchResponse:
    """``ladder.search``, with the role filter meaning exactly that role (``corpus`` and
    ``mode`` as for ``ladder.search``: word matches only while the index warms up).

    (``Filters.role`` matches substrings: "Platform Engineer" would also find "Senior Platform
    Engineer"; a reader who picked one role from a list means that one. A bullet that several
    roles share is shown as the chosen role's copy.)
    """
    if not filters.role:
        return ladder.search(query, k=k, filters=filters, corpus=corpus, mode=mode)
    wide = ladder.search(query, k=min(100, k * 5), filters=filters, corpus=corpus, mode=mode)
    by_id = (corpus or ladder.corpus()).by_id
    results = []
    for r in wide.results:
        if r.role != filters.role:
            twin = next((p for p in r.also_in if _passes(p, filters) and p.id in by_id), None)
            if twin is None:
                continue
            r = _as_placement(r, by_id[twin.id])
        results.append(r)
    levels = tuple(lv for lv in wide.levels if lv.role == filters.role)
    return SearchResponse(wide.query, tuple(results[:k]), levels, wide.notice, wide.overviews)


def _passes(place: Placement, filters: Filters) -> bool:
    """Whether a shared bullet's other copy passes the filters on its own."""
    return (
        place.role == filters.role
        and (not filters.level or place.level.lower().lstrip("l") == filters.level.lower().lstrip("l"))
        and (not filters.track or filters.track.lower() in place.track.lower())
        and (not filters.dimension or place.dimension.lower() == filters.dimension.lower())
    )


def _as_placement(result: SearchResult, chunk: Chunk) -> SearchResult:
    """``result`` shown as its identical bullet ``chunk`` in another role document."""
    me = Placement(result.id, result.level, result.role, result.track, result.dimension, result.path, result.line)
    others = tuple(p for p in result.also_in if p.id != chunk.id) + (me,)
    return replace(
        result, id=chunk.id, text=chunk.text, plain=chunk.plain, kind=chunk.kind, dimension=chunk.dimension,
        level=chunk.level, role=chunk.role, track=chunk.track, path=chunk.path, line=chunk.line,
        also_in=tuple(sorted(others, key=lambda p: (p.track, p.level, p.role))), context=chunk.context,
    )


@dataclass(frozen=True, slots=True)
class ResultGroup:
    """The results of one role document (one level of one role), best first."""

    level: str
    role: str
    track: str
    path: str
    results: tuple[SearchResult, ...]

    @property
    def label(self) -> str:
        if self.level:
            return f"{self.level} {self.role}".strip()
        if any(r.kind != "overview" for r in self.results):
            return self.role  # a role page without levels (Everyone, Leadership)
        return "Framework overview"


def group_results(results: tuple[SearchResult, ...] | list[SearchResult]) -> list[ResultGroup]:
    """Results grouped by role document (one level of a file: a file may hold several), groups
    in the order of their best result; overview text (which belongs to no level) comes last."""
    order: dict[tuple[str, str], list[SearchResult]] = {}
    for r in results:
        order.setdefault((r.path, r.level), []).append(r)
    groups = [ResultGroup(rs[0].level, rs[0].role, rs[0].track, path, tuple(rs)) for (path, _), rs in order.items()]
    return [g for g in groups if g.level] + [g for g in groups if not g.level]


def result_markdown(result: SearchResult) -> str:
    """A result's badges and its text with the matched words highlighted (safe Markdown)."""
    badges = []
    if result.dimension:
        badges.append(render.badge(result.dimension, "blue"))
    badges.append(render.badge(KIND_LABELS.get(result.kind, result.kind.title()), _KIND_BADGE.get(result.kind, "gray")))
    if result.strength:  # how strong the match is, in words (the similarity's scale is the same for every query)
        badges.append(render.badge(f"{result.strength.title()} match", _STRENGTH_BADGE.get(result.strength, "gray")))
    text = render.highlight(result.plain, result.matched_terms)
    if result.context:
        text = f"_{render.escape(result.context)}_ {text}"
    return " ".join(badges) + "  \n" + text


_KIND_BADGE = {"expectation": "violet", "example": "green", "summary": "orange", "attribute": "gray"}
_STRENGTH_BADGE = {"strong": "primary", "partial": "orange", "weak": "gray"}


def also_in_text(result: SearchResult) -> str:
    """``Also in: L2 Platform Engineer, L4 Platform Technical Lead`` (plain text) or ""."""
    labels = list(dict.fromkeys(f"{p.level} {p.role}".strip() for p in result.also_in))
    return "Also in: " + ", ".join(labels) if labels else ""


# -- links to the git host -------------------------------------------------------------------

#: What a link destination keeps as it is; everything else is percent-encoded: ``$`` (so
#: Streamlit's maths never sees one), angle brackets, backslashes, anything not ASCII.
_URL_KEEP = ":/?#[]@!&'()*+,;=%~"


def source_link(text: str, url: str) -> str:
    """``text`` (``path:line``) as safe Markdown: a link to ``url`` when that is an absolute
    http(s) address, else the text alone (never a ``javascript:`` or ``data:`` link)."""
    shown = render.escape(text)
    if not url.lower().startswith(("https://", "http://")) or render.safe_url(url) is None:
        return shown
    return f"[{shown}](<{quote(url, safe=_URL_KEEP)}>)"


def citations_markdown(citations: tuple[Citation, ...] | list[Citation]) -> str:
    """An answer's sources as a safe Markdown list: the text, then its level and role and a link
    to its file and line."""
    return "\n".join(
        f"- {render.escape(c.text)}  \n  :gray[{render.escape(f'{c.level} {c.role}'.strip())} · "
        f"{source_link(f'{c.path}:{c.line}', c.url)}]"
        for c in citations
    )


def no_match_text(filters: Filters) -> str:
    """What to do when nothing matches: set filters back first when some are set."""
    return (
        "Nothing in the framework matches that"
        + (" with these filters. Set some filters back to “Any” in the sidebar." if filters.active() else ". ")
        + " Try other words, or describe one thing you did."
    )


def results_caption(results: tuple[SearchResult, ...] | list[SearchResult], groups: list[ResultGroup]) -> str:
    """How many statements matched, in how many documents, and how they are shown (plain text);
    overview passages (which belong to no role document) are counted apart."""
    bullets = [r for r in results if r.kind != "overview" or r.level]
    documents = [g for g in groups if g.level or any(r.kind != "overview" for r in g.results)]
    passages = len(results) - len(bullets)
    return (
        f"{len(bullets)} matching statements in {len(documents)} role documents, each document under its "
        "best match, best first"
        + (f", then {passages} passage{'s' if passages != 1 else ''} of the overview pages" if passages else "")
        + "; matched words are highlighted."
    )
