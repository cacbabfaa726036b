"""Load value-creation stories from survey exports, filled-in worksheets and notes.

Stable ids
----------
``story_id`` is the value of the id column when one is mapped (stripped text). Otherwise it
is ``f"{stem}-{n:03d}"``: ``stem`` is the file name without extension and ``n`` the 1-based
position of the story in the file (the data row for CSV/XLSX/JSON, so that a skipped row
keeps its number; the story for DOCX/Markdown/TXT). A workbook with several sheets gives
``f"{stem}-{sheet_slug}-{n:03d}"``. The same file always gives the same ids.

``source`` is ``"file[:sheet]:row N"`` for tables (the header is row 1; for JSON Lines the
line, for JSON the record), ``"file:paragraph N"`` for DOCX and ``"file:line N"`` for
Markdown/TXT, N being where the story starts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from textwrap import shorten
from typing import Any

import pandas as pd

from copanalysis.errors import (
    EmptyFileError,
    FileFormatError,
    MissingColumnError,
    quoted,
)
from copanalysis.io.captions import caption_sheet
from copanalysis.io.choices import (
    LIMESURVEY_TICKED,
    boxes_ticked,
    forms_choices,
    forms_choices_notes,
    is_forms_choices,
    is_ticked_choices,
    joined_choices,
    limesurvey_choices,
)
from copanalysis.io.communities import unify_communities
from copanalysis.io.dates import DateOrder, DateReading, read_dates
from copanalysis.io.documents import DOCUMENT_SUFFIXES, Block, read_blocks
from copanalysis.io.fields import (
    NOT_INSIDE_SPACES,
    STORY_WORDING,
    ColumnMatch,
    clean_text,
    drop_placeholders,
    is_no_answer,
    match_heading,
    match_label,
    names_a_workplace,
    placeholder_notes,
    question_of,
    split_community_date,
    split_member_role,
)
from copanalysis.io.front_matter import read_front_matter
from copanalysis.io.header_lines import header_line_label, interviewer_last, same_line_fields
from copanalysis.io.places import first_places, listed_places
from copanalysis.io.provenance import (
    attach_provenance,
    check_unique,
    format_load_report,
    list_files,
    name_ids,
)
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
from copanalysis.io.responses import (
    marked_as_test,
    repeated_note,
    repeated_places,
    repeated_respondents,
    unfinished_note,
    unfinished_rows,
)
from copanalysis.io.signatures import drop_letter_lines
from copanalysis.io.tables import TABLE_SUFFIXES, Table
from copanalysis.io.transcripts import Transcript, drop_interviewer, interviewee
from copanalysis.schema import FRAMES, PROMPT_FIELDS, validate

__all__ = ["STORY_SUFFIXES", "format_load_report", "load_stories"]

#: Every file type :func:`load_stories` reads (``.vtt``: a Zoom or Teams transcript).
STORY_SUFFIXES: tuple[str, ...] = TABLE_SUFFIXES + DOCUMENT_SUFFIXES + (".vtt",)
_COLUMNS = list(FRAMES["stories"].columns)
_SKIP_REASON = "no answer to any prompt"

#: Fields a survey tool fills in, not the member: no answer to name in a skipped row's reason.
_NOT_ANSWERS = frozenset({"story_id", "submitted"})


def _answered_only(answered: list[tuple[str, str | None]]) -> str:
    """The end of a skipped row's reason: the columns the row answered (each ``(column,
    field or None)``, in file order), named only when one of them no field matched, and
    then every one, so that "only" is true.

    Examples
    --------
    >>> _answered_only([("Anything else?", None)])
    "; it answered only 'Anything else?', which no prompt matched (to read it, map it in \
the study folder's mapping.yaml)"
    >>> _answered_only([("District?", None), ("Role?", "role")])
    "; it answered only 'District?' and 'Role?' (read as role); no prompt matched \
'District?' (to read it, map it in the study folder's mapping.yaml)"
    >>> _answered_only([("Role?", "role")])
    ''
    """
    unmatched = [column for column, field in answered if field is None]
    hint = "(to read it, map it in the study folder's mapping.yaml)"
    if not unmatched:
        return ""  # "no answer to any prompt" says it all
    if len(unmatched) == len(answered):
        return f"; it answered only {quoted(unmatched)}, which no prompt matched {hint}"
    named = [repr(c) if f is None else f"{c!r} (read as {f})" for c, f in answered]
    return (
        f"; it answered only {', '.join(named[:-1])} and {named[-1]}; "
        f"no prompt matched {quoted(unmatched)} {hint}"
    )


#: Worksheet lines whose answer is one line ("Member: Sam O'Neill"): text below such a line
#: that has its answer already is not part of it.
_ONE_LINE_FIELDS = frozenset(
    {"story_id", "community", "community_date", "date", "member", "member_role", "role"}
)
#: "Story", "Story 3", "Value creation story: ..." (singular: "Value creation stories" is a title)
_STORY_HEADING = re.compile(r"^\W*(value[- ]creation\s+)?story\b", re.IGNORECASE)


def load_stories(
    path: str | Path,
    *,
    sheet: str | None = None,
    mapping: Mapping[str, str | None] | None = None,
    dayfirst: bool | None = None,
    strict: bool = False,
    skip_unreadable: bool = False,
    progress: bool = True,
) -> pd.DataFrame:
    """Load value-creation stories from a file or a folder of files.

    Reads CSV/TSV (delimiter sniffed; UTF-8, UTF-8/UTF-16 with BOM, cp1252 or latin-1),
    XLSX/XLS/ODS (every sheet, or ``sheet``), JSON (a list of records) and JSON Lines,
    DOCX worksheets (prompt paragraphs or a prompt/answer table; a new story at each
    "Community/date"), Markdown/TXT worksheets (prompt lines or headings; a new story at each
    "# Story" heading or "Community/date"), Zoom and Teams transcripts (``.vtt``) and
    Otter.ai text exports (the member's turns; see :mod:`copanalysis.io.captions`), and a
    folder (every supported file inside, recursively, in sorted order). In a worksheet,
    what comes before the first story (a title, a note on how the stories were collected)
    is the file's introduction: it is no story and takes no id, and the load report shows
    it (``notes``, ``introduction``).

    Survey exports are read as their tools write them (see
    :func:`copanalysis.io.tables.read_tables`): Google Forms, Microsoft Forms, Qualtrics
    (three header rows), SurveyMonkey (two header rows), LimeSurvey, Typeform and REDCap,
    as CSV (any delimiter and encoding; a ``.txt`` that holds a delimited table too) or
    XLSX. Survey columns are matched to the fields by their wording and meaning (see
    :func:`copanalysis.io.fields.match_columns`), and so are a worksheet's headings and the
    first column of a Word worksheet's table (:func:`copanalysis.io.fields.match_heading`);
    columns matching no field, and the tools' own columns (ids, IP address, start and end
    times, consent), are kept under their own names after the documented ones, never read
    as answers. The time a response
    was submitted ("Timestamp", "Completion time", "Recorded Date") is the column
    ``submitted``; ``date`` is the date of the activity when a column gives it, else the
    submission time (the load report says so). Each date column's day/month order is
    decided from its own values (see :func:`copanalysis.io.dates.read_dates`) and the load
    report says how (``dates``). Text is stripped and line endings become ``"\\n"``;
    nothing else changes. An empty answer is missing (NA). A row with no answer to any
    prompt is skipped and listed in the load report, and so is a survey tool's preview,
    test response or spam (Qualtrics' "Response Type"; even with ``strict=True``). In
    worksheets, page furniture (copyright lines, page numbers, running heads) is never part
    of an answer; the load report lists what was dropped (``dropped``). In a transcript,
    the interviewer's turns and bracketed words are left out of the text and listed in
    ``notes`` (see :mod:`copanalysis.io.transcripts`); an interviewer's question is read
    as a heading is, so one in the interviewer's own words may ask a prompt, and the answer
    to one that asks none is read as the story's free narrative (``story``), never as the
    answer to the prompt above it (the load report says so).

    Parameters
    ----------
    path : str or Path
        A file or a folder.
    sheet : str, optional
        For workbooks, the one sheet to read.
    mapping : mapping, optional
        ``column -> field`` overrides (fields: ``story_id``, ``community``, ``date``,
        ``member``, ``role``, ``community_date``, ``member_role`` and the prompt fields);
        ``column -> None`` keeps a column unmapped. For a Qualtrics export, whose columns
        are named by the question text (row 2), the short name (``"Q3"``) works too. In a
        Word, Markdown or text worksheet a name is a prompt line in the form's own words
        (``"What did you learn or get access to?": "insights"``), or the label of a
        ``"Depot: Millbrook"`` line, in any case and spacing.
    dayfirst : bool, optional
        Read every ``01/02/2025``-style date day-first (True) or month-first (False); by
        default each column's order is inferred from its unambiguous values.
    strict : bool
        Raise instead of skipping a row with no answers.
    skip_unreadable : bool
        Leave out a file that cannot be read (a broken workbook, a form with no prompt)
        instead of raising; the load report lists it with the error (``unreadable``).
    progress : bool
        Show a progress bar over the files of a folder.

    Returns
    -------
    pandas.DataFrame
        The ``stories`` frame (see :mod:`copanalysis.schema`), plus kept columns.
        ``attrs["load_report"]`` holds the load report (print it with
        :func:`format_load_report`), ``attrs["sources"]`` the files and their SHA-256.

    Raises
    ------
    UnsupportedFormatError, EmptyFileError, FileFormatError, MissingColumnError,
    DuplicateIdError
        Each names the file and, where one applies, the row and column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "survey.csv")
    ...     _ = path.write_text(
    ...         "Timestamp,Your name,1. What meaningful activities did you participate in? *\\n"
    ...         "3/14/2025 10:22:05,Ana,Monthly case reviews\\n"
    ...         "3/15/2025 09:00:00,Ben,\\n",
    ...         encoding="utf-8",
    ...     )
    ...     stories = load_stories(path)
    >>> stories[["story_id", "member", "activities", "source"]]
         story_id member            activities             source
    0  survey-001    Ana  Monthly case reviews  survey.csv:row 2
    >>> stories.attrs["load_report"]["files"][0]["skipped"]
    [{'row': 3, 'reason': 'no answer to any prompt'}]
    """
    files = list_files(path, STORY_SUFFIXES)
    unused = set(mapping or {})
    seen: set[str] = set()
    iterator: Sequence[Path] = files
    if progress and len(files) > 1:
        from tqdm.auto import tqdm

        iterator = tqdm(files, desc="stories", unit="file")

    def read(
        files: Sequence[Path], folder_order: FolderOrder | None = None
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        def from_table(table: Table) -> Loaded:
            own = table_mapping(table, mapping, unused, seen)
            return _from_table(
                table, mapping=own, strict=strict, dayfirst=dayfirst, folder_order=folder_order
            )

        return read_records(
            files,
            unreadable=unreadable,
            from_table=from_table,
            from_document=lambda file: _from_document(
                file,
                strict=strict,
                dayfirst=dayfirst,
                folder_order=folder_order,
                mapping=mapping or {},
                unused=unused,
            ),
            sheet=sheet,
        )

    unreadable: list[dict[str, str]] | None = [] if skip_unreadable else None
    records, entries = read(iterator)
    if dayfirst is None and len(files) > 1:
        records, entries = _dated_as_the_folder(records, entries, read)
    if unused:
        raise unmatched_mapping(unused, seen, path=path)
    check_unique(records, key="story_id", entries=entries)
    name_ids(records, key="story_id", entries=entries)
    frame = records_frame(records, _COLUMNS)
    for column in ("date", "submitted"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
    frame = validate(frame, "stories")
    frame = attach_provenance(
        frame, name="stories", files=files, entries=entries, unreadable=unreadable or ()
    )
    # "dedza " and "Dedza" are one community, as load_corpus (and run) read them
    return unify_communities({"stories": frame})["stories"]


def _finish(
    values: dict[str, str | None],
    *,
    story_id: str,
    source: str,
    path: Path,
    row: int,
) -> dict[str, Any]:
    """Turn the raw field texts of one story into a record; ``date`` stays text for now."""
    community, date_text = values.get("community"), values.get("date")
    if values.get("community_date") is not None:
        split_community, split_date = split_community_date(values["community_date"])
        community = community or split_community
        date_text = date_text or split_date
    member, role = values.get("member"), values.get("role")
    if values.get("member_role") is not None:
        split_member, split_role = split_member_role(values["member_role"])
        member, role = member or split_member, role or split_role
    record: dict[str, Any] = {
        "story_id": story_id,
        "community": community,
        "date": date_text,
        "member": member,
        "role": role,
        **{f: values.get(f) for f in PROMPT_FIELDS},
        "source": source,
        "_path": str(path),
        "_row": row,
    }
    return record


#: A folder's day/month order for files that cannot tell their own, and why.
FolderOrder = tuple[DateOrder, str]


def _dated_as_the_folder(
    records: list[dict[str, Any]],
    entries: list[dict[str, Any]],
    read: Callable[[Sequence[Path], FolderOrder | None], tuple[list, list]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Read again, in the order the folder's other files show, the files of a folder whose
    dates nothing settled (read month-first by assumption).

    The folder settles it when every date column whose own values, header or dots decided
    its order was decided the same way: the files of one study come from one place. When
    the files disagree, each keeps its own reading (and the assumption stays flagged).
    """
    own: dict[str, tuple[str, str]] = {}  # order -> the first (file, why) that showed it
    assumed: list[str] = []
    for entry in entries:
        for reading in (entry.get("dates") or {}).values():
            order, why = reading.get("order"), str(reading.get("why", ""))
            if order == "assumed month-first":
                assumed.append(str(entry["path"]))
            elif order in ("day-first", "month-first") and not why.startswith("as "):
                own.setdefault(order, (Path(entry["path"]).name, why))
    if not assumed or len(own) != 1 or "day-first" not in own:
        return records, entries  # month-first already reads them as the folder does
    name, why = own["day-first"]
    redo = [Path(p) for p in dict.fromkeys(assumed)]
    again, new_entries = read(redo, ("day-first", f"as the folder's other files ({name}, {why})"))
    by_path: dict[str, list[dict[str, Any]]] = {}
    for record in again:
        by_path.setdefault(str(record["_path"]), []).append(record)
    entries_by_path: dict[str, list[dict[str, Any]]] = {}
    for entry in new_entries:
        entries_by_path.setdefault(str(entry["path"]), []).append(entry)
    redone = {str(p) for p in redo}
    merged: list[dict[str, Any]] = []
    for record in records:  # each file's records where they were
        path = str(record["_path"])
        if path not in redone:
            merged.append(record)
        elif path in by_path:
            merged.extend(by_path.pop(path))
    merged_entries = [
        entry
        for old in entries
        for entry in (
            entries_by_path.pop(str(old["path"]), []) if str(old["path"]) in redone else [old]
        )
    ]
    return merged, merged_entries


