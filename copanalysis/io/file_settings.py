"""A study folder's ``mapping.yaml``, its ``files:`` block: the community or date of a file
that does not say it.

An interview transcript or a list of notes often names no community, and a column mapping
cannot give it one: it has no column (trial 36: every by-community table had a ``(none)``
group of the four interviews). ``files:`` names a file (or a glob of file names, or a path
under the study folder) and the ``community`` and ``date`` of every row read from it::

    files:
      "Interview transcript P3 - Westmoor.docx":
        community: Westmoor College
      "zoom_*.vtt":
        community: Westmoor College
        date: 2025-11-13

What is written there wins over what the file says, and the load report notes each file it
set, with what the file said before. A file name names the one file of that name; when two
files share it (``north/interviews.docx``, ``south/interviews.docx``) each is named by its
path (``stories/north/interviews.docx``, or its end, ``north/interviews.docx``), and the name
alone is an error naming both. A name that matches no file read, a field other than these
two, or a date that cannot be read is an error naming ``mapping.yaml``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from fnmatch import fnmatchcase
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from copanalysis.errors import FileFormatError
from copanalysis.io.dates import parse_date

__all__ = ["FILES_BLOCK", "FileSettings", "read_file_settings", "set_from_files"]

#: The block's name in ``mapping.yaml``.
FILES_BLOCK = "files"
#: The fields a file's rows may be given.
FIELDS = ("community", "date")

#: File name (or glob) -> field -> value, in the file's order.
FileSettings = dict[str, dict[str, str]]


def read_file_settings(block: object, *, path: str | PathLike[str]) -> FileSettings:
    """The ``files:`` block of the mapping file at ``path``, checked.

    Raises
    ------
    FileFormatError
        Naming ``path``, when the block is not a mapping of file names to ``community``
        and ``date``, or a date cannot be read.

    Examples
    --------
    >>> import datetime
    >>> read_file_settings({"P3.docx": {"community": "Westmoor", "date": datetime.date(
    ...     2025, 11, 17)}}, path="mapping.yaml")
    {'P3.docx': {'community': 'Westmoor', 'date': '2025-11-17'}}
    """
    if block is None:
        return {}
    where = f"{FILES_BLOCK}:"
    if not isinstance(block, Mapping):
        raise FileFormatError(
            f"{where} expected file names, each with 'community:' or 'date:', found "
            f"{type(block).__name__}",
            path=path,
        )
    settings: FileSettings = {}
    for name, fields in block.items():
        said = f"{where} {str(name)!r}"
        if not isinstance(fields, Mapping) or not fields:
            raise FileFormatError(
                f"{said}: expected 'community:' or 'date:' under the file name, found {fields!r}",
                path=path,
            )
        unknown = sorted(map(str, set(map(str, fields)) - set(FIELDS)))
        if unknown:
            raise FileFormatError(
                f"{said}: {', '.join(map(repr, unknown))} cannot be set for a file; "
                f"expected {' or '.join(FIELDS)}",
                path=path,
            )
        values = {str(field): _text(value) for field, value in fields.items()}
        if "date" in values and parse_date(values["date"]) is None:
            raise FileFormatError(
                f"{said}: date {values['date']!r} cannot be read as a date (write 2025-11-17)",
                path=path,
            )
        settings[str(name)] = values
    return settings


def _text(value: object) -> str:
    if isinstance(value, dt.date):  # YAML reads 2025-11-17 as a date
        return value.isoformat()
    return "" if value is None else str(value).strip()


def _under(file: Path, root: Path) -> str:
    """``file``'s path under ``root`` ("stories/north/interviews.docx"), else its name."""
    try:
        return file.relative_to(root).as_posix()
    except ValueError:
        return file.name


def _matches(pattern: str, file: Path, root: Path) -> bool:
    """Whether ``pattern`` names ``file``: its name, its path under ``root``, or the end of
    that path ("north/interviews.docx").

    Examples
    --------
    >>> file, root = Path("study/stories/north/i.docx"), Path("study")
    >>> [_matches(p, file, root) for p in ["i.docx", "north/i.docx", "south/i.docx", "*.docx"]]
    [True, True, False, True]
    """
    parts = _under(file, root).split("/")
    return any(fnmatchcase("/".join(parts[i:]), pattern) for i in range(len(parts)))


def _one_file(pattern: str, files: list[Path], *, root: Path, by: str | PathLike[str]) -> None:
    """Raise when ``pattern``, a name or path with no glob, names more than one of ``files``."""
    if len(files) < 2 or any(c in pattern for c in "*?["):
        return
    paths = [_under(f, root) for f in files]
    raise FileFormatError(
        f"{FILES_BLOCK}: {pattern!r} names {len(files)} files: "
        f"{', '.join(map(repr, paths))}; write the path of the one meant under the study "
        f"folder (such as {paths[0]!r}), one entry for each",
        path=by,
    )


