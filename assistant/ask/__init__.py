"""Grounded answers to questions about the framework (``ladder ask``).

The answering code depends only on an ``AskContext`` (corpus, search, optional embedding, level
fit and language model), never on ``assistant.service``; ``Ladder.ask`` builds the context.
"""

from .context import AskContext, ChatSettings
from .route import LLM_CONTEXT, MAX_QUESTION_CHARS, answer_question, ask, clean_question

__all__ = [
    "LLM_CONTEXT",
    "MAX_QUESTION_CHARS",
    "AskContext",
    "ChatSettings",
    "answer_question",
    "ask",
    "clean_question",
]
