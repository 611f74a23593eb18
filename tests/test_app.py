"""The Streamlit app, driven by ``streamlit.testing.v1.AppTest`` on the fixture framework.

The seam: ``assistant.views.open_ladder`` is the app's one factory (called once per process by
an ``st.cache_resource`` function); it reads ``LADDER_ROLES``/``LADDER_STORE`` like the CLI, and
these tests point them at ``tmp_path`` and hand it the hashing embedder (or the real model).
"""

from __future__ import annotations

import functools
import re
import time
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from assistant import Settings, build_ladder, views
from assistant.compare import Bullet
from assistant.config import BUNDLED_ROLES
from tests.fakes import GatedEmbedder, HashingEmbedder

from .conftest import REPO
from .gitrepo import Repo, git

APP = str(REPO / "streamlit_app.py")
_OPEN_LADDER = views.open_ladder  # the real factory, before a test replaces it
L3_DOC = "platform/L3-Senior-Platform-Engineer.md"
L2_DOC = "platform/L2-Platform-Engineer.md"


def plain(markdown: str) -> str:
    """What a reader sees of escaped Markdown (backslash escapes removed)."""
    return re.sub(r"\\(.)", r"\1", markdown)


@pytest.fixture
def app(monkeypatch, tmp_path, fixture_root):
    """``app(**query_params)`` runs the app once and returns the AppTest (``embedder=``,
    ``roles=``, ``timeout=`` change the defaults: hashing embedder, fixture framework, 20 s)."""

    def run(*, embedder=None, roles: Path | None = None, timeout: float = 20, **params: str) -> AppTest:
        monkeypatch.setenv("LADDER_ROLES", str(roles or fixture_root))
        monkeypatch.setenv("LADDER_STORE", str(tmp_path / "store"))
        factory = functools.partial(_OPEN_LADDER, embedder=embedder or HashingEmbedder())
        monkeypatch.setattr(views, "open_ladder", factory)
        at = AppTest.from_file(APP, default_timeout=timeout)
        at.query_params.update(params)
        return at.run()

    st.cache_resource.clear()
    yield run
    st.cache_resource.clear()


def main_texts(at: AppTest, kind: str) -> list[str]:
    return [plain(e.value) for e in at.main.get(kind)]


def cards(at: AppTest) -> list[tuple[str, str]]:
    """(markdown, caption) of every result card, in page order, made plain."""
    out = []
    for block in at.main.children.values():
        if type(block).__name__ == "Block" and block.get("markdown") and block.get("caption"):
            out.append((plain(block.get("markdown")[0].value), plain(block.get("caption")[0].value)))
    return out


def assert_clean(at: AppTest) -> None:
    assert not at.exception
    assert not at.error
    assert all(not m.allow_html for m in at.get("markdown")), "no Markdown may allow raw HTML"


# -- first start and search -------------------------------------------------------------------


def test_first_start_builds_the_index_then_shows_what_to_try(app):
    at = app()
    assert_clean(at)
    assert re.fullmatch(r"Built the search index: 5 files, 66 statements, in \d+\.\d s\.", plain(at.success[0].value))
    assert at.text_input(key="q").value == ""
    assert [b.label for b in at.main.get("button")] == list(views.EXAMPLE_QUERIES)
    assert [s.label for s in at.sidebar.get("selectbox")] == ["Level", "Track", "Role", "Dimension", "Kind"]
    assert at.selectbox(key="level").options == ["Any", "L2", "L3", "L4"]
    assert at.selectbox(key="track").options == ["Any", "Data", "Framework", "Platform"]
    assert at.selectbox(key="kind").options == ["Any", "Attribute", "Example", "Expectation", "Overview", "Summary"]
    at.run()
    assert not at.success, "the index is built once; later runs say nothing"


def test_while_the_model_loads_and_the_index_builds_search_serves_word_matches_and_browse_works(app):
    gated = GatedEmbedder()
    at = app(embedder=gated, q="incident response postmortems")
    assert not at.exception and not at.error
    [bar] = at.get("progress")
    assert plain(bar.proto.text) == "Warming up: Starting…"  # it starts once the page is out
    assert views.WARMING_NOTE in main_texts(at, "caption")
    assert "Word matches only for now: results that match by meaning join when the warm-up is done." in main_texts(
        at, "caption"
    )
    first = (
        ":blue-badge[Domain Expertise] :violet-badge[Expectation]  \nI lead :orange[**incident**] "
        ":orange[**response**] for platform outages and write blameless "
        ":orange[**postmortems**].",
        f"{L3_DOC}:14",
    )
    assert cards(at)[0] == first  # BM25 over the roles parsed, nothing embedded yet
    assert gated.calls == 0
    at = app(embedder=gated, page="Browse")  # a new session of the same server (one Ladder, one warm-up)
    assert not at.error
    assert [plain(b.proto.text) for b in at.get("progress")] == ["Warming up: Loading the model…"]
    assert main_texts(at, "header") == ["Platform Roles"]
    assert [b.label for b in at.sidebar.get("button")][:2] == ["About this framework", "L3 Senior Data Engineer"]
    at = app(embedder=gated, page="Fit", text="I lead incident response.")
    assert [plain(i.value) for i in at.info] == [
        "Fit starts as soon as the warm-up above is done; what you typed is kept."
    ]
    gated.release()
    deadline = time.monotonic() + 30
    while not gated.loaded and time.monotonic() < deadline:  # the model loads once no page ran for a while
        time.sleep(0.05)
    at = app(embedder=gated, q="incident response postmortems")  # waits for the build: the model is loaded
    assert_clean(at)
    assert not at.get("progress")
    assert re.fullmatch(r"Built the search index: 5 files, 66 statements, in \d+\.\d s\.", plain(at.success[0].value))
    assert "Word matches only for now" not in " ".join(main_texts(at, "caption"))
    # the same card, now with how strongly it matches by meaning (word matches alone have no strength)
    badged = first[0].replace("[Expectation]  ", "[Expectation] :orange-badge[Partial match]  ")
    assert cards(at)[0] == (badged, first[1])
    assert gated.calls == 62  # the index was built: every distinct statement embedded once


