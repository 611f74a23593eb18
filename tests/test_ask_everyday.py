"""Search and Ask in everyday words (issue 10), on the wider shared framework with the real model:
abbreviations, title words and paraphrases; navigation is not content; no question crashes;
``found`` means an answer. Also the seam: answering code imports nothing from the service and
``assistant/`` has no import circle.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant import Ladder, Settings, build_ladder
from assistant.ask import AskContext, answer_question
from assistant.cli import cli
from assistant.corpus import is_navigation
from assistant.understand import understand
from index import Embedder, QueryError, open_store

from .conftest import FIXTURE, SHARED
from .fakes import HashingEmbedder

WIDE = SHARED / "corpora" / "people-wide"
SRE = "Engineering/Site-Reliability-Engineering"
ANALYST = "Security-Operations/Security-Analyst"


@pytest.fixture(scope="module")
def wide_store(tmp_path_factory: pytest.TempPathFactory, real_embedder: Embedder) -> Path:
    if not WIDE.is_dir():
        pytest.fail(f"{WIDE} is missing: tests read the shared corpus beside the repository")
    store = tmp_path_factory.mktemp("everyday") / "store"
    build_ladder(Settings(roles=(WIDE,), store=store), embedder=real_embedder, store=open_store(store)).index()
    return store


@pytest.fixture(scope="module")
def wide(wide_store: Path, real_embedder: Embedder) -> Ladder:
    return build_ladder(Settings(roles=(WIDE,), store=wide_store), embedder=real_embedder,
                        store=open_store(wide_store))


def cited(answer) -> list[tuple[str, int]]:
    return [(c.path, c.line) for c in answer.citations]


# -- query understanding -------------------------------------------------------------------------

def test_understand_names_in_everyday_words(wide: Ladder) -> None:
    corpus = wide.corpus()
    lead_sre = understand("whats the planning horizon for a lead SRE?", corpus)
    assert lead_sre.document == f"{SRE}/L4-Lead-Site-Reliability-Engineer.md"
    assert (lead_sre.attributes, lead_sre.tracks) == (("planning_horizon",), ("Site Reliability Engineering",))
    secops = understand("how many people does a senior secops analyst's work usually touch?", corpus)
    assert (secops.document, secops.attributes) == (f"{ANALYST}/L3-Senior-Security-Analyst.md", ("impact_radius",))
    typo = understand("customer success expectations for an L2 cloud enginer?", corpus)
    assert (typo.document, typo.levels, typo.dimensions) == (
        "Engineering/Cloud-Engineering/L2-Cloud-Engineer.md", ("L2",), ("Customer Success",))
    lead = understand("what does a lead do?", corpus)
    assert lead.ambiguous and not lead.document and len(lead.documents) == 6  # four Leads, two Technical Leads
    assert understand("the weather is nice", corpus).documents == ()


@pytest.mark.parametrize("text", [
    "I discovered our log monitoring was set up in a way that missed attacks",  # "set": SEcurity Engineer Technical
    "I have seen this alert before",  # "seen": SEcurity ENgineer
    "I sat with the new hire every morning",  # "sat": Security Analyst Technical (lead)
])
def test_ordinary_words_are_not_read_as_shortened_names(wide: Ladder, text: str) -> None:
    assert understand(text, wide.corpus()).tracks == ()


def test_acronyms_of_real_names_still_name_them(wide: Ladder) -> None:
    corpus = wide.corpus()
    assert understand("CSE on call", corpus).tracks == ("Security Engineer",)  # (Senior) Cloud Security Engineer
    assert understand("sre on call", corpus).tracks == ("Site Reliability Engineering",)
    assert understand("SATL duties", corpus).document.endswith("L4-Security-Analyst-Technical-Lead.md")


# -- ask ------------------------------------------------------------------------------------------

def test_a_fact_asked_in_jargon_is_found_in_its_plain_words_and_says_so(wide: Ladder) -> None:
    a = wide.ask("what terraform work does a lead cloud engineer do?")
    assert a.found
    lines = a.answer.splitlines()
    assert lines[0] == """Read "terraform" as "infrastructure as code" (the documents' words):"""
    assert "I can design and implement infrastructure as code and guide my team in these practices." in lines[2]
    assert ("Engineering/Cloud-Engineering/L4 - Lead Cloud Engineer.md", 15) in cited(a)


@pytest.mark.parametrize("question", ["what is an SRE?", "what is SRE?", "what does SRE stand for?"])
def test_what_is_an_sre_is_answered_from_the_sre_pages(wide: Ladder, question: str) -> None:
    a = wide.ask(question)
    assert (a.intent, a.found) == ("definition", True)
    assert a.answer.splitlines()[0] == '"SRE" is short for Site Reliability Engineer (from the names in the framework).'
    assert all(c.path.startswith(SRE + "/") for c in a.citations)


def test_difference_between_two_named_levels(wide: Ladder) -> None:
    a = wide.ask("how does L2 Site Reliability Engineer differ from L3 Senior Site Reliability Engineer?")
    assert (a.intent, a.found) == ("difference", True)
    assert a.answer.splitlines()[0] == (
        "L3 Senior Site Reliability Engineer compared with L2 Site Reliability Engineer:")
    assert {p for p, _ in cited(a)} == {f"{SRE}/L2-Site-Reliability-Engineer.md",
                                        f"{SRE}/L3-Senior-Site-Reliability-Engineer.md"}


@pytest.mark.parametrize("question, first", [
    ("what does a lead support engineer do differently from a senior one?",
     "L4 Lead DevOps Support Engineer compared with L3 Senior DevOps Support Engineer"),
    ("difference between a junior security analyst and a senior one",
     "L3 Senior Security Analyst compared with L1 Junior Security Analyst"),
])
def test_a_seniority_word_alone_takes_the_role_just_named(wide: Ladder, question: str, first: str) -> None:
    answer = wide.ask(question)
    assert answer.found and answer.intent == "difference"
    assert answer.answer.startswith(first + ":")


def test_a_level_the_named_track_lacks_is_not_answered_from_another_track(wide: Ladder) -> None:
    answer = wide.ask("what's the planning horizon of an L6 SRE?")
    assert not answer.found and answer.intent == "not-covered"
    assert answer.answer == (
        'The framework doesn\'t cover this: no role document in the index matches "L6 SRE". The role documents '
        "whose names have those words are: L2 Site Reliability Engineer, L3 Senior Site Reliability Engineer and "
        "L4 Lead Site Reliability Engineer.")


def test_a_level_the_managers_ladder_lacks_is_not_answered_from_the_engineers(wide: Ladder) -> None:
    answer = wide.ask("who evaluates an L3 support manager?")
    assert not answer.found and answer.intent == "not-covered"
    assert answer.answer.endswith(
        "The role documents whose names have those words are: L4 Support Manager and L5 Senior Support Manager.")


def test_ops_is_short_for_operations(wide: Ladder) -> None:
    answer = wide.ask("who reviews a security ops manager's performance?")
    assert answer.answer == (
        'The L5 Senior Security Operations Manager document does not say: it has no "Evaluated by" line.')
    assert not answer.found


def test_difference_without_a_dimension_covers_every_dimension(wide: Ladder) -> None:
    a = wide.ask("what does a support manager do that a lead support engineer doesnt?")
    assert (a.intent, a.found) == ("difference", True)
    assert a.answer.splitlines()[0] == "L4 Lead DevOps Support Engineer compared with L4 Support Manager:"
    assert ("Support/L4-Support-Manager.md", 16) in cited(a)
    dims = {c.dimension for c in a.citations if c.dimension}
    assert len(dims) >= 3


def test_a_role_the_framework_does_not_have(wide: Ladder) -> None:
    a = wide.ask("what does a data engineer do?")
    assert (a.intent, a.found, a.citations) == ("not-covered", False, ())
    assert a.answer.startswith(
        "The framework doesn't cover this: no role document in the index matches \"data engineer\".")


@pytest.mark.parametrize(
    ("question", "value", "where"),
    [
        ("whats the planning horizon for a lead SRE?", "6-12 months",
         (f"{SRE}/L4-Lead-Site-Reliability-Engineer.md", 5)),
        ("how many people does a senior secops analyst's work usually touch?", "Peers (2-5)",
         (f"{ANALYST}/L3-Senior-Security-Analyst.md", 6)),
        ("how much hand-holding does a junior security analyst get from their manager?", "Daily to weekly",
         (f"{ANALYST}/L1-Junior-Security-Analyst.md", 8)),
        ("who reviews my performance as a principle software engineer?", "Director",
         ("Engineering/Software-Engineering/L5-Principal-Software-Engineer.md", 7)),
    ],
)
def test_attributes_asked_indirectly(wide: Ladder, question: str, value: str, where: tuple[str, int]) -> None:
    a = wide.ask(question)
    assert (a.intent, a.found, a.candidates) == ("attribute", True, ())
    assert value in a.answer
    assert cited(a) == [where]


def test_ambiguous_names_are_asked_back_with_the_exact_choices(wide: Ladder) -> None:
    a = wide.ask("who evaluates a lead?")
    assert (a.found, a.intent) == (False, "attribute")
    assert [c.role for c in a.candidates] == [
        "Lead Cloud Engineer", "Security Analyst Technical Lead", "Security Engineer Technical Lead",
        "Lead Site Reliability Engineer", "Lead Software Engineer", "Lead DevOps Support Engineer"]
    assert a.answer.splitlines()[-1].startswith("Which one do you mean? Ask again with its full name, e.g. ")


@pytest.mark.parametrize(
    "question", ["what's the salary range for a senior SRE?", "how many days of PTO do support engineers get?",
                 "how long do i have to be at L2 before i can go for senior?", "do SREs get paid extra for on call?"])
def test_what_frameworks_leave_out_is_declined(wide: Ladder, question: str) -> None:
    a = wide.ask(question)
    assert (a.intent, a.found) == ("not-covered", False)
    assert a.answer.splitlines()[0] == "The documents don't answer this."


def test_the_list_of_dimensions_cites_the_overview(wide: Ladder) -> None:
    a = wide.ask("what are the 4 areas secops people get assessed on?")
    assert (a.intent, a.found) == ("dimension", True)
    assert a.answer.splitlines()[1:] == [
        "- Domain Expertise [Security Operations Roles | Security-Operations/README.md:20]",
        "- Teaching and Mentoring [Security Operations Roles | Security-Operations/README.md:21]",
        "- Culture and Leadership [Security Operations Roles | Security-Operations/README.md:22]",
        "- Business Success [Security Operations Roles | Security-Operations/README.md:23]",
    ]


def test_json_found_is_true_for_answers(wide_store: Path) -> None:
    questions = ["who evaluates a tech lead?", "what is the ISMS that secops keeps talking about?",
                 "what's the salary range for a senior SRE?"]
    out = CliRunner().invoke(cli, ["--store", str(wide_store), "ask", "--json", "-"],
                             input="".join(q + "\n" for q in questions), catch_exceptions=False)
    rows = [json.loads(line) for line in out.output.splitlines()]
    assert [(r["question"], r["found"]) for r in rows] == list(zip(questions, [True, True, False], strict=True))
    assert all(r["citations"] for r in rows[:2])


def test_batch_text_mode_goes_on_after_a_bad_line(wide_store: Path) -> None:
    out = CliRunner().invoke(cli, ["--store", str(wide_store), "ask", "-"],
                             input="\x00\nwho evaluates a tech lead?\n", catch_exceptions=False)
    assert out.exit_code == 0
    assert "error: the question is empty" in out.stderr
    assert "Q: who evaluates a tech lead?" in out.stdout


# -- search ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "query", ["What's the impact radius for a junior security analyst?",
              "how much supervision does an L2 security analyst get", "mentoring"])
