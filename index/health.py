"""Store health: find out safely whether an index is damaged, and set a broken folder aside.

A damaged Chroma folder fails in odd ways and can hang the process that opens it, so the
check runs ``VectorStore.check`` in a child process with a time limit and only its verdict
comes back. A store that fails it is never deleted: ``set_aside`` renames the folder to
``<store>.damaged-<time>`` (under the writer lock) so a rebuild starts fresh beside it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import locks
from .errors import IndexBusyError, StoreAccessError, StoreError
from .jsonable import to_json
from .redact import public_url

#: How long a check may take before the store is called damaged (a damaged store can hang).
CHECK_SECONDS = 60.0
#: Vectors queried for themselves in a check.
CHECK_SAMPLE = 200
_TOKEN_ENV = "LADDER_CHECK_TOKEN"
_CHILD = "import sys; from index.health import _child; _child(sys.argv[1])"
#: Advice at the end of store errors, dropped from a verdict (the caller gives its own).
_ADVICE = (
    "; check it with: ladder doctor, or rebuild it with: ladder index --rebuild",
    "; run: ladder index --rebuild",
)


@dataclass(frozen=True, slots=True)
class StoreHealth:
    """The verdict of ``check_store``: ``ok`` is False when the store is damaged, or, with
    ``access`` True, when it cannot be read or written (not damage: it is never moved aside)."""

    location: str
    ok: bool
    built: bool
    chunks: int = 0
    sampled: int = 0
    misses: int = 0
    orphans: int = 0
    orphan_folders: int = 0
    orphan_bytes: int = 0
    seconds: float = 0.0
    problem: str = ""
    access: bool = False

    def to_json(self) -> dict[str, Any]:
        return to_json(self)


def check_store(
    path: Path | None = None,
    url: str | None = None,
    token: str | None = None,
    *,
    database: str | None = None,
    timeout: float = CHECK_SECONDS,
    sample: int = CHECK_SAMPLE,
) -> StoreHealth:
    """Open the store in a child process and verify its live index, within ``timeout`` seconds.

    Never raises for a damaged store: the damage is the verdict. The token reaches the child
    through its environment, never its command line.
    """
    location = public_url(url) if url else str(path)
    spec = {"path": str(path) if path else None, "url": url, "database": database, "sample": sample}
    env = {**os.environ, _TOKEN_ENV: token or ""}
    package_root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, json.dumps(spec)],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return StoreHealth(
            location, ok=False, built=True, seconds=timeout,
            problem=f"the check did not finish in {timeout:g} s (a damaged store can hang)",
        )
    seconds = time.perf_counter() - started
    lines = done.stdout.strip().splitlines()
    try:
        verdict = json.loads(lines[-1]) if lines else None
    except ValueError:
        verdict = None
    if not isinstance(verdict, dict):
        tail = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
        tail = tail.replace(token, "***") if token else tail
        return StoreHealth(
            location, ok=False, built=True, seconds=seconds,
            problem=f"the check crashed ({tail[:160]})",
        )
    return StoreHealth(location=location, seconds=round(seconds, 3), **verdict)


def _child(raw: str) -> None:
    """Runs in the child: open, check, print one JSON line with the verdict."""
    from .errors import IndexNotBuiltError, LadderError, StoreAccessError
    from .store import open_store

    spec = json.loads(raw)
    verdict: dict[str, Any]
    try:
        store = open_store(
            Path(spec["path"]) if spec["path"] else None,
            spec["url"],
            os.environ.get(_TOKEN_ENV) or None,
            database=spec["database"],
        )
        verdict = {"ok": True, "built": True, **store.check(spec["sample"])}
    except IndexNotBuiltError:
        verdict = {"ok": True, "built": False}
    except StoreAccessError as exc:
        verdict = {"ok": False, "built": True, "access": True, "problem": str(exc)}
    except LadderError as exc:
        problem = str(exc)
        for advice in _ADVICE:
            problem = problem.removesuffix(advice)
        verdict = {"ok": False, "built": True, "problem": problem}
    print(json.dumps(verdict), flush=True)


def set_aside(path: Path) -> Path:
    """Rename a damaged store folder to ``<path>.damaged-<time>``; returns the new name.

    Raises:
        IndexBusyError: an indexer is writing to it. StoreError: it cannot be renamed.
    """
    from .segments import LOCK_FILE, is_ladder_store

    if not path.is_dir() or not is_ladder_store(path):
        raise StoreAccessError(
            f"{path}: not moved aside: it is not a Ladder store folder (it holds other files, or is not a "
            "folder); choose another store with --store"
        )
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    lock_path = path / LOCK_FILE
    try:
        fh = open(lock_path, "a+")
    except OSError:
        fh = None  # no lock file to honour in a folder this broken
    try:
        if fh is not None:
            try:
                locks.lock(fh)
            except locks.LockBusy:
                raise IndexBusyError(
                    f"{path}: another ladder index is writing; wait for it, then run: "
                    "ladder index --rebuild"
                ) from None
        path.rename(target)
    except OSError as exc:
        raise StoreError(
            f"{path}: damaged, and it could not be moved aside ({exc.strerror}); "
            f"move it yourself, then run: ladder index --rebuild"
        ) from None
    finally:
        if fh is not None:
            fh.close()
    return target


def recover_store(path: Path, *, timeout: float = CHECK_SECONDS) -> str:
    """Before a rebuild: when the local store at ``path`` is damaged, set it aside.

    Only damage moves it: a store that cannot be read or written, a path that is not a folder,
    or a folder holding anything but a Ladder store stops the run with its own error instead.

    Returns:
        A note saying what was found and where the damaged folder went, or "" when healthy.
    Raises:
        StoreAccessError: the store cannot be read or written, or is not a Ladder store folder.
    """
    if not path.exists():
        return ""
    health = check_store(path, timeout=timeout)
    if health.ok:
        return ""
    if health.access:
        raise StoreAccessError(health.problem)
    moved = set_aside(path)
    return f"the store was damaged ({health.problem}); it was moved to {moved}"
