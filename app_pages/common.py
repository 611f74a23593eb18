"""What the pages share: page switching, waiting for the warm-up, and the chart libraries
imported on first use."""

from __future__ import annotations

import importlib
from typing import Any

import streamlit as st


class _OnFirstUse:
    """A module imported when a page first uses it: altair and pandas cost 0.5-2 s to import,
    and only the Fit and Compare pages draw charts and tables; the first page need not wait."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)


alt: Any = _OnFirstUse("altair")
pd: Any = _OnFirstUse("pandas")


def goto(page: str, **values: str) -> None:
    """A button callback: switch page (and set bound widgets) on the next run."""
    st.session_state.update(page=page, **values)


def not_ready_yet(warm, feature: str) -> bool:  # noqa: ANN001
    """True (after saying so) when ``feature`` must wait for the model and the index."""
    if warm.ready():
        return False
    st.info(f"{feature} starts as soon as the warm-up above is done; what you typed is kept.",
            icon=":material/hourglass_top:")
    return True


def example_buttons(page: str, key: str, examples: list[str] | tuple[str, ...]) -> None:
    """One button per example, as wide as its words and wrapping (never cut): a click fills the
    page's ``key`` widget with it."""
    with st.container(horizontal=True):
        for example in examples:
            st.button(example, on_click=goto, args=(page,), kwargs={key: example})
