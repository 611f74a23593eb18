"""Credentials out of URLs before they are printed or recorded: one helper for every URL Ladder
shows (git repositories, the language model's endpoint).

A URL's user name and password are dropped, and every query-string value is replaced by
``***`` (``?private_token=...``, ``?sig=...``, ``?key=...``: a value cannot be told safe by its
name). ``redact`` also removes those secrets from free text such as a tool's error message.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit, urlunsplit

__all__ = ["public_url", "redact"]

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_HIDDEN = "***"


def public_url(url: str) -> str:
    """``url`` without a user name or password and with query values hidden, fit to print.

    Text that is not a ``scheme://`` URL is returned unchanged; a URL too broken to parse
    (``http://[::1``) keeps only its scheme and what precedes any ``@``, ``?`` or ``#``.
    """
    if not _SCHEME.match(url):
        return url
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        scheme, rest = url.split("://", 1)
        rest = rest.rsplit("@", 1)[-1]
        return f"{scheme}://{re.split(r'[?#]', rest, maxsplit=1)[0]}"
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{port}" if port else host
    query = "&".join(f"{name}={_HIDDEN}" if value else name
                     for name, value in parse_qsl(parts.query, keep_blank_values=True))
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def redact(text: str, url: str) -> str:
    """``text`` with ``url`` shown as ``public_url(url)`` and its secrets (password, a token given
    as the user name, query values) replaced by ``***`` wherever else they appear."""
    if not url:
        return text
    shown = public_url(url)
    if url != shown:
        text = text.replace(url, shown)
    for secret in _secrets(url):
        text = text.replace(secret, _HIDDEN)
    return text


def _secrets(url: str) -> list[str]:
    if not _SCHEME.match(url):
        return []
    userinfo = url.split("://", 1)[1].split("/", 1)[0].rpartition("@")[0]
    # "user:password@" hides the password; a lone "TOKEN@" (GitHub's form) is the secret itself
    secret = userinfo.split(":", 1)[1] if ":" in userinfo else userinfo
    found = [secret] if len(secret) >= 4 else []
    query = url.split("?", 1)[1].split("#", 1)[0] if "?" in url else ""
    try:
        found += [v for _, v in parse_qsl(query, keep_blank_values=True) if len(v) >= 4]
    except ValueError:
        pass
    return sorted(set(found), key=len, reverse=True)
