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
import threading
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from index import ATTRIBUTE_LABELS, Chunk, QueryError

from .answers import Answer, Candidate, Citation, cite, label_of
from .compare import attribute_value, compare_roles
from .corpus import Corpus, RoleDocument
from .resolve import RANK_WORDS, Mention, Question, merge, parse_question, resolve
from .text import dedupe_key, stem, terms

if TYPE_CHECKING:
    from .service import Ladder

__all__ = ["LLM_CONTEXT", "MAX_QUESTION_CHARS", "answer_question", "ask", "clean_question"]

MAX_QUESTION_CHARS = 1000
#: Chunks a language model is given at most: the composed answer's citations, then search results.
LLM_CONTEXT = 16
#: Attribute answers list each role document up to this many; more is asked back.
MAX_LISTED = 4
#: Bullets shown per dimension in a role overview; lookups show at most ``MAX_HITS`` bullets.
ROLE_PREVIEW = 3
MAX_HITS = 8
NEAREST = 3
#: A word found in more than this share of the role bullets is too common to answer a lookup alone.
GENERIC_SHARE = 0.1

_FIT = re.compile(
    r"\b(?:which|what)\s+(?:level|role|grade|job|position)s?\b[^?.]*?\b(?:fits?|suits?|match(?:es)?|for\s+"
    r"(?:someone|somebody|me|a\s+person|an?\s+\w+\s+who)|would\s+(?:i|someone|they)\s+be|am\s+i|is\s+(?:someone|"
    r"a\s+person))\b|\bwhere\s+(?:do|would|does|should)\s+(?:i|someone|they|he|she)\s+(?:fit|sit|land|belong)\b"
    r"|\bwhat\s+level\s+(?:am\s+i|is\s+someone|would)\b|\blevel\s+fit\b"
)
_FIT_SUBJECT = re.compile(
    r"\b(?:someone|somebody|a\s+person|a\s+colleague|an?\s+(?:\w+\s+){0,2}?\w+|me|they|he|she|i)\s+"
    r"(?:who|that|if\s+i|if\s+they|when\s+i)\s+|\bif\s+i\s+|:\s*"
)
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
_ATTRIBUTE_SENTENCE = {
    "planning_horizon": "{who} {has} a planning horizon of: {value}",
    "impact_radius": "{who} {has} an impact radius of: {value}",
    "evaluation": "{who} {is_} evaluated by: {value}",
    "autonomy": "Responsibility and direction needed for {who}: {value}",
}


# -- entry point ---------------------------------------------------------------------------------

def clean_question(question: str) -> tuple[str, str]:
    """The question to answer and a notice when it was shortened.

    Raises:
        QueryError: the question is empty or only whitespace/control characters.
    """
    text = "".join(ch if ch.isprintable() else " " for ch in question)
    text = " ".join(text.split())
    if not text:
        raise QueryError("the question is empty; ask e.g. 'who evaluates an L3?' or 'what does impact radius mean?'")
    if len(text) > MAX_QUESTION_CHARS:
        cut = text[:MAX_QUESTION_CHARS].rsplit(" ", 1)[0] or text[:MAX_QUESTION_CHARS]
        return cut, (
            f"question shortened from {len(text):,} to {len(cut):,} characters (the limit is "
            f"{MAX_QUESTION_CHARS:,}; use `ladder fit` for long descriptions of work)"
        )
    return text, ""


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


# -- composing -----------------------------------------------------------------------------------

