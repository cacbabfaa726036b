"""A study folder: the conventional layout of ``data/raw/`` read in one call, or checked."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from copanalysis.errors import CopanalysisError, FileFormatError, MappingError
from copanalysis.io.codes import CODE_SUFFIXES, load_codes, match_codes
from copanalysis.io.communities import unify_communities
from copanalysis.io.file_settings import FileSettings, set_from_files, unmatched
from copanalysis.io.grid import GRID_SUFFIXES, load_grid
from copanalysis.io.lists import LIST_SUFFIXES, load_lists
from copanalysis.io.mapping_file import MAPPING_FILE, mapping_for_file, study_mapping
from copanalysis.io.provenance import how_to_read
from copanalysis.io.roles import ROLE_SUFFIXES, load_roles
from copanalysis.io.stories import STORY_SUFFIXES, load_stories

__all__ = [
    "LAYOUT",
    "Corpus",
    "FileCheck",
    "StudyCheck",
    "check_study",
    "load_corpus",
    "unknown_folder_note",
]

#: sub-folder -> what it holds
LAYOUT: dict[str, str] = {
    "stories": "value-creation stories (CSV, TSV, XLSX, JSON, JSONL, DOCX, MD, TXT)",
    "lists": "enabler and challenge lists",
    "roles": "leadership-role worksheets",
    "grid": "strategic-value reflection grids",
    "gold": "human codes (a codes table, or a filled review sheet, as CSV or XLSX), optional",
}


@dataclass(frozen=True)
class Corpus:
    """Everything a study folder holds, as the package's tidy frames.

    Attributes
    ----------
    stories, items, roles, grid : DataFrame
        The frames of :mod:`copanalysis.schema`; empty where the folder is missing.
    gold : DataFrame
        Human codes from ``gold/`` (a ``codes`` frame), empty when there are none; codes
        written without offsets are placed by their quotes (:func:`load_codes`). A filled
        review sheet there is read as its reviewer's codes
        (:func:`~copanalysis.io.review.load_review_sheet`), and
        :func:`~copanalysis.io.review.reviewed_by` names the reviewers and the spans each
        decided on.
    unknown_folders : tuple of Path
        Sub-folders of the study folder that none of the layout's names fits
        (:func:`unknown_folder_note` says why each was not read).
    """

    stories: pd.DataFrame
    items: pd.DataFrame
    roles: pd.DataFrame
    grid: pd.DataFrame
    gold: pd.DataFrame
    unknown_folders: tuple[Path, ...] = ()

    def frames(self) -> dict[str, pd.DataFrame]:
        """The frames by name, in the order a report lists them."""
        return {
            "stories": self.stories,
            "items": self.items,
            "roles": self.roles,
            "grid": self.grid,
            "gold": self.gold,
        }


#: What a sub-folder may be called, in any case: the layout's name, singular or plural.
_FOLDER_NAMES = {
    "stories": "stories", "story": "stories", "lists": "lists", "list": "lists",
    "roles": "roles", "role": "roles", "grid": "grid", "grids": "grid", "gold": "gold",
}  # fmt: skip


def _study_folders(path: str | PathLike[str]) -> tuple[Path, dict[str, Path], tuple[Path, ...]]:
    """The study folder, its sub-folders by the :data:`LAYOUT` name each holds, and the
    sub-folders no name fits; or an error naming the folder when it is missing or holds
    none but ``gold/``."""
    root = Path(path)
    if root.is_file():
        raise CopanalysisError(
            "a file, not a study folder: give the folder that holds stories/, lists/, "
            "roles/ or grid/ (or load one file with load_stories, load_lists ...)",
            path=root,
        )
    if not root.is_dir():
        raise CopanalysisError("no such folder", path=root)
    found: dict[str, Path] = {}
    unknown: list[Path] = []
    children = sorted(
        (p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "__"))),
        key=lambda p: (p.name not in LAYOUT, p.name),  # an exact name first
    )
    for child in children:
        name = _FOLDER_NAMES.get(child.name.casefold())
        if name is None or name in found:
            unknown.append(child)
        else:
            found[name] = child
    present = {name: found[name] for name in LAYOUT if name in found}
    if not set(present) - {"gold"}:
        expected = "; ".join(f"{k}/: {v}" for k, v in LAYOUT.items())
        here = ", ".join(f"{p.name}/" for p in unknown)
        raise CopanalysisError(
            f"none of the expected sub-folders is here ({expected})"
            + (f"; found {here}: rename the one that holds each kind of file" if here else ""),
            path=root,
        )
    return root, present, tuple(sorted(unknown))


def unknown_folder_note(folder: Path) -> str:
    """Why a sub-folder of a study folder was not read.

    Examples
    --------
    >>> unknown_folder_note(Path("study/enablers"))
    'enablers/ not read: a study folder is read from stories/, lists/, roles/, grid/ and \
gold/ (rename it to the one that fits what it holds)'
    """
    *names, last = (f"{name}/" for name in LAYOUT)
    return (
        f"{folder.name}/ not read: a study folder is read from {', '.join(names)} and {last} "
        "(rename it to the one that fits what it holds)"
    )


def load_corpus(
    path: str | PathLike[str],
    *,
    skip_unreadable: bool = False,
    progress: bool = True,
    dayfirst: bool | None = None,
    mapping: Mapping[str, Mapping[str, str | None]] | str | PathLike[str] | None = None,
    review: str | PathLike[str] | None = None,
    reviewer: str | None = None,
) -> Corpus:
    """Load a study folder laid out as ``stories/``, ``lists/``, ``roles/``, ``grid/``, ``gold/``.

    Parameters
    ----------
    path : path-like
        The folder (for the bundled sample, ``data/raw``). Sub-folders that are missing give
        empty frames; at least one of ``stories``, ``lists``, ``roles`` or ``grid`` must exist.
    skip_unreadable : bool
        Leave out a stories, lists, roles or grid file that cannot be read, instead of
        stopping at it; each one is listed with its error in its frame's load report
        (``unreadable``), and so in the terminal and the report. Human codes in ``gold/``
        are always read in full.
    progress : bool
        Show a progress bar over the story files.
    dayfirst : bool, optional
        Whether ``01/02/2025`` in the stories' dates is 1 February (True) or 2 January
        (False); by default decided for each date column (see :func:`load_stories`), and
        read month-first, with a note, where nothing settles it.
    mapping : dict or path-like, optional
        Which column is which field, by sub-folder: ``{"stories": {"Which best describes
        you?": "role"}, "lists": {...}}`` (see ``mapping=`` of :func:`load_stories` and
        :func:`load_lists`), or a YAML file of that shape. By default the study folder's
        own ``mapping.yaml`` when it has one (:mod:`copanalysis.io.mapping_file`).
    review : path-like, optional
        A filled review sheet to read with the human codes of ``gold/``, wherever it is
        (the sheet ``copanalysis review-sheet`` wrote, its decisions filled in), as if it
        were saved in ``gold/``.
    reviewer : str, optional
        Whose decisions ``review`` holds; by default the file's name without its suffix.

    Returns
    -------
    Corpus
        Each frame keeps its load report in ``frame.attrs["load_report"]``.

    Raises
    ------
    CopanalysisError
        When the folder does not exist or holds none of the known sub-folders.
    """
    from copanalysis.schema import empty

    root, present, unknown = _study_folders(path)
    columns, settings, settings_file = study_mapping(root, mapping)

    gold_dir = present.get("gold", root / "gold")
    gold_files = sorted(
        p for p in gold_dir.glob("*") if p.suffix.lower() in {".csv", ".xlsx", ".parquet"}
    )
    coded = {
        "stories": load_stories(
            present["stories"],
            skip_unreadable=skip_unreadable,
            progress=progress,
            dayfirst=dayfirst,
            mapping=columns.get("stories"),
        )
        if "stories" in present
        else empty("stories"),
        "items": load_lists(
            present["lists"], skip_unreadable=skip_unreadable, mapping=columns.get("lists")
        )
        if "lists" in present
        else empty("items"),
        "roles": load_roles(present["roles"], skip_unreadable=skip_unreadable)
        if "roles" in present
        else empty("roles"),
        "grid": load_grid(present["grid"], skip_unreadable=skip_unreadable)
        if "grid" in present
        else empty("grid"),
    }
    coded, error = _set_from_files(coded, settings, root=root, path=settings_file)
    if error is not None:
        raise error
    coded = unify_communities(coded)
    texts = list(coded.values())
    parts = [(p, _gold(_load_gold(p, stories=texts), texts, p)) for p in gold_files]
    if review is not None:
        sheet = Path(review)
        parts.append((sheet, _gold(_review_sheet(sheet, reviewer=reviewer), texts, sheet)))
    gold = _joined(parts) if parts else empty("codes")
    corpus = Corpus(**coded, gold=gold, unknown_folders=unknown)
    # files of a type a sub-folder does not read are listed in its report, not passed over
    frames = corpus.frames()
    for folder, name in (
        ("stories", "stories"),
        ("lists", "items"),
        ("roles", "roles"),
        ("grid", "grid"),
    ):
        if folder in present:
            unread = _unread(present[folder], _LOADERS[folder][1])
            report = frames[name].attrs.get("load_report")
            if unread and report is not None:
                report["not_read"] = [str(f) for f in unread]
                report["reads"] = list(_LOADERS[folder][1])
    return corpus


def _set_from_files(
    frames: dict[str, pd.DataFrame], settings: FileSettings, *, root: Path, path: Path
) -> tuple[dict[str, pd.DataFrame], CopanalysisError | None]:
    """The frames with the fields the mapping file's ``files:`` block sets, and the error
    for a name in it that matched no file of them (None when each one did)."""
    used: set[str] = set()
    out = {}
    for name, frame in frames.items():
        try:
            out[name], matched = set_from_files(frame, settings, root=root, by=path)
        except FileFormatError as exc:  # a name of two files: the mapping file is to mend
            return frames, exc
        used |= matched
    return out, unmatched(settings, used, path=path)


def _files(folder: Path) -> list[Path]:
    """Every file under ``folder``, less hidden files and Office lock files (``~$...``)."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        and not p.name.startswith("~$")
    )


