"""IC or people manager: what a self-review says of the writer, and how it picks between the two
ladders of one track (a Support Manager beside Support Engineers)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.corpus import RoleDocument
from assistant.fit import FAMILY_MISMATCH, GUIDES_ABOVE
from assistant.fit.family import below_guided, guided_words, says_family
from assistant.names import is_management_role

TRACKS = Path(__file__).resolve().parent / "fixtures" / "tracks"

MANAGER = """\
# L3: Support Manager

> _I lead a team of support engineers and make sure customers get fast, accurate help._

## Domain Expertise

- I own escalations from priority customers and make sure the right engineer takes them.
- I set the service level targets for my team and track them every week.

## Teaching and Mentoring

- I coach support engineers on handling difficult customer conversations.
- I hold regular one-to-ones with everyone on my team.
"""


@pytest.mark.parametrize("text, family", [
    ("I manage 7 support engineers across APAC and EU", "manager"),
    ("first year managing the two regional support managers", "manager"),
    ("- coached my direct reports through the reorg", "manager"),
    ("support, IC (no reports), year review", "ic"),
    ("I'm an individual contributor on the platform team", "ic"),
    ("was IC for the npm incident and coordinated the fix", ""),  # incident commander
    ("mentor the two support leads on running bigger projects", ""),
    ("managing our backlog and the release calendar", ""),
])
def test_what_the_writer_says_of_their_ladder(text: str, family: str) -> None:
    assert says_family(text) == family


def test_management_roles_are_read_from_the_role_name() -> None:
    assert [is_management_role(r) for r in ("Support Manager", "Head of Support", "Lead Support Engineer")] == [
        True, True, False]
    assert 0 < FAMILY_MISMATCH < 1


@pytest.fixture(scope="module")
def ladder(tmp_path_factory, real_embedder):
    from assistant import Settings, build_ladder

    root = tmp_path_factory.mktemp("family") / "tracks"
    shutil.copytree(TRACKS, root)
    (root / "Customer-Support" / "L3-Support-Manager.md").write_text(MANAGER, encoding="utf-8")
    store = tmp_path_factory.mktemp("store")
    lad = build_ladder(Settings(roles=(root,), store=store, auto_index=False, torch_threads=1),
                       embedder=real_embedder)
    lad.index()
    return lad


def test_saying_you_manage_people_puts_the_managers_ladder_clearly_first(ladder) -> None:
    text = ("I manage the support engineers in EMEA.\n"
            "- I run knowledge sharing sessions for the whole support organisation.\n"
            "- I spot trends across tickets and report recurring defects to engineering.\n"
            "- I design the ticket routing rules and the first-response targets.\n")
    ranking = ladder.fit(text).ranking
    assert ranking[0].role == "Support Manager"
    assert ranking[1].score <= 0.6  # the engineers' ladder, which its bullets match as well, keeps half its score


def test_saying_you_have_no_reports_keeps_the_individual_ladder(ladder) -> None:
    text = ("- individual contributor, no reports\n"
            "- I own escalations from priority customers and make sure the right engineer takes them.\n"
            "- I set the service level targets and track them every week.\n"
            "- I coach support engineers on difficult conversations.\n")
    # these bullets are the manager's words; without the writer's "no reports" the manager would fit best
    assert ladder.fit(text).best.role == "Senior Support Engineer"


@pytest.mark.parametrize("text, words", [
    ("mentor the two support leads on running bigger projects", {"the", "two", "support", "lead"}),
    ("I manage the 3 support managers plus our principal support engineer", {"the", "3", "support", "manager"}),
    ("coaching both senior analysts, one now leads incidents", {"both", "senior", "analyst"}),
    ("coached our newest support manager through her first 6 months", set()),  # a newcomer: a peer
    ("I mentor other principal engineers", set()),  # of one's own rank
    ("managed the incident end to end", {"the", "incident", "end"}),
])
def test_whom_the_writer_mentors_coaches_or_manages(text: str, words: set[str]) -> None:
    assert guided_words(text) == words


def test_only_phrases_that_end_in_a_role_word_name_people() -> None:
    people = frozenset({"senior", "support", "engineer", "lead", "manager", "analyst"})
    assert guided_words("managed senior stakeholders' expectations", people) == set()
    assert guided_words("coached two senior engineers", people) == {"two", "senior", "engineer"}


def test_documents_at_or_below_someone_the_writer_guides_are_marked() -> None:
    def doc(level: str, role: str, track: str = "Support") -> RoleDocument:
        return RoleDocument(f"{track}/{level}-{role}.md", level, float(level[1:]), role, track, role)

    made = [doc("L2", "Support Engineer"), doc("L3", "Senior Support Engineer"), doc("L4", "Lead Support Engineer"),
            doc("L4", "Support Manager"), doc("L5", "Principal Support Engineer"), doc("L5", "Senior Support Manager"),
            doc("L4", "Lead Cloud Engineer", "Cloud")]
    docs = {d.path: d for d in made}
    level_words = {
        "Support/L3-Senior Support Engineer.md": frozenset({"senior"}),
        "Support/L4-Lead Support Engineer.md": frozenset({"lead"}),
        "Support/L4-Support Manager.md": frozenset({"manager"}),
        "Support/L5-Principal Support Engineer.md": frozenset({"principal"}),
        "Support/L5-Senior Support Manager.md": frozenset({"senior", "manager"}),
        "Cloud/L4-Lead Cloud Engineer.md": frozenset({"lead"}),
    }
    marked = below_guided(docs, level_words, "I mentor the two support leads and a senior engineer")
    # above a lead (L4) in both tracks that have one; "senior" alone would only reach L3
    assert {docs[k].level for k in marked if docs[k].track == "Support"} == {"L2", "L3", "L4"}
    assert "Cloud/L4-Lead Cloud Engineer.md" in marked
    assert below_guided(docs, level_words, "I mentor new hires") == set()
    assert 0 < GUIDES_ABOVE < 1
