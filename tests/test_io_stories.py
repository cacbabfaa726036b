"""load_stories: every format, the column mapping, ids, dates, bad input."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from copanalysis.errors import (
    DuplicateIdError,
    EmptyFileError,
    FileFormatError,
    MappingError,
    MissingColumnError,
    UnsupportedFormatError,
)
from copanalysis.io import check_study
from copanalysis.io.stories import format_load_report, load_stories

GOOGLE_HEADER = [
    "Timestamp",
    "Response ID",
    "Community",
    "Your name",
    "Your role",
    "1. What meaningful activities did you participate in? *",
    "2. What specific insights did you gain? What access to useful information or material? *",
    "3. How did this influence your practice? What difference did it make to your "
    "performance? What did it enable that would not have happened otherwise? *",
    "4. How did this contribute to your personal/professional development? *",
    "5. How did this contribute to the goal of the organization? Qualitatively? Quantitatively? *",
]


def _csv(path: Path, rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8"):
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_times_in_another_zone_are_stored_in_utc_and_the_load_report_says_so(tmp_path):
    """Trial 27: "10:12:04 AM GMT+1" became 09:12:04 with no word of it."""
    header = ["Timestamp", "What meaningful activities did you participate in?"]
    path = _csv(
        tmp_path / "export.csv",
        [header, ["2025/03/10 10:12:04 AM GMT+1", "Two webinars"],
         ["2025/03/11 11:40:00 PM GMT+1", "The field day"]],
    )  # fmt: skip
    stories = load_stories(path)
    assert stories["submitted"].astype(str).tolist() == [
        "2025-03-10 09:12:04",
        "2025-03-11 22:40:00",
    ]
    notes = stories.attrs["load_report"]["files"][0]["notes"]
    assert (
        "2 value(s) of 'Timestamp' given in a time zone other than UTC (such as row 2: "
        "'2025/03/10 10:12:04 AM GMT+1') are stored in UTC, the zone dropped: a time near "
        "midnight may fall on the day before or after"
    ) in notes
    utc = _csv(tmp_path / "utc.csv", [header, ["2025-03-10 10:12:04 UTC", "Two webinars"]])
    assert not any(
        "time zone" in n for n in load_stories(utc).attrs["load_report"]["files"][0]["notes"]
    )


def test_google_forms_csv_maps_numbered_questions(tmp_path):
    path = _csv(
        tmp_path / "nursing.csv",
        [
            GOOGLE_HEADER,
            [
                "3/14/2025 10:22:05",
                " R-17 ",
                "Nursing Practice Network",
                "Zoë Müller",
                "Ward nurse",
                "Case  reviews\non Fridays",
                "A checklist",
                "Fewer falls",
                "",
                "We cut onboarding from 6 weeks to 3 🎉",
            ],
            ["3/15/2025 09:00:00", "R-18", "Nursing Practice Network", "Ben", "", *[""] * 5],
        ],
    )
    stories = load_stories(path)
    assert len(stories) == 1
    row = stories.iloc[0]
    assert row["story_id"] == "R-17"
    # no activity-date column: the date is the submission time, and the report says so
    assert row["date"] == row["submitted"] == pd.Timestamp("2025-03-14 10:22:05")
    assert row["member"] == "Zoë Müller"
    assert row["activities"] == "Case  reviews\non Fridays"  # inner spaces and newline kept
    assert pd.isna(row["development"])
    assert row["organization"].endswith("🎉")
    assert row["source"] == "nursing.csv:row 2"
    file = stories.attrs["load_report"]["files"][0]
    assert file["encoding"] == "utf-8" and file["delimiter"] == ","
    fields = {c: m["field"] for c, m in file["mapping"].items()}
    assert [fields[h] for h in GOOGLE_HEADER] == [
        "submitted",
        "story_id",
        "community",
        "member",
        "role",
        "activities",
        "insights",
        "practice",
        "development",
        "organization",
    ]
    assert file["skipped"] == [{"row": 3, "reason": "no answer to any prompt"}]
    assert json.loads(json.dumps(stories.attrs["load_report"])) == stories.attrs["load_report"]
    assert stories.attrs["sources"][0]["path"] == str(path)
    assert len(stories.attrs["sources"][0]["sha256"]) == 64


def test_semicolon_bom_csv_with_short_headers_and_day_first_dates(tmp_path):
    path = _csv(
        tmp_path / "farmers-extension.csv",
        [
            [
                "Community/date",
                "Member/role",
                "Activities",
                "Insights gained",
                "Impact on practice",
                "Personal development",
                "Contribution to the organisation",
                "Email",
            ],
            [
                "Farmers Circle / 14.03.2025",
                "Ingrid, dairy farmer",
                "Field day",
                "",
                "",
                "",
                "",
                "i@example.org",
            ],
            ["Farmers Circle / 31.02.2025", "Olu (agronomist)", "", "Soil tests", "", "", "", ""],
        ],
        delimiter=";",
        encoding="utf-8-sig",
    )
    stories = load_stories(path)
    assert stories["story_id"].tolist() == ["farmers-extension-001", "farmers-extension-002"]
    assert stories["community"].tolist() == ["Farmers Circle", "Farmers Circle"]
    assert stories["date"].iloc[0] == pd.Timestamp("2025-03-14")
    assert pd.isna(stories["date"].iloc[1])
    assert stories["member"].tolist() == ["Ingrid", "Olu"]
    assert stories["role"].tolist() == ["dairy farmer", "agronomist"]
    assert stories["Email"].iloc[0] == "i@example.org"  # unmapped column kept
    file = stories.attrs["load_report"]["files"][0]
    assert (file["encoding"], file["delimiter"]) == ("utf-8-sig", ";")
    assert file["bad_dates"] == [{"row": 3, "value": "31.02.2025"}]
    assert (file["kept"], file["metadata"]) == ([], ["Email"])
    assert file["dates"] == {
        "Community/date": {"field": "date", "order": "day-first", "why": "row 2: '14.03.2025'"}
    }
    assert "unparseable date at row 3: '31.02.2025'" in format_load_report(
        stories.attrs["load_report"]
    )


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-16", "utf-16"), ("cp1252", "cp1252"), ("utf-8", "utf-8")],
)
def test_encodings_are_detected_and_reported(tmp_path, encoding, expected):
    path = _csv(
        tmp_path / "s.tsv",
        [["Name", "Insights"], ["José Peña", "Café talks – useful"]],
        delimiter="\t",
        encoding=encoding,
    )
    stories = load_stories(path)
    assert stories["member"].iloc[0] == "José Peña"
    assert stories["insights"].iloc[0] == "Café talks – useful"
    assert stories.attrs["load_report"]["files"][0]["encoding"] == expected


def test_latin1_fallback_for_bytes_cp1252_does_not_define(tmp_path):
    path = tmp_path / "s.csv"
    path.write_bytes(b"Name,Insights\nAna,caf\xe9 \x81\n")
    stories = load_stories(path)
    assert stories["insights"].iloc[0] == "café \x81"
    assert stories.attrs["load_report"]["files"][0]["encoding"] == "latin-1"


def test_xlsx_every_sheet_named_sheet_and_reworded_headers(tmp_path):
    header = [
        "ID",
        "Start time",
        "Completion time",
        "Email",
        "Name",
        "Community",
        "What activities did you take part in?",
        "What did you learn? Any useful information or materials?",
        "How did it change your work?",
    ]
    path = _xlsx(
        tmp_path / "teachers.xlsx",
        {
            "Term 1": [
                header,
                [
                    1,
                    "2025-03-02 08:00:00",
                    "2025-03-02 08:10:00",
                    "a@b.c",
                    "Ana",
                    "Teachers",
                    "Lab",
                    None,
                    "More labs",
                ],
            ],
            "Term 2": [
                header,
                [
                    2,
                    "3/1/2025 8:00",
                    "3/1/2025 8:20",
                    None,
                    "Bo",
                    "Teachers",
                    None,
                    "Rubric",
                    None,
                ],
            ],
        },
    )
    stories = load_stories(path)
    assert stories["story_id"].tolist() == ["1", "2"]
    assert stories["source"].tolist() == [
        "teachers.xlsx:Term 1:row 2",
        "teachers.xlsx:Term 2:row 2",
    ]
    assert stories["activities"].iloc[0] == "Lab"
    assert stories["insights"].iloc[1] == "Rubric"
    assert stories["practice"].iloc[0] == "More labs"
    # Microsoft Forms: the completion time is the submission, the start time is metadata
    assert stories["submitted"].tolist() == [
        pd.Timestamp("2025-03-02 08:10"),
        pd.Timestamp("2025-03-01 08:20"),
    ]
    assert stories["date"].tolist() == stories["submitted"].tolist()
    assert stories["Start time"].iloc[0] == "2025-03-02 08:00:00"
    files = stories.attrs["load_report"]["files"]
    assert [f["sheet"] for f in files] == ["Term 1", "Term 2"]
    assert files[0]["metadata"] == ["Start time", "Email"]
    only = load_stories(path, sheet="Term 2")
    assert only["story_id"].tolist() == ["2"]


def test_multisheet_ids_without_id_column_use_sheet_slug(tmp_path):
    path = _xlsx(
        tmp_path / "book.xlsx",
        {"Team A": [["Activities"], ["x"], ["y"]], "Team B (2025)": [["Activities"], ["z"]]},
    )
    stories = load_stories(path)
    assert stories["story_id"].tolist() == [
        "book-team-a-001",
        "book-team-a-002",
        "book-team-b-2025-001",
    ]
    assert load_stories(path, sheet="Team B (2025)")["story_id"].tolist() == [
        "book-team-b-2025-001"
    ]


def test_ids_count_data_rows_so_a_skipped_row_keeps_its_number(tmp_path):
    path = _csv(tmp_path / "s.csv", [["Name", "Insights"], ["A", "a"], ["B", ""], ["C", "c"]])
    stories = load_stories(path)
    assert stories["story_id"].tolist() == ["s-001", "s-003"]
    assert load_stories(path)["story_id"].tolist() == stories["story_id"].tolist()
    with pytest.raises(FileFormatError, match=r"s\.csv, row 3"):
        load_stories(path, strict=True)


def test_explicit_mapping_overrides_matching(tmp_path):
    path = _csv(tmp_path / "s.csv", [["Q7", "Insights", "Who"], ["Ran a clinic", "x", "Ana"]])
    stories = load_stories(path, mapping={"Q7": "activities", "Insights": None, "Who": "member"})
    assert stories["activities"].iloc[0] == "Ran a clinic"
    assert stories["member"].iloc[0] == "Ana"
    assert pd.isna(stories["insights"].iloc[0])
    assert stories["Insights"].iloc[0] == "x"
    mapping = stories.attrs["load_report"]["files"][0]["mapping"]
    assert mapping["Q7"] == {"field": "activities", "score": 100.0}
    with pytest.raises(MissingColumnError, match="Nope"):
        load_stories(path, mapping={"Nope": "activities"})


def test_json_and_jsonl(tmp_path):
    records = [
        {"id": "a1", "story": "We met and it helped.", "extra": {"k": 1}},
        {"id": "a2", "story": None},
    ]
    (tmp_path / "s.json").write_text(json.dumps({"responses": records}), encoding="utf-8")
    stories = load_stories(tmp_path / "s.json")
    assert stories["story_id"].tolist() == ["a1"]
    assert stories["story"].iloc[0] == "We met and it helped."
    assert stories["extra"].iloc[0] == '{"k": 1}'
    lines = "\n".join(json.dumps({"Insights": t}) for t in ["one", "two"])
    (tmp_path / "s.jsonl").write_text(lines + "\n", encoding="utf-8")
    jsonl = load_stories(tmp_path / "s.jsonl")
    assert jsonl["story_id"].tolist() == ["s-001", "s-002"]
    assert jsonl["source"].tolist() == ["s.jsonl:row 1", "s.jsonl:row 2"]
    (tmp_path / "bad.jsonl").write_text('{"Insights": "x"}\n{oops\n', encoding="utf-8")
    with pytest.raises(FileFormatError, match=r"bad\.jsonl, row 2"):
        load_stories(tmp_path / "bad.jsonl")


def test_bad_input_raises_named_errors(tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(EmptyFileError, match=r"empty\.csv"):
        load_stories(tmp_path / "empty.csv")
    _csv(tmp_path / "header.csv", [["Activities", "Insights"]])
    with pytest.raises(EmptyFileError, match=r"header\.csv.*no data rows"):
        load_stories(tmp_path / "header.csv")
    _csv(tmp_path / "notext.csv", [["Timestamp", "Email"], ["2025-01-01", "a@b.c"]])
    with pytest.raises(MissingColumnError, match=r"notext\.csv.*no column holds story text"):
        load_stories(tmp_path / "notext.csv")
    (tmp_path / "binary.csv").write_bytes(b"Name,Insights\n\x00\x01\x02,x\n")
    with pytest.raises(FileFormatError, match=r"binary\.csv.*cannot decode"):
        load_stories(tmp_path / "binary.csv")
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(FileFormatError, match=r"broken\.xlsx"):
        load_stories(tmp_path / "broken.xlsx")
    (tmp_path / "broken.docx").write_bytes(b"not a docx")
    with pytest.raises(FileFormatError, match=r"broken\.docx"):
        load_stories(tmp_path / "broken.docx")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    with pytest.raises(UnsupportedFormatError, match=r"notes\.pdf.*supported: .*\.csv"):
        load_stories(tmp_path / "notes.pdf")
    (tmp_path / "ragged.csv").write_text("Name,Insights\nAna,x\nBo,y,extra\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match=r"ragged\.csv, row 3: ragged row"):
        load_stories(tmp_path / "ragged.csv")
    _csv(tmp_path / "dups.csv", [["ID", "Insights"], ["7", "a"], ["8", "b"], ["7", "c"]])
    with pytest.raises(DuplicateIdError, match=r"dups\.csv, row 4.*'7'.*row 2") as info:
        load_stories(tmp_path / "dups.csv")
    assert info.value.row == 4
    assert "pass mapping={'ID': None})" in str(info.value)  # the file's own id column


def test_loading_never_modifies_the_input(tmp_path):
    path = _csv(tmp_path / "s.csv", [["Insights"], ["a"]])
    before = (path.read_bytes(), os.stat(path).st_mtime_ns)
    load_stories(path)
    load_stories(tmp_path)
    assert (path.read_bytes(), os.stat(path).st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.csv"]


def test_folder_loads_every_supported_file_sorted_and_checks_ids_across_files(tmp_path):
    _csv(tmp_path / "b.csv", [["Insights"], ["from b"]])
    sub = tmp_path / "more"
    sub.mkdir()
    _csv(sub / "a.csv", [["Insights"], ["from a"]])
    (tmp_path / ".hidden.csv").write_text("junk", encoding="utf-8")
    (tmp_path / "~$lock.xlsx").write_bytes(b"junk")
    stories = load_stories(tmp_path, progress=False)
    assert stories["story_id"].tolist() == ["b-001", "a-001"]  # sorted by path: b.csv < more/
    assert len(stories.attrs["sources"]) == 2
    # two files of one name: their numbered ids repeat, so each takes its path as well
    _csv(sub / "b.csv", [["Insights"], ["clash"]])
    stories = load_stories(tmp_path, progress=False)
    assert stories["story_id"].tolist() == ["b-b-001", "a-001", "more-b-b-001"]


def test_ids_repeated_only_across_files_take_their_files_names(tmp_path):
    # two Microsoft Forms exports both number their responses from 1
    header = ["ID", "Completion time", "Insights"]
    _csv(
        tmp_path / "team-a.csv",
        [header, ["1", "1/10/25 10:10", "a1"], ["2", "1/10/25 10:11", "a2"]],
    )
    _csv(tmp_path / "team-b.csv", [header, ["1", "1/11/25 10:10", "b1"]])
    stories = load_stories(tmp_path, progress=False)
    assert stories["story_id"].tolist() == ["team-a-1", "team-a-2", "team-b-1"]
    notes = [e["notes"][-1] for e in stories.attrs["load_report"]["files"]]
    assert notes == [
        "its story_ids repeat those of team-b.csv: each is read with the file's name before "
        "it ('team-a-<id>')",
        "its story_ids repeat those of team-a.csv: each is read with the file's name before "
        "it ('team-b-<id>')",
    ]
    # check says so in the file's notes, and nothing needs a look: two exports that both
    # number their responses from 1 are Ready (trial 21: check could never say Ready)
    study = tmp_path / "study"
    (study / "stories").mkdir(parents=True)
    for name in ("team-a.csv", "team-b.csv"):
        (study / "stories" / name).write_bytes((tmp_path / name).read_bytes())
    checked = check_study(study)
    said = [a for f in checked.files for a in f.attention]
    assert said and not [a for a in said if "id" in a]  # only its ambiguous dates need a look
    (team_b,) = [f for f in checked.files if f.path.name == "team-b.csv"]
    assert any("repeat those of team-a.csv" in n for n in team_b.report["files"][0]["notes"])
    # a file whose ids clash with no other keeps them
    _csv(tmp_path / "team-c.csv", [header, ["9", "1/12/25 10:10", "c9"]])
    assert load_stories(tmp_path, progress=False)["story_id"].tolist()[-1] == "9"
    # an id repeated within one file is still an error, named at its row
    _csv(tmp_path / "team-c.csv", [header, ["9", "1/12/25 10:10", "c9"], ["9", "1/12/25", "x"]])
    with pytest.raises(DuplicateIdError, match=r"team-c\.csv, row 3.*'9'"):
        load_stories(tmp_path, progress=False)


PROMPTS = [
    "What meaningful activities did you participate in?",
    "What specific insights did you gain? What access to useful information or material?",
    "How did this influence your practice? What difference did it make to your performance? "
    "What did it enable that would not have happened otherwise?",
    "How did this contribute to your personal/professional development?",
    "How did this contribute to the goal of the organization? Qualitatively? Quantitatively?",
]


@pytest.mark.parametrize(
    ("written", "dayfirst", "community", "date", "report"),
    [
        ("Mchinji 11/04/2026", None, "Mchinji", "2026-11-04", "assumed month-first"),
        ("Mchinji 11/04/2026", True, "Mchinji", "2026-04-11", "day-first (dayfirst=True)"),
        ("Kasungu 4 April 2026", None, "Kasungu", "2026-04-04", None),
        ("Dedza 2026-03-09", None, "Dedza", "2026-03-09", None),
        ("Ntcheu March 2026", None, "Ntcheu", "2026-03-01", None),
        ("Dedza (12/03/2026)", True, "Dedza", "2026-03-12", "day-first (dayfirst=True)"),
        ("Dedza 12/03", None, "Dedza", None, "unparseable date at paragraph 1: '12/03'"),
        (
            "Kasungu 4th April 2026",
            None,
            "Kasungu",
            None,
            "unparseable date at paragraph 1: '4th April 2026'",
        ),
    ],
)
def test_docx_community_date_with_a_space_before_the_date(
    tmp_path, written, dayfirst, community, date, report
):
    import docx

    document = docx.Document()
    document.add_paragraph(f"Community/date: {written}")
    document.add_paragraph("Member/role: Chikondi Banda / FFS facilitator")
    document.add_paragraph(PROMPTS[0])
    document.add_paragraph("A field day on pit planting.")
    path = tmp_path / "worksheet-1.docx"
    document.save(path)
    stories = load_stories(path, dayfirst=dayfirst)
    assert stories["community"].tolist() == [community]
    assert stories["date"].tolist() == [pd.NaT if date is None else pd.Timestamp(date)]
    text = format_load_report(stories.attrs["load_report"])
    assert str(path) in text
    lines = [line.strip() for line in text.splitlines()[2:]]  # after the file's line
    dated = [line for line in lines if "date" in line and "->" not in line]
    if report is None:
        assert dated == []
    else:
        assert len(dated) == 1 and report in dated[0]


def test_docx_paragraph_worksheets_split_at_each_community_date(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Value creation stories", level=1)
    for community, member, answers in [
        (
            "Harbour Engineers / 3 March 2025",
            "Jonas Berg, site engineer",
            ["Site walks", "", "Fewer RFIs", "", "Saved 40 hours"],
        ),
        ("Harbour Engineers / 2025-04", "Åsa Lind", ["", "", "", "", ""]),
        (
            "Harbour Engineers / April 2025",
            "Li Wei / planner",
            ["Peer review", "Checklists", "", "Confidence", ""],
        ),
    ]:
        document.add_paragraph(f"Community/date: {community}")
        document.add_paragraph("Member/role:")
        document.add_paragraph(member)
        for prompt, answer in zip(PROMPTS, answers, strict=True):
            document.add_paragraph(prompt)
            if answer:
                document.add_paragraph(answer)
    document.add_paragraph("Community/date: Harbour Engineers / May 2025")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Member/role"
    table.cell(0, 1).text = "Kim"
    table.cell(1, 0).text = PROMPTS[1]
    table.cell(1, 1).text = "A  shared\nfolder"
    path = tmp_path / "engineers-01.docx"
    document.save(path)
    stories = load_stories(path)
    assert stories["story_id"].tolist() == [
        "engineers-01-001",
        "engineers-01-003",
        "engineers-01-004",
    ]
    first = stories.iloc[0]
    assert (first["community"], first["member"], first["role"]) == (
        "Harbour Engineers",
        "Jonas Berg",
        "site engineer",
    )
    assert first["date"] == pd.Timestamp("2025-03-03")
    assert first["activities"] == "Site walks"
    assert pd.isna(first["insights"])
    assert first["organization"] == "Saved 40 hours"
    assert stories["role"].iloc[1] == "planner"
    assert stories["insights"].iloc[2] == "A  shared\nfolder"
    assert stories["member"].iloc[2] == "Kim"
    assert stories["source"].iloc[0] == "engineers-01.docx:paragraph 2"
    report = stories.attrs["load_report"]["files"][0]
    assert report["format"] == "docx"
    assert report["skipped"] == [{"paragraph": 13, "reason": "story 2: no answer to any prompt"}]
    assert report["mapping"][PROMPTS[0]] == {"field": "activities", "score": 100.0}


def test_markdown_notes_with_story_headings_and_prompt_headings(tmp_path):
    text = (
        "# Story\n"
        "## Community/date\nOSS Maintainers / 2025-02-10\n"
        "## Member/role\nPriya (maintainer)\n"
        "## What meaningful activities did you participate in?\n"
        "Triage  sprints 🐛\n\nand a mentoring call\n"
        "## How did this contribute to the goal of the organization?\n"
        "Review time fell from 9 days to 4.\n"
        "# Story\n"
        "## Community/date\nOSS Maintainers / 2025-13-45\n"
        "## Insights\nRead the governance docs.\n"
        "## Community/date\nOSS Maintainers / March 2025\n"
        "## Your story\nThe sessions were a waste of time.\n"
    )
    path = tmp_path / "oss-notes.md"
    path.write_text(text, encoding="utf-8")
    stories = load_stories(path)
    assert stories["story_id"].tolist() == ["oss-notes-001", "oss-notes-002", "oss-notes-003"]
    assert stories["activities"].iloc[0] == "Triage  sprints 🐛\n\nand a mentoring call"
    assert stories["organization"].iloc[0] == "Review time fell from 9 days to 4."
    assert stories["member"].iloc[0] == "Priya"
    assert stories["insights"].iloc[1] == "Read the governance docs."
    assert stories["story"].iloc[2] == "The sessions were a waste of time."
    assert stories["source"].tolist() == [
        "oss-notes.md:line 2",
        "oss-notes.md:line 13",
        "oss-notes.md:line 17",
    ]
    report = stories.attrs["load_report"]["files"][0]
    assert report["bad_dates"] == [{"line": 13, "value": "2025-13-45"}]
    assert report["encoding"] == "utf-8"


def test_plain_text_worksheet_with_inline_labels_and_free_narrative(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text(
        "Community/date: Teachers Network, 2025-03-01\n"
        "Member/role: Sam - science teacher\n"
        "Activities: lesson study\n"
        "How did this contribute to your personal/professional development?\n"
        "I now mentor others.\n",
        encoding="cp1252",
    )
    stories = load_stories(path)
    row = stories.iloc[0]
    assert (row["community"], row["member"], row["role"]) == (
        "Teachers Network",
        "Sam",
        "science teacher",
    )
    assert (row["activities"], row["development"]) == ("lesson study", "I now mentor others.")
    free = tmp_path / "free.txt"
    free.write_text("Our network helped me find a job.\nThanks!\n", encoding="utf-8")
    narrative = load_stories(free)
    assert narrative["story"].tolist() == ["Our network helped me find a job.\nThanks!"]


def test_sample_corpus_stories_and_gold_offsets(raw_dir):
    if not (raw_dir / "stories").is_dir():
        pytest.skip("sample corpus not there")
    from copanalysis.io.codes import load_codes

    before = {p: p.stat().st_mtime_ns for p in raw_dir.rglob("*") if p.is_file()}
    stories = load_stories(raw_dir / "stories", progress=False)
    assert len(stories) >= 60 and stories["story_id"].is_unique
    assert stories["community"].nunique() >= 4
    gold = load_codes(raw_dir / "gold" / "gold-codes.csv")
    texts = stories.set_index("story_id")
    quotes = [texts.at[c.doc_id, c.field][c.start : c.end] for c in gold.itertuples()]
    assert quotes == gold["quote"].tolist()
    assert {p: p.stat().st_mtime_ns for p in raw_dir.rglob("*") if p.is_file()} == before


def test_markdown_introduction_is_reported_not_a_story(tmp_path):
    path = tmp_path / "sprint.md"
    path.write_text(
        "# Tessera sprint notes\n"
        "\n"
        "Typed up by Kenji after the sprint.\n"
        "\n"
        "# Story 1\n"
        "**Community/date:** Tessera / 2025-03-01\n"
        "**Member/role:** Kenji, contributor\n"
        "## Activities\n"
        "Two-day sprint.\n"
        "# Story 2\n"
        "**Community/date:** Tessera / 2025-03-02\n"
        "## Story\n"
        "We met.\n",
        encoding="utf-8",
    )
    stories = load_stories(path)
    assert stories["story_id"].tolist() == ["sprint-001", "sprint-002"]
    assert stories["source"].tolist() == ["sprint.md:line 6", "sprint.md:line 11"]
    assert stories["activities"].iloc[0] == "Two-day sprint."
    assert stories["story"].iloc[1] == "We met."
    entry = stories.attrs["load_report"]["files"][0]
    assert entry["introduction"] == {
        "line": 1,
        "to": 3,
        "text": "Tessera sprint notes\nTyped up by Kenji after the sprint.",
    }
    assert entry["notes"] == [
        "lines 1-3: file introduction before the first story, not a story: "
        "'Tessera sprint notes\\nTyped up by Kenji after the sprint.'"
    ]
    assert entry["skipped"] == []
    assert "file introduction" in format_load_report(stories.attrs["load_report"])


def test_text_introduction_before_the_first_community_date_line(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text(
        "Collected at the March meeting.\n"
        "\n"
        "Community/date: Teachers / 2025-03-01\n"
        "Activities: lesson study\n"
        "Community/date: Teachers / 2025-03-02\n"
        "Activities: peer visits\n",
        encoding="utf-8",
    )
    stories = load_stories(path)
    assert stories["story_id"].tolist() == ["notes-001", "notes-002"]
    assert stories["source"].tolist() == ["notes.txt:line 3", "notes.txt:line 5"]
    assert stories["activities"].tolist() == ["lesson study", "peer visits"]
    entry = stories.attrs["load_report"]["files"][0]
    assert entry["introduction"]["text"] == "Collected at the March meeting."
    assert entry["notes"][0].startswith("line 1: file introduction")


def test_word_title_in_body_text_is_no_story_prompt(tmp_path):
    import docx

    document = docx.Document()
    title = document.add_paragraph()
    title.add_run("Value creation stories").bold = True
    document.add_paragraph("Please fill in one worksheet per story.")
    for community, answer in [("Harbour / 2025-03-01", "Site walks"), ("Harbour / 2025-04", "")]:
        document.add_paragraph(f"Community/date: {community}")
        document.add_paragraph("Member/role: Jonas Berg, site engineer")
        document.add_paragraph(PROMPTS[0])
        document.add_paragraph(answer or "Peer review")
    path = tmp_path / "harbour.docx"
    document.save(path)
    stories = load_stories(path)
    assert stories["story_id"].tolist() == ["harbour-001", "harbour-002"]
    assert stories["story"].isna().all()
    assert stories["activities"].tolist() == ["Site walks", "Peer review"]
    assert stories["source"].tolist() == ["harbour.docx:paragraph 3", "harbour.docx:paragraph 7"]
    entry = stories.attrs["load_report"]["files"][0]
    assert entry["introduction"] == {
        "paragraph": 1,
        "to": 2,
        "text": "Value creation stories\nPlease fill in one worksheet per story.",
    }
    assert "Value creation stories" not in entry["mapping"]


QUALTRICS_ROWS = [
    ["StartDate", "EndDate", "ResponseId", "Q1", "Q2", "Q3", "Q4"],
    [
        "Start Date",
        "End Date",
        "Response ID",
        "Your name",
        "Community",
        "What meaningful activities did you participate in?",
        "How did this influence your practice?",
    ],
    [
        '{"ImportId":"startDate","timeZone":"America/Denver"}',
        '{"ImportId":"endDate","timeZone":"America/Denver"}',
        '{"ImportId":"_recordId"}',
        '{"ImportId":"QID1_TEXT"}',
        '{"ImportId":"QID2_TEXT"}',
        '{"ImportId":"QID3_TEXT"}',
        '{"ImportId":"QID4_TEXT"}',
    ],
    ["2025-03-14 10:22:05", "2025-03-14 10:30:00", "R_1a", "Ana", "Nurses", "Case reviews", ""],
    ["2025-03-15 09:00:00", "2025-03-15 09:10:00", "R_2b", "Ben", "Nurses", "", ""],
    ["2025-03-16 09:00:00", "2025-03-16 09:10:00", "R_3c", "Cy", "Nurses", "", "New handover"],
]


def test_qualtrics_csv_maps_question_text_and_keeps_row_numbers(tmp_path):
    path = _csv(tmp_path / "qualtrics.csv", QUALTRICS_ROWS)
    stories = load_stories(path)
    assert stories["story_id"].tolist() == ["R_1a", "R_3c"]
    assert stories["member"].tolist() == ["Ana", "Cy"]
    assert stories["activities"].iloc[0] == "Case reviews"
    assert stories["practice"].iloc[1] == "New handover"
    # the end date is the submission (no Recorded Date here); the start date is metadata
    assert stories["submitted"].tolist() == [
        pd.Timestamp("2025-03-14 10:30:00"),
        pd.Timestamp("2025-03-16 09:10:00"),
    ]
    assert stories["date"].tolist() == stories["submitted"].tolist()
    assert stories["source"].tolist() == ["qualtrics.csv:row 4", "qualtrics.csv:row 6"]
    assert stories["Start Date"].tolist() == ["2025-03-14 10:22:05", "2025-03-16 09:00:00"]
    entry = stories.attrs["load_report"]["files"][0]
    assert (entry["layout"], entry["header_rows"]) == ("qualtrics", [1, 2, 3])
    assert entry["skipped"] == [{"row": 5, "reason": "no answer to any prompt"}]
    assert entry["mapping"]["What meaningful activities did you participate in?"] == {
        "field": "activities",
        "score": 100.0,
    }
    assert entry["short_names"]["How did this influence your practice?"] == "Q4"
    assert "Qualtrics, header rows 1, 2, 3" in format_load_report(stories.attrs["load_report"])


def test_qualtrics_without_id_counts_data_rows_and_maps_short_names(tmp_path):
    rows = [[r[i] for i in (0, 3, 5)] for r in QUALTRICS_ROWS]  # no ResponseId column
    path = _csv(tmp_path / "q.csv", rows)
    stories = load_stories(path, mapping={"Q1": "role", "StartDate": None})
    assert stories["story_id"].tolist() == ["q-001"]  # row 4 is the first data row
    assert stories["role"].tolist() == ["Ana"]
    assert stories["member"].isna().all() and stories["date"].isna().all()
    assert stories["Start Date"].tolist() == ["2025-03-14 10:22:05"]
    with pytest.raises(MissingColumnError, match="Q9"):
        load_stories(path, mapping={"Q9": "role"})


def test_placeholder_answers_are_no_answers_and_the_report_says_so(tmp_path):
    path = _csv(
        tmp_path / "export.csv",
        [
            ["ID", "Activities", "Insights", "Practice"],
            ["1", "Case reviews", "N/A", "-"],
            ["2", "n/a", "—", "(N/A)"],
            ["3", "None", "Nothing new", "Journal club"],
        ],
    )
    stories = load_stories(path)
    assert stories["story_id"].tolist() == ["1", "3"]  # story 2 said nothing at all
    assert stories["insights"].isna().tolist() == [True, False]
    assert stories["practice"].tolist()[0] is pd.NA or pd.isna(stories["practice"].iloc[0])
    # "None" and "Nothing new" are answers: value absent, which a coder should see
    assert stories["activities"].tolist() == ["Case reviews", "None"]
    entry = stories.attrs["load_report"]["files"][0]
    assert entry["skipped"] == [{"row": 3, "reason": "no answer to any prompt"}]
    assert entry["notes"] == [
        "5 answers read as no answer, being only a placeholder: row 2 insights 'N/A'; "
        "row 2 practice '-'; row 3 activities 'n/a'; row 3 insights '—'; row 3 practice '(N/A)'"
    ]


def test_no_comment_is_no_answer_and_a_comment_after_it_is_one(tmp_path):
    # trial 41: "No comment" was an answer, coded as potential, applied or immediate value
    # denied (polarity -1) in 802 answers of a 15,000-response survey
    path = _csv(
        tmp_path / "export.csv",
        [
            ["ID", "Activities", "Insights"],
            ["1", "Case reviews", "No comment"],
            ["2", "Webinars", "no further comments."],
            ["3", "Journal club", "No comment on the slides, but the forum helped"],
        ],
    )
    stories = load_stories(path)
    assert stories["insights"].isna().tolist() == [True, True, False]
    entry = stories.attrs["load_report"]["files"][0]
    assert entry["notes"] == [
        "2 answers read as no answer, being only a placeholder: row 2 insights 'No comment'; "
        "row 3 insights 'no further comments.'"
    ]


def test_interview_notes_keep_their_narrative_and_their_headings_out_of_the_codes(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text(
        "# Interview notes, 12/02/2025\n\n"
        "Community: Youth Football Coaches\n"
        "Member: Sam O'Neill\n\n"
        "She rebuilt the under-10 plan after the clinic.\n\n"
        "## Activities\nSaturday clinics.\n\n"
        "### Follow-up\nWhatsApp group.\n\n"
        "## Insights gained\nSmall-sided games give more touches.\n\n"
        "## What changed in practice\nRebuilt the U10 plan.\n",
        encoding="utf-8",
    )
    stories = load_stories(path)
    row = stories.iloc[0]
    assert row["member"] == "Sam O'Neill"
    assert row["story"] == "She rebuilt the under-10 plan after the clinic."
    assert row["activities"] == "Saturday clinics.\n\nWhatsApp group."  # no heading text
    assert row["insights"] == "Small-sided games give more touches."
    assert row["practice"] == "Rebuilt the U10 plan."
    notes = stories.attrs["load_report"]["files"][0]["notes"]
    assert "line 6: text under no prompt of story 1 read as its story: 'She rebuilt" in notes[1]
    assert notes[2] == (
        "1 heading(s) name no prompt and are not coded; the text below one stays in the "
        "answer above it: line 11: heading 'Follow-up'"
    )


def test_interviewer_turns_are_left_out_of_a_transcript_and_listed(tmp_path):
    path = tmp_path / "ward-nurse.md"
    path.write_text(
        "Community: Tissue viability network\n\n"
        "Interviewer: Can you tell me about the last meeting\nyou went to?\n\n"
        "Respondent: We went through three pressure-ulcer cases.\n"
        "I learned the SSKIN bundle and use it on every admission.\n\n"
        "I: Anything else?\n"
        "R: Our sores went down from 9 to 4. [Interviewer: In three months?] Yes.\n\n"
        "**Interviewer:** Did your manager notice?\n",
        encoding="utf-8",
    )
    stories = load_stories(path)
    # trial 29: the member's label ("Rutger:") began every quote of the answers
    assert stories["story"].tolist() == [
        "We went through three pressure-ulcer cases.\n"
        "I learned the SSKIN bundle and use it on every admission.\n"
        "Our sores went down from 9 to 4. Yes."
    ]
    notes = stories.attrs["load_report"]["files"][0]["notes"]
    assert notes[:3] == [
        "4 line(s) of the interviewer's turns left out, not the member's words: "
        "line 3 'Interviewer: Can you tell me about the last meeting'; line 4 'you went to?'; "
        "line 9 'I: Anything else?'; line 12 '**Interviewer:** Did your manager notice?'",
        "the interviewer's bracketed words left out of line(s) 10",
        "the speaker's label left out of the member's answer in line(s) 6, 10",
    ]


def test_a_long_interviews_notes_name_five_places_and_list_every_one(tmp_path):
    # trial 41: a note listed every row it was about; a long interview's labels as many
    path = tmp_path / "long-interview.md"
    turns = [f"Interviewer: Question {n}?\n\nRespondent: I learned thing {n}.\n" for n in range(8)]
    path.write_text("Community: Tissue viability network\n\n" + "\n".join(turns), encoding="utf-8")
    stories = load_stories(path)
    (entry,) = stories.attrs["load_report"]["files"]
    assert entry["notes"][:2] == [
        "8 line(s) of the interviewer's turns left out, not the member's words: line 3 "
        "'Interviewer: Question 0?'; line 7 'Interviewer: Question 1?'; line 11 'Interviewer: "
        "Question 2?'; line 15 'Interviewer: Question 3?'; line 19 'Interviewer: Question 4?'; "
        "and 3 more, all listed by copanalysis check --all",
        "the speaker's label left out of the member's answer in line(s) 5, 9, 13, 17, 21, "
        "and 3 more, all listed by copanalysis check --all",
    ]
    assert entry["listed"]["places of a speaker's label"] == [
        f"line {n}" for n in (5, 9, 13, 17, 21, 25, 29, 33)
    ]
    assert entry["listed"]["interviewer's turns left out"][-1] == (
        "line 31 'Interviewer: Question 7?'"
    )


def test_an_interviews_topic_headings_are_not_worksheet_prompts(tmp_path):
    # trial 31: "## Learning" in an interview was read as the insights prompt, and the
    # answers under it coded with that prompt's prior; a heading that asks the prompt stays
    path = tmp_path / "P12.md"
    path.write_text(
        "Community: Fernwood contributors\n\n"
        "## Reviews\n\n"
        "Interviewer: How do you find code review?\n\n"
        "P12: Depends who you get.\n\n"
        "## Learning\n\n"
        "Interviewer: Did you learn anything from reviews?\n\n"
        "P12: Stuff I use at my day job now.\n\n"
        "## What has changed in your practice?\n\n"
        "I review others' PRs now.\n",
        encoding="utf-8",
    )
    stories = load_stories(path)
    row = stories.iloc[0]
    assert len(stories) == 1
    # the interviewer's question asks the prompt in its own words (trial 45)
    assert row["story"] == "Depends who you get."
    assert row["insights"] == "Stuff I use at my day job now."
    assert row["practice"] == "I review others' PRs now."
    notes = stories.attrs["load_report"]["files"][0]["notes"]
    assert (
        "1 heading(s) of an interview read as its topics, not as worksheet prompts (the "
        "interviewer's questions are the prompts): 'Learning' (line 9, not the insights prompt)"
    ) in notes
    assert (
        "1 heading(s) name no prompt and are not coded; the text below one stays in the "
        "answer above it: line 3: heading 'Reviews'"
    ) in notes


def test_an_interviewer_asking_a_worksheet_prompt_keeps_the_answer_under_it(tmp_path):
    import docx

    document = docx.Document()
    for text in [
        "Q: What specific insights did you gain?",
        "That small-sided games give more touches.",
        "Q: Did that change anything?",
        "Q2: What changed in your practice?",
        "I rebuilt the under-10 plan.",
    ]:
        document.add_paragraph(text)
    path = tmp_path / "coach.docx"
    document.save(str(path))
    row = load_stories(path).iloc[0]
    assert row["insights"] == "That small-sided games give more touches."
    assert row["practice"] == "I rebuilt the under-10 plan."
    notes = load_stories(path).attrs["load_report"]["files"][0]["notes"]
    assert notes[0] == (
        "1 paragraph(s) of the interviewer's turns left out, not the member's words: "
        "paragraph 3 'Q: Did that change anything?'"
    )


def test_an_interviewers_own_words_ask_a_prompt_or_start_the_story(tmp_path):
    # trial 45: "Q: What did you get out of it?" was no prompt, its answer was added to the
    # insights answer above it, and the load report did not say so; the first answer kept
    # its speaker's label ("P96: I learned ...")
    path = tmp_path / "P96.md"
    path.write_text(
        "Participant: P96\n\n"
        "Q: What specific insights did you gain?\n\n"
        "P96: I learned how the release process works.\n\n"
        "Q: What did you get out of the sprints?\n\n"
        "P96: Who to ask about the C extensions.\n\n"
        "Q: Have you done anything differently?\n\n"
        "P96: I now run pre-commit on every PR.\n\n"
        "Q: What came of that, for the project?\n\n"
        "P96: We ship a release every month now.\n",
        encoding="utf-8",
    )
    stories = load_stories(path)
    assert len(stories) == 1
    row = stories.iloc[0]
    assert row["insights"] == (
        "I learned how the release process works.\n\n\nWho to ask about the C extensions."
    )
    assert row["practice"] == "I now run pre-commit on every PR."
    assert row["story"] == "We ship a release every month now."
    [entry] = stories.attrs["load_report"]["files"]
    assert entry["mapping"]["Have you done anything differently?"] == {
        "field": "practice",
        "score": 92.0,
    }
    assert entry["notes"][0] == (
        "1 line(s) of the interviewer's turns left out, not the member's words: "
        "line 15 'Q: What came of that, for the project?'"
    )
    assert entry["notes"][-2:] == [
        "1 interviewer's question(s) in their own words that ask a prompt answered above: "
        "the answer below each added to that prompt's: line 7 'What did you get out of the "
        "sprints?' (insights)",
        "1 answer(s) to an interviewer's question that asks no prompt read as the story's "
        "free narrative (story), not as the answer to the prompt above: line 17 (after 'What "
        "came of that, for the project?', not the practice answer above it)",
    ]


def test_an_answer_to_a_question_of_no_prompt_joins_the_story_it_has(tmp_path):
    path = tmp_path / "P1.md"
    path.write_text(
        "Q: Tell us your story.\n\nP1: We met weekly.\n\n"
        "Q: What specific insights did you gain?\n\nP1: I learned the release process.\n\n"
        "Q: What came of that?\n\nP1: We ship monthly.\n",
        encoding="utf-8",
    )
    stories = load_stories(path)
    row = stories.iloc[0]
    assert (row["story"], row["insights"]) == (
        "We met weekly.\n\nWe ship monthly.",
        "I learned the release process.",
    )
    assert (
        "line 11: the member's answers under no prompt of story 1 added to the end of its "
        "story: 'We ship monthly.'"
    ) in stories.attrs["load_report"]["files"][0]["notes"]


def test_answers_on_the_line_of_their_question(tmp_path):
    path = tmp_path / "form.txt"
    path.write_text(
        "Member/role: Ahmed Saleh, community pharmacist\n"
        "What meaningful activities did you participate in? Peer visit to a pharmacy.\n"
        "What specific insights did you gain? What access to useful information or "
        "material? They run a blister-pack service.\n",
        encoding="utf-8",
    )
    row = load_stories(path).iloc[0]
    assert row["activities"] == "Peer visit to a pharmacy."
    assert row["insights"] == "They run a blister-pack service."


def test_a_summary_sheet_beside_the_responses_is_passed_over_and_listed(tmp_path) -> None:
    import openpyxl

    from copanalysis.errors import MissingColumnError
    from copanalysis.io import check_study
    from copanalysis.io.provenance import left_out

    book = openpyxl.Workbook()
    responses = book.active
    responses.title = "Responses"
    responses.append(["Your name", "What specific insights did you gain?"])
    responses.append(["Ana", "We learned to plan"])
    responses.append(["Bo", "I use the template now"])
    summary = book.create_sheet("Summary")
    summary.append(["Total responses", 2])
    summary.append(["Average rating", 4.5])
    study = tmp_path / "study"
    (study / "stories").mkdir(parents=True)
    path = study / "stories" / "survey.xlsx"
    book.save(path)

    stories = load_stories(path)
    assert stories["member"].tolist() == ["Ana", "Bo"]
    [entry] = stories.attrs["load_report"]["files"]
    [passed] = entry["sheets_not_read"]
    assert passed["sheet"] == "Summary"
    assert passed["reason"].startswith("no column holds story text")
    assert left_out(entry)[-1].startswith("sheet 'Summary' not read: no column holds story")
    [checked] = check_study(study).files
    assert checked.attention[0].startswith("1 sheet(s) not read (listed above")

    book.remove(responses)  # no sheet fits: the workbook is an error, naming the sheet
    book.save(path)
    with pytest.raises(MissingColumnError, match=r"survey.xlsx:Summary: no column holds story"):
        load_stories(path)


def test_a_form_line_of_two_fields_and_a_prompt_of_two_questions(tmp_path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Name: Joanne Okafor        Role: Duty desk manager")
    document.add_paragraph("What meaningful activities did you participate in?")
    document.add_paragraph("Case consults every month.")
    document.add_paragraph(
        "How did this influence your practice? What difference did it make to your performance?"
    )
    document.add_paragraph("We now use the checklist before closing a case.")
    path = tmp_path / "form.docx"
    document.save(path)
    story = load_stories(path).iloc[0]
    assert (story["member"], story["role"]) == ("Joanne Okafor", "Duty desk manager")
    assert story["practice"] == "We now use the checklist before closing a case."
    assert story["activities"] == "Case consults every month."


def test_a_free_text_column_no_prompt_matched_is_noted_as_not_coded(tmp_path):
    path = tmp_path / "survey.csv"
    _csv(
        path,
        [
            ["ID", "What specific insights did you gain?", "Anything else to tell us?", "Team"],
            ["1", "Bar models help.", "The venue was too far from most of our schools.", "A"],
            ["2", "Exit tickets.", "More time to plan together would help us all.", "B"],
            ["3", "Peer visits.", "", "A"],
            ["4", "Questioning.", "I would like the sessions recorded for later.", "B"],
        ],
    )
    stories = load_stories(path)
    entry = stories.attrs["load_report"]["files"][0]
    assert entry["uncoded_text"] == {"Anything else to tell us?": 3}  # not "Team"
    assert entry["notes"][-1] == (
        "column 'Anything else to tell us?' holds 3 free-text answers that no prompt matched: "
        "kept but not coded; to code them, in the study folder's mapping.yaml, under "
        "'stories:', write 'Anything else to tell us?': and the field it answers (free: "
        "activities, practice, development, organization, story), or null to leave it out "
        "(or pass mapping= in Python)"
    )
    mapped = load_stories(path, mapping={"Anything else to tell us?": "story"})
    assert "uncoded_text" not in mapped.attrs["load_report"]["files"][0]
    result = check_study(_study_of(tmp_path, path))
    assert any(
        "free-text answer(s) kept but not coded" in a for f in result.files for a in f.attention
    )
    # trial 30: a column mapped to null is left out on purpose: listed, never flagged
    left = load_stories(path, mapping={"Anything else to tell us?": None})
    entry = left.attrs["load_report"]["files"][0]
    assert "uncoded_text" not in entry
    assert entry["mapped_to_none"] == ["Anything else to tell us?"]
    assert left["Anything else to tell us?"].iloc[0].startswith("The venue")  # still kept
    assert "    mapped to null, kept as is and not coded: Anything else to tell us?" in (
        format_load_report(left.attrs["load_report"]).splitlines()
    )


def test_two_columns_mapped_to_one_field_are_refused_not_one_of_them_lost(tmp_path):
    # trial 30: following the old advice ("write ...: story") for three columns kept the
    # last one only, and the other answers were never coded
    path = tmp_path / "survey.csv"
    _csv(
        path,
        [
            [
                "ID",
                "What did you take part in?",
                "What did you get out of it?",
                "How did you use it?",
            ],
            ["1", "The March meeting.", "Bar models.", "In every Year 7 lesson."],
        ],
    )
    mapping = {"What did you get out of it?": "story", "How did you use it?": "story"}
    with pytest.raises(MappingError) as raised:
        load_stories(path, mapping=mapping)
    assert str(raised.value).endswith(
        "mapping sends both 'What did you get out of it?' and 'How did you use it?' to "
        "'story', and a field holds one column (the other's answers would be lost); send "
        "each to its own field (free: insights, practice, development, organization) or "
        "leave one out with null"
    )


def test_a_date_column_mixing_both_orders_is_flagged(tmp_path):
    from copanalysis.io.provenance import assumed_dates

    path = tmp_path / "survey.csv"
    _csv(
        path,
        [
            ["ID", "Date of the activity", "What specific insights did you gain?"],
            ["1", "25/12/2025", "Bar models."],
            ["2", "11/21/2025", "Exit tickets."],
            ["3", "11/04/2025", "Peer visits."],
        ],
    )
    entry = load_stories(path).attrs["load_report"]["files"][0]
    assert assumed_dates(entry) == [
        "dates in 'Date of the activity' mix day-first and month-first (day-first at row 2: "
        "'25/12/2025', month-first at row 3: '11/21/2025'; the 1 ambiguous one read "
        "day-first): the ambiguous ones may be wrong; write the column in one order, or as "
        "2025-01-31"
    ]


def _study_of(tmp_path: Path, path: Path) -> Path:
    study = tmp_path / "study"
    (study / "stories").mkdir(parents=True)
    (study / "stories" / path.name).write_bytes(path.read_bytes())
    return study


def test_gold_codes_of_a_study_codebook_are_named_as_not_coded_by_run(tmp_path):
    from copanalysis.io import load_corpus
    from copanalysis.study import analyse

    study = tmp_path / "study"
    (study / "stories").mkdir(parents=True)
    (study / "gold").mkdir()
    _csv(
        study / "stories" / "survey.csv",
        [["ID", "What specific insights did you gain?"], ["E1", "Peer advice on seed."]],
    )
    _csv(
        study / "gold" / "codes.csv",
        [
            ["doc_id", "field", "start", "end", "codebook", "code", "coder"],
            ["E1", "insights", "0", "20", "extension", "peer_advice", "Wanjiku"],
        ],
    )
    checked = check_study(study)
    gold = next(f for f in checked.files if f.path.name == "codes.csv")
    assert gold.attention == ("1 code(s) of codebook 'extension', which run does not code",)
    corpus = load_corpus(study, progress=False)
    assert corpus.gold.attrs["load_report"]["files"][0]["notes"] == [
        "1 code of codebook 'extension', not a built-in one: run codes the built-in codebooks "
        "only and leaves these out; compare them with a coder of that codebook in Python "
        "(copanalysis.evaluate)"
    ]
    findings = analyse(corpus, progress=False)
    assert "(no human codes of the value cycles here: the default" in findings.coder


def test_a_workbook_date_of_the_year_1000_is_listed_as_unreadable(tmp_path):
    import datetime as dt

    path = _xlsx(
        tmp_path / "old.xlsx",
        {
            "Sheet1": [
                ["ID", "Date of the activity", "What specific insights did you gain?"],
                ["1", dt.datetime(1000, 1, 1), "We learned"],
                ["2", dt.datetime(2025, 3, 1), "Bar models"],
            ]
        },
    )
    stories = load_stories(path)
    assert stories["date"].isna().tolist() == [True, False]
    assert [b["row"] for b in stories.attrs["load_report"]["files"][0]["bad_dates"]] == [2]


def test_group_labels_of_merged_cells_above_the_questions_are_not_the_header(tmp_path):
    import openpyxl

    path = tmp_path / "survey.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Respondent", "", "Value-creation story", "", ""])
    sheet.merge_cells("A1:B1")
    sheet.merge_cells("C1:E1")
    sheet.append(
        ["Response ID", "Your name", "What specific insights did you gain?",
         "How did this influence your practice?", "Anything else?"]
    )  # fmt: skip
    sheet.append(["R1", "Ana", "Bar models.", "I use them daily.", ""])
    book.save(path)
    stories = load_stories(path)  # was: no column holds story text
    assert stories[["story_id", "member", "insights"]].values.tolist() == [
        ["R1", "Ana", "Bar models."]
    ]
    (entry,) = stories.attrs["load_report"]["files"]
    assert entry["dropped"] == [
        {"row": 1, "text": "Respondent | Value-creation story",
         "reason": "group labels above the header"}
    ]  # fmt: skip


def test_a_column_named_source_and_a_refi_project_beside_the_csvs(tmp_path):
    """Trial 18's path: a REFI project's stories saved with save_table carry a 'source'
    column, which crashed the free-text note; the .qdpx itself says how to read it."""
    from copanalysis.io import check_study

    study = tmp_path / "study"
    (study / "stories").mkdir(parents=True)
    (study / "stories" / "project.csv").write_text(
        "story_id,story,source,Anything else?\n"
        "s1,We met and I learned a lot.,interview.txt,The room was far too small for us.\n",
        encoding="utf-8",
    )
    (study / "stories" / "project.qdpx").write_bytes(b"PK")
    stories = load_stories(study / "stories" / "project.csv")
    assert stories.attrs["load_report"]["files"][0]["uncoded_text"] == {"Anything else?": 1}
    # the file's own "source" is kept beside the loader's, not over it
    assert stories[["source", "source (file column)"]].values.tolist() == [
        ["project.csv:row 2", "interview.txt"]
    ]
    checked = check_study(study)
    (qdpx,) = [f for f in checked.files if f.path.suffix == ".qdpx"]
    assert f"copanalysis import-refi {qdpx.path} STUDY_DIR" in qdpx.not_read
    with pytest.raises(UnsupportedFormatError, match="with: copanalysis import-refi "):
        load_stories(study / "stories" / "project.qdpx")


def test_other_please_specify_is_read_as_what_was_written_beside_it(tmp_path):
    """Trial 19: agro-dealers and NGO staff all became the role 'Other (please specify)';
    Qualtrics's ' - Selected Choice' column was not matched to the role at all."""
    path = tmp_path / "wave2.csv"
    path.write_text(
        "Which best describes you? - Selected Choice,"
        "Which best describes you? - Other (please specify) - Text,What did you learn?\n"
        "Farmer,,Push-pull keeps stemborers off.\n"
        "Other (please specify),Agro-dealer,Farmers ask me for the certified seed now.\n"
        "Other (please specify),,We share the demo plot results.\n",
        encoding="utf-8",
    )
    stories = load_stories(path)
    assert stories["role"].tolist() == ["Farmer", "Agro-dealer", "Other (please specify)"]
    assert stories.attrs["load_report"]["files"][0]["notes"][-1] == (
        "role: 'Other' in 1 row(s) read as what the respondent wrote in "
        "'Which best describes you? - Other (please specify) - Text'"
    )


