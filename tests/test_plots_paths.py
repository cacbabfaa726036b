"""plot_story_reach and plot_value_flows: bars by furthest cycle; Sankey bands of width n."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from copanalysis.errors import SchemaError
from copanalysis.plots import plot_story_reach, plot_value_flows

PATHS = pd.DataFrame(
    {
        "doc_id": [f"s{i}" for i in range(8)],
        "path": [""] * 8,
        "n_cycles": [1] * 8,
        "reach": [
            "potential",
            "potential",
            "potential",
            "applied",
            "immediate",
            "realized",
            None,
            "applied",
        ],
    }
)
FLOWS = pd.DataFrame(
    {
        "source": ["immediate", "potential", "applied", "potential"],
        "target": ["potential", "applied", "realized", "immediate"],
        "n": [6, 4, 1, 2],
    }
)


def test_reach_bars_are_story_counts_in_framework_order():
    ax = plot_story_reach(PATHS)
    bars = [(p.get_gid(), p.get_height()) for p in ax.patches]
    assert bars == [
        ("reach:immediate", 1),
        ("reach:potential", 3),
        ("reach:applied", 2),
        ("reach:realized", 1),
        ("reach:reframing", 0),
        ("reach:no cycle", 1),
    ]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0] == "Immediate" and labels[-1] == "None of\nthese five"
    assert "3 (38%)" in [t.get_text() for t in ax.texts]  # one line above the bar
    assert ax.get_ylabel() == "Stories (% of all 8)"  # what the 38% is of (trial 19)
    plt.close(ax.figure)


def test_the_flows_say_they_count_steps_not_stories():
    ax = plot_value_flows(FLOWS)
    (note,) = [t for t in ax.texts if t.get_gid() == "note:steps"]
    assert note.get_text().startswith("The numbers count steps from one cycle to the next")
    plt.close(ax.figure)


def test_reach_without_unreached_stories_has_no_grey_bar():
    ax = plot_story_reach(PATHS.dropna(subset=["reach"]))
    assert "reach:no cycle" not in [p.get_gid() for p in ax.patches]
    plt.close(ax.figure)


def bands(ax):
    return {p.get_gid(): p for p in ax.patches if p.get_gid().startswith("flow:")}


def thickness(band):
    vertices = band.get_path().vertices
    left = vertices[0][1] - vertices[7][1]
    right = vertices[3][1] - vertices[4][1]
    return left, right


def test_one_band_per_flow_with_thickness_n():
    ax = plot_value_flows(FLOWS)
    drawn = bands(ax)
    assert set(drawn) == {
        "flow:immediate>potential",
        "flow:potential>applied",
        "flow:applied>realized",
        "flow:potential>immediate",
    }
    for row in FLOWS.itertuples():
        left, right = thickness(drawn[f"flow:{row.source}>{row.target}"])
        assert left == pytest.approx(row.n) and right == pytest.approx(row.n)
    plt.close(ax.figure)


def test_nodes_hold_outflow_and_inflow_in_framework_order():
    ax = plot_value_flows(FLOWS)
    nodes = {p.get_gid(): p for p in ax.patches if p.get_gid().split(":")[0] in ("from", "to")}
    assert nodes["from:potential"].get_height() == 6  # 4 to applied + 2 back to immediate
    assert nodes["to:immediate"].get_height() == 2
    assert (
        nodes["from:immediate"].get_y()
        > nodes["from:potential"].get_y()
        > nodes["from:applied"].get_y()
    )
    texts = [t.get_text() for t in ax.texts]
    assert "Potential  6" in texts and "6  Potential" in texts
    plt.close(ax.figure)


def test_bands_leave_their_node_in_target_order_without_overlap():
    ax = plot_value_flows(FLOWS)
    drawn = bands(ax)
    back = drawn["flow:potential>immediate"].get_path().vertices
    forward = drawn["flow:potential>applied"].get_path().vertices
    assert back[7][1] == pytest.approx(forward[0][1])  # stacked, touching, no overlap
    assert np.all(np.isfinite(back))
    plt.close(ax.figure)


def test_no_flows_says_so():
    ax = plot_value_flows(FLOWS.assign(n=0))
    assert "No moves between cycles" in [t.get_text() for t in ax.texts]
    assert not bands(ax)
    plt.close(ax.figure)


def test_flows_need_source_target_n():
    with pytest.raises(SchemaError, match="'n'"):
        plot_value_flows(FLOWS.drop(columns="n"))


def test_keyword_arguments_reach_the_reach_bars_and_the_flow_bands():
    from matplotlib.colors import to_rgba

    ax = plot_story_reach(PATHS, color="red")
    assert {p.get_facecolor() for p in ax.patches} == {to_rgba("red")}
    plt.close(ax.figure)
    ax = plot_value_flows(FLOWS, alpha=0.2, edgecolor="black")
    assert {p.get_alpha() for p in bands(ax).values()} == {0.2}
    nodes = [p for p in ax.patches if not p.get_gid().startswith("flow:")]
    assert {p.get_alpha() for p in nodes} == {None}
    plt.close(ax.figure)


def test_reach_hatches_the_stories_that_reach_a_cycle_only_on_unsure_codes():
    """Trial 35: a story "reached" reframing on one code at 0.23, and the bar showed it as
    any other: the part of each bar resting only on codes below 0.5 is hatched and said."""
    paths = PATHS.assign(reach_confidence=[0.9, 0.45, 0.8, 0.3, 0.9, 0.23, np.nan, 0.6])
    ax = plot_story_reach(paths)
    hatched = {p.get_gid(): p.get_height() for p in ax.patches if p.get_hatch()}
    assert hatched == {"reach_doubtful:potential": 1, "reach_doubtful:applied": 1,
                       "reach_doubtful:realized": 1}  # fmt: skip
    said = [t.get_text() for t in ax.texts]
    assert "3 (38%)\n1 below 0.5" in said and "1 (12%)" in said  # immediate: none unsure
    (legend,) = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == "reached only on codes of confidence below 0.5"
    # its key shows the hatching on a filled swatch (white hatching on white was blank)
    (swatch,) = ax.get_legend().legend_handles
    face = swatch.get_facecolor()
    assert swatch.get_hatch() == "////" and swatch.get_fill() and face[3] > 0
    assert face[:3] != (1.0, 1.0, 1.0)
    plt.close(ax.figure)
    # without the column, or with doubtful_below=None, nothing is hatched
    for ax in (plot_story_reach(PATHS), plot_story_reach(paths, doubtful_below=None)):
        assert not [p for p in ax.patches if p.get_hatch()] and ax.get_legend() is None
        plt.close(ax.figure)
