"""Bad input: each gets a one-line message naming the thing and what to do; good files are still indexed.

Logic only, so the fake embedder stands in for the model; the store is a real Chroma under tmp_path.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import index.files
from assistant import Ladder, build_ladder
from assistant.cli import main
from index import IndexingError, Skipped, VectorStore

from .conftest import REPO, MakeLadder, Processes
from .fakes import HashingEmbedder

#: What the fixture framework yields when nothing is wrong.
GOOD_FILES = [
    "README.md",
    "data/L3-Senior-Data-Engineer.md",
    "platform/L2-Platform-Engineer.md",
    "platform/L3-Senior-Platform-Engineer.md",
    "platform/L4-Platform-Technical-Lead.md",
]
GOOD_CHUNKS = 66
#: Distinct texts among them: "I document every change I make in the team wiki." is in three roles.
GOOD_TEXTS = 62

EMPTY = "empty file; skipped: add text or delete it"
BINARY = "binary content, not Markdown; skipped: delete it or rename it without .md"
OUTSIDE = "link points outside the framework folder; not followed: copy the file into the folder"
LOOP = "broken or looping link; skipped: fix or delete the link"
NOT_REGULAR = "not a regular file (device, pipe or socket); not read: replace it with a Markdown file"


def too_big(size: int) -> str:
    return f"file is {size:,} bytes, over the 1,000,000-byte limit; skipped: split it into smaller files"


def _empty(root: Path) -> None:
    (root / "empty.md").write_bytes(b"")


def _blank(root: Path) -> None:
    (root / "platform" / "blank.md").write_text("\n  \n\t\n", "utf-8")


def _nul_bytes(root: Path) -> None:
    (root / "junk.md").write_bytes(bytes(range(256)) * 8)


def _high_bytes(root: Path) -> None:
    (root / "junk.md").write_bytes(bytes(range(128, 256)) * 16)  # no NUL, not UTF-8 either


def _too_big(root: Path) -> None:
    (root / "huge.md").write_bytes(b"- a bullet\n" * 100_000)


def _one_mib_of_brackets(root: Path) -> None:
    (root / "brackets.md").write_bytes(b"[" * 1_048_576)


def _megabyte_line(root: Path) -> None:
    (root / "long.md").write_text("- " + "word " * 199_000 + "\n", "utf-8")


def _looping_links(root: Path) -> None:
    os.symlink("b.md", root / "a.md")
    os.symlink("a.md", root / "b.md")


def _broken_link(root: Path) -> None:
    os.symlink("nowhere.md", root / "gone.md")


def _link_outside(root: Path) -> None:
    os.symlink("/etc/passwd", root / "passwd.md")


def _link_to_device(root: Path) -> None:
    os.symlink("/dev/zero", root / "zero.md")


def _link_to_folder(root: Path) -> None:
    os.symlink(root / "platform", root / "again")


def _named_pipe(root: Path) -> None:
    os.mkfifo(root / "pipe.md")


def _nothing_to_index(root: Path) -> None:
    (root / "L5-Placeholder.md").write_text("# L5: Placeholder\n\n## Domain\n\n- ?\n- TBD\n", "utf-8")


BAD_FILES = [
    # (make, skipped as (path, reason), tracked: the file is recorded so editing it re-indexes)
    pytest.param(_empty, [("empty.md", EMPTY)], False, id="empty file"),
    pytest.param(_blank, [("platform/blank.md", EMPTY)], False, id="whitespace only"),
    pytest.param(_nul_bytes, [("junk.md", BINARY)], False, id="binary junk with NUL bytes"),
    pytest.param(_high_bytes, [("junk.md", BINARY)], True, id="binary junk without NUL bytes"),
    pytest.param(_too_big, [("huge.md", too_big(1_100_000))], False, id="over the size limit"),
    pytest.param(_one_mib_of_brackets, [("brackets.md", too_big(1_048_576))], False, id="1 MiB of ["),
    pytest.param(
        _megabyte_line,
        [("long.md", "line 1 is over 20,000 characters; skipped: break the line up")],
        True,
        id="a line of a megabyte",
    ),
    pytest.param(_looping_links, [("a.md", LOOP), ("b.md", LOOP)], False, id="symlink loop"),
    pytest.param(_broken_link, [("gone.md", LOOP)], False, id="broken symlink"),
    pytest.param(_link_outside, [("passwd.md", OUTSIDE)], False, id="symlink to /etc/passwd"),
    pytest.param(_link_to_device, [("zero.md", OUTSIDE)], False, id="symlink to /dev/zero"),
    pytest.param(
        _link_to_folder,
        [("again", "link to a folder; not followed: give that folder as another PATH")],
        False,
        id="symlink to a folder",
    ),
    pytest.param(_named_pipe, [("pipe.md", NOT_REGULAR)], False, id="named pipe"),
    pytest.param(
        _nothing_to_index,
        [("L5-Placeholder.md", "no text to index (only headings or placeholders); add bullets")],
        True,
        id="only placeholders",
    ),
]


@pytest.mark.parametrize(("make", "skipped", "tracked"), BAD_FILES)
def test_bad_file_is_reported_and_good_files_are_still_indexed(
    fixture_root: Path,
    make_ladder: MakeLadder,
    fake_embedder: HashingEmbedder,
    make: Callable[[Path], None],
    skipped: list[tuple[str, str]],
    tracked: bool,
) -> None:
    make(fixture_root)
    report = make_ladder(fixture_root, fake_embedder).index()
    assert [(s.path, s.reason) for s in report.skipped] == skipped
    assert report.added == sorted(GOOD_FILES + ([skipped[0][0]] if tracked else []))
    assert (report.chunks, report.embedded, report.published) == (GOOD_CHUNKS, GOOD_TEXTS, True)


def test_invalid_utf8_is_decoded_with_replacement_and_reported(
    fixture_root: Path, make_ladder: MakeLadder, fake_embedder: HashingEmbedder
) -> None:
    (fixture_root / "L2-Latin.md").write_bytes(b"# L2: Latin One\n\n- I drink caf\xe9 au lait.\n")
    ladder = make_ladder(fixture_root, fake_embedder)
    report = ladder.index()
    assert report.skipped == [
        Skipped("L2-Latin.md", "not valid UTF-8 at byte 30; indexed with replacement characters: save it as UTF-8")
    ]
    assert report.chunks == GOOD_CHUNKS + 1
    latin = [c for c in ladder.chunks() if c.path == "L2-Latin.md"]
    assert [(c.level, c.role, c.plain) for c in latin] == [("L2", "Latin One", "I drink caf\ufffd au lait.")]


def test_utf8_with_bom_just_works(fixture_root: Path, make_ladder: MakeLadder, fake_embedder: HashingEmbedder) -> None:
    (fixture_root / "L2-Bom.md").write_bytes("\ufeff# L2: Byte Order Mark\n\n- I write résumés.\n".encode())
    ladder = make_ladder(fixture_root, fake_embedder)
    report = ladder.index()
    assert report.skipped == []
    bom = [c for c in ladder.chunks() if c.path == "L2-Bom.md"]
    assert [(c.level, c.role, c.line, c.plain) for c in bom] == [("L2", "Byte Order Mark", 3, "I write résumés.")]


def test_a_link_to_a_file_inside_the_folder_is_followed(
    fixture_root: Path, make_ladder: MakeLadder, fake_embedder: HashingEmbedder
) -> None:
    os.symlink("data/L3-Senior-Data-Engineer.md", fixture_root / "L3-Alias.md")
    report = make_ladder(fixture_root, fake_embedder).index()
    assert report.skipped == []
    assert report.added == sorted([*GOOD_FILES, "L3-Alias.md"])
    assert report.chunks == GOOD_CHUNKS + 7


def test_files_outside_the_folder_are_never_opened(
    fixture_root: Path, make_ladder: MakeLadder, fake_embedder: HashingEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    _link_outside(fixture_root)
    _link_to_device(fixture_root)
    opened: list[str] = []
    real_open = os.open

    def spy(path: str | os.PathLike[str], flags: int, *args: int, **kwargs: int) -> int:
        opened.append(os.path.realpath(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy)
    report = make_ladder(fixture_root, fake_embedder).index()
    assert report.chunks == GOOD_CHUNKS
    root = str(fixture_root.resolve())
    read = sorted(p for p in opened if p.endswith(".md"))
    assert read == sorted(str(fixture_root.resolve() / f) for f in GOOD_FILES)
    assert [p for p in opened if p in ("/etc/passwd", "/dev/zero") or p.startswith("/etc/")] == []
    assert all(p.startswith(root) for p in read)


def test_pathological_markdown_is_bounded_in_time(
    fixture_root: Path, make_ladder: MakeLadder, fake_embedder: HashingEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Exactly 1,000,000 bytes of "[", in lines short enough to pass the line cap: only the time
    # limit stops it (this takes minutes to parse unbounded).
    (fixture_root / "brackets.md").write_bytes((b"[" * 19_999 + b"\n") * 50)
    monkeypatch.setattr(index.files, "PARSE_SECONDS", 0.5)
    started = time.monotonic()
    report = make_ladder(fixture_root, fake_embedder).index()
    assert time.monotonic() - started < 5
    assert report.skipped == [
        Skipped("brackets.md", "took over 0.5 s to parse (pathological Markdown); skipped: simplify it")
    ]
    assert report.chunks == GOOD_CHUNKS


def test_a_named_pipe_does_not_hang_the_command(fixture_root: Path, tmp_path: Path, processes: Processes) -> None:
    _named_pipe(fixture_root)
    (fixture_root / "platform" / "fifo").mkdir()
    os.mkfifo(fixture_root / "platform" / "fifo" / "L9-Pipe")  # no extension: must not be sniffed either
    done = processes.run(
        [sys.executable, "-m", "assistant", "--store", str(tmp_path / "store"), "parse", str(fixture_root)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert done.returncode == 0
    assert done.stderr.splitlines() == [
        f"warning: pipe.md: {NOT_REGULAR}",
        f"warning: platform/fifo/L9-Pipe: {NOT_REGULAR}",
    ]
    assert len(done.stdout.splitlines()) == len(GOOD_FILES)


# -- the folder itself is unusable: exit code 1, one line, nothing written -------------------


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def fake_cli(monkeypatch: pytest.MonkeyPatch) -> HashingEmbedder:
    """Make the ``ladder`` command use the fake embedder (the model is not the point here)."""
    embedder = HashingEmbedder()
    monkeypatch.setattr("assistant.cli.build_ladder", lambda settings: build_ladder(settings, embedder=embedder))
    return embedder


def test_missing_path(tmp_path: Path, capsys: pytest.CaptureFixture[str], fake_cli: HashingEmbedder) -> None:
    missing = tmp_path / "no-such-framework"
    code, out, err = run(["--store", str(tmp_path / "store"), "index", str(missing)], capsys)
    assert (code, out) == (1, "")
    assert err == f"ladder: error: {missing}: no such folder; give the folder of your role documents\n"


def test_file_instead_of_folder(
    fixture_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fake_cli: HashingEmbedder
) -> None:
    file = fixture_root / "README.md"
    code, out, err = run(["--store", str(tmp_path / "store"), "index", str(file)], capsys)
    assert (code, out) == (1, "")
    assert err == f"ladder: error: {file}: is a file, not a folder; give the folder that holds it\n"


def test_folder_without_markdown(tmp_path: Path, capsys: pytest.CaptureFixture[str], fake_cli: HashingEmbedder) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "notes.txt").write_text("plain prose, not Markdown\n", "utf-8")
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n")
    code, out, err = run(["--store", str(tmp_path / "store"), "index", str(folder)], capsys)
    assert (code, out) == (1, "")
    assert err == f"ladder: error: {folder}: no Markdown files found; point at a folder of .md files\n"


def test_folder_of_only_unreadable_markdown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fake_cli: HashingEmbedder
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    _empty(folder)
    _nul_bytes(folder)
    code, out, err = run(["--store", str(tmp_path / "store"), "index", str(folder)], capsys)
    assert (code, out) == (1, "")
    assert err == f"ladder: error: {folder}: no readable Markdown file; empty.md: {EMPTY} (and 1 more)\n"


def test_folder_with_nothing_but_placeholders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fake_cli: HashingEmbedder
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    _nothing_to_index(folder)
    code, out, err = run(["--store", str(tmp_path / "store"), "index", str(folder)], capsys)
    assert (code, out) == (1, "")
    assert err == f"ladder: error: {folder}: no indexable text found (1 file(s) skipped); see: ladder parse PATH\n"


def test_unwritable_store_path(
    fixture_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fake_cli: HashingEmbedder
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", "utf-8")
    store = blocker / "store"
    code, out, err = run(["--store", str(store), "index", str(fixture_root)], capsys)
    assert (code, out) == (1, "")
    assert err == f"ladder: error: store path {store}: not writable (Not a directory); choose another with --store\n"


def test_model_path_that_does_not_exist(fixture_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = tmp_path / "models" / "minilm"
    code, out, err = run(
        ["--store", str(tmp_path / "store"), "--model", str(model), "index", str(fixture_root)], capsys
    )
    assert (code, out) == (1, "")
    assert err == f"ladder: error: model path {model}: no such folder; give a sentence-transformers folder\n"


def test_bad_files_are_warnings_on_the_command_line(
    fixture_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fake_cli: HashingEmbedder
) -> None:
    for make in (_empty, _nul_bytes, _link_outside, _named_pipe):
        make(fixture_root)
    code, out, err = run(["--store", str(tmp_path / "store"), "index", str(fixture_root)], capsys)
    assert code == 0
    assert err.splitlines() == [
        f"warning: empty.md: {EMPTY}",
        f"warning: junk.md: {BINARY}",
        f"warning: passwd.md: {OUTSIDE}",
        f"warning: pipe.md: {NOT_REGULAR}",
    ]
    assert out.startswith("Indexed 66 chunks in ")
    assert out.endswith(" s: 5 added, 0 updated, 0 unchanged, 0 removed, 4 warnings; embedded 62, reused 0.\n")


# -- a failing run leaves the previous index as it was --------------------------------------


class _Snapshot:
    """What a reader sees of an index: the published state and a query's answer."""

    def __init__(self, ladder: Ladder, embedder: HashingEmbedder):
        store = ladder.store
        self.state = store.state()
        vector = embedder.embed_query("I run the deployment pipeline and the clusters")
        self.hits = [(h.chunk.id, round(h.similarity, 5)) for h in store.query(vector, 5)]
        self.chunks = sorted(c.id for c in store.all_chunks())


