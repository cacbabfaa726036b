"""load_roles: one-row-per-respondent tables and the seed's DOCX worksheet."""

from __future__ import annotations

import docx
import pytest

from copanalysis.errors import MissingColumnError
from copanalysis.io.roles import load_roles
from copanalysis.schema import MEMBER_TYPES, ROLES


def test_table_roles_split_and_matched_fuzzily(tmp_path):
    (tmp_path / "roles.csv").write_text(
        "Respondent,Community,Roles (circle any that apply),Type of member,"
        "Purpose - Why is this leadership role important?,Typical actions,Support\n"
        'Aisha,Nurses,"Generations – newcomers/alum\'s; coordination",Core members,Why,Do,Help\n'
        ",Nurses,Treasurer,Lurker,,Watch,\n"
        "Bo,Nurses,Networking,Expert,,,\n"
        "Cy,Nurses,,,,,\n",
        encoding="utf-8",
    )
    roles = load_roles(tmp_path / "roles.csv")
    aisha = roles[roles["respondent"] == "Aisha"]
    assert sorted(set(aisha["role"])) == ["Coordination", "Generations - newcomers/alums"]
    assert set(aisha["member_type"]) == {"Core member"}
    assert len(aisha) == 2 * 3  # two roles x three filled aspects
    other = roles[roles["respondent"] == "roles-002"]
    assert other[["role", "aspect", "text"]].values.tolist() == [["Treasurer", "actions", "Watch"]]
    report = roles.attrs["load_report"]["files"][0]
    # Bo answered no aspect, but named a role and a member type: kept for the roles chart
    bo = roles[roles["respondent"] == "Bo"][["role", "member_type", "aspect", "text"]]
    assert bo.astype(object).where(bo.notna(), None).values.tolist() == [
        ["Networking", "Expert", None, None]
    ]
    assert report["skipped"] == [{"row": 5, "reason": "no answer to any aspect"}]
    assert any("'Treasurer'" in note for note in report["notes"])
    assert roles["community"].unique().tolist() == ["Nurses"]


def _worksheet(path, marks, questions=("", "", "")):
    document = docx.Document()
    document.add_paragraph("Respondent: Hannah")
    grid = [
        [
            "Coordination",
            "Event facilitation",
            "Inquiry – learning agenda",
            "Coordinator",
            "Expert",
        ],
        ["Subgroup leadership", "Networking", "Expertise", "Core member", "Lurker"],
        ["Purpose", "Typical actions", "Typical challenges", "", ""],
        [
            "Why is this leadership role important?",
            "What do/can/should they do?",
            "What makes this task difficult? What warning/advice would you have?",
            "",
            "",
        ],
        ["Look outside", "Study tours", "", "", ""],
        ["Gratification", "Qualification", "Support", "", ""],
        [*questions, "", ""],
        ["New ideas", "", "Travel budget", "", ""],
    ]
    table = document.add_table(rows=len(grid), cols=5)
    for r, row in enumerate(grid):
        for c, text in enumerate(row):
            table.cell(r, c).text = marks.get((r, c), "") + text
    run = table.cell(1, 1).paragraphs[0].runs[0]
    run.bold = True  # a bold cell counts as circled
    document.save(path)


#: What the worksheet of :func:`_worksheet` answers, by aspect.
HANNAHS_ANSWERS = {
    "purpose": "Look outside",
    "actions": "Study tours",
    "gratification": "New ideas",
    "support": "Travel budget",
}


def _answers(roles):
    return dict(roles.drop_duplicates("aspect")[["aspect", "text"]].values.tolist())


