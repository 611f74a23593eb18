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

from index import LadderError, QueryError, StoreError, is_git_url

from .answers import Answer
from .config import Settings
from .results import Filters, FitReport, SearchResponse
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
        if total <= 0:  # a notice, such as waiting for another indexer: always shown
            click.echo(f"note: {stage}", err=True)
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
    progress = _Progress(sys.stderr.isatty() and not as_json)
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
        _echo_json({**report.to_json(), **({"source": source} if source else {})})
        return
    if source:
        click.echo(f"Source: {source['url']} {source['ref']} @ {source['commit'][:12]}")
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


def _filter_options(func: Any) -> Any:
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


def _ensure_index(ladder: Ladder) -> None:
    """Build the configured framework's index on first use, saying so on stderr."""
    if ladder.store.current_state():
        return
    roots = ", ".join(str(r) for r in ladder.settings.roles)
    click.echo(f"No index in {ladder.store.location} yet; indexing {roots} first (once).", err=True)
    ladder.ensure_index(progress=_Progress(sys.stderr.isatty()))


def _render_search(response: SearchResponse) -> None:
    if response.notice:
        click.echo(f"note: {response.notice}", err=True)
    if not response.results:
        click.echo("No matching bullets.")
        return
    for n, r in enumerate(response.results, 1):
        where = f"{r.level} {r.role}".strip() or r.role
        dim = f" · {r.dimension}" if r.dimension else ""
        click.echo(f"{n}. [{r.score:.2f} {r.strength}] {where}{dim} · {r.kind}")
        click.echo(f"   {r.plain}")
        click.echo(f"   {r.path}:{r.line}" + (f"  {r.url}" if r.url else ""))
        if r.also_in:
            click.echo("   also in: " + "; ".join(f"{p.level} {p.role}" for p in r.also_in))
    if response.levels:
        click.echo("Levels: " + ", ".join(f"{lv.level} {lv.role} ({lv.score:.2f})" for lv in response.levels))


@cli.command("search")
@click.argument("query")
@click.option("-k", "k", type=int, default=10, show_default=True, help="How many results.")
@_filter_options
@click.option("--kind", default="", help="expectation, example, attribute, summary or overview.")
@click.option("--mode", type=click.Choice(["hybrid", "dense", "lexical"]), default="hybrid",
              show_default=True, help="Retrieval to use (dense/lexical alone are for comparison).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON; with QUERY '-', JSON Lines from stdin.")
@pass_ladder
def search_cmd(ladder: Ladder, query: str, k: int, level: str, role: str, track: str, dimension: str,
               kind: str, mode: str, as_json: bool) -> None:
    """Find the bullets that match a description of work or a topic.

    QUERY '-' reads one query per line from standard input (the model loads once).

    \b
    Example:
      ladder search "I ran the incident review after an outage" --level L3
      printf 'mentoring\\nthreat modeling\\n' | ladder search --json -
    """
    filters = Filters(level=level, role=role, track=track, dimension=dimension, kind=kind)
    _ensure_index(ladder)
    if query == "-":
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                response = ladder.search(line.rstrip("\n"), k=k, filters=filters, mode=mode)
            except QueryError as exc:
                if as_json:
                    _echo_json({"query": line.rstrip("\n"), "error": str(exc)})
                    continue
                raise
            _echo_json(response.to_json()) if as_json else _render_search(response)
        return
    response = ladder.search(query, k=k, filters=filters, mode=mode)
    if as_json:
        _echo_json(response.to_json())
    else:
        _render_search(response)


def _render_fit(report: FitReport) -> None:
    if report.notice:
        click.echo(f"note: {report.notice}", err=True)
    click.echo(f"{report.confidence.upper()}: {report.confidence_note}")
    click.echo("")
    for n, r in enumerate(report.ranking[:5], 1):
        click.echo(f"{n}. {r.label} [{r.track}] score {r.score:.2f}")
        if n > 1:
            continue
        for dim, matches in r.dimensions.items():
            click.echo(f"   {dim}:")
            for m in matches[:3]:
                click.echo(f"     - \"{report.statements[m.statement]}\"")
                click.echo(f"       matches ({m.similarity:.2f}) {m.text}  [{r.path}:{m.line}]")
                if m.url:
                    click.echo(f"       {m.url}")
    if report.next_up:
        click.echo("")
        click.echo(f"To grow into {report.next_up.label}, nothing yet shows:")
        for gap in report.gaps[:10]:
            click.echo(f"  - [{gap.dimension}] {gap.text}")


@cli.command("fit")
@click.argument("text", required=False)
@click.option("--file", "file", type=click.File("r", encoding="utf-8", errors="replace"),
              help="Read the description from FILE ('-' for stdin).")
