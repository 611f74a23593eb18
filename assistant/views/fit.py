"""The Fit page: the coverage grid (dimension × level of the best fit's track: how many of each
level's bullets the statements matched) and a document's evidence, one row per statement.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..corpus import Corpus
from ..results import FitReport, RoleFit

__all__ = ["CoverageGrid", "EvidenceRow", "coverage_grid", "evidence_rows", "fit_labels"]

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
            fit = fits.get(d.path)
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
