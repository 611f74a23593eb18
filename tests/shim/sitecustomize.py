"""Fault injection for ``python -m assistant`` subprocesses in tests/test_reliability.py.

Python imports this module at start-up when ``tests/shim`` is on PYTHONPATH; it does nothing
unless ``LADDER_TEST_SHIM=1``. Then:

- the hashing fake replaces the model (no 4 s model load in every subprocess);
- with ``LADDER_TEST_PAUSE=SECONDS``, a new generation is written 10 chunks first, then the
  file ``LADDER_TEST_MARKER`` is created and the process sleeps SECONDS before writing the
  rest: the window in which a test kills the process or starts a second indexer. With
  ``LADDER_TEST_RELEASE=FILE`` as well, the pause ends as soon as FILE exists (SECONDS is then
  only a limit), so a test decides when the write goes on, however slow the machine.

Everything else (the CLI, the lock, Chroma, publishing) is the real code.
"""

import os

if os.environ.get("LADDER_TEST_SHIM") == "1":
    import sys
    import time
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

    import index.embed
    from index.store import VectorStore
    from tests.fakes import HashingEmbedder

    class _FakeLazyEmbedder(HashingEmbedder):
        def __init__(self, model: str = "", *, threads: int = 0):
            super().__init__()

    index.embed.LazyEmbedder = _FakeLazyEmbedder  # type: ignore[misc, assignment]

    pause = float(os.environ.get("LADDER_TEST_PAUSE", "0"))
    if pause:
        _add = VectorStore.add

        def _slow_add(self, name, chunks, vectors, hashes):  # type: ignore[no-untyped-def]
            _add(self, name, chunks[:10], vectors[:10], hashes[:10])
            Path(os.environ["LADDER_TEST_MARKER"]).write_text(str(os.getpid()))
            release = os.environ.get("LADDER_TEST_RELEASE")
            deadline = time.monotonic() + pause
            while time.monotonic() < deadline and not (release and Path(release).exists()):
                time.sleep(0.05)
            _add(self, name, chunks[10:], vectors[10:], hashes[10:])

        VectorStore.add = _slow_add  # type: ignore[method-assign]
