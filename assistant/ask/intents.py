"""What a question asks for, by keywords first and by meaning second.

The keyword rules are a fast path for the usual wordings. When they find nothing (or to check
that a question is about something a career framework never states, such as pay or leave), the
question is embedded and compared with a handful of example phrasings per intent: the nearest
example's intent wins when it is close enough. The examples are written about career frameworks
in general, not about one framework's names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..corpus import Corpus
from ..derived import derived

__all__ = [
    "DEFINITION",
    "DIFFERENCE",
    "DIMENSION_LIST",
    "EXAMPLES",
    "MEANING_AT",
    "NEXT_LEVEL",
    "OUT_OF_SCOPE",
    "Reading",
    "by_meaning",
]

DIFFERENCE = re.compile(
    r"\bdiffer\w*|\bdiff\b|\bcompar\w*|\bversus\b|\bvs\b|\bcontrast\w*|\bwhat\s+changes\b|\bchanges?\s+(?:from|between)\b"
    r"|\bwhat's\s+new\b|\bwhat\s+is\s+new\b|\badded\b|\bdropped\b|\bstep\s+up\b|\bmove\s+up\b|\bgo(?:ing)?\s+from\b"
    r"|\b(?:get|move|grow|progress)(?:s|ing)?\s+from\b[^?]*\bto\b|\bpromot\w*|\bnext\s+level\b|\bfrom\s+l\d+(?:\.\d+)?\s+to\b"
    r"|\bgap\s+between\b|\bthat\s+(?:an?\s+)?[\w\s]{0,40}?(?:doesn'?t|don'?t|does\s+not|do\s+not|can'?t)\b"
    r"|\bgo(?:es|ing)?\s+past\b|\bbeyond\b\s+l\d|\bpick\s+(?:which|between)\b|\bchoose\s+between\b|\bor\b.*\bwhich\b"
)
NEXT_LEVEL = re.compile(r"\bnext\s+level\b|\blevel\s+up\b|\bpromot\w*|\bstep\s+up\b|\bmove\s+up\b")
DEFINITION = re.compile(
    r"\bmean(?:s|ing|t)?\b|\bdefin\w*|\bstand\s+for\b|\bwhat\s+(?:is|are)\b|\bwhat's\b|\bwho\s+are\b"
    r"|\bwhat\s+(?:do|does)\s+(?:an?\s+|the\s+)?[\w\s]+?\s+do\b|\bexplain\b|\bresponsible\s+for\b"
)
#: "What are the areas/dimensions ... assessed on?": the list of dimensions, not one of them.
DIMENSION_LIST = re.compile(
    r"\b(?:which|what)\s+(?:are\s+the\s+)?(?:\d+\s+|four\s+|five\s+|three\s+)?(?:areas|dimensions|categories|pillars"
    r"|aspects|sections|competenc\w+)\b|\b(?:areas|dimensions|categories)\s+(?:\w+\s+){0,4}?(?:assess|evaluat|judg|"
    r"measur|rat)\w*"
)
#: Topics career frameworks leave to other documents: a question about them is declined unless
#: the framework's own words answer it.
OUT_OF_SCOPE = re.compile(
    r"\bsalar\w*|\bpay\b|\bpaid\b|\bcompensation\b|\bbonus\w*|\bequity\b|\bstock\s+options?\b|\bwages?\b"
    r"|\bpto\b|\bvacation\w*|\bholidays?\b|\bleave\s+(?:days|policy|allowance)\b|\bparental\s+leave\b|\bsick\s+days?\b"
    r"|\bbenefits?\b|\bpension\b|\bhow\s+(?:long|many\s+(?:years|months))\s+(?:do|does|until|before|should|must|will)\b"
    r"|\btime\s+in\s+(?:level|role|grade)\b|\bremote\s+work\w*|\bwork\s+from\s+home\b|\boffice\s+days?\b|\brelocat\w*"
    r"|\bdress\s+code\b|\bcompany\s+car\b|\bperks?\b|\blaptops?\b|\bexpenses?\b|\btravel\s+budget\b"
    r"|\bwho\s+is\s+(?:the|our)\s+(?:current\s+)?(?:manager|head|ceo|cto|director|boss)\b"
    r"|\bprogramming\s+languages?\b"
)

#: Example phrasings per intent, compared by meaning with a question the keywords left open.
EXAMPLES: dict[str, tuple[str, ...]] = {
    "difference": (
        "what is the difference between a senior engineer and a lead engineer?",
        "how does the junior role differ from the mid-level role?",
        "what does a manager do that a technical lead does not?",
        "what changes when I move up to the next level?",
        "should I choose the platform ladder or the software ladder?",
        "how is one track different from the other track?",
    ),
    "definition": (
        "what does this term mean in the framework?",
        "what is a staff engineer responsible for?",
        "in a sentence, what does this role do?",
        "what does this acronym stand for?",
        "explain what the team is about",
    ),
    "attribute": (
        "how far ahead should they plan?",
        "how many people does their work affect?",
        "who evaluates their performance?",
        "how much supervision and direction do they need?",
    ),
    "dimension": (
        "what is expected of them in teaching and mentoring?",
        "what are the areas people are assessed on?",
        "what does the framework expect for culture and leadership at this level?",
    ),
    "fit": (
        "which level fits someone who leads projects across teams?",
        "what level would I be if I mentor others and own a service?",
    ),
    "not-covered": (
        "what is the salary range for this level?",
        "how much are engineers paid?",
        "how many days of holiday or paid time off do we get?",
        "how long do I have to stay at this level before I can be promoted?",
        "how many years until promotion to senior?",
        "do we get extra pay or a bonus for being on call?",
        "what benefits, pension or stock options come with the role?",
        "can I work remotely or from home?",
        "what is the dress code?",
        "which level gets a company car or other perks?",
        "who is the manager of this team right now?",
    ),
    "fact": (
        "which tools do they learn to use?",
        "which group owns these policies?",
        "what approach to delivery should they follow on projects?",
        "what should they be learning about besides the product?",
        "which standards do they help us meet?",
    ),
}
#: The least cosine similarity to an example for its intent to count.
MEANING_AT = 0.55


@dataclass(frozen=True, slots=True)
class Reading:
    """The intent nearest in meaning, how near, and the runner-up's similarity."""

    intent: str
    similarity: float
    margin: float


