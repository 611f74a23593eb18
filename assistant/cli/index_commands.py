"""``ladder index``, ``parse``, ``status``, ``changes`` and ``doctor``: building and checking the index."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from index import QueryError, StoreError, is_git_url

from .. import Ladder
from ..terminal import echo, safe, safe_name
from .options import Progress, echo_json, global_options, pass_ladder


@click.command("index")
@global_options
@click.argument("paths", nargs=-1)
@click.option("--rebuild", is_flag=True, help="Embed everything again (after damage or a model change).")
@click.option("--wait", "wait_seconds", type=float, default=0.0, show_default=True,
              help="Seconds to wait for another indexer to finish.")
@click.option("--ref", default="", help="With a git URL: branch, tag or commit (default: the default branch).")
@click.option("--subdir", default="", help="With a git URL: the framework folder inside the repository.")
@click.option("--web-url", "web", default="",
              help="With a git URL: the repository's web page results link to (default: from the URL).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_ladder
def index_cmd(ladder: Ladder, paths: tuple[str, ...], rebuild: bool, wait_seconds: float, ref: str,
              subdir: str, web: str, as_json: bool) -> None:
    """Index a framework folder (default: the bundled roles/) or a git repository, re-embedding
    only what changed. A repository is cloned, or fetched if cloned before, into LADDER_CACHE.

    \b
    Example:
      ladder index ~/src/career-framework
      ladder index https://github.com/org/career-framework.git --ref main --subdir roles
      ladder index --rebuild
    """
    progress = Progress(sys.stderr.isatty() and not as_json)
    source: dict[str, str] = {}
    if any(is_git_url(p) for p in paths):
        if len(paths) != 1:
            raise QueryError("give one git URL, or folders, not both")
        report, fetched = ladder.index_git(
            paths[0], ref=ref, subdir=subdir, web=web, rebuild=rebuild, wait_seconds=wait_seconds, progress=progress
        )
        source = fetched.state()
    elif ref or subdir or web:
        raise QueryError(
            "--ref, --subdir and --web-url go with a git URL, e.g. ladder index https://host/org/repo.git --ref main"
        )
    else:
        report = ladder.index(
            [Path(p) for p in paths] or None, rebuild=rebuild, wait_seconds=wait_seconds, progress=progress
        )
    if as_json:
        echo_json({**report.to_json(), **({"source": source} if source else {})})
        return
    if source:
        echo(f"Source: {source['url']} {source['ref']} @ {source['commit'][:12]}")
    for skip in report.skipped:
        echo(f"warning: {safe_name(skip.path)}: {safe(skip.reason)}", err=True)
    if not report.published:
        echo(
            f"Index is up to date: {len(report.unchanged)} files, {report.chunks} chunks "
            f"({report.seconds:.2f} s)."
        )
        return
    echo(
        f"Indexed {report.chunks} chunks in {report.seconds:.2f} s: "
        f"{len(report.added)} added, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged, {len(report.removed)} removed, "
        f"{len(report.skipped)} warnings; embedded {report.embedded}, reused {report.reused}."
        + (f" (full rebuild: {report.rebuilt})" if report.rebuilt else "")
    )


@click.command("parse")
@global_options
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one chunk per line.")
@pass_ladder
def parse_cmd(ladder: Ladder, paths: tuple[Path, ...], as_json: bool) -> None:
    """Show the chunks a folder yields, without embedding anything: per file, the layout
    recognised (one level per file, levels as headings, matrix table, role page...), its
    levels in order and its dimensions.

    \b
    Example:
      ladder parse roles/ --json | head
    """
    docs, skipped = ladder.parse(list(paths))
    if as_json:
        for doc in docs:
            for chunk in doc.chunks:
                echo_json(chunk.to_json())
    else:
        for doc in docs:
            kinds: dict[str, int] = {}
            for chunk in doc.chunks:
                kinds[chunk.kind] = kinds.get(chunk.kind, 0) + 1
            counts = ", ".join(f"{n} {k}" for k, n in kinds.items())
            echo(f"{safe_name(doc.path)}: {safe(doc.label)} [{safe(doc.track)}] - {counts} ({safe(doc.describe())})")
    for skip in skipped:
        echo(f"warning: {safe_name(skip.path)}: {safe(skip.reason)}", err=True)


@click.command("status")
@global_options
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
        echo_json(status.to_json())
        return
    echo(f"store:  {status.store}")
    echo(f"model:  {status.model}")
    if status.glossary:
        missing = "" if Path(status.glossary).is_file() else " (not found: searches will stop with an error)"
        echo(f"glossary: {status.glossary}{missing}")
    if not status.built:
        echo("index:  not built yet; run: ladder index PATH")
        return
    echo(f"roots:  {', '.join(status.roots)}")
    if status.source:
        echo(f"source: {status.source.get('url', '')} @ {status.source.get('commit', '')[:12]}")
    built = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(status.built_at))
    echo(f"index:  {status.files} files, {status.chunks} chunks, built {built}")
    echo("kinds:  " + ", ".join(f"{k} {n}" for k, n in sorted(status.kinds.items())))
    echo("levels: " + ", ".join(f"{k} {n}" for k, n in status.levels.items()))
    if status.stale:
        for label, paths in (("changed", status.changed), ("new", status.added), ("removed", status.removed)):
            for path in paths:
                echo(f"{label}: {safe_name(path)}")
        echo("The index is out of date; run: ladder index")
    else:
        echo("fresh:  no indexed file changed on disk since")


def _terminal(text: str) -> str:
    """Corpus text made safe for a terminal: control characters (escape sequences) shown as '?'."""
    return "".join("?" if ord(ch) < 32 or 127 <= ord(ch) < 160 else ch for ch in text)


@click.command("changes")
@global_options
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--since", default=None,
              help="The older commit, branch or tag (default: the last change, as the app shows it).")
@click.option("--until", default=None, help="The newer commit, branch or tag (default: HEAD).")
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
@pass_ladder
def changes_cmd(ladder: Ladder, path: Path | None, since: str | None, until: str | None, as_json: bool) -> None:
    """What changed in a framework kept in git, per role and dimension: bullets added (+),
    removed (-) and reworded (~) between two commits. PATH defaults to the indexed folder;
    the default range is the last change: the two newest commits that touched the folder along
    HEAD's first parents (a merged pull request counts as its merge commit).

    \b
    Example:
      ladder changes ~/src/career-framework --since v2024.1
      ladder changes --since HEAD~5 --json
    """
    found = ladder.changes(path, since=since, until=until)
    for note in found.notes:
        echo(f"warning: {_terminal(note)}", err=True)
    if as_json:
        echo_json(found.to_json())
        return
    echo(
        f"{found.root}: {found.since[:12]}..{found.until[:12]}: {len(found.files)} files changed, "
        f"{len(found.sections)} sections with bullet changes"
    )
    for section in found.sections:
        moved = f", was {section.old_path}" if section.old_path and section.old_path != section.path else ""
        echo(f"\n{_terminal(section.role)} / {_terminal(section.dimension)} ({section.path}{moved})")
        for sign, bullets in (("+", section.added), ("-", section.removed)):
            for b in bullets:
                kind = "" if b.kind == "expectation" else f"[{b.kind}] "
                echo(f"  {sign} {kind}{_terminal(b.text)}")
        for r in section.reworded:
            kind = "" if r.after.kind == "expectation" else f"[{r.after.kind}] "
            echo(f"  ~ {kind}{_terminal(r.before.text)}\n    -> {_terminal(r.after.text)}")


@click.command("doctor")
@global_options
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as JSON.")
@pass_ladder
def doctor_cmd(ladder: Ladder, as_json: bool) -> None:
    """Check the index for damage, safely: in a child process with a time limit. Exit code 1
    when it is damaged; then rebuild with: ladder index --rebuild (the damaged folder is kept).

    \b
    Example:
      ladder doctor
    """
    health = ladder.doctor()
    if as_json:
        echo_json(health.to_json())
    elif health.ok and not health.built:
        echo(f"{health.location}: no index yet; run: ladder index PATH")
    elif health.ok:
        echo(
            f"{health.location}: ok: {health.chunks} chunks; {health.sampled} sampled vectors "
            f"found themselves ({health.misses} missed); {health.orphans} unpublished generations; "
            f"{health.orphan_folders} orphaned folders ({health.orphan_bytes:,} bytes; the next index "
            f"reclaims them) ({health.seconds:.2f} s)"
        )
    if not health.ok and health.access:
        raise StoreError(health.problem)
    if not health.ok:
        raise StoreError(
            f"{health.location}: damaged: {health.problem}; run: ladder index --rebuild "
            "(a damaged folder is moved aside, not deleted)"
        )