def test_docx_worksheet_marks_and_aspects(tmp_path):
    _worksheet(tmp_path / "worksheet-hannah.docx", {(0, 2): "[x] ", (1, 3): "✓ "})
    roles = load_roles(tmp_path / "worksheet-hannah.docx")
    assert sorted(set(roles["role"])) == ["Inquiry - learning agenda", "Networking"]
    assert set(roles["member_type"]) == {"Core member"}
    assert _answers(roles) == HANNAHS_ANSWERS
    assert set(roles["respondent"]) == {"Hannah"}
    (tmp_path / "x.csv").write_text("Name,Roles\nA,Coordination\n", encoding="utf-8")
    with pytest.raises(MissingColumnError, match=r"x\.csv.*no aspect column"):
        load_roles(tmp_path / "x.csv")


def test_shortened_guiding_questions_are_not_taken_for_answers(tmp_path):
    questions = ("What are the rewards of the task?", "Who should do this?", "Any support?")
    path = tmp_path / "worksheet-priya.docx"
    _worksheet(path, {(0, 0): "☒ "}, questions)
    roles = load_roles(path)
    assert _answers(roles) == HANNAHS_ANSWERS
    # a question with no answer under it is not an answer, and the load report says so
    (note,) = roles.attrs["load_report"]["files"][0]["notes"]
    assert note == (
        "table 1: the only text under 'Qualification', 'Who should do this?', reads as the "
        "prompt's question and was not taken as an answer"
    )


def test_sample_roles_cover_every_role_and_member_type(raw_dir):
    if not (raw_dir / "roles").is_dir():
        pytest.skip("sample corpus not there")
    roles = load_roles(raw_dir / "roles")
    assert set(roles["role"].dropna()) == set(ROLES)
    assert set(roles["member_type"].dropna()) == set(MEMBER_TYPES)
    assert roles["respondent"].nunique() >= 12


def test_qualtrics_roles_export(tmp_path):
    import csv

    path = tmp_path / "roles.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ResponseId", "Q1", "Q2", "Q3"])
        writer.writerow(["Response ID", "Your name", "Roles (circle any that apply)", "Purpose"])
        writer.writerow(
            [
                '{"ImportId":"_recordId"}',
                '{"ImportId":"QID1"}',
                '{"ImportId":"QID2"}',
                '{"ImportId":"QID3"}',
            ]
        )
        writer.writerow(["R_1", "Aisha", "Coordination", "Keeps us going"])
    roles = load_roles(path)
    assert roles[["respondent", "role", "aspect", "text", "source"]].values.tolist() == [
        ["R_1", "Coordination", "purpose", "Keeps us going", "roles.csv:row 4"]
    ]
    assert roles["Your name"].tolist() == ["Aisha"]  # the response id names the respondent
    assert roles.attrs["load_report"]["files"][0]["header_rows"] == [1, 2, 3]


def test_short_forms_and_slashes_name_options_and_each_stranger_is_noted_once(tmp_path):
    path = tmp_path / "roles.csv"
    path.write_text(
        "Name,Roles,Type of member,Purpose\n"
        "Ann,Networking / Transactions – help desk,core,Links\n"
        "Ben,Documentation,peripheral,Keeps notes\n"
        "Cal,Generations – newcomers/alums; Treasurer,Active member,Welcomes\n"
        "Dee,Treasurer,Sponsr,Pays\n"
        "Eve,Facilitator,Lurker,Runs sessions\n",
        encoding="utf-8",
    )
    roles = load_roles(path)
    assert roles[["respondent", "role", "member_type"]].values.tolist() == [
        ["Ann", "Networking", "Core member"],
        ["Ann", "Transactions - help desk", "Core member"],
        ["Ben", "Documentation - repository", "Peripheral member"],
        ["Cal", "Generations - newcomers/alums", "Active member"],
        ["Cal", "Treasurer", "Active member"],
        ["Dee", "Treasurer", "Sponsor"],
        ["Eve", "Facilitator", "Lurker"],
    ]
    (entry,) = roles.attrs["load_report"]["files"]
    assert entry["notes"] == [
        "rows 4, 5: 'Treasurer' matches none of the worksheet's options; kept",
        "row 6: 'Facilitator' matches none of the worksheet's options (closest: 'Event "
        "facilitation'); kept",
    ]


