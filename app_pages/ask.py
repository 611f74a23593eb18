"""The Ask page: questions about the framework, answered from its documents with citations."""

from __future__ import annotations

import streamlit as st

from assistant import render, views

from .common import example_buttons, goto, not_ready_yet


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
        example_buttons("Ask", "ask", views.ASK_EXAMPLES)
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
            st.markdown(views.citations_markdown(answer.citations))
