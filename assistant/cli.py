"""The ``ladder`` command: parse arguments, call one library function, render the result.

Errors from Ladder (``LadderError``) become one line on stderr: exit code 2 for usage
errors, 1 for everything else. Nothing here holds logic worth a test of its own.
"""

from __future__ import annotations

import functools
import json
import sys
import time
from pathlib import Path
from typing import Any

import click

from index import LadderError, QueryError, StoreError, is_git_url
from index.files import input_text

from .answers import Answer
from .config import Settings
from .results import Filters, FitReport, SearchResponse
from .service import Ladder, build_ladder
from .terminal import echo, safe, safe_name


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False))  # JSON escapes control characters itself


class _Progress:
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


def _global_options(func: Any) -> Any:
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
            root.obj = build_ladder(Settings.from_env(**root.meta.get("ladder.options", {})))
        return ctx.invoke(func, root.obj, *args, **kwargs)

    return functools.update_wrapper(command, func)


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


@cli.command("index")
@_global_options
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


@cli.command("parse")
@_global_options
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
                _echo_json(chunk.to_json())
    else:
        for doc in docs:
            kinds: dict[str, int] = {}
            for chunk in doc.chunks:
                kinds[chunk.kind] = kinds.get(chunk.kind, 0) + 1
            counts = ", ".join(f"{n} {k}" for k, n in kinds.items())
            echo(f"{safe_name(doc.path)}: {safe(doc.label)} [{safe(doc.track)}] - {counts} ({safe(doc.describe())})")
    for skip in skipped:
        echo(f"warning: {safe_name(skip.path)}: {safe(skip.reason)}", err=True)


@cli.command("status")
@_global_options
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
    echo(f"store:  {status.store}")
    echo(f"model:  {status.model}")
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
    echo(f"No index in {ladder.store.location} yet; indexing {roots} first (once).", err=True)
    ladder.ensure_index(progress=_Progress(sys.stderr.isatty()))


def _render_search(response: SearchResponse) -> None:
    if response.notice:
        echo(f"note: {response.notice}", err=True)
    if not response.results:
        echo("No matching bullets.")
        return
    for n, r in enumerate(response.results, 1):
        where = f"{r.level} {r.role}".strip() or r.role
        dim = f" · {r.dimension}" if r.dimension else ""
        echo(f"{n}. [{r.score:.2f} {r.strength}] {where}{dim} · {r.kind}")
        echo(f"   {safe(r.plain)}")
        echo(f"   {safe_name(r.path)}:{r.line}" + (f"  {safe(r.url)}" if r.url else ""))
        if r.also_in:
            echo("   also in: " + "; ".join(f"{p.level} {p.role}" for p in r.also_in))
    if response.levels:
        echo("Levels: " + ", ".join(f"{lv.level} {lv.role} ({lv.score:.2f})" for lv in response.levels))


@cli.command("search")
@_global_options
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
            if not line.strip():  # one output per input line: a blank line gets an empty result
                empty = SearchResponse(query="", results=(), levels=())
                _echo_json(empty.to_json()) if as_json else _render_search(empty)
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
        echo(f"note: {report.notice}", err=True)
    echo(f"{report.confidence.upper()}: {report.confidence_note}")
    if report.track:
        t = report.track
        said = "your choice" if t.given else f"{t.confidence:.0%} of the evidence"
        runner = f"; next: {t.runner_up} ({t.runner_up_confidence:.0%})" if t.runner_up and not t.given else ""
        echo(f"Track: {t.track} ({said}{runner})")
    if report.best and report.band:
        echo(f"Level: {report.best.label} · {report.band.band} ({report.band.note})")
    echo("")
    for n, r in enumerate(report.ranking[:5], 1):
        echo(f"{n}. {r.label} [{r.track}] score {r.score:.2f}")
        if n > 1:
            continue
        for dim, matches in r.dimensions.items():
            echo(f"   {dim}:")
            for m in matches[:3]:
                echo(f"     - \"{report.statements[m.statement]}\"")
                echo(f"       matches ({m.similarity:.2f}) {safe(m.text)}  [{safe_name(r.path)}:{m.line}]")
                if m.url:
                    echo(f"       {m.url}")
    if report.next_up:
        echo("")
        echo(f"To grow into {report.next_up.label}, nothing yet shows:")
        for gap in report.gaps[:10]:
            echo(f"  - [{gap.dimension}] {gap.text}")
    for inherited in report.inherited:
        echo("")
        echo(f"Also expected of you, from {inherited.source} ({inherited.covered} of "
             f"{len(inherited.expectations)} shown in your text):")
        for text in inherited.expectations[:10]:
            echo(f"  - {text}")
    if report.ignored:
        echo("")
        echo("Not counted as evidence:")
        for line in report.ignored:
            echo(f"  - \"{line.text}\" ({line.reason})")


