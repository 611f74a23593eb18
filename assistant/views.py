"""What the Streamlit app shows, computed without Streamlit: page and widget names, result
groups, the fit's coverage grid and evidence rows, role documents, comparisons and what changed
between two commits as safe Markdown, links to the git host, and keeping the index fresh.

``streamlit_app.py`` only lays these out; everything here is plain data with unit tests.
Every string meant for ``st.markdown`` is built with ``assistant.render`` (corpus text escaped).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from urllib.parse import quote

from index import Chunk, Embedder, IndexingError, LadderError, web_link
from index.changes import Bullet as ChangedBullet
from index.changes import Commit, FrameworkChanges, SectionChanges

from . import render
from .compare import Bullet, Comparison
from .config import Settings
from .corpus import Corpus, RoleDocument
from .results import Filters, FitReport, Placement, RoleFit, SearchResponse, SearchResult
from .service import Ladder, build_ladder
from .text import words

__all__ = [
    "ANY",
    "EXAMPLE_QUERIES",
    "EXAMPLE_SELF_REVIEW",
    "PAGES",
    "ChangeGroup",
    "ChangeSection",
    "CoverageGrid",
    "DocumentSection",
    "DocumentView",
    "EvidenceRow",
    "ResultGroup",
    "change_groups",
    "change_history",
    "change_links",
    "changes_summary",
    "commit_label",
    "compare_defaults",
    "coverage_grid",
    "document_labels",
    "document_view",
    "error_text",
    "evidence_rows",
    "filters_from",
    "group_results",
    "open_ladder",
    "Warmup",
    "overview_markdown",
    "refresh_index",
    "result_markdown",
    "run_search",
    "source_link",
    "table_of_contents",
    "word_diff",
]

PAGES = ("Search", "Fit", "Compare", "Browse")
#: The "no filter" choice of every sidebar filter.
ANY = "Any"
EXAMPLE_QUERIES = (
    "mentoring junior engineers",
    "leading incident response",
    "planning work for the next quarter",
    "influencing decisions across teams",
)
EXAMPLE_SELF_REVIEW = """\
- I lead incident response for our platform outages and write the postmortems.
- I mentor two junior engineers through their first on-call rotations.
- I designed the Kubernetes cluster upgrades so that other teams were not disrupted.
- I plan the platform work for the next quarter with my manager.
- I review infrastructure code and explain why I suggest each change."""
KIND_LABELS = {
    "expectation": "Expectation",
    "example": "Example",
    "summary": "Summary",
    "attribute": "Attribute",
    "overview": "Overview",
}


# -- the one Ladder and the index behind it ---------------------------------------------------


#: torch threads for the app unless settings say otherwise: with one thread a query embedding
#: stayed ~15-35 ms on 2 busy cores; with torch's default (one per core) it took 190-420 ms.
APP_TORCH_THREADS = 1


def open_ladder(embedder: Embedder | None = None) -> Ladder:
    """The app's Ladder: settings from the environment (``LADDER_ROLES``, ``LADDER_STORE``,
    ``LADDER_MODEL``), like the CLI. Tests pass their own ``embedder`` here."""
    settings = Settings.from_env()
    if not settings.torch_threads:
        settings = settings.with_(torch_threads=APP_TORCH_THREADS)
    return build_ladder(settings, embedder=embedder)


class Warmup:
    """Loads the model in a background thread, so the first page need not wait for it.

    The app calls ``start()`` once a page is shown (loading torch competes with the first page
    for the CPU and the GIL) and ``join()`` before any use of the model, which starts the load
    if nothing did yet: two loads at once would cost twice the time. A load failure is left for
    that first use to report.
    """

    def __init__(self, ladder: Ladder):
        self._ladder = ladder
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def _load(self) -> None:
        embedder = self._ladder.embedder
        if getattr(embedder, "loaded", True):
            return
        try:
            embedder.embed_query("warm up")
        except Exception:  # noqa: BLE001 - the first real use raises it again, with its message
            pass

    def start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._load, name="ladder-model-warmup", daemon=True)
                self._thread.start()

    def join(self) -> None:
        self.start()
        assert self._thread is not None
        self._thread.join()


# -- index freshness --------------------------------------------------------------------------

_INDEX_LOCK = threading.Lock()


def refresh_index(
    ladder: Ladder,
    progress: Callable[[str, int, int], None] | None = None,
    waiting: Callable[[], None] | None = None,
    before_build: Callable[[], None] | None = None,
) -> str:
    """Build the index when there is none; re-index when role files changed on disk.

    One build at a time per process: a caller that finds another build running calls
    ``waiting()`` (to show it) and waits for it, then re-checks. ``before_build()`` runs
    right before this call builds (e.g. to wait for the model to finish loading).

    Returns:
        A one-line notice of what was done, or "" when the index was already fresh.
    """
    status = ladder.status()
    if status.built and not status.stale:
        return ""
    if not _INDEX_LOCK.acquire(blocking=False):
        if waiting:
            waiting()
        _INDEX_LOCK.acquire()
    try:
        status = ladder.status()
        if (not status.built or status.stale) and before_build:
            before_build()
        if not status.built:
            report = ladder.ensure_index(progress=progress)
            if report is None:
                return ""
            files = len(report.added) + len(report.updated) + len(report.unchanged)
            return (
                f"Built the search index: {files} file{'s' * (files != 1)}, "
                f"{report.chunks} statements, in {report.seconds:.1f} s."
            )
        if not status.stale:
            return ""
        ladder.index(progress=progress)
        parts = [
            f"{label} {', '.join(paths)}"
            for label, paths in (("changed:", status.changed), ("added:", status.added), ("removed:", status.removed))
            if paths
        ]
        return "Role files changed, so the index was updated (" + "; ".join(parts) + ")."
    finally:
        _INDEX_LOCK.release()


def error_text(exc: BaseException) -> str:
    """A short message for the page: Ladder's own errors already say what to do."""
    if isinstance(exc, LadderError):
        text = str(exc)
        return text[:1].upper() + text[1:]
    first = (str(exc).strip().splitlines() or [""])[0][:200]
    return f"Something went wrong ({type(exc).__name__}{': ' + first if first else ''}). Reload the page to retry."


