"""Exceptions raised by copanalysis.

Every error subclasses :class:`CopanalysisError`, itself a :class:`ValueError`, and its
message names the file and, where one applies, the row and column.
"""

from __future__ import annotations

import reprlib
from collections.abc import Iterable
from os import PathLike

__all__ = [
    "CodebookError",
    "CopanalysisError",
    "DuplicateIdError",
    "EmptyFileError",
    "EndpointError",
    "FileFormatError",
    "GroupColumnError",
    "MappingError",
    "MissingColumnError",
    "MissingExtraError",
    "ModelFileError",
    "RefiError",
    "SchemaError",
    "UnsupportedFormatError",
    "quoted",
]

#: How a message quotes a value: a long one cut in the middle ("'Tell us...the end'")
_QUOTE = reprlib.Repr()
_QUOTE.maxstring = 120
_QUOTE.maxother = 120


def quoted(values: Iterable[object], *, at_most: int = 40) -> str:
    """``values`` quoted for a message, each cut to about 120 characters, at most ``at_most``.

    A file read without a header row has a story as its first "header": the message names
    the headers it saw without printing the story whole.

    Examples
    --------
    >>> quoted(["Date", "What happened?"])
    "'Date', 'What happened?'"
    >>> print(quoted(["We met every week and shared what we tried. " * 1000]))
    'We met every week and shared what we tried. We met every ...hat we tried. We met every
    week and shared what we tried. '
    >>> quoted(["Date", "Name", "Story", "Role"], at_most=2)
    "'Date', 'Name' and 2 more"
    """
    values = list(values)
    shown = ", ".join(map(_QUOTE.repr, values[:at_most]))
    return f"{shown} and {len(values) - at_most} more" if len(values) > at_most else shown


def _locate(
    path: str | PathLike[str] | None, row: int | None = None, column: str | None = None
) -> str:
    parts = []
    if path is not None:
        parts.append(str(path))
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"column {column!r}")
    return ", ".join(parts)


class CopanalysisError(ValueError):
    """Base class: a problem with a user's file or frame.

    Parameters
    ----------
    message : str
        What is wrong and what was expected.
    path, row, column : optional
        Where. They prefix the message and are kept as attributes.

    Examples
    --------
    >>> str(CopanalysisError("no text column", path="stories.csv", row=3))
    'stories.csv, row 3: no text column'
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | PathLike[str] | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.path = None if path is None else str(path)
        self.row = row
        self.column = column
        where = _locate(path, row, column)
        super().__init__(f"{where}: {message}" if where else message)


class EmptyFileError(CopanalysisError):
    """The file holds no data (empty, or headers only)."""


class UnsupportedFormatError(CopanalysisError):
    """The file's type is not one a loader reads."""


class FileFormatError(CopanalysisError):
    """The file is corrupt, undecodable or malformed (ragged rows, broken zip)."""


class MissingColumnError(CopanalysisError):
    """A required column (such as the text of a story) could not be found."""


class GroupColumnError(MissingColumnError):
    """A column to compare groups of stories by (``--by``, ``by=``) that the stories do
    not have."""


class MappingError(MissingColumnError):
    """A column mapping (``mapping=``, a study folder's ``mapping.yaml``) names a column
    that no file has."""


class DuplicateIdError(CopanalysisError):
    """Two rows share an id that must be unique."""


class SchemaError(CopanalysisError):
    """A frame does not meet its contract in :mod:`copanalysis.schema`."""


class CodebookError(CopanalysisError):
    """A codebook file or value is invalid."""


class RefiError(CopanalysisError):
    """A REFI-QDA file (.qdc/.qdpx) is invalid, unsafe or unreadable."""


class MissingExtraError(CopanalysisError, ImportError):
    """An optional part of copanalysis is not installed; the message names the extra."""


class ModelFileError(CopanalysisError):
    """A model's weights are missing, or are not the file the package pins by hash."""


class EndpointError(CopanalysisError):
    """A language-model server could not be used (refused, unreachable, timed out, or it
    rejected the request); the message names the endpoint."""
