"""The ``copanalysis`` command: ``check`` a study folder, ``run`` the main job on it,
``import-refi`` a QDA tool's project into one, ``review-sheet`` the machine's codes for a
person to check.

The command reads and writes files only through :mod:`copanalysis.io`; it prints what it
did. Exit statuses (also in ``copanalysis --help``):

0
    Done. For ``check``: every file loaded and nothing needs a look.
1
    ``check`` only: every file loaded, but some rows were skipped, some dates could not be
    read, or a date column's day/month order had to be assumed.
2
    The command line itself is wrong (an unknown command or option, a missing argument).
3
    A file or folder could not be read, or an output could not be written; the message
    names the file, and the row and column where they apply.
130
    Interrupted with Ctrl-C; the message says which output may be incomplete, and what
    the command kept in the cache folder for the next run (nothing, for ``check`` and for
    coders that keep nothing).
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from copanalysis import __version__
from copanalysis.errors import (
    CopanalysisError,
    EmptyFileError,
    FileFormatError,
    GroupColumnError,
    MissingColumnError,
    UnsupportedFormatError,
)

if TYPE_CHECKING:
    import pandas as pd

    from copanalysis.io import Corpus, StudyCheck
    from copanalysis.io.cache_contents import CacheSnapshot
    from copanalysis.study import Findings

DEFAULT_RAW = Path("data/raw")
DEFAULT_OUT = Path("data/processed")

#: exit statuses
OK, NEEDS_A_LOOK, USAGE, BAD_INPUT = 0, 1, 2, 3
#: Stopped with Ctrl-C (128 + SIGINT, as shells report it).
INTERRUPTED = 130

#: errors of one file that ``--skip-unreadable`` would leave out
_UNREADABLE = (EmptyFileError, FileFormatError, MissingColumnError, UnsupportedFormatError)

_CODERS = ("best", "rules", "model", "semantic", "ensemble", "llm")
#: The commands that load, code and write a study folder's outputs.
_STUDY_COMMANDS = ("run", "report", "review-sheet")
#: The commands that code, and may keep work in the cache folder for the next run.
_CODING_COMMANDS = (*_STUDY_COMMANDS, "demo")

_EPILOG = """\
examples:
  copanalysis check my-study            # how every file loads, before any coding
  copanalysis check --all my-study      # ... with every row each note is about
  copanalysis run my-study --out results
  copanalysis run my-study --workers 2  # code on a local Dask cluster of 2 processes
  copanalysis demo                      # the bundled sample corpus, into data/processed
  copanalysis import-refi team.qdpx my-study  # an NVivo/ATLAS.ti/MAXQDA project's
                                              # stories and human codes
  copanalysis review-sheet my-study     # the machine's codes, for a person to check

A study folder holds stories/, lists/, roles/, grid/ and optionally gold/ (human codes,
or a filled review sheet named after its reviewer, gold/Dina.xlsx, or named with
--review FILE --reviewer Dina); any of them may be missing.

