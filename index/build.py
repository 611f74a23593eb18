"""Files -> a published index generation: discover, hash, parse, embed what changed, publish.

Only files whose content hash changed are treated as changed, and only chunks whose embed
text is new are sent to the model: every other vector is copied from the live generation.
The new generation is written in full and published atomically; on any failure it is
dropped and the previous one keeps answering.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .documents import Chunk, RoleDoc, Skipped
from .embed import Embedder
from .errors import IndexingError
from .files import SourceFile, find_sources, parse_source
from .framework import link_framework
from .jsonable import to_json
from .parse import PARSER_VERSION
from .record import FileRecord, IndexRecord
from .store import VectorStore

#: progress(stage, done, total): called while embedding and writing.
Progress = Callable[[str, int, int], None]
_EMBED_BATCH = 256


@dataclass(frozen=True, slots=True)
class IndexReport:
    """What one ``build_index`` run did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    chunks: int = 0
    embedded: int = 0
    reused: int = 0
    seconds: float = 0.0
    rebuilt: str = ""
    published: bool = False

    def to_json(self) -> dict[str, Any]:
        return to_json(self, digits={"seconds": 3})


def embed_hash(model: str, text: str) -> str:
    return hashlib.sha1(f"{model}\x1f{text}".encode()).hexdigest()


def parse_folder(roots: list[Path]) -> tuple[list[RoleDoc], list[Skipped]]:
    """Parse every file under ``roots`` without embedding anything."""
    sources, skipped = find_sources(roots)
    docs, notes = _parse_all(sources)
    return docs, skipped + notes


def _parse_all(sources: list[SourceFile]) -> tuple[list[RoleDoc], list[Skipped]]:
    docs: list[RoleDoc] = []
    notes: list[Skipped] = []
    for source in sources:
        doc, file_notes = parse_source(source)
        notes.extend(file_notes)
        if doc is not None and doc.chunks:
            docs.append(doc)
    by_path = {s.path: s for s in sources}

    def reparse(path: str, level: tuple[str, float]) -> RoleDoc | None:
        return parse_source(by_path[path], level)[0]

    docs, links = link_framework(docs, reparse)
    return docs, notes + links


def build_index(
    roots: list[Path],
    store: VectorStore,
    embedder: Embedder,
    *,
    rebuild: bool = False,
    wait_seconds: float = 0.0,
    progress: Progress | None = None,
    source: Mapping[str, str] | None = None,
) -> IndexReport:
    """Bring the index up to date with ``roots`` and publish it.

    Args:
        roots: the framework folders.
        store: where generations are written.
        embedder: the model; a store built with another model is rebuilt in full.
        rebuild: ignore what is stored and embed everything again.
        wait_seconds: how long to wait for another indexer before giving up.
        progress: called as ``progress(stage, done, total)``; ``total`` 0 is a one-off notice
            (waiting for another indexer).
        source: the git source indexed (``GitSource.state()``), recorded in the index record.

    Raises:
        IndexingError: a root is unusable. IndexBusyError: another indexer holds the store.
    """
    started = time.perf_counter()
    roots = [Path(r) for r in roots]
    sources, skipped = find_sources(roots)
    root_names = sorted(str(r.resolve()) for r in roots)
    def on_wait(holder: str) -> None:
        if progress is not None:
            progress(f"waiting up to {wait_seconds:g} s: another ladder index is writing ({holder})", 0, 0)

    with store.writer_lock(wait_seconds, on_wait):
        store.sweep_orphans()  # folders an earlier run or Chroma left behind
        state = None if rebuild else _readable_state(store)
        reason = _rebuild_reason(state, embedder, root_names) if not rebuild else "asked to rebuild"
        old_files: Mapping[str, FileRecord] = state.files if state and not reason else {}
        current = {s.path: s for s in sources}
        added = sorted(p for p in current if p not in old_files)
        updated = sorted(p for p in current if p in old_files and old_files[p].hash != current[p].digest)
        unchanged = sorted(p for p in current if p in old_files and old_files[p].hash == current[p].digest)
        removed = sorted(p for p in old_files if p not in current)
        same_source = not source or bool(state and dict(state.source) == dict(source))
        if state and not reason and not (added or updated or removed) and same_source:
            store.drop_unpublished()
            return IndexReport(
                unchanged=unchanged,
                skipped=skipped + [Skipped(p, r) for p, r in state.notes],
                chunks=state.chunks,
                reused=state.chunks,
                seconds=time.perf_counter() - started,
            )
        docs, notes = _parse_all(sources)
        chunks = [c for d in docs for c in d.chunks]
        if not chunks:
            raise IndexingError(
                f"{', '.join(map(str, roots))}: no indexable text found "
                f"({len(skipped) + len(notes)} file(s) skipped); see: ladder parse PATH"
            )
        reusable = store.vectors_by_hash() if state and state.model == embedder.name else {}
        hashes = [embed_hash(embedder.name, c.embed_text()) for c in chunks]
        vectors, embedded, reused = _embed(chunks, hashes, reusable, embedder, progress)
        name = store.create_generation()
        published = False
        try:
            if progress:
                progress("writing", 0, len(chunks))
            store.add(name, chunks, vectors, hashes)
            if progress:
                progress("writing", len(chunks), len(chunks))
            if store.count(name) != len(chunks):
                raise IndexingError(f"{store.location}: write incomplete; run ladder index again")
            store.publish(
                _record(name, embedder, root_names, sources, docs, notes, chunks, source).to_dict()
            )
            published = True
        finally:
            if not published:
                store.drop_unpublished()
    return IndexReport(
        added=added,
        updated=updated,
        unchanged=unchanged,
        removed=removed,
        skipped=skipped + notes,
        chunks=len(chunks),
        embedded=embedded,
        reused=reused,
        seconds=time.perf_counter() - started,
        rebuilt=reason if state or rebuild else "",
        published=True,
    )