class _Builder:
    """Lines of an answer and the chunks they cite, in order of first citation."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.cited: dict[str, Chunk] = {}

    def ref(self, text: str, *chunks: Chunk) -> str:
        """``text`` followed by the citation of each chunk (recorded)."""
        for c in chunks:
            self.cited.setdefault(c.id, c)
        return " ".join([text, *(cite(c) for c in chunks)])

    def say(self, text: str, *chunks: Chunk) -> None:
        self.lines.append(self.ref(text, *chunks))

    def line(self, text: str) -> None:
        """A framing line: says nothing a document says, so cites nothing."""
        self.lines.append(text)

    def build(self, q: Question, *, found: bool, intent: str, candidates: Iterable[RoleDocument] = ()) -> Answer:
        return Answer(
            question=q.text,
            answer="\n".join(self.lines),
            found=found,
            citations=tuple(Citation.of(c) for c in self.cited.values()),
            intent=intent,
            candidates=tuple(Candidate(d.path, d.level, d.role, d.track) for d in candidates),
        )


def _bullet_text(chunk: Chunk) -> str:
    return f"{chunk.context} {chunk.plain}".strip() if chunk.context else chunk.plain


def _join(labels: Sequence[str]) -> str:
    labels = list(labels)
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _quote(text: str) -> str:
    return f'"{text}"'


# -- routing -------------------------------------------------------------------------------------

def _route(ladder: Ladder, corpus: Corpus, q: Question) -> Answer:
    if _FIT.search(q.lower):
        return _fit(ladder, corpus, q)
    mentions = _real_mentions(q)
    unmatched = [m for m in mentions if not resolve(m, corpus)]
    if unmatched:
        return _no_such_role(ladder, corpus, q, unmatched[0])
    if q.unexplained:
        return _lookup(ladder, corpus, q, mentions)
    difference = _DIFFERENCE.search(q.lower)
    if difference and (len(mentions) >= 2 or (len(mentions) == 1 and _NEXT_LEVEL.search(q.lower))):
        if len(mentions) >= 2 and not q.level_mentions and not q.dimensions and not q.attributes:
            defined = _define_terms(corpus, q, mentions)
            if defined is not None:
                return defined
        return _difference(ladder, corpus, q, mentions)
    if not any(m.level for m in mentions) and _DEFINITION.search(q.lower):
        if q.attributes and not mentions:
            return _define_attributes(ladder, corpus, q)
        if mentions and not q.attributes and not q.dimensions:
            defined = _define_terms(corpus, q, mentions)
            if defined is not None:
                return defined
    if q.attributes:
        if not mentions:
            return _define_attributes(ladder, corpus, q)
        return _attribute(corpus, q, mentions)
    if q.dimensions and mentions:
        return _dimension(corpus, q, mentions)
    if mentions:
        return _role(corpus, q, mentions)
    if q.dimensions:
        docs = [d for d in corpus.documents_sorted() if any(n in d.dimensions for n in q.dimensions)]
        return _ask_back(q, _join(q.dimensions), docs, intent="dimension")
    return _not_covered(ladder, corpus, q)


def _real_mentions(q: Question) -> list[Mention]:
    """Mentions, without a lone verb read as a role ("someone who leads ...")."""
    out = []
    for m in q.mentions:
        lone = m.end - m.start == 1 and not m.level
        if lone and m.start > 0 and q.tokens[m.start - 1] in _VERB_LEAD and q.tokens[m.start].endswith("s"):
            continue
        out.append(m)
    return out


def _ask_back(q: Question, name: str, docs: Sequence[RoleDocument], *, intent: str) -> Answer:
    b = _Builder()
    labels = [d.label for d in docs]
    b.line(f'"{name}" fits {len(docs)} role documents: {_join(labels)}.')
    if docs:
        example = re.sub(re.escape(name), docs[0].label, q.text, count=1, flags=re.I)
        if example == q.text:
            example = f"{q.text.rstrip('?. ')} for {docs[0].label}?"
        example = re.sub(r"\b([Aa]) (?=[AEIOUaeiou]|L\d)", r"\1n ", example)
        b.line(f"Which one do you mean? Ask again with its full name, e.g. {_quote(example)}")
    return b.build(q, found=False, intent=intent, candidates=docs)


def _ask_back_pair(
    q: Question, *sides: tuple[Mention, Sequence[RoleDocument]]
) -> Answer:
    b = _Builder()
    for mention, docs in sides:
        if len(docs) > 1:
            b.line(f'"{mention.text}" fits {len(docs)} role documents: {_join([d.label for d in docs])}.')
    b.line("Which ones do you mean? Ask again naming both roles in full, e.g. "
           + _quote(f"how does {sides[0][1][0].label} differ from {sides[1][1][0].label}?"))
    both = {d.path: d for _, docs in sides for d in docs}
    return b.build(q, found=False, intent="difference", candidates=both.values())


def _no_such_role(ladder: Ladder, corpus: Corpus, q: Question, mention: Mention) -> Answer:
    b = _Builder()
    levels = ", ".join(corpus.values["level"])
    b.line(f'No role document in the index matches "{mention.text}". The levels it holds are: {levels}.')
    return b.build(q, found=False, intent="not-covered")


# -- intents -------------------------------------------------------------------------------------

def _fit(ladder: Ladder, corpus: Corpus, q: Question) -> Answer:
    cue = _FIT.search(q.lower)
    match = _FIT_SUBJECT.search(q.text, cue.start() if cue else 0)
    description = q.text[match.end():].strip(" ?.") if match else ""
    if len(description.split()) < 2:
        description = _FIT.sub(" ", q.text).strip(" ?.") or q.text
    b = _Builder()
    fit = getattr(ladder, "fit", None)
    if fit is None:
        response = ladder.search(description, k=NEAREST)
        b.line("This asks which level fits a description of work. Level fit is not available here, so this is "
               "based on search instead.")
        hits = [corpus.by_id[r.id] for r in response.results if r.id in corpus.by_id and r.level]
        if not hits:
            b.line("No role document matches the description.")
            return b.build(q, found=False, intent="fit")
        b.line(f"Closest role document: {label_of(hits[0])}. The closest bullets are:")
        for chunk in hits:
            b.say(f"- {label_of(chunk)}: {_bullet_text(chunk)}", chunk)
        return b.build(q, found=True, intent="fit")
    report = fit(description)
    b.line("This asks which level fits a description of work, so it was handed to level fit "
           f"(the same as `ladder fit`) with: {_quote(description)}.")
    best = report.best
    if best is None:
        b.line("No role document matches the description.")
        return b.build(q, found=False, intent="fit")
    b.line(f"Best fit: {best.label} ({report.confidence}). {report.confidence_note}".strip())
    shown = 0
    for m in sorted(best.evidence, key=lambda m: -m.similarity):
        matched = corpus.by_id.get(m.chunk_id)
        if matched is None:
            continue
        b.say(f"- {_quote(report.statements[m.statement])} matches: {_bullet_text(matched)}", matched)
        shown += 1
        if shown == 3:
            break
    others = [r.label for r in report.ranking[1:3]]
    if others:
        b.line(f"Also close: {_join(others)}. Run `ladder fit` for the full evidence and gaps.")
    return b.build(q, found=True, intent="fit")


def _attribute(corpus: Corpus, q: Question, mentions: list[Mention]) -> Answer:
    mention = merge(mentions)
    assert mention is not None
    docs = resolve(mention, corpus)
    if len(docs) > MAX_LISTED:
        return _ask_back(q, mention.text, docs, intent="attribute")
    b = _Builder()
    for key in q.attributes:
        stated = [(d, d.attributes[key]) for d in docs if key in d.attributes]
        missing = [d for d in docs if key not in d.attributes]
        groups: dict[str, list[tuple[RoleDocument, Chunk]]] = {}
        for d, chunk in stated:
            groups.setdefault(dedupe_key(attribute_value(chunk)), []).append((d, chunk))
        for group in groups.values():
            who = _join([d.label for d, _ in group])
            value = attribute_value(group[0][1])
            template = _ATTRIBUTE_SENTENCE.get(key, ATTRIBUTE_LABELS.get(key, key) + " for {who}: {value}")
            plural = len(group) > 1
            sentence = template.format(who=who, value=value, has="have" if plural else "has",
                                       is_="are" if plural else "is")
            b.say(sentence[0].upper() + sentence[1:], *(c for _, c in group))
        label = ATTRIBUTE_LABELS.get(key, key).lower()
        for d in missing:
            b.line(f"The {d.label} document does not state a {label}.")
    return b.build(q, found=bool(b.cited), intent="attribute")


def _pick_dimension(q: Question, doc: RoleDocument) -> str:
    return next((d for d in q.dimensions if d in doc.dimensions), "")


def _dimension(corpus: Corpus, q: Question, mentions: list[Mention]) -> Answer:
    mention = merge(mentions)
    assert mention is not None
    wanted = next((d for d in q.dimensions if any(d in doc.dimensions for doc in resolve(mention, corpus))), "")
    docs = resolve(mention, corpus, dimension=wanted)
    if len(docs) > 1:
        return _ask_back(q, mention.text, docs, intent="dimension")
    doc = docs[0]
    dim = _pick_dimension(q, doc)
    b = _Builder()
    if not dim:
        b.line(f"The {doc.label} document has no {_join(q.dimensions)} section; its dimensions are: "
               f"{_join(doc.dimensions)}.")
        return b.build(q, found=False, intent="dimension")
    kinds = [k for k in ("expectation", "example") if k in q.kinds] or ["expectation"]
    for kind in kinds:
        chunks = [c for c in doc.chunks if c.dimension == dim and c.kind == kind]
        head = f"Expected of {doc.label} in {dim}:" if kind == "expectation" else f"Examples for {doc.label} in {dim}:"
        b.line(head)
        if not chunks:
            b.line(f"- The document gives no {kind}s here.")
        for c in chunks:
            b.say(f"- {_bullet_text(c)}", c)
    return b.build(q, found=bool(b.cited), intent="dimension")


def _role(corpus: Corpus, q: Question, mentions: list[Mention]) -> Answer:
    mention = merge(mentions)
    assert mention is not None
    docs = resolve(mention, corpus)
    if len(docs) > 1:
        return _ask_back(q, mention.text, docs, intent="role")
    doc = docs[0]
    b = _Builder()
    for c in doc.chunks:
        if c.kind == "summary":
            b.say(f"{doc.label}: {c.plain}", c)
            break
    for key, c in doc.attributes.items():
        label = ATTRIBUTE_LABELS.get(key) or c.plain.partition(":")[0]
        b.say(f"- {label}: {attribute_value(c)}", c)
    for dim in doc.dimensions:
        chunks = [c for c in doc.chunks if c.dimension == dim and c.kind == "expectation"]
        if not chunks:
            continue
        more = len(chunks) - ROLE_PREVIEW
        b.line(f"{dim}" + (f" (first {ROLE_PREVIEW} of {len(chunks)}; ask about {dim} for all):" if more > 0 else ":"))
        for c in chunks[:ROLE_PREVIEW]:
            b.say(f"- {_bullet_text(c)}", c)
    return b.build(q, found=bool(b.cited), intent="role")


def _define_attributes(ladder: Ladder, corpus: Corpus, q: Question) -> Answer:
    b = _Builder()
    for key in q.attributes:
        chunks = [c for c in corpus.chunks if c.kind == "overview" and c.key == key]
        groups: dict[str, list[Chunk]] = {}
        for c in chunks:
            groups.setdefault(dedupe_key(c.plain), []).append(c)
        for group in groups.values():
            b.say(group[0].plain, *group)
    if not b.cited:
        return _not_covered(ladder, corpus, q)
    return b.build(q, found=True, intent="definition")


def _starts_with(chunk_stems: list[str], term: Sequence[str]) -> bool:
    return len(chunk_stems) >= len(term) and chunk_stems[: len(term)] == list(term)


def _contains(chunk_stems: list[str], term: Sequence[str]) -> bool:
    n = len(term)
    return any(chunk_stems[i : i + n] == list(term) for i in range(len(chunk_stems) - n + 1))


def _define_terms(corpus: Corpus, q: Question, mentions: list[Mention]) -> Answer | None:
    """Overview paragraphs that define the role names mentioned (and one that relates them)."""
    overview = [(c, terms(c.plain)) for c in corpus.chunks if c.kind == "overview" and c.key != "link"]
    names = [tuple(stem(w) for w in re.findall(r"[a-z0-9]+", m.text) if not re.fullmatch(r"l\d+", w))
             for m in mentions]
    names = [n for n in names if n]
    b = _Builder()
    chosen: list[Chunk] = []
    relating: list[Chunk] = []
    tracks = [tuple(terms(t)) for t in sorted({d.track for d in corpus.documents.values()})]
    for name in names:
        others = [o for o in names if o != name]
        rivals = others + [t for t in tracks if t and t != name and not _contains(list(name), t)]
        starting = [c for c, s in overview if _starts_with(s, name)]
        if not starting:
            return None
        own = [c for c in starting if not any(_contains(terms(c.plain), o) for o in rivals)] or starting
        chosen.append(own[0])
        relating += [c for c in starting if c is not own[0] and any(_contains(terms(c.plain), o) for o in others)]
    for c in chosen:
        b.say(c.plain, c)
    for c in dict.fromkeys(relating):
        if c not in chosen:
            b.say(c.plain, c)
    return b.build(q, found=True, intent="definition")


def _resolve_side(corpus: Corpus, mention: Mention, other: Mention | None) -> tuple[RoleDocument, ...]:
    """One side of a comparison; a level alone ("L3 and L4 security engineers") borrows the other
    side's role words when the documents at its level have them."""
    if not mention.words and other is not None and other.words:
        borrowed = tuple(w for w in other.words if w not in RANK_WORDS)
        docs = resolve(replace(mention, words=borrowed), corpus) if borrowed else ()
        if docs:
            return docs
    return resolve(mention, corpus)