def test_search_shows_cards_grouped_by_role_document_with_badges_highlights_and_sources(app):
    at = app(q="incident response postmortems")
    assert_clean(at)
    assert main_texts(at, "subheader") == [
        "L3 Senior Platform Engineer", "L4 Platform Technical Lead", "L2 Platform Engineer", "L3 Senior Data Engineer",
        "Framework overview",
    ]
    assert cards(at)[:6] == [
        (":blue-badge[Domain Expertise] :violet-badge[Expectation] :orange-badge[Partial match]  \n"
         "I lead :orange[**incident**] "
         ":orange[**response**] for platform outages and write blameless "
         ":orange[**postmortems**].", f"{L3_DOC}:14"),
        (":blue-badge[Domain Expertise] :violet-badge[Expectation] :gray-badge[Weak match]  \n"
         "I design and operate Kubernetes clusters that other teams depend on.", f"{L3_DOC}:12"),
        (":blue-badge[Teaching and Mentoring] :green-badge[Example] :gray-badge[Weak match]  \n"
         "I paired with a new hire every week until they could handle pages alone.", f"{L3_DOC}:33"),
        (":blue-badge[Domain Expertise] :violet-badge[Expectation] :gray-badge[Weak match]  \n"
         "_Within the wider organisation:_ I negotiate priorities with other team leads.",
         "platform/L4-Platform-Technical-Lead.md:17"),
        (":blue-badge[Teaching and Mentoring] :violet-badge[Expectation] :gray-badge[Weak match]  \n"
         "I document every change I make in the team wiki.",
         "platform/L2-Platform-Engineer.md:27 · Also in: L3 Senior Platform Engineer, L4 Platform Technical Lead"),
        (":blue-badge[Domain Expertise] :violet-badge[Expectation] :gray-badge[Weak match]  \n"
         "I design batch and streaming pipelines that load data into the warehouse every hour.",
         "data/L3-Senior-Data-Engineer.md:11"),
    ]
    # ten bullets of role documents, then the overview passages that ranked among them, apart
    assert len(cards(at)) == 13
    assert [c[1] for c in cards(at)[10:]] == ["README.md:3", "README.md:5", "README.md:6"]
    assert all(c[0].startswith(":gray-badge[Overview]") for c in cards(at)[10:])
    assert at.main.get("caption")[2].value == (
        "10 matching statements in 4 role documents, each document under its best match, best first, then 3 "
        "passages of the overview pages; matched words are highlighted."
    )


def test_search_says_how_it_read_jargon_and_highlights_the_plain_words(app):
    # the fixture says "continuous integration", never "CI"
    at = app(q="keeping CI green")
    assert_clean(at)
    assert [plain(i.value) for i in at.main.get("info")] == [
        'read "CI" as "continuous integration build pipeline"']
    assert ":orange[**continuous**] :orange[**integration**]" in cards(at)[0][0]
    assert at.text_input(key="q").value == "keeping CI green"  # the query stays as typed


def test_search_filters_come_from_the_url_and_role_means_exactly_that_role(app):
    at = app(q="incident response postmortems", role="Platform Engineer", kind="Expectation")
    assert_clean(at)
    assert (at.selectbox(key="role").value, at.selectbox(key="kind").value) == ("Platform Engineer", "Expectation")
    assert main_texts(at, "subheader") == ["L2 Platform Engineer"]
    # every L2 expectation; the bullet L3 and L4 share is shown as L2's own copy
    assert [c[1] for c in cards(at)] == [
        "platform/L2-Platform-Engineer.md:27 · Also in: L3 Senior Platform Engineer, L4 Platform Technical Lead",
        "platform/L2-Platform-Engineer.md:12",
        "platform/L2-Platform-Engineer.md:13",
        "platform/L2-Platform-Engineer.md:14",
        "platform/L2-Platform-Engineer.md:26",
    ]
    assert cards(at)[0][0] == (
        ":blue-badge[Teaching and Mentoring] :violet-badge[Expectation] :gray-badge[Weak match]  \nI document every "
        "change I make in the team wiki."
    )


def test_changing_a_filter_reruns_the_search(app):
    at = app(q="incident response postmortems")
    at.selectbox(key="level").select("L4").run()
    assert_clean(at)
    assert main_texts(at, "subheader") == ["L4 Platform Technical Lead"]
    assert cards(at)[0][1] == "platform/L4-Platform-Technical-Lead.md:17"