exit status:
  0  done (check: every file loaded and nothing needs a look)
  1  check: every file loaded, but something needs a look (skipped rows, dates, text
     left out or not coded, files or folders run passes over)
  2  the command line is wrong
  3  a file or folder could not be read, or an output not written (the message says where)
  130  interrupted (Ctrl-C); run the same command again
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="copanalysis",
        description="Load, code and chart value-creation stories from communities of practice.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"copanalysis {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, text: str) -> argparse.ArgumentParser:
        return commands.add_parser(
            name,
            help=text,
            description=text,
            epilog=_EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    def coding_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--coder",
            choices=_CODERS,
            default="best",
            help="coder of the stories' value cycles (default: best, the coder that agrees "
            "best with the development set, unless your human codes in gold/ show another "
            "one clearly better); the themes, roles and grid keep their own default coders",
        )
        sub.add_argument(
            "--min-confidence",
            type=_probability,
            default=0.0,
            metavar="P",
            help="leave out codes less confident than P (0 to 1), so unsure passages stay "
            "uncoded; the report says how many (default: 0, code everything)",
        )
        sub.add_argument("--no-progress", action="store_true", help="hide progress bars")

    def title_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--title",
            help="the report's title (default: 'Value creation in our community of practice')",
        )

    def codes_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--codes",
            type=Path,
            metavar="FILE",
            help="codes already made, used instead of coding again: the Parquet file "
            "iter_codes was streamed to, or any codes file (CSV, XLSX, JSON); a codebook "
            "it holds no codes of is coded as usual, and --coder is not used for the "
            "value cycles",
        )

    def dates_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--dayfirst",
            action="store_true",
            default=None,
            help="read dates such as 01/02/2025 day first (1 February); by default each "
            "date column's order is decided from its values and header, and read month "
            "first, with a note, when nothing settles it",
        )

    def dates_option_and_mapping(sub: argparse.ArgumentParser) -> None:
        dates_option(sub)
        sub.add_argument(
            "--mapping",
            type=Path,
            metavar="FILE",
            help="which column of the survey exports is which field, a YAML file with a "
            "'stories:' and/or 'lists:' block of 'column header: field' lines (default: "
            "STUDY_DIR/mapping.yaml when there is one)",
        )
        sub.add_argument(
            "--review",
            type=Path,
            metavar="FILE",
            help="a filled review sheet (the one 'review-sheet' wrote, its decisions filled "
            "in) to read with the human codes in gold/, wherever it is saved",
        )
        sub.add_argument(
            "--reviewer",
            metavar="NAME",
            help="whose decisions the --review sheet holds (default: the file's name "
            "without its suffix)",
        )

    def skip_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--skip-unreadable",
            action="store_true",
            help="leave out a file that cannot be read instead of stopping at it; each one "
            "is listed, with why, in the terminal and in the report's methods",
        )
        dates_option_and_mapping(sub)

    def loading_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--by",
            action="append",
            default=[],
            metavar="COLUMN",
            help="compare the stories' value cycles by a column of theirs (a wave, district "
            "or role column), or by 'file', the file each story came from (one survey "
            "export per wave); may be given more than once",
        )
        skip_option(sub)

    check = command("check", "load every file of a study folder and print how it was read")
    check.add_argument("study_dir", type=Path, metavar="STUDY_DIR", help="the study folder")
    check.add_argument(
        "--all",
        action="store_true",
        dest="every_row",
        help="list every row a note or a skip is about, one a line (without it, the first "
        "five and how many more)",
    )
    dates_option_and_mapping(check)

    run = command(
        "run", "load, code and chart a study folder: frames, tables, figures, report, QDPX"
    )
    run.add_argument("study_dir", type=Path, metavar="STUDY_DIR", help="the study folder")
    run.add_argument(
        "--out",
        type=_out_folder,
        help="folder for the outputs (default: 'processed' beside a folder named 'raw', "
        "else STUDY_DIR-processed beside STUDY_DIR)",
    )
    coding_options(run)
    codes_option(run)
    title_option(run)
    loading_options(run)
    where = run.add_mutually_exclusive_group()
    where.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="code on the Dask cluster of this scheduler (tcp://host:8786); needs the "
        "extra copanalysis[dask]",
    )
    where.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="code on a local Dask cluster of N worker processes; needs copanalysis[dask]",
    )

    demo = command("demo", "'run' on the bundled sample corpus")
    demo.add_argument("--raw", type=Path, default=DEFAULT_RAW, help="study folder to read")
    demo.add_argument(
        "--out", type=_out_folder, default=DEFAULT_OUT, help="folder for the outputs"
    )
    coding_options(demo)

    refi = command(
        "import-refi",
        "write a REFI-QDA project (.qdpx of NVivo, ATLAS.ti, MAXQDA, QualCoder) as a study "
        "folder's stories/ and gold/ (its human codes)",
    )
    refi.add_argument("project", type=Path, metavar="PROJECT", help="the .qdpx file")
    refi.add_argument(
        "study_dir", type=Path, metavar="STUDY_DIR", help="the study folder (made if missing)"
    )
    refi.add_argument(
        "--force", action="store_true", help="overwrite the files an earlier import wrote"
    )
    refi.add_argument(
        "--codes-only",
        action="store_true",
        help="the project coded copies of the stories already in STUDY_DIR/stories/ (Word "
        "forms coded in ATLAS.ti, say): write each such document's codes onto its story, "
        "not the document as a second story; a document that is no copy is written as a "
        "story",
    )
    refi.add_argument("--no-progress", action="store_true", help="hide progress bars")

    report = command("report", "write only the HTML evaluation report of a study folder")
    report.add_argument("study_dir", type=Path, metavar="STUDY_DIR", help="the study folder")
    report.add_argument(
        "--out",
        type=_report_file,
        help="the .html file to write, or a folder to write report.html in (default: "
        "report.html in the folder 'run' writes to)",
    )
    title_option(report)
    coding_options(report)
    codes_option(report)
    loading_options(report)

    review = command(
        "review-sheet",
        "write the machine's value-cycle codes as a sheet a person fills in (accept, reject "
        "or another code), on the stories nobody coded in gold/, least confident first",
    )
    review.add_argument("study_dir", type=Path, metavar="STUDY_DIR", help="the study folder")
    review.add_argument(
        "--out",
        type=_review_file,
        help="the .xlsx or .csv file to write, or a folder to write review.xlsx in "
        "(default: review.xlsx in the folder 'run' writes to)",
    )
    coding_options(review)
    skip_option(review)
    return parser


