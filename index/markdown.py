"""The Markdown parser Ladder reads every file with, a per-thread parse deadline, notes on
what the parse itself loses (bullets nested too deep, mis-decoded text), front matter, and small
helpers over markdown-it tokens.

One ``MarkdownIt("commonmark")`` with tables; raw HTML comes through as ``html_block`` tokens
for the parser to read or report. Pathological input can make markdown-it very slow, so a
cooperative check bounds every parse (``parse_deadline``).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .layouts import misdecoded

md = MarkdownIt("commonmark").enable("table")
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


md.block.ruler.before("code", "ladder_deadline", _past_deadline)
md.inline.ruler.before("text", "ladder_deadline", _past_deadline)


def line_of(tok: Token) -> int:
    """The 1-based line a block token starts on (0 when markdown-it gives no map)."""
    return tok.map[0] + 1 if tok.map else 0


def close(tokens: list[Token], start: int) -> int:
    """Index of the token closing the block opened at ``start``."""
    depth = 0
    for j in range(start, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def starts_before(tok: Token, line: int) -> bool:
    """Whether ``tok`` starts before 0-based ``line`` (a token without a map does)."""
    return tok.map is None or tok.map[0] < line


_FRONT_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")


def front_matter(text: str) -> tuple[str, dict[str, str]]:
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


def misdecoded_note(text: str) -> list[str]:
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


def lost_bullets(text: str, tokens: list[Token]) -> int:
    """Bullet lines no block of the parse covers: markdown-it drops what is nested deeper than
    its ``maxNesting`` without a word, so they are counted here and reported."""
    covered: set[int] = set()
    for tok in tokens:
        if tok.map and tok.type in _LEAF_BLOCKS:
            covered.update(range(tok.map[0], tok.map[1]))
    return sum(1 for n, line in enumerate(text.splitlines()) if n not in covered and _BULLET_LINE.match(line))