_Embed = Callable[[Sequence[str]], np.ndarray]
def _examples(embed: _Embed, owner: Corpus) -> tuple[list[str], np.ndarray]:
    """The examples' intents and unit vectors, embedded once per ``owner`` (the corpus: ``derived``)."""
    return derived(owner, "intent examples", lambda: _embedded_examples(embed))


def _embedded_examples(embed: _Embed) -> tuple[list[str], np.ndarray]:
    labels = [intent for intent, texts in EXAMPLES.items() for _ in texts]
    vectors = np.asarray(embed([t for texts in EXAMPLES.values() for t in texts]), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = (vectors / np.where(norms == 0, 1.0, norms)).astype(np.float32)
    return labels, vectors


def by_meaning(question: str, embed: _Embed | None, owner: Corpus) -> Reading | None:
    """The intent whose example phrasing is nearest ``question`` (None without an embedder)."""
    if embed is None:
        return None
    labels, vectors = _examples(embed, owner)
    query = np.asarray(embed([question]), dtype=np.float32)[0]
    norm = float(np.linalg.norm(query))
    if not norm or not len(vectors):
        return None
    sims = vectors @ (query / norm)
    best: dict[str, float] = {}
    for label, sim in zip(labels, sims.tolist(), strict=True):
        best[label] = max(best.get(label, -1.0), sim)
    ranked = sorted(best.items(), key=lambda kv: -kv[1])
    top, second = ranked[0], (ranked[1] if len(ranked) > 1 else ("", -1.0))
    return Reading(top[0], top[1], top[1] - second[1])
