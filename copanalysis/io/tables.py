"""Reading survey exports (CSV/TSV, spreadsheets, JSON) into plain tables of text cells.

Every loader that takes one row per respondent goes through :func:`read_tables`. It keeps
the row numbers a spreadsheet user sees (the header is row 1), so that reports and the
``source`` column point at the right row.

Qualtrics exports carry three header rows: short names (``Q1``, ``ResponseId``), the full
question text, and ``{"ImportId":"QID1"}`` JSON. :func:`read_tables` recognises that shape
(the third row's cells are all such JSON), names the columns by the question text, and
starts the data at row 4.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from copanalysis.errors import EmptyFileError, FileFormatError, UnsupportedFormatError
from copanalysis.io.encoding import read_text

__all__ = [
    "JSON_SUFFIXES",
    "SPREADSHEET_SUFFIXES",
    "TABLE_SUFFIXES",
    "TEXT_TABLE_SUFFIXES",
    "Table",
    "read_tables",
    "sheet_slug",
]

TEXT_TABLE_SUFFIXES: tuple[str, ...] = (".csv", ".tsv", ".tab")
SPREADSHEET_SUFFIXES: tuple[str, ...] = (".xlsx", ".xlsm", ".xls", ".ods")
JSON_SUFFIXES: tuple[str, ...] = (".json", ".jsonl", ".ndjson")
TABLE_SUFFIXES: tuple[str, ...] = TEXT_TABLE_SUFFIXES + SPREADSHEET_SUFFIXES + JSON_SUFFIXES
_DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")


@dataclass(frozen=True)
class Table:
    """One sheet of a survey export: header cells and data rows, all as text.

    ``rows`` holds ``(row_number, cells)`` pairs, ``row_number`` as a spreadsheet shows it
    (header = row 1; for JSON Lines the line number; for JSON the record's position). A
    cell is ``""`` when empty. ``n_sheets`` counts the sheets of the workbook (1 for text).
    ``header_row`` is the last header row: the data start after it (3 for a Qualtrics
    export, whose ``layout`` is ``"qualtrics"``; ``info`` then holds the short names and
    import ids per column).
    """

    path: Path
    format: str
    columns: list[str]
    rows: list[tuple[int, list[str]]]
    sheet: str | None = None
    n_sheets: int = 1
    encoding: str | None = None
    delimiter: str | None = None
    header_row: int = 1
    layout: Literal["plain", "qualtrics"] = "plain"
    info: dict[str, object] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """``file name[:sheet]`` as used in ``source`` and in messages."""
        return self.path.name if self.sheet is None else f"{self.path.name}:{self.sheet}"

    def report(self) -> dict[str, object]:
        """The file-level part of a load report (JSON-serialisable)."""
        report: dict[str, object] = {
            "path": str(self.path),
            "format": self.format,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "sheet": self.sheet,
        }
        if self.layout != "plain":
            report["layout"] = self.layout
            report["header_rows"] = self.info.get("header_rows")
            report["short_names"] = self.info.get("short_names")
        return report

    @property
    def id_stem(self) -> str:
        """How ids made from row numbers begin: the file stem (plus the sheet, if several).

        A workbook with several sheets adds the sheet's :func:`sheet_slug`.

        Examples
        --------
        >>> table = Table(Path("survey.xlsx"), "xlsx", ["Story"], [], "Team A", n_sheets=2)
        >>> table.id_stem
        'survey-team-a'
        """
        if self.n_sheets > 1 and self.sheet is not None:
            return f"{self.path.stem}-{sheet_slug(self.sheet)}"
        return self.path.stem

    def row_id(self, row: int) -> str:
        """The id of data row ``row`` when no column gives one: ``f"{id_stem}-{n:03d}"``.

        ``n`` counts rows from the first data row, so a skipped row keeps its number.

        Examples
        --------
        >>> table = Table(Path("survey.csv"), "csv", ["Story"], [(2, ["We met."])])
        >>> table.row_id(2)
        'survey-001'
        """
        return f"{self.id_stem}-{row - self.header_row:03d}"

    def column_named(self, name: str) -> str | None:
        """The column called ``name``, or whose Qualtrics short name (``Q3``) is ``name``."""
        if name in self.columns:
            return name
        short = self.info.get("short_names")
        if isinstance(short, dict):
            for column, alias in short.items():
                if alias == name:
                    return str(column)
        return None


def sheet_slug(name: str) -> str:
    """A sheet name as it appears inside ids: lower case, runs of other characters as "-".

    Examples
    --------
    >>> sheet_slug("Team A (2025)")
    'team-a-2025'
    """
    out = "".join(ch.lower() if ch.isalnum() else "-" for ch in name.strip())
    return "-".join(part for part in out.split("-") if part) or "sheet"


def read_tables(path: str | Path, *, sheet: str | None = None) -> list[Table]:
    """Read a CSV/TSV, XLSX/XLS/ODS, JSON or JSON Lines file into :class:`Table` objects.

    Parameters
    ----------
    path : str or Path
        The file.
    sheet : str, optional
        For spreadsheets, the one sheet to read; by default every sheet that holds data.

    Returns
    -------
    list of Table
        One per sheet (one for text formats).

    Raises
    ------
    UnsupportedFormatError, EmptyFileError, FileFormatError
        Unknown suffix; no data rows; undecodable text, a ragged row, a corrupt workbook.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "survey.csv")
    ...     _ = path.write_text("ID;Insights\\n7;We learned a lot\\n", encoding="utf-8")
    ...     (table,) = read_tables(path)
    >>> table.delimiter, table.columns, table.rows
    (';', ['ID', 'Insights'], [(2, ['7', 'We learned a lot'])])
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in TEXT_TABLE_SUFFIXES:
        return [_read_delimited(path)]
    if suffix in SPREADSHEET_SUFFIXES:
        return _read_workbook(path, sheet=sheet)
    if suffix in JSON_SUFFIXES:
        return [_read_json(path)]
    raise UnsupportedFormatError(
        f"cannot read {suffix or 'a file without suffix'!r} as a table; "
        f"supported: {', '.join(TABLE_SUFFIXES)}",
        path=path,
    )


