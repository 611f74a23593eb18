"""The app's session: the one ``Ladder`` (opened from the environment, its model warmed up in
the background), keeping its index fresh, error messages for the page, and the constants every
page shares (page names, the "no filter" choice, examples, labels of bullet kinds).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime

from .. import Embedder, Ladder, LadderError, build_ladder
from ..config import Settings
from ..freshness import Status

__all__ = [
    "ANY",
    "ASK_EXAMPLES",
    "APP_TORCH_THREADS",
    "EXAMPLE_QUERIES",
    "EXAMPLE_SELF_REVIEW",
    "KIND_LABELS",
    "PAGES",
    "WARMING_NOTE",
    "Warmup",
    "error_text",
    "index_status_text",
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
#: The Ask page's example questions.
ASK_EXAMPLES = (
    "What does impact radius mean?",
    "Who evaluates a technical lead?",
    "How does L3 differ from L4 in teaching and mentoring?",
)
EXAMPLE_SELF_REVIEW = """\
- I lead incident response for our platform outages and write the postmortems.
- I mentor two junior engineers through their first on-call rotations.
- I designed the Kubernetes cluster upgrades so that other teams were not disrupted.
- I plan the platform work for the next quarter with my manager.
- I review infrastructure code and explain why I suggest each change."""
#: What works before the model and the index are ready, and what joins when they are.
WARMING_NOTE = (
    "Browse, Compare and word matches in Search work now; meaning-based search results, Fit and Ask "
    "join when this is done (the page updates by itself)."
)
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
    """The app's background work, so that no page waits for it: loading the model, and building
    the index when there is none (or refreshing it when role files changed).

    Until it is ``ready()``, pages serve what needs neither: Browse and Compare read
    ``Ladder.draft_corpus()`` (the roles parsed, no embedding), Search shows word (BM25) matches,
    and ``progress()`` says what is warming up. ``start()`` is cheap and idempotent; ``join()``
    waits for the work (starting it if nothing did). A failure is kept in ``error`` and shown
    by the page; the next ``start()`` tries again.
    """

    #: Loading torch takes the CPU for seconds (4 s on 2 quiet cores, 15 s on busy ones) and
    #: slows every page run meanwhile, so it waits until no page has run for this long (a reader
    #: reading, or typing), at most ``MAX_DELAY`` seconds.
    IDLE_SECONDS = 1.5
    MAX_DELAY = 10.0

    def __init__(self, ladder: Ladder):
        self._ladder = ladder
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._last_page = time.monotonic()
        self.stage = ""
        self.done = 0
        self.total = 0
        self.notice = ""  # what the last build did, shown once by the next page
        self.busy = ""  # another process held the writer lock: the current index keeps answering
        self.error: BaseException | None = None

    def _model_loaded(self) -> bool:
        return bool(getattr(self._ladder.embedder, "loaded", True))

    def _progress(self, stage: str, done: int, total: int) -> None:
        self.stage, self.done, self.total = stage, done, total

    def page_ran(self) -> None:
        """A page has just run (it delays loading the model, see ``IDLE_SECONDS``)."""
        self._last_page = time.monotonic()

    def _wait_for_idle(self) -> None:
        deadline = time.monotonic() + self.MAX_DELAY
        while time.monotonic() < deadline and time.monotonic() - self._last_page < self.IDLE_SECONDS:
            time.sleep(0.05)

    def _run(self) -> None:
        try:
            if not self._model_loaded():
                self._progress("loading the model", 0, 0)
                self._wait_for_idle()
                self._ladder.embedder.embed_query("warm up")
            self._progress("checking the index", 0, 0)
            notice = refresh_index(self._ladder, progress=self._progress, busy=self._set_busy)
            self.notice = self.notice or notice
            self._progress("opening the search index", 0, 0)
            self._ladder.search("warm up", k=1)  # opens Chroma and reads its vectors, off the page's time
            self.error = None
        except Exception as exc:  # noqa: BLE001 - shown by the page (error_text) and retried on start()
            self.error = exc
        finally:
            self._progress("", 0, 0)

    def needed(self) -> bool:
        """Whether there is work to do: the model is not loaded, or the index is missing or stale."""
        if not self._model_loaded():
            return True
        status = self._ladder.status()
        return not status.built or status.stale

    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start the background work if there is some and none is running."""
        with self._lock:
            if self.running() or not self.needed():
                return
            self.error = None
            self._thread = threading.Thread(target=self._run, name="ladder-warmup", daemon=True)
            self._thread.start()

    def join(self, timeout: float | None = None) -> bool:
        """Wait up to ``timeout`` seconds (None: until done); True when nothing is left running."""
        self.start()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return not self.running()

    def ready(self) -> bool:
        """The model is loaded and an index is built: every page can serve. An index being
        refreshed (role files changed, or another process is re-indexing) keeps answering."""
        if self.error is not None or not self._model_loaded():
            return False
        return self.index_built()

    def index_built(self) -> bool:
        """A published index exists (possibly an older one while a refresh runs)."""
        return self._ladder.has_index()

    def progress(self) -> tuple[str, float | None]:
        """A one-line note of what is warming up, and the fraction done (None: unknown)."""
        stage, done, total = self.stage, self.done, self.total
        label = {
            "embedding": f"Reading the role documents with the model: {done}/{total} statements",
            "writing": f"Saving the search index: {done}/{total}",
        }.get(stage, (stage[:1].upper() + stage[1:] + "…") if stage else "Starting…")
        return label, (done / total if total else None)

    def take_notice(self) -> str:
        """The last build's notice, once."""
        notice, self.notice = self.notice, ""
        return notice

    def _set_busy(self, text: str) -> None:
        self.busy = text

    def take_busy(self) -> str:
        """Why the index could not be refreshed (another process is writing it), once."""
        busy, self.busy = self.busy, ""
        return busy


