"""Which lines of a self-review are evidence of work done, and which are not.

A title line ("Self-review, H2 - SRE, Platform team"), plans for the future ("next half I want to
start mentoring"), gaps the writer names ("haven't led a project yet") and filler ("overall a good
year") say nothing about what the person did, so they are not matched against the framework's
bullets. The report lists them with the reason. Title lines and named gaps are still read: a title
often says who the writer is (``headline``), and named gaps are a sign of a level not yet fully
delivered (``gaps``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..results import IgnoredLine
from ..text import STOPWORDS, split_statements, words

#: Reasons a statement is not evidence.
TITLE = "a title line, not something you did"
PLAN = "a plan for the future, not something you did"
GAP = "names something not done yet"
FILLER = "too little to match"

_FIRST_PERSON_CLAUSE = re.compile(r"\b(i|i'm|i've|we|we've)\s+\w+", re.I)
_PLAN = re.compile(
    r"\b(next (half|year|quarter|cycle|sprint|period|review)\b.*\b(want|plan|hope|aim|like|goal|going)"
    r"|i (want|plan|hope|intend|aim|would like|'d like) to"
    r"|i'?m (planning|hoping|aiming) to|i'?m going to|going forward i|looking forward to"
    r"|(my|our) (goals?|plans?|aims?) (for|is|are)|goals? for next|i'll (start|begin|try|be)"
    r"|^\W*(want|plan|hope|intend|aim|would like|'d like) to\b"  # the subject left out: "want to start ..."
    r"|\b(want|plan|hope|aim|like|goal|going) to\b.*\bnext (half|year|quarter|cycle|sprint|period|review)\b)",
    re.I,
)
_GAP = re.compile(
    r"\b(ha(ve|s)n'?t|have not|has not|not yet|never|still (need|have) to|need to get better|"
    r"don'?t yet|do not yet|can'?t yet|yet to|still (rely|lean|need)|checks? in a lot|\bnot\b[^.;]{1,40}\byet|"
    r"not (really )?(comfortable|confident)|struggl\w*)\b",
    re.I,
)
_TITLE_WORDS = re.compile(
    r"^\W*(self[- ]?review|review|annual|mid-?year|end[- ]of[- ]year|h[12]|q[1-4]|fy\s?\d+|\d{4}|"
    r"performance|status|brag|summary|notes?)\b",
    re.I,
)
_MIN_CONTENT_WORDS = 3
#: Words that say how it went, not what was done: a line of only these is filler.
_VAGUE = frozenset(
    "good great overall year half quarter stuff things thing lot lots busy fun thanks solid nice fine "
    "really pretty very well bit hard tough interesting learned progress happy proud exciting".split()
)


@dataclass(frozen=True, slots=True)
class Evidence:
    """A self-review split into the statements to match and what was left out."""

    statements: tuple[str, ...]
    ignored: tuple[IgnoredLine, ...] = ()
    #: The title line, if any: read for who the writer says they are, never matched.
    headline: str = ""

    @property
    def gaps(self) -> int:
        """How many lines name something the writer has not done yet."""
        return sum(1 for i in self.ignored if i.reason == GAP)


#: Who a clause is about when it is not the writer: "they'd never shipped", "a new hire was struggling".
_SOMEONE_ELSE = re.compile(
    r"\b(they|they'd|they're|he|she|someone|everyone|nobody|people|(?:the|a|one|our|my|two|new)\s+"
    r"(?:\w+\s+)?(?:team|hire|engineer|engineers|analyst|customer|customers|junior|person|member))\b",
    re.I,
)


def _names_a_gap(statement: str) -> bool:
    """Whether the line says the writer has not done something yet ("haven't mentored anyone"):
    a gap word not preceded by something the writer did ("I led X, haven't ...") nor said of
    someone else ("helped the data team ship, they'd never ...")."""
    found = _GAP.search(statement)
    if not found:
        return False
    before = statement[: found.start()]
    if _FIRST_PERSON_CLAUSE.search(before):
        return False
    clause = re.split(r"[,;:]|\b(?:and|but|when|because|so|after|which)\b", before)[-1]
    return not _SOMEONE_ELSE.search(clause)


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS and len(w) > 1]


def _is_title(line: str) -> bool:
    """A heading-like first line: no bullet, short, and no "I did ..." clause."""
    if _FIRST_PERSON_CLAUSE.search(line):
        return False
    n = len(words(line))
    return n <= 14 and (bool(_TITLE_WORDS.match(line)) or n <= 10 or "," in line or "(" in line)


def classify(text: str, limit: int = 200) -> Evidence:
    """Split ``text`` into statements and set aside the ones that are not evidence."""
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    headline = ""
    if first and not re.match(r"^([-*+•]|\d+[.)])\s", first) and not first.startswith("#"):
        headline = first if _is_title(first) else ""
    elif first.startswith("#"):
        headline = first.lstrip("#").strip()
    kept: list[str] = []
    ignored: list[IgnoredLine] = []
    for i, statement in enumerate(split_statements(text, limit=limit)):
        reason = ""
        if headline and i == 0 and headline.startswith(statement[:40]) and not first.startswith("#"):
            reason = TITLE
        elif _PLAN.search(statement):
            reason = PLAN
        elif _names_a_gap(statement):
            reason = GAP
        elif len(content_words(statement)) < _MIN_CONTENT_WORDS or set(content_words(statement)) <= _VAGUE:
            reason = FILLER
        if reason:
            ignored.append(IgnoredLine(statement, reason))
        else:
            kept.append(statement)
    if not kept and ignored:  # never leave nothing to fit: use what there is
        kept = [i.text for i in ignored if i.reason != TITLE] or [i.text for i in ignored]
        ignored = [i for i in ignored if i.text not in kept]
    return Evidence(tuple(kept), tuple(ignored), headline)
