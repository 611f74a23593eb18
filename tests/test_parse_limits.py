"""Parse limits that hold everywhere (issue 14, cases 10 and 12): the time limit in the app's
worker thread (SIGALRM reaches only the main thread), and lists nested deeper than markdown-it
follows reported with a count instead of vanishing."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

import index.files
from index import Skipped
from index.parse import parse_markdown

from .conftest import MakeLadder
from .fakes import HashingEmbedder


def test_the_parse_time_limit_holds_in_a_worker_thread(
    fixture_root: Path, make_ladder: MakeLadder, fake_embedder: HashingEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(3):  # three files of 1 MB of "[" took 85 s in the app before its first page
        (fixture_root / f"brackets-{n}.md").write_bytes((b"[" * 19_999 + b"\n") * 50)
    monkeypatch.setattr(index.files, "PARSE_SECONDS", 0.5)
    ladder = make_ladder(fixture_root, fake_embedder)
    out: dict[str, object] = {}

    def worker() -> None:  # what the app does: index away from the main thread
        started = time.monotonic()
        out["report"] = ladder.index()
        out["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert out["seconds"] < 6  # type: ignore[operator]
    reason = "took over 0.5 s to parse (pathological Markdown); skipped: simplify it"
    assert out["report"].skipped == [Skipped(f"brackets-{n}.md", reason) for n in range(3)]  # type: ignore[attr-defined]


def test_deep_nesting_is_reported_with_a_count() -> None:
    text = "# L3: Engineer\n\n## Delivery\n\n" + "".join("  " * i + f"- bullet number {i}\n" for i in range(200))
    doc = parse_markdown(text, "platform/L3-Engineer.md")
    assert len([c for c in doc.chunks if c.kind == "expectation"]) == 9
    assert doc.notes == ("191 bullet(s) nested more than 20 levels deep were left out; flatten the lists",)
    shallow = parse_markdown("# L3: Engineer\n\n## Delivery\n\n- one\n  - two\n    - three\n", "L3.md")
    assert shallow.notes == ()


def test_deep_nesting_reaches_the_index_report(
    fixture_root: Path, make_ladder: MakeLadder, fake_embedder: HashingEmbedder
) -> None:
    deep = "# L5: Deep Engineer\n\n## Delivery\n\n" + "".join("  " * i + f"- step {i} of the plan\n" for i in range(40))
    (fixture_root / "platform" / "L5-Deep-Engineer.md").write_text(deep, "utf-8")
    report = make_ladder(fixture_root, fake_embedder).index()
    reason = "31 bullet(s) nested more than 20 levels deep were left out; flatten the lists"
    assert report.skipped == [Skipped("platform/L5-Deep-Engineer.md", reason)]
