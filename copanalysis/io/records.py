"""The steps every loader takes from read files to records and their load-report entries.

A loader (:mod:`~copanalysis.io.stories`, :mod:`~copanalysis.io.lists`,
:mod:`~copanalysis.io.roles`, :mod:`~copanalysis.io.grid`) turns each table
(:func:`~copanalysis.io.tables.read_tables`) and each document into a list of records (one
dict per row of its frame) and one load-report entry (what was read, how the columns were
mapped, what was skipped). This module holds what they share: going over the files,
matching a table's columns, skipping an empty row (or raising under ``strict=True``),
writing the entries, and building the frame from the records.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from copanalysis.errors import CopanalysisError, FileFormatError, MappingError, MissingColumnError
from copanalysis.io.fields import ColumnMatch, match_columns
from copanalysis.io.tables import TABLE_SUFFIXES, Table, read_tables, read_text_table
from copanalysis.io.tracked_changes import tracked_changes_entry

__all__ = [
    "Loaded",
    "document_entry",
    "match_table",
    "not_responses",
    "read_records",
    "records_frame",
    "skip_docx_table",
    "skip_row",
    "table_entry",
]

#: What a loader makes of one table or document: its records and its load-report entry.
Loaded = tuple[list[dict[str, Any]], dict[str, Any]]


def read_records(
    files: Iterable[Path],
    *,
    from_table: Callable[[Table], Loaded],
    from_document: Callable[[Path], Loaded],
    sheet: str | None = None,
    unreadable: list[dict[str, str]] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Records and load-report entries of every table (each sheet) and document in ``files``.

    A file with a table suffix (:data:`~copanalysis.io.tables.TABLE_SUFFIXES`) is read
    with :func:`~copanalysis.io.tables.read_tables` (only ``sheet`` when given) and each
    table goes to ``from_table``; so does a ``.txt`` file whose content is a delimited table
    (:func:`~copanalysis.io.tables.read_text_table`). Any other file goes to
    ``from_document``.

    A file that cannot be read raises, unless ``unreadable`` is a list: then the file
    gives no record and ``{"path": ..., "error": ...}`` is appended to the list (a loader's
    ``skip_unreadable=True``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "notes.csv")
    ...     _ = path.write_text("Note\\nFirst\\nSecond\\n", encoding="utf-8")
    ...     records, entries = read_records(
    ...         [path],
    ...         from_table=lambda t: ([{"note": c[0]} for _, c in t.rows], t.report()),
    ...         from_document=lambda p: ([], {}),
    ...     )
    >>> records, entries[0]["format"]
    ([{'note': 'First'}, {'note': 'Second'}], 'csv')
    """
    records: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    for file in files:
        try:
            loaded = _read_file(file, from_table, from_document, sheet)
        except (CopanalysisError, OSError) as exc:
            if unreadable is None:
                raise
            unreadable.append({"path": str(file), "error": str(exc)})
            continue
        for found, entry in loaded:
            records.extend(found)
            entries.append(entry)
    return records, entries


def _read_file(
    file: Path,
    from_table: Callable[[Table], Loaded],
    from_document: Callable[[Path], Loaded],
    sheet: str | None,
) -> list[Loaded]:
    """What one file gives: every table of it, or the document (nothing kept on an error).

    In a workbook read whole, a sheet whose columns match nothing this loader reads (a
    summary or pivot sheet beside the responses) is passed over and noted in the load
    report of the first sheet read; the workbook is an error only when no sheet fits.
    """
    suffix = file.suffix.lower()
    text_table = read_text_table(file) if suffix == ".txt" else None
    if suffix in TABLE_SUFFIXES:
        tables = read_tables(file, sheet=sheet)
        # sheets with no table at all (a one-line "Notes" sheet), named by the reader
        said = tables[0].info.get("sheets_not_read") if tables else None
        empty: list[Any] = list(said) if isinstance(said, list) else []
        if sheet is not None or len(tables) == 1:
            loaded_all = [from_table(table) for table in tables]
            if empty and loaded_all:
                loaded_all[0][1]["sheets_not_read"] = empty
            return loaded_all
        loaded: list[Loaded] = []
        passed: list[tuple[Table, MissingColumnError]] = []
        for table in tables:
            try:
                loaded.append(from_table(table))
            except MissingColumnError as exc:
                passed.append((table, exc))
        if not loaded:
            raise passed[0][1]
        if passed or empty:
            loaded[0][1]["sheets_not_read"] = empty + [
                {"sheet": table.sheet, "reason": str(exc).removeprefix(f"{table.where}: ")}
                for table, exc in passed
            ]
        return loaded
    if text_table is not None:
        return [from_table(text_table)]
    records, entry = from_document(file)
    if suffix == ".docx":
        entry = _with_tracked_changes(entry, file)
    return [(records, entry)]


