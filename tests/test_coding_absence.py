"""absent_value: answers that say flatly that no value came of it."""

from __future__ import annotations

import pytest

from copanalysis.coding.absence import absent_value, insight_clause, says_nothing


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
        # "not that I can see"; an answer that is only a hedge, "not sure" or "hard to say",
        # denies no value (trial 35: says_nothing finds it, below)
        ("Not that I can see.", "not that i can see"),
        ("Not sure yet.", None),
        ("Hard to say, really", None),
        ("Don't know", None),
        # trial 35: flat, a filler, then its reason (was potential +1 at 0.83)
        ("Not much new to be honest, the same messages we got in training", "not much new"),
        ("Nothing really new, tbh - the same slides as last year", "nothing really new"),
        ("Not much new to be honest, but the field day showed me a new way to scout.", None),
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
        # trial 41: a plain denial of a difference made, or of taking part (were applied
        # and immediate +1 in some 4,000 answers of a 15,000-response survey)
        ("It didn't make a difference to my teaching", "didn't make a difference"),
        ("It has not made much of a difference yet.", "has not made much of a difference"),
        ("It made no difference to my teaching.", "made no difference"),
        ("Didn't really take part this year, too busy with exams", "didn't really take part"),
        ("It didn't make a difference at first, but now I plan better.", None),
        ("I did not make it to the webinars, but the forum made a difference.", None),
        ("It made a real difference to my teaching.", None),
        # trial 40: a newcomer who has been to nothing yet (was immediate +1)
        ("I'm new and haven't been to anything yet", "haven't been to anything yet"),
        ("Only joined in May, not attended anything yet.", "not attended anything yet"),
        ("I haven't been to anything yet, but the forum answers already saved me a day.",
         None),
        ("No", "no"), ("No, not really.", "no, not really"),
        ("No doubt it helped.", None), ("Now I plan better.", None),
        # trial 43: nurses who could not take part, typed without apostrophes (were
        # immediate or enabling value +1)
        ("Havent been able to get to any, short staffed every month", "havent been"),
        ("no time to attend", "no time to attend"),
        ("I didnt learn anything new", "didnt learn anything new"),
        ("It didnt make a difference", "didnt make a difference"),
        ("We didnt use the template at first but now we do", None),
    ],
)  # fmt: skip
def test_flat_answers_and_spoiled_value_are_found_and_praise_is_not(text, words) -> None:
    assert absent_value(text) == words


@pytest.mark.parametrize(
    ("text", "nothing"),
    [
        # trial 35: a hedge alone was coded positive potential ("Somewhat") or negative
        # realized value ("Not sure"): it neither claims value nor denies it
        ("Somewhat", True), ("Not sure", True), ("Maybe.", True), ("Hard to say", True),
        ("Maybe, I guess", True), ("Not sure yet.", True), ("Don't know", True),
        ("A little, to be honest.", True), ("Totally.", True),
        # a hedge beside what it hedges, or a flat denial, says something
        ("Somewhat more confident with the farmers.", False), ("Maybe next season.", False),
        ("Not sure it made much difference.", False), ("No", False), ("Not much", False),
    ],
)  # fmt: skip
def test_a_hedge_alone_says_nothing(text, nothing) -> None:
    assert says_nothing(text) is nothing


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # trial 35: an insight whose content holds "never" (was potential -1 at 0.85)
        ("I realised that women in my group never talk when the chief's wife is there.",
         "realised that"),
        ("We learnt that nobody reads the monthly report.", "learnt that"),
        ("I saw that we were not auditing moment 5.", "saw that"),
        ("From the growers I found out there's a subsidy nobody mentioned.", "found out there"),
        ("I now understand why farmers do not adopt the ripper.", "now understand why"),
        ("Hard work, but I realised I could do it.", "realised i"),  # "but" ends a clause
        # the insight itself denied, passive, not yet gained, or "that" an object
        ("I never realised that it mattered.", None),
        ("I didn't learn why the plots failed.", None),
        ("We did not really see that it was not working.", None),
        ("It was widely understood that the goal was not met.", None),
        ("Lessons learned were lost because nothing was recorded.", None),
        ("We'll see whether it lasts.", None),
        ("My employer saw that, and listed it as a key achievement.", None),
        ("I learned to read GPS data, which I never needed before.", None),
    ],
)  # fmt: skip
def test_an_insight_clause_is_found_unless_the_insight_is_denied(text, words) -> None:
    assert insight_clause(text) == words


def test_an_insight_clause_in_a_pasted_transcript_of_one_clause() -> None:
    """A clause of 5,000 denied verbs is read once (it took seconds: each verb rescanned
    the text before it), and a later clause of its own is still found."""
    denied = "we never realised that it mattered " * 5_000
    assert insight_clause(denied) is None
    assert insight_clause(denied + "; then we realised that it did") == "realised that"
    # a passive "was" denies only the verb it stands before, not the rest of the clause
    passive = "it was realised that it mattered " * 5_000
    assert insight_clause(passive + "and we saw that it did") == "saw that"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("ninguno", "ninguno"), ("Ninguna.", "ninguna"), ("nada", "nada"), ("Nenhum", "nenhum"),
        ("não", "não"), ("Rien.", "rien"), ("aucun", "aucun"), ("keine", "keine"),
        ("Nichts", "nichts"), ("nessuno", "nessuno"), ("Niente!", "niente"), ("geen", "geen"),
        # whole answers only: the word opening an answer that says more is no denial
        ("Nada más que decir: aprendí mucho en el círculo", None),
        ("Rien de plus utile que les visites", None),
        ("Non-stop ideas from the forum", None),
    ],
)  # fmt: skip
def test_none_in_other_languages_is_a_whole_answer_of_no_value(text, words) -> None:
    # trial 41: Spanish "ninguno" was coded immediate and potential value +1 (672 codes),
    # where "none" was value denied
    assert absent_value(text) == words
