"""The Compare page: what changes between two role documents, dimension by dimension."""

from __future__ import annotations

import streamlit as st

from assistant import render, views
from assistant.compare import compare_roles

from .common import pd


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
        rows = views.attribute_rows(comparison)  # escaped: st.table renders every cell as Markdown
        table = pd.DataFrame(
            [row[1:] for row in rows], index=[row[0] for row in rows], columns=[render.escape(a), render.escape(b)]
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
                st.markdown(views.bullet_list_markdown(diff.only_a, path_a, ladder.link))
            with col_b:
                st.markdown(render.badge(f"Only in {b}", "green"))
                st.markdown(views.bullet_list_markdown(diff.only_b, path_b, ladder.link))
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
