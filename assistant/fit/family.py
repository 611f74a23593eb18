"""Which ladder of a track, and which rung, the writer's own words point to: individual contributor
or people manager (Support engineers and managers share a folder), whom they mentor or manage
(they are above them), and a specialism a role name adds that the text never names."""

from __future__ import annotations

import re

from ..corpus import RoleDocument
from ..text import stem, words

_MANAGES = re.compile(
    r"\bI\s+(?:manage|line[- ]manage)\b|\bmy\s+(?:direct\s+)?reports\b"
    r"|\bmanag(?:e|ing)\s+(?:(?:the|a|my|our)\s+)?(?:\w+\s+){0,3}?(?:teams?|managers|people|engineers|analysts)\b",
    re.I,
)
_IC = re.compile(r"\bindividual contributor\b|\bno\s+(?:direct\s+)?reports\b|\bnot\s+a\s+(?:people\s+)?manager\b", re.I)


def says_family(text: str) -> str:
    """"manager" when the writer says they manage people, "ic" when they say they do not, ""
    when the text says neither (or both)."""
    manages, ic = bool(_MANAGES.search(text)), bool(_IC.search(text))
    if manages == ic:
        return ""
    return "manager" if manages else "ic"


_GUIDES = re.compile(r"\b(?:mentor(?:s|ed|ing)?|coach(?:es|ed|ing)?|manag(?:e|es|ed|ing)|line[- ]manag\w*)\s+", re.I)
#: Words that end the noun phrase after the verb ("mentor the two leads *on* bigger projects").
_PHRASE_END = frozenset(
    "on in through with about for to into during across at from as while who that which and or plus".split()
)
#: A newcomer being helped in, or another of one's own rank, is a peer, not someone below
#: ("coached our newest support manager", "mentor other principal engineers").
_PEERS = frozenset({"new", "newer", "newest", "newly", "incoming", "other", "fellow", "peer"})


def guided_words(text: str, people: frozenset[str] | None = None) -> set[str]:
    """The words naming whom the writer mentors, coaches or manages ("mentor the two support leads"
    -> {"the", "two", "support", "lead"}), plural "s" taken off; peers left out, and, given
    ``people`` (the words of role names), phrases whose last word is not one of them ("managed
    senior stakeholders' expectations" names no role)."""
    out: set[str] = set()
    for m in _GUIDES.finditer(text):
        phrase: list[str] = []
        for token in re.findall(r"[a-z0-9]+|[^\sa-z0-9]", text[m.end():].lower())[:6]:
            if not token.isalnum() or token in _PHRASE_END:
                break
            phrase.append(token[:-1] if token.endswith("s") and len(token) > 3 else token)
        if not phrase or _PEERS & set(phrase) or (people is not None and phrase[-1] not in people):
            continue
        out.update(phrase)
    return out


def below_guided(docs: dict[str, RoleDocument], level_words: dict[str, frozenset[str]], text: str) -> set[str]:
    """Documents at or below the level of someone the writer mentors, coaches or manages: a writer
    who mentors the support leads is above a lead. Per track, the level of a word is the lowest
    level whose role name marks it ("lead": L4 Lead), so the reading stays on the safe side."""
    people = frozenset(w for d in docs.values() for w in re.findall(r"[a-z]+", d.role.lower()))
    guided = guided_words(text, people)
    if not guided:
        return set()
    lowest: dict[tuple[str, str], float] = {}  # (track, word) -> the lowest level it marks there
    for key, doc in docs.items():
        for word in level_words.get(key, frozenset()) & guided:
            lowest[(doc.track, word)] = min(lowest.get((doc.track, word), doc.level_num), doc.level_num)
    # the writer is above the highest of those (two leads and a senior: above a lead)
    tops: dict[str, float] = {}
    for (track, _word), level in lowest.items():
        tops[track] = max(tops.get(track, 0.0), level)
    return {key for key, doc in docs.items() if doc.track in tops and doc.level_num <= tops[doc.track]}


def unsaid_specialisms(docs: dict[str, RoleDocument], text: str) -> dict[str, frozenset[str]]:
    """Documents whose role name is a sibling's (same track and level) plus words the text never
    says, with those words (as stems)."""
    said = {stem(w) for w in words(text)}
    role_words = {p: frozenset(stem(w) for w in words(d.role)) for p, d in docs.items()}
    out: dict[str, frozenset[str]] = {}
    for p, d in docs.items():
        for q, other in docs.items():
            if q == p or other.track != d.track or other.level_num != d.level_num:
                continue
            if role_words[q] < role_words[p]:
                extra = role_words[p] - role_words[q]
                if not extra & said:
                    out[p] = extra
    return out