def _parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line; an option the command does not know is an error of that
    command (its usage, and the option it most likely meant), not of the whole program."""
    args, unknown = parser.parse_known_args(argv)
    if not unknown:
        return args
    commands = next(
        a for a in parser._actions if isinstance(a, argparse._SubParsersAction)
    )  # argparse keeps its subcommands only there
    sub: argparse.ArgumentParser = commands.choices[args.command]
    known = [o for o in sub._option_string_actions if o.startswith("--")]
    said = unknown[0].split("=", 1)[0]
    close = difflib.get_close_matches(said, known, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]}?)" if close else ""
    sub.error(f"unrecognized arguments: {' '.join(unknown)}{hint}")


def _out_folder(text: str) -> Path:
    """A folder for the outputs: any path but an existing file."""
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is a file; give a folder for the outputs")
    return path


def _report_file(text: str) -> Path:
    """The report's file: ``report.html`` inside a folder (an existing one, a path ending
    in "/", or one without a suffix), else the file named.

    Examples
    --------
    >>> [_report_file(t).as_posix() for t in ("out/", "results", "final.html")]
    ['out/report.html', 'results/report.html', 'final.html']
    """
    return _file_in(text, "report.html")


def _review_file(text: str) -> Path:
    """The review sheet's file: ``review.xlsx`` inside a folder, else the file named.

    Examples
    --------
    >>> [_review_file(t).as_posix() for t in ("out/", "results", "sheet.csv")]
    ['out/review.xlsx', 'results/review.xlsx', 'sheet.csv']
    """
    return _file_in(text, "review.xlsx")


def _file_in(text: str, name: str) -> Path:
    """``name`` inside the folder ``text`` (an existing one, a path ending in "/", or one
    without a suffix), else the file ``text``."""
    path = Path(text)
    if text.endswith(("/", os.sep)) or path.is_dir() or not path.suffix:
        return path / name
    return path


def _probability(text: str) -> float:
    """An argument between 0 and 1.

    Examples
    --------
    >>> _probability("0.4")
    0.4
    """
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {text!r}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (see the module docstring)."""
    args = _parse(_parser(), argv)  # exits with status 2 on a wrong command line
    cache = _cache_before(args.command)
    try:
        if args.command == "check":
            return run_check(
                args.study_dir,
                every_row=args.every_row,
                dayfirst=args.dayfirst,
                mapping=args.mapping,
                review=args.review,
                reviewer=args.reviewer,
            )
        if args.command == "import-refi":
            return run_import_refi(
                args.project,
                args.study_dir,
                force=args.force,
                codes_only=args.codes_only,
                progress=not args.no_progress,
            )
        if args.command == "run":
            out = args.out or default_out(args.study_dir)
            with _cluster(args) as status:
                if status is not None:
                    return status
                run_study(
                    args.study_dir,
                    out,
                    coder=args.coder,
                    min_confidence=args.min_confidence,
                    skip_unreadable=args.skip_unreadable,
                    dayfirst=args.dayfirst,
                    mapping=args.mapping,
                    review=args.review,
                    reviewer=args.reviewer,
                    by=args.by,
                    codes=args.codes,
                    title=args.title,
                    progress=not args.no_progress,
                )
        elif args.command == "review-sheet":
            run_review_sheet(
                args.study_dir,
                args.out or default_out(args.study_dir) / "review.xlsx",
                coder=args.coder,
                min_confidence=args.min_confidence,
                skip_unreadable=args.skip_unreadable,
                dayfirst=args.dayfirst,
                mapping=args.mapping,
                review=args.review,
                reviewer=args.reviewer,
                progress=not args.no_progress,
            )
        elif args.command == "demo":
            run_study(
                args.raw,
                args.out,
                coder=args.coder,
                min_confidence=args.min_confidence,
                name="copanalysis sample corpus",
                progress=not args.no_progress,
            )
        else:
            run_report(
                args.study_dir,
                args.out or default_out(args.study_dir) / "report.html",
                title=args.title,
                coder=args.coder,
                min_confidence=args.min_confidence,
                skip_unreadable=args.skip_unreadable,
                dayfirst=args.dayfirst,
                mapping=args.mapping,
                review=args.review,
                reviewer=args.reviewer,
                by=args.by,
                codes=args.codes,
                progress=not args.no_progress,
            )
    except (CopanalysisError, OSError) as exc:
        print(f"copanalysis: error: {exc}", file=sys.stderr)
        if isinstance(exc, GroupColumnError):
            return USAGE  # the command line is wrong, not a file (trial 44)
        if args.command in _STUDY_COMMANDS and isinstance(exc, _UNREADABLE):
            folder = args.study_dir
            print(
                f"copanalysis: 'copanalysis check {folder}' lists every file's problems; "
                "--skip-unreadable leaves the files that cannot be read out (and lists them)",
                file=sys.stderr,
            )
        return BAD_INPUT
    except KeyboardInterrupt:
        out = getattr(args, "out", None) or (
            default_out(args.study_dir) if args.command in _STUDY_COMMANDS else None
        )
        print(interrupted_note(args.command, out, cache), file=sys.stderr)
        return INTERRUPTED
    return OK


