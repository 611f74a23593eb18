"""The names of one framework, as a question reader needs them: the words of every role
document's role, track and folders; the shortened names derived from them (acronyms and
contractions: "SRE", "SecOps"); the words a misspelled question word is corrected to; the
dimensions of the role documents. Built once per corpus and cached while it lives."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .corpus import Corpus
from .derived import derived
from .text import STOPWORDS, stem

__all__ = ["MANAGEMENT_WORDS", "RANK_WORDS", "Lexicon", "correct", "is_management_role", "lexicon"]

_TOKEN = re.compile(r"[^\W_]+(?:\.\d+)?")
_LOWER_WORD = re.compile(r"(?<![\w-])[a-z]+(?![\w-])")
#: Words that name seniority or a specialism: a document whose name has one the question did not
#: say is a weaker reading of the question.
RANK_WORDS = frozenset(
    stem(w)
    for w in "junior graduate associate intern senior staff lead principal distinguished manager director head "
    "chief".split()
)

#: Role-name words that make a role a management role (its own ladder beside the individual one).
MANAGEMENT_WORDS = frozenset(stem(w) for w in ("manager", "director", "head"))


def is_management_role(role: str) -> bool:
    """Whether a role name names a management role ("Support Manager", "Head of Support")."""
    return any(stem(w) in MANAGEMENT_WORDS for w in re.findall(r"[a-z]+", role.lower()))


@dataclass(slots=True)
class Lexicon:
    """The names of one corpus, as word stems: built once per corpus."""

    role_words: dict[str, frozenset[str]] = field(default_factory=dict)  # path -> stems of the role name
    doc_words: dict[str, frozenset[str]] = field(default_factory=dict)  # path -> role, track and folder stems
    vocabulary: frozenset[str] = frozenset()
    heads: frozenset[str] = frozenset()  # words that can carry a mention on their own
    dimensions: dict[str, frozenset[str]] = field(default_factory=dict)  # name -> stems
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "sre" -> stems of the name it shortens
    alias_names: dict[str, str] = field(default_factory=dict)  # "sre" -> "Site Reliability Engineer"
    spellings: frozenset[str] = frozenset()  # words a misspelled question word is corrected to
    spelling_stems: frozenset[str] = frozenset()
    group_heads: set[str] = field(default_factory=set)  # track words that name a group before "team", "people"...
    #: track -> the words of its name and folders that set it apart: in its name alone or in under
    #: half of the tracks' names, and no job title ("support", "cloud"; not "engineer", "analyst")
    track_domains: dict[str, frozenset[str]] = field(default_factory=dict)


def lexicon(corpus: Corpus) -> Lexicon:
    """The lexicon of ``corpus`` (``derived``: built once per corpus, i.e. per generation)."""
    return derived(corpus, "lexicon", lambda: _build_lexicon(corpus))


def _stems(text: str) -> list[str]:
    return [stem(w) for w in _TOKEN.findall(text.lower()) if w not in STOPWORDS]


def _folders(path: str) -> list[str]:
    """The folder names of a document's path, as words ("Security-Operations" -> "Security Operations")."""
    return [re.sub(r"[-_]+", " ", part) for part in path.split("/")[:-1]]


#: Shortened names are built from prefixes of this many letters of each word ("sec"+"op"+"s").
_PREFIX = range(2, 5)
#: Contractions (not acronyms) shorter than this read as ordinary words and are not names.
_CONTRACTION_MIN = 5


def _shortenings(name_words: list[str], *, acronym: bool = True) -> set[str]:
    """Acronyms and contractions of a name of two or more words, derived, not listed:
    Site Reliability Engineering -> "sre"; Security Operations -> "secop" (and "secops")."""
    if len(name_words) < 2:
        return set()
    out = {"".join(w[0] for w in name_words)} if acronym and len(name_words) >= 3 else set()
    parts: list[str] = [""]
    for w in name_words:
        parts = [p + w[:n] for p in parts for n in _PREFIX if n <= len(w)]
    # a short contraction reads as a word ("seen": SEcurity ENgineer, "sean", "soen"): five letters or more
    out.update(p for p in parts if len(p) >= _CONTRACTION_MIN)
    return {a for a in out if len(a) >= 3}


