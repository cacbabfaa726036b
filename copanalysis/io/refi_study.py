"""A REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, QualCoder, Taguette) as a study folder.

:func:`import_refi` writes a project's text sources as stories (``stories/NAME.csv``) and
its coded selections as human codes (``gold/NAME.csv``), in the formats those folders read,
so that ``copanalysis check`` and ``run`` take a project a QDA team coded (trial 34).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from copanalysis.errors import CopanalysisError
from copanalysis.frames import MACHINE_CODER
from copanalysis.io.refi import RefiProject, read_refi

__all__ = ["ImportedProject", "import_refi", "plain_newlines"]

#: a line break other than "\n" (Windows' CRLF, old Mac's CR), as a table's reader reads it
_BREAK = re.compile(r"\r\n?")


@dataclass(frozen=True)
class ImportedProject:
    """What :func:`import_refi` wrote.

    Attributes
    ----------
    stories_file : Path
        The stories, one row per text source of the project.
    gold_file : Path or None
        The human codes, one row per coded selection and code (None: nothing was coded).
    stories, codes : int
        How many stories and codes were written.
    onto : dict
        With ``onto=``: each project document written as codes only, by the id of the
        story it is a copy of (``stories_file`` is None when every document was).
    coders : tuple of str
        The project's users who coded, in the order of their first code.
    warnings : tuple of str
        What :func:`read_refi` corrected or left out of the project (non-text sources...),
        and, with ``onto=``, the codes left out for being on an answer that is only a
        placeholder ("see above").
    """

    stories_file: Path | None
    gold_file: Path | None
    stories: int
    codes: int
    coders: tuple[str, ...]
    warnings: tuple[str, ...]
    onto: dict[str, str] = field(default_factory=dict)


def plain_newlines(text: str, offsets: np.ndarray) -> tuple[str, np.ndarray]:
    """``text`` with each line break written "\\n" and without surrounding white space, as a
    CSV cell is read back, and ``offsets`` into it moved to the same characters.

    Examples
    --------
    >>> text, moved = plain_newlines(" a\\r\\nbc\\rd \\n", np.array([1, 4, 5, 7, 9]))
    >>> text, moved.tolist()
    ('a\\nbc\\nd', [0, 2, 3, 5, 6])
    """
    removed = np.zeros(len(text) + 1, dtype=np.int64)  # characters dropped before each offset
    for match in _BREAK.finditer(text):
        removed[match.start() + 2 :] += len(match.group()) - 1
    plain = _BREAK.sub("\n", text)
    lead = len(plain) - len(plain.lstrip())
    kept = plain.strip()
    moved = np.asarray(offsets, dtype=np.int64) - removed[np.asarray(offsets)] - lead
    return kept, np.clip(moved, 0, len(kept))


def _code_names(project: RefiProject) -> dict[str, str]:
    """Each code id -> its name as the project shows it: the names from the top of its
    hierarchy down, joined by a backslash (``Potential value\\Human capital``), which the
    gold loader reads as a built-in codebook's code (``Codebook.resolve``)."""
    book = project.codebook
    return {
        code.code: "\\".join(book[c].label for c in book.lineage(code.code)[::-1])
        for code in book.codes
    }


def _plain_frames(project: RefiProject) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The project's stories and codes with plain line breaks, each code's offsets and
    quote in the texts as the stories' loader will read them."""
    stories = (
        project.stories.drop(columns=["source"], errors="ignore").dropna(axis=1, how="all").copy()
    )
    codes = project.codes.copy()
    texts = [c for c in stories.columns if c in set(codes["field"]) | {"story"}]
    for column in texts:
        for row in stories.index[stories[column].notna()]:
            doc = stories.at[row, "story_id"]
            mine = codes.index[(codes["doc_id"] == doc) & (codes["field"] == column)]
            spans = codes.loc[mine, ["start", "end"]].to_numpy(dtype=np.int64).ravel()
            text, moved = plain_newlines(str(stories.at[row, column]), spans)
            stories.at[row, column] = text
            codes.loc[mine, ["start", "end"]] = moved.reshape(-1, 2)
            codes.loc[mine, "quote"] = [text[s:e] for s, e in moved.reshape(-1, 2)]
    return stories, codes


