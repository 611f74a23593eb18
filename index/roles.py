"""What a document says about its role and level: the title (a heading or a bold first line),
a level code or name in the title or the file name, the role, whether a page without levels is
a role's, and the words for attributes, headings and names.
"""

from __future__ import annotations

import re

from markdown_it.token import Token

from .documents import level_number
from .inline import plain_text
from .layouts import bold_line, code_placed, dimension_name, first_person, level_name

_LEVEL_TITLE = re.compile(r"^\s*(L\d+(?:\.\d+)?)\b\s*[:.\-\u2013\u2014|]?\s*(.*)$", re.I)
_LEVEL_FILE = re.compile(r"^(L\d+(?:\.\d+)?)(?:[-_ ](.*))?$", re.I)
_PLACEHOLDERS = {"?", "??", "???", "...", "\u2026", "tbd", "todo", "-", "n/a"}

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


def first_title(tokens: list[Token]) -> str:
    """The words of the first ``#`` heading, or ""."""
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.tag == "h1":
            return plain_words(tokens[i + 1].content)
    return ""


def title_paragraph(tokens: list[Token]) -> str:
    """A file with no heading that opens with a bold line (``**Customer Success Manager``)."""
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            return ""
        if tok.type == "paragraph_open":
            return bold_line(tokens[i + 1].content)
        if tok.type not in ("html_block", "hr"):
            return ""
    return ""


def level_and_role(title: str, stem: str, bold_title: str = "") -> tuple[str, float, str]:
    """The level, its number and the role a file's title (or bold first line) and name give."""
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


def role_page(tokens: list[Token]) -> bool:
    """A page without levels whose statements are a role's (or everyone's) expectations: at
    least three bullets, most of them, in the first person ("I ...", "My ...")."""
    items = [
        tokens[i + 1].content
        for i, tok in enumerate(tokens)
        if tok.type == "paragraph_open" and i and tokens[i - 1].type == "list_item_open"
    ]
    mine = sum(1 for t in items if first_person(plain_words(t)))
    return mine >= 3 and mine * 2 >= len(items)