@_filter_options
@click.option("--json", "as_json", is_flag=True, help="Print the whole report as JSON.")
@pass_ladder
def fit_cmd(ladder: Ladder, text: str | None, file: Any, level: str, role: str, track: str,
            dimension: str, as_json: bool) -> None:
    """Which levels and roles fit a description of your work, with the evidence.

    \b
    Example:
      ladder fit "I lead a team of five and set our security roadmap for the year"
      ladder fit --file self-review.md --json
    """
    if text is None and file is None:
        raise click.UsageError("give the TEXT to fit, or --file FILE")
    if text is not None and file is not None:
        raise click.UsageError("give either TEXT or --file, not both")
    content = text if text is not None else file.read()
    _ensure_index(ladder)
    report = ladder.fit(content, filters=Filters(level=level, role=role, track=track, dimension=dimension))
    if as_json:
        _echo_json(report.to_json())
    else:
        _render_fit(report)


def _terminal(text: str) -> str:
    """Corpus text made safe for a terminal: control characters (escape sequences) shown as '?'."""
    return "".join("?" if ord(ch) < 32 or 127 <= ord(ch) < 160 else ch for ch in text)


@cli.command("changes")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--since", default="HEAD~1", show_default=True, help="The older commit, branch or tag.")
@click.option("--until", default="HEAD", show_default=True, help="The newer commit, branch or tag.")
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
@pass_ladder
def changes_cmd(ladder: Ladder, path: Path | None, since: str, until: str, as_json: bool) -> None:
    """What changed in a framework kept in git, per role and dimension: bullets added (+),
    removed (-) and reworded (~) between two commits. PATH defaults to the indexed folder.

    \b
    Example:
      ladder changes ~/src/career-framework --since v2024.1
      ladder changes --since HEAD~5 --json
    """
    found = ladder.changes(path, since=since, until=until)
    for note in found.notes:
        click.echo(f"warning: {_terminal(note)}", err=True)
    if as_json:
        _echo_json(found.to_json())
        return
    click.echo(
        f"{found.root}: {found.since[:12]}..{found.until[:12]}: {len(found.files)} files changed, "
        f"{len(found.sections)} sections with bullet changes"
    )
    for section in found.sections:
        moved = f", was {section.old_path}" if section.old_path and section.old_path != section.path else ""
        click.echo(f"\n{_terminal(section.role)} / {_terminal(section.dimension)} ({section.path}{moved})")
        for sign, bullets in (("+", section.added), ("-", section.removed)):
            for b in bullets:
                kind = "" if b.kind == "expectation" else f"[{b.kind}] "
                click.echo(f"  {sign} {kind}{_terminal(b.text)}")
        for r in section.reworded:
            kind = "" if r.after.kind == "expectation" else f"[{r.after.kind}] "
            click.echo(f"  ~ {kind}{_terminal(r.before.text)}\n    -> {_terminal(r.after.text)}")


@cli.command("doctor")
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
        _echo_json(health.to_json())
    elif health.ok and not health.built:
        click.echo(f"{health.location}: no index yet; run: ladder index PATH")
    elif health.ok:
        click.echo(
            f"{health.location}: ok: {health.chunks} chunks; {health.sampled} sampled vectors "
            f"found themselves ({health.misses} missed); {health.orphans} unpublished generations "
            f"({health.seconds:.2f} s)"
        )
    if not health.ok:
        raise StoreError(
            f"{health.location}: damaged: {health.problem}; run: ladder index --rebuild "
            "(a damaged folder is moved aside, not deleted)"
        )


def _render_answer(answer: Answer) -> None:
    if answer.notice:
        click.echo(f"note: {answer.notice}", err=True)
    click.echo(answer.answer)
    linked = {(c.path, c.line): c.url for c in answer.citations if c.url}
    if linked:
        click.echo("\nSources:")
        for (path, line), url in linked.items():
            click.echo(f"  {path}:{line}  {url}")


@cli.command("ask")
@click.argument("question")
@click.option("--llm/--no-llm", "generate", default=None,
              help="Let the language model set by LADDER_LLM_URL rewrite the answer (default: when it is set).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON; with QUESTION '-', JSON Lines from stdin.")
@pass_ladder
def ask_cmd(ladder: Ladder, question: str, generate: bool | None, as_json: bool) -> None:
    """Answer a question about the framework from its documents, citing every claim.

    Says so when the documents don't answer, and asks back when a role name is ambiguous.
    QUESTION '-' reads one question per line from standard input (the model loads once).

    \b
    Example:
      ladder ask "who evaluates a technical lead?"
      ladder ask "how does L3 differ from L4 in teaching and mentoring?" --json
      printf 'what does impact radius mean?\\nwho evaluates an L2?\\n' | ladder ask --json -
    """
    _ensure_index(ladder)
    if question == "-":
        first = True
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                answer = ladder.ask(line.rstrip("\n"), generate=generate)
            except QueryError as exc:  # a bad line is reported and the batch goes on
                if as_json:
                    _echo_json({"question": line.rstrip("\n"), "found": False, "error": str(exc)})
                else:
                    click.echo(f"error: {exc}", err=True)
                continue
            if as_json:
                _echo_json(answer.to_json())
            else:
                if not first:
                    click.echo("")
                click.echo(f"Q: {answer.question}")
                _render_answer(answer)
            first = False
        return
    answer = ladder.ask(question, generate=generate)
    if as_json:
        _echo_json(answer.to_json())
    else:
        _render_answer(answer)


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
