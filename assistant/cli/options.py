"""What every ``ladder`` command shares: the global options, the one Ladder they are handed,
the progress bar, JSON output and building the index on first use."""

from __future__ import annotations

import functools
import json
import sys
import time
from pathlib import Path
from typing import Any

import click

from .. import Ladder
from ..config import Settings
from ..terminal import echo


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False))  # JSON escapes control characters itself


class Progress:
    """A progress bar on stderr for long stages; silent when stderr is not a terminal."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._stage = ""
        self._last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if total <= 0:  # a notice, such as waiting for another indexer: always shown
            echo(f"note: {stage}", err=True)
            return
        if not self.enabled:
            return
        now = time.monotonic()
        if stage == self._stage and done < total and now - self._last < 0.1:
            return
        self._stage, self._last = stage, now
        width = 30
        filled = int(width * done / total)
        bar = "#" * filled + "-" * (width - filled)
        echo(f"\r{stage:<10} [{bar}] {done}/{total}", err=True, nl=done >= total)


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Keep a global option given before or after the subcommand (the later one wins)."""
    if value is not None and param.name:
        ctx.find_root().meta.setdefault("ladder.options", {})[param.name] = value
    return value


def global_options(func: Any) -> Any:
    """--store, --model and --chroma-url, accepted by the group and by every subcommand."""
    for decls, help_text in reversed((
        (("--store",), "Index folder (env LADDER_STORE)."),
        (("--model",), "Embedding model name or folder (env LADDER_MODEL)."),
        (("--chroma-url",), "Use a Chroma server, e.g. http://127.0.0.1:8000 (env LADDER_CHROMA_URL)."),
    )):
        kind = click.Path(path_type=Path) if decls == ("--store",) else None
        func = click.option(*decls, type=kind, expose_value=False, callback=_remember, help=help_text)(func)
    return func


def pass_ladder(func: Any) -> Any:
    """Hand the command the one Ladder, built from the environment and the global options."""

    @click.pass_context
    def command(ctx: click.Context, /, *args: Any, **kwargs: Any) -> Any:
        root = ctx.find_root()
        if root.obj is None:
            from .. import cli as package  # looked up when run: tests replace assistant.cli.build_ladder

            root.obj = package.build_ladder(Settings.from_env(**root.meta.get("ladder.options", {})))
        return ctx.invoke(func, root.obj, *args, **kwargs)

    return functools.update_wrapper(command, func)


def filter_options(func: Any) -> Any:
    for name, help_text in reversed(
        (
            ("level", "Only this level, e.g. L3."),
            ("role", "Only roles whose name contains TEXT."),
            ("track", "Only tracks whose name contains TEXT."),
            ("dimension", "Only this dimension, e.g. 'Teaching and Mentoring'."),
        )
    ):
        func = click.option(f"--{name}", default="", help=help_text)(func)
    return func


def ensure_index(ladder: Ladder) -> None:
    """Build the configured framework's index on first use, saying so on stderr."""
    roots = ", ".join(str(r) for r in ladder.settings.roles)
    ladder.ensure_fresh(
        Progress(sys.stderr.isatty()),
        stale=False,
        before_build=lambda: echo(
            f"No index in {ladder.store.location} yet; indexing {roots} first (once).", err=True
        ),
    )