def _difference(ladder: Ladder, corpus: Corpus, q: Question, mentions: list[Mention]) -> Answer:
    leveled = [m for m in mentions if m.level]
    named = [w for m in mentions if not m.level for w in m.words]
    if len(leveled) == 2 and named and not any(m.words for m in leveled):
        # "between L2 and L3 for software engineers": the role named once goes with both levels
        mentions = [replace(m, words=tuple(dict.fromkeys(named))) for m in leveled]
    first = mentions[0]
    second = mentions[1] if len(mentions) > 1 else None
    docs_a = _resolve_side(corpus, first, second)
    docs_b = _resolve_side(corpus, second, first) if second else ()
    if second is not None:
        # a side that still fits several documents keeps those of the other side's track
        if len(docs_b) == 1 and len(docs_a) > 1:
            docs_a = resolve(first, corpus, prefer_track=docs_b[0].track)
        elif len(docs_a) == 1 and len(docs_b) > 1:
            docs_b = resolve(second, corpus, prefer_track=docs_a[0].track)
        elif len(docs_a) > 1 and len(docs_b) > 1:
            tracks = [t for t in dict.fromkeys(d.track for d in docs_a)
                      if sum(d.track == t for d in docs_a) == 1 and sum(d.track == t for d in docs_b) == 1]
            if len(tracks) == 1:
                docs_a = tuple(d for d in docs_a if d.track == tracks[0])
                docs_b = tuple(d for d in docs_b if d.track == tracks[0])
        if len(docs_a) > 1 or len(docs_b) > 1:
            return _ask_back_pair(q, (first, docs_a), (second, docs_b))
    elif len(docs_a) > 1:
        return _ask_back(q, first.text, docs_a, intent="difference")
    else:
        following = corpus.next_level(docs_a[0])
        if not following:
            b = _Builder()
            b.line(f"{docs_a[0].label} is the highest level of its track ({docs_a[0].track}) in the documents.")
            return b.build(q, found=False, intent="difference")
        if len(following) > 1:
            return _ask_back(q, "the next level", following, intent="difference")
        docs_b = (following[0],)
    a, b_doc = docs_a[0], docs_b[0]
    if b_doc.level_num < a.level_num:
        a, b_doc = b_doc, a
    dims = [d for d in q.dimensions if d in a.dimensions or d in b_doc.dimensions]
    out = _Builder()
    if q.dimensions and not dims:
        out.line(f"Neither {a.label} nor {b_doc.label} has a {_join(q.dimensions)} section.")
        return out.build(q, found=False, intent="difference")
    cmp = compare_roles(corpus, a.path, b_doc.path, dimensions=dims)
    by_id = corpus.by_id
    higher = b_doc.level_num > a.level_num
    where = f" in {_join(dims)}" if dims else ""
    out.line(f"{b_doc.label} compared with {a.label}{where}:")
    if not dims:
        for row in cmp.attributes:
            if row.same or row.a is None or row.b is None:
                continue
            out.line(f"- {row.label}: " + out.ref(_quote(row.a.text), by_id[row.a.id]) + " becomes "
                     + out.ref(_quote(row.b.text), by_id[row.b.id]))
    for diff in cmp.dimensions:
        prefix = f"{diff.dimension}: " if len(cmp.dimensions) > 1 else ""
        if diff.only_b:
            out.line(f"{prefix}Added in {b_doc.label}:" if higher else f"{prefix}Only in {b_doc.label}:")
            for bullet in diff.only_b:
                out.say(f"- {bullet.full_text}", by_id[bullet.id])
        if diff.only_a:
            out.line(f"{prefix}Only in {a.label} (not in {b_doc.label}):" if higher else f"{prefix}Only in {a.label}:")
            for bullet in diff.only_a:
                out.say(f"- {bullet.full_text}", by_id[bullet.id])
        if diff.reworded:
            out.line(f"{prefix}Reworded:")
            for pair in diff.reworded:
                out.line("- " + out.ref(_quote(pair.a.full_text), by_id[pair.a.id]) + " becomes "
                         + out.ref(_quote(pair.b.full_text), by_id[pair.b.id]))
        if diff.shared:
            out.line(f"{prefix}{len(diff.shared)} bullet(s) are the same in both.")
    if not out.cited:
        out.line("The two documents say the same things here.")
    return out.build(q, found=True, intent="difference")


