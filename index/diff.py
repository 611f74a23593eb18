"""The one bullet diff, used by Compare (two role documents) and What changed (two commits).

Two lists of bullets are matched in two passes. Bullets of the same kind with the same key are
*shared* (each bullet matches at most one; the key is the caller's: exact text for What changed,
``bullet_key`` for Compare). Of the rest, pairs of the same kind whose words are at least
``REWORDED_AT`` alike (``similarity``: ``difflib`` ratio over words, case, punctuation and
articles ignored) are *reworded*, matched greedily best pair first; what is left is only in one.

Why words at 0.5 rather than characters at 0.6 (What changed's old rule): on every unshared
same-level pair between tracks of the people-wide corpus the two rules agree on 118 pairs, all
true rewordings; of the pairs only one rule takes, words take 8 true and 1 false, characters 7
true and 0 false (docs/architecture.md). A tie on quality; words ignore case and punctuation,
as Compare's *shared* does, and cost far less per pair.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

__all__ = ["REWORDED_AT", "Bullet", "BulletDiff", "Pair", "bullet_key", "diff_bullets", "similarity", "words"]

#: Two bullets with at least this word similarity (0..1) count as the same idea reworded.
REWORDED_AT = 0.5
#: Above this many candidate pairs in one comparison, nothing is paired as reworded.
MAX_PAIRS = 40_000
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_ARTICLES = frozenset({"a", "an", "the"})


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


def bullet_key(text: str) -> str:
    """Bullets that differ only in case, punctuation or articles share this key."""
    key = " ".join(w for w in words(text) if w not in _ARTICLES)
    return key or " ".join(text.split())  # no words at all (emoji): only the same text is a duplicate


def similarity(text_a: str, text_b: str) -> float:
    """How alike two bullets' words are, 0..1 (case, punctuation and articles ignored)."""
    return SequenceMatcher(None, bullet_key(text_a).split(), bullet_key(text_b).split(), autojunk=False).ratio()


@dataclass(frozen=True, slots=True)
class Bullet:
    """One bullet as a reader sees it, where it is in its file (for an attribute in Compare,
    ``text`` is the value without its label). ``id`` and ``context`` (its parent bullet's
    words) are set for bullets of the index, empty for one read from an old commit."""

    text: str
    kind: str
    line: int
    id: str = ""
    context: str = ""

    @property
    def full_text(self) -> str:
        """The bullet with its parent bullet's words, as a reader would need them."""
        return f"{self.context} {self.text}".strip()

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"text": self.text, "kind": self.kind, "line": self.line}
        if self.id:
            data.update(id=self.id, context=self.context)
        return data


@dataclass(frozen=True, slots=True)
class Pair:
    """A bullet of A and its counterpart in B (identical for shared, similar for reworded)."""

    a: Bullet
    b: Bullet
    similarity: float

    def to_json(self) -> dict[str, Any]:
        return {"a": self.a.to_json(), "b": self.b.to_json(), "similarity": round(self.similarity, 4)}


@dataclass(frozen=True, slots=True)
class BulletDiff:
    """``diff_bullets``' answer; each tuple in the order of its side (reworded: in A's order)."""

    only_a: tuple[Bullet, ...] = ()
    only_b: tuple[Bullet, ...] = ()
    shared: tuple[Pair, ...] = ()
    reworded: tuple[Pair, ...] = ()


def diff_bullets(
    side_a: Sequence[Bullet],
    side_b: Sequence[Bullet],
    *,
    key: Callable[[Bullet], str] = lambda b: b.text,
    threshold: float = REWORDED_AT,
) -> BulletDiff:
    """Match the bullets of two versions (see the module docstring).

    Args:
        side_a: the bullets of A (the left or older side), in order.
        side_b: those of B.
        key: what makes two bullets of one kind the same (default: their exact text).
        threshold: the least ``similarity`` for a reworded pair.
    """
    unmatched_b = list(side_b)
    keys_b = [key(b) for b in unmatched_b]
    shared: list[Pair] = []
    only_a: list[Bullet] = []
    for a in side_a:
        wanted = key(a)
        j = next((j for j, b in enumerate(unmatched_b) if b.kind == a.kind and keys_b[j] == wanted), None)
        if j is None:
            only_a.append(a)
        else:
            shared.append(Pair(a, unmatched_b.pop(j), 1.0))
            keys_b.pop(j)
    if len(only_a) * len(unmatched_b) > MAX_PAIRS:
        return BulletDiff(tuple(only_a), tuple(unmatched_b), tuple(shared))
    scored = sorted(
        (
            (similarity(a.full_text, b.full_text), i, j)
            for i, a in enumerate(only_a)
            for j, b in enumerate(unmatched_b)
            if a.kind == b.kind
        ),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    reworded: list[Pair] = []
    for score, i, j in scored:
        if score < threshold:
            break
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        reworded.append(Pair(only_a[i], unmatched_b[j], score))
    reworded.sort(key=lambda p: p.a.line)
    return BulletDiff(
        only_a=tuple(b for i, b in enumerate(only_a) if i not in used_a),
        only_b=tuple(b for j, b in enumerate(unmatched_b) if j not in used_b),
        shared=tuple(shared),
        reworded=tuple(reworded),
    )
