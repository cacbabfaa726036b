"""Sentence embeddings kept on disk, so coding the same texts again embeds nothing new.

One SQLite file per model (named by the model's weights hash) maps the SHA-256 of each text
to its embedding (:class:`~copanalysis.io.sqlite_cache.SQLiteCache`): an interrupted run
keeps every batch it finished, and several processes may share the file.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from copanalysis.errors import CopanalysisError
from copanalysis.io.sqlite_cache import SQLiteCache

__all__ = ["EmbeddingCache", "default_cache_dir", "text_key"]


def default_cache_dir() -> Path:
    """Where copanalysis caches embeddings unless told otherwise.

    ``$COPANALYSIS_CACHE_DIR`` when set, else ``$XDG_CACHE_HOME/copanalysis``, else
    ``~/.cache/copanalysis``.
    """
    if os.environ.get("COPANALYSIS_CACHE_DIR"):
        return Path(os.environ["COPANALYSIS_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "copanalysis"


def text_key(text: str) -> bytes:
    """The key a text is cached under: the SHA-256 of its UTF-8 bytes.

    Examples
    --------
    >>> text_key("We met.").hex()[:12]
    '2e79b56f8b8e'
    """
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


class EmbeddingCache(SQLiteCache):
    """Embeddings of one model, on disk.

    Parameters
    ----------
    folder : path-like
        The cache folder (created when missing).
    model_sha256 : str
        The hash of the model's weights: embeddings of different models never mix.
    dim : int
        The embedding size; a file holding vectors of another size is an error.

    Examples
    --------
    >>> import tempfile
    >>> cache = EmbeddingCache(tempfile.mkdtemp(), model_sha256="ab" * 32, dim=2)
    >>> cache.put([text_key("a")], np.array([[0.6, 0.8]], dtype=np.float32))
    >>> found, vectors = cache.get([text_key("a"), text_key("b")])
    >>> found.tolist(), vectors[0].tolist()
    ([True, False], [0.6000000238418579, 0.800000011920929])
    """

    table, column, what = "embeddings", "vector", "embedding"

    def __init__(self, folder: str | os.PathLike[str], *, model_sha256: str, dim: int) -> None:
        super().__init__(Path(folder) / f"embeddings-{model_sha256[:16]}.sqlite")
        self.dim = dim

    def get(self, keys: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray]:
        """The cached vectors of ``keys``.

        Returns
        -------
        found : ndarray of bool, shape (n,)
        vectors : ndarray of float32, shape (n, dim)
            Zeros where not found.
        """
        found = np.zeros(len(keys), dtype=bool)
        vectors = np.zeros((len(keys), self.dim), dtype=np.float32)
        blobs = self._fetch(keys) if len(keys) else {}
        for i, key in enumerate(keys):
            blob = blobs.get(key)
            if blob is None:
                continue
            vector = np.frombuffer(blob, dtype=np.float32)
            if vector.size != self.dim:
                raise CopanalysisError(
                    f"the embedding cache holds vectors of size {vector.size}, not "
                    f"{self.dim}; delete the file to rebuild it",
                    path=self.path,
                )
            found[i] = True
            vectors[i] = vector
        return found, vectors

    def put(self, keys: Sequence[bytes], vectors: np.ndarray) -> None:
        """Store ``vectors`` under ``keys``, in one transaction."""
        self._store(
            (key, np.ascontiguousarray(vector, dtype=np.float32).tobytes())
            for key, vector in zip(keys, vectors, strict=True)
        )
