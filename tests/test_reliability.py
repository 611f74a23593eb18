"""Reliability of indexing with real processes: kill -9 mid re-index, two indexers at once,
and a damaged store. Every ``ladder`` here is a real ``python -m assistant`` subprocess;
``tests/shim`` only swaps in the fake embedder and, where asked, pauses a write half-way
(see its docstring). Bounded: each test runs a handful of processes, each with a timeout.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from .conftest import REPO, Processes

L2 = "platform/L2-Platform-Engineer.md"
OLD = "I fix flaky build pipelines and keep the continuous integration jobs green."
NEW = "I repair flaky build pipelines and keep the continuous integration jobs green."
QUERY = f"L2 Platform Engineer - Domain Expertise: {OLD}"
SHIM = Path(__file__).resolve().parent / "shim"
TIMEOUT = 120

_PROBE = """
import json, sys
from pathlib import Path
from index import StoreError, open_store
from tests.fakes import HashingEmbedder
store = open_store(Path(sys.argv[1]))
state = store.state()
names = sorted(store._generation_names())
out = {"live": state["collection"] if state else None, "counts": {n: store.count(n) for n in names}}
try:
    out["top"] = store.query(HashingEmbedder().embed_query(sys.argv[2]), 1)[0].chunk.plain
except StoreError as exc:
    out["error"] = str(exc)