# -- lookup and not covered ----------------------------------------------------------------------

_TERMS: weakref.WeakKeyDictionary[Corpus, list[frozenset[str]]] = weakref.WeakKeyDictionary()
_TERMS_LOCK = threading.Lock()


def _chunk_terms(corpus: Corpus) -> list[frozenset[str]]:
    with _TERMS_LOCK:
        cached = _TERMS.get(corpus)
        if cached is None:
            cached = [frozenset(terms(f"{c.context} {c.plain}")) for c in corpus.chunks]
            _TERMS[corpus] = cached
        return cached


def _scope(corpus: Corpus, q: Question, mentions: list[Mention]) -> tuple[list[RoleDocument], list[str]]:
    docs: dict[str, RoleDocument] = {}
    for m in mentions:
        for d in resolve(m, corpus):
            docs[d.path] = d
    return list(docs.values()), list(q.dimensions)


def _in_scope(chunk: Chunk, paths: set[str], dims: list[str], kinds: Sequence[str]) -> bool:
    return (
        (not paths or chunk.path in paths)
        and (not dims or chunk.dimension in dims)
        and (not kinds or chunk.kind in kinds)
    )


def _lookup(ladder: Ladder, corpus: Corpus, q: Question, mentions: list[Mention]) -> Answer:
    """Bullets that contain every word the question asks about beyond the roles it names."""
    wanted = {stem(w) for w in q.unexplained}
    docs, dims = _scope(corpus, q, mentions)
    paths = {d.path for d in docs}
    all_terms = _chunk_terms(corpus)
    hits = [
        c for c, t in zip(corpus.chunks, all_terms, strict=True) if wanted <= t and _in_scope(c, paths, dims, q.kinds)
    ]
    asked = " ".join(q.unexplained)
    if hits and _generic(corpus, wanted):
        return _not_covered(ladder, corpus, q, scope_paths=paths)
    if not hits:
        if paths or dims:
            wider = [c for c, t in zip(corpus.chunks, all_terms, strict=True) if wanted <= t and c.level]
            if wider:
                b = _Builder()
                scope = _join([d.label for d in docs]) if docs else _join(dims)
                b.line(f'The {scope} document{"s" if len(docs) > 1 else ""} do{"" if len(docs) > 1 else "es"} not '
                       f'mention "{asked}". Other role documents do:')
                _list_grouped(b, corpus, wider)
                return b.build(q, found=False, intent="not-covered")
        return _not_covered(ladder, corpus, q, scope_paths=paths)
    b = _Builder()
    b.line(f'Where the documents mention "{asked}":')
    _list_grouped(b, corpus, hits)
    return b.build(q, found=True, intent="lookup")


