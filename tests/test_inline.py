"""index.inline: inline Markdown -> the text a reader sees (the parser's and the app's one rule)."""

from __future__ import annotations

import pytest

from assistant import render
from index.inline import plain_text
from index.parse import plain_words


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("**Planning horizon**: [six](https://x.y) `months`", "Planning horizon: six months"),
        ("I *own*  the\nroadmap", "I own the roadmap"),
        ("an ![alt words](x.png) image", "an alt words image"),
        ("raw <b>html</b> is dropped", "raw html is dropped"),
        ("", ""),
    ],
)
def test_plain_text(markdown: str, text: str) -> None:
    assert plain_text(markdown) == text
    assert plain_words(markdown) == text
    assert render.plain_inline(markdown) == text