def _cache_before(command: str) -> tuple[Path, CacheSnapshot] | None:
    """The cache folder and what it holds before a command that codes (None for the
    others): what the command added is what Ctrl-C says it keeps."""
    if command not in _CODING_COMMANDS:
        return None
    from copanalysis.io.cache_contents import cache_snapshot
    from copanalysis.io.embedding_cache import default_cache_dir

    folder = default_cache_dir()
    return folder, cache_snapshot(folder)


def interrupted_note(
    command: str,
    out: Path | None,
    cache: tuple[Path, CacheSnapshot] | None,
) -> str:
    """What Ctrl-C leaves: the outputs that may be incomplete, and only the work the
    command kept in the cache folder for the next run (trial 41: "the embeddings computed
    so far are cached" after ``check``, which embeds nothing, and after the TF-IDF coder,
    which keeps nothing).

    Examples
    --------
    >>> print(interrupted_note("check", None, None))
    copanalysis: interrupted. check writes nothing and keeps nothing: run it again.
    """
    if command == "check":
        return "copanalysis: interrupted. check writes nothing and keeps nothing: run it again."
    left = f" {out} may be incomplete." if out is not None else ""
    if cache is None:
        return f"copanalysis: interrupted.{left} Run the same command again."
    from copanalysis.io.cache_contents import kept_since

    folder, before = cache
    kept = kept_since(before, folder)
    if not kept:
        return (
            f"copanalysis: interrupted.{left} Run the same command again; nothing it "
            "computed was kept, so it starts over."
        )
    named = kept[0] if len(kept) == 1 else f"{', '.join(kept[:-1])} and {kept[-1]}"
    return (
        f"copanalysis: interrupted.{left} Run the same command again: the {named} made so "
        f"far are kept in {folder} and are not made again; the rest starts over."
    )


@contextlib.contextmanager
def _cluster(args: argparse.Namespace) -> Iterator[int | None]:
    """``run --scheduler/--workers``: code on a Dask cluster for the whole run (yields
    None), or the usage status when Dask is not installed (the message names the extra)."""
    if args.scheduler is None and args.workers is None:
        yield None
        return
    from copanalysis.coding.distributed import require_dask, use_cluster
    from copanalysis.errors import MissingExtraError

    try:
        require_dask("copanalysis run --scheduler/--workers")
    except MissingExtraError as exc:
        print(f"copanalysis: error: {exc}", file=sys.stderr)
        yield USAGE
        return
    if args.workers is not None and args.workers < 1:
        print(
            f"copanalysis: error: --workers must be 1 or more, got {args.workers}", file=sys.stderr
        )
        yield USAGE
        return
    cluster = use_cluster(
        scheduler=args.scheduler, workers=args.workers, progress=not args.no_progress
    )
    with cluster as client:
        print(f"Coding on the Dask cluster at {client.scheduler.address}")
        yield None


def default_out(study_dir: Path) -> Path:
    """Where ``run`` writes by default: ``data/raw`` -> ``data/processed``, else beside it.

    Examples
    --------
    >>> default_out(Path("data/raw")).as_posix(), default_out(Path("surveys/2025")).as_posix()
    ('data/processed', 'surveys/2025-processed')
    """
    if study_dir.name == "raw":
        return study_dir.parent / "processed"
    return study_dir.parent / f"{study_dir.name}-processed"


