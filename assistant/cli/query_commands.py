"""``ladder search``, ``fit`` and ``ask``, and how each renders its result on a terminal."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from index import QueryError
from index.files import input_text

from .. import Ladder
from ..answers import Answer
from ..results import Filters, FitReport, SearchResponse
from ..terminal import echo, safe, safe_name
from .options import echo_json, ensure_index, filter_options, global_options, pass_ladder

R = TypeVar("R")


def each_stdin_line(
    answer: Callable[[str], R],
    show: Callable[[R], None],
    *,
    blank: Callable[[], R],
    error: Callable[[str, QueryError], R | None] | None = None,
) -> None:
    """The batch mode of ``search``, ``fit`` and ``ask`` (argument '-'): one output per line of
    standard input, so outputs line up with inputs (the model loads once).

    Each line (without its newline) gets ``show(answer(line))``; a blank line ``show(blank())``.
    A line ``answer`` refuses with a QueryError gets ``show(error(line, exc))`` when ``error`` is
    given (returning None shows nothing) and the batch goes on; without ``error`` it propagates.
    """
    for raw in sys.stdin:
        line = raw.rstrip("\n")
        if not line.strip():
            show(blank())
            continue
        try:
            result = answer(line)
        except QueryError as exc:
            if error is None:
                raise
            failed = error(line, exc)
            if failed is not None:
                show(failed)
            continue
        show(result)


def _render_search(response: SearchResponse) -> None:
    if response.notice:
        echo(f"note: {response.notice}", err=True)
    if not response.results and not response.overviews:
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
    if response.overviews:
        echo("From the overview pages:")
        for r in response.overviews:
            echo(f"   [{r.score:.2f} {r.strength}] {safe(r.plain)}  ({safe_name(r.path)}:{r.line})")


@click.command("search")
@global_options
@click.argument("query")
@click.option("-k", "k", type=int, default=10, show_default=True, help="How many results.")
@filter_options
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
    ladder.glossary  # noqa: B018 - a bad glossary file is reported before any indexing
    ensure_index(ladder)
    if query == "-" and as_json:
        each_stdin_line(
            lambda q: ladder.search(q, k=k, filters=filters, mode=mode).to_json(),
            echo_json,
            blank=lambda: SearchResponse(query="", results=(), levels=()).to_json(),
            error=lambda q, exc: {"query": q, "error": str(exc)},
        )
        return
    if query == "-":
        each_stdin_line(
            lambda q: ladder.search(q, k=k, filters=filters, mode=mode),
            _render_search,
            blank=lambda: SearchResponse(query="", results=(), levels=()),
        )
        return
    response = ladder.search(query, k=k, filters=filters, mode=mode)
    if as_json:
        echo_json(response.to_json())
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


@click.command("fit")
@global_options
@click.argument("text", required=False)
@click.option("--file", "file", type=click.File("rb"), help="Read the description from FILE ('-' for stdin).")
@filter_options
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
        ensure_index(ladder)
        each_stdin_line(
            lambda line: ladder.fit(_fit_input(line), filters=filters).to_json(),
            echo_json,
            blank=lambda: {"error": 'empty line: give {"text": "..."}'},
            error=lambda _, exc: {"error": str(exc)},
        )
        return
    if text is None and file is None:
        raise click.UsageError("give the TEXT to fit, or --file FILE")
    if text is not None and file is not None:
        raise click.UsageError("give either TEXT or --file, not both")
    content = text if text is not None else input_text(file.read(), getattr(file, "name", "<stdin>"))
    ensure_index(ladder)
    report = ladder.fit(content, filters=filters)
    if as_json:
        echo_json(report.to_json())
    else:
        _render_fit(report)


def _fit_input(line: str) -> str:
    """The text of one JSON Lines input of ``fit --json -``; QueryError says what a line needs."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise QueryError(f"not JSON ({exc.msg} at column {exc.colno}): give {{\"text\": \"...\"}} per line") from exc
    text = item.get("text") if isinstance(item, dict) else None
    if not isinstance(text, str):
        raise QueryError('each line needs a "text" string: {"text": "..."}')
    return text


def _render_answer(answer: Answer) -> None:
    if answer.notice:
        echo(f"note: {answer.notice}", err=True)
    echo(answer.answer)
    linked = {(c.path, c.line): c.url for c in answer.citations if c.url}
    if linked:
        echo("\nSources:")
        for (path, line), url in linked.items():
            echo(f"  {safe_name(path)}:{line}  {safe(url)}")


@click.command("ask")
@global_options
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
    ladder.glossary  # noqa: B018 - a bad glossary file is reported before any indexing
    ensure_index(ladder)
    if question == "-" and as_json:
        each_stdin_line(
            lambda q: ladder.ask(q, generate=generate).to_json(),
            echo_json,
            blank=lambda: Answer(question="", answer="", found=False, citations=(), intent="").to_json(),
            error=lambda q, exc: {"question": q, "found": False, "error": str(exc)},
        )
        return
    if question == "-":
        shown = 0

        def show(answer: Answer | None) -> None:  # None: a blank line
            nonlocal shown
            if answer is None:
                echo("\nQ:" if shown else "Q:")
            else:
                if shown:
                    echo("")
                echo(f"Q: {answer.question}")
                _render_answer(answer)
            shown += 1

        def report(_: str, exc: QueryError) -> None:
            echo(f"error: {exc}", err=True)  # a bad line is reported and the batch goes on

        each_stdin_line(lambda q: ladder.ask(q, generate=generate), show, blank=lambda: None, error=report)
        return
    answer = ladder.ask(question, generate=generate)
    if as_json:
        echo_json(answer.to_json())
    else:
        _render_answer(answer)