def test_filters_that_exclude_everything_say_what_to_do(app):
    at = app(q="mentoring", level="L2", track="Data")
    assert_clean(at)
    assert [i.value for i in at.info] == [
        "Nothing in the framework matches that with these filters. Set some filters back to “Any” in the "
        "sidebar. Try other words, or describe one thing you did."
    ]
    assert not cards(at)


def test_unknown_url_values_fall_back_to_defaults(app):
    at = app(page="Nope", level="L9")
    assert_clean(at)
    assert at.main.get("button_group")[0].value == "Search"
    assert at.selectbox(key="level").value == "Any"


def test_an_example_query_button_runs_that_search(app):
    at = app()
    at.main.get("button")[1].click().run()
    assert_clean(at)
    assert at.text_input(key="q").value == "leading incident response"
    assert cards(at)[0][1] == f"{L3_DOC}:14"


def test_typing_a_query_searches(app):
    at = app()
    at.text_input(key="q").input("mentor junior engineers on call").run()
    assert_clean(at)
    assert cards(at)[0] == (
        ":blue-badge[Teaching and Mentoring] :violet-badge[Expectation] :primary-badge[Strong match]  \n"
        "I :orange[**mentor**] "
        ":orange[**junior**] :orange[**engineers**] through their first "
        "on-:orange[**call**] rotations.",
        f"{L3_DOC}:27",
    )


# -- fit --------------------------------------------------------------------------------------


def test_fit_empty_state_then_the_example(app):
    at = app(page="Fit")
    assert_clean(at)
    assert [i.value for i in at.info] == [
        "Paste your own text above, or fill in the example, then press **Find my level**."
    ]
    [example] = [b for b in at.main.get("button") if b.label == "Fill in an example"]
    example.click().run()
    assert_clean(at)
    assert at.text_area(key="text").value == views.EXAMPLE_SELF_REVIEW
    assert main_texts(at, "subheader") == ["Best fit: L3 Senior Platform Engineer · performing"]


def test_fit_shows_ranking_coverage_evidence_and_what_to_grow_into(app):
    at = app(page="Fit", text=views.EXAMPLE_SELF_REVIEW)
    assert_clean(at)
    assert main_texts(at, "subheader") == ["Best fit: L3 Senior Platform Engineer · performing"]
    assert plain(at.success[-1].value) == (
        "**A clear fit: one level stands out.** L3 Senior Platform Engineer fits best, ahead of the next level by a "
        "clear margin."
    )
    grid = at.dataframe[0].value
    assert list(grid.columns) == ["L2", "L3", "L4"]
    assert grid.to_dict("index") == {
        "Domain Expertise": {"L2": "1 of 4", "L3": "3 of 6", "L4": "2 of 8"},
        "Teaching and Mentoring": {"L2": "0 of 3", "L3": "2 of 3", "L4": "1 of 4"},
    }
    assert at.selectbox(key="evidence_for").options == [
        "L3 Senior Platform Engineer", "L4 Platform Technical Lead", "L2 Platform Engineer", "L3 Senior Data Engineer",
    ]
    texts = main_texts(at, "markdown")
    said = [t for t in texts if t.startswith("**You wrote:**")]
    assert said[0] == "**You wrote:** I lead incident response for our platform outages and write the postmortems."
    assert texts[texts.index(said[0]) + 1] == (
        ":gray-badge[Expectation] I lead incident response for platform outages and write blameless postmortems. "
        ":gray[(0.87)]"
    )
    assert len(said) == 5
    grow = texts.index("### What to grow into")
    assert texts[grow + 1] == (
        "The next level up is **L4 Platform Technical Lead**. These of its expectations are not covered by anything "
        "you wrote yet:"
    )
    assert texts[grow + 2].splitlines() == [
        "**Domain Expertise**",
        "",
        "- I make build-versus-buy decisions for core infrastructure and defend them to leadership.",
        "- I drive cost reduction across all cloud accounts.",
        "- I represent the platform team in architecture reviews.",
        "- I negotiate priorities with other team leads.",
        "",
        "**Teaching and Mentoring**",
        "",
        "- I grow senior engineers into technical leads by delegating ownership of projects.",
        "- I run a quarterly training programme on reliability engineering for the whole department.",
        "- I document every change I make in the team wiki.",
    ]
    assert [b.proto.label for b in at.get("download_button")] == ["Download this result as Markdown"]


def test_fit_runs_under_a_spinner(app, monkeypatch):
    import contextlib

    from assistant.service import Ladder

    seen: list[str] = []
    real_spinner, real_fit = st.spinner, Ladder.fit

    @contextlib.contextmanager
    def spinner(text: str = "", **kwargs):
        seen.append(f"spinner: {text}")
        with real_spinner(text, **kwargs):
            yield
        seen.append("spinner done")

    def fit(self, *args, **kwargs):
        seen.append("fit")
        return real_fit(self, *args, **kwargs)

    monkeypatch.setattr(st, "spinner", spinner)
    monkeypatch.setattr(Ladder, "fit", fit)
    at = app(page="Fit", text=views.EXAMPLE_SELF_REVIEW)
    assert_clean(at)
    assert seen == ["spinner: Matching your statements to the framework…", "fit", "spinner done"]


