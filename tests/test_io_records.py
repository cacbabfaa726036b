"""The loaders' shared steps: file loop, column matching, skipping, load-report entries."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from copanalysis.errors import FileFormatError
from copanalysis.io.fields import LIST_WORDING, ColumnMatch
from copanalysis.io.records import (
    document_entry,
    match_table,
    read_records,
    records_frame,
    skip_docx_table,
    skip_row,
    table_entry,
)
from copanalysis.io.tables import Table


def _workbook(path: Path) -> None:
    book = openpyxl.Workbook()
    first = book.active
    first.title = "North"
    first.append(["Story"])
    first.append(["We met."])
    second = book.create_sheet("South")
    second.append(["Story"])
    second.append(["We wrote."])
    second.append(["We read."])
    book.save(path)


def test_read_records_sends_each_sheet_to_from_table_and_other_files_to_from_document(
    tmp_path,
):
    _workbook(tmp_path / "a.xlsx")
    (tmp_path / "b.md").write_text("# Story\n", encoding="utf-8")
    seen: list[str] = []

    def from_table(table: Table):
        seen.append(table.label)
        return [{"text": cells[0]} for _, cells in table.rows], {"sheet": table.sheet}

    def from_document(path: Path):
        seen.append(path.name)
        return [{"text": "doc"}], {"path": path.name}

    files = [tmp_path / "a.xlsx", tmp_path / "b.md"]
    records, entries = read_records(files, from_table=from_table, from_document=from_document)
    assert seen == ["a.xlsx:North", "a.xlsx:South", "b.md"]
    assert [r["text"] for r in records] == ["We met.", "We wrote.", "We read.", "doc"]
    assert entries == [{"sheet": "North"}, {"sheet": "South"}, {"path": "b.md"}]

    records, entries = read_records(
        files[:1], from_table=from_table, from_document=from_document, sheet="South"
    )
    assert [r["text"] for r in records] == ["We wrote.", "We read."]
    assert entries == [{"sheet": "South"}]


def test_records_frame_puts_the_frame_columns_first_then_extra_keys_in_order():
    frame = records_frame(
        [{"text": "a", "Email": "x"}, {"Team": "t", "text": "b", "Email": "y"}], ["id", "text"]
    )
    assert frame.columns.tolist() == ["id", "text", "Email", "Team"]
    assert frame["text"].tolist() == ["a", "b"]
    assert frame["Team"].isna().tolist() == [True, False]
    assert frame["id"].isna().all()


def test_match_table_gives_the_position_of_each_field_and_kept_column():
    table = Table(
        Path("lists.csv"), "csv", ["Notes", "Challenges", "Enablers"], [(2, ["n", "c", "e"])]
    )
    found, fields, kept = match_table(table, LIST_WORDING)
    assert fields == {"challenge": 1, "enabler": 2}
    assert kept == {"Notes": 0}
    assert found.kept == ["Notes"]
    found, fields, kept = match_table(table, LIST_WORDING, mapping={"Notes": "text"})
    assert fields["text"] == 0 and kept == {}


def test_skip_row_notes_the_row_or_raises_naming_file_sheet_and_row():
    table = Table(Path("survey.xlsx"), "xlsx", ["Story"], [(5, [""])], sheet="North")
    skipped: list[dict[str, object]] = []
    skip_row(skipped, "no answer", table=table, row=5, strict=False)
    assert skipped == [{"row": 5, "reason": "no answer"}]
    with pytest.raises(FileFormatError) as caught:
        skip_row(skipped, "no answer", table=table, row=5, strict=True)
    message = str(caught.value)
    assert "survey.xlsx:North" in message and "row 5" in message
    assert "no answer (strict=True turns skipped rows into errors)" in message
    assert len(skipped) == 1


def test_skip_docx_table_notes_the_table_or_raises_naming_file_and_table():
    skipped: list[dict[str, object]] = []
    skip_docx_table(skipped, "no answer", path=Path("sheet.docx"), number=2, strict=False)
    assert skipped == [{"row": 2, "reason": "table 2: no answer"}]
    with pytest.raises(FileFormatError, match=r"sheet\.docx.*table 2: no answer \(strict=True\)"):
        skip_docx_table(skipped, "no answer", path=Path("sheet.docx"), number=2, strict=True)


def test_table_entry_holds_file_mapping_skips_and_extra_keys_before_the_row_count():
    table = Table(
        Path("s.csv"),
        "csv",
        ["Name", "Story"],
        [(2, ["Ana", "x"])],
        encoding="utf-8",
        delimiter=",",
    )
    found = ColumnMatch({"Story": ("story", 97.0)}, ["Name", "IP Address"], ["IP Address"])
    entry = table_entry(table, found, skipped=[{"row": 3}], n_rows=1, notes=["n"])
    assert entry == {
        "path": "s.csv",
        "format": "csv",
        "encoding": "utf-8",
        "delimiter": ",",
        "sheet": None,
        "mapping": {"Story": {"field": "story", "score": 97.0}},
        "kept": ["Name"],
        "metadata": ["IP Address"],
        "mapped_to_none": [],
        "skipped": [{"row": 3}],
        "bad_dates": [],
        "notes": ["n"],
        "n_rows": 1,
    }
    assert list(entry)[-2:] == ["notes", "n_rows"]
    dates = [{"row": 2, "value": "soon"}]
    assert table_entry(table, found, skipped=[], n_rows=1, bad_dates=dates)["bad_dates"] is dates


def test_document_entry_has_the_keys_of_a_table_entry():
    entry = document_entry(
        Path("notes.md"), fmt="md", encoding="utf-8", skipped=[], n_rows=3, introduction=None
    )
    assert list(entry) == [
        "path",
        "format",
        "encoding",
        "delimiter",
        "sheet",
        "mapping",
        "kept",
        "skipped",
        "bad_dates",
        "introduction",
        "n_rows",
    ]
    assert (entry["path"], entry["format"], entry["mapping"], entry["n_rows"]) == (
        "notes.md",
        "md",
        {},
        3,
    )


def test_survey_columns_starting_with_an_underscore_are_kept(tmp_path) -> None:
    from copanalysis import load_lists, load_stories

    stories = tmp_path / "stories.csv"
    stories.write_text("Community,Story,_note\nNurses,We met and learned.,check later\n")
    assert load_stories(stories)["_note"].tolist() == ["check later"]
    lists = tmp_path / "lists.csv"
    lists.write_text("kind,text,_note\nenabler,Protected time,from the workshop\n")
    assert load_lists(lists)["_note"].tolist() == ["from the workshop"]


@pytest.mark.parametrize("load", ["load_stories", "load_lists", "load_roles", "load_grid"])
def test_a_file_without_a_header_row_names_its_first_cell_cut_short(tmp_path, load) -> None:
    """A CSV whose first line is a 40,000-character answer: the error names the file and the
    "header" it saw, cut in the middle, not 40,000 characters of it."""
    import copanalysis.io as io
    from copanalysis.errors import MissingColumnError

    path = tmp_path / "export.csv"
    path.write_bytes(b"\r\n" + b"x" * 40_000 + b"\r\n;")
    with pytest.raises(MissingColumnError) as raised:
        getattr(io, load)(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: ")
    assert "xxx...xxx" in message
    assert len(message) - len(str(path)) < 400