def test_a_respondent_who_answered_only_a_column_no_prompt_matched_is_named_with_it(tmp_path):
    """Trial 21: a teacher who wrote only under "Anything else?" was skipped as 'no answer to
    any prompt', and their comment was never mentioned."""
    path = tmp_path / "survey.csv"
    path.write_text(
        "Email,What did you learn?,Anything else?\n"
        "a@x.org,We learned to plan in threes.,\n"
        "b@x.org,,The meetings clash with parents' evening.\n",
        encoding="utf-8",
    )
    stories = load_stories(path)
    (skip,) = stories.attrs["load_report"]["files"][0]["skipped"]
    assert skip == {
        "row": 3,
        "reason": "no answer to any prompt; it answered only 'Anything else?', which no "
        "prompt matched (to read it, map it in the study folder's mapping.yaml)",
    }


def test_a_skipped_row_names_every_column_it_answered(tmp_path):
    """Trial 35: a row was skipped as having "answered only" the district question, though
    it answered the role question too."""
    path = tmp_path / "survey.csv"
    path.write_text(
        "Your role in the network,What did you learn?,Anything else?,Which district?\n"
        "Lead farmer,We learned to plan in threes.,,Dedza\n"
        "Facilitator,,The meetings clash with market day.,Ntcheu\n",
        encoding="utf-8",
    )
    stories = load_stories(path)
    (skip,) = stories.attrs["load_report"]["files"][0]["skipped"]
    assert skip == {
        "row": 3,
        "reason": "no answer to any prompt; it answered only 'Your role in the network' "
        "(read as role), 'Anything else?' and 'Which district?' (read as community); no "
        "prompt matched 'Anything else?' (to read it, map it in the study folder's "
        "mapping.yaml)",
    }


