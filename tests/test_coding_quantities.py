"""quantities: numbers, units, direction and what changed, from stories and from codes."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from copanalysis.coding.quantities import quantities
from copanalysis.errors import MissingColumnError

#: The months read as named times ("in May" is not one: "may" is also a verb).
NAMED_MONTHS = ["January", "February", "March", "April", "June", "July", "August",
                "September", "October", "November", "December"]  # fmt: skip


def claims(text: str) -> list[tuple[float, str, str, int, str]]:
    stories = pd.DataFrame({"story_id": ["s1"], "organization": [text]})
    table = quantities(stories)
    return [
        (round(r.number, 4), r.unit, r.change, r.direction, r.expression)
        for r in table.itertuples()
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "We reduced the waiting time from 6 weeks to 3.",
            [(3.0, "weeks", "waiting time", -1, "from 6 weeks to 3")],
        ),
        (
            "Membership grew from 20 to 45 members.",
            [(45.0, "members", "membership", 1, "from 20 to 45 members")],
        ),
        ("Sick leave fell from 8% to 5%.", [(5.0, "%", "sick leave", -1, "from 8% to 5%")]),
        (
            "Readmissions dropped by 30 percent in 2021.",
            [(30.0, "%", "readmissions", -1, "30 percent")],
        ),
        ("Complaints went down 15%.", [(15.0, "%", "complaints", -1, "15%")]),
        (
            "The new protocol saved €4,000 and roughly $2k in licences.",
            [
                (4000.0, "EUR", "new protocol saved", 1, "€4,000"),
                (2000.0, "USD", "new protocol saved", 1, "$2k"),
            ],
        ),
        ("Our budget rose to EUR 12,500.", [(12500.0, "EUR", "budget", 1, "EUR 12,500")]),
        (
            "We won a contract worth 1.5 million euros.",
            [(1500000.0, "EUR", "contract worth", 1, "1.5 million euros")],
        ),
        (
            "I save 40 hours a month on reporting.",
            [(40.0, "hours/month", "save", 1, "40 hours a month")],
        ),
        (  # a rate of money, alone and at the end of a range ("a" is no unit)
            "We save €250 a month on licences.",
            [(250.0, "EUR/month", "save", 1, "€250 a month")],
        ),
        (
            "Licences went from €400 to €250 a month.",
            [(250.0, "EUR/month", "licences", -1, "from €400 to €250 a month")],
        ),
        (
            "Fees went from 40 to 25 dollars per session.",
            [(25.0, "USD/session", "fees", -1, "from 40 to 25 dollars per session")],
        ),
        (
            "Errors halved, and referrals doubled.",
            [(0.5, "x", "errors", -1, "halved"), (2.0, "x", "referrals", 1, "doubled")],
        ),
        (
            "We cut onboarding time by a third.",
            [(33.3333, "%", "onboarding time", -1, "by a third")],
        ),
        (
            "Attendance is three times higher than before.",
            [(3.0, "x", "attendance", 1, "three times higher")],
        ),
        (  # the hospitals are where the training was, not what it gave
            "We trained 40 new nurses across three hospitals.",
            [(40.0, "nurses", "trained", 0, "40 new nurses")],
        ),
        (  # where a guide was shared, not a result
            "The guide was shared in 8 WhatsApp groups and 3 churches.",
            [],
        ),
        (  # a count in a place that changed is a claim
            "Members grew in 8 WhatsApp groups.",
            [(8.0, "groups", "members", 1, "8 WhatsApp groups")],
        ),
        (  # "savings" after "to the group": where the profit went, no decrease
            "We made MK 85,000 profit, which goes to the group savings.",
            [(85000.0, "MWK", "made", 0, "MK 85,000")],
        ),
        (  # without a determiner "to" may start a verb, the cue of a change
            "It helped to reduce costs by MK 20,000.",
            [(20000.0, "MWK", "costs", -1, "MK 20,000")],
        ),
        (  # May right after "in" is the month: the counts of two months, the later one last
            "We had 35 stockout days in January compared to 0 in May.",
            [(0.0, "days", "", -1, "35 stockout days in January compared to 0 in May")],
        ),
        (
            "Waiting times fell from 9 weeks in May to 4.",
            [(4.0, "weeks", "waiting times", -1, "from 9 weeks in May to 4")],
        ),
        (  # the month of one year before May of it: 4 is the later count
            "We had 12 stockouts in January 2026 compared with 4 in May 2026.",
            [
                (
                    4.0,
                    "stockouts",
                    "",
                    -1,
                    "12 stockouts in January 2026 compared with 4 in May 2026",
                )
            ],
        ),
        (  # the verb "may" is no month, nor part of what changed
            "Costs may fall from 9 to 4 in the next term.",
            [(4.0, "", "costs", -1, "from 9 to 4")],
        ),
        (
            "It took 2.5 days instead of a week.",
            [(2.5, "days", "took", -1, "2.5 days instead of a week")],
        ),
        (
            "Time to antibiotics fell from a median of 95 minutes to 52.",
            [(52.0, "minutes", "time to antibiotics", -1, "from a median of 95 minutes to 52")],
        ),
        (
            "I harvested 11 bags instead of 7 last year.",
            [(11.0, "bags", "harvested", 1, "11 bags instead of 7")],
        ),
        (
            "Our coordinator counted 30% fewer calls in February.",
            [(30.0, "%", "calls", -1, "30%")],
        ),
        (
            "Our Year 4 scores went up from 58% to 71%.",
            [(71.0, "%", "year 4 scores", 1, "from 58% to 71%")],
        ),
        (
            "In the trial area we found 34 hidden leaks in three months.",
            [(34.0, "leaks", "", 0, "34 hidden leaks")],
        ),
        (
            "Staff survey: 78% say CPD is relevant, up from 41%.",
            [(78.0, "%", "say CPD is relevant", 1, "78%")],
        ),
    ],
)
def test_claims_with_number_unit_change_and_direction(text, expected):
    assert claims(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Since 2019 we meet every two weeks.",
        "One day a colleague asked me about it.",
        "Two weeks ago I met three of us for coffee.",
        "It was a great session with lots of ideas.",
        "Cases are down, 7 last year.",
        "Compliance for moment 5 was discussed.",
    ],
)
def test_no_claim_in_dates_rhythms_and_prose(text):
    assert claims(text) == []


def test_rows_carry_the_sentence_and_its_offsets_and_the_baseline():
    text = "It was useful. Costs fell from €500 to €350 per case."
    stories = pd.DataFrame({"story_id": ["s7"], "organization": [text]})
    row = quantities(stories).iloc[0]
    assert row["doc_id"] == "s7"
    assert row["field"] == "organization"
    assert (row["start"], row["end"]) == (15, len(text))
    assert row["quote"] == text[15:]
    assert (row["number"], row["unit"], row["baseline"], row["direction"]) == (
        350.0,
        "EUR",
        500.0,
        -1,
    )


def test_other_fields_give_changes_and_time_or_money_saved_and_the_rest_when_asked():
    stories = pd.DataFrame(
        {
            "story_id": ["s1", "s2"],
            "practice": [
                "We meet for 2 hours a month. I now spend 2 hours less on notes.",
                "It saves me roughly 4 hours a week of marking. I went to two webinars.",
            ],
            "organization": ["Nothing to report.", None],
            "story": [
                None,
                "We reckon it saved about 30 nursing hours a month and £12,000 a year.",
            ],
        }
    )
    columns = ["doc_id", "field", "number", "unit", "direction"]
    assert quantities(stories, progress=False)[columns].values.tolist() == [
        ["s2", "story", 30.0, "hours/month", 1],  # the free narrative is read whole
        ["s2", "story", 12000.0, "GBP/year", 1],
        ["s1", "practice", 2.0, "hours", -1],  # elsewhere, time saved is a claim ...
        ["s2", "practice", 4.0, "hours/week", 1],
    ]  # ... but not the length of a meeting, nor a count of webinars
    every = quantities(stories, fields=None, progress=False)[columns].values.tolist()
    assert ["s1", "practice", 2.0, "hours/month", 0] in every
    assert ["s2", "practice", 2.0, "webinars", 0] in every


def test_codes_quotes_are_read_with_offsets_into_the_field():
    codes = pd.DataFrame(
        {
            "doc_id": ["s1", "s1", "s2"],
            "field": ["organization", "organization", "organization"],
            "start": [40, 40, 0],
            "end": [70, 70, 20],
            "quote": ["Delays were cut by 25%.", "Delays were cut by 25%.", "No change."],
            "code": ["realized", "applied", "realized"],
            "coder": "rules:value_cycles@1",
        }
    )
    table = quantities(codes)
    assert len(table) == 1  # the span coded twice is read once
    row = table.iloc[0]
    assert (row["start"], row["end"], row["number"], row["unit"], row["change"]) == (
        40,
        63,
        25.0,
        "%",
        "delays",
    )
    assert math.isnan(row["baseline"])


def test_a_frame_without_the_fields_is_an_error():
    with pytest.raises(MissingColumnError, match="'organization'"):
        quantities(pd.DataFrame({"story_id": ["s1"], "text": ["40%"]}))


def test_a_comparison_gives_the_baseline():
    stories = pd.DataFrame(
        {
            "organization": [
                "Staff survey: 78% say CPD is relevant, up from 41%.",
                "The suite runs in 12 minutes instead of 45.",
                "7 out of 18 passed compared to 2 out of 20; waits went from 2 hours to 90 min.",
            ],
        }
    )
    stories["story_id"] = ["s1", "s2", "s3"]
    table = quantities(stories)
    assert table[["number", "baseline", "direction"]].values.tolist() == [
        [78.0, 41.0, 1],
        [12.0, 45.0, -1],
        [38.9, 10.0, 1],  # shares of two wholes, in percent (trial 30)
        [90.0, 120.0, -1],  # the baseline in the second duration's unit
    ]


def test_changes_from_one_amount_to_another_are_read_in_every_answer() -> None:
    stories = pd.DataFrame(
        {
            "story_id": ["a"],
            "activities": ["Went to two webinars."],
            "practice": ["We use the checklist. Re-referrals fell from 31 to 19."],
            "organization": ["Waiting time 12 -> 8 days; costs €400 → €250."],
        }
    )
    claims = quantities(stories, progress=False)
    got = claims[["field", "number", "unit", "baseline", "direction"]].values.tolist()
    assert sorted(got) == [  # "two webinars" is a count, not a claim: not read
        ["organization", 8.0, "days", 12.0, -1],
        ["organization", 250.0, "EUR", 400.0, -1],
        ["practice", 19.0, "", 31.0, -1],
    ]
    only = quantities(stories, changes_elsewhere=False, progress=False)
    assert set(only["field"]) == {"organization"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "X to Y" without "from": a change when it falls, or after a change verb
        ("Fewer missed doses (audit: 40% to 12%).", [(12.0, "%", "", -1, "40% to 12%", 40.0)]),
        ("Falls went down 6 to 2 between January and April.",
         [(2.0, "", "falls", -1, "6 to 2", 6.0)]),
        # a comparison after a time phrase is the claim's baseline, not a claim of its own
        ("Reviews are done on time now – 100% this year vs 70% last year.",
         [(100.0, "%", "done on time", 1, "100% this year vs 70%", 70.0)]),
        # the rate after what the hours are of
        ("It saves about 3 hours of prep a week.",
         [(3.0, "hours/week", "saves", 1, "3 hours of prep a week", math.nan)]),
    ],
)  # fmt: skip
def test_changes_without_from_comparisons_and_rates_after_of(text, expected):
    stories = pd.DataFrame({"story_id": ["s1"], "organization": [text]})
    table = quantities(stories, progress=False)
    got = [
        (r.number, r.unit, r.change, r.direction, r.expression, r.baseline)
        for r in table.itertuples()
    ]
    assert len(got) == len(expected)
    for row, want in zip(got, expected, strict=True):
        assert row[:5] == want[:5]
        assert (math.isnan(row[5]) and math.isnan(want[5])) or row[5] == want[5]


def test_a_rough_range_is_no_change_and_grades_are_no_count():
    # "5 to 10" rises with no change verb: a rough count, read as the count it ends with
    assert claims("We meet 5 to 10 members at a time.") == [
        (10.0, "members", "meet", 0, "10 members")
    ]
    assert claims("Fewer grade 3 and 4 sores this quarter.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # the total is no claim (it was read as 25 farmers)
            "Adoption of certified seed went from 8 of 25 farmers to 19.",
            [(19.0, "farmers", "adoption of certified seed", 1, "from 8 of 25 farmers to 19")],
        ),
        (
            "Nineteen of 25 farmers now sow it.",
            [(19.0, "farmers", "", 0, "Nineteen of 25 farmers")],
        ),
        # number words with a scale (it was 2 farmers)
        ("Two hundred farmers came.", [(200.0, "farmers", "", 0, "Two hundred farmers")]),
        ("We saved two thousand pounds.", [(2000.0, "GBP", "saved", 1, "two thousand pounds")]),
        (  # the range in brackets is the claim, not "2 x"
            "Library loans doubled this year (1,240 to 2,510).",
            [(2510.0, "", "library loans", 1, "1,240 to 2,510")],
        ),
        (  # acronyms keep their case
            "Exclusions of pupils with SEND fell from 12 to 4.",
            [(4.0, "", "exclusions of pupils with SEND", -1, "from 12 to 4")],
        ),
    ],
)
def test_totals_number_words_with_scales_bracketed_ranges_and_acronyms(text, expected):
    assert claims(text) == expected


def _with_baseline(text: str) -> list[tuple[float, str, str, int, float]]:
    table = quantities(pd.DataFrame({"story_id": ["s1"], "organization": [text]}))
    return [
        (round(r.number, 4), r.unit, r.change, r.direction, r.baseline) for r in table.itertuples()
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a claim right before its own "up from" (was dropped whole)
        ("Satisfaction reached 85%, up from 60%.", [(85.0, "%", "satisfaction", 1, 60.0)]),
        ("Costs are now €300, down from €500.", [(300.0, "EUR", "costs", -1, 500.0)]),
        # "to X from Y" is one claim with its baseline (was two, the second spurious)
        ("Staff sickness dropped to 4% from 7%.", [(4.0, "%", "staff sickness", -1, 7.0)]),
        # one of a unit, with the value it came from, is a change (was the baseline alone,
        # "3 days", with no start); "to 1 day" alone stays no claim, as "one day" is none
        ("Sign-off fell to 1 day from 3 days.", [(1.0, "days", "sign-off", -1, 3.0)]),
        ("Sign-off fell to 1 day.", []),
        # the value reached, then the one it came from, with no unit or one after the second
        # (trial 42: "Attendance rose to 40 from 25" was no claim; "grew to 150 from 90
        # members" read 90 members, up, with no baseline); a destination is no change
        ("Attendance rose to 40 from 25.", [(40.0, "", "attendance", 1, 25.0)]),
        ("Membership grew to 150 from 90 members.", [(150.0, "members", "membership", 1, 90.0)]),
        ("Complaints fell to 12 from 30 last year.", [(12.0, "", "complaints", -1, 30.0)]),
        ("Seed was sent to 40 from 25 schools.", [(25.0, "schools", "sent", 0, math.nan)]),
        # a bare value reached, then "up from" or "down from" a number: its baseline (was
        # no claim); with no number after "up from", still none
        ("Attendance rose to 40, up from 25.", [(40.0, "", "attendance", 1, 25.0)]),
        ("Yields fell to 12, down from 20 bags.", [(12.0, "", "yields", -1, 20.0)]),
        ("Attendance rose to 40, up from last year.", []),
        # a speaker's aside is no part of what changed (trial 44: "personally maize")
        (
            "Personally my maize went from 5 bags to 12 bags per acre.",
            [(12.0, "bags", "maize", 1, 5.0)],
        ),
        (
            "Honestly fall armyworm damage fell from 40% to 10%.",
            [(10.0, "%", "fall armyworm damage", -1, 40.0)],
        ),
        # a change denied is no change; years are a period; "more than" is a bound
        ("Waiting times did not fall by 10 days as hoped.", []),
        ("Waiting times didn't drop below 40 minutes.", []),
        ("From 2019 to 2023 the clinic ran every Tuesday.", []),
        ("More than 60 nurses attended the launch.", [(60.0, "nurses", "more", 0, math.nan)]),
        # the subject keeps its prepositional phrase, and stops at "but" or a participle
        (
            "Complaints about potholes fell by 40% on the bus routes.",
            [(40.0, "%", "complaints about potholes", -1, math.nan)],
        ),
        (
            "Insulin errors reported at transfer fell by a third in six months.",
            [(33.3333, "%", "insulin errors", -1, math.nan)],
        ),
        (
            "We did not expect it, but falls dropped by 30%.",
            [(30.0, "%", "falls", -1, math.nan)],
        ),
        # fractions of more than one part: a share (was "3 quarters" counted as a unit)
        (
            "About three quarters of teachers now use the shared template.",
            [(75.0, "%", "", 0, math.nan)],
        ),
        ("Complaints fell by two thirds.", [(66.6667, "%", "complaints", -1, math.nan)]),
        # a range whose first number has its period or rate before "to" (was missed)
        (
            "Falls on our ward dropped from 9 in the last quarter of 2024 to 4 in the first "
            "quarter of 2025.",
            [(4.0, "", "falls on ward", -1, 9.0)],
        ),
        (
            "Help requests dropped from about 20 a week to 5.",
            [(5.0, "", "help requests", -1, 20.0)],
        ),
        # what was spent less on (was "spent")
        (
            "We spent 15% less on emergency repairs.",
            [(15.0, "%", "emergency repairs", -1, math.nan)],
        ),
        ("Costs were 10% lower in March.", [(10.0, "%", "costs", -1, math.nan)]),
        # a duration does not take the baseline of the count before it (was 40 -> 3 months)
        ("We did 212 blood pressure checks in three months, up from about 40.", []),
        # a count now beside a count of a time before (were missed)
        (
            "Fewer incidents at the counter: 2 this quarter compared with 9 last quarter.",
            [(2.0, "", "incidents at counter", -1, 9.0)],
        ),
        # the heading before the colon names what the two counts count (user trial: were "")
        (
            "Procedures withdrawn: 1 this year, 5 the year before.",
            [(1.0, "", "procedures withdrawn", -1, 5.0)],
        ),
        ("Waiting time is now 3 months, down from 6.", [(3.0, "months", "waiting time", -1, 6.0)]),
        # last year's count beside the year before's, with its unit (were missed)
        (
            "We had 7 complaints last year against 11 the year before.",
            [(7.0, "complaints", "", -1, 11.0)],
        ),
        (
            "Referrals were 7 last year against 11 the year before.",
            [(7.0, "", "referrals", -1, 11.0)],
        ),
        # a duration and the one it replaced, "a" read as one, in the first one's unit
        (
            "Now we get answers in a day instead of a week.",
            [(1.0, "days", "answers", -1, 7.0)],
        ),
        ("It now takes 2 days rather than 3 weeks.", [(2.0, "days", "takes", -1, 21.0)]),
        # the subject before a particle ("go out"), and in the clause before a bare count
        (
            "Patch releases go out in a day instead of a week.",
            [(1.0, "days", "patch releases", -1, 7.0)],
        ),
        (
            "Infection cases are down too, 7 last year against 11 the year before.",
            [(7.0, "", "infection cases", -1, 11.0)],
        ),
        ("We met in a week instead of a year ago.", []),
        # a range as the first value counts as its middle; years in it are still a period
        ("Calls dropped from 20–30 a day to about 5.", [(5.0, "", "calls", -1, 25.0)]),
        ("We went from 2019-2020 to 2023.", []),
    ],
)
def test_baselines_denials_years_bounds_and_subjects(text, expected):
    found = _with_baseline(text)
    assert [f[:4] for f in found] == [e[:4] for e in expected]
    for f, e in zip(found, expected, strict=True):
        assert f[4] == e[4] or (math.isnan(f[4]) and math.isnan(e[4]))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a cue after a count tells of something else
            "The four partners have now agreed to fund a coordinator from the savings.",
            [(4.0, "partners", "", 0, "four partners")],
        ),
        (
            "Two abortion outbreaks diagnosed faster because we PM'd on farm – saved the lab "
            "turnaround of 10 days.",
            [
                (2.0, "outbreaks", "", 0, "Two abortion outbreaks"),
                (10.0, "days", "saved lab turnaround", 1, "10 days"),
            ],
        ),
        ("We had 34 fewer leaks.", [(34.0, "leaks", "", -1, "34 fewer leaks")]),
        ("We trained 40 more vets this year.", [(40.0, "vets", "trained", 1, "40 more vets")]),
        ("A course of 10 days.", []),
        ("The programme of 10 days has grown.", []),
    ],
)
def test_a_count_changes_by_a_cue_before_it_and_what_was_saved_is_read(text, expected):
    """Trial 28: "▼ 4 partners" and "▼ 2 outbreaks" in the chart, and the 10 days saved
    missed."""
    assert claims(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Help requests to me dropped from about 20 a week to 5.",
            [(5.0, "", "help requests", -1, "from about 20 a week to 5")],
        ),
        (
            "By Monday three colleagues had replied.",
            [(3.0, "colleagues", "", 0, "three colleagues")],
        ),
        ("We're five municipalities.", [(5.0, "municipalities", "", 0, "five municipalities")]),
    ],
)
def test_what_changed_is_never_a_pronoun_a_when_or_the_verb(text, expected):
    """Trial 29 and the demo: the chart labelled claims "monday", "we're" and "dropped"."""
    assert claims(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # trial 31: hedged ends of a change were missed whole
        (
            "The backlog went from 600 to under 100 in three months.",
            [(100.0, "", "backlog", -1, "from 600 to under 100")],
        ),
        (
            "Flaky test reports went from ~20 a month to maybe 5.",
            [(5.0, "", "flaky test", -1, "from ~20 a month to maybe 5")],
        ),
        # a cue in another clause gives no direction (was a 20% decrease) and no label
        (
            "Our fixes saved the support team tickets, the director approved 20% of my time.",
            [(20.0, "%", "director approved", 0, "20%")],
        ),
        # ... unless that clause only says who reckons
        (
            "Saved us doing the migration twice, I estimate two developer-months.",
            [(2.0, "developer-months", "saved", 1, "two developer-months")],
        ),
        # an aside after the verb is no object ("average")
        ("Costs went down, on average, by 20%.", [(20.0, "%", "costs", -1, "20%")]),
        # a range of counts is read whole, as its middle (was "3", labelled "2-")
        (
            "We onboarded 2-4 newcomers each month.",
            [(3.0, "newcomers/month", "onboarded", 0, "2-4 newcomers each month")],
        ),
        # trial 30: a range after "went up," was two claims, +48% and +61%
        (
            "Mock results went up, 48% to 61% correct.",
            [(61.0, "%", "mock results", 1, "48% to 61%")],
        ),
        # a hedge is no label ("think maybe")
        ("The class gets more good marks, I think maybe 10% more.", [(10.0, "%", "", 1, "10%")]),
        # a word that only starts like a cue is none: "lesson" (less), "upstream" (up)
        (
            "I've started doing starters every lesson – 5 min a day on how do we know this.",
            [(5.0, "minutes/day", "started doing starters every lesson", 0, "5 min a day")],
        ),
        # trial 35: a length of time that neither changed nor is a rate is how long an
        # activity lasted, not a result (was "5 min", listed)
        ("I've started doing starters every lesson – 5 min on how do we know this.", []),
        ("We pushed 12 patches upstream.", [(12.0, "patches", "pushed", 0, "12 patches")]),
        # trial 30: shares of two wholes, compared as percentages (was no claim at all)
        (
            "7 out of 18 got full marks compared to 2 out of 20 last year.",
            [(38.9, "%", "", 1, "7 out of 18 got full marks compared to 2 out of 20")],
        ),
        (  # was "10 nurses", up from 3
            "Now 8 in 10 nurses use the checklist, up from 3 in 10.",
            [(80.0, "%", "", 1, "8 in 10 nurses use the checklist, up from 3 in 10")],
        ),
        (
            "Only 2 of 12 clinics reported stockouts, down from 9 of 14.",
            [(16.7, "%", "", -1, "2 of 12 clinics reported stockouts, down from 9 of 14")],
        ),
        (  # was no claim
            "Referrals went from 3 in 10 to 8 in 10.",
            [(80.0, "%", "referrals", 1, "from 3 in 10 to 8 in 10")],
        ),
        (  # one whole, "of": still a range of counts
            "Attendance went from 12 of 30 to 25 of 30.",
            [(25.0, "", "attendance", 1, "from 12 of 30 to 25 of 30")],
        ),
        # a change of durations in two units is read in the second (was six to six: none)
        (
            "We cut waiting times from six months to six weeks.",
            [(6.0, "weeks", "waiting times", -1, "from six months to six weeks")],
        ),
        (
            "Sessions went from 2 hours to 90 minutes.",
            [(90.0, "minutes", "sessions", -1, "from 2 hours to 90 minutes")],
        ),
        # trial 32: counts of two named times ("in March ... in January"; was two claims)
        (
            "We had zero stockout days in March compared to 35 days in January.",
            [(0.0, "days", "", -1, "zero stockout days in March compared to 35 days in January")],
        ),
        (  # the earlier time first: still the later one's count, from the earlier one's
            "We saw 12 cases in 2023 against 30 in 2024.",
            [(30.0, "cases", "saw", 1, "12 cases in 2023 against 30 in 2024")],
        ),
        (
            "Home visits rose to 40 in June, compared with 25 in April.",
            [(40.0, "", "home visits", 1, "40 in June, compared with 25 in April")],
        ),
        # an age bracket is no amount (was a claim of 30.5 months)
        ("The new protocol for sick children 2-59 months is used district-wide.", []),
        # trial 33: a range whose first number has its time ("in Q1", "in the six months
        # before") was missed
        (
            "Mis-graded incident reports fell from 11 in Q1 to 4 in Q2.",
            [(4.0, "", "mis-graded incident", -1, "from 11 in Q1 to 4")],
        ),
        (
            "Device-related ulcers on ITU went from 9 in the six months before to 2 after.",
            [
                (
                    2.0,
                    "",
                    "device-related ulcers on ITU",
                    -1,
                    "from 9 in the six months before to 2",
                )
            ],
        ),
        # a count compared later in its clause (was "2 ulcers", a grade, and "two months")
        (
            "We had 0 new category 2 pressure ulcers in April and May, compared with 3 in the "
            "same two months last year.",
            [
                (
                    0.0,
                    "ulcers",
                    "",
                    -1,
                    "0 new category 2 pressure ulcers in April and May, compared with 3",
                )
            ],
        ),
        # the base of a rate is no quantity (was "1,000 days", down; the rate "000 bed days")
        (
            "Our incidence per 1,000 bed days fell from 1.9 to 1.2.",
            [(1.2, "", "incidence per 1,000 bed days", -1, "from 1.9 to 1.2")],
        ),
    ],
)
def test_hedged_changes_clauses_asides_and_ranges_of_counts(text, expected):
    assert claims(text) == expected


@pytest.mark.parametrize(
    ("earlier", "later"),
    list(zip(NAMED_MONTHS, NAMED_MONTHS[1:], strict=False)),
)
def test_counts_at_two_months_are_a_change_from_the_earlier_month(earlier, later):
    """Every month a named time may be, in calendar order, in the time patterns and in the
    order of the months (one list behind both)."""
    later_first = f"We had 10 stockout days in {later} compared to 20 days in {earlier}."
    earlier_first = f"We had 10 stockout days in {earlier} compared to 20 days in {later}."
    assert [c[:4] for c in claims(later_first)] == [(10.0, "days", "", -1)]
    assert [c[:4] for c in claims(earlier_first)] == [(20.0, "days", "", 1)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # trial 35: the length of an activity, whose "fall armyworm" read as a fall (was
        # 3 days, down, listed from the activities answer)
        ("Training of facilitators on fall armyworm scouting, 3 days at Mikundi.", []),
        ("Fall armyworm damage fell from 40% to 10%.",
         [(10.0, "%", "fall armyworm damage", -1, "from 40% to 10%")]),
        # trial 35: the count now and the count of last season (was "25 farmers", the whole)
        ("Of the 25 farmers in my Mtakataka school, 17 now have mulched plots, last season "
         "it was 4.", [(17.0, "plots", "", 1, "17 now have mulched plots, last season it was 4")]),
        ("Of the 25 farmers in my school, 17 use the ripper.", []),
        # trial 39: a part of a whole whose total has a possessive before it (was "16 girls",
        # the whole, "kept 15 of" what changed), read as "8 of 25 farmers" is
        ("We kept 15 of our 16 girls from last season, where the year before we lost half "
         "the squad.", [(15.0, "girls", "kept", 0, "15 of our 16 girls")]),
        ("Now 12 out of their 30 nurses use it.",
         [(12.0, "nurses", "", 0, "12 out of their 30 nurses")]),
        # trial 39: a length in the singular before a noun is the size of a thing (was
        # "▲ 6 weeks learned how to plan", its "making it up" an increase); a cue before it
        # still changes it, and a length of time is read as before
        ("I learned how to plan a 6 week block instead of making it up every Saturday.", []),
        ("A ten minute drill every session improved our passing.", []),
        ("We ran a 2 day course and attendance went up.", []),
        ("We increased it to a 12 week programme.",
         [(12.0, "weeks", "increased", 1, "12 week")]),
        ("Drills now take 10 minutes less.", [(10.0, "minutes", "drills", -1, "10 minutes")]),
        # trial 39: a length that sizes a thing, changed to another (was two decreases,
        # "6 week" and "2 weeks")
        ("We cut a 6 week backlog to 2 weeks.",
         [(2.0, "weeks", "backlog", -1, "6 week backlog to 2 weeks")]),
        ("We brought the 3-hour meeting down to 45 minutes.",
         [(45.0, "minutes", "meeting", -1, "3-hour meeting down to 45 minutes")]),
        # trial 38: the size of an activity (was 14, 3 and 37 people, three of the report's
        # "17 quantitative value claims"); a change or a rate of people stays a claim
        ("The reproducible-builds sprint. Two days, 14 people, lots of coffee.", []),
        ("Three people walked me through it.", []),
        ("37 people showed up.", []),
        ("The call had 14 participants.", []),
        ("Attendance went from 12 to 30 people.",
         [(30.0, "people", "attendance", 1, "from 12 to 30 people")]),
        ("Attendance grew to 40 people.", [(40.0, "people", "attendance", 1, "40 people")]),
        ("We now train 20 people a month.",
         [(20.0, "people/month", "train", 0, "20 people a month")]),
        ("Two teachers joined.", [(2.0, "teachers", "", 0, "Two teachers")]),
        # trial 39: a plural without an "s" after a word that is no unit (was no claim)
        ("We had 30 more people than last year.",
         [(30.0, "people", "", 1, "30 more people")]),
        ("We trained 40 more women this year.", [(40.0, "women", "trained", 1, "40 more women")]),
        ("Twelve extra children read at home.",
         [(12.0, "children", "", 1, "Twelve extra children")]),
        # trial 35: a local currency sign or an ISO code, before or after the amount (was
        # not read at all)
        ("It saved them money on chemicals (about MK 18,000 per farmer).",
         [(18000.0, "MWK", "saved", 1, "MK 18,000")]),
        ("Our group sold the maize for MK 450,000.",
         [(450000.0, "MWK", "group sold maize", 0, "MK 450,000")]),
        ("Fees fell from KSh 800 to KSh 500.",
         [(500.0, "KES", "fees", -1, "from KSh 800 to KSh 500")]),
        ("Income rose to UGX 60,000, up from USh 40,000.",
         [(60000.0, "UGX", "income", 1, "UGX 60,000, up from USh 40,000")]),
        ("We saved TZS 150,000 a year.",
         [(150000.0, "TZS/year", "saved", 1, "TZS 150,000 a year")]),
        ("Sales rose by K 1,500.", [(1500.0, "kwacha", "sales", 1, "K 1,500")]),
        ("Sales rose by ZMW 3,000.", [(3000.0, "ZMW", "sales", 1, "ZMW 3,000")]),
        ("We saved R 2,500 a month.", [(2500.0, "ZAR/month", "saved", 1, "R 2,500 a month")]),
        ("The fund raised ₦50,000.", [(50000.0, "NGN", "fund", 1, "₦50,000")]),
        ("Profit rose to GH₵ 800.", [(800.0, "GHS", "profit", 1, "GH₵ 800")]),
        ("They saved ₹1,200 per acre.", [(1200.0, "INR", "saved", 1, "₹1,200")]),
        ("We earned 4,000 MWK more.", [(4000.0, "MWK", "earned", 1, "4,000 MWK")]),
        ("Revenue grew to 1.5 million XOF.",
         [(1500000.0, "XOF", "revenue", 1, "1.5 million XOF")]),
        # a code that names what was counted, or spells a word, is no currency
        ("We ran 3 CAD sessions.", [(3.0, "sessions", "ran", 0, "3 CAD sessions")]),
        ("ALL 6 schools started on time.", [(6.0, "schools", "ALL", 0, "6 schools")]),
    ],
)  # fmt: skip
def test_lengths_of_activities_counts_now_and_then_and_local_currencies(text, expected):
    assert claims(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # trial 36: the day of a date is no count (was 12 teachers, 3 referrals)
        ("On May 12 teachers presented their units.", []),
        ("Since June 3 referrals have fallen.", []),
        ("By 12 May 30 teachers had joined.", [(30.0, "teachers", "", 0, "30 teachers")]),
        # nor part of what changed (was "12 attendance", "2026 staff turnover")
        ("By May 12 attendance rose by 20%.", [(20.0, "%", "attendance", 1, "20%")]),
        ("On May 12, 2026 staff turnover fell to 4%.",
         [(4.0, "%", "staff turnover", -1, "4%")]),
        # a range whose first number has its date (was not read)
        ("Attendance rose from 12 in mid-May to 30 in early June 2026.",
         [(30.0, "", "attendance", 1, "from 12 in mid-May to 30")]),
        ("Attendance went up, from 20 on 3 March to 35 on 12 May.",
         [(35.0, "", "attendance", 1, "from 20 on 3 March to 35")]),
        # counts at two dates: the later one's, from the earlier one's (was 12, up from 4)
        ("We had 12 stockouts in January compared with 4 in mid-May.",
         [(4.0, "stockouts", "", -1, "12 stockouts in January compared with 4 in mid-May")]),
        ("We had 35 stockout days on 12 May compared to 0 on 30 May.",
         [(0.0, "days", "", -1, "35 stockout days on 12 May compared to 0 on 30 May")]),
        ("We had 30 members on May 12 compared to 12 on March 3.",
         [(30.0, "members", "", 1, "30 members on May 12 compared to 12 on March 3")]),
        # "in" takes a month, not a day: the number after the month is a count, as before
        ("In March 12 nurses joined the network.", [(12.0, "nurses", "", 0, "12 nurses")]),
        ("During May 3 schools dropped out.", [(3.0, "schools", "during", 0, "3 schools")]),
        # a place and a year, a cohort's year: as before
        ("In Dedza 2026 we trained 25 farmers.", [(25.0, "farmers", "trained", 0, "25 farmers")]),
        ("The Class of 2025 saw pass rates rise from 71% to 80%.",
         [(80.0, "%", "class of 2025 saw pass rates", 1, "from 71% to 80%")]),
    ],
)  # fmt: skip
def test_dates_of_the_calendar_are_times_not_counts(text, expected):
    assert claims(text) == expected


def claims_and_baselines(text: str) -> list[tuple[float, str, str, int, float | None, str]]:
    """:func:`claims` with each claim's baseline (None when it has none) before its words."""
    stories = pd.DataFrame({"story_id": ["s1"], "organization": [text]})
    return [
        (
            round(r.number, 4),
            r.unit,
            r.change,
            r.direction,
            None if math.isnan(r.baseline) else r.baseline,
            r.expression,
        )
        for r in quantities(stories).itertuples()
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # trial 37: a return period "1-in-N" is one quantity, N (was 1 -> 30 years)
        ("The design flood is 1-in-100 years instead of 1-in-25.",
         [(100.0, "years", "design flood", 1, 25.0, "1-in-100 years instead of 1-in-25")]),
        ("Our design standard went from 1-in-10 years to 1-in-30 years.",
         [(30.0, "years", "design standard", 1, 10.0, "from 1-in-10 years to 1-in-30 years")]),
        # with spaces it is a share of a whole, as before
        ("Now 8 in 10 operators use it, up from 3 in 10.",
         [(80.0, "%", "", 1, 30.0, "8 in 10 operators use it, up from 3 in 10")]),
        # user trial: a return period with spaces before "years" is one, and so is the one it
        # is compared with (was a share, 3.3% down from 10%)
        ("The flood risk is now 1 in 30 years instead of 1 in 10.",
         [(30.0, "years", "flood risk", 1, 10.0, "1 in 30 years instead of 1 in 10")]),
        ("Our design standard went from 1 in 10 years to 1 in 30 years.",
         [(30.0, "years", "design standard", 1, 10.0, "from 1 in 10 years to 1 in 30 years")]),
        # "a 1-in-100-year storm": a period of the storm (was not read)
        ("The wall now holds a 1-in-100-year storm, up from 1-in-25.",
         [(100.0, "years", "storm", 1, 25.0, "1-in-100-year storm, up from 1-in-25")]),
        ("The wall now holds a 1 in 100-year storm instead of 1-in-25.",
         [(100.0, "years", "storm", 1, 25.0, "1 in 100-year storm instead of 1-in-25")]),
        ("We now cope with a 1 in 100 year flood instead of a 1 in 20 year flood.",
         [(100.0, "years", "flood", 1, 20.0, "1 in 100 year flood instead of a 1 in 20")]),
        # alone, a return period is a quantity, not the length of something (was none)
        ("The new wall protects against a 1-in-100-year storm.",
         [(100.0, "years", "storm", 0, None, "1-in-100-year storm")]),
        ("The flood risk is now 1 in 30 years.",
         [(30.0, "years", "flood risk", 0, None, "1 in 30 years")]),
        ("The design flood is 1-in-100 years.",
         [(100.0, "years", "design flood", 0, None, "1-in-100 years")]),
        # a length of time is still none
        ("The course lasted 30 years.", []),
    ],
)  # fmt: skip
def test_a_return_period_is_one_quantity(text, expected):
    assert claims_and_baselines(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # trial 37: a count after a place preposition and a determiner is where, even when
        # another amount in the sentence changed (was also "2 municipalities" down)
        ("Spare parts stock went down by EUR 8,000 at the two depots.",
         [(8000.0, "EUR", "spare parts stock", -1, None, "EUR 8,000")]),
        ("Energy costs fell by EUR 12,000 across the three pumping stations.",
         [(12000.0, "EUR", "energy costs", -1, None, "EUR 12,000")]),
        ("Leakage dropped 20% in all four zones.",
         [(20.0, "%", "leakage", -1, None, "20%")]),
        # a count in a place that changed, and a place without a determiner: as before
        ("Members grew in 8 WhatsApp groups.",
         [(8.0, "groups", "members", 1, None, "8 WhatsApp groups")]),
        ("We trained 40 new nurses across three hospitals.",
         [(40.0, "nurses", "trained", 0, None, "40 new nurses")]),
    ],
)  # fmt: skip
def test_a_count_of_places_is_where_another_amount_changed(text, expected):
    assert claims_and_baselines(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # trial 37: a zone's name in brackets is no part of what changed (was "DMA")
        ("Leakage in the north zone (DMA 3) fell from 18% to 12%.",
         [(12.0, "%", "leakage in north zone", -1, 18.0, "from 18% to 12%")]),
        ("Pressure complaints (Zone B) dropped by 30%.",
         [(30.0, "%", "pressure complaints", -1, None, "30%")]),
        # an open bracket still ends the clause, as before
        ("Fewer missed doses (audit: 40% to 12%).",
         [(12.0, "%", "", -1, 40.0, "40% to 12%")]),
    ],
)  # fmt: skip
def test_an_aside_in_brackets_is_not_what_changed(text, expected):
    assert claims_and_baselines(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # trial 37: units of measure are read, with their rate (was no claim)
        ("Fixing the leaks saved an estimated 250 m3 a day.",
         [(250.0, "m³/day", "fixing leaks saved", 1, None, "250 m3 a day")]),
        ("The new valves save about 90 m³ a day.",
         [(90.0, "m³/day", "new valves save", 1, None, "90 m³ a day")]),
        ("Night flow was cut by 12 m3/h.",
         [(12.0, "m³/hour", "night flow", -1, None, "12 m3/h")]),
        # the first number's unit is the bare second one's, and what it measures is what
        # changed (was "6 -> 11", no unit, labelled by the verb)
        ("We relined 4 km of sewer instead of 2.5.",
         [(4.0, "km", "sewer", 1, 2.5, "4 km of sewer instead of 2.5")]),
        ("We renewed 6 kilometres of the old sewers instead of 4.",
         [(6.0, "km", "old sewers", 1, 4.0, "6 kilometres of the old sewers instead of 4")]),
        # ranges in a unit of measure (was no unit)
        ("Flow at the outfall dropped from 40 l/s to 25.",
         [(25.0, "l/s", "flow at outfall", -1, 40.0, "from 40 l/s to 25")]),
        ("Pumping fell from 1,200 kWh to 950 kWh a day.",
         [(950.0, "kWh/day", "pumping", -1, 1200.0, "from 1,200 kWh to 950 kWh a day")]),
        # a bare "m" is a million, a word that starts like a unit is none: as before
        ("Tariff income rose to EUR 2 m.",
         [(2000000.0, "EUR", "tariff income", 1, None, "EUR 2 m")]),
        ("We have 5 hard workers.", [(5.0, "workers", "", 0, None, "5 hard workers")]),
    ],
)  # fmt: skip
def test_units_of_measure_and_what_they_measure(text, expected):
    assert claims_and_baselines(text) == expected


