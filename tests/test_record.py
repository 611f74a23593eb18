"""index.record: the typed index record a generation is published with."""

from __future__ import annotations

import json
from pathlib import Path

from index import IndexRecord, VectorStore
from index.parse import PARSER_VERSION
from index.record import FileRecord

from .conftest import FIXTURE_FILES, MakeLadder
from .fakes import HashingEmbedder


def test_what_an_index_run_publishes_reads_back_as_the_same_record(
    fixture_root: Path, make_ladder: MakeLadder, fake_embedder: HashingEmbedder
) -> None:
    ladder = make_ladder(fixture_root, fake_embedder)
    report = ladder.index()
    store: VectorStore = ladder.store
    raw = store.state()
    assert raw is not None
    record = IndexRecord.from_dict(raw)

    assert record.to_dict() == raw
    assert json.loads(json.dumps(record.to_dict())) == raw
    assert ladder.record() == record
    assert (record.model, record.dimension, record.parser_version) == ("test-hashing", 256, PARSER_VERSION)
    assert record.roots == (str(fixture_root.resolve()),)
    assert (record.chunks, record.documents, sorted(record.files)) == (report.chunks, 5, FIXTURE_FILES)
    assert sum(f.chunks for f in record.files.values()) == report.chunks
    l2 = record.files["platform/L2-Platform-Engineer.md"]
    assert l2.abspath == str(fixture_root / "platform" / "L2-Platform-Engineer.md")
    assert len(l2.hash) == 64
    assert record.collection and record.source == {} and "source" not in raw


def test_a_record_from_an_older_version_reads_with_empty_values() -> None:
    old = {"collection": "ladder_1", "model": "m", "files": {"a.md": {"hash": "h", "abspath": "/x/a.md"}}}
    record = IndexRecord.from_dict(old)
    assert record == IndexRecord(
        collection="ladder_1", model="m", dimension=0, parser_version="", roots=(), built_at=0.0, chunks=0,
        files={"a.md": FileRecord("h", 0, "/x/a.md")},
    )
    assert record.to_dict()["notes"] == [] and "source" not in record.to_dict()


def test_a_git_source_round_trips() -> None:
    source = {"url": "https://h/o/r.git", "ref": "main", "commit": "c" * 40, "subdir": "", "web": "https://h/o/r"}
    record = IndexRecord("g", "m", 3, "5", ("/r",), 1.5, 2, {}, notes=(("x.md", "empty"),), source=source)
    data = record.to_dict()
    assert data["source"] == source and data["notes"] == [["x.md", "empty"]]
    assert IndexRecord.from_dict(json.loads(json.dumps(data))) == record
