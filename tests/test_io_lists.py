"""load_lists: Markdown/TXT headings and bullets, long and wide tables, DOCX."""

from __future__ import annotations

import docx
import openpyxl
import pandas as pd
import pytest

from copanalysis.errors import FileFormatError, MissingColumnError
from copanalysis.io.lists import load_lists


def test_text_lists_in_every_heading_and_bullet_style(tmp_path):
    path = tmp_path / "farmers.txt"
    path.write_text(
        "Meeting notes (14.03.2025)\n\nEnablers:\n1. Demo plots\n2) Officer visits\n"
        "• WhatsApp group\n   answered by the vet\n\nCHALLENGES\n* No transport\n- Drought\n",
        encoding="utf-8",
    )
    items = load_lists(path)
    assert items["kind"].tolist() == ["enabler"] * 3 + ["challenge"] * 2
    assert items["text"].tolist() == [
        "Demo plots",
        "Officer visits",
        "WhatsApp group\nanswered by the vet",
        "No transport",
        "Drought",
    ]
    assert items["item_id"].tolist()[2:4] == ["farmers-enabler-003", "farmers-challenge-001"]
    assert items["community"].unique().tolist() == ["farmers"]  # the file stem
    assert items["source"].iloc[3] == "farmers.txt:line 10"


