"""plots.canvas: page width, overlap check, left-aligned tick labels."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from copanalysis.plots.canvas import (
    PAGE_WIDTH,
    align_tick_labels_left,
    new_axes,
    text_overlaps,
)


def test_page_width_is_the_a4_text_width():
    assert abs(PAGE_WIDTH * 25.4 - (210 - 2 * 14)) < 2  # A4 less the report's margins


def test_overlapping_texts_are_found_and_apart_ones_are_not():
    ax = new_axes(None, 4, 3)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.text(0.1, 0.5, "left")
    ax.text(0.12, 0.5, "over left")
    ax.text(0.7, 0.1, "alone")
    assert text_overlaps(ax.figure) == [("left", "over left")]
    plt.close(ax.figure)


def test_slanted_labels_side_by_side_do_not_count_as_overlapping():
    ax = new_axes(None, 6, 3)
    ax.set_xticks(range(6), [f"Member type {i}" for i in range(6)], rotation=40, ha="left")
    ax.xaxis.tick_top()
    assert text_overlaps(ax.figure) == []
    # the same labels upright run into each other
    ax.set_xticks(range(6), [f"Member type {i}" for i in range(6)], rotation=0)
    assert len(text_overlaps(ax.figure)) == 5
    plt.close(ax.figure)


def test_padding_asks_for_white_space():
    ax = new_axes(None, 4, 3)
    ax.set_xlim(0, 1)
    ax.set_axis_off()
    first = ax.text(0.1, 0.5, "one", va="center")
    ax.figure.draw_without_rendering()
    end = ax.transData.inverted().transform(first.get_window_extent().p1)[0]
    ax.text(end + 0.005, 0.5, "two", va="center")
    assert text_overlaps(ax.figure) == []
    assert text_overlaps(ax.figure, pad=3) == [("one", "two")]
    plt.close(ax.figure)


def test_tick_labels_left_aligned_clear_the_axis():
    ax = new_axes(None, 5, 3)
    ax.set_yticks([0, 1], ["Potential value", "\u2003└ Human capital"])
    align_tick_labels_left(ax)
    ax.figure.draw_without_rendering()
    labels = ax.get_yticklabels()
    lefts = [label.get_window_extent().x0 for label in labels]
    assert abs(lefts[0] - lefts[1]) < 1  # one column
    right = max(label.get_window_extent().x1 for label in labels)
    assert right < ax.get_window_extent().x0
    plt.close(ax.figure)
