"""Question -> field matching, date parsing and the worksheet's combined lines."""

from __future__ import annotations

import pandas as pd
import pytest

from copanalysis.errors import MissingColumnError
from copanalysis.io.fields import (
    GRID_WORDING,
    ROLE_WORDING,
    STORY_WORDING,
    clean_text,
    match_columns,
    match_label,
    parse_date,
    split_community_date,
    split_member_role,
)

HEADERS = {
    "1. What meaningful activities did you participate in? *": "activities",
    "Q2) What specific insights did you gain?": "insights",
    "How did it change your work?": "practice",
    "How did it help your professional development?": "development",
    "What did it contribute to the organization's goals?": "organization",
    "Tell us what happened": "story",
    "Respondent ID": "story_id",
    "Completion time": "submitted",
    "Date of the activity": "date",
    "Your name": "member",
    "Your role": "role",
    "Community": "community",
}


def test_reworded_numbered_and_short_headers_map_to_their_fields():
    found = match_columns([*HEADERS, "Start time", "Email", "Anything else?"], STORY_WORDING)
    assert {c: f for c, (f, _) in found.fields.items()} == HEADERS
    assert found.kept == ["Start time", "Email", "Anything else?"]
    assert found.metadata == ["Start time", "Email"]
    assert all(score >= 75 for _, score in found.fields.values())


def test_a_header_of_two_questions_is_read_by_the_one_that_matches():
    # trial 37: a Microsoft Forms question joining two of the worksheet's own questions
    # scored 71 as one text, and its answers were kept but not coded
    headers = [
        "Which network activities were most meaningful to you this year?",
        "Has it changed how you do your work? What difference did it make?",
        "Why? Anything else you would like to tell us?",
    ]
    found = match_columns(headers, STORY_WORDING)
    assert {c: (f, round(score)) for c, (f, score) in found.fields.items()} == {
        headers[0]: ("activities", 100),
        headers[1]: ("practice", 100),
    }
    assert found.kept == [headers[2]]


@pytest.mark.parametrize(
    ("header", "wording", "field"),
    [
        ("Respondent name", GRID_WORDING, "respondent"),
        ("Participant", ROLE_WORDING, "respondent"),
        ("Staff name", ROLE_WORDING, "respondent"),
        ("Participant's name", STORY_WORDING, "member"),
        ("Nurse name", STORY_WORDING, "member"),
        ("Team name", ROLE_WORDING, None),  # a team is no person
        ("Member type", ROLE_WORDING, "member_type"),
    ],
)
def test_headers_naming_a_person_are_the_respondent(header, wording, field):
    found = match_columns([header], wording)
    assert {f for f, _ in found.fields.values()} == ({field} if field else set())


def test_each_field_takes_one_column_and_mapping_overrides():
    found = match_columns(["Date", "When"], STORY_WORDING)
    assert list(found.fields) == ["Date"] and found.kept == ["When"]
    found = match_columns(["Date", "When"], STORY_WORDING, mapping={"When": "date"})
    assert found.fields == {"When": ("date", 100.0)} and found.kept == ["Date"]
    with pytest.raises(MissingColumnError, match="unknown field 'when'"):
        match_columns(["Date"], STORY_WORDING, mapping={"Date": "when"})


