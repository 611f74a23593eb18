"""Synthetic career frameworks of any size, recombined from a real one, for scale benchmarks.

    write_framework(Path("/tmp/fw"), chunks=10_000, corpus=DEFAULT_CORPUS)

The source framework is parsed with Ladder's own parser; its expectation and example bullets
are cut at a clause boundary ("..., ", " and ", " to " ...) into heads and tails, and new
bullets are a head of one sentence joined to the tail of another, with the track's domain
mixed in, so bullet texts are unique (a few per cent repeat across levels of a track, as in
real frameworks). Files have the usual structure: ``# L3: Senior X Engineer``, a summary
blockquote, four attribute bullets, four dimensions of expectation bullets each followed by
``<details>`` examples; each domain folder has a README overview. Generated at run time into
a temporary folder; never committed.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from index import parse_folder

DOMAINS = (
    "Payments", "Identity", "Search", "Billing", "Platform", "Data", "Mobile", "Messaging", "Growth",
    "Checkout", "Logistics", "Pricing", "Insights", "Storage", "Networking", "Observability", "Compliance",
    "Onboarding", "Marketplace", "Notifications", "Ledger", "Fraud", "Catalog", "Scheduling", "Support",
)
SPECIALTIES = (
    "Software", "Reliability", "Security", "Frontend", "Backend", "Machine-Learning", "Cloud", "Quality",
    "Analytics", "Infrastructure", "Integration", "Performance", "Developer-Experience", "Database",
    "Release",
)
LEVELS = (
    ("L1", "Junior {s} Engineer"),
    ("L2", "{s} Engineer"),
    ("L3", "Senior {s} Engineer"),
    ("L4", "Lead {s} Engineer"),
    ("L5", "Principal {s} Engineer"),
    ("L6", "Senior Principal {s} Engineer"),
)
DIMENSIONS = (
    "🦉 Domain Expertise", "🌱 Teaching and Mentoring", "🧭 Culture and Leadership", "🏆 Customer Success",
    "💼 Business Success", "🛠 Delivery", "🤝 Collaboration", "📣 Communication",
)
ATTRIBUTES = {
    "L1": ("This cycle", "Self", "Manager", "Daily supervision from their manager or more senior engineers."),
    "L2": ("Current and next cycle", "Self plus some team mates", "Manager",
           "Weekly supervision needed from their manager or more senior engineers."),
    "L3": ("Current and next cycle", "Peers (2-5)", "Manager",
           "Takes vertical slices of larger products from idea to production."),
    "L4": ("3-6 months", "Team", "Manager and Director",
           "Leads a team's technical delivery with limited supervision."),
    "L5": ("1 year", "Group", "Director", "Drives technical strategy for a group with minimal oversight."),
    "L6": ("1-2 years", "Organisation", "VP Engineering", "Sets strategy across teams with no direction needed."),
}
_CUT = re.compile(r",\s| and | to | by | so that | when | with | through | across | for | while ")
#: Chunks in one README (three overview paragraphs and the four dimension bullets).
_README_CHUNKS = 7


@dataclass(frozen=True, slots=True)
class Framework:
    """What ``write_framework`` wrote."""

    root: Path
    files: int
    chunks: int  # as generated; the parser's count is what the index reports
    tracks: int


class _Pieces:
    """Heads and tails of the source framework's bullets, and its summaries."""

    def __init__(self, corpus: Path):
        docs, _ = parse_folder([corpus])
        chunks = [c for d in docs for c in d.chunks]
        sentences = sorted({c.plain.strip().rstrip(".") for c in chunks if c.kind in ("expectation", "example")})
        self.heads: list[str] = []
        self.tails: list[str] = []
        for s in sentences:
            for m in _CUT.finditer(s):
                head, tail = s[: m.start()], s[m.start():]
                if len(head.split()) >= 3 and len(tail.split()) >= 2:
                    self.heads.append(head)
                    self.tails.append(tail)
                    break
        self.whole = [s for s in sentences if len(s.split()) >= 4]
        self.summaries = sorted({c.plain.strip("_ ").rstrip(".") for c in chunks if c.kind == "summary"})
        self.overview = [c.plain for c in chunks if c.kind == "overview" and len(c.plain.split()) > 12]
        if len(self.heads) < 20 or not self.summaries:
            raise SystemExit(f"{corpus}: too few bullets to recombine; pass --corpus with a real framework")


