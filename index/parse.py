"""Career-framework Markdown -> ``RoleDoc`` with one ``Chunk`` per unit of meaning.

Role documents (a title with a level such as ``# L4: Security Engineer Technical Lead``) give
a summary, attribute bullets (``**Planning Horizon**: 6-12 months``), and per dimension
heading the expectation bullets and, inside ``<details>``, the example bullets. Any other
file is an overview: its definitions, paragraphs and links become overview chunks. Nothing
with words in it is dropped silently: what is not indexed is returned as a note.

The walk over the tokens is here (lists and raw HTML nest blocks); what each block becomes is
in ``index.blocks``, the document's running state in ``index.draft``, its title, level and
role in ``index.roles``, and the markdown-it setup with the parse deadline in ``index.markdown``.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from markdown_it.token import Token

from . import blocks
from .documents import RoleDoc
from .draft import Draft
from .headings import HeadingLevel, heading_levels
from .layouts import bold_line, front_matter_level
from .markdown import (
    ParseTimeout,
    close,
    front_matter,
    line_of,
    lost_bullets,
    md,
    misdecoded_note,
    parse_deadline,
    starts_before,
)
from .roles import (
    ATTRIBUTE_ALIASES,
    ATTRIBUTE_LABELS,
    clean_heading,
    first_title,
    humanise,
    is_placeholder,
    level_and_role,
    normalise_key,
    plain_words,
    role_page,
    title_paragraph,
)
from .tables import html_tables, pipe_table

__all__ = [
    "ATTRIBUTE_ALIASES",
    "ATTRIBUTE_LABELS",
    "PARSER_VERSION",
    "ParseTimeout",
    "clean_heading",
    "humanise",
    "is_placeholder",
    "normalise_key",
    "parse_deadline",
    "parse_markdown",
    "plain_words",
]

#: Bumped whenever parsing changes what chunks a file yields: the index is then rebuilt.
PARSER_VERSION = "6"  # 6: any layout: matrix tables, levels as headings, role pages, inheritance

_TAG = re.compile(r"<[^>]*>")
_SUMMARY = re.compile(r"<summary\b.*?</summary\s*>", re.I | re.S)
_DETAILS_TAG = re.compile(r"<(/?)details\b[^>]*>", re.I)
_DETAILS_OR_SUMMARY = re.compile(r"</?(?:details|summary)\b", re.I)


def parse_markdown(text: str, path: str, track: str = "", given: tuple[str, float] | None = None) -> RoleDoc:
    """Parse one Markdown document, in whichever layout it is written.

    Args:
        text: the file's content.
        path: its path relative to the indexed root (POSIX separators); stored on every chunk.
        track: the track (family of roles) the caller inferred, e.g. from the folder.
        given: the level and ``level_num`` the framework gives this file elsewhere (a README's
            ordered list), used when the file itself states no level number.

    Returns:
        The ``RoleDoc`` with its chunks in document order and notes on anything skipped.
    """
    text, front = front_matter(text)
    tokens = md.parse(text)
    headings = _headings(tokens)
    plan = heading_levels([(depth, words) for _, depth, words in headings])
    at_heading = {headings[k][0]: lv for k, lv in plan.items()}
    title = "" if any(headings[k][1] == 1 for k in plan) else (first_title(tokens) or front.get("title", ""))
    stem = PurePosixPath(path).stem
    level, level_num, role = level_and_role(title, stem, title_paragraph(tokens) if not title else "")
    if front.get("level") and not plan and not any(ch.isdigit() for ch in level):
        level, level_num = front_matter_level(front["level"])
    if given and not plan and not any(ch.isdigit() for ch in level):
        level, level_num = given
    if plan:
        level, level_num = "", -1.0  # the headings hold the levels
    title = title or title_paragraph(tokens) or humanise(stem)
    role = role or title
    state = Draft(path=path, is_role=bool(level), level=level, role=role, track=track, title=title)
    state.level_num = level_num
    if level:
        state.layouts.append("one level per file")
    elif not plan and role_page(tokens):
        state.is_role = True
        state.layouts.append("role page without levels")
    state.home = (state.level, state.level_num, state.role, state.is_role)
    state.lines = text.splitlines()
    state.levels_repeat = len({hl.name.level.lower() for hl in plan.values()}) < len(plan)
    if plan:
        state.layouts.append("levels as headings")
    _walk(tokens, state, at_heading)
    lost = lost_bullets(text, tokens)
    if lost:
        state.notes.append(f"{lost} bullet(s) nested more than {md.options['maxNesting']} levels deep were left out; "
                           "flatten the lists")
    blocks.number_tables(state)
    state.notes.extend(misdecoded_note(text))
    has_role = any(c.kind != "overview" for c in state.chunks)
    return RoleDoc(
        path=path,
        title=state.title,
        level=level,
        level_num=level_num,
        role=role,
        track=track,
        is_overview=not has_role,
        summary=state.summary,
        attributes=dict(state.attributes),
        chunks=tuple(state.chunks),
        notes=tuple(state.notes),
        layout=", ".join(dict.fromkeys(state.layouts)) or "overview",
        levels=tuple(sorted(state.levels, key=lambda lv: state.levels[lv])),
        builds_on=tuple(dict.fromkeys(state.builds_on)),
    )


def _walk(tokens: list[Token], st: Draft, levels: dict[int, HeadingLevel] | None = None) -> None:
    levels = levels or {}
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open":
            blocks.heading(tok, tokens[i + 1], st, levels.get(i))
            i += 3
        elif tok.type == "html_block":
            end_line = _whole_table(tok, st)
            if end_line:  # a table whose cells hold Markdown spans several blocks: read it whole
                while i < len(tokens) and starts_before(tokens[i], end_line):
                    i += 1
                continue
            _html(tok, st)
            i += 1
        elif tok.type == "blockquote_open":
            end = close(tokens, i)
            blocks.blockquote(tokens[i + 1 : end], st)
            i = end + 1
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            end = close(tokens, i)
            _list(tokens[i + 1 : end], st, context="")
            i = end + 1
        elif tok.type == "paragraph_open" and i in levels:  # a bold line naming a level
            blocks.heading(tok, tokens[i + 1], st, levels[i])
            i += 3
        elif tok.type == "paragraph_open":
            blocks.block_paragraph(tokens[i + 1], st, line_of(tok))
            i += 3
        elif tok.type in ("fence", "code_block"):
            if tok.content.strip():
                st.notes.append(f"line {line_of(tok)}: code block not indexed")
            i += 1
        elif tok.type == "table_open":
            end = close(tokens, i)
            blocks.table(pipe_table(tokens[i + 1 : end]), st, line_of(tok))
            i = end + 1
        else:
            i += 1


def _headings(tokens: list[Token]) -> list[tuple[int, int, str]]:
    """``(token index, depth, words)`` of every heading, and of every top-level line that is
    only bold (``**Level 2 - Engineer**``), one level deeper than the heading it follows."""
    out: list[tuple[int, int, str]] = []
    last = 1
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            last = int(tok.tag[1])
            out.append((i, last, plain_words(tokens[i + 1].content)))
        elif tok.type == "paragraph_open" and tok.level == 0 and i + 1 < len(tokens):
            bold = blocks.pseudo_heading(tokens[i + 1]) or bold_line(tokens[i + 1].content)
            if bold and "\n" not in tokens[i + 1].content:
                out.append((i, min(last + 1, 7), plain_words(bold)))
    return out


def _whole_table(tok: Token, st: Draft) -> int:
    """An HTML table that blank lines split into several blocks (Markdown lists in its cells):
    parsed from the source as one table; returns the line after it, or 0."""
    if st.line_offset or not tok.map or not re.search(r"<table\b", tok.content, re.I):
        return 0
    if re.search(r"</table\s*>", tok.content, re.I):
        return 0
    start = tok.map[0]
    for n in range(start, len(st.lines)):
        if re.search(r"</table\s*>", st.lines[n], re.I):
            raw = "\n".join(st.lines[start : n + 1])
            tables, _ = html_tables(raw, start + 1)
            for table in tables:
                blocks.table(table, st, table.line)
            return n + 1
    return 0


def _html(tok: Token, st: Draft) -> None:
    raw = tok.content
    if re.search(r"<table\b", raw, re.I):
        tables, outside = html_tables(raw, line_of(tok) + st.line_offset)
        for table in tables:
            blocks.table(table, st, table.line - st.line_offset)
        if outside:
            st.notes.append(f"line {line_of(tok)}: raw HTML outside the table not indexed")
        return
    if not _DETAILS_OR_SUMMARY.search(raw):
        if _TAG.sub("", raw).strip():
            st.notes.append(f"line {line_of(tok)}: raw HTML block not indexed")
        return
    # Markdown written straight after a details tag (no blank line) belongs to the HTML block
    # in CommonMark: parse each stretch between the tags, inside or outside the details as
    # the tags say, once the tags are gone.
    pos = 0
    for match in [*_DETAILS_TAG.finditer(raw), None]:
        end = match.start() if match else len(raw)
        _fragment(raw[pos:end], st, line_of(tok) - 1 + raw.count("\n", 0, pos))
        if match:
            st.in_details = not match.group(1)
            pos = match.end()


def _fragment(raw: str, st: Draft, lines_before: int) -> None:
    """Parse Markdown found inside an HTML block; ``lines_before`` places it in the file."""

    def blank(match: re.Match[str]) -> str:
        return "\n" * match.group(0).count("\n")  # keep line numbers

    rest = _TAG.sub(blank, _SUMMARY.sub(blank, raw))
    if rest.strip():
        offset = st.line_offset
        st.line_offset = offset + lines_before
        _walk(md.parse(rest), st)
        st.line_offset = offset


def _list(tokens: list[Token], st: Draft, context: str) -> None:
    """Walk the items of one list (tokens between its open and close)."""
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type != "list_item_open":
            i += 1
            continue
        end = close(tokens, i)
        item = tokens[i + 1 : end]
        own = ""
        j = 0
        while j < len(item):
            sub = item[j]
            if sub.type == "paragraph_open" and not own:
                own = item[j + 1].content
                blocks.item(item[j + 1], st, line_of(tok), context)
                j += 3
            elif sub.type in ("bullet_list_open", "ordered_list_open"):
                sub_end = close(item, j)
                parent = plain_words(own)
                ctx = f"{context} {parent}".strip() if parent else context
                _list(item[j + 1 : sub_end], st, ctx)
                j = sub_end + 1
            elif sub.type == "paragraph_open":
                blocks.item(item[j + 1], st, line_of(sub), context)
                j += 3
            elif sub.type == "html_block":
                _html(sub, st)
                j += 1
            else:
                j += 1
        i = end + 1


