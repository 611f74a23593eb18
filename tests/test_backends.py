"""The same indexing integration tests on both stores: an embedded folder and a Chroma server.

Also: the server token is sent, but never appears in a message, a log or the settings' repr.
"""

from __future__ import annotations

import http.server
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import Settings, build_ladder
from index import Chunk, StoreError, check_store, open_store, parse_folder

from .conftest import FIXTURE_FILES, FIXTURE_L2, Backend, ChromaServer, Processes
from .fakes import HashingEmbedder
from .httpserve import loopback_server

L2, FILES = FIXTURE_L2, FIXTURE_FILES
OLD = "I fix flaky build pipelines and keep the continuous integration jobs green."
NEW = "I repair flaky build pipelines and keep the continuous integration jobs green."
TOKEN = "s3cret-T0KEN-value"


def _chunks(root: Path) -> list[Chunk]:
    docs, _ = parse_folder([root])
    return [c for d in docs for c in d.chunks]


def _ladder(backend: Backend, root: Path, embedder: HashingEmbedder, name: str = "main"):
    settings = Settings(roles=(root,), **backend.settings(name))  # type: ignore[arg-type]
    return build_ladder(settings, embedder=embedder, store=backend.open(name))


def test_full_index_status_and_query(backend: Backend, fixture_root: Path) -> None:
    embedder = HashingEmbedder()
    ladder = _ladder(backend, fixture_root, embedder)
    expected = _chunks(fixture_root)

    report = ladder.index()

    assert (report.added, report.updated, report.removed, report.published) == (FILES, [], [], True)
    # one bullet is in three roles and is embedded once: 66 chunks, 62 distinct texts
    distinct = len({c.embed_text() for c in expected})
    assert (len(expected), distinct) == (66, 62)
    assert (report.chunks, report.embedded, report.reused) == (66, 62, 0)  # nothing came from an earlier index
    status = ladder.status()
    assert (status.built, status.files, status.chunks, status.stale) == (True, 5, len(expected), False)
    assert status.roots == [str(fixture_root.resolve())]
    target = next(c for c in expected if c.plain == OLD)
    hits = backend.open().query(embedder.embed_query(target.embed_text()), 3)
    assert hits[0].chunk.id == target.id
    assert (hits[0].chunk.path, hits[0].chunk.line, hits[0].chunk.dimension) == (L2, 12, "Domain Expertise")
    assert hits[0].similarity == pytest.approx(1.0, abs=1e-4)


def test_incremental_reindex_embeds_only_the_edited_bullet(backend: Backend, fixture_root: Path) -> None:
    embedder = HashingEmbedder()
    ladder = _ladder(backend, fixture_root, embedder)
    ladder.index()
    reader = backend.open()  # a second client, open before the re-index, like a running app
    first, version = reader.state(), reader.state_version()
    assert first is not None
    path = fixture_root / L2
    path.write_text(path.read_text().replace(OLD, NEW))
    assert ladder.status().changed == [L2]

    report = ladder.index()

    assert (report.updated, report.added, report.removed) == ([L2], [], [])
    assert report.unchanged == [f for f in FILES if f != L2]
    assert (report.embedded, report.reused, report.published) == (1, report.chunks - 1, True)
    state = reader.state()
    assert state is not None and state["collection"] != first["collection"]
    assert reader.state_version() not in ("", version)
    hits = reader.query(embedder.embed_query(f"L2 Platform Engineer - Domain Expertise: {NEW}"), 1)
    assert hits[0].chunk.plain == NEW
    assert backend.open().check() == {
        "chunks": report.chunks, "sampled": report.chunks, "misses": 0, "orphans": 0, "orphan_folders": 0,
        "orphan_bytes": 0,
    }
    assert ladder.status().stale is False

    again = ladder.index()
    assert (again.published, again.embedded, again.unchanged) == (False, 0, FILES)


def test_removed_file_and_stores_on_one_backend_are_separate(backend: Backend, fixture_root: Path) -> None:
    embedder = HashingEmbedder()
    ladder = _ladder(backend, fixture_root, embedder)
    ladder.index()
    other = _ladder(backend, fixture_root / "data", embedder, name="other")
    assert other.index().added == ["L3-Senior-Data-Engineer.md"]
    (fixture_root / L2).unlink()

    report = ladder.index()

    assert (report.removed, report.updated, report.added, report.embedded) == ([L2], [], [], 0)
    assert {c.path for c in backend.open().all_chunks()} == set(FILES) - {L2}
    assert {c.path for c in backend.open("other").all_chunks()} == {"L3-Senior-Data-Engineer.md"}


def test_doctor_checks_either_store_in_a_child_process(backend: Backend, fixture_root: Path) -> None:
    ladder = _ladder(backend, fixture_root, HashingEmbedder())
    before = ladder.doctor()
    assert (before.ok, before.built, before.problem) == (True, False, "")
    report = ladder.index()

    health = ladder.doctor()

    assert (health.ok, health.built, health.chunks, health.misses, health.orphans) == (
        True, True, report.chunks, 0, 0
    )
    assert health.sampled == report.chunks  # fewer than the 200 sampled: all of them


