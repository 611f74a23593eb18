"""The app in a real browser: ``streamlit run`` on 127.0.0.1 with the real model, driven by
Debian's Chromium through Playwright. Screenshots of every page go to test-artifacts/.

The framework is the fixture framework plus tests/fixtures/hostile (a role file full of
``<script>``, ``onerror=``, ``javascript:`` links and Streamlit markup), which must render inert.
It is kept in git: a first commit with an older L2, a second with today's files and the
hostile one, so What changed has something to show.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from assistant import views

from .appserver import CHROMIUM, REPO, app_server, launch_chromium
from .conftest import FIXTURE, FIXTURE_L2
from .gitrepo import Repo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) to run browser tests",
    ),
]

ARTIFACTS = REPO / "test-artifacts"
HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
HOSTILE_LABEL = "L3 Hostile <script>alert('title')</script> Engineer"
TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser")
    repo = Repo(root / "career")
    repo.add_tree(FIXTURE, "framework")
    repo.edit(f"framework/{FIXTURE_L2}", "keep the continuous integration jobs green", "keep the nightly jobs green")
    repo.edit(f"framework/{FIXTURE_L2}", "- I share what I learn",
              "- I keep the team's runbooks up to date.\n- I share what I learn")
    repo.commit("Platform and data roles")
    repo.add_tree(FIXTURE, "framework")
    repo.add_tree(HOSTILE, "framework/hostile")
    repo.commit("Recalibrate L2 <img src=x onerror=alert('subject')>")
    roles = repo.path / "framework"
    with app_server(roles, root / "store", root / "streamlit.log") as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = launch_chromium(p)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    """A fresh page; every dialog it opens is recorded (and dismissed) in ``page.dialogs``."""
    context = browser.new_context(viewport={"width": 1400, "height": 1600}, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    tab.dialogs = []
    tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
    yield tab
    context.close()
    assert tab.dialogs == [], "no page may open a dialog"


def open_page(page, server, query: str = "") -> None:
    page.goto(f"{server.url}/{query}")
    page.get_by_test_id("stButtonGroup").first.wait_for()


def lines(locator) -> list[str]:
    return [line for line in locator.inner_text().splitlines() if line.strip()]


def main_text(page) -> str:
    return page.get_by_test_id("stMain").inner_text()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(300)  # let charts and tables paint
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def url_params(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_search_type_a_description_and_read_the_cards(page, server):
    open_page(page, server)
    box = page.get_by_label("Describe your work or a topic", exact=True)
    box.fill("taught new people how to be on call")
    box.press("Enter")
    cards = page.get_by_test_id("stMain").get_by_test_id("stLayoutWrapper")  # bordered containers
    first = cards.first
    first.get_by_text("I mentor junior engineers through their first on-call rotations.").wait_for()
    assert lines(first) == [
        "Teaching and Mentoring Expectation Partial match",
        "I mentor junior engineers through their first on-call rotations.",
        "platform/L3-Senior-Platform-Engineer.md:27",
    ]
    assert first.locator("strong").all_inner_texts() == ["call"]  # the matched word, highlighted
    # with no padding around it: a padded highlight read as a space before punctuation ("incident ,")
    assert first.locator("strong").evaluate(
        "e => [e, e.parentElement].map(x => getComputedStyle(x)).map(s => s.paddingLeft + ' ' + s.paddingRight)"
    ) == ["0px 0px", "0px 0px"]
    assert page.get_by_role("heading", level=3).all_inner_texts()[:3] == [
        "L3 Senior Platform Engineer", "L2 Platform Engineer", "L4 Platform Technical Lead",
    ]
    assert url_params(page)["q"] == ["taught new people how to be on call"]
    # a link to what you see: the same URL in a new tab shows the same results
    again = page.context.new_page()
    again.goto(page.url)
    again.get_by_text("I mentor junior engineers through their first on-call rotations.").first.wait_for(
        timeout=TIMEOUT_MS
    )
    again.close()
    screenshot(page, "search")


def test_ask_in_everyday_words_never_breaks_the_page(page, server):
    # a question in the URL is answered on load; odd questions get an honest answer, not an error page
    open_page(page, server, "?page=Ask&ask=how+far+ahead+does+a+senior+platform+enginer+plan%3F")
    page.get_by_text("L3 Senior Platform Engineer has a planning horizon of: Current and next quarter.").wait_for()
    for odd in ("what does a data scientist do?", "???", "L9 vs L1.0 vs senior"):
        open_page(page, server, "?page=Ask&ask=" + odd.replace(" ", "+").replace("?", "%3F"))
        page.get_by_test_id("stMain").get_by_test_id("stLayoutWrapper").first.wait_for()
        page.wait_for_timeout(500)
        text = main_text(page)
        assert "Something went wrong" not in text and "Traceback" not in text, odd
        assert page.get_by_test_id("stException").count() == 0, odd
    screenshot(page, "ask-odd")


def test_fit_paste_a_self_review_and_download_the_result(page, server):
    open_page(page, server, "?page=Fit")
    page.get_by_label("Your self-review (one thing you did per line works best)", exact=True).fill(
        views.EXAMPLE_SELF_REVIEW
    )
    page.get_by_role("button", name="Find my level").click()
    page.get_by_text("Best fit: L3 Senior Platform Engineer").wait_for()
    page.get_by_role("button", name="Download this result as Markdown").wait_for()  # the last element
    text = main_text(page)
    assert "A clear fit: one level stands out." in text
    assert "You wrote: I lead incident response for our platform outages and write the postmortems." in text
    assert "The next level up is L4 Platform Technical Lead." in text
    assert "I drive cost reduction across all cloud accounts." in text
    page.get_by_test_id("stVegaLiteChart").wait_for()  # the ranked levels
    page.get_by_test_id("stDataFrame").wait_for()  # the coverage grid
    with page.expect_download() as download:
        page.get_by_role("button", name="Download this result as Markdown").click()
    assert download.value.suggested_filename == "ladder-fit.md"
    markdown = Path(download.value.path()).read_text("utf-8")
    assert markdown.startswith(
        "# Level fit\n\n**Best fit: L3 Senior Platform Engineer** (Platform track)\n\n"
        "Confidence: A clear fit: one level stands out."
    )
    assert "## What to grow into: L4 Platform Technical Lead" in markdown
    screenshot(page, "fit")


def test_fit_track_picker_detects_then_takes_the_users_track(page, server):
    open_page(page, server, "?page=Fit")
    page.get_by_label("Your self-review (one thing you did per line works best)", exact=True).fill(
        views.EXAMPLE_SELF_REVIEW
    )
    page.get_by_role("button", name="Find my level").click()
    page.get_by_text("Best fit: L3 Senior Platform Engineer · performing").wait_for()
    page.get_by_text("Reads like Platform (").wait_for()  # the page streams in: wait for the last part read
    text = main_text(page)
    assert "Performing: meets most of what this level expects" in text
    picker = page.get_by_test_id("stButtonGroup")
    picker.get_by_text("Data", exact=True).click()
    page.get_by_text("Best fit: L3 Senior Data Engineer").wait_for()
    page.get_by_text("Track: Data, as you chose.").wait_for()
    assert "fit_track=Data" in page.url
    picker.get_by_text("Detect", exact=True).click()
    page.get_by_text("Best fit: L3 Senior Platform Engineer").wait_for()
    screenshot(page, "fit-track")


def test_compare_two_levels(page, server):
    open_page(page, server, "?page=Compare")
    page.get_by_text("Only in L3 Senior Platform Engineer").first.wait_for()
    choose_from, choose_to = page.get_by_role("combobox", name="From"), page.get_by_role("combobox", name="To")
    assert [choose_from.input_value(), choose_to.input_value()] == [
        "L2 Platform Engineer", "L3 Senior Platform Engineer",
    ]
    choose_to.click()
    page.get_by_role("option", name="L4 Platform Technical Lead").click()
    page.get_by_text("Only in L4 Platform Technical Lead").last.wait_for()
    page.get_by_text("I coached a senior engineer until they could run the platform roadmap").wait_for()
    assert url_params(page)["b"] == ["L4 Platform Technical Lead"]
    text = main_text(page)
    table = lines(page.get_by_test_id("stTable"))
    assert table[table.index("Planning horizon"):][:3] == [
        "Planning horizon", "Current and next sprint.", "6-12 months.",
    ]
    assert "I set the platform roadmap for the next year and align it with product priorities." in text
    screenshot(page, "compare")


def test_browse_a_role_from_the_table_of_contents(page, server):
    open_page(page, server, "?page=Browse")
    page.get_by_role("heading", name="Platform Roles").wait_for()
    page.get_by_test_id("stSidebar").get_by_role("button", name="L4 Platform Technical Lead").click()
    page.get_by_role("heading", name="L4: Platform Technical Lead").wait_for()
    page.get_by_text("Examples").last.wait_for()
    assert url_params(page)["doc"] == ["L4 Platform Technical Lead"]
    text = main_text(page)
    assert "Planning horizon\t6-12 months." in text
    assert "Within the wider organisation:\nI represent the platform team in architecture reviews." in text
    screenshot(page, "browse")


def assert_inert(page) -> None:
    main = page.get_by_test_id("stMain")
    for selector in ("script", "iframe", "img", "[onerror]", "[onload]", "[onmouseover]",
                     "a[href^='javascript:' i]", "a[href^='data:' i]"):
        assert main.locator(selector).count() == 0, selector
    assert page.evaluate("window.__pwned") is None
    assert [a.get_attribute("href") for a in main.locator("a[href^='http']").all()] in (
        [], ["https://example.com/docs"],
    )


def test_a_hostile_role_file_renders_inert(page, server):
    open_page(page, server, "?page=Browse&doc=" + re.sub(" ", "+", HOSTILE_LABEL))
    page.get_by_text("plainly").wait_for()
    page.get_by_text("Examples").click()
    page.get_by_text("into a review").wait_for()
    page.wait_for_timeout(500)  # time for any injected handler to fire
    text = main_text(page)
    for literal in (
        "L3: Hostile <script>alert('title')</script> Engineer",
        "Domain <b Onmouseover=alert('dim')>Expertise",
        "I write <script>alert('bullet')</script> and <script>window.__pwned=1;alert('entity')</script> safely.",
        "I click [here](javascript:alert('link')) and <a href=\"javascript:alert('a')\">there</a>",
        "I say :red[red] and :smile: and $x^2$ and <script>alert('code')</script> plainly.",
        "Peers <iframe srcdoc=\"<script>parent.__pwned=1;alert('iframe')</script>\"></iframe>.",
        "I once pasted <svg onload=alert('svg')> and <svg onload=\"window.__pwned=1;alert('svg2')\"> into a review.",
    ):
        assert literal in text, literal
    assert_inert(page)
    screenshot(page, "hostile-browse")

    open_page(page, server, "?q=pasted+svg+onload+script+alert&role=" + re.sub(" ", "+", HOSTILE_LABEL[3:]))
    page.get_by_text("into a review").first.wait_for()
    assert_inert(page)
    assert page.get_by_role("combobox", name="Role").input_value() == HOSTILE_LABEL[3:]

    open_page(page, server, "?page=Compare&a=" + re.sub(" ", "+", HOSTILE_LABEL))  # b: L3 Senior Platform Engineer
    page.get_by_text("Only in L3 Senior Platform Engineer").first.wait_for()
    page.get_by_test_id("stTable").get_by_text(
        "Peers <iframe srcdoc=\"<script>parent.__pwned=1;alert('iframe')</script>\"></iframe>.", exact=True
    ).wait_for()
    assert_inert(page)
    screenshot(page, "hostile-compare")


def test_what_changed_between_the_last_two_commits(page, server):
    open_page(page, server, "?page=What+changed")
    page.get_by_text("nightly").first.wait_for()
    assert page.get_by_role("combobox", name="Until").input_value().endswith(
        " · Recalibrate L2 <img src=x onerror=alert('subject')>"
    )
    assert page.get_by_role("combobox", name="Since").input_value().endswith(" · Platform and data roles")
    text = main_text(page)
    assert "2 files changed: 9 bullets added, 1 removed, 1 reworded in 5 sections." in text
    assert page.get_by_role("heading", level=3).all_inner_texts() == [HOSTILE_LABEL, "L2 Platform Engineer"]
    assert lines(page.get_by_test_id("stMain"))[-7:] == [
        "L2 Platform Engineer",
        FIXTURE_L2,
        "Domain Expertise 1 reworded",
        "~ I fix flaky build pipelines and keep the nightly jobs green.",
        "→ I fix flaky build pipelines and keep the continuous integration jobs green. line 12",
        "Teaching and Mentoring -1 removed",
        "- I keep the team's runbooks up to date. line 26",
    ]
    for literal in (  # the hostile role's bullets, all added, shown as text
        "Domain <b Onmouseover=alert('dim')>Expertise +6 added",
        "+ I write alert('bullet') and <script>window.__pwned=1;alert('entity')</script> safely. line 10",
        "+ I click [here](javascript:alert('link')) and there and [data](data:text/html,alert(1)). line 11",
        "+ I say :red[red] and :smile: and $x^2$ and <script>alert('code')</script> plainly. line 13",
    ):
        assert literal in text, literal
    page.wait_for_timeout(500)  # time for any injected handler to fire
    assert_inert(page)
    screenshot(page, "changes")
