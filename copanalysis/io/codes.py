"""Loading a table of codes (human gold codes, or codes exported elsewhere)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from copanalysis.errors import SchemaError
from copanalysis.io.parquet import load_frame
from copanalysis.io.provenance import attach_provenance, list_files
from copanalysis.io.tables import TABLE_SUFFIXES, read_tables
from copanalysis.io.transcripts import as_loaded
from copanalysis.schema import FRAMES, validate

__all__ = [
    "CODE_SUFFIXES",
    "find_quote",
    "load_codes",
    "match_codes",
    "normalise",
    "recode",
]

CODE_SUFFIXES: tuple[str, ...] = (*TABLE_SUFFIXES, ".parquet")


def load_codes(
    path: str | Path, *, stories: pd.DataFrame | Sequence[pd.DataFrame] | None = None
) -> pd.DataFrame:
    """Load a ``codes`` table from CSV/TSV, XLSX, JSON or Parquet (or a folder of them).

    The file holds the columns of the ``codes`` frame (:mod:`copanalysis.schema`):
    ``doc_id``, ``field``, ``start``, ``end``, ``quote``, ``codebook``, ``code``,
    ``polarity``, ``coder``, ``confidence``, ``evidence``; empty cells are missing. Offsets
    are code-point positions in the loaded field text.

    Offsets may be left out (the columns, or both cells of a row) when ``stories`` are
    given: each such code is placed where its ``quote`` stands in the field's text
    (:func:`find_quote`), and a code with no ``field`` in the one field of its story that
    holds the quote. The load report's notes say how many were placed, and which fields
    were found so.

    Parameters
    ----------
    path : path-like
        The file, or a folder of them.
    stories : DataFrame or sequence of DataFrame, optional
        The texts the codes quote (the ``stories`` frame, or several frames as for
        :func:`match_codes`), to place codes that give no offsets.

    Returns
    -------
    pandas.DataFrame
        The validated ``codes`` frame, with ``attrs["load_report"]`` and ``attrs["sources"]``.

    Raises
    ------
    SchemaError
        When a column is missing or a value does not fit (the message names the file and
        the row as a spreadsheet shows it); when a code without offsets has no quote, or
        its quote stands nowhere in the text (the nearest passage is named), several
        times, or in several fields when no field is named.
    UnsupportedFormatError, EmptyFileError, FileFormatError
        As for the other loaders.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "gold.csv")
    ...     _ = path.write_text(
    ...         "doc_id,field,start,end,quote,codebook,code,polarity,coder,confidence,evidence\\n"
    ...         "s-001,insights,0,9,A checkli,value-cycles,potential,1,Ana,1.0,\\n",
    ...         encoding="utf-8",
    ...     )
    ...     codes = load_codes(path)
    >>> codes[["doc_id", "start", "end", "code", "polarity"]]
      doc_id  start  end       code  polarity
    0  s-001      0    9  potential         1

    Without offsets, the stories place each quote:

    >>> stories = pd.DataFrame({"story_id": ["s-001"], "insights": ["We met. I learned."]})
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "gold.csv")
    ...     _ = path.write_text(
    ...         "doc_id,quote,code,coder\\ns-001,i  learned,potential,Ana\\n", encoding="utf-8"
    ...     )
    ...     codes = load_codes(path, stories=stories)
    >>> codes[["field", "start", "end", "quote"]].values.tolist()
    [['insights', 8, 17, 'I learned']]
    """
    # the texts are read only if a code lacks its offsets (most files give them)
    texts = None if stories is None else functools.cache(lambda: _texts(stories))
    asked = {} if stories is None else _questions(stories)
    kept = None if stories is None else functools.cache(lambda: _kept_texts(stories))
    files = list_files(path, CODE_SUFFIXES)
    parts: list[pd.DataFrame] = []
    entries: list[dict[str, Any]] = []
    for file in files:
        if file.suffix.lower() == ".parquet":
            frame = load_frame(file)
            frame.attrs.clear()
            frame.index = pd.Index(range(1, len(frame) + 1))
            checked, notes = _checked(frame, file.name, texts, asked, kept)
            parts.append(checked)
            entries.append(
                {"path": str(file), "format": "parquet", "n_rows": len(frame), **_who(checked)}
            )
            if notes:
                entries[-1]["notes"] = notes
            continue
        for table in read_tables(file):
            part = pd.DataFrame(
                [[cell.strip() or None for cell in cells] for _, cells in table.rows],
                columns=table.columns,
                index=pd.Index([n for n, _ in table.rows]),
                dtype=object,
            )
            part, named = _as_codes_columns(part)
            checked, notes = _checked(_numbers(part, table.where), table.where, texts, asked, kept)
            parts.append(checked)
            entries.append({**table.report(), "n_rows": len(part), **_who(checked)})
            if named or notes:
                entries[-1]["notes"] = [*entries[-1].get("notes", []), *named, *notes]
    codes = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    codes = validate(codes.reset_index(drop=True), "codes")
    codes = attach_provenance(codes, name="codes", files=files, entries=entries)
    codes.attrs["file_rows"] = _row_runs(parts, entries)
    return codes


def _who(codes: pd.DataFrame) -> dict[str, Any]:
    """The load report's summary of human codes: each coder's documents and codes, and the
    documents every coder coded (where agreement can be measured)."""
    by = codes.groupby(codes["coder"].astype(str))["doc_id"]
    docs = {coder: set(ids.astype(str)) for coder, ids in by}
    shared = set.intersection(*docs.values()) if len(docs) > 1 else set()
    return {
        "coders": {c: {"documents": len(d), "codes": int(n)} for (c, d), n in
                   zip(docs.items(), by.size(), strict=True)},
        "documents_in_common": len(shared),
    }  # fmt: skip


def _checked(
    frame: pd.DataFrame,
    label: str,
    texts: Callable[[], _Texts] | None = None,
    asked: Mapping[str, str] | None = None,
    kept: Callable[[], _Kept] | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """Validate one file's rows (indexed by spreadsheet row) and name the file on error;
    codes without offsets are first placed by their quotes in ``texts()`` (:func:`_placed`),
    whose notes for the load report come back with the rows.

    A column that is not one of the ``codes`` frame's but is spelt like one the file lacks
    ("polarty" without "polarity") is an error: left alone, the missing column would be
    filled with its default (every polarity 0) without a word.
    """
    from rapidfuzz import fuzz, process

    known = list(FRAMES["codes"].columns)
    lacking = [c for c in known if c not in frame.columns]
    for column in map(str, frame.columns):
        if column in known or not lacking:
            continue
        near = process.extractOne(
            column.strip().lower(), lacking, scorer=fuzz.ratio, score_cutoff=80
        )
        if near is not None:
            raise SchemaError(
                f"column {column!r} looks like {near[0]!r}, which the file lacks: rename it "
                f"(the columns of a codes table are {', '.join(known)})",
                path=label,
            )
    frame, notes = _placed(frame, texts, label, asked, kept)
    try:
        return validate(frame, "codes"), notes
    except SchemaError as exc:
        raise SchemaError(f"{exc} (row numbers as in the file)", path=label) from exc


#: The columns of a QDA tool's export of coded segments (MAXQDA's "Export coded segments":
#: Document name, Code, Segment, Created by), read as the codes table's.
_EXPORT_COLUMNS = {
    "document name": "doc_id",
    "document": "doc_id",
    "segment": "quote",
    "coded segment": "quote",
    "created by": "coder",
    "coded by": "coder",
}


def _as_codes_columns(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """``frame`` with its columns named as the codes table's where they are written in
    another case ("Code", "Doc_ID") or as a QDA tool's export names them
    (:data:`_EXPORT_COLUMNS`), and the load report's note saying so. MAXQDA's ``Begin``
    and ``End`` are paragraph numbers, not character offsets: they are left out, and the
    codes are placed by their quotes (trial 34: ``check`` advised renaming ``End`` to
    ``end``, and a column ``Code`` was not ``code``).

    Examples
    --------
    >>> frame = pd.DataFrame(columns=["Document name", "Code", "Begin", "End", "Segment"])
    >>> named, notes = _as_codes_columns(frame)
    >>> list(named.columns)
    ['doc_id', 'code', 'quote']
    >>> print(notes[0])
    columns read as the codes table's: 'Document name' as doc_id, 'Code' as code, 'Segment' as quote
    >>> print(notes[1])
    'Begin' and 'End' left out: paragraph numbers, as MAXQDA exports them, not character offsets; each code is placed by its quote
    """  # noqa: E501
    known = list(FRAMES["codes"].columns)
    columns = [str(c) for c in frame.columns]
    lower = {c.strip().casefold(): c for c in columns}
    notes: list[str] = []
    if "begin" in lower and "start" not in columns:
        dropped = [lower["begin"], *([lower["end"]] if "end" in lower else [])]
        frame = frame.drop(columns=dropped)
        columns = [c for c in columns if c not in dropped]
        notes.append(
            f"{' and '.join(map(repr, dropped))} left out: paragraph numbers, as MAXQDA "
            "exports them, not character offsets; each code is placed by its quote"
        )
    renames: dict[str, str] = {}
    for column in columns:
        if column in known:
            continue
        key = " ".join(column.strip().casefold().replace("_", " ").split())
        target = next((k for k in known if k.replace("_", " ") == key), None)
        target = target or _EXPORT_COLUMNS.get(key)
        if target and target not in columns and target not in renames.values():
            renames[column] = target
    if renames:
        said = ", ".join(f"{old!r} as {new}" for old, new in renames.items())
        notes.insert(0, f"columns read as the codes table's: {said}")
    return frame.rename(columns=renames), notes


def _numbers(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    """Read the offset, polarity and confidence cells as numbers, naming any bad cell."""
    out = frame.copy()
    for column in ("start", "end", "polarity", "confidence"):
        if column not in out.columns:
            continue
        numbers = pd.to_numeric(out[column], errors="coerce")
        bad = out[column].notna() & numbers.isna()
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            raise SchemaError(
                f"{out[column].iloc[row]!r} is not a number",
                path=label,
                row=int(out.index[row]),
                column=column,
            )
        out[column] = numbers
    return out


#: Problems :func:`match_codes` lists before it stops listing.
_SHOWN = 8


_QUOTE_MARKS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
    }
)


#: An ellipsis that stands for words left out of a quotation.
_ELLIPSIS = re.compile(r"[\[(]\s*(?:\u2026|(?:\.\s*){3})\s*[\])]|\u2026|\.\s*\.\s*\.")
#: What may stand around a quotation: spaces and quotation marks.
_AROUND = " \t\n\"'\u201c\u201d\u2018\u2019\u00ab\u00bb"


def normalise(text: str) -> tuple[str, list[int]]:
    """``text`` with runs of whitespace as one space, curly quotation marks as straight
    ones and the ends trimmed, and for each character kept its position in ``text``.

    Examples
    --------
    >>> normalise("  We \u201creally\u201d\\n met ")
    ('We "really" met', [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 16, 17])
    """
    out: list[str] = []
    index: list[int] = []
    for i, char in enumerate(text.translate(_QUOTE_MARKS)):
        if char.isspace():
            if out and out[-1] != " ":
                out.append(" ")
                index.append(i)
            continue
        out.append(char)
        index.append(i)
    if out and out[-1] == " ":
        out.pop()
        index.pop()
    return "".join(out), index


def find_quote(quote: str, text: str) -> list[tuple[int, int]]:
    """Every place ``quote`` stands in ``text``, as ``(start, end)`` offsets.

    The quote as given (its outer whitespace trimmed) first; only where it stands nowhere,
    the quote and the text compared without regard to case, runs of whitespace or curly
    quotation marks (:func:`normalise`). Places that neither start nor end inside a word
    are preferred ("the" is not found in "then" when it stands alone too). Occurrences
    may overlap.

    Examples
    --------
    >>> find_quote("We met", "We met. We met again.")
    [(0, 6), (8, 14)]
    >>> find_quote("the", "Then the end.")
    [(5, 8)]
    >>> text = "I\\u2019m sure.\\nWe  MET."
    >>> find_quote("I'm sure. We met.", text)
    [(0, 18)]
    >>> find_quote("We parted", text)
    []

    Only where the quote stands nowhere even so, it is read as a quotation: the quotation
    marks around it and an ellipsis at either end are dropped, and an ellipsis inside it
    ("...", "\u2026", "[...]") stands for words left out, so its parts are found in order and
    the place runs from the first part's start to the last part's end.

    >>> find_quote("\u201cWe met \u2026 again.\u201d", "We met. Then again.")
    [(0, 19)]
    >>> find_quote('"...we met again"', "We met. We met again.")
    [(8, 20)]

    A quote copied from a transcript with its speaker's label or a time mark, which the
    transcript reader leaves out of the story (:func:`~copanalysis.io.transcripts.as_loaded`),
    is found without them (trial 34).

    >>> find_quote("Bakyt: We met again. #00:03:10-2#", "We met. We met again.")
    [(8, 21)]
    """
    said = quote.strip()
    if not said:
        return []
    found = _places(said, text) or _places_of_parts(said, text)
    if not found and (loaded := as_loaded(said).strip()) and loaded != said:
        found = _places(loaded, text) or _places_of_parts(loaded, text)
    return found


def _places(said: str, text: str) -> list[tuple[int, int]]:
    """:func:`find_quote` for a quote read as it is."""
    spans = [(at, at + len(said)) for at in _every(said, text)]
    if not spans:
        folded, index = _folded(text)
        loose, _ = _folded(said)
        spans = [(index[at], index[at + len(loose) - 1] + 1) for at in _every(loose, folded)]
    whole = [
        (start, end)
        for start, end in spans
        if not (start > 0 and text[start - 1].isalnum() and text[start].isalnum())
        and not (end < len(text) and text[end - 1].isalnum() and text[end].isalnum())
    ]
    return whole or spans


def _places_of_parts(said: str, text: str) -> list[tuple[int, int]]:
    """:func:`find_quote` for a quote read as a quotation: outer quotation marks and
    ellipses dropped, and the parts between inner ellipses found in order."""
    parts = [p.strip(_AROUND) for p in _ELLIPSIS.split(said.strip(_AROUND))]
    parts = [p for p in parts if p]
    if not parts or parts == [said]:
        return []
    found: list[tuple[int, int]] = []
    for start, end in _places(parts[0], text):
        for part in parts[1:]:
            after = [(s, e) for s, e in _places(part, text[end:])]
            if not after:
                break
            end += after[0][1]
        else:
            found.append((start, end))
    return found


def _every(part: str, whole: str) -> list[int]:
    """Where ``part`` starts in ``whole``, every time."""
    found: list[int] = []
    at = whole.find(part)
    while at >= 0:
        found.append(at)
        at = whole.find(part, at + 1)
    return found


def _folded(text: str) -> tuple[str, list[int]]:
    """:func:`normalise`'s text in lower case (a letter whose lower case is longer, as
    "İ", kept as it is, so the positions still hold)."""
    norm, index = normalise(text)
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in norm), index


def _nearest(quote: str, text: str) -> tuple[float, str] | None:
    """The passage of ``text`` most like ``quote`` (rapidfuzz's ``partial_ratio``, 60 or
    more, compared as :func:`find_quote` compares loosely), widened to whole words, with
    its score; None when nothing is that close."""
    from rapidfuzz import fuzz

    folded, index = _folded(text)
    loose, _ = _folded(quote)
    if not loose or not folded:
        return None
    aligned = fuzz.partial_ratio_alignment(loose, folded, score_cutoff=60)
    if aligned is None or aligned.dest_end <= aligned.dest_start:
        return None
    start, end = index[aligned.dest_start], index[aligned.dest_end - 1] + 1
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return aligned.score, text[start:end]


def misquoted(quote: object, text: str, start: int, end: int) -> str | None:
    """What is wrong when a code's ``quote`` is not the text at its offsets, else None.

    Spaces and line breaks are compared loosely (a quote copied with its line ends joined
    still fits); an empty or missing quote says nothing. When the quote stands once
    elsewhere in the text (:func:`find_quote`), the message says where (offsets taken with
    Windows line ends counted as two characters are a few characters late).

    Examples
    --------
    >>> misquoted("We met", "Hi. We met.", 4, 10) is None
    True
    >>> misquoted("We met", "Hi.\\nWe met.", 5, 11)
    "its quote 'We met' is not the text at 5-11 ('e met.'); it stands at 4-10"
    """
    if quote is None or pd.isna(quote) or not str(quote).strip():  # type: ignore[call-overload]
        return None
    said, there = " ".join(str(quote).split()), text[start:end]
    if said == " ".join(there.split()):
        return None
    spans = find_quote(str(quote), text)
    found = f"; it stands at {spans[0][0]}-{spans[0][1]}" if len(spans) == 1 else ""
    return f"its quote {said[:40]!r} is not the text at {start}-{end} ({there[:40]!r}){found}"


#: Texts by (document, field).
_Texts = dict[tuple[str, str], str]


def _texts(stories: pd.DataFrame | Sequence[pd.DataFrame]) -> _Texts:
    """Each text of ``stories`` (one frame or several) by document and field."""
    from copanalysis.frames import text_units

    frames = [stories] if isinstance(stories, pd.DataFrame) else list(stories)
    units = [text_units(f) for f in frames if len(f)]
    if not units:
        return {}
    every = pd.concat(units, ignore_index=True)
    return {
        (str(d), str(f)): str(t)
        for d, f, t in zip(every["doc_id"], every["field"], every["text"], strict=True)
    }


def _fields(texts: dict[tuple[str, str], str]) -> dict[str, list[str]]:
    """The fields with text of each document."""
    fields: dict[str, list[str]] = {}
    for doc_id, field in texts:
        fields.setdefault(doc_id, []).append(field)
    return fields


def _field_named(
    field: str, fields: list[str], asked: Mapping[str, str] | None = None
) -> str | None:
    """The field of ``fields`` that ``field`` names: its name, spelt another way or not
    ("organisation" for "organization"), or the question it was asked by in the survey
    (``asked``, :func:`_questions`), as it stands there or nearly; None when none is that
    close.

    Examples
    --------
    >>> asked = {"what did you get out of it?": "insights"}
    >>> _field_named("2. What did you get out of it? *", ["insights", "practice"], asked)
    'insights'
    >>> _field_named("organisation", ["organization"]), _field_named("notes", ["insights"])
    ('organization', None)
    """
    from rapidfuzz import fuzz, process

    if field in fields:
        return field
    if asked and asked.get(_as_asked(field)) in fields:
        return asked[_as_asked(field)]
    near = process.extractOne(field, fields, scorer=fuzz.ratio, score_cutoff=85)
    if near is not None:
        return str(near[0])
    if asked:
        said = process.extractOne(_as_asked(field), list(asked), scorer=fuzz.ratio,
                                  score_cutoff=90)  # fmt: skip
        if said is not None and asked[said[0]] in fields:
            return asked[said[0]]
    return None


def _questions(stories: pd.DataFrame | Sequence[pd.DataFrame]) -> dict[str, str]:
    """The field each column of the stories' files was read as (their load reports'
    mappings), by the column's heading as :func:`_as_asked` writes it: a hand coder may
    name a field by the question the survey asked."""
    frames = [stories] if isinstance(stories, pd.DataFrame) else list(stories)
    asked: dict[str, str] = {}
    for frame in frames:
        for entry in frame.attrs.get("load_report", {}).get("files", []):
            for column, matched in (entry.get("mapping") or {}).items():
                if isinstance(matched, dict) and matched.get("field"):
                    asked.setdefault(_as_asked(str(column)), str(matched["field"]))
    return asked


def _as_asked(heading: str) -> str:
    """A question as headings write it in many ways: in lower case, spaces collapsed, with
    no numbering before it and no required-mark or colon after it."""
    said = " ".join(heading.lower().split())
    return re.sub(r"^(?:q?\d+[.):]?\s+)", "", said).rstrip(" *:")


def _placed(
    frame: pd.DataFrame,
    texts: Callable[[], _Texts] | None,
    label: str,
    asked: Mapping[str, str] | None = None,
    kept: Callable[[], _Kept] | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """``frame`` with each code that gives neither ``start`` nor ``end`` placed where its
    ``quote`` stands (:func:`find_quote`) in its field's text, or, with no ``field``, in
    the one field of its story that holds it; and the load report's notes on what was
    found so. A quote found loosely is replaced by the text it stands for. A quote that
    stands only in a column the loader kept but read as no field (``kept()``,
    :func:`_kept_texts`) is an error that names the column.

    Examples
    --------
    >>> texts = {("s1", "insights"): "We met. We met.", ("s1", "practice"): "I use it."}
    >>> codes = pd.DataFrame({"doc_id": ["s1"], "quote": ["i use it"]}, index=[2])
    >>> placed, notes = _placed(codes, lambda: texts, "gold.csv")
    >>> placed[["field", "start", "end", "quote"]].values.tolist()
    [['practice', 0, 8, 'I use it']]
    >>> notes
    ['start and end of 1 code found from the quote (1 found only with case, spacing, quotation marks, ellipses, speaker labels or time marks ignored, the quote now the text as it stands: row 2)', "the field of 1 code found from the quote, the one field of the story that holds it: row 2 'practice'"]
    >>> _placed(codes.assign(quote="We met"), lambda: texts, "gold.csv")
    Traceback (most recent call last):
    ...
    copanalysis.errors.SchemaError: gold.csv: 1 of 1 codes without start and end could not be placed by their quote: row 2 ('s1'): its quote 'We met' stands 2 times in 'insights' (at 0-6, 8-14): quote more of the passage to tell them apart, or give start and end
    """  # noqa: E501
    columns = set(frame.columns)
    if "start" in columns and "end" in columns:
        lacking = frame["start"].isna() & frame["end"].isna()
    else:  # neither, or one column only (validate names the other)
        lacking = pd.Series("start" not in columns and "end" not in columns, index=frame.index)
    if not lacking.any() or "quote" not in columns:
        return frame, []
    if texts is None:
        raise SchemaError(
            f"{_rows(frame.index[lacking.to_numpy()])} give{'s' if lacking.sum() == 1 else ''} "
            "no start and end: they are found "
            "from each code's quote in the text it codes, and no texts were given "
            "(load_codes(..., stories=...); load_corpus and check give the study's own)",
            path=label,
        )
    out = frame.astype(object).copy()
    for column in ("field", "start", "end"):
        if column not in out.columns:
            out[column] = None
    read = texts()
    fields = _fields(read)
    problems: list[tuple[str | None, str, str]] = []
    loose: list[str] = []
    guessed: list[str] = []
    documents: dict[str, str] = {}
    for row in out.index[lacking.to_numpy()]:
        doc_id, field, quote, code = (out.get(c, {}).get(row) for c in _WHERE)
        if str(doc_id) not in fields and (story := _document_story(str(doc_id), fields)):
            documents[str(doc_id)] = out.at[row, "doc_id"] = doc_id = story
        named = " ".join(repr(str(v)) for v in (doc_id, field, code) if _given(v))
        try:
            found, start, end = _quoted(
                quote, doc_id, field, read, fields, asked, kept() if kept else None
            )
        except LookupError as exc:
            what = str(exc)
            if str(doc_id) not in fields and len(problems) < 20:  # the first are shown
                what += _renamed(str(doc_id), fields)
            problems.append((f"row {row}", named, what))
            continue
        text = read[(str(doc_id), found)]
        if text[start:end] != str(quote).strip():
            loose.append(f"row {row}")
        if not _given(field):
            guessed.append(f"row {row} {found!r}")
        out.at[row, "field"], out.at[row, "quote"] = found, text[start:end]
        out.at[row, "start"], out.at[row, "end"] = start, end
    n = int(lacking.sum())
    if problems:
        said = _grouped(problems)
        shown = "; ".join(said[:_SHOWN])
        more = f"; and {len(said) - _SHOWN} more" if len(said) > _SHOWN else ""
        raise SchemaError(
            f"{len(problems)} of {n} codes without start and end could not be placed by "
            f"their quote: {shown}{more}",
            path=label,
        )
    notes = [f"start and end of {_codes(n)} found from the quote"]
    if documents:
        read_as = ", ".join(f"{k!r} as {v!r}" for k, v in list(documents.items())[:_SHOWN])
        notes.append(f"documents named by their file, read as its one story: {read_as}")
    if loose:
        notes[0] += (
            f" ({len(loose)} found only with case, spacing, quotation marks, ellipses, "
            f"speaker labels or time marks ignored, the quote now the text as it stands: "
            f"{_listed(loose)})"
        )
    if guessed:
        notes.append(
            f"the field of {_codes(len(guessed))} found from the quote, the one field of "
            f"the story that holds it: {_listed(guessed)}"
        )
    return out, notes


#: The columns that name a code in :func:`_placed`'s errors, and its quote.
_WHERE = ("doc_id", "field", "quote", "code")


def _quoted(
    quote: object,
    doc_id: object,
    field: object,
    texts: dict[tuple[str, str], str],
    fields: dict[str, list[str]],
    asked: Mapping[str, str] | None = None,
    kept: _Kept | None = None,
) -> tuple[str, int, int]:
    """The field, start and end where ``quote`` stands once in story ``doc_id`` (in
    ``field``, or in the one field that holds it when ``field`` is missing).

    Raises
    ------
    LookupError
        Saying what is wrong: no quote, no such story or field, the quote found nowhere
        (with the nearest passage), or only in a column of ``kept`` (one the loader read as
        no field), several times, or in several fields.
    """
    if not _given(quote):
        raise LookupError("no start and end, and no quote to find them by")
    quote, doc_id = str(quote), str(doc_id)
    own = fields.get(doc_id)
    if own is None:
        raise LookupError(f"no story or list item {doc_id!r}")
    candidates = own
    if _given(field):
        spelt = _field_named(str(field), own, asked)
        if spelt is None:
            _not_read_in(quote, (kept or {}).get(doc_id, {}))
            # trial 44: fields written as the form's question (a Kobo label) where the
            # export's header is the question's name: 77 of 77 codes refused, none saying
            # where its quote stands
            holding = [f for f in own if find_quote(quote, texts[(doc_id, f)])]
            there = (
                f"; its quote stands in {holding[0]!r}: write that field, or leave the "
                "field empty and it is found from the quote"
                if len(holding) == 1
                else ""
            )
            raise LookupError(
                f"story {doc_id!r} has no text in field {field!r} (it has {', '.join(own)}){there}"
            )
        candidates = [spelt]
    spans = {f: find_quote(quote, texts[(doc_id, f)]) for f in candidates}
    holding = [f for f in candidates if spans[f]]
    short = " ".join(quote.split())[:40]
    if len(holding) > 1:
        raise LookupError(
            f"no field given, and its quote {short!r} stands in {', '.join(holding)}: name "
            "the field"
        )
    if holding and len(spans[holding[0]]) > 1:
        at = ", ".join(f"{a}-{b}" for a, b in spans[holding[0]][:4])
        raise LookupError(
            f"its quote {short!r} stands {len(spans[holding[0]])} times in {holding[0]!r} "
            f"(at {at}): quote more of the passage to tell them apart, or give start and end"
        )
    if holding:
        return holding[0], *spans[holding[0]][0]
    _not_read_in(quote, (kept or {}).get(doc_id, {}))
    said = (
        f"in {candidates[0]!r}"
        if len(candidates) == 1
        else f"in any field of {doc_id!r} ({', '.join(candidates)})"
    )
    near = [(n, f) for f in candidates if (n := _nearest(quote, texts[(doc_id, f)]))]
    if near:
        (_, passage), in_field = max(near, key=lambda found: found[0][0])
        there = "" if len(candidates) == 1 else f" (in {in_field!r})"
        said += f"; the nearest passage is {passage[:60]!r}{there}"
    raise LookupError(f"its quote {short!r} is not {said}")


#: The texts of the columns a loader kept but read as no field, by document and column.
_Kept = dict[str, dict[str, str]]


def _kept_texts(stories: pd.DataFrame | Sequence[pd.DataFrame]) -> _Kept:
    """The texts of the columns that the load report of ``stories`` (one frame or several)
    says were kept as they are, or mapped to null, by document and column: a survey
    question no field matched, which a hand coder may well have coded (trial 32).

    Examples
    --------
    >>> stories = pd.DataFrame({"story_id": ["s1"], "insights": ["We met."],
    ...                         "What did you do differently?": ["I use a timer."]})
    >>> stories.attrs["load_report"] = {"files": [
    ...     {"kept": ["What did you do differently?"]}]}
    >>> _kept_texts(stories)
    {'s1': {'What did you do differently?': 'I use a timer.'}}
    """
    from copanalysis.frames import ID_COLUMNS

    kept: _Kept = {}
    for frame in [stories] if isinstance(stories, pd.DataFrame) else list(stories):
        id_column = next((c for c in ID_COLUMNS if c in frame.columns), None)
        entries = frame.attrs.get("load_report", {}).get("files", [])
        columns = [
            c
            for entry in entries
            for c in [*(entry.get("kept") or []), *(entry.get("mapped_to_none") or [])]
            if c in frame.columns and c != id_column
        ]
        for column in dict.fromkeys(columns) if id_column else ():
            for doc_id, text in zip(frame[id_column], frame[column], strict=True):
                if isinstance(text, str) and text.strip():
                    kept.setdefault(str(doc_id), {})[column] = text
    return kept


def _not_read_in(quote: str, kept: Mapping[str, str]) -> None:
    """Raise, when ``quote`` stands in one of a document's ``kept`` columns, a
    :class:`LookupError` that names the column and how to read it.

    Examples
    --------
    >>> _not_read_in("a timer", {"What did you do differently?": "I use a timer."})
    Traceback (most recent call last):
    ...
    LookupError: its quote 'a timer' stands in column 'What did you do differently?', which \