def test_what_a_share_of_people_say_names_what_changed() -> None:
    # the bundled "Staff survey: 78% say CPD is relevant, up from 41%." had no label
    frame = pd.DataFrame(
        {
            "story_id": ["a", "b", "c"],
            "organization": [
                "Staff survey: 78% say CPD is relevant, up from 41%.",
                "Now 64% of members agree that the clinic is useful, up from 30%.",
                "Attendance rose by 20% this term.",
            ],
        }
    )
    found = quantities(frame)
    assert found[["doc_id", "number", "change", "direction"]].values.tolist() == [
        ["a", 78.0, "say CPD is relevant", 1],
        ["b", 64.0, "agree the clinic is useful", 1],
        ["c", 20.0, "attendance", 1],
    ]
    assert found["baseline"].fillna(-1).tolist() == [41.0, 30.0, -1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # user trial: "no" things now, against a count before, is one claim from that count
        # to 0 (was "40 properties", no change, and the 12 complaints not read)
        ("There were no complaints from the 40 properties this winter, against 12 the year "
         "before.",
         [(0.0, "complaints", "", -1, 12.0,
           "no complaints from the 40 properties this winter, against 12 the year before")]),
        ("No complaints this year, compared with 12 last year.",
         [(0.0, "complaints", "", -1, 12.0,
           "No complaints this year, compared with 12 last year")]),
        # "no" before no plural noun counts nothing: the count after it is read, as before
        ("There were no longer 5 this year, against 12 the year before.",
         [(5.0, "", "no longer", -1, 12.0, "5 this year, against 12 the year before")]),
        # the count of a season beside the one before (was not read)
        ("We had 2 falls this winter, against 9 last winter.",
         [(2.0, "falls", "", -1, 9.0, "2 falls this winter, against 9 last winter")]),
    ],
)  # fmt: skip
def test_none_now_against_a_count_before_is_a_change_to_zero(text, expected):
    assert claims_and_baselines(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # user trial: saving land or things keeps them, no decrease (was -1)
        ("We saved 2 ha of wetland from development.",
         [(2.0, "ha", "wetland", 0, None, "2 ha")]),
        ("We saved 30 jobs.", [(30.0, "jobs", "saved", 0, None, "30 jobs")]),
        ("We protected 2 ha of wetland.", [(2.0, "ha", "wetland", 0, None, "2 ha")]),
        # the cue nearest the count is its own: a cut after the saving is still a decrease
        ("We saved 2 ha of wetland and cut 40 hours of travel.",
         [(2.0, "ha", "wetland", 0, None, "2 ha"), (40.0, "hours", "cut", -1, None, "40 hours")]),
        # saving what is used up is using less, as before: water, energy, money, time
        ("Fixing the leaks saved an estimated 250 m3 a day.",
         [(250.0, "m³/day", "fixing leaks saved", 1, None, "250 m3 a day")]),
        ("We saved 500 kg of fertiliser.", [(500.0, "kg", "saved fertiliser", 1, None, "500 kg")]),
        ("We saved two thousand pounds.",
         [(2000.0, "GBP", "saved", 1, None, "two thousand pounds")]),
        ("We reduced the wetland lost to 2 ha.",
         [(2.0, "ha", "wetland lost", -1, None, "2 ha")]),
    ],
)  # fmt: skip
def test_what_was_saved_from_loss_is_kept_not_cut(text, expected):
    assert claims_and_baselines(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # user trial: a bare "m" before "of" and what is measured is metres (was no claim)
        ("We replaced 300 m of pipe.", [(300.0, "m", "pipe", 0, None, "300 m")]),
        ("We laid 300m of new pipe.", [(300.0, "m", "new pipe", 0, None, "300m")]),
        ("We laid 300 m of new pipe instead of 120.",
         [(300.0, "m", "new pipe", 1, 120.0, "300 m of new pipe instead of 120")]),
        ("We replaced 300 metres of the old pipe.",
         [(300.0, "m", "old pipe", 0, None, "300 metres")]),
        # a million, as before: after a currency, before money or a noun, at the end
        ("We did £3 m of works.", [(3000000.0, "GBP", "did", 0, None, "£3 m")]),
        ("We attracted £3 m of funding.",
         [(3000000.0, "GBP", "attracted", 1, None, "£3 m")]),
        # (a count of people with no change is no claim: "users" keeps the million read)
        ("3m users rely on it.", [(3000000.0, "users", "", 0, None, "3m users")]),
        ("Tariff income rose to EUR 2 m.",
         [(2000000.0, "EUR", "tariff income", 1, None, "EUR 2 m")]),
        # "m of" money with no currency: no metres, and no claim, as before
        ("We attracted 3 m of new funding.", []),
    ],
)  # fmt: skip
def test_a_bare_m_before_what_is_measured_is_metres(text, expected):
    assert claims_and_baselines(text) == expected