def _gold(project: RefiProject, codes: pd.DataFrame) -> pd.DataFrame:
    """The human codes: a code of a built-in codebook (a project copanalysis wrote) keeps
    its id and codebook; any other is named as the project names it, with no codebook, so
    the gold loader reads it as a built-in codebook's code when one has that name."""
    from copanalysis.codebooks.codebook import list_codebooks

    builtin = codes["codebook"].isin(list_codebooks())
    names = codes["code"].map(_code_names(project)).fillna(codes["code"])
    return codes.assign(
        code=codes["code"].where(builtin, names),
        codebook=codes["codebook"].where(builtin, pd.NA),
    )


def _without_machine_codes(
    codes: pd.DataFrame, notes: tuple[str, ...]
) -> tuple[tuple[str, ...], pd.DataFrame]:
    """The codes of people only, and the notes with a line on those left out: codes whose
    coder is copanalysis's own (a project ``run`` or ``write_qdpx`` wrote, opened in a QDA
    tool and read back) are no human codes, and measuring the coders against them would be
    circular (trial 44: the semantic coder's 739 codes came back as a second human coder,
    and the report gave "alpha 0.90" between them and the coder that wrote them)."""
    coders = codes["coder"].astype("string").fillna("")
    machine = coders.str.match(MACHINE_CODER.pattern).astype(bool)
    if not machine.any():
        return notes, codes
    who = ", ".join(repr(c) for c in dict.fromkeys(coders[machine]))
    n = int(machine.sum())
    note = (
        f"{n:,} code{'s' if n != 1 else ''} by copanalysis's own coder ({who}) left out of "
        "gold/: they are the machine's codes, written into the project by copanalysis, and "
        "measuring the coders against them would be circular (for a person to check the "
        "machine's codes, copanalysis review-sheet writes them as a sheet to fill in)"
    )
    return (*notes, note), codes[~machine]


