"""load_grid: wide and long tables and the seed's 2x2 DOCX table."""

from __future__ import annotations

import docx
import openpyxl
import pytest

from copanalysis.errors import FileFormatError, MissingColumnError
from copanalysis.io.grid import load_grid


def test_wide_csv_one_row_per_filled_cell(tmp_path):
    (tmp_path / "grid.csv").write_text(
        "Respondent,Short-term value to members,Long-term value to members,"
        "Short-term value to the organization,Long-term value to the organization\n"
        "Maria,Answers,Confidence,,Retention\n,,,,\n",
        encoding="utf-8",
    )
    grid = load_grid(tmp_path / "grid.csv")
    assert grid[["beneficiary", "horizon", "text"]].values.tolist() == [
        ["members", "short", "Answers"],
        ["members", "long", "Confidence"],
        ["organization", "long", "Retention"],
    ]
    assert grid["source"].iloc[0] == "grid.csv:row 2"


def test_long_xlsx_and_bad_horizon(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["respondent", "beneficiary", "horizon", "text"])
    book.active.append(["Eva", "Organisation", "Long-term", "Fewer withdrawals"])
    book.active.append([None, "members", "short", "Same-day answers"])
    book.save(tmp_path / "long.xlsx")
    grid = load_grid(tmp_path / "long.xlsx")
    assert grid[["respondent", "beneficiary", "horizon"]].values.tolist() == [
        ["Eva", "organization", "long"],
        ["long-002", "members", "short"],
    ]
    book.active.append(["Bo", "members", "someday", "x"])
    book.save(tmp_path / "bad.xlsx")
    with pytest.raises(FileFormatError, match=r"bad\.xlsx:Sheet, row 4, column 'horizon'"):
        load_grid(tmp_path / "bad.xlsx")


def _grid_docx(path, lines, cells):
    """A Word grid worksheet: ``lines`` above a table of ``cells``."""
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    table = document.add_table(rows=len(cells), cols=len(cells[0]))
    for r, row in enumerate(cells):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(path)
    return path


def test_docx_two_by_two(tmp_path):
    cells = [
        ["", "... short-term?", "... long-term?"],
        ["... to members?", "First PR merged", "Reputation"],
        ["... to organization?", "", "Paid maintainers"],
    ]
    lines = ["Respondent: Rahul Mehta", "Community: Tessera"]
    grid = load_grid(_grid_docx(tmp_path / "grid-rahul.docx", lines, cells))
    assert grid[["respondent", "beneficiary", "horizon", "text"]].values.tolist() == [
        ["Rahul Mehta", "members", "short", "First PR merged"],
        ["Rahul Mehta", "members", "long", "Reputation"],
        ["Rahul Mehta", "organization", "long", "Paid maintainers"],
    ]
    assert grid["community"].unique().tolist() == ["Tessera"]
    empty = docx.Document()
    empty.add_paragraph("No table here")
    empty.save(tmp_path / "empty.docx")
    with pytest.raises(MissingColumnError, match=r"empty\.docx"):
        load_grid(tmp_path / "empty.docx")


def test_sample_grids(raw_dir):
    if not (raw_dir / "grid").is_dir():
        pytest.skip("sample corpus not there")
    grid = load_grid(raw_dir / "grid")
    assert grid["respondent"].nunique() >= 10
    assert set(grid["beneficiary"]) == {"members", "organization"}


def test_qualtrics_wide_grid_numbers_respondents_from_the_first_data_row(tmp_path):
    import csv

    path = tmp_path / "grid.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Q1", "Q2"])
        writer.writerow(["Short-term value to members", "Long-term value to the organization"])
        writer.writerow(['{"ImportId":"QID1_TEXT"}', '{"ImportId":"QID2_TEXT"}'])
        writer.writerow(["Answers", "Retention"])
    grid = load_grid(path)
    assert grid[["respondent", "beneficiary", "horizon", "text", "source"]].values.tolist() == [
        ["grid-001", "members", "short", "Answers", "grid.csv:row 4"],
        ["grid-001", "organization", "long", "Retention", "grid.csv:row 4"],
    ]


