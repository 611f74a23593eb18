"""The benchmark query sets: JSON lines in ``benchmarks/data/``, resolved to chunk ids through a corpus.

Each line is ``{"id", "type", "query", "relevant": [{"path", "text"}], "level"?, "role"?, "note"?}``.
``type`` is "work" (something someone did; the answers are specific bullets), "topic" (a search
box topic) or "person" (a whole-person description; the answer is a level and often a role).
Relevant bullets are named by their file (relative to the indexed root) and a distinctive
substring of their text, never by chunk id, so the set survives changes to parsing and ids.
``resolve`` fails loudly, listing every reference that matches no chunk or more than one, so a
set that has drifted from the corpus cannot quietly score zero.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.corpus import Corpus
from index.documents import level_number

DATA = Path(__file__).resolve().parent / "data"
SETS = {"dev": DATA / "search.jsonl", "heldout": DATA / "search_heldout.jsonl"}
TYPES = ("work", "topic", "person")


class QuerySetError(Exception):
    """A query set is malformed or no longer matches the corpus."""


@dataclass(frozen=True, slots=True)
class Query:
    """One benchmark query with its relevant bullets resolved to chunk ids."""

    id: str
    set: str
    type: str
    query: str
    relevant: tuple[str, ...] = ()
    level: str = ""
    role: str = ""
    note: str = ""

    @property
    def level_num(self) -> int:
        return level_floor(self.level)


def level_floor(level: str) -> int:
    """``L3`` -> 3 and ``L1.0`` -> 1: maturities inside a level count as that level; -1 for none."""
    value = level_number(level)
    return int(value) if value >= 0 else -1


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The raw JSON objects of a query-set file, with line numbers checked for syntax."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise QuerySetError(f"{path}:{number}: not JSON ({exc})") from None
        row["_line"] = number
        rows.append(row)
    return rows


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).lower()


def resolve(rows: list[dict[str, Any]], corpus: Corpus, set_name: str, source: str = "") -> list[Query]:
    """Rows -> ``Query`` objects whose relevant bullets are chunk ids of ``corpus``.

    A reference matches a chunk of its ``path`` whose plain or source text contains ``text``
    (case and spacing ignored). It must match exactly one chunk.

    Raises:
        QuerySetError: listing every problem found, not just the first.
    """
    by_path: dict[str, list[Any]] = {}
    for chunk in corpus.chunks:
        by_path.setdefault(chunk.path, []).append(chunk)
    levels = {level_floor(v) for v in corpus.values["level"]}
    roles = set(corpus.values["role"])
    problems: list[str] = []
    seen: set[str] = set()
    out: list[Query] = []
    for row in rows:
        where = f"{source or set_name}:{row.get('_line', '?')} ({row.get('id', '?')})"
        qid, qtype, text = row.get("id"), row.get("type"), row.get("query", "")
        if not qid or qid in seen:
            problems.append(f"{where}: missing or duplicate id")
        seen.add(str(qid))
        if qtype not in TYPES:
            problems.append(f"{where}: type {qtype!r} is not one of {', '.join(TYPES)}")
        if not str(text).strip():
            problems.append(f"{where}: empty query")
        level, role = row.get("level", ""), row.get("role", "")
        if level and level_floor(level) not in levels:
            problems.append(f"{where}: level {level!r} is not in the corpus")
        if role and role not in roles:
            problems.append(f"{where}: role {role!r} is not in the corpus ({', '.join(sorted(roles))})")
        if qtype == "person" and not level:
            problems.append(f"{where}: a person query needs a level")
        if qtype in ("work", "topic") and not row.get("relevant"):
            problems.append(f"{where}: a {qtype} query needs relevant bullets")
        ids: list[str] = []
        for ref in row.get("relevant", []):
            path, needle = ref.get("path", ""), _norm(ref.get("text", ""))
            if path not in by_path:
                problems.append(f"{where}: no indexed file {path!r}")
                continue
            hits = [c for c in by_path[path] if needle and (needle in _norm(c.plain) or needle in _norm(c.text))]
            if not hits:
                problems.append(f"{where}: {ref.get('text')!r} matches no bullet of {path}")
            elif len(hits) > 1:
                lines = ", ".join(str(c.line) for c in hits)
                problems.append(f"{where}: {ref.get('text')!r} is ambiguous in {path} (lines {lines})")
            elif hits[0].id not in ids:
                ids.append(hits[0].id)
        out.append(
            Query(str(qid), set_name, str(qtype), str(text), tuple(ids), level, role, row.get("note", ""))
        )
    if problems:
        raise QuerySetError(
            f"{len(problems)} problem(s) in the {set_name} query set:\n  " + "\n  ".join(problems)
        )
    return out


def load(set_names: list[str], corpus: Corpus) -> list[Query]:
    """The named sets ("dev", "heldout"), resolved against ``corpus``."""
    queries: list[Query] = []
    for name in set_names:
        path = SETS[name]
        queries.extend(resolve(read_rows(path), corpus, name, str(path.relative_to(DATA.parent.parent))))
    return queries
