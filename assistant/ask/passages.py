"""Answers no structure holds: passages of the documents a question is about, the list of
dimensions, and names of roles the framework has no document for."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from index import Chunk

from ..answers import Answer, label_of
from ..corpus import Corpus, RoleDocument
from ..query import FILLER, RANK_WORDS, Mention, Question, lexicon, scope_documents
from ..text import STOPWORDS, dedupe_key, stem, words
from .compose import Builder, bullet_text, join
from .lookup import chunk_terms

if TYPE_CHECKING:
    from .context import AskContext

__all__ = ["FOUND_AT", "PASSAGES", "dimension_list", "passages_answer", "scope_paths", "unknown_role"]

#: Passages shown for a fact question.
PASSAGES = 4
#: The least similarity (the search score, cosine) of the question to the best passage in scope for
#: it to count as an answer (measured: answered dev-eval facts 0.47-0.77; questions about things the
#: framework never says, such as a dress code or a company car, 0.2-0.35).
FOUND_AT = 0.4
#: A passage holding at least this share of the weight of the words asked about counts as
#: stating them (rare words weigh more: "north star" over "team").
WORDS_SHARE = 0.6
#: Words that describe a role without naming one ("a normal engineer"): not an unknown role name.
_DESCRIBING = frozenset(
    "good great new normal typical average regular usual strong better best experienced other more most "
    "actual real proper decent solid bad poor weak first second entire whole full".split()
)


def _folder(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def scope_paths(corpus: Corpus, q: Question, mentions: list[Mention]) -> set[str]:
    """The role documents the question names, with the overview pages of their folders (and the
    folders above them); empty when it names none (everything is in scope)."""
    per = [(m, scope_documents(m, corpus)) for m in mentions]
    # a track or role named in words narrows what a bare level or title means ("support ... past senior, L4")
    named = {d.track for m, found in per if set(m.words) - RANK_WORDS for d in found}
    docs: dict[str, RoleDocument] = {}
    for m, found in per:
        if named and not set(m.words) - RANK_WORDS:
            found = tuple(d for d in found if d.track in named)
        for d in found:
            docs[d.path] = d
    if not docs:
        return set()
    folders = {_folder(p) for p in docs}
    overview = {c.path for c in corpus.chunks if not c.level}
    above = {o for o in overview if any(f == _folder(o) or f.startswith(_folder(o) + "/") or not _folder(o)
                                        for f in folders)}
    return set(docs) | above


def passages_answer(
    ctx: AskContext, corpus: Corpus, q: Question, mentions: list[Mention], *, intent: str, lead: Answer | None = None
) -> Answer:
    """The passages that answer a question about a fact: those containing every word it asks
    about, then the nearest by search, from the documents it names (all when it names none).

    ``found`` is true when a passage is near enough (``FOUND_AT``) or contains those words."""
    paths = scope_paths(corpus, q, mentions)
    b = Builder()
    if lead is not None:
        b.lines.extend(lead.answer.splitlines())
        for citation in lead.citations:
            chunk = corpus.by_id.get(citation.id)
            if chunk is not None:
                b.cited.setdefault(chunk.id, chunk)
    wanted = {stem(w) for w in q.unexplained}
    exact = _most_words(corpus, wanted, paths)
    glossed = ctx.glossary.gloss(" ".join(q.unexplained), corpus)
    if not exact and glossed.terms:  # "terraform" is asked about; the documents say "infrastructure as code"
        jargon = {stem(w) for term, _ in glossed.terms for w in words(term)}
        plain = {stem(w) for _, said in glossed.terms for w in words(said) if w not in STOPWORDS}
        exact = _most_words(corpus, (wanted - jargon) | plain, paths)
        if exact:
            b.line("Read " + ", ".join(f'"{t}" as "{said}"' for t, said in glossed.terms)
                   + " (the documents' words):")
    results = list(ctx.search(q.text, k=100).results)
    # how near the question itself comes to the documents it names (the words alone may come nearer
    # by chance: "dress code" to bullets about code)
    best = max((r.score for r in results if not paths or r.path in paths
                or any(p.path in paths for p in r.also_in)), default=0.0)
    if wanted:  # the words asked about alone, without the names and the question's own words
        seen_ids = {r.id for r in results}
        topic = ctx.search(" ".join(q.unexplained), k=100).results
        results += [r for r in topic if r.id not in seen_ids]
        results.sort(key=lambda r: -r.score)
    near: list[tuple[Chunk, float]] = []
    for r in results:
        places = [r.path, *(p.path for p in r.also_in)]
        chunk = corpus.by_id.get(r.id)
        if chunk is None:
            continue
        if paths and not any(p in paths for p in places):
            continue
        if paths and chunk.path not in paths:
            chunk = next((corpus.by_id[p.id] for p in r.also_in if p.path in paths and p.id in corpus.by_id), chunk)
        near.append((chunk, r.score))
    chosen: list[Chunk] = []
    seen: set[str] = set()
    for c in exact[:2] + [c for c, _ in near]:
        key = dedupe_key(bullet_text(c))
        if key in seen or c.id in b.cited:
            continue
        seen.add(key)
        chosen.append(c)
        if len(chosen) >= PASSAGES:
            break
    # a question none of whose own words the documents use is not answered by a near vector alone
    # ("¿Quién evalúa ...?"); one plain word the documents lack ("past") is no such sign
    familiar = (any(corpus.has_term(stem(w)) for w in q.unexplained)
                or (len(q.unexplained) <= 1 and all(w.isascii() for w in q.unexplained)))
    found = bool(b.cited) or bool(exact) or (best >= FOUND_AT and familiar)
    if not chosen and not b.cited:
        b.line("The documents don't answer this.")
        return b.build(q, found=False, intent="not-covered")
    if not found:
        b.line("The documents don't answer this.")
        b.line("The nearest bullets are:")
    elif chosen:
        b.line("From the documents:" if not b.cited else "Also in the documents:")
    for c in chosen:
        b.say(f"- {label_of(c)}: {bullet_text(c)}", c)
    return b.build(q, found=found, intent=intent if found else "not-covered")


def _most_words(corpus: Corpus, wanted: set[str], paths: set[str]) -> list[Chunk]:
    """Searchable chunks in ``paths`` (all when empty) holding the rarest words asked about: at
    least ``WORDS_SHARE`` of their weight (inverse chunk frequency), best first."""
    if not wanted:
        return []
    all_terms = chunk_terms(corpus)
    count = {w: sum(w in t for t in all_terms) for w in wanted}
    weight = {w: math.log((1 + len(all_terms)) / (1 + n)) for w, n in count.items() if n}
    total = sum(weight.values()) + sum(math.log(1 + len(all_terms)) for w, n in count.items() if not n)
    scored: list[tuple[float, int, Chunk]] = []
    for i, (c, t) in enumerate(zip(corpus.chunks, all_terms, strict=True)):
        if (paths and c.path not in paths) or not corpus.searchable[i]:
            continue
        got = sum(weight[w] for w in weight if w in t)
        if got and got >= WORDS_SHARE * total and len(wanted & t) >= min(2, len(wanted)):
            scored.append((got, i, c))
    return [c for _, _, c in sorted(scored, key=lambda x: (-x[0], x[1]))]


def dimension_list(corpus: Corpus, q: Question, mentions: list[Mention]) -> Answer | None:
    """The dimensions the documents a question names are assessed on, each cited where an
    overview page names it (else where a role document's section starts)."""
    paths = scope_paths(corpus, q, mentions)
    docs = [d for d in corpus.documents_sorted() if not paths or d.path in paths]
    shapes: dict[tuple[str, ...], int] = {}
    for d in docs:
        if d.dimensions:
            shapes[tuple(d.dimensions)] = shapes.get(tuple(d.dimensions), 0) + 1
    if not shapes:
        return None
    dims = max(shapes, key=lambda s: (shapes[s], len(s)))
    named = {_bare(c.plain): c for c in corpus.chunks if not c.level and (not paths or c.path in paths)}
    b = Builder()
    scope = join(sorted({d.track for d in docs})) if paths else "the role documents"
    b.line(f"The documents of {scope} set expectations in {len(dims)} dimensions:")
    for dim in dims:
        chunk = named.get(dim.lower()) or next(
            (c for d in docs for c in d.chunks if c.dimension == dim), None)
        if chunk is None:
            b.line(f"- {dim}")
        else:
            b.say(f"- {dim}", chunk)
    return b.build(q, found=bool(b.cited), intent="dimension")


def _bare(text: str) -> str:
    """A heading's words without emoji or punctuation, lower-case."""
    return " ".join(re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower()))


def unknown_role(corpus: Corpus, q: Question) -> str:
    """A role the question names that no document has ("an L3 data engineer"), or ""."""
    lex = lexicon(corpus)
    role_heads = {
        stem(words[-1]) for words in (re.findall(r"[a-z]+", d.role.lower()) for d in corpus.documents.values())
        if words
    }
    for m in q.mentions:
        if m.start == 0 or not m.words:
            continue
        own = set(m.words) - RANK_WORDS
        if not own or not own <= role_heads:
            continue
        prev = q.tokens[m.start - 1]
        s = stem(prev)
        if (prev in STOPWORDS or s in FILLER or prev in FILLER or prev in _DESCRIBING or s in lex.vocabulary
                or prev.isdigit() or len(prev) < 3 or re.fullmatch(r"l\d+(?:\.\d+)?", prev)):
            continue
        level = next((o.level for o in q.mentions if o.end == m.start - 1 and o.level), "")
        return " ".join(x for x in (level, prev, m.text) if x)
    return ""

