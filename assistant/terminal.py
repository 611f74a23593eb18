"""Text for a terminal: what role documents, file names and servers say is shown, never obeyed.

A bullet holding ``ESC]0;title BEL`` would set the window title, ``ESC]52;c;...`` write the
clipboard, and a newline in a file name would forge an output line. Every line the CLI prints
goes through ``echo``, which shows control characters as escapes (``\\x1b``); a name that holds
a newline or another control character is printed quoted by ``safe_name``. JSON output is not
touched (``json.dumps`` escapes control characters itself).
"""

from __future__ import annotations

import re

import click

__all__ = ["clean", "echo", "safe", "safe_name"]

# C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a reader sees
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    ch = match.group(0)
    return _NAMED.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}")


def safe(text: object) -> str:
    """``text`` on one line: every control character (newlines included) shown escaped."""
    return _CONTROL.sub(_escape, str(text))


def clean(text: object) -> str:
    """``text`` with control characters shown escaped, keeping its own line breaks and tabs (and
    a leading carriage return, which redraws a progress line)."""
    raw = str(text)
    lead = "\r" if raw.startswith("\r") else ""
    return lead + "\n".join(
        "\t".join(safe(part) for part in line.split("\t")) for line in raw[len(lead):].split("\n")
    )


def safe_name(text: object) -> str:
    """A file or role name: as it is when harmless, else quoted with its controls escaped."""
    raw = str(text)
    return raw if not _CONTROL.search(raw) else '"' + safe(raw).replace('"', '\\"') + '"'


def echo(message: object = "", *, err: bool = False, nl: bool = True) -> None:
    """``click.echo`` for text that may hold anything: controls escaped by ``clean``."""
    click.echo(clean(message), err=err, nl=nl)