def run_check(
    study_dir: Path,
    *,
    every_row: bool = False,
    dayfirst: bool | None = None,
    mapping: Path | None = None,
    review: Path | None = None,
    reviewer: str | None = None,
) -> int:
    """Print how every file of ``study_dir`` (and the ``review`` sheet named) loads, with
    ``every_row`` every row each note is about; return the exit status (0, 1 or 3)."""
    from copanalysis.io import check_study

    checked = check_study(
        study_dir, dayfirst=dayfirst, mapping=mapping, review=review, reviewer=reviewer
    )
    print(format_check(checked, every_row=every_row))
    if checked.failed:
        return BAD_INPUT
    return NEEDS_A_LOOK if checked.attention else OK


def run_import_refi(
    project: Path,
    study_dir: Path,
    *,
    force: bool = False,
    codes_only: bool = False,
    progress: bool = True,
) -> int:
    """Write ``project`` as ``study_dir``'s stories and human codes (with ``codes_only``,
    the codes of documents that are copies of its stories onto those stories); print what
    was written, the copies of its stories written as stories again, and the next command;
    return the exit status (0)."""
    import warnings

    from copanalysis.io import import_refi

    try:
        before = _stories_there(study_dir, project, progress)
    except CopanalysisError:
        if codes_only:  # asked for: the study's stories must load
            raise
        before = None  # only to warn of copies: the import goes on
    with warnings.catch_warnings():  # said below, once each, as the other commands say them
        warnings.simplefilter("ignore", UserWarning)
        done = import_refi(
            project,
            study_dir,
            force=force,
            progress=progress,
            onto=before if codes_only else None,
        )
    for said in done.warnings:
        print(f"copanalysis: warning: {said}", file=sys.stderr)
    if done.stories_file is not None:
        print(f"Wrote {done.stories_file}: {done.stories} stories (the project's text sources)")
    if done.onto:
        print(
            f"{len(done.onto)} of the project's documents are copies of stories in "
            f"{study_dir / 'stories'}: their codes are written onto those stories"
        )
    if done.gold_file is None:
        print(f"No human codes: {project} holds no coded selection of a text source by a person")
    else:
        coders = ", ".join(done.coders)
        print(
            f"Wrote {done.gold_file}: {done.codes} codes by {len(done.coders)} "
            f"coder{'s' if len(done.coders) != 1 else ''} ({coders})"
        )
    if not codes_only and before is not None and done.stories_file is not None:
        _warn_copies(project, study_dir, before)
    print(f"Next: copanalysis check {study_dir}")
    return OK


def _stories_there(study_dir: Path, project: Path, progress: bool) -> pd.DataFrame | None:
    """The stories already in ``study_dir``, read as ``check`` and ``run`` read them, but an
    earlier import's of ``project`` (None: no other story file)."""
    import warnings

    folder = study_dir / "stories"
    own = f"{project.stem}.csv"
    if not folder.is_dir() or not any(p.name != own for p in folder.iterdir() if p.is_file()):
        return None
    from copanalysis.io import load_corpus

    with warnings.catch_warnings():  # the load report's business, not the import's
        warnings.simplefilter("ignore", UserWarning)
        stories = load_corpus(study_dir, progress=progress).stories  # as check and run read them
    return stories[~stories["source"].astype(str).str.startswith(f"{own}:")]


def _warn_copies(project: Path, study_dir: Path, before: pd.DataFrame) -> None:
    """Warn when the project's documents just written as stories are copies of stories
    already there (trial 42: 15 Word forms, coded in ATLAS.ti, counted twice)."""
    import warnings

    from copanalysis.io.refi import read_refi
    from copanalysis.io.refi_study import copies_of

    with warnings.catch_warnings():  # the import printed them
        warnings.simplefilter("ignore", UserWarning)
        copies = copies_of(read_refi(project, progress=False), before)
    if copies:
        first, story = next(iter(copies.items()))
        print(
            f"copanalysis: warning: {len(copies)} of the project's documents are copies of "
            f"stories already in {study_dir / 'stories'} ({first!r} of {story!r}, ...): "
            "each is now there twice, and counted twice. To write their codes onto those "
            f"stories instead: copanalysis import-refi {project} {study_dir} --codes-only "
            "--force",
            file=sys.stderr,
        )


