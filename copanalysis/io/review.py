"""The review sheet: machine codes a person accepts, rejects or corrects in a spreadsheet.

:func:`export_for_review` writes the codes to review (often those from
:func:`copanalysis.coding.suggest`) as an XLSX workbook or a CSV file, each with its quote
and surrounding context; :func:`import_review` reads the filled-in sheet back as ``codes``
rows whose ``coder`` is the reviewer, ready for :func:`copanalysis.agreement` or for
training a :class:`copanalysis.TextCoder`.

Cells a spreadsheet would run as formulas (text starting with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return) are neutralised on export by a leading single quote and written
as text cells; :func:`import_review` removes that quote again.
"""

from __future__ import annotations

import csv
import io
from os import PathLike
from pathlib import Path
from typing import Literal

import pandas as pd

from copanalysis.errors import (
    CodebookError,
    EmptyFileError,
    FileFormatError,
    MissingColumnError,
    UnsupportedFormatError,
)
from copanalysis.io.codebooks import load_codebook
from copanalysis.io.encoding import read_text
from copanalysis.io.tables import sniff_table
from copanalysis.schema import validate

__all__ = [
    "DECISIONS",
    "REVIEW_COLUMNS",
    "export_for_review",
    "import_review",
    "is_review_sheet",
    "load_review_sheet",
    "reviewed_by",
]

#: The values of the ``decision`` column.
DECISIONS: tuple[str, ...] = ("accept", "reject", "other")

#: The columns of a review sheet, in order.
REVIEW_COLUMNS: tuple[str, ...] = (
    "doc_id",
    "field",
    "start",
    "end",
    "code",
    "confidence",
    "quote",
    "context",
    "decision",
    "other_code",
    "note",
    "coder",
    "codebook",
    "polarity",
    "evidence",
)
_WIDTHS = {"quote": 60, "context": 80, "evidence": 40, "note": 30, "decision": 11}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ID_COLUMNS = ("doc_id", "story_id", "item_id", "respondent")


def export_for_review(
    codes: pd.DataFrame,
    frame: pd.DataFrame | None,
    path: str | PathLike[str],
    *,
    context_chars: int = 150,
    format: Literal["auto", "xlsx", "csv"] = "auto",
) -> Path:
    """Write ``codes`` to a spreadsheet a person fills in: accept, reject or other code.

    Parameters
    ----------
    codes : DataFrame
        The ``codes`` rows to review.
    frame : DataFrame or None
        The frame the codes came from (``stories``, ``items`` ...: an id column such as
        ``story_id`` and one column per field, or a ``text`` column); it supplies each
        quote's context. ``None``: no context column content.
    path : path
        Where to write; ``.xlsx`` or ``.csv`` (by suffix unless ``format`` says).
    context_chars : int
        Characters of the field's text shown on each side of the quote.
    format : {"auto", "xlsx", "csv"}
        File type; ``auto`` follows the suffix.

    Returns
    -------
    Path
        The file written. The XLSX has a bold frozen header row, column widths, wrapped
        quote and context cells, and a drop-down list (accept / reject / other) in
        ``decision``; ``other_code`` takes the code to use instead when the decision is
        ``other``.

    Raises
    ------
    UnsupportedFormatError
        When the file type is neither XLSX nor CSV.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> stories = pd.DataFrame({"story_id": ["s1"], "story": ["We met. I learned a lot."]})
    >>> codes = pd.DataFrame({"doc_id": ["s1"], "field": ["story"], "start": [8],
    ...     "end": [24], "quote": ["I learned a lot."], "code": ["potential"],
    ...     "coder": ["model:value_cycles@ab12"], "confidence": [0.55]})
    >>> out = export_for_review(codes, stories, pathlib.Path(tempfile.mkdtemp()) / "r.csv")
    >>> sheet = pd.read_csv(out, dtype=str, keep_default_na=False)
    >>> sheet.loc[0, ["code", "context", "decision"]].tolist()
    ['potential', 'We met. [[I learned a lot.]]', '']
    """
    target = Path(path)
    kind = _kind(target, format)
    sheet = _review_rows(validate(_neutral_polarity(codes), "codes"), frame, context_chars)
    cells = [[_neutralise(value) for value in row] for row in sheet]
    target.parent.mkdir(parents=True, exist_ok=True)
    if kind == "csv":
        with target.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(REVIEW_COLUMNS)
            writer.writerows(cells)
    else:
        _write_xlsx(target, cells)
    return target


