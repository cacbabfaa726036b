"""Which codes appear together: a co-occurrence heat map."""

from __future__ import annotations

from typing import Any, Literal

import pandas as pd
from matplotlib.axes import Axes

from copanalysis.codebooks.order import CodebookLike, order_codes
from copanalysis.plots.annotations import set_title
from copanalysis.plots.canvas import PAGE_WIDTH, new_axes
from copanalysis.plots.heatmap import draw_count_grid
from copanalysis.plots.labels import code_labels
from copanalysis.plots.tables import is_codes, require_columns

__all__ = ["plot_cooccurrence"]


def plot_cooccurrence(
    table_or_codes: pd.DataFrame,
    *,
    ax: Axes | None = None,
    codebook: CodebookLike = None,
    unit: Literal["doc", "segment"] = "doc",
    title: str | None = "Which codes appear together",
    **kwargs: Any,
) -> Axes:
    """Draw the code x code co-occurrence counts as a heat map with every count written in.

    The diagonal (bold) is the number of units with that code; an off-diagonal cell is the
    number of units with both codes.

    Parameters
    ----------
    table_or_codes : DataFrame
        The square frame of :func:`copanalysis.cooccurrence` (index and columns are codes),
        or a ``codes`` frame, counted per ``unit``.
    ax : Axes, optional
        Where to draw; a new figure sized to the number of codes when omitted.
    codebook : Codebook, codebook frame or list, optional
        Orders the codes (codebook order) and labels them.
    unit : {"doc", "segment"}
        What co-occurring means when ``table_or_codes`` is a ``codes`` frame.
    title : str or None
        The chart title, bold and left-aligned; None for none. Change it here:
        ``ax.set_title`` on the axes returned adds a second, centred title beside it.
    **kwargs
        Passed on to ``Axes.imshow`` (``cmap``, ``alpha``...).

    Returns
    -------
    Axes
        ``ax.images[0].get_array()`` is the table, rows and columns in codebook order.

    Examples
    --------
    >>> import pandas as pd, matplotlib.pyplot as plt
    >>> table = pd.DataFrame([[2, 5], [5, 7]], index=["potential", "immediate"],
    ...                      columns=["potential", "immediate"])
    >>> ax = plot_cooccurrence(table)
    >>> ax.images[0].get_array().tolist()
    [[7.0, 5.0], [5.0, 2.0]]
    >>> plt.close(ax.figure)
    """
    table: Any = table_or_codes
    if is_codes(table):
        from copanalysis.analysis.cooccurrence import cooccurrence

        table = cooccurrence(table, unit=unit)
    table = require_columns(table, (), chart="plot_cooccurrence", table_name="cooccurrence")
    table = table.copy()
    table.index = table.index.astype(str)
    table.columns = table.columns.astype(str)
    codes = order_codes([*table.index, *table.columns], codebook)
    square = table.reindex(index=codes, columns=codes).fillna(0)
    labels = code_labels(codebook, codes)
    # page wide: the cells share what the row labels leave, up to half an inch each
    cell = min(0.5, (PAGE_WIDTH - 1.9) / max(len(codes), 1))
    ax = new_axes(ax, PAGE_WIDTH, 2.0 + cell * len(codes))
    draw_count_grid(
        ax,
        square,
        row_labels=[labels[c] for c in codes],
        column_labels=[labels[c] for c in codes],
        bold_diagonal=True,
        **kwargs,
    )
    return set_title(ax, title)
