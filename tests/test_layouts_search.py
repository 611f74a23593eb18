"""Search, Compare, Browse and fit on frameworks whose levels share one file (a matrix table and
levels as headings), and inherited expectations, with the real model."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import QueryError
from assistant.compare import compare_roles
from assistant.corpus import Corpus
from assistant.views import document_labels, document_view, table_of_contents
from index import parse_folder

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"


def corpus_of(name: str) -> Corpus:
    docs, _ = parse_folder([LAYOUTS / name])
    return Corpus([c for d in docs for c in d.chunks])


@pytest.fixture(scope="module")
def matrix_ladder(tmp_path_factory, real_embedder):
    from assistant import Settings, build_ladder
    from index import open_store

    store = tmp_path_factory.mktemp("matrix") / "store"
    lad = build_ladder(Settings(roles=(LAYOUTS / "matrix",), store=store), embedder=real_embedder,
                       store=open_store(store))
    lad.index()
    return lad


@pytest.fixture(scope="module")
def headings_ladder(tmp_path_factory, real_embedder):
    from assistant import Settings, build_ladder
    from index import open_store

    store = tmp_path_factory.mktemp("headings") / "store"
    lad = build_ladder(Settings(roles=(LAYOUTS / "headings",), store=store), embedder=real_embedder,
                       store=open_store(store))
    lad.index()
    return lad


def test_corpus_keys_each_level_of_a_matrix_file() -> None:
    corpus = corpus_of("matrix")
    assert sorted(corpus.documents) == ["ladder.md#L1", "ladder.md#L2", "ladder.md#L3"]
    assert [(d.key, d.level, d.level_num, d.label, len(d.chunks)) for d in corpus.documents_sorted()] == [
        ("ladder.md#L1", "L1", 1.0, "L1 Junior Programmer", 3),
        ("ladder.md#L2", "L2", 2.0, "L2 Programmer", 3),
        ("ladder.md#L3", "L3", 3.0, "L3 Senior Programmer", 4),
    ]
    assert corpus.values["level"] == ["L1", "L2", "L3"]
    assert [d.key for d in corpus.next_level(corpus.documents["ladder.md#L1"])] == ["ladder.md#L2"]
    assert corpus.document("ladder.md") is None  # three documents share that path


def test_named_levels_sort_by_document_order() -> None:
    corpus = corpus_of("headings")
    assert corpus.values["level"] == [
        "Engineer I", "Engineer II", "Senior Engineer I", "Senior Engineer II", "Staff Engineer", "Principal Engineer",
    ]
    labels = document_labels(corpus)
    assert list(labels) == [
        "Engineer I", "Engineer II", "Senior Engineer I", "Senior Engineer II", "Staff Engineer", "Principal Engineer",
    ]
    assert table_of_contents(corpus) == [("Headings", [(label, key) for label, key in labels.items()])]


def test_compare_two_levels_of_one_matrix_file() -> None:
    corpus = corpus_of("matrix")
    cmp = compare_roles(corpus, "ladder.md#L2", "ladder.md#L3")
    assert (cmp.a.level, cmp.b.level, cmp.a.path, cmp.b.path) == ("L2", "L3", "ladder.md", "ladder.md")
    mentoring = cmp.dimension("Mentoring")
    assert mentoring is not None
    # two items of one cell share its line: compared as a set
    assert sorted(b.full_text for b in mentoring.only_b) == ["Mentors programmers toward promotion.",
                                                             "Runs the team's onboarding."]
    assert [b.full_text for b in mentoring.only_a] == ["Pairs with junior programmers on their first tasks."]
    with pytest.raises(QueryError, match="'ladder.md' is not a role document in the index; known: ladder.md#L1"):
        compare_roles(corpus, "ladder.md", "ladder.md#L3")


def test_compare_levels_given_as_headings() -> None:
    corpus = corpus_of("headings")
    cmp = compare_roles(corpus, "engineering-ladder.md#Engineer I", "engineering-ladder.md#Senior Engineer II")
    expectations = cmp.dimension("Expectations")
    assert expectations is not None
    assert [p.a.text for p in expectations.shared] == ["Writes tests for the code they change."]
    assert [(b.line, b.full_text) for b in expectations.only_b] == [(34, "Leads projects that span two teams.")]


def test_browse_shows_one_level_and_inherited_expectations() -> None:
    matrix = corpus_of("matrix")
    view = document_view(matrix.documents["ladder.md#L3"], matrix)
    assert (view.title, view.path) == ("L3 Senior Programmer", "ladder.md")
    assert [s.dimension for s in view.sections] == ["Code Quality", "Debugging", "Mentoring"]
    octopus = corpus_of("octopus")
    view = document_view(octopus.documents["Engineering/L2-Engineer.md"], octopus)
    assert [(label, [s.dimension for s in sections]) for label, sections in view.inherited] == [
        ("Everyone", ["I Am a Dependable Teammate", "I Keep Learning"]),
        ("Leadership", ["I Lead by Serving My Team"]),
    ]
    assert view.inherited[0][1][0].expectations == (
        "- I keep the commitments I make to my team\\.\n- I ask for help before a problem becomes urgent\\."
    )
    # a role page without levels is a document of its own, and has no next level
    everyone = octopus.documents["Everyone.md"]
    assert (everyone.level, everyone.label, octopus.next_level(everyone)) == ("", "Everyone", [])
    cs = octopus.documents["Customer-Success/L3-Customer-Success-Manager"]
    assert [d.path for d in octopus.inherited(cs)] == ["Customer-Success/L2-Junior-Customer-Success-Manager"]


def test_search_a_matrix_finds_the_cell_and_its_level(matrix_ladder) -> None:
    response = matrix_ladder.search("diagnosing production incidents across services")
    first = response.results[0]
    assert (first.level, first.role, first.dimension, first.path, first.line) == (
        "L3", "Senior Programmer", "Debugging", "ladder.md", 9)
    assert response.levels[0].level == "L3"
    assert response.levels[0].path == "ladder.md"
    assert {lv.level for lv in response.levels} <= {"L1", "L2", "L3"}


def test_search_levels_as_headings(headings_ladder) -> None:
    response = headings_ladder.search("set technical direction for several teams")
    first = response.results[0]
    assert (first.level, first.dimension, first.line) == ("Staff Engineer", "Expectations", 41)
    assert response.levels[0].level == "Staff Engineer"
    # the same bullet at two levels: one result, placed at both
    tests = headings_ladder.search("writing tests for my changes").results[0]
    assert tests.plain == "Writes tests for the code they change."
    assert {tests.level, *(p.level for p in tests.also_in)} == {"Engineer I", "Senior Engineer II"}


def test_fit_ranks_levels_of_one_matrix_file(matrix_ladder) -> None:
    report = matrix_ladder.fit(
        "I diagnose production incidents across services under pressure.\n"
        "I set the code quality bar for my team in reviews.\n"
        "I mentor programmers toward promotion and run our onboarding."
    )
    assert report.best is not None and report.best.level == "L3"


def test_fit_ranks_levels_given_as_headings(headings_ladder) -> None:
    report = headings_ladder.fit(
        "I ship features of a few weeks end to end.\nI review my teammates' pull requests thoughtfully."
    )
    assert report.best is not None and report.best.level == "Engineer II"


def test_search_in_chinese_finds_the_bullet_and_keeps_bullets_apart(tmp_path, real_embedder) -> None:
    from assistant import Settings, build_ladder
    from index import open_store

    store = tmp_path / "store"
    lad = build_ladder(Settings(roles=(LAYOUTS / "scripts",), store=store), embedder=real_embedder,
                       store=open_store(store))
    lad.index()
    results = lad.search("指导初级工程师").results
    assert (results[0].plain, results[0].level, results[0].dimension, results[0].line) == (
        "我指导初级工程师。", "L2", "团队合作", 12)
    assert all(r.also_in == () for r in results)  # no two different bullets merged as duplicates
    corpus = lad.corpus()
    assert len({corpus.group_of[c.id] for c in corpus.chunks if c.kind == "expectation"}) == len(
        [c for c in corpus.chunks if c.kind == "expectation"])


def test_status_lists_named_levels_lowest_first(headings_ladder) -> None:
    assert list(headings_ladder.status().levels.items()) == [
        ("-", 1), ("Engineer I", 3), ("Engineer II", 2), ("Senior Engineer I", 2), ("Senior Engineer II", 2),
        ("Staff Engineer", 1), ("Principal Engineer", 1),
    ]


def test_search_results_group_by_level_within_one_file(matrix_ladder) -> None:
    from assistant.views import group_results

    results = matrix_ladder.search("finding the cause of bugs in modules", k=6).results
    groups = group_results(results)
    assert {r.path for r in results} == {"ladder.md"}
    assert [g.level for g in groups] == list(dict.fromkeys(r.level for r in results if r.level))
    assert all(r.level == g.level for g in groups for r in g.results)
    assert groups[0].label == {"L1": "L1 Junior Programmer", "L2": "L2 Programmer", "L3": "L3 Senior Programmer"}[
        groups[0].level]


def test_fit_lists_the_expectations_a_role_builds_on(tmp_path, real_embedder) -> None:
    from assistant import Settings, build_ladder
    from index import open_store

    store = tmp_path / "store"
    lad = build_ladder(Settings(roles=(LAYOUTS / "octopus",), store=store), embedder=real_embedder,
                       store=open_store(store))
    lad.index()
    report = lad.fit("- I delivered a three-week feature without close supervision.\n"
                     "- I keep the commitments I make to my team.\n")
    assert report.best is not None and report.best.path == "Engineering/L2-Engineer.md"
    inherited = {i.source: i for i in report.inherited}
    assert list(inherited) == ["Everyone", "Leadership"]
    assert "I keep the commitments I make to my team." in inherited["Everyone"].expectations
    assert inherited["Everyone"].covered >= 1
    assert report.to_json()["inherited"][0]["from"] == "Everyone"