def test_a_respondent_listed_twice_is_read_once_and_named_in_the_load_report(tmp_path):
    path = tmp_path / "grid.csv"
    path.write_text(
        "Respondent name,Short-term value to members,Long-term value to the organization\n"
        "Bridget Okafor,Quick advice,A prevention culture\n"
        "Kevin Marsh,Less alone on nights,\n"
        "Bridget Okafor,Quick advice,A prevention culture\n"
        "Kevin Marsh,,Fewer falls\n",
        encoding="utf-8",
    )
    grid = load_grid(path)
    assert grid[["respondent", "text"]].values.tolist() == [
        ["Bridget Okafor", "Quick advice"],
        ["Bridget Okafor", "A prevention culture"],
        ["Kevin Marsh", "Less alone on nights"],
        ["Kevin Marsh", "Fewer falls"],
    ]
    (entry,) = grid.attrs["load_report"]["files"]
    assert entry["skipped"] == [
        {"row": 4, "reason": "the same answers as row 2 ('Bridget Okafor' listed twice)"}
    ]
    assert entry["notes"] == [
        "row 5: 'Kevin Marsh' is also in row 3, with other answers; both kept, under one "
        "respondent"
    ]


def test_markdown_grids_are_pipe_tables_under_their_respondent(tmp_path):
    path = tmp_path / "grids.md"
    path.write_text(
        "# Strategic value reflection grid\n\n"
        "Respondent: Gemma Ellis\nCommunity: Maths Network\n\n"
        "| | Short-term | Long-term |\n|---|---|---|\n"
        "| Members | Met some *nice* people. | A mentor. |\n"
        "| Organisation | Borrowed questions. | |\n\n"
        "Respondent: Tom Price\n\n"
        "| | Short term | Long term |\n|---|---|---|\n"
        "| Value to members | | A network to lean on. |\n",
        encoding="utf-8",
    )
    grid = load_grid(path)
    columns = ["respondent", "beneficiary", "horizon", "text", "source", "community"]
    assert grid[columns].astype(object).where(grid[columns].notna(), None).values.tolist() == [
        ["Gemma Ellis", "members", "short", "Met some nice people.", "grids.md:table 1",
         "Maths Network"],
        ["Gemma Ellis", "members", "long", "A mentor.", "grids.md:table 1", "Maths Network"],
        ["Gemma Ellis", "organization", "short", "Borrowed questions.", "grids.md:table 1",
         "Maths Network"],
        ["Tom Price", "members", "long", "A network to lean on.", "grids.md:table 2", None],
    ]  # fmt: skip
    assert grid.attrs["load_report"]["files"][0]["format"] == "md"