def test_same_ranking_on_both_backends_with_the_real_model(
    real_embedder, chroma_server: ChromaServer, fixture_root: Path, tmp_path: Path
) -> None:
    embedded = build_ladder(Settings(roles=(fixture_root,), store=tmp_path / "e"), embedder=real_embedder,
                            store=open_store(tmp_path / "e"))
    database = chroma_server.new_database()
    server = build_ladder(
        Settings(roles=(fixture_root,), chroma_url=chroma_server.url, chroma_database=database),
        embedder=real_embedder,
    )
    assert embedded.index().chunks == server.index().chunks
    for query in ("I keep the CI pipelines green", "I mentor junior engineers", "data modelling"):
        vector = real_embedder.embed_query(query)
        ours = [(h.chunk.id, round(h.similarity, 4)) for h in embedded.store.query(vector, 5)]
        theirs = [(h.chunk.id, round(h.similarity, 4)) for h in server.store.query(vector, 5)]
        assert ours == theirs
    assert server.store.location == f"{chroma_server.url.removeprefix('http://')}/{database}"


# -- the token ------------------------------------------------------------------------------
def _ladder_cli(
    processes: Processes, args: list[str], env: dict[str, str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    return processes.run(
        [sys.executable, "-m", "assistant", *args],
        capture_output=True, text=True, timeout=120, cwd=cwd,
        env={**os.environ, **env, "LADDER_MODEL": "all-MiniLM-L6-v2"},
    )


@pytest.mark.slow
def test_token_reaches_the_server_and_no_output(chroma_server: ChromaServer, fixture_root: Path,
                                                tmp_path: Path, processes: Processes) -> None:
    env = {
        "LADDER_CHROMA_URL": chroma_server.url,
        "LADDER_CHROMA_DATABASE": chroma_server.new_database(),
        "LADDER_CHROMA_TOKEN": TOKEN,
    }
    indexed = _ladder_cli(processes, ["index", str(fixture_root / "data"), "--json"], env, tmp_path)
    status = _ladder_cli(processes, ["status"], env, tmp_path)
    doctor = _ladder_cli(processes, ["doctor"], env, tmp_path)
    assert (indexed.returncode, status.returncode, doctor.returncode) == (0, 0, 0), indexed.stderr
    assert '"added": ["L3-Senior-Data-Engineer.md"]' in indexed.stdout
    assert f"store:  {chroma_server.url.removeprefix('http://')}/{env['LADDER_CHROMA_DATABASE']}" in status.stdout
    for done in (indexed, status, doctor):
        assert TOKEN not in done.stdout + done.stderr


def test_token_is_not_in_settings_repr() -> None:
    settings = Settings.from_env({"LADDER_CHROMA_TOKEN": TOKEN, "LADDER_CHROMA_URL": "http://127.0.0.1:1"})
    assert settings.chroma_token == TOKEN
    assert TOKEN not in repr(settings)


def test_no_chroma_token_option_on_the_command_line(tmp_path: Path, processes: Processes) -> None:
    done = _ladder_cli(processes, ["--chroma-token", TOKEN, "status"], {"LADDER_STORE": str(tmp_path / "s")},
                       tmp_path)
    assert done.returncode == 2
    assert done.stderr.endswith("Error: No such option '--chroma-token'. Did you mean '--chroma-url'?\n")
    assert TOKEN not in done.stderr


@pytest.fixture
def echoing_server() -> Iterator[tuple[str, list[str | None]]]:
    """A loopback HTTP server that refuses every request with 401 and echoes the credentials
    it got in the error body (as a careless proxy might)."""
    seen: list[str | None] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _refuse(self) -> None:
            seen.append(self.headers.get("Authorization"))
            body = f'{{"error": "Unauthorized", "message": "bad {self.headers.get("Authorization")}"}}'.encode()
            self.send_response(401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _refuse

        def log_message(self, *args: object) -> None:
            pass

    with loopback_server(Handler) as url:
        yield url, seen


def test_refused_token_is_named_but_never_shown(echoing_server: tuple[str, list[str | None]],
                                                caplog: pytest.LogCaptureFixture) -> None:
    url, seen = echoing_server
    caplog.set_level(logging.DEBUG)
    with pytest.raises(StoreError) as caught:
        open_store(url=url, token=TOKEN)
    port = url.rsplit(":", 1)[1]
    assert str(caught.value) == (
        f"Chroma server http://127.0.0.1:{port} refused the credentials "
        '({"error": "Unauthorized", "message": "bad Bearer ***"}); check LADDER_CHROMA_TOKEN'
    )
    assert seen[0] == f"Bearer {TOKEN}"
    assert TOKEN not in caplog.text


def test_unreachable_server_message_has_no_token(tmp_path: Path, processes: Processes) -> None:
    port = 1  # nothing listens on port 1 of the loopback
    env = {"LADDER_CHROMA_URL": f"http://127.0.0.1:{port}", "LADDER_CHROMA_TOKEN": TOKEN}
    done = _ladder_cli(processes, ["status"], env, tmp_path)
    assert done.returncode == 1
    assert done.stderr == (
        "ladder: error: Chroma server http://127.0.0.1:1 did not answer (Could not connect to a Chroma "
        "server. Are you sure it is running?); start it with: chroma run --host 127.0.0.1 --port PORT --path DIR\n"
    )
    health = check_store(url=f"http://127.0.0.1:{port}", token=TOKEN, timeout=60)
    assert (health.ok, TOKEN in health.problem) == (False, False)
    assert health.problem.startswith("Chroma server http://127.0.0.1:1 did not answer")
