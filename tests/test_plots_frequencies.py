"""plot_code_frequencies: sorted bars equal to n, percentages, negative segments, groups."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from copanalysis.plots import plot_code_frequencies
from copanalysis.plots.canvas import text_overlaps
from copanalysis.plots.palette import code_colors

FREQ = pd.DataFrame(
    {
        "codebook": "cycles",
        "code": ["potential", "immediate", "applied", "reframing"],
        "label": ["Potential value", "Immediate value", "Applied value", "Reframing value"],
        "n": [14, 9, 9, 1],
        "n_negative": [0, 3, 0, 0],
        "share": [0.7, 0.45, 0.45, 0.05],
    }
)


@pytest.fixture
def ax():
    ax = plot_code_frequencies(FREQ)
    yield ax
    plt.close(ax.figure)


def bars(ax, prefix="n:"):
    return {p.get_gid()[len(prefix) :]: p for p in ax.patches if p.get_gid().startswith(prefix)}


def test_bar_lengths_are_the_counts(ax):
    assert {k: p.get_width() for k, p in bars(ax).items()} == {
        "potential": 14,
        "immediate": 9,
        "applied": 9,
        "reframing": 1,
    }


def test_most_frequent_on_top_and_labels_in_order(ax):
    heights = {k: p.get_y() for k, p in bars(ax).items()}
    assert heights["potential"] > heights["immediate"] > heights["applied"] > heights["reframing"]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["Reframing value", "Applied value", "Immediate value", "Potential value"]


def test_counts_and_percentages_are_written(ax):
    texts = [t.get_text() for t in ax.texts]
    assert "14 (70%)" in texts
    assert "9 (45%) + 3 negative" in texts


def test_negative_codes_are_a_separate_hatched_segment(ax):
    (negative,) = bars(ax, "negative:").values()
    assert negative.get_gid() == "negative:immediate"
    assert negative.get_x() == 9 and negative.get_width() == 3
    assert negative.get_hatch()
    assert any("negative" in t.get_text() for t in ax.get_legend().get_texts())


def test_colours_follow_the_code():
    book = pd.DataFrame({"code": ["immediate", "potential"], "color": ["#E69F00", "#56B4E9"]})
    ax = plot_code_frequencies(FREQ, codebook=book)
    colors = code_colors(book, FREQ["code"])
    for code, patch in bars(ax).items():
        assert matplotlib.colors.to_hex(patch.get_facecolor()) == colors[code].lower()
    assert matplotlib.colors.to_hex(bars(ax)["immediate"].get_facecolor()) == "#e69f00"
    plt.close(ax.figure)


def test_grouped_bars_by_community():
    grouped = pd.DataFrame(
        {  # as code_frequencies(..., by="community") writes it
            "community": ["North", "North", "South", "South"],
            "codebook": "value_cycles",
            "code": ["potential", "applied", "potential", "applied"],
            "n": [5, 2, 3, 4],
            "n_negative": [0, 1, 0, 0],
            "share": [0.5, 0.2, 0.3, 0.4],
        }
    )
    for by in ("community", None):  # a table by group says so itself: its first column
        ax = plot_code_frequencies(grouped, by=by, top=2)
        widths = {k: p.get_width() for k, p in bars(ax).items()}
        assert widths == {
            "potential:North": 5,
            "potential:South": 3,
            "applied:North": 2,
            "applied:South": 4,
        }
        assert set(bars(ax, "negative:")) == {"applied:North"}
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert legend[:2] == ["North", "South"]
        plt.close(ax.figure)
    with pytest.raises(ValueError, match="several rows for a code but no column before"):
        plot_code_frequencies(grouped.drop(columns="community").assign(community="North"))


def test_long_group_names_stay_told_apart_in_the_legend():
    """Trial 32: two roles were both "Community Health Worker (CHW)…" in the legend."""
    roles = [
        "Community Health Worker (CHW)",
        "Community Health Worker (CHW) and Community Health Assistant",
        "Community Health Worker (CHW) and District health supervisor of Kilifi County",
        "District health supervisor",
    ]
    grouped = pd.DataFrame(
        {"role": roles, "codebook": "value_cycles", "code": "potential", "n": [4, 3, 2, 1],
         "n_negative": 0, "share": [0.4, 0.3, 0.2, 0.1]}
    )  # fmt: skip
    ax = plot_code_frequencies(grouped)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [
        "Community Health Worker (CHW)",
        "Community Health Worker (CHW)\nand Community Health Assistant",
        "Community Health Worker (CHW)\nand District health supervisor\nof Kilifi County",
        "District health supervisor",
    ]
    plt.close(ax.figure)
    # cut to three lines, these two would look alike: they are named in full
    wards = [f"{roles[2]} and Malindi sub-county, {ward} ward" for ward in ("Ganze", "Hola")]
    ax = plot_code_frequencies(grouped.iloc[:2].assign(role=wards))
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [
        "Community Health Worker (CHW)\nand District health supervisor\n"
        f"of Kilifi County and Malindi\nsub-county, {ward} ward"
        for ward in ("Ganze", "Hola")
    ]
    plt.close(ax.figure)


def test_top_keeps_the_most_frequent():
    ax = plot_code_frequencies(FREQ, top=2)
    assert set(bars(ax)) == {"potential", "immediate"}
    plt.close(ax.figure)


CYCLES = pd.DataFrame(
    {
        "codebook": "value_cycles",
        "code": ["immediate", "potential", "potential_human", "applied", "potential_social"],
        "label": [
            "Immediate value",
            "Potential value",
            "Human capital",
            "Applied value",
            "Social capital",
        ],
        "n": [71, 70, 52, 49, 11],
        "n_negative": [0, 0, 0, 0, 0],
        "share": [0.85, 0.83, 0.62, 0.58, 0.13],
    }
)


def test_sub_codes_sit_under_their_parent_indented_and_thinner():
    ax = plot_code_frequencies(CYCLES, codebook="value_cycles")
    labels = [t.get_text() for t in ax.get_yticklabels()][::-1]  # top to bottom
    assert labels == [
        "Immediate value",
        "Potential value",
        "\u2003└ Human capital",
        "\u2003└ Social capital",
        "Applied value",
    ]
    assert {t.get_horizontalalignment() for t in ax.get_yticklabels()} == {"left"}
    heights = {k: p.get_height() for k, p in bars(ax).items()}
    assert heights["potential_human"] < heights["potential"] == pytest.approx(heights["applied"])
    centres = {k: p.get_y() + p.get_height() / 2 for k, p in bars(ax).items()}
    assert centres["potential"] > centres["potential_human"] > centres["potential_social"]
    assert centres["potential_social"] > centres["applied"]  # despite 11 < 49
    assert {k: p.get_width() for k, p in bars(ax).items()}["potential_human"] == 52
    notes = [t.get_text() for t in ax.texts if t.get_gid() == "note:sub-codes"]
    assert notes == ["└ sub-codes of Potential value: their stories are counted in it too"]
    plt.close(ax.figure)


def test_parents_come_from_the_codebook_column_when_no_codebook_is_given():
    ax = plot_code_frequencies(CYCLES)
    labels = [t.get_text() for t in ax.get_yticklabels()][::-1]
    assert labels[2] == "\u2003└ Human capital"
    plt.close(ax.figure)


def test_level_main_leaves_the_sub_codes_out():
    ax = plot_code_frequencies(CYCLES, codebook="value_cycles", level="main")
    assert set(bars(ax)) == {"immediate", "potential", "applied"}
    assert not [t for t in ax.texts if t.get_gid() == "note:sub-codes"]
    plt.close(ax.figure)


def test_top_counts_top_level_codes_and_keeps_their_sub_codes():
    ax = plot_code_frequencies(CYCLES, codebook="value_cycles", top=2)
    assert set(bars(ax)) == {"immediate", "potential", "potential_human", "potential_social"}
    plt.close(ax.figure)


def test_nothing_overlaps_and_ticks_stop_at_the_longest_bar():
    ax = plot_code_frequencies(CYCLES, codebook="value_cycles")
    assert text_overlaps(ax.figure) == []
    assert max(ax.get_xticks()) <= 71
    plt.close(ax.figure)


def test_the_uncoded_note_and_the_sub_code_note_do_not_overlap() -> None:
    table = CYCLES.copy()
    table.attrs.update(min_confidence=0.5, abstained=284)
    ax = plot_code_frequencies(table, codebook="value_cycles")
    assert "284 passages left uncoded" in ax.get_xlabel()
    assert [t for t in ax.texts if t.get_gid() == "note:sub-codes"]
    assert text_overlaps(ax.figure) == []
    plt.close(ax.figure)


def test_a_story_telling_of_a_code_both_ways_counts_once() -> None:
    from copanalysis.analysis import code_frequencies

    codes = pd.DataFrame(
        {
            "doc_id": ["s1", "s1", "s2"],
            "field": "story",
            "start": [0, 10, 0],
            "end": [5, 15, 5],
            "code": "potential",
            "polarity": [1, -1, -1],
            "coder": "me",
            "codebook": "value_cycles",
        }
    )
    ax = plot_code_frequencies(code_frequencies(codes))
    solid, hatched = bars(ax)["potential"], bars(ax, "negative:")["potential"]
    assert (solid.get_width(), hatched.get_width()) == (1, 1)  # two stories, not three
    assert "1 (50%) + 1 negative" in [t.get_text() for t in ax.texts]
    plt.close(ax.figure)


def test_the_chart_says_how_many_units_were_left_uncoded() -> None:
    from copanalysis.coding.api import code

    text = "We shared our experiences. I applied the new template."
    stories = pd.DataFrame({"story_id": ["s1"], "practice": [text]})
    sure = code(stories, "value_cycles", coder="rules", min_confidence=0.3, progress=False)
    ax = plot_code_frequencies(sure)
    assert ax.get_xlabel().splitlines() == [
        "Number of stories (% of all 1)",  # trial 19: "27 (46%)" said of what
        "1 of 2 passages left uncoded (every code below 0.30 confidence)",
    ]
    plt.close(ax.figure)
    every = code(stories, "value_cycles", coder="rules", progress=False)
    ax = plot_code_frequencies(every)
    assert ax.get_xlabel() == "Number of stories (% of all 1)"
    plt.close(ax.figure)
    from copanalysis.analysis import code_frequencies

    teams = code_frequencies(every, by="team", frame=stories.assign(team="A"))
    by = plot_code_frequencies(teams, by="team")
    assert by.get_xlabel() == "Number of stories (% of each team's stories)"
    plt.close(by.figure)


def test_keyword_arguments_reach_the_count_bars_not_the_negative_segments() -> None:
    from matplotlib.colors import to_rgba

    ax = plot_code_frequencies(FREQ, color="red", alpha=0.5)
    assert {p.get_facecolor() for p in bars(ax).values()} == {to_rgba("red", 0.5)}
    negative = bars(ax, "negative:")["immediate"]
    assert negative.get_facecolor() == to_rgba("white") and negative.get_alpha() is None
    # ... but the colour asked for hatches them too (trial 43: her blue bars beside
    # hatching in the codebook's colours)
    assert negative.get_edgecolor() == to_rgba("red")
    plt.close(ax.figure)


def test_grouped_bars_are_scaled_to_the_longest_group_not_the_codes_total():
    table = pd.DataFrame(
        {
            "community": ["A", "B", "A", "B"],
            "codebook": "value_cycles",
            "code": ["potential", "potential", "applied", "applied"],
            "label": ["Potential value"] * 2 + ["Applied value"] * 2,
            "n": [10, 10, 4, 2],
            "n_negative": 0,
            "share": [1.0, 1.0, 0.4, 0.2],
        }
    )
    ax = plot_code_frequencies(table, by="community")
    assert ax.get_xlim()[1] == pytest.approx(10 * 1.25)  # it ran to 20 x 1.25
    plt.close(ax.figure)


def test_big_counts_are_written_with_thousands_separated():
    # trial 41: "14584 (81%)" beside an axis of "18,086"
    big = FREQ.assign(n=[14584, 9000, 1203, 12], n_negative=[0, 1250, 0, 0])
    ax = plot_code_frequencies(big)
    texts = [t.get_text() for t in ax.texts]
    plt.close(ax.figure)
    assert "14,584 (70%)" in texts
    assert "9,000 (45%) + 1,250 negative" in texts
    assert "12 (5%)" in texts


def test_counts_that_would_overlap_on_a_users_short_axes_are_not_written_and_that_is_said():
    """Trial 43: six hospitals' bars on her own 10x6 axes, their counts written over each
    other ("3 (38%) + 1 negative" over its neighbour's)."""
    groups = [f"Hospital {i}" for i in range(6)]
    table = pd.concat([FREQ.assign(community=g) for g in groups], ignore_index=True)
    fig, ax = plt.subplots(figsize=(10, 2))
    plot_code_frequencies(table, by="community", ax=ax)
    assert not [t for t in ax.texts if "(" in t.get_text()]
    assert "counts not written: 24 bars are too many for axes this short" in ax.get_xlabel()
    plt.close(fig)
    tall = plot_code_frequencies(table, by="community")  # its own figure is tall enough
    assert len([t for t in tall.texts if "(" in t.get_text()]) == 24
    assert "counts not written" not in tall.get_xlabel()
    plt.close(tall.figure)
