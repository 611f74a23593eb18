"""ladder ask: one exact answer per question type on the fixture framework, bad input, the CLI.

The hashing fake embedder serves where retrieval quality does not matter (everything composed from
the structure); the real model serves level fit and the nearest bullets of unanswerable questions.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant import Ladder, QueryError, Settings, build_ladder
from assistant.ask import MAX_QUESTION_CHARS
from assistant.cli import cli
from index import Embedder, open_store

from .conftest import FIXTURE
from .fakes import HashingEmbedder

L2 = "platform/L2-Platform-Engineer.md"
L3 = "platform/L3-Senior-Platform-Engineer.md"
L4 = "platform/L4-Platform-Technical-Lead.md"
DATA = "data/L3-Senior-Data-Engineer.md"


def _ladder(root: Path, store: Path, embedder: Embedder) -> Ladder:
    lad = build_ladder(Settings(roles=(root,), store=store), embedder=embedder, store=open_store(store))
    lad.index()
    return lad


@pytest.fixture(scope="module")
def ladder(tmp_path_factory: pytest.TempPathFactory) -> Ladder:
    return _ladder(FIXTURE, tmp_path_factory.mktemp("ask") / "store", HashingEmbedder())


@pytest.fixture(scope="module")
def real_ladder(tmp_path_factory: pytest.TempPathFactory, real_embedder: Embedder) -> Ladder:
    return _ladder(FIXTURE, tmp_path_factory.mktemp("ask-real") / "store", real_embedder)


def cited(answer) -> list[tuple[str, int]]:
    return [(c.path, c.line) for c in answer.citations]


# -- attributes ----------------------------------------------------------------------------------

def test_attribute_of_one_role(ladder: Ladder) -> None:
    a = ladder.ask("What's the planning horizon of an L3 senior platform engineer?")
    assert (a.intent, a.found, a.candidates, a.generator) == ("attribute", True, (), "rules")
    assert a.answer == (
        "L3 Senior Platform Engineer has a planning horizon of: Current and next quarter. "
        "[L3 Senior Platform Engineer | platform/L3-Senior-Platform-Engineer.md:5]"
    )
    assert cited(a) == [(L3, 5)]
    c = a.citations[0]
    assert (c.role, c.level, c.dimension, c.text, c.kind) == (
        "Senior Platform Engineer", "L3", "", "Planning horizon: Current and next quarter.", "attribute")


def test_attribute_shared_by_every_role_a_name_fits(ladder: Ladder) -> None:
    a = ladder.ask("who evaluates an L3?")
    assert a.answer == (
        "L3 Senior Data Engineer and L3 Senior Platform Engineer are evaluated by: Manager. "
        "[L3 Senior Data Engineer | data/L3-Senior-Data-Engineer.md:7] "
        "[L3 Senior Platform Engineer | platform/L3-Senior-Platform-Engineer.md:7]"
    )
    assert cited(a) == [(DATA, 7), (L3, 7)]


def test_attribute_a_document_does_not_state(ladder: Ladder) -> None:
    a = ladder.ask("How much autonomy does an L3 have?")
    assert a.answer == (
        "Responsibility and direction needed for L3 Senior Platform Engineer: Takes vertical slices of the "
        "platform from idea to production. [L3 Senior Platform Engineer | platform/L3-Senior-Platform-Engineer.md:8]\n"
        'The L3 Senior Data Engineer document does not say: it has no "Responsibility and direction needed" line.'
    )
    assert (a.found, cited(a)) == (True, [(L3, 8)])
    none = ladder.ask("how much supervision does the senior data engineer need?")
    assert (none.found, none.citations, none.answer) == (
        False, (), 'The L3 Senior Data Engineer document does not say: it has no "Responsibility and direction needed" '
        'line.')


def test_two_attributes_and_natural_names(ladder: Ladder) -> None:
    a = ladder.ask("Who evaluates a tech lead, and how far ahead do they plan?")
    assert a.answer == (
        "L4 Platform Technical Lead has a planning horizon of: 6-12 months. "
        "[L4 Platform Technical Lead | platform/L4-Platform-Technical-Lead.md:5]\n"
        "L4 Platform Technical Lead is evaluated by: Manager or Director. "
        "[L4 Platform Technical Lead | platform/L4-Platform-Technical-Lead.md:7]"
    )


# -- dimensions ----------------------------------------------------------------------------------

def test_expectations_in_a_dimension(ladder: Ladder) -> None:
    a = ladder.ask("what's expected of an L2 platform engineer in teaching and mentoring?")
    assert (a.intent, a.found) == ("dimension", True)
    assert a.answer == (
        "Expected of L2 Platform Engineer in Teaching and Mentoring:\n"
        "- I share what I learn in our team channel. "
        "[L2 Platform Engineer | Teaching and Mentoring | platform/L2-Platform-Engineer.md:26]\n"
        "- I document every change I make in the team wiki. "
        "[L2 Platform Engineer | Teaching and Mentoring | platform/L2-Platform-Engineer.md:27]"
    )
    assert [(c.dimension, c.kind) for c in a.citations] == [("Teaching and Mentoring", "expectation")] * 2


def test_examples_in_a_dimension_by_level_alone(ladder: Ladder) -> None:
    a = ladder.ask("Give me examples of domain expertise at L4")
    assert a.answer == (
        "Examples for L4 Platform Technical Lead in Domain Expertise:\n"
        "- I convinced leadership to fund a multi-region failover project and led it to completion. "
        "[L4 Platform Technical Lead | Domain Expertise | platform/L4-Platform-Technical-Lead.md:22]\n"
        "- I reduced our cloud bill by a third by consolidating clusters. "
        "[L4 Platform Technical Lead | Domain Expertise | platform/L4-Platform-Technical-Lead.md:23]"
    )


def test_nested_bullets_carry_their_parent(ladder: Ladder) -> None:
    a = ladder.ask("what is expected of the platform technical lead in domain expertise?")
    assert a.answer.splitlines()[5:7] == [
        "- Within the wider organisation: I represent the platform team in architecture reviews. "
        "[L4 Platform Technical Lead | Domain Expertise | platform/L4-Platform-Technical-Lead.md:16]",
        "- Within the wider organisation: I negotiate priorities with other team leads. "
        "[L4 Platform Technical Lead | Domain Expertise | platform/L4-Platform-Technical-Lead.md:17]",
    ]
    assert a.citations[5].text == "Within the wider organisation: I negotiate priorities with other team leads."


def test_a_dimension_without_examples(ladder: Ladder) -> None:
    a = ladder.ask("examples of teaching and mentoring for the senior data engineer")
    assert (a.found, a.answer) == (
        False,
        "Examples for L3 Senior Data Engineer in Teaching and Mentoring:\n- The document gives no examples here.",
    )


def test_ambiguous_name_is_asked_back(ladder: Ladder) -> None:
    a = ladder.ask("What's expected of a senior in teaching and mentoring?")
    assert (a.intent, a.found, a.citations) == ("dimension", False, ())
    assert [(c.label, c.path) for c in a.candidates] == [
        ("L3 Senior Data Engineer", DATA), ("L3 Senior Platform Engineer", L3)]
    assert a.answer == (
        '"senior" fits 2 role documents: L3 Senior Data Engineer and L3 Senior Platform Engineer.\n'
        "Which one do you mean? Ask again with its full name, e.g. "
        '"What\'s expected of an L3 Senior Data Engineer in teaching and mentoring?"'
    )


# -- differences ---------------------------------------------------------------------------------

def test_difference_between_levels_in_a_dimension(ladder: Ladder) -> None:
    a = ladder.ask("How does L3 differ from L4 in teaching and mentoring?")
    assert (a.intent, a.found) == ("difference", True)
    assert a.answer == "\n".join([
        "L4 Platform Technical Lead compared with L3 Senior Platform Engineer in Teaching and Mentoring:",
        "Added in L4 Platform Technical Lead:",
        "- I grow senior engineers into technical leads by delegating ownership of projects. "
        "[L4 Platform Technical Lead | Teaching and Mentoring | platform/L4-Platform-Technical-Lead.md:29]",
        "- I run a quarterly training programme on reliability engineering for the whole department. "
        "[L4 Platform Technical Lead | Teaching and Mentoring | platform/L4-Platform-Technical-Lead.md:30]",
        "- I document every change I make in the team wiki. "
        "[L4 Platform Technical Lead | Teaching and Mentoring | platform/L4-Platform-Technical-Lead.md:31]",
        "- I coached a senior engineer until they could run the platform roadmap planning on their own. "
        "[L4 Platform Technical Lead | Teaching and Mentoring | platform/L4-Platform-Technical-Lead.md:36]",
        "Only in L3 Senior Platform Engineer (not in L4 Platform Technical Lead):",
        "- I mentor junior engineers through their first on-call rotations. "
        "[L3 Senior Platform Engineer | Teaching and Mentoring | platform/L3-Senior-Platform-Engineer.md:27]",
        "- I review infrastructure code and explain the reasons behind my suggestions. "
        "[L3 Senior Platform Engineer | Teaching and Mentoring | platform/L3-Senior-Platform-Engineer.md:28]",
        "- I paired with a new hire every week until they could handle pages alone. "
        "[L3 Senior Platform Engineer | Teaching and Mentoring | platform/L3-Senior-Platform-Engineer.md:33]",
    ])
    assert cited(a) == [(L4, 29), (L4, 30), (L4, 31), (L4, 36), (L3, 27), (L3, 28), (L3, 33)]


def test_difference_overall_starts_with_the_attributes(ladder: Ladder) -> None:
    a = ladder.ask("compare the L2 platform engineer with the L3 senior platform engineer")
    assert a.answer.splitlines()[:4] == [
        "L3 Senior Platform Engineer compared with L2 Platform Engineer:",
        '- Planning horizon: "Current and next sprint." [L2 Platform Engineer | platform/L2-Platform-Engineer.md:5] '
        'becomes "Current and next quarter." [L3 Senior Platform Engineer | platform/L3-Senior-Platform-Engineer.md:5]',
        '- Impact radius: "Self plus some teammates." [L2 Platform Engineer | platform/L2-Platform-Engineer.md:6] '
        'becomes "Peers (2-5)." [L3 Senior Platform Engineer | platform/L3-Senior-Platform-Engineer.md:6]',
        '- Responsibility and direction needed: "Weekly supervision from a senior engineer." '
        "[L2 Platform Engineer | platform/L2-Platform-Engineer.md:8] "
        'becomes "Takes vertical slices of the platform from idea to production." '
        "[L3 Senior Platform Engineer | platform/L3-Senior-Platform-Engineer.md:8]",
    ]
    assert a.answer.splitlines()[4] == "Domain Expertise: Added in L3 Senior Platform Engineer:"
    assert len(a.citations) == 3 * 2 + 16


def test_difference_to_the_next_level_and_borrowed_role_words(ladder: Ladder) -> None:
    nxt = ladder.ask("What changes at the next level for an L3 platform engineer in teaching and mentoring?")
    borrowed = ladder.ask("how does an L3 platform engineer differ from L4 in teaching and mentoring?")
    assert nxt.answer == borrowed.answer
    assert nxt.answer.splitlines()[0] == (
        "L4 Platform Technical Lead compared with L3 Senior Platform Engineer in Teaching and Mentoring:")
    both = ladder.ask("how do L3 and L4 platform engineers differ in teaching and mentoring?")
    assert both.answer == nxt.answer
    top = ladder.ask("what's the next level for the platform technical lead?")
    assert (top.found, top.answer) == (
        False, "L4 Platform Technical Lead is the highest level of its track (Platform) in the documents.")


def test_difference_with_a_dimension_neither_has(ladder: Ladder) -> None:
    a = ladder.ask("how does the L3 data engineer differ from the L4 tech lead in teaching?")
    assert a.answer.splitlines()[0] == (
        "L4 Platform Technical Lead compared with L3 Senior Data Engineer in Teaching and Mentoring:")
    assert a.answer.splitlines()[-1] == (
        "- I teach analysts to write efficient SQL queries. "
        "[L3 Senior Data Engineer | Teaching and Mentoring | data/L3-Senior-Data-Engineer.md:16]")


# -- definitions ---------------------------------------------------------------------------------

def test_definition_of_an_attribute(ladder: Ladder) -> None:
    a = ladder.ask("What does impact radius mean?")
    assert (a.intent, a.found, a.answer) == (
        "definition", True, "Impact radius: Who is affected by the work you do [Platform Roles | README.md:11]")
    c = a.citations[0]
    assert (c.path, c.line, c.role, c.level, c.kind) == ("README.md", 11, "Platform Roles", "", "overview")


def test_difference_between_tracks_is_a_definition(ladder: Ladder) -> None:
    a = ladder.ask("What's the difference between a platform engineer and a data engineer?")
    assert (a.intent, a.found) == ("definition", True)
    assert a.answer == (
        "Platform Engineers build and run the deployment pipeline, the clusters and the observability stack. "
        "[Platform Roles | README.md:5]\n"
        "Data Engineers build the pipelines that move and model the company's data. [Platform Roles | README.md:6]"
    )


def test_role_overview(ladder: Ladder) -> None:
    a = ladder.ask("tell me about the L2 platform engineer")
    lines = a.answer.splitlines()
    assert (a.intent, a.found) == ("role", True)
    assert lines[:2] == [
        "L2 Platform Engineer: I am a dependable member of the platform team who delivers small, well-defined "
        "changes to our infrastructure with weekly guidance. "
        "[L2 Platform Engineer | platform/L2-Platform-Engineer.md:3]",
        "- Planning horizon: Current and next sprint. [L2 Platform Engineer | platform/L2-Platform-Engineer.md:5]",
    ]
    assert lines[5] == "Domain Expertise:"
    assert len(lines) == 12


# -- lookups and what the documents don't say -----------------------------------------------------

def test_lookup_groups_identical_bullets(ladder: Ladder) -> None:
    a = ladder.ask("Which roles mention the team wiki?")
    assert (a.intent, a.found) == ("lookup", True)
    assert a.answer == (
        'Where the documents mention "team wiki":\n'
        "- L2 Platform Engineer, L3 Senior Platform Engineer and L4 Platform Technical Lead: "
        "I document every change I make in the team wiki. "
        "[L2 Platform Engineer | Teaching and Mentoring | platform/L2-Platform-Engineer.md:27] "
        "[L3 Senior Platform Engineer | Domain Expertise | platform/L3-Senior-Platform-Engineer.md:15] "
        "[L4 Platform Technical Lead | Teaching and Mentoring | platform/L4-Platform-Technical-Lead.md:31]"
    )


def test_lookup_in_a_role_that_does_not_say_it(ladder: Ladder) -> None:
    a = ladder.ask("Does an L2 platform engineer write blameless postmortems?")
    assert (a.intent, a.found) == ("not-covered", False)
    assert a.answer == (
        'The L2 Platform Engineer document does not mention "write blameless postmortems". Other role documents do:\n'
        "- L3 Senior Platform Engineer: I lead incident response for platform outages and write blameless "
        "postmortems. [L3 Senior Platform Engineer | Domain Expertise | platform/L3-Senior-Platform-Engineer.md:14]"
    )


def test_lookup_of_a_common_word_answers_nothing(ladder: Ladder) -> None:
    a = ladder.ask("Which roles mention the team?")
    assert (a.intent, a.found, a.answer.splitlines()[0]) == ("not-covered", False, "The documents don't answer this.")


def test_not_covered_says_so_and_shows_the_nearest_bullets(real_ladder: Ladder) -> None:
    a = real_ladder.ask("What is the salary of a senior platform engineer?")
    assert (a.intent, a.found) == ("not-covered", False)
    lines = a.answer.splitlines()
    assert lines[:2] == ["The documents don't answer this.", "The nearest bullets are:"]
    assert len(lines) == 5 and len(a.citations) == 3
    assert {c.path for c in a.citations} == {L3}


def test_unknown_level(ladder: Ladder) -> None:
    a = ladder.ask("who evaluates an L9?")
    assert (a.intent, a.found, a.answer) == (
        "not-covered", False, "The framework doesn't cover this: no role document in the index matches \"L9\". "
        "The levels it holds are: L2, L3, L4; its tracks are: Data, Platform.")


# -- level fit -----------------------------------------------------------------------------------

def test_which_level_fits_is_handed_to_level_fit(real_ladder: Ladder) -> None:
    a = real_ladder.ask("Which level fits someone who mentors junior engineers through their first on-call rotations?")
    assert (a.intent, a.found) == ("fit", True)
    lines = a.answer.splitlines()
    assert lines[0] == (
        "This asks which level fits a description of work, so it was handed to level fit (the same as `ladder fit`) "
        'with: "mentors junior engineers through their first on-call rotations".'
    )
    assert lines[1].startswith("Best fit: L3 Senior Platform Engineer (")
    assert lines[2] == (
        '- "mentors junior engineers through their first on-call rotations" matches: I mentor junior engineers '
        "through their first on-call rotations. "
        "[L3 Senior Platform Engineer | Teaching and Mentoring | platform/L3-Senior-Platform-Engineer.md:27]"
    )
    assert cited(a)[0] == (L3, 27)


def test_fit_falls_back_to_search_without_level_fit(ladder: Ladder) -> None:
    from assistant.ask import AskContext, answer_question

    no_fit = AskContext(corpus=ladder.corpus(), search=ladder.search)  # no fit, no embedding, no store needed
    a = answer_question(no_fit, "which level fits someone who writes terraform modules with review?")
    assert (a.intent, a.found) == ("fit", True)
    assert a.answer.splitlines()[:3] == [
        "This asks which level fits a description of work. Level fit is not available here, so this is based on "
        "search instead.",
        "Closest role document: L2 Platform Engineer. The closest bullets are:",
        "- L2 Platform Engineer: I write Terraform modules for small pieces of infrastructure with review from a "
        "senior engineer. [L2 Platform Engineer | Domain Expertise | platform/L2-Platform-Engineer.md:13]",
    ]


# -- bad input -----------------------------------------------------------------------------------

@pytest.mark.parametrize("question", ["", "   ", "\n\t", "\x00\x07"])
def test_empty_question_is_refused(ladder: Ladder, question: str) -> None:
    with pytest.raises(QueryError, match="the question is empty") as err:
        ladder.ask(question)
    assert err.value.exit_code == 2


def test_very_long_question_is_shortened_with_a_notice(ladder: Ladder) -> None:
    a = ladder.ask("who evaluates an L2? " + "please " * 400)
    assert a.notice == (
        "question shortened from 2,820 to 993 characters (the limit is 1,000; use `ladder fit` for long "
        "descriptions of work)")
    assert len(a.question) == 993 <= MAX_QUESTION_CHARS
    assert a.answer == (
        "L2 Platform Engineer is evaluated by: Manager. [L2 Platform Engineer | platform/L2-Platform-Engineer.md:7]")


@pytest.mark.parametrize(
    "question",
    [
        "¿Quién evalúa a un ingeniero de plataforma L2?",
        "L3 的规划期是多久？",
        "Что ожидается от инженера?",
        "🤔🤔🤔",
        "???",
    ],
)
def test_non_english_is_answered_honestly(ladder: Ladder, question: str) -> None:
    a = ladder.ask(question)
    assert (a.intent, a.found) == ("not-covered", False)
    assert a.answer.splitlines()[0] == "The documents don't answer this."


def test_json_contract(ladder: Ladder) -> None:
    data = ladder.ask("who evaluates an L2?").to_json()
    assert list(data) == ["question", "answer", "found", "citations", "intent", "candidates", "notice", "generator"]
    assert data["citations"] == [{
        "id": data["citations"][0]["id"], "path": L2, "line": 7, "role": "Platform Engineer", "level": "L2",
        "dimension": "", "text": "Evaluation: Manager.", "kind": "attribute", "url": "",
    }]
    asked_back = ladder.ask("examples of mentoring for a senior").to_json()
    assert asked_back["candidates"] == [
        {"path": DATA, "level": "L3", "role": "Senior Data Engineer", "track": "Data"},
        {"path": L3, "level": "L3", "role": "Senior Platform Engineer", "track": "Platform"},
    ]


# -- the CLI -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cli_store(tmp_path_factory: pytest.TempPathFactory, real_embedder: Embedder) -> Path:
    store = tmp_path_factory.mktemp("ask-cli") / "store"
    _ladder(FIXTURE, store, real_embedder)
    return store


def run(store: Path, *args: str, input: str | None = None):
    return CliRunner().invoke(cli, ["--store", str(store), *args], input=input, catch_exceptions=False)


def test_cli_text_and_json(cli_store: Path) -> None:
    out = run(cli_store, "ask", "who evaluates a tech lead?")
    assert (out.exit_code, out.output) == (
        0, "L4 Platform Technical Lead is evaluated by: Manager or Director. "
           "[L4 Platform Technical Lead | platform/L4-Platform-Technical-Lead.md:7]\n")
    data = json.loads(run(cli_store, "ask", "who evaluates a tech lead?", "--json").output)
    assert (data["intent"], data["found"], [c["line"] for c in data["citations"]]) == ("attribute", True, [7])


def test_cli_stdin_batch_one_json_object_per_line(cli_store: Path) -> None:
    out = run(cli_store, "ask", "--json", "-", input="what does impact radius mean?\n\n\x00\nwho evaluates an L2?\n")
    lines = [json.loads(line) for line in out.output.splitlines()]
    assert [(d["question"], d.get("intent"), d.get("error")) for d in lines] == [
        ("what does impact radius mean?", "definition", None),
        ("", "", None),  # a blank line: an empty answer, so output lines match input lines
        ("\x00", None, "the question is empty; ask e.g. 'who evaluates an L3?' or 'what does impact radius mean?'"),
        ("who evaluates an L2?", "attribute", None),
    ]


def test_cli_stdin_text_mode_and_help(cli_store: Path) -> None:
    out = run(cli_store, "ask", "-", input="who evaluates an L2?\nwho evaluates an L4?\n")
    assert out.output == (
        "Q: who evaluates an L2?\n"
        "L2 Platform Engineer is evaluated by: Manager. [L2 Platform Engineer | platform/L2-Platform-Engineer.md:7]\n"
        "\n"
        "Q: who evaluates an L4?\n"
        "L4 Platform Technical Lead is evaluated by: Manager or Director. "
        "[L4 Platform Technical Lead | platform/L4-Platform-Technical-Lead.md:7]\n"
    )
    help_text = CliRunner().invoke(cli, ["ask", "--help"]).output
    assert "Example:\n    ladder ask \"who evaluates a technical lead?\"" in help_text


def test_cli_empty_question_exits_2(cli_store: Path) -> None:
    from assistant.cli import main

    assert main(["--store", str(cli_store), "ask", "  "]) == 2


def test_answers_are_the_same_from_many_threads(ladder: Ladder) -> None:
    from concurrent.futures import ThreadPoolExecutor

    questions = ["who evaluates an L3?", "what does impact radius mean?", "which roles mention the team wiki?",
                 "how does L3 differ from L4 in teaching and mentoring?"] * 4
    expected = [ladder.ask(q).to_json() for q in questions]
    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(lambda q: ladder.ask(q).to_json(), questions)) == expected
