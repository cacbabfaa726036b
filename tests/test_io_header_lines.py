"""header_lines: a document's header line of labelled fields."""

from __future__ import annotations

from copanalysis.io.fields import STORY_WORDING, header_label, match_label
from copanalysis.io.header_lines import (
    header_field,
    header_line_label,
    interviewer_last,
    same_line_fields,
)


def _label_of(text: str) -> tuple[str, float, str] | None:
    return match_label(text, STORY_WORDING)


def test_places_and_people_labels_name_the_community_and_the_member() -> None:
    labels = ["Campus", "Site", "Hospital", "School", "Organisation", "Name of school"]
    assert [header_label(label) for label in labels] == ["community"] * 6
    assert [header_label(label) for label in ("Participant", "Interviewee")] == ["member"] * 2
    # the practice prompt's word, the interviewer and a label no loader knows name neither
    assert [header_label(label) for label in ("Practice", "Interviewer", "Duration")] == [
        None,
        None,
        None,
    ]


def test_the_trial_36_header_line_splits_into_its_fields() -> None:
    line = "Date: 17 November 2025    Campus: Westmoor College    Interviewer: Dana Whitfield"
    name, _, answer = _label_of(line) or ("", 0.0, "")
    read = same_line_fields(name, answer, _label_of, one_line={"date", "community"})
    assert read.fields == [("date", "17 November 2025"), ("community", "Westmoor College")]
    assert read.left_out == ["'Interviewer: Dana Whitfield' (the interviewer)"]


def test_a_line_without_field_labels_after_its_gaps_is_kept_whole() -> None:
    read = same_line_fields("member", "Jo   Okafor", _label_of, one_line={"member"})
    assert (read.fields, read.left_out) == ([("member", "Jo   Okafor")], [])
    # a prompt's answer is never split
    read = same_line_fields("practice", "We   met. Site: X", _label_of, one_line={"member"})
    assert read.fields == [("practice", "We   met. Site: X")]


def test_a_sentence_is_no_header_value() -> None:
    assert header_field("Participant: We met every week.") is None
    assert header_field("School: " + "word " * 13) is None
    assert header_line_label("Site: Mchinji    Date: 2026") == (
        "community",
        100.0,
        "Mchinji    Date: 2026",
    )


def test_a_header_line_that_starts_with_the_interviewer_reads_as_one_that_starts_with_date():
    # user trial: "Interviewer: Dana Whitfield    Date: ..." was dropped whole, as a turn
    line = "Interviewer: Dana Whitfield    Date: 17 November 2025    Campus: Westmoor College"
    read_as = interviewer_last(line)
    assert read_as == (
        "Date: 17 November 2025    Campus: Westmoor College    Interviewer: Dana Whitfield"
    )
    name, _, answer = _label_of(read_as) or ("", 0.0, "")
    read = same_line_fields(name, answer, _label_of, one_line={"date", "community"})
    assert read.fields == [("date", "17 November 2025"), ("community", "Westmoor College")]
    assert read.left_out == ["'Interviewer: Dana Whitfield' (the interviewer)"]
    # a tab or " | " is a gap too
    assert interviewer_last("I: Dana Whitfield\tSite: Dedza") == "Site: Dedza\tI: Dana Whitfield"
    assert interviewer_last("Interviewer: Dana | Site: Dedza") == "Site: Dedza | Interviewer: Dana"


def test_the_interviewers_turns_and_other_lines_stay_as_they_are():
    for text in [
        "Interviewer: Dana Whitfield",  # one field: the interviewer's paragraph, as before
        "Interviewer: What changed?    We met weekly.",  # a question
        "Interviewer: Dana Whitfield    and then we met.",  # no field after the gap
        "Campus: Westmoor    Interviewer: Dana Whitfield",  # not first
        "Participant: Jo Okafor    Date: 3 March 2026",  # not the interviewer
    ]:
        assert interviewer_last(text) == text


def test_a_depot_label_names_the_community() -> None:
    # trial 42: "Depot: Millbrook" on a council engineer's Word form stayed in the story text
    assert [header_label(label) for label in ("Depot", "depot")] == ["community"] * 2
