"""The drawn public surface: ``assistant.__all__`` (what users and the app need) and
``index.__all__`` (only what other packages use). Changing either is a decision: update here."""

from __future__ import annotations

import ast

import assistant
import index

from .conftest import REPO

ASSISTANT_API = [
    "Answer", "AttributeRow", "Band", "Bullet", "Chunk", "Citation", "Commit", "Comparison", "DimensionDiff",
    "Embedder",
    "Filters", "FitReport",
    "FrameworkChanges", "Gap", "IgnoredLine", "IndexBusyError", "IndexNotBuiltError", "IndexRecord", "IndexReport",
    "IndexingError", "Inherited",
    "Ladder",
    "LadderError", "LevelScore", "ModelError", "Pair", "QueryError", "Reworded", "RoleFit", "SearchResponse",
    "SearchResult", "SectionChanges", "Settings", "StatementMatch", "Status", "StoreAccessError", "StoreError",
    "StoreHealth", "TrackCall",
    "build_ladder",
    "web_link",
]
INDEX_API = [
    "ATTRIBUTE_LABELS", "DEFAULT_MODEL", "REWORDED_AT", "Bullet", "Chunk", "Commit", "Embedder", "FrameworkChanges",
    "GitSource", "IndexBusyError", "IndexNotBuiltError", "IndexRecord", "IndexReport", "IndexingError", "LadderError",
    "ModelError", "Pair", "Progress", "QueryError", "Reworded", "RoleDoc", "SectionChanges", "Skipped",
    "StoreAccessError",
    "StoreError",
    "StoreHealth",
    "VectorStore", "build_index", "bullet_key", "check_store", "diff_bullets", "find_sources",
    "folder_fingerprint", "framework_changes",
    "framework_history", "git_checkout", "is_git_url", "level_label", "open_store", "parse_folder", "plain_text",
    "recover_store",
    "similarity", "to_json", "token_text", "web_link",
    "words",
]


def test_the_public_lists_are_pinned_and_every_name_exists() -> None:
    assert assistant.__all__ == ASSISTANT_API
    assert index.__all__ == INDEX_API
    assert [n for n in ASSISTANT_API if not hasattr(assistant, n)] == []
    assert [n for n in INDEX_API if not hasattr(index, n)] == []


def test_every_error_is_a_ladder_error() -> None:
    errors = [getattr(assistant, n) for n in ASSISTANT_API if n.endswith("Error")]
    assert len(errors) == 8
    assert all(issubclass(e, assistant.LadderError) for e in errors)


def _index_names_used_by_other_packages() -> set[str]:
    used: set[str] = set()
    for path in [*(REPO / "assistant").rglob("*.py"), REPO / "streamlit_app.py"]:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == "index":
                used.update(a.name for a in node.names)
    return used


def test_index_exports_only_what_other_packages_import() -> None:
    # (index.embed.LazyEmbedder is imported by path on purpose: tests/shim swaps it there.)
    assert _index_names_used_by_other_packages() == set(INDEX_API)
