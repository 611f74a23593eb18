"""What is a level here, and what is a dimension here: the one place that decides, for every layout.

A framework names its levels with codes (``L4``, ``Level 3``, ``IC5``, ``P2``), with seniority
words (``Senior Engineer``, ``Staff``, ``Advanced``), or with a role and a numeral
(``Engineer II``). :func:`level_name` reads one name; :func:`level_axis` decides whether a run
of sibling names (headings at one depth, a table's header cells or first column) is a ladder,
and numbers its levels in document order, so ``level_num`` stays sortable when a framework
has no numbers. :func:`dimension_name` cleans a heading in any script for display and
filtering. The parser (``parse.py``), the heading planner (``headings.py``) and the table
reader (``tables.py``) ask these functions and never decide on their own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "LevelName",
    "axis_numbers",
    "bold_line",
    "code_placed",
    "dimension_name",
    "examples_heading",
    "first_person",
    "front_matter_level",
    "inheritance_targets",
    "level_axis",
    "level_name",
    "merged_order",
    "misdecoded",
    "names_a_role",
    "says_builds_on",
    "strip_marks",
]

# -- levels ---------------------------------------------------------------------------------

#: ``L4``, ``IC5``, ``P2``, ``SE3``, ``E-5``, ``L1.0``: a short upper-case code and a number.
_CODE = re.compile(r"(?<![\w.])([A-Z]{1,3})[-\s]?(\d{1,2}(?:\.\d{1,2})?)(?![\w]|\.\d)")
#: ``Level 3``, ``Grade 7``, ``Band 2`` (any case).
_WORD_CODE = re.compile(
    r"(?<![\w])(level|lvl|grade|band|tier|stage|step)\s*[-:]?\s*(\d{1,2}(?:\.\d{1,2})?)(?!\w)", re.I
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8}
#: Seniority words and the rank they usually carry; used to recognise a named level, and to
#: order named levels only where the documents give no order of their own.
_RANKS = {
    "intern": 0.0, "apprentice": 0.0, "trainee": 0.0, "graduate": 0.5, "grad": 0.5,
    "entry": 1.0, "junior": 1.0, "jr": 1.0, "associate": 1.0, "beginner": 1.0, "novice": 1.0,
    "foundational": 1.0, "foundation": 1.0, "emerging": 1.0, "developing": 1.5,
    "mid": 2.0, "intermediate": 2.0, "competent": 2.0, "practitioner": 2.0,
    "senior": 3.0, "sr": 3.0, "advanced": 3.0, "experienced": 3.0, "proficient": 3.0,
    "lead": 4.0, "staff": 4.0, "expert": 4.0, "principal": 5.0, "master": 5.0,
    "distinguished": 6.0, "fellow": 7.0,
    "manager": 4.0, "director": 6.0, "head": 6.0, "vp": 7.0, "chief": 8.0,
}
#: A seniority word that raises the next one (``Senior Staff``, ``Leading Expert``).
_RAISERS = {"senior", "sr", "leading"}
_PRONOUN_START = re.compile(r"^(?:i|i'm|i’m|i've|my|we|you|our)\b", re.I)
_MAX_LEVEL_WORDS = 6
#: Words that make a name a phrase (a dimension), not a level name.
_PHRASE_WORDS = frozenset({"and", "by", "with", "to", "for", "in", "on", "our", "your", "my", "the", "&"})


@dataclass(frozen=True, slots=True)
class LevelName:
    """A level as one name states it.

    ``level`` is what the framework calls it (``L3``, ``Senior Engineer``, ``Advanced``);
    ``number`` comes from a code (``L3`` -> 3.0), ``rank`` from seniority words and numerals
    (a fallback order), ``role`` is the role words the name carries besides its code.
    """

    level: str
    number: float | None
    rank: float | None
    role: str


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:['’][^\W_]+)?", text.lower())


def strip_marks(text: str) -> str:
    """A name's words without emphasis marks, ``:emoji:`` codes, or words with no real letter
    (an emoji, mis-decoded characters)."""
    text = re.sub(r":[a-z0-9_+\-]+:", " ", text)
    return " ".join(w for w in text.replace("*", " ").replace("_", " ").split() if _real_word(w))


def level_name(text: str) -> LevelName | None:
    """The level a heading, column header or title names, or None when it names none."""
    raw = strip_marks(text).strip(" :-–—|")
    if not raw or len(raw) > 80 or _PRONOUN_START.match(raw):
        return None
    match = _WORD_CODE.search(raw) or _CODE.search(raw)
    if match:
        code = match.group(0).strip()
        if _CODE.fullmatch(code):
            code = code.replace(" ", "").replace("-", "").upper()
        rest = (raw[: match.start()] + " " + raw[match.end() :]).strip()
        rest = re.sub(r"\(\s*\)|^[\s:\-–—|.,]+|[\s:\-–—|.,(]+$", "", rest).strip()
        return LevelName(code, float(match.group(2)), _rank(rest), rest)
    words = _words(raw)
    if not words or len(words) > _MAX_LEVEL_WORDS or _PHRASE_WORDS.intersection(words):
        return None  # "Lead by example", "Senior stakeholders and partners": a phrase, not a level
    rank = _rank(raw)
    if rank is None:
        return None
    return LevelName(raw, None, rank, "")


def _rank(text: str) -> float | None:
    words = _words(text)
    if not words:
        return None
    found: float | None = None
    for i, word in enumerate(words):
        base = _RANKS.get(word)
        if base is None:
            continue
        if word in _RAISERS and i + 1 < len(words) and words[i + 1] in _RANKS:
            continue  # "senior" in "Senior Staff" raises "staff"
        if i and words[i - 1] in _RAISERS:
            base += 0.5 if words[i - 1] != "leading" else 1.0
        found = base if found is None else max(found, base)
    sub = _ROMAN.get(words[-1]) if len(words) > 1 else None
    if sub is None and len(words) > 1 and words[-1].isdigit() and len(words[-1]) == 1:
        sub = int(words[-1])
    if sub is None:
        return found
    return (found if found is not None else 0.0) + sub / 10


def level_axis(names: list[str]) -> list[LevelName | None] | None:
    """Read sibling names as a ladder, or None when they are not one.

    They are a ladder when at least two of them name levels and those are more than half of
    them (a stray "Overview" among levels stays outside the ladder: its entry is None).
    """
    found = [level_name(n) for n in names]
    hits = [i for i, f in enumerate(found) if f is not None]
    if len(hits) < 2 or len(hits) * 2 <= len(names):
        return None
    for i in range(hits[0] + 1, hits[-1]):
        # a name between two levels is a level too ("Associate", "Engineer", "Senior")
        words = strip_marks(names[i]).strip(" :-–—|")
        if found[i] is None and words and len(words.split()) <= _MAX_LEVEL_WORDS and not _PRONOUN_START.match(words):
            found[i] = LevelName(words, None, None, "")
    named = [f for f in found if f is not None]
    if len({h.level.lower() for h in named}) < len(named):
        return None  # the same name twice is a repeated section, not a ladder
    return found


def _descending(levels: list[LevelName]) -> bool:
    known = [lv.rank for lv in levels if lv.rank is not None]
    return len(known) >= 2 and all(a > b for a, b in zip(known, known[1:], strict=False))


def axis_numbers(levels: list[LevelName], order: list[str] | None = None) -> list[float]:
    """``level_num`` for the levels of one ladder, in document order.

    Codes give their number (``L3`` -> 3). Named levels are numbered 1, 2, 3... in the order
    the document gives them, reversed when their seniority words say the document lists
    them from the top down; ``order`` (from :func:`merged_order`) numbers them by the whole
    file's order when several ladders of one file list different levels.
    """
    if all(lv.number is not None for lv in levels):
        return [float(lv.number or 0.0) for lv in levels]
    if order:
        place = {name.lower(): i for i, name in enumerate(order)}
        return [float(place.get(lv.level.lower(), i) + 1) for i, lv in enumerate(levels)]
    n = len(levels)
    return [float(n - i) if _descending(levels) else float(i + 1) for i in range(n)]


def merged_order(ladders: list[list[LevelName]]) -> list[str]:
    """One order for the named levels of several ladders in a file (a table or heading group
    per competency that may skip a level): each ladder's levels, lowest first, merged so that
    every ladder's order is kept."""
    order: list[str] = []
    for ladder in ladders:
        names = [lv.level for lv in (reversed(ladder) if _descending(ladder) else ladder) if lv.number is None]
        lowered = [o.lower() for o in order]
        for k, name in enumerate(names):
            if name.lower() in lowered:
                continue
            later = next((lowered.index(n.lower()) for n in names[k + 1 :] if n.lower() in lowered), None)
            earlier = next((lowered.index(n.lower()) + 1 for n in reversed(names[:k]) if n.lower() in lowered), None)
            at = later if later is not None else earlier if earlier is not None else len(order)
            order.insert(at, name)
            lowered.insert(at, name.lower())
    return order


