"""Where outputs may go, and how they are written: atomically, never into ``data/raw``."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

from copanalysis.errors import CopanalysisError

__all__ = ["atomic_write", "check_output_path", "created_mode", "save_table"]

if TYPE_CHECKING:
    import pandas as pd


def check_output_path(path: str | PathLike[str]) -> Path:
    """Return ``path`` as a Path, refusing any place inside a ``data/raw`` folder.

    Raw data is immutable: every output goes elsewhere (``data/processed`` by default).

    Examples
    --------
    >>> check_output_path("data/processed/codes.parquet").name
    'codes.parquet'
    >>> check_output_path("study/data/raw/stories.parquet")
    Traceback (most recent call last):
    ...
    copanalysis.errors.CopanalysisError: study/data/raw/stories.parquet: refusing to write inside data/raw, which holds the untouched source data; write to data/processed instead
    """  # noqa: E501
    target = Path(path)
    parts = target.resolve().parts
    if any(
        a.lower() == "data" and b.lower() == "raw" for a, b in zip(parts, parts[1:], strict=False)
    ):
        raise CopanalysisError(
            "refusing to write inside data/raw, which holds the untouched source data; "
            "write to data/processed instead",
            path=path,
        )
    return target


def created_mode(*, folder: bool = False) -> int:
    """The permissions a new file (or folder) gets from ``open`` (``mkdir``) under the
    current umask: 0o644 (0o755) under the usual 022.

    A temporary file is made readable by its owner only; a file renamed into place from it
    gets these instead, so that an output can be shared as any other file the user writes.
    """
    mask = os.umask(0o022)  # the only way to read the umask is to set it
    os.umask(mask)
    return (0o777 if folder else 0o666) & ~mask


def atomic_write(path: str | PathLike[str], write: Callable[[Path], object]) -> Path:
    """Write a file through a temporary sibling, then rename it into place.

    A reader never sees a half-written file, and a failed write leaves the old file intact.
    The file gets the permissions of any new file (:func:`created_mode`), not the temporary
    file's owner-only ones.

    Parameters
    ----------
    path : path-like
        The file to write; parent folders are created. Checked by :func:`check_output_path`.
    write : callable
        Called with the temporary path; it writes the whole file there.

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> atomic_write(f"{folder}/hello.txt", lambda p: p.write_text("hi")).read_text()
    'hi'
    """
    target = check_output_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, created_mode())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def save_table(table: pd.DataFrame, path: str | PathLike[str]) -> Path:
    """Write a summary table as UTF-8 CSV, atomically, never inside ``data/raw``.

    A table whose rows carry labels (a crosstab, a co-occurrence matrix) keeps them as its
    first column; a table with a plain 0..n-1 index writes none.

    Parameters
    ----------
    table : pandas.DataFrame
        The table (one behind a chart, for instance).
    path : path-like
        The ``.csv`` file; parent folders are created.

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> codes = pd.Index(["applied", "realized"], name="code")
    >>> crosstab = pd.DataFrame({"n": [3, 1]}, index=codes)
    >>> out = save_table(crosstab, f"{tempfile.mkdtemp()}/tables/cycles.csv")
    >>> out.read_text(encoding="utf-8").splitlines()
    ['code,n', 'applied,3', 'realized,1']
    """
    import pandas as pd

    labelled = not isinstance(table.index, pd.RangeIndex)
    return atomic_write(
        path, lambda tmp: table.to_csv(tmp, index=labelled, encoding="utf-8", lineterminator="\n")
    )
