"""Load enabler and challenge lists ("In your organization ...") into the ``items`` frame.

Ids: ``item_id`` is the id column's value when there is one, otherwise
``f"{stem}-{kind}-{n:03d}"`` with ``n`` counting items of that kind in file order (a
multi-sheet workbook adds the sheet: ``f"{stem}-{sheet_slug}-{kind}-{n:03d}"``).
``community`` comes from a column (an empty cell gives no community), a
"Community:"/"Organization:" line, or, when the file has neither, the file stem.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from copanalysis.errors import FileFormatError, MissingColumnError, quoted
from copanalysis.io.communities import unify_communities
from copanalysis.io.documents import DOCUMENT_SUFFIXES, Block, read_blocks, read_docx_tables
from copanalysis.io.fields import (
    CHALLENGE_WORDS,
    ENABLER_WORDS,
    LIST_WORDING,
    ColumnMatch,
    clean_text,
    content_words,
    is_no_item,
    kinds_asked,
    placeholder_notes,
)
from copanalysis.io.places import first_places, listed_places
from copanalysis.io.provenance import attach_provenance, check_unique, list_files, name_ids
from copanalysis.io.records import (
    Loaded,
    document_entry,
    match_table,
    not_responses,
    read_records,
    records_frame,
    skip_row,
    table_entry,
    table_mapping,
    unmatched_mapping,
)
from copanalysis.io.responses import marked_as_test
from copanalysis.io.tables import TABLE_SUFFIXES, Table
from copanalysis.schema import FRAMES, validate

__all__ = ["LIST_SUFFIXES", "load_lists"]

LIST_SUFFIXES: tuple[str, ...] = TABLE_SUFFIXES + DOCUMENT_SUFFIXES
_COLUMNS = list(FRAMES["items"].columns)
_BULLET = re.compile(r"^\s*(?:[-*•+–]|\d{1,3}[.)]|\(\d{1,3}\)|\[[ xX]?\])\s+")
_COMMUNITY_LINE = re.compile(
    r"^\W*(community|organi[sz]ation|network)\W*:\s*(.+)$", flags=re.IGNORECASE
)


def _kind_columns(columns: list[str]) -> tuple[dict[str, str | None], list[str]]:
    """Survey questions that ask for one kind ("What has got in the way?"), as a ``mapping``
    for :func:`~copanalysis.io.records.match_table`, and those that ask for both.

    A question asking for both kinds ("What helps or hinders?") is no enabler column and no
    challenge column: the first is the ``mixed`` column, whose answers are items of no
    given kind; any other is kept unmapped. A kind asked by several columns is left to the
    wording match.
    """
    asked = {column: kinds_asked(column) for column in columns}
    mixed = [column for column, kinds in asked.items() if len(kinds) == 2]
    mapping: dict[str, str | None] = {column: None for column in mixed}
    if mixed:
        mapping[mixed[0]] = "mixed"
    for kind in ("enabler", "challenge"):
        single = [column for column, kinds in asked.items() if kinds == {kind}]
        if len(single) == 1:
            mapping[single[0]] = kind
    return mapping, mixed


def _kind_of(text: str) -> str | None:
    """ "enabler" / "challenge" for a heading or cell naming one, else None.

    Examples
    --------
    >>> [_kind_of(h) for h in ("## What helps", "What gets in the way:", "Key barriers",
    ...                         "Success factors", "Meeting notes")]
    ['enabler', 'challenge', 'challenge', 'enabler', None]
    """
    words = content_words(text.strip().strip("#*_:").strip())
    if ENABLER_WORDS.fullmatch(words):
        return "enabler"
    if CHALLENGE_WORDS.fullmatch(words):
        return "challenge"
    return None


def load_lists(
    path: str | Path,
    *,
    sheet: str | None = None,
    strict: bool = False,
    skip_unreadable: bool = False,
    mapping: Mapping[str, str | None] | None = None,
) -> pd.DataFrame:
    """Load enablers and challenges from a file or a folder.

    TXT/Markdown: "Enablers"/"Challenges" headings in any style (``## Enablers``,
    ``Enablers:``, ``**Challenges**``), items as bullets (``-``, ``*``, ``•``), numbered lines
    (``1.``, ``1)``) or plain lines. CSV/XLSX/JSON: long form (a kind and a text column) or
    wide form (an "Enablers" and a "Challenges" column). DOCX: headings and paragraphs, or a
    table with an "Enablers" and a "Challenges" column.

    Parameters
    ----------
    path : str or Path
        A file or a folder.
    sheet : str, optional
        For workbooks, the one sheet to read (by default every sheet that holds items).
    strict : bool
        Raise instead of skipping a row of a long table with an empty text.
    skip_unreadable : bool
        Leave out a file that cannot be read (a broken workbook, a form with no prompt)
        instead of raising; the load report lists it with the error (``unreadable``).
    mapping : mapping, optional
        ``column -> field`` for tables whose headers are not recognised, the field one of
        ``enabler``, ``challenge``, ``kind``, ``text``, ``item_id``, ``community`` or
        ``respondent`` (``None`` leaves the column unmapped); a column may be named by its
        header or, in a Qualtrics export, by its question id.

    Survey questions are read by what they ask: "What has helped the network work well?"
    is the enablers column and "What has got in the way?" the challenges column. A question
    that asks for both ("What helps or hinders?") gives items with no ``kind`` (map a column
    to ``mixed`` to the same end): the coders read each one's kind from its text, and the
    file's load report says so. A second such question is kept and noted (``mixed_kind``).
    A table cell of several lines (a spreadsheet's Alt+Enter, a pasted bullet list) gives
    one item per line, each without its bullet.

    Returns
    -------
    pandas.DataFrame
        The ``items`` frame with ``attrs["load_report"]`` and ``attrs["sources"]``.

    Raises
    ------
    MissingColumnError
        When a file has no enabler/challenge heading or column.
    FileFormatError, EmptyFileError, UnsupportedFormatError, DuplicateIdError
        As for :func:`copanalysis.io.load_stories`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "clinic.md")
    ...     _ = path.write_text(
    ...         "Organization: Clinic network\\n## Enablers\\n- Protected time\\n"
    ...         "## Challenges\\n1. Staffing\\n2) No  budget\\n", encoding="utf-8")
    ...     items = load_lists(path)
    >>> items["item_id"].tolist()
    ['clinic-enabler-001', 'clinic-challenge-001', 'clinic-challenge-002']
    >>> items["text"].tolist(), items["community"].iloc[0], items["source"].iloc[2]
    (['Protected time', 'Staffing', 'No  budget'], 'Clinic network', 'clinic.md:line 6')
    """
    files = list_files(path, LIST_SUFFIXES)
    unreadable: list[dict[str, str]] | None = [] if skip_unreadable else None
    unused = set(mapping or {})
    seen: set[str] = set()

    def from_table(table: Table) -> Loaded:
        own = table_mapping(table, mapping, unused, seen)
        return _from_table(table, strict=strict, mapping=own)

    records, entries = read_records(
        files,
        unreadable=unreadable,
        from_table=from_table,
        from_document=_from_document,
        sheet=sheet,
    )
    if unused:
        raise unmatched_mapping(unused, seen, path=path)
    check_unique(records, key="item_id", entries=entries)
    name_ids(records, key="item_id", entries=entries)
    frame = validate(records_frame(records, _COLUMNS), "items")
    frame = attach_provenance(
        frame, name="items", files=files, entries=entries, unreadable=unreadable or ()
    )
    # "dedza " and "Dedza" are one community, as load_corpus (and run) read them
    return unify_communities({"items": frame})["items"]


def _numbered(records: list[dict[str, Any]], prefix: str) -> None:
    counts: dict[str, int] = {}
    for record in records:
        if record.get("item_id"):
            continue
        kind = record["kind"] or "mixed"
        counts[kind] = counts.get(kind, 0) + 1
        record["item_id"] = f"{prefix}-{kind}-{counts[kind]:03d}"


#: A kind cell that says an item is an enabler and a challenge alike ("Both", "Both?"):
#: the item has no given kind, and the coders read it from its text.
_BOTH_KINDS = frozenset({"both", "mixed", "either"})


def _says_both(cell: str) -> bool:
    """Whether a kind cell says the item both helps and hinders.

    Examples
    --------
    >>> [_says_both(c) for c in ("Both", "both?", " Mixed ", "Helps", "both ways")]
    [True, True, True, False, False]
    """
    return " ".join(re.findall(r"[^\W_]+", cell.lower())) in _BOTH_KINDS


def _kind_column(table: Table, columns: Mapping[str, int]) -> str | None:
    """The one column of ``columns`` whose every answer names a kind ("Helps", "hinders", "Both"):
    a long table's kind column under a header of the user's own ("Helps or hinders?",
    "+/-"), which the wording does not match.

    Examples
    --------
    >>> table = Table(Path("w.csv"), "csv", ["Item", "Helps or hinders?", "Notes"],
    ...               [(2, ["Peer visits", "Helps", ""]), (3, ["No cover", "hinders", "x"]),
    ...                (4, ["Part-time staff", "Both", ""]), (5, ["", "", ""])])
    >>> _kind_column(table, {"Helps or hinders?": 1, "Notes": 2})
    'Helps or hinders?'
    """
    found = []
    for column, position in columns.items():
        said = [c for _, row in table.rows if (c := clean_text(row[position])) is not None]
        kinds = [_kind_of(c) for c in said]
        if any(kinds) and all(
            k is not None or _says_both(c) for k, c in zip(kinds, said, strict=True)
        ):
            found.append(column)
    return found[0] if len(found) == 1 else None


def _item_column(table: Table, columns: Mapping[str, int]) -> str | None:
    """The one column of ``columns`` that holds free text, beside a kind column found by its
    answers: answers of three words or more (median), nearly every one different (a
    meeting's name repeated on every row is no item).

    Examples
    --------
    >>> table = Table(Path("w.csv"), "csv", ["Kind", "What we said", "Meeting"],
    ...               [(2, ["Enabler", "Protected time for case reviews", "Steering group"]),
    ...                (3, ["Challenge", "Staff not released from wards", "Steering group"]),
    ...                (4, ["Challenge", "Teams fails on community laptops", "Steering group"])])
    >>> _item_column(table, {"What we said": 1, "Meeting": 2})
    'What we said'
    """
    found = []
    for column, position in columns.items():
        said = [
            c
            for _, row in table.rows
            if (c := clean_text(row[position])) is not None and not is_no_item(c)
        ]
        if not said:
            continue
        words = sorted(len(c.split()) for c in said)
        if words[len(words) // 2] >= 3 and len(set(said)) >= 0.8 * len(said):
            found.append(column)
    return found[0] if len(found) == 1 else None


def _from_table(table: Table, *, strict: bool, mapping: Mapping[str, str | None]) -> Loaded:
    found, index, kept = match_table(table, LIST_WORDING, mapping=mapping)
    kind_notes: list[str] = []
    if "kind" not in index:
        # a long table whose kind column has a header of the user's own ("Helps or
        # hinders?"): read by its answers, before its header is read as a question that
        # asks for both kinds (trial 40: the kind cells became the items, the items lost)
        item_column = table.columns[index["text"]] if "text" in index else None
        others = {
            c: i for i, c in enumerate(table.columns) if c not in mapping and c != item_column
        }
        column = _kind_column(table, others)
        said = {}  # the item column, when its header is of the user's own too
        if column is not None and item_column is None:
            # trial 43: "Helps or hinders?" beside "What we said": the kind cells became
            # the items ("Enabler", "Challenge"), and the note offered no way to say so
            taken = {table.columns[index[f]] for f in ("community", "respondent") if f in index}
            item = _item_column(
                table, {c: i for c, i in others.items() if c != column and c not in taken}
            )
            said = {} if item is None else {item: "text"}
        if column is not None and (item_column is not None or said):
            found, index, kept = match_table(
                table, LIST_WORDING, mapping={column: "kind", **said, **mapping}
            )
            kind_notes.append(
                f"column {column!r} names each item's kind in every answer: read as the "
                "kind column"
            )
            kind_notes.extend(
                f"column {c!r} holds the items, each in its own words, beside the kind "
                "column: read as the item column"
                for c in said
            )
    mixed: list[str] = []
    if "kind" not in index or "text" not in index:  # a wide table, as surveys export
        asked, mixed = _kind_columns([c for c in table.columns if c not in mapping])
        found, index, kept = match_table(table, LIST_WORDING, mapping={**asked, **mapping})
        # a second mixed column is kept unmapped by this loader, not by the user: it is
        # noted as free text nothing codes
        unmapped = [c for c in found.left_out if c not in mixed or c in mapping]
        found = dataclasses.replace(found, left_out=unmapped)
    kinds = [k for k in ("enabler", "challenge", "mixed") if k in index]
    if not kinds and not ("kind" in index and "text" in index):
        raise MissingColumnError(
            "no enabler/challenge columns: expected a kind and a text column (long form) "
            "or an 'Enablers' and a 'Challenges' column (wide form); headers are "
            f"{quoted(table.columns)}",
            path=table.where,
        )
    records: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    placeholders: list[str] = []  # cells that only say there is no item ("N/A", "-")
    said_both: list[str] = []  # kind cells that say "Both": items of no given kind
    unnamed = 0  # rows that name no community
    previews = not_responses(table)
    for row, cells in table.rows:
        if row in previews:  # left out even under strict=True: no member wrote it
            skipped.append({"row": row, "reason": previews[row]})
            continue
        shared = {
            "community": clean_text(cells[index["community"]]) if "community" in index else None,
            "respondent": clean_text(cells[index["respondent"]])
            if "respondent" in index
            else None,
            **{c: clean_text(cells[i]) for c, i in kept.items()},
        }
        if shared["community"] is None:
            # the file's name stands for a community only where no column names one
            shared["community"] = None if "community" in index else table.path.stem
            unnamed += 1
        pairs: list[tuple[str | None, str | None]] = []
        if kinds:
            pairs = [(k, line) for k in kinds for line in _lines(cells[index[k]])]
            placeholders += [f"row {row} {k} {t!r}" for k, t in pairs if t and is_no_item(t)]
            # a mixed question's answer is an item of no given kind
            pairs = [(None if k == "mixed" else k, t) for k, t in pairs if not is_no_item(t)]
        else:
            raw_kind = clean_text(cells[index["kind"]]) or ""
            kind = _kind_of(raw_kind)
            both = bool(raw_kind) and kind is None and _says_both(raw_kind)
            if raw_kind and kind is None and not both:
                raise FileFormatError(
                    f"kind {raw_kind!r} is neither an enabler nor a challenge",
                    path=table.where,
                    row=row,
                    column=table.columns[index["kind"]],
                )
            texts = _lines(cells[index["text"]])
            placeholders += [f"row {row} {kind or 'item'} {t!r}" for t in texts if is_no_item(t)]
            texts = [t for t in texts if not is_no_item(t)]
            if texts and kind is None and not both:
                reason = "no kind: the cell that says enabler or challenge is empty"
                skip_row(skipped, reason, table=table, row=row, strict=strict)
                continue
            if texts and both:
                said_both.append(f"row {row} {raw_kind!r}")
            pairs = [(kind, t) for t in texts] if kind is not None or both else []
        tried = marked_as_test(text for _, text in pairs)
        if tried:  # left out even under strict=True, as a preview is: no member wrote it
            skipped.append({"row": row, "reason": tried})
            continue
        if not pairs:
            reason = _no_item_reason(found, {c: clean_text(cells[i]) for c, i in kept.items()})
            skip_row(skipped, reason, table=table, row=row, strict=strict)
            continue
        for n, (kind, text) in enumerate(pairs, start=1):
            item_id = clean_text(cells[index["item_id"]]) if "item_id" in index else None
            if item_id is not None and kinds:  # a wide row's id is the row's: one per kind
                item_id = f"{item_id}-{kind or 'mixed'}"
            if item_id is not None and sum(k == kind for k, _ in pairs) > 1:
                item_id = f"{item_id}-{n}"  # a cell of several lines: one id per line
            records.append(
                {
                    "item_id": item_id,
                    "kind": kind,
                    "text": text,
                    **shared,
                    "source": f"{table.label}:row {row}",
                    "_path": str(table.path),
                    "_row": row,
                }
            )
    _numbered(records, table.id_stem)
    notes = kind_notes + placeholder_notes(placeholders)
    if said_both:
        notes.append(
            f"{len(said_both)} item{'s say' if len(said_both) != 1 else ' says'} it both "
            f"helps and hinders ({first_places(said_both)}): loaded with no kind, and the "
            "coders read from its text whether it tells of an enabler or a challenge"
        )
    if unnamed and records and "community" in index:
        notes.append(
            f"{unnamed} row{'s name' if unnamed != 1 else ' names'} no community in "
            f"{table.columns[index['community']]!r}: their items have none"
        )
    elif unnamed and records:
        notes.append(_unnamed_note(table.path.stem, "no community column"))
    if "mixed" in index:
        column = table.columns[index["mixed"]]
        n = sum(record["kind"] is None for record in records)
        notes.append(
            f"column {column!r} asks for enablers and challenges alike: its {n:,} "
            f"answer{'s are' if n != 1 else ' is'} loaded with no kind, and the coders read "
            "from each answer's text whether it tells of an enabler or a challenge"
        )
    entry = table_entry(
        table,
        found,
        skipped=skipped,
        n_rows=len(records),
        notes=notes,
        listed=listed_places(
            {
                "answers read as no answer": placeholders,
                "items that say they both help and hinder": said_both,
            }
        ),
    )
    unmapped = [column for column in mixed if column in kept]
    if unmapped:
        entry["mixed_kind"] = unmapped
    return records, entry


def _lines(cell: object) -> list[str]:
    """The items of a list cell: one per line (a spreadsheet cell's Alt+Enter, a bullet
    list pasted in), each without its bullet.

    Examples
    --------
    >>> _lines("Recognition certificates\\nTea and lunch at meetings")
    ['Recognition certificates', 'Tea and lunch at meetings']
    >>> _lines("- Peer review\\n\\n- Shared folder"), _lines("Mentoring"), _lines(None)
    (['Peer review', 'Shared folder'], ['Mentoring'], [])
    """
    text = clean_text(cell)
    if text is None:
        return []
    lines = (line[m.end() :] if (m := _BULLET.match(line)) else line for line in text.split("\n"))
    return [item for item in map(clean_text, lines) if item is not None]


def _no_item_reason(found: ColumnMatch, kept: Mapping[str, str | None]) -> str:
    """Why a row gives no item: it has no item text, or only in columns that were not read.

    Examples
    --------
    >>> found = ColumnMatch({"Enablers": ("enabler", 100.0)}, ["Comments", "Email"], ["Email"])
    >>> _no_item_reason(found, {"Comments": "Floods and distance", "Email": "a@b.org"})
    "no item text; it answered only 'Comments', which no enabler or challenge column \
matched (to read it, map it in the study folder's mapping.yaml)"
    >>> _no_item_reason(found, {"Comments": None, "Email": "a@b.org"})
    'no item text'
    """
    said = [c for c, text in kept.items() if text and c not in found.metadata + found.left_out]
    if not said:
        return "no item text"
    return (
        f"no item text; it answered only {', '.join(map(repr, said))}, which no enabler or "
        "challenge column matched (to read it, map it in the study folder's mapping.yaml)"
    )


def _unnamed_note(stem: str, where: str) -> str:
    """The note that a list's file name stands for the community it does not name."""
    return f"{where}: the file's name, {stem!r}, stands for the community"


def _from_document(path: Path) -> Loaded:
    sheet = read_blocks(
        path,
        include_tables=False,
        is_label=lambda text: _kind_of(text) is not None or bool(_COMMUNITY_LINE.match(text)),
    )
    blocks, fmt, encoding = sheet.blocks, sheet.format, sheet.encoding
    unit = "paragraph" if fmt == "docx" else "line"
    community: str | None = None
    kind: str | None = None
    records: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    placeholders: list[str] = []  # lines that only say there is no item ("Nothing", "N/A")
    previous_item = False
    other_heading: str | None = None  # a heading that names neither kind
    open_headings: dict[int, Block] = {}  # headings that name neither kind, by level
    section: Block | None = None  # the one over the kind heading being read
    sections: dict[int, Block] = {}  # the section of each item (by its place in records)
    n_headings = 0  # the headings read so far, of a kind or not
    preamble: list[tuple[Block, str]] = []  # lines under the title, before any other heading
    # or item, with the title
    unmarked = 0  # items read from lines with no bullet (or list style) to mark them
    for block in blocks:
        text = block.text
        if not text.strip():
            previous_item = False
            continue
        said = _COMMUNITY_LINE.match(text)
        if said and not _BULLET.match(text):
            community = clean_text(said.group(2))
            continue
        head, colon, rest = text.strip().strip("*_").partition(":")
        heading_kind = _kind_of(text) or (_kind_of(head) if colon else None)
        if heading_kind is not None:
            kind, previous_item, other_heading = heading_kind, False, None
            n_headings += 1
            if block.level > 0:
                above = [level for level in open_headings if level < block.level]
                section = open_headings[max(above)] if above else None
            inline = clean_text(rest.strip().strip("*_")) if colon else None
            if inline:
                records.append(_item(kind, inline, path, unit, block.number))
                unmarked += 1
                previous_item = True
                if section is not None:
                    sections[len(records) - 1] = section
            continue
        is_heading = block.level > 0 or (
            text.strip().endswith(":") and not _BULLET.match(text) and len(text) < 80
        )
        if is_heading:
            kind, previous_item = None, False
            n_headings += 1
            other_heading = text.strip().strip("#*_: ").strip()
            if block.level > 0:
                open_headings = {k: b for k, b in open_headings.items() if k < block.level}
                open_headings[block.level] = block
                section = None
            continue
        if kind is None:
            if n_headings == 1 and not records and not block.listed and not _BULLET.match(text):
                preamble.append((block, other_heading or ""))  # read after the items
            elif other_heading is not None:  # listed, never passed over in silence
                skipped.append({unit: block.number, "reason": _unread_reason(other_heading)})
            elif block.listed or _BULLET.match(text):  # an item before any heading
                skipped.append({unit: block.number, "reason": _NO_HEADING_YET})
            continue
        bullet = _BULLET.match(text)
        if not bullet and previous_item and text[:1].isspace() and records:
            records[-1]["text"] += "\n" + text.strip()
            continue
        item = clean_text(text[bullet.end() :] if bullet else text)
        if item is not None and is_no_item(item):
            # no item, as in a table: noted, and no cause to look (trial 46: "Nothing"
            # under Challenges made check ask for a look)
            placeholders.append(f"{unit} {block.number} {item!r}")
            previous_item = False
        elif item is not None:
            records.append(_item(kind, item, path, unit, block.number))
            previous_item = True
            unmarked += not (bullet or block.listed)
            if section is not None:
                sections[len(records) - 1] = section
    if fmt == "docx":
        for t, table in enumerate(read_docx_tables(path), start=1):
            if not table:
                continue
            columns = {i: _kind_of(cell.text) for i, cell in enumerate(table[0])}
            for r, row in enumerate(table[1:], start=2):
                for i, cell in enumerate(row):
                    cell_kind = columns.get(i)
                    if cell_kind is None:
                        continue
                    for line in cell.text.split("\n"):
                        bullet = _BULLET.match(line)
                        item = clean_text(line[bullet.end() :] if bullet else line)
                        if item is not None and is_no_item(item):
                            placeholders.append(f"table {t}, row {r} {item!r}")
                        elif item is not None:
                            records.append(_item(cell_kind, item, path, f"table {t}:row", r))
    if not records:
        raise MissingColumnError(
            "no items found: expected 'Enablers' / 'Challenges' headings (or a table with "
            "such columns) followed by the items",
            path=path,
        )
    read_as_preamble, skipped_lines = _preamble(preamble, unit=unit, items_marked=not unmarked)
    skipped = [*skipped_lines, *skipped]
    named = _sections_named(sections)
    for i, record in enumerate(records):
        record["community"] = named.get(i) or community or path.stem
    _numbered(records, path.stem)
    notes = [] if community or named else [_unnamed_note(path.stem, "no community line")]
    if named:
        headings = {b.number: b.text.strip() for b in sections.values()}
        shown = "; ".join(f"{text!r} ({unit} {n})" for n, text in sorted(headings.items()))
        unnamed = len(records) - len(named)
        notes.append(
            f"the communities read from the headings the lists stand under: {shown}"
            + (
                f"; {unnamed} item(s) under none of them: "
                f"{community or path.stem!r} stands for their community"
                if unnamed
                else ""
            )
        )
    notes += read_as_preamble + placeholder_notes(placeholders)
    return records, document_entry(
        path,
        fmt=fmt,
        encoding=encoding,
        skipped=skipped,
        n_rows=len(records),
        dropped=sheet.dropped,
        notes=notes,
    )


#: The most lines under a list file's title read as its preamble; more are a list.
_PREAMBLE_LINES = 2


#: Why a bulleted line before any heading is skipped (a plain one there is the file's title).
_NO_HEADING_YET = (
    "a list item before any heading: put it under an 'Enablers' or 'Challenges' heading to read it"
)


def _unread_reason(heading: str) -> str:
    """Why a line under a heading that names neither kind is skipped."""
    return (
        f"under the heading {heading!r}, which names neither enablers nor challenges (name it "
        "'Enablers' or 'Challenges' to read it)"
    )


def _preamble(
    lines: Sequence[tuple[Block, str]], *, unit: str, items_marked: bool
) -> tuple[list[str], list[dict[str, Any]]]:
    """The notes and the skipped lines of the lines under a list file's title, before any
    other heading or item, each given with the title.

    They are the file's preamble ("Transcribed from the flipcharts by H."), noted, when the
    file's items are each marked as an item (a bullet, a number, Word's list style) and
    these lines are not, and there are at most ``_PREAMBLE_LINES`` of them (trial 37: one
    such line made ``check`` ask for a look). Otherwise they could be items of a list whose
    heading is missing, and each is skipped and listed, as a line under any heading that
    names neither kind.

    Examples
    --------
    >>> title = "Retreat: what helps, what gets in the way"
    >>> lines = [(Block("Transcribed from the flipcharts by H.", 3), title)]
    >>> _preamble(lines, unit="paragraph", items_marked=True)[0]  # doctest: +NORMALIZE_WHITESPACE
    ["paragraph 3, under the title 'Retreat: what helps, what gets in the way', read as the
    file's preamble, not an item (the items are marked as a list, and it is not):
    'Transcribed from the flipcharts by H.'"]
    >>> _preamble(lines, unit="paragraph", items_marked=False)[1][0]["paragraph"]
    3
    """
    if items_marked and len(lines) <= _PREAMBLE_LINES:
        notes = [
            f"{unit} {block.number}, under the title {title!r}, read as the file's preamble, "
            f"not an item (the items are marked as a list, and it is not): "
            f"{block.text.strip()!r}"
            for block, title in lines
        ]
        return notes, []
    return [], [{unit: block.number, "reason": _unread_reason(title)} for block, title in lines]


def _sections_named(sections: Mapping[int, Block]) -> dict[int, str]:
    """Item -> community, when the lists of two or more communities stand under a
    heading each ("## Northbridge University", then "### Enablers"); a single heading over
    the lists is a title, not a community (trial 36: each university's lists were read as
    the file name's).

    Examples
    --------
    >>> north, lake = Block("Northbridge", 3, 2), Block("Lakeside", 12, 2)
    >>> _sections_named({5: north, 6: north, 14: lake})
    {5: 'Northbridge', 6: 'Northbridge', 14: 'Lakeside'}
    >>> _sections_named({5: Block("Mid-year retreat notes", 1, 1)})
    {}
    """
    if len({b.text.strip() for b in sections.values()}) < 2:
        return {}
    return {line: block.text.strip() for line, block in sections.items()}


def _item(kind: str, text: str, path: Path, unit: str, number: int) -> dict[str, Any]:
    return {
        "item_id": None,
        "kind": kind,
        "text": text,
        "community": None,
        "respondent": None,
        "source": f"{path.name}:{unit} {number}",
        "_path": str(path),
        "_row": number,
    }
