"""Reading questions: roles and levels from natural phrasing, dimensions, attributes, leftover words."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.corpus import Corpus
from assistant.query import merge, parse_question, resolve, scope_documents
from index import parse_folder

from .conftest import FIXTURE

#: A framework shaped like a real one (several tracks, seniority words, a technical lead per track).
ROLES = {
    "Security-Analyst/L1-Junior-Security-Analyst.md": "L1: Junior Security Analyst",
    "Security-Analyst/L2-Security-Analyst.md": "L2: Security Analyst",
    "Security-Analyst/L4-Security-Analyst-Technical-Lead.md": "L4: Security Analyst Technical Lead",
    "Security-Engineer/L2-Security-Engineer.md": "L2: Security Engineer",
    "Security-Engineer/L3-Senior-Security-Engineer.md": "L3: Senior Security Engineer",
    "Security-Engineer/L3-Senior-Cloud-Security-Engineer.md": "L3: Senior Cloud Security Engineer",
    "Security-Engineer/L4-Security-Engineer-Technical-Lead.md": "L4: Security Engineer Technical Lead",
    "Software-Engineering/L1.0-Graduate-Software-Engineer.md": "L1.0: Graduate Software Engineer",
    "Software-Engineering/L1-Junior-Software-Engineer.md": "L1: Junior Software Engineer",
    "Software-Engineering/L3-Senior-Software-Engineer.md": "L3: Senior Software Engineer",
    "Software-Engineering/L5-Principal-Software-Engineer.md": "L5: Principal Software Engineer",
    "Software-Engineering/L6-Senior-Principal-Software-Engineer.md": "L6: Senior Principal Software Engineer",
}


def corpus_of(root: Path) -> Corpus:
    docs, _ = parse_folder([root])
    return Corpus([c for d in docs for c in d.chunks])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    root = tmp_path_factory.mktemp("roles")
    for rel, title in ROLES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"# {title}\n\n- **Planning horizon**: Current cycle.\n\n## Craft\n\n- I do the work of a {title[4:]}.\n",
            encoding="utf-8",
        )
    return corpus_of(root)


def labels(question: str, corpus: Corpus) -> list[list[str]]:
    q = parse_question(question, corpus)
    return [[d.label for d in resolve(m, corpus)] for m in q.mentions]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("who evaluates a tech lead?", [["L4 Security Analyst Technical Lead", "L4 Security Engineer Technical Lead"]]),
        ("who evaluates a technical lead?",
         [["L4 Security Analyst Technical Lead", "L4 Security Engineer Technical Lead"]]),
        ("who evaluates a security engineer tech lead?", [["L4 Security Engineer Technical Lead"]]),
        ("what is expected of a senior?",
         [["L3 Senior Cloud Security Engineer", "L3 Senior Security Engineer", "L3 Senior Software Engineer"]]),
        ("planning horizon at L3",
         [["L3 Senior Cloud Security Engineer", "L3 Senior Security Engineer", "L3 Senior Software Engineer"]]),
        ("planning horizon at level 3",
         [["L3 Senior Cloud Security Engineer", "L3 Senior Security Engineer", "L3 Senior Software Engineer"]]),
        ("planning horizon at level three of security engineers",
         [["L3 Senior Cloud Security Engineer", "L3 Senior Security Engineer", "L3 Senior Software Engineer"],
          ["L2 Security Engineer"]]),
        ("what does a junior analyst do?", [["L1 Junior Security Analyst"]]),
        ("what does a principal do?", [["L5 Principal Software Engineer"]]),
        ("what does a senior principal do?", [["L6 Senior Principal Software Engineer"]]),
        ("what does a security engineer do?", [["L2 Security Engineer"]]),
        ("what does an sr security engineer do?", [["L3 Senior Security Engineer"]]),
        ("what does a grad do?", [["L1.0 Graduate Software Engineer"]]),
        ("who evaluates an L1?",
         [["L1 Junior Security Analyst", "L1.0 Graduate Software Engineer", "L1 Junior Software Engineer"]]),
        ("who evaluates an L1.0?", [["L1.0 Graduate Software Engineer"]]),
        ("who evaluates an L9?", [[]]),
        ("how does an L3 security engineer differ from L4?",
         [["L3 Senior Security Engineer"],
          ["L4 Security Analyst Technical Lead", "L4 Security Engineer Technical Lead"]]),
        ("security analysts versus security engineers", [["L2 Security Analyst"], ["L2 Security Engineer"]]),
        ("what about technical debt?", []),
        ("what is our security posture?", []),
    ],
)
def test_roles_from_natural_phrasing(corpus: Corpus, question: str, expected: list[list[str]]) -> None:
    assert labels(question, corpus) == expected


def test_separate_mentions_of_one_role_merge(corpus: Corpus) -> None:
    q = parse_question("planning horizon at level three of security engineers", corpus)
    merged = merge(q.mentions)
    assert merged is not None
    assert (merged.text, merged.words, merged.level) == (
        "level three security engineers", ("security", "engineer"), "L3")
    assert [d.label for d in resolve(merged, corpus)] == ["L3 Senior Security Engineer"]
    assert merge([]) is None


def test_mention_keeps_the_words_as_written(corpus: Corpus) -> None:
    q = parse_question("How does an L3 Security Engineer differ from Level 4?", corpus)
    assert [(m.text, m.words, m.level) for m in q.mentions] == [
        ("L3 Security Engineer", ("security", "engineer"), "L3"),
        ("Level 4", (), "L4"),
    ]


def test_track_preference_and_dimension_filter() -> None:
    corpus = corpus_of(FIXTURE)
    assert labels("L4 platform engineer", corpus) == [["L4 Platform Technical Lead"]]
    assert labels("L4 data engineer", corpus) == [[]]
    assert labels("L4 senior engineer", corpus) == [[]]
    l3 = parse_question("L3", corpus).mentions[0]
    assert [d.label for d in resolve(l3, corpus)] == ["L3 Senior Data Engineer", "L3 Senior Platform Engineer"]
    assert [d.label for d in resolve(l3, corpus, prefer_track="Platform")] == ["L3 Senior Platform Engineer"]
    assert [d.label for d in resolve(l3, corpus, prefer_track="Nope")] == [
        "L3 Senior Data Engineer", "L3 Senior Platform Engineer"]


@pytest.mark.parametrize(
    ("question", "dimensions", "attributes", "kinds", "unexplained"),
    [
        ("What's the planning horizon of an L3?", (), ("planning_horizon",), (), ()),
        ("How far ahead does a senior platform engineer plan?", (), ("planning_horizon",), (), ()),
        ("Who evaluates a tech lead, and how much autonomy do they have?", (), ("evaluation", "autonomy"), (), ()),
        ("how many people does an L4's work affect", (), ("impact_radius",), (), ()),
        ("Give me examples of domain expertise at L4", ("Domain Expertise",), (), ("example",), ()),
        ("what's expected of an L2 in mentoring?", ("Teaching and Mentoring",), (), ("expectation",), ()),
        ("what technical skills does an L2 need?", ("Domain Expertise",), (), (), ()),
        ("what is the salary of an L3?", (), (), (), ("salary",)),
        ("does an L3 write blameless postmortems?", (), (), (), ("write", "blameless", "postmortems")),
        ("¿Quién evalúa a un L2?", (), (), (), ("quién", "evalúa", "un")),
    ],
)
def test_dimensions_attributes_kinds_and_leftovers(
    question: str, dimensions: tuple[str, ...], attributes: tuple[str, ...], kinds: tuple[str, ...],
    unexplained: tuple[str, ...],
) -> None:
    q = parse_question(question, corpus_of(FIXTURE))
    assert (q.dimensions, q.attributes, q.kinds, q.unexplained) == (dimensions, attributes, kinds, unexplained)


def test_scope_and_resolve_agree_on_a_file_holding_several_levels() -> None:
    # one file, one document per level (keyed path#level): scope_documents used to look the
    # words up by path and raised KeyError
    docs, _ = parse_folder([FIXTURE.parent / "layouts" / "headings"])
    corpus = Corpus([c for d in docs for c in d.chunks], "g1")
    mention = parse_question("what does a senior engineer do?", corpus).mentions[0]
    assert [d.key for d in scope_documents(mention, corpus)] == [
        "engineering-ladder.md#Senior Engineer I", "engineering-ladder.md#Senior Engineer II",
    ]
    assert [d.key for d in resolve(mention, corpus)] == ["engineering-ladder.md#Senior Engineer I"]  # narrowed
