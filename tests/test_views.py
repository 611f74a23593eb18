"""assistant.views: what the app shows, on the fixture framework with the hashing embedder."""

from __future__ import annotations

import re
import shutil
import threading
import time
from dataclasses import replace
from datetime import datetime

import pytest

from assistant import QueryError, views
from assistant.answers import Citation
from assistant.compare import Bullet, compare_roles
from assistant.corpus import Corpus
from assistant.freshness import BUILD_LOCK, Status
from assistant.results import (
    Filters,
    FitReport,
    Gap,
    IgnoredLine,
    Placement,
    RoleFit,
    SearchResult,
    StatementMatch,
    TrackCall,
)
from index import Chunk, IndexNotBuiltError, StoreError
from tests.fakes import HashingEmbedder

from .conftest import FIXTURE

L3 = "platform/L3-Senior-Platform-Engineer.md"
SELF_REVIEW = views.EXAMPLE_SELF_REVIEW


@pytest.fixture
def ladder(make_ladder, fixture_root):
    lad = make_ladder(fixture_root, HashingEmbedder())
    lad.index()
    return lad


def _chunk(path: str, level: str, role: str, track: str = "T", **kw) -> Chunk:
    values = dict(id=f"{path}-{kw.get('line', 1)}", text="x", plain="x", kind="expectation", level=level,
                  level_num=float(level.lstrip("L") or -1), role=role, track=track, dimension="D", path=path,
                  line=1, title=f"{level}: {role}")
    values.update(kw)
    return Chunk(**values)  # type: ignore[arg-type]


# -- index freshness --------------------------------------------------------------------------


def test_refresh_index_builds_once_then_reports_nothing(make_ladder, fixture_root):
    ladder = make_ladder(fixture_root, HashingEmbedder())
    seen: list[tuple[str, int, int]] = []
    calls: list[str] = []
    notice = views.refresh_index(ladder, progress=lambda *a: seen.append(a), before_build=lambda: calls.append("b"))
    assert notice.startswith("Built the search index: 5 files, 66 statements, in ")
    assert notice.endswith(" s.")
    assert seen[0] == ("embedding", 0, 62) and seen[-1] == ("writing", 66, 66)
    assert calls == ["b"]
    assert views.refresh_index(ladder, before_build=lambda: calls.append("again")) == ""
    assert calls == ["b"]


def test_refresh_index_notices_changed_added_and_removed_files(ladder, fixture_root):
    (fixture_root / "platform" / "L3-Senior-Platform-Engineer.md").write_text(
        (FIXTURE / "platform" / "L3-Senior-Platform-Engineer.md").read_text() + "\n- I run game days.\n"
    )
    (fixture_root / "data" / "L3-Senior-Data-Engineer.md").unlink()
    (fixture_root / "data" / "L2-Data-Engineer.md").write_text(
        "# L2: Data Engineer\n\n## Domain Expertise\n\n- I write SQL queries.\n"
    )
    assert views.refresh_index(ladder) == (
        "Role files changed, so the index was updated (changed: platform/L3-Senior-Platform-Engineer.md; "
        "added: data/L2-Data-Engineer.md; removed: data/L3-Senior-Data-Engineer.md)."
    )
    assert sorted(d.label for d in ladder.corpus().documents.values()) == [
        "L2 Data Engineer", "L2 Platform Engineer", "L3 Senior Platform Engineer", "L4 Platform Technical Lead",
    ]
    assert "I run game days." in [c.plain for c in ladder.corpus().documents[L3].chunks]
    assert views.refresh_index(ladder) == ""


def test_refresh_index_waits_for_a_build_in_progress(ladder, fixture_root, monkeypatch):
    (fixture_root / "platform" / "L2-Platform-Engineer.md").write_text("# L2: Platform Engineer\n\n## D\n\n- I a b.\n")
    waited: list[str] = []
    BUILD_LOCK.acquire()  # another session's build, in this process
    release = threading.Timer(0.2, BUILD_LOCK.release)
    release.start()
    start = time.monotonic()
    notice = views.refresh_index(ladder, waiting=lambda: waited.append("waiting"))
    assert time.monotonic() - start >= 0.15
    assert waited == ["waiting"]
    assert notice == "Role files changed, so the index was updated (changed: platform/L2-Platform-Engineer.md)."