def test_a_long_grid_under_a_title_row_with_plain_headers(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Strategic value reflection grid – Maths Network (autumn 2025)"])
    sheet.append([])
    sheet.append(["Name", "Who benefits", "Time frame", "What value?"])
    sheet.append(["Priya", "Organisation ", "long-term ", "A school that trains its leads."])
    sheet.append(["Priya", "Member", "Short term", "Colleagues to ring."])
    book.save(tmp_path / "grid.xlsx")
    grid = load_grid(tmp_path / "grid.xlsx")
    assert grid[["respondent", "beneficiary", "horizon", "text"]].values.tolist() == [
        ["Priya", "organization", "long", "A school that trains its leads."],
        ["Priya", "members", "short", "Colleagues to ring."],
    ]
    (entry,) = grid.attrs["load_report"]["files"]
    assert entry["dropped"] == [
        {
            "row": 1,
            "text": "Strategic value reflection grid – Maths Network (autumn 2025)",
            "reason": "a title above the header",
        }
    ]
    assert {c: m["field"] for c, m in entry["mapping"].items()} == {
        "Name": "respondent",
        "Who benefits": "beneficiary",
        "Time frame": "horizon",
        "What value?": "text",
    }


def test_a_long_grid_without_respondents_is_one_sheet_unless_a_cell_repeats(tmp_path):
    header = "Who benefits,Time frame,What value?\n"
    (tmp_path / "ana.csv").write_text(
        header + "Members,Short term,Quick answers\nMembers,Long term,Confidence\n"
        "Organization,Short term,Fewer calls\n",
        encoding="utf-8",
    )
    grid = load_grid(tmp_path / "ana.csv")
    assert grid["respondent"].tolist() == ["ana"] * 3  # one worksheet typed as a table
    (entry,) = grid.attrs["load_report"]["files"]
    assert entry["notes"] == [
        "no respondent column, and no cell is answered twice: the file is read as one "
        "respondent's grid ('ana')"
    ]
    (tmp_path / "team.csv").write_text(
        header + "Members,Short term,Quick answers\nMembers,Short term,Tips\n", encoding="utf-8"
    )
    grid = load_grid(tmp_path / "team.csv")
    assert grid["respondent"].tolist() == ["team-001", "team-002"]
    assert (
        "each row is counted as a respondent of its own"
        in grid.attrs["load_report"]["files"][0]["notes"][0]
    )


def test_placeholder_cells_are_no_answers_and_are_listed(tmp_path):
    (tmp_path / "grid.csv").write_text(
        "Respondent,Members short term,Members long term,Organization long term\n"
        "Declan,Quick answers,Confidence,N/A\nRachel,Tips,-,-\n",
        encoding="utf-8",
    )
    grid = load_grid(tmp_path / "grid.csv")
    assert grid[["respondent", "beneficiary", "horizon"]].values.tolist() == [
        ["Declan", "members", "short"],
        ["Declan", "members", "long"],
        ["Rachel", "members", "short"],
    ]
    (entry,) = grid.attrs["load_report"]["files"]
    assert entry["notes"] == [
        "3 answers read as no answer, being only a placeholder: row 2 organization/long "
        "'N/A'; row 3 members/long '-'; row 3 organization/long '-'"
    ]
    document = docx.Document()
    document.add_paragraph("Respondent: Rahul Mehta")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate(
        [
            ["", "Short-term?", "Long-term?"],
            ["Value to members?", "Answers at night", "n/a"],
            ["Value to organization?", "-", "A safer ward"],
        ]
    ):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(tmp_path / "rahul.docx")
    grid = load_grid(tmp_path / "rahul.docx")
    assert grid["text"].tolist() == ["Answers at night", "A safer ward"]
    assert grid.attrs["load_report"]["files"][0]["notes"] == [
        "2 answers read as no answer, being only a placeholder: table 1 members/long 'n/a'; "
        "table 1 organization/short '-'"
    ]


def test_a_word_grid_with_a_title_row_inside_its_table(tmp_path):
    document = docx.Document()
    document.add_paragraph("Respondent: Colm")
    table = document.add_table(rows=4, cols=3)
    title = table.cell(0, 0).merge(table.cell(0, 2))
    title.text = "Reflection on strategic value from communities of practice"
    for r, row in enumerate(
        [
            ["", "Short-term?", "Long-term?"],
            ["Value to members?", "Less isolation", "Promotion"],
            ["Value to organization?", "Quicker discharge", "Better retention"],
        ],
        start=1,
    ):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(tmp_path / "colm.docx")
    grid = load_grid(tmp_path / "colm.docx")
    assert grid[["respondent", "beneficiary", "horizon", "text"]].values.tolist() == [
        ["Colm", "members", "short", "Less isolation"],
        ["Colm", "members", "long", "Promotion"],
        ["Colm", "organization", "short", "Quicker discharge"],
        ["Colm", "organization", "long", "Better retention"],
    ]


def test_text_in_a_label_and_an_answer_naming_the_other_term_are_noted(tmp_path):
    from copanalysis.io import check_study

    study = tmp_path / "study"
    (study / "grid").mkdir(parents=True)
    cells = [
        ["", "... short-term? Fun with colleagues.", "... long-term?"],
        ["... to members?", "Short term: tips. Long term: the go-to person.", ""],
        ["... to organization?", "", "Less rework"],
    ]
    path = _grid_docx(study / "grid" / "dana.docx", ["Respondent: Dana"], cells)
    grid = load_grid(path)
    assert len(grid) == 2
    assert grid.attrs["load_report"]["files"][0]["notes"] == [
        "text typed after a label's question is in no cell, not read: table 1: "
        "'Fun with colleagues.'",
        "table 1 members/short: the answer names the long term ('Short term: tips. Long "
        "term: the go-to person.'); it is kept in this cell: move that part if it belongs "
        "in the other",
    ]
    checked = next(f for f in check_study(study).files if f.path == path)
    assert checked.attention == ("1 text(s) left out (listed above)",)


def test_the_seed_two_by_two_typed_into_a_sheet_reads_its_row_labels(tmp_path):
    # trial 33: the headers "... short-term?" / "... long-term?" were matched to the
    # members' cells at 100, and the organization's answers went into them
    book = openpyxl.Workbook()
    book.active.title = "Grid"
    book.active.append(["", "... short-term?", "... long-term?"])
    book.active.append(["... to members?", "Quick answers", "Skills"])
    book.active.append(["... to organization?", "Fewer ulcers", "N/A"])
    book.active.append(["Value to the ward?", "Cleaner charts", ""])
    book.save(tmp_path / "steering.xlsx")
    grid = load_grid(tmp_path / "steering.xlsx")
    assert grid[["respondent", "beneficiary", "horizon", "text", "source"]].values.tolist() == [
        ["steering", "members", "short", "Quick answers", "steering.xlsx:Grid:row 2"],
        ["steering", "members", "long", "Skills", "steering.xlsx:Grid:row 2"],
        ["steering", "organization", "short", "Fewer ulcers", "steering.xlsx:Grid:row 3"],
    ]
    (entry,) = grid.attrs["load_report"]["files"]
    assert entry["mapping"] == {}
    assert entry["notes"] == [
        "the seed's 2x2 grid: the row labels '... to members?' -> members, '... to "
        "organization?' -> organization give the beneficiary, the column headers '... "
        "short-term?' -> short, '... long-term?' -> long the horizon; the sheet is read as "
        "one respondent's grid ('steering')",
        "1 answer read as no answer, being only a placeholder: row 3 organization/long 'N/A'",
    ]
    assert entry["skipped"] == [
        {
            "row": 4,
            "reason": "its label 'Value to the ward?' names neither the members nor the "
            "organization, so its answers are in no cell",
        }
    ]


def test_a_seed_grid_sheet_under_a_title_is_read_and_a_notes_sheet_is_not(tmp_path):
    # trial 33: the grid sheet (under a two-line title and a blank row) was "not read: no
    # grid columns", and the notes sheet's first line was taken as a header at 100, so an
    # attendee list became the members' long-term value
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Strategic value"
    sheet.append(["Reflection on strategic value from communities of practice"])
    sheet.append(["Pressure Ulcer Prevention Network – steering group workshop, 12 June 2026"])
    sheet.append([])
    sheet.append([None, "... short-term?", "... long-term?"])
    sheet.append(["... to members?", "Quick answers from the TVNs", None])
    sheet.append(["... to organization?", "SSKIN audit 62% → 88%", "Mattress policy"])
    sheet.append([])
    sheet.append(["© 2007 Etienne Wenger"])
    notes = book.create_sheet("Notes")
    notes.append(
        ["Members long-term cell left empty – group could not agree, revisit in September."]
    )
    notes.append(["Attendees: S. Okafor, D. Patel, J. Mensah"])
    book.save(tmp_path / "steering.xlsx")
    grid = load_grid(tmp_path / "steering.xlsx")
    assert grid[["respondent", "beneficiary", "horizon", "text", "source"]].values.tolist() == [
        ["steering-strategic-value", "members", "short", "Quick answers from the TVNs",
         "steering.xlsx:Strategic value:row 5"],
        ["steering-strategic-value", "organization", "short", "SSKIN audit 62% → 88%",
         "steering.xlsx:Strategic value:row 6"],
        ["steering-strategic-value", "organization", "long", "Mattress policy",
         "steering.xlsx:Strategic value:row 6"],
    ]  # fmt: skip
    (entry,) = grid.attrs["load_report"]["files"]
    assert [d["row"] for d in entry["dropped"]] == [1, 2]
    assert entry["sheets_not_read"] == [
        {
            "sheet": "Notes",
            "reason": "no grid columns: expected the four cells (e.g. 'Short-term value to "
            "members') or beneficiary, horizon and text columns; headers are 'Members "
            "long-term cell left empty – group could not agree, revisit in September.' (a "
            "sentence, not a heading)",
        }
    ]


def test_a_cell_header_that_is_a_sentence_is_kept_as_is_not_read_as_the_cell(tmp_path):
    (tmp_path / "grid.csv").write_text(
        "Respondent,Short-term value to members,"
        "Long-term value to members was left empty as we could not agree.\n"
        "Maria,Answers,Confidence\n",
        encoding="utf-8",
    )
    grid = load_grid(tmp_path / "grid.csv")
    assert grid[["beneficiary", "horizon", "text"]].values.tolist() == [
        ["members", "short", "Answers"]
    ]
    (entry,) = grid.attrs["load_report"]["files"]
    assert entry["kept"] == ["Long-term value to members was left empty as we could not agree."]
    assert entry["notes"] == [
        "header 'Long-term value to members was left empty as we could not agree.' reads as a "
        "sentence, not a heading: kept as is"
    ]


def test_sheet_reads_one_sheet_and_check_advises_only_what_load_grid_takes(tmp_path):
    # trial 33: check advised "pass sheet= in Python", and load_grid(path, sheet=...) raised
    # TypeError; it also named mapping=, which load_grid does not take
    from copanalysis.io import check_study

    (tmp_path / "grid").mkdir()
    book = openpyxl.Workbook()
    book.active.title = "Grid"
    book.active.append(["", "... short-term?", "... long-term?"])
    book.active.append(["... to members?", "Quick answers", "Skills"])
    other = book.create_sheet("Summary")
    other.append(["Count", "Total"])
    other.append([3, 4])
    book.save(tmp_path / "grid" / "g.xlsx")
    grid = load_grid(tmp_path / "grid" / "g.xlsx", sheet="Grid")
    assert grid["text"].tolist() == ["Quick answers", "Skills"]
    assert grid.attrs["load_report"]["files"][0]["sheet"] == "Grid"
    with pytest.raises(FileFormatError, match="no sheet named 'Notes'"):
        load_grid(tmp_path / "grid" / "g.xlsx", sheet="Notes")
    (checked,) = check_study(tmp_path).files
    assert checked.attention == (
        "1 sheet(s) not read (listed above; pass sheet= in Python to read one sheet)",
    )


def test_a_seed_grid_row_naming_the_organization_by_its_own_name_is_the_organizations(tmp_path):
    # trial 37: a water utility's core group wrote "Value to the utility"; the row was
    # skipped as naming neither beneficiary, and the grid lost its organization half
    book = openpyxl.Workbook()
    book.active.title = "Core group"
    book.active.append(["Strategic value reflection grid"])
    book.active.append(["", "Short-term value", "Long-term value"])
    book.active.append(["Value to members", "Meeting peers", "A regional network"])
    book.active.append(["Value to the utility", "Problems solved", "Retention"])
    book.save(tmp_path / "retreat.xlsx")
    grid = load_grid(tmp_path / "retreat.xlsx")
    assert grid[["beneficiary", "horizon", "text", "source"]].values.tolist() == [
        ["members", "short", "Meeting peers", "retreat.xlsx:Core group:row 3"],
        ["members", "long", "A regional network", "retreat.xlsx:Core group:row 3"],
        ["organization", "short", "Problems solved", "retreat.xlsx:Core group:row 4"],
        ["organization", "long", "Retention", "retreat.xlsx:Core group:row 4"],
    ]
    (entry,) = grid.attrs["load_report"]["files"]
    assert entry["skipped"] == []
    assert entry["notes"][1] == (
        "the row label 'Value to the utility' names neither the members nor the organization: "
        "read as the organization, the grid's row other than the members'"
    )
    # and the other way round, in the Word worksheet
    cells = [
        ["", "... short-term?", "... long-term?"],
        ["... to our engineers?", "Quick answers", ""],
        ["... to organization?", "Fewer call-outs", ""],
    ]
    grid = load_grid(_grid_docx(tmp_path / "grid.docx", ["Respondent: Tomasz"], cells))
    assert grid[["beneficiary", "horizon", "text"]].values.tolist() == [
        ["members", "short", "Quick answers"],
        ["organization", "short", "Fewer call-outs"],
    ]
    assert grid.attrs["load_report"]["files"][0]["notes"] == [
        "table 1: the row label '... to our engineers?' names neither the members nor the "
        "organization: read as the members, the grid's row other than the organization's"
    ]


def test_the_load_report_counts_a_workbooks_sheets_as_one_file(tmp_path):
    # trial 37: one workbook with a grid on each of three sheets was "6 rows from 3 files"
    from copanalysis.io import format_load_report

    book = openpyxl.Workbook()
    for n, name in enumerate(("Priya", "Tomasz", "Core group")):
        sheet = book.active if n == 0 else book.create_sheet()
        sheet.title = name
        sheet.append(["", "... short-term?", "... long-term?"])
        sheet.append(["... to members?", f"Answers for {name}", ""])
    book.save(tmp_path / "retreat.xlsx")
    (tmp_path / "grid-rahul.md").write_text(
        "Respondent: Rahul\n\n| | short-term | long-term |\n|---|---|---|\n"
        "| to members | Tips | |\n",
        encoding="utf-8",
    )
    grid = load_grid(tmp_path)
    assert format_load_report(grid.attrs["load_report"]).splitlines()[0] == (
        "grid: 4 rows from 2 files"
    )


def test_check_names_the_sheet_of_each_line_that_needs_a_look(tmp_path):
    # trial 37: a grid workbook with a sheet per core-group member gave "! 1 skipped (listed
    # above)" once per sheet, three lines alike, none naming its sheet
    from copanalysis.cli import format_check
    from copanalysis.io import check_study

    (tmp_path / "grid").mkdir()
    book = openpyxl.Workbook()
    for n, name in enumerate(("Priya", "Tomasz")):
        sheet = book.active if n == 0 else book.create_sheet()
        sheet.title = name
        sheet.append(["", "Short-term value", "Long-term value"])
        sheet.append(["Value to members", f"Answers for {name}", ""])
        sheet.append(["Value to the organization", "Fewer call-outs", ""])
        if name == "Tomasz":
            sheet.append(["Value to the region", "Cleaner river", ""])
    book.save(tmp_path / "grid" / "retreat.xlsx")
    (checked,) = check_study(tmp_path).files
    assert checked.attention == ("retreat.xlsx, sheet 'Tomasz': 1 skipped (listed above)",)
    said = format_check(check_study(tmp_path)).splitlines()
    assert [line for line in said if line.startswith("  !")] == [
        "  ! retreat.xlsx, sheet 'Tomasz': 1 skipped (listed above)"
    ]


def _school_grid(path, lines):
    document = docx.Document()
    document.add_heading("Reflection on strategic value from communities of practice", level=1)
    for line in lines:
        document.add_paragraph(line)
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 1).text, table.cell(0, 2).text = "... short-term?", "... long-term?"
    table.cell(1, 0).text, table.cell(2, 0).text = "... to members?", "... to organization?"
    table.cell(1, 1).text = "Ideas for Monday morning"
    table.cell(2, 2).text = "A culture of lesson study"
    document.add_paragraph("© 2007 Etienne Wenger")
    document.save(path)
    return path


