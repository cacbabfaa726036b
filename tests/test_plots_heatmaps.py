"""plot_cooccurrence and plot_roles: the heat map array equals the table, counts written."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from copanalysis.plots import plot_cooccurrence, plot_roles
from copanalysis.schema import MEMBER_TYPES, ROLES

CODES = ["applied", "immediate", "potential"]
TABLE = pd.DataFrame([[9, 4, 3], [4, 12, 7], [3, 7, 15]], index=CODES, columns=CODES)


def test_cooccurrence_array_is_the_table_in_codebook_order():
    book = pd.DataFrame(
        {
            "code": ["immediate", "potential", "applied"],
            "label": ["Immediate value", "Potential value", "Applied value"],
        }
    )
    ax = plot_cooccurrence(TABLE, codebook=book)
    order = ["immediate", "potential", "applied"]
    expected = TABLE.loc[order, order].to_numpy(dtype=float)
    np.testing.assert_array_equal(ax.images[0].get_array(), expected)
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Immediate value",
        "Potential value",
        "Applied value",
    ]
    written = {
        (round(t.get_position()[1]), round(t.get_position()[0])): t.get_text() for t in ax.texts
    }
    assert written[(0, 0)] == "12" and written[(2, 1)] == "3" and written[(1, 0)] == "7"
    plt.close(ax.figure)


def test_cooccurrence_without_codebook_uses_cycle_order():
    ax = plot_cooccurrence(TABLE)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Immediate", "Potential", "Applied"]
    plt.close(ax.figure)


def test_roles_matrix_in_worksheet_order_with_zeros_blank():
    rows = [(r, m, 0) for r in ROLES for m in MEMBER_TYPES]
    matrix = pd.DataFrame(rows, columns=["role", "member_type", "n_respondents"])
    matrix.loc[
        (matrix.role == "Networking") & (matrix.member_type == "Core member"), "n_respondents"
    ] = 3
    matrix.loc[
        (matrix.role == "Coordination") & (matrix.member_type == "Coordinator"), "n_respondents"
    ] = 5
    ax = plot_roles(matrix.sample(frac=1, random_state=1))
    array = ax.images[0].get_array()
    assert array.shape == (12, 8)
    assert array[ROLES.index("Networking"), MEMBER_TYPES.index("Core member")] == 3
    assert array[0, 0] == 5 and array.sum() == 8
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "Coordination"
    assert sorted(t.get_text() for t in ax.texts) == ["3", "5"]
    plt.close(ax.figure)


def test_keyword_arguments_reach_the_image():
    ax = plot_cooccurrence(TABLE, alpha=0.5, cmap="Greys")
    image = ax.images[0]
    assert image.get_alpha() == 0.5 and image.get_cmap().name == "Greys"
    # the counts stay legible on the colours drawn: white on the darkest grey cell
    darkest = [t for t in ax.texts if t.get_text() == "15"][0]
    assert darkest.get_color() == "white"
    plt.close(ax.figure)
    roles = pd.DataFrame(
        {"role": ["Networking"], "member_type": ["Core member"], "n_respondents": [2]}
    )
    ax = plot_roles(roles, alpha=0.3)
    assert ax.images[0].get_alpha() == 0.3
    plt.close(ax.figure)
