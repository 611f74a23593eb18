"""Two role documents side by side: per dimension, what only one of them says, what both say,
and what one says in other words; and their attributes (planning horizon, impact radius...).

Bullets are compared within a dimension and a kind (expectations with expectations, examples
with examples). Identical bullets (ignoring case, punctuation and articles) are *shared*; of the
rest, pairs whose words are at least ``REWORDED_AT`` alike (``difflib`` ratio over words) are
*reworded*, matched greedily best pair first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from index import ATTRIBUTE_LABELS, Chunk, QueryError

from .corpus import Corpus, RoleDocument
from .results import RoleRef
from .text import dedupe_key

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

#: Two bullets with at least this word similarity (0..1) count as the same idea reworded.
REWORDED_AT = 0.5
_COMPARED_KINDS = ("expectation", "example")


@dataclass(frozen=True, slots=True)
class Bullet:
    """One bullet of one side. For attributes, ``text`` is the value without its label."""

    id: str
    kind: str
    text: str
    line: int
    context: str = ""

    @property
    def full_text(self) -> str:
        """The bullet with its parent bullet's words, as a reader would need them."""
        return f"{self.context} {self.text}".strip()

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "text": self.text, "line": self.line, "context": self.context}


@dataclass(frozen=True, slots=True)
class Pair:
    """A bullet of A and its counterpart in B (identical for shared, similar for reworded)."""

    a: Bullet
    b: Bullet
    similarity: float

    def to_json(self) -> dict[str, Any]:
        return {"a": self.a.to_json(), "b": self.b.to_json(), "similarity": round(self.similarity, 4)}


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
        return {
            "dimension": self.dimension,
            "only_a": [b.to_json() for b in self.only_a],
            "only_b": [b.to_json() for b in self.only_b],
            "shared": [p.to_json() for p in self.shared],
            "reworded": [p.to_json() for p in self.reworded],
        }


@dataclass(frozen=True, slots=True)
class AttributeRow:
    """One attribute of both sides; a side is None when its document does not state it."""

    key: str
    label: str
    a: Bullet | None
    b: Bullet | None

    @property
    def same(self) -> bool:
        return self.a is not None and self.b is not None and dedupe_key(self.a.text) == dedupe_key(self.b.text)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "a": self.a.to_json() if self.a else None,
            "b": self.b.to_json() if self.b else None,
            "same": self.same,
        }


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
        return {
            "a": self.a.to_json(),
            "b": self.b.to_json(),
            "attributes": [row.to_json() for row in self.attributes],
            "dimensions": [d.to_json() for d in self.dimensions],
        }


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


def similarity(text_a: str, text_b: str) -> float:
    """How alike two bullets' words are, 0..1 (case, punctuation and articles ignored)."""
    return SequenceMatcher(None, dedupe_key(text_a).split(), dedupe_key(text_b).split(), autojunk=False).ratio()


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
    return Bullet(chunk.id, chunk.kind, text, chunk.line, chunk.context)


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

    left, right = bullets(doc_a), bullets(doc_b)
    shared: list[Pair] = []
    unmatched_b = list(right)
    only_a: list[Bullet] = []
    for a in left:
        key = dedupe_key(a.full_text)
        twin = next((b for b in unmatched_b if b.kind == a.kind and dedupe_key(b.full_text) == key), None)
        if twin is None:
            only_a.append(a)
        else:
            unmatched_b.remove(twin)
            shared.append(Pair(a, twin, 1.0))
    scored = sorted(
        (
            (similarity(a.full_text, b.full_text), i, j)
            for i, a in enumerate(only_a)
            for j, b in enumerate(unmatched_b)
            if a.kind == b.kind
        ),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    reworded: list[Pair] = []
    for score, i, j in scored:
        if score < threshold:
            break
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        reworded.append(Pair(only_a[i], unmatched_b[j], score))
    reworded.sort(key=lambda p: p.a.line)
    return DimensionDiff(
        dimension=name,
        only_a=tuple(b for i, b in enumerate(only_a) if i not in used_a),
        only_b=tuple(b for j, b in enumerate(unmatched_b) if j not in used_b),
        shared=tuple(shared),
        reworded=tuple(reworded),
    )
