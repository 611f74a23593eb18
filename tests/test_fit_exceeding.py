"""Which level goes first when a lower level of the best document's track scores close behind
it: that level, exceeding (``_prefer_exceeding``), on hand-made scores (no model)."""

from __future__ import annotations

from assistant.corpus import RoleDocument
from assistant.fit import EXCEEDING_SHARE, UNSAID_SPECIALISM, _prefer_exceeding
from assistant.fit.family import unsaid_specialisms as _unsaid_specialisms


def _docs() -> dict[str, RoleDocument]:
    made = [
        RoleDocument(f"{track}/{level}.md", level, float(level[1:]), f"{track} {level}", track, level)
        for track in ("Support", "Cloud") for level in ("L1", "L2", "L3", "L4")
    ]
    return {d.path: d for d in made}


def _ranked(scores: dict[str, float]) -> list[str]:
    return sorted(scores, key=lambda p: -scores[p])


def test_a_lower_level_two_below_scoring_close_goes_first():
    scores = {"Support/L4.md": 1.0, "Support/L2.md": 0.9, "Support/L3.md": 0.5, "Support/L1.md": 0.3}
    assert _prefer_exceeding(_ranked(scores), _docs(), scores, gaps_named=0)[:2] == ["Support/L2.md", "Support/L4.md"]


def test_the_best_scoring_lower_level_is_chosen_not_the_nearest():
    scores = {"Support/L4.md": 1.0, "Support/L3.md": 0.85, "Support/L2.md": 0.95}
    assert _prefer_exceeding(_ranked(scores), _docs(), scores, gaps_named=0)[0] == "Support/L2.md"


def test_a_lower_level_further_behind_than_the_share_leaves_the_order():
    below = EXCEEDING_SHARE - 0.05
    scores = {"Support/L4.md": 1.0, "Support/L2.md": below, "Support/L3.md": below - 0.1}
    assert _prefer_exceeding(_ranked(scores), _docs(), scores, gaps_named=0) == _ranked(scores)


def test_named_gaps_or_another_track_leave_the_order():
    scores = {"Support/L4.md": 1.0, "Support/L2.md": 0.9}
    assert _prefer_exceeding(_ranked(scores), _docs(), scores, gaps_named=1) == _ranked(scores)
    other = {"Support/L4.md": 1.0, "Cloud/L2.md": 0.95}
    assert _prefer_exceeding(_ranked(other), _docs(), other, gaps_named=0) == _ranked(other)


def _role_doc(path: str, level: str, role: str, track: str) -> RoleDocument:
    return RoleDocument(path, level, float(level[1:]), role, track, f"{level} {role}")


def test_a_specialism_the_text_never_names_is_marked_unsaid():
    docs = {d.path: d for d in (
        _role_doc("sec.md", "L3", "Senior Security Engineer", "Security"),
        _role_doc("cloud.md", "L3", "Senior Cloud Security Engineer", "Security"),
        _role_doc("lead.md", "L4", "Lead Cloud Security Engineer", "Security"),  # another level: no sibling
        _role_doc("other.md", "L3", "Senior Cloud Security Engineer", "Platform"),  # another track
    )}
    assert _unsaid_specialisms(docs, "I review PRs for authz and crypto issues") == {"cloud.md": frozenset({"cloud"})}
    assert _unsaid_specialisms(docs, "I locked down our Cloud platform's IAM") == {}
    assert 0 < UNSAID_SPECIALISM < 1
