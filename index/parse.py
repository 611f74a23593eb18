"""Career-framework Markdown -> ``RoleDoc`` with one ``Chunk`` per unit of meaning.

Role documents (a title with a level such as ``# L4: Security Engineer Technical Lead``) give
a summary, attribute bullets (``**Planning Horizon**: 6-12 months``), and per dimension
heading the expectation bullets and, inside ``<details>``, the example bullets. Any other
file is an overview: its definitions, paragraphs and links become overview chunks. Nothing
with words in it is dropped silently: what is not indexed is returned as a note.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .documents import Chunk, RoleDoc, chunk_id, level_label, level_number
from .inline import plain_text
from .layouts import (
    HeadingLevel,
    LevelName,
    bold_line,
    code_placed,
    dimension_name,
    examples_heading,
    first_person,
    front_matter_level,
    heading_levels,
    inheritance_targets,
    level_name,
    merged_order,
    misdecoded,
    names_a_role,
    says_builds_on,
)
from .tables import Table, html_tables, matrix_bullets, pipe_table

#: Bumped whenever parsing changes what chunks a file yields: the index is then rebuilt.
PARSER_VERSION = "6"  # 6: any layout: matrix tables, levels as headings, role pages, inheritance

_LEVEL_TITLE = re.compile(r"^\s*(L\d+(?:\.\d+)?)\b\s*[:.\-\u2013\u2014|]?\s*(.*)$", re.I)
_LEVEL_FILE = re.compile(r"^(L\d+(?:\.\d+)?)(?:[-_ ](.*))?$", re.I)
_ATTRIBUTE = re.compile(r"^\s*(?:\*\*|__)(.+?)(?::\s*)?(?:\*\*|__)\s*:?\s*(.*)$", re.S)
_PLACEHOLDERS = {"?", "??", "???", "...", "\u2026", "tbd", "todo", "-", "n/a"}
_SMALL_WORDS = {"and", "or", "of", "the", "a", "an", "in", "on", "for", "to", "by"}
_TAG = re.compile(r"<[^>]*>")
_SUMMARY = re.compile(r"<summary\b.*?</summary\s*>", re.I | re.S)
_DETAILS_TAG = re.compile(r"<(/?)details\b[^>]*>", re.I)
_DETAILS_OR_SUMMARY = re.compile(r"</?(?:details|summary)\b", re.I)

#: Different words for the same attribute, mapped to one key.
ATTRIBUTE_ALIASES = {
    "thinking_horizon": "planning_horizon",
    "planning_horizon": "planning_horizon",
    "impact_radius": "impact_radius",
    "evaluation": "evaluation",
    "evaluated_by": "evaluation",
    "responsibility_and_direction_needed": "autonomy",
    "responsibility_and_direction": "autonomy",
    "direction_needed": "autonomy",
    "autonomy": "autonomy",
}

#: Human labels for the normalised attribute keys.
ATTRIBUTE_LABELS = {
    "planning_horizon": "Planning horizon",
    "impact_radius": "Impact radius",
    "evaluation": "Evaluated by",
    "autonomy": "Responsibility and direction needed",
}

_md = MarkdownIt("commonmark").enable("table")
_deadline = threading.local()


class ParseTimeout(Exception):
    """A parse ran past the deadline set by ``parse_deadline``."""


@contextmanager
def parse_deadline(seconds: float) -> Iterator[None]:
    """Stop ``parse_markdown`` calls in this thread after ``seconds`` with ``ParseTimeout``.

    A cooperative check run by markdown-it's block and inline parsers at every step, so it works
    in any thread (SIGALRM only reaches the main one: the app indexes in a worker).
    """
    _deadline.at = time.monotonic() + seconds
    try:
        yield
    finally:
        _deadline.at = None


def _past_deadline(*_: object) -> bool:
    at = getattr(_deadline, "at", None)
    if at is not None and time.monotonic() > at:
        raise ParseTimeout
    return False  # never matches: the real rules parse


_md.block.ruler.before("code", "ladder_deadline", _past_deadline)
_md.inline.ruler.before("text", "ladder_deadline", _past_deadline)


def normalise_key(key: str) -> str:
    """``Thinking horizon`` -> ``planning_horizon``; unknown keys become a slug."""
    slug = re.sub(r"[^a-z0-9]+", "_", plain_words(key).lower()).strip("_")
    return ATTRIBUTE_ALIASES.get(slug, slug)


def clean_heading(text: str) -> str:
    """Strip emoji (also when mis-decoded, e.g. ``ü¦â``) and normalise the case of a heading."""
    return dimension_name(text)


def plain_words(markdown: str) -> str:
    """Inline Markdown -> what a reader sees: link text, no marks, one line."""
    return plain_text(markdown)


def humanise(name: str) -> str:
    """``Security-Analyst`` -> ``Security Analyst``; ``security-operations`` -> ``Security Operations``."""
    words = re.sub(r"[-_]+", " ", name).split()
    return " ".join(w if any(c.isupper() for c in w) else w.capitalize() for w in words)


def is_placeholder(text: str) -> bool:
    """``?``, ``TBD``, ``...``, or no letter or digit in any script (an emoji on its own)."""
    return text.strip().lower() in _PLACEHOLDERS or not any(ch.isalnum() for ch in text)


@dataclass
class _State:
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
    text, front = _front_matter(text)
    tokens = _md.parse(text)
    headings = _headings(tokens)
    plan = heading_levels([(depth, words) for _, depth, words in headings])
    at_heading = {headings[k][0]: lv for k, lv in plan.items()}
    title = "" if any(headings[k][1] == 1 for k in plan) else (_first_title(tokens) or front.get("title", ""))
    stem = PurePosixPath(path).stem
    level, level_num, role = _level_and_role(title, stem, _title_paragraph(tokens) if not title else "")
    if front.get("level") and not plan and not any(ch.isdigit() for ch in level):
        level, level_num = front_matter_level(front["level"])
    if given and not plan and not any(ch.isdigit() for ch in level):
        level, level_num = given
    if plan:
        level, level_num = "", -1.0  # the headings hold the levels
    title = title or _title_paragraph(tokens) or humanise(stem)
    role = role or title
    state = _State(path=path, is_role=bool(level), level=level, role=role, track=track, title=title)
    state.level_num = level_num
    if level:
        state.layouts.append("one level per file")
    elif not plan and _role_page(tokens):
        state.is_role = True
        state.layouts.append("role page without levels")
    state.home = (state.level, state.level_num, state.role, state.is_role)
    state.lines = text.splitlines()
    state.levels_repeat = len({hl.name.level.lower() for hl in plan.values()}) < len(plan)
    if plan:
        state.layouts.append("levels as headings")
    _walk(tokens, state, at_heading)
    lost = _lost_bullets(text, tokens)
    if lost:
        state.notes.append(f"{lost} bullet(s) nested more than {_md.options['maxNesting']} levels deep were left out; "
                           "flatten the lists")
    _number_tables(state)
    state.notes.extend(_misdecoded_note(text))
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


_FRONT_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")


def _front_matter(text: str) -> tuple[str, dict[str, str]]:
    """YAML front matter (``---`` ... ``---``) as simple ``key: value`` pairs, and the text with
    those lines blanked (line numbers stay right)."""
    if not text.startswith("---"):
        return text, {}
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return text, {}
    end = next((n for n in range(1, min(len(lines), 200)) if lines[n].strip() in ("---", "...")), 0)
    if not end:
        return text, {}
    found = {}
    for line in lines[1:end]:
        match = _FRONT_KEY.match(line)
        if match:
            found[match.group(1).lower()] = match.group(2).strip("\"' ")
    return "\n" * end + "\n" + "\n".join(lines[end + 1 :]), found


def _misdecoded_note(text: str) -> list[str]:
    """One note for the first line whose text looks mis-decoded (``ü¶â`` is 🦉 read as Mac Roman)."""
    if text.isascii():
        return []
    for n, line in enumerate(text.splitlines(), 1):
        word = "" if line.isascii() else misdecoded(line)
        if word:
            word = "".join(ch for ch in word if ch.isprintable() and not "\ue000" <= ch <= "\uf8ff")
            return [f"line {n}: '{word}' looks mis-decoded (UTF-8 read as another encoding); re-save the file as UTF-8"]
    return []


_BULLET_LINE = re.compile(r"^[ \t>]*(?:[-*+]|\d{1,9}[.)])[ \t]+\S")
_LEAF_BLOCKS = frozenset(
    ("paragraph_open", "heading_open", "fence", "code_block", "html_block", "hr", "table_open")
)


def _lost_bullets(text: str, tokens: list[Token]) -> int:
    """Bullet lines no block of the parse covers: markdown-it drops what is nested deeper than
    its ``maxNesting`` without a word, so they are counted here and reported."""
    covered: set[int] = set()
    for tok in tokens:
        if tok.map and tok.type in _LEAF_BLOCKS:
            covered.update(range(tok.map[0], tok.map[1]))
    return sum(1 for n, line in enumerate(text.splitlines()) if n not in covered and _BULLET_LINE.match(line))


def _first_title(tokens: list[Token]) -> str:
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.tag == "h1":
            return plain_words(tokens[i + 1].content)
    return ""


def _title_paragraph(tokens: list[Token]) -> str:
    """A file with no heading that opens with a bold line (``**Customer Success Manager``)."""
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            return ""
        if tok.type == "paragraph_open":
            return bold_line(tokens[i + 1].content)
        if tok.type not in ("html_block", "hr"):
            return ""
    return ""


def _level_and_role(title: str, stem: str, bold_title: str = "") -> tuple[str, float, str]:
    match = _LEVEL_TITLE.match(title) if title else None
    if match:
        lv = match.group(1).upper()
        return lv, level_number(lv), match.group(2).strip() or humanise(stem)
    named = level_name(title) if title and len(title.split()) <= 6 else None
    if named is not None and named.number is not None and code_placed(title, named.level):
        return named.level, named.number, named.role or humanise(stem)
    if named is not None and named.number is not None:
        named = None  # "Working with EC2": a code in passing names no level
    match = _LEVEL_FILE.match(stem)
    if match:
        lv = match.group(1).upper()
        return lv, level_number(lv), title or bold_title or humanise(match.group(2) or "")
    coded = level_name(humanise(stem))  # "IC3-Backend-Engineer", "level-2"
    if coded is not None and coded.number is not None and humanise(stem).startswith(coded.level[:1]):
        return coded.level, coded.number, title or bold_title or coded.role or humanise(stem)
    if named is not None:
        return named.level, named.rank if named.rank is not None else -1.0, title
    return "", -1.0, title or bold_title or humanise(stem)


def _role_page(tokens: list[Token]) -> bool:
    """A page without levels whose statements are a role's (or everyone's) expectations: at
    least three bullets, most of them, in the first person ("I ...", "My ...")."""
    items = [
        tokens[i + 1].content
        for i, tok in enumerate(tokens)
        if tok.type == "paragraph_open" and i and tokens[i - 1].type == "list_item_open"
    ]
    mine = sum(1 for t in items if first_person(plain_words(t)))
    return mine >= 3 and mine * 2 >= len(items)


def _line(tok: Token) -> int:
    return tok.map[0] + 1 if tok.map else 0


def _walk(tokens: list[Token], st: _State, levels: dict[int, HeadingLevel] | None = None) -> None:
    levels = levels or {}
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open":
            _heading(tok, tokens[i + 1], st, levels.get(i))
            i += 3
        elif tok.type == "html_block":
            end_line = _whole_table(tok, st)
            if end_line:  # a table whose cells hold Markdown spans several blocks: read it whole
                while i < len(tokens) and _starts_before(tokens[i], end_line):
                    i += 1
                continue
            _html(tok, st)
            i += 1
        elif tok.type == "blockquote_open":
            end = _close(tokens, i)
            _blockquote(tokens[i + 1 : end], st)
            i = end + 1
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            end = _close(tokens, i)
            _list(tokens[i + 1 : end], st, context="")
            i = end + 1
        elif tok.type == "paragraph_open" and i in levels:  # a bold line naming a level
            _heading(tok, tokens[i + 1], st, levels[i])
            i += 3
        elif tok.type == "paragraph_open":
            _block_paragraph(tokens[i + 1], st, _line(tok))
            i += 3
        elif tok.type in ("fence", "code_block"):
            if tok.content.strip():
                st.notes.append(f"line {_line(tok)}: code block not indexed")
            i += 1
        elif tok.type == "table_open":
            end = _close(tokens, i)
            _table(pipe_table(tokens[i + 1 : end]), st, _line(tok))
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
            bold = _pseudo_heading(tokens[i + 1]) or bold_line(tokens[i + 1].content)
            if bold and "\n" not in tokens[i + 1].content:
                out.append((i, min(last + 1, 7), plain_words(bold)))
    return out


def _heading(tok: Token, inline: Token, st: _State, level: HeadingLevel | None) -> None:
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
            st.add(st.is_role and "expectation" or "overview", content, _line(tok))
        return
    name = clean_heading(plain_words(content))
    st.headings[depth] = name
    if examples_heading(name) and st.dimension and depth > st.dimension_depth:
        st.in_examples = True  # "Examples" under a dimension: that dimension's examples
        return
    st.dimension, st.dimension_depth = name, depth
    st.in_details = False
    st.in_examples = examples_heading(name)


def _block_paragraph(inline: Token, st: _State, line: int) -> None:
    heading = _pseudo_heading(inline) if st.is_role else ""
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


def _attribute_lines(inline: Token, st: _State, line: int) -> bool:
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


def _table(table: Table, st: _State, line: int) -> None:
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


def _number_tables(st: _State) -> None:
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


def _close(tokens: list[Token], start: int) -> int:
    """Index of the token closing the block opened at ``start``."""
    depth = 0
    for j in range(start, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def _starts_before(tok: Token, line: int) -> bool:
    return tok.map is None or tok.map[0] < line


def _whole_table(tok: Token, st: _State) -> int:
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
                _table(table, st, table.line)
            return n + 1
    return 0


def _html(tok: Token, st: _State) -> None:
    raw = tok.content
    if re.search(r"<table\b", raw, re.I):
        tables, outside = html_tables(raw, _line(tok) + st.line_offset)
        for table in tables:
            _table(table, st, table.line - st.line_offset)
        if outside:
            st.notes.append(f"line {_line(tok)}: raw HTML outside the table not indexed")
        return
    if not _DETAILS_OR_SUMMARY.search(raw):
        if _TAG.sub("", raw).strip():
            st.notes.append(f"line {_line(tok)}: raw HTML block not indexed")
        return
    # Markdown written straight after a details tag (no blank line) belongs to the HTML block
    # in CommonMark: parse each stretch between the tags, inside or outside the details as
    # the tags say, once the tags are gone.
    pos = 0
    for match in [*_DETAILS_TAG.finditer(raw), None]:
        end = match.start() if match else len(raw)
        _fragment(raw[pos:end], st, _line(tok) - 1 + raw.count("\n", 0, pos))
        if match:
            st.in_details = not match.group(1)
            pos = match.end()


def _fragment(raw: str, st: _State, lines_before: int) -> None:
    """Parse Markdown found inside an HTML block; ``lines_before`` places it in the file."""

    def blank(match: re.Match[str]) -> str:
        return "\n" * match.group(0).count("\n")  # keep line numbers

    rest = _TAG.sub(blank, _SUMMARY.sub(blank, raw))
    if rest.strip():
        offset = st.line_offset
        st.line_offset = offset + lines_before
        _walk(_md.parse(rest), st)
        st.line_offset = offset


def _links(inline: Token) -> list[str]:
    return [str(c.attrs.get("href", "")) for c in inline.children or [] if c.type == "link_open"]


def _builds_on(inline: Token, st: _State) -> bool:
    if not st.is_role or not says_builds_on(inline.content):
        return False
    targets = inheritance_targets(plain_words(inline.content), _links(inline))
    st.builds_on.extend(targets)
    return bool(targets)


def _paragraph(inline: Token, st: _State, line: int) -> None:
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


def _blockquote(tokens: list[Token], st: _State) -> None:
    parts = [t.content for t in tokens if t.type == "inline"]
    line = next((_line(t) for t in tokens if t.map), 0)
    text = "\n".join(parts)
    if st.is_role:
        if not st.dimension and not st.summary and st.level == st.home[0]:
            st.summary = plain_words(text)
        st.add("summary", text, line)
    else:
        st.add("overview", text, line)


def _bullet_kind(st: _State) -> str:
    if not st.is_role:
        return "overview"
    if st.in_details or st.in_examples:
        return "example"
    return "expectation"


def _list(tokens: list[Token], st: _State, context: str) -> None:
    """Walk the items of one list (tokens between its open and close)."""
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type != "list_item_open":
            i += 1
            continue
        end = _close(tokens, i)
        item = tokens[i + 1 : end]
        own = ""
        j = 0
        while j < len(item):
            sub = item[j]
            if sub.type == "paragraph_open" and not own:
                own = item[j + 1].content
                _item(item[j + 1], st, _line(tok), context)
                j += 3
            elif sub.type in ("bullet_list_open", "ordered_list_open"):
                sub_end = _close(item, j)
                parent = plain_words(own)
                ctx = f"{context} {parent}".strip() if parent else context
                _list(item[j + 1 : sub_end], st, ctx)
                j = sub_end + 1
            elif sub.type == "paragraph_open":
                _item(item[j + 1], st, _line(sub), context)
                j += 3
            elif sub.type == "html_block":
                _html(sub, st)
                j += 1
            else:
                j += 1
        i = end + 1


def _item(inline: Token, st: _State, line: int, context: str) -> None:
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


def _pseudo_heading(inline: Token) -> str:
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