# -- levels in titles, front matter and bold lines ------------------------------------------


_OPEN_BOLD = re.compile(r"^\s*(?:\*\*\*?|__)\s*([^*_\n]{2,80}?)\s*(?:\*\*\*?|__)?\s*:?\s*$")


def bold_line(content: str) -> str:
    """The words of a short line that is all bold, closed or not (``***Core Competencies``)."""
    match = _OPEN_BOLD.match(content)
    if not match or len(match.group(1).split()) > 8 or match.group(1).rstrip().endswith("."):
        return ""
    return match.group(1).strip()


def code_placed(title: str, code: str) -> bool:
    """A level code where titles put one: first, in brackets, or last after a separator
    (``L3: Senior Engineer``, ``Senior Engineer (L3)``, ``Senior Engineer - L3``)."""
    t = " ".join(title.split()).lower()
    c = re.escape(code.lower()).replace("\\ ", "\\s*")
    return bool(re.match(c, t) or re.search(rf"\(\s*{c}\s*\)|[-–—:|,]\s*{c}\s*$", t))


def front_matter_level(value: str) -> tuple[str, float]:
    """``level: 3`` -> ``Level 3``; ``level: L4`` -> ``L4``; ``level: Senior`` -> by its rank."""
    named = level_name(f"Level {value}" if re.fullmatch(r"\d{1,2}(?:\.\d+)?", value) else value)
    if named is None:
        return value, -1.0
    return named.level, named.number if named.number is not None else (named.rank or -1.0)