@cli.command("fit")
@_global_options
@click.argument("text", required=False)
@click.option("--file", "file", type=click.File("rb"), help="Read the description from FILE ('-' for stdin).")
@_filter_options
@click.option("--json", "as_json", is_flag=True, help="Print the whole report as JSON.")
@pass_ladder
def fit_cmd(ladder: Ladder, text: str | None, file: Any, level: str, role: str, track: str,
            dimension: str, as_json: bool) -> None:
    """Which levels and roles fit a description of your work, with the evidence.

    TEXT '-' with --json reads JSON Lines from standard input, one {"text": "..."} per line, and
    writes one report per line (the model loads once); a bad line gets {"error": ...}.

    \b
    Example:
      ladder fit "I lead a team of five and set our security roadmap for the year"
      ladder fit --file self-review.md --json --track "Site Reliability"
      jq -c '{text: .review}' reviews.jsonl | ladder fit --json -
    """
    filters = Filters(level=level, role=role, track=track, dimension=dimension)
    if text == "-" and file is None:
        if not as_json:
            raise click.UsageError("reading many texts from stdin needs --json: ladder fit --json -")
        _ensure_index(ladder)
        for line in sys.stdin:
            _echo_json(_fit_line(ladder, line, filters))
        return
    if text is None and file is None:
        raise click.UsageError("give the TEXT to fit, or --file FILE")
    if text is not None and file is not None:
        raise click.UsageError("give either TEXT or --file, not both")
    content = text if text is not None else input_text(file.read(), getattr(file, "name", "<stdin>"))
    _ensure_index(ladder)
    report = ladder.fit(content, filters=filters)
    if as_json:
        _echo_json(report.to_json())
    else:
        _render_fit(report)


def _fit_line(ladder: Ladder, line: str, filters: Filters) -> dict[str, Any]:
    """One JSON Lines input of ``fit --json -`` -> its report, or {"error": ...}; never raises."""
    if not line.strip():
        return {"error": "empty line: give {\"text\": \"...\"}"}
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"error": f"not JSON ({exc.msg} at column {exc.colno}): give {{\"text\": \"...\"}} per line"}
    text = item.get("text") if isinstance(item, dict) else None
    if not isinstance(text, str):
        return {"error": 'each line needs a "text" string: {"text": "..."}'}
    try:
        return ladder.fit(text, filters=filters).to_json()
    except QueryError as exc:
        return {"error": str(exc)}


def _terminal(text: str) -> str:
    """Corpus text made safe for a terminal: control characters (escape sequences) shown as '?'."""
    return "".join("?" if ord(ch) < 32 or 127 <= ord(ch) < 160 else ch for ch in text)


@cli.command("changes")
@_global_options
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
        _echo_json(found.to_json())
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


@cli.command("doctor")
@_global_options
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


def _render_answer(answer: Answer) -> None:
    if answer.notice:
        echo(f"note: {answer.notice}", err=True)
    echo(answer.answer)
    linked = {(c.path, c.line): c.url for c in answer.citations if c.url}
    if linked:
        echo("\nSources:")
        for (path, line), url in linked.items():
            echo(f"  {safe_name(path)}:{line}  {safe(url)}")


@cli.command("ask")
@_global_options
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
            if not line.strip():  # one output per input line: a blank line gets an empty answer
                if as_json:
                    _echo_json(Answer(question="", answer="", found=False, citations=(), intent="").to_json())
                else:
                    echo("\nQ:" if not first else "Q:")
                first = False
                continue
            try:
                answer = ladder.ask(line.rstrip("\n"), generate=generate)
            except QueryError as exc:  # a bad line is reported and the batch goes on
                if as_json:
                    _echo_json({"question": line.rstrip("\n"), "found": False, "error": str(exc)})
                else:
                    echo(f"error: {exc}", err=True)
                continue
            if as_json:
                _echo_json(answer.to_json())
            else:
                if not first:
                    echo("")
                echo(f"Q: {answer.question}")
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


if __name__ == "__main__":
    sys.exit(main())
