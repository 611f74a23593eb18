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
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .documents import Chunk, RoleDoc, chunk_id, level_number

#: Bumped whenever parsing changes what chunks a file yields: the index is then rebuilt.
PARSER_VERSION = "5"  # 5: bullets are embedded without a role/dimension prefix

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

_md = MarkdownIt("commonmark")
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
    words = text.split()
    while words and not re.search(r"[A-Za-z0-9]", words[0]):
        words.pop(0)
    while words and not re.search(r"[A-Za-z0-9]", words[-1]):
        words.pop()
    out = []
    for i, word in enumerate(words):
        lower = word.lower()
        if i and lower in _SMALL_WORDS:
            out.append(lower)
        elif word.isupper() and len(word) > 1:
            out.append(word)
        else:
            out.append(word[:1].upper() + word[1:])
    return " ".join(out)


def plain_words(markdown: str) -> str:
    """Inline Markdown -> what a reader sees: link text, no marks, one line."""
    tokens = _md.parseInline(markdown)
    return " ".join(_inline_plain(tokens[0].children or []).split()) if tokens else ""


def _inline_plain(children: list[Token]) -> str:
    parts: list[str] = []
    for tok in children:
        if tok.type in ("text", "code_inline"):
            parts.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif tok.type == "image":
            parts.append(_inline_plain(tok.children or []) or tok.content)
        elif tok.type == "html_inline":
            continue
    return "".join(parts)


def humanise(name: str) -> str:
    """``Security-Analyst`` -> ``Security Analyst``; ``security-operations`` -> ``Security Operations``."""
    words = re.sub(r"[-_]+", " ", name).split()
    return " ".join(w if any(c.isupper() for c in w) else w.capitalize() for w in words)


def is_placeholder(text: str) -> bool:
    return text.strip().lower() in _PLACEHOLDERS


@dataclass
class _State:
    path: str
    is_role: bool
    level: str
    role: str
    track: str
    title: str
    dimension: str = ""
    in_details: bool = False
    line_offset: int = 0
    chunks: list[Chunk] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)
    summary: str = ""
    seen: Counter[tuple[str, str, str]] = field(default_factory=Counter)

    def add(self, kind: str, text: str, line: int, *, key: str = "", context: str = "") -> None:
        plain = plain_words(text)
        if not plain or is_placeholder(plain):
            return
        occurrence = self.seen[(kind, self.dimension, plain)]
        self.seen[(kind, self.dimension, plain)] += 1
        self.chunks.append(
            Chunk(
                id=chunk_id(self.path, kind, self.dimension, plain, occurrence),
                text=text.strip(),
                plain=plain,
                kind=kind,
                level=self.level,
                level_num=level_number(self.level),
                role=self.role,
                track=self.track,
                dimension=self.dimension,
                path=self.path,
                line=line + self.line_offset if line else 0,
                key=key,
                context=context,
                title=self.title,
            )
        )


def parse_markdown(text: str, path: str, track: str = "") -> RoleDoc:
    """Parse one Markdown document.

    Args:
        text: the file's content.
        path: its path relative to the indexed root (POSIX separators); stored on every chunk.
        track: the track (family of roles) the caller inferred, e.g. from the folder.

    Returns:
        The ``RoleDoc`` with its chunks in document order and notes on anything skipped.
    """
    tokens = _md.parse(text)
    title = _first_title(tokens)
    stem = PurePosixPath(path).stem
    level, role = _level_and_role(title, stem)
    state = _State(
        path=path,
        is_role=bool(level),
        level=level,
        role=role,
        track=track,
        title=title or humanise(stem),
    )
    _walk(tokens, state)
    lost = _lost_bullets(text, tokens)
    if lost:
        state.notes.append(f"{lost} bullet(s) nested more than {_md.options['maxNesting']} levels deep were left out; "
                           "flatten the lists")
    return RoleDoc(
        path=path,
        title=state.title,
        level=level,
        level_num=level_number(level),
        role=role,
        track=track,
        is_overview=not state.is_role,
        summary=state.summary,
        attributes=dict(state.attributes),
        chunks=tuple(state.chunks),
        notes=tuple(state.notes),
    )


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


def _level_and_role(title: str, stem: str) -> tuple[str, str]:
    match = _LEVEL_TITLE.match(title) if title else None
    if match:
        return match.group(1).upper(), match.group(2).strip() or humanise(stem)
    match = _LEVEL_FILE.match(stem)
    if match:
        return match.group(1).upper(), title or humanise(match.group(2) or "")
    return "", title or humanise(stem)


def _line(tok: Token) -> int:
    return tok.map[0] + 1 if tok.map else 0


def _walk(tokens: list[Token], st: _State) -> None:
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open":
            content = tokens[i + 1].content
            if tok.tag != "h1":
                st.dimension = clean_heading(plain_words(content))
                st.in_details = False
            elif st.title and plain_words(content) != st.title:
                st.add(st.is_role and "expectation" or "overview", content, _line(tok))
            i += 3
        elif tok.type == "html_block":
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
        elif tok.type == "paragraph_open":
            heading = _pseudo_heading(tokens[i + 1]) if st.is_role else ""
            if heading:
                st.dimension = heading
                st.in_details = False
            else:
                _paragraph(tokens[i + 1], st, _line(tok))
            i += 3
        elif tok.type in ("fence", "code_block"):
            if tok.content.strip():
                st.notes.append(f"line {_line(tok)}: code block not indexed")
            i += 1
        elif tok.type == "table_open":
            end = _close(tokens, i)
            st.notes.append(f"line {_line(tok)}: table not indexed")
            i = end + 1
        else:
            i += 1


def _close(tokens: list[Token], start: int) -> int:
    """Index of the token closing the block opened at ``start``."""
    depth = 0
    for j in range(start, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def _html(tok: Token, st: _State) -> None:
    raw = tok.content
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


def _paragraph(inline: Token, st: _State, line: int) -> None:
    content = inline.content
    if not st.is_role:
        st.add("overview", content, line, key=_defined_term(inline))
        return
    if not st.dimension and not st.chunks and not st.summary:
        st.summary = plain_words(content)
        st.add("summary", content, line)
        return
    st.add(_bullet_kind(st), content, line)


def _blockquote(tokens: list[Token], st: _State) -> None:
    parts = [t.content for t in tokens if t.type == "inline"]
    line = next((_line(t) for t in tokens if t.map), 0)
    text = "\n".join(parts)
    if st.is_role:
        if not st.dimension and not st.summary:
            st.summary = plain_words(text)
        st.add("summary", text, line)
    else:
        st.add("overview", text, line)


def _bullet_kind(st: _State) -> str:
    if not st.is_role:
        return "overview"
    if st.in_details:
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
