"""Corpus text -> Markdown that is safe to show: escaping, highlighting, links, exports.

Role documents are untrusted. Everything the app shows from them goes through this module and
is rendered by ``st.markdown`` *without* ``unsafe_allow_html``:

- ``escape`` backslash-escapes every ASCII punctuation character, so no Markdown, HTML,
  maths (``$``), Streamlit directive (``:red[...]``) or emoji/icon shortcode (``:smile:``,
  ``:material/home:``) in the text takes effect (checked in Chromium: tests/test_browser.py);
- ``inline`` keeps a bullet's own emphasis, code and ``http(s)``/``mailto`` links, and turns
  every other link (``javascript:``, ``data:``, relative paths) and image into its text;
- ``highlight`` marks the words a search matched.

``fit_markdown`` writes a ``FitReport`` as a Markdown document for download.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

from index import plain_text, token_text

from .results import FitReport, RoleFit

__all__ = [
    "SAFE_SCHEMES",
    "badge",
    "escape",
    "fit_markdown",
    "highlight",
    "inline",
    "plain_inline",
    "safe_url",
]

#: Link schemes the app keeps clickable; everything else is shown as text.
SAFE_SCHEMES = ("http", "https", "mailto")

_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
_SPACE = re.compile(r"\s+")
_md = MarkdownIt("js-default")


def escape(text: str) -> str:
    """``text`` as literal Markdown for ``st.markdown``: whitespace collapsed, nothing active."""
    return _PUNCT.sub(r"\\\1", _SPACE.sub(" ", text).strip())


def badge(label: str, colour: str = "gray") -> str:
    """A Streamlit badge directive whose label is shown literally."""
    return f":{colour}-badge[{escape(label)}]"


def safe_url(href: str) -> str | None:
    """``href`` when it is an absolute http(s) or mailto link, else None."""
    href = href.strip()
    if not href or any(ch.isspace() or ord(ch) < 32 for ch in href):
        return None
    try:
        parts = urlsplit(href)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES:
        return None
    if parts.scheme.lower() != "mailto" and not parts.netloc:
        return None
    return href


def highlight(text: str, matched: Iterable[str]) -> str:
    """Escaped ``text`` with every whole-word, case-insensitive occurrence of ``matched`` marked."""
    words = sorted({w.lower() for w in matched if w.strip()}, key=len, reverse=True)
    if not words:
        return escape(text)
    text = _SPACE.sub(" ", text).strip()
    pattern = re.compile(r"(?<![\w'’])(" + "|".join(re.escape(w) for w in words) + r")(?![\w'’])", re.I)
    out: list[str] = []
    last = 0
    for m in pattern.finditer(text):
        out.append(_escape_part(text[last : m.start()]))
        out.append(f":orange[**{_escape_part(m.group(0))}**]")  # no background: its padding reads as a space
        last = m.end()
    out.append(_escape_part(text[last:]))
    return "".join(out)


def inline(source: str) -> str:
    """A bullet's source Markdown -> safe Markdown: emphasis, code and safe links kept."""
    tokens = _md.parseInline(_SPACE.sub(" ", source).strip())
    children = tokens[0].children or [] if tokens else []
    return _render(children).strip()


def plain_inline(source: str) -> str:
    """A bullet's source Markdown -> its visible text (no marks, links reduced to their text)."""
    return plain_text(source)


def _escape_part(text: str) -> str:
    return _PUNCT.sub(r"\\\1", text)


def _render(children: list[Token]) -> str:
    out: list[str] = []
    i = 0
    while i < len(children):
        token = children[i]
        kind = token.type
        if kind == "text" or kind == "html_inline":
            out.append(_escape_part(token.content))
        elif kind in ("softbreak", "hardbreak"):
            out.append(" ")
        elif kind == "code_inline":
            out.append(_code(token.content))
        elif kind in ("strong_open", "strong_close"):
            out.append("**")
        elif kind in ("em_open", "em_close"):
            out.append("_")
        elif kind in ("s_open", "s_close"):
            out.append("~~")
        elif kind == "image":
            out.append(_escape_part(token_text([token])))
        elif kind == "link_open":
            depth, j = 1, i + 1
            while j < len(children) and depth:
                depth += {"link_open": 1, "link_close": -1}.get(children[j].type, 0)
                j += 1
            label = _render(children[i + 1 : j - 1]).strip()
            url = safe_url(str(token.attrGet("href") or ""))
            if url and label:
                out.append(f"[{label}](<{_url(url)}>)")
            else:
                out.append(label)
            i = j
            continue
        i += 1
    return "".join(out)


