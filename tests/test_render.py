"""assistant.render: corpus text becomes inert Markdown; a FitReport becomes a Markdown file."""

from __future__ import annotations

import pytest

from assistant import render
from assistant.results import FitReport, Gap, RoleFit, StatementMatch


def test_escape_makes_every_markup_literal():
    hostile = "<script>alert(1)</script> :red[x] :smile: $x^2$ **b** [a](javascript:y)\n# h"
    assert render.escape(hostile) == (
        r"\<script\>alert\(1\)\<\/script\> \:red\[x\] \:smile\: \$x\^2\$ \*\*b\*\* "
        r"\[a\]\(javascript\:y\) \# h"
    )


def test_escape_keeps_letters_digits_and_unicode():
    assert render.escape("  Café  ‘quoted’  42 🦉 ") == "Café ‘quoted’ 42 🦉"


def test_badge_label_cannot_close_the_directive():
    assert render.badge("Domain] :red[x", "blue") == r":blue-badge[Domain\] \:red\[x]"


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("https://example.com/a?b=1", "https://example.com/a?b=1"),
        ("http://example.com", "http://example.com"),
        ("mailto:someone@example.com", "mailto:someone@example.com"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        ("data:text/html,<script>", None),
        ("file:///etc/passwd", None),
        ("../Leadership.md", None),
        ("//example.com/x", None),
        ("https:///nohost", None),
        ("https://exa mple.com", None),
        ("", None),
    ],
)
def test_safe_url(href, expected):
    assert render.safe_url(href) == expected


def test_highlight_marks_whole_words_case_insensitively():
    assert render.highlight("I mentor Juniors; mentoring isn't mentor's job.", ["mentor", "juniors"]) == (
        r"I :orange[**mentor**] :orange[**Juniors**]\; mentoring isn\'t mentor\'s job\."
    )


def test_highlight_escapes_text_around_matches_and_without_matches():
    assert render.highlight("<b>on-call</b>", ["call"]) == r"\<b\>on\-:orange[**call**]\<\/b\>"
    assert render.highlight("a_b", []) == r"a\_b"


def test_inline_keeps_emphasis_code_and_safe_links_only():
    source = (
        "I **lead** _well_ `co*de` [docs](<https://example.com/a b>) [rel](../L.md) "
        "[bad](javascript:alert(1)) ![img](https://x/y.png) <b>hi</b> :smile:"
    )
    assert render.inline(source) == (
        r"I **lead** _well_ `co*de` [docs](<https://example.com/a%20b>) rel "
        r"\[bad\]\(javascript\:alert\(1\)\) img \<b\>hi\<\/b\> \:smile\:"
    )


def test_inline_code_with_backticks_gets_a_longer_fence():
    assert render.inline("run ``a ` b``") == "run ``a ` b``"


def test_inline_link_text_is_escaped_and_mailto_kept():
    assert render.inline("[*me* <x>](mailto:me@example.com)") == r"[_me_ \<x\>](<mailto:me@example.com>)"


def test_plain_inline_drops_marks():
    assert render.plain_inline("**Planning horizon**: [six](https://x.y) `months`") == "Planning horizon: six months"


def _report(**changes) -> FitReport:
    l3 = RoleFit(
        level="L3", role="Senior Engineer", track="Platform", path="p/L3.md", score=2.5,
        dimensions={
            "Domain Expertise": (
                StatementMatch(0, "c1", "I lead incident response.", "expectation", "Domain Expertise", 0.81, 14),
                StatementMatch(0, "c2", "I run *on-call* well.", "example", "Domain Expertise", 0.6, 20),
            ),
            "Teaching": (StatementMatch(1, "c3", "I mentor juniors.", "expectation", "Teaching", 0.7, 27),),
        },
    )
    l4 = RoleFit("L4", "Tech Lead", "Platform", "p/L4.md", 1.25)
    values = dict(
        statements=("I led incident response for outages.", "I mentor two <juniors>."),
        ranking=(l3, l4),
        confidence="clear",
        confidence_note="L3 Senior Engineer fits best.",
        next_up=l4,
        gaps=(
            Gap("g1", "I set the roadmap.", "Domain Expertise", "p/L4.md", 12, 0.2),
            Gap("g2", "I grow leads.", "Teaching", "p/L4.md", 29, 0.1),
        ),
    )
    values.update(changes)
    return FitReport(**values)  # type: ignore[arg-type]