def test_a_school_team_s_grid_is_named_by_its_school_line_and_other_lines_are_listed(tmp_path):
    # trial 46: four school teams' grids were four respondents named after their files
    # ('grid-Coláiste-Bhríde-001'), their "School:" and "Team:" lines dropped with no note,
    # and the grid loader listed no dropped line at all, not even the copyright line
    path = _school_grid(
        tmp_path / "grid-Coláiste-Bhríde.docx",
        [
            "School: Coláiste Bhríde, Bearna",
            "Team: Aoife, Róisín and Liam",
            "Community: Líonra Mata na Gaillimhe",
        ],
    )
    grid = load_grid(path)
    assert set(grid["respondent"]) == {"Coláiste Bhríde, Bearna"}
    assert set(grid["community"]) == {"Líonra Mata na Gaillimhe"}
    (entry,) = grid.attrs["load_report"]["files"]
    assert entry["mapping"] == {
        "School": {"field": "respondent", "score": 100.0},
        "Community": {"field": "community", "score": 100.0},
    }
    assert entry["notes"] == [
        "'School: Coláiste Bhríde, Bearna' read as the respondent: a line of its own names "
        "the community"
    ]
    assert [(d["text"], d["reason"]) for d in entry["dropped"]] == [
        ("Reflection on strategic value from communities of practice", "a title or heading"),
        ("Team: Aoife, Róisín and Liam", "'School:' names the respondent already: not read"),
        ("© 2007 Etienne Wenger", "copyright line"),
    ]


