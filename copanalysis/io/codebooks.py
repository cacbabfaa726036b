"""Codebook files on disk: the CSV rows and the YAML text behind a codebook path.

:class:`~copanalysis.codebooks.Codebook` decides what the rows and the YAML say
(:meth:`~copanalysis.codebooks.Codebook.to_csv`, :meth:`~copanalysis.codebooks.Codebook.from_csv`,
:meth:`~copanalysis.codebooks.Codebook.to_yaml`, :func:`~copanalysis.codebooks.load_codebook`);
this module only moves them to and from the file. Files are UTF-8 (a byte-order mark is
accepted when reading). Writes go through :func:`copanalysis.io.outputs.atomic_write`, like
every other output: a reader never sees half a codebook, parent folders are created, and a
path inside a ``data/raw`` folder is refused.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from os import PathLike
from pathlib import Path

from copanalysis.errors import CodebookError
from copanalysis.io.outputs import atomic_write

__all__ = [
    "read_codebook_csv",
    "read_codebook_yaml",
    "write_codebook_csv",
    "write_codebook_yaml",
]


def write_codebook_csv(
    path: str | PathLike[str], columns: Sequence[str], rows: Iterable[Sequence[object]]
) -> Path:
    """Write a codebook's header and rows as a UTF-8 CSV file.

    Parameters
    ----------
    path : path-like
        The file to write. A path inside a ``data/raw`` folder is refused
        (:func:`copanalysis.io.outputs.check_output_path`).
    columns : sequence of str
        The header row.
    rows : iterable of sequences
        One row of cells per code, in the order of ``columns``.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    CopanalysisError
        When ``path`` lies inside ``data/raw``.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> path = write_codebook_csv(f"{folder}/codes.csv", ["tag", "description"],
    ...                           [["potential", "For later"], ["potential/human", ""]])
    >>> read_codebook_csv(path)
    [['tag', 'description'], ['potential', 'For later'], ['potential/human', '']]
    """
    header = list(columns)
    table = [list(row) for row in rows]

    def write(temporary: Path) -> None:
        with temporary.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(table)

    return atomic_write(path, write)


def read_codebook_csv(path: str | PathLike[str]) -> list[list[str]]:
    """The rows of a CSV codebook, header first, as text cells.

    Parameters
    ----------
    path : path-like
        The CSV file (UTF-8; a byte-order mark, as Excel writes, is dropped).

    Returns
    -------
    list of list of str
        Every record of the file in order, the header first; an empty line is ``[]``.

    Raises
    ------
    CodebookError
        Naming the file, when it is missing or is not readable UTF-8 CSV.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> path = Path(tempfile.mkdtemp()) / "taguette.csv"
    >>> _ = path.write_bytes("\\ufefftag,parent\\nroot,\\nroot/leaf,root\\n".encode())
    >>> read_codebook_csv(path)
    [['tag', 'parent'], ['root', ''], ['root/leaf', 'root']]
    """
    source = Path(path)
    try:
        with source.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.reader(handle))
    except FileNotFoundError as exc:
        raise CodebookError("no such codebook file", path=source) from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise CodebookError(f"not a readable UTF-8 CSV file: {exc}", path=source) from exc


def write_codebook_yaml(path: str | PathLike[str], text: str) -> Path:
    """Write a codebook's YAML text as a UTF-8 file.

    Parameters
    ----------
    path : path-like
        The file to write. A path inside a ``data/raw`` folder is refused
        (:func:`copanalysis.io.outputs.check_output_path`).
    text : str
        The YAML document.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    CopanalysisError
        When ``path`` lies inside ``data/raw``.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> path = write_codebook_yaml(f"{folder}/mine.yaml", "name: mine\\n")
    >>> read_codebook_yaml(path)
    'name: mine\\n'
    """
    return atomic_write(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))


def read_codebook_yaml(path: str | PathLike[str]) -> str:
    """The text of a YAML codebook file.

    Parameters
    ----------
    path : path-like
        The ``.yaml``/``.yml`` file (UTF-8; a byte-order mark is dropped).

    Returns
    -------
    str
        The file's text, to be parsed by :func:`copanalysis.codebooks.load_codebook`.

    Raises
    ------
    CodebookError
        Naming the file, when it is missing or is not UTF-8 text.

    Examples
    --------
    >>> read_codebook_yaml("nowhere/mine.yaml")
    Traceback (most recent call last):
    ...
    copanalysis.errors.CodebookError: nowhere/mine.yaml: no such codebook file
    """
    source = Path(path)
    try:
        return source.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise CodebookError("no such codebook file", path=source) from exc
    except UnicodeDecodeError as exc:
        raise CodebookError(f"not UTF-8 text: {exc}", path=source) from exc
