"""Level fit on the fixture framework with the real model, plus its pure helpers."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from assistant import QueryError
from assistant.cli import cli
from assistant.fit import horizon_months, scope_signals
from assistant.text import split_statements

CLEARLY_L2 = (
    "I fix flaky pipelines and restart failed services using the runbook, with weekly supervision "
    "from a senior engineer. I upgraded a container base image with help from my lead. "
    "I share what I learn in the team channel."
)
CLEARLY_L3 = (
    "- I run our Kubernetes clusters and set SLOs and alerts.\n"
    "- I lead incident response and write blameless postmortems.\n"
    "- I mentor juniors through their first weeks on call.\n"
)
CLEARLY_L4 = (
    "I set the platform roadmap for the next year and negotiate priorities with other team leads. "
    "I grow senior engineers into tech leads. I reduced our cloud bill by consolidating clusters, "
    "and I run a training programme on reliability for the department."
)


@pytest.fixture
def ladder(real_index):
    """The fixture framework indexed with the real model (once per session: tests only read it)."""
    return real_index


@pytest.mark.parametrize(
    ("text", "level", "role"),
    [
        (CLEARLY_L2, "L2", "Platform Engineer"),
        (CLEARLY_L3, "L3", "Senior Platform Engineer"),
        (CLEARLY_L4, "L4", "Platform Technical Lead"),
    ],
)
def test_clear_descriptions_rank_their_level_first(ladder, text, level, role):
    report = ladder.fit(text)
    best = report.best
    assert (best.level, best.role) == (level, role)
    assert report.confidence == "clear"
    assert report.ranking[1].score < 0.5 * best.score


def test_evidence_pairs_statements_with_bullets_by_dimension(ladder):
    report = ladder.fit(CLEARLY_L3)
    assert report.statements == (
        "I run our Kubernetes clusters and set SLOs and alerts.",
        "I lead incident response and write blameless postmortems.",
        "I mentor juniors through their first weeks on call.",
    )
    dims = report.best.dimensions
    assert set(dims) == {"Domain Expertise", "Teaching and Mentoring"}
    pairs = {(report.statements[m.statement], m.text) for ms in dims.values() for m in ms}
    assert (
        "I lead incident response and write blameless postmortems.",
        "I lead incident response for platform outages and write blameless postmortems.",
    ) in pairs
    assert (
        "I mentor juniors through their first weeks on call.",
        "I mentor junior engineers through their first on-call rotations.",
    ) in pairs


def test_gaps_are_the_next_levels_uncovered_expectations(ladder):
    report = ladder.fit(CLEARLY_L3)
    assert (report.next_up.level, report.next_up.role) == ("L4", "Platform Technical Lead")
    assert [g.text for g in report.gaps] == [
        "I set the platform roadmap for the next year and align it with product priorities.",
        "I make build-versus-buy decisions for core infrastructure and defend them to leadership.",
        "I drive cost reduction across all cloud accounts.",
        "I represent the platform team in architecture reviews.",
        "I negotiate priorities with other team leads.",
        "I grow senior engineers into technical leads by delegating ownership of projects.",
        "I run a quarterly training programme on reliability engineering for the whole department.",
        "I document every change I make in the team wiki.",
    ]


def test_top_level_has_no_next_level(ladder):
    report = ladder.fit(CLEARLY_L4)
    assert report.next_up is None
    assert report.gaps == ()


def test_unrelated_text_is_thin(ladder):
    report = ladder.fit("I like pizza and long walks on the beach with my dog.")
    assert report.confidence == "thin"
    assert report.confidence_note.startswith("Too little evidence to judge")


def test_one_statement_is_thin_evidence(ladder):
    report = ladder.fit("I mentor junior engineers through on-call.")
    assert report.confidence == "thin"
    assert report.confidence_note.startswith("Thin evidence: only 1 statement clearly matches")


def test_filters_restrict_the_ranking(ladder):
    report = ladder.fit(CLEARLY_L3, filters=__import__("assistant.results", fromlist=["Filters"]).Filters(track="data"))
    assert {r.track for r in report.ranking} == {"Data"}


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_empty_text_is_refused(ladder, text):
    with pytest.raises(QueryError, match="nothing to fit"):
        ladder.fit(text)


def test_cli_fit_json(ladder):
    runner = CliRunner()
    out = runner.invoke(cli, ["--store", ladder.settings.store.as_posix(), "fit", CLEARLY_L4, "--json"],
                        catch_exceptions=False)
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["ranking"][0]["level"] == "L4"
    assert data["confidence"] == "clear"
    assert set(data) == {"statements", "ranking", "confidence", "confidence_note", "next_up", "gaps", "notice",
                         "track", "band", "band_detail", "ignored", "inherited"}


def test_cli_fit_needs_text_or_file(ladder):
    out = CliRunner().invoke(cli, ["--store", ladder.settings.store.as_posix(), "fit"])
    assert out.exit_code == 2
    assert "give the TEXT to fit, or --file FILE" in out.output


# -- pure helpers ----------------------------------------------------------------------------
def test_split_statements_bullets_lines_and_sentences():
    text = (
        "# Review\n- I mentored two juniors. They now run on-call alone.\n"
        "- I led the migration\n  to Kubernetes.\n\nI also wrote docs! Ok.\n"
    )
    assert split_statements(text) == [
        "I mentored two juniors.",
        "They now run on-call alone.",
        "I led the migration to Kubernetes.",
        "I also wrote docs!",
    ]


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("6-12 months.", 12.0), ("3+ years", 36.0), ("the next quarter", 3.0), ("Current cycle.", 1.5),
        ("Current and next cycle.", 3.0), ("I plan a year ahead", 12.0), ("two sprints", 1.0), ("nothing here", None),
    ],
)
def test_horizon_months(text, months):
    assert horizon_months(text) == months


def test_scope_signals():
    assert scope_signals("I plan 6 months ahead and work across several teams independently") == {
        "planning_horizon": 6.0, "impact_radius": 3.0, "autonomy": 2.0
    }
    assert scope_signals("I help my team") == {}
    # a lead or senior who still checks the work is supervision with guidance
    assert scope_signals("my senior still reviews my escalations before they go out") == {"autonomy": 1.0}
    # a sync with the lead every morning is daily supervision; the team's daily standup is not
    assert scope_signals("my lead and I have a short sync every morning") == {"autonomy": 0.0}
    assert scope_signals("we do a daily standup as a team") == {}


def test_cli_fit_takes_a_pasted_list_that_starts_with_a_dash(ladder, capsys):
    from assistant.cli import main

    code = main(["--store", ladder.settings.store.as_posix(), "fit", CLEARLY_L3, "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["statements"][0] == "I run our Kubernetes clusters and set SLOs and alerts."
    assert data["ranking"][0]["level"] == "L3"
