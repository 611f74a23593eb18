"""The document being parsed: where the walk is (level, dimension, inside details or examples)
and what it has found so far (chunks, notes, attributes, levels). ``Draft.add`` makes a chunk.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .documents import Chunk, chunk_id, level_label
from .layouts import LevelName
from .roles import is_placeholder, plain_words


@dataclass
class Draft:
    """A document being parsed: its place in the walk and what it has yielded so far."""

    path: str
    is_role: bool
    level: str
    role: str
    track: str
    title: str
    level_num: float = -1.0
    dimension: str = ""
    in_details: bool = False
    line_offset: int = 0
    chunks: list[Chunk] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)
    summary: str = ""
    seen: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)
    #: levels met so far, in document order, with their numbers
    levels: dict[str, float] = field(default_factory=dict)
    builds_on: list[str] = field(default_factory=list)
    layouts: list[str] = field(default_factory=list)
    #: the file's own level and role (from its title or name), restored outside level headings
    home: tuple[str, float, str, bool] = ("", -1.0, "", False)
    unit_start: int = 0
    #: the open headings by depth ("" for a level heading)
    headings: dict[int, str] = field(default_factory=dict)
    #: the same level heading appears under several competencies ("## Delivery" > "### Junior")
    levels_repeat: bool = False
    #: the file's lines (tables in HTML that span several blocks are read from them)
    lines: list[str] = field(default_factory=list)
    #: the levels of each matrix table, in order
    table_ladders: list[list[LevelName]] = field(default_factory=list)
    level_depth: int = 0
    dimension_depth: int = 0
    in_examples: bool = False

    def enter(self, level: str, level_num: float, role: str, is_role: bool) -> None:
        """Start a level (or leave one, back to the file's own)."""
        self.level, self.level_num, self.role, self.is_role = level, level_num, role, is_role
        self.unit_start = len(self.chunks)
        self.dimension, self.in_details, self.in_examples, self.dimension_depth = "", False, False, 0

    def add(
        self,
        kind: str,
        text: str,
        line: int,
        *,
        key: str = "",
        context: str = "",
        unit: tuple[str, float, str] | None = None,
        dimension: str | None = None,
    ) -> None:
        """Add a chunk of ``kind`` for ``text`` at ``line`` (nothing for a placeholder or no words)."""
        plain = plain_words(text)
        if not plain or is_placeholder(plain):
            return
        level, level_num, role = unit or (self.level, self.level_num, self.role)
        if level:
            self.levels.setdefault(level_label(level, role), level_num)
        dim = self.dimension if dimension is None else dimension
        # the file's own level keeps its ids; a level inside the file is part of the id
        place = dim if level == self.home[0] else f"{level}\x1f{dim}"
        occurrence = self.seen[(kind, level, dim, plain)]
        self.seen[(kind, level, dim, plain)] += 1
        self.chunks.append(
            Chunk(
                id=chunk_id(self.path, kind, place, plain, occurrence),
                text=text.strip(),
                plain=plain,
                kind=kind,
                level=level,
                level_num=level_num,
                role=role,
                track=self.track,
                dimension=dim,
                path=self.path,
                line=line + self.line_offset if line else 0,
                key=key,
                context=context,
                title=self.title,
            )
        )


