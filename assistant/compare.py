"""Two role documents side by side: per dimension, what only one of them says, what both say,
and what one says in other words; and their attributes (planning horizon, impact radius...).

Bullets are compared within a dimension and a kind (expectations with expectations, examples
with examples) by the one bullet diff (``index.diff``): identical bullets (ignoring case,
punctuation and articles) are *shared*; of the rest, pairs whose words are at least
``REWORDED_AT`` alike are *reworded*, matched greedily best pair first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from index import (
    ATTRIBUTE_LABELS,
    REWORDED_AT,
    Bullet,
    Chunk,
    Pair,
    QueryError,
    bullet_key,
    diff_bullets,
    similarity,
    to_json,
)

from .corpus import Corpus, RoleDocument
from .results import RoleRef

__all__ = [
    "REWORDED_AT",
    "AttributeRow",
    "Bullet",
    "Comparison",
    "DimensionDiff",
    "Pair",
    "RoleRef",
    "attribute_value",
    "compare_roles",
    "similarity",
]

_COMPARED_KINDS = ("expectation", "example")


@dataclass(frozen=True, slots=True)
class DimensionDiff:
    """How two role documents differ in one dimension."""

    dimension: str
    only_a: tuple[Bullet, ...] = ()
    only_b: tuple[Bullet, ...] = ()
    shared: tuple[Pair, ...] = ()
    reworded: tuple[Pair, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.only_a or self.only_b or self.reworded)

    def to_json(self) -> dict[str, Any]:
        return to_json(self)


@dataclass(frozen=True, slots=True)
class AttributeRow:
    """One attribute of both sides; a side is None when its document does not state it."""

    key: str
    label: str
    a: Bullet | None
    b: Bullet | None

    @property
    def same(self) -> bool:
        return self.a is not None and self.b is not None and bullet_key(self.a.text) == bullet_key(self.b.text)

    def to_json(self) -> dict[str, Any]:
        return to_json(self, derived={"same": self.same})


@dataclass(frozen=True, slots=True)
class Comparison:
    """Everything ``compare_roles`` found, in document order."""

    a: RoleRef
    b: RoleRef
    attributes: tuple[AttributeRow, ...]
    dimensions: tuple[DimensionDiff, ...]

    def dimension(self, name: str) -> DimensionDiff | None:
        """The diff of one dimension, by name (case-insensitive)."""
        wanted = name.strip().lower()
        return next((d for d in self.dimensions if d.dimension.lower() == wanted), None)

    def to_json(self) -> dict[str, Any]:
        return to_json(self)


def compare_roles(
    corpus: Corpus,
    path_a: str,
    path_b: str,
    *,
    dimensions: Sequence[str] = (),
    threshold: float = REWORDED_AT,
) -> Comparison:
    """Compare two role documents of ``corpus``.

    Args:
        corpus: the live corpus (``Ladder.corpus()``).
        path_a: the first role document's key (``Corpus.documents``): its path, or
            ``path#level`` when the file holds several levels.
        path_b: the second one's.
        dimensions: only these dimensions (case-insensitive); default every dimension of either.
        threshold: the least word similarity for a reworded pair.

    Returns:
        A ``Comparison``: attributes side by side, then one ``DimensionDiff`` per dimension
        (A's dimensions in A's order, then B's others).

    Raises:
        QueryError: a path is not a role document of the corpus, or a dimension is in neither.
    """
    doc_a, doc_b = _document(corpus, path_a), _document(corpus, path_b)
    names = list(dict.fromkeys(doc_a.dimensions + doc_b.dimensions))
    if dimensions:
        lookup = {n.lower(): n for n in names}
        missing = [d for d in dimensions if d.strip().lower() not in lookup]
        if missing:
            raise QueryError(
                f"dimension {missing[0]!r} is in neither {doc_a.label} nor {doc_b.label}; "
                f"they have: {', '.join(names)}"
            )
        names = [lookup[d.strip().lower()] for d in dict.fromkeys(dimensions)]
    diffs = tuple(_diff_dimension(doc_a, doc_b, name, threshold) for name in names)
    return Comparison(_ref(doc_a), _ref(doc_b), _attributes(doc_a, doc_b), diffs)


def attribute_value(chunk: Chunk) -> str:
    """``Planning horizon: 6-12 months.`` -> ``6-12 months.``"""
    _label, sep, value = chunk.plain.partition(":")
    return value.strip() if sep and value.strip() else chunk.plain


def _document(corpus: Corpus, path: str) -> RoleDocument:
    doc = corpus.document(path)  # a key, or the path of a file that holds one level
    if doc is None:
        known = ", ".join(sorted(corpus.documents)[:8])
        more = "..." if len(corpus.documents) > 8 else ""
        raise QueryError(f"{path!r} is not a role document in the index; known: {known}{more}")
    return doc


def _ref(doc: RoleDocument) -> RoleRef:
    return RoleRef(doc.path, doc.level, doc.role, doc.track)


def _bullet(chunk: Chunk) -> Bullet:
    text = attribute_value(chunk) if chunk.kind == "attribute" else chunk.plain
    return Bullet(text, chunk.kind, chunk.line, id=chunk.id, context=chunk.context)


def _attributes(doc_a: RoleDocument, doc_b: RoleDocument) -> tuple[AttributeRow, ...]:
    attrs_a, attrs_b = doc_a.attributes, doc_b.attributes
    keys = list(ATTRIBUTE_LABELS) + [k for k in dict.fromkeys([*attrs_a, *attrs_b]) if k not in ATTRIBUTE_LABELS]
    rows = []
    for key in keys:
        a, b = attrs_a.get(key), attrs_b.get(key)
        if a is None and b is None:
            continue
        label = ATTRIBUTE_LABELS.get(key) or (a or b).plain.partition(":")[0].strip()  # type: ignore[union-attr]
        rows.append(AttributeRow(key, label, _bullet(a) if a else None, _bullet(b) if b else None))
    return tuple(rows)


def _diff_dimension(doc_a: RoleDocument, doc_b: RoleDocument, name: str, threshold: float) -> DimensionDiff:
    def bullets(doc: RoleDocument) -> list[Bullet]:
        return [_bullet(c) for c in doc.chunks if c.dimension == name and c.kind in _COMPARED_KINDS]

    found = diff_bullets(bullets(doc_a), bullets(doc_b), key=lambda b: bullet_key(b.full_text), threshold=threshold)
    return DimensionDiff(name, found.only_a, found.only_b, found.shared, found.reworded)
