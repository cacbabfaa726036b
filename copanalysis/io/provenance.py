"""Where a frame came from: the load report, the source files and their checksums.

Every loader attaches two plain, JSON-serialisable values to the frame it returns:
``frame.attrs["load_report"]`` (per file: format, encoding, delimiter, sheet, the column
mapping, kept columns and survey metadata, skipped rows, unparseable dates, each date
column's day/month order, worksheet furniture dropped, row count) and
``frame.attrs["sources"]`` (``[{"path", "sha256"}]``). Both survive :func:`save_frame`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from copanalysis.errors import DuplicateIdError, EmptyFileError, UnsupportedFormatError
from copanalysis.io.choices import is_ticked_choices
from copanalysis.io.fields import STORY_WORDING, is_no_answer, kinds_asked, match_columns
from copanalysis.io.language import note_other_languages
from copanalysis.io.places import SHOWN, first_places, listed_places
from copanalysis.io.responses import repeated_answers, repeated_answers_note
from copanalysis.schema import ITEM_KINDS, PROMPT_FIELDS

__all__ = [
    "assumed_dates",
    "attach_provenance",
    "check_unique",
    "file_sha256",
    "format_load_report",
    "left_out",
    "list_files",
    "not_read",
    "unread_listed",
    "unread_said",
    "unread_text",
]


def file_sha256(path: str | Path) -> str:
    """The SHA-256 hex digest of a file's bytes.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "a.txt")
    ...     _ = path.write_bytes(b"abc")
    ...     file_sha256(path)[:12]
    'ba7816bf8f01'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def list_files(path: str | Path, suffixes: Sequence[str]) -> list[Path]:
    """``path`` itself, or every supported file under the folder ``path`` (recursive, sorted).

    Hidden files and Office lock files (``~$...``) are left out.

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.
    UnsupportedFormatError
        When a file's suffix is not in ``suffixes`` (the message lists them).
    EmptyFileError
        When a folder holds no supported file.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file or folder")
    if path.is_dir():
        files = sorted(
            p
            for p in path.rglob("*")
            if p.is_file()
            and p.suffix.lower() in suffixes
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
            and not p.name.startswith("~$")
        )
        if not files:
            raise EmptyFileError(
                f"the folder holds no supported file ({', '.join(suffixes)})", path=path
            )
        return files
    if path.suffix.lower() not in suffixes:
        raise UnsupportedFormatError(
            f"cannot load {path.suffix or 'a file without suffix'!r} files here; "
            f"supported: {', '.join(suffixes)}{how_to_read(path)}",
            path=path,
        )
    return [path]


def how_to_read(path: str | Path) -> str:
    """What to do with a file of a type no folder reads, as a clause to append ("" when
    there is nothing to say).

    Examples
    --------
    >>> how_to_read("gold/project.qdpx")[:60]
    '; a REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, QualCoder, Ta'
    >>> how_to_read("stories/form-10.doc")
    '; open it in Word (or LibreOffice) and save it as .docx to read it'
    """
    suffix = Path(path).suffix.lower()
    if suffix in (".qdpx", ".qde"):
        return (
            "; a REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, QualCoder, Taguette) becomes a "
            "study folder's stories and human codes with: copanalysis import-refi "
            f"{path} STUDY_DIR, then move it out of the study folder (in Python, "
            "copanalysis.io.import_refi)"
        )
    if suffix == ".pdf":
        return "; save the PDF's text as .txt, .md or .docx to read it"
    if suffix in (".doc", ".rtf", ".odt", ".pages"):  # trial 46: an old Word form, no advice
        return "; open it in Word (or LibreOffice) and save it as .docx to read it"
    return ""


def check_unique(
    records: list[dict[str, Any]], *, key: str, entries: list[dict[str, Any]] | None = None
) -> None:
    """Raise :class:`DuplicateIdError` naming both rows when two records share ``key``.

    Each record carries ``source`` and the private ``_path`` and ``_row``. With the load
    report's ``entries``, ids that repeat only across files (two survey exports that both
    number their responses 1, 2, 3 ...) are first made unique: each such file's ids take its
    name as a prefix (``"7"`` in ``team-a.csv`` becomes ``"team-a-7"``), noted in its entry.
    An id repeated within one file, or still repeated after that, is an error.
    """
    if entries is not None:
        _prefix_repeated_ids(records, key, entries)
    seen: dict[str, dict[str, Any]] = {}
    for record in records:
        first = seen.setdefault(record[key], record)
        if first is not record:
            column = _column_of(key, record["_path"], entries) or "<the id column>"
            raise DuplicateIdError(
                f"{key} {record[key]!r} at {record['source']} repeats the one at "
                f"{first['source']}; ids must be unique (to number the rows instead, "
                f"pass mapping={{{column!r}: None}})",
                path=record["_path"],
                row=record["_row"],
            )


def name_ids(records: list[dict[str, Any]], *, key: str, entries: list[dict[str, Any]]) -> None:
    """Give each file's load report entry the first and last of its records' ids
    (``ids``), which a hand coder writes as ``doc_id`` (:func:`format_load_report` shows
    them).

    Examples
    --------
    >>> entries = [{"path": "a.csv"}, {"path": "b.csv"}]
    >>> records = [{"story_id": i, "_path": "a.csv"} for i in ("a-001", "a-002", "a-004")]
    >>> name_ids(records, key="story_id", entries=entries)
    >>> entries
    [{'path': 'a.csv', 'ids': {'first': 'a-001', 'last': 'a-004', 'n': 3}}, {'path': 'b.csv'}]
    """
    ids: dict[str, list[str]] = {}
    for record in records:
        ids.setdefault(str(record["_path"]), []).append(str(record[key]))
    for entry in entries:
        own = ids.get(str(entry.get("path")))
        if own:
            entry["ids"] = {"first": own[0], "last": own[-1], "n": len(own)}


def _column_of(field: str, path: Any, entries: list[dict[str, Any]] | None) -> str | None:
    """The column of ``path``'s file that was read as ``field``, from its load report."""
    for entry in entries or []:
        if str(entry.get("path")) == str(path):
            for column, found in (entry.get("mapping") or {}).items():
                if isinstance(found, dict) and found.get("field") == field:
                    return str(column)
    return None


