"""Frameworks kept in git: fetch a repository into a cache, check out a ref, read old versions.

git runs as a subprocess with a time limit and never prompts (``GIT_TERMINAL_PROMPT=0``, ssh
in batch mode). Only the https, http, ssh, git and file transports are allowed (no ``ext::``).
The URL is passed to ``git fetch`` each time and never written to the clone's config, so
credentials in it stay out of the cache, and they are removed from every message and from
the state Ladder records. Failures become one-line ``IndexingError``/``QueryError`` messages.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from . import locks
from .errors import IndexingError, QueryError
from .redact import public_url, redact

#: Time limit for one git command (a fetch of a large repository over a slow link included).
GIT_SECONDS = 120.0
_PROTOCOLS = ("https", "http", "ssh", "git", "file")
_URL = re.compile(r"^(?:https?|ssh|git|file)://", re.I)
_SCP = re.compile(r"^[\w.-]+@[\w.-]+:(?!//)")
_UNREACHABLE = (
    "could not resolve", "connection refused", "unable to access", "could not read from remote",
    "timed out", "network is unreachable", "no route to host", "connection reset",
)
_NOT_A_REPO = ("not a git repository", "does not appear to be a git repository", "not found")


def is_git_url(text: str) -> bool:
    """``https://host/org/repo.git``, ``ssh://...``, ``file://...`` or ``git@host:org/repo``."""
    return bool(_URL.match(text) or _SCP.match(text))


def web_url(url: str) -> str:
    """``https://host/org/repo`` for a repository URL, to link files: http(s) URLs as they are,
    ``git@host:org/repo.git`` and ``ssh://git@host/org/repo.git`` as the https address hosts
    such as GitHub, GitLab and Gitea serve them at; "" for file:// and git:// (no web page).
    ``ladder index URL --web-url`` sets it where a host differs."""
    scp = _SCP.match(url)
    if scp:
        host = scp.group(0)[:-1].split("@", 1)[1]
        clean = f"https://{host}/{url[scp.end():].lstrip('/')}"
    else:
        clean = public_url(url)
        if clean.lower().startswith("ssh://"):
            parts = urlsplit(clean)
            clean = f"https://{parts.hostname or ''}{parts.path}"
        elif not clean.lower().startswith(("https://", "http://")):
            return ""
    clean = clean.split("?", 1)[0].rstrip("/")
    return clean[: -len(".git")] if clean.endswith(".git") else clean


def check_web_url(web: str) -> str:
    """``--web-url`` checked: an http(s) address without credentials, no trailing slash.

    Raises:
        QueryError: anything else.
    """
    parts = urlsplit(web.strip())
    if parts.scheme.lower() not in ("https", "http") or not parts.hostname or parts.username or parts.password:
        shown = urlunsplit((parts.scheme, parts.hostname or "", parts.path, "", "")) if "@" in web else web.strip()
        raise QueryError(f"--web-url {shown!r}: give the repository's web page, e.g. https://github.com/org/repo")
    return web.strip().rstrip("/")


def web_link(source: dict[str, Any], path: str, line: int = 0) -> str:
    """A browser link to ``path`` (relative to the indexed folder) at the indexed commit.

    ``source`` is ``state["source"]`` as recorded by ``git_checkout``; "" when there is no
    web address (a file:// or ssh repository). GitHub-style ``/blob/COMMIT/PATH#Lnn`` links,
    which GitLab and Gitea also accept.
    """
    web = source.get("web") or ""
    if not web or not source.get("commit"):
        return ""
    full = "/".join(p for p in (source.get("subdir", "").strip("/"), path) if p)
    anchor = f"#L{line}" if line else ""
    return f"{web}/blob/{source['commit']}/{quote(full)}{anchor}"


@dataclass(frozen=True, slots=True)
class GitSource:
    """A repository checked out at one commit, in the cache."""

    url: str  # without credentials
    ref: str  # the branch, tag or commit asked for (the default branch when none was)
    commit: str
    subdir: str
    checkout: Path
    web: str = ""

    @property
    def root(self) -> Path:
        """The framework folder to index."""
        return self.checkout / self.subdir if self.subdir else self.checkout

    def state(self) -> dict[str, str]:
        """What ``build_index(source=...)`` records in the index record (``IndexRecord.source``)."""
        return {"url": self.url, "ref": self.ref, "commit": self.commit, "subdir": self.subdir, "web": self.web}


def _env() -> dict[str, str]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    return env


def _protocol_config() -> list[str]:
    args = ["-c", "protocol.allow=never"]
    for name in _PROTOCOLS:
        args += ["-c", f"protocol.{name}.allow=always"]
    return args


def run_git(args: list[str], cwd: Path | None, *, timeout: float = GIT_SECONDS, secret_url: str = "") -> str:
    """Run ``git ARGS`` and return its stdout.

    Raises:
        IndexingError: git is missing, timed out, or failed (git's own message, one line,
        with any credentials in ``secret_url`` removed).
    """
    return git_bytes(args, cwd, timeout=timeout, secret_url=secret_url).decode("utf-8", errors="replace")


def git_bytes(args: list[str], cwd: Path | None, *, timeout: float = GIT_SECONDS, secret_url: str = "") -> bytes:
    """``run_git``, returning stdout as bytes (file contents)."""
    try:
        done = subprocess.run(
            ["git", *_protocol_config(), *args],
            cwd=cwd,
            capture_output=True,
            timeout=timeout,
            env=_env(),
            check=False,
        )
    except FileNotFoundError:
        raise IndexingError("git is not installed; install git to use a framework kept in a repository") from None
    except subprocess.TimeoutExpired:
        raise IndexingError(
            f"git {args[0]} took over {timeout:g} s; check the network and try again"
        ) from None
    if done.returncode != 0:
        raise _GitFailed(redact(_git_message(done.stderr), secret_url))
    return done.stdout


