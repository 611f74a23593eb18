"""Foreign failures (Chroma's, SQLite's, the OS's, httpx's) as Ladder's errors, with any secret
taken out of the message.

A store that cannot be read or written (permissions, a read-only or full disk) is not damage:
it becomes a ``StoreAccessError`` and is never moved aside; anything else is a ``StoreError``
that points to ``ladder doctor`` and a rebuild.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .errors import LadderError, StoreAccessError, StoreError

#: Words in a Chroma/SQLite/OS failure that mean the folder cannot be read or written, not damage.
_ACCESS_WORDS = (
    "readonly", "read-only", "read only", "permission denied", "operation not permitted",
    "unable to open database file", "not a directory", "no space left", "disk is full", "disk full",
)


def is_access_problem(exc: BaseException) -> bool:
    """True when ``exc`` says the store cannot be read or written (permissions, a read-only
    or full disk), as opposed to its data being damaged."""
    if isinstance(exc, (PermissionError, NotADirectoryError, IsADirectoryError)):
        return True
    text = str(exc).lower()
    return any(word in text for word in _ACCESS_WORDS)


def first_line(exc: BaseException) -> str:
    """The first line of ``exc``'s message (its type when it has none), at most 160 characters."""
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:160]


def without_secret(text: str, secret: str | None) -> str:
    """``text`` with ``secret`` (a server token) shown as ``***``."""
    return text.replace(secret, "***") if secret else text


@contextmanager
def foreign_errors(location: str, doing: str, secret: str = "") -> Iterator[None]:
    """Chroma's own failures (damage, a server gone) while ``doing`` -> one clear ``StoreError``.

    Ladder's errors, and ``ValueError``/``TypeError`` (a bad filter from the caller), pass through.
    """
    try:
        yield
    except (LadderError, ValueError, TypeError):
        raise  # ours, or a bad filter from the caller
    except Exception as exc:  # noqa: BLE001 - chromadb and httpx raise many types
        reason = without_secret(first_line(exc), secret)
        if is_access_problem(exc):
            raise StoreAccessError(
                f"{location}: {doing} failed ({reason}): the store cannot be written or read, which "
                "is not damage; check its permissions and free space (the previous index is untouched)"
            ) from None
        raise StoreError(
            f"{location}: {doing} failed ({reason}); check it with: ladder doctor, "
            "or rebuild it with: ladder index --rebuild"
        ) from None
