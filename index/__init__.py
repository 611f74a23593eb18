"""Ladder's indexing pipeline: Markdown files -> chunks -> embeddings -> a Chroma generation."""

from .build import IndexReport, build_index, embed_hash, parse_folder
from .changes import Bullet, FrameworkChanges, Reworded, SectionChanges, framework_changes
from .documents import KINDS, Chunk, RoleDoc, Skipped
from .embed import DEFAULT_MODEL, Embedder, SentenceTransformerEmbedder
from .errors import (
    IndexBusyError,
    IndexingError,
    IndexNotBuiltError,
    LadderError,
    ModelError,
    QueryError,
    StoreAccessError,
    StoreError,
)
from .files import find_sources
from .git import GitSource, git_checkout, is_git_url, web_link
from .health import StoreHealth, check_store, recover_store
from .parse import ATTRIBUTE_LABELS, PARSER_VERSION, parse_markdown
from .store import Hit, VectorStore, open_store

__all__ = [
    "ATTRIBUTE_LABELS",
    "DEFAULT_MODEL",
    "KINDS",
    "PARSER_VERSION",
    "Bullet",
    "Chunk",
    "Embedder",
    "FrameworkChanges",
    "GitSource",
    "Hit",
    "IndexBusyError",
    "IndexNotBuiltError",
    "IndexReport",
    "IndexingError",
    "LadderError",
    "ModelError",
    "QueryError",
    "Reworded",
    "RoleDoc",
    "SectionChanges",
    "SentenceTransformerEmbedder",
    "Skipped",
    "StoreAccessError",
    "StoreError",
    "StoreHealth",
    "VectorStore",
    "build_index",
    "check_store",
    "embed_hash",
    "find_sources",
    "framework_changes",
    "git_checkout",
    "is_git_url",
    "open_store",
    "parse_folder",
    "parse_markdown",
    "recover_store",
    "web_link",
]
