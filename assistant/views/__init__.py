"""What the Streamlit app shows, computed without Streamlit: page and widget names, result
groups, the fit's coverage grid and evidence rows, role documents, comparisons and what changed
between two commits as safe Markdown, links to the git host, and keeping the index fresh.

``streamlit_app.py`` (the page frame) and ``app_pages/`` (one module per page) only lay these out;
everything here is plain data with unit tests.
Every string meant for ``st.markdown`` is built with ``assistant.render`` (corpus text escaped).

One module per page or noun, all re-exported here, so the app and the tests use ``views.x``:
``session`` (the one Ladder, its index, error text, shared constants), ``search``, ``fit``,
``documents`` (Browse and Compare) and ``changes`` (What changed).
"""

from __future__ import annotations

from .changes import HISTORY_LIMIT as HISTORY_LIMIT
from .changes import (
    ChangeGroup,
    ChangeSection,
    change_groups,
    change_history,
    change_links,
    changes_summary,
    commit_label,
)
from .changes import ChangeLink as ChangeLink
from .documents import (
    DocumentSection,
    DocumentView,
    attribute_rows,
    attributes_markdown,
    bullet_list_markdown,
    compare_defaults,
    document_labels,
    document_view,
    overview_markdown,
    table_of_contents,
    word_diff,
)
from .documents import bullet_markdown as bullet_markdown
from .documents import comparison_counts as comparison_counts
from .documents import line_source as line_source
from .fit import (
    BAND_WORDS,
    DETECT,
    CoverageGrid,
    EvidenceRow,
    band_sentence,
    coverage_grid,
    evidence_rows,
    fit_filters,
    fit_labels,
    gaps_markdown,
    ignored_markdown,
    matched_markdown,
    next_level_sentence,
    ranking_chart_data,
    track_alternative,
    track_choices,
    track_sentence,
)
from .search import (
    ResultGroup,
    citations_markdown,
    filters_from,
    group_results,
    no_match_text,
    result_markdown,
    results_caption,
    run_search,
    source_link,
)
from .search import also_in_text as also_in_text
from .session import (
    ANY,
    ASK_EXAMPLES,
    EXAMPLE_QUERIES,
    EXAMPLE_SELF_REVIEW,
    PAGES,
    Warmup,
    error_text,
    index_status_text,
    open_ladder,
    refresh_index,
)
from .session import APP_TORCH_THREADS as APP_TORCH_THREADS
from .session import KIND_LABELS as KIND_LABELS
from .session import WARMING_NOTE as WARMING_NOTE

# Names outside ``__all__`` (``KIND_LABELS``, ``also_in_text``, ``bullet_markdown``, ...) stay
# reachable as ``views.x`` through the ``as`` re-exports above, as they were before the split.
__all__ = [
    "ANY",
    "ASK_EXAMPLES",
    "BAND_WORDS",
    "DETECT",
    "EXAMPLE_QUERIES",
    "EXAMPLE_SELF_REVIEW",
    "PAGES",
    "ChangeGroup",
    "ChangeSection",
    "CoverageGrid",
    "DocumentSection",
    "DocumentView",
    "EvidenceRow",
    "ResultGroup",
    "change_groups",
    "change_history",
    "change_links",
    "citations_markdown",
    "changes_summary",
    "commit_label",
    "compare_defaults",
    "coverage_grid",
    "document_labels",
    "document_view",
    "band_sentence",
    "error_text",
    "index_status_text",
    "evidence_rows",
    "filters_from",
    "fit_filters",
    "fit_labels",
    "gaps_markdown",
    "ignored_markdown",
    "matched_markdown",
    "next_level_sentence",
    "no_match_text",
    "results_caption",
    "bullet_list_markdown",
    "ranking_chart_data",
    "attribute_rows",
    "attributes_markdown",
    "group_results",
    "open_ladder",
    "Warmup",
    "overview_markdown",
    "refresh_index",
    "result_markdown",
    "run_search",
    "source_link",
    "table_of_contents",
    "track_alternative",
    "track_choices",
    "track_sentence",
    "word_diff",
]
