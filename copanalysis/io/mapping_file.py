"""A study folder's ``mapping.yaml``: which column of its survey exports is which field.

The command line reads a study folder without Python, so the ``mapping=`` that
:func:`~copanalysis.io.load_stories` and :func:`~copanalysis.io.load_lists` take is written
in the folder, one block per sub-folder, column header (or a Qualtrics short name such as
``Q3``) to field; ``null`` keeps a column as it is, never read as an answer::

    stories:
      "What network activity was most meaningful to you this season?": activities
      "Which best describes you?": role
      "District": null
    lists:
      "What has got in the way?": challenges

A ``files:`` block gives a file that does not say them its community and date
(:mod:`copanalysis.io.file_settings`).

:func:`~copanalysis.io.load_corpus`, ``copanalysis check`` and ``copanalysis run`` read it
when it is there; a name found in no file of its sub-folder is an error, as with
``mapping=``.
"""

from __future__ import annotations

from collections.abc import Mapping
from os import PathLike
from pathlib import Path

from copanalysis.errors import FileFormatError
from copanalysis.io.file_settings import FILES_BLOCK, FileSettings, read_file_settings

__all__ = [
    "MAPPING_FILE",
    "Mappings",
    "mapping_for_file",
    "read_mapping",
    "study_mapping",
]

#: The file's name in the study folder.
MAPPING_FILE = "mapping.yaml"
#: The sub-folders whose loaders take a mapping.
FOLDERS = ("stories", "lists")

Mappings = dict[str, dict[str, str | None]]


def _read_yaml(path: Path) -> dict:
    """The blocks of a ``mapping.yaml``, checked to be among those it may hold."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise FileFormatError(
            f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
            path=path,
            row=None if mark is None else mark.line + 1,
        ) from exc
    if data is None:
        return {}
    if not isinstance(data, dict) or not set(map(str, data)) <= {*FOLDERS, FILES_BLOCK}:
        found = ", ".join(map(repr, data)) if isinstance(data, dict) else type(data).__name__
        raise FileFormatError(
            f"expected blocks named {' and '.join(FOLDERS)} (each 'column header: field') "
            f"or {FILES_BLOCK} (each 'file name:' with its community or date); found {found}",
            path=path,
        )
    return data


def read_mapping(path: str | PathLike[str]) -> Mappings:
    """The mappings of a ``mapping.yaml``, by sub-folder (its ``files:`` block is read by
    :func:`study_mapping`).

    Raises
    ------
    FileFormatError
        Naming the file (and the line, for YAML errors) when it is not a mapping of
        ``stories``/``lists`` to ``column: field`` pairs.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> file = pathlib.Path(tempfile.mkdtemp()) / "mapping.yaml"
    >>> _ = file.write_text('stories:\\n  "Which best describes you?": role\\n  District:\\n')
    >>> read_mapping(file)
    {'stories': {'Which best describes you?': 'role', 'District': None}}
    """
    path = Path(path)
    return _mappings(_read_yaml(path), path)


def _mappings(data: dict, path: Path) -> Mappings:
    """The column blocks of a ``mapping.yaml``'s ``data``, checked."""
    mappings: Mappings = {}
    for folder, block in data.items():
        if block is None or folder == FILES_BLOCK:
            continue
        if not isinstance(block, dict):
            raise FileFormatError(
                f"{folder}: expected 'column header: field' lines, found {type(block).__name__}",
                path=path,
            )
        mappings[str(folder)] = {
            str(column): None if field is None else str(field) for column, field in block.items()
        }
    return mappings


def study_mapping(
    root: Path, mapping: Mapping[str, Mapping[str, str | None]] | str | PathLike[str] | None
) -> tuple[Mappings, FileSettings, Path]:
    """What a study is read with, from one reading of its mapping: the column mappings, the
    ``files:`` block (:mod:`copanalysis.io.file_settings`) and the mapping file they are
    from (or would be). The mapping is the one given (a dict, or a file to read), else the
    folder's own ``mapping.yaml`` when it has one, else none."""
    if mapping is None or isinstance(mapping, (str, PathLike)):
        path = root / MAPPING_FILE if mapping is None else Path(mapping)
        if mapping is None and not path.is_file():
            return {}, {}, path
        data = _read_yaml(path)
        return _mappings(data, path), read_file_settings(data.get(FILES_BLOCK), path=path), path
    path = root / MAPPING_FILE
    unknown = sorted(set(map(str, mapping)) - {*FOLDERS, FILES_BLOCK})
    if unknown:
        raise FileFormatError(
            f"mapping: {', '.join(map(repr, unknown))} is no sub-folder read with a mapping "
            f"({' or '.join(FOLDERS)})",
            path=root,
        )
    columns = {str(k): dict(v) for k, v in mapping.items() if k != FILES_BLOCK}
    return columns, read_file_settings(mapping.get(FILES_BLOCK), path=path), path


def mapping_for_file(mapping: Mapping[str, str | None], file: Path) -> dict[str, str | None]:
    """The part of a sub-folder's ``mapping`` that names columns of ``file``: a file loaded
    alone (by ``check``) is not in error for a column another file of the folder has."""
    from copanalysis.io.tables import TABLE_SUFFIXES, read_tables

    if not mapping or file.suffix.lower() not in TABLE_SUFFIXES:
        return {}
    try:
        tables = read_tables(file)
    except (OSError, ValueError):  # the loader says what is wrong with the file
        return dict(mapping)
    return {
        name: field
        for name, field in mapping.items()
        if any(table.column_named(name) is not None for table in tables)
    }