def test_a_skipped_row_does_not_name_its_placeholders_as_answers(tmp_path):
    """Trial 39: a coach answered every prompt "n/a" and wrote only under "Anything else?";
    the row was skipped for answering no prompt, and the reason named the prompts he
    answered "n/a" as answered ("... (read as insights)")."""
    path = tmp_path / "survey.csv"
    path.write_text(
        "Name,What did you learn?,How did this influence your practice?,Anything else?\n"
        "Dean,Rondos for U9s.,I start with a rondo.,\n"
        'Kevin,n/a,N/A,"Sorry, didn\'t get to any this year, shifts"\n',
        encoding="utf-8",
    )
    stories = load_stories(path)
    (skip,) = stories.attrs["load_report"]["files"][0]["skipped"]
    assert skip == {
        "row": 3,
        "reason": "no answer to any prompt; it answered only 'Name' (read as member) and "
        "'Anything else?'; no prompt matched 'Anything else?' (to read it, map it in the "
        "study folder's mapping.yaml)",
    }


def test_the_load_report_names_each_files_first_and_last_ids(tmp_path):
    """Trial 30: a hand coder had to guess the doc_id of each story ('check' never showed
    one); the ids come from the id column, or the file name and the row."""
    from copanalysis.io import load_lists, load_stories
    from copanalysis.io.provenance import format_load_report

    folder = tmp_path / "stories"
    folder.mkdir()
    (folder / "survey.csv").write_text(
        'What meaningful activities did you participate in?\nMet\n""\nRead\nWrote\n',
        encoding="utf-8",
    )
    (folder / "ids.csv").write_text(
        "Response ID,What meaningful activities did you participate in?\nR-7,Met\n",
        encoding="utf-8",
    )
    stories = load_stories(folder)
    assert [e.get("ids") for e in stories.attrs["load_report"]["files"]] == [
        {"first": "R-7", "last": "R-7", "n": 1},
        {"first": "survey-001", "last": "survey-004", "n": 3},  # row 3 was empty, skipped
    ]
    said = format_load_report(stories.attrs["load_report"]).splitlines()
    assert "    id: 'R-7'" in said
    assert "    ids: 'survey-001' ... 'survey-004' (as doc_id in gold/)" in said
    items = tmp_path / "enablers.csv"
    items.write_text("Enablers\nTime to meet\nA good host\n", encoding="utf-8")
    (entry,) = load_lists(items).attrs["load_report"]["files"]
    assert entry["ids"] == {
        "first": "enablers-enabler-001",
        "last": "enablers-enabler-002",
        "n": 2,
    }