def _built(fixture_root: Path, make_ladder: MakeLadder, embedder: HashingEmbedder) -> tuple[Ladder, _Snapshot]:
    ladder = make_ladder(fixture_root, embedder)
    assert ladder.index().published
    before = _Snapshot(ladder, embedder)
    assert before.hits and len(before.chunks) == GOOD_CHUNKS
    return ladder, before


def _assert_untouched(ladder: Ladder, embedder: HashingEmbedder, before: _Snapshot) -> None:
    after = _Snapshot(ladder, embedder)
    assert after.state == before.state
    assert after.hits == before.hits
    assert after.chunks == before.chunks
    assert ladder.store.drop_unpublished() == []  # no half-written generation left behind


def test_failing_runs_leave_the_previous_index_untouched(
    fixture_root: Path, tmp_path: Path, make_ladder: MakeLadder, fake_embedder: HashingEmbedder
) -> None:
    ladder, before = _built(fixture_root, make_ladder, fake_embedder)
    with pytest.raises(IndexingError, match="no such folder"):
        ladder.index([tmp_path / "missing"])
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(IndexingError, match="no Markdown files found"):
        ladder.index([empty])
    _assert_untouched(ladder, fake_embedder, before)


class _BrokenEmbedder(HashingEmbedder):
    def embed_documents(self, texts: list[str]) -> np.ndarray:
        raise RuntimeError("the model fell over")


