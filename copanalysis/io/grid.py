"""Load strategic-value reflection grids (value to members / organization, short / long term).

Wide tables have one column per cell ("Short-term value to members" ...), long tables a
beneficiary, a horizon and a text column; a DOCX or Markdown file holds the seed's 2x2
table (rows "... to members?" / "... to organization?", columns "... short-term?" / "...
long-term?"; in Markdown a pipe table) under a "Respondent:" line (or a place's,
"School: ...", :mod:`~copanalysis.io.worksheet_lines`). A sheet (CSV, XLSX)
that holds that 2x2 table is read the same way, its row labels giving the beneficiary, as
one respondent's grid. Without a respondent,
``respondent`` is ``f"{stem}-{n:03d}"``; a long table without a respondent column whose
cells are each answered once is one respondent's grid, ``stem``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from textwrap import shorten
from typing import Any

import pandas as pd

from copanalysis.errors import FileFormatError, MissingColumnError, quoted
from copanalysis.io.documents import read_tables_of
from copanalysis.io.fields import (
    GRID_WORDING,
    ColumnMatch,
    clean_text,
    content_words,
    drop_placeholders,
    is_no_answer,
    placeholder_notes,
)
from copanalysis.io.places import listed_places
from copanalysis.io.provenance import attach_provenance, list_files
from copanalysis.io.records import (
    Loaded,
    document_entry,
    match_table,
    read_records,
    records_frame,
    skip_docx_table,
    skip_row,
    table_entry,
)
from copanalysis.io.tables import TABLE_SUFFIXES, Table
from copanalysis.io.worksheet_lines import read_worksheet_lines
from copanalysis.schema import FRAMES, validate

__all__ = ["GRID_SUFFIXES", "load_grid"]

GRID_SUFFIXES: tuple[str, ...] = (*TABLE_SUFFIXES, ".docx", ".md", ".markdown")
_COLUMNS = list(FRAMES["grid"].columns)
_CELLS = ("members/short", "members/long", "organization/short", "organization/long")


def _beneficiary(text: str) -> str | None:
    words = text.lower()
    if re.search(r"\bmembers?\b", words):
        return "members"
    if re.search(r"\borgani[sz]ations?\b", words):
        return "organization"
    return None


def _horizon(text: str) -> str | None:
    words = text.lower().replace("-", " ")
    if re.search(r"\bshort\b", words):
        return "short"
    if re.search(r"\blong\b", words):
        return "long"
    return None


def load_grid(
    path: str | Path,
    *,
    sheet: str | None = None,
    strict: bool = False,
    skip_unreadable: bool = False,
) -> pd.DataFrame:
    """Load strategic-value grids from CSV/XLSX/JSON (wide or long), DOCX or Markdown.

    Parameters
    ----------
    path : str or Path
        A file or a folder.
    sheet : str, optional
        For workbooks, the one sheet to read (by default every sheet that holds a grid).
    strict : bool
        Raise instead of skipping a respondent with no filled cell.
    skip_unreadable : bool
        Leave out a file that cannot be read (a broken workbook, a form with no table)
        instead of raising; the load report lists it with the error (``unreadable``).

    Returns
    -------
    pandas.DataFrame
        The ``grid`` frame (``respondent``, ``beneficiary``, ``horizon``, ``text``,
        ``source``, then ``community`` when known), one row per filled cell, with
        ``attrs["load_report"]``.

    Raises
    ------
    MissingColumnError
        When a table has neither the four cell columns nor beneficiary/horizon/text, or a
        DOCX or Markdown file has no 2x2 grid table.
    FileFormatError
        A long table's beneficiary or horizon that is not one of the allowed values; with
        ``strict=True`` also a respondent with no filled cell. Others as for the loaders.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "grid.csv")
    ...     _ = path.write_text(
    ...         "Respondent,Short-term value to members,Long-term value to the organization\\n"
    ...         "Maria,Quick answers,Retention\\n", encoding="utf-8")
    ...     grid = load_grid(path)
    >>> grid[["beneficiary", "horizon", "text"]].values.tolist()
    [['members', 'short', 'Quick answers'], ['organization', 'long', 'Retention']]
    """
    files = list_files(path, GRID_SUFFIXES)
    unreadable: list[dict[str, str]] | None = [] if skip_unreadable else None
    records, entries = read_records(
        files,
        unreadable=unreadable,
        from_table=lambda table: _from_table(table, strict=strict),
        from_document=lambda file: _from_document(file, strict=strict),
        sheet=sheet,
    )
    frame = validate(records_frame(records, _COLUMNS), "grid")
    return attach_provenance(
        frame, name="grid", files=files, entries=entries, unreadable=unreadable or ()
    )


def _from_table(table: Table, *, strict: bool) -> Loaded:
    seed = _table_seed(table)
    if seed is not None:
        return _from_seed_table(table, seed, strict=strict)
    found, index, kept = match_table(table, GRID_WORDING)
    prose = [c for c, (f, _) in found.fields.items() if f in _CELLS and not _is_heading(c)]
    if prose:  # a notes sheet's first line ("Members long-term cell left empty ...")
        found, index, kept = match_table(table, GRID_WORDING, mapping=dict.fromkeys(prose))
        found = dataclasses.replace(found, left_out=[])
    wide = [cell for cell in _CELLS if cell in index]
    long = all(f in index for f in ("beneficiary", "horizon", "text"))
    if not wide and not long:
        sentence = " (a sentence, not a heading)"
        headers = [f"{quoted([c])}{sentence * (c in prose)}" for c in table.columns]
        raise MissingColumnError(
            "no grid columns: expected the four cells (e.g. 'Short-term value to members') "
            f"or beneficiary, horizon and text columns; headers are {', '.join(headers)}",
            path=table.where,
        )
    records: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    notes = [f"header {c!r} reads as a sentence, not a heading: kept as is" for c in prose]
    seen: dict[str, tuple[int, list[tuple[str, str, str]]]] = {}  # respondent: row, cells
    placeholders: list[str] = []
    for row, cells in table.rows:
        values = {field: clean_text(cells[i]) for field, i in index.items()}
        placeholders += drop_placeholders(values, [*wide, "text"], where=f"row {row}")
        respondent = values.get("respondent") or table.row_id(row)
        extra = {c: clean_text(cells[i]) for c, i in kept.items()}
        if "community" in index:
            extra["community"] = values.get("community")
        filled: list[tuple[str, str, str]] = []
        if wide:
            for cell in wide:
                text = values.get(cell)
                if text is not None:
                    who, when = cell.split("/")
                    filled.append((who, when, text))
        else:
            raw_b, raw_h = values.get("beneficiary") or "", values.get("horizon") or ""
            beneficiary, horizon = _beneficiary(raw_b), _horizon(raw_h)
            for column, raw, parsed in (
                ("beneficiary", raw_b, beneficiary),
                ("horizon", raw_h, horizon),
            ):
                if parsed is None:
                    raise FileFormatError(
                        f"{column} {raw!r} is not one of "
                        + ("members, organization" if column == "beneficiary" else "short, long"),
                        path=table.where,
                        row=row,
                        column=table.columns[index[column]],
                    )
            answer = values.get("text")
            if answer is not None and beneficiary and horizon:
                filled.append((beneficiary, horizon, answer))
        if not filled:
            skip_row(skipped, "no filled grid cell", table=table, row=row, strict=strict)
            continue
        if wide and values.get("respondent") and respondent in seen:
            first, answers = seen[respondent]
            if answers == filled:
                reason = f"the same answers as row {first} ({respondent!r} listed twice)"
                skip_row(skipped, reason, table=table, row=row, strict=strict)
                continue
            notes.append(
                f"row {row}: {respondent!r} is also in row {first}, with other answers; "
                "both kept, under one respondent"
            )
        seen.setdefault(respondent, (row, filled))
        for beneficiary, horizon, text in filled:
            records.append(
                {
                    "respondent": respondent,
                    "beneficiary": beneficiary,
                    "horizon": horizon,
                    "text": text,
                    "source": f"{table.label}:row {row}",
                    **extra,
                }
            )
    if not wide and "respondent" not in index and records:
        notes.append(_one_sheet_or_rows(records, table.id_stem))
    notes += placeholder_notes(placeholders)
    return records, table_entry(
        table,
        found,
        skipped=skipped,
        n_rows=len(records),
        notes=notes,
        listed=listed_places({"answers read as no answer": placeholders}),
    )


#: The most content words of a cell column's header: more, and it reads as prose (a
#: sentence ending in "." has fewer), unless it asks a question.
_HEADING_WORDS = 10
_SENTENCE_WORDS = 5


def _is_heading(header: str) -> bool:
    """Whether a column header reads as a heading or a question, not a sentence of prose.

    A notes sheet's first line is no header of a cell (trial 33: "Members long-term cell
    left empty - revisit in September." was matched to members/long at 100).

    Examples
    --------
    >>> [_is_heading(h) for h in ("Short-term value to members.",
    ...     "What is the long-term value of the community to the organization?",
    ...     "Members long-term cell left empty - revisit in September.")]
    [True, True, False]
    """
    if "?" in header:
        return True
    words = content_words(header).split()
    sentence = header.rstrip().endswith((".", "!"))
    return len(words) <= (_SENTENCE_WORDS if sentence else _HEADING_WORDS)


def _table_seed(table: Table) -> SeedGrid | None:
    """The seed's 2x2 table typed into a sheet, or None: the header names the horizons
    ("... short-term?") and not who benefits, and the first column's labels the
    beneficiary ("... to members?"), as in the Word worksheet (trial 33: the header alone
    was matched, and the organization's answers went into the members' cells).

    Examples
    --------
    >>> table = Table(Path("g.csv"), "csv", ["", "... short-term?", "... long-term?"],
    ...               [(2, ["... to members?", "Tips", ""]),
    ...                (3, ["... to organization?", "Fewer ulcers", ""])])
    >>> _table_seed(table)
    (0, {1: 'short', 2: 'long'}, {1: 'members', 2: 'organization'})
    >>> wide = Table(Path("g.csv"), "csv", ["Name", "Short-term value to members"],
    ...              [(2, ["Members' rep", "Tips"])])
    >>> _table_seed(wide) is None
    True
    """
    seed = _seed_grid([table.columns, *(cells for _, cells in table.rows)])
    if seed is None or seed[0] != 0:
        return None
    if any(_beneficiary(table.columns[c]) for c in seed[1]):
        return None  # "Short-term value to members": a wide table's cell column
    return seed


def _from_seed_table(table: Table, seed: SeedGrid, *, strict: bool) -> Loaded:
    """The answers of a sheet that holds the seed's 2x2 table: one respondent's grid."""
    _, horizons, beneficiaries = seed
    rows = [table.columns, *(cells for _, cells in table.rows)]
    numbers = [table.header_row, *(number for number, _ in table.rows)]
    read = _seed_answers(rows, seed, where=[f"row {n}" for n in numbers])
    respondent = table.id_stem
    records = [
        {
            "respondent": respondent,
            "beneficiary": beneficiary,
            "horizon": horizon,
            "text": text,
            "source": f"{table.label}:row {numbers[r]}",
        }
        for r, beneficiary, horizon, text in read.answers
    ]
    skipped: list[dict[str, Any]] = []
    for r in range(1, len(rows)):
        answered = [rows[r][c] for c in horizons if c < len(rows[r]) and rows[r][c].strip()]
        if r not in beneficiaries and answered:
            reason = (
                f"its label {rows[r][0].strip()!r} names neither the members nor the "
                "organization, so its answers are in no cell"
            )
            skip_row(skipped, reason, table=table, row=numbers[r], strict=strict)
    if not records:
        skip_row(skipped, "no filled grid cell", table=table, row=table.header_row, strict=strict)
    said = "text typed after a label's question is in no cell, not read"
    notes = [
        "the seed's 2x2 grid: the row labels "
        + ", ".join(f"{rows[r][0].strip()!r} -> {b}" for r, b in beneficiaries.items())
        + " give the beneficiary, the column headers "
        + ", ".join(f"{table.columns[c]!r} -> {h}" for c, h in horizons.items())
        + f" the horizon; the sheet is read as one respondent's grid ({respondent!r})",
        *_other_row_notes(rows, seed),
        *(f"{said}: {x!r}" for x in read.typed),
        *read.notes,
        *placeholder_notes(read.placeholders),
    ]
    entry = table_entry(
        table,
        ColumnMatch({}, []),
        skipped=skipped,
        n_rows=len(records),
        notes=notes,
        text_left_out=[repr(x) for x in read.typed],
    )
    return records, entry


def _one_sheet_or_rows(records: list[dict[str, Any]], stem: str) -> str:
    """Who answered a long grid without a respondent column, and the note that says so.

    When no cell is answered twice, the file is one respondent's grid (a worksheet typed
    as a table), and its rows are one respondent, ``stem``; otherwise the rows cannot be
    told apart by person, and each stays its own respondent."""
    cells = [(r["beneficiary"], r["horizon"]) for r in records]
    if len(set(cells)) < len(cells):
        return (
            "no respondent column, and a cell is answered more than once: each row is "
            "counted as a respondent of its own (add a respondent column to count people)"
        )
    for record in records:
        record["respondent"] = stem
    return (
        f"no respondent column, and no cell is answered twice: the file is read as one "
        f"respondent's grid ({stem!r})"
    )


def _from_document(path: Path, *, strict: bool) -> Loaded:
    lines = read_worksheet_lines(path)  # "Respondent:", "Community:", "School:" ...
    respondents = lines.respondents
    records: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    grids = 0
    placeholders: list[str] = []
    notes: list[str] = list(lines.notes)
    left_out: list[str] = []  # text in no cell
    for t, table in enumerate(read_tables_of(path), start=1):
        texts = [[cell.text for cell in row] for row in table]
        seed = _seed_grid(texts)
        if seed is None:
            continue
        grids += 1
        respondent = respondents.name(grids)
        extra = {"community": respondents.community(grids)}
        before = len(records)
        read = _seed_answers(texts, seed, where=[f"table {t}"] * len(texts))
        typed = [f"table {t}: {x!r}" for x in read.typed]
        left_out += typed
        said = "text typed after a label's question is in no cell, not read"
        notes += [f"{said}: {x}" for x in typed]
        notes += [f"table {t}: {note}" for note in _other_row_notes(texts, seed)]
        placeholders += read.placeholders
        notes += read.notes
        for _, beneficiary, horizon, text in read.answers:
            records.append(
                {
                    "respondent": respondent,
                    "beneficiary": beneficiary,
                    "horizon": horizon,
                    "text": text,
                    "source": f"{path.name}:table {t}",
                    **extra,
                }
            )
        if len(records) == before:
            skip_docx_table(skipped, "no filled grid cell", path=path, number=t, strict=strict)
    if grids == 0:
        raise MissingColumnError(
            "no strategic-value grid table (rows '... to members?' / '... to organization?', "
            "columns '... short-term?' / '... long-term?')",
            path=path,
        )
    fmt = "docx" if path.suffix.lower() == ".docx" else "md"
    notes += placeholder_notes(placeholders)
    return records, document_entry(
        path,
        fmt=fmt,
        skipped=skipped,
        n_rows=len(records),
        mapping=lines.mapping,
        notes=notes,
        dropped=lines.dropped,
        text_left_out=left_out,
        listed=listed_places({"answers read as no answer": placeholders}),
    )


#: "Long term: I became the go-to person": an answer that names a horizon.
_OTHER_TERM = re.compile(r"(?:^|[.;]\s*)(short|long)[- ]term\s*:", re.IGNORECASE)


def _after_question(label: str) -> str | None:
    """What a respondent typed after a label's question ("... to members? Reputation"), if
    it is more than a word."""
    if "?" not in label:
        return None
    typed = label.rsplit("?", 1)[1].strip()
    return typed if len(typed.split()) >= 2 else None


#: The seed's 2x2 table in a grid of cell texts: the header row's index, the horizon of
#: each answer column, the beneficiary of each answer row (by index).
SeedGrid = tuple[int, dict[int, str], dict[int, str]]


def _seed_grid(rows: Sequence[Sequence[str]]) -> SeedGrid | None:
    """Where the seed's 2x2 table is in ``rows`` (the cell texts of a table), or None.

    The header row is the first of the top three that names a horizon ("... short-term?"),
    under any title rows; its columns after the first are the horizons, and each row below
    whose label (first cell) names a beneficiary ("... to members?") is that beneficiary's.
    When one row names the members (or the organization) and one other labelled row holds
    answers, that row is the other beneficiary's, whatever the organization is called
    ("Value to the utility", "... to the council?"; trial 37: its answers were skipped).

    Examples
    --------
    >>> _seed_grid([["Reflection on strategic value"],
    ...             ["", "... short-term?", "... long-term?"],
    ...             ["... to members?", "Tips", ""],
    ...             ["... to organization?", "Fewer ulcers", "A policy"]])
    (1, {1: 'short', 2: 'long'}, {2: 'members', 3: 'organization'})
    >>> _seed_grid([["", "Short-term value", "Long-term value"],
    ...             ["Value to members", "Tips", ""],
    ...             ["Value to the utility", "Fewer call-outs", ""]])
    (0, {1: 'short', 2: 'long'}, {1: 'members', 2: 'organization'})
    >>> _seed_grid([["Name", "Story"], ["Members", "We met"]]) is None
    True
    """
    top = next((r for r, row in enumerate(rows[:3]) if any(_horizon(c) for c in row)), 0)
    if len(rows) < top + 2:
        return None
    horizons = {c: h for c, text in enumerate(rows[top]) if c > 0 and (h := _horizon(text))}
    beneficiaries = {
        r: b for r in range(top + 1, len(rows)) if rows[r] and (b := _beneficiary(rows[r][0]))
    }
    if not horizons or not beneficiaries:
        return None
    others = [
        r
        for r in range(top + 1, len(rows))
        if r not in beneficiaries
        and rows[r]
        and rows[r][0].strip()
        and any(c < len(rows[r]) and rows[r][c].strip() for c in horizons)
    ]
    named = set(beneficiaries.values())
    if len(beneficiaries) == 1 and len(others) == 1:
        (other,) = {"members", "organization"} - named
        beneficiaries = dict(sorted({**beneficiaries, others[0]: other}.items()))
    return top, horizons, beneficiaries


def _other_row_notes(rows: Sequence[Sequence[str]], seed: SeedGrid) -> list[str]:
    """The load report's note on each row of a seed table whose label names no beneficiary
    and that :func:`_seed_grid` read as the other row's complement.

    Examples
    --------
    >>> rows = [["", "Short-term", "Long-term"], ["To members", "Tips", ""],
    ...         ["To the utility", "Fewer call-outs", ""]]
    >>> _other_row_notes(rows, _seed_grid(rows))
    ["the row label 'To the utility' names neither the members nor the organization: read as \
the organization, the grid's row other than the members'"]
    """
    _, _, beneficiaries = seed
    return [
        f"the row label {rows[r][0].strip()!r} names neither the members nor the organization:"
        f" read as the {b}, the grid's row other than the "
        + ("organization's" if b == "members" else "members'")
        for r, b in beneficiaries.items()
        if _beneficiary(rows[r][0]) is None
    ]


@dataclass(frozen=True)
class _SeedAnswers:
    """What a seed 2x2 table holds: ``(row index, beneficiary, horizon, text)`` of each
    answered cell, the placeholders read as no answer, notes, and the text typed after a
    label's question (in no cell)."""

    answers: list[tuple[int, str, str, str]]
    placeholders: list[str]
    notes: list[str]
    typed: list[str]


