"""Fuzzing every loader: a valid frame or a CopanalysisError naming the file, nothing else.

Each loader gets random bytes, random CSV structures (quoting, delimiters, encodings,
byte-order marks, ragged rows, huge fields), random DOCX and XLSX files built with
python-docx and openpyxl, random worksheets as text, and (for :func:`read_refi`) random
REFI-QDA XML, bare or zipped. Every call must return a frame that meets its contract or
raise a :class:`~copanalysis.errors.CopanalysisError` whose message names the file; it
must never raise anything else, never open a file for writing, and finish within the
deadline of the Hypothesis profile (``tests/conftest.py``: 2,000 examples per loader in
``make test``, 10,000 with ``HYPOTHESIS_PROFILE=fuzz-long``, which CI runs).
"""

from __future__ import annotations

import codecs
import io
import os
import sys
import tempfile
import warnings
import zipfile
from collections.abc import Callable
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from copanalysis.errors import CopanalysisError
from copanalysis.io import load_codes, load_grid, load_lists, load_roles, load_stories, read_refi
from copanalysis.schema import validate

# --- never writes: every open for writing, removal or rename while a loader runs is recorded


@dataclass
class _Watch:
    active: bool = False
    writes: list[str] | None = None


_WATCH = _Watch()
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not _WATCH.active or _WATCH.writes is None:
        return
    if event == "open":
        path, mode, flags = (list(args) + [None, None, None])[:3]
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            mode is None and isinstance(flags, int) and flags & _WRITE_FLAGS
        )
        if writing:
            _WATCH.writes.append(f"open {path!r} {mode or flags}")
    elif event in ("os.remove", "os.rename", "os.replace", "os.mkdir", "shutil.rmtree"):
        _WATCH.writes.append(f"{event} {args[0]!r}")


sys.addaudithook(_audit)


@contextmanager
def _no_writes():
    _WATCH.writes, _WATCH.active = [], True
    try:
        yield _WATCH.writes
    finally:
        _WATCH.active = False


# --- what goes into the files

PROMPTS = [
    "Community/date",
    "Member/role",
    "What meaningful activities did you participate in?",
    "What specific insights did you gain?",
    "How did this influence your practice?",
    "How did this contribute to your personal/professional development?",
    "How did this contribute to the goal of the organization?",
    "Story",
    "Timestamp",
    "Date of the activity (dd/mm/yyyy)",
    "Name of your community / network",
    "Your role in the community",
    "Respondent ID",
    "Enablers",
    "Challenges",
    "Kind",
    "Text",
    "Roles",
    "Type of member",
    "Purpose",
    "Typical actions",
    "Support",
    "Short-term value to members",
    "Long-term value to organization",
    "Beneficiary",
    "Horizon",
    "doc_id",
    "field",
    "start",
    "end",
    "code",
    "codebook",
    "coder",
    "polarity",
    "confidence",
]
FURNITURE = ["© 2007, Etienne Wenger", "Page 2 of 3", "- 4 -", "---", "\f", "# Story 2"]
VALUES = [
    "2025/01/10 10:10:00",
    "31/01/2025",
    "01/31/2025",
    "[not completed]",
    "enabler",
    "challenge",
    "members",
    "long",
    "Coordination; Networking",
    "Core member",
    "value_cycles",
    "applied",
    "-1",
    "0.5",
    "1e308",
    "NaN",
]
text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(PROMPTS),
    st.sampled_from(VALUES),
    st.sampled_from(FURNITURE),
    st.text(alphabet=st.sampled_from(",;\t|\"'\r\n :#-*©"), max_size=12),
)
SUFFIXES = [".csv", ".tsv", ".txt", ".md", ".json", ".jsonl", ".xlsx", ".docx", ".qdpx", ".qdc"]


@dataclass(frozen=True)
class Input:
    """A file to write: its name and bytes (shown by Hypothesis when an example fails)."""

    name: str
    data: bytes


@st.composite
def random_bytes(draw) -> Input:
    """Any bytes, under any name a loader might be given, sometimes behind a text BOM."""
    data = draw(st.binary(max_size=2048))
    head = draw(st.sampled_from([b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b"PK\x03\x04"]))
    return Input(f"input{draw(st.sampled_from(SUFFIXES))}", head + data)