def test_fit_evidence_for_another_level(app):
    at = app(page="Fit", text=views.EXAMPLE_SELF_REVIEW)
    at.selectbox(key="evidence_for").select("L2 Platform Engineer").run()
    assert_clean(at)
    said = [t for t in main_texts(at, "markdown") if t.startswith("**You wrote:**")]
    assert said == [
        "**You wrote:** I review infrastructure code and explain why I suggest each change.",
        "**You wrote:** I plan the platform work for the next quarter with my manager.",
    ]


def test_fit_compare_button_opens_compare_on_best_and_next_level(app):
    at = app(page="Fit", text=views.EXAMPLE_SELF_REVIEW)
    [button] = [b for b in at.main.get("button") if b.label.startswith("Compare ")]
    assert plain(button.label) == "Compare L3 Senior Platform Engineer with L4 Platform Technical Lead"
    button.click().run()
    assert_clean(at)
    assert at.main.get("button_group")[0].value == "Compare"
    assert (at.selectbox(key="a").value, at.selectbox(key="b").value) == (
        "L3 Senior Platform Engineer", "L4 Platform Technical Lead",
    )


# -- compare ----------------------------------------------------------------------------------


def test_compare_opens_on_adjacent_levels_with_attributes_and_differences(app):
    at = app(page="Compare")
    assert_clean(at)
    assert (at.selectbox(key="a").value, at.selectbox(key="b").value) == (
        "L2 Platform Engineer", "L3 Senior Platform Engineer",
    )
    assert plain(at.main.get("caption")[2].value) == (
        "7 only in L2 Platform Engineer, 9 only in L3 Senior Platform Engineer, 0 reworded, 0 shared"
    )
    table = at.table[0].value
    assert {plain(r): {plain(c): plain(v) for c, v in row.items()} for r, row in table.to_dict("index").items()} == {
        "Planning horizon": {"L2 Platform Engineer": "Current and next sprint.",
                             "L3 Senior Platform Engineer": "Current and next quarter."},
        "Impact radius": {"L2 Platform Engineer": "Self plus some teammates.",
                          "L3 Senior Platform Engineer": "Peers (2-5)."},
        "Evaluated by": {"L2 Platform Engineer": "Manager.", "L3 Senior Platform Engineer": "Manager."},
        "Responsibility and direction needed": {
            "L2 Platform Engineer": "Weekly supervision from a senior engineer.",
            "L3 Senior Platform Engineer": "Takes vertical slices of the platform from idea to production.",
        },
    }
    assert main_texts(at, "subheader") == ["Domain Expertise", "Teaching and Mentoring"]
    texts = main_texts(at, "markdown")
    i = len(texts) - 1 - texts[::-1].index(":green-badge[Only in L3 Senior Platform Engineer]")  # the last one
    assert texts[i + 1].splitlines() == [
        "- I mentor junior engineers through their first on-call rotations.",
        "- I review infrastructure code and explain the reasons behind my suggestions.",
        "- I paired with a new hire every week until they could handle pages alone. :green-badge[Example]",
    ]


def test_compare_pairs_reworded_bullets_and_lists_shared_ones(app, fixture_root):
    l4 = fixture_root / "platform" / "L4-Platform-Technical-Lead.md"
    l4.write_text(l4.read_text().replace(
        "- I drive cost reduction across all cloud accounts.",
        "- I drive cost reduction across all cloud accounts.\n"
        "- I lead incident response for platform outages and write blameless postmortems.\n"
        "- I design and operate Kubernetes clusters that many teams depend on.",
    ))
    at = app(page="Compare", a="L3 Senior Platform Engineer", b="L4 Platform Technical Lead")
    assert_clean(at)
    texts = main_texts(at, "markdown")
    i = texts.index("**Said differently** (changed words highlighted)")
    assert texts[i + 1: i + 3] == [
        "I design and operate Kubernetes clusters that :red[~~other~~] teams depend on.",
        "I design and operate Kubernetes clusters that :green[**many**] teams depend on.",
    ]
    [expander] = [e for e in at.main.get("expander") if "both say" in e.label]
    assert expander.label == "1 bullet both say"
    assert plain(expander.get("markdown")[0].value) == (
        "- I lead incident response for platform outages and write blameless postmortems."
    )


def test_compare_the_same_document_twice(app):
    at = app(page="Compare", a="L2 Platform Engineer", b="L2 Platform Engineer")
    assert_clean(at)
    assert [i.value for i in at.info] == ["Both sides are the same role document; pick another one on the right."]


# -- browse -----------------------------------------------------------------------------------


def test_browse_opens_on_the_overview_with_a_table_of_contents(app):
    at = app(page="Browse")
    assert_clean(at)
    assert [plain(m.value) for m in at.sidebar.get("markdown")] == ["**Data**", "**Platform**"]
    assert [b.label for b in at.sidebar.get("button")] == [
        "About this framework", "L3 Senior Data Engineer", "L2 Platform Engineer", "L3 Senior Platform Engineer",
        "L4 Platform Technical Lead",
    ]
    assert main_texts(at, "header") == ["Platform Roles"]
    assert main_texts(at, "markdown")[0].startswith(
        "We build the internal platform other teams ship on. We have two tracks: Platform Engineers and Data "
        "Engineers.\n\n- **Platform Engineers** build"
    )