def format_check(checked: StudyCheck, *, every_row: bool = False) -> str:
    """The text ``copanalysis check`` prints: each file's load report (with ``every_row``,
    ``check --all``, every row each note is about), then a summary."""
    from copanalysis.io import format_load_report

    lines: list[str] = []
    folder = None
    for file in checked.files:
        if file.folder != folder:
            folder = file.folder
            lines.append(f"\n== {folder}/")
        if file.report is not None:
            lines.append(format_load_report(file.report, every_row=every_row))
            lines.extend(f"  ! {item}" for item in file.attention)
        elif file.not_read is not None:
            lines.append(f"  ! {file.not_read}")
        else:
            lines.append(f"  x {file.error}")
    loaded = sum(f.loaded for f in checked.files)
    passed = sum(f.not_read is not None for f in checked.files)
    lines.append(
        f"\n{loaded} file(s) loaded, {len(checked.attention)} need a look"
        + (f" ({passed} not read)" if passed else "")
        + f", {len(checked.failed)} could not be read."
    )
    for kind, files in (("need a look", checked.attention), ("could not be read", checked.failed)):
        if files:
            named = [f"{f.folder}/{f.path.name}" for f in files[:_NAMED_AT_MOST]]
            more = len(files) - len(named)
            lines.append(f"  {kind}: {', '.join(named)}" + (f" and {more} more" if more else ""))
    if not checked.failed and not checked.attention:
        lines.append(f"Ready: copanalysis run {checked.path}")
    return "\n".join(lines).lstrip("\n")


#: Files the summary of ``check`` names, of those that need a look or could not be read.
_NAMED_AT_MOST = 10


def run_report(
    study_dir: Path,
    out: Path,
    *,
    title: str | None = None,
    coder: str = "best",
    min_confidence: float = 0.0,
    skip_unreadable: bool = False,
    dayfirst: bool | None = None,
    mapping: Path | None = None,
    review: Path | None = None,
    reviewer: str | None = None,
    by: Sequence[str] = (),
    codes: Path | None = None,
    progress: bool = True,
) -> Path:
    """Load ``study_dir``, analyse it and write one self-contained HTML report to ``out``;
    with ``codes``, a codes file, those codes instead of coding again."""
    from copanalysis.io import write_report
    from copanalysis.report import DEFAULT_TITLE, build_report, report_figures

    corpus = _load(study_dir, skip_unreadable, dayfirst, mapping, progress, review, reviewer)
    _print_reviews(corpus)
    _print_warnings(corpus)
    findings = _analysed(corpus, coder, min_confidence, by, progress, _given(codes, corpus))
    figures = report_figures(findings)
    path = write_report(build_report(findings, figures, title=title or DEFAULT_TITLE), out)
    print(f"wrote {path}")
    return path


def run_review_sheet(
    study_dir: Path,
    out: Path,
    *,
    coder: str = "best",
    min_confidence: float = 0.0,
    skip_unreadable: bool = False,
    dayfirst: bool | None = None,
    mapping: Path | None = None,
    review: Path | None = None,
    reviewer: str | None = None,
    progress: bool = True,
) -> Path:
    """Load and code ``study_dir`` as ``run`` does and write the machine's value-cycle codes
    (:func:`~copanalysis.study.review_codes`) as a review sheet to ``out``; print what it
    holds and how to read it back."""
    from copanalysis.io import export_for_review
    from copanalysis.study import review_codes

    corpus = _load(study_dir, skip_unreadable, dayfirst, mapping, progress, review, reviewer)
    _print_reviews(corpus)
    _print_warnings(corpus)
    findings = _analysed(corpus, coder, min_confidence, (), progress)
    codes = review_codes(findings)
    path = export_for_review(codes, corpus.stories, out)
    stories = codes["doc_id"].nunique()
    if codes.attrs["only_uncoded"]:
        scope = " nobody coded in gold/"
    elif codes.attrs["human_coded"]:
        scope = " (every story has human codes in gold/)"
    else:
        scope = ""
    print(
        f"Wrote {path}: {len(codes)} value-cycle codes in {stories} "
        f"{'story' if stories == 1 else 'stories'}{scope}, least confident first; "
        f"value cycles by {findings.coder}."
    )
    gold = study_dir / "gold"
    print(
        "Fill in 'decision' (accept, reject, or other with the code in 'other_code'), then "
        f"save the sheet in {gold}{os.sep} under the reviewer's name ({gold / 'Dina'}"
        f"{path.suffix}), or name it with --review {path} --reviewer Dina: check, run and "
        "report read it as Dina's codes, scored and trained on (in Python: "
        f"copanalysis.import_review({str(path)!r}, reviewer=NAME))"
    )
    return path


def _print_loaded(study_dir: Path, corpus: Corpus) -> None:
    from copanalysis.io import format_load_report

    print(f"Loaded {study_dir}:")
    for name, frame in corpus.frames().items():
        print(f"  {name:<8} {len(frame):>5} rows")
    for name, frame in corpus.frames().items():
        report = frame.attrs.get("load_report")
        if report:
            print(f"\n== {name}\n{format_load_report(report)}")
    _print_warnings(corpus)