def test_markdown_role_worksheets_written_as_lines(tmp_path):
    path = tmp_path / "roles.md"
    path.write_text(
        "# Analysis of leadership roles\n\n"
        "Respondent: Tom Price\nCommunity: Maths Network\n\n"
        "Roles: Documentation, Infrastructure\nType of member: Core member\n\n"
        "A stray remark.\n\n"
        "## Purpose\nResources get lost in email.\nNobody owns the drive.\n\n"
        "## Typical actions\nKeep the shared drive tidy.\n\nAnd the calendar.\n\n"
        "Support: An hour a week.\n\n"
        "Respondent: Ann Lee\n\nRoles: Bursar\n\n## Purpose\n\n"
        "Respondent: Priya Natarajan\n\nRoles: Coordination\n\n"
        "Gratification: Seeing new leads grow.\n\n"
        "Respondent: Cy\n\n## Purpose\n",
        encoding="utf-8",
    )
    roles = load_roles(path)
    rows = roles[["respondent", "role", "member_type", "aspect", "text"]]
    assert rows.astype(object).where(rows.notna(), None).values.tolist() == [
        ["Tom Price", "Documentation - repository", "Core member", "purpose",
         "Resources get lost in email.\nNobody owns the drive."],
        ["Tom Price", "Documentation - repository", "Core member", "actions",
         "Keep the shared drive tidy.\nAnd the calendar."],
        ["Tom Price", "Documentation - repository", "Core member", "support",
         "An hour a week."],
        ["Tom Price", "Infrastructure", "Core member", "purpose",
         "Resources get lost in email.\nNobody owns the drive."],
        ["Tom Price", "Infrastructure", "Core member", "actions",
         "Keep the shared drive tidy.\nAnd the calendar."],
        ["Tom Price", "Infrastructure", "Core member", "support", "An hour a week."],
        ["Ann Lee", "Bursar", None, None, None],  # a role, no answer: kept for the chart
        ["Priya Natarajan", "Coordination", None, "gratification", "Seeing new leads grow."],
    ]  # fmt: skip
    (entry,) = roles.attrs["load_report"]["files"]
    assert entry["format"] == "md"
    assert entry["skipped"] == [
        {"row": 34, "reason": "worksheet 4 (line 34): no answer to any aspect"}
    ]
    assert entry["notes"] == [
        "line 24: 'Bursar' matches none of the worksheet's options; kept",
        "1 respondent answered no aspect, only a role or member type: line 22 'Ann Lee' "
        "(Bursar; no member type); counted in the roles chart under what they named, with "
        "nothing to code",
        "line 9: 'A stray remark.' is under no aspect; left out",
    ]


def test_check_asks_for_a_look_at_names_that_match_no_option_and_text_left_out(tmp_path):
    from copanalysis.io import check_study

    roles = tmp_path / "study" / "roles"
    roles.mkdir(parents=True)
    (roles / "roles.csv").write_text(
        "Name,Roles,Type of member,Purpose\nAnn,Treasurer,Core member,Pays\n", encoding="utf-8"
    )
    (roles / "tom.md").write_text(
        "Respondent: Tom\n\nRoles: Infrastructure\n\nA stray remark.\n\n## Purpose\nTidy.\n",
        encoding="utf-8",
    )
    checked = {f.path.name: f.attention for f in check_study(tmp_path / "study").files}
    assert checked["roles.csv"] == (
        "'Treasurer': no role or member type of the worksheet (kept as written; listed above "
        "with the closest option)",
    )
    assert checked["tom.md"] == ("1 text(s) left out (listed above)",)


