"""What each block of a document becomes: headings (levels, dimensions, examples), paragraphs
(summaries, attributes, statements), list items, block quotes and tables, added to a ``Draft``.

``index.parse`` walks the tokens and calls these; lists and raw HTML, which nest blocks, are
walked there.
"""

from __future__ import annotations

import re
from dataclasses import replace

from markdown_it.token import Token

from .documents import level_label
from .draft import Draft
from .headings import HeadingLevel
from .layouts import (
    bold_line,
    examples_heading,
    inheritance_targets,
    merged_order,
    names_a_role,
    says_builds_on,
)
from .markdown import line_of
from .roles import clean_heading, normalise_key, plain_words
from .tables import Table, matrix_bullets

_ATTRIBUTE = re.compile(r"^\s*(?:\*\*|__)(.+?)(?::\s*)?(?:\*\*|__)\s*:?\s*(.*)$", re.S)


def heading(tok: Token, inline: Token, st: Draft, level: HeadingLevel | None) -> None:
    depth = level.depth if level is not None else int(tok.tag[1])
    content = inline.content
    for deeper in [d for d in st.headings if d >= depth]:
        del st.headings[deeper]
    if level is not None:
        lv = level.name
        role = lv.role or (lv.level if lv.number is None and names_a_role(lv.level) else st.home[2])
        # levels under a competency heading ("## Delivery" > "### Junior"): that is the dimension
        around = [name for d, name in sorted(st.headings.items()) if d > 1 and name] if st.levels_repeat else []
        st.enter(lv.level, level.level_num, role, True)
        st.level_depth = depth
        st.headings[depth] = ""
        if around:
            st.dimension, st.dimension_depth = around[-1], depth
        return
    if st.level_depth and depth <= st.level_depth:
        st.enter(*st.home)  # a section after the ladder, at the ladder's depth
        st.level_depth = 0
    if tok.tag == "h1" and not st.level_depth:
        if st.title and plain_words(content) != st.title:
            st.add(st.is_role and "expectation" or "overview", content, line_of(tok))
        return
    name = clean_heading(plain_words(content))
    st.headings[depth] = name
    if examples_heading(name) and st.dimension and depth > st.dimension_depth:
        st.in_examples = True  # "Examples" under a dimension: that dimension's examples
        return
    st.dimension, st.dimension_depth = name, depth
    st.in_details = False
    st.in_examples = examples_heading(name)


def block_paragraph(inline: Token, st: Draft, line: int) -> None:
    heading = pseudo_heading(inline) if st.is_role else ""
    if not heading and st.is_role:
        heading = bold_line(inline.content)
        if heading and plain_words(heading) == plain_words(st.title) and not st.chunks:
            return  # the bold line that serves as the file's title
    if heading:
        name = clean_heading(heading)
        if examples_heading(name) and st.dimension:
            st.in_examples = True  # "**Examples:**" under a dimension
        else:
            st.dimension, st.in_details, st.in_examples = name, False, examples_heading(name)
        return
    if st.is_role and not st.dimension and _attribute_lines(inline, st, line):
        return
    _paragraph(inline, st, line)


def _attribute_lines(inline: Token, st: Draft, line: int) -> bool:
    """``**Planning horizon:** 6-12 months`` lines written without bullets, before the first
    dimension: attributes, like their bulleted form."""
    lines = [ln for ln in inline.content.split("\n") if ln.strip()]
    matches = [_ATTRIBUTE.match(ln) for ln in lines]
    if not lines or not all(m and m.group(2).strip() for m in matches):
        return False
    for n, (ln, m) in enumerate(zip(lines, matches, strict=True)):
        assert m is not None
        key = normalise_key(m.group(1))
        st.attributes[key] = plain_words(m.group(2).strip())
        st.add("attribute", ln.strip(), line + n, key=key)
    return True


def table(table: Table, st: Draft, line: int) -> None:
    bullets = matrix_bullets(table, st.dimension)
    if bullets is None:
        st.notes.append(
            f"line {line}: table not indexed; no levels found in {st.path}: is it a table with one column per level?"
            if len(table.header) >= 3 and not st.home[0]
            else f"line {line}: table not indexed"
        )
        return
    st.layouts.append("matrix table")
    st.table_ladders.append(list({b.level.level: b.level for b in sorted(bullets, key=lambda b: b.level_num)}.values()))
    for b in bullets:
        lv = b.level
        role = lv.role or (lv.level if lv.number is None and names_a_role(lv.level) else st.home[2])
        unit = (lv.level, b.level_num, role)
        plain = plain_words(b.text)
        if len(plain.split()) <= 3 and not plain.endswith(".") and b.dimension:
            # a short value ("6-12 months", "Team (5-15)") is the level's attribute, not a bullet
            key = normalise_key(b.dimension)
            st.add("attribute", f"**{b.dimension}**: {b.text}", b.line - st.line_offset, unit=unit, dimension="",
                   key=key)
            continue
        st.add("expectation", b.text, b.line - st.line_offset, unit=unit, dimension=b.dimension)