def _read_story_dates(
    records: list[dict[str, Any]],
    *,
    unit: str,
    date_header: str | None,
    submitted_header: str | None,
    dayfirst: bool | None,
    folder_order: FolderOrder | None = None,
) -> tuple[list[dict[str, Any]], dict[str, dict[str, object]], list[str]]:
    """Parse the ``date`` (and ``submitted``) texts of one file's records, column by column.

    Returns the unparseable values, the day/month order found per column (for the load
    report's ``dates``) and notes. Without an activity-date column, ``date`` is the
    submission time.
    """
    labels = [f"{unit} {r['_row']}" for r in records]
    readings: dict[str, DateReading] = {}
    headers = {"date": date_header, "submitted": submitted_header}
    for name in ("date", "submitted"):
        if name == "submitted" and submitted_header is None:
            continue
        readings[name] = read_dates(
            [r.get(name) for r in records], labels=labels, header=headers[name], dayfirst=dayfirst
        )
    # a column that cannot tell its order reads like the file's other date column
    decided = [r.order for r in readings.values() if r.order in ("day-first", "month-first")]
    for name, reading in readings.items():
        if reading.order == "assumed month-first" and decided:
            readings[name] = read_dates(
                [r.get(name) for r in records],
                labels=labels,
                header=headers[name],
                fallback=decided[0],  # type: ignore[arg-type]
            )
    # ... and one that still cannot, like the other files of the folder
    for name, reading in readings.items():
        if reading.order == "assumed month-first" and folder_order is not None:
            readings[name] = read_dates(
                [r.get(name) for r in records],
                labels=labels,
                header=headers[name],
                fallback=folder_order[0],
                fallback_why=folder_order[1],
            )
    bad: list[dict[str, Any]] = []
    found: dict[str, dict[str, object]] = {}
    notes: list[str] = []
    has_date = date_header is not None or any(r.get("date") is not None for r in records)
    for name, reading in readings.items():
        for i in reading.bad:
            entry: dict[str, Any] = {unit: records[i]["_row"], "value": records[i][name]}
            if name == "submitted":
                entry["field"] = "submitted"
            bad.append(entry)
        if reading.order is not None:
            found[headers[name] or name] = {"field": name, **reading.report()}
        if reading.serials:
            shown = "; ".join(
                f"{unit} {records[i]['_row']}: {records[i][name]!r} -> {reading.values[i].date()}"  # type: ignore[union-attr]
                for i in reading.serials[:5]
            )
            more = len(reading.serials) - 5
            notes.append(
                f"{len(reading.serials)} value(s) of {headers[name] or name!r} read as Excel "
                f"day numbers, a date cell that lost its date format ({shown}"
                + (f"; and {more} more" if more > 0 else "")
                + "): check them"
            )
        if reading.shifted:
            first = records[reading.shifted[0]]
            notes.append(
                f"{len(reading.shifted)} value(s) of {headers[name] or name!r} given in a time "
                f"zone other than UTC (such as {unit} {first['_row']}: {first[name]!r}) are "
                "stored in UTC, the zone dropped: a time near midnight may fall on the day "
                "before or after"
            )
        for record, value in zip(records, reading.values, strict=True):
            record[name] = pd.NaT if value is None else value
    if not has_date and "submitted" in readings:
        for record in records:
            record["date"] = record["submitted"]
        notes.append(
            f"no column gives the date of the activity: 'date' is the submission time "
            f"({submitted_header!r})"
        )
    return bad, found, notes


