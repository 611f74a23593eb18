"""The app under awkward frameworks (issue 14, cases 9 and 11): two role documents with the
same title, and another process writing the index while the app serves it."""

from __future__ import annotations

import shutil
from pathlib import Path

from assistant import views

from .test_app import L2_DOC, app, assert_clean  # noqa: F401 - ``app`` is a fixture

__all__ = ["app"]


def test_fit_works_when_two_documents_share_a_title(app, fixture_root: Path):  # noqa: F811
    draft = fixture_root / "platform" / "L2-Platform-Engineer-draft.md"
    shutil.copy(fixture_root / L2_DOC, draft)  # same "# L2: Platform Engineer" title
    at = app(page="Fit", text=views.EXAMPLE_SELF_REVIEW)
    assert_clean(at)
    grid = at.dataframe[0].value
    assert list(grid.columns) == [
        "L2 Platform Engineer (L2-Platform-Engineer-draft.md)", "L2 Platform Engineer (L2-Platform-Engineer.md)",
        "L3", "L4",
    ]
    options = at.selectbox(key="evidence_for").options
    assert len(options) == len(set(options)) == 5
    assert "L2 Platform Engineer (L2-Platform-Engineer-draft.md)" in options
