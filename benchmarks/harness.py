"""What the benchmark programs share: the corpus location, a Ladder over a throwaway store,
percentiles, tables and JSON output."""

from __future__ import annotations

import json
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.service import Ladder, build_ladder

REPO = Path(__file__).resolve().parent.parent
#: The people framework the benchmarks are written against, beside the repository.
DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "people"
RESULTS = REPO / "benchmarks" / "results"


@contextmanager
def indexed_ladder(
    corpus: Path, store: Path | None = None, *, threads: int = 0, model: str = ""
) -> Iterator[tuple[Ladder, float]]:
    """A Ladder with ``corpus`` indexed (with the real default model) and the seconds it took.

    The store is a temporary folder unless ``store`` is given (then indexing is incremental).
    ``threads`` sets torch's CPU threads (0: torch's default, one per core).
    """
    if not corpus.is_dir():
        raise SystemExit(f"corpus {corpus} is not a folder; pass --corpus PATH")
    with tempfile.TemporaryDirectory(prefix="ladder-bench-", ignore_cleanup_errors=True) as tmp:
        settings = Settings(
            roles=(corpus.resolve(),), store=store or Path(tmp), auto_index=False, torch_threads=threads
        )
        if model:
            settings = settings.with_(model=model)
        ladder = build_ladder(settings)
        started = time.perf_counter()
        ladder.index()
        ladder.corpus()
        yield ladder, time.perf_counter() - started


def code_version() -> dict[str, Any]:
    """The commit measured and the files of ``assistant/`` and ``index/`` changed on top of it."""

    def git(*args: str) -> str:
        try:
            return subprocess.run(
                ["git", *args], cwd=REPO, capture_output=True, text=True, timeout=10, check=False
            ).stdout.rstrip("\n")
        except OSError:
            return ""

    dirty = git("status", "--porcelain", "--", "assistant", "index").splitlines()
    return {"commit": git("rev-parse", "--short", "HEAD"), "uncommitted": [line[3:] for line in dirty]}


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by linear interpolation."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[min(98, max(0, int(q) - 1))]


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain text table: text left-aligned, numbers right-aligned."""

    def cell(value: Any) -> str:
        if value is None:
            return "-"
        if isinstance(value, float):
            return f"{value:.3f}"
        return str(value)

    cells = [[cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    numeric = [all(isinstance(row[i], int | float) or row[i] is None for row in rows) for i in range(len(headers))]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric, strict=True))

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in cells)]).rstrip()


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