def _from_table(
    table: Table,
    *,
    mapping: Mapping[str, str | None],
    strict: bool,
    dayfirst: bool | None,
    folder_order: FolderOrder | None = None,
) -> Loaded:
    found, index, kept = match_table(table, STORY_WORDING, mapping=mapping)
    found, index, kept, ticked_no_prompt = _choices_are_no_prompt(
        table, found, index, kept, mapping=mapping
    )
    if not any(f in index for f in PROMPT_FIELDS):
        raise MissingColumnError(
            "no column holds story text: none of the headers "
            f"({quoted(table.columns)}) matches a prompt "
            f"({', '.join(PROMPT_FIELDS)}); name the columns in the study folder's "
            "mapping.yaml (stories: then 'column header: field' lines), or with mapping= in "
            "Python",
            path=table.where,
        )
    found, index, kept, ticked_not_community = _choices_are_no_community(
        table, found, index, kept, mapping=mapping
    )
    records: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    placeholders: list[str] = []
    written = _other_text_columns(found, kept)
    limesurvey = limesurvey_choices(table)
    choices = _choice_columns(table, found, kept, limesurvey)
    read_as_choices = {name for split in choices.values() for name in split.columns}
    # a LimeSurvey multiple choice on anything else: one column of the choices ticked
    joined = {
        question: _Choices(question, split, False, LIMESURVEY_TICKED)
        for question, split in limesurvey.items()
        if all(name in kept for name in split)
    }
    joined_at = {next(iter(split.columns)): split for split in joined.values()}
    in_joined = {name for split in joined.values() for name in split.columns}
    in_one_cell = forms_choices(table, index)  # Microsoft Forms: "Core group;Presenter;"
    replaced: dict[str, int] = {}
    letters: list[str] = []  # an e-mail's greeting and sign-off, left out of an answer
    previews = not_responses(table)
    loaded: set[int] = set()  # the rows read as stories
    for row, cells in table.rows:
        if row in previews:  # left out even under strict=True: no member wrote it
            skipped.append({"row": row, "reason": previews[row]})
            continue
        values = {field: clean_text(cells[i]) for field, i in index.items()}
        for field, split in choices.items():  # a multiple choice: the choices ticked
            ticked = split.ticked(cells)
            if ticked or split.by_label:
                values[field] = "; ".join(ticked) or None
        for field in in_one_cell:
            values[field] = joined_choices(values.get(field))
        for field, (_, i) in written.items():  # "Other (please specify)", what was written
            other = clean_text(cells[i])
            if other and _OTHER_CHOICE.match(str(values.get(field) or "")):
                values[field] = other
                replaced[field] = replaced.get(field, 0) + 1
        placeholders += drop_placeholders(values, PROMPT_FIELDS, where=f"row {row}")
        letters += drop_letter_lines(values, PROMPT_FIELDS, where=f"row {row}")
        tried = marked_as_test(values.get(f) for f in PROMPT_FIELDS)
        if tried:  # left out even under strict=True, as a preview is: no member wrote it
            skipped.append({"row": row, "reason": tried})
            continue
        if all(values.get(f) is None for f in PROMPT_FIELDS):
            # a placeholder ("n/a") is no answer here either (trial 39: the prompts answered
            # "n/a" were named as answered, "(read as activities)", in the row skipped for
            # answering none)
            said = [
                c
                for c, i in kept.items()
                if not is_no_answer(clean_text(cells[i]))
                and c not in found.metadata
                and c not in read_as_choices
            ]
            read = [
                (i, field)
                for field, i in index.items()
                if field not in _NOT_ANSWERS and not is_no_answer(clean_text(cells[i]))
            ]
            answered = sorted(read + [(kept[c], None) for c in said])
            reason = _SKIP_REASON + _answered_only(
                [(table.columns[i], field) for i, field in answered]
            )
            skip_row(skipped, reason, table=table, row=row, strict=strict)
            continue
        story_id = values.get("story_id") or table.row_id(row)
        record = _finish(
            values,
            story_id=story_id,
            source=f"{table.label}:row {row}",
            path=table.path,
            row=row,
        )
        if "submitted" in index:
            record["submitted"] = values.get("submitted")
        for column, i in kept.items():
            if column in joined_at:  # the question's first column: the choices ticked
                ticked = joined_at[column].ticked(cells)
                record[joined_at[column].question] = "; ".join(ticked) or None
            elif column not in in_joined:
                record[column] = clean_text(cells[i])
        records.append(record)
        loaded.add(row)
    date_column = found.column_of("date") or found.column_of("community_date")
    bad_dates, dates, notes = _read_story_dates(
        records,
        unit="row",
        date_header=date_column,
        submitted_header=found.column_of("submitted"),
        dayfirst=dayfirst,
        folder_order=folder_order,
    )
    notes += forms_choices_notes(in_one_cell)
    notes += ticked_not_community
    notes += ticked_no_prompt
    notes += placeholder_notes(placeholders)
    if letters:
        notes.append(
            f"{len(letters):,} answer(s) pasted from an e-mail: its greeting, and its sign-off "
            f"with the lines after it, left out: {first_places(letters)}"
        )
    unfinished = {r: p for r, p in unfinished_rows(table).items() if r in loaded}
    notes += unfinished_note(unfinished)
    repeated = repeated_respondents(records, table.columns)
    notes += repeated_note(repeated)
    notes += [
        f"{field}: 'Other' in {n} row(s) read as what the respondent wrote in "
        f"{written[field][0]!r}"
        for field, n in replaced.items()
    ]
    entry = table_entry(
        table,
        found,
        skipped=skipped,
        bad_dates=bad_dates,
        dates=dates,
        notes=notes,
        listed=listed_places(
            {
                "answers read as no answer": placeholders,
                "answers pasted from an e-mail": letters,
                "responses not finished": [f"row {r}" for r in sorted(unfinished)],
                "addresses given by more than one row": repeated_places(repeated),
            }
        ),
        n_rows=len(records),
    )
    if repeated:
        entry["repeated_respondents"] = repeated
    if choices or joined:
        entry["kept"] = [c for c in entry["kept"] if c not in read_as_choices | in_joined]
        entry["choices"] = {
            split.question: {"field": field, "columns": list(split.columns)}
            for field, split in [*choices.items(), *joined.items()]
        }
    return records, entry


