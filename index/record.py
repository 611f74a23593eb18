"""The index record: what a published generation says about itself, typed.

``build_index`` writes one ``IndexRecord`` with each generation it publishes; the store keeps
it as JSON (``to_dict``) and readers turn it back with ``from_dict``. This module is the only
place its keys are spelled (the store itself reads only ``collection`` and ``chunks``, for its
own bookkeeping). Records written by older versions may lack newer keys: ``from_dict`` fills
in the empty value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["FileRecord", "IndexRecord"]


@dataclass(frozen=True, slots=True)
class FileRecord:
    """One indexed file: its content hash, how many chunks it gave, and where it was read."""

    hash: str
    chunks: int
    abspath: str

    def to_dict(self) -> dict[str, Any]:
        return {"hash": self.hash, "chunks": self.chunks, "abspath": self.abspath}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FileRecord:
        return cls(str(data.get("hash", "")), int(data.get("chunks", 0)), str(data.get("abspath", "")))


@dataclass(frozen=True, slots=True)
class IndexRecord:
    """One published generation: its collection, how it was built, and from which files."""

    collection: str
    model: str
    dimension: int
    parser_version: str
    roots: tuple[str, ...]
    built_at: float
    chunks: int
    files: Mapping[str, FileRecord]  # by path under its framework folder
    documents: int = 0
    kinds: Mapping[str, int] = field(default_factory=dict)
    levels: Mapping[str, int] = field(default_factory=dict)
    notes: tuple[tuple[str, str], ...] = ()  # (path, reason) of what was skipped
    source: Mapping[str, str] = field(default_factory=dict)  # the git source (GitSource.state()); {} for a folder

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "collection": self.collection,
            "model": self.model,
            "dimension": self.dimension,
            "parser_version": self.parser_version,
            "roots": list(self.roots),
            "built_at": self.built_at,
            "chunks": self.chunks,
            "files": {path: f.to_dict() for path, f in self.files.items()},
            "documents": self.documents,
            "kinds": dict(self.kinds),
            "levels": dict(self.levels),
            "notes": [list(n) for n in self.notes],
        }
        if self.source:
            data["source"] = dict(self.source)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> IndexRecord:
        return cls(
            collection=str(data.get("collection", "")),
            model=str(data.get("model", "")),
            dimension=int(data.get("dimension", 0)),
            parser_version=str(data.get("parser_version", "")),
            roots=tuple(str(r) for r in data.get("roots", ())),
            built_at=float(data.get("built_at", 0.0)),
            chunks=int(data.get("chunks", 0)),
            files={str(p): FileRecord.from_dict(f) for p, f in dict(data.get("files", {})).items()},
            documents=int(data.get("documents", 0)),
            kinds={str(k): int(v) for k, v in dict(data.get("kinds", {})).items()},
            levels={str(k): int(v) for k, v in dict(data.get("levels", {})).items()},
            notes=tuple((str(p), str(r)) for p, r in data.get("notes", ())),
            source={str(k): str(v) for k, v in dict(data.get("source") or {}).items()},
        )