def test_kobo_submission_time_is_submitted_and_submitted_by_is_metadata(tmp_path):
    # trial 32: Kobo's "_submitted_by" (an account name) was the submitted field (score 100)
    # and every row's date unparseable, while "_submission_time" was left as metadata
    path = tmp_path / "kobo.csv"
    path.write_text(
        "start,What did you learn or get from it?,_id,_submission_time,_submitted_by,_uuid\n"
        "2025-02-03T09:00:00.000+03:00,I learned to read faint RDT lines,1,"
        "2025-02-03T10:00:00,cop_mne,u1\n"
        "2025-02-04T09:00:00.000+03:00,I learned who to call,2,2025-02-04T10:00:00,cop_mne,u2\n",
        encoding="utf-8",
    )
    stories = load_stories(path)
    entry = stories.attrs["load_report"]["files"][0]
    assert entry["mapping"]["_submission_time"] == {"field": "submitted", "score": 100.0}
    assert "_submitted_by" not in entry["mapping"]
    assert entry["metadata"] == ["start", "_submitted_by", "_uuid"]
    assert entry["kept"] == []
    assert entry["bad_dates"] == []
    assert stories["submitted"].tolist() == [
        pd.Timestamp("2025-02-03 10:00"),
        pd.Timestamp("2025-02-04 10:00"),
    ]
    assert stories["_submitted_by"].tolist() == ["cop_mne", "cop_mne"]


