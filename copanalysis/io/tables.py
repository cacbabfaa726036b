"""Reading survey exports (CSV/TSV, spreadsheets, JSON) into plain tables of text cells.

Every loader that takes one row per respondent goes through :func:`read_tables`. It keeps
the row numbers a spreadsheet user sees (the header is row 1), so that reports and the
``source`` column point at the right row.

Qualtrics exports carry three header rows: short names (``Q1``, ``ResponseId``), the full
question text, and ``{"ImportId":"QID1"}`` JSON. :func:`read_tables` recognises that shape
(the third row's cells are all such JSON), names the columns by the question text, and
starts the data at row 4.

SurveyMonkey exports carry two: the question text (once over all the columns of a
question), then ``Response``, ``Open-Ended Response`` or the part of the question
(``Other (please specify)``, a matrix row), with nothing under ``Respondent ID`` and the
other columns SurveyMonkey adds. Such a column is named by its question, plus `` - part``
for the parts, and the data start at row 3.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from copanalysis.errors import EmptyFileError, FileFormatError, UnsupportedFormatError, quoted
from copanalysis.io.encoding import detect_encoding, read_text
from copanalysis.io.hidden import Hidden, hidden_parts

__all__ = [
    "JSON_SUFFIXES",
    "SPREADSHEET_SUFFIXES",
    "TABLE_SUFFIXES",
    "TEXT_TABLE_SUFFIXES",
    "Table",
    "read_tables",
    "read_text_table",
    "sheet_slug",
    "sniff_table",
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
    import ids per column; 2 for a SurveyMonkey export, ``layout`` ``"surveymonkey"``).
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
    layout: Literal["plain", "qualtrics", "surveymonkey"] = "plain"
    info: dict[str, object] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """``file name[:sheet]`` as used in ``source``."""
        return self.path.name if self.sheet is None else f"{self.path.name}:{self.sheet}"

    @property
    def where(self) -> str:
        """``path[:sheet]``, the file as given (with its folder), for messages."""
        return str(self.path) if self.sheet is None else f"{self.path}:{self.sheet}"

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
        if self.layout == "qualtrics":
            report["short_names"] = self.info.get("short_names")
        titles = self.info.get("titles")
        if isinstance(titles, list):
            report["dropped"] = list(titles)
        if "hidden" in self.info:
            report["hidden"] = self.info["hidden"]
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

    A ``.txt`` file is read too when its content is a delimited table
    (:func:`read_text_table`), such as Excel's "Unicode Text" export.

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
    if suffix == ".txt":
        table = read_text_table(path)
        if table is None:
            raise UnsupportedFormatError(
                "the text holds no delimited table (a header and rows of equal width)",
                path=path,
            )
        return [table]
    if suffix in SPREADSHEET_SUFFIXES:
        return _read_workbook(path, sheet=sheet)
    if suffix in JSON_SUFFIXES:
        return [_read_json(path)]
    raise UnsupportedFormatError(
        f"cannot read {suffix or 'a file without suffix'!r} as a table; "
        f"supported: {', '.join(TABLE_SUFFIXES)}",
        path=path,
    )


#: The fewest filled cells of a header below a row of group labels.
_GROUPED_HEADER = 4


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
    header (see :func:`_qualtrics_header`). Up to three first records with one filled cell
    each, above a record with several, are a title ("Strategic value reflection grid -
    autumn 2025", a line naming the workshop): the header is the record below them, and
    the report lists the title lines as dropped.
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
    layout: Literal["plain", "qualtrics", "surveymonkey"] = "plain"
    head_rows: list[int] = []
    qualtrics = _qualtrics_header(filled[:3]) if fmt in ("csv", "xlsx") else None
    monkey = _surveymonkey_header(filled[:2]) if fmt in ("csv", "xlsx") else None
    if qualtrics is not None:
        header = qualtrics[0]
        header_row, layout = filled[2][0], "qualtrics"
        head_rows = [number for number, _ in filled[:3]]
        filled = filled[3:]
    elif monkey is not None:
        header = monkey
        header_row, layout = filled[1][0], "surveymonkey"
        head_rows = [number for number, _ in filled[:2]]
        filled = filled[2:]
    titles: list[dict[str, object]] = []
    lines = _title_lines(filled) if layout == "plain" else 0
    if lines:
        for number, cells in filled[:lines]:
            text = next(c.strip() for c in cells if c.strip())
            titles.append({"row": number, "text": text, "reason": "a title above the header"})
        filled = filled[lines:]
    elif (
        layout == "plain"
        and len(filled) >= 3
        and _filled(filled[0][1]) > 1
        and 2 * _filled(filled[0][1]) <= _filled(filled[1][1]) >= _GROUPED_HEADER
    ):
        # labels of merged cells over groups of columns ("Respondent", "Story"), above
        # the questions: the header is the record below
        number, cells = filled.pop(0)
        text = " | ".join(c.strip() for c in cells if c.strip())
        titles.append({"row": number, "text": text, "reason": "group labels above the header"})
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
            f"the file holds a header ({quoted(h for h in header if h)}) but no data rows",
            path=where,
        )
    # drop trailing unnamed, empty columns (spreadsheet ranges often run wider than the data)
    keep = [
        i for i, name in enumerate(header) if name.strip() or any(r[1][i].strip() for r in rows)
    ]
    columns = _unique([header[i].strip() or f"column {i + 1}" for i in keep])
    rows = [(n, [cells[i] for i in keep]) for n, cells in rows]
    if layout == "surveymonkey":
        rows = _other_answers(columns, rows)
    info: dict[str, object] = {"header_rows": head_rows} if head_rows else {}
    if titles:
        info["titles"] = titles
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


#: The most lines of a title above a table's header (a title, the workshop and its date).
_TITLE_LINES = 3


def _title_lines(filled: Sequence[tuple[int, Sequence[str]]]) -> int:
    """How many of the first records are a title: up to :data:`_TITLE_LINES` records of
    one filled cell each, above a record with several (the header); 0 when there is none.

    Examples
    --------
    >>> _title_lines([(1, ["Reflection on strategic value"]), (2, ["Workshop, 12 June"]),
    ...               (4, ["", "... short-term?", "... long-term?"])])
    2
    >>> _title_lines([(1, ["Story"]), (2, ["We met."]), (3, ["We talked."])])
    0
    """
    n = 0
    while n < min(len(filled) - 1, _TITLE_LINES) and _filled(filled[n][1]) == 1:
        n += 1
    return n if n and _filled(filled[n][1]) > 1 else 0


def _filled(cells: Sequence[str]) -> int:
    """How many cells of a record hold text."""
    return sum(1 for c in cells if c.strip())


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


#: What SurveyMonkey writes in its second header row over a question's single answer column.
_MONKEY_ANSWER = frozenset({"", "response", "open-ended response"})


def _surveymonkey_header(first: Sequence[tuple[int, list[str]]]) -> list[str] | None:
    """The column names when ``first`` is a SurveyMonkey export's two header rows, else None.

    SurveyMonkey's first row starts its own columns with ``Respondent ID`` and has nothing
    under it in the second row, which names the answer column of each question
    (``Response``, ``Open-Ended Response``) or its parts.
    """
    if len(first) < 2:
        return None
    questions, parts = (cells for _, cells in first)
    names = [c.strip().lower() for c in questions]
    if "respondent id" not in names:
        return None
    where = names.index("respondent id")
    width = max(len(questions), len(parts))
    questions = (questions + [""] * width)[:width]
    parts = (parts + [""] * width)[:width]
    if parts[where].strip() or not any(p.strip() for p in parts):
        return None
    if not any(p.strip().lower() in _MONKEY_ANSWER - {""} for p in parts):
        return None
    columns, question = [], ""
    for text, part in zip(questions, parts, strict=True):
        question = text.strip() or question
        part = part.strip()
        if part.lower() in _MONKEY_ANSWER:
            columns.append(question)
        else:
            columns.append(f"{question} - {part}" if question else part)
    return columns


#: SurveyMonkey's part name of a choice question's free "Other" answer.
_OTHER = re.compile(r"^(?P<question>.+) - other \(please specify\)$", re.IGNORECASE)


def _other_answers(
    columns: list[str], rows: list[tuple[int, list[str]]]
) -> list[tuple[int, list[str]]]:
    """SurveyMonkey's "Other (please specify)": the text a respondent typed becomes the
    answer of the question, in place of the choice "Other (please specify)" (or beside
    another choice), so that a role reads "Healthcare assistant", not the choice's name.

    Examples
    --------
    >>> _other_answers(["Role", "Role - Other (please specify)"],
    ...                [(3, ["Other (please specify)", "Healthcare assistant"]),
    ...                 (4, ["Nurse", ""])])
    [(3, ['Healthcare assistant', 'Healthcare assistant']), (4, ['Nurse', ''])]
    """
    pairs = []
    for other, name in enumerate(columns):
        found = _OTHER.match(name)
        if found and found["question"] in columns:
            pairs.append((columns.index(found["question"]), other))
    for _, cells in rows:
        for choice, other in pairs:
            typed = cells[other].strip()
            if not typed:
                continue
            picked = cells[choice].strip()
            is_other = not picked or picked.lower().startswith("other")
            cells[choice] = typed if is_other else f"{picked}; {typed}"
    return rows


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


_SAMPLE = 1 << 16


def _records(sample: str, delimiter: str, *, limit: int = 50) -> list[list[str]] | None:
    """The first non-blank records of ``sample`` (the last one dropped if cut), or None."""
    records: list[list[str]] = []
    try:
        for record in csv.reader(io.StringIO(sample), delimiter=delimiter, strict=False):
            if any(c.strip() for c in record):
                records.append(record)
            if len(records) > limit:
                break
    except csv.Error:
        return None
    if len(sample) >= _SAMPLE and len(records) > 1:
        records = records[:-1]  # the sample may end inside the last record
    return records


def _sniff_delimiter(sample: str, suffix: str) -> str:
    """The delimiter that splits the first records into the most, equal-length fields."""
    if suffix in (".tsv", ".tab"):
        return "\t"
    best, best_key = ",", (False, 0)
    for delimiter in _DELIMITERS:
        records = _records(sample, delimiter)
        if not records:
            continue
        lengths = [len(r) for r in records]
        key = (len(set(lengths[:-1] or lengths)) == 1 and lengths[0] > 1, lengths[0])
        if key > best_key:
            best, best_key = delimiter, key
    return best


def sniff_table(sample: str) -> str | None:
    """The delimiter when ``sample`` (the start of a text file) is a delimited table, else None.

    For files whose name does not say (``.txt``): a table has at least two records, all of
    one width of two fields or more (the last may be cut by the sample's end). Split at a
    comma, semicolon or bar, no header cell after the first may start with a space: prose
    puts a space after its commas, survey tools never put one after a delimiter. Tabs are
    taken as they are (Excel's "Unicode Text" is tab-delimited UTF-16).

    Examples
    --------
    >>> sniff_table("Name\\tInsights\\nAna\\tWe met\\n")
    '\\t'
    >>> sniff_table("ID;Name;Story\\n1;Ana;We met, then we talked\\n")
    ';'
    >>> sniff_table("We met on Monday, and it helped.\\nThen, a week later, we met again.\\n")
    """
    for delimiter in ("\t", ";", ",", "|"):
        records = _records(sample, delimiter)
        if records is None or len(records) < 2:
            continue
        widths = {len(r) for r in records}
        if len(widths) != 1 or widths.pop() < 2:
            continue
        if delimiter != "\t" and any(c[:1].isspace() for c in records[0][1:]):
            continue
        return delimiter
    return None


def read_text_table(path: str | Path) -> Table | None:
    """Read a text file whose name does not say it is a table, if its content is one.

    Returns None when :func:`sniff_table` finds no table in the file's first 64 KiB (a
    narrative, a worksheet). Any encoding :func:`~copanalysis.io.encoding.detect_encoding`
    knows is read.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "export.txt")
    ...     _ = path.write_bytes("Name\\tInsights\\r\\nAna\\tWe met\\r\\n".encode("utf-16"))
    ...     table = read_text_table(path)
    >>> table.encoding, table.delimiter, table.rows
    ('utf-16', '\\t', [(2, ['Ana', 'We met'])])
    """
    path = Path(path)
    encoding = detect_encoding(path)
    with open(path, encoding=encoding, newline="") as handle:
        delimiter = sniff_table(handle.read(_SAMPLE))
    if delimiter is None:
        return None
    return _read_delimited(path, encoding=encoding, delimiter=delimiter)


def _read_delimited(
    path: Path, *, encoding: str | None = None, delimiter: str | None = None
) -> Table:
    """Stream a delimited text file into a Table (the text is never held whole)."""
    encoding = encoding or detect_encoding(path)
    with open(path, encoding=encoding, newline="") as handle:
        if delimiter is None:
            delimiter = _sniff_delimiter(handle.read(_SAMPLE), path.suffix.lower())
            handle.seek(0)
        reader = csv.reader(handle, delimiter=delimiter, strict=False)
        records: list[tuple[int, list[str]]] = []
        try:
            for number, record in enumerate(reader, start=1):
                records.append((number, record))
        except csv.Error as exc:
            message = f"malformed CSV: {exc}"
            if "field limit" in str(exc):
                message = (
                    f"a field runs past {csv.field_size_limit():,} characters (spreadsheets "
                    "hold at most 32,767 in a cell): most likely a quote that is never closed"
                )
            raise FileFormatError(message, path=path, row=len(records) + 1) from exc
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
    hidden = hidden_parts(path)
    tables = []
    empty: list[dict[str, str]] = []  # sheets of no table: named in the first table's report
    for name, frame in sheets.items():
        if sheet is not None and name != sheet:
            continue
        records = [
            (i + 1, [_cell_text(v) for v in row])
            for i, row in enumerate(frame.itertuples(index=False, name=None))
        ]
        try:
            table = _table(
                path, "xlsx", records, sheet=str(name), n_sheets=len(sheets), ragged=False
            )
        except EmptyFileError as exc:
            if sheet is not None or len(sheets) == 1:
                raise
            where = f"{exc.path}: " if exc.path else ""
            empty.append({"sheet": str(name), "reason": str(exc).removeprefix(where)})
            continue
        said = _hidden_report(table, records, hidden.get(str(name)))
        if said:
            table.info["hidden"] = said
        tables.append(table)
    if not tables:
        raise EmptyFileError("no sheet of the workbook holds data rows", path=path)
    if empty:
        tables[0].info["sheets_not_read"] = empty
    return tables


def _hidden_report(
    table: Table, records: list[tuple[int, list[str]]], hidden: Hidden | None
) -> dict[str, object]:
    """What of the table was hidden in Excel and is read all the same: the sheet, the
    columns holding answers (by letter and header) and the data rows."""
    if not hidden:
        return {}
    from openpyxl.utils import get_column_letter

    said_rows = table.info.get("header_rows")
    head = list(said_rows) if isinstance(said_rows, list) else [table.header_row]
    data = {number for number, _ in table.rows}
    columns = []
    for number in hidden.columns:
        cells = [c[number - 1] if number <= len(c) else "" for _, c in records]
        if not any(cells[n - 1].strip() for n in data if n <= len(cells)):
            continue  # hidden but empty: the unused columns right of the data
        name = next((cells[n - 1].strip() for n in head if cells[n - 1].strip()), "")
        columns.append(
            f"{get_column_letter(number)} ({name!r})" if name else get_column_letter(number)
        )
    rows = sorted(data.intersection(hidden.rows))
    said: dict[str, object] = {}
    if hidden.sheet:
        said["sheet"] = True
    if columns:
        said["columns"] = columns
    if rows:
        said["rows"] = rows
    return said


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
