"""A cache file of blobs by key: what the embedding and sentence caches share.

SQLite gives atomic, concurrent-safe writes from the standard library: an interrupted run
keeps every batch it finished, and several processes (Dask workers) may share the file.
Each thread opens its own connection; a pickled cache opens a new one where it lands.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import ClassVar

from copanalysis.errors import CopanalysisError

__all__ = ["KEYS_PER_QUERY", "SQLiteCache", "connect"]

#: Keys asked of SQLite in one statement (its default limit on variables is 32,766).
KEYS_PER_QUERY = 900


class SQLiteCache:
    """Blobs by key in one table of one SQLite file, a connection per thread.

    Subclasses name their ``table``, its value ``column`` and ``what`` they hold (for the
    error when the file cannot be opened).
    """

    table: ClassVar[str]
    column: ClassVar[str]
    what: ClassVar[str]

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                connection = connect(self.path, self.table, self.column)
            except (OSError, sqlite3.Error) as exc:
                raise CopanalysisError(
                    f"cannot open the {self.what} cache ({exc}); pass cache_dir=None to "
                    "code without one, or another folder",
                    path=self.path,
                ) from exc
            self._local.connection = connection
        return connection

    def _fetch(self, keys: Sequence[bytes]) -> dict[bytes, bytes]:
        """The stored blob of each of ``keys`` that has one."""
        found: dict[bytes, bytes] = {}
        connection = self._connection()
        distinct = list(dict.fromkeys(keys))
        for lo in range(0, len(distinct), KEYS_PER_QUERY):
            chunk = distinct[lo : lo + KEYS_PER_QUERY]
            marks = ",".join("?" * len(chunk))
            found.update(
                connection.execute(
                    f"SELECT key, {self.column} FROM {self.table} WHERE key IN ({marks})", chunk
                ).fetchall()
            )
        return found

    def _store(self, rows: Iterable[tuple[bytes, bytes]]) -> None:
        """Store ``(key, blob)`` rows, in one transaction."""
        connection = self._connection()
        with connection:
            connection.executemany(f"INSERT OR REPLACE INTO {self.table} VALUES (?, ?)", rows)

    def __len__(self) -> int:
        count = self._connection().execute(f"SELECT COUNT(*) FROM {self.table}").fetchone()
        return int(count[0])

    def __getstate__(self) -> dict[str, object]:
        # a connection does not pickle; the copy opens its own
        return {k: v for k, v in self.__dict__.items() if k != "_local"}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
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