def _table(
    path: Path,
    fmt: str,
    records: Iterable[tuple[int, Sequence[str]]],
    *,
    sheet: str | None = None,
    n_sheets: int = 1,
    encoding: str | None = None,
    delimiter: str | None = None,
    ragged: bool = True,
) -> Table:
    """Build a Table from numbered records: first non-blank one is the header.

    When the third non-blank record holds Qualtrics import ids, the first three are the
    header (see :func:`_qualtrics_header`).
    """
    header: list[str] | None = None
    header_row = 1
    rows: list[tuple[int, list[str]]] = []
    where = path.name if sheet is None else f"{path.name}:{sheet}"
    filled = [
        (number, [c if isinstance(c, str) else str(c) for c in record])
        for number, record in records
    ]
    filled = [(number, cells) for number, cells in filled if any(c.strip() for c in cells)]
    layout: Literal["plain", "qualtrics"] = "plain"
    head_rows: list[int] = []
    qualtrics = _qualtrics_header(filled[:3]) if fmt in ("csv", "xlsx") else None
    if qualtrics is not None:
        header = qualtrics[0]
        header_row, layout = filled[2][0], "qualtrics"
        head_rows = [number for number, _ in filled[:3]]
        filled = filled[3:]
    for number, cells in filled:
        if header is None:
            header, header_row = cells, number
            continue
        if len(cells) > len(header) and not any(c.strip() for c in cells[len(header) :]):
            cells = cells[: len(header)]
        if len(cells) != len(header):
            if ragged:
                raise FileFormatError(
                    f"ragged row: {len(cells)} fields where the header has {len(header)}",
                    path=where,
                    row=number,
                )
            cells = (cells + [""] * len(header))[: len(header)]
        rows.append((number, cells))
    if header is None:
        raise EmptyFileError("the file is empty", path=where)
    if not rows:
        raise EmptyFileError(
            f"the file holds a header ({', '.join(h for h in header if h)}) but no data rows",
            path=where,
        )
    # drop trailing unnamed, empty columns (spreadsheet ranges often run wider than the data)
    keep = [
        i for i, name in enumerate(header) if name.strip() or any(r[1][i].strip() for r in rows)
    ]
    columns = _unique([header[i].strip() or f"column {i + 1}" for i in keep])
    rows = [(n, [cells[i] for i in keep]) for n, cells in rows]
    info: dict[str, object] = {}
    if qualtrics is not None:
        _, short, ids = qualtrics
        info = {
            "header_rows": head_rows,
            "short_names": {c: short[i] for c, i in zip(columns, keep, strict=True)},
            "import_ids": {c: ids[i] for c, i in zip(columns, keep, strict=True)},
        }
    return Table(
        path=path,
        format=fmt,
        columns=columns,
        rows=rows,
        sheet=sheet,
        n_sheets=n_sheets,
        encoding=encoding,
        delimiter=delimiter,
        header_row=header_row,
        layout=layout,
        info=info,
    )


def _import_id(cell: str) -> str | None:
    """The ``ImportId`` of a Qualtrics third-row cell (``{"ImportId":"QID1"}``), or None."""
    text = cell.strip()
    if not text.startswith("{"):
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return None
    if isinstance(value, dict) and isinstance(value.get("ImportId"), str):
        return str(value["ImportId"])
    return None


