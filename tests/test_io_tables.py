"""Reading survey exports: delimiters, encodings, row numbers, sheets."""

from __future__ import annotations

import openpyxl
import pytest

from copanalysis.errors import EmptyFileError, FileFormatError, UnsupportedFormatError
from copanalysis.io.encoding import decode_text
from copanalysis.io.tables import read_tables, read_text_table, sniff_table


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_is_sniffed_even_with_quoted_delimiters_in_text(tmp_path, delimiter):
    d = delimiter
    path = tmp_path / "s.csv"
    path.write_text(
        f'Name{d}Insights{d}Practice\nAna{d}"a, b; c | d"{d}x\nBo{d}"two\nlines"{d}y\n',
        encoding="utf-8",
    )
    (table,) = read_tables(path)
    assert table.delimiter == delimiter
    assert table.rows == [(2, ["Ana", "a, b; c | d", "x"]), (3, ["Bo", "two\nlines", "y"])]


def test_xlsx_row_numbers_as_the_spreadsheet_shows_them(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["B3"], sheet["C3"] = "ID", "Insights"
    sheet["B4"], sheet["C4"] = 1, "a"
    sheet["B6"], sheet["C6"] = 2.5, "b"
    empty = book.create_sheet("Notes")
    del empty
    book.save(tmp_path / "s.xlsx")
    (table,) = read_tables(tmp_path / "s.xlsx")
    assert (table.sheet, table.n_sheets, table.header_row) == ("Sheet", 2, 3)
    assert table.columns == ["ID", "Insights"]
    assert table.rows == [(4, ["1", "a"]), (6, ["2.5", "b"])]
    with pytest.raises(FileFormatError, match="no sheet named 'Other'"):
        read_tables(tmp_path / "s.xlsx", sheet="Other")
    with pytest.raises(EmptyFileError, match=r"s\.xlsx:Notes"):
        read_tables(tmp_path / "s.xlsx", sheet="Notes")


def test_decoding_order_and_binary_refused():
    assert decode_text("é".encode())[1] == "utf-8"
    assert decode_text(b"\xff\xfeA\x00")[1] == "utf-16"
    with pytest.raises(FileFormatError, match="control character"):
        decode_text("Name\n".encode("utf-16-le"), path="x.csv")


def _qualtrics_rows(questions):
    """Three Qualtrics header rows for ``questions`` (ResponseId first)."""
    names = ["ResponseId", *(f"Q{i}" for i in range(1, len(questions) + 1))]
    ids = ['{"ImportId":"_recordId"}'] + [
        f'{{"ImportId":"QID{i}_TEXT"}}' for i in range(1, len(questions) + 1)
    ]
    return [names, ["Response ID", *questions], ids]


def test_qualtrics_csv_header_rows_are_recognised(tmp_path):
    import csv

    path = tmp_path / "q.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerows(_qualtrics_rows(["Your name", ""]))
        writer.writerows([["R_1", "Ana", "x"], [], ["R_2", "Bo", "y"]])
    (table,) = read_tables(path)
    assert table.layout == "qualtrics" and table.header_row == 3
    assert table.columns == ["Response ID", "Your name", "Q2"]  # no text: the short name
    assert table.rows == [(4, ["R_1", "Ana", "x"]), (6, ["R_2", "Bo", "y"])]
    assert table.info["short_names"] == {
        "Response ID": "ResponseId",
        "Your name": "Q1",
        "Q2": "Q2",
    }
    assert table.info["import_ids"]["Your name"] == "QID1_TEXT"
    assert table.report()["header_rows"] == [1, 2, 3]
    assert table.column_named("Q1") == "Your name" and table.column_named("Q7") is None


def test_qualtrics_xlsx_and_lookalikes(tmp_path):
    book = openpyxl.Workbook()
    for row in [*_qualtrics_rows(["Insights"]), ["R_1", "We learned"]]:
        book.active.append(row)
    book.save(tmp_path / "q.xlsx")
    (table,) = read_tables(tmp_path / "q.xlsx")
    assert (table.layout, table.columns, table.rows) == (
        "qualtrics",
        ["Response ID", "Insights"],
        [(4, ["R_1", "We learned"])],
    )
    # a third row that merely holds JSON is data, not a Qualtrics header
    path = tmp_path / "plain.csv"
    path.write_text('ID,Insights\n1,a\n2,"{""note"": 1}"\n', encoding="utf-8")
    (plain,) = read_tables(path)
    assert (plain.layout, plain.header_row, len(plain.rows)) == ("plain", 1, 2)
    assert "layout" not in plain.report()


def test_id_stem_and_row_id_add_the_sheet_only_for_several_sheets(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Team A (2025)"
    book.active.append(["Story"])
    book.active.append(["We met."])
    book.save(tmp_path / "one.xlsx")
    (single,) = read_tables(tmp_path / "one.xlsx")
    assert (single.id_stem, single.row_id(2)) == ("one", "one-001")
    other = book.create_sheet("B")
    other.append(["Story"])
    other.append(["x"])
    book.save(tmp_path / "two.xlsx")
    first, _ = read_tables(tmp_path / "two.xlsx")
    assert (first.id_stem, first.row_id(2)) == ("two-team-a-2025", "two-team-a-2025-001")
    (tmp_path / "q.csv").write_text("\n\nStory\nx\n\ny\n", encoding="utf-8")
    (table,) = read_tables(tmp_path / "q.csv")
    assert table.header_row == 3
    assert [table.row_id(n) for n, _ in table.rows] == ["q-001", "q-003"]


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("cp1252", ";"), ("utf-8-sig", ","), ("utf-16", "\t")]
)
def test_a_txt_whose_content_is_a_table_is_read_as_one(tmp_path, encoding, delimiter):
    rows = [["Name", "Insights"], ["José", "Café talks – useful"], ["Zoë", "a; b, c"]]
    text = "\r\n".join(delimiter.join(f'"{c}"' if delimiter in c else c for c in r) for r in rows)
    (tmp_path / "export.txt").write_bytes(text.encode(encoding))
    (table,) = read_tables(tmp_path / "export.txt")
    assert (table.encoding, table.delimiter) == (encoding, delimiter)
    assert table.rows == [(2, ["José", "Café talks – useful"]), (3, ["Zoë", "a; b, c"])]