def _code(content: str) -> str:
    # A code span shows its content literally; the fence must be longer than any run inside it.
    longest = max((len(r) for r in re.findall(r"`+", content)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if content.startswith("`") or content.endswith("`") else ""
    return f"{fence}{pad}{content}{pad}{fence}"


def _url(url: str) -> str:
    return _md.normalizeLink(url).replace("<", "%3C").replace(">", "%3E")


# -- Markdown export -------------------------------------------------------------------------

_EXPORT_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_EXPORT_BLOCK_START = re.compile(r"^(?:([#>+-])|(\d+)([.)]))")

CONFIDENCE_WORDS = {
    "clear": "A clear fit: one level stands out.",
    "split": "Split between levels: the evidence points to more than one.",
    "thin": "Not much to go on: too few statements matched the framework to be sure.",
    "track unclear": "Unsure of the role family: the work reads like two tracks; pick yours to be sure.",
}


def _md_text(text: str) -> str:
    """Light escaping for the exported document: readable as text, inert as Markdown."""
    text = _EXPORT_SPECIAL.sub(r"\\\1", _SPACE.sub(" ", text).strip())
    return _EXPORT_BLOCK_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text)


def _source(path: str, line: int) -> str:
    return f"`{path}:{line}`" if line else f"`{path}`"


def _evidence_lines(fit: RoleFit, statements: tuple[str, ...]) -> list[str]:
    lines: list[str] = []
    dimension = None
    for dim, said, matches in fit.by_statement(statements):
        if dim != dimension:
            dimension = dim
            lines += ["", f"### {_md_text(dimension or 'Other')}", ""]
        lines.append(f"- You wrote: “{_md_text(said)}”")
        for m in matches:
            lines.append(
                f"  - matches ({m.kind}, {m.similarity:.2f}): {_md_text(m.text)} "
                f"{_source(fit.path, m.line)}"
            )
    return lines


def fit_markdown(report: FitReport, title: str = "Level fit") -> str:
    """The whole fit as a Markdown document: for a promotion packet or a 1:1."""
    lines = [f"# {_md_text(title)}", ""]
    best = report.best
    if best is None:
        lines += ["No level matched these statements.", ""]
    else:
        lines += [f"**Best fit: {_md_text(best.label)}** ({_md_text(best.track)} track)", ""]
    words = CONFIDENCE_WORDS.get(report.confidence, report.confidence)
    lines.append(f"Confidence: {words}" + (f" {_md_text(report.confidence_note)}" if report.confidence_note else ""))
    if best is not None and report.band:
        lines += ["", f"Band: {_md_text(report.band.band)} ({_md_text(report.band.note)})"]
    if report.notice:
        lines += ["", f"Note: {_md_text(report.notice)}"]
    if report.ranking:
        lines += ["", "## Ranking", "", "| # | Level | Role | Track | Score |", "|---|---|---|---|---|"]
        for n, fit in enumerate(report.ranking, 1):
            lines.append(
                f"| {n} | {_md_text(fit.level)} | {_md_text(fit.role)} | {_md_text(fit.track)} | {fit.score:.2f} |"
            )
    if best is not None:
        lines += ["", f"## Evidence for {_md_text(best.label)}"]
        evidence = _evidence_lines(best, report.statements)
        lines += evidence or ["", "No statement matched a bullet of this level."]
    if report.next_up is not None:
        lines += ["", f"## What to grow into: {_md_text(report.next_up.label)}", ""]
        if report.gaps:
            lines.append("Expectations of the next level that none of your statements covers yet:")
            for dimension, gaps in report.gaps_by_dimension():
                lines += ["", f"### {_md_text(dimension or 'Other')}", ""]
                lines += [f"- {_md_text(gap.text)} {_source(gap.path, gap.line)}" for gap in gaps]
        else:
            lines.append("Your statements already touch every expectation of the next level.")
    for inherited in report.inherited:
        lines += ["", f"## Also expected of you, from {_md_text(inherited.source)}", ""]
        lines += [f"- {_md_text(text)}" for text in inherited.expectations]
    lines += ["", "## Your statements", ""]
    lines += [f"{n}. {_md_text(s)}" for n, s in enumerate(report.statements, 1)] or ["(none)"]
    return "\n".join(lines) + "\n"
