"""Settings: named defaults, read from the environment once, here, and passed down."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from index import DEFAULT_MODEL, QueryError

#: The sample framework shipped with Ladder.
BUNDLED_ROLES = Path(__file__).resolve().parent.parent / "roles"


def default_store() -> Path:
    """A per-user data folder: ``$XDG_DATA_HOME/ladder/store`` (``~/.local/share/...``)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "ladder" / "store"


def default_cache() -> Path:
    """A per-user cache folder for fetched repositories: ``$XDG_CACHE_HOME/ladder`` (``~/.cache/...``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ladder"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything Ladder can be configured with.

    Attributes:
        roles: the framework folder(s) indexed by default and served by the app.
        store: the embedded Chroma folder (ignored when ``chroma_url`` is set).
        model: a sentence-transformers model name or folder.
        chroma_url: a Chroma server (``http://127.0.0.1:8000``) instead of the folder.
        chroma_token: sent as a bearer token to the server; never printed (environment only).
        chroma_database: a database on the Chroma server (created on first use), so several
            frameworks can share one server.
        cache: where frameworks fetched from git are kept (``cache/git/<hash>``).
        auto_index: build the index of ``roles`` on first use when there is none.
        torch_threads: threads torch may use (``LADDER_TORCH_THREADS``, default 1; 0: torch's
            own choice). One thread measured 8-10x faster per query on a busy 2-core machine,
            and faster indexing too (23 s against 39 s for the people framework).
        llm_url: an OpenAI-compatible server (``http://127.0.0.1:11434/v1``) for ``ladder ask``
            to rewrite answers with; empty: answers are composed without a language model.
        llm_model: the model name sent to that server.
        llm_key: sent as a bearer token to that server; never printed (environment only).
        llm_timeout: seconds to wait for the language model before answering without it.
        glossary: a file of the team's own jargon (``term<TAB>plain words`` per line) that
            searches read in plain words, beside the built-in list (``LADDER_GLOSSARY``).
    """

    roles: tuple[Path, ...] = (BUNDLED_ROLES,)
    store: Path = Path()
    model: str = DEFAULT_MODEL
    chroma_url: str = ""
    chroma_token: str = field(default="", repr=False)
    chroma_database: str = ""
    auto_index: bool = True
    torch_threads: int = 1
    cache: Path = field(default_factory=default_cache)
    llm_url: str = ""
    llm_model: str = ""
    llm_key: str = field(default="", repr=False)
    llm_timeout: float = 30.0
    glossary: Path | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from ``LADDER_*`` variables, then ``overrides`` (None values ignored)."""
        env = os.environ if env is None else env
        roles = env.get("LADDER_ROLES")
        values: dict[str, object] = {
            "roles": tuple(Path(p) for p in roles.split(os.pathsep)) if roles else (BUNDLED_ROLES,),
            "store": Path(env["LADDER_STORE"]).expanduser() if env.get("LADDER_STORE") else default_store(),
            "model": env.get("LADDER_MODEL") or DEFAULT_MODEL,
            "chroma_url": env.get("LADDER_CHROMA_URL", ""),
            "chroma_token": env.get("LADDER_CHROMA_TOKEN", ""),
            "chroma_database": env.get("LADDER_CHROMA_DATABASE", ""),
            "cache": Path(env["LADDER_CACHE"]).expanduser() if env.get("LADDER_CACHE") else default_cache(),
            "torch_threads": _int(env, "LADDER_TORCH_THREADS", default=1),
            "llm_url": env.get("LADDER_LLM_URL", ""),
            "llm_model": env.get("LADDER_LLM_MODEL", ""),
            "llm_key": env.get("LADDER_LLM_KEY", ""),
            "glossary": Path(env["LADDER_GLOSSARY"]).expanduser() if env.get("LADDER_GLOSSARY") else None,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def store_location(self) -> str:
        return self.chroma_url or str(self.store)


def _int(env: Mapping[str, str], name: str, default: int = 0) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return max(0, int(raw))
    except ValueError:
        raise QueryError(f"{name}={raw!r}: give a whole number (0 lets torch choose)") from None