def test_a_heading_before_a_colon_names_what_two_counts_count() -> None:
    # user trial: "Fewer procedures withdrawn at the last minute: ..." had no label; the
    # bundled "Fewer procedures withdrawn after publication: ..." is the one bundled claim
    # this changes
    frame = pd.DataFrame(
        {
            "story_id": ["a", "b", "c", "d"],
            "organization": [
                "Fewer procedures withdrawn at the last minute: 1 this year, 5 the year before.",
                # a heading of a claim that compares nothing: no label, as before
                "Network peer review: three heads visited our school.",
                # words before a colon that are a clause of their own: no label, as before
                "Trips cost less when we share a coach: 3 this year, 9 last year.",
                # an open bracket is no heading, as before
                "Fewer missed doses (audit: 40% to 12%).",
            ],
        }
    )
    found = quantities(frame)
    rows = found[["doc_id", "number", "unit", "change", "direction", "expression"]]
    assert rows.values.tolist() == [
        ["a", 1.0, "", "procedures withdrawn at last minute", -1,
         "1 this year, 5 the year before"],
        ["b", 3.0, "heads", "", 0, "three heads"],
        ["c", 3.0, "", "", -1, "3 this year, 9 last year"],
        ["d", 12.0, "%", "", -1, "40% to 12%"],
    ]  # fmt: skip
    assert found["baseline"].fillna(-1).tolist() == [5.0, -1, 9.0, 40.0]