def test_a_kobo_geopoint_is_no_free_text_and_its_parts_are_metadata(tmp_path):
    # trial 32: "Location" was "38 free-text answers that no prompt matched", and
    # _Location_altitude and _Location_precision were kept as is
    path = tmp_path / "kobo.csv"
    path.write_text(
        "What did you learn or get from it?,Location,_Location_latitude,_Location_longitude,"
        "_Location_altitude,_Location_precision\n"
        "I learned to read faint RDT lines,-3.29 40.10 12.0 5.0,-3.29,40.10,12.0,5.0\n"
        "I learned who to call,-3.30 40.11 10.0 4.0,-3.30,40.11,10.0,4.0\n",
        encoding="utf-8",
    )
    (entry,) = load_stories(path).attrs["load_report"]["files"]
    assert entry["kept"] == ["Location"]
    assert entry["metadata"] == [
        "_Location_latitude",
        "_Location_longitude",
        "_Location_altitude",
        "_Location_precision",
    ]
    assert "uncoded_text" not in entry
    assert not any("Location" in note for note in entry.get("notes", []))


@pytest.mark.parametrize(
    ("question", "choices", "chosen"),
    [
        (
            "What is your role in the CoP?",
            ["Community Health Worker (CHW)", "Community Health Assistant", "Other"],
            ["Community Health Worker (CHW); Community Health Assistant", "Other"],
        ),
        ("group_profile/role", ["chw", "cha", "other"], ["chw; cha", "other"]),
    ],
)
def test_a_kobo_select_multiple_role_is_read_from_its_choice_columns(
    tmp_path, question, choices, chosen
):
    # trial 32: the space-joined cell ("Community Health Worker (CHW) Community Health
    # Assistant") was one role, and the 0/1 columns were kept as is
    split = [f"{question}/{choice}" for choice in choices]
    book = openpyxl.Workbook()
    book.active.append(["What did you learn or get from it?", question, *split])
    book.active.append(["Faint lines count", " ".join(choices[:2]), 1, 1, 0])
    book.active.append(["Who to call", choices[2], 0, 0, 1])
    book.save(tmp_path / "kobo.xlsx")
    stories = load_stories(tmp_path / "kobo.xlsx")
    assert stories["role"].tolist() == chosen
    (entry,) = stories.attrs["load_report"]["files"]
    assert entry["mapping"][question]["field"] == "role"
    assert entry["choices"] == {question: {"field": "role", "columns": split}}
    assert entry["kept"] == []
    assert (
        f"    {', '.join(split)} -> role (the choices ticked in {question!r}, joined by '; ')"
        in (format_load_report(stories.attrs["load_report"]).splitlines())
    )


