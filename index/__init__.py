"""Ladder's indexing pipeline: Markdown files -> chunks -> embeddings -> a Chroma generation."""

from .build import IndexReport, build_index, embed_hash, parse_folder
from .documents import KINDS, Chunk, RoleDoc, Skipped
from .embed import DEFAULT_MODEL, Embedder, SentenceTransformerEmbedder
from .errors import (
    IndexBusyError,
    IndexingError,
    IndexNotBuiltError,
    LadderError,
    ModelError,
    QueryError,
    StoreError,
)
from .files import find_sources
from .parse import ATTRIBUTE_LABELS, PARSER_VERSION, parse_markdown
from .store import Hit, VectorStore, open_store

__all__ = [
    "ATTRIBUTE_LABELS",
    "DEFAULT_MODEL",
    "KINDS",
    "PARSER_VERSION",
    "Chunk",
    "Embedder",
    "Hit",
    "IndexBusyError",
    "IndexNotBuiltError",
    "IndexReport",
    "IndexingError",
    "LadderError",
    "ModelError",
    "QueryError",
    "RoleDoc",
    "SentenceTransformerEmbedder",
    "Skipped",
    "StoreError",
    "VectorStore",
    "build_index",
    "embed_hash",
    "find_sources",
    "open_store",
    "parse_folder",
    "parse_markdown",
]
