"""The embedder: a plain sentence-transformers folder (the default model) runs without
sentence-transformers (a BERT in plain torch, other architectures through transformers) and gives
sentence-transformers' vectors; any other layout goes through sentence-transformers."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.embed import PlainSentenceModel, SentenceTransformerEmbedder, default_model_path, plain_layout

from .conftest import REPO

TEXTS = [
    "I mentor junior engineers through their first on-call rotations.",
    "",
    "x",
    "Ünïcödé — “quotes”, an owl 🦉 and a tab\there",
    "word " * 400,  # longer than the model's 256 tokens: truncated the same way
    "I lead incident response for platform outages and write blameless postmortems.",
]


@pytest.mark.slow
def test_the_default_model_gives_sentence_transformers_vectors(real_embedder: SentenceTransformerEmbedder) -> None:
    from sentence_transformers import SentenceTransformer

    assert isinstance(real_embedder._model, PlainSentenceModel)
    reference = SentenceTransformer(str(default_model_path()), device="cpu")
    expected = reference.encode(TEXTS, batch_size=4, normalize_embeddings=True, convert_to_numpy=True)
    found = real_embedder.embed_documents(TEXTS)
    assert (found.shape, found.dtype, real_embedder.dimension) == ((6, 384), np.float32, 384)
    assert float(np.abs(found - expected).max()) < 1e-5
    query = reference.encode(["mentoring"], normalize_embeddings=True, convert_to_numpy=True)[0]
    assert float(np.abs(real_embedder.embed_query("mentoring") - query).max()) < 1e-5
    assert real_embedder.embed_documents([]).shape == (0, 384)


@pytest.mark.slow
def test_a_search_process_never_imports_sentence_transformers() -> None:
    code = (
        "import sys\n"
        "from index.embed import SentenceTransformerEmbedder\n"
        "SentenceTransformerEmbedder().embed_query('mentoring')\n"
        "print(sorted(m for m in ('sentence_transformers', 'transformers', 'sklearn', 'pandas') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=REPO)
    assert (done.returncode, done.stdout) == (0, "[]\n"), done.stderr


@pytest.mark.slow
def test_a_plain_folder_of_another_architecture_runs_through_transformers(tmp_path: Path) -> None:
    from sentence_transformers import SentenceTransformer

    folder = _copy(tmp_path)
    config = json.loads((folder / "config.json").read_text())
    (folder / "config.json").write_text(json.dumps({**config, "hidden_act": "gelu_new"}))  # not index.bert's
    model = PlainSentenceModel(folder)
    expected = SentenceTransformer(str(folder), device="cpu").encode(TEXTS, normalize_embeddings=True)
    assert float(np.abs(model.encode(TEXTS, normalize_embeddings=True) - expected).max()) < 1e-5


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "model"
    shutil.copytree(default_model_path(), folder)
    return folder


def test_only_the_plain_layout_skips_sentence_transformers(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    assert plain_layout(folder)
    pooling = folder / "1_Pooling" / "config.json"
    config = json.loads(pooling.read_text())
    pooling.write_text(json.dumps({**config, "pooling_mode_cls_token": True}))
    assert not plain_layout(folder)  # CLS pooling: sentence-transformers does it
    pooling.write_text(json.dumps(config))
    modules = json.loads((folder / "modules.json").read_text())
    (folder / "modules.json").write_text(json.dumps([*modules, {"idx": 3, "name": "3", "path": "3_Dense",
                                                                  "type": "sentence_transformers.models.Dense"}]))
    assert not plain_layout(folder)  # a dense layer after pooling
    (folder / "modules.json").write_text(json.dumps(modules))
    (folder / "tokenizer.json").unlink()
    assert not plain_layout(folder)  # no fast tokenizer file
    assert not plain_layout(tmp_path / "nothing-here")