print(json.dumps(out))
"""


def _env(store: Path, tmp: Path, pause: float = 0.0) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in (str(SHIM), os.environ.get("PYTHONPATH")) if p),
        "LADDER_TEST_SHIM": "1",
        "LADDER_TEST_PAUSE": str(pause),
        "LADDER_TEST_MARKER": str(tmp / "marker"),
        "LADDER_STORE": str(store),
        "LADDER_CACHE": str(tmp / "cache"),
    }


def _ladder(processes: Processes, args: list[str], store: Path, tmp: Path) -> subprocess.CompletedProcess[str]:
    return processes.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True,
                         timeout=TIMEOUT, cwd=REPO, env=_env(store, tmp))


def _start(
    processes: Processes, args: list[str], store: Path, tmp: Path, pause: float, release: Path | None = None
) -> subprocess.Popen[str]:
    """An indexer that writes 10 chunks of its new generation, then pauses ``pause`` seconds
    (or until the file ``release`` exists, when given)."""
    (tmp / "marker").unlink(missing_ok=True)
    env = _env(store, tmp, pause)
    if release is not None:
        release.unlink(missing_ok=True)
        env["LADDER_TEST_RELEASE"] = str(release)
    proc = processes.start([sys.executable, "-m", "assistant", *args], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, cwd=REPO, env=env)
    deadline = time.monotonic() + 60
    while not (tmp / "marker").exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the indexer never reached its first write: {proc.communicate()[1][-2000:]}")
        time.sleep(0.05)
    return proc


def _probe(processes: Processes, store: Path, query: str = QUERY) -> dict:
    done = processes.run([sys.executable, "-c", _PROBE, str(store), query], capture_output=True, text=True,
                         timeout=TIMEOUT, cwd=REPO)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.splitlines()[-1])


def _index_json(done: subprocess.CompletedProcess[str]) -> dict:
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def _edit(root: Path, old: str, new: str) -> None:
    path = root / L2
    path.write_text(path.read_text().replace(old, new))


def test_kill_9_during_a_reindex_keeps_the_old_index_and_the_next_run_completes(
    fixture_root: Path, tmp_path: Path, processes: Processes
) -> None:
    store = tmp_path / "store"
    first = _index_json(_ladder(processes, ["index", str(fixture_root), "--json"], store, tmp_path))
    before = _probe(processes, store)
    _edit(fixture_root, OLD, NEW)

    victim = _start(processes, ["index", str(fixture_root), "--json"], store, tmp_path, pause=60)
    os.kill(victim.pid, signal.SIGKILL)
    assert victim.wait(timeout=30) == -signal.SIGKILL

    after_kill = _probe(processes, store)
    orphan = next(n for n in after_kill["counts"] if n != before["live"])
    assert after_kill == {
        "live": before["live"], "counts": {before["live"]: first["chunks"], orphan: 10}, "top": OLD
    }
    doctor = _ladder(processes, ["doctor", "--json"], store, tmp_path)
    assert doctor.returncode == 0
    assert {k: v for k, v in json.loads(doctor.stdout).items() if k in ("ok", "chunks", "misses", "orphans")} == {
        "ok": True, "chunks": first["chunks"], "misses": 0, "orphans": 1
    }

    second = _index_json(_ladder(processes, ["index", str(fixture_root), "--json"], store, tmp_path))

    assert (second["updated"], second["embedded"], second["published"]) == ([L2], 1, True)
    final = _probe(processes, store, f"L2 Platform Engineer - Domain Expertise: {NEW}")
    assert final["live"] not in (before["live"], orphan)
    assert final == {"live": final["live"], "counts": {final["live"]: first["chunks"]}, "top": NEW}


def test_two_indexers_at_once_one_refuses_or_waits_and_the_store_stays_whole(
    fixture_root: Path, tmp_path: Path, processes: Processes
) -> None:
    store = tmp_path / "store"
    first = _index_json(_ladder(processes, ["index", str(fixture_root), "--json"], store, tmp_path))
    _edit(fixture_root, OLD, NEW)

    release = tmp_path / "release"
    writer = _start(processes, ["index", str(fixture_root), "--json"], store, tmp_path, pause=TIMEOUT, release=release)
    refused = _ladder(processes, ["index", str(fixture_root)], store, tmp_path)
    release.touch()
    out, err = writer.communicate(timeout=TIMEOUT)

    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr == (
        f"ladder: error: {store}: another ladder index is writing (pid {writer.pid}); "
        "wait for it to finish, or pass --wait SECONDS\n"
    )
    assert writer.returncode == 0, err[-2000:]
    assert (json.loads(out)["updated"], json.loads(out)["published"]) == ([L2], True)
    whole = _probe(processes, store, f"L2 Platform Engineer - Domain Expertise: {NEW}")
    assert (list(whole["counts"].values()), whole["top"]) == ([first["chunks"]], NEW)

    _edit(fixture_root, NEW, OLD)
    writer = _start(processes, ["index", str(fixture_root), "--json"], store, tmp_path, pause=TIMEOUT, release=release)
    waiter = processes.start([sys.executable, "-m", "assistant", "index", str(fixture_root), "--wait", "60"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
                             env=_env(store, tmp_path))
    assert waiter.stderr is not None
    said = waiter.stderr.readline()  # blocks until the waiter finds the store busy (or exits)
    release.touch()
    assert writer.wait(timeout=TIMEOUT) == 0
    out, err = waiter.communicate(timeout=TIMEOUT)
    assert said == f"note: waiting up to 60 s: another ladder index is writing (pid {writer.pid})\n"
    assert (waiter.returncode, err) == (0, "")
    assert out.startswith(f"Index is up to date: 5 files, {first['chunks']} chunks (")
    doctor = json.loads(_ladder(processes, ["doctor", "--json"], store, tmp_path).stdout)
    assert (doctor["ok"], doctor["chunks"], doctor["misses"], doctor["orphans"]) == (True, first["chunks"], 0, 0)


def _big_framework(root: Path) -> int:
    """12 role documents of 100 bullets: over Chroma's 1,000-vector threshold, so the vector
    index lives in its own files (below it, vectors stay in the SQLite log)."""
    verbs = ["design", "review", "operate", "document", "migrate", "test", "secure", "scale", "plan", "teach"]
    nouns = ["pipelines", "clusters", "dashboards", "schemas", "runbooks", "alerts", "budgets", "services",
             "backups", "queues"]
    for level in range(1, 13):
        bullets = [f"- I {v} the {n} of area {level}-{i}." for i, (v, n) in
                   enumerate((v, n) for v in verbs for n in nouns)]
        (root / f"L{level}-Engineer.md").parent.mkdir(parents=True, exist_ok=True)
        (root / f"L{level}-Engineer.md").write_text(
            f"# L{level}: Engineer\n\n## Delivery\n\n" + "\n".join(bullets) + "\n"
        )
    return 12 * 100


def _vector_folders(store: Path) -> list[Path]:
    out = []
    for child in store.iterdir():
        try:
            uuid.UUID(child.name)
        except ValueError:
            continue
        out.append(child)
    return out


def _delete_vector_files(store: Path) -> None:
    for folder in _vector_folders(store):
        for file in folder.iterdir():
            file.unlink()


DAMAGE = {
    "sqlite-truncated": lambda store: os.truncate(store / "chroma.sqlite3", 100_000),
    "vector-files-deleted": _delete_vector_files,
    "state-garbled": lambda store: (store / "ladder-state.json").write_text("{"),
}
EXPECTED = {
    "sqlite-truncated": "cannot be opened (error returned from database: (code: 11) database disk image is malformed)",
    "vector-files-deleted": "opening the index failed (Error executing plan: ",
    "state-garbled": "index state is unreadable (Expecting property name enclosed in double quotes",
}


@pytest.fixture(scope="module")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, int]:
    """(framework, a healthy store of it, chunks): built once; tests damage copies of the store."""
    home = tmp_path_factory.mktemp("big")
    root, store = home / "big", home / "store"
    chunks = _big_framework(root)
    processes = Processes()
    assert _index_json(_ladder(processes, ["index", str(root), "--json"], store, home))["chunks"] == chunks
    assert _vector_folders(store) and all(any(f.iterdir()) for f in _vector_folders(store))
    return root, store, chunks


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_store_is_reported_and_rebuild_recovers(
    damage: str, big_store: tuple[Path, Path, int], tmp_path: Path, processes: Processes
) -> None:
    root, healthy, chunks = big_store
    store = tmp_path / "store"
    shutil.copytree(healthy, store)
    DAMAGE[damage](store)
    damaged_files = sorted(p.relative_to(store) for p in store.rglob("*"))

    doctor = _ladder(processes, ["doctor"], store, tmp_path)

    assert (doctor.returncode, doctor.stdout, doctor.stderr.count("\n")) == (1, "", 1)
    assert doctor.stderr.startswith(f"ladder: error: {store}: damaged: ")
    assert EXPECTED[damage] in doctor.stderr
    assert doctor.stderr.endswith("; run: ladder index --rebuild (a damaged folder is moved aside, not deleted)\n")
    assert doctor.stderr.count("ladder index --rebuild") == 1

    rebuilt = _index_json(_ladder(processes, ["index", str(root), "--rebuild", "--json"], store, tmp_path))

    assert (rebuilt["chunks"], rebuilt["embedded"], rebuilt["published"]) == (chunks, chunks, True)
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("store.damaged-")]
    assert len(aside) == 1
    assert rebuilt["rebuilt"].startswith("the store was damaged (")
    assert rebuilt["rebuilt"].count("ladder index --rebuild") == 0
    assert rebuilt["rebuilt"].endswith(f"; it was moved to {aside[0]}")
    kept = {p.relative_to(aside[0]) for p in aside[0].rglob("*")}
    assert kept >= set(damaged_files)  # kept, not deleted (opening it may have added empty files)
    assert _probe(processes, store, "L3 Engineer - Delivery: I migrate the queues of area 3-49.")["top"] == (
        "I migrate the queues of area 3-49."
    )


def test_a_search_on_a_damaged_vector_index_fails_with_one_clear_line(
    big_store: tuple[Path, Path, int], tmp_path: Path, processes: Processes
) -> None:
    """Without the spot check a process makes when it first opens a generation, this store
    answered every query with the same wrong bullet and no error."""
    store = tmp_path / "store"
    shutil.copytree(big_store[1], store)
    DAMAGE["vector-files-deleted"](store)

    probe = _probe(processes, store, "I migrate the queues")

    assert probe["error"].startswith(f"{store}: opening the index failed (Error executing plan: ")
    assert probe["error"].endswith("); check it with: ladder doctor, or rebuild it with: ladder index --rebuild")
    assert "\n" not in probe["error"]