def import_refi(
    path: str | os.PathLike[str],
    study_dir: str | os.PathLike[str],
    *,
    force: bool = False,
    progress: bool = True,
    onto: pd.DataFrame | None = None,
) -> ImportedProject:
    """Write a REFI-QDA project as a study folder's stories and human codes.

    The project's text sources become ``STUDY_DIR/stories/NAME.csv`` (``story_id`` the
    source's name, the text, the project's variables as columns) and its coded selections
    ``STUDY_DIR/gold/NAME.csv`` (``doc_id`` the same ids, offsets into the text, the quote,
    the code named as the project names it, the coder), ``NAME`` the project file's name.
    Line breaks are written "\\n", as the stories' loader reads them, and the offsets follow.

    Parameters
    ----------
    path : path-like
        The ``.qdpx`` project (or a bare ``.qde``), as :func:`read_refi` reads it.
    study_dir : path-like
        The study folder; created when missing.
    force : bool
        Overwrite the two files when they exist (by default that is refused).
    progress : bool
        Show a progress bar over the sources.
    onto : DataFrame, optional
        The study's stories, when the project coded copies of them (Word forms in
        ATLAS.ti): a document that holds every line of one story's answers, and each of
        whose coded quotes stands once in that story, is written as codes only, on that
        story (``doc_id`` its id, offsets into its field), not as a second story. A
        document that is no such copy is written as a story, as without ``onto``.

    Returns
    -------
    ImportedProject
        The files written, the counts of stories, codes and coders, and the reader's notes.

    Raises
    ------
    CopanalysisError
        When a file to write exists and ``force`` is False, or the project holds no text
        source (a codebook ``.qdc`` holds none); :class:`RefiError` for a file
        :func:`read_refi` cannot read.

    Examples
    --------
    >>> import tempfile
    >>> from copanalysis.io import load_codebook, write_qdpx
    >>> folder = Path(tempfile.mkdtemp())
    >>> stories = pd.DataFrame({"story_id": ["ana"], "story": ["We met.\\r\\nI use it now."]})
    >>> codes = pd.DataFrame({"doc_id": ["ana"], "field": ["story"], "start": [9],
    ...     "end": [22], "code": ["applied"], "codebook": ["value_cycles"], "coder": ["Bo"]})
    >>> project = write_qdpx(folder / "team.qdpx", codebook=load_codebook("value_cycles"),
    ...     stories=stories, codes=codes, progress=False)
    >>> done = import_refi(project, folder / "study", progress=False)
    >>> done.stories_file.relative_to(folder).as_posix(), done.stories, done.codes, done.coders
    ('study/stories/team.csv', 1, 1, ('Bo',))
    >>> pd.read_csv(done.gold_file)[["doc_id", "start", "end", "quote", "code"]].values.tolist()
    [['ana', 8, 21, 'I use it now.', 'applied']]
    """
    from copanalysis.io.outputs import save_table

    source = Path(path)
    study = Path(study_dir)
    stories_file = study / "stories" / f"{source.stem}.csv"
    gold_file = study / "gold" / f"{source.stem}.csv"
    there = [f for f in (stories_file, gold_file) if f.exists()]
    if there and not force:
        raise CopanalysisError(
            f"{' and '.join(map(str, there))} already exist{'s' if len(there) == 1 else ''} "
            "(an earlier import?); nothing was written. To overwrite, add --force "
            "(force=True in Python)"
        )
    project = read_refi(source, progress=progress)
    if not len(project.stories):
        raise CopanalysisError(
            "the project holds no text source to write as stories (a codebook .qdc holds "
            "none; pictures, PDF, audio and video are left out)",
            path=source,
        )
    stories, codes = _plain_frames(project)
    moved: dict[str, str] = {}
    notes = project.warnings
    if onto is not None:
        moved, placed, void = _codes_onto(stories, codes, onto)
        if void:
            notes = (
                *notes,
                f"{void} code{'s' if void != 1 else ''} on answers that are only a "
                "placeholder ('see above', 'n/a', '-') left out: the stories' loader reads "
                "such an answer as no answer, so the code has no place in its story",
            )
        codes = pd.concat([codes[~codes["doc_id"].isin(moved)], placed], ignore_index=True)
        stories = stories[~stories["story_id"].isin(moved)]
    hollow = _placeholders_only(stories)
    if hollow:  # no story to load, code or count (trial 43: "n/a" four times, 4 codes)
        lost = int(codes["doc_id"].astype(str).isin(hollow).sum())
        named = ", ".join(map(repr, hollow[:5])) + (" ..." if len(hollow) > 5 else "")
        notes = (
            *notes,
            f"{len(hollow)} document{'s' if len(hollow) != 1 else ''} holding only "
            f"placeholders ('n/a', 'see above', '-') not written as stories ({named})"
            + (f"; {lost} code{'s' if lost != 1 else ''} on them left out" if lost else ""),
        )
        stories = stories[~stories["story_id"].astype(str).isin(hollow)]
        codes = codes[~codes["doc_id"].astype(str).isin(hollow)]
    notes, codes = _without_machine_codes(codes, notes)
    if len(stories):
        save_table(stories.reset_index(drop=True), stories_file)
    elif stories_file.exists():  # --force: every document is a copy of a story now
        stories_file.unlink()
    if len(codes):
        save_table(_gold(project, codes).reset_index(drop=True), gold_file)
    elif gold_file.exists():  # --force: an older import's codes would not fit these stories
        gold_file.unlink()
    return ImportedProject(
        stories_file=stories_file if len(stories) else None,
        gold_file=gold_file if len(codes) else None,
        stories=len(stories),
        codes=len(codes),
        coders=tuple(dict.fromkeys(codes["coder"].dropna().astype(str))),
        warnings=notes,
        onto=moved,
    )


def copies_of(project: RefiProject, stories: pd.DataFrame) -> dict[str, str]:
    """The project's documents that are copies of ``stories`` (each document's id: the
    story's id), as :func:`import_refi` with ``onto=stories`` finds them."""
    documents, codes = _plain_frames(project)
    return _codes_onto(documents, codes, stories)[0]


