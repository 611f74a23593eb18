"""Reading a question: which role documents, levels, dimensions and attributes it names.

Roles and levels are resolved from natural phrasing against the names in the index, not a fixed
list: "L3", "level 3", "senior", "tech lead", "junior analyst", "security engineer". A *mention*
is a run of adjacent level or role words ("an L3 senior security engineer"); ``resolve`` turns one
into the role documents it can mean, best first:

1. documents at the level (``L1`` includes ``L1.0``) whose role and track words contain every
   role word mentioned (with a level and no such document: those sharing the most of the words);
2. a document whose role name is exactly the words mentioned wins ("security engineer" is the
   role called Security Engineer, not Senior Security Engineer);
3. otherwise documents whose names add no seniority word the question did not say are preferred
   ("principal" is Principal, not Senior Principal), and one document with the fewest unsaid
   words wins ("L3 security engineer" is Senior Security Engineer, not Senior Cloud ...).

More than one document left means the mention is ambiguous: the caller asks back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from .corpus import Corpus, RoleDocument
from .names import MANAGEMENT_WORDS, RANK_WORDS, Lexicon, correct, is_management_role, lexicon
from .phrasing import (
    ATTRIBUTE_CUES,
    ATTRIBUTE_WORDS,
    DIMENSION_SYNONYMS,
    EXAMPLE_CUE,
    EXPECTATION_CUE,
    FILLER,
    GROUP_NOUNS,
    NUMBER_WORDS,
    SYNONYMS,
)
from .text import STOPWORDS, stem

__all__ = [
    "ATTRIBUTE_CUES",
    "Lexicon",
    "Mention",
    "Question",
    "lexicon",
    "parse_question",
    "resolve",
    "corrected",
    "scope_documents",
    "spelled_out",
    "topic_of",
]

_TOKEN = re.compile(r"[^\W_]+(?:\.\d+)?")
_LEVEL_TOKEN = re.compile(r"^l(\d+(?:\.\d+)?)$")
@dataclass(frozen=True, slots=True)
class Mention:
    """A run of adjacent level and role words in a question."""

    text: str
    words: tuple[str, ...]  # role-word stems, synonyms applied, in order
    level: str  # "L3", "L1.0" or ""
    start: int  # token positions [start, end)
    end: int


@dataclass(frozen=True, slots=True)
class Question:
    """What a question names, and the words nothing explains (what it asks about beyond that)."""

    text: str
    lower: str
    tokens: tuple[str, ...]
    mentions: tuple[Mention, ...]
    dimensions: tuple[str, ...]  # dimension names as the index spells them
    attributes: tuple[str, ...]  # normalised attribute keys
    kinds: tuple[str, ...]  # "expectation" and/or "example" when the question says so
    unexplained: tuple[str, ...]  # content words (as written, lower-case) nothing above accounts for

    @property
    def level_mentions(self) -> tuple[Mention, ...]:
        return tuple(m for m in self.mentions if m.level)


def _normalise(token: str, lex: Lexicon | None = None) -> tuple[str, ...]:
    s = stem(token)
    found = SYNONYMS.get(token, SYNONYMS.get(s))
    if found is None and lex is not None and s not in lex.vocabulary:
        found = lex.aliases.get(token) or (lex.aliases.get(token[:-1]) if token.endswith("s") else None)
    return found or (s,)


def _mentions(
    tokens: list[str], lex: Lexicon, breaks: frozenset[int] = frozenset(), *, loose: bool = False
) -> list[Mention]:
    """Runs of level tokens and role words; a run needs a level or a head word to count, and
    ends at punctuation (``breaks``: positions of tokens that follow a comma, dash, slash...)."""
    out: list[Mention] = []
    i = 0
    while i < len(tokens):
        start = i
        level = ""
        words: list[str] = []
        while i < len(tokens):
            if i > start and i in breaks:
                break
            tok = tokens[i]
            m = _LEVEL_TOKEN.match(tok)
            if m and not level:
                level = "L" + m.group(1)
                i += 1
                continue
            if tok in ("level", "lvl") and i + 1 < len(tokens) and not level:
                num = NUMBER_WORDS.get(tokens[i + 1], tokens[i + 1])
                if re.fullmatch(r"\d+(?:\.\d+)?", num):
                    level = "L" + num
                    i += 2
                    continue
            norm = _normalise(tok, lex)
            if tok not in STOPWORDS and all(n in lex.vocabulary for n in norm):
                words.extend(norm)
                i += 1
                continue
            break
        if i == start:
            i += 1
            continue
        group = (loose or (i < len(tokens) and tokens[i] in GROUP_NOUNS)) and any(w in lex.group_heads for w in words)
        if level or group or any(w in lex.heads for w in words):
            out.append(Mention(" ".join(tokens[start:i]), tuple(dict.fromkeys(words)), level, start, i))
    return out


def _level_matches(doc: RoleDocument, level: str) -> bool:
    if "." in level:
        return doc.level.lower() == level.lower()
    try:
        return int(doc.level_num) == int(float(level[1:])) and doc.level_num >= 0
    except ValueError:
        return False


def resolve(
    mention: Mention, corpus: Corpus, *, prefer_track: str = "", dimension: str = ""
) -> tuple[RoleDocument, ...]:
    """The role documents ``mention`` can mean, best first (one when it is unambiguous).

    Args:
        mention: from ``parse_question``.
        corpus: the live corpus.
        prefer_track: keep only documents of this track when any of them fit (the other side of
            a comparison).
        dimension: keep only documents that have this dimension when any of them do.
    """
    lex = lexicon(corpus)
    at_level, docs = _named(mention, corpus, lex)
    wanted = set(mention.words)
    if wanted and not docs and mention.level:
        # "L4 platform engineer" when the L4 of the Platform track is a Technical Lead: the documents
        # at that level sharing the most of the (non-seniority) words named, in the tracks those
        # words name at some level ("L6 SRE" is not the L6 Software Engineer when SRE stops at L4)
        tracks = {d.track for d in named_documents(mention, corpus)}
        at_level = [d for d in at_level if not tracks or d.track in tracks]
        # ... and on the ladder named: "L3 support manager" is not the L3 support engineer
        manages = bool(wanted & MANAGEMENT_WORDS)
        at_level = [d for d in at_level if is_management_role(d.role) == manages]
        shared = {d.key: len((wanted - RANK_WORDS) & lex.doc_words[d.key]) for d in at_level}
        most = max(shared.values(), default=0)
        docs = [d for d in at_level if most and shared[d.key] == most]
    if prefer_track and any(d.track == prefer_track for d in docs):
        docs = [d for d in docs if d.track == prefer_track]
    if dimension and any(dimension in d.dimensions for d in docs):
        docs = [d for d in docs if dimension in d.dimensions]
    if len(docs) <= 1 or not wanted:
        return tuple(docs)
    exact = [d for d in docs if lex.role_words[d.key] == wanted]
    if exact:
        return tuple(exact)
    unsaid_rank = {d.key: len((lex.role_words[d.key] & RANK_WORDS) - wanted) for d in docs}
    least = min(unsaid_rank.values())
    docs = [d for d in docs if unsaid_rank[d.key] == least]
    extra = {d.key: len(lex.role_words[d.key] - wanted) for d in docs}
    fewest = min(extra.values())
    best = [d for d in docs if extra[d.key] == fewest]
    return tuple(best) if len(best) == 1 else tuple(docs)


def named_documents(mention: Mention, corpus: Corpus) -> tuple[RoleDocument, ...]:
    """The documents, at any level, whose names have every non-seniority word of ``mention``
    ("L6 SRE" -> the SRE documents; "junior cloud engineer" -> the Cloud Engineer ones), in
    framework order; none when it names no role word."""
    lex = lexicon(corpus)
    own = set(mention.words) - (RANK_WORDS - MANAGEMENT_WORDS)  # "manager" names a ladder, not a seniority
    if not own:
        return ()
    return tuple(d for d in corpus.documents_sorted() if own <= lex.doc_words[d.key])


def scope_documents(mention: Mention, corpus: Corpus) -> tuple[RoleDocument, ...]:
    """Every role document ``mention`` may be about (its level, and all of its words), without
    the narrowing ``resolve`` does to pick one: what a search or a fact question looks in."""
    return tuple(_named(mention, corpus, lexicon(corpus))[1])


def _named(mention: Mention, corpus: Corpus, lex: Lexicon) -> tuple[list[RoleDocument], list[RoleDocument]]:
    """The documents at ``mention``'s level (all without one), and those of them whose role,
    track and folder words hold every word it names (keyed by document: a file may hold several)."""
    docs = corpus.documents_sorted()
    if mention.level:
        docs = [d for d in docs if _level_matches(d, mention.level)]
    wanted = set(mention.words)
    return docs, ([d for d in docs if wanted <= lex.doc_words[d.key]] if wanted else docs)


def merge(mentions: Iterable[Mention]) -> Mention | None:
    """Several mentions of one role ("security engineers ... at L3") read as one."""
    items = list(mentions)
    if not items:
        return None
    words = tuple(dict.fromkeys(w for m in items for w in m.words))
    level = next((m.level for m in items if m.level), "")
    return Mention(" ".join(m.text for m in items), words, level, items[0].start, items[-1].end)


def _breaks(lower: str, found: list[re.Match[str]]) -> frozenset[int]:
    """Token positions preceded by punctuation that separates names ("senior, L4", "L1-L3")."""
    return frozenset(
        i for i in range(1, len(found)) if re.search(r"[,;:/()?!&+-]", lower[found[i - 1].end() : found[i].start()])
    )


def parse_question(question: str, corpus: Corpus, *, loose: bool = False) -> Question:
    """Find the mentions, dimensions, attributes and kinds a question names (``loose``: any word
    of a track name is a mention, "security posture" too: what a search is scoped by)."""
    lex = lexicon(corpus)
    found, tokens, lower = _spelled(question.lower().replace("’", "'"), lex)
    same_length = len(lower) == len(question)
    mentions = [
        replace(m, text=question[found[m.start].start() : found[m.end - 1].end()]) if same_length else m
        for m in _mentions(tokens, lex, _breaks(lower, found), loose=loose)
    ]
    explained: set[int] = {i for m in mentions for i in range(m.start, m.end)}

    attributes: list[str] = []
    explained_words: set[str] = set()
    for key, pattern in ATTRIBUTE_CUES.items():
        for match in pattern.finditer(lower):
            if key not in attributes:
                attributes.append(key)
            explained_words.update(_TOKEN.findall(match.group(0)))
    for key in attributes:
        explained_words.update(ATTRIBUTE_WORDS[key])
    token_stems = [stem(t) for t in tokens]
    dimension_text = lower
    for phrase, target in DIMENSION_SYNONYMS.items():
        dimension_text = re.sub(rf"\b{phrase}\b", target, dimension_text)
    dimension_stems = {stem(t) for t in _TOKEN.findall(dimension_text)}
    scored: list[tuple[int, str]] = []
    # words already read as a role or an attribute do not name a dimension ("lead", "impact")
    taken = {token_stems[i] for i in explained} | {stem(w) for w in explained_words}
    spread: dict[str, int] = {}
    for stems in lex.dimensions.values():
        for w in stems:
            spread[w] = spread.get(w, 0) + 1
    for name, stems in lex.dimensions.items():
        hits = stems & (dimension_stems - taken)
        # all of a dimension's words, or half of them with one that few dimension names share
        if hits and (hits == stems or (2 * len(hits) >= len(stems) and any(spread[w] <= 2 for w in hits))):
            scored.append((len(hits), name))
            explained_words.update(t for t, s in zip(tokens, token_stems, strict=True) if s in hits)
            explained_words.update(w for p in DIMENSION_SYNONYMS if p in lower for w in p.split())
    dimensions = tuple(name for _, name in sorted(scored, key=lambda x: -x[0]))
    kinds = tuple(
        kind for kind, cue in (("expectation", EXPECTATION_CUE), ("example", EXAMPLE_CUE)) if cue.search(lower)
    )
    unexplained = tuple(
        dict.fromkeys(
            t
            for i, (t, s) in enumerate(zip(tokens, token_stems, strict=True))
            if i not in explained
            and t not in explained_words
            and t not in STOPWORDS
            and s not in FILLER
            and t not in FILLER
            and not t.isdigit()
            and len(t) > 1
        )
    )
    return Question(
        text=question,
        lower=lower,
        tokens=tuple(tokens),
        mentions=tuple(mentions),
        dimensions=dimensions,
        attributes=tuple(attributes),
        kinds=kinds,
        unexplained=unexplained,
    )


def spelled_out(text: str, corpus: Corpus) -> list[tuple[str, str]]:
    """The shortened names in ``text`` and the framework names they stand for, derived from
    the names themselves: ``[("SRE", "Site Reliability Engineer")]``."""
    lex = lexicon(corpus)
    out: dict[str, str] = {}
    for m in _TOKEN.finditer(text):
        token = m.group(0).lower()
        key = token if token in lex.alias_names else token[:-1] if token.endswith("s") else ""
        if key in lex.alias_names and stem(token) not in lex.vocabulary:
            out.setdefault(m.group(0), lex.alias_names[key])
    return list(out.items())


def corrected(text: str, corpus: Corpus) -> str:
    """``text`` with its misspelled framework names and cue words set right ("secuirty enginer"
    -> "security engineer"), everything else as written; the same text when nothing was."""
    return _spelled(text, lexicon(corpus))[2]


def _spelled(text: str, lex: Lexicon) -> tuple[list[re.Match[str]], list[str], str]:
    """The word matches of ``text``, each word lower-cased and corrected (``correct``), and the
    text with the corrected words put in (the same text when none was)."""
    found = list(_TOKEN.finditer(text))
    tokens = [correct(m.group(0).lower(), lex) for m in found]
    out, at = [], 0
    for m, token in zip(found, tokens, strict=True):
        if token != m.group(0).lower():
            out += [text[at : m.start()], token]
            at = m.end()
    return found, tokens, "".join(out) + text[at:] if out else text


def topic_of(text: str, corpus: Corpus) -> str:
    """``text`` without the role, level and track names it mentions ("security eng reviewing other
    teams' PRs" -> "reviewing other teams prs"): what it asks about, for searching by meaning
    inside the scope the names set. "" when it names nothing, or nothing else."""
    q = parse_question(text, corpus, loose=True)
    if not q.mentions:
        return ""
    inside = {i for m in q.mentions for i in range(m.start, m.end)}
    rest = [t for i, t in enumerate(q.tokens) if i not in inside]
    return " ".join(rest) if len(rest) >= 2 else ""
