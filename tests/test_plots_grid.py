"""plot_value_grid: four cells, shaded by count, with counts, leading codes and a quote."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from copanalysis.errors import SchemaError
from copanalysis.plots import plot_value_grid
from copanalysis.plots.canvas import text_overlaps

SUMMARY = pd.DataFrame(
    {
        "beneficiary": ["members", "members", "organization", "organization"],
        "horizon": ["short", "long", "short", "long"],
        "n": [12, 5, 7, 0],
        "n_docs": [8, 4, 6, 0],
        "top_codes": ["immediate (9), potential_social (3)", "potential (5)", "applied (7)", ""],
        "exemplar": [
            "I felt less alone at the meetup.",
            "I became the go-to person.",
            "We cut the waiting list by a third.",
            "",
        ],
    }
)
BOOK = pd.DataFrame(
    {"code": ["immediate", "potential_social"], "label": ["Immediate value", "Social capital"]}
)


@pytest.fixture
def ax():
    ax = plot_value_grid(SUMMARY, codebook=BOOK)
    yield ax
    plt.close(ax.figure)


def cells(ax):
    return {p.get_gid(): p for p in ax.patches if p.get_gid()}


def test_four_cells_with_their_counts(ax):
    assert set(cells(ax)) == {
        "members/short",
        "members/long",
        "organization/short",
        "organization/long",
    }
    counts = {
        t.get_gid(): t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("count:")
    }
    assert counts == {
        "count:members/short": "12",
        "count:members/long": "5",
        "count:organization/short": "7",
        "count:organization/long": "0",
    }


def test_members_on_top_short_term_on_the_left(ax):
    grid = cells(ax)
    assert grid["members/short"].get_y() > grid["organization/short"].get_y()
    assert grid["members/short"].get_x() < grid["members/long"].get_x()


def test_shading_follows_the_count(ax):
    grid = cells(ax)
    lightness = {k: sum(p.get_facecolor()[:3]) for k, p in grid.items()}
    assert (
        lightness["members/short"]
        < lightness["organization/short"]
        < lightness["members/long"]
        < lightness["organization/long"]
    )


def test_leading_codes_use_labels_and_quote_is_shown(ax):
    texts = "\n".join(t.get_text() for t in ax.texts)
    words = " ".join(texts.replace("\u00a0", " ").split())  # as read, across wrapped lines
    assert "Immediate value (9)" in words and "Social capital (3)" in words
    assert "“I felt less alone at the meetup.”" in texts
    assert "no passages placed here" in texts
    assert {"Short term", "Long term", "To members", "To the organization"} <= {
        t.get_text() for t in ax.texts
    }


def test_long_quotes_are_wrapped_and_cut():
    long = SUMMARY.assign(exemplar=["word " * 200] * 4)
    ax = plot_value_grid(long)
    quotes = [t.get_text() for t in ax.texts if t.get_text().startswith("“")]
    assert len(quotes) == 4
    for quote in quotes:
        lines = quote.split("\n")
        assert 1 < len(lines) < 15 and lines[-1].endswith("…")
        assert max(len(line) for line in lines) < 90
    plt.close(ax.figure)


def test_draws_on_the_given_axes():
    fig, ax = plt.subplots()
    assert plot_value_grid(SUMMARY, ax=ax) is ax
    assert len(plt.get_fignums()) >= 1 and ax.figure is fig
    plt.close(fig)


def test_a_missing_column_is_named():
    with pytest.raises(SchemaError, match="'exemplar'"):
        plot_value_grid(SUMMARY.drop(columns="exemplar"))


def test_code_ids_read_as_built_in_labels_without_a_codebook():
    summary = SUMMARY.assign(
        top_codes=[
            "immediate (9), potential_human (3)",
            "members_long (21), orienting (16), potential_learning (8)",
            "organization_short (7)",
            "TIME (1)",
        ]
    )
    ax = plot_value_grid(summary)
    leading = {
        t.get_gid(): " ".join(t.get_text().replace("\u00a0", " ").split())
        for t in ax.texts
        if (t.get_gid() or "").startswith("leading:")
    }
    assert leading["leading:members/short"] == "Leading: Immediate value (9) · Human capital (3)"
    assert leading["leading:members/long"] == (
        "Leading: Members, long term (21) · Orienting value (16) · Learning capital (8)"
    )
    assert leading["leading:organization/short"] == "Leading: Organization, short term (7)"
    assert leading["leading:organization/long"] == "Leading: Time and workload (1)"
    # a count stays on the line of its label
    assert all("\n(" not in t.get_text() for t in ax.texts)
    plt.close(ax.figure)


def test_every_text_fits_inside_its_cell():
    crowded = SUMMARY.assign(
        n=[2412, 65, 81, 25],
        top_codes=["potential_reputational (1234), organization_short (999), strategic (7)"] * 4,
        exemplar=["A long exemplar quote that goes on and on about the value " * 8] * 4,
    )
    ax = plot_value_grid(crowded)
    fig = ax.figure
    fig.draw_without_rendering()
    boxes = {p.get_gid(): p.get_window_extent() for p in ax.patches if p.get_gid()}
    inside = 0
    for text in ax.texts:
        kind, _, cell = (text.get_gid() or "").partition(":")
        if not cell:
            continue
        box, outer = text.get_window_extent(), boxes[cell]
        assert outer.x0 <= box.x0 and box.x1 <= outer.x1, (kind, cell, text.get_text())
        assert outer.y0 <= box.y0 and box.y1 <= outer.y1, (kind, cell, text.get_text())
        inside += 1
    assert inside == 16  # count, passages, leading codes and quote in each of four cells
    assert text_overlaps(fig) == []
    plt.close(fig)