def test_navigation_is_not_a_search_result(wide: Ladder, query: str) -> None:
    corpus = wide.corpus()
    results = wide.search(query, k=10).results
    assert results
    assert not any(is_navigation(corpus.by_id[r.id]) for r in results)
    assert not any(r.text.lstrip("- ").startswith("[") for r in results)
    assert results[0].plain != "🌱 Teaching and Mentoring"


def test_the_named_roles_attribute_comes_before_the_table_of_contents(wide: Ladder) -> None:
    found = wide.search("What's the impact radius for a junior security analyst?", k=3)
    # the named role's impact radius first; the overview's definition of impact radius (not a link
    # list) first among the overview passages, which are listed apart from the bullets
    assert (found.results[0].path, found.results[0].line) == (f"{ANALYST}/L1-Junior-Security-Analyst.md", 6)
    assert (found.overviews[0].path, found.overviews[0].line) == ("Security-Operations/README.md", 14)
    assert all(r.kind != "overview" for r in found.results)


def test_navigation_lines_are_recognised() -> None:
    from index import Chunk

    def overview(text: str, plain: str, key: str = "") -> Chunk:
        return Chunk(id="x", text=text, plain=plain, kind="overview", level="", level_num=-1.0, role="", track="",
                     dimension="", path="README.md", line=1, key=key)

    dims = frozenset({"teaching and mentoring"})
    assert is_navigation(overview("- [L1 Junior](./L1.md)", "L1 Junior"))
    assert is_navigation(overview("- [L1](./L1.md), [L2](./L2.md)", "L1, L2"))
    assert is_navigation(overview("🌱 Teaching and Mentoring", "🌱 Teaching and Mentoring"), dims)
    assert is_navigation(overview("🦉", "🦉"))
    assert not is_navigation(overview("See [the guide](./g.md) first.", "See the guide first."))
    assert not is_navigation(overview("We care about mentoring.", "We care about mentoring."), dims)


