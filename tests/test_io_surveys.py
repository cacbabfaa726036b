"""Survey tools' exports, built here in each tool's real layout, load with the right fields.

Each tool's fixture follows its export as the tool writes it: header conventions (Qualtrics'
three header rows, SurveyMonkey's two), timestamp formats, and the columns the tool adds
(respondent id, IP address, start and end times, consent). Every export is also loaded as
a European Excel re-save (semicolons, cp1252, CRLF) and as XLSX, and must give the same
stories. Three respondents each: two stories and one respondent who answered no prompt.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field, replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from copanalysis.cli import format_check
from copanalysis.io import check_study, format_load_report, load_stories, repeated_answers

ACTIVITIES = "What meaningful activities did you participate in?"
INSIGHTS = "What specific insights did you gain? What access to useful information or material?"
PRACTICE = "How did this influence your practice?"
DEVELOPMENT = "How did this contribute to your personal/professional development?"
ORGANIZATION = "How did this contribute to the goal of the organization?"
PROMPTS = [ACTIVITIES, INSIGHTS, PRACTICE, DEVELOPMENT, ORGANIZATION]

#: what the three respondents wrote (the third answered no prompt)
ANSWERS = [
    [
        "Monthly case reviews – with the “wound care” group",
        "A checklist for pressure ulcers",
        "I now check every patient on admission",
        "More confident presenting",
        "Fewer pressure ulcers: from 12 to 5 a quarter (58% fewer)",
    ],
    ["A site visit to José Peña's ward", "", "", "", ""],
    ["", "", "", "", ""],
]
MEMBERS = ["Zoë Müller", "José Peña", "Ana"]
COMMUNITIES = ["Nursing Practice Network", "Nursing Practice Network", "Nurses' Circle"]
ROLES = ["Ward nurse", "Charge nurse", "Student"]


@dataclass
class Export:
    """One tool's export: its rows (header rows included) and what loading must give."""

    name: str
    rows: list[list[object]]
    header_rows: int
    dates: list[pd.Timestamp | None]
    submitted: list[pd.Timestamp]
    metadata: list[str]
    date_order: str | None = None
    layout: str | None = None
    quoting: int = csv.QUOTE_MINIMAL
    encoding: str = "utf-8"
    ids: list[str] | None = None
    mapped: dict[str, str] = field(default_factory=dict)


def _ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def google_forms() -> Export:
    """Google Forms' "Download responses (.csv)": Timestamp first, then the questions."""
    header = [
        "Timestamp",
        "Email Address",
        "Do you consent to take part in this study?",
        "Name of your community / network",
        "Your role in the community",
        "Your name",
        "Date of the activity (dd/mm/yyyy)",
        *[f"{p} *" for p in PROMPTS],
    ]
    stamps = ["2025/01/10 10:10:00", "2025/01/31 18:45:12", "2025/02/03 08:00:01"]
    days = ["08/01/2025", "31/01/2025", "03/02/2025"]
    rows = [
        [stamps[i], f"r{i}@example.org", "Yes", COMMUNITIES[i], ROLES[i], MEMBERS[i], days[i]]
        + ANSWERS[i]
        for i in range(3)
    ]
    return Export(
        "google-forms",
        [header, *rows],
        1,
        dates=[_ts("2025-01-08"), _ts("2025-01-31")],
        submitted=[_ts("2025-01-10 10:10:00"), _ts("2025-01-31 18:45:12")],
        metadata=["Email Address", "Do you consent to take part in this study?"],
        date_order="day-first",
        mapped={
            "Name of your community / network": "community",
            "Your role in the community": "role",
            "Date of the activity (dd/mm/yyyy)": "date",
            "Timestamp": "submitted",
        },
    )


def microsoft_forms() -> Export:
    """Microsoft Forms' Excel export: ID, start and completion times, email, name."""
    header = [
        "ID",
        "Start time",
        "Completion time",
        "Email",
        "Name",
        "Last modified time",
        "Which network are you part of?",
        "Your role in the community",
        "When did the activity take place?",
        *PROMPTS,
    ]
    start = ["1/10/25 10:02:11", "1/31/25 18:30:00", "2/3/25 7:55:00"]
    done = ["1/10/25 10:10:00", "1/31/25 18:45:12", "2/3/25 8:00:01"]
    days = ["1/8/2025", "1/31/2025", "2/3/2025"]
    rows = [
        [i + 1, start[i], done[i], "anonymous", MEMBERS[i], ""]
        + [COMMUNITIES[i], ROLES[i], days[i]]
        + ANSWERS[i]
        for i in range(3)
    ]
    return Export(
        "microsoft-forms",
        [header, *rows],
        1,
        dates=[_ts("2025-01-08"), _ts("2025-01-31")],
        submitted=[_ts("2025-01-10 10:10:00"), _ts("2025-01-31 18:45:12")],
        metadata=["Start time", "Email", "Last modified time"],
        date_order="month-first",
        ids=["1", "2"],
        mapped={
            "Which network are you part of?": "community",
            "Completion time": "submitted",
            "When did the activity take place?": "date",
            "Name": "member",
        },
    )


QUALTRICS_META = [
    ("StartDate", "Start Date", '{"ImportId":"startDate","timeZone":"Europe/Berlin"}'),
    ("EndDate", "End Date", '{"ImportId":"endDate","timeZone":"Europe/Berlin"}'),
    ("Status", "Response Type", '{"ImportId":"status"}'),
    ("IPAddress", "IP Address", '{"ImportId":"ipAddress"}'),
    ("Progress", "Progress", '{"ImportId":"progress"}'),
    ("Duration (in seconds)", "Duration (in seconds)", '{"ImportId":"duration"}'),
    ("Finished", "Finished", '{"ImportId":"finished"}'),
    ("RecordedDate", "Recorded Date", '{"ImportId":"recordedDate","timeZone":"Europe/Berlin"}'),
    ("ResponseId", "Response ID", '{"ImportId":"_recordId"}'),
    ("RecipientLastName", "Recipient Last Name", '{"ImportId":"recipientLastName"}'),
    ("RecipientFirstName", "Recipient First Name", '{"ImportId":"recipientFirstName"}'),
    ("RecipientEmail", "Recipient Email", '{"ImportId":"recipientEmail"}'),
    ("ExternalReference", "External Data Reference", '{"ImportId":"externalDataReference"}'),
    ("LocationLatitude", "Location Latitude", '{"ImportId":"locationLatitude"}'),
    ("LocationLongitude", "Location Longitude", '{"ImportId":"locationLongitude"}'),
    ("DistributionChannel", "Distribution Channel", '{"ImportId":"distributionChannel"}'),
    ("UserLanguage", "User Language", '{"ImportId":"userLanguage"}'),
]