def _quote(cell: str, *, delimiter: str, style: str) -> str:
    if style == "all" or (style == "minimal" and any(c in cell for c in f'{delimiter}"\r\n')):
        return '"' + cell.replace('"', '""') + '"'
    if style == "broken":
        return '"' + cell  # a quote that never closes
    return cell


@st.composite
def random_csv(draw) -> Input:
    """Delimited text: any delimiter, quoting, encoding, BOM, line ending; ragged rows and
    huge fields; under a table suffix or as ``.txt``."""
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    width = draw(st.integers(1, 8))
    header = draw(st.lists(text, min_size=width, max_size=width))
    rows = draw(
        st.lists(
            st.lists(text, min_size=0, max_size=width + 2),  # ragged: short and long rows
            max_size=12,
        )
    )
    if draw(st.booleans()) and rows:
        size = draw(st.sampled_from([40_000, 140_000, 600_000]))
        rows[0] = [*rows[0], "x" * size]  # a huge field (past csv's 131,072 limit or not)
    styles = st.sampled_from(["minimal", "all", "none", "broken"])
    newline = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    lines = [
        delimiter.join(_quote(c, delimiter=delimiter, style=draw(styles)) for c in record)
        for record in [header, *rows]
    ]
    body = newline.join(lines) + draw(st.sampled_from(["", newline]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]))
    data = body.encode(encoding, errors="replace")
    suffix = draw(st.sampled_from([".csv", ".tsv", ".txt"]))
    return Input(f"export{suffix}", data)


@st.composite
def random_docx(draw) -> Input:
    """A Word document built with python-docx: paragraphs, headings, tables, page breaks."""
    document = docx.Document()
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(["paragraph", "heading", "table", "break"]))
        line = draw(text).replace("\x00", "")
        line = "".join(c for c in line if c in "\t\n" or ord(c) >= 32)  # XML-safe
        if kind == "heading":
            document.add_heading(line, level=draw(st.integers(0, 3)))
        elif kind == "table":
            rows, cols = draw(st.integers(1, 4)), draw(st.integers(1, 4))
            table = document.add_table(rows=rows, cols=cols)
            for cell in (c for row in table.rows for c in row.cells):
                cell.text = "".join(c for c in draw(text) if c in "\t\n" or ord(c) >= 32)
                if draw(st.booleans()):
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
        elif kind == "break":
            document.add_page_break()
        else:
            document.add_paragraph(line)
    if draw(st.booleans()):
        document.sections[0].footer.paragraphs[0].text = "© 2007, Etienne Wenger"
    buffer = io.BytesIO()
    document.save(buffer)
    return Input("worksheet.docx", buffer.getvalue())


@st.composite
def random_xlsx(draw) -> Input:
    """A workbook built with openpyxl: sheets of text, numbers, dates, blanks, anywhere."""
    import datetime as dt

    book = openpyxl.Workbook()
    book.remove(book.active)
    cell = st.one_of(
        text.map(lambda t: "".join(c for c in t if c in "\t\n" or ord(c) >= 32)),
        st.integers(-(10**12), 10**12),
        st.floats(allow_nan=False, allow_infinity=False),
        st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
        st.none(),
        st.booleans(),
    )
    for n in range(draw(st.integers(1, 3))):
        sheet = book.create_sheet(f"Sheet {n}")
        offset = draw(st.integers(0, 3))
        for r, row in enumerate(draw(st.lists(st.lists(cell, max_size=8), max_size=10))):
            for c, value in enumerate(row):
                sheet.cell(row=r + 1 + offset, column=c + 1 + offset, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return Input("export.xlsx", buffer.getvalue())


@st.composite
def random_worksheet(draw) -> Input:
    """A worksheet or list as Markdown or text: prompts, answers, bullets, furniture."""
    lines = draw(
        st.lists(
            st.one_of(
                text,
                st.builds(lambda p, a: f"{p}: {a}", st.sampled_from(PROMPTS), text),
                st.builds(lambda b, t: f"{b} {t}", st.sampled_from(["-", "*", "1.", "##"]), text),
            ),
            max_size=30,
        )
    )
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "cp1252"]))
    suffix = draw(st.sampled_from([".md", ".txt"]))
    return Input(f"worksheet{suffix}", "\n".join(lines).encode(encoding, errors="replace"))