def _choices_are_no_prompt(
    table: Table,
    found: ColumnMatch,
    index: dict[str, int],
    kept: dict[str, int],
    *,
    mapping: Mapping[str, str | None],
) -> tuple[ColumnMatch, dict[str, int], dict[str, int], list[str]]:
    """The match of ``table`` with no prompt given to a column of choices ticked
    (:func:`~copanalysis.io.choices.is_ticked_choices`: Google Forms' "Peer visit, WhatsApp
    group", Microsoft Forms' "Peer visit;WhatsApp group;"), and the load report's notes: a
    checkbox question ("Which activities did you take part in?") is answered by its labels,
    no member's words, so it is kept as is and the prompt goes to a column of free text
    that asks it, if any (trial 40: the labels were coded as immediate and enabling value
    in every response, and the question that asked for the meaningful activity in the
    members' words was left uncoded). A column the user's mapping names, and the only
    columns of prompts in the file, keep their field."""
    ticked = [
        column
        for column, (field, _) in found.fields.items()
        if field in PROMPT_FIELDS
        and column not in mapping
        and is_ticked_choices(clean_text(cells[index[field]]) for _, cells in table.rows)
    ]
    prompts = [c for c, (field, _) in found.fields.items() if field in PROMPT_FIELDS]
    if not ticked or len(ticked) == len(prompts):
        return found, index, kept, []
    fields = {column: found.fields[column][0] for column in ticked}
    found, index, kept = match_table(
        table, STORY_WORDING, mapping={**dict.fromkeys(ticked), **mapping}
    )
    found = replace(found, left_out=[c for c in found.left_out if c not in ticked])
    return (
        found,
        index,
        kept,
        [
            f"column {column!r} holds the choices ticked of a multiple-choice question "
            f"(such as {_shown_choices(table, column)!r}), no member's own words: it is kept "
            f"as is and not read as the {field} prompt (to code it all the same, map it in "
            "the study folder's mapping.yaml)"
            for column, field in fields.items()
        ],
    )


def _shown_choices(table: Table, column: str) -> str:
    """An answer of ``column`` to show: the first that ticks two choices or more."""
    position = table.columns.index(column)
    said = [a for _, cells in table.rows if (a := clean_text(cells[position])) is not None]
    return next((a for a in said if ", " in a or a.count(";") > 1), said[0])


def _choices_are_no_community(
    table: Table,
    found: ColumnMatch,
    index: dict[str, int],
    kept: dict[str, int],
    *,
    mapping: Mapping[str, str | None],
) -> tuple[ColumnMatch, dict[str, int], dict[str, int], list[str]]:
    """``found``, ``index`` and ``kept`` without the community the matching gave a column
    of Microsoft Forms' choices ticked ("Monthly meet-up;WhatsApp group;"), and the load
    report's note on it: a question that lets a member tick several answers ("Which network
    activities did you take part in? (tick all that apply)") names no one community. A
    column the user's mapping sends to the community stays it."""
    column = found.column_of("community")
    if column is None or column in mapping or "community" not in index:
        return found, index, kept, []
    answers = [clean_text(cells[index["community"]]) for _, cells in table.rows]
    if not is_forms_choices(answers):
        return found, index, kept, []
    position = index.pop("community")
    kept = dict(sorted({**kept, column: position}.items(), key=lambda item: item[1]))
    fields = {c: matched for c, matched in found.fields.items() if c != column}
    found = replace(found, fields=fields, kept=list(kept))
    shown = next((a for a in answers if a and a.count(";") > 1), column)
    return (
        found,
        index,
        kept,
        [
            f"column {column!r} holds the choices ticked, each followed by ';' as Microsoft "
            f"Forms writes them ({shown!r}): a question with several answers names no one "
            "community, so it is kept as is (to read it as the community all the same, map it "
            "in the study folder's mapping.yaml)"
        ],
    )


