"""Who takes on which leadership role: roles x member types."""

from __future__ import annotations

from typing import Any

import pandas as pd
from matplotlib.axes import Axes

from copanalysis.plots.canvas import LABEL_SIZE, TITLE_SIZE, new_axes
from copanalysis.plots.heatmap import draw_count_grid
from copanalysis.plots.palette import INK
from copanalysis.plots.tables import require_columns
from copanalysis.schema import MEMBER_TYPES, ROLES

__all__ = ["plot_roles"]


def _in_order(values: pd.Series, known: tuple[str, ...]) -> list[str]:
    present = [str(v) for v in values.dropna().unique()]
    return [v for v in known if v in present] + sorted(v for v in present if v not in known)


def plot_roles(
    table_or_roles: pd.DataFrame,
    *,
    ax: Axes | None = None,
    codebook: Any = None,
    title: str | None = "Leadership roles by member type",
) -> Axes:
    """Draw leadership roles (rows) x member types (columns) as a heat map of respondents.

    Rows and columns follow the worksheet's order (:data:`copanalysis.schema.ROLES`,
    :data:`copanalysis.schema.MEMBER_TYPES`); roles or types the worksheet does not list
    follow, alphabetically. Empty cells are left blank.

    Parameters
    ----------
    table_or_roles : DataFrame
        The long frame of :func:`copanalysis.role_matrix` (``role``, ``member_type``,
        ``n_respondents``), or a ``roles`` frame (then ``role_matrix`` counts it).
    ax : Axes, optional
        Where to draw; a new 9 x 7 inch figure when omitted.
    codebook : ignored
        Accepted so that every chart takes the same keywords.
    title : str or None
        The chart title.

    Returns
    -------
    Axes
        ``ax.images[0].get_array()`` is the roles x member types matrix.

    Examples
    --------
    >>> import pandas as pd, matplotlib.pyplot as plt
    >>> matrix = pd.DataFrame({"role": ["Networking", "Coordination", "Coordination"],
    ...                        "member_type": ["Core member", "Coordinator", "Core member"],
    ...                        "n_respondents": [2, 4, 1]})
    >>> ax = plot_roles(matrix)
    >>> ax.images[0].get_array().tolist()
    [[4.0, 1.0], [0.0, 2.0]]
    >>> plt.close(ax.figure)
    """
    table: Any = table_or_roles
    if isinstance(table, pd.DataFrame) and "aspect" in table.columns:
        from copanalysis.analysis import role_matrix

        table = role_matrix(table)
    table = require_columns(
        table,
        ("role", "member_type", "n_respondents"),
        chart="plot_roles",
        table_name="role_matrix",
    )
    counts = pd.to_numeric(table["n_respondents"], errors="coerce").fillna(0)
    matrix = table.assign(n_respondents=counts).pivot_table(
        index="role",
        columns="member_type",
        values="n_respondents",
        aggfunc="sum",
        fill_value=0,
        observed=True,
    )
    rows = _in_order(table["role"], ROLES)
    columns = _in_order(table["member_type"], MEMBER_TYPES)
    matrix = matrix.reindex(index=rows, columns=columns).fillna(0)
    ax = new_axes(ax, 2.8 + 0.8 * len(columns), 1.8 + 0.42 * len(rows))
    draw_count_grid(
        ax, matrix, row_labels=rows, column_labels=columns, label_width=30, show_zeros=False
    )
    ax.set_xlabel("Member type", fontsize=LABEL_SIZE, color=INK)
    ax.xaxis.set_label_position("top")
    if title:
        ax.set_title(title, fontsize=TITLE_SIZE, color=INK, loc="left", fontweight="bold")
    return ax