was not read as a field: map that column to the field it answers (in the study folder's \
mapping.yaml, or mapping= in Python), and the code is placed there
    >>> _not_read_in("a timer", {"Location": "-3.29 40.10"})
    """
    for column, text in kept.items():
        if find_quote(quote, text):
            short = " ".join(quote.split())[:40]
            raise LookupError(
                f"its quote {short!r} stands in column {column!r}, which was not read as a "
                "field: map that column to the field it answers (in the study folder's "
                "mapping.yaml, or mapping= in Python), and the code is placed there"
            )


def _codes(n: int) -> str:
    """``n`` codes, said: "1 code", "3 codes"."""
    return f"{n} code{'s' if n != 1 else ''}"


def _listed(said: list[str]) -> str:
    """The first few of ``said``, and how many more."""
    more = f", and {len(said) - _SHOWN} more" if len(said) > _SHOWN else ""
    return ", ".join(said[:_SHOWN]) + more


def _given(value: object) -> bool:
    """Whether a cell holds something (not missing, not blank)."""
    return value is not None and not pd.isna(value) and bool(str(value).strip())  # type: ignore[call-overload]


def _rows(index: pd.Index) -> str:
    """Spreadsheet rows, said shortly: "row 2", "rows 2, 3, 5", "rows 2-40"."""
    rows = [int(r) for r in index]
    if len(rows) == 1:
        return f"row {rows[0]}"
    if rows == list(range(rows[0], rows[-1] + 1)):
        return f"rows {rows[0]}-{rows[-1]}"
    return f"rows {', '.join(map(str, rows[:8]))}" + (", ..." if len(rows) > 8 else "")


def match_codes(
    codes: pd.DataFrame,
    stories: pd.DataFrame | Sequence[pd.DataFrame],
    *,
    codebook: str = "value_cycles",
    path: str | Path | None = None,
) -> pd.DataFrame:
    """Check human codes against the stories they code, before anything counts them.

    Each code must point at a story, a field of it with text, and a span inside that text;
    a code of ``codebook`` (or with no codebook named) must be one of its codes. A field
    spelt another way ("organisation") is read as the story's field of that name, a code
    written as its label or an alias ("Immediate value", "transformative") as the code's
    id, and a row with no codebook is given ``codebook`` when its code is one.

    Parameters
    ----------
    codes : DataFrame
        A ``codes`` frame of human codes (:func:`load_codes`).
    stories : DataFrame or sequence of DataFrame
        The ``stories`` frame they code, or several frames (stories, list items...).
    codebook : str
        The codebook whose codes are checked by name.
    path : path-like, optional
        The codes' file, for the error.

    Returns
    -------
    DataFrame
        ``codes`` with fields, code ids and codebooks filled in. Its ``attrs`` say what
        was read by name: ``read_as`` ((name as written, codebook, code) -> how many) and
        ``unread_codes`` (the names of no built-in codebook, left out -> how many) and
        ``unread_only`` (how many of those code a passage no code read codes).

    Raises
    ------
    SchemaError
        Naming every code that does not fit (the first few, and how many), with what the
        story has instead: an unknown story, a field with no text, a span past the text's
        end, a quote that is not the text at the span (:func:`misquoted`), an unknown code.

    Examples
    --------
    >>> stories = pd.DataFrame({"story_id": ["s1"], "practice": ["I use it."]})
    >>> codes = pd.DataFrame({"doc_id": ["s1"], "field": ["practice"], "start": [0],
    ...     "end": [8], "code": ["Applied value"], "coder": ["Ana"]})
    >>> match_codes(codes, stories)[["code", "codebook"]].values.tolist()
    [['applied', 'value_cycles']]
    """
    from copanalysis.codebooks.codebook import builtin_codebook
    from copanalysis.errors import CodebookError
    from copanalysis.io.codebooks import load_codebook

    book = load_codebook(codebook)
    codes = validate(codes, "codes").copy()
    texts = _texts(stories)
    fields = _fields(texts)
    asked = _questions(stories)
    problems: list[tuple[str | None, str, str]] = []  # (row in the file, which code, what)
    unread: dict[str, int] = {}  # codes with no codebook named that no codebook has
    read_as: dict[tuple[str, str, str], int] = {}  # (name, codebook, code) -> how many
    left_out: list[int] = []  # the rows of those codes
    rows_in_file = _file_rows(codes)
    ids = codes["code"].astype(str).tolist()
    spelled = codes["field"].astype(str).tolist()
    books: list[str | None] = [None if pd.isna(b) else str(b) for b in codes["codebook"]]
    quotes = codes["quote"].tolist() if "quote" in codes.columns else [None] * len(codes)
    rows = zip(
        codes["doc_id"].astype(str),
        codes["field"].astype(str),
        codes["start"].astype(int),
        codes["end"].astype(int),
        strict=True,
    )
    docs = codes["doc_id"].astype(str).tolist()
    for i, (doc_id, field, start, end) in enumerate(rows):
        row, where = rows_in_file[i], f"{doc_id!r} {field!r} {start}-{end} {ids[i]!r}"
        if doc_id not in fields and (story := _document_story(doc_id, fields)):
            doc_id = docs[i] = story  # "INT01_Natalia", the file of story "INT01_Natalia-001"
        if doc_id not in fields:
            # only the first problems are shown: the ids are searched for those alone
            renamed = _renamed(doc_id, fields) if len(problems) < 20 else ""
            problems.append((row, where, f"no story or list item {doc_id!r}{renamed}"))
            continue
        if (doc_id, field) not in texts:  # "organisation" for "organization"
            near = _field_named(field, fields[doc_id], asked)
            if near is not None:
                field = spelled[i] = near
        text = texts.get((doc_id, field))
        if text is None:
            problems.append(
                (row, where, f"story {doc_id!r} has no text in field {field!r} (it has "
                 f"{', '.join(fields[doc_id])})")
            )  # fmt: skip
            continue
        if not 0 <= start <= end <= len(text):
            problems.append((row, where, f"the span is outside the {len(text)} characters there"))
        elif misquote := misquoted(quotes[i], text, start, end):
            problems.append((row, where, misquote))
        if books[i] is None or books[i] == book.name:
            named, unnamed = ids[i], books[i] is None
            try:
                ids[i], books[i] = book.resolve(ids[i]), book.name
            except CodebookError as exc:
                if books[i] is not None:
                    problems.append((row, where, str(exc).split(": ", 1)[-1]))
                elif other := _builtin_of(ids[i], book.name):  # a code of another one
                    ids[i], books[i] = builtin_codebook(other).resolve(ids[i]), other
                else:  # of no built-in codebook: left out, and said (trial 34)
                    unread[ids[i]] = unread.get(ids[i], 0) + 1
                    left_out.append(i)
            if unnamed and books[i] is not None and ids[i] != named:
                key = (named, str(books[i]), ids[i])
                read_as[key] = read_as.get(key, 0) + 1
    codes["code"], codes["codebook"], codes["field"] = ids, books, spelled
    codes["doc_id"] = docs
    codes.attrs["unread_codes"] = unread
    if problems:
        said = _grouped(problems)
        shown = "; ".join(said[:_SHOWN])
        more = f"; and {len(said) - _SHOWN} more" if len(said) > _SHOWN else ""
        raise SchemaError(
            f"{len(problems)} of {len(codes)} human codes do not fit the stories: {shown}{more}",
            path=path,
        )
    spans = codes[["doc_id", "field", "start", "end"]].astype(str).agg(" ".join, axis=1)
    read = set(spans[codes["codebook"].notna()])
    checked = validate(codes, "codes")
    checked.attrs["unread_codes"] = unread
    checked.attrs["read_as"] = read_as
    checked.attrs["unread_only"] = int(sum(spans.iloc[i] not in read for i in left_out))
    return checked


def _document_story(document: str, ids: Iterable[str]) -> str | None:
    """The one story of a document named as a QDA tool names it, by its file's name: a
    file the loader read as one story numbers it ``-001`` (trial 34: MAXQDA's
    "INT01_Moldova_Natalia" was "no story", its story being "INT01_Moldova_Natalia-001").

    Examples
    --------
    >>> ids = ["INT01_Natalia-001", "survey-001", "survey-002"]
    >>> _document_story("INT01_Natalia", ids), _document_story("INT01_Natalia.txt", ids)
    ('INT01_Natalia-001', 'INT01_Natalia-001')
    >>> _document_story("survey", ids) is None  # two stories: which one is not known
    True
    """
    stem = re.sub(r"\.(?:txt|md|docx?|rtf|pdf|odt)$", "", document.strip(), flags=re.I)
    found = [i for i in ids if i.startswith(f"{stem}-") and i[len(stem) + 1 :].isdigit()]
    return found[0] if len(found) == 1 else None


def _renamed(document: str, ids: Iterable[str]) -> str:
    """What to say of an id no story has when stories have it after their file's name: ids
    that two files repeat are read with the file's name before them, and codes written
    for the bare id fit none (trial 43: "no story or list item '5'" for 125 of 125 codes,
    story 5 being "Wound care network survey-5").

    Examples
    --------
    >>> _renamed("5", ["survey-5", "import-5", "survey-6"])
    " (ids two files repeat are read with the file's name before them: 'import-5', 'survey-5')"
    >>> _renamed("7", ["survey-5"])
    ''
    """
    found = sorted(i for i in ids if i.endswith(f"-{document}"))
    if not found:
        return ""
    listed = ", ".join(map(repr, found[:3])) + (" ..." if len(found) > 3 else "")
    return f" (ids two files repeat are read with the file's name before them: {listed})"


def _builtin_of(code: str, besides: str) -> str | None:
    """The built-in codebook other than ``besides`` that has a code called ``code``, if
    one does ("COORD" with no codebook named is an enabler/challenge theme).

    Examples
    --------
    >>> _builtin_of("Time and workload", "value_cycles"), _builtin_of("Mood", "value_cycles")
    ('enablers_challenges', None)
    """
    from copanalysis.codebooks.codebook import builtin_codebook, list_codebooks

    for name in list_codebooks():
        if name != besides and code in builtin_codebook(name):
            return name
    return None


def _row_runs(parts: list[pd.DataFrame], entries: list[dict[str, Any]]) -> list[list[Any]]:
    """Where the codes are in their files, as runs ``[first code, first row, length,
    file]`` (the file's name only among several files): a handful of runs for any number
    of codes, kept in the frame's ``attrs`` by :func:`load_codes` for :func:`match_codes`."""
    runs: list[list[Any]] = []
    at = 0
    for part, entry in zip(parts, entries, strict=True):
        name = Path(str(entry["path"])).name if len(parts) > 1 else ""
        for row in part.index:
            last = runs[-1] if runs else None
            if last and last[3] == name and last[0] + last[2] == at and last[1] + last[2] == row:
                last[2] += 1
            else:
                runs.append([at, int(row), 1, name])
            at += 1
    return runs


def _file_rows(codes: pd.DataFrame) -> list[str | None]:
    """Each code's row in its file ("row 7", "b.csv row 7" among several files), as
    :func:`load_codes` noted it (the index, which a sort or a filter keeps); None where it
    did not."""
    where: dict[int, str] = {}
    for first, row, length, name in codes.attrs.get("file_rows") or ():
        for k in range(length):
            where[first + k] = f"{name} row {row + k}" if name else f"row {row + k}"
    return [where.get(int(i)) if isinstance(i, int | np.integer) else None for i in codes.index]


def _grouped(problems: list[tuple[str | None, str, str]]) -> list[str]:
    """One line per distinct problem, the codes that share it named together: by their
    rows when the file gave them ("rows 5, 9: no code 'aplied' ..."), else one by one.

    Examples
    --------
    >>> _grouped([("row 5", "'s1'", "no code 'x'"), ("row 9", "'s2'", "no code 'x'"),
    ...           ("row 7", "'s3'", "no story 's3'"), (None, "'s4'", "no story 's4'")])
    ["rows 5, 9: no code 'x'", "row 7 ('s3'): no story 's3'", "'s4': no story 's4'"]
    """
    by: dict[str, list[tuple[str | None, str]]] = {}
    for row, where, what in problems:
        by.setdefault(what, []).append((row, where))
    said = []
    for what, codes in by.items():
        rows = [row for row, _ in codes]
        if len(codes) > 1 and all(r is not None and r.startswith("row ") for r in rows):
            said.append(f"rows {', '.join(str(r).removeprefix('row ') for r in rows)}: {what}")
        else:
            named = [f"{row} ({where})" if row else where for row, where in codes]
            said.append(f"{'; '.join(named)}: {what}")
    return said


def recode(
    codes: pd.DataFrame,
    codebook: str = "value_cycles",
    *,
    mapping: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """A project's own codes read as a codebook's, so that they meet the machine's codes.

    A QDA project names its codes as its researcher chose: "Applied value", "Learning",
    "Changed practice". Each code that is one of the codebook's codes, labels or aliases
    becomes that code (in British spelling too: "Realised value"), and so does each code
    ``mapping`` names; those rows take the codebook's name. Other codes stay as they were,
    and are counted.

    Parameters
    ----------
    codes : DataFrame
        A ``codes`` frame (from :func:`~copanalysis.io.read_refi` or :func:`load_codes`).
    codebook : str
        The codebook to read them as.
    mapping : mapping, optional
        ``{"their code": "codebook code"}`` for names of the researcher's own, matched
        without regard to case, spaces or underscores (so "Changed practice" is also
        :func:`read_refi`'s ``changed_practice``); the codebook code may be its label.

    Returns
    -------
    DataFrame
        ``codes`` with the codes read; ``attrs["unmatched"]`` holds, by code, the rows of
        the codes that stayed as they were (a warning names them).

    Raises
    ------
    CodebookError
        When ``mapping`` sends a code to one the codebook does not have.

    Examples
    --------
    >>> codes = pd.DataFrame({"doc_id": ["i1"] * 3, "field": ["story"] * 3, "start": [0] * 3,
    ...     "end": [4] * 3, "code": ["applied_value", "Learning", "Mood"], "coder": ["Ana"] * 3,
    ...     "codebook": ["My interviews"] * 3})
    >>> import warnings
    >>> with warnings.catch_warnings(record=True):
    ...     read = recode(codes, "value_cycles", mapping={"learning": "Potential value"})
    >>> read[["code", "codebook"]].values.tolist()
    [['applied', 'value_cycles'], ['potential', 'value_cycles'], ['Mood', 'My interviews']]
    >>> read.attrs["unmatched"]
    {'Mood': 1}
    """
    import contextlib
    import re
    import warnings

    from copanalysis.errors import CodebookError
    from copanalysis.io.codebooks import load_codebook

    def key(name: str) -> str:  # "Changed practice" and read_refi's "changed_practice"
        return " ".join(re.split(r"[\W_]+", name.casefold())).strip()

    book = load_codebook(codebook)
    own = {key(str(k)): book.resolve(v) for k, v in (mapping or {}).items()}
    out = validate(codes, "codes").copy()
    ids, books = out["code"].astype(str).tolist(), out["codebook"].astype(object).tolist()
    unmatched: dict[str, int] = {}
    for i, name in enumerate(ids):
        found = own.get(key(name))
        for spelt in (name, key(name)):  # resolve reads British spelling ("Realised")
            if found is None:
                with contextlib.suppress(CodebookError):
                    found = book.resolve(spelt)
        if found is None:
            unmatched[name] = unmatched.get(name, 0) + 1
            continue
        ids[i], books[i] = found, book.name
    out["code"], out["codebook"] = ids, books
    out = validate(out, "codes")
    out.attrs["unmatched"] = unmatched
    if unmatched:
        shown = ", ".join(f"{c!r} ({n})" for c, n in list(unmatched.items())[:8])
        more = f", and {len(unmatched) - 8} more" if len(unmatched) > 8 else ""
        warnings.warn(
            f"recode: {sum(unmatched.values())} of {len(out)} codes are not codes of "
            f"{book.name!r} and stay as they were: {shown}{more}; name them in mapping= to "
            "read them as its codes",
            stacklevel=2,
        )
    return out
