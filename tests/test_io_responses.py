"""Test submissions and unfinished responses: skipped and listed, or kept and counted."""

from __future__ import annotations

import csv

import pytest

from copanalysis.io.corpus import check_study
from copanalysis.io.lists import load_lists
from copanalysis.io.responses import is_test_answer, marked_as_test
from copanalysis.io.stories import load_stories


@pytest.mark.parametrize(
    "text",
    ["test", "TEST", "Testing", "testing 123", "test test", "Test submission please ignore",
     "This is a test.", "just a test", "ignore this", "Please ignore", "dummy data",
     "please disregard - test", "Test entry, please delete"],
)  # fmt: skip
def test_whole_answers_that_only_mark_a_test(text) -> None:
    assert is_test_answer(text)


@pytest.mark.parametrize(
    "text",
    ["We tested the new form in March.", "Test results came back faster", "malaria test",
     "The RDT test", "Ignore the noise, listen to the mothers", "testimony", "tested",
     "I learned to test at 15 minutes", "No", ""],
)  # fmt: skip
def test_a_story_that_mentions_a_test_is_no_test_marker(text) -> None:
    assert not is_test_answer(text)


def test_a_row_is_a_test_only_when_every_answer_is() -> None:
    assert marked_as_test(["test", None, "Testing"]) == (
        "a test submission, not a member's response (its only answers: 'test', 'Testing')"
    )
    assert marked_as_test(["test", "We met in Hola and tested the RDT."]) is None
    assert marked_as_test([None]) is None


def _write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_kobo_test_submission_is_skipped_and_listed_by_check(tmp_path) -> None:
    """Trial 32: Kobo's "Test submission please ignore" row was coded as a story."""
    from copanalysis.cli import format_check

    (tmp_path / "stories").mkdir()
    _write(
        tmp_path / "stories" / "kobo.csv",
        [
            ["_id", "Tell us about something that happened in the CoP",
             "What did you learn or get from it?"],
            ["1", "We met in Hola and a CHW showed how to read a faint RDT line.", "test"],
            ["2", "Test submission please ignore", "test"],
            ["3", "We tested the new referral form together.", "Testing works."],
            ["4", "testing 1 2 3", ""],
        ],
    )  # fmt: skip
    stories = load_stories(tmp_path / "stories" / "kobo.csv", progress=False)
    assert stories["story_id"].tolist() == ["1", "3"]
    assert stories["insights"].tolist() == ["test", "Testing works."]
    (entry,) = stories.attrs["load_report"]["files"]
    assert entry["skipped"] == [
        {
            "row": 3,
            "reason": "a test submission, not a member's response (its only answers: "
            "'test', 'Test submission please ignore')",
        },
        {
            "row": 5,
            "reason": "a test submission, not a member's response (its only answers: "
            "'testing 1 2 3')",
        },
    ]
    said = format_check(check_study(tmp_path)).splitlines()
    assert (
        "    skipped row 3: a test submission, not a member's response (its only answers: "
        "'test', 'Test submission please ignore')"
    ) in said
    assert "  ! 2 skipped (listed above)" in said


def test_test_row_of_a_list_is_skipped_and_listed(tmp_path) -> None:
    path = _write(
        tmp_path / "lists.csv",
        [
            ["What helps the group work well?", "What makes it hard?"],
            ["The WhatsApp group", "Airtime costs"],
            ["test", "Test submission please ignore"],
            ["Testing the phones together", "test"],
        ],
    )
    items = load_lists(path)
    assert items["text"].tolist() == [
        "The WhatsApp group", "Airtime costs", "Testing the phones together", "test",
    ]  # fmt: skip
    (entry,) = items.attrs["load_report"]["files"]
    assert entry["skipped"] == [
        {
            "row": 3,
            "reason": "a test submission, not a member's response (its only answers: "
            "'test', 'Test submission please ignore')",
        }
    ]


def test_many_addresses_given_twice_are_one_note_and_check_all_lists_every_one(tmp_path):
    # trial 41's walls of notes: one note per address given twice, as many as there are
    path = tmp_path / "survey.csv"
    rows = [["Email Address", "What did you learn?"]]
    rows += [[f"p{n}@uni.edu", f"I learned thing {n} and {m}."] for m in (1, 2) for n in range(7)]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    stories = load_stories(path, progress=False)
    assert len(stories) == 14  # every answer kept
    (entry,) = stories.attrs["load_report"]["files"]
    assert [note for note in entry["notes"] if "Email" in note] == [
        "7 addresses in 'Email Address' are each given by more than one row (rows 2 and 9: "
        "'p0@uni.edu'; rows 3 and 10: 'p1@uni.edu'; rows 4 and 11: 'p2@uni.edu'; rows 5 and "
        "12: 'p3@uni.edu'; rows 6 and 13: 'p4@uni.edu'; and 2 more, all listed by "
        "copanalysis check --all): a respondent answered more than once, and each answer is "
        "kept as a story; delete the rows you do not mean to count"
    ]
    assert entry["listed"]["addresses given by more than one row"][-1] == (
        "rows 8 and 15: 'p6@uni.edu'"
    )
