"""Many levels in one file, written as headings: which headings open a level, and its number.

Sibling headings (same depth, same parent) are one candidate ladder; ``index.layouts`` decides
whether their names are levels (:func:`~index.layouts.level_axis`) and how they are numbered,
so this module only groups headings and places sub-levels between their parents.
"""

from __future__ import annotations

from dataclasses import dataclass

from .layouts import LevelName, axis_numbers, level_axis, level_name, merged_order, strip_marks


@dataclass(frozen=True, slots=True)
class HeadingLevel:
    """A heading that opens a level: its name, ``level_num`` and depth (2 for ``##``)."""

    name: LevelName
    level_num: float
    depth: int


def heading_levels(headings: list[tuple[int, str]]) -> dict[int, HeadingLevel]:
    """Which headings open a level: ``{position in headings: HeadingLevel}``.

    Headings are grouped with their siblings (same depth, same parent heading). A group is a
    ladder when :func:`level_axis` says so; a ladder inside a level heading holds its
    sub-levels (``Senior Engineer`` -> ``Senior Engineer I``, ``II``), numbered between it
    and the next level (3 -> 3.1, 3.2).
    """
    parents: list[int | None] = []
    stack: list[int] = []
    for i, (depth, _) in enumerate(headings):
        while stack and headings[stack[-1]][0] >= depth:
            stack.pop()
        parents.append(stack[-1] if stack else None)
        stack.append(i)
    groups: dict[tuple[int | None, int], list[int]] = {}
    for i, (depth, _) in enumerate(headings):
        groups.setdefault((parents[i], depth), []).append(i)
    found: dict[int, HeadingLevel] = {}
    has_children = {p for p in parents if p is not None}

    def axis_of(members: list[int]) -> list[LevelName | None] | None:
        names = [headings[i][1] for i in members]
        found = level_axis(names)
        if found is not None or len(members) < 3 or not all(i in has_children for i in members):
            return found
        # sections built alike (each with its own sub-headings), two or more named as levels:
        # a ladder of roles in document order ("Software Engineer", "Senior Software Engineer",
        # "Team Lead", "Solution Architect")
        named = [level_name(n) for n in names]
        if sum(1 for n in named if n is not None) < 2:
            return None
        return [n or LevelName(strip_marks(name), None, None, "") for n, name in zip(named, names, strict=True)]

    axes = {key: axis_of(m) for key, m in groups.items()}
    in_axis = {i for key, m in groups.items() if axes[key] for i in m}

    def nested(i: int | None) -> bool:
        while i is not None:
            if i in in_axis:
                return True
            i = parents[i]
        return False

    ladders = [a for (parent, _), a in axes.items() if a and not nested(parent)]
    order = merged_order([[lv for lv in a if lv is not None] for a in ladders])
    for (parent, depth), members in sorted(groups.items(), key=lambda kv: kv[1][0]):
        if parent is not None and _inside_level(parent, parents, found) is not None and parent not in found:
            continue  # a ladder under a dimension of a level is not a ladder of its own
        axis = axes[(parent, depth)]
        if axis is None:
            continue
        picked = [(i, lv) for i, lv in zip(members, axis, strict=True) if lv is not None]
        numbers = axis_numbers([lv for _, lv in picked], order if parent is None or parent not in found else None)
        if parent is not None and parent in found:
            base = found[parent].level_num
            numbers = [base + (k + 1) / 10 if picked[k][1].number is None else numbers[k] for k in range(len(picked))]
        for (i, lv), num in zip(picked, numbers, strict=True):
            found[i] = HeadingLevel(lv, num, depth)
    return found


def _inside_level(i: int, parents: list[int | None], found: dict[int, HeadingLevel]) -> int | None:
    node: int | None = i
    while node is not None:
        if node in found:
            return node
        node = parents[node]
    return None
