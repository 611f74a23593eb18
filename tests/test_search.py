"""Hybrid search and its JSON contract, on the fixture framework with the real model."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from assistant import QueryError
from assistant.cli import cli
from assistant.results import Filters
from assistant.retrieve import MAX_QUERY_CHARS, PARTIAL_AT, STRONG_AT, strength

FIXTURE_KEYS = {"id", "text", "kind", "dimension", "level", "role", "track", "path", "line", "score",
                "also_in", "matched_terms"}


@pytest.fixture
def ladder(real_index):
    """The fixture framework indexed with the real model (once per session: tests only read it)."""
    return real_index


def top(ladder, query, **kw):
    return ladder.search(query, **kw).results[0]


def test_paraphrase_finds_the_right_bullet_first(ladder):
    assert top(ladder, "I keep our CI builds from failing randomly").plain == (
        "I fix flaky build pipelines and keep the continuous integration jobs green."
    )
    assert top(ladder, "taught new people how to be on call").plain == (
        "I mentor junior engineers through their first on-call rotations."
    )
    assert top(ladder, "cut cloud spending").plain == "I reduced our cloud bill by a third by consolidating clusters."


def test_result_carries_source_and_matched_terms(ladder):
    r = top(ladder, "I keep our CI builds from failing randomly")
    assert (r.level, r.role, r.track, r.dimension, r.kind) == (
        "L2", "Platform Engineer", "Platform", "Domain Expertise", "expectation"
    )
    assert (r.path, r.line) == ("platform/L2-Platform-Engineer.md", 12)
    # "CI" is read as "continuous integration build pipeline" (assistant.glossary): the bullet's words
    assert r.matched_terms == ("build", "pipelines", "keep", "continuous", "integration")
    # the score is the cosine similarity of the query as searched and the bullet (not the top forced to 1.00)
    searched = ladder.glossary.gloss("I keep our CI builds from failing randomly", ladder.corpus()).text
    assert searched == "I keep our CI (continuous integration build pipeline) builds from failing randomly"
    query = ladder.embedder.embed_query(searched)
    assert r.score == pytest.approx(float(np.dot(query, ladder.store.vectors([r.id])[r.id])), abs=1e-5)
    assert r.strength == strength(r.score)


def test_scores_mean_the_same_across_queries(ladder):
    exact = top(ladder, "I fix flaky build pipelines and keep the continuous integration jobs green.")
    assert exact.score == pytest.approx(1.0, abs=1e-4)
    assert exact.strength == "strong"
    unrelated = top(ladder, "I reduced toil by automating certificate rotation and wrote SLOs")
    assert unrelated.score < STRONG_AT
    assert unrelated.strength in ("partial", "weak")
    assert [strength(s) for s in (0.9, STRONG_AT, 0.5, PARTIAL_AT, 0.1)] == [
        "strong", "strong", "partial", "partial", "weak"]


def test_identical_bullets_are_grouped_with_every_place_listed(ladder):
    results = ladder.search("write down my changes in the wiki", k=10).results
    wiki = [r for r in results if r.plain == "I document every change I make in the team wiki."]
    assert len(wiki) == 1
    places = {(wiki[0].level, wiki[0].dimension)} | {(p.level, p.dimension) for p in wiki[0].also_in}
    assert places == {("L2", "Teaching and Mentoring"), ("L3", "Domain Expertise"), ("L4", "Teaching and Mentoring")}


@pytest.mark.parametrize(
    ("filters", "field", "allowed"),
    [
        (Filters(level="L4"), "level", {"L4"}),
        (Filters(level="4"), "level", {"L4"}),
        (Filters(kind="example"), "kind", {"example"}),
        (Filters(dimension="teaching and mentoring"), "dimension", {"Teaching and Mentoring"}),
        (Filters(role="senior"), "role", {"Senior Platform Engineer", "Senior Data Engineer"}),
        (Filters(track="data"), "track", {"Data"}),
    ],
)
def test_filters_apply_to_every_result(ladder, filters, field, allowed):
    results = ladder.search("engineers building infrastructure", k=20, filters=filters).results
    assert results
    assert {getattr(r, field) for r in results} <= allowed


def test_lexical_only_and_dense_only_modes(ladder):
    lexical = ladder.search("Terraform modules", mode="lexical").results
    assert lexical[0].plain.startswith("I write Terraform modules")
    dense = ladder.search("Terraform modules", mode="dense").results
    assert dense[0].plain.startswith("I write Terraform modules")


def test_levels_rank_role_documents(ladder):
    levels = ladder.search("I cut cloud spending and set the roadmap", k=5).levels
    assert (levels[0].level, levels[0].role) == ("L4", "Platform Technical Lead")
    assert levels[0].evidence
    # a document's score is the similarity of its best bullet to the query
    query = ladder.embedder.embed_query("I cut cloud spending and set the roadmap")
    best = levels[0].evidence[0]
    assert levels[0].score == pytest.approx(float(np.dot(query, ladder.store.vectors([best])[best])), abs=1e-5)


@pytest.mark.parametrize("query", ["", "   ", "\n\t", "\x00\x01"])
def test_empty_query_is_refused(ladder, query):
    with pytest.raises(QueryError, match="the query is empty"):
        ladder.search(query)


def test_huge_query_is_shortened_with_a_notice(ladder):
    response = ladder.search("mentoring juniors " * 10_000)
    assert len(response.query) <= MAX_QUERY_CHARS
    assert response.notice == (
        "query shortened from 179,999 to 1,997 characters "
        "(the limit is 2,000; use `ladder fit` for long documents)"
    )
    assert response.results


def test_unknown_filter_lists_valid_values(ladder):
    with pytest.raises(QueryError) as err:
        ladder.search("x", filters=Filters(level="L9"))
    assert str(err.value) == "--level 'L9' matches nothing in the index; valid values: L2, L3, L4"
    with pytest.raises(QueryError, match="valid values: Domain Expertise, Teaching and Mentoring"):
        ladder.search("x", filters=Filters(dimension="Cooking"))


def test_bad_k(ladder):
    with pytest.raises(QueryError, match="-k 0: give a number of results from 1 to 100"):
        ladder.search("x", k=0)


def test_model_mismatch_says_how_to_rebuild(make_ladder, fixture_root, real_embedder, fake_embedder, tmp_path):
    built = make_ladder(fixture_root, fake_embedder)
    built.index()
    from assistant import build_ladder

    other = build_ladder(built.settings, embedder=real_embedder, store=built.store)
    from index import ModelError

    with pytest.raises(ModelError, match="built with test-hashing, not all-MiniLM-L6-v2; run: ladder index --rebuild"):
        other.search("mentoring")


# -- the CLI ---------------------------------------------------------------------------------
def run(args, store: Path, input: str | None = None):
    return CliRunner().invoke(cli, ["--store", str(store), *args], input=input, catch_exceptions=False)


@pytest.fixture
def cli_store(real_index):
    return real_index.settings.store


def test_cli_json_contract(cli_store):
    out = run(["search", "cut cloud spending", "--json", "-k", "3"], cli_store)
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert set(data) == {"query", "results", "levels"}
    assert data["query"] == "cut cloud spending"
    assert len(data["results"]) == 3
    assert FIXTURE_KEYS <= set(data["results"][0])
    assert data["results"][0]["text"] == "I reduced our cloud bill by a third by consolidating clusters."
    assert {"level", "role", "path", "score", "evidence"} <= set(data["levels"][0])


def test_cli_stdin_batch_one_json_object_per_line(cli_store):
    out = run(["search", "--json", "-k", "1", "-"], cli_store, input="cut cloud spending\n\nflaky CI builds\n")
    lines = [json.loads(line) for line in out.output.splitlines()]
    assert [d["query"] for d in lines] == ["cut cloud spending", "", "flaky CI builds"]  # one line per line
    assert [len(d["results"]) for d in lines] == [1, 0, 1]


def test_overview_passages_are_listed_apart_from_the_bullets(real_index):
    found = real_index.search("who builds the pipelines that move the company's data", k=5)
    assert len(found.results) == 5
    assert all(r.level and r.kind != "overview" for r in found.results)
    assert found.overviews[0].plain == "Data Engineers build the pipelines that move and model the company's data."
    assert found.overviews[0].path == "README.md"
    assert "overviews" in found.to_json()


def test_asking_for_overviews_or_mixing_them_in_keeps_them_among_the_results(real_index):
    query = "who builds the pipelines that move the company's data"
    asked = real_index.search(query, k=5, filters=Filters(kind="overview"))
    assert asked.results and all(r.kind == "overview" for r in asked.results)
    assert not asked.overviews
    mixed = real_index.search(query, k=5, overviews_apart=False)
    assert not mixed.overviews
    data_engineers = "Data Engineers build the pipelines that move and model the company's data."
    assert data_engineers in [r.plain for r in mixed.results]


def test_cli_lists_overview_passages_after_the_bullets(cli_store):
    out = run(["search", "who builds the pipelines that move the company's data", "-k", "3"], cli_store)
    assert out.exit_code == 0, out.output
    bullets, overviews = out.output.split("From the overview pages:\n")
    assert bullets.startswith("1. ") and "\n3. " in bullets and "README.md" not in bullets
    assert "Data Engineers build the pipelines that move and model the company's data.  (README.md:6)" in overviews


def test_a_framework_of_overview_pages_only_keeps_them_as_results(make_ladder, fake_embedder, tmp_path):
    root = tmp_path / "ladder"
    root.mkdir()
    paragraphs = ["We value mentoring others.", "Engineers own their services.", "We review code.", "We write docs."]
    (root / "README.md").write_text("# Our ladder\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    ladder = make_ladder(root, fake_embedder)
    ladder.index()
    found = ladder.search("mentoring others", k=10)
    assert sorted(r.plain for r in found.results) == sorted(paragraphs)
    assert not found.overviews
