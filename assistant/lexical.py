"""The words of a query on the lexical side: shortened words spelled out from the corpus's own
vocabulary (``expand_terms``) and the words of a chunk a query matches (``matched_terms``)."""

from __future__ import annotations

import bisect

from index import Chunk

from .corpus import Corpus
from .text import STOPWORDS, stem, terms, words

__all__ = ["EXPAND_MAX", "EXPAND_MIN", "expand_terms", "matched_terms"]

#: A query word the framework never uses that starts at least this many letters of some of its
#: words stands for them ("exec" -> executive, "infra" -> infrastructure, "doc" -> documentation),
#: when it starts at most ``EXPAND_MAX`` of them.
EXPAND_MIN = 3
EXPAND_MAX = 4


def expand_terms(query: str, corpus: Corpus) -> list[str]:
    """The lexical terms of ``query``, with shortened words spelled out from the corpus's own
    vocabulary (only words no suffix was taken from: "canned" is not short for "candidate")."""
    out = terms(query)
    vocab = corpus.sorted_vocabulary()
    for w in dict.fromkeys(words(query)):
        if len(w) < EXPAND_MIN or w in STOPWORDS or not w.isalpha() or stem(w) != w or corpus.has_term(w):
            continue
        i = bisect.bisect_left(vocab, w)
        longer: list[str] = []
        while i < len(vocab) and vocab[i].startswith(w) and len(longer) <= EXPAND_MAX:
            if vocab[i].isalpha():
                longer.append(vocab[i])
            i += 1
        if 0 < len(longer) <= EXPAND_MAX:
            out.extend(longer)
    return out


def matched_terms(query: str, chunk: Chunk) -> tuple[str, ...]:
    """The words of the chunk that share a stem with a query word (for highlighting)."""
    wanted = {stem(w) for w in words(query) if w not in STOPWORDS and len(w) > 1}
    seen: dict[str, None] = {}
    for w in words(chunk.plain):
        if w not in STOPWORDS and stem(w) in wanted:
            seen.setdefault(w)
    return tuple(seen)
