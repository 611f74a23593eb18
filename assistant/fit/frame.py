"""What fit derives from the corpus itself, once per corpus (a generation), not once per fit: the
words that name each track and each level, the roles named in full, and the stub documents."""

from __future__ import annotations

from dataclasses import dataclass

from index import Chunk

from ..corpus import Corpus, RoleDocument
from ..derived import derived
from .titles import level_words, role_words, track_vocabulary


@dataclass(frozen=True, slots=True)
class Frame:
    track_words: dict[str, str]  # word or acronym -> the one track it names
    level_words: dict[str, frozenset[str]]  # document key -> the words of its name that mark its level
    roles: tuple[tuple[str, frozenset[str]], ...]  # (track, role-name words) for naming a role in full
    stubs: dict[str, str]  # stub document key -> key of the fuller document of its level it refers to


def expectations_of(doc: RoleDocument) -> list[Chunk]:
    """A document's expectation bullets; one that only introduces sub-bullets ("Within my group:")
    is not an expectation of its own."""
    return [c for c in doc.chunks if c.kind == "expectation" and not c.plain.endswith(":")]


def _bullets(doc: RoleDocument) -> int:
    return sum(1 for c in doc.chunks if c.kind in ("expectation", "example"))


def _stubs(documents: list[RoleDocument]) -> dict[str, str]:
    """Documents with under a quarter of the bullets of the fullest other document at the same
    level of the same track: a graduate entry point that refers to the junior page."""
    fullest: dict[tuple[str, float], list[RoleDocument]] = {}
    for doc in documents:
        fullest.setdefault((doc.track, doc.level_num), []).append(doc)
    out: dict[str, str] = {}
    for doc in documents:
        peers = [d for d in fullest[(doc.track, doc.level_num)] if d is not doc]
        fuller = max(peers, key=lambda d: len(d.chunks), default=None)
        if fuller is not None and _bullets(doc) * 4 < _bullets(fuller):
            out[doc.key or doc.path] = fuller.key or fuller.path
    return out


def frame(corpus: Corpus) -> Frame:
    """The frame of ``corpus`` (``derived``: built on first use, kept as long as the corpus lives)."""
    return derived(corpus, "fit frame", lambda: _frame(corpus))


def _frame(corpus: Corpus) -> Frame:
    documents = [d for d in corpus.documents.values() if d.level]
    return Frame(track_vocabulary(documents), level_words(documents), role_words(documents), _stubs(documents))
