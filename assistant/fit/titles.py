"""Who the writer says they are: the track and level words of a self-review's title line.

People head a self-review with their role ("senior SRE, 2nd year", "tech lead on the deployments
team", "sr security eng"). The words that tell one role document from the others are derived from
the framework itself, not from a list: a track's words are those of its name and its roles' names
that no other track uses (plus the acronym of a multi-word track name: Site Reliability
Engineering -> SRE); a level's words are those of its role name that not every role of its track
has (Junior, Senior, Lead, Principal, Manager...). Abbreviations match by their letters in order
("sr" -> senior, "eng" -> engineer, "grad" -> graduate).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

from ..corpus import RoleDocument
from ..text import STOPWORDS, words

#: Phrases in the body that say who the writer is ("as a senior", "I'm the tech lead").
_SELF = re.compile(r"\b(?:as (?:an?|the)|i'?m (?:an?|the)|i am (?:an?|the)|promoted to|stepped up (?:into|to))\s+"
                   r"([\w\s/-]{2,40})", re.I)


def _tokens(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS]


def abbreviates(short: str, word: str) -> bool:
    """``short`` is ``word`` or an abbreviation of it: a prefix of three or more letters
    ("eng", "grad"), or two letters or more with the same first letter, in order, covering a
    third of the word ("sr" -> senior, "jr" -> junior, "mgr" -> manager)."""
    if short == word:
        return True
    if len(short) < 2 or short[0] != word[0] or len(short) >= len(word):
        return False
    if len(short) >= 3 and word.startswith(short):  # "dev" is not "devops": short words need more
        return len(short) >= 4 or len(word) >= 7
    if len(short) * 3 < len(word) or len(word) < 5:  # "sr" is senior, not SRE
        return False
    it = iter(word)
    return all(ch in it for ch in short) and not short.isdigit()


def self_descriptions(headline: str, text: str) -> list[list[str]]:
    """The word lists in which the writer names their own role: the title line (or the first
    line when it is a short one, not a bullet) and every "as a ...", "I'm the ...", "promoted to ..." phrase."""
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    if not headline and first and len(words(first)) <= 20 and not re.match(r"^([-*+•]|\d+[.)])\s", first):
        headline = first
    spans = [headline] if headline else []
    spans += [m.group(1) for m in _SELF.finditer(text)]
    return [_tokens(_PAST_LEVEL.sub(" ", s)) for s in spans if s.strip()]


#: A level the writer had before ("promoted from junior", "ex-senior", "formerly L2"): not theirs now.
_PAST_LEVEL = re.compile(
    r"\b(?:(?:from|ex|former(?:ly)?|previously|used to be|was an?)\s+|ex-)(?:an?\s+)?"
    r"(?:(?:junior|jr|graduate|grad|intern|associate|mid-?level|senior|sr|staff|lead|principal|l\d+(?:\.\d+)?)\b\s*)+",
    re.I,
)


def track_vocabulary(documents: Iterable[RoleDocument]) -> dict[str, str]:
    """Words (and acronyms) naming exactly one track: ``{"analyst": "Security Analyst", "sre": ...}``.

    A word of one track's own name names that track ("cloud" in Cloud Engineering, even though a
    Security Engineer role is a "Cloud Security Engineer") unless most tracks use it in their role
    names ("engineer"); otherwise a word of role names names the track when no other track's roles
    use it.
    """
    in_name: dict[str, set[str]] = defaultdict(set)
    in_roles: dict[str, set[str]] = defaultdict(set)
    for doc in documents:
        track_tokens = _tokens(doc.track)
        for w in track_tokens:
            if len(w) > 2:
                in_name[w].add(doc.track)
        if len(track_tokens) >= 3:
            in_name["".join(t[0] for t in track_tokens)].add(doc.track)
        for w in _tokens(doc.role):
            if len(w) > 2:
                in_roles[w].add(doc.track)
    tracks = {t for ts in in_name.values() for t in ts}
    out = {w: next(iter(ts)) for w, ts in in_roles.items() if len(ts) == 1 and w not in in_name}
    # ... but a word most tracks use in their role names ("engineer") names none of them
    out.update({w: next(iter(ts)) for w, ts in in_name.items() if len(ts) == 1 and 2 * len(in_roles[w]) <= len(tracks)})
    return out


def level_words(documents: Iterable[RoleDocument]) -> dict[str, frozenset[str]]:
    """Per role document (by corpus key), the words of its role name that mark its level: words that
    not every role of its track has and that at most two levels of the track use ("senior",
    "lead"; not "devops" when five levels of the track say it)."""
    by_track: dict[str, list[RoleDocument]] = defaultdict(list)
    for doc in documents:
        by_track[doc.track].append(doc)
    out: dict[str, frozenset[str]] = {}
    for docs in by_track.values():
        names = {d.key or d.path: set(_tokens(d.role)) - set(_tokens(d.track)) for d in docs}
        levels_of: dict[str, set[float]] = defaultdict(set)
        for d in docs:
            for w in names[d.key or d.path]:
                levels_of[w].add(d.level_num)
        for path, name in names.items():
            out[path] = frozenset(w for w in name if len(levels_of[w]) <= 2 < len({d.level_num for d in docs})
                                  or len(levels_of[w]) == 1)
    return out


def _hits(span: list[str], vocabulary: Iterable[str]) -> set[str]:
    """The vocabulary words a span says, exactly or abbreviated (an exact word is never also
    read as an abbreviation: "sre" is SRE, not "software")."""
    vocabulary = set(vocabulary)
    found: set[str] = set()
    for w in span:
        if w in vocabulary:
            found.add(w)
        else:
            found |= {v for v in vocabulary if abbreviates(w, v)}
    return found


def role_words(documents: Iterable[RoleDocument]) -> tuple[tuple[str, frozenset[str]], ...]:
    """(track, words of the role name) for every role named in two words or more."""
    named = ((doc.track, frozenset(_tokens(doc.role))) for doc in documents)
    return tuple((track, words) for track, words in named if len(words) >= 2)


def named_tracks(
    spans: list[list[str]], vocabulary: Mapping[str, str], roles: Iterable[tuple[str, frozenset[str]]] = ()
) -> dict[str, float]:
    """How strongly the self-descriptions name each track: one per span that says a word of the
    track, two for a span that names one of its roles in full ("Senior Cloud Security Engineer");
    ``roles`` from ``role_words``."""
    roles = tuple(roles)
    found: dict[str, float] = defaultdict(float)
    for span in spans:
        full = [(len(words), track) for track, words in roles if words <= _hits(span, words)]
        # the longest role named wins: "Senior Cloud Security Engineer" also holds "Senior Cloud Engineer"
        named = {track for n, track in full if n == max(full)[0]} if full else set()
        for track in named:
            found[track] += 2.0
        for track in {vocabulary[v] for v in _hits(span, vocabulary)} - named:
            found[track] += 1.0
    return dict(found)


def named_levels(spans: list[list[str]], words_of: Mapping[str, frozenset[str]]) -> dict[str, float]:
    """Role documents whose level words a self-description names, scored by how well the named
    words match the document's (``senior principal`` names L6, not L5)."""
    vocabulary = set().union(*words_of.values()) if words_of else set()
    found: dict[str, float] = defaultdict(float)
    for span in spans:
        said = _hits(span, vocabulary)
        if not said:
            continue
        for path, own in words_of.items():
            if own and own <= said:
                found[path] = max(found[path], len(own) / len(said))
    return dict(found)
