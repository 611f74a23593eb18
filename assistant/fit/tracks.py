"""Which track (role family) a self-review is about, decided before its level.

Each statement votes for the track whose bullets match it best, by the margin it wins over the
best match in any other track. A statement that matches a bullet every track shares (mentoring,
knowledge sharing, "unglamorous work": near-duplicates across tracks) wins by next to nothing and so
barely votes; a statement about SIEM rules, error budgets or ticket queues wins by a lot. Words
that name one track only ("analyst", "reliability", "support", or an acronym such as SRE) in the
title line or an "as a ..." phrase add one strong vote. The shares of the votes are the track's
confidence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..results import TrackCall

#: A margin this large (cosine) is a decisive vote; margins are capped here so that one
#: statement cannot outvote many.
MAX_MARGIN = 0.15
#: What a track named in the title line (or "as a <role>") is worth, in decisive votes.
MENTION_VOTES = 2.0
#: A statement whose words (BM25) are found in one track only is worth this many votes.
LEXICAL_VOTE = 0.5


def shares(
    best_by_track: Sequence[Mapping[str, float]],
    qualities: Sequence[float],
    mentions: Mapping[str, float],
    tracks: Sequence[str],
    lexical: Sequence[Mapping[str, float]] = (),
) -> dict[str, float]:
    """Each track's share of the votes: ``best_by_track[s][t]`` is statement s's best similarity
    in track t; ``qualities[s]`` (0..1) how well s matches the framework at all; ``lexical[s][t]``
    statement s's best BM25 score in track t."""
    votes: dict[str, float] = {t: 0.0 for t in tracks}
    for words_best in lexical:
        scores = sorted(words_best.values(), reverse=True)
        if scores and scores[0] > 0:
            winner = max(words_best, key=lambda t: words_best[t])
            margin = (scores[0] - (scores[1] if len(scores) > 1 else 0.0)) / scores[0]
            votes[winner] = votes.get(winner, 0.0) + LEXICAL_VOTE * margin
    for best, quality in zip(best_by_track, qualities, strict=True):
        if not best or quality <= 0:
            continue
        ranked = sorted(best.items(), key=lambda kv: -kv[1])
        winner, top = ranked[0]
        runner = ranked[1][1] if len(ranked) > 1 else 0.0
        votes[winner] = votes.get(winner, 0.0) + quality * min(top - runner, MAX_MARGIN) / MAX_MARGIN
    for track, count in mentions.items():
        if track in votes:
            votes[track] += MENTION_VOTES * min(count, 2.0)
    total = sum(votes.values())
    if total <= 0:
        return {t: 1.0 / len(tracks) for t in tracks} if tracks else {}
    return {t: v / total for t, v in votes.items()}


def decide(
    best_by_track: Sequence[Mapping[str, float]],
    qualities: Sequence[float],
    mentions: Mapping[str, float],
    tracks: Sequence[str],
    lexical: Sequence[Mapping[str, float]] = (),
) -> TrackCall:
    """The track with the largest share of the votes, and the runner-up."""
    return call_of(shares(best_by_track, qualities, mentions, tracks, lexical))


def call_of(share: Mapping[str, float]) -> TrackCall:
    """The track call that ``shares`` make: the largest share, and the runner-up."""
    if not share:
        return TrackCall("", 0.0)
    ranked = sorted(share, key=lambda t: (-share[t], t))
    first = ranked[0]
    second = ranked[1] if len(ranked) > 1 else ""
    return TrackCall(first, share[first], second, share.get(second, 0.0))
