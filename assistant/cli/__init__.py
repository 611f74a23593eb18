"""The ``ladder`` command: parse arguments, call one library function, render the result.

Errors from Ladder (``LadderError``) become one line on stderr: exit code 2 for usage
errors, 1 for everything else. Nothing here holds logic worth a test of its own.

The group and ``main`` live here; the commands in ``index_commands`` (index, parse, status,
changes, doctor) and ``query_commands`` (search, fit, ask); what they share in ``options``.
"""

from __future__ import annotations

import sys

import click

from index import LadderError

from .. import build_ladder
from ..terminal import echo, safe
from .index_commands import changes_cmd, doctor_cmd, index_cmd, parse_cmd, status_cmd
from .options import Progress as _Progress
from .options import global_options as _global_options
from .query_commands import ask_cmd, fit_cmd, search_cmd

#: ``build_ladder`` is looked up here when a command runs (options.pass_ladder), so tests can replace it.
__all__ = ["build_ladder", "cli", "main", "_Progress"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@_global_options
@click.version_option("0.1.0", prog_name="ladder")
def cli() -> None:
    """Ladder: which level of your career framework fits your work?

    Global options (--store, --model, --chroma-url) go before or after the command.

    \b
    Example:
      ladder index roles/
      ladder search "I mentored two junior engineers" --store /tmp/ladder-store
    """


for _command in (index_cmd, parse_cmd, status_cmd, search_cmd, fit_cmd, changes_cmd, doctor_cmd, ask_cmd):
    cli.add_command(_command)


def _text_after_options(argv: list[str]) -> list[str]:
    """A pasted list ("- I led the migration ...") starts with a dash but is text, not an
    option: move such arguments (a dash, then words) after ``--`` so they stay text."""
    if "--" in argv:
        return argv
    texts = [a for a in argv if a.startswith("-") and any(ch.isspace() for ch in a)]
    if not texts:
        return argv
    return [a for a in argv if a not in texts] + ["--", *texts]


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI and turn Ladder errors into one-line messages."""
    argv = _text_after_options(list(sys.argv[1:] if argv is None else argv))
    try:
        cli.main(args=argv, prog_name="ladder", standalone_mode=False)
    except click.exceptions.Abort:
        echo("ladder: interrupted; the previous index is unchanged", err=True)
        return 130
    except KeyboardInterrupt:
        echo("ladder: interrupted; the previous index is unchanged", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except LadderError as exc:
        echo(f"ladder: error: {safe(exc)}", err=True)
        return exc.exit_code
    except BrokenPipeError:
        return 0
    return 0

