"""plot_agreement: points at the statistic, error bars at the CI, reference lines."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from copanalysis.errors import SchemaError
from copanalysis.plots import plot_agreement
from copanalysis.plots.canvas import text_overlaps

TABLE = pd.DataFrame(
    {
        "code": ["potential", "immediate", "reframing"],
        "units": [60, 60, 60],
        "n_coders": [2, 2, 2],
        "percent_agreement": [0.8, 0.9, 1.0],
        "cohen_kappa": [0.52, 0.81, np.nan],
        "fleiss_kappa": [0.5, 0.8, np.nan],
        "krippendorff_alpha": [0.5, 0.8, np.nan],
        "alpha_low": [0.3, 0.7, np.nan],
        "alpha_high": [0.66, 0.88, np.nan],
    }
)


def test_points_and_error_bars_equal_the_table():
    ax = plot_agreement(TABLE)
    container = ax.containers[0]
    points = container.lines[0]
    # immediate is drawn first (cycle order), on top
    assert points.get_xdata().tolist() == [0.8, 0.5]
    segments = container.lines[2][0].get_segments()
    assert [s[:, 0].tolist() for s in segments] == [[0.7, 0.88], [0.3, 0.66]]
    assert points.get_ydata().tolist() == [0.0, -1.0]  # one row per code, downwards
    plt.close(ax.figure)


def test_reference_lines_and_landis_koch_bands():
    ax = plot_agreement(TABLE, statistic="cohen_kappa")
    vertical = sorted(line.get_xdata()[0] for line in ax.lines if line.get_linestyle() == "--")
    assert vertical == [0.6, 0.8]
    texts = [t.get_text() for t in ax.texts]
    assert {"moderate", "substantial", "almost\nperfect", "n/a"} <= set(texts)
    plt.close(ax.figure)


def test_alpha_gets_krippendorff_s_bands_and_the_axis_says_what_its_lines_are():
    # trial 45: Landis & Koch's kappa words at 0.6 and 0.8 on a Krippendorff's alpha axis,
    # whose own bounds are 0.667 and 0.800; the whiskers and the units were not said
    table = TABLE.copy()
    table.attrs.update(confidence=0.95, units_are="segments")
    ax = plot_agreement(table)
    vertical = sorted(line.get_xdata()[0] for line in ax.lines if line.get_linestyle() == "--")
    assert vertical == [0.667, 0.8]
    texts = {t.get_text() for t in ax.texts}
    assert {"unreliable", "tentative", "reliable"} <= texts
    assert not {"moderate", "substantial"} & texts
    assert ax.get_xlabel() == "Krippendorff's α (lines: 95% bootstrap intervals)"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["coders compared: 60 segments per code"]
    plt.close(ax.figure)


def test_the_default_labels_and_legend():
    ax = plot_agreement(TABLE)
    texts = [t.get_text() for t in ax.texts]
    assert "n/a" in texts
    labels = [t.get_text() for t in ax.get_yticklabels()]
    # labels from the built-in codebook; the units per code go to the legend
    assert labels == ["Immediate value", "Potential value", "Reframing value"]
    assert ax.get_xlabel() == "Krippendorff's α"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["coders compared: 60 units per code"]
    plt.close(ax.figure)


def test_kappa_without_intervals_draws_points_only():
    ax = plot_agreement(TABLE, statistic="cohen_kappa")
    segments = ax.containers[0].lines[2][0].get_segments()
    assert all(s[0, 0] == s[1, 0] for s in segments)
    assert ax.containers[0].lines[0].get_xdata().tolist() == [0.81, 0.52]
    plt.close(ax.figure)


def test_missing_statistic_is_named():
    with pytest.raises(SchemaError, match="'fleiss_kappa'"):
        plot_agreement(TABLE.drop(columns="fleiss_kappa"), statistic="fleiss_kappa")


def test_kappa_intervals_come_from_kappa_low_and_high():
    table = TABLE.assign(kappa_low=[0.4, 0.7, np.nan], kappa_high=[0.6, 0.9, np.nan])
    ax = plot_agreement(table, statistic="cohen_kappa")
    segments = ax.containers[0].lines[2][0].get_segments()
    assert [s[:, 0].tolist() for s in segments] == [[0.7, 0.9], [0.4, 0.6]]
    plt.close(ax.figure)


POOLED = pd.concat(
    [
        TABLE,
        pd.DataFrame(
            {
                "code": ["(all codes)"],
                "units": [180],
                "krippendorff_alpha": [0.6],
                "alpha_low": [0.5],
                "alpha_high": [0.7],
            }
        ),
    ],
    ignore_index=True,
)


def test_the_pooled_row_comes_last_after_a_gap_in_bold():
    ax = plot_agreement(POOLED)
    points = ax.containers[0].lines[0]
    assert points.get_xdata().tolist() == [0.8, 0.5, 0.6]
    y = points.get_ydata().tolist()
    assert y[0] - y[1] == pytest.approx(1.0)
    assert y[1] - y[2] > 2.0  # reframing (n/a) between, then the gap
    labels = ax.get_yticklabels()
    assert labels[-1].get_text() == "All codes, pooled"
    assert labels[-1].get_fontweight() == "bold" and labels[0].get_fontweight() != "bold"
    plt.close(ax.figure)


def test_one_point_and_interval_per_comparison():
    humans = TABLE.assign(
        krippendorff_alpha=[0.7, 0.9, 0.4],
        alpha_low=[0.55, 0.8, 0.1],
        alpha_high=[0.82, 0.97, 0.6],
        units=[30, 30, 30],
    )
    table = pd.concat(
        [
            POOLED.assign(comparison="machine vs human"),
            humans.assign(comparison="human vs human"),
        ],
        ignore_index=True,
    )
    ax = plot_agreement(table)
    machine, human = ax.containers
    assert [c.get_label() for c in ax.containers] == ["machine vs human", "human vs human"]
    bounds = {
        c.get_label(): [s[:, 0].round(9).tolist() for s in c.lines[2][0].get_segments()]
        for c in ax.containers
    }
    assert bounds["machine vs human"] == [[0.7, 0.88], [0.3, 0.66], [0.5, 0.7]]
    assert bounds["human vs human"] == [[0.8, 0.97], [0.55, 0.82], [0.1, 0.6]]
    # same code order, dodged: the first comparison just above the second
    my, hy = machine.lines[0].get_ydata(), human.lines[0].get_ydata()
    assert machine.lines[0].get_xdata().tolist() == [0.8, 0.5, 0.6]
    assert human.lines[0].get_xdata().tolist() == [0.9, 0.7, 0.4]
    assert my[0] > hy[0] > my[1] > hy[1]
    assert 0 < my[0] - hy[0] < 0.5
    assert to_hex(machine.lines[0].get_color()) != to_hex(human.lines[0].get_color())
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [
        "machine vs human: 60 units per code",
        "human vs human: 30 units per code",
    ]
    assert text_overlaps(ax.figure) == []
    plt.close(ax.figure)


def test_sub_codes_follow_their_parent_indented():
    table = pd.DataFrame(
        {
            "code": ["potential_human", "applied", "potential", "immediate"],
            "units": 50,
            "krippendorff_alpha": [0.3, 0.5, 0.6, 0.7],
        }
    )
    ax = plot_agreement(table)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [
        "Immediate value",
        "Potential value",
        "\u2003└ Human capital",
        "Applied value",
    ]
    assert {t.get_horizontalalignment() for t in ax.get_yticklabels()} == {"left"}
    assert ax.containers[0].lines[0].get_xdata().tolist() == [0.7, 0.6, 0.3, 0.5]
    plt.close(ax.figure)


def test_unequal_units_are_written_beside_each_value():
    ax = plot_agreement(TABLE.assign(units=[60, 45, 60]))
    texts = [t.get_text() for t in ax.texts]
    assert "0.80  (n = 45)" in texts and "0.50  (n = 60)" in texts
    assert ax.get_legend() is None
    plt.close(ax.figure)


def test_keyword_arguments_reach_the_error_bars():
    from matplotlib.colors import to_rgba

    ax = plot_agreement(TABLE, color="black", markersize=3)
    points = ax.containers[0].lines[0]
    assert to_rgba(points.get_color()) == to_rgba("black") and points.get_markersize() == 3
    plt.close(ax.figure)


def test_value_labels_are_opaque_over_the_dashed_lines():
    ax = plot_agreement(TABLE)
    labels = [t for t in ax.texts if t.get_text() in {"0.50", "0.80"}]
    assert len(labels) == 2
    # a see-through backing let the 0.6 and 0.8 lines strike the labels through
    assert all(t.get_bbox_patch().get_alpha() in (None, 1.0) for t in labels)
    assert all(t.get_zorder() > 1 for t in labels)
    plt.close(ax.figure)


def test_every_landis_koch_band_is_named_the_weak_ones_too():
    """Trial 23: the chart named moderate to almost perfect but left 0 to 0.4 unnamed,
    where six of eight machine codes sat."""
    table = pd.DataFrame({"code": ["applied", "(all codes)"], "cohen_kappa": [0.1, 0.5]})
    ax = plot_agreement(table, statistic="cohen_kappa")
    texts = {t.get_text() for t in ax.texts}
    assert {"slight", "fair", "moderate", "substantial", "almost\nperfect"} <= texts
    plt.close(ax.figure)


def test_the_legend_names_the_coders_and_too_few_uses_are_not_drawn_as_zeros():
    """Trial 31: "coders compared: 78 units per code" named nobody, and a code used once by
    one coder and never by the other was drawn as a precise 0.00 [-0.02, 0]."""
    from copanalysis import agreement

    docs = [f"d{i}" for i in range(1, 7)]
    machine = "semantic:value_cycles@938dac12"
    rows = [(d, "immediate", c) for d in docs[:3] for c in ("Me", machine)]
    rows += [("d4", "strategic", "Me"), ("d5", "potential_social", machine)]
    rows += [("d5", "potential", machine), ("d5", "potential", "Me"), ("d6", "potential", "Me")]
    codes = pd.DataFrame(rows, columns=["doc_id", "code", "coder"]).assign(
        field="story", start=0, end=1, codebook="value_cycles"
    )
    table = agreement(codes, codebook="value_cycles", documents={machine: docs}, n_boot=50)
    ax = plot_agreement(table)
    (legend,) = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == (
        "Me vs semantic (value_cycles): 6 documents per code\n"
        "pooled: the 3 codes Me used, not Social capital"
    )
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("too few to estimate (a coder never used it)") == 2  # strategic, social
    assert "too few to estimate (a coder used it on 1 unit only)" in texts  # potential
    # only immediate and the pooled row get a point and an interval
    assert ax.containers[0].lines[0].get_xdata().tolist() == [
        1.0,
        pytest.approx(table["krippendorff_alpha"].iloc[-1]),
    ]
    assert text_overlaps(ax.figure) == []
    plt.close(ax.figure)


def test_a_code_the_machine_never_found_says_so_not_too_few():
    """Trial 35: "too few to estimate (a coder never used it)" read as "rare" for a code the
    machine missed in all 4 of the person's sentences."""
    table = pd.DataFrame(
        {
            "code": ["potential", "reframing", "realized"],
            "units": [40, 40, 40],
            "krippendorff_alpha": [0.7, float("nan"), float("nan")],
            "alpha_low": [0.5, float("nan"), float("nan")],
            "alpha_high": [0.9, float("nan"), float("nan")],
            "fewest_applied": [6, 0, 0],
            "not_found": pd.array([pd.NA, 4, pd.NA], dtype="Int64"),
        }
    )
    ax = plot_agreement(table)
    texts = [t.get_text() for t in ax.texts]
    assert "the machine never found it (0 of the 4 sentences coded with it)" in texts
    assert texts.count("too few to estimate (a coder never used it)") == 1  # realized
    plt.close(ax.figure)
