"""An in-memory view of the live index: chunks by id and by role document, duplicate groups,
valid filter values, and the lexical (BM25) index. Built once per published generation."""

from __future__ import annotations

import json
import os
import re
import tempfile
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from index import Chunk, level_label

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
    """The chunks of one role document: one level of one role, or a role page without levels.

    A file may hold a whole ladder (a matrix table, levels as headings): each of its levels is
    a document of its own, keyed ``path#level``; a file with one level is keyed by its path.
    """

    path: str
    level: str
    level_num: float
    role: str
    track: str
    title: str
    chunks: list[Chunk] = field(default_factory=list)
    key: str = ""
    #: paths of the documents this one builds on ("in addition to the expectations in ...")
    inherits: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return level_label(self.level, self.role) or self.title

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

    def __init__(self, chunks: list[Chunk], generation: str = "", *, group_keys: dict[str, str] | None = None):
        """``group_keys`` (chunk id -> duplicate-group key, from the cache) saves recomputing them."""
        order = {"summary": 0, "attribute": 1, "expectation": 2, "example": 3, "overview": 4}
        self.generation = generation
        self.chunks = sorted(chunks, key=lambda c: (c.path, c.line, order.get(c.kind, 9), c.id))
        self.by_id = {c.id: c for c in self.chunks}
        self.position = {c.id: i for i, c in enumerate(self.chunks)}
        self.documents: dict[str, RoleDocument] = {}
        levels_in: dict[str, set[str]] = defaultdict(set)
        for c in self.chunks:
            if c.level or c.kind != "overview":
                levels_in[c.path].add(c.level)
        self._one_level = {p for p, lvs in levels_in.items() if len(lvs) == 1}
        groups: dict[str, list[str]] = defaultdict(list)
        for c in self.chunks:
            if c.level or c.kind != "overview":
                key = self.key_of(c)
                doc = self.documents.get(key)
                if doc is None:
                    inherits = tuple(c.inherits.split("|")) if c.inherits else ()
                    doc = RoleDocument(c.path, c.level, c.level_num, c.role, c.track, c.title, key=key,
                                       inherits=inherits)
                    self.documents[key] = doc
                doc.chunks.append(c)
            if group_keys is not None:
                if c.id in group_keys:
                    groups[group_keys[c.id]].append(c.id)
            elif c.kind in ("expectation", "example"):
                groups[f"{c.kind}|{dedupe_key(c.context + ' ' + c.plain)}"].append(c.id)
        self.group_of: dict[str, tuple[str, ...]] = {}
        for ids in groups.values():
            for i in ids:
                self.group_of[i] = tuple(ids)
        level_nums: dict[str, float] = {}
        for c in self.chunks:
            if c.level:
                level_nums[c.level] = min(level_nums.get(c.level, c.level_num), c.level_num)
        self.values = {
            "level": sorted(level_nums, key=lambda lv: (level_nums[lv], _level_sort(lv))),
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

    def key_of(self, chunk: Chunk) -> str:
        """The key of the role document a chunk belongs to (its path, or ``path#level``)."""
        return chunk.path if chunk.path in self._one_level else f"{chunk.path}#{chunk.level}"

    def document(self, key_or_path: str) -> RoleDocument | None:
        """A role document by key, or by path when that file holds one document."""
        found = self.documents.get(key_or_path)
        if found is None and "#" not in key_or_path:
            at_path = [d for d in self.documents.values() if d.path == key_or_path]
            found = at_path[0] if len(at_path) == 1 else None
        return found

    def inherited(self, doc: RoleDocument) -> list[RoleDocument]:
        """The documents ``doc`` builds on, and what they build on, nearest first."""
        out: list[RoleDocument] = []
        todo = list(doc.inherits)
        seen = {doc.path}
        while todo:
            path = todo.pop(0)
            if path in seen:
                continue
            seen.add(path)
            for d in self.documents.values():
                if d.path == path:
                    out.append(d)
                    todo.extend(d.inherits)
        return out

    def documents_sorted(self) -> list[RoleDocument]:
        return sorted(self.documents.values(), key=lambda d: (d.track, d.level_num, d.role))

    def next_level(self, doc: RoleDocument) -> list[RoleDocument]:
        """Role documents of the same track at the nearest higher level."""
        if not doc.level:
            return []
        higher = [
            d for d in self.documents.values()
            if d.track == doc.track and d.level and d.level_num > doc.level_num
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


#: Bump whenever tokenising, the BM25 fields or the file layout change: a cache of another
#: version is rebuilt. 3: JSON + ``.npz`` (was a pickle, which could run code); 4: navigation is
#: not searchable.
_CACHE_VERSION = 4
_FIELDS = tuple(f for f in Chunk.__dataclass_fields__)
_ARRAYS = ("data", "indices", "indptr")


class _Postings:
    """The part of a ``bm25s.BM25`` index ``Corpus.lexical`` reads: its per-word score arrays."""

    def __init__(self, scores: dict[str, Any]):
        self.scores = scores


def load_cached(folder: Path, generation: str) -> Corpus | None:
    """The corpus (with its BM25 index) saved for ``generation``, or None.

    The cache is plain data, never code: chunks and the vocabulary in JSON, the BM25 arrays
    in an ``.npz`` read with ``allow_pickle=False``, so a file planted in the store can at
    worst make the search rebuild its index. A missing, stale, unreadable or inconsistent
    cache just means building the corpus again.
    """
    stem = folder / f"corpus-{generation}"
    try:
        with open(f"{stem}.json", encoding="utf-8") as fh:
            meta = json.load(fh)
        if not isinstance(meta, dict) or meta.get("version") != _CACHE_VERSION \
                or meta.get("generation") != generation or meta.get("fields") != list(_FIELDS):
            return None
        chunks = [Chunk(*row) for row in meta["rows"]]
        group_keys = {str(row[0]): str(g) for row, g in zip(meta["rows"], meta["groups"], strict=True) if g >= 0}
        vocab = {str(t): i for i, t in enumerate(meta["vocab"])}
        with np.load(f"{stem}.npz", allow_pickle=False) as npz:
            arrays = {name: np.asarray(npz[name]) for name in _ARRAYS}
    except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile):
        return None
    indptr, indices = arrays["indptr"], arrays["indices"]
    if (indptr.ndim != 1 or len(indptr) != len(vocab) + 1 or len(arrays["data"]) != len(indices)
            or (len(indptr) and int(indptr[-1]) != len(indices))
            or (len(indices) and (int(indices.max()) >= len(chunks) or int(indices.min()) < 0))):
        return None
    corpus = Corpus(chunks, generation, group_keys=group_keys)
    if [c.id for c in corpus.chunks] != [str(row[0]) for row in meta["rows"]]:
        return None  # the postings are numbered in the saved order
    corpus._bm25, corpus._vocab = _Postings({**arrays, "num_docs": len(chunks)}), vocab
    return corpus


def save_cached(folder: Path, corpus: Corpus) -> None:
    """Save ``corpus`` (BM25 built) for the next process; drop caches of other generations."""
    retriever, vocab = corpus.bm25()
    rows = len(retriever.scores["indptr"]) - 1  # bm25s may add a "" word with no postings
    numbers: dict[tuple[str, ...], int] = {}  # duplicate groups, numbered
    stem = f"corpus-{corpus.generation}"
    meta = {
        "version": _CACHE_VERSION,
        "generation": corpus.generation,
        "fields": list(_FIELDS),
        "rows": [[getattr(c, name) for name in _FIELDS] for c in corpus.chunks],
        "vocab": sorted((t for t, i in vocab.items() if i < rows), key=vocab.__getitem__),
        "groups": [numbers.setdefault(corpus.group_of[c.id], len(numbers)) if c.id in corpus.group_of else -1
                   for c in corpus.chunks],
    }
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".corpus-", suffix=".npz")
        with os.fdopen(fd, "wb") as fh:
            scores = retriever.scores
            np.savez(fh, data=np.asarray(scores["data"]), indices=np.asarray(scores["indices"]),
                     indptr=np.asarray(scores["indptr"]))
        os.replace(tmp, folder / f"{stem}.npz")
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".corpus-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(meta, fh, separators=(",", ":"))
        os.replace(tmp, folder / f"{stem}.json")  # last: the JSON says the pair is complete
        for old in folder.glob("corpus-*"):
            if old.name not in (f"{stem}.json", f"{stem}.npz"):
                old.unlink(missing_ok=True)
    except OSError:
        return  # a read-only cache folder only costs start-up time
