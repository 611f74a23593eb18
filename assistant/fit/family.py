"""Individual contributor or people manager: what the text says of the writer, and which role
documents are management roles (from their names), for frameworks whose IC and manager ladders
share a track (Support engineers and Support managers in one folder)."""

from __future__ import annotations

import re

from ..corpus import RoleDocument
from ..names import is_management_role

_MANAGES = re.compile(
    r"\bI\s+(?:manage|line[- ]manage)\b|\bmy\s+(?:direct\s+)?reports\b"
    r"|\bmanag(?:e|ing)\s+(?:(?:the|a|my|our)\s+)?(?:\w+\s+){0,3}?(?:teams?|managers|people|engineers|analysts)\b",
    re.I,
)
_IC = re.compile(r"\bindividual contributor\b|\bno\s+(?:direct\s+)?reports\b|\bnot\s+a\s+(?:people\s+)?manager\b", re.I)


def says_family(text: str) -> str:
    """"manager" when the writer says they manage people, "ic" when they say they do not, ""
    when the text says neither (or both)."""
    manages, ic = bool(_MANAGES.search(text)), bool(_IC.search(text))
    if manages == ic:
        return ""
    return "manager" if manages else "ic"


def is_management(doc: RoleDocument) -> bool:
    """Whether the document's role is a management role ("Support Manager", "Head of ...")."""
    return is_management_role(doc.role)