def _prefix_repeated_ids(
    records: list[dict[str, Any]], key: str, entries: list[dict[str, Any]]
) -> None:
    files_of: dict[str, set[str]] = {}
    for record in records:
        files_of.setdefault(record[key], set()).add(str(record["_path"]))
    clashing = {file for files in files_of.values() if len(files) > 1 for file in files}
    if len(clashing) < 2:
        return
    # the file's name, or its path below the folder they share when two share a name
    top = Path(os.path.commonpath(clashing))
    prefix = {f: "-".join(Path(f).relative_to(top).with_suffix("").parts) for f in clashing}
    if len(set(prefix.values())) < len(prefix):  # e.g. a.csv and a.xlsx: no prefix helps
        return
    for record in records:
        if str(record["_path"]) in clashing:
            record[key] = f"{prefix[str(record['_path'])]}-{record[key]}"
    for entry in entries:
        path = str(entry.get("path"))
        if path in clashing:
            others = sorted(Path(f).relative_to(top).as_posix() for f in clashing - {path})
            entry["renamed_ids"] = f"'{prefix[path]}-<id>'"
            entry["notes"] = [
                *entry.get("notes", []),
                f"its {key}s repeat those of {', '.join(others)}: each is read with the file's "
                f"name before it ('{prefix[path]}-<id>')",
            ]


#: The columns of each frame that hold what people wrote.
_TEXTS = {"stories": PROMPT_FIELDS, "items": ("text",), "roles": ("text",), "grid": ("text",)}


def _units(frame: Any, columns: Sequence[str]) -> Any:
    """``source``, ``field`` and ``text`` of every answer in ``columns``, once each (for a
    frame of one text column, ``field`` is empty, or the role worksheet's aspect, or the
    list item's kind, so that two answers of one row are told apart)."""
    import pandas as pd

    columns = [c for c in columns if c in frame.columns]
    parts = [
        pd.DataFrame(
            {
                "source": frame["source"].to_numpy(),
                # a roles frame repeats each answer once per role: its aspect names it
                "field": frame["aspect"].to_numpy()
                if "aspect" in frame.columns
                else frame["kind"].astype("string").fillna("").to_numpy()
                if "kind" in frame.columns
                else ("" if len(columns) == 1 else column),
                "text": frame[column].to_numpy(),
            }
        )
        for column in columns
    ]
    return pd.concat(parts, ignore_index=True).dropna(subset=["text"]).drop_duplicates()


