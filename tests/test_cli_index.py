"""The ``ladder`` command for indexing and inspection: help, parse, status, index, exit codes.

Commands run in-process through ``assistant.cli.main`` (the console script's entry point) with
the store under tmp_path; the few that must be a real process (``python -m assistant``, the
installed ``ladder`` script, what a command imports) run as subprocesses.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant import build_ladder
from assistant.cli import cli, main
from index import Chunk

from .conftest import FIXTURE, FIXTURE_FILES, REPO, Processes
from .fakes import HashingEmbedder

FIXTURE_KINDS = {"summary": 4, "attribute": 15, "expectation": 23, "example": 8, "overview": 16}
FIXTURE_LEVELS = {"-": 16, "L2": 12, "L3": 21, "L4": 17}


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``LADDER_STORE`` under tmp_path; ``ladder`` commands use the fake embedder."""
    path = tmp_path / "store"
    monkeypatch.setenv("LADDER_STORE", str(path))
    for name in ("LADDER_MODEL", "LADDER_ROLES", "LADDER_CHROMA_URL", "LADDER_CHROMA_DATABASE"):
        monkeypatch.delenv(name, raising=False)
    embedder = HashingEmbedder()
    monkeypatch.setattr("assistant.cli.build_ladder", lambda settings: build_ladder(settings, embedder=embedder))
    return path


# -- help -------------------------------------------------------------------------------------