def test_browse_a_document_from_the_table_of_contents(app):
    at = app(page="Browse")
    [toc] = [b for b in at.sidebar.get("button") if b.label == "L3 Senior Platform Engineer"]
    toc.click().run()
    assert_clean(at)
    assert at.selectbox(key="doc").value == "L3 Senior Platform Engineer"
    assert main_texts(at, "header") == ["L3: Senior Platform Engineer"]
    assert main_texts(at, "subheader") == ["Domain Expertise", "Teaching and Mentoring"]
    texts = main_texts(at, "markdown")
    assert texts[0] == "> _I own whole parts of our platform, design them for reliability, and help the engineers " \
        "around me grow._"
    assert texts[1].splitlines()[2:] == [
        "| **Planning horizon** | Current and next quarter. |",
        "| **Impact radius** | Peers (2-5). |",
        "| **Evaluation** | Manager. |",
        "| **Responsibility and direction needed** | Takes vertical slices of the platform from idea to production. |",
    ]
    assert texts[2].splitlines() == [
        "- I design and operate Kubernetes clusters that other teams depend on.",
        "- I set service level objectives and alerting so that outages are caught before customers notice.",
        "- I lead incident response for platform outages and write blameless postmortems.",
        "- I document every change I make in the team wiki.",
    ]
    assert [e.label for e in at.main.get("expander")] == ["Examples", "Examples"]
    [compare] = [b for b in at.main.get("button") if b.label.startswith("Compare with")]
    compare.click().run()
    assert (at.selectbox(key="a").value, at.selectbox(key="b").value) == (
        "L3 Senior Platform Engineer", "L4 Platform Technical Lead",
    )


# -- freshness, errors and hostile text -------------------------------------------------------


def test_a_changed_role_file_is_reindexed_with_a_notice(app, fixture_root):
    at = app(page="Browse", doc="L2 Platform Engineer")
    assert at.success
    path = fixture_root / "platform" / "L2-Platform-Engineer.md"
    text = path.read_text().replace("- I share what I learn", "- I run the weekly demo.\n- I share what I learn")
    path.write_text(text)
    at.run()
    assert_clean(at)
    assert [plain(s.value) for s in at.success] == [
        "Role files changed, so the index was updated (changed: platform/L2-Platform-Engineer.md)."
    ]
    assert "- I run the weekly demo." in main_texts(at, "markdown")[-2].splitlines()
    at.run()
    assert not at.success


def test_errors_are_one_line_with_the_fix_never_a_traceback(app, tmp_path):
    at = app(roles=tmp_path / "missing")
    assert not at.exception
    assert [plain(e.value) for e in at.error] == [
        f"{tmp_path / 'missing'}: no such folder; give the folder of your role documents"
    ]


def test_the_sidebar_stays_when_a_page_fails(app, tmp_path):
    at = app(roles=tmp_path / "missing")
    assert [plain(e.value) for e in at.error] == [
        f"{tmp_path / 'missing'}: no such folder; give the folder of your role documents"
    ]
    [about] = at.sidebar.get("expander")
    assert about.label == "About this index"
    assert [plain(c.value) for c in at.sidebar.get("caption")][0] == (
        "The index could not be opened: see the message."
    )


def test_switching_page_from_a_button_raises_no_session_state_warning(app, monkeypatch):
    import logging

    seen: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: seen.append(record.getMessage())  # type: ignore[method-assign]
    policies = logging.getLogger("streamlit.elements.lib.policies")
    policies.addHandler(handler)
    try:
        at = app()
        at.main.get("button")[0].click().run()  # an example: goto("Search", q=...)
        assert at.text_input(key="q").value == views.EXAMPLE_QUERIES[0]
        at = app(page="Fit")
        [example] = [b for b in at.main.get("button") if b.label == "Fill in an example"]
        example.click().run()
        assert at.text_area(key="text").value == views.EXAMPLE_SELF_REVIEW
    finally:
        policies.removeHandler(handler)
    assert [m for m in seen if "default value" in m] == []


def test_example_buttons_wrap_as_wide_as_their_words_instead_of_sharing_columns(app):
    at = app()
    assert not at.main.columns  # fixed-width columns cut long labels ("planning work for the next quar…")
    [row] = [b for b in at.main.children.values() if type(b).__name__ == "Block" and b.get("button")]
    assert (row.proto.flex_container.direction, row.proto.flex_container.wrap) == (
        type(row.proto.flex_container).Direction.HORIZONTAL, True
    )
    assert [b.label for b in row.get("button")] == list(views.EXAMPLE_QUERIES)


def test_hostile_role_text_is_shown_escaped(app, fixture_root):
    (fixture_root / "platform" / "L3-Hostile.md").write_text(
        "# L3: Hostile Engineer\n\n## Domain Expertise\n\n"
        "- I write <script>alert('x')</script> and :red[red] and [click](javascript:alert(1)) and $x$.\n"
    )
    at = app(q="script red click", role="Hostile Engineer")
    assert_clean(at)
    [(markdown, source)] = cards(at)
    assert source == "platform/L3-Hostile.md:5"
    # the parser keeps no HTML tags; everything else reaches the page as literal text
    raw = next(b.get("markdown")[0].value for b in at.main.children.values() if type(b).__name__ == "Block")
    assert raw == (
        ":blue-badge[Domain Expertise] :violet-badge[Expectation] :gray-badge[Weak match]  \n"
        r"I write alert\(\'x\'\) and \::orange[**red**]\[:orange[**red**]\] and "
        r"\[:orange[**click**]\]\(javascript\:alert\(1\)\) and \$x\$\."
    )


