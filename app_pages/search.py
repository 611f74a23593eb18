"""The Search page: the framework's bullets that match a description, grouped by role document."""

from __future__ import annotations

import streamlit as st

from assistant import render, views

from .common import example_buttons


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
        example_buttons("Search", "q", views.EXAMPLE_QUERIES)
        st.caption("To place a whole self-review at a level, use **Fit**; to read the framework, use **Browse**.")
        return
    filters = views.filters_from(level, track, role, dimension, views.ANY if kind == views.ANY else kinds[kind])
    ready = warm.ready()
    response = views.run_search(ladder, query, filters, corpus=corpus, mode="hybrid" if ready else "lexical")
    if not ready:
        st.caption("Word matches only for now: results that match by meaning join when the warm-up is done.")
    if response.notice:
        st.info(render.escape(response.notice))
    shown = response.results + response.overviews  # overview text comes last, in a group of its own
    if not shown:
        st.info(views.no_match_text(filters), icon=":material/search_off:")
        return
    groups = views.group_results(shown)
    st.caption(views.results_caption(shown, groups))
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