# -- never a traceback ----------------------------------------------------------------------------

_ROLES = ["SRE", "secops analyst", "swe", "tech lead", "EM", "senior", "junior dev", "principle enginer",
          "L3", "L1.0", "level 4", "security eng", "lead", "cloud engineer", "data engineer", "L9 wizard",
          "support manager", "graduate", "secuirty analyst", ""]
_ASKS = ["what's the planning horizon for {r}?", "who evaluates {r}", "how does {r} differ from {r2}?",
         "what is {r}?", "what does {r} do", "{r} vs {r2}", "teaching and mentoring for {r}", "does {r} write tests?",
         "which level fits someone who {r}", "what are the expectaitons for {r}?", "how many people does {r} affect",
         "{r}", "salary for {r}?", "what changes from {r} to {r2}?", "what are the areas {r} is assessed on?"]
_questions = st.one_of(
    st.builds(lambda t, r, r2: t.format(r=r, r2=r2), st.sampled_from(_ASKS), st.sampled_from(_ROLES),
              st.sampled_from(_ROLES)),
    st.text(min_size=1, max_size=80),
    st.text(alphabet="lL0123456789 .-?/,'\"", min_size=1, max_size=20),
)


def _check(ctx: AskContext, question: str) -> None:
    try:
        a = answer_question(ctx, question)
    except QueryError:
        assert not "".join(ch for ch in question if ch.isprintable()).strip()
        return
    assert a.answer.strip()
    if a.found:
        assert a.citations, (question, a.answer)
    if a.candidates:
        assert not a.found


