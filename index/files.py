"""Finding and reading a framework's files safely.

Only regular files whose real path stays inside the root are read; links that leave the root,
loops, devices and pipes are reported, never opened. Sizes, line lengths and parse time are
bounded so a hostile file cannot hang or exhaust the indexer.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import stat
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .documents import RoleDoc, Skipped
from .errors import IndexingError, QueryError
from .parse import ParseTimeout, humanise, parse_deadline, parse_markdown

MAX_FILE_BYTES = 1_000_000
MAX_LINE_CHARS = 20_000
PARSE_SECONDS = 5.0
_MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd"}
_TEXT_SUFFIXES = {"", ".txt", ".text"}
_SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv"}
#: Files that sit beside a framework but are not part of it (licences, notices).
_NOT_FRAMEWORK = {"LICENSE", "NOTICE", "COPYING", "CHANGELOG", "CODE_OF_CONDUCT", "CONTRIBUTING"}
#: Reasons for skipping, each saying what was done and what to do.
_OUTSIDE = "link points outside the framework folder; not followed: copy the file into the folder"
_FOLDER_LINK = "link to a folder; not followed: give that folder as another PATH"
_BROKEN_LINK = "broken or looping link; skipped: fix or delete the link"
_NOT_REGULAR = "not a regular file (device, pipe or socket); not read: replace it with a Markdown file"
_NOT_MARKDOWN = (
    "no Markdown extension and does not start like Markdown (#, -, *, >, **, | or <table); skipped: "
    "rename it to .md if it is part of the framework"
)
#: What index (a skipped file) and fit (a rejected input) both say about binary content.
BINARY_CONTENT = "binary content, not Markdown"
_BINARY = f"{BINARY_CONTENT}; skipped: delete it or rename it without .md"

_CONTROL_NAME = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_REASON = "file name holds control characters (a newline or terminal escape); skipped: rename it"

@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file found under a root: where it is and what it holds."""

    path: str  # relative to the root, POSIX separators (prefixed when several roots)
    abspath: Path
    track: str
    data: bytes
    digest: str


def find_sources(roots: list[Path]) -> tuple[list[SourceFile], list[Skipped]]:
    """Every readable Markdown file under ``roots``, and what was skipped with the reason.

    Raises:
        IndexingError: a root is missing, is not a folder, or holds no Markdown at all.
    """
    found: list[SourceFile] = []
    skipped: list[Skipped] = []
    prefix = len(roots) > 1
    for root in roots:
        if not root.exists():
            raise IndexingError(f"{root}: no such folder; give the folder of your role documents")
        if not root.is_dir():
            raise IndexingError(f"{root}: is a file, not a folder; give the folder that holds it")
        real_root = root.resolve()
        label = root.resolve().name
        for path in _walk(real_root, skipped, real_root):
            rel = path.relative_to(real_root).as_posix()
            shown = f"{label}/{rel}" if prefix else rel
            if _CONTROL_NAME.search(shown):  # a newline or escape sequence in a name forges output
                skipped.append(Skipped(shown, _CONTROL_REASON))
                continue
            source = _read(path, shown, _track_for(rel, label), skipped)
            if source is not None:
                found.append(source)
    if not found:
        names = ", ".join(str(r) for r in roots)
        if all(s.reason == _NOT_MARKDOWN for s in skipped):
            raise IndexingError(f"{names}: no Markdown files found; point at a folder of .md files")
        first = skipped[0]
        more = f" (and {len(skipped) - 1} more)" if len(skipped) > 1 else ""
        raise IndexingError(f"{names}: no readable Markdown file; {first.path}: {first.reason}{more}")
    return found, skipped


def folder_fingerprint(roots: list[Path]) -> tuple[object, ...]:
    """What changes whenever a file is added to, removed from or renamed in the folders
    ``find_sources`` walks (each folder's own mtime and inode), by the same skip rules."""
    folders = []
    for root in roots:
        for folder, subfolders, _ in os.walk(root):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and d not in _SKIP_DIRS)
            info = os.stat(folder)
            folders.append((folder, info.st_mtime_ns, info.st_ino))
    return (tuple(map(str, roots)), tuple(folders))


def _walk(folder: Path, skipped: list[Skipped], root: Path) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        skipped.append(Skipped(_rel(folder, root), f"folder not readable ({exc.strerror}); fix its permissions"))
        return
    for entry in entries:
        path = Path(entry.path)
        rel = _rel(path, root)
        if entry.name.startswith(".") or entry.name in _SKIP_DIRS:
            continue
        try:
            if entry.is_symlink():
                target = path.resolve(strict=True)
                if not target.is_relative_to(root):
                    skipped.append(Skipped(rel, _OUTSIDE))
                    continue
                if target.is_dir():
                    skipped.append(Skipped(rel, _FOLDER_LINK))
                    continue
            mode = path.stat().st_mode
        except (OSError, RuntimeError):
            skipped.append(Skipped(rel, _BROKEN_LINK))
            continue
        if stat.S_ISDIR(mode):
            yield from _walk(path, skipped, root)
        elif not stat.S_ISREG(mode):
            if _looks_like_markdown_name(entry.name):
                skipped.append(Skipped(rel, _NOT_REGULAR))
        elif _looks_like_markdown_name(entry.name):
            yield path