# -- what changed -----------------------------------------------------------------------------

RECALIBRATION = "Recalibrate L2: reviews <script>alert('subject')</script>"


@pytest.fixture
def framework_repo(tmp_path, fixture_root) -> tuple[Repo, list[str]]:
    """The fixture framework in git under roles/, then a recalibration of L2."""
    repo = Repo(tmp_path / "career")
    repo.add_tree(fixture_root, "roles")
    first = repo.commit("Platform and data roles")
    repo.edit(f"roles/{L2_DOC}", "I fix flaky", "I repair flaky")
    repo.edit(f"roles/{L2_DOC}", "I follow the on-call runbook to restart failed services.",
              "I review pull requests from my teammates.")
    repo.edit(f"roles/{L2_DOC}", "**Evaluation**: Manager.", "**Evaluation**: Manager and tech lead.")
    repo.write("roles/platform/L5-Principal.md", "# L5: Principal Engineer\n\n## Domain Expertise\n\n"
               "- I write <script>alert('bullet')</script> and :red[red] and $x$ strategy.\n")
    second = repo.commit(RECALIBRATION)
    return repo, [first, second]


def commit_option(repo: Repo, commit: str) -> str:
    """How the app lists a commit (and writes it in the URL)."""
    return git(repo.path, "log", "-1", "--format=%h · %cs · %s", "--abbrev=7", commit)


def test_what_changed_lists_bullets_added_removed_and_reworded_per_role_and_dimension(app, framework_repo):
    repo, (first, second) = framework_repo
    at = app(roles=repo.path / "roles", page="What changed")
    assert_clean(at)
    since, until = at.selectbox(key="since"), at.selectbox(key="until")
    assert (since.value, until.value) == (first, second)  # the previous commit .. the newest
    assert until.options == [commit_option(repo, second), commit_option(repo, first)]
    assert until.options[0].endswith(f" · {RECALIBRATION}")
    assert main_texts(at, "caption")[2:] == [
        "2 files changed: 2 bullets added, 1 removed, 2 reworded in 3 sections.",
        L2_DOC,
        "platform/L5-Principal.md · new file",
    ]
    assert main_texts(at, "subheader") == ["L2 Platform Engineer", "L5 Principal Engineer"]
    assert main_texts(at, "markdown")[1:] == [
        "##### Attributes :orange-badge[1 reworded]",
        "- :orange[**~**] Evaluation: Manager.  \n  → Evaluation: Manager :green[**and tech lead.**] "
        ":gray[line 7]",
        "##### Domain Expertise :green-badge[+1 added] :red-badge[-1 removed] :orange-badge[1 reworded]",
        "- :green[**+**] I review pull requests from my teammates. :gray[line 14]\n"
        "- :red[**-**] I follow the on-call runbook to restart failed services. :gray[line 14]\n"
        "- :orange[**~**] I :red[~~fix~~] flaky build pipelines and keep the continuous integration jobs "
        "green.  \n  → I :green[**repair**] flaky build pipelines and keep the continuous integration jobs "
        "green. :gray[line 12]",
        "##### Domain Expertise :green-badge[+1 added]",
        "- :green[**+**] I write alert('bullet') and :red[red] and $x$ strategy. :gray[line 5]",
    ]
    # the hostile bullet reaches Streamlit escaped: no directive, no maths
    assert at.main.get("markdown")[-1].value == (
        r"- :green[**\+**] I write alert\(\'bullet\'\) and \:red\[red\] and \$x\$ strategy\. :gray[line 5]"
    )


def test_what_changed_asks_for_an_older_commit_on_the_left(app, framework_repo):
    repo, (first, second) = framework_repo
    at = app(roles=repo.path / "roles", page="What changed", since=commit_option(repo, second),
             until=commit_option(repo, first))
    assert_clean(at)
    assert (at.selectbox(key="since").value, at.selectbox(key="until").value) == (second, first)
    assert [i.value for i in at.info] == ["Pick an older commit under **Since** than under **Until**."]
    at.selectbox(key="since").select(first)
    at.selectbox(key="until").select(second).run()
    assert_clean(at)
    assert not at.info
    assert main_texts(at, "subheader") == ["L2 Platform Engineer", "L5 Principal Engineer"]


def test_what_changed_outside_git_says_so(app, fixture_root):
    at = app(page="What changed")
    assert_clean(at)
    assert [plain(i.value) for i in at.info] == [
        f"{fixture_root}: not inside a git repository; keep the framework in git to see what each commit changed"
    ]
    assert not at.get("selectbox")


def test_what_changed_on_the_bundled_framework_says_it_has_no_history_and_how_to_get_one(app):
    at = app(roles=BUNDLED_ROLES, page="What changed")
    assert_clean(at)
    assert [plain(i.value) for i in at.info] == [
        f"{BUNDLED_ROLES}: the bundled framework is a copy without its own git history; to see what changed, "
        "point LADDER_ROLES at a git checkout of your framework, or run: ladder index GIT-URL"
    ]
    assert not at.get("selectbox")