def _with_tracked_changes(entry: dict[str, Any], path: Path) -> dict[str, Any]:
    """``entry`` with the tracked changes the Word document at ``path`` holds, read as
    Word shows it with every change accepted: listed, with a note (trial 46: a
    coordinator's inserted query was read and coded as a teacher's words, and nothing said
    the file held tracked changes)."""
    said = tracked_changes_entry(path)
    if not said:
        return entry
    return {
        **entry,
        "notes": [*entry.get("notes", []), said["note"]],
        "tracked_changes": said["tracked_changes"],
        "listed": {**entry.get("listed", {}), **said["listed"]},
    }


#: keys a loader keeps on its records for its own bookkeeping, never shown as columns
INTERNAL_KEYS = frozenset({"_path", "_row"})


def records_frame(records: Sequence[Mapping[str, Any]], columns: list[str]) -> pd.DataFrame:
    """The records as a frame: ``columns`` first, then any other key in order of appearance.

    The loaders' bookkeeping keys (:data:`INTERNAL_KEYS`) are left out; every other key,
    including a survey column whose header starts with an underscore, is kept.

    Examples
    --------
    >>> records = [{"text": "a", "Email": "x@y", "_row": 2, "_note": "n"}, {"text": "b"}]
    >>> frame = records_frame(records, ["id", "text"])
    >>> frame.columns.tolist(), frame["Email"].isna().tolist()
    (['id', 'text', 'Email', '_note'], [False, True])
    """
    extra: list[str] = []
    for record in records:
        extra.extend(
            k for k in record if k not in columns and k not in extra and k not in INTERNAL_KEYS
        )
    return pd.DataFrame(records, columns=columns + extra)


def match_table(
    table: Table,
    wording: Mapping[str, Sequence[str]],
    *,
    mapping: Mapping[str, str | None] | None = None,
) -> tuple[ColumnMatch, dict[str, int], dict[str, int]]:
    """Match ``table``'s headers to fields; return the match and where fields and kept sit.

    Returns
    -------
    tuple
        ``(found, fields, kept)``: the :class:`~copanalysis.io.fields.ColumnMatch` of
        :func:`~copanalysis.io.fields.match_columns`, ``field -> position`` of the matched
        columns and ``column -> position`` of the kept (unmatched) ones in the rows' cells.

    Examples
    --------
    >>> from copanalysis.io.fields import LIST_WORDING
    >>> table = Table(Path("l.csv"), "csv", ["Notes", "Enablers"], [(2, ["", "Time"])])
    >>> _, fields, kept = match_table(table, LIST_WORDING)
    >>> fields, kept
    ({'enabler': 1}, {'Notes': 0})
    """
    found = match_columns(table.columns, wording, mapping=mapping, path=table.where)
    fields = {field: table.columns.index(column) for column, (field, _) in found.fields.items()}
    # a kept column named "source" would overwrite the loader's own (where the row came
    # from: a REFI project's stories saved as CSV carry one)
    named = {c: f"{c} (file column)" if c == "source" else c for c in found.kept}
    if any(c != new for c, new in named.items()):
        found = dataclasses.replace(
            found, kept=[named[c] for c in found.kept], metadata=[named[c] for c in found.metadata]
        )
    kept = {named[column]: table.columns.index(column) for column in named}
    return found, fields, kept