def test_ladder_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["--help"], capsys)
    assert (code, err) == (0, "")
    assert out.startswith("Usage: ladder [OPTIONS] COMMAND [ARGS]...\n\n  Ladder: which level of your career framework")
    commands = out.split("Commands:\n", 1)[1]
    listed = [line.split()[0] for line in commands.splitlines() if line.startswith("  ")]
    assert listed == sorted(cli.commands)
    assert {"index", "parse", "status"} <= set(listed)
    for option in ("--store PATH", "--model TEXT", "env LADDER_STORE", "env LADDER_MODEL", "--version"):
        assert option in out


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help_with_an_example_and_json(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([command, "--help"], capsys)
    assert (code, err) == (0, "")
    assert out.startswith(f"Usage: ladder {command} [OPTIONS]")
    summary = out.split("\n\n")[1].strip()
    assert len(summary) > 20 and summary.endswith((".", ":")), summary
    assert f"\n  Example:\n    ladder {command}" in out
    assert "--json" in out


def test_python_dash_m_and_the_console_script_agree(processes: Processes) -> None:
    module = processes.run(
        [sys.executable, "-m", "assistant", "--help"], capture_output=True, text=True, timeout=60, cwd=REPO
    )
    script = processes.run(
        [str(Path(sys.executable).parent / "ladder"), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert (module.returncode, script.returncode) == (0, 0)
    assert module.stdout == script.stdout
    assert module.stdout.startswith("Usage: ladder [OPTIONS] COMMAND [ARGS]...")
    version = processes.run(
        [sys.executable, "-m", "assistant", "--version"], capture_output=True, text=True, timeout=60
    )
    assert version.stdout == "ladder, version 0.1.0\n"


@pytest.mark.parametrize("argv", [["--help"], ["parse", "FIXTURE"], ["status", "--json"]])
def test_inspection_commands_do_not_load_the_model(argv: list[str], tmp_path: Path, processes: Processes) -> None:
    argv = [str(FIXTURE) if a == "FIXTURE" else a for a in argv]
    code = (
        "import sys\n"
        "from assistant.cli import main\n"
        f"code = main({argv!r})\n"
        "heavy = sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules)\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    env = {**os.environ, "LADDER_STORE": str(tmp_path / "store")}
    done = processes.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[-1] == "HEAVY []"


# -- parse ------------------------------------------------------------------------------------


def test_parse_json_lines_carry_every_chunk_field(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["parse", str(FIXTURE), "--json"], capsys)
    assert (code, err) == (0, "")
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 66
    fields = [f.name for f in dataclasses.fields(Chunk)]
    assert all(list(row) == fields for row in rows)
    assert rows[0] == {
        "id": "dec5a5d1a0ab7d2f556d",
        "text": "We build the internal platform other teams ship on. We have two tracks: Platform Engineers and "
        "Data Engineers.",
        "plain": "We build the internal platform other teams ship on. We have two tracks: Platform Engineers and "
        "Data Engineers.",
        "kind": "overview",
        "level": "",
        "level_num": -1.0,
        "role": "Platform Roles",
        "track": "Framework",
        "dimension": "",
        "path": "README.md",
        "line": 3,
        "key": "",
        "context": "",
        "title": "Platform Roles",
        "inherits": "",
    }
    assert Chunk(**rows[10]).to_json() == rows[10]
    assert sorted({row["path"] for row in rows}) == FIXTURE_FILES
    assert not store.exists()  # parsing embeds and stores nothing


def test_parse_summary_per_file(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["parse", str(FIXTURE)], capsys)
    assert (code, err) == (0, "")
    dims = "dimensions: Domain Expertise, Teaching and Mentoring"
    assert out.splitlines() == [
        "README.md: Platform Roles [Framework] - 16 overview (overview)",
        "data/L3-Senior-Data-Engineer.md: L3 Senior Data Engineer [Data] - 1 summary, 3 attribute, 3 expectation "
        f"(one level per file; levels: L3 Senior Data Engineer; {dims})",
        "platform/L2-Platform-Engineer.md: L2 Platform Engineer [Platform] - "
        f"1 summary, 4 attribute, 5 expectation, 2 example (one level per file; levels: L2 Platform Engineer; {dims})",
        "platform/L3-Senior-Platform-Engineer.md: L3 Senior Platform Engineer [Platform] - "
        "1 summary, 4 attribute, 6 expectation, 3 example "
        f"(one level per file; levels: L3 Senior Platform Engineer; {dims})",
        "platform/L4-Platform-Technical-Lead.md: L4 Platform Technical Lead [Platform] - "
        "1 summary, 4 attribute, 9 expectation, 3 example "
        f"(one level per file; levels: L4 Platform Technical Lead; {dims})",
    ]


def test_parse_of_several_folders_prefixes_paths(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["parse", str(FIXTURE / "platform"), str(FIXTURE / "data"), "--json"], capsys)
    assert code == 0
    assert sorted({json.loads(line)["path"] for line in out.splitlines()}) == [
        "data/L3-Senior-Data-Engineer.md",
        "platform/L2-Platform-Engineer.md",
        "platform/L3-Senior-Platform-Engineer.md",
        "platform/L4-Platform-Technical-Lead.md",
    ]


# -- index and status -------------------------------------------------------------------------


def test_status_before_any_index(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["status", "--json"], capsys)
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "store": str(store),
        "model": "all-MiniLM-L6-v2",
        "built": False,
        "files": 0,
        "chunks": 0,
        "kinds": {},
        "levels": {},
        "roots": [],
        "stale": False,
        "changed": [],
        "added": [],
        "removed": [],
        "built_at": 0.0,
        "skipped": [],
        "source": {},
        "glossary": "",
    }
    code, out, _ = run(["status"], capsys)
    assert out == f"store:  {store}\nmodel:  all-MiniLM-L6-v2\nindex:  not built yet; run: ladder index PATH\n"


def test_store_and_model_options_override_the_environment(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LADDER_MODEL", "from-the-environment")
    _, out, _ = run(["status", "--json"], capsys)
    assert (json.loads(out)["store"], json.loads(out)["model"]) == (str(store), "from-the-environment")
    other = tmp_path / "other-store"
    _, out, _ = run(["--store", str(other), "--model", "from-the-option", "status", "--json"], capsys)
    assert (json.loads(out)["store"], json.loads(out)["model"]) == (str(other), "from-the-option")


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_global_options_are_listed_in_every_command_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([command, "--help"], capsys)
    assert code == 0
    out = " ".join(out.split())  # help text wraps at the terminal width
    for option in ("--store PATH", "--model TEXT", "--chroma-url TEXT", "env LADDER_STORE", "env LADDER_CHROMA_URL"):
        assert option in out


def test_global_options_work_before_or_after_the_command(
    store: Path, tmp_path: Path, fixture_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    after = tmp_path / "after"
    code, out, err = run(["index", str(fixture_root), "--store", str(after), "--json"], capsys)
    assert (code, err) == (0, "")
    assert len(json.loads(out)["added"]) == 5 and (after / "chroma.sqlite3").exists()
    assert not store.exists()  # LADDER_STORE was overridden
    for argv in (["--store", str(after), "status", "--json"], ["status", "--json", "--store", str(after)]):
        code, out, _ = run(argv, capsys)
        assert (code, json.loads(out)["store"], json.loads(out)["chunks"]) == (0, str(after), 66)
    # after the command wins over before it, as the later of two values
    _, out, _ = run(["--model", "before", "status", "--json", "--model", "later"], capsys)
    assert json.loads(out)["model"] == "later"
    code, out, _ = run(["search", "incident response", "-k", "1", "--json", "--store", str(after)], capsys)
    assert (code, json.loads(out)["results"][0]["path"]) == (0, "platform/L3-Senior-Platform-Engineer.md")


@pytest.mark.parametrize("command", ["status", "doctor"])
def test_read_only_commands_never_create_a_store(
    command: str, tmp_path: Path, store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-such-store"
    code, out, _ = run([command, "--store", str(missing)], capsys)
    assert code == 0
    assert out.splitlines()[-1] == (
        "index:  not built yet; run: ladder index PATH" if command == "status"
        else f"{missing}: no index yet; run: ladder index PATH"
    )
    assert not missing.exists()
    empty = tmp_path / "empty-store"
    empty.mkdir()
    assert run([command, "--json", "--store", str(empty)], capsys)[0] == 0
    assert list(empty.iterdir()) == []


def test_fit_rejects_binary_input_with_the_message_index_gives(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "framework"
    folder.mkdir()
    (folder / "junk.md").write_bytes(b"# L3: Junk\n\x00\x01\x02 binary\n")
    (folder / "L2-Engineer.md").write_text("# L2: Engineer\n\n## Delivery\n\n- I ship small changes.\n")
    _, _, err = run(["index", str(folder)], capsys)
    assert err == "warning: junk.md: binary content, not Markdown; skipped: delete it or rename it without .md\n"
    code, out, err = run(["fit", "--file", str(folder / "junk.md")], capsys)
    assert (code, out) == (2, "")
    assert err == f"ladder: error: {folder / 'junk.md'}: binary content, not Markdown; give a text or Markdown file\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"I lead\x00 things\n")))
    code, _, err = run(["fit", "--file", "-"], capsys)
    assert (code, err) == (2, "ladder: error: <stdin>: binary content, not Markdown; give a text or Markdown file\n")


def test_index_then_status(store: Path, fixture_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    started = time.time()
    code, out, err = run(["index", str(fixture_root), "--json"], capsys)
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report.pop("seconds") < 60
    assert report == {
        "added": FIXTURE_FILES,
        "updated": [],
        "unchanged": [],
        "removed": [],
        "skipped": [],
        "chunks": 66,
        "embedded": 62,
        "reused": 0,
        "rebuilt": "",
        "published": True,
    }
    code, out, err = run(["status", "--json"], capsys)
    assert (code, err) == (0, "")
    status = json.loads(out)
    assert started <= status.pop("built_at") <= time.time()
    assert status == {
        "store": str(store),
        "model": "test-hashing",
        "built": True,
        "files": 5,
        "chunks": 66,
        "kinds": FIXTURE_KINDS,
        "levels": FIXTURE_LEVELS,
        "roots": [str(fixture_root.resolve())],
        "stale": False,
        "changed": [],
        "added": [],
        "removed": [],
        "skipped": [],
        "source": {},
        "glossary": "",
    }
    code, out, _ = run(["status"], capsys)
    lines = out.splitlines()
    assert lines[:3] == [f"store:  {store}", "model:  test-hashing", f"roots:  {fixture_root.resolve()}"]
    assert lines[3].startswith("index:  5 files, 66 chunks, built 20")
    assert lines[4:] == [
        "kinds:  attribute 15, example 8, expectation 23, overview 16, summary 4",
        "levels: - 16, L2 12, L3 21, L4 17",
        "fresh:  no indexed file changed on disk since",
    ]


def test_status_notices_changed_new_and_removed_files(
    store: Path, fixture_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["index", str(fixture_root)], capsys)[0] == 0
    (fixture_root / "platform" / "L2-Platform-Engineer.md").write_text("# L2: Platform Engineer\n\n- Changed.\n")
    (fixture_root / "data" / "L3-Senior-Data-Engineer.md").unlink()
    (fixture_root / "data" / "L4-Data-Lead.md").write_text("# L4: Data Lead\n\n- I lead the data team.\n")
    _, out, _ = run(["status", "--json"], capsys)
    status = json.loads(out)
    assert (status["stale"], status["changed"], status["added"], status["removed"]) == (
        True,
        ["platform/L2-Platform-Engineer.md"],
        ["data/L4-Data-Lead.md"],
        ["data/L3-Senior-Data-Engineer.md"],
    )
    _, out, _ = run(["status"], capsys)
    assert out.splitlines()[-4:] == [
        "changed: platform/L2-Platform-Engineer.md",
        "new: data/L4-Data-Lead.md",
        "removed: data/L3-Senior-Data-Engineer.md",
        "The index is out of date; run: ladder index",
    ]
    code, out, _ = run(["index", str(fixture_root)], capsys)
    assert code == 0
    assert "1 added, 1 updated, 3 unchanged, 1 removed, 0 warnings; embedded 2, reused 47." in out
    _, out, _ = run(["status", "--json"], capsys)
    assert (json.loads(out)["stale"], json.loads(out)["chunks"]) == (False, 66 - 12 + 1 - 7 + 1)


def test_index_text_output_and_the_no_change_run(
    store: Path, fixture_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["index", str(fixture_root)], capsys)
    assert (code, err) == (0, "")
    assert out.startswith("Indexed 66 chunks in ")
    assert out.endswith(" s: 5 added, 0 updated, 0 unchanged, 0 removed, 0 warnings; embedded 62, reused 0.\n")
    code, out, err = run(["index", str(fixture_root)], capsys)
    assert (code, err) == (0, "")
    assert out.startswith("Index is up to date: 5 files, 66 chunks (")


def test_index_without_a_path_uses_ladder_roles(
    store: Path, fixture_root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LADDER_ROLES", str(fixture_root / "platform"))
    code, out, _ = run(["index", "--json"], capsys)
    assert code == 0
    assert json.loads(out)["added"] == [
        "L2-Platform-Engineer.md",
        "L3-Senior-Platform-Engineer.md",
        "L4-Platform-Technical-Lead.md",
    ]


# -- exit codes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["no-such-command"], "Error: No such command 'no-such-command'."),
        (["parse"], "Error: Missing argument 'PATHS...'."),
        (["index", "--wait", "soon"], "Error: Invalid value for '--wait': 'soon' is not a valid float."),
        (["status", "--verbose"], "Error: No such option '--verbose'."),
    ],
)
def test_usage_errors_exit_2(argv: list[str], message: str, store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(argv, capsys)
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == message


def test_domain_errors_exit_1(store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing"
    for argv in (["index", str(missing)], ["parse", str(missing)]):
        code, out, err = run(argv, capsys)
        assert (code, out) == (1, "")
        assert err == f"ladder: error: {missing}: no such folder; give the folder of your role documents\n"


def test_progress_bar_draws_on_a_terminal_only(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.cli import _Progress

    bar = _Progress(enabled=True)
    clock = iter([100.0, 100.05, 100.06, 100.07])
    with monkeypatch.context() as patched:
        patched.setattr(time, "monotonic", lambda: next(clock))
        bar("embedding", 0, 4)
        bar("embedding", 1, 4)  # within 0.1 s of the last draw: skipped
        bar("embedding", 4, 4)  # the end is always drawn, with a newline
        bar("writing", 2, 4)
    assert capsys.readouterr().err == (
        "\rembedding  [------------------------------] 0/4"
        "\rembedding  [##############################] 4/4\n"
        "\rwriting    [###############---------------] 2/4"
    )
    _Progress(enabled=False)("embedding", 1, 4)
    assert capsys.readouterr().err == ""


def test_a_query_builds_the_index_on_first_use_once_and_says_so(
    store: Path, fixture_root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LADDER_ROLES", str(fixture_root))
    code, out, err = run(["search", "mentoring", "-k", "1", "--json"], capsys)
    assert (code, err) == (0, f"No index in {store} yet; indexing {fixture_root} first (once).\n")
    assert len(json.loads(out)["results"]) == 1
    (fixture_root / "platform" / "L2-Platform-Engineer.md").unlink()  # stale: queries don't re-index
    code, out, err = run(["search", "mentoring", "-k", "1", "--json"], capsys)
    assert (code, err) == (0, "")
    code, out, _ = run(["status", "--json"], capsys)
    assert json.loads(out)["removed"] == ["platform/L2-Platform-Engineer.md"]


def test_each_stdin_line_gives_one_output_per_input_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.cli.query_commands import each_stdin_line
    from index import QueryError

    def answer(line: str) -> str:
        if line == "bad":
            raise QueryError("refused")
        return line.upper()

    shown: list[str] = []
    monkeypatch.setattr(sys, "stdin", io.StringIO("one\n\n  \nbad\ntwo"))
    each_stdin_line(answer, shown.append, blank=lambda: "<blank>", error=lambda line, exc: f"{line}: {exc}")
    assert shown == ["ONE", "<blank>", "<blank>", "bad: refused", "TWO"]
    shown.clear()
    monkeypatch.setattr(sys, "stdin", io.StringIO("bad\none\n"))
    each_stdin_line(answer, shown.append, blank=lambda: "", error=lambda line, exc: None)  # None: nothing shown
    assert shown == ["ONE"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("one\nbad\ntwo\n"))
    with pytest.raises(QueryError, match="refused"):  # no error handler: the batch stops
        each_stdin_line(answer, shown.append, blank=lambda: "")
    assert shown == ["ONE", "ONE"]