def test_refresh_index_without_auto_index_raises_the_fix(make_ladder, fixture_root):
    ladder = make_ladder(fixture_root, HashingEmbedder(), auto_index=False)
    with pytest.raises(IndexNotBuiltError) as err:
        views.refresh_index(ladder)
    assert views.error_text(err.value).startswith("No index in ")
    assert views.error_text(err.value).endswith("; run: ladder index PATH")


def test_error_text_is_one_short_line():
    assert views.error_text(StoreError("store is damaged; run: ladder index --rebuild")) == (
        "Store is damaged; run: ladder index --rebuild"
    )
    assert views.error_text(ValueError("bad\nsecond line")) == (
        "Something went wrong (ValueError: bad). Reload the page to retry."
    )
    assert views.error_text(RuntimeError()) == "Something went wrong (RuntimeError). Reload the page to retry."


def test_warmup_builds_in_the_background_says_what_it_does_and_its_notice_once(make_ladder, fixture_root):
    ladder = make_ladder(fixture_root, HashingEmbedder())
    warm = views.Warmup(ladder)
    assert (warm.needed(), warm.ready(), warm.index_built()) == (True, False, False)
    assert warm.progress() == ("Starting…", None)
    assert len(ladder.draft_corpus().documents) == 4  # what pages serve meanwhile: parsed, not embedded
    warm._progress("embedding", 10, 40)
    assert warm.progress() == ("Reading the role documents with the model: 10/40 statements", 0.25)
    warm._progress("opening the search index", 0, 0)
    assert warm.progress() == ("Opening the search index…", None)
    assert warm.join(60)
    assert (warm.needed(), warm.ready(), warm.index_built(), warm.error) == (False, True, True, None)
    assert re.fullmatch(r"Built the search index: 5 files, 66 statements, in \d+\.\d s\.", warm.take_notice())
    assert warm.take_notice() == ""
    (fixture_root / "platform" / "L2-Platform-Engineer.md").unlink()
    assert warm.needed() and warm.ready()  # a removed file: a refresh is due; the current index serves meanwhile
    warm.join(60)
    assert warm.take_notice() == (
        "Role files changed, so the index was updated (removed: platform/L2-Platform-Engineer.md)."
    )


def test_warmup_keeps_a_failure_for_the_page_and_tries_again(make_ladder, tmp_path):
    ladder = make_ladder(tmp_path / "missing", HashingEmbedder())
    warm = views.Warmup(ladder)
    warm.join(60)
    assert not warm.ready()
    assert views.error_text(warm.error) == (
        f"{tmp_path / 'missing'}: no such folder; give the folder of your role documents"
    )
    (tmp_path / "missing").mkdir()
    (tmp_path / "missing" / "L2-Engineer.md").write_text("# L2: Engineer\n\n## Delivery\n\n- I ship.\n")
    warm.join(60)
    assert (warm.error, warm.ready()) == (None, True)


def test_open_ladder_reads_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("LADDER_ROLES", str(FIXTURE))
    monkeypatch.setenv("LADDER_STORE", str(tmp_path / "s"))
    fake = HashingEmbedder()
    ladder = views.open_ladder(embedder=fake)
    assert ladder.settings.roles == (FIXTURE,)
    assert ladder.settings.store == tmp_path / "s"
    assert ladder.embedder is fake
    assert ladder.settings.torch_threads == 1
    warm = views.Warmup(ladder)
    warm.join()  # nothing to load: starts and ends at once
    warm.start()  # once only
    assert warm._thread is not None and not warm._thread.is_alive()


# -- search -----------------------------------------------------------------------------------


def test_filters_from_sidebar_choices():
    assert views.filters_from() == Filters()
    assert views.filters_from("L3", views.ANY, "Senior Platform Engineer", "", "example") == Filters(
        level="L3", role="Senior Platform Engineer", kind="example"
    )


