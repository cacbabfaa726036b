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


def cell_codes(rows):
    """A value_grid_codes frame from (beneficiary, horizon, code, n, cell_docs, exemplar)."""
    table = pd.DataFrame(
        rows, columns=["beneficiary", "horizon", "code", "n", "cell_docs", "exemplar"]
    )
    rank = table.groupby(["beneficiary", "horizon"]).cumcount() + 1
    return table.assign(rank=rank, n_docs=table["n"], share=0.5)


SUMMARY = cell_codes(
    [
        ("members", "short", "immediate", 9, 8, "I felt less alone at the meetup."),
        ("members", "short", "potential_social", 3, 8, "I met people."),
        ("members", "long", "potential", 5, 4, "I became the go-to person."),
        ("organization", "short", "applied", 7, 6, "We cut the waiting list by a third."),
    ]
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
    assert counts == {  # stories, not passages
        "count:members/short": "8",
        "count:members/long": "4",
        "count:organization/short": "6",
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
    every_cell = pd.concat(
        [SUMMARY, cell_codes([("organization", "long", "reframing", 1, 1, "")])]
    )
    long = every_cell.assign(exemplar="word " * 200)
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


def test_a_formatted_summary_is_refused_with_the_table_to_pass():
    summary = pd.DataFrame(
        {"beneficiary": ["members"], "horizon": ["short"], "n": [3], "n_docs": [2],
         "top_codes": ["applied (3)"], "exemplar": [""]}
    )  # fmt: skip
    with pytest.raises(SchemaError, match="value_grid_codes"):
        plot_value_grid(summary)


def test_reads_the_analysis_table_from_placements():
    from copanalysis.analysis.grid import value_grid_codes

    placements = pd.DataFrame(
        {
            "doc_id": ["s1", "s2", "s2"],
            "quote": ["We cut costs.", "Fewer errors.", "We use it."],
            "code": ["realized", "realized", "applied"],
            "beneficiary": "organization",
            "horizon": "short",
        }
    )
    for table in (placements, value_grid_codes(placements)):
        ax = plot_value_grid(table)
        texts = {t.get_gid(): t.get_text() for t in ax.texts if t.get_gid()}
        assert texts["count:organization/short"] == "2"
        assert texts["passages:organization/short"] == (
            "stories tell of value here,\nin 3 coded passages"
        )
        assert " ".join(texts["leading:organization/short"].replace("\u00a0", " ").split()) == (
            "Leading (stories): Realized value (2) · Applied value (1)"
        )
        assert texts["quote:organization/short"] == "“We cut costs.”"
        plt.close(ax.figure)


def test_one_long_winded_story_neither_leads_nor_darkens_a_cell():
    from copanalysis.analysis.grid import value_grid_codes

    placements = pd.DataFrame(
        {
            "doc_id": ["s1"] * 6 + ["s2", "s3", "s4"],
            "quote": ["I learned."] * 6 + ["We use it.", "We use it too.", "Costs fell."],
            "code": ["potential"] * 6 + ["applied", "applied", "realized"],
            "beneficiary": ["members"] * 6 + ["organization"] * 3,
            "horizon": "short",
        }
    )
    table = value_grid_codes(placements)
    ax = plot_value_grid(table)
    texts = {t.get_gid(): t.get_text() for t in ax.texts if t.get_gid()}
    assert texts["count:members/short"] == "1" and texts["count:organization/short"] == "3"
    grid = cells(ax)
    lightness = {k: sum(p.get_facecolor()[:3]) for k, p in grid.items()}
    assert lightness["organization/short"] < lightness["members/short"]  # 3 stories > 1
    plt.close(ax.figure)
    one_cell = value_grid_codes(placements.assign(beneficiary="members"))
    assert one_cell[["code", "rank", "n", "n_docs"]].values.tolist() == [
        ["applied", 1, 2, 2],
        ["potential", 2, 6, 1],  # more passages, but from one story
        ["realized", 3, 1, 1],
    ]


def test_keyword_arguments_reach_the_cells():
    ax = plot_value_grid(SUMMARY, alpha=0.5, edgecolor="black")
    grid = cells(ax)
    assert {p.get_alpha() for p in grid.values()} == {0.5}
    assert {p.get_edgecolor() for p in grid.values()} == {(0.0, 0.0, 0.0, 0.5)}
    plt.close(ax.figure)


def test_code_ids_read_as_built_in_labels_without_a_codebook():
    summary = cell_codes(
        [
            ("members", "short", "immediate", 9, 8, ""),
            ("members", "short", "potential_human", 3, 8, ""),
            ("members", "long", "members_long", 21, 30, ""),  # restates the cell: left out
            ("members", "long", "orienting", 16, 30, ""),
            ("members", "long", "potential_learning", 8, 30, ""),
            ("organization", "short", "organization_short", 7, 6, ""),
            ("organization", "long", "TIME", 1, 1, ""),
        ]
    )
    ax = plot_value_grid(summary)
    leading = {
        t.get_gid(): " ".join(t.get_text().replace("\u00a0", " ").split())
        for t in ax.texts
        if (t.get_gid() or "").startswith("leading:")
    }
    assert leading["leading:members/short"] == (
        "Leading (stories): Immediate value (9) · Human capital (3)"
    )
    assert leading["leading:members/long"] == (
        "Leading (stories): Orienting value (16) · Learning capital (8)"
    )
    assert leading["leading:organization/short"] == (
        "Leading (stories): Organization, short term (7)"
    )
    assert leading["leading:organization/long"] == "Leading (stories): Time and workload (1)"
    # a count stays on the line of its label
    assert all("\n(" not in t.get_text() for t in ax.texts)
    plt.close(ax.figure)


def test_every_text_fits_inside_its_cell():
    quote = "A long exemplar quote that goes on and on about the value " * 8
    crowded = cell_codes(
        [
            (who, when, code, n, 2412, quote)
            for who in ("members", "organization")
            for when in ("short", "long")
            for code, n in (("potential_reputational", 1234), ("reframing", 999), ("strategic", 7))
        ]
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


def test_worksheet_answers_are_counted_as_respondents():
    placements = pd.DataFrame(
        {
            "doc_id": ["Bridget", "Tom"],
            "quote": ["Fewer falls.", "A trust-wide culture."],
            "code": ["realized", "realized"],
            "beneficiary": "organization",
            "horizon": ["short", "short"],
        }
    )
    ax = plot_value_grid(placements, unit="respondent", title="Grid worksheets")
    texts = {t.get_gid(): t.get_text() for t in ax.texts if t.get_gid()}
    assert texts["passages:organization/short"] == (
        "respondents wrote of value here,\nin 2 coded passages"
    )
    assert texts["leading:organization/short"].startswith("Leading (respondents):")
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="unit must be 'story' or 'respondent'"):
        plot_value_grid(placements, unit="answers")  # type: ignore[arg-type]


def test_big_counts_are_written_with_thousands_separated():
    # trial 41: "17797 stories tell of value here, in 55244 coded passages", "Immediate
    # value (14584)", under axes that write "18,086"
    summary = cell_codes(
        [
            ("members", "short", "immediate", 14584, 17797, "I went to the maths circle."),
            ("members", "short", "potential", 40660, 17797, "I learned to use exit tickets."),
        ]
    )
    ax = plot_value_grid(summary)
    texts = {t.get_gid(): t.get_text() for t in ax.texts if t.get_gid()}
    plt.close(ax.figure)
    assert texts["count:members/short"] == "17,797"
    assert texts["passages:members/short"] == (
        "stories tell of value here,\nin 55,244 coded passages"
    )
    words = " ".join("\n".join(texts.values()).replace("\u00a0", " ").split())
    assert "Immediate value (14,584)" in words
    assert "Potential value (40,660)" in words