def _load(
    study_dir: Path,
    skip_unreadable: bool,
    dayfirst: bool | None,
    mapping: Path | None,
    progress: bool,
    review: Path | None = None,
    reviewer: str | None = None,
) -> Corpus:
    """The study folder's corpus, loaded as every command that codes it loads it."""
    from copanalysis.io import load_corpus

    return load_corpus(
        study_dir,
        skip_unreadable=skip_unreadable,
        progress=progress,
        dayfirst=dayfirst,
        mapping=mapping,
        review=review,
        reviewer=reviewer,
    )


def _print_reviews(corpus: Corpus) -> None:
    """Say what each filled review sheet in ``gold/`` gave (``run`` prints it in the load
    report): whose codes, how many rows accepted, corrected, rejected and undecided."""
    for entry in (corpus.gold.attrs.get("load_report") or {}).get("files", []):
        if entry.get("review"):
            print(f"Read {entry['path']}: {entry['notes'][0]}.")
            for said in entry["notes"][1:]:
                print(f"  {said}.")


def _print_llm_losses(findings: Findings) -> None:
    """What the language model's run lost (units left uncoded, codes dropped), on stderr."""
    from copanalysis.coding.llm import what_was_dropped

    llm = findings.tables.get("llm")
    if llm is not None and not llm.empty:
        dropped = what_was_dropped({str(k): v for k, v in llm.iloc[0].items()})
        if dropped:
            print(f"copanalysis: warning: the language model: {dropped}", file=sys.stderr)


def _print_warnings(corpus: Corpus) -> None:
    """The loading's warnings, on stderr: folders not read, dates read month-first by
    assumption, files left out."""
    _print_unknown_folders(corpus)
    _print_assumed_dates(corpus)
    _print_unreadable(corpus)


def _given(path: Path | None, corpus: Corpus) -> pd.DataFrame | None:
    """The codes of ``--codes``, read through :func:`~copanalysis.io.load_codes` (None
    when not given)."""
    if path is None:
        return None
    from copanalysis.io import load_codes

    return load_codes(path, stories=corpus.stories)


def _analysed(
    corpus: Corpus,
    coder: str,
    min_confidence: float,
    by: Sequence[str],
    progress: bool,
    codes: pd.DataFrame | None = None,
) -> Findings:
    """:func:`~copanalysis.study.analyse`, saying (when no progress bar does) that choosing
    the coder takes minutes, how long scoring each coder took, and what the language
    model's run lost."""
    import warnings

    from copanalysis.study import analyse

    if codes is None:
        _print_choosing(corpus, coder, progress)
    with warnings.catch_warnings():  # said once below, for the whole run, not per batch
        warnings.filterwarnings("ignore", message=r"LLMCoder \(", category=UserWarning)
        findings = analyse(
            corpus,
            coder=coder,  # type: ignore[arg-type]
            min_confidence=min_confidence,
            by=by,
            progress=progress,
            codes=codes,
        )
    _print_timing(findings, progress)
    _print_llm_losses(findings)
    return findings


def _check_groups(corpus: Corpus, by: Sequence[str]) -> None:
    """Stop on a ``--by`` column the stories do not have, naming those they have."""
    from copanalysis.analysis.groups import with_group

    for column in by:
        with_group(corpus.stories, column)


def _print_timing(findings: Findings, progress: bool) -> None:
    """Say, on stderr, how long scoring each coder took, when no progress bars said it."""
    from copanalysis.study import timing_note

    evaluation = findings.tables.get("evaluation")
    if not progress and evaluation is not None and evaluation.attrs.get("seconds"):
        print(timing_note(evaluation.attrs["seconds"]), file=sys.stderr)


def _print_choosing(corpus: Corpus, coder: str, progress: bool) -> None:
    """Say, on stderr, that choosing the coder takes minutes, when the progress bars (which
    say it otherwise) are hidden: a quiet run was silent for minutes (trial 19)."""
    from copanalysis.study import choosing_note

    note = None if progress else choosing_note(corpus, coder)  # type: ignore[arg-type]
    if note is not None:
        print(f"copanalysis: {note}", file=sys.stderr, flush=True)


def _print_unknown_folders(corpus: Corpus) -> None:
    """Warn, on stderr, of each sub-folder of the study that was not read."""
    from copanalysis.io.corpus import unknown_folder_note

    for folder in corpus.unknown_folders:
        print(f"copanalysis: warning: {unknown_folder_note(folder)}", file=sys.stderr)


