"""The types the index is made of: role documents, their chunks, and what was skipped."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from .jsonable import to_json

#: The kinds of chunk, in the order a role document presents them.
KINDS = ("summary", "attribute", "expectation", "example", "overview")


@dataclass(frozen=True, slots=True)
class Chunk:
    """One unit of meaning: a bullet, an attribute, a summary or an overview paragraph.

    ``text`` is the source as written (Markdown marks included); ``plain`` is what a reader
    sees (links reduced to their text, no emphasis marks). ``context`` holds the words of a
    parent bullet for nested bullets, so "Within my group:" travels with its children.
    """

    id: str
    text: str
    plain: str
    kind: str
    level: str
    level_num: float
    role: str
    track: str
    dimension: str
    path: str
    line: int
    key: str = ""
    context: str = ""
    title: str = ""
    #: Paths of the role documents this one builds on ("|"-separated), e.g. ``Everyone.md``.
    inherits: str = ""

    def embed_text(self) -> str:
        """The text given to the embedding model: the bullet with its parent's words.

        Measured (benchmarks/experiments.py): prefixing every bullet with its level, role and
        dimension diluted its meaning (held-out MRR@10 0.73 -> 0.89 without the prefix).
        Filters and level fit use those fields from metadata instead.
        """
        body = f"{self.context} {self.plain}".strip() if self.context else self.plain
        if self.kind == "attribute" and self.key:
            body = f"{self.key.replace('_', ' ')}: {body}"
        return body

    def metadata(self) -> dict[str, str | int | float]:
        """The flat dict Chroma stores beside the vector."""
        data = asdict(self)
        data.pop("id")
        data.pop("text")
        return data

    @classmethod
    def from_metadata(cls, id: str, text: str, meta: dict[str, Any]) -> Chunk:
        """Rebuild a chunk from what the store returned."""
        fields = {name: meta.get(name, default) for name, default in _DEFAULTS.items()}
        return cls(id=id, text=text, **fields)

    def to_json(self) -> dict[str, Any]:
        return to_json(self)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Pickled through the constructor: the default for frozen slotted dataclasses restores
        # each field with its own setattr, which made a 100k-chunk corpus cache load in 2.2 s
        # instead of 1.2 s.
        return (Chunk, tuple([getattr(self, name) for name in _CHUNK_FIELDS]))


_CHUNK_FIELDS = tuple(f.name for f in fields(Chunk))
_DEFAULTS: dict[str, Any] = {
    "plain": "",
    "kind": "",
    "level": "",
    "level_num": -1.0,
    "role": "",
    "track": "",
    "dimension": "",
    "path": "",
    "line": 0,
    "key": "",
    "context": "",
    "title": "",
    "inherits": "",
}


@dataclass(frozen=True, slots=True)
class RoleDoc:
    """One Markdown file as Ladder understood it."""

    path: str
    title: str
    level: str
    level_num: float
    role: str
    track: str
    is_overview: bool
    summary: str = ""
    attributes: dict[str, str] = field(default_factory=dict)
    chunks: tuple[Chunk, ...] = ()
    notes: tuple[str, ...] = ()
    #: The layout recognised (``one level per file``, ``matrix table``, ``levels as headings``...).
    layout: str = ""
    #: The levels found, in order; several when the file holds a whole ladder.
    levels: tuple[str, ...] = ()
    #: What the document says it builds on, as written (file names or role names).
    builds_on: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return level_label(self.level, self.role) or self.title or self.path

    def describe(self) -> str:
        """``levels as headings; levels: Engineer I, Engineer II; dimensions: Delivery``."""
        parts = [self.layout or "overview"]
        if self.levels:
            parts.append("levels: " + ", ".join(self.levels))
        if self.dimensions:
            parts.append("dimensions: " + ", ".join(self.dimensions))
        inherits = sorted({p for c in self.chunks if c.inherits for p in c.inherits.split("|")})
        if inherits:
            parts.append("builds on: " + ", ".join(inherits))
        return "; ".join(parts)

    @property
    def dimensions(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for c in self.chunks:
            if c.dimension and c.kind in ("expectation", "example"):
                seen.setdefault(c.dimension)
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file (or part of one) that was not indexed, and why."""

    path: str
    reason: str


def level_label(level: str, role: str) -> str:
    """``L3 Senior Engineer``; just ``Senior Engineer`` when the role already says the level."""
    if level and role and level.lower() in role.lower():
        return role
    return " ".join(p for p in (level, role) if p)


def chunk_id(path: str, kind: str, dimension: str, text: str, occurrence: int) -> str:
    """A stable id: the same bullet in the same place keeps its id across runs."""
    raw = "\x1f".join((path, kind, dimension, " ".join(text.split()), str(occurrence)))
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:20]


def level_number(level: str) -> float:
    """``L4`` -> 4.0, ``L1.0`` -> 1.0; -1.0 when there is no level."""
    try:
        return float(level.lstrip("Ll")) if level else -1.0
    except ValueError:
        return -1.0
