"""plot_quantities: one row per claim, grouped by unit, bars within a unit."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from copanalysis.plots import plot_quantities
from copanalysis.plots.canvas import PAGE_WIDTH, text_overlaps

CLAIMS = pd.DataFrame(
    {
        "doc_id": ["s1", "s2", "s3", "s4"],
        "field": "organization",
        "start": 0,
        "end": 1,
        "quote": ["", "", "we saved 15000 EUR", ""],
        "number": [30.0, 6.0, 15000.0, 60.0],
        "unit": ["%", "weeks", "EUR", "%"],
        "change": ["waiting time", "lead time", "", "attendance"],
        "direction": [-1, -1, 0, 1],
    }
)


def test_bars_are_proportional_within_each_unit():
    ax = plot_quantities(CLAIMS, min_unit_claims=1)
    bars = {p.get_gid(): p.get_width() for p in ax.patches}
    assert set(bars) == {"claim:0", "claim:1", "claim:3"}  # claim 2 states no change
    assert bars["claim:0"] == pytest.approx(bars["claim:3"] * 30 / 60)
    assert bars["claim:1"] == pytest.approx(bars["claim:3"])  # the largest in weeks
    plt.close(ax.figure)


def test_rows_show_direction_amount_change_and_story():
    ax = plot_quantities(CLAIMS, min_unit_claims=1)
    texts = [t.get_text() for t in ax.texts]
    assert texts[:9] == [
        "Changes, in percent (2)",
        "▲",
        "+60%",
        "attendance",
        "s4",
        "▼",
        "−30%",
        "waiting time",
        "s1",
    ]
    assert "€15,000" in texts and "“we saved 15000 EUR" in texts  # quote when no change
    assert "Weeks (1)" in texts
    plt.close(ax.figure)


def test_units_with_one_claim_are_gathered_without_bars():
    ax = plot_quantities(CLAIMS)
    texts = [t.get_text() for t in ax.texts]
    assert [t for t in texts if t.endswith(")")] == [
        "Changes, in percent (2)",
        "Other units (1)",
        "Amounts with no change stated (1)",
    ]
    # the other units come next, each amount with its unit; amounts that state no change
    # last (trials 31 and 33: "63 starters", "two wards" filled the chart)
    assert texts.index("Other units (1)") < texts.index("6 weeks")
    assert texts.index("6 weeks") < texts.index("Amounts with no change stated (1)")
    assert texts.index("Amounts with no change stated (1)") < texts.index("€15,000")
    bars = {p.get_gid(): p.get_width() for p in ax.patches}
    assert set(bars) == {"claim:0", "claim:3"}
    assert bars["claim:0"] == pytest.approx(bars["claim:3"] / 2)
    plt.close(ax.figure)


def test_the_sentence_of_a_claim_is_under_what_changed():
    claims = CLAIMS.assign(quote=["Waiting time fell by 30%.", "", "we saved 15000 EUR", ""])
    ax = plot_quantities(claims)
    by_gid = {t.get_gid(): t for t in ax.texts if t.get_gid()}
    assert by_gid["what:0"].get_text() == "waiting time"
    under = by_gid["quote:0"]
    assert under.get_text() == "“Waiting time fell by 30%.”"
    assert under.get_position()[1] > by_gid["what:0"].get_position()[1]  # y runs down
    assert under.get_fontstyle() == "italic"
    assert "quote:3" not in by_gid  # no sentence, no second line
    plt.close(ax.figure)


def test_a_claim_without_a_change_splits_its_sentence_over_two_lines():
    long = "The trip costs less when two schools share a coach: £380 saved on every visit."
    claims = CLAIMS.assign(quote=["", "", long, ""])
    ax = plot_quantities(claims)
    by_gid = {t.get_gid(): t.get_text() for t in ax.texts if t.get_gid()}
    first, second = by_gid["what:2"], by_gid["quote:2"]
    assert first.startswith("“The trip costs") and second.endswith("visit.”")
    assert " ".join((first + " " + second).strip("“”").split()) == long
    plt.close(ax.figure)


def test_many_claims_in_many_units_fit_without_overlaps():
    rng = np.random.default_rng(3)
    units = ["%"] * 12 + ["days"] * 3 + [f"unit{i}" for i in range(12)]
    claims = pd.DataFrame(
        {
            "doc_id": [f"community-story-{i:03d}" for i in range(len(units))],
            "number": rng.integers(1, 500, len(units)).astype(float),
            "unit": units,
            "change": ["length of stay for elective hip replacements in the region"] * len(units),
            "direction": rng.choice([-1, 1], len(units)),
            "quote": ["Average length of stay for elective hips went from 4.1 to 3.4 days " * 2]
            * len(units),
        }
    )
    ax = plot_quantities(claims)
    texts = [t.get_text() for t in ax.texts]
    assert "Changes, in percent (12)" in texts and "Days (3)" in texts
    assert "Other units (5 of 12 shown)" in texts
    assert "… and 7 more claims not shown" in texts
    assert len(ax.patches) == 15
    assert text_overlaps(ax.figure) == []
    width, height = ax.figure.get_size_inches()
    assert width == pytest.approx(PAGE_WIDTH) and height < 10.5  # one A4 page
    plt.close(ax.figure)


def test_max_claims_says_how_many_are_left_out():
    ax = plot_quantities(CLAIMS, max_claims=2)
    assert len(ax.patches) == 2  # the two percentages
    assert "… and 2 more claims not shown" in [t.get_text() for t in ax.texts]
    plt.close(ax.figure)


def test_no_claims_says_so():
    ax = plot_quantities(CLAIMS.iloc[:0])
    assert "No quantitative claims found" in [t.get_text() for t in ax.texts]
    plt.close(ax.figure)


def test_keyword_arguments_reach_the_bars():
    from matplotlib.colors import to_rgba

    ax = plot_quantities(CLAIMS, color="black", alpha=0.5)
    bars = [p for p in ax.patches if (p.get_gid() or "").startswith("claim:")]
    assert bars and {p.get_facecolor() for p in bars} == {to_rgba("black", 0.5)}
    plt.close(ax.figure)


def test_percent_levels_and_percent_changes_are_never_on_one_scale():
    claims = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d", "e"],
            "number": [84.0, 19.0, 40.0, 15.0, 3.4],
            "unit": ["%", "%", "%", "%", "days"],
            "baseline": [61.0, 27.0, None, None, 4.1],
            "change": ["compliance", "non-revenue water", "potholes", "milk", "stay"],
            "direction": [1, -1, -1, 1, -1],
            "quote": "",
        }
    )
    ax = plot_quantities(claims, min_unit_claims=1)
    texts = [t.get_text() for t in ax.texts]
    headings = [t for t in texts if t.endswith(")")]
    assert headings == [
        "Percentages, from → to, on 0–100% (2)",
        "Changes, in percent (2)",
        "Days (1)",
    ]
    amounts = [t.get_text() for t in ax.texts if t.get_fontweight() == "bold"]
    assert [a for a in amounts if not a.endswith(")")] == [
        "61% → 84%",
        "27% → 19%",
        "−40%",
        "+15%",
        "4.1 → 3.4 days",
    ]
    bars = {p.get_gid(): p.get_width() for p in ax.patches}
    # levels on 0-100%: 84% is 84/19 of 19%; changes against the largest change
    assert bars["claim:0"] == pytest.approx(bars["claim:1"] * 84 / 19)
    assert bars["claim:2"] == pytest.approx(bars["claim:0"] * 100 / 84)  # the largest change
    assert bars["claim:3"] == pytest.approx(bars["claim:2"] * 15 / 40)
    ticks = {line.get_gid(): line.get_xdata()[0] for line in ax.lines if line.get_gid()}
    left = ax.patches[0].get_x()
    assert set(ticks) == {"baseline:0", "baseline:1", "baseline:4"}
    assert ticks["baseline:0"] - left == pytest.approx(bars["claim:0"] * 61 / 84)
    # any unit: "4.1 -> 3.4 days" is a bar to 3.4 and a tick at 4.1, the scale's end
    assert ticks["baseline:4"] - left == pytest.approx(bars["claim:4"] * 4.1 / 3.4)
    plt.close(ax.figure)


def test_up_and_down_share_one_colour_that_is_not_the_challenge_colour():
    from copanalysis.plots.palette import OKABE_ITO

    ax = plot_quantities(CLAIMS, min_unit_claims=1)
    arrows = {t.get_text(): t.get_color() for t in ax.texts if t.get_text() in {"▲", "▼"}}
    assert set(arrows) == {"▲", "▼"}
    assert arrows["▲"] == arrows["▼"] == OKABE_ITO["blue"]  # a fall in waiting time is value
    from matplotlib.colors import to_rgb

    directed = {p.get_facecolor()[:3] for p in ax.patches if p.get_gid() != "claim:2"}
    assert directed == {to_rgb(OKABE_ITO["blue"])}  # claim 2 states no direction: grey
    plt.close(ax.figure)


def test_a_claim_pasted_into_many_answers_is_one_row_that_counts_its_stories():
    same = {"number": 0.8, "unit": "days", "change": "length of stay", "direction": -1}
    pasted = pd.DataFrame(
        [
            {"doc_id": f"r{i}", "quote": "Length of stay fell by 0.8 days.", **same}
            for i in range(40)
        ]
    )
    ax = plot_quantities(pd.concat([pasted, CLAIMS], ignore_index=True), min_unit_claims=1)
    bars = [p.get_gid() for p in ax.patches]
    assert len(bars) == 1 + len(CLAIMS) - 1  # claim 2 states no change: no bar
    assert "r0 +39 more" in [t.get_text() for t in ax.texts]
    plt.close(ax.figure)


def test_one_claim_retyped_lower_cased_or_joined_to_another_sentence_is_one_row():
    # trial 41: the same "52% -> 61%" claim filled 19 of 20 rows, each told a little
    # differently; the row shows the sentence most answers use
    same = {"number": 61.0, "unit": "%", "baseline": 52.0, "direction": 1}
    told = "Reading scores in 4th grade went from 52% to 61%."
    quotes = [
        told,
        told,
        told.lower(),
        "Reading  scores in 4th grade went from 52% to 61% , teh best year.",
        "Attendance improved a bit; " + told,
    ]
    changes = [
        "reading scores in 4th grade",
        "reading scores in 4th grade",
        "reading scores in 4th grade",
        "Reading scores in  4th grade",
        "reading scores in 4th grade",
    ]
    table = pd.DataFrame(
        [
            {"doc_id": f"r{i}", "quote": q, "change": c, **same}
            for i, (q, c) in enumerate(zip(quotes, changes, strict=True))
        ]
        + [
            {"doc_id": "r9", "quote": told, "change": "reading scores in 4th grade", **same}
        ]  # a story that told it twice counts once
        + [{"doc_id": "r5", "quote": "Maths went from 52% to 61%.", "change": "maths", **same}]
    )
    ax = plot_quantities(table, min_unit_claims=1)
    texts = [t.get_text() for t in ax.texts]
    assert sorted(p.get_gid() for p in ax.patches) == ["claim:0", "claim:6"]
    assert "r0 +5 more" in texts  # r0-r4 and r9: six stories
    assert f"“{told}”" in texts  # the wording most answers use
    assert not any("Attendance" in t for t in texts)
    plt.close(ax.figure)


def test_an_amount_saved_is_drawn_up_and_a_fall_in_costs_or_members_down():
    """Trial 42: "£38,000 saved" and "£6,000 saved" had a ▼, a fall in value to a reader."""
    stories = pd.DataFrame(
        {
            "story_id": ["s1", "s2", "s3", "s4"],
            "organization": [
                "One outfall instead of two, saved roughly £38,000 in construction.",
                "We have saved about £6k on consultant review fees since September.",
                "Costs fell by £2k.",
                "We lost 3 members.",
            ],
        }
    )
    ax = plot_quantities(stories, min_unit_claims=1)
    texts = [t.get_text() for t in ax.texts]
    rows = {
        texts[i + 1]: (texts[i], texts[i + 2])  # the amount: its arrow and what changed
        for i, t in enumerate(ax.texts)
        if str(t.get_gid()).startswith("direction:")
    }
    assert rows["£38,000"] == ("▲", "saved")
    assert rows["£6,000"] == ("▲", "saved")
    assert rows["£2,000"] == ("▼", "costs")
    assert rows["3 members"] == ("▼", "lost")
    plt.close(ax.figure)


def test_a_change_between_units_is_labelled_in_her_units():
    """Trial 42: "3 weeks not 3 months" was "13 → 3 weeks" and "2 snags not 15" had no
    change."""
    stories = pd.DataFrame(
        {
            "story_id": ["s1", "s2"],
            "organization": [
                "I got the flood consent in 3 weeks not 3 months.",
                "Commissioning went ok, 2 snags not 15 like last time",
            ],
        }
    )
    ax = plot_quantities(stories)
    texts = [t.get_text() for t in ax.texts]
    # too long for the amount's column on one line: split after its arrow, not cut
    assert texts[texts.index("3 months →") :][:2] == ["3 months →", "3 weeks"]
    assert "15 → 2 snags" in texts
    assert not any(t.startswith("13") for t in texts)
    assert texts[texts.index("15 → 2 snags") - 1] == "▼"
    assert text_overlaps(ax.figure) == []
    plt.close(ax.figure)


def test_every_unit_s_group_takes_its_turn_under_max_claims():
    # trial 44: 25 claims in bags filled the 20 rows, and none of the amounts in KES
    # (the savings a donor looks for) was drawn
    units = ["bags"] * 25 + ["KES"] * 5
    claims = pd.DataFrame(
        {
            "doc_id": [f"s{i}" for i in range(len(units))],
            "number": [float(10 + i) for i in range(25)] + [180000.0, 23500.0, 4500.0, 900, 50],
            "unit": units,
            "change": ["harvest"] * 25 + ["savings"] * 5,
            "direction": [1] * len(units),
            "quote": [""] * len(units),
        }
    )
    ax = plot_quantities(claims, max_claims=20)
    texts = [t.get_text() for t in ax.texts]
    assert "Bags (15 of 25 shown)" in texts
    assert any(t.endswith("(5)") and not t.startswith("Bags") for t in texts)
    assert "… and 10 more claims not shown" in texts
    assert len(ax.patches) == 20
    plt.close(ax.figure)