def qualtrics() -> Export:
    """Qualtrics' CSV: short names, question text and ImportId JSON; ISO times."""
    questions = [
        "Do you agree to participate in this research?",
        "Which network are you part of?",
        "Your role in the community",
        "Your name",
        "When did the activity happen? (MM/DD/YYYY)",
        *PROMPTS,
    ]
    short = ["Q0", "Q1", "Q2", "Q3", "Q4", *(f"Q{i}" for i in range(5, 10))]
    rows: list[list[object]] = [
        [m[0] for m in QUALTRICS_META] + short,
        [m[1] for m in QUALTRICS_META] + questions,
        [m[2] for m in QUALTRICS_META] + [f'{{"ImportId":"QID{i}_TEXT"}}' for i in range(10)],
    ]
    recorded = ["2025-01-10 10:10:00", "2025-01-31 18:45:12", "2025-02-03 08:00:01"]
    days = ["01/08/2025", "01/31/2025", "02/03/2025"]
    for i in range(3):
        rows.append(
            ["2025-01-10 10:02:11", recorded[i], "IP Address", f"192.0.2.{i}", "100", "469"]
            + ["True", recorded[i], f"R_{i}xYz", "", "", "", "", "52.52", "13.40", "anonymous"]
            + ["EN", "I agree", COMMUNITIES[i], ROLES[i], MEMBERS[i], days[i]]
            + ANSWERS[i]
        )
    return Export(
        "qualtrics",
        rows,
        3,
        dates=[_ts("2025-01-08"), _ts("2025-01-31")],
        submitted=[_ts("2025-01-10 10:10:00"), _ts("2025-01-31 18:45:12")],
        metadata=[
            "Start Date",
            "End Date",
            "Response Type",
            "IP Address",
            "Progress",
            "Duration (in seconds)",
            "Finished",
            "Recipient Last Name",
            "Recipient First Name",
            "Recipient Email",
            "External Data Reference",
            "Location Latitude",
            "Location Longitude",
            "Distribution Channel",
            "User Language",
            "Do you agree to participate in this research?",
        ],
        date_order="month-first",
        layout="qualtrics",
        ids=["R_0xYz", "R_1xYz"],
        mapped={"Recorded Date": "submitted", "Response ID": "story_id"},
    )


def surveymonkey() -> Export:
    """SurveyMonkey's CSV: the question row, then Response / Open-Ended Response / parts."""
    meta = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address"]
    meta += ["Email Address", "First Name", "Last Name", "Custom Data 1"]
    first = [*meta, "Which network are you part of?", "", "Your role in the community"]
    first += ["Your name", "When did the activity take place?", *PROMPTS]
    second = [""] * len(meta) + ["Response", "Other (please specify)", "Open-Ended Response"]
    second += ["Open-Ended Response", "Date", *["Open-Ended Response"] * 5]
    ends = ["01/10/2025 10:10:00 AM", "01/31/2025 06:45:12 PM", "02/03/2025 08:00:01 AM"]
    days = ["01/08/2025", "01/31/2025", "02/03/2025"]
    rows: list[list[object]] = [first, second]
    for i in range(3):
        rows.append(
            [f"1140{i}5", "431", "01/10/2025 10:02:11 AM", ends[i], f"198.51.100.{i}"]
            + ["", "", "", ""]
            + [COMMUNITIES[i], "", ROLES[i], MEMBERS[i], days[i]]
            + ANSWERS[i]
        )
    return Export(
        "surveymonkey",
        rows,
        2,
        dates=[_ts("2025-01-08"), _ts("2025-01-31")],
        submitted=[_ts("2025-01-10 10:10:00"), _ts("2025-01-31 18:45:12")],
        metadata=[
            "Collector ID",
            "Start Date",
            "IP Address",
            "Email Address",
            "First Name",
            "Last Name",
            "Custom Data 1",
        ],
        date_order="month-first",
        layout="surveymonkey",
        ids=["114005", "114015"],
        mapped={
            "Which network are you part of?": "community",
            "End Date": "submitted",
            "When did the activity take place? - Date": "date",
        },
    )


def limesurvey() -> Export:
    """LimeSurvey's CSV with full question texts: every field quoted, ISO times."""
    header = ["Response ID", "Date submitted", "Last page", "Start language", "Seed"]
    header += ["Date started", "Date last action", "IP address", "Referrer URL"]
    header += ["Do you consent to participate?", "Which network are you part of?"]
    header += ["Your role in the community", "Your name", "Date of the activity", *PROMPTS]
    submitted = ["2025-01-10 10:10:00", "2025-01-31 18:45:12", "2025-02-03 08:00:01"]
    days = ["2025-01-08 00:00:00", "2025-01-31 00:00:00", "2025-02-03 00:00:00"]
    rows = [
        [str(i + 1), submitted[i], "3", "en", "123456789", "2025-01-10 10:02:11", submitted[i]]
        + [f"203.0.113.{i}", "", "Yes (Y)", COMMUNITIES[i], ROLES[i], MEMBERS[i], days[i]]
        + ANSWERS[i]
        for i in range(3)
    ]
    return Export(
        "limesurvey",
        [header, *rows],
        1,
        dates=[_ts("2025-01-08"), _ts("2025-01-31")],
        submitted=[_ts("2025-01-10 10:10:00"), _ts("2025-01-31 18:45:12")],
        metadata=[
            "Last page",
            "Start language",
            "Seed",
            "Date started",
            "Date last action",
            "IP address",
            "Referrer URL",
            "Do you consent to participate?",
        ],
        quoting=csv.QUOTE_ALL,
        ids=["1", "2"],
        mapped={"Date submitted": "submitted", "Date of the activity": "date"},
    )


def typeform() -> Export:
    """Typeform's CSV: "#" token, the questions, then its own columns in UTC."""
    header = ["#", "Which network are you part of?", "Your role in the community", "Your name"]
    header += ["When did the activity take place?", *PROMPTS]
    header += ["I agree to the terms of this study", "Response Type", "Start Date (UTC)"]
    header += ["Stage Date (UTC)", "Submit Date (UTC)", "Network ID", "Tags", "Ending"]
    submitted = ["2025-01-10 10:10:00", "2025-01-31 18:45:12", "2025-02-03 08:00:01"]
    days = ["2025-01-08", "2025-01-31", "2025-02-03"]
    rows = [
        [f"k2x{i}q8m7"]
        + [COMMUNITIES[i], ROLES[i], MEMBERS[i], days[i]]
        + ANSWERS[i]
        + ["1", "completed", "2025-01-10 10:02:11", submitted[i], submitted[i], f"a1b2c{i}"]
        + ["", "default_tys"]
        for i in range(3)
    ]
    return Export(
        "typeform",
        [header, *rows],
        1,
        dates=[_ts("2025-01-08"), _ts("2025-01-31")],
        submitted=[_ts("2025-01-10 10:10:00"), _ts("2025-01-31 18:45:12")],
        metadata=[
            "I agree to the terms of this study",
            "Response Type",
            "Start Date (UTC)",
            "Stage Date (UTC)",
            "Network ID",
            "Tags",
            "Ending",
        ],
        ids=["k2x0q8m7", "k2x1q8m7"],
        mapped={"#": "story_id", "Submit Date (UTC)": "submitted"},
    )


def redcap() -> Export:
    """REDCap's raw CSV: field names, YYYY-MM-DD, and "[not completed]" timestamps."""
    header = ["record_id", "redcap_survey_identifier", "value_story_timestamp", "consent"]
    header += ["community", "role", "member_name", "activity_date"]
    header += ["activities", "insights", "practice", "development", "organization"]
    header += ["value_story_complete"]
    stamps = ["2025-01-10 10:10:00", "2025-01-31 18:45:12", "[not completed]"]
    days = ["2025-01-08", "2025-01-31", ""]
    rows = [
        [str(i + 1), "", stamps[i], "1", COMMUNITIES[i], ROLES[i], MEMBERS[i], days[i]]
        + ANSWERS[i]
        + ["2" if i < 2 else "0"]
        for i in range(3)
    ]
    return Export(
        "redcap",
        [header, *rows],
        1,
        dates=[_ts("2025-01-08"), _ts("2025-01-31")],
        submitted=[_ts("2025-01-10 10:10:00"), _ts("2025-01-31 18:45:12")],
        metadata=["redcap_survey_identifier", "consent", "value_story_complete"],
        ids=["1", "2"],
        mapped={"value_story_timestamp": "submitted", "member_name": "member"},
    )