#: A survey's "Other" option: "Other", "Other (please specify)", "Other:".
_OTHER_CHOICE = re.compile(r"other\b(?:\s*[(:].*)?$", re.IGNORECASE)
#: The column beside a choice question where "Other" was written out (Qualtrics:
#: "Which best describes you? - Other (please specify) - Text").
_OTHER_TEXT = re.compile(rf"{NOT_INSIDE_SPACES}\s*-\s*other\b.*-\s*text\s*$", re.IGNORECASE)


def _other_text_columns(found: ColumnMatch, kept: Mapping[str, int]) -> dict[str, tuple[str, int]]:
    """Field -> (name, position) of the kept column holding what respondents wrote for
    "Other" in the field's choice question (who they are, their community)."""
    out = {}
    for field in ("role", "community", "member"):
        column = found.column_of(field)
        if column is None:
            continue
        stem = question_of(column).lower()
        for name, i in kept.items():
            match = _OTHER_TEXT.search(name)
            if match and name[: match.start()].strip().lower() == stem:
                out[field] = (name, i)
    return out


#: The cells of a column KoboToolbox splits a select_multiple question into, one per choice.
_TICKED = frozenset({"1", "1.0", "true"})
_UNTICKED = frozenset({"0", "0.0", "false"})


@dataclass(frozen=True)
class _Choices:
    """The columns a survey tool splits one multiple-choice question into.

    ``columns`` maps each column to its position and the choice it stands for, or to None
    for the column where "Other (please specify)" was written out. KoboToolbox marks a
    choice ticked with 1 and LimeSurvey with "Yes" (``by_label`` False, ``ticks`` the
    cells that mark it), SurveyMonkey writes the choice's label in its column (``by_label``
    True).
    """

    question: str
    columns: dict[str, tuple[int, str | None]]
    by_label: bool
    ticks: frozenset[str] = _TICKED

    def ticked(self, cells: Sequence[str]) -> list[str]:
        """The choices ticked in a row, then what was written for "Other"."""
        out = []
        for i, choice in self.columns.values():
            cell = clean_text(cells[i])
            if choice is None:
                out += [cell] if cell else []
            elif (
                (cell or "").casefold() == choice.casefold()
                if self.by_label
                else (cell or "").casefold() in self.ticks
            ):
                out.append(choice)
        return out


def _choice_columns(
    table: Table,
    found: ColumnMatch,
    kept: Mapping[str, int],
    limesurvey: Mapping[str, dict[str, tuple[int, str | None]]],
) -> dict[str, _Choices]:
    """Field -> the columns a multiple-choice question on who the member is was split into:
    KoboToolbox's 0/1 columns ("<question>/<choice>") beside the question's own, whose cell
    joins the choices' labels with spaces, which cannot be split back (trial 32); or
    SurveyMonkey's checkbox columns ("<question> - <choice>", the label in the cell of each
    choice ticked, one of them matched to the field), with its "Other (please specify)"
    (trial 36: only one choice's column was read as the role, and 13 of 19 roles were lost);
    or one of ``limesurvey``'s questions (:func:`~copanalysis.io.choices.limesurvey_choices`).

    Examples
    --------
    >>> q = "What is your role?"
    >>> table = Table(Path("k.csv"), "csv", [q, f"{q}/CHW", f"{q}/Nurse aide", "Story"],
    ...               [(2, ["CHW Nurse aide", "1", "1", "We met."])])
    >>> found = ColumnMatch({q: ("role", 92.0), "Story": ("story", 100.0)},
    ...                     [f"{q}/CHW", f"{q}/Nurse aide"])
    >>> kobo = _choice_columns(table, found, {f"{q}/CHW": 1, f"{q}/Nurse aide": 2}, {})["role"]
    >>> kobo.question, kobo.ticked(table.rows[0][1])
    ('What is your role?', ['CHW', 'Nurse aide'])
    >>> columns = [f"{q} - Lecturer", f"{q} - Professor", f"{q} - Other (please specify)"]
    >>> table = Table(Path("m.csv"), "csv", [*columns, "Story"],
    ...               [(3, ["", "Professor", "", "We met."]), (4, ["", "", "TA", "Hi."])],
    ...               layout="surveymonkey")
    >>> found = ColumnMatch({columns[0]: ("role", 92.0), "Story": ("story", 100.0)}, columns[1:])
    >>> monkey = _choice_columns(table, found, {columns[1]: 1, columns[2]: 2}, {})["role"]
    >>> monkey.question, [monkey.ticked(cells) for _, cells in table.rows]
    ('What is your role?', [['Professor'], ['TA']])
    """
    out = {}
    for field in ("role",):
        column = found.column_of(field)
        if column is None:
            continue
        split = {
            name: (i, name[len(column) + 1 :])
            for name, i in kept.items()
            if name.startswith(f"{column}/") and len(name) > len(column) + 1
        }
        cells = {
            str(cells[i]).strip().casefold()
            for _, cells in table.rows
            for i, _ in split.values()
            if clean_text(cells[i]) is not None
        }
        asked = next((q for q, columns in limesurvey.items() if column in columns), None)
        if split and cells <= _TICKED | _UNTICKED:
            out[field] = _Choices(column, dict(split), by_label=False)
        elif asked is not None:
            out[field] = _Choices(asked, limesurvey[asked], False, LIMESURVEY_TICKED)
        elif table.layout == "surveymonkey":
            checkbox = _checkbox_columns(table, column)
            if checkbox is not None:
                out[field] = checkbox
    return out


def _checkbox_columns(table: Table, column: str) -> _Choices | None:
    """The SurveyMonkey checkbox question ``column`` is one choice of, or None.

    Its columns are those named "<question> - <part>" with one question: each part a
    choice whose column holds only that choice's label, or "Other (please specify)". The
    question is the longest such head with two choices or more (a choice's own label may
    hold " - ").
    """
    position = {name: i for i, name in enumerate(table.columns)}
    heads = [m.start() for m in re.finditer(" - ", column)]
    for head in sorted(heads, reverse=True):
        question = column[:head]
        parts = {
            name: name[len(question) + 3 :]
            for name in table.columns
            if name.startswith(f"{question} - ")
        }
        split: dict[str, tuple[int, str | None]] = {}
        for name, part in parts.items():
            said = {
                text.casefold()
                for _, cells in table.rows
                if (text := clean_text(cells[position[name]])) is not None
            }
            if _OTHER_CHOICE.match(part):
                split[name] = (position[name], None)
            elif said <= {part.strip().casefold()}:
                split[name] = (position[name], part.strip())
            else:
                break
        else:
            if sum(choice is not None for _, choice in split.values()) >= 2:
                return _Choices(question, split, by_label=True)
    return None