def test_a_sentence_of_thousands_of_numbers_gives_one_claim_for_each() -> None:
    # each claim read its whole sentence, several times: 8,000 characters of "3 km " took
    # 40 s, and this sentence 33 s (now well under a second each); the claims are the same.
    # How the time grows with the sentence is measured by `make bench` (benchmarks.scaling)
    text = "Leakage fell by 20%, " * 400 + "and we saved 2 ha."
    found = quantities(pd.DataFrame({"story_id": ["s"], "organization": [text]}))
    rows = list(zip(found["number"], found["unit"], found["change"], found["direction"],
                    found["expression"], found["baseline"].isna(), strict=True))  # fmt: skip
    assert rows == [(20.0, "%", "leakage", -1, "20%", True)] * 400 + [
        (2.0, "ha", "saved", 0, "2 ha", True)
    ]
    found = quantities(pd.DataFrame({"story_id": ["s"], "organization": ["3 km " * 1600]}))
    assert (
        found[["number", "unit", "direction", "expression"]].values.tolist()
        == [[3.0, "km", 0, "3 km"]] * 1600
    )


def test_a_length_that_sizes_a_thing_changed_to_another_keeps_its_baseline() -> None:
    """Trial 39: "cut a 6 week backlog to 2 weeks" was two decreases, 6 and 2 weeks."""
    assert claims_and_baselines("We cut a 6 week backlog to 2 weeks.") == [
        (2.0, "weeks", "backlog", -1, 6.0, "6 week backlog to 2 weeks")
    ]
    assert claims_and_baselines("We brought the 3-hour meeting down to 45 minutes.") == [
        (45.0, "minutes", "meeting", -1, 180.0, "3-hour meeting down to 45 minutes")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # trial 42: an amount saved or avoided is a gain, up, and says it was saved (was
        # "▼ £38,000 saved", read as a fall in value)
        ("One outfall instead of two, saved roughly £38,000 in construction.",
         [(1.0, "", "", -1, 2.0, "One outfall instead of two"),
          (38000.0, "GBP", "saved", 1, None, "£38,000")]),
        ("We have saved about £6k on consultant review fees since September.",
         [(6000.0, "GBP", "saved", 1, None, "£6k")]),
        ("The trip costs less when two schools share a coach: £380 saved.",
         [(2.0, "schools", "trip costs less", -1, None, "two schools"),
          (380.0, "GBP", "saved", 1, None, "£380")]),
        ("Teachers report saving about 3 hours a week each on marking.",
         [(3.0, "hours/week", "teachers saving", 1, None, "3 hours a week")]),
        ("We avoided £10,000 of fines.", [(10000.0, "GBP", "avoided", 1, None, "£10,000")]),
        ("We avoided 3 call-outs.", [(3.0, "call-outs", "avoided", 1, None, "3 call-outs")]),
        # a fall of what costs is a fall, and what was lost went down (was no change)
        ("Costs fell by £2k.", [(2000.0, "GBP", "costs", -1, None, "£2k")]),
        ("We lost 3 members.", [(3.0, "members", "lost", -1, None, "3 members")]),
        ("A loss of £5,000 on the event.", [(5000.0, "GBP", "loss", -1, None, "£5,000")]),
        # a saving that a baseline compares is a change between the two, as before
        ("We saved £300 instead of £500.",
         [(300.0, "GBP", "saved", -1, 500.0, "£300 instead of £500")]),
    ],
)  # fmt: skip
def test_an_amount_saved_is_a_gain_and_what_was_lost_a_fall(text, expected):
    assert claims_and_baselines(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # trial 42: a scale written "1-5" is no amount; was a claim 3 -> 1 (the middle of
        # 1-5, then the 1 of 1-4)
        ("The inspection frequencies for category 2 structures, and the fact that the "
         "condition scoring changed from 1-5 to 1-4.", []),
        ("Scores reduced 1-5 to 1-4.", []),  # none, as before: 5 is no start, 1 no end
        ("The scale 1-5 -> 1-4.", []),  # was 5 -> 1
        ("Pain scores went from 0-10 to 3.", []),  # was 5 -> 3
        # a rough amount written as a range is read as its middle, at either end (the range
        # it came to was cut to its first number: 25 -> 10)
        ("Calls fell from 20-30 a week to 10-15.",
         [(12.5, "", "calls", -1, 25.0, "from 20-30 a week to 10-15")]),
        ("Review time fell from 2-3 weeks to 1-2 weeks.",
         [(1.5, "weeks", "review time", -1, 2.5, "from 2-3 weeks to 1-2 weeks")]),
        ("Help requests dropped from about 20 a week to 5.",
         [(5.0, "", "help requests", -1, 20.0, "from about 20 a week to 5")]),
    ],
)  # fmt: skip
def test_a_scale_or_range_is_never_two_numbers_of_a_change(text, expected):
    assert claims_and_baselines(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # trial 42: "not" compares a count with the one it replaced (was "2 snags", no change)
        ("Commissioning went ok, 2 snags not 15 like last time",
         [(2.0, "snags", "", -1, 15.0, "2 snags not 15")]),
        ("Meetings take 2 hours, not 3.", [(2.0, "hours", "meetings", -1, 3.0, "2 hours, not 3")]),
        ("It cost £300 not £500.", [(300.0, "GBP", "cost", -1, 500.0, "£300 not £500")]),
        # a "not" that counts none or a part is no baseline
        ("We trained 12 staff, not 2 of them from the depot.",
         [(12.0, "staff", "trained", 0, None, "12 staff")]),
        ("We had 4 visits, not one of them useful.", [(4.0, "visits", "", 0, None, "4 visits")]),
    ],
)  # fmt: skip
def test_not_compares_a_count_with_the_one_it_replaced(text, expected):
    assert claims_and_baselines(text) == expected