def _seed_answers(
    rows: Sequence[Sequence[str]], seed: SeedGrid, *, where: Sequence[str]
) -> _SeedAnswers:
    """The answers in the cells of the seed's 2x2 table found by :func:`_seed_grid`.

    ``where`` says where each row is, for notes ("table 1", "row 6").

    Examples
    --------
    >>> rows = [["", "... short-term?", "... long-term?"],
    ...         ["... to members?", "Tips", "N/A"],
    ...         ["... to organization?", "Fewer ulcers", "A policy"]]
    >>> read = _seed_answers(rows, _seed_grid(rows), where=["row 1", "row 2", "row 3"])
    >>> read.answers
    [(1, 'members', 'short', 'Tips'), (2, 'organization', 'short', 'Fewer ulcers'), \
(2, 'organization', 'long', 'A policy')]
    >>> read.placeholders
    ["row 2 members/long 'N/A'"]
    """
    top, horizons, beneficiaries = seed
    labels = [text for c, text in enumerate(rows[top]) if c > 0]
    labels += [rows[r][0] for r in range(top + 1, len(rows)) if rows[r]]
    read = _SeedAnswers([], [], [], [x for x in map(_after_question, labels) if x])
    for r, beneficiary in beneficiaries.items():
        for c, horizon in horizons.items():
            text = clean_text(rows[r][c]) if c < len(rows[r]) else None
            if text is None:
                continue
            if is_no_answer(text):
                read.placeholders.append(f"{where[r]} {beneficiary}/{horizon} {text!r}")
                continue
            named = {m.group(1).lower() for m in _OTHER_TERM.finditer(text)}
            if named - {horizon}:
                read.notes.append(
                    f"{where[r]} {beneficiary}/{horizon}: the answer names the "
                    f"{(named - {horizon}).pop()} term ({shorten(text, 70)!r}); it is "
                    "kept in this cell: move that part if it belongs in the other"
                )
            read.answers.append((r, beneficiary, horizon, text))
    return read