def test_a_grid_s_place_line_is_its_community_when_no_line_names_one(tmp_path):
    # as the stories loader reads a form's "Campus:" line; "Respondent:" names who
    path = _school_grid(tmp_path / "g.docx", ["Respondent: Ana Lopes", "Campus: Westmoor"])
    grid = load_grid(path)
    pairs = set(zip(grid["respondent"], grid["community"], strict=True))
    assert pairs == {("Ana Lopes", "Westmoor")}
    (entry,) = grid.attrs["load_report"]["files"]
    assert entry["mapping"]["Campus"] == {"field": "community", "score": 100.0}


def test_a_markdown_grid_s_table_lines_are_not_listed_as_dropped(tmp_path):
    path = tmp_path / "grids.md"
    path.write_text(
        "# Grids\n\nRespondent: Ana\nNote to self: send by Friday\n\n"
        "| | ... short-term? | ... long-term? |\n|---|---|---|\n"
        "| ... to members? | Tips | |\n| ... to organization? | | Policy |\n",
        encoding="utf-8",
    )
    grid = load_grid(path)
    assert set(grid["respondent"]) == {"Ana"}
    (entry,) = grid.attrs["load_report"]["files"]
    assert entry["dropped"] == [
        {"line": 1, "text": "Grids", "reason": "a title or heading"},
        {
            "line": 4,
            "text": "Note to self: send by Friday",
            "reason": "outside the tables: not read",
        },
    ]