def attach_provenance(
    frame: Any,
    *,
    name: str,
    files: Iterable[Path],
    entries: list[dict[str, Any]],
    unreadable: Sequence[Mapping[str, str]] = (),
) -> Any:
    """Set ``attrs`` "frame", "load_report" and "sources" on ``frame`` and return it.

    ``unreadable`` (files left out by ``skip_unreadable=True``, each ``path`` and
    ``error``) goes in the report, and those files are not among the sources. Every loader
    ends here, so answers in another language than English are noted here, in their
    file's entry (:func:`~copanalysis.io.language.note_other_languages`), and so are
    columns of free text that no field matched, which nothing codes."""
    if name in _TEXTS and len(frame) and "source" in frame.columns:
        note_other_languages(_units(frame, _TEXTS[name]), entries)
        _note_uncoded_text(frame, name, entries)
    if name == "stories" and len(frame) and "source" in frame.columns:
        _note_repeated_answers(frame, entries)
    frame.attrs["frame"] = name
    frame.attrs["load_report"] = {
        "frame": name,
        "n_rows": int(len(frame)),
        "n_skipped": sum(len(e.get("skipped", [])) for e in entries),
        "files": entries,
    }
    if unreadable:
        frame.attrs["load_report"]["unreadable"] = [dict(u) for u in unreadable]
    left = {u["path"] for u in unreadable}
    frame.attrs["sources"] = [
        {"path": str(p), "sha256": file_sha256(p)} for p in files if str(p) not in left
    ]
    return frame


def _note_repeated_answers(frame: Any, entries: list[dict[str, Any]]) -> None:
    """Note, in each file's entry, its rows that repeat an earlier row's every answer
    (:func:`~copanalysis.io.responses.repeated_answers`; the earlier row may be in another
    file of the folder): ``repeated_answers`` (each ``story_id``, ``where``, ``repeats``,
    ``repeats_where``), a note, and ``listed``."""
    repeats = repeated_answers(frame)
    found: dict[str, list[dict[str, str]]] = {}  # file name -> the rows that repeat
    for story_id, source, first_id, first_source in repeats.itertuples(index=False):
        name, _, where = str(source).partition(":")
        first_name, _, first_where = str(first_source).partition(":")
        earlier = first_where if first_name == name else str(first_source)
        found.setdefault(name, []).append(
            {"story_id": story_id, "where": where, "repeats": first_id, "repeats_where": earlier}
        )
    for entry in entries:
        mine = found.get(Path(str(entry.get("path"))).name)
        if not mine:
            continue
        pairs = [(r["where"], r["repeats_where"]) for r in mine]
        entry["repeated_answers"] = mine
        entry["notes"] = [*entry.get("notes", []), *repeated_answers_note(pairs)]
        every = listed_places(
            {"rows that repeat an earlier row": [f"{a} repeats {b}" for a, b in pairs]}
        )
        if every:
            entry["listed"] = {**entry.get("listed", {}), **every}


#: A column no field matched holds free text when its answers run to this many words
#: (median) and there are at least :data:`_FREE_TEXT_ANSWERS` of them.
_FREE_TEXT_WORDS = 4
_FREE_TEXT_ANSWERS = 1


#: How a user maps a kept column, per frame: the study folder's mapping.yaml block.
_MAP_HINT = {"stories": "stories", "items": "lists"}