def test_placeholder_answers_are_no_answers_and_are_listed(tmp_path):
    (tmp_path / "roles.csv").write_text(
        "Respondent,Roles,Purpose,Typical challenges,Gratification\n"
        "Declan,Coordination,Keeps us going,N/A,-\nEve,Networking,n.a.,-,\n",
        encoding="utf-8",
    )
    roles = load_roles(tmp_path / "roles.csv")
    rows = roles[["respondent", "aspect", "text"]]
    assert rows.astype(object).where(rows.notna(), None).values.tolist() == [
        ["Declan", "purpose", "Keeps us going"],
        ["Eve", None, None],  # her role, and no answer: in the roles chart, nothing to code
    ]
    (entry,) = roles.attrs["load_report"]["files"]
    assert entry["skipped"] == []
    assert entry["notes"] == [
        "4 answers read as no answer, being only a placeholder: row 2 challenges 'N/A'; row 2 "
        "gratification '-'; row 3 purpose 'n.a.'; row 3 challenges '-'",
        "1 respondent answered no aspect, only a role or member type: row 3 'Eve' "
        "(Networking; no member type); counted in the roles chart under what they named, "
        "with nothing to code",
    ]
    (tmp_path / "roles.md").write_text(
        "Respondent: Tom Price\n\nRoles: Coordination\n\n## Purpose\nN/A\n\n"
        "## Support\nAn hour a week.\n",
        encoding="utf-8",
    )
    roles = load_roles(tmp_path / "roles.md")
    assert roles[["aspect", "text"]].values.tolist() == [["support", "An hour a week."]]
    assert roles.attrs["load_report"]["files"][0]["notes"] == [
        "1 answer read as no answer, being only a placeholder: worksheet 1 purpose 'N/A'"
    ]


def test_none_is_no_challenge_and_no_support_and_those_answers_have_their_kind(tmp_path):
    """Trial 28: "None" under support was coded as a motivation challenge, and "Time, my
    own caseload" under challenges as an enabler."""
    from copanalysis import code
    from copanalysis.frames import text_units

    (tmp_path / "roles.csv").write_text(
        "Respondent,Roles,Purpose,Typical challenges,Support\n"
        'Declan,Coordination,None,"Time, my own caseload",None.\n'
        "Eve,Networking,Introductions,Nothing really,Protected time from the practice\n",
        encoding="utf-8",
    )
    roles = load_roles(tmp_path / "roles.csv")
    assert roles[["respondent", "aspect", "text"]].values.tolist() == [
        ["Declan", "purpose", "None"],
        ["Declan", "challenges", "Time, my own caseload"],
        ["Eve", "purpose", "Introductions"],
        ["Eve", "support", "Protected time from the practice"],
    ]
    assert roles.attrs["load_report"]["files"][0]["notes"] == [
        "2 answers read as no answer, being only a placeholder: row 2 support 'None.'; row 3 "
        "challenges 'Nothing really'"
    ]
    units = text_units(roles)
    assert units["kind"].fillna("").tolist() == ["", "challenge", "", "enabler"]
    codes = code(roles, codebook="enablers_challenges", coder="rules", progress=False)
    signs = codes.groupby("field", observed=True)["polarity"].agg(set).to_dict()
    assert signs["challenges"] == {-1} and signs["support"] == {1}


def test_a_placeholder_in_a_word_worksheet_is_no_answer(tmp_path):
    _worksheet(tmp_path / "hannah.docx", {(0, 2): "[x] ", (7, 1): "N/A"})
    roles = load_roles(tmp_path / "hannah.docx")
    assert _answers(roles) == HANNAHS_ANSWERS  # no "qualification"
    assert roles.attrs["load_report"]["files"][0]["notes"] == [
        "1 answer read as no answer, being only a placeholder: table 1 qualification 'N/A'"
    ]


@pytest.mark.parametrize(
    ("before", "after"), [("(x) ", ""), ("* ", ""), ("✗ ", ""), ("", " X"), ("", " (x)")]
)
def test_options_marked_before_or_after_in_common_ways_are_read(tmp_path, before, after):
    path = tmp_path / "hannah.docx"
    _worksheet(path, {(1, 1): before})  # "Networking", bold too, so unbold it
    document = docx.Document(path)
    cell = document.tables[0].cell(1, 1)
    for run in cell.paragraphs[0].runs:
        run.bold = False
    cell.paragraphs[0].add_run(after)
    document.tables[0].cell(1, 3).paragraphs[0].add_run(after or "")
    if before:
        document.tables[0].cell(1, 3).paragraphs[0].runs[0].text = before + "Core member"
    document.save(path)
    roles = load_roles(path)
    assert set(roles["role"]) == {"Networking"}
    assert set(roles["member_type"]) == {"Core member"}


