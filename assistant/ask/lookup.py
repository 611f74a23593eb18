"""Questions about words no structure explains: answered only by bullets that contain all of them,
otherwise said plainly not to be in the documents, with the nearest bullets shown."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Literal, overload

from index import Chunk

from ..answers import Answer, label_of
from ..corpus import Corpus, RoleDocument
from ..derived import derived
from ..query import Mention, Question, resolve
from ..text import stem, terms
from .compose import Builder, bullet_text, join

if TYPE_CHECKING:
    from .context import AskContext

__all__ = ["GENERIC_SHARE", "MAX_HITS", "NEAREST", "chunk_terms", "lookup_answer", "not_covered"]

#: Lookups show at most this many bullets; unanswerable questions this many nearest ones.
MAX_HITS = 8
NEAREST = 3
#: A word found in more than this share of the role bullets is too common to answer a lookup alone.
GENERIC_SHARE = 0.1


def chunk_terms(corpus: Corpus) -> list[frozenset[str]]:
    """The stemmed words of every chunk (with its parent bullet's), in corpus order (``derived``)."""
    return derived(corpus, "chunk terms", lambda: [frozenset(terms(f"{c.context} {c.plain}")) for c in corpus.chunks])


def _scope(corpus: Corpus, q: Question, mentions: list[Mention]) -> tuple[list[RoleDocument], list[str]]:
    docs: dict[str, RoleDocument] = {}
    for m in mentions:
        for d in resolve(m, corpus):
            docs[d.key] = d
    return list(docs.values()), list(q.dimensions)


def _in_scope(chunk: Chunk, paths: set[str], dims: list[str], kinds: Sequence[str]) -> bool:
    return (
        (not paths or chunk.path in paths)
        and (not dims or chunk.dimension in dims)
        and (not kinds or chunk.kind in kinds)
    )


@overload
def lookup_answer(
    ctx: AskContext, corpus: Corpus, q: Question, mentions: list[Mention], *, strict: bool = False,
    or_none: Literal[False] = False,
) -> Answer: ...
@overload
def lookup_answer(
    ctx: AskContext, corpus: Corpus, q: Question, mentions: list[Mention], *, strict: bool = False,
    or_none: Literal[True],
) -> Answer | None: ...
def lookup_answer(
    ctx: AskContext, corpus: Corpus, q: Question, mentions: list[Mention], *, strict: bool = False,
    or_none: bool = False,
) -> Answer | None:
    """Bullets that contain every word the question asks about beyond the roles it names
    (``strict``: only those bullets; none found is a plain not-covered answer; ``or_none``: None
    when no bullet in scope holds them all, for the caller to try something else)."""
    wanted = {stem(w) for w in q.unexplained}
    if not wanted:
        return not_covered(ctx, corpus, q)
    docs, dims = _scope(corpus, q, mentions)
    paths = {d.path for d in docs}
    keys = {d.key for d in docs}  # one level of a file that may hold several
    all_terms = chunk_terms(corpus)
    hits = [
        c for c, t in zip(corpus.chunks, all_terms, strict=True)
        if wanted <= t and _in_scope(c, paths, dims, q.kinds) and (not keys or corpus.key_of(c) in keys)
    ]
    asked = " ".join(q.unexplained)
    if hits and _generic(corpus, wanted):
        return not_covered(ctx, corpus, q, scope=paths)
    if not hits:
        if or_none:
            return None
        if strict:
            return not_covered(ctx, corpus, q, scope=paths)
        if paths or dims:
            wider = [c for c, t in zip(corpus.chunks, all_terms, strict=True) if wanted <= t and c.level]
            if wider:
                b = Builder()
                scope = join([d.label for d in docs]) if docs else join(dims)
                b.line(f'The {scope} document{"s" if len(docs) > 1 else ""} do{"" if len(docs) > 1 else "es"} not '
                       f'mention "{asked}". Other role documents do:')
                _list_grouped(b, corpus, wider)
                return b.build(q, found=False, intent="not-covered")
        return not_covered(ctx, corpus, q, scope=paths)
    b = Builder()
    b.line(f'Where the documents mention "{asked}":')
    _list_grouped(b, corpus, hits)
    return b.build(q, found=True, intent="lookup")


def _generic(corpus: Corpus, wanted: set[str]) -> bool:
    """True when every word asked about is in more than ``GENERIC_SHARE`` of the role bullets: finding
    them ("team", "work") answers nothing."""
    all_terms = chunk_terms(corpus)
    role = [t for c, t in zip(corpus.chunks, all_terms, strict=True) if c.level]
    if not role:
        return False
    return all(sum(w in t for t in role) > GENERIC_SHARE * len(role) for w in wanted)


def _list_grouped(b: Builder, corpus: Corpus, chunks: list[Chunk]) -> None:
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
        where = join(list(dict.fromkeys(label_of(g) for g in group)))
        b.say(f"- {where}: {bullet_text(c)}", *group)
        shown += 1


def not_covered(ctx: AskContext, corpus: Corpus, q: Question, *, scope: Iterable[str] = ()) -> Answer:
    """The framework doesn't say: the nearest bullets (of the documents in ``scope`` first)."""
    b = Builder()
    b.line("The documents don't answer this.")
    paths = set(scope)
    response = ctx.search(q.text, k=30 if paths else NEAREST)
    nearest = [r for r in response.results if not paths or r.path in paths][:NEAREST]
    if not nearest and paths:
        nearest = list(response.results[:NEAREST])
    if nearest:
        b.line("The nearest bullets are:")
        for r in nearest:
            chunk = corpus.by_id.get(r.id)
            if chunk is not None:
                b.say(f"- {label_of(chunk)}: {bullet_text(chunk)}", chunk)
    return b.build(q, found=False, intent="not-covered")
