"""compare_roles on the fixture framework: exact bullets per side, shared, reworded, attributes."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.compare import Comparison, compare_roles, similarity
from assistant.corpus import Corpus
from index import QueryError, parse_folder

from .conftest import FIXTURE

L2 = "platform/L2-Platform-Engineer.md"
L3 = "platform/L3-Senior-Platform-Engineer.md"
L4 = "platform/L4-Platform-Technical-Lead.md"


def corpus_of(root: Path) -> Corpus:
    docs, _ = parse_folder([root])
    return Corpus([c for d in docs for c in d.chunks])


@pytest.fixture(scope="module")
def fixture_corpus() -> Corpus:
    return corpus_of(FIXTURE)


def sides(cmp: Comparison, dimension: str) -> dict[str, list[tuple[int, str]]]:
    diff = cmp.dimension(dimension)
    assert diff is not None
    return {
        "only_a": [(b.line, b.full_text) for b in diff.only_a],
        "only_b": [(b.line, b.full_text) for b in diff.only_b],
        "shared": [(p.a.line, p.b.line, p.a.text) for p in diff.shared],
        "reworded": [(p.a.line, p.b.line) for p in diff.reworded],
    }


def test_attributes_side_by_side(fixture_corpus: Corpus) -> None:
    cmp = compare_roles(fixture_corpus, L2, L3)
    rows = [(r.key, r.label, r.a.text if r.a else None, r.b.text if r.b else None, r.same) for r in cmp.attributes]
    assert rows == [
        ("planning_horizon", "Planning horizon", "Current and next sprint.", "Current and next quarter.", False),
        ("impact_radius", "Impact radius", "Self plus some teammates.", "Peers (2-5).", False),
        ("evaluation", "Evaluated by", "Manager.", "Manager.", True),
        (
            "autonomy",
            "Responsibility and direction needed",
            "Weekly supervision from a senior engineer.",
            "Takes vertical slices of the platform from idea to production.",
            False,
        ),
    ]
    assert [(r.a.line, r.b.line) for r in cmp.attributes if r.a and r.b] == [(5, 5), (6, 6), (7, 7), (8, 8)]


def test_missing_attribute_is_none(fixture_corpus: Corpus) -> None:
    cmp = compare_roles(fixture_corpus, "data/L3-Senior-Data-Engineer.md", L3)
    autonomy = cmp.attributes[-1]
    assert (autonomy.key, autonomy.a, autonomy.b.text if autonomy.b else None, autonomy.same) == (
        "autonomy",
        None,
        "Takes vertical slices of the platform from idea to production.",
        False,
    )
    horizon = cmp.attributes[0]
    assert (horizon.a.text if horizon.a else None, horizon.same) == ("Current and next quarter.", True)


def test_l3_to_l4_per_dimension(fixture_corpus: Corpus) -> None:
    cmp = compare_roles(fixture_corpus, L3, L4)
    assert (cmp.a.label, cmp.b.label) == ("L3 Senior Platform Engineer", "L4 Platform Technical Lead")
    assert [d.dimension for d in cmp.dimensions] == ["Domain Expertise", "Teaching and Mentoring"]
    assert sides(cmp, "Domain Expertise") == {
        "only_a": [
            (12, "I design and operate Kubernetes clusters that other teams depend on."),
            (13, "I set service level objectives and alerting so that outages are caught before customers notice."),
            (14, "I lead incident response for platform outages and write blameless postmortems."),
            (15, "I document every change I make in the team wiki."),
            (20, "I migrated our logging stack to a new provider without downtime."),
            (21, "I cut deployment time from forty minutes to eight by caching build layers."),
        ],
        "only_b": [
            (12, "I set the platform roadmap for the next year and align it with product priorities."),
            (13, "I make build-versus-buy decisions for core infrastructure and defend them to leadership."),
            (14, "I drive cost reduction across all cloud accounts."),
            (15, "Within the wider organisation:"),
            (16, "Within the wider organisation: I represent the platform team in architecture reviews."),
            (17, "Within the wider organisation: I negotiate priorities with other team leads."),
            (22, "I convinced leadership to fund a multi-region failover project and led it to completion."),
            (23, "I reduced our cloud bill by a third by consolidating clusters."),
        ],
        "shared": [],
        "reworded": [],
    }
    # the wiki bullet moved from Domain Expertise (L3) to Teaching and Mentoring (L4): per dimension it is
    # dropped in one and added in the other, never "shared"
    assert sides(cmp, "teaching and mentoring")["only_b"] == [
        (29, "I grow senior engineers into technical leads by delegating ownership of projects."),
        (30, "I run a quarterly training programme on reliability engineering for the whole department."),
        (31, "I document every change I make in the team wiki."),
        (36, "I coached a senior engineer until they could run the platform roadmap planning on their own."),
    ]
    kinds = [b.kind for b in cmp.dimensions[0].only_a]
    assert kinds == ["expectation"] * 4 + ["example"] * 2


def test_shared_and_reworded(tmp_path: Path) -> None:
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "L1-Tester.md").write_text(
        "# L1: Tester\n\n## Craft\n\n"
        "- I write the test plan.\n"
        "- I mentor junior engineers through their first on-call rotations.\n"
        "- I run the nightly regression suite.\n"
        "- I run the nightly regression suite.\n"
        "- I water the office plants.\n",
        encoding="utf-8",
    )
    (tmp_path / "t" / "L2-Senior-Tester.md").write_text(
        "# L2: Senior Tester\n\n## craft\n\n"
        "- I mentor junior and senior engineers through their first on-call rotations!\n"
        "- I write THE test plan\n"
        "- I run the nightly regression suite.\n"
        "- I design the test strategy for the whole product.\n\n"
        "<details>\n<summary>Examples</summary>\n\n- I write the test plan.\n\n</details>\n",
        encoding="utf-8",
    )
    corpus = corpus_of(tmp_path)
    cmp = compare_roles(corpus, "t/L1-Tester.md", "t/L2-Senior-Tester.md")
    assert [d.dimension for d in cmp.dimensions] == ["Craft"]
    diff = cmp.dimensions[0]
    assert [(p.a.line, p.b.line, p.a.text, p.b.text) for p in diff.shared] == [
        (5, 6, "I write the test plan.", "I write THE test plan"),
        (7, 7, "I run the nightly regression suite.", "I run the nightly regression suite."),
    ]
    assert [(p.a.line, p.b.line, round(p.similarity, 3)) for p in diff.reworded] == [(6, 5, 0.909)]
    # the second copy of a bullet finds no second twin; the example is never matched with an expectation
    assert [(b.line, b.kind) for b in diff.only_a] == [(8, "expectation"), (9, "expectation")]
    assert [(b.line, b.kind) for b in diff.only_b] == [(8, "expectation"), (13, "example")]
    assert diff.changed is True
    assert cmp.attributes == ()
    strict = compare_roles(corpus, "t/L1-Tester.md", "t/L2-Senior-Tester.md", threshold=0.95).dimensions[0]
    assert (len(strict.reworded), len(strict.only_a), len(strict.only_b)) == (0, 3, 3)


def test_same_document_is_all_shared(fixture_corpus: Corpus) -> None:
    cmp = compare_roles(fixture_corpus, L4, L4)
    assert [(len(d.shared), d.changed) for d in cmp.dimensions] == [(8, False), (4, False)]
    assert all(row.same for row in cmp.attributes)


def test_dimension_filter_and_errors(fixture_corpus: Corpus) -> None:
    cmp = compare_roles(fixture_corpus, L2, L4, dimensions=["TEACHING AND MENTORING"])
    assert [d.dimension for d in cmp.dimensions] == ["Teaching and Mentoring"]
    assert cmp.dimension("Domain Expertise") is None
    with pytest.raises(QueryError, match="dimension 'Culture' is in neither L2 Platform Engineer nor L4"):
        compare_roles(fixture_corpus, L2, L4, dimensions=["Culture"])
    with pytest.raises(QueryError, match="'README.md' is not a role document in the index; known: data/L3"):
        compare_roles(fixture_corpus, "README.md", L4)


def test_to_json_shape(fixture_corpus: Corpus) -> None:
    data = compare_roles(fixture_corpus, L2, L3, dimensions=["Teaching and Mentoring"]).to_json()
    assert list(data) == ["a", "b", "attributes", "dimensions"]
    assert data["a"] == {"path": L2, "level": "L2", "role": "Platform Engineer", "track": "Platform"}
    assert data["attributes"][2]["same"] is True
    assert data["attributes"][2]["a"]["text"] == "Manager."
    dim = data["dimensions"][0]
    assert list(dim) == ["dimension", "only_a", "only_b", "shared", "reworded"]
    assert dim["only_a"][0] == {
        "id": dim["only_a"][0]["id"],
        "kind": "expectation",
        "text": "I share what I learn in our team channel.",
        "line": 26,
        "context": "",
    }
    assert len(dim["only_a"][0]["id"]) == 20


def test_similarity_ignores_case_punctuation_articles() -> None:
    assert similarity("I write THE test plan", "i write test plan.") == 1.0
    assert similarity("alpha beta", "gamma delta") == 0.0
    assert round(similarity("I am competent in my domain.", "I am advanced in my team's domain."), 3) == 0.769
