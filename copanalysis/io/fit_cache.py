"""Fitted coders kept on disk, so a new process does not fit the same coder again.

A learned coder fitted on the same texts, codes, parameters, codebook, embedding model and
fitting code learns the same thing: its fitted state is pickled under a key made of all of
these (:meth:`~copanalysis.coding.SemanticCoder.fit` builds it), in ``fits/`` of the cache
folder beside the embeddings. Loading it takes milliseconds where fitting takes seconds;
``copanalysis run`` then ``copanalysis report`` fit the default coders once.

The files are Python pickles, as scikit-learn's own persistence is: the cache folder must be
yours (it is, unless ``$COPANALYSIS_CACHE_DIR`` says otherwise). A file that cannot be read
(cut short, from another version of a library) is deleted and the coder fitted again.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

from copanalysis.io.outputs import atomic_write

__all__ = ["FitCache", "MAX_FITS"]

#: Fitted states kept; the least recently used go first (a cross-validation fits several).
MAX_FITS = 48


class FitCache:
    """Fitted states on disk, by key.

    Parameters
    ----------
    folder : path-like
        The cache folder; the states go in its ``fits/`` subfolder (created when needed).

    Examples
    --------
    >>> import tempfile
    >>> cache = FitCache(tempfile.mkdtemp())
    >>> cache.get("ab12") is None
    True
    >>> cache.put("ab12", {"classes_": ["applied"]})
    >>> cache.get("ab12")
    {'classes_': ['applied']}
    """

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder) / "fits"

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.pickle"

    def get(self, key: str) -> dict[str, Any] | None:
        """The state stored under ``key``, or None (never stored, or unreadable: deleted)."""
        path = self._path(key)
        try:
            with path.open("rb") as handle:
                state = pickle.load(handle)
        except FileNotFoundError:
            return None
        except Exception:  # noqa: BLE001 - cut short, or pickled by other library versions
            path.unlink(missing_ok=True)
            return None
        os.utime(path)  # recently used: evicted last
        return state if isinstance(state, dict) else None

    def put(self, key: str, state: dict[str, Any]) -> None:
        """Store ``state`` under ``key``, atomically; keep the :data:`MAX_FITS` most recently
        used states."""
        data = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
        atomic_write(self._path(key), lambda path: path.write_bytes(data))
        kept = sorted(self.folder.glob("*.pickle"), key=_last_used, reverse=True)
        for old in kept[MAX_FITS:]:
            old.unlink(missing_ok=True)


def _last_used(path: Path) -> float:
    """When a state was last stored or read (0 when another process just deleted it)."""
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0
