"""The Fit page: a self-review placed at a level, with the evidence and what the next level adds."""

from __future__ import annotations

import streamlit as st

from assistant import render, views

from .common import alt, goto, not_ready_yet, pd


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
    other = views.track_alternative(report)
    if other:
        st.button(
            f"Not {report.track.track}? Use {other}", icon=":material/swap_horiz:",
            on_click=goto, args=("Fit",), kwargs={"text": text, "fit_track": other},
        )
    if report.ignored:
        n = len(report.ignored)
        with st.expander(f"Not counted as evidence ({n} line{'' if n == 1 else 's'})"):
            st.markdown(views.ignored_markdown(report))
    chart_column, _ = st.columns([3, 1])
    with chart_column:
        st.markdown("##### How well each level fits")
        data = pd.DataFrame(views.ranking_chart_data(report))
        chart = alt.Chart(data).mark_bar().encode(
            x=alt.X("Fit score:Q"),
            y=alt.Y("Role:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320)),
            color=alt.condition(alt.datum.Best, alt.value("#2e7d5b"), alt.value("#a9cbbb")),
            tooltip=["Role", "Fit score"],
        ).properties(height=alt.Step(28))  # 28 px a level: a fixed height squeezed the labels out
        st.altair_chart(chart, width="stretch")
        st.caption("A level's score: the statements that match it best, across dimensions, against the best "
                   "level of its track, times its track's share of the evidence.")
    with st.container():
        st.markdown(f"##### What you cover at each level of the {render.escape(best.track)} track")
        grid = views.coverage_grid(report, corpus)
        table = pd.DataFrame(grid.cells(), index=list(grid.rows), columns=list(grid.columns))
        shares = pd.DataFrame(grid.shares(), index=table.index, columns=table.columns)
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
        matched.markdown(views.matched_markdown(row, fit))

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
        st.markdown(views.next_level_sentence(report))
        if report.gaps:
            st.markdown(views.gaps_markdown(report))
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
