"""Routing a question to the answer that fits it, composed from the documents themselves.

No language model is needed: a question is read for the roles, levels, tracks, dimensions and
attributes it names (``assistant.query``), its intent is recognised by keywords and by meaning
(``intents``), and the answer is built from the structured chunks (attributes, bullets by
dimension, ``compare_roles``, overview definitions) or, for facts no structure holds, from the
passages search finds in the documents the question is about (``passages``). Every sentence
taken from a document is followed by its citation ``[role | dimension | file:line]``.

Intents, in the order they are tried: ``fit`` (which level fits someone who ...), ``not-covered``
(a role the framework has no document for, or a topic such as pay or leave that its words do not
answer), ``difference``, ``attribute``, ``dimension``, ``definition``, ``fact`` and ``role``. A name
that fits several role documents is asked back (``Answer.candidates``) with the exact choices. An
optional language model can rewrite the answer from the same chunks (``assistant.llm``); its
citations are checked. ``found`` is true exactly when the answer states, from the documents, what
was asked.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from index import Chunk, QueryError

from ..answers import Answer, Citation
from ..corpus import Corpus
from ..names import RANK_WORDS
from ..query import Mention, Question, parse_question, resolve, spelled_out
from ..text import clean_input, stem
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
from .intents import DEFINITION, DIFFERENCE, DIMENSION_LIST, MEANING_AT, NEXT_LEVEL, OUT_OF_SCOPE, by_meaning
from .lookup import lookup_answer, not_covered
from .passages import dimension_list, passages_answer, scope_paths, unknown_role

if TYPE_CHECKING:
    from .context import AskContext

__all__ = ["LLM_CONTEXT", "MAX_QUESTION_CHARS", "answer_question", "ask", "clean_question"]

MAX_QUESTION_CHARS = 1000
#: Chunks a language model is given at most: the composed answer's citations, then search results.
LLM_CONTEXT = 16

#: A question this close in meaning to an example of a topic frameworks leave out (pay, leave,
#: time in level), and read as nothing else, is answered only if the documents use its words.
NOT_COVERED_AT = 0.6
#: "What does X mean", "what's meant by X": asks for a definition even beside a role name.
_MEANING = re.compile(r"\bmean(?:s|ing|t)?\b|\bdefin\w*|\bstand\s+for\b")
_YES_NO = re.compile(r"\s*(?:does|do|is|are|can|should|will|would|must|has|have)\b")
_VERB_LEAD = {"who", "i", "they", "he", "she", "someone", "that", "and", "also"}
#: "... from their manager": a role named after a possessive is someone else, not who is asked about.
_POSSESSIVE = {"their", "my", "his", "her", "your", "our"}


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


def answer_question(ctx: AskContext, question: str) -> Answer:
    """Answer ``question`` from the documents without a language model.

    Never raises for a question with printable text: anything unexpected while composing is
    answered with the nearest passages and ``found`` false.

    Raises:
        QueryError: the question is empty.
    """
    text, notice = clean_question(question)
    corpus = ctx.corpus
    q = parse_question(text, corpus)
    try:
        answer = _route(ctx, corpus, q)
        if answer.found and not answer.citations:  # found means stated by the documents: cited
            answer = replace(answer, found=False)
        if answer.found and answer.intent in ("definition", "fact", "role"):
            answer = _with_expansions(answer, q.text, corpus)
    except QueryError:
        raise
    except Exception as exc:  # noqa: BLE001 - a question must get an answer, never a traceback
        answer = not_covered(ctx, corpus, q)
        notice = "; ".join(n for n in (notice, f"this question could not be answered fully ({type(exc).__name__})")
                           if n)
    answer = replace(answer, question=question if not notice else text)
    return replace(answer, notice=notice) if notice else answer


def ask(ctx: AskContext, question: str, *, generate: bool | None = None) -> Answer:
    """Answer ``question``; with a language model in ``ctx`` (or ``generate=True``), let it rewrite
    the answer from the same chunks and keep its answer only when its citations check out.

    Raises:
        QueryError: the question is empty, or ``generate=True`` without a language model configured.
    """
    composed = answer_question(ctx, question)
    use = ctx.chat is not None if generate is None else generate
    if not use:
        return composed
    if ctx.chat is None:
        raise QueryError("no language model is configured; set LADDER_LLM_URL (and LADDER_LLM_MODEL)")
    if composed.intent == "fit" or composed.candidates:
        return composed  # level fit and ask-backs are not answers a model can improve
    from ..llm import ChatClient, LLMError, build_messages, check_reply, looks_like_instruction

    corpus = ctx.corpus
    context: dict[str, Chunk] = {}
    for citation in composed.citations:
        if citation.id in corpus.by_id:
            context.setdefault(citation.id, corpus.by_id[citation.id])
    for result in ctx.search(clean_question(question)[0], k=LLM_CONTEXT).results:
        if len(context) >= LLM_CONTEXT:
            break
        if result.id in corpus.by_id:
            context.setdefault(result.id, corpus.by_id[result.id])
    withheld = [c for c in context.values() if looks_like_instruction(c.plain)]
    chunks = [c for c in list(context.values())[: LLM_CONTEXT] if c not in withheld]
    notes = [composed.notice] if composed.notice else []
    if withheld:
        notes.append(
            "withheld from the language model because they read like instructions to it: "
            + ", ".join(f"{c.path}:{c.line}" for c in withheld)
        )
    chat = ctx.chat
    client = ChatClient(chat.url, chat.model, chat.key, timeout=chat.timeout)
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

def _route(ctx: AskContext, corpus: Corpus, q: Question) -> Answer:
    if FIT_CUE.search(q.lower):
        return fit_answer(ctx, corpus, q)
    unknown = unknown_role(corpus, q)
    if unknown:
        return no_such_role(corpus, q, unknown)
    mentions = _real_mentions(q)
    unmatched = [m for m in mentions if not resolve(m, corpus)]
    if unmatched:
        return no_such_role(corpus, q, unmatched[0].text, unmatched[0])
    if OUT_OF_SCOPE.search(q.lower):
        # pay, leave, time in level...: answered only when the documents use the words asked about
        return _only_if_stated(ctx, corpus, q, mentions)
    reading = None if q.attributes or DIMENSION_LIST.search(q.lower) else by_meaning(q.text, ctx.embed, corpus)
    difference = DIFFERENCE.search(q.lower) or (
        reading is not None and reading.intent == "difference" and reading.similarity >= MEANING_AT
    )
    if difference and (len(mentions) >= 2 or (len(mentions) == 1 and NEXT_LEVEL.search(q.lower))):
        leveled = [m for m in mentions if m.level]
        if len(leveled) > 2:  # a span of levels ("L4 and L5 vs L1-L3"): what the documents say about it
            return passages_answer(ctx, corpus, q, mentions, intent="difference")
        if not leveled and not q.dimensions and not q.attributes:
            # between tracks or roles named without a level: the overview pages' definitions first
            defined = define_terms(corpus, q, mentions)
            if defined is not None or not all(_resolves_to_one(corpus, [m]) for m in mentions[:2]):
                if defined is not None and not q.unexplained:
                    return defined  # both names defined, nothing else asked
                intent = "definition" if defined is not None else "difference"
                return passages_answer(ctx, corpus, q, mentions, intent=intent, lead=defined)
        return difference_answer(corpus, q, mentions)
    if q.attributes:
        if not mentions or (_MEANING.search(q.lower) and not any(m.level for m in mentions)
                            and not _resolves_to_one(corpus, mentions)):
            return define_attributes(corpus, q) or passages_answer(ctx, corpus, q, mentions, intent="definition")
        return attribute_answer(corpus, q, mentions)
    if DIMENSION_LIST.search(q.lower):
        listed = dimension_list(corpus, q, mentions)
        if listed is not None:
            return listed
    if q.dimensions and mentions:
        answer = dimension_answer(corpus, q, mentions)
        if answer.found and q.unexplained:  # "... about alerts": the passages that say so, too
            return passages_answer(ctx, corpus, q, mentions, intent="dimension", lead=answer)
        return answer
    if mentions and not any(m.level for m in mentions) and DEFINITION.search(q.lower) and not q.dimensions:
        defined = define_terms(corpus, q, mentions)
        if defined is not None or (not q.kinds and spelled_out(q.text, corpus)):
            # "what is an SRE?": the overview pages of what the name stands for, with the passages near it
            return passages_answer(ctx, corpus, q, mentions, intent="definition", lead=defined)
    if reading is not None and reading.intent == "not-covered" and reading.similarity >= NOT_COVERED_AT:
        return _only_if_stated(ctx, corpus, q, mentions)
    if q.unexplained:
        looked = lookup_answer(ctx, corpus, q, mentions, or_none=True)
        if looked is not None:  # bullets in scope that hold every word (or words too common to tell)
            return looked
        if _YES_NO.match(q.lower):  # "does an L2 ... write X?": whether its document says X (others do)
            return lookup_answer(ctx, corpus, q, mentions)
        # "which tools ...?": the passages nearest it
        return passages_answer(ctx, corpus, q, mentions, intent="fact")
    if mentions:
        return role_answer(corpus, q, mentions)
    if q.dimensions:
        docs = [d for d in corpus.documents_sorted() if any(n in d.dimensions for n in q.dimensions)]
        return ask_back(q, join(q.dimensions), docs, intent="dimension")
    return not_covered(ctx, corpus, q)


def _with_expansions(answer: Answer, text: str, corpus: Corpus) -> Answer:
    """A framing line spelling out the shortened names asked about ("SRE" is ...)."""
    said = spelled_out(text, corpus)
    if not said:
        return answer
    line = "; ".join(f'"{short}" is short for {name}' for short, name in said) + " (from the names in the framework)."
    return replace(answer, answer=line + "\n" + answer.answer)


def _only_if_stated(ctx: AskContext, corpus: Corpus, q: Question, mentions: list[Mention]) -> Answer:
    """Bullets that use every word asked about, else an honest not-covered answer."""
    answered = lookup_answer(ctx, corpus, q, mentions, strict=True)
    if answered.found:
        return answered
    roles = {p for p in scope_paths(corpus, q, mentions) if p in corpus.documents}
    return not_covered(ctx, corpus, q, scope=roles)


def _resolves_to_one(corpus: Corpus, mentions: list[Mention]) -> bool:
    from ..query import merge

    merged = merge(mentions)
    return merged is not None and len(resolve(merged, corpus)) == 1


def _real_mentions(q: Question) -> list[Mention]:
    """Mentions, without a lone verb read as a role ("someone who leads ...")."""
    out = []
    for m in q.mentions:
        lone = m.end - m.start == 1 and not m.level
        if lone and m.start > 0 and q.tokens[m.start - 1] in _VERB_LEAD and q.tokens[m.start].endswith("s"):
            continue
        if m.start > 0 and q.tokens[m.start - 1] in _POSSESSIVE and not m.level and len(q.mentions) > 1:
            continue
        out.append(m)
    return _complete_elided(out)


#: Seniority words: "a lead support engineer vs a senior one" means a senior support engineer.
_SENIORITY = frozenset(stem(w) for w in "junior graduate associate intern senior staff lead principal".split())


def _complete_elided(mentions: list[Mention]) -> list[Mention]:
    """A mention of seniority alone ("a senior one", "vs a junior") takes the role words of the
    nearest mention that names a role: English leaves them out when they were just said."""
    named = [m for m in mentions if any(w not in RANK_WORDS for w in m.words)]
    if not named:
        return mentions
    out = []
    for m in mentions:
        if m.words and all(w in _SENIORITY for w in m.words):
            donor = min(named, key=lambda n: abs(n.start - m.start))
            m = replace(m, words=m.words + tuple(w for w in donor.words if w not in RANK_WORDS and w not in m.words))
        out.append(m)
    return out
