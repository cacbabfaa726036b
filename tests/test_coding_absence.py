"""absent_value: answers that say flatly that no value came of it."""

from __future__ import annotations

import pytest

from copanalysis.coding.absence import absent_value


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Nothing new tbh", "nothing new"),
        ("Nothing new.", "nothing new"),
        ("Not much to report.", "not much"),
        ("No difference to my practice.", "no difference"),
        ("N/A really, didn't go", "n/a"),
        ("Didn’t go this term.", "didn’t go"),  # the words as written
        ("none", "none"),
        ("Too early to say if it made a difference.", "too early to say"),
        ("Honestly, the session was a waste of time for me, it was all aimed at teachers.",
         "waste of time"),
        ("The sessions were a waste of time.", "waste of time"),
        ("It felt pointless without the managers there.", "pointless"),
        ("Not worth it for a two-hour drive.", "not worth it"),
        # praise, or value told at length after a flat opening word
        ("Nothing beats hearing how another ward did it.", None),
        ("None of this would have happened without the network.", None),
        ("Far from a waste of time: I use the checklist daily.", None),
        ("It was not a waste of time at all.", None),
        ("Nothing I learned there was new to me at first, but the case reviews changed how "
         "I plan my clinics.", None),
        ("I now plan my sessions in threes.", None),
        ("Notebooks are shared on the wiki.", None),  # "not" inside a word
        ("Nationally, waiting lists fell.", None),  # "na" inside a word
    ],
)  # fmt: skip
def test_flat_answers_and_spoiled_value_are_found_and_praise_is_not(text, words) -> None:
    assert absent_value(text) == words
