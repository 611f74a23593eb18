"""Inline Markdown -> the text a reader sees: the one definition, used by the parser and the app.

Link and image text are kept, emphasis and code marks dropped, raw inline HTML dropped, and
whitespace collapsed to single spaces on one line.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

__all__ = ["plain_text", "token_text"]

_md = MarkdownIt("commonmark")


def plain_text(markdown: str) -> str:
    """``**Planning horizon**: [six](https://x.y) `months``` -> ``Planning horizon: six months``."""
    tokens = _md.parseInline(markdown)
    return " ".join(token_text(tokens[0].children or []).split()) if tokens else ""


def token_text(children: list[Token]) -> str:
    """The visible text of parsed inline tokens (an image counts as its alt text), uncollapsed."""
    parts: list[str] = []
    for tok in children:
        if tok.type in ("text", "code_inline"):
            parts.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif tok.type == "image":
            parts.append(token_text(tok.children or []) or tok.content)
    return "".join(parts)