def table_mapping(
    table: Table,
    mapping: Mapping[str, str | None] | None,
    unused: set[str],
    seen: set[str] | None = None,
) -> dict[str, str | None]:
    """A user's ``mapping`` (column name or Qualtrics short name -> field) as ``table``'s
    own column -> field; the names found are taken out of ``unused``, and the table's
    columns added to ``seen``, so that a loader can say which names no file has
    (:func:`unmatched_mapping`).

    Examples
    --------
    >>> table = Table(Path("l.csv"), "csv", ["Good bits", "Bad bits"], [(2, ["A", "B"])])
    >>> unused = {"Good bits", "Ugly bits"}
    >>> table_mapping(table, {"Good bits": "enabler", "Ugly bits": "challenge"}, unused)
    {'Good bits': 'enabler'}
    >>> unused
    {'Ugly bits'}
    """
    own: dict[str, str | None] = {}
    if seen is not None:
        seen.update(str(c) for c in table.columns)
    for name, field in (mapping or {}).items():
        column = table.column_named(name)  # a header, or a Qualtrics "Q3"
        if column is not None:
            own[column] = field
            unused.discard(name)
    return own


def unmatched_mapping(unused: set[str], seen: set[str], *, path: Any) -> MappingError:
    """The error for a mapping's column names that no file has, each with the nearest
    column the files do have.

    Examples
    --------
    >>> str(unmatched_mapping({"Anythign else?"}, {"Anything else?", "ID"}, path="stories"))
    "stories: mapping names column(s) 'Anythign else?' (did you mean 'Anything else?'?), found in no file"
    """  # noqa: E501
    import difflib

    named = []
    for name in sorted(unused):
        near = difflib.get_close_matches(name, sorted(seen), n=1, cutoff=0.75)
        named.append(f"{name!r} (did you mean {near[0]!r}?)" if near else repr(name))
    return MappingError(
        f"mapping names column(s) {', '.join(named)}, found in no file", path=str(path)
    )


def skip_row(
    skipped: list[dict[str, Any]], reason: str, *, table: Table, row: int, strict: bool
) -> None:
    """Note in ``skipped`` that table row ``row`` gives no record; raise under ``strict``.

    Raises
    ------
    FileFormatError
        With ``strict=True``, naming the table and the row.

    Examples
    --------
    >>> table = Table(Path("s.csv"), "csv", ["Story"], [(2, [""])])
    >>> skipped = []
    >>> skip_row(skipped, "no answer", table=table, row=2, strict=False)
    >>> skipped
    [{'row': 2, 'reason': 'no answer'}]
    """
    if strict:
        raise FileFormatError(
            f"{reason} (strict=True turns skipped rows into errors)", path=table.where, row=row
        )
    skipped.append({"row": row, "reason": reason})


#: What a survey tool writes in a response's type when it is no member's answer: Qualtrics'
#: "Response Type" (short name ``Status``) of a preview, a test response or spam.
_NOT_RESPONSES: dict[str, str] = {
    "survey preview": "a preview of the survey",
    "offline survey preview": "a preview of the survey",
    "survey test": "a test response",
    "spam": "spam",
    "survey preview spam": "spam",
    "imported spam": "spam",
}
#: The same in an export with numeric values ("Use numeric values").
_NOT_RESPONSE_CODES: dict[str, str] = {
    "1": "survey preview",
    "2": "survey test",
    "8": "spam",
    "9": "survey preview spam",
    "12": "imported spam",
    "17": "offline survey preview",
}
#: Qualtrics' "Distribution Channel" of a preview or of generated test responses.
_NOT_RESPONSE_CHANNELS: dict[str, str] = {
    "preview": "a preview of the survey",
    "test": "a test response",
}


