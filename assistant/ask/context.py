"""The narrow seam answering code depends on: the corpus, search, and optional embedding, level
fit and language model. ``Ladder.ask_context()`` builds one from the live index; tests build one
from a ``Corpus`` and plain functions, with no store."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..corpus import Corpus
from ..glossary import DEFAULT_GLOSSARY, Glossary
from ..results import Filters, FitReport, SearchResponse

__all__ = ["AskContext", "ChatSettings", "SearchFn"]


class SearchFn:
    """What ``search`` is called with: ``search(text, k=..., filters=...) -> SearchResponse``."""

    def __call__(self, text: str, *, k: int = 10, filters: Filters | None = None) -> SearchResponse:
        raise NotImplementedError  # pragma: no cover - documentation of the signature


@dataclass(frozen=True, slots=True)
class ChatSettings:
    """An OpenAI-compatible endpoint that may rewrite composed answers (``assistant.llm``)."""

    url: str
    model: str = ""
    key: str = ""
    timeout: float = 30.0


@dataclass(frozen=True, slots=True)
class AskContext:
    """Everything ``ask`` needs.

    Attributes:
        corpus: the live corpus (documents, chunks, overview pages).
        search: hybrid search, ``search(text, k=10, filters=None) -> SearchResponse``.
        embed: unit vectors for texts (recognises intents by meaning); None: keywords only.
        fit: level fit of a description of work; None: ``which level fits`` falls back to search.
        chat: a language model that may rewrite answers; None: composed answers only.
        glossary: the jargon read in plain words (what search reads too): a fact asked about in
            a term the documents never use ("terraform") is looked for in its plain words.
    """

    corpus: Corpus
    search: Callable[..., SearchResponse]
    embed: Callable[[Sequence[str]], np.ndarray] | None = None
    fit: Callable[[str], FitReport] | None = None
    chat: ChatSettings | None = None
    glossary: Glossary = DEFAULT_GLOSSARY
