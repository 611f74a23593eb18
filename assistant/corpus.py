"""An in-memory view of the live index: chunks by id and by role document, duplicate groups,
valid filter values, and the lexical (BM25) index. Built once per published generation."""

from __future__ import annotations

import os
import pickle
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from index import Chunk

from .text import dedupe_key, terms

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_HEADING_WORDS = re.compile(r"[^\W\d_]+", re.UNICODE)


def is_navigation(chunk: Chunk, dimensions: frozenset[str] = frozenset()) -> bool:
    """True for an overview line that is navigation or a heading, not content: a list of links
    to other documents, an emoji-only line, or a bare dimension name ("🌱 Teaching and
    Mentoring"). Such lines stay in the index (Browse, the list of dimensions) but are not
    searchable bullets.

    Args:
        chunk: any chunk; role-document bullets are never navigation.
        dimensions: the dimension names of the role documents, lower-case.
    """
    if chunk.level or chunk.kind != "overview":
        return False
    if chunk.key == "link":
        return True
    links = _LINK.findall(chunk.text)
    rest = _LINK.sub(" ", chunk.text)
    if links and not _HEADING_WORDS.search(rest.replace("-", " ")):
        return True
    bare = " ".join(w.lower() for w in _HEADING_WORDS.findall(chunk.plain))
    return not bare or bare in dimensions


#: Kinds that describe what a role does (searched by fit); overview chunks describe the framework.
ROLE_KINDS = ("expectation", "example", "summary", "attribute")


@dataclass(slots=True)
class RoleDocument:
    """The chunks of one role document (one level of one role)."""

    path: str
    level: str
    level_num: float
    role: str
    track: str
    title: str
    chunks: list[Chunk] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.level} {self.role}".strip()

    @property
    def attributes(self) -> dict[str, Chunk]:
        return {c.key: c for c in self.chunks if c.kind == "attribute"}

    @property
    def dimensions(self) -> list[str]:
        seen: dict[str, None] = {}
        for c in self.chunks:
            if c.dimension and c.kind in ("expectation", "example"):
                seen.setdefault(c.dimension)
        return list(seen)