def test_a_model_failure_leaves_the_previous_index_untouched(
    fixture_root: Path, make_ladder: MakeLadder, fake_embedder: HashingEmbedder
) -> None:
    ladder, before = _built(fixture_root, make_ladder, fake_embedder)
    (fixture_root / "platform" / "L2-Platform-Engineer.md").write_text("# L2: Changed\n\n- A new bullet.\n", "utf-8")
    broken = build_ladder(ladder.settings, embedder=_BrokenEmbedder(), store=ladder.store)
    with pytest.raises(RuntimeError, match="the model fell over"):
        broken.index()
    _assert_untouched(ladder, fake_embedder, before)


@pytest.mark.parametrize("error", [RuntimeError("disk full"), KeyboardInterrupt()], ids=["exception", "ctrl-c"])
def test_an_interrupted_write_leaves_the_previous_index_untouched(
    fixture_root: Path,
    make_ladder: MakeLadder,
    fake_embedder: HashingEmbedder,
    monkeypatch: pytest.MonkeyPatch,
    error: BaseException,
) -> None:
    ladder, before = _built(fixture_root, make_ladder, fake_embedder)
    (fixture_root / "platform" / "L2-Platform-Engineer.md").write_text("# L2: Changed\n\n- A new bullet.\n", "utf-8")
    real_add = VectorStore.add
    written: list[str] = []

    def half_then_fail(self: VectorStore, name: str, chunks: list, vectors: np.ndarray, hashes: list[str]) -> None:
        real_add(self, name, chunks[:10], vectors[:10], hashes[:10])
        written.append(name)
        raise error

    monkeypatch.setattr(VectorStore, "add", half_then_fail)
    with pytest.raises(type(error)):
        ladder.index()
    assert len(written) == 1  # a new generation was half written, then dropped
    monkeypatch.undo()
    _assert_untouched(ladder, fake_embedder, before)
    report = ladder.index()  # and the next run completes
    assert (report.published, report.updated, report.chunks) == (True, ["platform/L2-Platform-Engineer.md"], 55)


def test_a_folder_that_is_not_a_model_fails_cleanly_and_keeps_the_index(
    fixture_root: Path,
    tmp_path: Path,
    make_ladder: MakeLadder,
    fake_embedder: HashingEmbedder,
    capsys: pytest.CaptureFixture[str],
    model_library: None,
) -> None:
    ladder, before = _built(fixture_root, make_ladder, fake_embedder)
    not_a_model = tmp_path / "empty-model"
    not_a_model.mkdir()
    argv = ["--store", str(ladder.settings.store), "--model", str(not_a_model), "index", str(fixture_root)]
    code, out, err = run(argv, capsys)
    assert (code, out) == (1, "")
    assert err.startswith(f"ladder: error: model '{not_a_model}' could not be loaded (")
    assert err.endswith("); give a local sentence-transformers folder or the default all-MiniLM-L6-v2\n")
    assert err.count("\n") == 1
    _assert_untouched(ladder, fake_embedder, before)