def _build_lexicon(corpus: Corpus) -> Lexicon:
    lex = Lexicon()
    heads: set[str] = set(RANK_WORDS)
    names: set[str] = set()
    stripped: set[str] = set()  # role names without their rank words ("Security Analyst Technical")
    for path, doc in corpus.documents.items():
        role = _stems(doc.role)
        track = _stems(doc.track)
        folders = [s for f in _folders(path) for s in _stems(f)]
        lex.role_words[path] = frozenset(role)
        lex.doc_words[path] = frozenset(role + track + folders)
        if role:
            heads.add(role[-1])
        if track:
            heads.add(track[-1])
        lex.group_heads.update(track)  # "the cloud team", "secops people"
        names.update([doc.role, doc.track, *_folders(path)])
        stripped.add(" ".join(w for w in doc.role.split() if stem(w.lower()) not in RANK_WORDS))
    lex.track_domains = _track_domains(corpus)
    lex.vocabulary = frozenset(w for words in lex.doc_words.values() for w in words)
    lex.heads = frozenset((heads & lex.vocabulary) - RANK_WORDS | (RANK_WORDS & lex.vocabulary))
    # only the dimensions of role documents are dimensions (not the headings of overview pages)
    role_dimensions = sorted({d for doc in corpus.documents.values() for d in doc.dimensions})
    lex.dimensions = {
        name: frozenset(s for s in _stems(name) if s not in STOPWORDS) for name in role_dimensions
    }
    plain_words = {w for c in corpus.chunks for w in _LOWER_WORD.findall(c.plain)}
    expansions: dict[str, set[tuple[str, ...]]] = {}
    for name in sorted(names | stripped, key=lambda n: (len(n), n)):
        name_words = [w for w in re.findall(r"[a-z0-9]+", name.lower()) if w not in STOPWORDS]
        # a stripped name that ends mid-name ("Security Analyst Technical") has no acronym ("sat")
        whole = name in names or bool(name_words) and stem(name_words[-1]) in lex.heads
        for short in _shortenings(name_words, acronym=whole):
            # a word the framework itself writes in lower case is that word ("set" is not the
            # Security Engineer Technical lead): only its names' shortenings are names
            if short in STOPWORDS or stem(short) in lex.vocabulary or short in plain_words:
                continue
            expansions.setdefault(short, set()).add(tuple(stem(w) for w in name_words))
            lex.alias_names.setdefault(short, name)
    # a shortening of several names means their common words ("sre": Site Reliability Engineer/-ing)
    for short, options in expansions.items():
        common = set.intersection(*(set(o) for o in options))
        first = min(options, key=lambda o: (len(o), o))
        if len({o[:-1] for o in options}) == 1 or len(options) == 1:
            lex.aliases[short] = tuple(w for w in first if w in common) or first
        else:
            lex.alias_names.pop(short, None)
    words: set[str] = set()
    for name in names | stripped | set(role_dimensions):
        words.update(w for w in re.findall(r"[a-z]+", name.lower()) if len(w) >= 5)
    lex.spellings = frozenset(words | _CUE_WORDS)
    lex.spelling_stems = frozenset(stem(w) for w in lex.spellings)
    return lex


def _track_domains(corpus: Corpus) -> dict[str, frozenset[str]]:
    words: dict[str, set[str]] = {}
    for path, doc in corpus.documents.items():
        if doc.track:
            named = re.findall(r"[a-z]+", " ".join([doc.track, *_folders(path)]).lower())
            words.setdefault(doc.track, set()).update(w for w in named if w not in STOPWORDS)
    # job titles: the last word of every role name, and the rank words (compared on 5 letters:
    # "management" is a title word as "manager" is)
    roles = [re.findall(r"[a-z]+", doc.role.lower()) for doc in corpus.documents.values()]
    titles = {stem(role[-1])[:5] for role in roles if role} | {w[:5] for w in RANK_WORDS}
    count: dict[str, int] = {}
    for ws in words.values():
        for w in ws:
            count[w] = count.get(w, 0) + 1
    return {
        t: frozenset(w for w in ws if (count[w] == 1 or 2 * count[w] < len(words)) and stem(w)[:5] not in titles)
        for t, ws in words.items()
    }


#: Words of the questions themselves that are worth correcting when misspelled.
_CUE_WORDS = frozenset(
    "expectations expected expectation examples example evaluates evaluated evaluation planning horizon impact "
    "radius responsibility direction difference between principal security engineer analyst manager "
    "technical mentoring teaching culture leadership domain expertise customer business success junior senior "
    "graduate".split()
)


def _close(a: str, b: str) -> bool:
    """One edit apart (insert, delete, replace, or swap two neighbours)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


def correct(token: str, lex: Lexicon) -> str:
    """``token``, or the one name or cue word it is a misspelling of ("enginer" -> "engineer")."""
    if len(token) < 5 or token in lex.spellings or token.isdigit() or stem(token) in lex.spelling_stems:
        return token
    plural = token.endswith("s")
    hits = {w for w in lex.spellings if _close(token, w)}
    if not hits and plural:
        hits = {w for w in lex.spellings if _close(token[:-1], w)}
    if len(hits) != 1:
        return token
    word = hits.pop()
    return word + "s" if plural and not _close(token, word) else word