def _looks_like_markdown_name(name: str) -> bool:
    path = Path(name)
    if path.stem.upper() in _NOT_FRAMEWORK:
        return False
    return path.suffix.lower() in _MARKDOWN_SUFFIXES | _TEXT_SUFFIXES


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _track_for(rel: str, root_label: str) -> str:
    parts = rel.split("/")
    return humanise(parts[-2]) if len(parts) > 1 else humanise(root_label)


def _read(path: Path, rel: str, track: str, skipped: list[Skipped]) -> SourceFile | None:
    # Open without blocking and check what was opened: a file swapped for a pipe or device
    # after the walk must not hang or flood the indexer.
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        skipped.append(Skipped(rel, f"not readable ({exc.strerror}); fix its permissions"))
        return None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            skipped.append(Skipped(rel, _NOT_REGULAR))
            return None
        if info.st_size > MAX_FILE_BYTES:
            skipped.append(Skipped(rel, _too_big(info.st_size)))
            return None
        data = fh.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        skipped.append(Skipped(rel, _too_big(len(data))))
        return None
    suffix = path.suffix.lower()
    if suffix not in _MARKDOWN_SUFFIXES and not _plausible_markdown(data):
        if data.strip():
            skipped.append(Skipped(rel, _NOT_MARKDOWN))
        return None
    if not data.strip():
        skipped.append(Skipped(rel, "empty file; skipped: add text or delete it"))
        return None
    if b"\x00" in data:
        skipped.append(Skipped(rel, _BINARY))
        return None
    return SourceFile(rel, path, track, data, hashlib.sha256(data).hexdigest())


def _too_big(size: int) -> str:
    return f"file is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit; skipped: split it into smaller files"


def _plausible_markdown(data: bytes) -> bool:
    """A file without a Markdown name counts when it opens with a heading, bullet, quote, bold
    line (``**Customer Success Manager``), table or HTML table."""
    head = data[:2000].lstrip(b"\xef\xbb\xbf").lstrip()
    starts = (b"#", b"- ", b"* ", b"> ", b"**", b"__", b"|", b"<table")
    return head.lower().startswith(starts) and b"\x00" not in head


def decode(source: SourceFile) -> tuple[str, str | None]:
    """The file's text and, when it was not clean UTF-8, a note saying what was done."""
    data = source.data
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        return text, (
            f"not valid UTF-8 at byte {exc.start}; indexed with replacement characters: save it as UTF-8"
        )


def input_text(data: bytes, name: str) -> str:
    """A text given to a command (``ladder fit --file``) decoded as UTF-8, by the same rules as
    a role file: a NUL byte, or mostly undecodable bytes, is binary content.

    Raises:
        QueryError: the data is binary (the message names ``name`` and the fix).
    """
    text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
    if b"\x00" in data or text.count("\ufffd") > max(16, len(text) // 20):
        raise QueryError(f"{name}: {BINARY_CONTENT}; give a text or Markdown file")
    return text


def parse_source(
    source: SourceFile, level: tuple[str, float] | None = None
) -> tuple[RoleDoc | None, list[Skipped]]:
    """Decode, check and parse one file within the time bound; never raises for bad content."""
    notes: list[Skipped] = []
    text, note = decode(source)
    if note:
        notes.append(Skipped(source.path, note))
    if text.count("\ufffd") > max(16, len(text) // 20):
        return None, [Skipped(source.path, _BINARY)]
    long_line = next(
        (n for n, line in enumerate(text.splitlines(), 1) if len(line) > MAX_LINE_CHARS), 0
    )
    if long_line:
        reason = f"line {long_line} is over {MAX_LINE_CHARS:,} characters; skipped: break the line up"
        return None, [*notes, Skipped(source.path, reason)]
    try:
        with _time_limit(PARSE_SECONDS), parse_deadline(PARSE_SECONDS):
            doc = parse_markdown(text, source.path, source.track, level)
    except (_ParseTimeout, ParseTimeout):
        reason = f"took over {PARSE_SECONDS:g} s to parse (pathological Markdown); skipped: simplify it"
        return None, [*notes, Skipped(source.path, reason)]
    except RecursionError:
        return None, [*notes, Skipped(source.path, "nested too deeply to parse; skipped: flatten its lists")]
    notes.extend(Skipped(source.path, n) for n in doc.notes)
    if not doc.chunks:
        notes.append(Skipped(source.path, "no text to index (only headings or placeholders); add bullets"))
    return doc, notes


class _ParseTimeout(Exception):
    pass


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Bound a parse with SIGALRM where we can (the main thread of a Unix process); in any other
    thread ``parse_deadline``'s cooperative check bounds it."""
    usable = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if not usable:
        yield
        return

    def _raise(signum: int, frame: object) -> None:
        raise _ParseTimeout

    previous: Callable[..., object] | int | None = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)  # type: ignore[arg-type]