def import_review(
    path: str | PathLike[str],
    *,
    reviewer: str,
    format: Literal["auto", "xlsx", "csv"] = "auto",
) -> pd.DataFrame:
    """Read a filled-in review sheet back as ``codes`` rows coded by ``reviewer``.

    ``accept`` keeps the row's code; ``other`` uses the code in ``other_code``; ``reject``
    drops the row (the reviewer says the code does not apply, and ``codes`` holds only
    codes that apply, so a rejection is the absence of a row; polarity is the code's
    valence, not its presence); rows with an empty ``decision`` were not reviewed and are
    skipped. Neutralised cells (a leading quote before ``=``, ``+``, ``-``, ``@``) are
    restored.

    Parameters
    ----------
    path : path
        An XLSX or CSV written by :func:`export_for_review` (columns may be reordered;
        extra columns are ignored).
    reviewer : str
        The person's name: the ``coder`` of every returned row.
    format : {"auto", "xlsx", "csv"}
        File type; ``auto`` follows the suffix.

    Returns
    -------
    DataFrame
        A ``codes`` frame: ``confidence`` 1.0, ``evidence`` saying whose code was reviewed
        and the reviewer's note. ``attrs["reviewed"]`` lists every span with a decision,
        rejected ones too, as ``(doc_id, field, start, end)``: a sheet covers only some of
        each story, so ``fit_codes`` and ``evaluate`` learn from and score those spans
        alone, a rejected span as "not this code", the rest as unread.
        ``attrs["decisions"]`` counts the rows ``accepted``, ``corrected`` (``other``),
        ``rejected`` and ``undecided`` (no decision: neither kept nor rejected, unread);
        ``attrs["undecided_rows"]`` lists the sheet rows of the last.

    Raises
    ------
    EmptyFileError
        When the sheet has no rows.
    MissingColumnError
        When a column the import needs is missing.
    FileFormatError
        When a ``decision`` is not accept/reject/other, or ``other`` has no
        ``other_code`` or one that is not a code of the row's codebook; the message names
        the file, the row and the column.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> codes = pd.DataFrame({"doc_id": ["s1"], "field": ["story"], "start": [0],
    ...     "end": [5], "quote": ["-3 h"], "code": ["realized"], "coder": ["model:x@1"]})
    >>> out = export_for_review(codes, None, pathlib.Path(tempfile.mkdtemp()) / "r.csv")
    >>> sheet = pd.read_csv(out).assign(decision="accept")
    >>> sheet.to_csv(out, index=False)
    >>> import_review(out, reviewer="Ana")[["code", "quote", "coder"]]
           code quote coder
    0  realized  -3 h   Ana
    """
    source = Path(path)
    kind = _kind(source, format)
    header, rows = _read_csv(source) if kind == "csv" else _read_xlsx(source)
    header = [str(h).strip().lower() for h in header]  # "Decision" is "decision"
    if not rows:
        raise EmptyFileError("review sheet has no rows below its header", path=source)
    needed = ("doc_id", "field", "start", "end", "code", "decision")
    missing = [c for c in needed if c not in header]
    if missing:
        raise MissingColumnError(
            f"review sheet lacks column(s) {', '.join(missing)}; has {', '.join(header)}",
            path=source,
        )
    records = []
    reviewed: list[tuple[str, str, int, int]] = []  # every span with a decision
    decided = {"accept": 0, "other": 0, "reject": 0}
    undecided: list[int] = []
    for number, cells in rows:
        row = {name: _restore(cells[i]) for i, name in enumerate(header) if i < len(cells)}
        decision = (row.get("decision") or "").strip().lower()
        if not decision:
            undecided.append(number)
            continue
        if decision not in DECISIONS:
            raise FileFormatError(
                f"decision {row.get('decision')!r}; expected one of {', '.join(DECISIONS)}",
                path=source,
                row=number,
                column="decision",
            )
        offsets = {}
        for column in ("start", "end"):
            offsets[column] = _number(row.get(column), column, source, number, "an offset")
        if offsets["end"] < offsets["start"]:
            raise FileFormatError(
                f"end {offsets['end']} is before start {offsets['start']}", path=source,
                row=number, column="end",
            )  # fmt: skip
        where = (str(row.get("doc_id") or ""), str(row.get("field") or ""))
        reviewed.append((*where, offsets["start"], offsets["end"]))
        decided[decision] += 1
        if decision == "reject":
            continue
        code = (row.get("code") or "").strip()
        if decision == "other":
            code = (row.get("other_code") or "").strip()
            if not code:
                raise FileFormatError(
                    "decision 'other' needs the code to use in 'other_code'; it is empty",
                    path=source,
                    row=number,
                    column="other_code",
                )
            code = _code_of(row.get("codebook"), code, source, number)
        if not code:
            raise FileFormatError(
                f"decision {decision!r} on a row with no code", path=source, row=number,
                column="code",
            )  # fmt: skip
        was = row.get("coder") or "unknown coder"
        note = (row.get("note") or "").strip()
        evidence = f"review ({decision}) of {was}" + (f": {note}" if note else "")
        polarity = _number(row.get("polarity") or "0", "polarity", source, number, "-1, 0 or 1")
        if polarity not in (-1, 0, 1):
            raise FileFormatError(
                f"polarity {polarity}; expected -1, 0 or 1", path=source, row=number,
                column="polarity",
            )  # fmt: skip
        records.append(
            {
                "doc_id": row.get("doc_id") or "",
                "field": row.get("field") or "",
                **offsets,
                "quote": row.get("quote") or "",
                "codebook": row.get("codebook") or pd.NA,
                "code": code,
                "polarity": polarity,
                "coder": reviewer,
                "confidence": 1.0,
                "evidence": evidence,
            }
        )
    frame = pd.DataFrame(records, columns=list(validate(_empty_codes(), "codes").columns))
    if frame.empty:
        frame = frame.astype({"start": "int64", "end": "int64", "polarity": "int64"})
    frame = validate(frame, "codes")
    frame.attrs["reviewed"] = reviewed
    frame.attrs["decisions"] = {
        "accepted": decided["accept"],
        "corrected": decided["other"],
        "rejected": decided["reject"],
        "undecided": len(undecided),
    }
    frame.attrs["undecided_rows"] = undecided
    return frame


