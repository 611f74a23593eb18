"""Scope signals: planning horizon, impact radius and autonomy, read from a self-review and from
a role document's attributes on the same scales, and how close the two are."""

from __future__ import annotations

import functools
import math
import re

from ..corpus import RoleDocument

_UNIT_MONTHS = {"day": 1 / 30, "week": 0.25, "sprint": 0.5, "cycle": 1.5, "month": 1.0,
                "quarter": 3.0, "year": 12.0}
_SPAN = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:\+|-|–|to)?\s*(\d+(?:\.\d+)?)?\s*\+?\s*(day|week|sprint|cycle|month|quarter|year)s?",
    re.I,
)
_NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())} | {"eighteen": 18}
_WORD_SPAN = re.compile(
    r"\b(?:this|current|next|a|one|the coming|following|whole|full)\s+(?:and next\s+)?"
    r"(day|week|sprint|cycle|month|quarter|year)s?\b",
    re.I,
)
_RADIUS = (  # (pattern, ordinal): self 0, peers 1, team 2, group/several teams 3, org 4, company 5
    (r"\b(company|whole business|entire business)\b|company-wide|across the company", 5.0),
    (r"\b(organi[sz]ation|department|r&d|engineering-wide|division)\b", 4.0),
    (r"\b(group|multiple teams|several teams|many teams|other teams|teams)\b|cross-team|multi-team", 3.0),
    (r"\bteam\b", 2.0),
    (r"\b(peers?|teammates?|team mates?|colleagues?|a few people)\b", 1.0),
    (r"\b(self|myself|my own)\b", 0.0),
)
_AUTONOMY = (  # 0 daily supervision ... 4 no direction needed
    (r"no direction|without (any )?(oversight|direction|supervision)|minimal oversight|set strategy", 4.0),
    (r"limited supervision|little (supervision|direction)|inception to production", 3.0),
    (r"independent(ly)?|on my own|idea to production|without help|vertical slices?", 2.0),
    (r"weekly (supervision|check-?ins?|guidance)|check(s|ing)? in (with me )?weekly|some support|with guidance"
     r"|\b(lead|senior|manager|mentor|buddy)\s+(still\s+)?(checks|reviews|signs off|approves)\b", 1.0),
    (r"daily (supervision|guidance|check-?ins?)|check(s|ing)? in (with me )?(daily|every day)|close supervision|"
     r"with help from"
     r"|\b(lead|manager|senior|mentor|buddy)\b[^.]{0,80}\b(syncs?|check[- ]?ins?|catch[- ]?ups?|1:1s?)\b"
     r"[^.]{0,20}\b(every (morning|day)|daily)\b", 0.0),
)


@functools.lru_cache(maxsize=4096)  # fit reads the same attribute texts for every document it scores
def horizon_months(text: str) -> float | None:
    """The longest planning horizon a text states, in months (``6-12 months`` -> 12)."""
    found: list[float] = []
    text = re.sub(
        r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen)\b",
        lambda m: str(_NUMBERS[m.group(1).lower()]), text, flags=re.I,
    )
    for m in _SPAN.finditer(text):
        value = float(m.group(2) or m.group(1))
        found.append(value * _UNIT_MONTHS[m.group(3).lower()])
    for m in _WORD_SPAN.finditer(text):
        unit = _UNIT_MONTHS[m.group(1).lower()]
        found.append(unit * (2 if "next" in m.group(0).lower() and "and" in m.group(0).lower() else 1))
    return max(found) if found else None


@functools.lru_cache(maxsize=4096)
def _ordinal(text: str, table: tuple[tuple[str, float], ...]) -> float | None:
    for pattern, value in table:
        if re.search(pattern, text, re.I):
            return value
    return None


def scope_signals(text: str) -> dict[str, float]:
    """Scope a text states: planning horizon (months), impact radius and autonomy (ordinals)."""
    out: dict[str, float] = {}
    months = horizon_months(text)
    if months is not None:
        out["planning_horizon"] = months
    radius = _ordinal(text, _RADIUS)
    if radius is not None and radius != 2.0:  # "my team" is said at every level
        out["impact_radius"] = radius
    autonomy = _ordinal(text, _AUTONOMY)
    if autonomy is not None:
        out["autonomy"] = autonomy
    return out


def document_scope(doc: RoleDocument) -> dict[str, float]:
    """The same scales read from a role document's attribute bullets."""
    attrs = doc.attributes
    out: dict[str, float] = {}
    if "planning_horizon" in attrs:
        text = attrs["planning_horizon"].plain
        months = horizon_months(text)
        if months is None and "cycle" in text.lower():
            months = _UNIT_MONTHS["cycle"]
        if months is not None:
            out["planning_horizon"] = months
    if "impact_radius" in attrs:
        text = attrs["impact_radius"].plain
        value = _ordinal(text, _RADIUS)
        if value is not None:
            out["impact_radius"] = value + (0.5 if value == 0.0 and "plus" in text.lower() else 0.0)
    if "autonomy" in attrs:
        value = _ordinal(attrs["autonomy"].plain, _AUTONOMY)
        if value is not None:
            out["autonomy"] = value
    return out


def scope_match(stated: dict[str, float], doc: RoleDocument) -> dict[str, float]:
    """Closeness (0..1) of each stated scope signal to the document's."""
    if not stated:
        return {}
    theirs = document_scope(doc)
    out = {}
    for key, value in stated.items():
        if key not in theirs:
            continue
        if key == "planning_horizon":
            out[key] = math.exp(-abs(math.log((value + 0.1) / (theirs[key] + 0.1))))
        else:
            out[key] = math.exp(-abs(value - theirs[key]))
    return out


