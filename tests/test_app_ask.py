"""The app's Ask page, driven by AppTest on the fixture framework with the hashing embedder."""

from __future__ import annotations

from .test_app import app as app  # noqa: F401 - the AppTest fixture of the app's tests
from .test_app import assert_clean, plain


def test_ask_page_offers_examples(app) -> None:  # noqa: F811
    at = app(page="Ask")
    assert_clean(at)
    assert [b.label for b in at.main.button] == [
        "What does impact radius mean?",
        "Who evaluates a technical lead?",
        "How does L3 differ from L4 in teaching and mentoring?",
    ]
    at.main.button[0].click().run()
    assert at.text_input(key="ask").value == "What does impact radius mean?"
    assert plain(at.main.markdown[0].value) == (
        "Impact radius: Who is affected by the work you do [Platform Roles | README.md:11]")


def test_ask_page_answers_with_sources(app) -> None:  # noqa: F811
    at = app(page="Ask", ask="who evaluates an L3?")
    assert_clean(at)
    assert plain(at.main.markdown[0].value) == (
        "L3 Senior Data Engineer and L3 Senior Platform Engineer are evaluated by: Manager. "
        "[L3 Senior Data Engineer | data/L3-Senior-Data-Engineer.md:7] "
        "[L3 Senior Platform Engineer | platform/L3-Senior-Platform-Engineer.md:7]"
    )
    [sources] = at.main.expander
    assert sources.label == "Sources (2)"
    assert plain(sources.markdown[0].value) == (
        "- Evaluated by: Manager.  \n  :gray[L3 Senior Data Engineer · data/L3-Senior-Data-Engineer.md:7]\n"
        "- Evaluation: Manager.  \n  :gray[L3 Senior Platform Engineer · platform/L3-Senior-Platform-Engineer.md:7]"
    )


def test_ask_page_asks_back_with_links_to_the_candidates(app) -> None:  # noqa: F811
    at = app(page="Ask", ask="what's expected of a senior in teaching and mentoring?")
    assert_clean(at)
    assert [plain(b.label) for b in at.main.button] == ["L3 Senior Data Engineer", "L3 Senior Platform Engineer"]
    at.main.button[1].click().run()
    assert (at.session_state["page"], at.session_state["doc"]) == ("Browse", "L3 Senior Platform Engineer")
