"""Loading a table of codes (human gold codes, or codes exported elsewhere)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from copanalysis.errors import SchemaError
from copanalysis.io.parquet import load_frame
from copanalysis.io.provenance import attach_provenance, list_files
from copanalysis.io.tables import TABLE_SUFFIXES, read_tables
from copanalysis.schema import FRAMES, validate

__all__ = ["CODE_SUFFIXES", "load_codes", "match_codes", "recode"]

CODE_SUFFIXES: tuple[str, ...] = (*TABLE_SUFFIXES, ".parquet")


def load_codes(path: str | Path) -> pd.DataFrame:
    """Load a ``codes`` table from CSV/TSV, XLSX, JSON or Parquet (or a folder of them).

    The file holds the columns of the ``codes`` frame (:mod:`copanalysis.schema`):
    ``doc_id``, ``field``, ``start``, ``end``, ``quote``, ``codebook``, ``code``,
    ``polarity``, ``coder``, ``confidence``, ``evidence``; empty cells are missing. Offsets
    are code-point positions in the loaded field text.

    Returns
    -------
    pandas.DataFrame
        The validated ``codes`` frame, with ``attrs["load_report"]`` and ``attrs["sources"]``.

    Raises
    ------
    SchemaError
        When a column is missing or a value does not fit (the message names the file and
        the row as a spreadsheet shows it).
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
    """
    files = list_files(path, CODE_SUFFIXES)
    parts: list[pd.DataFrame] = []
    entries: list[dict[str, Any]] = []
    for file in files:
        if file.suffix.lower() == ".parquet":
            frame = load_frame(file)
            frame.attrs.clear()
            frame.index = pd.Index(range(1, len(frame) + 1))
            parts.append(_checked(frame, file.name))
            entries.append(
                {"path": str(file), "format": "parquet", "n_rows": len(frame), **_who(parts[-1])}
            )
            continue
        for table in read_tables(file):
            part = pd.DataFrame(
                [[cell.strip() or None for cell in cells] for _, cells in table.rows],
                columns=table.columns,
                index=pd.Index([n for n, _ in table.rows]),
                dtype=object,
            )
            parts.append(_checked(_numbers(part, table.where), table.where))
            entries.append({**table.report(), "n_rows": len(part), **_who(parts[-1])})
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


def _checked(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    """Validate one file's rows (indexed by spreadsheet row) and name the file on error.

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
    try:
        return validate(frame, "codes")
    except SchemaError as exc:
        raise SchemaError(f"{exc} (row numbers as in the file)", path=label) from exc


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


def misquoted(quote: object, text: str, start: int, end: int) -> str | None:
    """What is wrong when a code's ``quote`` is not the text at its offsets, else None.

    Spaces and line breaks are compared loosely (a quote copied with its line ends joined
    still fits); an empty or missing quote says nothing. When the quote stands once
    elsewhere in the text, the message says where (offsets taken with Windows line ends
    counted as two characters are a few characters late).

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
    where = text.find(str(quote).strip())
    found = (
        f"; it stands at {where}-{where + len(str(quote).strip())}"
        if where >= 0 and text.count(str(quote).strip()) == 1
        else ""
    )
    return f"its quote {said[:40]!r} is not the text at {start}-{end} ({there[:40]!r}){found}"


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
        ``codes`` with fields, code ids and codebooks filled in.

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
    from rapidfuzz import fuzz, process

    from copanalysis.errors import CodebookError
    from copanalysis.frames import text_units
    from copanalysis.io.codebooks import load_codebook

    book = load_codebook(codebook)
    codes = validate(codes, "codes").copy()
    frames = [stories] if isinstance(stories, pd.DataFrame) else list(stories)
    units = pd.concat([text_units(f) for f in frames if len(f)], ignore_index=True)
    texts = {
        (str(d), str(f)): str(t)
        for d, f, t in zip(units["doc_id"], units["field"], units["text"], strict=True)
    }
    fields: dict[str, list[str]] = {}
    for doc_id, field in texts:
        fields.setdefault(doc_id, []).append(field)
    problems: list[tuple[str | None, str, str]] = []  # (row in the file, which code, what)
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
    for i, (doc_id, field, start, end) in enumerate(rows):
        row, where = rows_in_file[i], f"{doc_id!r} {field!r} {start}-{end} {ids[i]!r}"
        if doc_id not in fields:
            problems.append((row, where, f"no story or list item {doc_id!r}"))
            continue
        if (doc_id, field) not in texts:  # "organisation" for "organization"
            near = process.extractOne(field, fields[doc_id], scorer=fuzz.ratio, score_cutoff=85)
            if near is not None:
                field = spelled[i] = near[0]
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
            try:
                ids[i], books[i] = book.resolve(ids[i]), book.name
            except CodebookError as exc:
                if books[i] is not None:  # a code of another codebook may have none named
                    problems.append((row, where, str(exc).split(": ", 1)[-1]))
    codes["code"], codes["codebook"], codes["field"] = ids, books, spelled
    if problems:
        said = _grouped(problems)
        shown = "; ".join(said[:_SHOWN])
        more = f"; and {len(said) - _SHOWN} more" if len(said) > _SHOWN else ""
        raise SchemaError(
            f"{len(problems)} of {len(codes)} human codes do not fit the stories: {shown}{more}",
            path=path,
        )
    return validate(codes, "codes")


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

    def american(name: str) -> str:  # "Realised value", "Organisational": the -ize spelling
        return re.sub(r"(?<=[a-z]{2})is(e|ed|es|ing|ation|ational)\b", r"iz\1", key(name))

    book = load_codebook(codebook)
    own = {key(str(k)): book.resolve(v) for k, v in (mapping or {}).items()}
    out = validate(codes, "codes").copy()
    ids, books = out["code"].astype(str).tolist(), out["codebook"].astype(object).tolist()
    unmatched: dict[str, int] = {}
    for i, name in enumerate(ids):
        found = own.get(key(name))
        for spelt in (name, key(name), american(name)):
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