def test_prose_is_no_table_even_with_one_comma_a_line(tmp_path):
    prose = "We met on Monday, and it helped.\nThen, a week later, we met again.\n"
    assert sniff_table(prose) is None
    assert sniff_table("Story 1; told by Ana\nWe met; we learned\n") is None
    (tmp_path / "story.txt").write_text(prose, encoding="utf-8")
    assert read_text_table(tmp_path / "story.txt") is None
    with pytest.raises(UnsupportedFormatError, match=r"story\.txt: the text holds no delimited"):
        read_tables(tmp_path / "story.txt")


def test_a_field_past_the_csv_limit_is_named_as_an_unclosed_quote(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text('Name,Insights\nAna,"never closed\n' + "x" * 200_000, encoding="utf-8")
    with pytest.raises(FileFormatError, match=r"s\.csv, row 2: a field runs past 131,072"):
        read_tables(path)


def test_surveymonkey_two_header_rows_name_each_part(tmp_path):
    import csv

    path = tmp_path / "monkey.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(
            [
                ["Respondent ID", "Start Date", "Which network?", "", "Your story"],
                ["", "", "Response", "Other (please specify)", "Open-Ended Response"],
                ["1140", "01/10/2025 10:02:11 AM", "Nurses", "", "We met."],
            ]
        )
    (table,) = read_tables(path)
    assert (table.layout, table.header_row) == ("surveymonkey", 2)
    assert table.columns == [
        "Respondent ID",
        "Start Date",
        "Which network?",
        "Which network? - Other (please specify)",
        "Your story",
    ]
    assert table.rows == [(3, ["1140", "01/10/2025 10:02:11 AM", "Nurses", "", "We met."])]
    assert table.report()["header_rows"] == [1, 2]


def test_what_excel_hides_is_read_and_said(tmp_path):
    """A hidden answer column, hidden (filtered-out) rows and a hidden sheet are read like
    the rest, and the load report says so; hidden empty columns right of the data are not
    listed, and a workbook that hides nothing says nothing."""
    import copanalysis as cop
    from copanalysis.io import check_study
    from copanalysis.io.provenance import left_out

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Responses"
    sheet.append(["ID", "Email", "Story"])
    for i in range(1, 6):
        sheet.append([i, f"p{i}@example.org", f"We met and I learned something new, {i}."])
    sheet.column_dimensions["C"].hidden = True
    sheet.row_dimensions[3].hidden = True
    sheet.row_dimensions[5].hidden = True
    sheet.column_dimensions.group("K", "Z", hidden=True)
    old = book.create_sheet("Wave 0")
    old.append(["ID", "Story"])
    old.append([9, "An early answer kept out of sight."])
    old.sheet_state = "hidden"
    (tmp_path / "stories").mkdir()
    book.save(tmp_path / "stories" / "survey.xlsx")

    tables = read_tables(tmp_path / "stories" / "survey.xlsx")
    assert [t.report().get("hidden") for t in tables] == [
        {"columns": ["C ('Story')"], "rows": [3, 5]},
        {"sheet": True},
    ]
    corpus = cop.load_corpus(tmp_path)
    assert len(corpus.stories) == 6  # nothing hidden is dropped
    entry = corpus.stories.attrs["load_report"]["files"][0]
    assert left_out(entry)[-2:] == [
        "hidden in Excel but read like the others: column C ('Story'); delete it from the "
        "file, or name the columns to read with mapping=, to leave it out",
        "hidden in Excel but read like the others: 2 rows (3, 5); delete them from the file "
        "to leave them out",
    ]
    checked = check_study(tmp_path)
    assert [f.path.name for f in checked.attention] == ["survey.xlsx"]

    plain = openpyxl.Workbook()
    plain.active.append(["ID", "Story"])
    plain.active.append([1, "We met."])
    plain.save(tmp_path / "plain.xlsx")
    assert "hidden" not in read_tables(tmp_path / "plain.xlsx")[0].report()


def test_a_title_of_two_lines_and_a_blank_row_above_the_header_is_dropped(tmp_path):
    # trial 33: only a one-line title was found; the first title line became the header
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Reflection on strategic value"])
    sheet.append(["Steering group workshop, 12 June 2026"])
    sheet.append([])
    sheet.append(["Name", "Story"])
    sheet.append(["Ana", "We met."])
    book.save(tmp_path / "titled.xlsx")
    (table,) = read_tables(tmp_path / "titled.xlsx")
    assert (table.columns, table.header_row, table.rows) == (
        ["Name", "Story"],
        4,
        [(5, ["Ana", "We met."])],
    )
    assert table.report()["dropped"] == [
        {"row": 1, "text": "Reflection on strategic value", "reason": "a title above the header"},
        {
            "row": 2,
            "text": "Steering group workshop, 12 June 2026",
            "reason": "a title above the header",
        },
    ]