def test_a_transcription_tools_time_marks_are_no_ones_words(tmp_path):
    """Trial 34: f4/MAXQDA time marks ('#00:01:12-4#') stayed in the coded text, and 32 of
    147 coded quotes ended in ' #'."""
    path = tmp_path / "INT01.txt"
    path.write_text(
        "#00:00:05-3# I: What happened after the visit?\n\n"
        "Natalia: We used the template to recode the budget lines. #00:01:12-4#\n\n"
        "I: And then? [00:02:30]\n\n"
        "Natalia: It took six weeks, the meeting at (10:30) agreed it. #00:03:01-0#\n",
        encoding="utf-8",
    )
    stories = load_stories(path)
    assert stories["story"].tolist() == [
        "We used the template to recode the budget lines.\n"
        "It took six weeks, the meeting at (10:30) agreed it."
    ]
    (entry,) = stories.attrs["load_report"]["files"]
    assert (
        "a transcription tool's time marks ('#00:01:12-4#') left out of 4 line(s)"
        in (entry["notes"])
    )


def test_a_choice_questions_labels_are_not_free_text_no_prompt_matched(tmp_path):
    """Trial 34: a single-choice 'Which working group ...?' column and a checkbox column,
    every cell the same label, were flagged as free-text answers to map to `story`."""
    groups = ["Budget classification and reporting", "Treasury and cash management"]
    header = "What did you learn or get from it?,Your main thematic strand,Activities - Plenary"
    rows = [f"{header},Anything else?"]
    for i in range(12):
        rows.append(
            f"I learned thing number {i} from a peer,{groups[i % 2]},"
            f"The plenary meeting in Chisinau,We should meet more often in country {i} next year"
        )
    path = tmp_path / "survey.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    (entry,) = load_stories(path).attrs["load_report"]["files"]
    assert entry["uncoded_text"] == {"Anything else?": 12}


