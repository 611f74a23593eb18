"""The similarity scale in words: how strong a match is, on one scale for every query."""

from __future__ import annotations

__all__ = ["PARTIAL_AT", "STRONG_AT", "strength"]

#: Words for how strong a match is, by similarity (cosine of the query and the bullet): at least
#: the first number is strong, at least the second partial, below it weak.
STRONG_AT = 0.55
PARTIAL_AT = 0.35


def strength(similarity: float) -> str:
    """``strong``, ``partial`` or ``weak``: a match's similarity in words (same scale for every query)."""
    return "strong" if similarity >= STRONG_AT else "partial" if similarity >= PARTIAL_AT else "weak"
