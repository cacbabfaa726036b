"""plot_quantities: one row per claim, grouped by unit, bars within a unit."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from copanalysis.plots import plot_quantities

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
    ax = plot_quantities(CLAIMS)
    bars = {p.get_gid(): p.get_width() for p in ax.patches}
    assert set(bars) == {"claim:0", "claim:1", "claim:2", "claim:3"}
    assert bars["claim:0"] == pytest.approx(bars["claim:3"] * 30 / 60)
    assert bars["claim:1"] == pytest.approx(bars["claim:3"])  # the largest in weeks
    plt.close(ax.figure)


def test_rows_show_direction_amount_change_and_story():
    ax = plot_quantities(CLAIMS)
    texts = [t.get_text() for t in ax.texts]
    assert texts[:9] == [
        "Percentages (2)",
        "▲",
        "60%",
        "attendance",
        "s4",
        "▼",
        "30%",
        "waiting time",
        "s1",
    ]
    assert "15,000 EUR" in texts and "we saved 15000 EUR" in texts  # quote when no change
    assert "Weeks (1)" in texts
    plt.close(ax.figure)


def test_max_claims_says_how_many_are_left_out():
    ax = plot_quantities(CLAIMS, max_claims=2)
    assert len(ax.patches) == 2
    assert "… and 2 more claims not shown" in [t.get_text() for t in ax.texts]
    plt.close(ax.figure)


def test_no_claims_says_so():
    ax = plot_quantities(CLAIMS.iloc[:0])
    assert "No quantitative claims found" in [t.get_text() for t in ax.texts]
    plt.close(ax.figure)