class _Sentences:
    """Unique recombined bullet texts."""

    def __init__(self, pieces: _Pieces, rng: random.Random):
        self.p = pieces
        self.rng = rng
        self.seen: set[str] = set()

    def make(self, domain: str) -> str:
        for attempt in range(50):
            head = self.rng.choice(self.p.heads)
            tail = self.rng.choice(self.p.tails)
            text = f"{head}{tail}"
            if self.rng.random() < 0.5:
                text = text.replace("my team", f"the {domain} team", 1).replace("customers", f"{domain} customers", 1)
            if attempt > 10:  # crowded: add a qualifier drawn from the domain
                text += f" for {domain.lower()} {self.rng.choice(SPECIALTIES).lower().replace('-', ' ')}"
            if text not in self.seen:
                self.seen.add(text)
                return text + "."
        return f"{self.rng.choice(self.p.whole)} ({domain} {len(self.seen)})."


def _role_file(level: str, title: str, dims: list[str], sentences: _Sentences, domain: str,
               earlier: list[str], rng: random.Random) -> tuple[str, int, list[str]]:
    horizon, radius, evaluation, autonomy = ATTRIBUTES[level]
    summary = rng.choice(sentences.p.summaries)
    lines = [
        f"# {level}: {title}", "", f"> _{summary}, in {domain}._", "",
        f"- **Planning horizon**: {horizon}",
        f"- **Impact radius**: {radius}",
        f"- **Evaluation**: {evaluation}",
        f"- **Responsibility and direction needed**: {autonomy}", "",
    ]
    chunks = 5
    expectations: list[str] = []
    for dim in dims:
        lines += [f"## {dim}", ""]
        for _ in range(rng.randint(3, 7)):
            # a few bullets repeat from a lower level of the same track, as real frameworks do
            text = rng.choice(earlier) if earlier and rng.random() < 0.04 else sentences.make(domain)
            expectations.append(text)
            lines.append(f"- {text}")
            chunks += 1
        lines += ["", "<details>", "<summary>Examples</summary>", ""]
        for _ in range(rng.randint(2, 5)):
            lines.append(f"- {sentences.make(domain)}")
            chunks += 1
        lines += ["", "</details>", ""]
    return "\n".join(lines), chunks, expectations


def write_framework(root: Path, chunks: int, corpus: Path, *, seed: int = 7) -> Framework:
    """Write a framework of about ``chunks`` chunks (never fewer) under ``root``."""
    rng = random.Random(seed)
    pieces = _Pieces(corpus)
    sentences = _Sentences(pieces, rng)
    total = files = 0
    tracks: dict[str, int] = defaultdict(int)
    combos = [(d, s) for s in SPECIALTIES for d in DOMAINS]
    index = 0
    while total < chunks:
        domain, specialty = combos[index % len(combos)]
        round_ = index // len(combos)
        index += 1
        name = f"{domain}-{specialty}" + (f"-{round_ + 1}" if round_ else "")
        folder = root / domain / name
        folder.mkdir(parents=True, exist_ok=True)
        if not (root / domain / "README.md").exists():
            paragraphs = rng.sample(pieces.overview, k=min(3, len(pieces.overview)))
            readme = [f"# {domain} Roles", "", *(f"{p}\n" for p in paragraphs),
                      "Each role is described in these dimensions:", "",
                      *(f"- {d}" for d in DIMENSIONS[:4]), ""]
            (root / domain / "README.md").write_text("\n".join(readme), encoding="utf-8")
            total += _README_CHUNKS
            files += 1
        dims = rng.sample(DIMENSIONS, k=4)
        earlier: list[str] = []
        human = specialty.replace("-", " ")
        for level, pattern in LEVELS:
            title = pattern.format(s=f"{domain} {human}")
            text, n, expectations = _role_file(level, title, dims, sentences, domain, earlier, rng)
            earlier.extend(expectations)
            (folder / f"{level}-{title.replace(' ', '-')}.md").write_text(text, encoding="utf-8")
            total += n
            files += 1
            tracks[name] += n
            if total >= chunks:
                break
    return Framework(root, files, total, len(tracks))


def queries(corpus: Path, n: int, *, seed: int = 11) -> list[str]:
    """``n`` search-box queries: 3-9 word windows of the source framework's bullets."""
    rng = random.Random(seed)
    pieces = _Pieces(corpus)
    out: list[str] = []
    while len(out) < n:
        words = rng.choice(pieces.whole).split()
        size = rng.randint(3, min(9, len(words)))
        start = rng.randint(0, len(words) - size)
        text = " ".join(words[start : start + size]).strip(",;:")
        out.append(text.lower() if rng.random() < 0.3 else text)
    return out


def fit_document(corpus: Path, statements: int = 20, *, seed: int = 13) -> str:
    """A self-review of ``statements`` first-person bullets taken from the source framework."""
    rng = random.Random(seed)
    mine = [s for s in _Pieces(corpus).whole if s.startswith("I ") and len(s.split()) >= 6]
    picked = rng.sample(mine, statements)
    return "## What I did this year\n" + "\n".join(f"- {s}." for s in picked)