def _is_separator(block: Block) -> bool:
    """A level-1 heading "Story ..." (or any level-1 heading that is not a prompt)."""
    if block.level != 1:
        return False
    return bool(_STORY_HEADING.match(block.text)) or match_label(block.text, STORY_WORDING) is None


def _topic_heading(block: Block, field: str, transcript: Transcript) -> bool:
    """Whether a heading that names a prompt is an interview's topic instead: in a
    transcript (the interviewer's turns were found), a heading of three words or fewer with
    no question ("## Learning", "## Practice") is a topic, and the answers under it are
    not coded as that prompt's answers (trial 31). A heading that asks the prompt
    ("## What did you learn?") is still the prompt."""
    text = block.text.strip(" #*_:")
    return (
        block.level > 0
        and bool(transcript.turns)
        and field in PROMPT_FIELDS
        and "?" not in text
        and len(text.split()) <= 3
    )


def _first_story(blocks: Sequence[Block], is_label: Callable[[Block], bool]) -> int:
    """The index of the block where the first story starts (0 when there is no marker).

    A story starts at a level-1 "Story ..." heading or at the first worksheet label (a
    "Community/date" line or heading, or any other prompt). What comes before is the file's
    introduction. A file with neither (a free narrative) starts at its first block.
    """
    for i, block in enumerate(blocks):
        text = block.text.strip()
        if not text:
            continue
        if block.level == 1 and _STORY_HEADING.match(text):
            return i
        if is_label(block):
            return i
    return 0


def _in_header(current: dict[str, list[str]] | None, loose: Sequence[Block]) -> bool:
    """Whether a story has nothing yet but one-line fields ("Date: ...", "Member: ..."):
    a "Campus:" or "Participant:" line there is its header, not a speaker's turn."""
    return not loose and (current is None or set(current) <= _ONE_LINE_FIELDS)


def _interviewer_notes(transcript: Transcript, unit: str) -> list[str]:
    """The load report's lines on what the interviewer said, which is never coded (each
    naming the first few places: :func:`_interviewer_places` lists them all)."""
    notes = []
    places = _interviewer_places(transcript, unit)
    if transcript.turns:
        notes.append(
            f"{len(transcript.turns)} {unit}(s) of the interviewer's turns left out, not the "
            f"member's words: {first_places(places[_TURNS])}"
        )
    if transcript.asides:
        where = first_places([str(b.number) for b in transcript.asides], sep=", ")
        notes.append(f"the interviewer's bracketed words left out of {unit}(s) {where}")
    if transcript.labelled:
        where = first_places([str(b.number) for b in transcript.labelled], sep=", ")
        notes.append(f"the speaker's label left out of the member's answer in {unit}(s) {where}")
    if transcript.timed:
        notes.append(
            f"a transcription tool's time marks ('#00:01:12-4#') left out of "
            f"{len(transcript.timed)} {unit}(s)"
        )
    return notes


#: What the load report's ``listed`` calls the interviewer's turns, bracketed words and the
#: paragraphs a speaker's label was taken from.
_TURNS, _ASIDES, _LABELLED = (
    "interviewer's turns left out",
    "places of the interviewer's bracketed words",
    "places of a speaker's label",
)


def _interviewer_places(transcript: Transcript, unit: str) -> dict[str, list[str]]:
    """Every place :func:`_interviewer_notes` is about, for the load report's ``listed``."""
    return {
        _TURNS: [
            f"{unit} {b.number} {shorten(b.text, 60, placeholder='…')!r}" for b in transcript.turns
        ],
        _ASIDES: [f"{unit} {b.number}" for b in transcript.asides],
        _LABELLED: [f"{unit} {b.number}" for b in transcript.labelled],
    }


def _said_in_story(values: Mapping[str, str | None], name: str) -> str | None:
    """What a story's own lines say of its ``community``, ``date``, ``member`` or ``role``,
    in their own line or the worksheet's combined one ("Community/date: Riverside / 2025")."""
    if values.get(name) is not None:
        return values[name]
    if name in ("community", "date") and values.get("community_date") is not None:
        community, date_text = split_community_date(values["community_date"] or "")
        return community if name == "community" else date_text
    if name in ("member", "role") and values.get("member_role") is not None:
        member, role = split_member_role(values["member_role"] or "")
        return member if name == "member" else role
    return None


def _with_front_matter(
    values: dict[str, str | None], front: Mapping[str, str], *, where: str
) -> list[str]:
    """Give a story the fields its file's front matter names and the story does not: what
    the story itself says (its "Community:" line) wins, and the notes say where they differ.

    Examples
    --------
    >>> values = {"community_date": "Riverside / 2025-03-14", "activities": "We met."}
    >>> _with_front_matter(values, {"community": "Hillside", "member": "Ana"}, where="story 1")
    ["story 1: its own community 'Riverside' kept, not the front matter's 'Hillside'"]
    >>> values["member"]
    'Ana'
    """
    notes = []
    for name, text in front.items():
        own = _said_in_story(values, name)
        if own is None:
            values[name] = text
        elif own != text:
            notes.append(f"{where}: its own {name} {own!r} kept, not the front matter's {text!r}")
    return notes


def _member_and_role(values: dict[str, str | None], *, where: str) -> list[str]:
    """A "Member:" answer that gives the role too ("Inês Carvalho, foundation staff"),
    split as a "Member/role" answer is when the story names no role; the load report's
    line on it. A workplace after the name ("Rachel Dunn, Greenacres Primary") is the
    story's community when it names none. A "Member/role" answer's role beside a role of
    its own line ("Type of member: Core member") is not kept, and the line says so (trial
    46: each teacher's job and school were dropped unsaid)."""
    combined, own = values.get("member_role"), values.get("role")
    if combined is not None and own is not None:
        dropped = split_member_role(combined)[1]
        if dropped is None or dropped.casefold() == own.casefold():
            return []
        return [
            f"{where}: the role {dropped!r} of its Member/role line not kept: the story's "
            f"role is {own!r}, from a line of its own"
        ]
    said = values.get("member")
    if said is None or values.get("role") is not None or values.get("member_role") is not None:
        return []
    member, role = split_member_role(said, role_in_brackets=False)
    if role is None or _surname_first(member, role):
        return []
    if values.get("community") is None and names_a_workplace(role):
        values["member"], values["community"] = member, role
        return [f"{where}: member {said!r} read as member {member!r} and community {role!r}"]
    values["member"], values["role"] = member, role
    return [f"{where}: member {said!r} read as member {member!r} and role {role!r}"]


def _surname_first(member: str | None, role: str) -> bool:
    """Whether a "Member:" answer split at a comma is a name written surname first
    ("Smith, John"): one word, then one capitalised word.

    Examples
    --------
    >>> _surname_first("Smith", "John"), _surname_first("Ana Souza", "Nurse")
    (True, False)
    >>> _surname_first("Smith", "nurse")
    False
    """
    return (
        member is not None
        and len(member.split()) == 1
        and len(role.split()) == 1
        and role[:1].isupper()
    )


