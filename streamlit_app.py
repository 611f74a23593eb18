"""Ladder in the browser: search the framework, find your level, compare levels, browse roles,
ask questions, and see what changed between two commits of a framework kept in git.

Run: ``streamlit run streamlit_app.py`` (framework: ``LADDER_ROLES``, default ``roles/``;
index: ``LADDER_STORE``; model: ``LADDER_MODEL``). This file only lays out pages; what they
show is computed in ``assistant.views`` and made safe by ``assistant.render``. Corpus text is
always escaped: ``unsafe_allow_html`` is never used. Page state lives in the URL.
"""

from __future__ import annotations

import importlib
import logging
import time
from datetime import datetime
from typing import Any

import streamlit as st

from assistant import LadderError, render, views
from assistant.compare import compare_roles

_started = time.perf_counter()


class _OnFirstUse:
    """A module imported when a page first uses it: altair and pandas cost 0.5-2 s to import,
    and only the Fit and Compare pages draw charts and tables; the first page need not wait."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)


alt: Any = _OnFirstUse("altair")
pd: Any = _OnFirstUse("pandas")
log = logging.getLogger("ladder.app")
st.set_page_config(page_title="Ladder – find your level", page_icon="🪜", layout="wide")


@st.cache_resource(show_spinner=False)
def get_ladder():  # noqa: ANN201 - a (Ladder, Warmup) pair, created once per process
    ladder = views.open_ladder()
    return ladder, views.Warmup(ladder)


def goto(page: str, **values: str) -> None:
    """A button callback: switch page (and set bound widgets) on the next run."""
    st.session_state.update(page=page, **values)


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


def not_ready_yet(warm, feature: str) -> bool:  # noqa: ANN001
    """True (after saying so) when ``feature`` must wait for the model and the index."""
    if warm.ready():
        return False
    st.info(f"{feature} starts as soon as the warm-up above is done; what you typed is kept.",
            icon=":material/hourglass_top:")
    return True


# -- Search -----------------------------------------------------------------------------------


def search_page(ladder, corpus, warm) -> None:  # noqa: ANN001
    kinds = {views.KIND_LABELS.get(k, k.title()): k for k in corpus.values["kind"]}
    with st.sidebar:
        st.header("Filters")
        level = st.selectbox("Level", [views.ANY, *corpus.values["level"]], key="level", bind="query-params")
        track = st.selectbox("Track", [views.ANY, *corpus.values["track"]], key="track", bind="query-params")
        role = st.selectbox("Role", [views.ANY, *corpus.values["role"]], key="role", bind="query-params")
        dimension = st.selectbox(
            "Dimension", [views.ANY, *corpus.values["dimension"]], key="dimension", bind="query-params"
        )
        kind = st.selectbox(
            "Kind", [views.ANY, *kinds], key="kind", bind="query-params",
            help="Expectations say what a level does; examples show it done.",
        )
    query = st.text_input(
        "Describe your work or a topic",
        key="q",
        bind="query-params",
        placeholder="e.g. I mentor junior engineers through their first on-call rotations",
        icon=":material/search:",
        help="Press Enter to search. Ladder finds the bullets of the framework that say the same.",
    )
    if not (query or "").strip():
        st.markdown(
            "Ladder finds the **expectations and examples** of the career framework that match what you "
            "describe, grouped by role document, and says how strong each match is. Try one of these:"
        )
        with st.container(horizontal=True):  # buttons as wide as their words, wrapping: never cut
            for example in views.EXAMPLE_QUERIES:
                st.button(example, on_click=goto, args=("Search",), kwargs={"q": example})
        st.caption("To place a whole self-review at a level, use **Fit**; to read the framework, use **Browse**.")
        return
    filters = views.filters_from(level, track, role, dimension, views.ANY if kind == views.ANY else kinds[kind])
    ready = warm.ready()
    response = views.run_search(ladder, query, filters, corpus=corpus, mode="hybrid" if ready else "lexical")
    if not ready:
        st.caption("Word matches only for now: results that match by meaning join when the warm-up is done.")
    if response.notice:
        st.info(render.escape(response.notice))
    if not response.results:
        st.info(
            "Nothing in the framework matches that"
            + (" with these filters. Set some filters back to “Any” in the sidebar." if filters.active() else ". ")
            + " Try other words, or describe one thing you did.",
            icon=":material/search_off:",
        )
        return
    groups = views.group_results(response.results)
    st.caption(
        f"{len(response.results)} matching statements in {len(groups)} role documents, each document under its "
        "best match, best first; matched words are highlighted."
    )
    for group in groups:
        st.subheader(render.escape(group.label), divider="gray")
        where = views.source_link(group.path, ladder.link(group.path))
        st.caption(render.escape(f"{group.track} track ·") + " " + where if group.level else where)
        for result in group.results:
            with st.container(border=True):
                st.markdown(views.result_markdown(result))
                also = views.also_in_text(result)
                source = views.source_link(f"{result.path}:{result.line}", result.url)
                st.caption(source + (" " + render.escape(f"· {also}") if also else ""))


# -- Fit --------------------------------------------------------------------------------------


def fit_page(ladder, corpus, warm) -> None:  # noqa: ANN001
    st.markdown(
        "Paste a self-review, a brag document or a list of things you did. Ladder matches each statement "
        "to the framework and shows which level it reads like, the evidence, and what the next level adds."
    )
    with st.form("fit_form", border=False):
        text = st.text_area(
            "Your self-review (one thing you did per line works best)", key="text", bind="query-params",
            height=180, placeholder="e.g.\n" + views.EXAMPLE_SELF_REVIEW,
        )
        st.form_submit_button("Find my level", type="primary", icon=":material/insights:")
    if not (text or "").strip():
        st.button("Fill in an example", on_click=goto, args=("Fit",), kwargs={"text": views.EXAMPLE_SELF_REVIEW})
    options = views.track_choices(corpus)
    if st.session_state.get("fit_track") not in options:
        st.session_state["fit_track"] = views.DETECT
    choice = st.segmented_control(
        "Your track (role family)", options, key="fit_track", bind="query-params",
        help="Detect: Ladder decides from the text. Pick yours to rank only its levels.",
    )
    if not (text or "").strip():
        st.info("Paste your own text above, or fill in the example, then press **Find my level**.")
        return
    if not_ready_yet(warm, "Fit"):
        return
    cache = st.session_state.setdefault("_fits", {})
    key = (text, choice, corpus.generation)
    if key not in cache:
        cache.clear()
        with st.spinner("Matching your statements to the framework…", show_time=True):
            cache[key] = ladder.fit(text, filters=views.fit_filters(choice))
    report = cache[key]
    st.session_state["_best"] = (report.best.key or report.best.path) if report.best else ""
    if report.notice:
        st.info(render.escape(report.notice))
    best = report.best
    if best is None:
        st.warning("None of the statements matched the framework. Describe concrete things you did, one per line.")
        return
    box = {"clear": st.success, "split": st.warning, "track unclear": st.warning}.get(report.confidence, st.info)
    st.subheader(f"Best fit: {render.escape(best.label)}" + (f" · {report.band.band}" if report.band else ""))
    box(
        f"**{render.CONFIDENCE_WORDS.get(report.confidence, report.confidence)}** "
        f"{render.escape(report.confidence_note)}"
    )
    if report.band:
        st.markdown(views.band_sentence(report))
    st.markdown(views.track_sentence(report))
    if report.track and not report.track.given and report.track.runner_up:
        st.button(
            f"Not {report.track.track}? Use {report.track.runner_up}", icon=":material/swap_horiz:",
            on_click=goto, args=("Fit",), kwargs={"text": text, "fit_track": report.track.runner_up},
        )
    if report.ignored:
        n = len(report.ignored)
        with st.expander(f"Not counted as evidence ({n} line{'' if n == 1 else 's'})"):
            st.markdown("\n".join(f"- {render.escape(i.text)} · *{render.escape(i.reason)}*" for i in report.ignored))
    chart_column, _ = st.columns([3, 1])
    with chart_column:
        st.markdown("##### How well each level fits")
        ranked = report.ranking[:8]
        data = pd.DataFrame({
            "Role": [f.label for f in ranked],
            "Fit score": [round(f.score, 2) for f in ranked],
            "Best": [f.key == best.key for f in ranked],
        })
        chart = alt.Chart(data).mark_bar().encode(
            x=alt.X("Fit score:Q"),
            y=alt.Y("Role:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320)),
            color=alt.condition(alt.datum.Best, alt.value("#2e7d5b"), alt.value("#a9cbbb")),
            tooltip=["Role", "Fit score"],
        ).properties(height=28 * len(ranked) + 30)
        st.altair_chart(chart, width="stretch")
        st.caption("A level's score: the statements that match it best, across dimensions, against the best "
                   "level of its track, times its track's share of the evidence.")
    with st.container():
        st.markdown(f"##### What you cover at each level of the {render.escape(best.track)} track")
        grid = views.coverage_grid(report, corpus)
        table = pd.DataFrame(
            [[grid.cell(r, c) for c in range(len(grid.columns))] for r in range(len(grid.rows))],
            index=list(grid.rows), columns=list(grid.columns),
        )
        shares = pd.DataFrame(
            [[grid.share(r, c) for c in range(len(grid.columns))] for r in range(len(grid.rows))],
            index=table.index, columns=table.columns,
        )
        styled = table.style.apply(
            lambda _: shares.map(lambda v: f"background-color: rgba(46, 160, 67, {0.08 + 0.6 * v:.2f})"), axis=None
        )
        st.dataframe(styled)
        st.caption("“2 of 6”: your statements match 2 of the 6 bullets that level lists in that dimension.")

    st.markdown("### The evidence")
    labels = views.fit_labels(report)
    shown = st.selectbox("Show the statements that match", labels, index=0, key="evidence_for")
    fit = report.ranking[labels.index(shown)] if shown in labels else best
    rows = views.evidence_rows(fit, report.statements)
    if not rows:
        st.info("No statement matched a bullet of this level closely.")
    dimension = None
    for row in rows:
        if row.dimension != dimension:
            dimension = row.dimension
            st.markdown(f"#### {render.escape(dimension)}")
        said, matched = st.columns(2)
        said.markdown(f"**You wrote:** {render.escape(row.statement)}")
        matched.markdown(
            "  \n".join(
                f"{render.badge(views.KIND_LABELS.get(kind, kind), 'gray')} {render.escape(text)} "
                f":gray[({sim:.2f})]" + views.line_source(fit.path, line, url)
                for text, kind, sim, line, url in row.bullets
            )
        )

    for inherited in report.inherited:
        st.markdown(f"### Also expected of you, from {render.escape(inherited.source)}")
        st.caption(f"{render.escape(best.label)} builds on these; your text shows {inherited.covered} "
                   f"of {len(inherited.expectations)}.")
        st.markdown("\n".join(f"- {render.escape(text)}" for text in inherited.expectations))

    st.markdown("### What to grow into")
    if report.next_up is None:
        st.info(f"{render.escape(best.label)} is the highest level of its track in this framework.")
    else:
        nxt = report.next_up
        st.markdown(
            f"The next level up is **{render.escape(nxt.label)}**. "
            + (
                "These of its expectations are not covered by anything you wrote yet:"
                if report.gaps
                else "Your statements already touch every one of its expectations."
            )
        )
        dimension = None
        lines: list[str] = []
        for gap in report.gaps:
            if gap.dimension != dimension:
                dimension = gap.dimension
                lines.append(f"\n**{render.escape(dimension or 'Other')}**\n")
            lines.append(f"- {render.escape(gap.text)}{views.line_source(gap.path, gap.line, gap.url)}")
        if lines:
            st.markdown("\n".join(lines))
        names = {path: label for label, path in views.document_labels(corpus).items()}
        a_key, b_key = best.key or best.path, nxt.key or nxt.path
        if a_key in names and b_key in names:
            st.button(
                f"Compare {render.escape(best.label)} with {render.escape(nxt.label)}",
                icon=":material/compare_arrows:", on_click=goto, args=("Compare",),
                kwargs={"a": names[a_key], "b": names[b_key]},
            )
    st.download_button(
        "Download this result as Markdown", render.fit_markdown(report), file_name="ladder-fit.md",
        mime="text/markdown", icon=":material/download:",
    )


# -- Compare ----------------------------------------------------------------------------------


def compare_page(ladder, corpus, warm) -> None:  # noqa: ANN001
    labels = views.document_labels(corpus)
    if len(labels) < 2:
        st.info("The framework has fewer than two role documents, so there is nothing to compare.")
        return
    names = {path: label for label, path in labels.items()}
    default_a, default_b = views.compare_defaults(corpus, st.session_state.get("_best", ""))
    options = list(labels)
    st.markdown(
        "Pick two role documents to see, dimension by dimension, what changes between them: bullets only one "
        "side has, bullets reworded, and the attributes side by side."
    )
    left, right = st.columns(2)
    a = left.selectbox("From", options, index=options.index(names[default_a]), key="a", bind="query-params")
    b = right.selectbox("To", options, index=options.index(names[default_b]), key="b", bind="query-params")
    if a == b:
        st.info("Both sides are the same role document; pick another one on the right.")
        return
    comparison = compare_roles(corpus, labels[a], labels[b])
    st.caption(render.escape(views.comparison_counts(comparison)))
    if comparison.attributes:
        st.markdown("#### Attributes")
        # st.table renders every cell as Markdown: escape them all
        table = pd.DataFrame(
            [[render.escape(row.a.text) if row.a else "–", render.escape(row.b.text) if row.b else "–"]
             for row in comparison.attributes],
            index=[render.escape(row.label) for row in comparison.attributes],
            columns=[render.escape(a), render.escape(b)],
        )
        st.table(table)
    path_a, path_b = comparison.a.path, comparison.b.path
    for diff in comparison.dimensions:
        st.subheader(render.escape(diff.dimension), divider="gray")
        if not diff.changed:
            st.caption("No difference in this dimension.")
        col_a, col_b = st.columns(2)
        if diff.only_a or diff.only_b:
            with col_a:
                st.markdown(render.badge(f"Only in {a}", "orange"))
                st.markdown("\n".join(
                    f"- {views.bullet_markdown(x, path_a, ladder.link(path_a, x.line))}" for x in diff.only_a
                ) or "_Nothing_")
            with col_b:
                st.markdown(render.badge(f"Only in {b}", "green"))
                st.markdown("\n".join(
                    f"- {views.bullet_markdown(x, path_b, ladder.link(path_b, x.line))}" for x in diff.only_b
                ) or "_Nothing_")
        if diff.reworded:
            st.markdown("**Said differently** (changed words highlighted)")
            for pair in diff.reworded:
                text_a, text_b = views.word_diff(pair.a.full_text, pair.b.full_text)
                ca, cb = st.columns(2)
                ca.markdown(text_a + views.line_source(path_a, pair.a.line, ladder.link(path_a, pair.a.line)))
                cb.markdown(text_b + views.line_source(path_b, pair.b.line, ladder.link(path_b, pair.b.line)))
        if diff.shared:
            with st.expander(f"{len(diff.shared)} bullet{'s' * (len(diff.shared) != 1)} both say"):
                st.markdown("\n".join(  # the line on both sides
                    f"- {views.bullet_markdown(p.a, path_a, ladder.link(path_a, p.a.line))}"
                    + views.line_source(path_b, p.b.line, ladder.link(path_b, p.b.line))
                    for p in diff.shared
                ))


# -- Browse -----------------------------------------------------------------------------------

_OVERVIEW = "About this framework"


def browse_page(ladder, corpus, warm) -> None:  # noqa: ANN001
    labels = views.document_labels(corpus)
    overviews = views.overview_markdown(corpus)
    options = ([_OVERVIEW] if overviews else []) + list(labels)
    if not options:
        st.info("The framework has no role documents yet. Add Markdown files to the roles folder.")
        return
    with st.sidebar:
        st.header("Contents")
        if overviews:
            st.button(_OVERVIEW, key="toc_overview", type="tertiary", on_click=goto, args=("Browse",),
                      kwargs={"doc": _OVERVIEW})
        for track, docs in views.table_of_contents(corpus):
            st.markdown(f"**{render.escape(track)}**")
            for label, path in docs:
                st.button(render.escape(label), key=f"toc_{path}", type="tertiary", on_click=goto,
                          args=("Browse",), kwargs={"doc": label})
    choice = st.selectbox("Role document", options, key="doc", bind="query-params")
    if choice == _OVERVIEW or choice not in labels:
        for title, body in overviews:
            st.header(render.escape(title))
            st.markdown(body)
        return
    doc = corpus.documents[labels[choice]]
    view = views.document_view(doc, corpus)
    st.header(render.escape(view.title))
    st.caption(render.escape(f"{doc.track} track ·") + " " + views.source_link(view.path, ladder.link(view.path)))
    if view.summary:
        st.markdown(f"> {view.summary}")
    if view.attributes:
        st.markdown(
            "| Attribute | At this level |\n|---|---|\n"
            + "\n".join(f"| **{render.escape(k)}** | {render.escape(v)} |" for k, v in view.attributes)
        )
    for section in view.sections:
        st.subheader(render.escape(section.dimension), divider="gray")
        if section.expectations:
            st.markdown(section.expectations)
        if section.examples:
            with st.expander("Examples"):
                st.markdown(section.examples)
    for source, sections in view.inherited:
        st.subheader(render.escape(f"Also expected of you, from {source}"), divider="gray")
        for section in sections:
            st.markdown(f"**{render.escape(section.dimension)}**\n\n{section.expectations}")
    higher = corpus.next_level(doc)
    names = {key: label for label, key in labels.items()}
    if higher and higher[0].key in names:
        st.button(
            f"Compare with {render.escape(higher[0].label)}", icon=":material/compare_arrows:", on_click=goto,
            args=("Compare",), kwargs={"a": choice, "b": names[higher[0].key]},
        )


# -- Ask --------------------------------------------------------------------------------------

ASK_EXAMPLES = (
    "What does impact radius mean?",
    "Who evaluates a technical lead?",
    "How does L3 differ from L4 in teaching and mentoring?",
)


def ask_page(ladder, corpus, warm) -> None:  # noqa: ANN001
    question = st.text_input(
        "Ask a question about the framework", key="ask", bind="query-params",
        placeholder="e.g. who evaluates a technical lead?", icon=":material/question_answer:",
        help="Answers are composed from the role documents; every line cites its file and line.",
    )
    if not (question or "").strip():
        st.markdown(
            "Ask about a level's attributes, what a role is expected to do in a dimension, how two levels "
            "differ, or what a term means. Try one of these:"
        )
        with st.container(horizontal=True):  # buttons as wide as their words, wrapping: never cut
            for example in ASK_EXAMPLES:
                st.button(example, on_click=goto, args=("Ask",), kwargs={"ask": example})
        return
    if not_ready_yet(warm, "Ask"):
        return
    answer = ladder.ask(question)
    if answer.notice:
        st.info(render.escape(answer.notice))
    with st.container(border=True):
        st.markdown("  \n".join(render.escape(line) for line in answer.answer.splitlines()))
    names = {path: label for label, path in views.document_labels(corpus).items()}
    offered = [c for c in answer.candidates if c.path in names]
    if offered:
        st.caption("Read one of them:")
        for c in offered:
            st.button(render.escape(names[c.path]), key=f"ask_{c.path}", on_click=goto, args=("Browse",),
                      kwargs={"doc": names[c.path]})
    if answer.citations:
        with st.expander(f"Sources ({len(answer.citations)})"):
            st.markdown("\n".join(
                f"- {render.escape(c.text)}  \n  :gray[{render.escape(f'{c.level} {c.role}'.strip())} · "
                f"{views.source_link(f'{c.path}:{c.line}', c.url)}]"
                for c in answer.citations
            ))


# -- What changed -----------------------------------------------------------------------------


def changes_page(ladder, corpus, warm) -> None:  # noqa: ANN001
    history, notice = views.change_history(ladder)
    if notice:
        st.info(render.escape(notice), icon=":material/history:")
        return
    st.markdown(
        "Pick two commits of the framework to see, role by role and dimension by dimension, the bullets "
        "added (+), removed (-) and reworded (~, changed words highlighted) between them."
    )
    ids = [c.id for c in history]
    labels = {c.id: views.commit_label(c) for c in history}
    left, right = st.columns(2)
    since = left.selectbox("Since", ids, index=1, format_func=labels.__getitem__, key="since", bind="query-params")
    until = right.selectbox("Until", ids, index=0, format_func=labels.__getitem__, key="until", bind="query-params")
    if since == until or ids.index(since) < ids.index(until):
        st.info("Pick an older commit under **Since** than under **Until**.")
        return
    found = ladder.changes(since=since, until=until)
    st.caption(render.escape(views.changes_summary(found)))
    for note in found.notes:
        st.warning(render.escape(note), icon=":material/warning:")
    for group in views.change_groups(found, views.change_links(ladder)):
        st.subheader(render.escape(group.role), divider="gray")
        st.caption(group.source)
        for section in group.sections:
            st.markdown(f"##### {render.escape(section.dimension)} {section.counts}")
            st.markdown(section.bullets)


# -- the page frame ---------------------------------------------------------------------------

PAGE_FUNCTIONS = {"Search": search_page, "Fit": fit_page, "Compare": compare_page, "Browse": browse_page}
PAGE_HELP = {
    "Search": "find the bullets that match a description",
    "Fit": "place a self-review at a level",
    "Compare": "what changes between two levels",
    "Browse": "read every role document",
}
PAGE_FUNCTIONS["Ask"] = ask_page
PAGE_HELP["Ask"] = "questions about the framework, answered from its documents with citations"
PAGE_FUNCTIONS["What changed"] = changes_page
PAGE_HELP["What changed"] = "bullets added, removed and reworded between two commits of the framework"


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
        if status is None or not status.built:
            st.caption("No search index yet." if status else "The index could not be opened: see the message.")
        else:
            built = datetime.fromtimestamp(status.built_at).strftime("%Y-%m-%d %H:%M") if status.built_at else "–"
            st.caption(
                render.escape(
                    f"{status.files} files, {status.chunks} statements, model {status.model}, built {built}. "
                    f"Framework: {', '.join(status.roots)}."
                )
            )
        run = st.session_state["_runs"] = st.session_state.get("_runs", 0) + 1
        st.caption(f"Page computed in {1000 * (time.perf_counter() - _started):.0f} ms (view {run}).")
    if status is not None:
        warm.page_ran()
        warm.start()  # the page is out: now load the model (and build the index if there is none)


main()