def _readable_state(store: VectorStore) -> IndexRecord | None:
    try:
        state = store.state()
        return IndexRecord.from_dict(state) if state else None
    except Exception:  # noqa: BLE001 - an unreadable state is rebuilt from the files
        return None


def _rebuild_reason(state: IndexRecord | None, embedder: Embedder, roots: list[str]) -> str:
    if not state:
        return "no index yet"
    if state.model != embedder.name:
        return f"model changed from {state.model} to {embedder.name}"
    if state.parser_version != PARSER_VERSION:
        return "parser version changed"
    if sorted(state.roots) != roots:
        return "different framework folders"
    return ""


def _embed(
    chunks: list[Chunk],
    hashes: list[str],
    reusable: dict[str, np.ndarray],
    embedder: Embedder,
    progress: Progress | None,
) -> tuple[np.ndarray, int, int]:
    """Vectors for ``chunks``, the texts embedded now (each distinct text once) and the chunks
    whose vector came from the previous index (not the duplicates of a text embedded now)."""
    vectors = np.zeros((len(chunks), embedder.dimension), dtype=np.float32)
    todo: dict[str, list[int]] = {}
    reused = 0
    for i, h in enumerate(hashes):
        if h in reusable and reusable[h].shape[0] == embedder.dimension:
            vectors[i] = reusable[h]
            reused += 1
        else:
            todo.setdefault(h, []).append(i)
    pending = list(todo.items())
    if progress:
        progress("embedding", 0, len(pending))
    for start in range(0, len(pending), _EMBED_BATCH):
        batch = pending[start : start + _EMBED_BATCH]
        out = embedder.embed_documents([chunks[idx[0]].embed_text() for _, idx in batch])
        for (_, idx), vec in zip(batch, out, strict=True):
            vectors[idx] = vec
        if progress:
            progress("embedding", min(start + _EMBED_BATCH, len(pending)), len(pending))
    return vectors, len(pending), reused


def _record(
    name: str,
    embedder: Embedder,
    roots: list[str],
    sources: list[SourceFile],
    docs: list[RoleDoc],
    skipped: list[Skipped],
    chunks: list[Chunk],
    source: Mapping[str, str] | None,
) -> IndexRecord:
    per_file = Counter(c.path for c in chunks)
    return IndexRecord(
        collection=name,
        model=embedder.name,
        dimension=embedder.dimension,
        parser_version=PARSER_VERSION,
        roots=tuple(roots),
        built_at=time.time(),
        chunks=len(chunks),
        files={s.path: FileRecord(s.digest, per_file.get(s.path, 0), str(s.abspath)) for s in sources},
        documents=len(docs),
        kinds=dict(Counter(c.kind for c in chunks)),
        levels=_levels_in_order(chunks),
        notes=tuple((s.path, s.reason) for s in skipped),
        source=dict(source or {}),
    )


def _levels_in_order(chunks: list[Chunk]) -> dict[str, int]:
    """Chunks per level, lowest level first (named levels by their ``level_num``)."""
    counts = Counter(c.level or "-" for c in chunks)
    lowest: dict[str, float] = {}
    for c in chunks:
        name = c.level or "-"
        lowest[name] = min(lowest.get(name, c.level_num), c.level_num)
    return {name: counts[name] for name in sorted(counts, key=lambda n: (lowest[n], n))}
