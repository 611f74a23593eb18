"""Writing an answer: ``Builder`` keeps its lines and the chunks they cite (every sentence taken
from a document is followed by its citation ``[role | dimension | file:line]``, framing lines cite
nothing), small text helpers, and the answers that ask back or say a role is not covered."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from index import Chunk

from ..answers import Answer, Candidate, Citation, cite
from ..corpus import Corpus, RoleDocument
from ..query import Mention, Question, named_documents

__all__ = ["Builder", "ask_back", "ask_back_pair", "bullet_text", "join", "no_such_role", "quote"]


class Builder:
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


def bullet_text(chunk: Chunk) -> str:
    return f"{chunk.context} {chunk.plain}".strip() if chunk.context else chunk.plain


def join(labels: Sequence[str]) -> str:
    labels = list(labels)
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def quote(text: str) -> str:
    return f'"{text}"'


# -- asking back -------------------------------------------------------------------------------

def ask_back(q: Question, name: str, docs: Sequence[RoleDocument], *, intent: str) -> Answer:
    b = Builder()
    labels = [d.label for d in docs]
    b.line(f'"{name}" fits {len(docs)} role documents: {join(labels)}.')
    if docs:
        example = re.sub(re.escape(name), docs[0].label, q.text, count=1, flags=re.I)
        if example == q.text:
            example = f"{q.text.rstrip('?. ')} for {docs[0].label}?"
        example = re.sub(r"\b([Aa]) (?=[AEIOUaeiou]|L\d)", r"\1n ", example)
        b.line(f"Which one do you mean? Ask again with its full name, e.g. {quote(example)}")
    return b.build(q, found=False, intent=intent, candidates=docs)


def ask_back_pair(
    q: Question, *sides: tuple[Mention, Sequence[RoleDocument]]
) -> Answer:
    b = Builder()
    for mention, docs in sides:
        if len(docs) > 1:
            b.line(f'"{mention.text}" fits {len(docs)} role documents: {join([d.label for d in docs])}.')
    b.line("Which ones do you mean? Ask again naming both roles in full, e.g. "
           + quote(f"how does {sides[0][1][0].label} differ from {sides[1][1][0].label}?"))
    both = {d.key: d for _, docs in sides for d in docs}
    return b.build(q, found=False, intent="difference", candidates=both.values())


def no_such_role(corpus: Corpus, q: Question, name: str, mention: Mention | None = None) -> Answer:
    """The framework has no role document for ``name``: say so, with the documents of that name at
    other levels when there are some ("junior cloud engineer": Cloud Engineer starts at L2), else
    the levels and tracks the framework has."""
    b = Builder()
    near = named_documents(mention, corpus) if mention is not None else ()
    if near:
        b.line(f"The framework doesn't cover this: no role document in the index matches \"{name}\". "
               f"The role documents whose names have those words are: {join([d.label for d in near])}.")
        return b.build(q, found=False, intent="not-covered")
    levels = ", ".join(corpus.values["level"])
    every = ", ".join(sorted({d.track for d in corpus.documents.values()}))
    b.line(f"The framework doesn't cover this: no role document in the index matches \"{name}\". "
           f"The levels it holds are: {levels}; its tracks are: {every}.")
    return b.build(q, found=False, intent="not-covered")