def test_run_search_role_filter_means_exactly_that_role(ladder):
    loose = ladder.search("incident response and mentoring", filters=Filters(role="Platform Engineer"))
    assert {r.role for r in loose.results} == {"Platform Engineer", "Senior Platform Engineer"}
    exact = views.run_search(ladder, "incident response and mentoring", Filters(role="Platform Engineer"))
    assert {r.role for r in exact.results} == {"Platform Engineer"}
    assert {lv.role for lv in exact.levels} == {"Platform Engineer"}
    assert len(exact.results) == 10  # a full page of L2 results, not what was left of a mixed one


def test_run_search_unknown_filter_value_names_the_valid_ones(ladder):
    with pytest.raises(QueryError, match="--level 'L9' matches nothing in the index; valid values: L2, L3, L4"):
        views.run_search(ladder, "x y", Filters(level="L9"))


def _result(path: str, level: str, line: int, **kw) -> SearchResult:
    values = dict(id=f"{path}{line}", text="t", plain="t", kind="expectation", dimension="D", level=level,
                  role="R", track="T", path=path, line=line, score=1.0)
    values.update(kw)
    return SearchResult(**values)  # type: ignore[arg-type]


def test_group_results_by_document_in_order_of_best_result_overview_last():
    results = [
        _result("README.md", "", 3, kind="overview"),
        _result("b.md", "L3", 5),
        _result("a.md", "L2", 9),
        _result("b.md", "L3", 1),
    ]
    groups = views.group_results(results)
    assert [(g.label, g.path, [r.line for r in g.results]) for g in groups] == [
        ("L3 R", "b.md", [5, 1]),
        ("L2 R", "a.md", [9]),
        ("Framework overview", "README.md", [3]),
    ]


def test_result_markdown_badges_context_and_highlights():
    r = _result("a.md", "L4", 17, plain="I negotiate priorities with other team leads.", context="Within the org:",
                matched_terms=("priorities",))
    assert views.result_markdown(r) == (
        ":blue-badge[D] :violet-badge[Expectation]  \n"
        r"_Within the org\:_ I negotiate :orange[**priorities**] with other team leads\."
    )
    example = _result("a.md", "L4", 1, kind="example", dimension="", plain="x <y>")
    assert views.result_markdown(example) == ":green-badge[Example]  \n" + r"x \<y\>"


def test_also_in_text_lists_each_role_once():
    places = (
        Placement("1", "L2", "Platform Engineer", "P", "D", "a.md", 1),
        Placement("2", "L4", "Platform Technical Lead", "P", "D", "b.md", 2),
        Placement("3", "L4", "Platform Technical Lead", "P", "E", "b.md", 9),
    )
    assert views.also_in_text(_result("c.md", "L3", 1, also_in=places)) == (
        "Also in: L2 Platform Engineer, L4 Platform Technical Lead"
    )
    assert views.also_in_text(_result("c.md", "L3", 1)) == ""


# -- fit --------------------------------------------------------------------------------------


def test_coverage_grid_is_dimension_by_level_of_the_best_track(ladder):
    corpus = ladder.corpus()
    report = ladder.fit(SELF_REVIEW)
    assert report.best is not None and report.best.path == L3
    grid = views.coverage_grid(report, corpus)
    assert grid.columns == ("L2", "L3", "L4")
    assert grid.rows == ("Domain Expertise", "Teaching and Mentoring")
    assert [[grid.cell(r, c) for c in range(3)] for r in range(2)] == [
        ["1 of 4", "3 of 6", "2 of 8"],
        ["0 of 3", "2 of 3", "1 of 4"],
    ]
    assert grid.share(1, 1) == pytest.approx(2 / 3)


