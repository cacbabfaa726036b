"""Where each text's sentences begin and end, kept on disk beside the embeddings.

Cutting a corpus into sentences (spaCy's tokenizer and sentencizer) is the largest part of
coding it again once its embeddings are cached. The cut depends only on the text and on the
segmenter, so it is cached like an embedding: one SQLite file per segmenter (named by a hash
of what decides the cut), mapping the SHA-256 of each text to its sentences' bounds.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from copanalysis.io.sqlite_cache import SQLiteCache

__all__ = ["SentenceCache"]


class SentenceCache(SQLiteCache):
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

    table, column, what = "sentences", "bounds", "sentence"

    def __init__(self, folder: str | os.PathLike[str], *, segmenter: str) -> None:
        super().__init__(Path(folder) / f"sentences-{segmenter[:16]}.sqlite")

    def get(self, keys: Sequence[bytes]) -> list[np.ndarray | None]:
        """Each key's sentences as ``(start, end)`` rows (int64), ``None`` where not cached."""
        blobs = self._fetch(keys) if len(keys) else {}
        return [
            None if key not in blobs else np.frombuffer(blobs[key], dtype=np.int64).reshape(-1, 2)
            for key in keys
        ]

    def put(self, keys: Sequence[bytes], bounds: Sequence[np.ndarray]) -> None:
        """Store each key's sentence ``bounds``, in one transaction."""
        self._store(
            (key, np.ascontiguousarray(b, dtype=np.int64).tobytes())
            for key, b in zip(keys, bounds, strict=True)
        )
