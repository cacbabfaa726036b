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
        # "not that I can see", and an answer that is only "not sure" or "hard to say"
        ("Not that I can see.", "not that i can see"),
        ("Not sure yet.", "not sure"),
        ("Hard to say, really", "hard to say"),
        ("Don't know", "don't know"),
        ("Not sure it changed much, but I used the checklist twice.", None),
        ("Hard to say, transport to Kisumu costs money too.", None),  # says more
        # a sentence that doubts any change came of it, without a contrast after the doubt
        ("I'm not sure it made much difference to how I teach.",
         "not sure it made much difference"),
        ("Hard to say whether anything changed in my practice.",
         "hard to say whether anything changed"),
        ("It was nice enough, I guess, though I can't point to anything I do differently.",
         "can't point to anything i do differently"),
        ("I don't think it made any difference to yields.", "don't think it made any difference"),
        ("Can't really say I learned much new.", "can't really say i learned much new"),
        ("Not sure how, but it made a difference.", None),
        ("I doubt I would have stayed in teaching; it made a real difference.", None),
        ("It might have helped, I'm not sure.", None),  # hedged, not denied
        # nothing new to the member (was potential +1 at 0.94)
        ("Most of it I already knew from my CPD.", "most of it i already knew"),
        ("I already knew Sam, but now we plan together.", None),  # knowing a person
        # a plain denial of a gain (trial 24: was potential +1 at 0.67), and a flat "No"
        ("I did not learn anything new to be honest.", "did not learn anything new"),
        ("I didn't get anything out of it.", "didn't get anything out of it"),
        ("I did not learn anything new, but I met Sam and now we share rotas.", None),
        ("We did not get the grant but we learned a lot.", None),
        # a denial of what could be used, or of any use (trial 27: potential and applied +1)
        ("I did not learn anything I could use; the sessions were too general for a small "
         "town.", "did not learn anything i could use"),
        ("I have not applied any of it yet.", "have not applied any of it"),
        ("I learned nothing new.", "learned nothing"),
        ("I have not applied any of it yet, but I will next term.", None),
        ("I never thought I would use any of it, and now I do daily.", None),
        ("I didn't use the template at first.", None),
        ("No", "no"), ("No, not really.", "no, not really"),
        ("No doubt it helped.", None), ("Now I plan better.", None),
    ],
)  # fmt: skip
def test_flat_answers_and_spoiled_value_are_found_and_praise_is_not(text, words) -> None:
    assert absent_value(text) == words
