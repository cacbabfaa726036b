"""plot_enablers_challenges: enablers right, challenges left, sorted by total."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd

from copanalysis.plots import plot_enablers_challenges
from copanalysis.plots.palette import CHALLENGE, ENABLER

BALANCE = pd.DataFrame(
    {
        "code": ["TIME", "TRUST", "TECH"],
        "label": ["Time & workload", "Trust & safety", "Technology"],
        "n_enablers": [2, 6, 0],
        "n_challenges": [9, 1, 3],
        "n_neutral": [1, 0, 0],
        "net": [-7, 5, -3],
    }
)


def test_bars_diverge_from_zero_with_the_counts():
    ax = plot_enablers_challenges(BALANCE)
    bars = {p.get_gid(): p for p in ax.patches}
    assert bars["enablers:TIME"].get_x() == 0 and bars["enablers:TIME"].get_width() == 2
    assert bars["challenges:TIME"].get_x() == -9 and bars["challenges:TIME"].get_width() == 9
    assert bars["enablers:TECH"].get_width() == 0
    assert matplotlib.colors.to_hex(bars["enablers:TRUST"].get_facecolor()) == ENABLER.lower()
    assert matplotlib.colors.to_hex(bars["challenges:TRUST"].get_facecolor()) == CHALLENGE.lower()
    plt.close(ax.figure)


def test_sorted_by_total_with_labels_and_sides():
    ax = plot_enablers_challenges(BALANCE)
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Technology",
        "Trust & safety",
        "Time & workload",
    ]
    texts = [t.get_text() for t in ax.texts]
    assert "◀ challenges" in texts and "enablers ▶" in texts
    assert "9" in texts and "6" in texts
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks and not any(t.startswith(("−", "-")) for t in ticks)  # counts, not signs
    plt.close(ax.figure)


def test_top_limits_the_themes():
    ax = plot_enablers_challenges(BALANCE, top=1)
    assert {p.get_gid() for p in ax.patches} == {"enablers:TIME", "challenges:TIME"}
    plt.close(ax.figure)


def test_keyword_arguments_reach_both_sides_bars():
    ax = plot_enablers_challenges(BALANCE, alpha=0.4, height=0.5)
    assert {p.get_alpha() for p in ax.patches} == {0.4}
    assert {round(p.get_height(), 2) for p in ax.patches} == {0.5}
    plt.close(ax.figure)


def test_the_uncoded_note_counts_passages_as_the_summary_does():
    table = BALANCE.copy()
    table.attrs.update(min_confidence=0.6, abstained=46)  # sentences, not statements
    ax = plot_enablers_challenges(table)
    assert ax.get_xlabel() == (
        "Number of mentions\n46 passages left uncoded (every code below 0.60 confidence)"
    )
    plt.close(ax.figure)
