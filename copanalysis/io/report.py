"""Writing the HTML report."""

from __future__ import annotations

from os import PathLike
from pathlib import Path

from copanalysis.io.outputs import atomic_write

__all__ = ["write_report"]


def write_report(html: str, path: str | PathLike[str]) -> Path:
    """Write a report built by :func:`copanalysis.report.build_report` as UTF-8.

    Parameters
    ----------
    html : str
        The whole document.
    path : path-like
        The ``.html`` file; written atomically, never inside ``data/raw``.

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    >>> import tempfile
    >>> out = write_report("<!DOCTYPE html><p>ok</p>", f"{tempfile.mkdtemp()}/report.html")
    >>> out.read_text(encoding="utf-8")
    '<!DOCTYPE html><p>ok</p>'
    """
    return atomic_write(path, lambda tmp: tmp.write_text(html, encoding="utf-8"))
