"""What ``Ladder.ask`` returns, and how a cited sentence is written.

The JSON shape is a contract (extend, don't rename): ``{"question", "answer", "found",
"citations": [{"id", "path", "line", "role", "level", "dimension", "text", "kind", "url"}], "intent",
"candidates": [{"path", "level", "role", "track"}], "notice", "generator"}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from index import Chunk, to_json

from .results import RoleRef as Candidate

__all__ = ["INTENTS", "Answer", "Candidate", "Citation", "cite", "label_of"]

#: Every intent an answer can report.
INTENTS = ("attribute", "dimension", "difference", "definition", "role", "fit", "lookup", "not-covered")


@dataclass(frozen=True, slots=True)
class Citation:
    """A chunk an answer relies on, with where to read it."""

    id: str
    path: str
    line: int
    role: str
    level: str
    dimension: str
    text: str
    kind: str
    url: str = ""

    @classmethod
    def of(cls, chunk: Chunk) -> Citation:
        text = f"{chunk.context} {chunk.plain}".strip() if chunk.context else chunk.plain
        role = chunk.role if chunk.level else (chunk.title or chunk.role)
        return cls(chunk.id, chunk.path, chunk.line, role, chunk.level, chunk.dimension, text, chunk.kind)

    def to_json(self) -> dict[str, Any]:
        return to_json(self)


@dataclass(frozen=True, slots=True)
class Answer:
    """An answer to a question about the framework.

    ``found`` is False when the documents do not answer the question (the answer then says so and
    cites the nearest bullets) and when the question must be asked again more precisely
    (``candidates`` then lists the role documents a name could mean).
    """

    question: str
    answer: str
    found: bool
    citations: tuple[Citation, ...]
    intent: str
    candidates: tuple[Candidate, ...] = ()
    notice: str = ""
    generator: str = "rules"

    def to_json(self) -> dict[str, Any]:
        return to_json(self)


def label_of(chunk: Chunk) -> str:
    """``L3 Senior Platform Engineer`` for a role chunk; the document title for an overview."""
    return f"{chunk.level} {chunk.role}".strip() if chunk.level else (chunk.title or chunk.role or chunk.path)


def cite(chunk: Chunk) -> str:
    """``[L3 Senior Platform Engineer | Teaching and Mentoring | platform/L3-...md:27]``"""
    parts = [label_of(chunk)]
    if chunk.dimension:
        parts.append(chunk.dimension)
    parts.append(f"{chunk.path}:{chunk.line}")
    return "[" + " | ".join(parts) + "]"