def test_labels_in_worksheets():
    assert match_label("**Member/role:** Ana, nurse", STORY_WORDING) == (
        "member_role",
        100.0,
        "Ana, nurse",
    )
    assert match_label("What specific insights did you gain?", STORY_WORDING)[0] == "insights"
    assert match_label("I gained insights into wound care.", STORY_WORDING) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-14T10:22:05Z", "2025-03-14 10:22:05"),
        ("3/14/2025 10:22:05", "2025-03-14 10:22:05"),
        ("3/14/2025 10:22 AM", "2025-03-14 10:22:00"),
        ("14.03.2025", "2025-03-14"),
        ("14/03/2025", "2025-03-14"),
        ("March 2025", "2025-03-01"),
        ("Mar 2025", "2025-03-01"),
        ("2025-03", "2025-03-01"),
        ("12 March 2025", "2025-03-12"),
        ("March 12, 2025", "2025-03-12"),
    ],
)
def test_survey_dates(value, expected):
    assert parse_date(value) == pd.Timestamp(expected)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        # trial 35: a space (or brackets) between the community and the date
        ("Mchinji 11/04/2026", ("Mchinji", "11/04/2026")),
        ("Kasungu 4 April 2026", ("Kasungu", "4 April 2026")),
        ("Dedza 2026-03-09", ("Dedza", "2026-03-09")),
        ("Ntcheu March 2026", ("Ntcheu", "March 2026")),
        ("Dedza (12/03/2026)", ("Dedza", "12/03/2026")),
        ("Mchinji district 11.04.2026", ("Mchinji district", "11.04.2026")),
        ("Ntcheu,15/03/2026", ("Ntcheu", "15/03/2026")),
        # a date the loader cannot read whole is still split off, to be reported
        ("Dedza 12/03", ("Dedza", "12/03")),
        ("Mchinji 31/02/2026", ("Mchinji", "31/02/2026")),
        ("Kasungu 4th April 2026", ("Kasungu", "4th April 2026")),
        # the forms that already split stay as they were
        ("Mchinji, 11/04/2026", ("Mchinji", "11/04/2026")),
        ("Kasungu - 4 April 2026", ("Kasungu", "4 April 2026")),
        ("Mchinji — 20/02/2026", ("Mchinji", "20/02/2026")),
        ("Cohort 3 / March 2025", ("Cohort 3", "March 2025")),
        # names with numbers, and a bare year after a space, are no date
        ("Ward 7 Nurses", ("Ward 7 Nurses", None)),
        ("Unit 4", ("Unit 4", None)),
        ("Class of 2025", ("Class of 2025", None)),
        ("May Day Network", ("May Day Network", None)),
    ],
)
def test_split_community_date_after_a_space_or_in_brackets(written, expected):
    assert split_community_date(written) == expected


def test_bad_dates_and_splits():
    assert parse_date("spring 2025") is None and parse_date("") is None
    assert split_community_date("Nursing Practice Network / 12 March 2025") == (
        "Nursing Practice Network",
        "12 March 2025",
    )
    assert split_community_date("2025-03-01, Teachers") == ("Teachers", "2025-03-01")
    assert split_community_date("Farmers / spring 2025") == ("Farmers", "spring 2025")
    assert split_community_date("Farmers / Ward B") == ("Farmers / Ward B", None)
    assert split_community_date("Farmers / 31.02.2025") == ("Farmers", "31.02.2025")
    assert split_member_role("Nguyễn Thị Lan – midwife") == ("Nguyễn Thị Lan", "midwife")
    assert clean_text("\r\n  a\r\n\r\n b  ") == "a\n\n b"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "Yusuf Demir, developer at a mapping company (user)",
            ("Yusuf Demir", "developer at a mapping company (user)"),
        ),
        (
            "Chidi Eze, mentee, spring mentoring cohort",
            ("Chidi Eze", "mentee, spring mentoring cohort"),
        ),
        ("Priya (maintainer)", ("Priya", "maintainer")),
        ("Jonas Berg (site engineer, roads)", ("Jonas Berg", "site engineer, roads")),
        ("Sam - science teacher, grade 5", ("Sam", "science teacher, grade 5")),
        ("Ana,nurse", ("Ana", "nurse")),
        ("Li Wei / planner", ("Li Wei", "planner")),
        ("core member", ("core member", None)),
    ],
)
def test_member_role_splits_at_the_first_separator_outside_brackets(value, expected):
    assert split_member_role(value) == expected


def test_a_bracketed_remark_does_not_hide_a_header_field():
    found = match_columns(
        ["Date (dd.mm.yyyy)", "Group", "Name (farmer or officer)", "Role", "Activities"],
        STORY_WORDING,
    )
    assert found.fields == {
        "Date (dd.mm.yyyy)": ("date", 95.0),
        "Group": ("community", 100.0),
        "Name (farmer or officer)": ("member", 95.0),
        "Role": ("role", 100.0),
        "Activities": ("activities", 100.0),
    }
    # the plain header wins over the one with a remark
    assert match_columns(["Name (optional)", "Name"], STORY_WORDING).fields == {
        "Name": ("member", 100.0)
    }


@pytest.mark.parametrize(
    "heading",
    ["Story", "Your story", "Tell us your story", "Narrative", "Story (optional)", "## Story"],
)
def test_narrative_headings_name_the_story_field(heading):
    assert match_label(heading, STORY_WORDING) == ("story", 100.0, "")
    assert match_columns([heading.strip("# ")], STORY_WORDING).fields[heading.strip("# ")] == (
        "story",
        100.0,
    )


