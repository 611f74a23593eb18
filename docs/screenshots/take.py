"""Take the README's screenshots: one per page of the app, in Debian's Chromium.

    .venv/bin/python docs/screenshots/take.py [--corpus PATH] [--big PATH] [--out DIR]

Serves ``--corpus`` (default: the bundled ``roles/``, what a new user sees) from a throwaway
index and saves search.png, fit.png, compare.png, browse.png and ask.png next to this file; then
serves a copy of it kept in a throwaway git repository (first with a few older wordings, see
``OLDER``, then as it is) for changes.png; then ``--big`` (default: the people framework beside
the repository, 16 role documents in two disciplines) for big-browse.png, labelled as such in the
README. Every shot waits for the warm-up to end (no progress bar, meaning-based results).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO))

from tests.appserver import AppServer, launch_chromium  # noqa: E402
from tests.gitrepo import Repo  # noqa: E402

SELF_REVIEW = """\
- I triage the alerts from our detection tools and escalate the real incidents.
- I led the post-mortem after a phishing incident and shared what we learned with the team.
- I mentor a junior analyst through their first on-call rotations.
- I wrote an RFC for our new vulnerability management process and addressed the feedback.
- I plan our detection work for the next quarter with my manager."""


def _fit(text: str) -> str:
    return "?page=Fit&text=" + text.replace(" ", "+").replace("\n", "%0A")


SHOTS = (
    ("search", "?q=I+led+the+post-mortem+after+a+security+incident", "matching statements", 1500),
    ("fit", _fit(SELF_REVIEW), "Download this result", 1900),
    ("compare", "?page=Compare&a=L2+Security+Analyst&b=L3+Senior+Security+Analyst", "Only in", 1500),
    ("browse", "?page=Browse&doc=L3+Senior+Security+Analyst", "Examples", 1500),
    ("ask", "?page=Ask&ask=Who+evaluates+a+technical+lead%3F", "Ask a question about the framework", 700),
)
BIG_SHOTS = (("big-browse", "?page=Browse&doc=L3+Senior+Software+Engineer", "Examples", 1500),)

CHANGES = ("changes", "?page=What+changed", "reworded in", 1350)
L2 = "Security-Operations/Security-Analyst/L2-Security-Analyst.md"
L3 = "Security-Operations/Security-Analyst/L3-Senior-Security-Analyst.md"
#: The framework before the recalibration that changes.png shows: (file, today's text, the older text).
OLDER = (
    (L3, "**Planning Horizon**: Current and next cycle.", "**Planning Horizon**: Current cycle."),
    (L3, "- I can scope and lead complex projects that have a wider impact on the business.",
     "- I can lead projects for my team."),
    (L3, "- I am advanced in my team's domain.", "- I know my team's tools well."),
    (L2, "- I am competent in my domain.", "- I am learning my domain."),
)


def recalibrated(corpus: Path, where: Path) -> Path:
    """``corpus`` in a new git repository: a commit with the ``OLDER`` wordings, then one with
    the files as they are. Returns the framework folder."""
    repo = Repo(where)
    repo.add_tree(corpus, "framework")
    for rel, today, older in OLDER:
        repo.edit(f"framework/{rel}", today, older)
    repo.commit("Security Operations framework, spring edition")
    repo.add_tree(corpus, "framework")
    repo.commit("Recalibrate the L2 and L3 security analysts")
    return where / "framework"


def _open(browser, url: str, ready: str, height: int):  # noqa: ANN001, ANN202
    """A page at ``url`` once ``ready`` shows and the script has finished."""
    page = browser.new_page(viewport={"width": 1400, "height": height})
    page.goto(url)
    page.get_by_text(ready).last.wait_for(timeout=300_000)
    page.wait_for_function("document.querySelector('[data-testid=stApp]').dataset.testScriptState === 'notRunning'")
    return page


def shoot(browser, server: AppServer, shots, out: Path) -> None:  # noqa: ANN001
    server.wait_healthy()
    # A first visit starts the warm-up (the model, the index); no shot shows it or its notice.
    first = _open(browser, server.url, "Describe your work or a topic", 800)
    first.wait_for_function("!document.querySelector('[data-testid=stProgress]')", timeout=600_000, polling=200)
    first.reload()
    first.get_by_text("Describe your work or a topic").wait_for(timeout=300_000)
    first.close()
    for name, query, ready, height in shots:
        page = _open(browser, f"{server.url}/{query}", ready, height)
        page.wait_for_timeout(1500)  # charts and tables paint
        page.screenshot(path=str(out / f"{name}.png"))
        print(out / f"{name}.png")
        page.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO / "roles")
    parser.add_argument("--big", type=Path, default=REPO.parent / "shared" / "corpora" / "people")
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="ladder-shots-") as tmp, sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            for corpus, shots, name in (
                (args.corpus, SHOTS, "shots"),
                (recalibrated(args.corpus, Path(tmp) / "career"), (CHANGES,), "changes"),
                (args.big, BIG_SHOTS, "big"),
            ):
                server = AppServer(corpus, Path(tmp) / f"store-{name}", Path(tmp) / f"streamlit-{name}.log")
                try:
                    shoot(browser, server, shots, args.out)
                finally:
                    server.stop()
        finally:
            browser.close()


if __name__ == "__main__":
    main()