def test_long_and_wide_tables(tmp_path):
    (tmp_path / "long.csv").write_text(
        "community,kind,text\nTeachers,Enabler,Shared drive\nTeachers,challenges,No cover\n",
        encoding="utf-8",
    )
    long = load_lists(tmp_path / "long.csv")
    assert long[["kind", "text", "community"]].values.tolist() == [
        ["enabler", "Shared drive", "Teachers"],
        ["challenge", "No cover", "Teachers"],
    ]
    book = openpyxl.Workbook()
    book.active.append(["Enablers", "Challenges"])
    book.active.append(["GIS map", "Procurement rules"])
    book.active.append([None, "Acronyms"])
    book.save(tmp_path / "city.xlsx")
    wide = load_lists(tmp_path / "city.xlsx")
    assert wide["item_id"].tolist() == [
        "city-enabler-001",
        "city-challenge-001",
        "city-challenge-002",
    ]
    assert wide["source"].tolist()[2] == "city.xlsx:Sheet:row 3"
    (tmp_path / "bad.csv").write_text("kind,text\nmaybe,x\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match=r"bad\.csv, row 2, column 'kind'"):
        load_lists(tmp_path / "bad.csv")
    (tmp_path / "none.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(MissingColumnError, match=r"none\.csv"):
        load_lists(tmp_path / "none.csv")


def test_docx_headings_and_two_column_table(tmp_path):
    document = docx.Document()
    document.add_paragraph("Organization: Tessera")
    document.add_heading("Enablers", level=2)
    document.add_paragraph("The wiki", style="List Bullet")
    document.add_heading("Challenges", level=2)
    document.add_paragraph("Burnout", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Enablers", "Challenges"
    table.cell(1, 0).text, table.cell(1, 1).text = "CI credits", "Time zones\nNo budget"
    document.save(tmp_path / "oss.docx")
    items = load_lists(tmp_path / "oss.docx")
    assert items[["kind", "text"]].values.tolist() == [
        ["enabler", "The wiki"],
        ["challenge", "Burnout"],
        ["enabler", "CI credits"],
        ["challenge", "Time zones"],
        ["challenge", "No budget"],
    ]
    assert items["community"].unique().tolist() == ["Tessera"]
    assert items["item_id"].iloc[4] == "oss-challenge-003"
    assert items["source"].iloc[2] == "oss.docx:table 1:row 2"


def test_sample_lists(raw_dir):
    if not (raw_dir / "lists").is_dir():
        pytest.skip("sample corpus not there")
    items = load_lists(raw_dir / "lists")
    assert items["item_id"].is_unique
    assert set(items["kind"]) == {"enabler", "challenge"}
    assert items["community"].nunique() >= 4


def _qualtrics_csv(path, questions, answers):
    import csv

    ids = ['{"ImportId":"_recordId"}'] + [
        f'{{"ImportId":"QID{i}"}}' for i in range(len(questions))
    ]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ResponseId", *(f"Q{i + 1}" for i in range(len(questions)))])
        writer.writerow(["Response ID", *questions])
        writer.writerow(ids)
        writer.writerows(answers)
    return path


def test_qualtrics_wide_lists(tmp_path):
    path = _qualtrics_csv(
        tmp_path / "q.csv",
        ["Organization", "Enablers", "Challenges"],
        [["R_1", "Clinic", "Protected time", "Staffing"], ["R_2", "Clinic", "", "No budget"]],
    )
    items = load_lists(path)
    assert items[["kind", "text"]].values.tolist() == [
        ["enabler", "Protected time"],
        ["challenge", "Staffing"],
        ["challenge", "No budget"],
    ]
    assert items["source"].tolist() == ["q.csv:row 4", "q.csv:row 4", "q.csv:row 5"]
    entry = items.attrs["load_report"]["files"][0]
    assert (entry["layout"], entry["mapping"]["Enablers"]["field"]) == ("qualtrics", "enabler")


def test_an_empty_kind_skips_its_row_and_says_so(tmp_path):
    (tmp_path / "workshop.csv").write_text(
        "kind,text\nEnabler,Shared drive\n,Travel costs\nchallenge,No cover\n", encoding="utf-8"
    )
    items = load_lists(tmp_path / "workshop.csv")
    assert items["text"].tolist() == ["Shared drive", "No cover"]
    entry = items.attrs["load_report"]["files"][0]
    assert entry["skipped"] == [
        {"row": 3, "reason": "no kind: the cell that says enabler or challenge is empty"}
    ]
    with pytest.raises(FileFormatError, match=r"row 3"):
        load_lists(tmp_path / "workshop.csv", strict=True)


def test_an_error_in_a_folder_names_the_file_with_its_folder(tmp_path) -> None:
    folder = tmp_path / "study" / "lists"
    folder.mkdir(parents=True)
    (folder / "b.csv").write_text("Kind,Text\nenabler,Time\nfoo,Bar\n", encoding="utf-8")
    with pytest.raises(FileFormatError) as error:
        load_lists(folder)
    assert str(error.value).startswith(f"{folder / 'b.csv'}, row 3, column 'Kind': kind 'foo'")


def test_everyday_headings_and_what_is_not_read_is_listed(tmp_path) -> None:
    path = tmp_path / "away-day.md"
    path.write_text(
        "# Away day flipchart\nOrganization: Child protection circle\n\n"
        "## What helps\n- Good chair, keeps to time\n- n/a\n- Tea & biscuits\n\n"
        "## What gets in the way\n- Duty rota clashes\n- No minutes\n\n"
        "## Parking lot\n- Ask about budget\n",
        encoding="utf-8",
    )
    items = load_lists(path)
    assert items[["kind", "text"]].values.tolist() == [
        ["enabler", "Good chair, keeps to time"],
        ["enabler", "Tea & biscuits"],
        ["challenge", "Duty rota clashes"],
        ["challenge", "No minutes"],
    ]
    [entry] = items.attrs["load_report"]["files"]
    # a placeholder is noted, as in a table, and is no cause to look (trial 46: "Nothing"
    # under Challenges made check ask for a look)
    assert "1 answer read as no answer, being only a placeholder: line 6 'n/a'" in entry["notes"]
    assert entry["skipped"] == [
        {
            "line": 14,
            "reason": "under the heading 'Parking lot', which names neither enablers nor "
            "challenges (name it 'Enablers' or 'Challenges' to read it)",
        },
    ]


@pytest.mark.parametrize(
    ("enablers", "challenges"),
    [
        ("What works", "What didn't work"),
        ("Success factors", "Key barriers"),
        ("Facilitators", "Hindering factors"),
        ("Strengths", "Difficulties"),
    ],
)
def test_the_ways_evaluators_name_the_two_lists(tmp_path, enablers, challenges) -> None:
    path = tmp_path / "l.md"
    path.write_text(f"{enablers}:\n- A\n\n{challenges}:\n- B\n", encoding="utf-8")
    assert load_lists(path)[["kind", "text"]].values.tolist() == [
        ["enabler", "A"],
        ["challenge", "B"],
    ]


def test_placeholders_and_none_in_a_list_table_are_no_items_and_are_listed(tmp_path):
    wide = tmp_path / "workshop.csv"
    wide.write_text(
        "Enablers,Challenges\nRelease time,No cover staff\nWhatsApp group,N/A\n,-\nNone.,None\n",
        encoding="utf-8",
    )
    items = load_lists(wide)
    assert items[["kind", "text"]].values.tolist() == [
        ["enabler", "Release time"],
        ["challenge", "No cover staff"],
        ["enabler", "WhatsApp group"],
    ]
    (entry,) = items.attrs["load_report"]["files"]
    assert [s["row"] for s in entry["skipped"]] == [4, 5]
    assert entry["notes"][0] == (
        "4 answers read as no answer, being only a placeholder: row 3 challenge 'N/A'; row 4 "
        "challenge '-'; row 5 enabler 'None.'; row 5 challenge 'None'"
    )
    long = tmp_path / "long.csv"
    long.write_text("Kind,Item\nenabler,Shared drive\nchallenge,n/a\n", encoding="utf-8")
    items = load_lists(long)
    assert items["text"].tolist() == ["Shared drive"]
    assert "row 3 challenge 'n/a'" in items.attrs["load_report"]["files"][0]["notes"][0]


def test_a_list_that_names_no_community_says_its_file_name_stands_for_it(tmp_path):
    (tmp_path / "workshop.csv").write_text("Enablers,Challenges\nA mentor,No time\n", "utf-8")
    items = load_lists(tmp_path / "workshop.csv")
    assert set(items["community"]) == {"workshop"}
    assert items.attrs["load_report"]["files"][0]["notes"] == [
        "no community column: the file's name, 'workshop', stands for the community"
    ]
    (tmp_path / "clinic.md").write_text("Enablers:\n- A mentor\n", "utf-8")
    notes = load_lists(tmp_path / "clinic.md").attrs["load_report"]["files"][0]["notes"]
    assert notes == ["no community line: the file's name, 'clinic', stands for the community"]
    (tmp_path / "named.md").write_text("Community: Clinic network\n\nEnablers:\n- A mentor\n")
    assert not load_lists(tmp_path / "named.md").attrs["load_report"]["files"][0].get("notes")


def test_a_placeholder_in_a_word_list_table_is_no_item(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    for r, row in enumerate([["Enablers", "Challenges"], ["A mentor", "N/A"], ["-", "No time"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(tmp_path / "list.docx")
    items = load_lists(tmp_path / "list.docx")
    assert items[["kind", "text"]].values.tolist() == [
        ["enabler", "A mentor"],
        ["challenge", "No time"],
    ]
    (entry,) = items.attrs["load_report"]["files"]
    assert not entry.get("skipped")
    assert (
        "2 answers read as no answer, being only a placeholder: table 1, row 2 'N/A'; "
        "table 1, row 3 '-'"
    ) in entry["notes"]


def _survey(path, header, rows):
    import csv

    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


EXTRA = ["The cake at every meeting", "Tea and biscuits at the hub", "More cake at the hub please"]


def test_survey_questions_are_read_by_what_they_ask_and_a_mixed_one_gives_no_kind(tmp_path):
    path = _survey(
        tmp_path / "survey.csv",
        [
            "Respondent ID",
            "What has helped the network work well?",
            "What has got in the way?",
            "Anything else about what helps or hinders?",
            "And what else helps or hinders?",
        ],
        [
            [
                "1",
                "Protected time for meetings",
                "Supply cover",
                "It helps and hurts",
                "The cake at every meeting",
            ],
            [
                "2",
                "A core of committed teachers",
                "N/A",
                "More funding would help",
                "Tea and biscuits at the hub",
            ],
            [
                "3",
                "-",
                "Parking at the hub school",
                "Being heard helps",
                "More cake at the hub please",
            ],
        ],
    )
    items = load_lists(path)
    assert items[["item_id", "kind", "text"]].astype(object).values.tolist() == [
        ["survey-enabler-001", "enabler", "Protected time for meetings"],
        ["survey-challenge-001", "challenge", "Supply cover"],
        ["survey-mixed-001", pd.NA, "It helps and hurts"],
        ["survey-enabler-002", "enabler", "A core of committed teachers"],
        ["survey-mixed-002", pd.NA, "More funding would help"],
        ["survey-challenge-002", "challenge", "Parking at the hub school"],
        ["survey-mixed-003", pd.NA, "Being heard helps"],
    ]
    entry = items.attrs["load_report"]["files"][0]
    mapping = {column: m["field"] for column, m in entry["mapping"].items()}
    assert mapping == {
        "Respondent ID": "respondent",
        "What has helped the network work well?": "enabler",
        "What has got in the way?": "challenge",
        "Anything else about what helps or hinders?": "mixed",
    }
    assert (
        "column 'Anything else about what helps or hinders?' asks for enablers and challenges "
        "alike: its 3 answers are loaded with no kind, and the coders read from each answer's "
        "text whether it tells of an enabler or a challenge"
    ) in entry["notes"]
    # a second mixed question is kept, and noted as read as neither
    assert entry["mixed_kind"] == ["And what else helps or hinders?"]
    assert entry["uncoded_text"] == {"And what else helps or hinders?": 3}


def test_a_survey_clock_column_is_metadata_not_free_text(tmp_path):
    """Trial 27: a Google Forms list export's "Timestamp" ("2025/03/10 10:12:04 AM GMT+1",
    four words) was noted as free text with advice to map it to 'enabler', so check never
    said Ready."""
    path = _survey(
        tmp_path / "survey.csv",
        ["Timestamp", "What helps your community of practice?", "What gets in the way?"],
        [
            ["2025/03/10 10:12:04 AM GMT+1", "Protected time on Fridays", "No travel budget"],
            ["2025/03/11 09:01:44 AM GMT+1", "A coordinator", "Managers do not see the point"],
        ],
    )
    entry = load_lists(path).attrs["load_report"]["files"][0]
    assert entry["metadata"] == ["Timestamp"]
    assert "uncoded_text" not in entry


def test_mapping_names_the_list_columns_and_an_unknown_column_is_an_error(tmp_path):
    path = _survey(
        tmp_path / "survey.csv",
        ["ID", "Q: the good bits", "Q: the bad bits"],
        [["1", "Shared planning time", "Too many meetings"]],
    )
    mapped = load_lists(
        path, mapping={"Q: the good bits": "enabler", "Q: the bad bits": "challenge"}
    )
    assert mapped[["item_id", "kind", "text"]].values.tolist() == [
        ["1-enabler", "enabler", "Shared planning time"],  # the row's id, once per kind
        ["1-challenge", "challenge", "Too many meetings"],
    ]
    with pytest.raises(MissingColumnError, match="mapping names column.*'Q: the ugly bits'"):
        load_lists(path, mapping={"Q: the good bits": "enabler", "Q: the ugly bits": "challenge"})


def test_a_one_line_sheet_beside_the_list_is_named_as_not_read(tmp_path):
    import openpyxl

    path = tmp_path / "workshop.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Liste"
    book.active.append(["Enablers", "Challenges"])
    book.active.append(["Protected time", "No cover"])
    book.create_sheet("Notes").append(["Workshop held 20 March"])
    book.save(path)
    items = load_lists(path)
    (entry,) = items.attrs["load_report"]["files"]
    assert entry["sheets_not_read"] == [
        {
            "sheet": "Notes",
            "reason": "the file holds a header ('Workshop held 20 March') but no data rows",
        }
    ]  # it was passed over without a word


def test_nothing_in_particular_is_no_item():
    from copanalysis.io.fields import is_no_item

    assert [is_no_item(t) for t in ("Nothing in particular.", "Not really", "Nothing much")] == [
        True, True, True
    ]  # fmt: skip
    assert not is_no_item("Nothing beats the WhatsApp group")


def test_what_makes_it_hard_is_the_challenges_question(tmp_path):
    # trial 32: Kobo's "What makes it hard?" was kept as is, so a list had no challenges
    path = tmp_path / "kobo.csv"
    path.write_text(
        "What helps the group work well?;What makes it hard?\n"
        "The WhatsApp group;Airtime is expensive\n;Floods and distance\n",
        encoding="utf-8",
    )
    items = load_lists(path)
    assert items[["item_id", "kind", "text"]].values.tolist() == [
        ["kobo-enabler-001", "enabler", "The WhatsApp group"],
        ["kobo-challenge-001", "challenge", "Airtime is expensive"],
        ["kobo-challenge-002", "challenge", "Floods and distance"],
    ]
    (entry,) = items.attrs["load_report"]["files"]
    assert entry["mapping"] == {
        "What helps the group work well?": {"field": "enabler", "score": 100.0},
        "What makes it hard?": {"field": "challenge", "score": 100.0},
    }
    assert entry["skipped"] == []


def test_a_row_whose_only_text_is_in_a_column_not_read_is_skipped_naming_it(tmp_path):
    # trial 32: the reason was "no item text", though the row held text
    path = tmp_path / "l.csv"
    path.write_text(
        "Enablers,Challenges,Comments,Email\nA mentor,No time,,a@b.org\n,,Floods,c@d.org\n"
        ",,,e@f.org\n",
        encoding="utf-8",
    )
    (entry,) = load_lists(path).attrs["load_report"]["files"]
    assert entry["skipped"] == [
        {
            "row": 3,
            "reason": "no item text; it answered only 'Comments', which no enabler or "
            "challenge column matched (to read it, map it in the study folder's mapping.yaml)",
        },
        {"row": 4, "reason": "no item text"},
    ]


def test_none_in_other_languages_is_no_item_as_a_whole_answer_only(tmp_path):
    # trial 32: "Hakuna" (Swahili, "none") was coded as a challenge; "None" was removed
    path = tmp_path / "l.csv"
    path.write_text(
        "Enablers,Challenges\nMentors,Hakuna\nRien.,Hakuna muda\nNada,Geen\n",
        encoding="utf-8",
    )
    items = load_lists(path)
    assert items[["kind", "text"]].values.tolist() == [
        ["enabler", "Mentors"],
        ["challenge", "Hakuna muda"],
    ]
    (entry,) = items.attrs["load_report"]["files"]
    assert entry["notes"][0] == (
        "4 answers read as no answer, being only a placeholder: row 2 challenge 'Hakuna'; "
        "row 3 enabler 'Rien.'; row 4 enabler 'Nada'; row 4 challenge 'Geen'"
    )


def test_kobos_own_clock_is_metadata_and_not_named_as_a_skipped_rows_answer(tmp_path):
    # trial 32: rows of placeholders were skipped as having answered only 'start', 'end',
    # 'today', Kobo's clock
    path = tmp_path / "kobo.csv"
    path.write_text(
        "start;end;today;What helps the group work well?;What makes it hard?;_id\n"
        "2025-02-03T09:00;2025-02-03T09:05;2025-02-03;Mentors;No airtime;1\n"
        "2025-02-04T09:00;2025-02-04T09:05;2025-02-04;n/a;-;2\n",
        encoding="utf-8",
    )
    (entry,) = load_lists(path).attrs["load_report"]["files"]
    assert entry["metadata"] == ["start", "end", "today"]
    assert entry["kept"] == []
    assert entry["skipped"] == [{"row": 3, "reason": "no item text"}]


def test_sheet_reads_one_sheet_of_a_list_workbook(tmp_path):
    # trial 33: check advises sheet=, which only load_stories took
    book = openpyxl.Workbook()
    book.active.title = "Ward A"
    book.active.append(["Enablers", "Challenges"])
    book.active.append(["Huddles", "Staffing"])
    second = book.create_sheet("Ward B")
    second.append(["Enablers", "Challenges"])
    second.append(["Mentors", "Time"])
    book.save(tmp_path / "lists.xlsx")
    items = load_lists(tmp_path / "lists.xlsx", sheet="Ward B")
    assert items[["kind", "text"]].values.tolist() == [
        ["enabler", "Mentors"],
        ["challenge", "Time"],
    ]


def test_a_qualtrics_preview_row_gives_no_items_and_is_listed(tmp_path):
    # trial 33: a "Survey Preview" row was read as a member's answers
    (tmp_path / "lists.csv").write_text(
        "Response Type,What has helped?,What has got in the way?\n"
        "Survey Preview,test,test\n"
        "IP Address,Huddles,Staffing\n",
        encoding="utf-8",
    )
    items = load_lists(tmp_path / "lists.csv")
    assert items["text"].tolist() == ["Huddles", "Staffing"]
    assert items.attrs["load_report"]["files"][0]["skipped"] == [
        {
            "row": 2,
            "reason": "a preview of the survey, not a member's response ('Response Type' is "
            "'Survey Preview')",
        }
    ]


def test_a_cells_lines_are_items_and_a_row_with_no_community_has_none(tmp_path):
    """Trial 35: a Google Sheets cell with two items on two lines (Alt+Enter) was one item,
    and the row with an empty District got the file's name as its community."""
    path = tmp_path / "network.csv"
    path.write_text(
        "District,Enablers,Challenges\n"
        "Dedza,Whatsapp group,Late refunds\n"
        ',"Recognition certificates\nTea and lunch at meetings","No allowance\n\n- Bad roads"\n'
        'Ntcheu,N/A,"Far meetings\r\nNone"\n',
        encoding="utf-8",
    )
    items = load_lists(path)
    assert items[["kind", "text", "community"]].astype(object).fillna("<NA>").values.tolist() == [
        ["enabler", "Whatsapp group", "Dedza"],
        ["challenge", "Late refunds", "Dedza"],
        ["enabler", "Recognition certificates", "<NA>"],
        ["enabler", "Tea and lunch at meetings", "<NA>"],
        ["challenge", "No allowance", "<NA>"],
        ["challenge", "Bad roads", "<NA>"],
        ["challenge", "Far meetings", "Ntcheu"],
    ]
    assert items["item_id"].tolist() == [
        "network-enabler-001",
        "network-challenge-001",
        "network-enabler-002",
        "network-enabler-003",
        "network-challenge-002",
        "network-challenge-003",
        "network-challenge-004",
    ]
    assert items["source"].tolist()[2:6] == ["network.csv:row 3"] * 4
    assert items.attrs["load_report"]["files"][0]["notes"] == [
        "2 answers read as no answer, being only a placeholder: row 4 enabler 'N/A'; "
        "row 4 challenge 'None'",
        "1 row names no community in 'District': their items have none",
    ]


def test_a_long_lists_cell_of_several_lines_gives_one_id_per_line(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text(
        'ID,Kind,Item\nA1,enabler,"Mentors\nA shared drive"\nA2,challenge,No time\n', "utf-8"
    )
    items = load_lists(path)
    assert items[["item_id", "kind", "text"]].values.tolist() == [
        ["A1-1", "enabler", "Mentors"],
        ["A1-2", "enabler", "A shared drive"],
        ["A2", "challenge", "No time"],
    ]


RETREAT_NOTES = """# What helped and what got in the way: mid-year retreat

## Northbridge University

### Enablers
- Monthly meetings at a fixed time
- Course release for the two facilitators

### Challenges
- Teaching loads leave no time to experiment

## Lakeside State University

### Enablers
- The provost's public support

### Challenges
- Tenure guidelines do not reward teaching innovation
- N/A
"""


def test_each_communitys_lists_under_its_own_heading_take_its_name(tmp_path):
    """Trial 36: three universities' lists under '## <university>' headings were all read
    as the file name's community, with the note that no community line was found."""
    path = tmp_path / "retreat notes.md"
    path.write_text(RETREAT_NOTES, encoding="utf-8")
    items = load_lists(path)
    assert items[["kind", "community", "text"]].values.tolist() == [
        ["enabler", "Northbridge University", "Monthly meetings at a fixed time"],
        ["enabler", "Northbridge University", "Course release for the two facilitators"],
        ["challenge", "Northbridge University", "Teaching loads leave no time to experiment"],
        ["enabler", "Lakeside State University", "The provost's public support"],
        [
            "challenge",
            "Lakeside State University",
            "Tenure guidelines do not reward teaching innovation",
        ],
    ]
    (entry,) = items.attrs["load_report"]["files"]
    assert entry["notes"] == [
        "the communities read from the headings the lists stand under: "
        "'Northbridge University' (line 3); 'Lakeside State University' (line 12)",
        "1 answer read as no answer, being only a placeholder: line 19 'N/A'",
    ]
    assert not entry.get("skipped")


def test_one_heading_over_the_lists_is_a_title_not_a_community(tmp_path):
    path = tmp_path / "Northbridge.md"
    path.write_text(
        "# Retreat notes\n\n## Enablers\n- Monthly meetings\n\n## Challenges\n- Time\n",
        encoding="utf-8",
    )
    items = load_lists(path)
    assert items["community"].tolist() == ["Northbridge", "Northbridge"]
    (entry,) = items.attrs["load_report"]["files"]
    assert entry["notes"] == [
        "no community line: the file's name, 'Northbridge', stands for the community"
    ]


def _flipchart_docx(path, *, listed: bool):
    document = docx.Document()
    document.add_paragraph("Retreat: what helps, what gets in the way", style="Title")
    document.add_paragraph("Community: Water Practitioners Network")
    document.add_paragraph("Transcribed from the flipcharts by H.")
    document.add_heading("Enablers", level=2)
    for text in ("The monthly leak clinic", "Meetings in work time"):
        document.add_paragraph(text, style="List Bullet" if listed else None)
    document.add_heading("Challenges", level=2)
    document.add_paragraph("No protected time", style="List Bullet" if listed else None)
    document.save(path)
    return path


def test_a_line_under_the_title_before_the_bulleted_lists_is_a_preamble_noted(tmp_path):
    # trial 37: "Transcribed from the flipcharts by H." under the title was skipped and made
    # check ask for a look, for a line that is no item
    from copanalysis.io import check_study

    (tmp_path / "lists").mkdir()
    items = load_lists(_flipchart_docx(tmp_path / "lists" / "retreat.docx", listed=True))
    assert items["text"].tolist() == [
        "The monthly leak clinic",
        "Meetings in work time",
        "No protected time",
    ]
    (entry,) = items.attrs["load_report"]["files"]
    assert entry["skipped"] == []
    assert entry["notes"] == [
        "paragraph 3, under the title 'Retreat: what helps, what gets in the way', read as the "
        "file's preamble, not an item (the items are marked as a list, and it is not): "
        "'Transcribed from the flipcharts by H.'"
    ]
    (checked,) = check_study(tmp_path).files
    assert checked.attention == ()


def test_a_line_under_the_title_that_could_be_an_item_is_still_skipped_and_listed(tmp_path):
    # the items are plain paragraphs, as the line is: it may be an item of a list whose
    # heading is missing
    items = load_lists(_flipchart_docx(tmp_path / "retreat.docx", listed=False))
    (entry,) = items.attrs["load_report"]["files"]
    assert entry["skipped"] == [
        {
            "paragraph": 3,
            "reason": "under the heading 'Retreat: what helps, what gets in the way', which "
            "names neither enablers nor challenges (name it 'Enablers' or 'Challenges' to "
            "read it)",
        }
    ]
    # three plain lines under the title are a list, not a preamble; a bullet is an item
    path = tmp_path / "away-day.md"
    for lines in ("Protected time\nA good chair\nTea\n", "- Protected time\n"):
        path.write_text(f"# Away day\n{lines}\n## Enablers\n- Minutes\n", encoding="utf-8")
        (entry,) = load_lists(path).attrs["load_report"]["files"]
        assert [skip["line"] for skip in entry["skipped"]] == list(range(2, 2 + lines.count("\n")))
        assert not any("preamble" in note for note in entry["notes"])
    path.write_text("# Away day\nNotes by H.\n\n## Enablers\n- Minutes\n", encoding="utf-8")
    (entry,) = load_lists(path).attrs["load_report"]["files"]
    assert (entry["skipped"], entry["notes"][-1]) == (
        [],
        "line 2, under the title 'Away day', read as the file's preamble, not an item (the "
        "items are marked as a list, and it is not): 'Notes by H.'",
    )


def test_items_before_any_heading_are_skipped_and_listed_and_a_plain_first_line_is_the_title(
    tmp_path,
):
    # a plain first line is the file's title; a bulleted line before any heading is an item
    # whose heading is missing, listed rather than passed over in silence
    path = tmp_path / "away-day.txt"
    path.write_text(
        "Away day notes\n- Tea and biscuits\n* A good chair\n\nEnablers:\n- Minutes\n",
        encoding="utf-8",
    )
    items = load_lists(path)
    assert items["text"].tolist() == ["Minutes"]
    (entry,) = items.attrs["load_report"]["files"]
    reason = (
        "a list item before any heading: put it under an 'Enablers' or 'Challenges' heading "
        "to read it"
    )
    assert entry["skipped"] == [{"line": 2, "reason": reason}, {"line": 3, "reason": reason}]


def test_a_kind_column_under_a_header_of_ones_own_is_read_by_its_answers(tmp_path):
    """Trial 40: a workshop list with columns "Item", "Helps or hinders?", "Notes" read the
    second as a question asking for both kinds, so its cells ("Helps", "Hinders") became
    the 18 items and every item's text was lost. A "Both" says the item has no one kind."""
    path = tmp_path / "workshop.csv"
    path.write_text(
        "Item,Helps or hinders?,Notes\n"
        "WhatsApp group - quick replies,Helps,nearly everyone\n"
        "No time - 2 hours admin a week,hinders,\n"
        '"Part-time staff miss meetings, but the WhatsApp keeps them in",Both,\n'
        ",,\n",
        encoding="utf-8",
    )
    items = load_lists(path)
    assert items[["item_id", "kind", "text"]].astype(object).values.tolist() == [
        ["workshop-enabler-001", "enabler", "WhatsApp group - quick replies"],
        ["workshop-challenge-001", "challenge", "No time - 2 hours admin a week"],
        [
            "workshop-mixed-001",
            pd.NA,
            "Part-time staff miss meetings, but the WhatsApp keeps them in",
        ],
    ]
    entry = items.attrs["load_report"]["files"][0]
    assert {c: m["field"] for c, m in entry["mapping"].items()} == {
        "Item": "text",
        "Helps or hinders?": "kind",
    }
    assert (
        "column 'Helps or hinders?' names each item's kind in every answer: read as the kind "
        "column"
    ) in entry["notes"]
    assert (
        "1 item says it both helps and hinders (row 4 'Both'): loaded with no kind, and the "
        "coders read from its text whether it tells of an enabler or a challenge"
    ) in entry["notes"]


def test_a_kind_column_of_helps_us_and_holds_us_back(tmp_path):
    # trial 42: a depot managers' flipchart list, its kind column headed "Helps us / holds
    # us back"; "Holds us back" was no kind, so the file could not be read
    path = tmp_path / "workshop.csv"
    path.write_text(
        "Depot,What was said (flipchart),Helps us / holds us back\n"
        "Millbrook,Managers letting people go to the monthly call,Helps us\n"
        "Millbrook,Nobody has spare time in gully season,Holds us back\n"
        "Eastmoor,IT wont let us install the block library,holds us back\n"
        "Eastmoor,CAD standards agreed by the group,helps\n",
        encoding="utf-8",
    )
    for mapping in ({"What was said (flipchart)": "text"}, None):  # trial 43: or unnamed
        items = load_lists(path, mapping=mapping)
        assert items["kind"].tolist() == ["enabler", "challenge", "challenge", "enabler"]
        assert items["text"].tolist()[1] == "Nobody has spare time in gully season"


def test_an_item_column_under_a_header_of_ones_own_beside_a_kind_column(tmp_path):
    """Trial 43: a steering group's list, "Helps or hinders?" (Enabler / Challenge) beside
    "What we said": the kind cells became the 12 items, the items were kept uncoded, and
    the note offered only 'enabler' or 'challenge' to map "What we said" to."""
    path = tmp_path / "steering.csv"
    path.write_text(
        "Helps or hinders?,What we said,Meeting\n"
        "Enabler,Protected monthly slot for case reviews,Steering group 14 Nov\n"
        "Challenge,Staff not released from wards - staffing levels,Steering group 14 Nov\n"
        "Challenge,IG worries about patient photos on personal phones,Steering group 14 Nov\n"
        "Challenge,n/a,Steering group 14 Nov\n",
        encoding="utf-8",
    )
    items = load_lists(path)
    assert items[["kind", "text"]].values.tolist() == [
        ["enabler", "Protected monthly slot for case reviews"],
        ["challenge", "Staff not released from wards - staffing levels"],
        ["challenge", "IG worries about patient photos on personal phones"],
    ]
    entry = items.attrs["load_report"]["files"][0]
    assert {c: m["field"] for c, m in entry["mapping"].items()} == {
        "Helps or hinders?": "kind",
        "What we said": "text",
    }
    assert entry["kept"] == ["Meeting"]
    assert (
        "column 'What we said' holds the items, each in its own words, beside the kind "
        "column: read as the item column"
    ) in entry["notes"]


def test_a_depot_column_is_the_community(tmp_path):
    # trial 42: a council's engineers are based at depots; "Depot" was kept as is and the
    # file's name stood for the community
    path = tmp_path / "workshop.csv"
    path.write_text(
        "Depot,Enablers,Challenges\nMillbrook,Monthly call,Workload\nEastmoor,Teams channel,\n",
        encoding="utf-8",
    )
    items = load_lists(path)
    assert items["community"].tolist() == ["Millbrook", "Millbrook", "Eastmoor"]


def test_a_kind_column_read_by_its_answers_leaves_the_one_free_text_column_as_the_items(
    tmp_path,
):
    # trial 42: with no mapping, "What was said (flipchart)" was not found and the cells of
    # "Helps us / holds us back" became 20 items of no kind ("Helps us" x 10)
    path = tmp_path / "workshop.csv"
    path.write_text(
        "Depot,What was said (flipchart),Helps us / holds us back\n"
        "Millbrook,Managers letting people go to the monthly call,Helps us\n"
        "Millbrook,Nobody has spare time in gully season,Holds us back\n"
        "Northern Yard,Reorganisation every two years,Both\n"
        "Eastmoor,N/A,Holds us back\n",
        encoding="utf-8",
    )
    items = load_lists(path)
    assert items[["kind", "text", "community"]].astype(object).values.tolist() == [
        ["enabler", "Managers letting people go to the monthly call", "Millbrook"],
        ["challenge", "Nobody has spare time in gully season", "Millbrook"],
        [pd.NA, "Reorganisation every two years", "Northern Yard"],
    ]
    entry = items.attrs["load_report"]["files"][0]
    assert {c: m["field"] for c, m in entry["mapping"].items()} == {
        "Depot": "community",
        "What was said (flipchart)": "text",
        "Helps us / holds us back": "kind",
    }