def number_tables(st: Draft) -> None:
    """Tables of one file that list different named levels (one table per competency, some
    skipping a level) share one order."""
    if len(st.table_ladders) < 2 or all(lv.number is not None for t in st.table_ladders for lv in t):
        return
    order = merged_order(st.table_ladders)
    place = {name: float(i + 1) for i, name in enumerate(order)}
    st.chunks = [replace(c, level_num=place[c.level]) if c.level in place else c for c in st.chunks]
    st.levels = {}
    for c in st.chunks:
        if c.level:
            st.levels.setdefault(level_label(c.level, c.role), c.level_num)


def _links(inline: Token) -> list[str]:
    return [str(c.attrs.get("href", "")) for c in inline.children or [] if c.type == "link_open"]


def _builds_on(inline: Token, st: Draft) -> bool:
    if not st.is_role or not says_builds_on(inline.content):
        return False
    targets = inheritance_targets(plain_words(inline.content), _links(inline))
    st.builds_on.extend(targets)
    return bool(targets)


def _paragraph(inline: Token, st: Draft, line: int) -> None:
    content = inline.content
    if not st.is_role:
        st.add("overview", content, line, key=_defined_term(inline))
        return
    if _builds_on(inline, st) and not st.dimension:
        st.add("summary", content, line)  # "This role builds upon ...": about the role, not its summary
        return
    if not st.dimension and len(st.chunks) == st.unit_start and not (st.summary and st.level == st.home[0]):
        if st.level == st.home[0]:
            st.summary = plain_words(content)
        st.add("summary", content, line)
        return
    st.add(_bullet_kind(st), content, line)


def blockquote(tokens: list[Token], st: Draft) -> None:
    parts = [t.content for t in tokens if t.type == "inline"]
    line = next((line_of(t) for t in tokens if t.map), 0)
    text = "\n".join(parts)
    if st.is_role:
        if not st.dimension and not st.summary and st.level == st.home[0]:
            st.summary = plain_words(text)
        st.add("summary", text, line)
    else:
        st.add("overview", text, line)


def _bullet_kind(st: Draft) -> str:
    if not st.is_role:
        return "overview"
    if st.in_details or st.in_examples:
        return "example"
    return "expectation"


def item(inline: Token, st: Draft, line: int, context: str) -> None:
    content = inline.content
    match = _ATTRIBUTE.match(content)
    if match and not context:
        key = normalise_key(match.group(1))
        value = match.group(2).strip()
        if st.is_role and not st.dimension and value:
            st.attributes[key] = plain_words(value)
            st.add("attribute", content, line, key=key)
            return
        if not st.is_role:
            st.add("overview", content, line, key=key)
            return
    if not st.is_role:
        key = "link" if _only_link(inline) else ""
        st.add("overview", content, line, key=key, context=context)
        return
    _builds_on(inline, st)
    # "**Examples:**" written on the line after a bullet continues that bullet's paragraph
    head, _, last = content.rpartition("\n")
    trailing = bold_line(last) if head else ""
    if trailing and examples_heading(trailing):
        st.add(_bullet_kind(st), head, line, context=context)
        st.in_examples = True
        return
    st.add(_bullet_kind(st), content, line, context=context)


def pseudo_heading(inline: Token) -> str:
    """A paragraph that is only bold text (``**Domain expertise**``) is a heading in a role document."""
    children = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
    if len(children) < 3 or children[0].type != "strong_open" or children[-1].type != "strong_close":
        return ""
    if any(c.type in ("strong_open", "strong_close") for c in children[1:-1]):
        return ""
    return clean_heading(plain_words(inline.content).rstrip(":"))


def _defined_term(inline: Token) -> str:
    """The first bold term of an overview paragraph, as a key (``Security Analysts``)."""
    children = inline.children or []
    for k, child in enumerate(children):
        if child.type == "strong_open" and k + 1 < len(children):
            return normalise_key(children[k + 1].content)
    return ""


def _only_link(inline: Token) -> bool:
    children = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
    return bool(children) and children[0].type == "link_open" and children[-1].type == "link_close"