def _rows_of(names: pd.Series, files: list[Path], n_rows: list[int]) -> list[np.ndarray | None]:
    """For each of ``files`` (a load report's, in order), which rows are its: those whose
    ``source`` names it; of two files that share a name, each takes its ``n_rows`` of those
    rows in turn, as the loader read them (None when they do not add up: no row can be
    told to be the file's)."""
    same = [(names == file.name).to_numpy() for file in files]
    masks: list[np.ndarray | None] = list(same)
    for name in {f.name for f in files}:
        sharing = [i for i, f in enumerate(files) if f.name == name]
        if len(sharing) < 2:
            continue
        positions = np.flatnonzero(same[sharing[0]])
        if sum(n_rows[i] for i in sharing) != len(positions):
            for i in sharing:
                masks[i] = None
            continue
        at = 0
        for i in sharing:
            own = np.zeros(len(names), dtype=bool)
            own[positions[at : at + n_rows[i]]] = True
            masks[i] = own
            at += n_rows[i]
    return masks


def set_from_files(
    frame: pd.DataFrame,
    settings: FileSettings,
    *,
    root: Path,
    by: str | PathLike[str] = "mapping.yaml",
) -> tuple[pd.DataFrame, set[str]]:
    """``frame`` with the fields ``settings`` give its files' rows, and the names of
    ``settings`` that matched a file of it.

    A frame's files are those of its load report; a row is a file's by its ``source``
    ("Interview P3.docx:paragraph 2"), and, of two files that share a name, by its place
    among that name's rows (each file's ``n_rows`` in turn, in the report's order). Fields
    the frame has no column for (a list's date) are left, and noted. Each file entry of the
    load report gets a note of what was set, naming the mapping file ``by``.

    Raises
    ------
    FileFormatError
        Naming ``by``, when a name or path without a glob names more than one file (two
        ``interviews.docx`` in different sub-folders), with the paths of both.

    Examples
    --------
    >>> from pathlib import Path
    >>> stories = pd.DataFrame({"community": [None], "source": ["P3.docx:paragraph 2"]})
    >>> stories.attrs["load_report"] = {"files": [{"path": "study/stories/P3.docx"}]}
    >>> out, used = set_from_files(stories, {"P3.docx": {"community": "Westmoor"}},
    ...                            root=Path("study"))
    >>> out["community"].tolist(), used
    (['Westmoor'], {'P3.docx'})
    >>> out.attrs["load_report"]["files"][0]["notes"]
    ["community 'Westmoor' set by mapping.yaml (files: 'P3.docx') for 1 row (was empty)"]
    """
    report = frame.attrs.get("load_report")
    if not settings or report is None or "source" not in frame.columns:
        return frame, set()
    out = frame.copy()
    report = {**report, "files": [dict(entry) for entry in report.get("files", [])]}
    names = out["source"].astype(str).str.split(":").str[0]
    files = [Path(str(entry.get("path", ""))) for entry in report["files"]]
    for pattern in settings:
        _one_file(pattern, [f for f in files if _matches(pattern, f, root)], root=root, by=by)
    n_rows = [int(entry.get("n_rows", 0)) for entry in report["files"]]
    masks = _rows_of(names, files, n_rows)
    mapping_name = Path(by).name
    used: set[str] = set()
    for entry, file, rows in zip(report["files"], files, masks, strict=True):
        for pattern, fields in settings.items():
            if not _matches(pattern, file, root):
                continue
            if rows is None:
                others = [_under(f, root) for f in files if f.name == file.name and f != file]
                raise FileFormatError(
                    f"{FILES_BLOCK}: {pattern!r}: the rows of {_under(file, root)!r} cannot be "
                    f"told from those of {', '.join(map(repr, others))} (their sources name "
                    f"the same file, {file.name!r}); rename one of the files",
                    path=by,
                )
            used.add(pattern)
            notes = []
            for field, value in fields.items():
                n = int(rows.sum())
                if field not in out.columns:
                    notes.append(
                        f"{field} {value!r} of {mapping_name} (files: {pattern!r}) not set: "
                        f"these rows have no {field}"
                    )
                    continue
                before = sorted({str(v) for v in out.loc[rows, field].dropna()})
                was = f"was {', '.join(map(repr, before))}" if before else "was empty"
                out.loc[rows, field] = parse_date(value) if field == "date" else value
                notes.append(
                    f"{field} {value!r} set by {mapping_name} (files: {pattern!r}) for {n} "
                    f"row{'s' if n != 1 else ''} ({was})"
                )
            entry["notes"] = [*entry.get("notes", []), *notes]
    out.attrs["load_report"] = report
    return out, used


def unmatched(settings: FileSettings, used: set[str], *, path: Path) -> FileFormatError | None:
    """The error for the names of ``settings`` that matched no file read, or None."""
    missing = [name for name in settings if name not in used]
    if not missing:
        return None
    return FileFormatError(
        f"{FILES_BLOCK}: {', '.join(map(repr, missing))} names no file read from the study "
        "folder (a file name, a glob such as 'zoom_*.vtt', or a path under the folder)",
        path=path,
    )