def is_review_sheet(path: str | PathLike[str]) -> bool:
    """Whether ``path`` is a review sheet (an XLSX or CSV whose header has ``doc_id``,
    ``code`` and ``decision``), not a plain table of codes.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "Dina.csv").write_text("doc_id,code,Decision\\ns1,applied,accept\\n")
    >>> _ = (folder / "ana.csv").write_text("doc_id,code,coder\\ns1,applied,Ana\\n")
    >>> is_review_sheet(folder / "Dina.csv"), is_review_sheet(folder / "ana.csv")
    (True, False)
    """
    source = Path(path)
    if source.suffix.lower() not in (".csv", ".xlsx", ".xlsm"):
        return False
    header, _ = _read_csv(source) if _kind(source, "auto") == "csv" else _read_xlsx(source)
    names = {str(h).strip().lower() for h in header}
    return {"doc_id", "code", "decision"} <= names


def load_review_sheet(path: str | PathLike[str], *, reviewer: str | None = None) -> pd.DataFrame:
    """A filled-in review sheet as a study folder's ``gold/`` reads it: the reviewer's
    codes (:func:`import_review`), with a load report that says what was read.

    Parameters
    ----------
    path : path
        The sheet (XLSX or CSV).
    reviewer : str, optional
        The reviewer's name; by default the file's name without its suffix
        (``gold/Dina.xlsx`` is Dina's review).

    Returns
    -------
    DataFrame
        The ``codes`` frame of :func:`import_review`, with ``attrs["load_report"]`` (its
        file entry's ``review`` counts the decisions, and its notes say them, and the rows
        left undecided) and ``attrs["reviewed_by"]``: ``{reviewer: spans decided on}``
        (:func:`reviewed_by`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> sheet = pathlib.Path(tempfile.mkdtemp()) / "Dina.csv"
    >>> _ = sheet.write_text("doc_id,field,start,end,code,decision\\n"
    ...     "s1,story,0,9,applied,accept\\ns1,story,10,20,realized,reject\\n"
    ...     "s1,story,21,30,potential,\\n")
    >>> codes = load_review_sheet(sheet)
    >>> codes[["code", "coder"]].values.tolist()
    [['applied', 'Dina']]
    >>> codes.attrs["load_report"]["files"][0]["review"]
    {'accepted': 1, 'corrected': 0, 'rejected': 1, 'undecided': 1}
    >>> reviewed_by(codes)
    {'Dina': [('s1', 'story', 0, 9), ('s1', 'story', 10, 20)]}
    """
    from copanalysis.io.provenance import attach_provenance

    source = Path(path)
    who = reviewer or source.stem
    codes = import_review(source, reviewer=who)
    counts = codes.attrs.pop("decisions")
    undecided = codes.attrs.pop("undecided_rows")
    spans = codes.attrs.pop("reviewed")
    notes = [
        f"a filled review sheet, read as {who}'s codes (the reviewer is named after the "
        f"file): {counts['accepted']} accepted, {counts['corrected']} corrected (the code in "
        f"other_code), {counts['rejected']} rejected (read as not that code), "
        f"{counts['undecided']} left undecided",
        f"{who} reviewed the machine's codes, so {who}'s codes are not independent of the "
        "machine: agreement with them flatters it",
    ]
    if undecided:
        shown = ", ".join(map(str, undecided[:8]))
        more = f" and {len(undecided) - 8} more" if len(undecided) > 8 else ""
        notes.append(
            f"{len(undecided)} row{'s' if len(undecided) != 1 else ''} with no decision "
            f"(row{'s' if len(undecided) != 1 else ''} {shown}{more}) not read: neither "
            "accepted nor rejected, their passages count as unread"
        )
    entry = {
        "path": str(source),
        "format": f"review sheet ({_kind(source, 'auto')})",
        "n_rows": sum(counts.values()),
        "review": counts,
        "coders": {who: {"documents": int(codes["doc_id"].nunique()), "codes": len(codes)}},
        "documents_in_common": 0,
        "notes": notes,
    }
    codes = attach_provenance(codes, name="codes", files=[source], entries=[entry])
    codes.attrs["reviewed_by"] = {who: spans}
    return codes