def _qualtrics_header(
    first: Sequence[tuple[int, list[str]]],
) -> tuple[list[str], list[str], list[str]] | None:
    """``(column names, short names, import ids)`` when ``first`` is a Qualtrics header.

    A Qualtrics export's first three rows are the short names (``Q1``), the question text,
    and ``{"ImportId": ...}`` JSON in every non-empty cell. A column is named by its
    question text, or by its short name when the text is empty.
    """
    if len(first) < 3:
        return None
    short, text, ids = (cells for _, cells in first)
    found = [_import_id(c) for c in ids if c.strip()]
    if not found or any(i is None for i in found):
        return None
    width = len(short)

    def fit(cells: list[str]) -> list[str]:
        return (cells + [""] * width)[:width]

    short, text, ids = fit(short), fit(text), fit(ids)
    names = [t if t.strip() else s for s, t in zip(short, text, strict=True)]
    return names, [c.strip() for c in short], [_import_id(c) or "" for c in ids]


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        if name in seen:
            seen[name] += 1
            out.append(f"{name}.{seen[name]}")
        else:
            seen[name] = 0
            out.append(name)
    return out


def _sniff_delimiter(text: str, suffix: str) -> str:
    """The delimiter that splits the first records into the most, equal-length fields."""
    if suffix in (".tsv", ".tab"):
        return "\t"
    sample = text[:65536]
    best, best_key = ",", (False, 0)
    for delimiter in _DELIMITERS:
        lengths = []
        try:
            for record in csv.reader(sample.split("\n")[:50], delimiter=delimiter):
                if record:
                    lengths.append(len(record))
        except csv.Error:
            continue
        if not lengths:
            continue
        key = (len(set(lengths[:-1] or lengths)) == 1 and lengths[0] > 1, lengths[0])
        if key > best_key:
            best, best_key = delimiter, key
    return best


def _read_delimited(path: Path) -> Table:
    text, encoding = read_text(path)
    delimiter = _sniff_delimiter(text, path.suffix.lower())
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=False)
    records = []
    try:
        for number, record in enumerate(reader, start=1):
            records.append((number, record))
    except csv.Error as exc:
        raise FileFormatError(f"malformed CSV: {exc}", path=path, row=len(records) + 1) from exc
    return _table(path, "csv", records, encoding=encoding, delimiter=delimiter)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _read_workbook(path: Path, *, sheet: str | None) -> list[Table]:
    import pandas as pd

    try:
        sheets = pd.read_excel(
            path, sheet_name=None, header=None, dtype=object, na_filter=False, engine="calamine"
        )
    except Exception as exc:  # calamine raises its own types for broken zips and XML
        raise FileFormatError(
            f"cannot read the workbook ({type(exc).__name__}: {exc}); is it a valid "
            f"{path.suffix} file?",
            path=path,
        ) from exc
    if sheet is not None and sheet not in sheets:
        raise FileFormatError(
            f"no sheet named {sheet!r}; the workbook has {', '.join(map(repr, sheets))}",
            path=path,
        )
    tables = []
    for name, frame in sheets.items():
        if sheet is not None and name != sheet:
            continue
        records = [
            (i + 1, [_cell_text(v) for v in row])
            for i, row in enumerate(frame.itertuples(index=False, name=None))
        ]
        try:
            tables.append(
                _table(path, "xlsx", records, sheet=str(name), n_sheets=len(sheets), ragged=False)
            )
        except EmptyFileError:
            if sheet is not None or len(sheets) == 1:
                raise
    if not tables:
        raise EmptyFileError("no sheet of the workbook holds data rows", path=path)
    return tables


def _read_json(path: Path) -> Table:
    text, encoding = read_text(path)
    numbered: list[tuple[int, object]] = []
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        fmt = "jsonl"
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                numbered.append((number, json.loads(line)))
            except json.JSONDecodeError as exc:
                raise FileFormatError(f"invalid JSON: {exc.msg}", path=path, row=number) from exc
    else:
        fmt = "json"
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FileFormatError(f"invalid JSON: {exc}", path=path, row=exc.lineno) from exc
        if isinstance(data, dict):
            lists = [v for v in data.values() if isinstance(v, list)]
            if len(lists) != 1:
                raise FileFormatError(
                    "expected a list of records, or an object holding one such list", path=path
                )
            data = lists[0]
        if not isinstance(data, list):
            raise FileFormatError("expected a list of records", path=path)
        numbered = list(enumerate(data, start=1))
    columns: list[str] = []
    for number, record in numbered:
        if not isinstance(record, dict):
            raise FileFormatError(
                f"expected a record (an object), got {type(record).__name__}",
                path=path,
                row=number,
            )
        columns.extend(str(k) for k in record if str(k) not in columns)
    records: list[tuple[int, Sequence[str]]] = [(0, columns)]
    for number, record in numbered:
        assert isinstance(record, dict)
        values = {str(k): v for k, v in record.items()}
        records.append((number, [_json_text(values.get(c)) for c in columns]))
    if not columns:
        raise EmptyFileError("the file holds no records", path=path)
    return _table(path, fmt, records, encoding=encoding)


def _json_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return _cell_text(value)
