"""An e-mail's greeting and sign-off pasted into a survey answer are left out of it."""

from __future__ import annotations

import csv

import pytest

from copanalysis.io.signatures import without_letter_lines
from copanalysis.io.stories import load_stories

#: Trial 40: a librarian whose form kept timing out pasted her answer from her e-mail.
PASTED = (
    "Hi Amara,\n\nSorry this is late, I've copied my answers in from my email.\n\n"
    "The peer visit to Castlegate was the highlight.\n\nBest wishes,\nJo\n\n"
    "Joanne Pritchard | School Librarian\nSt Mark's C of E Academy\nTel: 01632 960 412\n"
    "This e-mail and any attachments are confidential and intended solely for the addressee."
)


def test_a_pasted_emails_greeting_and_signature_are_no_answer(tmp_path):
    """Trial 40: each line of the e-mail's furniture was a sentence, and the semantic coder
    coded all seven as immediate value ("Best wishes," at 0.78, the phone number at 0.61)."""
    path = tmp_path / "survey.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Timestamp", "What meaningful activities did you participate in?"])
        writer.writerow(["2025/03/03 1:30:11 PM GMT", PASTED])
        writer.writerow(["2025/03/04 1:30:11 PM GMT", "Dear all - the WhatsApp group."])
    stories = load_stories(path)
    assert stories["activities"].tolist() == [
        "Sorry this is late, I've copied my answers in from my email.\n\n"
        "The peer visit to Castlegate was the highlight.",
        "Dear all - the WhatsApp group.",
    ]
    (entry,) = stories.attrs["load_report"]["files"]
    assert (
        "1 answer(s) pasted from an e-mail: its greeting, and its sign-off with the lines "
        "after it, left out: row 2 activities: 'Hi Amara,', 'Best wishes,' and the 5 lines "
        "after it"
    ) in entry["notes"]


@pytest.mark.parametrize(
    "answer",
    [
        "Thanks for running it",  # one line
        "It helped a lot.\nThanks!",  # a last line of thanks: no name signs it
        "Hi all, the meetings were great.\nBest thing this year.",  # a greeting in a sentence
        "Cheers,\nJo",  # nothing but the letter's furniture: left to the reader
    ],
)
def test_an_answer_that_is_no_pasted_email_stays_as_it_is(answer):
    assert without_letter_lines(answer) == (answer, [])


def test_a_sign_off_ends_the_answer_and_a_greeting_starts_it():
    kept, dropped = without_letter_lines("Dear Dr Osei,\nWe met.\nWe talked.\nKind regards\nSam")
    assert (kept, dropped) == ("We met.\nWe talked.", ["Dear Dr Osei,", "Kind regards", "Sam"])
    kept, dropped = without_letter_lines("We met.\nMany thanks,\nSam Jones\nHead of Library")
    assert (kept, dropped) == ("We met.", ["Many thanks,", "Sam Jones", "Head of Library"])
