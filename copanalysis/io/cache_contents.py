"""What a command added to the cache folder: what an interrupted run keeps for the next.

The coders keep four kinds of work in the cache folder
(:func:`~copanalysis.io.embedding_cache.default_cache_dir`): sentence embeddings
(``embeddings-*.sqlite``), sentence bounds (``sentences-*.sqlite``), fitted coders
(``fits/``) and a language model's answers (``llm/``). Which of them a command wrote depends
on the coders it ran (the TF-IDF and rule coders keep nothing; ``check`` codes nothing), so
after Ctrl-C the command line says only what changed there (trial 41: "the embeddings
computed so far are cached", after a run of the TF-IDF coder, which embeds nothing).

A snapshot is the size and modification time of each file or folder of the four kinds:
a few dozen ``stat`` calls, however many answers the folder holds (a new answer file
changes its folder's time). SQLite's shared-memory file (``-shm``) changes when a cache is
only read, and an empty write-ahead log (``-wal``) is created by opening one, so neither
counts.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["CACHE_KINDS", "CacheSnapshot", "cache_snapshot", "kept_since"]

#: Each kind of work kept, in the order a message names them, and the paths that hold it.
CACHE_KINDS: dict[str, tuple[str, ...]] = {
    "embeddings": ("embeddings-*.sqlite", "embeddings-*.sqlite-wal"),
    "sentence bounds": ("sentences-*.sqlite", "sentences-*.sqlite-wal"),
    "fitted coders": ("fits",),
    "language-model answers": ("llm", "llm/??"),
}

#: (size, modification time in ns) of each path of a kind, by kind.
CacheSnapshot = dict[str, dict[str, tuple[int, int]]]


def cache_snapshot(folder: str | os.PathLike[str]) -> CacheSnapshot:
    """The size and modification time of every path of each kind in ``folder``.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> cache_snapshot(folder)["embeddings"]
    {}
    >>> _ = (folder / "embeddings-ab12.sqlite").write_bytes(b"x")
    >>> list(cache_snapshot(folder)["embeddings"])
    ['embeddings-ab12.sqlite']
    """
    root = Path(folder)
    found: CacheSnapshot = {}
    for kind, patterns in CACHE_KINDS.items():
        stats: dict[str, tuple[int, int]] = {}
        for pattern in patterns:
            for path in root.glob(pattern) if root.is_dir() else ():
                try:
                    stat = path.stat()
                except OSError:  # gone since it was listed
                    continue
                if path.name.endswith("-wal") and stat.st_size == 0:
                    continue  # opened, nothing written
                stats[path.relative_to(root).as_posix()] = (stat.st_size, stat.st_mtime_ns)
        found[kind] = stats
    return found


def kept_since(before: CacheSnapshot, folder: str | os.PathLike[str]) -> list[str]:
    """The kinds of work written to ``folder`` since ``before`` was taken, in the order of
    :data:`CACHE_KINDS`.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> before = cache_snapshot(folder)
    >>> (folder / "fits").mkdir()
    >>> kept_since(before, folder)
    ['fitted coders']
    """
    now = cache_snapshot(folder)
    return [kind for kind in CACHE_KINDS if now.get(kind, {}) != before.get(kind, {})]