def test_coverage_grid_uses_labels_when_a_level_has_two_roles_and_dashes_for_nothing():
    chunks = [
        _chunk("a.md", "L2", "Engineer", line=1),
        _chunk("b.md", "L2", "Analyst", line=1, dimension="E"),
        _chunk("c.md", "L3", "Senior", line=1),
    ]
    corpus = Corpus(chunks)
    best = RoleFit("L2", "Engineer", "T", "a.md", 1.0,
                   dimensions={"D": (StatementMatch(0, "a.md-1", "x", "expectation", "D", 0.9, 1),)})
    grid = views.coverage_grid(FitReport(("s",), (best,), "thin", ""), corpus)
    assert grid.columns == ("L2 Analyst", "L2 Engineer", "L3")
    assert grid.rows == ("E", "D")
    assert [[grid.cell(r, c) for c in range(3)] for r in range(2)] == [["0 of 1", "–", "–"], ["–", "1 of 1", "0 of 1"]]
    assert (grid.share(1, 1), grid.share(0, 1)) == (1.0, 0.0)
    empty = views.coverage_grid(FitReport((), (), "thin", ""), corpus)
    assert (empty.columns, empty.rows) == ((), ())


def test_evidence_rows_pair_each_statement_with_its_bullets(ladder):
    report = ladder.fit(SELF_REVIEW)
    rows = views.evidence_rows(report.ranking[0], report.statements)
    assert [(r.dimension, r.statement, [b[0] for b in r.bullets]) for r in rows] == [
        ("Domain Expertise", "I lead incident response for our platform outages and write the postmortems.",
         ["I lead incident response for platform outages and write blameless postmortems."]),
        ("Domain Expertise", "I designed the Kubernetes cluster upgrades so that other teams were not disrupted.",
         ["I design and operate Kubernetes clusters that other teams depend on."]),
        ("Domain Expertise", "I plan the platform work for the next quarter with my manager.",
         ["I document every change I make in the team wiki."]),
        ("Teaching and Mentoring", "I mentor two junior engineers through their first on-call rotations.",
         ["I mentor junior engineers through their first on-call rotations."]),
        ("Teaching and Mentoring", "I review infrastructure code and explain why I suggest each change.",
         ["I review infrastructure code and explain the reasons behind my suggestions."]),
    ]
    assert [(b[1], b[3]) for r in rows for b in r.bullets] == [
        ("expectation", 14), ("expectation", 12), ("expectation", 15), ("expectation", 27), ("expectation", 28)
    ]


# -- browse and compare -----------------------------------------------------------------------


def test_document_labels_are_unique_and_in_track_level_order(ladder):
    assert views.document_labels(ladder.corpus()) == {
        "L3 Senior Data Engineer": "data/L3-Senior-Data-Engineer.md",
        "L2 Platform Engineer": "platform/L2-Platform-Engineer.md",
        "L3 Senior Platform Engineer": L3,
        "L4 Platform Technical Lead": "platform/L4-Platform-Technical-Lead.md",
    }
    twins = Corpus([_chunk("x/a.md", "L2", "Lead", track="X"), _chunk("y/a.md", "L2", "Lead", track="Y"),
                    _chunk("y/b.md", "L2", "Lead", track="Y")])
    assert views.document_labels(twins) == {
        "L2 Lead (X)": "x/a.md", "L2 Lead (Y)": "y/a.md", "L2 Lead (Y) – y/b.md": "y/b.md",
    }


def test_table_of_contents_by_track_then_level(ladder):
    assert views.table_of_contents(ladder.corpus()) == [
        ("Data", [("L3 Senior Data Engineer", "data/L3-Senior-Data-Engineer.md")]),
        ("Platform", [
            ("L2 Platform Engineer", "platform/L2-Platform-Engineer.md"),
            ("L3 Senior Platform Engineer", L3),
            ("L4 Platform Technical Lead", "platform/L4-Platform-Technical-Lead.md"),
        ]),
    ]


