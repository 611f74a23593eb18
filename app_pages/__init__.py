"""The pages of the Streamlit app, one module each: layout only (Streamlit calls). What they show
is computed in ``assistant.views``; ``streamlit_app.py`` is the entry point and the page frame.
"""

from __future__ import annotations

from .ask import ask_page
from .browse import browse_page
from .changes import changes_page
from .compare import compare_page
from .fit import fit_page
from .search import search_page

__all__ = ["PAGE_FUNCTIONS", "PAGE_HELP"]

PAGE_FUNCTIONS = {
    "Search": search_page,
    "Fit": fit_page,
    "Compare": compare_page,
    "Browse": browse_page,
    "Ask": ask_page,
    "What changed": changes_page,
}
PAGE_HELP = {
    "Search": "find the bullets that match a description",
    "Fit": "place a self-review at a level",
    "Compare": "what changes between two levels",
    "Browse": "read every role document",
    "Ask": "questions about the framework, answered from its documents with citations",
    "What changed": "bullets added, removed and reworded between two commits of the framework",
}