class Corpus:
    """Every chunk of one generation, with the lookups retrieval needs."""

    def __init__(self, chunks: list[Chunk], generation: str = ""):
        order = {"summary": 0, "attribute": 1, "expectation": 2, "example": 3, "overview": 4}
        self.generation = generation
        self.chunks = sorted(chunks, key=lambda c: (c.path, c.line, order.get(c.kind, 9), c.id))
        self.by_id = {c.id: c for c in self.chunks}
        self.position = {c.id: i for i, c in enumerate(self.chunks)}
        self.documents: dict[str, RoleDocument] = {}
        groups: dict[str, list[str]] = defaultdict(list)
        for c in self.chunks:
            if c.level:
                doc = self.documents.get(c.path)
                if doc is None:
                    doc = RoleDocument(c.path, c.level, c.level_num, c.role, c.track, c.title)
                    self.documents[c.path] = doc
                doc.chunks.append(c)
            if c.kind in ("expectation", "example"):
                groups[f"{c.kind}|{dedupe_key(c.context + ' ' + c.plain)}"].append(c.id)
        self.group_of: dict[str, tuple[str, ...]] = {}
        for ids in groups.values():
            for i in ids:
                self.group_of[i] = tuple(ids)
        self.values = {
            "level": sorted({c.level for c in self.chunks if c.level}, key=_level_sort),
            "role": sorted({c.role for c in self.chunks if c.level}),
            "track": sorted({c.track for c in self.chunks if c.track}),
            "dimension": sorted({c.dimension for c in self.chunks if c.dimension}),
            "kind": sorted({c.kind for c in self.chunks}),
        }
        # integer codes per filterable field, so a filter mask is one vectorised comparison
        self._codes: dict[str, tuple[dict[str, int], np.ndarray]] = {}
        for name in ("level", "role", "track", "dimension", "kind"):
            table: dict[str, int] = {}
            codes = np.fromiter(
                (table.setdefault(getattr(c, name), len(table)) for c in self.chunks),
                dtype=np.int32, count=len(self.chunks),
            )
            self._codes[name] = (table, codes)
        self._bm25: Any = None
        self._vocab: dict[str, int] = {}
        dims = frozenset(" ".join(_HEADING_WORDS.findall(d.lower())) for doc in self.documents.values()
                         for d in doc.dimensions)
        #: Chunks search may return (navigation and headings are not content).
        self.searchable = np.fromiter((not is_navigation(c, dims) for c in self.chunks), dtype=bool,
                                      count=len(self.chunks))

    def lexical_terms(self, chunk: Chunk) -> list[str]:
        """What BM25 indexes for a chunk: its words, its parent's, its role and dimension."""
        return terms(f"{chunk.context} {chunk.plain} {chunk.key.replace('_', ' ')} {chunk.dimension}")

    def bm25(self) -> tuple[Any, dict[str, int]]:
        """The BM25 index over every chunk (built on first use)."""
        if self._bm25 is None:
            import bm25s

            corpus_tokens = [self.lexical_terms(c) or ["_empty_"] for c in self.chunks]
            vocab: dict[str, int] = {}
            ids = [[vocab.setdefault(t, len(vocab)) for t in toks] for toks in corpus_tokens]
            retriever = bm25s.BM25()
            retriever.index(bm25s.tokenization.Tokenized(ids=ids, vocab=vocab), show_progress=False)
            self._bm25, self._vocab = retriever, vocab
        return self._bm25, self._vocab

    def has_term(self, term: str) -> bool:
        """True when some chunk's lexical terms include ``term``."""
        return term in self.bm25()[1]

    def sorted_vocabulary(self) -> list[str]:
        """Every lexical term, sorted (for prefix look-ups)."""
        cached: list[str] | None = getattr(self, "_sorted_vocab", None)
        if cached is None:
            cached = sorted(self.bm25()[1])
            self._sorted_vocab = cached
        return cached

    def lexical(self, query_terms: list[str], k: int, mask: np.ndarray | None) -> list[tuple[int, float]]:
        """Top ``k`` chunk positions by BM25 for ``query_terms``, restricted by ``mask``."""
        retriever, vocab = self.bm25()
        ids = [vocab[t] for t in query_terms if t in vocab]
        if not ids or not self.chunks:
            return []
        # Sum the postings of the query's words (bm25s's precomputed per-word scores) over the
        # chunks that hold them, instead of ``retriever.retrieve``, which scores and ranks every
        # chunk: the cost follows how common the query's words are, not the size of the corpus
        # (100k chunks: 15 ms -> 0.5 ms). Same scores; ties go to the earlier chunk.
        index = retriever.scores
        indptr = index["indptr"]
        docs = np.concatenate([index["indices"][indptr[i] : indptr[i + 1]] for i in ids])
        values = np.concatenate([index["data"][indptr[i] : indptr[i + 1]] for i in ids])
        if mask is not None:
            keep = mask[docs] > 0
            docs, values = docs[keep], values[keep]
        if not len(docs):
            return []
        if len(docs) * 8 < len(self.chunks):  # few postings: sort them
            positions, which = np.unique(docs, return_inverse=True)
            totals = np.bincount(which, weights=values)
        else:  # many (fit's 20-statement texts touch ~700k at 100k chunks): no sort
            summed = np.bincount(docs, weights=values)
            positions = np.flatnonzero(summed)
            totals = summed[positions]
        top = np.argpartition(-totals, k - 1)[:k] if len(positions) > k else np.arange(len(positions))
        best = sorted(top.tolist(), key=lambda j: (-totals[j], positions[j]))
        return [(int(positions[j]), float(totals[j])) for j in best]

    def mask(self, allowed: dict[str, set[str]]) -> np.ndarray:
        """1.0 for chunks whose every field is among ``allowed[field]``, else 0.0 (read-only;
        the last few are kept, as a filter is usually used for several searches)."""
        key = tuple(sorted((name, tuple(sorted(values))) for name, values in allowed.items()))
        masks: dict[Any, np.ndarray] | None = getattr(self, "_masks", None)
        if masks is None:
            masks = {}
            self._masks = masks
        found = masks.get(key)
        if found is not None:
            return found
        keep = np.ones(len(self.chunks), dtype=bool)
        for name, values in allowed.items():
            table, codes = self._codes[name]
            keep &= np.isin(codes, [table[v] for v in values if v in table])
        found = keep.astype(np.float32)
        found.flags.writeable = False
        if len(masks) >= 32:
            masks.pop(next(iter(masks)), None)
        masks[key] = found
        return found

    def documents_sorted(self) -> list[RoleDocument]:
        return sorted(self.documents.values(), key=lambda d: (d.track, d.level_num, d.role))

    def next_level(self, doc: RoleDocument) -> list[RoleDocument]:
        """Role documents of the same track at the nearest higher level."""
        higher = [
            d for d in self.documents.values() if d.track == doc.track and d.level_num > doc.level_num
        ]
        if not higher:
            return []
        nearest = min(d.level_num for d in higher)
        return [d for d in higher if d.level_num == nearest]


def _level_sort(level: str) -> tuple[float, str]:
    try:
        return float(level.lstrip("Ll")), level
    except ValueError:
        return 99.0, level


#: Bump whenever tokenising or the BM25 fields change: a cache of another version is rebuilt.
_CACHE_VERSION = 3


def load_cached(folder: Path, generation: str) -> Corpus | None:
    """The corpus (with its BM25 index) saved for ``generation``, or None.

    The cache lives beside the user's own store and is written only by Ladder; a missing,
    stale or unreadable file just means building the corpus again.
    """
    path = folder / f"corpus-{generation}.pkl"
    try:
        with open(path, "rb") as fh:
            version, corpus = pickle.load(fh)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError, TypeError):
        return None
    if version != _CACHE_VERSION or not isinstance(corpus, Corpus) or corpus.generation != generation:
        return None
    return corpus


def save_cached(folder: Path, corpus: Corpus) -> None:
    """Save ``corpus`` (BM25 built) for the next process; drop caches of other generations."""
    corpus.bm25()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".corpus-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((_CACHE_VERSION, corpus), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / f"corpus-{corpus.generation}.pkl")
        for old in folder.glob("corpus-*.pkl"):
            if old.name != f"corpus-{corpus.generation}.pkl":
                old.unlink(missing_ok=True)
    except OSError:
        return  # a read-only cache folder only costs start-up time
