"""What searches and level fits return: frozen dataclasses that become ``--json`` directly.

The JSON shapes are a contract (extend, don't rename):
``{"query", "results": [{"id", "text", "kind", "dimension", "level", "role", "track", "path",
"line", "score", "strength", "also_in", "matched_terms", "url"}], "levels": [{"level", "role", "path", "score",
"evidence", "url"}]}``. ``url`` links to the file and line on the framework's git host; it is ""
when the framework has no web address (a local folder, a file:// or ssh repository).
``score`` is the cosine similarity of the query and the bullet (0..1, the same scale for every
query; the best result is not forced to 1), and ``strength`` says it in words (strong, partial,
weak).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from index import to_json


@dataclass(frozen=True, slots=True)
class Filters:
    """Search filters; empty means "any". ``role`` and ``track`` match case-insensitively
    as substrings; the others must be values the index holds."""

    level: str = ""
    role: str = ""
    track: str = ""
    dimension: str = ""
    kind: str = ""

    def active(self) -> bool:
        return any((self.level, self.role, self.track, self.dimension, self.kind))


@dataclass(frozen=True, slots=True)
class RoleRef:
    """A role document by name: one side of a comparison, or a candidate for an ambiguous name."""

    path: str
    level: str
    role: str
    track: str

    @property
    def label(self) -> str:
        return f"{self.level} {self.role}".strip()

    def to_json(self) -> dict[str, Any]:
        return to_json(self)


@dataclass(frozen=True, slots=True)
class Placement:
    """Another role and level where the same bullet appears."""

    id: str
    level: str
    role: str
    track: str
    dimension: str
    path: str
    line: int


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One bullet (or group of identical bullets) that matched a query."""

    id: str
    text: str
    plain: str
    kind: str
    dimension: str
    level: str
    role: str
    track: str
    path: str
    line: int
    score: float
    also_in: tuple[Placement, ...] = ()
    matched_terms: tuple[str, ...] = ()
    context: str = ""
    key: str = ""
    url: str = ""  # the bullet on the framework's git host, when it has a web address
    #: ``score`` in words: strong, partial or weak (``assistant.strength.strength``)
    strength: str = ""

    def to_json(self) -> dict[str, Any]:
        return to_json(self, digits={"score": 4})


@dataclass(frozen=True, slots=True)
class LevelScore:
    """A role document (level + role) ranked for a query or a fit."""

    level: str
    role: str
    track: str
    path: str
    score: float
    evidence: tuple[str, ...] = ()
    url: str = ""

    def to_json(self) -> dict[str, Any]:
        return to_json(self, digits={"score": 4})