REFI_NAMES = ["Project", "CodeBook", "Codes", "Code", "Sources", "TextSource", "Users", "User"]
REFI_NAMES += ["PlainTextContent", "PlainTextSelection", "Coding", "CodeRef", "Variables"]
REFI_NAMES += ["Variable", "Cases", "Case", "SourceRef", "VariableValue", "Description", "Sets"]
REFI_ATTRIBUTES = ["guid", "name", "isCodable", "startPosition", "endPosition", "targetGUID"]
REFI_ATTRIBUTES += ["creatingUser", "plainTextPath", "origin", "parent", "color", "typeOfVariable"]
GUIDS = ["4f0b2d2e-8d6f-4f7e-9a55-0c1b7b1f2a01", "{4F0B2D2E-8D6F-4F7E-9A55-0C1B7B1F2A02}", ""]


def _xml_text(value: str) -> str:
    value = "".join(c for c in value if c in "\t\n\r" or ord(c) >= 32)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


_REFI_ELEMENTS = st.lists(
    st.tuples(
        st.integers(0, 4),  # depth below the root
        st.sampled_from(REFI_NAMES),
        st.dictionaries(
            st.sampled_from(REFI_ATTRIBUTES),
            st.one_of(st.sampled_from(GUIDS), st.integers(-5, 10**6).map(str), text),
            max_size=3,
        ),
        text,
    ),
    max_size=16,
)


def _nest(elements: list[tuple[int, str, dict[str, str], str]]) -> str:
    """Elements in document order, each at its depth, as XML (closing what must close)."""
    out: list[str] = []
    open_names: list[str] = []
    for depth, name, attributes, body in elements:
        while len(open_names) > depth:
            out.append(f"</{open_names.pop()}>")
        attrs = "".join(f' {k}="{_xml_text(v)}"' for k, v in attributes.items())
        out.append(f"<{name}{attrs}>{_xml_text(body)}")
        open_names.append(name)
    out.extend(f"</{name}>" for name in reversed(open_names))
    return "".join(out)


@st.composite
def random_refi(draw) -> Input:
    """REFI-QDA XML from its element names: a bare .qde/.qdc, or a .qdpx archive."""
    namespace = draw(
        st.sampled_from(
            ["urn:QDA-XML:project:1.0", "urn:QDA-XML:codebook:1.0", "urn:QDA-XML:codebook:1:0", ""]
        )
    )
    root = draw(st.sampled_from(["Project", "CodeBook", "Codes"]))
    inner = _nest(draw(_REFI_ELEMENTS))
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    prolog = draw(st.sampled_from(['<?xml version="1.0" encoding="utf-8"?>', "", "<!DOCTYPE x>"]))
    xml = f'{prolog}<{root}{xmlns} origin="fuzz">{inner}</{root}>'.encode()
    if draw(st.booleans()):
        return Input(draw(st.sampled_from(["project.qde", "codes.qdc"])), xml)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(draw(st.sampled_from(["project.qde", "other.qde", "p.txt"])), xml)
        for n in range(draw(st.integers(0, 2))):
            archive.writestr(f"sources/{GUIDS[0]}.txt", draw(text).encode("utf-8", "replace"))
            if n and draw(st.booleans()):
                archive.writestr("../escape.txt", b"zip slip")
    return Input("project.qdpx", buffer.getvalue())


TABLES = st.one_of(random_bytes(), random_csv(), random_xlsx(), random_docx(), random_worksheet())


# --- the property


def _frames(result: Any) -> list[tuple[pd.DataFrame, str]]:
    if isinstance(result, pd.DataFrame):
        return [(result, str(result.attrs.get("frame")))]
    return [(result.stories, "stories"), (result.codes, "codes")]  # a RefiProject


def _check(loads: list[Callable[[Path], Any]], example: Input) -> None:
    """Write ``example`` to a fresh folder and give it to each loader in turn."""
    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
        path = Path(folder, example.name)
        path.write_bytes(example.data)
        for load in loads:
            with _no_writes() as writes, warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    result = load(path)
                except CopanalysisError as exc:
                    assert example.name in str(exc), f"the error does not name the file: {exc}"
                    result = None
            assert writes == [], f"the loader wrote: {writes}"
            assert sorted(p.name for p in Path(folder).iterdir()) == [example.name]
            assert path.read_bytes() == example.data
            for frame, name in _frames(result) if result is not None else []:
                validate(frame.copy(), name)  # a valid frame of its kind


