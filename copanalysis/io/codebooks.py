"""Codebook files: the YAML and CSV formats on disk, and :func:`load_codebook`.

:class:`~copanalysis.codebooks.Codebook` decides what the rows and the YAML say
(:meth:`~copanalysis.codebooks.Codebook.to_rows`,
:meth:`~copanalysis.codebooks.Codebook.from_rows`,
:meth:`~copanalysis.codebooks.Codebook.to_yaml_text`,
:meth:`~copanalysis.codebooks.Codebook.from_yaml_text`); this module moves them to and from
files, picking the format by the file's suffix. Files are UTF-8 (a byte-order mark is
accepted when reading). Writes go through :func:`copanalysis.io.outputs.atomic_write`, like
every other output: a reader never sees half a codebook, parent folders are created, and a
path inside a ``data/raw`` folder is refused.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from os import PathLike
from pathlib import Path
from typing import TypeAlias

from copanalysis.codebooks.codebook import BUILT_IN, Codebook, builtin_codebook
from copanalysis.errors import CodebookError
from copanalysis.io.outputs import atomic_write

__all__ = [
    "CodebookSource",
    "load_codebook",
    "read_codebook",
    "write_codebook",
]

#: What :func:`load_codebook` reads: a built-in codebook's name, a codebook file, or a
#: :class:`~copanalysis.codebooks.Codebook` (returned as it is). Analyses and charts take
#: more (frames, lists, ``None``): :data:`~copanalysis.codebooks.order.CodebookLike`.
CodebookSource: TypeAlias = str | PathLike[str] | Codebook


def load_codebook(name_or_path: CodebookSource) -> Codebook:
    """A built-in codebook by name, or a user's codebook from a YAML (or CSV) file.

    Built-ins are read once and cached, so calling this repeatedly is free.

    Parameters
    ----------
    name_or_path : str, path-like or Codebook
        A name from :func:`~copanalysis.codebooks.list_codebooks`, a path to a
        ``.yaml``/``.yml`` file (see :mod:`copanalysis.codebooks.codebook` for the format)
        or a ``.csv`` file (:func:`read_codebook`), or a
        :class:`~copanalysis.codebooks.Codebook`, which is returned as is.

    Raises
    ------
    CodebookError
        For an unknown name, a file type other than ``.yaml``/``.yml``/``.csv`` (checked
        before the disk is), a missing or non-UTF-8 file, or an invalid codebook (the
        message names the file, the code and the field).

    Examples
    --------
    >>> book = load_codebook("value_cycles")
    >>> book.ident, len(book)
    ('value_cycles@2011.3', 13)
    >>> load_codebook(book) is book
    True
    """
    if isinstance(name_or_path, Codebook):
        return name_or_path
    if isinstance(name_or_path, str) and name_or_path in BUILT_IN:
        return builtin_codebook(name_or_path)
    if not isinstance(name_or_path, str | PathLike):
        raise CodebookError(
            f"expected a codebook name, a path or a Codebook, got {type(name_or_path).__name__}"
        )
    source = Path(name_or_path)
    if source.suffix.lower() in (".csv", ".yaml", ".yml"):
        return read_codebook(source)
    if isinstance(name_or_path, str) and source.suffix == "" and "/" not in name_or_path:
        return builtin_codebook(name_or_path)  # raises, naming the closest built-in
    raise CodebookError(
        f"unsupported codebook file type {source.suffix!r}; expected .yaml, .yml or .csv",
        path=source,
    )


def read_codebook(
    path: str | PathLike[str],
    *,
    name: str | None = None,
    version: str = "1",
    title: str = "",
    description: str = "",
    sources: Iterable[str] = (),
    polarity: dict[str, Iterable[str]] | None = None,
) -> Codebook:
    """Read a codebook file: YAML (``.yaml``/``.yml``) or CSV as :func:`write_codebook`,
    Taguette or a spreadsheet write it (:meth:`~copanalysis.codebooks.Codebook.from_rows`).

    Parameters
    ----------
    path : path-like
        The file (UTF-8; a byte-order mark is dropped).
    name : str, optional
        Default: the YAML's ``name``, else the file name without its suffix.
    version, title, description, sources, polarity
        Codebook metadata for a CSV file, which does not hold it (a YAML file does).

    Raises
    ------
    CodebookError
        Naming the file (and the row, column or code) of the first problem.

    Examples
    --------
    >>> import tempfile
    >>> book = load_codebook("value_cycles")
    >>> path = write_codebook(book, f"{tempfile.mkdtemp()}/cycles.csv")
    >>> read_codebook(path, name=book.name, version=book.version).codes == book.codes
    True
    """
    source = Path(path)
    suffix = source.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return Codebook.from_yaml_text(_read_text(source), source=source, name=name)
    if suffix != ".csv":
        raise CodebookError(
            f"unsupported codebook file type {source.suffix!r}; expected .yaml, .yml or .csv",
            path=source,
        )
    return Codebook.from_rows(
        _read_rows(source),
        source=source,
        name=name,
        version=version,
        title=title,
        description=description,
        sources=sources,
        polarity=polarity,
    )


def write_codebook(codebook: Codebook, path: str | PathLike[str]) -> Path:
    """Write ``codebook`` as YAML (``.yaml``/``.yml``, everything :func:`load_codebook`
    reads) or CSV (``.csv``, the codes in the layout other QDA tools import).

    Written atomically, creating parent folders, never inside ``data/raw``.

    Returns
    -------
    pathlib.Path
        The file written (UTF-8).

    Raises
    ------
    CodebookError
        For another suffix.
    CopanalysisError
        When ``path`` lies inside a ``data/raw`` folder.

    Examples
    --------
    >>> import tempfile
    >>> book = load_codebook("value_cycles")
    >>> load_codebook(write_codebook(book, f"{tempfile.mkdtemp()}/cycles.yaml")) == book
    True
    """
    suffix = Path(path).suffix.lower()
    if suffix in (".yaml", ".yml"):
        return _write_text(path, codebook.to_yaml_text())
    if suffix == ".csv":
        header, *rows = codebook.to_rows()
        return _write_rows(path, header, rows)
    raise CodebookError(
        f"unsupported codebook file type {Path(path).suffix!r}; expected .yaml, .yml or .csv",
        path=path,
    )


def _write_rows(
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
    >>> path = _write_rows(f"{folder}/codes.csv", ["tag", "description"],
    ...                           [["potential", "For later"], ["potential/human", ""]])
    >>> _read_rows(path)
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


def _read_rows(path: str | PathLike[str]) -> list[list[str]]:
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
    >>> _read_rows(path)
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


def _write_text(path: str | PathLike[str], text: str) -> Path:
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
    >>> path = _write_text(f"{folder}/mine.yaml", "name: mine\\n")
    >>> _read_text(path)
    'name: mine\\n'
    """
    return atomic_write(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))


def _read_text(path: str | PathLike[str]) -> str:
    """The text of a YAML codebook file.

    Parameters
    ----------
    path : path-like
        The ``.yaml``/``.yml`` file (UTF-8; a byte-order mark is dropped).

    Returns
    -------
    str
        The file's text, parsed by :meth:`~copanalysis.codebooks.Codebook.from_yaml_text`.

    Raises
    ------
    CodebookError
        Naming the file, when it is missing or is not UTF-8 text.

    Examples
    --------
    >>> _read_text("nowhere/mine.yaml")
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