def _member_from_title(record: dict[str, Any], blocks: list[Block], unit: str) -> list[str]:
    """The member (and role) an interview's title names ("Interview notes – Arjun Mehta"),
    for a one-story file that names no member; the load report's line on it."""
    title = next((b for b in blocks if b.level > 0), None)
    said = None if title is None else interviewee(title.text)
    if title is None or said is None:
        return []
    member, role = split_member_role(said, role_in_brackets=False)
    if role is not None and _surname_first(member, role):
        member, role = said, None
    record["member"] = member
    record["role"] = record["role"] or role
    what = f"member {member!r}" + (
        f" and role {role!r}" if role and record["role"] == role else ""
    )
    return [f"{unit} {title.number}: {what} read from the interview's title"]


def _mapped_label(
    text: str, mapping: Mapping[str, str | None], unused: set[str]
) -> tuple[str, float, str] | None:
    """A worksheet line that the user's ``mapping`` names, as :func:`match_label` returns
    it: the whole line, or the label of a "Label: answer" line, in any case and spacing.
    The name found is taken out of ``unused``. A name mapped to ``None`` names no field.

    Examples
    --------
    >>> unused = {"What did you learn or get access to?", "Depot"}
    >>> mapping = {"What did you learn or get access to?": "insights", "Depot": "community"}
    >>> _mapped_label("**What did you learn or  get access to?**", mapping, unused)
    ('insights', 100.0, '')
    >>> _mapped_label("Depot: Ty Gwyn", mapping, unused), sorted(unused)
    (('community', 100.0, 'Ty Gwyn'), [])
    >>> _mapped_label("We learned a lot.", mapping, set()) is None
    True
    """
    if not mapping:
        return None
    line = " ".join(text.strip().strip("*_#").split()).casefold()
    head, sep, rest = line.partition(":")
    for name, field in mapping.items():
        named = " ".join(name.split()).casefold().rstrip(":")
        if field is None or not named:
            continue
        if line.rstrip(":").strip() == named:
            answer = ""
        elif sep and head.strip() == named:
            answer = text.partition(":")[2].strip()
        else:
            continue
        unused.discard(name)
        return field, 100.0, answer
    return None