def test_document_view_renders_a_role_document_safely(ladder):
    view = views.document_view(ladder.corpus().documents["platform/L4-Platform-Technical-Lead.md"])
    assert view.title == "L4: Platform Technical Lead"
    assert view.summary == r"_I set the technical direction of the platform for a year ahead and lead a team that " \
        r"delivers it\._"
    assert view.attributes == (
        ("Planning horizon", "6-12 months."),
        ("Impact radius", "Team (5-15)."),
        ("Evaluation", "Manager or Director."),
        ("Responsibility and direction needed",
         "Takes brand new ideas from inception to production with limited supervision."),
    )
    assert [s.dimension for s in view.sections] == ["Domain Expertise", "Teaching and Mentoring"]
    assert view.sections[0].expectations == "\n".join([
        r"- I set the platform roadmap for the next year and align it with product priorities\.",
        r"- I make build\-versus\-buy decisions for core infrastructure and defend them to leadership\.",
        r"- I drive cost reduction across all cloud accounts\.",
        r"- Within the wider organisation\:",
        r"    - I represent the platform team in architecture reviews\.",
        r"    - I negotiate priorities with other team leads\.",
    ])
    assert view.sections[1].examples == (
        r"- I coached a senior engineer until they could run the platform roadmap planning on their own\."
    )


def test_overview_markdown_splits_paragraphs_and_lists(ladder):
    [(title, body)] = views.overview_markdown(ladder.corpus())
    assert title == "Platform Roles"
    assert body.split("\n\n")[:4] == [
        r"We build the internal platform other teams ship on\. We have two tracks\: Platform Engineers and "
        r"Data Engineers\.",
        "- **Platform Engineers** build and run the deployment pipeline\\, the clusters and the observability "
        "stack\\.\n- **Data Engineers** build the pipelines that move and model the company\\'s data\\.",
        r"Our roles are defined by expectations for each level in terms of\:",
        "- **Planning horizon**\\: How far ahead you are expected to plan your work\n"
        "- **Impact radius**\\: Who is affected by the work you do\n"
        "- **Evaluated by**\\: Who evaluates your performance\n"
        "- **Responsibility and direction needed**\\: How much autonomy is expected",
    ]
    assert body.endswith("- L2 Platform Engineer\n- L3 Senior Platform Engineer\n- L4 Platform Technical Lead\n"
                         "- L3 Senior Data Engineer")


def test_compare_defaults(ladder):
    corpus = ladder.corpus()
    assert views.compare_defaults(corpus) == ("platform/L2-Platform-Engineer.md", L3)
    assert views.compare_defaults(corpus, L3) == (L3, "platform/L4-Platform-Technical-Lead.md")
    # the top of a track: the level below on the left
    assert views.compare_defaults(corpus, "platform/L4-Platform-Technical-Lead.md") == (
        L3, "platform/L4-Platform-Technical-Lead.md"
    )
    # alone in its track: any other document
    assert views.compare_defaults(corpus, "data/L3-Senior-Data-Engineer.md") == (
        "data/L3-Senior-Data-Engineer.md", "platform/L2-Platform-Engineer.md"
    )
    assert views.compare_defaults(Corpus([])) == ("", "")


def test_word_diff_marks_only_the_changed_words():
    assert views.word_diff("I escalate with my peers when appropriate.", "I raise problems with my peers early.") == (
        r"I :red[~~escalate~~] with my peers :red[~~when appropriate\.~~]",
        r"I :green[**raise problems**] with my peers :green[**early\.**]",
    )
    assert views.word_diff("<b>same</b>", "<b>same</b>") == (r"\<b\>same\<\/b\>", r"\<b\>same\<\/b\>")


def test_bullet_markdown_and_comparison_counts(ladder):
    assert views.bullet_markdown(Bullet(id="1", kind="example", text="I [did] it.", line=3, context="Within:")) == (
        r"_Within\:_ I \[did\] it\. :green-badge[Example]"
    )
    comparison = compare_roles(ladder.corpus(), "platform/L2-Platform-Engineer.md", L3)
    assert views.comparison_counts(comparison) == (
        "7 only in L2 Platform Engineer, 9 only in L3 Senior Platform Engineer, 0 reworded, 0 shared"
    )


# -- the app's sentences ------------------------------------------------------------------------


