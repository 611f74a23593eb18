"""The Browse page: every role document, with a table of contents."""

from __future__ import annotations

import streamlit as st

from assistant import render, views

from .common import goto

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
        st.markdown(views.attributes_markdown(view.attributes))
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