def test_a_baseline_in_another_unit_is_kept_as_she_wrote_it() -> None:
    """Trial 42: "3 weeks not 3 months" was drawn "13 -> 3 weeks": the months are converted
    to compare them, and the words of the baseline are kept for the label."""
    stories = pd.DataFrame(
        {
            "story_id": ["a", "b", "c", "d"],
            "organization": [
                "I got the flood consent in 3 weeks not 3 months.",
                "Permit time fell from six months to six weeks.",
                "Patch releases now go out in a day instead of a week.",
                "Permit time fell from 6 weeks to 3.",
            ],
        }
    )
    found = quantities(stories)
    assert found["baseline"].round(2).tolist() == [13.04, 26.09, 7.0, 6.0]
    assert found["baseline_said"].tolist() == ["3 months", "6 months", "1 week", ""]
    assert str(found["baseline_said"].dtype) == "string"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # trial 44: an amount of a time before and one of the time now are one change (was
        # 3 bags and 10 bags, neither a change, and the yield gain was not drawn)
        ("Last season I harvested 3 bags, this season I got 10 bags.",
         [(10.0, "bags", "harvested", 1, 3.0, "3 bags, this season I got 10 bags")]),
        ("Before I was harvesting 3 bags on one acre, this season I got 10 bags.",
         [(10.0, "bags", "harvesting", 1, 3.0,
           "3 bags on one acre, this season I got 10 bags")]),
        ("Before, a permit took 6 weeks; now it takes 2 weeks.",
         [(2.0, "weeks", "permit", -1, 6.0, "6 weeks; now it takes 2 weeks")]),
        # no time now, or another unit now, is no change
        ("Last season I harvested 3 bags and sold 2 bags.",
         [(3.0, "bags", "harvested", 0, None, "3 bags"),
          (2.0, "bags", "sold", 0, None, "2 bags")]),
        ("Last year we had 40 members and this year 12 of them left.",
         [(40.0, "members", "", 0, None, "40 members")]),
    ],
)  # fmt: skip
def test_an_amount_then_and_one_now_are_a_change(text, expected):
    assert claims_and_baselines(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # trial 44: an amount more or less than at a time before is a rise or a fall (was
        # direction 0: 26 of her 38 KES claims had none)
        ("I sold beans at KES 23,500 more than last season.",
         [(23500.0, "KES", "sold beans", 1, None, "KES 23,500")]),
        ("I harvested 5 bags fewer than the year before.",
         [(5.0, "bags", "harvested", -1, None, "5 bags")]),
        # "more than" before the amount is a bound; more than others is no change
        ("We earned more than KES 4,000 last year.",
         [(4000.0, "KES", "earned more", 0, None, "KES 4,000")]),
        ("We earned KES 4,000 more than the other group.",
         [(4000.0, "KES", "earned", 0, None, "KES 4,000")]),
        # trial 44: the size of a bag, sack, tin or crate is no claim (16 of her 127 claims
        # were a bag's 90 kg), as "sell in 50kg bags" was not
        ("Before I was harvesting 3 bags of 90kg on one acre, this season I got 10 bags.",
         [(10.0, "bags", "harvesting", 1, 3.0,
           "3 bags of 90kg on one acre, this season I got 10 bags")]),
        ("My maize went from 3 bags to 11 bags per acre (90 kg bags).",
         [(11.0, "bags", "maize", 1, 3.0, "from 3 bags to 11 bags")]),
        ("We sold 3 crates of 20 litres and a 20 litre tin of oil for KES 900.",
         [(3.0, "crates", "sold", 0, None, "3 crates"),
          (900.0, "KES", "20 litre tin of oil", 0, None, "KES 900")]),
        ("Our yield rose to 900 kg per acre.",
         [(900.0, "kg", "yield", 1, None, "900 kg")]),
    ],
)  # fmt: skip
def test_more_than_a_time_before_is_a_change_and_a_bags_size_no_claim(text, expected):
    assert claims_and_baselines(text) == expected