def test_matched_markdown_badges_each_bullet_with_its_similarity_and_line():
    fit = RoleFit("L3", "Senior", "T", "a.md", 1.0)
    row = views.EvidenceRow("D", "I mentor", (
        ("Mentors *juniors*", "expectation", 0.8123, 3, "https://x.org/a"),
        ("Ran on-call", "example", 0.5, 4, ""),
    ))
    assert views.matched_markdown(row, fit) == (
        ":gray-badge[Expectation] Mentors \\*juniors\\* :gray[(0.81)] :gray[[a\\.md\\:3](<https://x.org/a>)]  \n"
        ":gray-badge[Example] Ran on\\-call :gray[(0.50)]"
    )


def test_ignored_markdown_lists_each_line_with_its_reason():
    ignored = (IgnoredLine("# Notes", "a heading"), IgnoredLine("ok", "short"))
    report = FitReport(("s",), (), "thin", "", ignored=ignored)
    assert views.ignored_markdown(report) == "- \\# Notes · *a heading*\n- ok · *short*"


def test_growth_markdown_names_the_next_level_and_its_gaps_by_dimension():
    best, nxt = RoleFit("L2", "Engineer", "T", "a.md", 1.0), RoleFit("L3", "Senior", "T", "b.md", 0.5)
    gaps = (
        Gap("b-1", "Leads design", "Craft", "b.md", 7, 0.2, "https://x.org/b"),
        Gap("b-2", "Mentors", "Craft", "b.md", 8, 0.1),
        Gap("b-3", "Plans work", "", "b.md", 9, 0.1),
    )
    report = FitReport(("s",), (best, nxt), "clear", "", next_up=nxt, gaps=gaps)
    assert views.next_level_sentence(report) == (
        "The next level up is **L3 Senior**. These of its expectations are not covered by anything you wrote yet:"
    )
    assert views.gaps_markdown(report) == (
        "\n**Craft**\n\n- Leads design :gray[[b\\.md\\:7](<https://x.org/b>)]\n- Mentors\n\n**Other**\n\n- Plans work"
    )
    assert views.next_level_sentence(replace(report, gaps=())) == (
        "The next level up is **L3 Senior**. Your statements already touch every one of its expectations."
    )
    assert views.gaps_markdown(replace(report, gaps=())) == ""
    assert views.next_level_sentence(replace(report, next_up=None)) == ""


def test_citations_markdown_gives_text_place_and_link():
    cites = [
        Citation("c1", "a.md", 3, "Senior", "L3", "D", "Leads *design*", "expectation", "https://x.org/a"),
        Citation("c2", "b.md", 5, "", "", "D", "Plans", "expectation"),
    ]
    assert views.citations_markdown(cites) == (
        "- Leads \\*design\\*  \n  :gray[L3 Senior · [a\\.md\\:3](<https://x.org/a>)]\n"
        "- Plans  \n  :gray[ · b\\.md\\:5]"
    )


def test_index_status_text_for_no_index_an_error_and_a_built_index():
    assert views.index_status_text(None) == "The index could not be opened: see the message."
    assert views.index_status_text(Status(store="s", model="m", built=False)) == "No search index yet."
    built = Status(store="s", model="m", built=True, files=2, chunks=9, roots=["roles", "extra"],
                   built_at=datetime(2026, 1, 2, 3, 4).timestamp())
    assert views.index_status_text(built) == (
        "2 files, 9 statements, model m, built 2026-01-02 03:04. Framework: roles, extra."
    )
    assert views.index_status_text(replace(built, built_at=0.0)).endswith("built –. Framework: roles, extra.")


def test_attribute_rows_and_attributes_markdown_escape_every_cell(ladder):
    comparison = compare_roles(ladder.corpus(), "platform/L2-Platform-Engineer.md", L3)
    rows = views.attribute_rows(comparison)
    assert rows[:2] == [
        ("Planning horizon", "Current and next sprint\\.", "Current and next quarter\\."),
        ("Impact radius", "Self plus some teammates\\.", "Peers \\(2\\-5\\)\\."),
    ]
    assert len(rows) == 4
    view = views.document_view(ladder.corpus().documents[L3], ladder.corpus())
    assert views.attributes_markdown(view.attributes).splitlines()[:4] == [
        "| Attribute | At this level |",
        "|---|---|",
        "| **Planning horizon** | Current and next quarter\\. |",
        "| **Impact radius** | Peers \\(2\\-5\\)\\. |",
    ]
    assert views.attributes_markdown(()) == ""


