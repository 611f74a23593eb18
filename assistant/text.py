"""Small text utilities shared by retrieval, fit and answers: tokens, stems, statements."""

from __future__ import annotations

import functools
import re

from index import QueryError

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i i'm if in into is
    it its itself just me more most my myself no nor not now of off on once only or other our
    ours ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself
    yourselves also etc via using use used""".split()
)
_SUFFIXES = ("ational", "ization", "isation", "fulness", "iveness", "ements", "ement", "ments",
             "ment", "ings", "ing", "edly", "ies", "ied", "ed", "es", "ly", "s")


@functools.lru_cache(maxsize=1 << 16)  # a framework has a few thousand distinct words; BM25 stems every one
def stem(word: str) -> str:
    """A light suffix stemmer: ``mentoring``/``mentored``/``mentors`` -> ``mentor``."""
    if len(word) <= 4 or word.isdigit():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                return base + "y"
            if suffix == "es" and not base.endswith(("s", "x", "z", "ch", "sh")):
                base = word[:-1]
            if suffix == "s" and base.endswith(("s", "u", "i")):
                return word
            if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "lsz":
                base = base[:-1]
            return base[:-1] if len(base) > 4 and base.endswith("e") else base
    return word[:-1] if word.endswith("e") else word


#: Letters beyond the Latin alphabets: Cyrillic, Greek, CJK...
_OTHER_SCRIPT = re.compile(r"[^\W\d_\u0000-\u024f]+")
_NO_SPACES = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def words(text: str) -> list[str]:
    """Lower-case word tokens, apostrophes kept inside words. Words of other scripts are kept
    too; scripts written without spaces (Chinese, Japanese) give overlapping character pairs."""
    low = text.lower().replace("’", "'")
    found = _WORD.findall(low)
    if low.isascii():
        return found
    for run in _OTHER_SCRIPT.findall(low):
        if _NO_SPACES.search(run) and len(run) > 2:
            found.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            found.append(run)
    return found


def terms(text: str) -> list[str]:
    """Stemmed content words, in order (stop words dropped): what lexical search indexes."""
    return [stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 1]


def dedupe_key(text: str) -> str:
    """Bullets that differ only in case, punctuation or articles share this key."""
    key = " ".join(w for w in words(text) if w not in {"a", "an", "the"})
    return key or " ".join(text.split())  # no words at all (emoji): only the same text is a duplicate


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_BULLET = re.compile(r"^\s*(?:[-*+\u2022]|\d+[.)])\s+")
_MIN_WORDS = 3


def split_statements(text: str, limit: int = 200) -> list[str]:
    """A self-review or brag document -> statements: bullets, lines, then sentences.

    Headings and lines of fewer than three words are dropped; at most ``limit`` statements.
    """
    statements: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            joined = " ".join(paragraph)
            statements.extend(s.strip() for s in _SENTENCE_END.split(joined))
            paragraph.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            flush()
            continue
        if _BULLET.match(line):
            flush()
            paragraph.append(_BULLET.sub("", line))
        else:
            paragraph.append(line)
    flush()
    out = [s for s in statements if len(words(s)) >= _MIN_WORDS]
    if not out and text.strip():
        out = [" ".join(text.split())]
    return out[:limit]


def clean_input(
    text: str, *, limit: int, what: str, empty: str, hint: str = "", one_line: bool = False
) -> tuple[str, str]:
    """User input made safe to process: control characters blanked, length capped.

    Args:
        limit: the most characters kept; longer input is cut at a word boundary.
        what: how the notice names the input ("query", "question", "text").
        empty: the error message when nothing printable is left.
        hint: appended to the notice, e.g. where long input belongs instead.
        one_line: fold all whitespace (line breaks included) to single spaces.

    Returns:
        The text and a notice (empty unless it was shortened).

    Raises:
        QueryError: nothing printable is left.
    """
    text = "".join(ch if ch.isprintable() or (ch in "\n\t" and not one_line) else " " for ch in text)
    text = " ".join(text.split()) if one_line else text.strip()
    if not text:
        raise QueryError(empty)
    if len(text) <= limit:
        return text, ""
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    extra = f"; {hint}" if hint else ""
    return cut, f"{what} shortened from {len(text):,} to {len(cut):,} characters (the limit is {limit:,}{extra})"
