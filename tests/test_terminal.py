"""The terminal stays yours (issue 14, case 4): role text, file names and replies are shown,
never obeyed. Every line the CLI prints goes through ``assistant.terminal``; JSON is unchanged."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.terminal import clean, safe, safe_name

from .conftest import FIXTURE_L2, REPO, run
from .fakes import HashingEmbedder

TITLE = "\x1b]0;PWNED\x07"
CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4=\x07"
BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # anything but \t and \n




def test_the_helpers() -> None:
    assert safe(f"a{TITLE}b\nc\u202ed") == "a\\x1b]0;PWNED\\x07b\\nc\\u202ed"
    assert clean(f"one{CLIPBOARD}\n\ttwo\rthree") == "one\\x1b]52;c;cm0gLXJmIH4=\\x07\n\ttwo\\rthree"
    assert clean("\rprogress [##  ] 2/4") == "\rprogress [##  ] 2/4"
    assert safe_name("platform/L2 Engineer.md") == "platform/L2 Engineer.md"
    assert safe_name('evil\n"L9".md') == '"evil\\n\\"L9\\".md"'


def test_no_command_prints_around_the_terminal_printer() -> None:
    source = "".join(path.read_text("utf-8") for path in sorted((REPO / "assistant" / "cli").glob("*.py")))
    assert source.count("click.echo(") == 1  # _echo_json: JSON escapes control characters itself
    assert "click.echo(json.dumps(data, ensure_ascii=False))" in source


def test_escape_sequences_in_role_text_and_file_names_are_shown_not_obeyed(
    fixture_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fake_cli: HashingEmbedder
) -> None:
    role = fixture_root / FIXTURE_L2
    role.write_text(role.read_text("utf-8").replace(
        "- I document every change I make in the team wiki.\n",
        f"- I document every change I make in the team wiki.{TITLE}{CLIPBOARD}\n"), "utf-8")
    (fixture_root / "platform" / f"L9-Evil{TITLE}\x1b[31m.md").write_text("# L9: Evil\n\n- I exist.\n", "utf-8")
    (fixture_root / "platform" / "L9-Forged\nL1-Fake.md: L1 Fake [platform].md").write_text(
        "# L9: Forged\n\n- I exist too.\n", "utf-8")
    store = ["--store", str(tmp_path / "store")]
    outputs = {}
    for argv in (["parse", str(fixture_root)], ["index", str(fixture_root)],
                 ["search", "document every change in the team wiki"],
                 ["fit", "I document every change I make in the team wiki and keep it current"],
                 ["ask", "what's expected of an L2 platform engineer in teaching and mentoring?"]):
        code, out, err = run(store + argv, capsys)
        assert code == 0, err
        assert not BAD.search(out) and not BAD.search(err), (argv, out, err)
        outputs[argv[0]] = (out, err)
    forged = '"platform/L9-Forged\\nL1-Fake.md: L1 Fake [platform].md"'
    evil = '"platform/L9-Evil\\x1b]0;PWNED\\x07\\x1b[31m.md"'
    reason = "file name holds control characters (a newline or terminal escape); skipped: rename it"
    assert f"warning: {evil}: {reason}\n" in outputs["parse"][1]
    assert f"warning: {forged}: {reason}\n" in outputs["parse"][1]
    assert "I document every change I make in the team wiki.\\x1b]0;PWNED\\x07\\x1b]52;c;cm0gLXJmIH4=\\x07" in (
        outputs["search"][0])
    assert "\\x1b]52;c;" in outputs["ask"][0]
    # JSON is left to json.dumps, which escapes control characters itself
    code, out, _ = run([*store, "search", "document every change in the team wiki", "--json"], capsys)
    assert code == 0 and "\x1b" not in out
    texts = [r["plain"] for r in json.loads(out)["results"]]
    assert f"I document every change I make in the team wiki.{TITLE}{CLIPBOARD}" in texts