# -- index freshness --------------------------------------------------------------------------


def refresh_index(
    ladder: Ladder,
    progress: Callable[[str, int, int], None] | None = None,
    waiting: Callable[[], None] | None = None,
    before_build: Callable[[], None] | None = None,
    busy: Callable[[str], None] | None = None,
) -> str:
    """Build the index when there is none; re-index when role files changed on disk
    (``Ladder.ensure_fresh``: one build at a time per process, ``waiting()`` is told when this
    call waits for another; ``before_build()`` runs right before it builds).

    When another process (``ladder index`` in a terminal) holds the writer lock while files
    changed, the current index stays intact and answering: ``busy(notice)`` is told so and the
    page goes on serving it (the next page view tries again).

    Returns:
        A one-line notice of what was done, or "" when the index was already fresh.
    """
    done = ladder.ensure_fresh(progress, on_wait=waiting, before_build=before_build)
    if done.action == "built" and done.report is not None:
        report = done.report
        files = len(report.added) + len(report.updated) + len(report.unchanged)
        return (
            f"Built the search index: {files} file{'s' * (files != 1)}, "
            f"{report.chunks} statements, in {report.seconds:.1f} s."
        )
    if done.action == "busy":
        if busy:
            who = f" ({done.holder})" if done.holder else ""
            busy(f"Another ladder index is writing{who}; showing the current index until it finishes.")
        return ""
    if done.action == "updated" and done.status is not None:
        status = done.status
        parts = [
            f"{label} {', '.join(paths)}"
            for label, paths in (("changed:", status.changed), ("added:", status.added), ("removed:", status.removed))
            if paths
        ]
        return "Role files changed, so the index was updated (" + "; ".join(parts) + ")."
    return ""


def error_text(exc: BaseException) -> str:
    """A short message for the page: Ladder's own errors already say what to do."""
    if isinstance(exc, LadderError):
        text = str(exc)
        return text[:1].upper() + text[1:]
    first = (str(exc).strip().splitlines() or [""])[0][:200]
    return f"Something went wrong ({type(exc).__name__}{': ' + first if first else ''}). Reload the page to retry."


def index_status_text(status: Status | None) -> str:
    """The sidebar's one line about the index (plain text: escape it for Markdown)."""
    if status is None:
        return "The index could not be opened: see the message."
    if not status.built:
        return "No search index yet."
    built = datetime.fromtimestamp(status.built_at).strftime("%Y-%m-%d %H:%M") if status.built_at else "–"
    return (
        f"{status.files} files, {status.chunks} statements, model {status.model}, built {built}. "
        f"Framework: {', '.join(status.roots)}."
    )