def _note_uncoded_text(frame: Any, name: str, entries: list[dict[str, Any]]) -> None:
    """Note, in each file's entry, the columns kept as they are that hold free-text answers
    (``uncoded_text``: column -> answers): no prompt matched them, so nothing codes them.
    Answers are counted once per row of the file (a list row gives several items)."""
    names = frame["source"].astype(str).str.partition(":")[0]
    block = _MAP_HINT.get(name, "stories")
    for entry in entries:
        kept = [c for c in entry.get("kept") or [] if c in frame.columns and c != "source"]
        mine = frame.loc[
            names == Path(str(entry.get("path"))).name, [*dict.fromkeys([*kept, "source"])]
        ]
        mine = mine.drop_duplicates("source")
        mixed = set(entry.get("mixed_kind") or ())
        for column in kept:
            answers = mine[column].dropna().astype(str).str.strip()
            answers = answers[~answers.map(is_no_answer)]
            # no letter, no free text: a Kobo geopoint "-3.29 40.10 12.0 5.0" (trial 32)
            answers = answers[answers.str.contains(r"[^\W\d_]", regex=True)]
            words = answers.str.split().str.len()
            if len(answers) < _FREE_TEXT_ANSWERS or words.median() < _FREE_TEXT_WORDS:
                continue
            # a few answers over and over, no free text: a single- or multiple-choice
            # question's labels ("Budget classification working group"; trial 34)
            distinct = answers.nunique()
            if distinct < len(answers) and distinct <= max(3, len(answers) // 4):
                continue
            # the choices ticked, "Monthly meet-up;WhatsApp group;" as Microsoft Forms
            # writes them (trial 39), "Peer visit, WhatsApp group" as Google Forms (trial 40)
            if is_ticked_choices(answers):
                continue
            entry.setdefault("uncoded_text", {})[column] = int(len(answers))
            if name == "stories" and kinds_asked(column):
                why = (
                    f"column {column!r} asks what helps or hinders: its {len(answers):,} "
                    "free-text answers are kept but not coded as stories; to code them as "
                    "enablers and challenges, put a copy of the file in the study's lists/ "
                    "folder, which reads that column as a list"
                )
            elif name == "items" and _asks_a_prompt(column):
                why = (
                    f"column {column!r} asks a value-creation story prompt: its "
                    f"{len(answers):,} answers are kept but not coded as a list (a copy of "
                    "the file in the study's stories/ folder codes them as stories)"
                )
            elif column in mixed:
                why = (
                    f"column {column!r} asks for enablers and challenges alike, so its "
                    f"{len(answers):,} free-text answers are read as neither: they are kept "
                    "but not coded; to code them, split the answers into an enablers and a "
                    "challenges column, or code them in Python with copanalysis.code(..., "
                    "'enablers_challenges'), which reads each answer's kind from its text"
                )
            else:
                free = _free_fields(name, entry)
                why = (
                    f"column {column!r} holds {len(answers):,} free-text "
                    f"answer{'s' if len(answers) != 1 else ''} that no prompt matched: kept "
                    "but not coded; to code them, in the study folder's mapping.yaml, under "
                    f"'{block}:', write {column!r}: and the field it answers"
                    f"{f' (free: {free})' if free else ''}, or null to leave it out (or pass "
                    "mapping= in Python)"
                )
            entry["notes"] = [*entry.get("notes", []), why]


#: What one frame's questions are called in a sentence, and the study folder they are in.
_QUESTIONS = {
    "stories": ("story question", "stories"),
    "items": ("list question", "lists"),
    "roles": ("role worksheet question", "roles"),
    "grid": ("grid worksheet question", "grid"),
}


def unread_text(frames: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The columns of free text that loading kept but no field read, from each frame's load
    report (:func:`attach_provenance` notes them as ``uncoded_text``): nothing codes or
    counts their answers.

    Parameters
    ----------
    frames : mapping of str to DataFrame
        Loaded frames by name (``Corpus.frames()``).

    Returns
    -------
    list of dict
        One per column and file: ``frame``, ``file``, ``column``, ``answers`` (how many).

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame()
    >>> items.attrs["load_report"] = {"files": [
    ...     {"path": "lists/kobo.csv", "uncoded_text": {"What makes it hard?": 27}}]}
    >>> unread_text({"stories": pd.DataFrame(), "items": items})
    [{'frame': 'items', 'file': 'lists/kobo.csv', 'column': 'What makes it hard?', 'answers': 27}]
    """
    return [
        {"frame": name, "file": str(entry.get("path")), "column": column, "answers": int(n)}
        for name, frame in frames.items()
        for entry in (frame.attrs.get("load_report") or {}).get("files", [])
        for column, n in (entry.get("uncoded_text") or {}).items()
    ]


def unread_said(unread: Sequence[Mapping[str, Any]]) -> str:
    """How many answers :func:`unread_text` found unread, and where, in a few words: each
    frame's one column by name, or its number of questions.

    Examples
    --------
    >>> unread_said([
    ...     {"frame": "stories", "file": "s.xlsx", "column": "What did you do?", "answers": 25},
    ...     {"frame": "stories", "file": "s.xlsx", "column": "What changed?", "answers": 22},
    ...     {"frame": "items", "file": "l.csv", "column": "What makes it hard?", "answers": 27}])
    "47 answers in 2 story questions and 27 in 'What makes it hard?' (lists)"
    >>> unread_said([{"frame": "items", "file": "l.csv", "column": "Hard?", "answers": 1}])
    "1 answer in 'Hard?' (lists)"
    """
    by_frame: dict[str, dict[str, int]] = {}
    for u in unread:
        columns = by_frame.setdefault(str(u["frame"]), {})
        columns[str(u["column"])] = columns.get(str(u["column"]), 0) + int(u["answers"])
    parts: list[str] = []
    for name, columns in by_frame.items():
        question, folder = _QUESTIONS.get(name, ("question", name))
        n = sum(columns.values())
        where = (
            f"{next(iter(columns))!r} ({folder})"
            if len(columns) == 1
            else f"{len(columns)} {question}s"
        )
        noun = "" if parts else " answer" if n == 1 else " answers"  # said once, first
        parts.append(f"{n:,}{noun} in {where}")
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def unread_listed(unread: Sequence[Mapping[str, Any]]) -> str:
    """Every column :func:`unread_text` found unread, with its file and answers.

    Examples
    --------
    >>> unread_listed([
    ...     {"frame": "items", "file": "study/lists/l.csv", "column": "Hard?", "answers": 27},
    ...     {"frame": "stories", "file": "s.xlsx", "column": "What changed?", "answers": 1}])
    "'Hard?' in lists/l.csv (27 answers); 'What changed?' in s.xlsx (1 answer)"
    """
    return "; ".join(
        f"{u['column']!r} in {_short(u['file'])} ({u['answers']:,} "
        f"answer{'s' if u['answers'] != 1 else ''})"
        for u in unread
    )


def _short(path: str) -> str:
    """A file's name with its folder, as a study folder's sub-folder names it."""
    parts = Path(path).parts
    return "/".join(parts[-2:])


def _free_fields(name: str, entry: Mapping[str, Any]) -> str:
    """The fields a file's kept column could still be mapped to: a story file's prompts
    that no column took, a list's kinds."""
    taken = {found["field"] for found in (entry.get("mapping") or {}).values()}
    fields = PROMPT_FIELDS if name == "stories" else ITEM_KINDS if name == "items" else ()
    return ", ".join(f for f in fields if f not in taken)


def _asks_a_prompt(column: str) -> bool:
    """Whether a list file's column is one of the worksheet's story prompts."""
    found = match_columns([column], STORY_WORDING).fields.get(column)
    return found is not None and found[0] in PROMPT_FIELDS


def format_load_report(report: dict[str, Any], *, every_row: bool = False) -> str:
    """The load report as text for a terminal: one block per file.

    A note or a line of skipped rows names the first few places
    (:data:`~copanalysis.io.places.SHOWN`) and counts the rest; with ``every_row``, each
    names all of its places, and what a note counts (the file's ``listed``) follows it, one
    place a line (``copanalysis check --all``).

    Examples
    --------
    >>> print(format_load_report({"frame": "stories", "n_rows": 2, "n_skipped": 1, "files": [
    ...     {"path": "data/s.csv", "format": "csv", "encoding": "utf-8", "delimiter": ";",
    ...      "sheet": None, "mapping": {"Q1": {"field": "activities", "score": 90.0}},
    ...      "kept": ["Notes"], "metadata": ["Email"],
    ...      "dates": {"When": {"order": "day-first", "why": "row 4: '31/01/2025'"}},
    ...      "skipped": [{"row": 3, "reason": "no answer to any prompt"}],
    ...      "bad_dates": [{"row": 2, "value": "soon"}], "n_rows": 2}]}))
    stories: 2 rows from 1 file, 1 row skipped
      data/s.csv (csv, utf-8, delimiter ';'): 2 rows
        Q1 -> activities (90)
        kept as is: Notes
        survey metadata, kept as is: Email
        dates in 'When': day-first (row 4: '31/01/2025')
        skipped row 3: no answer to any prompt
        unparseable date at row 2: 'soon' (left empty)
    """
    files = report.get("files", [])
    skipped = report.get("n_skipped", 0)
    rows = report.get("n_rows", 0)
    paths = len({str(entry.get("path")) for entry in files})  # a workbook's sheets: one file
    lines = [
        f"{report.get('frame', 'frame')}: {rows} row{'s' if rows != 1 else ''} from {paths} "
        f"file{'s' if paths != 1 else ''}"
        + (f", {skipped} row{'s' if skipped != 1 else ''} skipped" if skipped else "")
    ]
    for entry in files:
        how = [entry.get("format") or "?"]
        if entry.get("encoding"):
            how.append(entry["encoding"])
        if entry.get("delimiter"):
            how.append(f"delimiter {entry['delimiter']!r}")
        if entry.get("sheet"):
            how.append(f"sheet {entry['sheet']!r}")
        if entry.get("layout") in _LAYOUTS:
            rows = entry.get("header_rows") or []
            how.append(f"{_LAYOUTS[entry['layout']]}, header rows {', '.join(map(str, rows))}")
        n = entry.get("n_rows", 0)
        lines.append(f"  {entry.get('path')} ({', '.join(how)}): {n} row{'s' if n != 1 else ''}")
        if entry.get("ids"):
            ids = entry["ids"]
            lines.append(
                f"    id: {ids['first']!r}"
                if ids["n"] == 1
                else f"    ids: {ids['first']!r} ... {ids['last']!r} (as doc_id in gold/)"
            )
        for column, found in (entry.get("mapping") or {}).items():
            lines.append(f"    {column} -> {found['field']} ({found['score']:.0f})")
        for column, split in (entry.get("choices") or {}).items():
            lines.append(
                f"    {', '.join(split['columns'])} -> {split['field']} (the choices ticked in "
                f"{column!r}, joined by '; ')"
                if split["field"] != column
                else f"    {', '.join(split['columns'])} -> {column!r}, the choices ticked "
                "joined by '; '"
            )
        if entry.get("coders"):
            said = ", ".join(
                f"{coder} ({n['codes']} codes in {n['documents']} documents)"
                for coder, n in entry["coders"].items()
            )
            if len(entry["coders"]) > 1:
                said += f"; {entry.get('documents_in_common', 0)} documents coded by all"
            lines.append(f"    coders: {said}")
        if entry.get("kept"):
            lines.append(f"    kept as is: {', '.join(entry['kept'])}")
        if entry.get("metadata"):
            lines.append(f"    survey metadata, kept as is: {', '.join(entry['metadata'])}")
        if entry.get("mapped_to_none"):
            said = ", ".join(entry["mapped_to_none"])
            lines.append(f"    mapped to null, kept as is and not coded: {said}")
        for column, reading in (entry.get("dates") or {}).items():
            lines.append(f"    dates in {column!r}: {reading['order']} ({reading['why']})")
        lines += [
            f"    {said}" for said in left_out(entry, max_listed=None if every_row else SHOWN)
        ]
        if every_row:
            for what, places in (entry.get("listed") or {}).items():
                lines.append(f"    every one of the {len(places):,} {what}:")
                lines += [f"      {place}" for place in places]
    lines += [f"  ! {path}: {said}" for path, said in not_read(report)]
    return "\n".join(lines)


def left_out(entry: Mapping[str, Any], *, max_listed: int | None = None) -> list[str]:
    """What loading one file skipped, left empty, noted or dropped, as lines to read.

    The notes come first (they say what to check: answers in another language, merged
    communities, placeholders), then the skipped rows, one line per reason, listing where
    (up to ``max_listed`` places, then how many more).

    Examples
    --------
    >>> left_out({"skipped": [{"row": 3, "reason": "no answer to any prompt"}],
    ...           "notes": ["1 answer read as no answer"]})
    ['note: 1 answer read as no answer', 'skipped row 3: no answer to any prompt']
    >>> left_out({"skipped": [{"row": r, "reason": "no answer to any prompt"}
    ...                       for r in (3, 9, 12)]}, max_listed=2)
    ['skipped 3 rows: no answer to any prompt (row 3, row 9, and 1 more, all listed by \
copanalysis check --all)']
    """
    said = [f"note: {note}" for note in entry.get("notes", [])]
    by_reason: dict[str, list[str]] = {}
    for skip in entry.get("skipped", []):
        by_reason.setdefault(str(skip["reason"]), []).append(_where(skip))
    for reason, places in by_reason.items():
        if len(places) == 1:
            said.append(f"skipped {places[0]}: {reason}")
            continue
        unit = places[0].split(" ", 1)[0] if " " in places[0] else "place"
        shown = first_places(places, sep=", ", shown=max_listed)
        said.append(f"skipped {len(places):,} {unit}s: {reason} ({shown})")
    said += [
        f"unparseable date at {_where(b)}: {b['value']!r} (left empty)"
        for b in entry.get("bad_dates", [])
    ]
    said += [
        f"dropped {_where(d)} ({d['reason']}): {d['text']!r}" for d in entry.get("dropped", [])
    ]
    said += [
        f"sheet {s['sheet']!r} not read: {s['reason']}" for s in entry.get("sheets_not_read", [])
    ]
    return said + _hidden(entry.get("hidden") or {}, max_listed)


def _hidden(hidden: Mapping[str, Any], max_listed: int | None) -> list[str]:
    """What was hidden in Excel and read all the same, as lines to read.

    Examples
    --------
    >>> for line in _hidden({"columns": ["C ('Email')"], "rows": [6, 9, 12]}, max_listed=2):
    ...     print(line)
    hidden in Excel but read like the others: column C ('Email'); delete it from the file, \
or name the columns to read with mapping=, to leave it out
    hidden in Excel but read like the others: 3 rows (6, 9, and 1 more, all listed by \
copanalysis check --all); delete them from the file to leave them out
    """
    said = []
    if hidden.get("sheet"):
        said.append("the sheet is hidden in Excel, and read like the others")
    if columns := hidden.get("columns"):
        which = f"column {columns[0]}" if len(columns) == 1 else f"columns {', '.join(columns)}"
        it = "it" if len(columns) == 1 else "them"
        said.append(
            f"hidden in Excel but read like the others: {which}; delete {it} from the file, "
            f"or name the columns to read with mapping=, to leave {it} out"
        )
    if rows := hidden.get("rows"):
        shown = first_places(list(map(str, rows)), sep=", ", shown=max_listed)
        which = f"row {rows[0]}" if len(rows) == 1 else f"{len(rows):,} rows ({shown})"
        it = "it" if len(rows) == 1 else "them"
        said.append(
            f"hidden in Excel but read like the others: {which}; delete {it} from the file to "
            f"leave {it} out"
        )
    return said


def assumed_dates(entry: Mapping[str, Any]) -> list[str]:
    """The date columns of one file whose day/month order nothing settled, or that mix
    both orders, as lines to read.

    Examples
    --------
    >>> assumed_dates({"dates": {"date": {"order": "assumed month-first", "why": "no day "
    ...     "above 12"}, "When": {"order": "day-first", "why": "row 4: '31/01/2025'"}}})
    ["dates in 'date' read month-first, assumed (no day above 12): if the day comes first, \
load again with --dayfirst (dayfirst=True in Python)"]
    """
    said = []
    for column, reading in (entry.get("dates") or {}).items():
        if reading.get("order") == "assumed month-first":
            said.append(
                f"dates in {column!r} read month-first, assumed ({reading.get('why')}): if the "
                "day comes first, load again with --dayfirst (dayfirst=True in Python)"
            )
        elif reading.get("order") == "mixed":
            said.append(
                f"dates in {column!r} mix day-first and month-first ({reading.get('why')}): "
                "the ambiguous ones may be wrong; write the column in one order, or as "
                "2025-01-31"
            )
    return said


def not_read(report: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The files of a folder that loading did not read, each with why.

    Examples
    --------
    >>> not_read({"reads": [".csv"], "not_read": ["s/scan.docx"],
    ...           "unreadable": [{"path": "s/a.csv", "error": "s/a.csv: empty file"}]})
    ... # doctest: +NORMALIZE_WHITESPACE
    [('s/scan.docx', 'not read (a type this folder does not read: .csv)'),
     ('s/a.csv', 'could not be read, left out: empty file')]
    """
    reads = ", ".join(report.get("reads", []))
    said = [
        (path, f"not read (a type this folder does not read: {reads}){how_to_read(path)}")
        for path in report.get("not_read", [])
    ]
    said += [
        (u["path"], f"could not be read, left out: {u['error'].removeprefix(u['path'] + ': ')}")
        for u in report.get("unreadable", [])
    ]
    return said


_LAYOUTS = {"qualtrics": "Qualtrics", "surveymonkey": "SurveyMonkey"}


def _where(item: Mapping[str, Any]) -> str:
    """Where in its file a load-report item is: "row 3", "line 12", "paragraph 4"."""
    for unit in ("row", "line", "paragraph"):
        if unit in item:
            return f"{unit} {item[unit]}"
    if "where" in item:
        return str(item["where"])
    return "?"