# -- search -----------------------------------------------------------------------------------


def filters_from(level: str = ANY, track: str = ANY, role: str = ANY, dimension: str = ANY, kind: str = ANY) -> Filters:
    """Sidebar choices -> ``Filters`` (``ANY`` means no filter)."""

    def value(v: str | None) -> str:
        return "" if not v or v == ANY else v

    return Filters(
        level=value(level), role=value(role), track=value(track), dimension=value(dimension), kind=value(kind)
    )


def run_search(ladder: Ladder, query: str, filters: Filters, k: int = 10) -> SearchResponse:
    """``ladder.search``, with the role filter meaning exactly that role.

    (``Filters.role`` matches substrings: "Platform Engineer" would also find "Senior Platform
    Engineer"; a reader who picked one role from a list means that one. A bullet that several
    roles share is shown as the chosen role's copy.)
    """
    if not filters.role:
        return ladder.search(query, k=k, filters=filters)
    wide = ladder.search(query, k=min(100, k * 5), filters=filters)
    by_id = ladder.corpus().by_id
    results = []
    for r in wide.results:
        if r.role != filters.role:
            twin = next((p for p in r.also_in if _passes(p, filters) and p.id in by_id), None)
            if twin is None:
                continue
            r = _as_placement(r, by_id[twin.id])
        results.append(r)
    levels = tuple(lv for lv in wide.levels if lv.role == filters.role)
    return SearchResponse(wide.query, tuple(results[:k]), levels, wide.notice)


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
        return f"{self.level} {self.role}".strip() if self.level else "Framework overview"


def group_results(results: tuple[SearchResult, ...] | list[SearchResult]) -> list[ResultGroup]:
    """Results grouped by role document, groups in the order of their best result; overview
    text (which belongs to no level) comes last."""
    order: dict[str, list[SearchResult]] = {}
    for r in results:
        order.setdefault(r.path, []).append(r)
    groups = [ResultGroup(rs[0].level, rs[0].role, rs[0].track, path, tuple(rs)) for path, rs in order.items()]
    return [g for g in groups if g.level] + [g for g in groups if not g.level]


def result_markdown(result: SearchResult) -> str:
    """A result's badges and its text with the matched words highlighted (safe Markdown)."""
    badges = []
    if result.dimension:
        badges.append(render.badge(result.dimension, "blue"))
    badges.append(render.badge(KIND_LABELS.get(result.kind, result.kind.title()), _KIND_BADGE.get(result.kind, "gray")))
    text = render.highlight(result.plain, result.matched_terms)
    if result.context:
        text = f"_{render.escape(result.context)}_ {text}"
    return " ".join(badges) + "  \n" + text


_KIND_BADGE = {"expectation": "violet", "example": "green", "summary": "orange", "attribute": "gray"}


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


# -- fit --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CoverageGrid:
    """Dimension × level: how many of a level's bullets the statements matched."""

    columns: tuple[str, ...]  # levels of one track, ascending (the label when a level has two roles)
    rows: tuple[str, ...]  # dimensions
    matched: tuple[tuple[int, ...], ...]  # [row][column]
    total: tuple[tuple[int, ...], ...]

    def cell(self, row: int, column: int) -> str:
        total = self.total[row][column]
        return f"{self.matched[row][column]} of {total}" if total else "–"

    def share(self, row: int, column: int) -> float:
        total = self.total[row][column]
        return self.matched[row][column] / total if total else 0.0


