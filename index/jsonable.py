"""Results -> JSON data, by one rule: a dataclass becomes a dict of its fields in order, tuples
and lists become lists, and a nested value with its own ``to_json`` speaks for itself.

A result type writes ``def to_json(self): return to_json(self)`` and, where its contract
differs (rounded scores, extra derived fields), adjusts the dict this returns.
"""

from __future__ import annotations

import dataclasses
from typing import Any

__all__ = ["to_json"]


def to_json(value: Any) -> Any:
    """``value`` as JSON-ready data (see the module docstring)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _nested(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return _nested(value)


def _nested(value: Any) -> Any:
    if hasattr(value, "to_json") and not isinstance(value, type):
        return value.to_json()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_json(value)
    if isinstance(value, tuple | list):
        return [_nested(v) for v in value]
    if isinstance(value, dict):
        return {k: _nested(v) for k, v in value.items()}
    return value
