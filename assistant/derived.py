"""State derived from the live index, cached with one owner and one invalidation rule.

What Ladder works out from a corpus (the lexicon of names, fit's frame, the words of every
chunk, the intent examples' vectors, exact vector subsets for filters) is kept here, keyed by
the ``Corpus`` it came from. ``Ladder.corpus()`` replaces the Corpus object whenever a new index
generation is published, so keying on the object *is* the generation rule: the old generation's
entries are dropped with its corpus (weak references), and no cache needs a rule of its own.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from .corpus import Corpus

T = TypeVar("T")

_STATE: weakref.WeakKeyDictionary[Corpus, dict[Hashable, Any]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def derived(corpus: Corpus, key: Hashable, build: Callable[[], T]) -> T:
    """The state ``key`` of ``corpus``: ``build()`` on first use, then kept as long as the corpus
    lives. Safe from many threads (the app's sessions): ``build`` runs outside the lock (it may be
    slow, or ask for other derived state); when two threads build at once, the first result is kept
    and both get it."""
    with _LOCK:
        entries = _STATE.get(corpus)
        if entries is not None and key in entries:
            return entries[key]
    value = build()
    with _LOCK:
        return _STATE.setdefault(corpus, {}).setdefault(key, value)
