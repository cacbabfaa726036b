"""Answers of a language model kept on disk, so coding the same units again calls nothing.

One small JSON file per answer, named by its key (the SHA-256 of the endpoint's host, the
model, the prompt's hash and the unit's hash; :func:`answer_key`), under
``<cache folder>/llm/<first two hex digits>/``. Each file is written to a temporary file
beside it and renamed into place (:func:`~copanalysis.io.outputs.atomic_write`): a run
stopped half-way leaves whole answers or none, and every answer written before the stop is
read back by the next run. Several processes may share the folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from copanalysis.errors import CopanalysisError

__all__ = ["LLMCache", "answer_key"]


def answer_key(*, host: str, model: str, prompt_sha256: str, unit_sha256: str) -> str:
    """The key an answer is cached under: the SHA-256 of its four parts.

    Examples
    --------
    >>> key = answer_key(host="127.0.0.1:11434", model="qwen2.5:7b", prompt_sha256="ab" * 32,
    ...                  unit_sha256="cd" * 32)
    >>> len(key), key == answer_key(host="localhost:11434", model="qwen2.5:7b",
    ...                             prompt_sha256="ab" * 32, unit_sha256="cd" * 32)
    (64, False)
    """
    parts = json.dumps([host, model, prompt_sha256, unit_sha256])
    return hashlib.sha256(parts.encode("utf-8")).hexdigest()


class LLMCache:
    """A model's answers by key, in a folder or (``folder=None``) in memory only.

    Parameters
    ----------
    folder : path-like or None
        The cache folder; the answers go in its ``llm/`` sub-folder (created on the first
        write). ``None`` keeps them in this object only, for the life of the coder.

    Examples
    --------
    >>> import tempfile
    >>> cache = LLMCache(tempfile.mkdtemp())
    >>> cache.put("ab" * 32, {"response": '{"codes": []}'})
    >>> cache.get("ab" * 32), cache.get("cd" * 32)
    ({'response': '{"codes": []}'}, None)
    >>> len(cache)
    1
    """

    def __init__(self, folder: str | os.PathLike[str] | None) -> None:
        self.folder = None if folder is None else Path(folder) / "llm"
        self._memory: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
            raise ValueError(f"LLMCache: a key is 64 hex digits, got {key!r}")
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The answer stored under ``key``, or None.

        A file that cannot be read as JSON (written by something else) counts as missing
        and is replaced by the next :meth:`put`.
        """
        if self.folder is None:
            with self._lock:
                return self._memory.get(key)
        path = self._path(key)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise CopanalysisError(f"cannot read the LLM cache: {exc}", path=path) from exc
        try:
            entry = json.loads(text)
        except json.JSONDecodeError:
            return None
        return entry if isinstance(entry, dict) else None

    def put(self, key: str, entry: dict[str, Any]) -> None:
        """Store ``entry`` (JSON-serialisable) under ``key``, atomically."""
        if self.folder is None:
            with self._lock:
                self._memory[key] = entry
            return
        from copanalysis.io.outputs import atomic_write

        path = self._path(key)
        data = json.dumps(entry, ensure_ascii=False, indent=1)
        try:
            atomic_write(path, lambda temporary: temporary.write_text(data, encoding="utf-8"))
        except OSError as exc:
            raise CopanalysisError(
                f"cannot write the LLM cache ({exc}); pass cache_dir=None to keep answers "
                "in memory only, or another folder",
                path=path,
            ) from exc

    def keys(self) -> Iterator[str]:
        """Every key stored."""
        if self.folder is None:
            with self._lock:
                yield from list(self._memory)
            return
        if self.folder.is_dir():
            for path in sorted(self.folder.glob("??/*.json")):
                yield path.stem

    def __len__(self) -> int:
        return sum(1 for _ in self.keys())

    def __getstate__(self) -> dict[str, Any]:
        # a lock does not pickle; the copy makes its own
        return {"folder": self.folder, "_memory": dict(self._memory)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.folder = state["folder"]
        self._memory = state["_memory"]
        self._lock = threading.Lock()