_HEADER_LINE = "Date: 17 November 2025    Campus: Westmoor College\tInterviewer: Dana Whitfield"
_TRANSCRIPT = [
    "Participant: P3 (Ruth Fischer, Associate Professor of History)",
    "Interviewer: What did you get out of hosting it?",
    "P3: I realised generative AI can be an accessibility tool.",
    "Interviewer: And beyond your course?",
    "P3: The dean funded two course releases.",
]


@pytest.mark.parametrize("suffix", [".docx", ".md", ".txt"])
def test_an_interviews_header_line_gives_its_date_community_and_member(tmp_path, suffix):
    # trial 36: the header line was one unreadable date, the participant line the
    # member's words
    path = tmp_path / f"Interview P3{suffix}"
    if suffix == ".docx":
        import docx

        document = docx.Document()
        document.add_heading("GenAI FLC evaluation - Interview P3", level=1)
        for text in [_HEADER_LINE, *_TRANSCRIPT]:
            document.add_paragraph(text)
        document.save(path)
    else:
        path.write_text("\n\n".join([_HEADER_LINE, *_TRANSCRIPT]) + "\n", encoding="utf-8")
    story = load_stories(path).iloc[0]
    assert story["date"] == pd.Timestamp("2025-11-17")
    assert story["community"] == "Westmoor College"
    assert story["member"] == "P3 (Ruth Fischer, Associate Professor of History)"
    # "What did you get out of hosting it?" asks the insights prompt in the interviewer's
    # words; "And beyond your course?" asks none, so its answer is the story (trial 45)
    assert story["insights"] == "I realised generative AI can be an accessibility tool."
    assert story["story"] == "The dean funded two course releases."
    [entry] = load_stories(path).attrs["load_report"]["files"]
    assert entry["bad_dates"] == []
    assert {label: said["field"] for label, said in entry["mapping"].items()} == {
        "Date": "date",
        "Campus": "community",
        "Participant": "member",
        "What did you get out of hosting it?": "insights",
    }
    unit, number = ("paragraph", 2) if suffix == ".docx" else ("line", 1)
    assert (
        f"{unit} {number}: left out of the story's fields and text: "
        + ("'Interviewer: Dana Whitfield' (the interviewer)")
        in entry["notes"]
    )


@pytest.mark.parametrize("suffix", [".docx", ".md", ".txt"])
def test_a_header_line_that_starts_with_the_interviewer_gives_its_other_fields(tmp_path, suffix):
    # user trial: the line was dropped whole as the interviewer's turn, and the
    # participant line below it lost its label as the answer to that turn
    header = "Interviewer: Dana Whitfield    Date: 17 November 2025    Campus: Westmoor College"
    path = tmp_path / f"Interview P3{suffix}"
    if suffix == ".docx":
        import docx

        document = docx.Document()
        for text in [header, *_TRANSCRIPT]:
            document.add_paragraph(text)
        document.save(path)
    else:
        path.write_text("\n\n".join([header, *_TRANSCRIPT]) + "\n", encoding="utf-8")
    stories = load_stories(path)
    story = stories.iloc[0]
    assert (story["date"], story["community"], story["member"]) == (
        pd.Timestamp("2025-11-17"),
        "Westmoor College",
        "P3 (Ruth Fischer, Associate Professor of History)",
    )
    # "What did you get out of hosting it?" asks the insights prompt in the interviewer's
    # words; "And beyond your course?" asks none, so its answer is the story (trial 45)
    assert story["insights"] == "I realised generative AI can be an accessibility tool."
    assert story["story"] == "The dean funded two course releases."
    [entry] = stories.attrs["load_report"]["files"]
    assert {label: said["field"] for label, said in entry["mapping"].items()} == {
        "Date": "date",
        "Campus": "community",
        "Participant": "member",
        "What did you get out of hosting it?": "insights",
    }
    unit = "paragraph" if suffix == ".docx" else "line"
    assert (
        f"{unit} 1: left out of the story's fields and text: "
        "'Interviewer: Dana Whitfield' (the interviewer)"
    ) in entry["notes"]
    turn = 5 if suffix == ".docx" else 9
    assert entry["notes"][0] == (
        f"1 {unit}(s) of the interviewer's turns left out, not the member's words: "
        f"{unit} {turn} 'Interviewer: And beyond your course?'"
    )


def test_a_header_line_keeps_an_unknown_label_out_of_the_story(tmp_path):
    path = tmp_path / "interview.md"
    path.write_text(
        "Site: Dedza District Hospital    Date: 3 March 2026    Duration: 45 minutes\n\n"
        "We started a weekly case review.\n",
        encoding="utf-8",
    )
    stories = load_stories(path)
    story = stories.iloc[0]
    assert (story["community"], story["date"]) == (
        "Dedza District Hospital",
        pd.Timestamp("2026-03-03"),
    )
    assert story["story"] == "We started a weekly case review."
    [entry] = stories.attrs["load_report"]["files"]
    assert entry["notes"][-1] == (
        "line 1: left out of the story's fields and text: "
        "'Duration: 45 minutes' (a label the loader does not know)"
    )
    assert entry["mapping"] == {
        "Site": {"field": "community", "score": 100.0},
        "Date": {"field": "date", "score": 100.0},
    }


def test_a_participant_label_after_the_header_is_a_speaker_not_the_member(tmp_path):
    path = tmp_path / "interview.md"
    path.write_text(
        "Date: 3 March 2026\n\nWe met twice.\n\nParticipant: Ana Souza\n", encoding="utf-8"
    )
    story = load_stories(path).iloc[0]
    assert pd.isna(story["member"])
    assert story["story"] == "We met twice.\nParticipant: Ana Souza"


def test_a_header_of_one_field_a_paragraph_names_the_interviewer_and_the_member(tmp_path):
    import docx

    document = docx.Document()
    for text in [
        "Date: 17 November 2025",
        "Campus: Westmoor College",
        "Interviewer: Dana Whitfield",
        *_TRANSCRIPT,
    ]:
        document.add_paragraph(text)
    path = tmp_path / "Interview P3.docx"
    document.save(path)
    stories = load_stories(path)
    story = stories.iloc[0]
    assert (story["community"], story["date"]) == ("Westmoor College", pd.Timestamp("2025-11-17"))
    # the interviewer's name is no question: "Participant:" below it keeps its label
    assert story["member"] == "P3 (Ruth Fischer, Associate Professor of History)"
    # "What did you get out of hosting it?" asks the insights prompt in the interviewer's
    # words; "And beyond your course?" asks none, so its answer is the story (trial 45)
    assert story["insights"] == "I realised generative AI can be an accessibility tool."
    assert story["story"] == "The dean funded two course releases."
    notes = stories.attrs["load_report"]["files"][0]["notes"]
    assert notes[0].startswith(
        "2 paragraph(s) of the interviewer's turns left out, not the member's words: "
        "paragraph 3 'Interviewer: Dana Whitfield'; paragraph 7 "
    )


def test_an_interviews_member_and_role_are_read_from_its_title(tmp_path):
    # trial 38: "# Interview notes – Arjun Mehta ..." left the interview with no member
    path = tmp_path / "story-interview-arjun.md"
    path.write_text(
        "# Interview notes – Arjun Mehta (@arjunm), release engineering\n\n"
        "Date: 2025-09-30    Community: Maintainers' Circle    Interviewer: Inês Carvalho\n\n"
        "Interviewer: What did you take part in?\n\n"
        "Arjun: The reproducible-builds sprint.\n",
        encoding="utf-8",
    )
    stories = load_stories(path)
    assert stories[["member", "role", "community"]].values.tolist() == [
        ["Arjun Mehta (@arjunm)", "release engineering", "Maintainers' Circle"]
    ]
    # the interviewer's question asks the activities prompt in its own words (trial 45)
    assert stories["activities"].tolist() == ["The reproducible-builds sprint."]
    notes = stories.attrs["load_report"]["files"][0]["notes"]
    assert (
        "line 1: member 'Arjun Mehta (@arjunm)' and role 'release engineering' read from the "
        "interview's title"
    ) in notes