def reviewed_by(codes: pd.DataFrame) -> dict[str, list[tuple[str, str, int, int]]]:
    """The reviewers among ``codes``'s coders (codes read from review sheets,
    :func:`load_review_sheet`), each with the spans they decided on; empty for codes
    a person coded on their own.

    Examples
    --------
    >>> reviewed_by(pd.DataFrame({"coder": ["Ana"]}))
    {}
    """
    return dict(codes.attrs.get("reviewed_by") or {})


# ------------------------------------------------------------------------- helpers


def _code_of(codebook: object, code: str, path: Path, row: int) -> str:
    """``code`` as an identifier of the row's codebook (its label or an alias may be
    written), or an error naming the file, row and column (trial 29: "realised" was taken
    as a code of its own); a codebook that cannot be loaded leaves the code as written."""
    try:
        book = load_codebook(str(codebook)) if codebook else None
    except (CodebookError, OSError):
        book = None
    if book is None:
        return code
    try:
        return book.resolve(code)
    except CodebookError as error:
        raise FileFormatError(str(error), path=path, row=row, column="other_code") from None


def _number(value: object, column: str, path: Path, row: int, what: str) -> int:
    """A whole number from a sheet cell, or an error naming the file, row and column."""
    try:
        number = float(str(value).strip())
    except ValueError:
        number = float("nan")
    if not number.is_integer():
        raise FileFormatError(
            f"{column} {value!r} is not {what} (a whole number)", path=path, row=row,
            column=column,
        )  # fmt: skip
    return int(number)


def _empty_codes() -> pd.DataFrame:
    from copanalysis.schema import empty

    return empty("codes")


def _kind(path: Path, format: str) -> str:
    if format in ("xlsx", "csv"):
        return format
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix == ".csv":
        return "csv"
    raise UnsupportedFormatError(
        f"review sheets are .xlsx or .csv; got {suffix or 'no suffix'!r}", path=path
    )


def _neutral_polarity(codes: pd.DataFrame) -> pd.DataFrame:
    if "polarity" not in codes.columns:
        return codes.assign(polarity=0)
    return codes.assign(polarity=codes["polarity"].fillna(0))


