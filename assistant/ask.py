"""Grounded answers to questions about the framework, composed from the documents themselves.

No language model: a question is read for the roles, levels, dimensions and attributes it names
(``resolve``) and routed to one intent; the answer is built from the structured chunks
(attributes, bullets by dimension, ``compare_roles``, overview definitions) and every sentence
taken from a document is followed by its citation ``[role | dimension | file:line]``.

Intents, in the order they are tried: ``fit`` (which level fits someone who ...: handed to level
fit), ``lookup`` (the question asks about words no structure explains: answered only when bullets
contain all of them), ``difference``, ``definition``, ``attribute``, ``dimension``, ``role``, and
``not-covered`` (the documents don't answer: say so and show the nearest bullets). A name that
fits several role documents is asked back (``Answer.candidates``). An optional language model can
rewrite the answer from the same chunks (``assistant.llm``); its citations are checked.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from index import Chunk, QueryError

from .answers import Answer, Citation
from .compose import (
    FIT_CUE,
    ask_back,
    attribute_answer,
    define_attributes,
    define_terms,
    difference_answer,
    dimension_answer,
    fit_answer,
    join,
    no_such_role,
    role_answer,
)
from .corpus import Corpus
from .lookup import lookup_answer, not_covered
from .resolve import Mention, Question, parse_question, resolve
from .text import clean_input

if TYPE_CHECKING:
    from .service import Ladder

__all__ = ["LLM_CONTEXT", "MAX_QUESTION_CHARS", "answer_question", "ask", "clean_question"]

MAX_QUESTION_CHARS = 1000
#: Chunks a language model is given at most: the composed answer's citations, then search results.
LLM_CONTEXT = 16

_DIFFERENCE = re.compile(
    r"\bdiffer\w*|\bcompar\w*|\bversus\b|\bvs\b|\bcontrast\w*|\bwhat\s+changes\b|\bchanges?\s+(?:from|between)\b"
    r"|\bwhat's\s+new\b|\bwhat\s+is\s+new\b|\badded\b|\bdropped\b|\bstep\s+up\b|\bmove\s+up\b|\bgo(?:ing)?\s+from\b"
    r"|\b(?:get|move|grow|progress)(?:s|ing)?\s+from\b|\bpromot\w*|\bnext\s+level\b|\bfrom\s+l\d+(?:\.\d+)?\s+to\b"
    r"|\bgap\s+between\b"
)
_NEXT_LEVEL = re.compile(r"\bnext\s+level\b|\blevel\s+up\b|\bpromot\w*|\bstep\s+up\b|\bmove\s+up\b")
_DEFINITION = re.compile(
    r"\bmean(?:s|ing|t)?\b|\bdefin\w*|\bstand\s+for\b|\bwhat\s+(?:is|are)\b|\bwhat's\b|\bwho\s+are\b"
    r"|\bwhat\s+(?:do|does)\s+(?:an?\s+|the\s+)?[\w\s]+?\s+do\b|\bexplain\b"
)
_VERB_LEAD = {"who", "i", "they", "he", "she", "someone", "that", "and", "also"}


# -- entry point ---------------------------------------------------------------------------------

def clean_question(question: str) -> tuple[str, str]:
    """The question to answer and a notice when it was shortened.

    Raises:
        QueryError: the question is empty or only whitespace/control characters.
    """
    return clean_input(
        question, limit=MAX_QUESTION_CHARS, what="question", one_line=True,
        empty="the question is empty; ask e.g. 'who evaluates an L3?' or 'what does impact radius mean?'",
        hint="use `ladder fit` for long descriptions of work",
    )


def answer_question(ladder: Ladder, question: str) -> Answer:
    """Answer ``question`` from the live index without a language model.

    Raises:
        QueryError: the question is empty.
    """
    text, notice = clean_question(question)
    corpus = ladder.corpus()
    q = parse_question(text, corpus)
    answer = _route(ladder, corpus, q)
    answer = replace(answer, question=question if not notice else text)
    return replace(answer, notice=notice) if notice else answer


def ask(ladder: Ladder, question: str, *, generate: bool | None = None) -> Answer:
    """Answer ``question``; with a language model configured (or ``generate=True``), let it rewrite
    the answer from the same chunks and keep its answer only when its citations check out.

    Raises:
        QueryError: the question is empty, or ``generate=True`` without ``llm_url`` set.
    """
    composed = answer_question(ladder, question)
    settings = ladder.settings
    use = bool(settings.llm_url) if generate is None else generate
    if not use:
        return composed
    if not settings.llm_url:
        raise QueryError("no language model is configured; set LADDER_LLM_URL (and LADDER_LLM_MODEL)")
    if composed.intent == "fit" or composed.candidates:
        return composed  # level fit and ask-backs are not answers a model can improve
    from .llm import ChatClient, LLMError, build_messages, check_reply, looks_like_instruction

    corpus = ladder.corpus()
    context: dict[str, Chunk] = {}
    for citation in composed.citations:
        if citation.id in corpus.by_id:
            context.setdefault(citation.id, corpus.by_id[citation.id])
    for result in ladder.search(clean_question(question)[0], k=LLM_CONTEXT).results:
        if len(context) >= LLM_CONTEXT:
            break
        context.setdefault(result.id, corpus.by_id[result.id])
    withheld = [c for c in context.values() if looks_like_instruction(c.plain)]
    chunks = [c for c in list(context.values())[: LLM_CONTEXT] if c not in withheld]
    notes = [composed.notice] if composed.notice else []
    if withheld:
        notes.append(
            "withheld from the language model because they read like instructions to it: "
            + ", ".join(f"{c.path}:{c.line}" for c in withheld)
        )
    client = ChatClient(settings.llm_url, settings.llm_model, settings.llm_key, timeout=settings.llm_timeout)
    try:
        text = client.complete(build_messages(composed.question, chunks))
    except LLMError as exc:
        notes.append(f"{exc}; this answer was composed from the documents without it")
        return replace(composed, notice="; ".join(notes))
    reply = check_reply(text, chunks)
    if not reply.ok:
        notes.append(f"the language model's answer was rejected ({reply.problem}); this answer was composed "
                     "from the documents without it")
        return replace(composed, notice="; ".join(notes))
    if reply.not_found:
        if composed.found:
            notes.append("the language model found no answer in the excerpts; this answer was composed from the "
                         "documents without it")
        return replace(composed, notice="; ".join(notes))
    by_id = {c.id: c for c in chunks}
    return Answer(
        question=composed.question,
        answer=reply.text,
        found=True,
        citations=tuple(Citation.of(by_id[i]) for i in reply.cited),
        intent=composed.intent,
        notice="; ".join(notes),
        generator="llm",
    )


# -- routing -------------------------------------------------------------------------------------

def _route(ladder: Ladder, corpus: Corpus, q: Question) -> Answer:
    if FIT_CUE.search(q.lower):
        return fit_answer(ladder, corpus, q)
    mentions = _real_mentions(q)
    unmatched = [m for m in mentions if not resolve(m, corpus)]
    if unmatched:
        return no_such_role(corpus, q, unmatched[0])
    if q.unexplained:
        return lookup_answer(ladder, corpus, q, mentions)
    difference = _DIFFERENCE.search(q.lower)
    if difference and (len(mentions) >= 2 or (len(mentions) == 1 and _NEXT_LEVEL.search(q.lower))):
        if len(mentions) >= 2 and not q.level_mentions and not q.dimensions and not q.attributes:
            defined = define_terms(corpus, q, mentions)
            if defined is not None:
                return defined
        return difference_answer(corpus, q, mentions)
    if not any(m.level for m in mentions) and _DEFINITION.search(q.lower):
        if q.attributes and not mentions:
            return define_attributes(corpus, q) or not_covered(ladder, corpus, q)
        if mentions and not q.attributes and not q.dimensions:
            defined = define_terms(corpus, q, mentions)
            if defined is not None:
                return defined
    if q.attributes:
        if not mentions:
            return define_attributes(corpus, q) or not_covered(ladder, corpus, q)
        return attribute_answer(corpus, q, mentions)
    if q.dimensions and mentions:
        return dimension_answer(corpus, q, mentions)
    if mentions:
        return role_answer(corpus, q, mentions)
    if q.dimensions:
        docs = [d for d in corpus.documents_sorted() if any(n in d.dimensions for n in q.dimensions)]
        return ask_back(q, join(q.dimensions), docs, intent="dimension")
    return not_covered(ladder, corpus, q)


def _real_mentions(q: Question) -> list[Mention]:
    """Mentions, without a lone verb read as a role ("someone who leads ...")."""
    out = []
    for m in q.mentions:
        lone = m.end - m.start == 1 and not m.level
        if lone and m.start > 0 and q.tokens[m.start - 1] in _VERB_LEAD and q.tokens[m.start].endswith("s"):
            continue
        out.append(m)
    return out
