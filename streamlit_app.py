"""Ladder in the browser: search the framework, find your level, compare levels, browse roles,
ask questions, and see what changed between two commits of a framework kept in git.

Run: ``streamlit run streamlit_app.py`` (framework: ``LADDER_ROLES``, default ``roles/``;
index: ``LADDER_STORE``; model: ``LADDER_MODEL``). This file is the page frame (warm-up, page
switch, index status); each page is laid out by its module in ``app_pages``. What they show is
computed in ``assistant.views`` and made safe by ``assistant.render``. Corpus text is always
escaped: ``unsafe_allow_html`` is never used. Page state lives in the URL.
"""

from __future__ import annotations

import logging
import time

import streamlit as st

from app_pages import PAGE_FUNCTIONS, PAGE_HELP
from assistant import LadderError, render, views

_started = time.perf_counter()

log = logging.getLogger("ladder.app")
st.set_page_config(page_title="Ladder – find your level", page_icon="🪜", layout="wide")


@st.cache_resource(show_spinner=False)
def get_ladder():  # noqa: ANN201 - a (Ladder, Warmup) pair, created once per process
    ladder = views.open_ladder()
    return ladder, views.Warmup(ladder)


#: How long a page waits for background work when the model is already loaded (a small index
#: builds or refreshes in that time, so the page shows it at once); with no model yet it never waits.
FIRST_WAIT_SECONDS = 5.0


def prepare(ladder, warm):  # noqa: ANN001, ANN201 - the corpus pages read now
    """Show the background work's progress (or what it did) and return the corpus: the live
    index's, or the roles parsed without embeddings while the first index is built. The work
    itself starts once the page is out (``main``): loading torch competes with the page for the
    CPU and the GIL."""
    if getattr(ladder.embedder, "loaded", True) and (warm.running() or warm.needed()):
        warm.join(FIRST_WAIT_SECONDS)  # the model is loaded: a small build or refresh ends in this time
    if warm.error is not None:
        error, warm.error = warm.error, None  # shown once; the next page run tries again
        raise error
    notice = warm.take_notice()
    busy = warm.take_busy()
    if busy:  # another process is re-indexing: the current index keeps answering
        st.info(render.escape(busy), icon=":material/hourglass_top:")
    if notice:
        st.success(render.escape(notice), icon=":material/check_circle:")
    if not warm.ready():
        warming(warm)
    return ladder.corpus() if warm.index_built() else ladder.draft_corpus()


@st.fragment(run_every=1.0)
def warming(warm) -> None:  # noqa: ANN001
    """The progress of the background work, every second; the whole page reruns when it is done."""
    if warm.ready() or warm.error is not None:
        st.rerun(scope="app")
    label, fraction = warm.progress()
    st.progress(fraction if fraction is not None else 0.0, text=render.escape(f"Warming up: {label}"))
    st.caption(views.WARMING_NOTE)


# -- the page frame ---------------------------------------------------------------------------


def main() -> None:
    st.title(":material/stairs: Ladder")
    st.caption("Which level of the career framework fits your work?")
    if "page" not in st.session_state:  # the first run: the URL's page, else Search. Not ``default=``:
        # buttons that switch page set it through session state, which a default would warn about
        wanted = st.query_params.get("page", "Search")
        st.session_state["page"] = wanted if wanted in PAGE_FUNCTIONS else "Search"
    page = st.segmented_control(
        "Page", list(PAGE_FUNCTIONS), key="page", bind="query-params", required=True, label_visibility="collapsed",
    )
    page = page if page in PAGE_FUNCTIONS else "Search"
    st.caption(f"{page}: {PAGE_HELP[page]}.")
    status = None
    try:
        ladder, warm = get_ladder()
        corpus = prepare(ladder, warm)
        PAGE_FUNCTIONS[page](ladder, corpus, warm)
        status = ladder.status()
    except Exception as exc:  # noqa: BLE001 - shown as one line; the traceback goes to the log
        log.warning("page %s failed", page, exc_info=not isinstance(exc, LadderError))
        st.error(render.escape(views.error_text(exc)), icon=":material/error:")
    with st.sidebar.expander("About this index", expanded=status is None):
        st.caption(render.escape(views.index_status_text(status)))
        run = st.session_state["_runs"] = st.session_state.get("_runs", 0) + 1
        st.caption(f"Page computed in {1000 * (time.perf_counter() - _started):.0f} ms (view {run}).")
    if status is not None:
        warm.page_ran()
        warm.start()  # the page is out: now load the model (and build the index if there is none)


main()
