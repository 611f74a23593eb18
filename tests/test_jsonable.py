"""index.jsonable.to_json: the one rule that turns result dataclasses into JSON data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from index import to_json


@dataclass(frozen=True)
class Inner:
    name: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name.upper()}


@dataclass(frozen=True)
class Plain:
    x: int


@dataclass(frozen=True)
class Outer:
    score: float
    scores: dict[str, float]
    inner: Inner
    plain: Plain
    items: tuple[Plain, ...]
    notice: str = ""
    tags: list[str] = field(default_factory=list)

    @property
    def total(self) -> float:
        return self.score + sum(self.scores.values())


def test_fields_in_order_nested_values_speak_for_themselves() -> None:
    value = Outer(0.123456, {"a": 0.98765}, Inner("n"), Plain(1), (Plain(2), Plain(3)), tags=["t"])
    assert to_json(value) == {
        "score": 0.123456, "scores": {"a": 0.98765}, "inner": {"name": "N"}, "plain": {"x": 1},
        "items": [{"x": 2}, {"x": 3}], "notice": "", "tags": ["t"],
    }


def test_digits_derived_and_omitted() -> None:
    value = Outer(0.123456, {"a": 0.98765}, Inner("n"), Plain(1), ())
    data = to_json(value, digits={"score": 3, "scores": 2}, derived={"total": 1.5}, omit_empty=("notice", "items"))
    assert list(data) == ["score", "scores", "inner", "plain", "tags", "total"]
    assert (data["score"], data["scores"], data["total"]) == (0.123, {"a": 0.99}, 1.5)
    assert to_json(value, omit_empty=("notice",))["items"] == []