def test_what_changed_with_one_commit_says_so(app, fixture_root, tmp_path):
    repo = Repo(tmp_path / "young")
    repo.add_tree(fixture_root, "roles")
    repo.commit("first")
    at = app(roles=repo.path / "roles", page="What changed")
    assert_clean(at)
    assert [plain(i.value) for i in at.info] == [
        "Only one commit has touched the framework folder yet, so there is nothing to compare: what each commit "
        "changed shows here once a second one is made."
    ]


# -- links to the git host --------------------------------------------------------------------

WEB = "https://git.example.com/org/career"


def index_with_web(repo: Repo, tmp_path: Path, fixture_root: Path) -> None:
    """Index ``roles/`` of ``repo`` from its repository (file://) with a web address, in the
    store the app opens."""
    settings = Settings(roles=(fixture_root,), store=tmp_path / "store", cache=tmp_path / "cache")
    ladder = build_ladder(settings, embedder=HashingEmbedder())
    ladder.index_git(f"file://{repo.path}", subdir="roles", web=WEB)


@pytest.fixture
def linked(tmp_path, fixture_root, framework_repo) -> str:
    """The recalibrated framework indexed with a web address; returns the indexed commit."""
    repo, (_, second) = framework_repo
    index_with_web(repo, tmp_path, fixture_root)
    return second


def test_results_citations_and_changes_link_to_file_and_line_on_the_git_host(app, linked):
    blob = f"{WEB}/blob/{linked}/roles"
    at = app(q="incident response postmortems")
    assert_clean(at)
    captions = [c.value for c in at.main.get("caption")]
    assert captions[3] == rf"Platform track · [platform\/L3\-Senior\-Platform\-Engineer\.md](<{blob}/{L3_DOC}>)"
    assert captions[4] == rf"[platform\/L3\-Senior\-Platform\-Engineer\.md\:14](<{blob}/{L3_DOC}#L14>)"

    at = app(page="Ask", ask="who evaluates an L3?")
    assert_clean(at)
    [sources] = at.main.expander
    assert sources.markdown[0].value.splitlines()[-1] == (
        r"  :gray[L3 Senior Platform Engineer · "
        rf"[platform\/L3\-Senior\-Platform\-Engineer\.md\:7](<{blob}/{L3_DOC}#L7>)]"
    )

    at = app(page="Fit", text=views.EXAMPLE_SELF_REVIEW)
    assert_clean(at)
    texts = [m.value for m in at.main.get("markdown")]
    said = next(i for i, t in enumerate(texts) if t.startswith("**You wrote:**"))
    assert texts[said + 1].endswith(
        rf":gray[(0.87)] :gray[[platform\/L3\-Senior\-Platform\-Engineer\.md\:14](<{blob}/{L3_DOC}#L14>)]"
    )
    gaps = texts[texts.index("### What to grow into") + 2].splitlines()
    assert gaps[2].endswith(
        rf"leadership\. :gray[[platform\/L4\-Platform\-Technical\-Lead\.md\:13](<{blob}/platform/"
        "L4-Platform-Technical-Lead.md#L13>)]"
    )

    at = app(page="What changed")
    assert_clean(at)
    assert at.main.get("caption")[3].value == rf"[platform\/L2\-Platform\-Engineer\.md](<{blob}/{L2_DOC}>)"
    first = at.selectbox(key="since").value
    removed = at.main.get("markdown")[4].value.splitlines()[1]
    assert removed == (
        r"- :red[**\-**] I follow the on\-call runbook to restart failed services\. "
        rf":gray[[line 14](<{WEB}/blob/{first}/roles/{L2_DOC}#L14>)]"  # the line in the older commit
    )


def test_compare_links_each_bullet_to_its_line_on_the_git_host(app, tmp_path, fixture_root, framework_repo):
    repo, _ = framework_repo
    l4 = "platform/L4-Platform-Technical-Lead.md"
    repo.edit(f"roles/{l4}", "- I drive cost reduction across all cloud accounts.\n",
              "- I drive cost reduction across all cloud accounts.\n"
              "- I lead incident response for platform outages and write blameless postmortems.\n"
              "- I design and operate Kubernetes clusters that many teams depend on.\n")
    commit = repo.commit("L4 leads incidents")
    index_with_web(repo, tmp_path, fixture_root)
    blob = f"{WEB}/blob/{commit}/roles/platform"
    shown = {  # the path as escaped Markdown
        L3_DOC: r"platform\/L3\-Senior\-Platform\-Engineer\.md", l4: r"platform\/L4\-Platform\-Technical\-Lead\.md",
    }

    def source(doc: str, line: int) -> str:
        return rf":gray[[{shown[doc]}\:{line}](<{blob}/{doc.removeprefix('platform/')}#L{line}>)]"

    at = app(page="Compare", a="L3 Senior Platform Engineer", b="L4 Platform Technical Lead")
    assert_clean(at)
    texts = [m.value for m in at.main.get("markdown")]
    i = texts.index(":orange-badge[Only in L3 Senior Platform Engineer]")  # Domain Expertise
    assert texts[i + 1].splitlines() == [
        r"- I set service level objectives and alerting so that outages are caught before customers notice\. "
        + source(L3_DOC, 13),
        r"- I document every change I make in the team wiki\. " + source(L3_DOC, 15),
        r"- I migrated our logging stack to a new provider without downtime\. :green-badge[Example] "
        + source(L3_DOC, 20),
        r"- I cut deployment time from forty minutes to eight by caching build layers\. :green-badge[Example] "
        + source(L3_DOC, 21),
    ]
    assert texts[i + 3].splitlines()[:3] == [
        r"- I set the platform roadmap for the next year and align it with product priorities\. " + source(l4, 12),
        r"- I make build\-versus\-buy decisions for core infrastructure and defend them to leadership\. "
        + source(l4, 13),
        r"- I drive cost reduction across all cloud accounts\. " + source(l4, 14),
    ]
    said = texts.index("**Said differently** (changed words highlighted)")
    assert texts[said + 1: said + 3] == [
        r"I design and operate Kubernetes clusters that :red[~~other~~] teams depend on\. "
        + source(L3_DOC, 12),
        r"I design and operate Kubernetes clusters that :green[**many**] teams depend on\. "
        + source(l4, 16),
    ]
    [shared] = [e for e in at.main.get("expander") if "both say" in e.label]
    assert shared.markdown[0].value == (
        r"- I lead incident response for platform outages and write blameless postmortems\. "
        + source(L3_DOC, 14) + " " + source(l4, 15)  # the line on each side
    )


