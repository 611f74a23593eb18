"""The app's session: the one ``Ladder`` (opened from the environment, its model warmed up in
the background), keeping its index fresh, error messages for the page, and the constants every
page shares (page names, the "no filter" choice, examples, labels of bullet kinds).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from index import Embedder, IndexBusyError, LadderError

from ..config import Settings
from ..service import Ladder, build_ladder

__all__ = [
    "ANY",
    "APP_TORCH_THREADS",
    "EXAMPLE_QUERIES",
    "EXAMPLE_SELF_REVIEW",
    "KIND_LABELS",
    "PAGES",
    "Warmup",
    "error_text",
    "open_ladder",
    "refresh_index",
]

PAGES = ("Search", "Fit", "Compare", "Browse")
#: The "no filter" choice of every sidebar filter.
ANY = "Any"
EXAMPLE_QUERIES = (
    "mentoring junior engineers",
    "leading incident response",
    "planning work for the next quarter",
    "influencing decisions across teams",
)
EXAMPLE_SELF_REVIEW = """\
- I lead incident response for our platform outages and write the postmortems.
- I mentor two junior engineers through their first on-call rotations.
- I designed the Kubernetes cluster upgrades so that other teams were not disrupted.
- I plan the platform work for the next quarter with my manager.
- I review infrastructure code and explain why I suggest each change."""
KIND_LABELS = {
    "expectation": "Expectation",
    "example": "Example",
    "summary": "Summary",
    "attribute": "Attribute",
    "overview": "Overview",
}


# -- the one Ladder and the index behind it ---------------------------------------------------


#: torch threads for the app unless settings say otherwise: with one thread a query embedding
#: stayed ~15-35 ms on 2 busy cores; with torch's default (one per core) it took 190-420 ms.
APP_TORCH_THREADS = 1


def open_ladder(embedder: Embedder | None = None) -> Ladder:
    """The app's Ladder: settings from the environment (``LADDER_ROLES``, ``LADDER_STORE``,
    ``LADDER_MODEL``), like the CLI. Tests pass their own ``embedder`` here."""
    settings = Settings.from_env()
    if not settings.torch_threads:
        settings = settings.with_(torch_threads=APP_TORCH_THREADS)
    return build_ladder(settings, embedder=embedder)


class Warmup:
    """Loads the model in a background thread, so the first page need not wait for it.

    The app calls ``start()`` once a page is shown (loading torch competes with the first page
    for the CPU and the GIL) and ``join()`` before any use of the model, which starts the load
    if nothing did yet: two loads at once would cost twice the time. A load failure is left for
    that first use to report.
    """

    def __init__(self, ladder: Ladder):
        self._ladder = ladder
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def _load(self) -> None:
        embedder = self._ladder.embedder
        if getattr(embedder, "loaded", True):
            return
        try:
            embedder.embed_query("warm up")
        except Exception:  # noqa: BLE001 - the first real use raises it again, with its message
            pass

    def start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._load, name="ladder-model-warmup", daemon=True)
                self._thread.start()

    def join(self) -> None:
        self.start()
        assert self._thread is not None
        self._thread.join()


# -- index freshness --------------------------------------------------------------------------

_INDEX_LOCK = threading.Lock()


def refresh_index(
    ladder: Ladder,
    progress: Callable[[str, int, int], None] | None = None,
    waiting: Callable[[], None] | None = None,
    before_build: Callable[[], None] | None = None,
    busy: Callable[[str], None] | None = None,
) -> str:
    """Build the index when there is none; re-index when role files changed on disk.

    When another process (``ladder index`` in a terminal) holds the writer lock while files
    changed, the current index stays intact and answering: ``busy(notice)`` is told so and the
    page goes on serving it (the next page view tries again).

    One build at a time per process: a caller that finds another build running calls
    ``waiting()`` (to show it) and waits for it, then re-checks. ``before_build()`` runs
    right before this call builds (e.g. to wait for the model to finish loading).

    Returns:
        A one-line notice of what was done, or "" when the index was already fresh.
    """
    status = ladder.status()
    if status.built and not status.stale:
        return ""
    if not _INDEX_LOCK.acquire(blocking=False):
        if waiting:
            waiting()
        _INDEX_LOCK.acquire()
    try:
        status = ladder.status()
        if (not status.built or status.stale) and before_build:
            before_build()
        if not status.built:
            report = ladder.ensure_index(progress=progress)
            if report is None:
                return ""
            files = len(report.added) + len(report.updated) + len(report.unchanged)
            return (
                f"Built the search index: {files} file{'s' * (files != 1)}, "
                f"{report.chunks} statements, in {report.seconds:.1f} s."
            )
        if not status.stale:
            return ""
        try:
            ladder.index(progress=progress)
        except IndexBusyError as exc:
            if busy:
                who = f" ({exc.holder})" if exc.holder else ""
                busy(f"Another ladder index is writing{who}; showing the current index until it finishes.")
            return ""
        parts = [
            f"{label} {', '.join(paths)}"
            for label, paths in (("changed:", status.changed), ("added:", status.added), ("removed:", status.removed))
            if paths
        ]
        return "Role files changed, so the index was updated (" + "; ".join(parts) + ")."
    finally:
        _INDEX_LOCK.release()


def error_text(exc: BaseException) -> str:
    """A short message for the page: Ladder's own errors already say what to do."""
    if isinstance(exc, LadderError):
        text = str(exc)
        return text[:1].upper() + text[1:]
    first = (str(exc).strip().splitlines() or [""])[0][:200]
    return f"Something went wrong ({type(exc).__name__}{': ' + first if first else ''}). Reload the page to retry."