def not_responses(table: Table) -> dict[int, str]:
    """The rows of a survey export that are no member's response, each with why: Qualtrics'
    previews, test responses and spam, by their "Response Type" (``Status``) or
    "Distribution Channel" (trial 33: a "Survey Preview" row, "test test", was coded as a
    member's story).

    Examples
    --------
    >>> table = Table(Path("q.csv"), "csv", ["Response Type", "Story"],
    ...               [(4, ["Survey Preview", "test test"]), (5, ["IP Address", "We met."])])
    >>> not_responses(table)
    {4: "a preview of the survey, not a member's response ('Response Type' is 'Survey Preview')"}
    """
    columns = {}
    for i, column in enumerate(table.columns):
        name = " ".join(column.lower().split())
        if name in ("status", "response type"):
            columns[i] = (column, _NOT_RESPONSES)
        elif name in ("distributionchannel", "distribution channel"):
            columns[i] = (column, _NOT_RESPONSE_CHANNELS)
    found: dict[int, str] = {}
    for row, cells in table.rows:
        for i, (column, kinds) in columns.items():
            value = cells[i].strip()
            key = value.casefold()
            if table.layout == "qualtrics" and kinds is _NOT_RESPONSES:
                key = _NOT_RESPONSE_CODES.get(key, key)
            if key in kinds:
                said = f"{column!r} is {value!r}"
                found[row] = f"{kinds[key]}, not a member's response ({said})"
                break
    return found


def skip_docx_table(
    skipped: list[dict[str, Any]], reason: str, *, path: Path, number: int, strict: bool
) -> None:
    """Note in ``skipped`` that worksheet table ``number`` of a DOCX gives no record.

    Raises
    ------
    FileFormatError
        With ``strict=True``, naming the file and the table.

    Examples
    --------
    >>> skipped = []
    >>> skip_docx_table(skipped, "no answer", path=Path("w.docx"), number=3, strict=False)
    >>> skipped
    [{'row': 3, 'reason': 'table 3: no answer'}]
    """
    if strict:
        raise FileFormatError(f"table {number}: {reason} (strict=True)", path=path)
    skipped.append({"row": number, "reason": f"table {number}: {reason}"})


def table_entry(
    table: Table,
    found: ColumnMatch,
    *,
    skipped: list[dict[str, Any]],
    n_rows: int,
    bad_dates: list[dict[str, Any]] | None = None,
    **more: Any,
) -> dict[str, Any]:
    """The load-report entry of one table: file, column mapping, skipped rows, ``more``.

    Examples
    --------
    >>> table = Table(Path("s.csv"), "csv", ["Story"], [(2, ["We met."])], encoding="utf-8")
    >>> entry = table_entry(table, ColumnMatch({"Story": ("story", 100.0)}, []),
    ...                     skipped=[], n_rows=1, notes=[])
    >>> list(entry)
    ['path', 'format', 'encoding', 'delimiter', 'sheet', 'mapping', 'kept', 'metadata', \
'mapped_to_none', 'skipped', 'bad_dates', 'notes', 'n_rows']
    """
    return {
        **table.report(),
        "mapping": found.report(),
        "kept": [c for c in found.kept if c not in found.metadata + found.left_out],
        "metadata": found.metadata,
        "mapped_to_none": found.left_out,
        "skipped": skipped,
        "bad_dates": [] if bad_dates is None else bad_dates,
        **more,
        "n_rows": n_rows,
    }


def document_entry(
    path: Path,
    *,
    fmt: str,
    skipped: list[dict[str, Any]],
    n_rows: int,
    encoding: str | None = None,
    mapping: dict[str, Any] | None = None,
    bad_dates: list[dict[str, Any]] | None = None,
    **more: Any,
) -> dict[str, Any]:
    """The load-report entry of one document (DOCX, Markdown, TXT), keyed as for a table.

    Examples
    --------
    >>> entry = document_entry(Path("w.docx"), fmt="docx", skipped=[], n_rows=2)
    >>> entry["format"], entry["mapping"], entry["n_rows"]
    ('docx', {}, 2)
    """
    return {
        "path": str(path),
        "format": fmt,
        "encoding": encoding,
        "delimiter": None,
        "sheet": None,
        "mapping": {} if mapping is None else mapping,
        "kept": [],
        "skipped": skipped,
        "bad_dates": [] if bad_dates is None else bad_dates,
        **more,
        "n_rows": n_rows,
    }
