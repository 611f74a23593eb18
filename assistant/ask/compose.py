"""Answers composed from the structure of the documents: attributes, bullets by dimension, role
overviews, overview definitions, differences (``compare_roles``), level fit, and asking back.

Every sentence taken from a document is followed by its citation ``[role | dimension | file:line]``
(``Builder.say``); framing lines say nothing a document says and cite nothing (``Builder.line``).
``Builder``, the text helpers and the answers that ask back live in ``writing``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from index import ATTRIBUTE_LABELS, Chunk

from ..answers import Answer, label_of
from ..compare import attribute_value, compare_roles
from ..corpus import Corpus, RoleDocument
from ..query import RANK_WORDS, Mention, Question, merge, resolve
from ..text import dedupe_key, stem, terms
from .writing import Builder, ask_back, ask_back_pair, bullet_text, join, no_such_role, quote

if TYPE_CHECKING:
    from .context import AskContext

__all__ = [
    "FIT_CUE",
    "Builder",
    "ask_back",
    "ask_back_pair",
    "attribute_answer",
    "bullet_text",
    "define_attributes",
    "define_terms",
    "difference_answer",
    "dimension_answer",
    "fit_answer",
    "join",
    "no_such_role",
    "quote",
    "role_answer",
]

#: Attribute answers list each role document up to this many; more is asked back.
MAX_LISTED = 4
#: Bullets shown per dimension in a role overview.
ROLE_PREVIEW = 3
#: Search results shown when level fit is not available.
NEAREST = 3

#: "Which level fits someone who ...": a question for level fit.
FIT_CUE = re.compile(
    r"\b(?:which|what)\s+(?:level|role|grade|job|position)s?\b[^?.]*?\b(?:fits?|suits?|match(?:es)?|for\s+"
    r"(?:someone|somebody|me|a\s+person|an?\s+\w+\s+who)|would\s+(?:i|someone|they)\s+be|am\s+i|is\s+(?:someone|"
    r"a\s+person))\b|\bwhere\s+(?:do|would|does|should)\s+(?:i|someone|they|he|she)\s+(?:fit|sit|land|belong)\b"
    r"|\bwhat\s+level\s+(?:am\s+i|is\s+someone|would)\b|\blevel\s+fit\b"
)
_FIT_SUBJECT = re.compile(
    r"\b(?:someone|somebody|a\s+person|a\s+colleague|an?\s+(?:\w+\s+){0,2}?\w+|me|they|he|she|i)\s+"
    r"(?:who|that|if\s+i|if\s+they|when\s+i)\s+|\bif\s+i\s+|:\s*"
)
_ATTRIBUTE_SENTENCE = {
    "planning_horizon": "{who} {has} a planning horizon of: {value}",
    "impact_radius": "{who} {has} an impact radius of: {value}",
    "evaluation": "{who} {is_} evaluated by: {value}",
    "autonomy": "Responsibility and direction needed for {who}: {value}",
}

# -- intents -------------------------------------------------------------------------------------

def fit_answer(ctx: AskContext, corpus: Corpus, q: Question) -> Answer:
    """Hand "which level fits someone who ..." to level fit (search when there is none), and say so."""
    cue = FIT_CUE.search(q.lower)
    match = _FIT_SUBJECT.search(q.text, cue.start() if cue else 0)
    description = q.text[match.end():].strip(" ?.") if match else ""
    if len(description.split()) < 2:
        description = FIT_CUE.sub(" ", q.text).strip(" ?.") or q.text
    b = Builder()
    fit = ctx.fit
    if fit is None:
        response = ctx.search(description, k=NEAREST)
        b.line("This asks which level fits a description of work. Level fit is not available here, so this is "
               "based on search instead.")
        hits = [corpus.by_id[r.id] for r in response.results if r.id in corpus.by_id and r.level]
        if not hits:
            b.line("No role document matches the description.")
            return b.build(q, found=False, intent="fit")
        b.line(f"Closest role document: {label_of(hits[0])}. The closest bullets are:")
        for chunk in hits:
            b.say(f"- {label_of(chunk)}: {bullet_text(chunk)}", chunk)
        return b.build(q, found=True, intent="fit")
    report = fit(description)
    b.line("This asks which level fits a description of work, so it was handed to level fit "
           f"(the same as `ladder fit`) with: {quote(description)}.")
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
        b.say(f"- {quote(report.statements[m.statement])} matches: {bullet_text(matched)}", matched)
        shown += 1
        if shown == 3:
            break
    others = [r.label for r in report.ranking[1:3]]
    if others:
        b.line(f"Also close: {join(others)}. Run `ladder fit` for the full evidence and gaps.")
    return b.build(q, found=bool(b.cited), intent="fit")  # an answer only with the bullets that show it


def attribute_answer(corpus: Corpus, q: Question, mentions: list[Mention]) -> Answer:
    mention = merge(mentions)
    assert mention is not None
    docs = resolve(mention, corpus)
    if len(docs) > MAX_LISTED:
        return ask_back(q, mention.text, docs, intent="attribute")
    b = Builder()
    for key in q.attributes:
        stated = [(d, d.attributes[key]) for d in docs if key in d.attributes]
        missing = [d for d in docs if key not in d.attributes]
        groups: dict[str, list[tuple[RoleDocument, Chunk]]] = {}
        for d, chunk in stated:
            groups.setdefault(dedupe_key(attribute_value(chunk)), []).append((d, chunk))
        for group in groups.values():
            who = join([d.label for d, _ in group])
            value = attribute_value(group[0][1])
            template = _ATTRIBUTE_SENTENCE.get(key, ATTRIBUTE_LABELS.get(key, key) + " for {who}: {value}")
            plural = len(group) > 1
            sentence = template.format(who=who, value=value, has="have" if plural else "has",
                                       is_="are" if plural else "is")
            b.say(sentence[0].upper() + sentence[1:], *(c for _, c in group))
        label = ATTRIBUTE_LABELS.get(key, key)
        for d in missing:  # 'has no "Evaluated by" line' reads right for every attribute's name
            b.line(f'The {d.label} document does not say: it has no "{label[0].upper() + label[1:]}" line.')
    return b.build(q, found=bool(b.cited), intent="attribute")


def _pick_dimension(q: Question, doc: RoleDocument) -> str:
    return next((d for d in q.dimensions if d in doc.dimensions), "")


def dimension_answer(corpus: Corpus, q: Question, mentions: list[Mention]) -> Answer:
    mention = merge(mentions)
    assert mention is not None
    wanted = next((d for d in q.dimensions if any(d in doc.dimensions for doc in resolve(mention, corpus))), "")
    docs = resolve(mention, corpus, dimension=wanted)
    if len(docs) > 1:
        return ask_back(q, mention.text, docs, intent="dimension")
    doc = docs[0]
    dim = _pick_dimension(q, doc)
    b = Builder()
    if not dim:
        b.line(f"The {doc.label} document has no {join(q.dimensions)} section; its dimensions are: "
               f"{join(doc.dimensions)}.")
        return b.build(q, found=False, intent="dimension")
    kinds = [k for k in ("expectation", "example") if k in q.kinds] or ["expectation"]
    for kind in kinds:
        chunks = [c for c in doc.chunks if c.dimension == dim and c.kind == kind]
        head = f"Expected of {doc.label} in {dim}:" if kind == "expectation" else f"Examples for {doc.label} in {dim}:"
        b.line(head)
        if not chunks:
            b.line(f"- The document gives no {kind}s here.")
        for c in chunks:
            b.say(f"- {bullet_text(c)}", c)
    return b.build(q, found=bool(b.cited), intent="dimension")


def role_answer(corpus: Corpus, q: Question, mentions: list[Mention]) -> Answer:
    mention = merge(mentions)
    assert mention is not None
    docs = resolve(mention, corpus)
    if len(docs) > 1:
        return ask_back(q, mention.text, docs, intent="role")
    doc = docs[0]
    b = Builder()
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
            b.say(f"- {bullet_text(c)}", c)
    return b.build(q, found=bool(b.cited), intent="role")


def define_attributes(corpus: Corpus, q: Question) -> Answer | None:
    """Overview definitions of the attributes asked about (None when the overview has none)."""
    b = Builder()
    for key in q.attributes:
        chunks = [c for c in corpus.chunks if c.kind == "overview" and c.key == key]
        groups: dict[str, list[Chunk]] = {}
        for c in chunks:
            groups.setdefault(dedupe_key(c.plain), []).append(c)
        for group in groups.values():
            b.say(group[0].plain, *group)
    if not b.cited:
        return None
    return b.build(q, found=True, intent="definition")


def _starts_with(chunk_stems: list[str], term: Sequence[str]) -> bool:
    return len(chunk_stems) >= len(term) and chunk_stems[: len(term)] == list(term)


def _contains(chunk_stems: list[str], term: Sequence[str]) -> bool:
    n = len(term)
    return any(chunk_stems[i : i + n] == list(term) for i in range(len(chunk_stems) - n + 1))


def define_terms(corpus: Corpus, q: Question, mentions: list[Mention]) -> Answer | None:
    """Overview paragraphs that define the role names mentioned (and one that relates them)."""
    overview = [(c, terms(c.plain)) for c in corpus.chunks if c.kind == "overview" and c.key != "link"]
    names = [tuple(stem(w) for w in re.findall(r"[a-z0-9]+", m.text) if not re.fullmatch(r"l\d+", w))
             for m in mentions]
    names = [n for n in names if n]
    b = Builder()
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
    if not b.cited:
        return None
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


def difference_answer(corpus: Corpus, q: Question, mentions: list[Mention]) -> Answer:
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
            return ask_back_pair(q, (first, docs_a), (second, docs_b))
    elif len(docs_a) > 1:
        return ask_back(q, first.text, docs_a, intent="difference")
    else:
        following = corpus.next_level(docs_a[0])
        if not following:
            b = Builder()
            b.line(f"{docs_a[0].label} is the highest level of its track ({docs_a[0].track}) in the documents.")
            return b.build(q, found=False, intent="difference")
        if len(following) > 1:
            return ask_back(q, "the next level", following, intent="difference")
        docs_b = (following[0],)
    a, b_doc = docs_a[0], docs_b[0]
    if b_doc.level_num < a.level_num:
        a, b_doc = b_doc, a
    dims = [d for d in q.dimensions if d in a.dimensions or d in b_doc.dimensions]
    out = Builder()
    if q.dimensions and not dims:
        out.line(f"Neither {a.label} nor {b_doc.label} has a {join(q.dimensions)} section.")
        return out.build(q, found=False, intent="difference")
    cmp = compare_roles(corpus, a.key, b_doc.key, dimensions=dims)
    by_id = corpus.by_id
    higher = b_doc.level_num > a.level_num
    where = f" in {join(dims)}" if dims else ""
    out.line(f"{b_doc.label} compared with {a.label}{where}:")
    if not dims:
        for row in cmp.attributes:
            if row.same or row.a is None or row.b is None:
                continue
            out.line(f"- {row.label}: " + out.ref(quote(row.a.text), by_id[row.a.id]) + " becomes "
                     + out.ref(quote(row.b.text), by_id[row.b.id]))
        if not a.dimensions or not b_doc.dimensions:
            # a document without dimensions says what it is in its summary ("same as Junior, with no ...")
            for doc in (a, b_doc):
                summary = next((c for c in doc.chunks if c.kind == "summary"), None)
                if summary is not None:
                    out.say(f"- {doc.label}: {summary.plain}", summary)
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
                out.line("- " + out.ref(quote(pair.a.full_text), by_id[pair.a.id]) + " becomes "
                         + out.ref(quote(pair.b.full_text), by_id[pair.b.id]))
        if diff.shared:
            out.line(f"{prefix}{len(diff.shared)} bullet(s) are the same in both.")
    if not out.cited:
        out.line("The two documents say the same things here.")
    return out.build(q, found=True, intent="difference")