class _GitFailed(IndexingError):
    pass


def _git_message(stderr: bytes) -> str:
    lines = [ln.strip() for ln in stderr.decode("utf-8", errors="replace").splitlines() if ln.strip()]
    fatal = [ln for ln in lines if ln.startswith(("fatal:", "error:"))]
    text = (fatal or lines or ["no message"])[0]
    return re.sub(r"^(fatal|error):\s*", "", text)[:200]


def _repo_name(url: str) -> str:
    tail = public_url(url).rstrip("/").split("?", 1)[0].rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    tail = tail[:-4] if tail.endswith(".git") else tail
    return re.sub(r"[^A-Za-z0-9._-]+", "-", tail).strip(".-") or "repository"


@contextmanager
def git_checkout(
    url: str, cache: Path, *, ref: str = "", subdir: str = "", web: str = "", timeout: float = GIT_SECONDS
) -> Iterator[GitSource]:
    """Fetch ``url`` into ``cache`` (cloning the first time), check out ``ref``, yield the source
    (``web``: the repository's web page for links, default ``web_url(url)``).

    The clone lives in ``cache/git/<hash of the URL>/<repository name>``; a lock beside it is
    held until the ``with`` block ends, so the working tree does not change while it is indexed.

    Raises:
        IndexingError: the URL is not a repository, is unreachable, or is busy in another
            ladder; QueryError: ``ref`` or ``subdir`` does not exist.
    """
    if url.startswith("-") or not is_git_url(url):
        raise QueryError(f"{public_url(url)}: not a git URL; use https://host/org/repo.git or file:///path")
    shown = public_url(url)
    web = check_web_url(web) if web else web_url(url)
    slot = cache / "git" / hashlib.sha256(shown.encode()).hexdigest()[:16]
    checkout = slot / _repo_name(url)
    try:
        slot.mkdir(parents=True, exist_ok=True)
        lock = open(slot / ".lock", "a+")
    except OSError as exc:
        raise IndexingError(f"cache folder {slot}: not writable ({exc.strerror}); set LADDER_CACHE") from None
    try:
        try:
            locks.lock(lock)
        except locks.LockBusy:
            raise IndexingError(f"{shown}: another ladder is updating its clone in {slot}; try again") from None
        fresh = not (checkout / ".git").is_dir()
        if fresh:
            run_git(["init", "-q", str(checkout)], None, timeout=timeout)
        try:
            _fetch(url, shown, checkout, timeout)
        except IndexingError:
            if fresh:  # a refused or unreachable URL leaves no empty clone behind
                shutil.rmtree(checkout, ignore_errors=True)
                (slot / ".lock").unlink(missing_ok=True)
                with contextlib.suppress(OSError):
                    slot.rmdir()
            raise
        wanted = ref or _default_branch(url, shown, checkout, timeout)
        commit = _resolve(wanted, shown, checkout, timeout)
        run_git(["checkout", "-q", "--force", "--detach", commit], checkout, timeout=timeout)
        run_git(["clean", "-q", "-ffdx"], checkout, timeout=timeout)
        sub = subdir.strip("/")
        root = (checkout / sub).resolve() if sub else checkout.resolve()
        if not root.is_relative_to(checkout.resolve()) or not root.is_dir():
            raise QueryError(f"--subdir {subdir}: no such folder in {shown} at {commit[:12]}")
        yield GitSource(shown, wanted, commit, sub, checkout, web)
    finally:
        lock.close()


def _fetch(url: str, shown: str, checkout: Path, timeout: float) -> None:
    refspecs = ["+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"]
    try:
        run_git(["fetch", "-q", "--prune", "--", url, *refspecs], checkout, timeout=timeout, secret_url=url)
    except _GitFailed as exc:
        message = str(exc)
        lower = message.lower()
        if any(word in lower for word in _UNREACHABLE):
            raise IndexingError(f"{shown}: unreachable ({message})") from None
        if any(word in lower for word in _NOT_A_REPO):
            raise IndexingError(f"{shown}: not a git repository ({message})") from None
        raise IndexingError(f"{shown}: git fetch failed ({message})") from None


def _default_branch(url: str, shown: str, checkout: Path, timeout: float) -> str:
    out = run_git(["ls-remote", "--symref", "--", url, "HEAD"], checkout, timeout=timeout, secret_url=url)
    for line in out.splitlines():
        if line.startswith("ref: refs/heads/") and line.endswith("HEAD"):
            return line[len("ref: refs/heads/") :].split("\t", 1)[0]
    raise QueryError(f"{shown}: the repository has no default branch; pass --ref BRANCH")


def _resolve(ref: str, shown: str, checkout: Path, timeout: float) -> str:
    if not ref.startswith("-"):
        for candidate in (f"refs/remotes/origin/{ref}", f"refs/tags/{ref}", ref):
            try:
                spec = f"{candidate}^{{commit}}"
                out = run_git(["rev-parse", "--verify", "--quiet", spec], checkout, timeout=timeout)
            except _GitFailed:
                continue
            if out.strip():
                return out.strip()
    raise QueryError(f"--ref {ref}: no branch, tag or commit of that name in {shown}")