def test_ranking_chart_data_and_coverage_table_body():
    fits = tuple(RoleFit(f"L{n}", "R", "T", f"{n}.md", 1 / n, key=f"{n}.md") for n in range(1, 11))
    report = FitReport(("s",), fits, "clear", "")
    data = views.ranking_chart_data(report)
    assert data["Role"] == [f"L{n} R" for n in range(1, 9)]
    assert data["Fit score"] == [1.0, 0.5, 0.33, 0.25, 0.2, 0.17, 0.14, 0.12]
    assert data["Best"] == [True] + [False] * 7
    assert views.ranking_chart_data(FitReport((), (), "thin", "")) == {"Role": [], "Fit score": [], "Best": []}
    grid = views.CoverageGrid(("L2", "L3"), ("D", "E"), ((1, 0), (2, 0)), ((2, 0), (4, 3)))
    assert grid.cells() == [["1 of 2", "–"], ["2 of 4", "0 of 3"]]
    assert grid.shares() == [[0.5, 0.0], [0.5, 0.0]]


def test_no_match_text_and_results_caption():
    assert views.no_match_text(Filters()) == (
        "Nothing in the framework matches that.  Try other words, or describe one thing you did."
    )
    assert views.no_match_text(Filters(level="L3")) == (
        "Nothing in the framework matches that with these filters. Set some filters back to “Any” in the sidebar."
        " Try other words, or describe one thing you did."
    )
    results = [_result("a.md", "L3", 1), _result("a.md", "L3", 2), _result("b.md", "L4", 1)]
    assert views.results_caption(results, views.group_results(results)) == (
        "3 matching statements in 2 role documents, each document under its best match, best first; "
        "matched words are highlighted."
    )


def test_bullet_list_markdown_links_each_bullet_to_its_line():
    bullets = (Bullet(id="1", kind="expectation", text="Leads design.", line=3),
               Bullet(id="2", kind="expectation", text="Mentors.", line=5))
    links = []

    def link(path: str, line: int) -> str:
        links.append((path, line))
        return f"https://x.org/{path}#L{line}" if line == 3 else ""

    assert views.bullet_list_markdown(bullets, "a.md", link) == (
        "- Leads design\\. :gray[[a\\.md\\:3](<https://x.org/a.md#L3>)]\n- Mentors\\."
    )
    assert links == [("a.md", 3), ("a.md", 5)]
    assert views.bullet_list_markdown((), "a.md", link) == "_Nothing_"


def test_the_track_switch_is_offered_only_for_a_runner_up_with_some_evidence():
    def report(call):
        return FitReport(("s",), (), "clear", "", track=call)

    assert views.track_alternative(report(TrackCall("SRE", 0.7, "Cloud", 0.2))) == "Cloud"
    assert views.track_alternative(report(TrackCall("SRE", 1.0, "Cloud", 0.0))) == ""
    assert views.track_alternative(report(TrackCall("SRE", 1.0, given=True))) == ""
    assert views.track_alternative(report(None)) == ""
    fits = (RoleFit("L3", "A", "T", "a.md", 1.0, key="a.md"), RoleFit("L2", "B", "U", "b.md", 0.0, key="b.md"))
    assert views.ranking_chart_data(FitReport(("s",), fits, "clear", ""))["Role"] == ["L3 A"]


def test_has_index_reads_no_files_and_creates_no_store(make_ladder, fixture_root, tmp_path):
    ladder = make_ladder(fixture_root, HashingEmbedder())
    store = ladder.settings.store
    shutil.rmtree(store, ignore_errors=True)
    assert not ladder.has_index() and not store.exists()
    ladder.index()
    assert ladder.has_index()