def test_a_worksheet_with_nothing_marked_is_noted_and_asks_for_a_look(tmp_path):
    from copanalysis.io import check_study

    study = tmp_path / "study"
    (study / "roles").mkdir(parents=True)
    path = study / "roles" / "hannah.docx"
    _worksheet(path, {(0, 0): "[ ] "})
    document = docx.Document(path)
    for run in document.tables[0].cell(1, 1).paragraphs[0].runs:
        run.bold = False
    document.save(path)
    roles = load_roles(path)
    assert roles["role"].isna().all() and roles["member_type"].isna().all()
    assert roles.attrs["load_report"]["files"][0]["notes"] == [
        "table 1: no role or member type is marked (circle, bold or highlight them, or write "
        "[x] before them)"
    ]
    (checked,) = check_study(study).files
    assert checked.attention == ("table 1: no role or member type marked (listed above)",)


def test_a_marked_coordinator_is_the_member_type_not_the_role_coordination(tmp_path):
    path = tmp_path / "dana.docx"
    _worksheet(path, {(0, 3): "☒ "})  # "Coordinator" ticked; "Networking" bold
    roles = load_roles(path)
    assert set(roles["role"]) == {"Networking"}  # it was {"Coordination", "Networking"}
    assert set(roles["member_type"]) == {"Coordinator"}


def test_options_marked_with_words_highlighter_are_read(tmp_path):
    from docx.enum.text import WD_COLOR_INDEX

    path = tmp_path / "eli.docx"
    _worksheet(path, {})
    document = docx.Document(path)
    for r, c in ((0, 1), (1, 4)):  # "Event facilitation", "Lurker"
        for run in document.tables[0].cell(r, c).paragraphs[0].runs:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    document.save(path)
    roles = load_roles(path)
    assert set(roles["role"]) == {"Event facilitation", "Networking"}  # Networking is bold
    assert set(roles["member_type"]) == {"Lurker"}


