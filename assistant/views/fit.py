"""The Fit page: the coverage grid (dimension × level of the best fit's track: how many of each
level's bullets the statements matched) and a document's evidence, one row per statement.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..corpus import Corpus
from ..render import badge, escape
from ..results import Filters, FitReport, RoleFit
from .documents import line_source
from .session import KIND_LABELS

__all__ = [
    "BAND_WORDS", "DETECT", "CoverageGrid", "EvidenceRow", "band_sentence", "coverage_grid", "evidence_rows",
    "fit_filters", "fit_labels", "gaps_markdown", "ignored_markdown", "matched_markdown", "next_level_sentence",
    "ranking_chart_data", "track_choices", "track_sentence",
]

#: The track picker's first choice: let Ladder decide.
DETECT = "Detect"

#: What a band means, in a manager's words.
BAND_WORDS = {
    "maturing": "Maturing: ready for this level and delivering part of it",
    "performing": "Performing: meets most of what this level expects",
    "exceeding": "Exceeding: everything this level expects, plus some of a higher level",
}


def track_choices(corpus: Corpus) -> list[str]:
    """The track picker's options: ``Detect`` then every track (role family) of the index."""
    return [DETECT, *sorted({d.track for d in corpus.documents.values() if d.track})]


def fit_filters(choice: str | None) -> Filters:
    """The filters a track choice means: none for ``Detect``, that exact track otherwise."""
    return Filters() if not choice or choice == DETECT else Filters(track=choice)


def track_sentence(report: FitReport) -> str:
    """How the track was chosen, as safe Markdown: "Reads like **SRE** (72% of the evidence) ..."."""
    call = report.track
    if call is None or not call.track:
        return ""
    if call.given:
        return f"Track: **{escape(call.track)}**, as you chose."
    text = f"Reads like **{escape(call.track)}** ({call.confidence:.0%} of the evidence)"
    if call.runner_up and call.runner_up_confidence > 0:
        text += f"; next closest: {escape(call.runner_up)} ({call.runner_up_confidence:.0%})"
    return text + "."


def track_alternative(report: FitReport) -> str:
    """The track to offer as a one-click correction: the detected track's runner-up, when it has
    some share of the evidence ("" when the user chose the track or no other track is in sight)."""
    call = report.track
    if call is None or call.given or not call.runner_up or call.runner_up_confidence <= 0:
        return ""
    return call.runner_up


def band_sentence(report: FitReport) -> str:
    """The band within the level and the numbers it came from, as safe Markdown."""
    band, best = report.band, report.best
    if band is None or best is None:
        return ""
    words = BAND_WORDS.get(band.band, band.band)
    return f"**{escape(words)}** ({escape(band.note)})."

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

    def cells(self) -> list[list[str]]:
        """Every cell's text, row by row: the table's body."""
        return [[self.cell(r, c) for c in range(len(self.columns))] for r in range(len(self.rows))]

    def shares(self) -> list[list[float]]:
        """Every cell's share of its level's bullets matched, row by row (the table's shading)."""
        return [[self.share(r, c) for c in range(len(self.columns))] for r in range(len(self.rows))]


def ranking_chart_data(report: FitReport, limit: int = 8) -> dict[str, list[str] | list[float] | list[bool]]:
    """The Fit chart's columns for the best ``limit`` levels: label, score (2 decimals) and
    whether it is the best fit."""
    # levels of tracks with no share of the evidence score 0: leave them out (but keep the best)
    ranked = [f for f in report.ranking[:limit] if f.score > 0] or list(report.ranking[:1])
    best = report.best.key if report.best else None
    return {
        "Role": [f.label for f in ranked],
        "Fit score": [round(f.score, 2) for f in ranked],
        "Best": [f.key == best for f in ranked],
    }