def _neutralise(value: object) -> object:
    """Text a spreadsheet would evaluate gets a leading single quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _restore(value: object) -> str | None:
    if value is None:
        return None
    text = str(value)
    if text.startswith("'") and text[1:].startswith(_FORMULA_STARTS):
        return text[1:]
    return text


def _field_texts(frame: pd.DataFrame | None) -> dict[tuple[str, str], str]:
    """(doc id, field) -> that field's text, from a stories/items-like frame."""
    if frame is None:
        return {}
    id_column = next((c for c in _ID_COLUMNS if c in frame.columns), None)
    if id_column is None:
        raise MissingColumnError(
            f"frame for review context has no id column; expected one of "
            f"{', '.join(_ID_COLUMNS)}, has {', '.join(map(str, frame.columns))}"
        )
    texts: dict[tuple[str, str], str] = {}
    ids = frame[id_column].astype(str).tolist()
    for column in frame.columns:
        if column == id_column:
            continue
        values = frame[column].tolist()
        for doc, value in zip(ids, values, strict=True):
            if isinstance(value, str):
                texts[(doc, str(column))] = value
    return texts


def _review_rows(
    codes: pd.DataFrame, frame: pd.DataFrame | None, context_chars: int
) -> list[list[object]]:
    texts = _field_texts(frame)
    rows: list[list[object]] = []
    for record in codes.to_dict("records"):
        doc, fld = str(record["doc_id"]), str(record["field"])
        start, end = int(record["start"]), int(record["end"])
        text = texts.get((doc, fld), texts.get((doc, "text")))
        context = ""
        if text is not None:
            before = text[max(0, start - context_chars) : start]
            after = text[end : end + context_chars]
            context = f"{before}[[{text[start:end]}]]{after}".strip()
        quote = record["quote"]
        if (pd.isna(quote) or quote == "") and text is not None:
            quote = text[start:end]
        values = {
            **record,
            "quote": quote,
            "context": context,
            "decision": "",
            "other_code": "",
            "note": "",
        }
        rows.append([_cell(values.get(column)) for column in REVIEW_COLUMNS])
    return rows


def _cell(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and value != value:  # NaN
        return ""
    if isinstance(value, (int, float, str)):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return _cell(value.item())
    return str(value)


def _write_xlsx(path: Path, cells: list[list[object]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "review"
    sheet.append(list(REVIEW_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(cells, start=2):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            cell.value = value  # type: ignore[assignment]
            if isinstance(value, str):
                cell.data_type = "s"  # text, never a formula
            if REVIEW_COLUMNS[c - 1] in ("quote", "context", "evidence"):
                cell.alignment = wrap
    for c, name in enumerate(REVIEW_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = _WIDTHS.get(name, 14)
    sheet.freeze_panes = "A2"
    column = get_column_letter(REVIEW_COLUMNS.index("decision") + 1)
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(DECISIONS) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="decision",
        error="Choose accept, reject or other.",
    )
    sheet.add_data_validation(validation)
    validation.add(f"{column}2:{column}{max(len(cells), 1) + 1}")
    book.save(path)


def _read_xlsx(path: Path) -> tuple[list[str], list[tuple[int, list[object]]]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except (BadZipFile, OSError, KeyError, ValueError) as exc:
        raise FileFormatError(f"cannot read the workbook: {exc}", path=path) from exc
    try:
        sheet = book["review"] if "review" in book.sheetnames else book.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
    finally:
        book.close()
    if not rows:
        raise EmptyFileError("review workbook is empty", path=path)
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    body = [
        (number, list(values))
        for number, values in enumerate(rows[1:], start=2)
        if any(v not in (None, "") for v in values)
    ]
    return header, body


def _read_csv(path: Path) -> tuple[list[str], list[tuple[int, list[object]]]]:
    """The sheet's header and numbered rows, in whatever encoding and delimiter a
    spreadsheet saved it (a European Excel writes semicolons and cp1252)."""
    text, _ = read_text(path)
    delimiter = sniff_table(text) or ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows:
        raise EmptyFileError("review CSV is empty", path=path)
    header = [h.strip() for h in rows[0]]
    body: list[tuple[int, list[object]]] = [
        (number, list(values))
        for number, values in enumerate(rows[1:], start=2)
        if any(v.strip() for v in values)
    ]
    return header, body
