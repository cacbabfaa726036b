"""Where each text's sentences begin and end, kept on disk beside the embeddings.

Cutting a corpus into sentences (spaCy's tokenizer and sentencizer) is the largest part of
coding it again once its embeddings are cached. The cut depends only on the text and on the
segmenter, so it is cached like an embedding: one SQLite file per segmenter (named by a hash
of what decides the cut), mapping the SHA-256 of each text to its sentences' bounds.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from copanalysis.errors import CopanalysisError
from copanalysis.io.embedding_cache import KEYS_PER_QUERY, connect

__all__ = ["SentenceCache"]


class SentenceCache:
    """The sentence bounds of texts cut by one segmenter, on disk.

    Parameters
    ----------
    folder : path-like
        The cache folder (created when missing).
    segmenter : str
        A hash of what decides the cut: bounds of different segmenters never mix.

    Examples
    --------
    >>> import tempfile
    >>> from copanalysis.io.embedding_cache import text_key
    >>> cache = SentenceCache(tempfile.mkdtemp(), segmenter="ab" * 32)
    >>> cache.put([text_key("We met. We learnt.")], [np.array([[0, 7], [8, 18]])])
    >>> found = cache.get([text_key("We met. We learnt."), text_key("Hi.")])
    >>> found[0].tolist(), found[1]
    ([[0, 7], [8, 18]], None)
    """

    def __init__(self, folder: str | os.PathLike[str], *, segmenter: str) -> None:
        self.path = Path(folder) / f"sentences-{segmenter[:16]}.sqlite"
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                connection = connect(self.path, "sentences", "bounds")
            except (OSError, sqlite3.Error) as exc:
                raise CopanalysisError(
                    f"cannot open the sentence cache ({exc}); pass cache_dir=None to code "
                    "without one, or another folder",
                    path=self.path,
                ) from exc
            self._local.connection = connection
        return connection

    def get(self, keys: Sequence[bytes]) -> list[np.ndarray | None]:
        """Each key's sentences as ``(start, end)`` rows (int64), ``None`` where not cached."""
        found: dict[bytes, np.ndarray] = {}
        connection = self._connection()
        distinct = list(dict.fromkeys(keys))
        for lo in range(0, len(distinct), KEYS_PER_QUERY):
            chunk = distinct[lo : lo + KEYS_PER_QUERY]
            marks = ",".join("?" * len(chunk))
            rows = connection.execute(
                f"SELECT key, bounds FROM sentences WHERE key IN ({marks})", chunk
            ).fetchall()
            for key, blob in rows:
                found[key] = np.frombuffer(blob, dtype=np.int64).reshape(-1, 2)
        return [found.get(key) for key in keys]

    def put(self, keys: Sequence[bytes], bounds: Sequence[np.ndarray]) -> None:
        """Store each key's sentence ``bounds``, in one transaction."""
        rows = [
            (key, np.ascontiguousarray(b, dtype=np.int64).tobytes())
            for key, b in zip(keys, bounds, strict=True)
        ]
        connection = self._connection()
        with connection:
            connection.executemany("INSERT OR REPLACE INTO sentences VALUES (?, ?)", rows)

    def __getstate__(self) -> dict[str, object]:
        # a connection does not pickle; the copy opens its own
        return {"path": self.path}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.path = Path(str(state["path"]))
        self._local = threading.local()
