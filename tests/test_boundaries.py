"""The shape of the code: modules small enough to read (STYLE.md: split before ~400 lines),
the app reaching the index only through ``assistant``, and chromadb behind one module."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import REPO

LIMIT = 400
#: Modules allowed over the limit (none now). This list may only shrink: once a module is under
#: the limit, its name must leave the list (the second test says so).
KNOWN_EXCEPTIONS: set[str] = set()


def _modules() -> list[Path]:
    return sorted([
        *REPO.glob("index/**/*.py"), *REPO.glob("assistant/**/*.py"), *REPO.glob("app_pages/*.py"),
        REPO / "streamlit_app.py",
    ])


def _lines(path: Path) -> int:
    return len(path.read_text("utf-8").splitlines())


def _name(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


def _imported_modules(path: Path) -> set[str]:
    """Absolute module names ``path`` imports (``from x import y`` and ``import x``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_no_module_is_over_the_limit_but_the_known_exceptions() -> None:
    over = {_name(p): _lines(p) for p in _modules() if _lines(p) > LIMIT and _name(p) not in KNOWN_EXCEPTIONS}
    assert over == {}


def test_the_known_exceptions_only_shrink() -> None:
    still_over = {name for name in KNOWN_EXCEPTIONS if (REPO / name).is_file() and _lines(REPO / name) > LIMIT}
    assert still_over == KNOWN_EXCEPTIONS  # a module now under the limit (or gone): take it off the list


def test_the_app_imports_nothing_from_index() -> None:
    app = [
        REPO / "streamlit_app.py",
        *sorted((REPO / "app_pages").glob("*.py")),
        *sorted((REPO / "assistant" / "views").glob("*.py")),
    ]
    reaching = {
        _name(p): sorted(m for m in _imported_modules(p) if m == "index" or m.startswith("index."))
        for p in app
    }
    assert {name: mods for name, mods in reaching.items() if mods} == {}


def test_only_the_store_imports_chromadb() -> None:
    importers = {
        _name(p) for p in _modules()
        if any(m == "chromadb" or m.startswith("chromadb.") for m in _imported_modules(p))
    }
    assert importers == {"index/store.py"}