EXPORTS = [google_forms, microsoft_forms, qualtrics, surveymonkey, limesurvey, typeform, redcap]


def _write_csv(export: Export, path: Path, *, delimiter: str = ",", encoding: str = "utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n", quoting=export.quoting)
    writer.writerows([["" if c is None else str(c) for c in row] for row in export.rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _write_xlsx(export: Export, path: Path):
    book = openpyxl.Workbook()
    for row in export.rows:
        book.active.append(row)
    book.save(path)
    return path


def _check(stories: pd.DataFrame, export: Export, *, first_data_row: int) -> None:
    assert len(stories) == 2
    assert stories["member"].tolist() == MEMBERS[:2]
    assert stories["community"].tolist() == COMMUNITIES[:2]
    assert stories["role"].tolist() == ROLES[:2]
    assert stories["date"].tolist() == export.dates
    assert stories["submitted"].tolist() == export.submitted
    assert stories["activities"].tolist() == [ANSWERS[0][0], ANSWERS[1][0]]
    assert stories["organization"].iloc[0] == ANSWERS[0][4]
    assert stories["insights"].isna().tolist() == [False, True]
    if export.ids is not None:
        assert stories["story_id"].tolist() == export.ids
    entry = stories.attrs["load_report"]["files"][0]
    fields = {column: found["field"] for column, found in entry["mapping"].items()}
    assert {"activities", "insights", "practice", "development", "organization"} <= set(
        fields.values()
    )
    assert {c: fields.get(c) for c in export.mapped} == export.mapped
    assert entry["metadata"] == export.metadata
    for column in export.metadata:  # kept as attributes of each story, never an answer
        assert column in stories.columns and column not in fields
    assert entry["skipped"] == [{"row": first_data_row + 2, "reason": "no answer to any prompt"}]
    assert entry["bad_dates"] == []
    if export.date_order is not None:
        orders = {found["field"]: found["order"] for found in entry["dates"].values()}
        assert orders["date"] == export.date_order
    assert entry.get("layout") == export.layout


@pytest.mark.parametrize("make", EXPORTS, ids=lambda make: make.__name__)
def test_each_tools_export_loads_with_fields_dates_and_metadata(tmp_path, make):
    export = make()
    path = _write_csv(export, tmp_path / f"{export.name}.csv", encoding="utf-8-sig")
    stories = load_stories(path)
    _check(stories, export, first_data_row=export.header_rows + 1)
    assert stories["source"].iloc[0] == f"{export.name}.csv:row {export.header_rows + 1}"
    text = format_load_report(stories.attrs["load_report"])
    assert "survey metadata, kept as is:" in text


@pytest.mark.parametrize("make", EXPORTS, ids=lambda make: make.__name__)
def test_the_same_export_resaved_by_european_excel_and_as_xlsx(tmp_path, make):
    export = make()
    semicolon = _write_csv(export, tmp_path / "semicolon.csv", delimiter=";", encoding="cp1252")
    stories = load_stories(semicolon)
    entry = stories.attrs["load_report"]["files"][0]
    assert (entry["encoding"], entry["delimiter"]) == ("cp1252", ";")
    _check(stories, export, first_data_row=export.header_rows + 1)
    book = load_stories(_write_xlsx(export, tmp_path / "export.xlsx"))
    _check(book, export, first_data_row=export.header_rows + 1)
    assert book["source"].iloc[1].startswith("export.xlsx:Sheet:row")


def test_google_sheets_xlsx_with_real_timestamps_and_a_day_first_locale(tmp_path):
    export = google_forms()
    rows = [export.rows[0]]
    stamps = ["2025-01-10 10:10", "2025-01-31 18:45:12", "2025-02-03 08:00:01"]
    for row, stamp in zip(export.rows[1:], stamps, strict=True):
        rows.append([dt.datetime.fromisoformat(stamp), *row[1:]])
    export.rows = rows
    stories = load_stories(_write_xlsx(export, tmp_path / "sheets.xlsx"))
    assert stories["submitted"].tolist() == export.submitted


def test_day_month_order_follows_the_other_date_column_and_the_report_says_why(tmp_path):
    # a UK Google Sheet: the timestamp shows the day first; the dates alone cannot tell
    rows = [
        ["Timestamp", "Community", "When did it happen?", "Activities"],
        ["13/01/2025 10:10:00", "Nurses", "02/01/2025", "Case reviews"],
        ["14/01/2025 09:00:00", "Nurses", "03/01/2025", "Journal club"],
    ]
    path = tmp_path / "uk.csv"
    path.write_text("\n".join(",".join(r) for r in rows), encoding="utf-8")
    stories = load_stories(path)
    assert stories["date"].tolist() == [_ts("2025-01-02"), _ts("2025-01-03")]
    dates = stories.attrs["load_report"]["files"][0]["dates"]
    assert dates["Timestamp"] == {
        "field": "submitted",
        "order": "day-first",
        "why": "row 2: '13/01/2025 10:10:00'",
    }
    assert dates["When did it happen?"]["why"] == "as the file's other date column"
    # alone, an ambiguous column is read month-first and flagged; dayfirst= says otherwise
    path.write_text("Date,Activities\n02/01/2025,Case reviews\n", encoding="utf-8")
    alone = load_stories(path)
    assert alone["date"].tolist() == [_ts("2025-02-01")]
    assert alone.attrs["load_report"]["files"][0]["dates"]["Date"]["order"] == (
        "assumed month-first"
    )
    assert load_stories(path, dayfirst=True)["date"].tolist() == [_ts("2025-01-02")]


def test_a_file_that_cannot_tell_its_date_order_reads_like_the_folders_other_files(tmp_path):
    folder = tmp_path / "stories"
    folder.mkdir()
    # a UK study: the survey shows day-first (13/01), the Word-form transcript cannot tell
    (folder / "a-form.csv").write_text("Date,Activities\n08/04/2025,A ward visit\n", "utf-8")
    (folder / "b-survey.csv").write_text(
        "Date,Activities\n13/01/2025,Case reviews\n02/03/2025,Journal club\n", "utf-8"
    )
    stories = load_stories(folder, progress=False)
    assert stories["story_id"].tolist() == ["a-form-001", "b-survey-001", "b-survey-002"]
    assert stories["date"].tolist() == [_ts("2025-04-08"), _ts("2025-01-13"), _ts("2025-03-02")]
    entries = stories.attrs["load_report"]["files"]
    assert [e["path"] for e in entries] == [
        str(folder / "a-form.csv"),
        str(folder / "b-survey.csv"),
    ]
    assert entries[0]["dates"]["Date"] == {
        "field": "date",
        "order": "day-first",
        "why": "as the folder's other files (b-survey.csv, row 2: '13/01/2025')",
    }
    # check, which loads each file alone too, reports what the folder's load read
    study = tmp_path / "study"
    (study / "stories").mkdir(parents=True)
    for name in ("a-form.csv", "b-survey.csv"):
        (study / "stories" / name).write_bytes((folder / name).read_bytes())
    checked = check_study(study)
    assert [f.attention for f in checked.files] == [(), ()]
    # files that disagree settle nothing: the assumption stays, and is flagged
    (folder / "c-us.csv").write_text("Date,Activities\n01/31/2025,Grand rounds\n", "utf-8")
    stories = load_stories(folder, progress=False)
    assert stories["date"].iloc[0] == _ts("2025-08-04")
    assert stories.attrs["load_report"]["files"][0]["dates"]["Date"]["order"] == (
        "assumed month-first"
    )


def test_excel_unicode_text_export_loads_as_rows_and_a_narrative_txt_as_one_story(tmp_path):
    # Excel's "Save as Unicode Text": UTF-16 with a byte-order mark, tab-delimited, CRLF
    export = google_forms()
    body = "\r\n".join(
        "\t".join(f'"{c}"' if "\n" in str(c) else str(c) for c in row)
        for row in [export.rows[0], *export.rows[1:] * 3]
    )
    path = tmp_path / "responses.txt"
    path.write_bytes(body.encode("utf-16"))
    with pytest.raises(Exception, match="repeats"):  # the rows are there, ids repeat ...
        load_stories(path, mapping={"Email Address": "story_id"})
    stories = load_stories(path)
    assert len(stories) == 6  # ... 9 rows, three of them without an answer
    entry = stories.attrs["load_report"]["files"][0]
    assert (entry["format"], entry["encoding"], entry["delimiter"]) == ("csv", "utf-16", "\t")
    assert stories["community"].iloc[0] == "Nursing Practice Network"
    narrative = tmp_path / "narrative.txt"
    narrative.write_text(
        "I joined the network in May, and it changed how I work.\n\n"
        "Now I teach others, and I learn more.\n",
        encoding="utf-8",
    )
    story = load_stories(narrative)
    assert len(story) == 1 and story["story"].iloc[0].startswith("I joined the network")
    assert story.attrs["load_report"]["files"][0]["format"] == "txt"


def test_surveymonkeys_other_please_specify_is_the_answer_typed(tmp_path):
    export = surveymonkey()
    network = export.rows[0].index("Which network are you part of?")
    export.rows[2][network : network + 2] = ["Other (please specify)", "Harbour Engineers"]
    export.rows[3][network + 1] = "and the county forum"  # beside a choice
    stories = load_stories(_write_csv(export, tmp_path / "monkey.csv", encoding="utf-8-sig"))
    assert stories["community"].tolist()[:2] == [
        "Harbour Engineers",
        f"{COMMUNITIES[1]}; and the county forum",
    ]


def test_limesurvey_abbreviated_and_question_code_headers_map_like_the_full_ones(tmp_path):
    prompts = [
        "What meaningful activities did you participate in?",
        "What specific insights did you gain? What access to useful information or material?",
        "How did this influence your practice?",
        "How did this contribute to your personal/professional development?",
        "How did this contribute to the goal of the organization?",
    ]
    fields = ["activities", "insights", "practice", "development", "organization"]
    answers = "1,Ward A,Nurse,Huddle,Footwear,Slippers checked,I teach this,Fewer falls\n"
    # "Abbreviated question text": cut at 40 characters, then "..."
    cut = [p[:40].rstrip() + "..." for p in prompts]
    (tmp_path / "abbrev.csv").write_text(
        "Response ID,Community / network,Your role," + ",".join(f'"{c}"' for c in cut) + "\n"
        + answers,
        encoding="utf-8",
    )  # fmt: skip
    # "Question code & question text"
    coded = [f"G02Q0{i}. {p}" for i, p in enumerate(prompts, start=1)]
    (tmp_path / "codes.csv").write_text(
        "Response ID,G01Q01. Community / network,G01Q02. Your role,"
        + ",".join(f'"{c}"' for c in coded) + "\n" + answers,
        encoding="utf-8",
    )  # fmt: skip
    for name in ("abbrev.csv", "codes.csv"):
        stories = load_stories(tmp_path / name)
        mapping = stories.attrs["load_report"]["files"][0]["mapping"]
        assert [m["field"] for m in mapping.values()] == [
            "story_id", "community", "role", *fields
        ], name  # fmt: skip
        assert stories[["community", "role", "development"]].values.tolist() == [
            ["Ward A", "Nurse", "I teach this"]
        ]


def test_limesurvey_question_code_and_text_headings_name_its_own_columns_too(tmp_path):
    """Trial 38: LimeSurvey's "Question code & question text" headings give its own columns
    their codes too ("id. Response ID", "submitdate. Date submitted"): the response id and
    the submission time were kept as loose columns, the ids counted from the rows."""
    from copanalysis.io.fields import content_words

    plain = limesurvey()
    codes = ["id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp"]
    codes += ["ipaddr", "refurl"]
    own = dict(zip(plain.rows[0], codes, strict=False))
    coded = {
        header: f"{own[header]}. {header}" if header in own else f"G01Q{n:02d}. {header}"
        for n, header in enumerate(plain.rows[0], start=1)
    }
    export = replace(
        plain,
        rows=[[coded[h] for h in plain.rows[0]], *plain.rows[1:]],
        metadata=[coded[h] for h in plain.metadata],
        mapped={coded[h]: found for h, found in plain.mapped.items()},
    )
    assert export.mapped == {
        "submitdate. Date submitted": "submitted",
        "G01Q14. Date of the activity": "date",
    }
    stories = load_stories(_write_csv(export, tmp_path / "limesurvey.csv"))
    _check(stories, export, first_data_row=2)
    mapping = stories.attrs["load_report"]["files"][0]["mapping"]
    assert mapping["id. Response ID"] == {"field": "story_id", "score": 100.0}
    # a multiple choice's option columns: "G01Q03[SQ001]. <question> [<option>]"
    header = "G01Q03[SQ001]. Which sub-groups are you part of? [Security response]"
    assert content_words(header) == "sub groups part security response"


def test_limesurvey_responses_never_submitted_are_kept_and_counted(tmp_path):
    """Trial 38: LimeSurvey's incomplete responses (no "Date submitted", an early "Last
    page") were read as whole ones, with no word in the load report or `check`."""
    export = limesurvey()
    export.rows[2][1] = ""  # the second response: its respondent left at page 2
    export.rows[2][2] = "2"
    path = _write_csv(export, tmp_path / "limesurvey.csv")
    stories = load_stories(path)
    assert stories["story_id"].tolist() == ["1", "2"]
    assert stories["submitted"].isna().tolist() == [False, True]
    notes = stories.attrs["load_report"]["files"][0]["notes"]
    unfinished = [note for note in notes if "not finished" in note]
    assert unfinished == [
        "1 response was not finished: row 3; it is kept (a partial answer is still an answer)"
    ]
    # without LimeSurvey's "Last page" beside it, an empty submission time says nothing
    for row in export.rows:
        del row[2]
    stories = load_stories(_write_csv(export, tmp_path / "other.csv"))
    notes = stories.attrs["load_report"]["files"][0]["notes"]
    assert not [note for note in notes if "not finished" in note]


def test_a_question_after_the_members_workplace_is_their_community(tmp_path) -> None:
    """Trial 28: "Which practice do you work at?" was kept as a column, every story without
    a community, and `--by` the only way to compare the four practices."""
    from copanalysis.io.fields import STORY_WORDING, match_columns

    found = match_columns(
        [
            "Which practice do you work at?",
            "Where do you work?",
            "What work do you do?",
            "How has it changed your practice?",
        ],
        STORY_WORDING,
    )
    assert found.column_of("community") == "Which practice do you work at?"
    assert found.column_of("practice") == "How has it changed your practice?"
    # one column per field, and a question about the work itself is no workplace
    assert {"Where do you work?", "What work do you do?"} <= set(found.kept)
    (tmp_path / "survey.csv").write_text(
        "Which practice do you work at?,What did you learn?\n"
        "Glenmoor Vets,I learned how to score lameness.\n",
        encoding="utf-8",
    )
    stories = load_stories(tmp_path / "survey.csv", progress=False)
    assert stories["community"].tolist() == ["Glenmoor Vets"]


@pytest.mark.parametrize(
    ("header", "community"),
    [
        # trial 30: a Google Form's "Which school are you at?" was kept as a column
        ("Which school are you at?", True),
        ("What school do you teach at?", True),
        ("Which hospital are you based in?", True),
        ("Where are you based?", True),
        # trial 43: two places, either of which the member names
        ("Which hospital or team are you based in?", True),
        ("Which school/college do you teach at?", True),
        # trial 35: the district of the member's work, whatever they do there
        ("Which district do you facilitate farmer field schools in?", True),
        ("In which county did you run the sessions?", True),
        ("Which district officials helped you?", False),
        # trial 39: a club asked after by name, whatever the member does there
        ("Which club do you coach at?", True),
        ("Which club do you play for?", True),
        ("Which club do you belong to?", True),
        ("What age group do you coach?", False),
        ("Which sessions do you coach?", False),
        # where the member was is an activity, not a workplace
        ("Which sessions were you at?", False),
        ("What were you part of?", False),
    ],
)
def test_more_questions_after_the_workplace_are_the_community(header, community) -> None:
    from copanalysis.io.fields import STORY_WORDING, match_columns

    found = match_columns([header], STORY_WORDING)
    assert (found.column_of("community") == header) is community


def test_a_helps_or_hinders_question_in_a_story_survey_says_where_it_is_read(tmp_path) -> None:
    """Trial 28: `check` advised mapping a helps/hinders question of the story survey to
    `story`, and the same file in lists/ advised mapping each story prompt as `enabler`."""
    from copanalysis.io import load_lists

    answers = [
        ("I learned to score lameness properly.", "Tom making time for us. The rota, never."),
        ("Got the drug calculator spreadsheet.", "WhatsApp is brilliant; distance is not."),
        ("Met the other practices' vets at last.", "Nobody has protected time for it at all."),
    ]
    header = "ID,What specific insights did you gain?,What helps or gets in the way?\n"
    rows = "".join(f'{i},"{a}","{b}"\n' for i, (a, b) in enumerate(answers, start=1))
    (tmp_path / "survey.csv").write_text(header + rows, encoding="utf-8")
    stories = load_stories(tmp_path / "survey.csv", progress=False)
    notes = stories.attrs["load_report"]["files"][0]["notes"]
    assert (
        "column 'What helps or gets in the way?' asks what helps or hinders: its 3 free-text "
        "answers are kept but not coded as stories; to code them as enablers and challenges, "
        "put a copy of the file in the study's lists/ folder, which reads that column as a list"
    ) in notes
    items = load_lists(tmp_path / "survey.csv")
    assert items["text"].tolist() == [b for _, b in answers]
    notes = items.attrs["load_report"]["files"][0]["notes"]
    assert (
        "column 'What specific insights did you gain?' asks a value-creation story prompt: its "
        "3 answers are kept but not coded as a list (a copy of the file in the study's "
        "stories/ folder codes them as stories)"
    ) in notes
    assert not any("'What specific insights did you gain?': enabler" in n for n in notes)


def _qualtrics_csv(path: Path, columns: list[tuple[str, str, str]], rows: list[list[str]]):
    """A Qualtrics CSV export: ``(short name, question, import id)`` per column, then rows."""
    header = [[c[i] for c in columns] for i in range(2)]
    ids = [f'{{"ImportId":"{c[2]}"}}' for c in columns]
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        csv.writer(handle).writerows([*header, ids, *rows])
    return path


def test_qualtrics_selected_choice_workplace_question_is_the_community(tmp_path) -> None:
    """Trial 33: "Which hospital do you work at? - Selected Choice" (what Qualtrics writes
    for a multiple-choice question) was kept as is, every story without a community."""
    hospital = "Which hospital do you work at?"
    path = _qualtrics_csv(
        tmp_path / "qualtrics.csv",
        [
            ("ResponseId", "Response ID", "_recordId"),
            ("Q1", f"{hospital} - Selected Choice", "QID1"),
            ("Q1_6_TEXT", f"{hospital} - Other - Text", "QID1_6_TEXT"),
            ("Q2", "What specific insights did you gain?", "QID2_TEXT"),
        ],
        [
            ["R_1", "Royal Infirmary", "", "I learned to grade pressure damage."],
            ["R_2", "Other", "Rosewood Private Hospital", "I learned the 30 degree tilt."],
        ],
    )
    stories = load_stories(path, progress=False)
    assert stories["community"].tolist() == ["Royal Infirmary", "Rosewood Private Hospital"]
    (entry,) = stories.attrs["load_report"]["files"]
    assert entry["mapping"][f"{hospital} - Selected Choice"] == {
        "field": "community",
        "score": 92.0,
    }
    assert entry["kept"] == [f"{hospital} - Other - Text"]


def test_qualtrics_previews_tests_and_spam_are_skipped_and_listed(tmp_path) -> None:
    """Trial 33: a "Survey Preview" row ("test test") was loaded, coded and counted as a
    member's story."""
    from copanalysis.cli import format_check

    (tmp_path / "stories").mkdir()
    columns = [
        ("Status", "Response Type", "status"),
        ("ResponseId", "Response ID", "_recordId"),
        ("DistributionChannel", "Distribution Channel", "distributionChannel"),
        ("Q1", "What specific insights did you gain?", "QID1_TEXT"),
    ]
    path = _qualtrics_csv(
        tmp_path / "stories" / "qualtrics.csv",
        columns,
        [
            ["Survey Preview", "R_preview", "preview", "test test"],
            ["IP Address", "R_real", "anonymous", "I learned to grade pressure damage."],
            ["Survey Test", "R_test", "test", "Lorem ipsum"],
            ["Spam", "R_spam", "anonymous", "Buy now"],
            ["IP Address", "R_later", "test", "A member on a test link."],
        ],
    )
    stories = load_stories(path, progress=False)
    assert stories["story_id"].tolist() == ["R_real"]
    (entry,) = stories.attrs["load_report"]["files"]
    assert entry["skipped"] == [
        {
            "row": 4,
            "reason": "a preview of the survey, not a member's response ('Response Type' is "
            "'Survey Preview')",
        },
        {
            "row": 6,
            "reason": "a test response, not a member's response ('Response Type' is 'Survey "
            "Test')",
        },
        {"row": 7, "reason": "spam, not a member's response ('Response Type' is 'Spam')"},
        {
            "row": 8,
            "reason": "a test response, not a member's response ('Distribution Channel' is "
            "'test')",
        },
    ]
    said = format_check(check_study(tmp_path))
    assert (
        "    skipped row 4: a preview of the survey, not a member's response ('Response Type' "
        "is 'Survey Preview')"
    ) in said.splitlines()
    assert "  ! 4 skipped (listed above)" in said.splitlines()
    # an export with numeric values: 1 is a survey preview
    numeric = _qualtrics_csv(
        tmp_path / "numeric.csv",
        columns,
        [["1", "R_preview", "preview", "test test"], ["0", "R_real", "anonymous", "We met."]],
    )
    stories = load_stories(numeric, progress=False)
    assert stories["story_id"].tolist() == ["R_real"]
    assert stories.attrs["load_report"]["files"][0]["skipped"] == [
        {
            "row": 4,
            "reason": "a preview of the survey, not a member's response ('Response Type' is '1')",
        }
    ]


def test_qualtrics_unfinished_responses_are_kept_and_counted(tmp_path) -> None:
    """Trial 33: 4 responses with Finished False (Progress 20-60%) were kept with no note.
    They stay (partial answers are data); the load report and check count and list them."""
    from copanalysis.cli import format_check

    (tmp_path / "stories").mkdir()
    path = _qualtrics_csv(
        tmp_path / "stories" / "qualtrics.csv",
        [
            ("Progress", "Progress", "progress"),
            ("Finished", "Finished", "finished"),
            ("ResponseId", "Response ID", "_recordId"),
            ("Q1", "What specific insights did you gain?", "QID1_TEXT"),
        ],
        [
            ["100", "True", "R_1", "I learned to grade pressure damage."],
            ["20", "False", "R_2", "I learned the 30 degree tilt."],
            ["60", "False", "R_3", "We met at the skin clinic."],
            ["40", "False", "R_4", ""],
            ["100", "True", "R_5", "I learned to photograph wounds."],
        ],
    )
    stories = load_stories(path, progress=False)
    assert stories["story_id"].tolist() == ["R_1", "R_2", "R_3", "R_5"]
    (entry,) = stories.attrs["load_report"]["files"]
    note = (
        "2 responses were not finished (Progress 20-60%): rows 5, 6; they are kept (a partial "
        "answer is still an answer)"
    )
    assert note in entry["notes"]
    assert [s["row"] for s in entry["skipped"]] == [7]  # the empty one, as before
    assert f"    note: {note}" in format_check(check_study(tmp_path)).splitlines()


def _monkey_checkbox_rows() -> list[list[str]]:
    """A SurveyMonkey export whose role question is a checkbox: one column per choice,
    the choice's label in the cell of each choice ticked, and an "Other (please specify)"."""
    role = "What is your role in the learning community?"
    first = ["Respondent ID", "Email Address", "Which university are you at?", role, "", ""]
    first += ["", ACTIVITIES]
    second = ["", "", "Response", "Tenure-track faculty", "Teaching faculty / lecturer"]
    second += ["Instructional designer", "Other (please specify)", "Open-Ended Response"]
    return [
        first,
        second,
        ["101", "jl@nb.edu", "Northbridge", "", "Teaching faculty / lecturer", "", "", "A."],
        ["102", "mo@ls.edu", "Lakeside", "Tenure-track faculty", "", "", "", "B."],
        ["103", "ar@wm.edu", "Westmoor", "", "", "Instructional designer", "", "C."],
        ["105", " MO@ls.edu", "Lakeside", "Tenure-track faculty", "", "", "", "B again."],
        ["115", "mw@nb.edu", "Northbridge", "", "", "", "Graduate teaching assistant", "D."],
        ["116", "", "Westmoor", "", "Teaching faculty / lecturer", "Instructional designer"]
        + ["", "E."],
        ["117", "", "Lakeside", "", "", "", "", "F."],
    ]


def test_surveymonkey_checkbox_role_is_read_from_every_choice_column(tmp_path):
    """Trial 36: only the column of one choice ('- Teaching faculty / lecturer') was read as
    the role; 13 of 19 stories had none and the others were kept as unread columns."""
    path = tmp_path / "monkey.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(_monkey_checkbox_rows())
    stories = load_stories(path)
    assert stories["role"].fillna("(none)").tolist() == [
        "Teaching faculty / lecturer",
        "Tenure-track faculty",
        "Instructional designer",
        "Tenure-track faculty",
        "Graduate teaching assistant",
        "Teaching faculty / lecturer; Instructional designer",
        "(none)",
    ]
    (entry,) = stories.attrs["load_report"]["files"]
    role = "What is your role in the learning community?"
    parts = ["Tenure-track faculty", "Teaching faculty / lecturer", "Instructional designer"]
    columns = [f"{role} - {p}" for p in [*parts, "Other (please specify)"]]
    assert entry["choices"] == {role: {"field": "role", "columns": columns}}
    assert entry["kept"] == []
    assert (
        f"    {', '.join(columns)} -> role (the choices ticked in {role!r}, joined by '; ')"
        in format_load_report(stories.attrs["load_report"]).splitlines()
    )


def test_surveymonkey_columns_of_a_question_that_is_no_checkbox_stay_as_they_were(tmp_path):
    """A matrix question's parts hold ratings, not their own labels: no choice columns."""
    rows = _monkey_checkbox_rows()
    rows[3][3] = "Often"  # a rating under a part: this is no checkbox question
    path = tmp_path / "monkey.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    stories = load_stories(path)
    (entry,) = stories.attrs["load_report"]["files"]
    assert "choices" not in entry
    assert stories["role"].fillna("(none)").tolist()[:3] == [
        "Teaching faculty / lecturer",
        "(none)",
        "(none)",
    ]


def test_rows_that_give_one_email_address_are_listed_and_kept(tmp_path):
    """Trial 36: a member who submitted the form twice was counted as two stories, unsaid."""
    path = tmp_path / "monkey.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(_monkey_checkbox_rows())
    stories = load_stories(path)
    assert stories["story_id"].tolist() == ["101", "102", "103", "105", "115", "116", "117"]
    (entry,) = stories.attrs["load_report"]["files"]
    assert entry["repeated_respondents"] == [
        {"column": "Email Address", "value": "mo@ls.edu", "rows": [4, 6]}
    ]
    assert (
        "rows 4 and 6 give the same 'Email Address' ('mo@ls.edu'): one respondent answered "
        "more than once, and each answer is kept as a story; delete the rows you do not mean "
        "to count"
    ) in entry["notes"]
    (stories_dir := tmp_path / "study" / "stories").mkdir(parents=True)
    path.rename(stories_dir / "monkey.csv")
    (checked,) = check_study(tmp_path / "study").files
    assert "1 respondent(s) answered more than once (listed above)" in checked.attention


def test_anonymous_forms_responses_are_no_respondent_answering_twice(tmp_path):
    """Trial 39: Microsoft Forms writes "anonymous" as the Email of every anonymous response;
    two of them were named as one respondent who answered twice, and check told the user to
    delete the rows they did not mean to count. A value with no "@" names no one."""
    book = openpyxl.Workbook()
    book.active.append(["ID", "Start time", "Completion time", "Email", "Name", PROMPTS[0]])
    emails = ["anonymous", "dean@ashby.org", "anonymous", "Dean@ashby.org ", "anonymous"]
    for i, email in enumerate(emails, start=1):
        when = dt.datetime(2026, 5, 11, 19, i)
        book.active.append([i, when, when, email, "", f"The rondo workshop {i}."])
    book.save(tmp_path / "forms.xlsx")
    stories = load_stories(tmp_path / "forms.xlsx")
    assert stories["story_id"].tolist() == ["1", "2", "3", "4", "5"]
    (entry,) = stories.attrs["load_report"]["files"]
    assert entry["repeated_respondents"] == [
        {"column": "Email", "value": "dean@ashby.org", "rows": [3, 5]}
    ]
    assert [n for n in entry["notes"] if "answered more than once" in n] == [
        "rows 3 and 5 give the same 'Email' ('dean@ashby.org'): one respondent answered more "
        "than once, and each answer is kept as a story; delete the rows you do not mean to "
        "count"
    ]


def test_microsoft_forms_tick_all_column_is_no_community_and_no_free_text(tmp_path):
    """Trial 39: "Which network activities did you take part in this season? (tick all that
    apply)" was the community by its head word ("network"), so a story's community read
    "Monthly meet-up;WhatsApp group;"; mapped elsewhere, its 20 answers were "free text kept
    but not coded", and the report's summary opened by telling the reader not to quote its
    figures."""
    ticks = "Which network activities did you take part in this season? (tick all that apply)"
    book = openpyxl.Workbook()
    book.active.append(["ID", "Start time", "Completion time", "Email", "Name", ticks, PROMPTS[0]])
    ticked = [
        "Monthly clubhouse meet-up;Rondo workshop;WhatsApp group;",
        "Safeguarding refresher;FA Level 1 course;",
        None,
    ]
    for i, answer in enumerate(ticked, start=1):
        when = dt.datetime(2026, 5, 11, 19, i)
        book.active.append([i, when, when, "anonymous", "", answer, f"The rondo workshop {i}."])
    (stories_dir := tmp_path / "study" / "stories").mkdir(parents=True)
    book.save(stories_dir / "forms.xlsx")
    stories = load_stories(stories_dir / "forms.xlsx")
    assert stories["community"].isna().all()
    assert stories[ticks].fillna("(none)").tolist() == [*ticked[:2], "(none)"]
    (entry,) = stories.attrs["load_report"]["files"]
    assert "community" not in {f["field"] for f in entry["mapping"].values()}
    assert ticks in entry["kept"]
    assert (
        f"column {ticks!r} holds the choices ticked, each followed by ';' as Microsoft Forms "
        f"writes them ({ticked[0]!r}): a question with several answers names no one community, "
        "so it is kept as is (to read it as the community all the same, map it in the study "
        "folder's mapping.yaml)"
    ) in entry["notes"]
    (checked,) = check_study(tmp_path / "study").files
    assert checked.attention == ()
    # the user's mapping still decides
    mapped = load_stories(stories_dir / "forms.xlsx", mapping={ticks: "community"})
    assert mapped["community"].tolist()[:2] == ticked[:2]


def test_microsoft_forms_multiple_choice_role_is_read_as_the_choices_ticked(tmp_path):
    """Trial 37: Microsoft Forms writes the choices ticked in one cell, each followed by ';'
    ("Core group;Presenter;"); read as it was, each combination was a role of its own, and
    ``--by role`` compared "Participant;" with "Participant;Presenter;"."""
    from copanalysis.analysis.groups import with_group

    book = openpyxl.Workbook()
    role = "What is your role in the network? (select all that apply)"
    book.active.append(["ID", "Start time", "Completion time", "Email", "Name", role, PROMPTS[0]])
    for i, ticked in enumerate(["Core group;Presenter;", "Participant;", None], start=1):
        when = dt.datetime(2025, 11, 3, 9, i)
        book.active.append([i, when, when, "anonymous", "", ticked, f"Leak clinic {i}."])
    book.save(tmp_path / "forms.xlsx")
    stories = load_stories(tmp_path / "forms.xlsx")
    assert stories["role"].fillna("(none)").tolist() == [
        "Core group; Presenter",
        "Participant",
        "(none)",
    ]
    assert with_group(stories, "role")["role"].fillna("(none)").tolist() == [
        "Core group",
        "Presenter",
        "Participant",
        "(none)",
    ]
    (entry,) = stories.attrs["load_report"]["files"]
    assert entry["notes"][1] == (
        "role: the choices ticked, each followed by ';' as Microsoft Forms writes them "
        "('Core group;Presenter;'), read one by one and joined by '; ' ('Core group; Presenter')"
    )
    # a role that only holds a semicolon is no Forms choice, and stays as written
    book.active["F2"] = "Core group; presenter"
    book.save(tmp_path / "forms.xlsx")
    assert load_stories(tmp_path / "forms.xlsx")["role"].iloc[0] == "Core group; presenter"


@pytest.mark.parametrize("coded", [False, True])
def test_limesurvey_multiple_choices_are_joined_as_the_choices_ticked(tmp_path, coded):
    """Trial 38: a LimeSurvey multiple choice ("<question> [<choice>]", "Yes" in the cell
    of each choice ticked) stayed loose columns, so no one could group the stories by it."""
    export = limesurvey()
    header, rows = export.rows[0], export.rows[1:]
    role = header.index("Your role in the community")
    question = "Which sub-groups are you part of?"
    options = ["Security response", "Release engineering", "Other"]
    roles = ["Steward", "Member", "Other"]
    code = {question: "G01Q03", "Your role in the community": "G01Q02"}

    def named(asked: str, option: str, n: int) -> str:
        sub = "other" if option == "Other" else f"SQ00{n}"
        return f"{code[asked]}[{sub}]. {asked} [{option}]" if coded else f"{asked} [{option}]"

    header[role : role + 1] = [
        named("Your role in the community", r, n) for n, r in enumerate(roles, 1)
    ]
    header += [named(question, option, n) for n, option in enumerate(options, 1)]
    ticks = [["Yes", "", ""], ["Yes", "Yes", "coach"], ["", "", ""]]
    for row, (steward, member, other) in zip(rows, ticks, strict=True):
        row[role : role + 1] = [steward, member, other]
    for row, said in zip(rows, [["Yes", "", ""], ["", "Yes", "docs"], ["", "", ""]], strict=True):
        row += said
    stories = load_stories(_write_csv(export, tmp_path / "limesurvey.csv"))
    joined = f"G01Q03. {question}" if coded else question
    assert stories["story_id"].tolist() == ["1", "2"]  # the third response is skipped as before
    assert stories["role"].tolist() == ["Steward", "Steward; Member; coach"]
    assert stories[joined].tolist() == ["Security response", "Release engineering; docs"]
    assert not [c for c in stories.columns if question in c and c != joined]  # none loose
    entry = stories.attrs["load_report"]["files"][0]
    assert entry["choices"][joined] == {
        "field": joined,
        "columns": [named(question, option, n) for n, option in enumerate(options, 1)],
    }
    asked = "G01Q02. Your role in the community" if coded else "Your role in the community"
    assert entry["choices"][asked]["field"] == "role"


def test_google_forms_checkbox_is_no_prompt_and_no_free_text(tmp_path):
    """Trial 40: Google Forms joins a checkbox question's choices with ", ". "Which
    activities did you take part in?" took the activities prompt by its wording ("took part
    in"), so its labels ("Termly network meeting, WhatsApp group") were coded as immediate
    or enabling value in every response, and the question asking for the activity that
    stood out, in the members' words, was kept but not coded."""
    ticks = "Which activities did you take part in?"
    stood_out = "What network activity or conversation stood out for you this year?"
    ticked = [
        "Termly network meeting, WhatsApp group",
        "Peer visit",
        "Termly network meeting, Peer visit, Book award shadowing",
        "WhatsApp group",
        "Book award shadowing",
        "Termly network meeting",
        "",
    ]
    path = tmp_path / "study" / "stories" / "Librarians (Responses) - Form responses 1.csv"
    path.parent.mkdir(parents=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Timestamp", "Email address", ticks, stood_out, PROMPTS[1]])
        for i, answer in enumerate(ticked, start=1):
            writer.writerow(
                [f"2025/03/0{i} 9:14:02 AM GMT", "", answer, f"The visit {i}.", f"Ideas {i}."]
            )
    stories = load_stories(path)
    assert stories["activities"].tolist() == [f"The visit {i}." for i in range(1, 8)]
    assert stories[ticks].fillna("").tolist() == ticked
    (entry,) = stories.attrs["load_report"]["files"]
    assert entry["mapping"][stood_out]["field"] == "activities"
    assert ticks in entry["kept"]
    assert (
        f"column {ticks!r} holds the choices ticked of a multiple-choice question (such as "
        f"{ticked[0]!r}), no member's own words: it is kept as is and not read as the "
        "activities prompt (to code it all the same, map it in the study folder's "
        "mapping.yaml)"
    ) in entry["notes"]
    (checked,) = check_study(tmp_path / "study").files
    assert checked.attention == ()
    # the user's mapping still decides, and a file whose only prompt it is keeps it
    mapped = load_stories(path, mapping={ticks: "activities"})
    assert mapped["activities"].fillna("").tolist() == ticked
    alone = tmp_path / "alone.csv"
    alone.write_text(
        f"Timestamp,{ticks}\n"
        + "".join(f'2025/03/0{i} 9:14:02 AM GMT,"{a}"\n' for i, a in enumerate(ticked[:6], 1)),
        encoding="utf-8",
    )
    assert load_stories(alone)["activities"].tolist() == ticked[:6]


def _big_survey(study: Path) -> Path:
    """A Qualtrics export of 14 responses (rows 4-17): placeholders in every row, 7
    unfinished, and rows 15-17 that repeat rows 4, 5 and 6 word for word."""
    said = [
        "I went to the monthly maths circle in my district with two other teachers.",
        "Peer observation visits: we watched each other teach fractions twice a term.",
        "The lesson study cycle with teachers from two other schools in the region.",
    ]
    rows = [
        [
            "100" if n % 2 else "40",
            "True" if n % 2 else "False",
            f"R_{n}",
            "Norte",
            said[n] if n < 3 else f"Workshop number {n}",
            "N/A" if n % 3 else "No comment",
        ]
        for n in range(11)
    ]
    rows += [
        ["100", "True", "R_11", "Norte", "Yes", "N/A"],  # short: no repeat
        ["100", "True", "R_12", "Norte", "Yes", "N/A"],
    ]
    rows += [[*rows[n][:2], f"R_{n + 13}", *rows[n][3:]] for n in (0, 1)]  # resubmitted
    rows[-1][3] = "Sur"  # ... but from another region: another person
    study.mkdir(parents=True)
    return _qualtrics_csv(
        study / "wave1.csv",
        [
            ("Progress", "Progress", "progress"),
            ("Finished", "Finished", "finished"),
            ("ResponseId", "Response ID", "_recordId"),
            ("Region", "Region", "QID1"),
            ("Q1", "What meaningful activities did you take part in?", "QID2_TEXT"),
            ("Q2", "What specific insights did you gain?", "QID3_TEXT"),
        ],
        rows,
    )  # fmt: skip


def test_a_big_surveys_notes_name_five_places_and_check_all_lists_every_one(tmp_path) -> None:
    """Trial 41: "4850 answers read as no answer, being only a placeholder: ..." listed
    every answer on one line of 133,470 characters (and the unfinished note 577 rows)."""
    path = _big_survey(tmp_path / "study" / "stories")
    stories = load_stories(path, progress=False)
    (entry,) = stories.attrs["load_report"]["files"]
    notes = [n for n in entry["notes"] if "placeholder" in n or "not finished" in n]
    assert notes == [
        "15 answers read as no answer, being only a placeholder ('N/A' 10, 'No comment' 5): "
        "row 4 insights 'No comment'; row 5 insights 'N/A'; row 6 insights 'N/A'; row 7 "
        "insights 'No comment'; row 8 insights 'N/A'; and 10 more, all listed by copanalysis "
        "check --all",
        "7 responses were not finished (Progress 40%): rows 4, 6, 8, 10, 12, and 2 more, all "
        "listed by copanalysis check --all; they are kept (a partial answer is still an "
        "answer)",
    ]
    assert entry["listed"]["responses not finished"] == [
        "row 4", "row 6", "row 8", "row 10", "row 12", "row 14", "row 17"
    ]  # fmt: skip
    assert len(entry["listed"]["answers read as no answer"]) == 15
    checked = check_study(tmp_path / "study")
    assert "row 18 insights 'N/A'" not in format_check(checked)
    every = format_check(checked, every_row=True).splitlines()
    start = every.index("    every one of the 7 responses not finished:")
    assert every[start + 1 : start + 8] == [
        "      row 4", "      row 6", "      row 8", "      row 10", "      row 12",
        "      row 14", "      row 17",
    ]  # fmt: skip
    assert "      row 18 insights 'N/A'" in every


def test_a_response_submitted_twice_is_noted_kept_and_found_to_drop(tmp_path) -> None:
    """Trial 41: 80 rows repeated another row's every answer under a new ResponseId, and
    were coded and counted twice, with no word."""
    path = _big_survey(tmp_path / "stories")
    stories = load_stories(path, progress=False)
    assert len(stories) == 15  # kept
    (entry,) = stories.attrs["load_report"]["files"]
    assert entry["repeated_answers"] == [
        {"story_id": "R_13", "where": "row 17", "repeats": "R_0", "repeats_where": "row 4"}
    ]
    assert [n for n in entry["notes"] if "repeats" in n] == [
        "row 17 repeats every answer of row 4 word for word, under another id: perhaps one "
        "person submitted twice. It is kept and coded as a story of its own; to count it "
        "once, delete the row from the file, or in Python drop it with stories = "
        "stories[~stories.story_id.isin(cop.repeated_answers(stories).story_id)]"
    ]
    # "Yes" twice is no repeat (too few words), nor is row 18: the same words from "Sur"
    assert repeated_answers(stories).to_dict("records") == [
        {"story_id": "R_13", "source": "wave1.csv:row 17", "repeats": "R_0",
         "repeats_source": "wave1.csv:row 4"}
    ]  # fmt: skip
    kept = stories[~stories.story_id.isin(repeated_answers(stories).story_id)]
    assert len(kept) == 14
