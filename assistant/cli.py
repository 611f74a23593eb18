"""The ``ladder`` command: parse arguments, call one library function, render the result.

Errors from Ladder (``LadderError``) become one line on stderr: exit code 2 for usage
errors, 1 for everything else. Nothing here holds logic worth a test of its own.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import click

from index import LadderError

from .config import Settings
from .service import Ladder, build_ladder


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False))


class _Progress:
    """A progress bar on stderr for long stages; silent when stderr is not a terminal."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._stage = ""
        self._last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        now = time.monotonic()
        if stage == self._stage and done < total and now - self._last < 0.1:
            return
        self._stage, self._last = stage, now
        width = 30
        filled = int(width * done / total)
        bar = "#" * filled + "-" * (width - filled)
        click.echo(f"\r{stage:<10} [{bar}] {done}/{total}", err=True, nl=done >= total)


pass_ladder = click.make_pass_decorator(Ladder)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", type=click.Path(path_type=Path), help="Index folder (env LADDER_STORE).")
@click.option("--model", help="Embedding model name or folder (env LADDER_MODEL).")
@click.option("--chroma-url", help="Use a Chroma server, e.g. http://127.0.0.1:8000 (env LADDER_CHROMA_URL).")
@click.version_option("0.1.0", prog_name="ladder")
@click.pass_context
def cli(ctx: click.Context, store: Path | None, model: str | None, chroma_url: str | None) -> None:
    """Ladder: which level of your career framework fits your work?

    \b
    Example:
      ladder index roles/
      ladder search "I mentored two junior engineers"
    """
    settings = Settings.from_env(store=store, model=model, chroma_url=chroma_url)
    ctx.obj = build_ladder(settings)


@cli.command("index")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--rebuild", is_flag=True, help="Embed everything again (after damage or a model change).")
@click.option("--wait", "wait_seconds", type=float, default=0.0, show_default=True,
              help="Seconds to wait for another indexer to finish.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_ladder
def index_cmd(ladder: Ladder, paths: tuple[Path, ...], rebuild: bool, wait_seconds: float, as_json: bool) -> None:
    """Index a framework folder (default: the bundled roles/), re-embedding only what changed.

    \b
    Example:
      ladder index ~/src/career-framework
      ladder index --rebuild
    """
    report = ladder.index(
        list(paths) or None,
        rebuild=rebuild,
        wait_seconds=wait_seconds,
        progress=_Progress(sys.stderr.isatty() and not as_json),
    )
    if as_json:
        _echo_json(report.to_json())
        return
    for skip in report.skipped:
        click.echo(f"warning: {skip.path}: {skip.reason}", err=True)
    if not report.published:
        click.echo(
            f"Index is up to date: {len(report.unchanged)} files, {report.chunks} chunks "
            f"({report.seconds:.2f} s)."
        )
        return
    click.echo(
        f"Indexed {report.chunks} chunks in {report.seconds:.2f} s: "
        f"{len(report.added)} added, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged, {len(report.removed)} removed, "
        f"{len(report.skipped)} warnings; embedded {report.embedded}, reused {report.reused}."
        + (f" (full rebuild: {report.rebuilt})" if report.rebuilt else "")
    )


@cli.command("parse")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one chunk per line.")
@pass_ladder
def parse_cmd(ladder: Ladder, paths: tuple[Path, ...], as_json: bool) -> None:
    """Show the chunks a folder yields, without embedding anything.

    \b
    Example:
      ladder parse roles/ --json | head
    """
    docs, skipped = ladder.parse(list(paths))
    if as_json:
        for doc in docs:
            for chunk in doc.chunks:
                _echo_json(chunk.to_json())
    else:
        for doc in docs:
            kinds: dict[str, int] = {}
            for chunk in doc.chunks:
                kinds[chunk.kind] = kinds.get(chunk.kind, 0) + 1
            counts = ", ".join(f"{n} {k}" for k, n in kinds.items())
            click.echo(f"{doc.path}: {doc.label} [{doc.track}] - {counts}")
    for skip in skipped:
        click.echo(f"warning: {skip.path}: {skip.reason}", err=True)


@cli.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@pass_ladder
def status_cmd(ladder: Ladder, as_json: bool) -> None:
    """Where the index is, what it holds, and whether files changed since.

    \b
    Example:
      ladder status --json
    """
    status = ladder.status()
    if as_json:
        _echo_json(status.to_json())
        return
    click.echo(f"store:  {status.store}")
    click.echo(f"model:  {status.model}")
    if not status.built:
        click.echo("index:  not built yet; run: ladder index PATH")
        return
    click.echo(f"roots:  {', '.join(status.roots)}")
    if status.source:
        click.echo(f"source: {status.source.get('url', '')} @ {status.source.get('commit', '')[:12]}")
    built = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(status.built_at))
    click.echo(f"index:  {status.files} files, {status.chunks} chunks, built {built}")
    click.echo("kinds:  " + ", ".join(f"{k} {n}" for k, n in sorted(status.kinds.items())))
    click.echo("levels: " + ", ".join(f"{k} {n}" for k, n in status.levels.items()))
    if status.stale:
        for label, paths in (("changed", status.changed), ("new", status.added), ("removed", status.removed)):
            for path in paths:
                click.echo(f"{label}: {path}")
        click.echo("The index is out of date; run: ladder index")
    else:
        click.echo("fresh:  no indexed file changed on disk since")


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI and turn Ladder errors into one-line messages."""
    try:
        cli.main(args=argv, prog_name="ladder", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("ladder: interrupted; the previous index is unchanged", err=True)
        return 130
    except KeyboardInterrupt:
        click.echo("ladder: interrupted; the previous index is unchanged", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except LadderError as exc:
        click.echo(f"ladder: error: {exc}", err=True)
        return exc.exit_code
    except BrokenPipeError:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