def names_a_role(name: str) -> bool:
    """``Senior Engineer`` names a role; ``Advanced`` or ``Senior`` names only a rank."""
    numerals = {"i", "ii", "iii", "iv", "v", "vi"}
    return any(level_name(w) is None and w.isalpha() for w in name.split() if w.lower() not in numerals)


# -- dimensions -----------------------------------------------------------------------------

_SMALL_WORDS = {"and", "or", "of", "the", "a", "an", "in", "on", "for", "to", "by"}
_CP1252_EXTRA = set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ")
#: Headings that introduce examples of the section before, or outcomes that show a level.
_EXAMPLES = re.compile(
    r"^(?:examples?|for example|e\.g\.?|evidence|what (?:success|good|this|it) looks like|"
    r"what success looks like at this level|in practice|what this looks like in practice)\b", re.I
)


def _real_word(word: str) -> bool:
    """A word with a letter or digit of any script that is not a mis-decoded character."""
    return any(
        ch.isalnum() and not ("\u0080" <= ch <= "\u00ff" or ch in _CP1252_EXTRA or "\ue000" <= ch <= "\uf8ff")
        for ch in word
    )


def dimension_name(text: str) -> str:
    """A heading as a dimension name: emoji, ``:shortcodes:`` and mis-decoded emoji removed,
    words in any script kept, Latin words in title case (``🦉 domain expertise`` -> ``Domain
    Expertise``)."""
    words = re.sub(r":[a-z0-9_+\-]+:", " ", text).split()
    while words and not _real_word(words[0]):
        words.pop(0)
    while words and not _real_word(words[-1]):
        words.pop()
    symbols = ("So", "Sk", "Cs", "Co", "Cf")
    words = [w for w in ("".join(ch for ch in w if unicodedata.category(ch) not in symbols) for w in words) if w]
    out = []
    for i, word in enumerate(words):
        lower = word.lower()
        if i and lower in _SMALL_WORDS:
            out.append(lower)
        elif word.isupper() and len(word) > 1:
            out.append(word)
        else:
            out.append(word[:1].upper() + word[1:])
    return " ".join(out).strip(" :")


