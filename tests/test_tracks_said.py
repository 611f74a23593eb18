"""A query that names a track by its domain ("the support team", "SRE", "cloud") looks in that
track first (``understand.tracks_said``, ``retrieve.TRACK_BOOST``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.names import lexicon
from assistant.understand import tracks_said

DOCS = {
    "Support/L2-Support-Engineer.md": ("L2: Support Engineer", "I keep the status page current during incidents."),
    "Support/L3-Support-Manager.md": ("L3: Support Manager", "I run one-on-ones with every engineer."),
    "Cloud-Engineering/L2-Cloud-Engineer.md": ("L2: Cloud Engineer", "I update the status page during outages."),
    "Site-Reliability-Engineering/L2-Site-Reliability-Engineer.md": (
        "L2: Site Reliability Engineer", "I watch the error budget of every service."),
    "Security-Operations/Security-Analyst/L2-Security-Analyst.md": (
        "L2: Security Analyst", "I triage the alerts of the day."),
}


@pytest.fixture
def ladder(make_ladder, fake_embedder, tmp_path: Path):
    root = tmp_path / "framework"
    for path, (title, bullet) in DOCS.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(f"# {title}\n\n> _A role._\n\n## Domain Expertise\n\n- {bullet}\n", encoding="utf-8")
    ladder = make_ladder(root, fake_embedder)
    ladder.index()
    return ladder


def test_the_words_that_set_a_track_apart_are_its_domain(ladder):
    domains = lexicon(ladder.corpus()).track_domains
    assert domains == {
        "Support": {"support"},
        "Cloud Engineering": {"cloud"},
        "Site Reliability Engineering": {"site", "reliability"},
        # "security" and "operations" come from the folder; "analyst" is a job title
        "Security Analyst": {"security", "operations"},
    }


@pytest.mark.parametrize(("text", "tracks"), [
    ("making the support team feel safe to speak up", ("Support",)),
    ("k8s experience in the cloud team", ("Cloud Engineering",)),
    ("SRE learning from outages", ("Site Reliability Engineering",)),
    ("secops on call", ("Security Analyst",)),
    ("security and reliability reviews", ("Security Analyst", "Site Reliability Engineering")),
    # a verb, not the track
    ("I support our new hires", ()),
    ("supporting my team through a reorg", ()),
    # job titles are people the writer works with, not the writer's track
    ("together with the analysts I configured alerts", ()),
    ("mentoring junior engineers", ()),
    ("the weather is nice", ()),
    # every track named is no track named
    ("support, cloud, security and site reliability", ()),
])
def test_tracks_said(ladder, text: str, tracks: tuple[str, ...]):
    assert tracks_said(text, ladder.corpus()) == tracks


def test_a_named_track_comes_first_among_close_matches(ladder):
    from assistant.retrieve import search

    corpus = ladder.corpus()
    query = "the cloud team keeps the status page current during incidents"
    vector = ladder.embedder.embed_query(query)
    unnamed = search(query, corpus, ladder.store, vector, k=2)
    assert unnamed.results[0].track == "Support"  # the closer wording
    named = search(query, corpus, ladder.store, vector, k=2, tracks=("Cloud Engineering",))
    assert named.results[0].track == "Cloud Engineering"
    assert ladder.search(query, k=2).results[0].track == "Cloud Engineering"  # the service says which


def test_a_framework_of_two_tracks_has_a_domain_for_each(make_ladder, fake_embedder, tmp_path: Path):
    root = tmp_path / "two"
    for path, title in (("Support/L2-Support-Engineer.md", "L2: Support Engineer"),
                        ("Cloud/L2-Cloud-Engineer.md", "L2: Cloud Engineer")):
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        text = f"# {title}\n\n> _A role._\n\n## Domain Expertise\n\n- I do the work.\n"
        (root / path).write_text(text, encoding="utf-8")
    ladder = make_ladder(root, fake_embedder)
    ladder.index()
    assert lexicon(ladder.corpus()).track_domains == {"Support": {"support"}, "Cloud": {"cloud"}}
    assert tracks_said("the support team", ladder.corpus()) == ("Support",)
