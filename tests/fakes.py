"""Deterministic stand-ins for the seams: an embedder that needs no model."""

from __future__ import annotations

import hashlib
import re

import numpy as np

_WORD = re.compile(r"[a-z0-9]+")


class HashingEmbedder:
    """Bag-of-words vectors hashed into buckets: similar words give similar vectors.

    Fast and deterministic, for tests of logic that does not depend on a real model.
    ``calls`` counts the texts embedded, so tests can assert what was (not) re-embedded.
    """

    name = "test-hashing"

    def __init__(self, dimension: int = 256):
        self.dimension = dimension
        self.calls = 0

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dimension, dtype=np.float32)
        for word in _WORD.findall(text.lower()):
            word = word[:-1] if len(word) > 4 and word.endswith("s") else word
            bucket = int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension
            vec[bucket] += 1.0
        norm = float(np.linalg.norm(vec))
        return vec / norm if norm else vec

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        self.calls += len(texts)
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dimension))

    def embed_query(self, text: str) -> np.ndarray:
        return self._vector(text)


class GatedEmbedder(HashingEmbedder):
    """A hashing embedder that behaves like a model still loading: ``loaded`` is False and
    every call blocks until ``release()``, so tests can see what pages serve meanwhile."""

    def __init__(self, dimension: int = 256):
        import threading

        super().__init__(dimension)
        self._open = threading.Event()
        self.loaded = False

    def release(self) -> None:
        self._open.set()

    def _wait(self) -> None:
        if not self._open.wait(60):
            raise TimeoutError("GatedEmbedder was never released")
        self.loaded = True

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        self._wait()
        return super().embed_documents(texts)

    def embed_query(self, text: str) -> np.ndarray:
        self._wait()
        return super().embed_query(text)