@pytest.fixture(scope="module")
def fixture_context(tmp_path_factory: pytest.TempPathFactory) -> AskContext:
    store = tmp_path_factory.mktemp("prop") / "store"
    embedder = HashingEmbedder()
    lad = build_ladder(Settings(roles=(FIXTURE,), store=store), embedder=embedder, store=open_store(store))
    lad.index()
    return lad.ask_context()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(question=_questions)
def test_generated_questions_never_crash_fixture(fixture_context: AskContext, question: str) -> None:
    _check(fixture_context, question)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(question=_questions)
def test_generated_questions_never_crash_wide(wide: Ladder, question: str) -> None:
    _check(wide.ask_context(), question)


# -- the seam -------------------------------------------------------------------------------------

_PACKAGE = Path(__file__).resolve().parent.parent / "assistant"


def _imports(path: Path) -> set[str]:
    """Modules of ``assistant`` that ``path`` imports (outside ``if TYPE_CHECKING:``), dotted."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = ".".join(path.relative_to(_PACKAGE.parent).with_suffix("").parts)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    if path.name == "__init__.py":
        module = package
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for n in ast.walk(node))
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            if name.startswith("assistant"):
                out.add(name)
                out.update(f"{name}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("assistant"))
    return out


def _graph() -> dict[str, set[str]]:
    files = {".".join(p.relative_to(_PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__"): p
             for p in _PACKAGE.rglob("*.py")}
    return {m: {i for i in _imports(p) if i in files and i != m} for m, p in files.items()}


def test_answering_code_does_not_import_the_service() -> None:
    graph = _graph()
    ask_modules = [m for m in graph if m == "assistant.ask" or m.startswith("assistant.ask.")]
    assert len(ask_modules) >= 5
    for m in ask_modules:
        assert "assistant.service" not in graph[m], m


def test_no_import_circle_in_assistant() -> None:
    graph = _graph()
    # a package imports its own modules from __init__; a module importing its package's __init__ is not a circle
    edges = {m: {i for i in deps if not m.startswith(i + ".")} for m, deps in graph.items()}
    state: dict[str, int] = {}

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for n in edges.get(m, ()):
            if state.get(n) == 1:
                raise AssertionError("import circle: " + " -> ".join([*path, m, n]))
            if not state.get(n):
                visit(n, [*path, m])
        state[m] = 2

    for m in sorted(edges):
        if not state.get(m):
            visit(m, [])


def test_search_sets_misspelled_names_right_and_says_so(wide: Ladder) -> None:
    typo = wide.search("secuirty enginer reviewing PRs", k=5)
    right = wide.search("security engineer reviewing PRs", k=5)
    assert typo.notice == ('searched for "security engineer reviewing PRs" (spelling corrected); '
                           'read "PRs" as "pull requests peer reviews"')
    assert [r.id for r in typo.results] == [r.id for r in right.results]
    assert right.notice == 'read "PRs" as "pull requests peer reviews"'
