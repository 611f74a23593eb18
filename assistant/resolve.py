"""Reading a question: which role documents, levels, dimensions and attributes it names.

Roles and levels are resolved from natural phrasing against the names in the index, not a fixed
list: "L3", "level 3", "senior", "tech lead", "junior analyst", "security engineer". A *mention*
is a run of adjacent level or role words ("an L3 senior security engineer"); ``resolve`` turns one
into the role documents it can mean, best first:

1. documents at the level (``L1`` includes ``L1.0``) whose role and track words contain every
   role word mentioned (with a level and no such document: those sharing the most of the words);
2. a document whose role name is exactly the words mentioned wins ("security engineer" is the
   role called Security Engineer, not Senior Security Engineer);
3. otherwise documents whose names add no seniority word the question did not say are preferred
   ("principal" is Principal, not Senior Principal), and one document with the fewest unsaid
   words wins ("L3 security engineer" is Senior Security Engineer, not Senior Cloud ...).

More than one document left means the mention is ambiguous: the caller asks back.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from .corpus import Corpus, RoleDocument
from .text import STOPWORDS, stem

__all__ = [
    "ATTRIBUTE_CUES",
    "Lexicon",
    "Mention",
    "Question",
    "lexicon",
    "parse_question",
    "resolve",
]

_TOKEN = re.compile(r"[^\W_]+(?:\.\d+)?")
_LEVEL_TOKEN = re.compile(r"^l(\d+(?:\.\d+)?)$")
_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
    "nine": "9", "ten": "10",
}
#: Other ways to write a role word (stems on both sides).
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "tech": ("technical",),
    "eng": ("engineer",),
    "developer": ("engineer",),
    "dev": ("engineer",),
    "swe": ("softwar", "engineer"),
    "secop": ("security", "operation"),
    "secops": ("security", "operation"),
    "sec": ("security",),
    "mgr": ("manager",),
    "grad": ("graduat",),
    "sr": ("senior",),
    "jr": ("junior",),
    "principle": ("principal",),
    "leader": ("lead",),
}
#: Words that name seniority or a specialism: a document whose name has one the question did not
#: say is a weaker reading of the question.
RANK_WORDS = frozenset(
    stem(w)
    for w in "junior graduate associate intern senior staff lead principal distinguished manager director head "
    "chief".split()
)

#: Phrases that ask about one of the four attributes (matched on the lower-cased question).
ATTRIBUTE_CUES: dict[str, re.Pattern[str]] = {
    "planning_horizon": re.compile(
        r"\b(?:planning|thinking|time)\s+horizons?\b|\bhorizons?\b|\bhow\s+far\s+ahead\b|\b(?:plan|think)s?\s+ahead\b"
        r"|\btime\s*frames?\b"
    ),
    "impact_radius": re.compile(
        r"\bimpact\s+radius\b|\bradius\b|\bhow\s+many\s+people\b|\bwho\s+is\s+(?:affected|impacted)\b"
        r"|\bscope\s+of\s+impact\b|\bhow\s+wide\b"
    ),
    "evaluation": re.compile(
        r"\bevaluat\w*|\bappraise\w*|\bperformance\s+reviews?\b|\breviews?\s+(?:their|his|her|the)\s+performance\b"
        r"|\bwho\s+(?:assesses|judges|reviews|rates)\b|\bassess(?:es|ed)?\s+(?:their|the)?\s*performance\b"
    ),
    "autonomy": re.compile(
        r"\bautonom\w*|\bsupervis\w*|\bindependen\w*|\boversight\b|\bresponsibility\s+and\s+direction\b"
        r"|\bdirection\s+needed\b|\bhow\s+much\s+(?:direction|responsibility|guidance|help)\b"
    ),
}
#: Words that belong to an attribute question once the attribute is recognised ("how far ahead ... plan").
_ATTRIBUTE_WORDS = {
    "planning_horizon": frozenset("plan planning plans think thinking ahead far time horizon horizons long".split()),
    "impact_radius": frozenset("impact impacts radius people affected affect affects impacted wide scope".split()),
    "evaluation": frozenset("evaluate evaluates evaluated evaluation evaluating performance review reviews assess "
                            "assesses judge judges rates rate appraise appraises accountable accountability".split()),
    "autonomy": frozenset("autonomy autonomous supervision supervised supervise direction needed responsibility "
                          "independent independently independence oversight guidance help alone".split()),
}
_DIMENSION_SYNONYMS = {
    "technical skills": "domain expertise",
    "technical skill": "domain expertise",
    "tech skills": "domain expertise",
    "coaching": "teaching and mentoring",
    "knowledge sharing": "teaching and mentoring",
}
_EXAMPLE_CUE = re.compile(r"\bexamples?\b|\binstances?\b|\bfor\s+instance\b")
_EXPECTATION_CUE = re.compile(r"\bexpect\w*|\brequire\w*|\bsupposed\s+to\b|\bneeds?\s+to\b")

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


@dataclass(frozen=True, slots=True)
class Mention:
    """A run of adjacent level and role words in a question."""

    text: str
    words: tuple[str, ...]  # role-word stems, synonyms applied, in order
    level: str  # "L3", "L1.0" or ""
    start: int  # token positions [start, end)
    end: int


@dataclass(frozen=True, slots=True)
class Question:
    """What a question names, and the words nothing explains (what it asks about beyond that)."""

    text: str
    lower: str
    tokens: tuple[str, ...]
    mentions: tuple[Mention, ...]
    dimensions: tuple[str, ...]  # dimension names as the index spells them
    attributes: tuple[str, ...]  # normalised attribute keys
    kinds: tuple[str, ...]  # "expectation" and/or "example" when the question says so
    unexplained: tuple[str, ...]  # content words (as written, lower-case) nothing above accounts for

    @property
    def level_mentions(self) -> tuple[Mention, ...]:
        return tuple(m for m in self.mentions if m.level)


@dataclass(slots=True)
class Lexicon:
    """The names of one corpus, as word stems: built once per corpus."""

    role_words: dict[str, frozenset[str]] = field(default_factory=dict)  # path -> stems of the role name
    doc_words: dict[str, frozenset[str]] = field(default_factory=dict)  # path -> role + track stems
    vocabulary: frozenset[str] = frozenset()
    heads: frozenset[str] = frozenset()  # words that can carry a mention on their own
    dimensions: dict[str, frozenset[str]] = field(default_factory=dict)  # name -> stems


_LEXICONS: weakref.WeakKeyDictionary[Corpus, Lexicon] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def lexicon(corpus: Corpus) -> Lexicon:
    """The lexicon of ``corpus`` (cached while the corpus lives; the app asks from many threads)."""
    with _LOCK:
        lex = _LEXICONS.get(corpus)
        if lex is None:
            lex = _build_lexicon(corpus)
            _LEXICONS[corpus] = lex
        return lex


def _stems(text: str) -> list[str]:
    return [stem(w) for w in _TOKEN.findall(text.lower()) if w not in STOPWORDS]


def _build_lexicon(corpus: Corpus) -> Lexicon:
    lex = Lexicon()
    heads: set[str] = set(RANK_WORDS)
    for path, doc in corpus.documents.items():
        role = _stems(doc.role)
        track = _stems(doc.track)
        lex.role_words[path] = frozenset(role)
        lex.doc_words[path] = frozenset(role + track)
        if role:
            heads.add(role[-1])
        if track:
            heads.add(track[-1])
    lex.vocabulary = frozenset(w for words in lex.doc_words.values() for w in words)
    lex.heads = frozenset(heads & lex.vocabulary)
    lex.dimensions = {
        name: frozenset(s for s in _stems(name) if s not in STOPWORDS) for name in corpus.values["dimension"]
    }
    return lex


def _normalise(token: str) -> tuple[str, ...]:
    s = stem(token)
    return _SYNONYMS.get(token, _SYNONYMS.get(s, (s,)))


def _mentions(tokens: list[str], lex: Lexicon) -> list[Mention]:
    """Runs of level tokens and role words; a run needs a level or a head word to count."""
    out: list[Mention] = []
    i = 0
    while i < len(tokens):
        start = i
        level = ""
        words: list[str] = []
        while i < len(tokens):
            tok = tokens[i]
            m = _LEVEL_TOKEN.match(tok)
            if m and not level:
                level = "L" + m.group(1)
                i += 1
                continue
            if tok in ("level", "lvl") and i + 1 < len(tokens) and not level:
                num = _NUMBER_WORDS.get(tokens[i + 1], tokens[i + 1])
                if re.fullmatch(r"\d+(?:\.\d+)?", num):
                    level = "L" + num
                    i += 2
                    continue
            norm = _normalise(tok)
            if tok not in STOPWORDS and all(n in lex.vocabulary for n in norm):
                words.extend(norm)
                i += 1
                continue
            break
        if i == start:
            i += 1
            continue
        if level or any(w in lex.heads for w in words):
            out.append(Mention(" ".join(tokens[start:i]), tuple(dict.fromkeys(words)), level, start, i))
    return out


def _level_matches(doc: RoleDocument, level: str) -> bool:
    if "." in level:
        return doc.level.lower() == level.lower()
    try:
        return int(doc.level_num) == int(float(level[1:])) and doc.level_num >= 0
    except ValueError:
        return False


def resolve(
    mention: Mention, corpus: Corpus, *, prefer_track: str = "", dimension: str = ""
) -> tuple[RoleDocument, ...]:
    """The role documents ``mention`` can mean, best first (one when it is unambiguous).

    Args:
        mention: from ``parse_question``.
        corpus: the live corpus.
        prefer_track: keep only documents of this track when any of them fit (the other side of
            a comparison).
        dimension: keep only documents that have this dimension when any of them do.
    """
    lex = lexicon(corpus)
    docs = corpus.documents_sorted()
    if mention.level:
        docs = [d for d in docs if _level_matches(d, mention.level)]
    wanted = set(mention.words)
    if wanted:
        at_level = docs
        docs = [d for d in docs if wanted <= lex.doc_words[d.key]]
        if not docs and mention.level:
            # "L4 platform engineer" when the L4 of the Platform track is a Technical Lead: the documents
            # at that level sharing the most of the (non-seniority) words named
            shared = {d.key: len((wanted - RANK_WORDS) & lex.doc_words[d.key]) for d in at_level}
            most = max(shared.values(), default=0)
            docs = [d for d in at_level if most and shared[d.key] == most]
    if prefer_track and any(d.track == prefer_track for d in docs):
        docs = [d for d in docs if d.track == prefer_track]
    if dimension and any(dimension in d.dimensions for d in docs):
        docs = [d for d in docs if dimension in d.dimensions]
    if len(docs) <= 1 or not wanted:
        return tuple(docs)
    exact = [d for d in docs if lex.role_words[d.key] == wanted]
    if exact:
        return tuple(exact)
    unsaid_rank = {d.key: len((lex.role_words[d.key] & RANK_WORDS) - wanted) for d in docs}
    least = min(unsaid_rank.values())
    docs = [d for d in docs if unsaid_rank[d.key] == least]
    extra = {d.key: len(lex.role_words[d.key] - wanted) for d in docs}
    fewest = min(extra.values())
    best = [d for d in docs if extra[d.key] == fewest]
    return tuple(best) if len(best) == 1 else tuple(docs)


def merge(mentions: Iterable[Mention]) -> Mention | None:
    """Several mentions of one role ("security engineers ... at L3") read as one."""
    items = list(mentions)
    if not items:
        return None
    words = tuple(dict.fromkeys(w for m in items for w in m.words))
    level = next((m.level for m in items if m.level), "")
    return Mention(" ".join(m.text for m in items), words, level, items[0].start, items[-1].end)


def parse_question(question: str, corpus: Corpus) -> Question:
    """Find the mentions, dimensions, attributes and kinds a question names."""
    lower = question.lower().replace("’", "'")
    found = list(_TOKEN.finditer(lower))
    tokens = [m.group(0) for m in found]
    lex = lexicon(corpus)
    same_length = len(lower) == len(question)
    mentions = [
        replace(m, text=question[found[m.start].start() : found[m.end - 1].end()]) if same_length else m
        for m in _mentions(tokens, lex)
    ]
    explained: set[int] = {i for m in mentions for i in range(m.start, m.end)}

    attributes: list[str] = []
    explained_words: set[str] = set()
    for key, pattern in ATTRIBUTE_CUES.items():
        for match in pattern.finditer(lower):
            if key not in attributes:
                attributes.append(key)
            explained_words.update(_TOKEN.findall(match.group(0)))
    for key in attributes:
        explained_words.update(_ATTRIBUTE_WORDS[key])
    token_stems = [stem(t) for t in tokens]
    dimension_text = lower
    for phrase, target in _DIMENSION_SYNONYMS.items():
        dimension_text = re.sub(rf"\b{phrase}\b", target, dimension_text)
    dimension_stems = {stem(t) for t in _TOKEN.findall(dimension_text)}
    scored: list[tuple[int, str]] = []
    for name, stems in lex.dimensions.items():
        hits = stems & dimension_stems
        if hits:
            scored.append((len(hits), name))
            explained_words.update(t for t, s in zip(tokens, token_stems, strict=True) if s in hits)
            explained_words.update(w for p in _DIMENSION_SYNONYMS if p in lower for w in p.split())
    best = max((n for n, _ in scored), default=0)
    dimensions = tuple(name for n, name in scored if n == best)
    kinds = tuple(
        kind for kind, cue in (("expectation", _EXPECTATION_CUE), ("example", _EXAMPLE_CUE)) if cue.search(lower)
    )
    unexplained = tuple(
        dict.fromkeys(
            t
            for i, (t, s) in enumerate(zip(tokens, token_stems, strict=True))
            if i not in explained
            and t not in explained_words
            and t not in STOPWORDS
            and s not in FILLER
            and t not in FILLER
            and not t.isdigit()
            and len(t) > 1
        )
    )
    return Question(
        text=question,
        lower=lower,
        tokens=tuple(tokens),
        mentions=tuple(mentions),
        dimensions=dimensions,
        attributes=tuple(attributes),
        kinds=kinds,
        unexplained=unexplained,
    )
