"""The Streamlit app, measured with a real browser: cold start and warm search interactions.

    .venv/bin/python benchmarks/app.py [--corpus PATH ...] [--queries N]

For each framework (default: the bundled ``roles/`` and the people framework), starts
``streamlit run streamlit_app.py`` on 127.0.0.1 (a fresh store under a temporary folder) and
drives Debian's Chromium with Playwright (tests/appserver.py):

- **first start**: process start -> first usable page (the search box, while the model loads and
  the index is built in the background; "its script": the part spent running streamlit_app.py)
  -> first search results (word matches until the model is ready) -> warm-up done (the progress
  bar gone: meaning-based results, Fit and Ask ready);
- **restart**: a new process over the built index -> first page -> first search results
  (the model loads in the background while the page shows);
- **warm**: N searches typed into the box. *server* is the script run as the app measures it
  (the "Page computed in" line of the sidebar); *round trip* is the browser's view: Enter pressed
  -> the page shows the new run's last element (polled every animation frame).

Goals: first page under 10 s on a new store and restart to first results under 3 s (issue 12),
warm search under 100 ms server side (issue 6); all on 2 cores.
Prints a table and writes ``benchmarks/results/app.json``.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import DEFAULT_CORPUS, REPO, RESULTS, code_version, percentile, table, write_json  # noqa: E402

from tests.appserver import CHROMIUM, AppServer, launch_chromium  # noqa: E402

QUERIES = (
    "I mentor junior engineers through their first on-call rotations",
    "leading incident response and writing postmortems",
    "planning work for the next quarter",
    "influencing decisions across several teams",
    "threat modelling a new service",
    "reviewing code and explaining my suggestions",
    "setting technical direction for a year ahead",
    "automating security processes",
    "coaching senior engineers into leads",
    "talking to customers about product gaps",
)
_STATE = "document.querySelector('[data-testid=stApp]').dataset.testScriptState"
_CAPTION = re.compile(r"Page computed in (\d+) ms \(view (\d+)\)\.")
# Polled every animation frame: the time the sidebar shows a view after ``view``, and its text.
_VIEW_AFTER = r"""(view) => {
  const sidebar = document.querySelector('[data-testid=stSidebar]');
  const m = sidebar && sidebar.textContent.match(/Page computed in (\d+) ms \(view (\d+)\)\./);
  return m && Number(m[2]) > view ? [performance.now(), Number(m[1])] : null;
}"""


def _page_ready(page: Any, timeout_ms: int) -> None:
    page.get_by_label("Describe your work or a topic", exact=True).wait_for(timeout=timeout_ms)
    page.wait_for_function(f"{_STATE} === 'notRunning'", timeout=timeout_ms)


def _view(page: Any) -> int:
    found = _CAPTION.search(page.get_by_test_id("stSidebar").text_content() or "")
    return int(found[2]) if found else 0


def _search(page: Any, query: str, timeout_ms: int = 120_000) -> tuple[float, float]:
    """Type ``query``; (browser round trip, server script time) in seconds.

    Each script run numbers itself in the sidebar ("view N"), so the end of the run this
    search started is seen even when it is too quick for Streamlit's running indicator.
    """
    box = page.get_by_label("Describe your work or a topic", exact=True)
    box.fill(query)
    view = _view(page)
    t0 = page.evaluate("performance.now()")
    box.press("Enter")
    done, server_ms = page.wait_for_function(_VIEW_AFTER, arg=view, timeout=timeout_ms, polling="raf").json_value()
    page.get_by_text("matching statements").first.wait_for(timeout=timeout_ms)
    return (done - t0) / 1000, server_ms / 1000


def _start(page: Any, server: AppServer) -> dict[str, float]:
    healthy = server.wait_healthy(timeout=120)
    page.goto(server.url)
    _page_ready(page, 300_000)
    first_page = time.perf_counter() - server.started
    found = _CAPTION.search(page.get_by_test_id("stSidebar").text_content() or "")
    script = int(found[1]) / 1000 if found else float("nan")
    _search(page, QUERIES[0])
    first_results = time.perf_counter() - server.started
    # the warm-up's progress bar goes when the model is loaded and the index built
    page.wait_for_function(
        "!document.querySelector('[data-testid=stProgress]') && "
        "!document.body.textContent.includes('Word matches only for now')",
        timeout=600_000, polling=100,
    )
    ready = time.perf_counter() - server.started
    return {"health": healthy, "first_page": first_page, "first_page_script": script, "first_results": first_results,
            "ready": ready}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, action="append",
                        help="framework folder to serve (repeatable; default: roles/ and the people framework)")
    parser.add_argument("--queries", type=int, default=20, help="warm searches to time (on the last restart)")
    args = parser.parse_args()
    corpora = args.corpus or [REPO / "roles", DEFAULT_CORPUS]
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install -y chromium")
    for corpus in corpora:
        if not corpus.is_dir():
            raise SystemExit(f"corpus {corpus} is not a folder; pass --corpus PATH")
    from playwright.sync_api import sync_playwright

    results: dict[str, Any] = {"corpora": [str(c) for c in corpora], "cpus": os.cpu_count(),
                               "load_before": os.getloadavg()}
    runs: dict[str, dict[str, float]] = {}
    trips: list[float] = []
    servers: list[float] = []
    with tempfile.TemporaryDirectory(prefix="ladder-app-bench-") as tmp, sync_playwright() as p:
        browser = launch_chromium(p)
        for n, corpus in enumerate(corpora):
            store = Path(tmp) / f"store-{n}"
            for start in ("first start", "restart"):
                name = f"{corpus.name} {start}"
                page = browser.new_page(viewport={"width": 1400, "height": 1200})
                server = AppServer(corpus, store, Path(tmp) / f"{n}-{start}.log")
                try:
                    runs[name] = _start(page, server)
                    if start == "restart" and n == len(corpora) - 1:
                        for i in range(args.queries):
                            trip, spent = _search(page, QUERIES[(i + 1) % len(QUERIES)])  # never twice in a row
                            trips.append(trip)
                            servers.append(spent)
                finally:
                    page.close()
                    server.stop()
        browser.close()
    results["cold"] = runs
    results["warm"] = {
        "corpus": str(corpora[-1]),
        "queries": args.queries,
        "server_p50": percentile(servers, 50),
        "server_p95": percentile(servers, 95),
        "round_trip_p50": percentile(trips, 50),
        "round_trip_p95": percentile(trips, 95),
    }
    results["load_after"] = os.getloadavg()
    results["code"] = code_version()
    print(table(
        ["start", "health s", "first page s", "its script s", "first results s", "warm-up done s"],
        [[name, r["health"], r["first_page"], r["first_page_script"], r["first_results"], r["ready"]]
         for name, r in runs.items()],
    ))
    print()
    w = results["warm"]
    print(table(
        [f"warm search (n={args.queries}, {Path(w['corpus']).name})", "p50 ms", "p95 ms"],
        [
            ["server (script run)", 1000 * w["server_p50"], 1000 * w["server_p95"]],
            ["browser round trip", 1000 * w["round_trip_p50"], 1000 * w["round_trip_p95"]],
        ],
    ))
    print(f"\nload average before {results['load_before'][0]:.2f}, after {results['load_after'][0]:.2f} "
          f"on {results['cpus']} cores")
    write_json(RESULTS / "app.json", results)


if __name__ == "__main__":
    main()
