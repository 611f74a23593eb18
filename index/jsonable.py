"""Results -> JSON data, by one rule: a dataclass becomes a dict of its fields in order, tuples
and lists become lists, mappings stay mappings, and a nested value with its own ``to_json``
speaks for itself.

A result type writes ``def to_json(self): return to_json(self, ...)``; where its contract asks
for more, it says so with the options (scores rounded, derived fields added, empty ones left out)
rather than listing its fields again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping
from typing import Any

__all__ = ["to_json"]


def to_json(
    value: Any,
    *,
    digits: Mapping[str, int] | None = None,
    derived: Mapping[str, Any] | None = None,
    omit_empty: Collection[str] = (),
) -> Any:
    """``value`` (a dataclass) as JSON-ready data.

    Args:
        digits: fields whose float (or mapping of floats) is rounded to so many digits.
        derived: extra keys added after the fields (properties such as ``stale``).
        omit_empty: fields left out when their value is empty.
    """
    if not (dataclasses.is_dataclass(value) and not isinstance(value, type)):
        return _nested(value)
    data: dict[str, Any] = {}
    for f in dataclasses.fields(value):
        item = getattr(value, f.name)
        if f.name in omit_empty and not item:
            continue
        places = (digits or {}).get(f.name)
        if places is not None:
            item = {k: round(v, places) for k, v in item.items()} if isinstance(item, Mapping) else round(item, places)
        data[f.name] = _nested(item)
    data.update({k: _nested(v) for k, v in (derived or {}).items()})
    return data


def _nested(value: Any) -> Any:
    if hasattr(value, "to_json") and not isinstance(value, type):
        return value.to_json()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_json(value)
    if isinstance(value, tuple | list):
        return [_nested(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _nested(v) for k, v in value.items()}
    return value
