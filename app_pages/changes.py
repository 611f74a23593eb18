"""The What changed page: bullets added, removed and reworded between two commits."""

from __future__ import annotations

import streamlit as st

from assistant import render, views


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