def examples_heading(name: str) -> bool:
    """``Examples``, ``What success looks like``: a heading whose bullets show rather than ask."""
    return bool(_EXAMPLES.match(name.strip(" *_:")))


# -- role pages and inheritance ---------------------------------------------------------------

_FIRST_PERSON = re.compile(r"^\s*(?:i|i'm|i’m|i've|i’ve|my)\b|^\s*我|^\s*(?:je|j'|ich|yo|eu)\b", re.I)
_INHERITS = re.compile(
    r"\b(?:builds?\s+(?:up)?on|building\s+on|in\s+addition\s+to|encompass(?:es)?|extends?|"
    r"inherits?|on\s+top\s+of|expectations\b[^.]*?\bequivalent\s+to|as\s+well\s+as\s+(?:the\s+)?(?:expectations|qualities)|includes?\s+all)\b",
    re.I,
)
_THE_ROLE = re.compile(
    r"(?:foundation\s+of|expectations\s+(?:in|of|for)|qualities\s+(?:listed\s+)?in|all\s+of\s+the\s+qualities\s+"
    r"(?:listed\s+)?in|upon|on)\s+(?:the\s+)?(.+?)(?:\s+role)?(?:[.,;]|$)",
    re.I,
)


def first_person(text: str) -> bool:
    """A statement written in the first person (``I ...``, ``My ...``), as role pages are."""
    return bool(_FIRST_PERSON.match(text))


def says_builds_on(text: str) -> bool:
    """Whether a statement may say what its role builds on (a cheap test before reading it)."""
    return bool(_INHERITS.search(text))


def inheritance_targets(plain: str, link_targets: list[str]) -> list[str]:
    """What a sentence says its role builds on: the files it links to, else the role it names.

    ``"I encompass all of the qualities listed in [Leadership](../Leadership.md)"`` ->
    ``["../Leadership.md"]``; ``"... builds upon the foundation of the Junior Customer
    Success role."`` -> ``["Junior Customer Success"]``. Empty when the sentence says no such
    thing.
    """
    if not _INHERITS.search(plain):
        return []
    if link_targets:
        return list(link_targets)
    said = _INHERITS.search(plain)
    match = _THE_ROLE.search(plain[said.start() :]) if said else None
    if match is None:
        return []
    name = match.group(1).strip(" .\"'")
    name = re.sub(r"^(?:(?:the|a|an)\s+)?(?:foundation|expectations|qualities|basis)\s+(?:of|in|for)\s+(?:the\s+)?", "",
                  name, flags=re.I)
    name = re.sub(r"\.(?:md|markdown)$", "", name, flags=re.I)
    named = any(word[:1].isupper() or not word[:1].isascii() for word in name.split())
    return [name] if named and 0 < len(name.split()) <= 8 else []


# -- text that was decoded with the wrong encoding --------------------------------------------


def misdecoded(text: str) -> str:
    """The first word that reads as UTF-8 decoded with another encoding (``ü¶â`` is 🦉 read as
    Mac Roman), or "" when there is none."""
    for word in text.split():
        if word.isascii():
            continue
        for encoding in ("cp1252", "mac_roman", "latin-1"):
            try:
                fixed = word.encode(encoding).decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
            if fixed != word:
                return word
    return ""