def coverage_grid(report: FitReport, corpus: Corpus) -> CoverageGrid:
    """Dimension × level for the best fit's track: how many of each level's bullets
    (expectations and examples) in a dimension the statements matched."""
    best = report.best
    doc = corpus.documents.get(best.path) if best else None
    if doc is None:
        return CoverageGrid((), (), (), ())
    docs = [d for d in corpus.documents_sorted() if d.track == doc.track]
    fits = {f.path: f for f in report.ranking}
    levels = [d.level for d in docs]
    columns = tuple(d.level if levels.count(d.level) == 1 else d.label for d in docs)
    rows: dict[str, None] = {}
    for d in docs:
        for dim in d.dimensions:
            rows.setdefault(dim)
    matched, total = [], []
    for dim in rows:
        m_row, t_row = [], []
        for d in docs:
            bullets = {c.id for c in d.chunks if c.dimension == dim and c.kind in ("expectation", "example")}
            fit = fits.get(d.path)
            hit = {m.chunk_id for m in fit.dimensions.get(dim, ())} & bullets if fit else set()
            m_row.append(len(hit))
            t_row.append(len(bullets))
        matched.append(tuple(m_row))
        total.append(tuple(t_row))
    return CoverageGrid(columns, tuple(rows), tuple(matched), tuple(total))


@dataclass(frozen=True, slots=True)
class EvidenceRow:
    """One statement of the input and the bullets of one document it matched."""

    dimension: str
    statement: str
    bullets: tuple[tuple[str, str, float, int, str], ...]  # (text, kind, similarity, line, url)


def evidence_rows(fit: RoleFit, statements: tuple[str, ...]) -> list[EvidenceRow]:
    """The evidence of one document, by dimension, one row per statement (strongest first)."""
    rows: list[EvidenceRow] = []
    for dimension, matches in fit.dimensions.items():
        by_statement: dict[int, list[tuple[str, str, float, int, str]]] = {}
        for m in matches:
            by_statement.setdefault(m.statement, []).append((m.text, m.kind, m.similarity, m.line, m.url))
        for index, bullets in by_statement.items():
            said = statements[index] if 0 <= index < len(statements) else ""
            rows.append(EvidenceRow(dimension, said, tuple(bullets)))
    return rows


# -- browse and compare -----------------------------------------------------------------------


def document_labels(corpus: Corpus) -> dict[str, str]:
    """A unique, readable label for every role document -> its path, in track and level order.

    ``L3 Senior Platform Engineer``; the track is added when two documents share a label.
    """
    docs = corpus.documents_sorted()
    counts: dict[str, int] = {}
    for d in docs:
        counts[d.label] = counts.get(d.label, 0) + 1
    labels: dict[str, str] = {}
    for d in docs:
        label = d.label if counts[d.label] == 1 else f"{d.label} ({d.track})"
        if label in labels:
            label = f"{label} – {d.path}"
        labels[label] = d.path
    return labels


def table_of_contents(corpus: Corpus) -> list[tuple[str, list[tuple[str, str]]]]:
    """``[(track, [(label, path), ...]), ...]``: tracks alphabetically, levels ascending."""
    labels = document_labels(corpus)
    toc: dict[str, list[tuple[str, str]]] = {}
    for label, path in labels.items():
        toc.setdefault(corpus.documents[path].track or "Other", []).append((label, path))
    return list(toc.items())


@dataclass(frozen=True, slots=True)
class DocumentSection:
    dimension: str
    expectations: str  # a Markdown bullet list (safe), "" when there are none
    examples: str


@dataclass(frozen=True, slots=True)
class DocumentView:
    """A role document as safe Markdown pieces, in the order the file presents them."""

    title: str
    path: str
    summary: str
    attributes: tuple[tuple[str, str], ...]  # (label, value as plain text)
    sections: tuple[DocumentSection, ...] = field(default_factory=tuple)


def _bullet_list(chunks: list[Chunk]) -> str:
    lines = []
    for c in chunks:
        indent = "    " if c.context else ""
        lines.append(f"{indent}- {render.inline(c.text) or render.escape(c.plain)}")
    return "\n".join(lines)