def _placeholders_only(documents: pd.DataFrame) -> list[str]:
    """The documents whose every line of text is a placeholder ("n/a", "see above", "-"):
    a survey row MAXQDA imported that the stories' loader skips as no answer."""
    from copanalysis.io.fields import is_no_answer
    from copanalysis.schema import PROMPT_FIELDS

    texts = [c for c in documents.columns if c in PROMPT_FIELDS]
    hollow = []
    for row in documents[["story_id", *texts]].itertuples(index=False):
        lines = [
            line
            for text in row[1:]
            if isinstance(text, str)
            for line in text.splitlines()
            if line.strip()
        ]
        if lines and all(is_no_answer(line) for line in lines):
            hollow.append(str(row[0]))
    return hollow


def _lines(text: str) -> set[str]:
    """The lines of ``text`` of three words or more, spaces and case aside."""
    return {
        " ".join(line.split()).casefold() for line in text.splitlines() if len(line.split()) >= 3
    }


def _codes_onto(
    documents: pd.DataFrame, codes: pd.DataFrame, stories: pd.DataFrame
) -> tuple[dict[str, str], pd.DataFrame, int]:
    """The documents that are copies of ``stories`` (each document's id: its story's id),
    their codes placed on those stories (:func:`import_refi`'s ``onto``), and how many of
    their codes were left out, being on an answer that is only a placeholder ("see above",
    "n/a"), which the stories' loader reads as no answer."""
    from copanalysis.frames import text_units
    from copanalysis.io.codes import find_quote
    from copanalysis.io.fields import is_no_answer
    from copanalysis.schema import PROMPT_FIELDS

    units = text_units(stories)
    need: dict[str, set[str]] = {}
    holders: dict[str, set[str]] = {}  # a line -> the stories holding it
    for story, text in zip(units["doc_id"].astype(str), units["text"], strict=True):
        for line in _lines(str(text)):
            need.setdefault(story, set()).add(line)
            holders.setdefault(line, set()).add(story)
    # grouped by a column's name, not a Series: pandas reads a Series of one row (a study
    # of one answer) as a list of one key, and get_group("5") then raises KeyError
    fields = units.assign(doc_id=units["doc_id"].astype(str)).groupby("doc_id")
    texts = [c for c in documents.columns if c in PROMPT_FIELDS]
    moved: dict[str, str] = {}
    placed: list[pd.DataFrame] = []
    placeholders = 0  # codes left out, on answers that are only a placeholder
    for row in documents.itertuples(index=False):
        said = _lines("\n".join(str(getattr(row, c)) for c in texts if pd.notna(getattr(row, c))))
        found = Counter(s for line in said for s in holders.get(line, ()))
        whole = [s for s, n in found.items() if n == len(need[s])]
        if not whole:
            continue
        story = max(whole, key=lambda s: len(need[s]))  # the copy holds the fullest story
        mine = codes[codes["doc_id"] == row.story_id]
        own = fields.get_group(story)
        places = [
            [(f, a, b) for f, t in zip(own["field"], own["text"], strict=True)
             for a, b in find_quote(str(q), str(t))]
            for q in mine["quote"]
        ]  # fmt: skip
        # a code on an answer that is only a placeholder ("see above", "-"), which MAXQDA's
        # survey import codes with its question and the stories' loader reads as no answer
        # (trial 43): it has no place in the story, and stops no copy from being found
        void = [not p and is_no_answer(str(q)) for p, q in zip(places, mine["quote"], strict=True)]
        if any(void):
            mine = mine[[not v for v in void]]
            places = [p for p, v in zip(places, void, strict=True) if not v]
        if any(len(p) != 1 for p in places):  # a quote not in the story, or in it twice
            continue
        moved[str(row.story_id)] = story
        placeholders += sum(void)
        in_field, start, end = (
            zip(*(p[0] for p in places), strict=True) if places else ((), (), ())
        )
        quote = [
            str(own.loc[own["field"] == f, "text"].iloc[0])[a:b]
            for f, a, b in zip(in_field, start, end, strict=True)
        ]
        placed.append(
            mine.assign(
                doc_id=story, field=list(in_field), start=list(start), end=list(end), quote=quote
            )
        )
    columns = codes.columns
    frame = (pd.concat(placed, ignore_index=True) if placed else codes.iloc[:0])[columns]
    return moved, frame, placeholders