def test_fit_markdown_is_the_whole_report():
    assert render.fit_markdown(_report()) == """\
# Level fit

**Best fit: L3 Senior Engineer** (Platform track)

Confidence: A clear fit: one level stands out. L3 Senior Engineer fits best.

## Ranking

| # | Level | Role | Track | Score |
|---|---|---|---|---|
| 1 | L3 | Senior Engineer | Platform | 2.50 |
| 2 | L4 | Tech Lead | Platform | 1.25 |

## Evidence for L3 Senior Engineer

### Domain Expertise

- You wrote: “I led incident response for outages.”
  - matches (expectation, 0.81): I lead incident response. `p/L3.md:14`
  - matches (example, 0.60): I run \\*on-call\\* well. `p/L3.md:20`

### Teaching

- You wrote: “I mentor two \\<juniors\\>.”
  - matches (expectation, 0.70): I mentor juniors. `p/L3.md:27`

## What to grow into: L4 Tech Lead

Expectations of the next level that none of your statements covers yet:

### Domain Expertise

- I set the roadmap. `p/L4.md:12`

### Teaching

- I grow leads. `p/L4.md:29`

## Your statements

1. I led incident response for outages.
2. I mentor two \\<juniors\\>.
"""


def test_fit_markdown_without_next_level_or_gaps_and_with_a_notice():
    l3 = _report().ranking[0]
    text = render.fit_markdown(_report(ranking=(l3,), next_up=None, gaps=(), confidence="thin",
                                       confidence_note="", notice="only the first 200 statements were used"))
    assert "## What to grow into" not in text
    assert "Confidence: Not much to go on: too few statements matched the framework to be sure.\n" in text
    assert "\nNote: only the first 200 statements were used\n" in text
    covered = render.fit_markdown(_report(gaps=()))
    assert "## What to grow into: L4 Tech Lead\n\nYour statements already touch every expectation" in covered


def test_fit_markdown_escapes_block_markers_at_line_start():
    text = render.fit_markdown(_report(statements=("# not a heading", "1. not a list", "- nor this")))
    assert "1. \\# not a heading\n2. 1\\. not a list\n3. \\- nor this\n" in text


def test_fit_markdown_with_no_ranking():
    text = render.fit_markdown(_report(ranking=(), next_up=None, gaps=(), confidence="thin", confidence_note=""))
    assert text.startswith("# Level fit\n\nNo level matched these statements.\n")


def test_one_grouping_of_evidence_by_statement_and_gaps_by_dimension():
    m = [StatementMatch(i, f"c{n}", f"b{n}", "expectation", dim, 0.5, n)
         for n, (i, dim) in enumerate([(1, "A"), (0, "A"), (1, "A"), (7, "B")])]
    fit = RoleFit("L3", "Eng", "P", "p/L3.md", 1.0, dimensions={"A": tuple(m[:3]), "B": (m[3],), "C": ()})
    assert fit.by_statement(("first", "second")) == [
        ("A", "second", (m[0], m[2])), ("A", "first", (m[1],)), ("B", "", (m[3],)),  # 7: no such statement
    ]
    gaps = tuple(Gap(f"g{n}", "t", dim, "p/L4.md", n, 0.1) for n, dim in enumerate(["A", "A", "B", "A"]))
    report = _report(gaps=gaps)
    assert report.gaps_by_dimension() == [("A", gaps[:2]), ("B", gaps[2:3]), ("A", gaps[3:])]
    assert _report(gaps=()).gaps_by_dimension() == []