def document_view(doc: RoleDocument) -> DocumentView:
    """How Browse shows a role document."""
    summary = next((c for c in doc.chunks if c.kind == "summary"), None)
    attributes = tuple(
        (c.plain.partition(":")[0].strip() or c.key.replace("_", " ").capitalize(), c.plain.partition(":")[2].strip())
        for c in doc.chunks
        if c.kind == "attribute"
    )
    sections = []
    for dim in doc.dimensions:
        chunks = [c for c in doc.chunks if c.dimension == dim]
        sections.append(
            DocumentSection(
                dim,
                _bullet_list([c for c in chunks if c.kind == "expectation"]),
                _bullet_list([c for c in chunks if c.kind == "example"]),
            )
        )
    return DocumentView(
        title=doc.title or doc.label,
        path=doc.path,
        summary=render.inline(summary.text) if summary else "",
        attributes=attributes,
        sections=tuple(sections),
    )


def overview_markdown(corpus: Corpus) -> list[tuple[str, str]]:
    """``[(title, safe Markdown)]`` of the framework's overview files (READMEs).

    Consecutive lines become a bullet list, lines on their own a paragraph.
    """
    by_path: dict[str, list[Chunk]] = {}
    for c in corpus.chunks:
        if c.kind == "overview":
            by_path.setdefault(c.path, []).append(c)
    out = []
    for path, chunks in sorted(by_path.items()):
        blocks: list[list[Chunk]] = []
        for c in chunks:
            if blocks and c.line == blocks[-1][-1].line + 1:
                blocks[-1].append(c)
            else:
                blocks.append([c])
        parts = []
        for b in blocks:
            if len(b) > 2 and b[0].plain.rstrip().endswith(":"):  # "...in terms of:" + its list
                parts.append(render.inline(b[0].text) or render.escape(b[0].plain))
                b = b[1:]
            parts.append(_bullet_list(b) if len(b) > 1 else (render.inline(b[0].text) or render.escape(b[0].plain)))
        out.append((chunks[0].title or path, "\n\n".join(parts)))
    return out


def compare_defaults(corpus: Corpus, best_path: str = "") -> tuple[str, str]:
    """Paths of the two documents Compare opens with: the best fit and the next level up in
    its track; without a fit, the first document that has a next level, and that level."""
    docs = corpus.documents_sorted()
    if not docs:
        return "", ""
    first = corpus.documents.get(best_path) or next((d for d in docs if corpus.next_level(d)), docs[0])
    higher = corpus.next_level(first)
    if higher:
        return first.path, sorted(higher, key=lambda d: d.role)[0].path
    lower = [d for d in docs if d.track == first.track and d.level_num < first.level_num]
    others = [d for d in docs if d.path != first.path]
    if lower:  # the top of a track: compare with the level below, lower level on the left
        return lower[-1].path, first.path
    return first.path, (others[0] if others else first).path


def word_diff(a: str, b: str) -> tuple[str, str]:
    """Two rewordings as safe Markdown: words only A has struck through in red, words only B
    has in green."""
    ta, tb = a.split(), b.split()
    keys_a = [" ".join(words(t)) or t for t in ta]
    keys_b = [" ".join(words(t)) or t for t in tb]
    out_a: list[str] = []
    out_b: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, keys_a, keys_b, autojunk=False).get_opcodes():
        left, right = " ".join(ta[i1:i2]), " ".join(tb[j1:j2])
        if op == "equal":
            out_a.append(render.escape(left))
            out_b.append(render.escape(right))
            continue
        if left:
            out_a.append(f":red-background[{render.escape(left)}]")
        if right:
            out_b.append(f":green-background[{render.escape(right)}]")
    return " ".join(out_a), " ".join(out_b)


def bullet_markdown(bullet: Bullet) -> str:
    """A compared bullet (with its parent's words in italics) as safe Markdown."""
    text = render.escape(bullet.text)
    kind = " " + render.badge("Example", "green") if bullet.kind == "example" else ""
    return (f"_{render.escape(bullet.context)}_ " if bullet.context else "") + text + kind


def comparison_counts(comparison: Comparison) -> str:
    """``2 only in L3 ..., 5 only in L4 ..., 1 reworded, 1 shared`` (plain text)."""
    only_a = sum(len(d.only_a) for d in comparison.dimensions)
    only_b = sum(len(d.only_b) for d in comparison.dimensions)
    reworded = sum(len(d.reworded) for d in comparison.dimensions)
    shared = sum(len(d.shared) for d in comparison.dimensions)
    return (
        f"{only_a} only in {comparison.a.label}, {only_b} only in {comparison.b.label}, "
        f"{reworded} reworded, {shared} shared"
    )


# -- what changed -----------------------------------------------------------------------------

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
    source = dict((ladder.store.current_state() or {}).get("source") or {})

    def link(path: str, line: int, commit: str) -> str:
        return web_link({**source, "commit": commit}, path, line) if source.get("web") else ""

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
