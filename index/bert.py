"""A BERT encoder in plain torch, for the transformer of plain sentence-transformers models
(all-MiniLM-L6-v2, the default, among them).

Importing transformers to run one took 2-5 s on 2 cores, more than torch itself: a one-shot
``ladder search`` waited for it. The forward pass here is BERT's (token, position and type
embeddings; per layer self-attention and a GELU feed-forward block, each with a residual and
LayerNorm), read from ``model.safetensors``; tests check its vectors against
sentence-transformers'. Only used when ``supported(folder)``; anything else goes through
transformers.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

__all__ = ["BertEncoder", "supported"]

_EMBEDDINGS = ("word_embeddings", "position_embeddings", "token_type_embeddings")


def supported(folder: Path) -> bool:
    """Whether ``folder`` holds a BERT this module runs: absolute positions, exact GELU, weights
    in ``model.safetensors``."""
    try:
        config = json.loads((folder / "config.json").read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return (
        isinstance(config, dict)
        and config.get("model_type") == "bert"
        and config.get("hidden_act") == "gelu"
        and config.get("position_embedding_type", "absolute") == "absolute"
        and (folder / "model.safetensors").is_file()
    )


class BertEncoder:
    """``encoder(ids, mask, types)`` -> the last layer's token vectors, shape (batch, tokens, hidden)."""

    def __init__(self, folder: Path):
        import torch
        from safetensors.torch import load_file

        config = json.loads((folder / "config.json").read_text("utf-8"))
        weights = load_file(str(folder / "model.safetensors"))
        self._w = {k.removeprefix("bert."): v.float() for k, v in weights.items()}
        self._torch = torch
        self.hidden = int(config["hidden_size"])
        self._heads = int(config["num_attention_heads"])
        self._layers = int(config["num_hidden_layers"])
        self._eps = float(config.get("layer_norm_eps", 1e-12))
        missing = [f"embeddings.{name}.weight" for name in _EMBEDDINGS if f"embeddings.{name}.weight" not in self._w]
        if missing or f"encoder.layer.{self._layers - 1}.output.dense.weight" not in self._w:
            raise ValueError(f"{folder}: not a BERT checkpoint ({', '.join(missing) or 'layers missing'})")

    def __call__(self, ids: Any, mask: Any, types: Any) -> Any:
        torch, w, F = self._torch, self._w, self._torch.nn.functional
        batch, length = ids.shape
        head = self.hidden // self._heads

        def norm(x: Any, name: str) -> Any:
            return F.layer_norm(x, (self.hidden,), w[f"{name}.weight"], w[f"{name}.bias"], self._eps)

        def linear(x: Any, name: str) -> Any:
            return F.linear(x, w[f"{name}.weight"], w[f"{name}.bias"])

        def split(x: Any) -> Any:
            return x.view(batch, length, self._heads, head).transpose(1, 2)

        positions = torch.arange(length)
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][positions][None]
            + w["embeddings.token_type_embeddings.weight"][types]
        )
        x = norm(x, "embeddings.LayerNorm")
        blocked = (1.0 - mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        for i in range(self._layers):
            p = f"encoder.layer.{i}"
            q, k, v = (split(linear(x, f"{p}.attention.self.{n}")) for n in ("query", "key", "value"))
            scores = q @ k.transpose(-1, -2) / math.sqrt(head) + blocked
            context = (scores.softmax(-1) @ v).transpose(1, 2).reshape(batch, length, self.hidden)
            x = norm(linear(context, f"{p}.attention.output.dense") + x, f"{p}.attention.output.LayerNorm")
            inner = F.gelu(linear(x, f"{p}.intermediate.dense"))
            x = norm(linear(inner, f"{p}.output.dense") + x, f"{p}.output.LayerNorm")
        return x