def test_a_title_that_names_no_interviewee_gives_no_member(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text(
        "# Interviews in the north – summary\n\nMember: Kwabena Osei (@kosei)\n\n"
        "## What specific insights did you gain?\n\nHow to pin the toolchain.\n",
        encoding="utf-8",
    )
    stories = load_stories(path)
    assert stories["member"].tolist() == ["Kwabena Osei (@kosei)"]  # a bracket is no role here
    assert stories["role"].isna().all()


def test_a_member_line_that_gives_the_role_too_is_split(tmp_path):
    # trial 38: the role stayed in member ("Inês Carvalho, foundation staff (...)")
    path = tmp_path / "story-ines.md"
    path.write_text(
        "# Story: from gripes to policy\n\nCommunity: Maintainers' Circle\nDate: 2025-06-12\n"
        "Member: Inês Carvalho, foundation staff (community manager)\n\n"
        "I took it to the steering committee.\n",
        encoding="utf-8",
    )
    stories = load_stories(path)
    assert stories[["member", "role"]].values.tolist() == [
        ["Inês Carvalho", "foundation staff (community manager)"]
    ]
    notes = stories.attrs["load_report"]["files"][0]["notes"]
    assert (
        "story 1 (line 3): member 'Inês Carvalho, foundation staff (community manager)' read "
        "as member 'Inês Carvalho' and role 'foundation staff (community manager)'"
    ) in notes


@pytest.mark.parametrize(
    ("community", "expected"),
    [
        # trial 40: the school after the name was read as the member's role
        (None, ["Rachel Dunn", "Greenacres Primary", None]),
        # a community of its own stays; what follows the name is then kept as the role
        ("Maths Network", ["Rachel Dunn", "Maths Network", "Greenacres Primary"]),
    ],
)
def test_a_member_line_that_gives_the_school_gives_the_community(tmp_path, community, expected):
    path = tmp_path / "story-rachel.md"
    line = "" if community is None else f"Community: {community}\n"
    path.write_text(
        f"# Story\n\n{line}Member: Rachel Dunn, Greenacres Primary\n\n"
        "We borrowed the Year 4 fractions unit and used it the next week.\n",
        encoding="utf-8",
    )
    story = load_stories(path).iloc[0]
    got = [None if pd.isna(story[c]) else story[c] for c in ("member", "community", "role")]
    assert got == expected


@pytest.mark.parametrize(
    "head",
    [
        "# Story\n\nCommunity: Maintainers' Circle\nMember: Smith, John\n\n",
        "# Interview with Smith, John\n\nCommunity: Maintainers' Circle\n\n",
    ],
)
def test_a_member_written_surname_first_is_not_split(tmp_path, head):
    # "Smith, John" is one name, not member "Smith" with role "John", on a "Member:" line
    # and in an interview's title
    path = tmp_path / "story-smith.md"
    path.write_text(head + "I took it to the steering committee.\n", encoding="utf-8")
    stories = load_stories(path)
    assert stories["member"].tolist() == ["Smith, John"]
    assert stories["role"].isna().all()


def test_a_word_form_s_depot_line_is_the_community_not_the_story(tmp_path):
    # trial 42: "Depot: Ty Gwyn" under the name of a council engineer's form was read as
    # the text of the story, and the story had no community
    import docx

    document = docx.Document()
    for text in [
        "Name: Sian Llewellyn",
        "Depot: Ty Gwyn",
        "What meaningful activities did you participate in?",
        "Near-miss learning session.",
    ]:
        document.add_paragraph(text)
    path = tmp_path / "VCS 02.docx"
    document.save(path)
    story = load_stories(path).iloc[0]
    assert (story["community"], story["activities"]) == ("Ty Gwyn", "Near-miss learning session.")
    assert pd.isna(story["story"])


@pytest.mark.parametrize("layout", ["table", "headings"])
def test_mapping_names_a_word_form_s_own_prompts(tmp_path, layout):
    # trial 42: a council's Word forms asked in their own words ("What did you learn or
    # get access to?"); no prompt was found, each form's answers were one free story, and
    # mapping.yaml naming the prompts stopped check ("found in no file")
    import docx

    answers = ["Their CCTV template.", "I use it now."]
    prompts = {
        "What did you learn or get access to?": "insights",
        "Have you done  anything differently because of it?": "practice",
    }
    document = docx.Document()
    document.add_paragraph("Name: Gareth Pryce")
    if layout == "table":
        table = document.add_table(rows=0, cols=2)
        for prompt, answer in zip(prompts, answers, strict=True):
            row = table.add_row()
            row.cells[0].text, row.cells[1].text = prompt, answer
    else:
        for prompt, answer in zip(prompts, answers, strict=True):
            document.add_heading(prompt, level=2)
            document.add_paragraph(answer)
    path = tmp_path / "VCS 01.docx"
    document.save(path)
    story = load_stories(path, mapping=prompts).iloc[0]
    assert (story["insights"], story["practice"]) == ("Their CCTV template.", "I use it now.")
    assert pd.isna(story["story"])
    with pytest.raises(MappingError, match="'What did you gain\\?'"):
        load_stories(path, mapping={**prompts, "What did you gain?": "insights"})


#: A council's own wording of the five prompts (trial 42's Word forms), and their answers.
COUNCIL_PROMPTS = {
    "What did you take part in? (meeting, site visit, Teams channel, design review etc.)": (
        "activities",
        "Drainage asset data workshop.",
    ),
    "What did you learn or get access to?": ("insights", "Their CCTV survey template."),
    "Have you done anything differently because of it?": ("practice", "I use it now."),
    "How has it helped your own development?": ("development", "More confident at reviews."),
    "What difference has it made to the Council / the service? Give numbers if you can.": (
        "organization",
        "Two fewer call-outs a month.",
    ),
}


@pytest.mark.parametrize("layout", ["table", "headings", "markdown"])
def test_a_form_s_prompts_in_a_council_s_own_words_need_no_mapping(tmp_path, layout):
    # trial 42: in 30 of 40 Word forms, a table's first column or the headings asked the
    # five prompts in the council's words; none was found without a mapping.yaml, and each
    # form's answers were one free story. A heading or a table's first cell is read as a
    # survey's column header is: by its wording and by meaning
    import docx

    document = docx.Document()
    document.add_paragraph("Name: Gareth Pryce")
    lines = ["Name: Gareth Pryce", ""]
    if layout == "table":
        table = document.add_table(rows=0, cols=2)
        for prompt, (_, answer) in COUNCIL_PROMPTS.items():
            row = table.add_row()
            row.cells[0].text, row.cells[1].text = prompt, answer
        # an answer that asks a question is an answer (the second column)
        table.rows[1].cells[1].text = "What did you learn or get access to? Their template."
    else:
        for prompt, (_, answer) in COUNCIL_PROMPTS.items():
            document.add_heading(prompt, level=2)
            document.add_paragraph(answer)
            lines += [f"## {prompt}", "", answer, ""]
    path = tmp_path / ("VCS 01.md" if layout == "markdown" else "VCS 01.docx")
    if layout == "markdown":
        path.write_text("\n".join(lines), encoding="utf-8")
    else:
        document.save(path)
    stories = load_stories(path)
    assert len(stories) == 1
    story = stories.iloc[0]
    said = {field: answer for field, answer in COUNCIL_PROMPTS.values()}
    if layout == "table":
        said["insights"] = "What did you learn or get access to? Their template."
    assert {field: story[field] for field in said} == said
    assert pd.isna(story["story"])
    mapping = stories.attrs["load_report"]["files"][0]["mapping"]
    assert sorted(m["field"] for m in mapping.values()) == sorted([*said, "member"])


def test_an_answer_of_a_dash_is_no_answer_not_a_label(tmp_path):
    # trial 42: "-" under a prompt was read as a "story_id" label, and the rest of the
    # form as a second story with no answer
    path = tmp_path / "form.txt"
    path.write_text(
        "Community/date: Millbrook depot, 2025-03-01\n"
        "Activities: design review of the culvert scheme\n"
        "How did this contribute to your personal/professional development?\n"
        "-\n"
        "How did this contribute to the goal of the organization?\n"
        "We now share one CAD standard.\n",
        encoding="utf-8",
    )
    stories = load_stories(path)
    assert len(stories) == 1
    row = stories.iloc[0]
    assert (row["activities"], row["organization"]) == (
        "design review of the culvert scheme",
        "We now share one CAD standard.",
    )
    assert row["development"] is pd.NA or row["development"] == "-"
    assert "-" not in stories.attrs["load_report"]["files"][0]["mapping"]


def _content_control(paragraph, text: str, *, placeholder: bool) -> None:
    """A Word form's plain-text content control in ``paragraph``, showing its grey hint
    when ``placeholder`` (nobody typed in it)."""
    from docx.oxml import OxmlElement

    sdt, properties, content = (OxmlElement(t) for t in ("w:sdt", "w:sdtPr", "w:sdtContent"))
    if placeholder:
        properties.append(OxmlElement("w:showingPlcHdr"))
    properties.append(OxmlElement("w:text"))
    run, said = OxmlElement("w:r"), OxmlElement("w:t")
    said.text = text
    run.append(said)
    content.append(run)
    sdt.extend([properties, content])
    paragraph._p.append(sdt)


def test_a_word_forms_grey_hint_left_in_a_cell_is_no_answer(tmp_path):
    # trial 46: a teacher's Word form with the hint left in three answer cells (a content
    # control, and the grey text a Google Docs export keeps) was read as 3 answers
    import docx
    from docx.shared import RGBColor

    document = docx.Document()
    table = document.add_table(rows=0, cols=2)
    answers = ["Read the Teams posts.", None, "grey", "Choose an item."]
    for prompt, answer in zip(PROMPTS, answers, strict=False):
        cells = table.add_row().cells
        cells[0].text = prompt
        paragraph = cells[1].paragraphs[0]
        if answer is None:
            _content_control(paragraph, "Click or tap here to enter text.", placeholder=True)
        elif answer == "grey":
            run = paragraph.add_run("Click or tap here to enter text.")
            run.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
        else:
            _content_control(paragraph, answer, placeholder=False)
    path = tmp_path / "story-12-tomás.docx"
    document.save(path)
    stories = load_stories(path)
    answers = stories.loc[0, ["activities", "insights", "practice", "development"]]
    assert answers.notna().tolist() == [True, False, False, False]
    assert answers["activities"] == "Read the Teams posts."
    text = format_load_report(stories.attrs["load_report"])
    assert "3 answers read as no answer, being only a placeholder" in text
    assert "story 1 insights 'Click or tap here to enter text.'" in text


def test_a_word_forms_line_of_check_boxes_is_read_as_the_boxes_ticked(tmp_path):
    # trial 46: "Type of member: ☐ Coordinator ☒ Core member ☐ Active member ..." under
    # each teacher's form was read, boxes and all, as every teacher's role
    import docx

    document = docx.Document()
    for member, line in [
        ("Aoife Ní Shúilleabháin", "☐ Coordinator   ☒ Core member   ☐ Active member"),
        ("Pádraig Ó Conaill", "☒ Coordinator   ☐ Core member   ☑ Active member"),
        ("Seán Ó Flaithearta", "☐ Coordinator   ☐ Core member   ☐ Active member"),
    ]:
        document.add_paragraph("Community/date: Líonra Mata na Gaillimhe, 14/11/2025")
        document.add_paragraph(f"Member/role: {member}")
        document.add_paragraph(f"{PROMPTS[0]} The lesson study cycle.")
        document.add_paragraph(f"Type of member: {line}")
    path = tmp_path / "forms.docx"
    document.save(path)
    stories = load_stories(path)
    roles = stories["role"].fillna("-").tolist()
    assert roles == ["Core member", "Coordinator; Active member", "-"]
    text = format_load_report(stories.attrs["load_report"])
    boxes = "'☐ Coordinator ☒ Core member ☐ Active member'"
    assert f"story 1 role: the boxes ticked of {boxes}" in text
    assert "read as 'Core member'" in text


def test_a_member_role_answer_beside_a_role_line_says_what_it_does_not_keep(tmp_path):
    # trial 46: "Member/role: Aoife, maths teacher, Coláiste Bhríde" beside "Type of member:
    # Core member" kept the type as the role; the job and the school went unsaid
    path = tmp_path / "story-aoife.md"
    path.write_text(
        "# Story\n\nMember/role: Aoife Ní Shúilleabháin, maths teacher, Coláiste Bhríde\n"
        "Type of member: Core member\n\nWe borrowed the lesson study plan and used it.\n",
        encoding="utf-8",
    )
    stories = load_stories(path)
    assert stories[["member", "role"]].values.tolist() == [
        ["Aoife Ní Shúilleabháin", "Core member"]
    ]
    notes = stories.attrs["load_report"]["files"][0]["notes"]
    assert (
        "story 1 (line 3): the role 'maths teacher, Coláiste Bhríde' of its Member/role line "
        "not kept: the story's role is 'Core member', from a line of its own"
    ) in notes
