"""What an installed Ladder holds: every package of the source tree is listed for setuptools
(an editable install finds unlisted ones; a wheel, and so ``pip install .``, leaves them out)."""

from __future__ import annotations

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_every_package_of_the_tree_is_listed_in_pyproject() -> None:
    listed = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    found = sorted(
        ".".join(init.parent.relative_to(REPO).parts)
        for top in ("index", "assistant")
        for init in (REPO / top).rglob("__init__.py")
    )
    assert sorted(listed) == found