def _print_assumed_dates(corpus: Corpus) -> None:
    """Warn, on stderr, of each date column read month-first by assumption."""
    from copanalysis.io.provenance import assumed_dates

    for frame in corpus.frames().values():
        for entry in (frame.attrs.get("load_report") or {}).get("files", []):
            for said in assumed_dates(entry):
                print(f"copanalysis: warning: {entry.get('path')}: {said}", file=sys.stderr)


def _print_unreadable(corpus: Corpus) -> None:
    """Say, last and on stderr, how many files ``--skip-unreadable`` left out and which."""
    left = [
        u["path"]
        for frame in corpus.frames().values()
        for u in (frame.attrs.get("load_report") or {}).get("unreadable", [])
    ]
    if left:
        print(
            f"copanalysis: warning: {len(left)} file(s) could not be read and were left out "
            f"(--skip-unreadable): {', '.join(left)}",
            file=sys.stderr,
        )


def run_study(
    study_dir: Path,
    out: Path,
    *,
    coder: str = "best",
    min_confidence: float = 0.0,
    name: str | None = None,
    skip_unreadable: bool = False,
    dayfirst: bool | None = None,
    mapping: Path | None = None,
    review: Path | None = None,
    reviewer: str | None = None,
    by: Sequence[str] = (),
    codes: Path | None = None,
    title: str | None = None,
    progress: bool = True,
) -> None:
    """The main job on a study folder: load, code, summarise, chart, report, export; with
    ``codes``, a codes file, those codes instead of coding again.

    Writes, through :mod:`copanalysis.io`, the frames (Parquet), every table behind a chart
    (``tables/*.csv``), the charts (``figures/*.png`` and ``.svg``), ``report.html`` and
    ``project.qdpx`` (the stories with the human and machine value-cycle codes, and the
    people's own codes of them, :func:`~copanalysis.study.project_contents`; the
    machine's out-of-fold codes on the stories the main human coder coded,
    :func:`~copanalysis.study.project_codes`).
    """
    import matplotlib.pyplot as plt

    from copanalysis.io import (
        save_figure,
        save_frame,
        save_table,
        write_qdpx,
        write_report,
    )
    from copanalysis.report import DEFAULT_TITLE, build_report, report_figures
    from copanalysis.study import project_contents, project_note

    corpus = _load(study_dir, skip_unreadable, dayfirst, mapping, progress, review, reviewer)
    _print_loaded(study_dir, corpus)
    _check_groups(corpus, by)  # before anything is written
    given = _given(codes, corpus)  # before anything is written, too
    for frame_name, frame in corpus.frames().items():
        save_frame(frame, out / f"{frame_name}.parquet")

    findings = _analysed(corpus, coder, min_confidence, by, progress, given)
    save_frame(findings.codes, out / "codes.parquet")
    for table_name, table in findings.tables.items():
        save_table(table, out / "tables" / f"{table_name}.csv")
    if len(findings.codes_for("value_cycles")):
        print(f"\nCoded {len(findings.codes)} spans; value cycles by {findings.coder}.")
    else:
        print(f"\nCoded {len(findings.codes)} spans; no story to code with the value cycles.")

    figures = report_figures(findings)
    figures_dir = out / "figures"
    for figure_name, figure in figures.items():
        save_figure(figure, figures_dir / figure_name, formats=("png", "svg"))
    print(f"Wrote {len(figures)} figures to {figures_dir}/ (PNG and SVG).")

    report_path = write_report(
        build_report(findings, figures, title=title or DEFAULT_TITLE), out / "report.html"
    )
    for figure in figures.values():
        plt.close(figure)
    print(f"Wrote {report_path}")

    # trial 29: a QDA tool compares the two users as independent coders, so the name says
    # whose codes the machine learned from; trial 33: on those stories it carries the
    # out-of-fold codes (kappa 0.99 in NVivo with the in-sample ones, 0.78 out of fold);
    # trial 43: the people's own codes go too
    books, exchanged = project_contents(findings)
    project = write_qdpx(
        out / "project.qdpx",
        codebook=books,
        stories=corpus.stories,
        codes=exchanged,
        name=name or study_dir.resolve().name,
        progress=progress,
        description=project_note(findings),
    )
    coders = ", ".join(sorted(set(exchanged["coder"])))
    held = f"stories with the codes of {coders}" if coders else "stories, not coded"
    for own in books[1:]:  # the people's own codes, no built-in code (trial 43)
        n = len(own.codes)
        held += f" ({n} code{'s' if n != 1 else ''} of their own, as {own.name!r})"
    print(f"Wrote {project}: {held}, for NVivo, ATLAS.ti, MAXQDA or QualCoder")
