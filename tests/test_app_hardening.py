"""The app under awkward frameworks (issue 14, cases 9 and 11): two role documents with the
same title, and another process writing the index while the app serves it."""

from __future__ import annotations

import fcntl
import shutil
from pathlib import Path

from assistant import views

from .test_app import L2_DOC, app, assert_clean, cards, plain  # noqa: F401 - ``app`` is a fixture

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


def test_search_keeps_serving_the_current_index_while_another_process_writes(  # noqa: F811
    app, fixture_root: Path, tmp_path: Path
):
    first = app(q="document every change")
    assert_clean(first)
    role = fixture_root / L2_DOC
    role.write_text(role.read_text("utf-8") + "\n- I keep the release notes current.\n", "utf-8")
    # another process's `ladder index` holding the writer lock (flock: a separate open file conflicts)
    with open(tmp_path / "store" / "ladder-write.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        lock.seek(0)
        lock.truncate()
        lock.write("pid 424242")
        lock.flush()
        at = app(q="document every change")
    assert not at.exception and not at.error
    assert [plain(i.value) for i in at.info][:1] == [
        "Another ladder index is writing (pid 424242); showing the current index until it finishes."]
    assert cards(at) and cards(at) == cards(first)