def _from_document(
    path: Path,
    *,
    strict: bool,
    dayfirst: bool | None,
    folder_order: FolderOrder | None = None,
    mapping: Mapping[str, str | None] | None = None,
    unused: set[str] | None = None,
) -> Loaded:
    labels_of: dict[str, tuple[str, float, str] | None] = {}
    named = dict(mapping or {})
    named_unused = unused if unused is not None else set()
    heads: set[str] = set()  # the texts of headings and of a table's first cells
    asked: set[str] = set()  # the interviewer's questions
    meant: set[str] = set()  # those that ask a prompt in the interviewer's own words

    def label_of(text: str) -> tuple[str, float, str] | None:
        # a prompt in the form's own wording, named in mapping.yaml (trial 42: a council's
        # Word forms asked "What did you learn or get access to?", and no mapping could
        # name it); a heading or a table's first cell is a label by its place in the form,
        # read as a survey's column header is (trial 42: her forms' prompts, with no mapping);
        # so is an interviewer's question, a label by its place in the transcript (trial 45:
        # "Q: What did you get out of it?" was no prompt, and its answer was read as the
        # answer to the prompt above it)
        if text not in labels_of:
            found = _mapped_label(text, named, named_unused) or match_label(text, STORY_WORDING)
            if found is None and (text in heads or text in asked):
                found = match_heading(text, STORY_WORDING)
                if found is not None and text in asked:
                    meant.add(text)
            labels_of[text] = found
        return labels_of[text]

    def asks_prompt(question: str) -> bool:
        asked.add(question)
        labels_of.pop(question, None)  # read before it was known as a question
        return label_of(question) is not None

    caption = caption_sheet(path)  # a Zoom, Teams or Otter.ai transcript: turns by name
    if caption is None:
        sheet = read_blocks(path, is_label=lambda text: label_of(text) is not None)
    else:
        sheet = caption.sheet
    heads.update(b.text for b in sheet.blocks if b.level > 0 or b.first_cell)
    labels_of.clear()  # read before the headings were known
    fmt, encoding = sheet.format, sheet.encoding
    unit = "paragraph" if fmt == "docx" else "line"
    # "Interviewer: Dana Whitfield    Date: ...": a header line, not the interviewer's turn
    blocks = [
        replace(b, text=interviewer_last(b.text)) if b.level == 0 and caption is None else b
        for b in sheet.blocks
    ]
    transcript = drop_interviewer(
        blocks,
        by_line=fmt != "docx" and caption is None,  # a caption's turn is one block
        is_prompt=asks_prompt,
    )
    blocks = transcript.blocks
    notes = ([] if caption is None else caption.notes) + _interviewer_notes(transcript, unit)
    matter = read_front_matter(sheet.front_matter, label_of)  # "community: ...", "date: ..."
    if matter.problem:
        notes.append(f"line 1: front matter {matter.problem}: none of its fields read")
    if matter.not_read:
        notes.append(
            "front matter keys that name no field of the story, not read: "
            + ", ".join(repr(key) for key in matter.not_read)
        )
    introduction: dict[str, Any] | None = None

    def is_label(block: Block) -> bool:
        label = label_of(block.text)
        if label is None:
            return block.level == 0 and header_line_label(block.text) is not None
        return not _topic_heading(block, label[0], transcript)

    first_story = _first_story(blocks, is_label)
    preamble = [b for b in blocks[:first_story] if b.text.strip()]
    if preamble:
        text = "\n".join(b.text.strip() for b in preamble)
        introduction = {unit: preamble[0].number, "to": preamble[-1].number, "text": text}
        span = f"{preamble[0].number}-{preamble[-1].number}" if len(preamble) > 1 else ""
        notes.append(
            f"{unit}{'s' if span else ''} {span or preamble[0].number}: file introduction "
            f"before the first story, not a story: {text[:60]!r}"
        )
    blocks = blocks[first_story:]
    stories: list[tuple[int, dict[str, list[str]], list[Block]]] = []
    labels: dict[str, dict[str, object]] = {
        f"{key} (front matter)": {"field": name, "score": 100.0}
        for name, key in matter.keys.items()
    }
    current: dict[str, list[str]] | None = None
    loose: list[Block] = []
    field: str | None = None
    start = 0
    headings: list[str] = []  # headings that name no prompt
    topics: list[str] = []  # an interview's topic headings that read like a prompt
    told: list[str] = []  # answers to a question that asks no prompt, after a prompt's answer
    again: list[str] = []  # an interviewer's questions that ask a prompt answered above

    def close() -> None:
        nonlocal current, loose, field
        if current or any(b.text.strip() for b in loose):
            stories.append((start, current or {}, loose))
        current, loose, field = None, [], None

    for block in blocks:
        if not block.text.strip():
            if field is not None and current is not None:
                current[field].append("")
            continue
        if _is_separator(block):
            close()
            start, current = block.number, {}
            continue
        label = label_of(block.text)
        if label is None and block.level == 0 and _in_header(current, loose):
            label = header_line_label(block.text)  # "Campus: ...", "Participant: ..."
        if label is not None and _topic_heading(block, label[0], transcript):
            said = block.text.strip(" #")
            topics.append(f"{said!r} ({unit} {block.number}, not the {label[0]} prompt)")
            continue  # a heading, never coded
        if label is not None:
            name, score, answer = label
            said = block.text.strip()
            if answer:
                said = said[: said.rfind(answer)]
            said = said.strip(" :*_#")
            labels.setdefault(said, {"field": name, "score": round(score, 1)})
            if current is not None and name in current and block.text in meant:
                # an interviewer asks again in other words ("What did you get out of the
                # sprints?" after the insights prompt): more of that answer, not the next
                # interview
                again.append(f"{unit} {block.number} {said!r} ({name})")
                field = name
                continue
            if (
                current is None
                or name in current
                or (name == "community_date" and any(current.values()))
            ):
                if current is not None or loose:
                    close()
                start, current = block.number, {}
            if not any(current.values()) and not loose:
                start = block.number
            line = same_line_fields(name, answer, label_of, one_line=_ONE_LINE_FIELDS)
            for one, said_there in line.fields:
                current[one] = [said_there] if said_there else []
            for said, one in line.labels:  # "Campus -> community" in the load report
                labels.setdefault(said, {"field": one, "score": 100.0})
            if line.left_out:
                notes.append(
                    f"{unit} {block.number}: left out of the story's fields and text: "
                    f"{'; '.join(line.left_out)}"
                )
            # "Member: Sam O'Neill" says all there is; what follows is not about Sam
            field = None if answer and name in _ONE_LINE_FIELDS else name
            continue
        if block.level > 0:
            headings.append(f"{unit} {block.number}: heading {block.text.strip()!r}")
            continue  # a title or section heading, not an answer: never coded
        if current is None:
            start, current = block.number, {}
        question = transcript.questions.get(block.number)
        if question is not None and field not in (None, "story"):
            # the answer to a question that asks no prompt is not the prompt's above it: it
            # is the member's story, read as the text under no prompt is
            told.append(
                f"{unit} {block.number} (after {shorten(question, 60, placeholder='…')!r}, "
                f"not the {field} answer above it)"
            )
            field = None
        if field is None:
            loose.append(block)
        else:
            current[field].append(block.text)
    close()
    if not stories:
        raise EmptyFileError("the worksheet holds no story", path=path)
    records: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    placeholders: list[str] = []
    for n, (first, texts, loose_blocks) in enumerate(stories, start=1):
        values = {name: clean_text("\n".join(lines)) for name, lines in texts.items()}
        placeholders += drop_placeholders(values, PROMPT_FIELDS, where=f"story {n}")
        if (boxed := values.get("role")) is not None and boxes_ticked(boxed) != boxed:
            # "☐ Coordinator ☒ Core member ...": the boxes ticked (trial 46: all four read
            # as the role of each of 10 teachers' Word forms)
            values["role"] = boxes_ticked(boxed)
            notes.append(
                f"story {n} role: the boxes ticked of {shorten(boxed, 60)!r}, read as "
                f"{values['role']!r}"
            )
        notes += _with_front_matter(values, matter.fields, where=f"story {n} ({unit} {first})")
        notes += _member_and_role(values, where=f"story {n} ({unit} {first})")
        loose_text = clean_text("\n".join(b.text for b in loose_blocks))
        if loose_text is not None:
            if values.get("story") is None:
                if any(values.get(f) is not None for f in PROMPT_FIELDS):
                    notes.append(
                        f"{unit} {loose_blocks[0].number}: text under no prompt of story {n} "
                        f"read as its story: {loose_text[:60]!r}"
                    )
                values["story"] = loose_text
            elif any(b.number in transcript.questions for b in loose_blocks):
                # the member's answers to the interviewer's questions: never left out
                values["story"] = f"{values['story']}\n\n{loose_text}"
                notes.append(
                    f"{unit} {loose_blocks[0].number}: the member's answers under no prompt of "
                    f"story {n} added to the end of its story: {loose_text[:60]!r}"
                )
            else:
                notes.append(
                    f"{unit} {loose_blocks[0].number}: text under no prompt of story {n} "
                    f"left out (it has a story): {loose_text[:60]!r}"
                )
        if all(values.get(f) is None for f in PROMPT_FIELDS):
            if strict:
                raise FileFormatError(
                    f"story {n} at {unit} {first}: {_SKIP_REASON} "
                    "(strict=True turns skipped stories into errors)",
                    path=path,
                )
            skipped.append({unit: first, "reason": f"story {n}: {_SKIP_REASON}"})
            continue
        records.append(
            _finish(
                values,
                story_id=f"{path.stem}-{n:03d}",
                source=f"{path.name}:{unit} {first}",
                path=path,
                row=first,
            )
        )
    if caption is not None and len(records) == 1:
        record = records[0]
        record["member"] = record["member"] or caption.member
        if record["date"] is None and caption.date is not None:
            record["date"] = caption.date
            notes.append(f"the date {caption.date!r} read from the transcript's header")
    if len(records) == 1 and records[0]["member"] is None:
        notes += _member_from_title(records[0], sheet.blocks, unit)
    bad_dates, dates, _ = _read_story_dates(
        records,
        unit=unit,
        date_header=None,
        submitted_header=None,
        dayfirst=dayfirst,
        folder_order=folder_order,
    )
    notes += placeholder_notes(placeholders)
    if topics:
        notes.append(
            f"{len(topics)} heading(s) of an interview read as its topics, not as worksheet "
            f"prompts (the interviewer's questions are the prompts): {first_places(topics)}"
        )
    if again:
        notes.append(
            f"{len(again)} interviewer's question(s) in their own words that ask a prompt "
            f"answered above: the answer below each added to that prompt's: "
            f"{first_places(again)}"
        )
    if told:
        notes.append(
            f"{len(told)} answer(s) to an interviewer's question that asks no prompt read as "
            f"the story's free narrative (story), not as the answer to the prompt above: "
            f"{first_places(told)}"
        )
    if headings:
        notes.append(
            f"{len(headings)} heading(s) name no prompt and are not coded; the text below one "
            f"stays in the answer above it: {first_places(headings)}"
        )
    return records, document_entry(
        path,
        fmt=fmt,
        encoding=encoding,
        mapping=labels,
        skipped=skipped,
        bad_dates=bad_dates,
        dates=dates,
        n_rows=len(records),
        notes=notes,
        introduction=introduction,
        dropped=sheet.dropped,
        listed=listed_places(
            {
                "answers read as no answer": placeholders,
                "headings read as an interview's topics": topics,
                "headings that name no prompt": headings,
                "answers to a question that asks no prompt": told,
                "questions that ask a prompt answered above": again,
                **_interviewer_places(transcript, unit),
            }
        ),
    )
