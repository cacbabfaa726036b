"""Sentence embeddings kept on disk, so coding the same texts again embeds nothing new.

One SQLite file per model (named by the model's weights hash) maps the SHA-256 of each text
to its embedding. SQLite gives atomic, concurrent-safe writes from the standard library: an
interrupted run keeps every batch it finished, and several processes may share the file.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from copanalysis.errors import CopanalysisError

__all__ = ["KEYS_PER_QUERY", "EmbeddingCache", "connect", "default_cache_dir", "text_key"]

#: Keys asked of SQLite in one statement (its default limit on variables is 32,766).
KEYS_PER_QUERY = 900


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


class EmbeddingCache:
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

    def __init__(self, folder: str | os.PathLike[str], *, model_sha256: str, dim: int) -> None:
        self.path = Path(folder) / f"embeddings-{model_sha256[:16]}.sqlite"
        self.dim = dim
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                connection = connect(self.path, "embeddings", "vector")
            except (OSError, sqlite3.Error) as exc:
                raise CopanalysisError(
                    f"cannot open the embedding cache ({exc}); pass cache_dir=None to "
                    "code without one, or another folder",
                    path=self.path,
                ) from exc
            self._local.connection = connection
        return connection

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
        if not keys:
            return found, vectors
        position = {key: i for i, key in enumerate(keys)}
        connection = self._connection()
        for lo in range(0, len(keys), KEYS_PER_QUERY):
            chunk = list(keys[lo : lo + KEYS_PER_QUERY])
            marks = ",".join("?" * len(chunk))
            rows = connection.execute(
                f"SELECT key, vector FROM embeddings WHERE key IN ({marks})", chunk
            ).fetchall()
            for key, blob in rows:
                vector = np.frombuffer(blob, dtype=np.float32)
                if vector.size != self.dim:
                    raise CopanalysisError(
                        f"the embedding cache holds vectors of size {vector.size}, not "
                        f"{self.dim}; delete the file to rebuild it",
                        path=self.path,
                    )
                i = position[key]
                found[i] = True
                vectors[i] = vector
        # a key asked twice is found at its first position only
        for i, key in enumerate(keys):
            if not found[i] and found[position[key]]:
                found[i], vectors[i] = True, vectors[position[key]]
        return found, vectors

    def put(self, keys: Sequence[bytes], vectors: np.ndarray) -> None:
        """Store ``vectors`` under ``keys``, in one transaction."""
        rows = [
            (key, np.ascontiguousarray(vector, dtype=np.float32).tobytes())
            for key, vector in zip(keys, vectors, strict=True)
        ]
        connection = self._connection()
        with connection:
            connection.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?)", rows)

    def __len__(self) -> int:
        return int(self._connection().execute("SELECT COUNT(*) FROM embeddings").fetchone()[0])

    def __getstate__(self) -> dict[str, object]:
        # a connection does not pickle; the copy opens its own
        return {"path": self.path, "dim": self.dim}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.path = Path(str(state["path"]))
        self.dim = int(str(state["dim"]))
        self._local = threading.local()


def connect(path: Path, table: str, column: str, *, tries: int = 20) -> sqlite3.Connection:
    """Connect to a cache file, switch it to WAL and create its ``table`` of ``key`` and
    ``column`` blobs. Workers that open a new cache file at the same moment can meet
    "database is locked" while one of them switches the journal (SQLite does not wait on
    that lock), so the opening is tried again a few times."""
    for attempt in range(tries):
        connection = sqlite3.connect(path, timeout=60)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(
                f"CREATE TABLE IF NOT EXISTS {table} (key BLOB PRIMARY KEY, {column} BLOB)"
            )
            return connection
        except sqlite3.OperationalError as exc:
            connection.close()
            if "locked" not in str(exc) or attempt == tries - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")
