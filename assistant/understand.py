"""Query understanding shared by search, ask and fit: who and what a text names (role, level,
track, dimension, attributes), in everyday words, as a ``QueryScope``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .corpus import Corpus, RoleDocument
from .names import lexicon
from .phrasing import SYNONYMS
from .query import merge, parse_question, resolve, scope_documents
from .text import stem

__all__ = ["QueryScope", "tracks_said", "understand"]

_WORD = re.compile(r"[^\W_]+")
#: A track word before one of these is a verb ("I support our new hires"), not the track.
_OBJECT_WORDS = frozenset(
    "my our the a an them him her their his its other others new every all this that these those your".split())


@dataclass(frozen=True, slots=True)
class QueryScope:
    """Who and what a query is about, in the framework's own names (empty fields: not said).

    Attributes:
        documents: the role documents the query names, best reading first (several when the
            name is ambiguous: "senior" alone, "lead" without a track).
        candidates: every role document the names may be about (what a search looks in first).
        tracks: the tracks of ``candidates`` (one when the query names a track or one role).
        levels: the levels named ("L3", "L1.0"), as the index spells them.
        dimensions: dimensions named ("mentoring" -> "Teaching and Mentoring").
        attributes: attributes named or paraphrased ("how far ahead" -> "planning_horizon").
    """

    text: str
    documents: tuple[str, ...] = ()
    candidates: tuple[str, ...] = ()
    tracks: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    dimensions: tuple[str, ...] = ()
    attributes: tuple[str, ...] = ()

    @property
    def document(self) -> str:
        """The one role document the query names, or "" (none, or ambiguous)."""
        return self.documents[0] if len(self.documents) == 1 else ""

    @property
    def ambiguous(self) -> bool:
        return len(self.documents) > 1


def understand(text: str, corpus: Corpus) -> QueryScope:
    """Read ``text`` (a search query, a question, a self-review line) for the role, level, track,
    dimension and attributes it names, in everyday words: acronyms and contractions of the
    framework's track and role names ("SRE", "SecOps"), title words ("senior", "tech lead"),
    level numbers ("L3", "level 3"), misspellings one letter off, paraphrased attributes.

    Args:
        text: any text; nothing is required of it.
        corpus: the live corpus (its names are the vocabulary).

    Returns:
        A ``QueryScope``; its fields are empty when the text names nothing.
    """
    q = parse_question(text, corpus, loose=True)
    named = [m for m in q.mentions if m.words or m.level]
    merged = merge(named)
    documents = tuple(d.path for d in resolve(merged, corpus)) if merged is not None else ()
    candidates: dict[str, RoleDocument] = {}
    for m in named:
        for d in scope_documents(m, corpus):
            candidates[d.path] = d
    if merged is not None and len(named) > 1:
        for d in scope_documents(merged, corpus):
            candidates.setdefault(d.path, d)
    levels = tuple(dict.fromkeys(
        lv for m in named if m.level for lv in corpus.values["level"] if _level_matches_name(lv, m.level)))
    return QueryScope(
        text=text,
        documents=documents,
        candidates=tuple(candidates),
        tracks=tuple(dict.fromkeys(d.track for d in candidates.values())),
        levels=levels,
        dimensions=q.dimensions,
        attributes=q.attributes,
    )


def _level_matches_name(stored: str, said: str) -> bool:
    if "." in said:
        return stored.lower() == said.lower()
    try:
        return int(float(stored.lstrip("Ll"))) == int(float(said[1:]))
    except ValueError:
        return False


def tracks_said(text: str, corpus: Corpus) -> tuple[str, ...]:
    """The tracks whose domain ``text`` names: a word of a track's name that sets it apart
    ("support", "cloud", "security": ``Lexicon.track_domains``) or a shortened name ("SRE",
    "secops"). Job titles do not count: in a description of work, "the analysts" or "junior
    engineers" are usually the people the writer works with or mentors.

    Returns:
        The tracks, sorted; empty when the text names none, or every one.
    """
    lex = lexicon(corpus)
    domains = lex.track_domains
    domain_stems = {t: {stem(w) for w in words} for t, words in domains.items()}
    tokens = _WORD.findall(text.lower())
    said: set[str] = set()
    for i, word in enumerate(tokens):
        short = word if word in lex.aliases else stem(word)  # "secops" -> "secop"
        if short in lex.aliases or word in SYNONYMS:  # "swe": software engineer
            stems = set(lex.aliases.get(short) or SYNONYMS[word])
            said.update(t for t, named in domain_stems.items() if stems & named)
        elif not (i + 1 < len(tokens) and tokens[i + 1] in _OBJECT_WORDS):
            said.update(t for t, words in domains.items() if word in words or word.endswith("s") and word[:-1] in words)
    return tuple(sorted(said)) if len(said) < len(domains) else ()