def _generic(corpus: Corpus, wanted: set[str]) -> bool:
    """True when every word asked about is in more than ``GENERIC_SHARE`` of the role bullets: finding
    them ("team", "work") answers nothing."""
    all_terms = _chunk_terms(corpus)
    role = [t for c, t in zip(corpus.chunks, all_terms, strict=True) if c.level]
    if not role:
        return False
    return all(sum(w in t for t in role) > GENERIC_SHARE * len(role) for w in wanted)


def _list_grouped(b: _Builder, corpus: Corpus, chunks: list[Chunk]) -> None:
    """One line per bullet; identical bullets of several documents share a line."""
    seen: set[str] = set()
    shown = 0
    for c in chunks:
        if c.id in seen:
            continue
        group = [corpus.by_id[i] for i in corpus.group_of.get(c.id, (c.id,)) if i in corpus.by_id]
        group = [g for g in group if g in chunks] or [c]
        seen.update(g.id for g in group)
        if shown == MAX_HITS:
            rest = len([x for x in chunks if x.id not in seen]) + len(group)
            b.line(f"... and {rest} more.")
            return
        where = _join(list(dict.fromkeys(label_of(g) for g in group)))
        b.say(f"- {where}: {_bullet_text(c)}", *group)
        shown += 1


def _not_covered(ladder: Ladder, corpus: Corpus, q: Question, *, scope_paths: Iterable[str] = ()) -> Answer:
    b = _Builder()
    b.line("The documents don't answer this.")
    paths = set(scope_paths)
    response = ladder.search(q.text, k=30 if paths else NEAREST)
    nearest = [r for r in response.results if not paths or r.path in paths][:NEAREST]
    if not nearest and paths:
        nearest = list(response.results[:NEAREST])
    if nearest:
        b.line("The nearest bullets are:")
        for r in nearest:
            chunk = corpus.by_id.get(r.id)
            if chunk is not None:
                b.say(f"- {label_of(chunk)}: {_bullet_text(chunk)}", chunk)
    return b.build(q, found=False, intent="not-covered")
