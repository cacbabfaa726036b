"""plot_role_themes: a dot per role x theme x aspect, sized by respondents."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from copanalysis.errors import SchemaError
from copanalysis.plots import plot_role_themes
from copanalysis.plots.canvas import text_overlaps
from copanalysis.plots.palette import CHALLENGE, ENABLER

TABLE = pd.DataFrame(
    {
        "role": ["Networking", "Coordination", "Coordination", "Coordination", "Expertise"],
        "code": ["TRUST", "TIME", "TIME", "RESOURCES", "TIME"],
        "label": [
            "Trust and safety",
            "Time and workload",
            "Time and workload",
            "Funding and resources",
            "Time and workload",
        ],
        "aspect": ["support", "challenges", "support", "challenges", "purpose"],
        "n": [1, 3, 2, 0, 5],
    }
)


@pytest.fixture
def ax():
    ax = plot_role_themes(TABLE)
    yield ax
    plt.close(ax.figure)


def dots(ax):
    return {c.get_gid(): c for c in ax.collections}


def test_one_dot_per_role_theme_and_aspect_asked(ax):
    drawn = dots(ax)
    assert set(drawn) == {"aspect:challenges", "aspect:support"}  # not "purpose"
    challenges, support = drawn["aspect:challenges"], drawn["aspect:support"]
    # columns in worksheet order: Coordination 0, Networking 1; rows by mentions: TIME, TRUST
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Coordination", "Networking"]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Time and workload",
        "Trust and safety",
    ]
    ((cx, cy),) = challenges.get_offsets().tolist()
    assert round(cx) == 0 and cy == 0  # Coordination x Time; the 0 for Funding is not drawn
    support_at = sorted(support.get_offsets().tolist())
    assert [(round(x), y) for x, y in support_at] == [(0, 0.0), (1, 1.0)]
    # challenges on the left of the cell, support on the right
    assert cx < min(x for x, y in support_at if y == 0) and cx < 0 < support_at[0][0]


def test_dot_area_grows_with_respondents_and_counts_are_written(ax):
    drawn = dots(ax)
    (three,) = drawn["aspect:challenges"].get_sizes()
    support = drawn["aspect:support"]
    by_row = dict(zip(support.get_offsets()[:, 1].tolist(), support.get_sizes(), strict=True))
    two, one = by_row[0.0], by_row[1.0]  # Coordination x Time: 2; Networking x Trust: 1
    assert three > two > one > 0
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == ["2", "3"]  # one respondent: the dot alone


def test_aspect_colours_and_legend(ax):
    drawn = dots(ax)
    assert to_hex(drawn["aspect:challenges"].get_facecolor()[0]) == CHALLENGE.lower()
    assert to_hex(drawn["aspect:support"].get_facecolor()[0]) == ENABLER.lower()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:2] == ["challenge", "support needed"]
    assert "1 respondent" in legend and "3 respondents" in legend


def test_from_codes_and_roles_and_nothing_overlaps():
    roles = pd.DataFrame(
        {
            "respondent": ["Ana", "Ana", "Ben", "Ben"],
            "role": [
                "Coordination",
                "Coordination",
                "Generations - newcomers/alums",
                "Transactions - help desk",
            ],
            "member_type": "Core member",
            "aspect": ["challenges", "support", "challenges", "challenges"],
            "text": ["no time", "protected time", "no time", "no time"],
        }
    )
    codes = pd.DataFrame(
        {
            "doc_id": ["Ana", "Ana", "Ben"],
            "field": ["challenges", "support", "challenges"],
            "start": 0,
            "end": 5,
            "code": ["TIME", "TIME", "SPONSOR"],
            "coder": "rules",
            "codebook": "enablers_challenges",
        }
    )
    ax = plot_role_themes(codes, roles)
    # two mentions each: codebook order breaks the tie
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Time and workload",
        "Sponsorship and management\nsupport",
    ]
    assert len(dots(ax)["aspect:challenges"].get_offsets()) == 3
    assert text_overlaps(ax.figure) == []
    plt.close(ax.figure)
    with pytest.raises(SchemaError, match="roles frame"):
        plot_role_themes(codes)


def test_one_aspect_sits_in_the_middle_of_the_cell():
    ax = plot_role_themes(TABLE, aspect="support")
    offsets = np.asarray(dots(ax)["aspect:support"].get_offsets())
    assert sorted(offsets[:, 0].tolist()) == [0.0, 1.0]
    plt.close(ax.figure)


def test_keyword_arguments_reach_the_dots():
    ax = plot_role_themes(TABLE, alpha=0.3, marker="s")
    assert [c.get_alpha() for c in ax.collections] == [0.3, 0.3]
    square = ax.collections[0].get_paths()[0].vertices
    assert len(square) == 5  # a square marker: four corners and back
    plt.close(ax.figure)
