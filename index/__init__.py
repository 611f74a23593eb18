"""Ladder's indexing pipeline: Markdown files -> chunks -> embeddings -> a Chroma generation.

``__all__`` is what the other packages (``assistant``, the app) use, and nothing more
(tests/test_public_api.py pins it); everything else is internal to ``index``.
"""

from .build import IndexReport, Progress, build_index, parse_folder
from .changes import Commit, FrameworkChanges, Reworded, SectionChanges, framework_changes, framework_history
from .diff import REWORDED_AT, Bullet, Pair, bullet_key, diff_bullets, similarity, words
from .documents import Chunk, RoleDoc, Skipped, level_label
from .embed import DEFAULT_MODEL, Embedder
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
from .files import find_sources, folder_fingerprint
from .git import GitSource, git_checkout, is_git_url, web_link
from .health import StoreHealth, check_store, recover_store
from .inline import plain_text, token_text
from .jsonable import to_json
from .parse import ATTRIBUTE_LABELS
from .record import IndexRecord
from .store import VectorStore, open_store

__all__ = [
    "ATTRIBUTE_LABELS",
    "DEFAULT_MODEL",
    "REWORDED_AT",
    "Bullet",
    "Chunk",
    "Commit",
    "Embedder",
    "FrameworkChanges",
    "GitSource",
    "IndexBusyError",
    "IndexNotBuiltError",
    "IndexRecord",
    "IndexReport",
    "IndexingError",
    "LadderError",
    "ModelError",
    "Pair",
    "Progress",
    "QueryError",
    "Reworded",
    "RoleDoc",
    "SectionChanges",
    "Skipped",
    "StoreAccessError",
    "StoreError",
    "StoreHealth",
    "VectorStore",
    "build_index",
    "bullet_key",
    "check_store",
    "diff_bullets",
    "find_sources",
    "folder_fingerprint",
    "framework_changes",
    "framework_history",
    "git_checkout",
    "is_git_url",
    "level_label",
    "open_store",
    "parse_folder",
    "plain_text",
    "recover_store",
    "similarity",
    "to_json",
    "token_text",
    "web_link",
    "words",
]