def _unread(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """The files under ``folder`` of a type it does not read."""
    return [f for f in _files(folder) if f.suffix.lower() not in suffixes]


def _joined(parts: list[tuple[Path, pd.DataFrame]]) -> pd.DataFrame:
    """The codes of several ``gold/`` files as one frame, with one load report listing
    every file's entry and the reviewers of every review sheet (:func:`reviewed_by`); or an
    error naming the file when a review sheet is named after a person whose own codes are
    in another file (their codes would be read as reviewed passages only)."""
    from copanalysis.io.review import reviewed_by

    if len(parts) == 1:
        return parts[0][1]
    reviewers: dict[str, list[tuple[str, str, int, int]]] = {}
    coders: dict[str, Path] = {}
    for path, codes in parts:
        mine = reviewed_by(codes)
        for who in mine if mine else set(codes["coder"].astype(str)):
            coders.setdefault(who, path)
        for who, spans in mine.items():
            reviewers.setdefault(who, []).extend(spans)
    for who in reviewers:
        own = next(
            (p for p, c in parts if not reviewed_by(c) and (c["coder"].astype(str) == who).any()),
            None,
        )
        if own is not None:
            raise CopanalysisError(
                f"a review sheet is read as the codes of {who!r}, named after the file, and "
                f"{own} holds {who}'s own codes: rename the review sheet (Dina-review.xlsx)",
                path=coders[who],
            )
    gold = pd.concat([codes for _, codes in parts], ignore_index=True)
    entries = [e for _, c in parts for e in (c.attrs.get("load_report") or {}).get("files", [])]
    gold.attrs = {
        "frame": "codes",
        "load_report": {
            "frame": "codes",
            "n_rows": len(gold),
            "n_skipped": sum(len(e.get("skipped", [])) for e in entries),
            "files": entries,
        },
        "sources": [s for _, c in parts for s in c.attrs.get("sources", [])],
    }
    if reviewers:
        gold.attrs["reviewed_by"] = reviewers
    return gold


def _review_sheet(path: Path, *, reviewer: str | None) -> pd.DataFrame:
    """The review sheet named outside ``gold/`` (``--review``), read as :func:`_load_gold`
    reads one inside it; an error naming the file when it is none."""
    from copanalysis.io.review import is_review_sheet, load_review_sheet

    if not path.is_file():
        raise CopanalysisError("the review sheet named is not there", path=path)
    if not is_review_sheet(path):
        raise FileFormatError(
            "not a filled review sheet: its header needs doc_id, code and decision (the "
            "sheet copanalysis review-sheet writes); human codes of another kind go in gold/",
            path=path,
        )
    return load_review_sheet(path, reviewer=reviewer)


def _load_gold(path: Path, *, stories: list[pd.DataFrame] | None = None) -> pd.DataFrame:
    """One file of human codes, its codes of a codebook that ``run`` does not code noted
    (``other_codebooks``: name -> codes): a study's own codebook is compared in Python.
    Codes without offsets are placed by their quotes in ``stories`` (the study's texts;
    none when they are all empty, :func:`load_codes`). A filled review sheet is read as
    its reviewer's codes (:func:`load_review_sheet`); a folder, as each of its files."""
    from copanalysis.codebooks.codebook import list_codebooks
    from copanalysis.io.review import is_review_sheet, load_review_sheet

    if path.is_dir():
        files = [f for f in _files(path) if f.suffix.lower() in CODE_SUFFIXES]
        if any(is_review_sheet(f) for f in files):
            return _joined([(f, _load_gold(f, stories=stories)) for f in files])
    elif is_review_sheet(path):
        return load_review_sheet(path)
    texts = stories if stories and any(len(frame) for frame in stories) else None
    codes = load_codes(path, stories=texts)
    books = codes["codebook"].dropna().astype(str)
    other = books[~books.isin(list_codebooks())].value_counts(sort=False)
    for entry in (codes.attrs.get("load_report") or {}).get("files", []) if len(other) else []:
        entry["other_codebooks"] = {str(k): int(v) for k, v in other.items()}
        entry["notes"] = [
            *entry.get("notes", []),
            *(
                f"{n} code{'s' if n != 1 else ''} of codebook {name!r}, not a built-in one: "
                "run codes the built-in codebooks only and leaves these out; compare them "
                "with a coder of that codebook in Python (copanalysis.evaluate)"
                for name, n in entry["other_codebooks"].items()
            ),
        ]
    return codes


#: sub-folder -> (loader of one file or a folder, the file types it reads)
_LOADERS: dict[str, tuple[Callable[..., pd.DataFrame], tuple[str, ...]]] = {
    "stories": (functools.partial(load_stories, progress=False), STORY_SUFFIXES),
    "lists": (load_lists, LIST_SUFFIXES),
    "roles": (load_roles, ROLE_SUFFIXES),
    "grid": (load_grid, GRID_SUFFIXES),
    "gold": (_load_gold, CODE_SUFFIXES),
}


@dataclass(frozen=True)
class FileCheck:
    """What checking one file of a study folder found.

    Attributes
    ----------
    folder : str
        The sub-folder (``stories``, ``lists``, ``roles``, ``grid``, ``gold``).
    path : Path
        The file, or the sub-folder for a problem between its files (a repeated id).
    report : dict or None
        The load report of the file alone (print it with
        :func:`~copanalysis.io.format_load_report`); None when it could not be loaded.
    error : str or None
        Why it could not be loaded, naming the file, row and column.
    attention : tuple of str
        What a researcher should look at although the file loaded: skipped rows,
        unparseable dates, dates whose day/month order had to be assumed, role or member
        type names that match no option, text left out.
    not_read : str or None
        Why a file (of a type its sub-folder does not read) or a sub-folder (that no name
        of the layout fits) was passed over, as ``run`` passes over it.
    """

    folder: str
    path: Path
    report: dict[str, Any] | None = None
    error: str | None = None
    attention: tuple[str, ...] = ()
    not_read: str | None = None

    @property
    def loaded(self) -> bool:
        """Whether the file loaded."""
        return self.error is None and self.not_read is None


@dataclass(frozen=True)
class StudyCheck:
    """Every file of a study folder, loaded one by one without coding (:func:`check_study`)."""

    path: Path
    files: tuple[FileCheck, ...]

    @property
    def failed(self) -> tuple[FileCheck, ...]:
        """The files (or sub-folders) that could not be loaded."""
        return tuple(f for f in self.files if f.error is not None)

    @property
    def attention(self) -> tuple[FileCheck, ...]:
        """The files that loaded with something to look at, and those not read."""
        return tuple(f for f in self.files if (f.loaded and f.attention) or f.not_read)


def _attention(report: dict[str, Any]) -> tuple[str, ...]:
    """What a file's load report asks a researcher to look at, one line each; when the
    report holds several sheets (or tables) of the file, each line names the file and the
    sheet it is about (trial 37: a grid workbook gave "1 skipped (listed above)" once per
    sheet, three lines alike)."""
    entries = report.get("files", [])
    lines: list[str] = []
    for entry in entries:
        said = _entry_attention(entry, mapped=report.get("frame") in ("stories", "items"))
        if len(entries) > 1:
            where = Path(str(entry.get("path"))).name
            where += f", sheet {entry['sheet']!r}" if entry.get("sheet") else ""
            said = [f"{where}: {line}" for line in said]
        lines += said
    return tuple(lines)


def _entry_attention(entry: dict[str, Any], *, mapped: bool) -> list[str]:
    """What one entry (a file, or a sheet of a workbook) of a load report asks to look at."""
    found: list[str] = []
    if entry.get("skipped"):
        found.append(f"{len(entry['skipped'])} skipped (listed above)")
    if entry.get("bad_dates"):
        found.append(f"{len(entry['bad_dates'])} unparseable date(s) (listed above)")
    if entry.get("unmatched"):
        names = ", ".join(map(repr, entry["unmatched"]))
        found.append(
            f"{names}: no role or member type of the worksheet (kept as written; listed "
            "above with the closest option)"
        )
    for language, where in (entry.get("other_language") or {}).items():
        found.append(f"{len(where)} answer(s) in {language} (listed above)")
    # ids made unique across files (two exports both numbering from 1) are said in the
    # file's notes: nothing was lost, so nothing needs a look (trial 21)
    if entry.get("unmarked"):
        found.append(
            f"{', '.join(entry['unmarked'])}: no role or member type marked (listed above)"
        )
    if entry.get("repeated_respondents"):
        n = len(entry["repeated_respondents"])
        found.append(f"{n} respondent(s) answered more than once (listed above)")
    if entry.get("repeated_answers"):
        n = len(entry["repeated_answers"])
        found.append(f"{n:,} row(s) repeat an earlier row's every answer (listed above)")
    if entry.get("tracked_changes"):
        changes = entry["tracked_changes"]
        authors = ", ".join(dict.fromkeys(repr(c["author"]) for c in changes))
        found.append(
            f"{len(changes)} tracked change(s) not accepted or rejected, by {authors}: "
            "insertions read as part of the text (listed above)"
        )
    if entry.get("text_left_out"):
        found.append(f"{len(entry['text_left_out'])} text(s) left out (listed above)")
    if entry.get("hidden"):
        found.append("hidden in Excel, and read all the same (listed above)")
    if entry.get("sheets_not_read"):
        # only the loaders of stories and lists take a mapping (trial 33: the advice
        # named sheet= to load_grid, which took none)
        named = ", or mapping= to name its columns" if mapped else ""
        found.append(
            f"{len(entry['sheets_not_read'])} sheet(s) not read (listed above; pass "
            f"sheet= in Python to read one sheet{named})"
        )
    for column, reading in (entry.get("dates") or {}).items():
        if reading.get("order") == "assumed month-first":
            found.append(
                f"the day/month order of {column!r} is ambiguous (read month-first; "
                "if the day comes first, pass --dayfirst on the command line, or "
                "dayfirst=True in Python)"
            )
        elif reading.get("order") == "mixed":
            found.append(
                f"{column!r} mixes day-first and month-first dates (its ambiguous ones may "
                "be wrong; listed above)"
            )
    for name, n in (entry.get("other_codebooks") or {}).items():
        found.append(f"{n} code(s) of codebook {name!r}, which run does not code")
    if (entry.get("review") or {}).get("undecided"):
        found.append(
            f"{entry['review']['undecided']} row(s) of the review sheet with no decision, "
            "not read (listed above)"
        )
    if entry.get("unread_codes"):
        n = sum(entry["unread_codes"].values())
        found.append(f"{n} code(s) of no built-in codebook, left out (listed above)")
    if entry.get("codes_read_in_part"):
        found.append(
            "some codes read as a built-in codebook's and others left out: their passages "
            "count as no code (listed above)"
        )
    for column, n in (entry.get("uncoded_text") or {}).items():
        found.append(f"{column!r}: {n} free-text answer(s) kept but not coded (listed above)")
    return found


def _read_as_said(read_as: Mapping[tuple[str, str, str], int], *, mixed: bool) -> str:
    """The load report's line on the human codes read as a built-in codebook's by their
    names; ``mixed`` when others were left out, and some passages have only those, which
    then count as coded with none of that codebook's codes (trial 45: one of a researcher's
    five cycle codes read, 24 of 252, and the coders taught that his other coded sentences
    hold no value).

    Examples
    --------
    >>> _read_as_said({("Knowledge capital", "value_cycles", "potential"): 24}, mixed=False)
    "24 codes read by their names: 'Knowledge capital' as value_cycles 'potential' (24)"
    """
    n = sum(read_as.values())
    shown = ", ".join(
        f"'{name}' as {book} '{code}' ({count})"
        for (name, book, code), count in list(read_as.items())[:8]
    )
    more = f", and {len(read_as) - 8} more" if len(read_as) > 8 else ""
    said = f"{n} code{'s' if n != 1 else ''} read by their names: {shown}{more}"
    if mixed:
        said += (
            "; the passages coded only with codes left out (below) count as coded with "
            "none of these codebooks' codes, so the coders learn from them, and are scored "
            "on them, as passages of no such code: rename those codes too, or leave their "
            "stories out"
        )
    return said


def _gold(codes: pd.DataFrame, frames: list[pd.DataFrame], path: Path) -> pd.DataFrame:
    """Human codes checked against the texts they code (:func:`match_codes`)."""
    if all(frame.empty for frame in frames):
        return codes
    matched = match_codes(codes, frames, path=path)
    unread = matched.attrs.get("unread_codes") or {}
    read_as = matched.attrs.get("read_as") or {}
    mixed = bool(matched.attrs.get("unread_only"))
    matched.attrs = codes.attrs
    for entry in (matched.attrs.get("load_report") or {}).get("files", []) if read_as else []:
        entry["notes"] = [*entry.get("notes", []), _read_as_said(read_as, mixed=mixed)]
        if mixed:
            entry["codes_read_in_part"] = True
    for entry in (matched.attrs.get("load_report") or {}).get("files", []) if unread else []:
        # trial 34: a team's own names ("Quotes for report") were left out of every figure
        # while check said Ready and the report "Nothing else was left out"
        entry["unread_codes"] = dict(unread)
        shown = ", ".join(f"'{c}' ({n})" for c, n in list(unread.items())[:8])
        more = f", and {len(unread) - 8} more" if len(unread) > 8 else ""
        n = sum(unread.values())
        entry["notes"] = [
            *entry.get("notes", []),
            f"{n} code{'s' if n != 1 else ''} with no codebook named {'are' if n != 1 else 'is'}"
            f" no code of a built-in codebook and {'are' if n != 1 else 'is'} left out of "
            f"every figure: {shown}{more}; rename them as the codebook's codes, labels or "
            "aliases (a code under its parent, 'Potential value\\Human capital', is read), "
            "or name their own codebook in a codebook column",
        ]
    return matched


def check_study(
    path: str | PathLike[str],
    *,
    dayfirst: bool | None = None,
    mapping: Mapping[str, Mapping[str, str | None]] | str | PathLike[str] | None = None,
    review: str | PathLike[str] | None = None,
    reviewer: str | None = None,
) -> StudyCheck:
    """Load every file of a study folder on its own, without coding, and say what was found.

    Each file of ``stories/``, ``lists/``, ``roles/``, ``grid/`` and ``gold/`` is loaded
    alone, so one bad file does not hide the problems of the next; then each sub-folder
    is loaded whole, to find ids repeated across its files. Files of a type the sub-folder
    does not read are listed as not read.

    Parameters
    ----------
    path : path-like
        The study folder.
    dayfirst, mapping, review, reviewer : optional
        As for :func:`load_corpus` (by default the folder's own ``mapping.yaml``, and no
        review sheet but those in ``gold/``).

    Returns
    -------
    StudyCheck
        One :class:`FileCheck` per file (and per sub-folder with a problem between files).

    Raises
    ------
    CopanalysisError
        When the folder does not exist or holds none of the known sub-folders.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> study = pathlib.Path(tempfile.mkdtemp())
    >>> (study / "stories").mkdir()
    >>> _ = (study / "stories" / "survey.csv").write_text(
    ...     "Your name,Insights\\nAna,We learned\\nBo,\\n", encoding="utf-8")
    >>> _ = (study / "stories" / "scan.pdf").write_bytes(b"%PDF")
    >>> checked = check_study(study)
    >>> [(f.path.name, f.loaded, f.attention) for f in checked.files]
    [('scan.pdf', False, ()), ('survey.csv', True, ('1 skipped (listed above)',))]
    >>> checked.files[0].not_read.split(": ", 1)[1][:27]
    'not read: stories/ reads .c'
    >>> len(checked.attention), len(checked.failed)  # run passes over the PDF too
    (2, 0)
    """
    root, present, unknown = _study_folders(path)
    checks: list[FileCheck] = [
        FileCheck(folder.name, folder, not_read=unknown_folder_note(folder)) for folder in unknown
    ]
    mapping_file = Path(mapping) if isinstance(mapping, str | PathLike) else root / MAPPING_FILE
    try:
        columns, settings, _ = study_mapping(root, mapping)
    except CopanalysisError as exc:
        return StudyCheck(root, (*checks, FileCheck("mapping", mapping_file, error=str(exc))))
    wholes: dict[str, pd.DataFrame] = {}  # each folder loaded whole
    used: set[str] = set()  # the names of the files: block that matched a file
    gold: dict[Path, pd.DataFrame] = {}  # each file of gold/
    for folder in present:
        load, suffixes = _LOADERS[folder]
        if folder == "stories":
            load = functools.partial(load_stories, progress=False, dayfirst=dayfirst)
        if folder == "gold":  # the last folder: codes without offsets are placed in the texts
            texts = [wholes[f] for f in present if f != "gold" and f in wholes]
            complete = len(texts) == len([f for f in present if f != "gold"])
            load = functools.partial(_load_gold, stories=texts if complete else None)
        whole_load = load
        if columns.get(folder):
            whole_load = functools.partial(load, mapping=columns[folder])
        files = _files(present[folder])
        all_loaded = True
        for file in files:
            if file.suffix.lower() not in suffixes:
                checks.append(
                    FileCheck(
                        folder,
                        file,
                        not_read=f"{file}: not read: {folder}/ reads {', '.join(suffixes)}"
                        + how_to_read(file),
                    )
                )
                continue
            try:
                own = mapping_for_file(columns.get(folder, {}), file)
                frame = load(file, mapping=own) if own else load(file)
            except (CopanalysisError, OSError) as exc:
                checks.append(FileCheck(folder, file, error=str(exc)))
                all_loaded = False
                continue
            report = frame.attrs.get("load_report", {"frame": folder, "files": []})
            checks.append(FileCheck(folder, file, report=report, attention=_attention(report)))
            if folder == "gold":
                gold[file] = frame
        if all_loaded and any(f.suffix.lower() in suffixes for f in files):
            try:
                wholes[folder] = whole_load(present[folder])
            except MappingError as exc:  # the mapping file is what needs mending
                said = str(exc).removeprefix(f"{exc.path}: ")
                error = f"{mapping_file}: {folder}: {said}"
                checks.append(FileCheck("mapping", mapping_file, error=error))
            except (CopanalysisError, OSError) as exc:
                checks.append(FileCheck(folder, present[folder], error=str(exc)))
            else:
                if folder != "gold":  # as run reads it: with the files' own settings
                    try:
                        wholes[folder], matched = set_from_files(
                            wholes[folder], settings, root=root, by=mapping_file
                        )
                    except FileFormatError as exc:  # a name of two files
                        checks.append(FileCheck("mapping", mapping_file, error=str(exc)))
                        matched = set(settings)  # the other names are checked once it is mended
                    used |= matched
                checks = _as_in_the_folder(checks, wholes[folder])
    if review is not None:  # read as if it were in gold/
        try:
            gold[Path(review)] = _review_sheet(Path(review), reviewer=reviewer)
        except (CopanalysisError, OSError) as exc:
            checks.append(FileCheck("gold", Path(review), error=str(exc)))
        else:
            report = gold[Path(review)].attrs["load_report"]
            checks.append(
                FileCheck("gold", Path(review), report=report, attention=_attention(report))
            )
    texts = [wholes[f] for f in present if f != "gold" and f in wholes]
    if len(texts) == len([f for f in present if f != "gold"]):  # every text folder loaded
        missed = unmatched(settings, used, path=mapping_file)
        if missed is not None:
            checks.append(FileCheck("mapping", mapping_file, error=str(missed)))
        checks = _gold_checks(checks, gold, texts)
    return StudyCheck(root, tuple(checks))


def _as_in_the_folder(checks: list[FileCheck], whole: pd.DataFrame) -> list[FileCheck]:
    """The checks, each file's report as loading its folder whole read it: that load sees
    what the file alone cannot (its ids renamed because another file uses them, its dates
    read in the order the folder's other files show), and it is the load ``run`` makes."""
    entries: dict[str, list[dict[str, Any]]] = {}
    for entry in (whole.attrs.get("load_report") or {}).get("files", []):
        entries.setdefault(str(entry.get("path")), []).append(entry)
    out = []
    for check in checks:
        mine = entries.get(str(check.path))
        if check.report is None or not mine:
            out.append(check)
            continue
        report = {**check.report, "files": mine}
        out.append(replace(check, report=report, attention=_attention(report)))
    return out


def _gold_checks(
    checks: list[FileCheck], gold: dict[Path, pd.DataFrame], texts: list[pd.DataFrame]
) -> list[FileCheck]:
    """The checks, with each gold file's codes checked against the texts they code: an
    error for a file whose codes do not fit, and the notes of a file with codes of no
    built-in codebook (:func:`_gold`)."""
    out = list(checks)
    try:  # a review sheet named after a person whose own codes are in another file
        if len(gold) > 1:
            _joined(list(gold.items()))
    except CopanalysisError as exc:
        out.append(FileCheck("gold", Path(exc.path or "gold"), error=str(exc)))
    for path, codes in gold.items():
        try:
            matched = _gold(codes, texts, path)
        except CopanalysisError as exc:
            out.append(FileCheck("gold", path, error=str(exc)))
            continue
        report = matched.attrs.get("load_report") or {}
        if any(entry.get("unread_codes") for entry in report.get("files", [])):
            out = [
                replace(c, report=report, attention=_attention(report))
                if c.folder == "gold" and c.path == path and c.report is not None
                else c
                for c in out
            ]
    return out