def coverage_grid(report: FitReport, corpus: Corpus) -> CoverageGrid:
    """Dimension × level for the best fit's track: how many of each level's bullets
    (expectations and examples) in a dimension the statements matched."""
    best = report.best
    doc = corpus.documents.get(best.key or best.path) if best else None
    if doc is None:
        return CoverageGrid((), (), (), ())
    docs = [d for d in corpus.documents_sorted() if d.track == doc.track]
    fits = {f.key or f.path: f for f in report.ranking}
    levels = [d.level for d in docs]
    columns = _unique([d.level if levels.count(d.level) == 1 else d.label for d in docs], [d.path for d in docs])
    rows: dict[str, None] = {}
    for d in docs:
        for dim in d.dimensions:
            rows.setdefault(dim)
    matched, total = [], []
    for dim in rows:
        m_row, t_row = [], []
        for d in docs:
            bullets = {c.id for c in d.chunks if c.dimension == dim and c.kind in ("expectation", "example")}
            fit = fits.get(d.key or d.path)
            hit = {m.chunk_id for m in fit.dimensions.get(dim, ())} & bullets if fit else set()
            m_row.append(len(hit))
            t_row.append(len(bullets))
        matched.append(tuple(m_row))
        total.append(tuple(t_row))
    return CoverageGrid(columns, tuple(rows), tuple(matched), tuple(total))


def fit_labels(report: FitReport) -> list[str]:
    """One label per ranked document, unique even when two documents share a title (the file
    name is added to tell them apart): the grid's columns and the evidence picker need that."""
    return list(_unique([f.label for f in report.ranking], [f.path for f in report.ranking]))


def _unique(labels: list[str], paths: list[str]) -> tuple[str, ...]:
    return tuple(
        label if labels.count(label) == 1 else f"{label} ({path.rsplit('/', 1)[-1]})"
        for label, path in zip(labels, paths, strict=True)
    )


@dataclass(frozen=True, slots=True)
class EvidenceRow:
    """One statement of the input and the bullets of one document it matched."""

    dimension: str
    statement: str
    bullets: tuple[tuple[str, str, float, int, str], ...]  # (text, kind, similarity, line, url)


def evidence_rows(fit: RoleFit, statements: tuple[str, ...]) -> list[EvidenceRow]:
    """The evidence of one document, by dimension, one row per statement (``RoleFit.by_statement``)."""
    return [
        EvidenceRow(dimension, said, tuple((m.text, m.kind, m.similarity, m.line, m.url) for m in matches))
        for dimension, said, matches in fit.by_statement(statements)
    ]


def matched_markdown(row: EvidenceRow, fit: RoleFit) -> str:
    """The bullets of ``fit`` one statement matched, as safe Markdown: kind badge, text, similarity
    and a link to the line, one per line."""
    return "  \n".join(
        f"{badge(KIND_LABELS.get(kind, kind), 'gray')} {escape(text)} :gray[({sim:.2f})]"
        + line_source(fit.path, line, url)
        for text, kind, sim, line, url in row.bullets
    )


def ignored_markdown(report: FitReport) -> str:
    """The input lines not counted as evidence, each with its reason, as a safe Markdown list."""
    return "\n".join(f"- {escape(i.text)} · *{escape(i.reason)}*" for i in report.ignored)


def next_level_sentence(report: FitReport) -> str:
    """The sentence naming the next level up and whether the input leaves some of it uncovered,
    as safe Markdown. Empty when the best fit is the top of its track."""
    if report.next_up is None:
        return ""
    return f"The next level up is **{escape(report.next_up.label)}**. " + (
        "These of its expectations are not covered by anything you wrote yet:"
        if report.gaps
        else "Your statements already touch every one of its expectations."
    )


def gaps_markdown(report: FitReport) -> str:
    """The next level's expectations no statement covers, by dimension, as safe Markdown."""
    lines: list[str] = []
    for dimension, gaps in report.gaps_by_dimension():
        lines.append(f"\n**{escape(dimension or 'Other')}**\n")
        lines += [f"- {escape(gap.text)}{line_source(gap.path, gap.line, gap.url)}" for gap in gaps]
    return "\n".join(lines)
