"""The everyday phrasing a question is read with: other ways to write role words and level
numbers, the phrases that ask about an attribute or a kind of bullet, other names of dimensions,
and the words a question may use without asking about anything (``FILLER``)."""

from __future__ import annotations

import re

from .text import stem

__all__ = [
    "ATTRIBUTE_CUES",
    "ATTRIBUTE_WORDS",
    "DIMENSION_SYNONYMS",
    "EXAMPLE_CUE",
    "EXPECTATION_CUE",
    "FILLER",
    "GROUP_NOUNS",
    "NUMBER_WORDS",
    "SYNONYMS",
]

#: Level numbers written as words ("level three").
NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
    "nine": "9", "ten": "10",
}
#: Other ways to write a role word (stems on both sides).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "tech": ("technical",),
    "eng": ("engineer",),
    "developer": ("engineer",),
    "dev": ("engineer",),
    "swe": ("softwar", "engineer"),
    "sec": ("security",),
    "mgr": ("manager",),
    "mgmt": ("manag",),
    "ops": ("operation",),
    "grad": ("graduat",),
    "sr": ("senior",),
    "jr": ("junior",),
    "principle": ("principal",),
    "leader": ("lead",),
}
#: Phrases that ask about one of the four attributes (matched on the lower-cased question).
ATTRIBUTE_CUES: dict[str, re.Pattern[str]] = {
    "planning_horizon": re.compile(
        r"\b(?:planning|thinking|time)\s+horizons?\b|\bhorizons?\b|\bhow\s+far\s+(?:ahead|out|forward|into)\b"
        r"|\b(?:plan|think)(?:s|ing)?\s+ahead\b|\btime\s*frames?\b|\bhow\s+far\b[^?]*\b(?:plan|think)\w*"
        r"|\bhow\s+(?:long|far)\s+(?:a\s+)?(?:term|range)\b"
    ),
    "impact_radius": re.compile(
        r"\bimpact\s+radius\b|\bradius\b|\bhow\s+many\s+people\b|\bwho\s+is\s+(?:affected|impacted)\b"
        r"|\bscope\s+of\s+impact\b|\bhow\s+wide\b|\bwhose\s+work\b|\bhow\s+many\s+(?:teams|others)\b"
        r"|\bwork\s+(?:\w+\s+){0,4}?(?:affect|touch|reach|impact)\w*|\bimpact\s+(?:\w+\s+){0,2}?have\b"
    ),
    "evaluation": re.compile(
        r"\bevaluat\w*|\bappraise\w*|\bperformance\s+reviews?\b|\breviews?\s+(?:their|his|her|the)\s+performance\b"
        r"|\bwho\s+(?:assesses|judges|reviews|rates)\b|\bassess(?:es|ed)?\s+(?:their|the)?\s*performance\b"
    ),
    "autonomy": re.compile(
        r"\bautonom\w*|\bsupervis\w*|\bindependen\w*|\boversight\b|\bresponsibility\s+and\s+direction\b"
        r"|\bdirection\s+needed\b|\bhow\s+much\s+(?:direction|responsibility|guidance|help|hand\W?holding)\b"
        r"|\bhand\W?holding\b|\bon\s+(?:their|my|his|her)\s+own\b|\bchecks?\s+in\b|\bhow\s+closely\b"
    ),
}
#: Words that belong to an attribute question once the attribute is recognised ("how far ahead ... plan").
ATTRIBUTE_WORDS = {
    "planning_horizon": frozenset("plan planning plans think thinking ahead far out forward time horizon horizons long "
                                  "term".split()),
    "impact_radius": frozenset("impact impacts radius people affected affect affects impacted wide scope whose "
                               "work touch touches reach reaches teams".split()),
    "evaluation": frozenset("evaluate evaluates evaluated evaluation evaluating performance review reviews assess "
                            "assesses judge judges rates rate appraise appraises accountable accountability".split()),
    "autonomy": frozenset("autonomy autonomous supervision supervised supervise direction needed responsibility "
                          "independent independently independence oversight guidance help alone hand holding own "
                          "checks check closely".split()),
}
DIMENSION_SYNONYMS = {
    "technical skills": "domain expertise",
    "technical skill": "domain expertise",
    "tech skills": "domain expertise",
    "coaching": "teaching and mentoring",
    "knowledge sharing": "teaching and mentoring",
}
EXAMPLE_CUE = re.compile(r"\bexamples?\b|\binstances?\b|\bfor\s+instance\b")
EXPECTATION_CUE = re.compile(r"\bexpect\w*|\brequire\w*|\bsupposed\s+to\b|\bneeds?\s+to\b")

#: Words a question may use without asking about anything the documents must contain.
FILLER = frozenset(
    stem(w)
    for w in """what whats what's tell me give show list describe explain expected expect expectation expectations
    example examples role roles level levels job position someone person need needs get do does have has be know
    like look looks mean means meaning required require requirement requirements should would could might must
    kind sort type please thing things main key typical typically usually framework document documents say says
    said according regard regarding area areas dimension dimensions s i'm im i me my work described description
    describes exactly actually really one ones us our we they them their someone's person's anyone anybody
    compared versus vs differ difference differences different compare comparison change changes changed
    between new added dropped from next up step move go going grow become promoted promotion progress
    define definition stand mean meaning word term terms cover covers covered mention mentions mentioned
    include includes included talk talks about relate related which who whom whose where when how much many
    there here any all every each either neither both other others same deal handle meant deliver contribute
    achieve demonstrate bring provide offer perform help responsible involve involves involved entail""".split()
)

#: Nouns after a track word that make it name a group of people ("the cloud team").
GROUP_NOUNS = frozenset("team teams track tracks ladder ladders people folks org organisation organization function "
                        "department group groups roles side".split())