#: The loaders of one row per respondent, fed the same files: each gets every example.
TABLE_LOADERS: dict[str, Callable[[Path], Any]] = {
    "load_stories": lambda p: load_stories(p, progress=False),
    "load_lists": load_lists,
    "load_roles": load_roles,
    "load_grid": load_grid,
    "load_codes": load_codes,
}


@pytest.fixture(scope="module", autouse=True)
def _warm_up(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Import and read once what the loaders load lazily (python-docx, openpyxl, spaCy's
    stop-word lists for the language notes ...), so no example is timed for it: run alone,
    the first DOCX example took 9.6 s against the 5 s deadline."""
    import python_calamine  # noqa: F401
    import rapidfuzz  # noqa: F401
    import tqdm.auto  # noqa: F401

    folder = tmp_path_factory.mktemp("warm")
    document = docx.Document()
    document.add_paragraph("What specific insights did you gain? Nous avons appris.")
    document.add_table(rows=1, cols=2).cell(0, 0).text = "Networking"
    document.save(folder / "worksheet.docx")
    (folder / "table.csv").write_text("ID,Insights\n1,We learned\n", encoding="utf-8")
    for name in ("worksheet.docx", "table.csv"):
        for load in TABLE_LOADERS.values():
            with suppress(CopanalysisError):
                load(folder / name)


# each strategy as often as it is cheap: the CSV and text ones explore the most structure
TABLE_INPUTS = st.one_of(
    random_bytes(), random_csv(), random_csv(), random_worksheet(), random_xlsx(), random_docx()
)


@given(example=TABLE_INPUTS)
# Inputs CI's long profile once found too slow, kept so every run times them again:
# a CSV with no header row whose first cell is 40,000 characters without a question mark
# (20 s for the five loaders: survey headers were split into questions by a regex that
# rescanned the rest of the header from every position)
@example(Input("export.csv", b"\r\n" + b"x" * 40_000 + b"\r\n;"))
# a Markdown heading line with a long run of spaces in its title (minutes: the heading regex
# retried the closing-hashes part from each character, rescanning the spaces each time)
@example(Input("worksheet.md", b"## Story" + b" " * 1_000 + b"We met\n"))
# a roles cell with a long run of spaces between two roles (11 s: the split and tick-mark
# patterns, which start with spaces, were tried from each space and rescanned the run)
@example(
    Input(
        "export.csv",
        b"Respondent,Roles,Type of member,Purpose\n"
        b"Aisha,Networking" + b" " * 10_000 + b"Expertise,Core member,Why\n",
    )
)
# a transcript line with a long run of spaces (10 s: the time-mark and aside patterns, which
# start with spaces, were tried from each space and rescanned the run)
@example(Input("worksheet.txt", b"Story\nWe met" + b" " * 12_000 + b"again\n"))
# a worksheet line of 100,000 question marks (10 s: each one was tried as the end of a
# prompt, copying the rest of the line)
@example(Input("worksheet.txt", b"Story\n" + b"?" * 100_000 + b"\n"))
# a header with a long run of spaces (14 s for the five loaders: the patterns that take
# " - Selected Choice" and " - Other - Text" off a header, which start with spaces, were
# tried from each space and rescanned the run)
@example(Input("export.csv", b"Story" + b" " * 20_000 + b"told,Enablers\nWe met,Time\n"))
# a header of one question asking "how has ... helped your ..." 4,000 times (12 s a loader
# at 100,000 characters: the prompt wordings read by meaning, whose patterns hold two ".*",
# were tried on the whole header)
@example(Input("export.csv", b"Story,how has " + b"helped your " * 4_000 + b"goal\nWe met,x\n"))
# and "how has " 12,000 times (4 s: whether it asks how something helped someone was looked
# for from each "how has" to the end of the header)
@example(Input("export.csv", b"Story,Enablers " + b"how has " * 12_000 + b"\nWe met,x\n"))
def test_table_loaders_return_a_valid_frame_or_a_named_error(example: Input) -> None:
    """load_stories, load_lists, load_roles, load_grid and load_codes on the same file."""
    _check(list(TABLE_LOADERS.values()), example)


@given(example=st.one_of(random_refi(), random_refi(), random_bytes()))
def test_read_refi_returns_valid_frames_or_a_named_error(example: Input) -> None:
    _check([lambda p: read_refi(p, progress=False)], example)