@pytest.mark.parametrize(
    "title",
    ["Value creation stories", "Value creation story", "Stories", "Story 2", "Our stories"],
)
def test_worksheet_titles_are_not_the_story_field(title):
    assert match_label(title, STORY_WORDING) is None
    assert match_columns([title], STORY_WORDING).fields == {}


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("What did you do differently afterwards?", "practice"),
        ("3. What did you do differently? *", "practice"),
        ("What difference did it make for the households you serve?", "organization"),
        ("What difference did it make for your patients?", "organization"),
        ("What changed for your pupils?", "organization"),
        ("What difference did it make to your work?", "practice"),  # the member's own
        ("What difference did it make to your performance?", "practice"),
    ],
)
def test_common_wordings_of_the_practice_and_organization_prompts(header, field):
    # trial 32: the first three were kept as is, "for your patients" was practice (77)
    assert {f for f, _ in match_columns([header], STORY_WORDING).fields.values()} == {field}


def test_the_common_wordings_beside_the_worksheet_prompts():
    headers = [
        "Tell us about something that happened in the CoP that made a difference to your work",
        "What did you learn or get from it?",
        "What did you do differently afterwards?",
        "What difference did it make for the households you serve?",
    ]
    found = match_columns(headers, STORY_WORDING)
    assert found.fields == {
        headers[0]: ("story", 100.0),
        headers[1]: ("insights", 100.0),
        headers[2]: ("practice", 92.0),
        headers[3]: ("organization", 92.0),
    }


def test_how_it_helped_and_changed_you_are_story_prompts_not_what_helps():
    """Trial 39: a county FA's survey asked three of the five prompts in its own words. The
    development and organization questions ("How has it helped ...") were read as "what
    helps or hinders" list questions and the practice one matched nothing: their answers,
    every realized-value number among them, were kept but not coded."""
    from copanalysis.io.fields import kinds_asked

    headers = [
        "What network sessions or activities meant the most to you this season?",
        "Has it changed how you coach? What difference has it made on the pitch?",
        "How has it helped you develop as a coach (badges, confidence, etc)?",
        "How has it helped your club or the County FA's goals? Any numbers you can give us?",
    ]
    found = match_columns(headers, STORY_WORDING)
    assert found.fields == {
        headers[0]: ("activities", 100.0),
        headers[1]: ("practice", 92.0),
        headers[2]: ("development", 92.0),
        headers[3]: ("organization", 92.0),
    }
    assert [sorted(kinds_asked(h)) for h in headers[1:]] == [[], [], []]
    # what helped the network, and what helped or hindered, are still list questions
    assert kinds_asked("What has helped the network work well?") == {"enabler"}
    assert kinds_asked("How did things help or hinder?") == {"enabler", "challenge"}
    assert kinds_asked("How has it helped you? What got in the way?") == {"challenge"}
    # help to reach one's own goals is no organization's goal
    own = "How has it helped you reach your own goals?"
    assert match_columns([own], STORY_WORDING).fields == {}


@pytest.mark.parametrize(
    "header",
    ["District", "Region", "County", "Site", "Facility", "Sub-county", "Which district?"],
)
def test_a_place_is_the_community_below_a_community_by_meaning(header):
    # trial 32: "District" was kept as is while "group_profile/district" was the community
    assert match_columns([header], STORY_WORDING).fields == {header: ("community", 90.0)}
    found = match_columns([header, "Which network are you part of?"], STORY_WORDING)
    assert found.fields == {"Which network are you part of?": ("community", 92.0)}
    assert found.kept == [header]


def test_kobo_group_paths_are_matched_by_their_question_name():
    # trial 32: role, member and date of Kobo's XML-name export were lost
    headers = [
        "group_profile/district",
        "group_profile/role",
        "group_profile/role/chw",
        "group_profile/name",
        "group_story/activity_date",
        "group_story/story_text",
        "group_story/hh_difference",
        "_gps_altitude",
    ]
    found = match_columns(headers, STORY_WORDING)
    assert found.fields == {
        "group_profile/district": ("community", 90.0),
        "group_profile/role": ("role", 100.0),
        "group_profile/name": ("member", 100.0),
        "group_story/activity_date": ("date", 100.0),
        "group_story/story_text": ("story", 100.0),
    }
    assert found.kept == ["group_profile/role/chw", "group_story/hh_difference", "_gps_altitude"]
    assert found.metadata == ["_gps_altitude"]
    assert match_columns(["Community/date"], STORY_WORDING).fields == {
        "Community/date": ("community_date", 100.0)
    }


