"""The Browse and Compare pages: readable labels of role documents and their table of contents,
a role document and the framework's overview as safe Markdown, the two documents Compare opens
with, and a comparison's bullets (linked to their line on the git host when there is one), counts
and word-level differences.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .. import Chunk, render
from ..compare import Bullet, Comparison
from ..corpus import Corpus, RoleDocument
from ..text import words
from .search import source_link

__all__ = [
    "DocumentSection",
    "DocumentView",
    "attribute_rows",
    "attributes_markdown",
    "bullet_list_markdown",
    "bullet_markdown",
    "compare_defaults",
    "comparison_counts",
    "document_labels",
    "document_view",
    "line_source",
    "overview_markdown",
    "table_of_contents",
    "word_diff",
]

def document_labels(corpus: Corpus) -> dict[str, str]:
    """A unique, readable label for every role document -> its key (its path, or
    ``path#level`` in a file that holds several levels), in track and level order.

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
        labels[label] = d.key or d.path
    return labels


def table_of_contents(corpus: Corpus) -> list[tuple[str, list[tuple[str, str]]]]:
    """``[(track, [(label, key), ...]), ...]``: tracks alphabetically, levels ascending."""
    labels = document_labels(corpus)
    toc: dict[str, list[tuple[str, str]]] = {}
    for label, key in labels.items():
        toc.setdefault(corpus.documents[key].track or "Other", []).append((label, key))
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
    #: what the documents it builds on expect too: ``(their label, their sections)``
    inherited: tuple[tuple[str, tuple[DocumentSection, ...]], ...] = field(default_factory=tuple)


def _bullet_list(chunks: list[Chunk]) -> str:
    lines = []
    for c in chunks:
        indent = "    " if c.context else ""
        lines.append(f"{indent}- {render.inline(c.text) or render.escape(c.plain)}")
    return "\n".join(lines)


def _sections(doc: RoleDocument) -> tuple[DocumentSection, ...]:
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
    return tuple(sections)


def document_view(doc: RoleDocument, corpus: Corpus | None = None) -> DocumentView:
    """How Browse shows a role document; with ``corpus``, also the expectations it inherits
    from the documents it builds on (``Everyone.md``...)."""
    summary = next((c for c in doc.chunks if c.kind == "summary"), None)
    attributes = tuple(
        (c.plain.partition(":")[0].strip() or c.key.replace("_", " ").capitalize(), c.plain.partition(":")[2].strip())
        for c in doc.chunks
        if c.kind == "attribute"
    )
    inherited = tuple((d.label, _sections(d)) for d in corpus.inherited(doc)) if corpus is not None else ()
    several = bool(doc.key) and doc.key != doc.path  # one level of a file that holds a ladder
    return DocumentView(
        title=doc.label if several or not doc.title else doc.title,
        path=doc.path,
        summary=render.inline(summary.text) if summary else "",
        attributes=attributes,
        sections=_sections(doc),
        inherited=tuple(i for i in inherited if i[1]),
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
    first = corpus.document(best_path) or next((d for d in docs if corpus.next_level(d)), docs[0])
    higher = corpus.next_level(first)
    if higher:
        return first.key, sorted(higher, key=lambda d: d.role)[0].key
    lower = [d for d in docs if d.track == first.track and d.level and d.level_num < first.level_num]
    others = [d for d in docs if d.key != first.key]
    if lower:  # the top of a track: compare with the level below, lower level on the left
        return lower[-1].key, first.key
    return first.key, (others[0] if others else first).key


def word_diff(a: str, b: str) -> tuple[str, str]:
    """Two rewordings as safe Markdown: words only A has struck through in red, words only B
    has in bold green."""
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
        # coloured text, not a background: a background's padding reads as an extra space
        if left:
            out_a.append(f":red[~~{render.escape(left)}~~]")
        if right:
            out_b.append(f":green[**{render.escape(right)}**]")
    return " ".join(out_a), " ".join(out_b)


def bullet_markdown(bullet: Bullet, path: str = "", url: str = "") -> str:
    """A compared bullet (with its parent's words in italics) as safe Markdown, then its
    ``path:line`` linked to ``url`` when there is one (see ``line_source``)."""
    text = render.escape(bullet.text)
    kind = " " + render.badge("Example", "green") if bullet.kind == "example" else ""
    context = f"_{render.escape(bullet.context)}_ " if bullet.context else ""
    return context + text + kind + line_source(path, bullet.line, url)


def bullet_list_markdown(bullets: tuple[Bullet, ...], path: str, link: Callable[[str, int], str]) -> str:
    """Bullets of the document at ``path`` as a safe Markdown list, each linked to its line by
    ``link(path, line)``; ``_Nothing_`` for none."""
    return "\n".join(f"- {bullet_markdown(b, path, link(path, b.line))}" for b in bullets) or "_Nothing_"


def line_source(path: str, line: int, url: str) -> str:
    """`` :gray[[path:line](url)]`` to follow a bullet, as fit evidence shows it; "" without a
    ``url`` (a framework with no web address), the plain text for a url that is not http(s)."""
    return f" :gray[{source_link(f'{path}:{line}', url)}]" if url else ""


def attribute_rows(comparison: Comparison) -> list[tuple[str, str, str]]:
    """The Compare page's attribute table: (attribute, one side's value, the other's), "–" where a
    side has none. Every cell escaped: ``st.table`` renders cells as Markdown."""
    return [
        (
            render.escape(row.label),
            render.escape(row.a.text) if row.a else "–",
            render.escape(row.b.text) if row.b else "–",
        )
        for row in comparison.attributes
    ]


def attributes_markdown(attributes: tuple[tuple[str, str], ...]) -> str:
    """A role document's attributes as a safe two-column Markdown table ("" when it has none)."""
    if not attributes:
        return ""
    return "| Attribute | At this level |\n|---|---|\n" + "\n".join(
        f"| **{render.escape(k)}** | {render.escape(v)} |" for k, v in attributes
    )


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