@dataclass(frozen=True, slots=True)
class SearchResponse:
    query: str
    #: the role documents' bullets that match, best first
    results: tuple[SearchResult, ...]
    levels: tuple[LevelScore, ...] = ()
    notice: str = ""
    #: passages of the overview pages (READMEs: no level) that ranked among the results, best
    #: first, kept apart from the bullets (``OVERVIEWS_APART`` of them at most)
    overviews: tuple[SearchResult, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return to_json(self, omit_empty=("notice", "overviews"))


@dataclass(frozen=True, slots=True)
class StatementMatch:
    """How strongly one statement of the input matched one bullet of a role."""

    statement: int  # index into FitReport.statements
    chunk_id: str
    text: str
    kind: str
    dimension: str
    similarity: float
    line: int = 0
    url: str = ""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["similarity"] = round(self.similarity, 4)
        return data


@dataclass(frozen=True, slots=True)
class RoleFit:
    """One role document's fit to the input, with its evidence by dimension."""

    level: str
    role: str
    track: str
    path: str
    score: float
    dimensions: dict[str, tuple[StatementMatch, ...]] = field(default_factory=dict)
    scope: dict[str, float] = field(default_factory=dict)
    url: str = ""
    #: the role document's key in the corpus (``path``, or ``path#level`` when a file holds several)
    key: str = ""

    @property
    def evidence(self) -> tuple[StatementMatch, ...]:
        return tuple(m for ms in self.dimensions.values() for m in ms)

    @property
    def label(self) -> str:
        return f"{self.level} {self.role}".strip()

    def by_statement(self, statements: tuple[str, ...]) -> list[tuple[str, str, tuple[StatementMatch, ...]]]:
        """The evidence as the app and the Markdown export show it: by dimension, then one entry
        per statement (in order of first match) with the bullets it matched:
        ``(dimension, statement, matches)``. ``statements`` is the report's."""
        grouped: list[tuple[str, str, tuple[StatementMatch, ...]]] = []
        for dimension, matches in self.dimensions.items():
            by_statement: dict[int, list[StatementMatch]] = {}
            for m in matches:
                by_statement.setdefault(m.statement, []).append(m)
            for index, ms in by_statement.items():
                said = statements[index] if 0 <= index < len(statements) else ""
                grouped.append((dimension, said, tuple(ms)))
        return grouped

    def to_json(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "role": self.role,
            "track": self.track,
            "path": self.path,
            "score": round(self.score, 4),
            "dimensions": {d: [m.to_json() for m in ms] for d, ms in self.dimensions.items()},
            "scope": {k: round(v, 4) for k, v in self.scope.items()},
            "url": self.url,
        }


@dataclass(frozen=True, slots=True)
class Gap:
    """An expectation of the next level up that no statement covers."""

    id: str
    text: str
    dimension: str
    path: str
    line: int
    best_similarity: float
    url: str = ""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["best_similarity"] = round(self.best_similarity, 4)
        return data


@dataclass(frozen=True, slots=True)
class TrackCall:
    """The track (role family) a text is about, how sure, and the runner-up."""

    track: str
    confidence: float  # the track's share of the evidence, 0..1
    runner_up: str = ""
    runner_up_confidence: float = 0.0
    given: bool = False  # chosen by the user (--track, the app's picker), not detected

    @property
    def close(self) -> bool:
        """The runner-up has at least half the winner's share: the track is unclear."""
        return bool(self.runner_up) and not self.given and self.runner_up_confidence >= 0.5 * self.confidence

    def to_json(self) -> dict[str, Any]:
        return {
            "track": self.track,
            "confidence": round(self.confidence, 3),
            "runner_up": self.runner_up,
            "runner_up_confidence": round(self.runner_up_confidence, 3),
            "given": self.given,
        }


@dataclass(frozen=True, slots=True)
class Band:
    """Where inside its level the text sits, estimated from coverage.

    ``maturing``: ready for the level but showing only part of it; ``performing``: most of the
    level's expectations; ``exceeding``: the level plus behaviours of the next one in the track.
    """

    band: str
    coverage: float  # share of the level's expectations some statement covers
    dimensions: dict[str, float]  # the same share per dimension
    next_level: int  # statements that read like the next level of the track
    gaps_named: int  # lines naming something not done yet
    note: str

    def to_json(self) -> dict[str, Any]:
        return {
            "band": self.band,
            "coverage": round(self.coverage, 3),
            "dimensions": {d: round(v, 3) for d, v in self.dimensions.items()},
            "next_level": self.next_level,
            "gaps_named": self.gaps_named,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class IgnoredLine:
    """A line of the input not used as evidence, and why."""

    text: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Inherited:
    """Expectations the best-fitting role document builds on ("in addition to the expectations in
    Everyone.md"): also expected of the person, from another document."""

    source: str  # the label of the document built on ("Everyone")
    path: str
    expectations: tuple[str, ...]
    covered: int  # how many of them some statement matches

    def to_json(self) -> dict[str, Any]:
        return {"from": self.source, "path": self.path, "expectations": list(self.expectations),
                "covered": self.covered}


@dataclass(frozen=True, slots=True)
class FitReport:
    """The answer to "which level fits this work?"."""

    statements: tuple[str, ...]
    ranking: tuple[RoleFit, ...]
    confidence: str  # "clear", "split", "track unclear" or "thin"
    confidence_note: str
    next_up: RoleFit | None = None
    gaps: tuple[Gap, ...] = ()
    notice: str = ""
    track: TrackCall | None = None
    band: Band | None = None
    ignored: tuple[IgnoredLine, ...] = ()
    inherited: tuple[Inherited, ...] = ()

    @property
    def best(self) -> RoleFit | None:
        return self.ranking[0] if self.ranking else None

    def gaps_by_dimension(self) -> list[tuple[str, tuple[Gap, ...]]]:
        """The gaps as the app and the Markdown export show them: one group per run of the same
        dimension, in the report's order."""
        groups: list[tuple[str, list[Gap]]] = []
        for gap in self.gaps:
            if not groups or groups[-1][0] != gap.dimension:
                groups.append((gap.dimension, []))
            groups[-1][1].append(gap)
        return [(dimension, tuple(gaps)) for dimension, gaps in groups]

    def to_json(self) -> dict[str, Any]:
        return {
            "statements": list(self.statements),
            "ranking": [r.to_json() for r in self.ranking],
            "confidence": self.confidence,
            "confidence_note": self.confidence_note,
            "next_up": self.next_up.to_json() if self.next_up else None,
            "gaps": [g.to_json() for g in self.gaps],
            "notice": self.notice,
            "track": self.track.to_json() if self.track else None,
            "band": self.band.band if self.band else None,
            "band_detail": self.band.to_json() if self.band else None,
            "ignored": [i.to_json() for i in self.ignored],
            "inherited": [i.to_json() for i in self.inherited],
        }