def test_a_kobo_groups_name_alone_makes_no_question_the_story():
    # trial 44: every question of the group "group_story" scored 100 as the story, so
    # "q_group" (the organization question) was read as the free story
    headers = ["group_story/q_learned", "group_story/q_group", "group_story/q_result"]
    found = match_columns(headers, STORY_WORDING)
    assert found.fields == {"group_story/q_learned": ("insights", 100.0)}
    assert found.kept == ["group_story/q_group", "group_story/q_result"]
    # a question whose own name says story is still the story
    found = match_columns(["group_story/q_group", "group_story/story_text"], STORY_WORDING)
    assert found.fields == {"group_story/story_text": ("story", 100.0)}


def test_a_librarians_survey_asks_the_prompts_in_its_own_words():
    """Trial 40: a Google Forms survey of school librarians asked four of the prompts in
    its own words. "What did you get out of it?" (the README's own example of a question
    read as insights), "Have you done anything differently ...?" and "What ... activity
    ... stood out ...?" matched nothing, and "what you count as success" was read as a
    question after what helps: the answers were kept but not coded."""
    from copanalysis.io.fields import kinds_asked

    headers = [
        "What network activity or conversation stood out for you this year?",
        "What did you get out of it? (ideas, skills, contacts, resources...)",
        "Have you done anything differently in your library as a result?",
        "What difference has that made - for pupils, staff or the school?",
    ]
    found = match_columns(headers, STORY_WORDING)
    assert found.fields == {
        headers[0]: ("activities", 92.0),
        headers[1]: ("insights", 92.0),
        headers[2]: ("practice", 92.0),
        headers[3]: ("organization", 92.0),
    }
    role = "Has being in the network changed how you see your role, or what you count as success?"
    assert kinds_asked(role) == set()
    # success asked after is still what helps
    assert kinds_asked("What made the network a success?") == {"enabler"}
    assert kinds_asked("Key success factors") == {"enabler"}
    # what someone did differently is asked only of the member
    assert match_columns(["Have they done anything else?"], STORY_WORDING).fields == {}


def test_a_nurses_survey_asks_for_an_activity_that_stuck_and_a_difference_for_patients():
    """Trial 43: a Microsoft Forms survey asked for "a case review, WhatsApp conversation or
    guideline ... that stuck with you" (its richest story, 1,477 characters, skipped as no
    answer to any prompt) and "Has it made a difference for patients ...?" (kept unread)."""
    headers = [
        "Tell us about a case review, WhatsApp conversation or guideline from the network "
        "that stuck with you",
        "What did you take away from it?",
        "Has it changed anything you do in practice?",
        "Has it made a difference for patients, audit results or your team? How do you know?",
    ]
    found = match_columns(headers, STORY_WORDING)
    assert found.fields == {
        headers[0]: ("activities", 92.0),
        headers[1]: ("insights", 92.0),
        headers[2]: ("practice", 100.0),
        headers[3]: ("organization", 92.0),
    }


def test_a_council_s_own_wording_of_the_prompts_as_survey_headers_and_form_headings():
    """Trial 42: a council's forms asked the five prompts in its own words. As survey
    headers, "What did you take part in?" and "What difference has it made to the Council
    / the service?" matched nothing; as a Word form's headings, none of the five did."""
    from copanalysis.io.fields import _prompt_by_meaning, match_heading

    headers = {
        "What did you take part in? (meeting, site visit, Teams channel, design review etc.)": (
            "activities"
        ),
        "What did you learn or get access to?": "insights",
        "Have you done anything differently because of it?": "practice",
        "How has it helped your own development?": "development",
        "What difference has it made to the Council / the service? Give numbers if you can.": (
            "organization"
        ),
    }
    found = match_columns(list(headers), STORY_WORDING)
    assert {c: f for c, (f, _) in found.fields.items()} == headers
    assert {h: match_heading(h, STORY_WORDING)[0] for h in headers} == headers  # type: ignore[index]
    # a line of a worksheet is no prompt for sharing a word with one: only a heading is read so
    assert match_label("What did you learn or get access to?", STORY_WORDING) is None
    # a question of choices after the activities is none of these wordings (trial 39)
    ticks = "Which network activities did you take part in this season? (tick all that apply)"
    assert _prompt_by_meaning(ticks) is None
    assert match_heading("Drainage asset data workshop.", STORY_WORDING) is None