def test_a_top_heading_per_person_opens_and_names_each_worksheet(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text(
        "# Leo Schultz\n\nRoles: Expertise, Institutional liaison\nType of member: Expert\n\n"
        "## Purpose\nManagement needs a technical voice.\n\n"
        "# Mina Farah\n\nRoles: Infrastructure\nType of member: Lurker\n\n"
        "## Purpose\nSomeone has to keep the platform running.\n",
        encoding="utf-8",
    )
    roles = load_roles(path)
    pairs = roles[["respondent", "role", "member_type"]].drop_duplicates().values.tolist()
    assert pairs == [  # it was one made-up respondent with every role beside every type
        ["Leo Schultz", "Expertise", "Expert"],
        ["Leo Schultz", "Institutional liaison", "Expert"],
        ["Mina Farah", "Infrastructure", "Lurker"],
    ]
    titled = tmp_path / "titled.md"
    titled.write_text(
        "# Role worksheets\n\nRoles: Expertise\nType of member: Expert\n\n## Purpose\nAdvice.\n",
        encoding="utf-8",
    )
    assert set(load_roles(titled)["respondent"]) == {"titled-001"}  # one heading: a title


def test_sheet_reads_one_sheet_of_a_roles_workbook(tmp_path):
    # trial 33: check advises sheet=, which only load_stories took
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Roles"
    book.active.append(["Respondent", "Roles", "Type of member", "Typical actions"])
    book.active.append(["Aisha", "Coordination", "Core members", "Chair the huddle"])
    notes = book.create_sheet("Old")
    notes.append(["Respondent", "Roles", "Type of member", "Typical actions"])
    notes.append(["Bo", "Treasurer", "Expert", "Keep accounts"])
    book.save(tmp_path / "roles.xlsx")
    roles = load_roles(tmp_path / "roles.xlsx", sheet="Roles")
    assert roles[["respondent", "role", "aspect", "text"]].values.tolist() == [
        ["Aisha", "Coordination", "actions", "Chair the huddle"]
    ]


def test_a_member_who_named_only_a_member_type_is_counted_not_skipped(tmp_path):
    """Trial 42: "Lurker" and nothing else was "skipped row 3: no answer to any aspect",
    and the roles chart's Lurker column was empty although one member said it."""
    from copanalysis.analysis import role_matrix
    from copanalysis.frames import text_units

    (tmp_path / "roles.csv").write_text(
        "Name,Role(s),Type of member,Why is this leadership role important?\n"
        "Nicola Grant,Coordination,Coordinator,Someone has to keep the channel alive.\n"
        "Steve Jenkins,,Lurker,\n",
        encoding="utf-8",
    )
    roles = load_roles(tmp_path / "roles.csv")
    (entry,) = roles.attrs["load_report"]["files"]
    assert entry["skipped"] == []
    assert entry["notes"] == [
        "1 respondent answered no aspect, only a role or member type: row 3 'Steve Jenkins' "
        "(Lurker; no role); counted in the roles chart under what they named, with nothing "
        "to code"
    ]
    matrix = role_matrix(roles)
    named = matrix[matrix["n_respondents"] > 0]
    assert named[["role", "member_type", "n_respondents"]].astype(object).values.tolist() == [
        ["Coordination", "Coordinator", 1],
        ["(not given)", "Lurker", 1],
    ]
    # nothing of his to code
    assert text_units(roles)["doc_id"].tolist() == ["Nicola Grant"]


def test_a_word_worksheet_with_marks_and_no_answer_is_counted(tmp_path):
    document = docx.Document()
    document.add_paragraph("Respondent: Steve")
    grid = [["Coordination", "X Lurker"], ["Purpose", "Support"], ["", ""]]
    table = document.add_table(rows=len(grid), cols=2)
    for r, row in enumerate(grid):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(tmp_path / "steve.docx")
    roles = load_roles(tmp_path / "steve.docx")
    rows = roles[["respondent", "role", "member_type", "aspect"]]
    assert rows.astype(object).where(rows.notna(), None).values.tolist() == [
        ["Steve", None, "Lurker", None]
    ]
    assert roles.attrs["load_report"]["files"][0]["skipped"] == []


def _seed_sheet(book, title, name, marked, answers):
    """One sheet of a workbook holding the seed's worksheet table, as a member filled it in
    Excel: a "Name:" line and a title above it, the chosen options written "X <option>"."""
    sheet = book.create_sheet(title)
    sheet.append([f"Name: {name}"])
    sheet.append(["Analysis of leadership roles"])
    sheet.append(["Role (circle any that applies)", None, None, "Type of member", None])
    options = [
        ["Coordination", "Event facilitation", "Inquiry – learning agenda", "Coordinator",
         "Expert"],
        ["Subgroup leadership", "Networking", "Expertise", "Core member", "Lurker"],
    ]  # fmt: skip
    for row in options:
        sheet.append([f"X {o}" if o in marked else o for o in row])
    sheet.append(["Purpose", "Typical actions", "Typical challenges"])
    sheet.append(["Why is this leadership role important?", "What do/can/should they do?",
                  "What makes this task difficult?"])  # fmt: skip
    sheet.append(answers[:3])
    sheet.append(["Gratification", "Qualification", "Support"])
    sheet.append(["What are the rewards of the task?", "Who should do this?",
                  "What kind of support do these keepers require?"])  # fmt: skip
    sheet.append(answers[3:])


def test_the_seed_table_one_sheet_per_member_in_a_workbook_is_read_as_in_word(tmp_path):
    """Trial 42: one sheet per member, options marked "X ": MissingColumnError "no aspect
    column"; the seed's table was read from Word only."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    _seed_sheet(
        book, "Nicola G", "Nicola Grant", {"Coordination", "Networking", "Coordinator"},
        ["Keeps the channel alive.", "Run the monthly call.", "Time.",
         "Knowing everyone.", "Someone organised.", "N/A"],
    )  # fmt: skip
    _seed_sheet(book, "Steve J", "Steve Jenkins", {"Lurker"}, [None] * 6)
    book.save(tmp_path / "role-worksheets.xlsx")
    roles = load_roles(tmp_path / "role-worksheets.xlsx")
    nicola = roles[roles["respondent"] == "Nicola Grant"]
    assert sorted(set(nicola["role"])) == ["Coordination", "Networking"]
    assert set(nicola["member_type"]) == {"Coordinator"}
    assert _answers(nicola) == {
        "purpose": "Keeps the channel alive.",
        "actions": "Run the monthly call.",
        "challenges": "Time.",
        "gratification": "Knowing everyone.",
        "qualification": "Someone organised.",
    }
    assert set(nicola["source"]) == {"role-worksheets.xlsx:Nicola G:row 3"}
    steve = roles[roles["respondent"] == "Steve Jenkins"]
    steve = steve[["member_type", "role"]].astype(object)
    assert steve.where(steve.notna(), None).values.tolist() == [["Lurker", None]]
    nicolas, steves = roles.attrs["load_report"]["files"]
    assert nicolas["notes"] == [
        "the seed's worksheet table, one sheet per respondent: read as in a Word worksheet "
        "(options chosen by a written mark), respondent 'Nicola Grant'",
        "1 answer read as no answer, being only a placeholder: the sheet support 'N/A'",
    ]
    assert [line["text"] for line in nicolas["dropped"]] == ["Analysis of leadership roles"]
    assert steves["skipped"] == []


def test_a_sheet_with_no_aspect_names_the_layouts_that_are_read(tmp_path):
    (tmp_path / "x.csv").write_text("Name,Roles\nA,Coordination\n", encoding="utf-8")
    with pytest.raises(MissingColumnError) as raised:
        load_roles(tmp_path / "x.csv")
    assert str(raised.value).endswith(
        "The layouts read: one row per respondent with a column per aspect, or the seed's "
        "worksheet table (one per sheet, or in a .docx)"
    )


def test_a_remark_in_brackets_after_an_option_names_that_option(tmp_path):
    """Trial 42: "Documentation (CAD standards library)" was kept as written, a row of its
    own in the roles chart beside "Documentation - repository"."""
    (tmp_path / "roles.csv").write_text(
        "Name,Role(s),Type of member,Purpose\n"
        "Tomasz,Documentation (CAD standards library),Core member (Eastmoor),Standards\n"
        "Ann,Treasurer (and minutes),Core member,Pays\n",
        encoding="utf-8",
    )
    roles = load_roles(tmp_path / "roles.csv")
    assert roles[["respondent", "role", "member_type"]].values.tolist() == [
        ["Tomasz", "Documentation - repository", "Core member"],
        ["Ann", "Treasurer (and minutes)", "Core member"],  # no option before the bracket
    ]
    assert roles.attrs["load_report"]["files"][0]["notes"] == [
        "row 3: 'Treasurer (and minutes)' matches none of the worksheet's options; kept"
    ]


def test_strict_raises_for_a_respondent_with_nothing_but_keeps_one_with_a_member_type(tmp_path):
    from copanalysis.errors import FileFormatError

    path = tmp_path / "roles.csv"
    path.write_text("Name,Type of member,Purpose\nSteve,Lurker,\n", encoding="utf-8")
    assert load_roles(path, strict=True)["member_type"].tolist() == ["Lurker"]
    path.write_text("Name,Type of member,Purpose\nSteve,Lurker,\nAnn,,\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match="row 3"):
        load_roles(path, strict=True)