def test_only_http_links_are_rendered():
    assert views.source_link("a.md:3", "https://h.example/o/r/blob/c/a.md#L3") == (
        r"[a\.md\:3](<https://h.example/o/r/blob/c/a.md#L3>)"
    )
    assert views.source_link("a.md:3", "https://h.example/o/r/blob/c/$x$<b>\\é.md") == (
        r"[a\.md\:3](<https://h.example/o/r/blob/c/%24x%24%3Cb%3E%5C%C3%A9.md>)"
    )
    for url in ("", "javascript:alert(1)", "JavaScript://h.example/%0aalert(1)", "data:text/html,x", "//h.example/a",
                "mailto:a@h.example", "https://", "https://h.example/a b"):
        assert views.source_link("a.md:3", url) == r"a\.md\:3", url
    bullet = Bullet(id="1", kind="expectation", text="I did it.", line=3)
    assert views.bullet_markdown(bullet, "a.md", "https://h.example/a.md#L3") == (
        r"I did it\. :gray[[a\.md\:3](<https://h.example/a.md#L3>)]"
    )
    assert views.bullet_markdown(bullet, "a.md", "javascript:alert(1)") == r"I did it\. :gray[a\.md\:3]"
    assert views.bullet_markdown(bullet, "a.md", "") == views.bullet_markdown(bullet) == r"I did it\."


@pytest.mark.slow
def test_search_with_the_real_model(app, real_embedder):
    at = app(embedder=real_embedder, q="taught new people how to be on call", timeout=60)
    assert_clean(at)
    assert cards(at)[0] == (
        ":blue-badge[Teaching and Mentoring] :violet-badge[Expectation] :orange-badge[Partial match]  \n"
        "I mentor junior engineers through their first on-:orange[**call**] rotations.",
        f"{L3_DOC}:27",
    )


# -- other framework layouts --------------------------------------------------------------------

LAYOUTS = REPO / "tests" / "fixtures" / "layouts"


def test_a_framework_that_is_one_matrix_file_browses_and_compares_as_a_ladder(app):
    at = app(page="Browse", roles=LAYOUTS / "matrix")
    assert_clean(at)
    assert [b.label for b in at.sidebar.get("button")] == [
        "About this framework", "L1 Junior Programmer", "L2 Programmer", "L3 Senior Programmer",
    ]
    [toc] = [b for b in at.sidebar.get("button") if b.label == "L2 Programmer"]
    toc.click().run()
    assert_clean(at)
    assert main_texts(at, "header") == ["L2 Programmer"]
    assert main_texts(at, "subheader") == ["Code Quality", "Debugging", "Mentoring"]
    [compare] = [b for b in at.main.get("button") if b.label.startswith("Compare with")]
    compare.click().run()
    assert_clean(at)
    assert (at.selectbox(key="a").value, at.selectbox(key="b").value) == ("L2 Programmer", "L3 Senior Programmer")
    assert plain(at.main.get("caption")[2].value) == (
        "3 only in L2 Programmer, 4 only in L3 Senior Programmer, 0 reworded, 0 shared"
    )


def test_browse_shows_the_expectations_a_role_inherits(app):
    at = app(page="Browse", roles=LAYOUTS / "octopus", doc="L2 Engineer")
    assert_clean(at)
    assert main_texts(at, "subheader") == [
        "Domain Expertise", "Also expected of you, from Everyone", "Also expected of you, from Leadership",
    ]
    assert "I keep the commitments I make to my team." in "\n".join(main_texts(at, "markdown"))


def test_fit_shows_the_expectations_the_role_builds_on(app):
    at = app(page="Fit", roles=LAYOUTS / "octopus", fit_track="Engineering",
             text="- I deliver features of a few weeks without close supervision.\n- I keep my commitments.")
    assert_clean(at)
    headings = [plain(m.value) for m in at.main.get("markdown") if plain(m.value).startswith("### Also expected")]
    assert headings == ["### Also expected of you, from Everyone", "### Also expected of you, from Leadership"]
