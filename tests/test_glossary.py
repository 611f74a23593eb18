"""Jargon read in plain words before searching (``assistant.glossary``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant import Settings
from assistant.glossary import DEFAULT_GLOSSARY, Glossary, load_glossary
from index import QueryError

from .conftest import run

CLOUD = """# L2: Cloud Engineer

> _I build and run our cloud platform._

- **Planning horizon**: This quarter.

## Domain Expertise

- I can design and implement infrastructure as code.
- I keep our customer-facing status page current during incidents.
- I write documentation for the services my team runs.
- I tune our alerting so that on-call engineers are woken only for real problems.
- I respond to customer support escalations within a day.
"""


@pytest.fixture
def framework(tmp_path: Path) -> Path:
    root = tmp_path / "framework"
    (root / "Cloud").mkdir(parents=True)
    (root / "Cloud" / "L2-Cloud-Engineer.md").write_text(CLOUD, encoding="utf-8")
    (root / "README.md").write_text("# Cloud\n\nSupport handles the tickets.\n", encoding="utf-8")
    return root


@pytest.fixture
def corpus(make_ladder, fake_embedder, framework):
    ladder = make_ladder(framework, fake_embedder)
    ladder.index()
    return ladder.corpus()


def test_a_term_the_framework_never_uses_gets_its_plain_words_after_it(corpus):
    glossed = DEFAULT_GLOSSARY.gloss("I wrote Terraform modules and reviewed PRs", corpus)
    assert glossed.text == (
        "I wrote Terraform (infrastructure as code) modules and reviewed PRs (pull requests peer reviews)"
    )
    assert glossed.terms == (("Terraform", "infrastructure as code"), ("PRs", "pull requests peer reviews"))
    assert glossed.notice == 'read "Terraform" as "infrastructure as code", "PRs" as "pull requests peer reviews"'


def test_words_the_role_documents_use_are_left_as_written(corpus):
    # "documentation", "on-call" and "alerting" are the framework's own words: nothing to explain
    glossary = Glossary({"documentation": "docs", "alerting": "paging", "on-call": "pager duty"})
    glossed = glossary.gloss("documentation, alerting and on-call", corpus)
    assert glossed.text == "documentation, alerting and on-call" and glossed.terms == () and glossed.notice == ""


def test_a_word_only_an_overview_page_uses_is_still_glossed(corpus):
    # the README says "tickets" once; the role documents say "customer support escalations"
    assert DEFAULT_GLOSSARY.gloss("closed 40 tickets", corpus).terms == (("tickets", "customer issues requests"),)


def test_the_longest_term_wins_and_each_term_is_explained_once(corpus):
    glossary = Glossary({"helm": "kubernetes", "helm chart": "kubernetes deployment"})
    glossed = glossary.gloss("a helm chart, another helm chart, and helm", corpus)
    assert glossed.text == (
        "a helm chart (kubernetes deployment), another helm chart, and helm (kubernetes)"
    )


def test_letters_that_only_match_ignoring_case_are_no_crash(corpus):
    # "ſ" (long s) matches "s" and "ı" matches "i" when case is ignored; neither lower-cases to them.
    # "ſla" case-folds to "sla"; "ıam" folds to nothing listed and is left as written
    glossed = DEFAULT_GLOSSARY.gloss("met our ſla targets, fixed ıam roles", corpus)
    assert glossed.terms == (("ſla", "service level commitment response time"),)
    assert glossed.text.endswith("fixed ıam roles")


def test_terms_match_whole_words_only(corpus):
    assert Glossary({"pr": "pull request"}).gloss("a press release in april", corpus).terms == ()


def test_an_empty_glossary_changes_nothing(corpus):
    assert Glossary({}).gloss("terraform", corpus).text == "terraform"


def test_a_glossary_file_adds_the_teams_words(tmp_path: Path):
    path = tmp_path / "glossary.tsv"
    path.write_text("# our words\n\nQRF\tquick response force rotation\nbeholder\t  security   dashboard \n",
                    encoding="utf-8")
    assert load_glossary(path) == {"qrf": "quick response force rotation", "beholder": "security dashboard"}
    merged = DEFAULT_GLOSSARY.merged(load_glossary(path))
    assert merged.entries["qrf"] == "quick response force rotation" and "terraform" in merged.entries


def test_a_byte_order_mark_is_not_part_of_the_first_term(tmp_path: Path):
    path = tmp_path / "glossary.tsv"
    path.write_bytes("\ufeffqrf\tquick response force\n".encode())
    assert load_glossary(path) == {"qrf": "quick response force"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("QRF quick response force\n", r"glossary.tsv:1: write one term, a tab, then its plain words"),
        ("ok\tfine\n\tno term\n", r"glossary.tsv:2: write one term"),
        ("empty\t   \n", r"glossary.tsv:1: write one term"),
        ("widget\tinternal tool\textra\n", r"glossary.tsv:1: write one term"),
    ],
)
def test_a_malformed_glossary_line_is_named(tmp_path: Path, content: str, message: str):
    path = tmp_path / "glossary.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(QueryError, match=message):
        load_glossary(path)


def test_a_missing_or_binary_glossary_file_is_named(tmp_path: Path):
    with pytest.raises(QueryError, match=r"nope.tsv: no such glossary file; fix LADDER_GLOSSARY"):
        load_glossary(tmp_path / "nope.tsv")
    binary = tmp_path / "glossary.tsv"
    binary.write_bytes(b"\xff\xfe\x00t\x00e")
    with pytest.raises(QueryError, match=r"glossary.tsv: not UTF-8 text"):
        load_glossary(binary)


def test_the_environment_names_the_glossary_file(tmp_path: Path):
    assert Settings.from_env({"LADDER_GLOSSARY": str(tmp_path / "g.tsv")}).glossary == tmp_path / "g.tsv"
    assert Settings.from_env({}).glossary is None


def test_search_reads_the_teams_words_and_says_so(make_ladder, fake_embedder, framework, tmp_path: Path):
    path = tmp_path / "glossary.tsv"
    path.write_text("statuspage\tstatus page\n", encoding="utf-8")
    ladder = make_ladder(framework, fake_embedder, glossary=path)
    ladder.index()
    found = ladder.search("kept statuspage updated")
    assert found.query == "kept statuspage updated"  # as typed; the gloss is for finding
    assert found.notice == 'read "statuspage" as "status page"'
    assert "status page" in found.results[0].text
    assert {"status", "page"} <= set(found.results[0].matched_terms)


def test_a_bad_glossary_is_a_one_line_error_in_the_cli(fake_cli, framework, tmp_path: Path, capsys, monkeypatch):
    path = tmp_path / "glossary.tsv"
    path.write_text("no tab here\n", encoding="utf-8")
    monkeypatch.setenv("LADDER_GLOSSARY", str(path))
    monkeypatch.setenv("LADDER_ROLES", str(framework))
    code, out, err = run(["--store", str(tmp_path / "store"), "search", "terraform"], capsys)
    assert code == 2 and out == ""
    assert err.strip().count("\n") == 0 and "glossary.tsv:1: write one term" in err and "Traceback" not in err


def test_the_real_model_finds_the_plain_bullet_for_a_jargon_query(make_ladder, real_embedder, framework):
    ladder = make_ladder(framework, real_embedder)
    ladder.index()
    query = "wrote terraform modules for our networking and got the team using them"
    top = ladder.search(query, k=1).results[0].text
    assert top == "I can design and implement infrastructure as code."
    ladder._glossary = Glossary({})  # the same search without the built-in list misses it
    assert ladder.search(query, k=1).results[0].text != top


def test_status_names_the_glossary_in_use(fake_cli, tmp_path: Path, capsys, monkeypatch):
    path = tmp_path / "glossary.tsv"
    path.write_text("qrf\tquick response force\n", encoding="utf-8")
    monkeypatch.setenv("LADDER_GLOSSARY", str(path))
    code, out, _ = run(["--store", str(tmp_path / "store"), "status"], capsys)
    assert code == 0 and f"glossary: {path}" in out.splitlines()
    code, out, _ = run(["--store", str(tmp_path / "store"), "status", "--json"], capsys)
    assert json.loads(out)["glossary"] == str(path)


def test_the_example_glossary_in_docs_loads():
    example = Path(__file__).resolve().parent.parent / "docs" / "glossary.example.tsv"
    entries = load_glossary(example)
    assert entries["qrf"] == "quick response force on-call rotation" and len(entries) == 4
