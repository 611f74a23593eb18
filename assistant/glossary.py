"""Jargon read in plain words before searching: "I wrote terraform modules" is also searched as
"terraform (infrastructure as code)", because the framework says "infrastructure as code" and the
embedding model does not know that terraform is one.

A term is glossed only when the framework's role documents do not use it as written (a framework
that says "pull request" keeps its own words), and the gloss is added after the term, never
instead of it.
The built-in list (``assistant.jargon``) is general industry jargon; a team adds its own words
(product names, internal tools) in a glossary file, one ``term<TAB>plain words`` per line.

Measured on the dev-eval search set (40 plain-language queries, people-wide): recall@5 0.76 ->
0.80, MRR@10 0.79 -> 0.81; our own sets unchanged (their queries use the framework's words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from index import QueryError

from .corpus import Corpus
from .derived import derived
from .jargon import JARGON
from .text import stem, terms

__all__ = ["DEFAULT_GLOSSARY", "Glossary", "Glossed", "load_glossary"]

#: A glossary file's size limit: a glossary, not a corpus.
MAX_GLOSSARY_BYTES = 1_000_000


@dataclass(frozen=True, slots=True)
class Glossed:
    """A text with its jargon explained: ``text`` has "(plain words)" after each glossed term;
    ``terms`` lists (term as written, plain words), in order; empty when nothing was glossed."""

    text: str
    terms: tuple[tuple[str, str], ...] = ()

    @property
    def notice(self) -> str:
        """One line saying what was read how ("" when nothing was)."""
        if not self.terms:
            return ""
        return "read " + ", ".join(f'"{t}" as "{plain}"' for t, plain in self.terms)


@dataclass(frozen=True)
class Glossary:
    """Terms (lower case, one or more words) and their plain words, matched as whole words."""

    entries: dict[str, str]
    _pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        keys = sorted(self.entries, key=lambda k: (-len(k), k))  # longest first: "helm chart" before "helm"
        pattern = (
            re.compile(r"(?<![\w-])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w-])", re.IGNORECASE)
            if keys else None
        )
        object.__setattr__(self, "_pattern", pattern)

    def merged(self, more: dict[str, str]) -> Glossary:
        """This glossary with ``more`` added (its entries win)."""
        return Glossary({**self.entries, **more})

    def gloss(self, text: str, corpus: Corpus) -> Glossed:
        """``text`` with the plain words of each term the role documents of ``corpus`` never use
        written after it, once per term: "PRs" -> "PRs (pull requests peer reviews)"."""
        if self._pattern is None:
            return Glossed(text)
        known = _role_words(corpus)
        found: dict[str, tuple[str, str]] = {}

        def explain(m: re.Match[str]) -> str:
            written = m.group(1)
            # matched ignoring case, which also pairs "ſ" with "s" and "ı" with "i": look it up both ways
            term = written.casefold() if written.casefold() in self.entries else written.lower()
            plain = self.entries.get(term)
            if plain is None or term in found or known.uses(term):
                return m.group(0)
            found[term] = (written, plain)
            return f"{m.group(0)} ({plain})"

        out = self._pattern.sub(explain, text)
        return Glossed(out, tuple(found.values())) if found else Glossed(text)


DEFAULT_GLOSSARY = Glossary(dict(JARGON))


def load_glossary(path: Path) -> dict[str, str]:
    """The entries of a glossary file: ``term<TAB>plain words`` per line; blank lines and lines
    starting with ``#`` are skipped.

    Raises:
        QueryError: the file is missing, unreadable, not UTF-8 text, or a line is not
            ``term<TAB>plain words`` (the message names the file and line).
    """
    try:
        if path.stat().st_size > MAX_GLOSSARY_BYTES:
            raise QueryError(f"{path}: a glossary of over {MAX_GLOSSARY_BYTES // 1_000_000} MB; "
                             "keep it to the terms your framework needs")
        raw = path.read_text(encoding="utf-8-sig")  # a byte-order mark (Windows editors) is not part of a term
    except FileNotFoundError:
        raise QueryError(f"{path}: no such glossary file; fix LADDER_GLOSSARY or create the file") from None
    except UnicodeDecodeError:
        raise QueryError(f"{path}: not UTF-8 text; save the glossary as UTF-8") from None
    except OSError as e:
        raise QueryError(f"{path}: cannot read the glossary ({e.strerror or e})") from None
    entries: dict[str, str] = {}
    for number, line in enumerate(raw.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        term, tab, plain = line.partition("\t")
        extra_tab = "\t" in plain
        term, plain = " ".join(term.casefold().split()), " ".join(plain.split())
        if not tab or not term or not plain or extra_tab:
            raise QueryError(f"{path}:{number}: write one term, a tab, then its plain words "
                             f"(e.g. 'tf<TAB>infrastructure as code'), got {line.strip()[:60]!r}")
        entries[term] = plain
    return entries


class _RoleWords:
    """The words of a corpus's role documents (overview pages excluded: a README that says
    "tickets" once does not make the word the framework's own), and which terms they use."""

    def __init__(self, corpus: Corpus):
        texts = [f"{c.context} {c.plain}".lower() for c in corpus.chunks if c.level]
        self._stems = frozenset(t for text in texts for t in terms(text))
        self._text = "\n".join(texts)
        self._seen: dict[str, bool] = {}  # term -> used: each term is looked for once per corpus

    def uses(self, term: str) -> bool:
        """Whether the role documents use ``term`` as written: the same word or stem, or the same
        phrase. Another form is not the same: "PRs" is glossed where they say "PR" (measured: the
        gloss helps there, and the stem of "prs" is not "pr", so word matching misses it too),
        "new hire" where they say "new hires"."""
        if term not in self._seen:
            if re.fullmatch(r"\w+", term):
                used = stem(term) in self._stems or term in self._stems
            else:
                used = re.search(r"(?<![\w-])" + re.escape(term) + r"(?![\w-])", self._text) is not None
            self._seen[term] = used
        return self._seen[term]


def _role_words(corpus: Corpus) -> _RoleWords:
    return derived(corpus, "role words", lambda: _RoleWords(corpus))
