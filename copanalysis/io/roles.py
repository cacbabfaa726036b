"""Load leadership-role worksheets into the long ``roles`` frame.

One row per respondent x role x member type x aspect (an aspect left empty gives no row).
Circled roles and member types are matched fuzzily to :data:`copanalysis.schema.ROLES` and
:data:`copanalysis.schema.MEMBER_TYPES` ("Generations – newcomers/alum's" ->
"Generations - newcomers/alums"); a value matching neither is kept as written and noted in
the load report.

In a DOCX worksheet (the seed's table), a role or member type counts as circled when its
cell starts with ``[x]``, ``☒``, ``✓``, ``✔`` or ``X`` followed by a space, or when the
cell's text is all bold or the cell is shaded. Under each aspect's label, the seed's
guiding question (or a shortened one: the first text ending in "?") is passed over and the
next text is the answer; a question with nothing under it is noted in the load report.
``respondent`` comes from a "Respondent:" or "Name:" line above the table (else
``f"{stem}-{n:03d}"``, n counting worksheets in the file). A workbook may hold the same
table, one sheet per respondent, read the same way (only written marks choose an option
there), its respondent from a "Name:" line above it, else the sheet's id stem.

A respondent who named a role or a member type but answered no aspect is kept, as one row
per role x member type with no ``aspect`` and no ``text``: the roles chart counts them
(a "Lurker" who wrote nothing else), nothing is coded, and the load report notes them.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import pandas as pd

from copanalysis.errors import FileFormatError, MissingColumnError, quoted
from copanalysis.io.documents import (
    Cell,
    read_blocks,
    read_respondents,
    read_tables_of,
    respondent_line,
)
from copanalysis.io.fields import (
    NOT_INSIDE_SPACES,
    ROLE_WORDING,
    ColumnMatch,
    clean_text,
    drop_placeholders,
    match_label,
    placeholder_notes,
)
from copanalysis.io.places import first_places, listed_places
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
from copanalysis.schema import ASPECT_KINDS, FRAMES, MEMBER_TYPES, ROLE_ASPECTS, ROLES, validate

__all__ = ["ROLE_SUFFIXES", "load_roles", "match_choice"]

ROLE_SUFFIXES: tuple[str, ...] = (*TABLE_SUFFIXES, ".docx", ".md", ".markdown")
_COLUMNS = list(FRAMES["roles"].columns)
# a mark before an option ("[x] Networking", "(x) Networking", "✓ Networking", "* Networking")
# or after it ("Networking X", "Networking (x)", "Networking ✓"); an empty box marks nothing
_BOX = r"\[[xX✓✔✗✘]\]|\([xX✓✔✗✘]\)"
_TICK = r"[☒☑✓✔✗✘■●◼]"
# neither pattern starts inside a run of spaces (a cell of 30,000 spaces took 100 s)
_MARK = re.compile(
    rf"^\s*(?:{_BOX}|{_TICK}|[xX*](?=\s))\s*|{NOT_INSIDE_SPACES}\s+(?:{_BOX}|{_TICK}|[xX])\s*$"
)
# " / " between options ("Networking / Expertise"), not the "/" inside "newcomers/alums"
_SPLIT = re.compile(rf"{NOT_INSIDE_SPACES}\s*(?:;|,|\n|\||\s/\s)\s*")


def _plain(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", text.lower().replace("'", "")))


@functools.cache
def _short_forms(choices: tuple[str, ...]) -> dict[str, str]:
    """The short forms that name one choice alone: a part of it between dashes
    ("Documentation", "help desk") or a word no other choice has ("core", "peripheral")."""
    forms: dict[str, list[str]] = {}
    for choice in choices:
        parts = {_plain(p) for p in re.split(r"\s+[-–—]\s+", choice)}
        words = set(_plain(choice).split())
        for form in parts | words:
            forms.setdefault(form, []).append(choice)
    return {form: named[0] for form, named in forms.items() if len(set(named)) == 1}


def match_choice(text: str, choices: tuple[str, ...], *, cutoff: float = 85.0) -> str | None:
    """The choice ``text`` names (ignoring case, dashes and apostrophes), or None: the
    choice itself, one close to it, or a short form that names it alone (a part between
    dashes, a word no other choice has). A remark in brackets after an option
    ("Documentation (CAD standards library)") is read past when the words before it name
    one choice so.

    Examples
    --------
    >>> match_choice("Generations – newcomers/alum's", ROLES)
    'Generations - newcomers/alums'
    >>> match_choice("core members", MEMBER_TYPES)
    'Core member'
    >>> match_choice("Help desk", ROLES), match_choice("core", MEMBER_TYPES)
    ('Transactions - help desk', 'Core member')
    >>> match_choice("Treasurer", ROLES) is None
    True
    >>> match_choice("Documentation (CAD standards library)", ROLES)
    'Documentation - repository'
    >>> match_choice("Treasurer (and minutes)", ROLES) is None
    True
    """
    from rapidfuzz import fuzz, process

    plain = _plain(text)
    found = process.extractOne(
        plain, [_plain(c) for c in choices], scorer=fuzz.ratio, score_cutoff=cutoff
    )
    if found is not None:
        return choices[found[2]]
    named = _short_forms(choices).get(plain)
    head, bracket, _ = text.partition("(")
    if named is None and bracket and text.rstrip().endswith(")") and head.strip():
        return match_choice(head, choices, cutoff=cutoff)  # head holds no "(": no deeper
    return named


def _closest(text: str, choices: tuple[str, ...]) -> str | None:
    """The choice most like ``text``, when it is at all alike (for a note), else None."""
    from rapidfuzz import fuzz, process

    found = process.extractOne(
        _plain(text), [_plain(c) for c in choices], scorer=fuzz.WRatio, score_cutoff=80
    )
    return None if found is None else choices[found[2]]


def load_roles(
    path: str | Path,
    *,
    sheet: str | None = None,
    strict: bool = False,
    skip_unreadable: bool = False,
) -> pd.DataFrame:
    """Load leadership-role worksheets from CSV/XLSX/JSON (one row per respondent) or DOCX.

    A table has a respondent column, a roles column (several roles in one cell, separated
    by ``;``, ``,``, ``|`` or new lines), a member-type column, and the six aspect columns
    (Purpose / Why is this leadership role important?, Typical actions, Typical challenges,
    Gratification, Qualification, Support), matched by wording. A DOCX holds the seed's
    table (see the module docstring for how circled options are read); so may each sheet
    of a workbook, one per respondent.

    Parameters
    ----------
    path : str or Path
        A file or a folder.
    sheet : str, optional
        For workbooks, the one sheet to read (by default every sheet that holds roles).
    strict : bool
        Raise instead of skipping a respondent who answered no aspect and named no role
        and no member type (one who named a role or member type is kept).
    skip_unreadable : bool
        Leave out a file that cannot be read (a broken workbook, a form with no table)
        instead of raising; the load report lists it with the error (``unreadable``).

    Returns
    -------
    pandas.DataFrame
        The ``roles`` frame (``respondent``, ``role``, ``member_type``, ``aspect``, ``text``,
        ``source``, then ``community`` when known), with ``attrs["load_report"]``.

    Raises
    ------
    MissingColumnError
        When no aspect column (or no worksheet table) is found; the message names the
        layouts read.
    FileFormatError, EmptyFileError, UnsupportedFormatError
        As for the other loaders; with ``strict=True`` also a respondent who answered,
        ticked and named nothing.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "roles.csv")
    ...     _ = path.write_text(
    ...         "Respondent,Roles,Type of member,Purpose,Support\\n"
    ...         "Aisha,Coordination; Networking,Coordinator,Holds the thread,Admin help\\n",
    ...         encoding="utf-8")
    ...     roles = load_roles(path)
    >>> roles["role"].tolist()
    ['Coordination', 'Coordination', 'Networking', 'Networking']
    >>> roles["aspect"].tolist()
    ['purpose', 'support', 'purpose', 'support']
    """
    files = list_files(path, ROLE_SUFFIXES)
    unreadable: list[dict[str, str]] | None = [] if skip_unreadable else None
    records, entries = read_records(
        files,
        unreadable=unreadable,
        from_table=lambda table: _from_table(table, strict=strict),
        from_document=lambda file: _from_document(file, strict=strict),
        sheet=sheet,
    )
    frame = validate(records_frame(records, _COLUMNS), "roles")
    return attach_provenance(
        frame, name="roles", files=files, entries=entries, unreadable=unreadable or ()
    )


def _choices(
    cell: str, choices: tuple[str, ...], unmatched: dict[str, list[int]], row: int
) -> list[str | None]:
    """The options a cell names; a part that names none is kept as written, and its row
    noted in ``unmatched``."""
    out: list[str | None] = []
    for part in _SPLIT.split(cell.strip()):
        part = _MARK.sub("", part).strip()
        if not part:
            continue
        match = match_choice(part, choices)
        if match is None:
            unmatched.setdefault(part, []).append(row)
        out.append(match or part)
    return out or [None]


def _unmatched_notes(
    unmatched: dict[str, list[int]], choices: tuple[str, ...], unit: str = "row"
) -> list[str]:
    """One note per value that names no option: its rows (or lines) and the closest
    option."""
    notes = []
    for part, rows in unmatched.items():
        where = (
            f"{unit} {rows[0]}"
            if len(rows) == 1
            else f"{unit}s {first_places(list(map(str, rows)), sep=', ')}"
        )
        closest = _closest(part, choices)
        hint = f" (closest: {closest!r})" if closest else ""
        notes.append(f"{where}: {part!r} matches none of the worksheet's options{hint}; kept")
    return notes


def _unmatched_places(unmatched: dict[str, list[int]], unit: str = "row") -> dict[str, list[str]]:
    """The rows (or lines) of each value that names no option, for the load report's
    ``listed``."""
    return {
        f"{unit}s where {part!r} matches no option": [f"{unit} {row}" for row in rows]
        for part, rows in unmatched.items()
    }


def _expand(
    respondent: str,
    roles: list[str | None],
    types: list[str | None],
    answers: dict[str, str | None],
    source: str,
    extra: dict[str, Any],
) -> list[dict[str, Any]]:
    """The rows of one respondent: one per role x member type x answered aspect, or, when
    no aspect is answered, one per role x member type with no aspect (the roles chart
    counts them; nothing is coded)."""
    answered: list[str | None] = [a for a in ROLE_ASPECTS if answers.get(a) is not None]
    answered = answered or [None]  # no aspect answered: one row with none
    rows = []
    for role in roles:
        for member_type in types:
            for aspect in answered:
                text = None if aspect is None else answers.get(aspect)
                rows.append(
                    {
                        "respondent": respondent,
                        "role": role,
                        "member_type": member_type,
                        "aspect": aspect,
                        "text": text,
                        "source": source,
                        **extra,
                    }
                )
    return rows


#: What the load report lists respondents who answered no aspect under.
_NAMED_ONLY = "respondents who named only a role or member type"


def _named_only(
    place: str, respondent: str, roles: list[str | None], types: list[str | None]
) -> str:
    """ "row 12 'Steve Jenkins' (Lurker; no role)": where a respondent who answered no
    aspect is, and what they named."""
    named = [str(v) for v in (*roles, *types) if v]
    named += [f"no {what}" for what, given in (("role", roles), ("member type", types))
              if given == [None]]  # fmt: skip
    return f"{place} {respondent!r} ({'; '.join(named)})"


def _named_only_notes(places: list[str]) -> list[str]:
    """The note on respondents who named a role or member type and answered no aspect:
    kept for the roles chart, not skipped (trial 42: a "Lurker" and nothing else was
    skipped, and the chart's Lurker column was empty).

    Examples
    --------
    >>> print(_named_only_notes(["row 12 'Steve Jenkins' (Lurker; no role)"])[0])
    1 respondent answered no aspect, only a role or member type: row 12 'Steve Jenkins' \
(Lurker; no role); counted in the roles chart under what they named, with nothing to code
    """
    if not places:
        return []
    n = len(places)
    return [
        f"{n} respondent{'s' if n != 1 else ''} answered no aspect, only a role or member "
        f"type: {first_places(places)}; counted in the roles chart under what they named, "
        "with nothing to code"
    ]


def _respondent_rows(
    respondent: str,
    roles: list[str | None],
    types: list[str | None],
    answers: dict[str, str | None],
    *,
    place: str,
    source: str,
    extra: dict[str, Any],
    named_only: list[str],
) -> list[dict[str, Any]] | None:
    """The rows of one respondent (:func:`_expand`), or None when they named no role, no
    member type and answered no aspect (then skipped); one who named a role or member type
    and answered no aspect is kept, and noted at ``place`` in ``named_only``."""
    unanswered = all(v is None for v in answers.values())
    if unanswered and roles == [None] and types == [None]:
        return None
    if unanswered:
        named_only.append(_named_only(place, respondent, roles, types))
    return _expand(respondent, roles, types, answers, source, extra)


def _from_table(table: Table, *, strict: bool) -> Loaded:
    found, index, kept = match_table(table, ROLE_WORDING)
    if not any(a in index for a in ROLE_ASPECTS):
        seed = _from_seed_sheet(table, strict=strict)
        if seed is not None:
            return seed
        raise MissingColumnError(
            "no aspect column (Purpose, Typical actions, Typical challenges, Gratification, "
            f"Qualification, Support); headers are {quoted(table.columns)}. The layouts read: "
            "one row per respondent with a column per aspect, or the seed's worksheet table "
            "(one per sheet, or in a .docx)",
            path=table.where,
        )
    records: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    unmatched_roles: dict[str, list[int]] = {}
    unmatched_types: dict[str, list[int]] = {}
    placeholders: list[str] = []
    named_only: list[str] = []  # respondents who named a role or member type, and no more
    for row, cells in table.rows:
        values = {field: clean_text(cells[i]) for field, i in index.items()}
        answers = {a: values.get(a) for a in ROLE_ASPECTS}
        placeholders += drop_placeholders(
            answers, ROLE_ASPECTS, where=f"row {row}", listed=ASPECT_KINDS
        )
        roles = _choices(values.get("role") or "", ROLES, unmatched_roles, row)
        types = _choices(values.get("member_type") or "", MEMBER_TYPES, unmatched_types, row)
        extra = {c: clean_text(cells[i]) for c, i in kept.items()}
        if "community" in index:
            extra["community"] = values.get("community")
        respondent = values.get("respondent") or table.row_id(row)
        rows = _respondent_rows(
            respondent, roles, types, answers, place=f"row {row}",
            source=f"{table.label}:row {row}", extra=extra, named_only=named_only,
        )  # fmt: skip
        if rows is None:
            skip_row(skipped, "no answer to any aspect", table=table, row=row, strict=strict)
            continue
        records.extend(rows)
    notes = _unmatched_notes(unmatched_roles, ROLES)
    notes += _unmatched_notes(unmatched_types, MEMBER_TYPES)
    notes += placeholder_notes(placeholders) + _named_only_notes(named_only)
    strangers = sorted({*unmatched_roles, *unmatched_types})
    return records, table_entry(
        table,
        found,
        skipped=skipped,
        n_rows=len(records),
        notes=notes,
        unmatched=strangers,
        listed=listed_places(
            {
                "answers read as no answer": placeholders,
                _NAMED_ONLY: named_only,
                **_unmatched_places(unmatched_roles | unmatched_types),
            }
        ),
    )


def _role_or_type(text: str) -> tuple[str | None, str | None]:
    """The role or the member type a worksheet cell names (never both): when the text is
    near one of each ("Coordinator" is near the role "Coordination"), the nearer wins."""
    from rapidfuzz import fuzz

    role, member_type = match_choice(text, ROLES), match_choice(text, MEMBER_TYPES)
    if role is None or member_type is None:
        return role, member_type
    plain = _plain(text)
    if fuzz.ratio(plain, _plain(member_type)) > fuzz.ratio(plain, _plain(role)):
        return None, member_type
    return role, None


def _label(text: str) -> str | None:
    """The aspect a worksheet cell names ("Purpose", "Typical actions" ...), or None."""
    found = match_label(text, {a: ROLE_WORDING[a] for a in ROLE_ASPECTS}, threshold=90.0)
    return None if found is None or found[2] else found[0]


def _worksheet(
    table: list[list[Cell]], notes: list[str], where: str
) -> tuple[list[str | None], list[str | None], dict[str, str | None]]:
    roles: list[str] = []
    types: list[str] = []
    answers: dict[str, str | None] = {}
    for r, row in enumerate(table):
        for c, cell in enumerate(row):
            marked = cell.marked or bool(_MARK.search(cell.text))
            text = _MARK.sub("", cell.text).strip()
            role, member_type = _role_or_type(text)
            if marked and role and role not in roles:
                roles.append(role)
            elif marked and member_type and member_type not in types:
                types.append(member_type)
            aspect = _label(text) if not (role or member_type) else None
            if aspect is None or aspect in answers:
                continue
            answers[aspect] = None
            question = None
            for below in table[r + 1 :]:
                if c >= len(below):
                    break
                candidate = below[c].text.strip()
                named = _label(candidate)
                if not candidate or named == aspect:
                    continue  # the prompt's question under its label
                if named is not None:
                    break
                if question is None and candidate.endswith("?"):
                    question = candidate  # the prompt's question, reworded or shortened
                    continue
                answers[aspect] = clean_text(candidate)
                break
            if question is not None and answers[aspect] is None:
                notes.append(
                    f"{where}: the only text under {text!r}, {question!r}, reads as the "
                    "prompt's question and was not taken as an answer"
                )
    return list(roles) or [None], list(types) or [None], answers


def _worksheets_report(
    notes: list[str], placeholders: list[str], unmarked: list[str], named_only: list[str]
) -> dict[str, Any]:
    """The load report's ``notes``, ``unmarked`` and ``listed`` of a file's seed
    worksheets: the notes made while reading them, then its answers that say there is none,
    its respondents who answered no aspect and its worksheets with nothing marked."""
    return {
        "notes": notes + placeholder_notes(placeholders) + _named_only_notes(named_only) + [
            f"{where}: no role or member type is marked (circle, bold or highlight them, "
            "or write [x] before them)" for where in unmarked
        ],
        "unmarked": unmarked,
        "listed": listed_places(
            {"answers read as no answer": placeholders, _NAMED_ONLY: named_only}
        ),
    }  # fmt: skip


def _seed_worksheet(
    table: list[list[Cell]],
    where: str,
    *,
    notes: list[str],
    placeholders: list[str],
    unmarked: list[str],
) -> tuple[list[str | None], list[str | None], dict[str, str | None]] | None:
    """The roles, member types and answers of one seed worksheet table (a Word table, or a
    spreadsheet's sheet), its notes, placeholder answers and want of marks added to
    ``notes``, ``placeholders`` and ``unmarked``; None when the table names no aspect."""
    roles, types, answers = _worksheet(table, notes, where)
    if not answers:
        return None
    placeholders += drop_placeholders(answers, list(answers), where=where, listed=ASPECT_KINDS)
    if roles == [None] and types == [None]:
        unmarked.append(where)
    return roles, types, answers


def _from_document(path: Path, *, strict: bool) -> Loaded:
    respondents = read_respondents(path)
    records: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    read: tuple[list[str], list[str], list[str]] = ([], [], [])  # notes, placeholders, unmarked
    named_only: list[str] = []
    sheets = 0
    markdown = path.suffix.lower() in (".md", ".markdown")
    for t, table in enumerate(read_tables_of(path), start=1):
        found = _seed_worksheet(
            table, f"table {t}", notes=read[0], placeholders=read[1], unmarked=read[2]
        )
        if found is None:
            continue
        roles, types, answers = found
        sheets += 1
        rows = _respondent_rows(
            respondents.name(sheets), roles, types, answers, place=f"table {t}",
            source=f"{path.name}:table {t}", extra={"community": respondents.community(sheets)},
            named_only=named_only,
        )  # fmt: skip
        if rows is None:
            skip_docx_table(skipped, "no answer to any aspect", path=path, number=t, strict=strict)
            continue
        records.extend(rows)
    if sheets == 0 and markdown:
        return _from_lines(path, strict=strict)
    if sheets == 0:
        raise MissingColumnError(
            "no leadership-role worksheet table (with Purpose, Typical actions ... cells)",
            path=path,
        )
    return records, document_entry(
        path, fmt="md" if markdown else "docx", skipped=skipped, n_rows=len(records),
        **_worksheets_report(*read, named_only),
    )  # fmt: skip


#: The seed's worksheet table has 10 rows (with a line or two more, 12); a sheet of this
#: many is no single worksheet.
_SEED_ROWS = 40


def _from_seed_sheet(table: Table, *, strict: bool) -> Loaded | None:
    """A spreadsheet's sheet that holds the seed's worksheet table (one sheet per
    respondent, chosen options marked "X ..."), read as a Word table is; its respondent
    and community from a "Name:" and "Community:" line above it, else the sheet's
    :attr:`~copanalysis.io.tables.Table.id_stem`. None when the sheet names no aspect.

    Cells carry no bold or shading here: only written marks choose an option. A sheet of
    :data:`_SEED_ROWS` rows or more is a table of respondents, not one worksheet (and is
    not searched cell by cell for one).
    """
    if len(table.rows) >= _SEED_ROWS:
        return None
    rows = [table.columns, *(cells for _, cells in table.rows)]
    first = table.header_row  # the worksheet's first row, where its source points
    kept: tuple[list[str], list[str], list[str]] = ([], [], [])  # notes, placeholders, unmarked
    found = _seed_worksheet(
        [[Cell(text) for text in row] for row in rows],
        "the sheet",
        notes=kept[0],
        placeholders=kept[1],
        unmarked=kept[2],
    )
    if found is None:
        return None
    roles, types, answers = found
    titles = table.info.get("titles")
    lines = [str(t["text"]) for t in titles] if isinstance(titles, list) else []
    said = dict(line for text in lines if (line := respondent_line(text)))
    respondent = said.get("respondent") or table.id_stem
    skipped: list[dict[str, Any]] = []
    named_only: list[str] = []
    records = _respondent_rows(
        respondent, roles, types, answers, place=f"row {first}",
        source=f"{table.label}:row {first}", extra={"community": said.get("community")},
        named_only=named_only,
    )  # fmt: skip
    if records is None:
        skip_row(skipped, "no answer to any aspect", table=table, row=first, strict=strict)
        records = []
    report = _worksheets_report(*kept, named_only)
    report["notes"].insert(
        0,
        "the seed's worksheet table, one sheet per respondent: read as in a Word worksheet "
        f"(options chosen by a written mark), respondent {respondent!r}",
    )
    entry = table_entry(table, ColumnMatch({}, []), skipped=skipped, n_rows=len(records), **report)
    if "dropped" in entry:  # the "Name:" line above the table is read, not dropped
        entry["dropped"] = [d for d in entry["dropped"] if not respondent_line(str(d["text"]))]
    return records, entry


#: The labels of a worksheet written as lines: the roles, the member types, the aspects.
_LINE_WORDING = {field: ROLE_WORDING[field] for field in ("role", "member_type", *ROLE_ASPECTS)}


def _from_lines(path: Path, *, strict: bool) -> Loaded:
    """Role worksheets written as lines (Markdown): "Roles: ..." and "Type of member: ..."
    lines, each aspect a heading or a "Purpose:" label with its answer below or after it;
    a "Respondent:" line starts the next worksheet, and so does a top heading ("# Leo
    Schultz") after a worksheet's roles or answers, naming its respondent."""
    sheet = read_blocks(path, is_label=lambda text: _line_label(text) is not None)
    records: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    unmatched: tuple[dict[str, list[int]], dict[str, list[int]]] = ({}, {})
    outside: list[str] = []
    current: dict[str, Any] = {"answers": {}, "roles": [], "types": [], "line": 1}
    sheets: list[dict[str, Any]] = []
    aspect: str | None = None
    for block in sheet.blocks:
        text = block.text.strip()
        if not text:
            continue
        said = respondent_line(text)
        if said and said[0] == "respondent":
            if current["answers"] or current["roles"] or current.get("respondent"):
                sheets.append(current)
            current = {"answers": {}, "roles": [], "types": [], "line": block.number}
            current["respondent"], aspect = said[1], None
            continue
        if said:
            current["community"] = said[1]
            continue
        label = _line_label(text)
        if label is not None and label[0] in ("role", "member_type"):
            field, rest = label
            choices = ROLES if field == "role" else MEMBER_TYPES
            found = _choices(rest, choices, unmatched[field == "member_type"], block.number)
            current["roles" if field == "role" else "types"] += [c for c in found if c]
            aspect = None
        elif label is not None:
            aspect, rest = label
            if rest:
                current["answers"][aspect] = rest
        elif block.level > 0:
            aspect = None  # a title or a heading of its own
            if block.level == 1:  # "# Leo Schultz": each top heading may open a worksheet
                if current["answers"] or current["roles"] or current["types"]:
                    sheets.append(current)
                    current = {"answers": {}, "roles": [], "types": [], "line": block.number}
                current["heading"] = text
        elif aspect is not None:
            held = current["answers"].get(aspect)
            current["answers"][aspect] = f"{held}\n{text}" if held else text
        else:
            outside.append(f"line {block.number}: {text!r} is under no aspect; left out")
    sheets.append(current)
    # worksheets opened by top headings: each heading names its respondent (one heading
    # alone is the file's title)
    headed = sum("heading" in w for w in sheets) > 1
    placeholders: list[str] = []
    named_only: list[str] = []
    for n, worksheet in enumerate(sheets, start=1):
        answers = {a: clean_text(v) for a, v in worksheet["answers"].items()}
        placeholders += drop_placeholders(
            answers, list(answers), where=f"worksheet {n}", listed=ASPECT_KINDS
        )
        named = worksheet.get("heading") if headed else None
        respondent = worksheet.get("respondent") or named or f"{path.stem}-{n:03d}"
        rows = _respondent_rows(
            respondent, worksheet["roles"] or [None], worksheet["types"] or [None], answers,
            place=f"line {worksheet['line']}", source=f"{path.name}:line {worksheet['line']}",
            extra={"community": worksheet.get("community")}, named_only=named_only,
        )  # fmt: skip
        if rows is None:
            reason = f"worksheet {n} (line {worksheet['line']}): no answer to any aspect"
            if strict:
                raise FileFormatError(
                    f"{reason} (strict=True turns skipped worksheets into errors)", path=path
                )
            skipped.append({"row": worksheet["line"], "reason": reason})
            continue
        records.extend(rows)
    notes = _unmatched_notes(unmatched[0], ROLES, "line")
    notes += _unmatched_notes(unmatched[1], MEMBER_TYPES, "line")
    notes += placeholder_notes(placeholders) + _named_only_notes(named_only)
    strangers = sorted({*unmatched[0], *unmatched[1]})
    return records, document_entry(
        path, fmt="md", skipped=skipped, n_rows=len(records), notes=[*notes, *outside],
        dropped=sheet.dropped, unmatched=strangers, text_left_out=outside,
        listed=listed_places({
            "answers read as no answer": placeholders,
            _NAMED_ONLY: named_only,
            **_unmatched_places(unmatched[0] | unmatched[1], "line"),
        }),
    )  # fmt: skip


def _line_label(text: str) -> tuple[str, str] | None:
    """``(field, answer on the line)`` for a role worksheet's label line, else None."""
    found = match_label(text, _LINE_WORDING, threshold=90.0)
    if found is None or (found[0] in ("role", "member_type") and not found[2]):
        return None  # roles and member types are named on their label's line
    return found[0], found[2]
