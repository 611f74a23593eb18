"""Fit decides the track before the level, sets aside lines that are not evidence, and estimates
the band within the level: on a fixture of two tracks that share generic bullets (real model)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from assistant.fit import classify
from assistant.fit.statements import FILLER, GAP, PLAN, TITLE
from assistant.fit.titles import abbreviates, named_levels, self_descriptions
from assistant.fit.tracks import decide, shares
from assistant.results import Filters

TRACKS = Path(__file__).resolve().parent / "fixtures" / "tracks"

# Generic statements in the Data track's own words, plus support work: the shared bullets
# match Data word for word, yet they say nothing about the track.
SUPPORT_WITH_DATA_WORDING = (
    "- I share what I learn with my team in knowledge-sharing sessions.\n"
    "- I pick up the unglamorous work nobody else wants to do.\n"
    "- I worked through my ticket queue and reproduced each bug before escalating it to engineering.\n"
    "- I wrote help centre articles for the questions customers ask most.\n"
    "- My CSAT stayed high because I answer tickets quickly.\n"
)
DATA_L2_REVIEW = (
    "Self-review, H2 - data platform team\n"
    "- built a batch pipeline that loads the raw click events into the warehouse\n"
    "- wrote dbt models with data quality tests for the orders tables\n"
    "- fixed failed Airflow runs and backfilled the missing partitions\n"
    "- showed the team what I learned about dbt in our knowledge sharing session\n"
    "- next half I want to start mentoring a new joiner\n"
)


@pytest.fixture(scope="module")
def ladder(tmp_path_factory, real_embedder):
    from assistant import Settings, build_ladder

    root = tmp_path_factory.mktemp("tracks") / "tracks"
    shutil.copytree(TRACKS, root)
    store = tmp_path_factory.mktemp("store")
    lad = build_ladder(Settings(roles=(root,), store=store, auto_index=False, torch_threads=1),
                       embedder=real_embedder)
    lad.index()
    return lad


def test_shared_generic_bullets_do_not_decide_the_track(ladder):
    report = ladder.fit(SUPPORT_WITH_DATA_WORDING)
    assert report.track is not None
    assert report.track.track == "Customer Support"
    assert report.best.track == "Customer Support"
    assert not report.track.given


def test_the_level_is_ranked_within_the_detected_track(ladder):
    report = ladder.fit(DATA_L2_REVIEW)
    assert (report.track.track, report.best.level, report.best.role) == ("Data Engineering", "L2", "Data Engineer")
    assert [r.track for r in report.ranking[:2]] == ["Data Engineering", "Data Engineering"]


def test_title_lines_and_plans_are_not_evidence(ladder):
    report = ladder.fit(DATA_L2_REVIEW)
    assert report.ignored[0].text == "Self-review, H2 - data platform team"
    assert report.ignored[0].reason == TITLE
    assert ("next half I want to start mentoring a new joiner", PLAN) in [(i.text, i.reason) for i in report.ignored]
    assert all("Self-review" not in s and "next half" not in s for s in report.statements)
    assert len(report.statements) == 4


def test_a_given_track_is_used_and_reported_as_given(ladder):
    report = ladder.fit(SUPPORT_WITH_DATA_WORDING, filters=Filters(track="Data"))
    assert report.track.given and report.track.track == "Data Engineering"
    assert {r.track for r in report.ranking} == {"Data Engineering"}
    assert report.confidence != "track unclear"


def test_named_gaps_make_the_band_maturing(ladder):
    text = DATA_L2_REVIEW + (
        "- haven't helped a new starter set up yet\n- I still need weekly check-ins for most things\n")
    report = ladder.fit(text)
    assert report.best.level == "L2"
    assert report.band.band == "maturing"
    assert report.band.gaps_named == 2


def test_the_next_levels_behaviours_make_the_band_exceeding_not_the_next_level(ladder):
    text = DATA_L2_REVIEW + (
        "- designed our first Kafka streaming pipeline and chose its partitioning and retention\n"
        "- led the migration of the legacy ETL jobs to the new orchestration platform\n"
    )
    report = ladder.fit(text)
    assert (report.best.level, report.band.band) == ("L2", "exceeding")
    assert report.band.next_level >= 2


def test_a_plain_review_is_performing_with_coverage_numbers(ladder):
    report = ladder.fit(DATA_L2_REVIEW)
    band = report.band
    assert band.band == "performing"
    assert 0.0 < band.coverage <= 1.0
    assert set(band.dimensions) == {"Domain Expertise", "Teaching and Mentoring", "Culture and Leadership"}
    data = report.to_json()
    assert data["band"] == "performing"
    assert data["band_detail"]["coverage"] == round(band.coverage, 3)
    assert data["track"]["track"] == "Data Engineering"


def test_cli_fit_batch_keeps_one_line_per_input(ladder):
    lines = [json.dumps({"text": DATA_L2_REVIEW}), "", "not json", json.dumps({"txt": "x"}),
             json.dumps({"text": SUPPORT_WITH_DATA_WORDING})]
    out = CliRunner().invoke(cli, ["--store", ladder.settings.store.as_posix(), "fit", "--json", "-"],
                             input="\n".join(lines) + "\n", catch_exceptions=False)
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.output.splitlines()]
    assert len(rows) == 5
    assert rows[0]["band"] == "performing" and rows[0]["ranking"][0]["role"] == "Data Engineer"
    assert rows[1] == {"error": 'empty line: give {"text": "..."}'}
    assert rows[2]["error"].startswith("not JSON")
    assert rows[3] == {"error": 'each line needs a "text" string: {"text": "..."}'}
    assert rows[4]["track"]["track"] == "Customer Support"


def test_cli_fit_shows_track_band_and_ignored_lines(ladder):
    out = CliRunner().invoke(cli, ["--store", ladder.settings.store.as_posix(), "fit", DATA_L2_REVIEW],
                             catch_exceptions=False)
    assert out.exit_code == 0, out.output
    assert "Track: Data Engineering (" in out.output
    assert "Level: L2 Data Engineer · performing (" in out.output
    assert '- "Self-review, H2 - data platform team" (a title line, not something you did)' in out.output


# -- pure helpers ----------------------------------------------------------------------------

def test_a_statement_matching_every_track_alike_casts_no_vote():
    generic = {"Data": 0.80, "Support": 0.80}
    specific = {"Data": 0.40, "Support": 0.70}
    assert shares([generic, generic, specific], [1.0, 1.0, 1.0], {}, ["Data", "Support"]) == {
        "Data": 0.0, "Support": 1.0}
    call = decide([generic], [1.0], {}, ["Data", "Support"])
    assert call.confidence == 0.5 and call.close


def test_classify_sets_aside_titles_plans_gaps_and_filler():
    evidence = classify(
        "H1 review - support\n- closed 200 tickets with CSAT 96%\n- next year I want to lead a project\n"
        "- haven't mentored anyone yet\n- good stuff overall\n"
    )
    assert evidence.statements == ("closed 200 tickets with CSAT 96%",)
    assert [(i.text, i.reason) for i in evidence.ignored] == [
        ("H1 review - support", TITLE),
        ("next year I want to lead a project", PLAN),
        ("haven't mentored anyone yet", GAP),
        ("good stuff overall", FILLER),
    ]
    assert evidence.headline == "H1 review - support" and evidence.gaps == 1


@pytest.mark.parametrize(("line", "reason"), [
    ("want to start doing threat hunting next half", PLAN),  # no subject
    ("I'd like to own the on-call rota by next quarter", PLAN),
    ("still learning .NET and not fluent yet", GAP),
    ("my director still checks in on my teams a lot, it's not 'set and forget' yet", GAP),
    ("my lead still checks in with me most days which honestly helps", ""),  # how they work, not a gap
    ("helped the data team get their pipeline into production, they'd never shipped one", ""),  # someone else
    ("noticed early that one engineer was struggling and put a plan together", ""),
    ("I led the migration but haven't documented it yet", ""),  # something done first
])
def test_plans_and_gaps_are_the_writers_own(line, reason):
    evidence = classify("- closed 200 tickets with CSAT 96%\n- " + line + "\n")
    assert [(i.text, i.reason) for i in evidence.ignored] == ([(line, reason)] if reason else [])


@pytest.mark.parametrize(("first_line", "said"), [
    ("mid-level dev, promoted from junior ~9 months ago", ["mid", "level", "dev", "promoted", "9", "months", "ago"]),
    ("senior SRE, ex-lead at a startup", ["senior", "sre", "startup"]),
    ("formerly L2, now a senior security engineer", ["senior", "security", "engineer"]),
    ("H2 review, SRE from the platform team", ["h2", "review", "sre", "platform", "team"]),  # not a level: kept
])
def test_a_level_the_writer_had_before_is_not_theirs(first_line, said):
    assert self_descriptions("", first_line + "\n- closed 200 tickets\n") == [said]


@pytest.mark.parametrize(("short", "word", "expected"), [
    ("sr", "senior", True), ("jr", "junior", True), ("grad", "graduate", True), ("eng", "engineer", True),
    ("sr", "sre", False), ("dev", "devops", False), ("senior", "senior", True), ("lead", "leadership", True),
])
def test_abbreviations(short, word, expected):
    assert abbreviates(short, word) is expected


def test_named_levels_prefer_the_document_whose_level_words_match_exactly():
    words = {"L3.md": frozenset({"senior"}), "L5.md": frozenset({"principal"}),
             "L6.md": frozenset({"senior", "principal"})}
    assert named_levels(self_descriptions("sr principal eng, 2nd year", ""), words) == {
        "L3.md": 0.5, "L5.md": 0.5, "L6.md": 1.0}
    assert named_levels(self_descriptions("", "- I work as a senior engineer on payments"), words) == {"L3.md": 1.0}


def test_a_role_named_in_full_outweighs_one_word_of_another_tracks_name():
    from assistant.corpus import RoleDocument
    from assistant.fit.titles import named_tracks, role_words, track_vocabulary

    docs = [RoleDocument("a.md", "L3", 3.0, "Senior Cloud Security Engineer", "Security Engineer", ""),
            RoleDocument("b.md", "L3", 3.0, "Senior Cloud Engineer", "Cloud Engineering", ""),
            RoleDocument("c.md", "L2", 2.0, "Security Analyst", "Security Analyst", ""),
            RoleDocument("d.md", "L2", 2.0, "Support Engineer", "Support", ""),
            RoleDocument("e.md", "L2", 2.0, "Software Engineer", "Software Engineering", "")]
    vocabulary = track_vocabulary(docs)
    assert vocabulary["cloud"] == "Cloud Engineering" and vocabulary["analyst"] == "Security Analyst"
    assert "engineer" not in vocabulary  # most tracks' roles say it: it names none of them
    spans = self_descriptions("Senior Cloud Security Engineer - self-assessment", "")
    assert named_tracks(spans, vocabulary, role_words(docs)) == {"Security Engineer": 2.0, "Cloud Engineering": 1.0}
    assert named_tracks(self_descriptions("year review, cloud platform team", ""), vocabulary, role_words(docs)) == {
        "Cloud Engineering": 1.0}
