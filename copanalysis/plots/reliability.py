"""Whether a coder's confidence can be trusted: a reliability curve."""

from __future__ import annotations

from typing import Any

import pandas as pd
from matplotlib.axes import Axes

from copanalysis.plots.canvas import ANNOTATION_SIZE, new_axes, tidy
from copanalysis.plots.labels import count_text
from copanalysis.plots.palette import CATEGORICAL, GREY
from copanalysis.plots.tables import require_columns

__all__ = ["plot_reliability"]


def plot_reliability(
    table: pd.DataFrame | dict[str, pd.DataFrame],
    *,
    ax: Axes | None = None,
    title: str | None = "Is the coder's confidence a probability?",
    **kwargs: Any,
) -> Axes:
    """Plot how often a coder's primary code is right against its stated confidence.

    A calibrated coder's points lie on the diagonal: of the units it codes with
    confidence 0.7, seven in ten are right. Each point is a confidence bin, sized by its
    units and labelled with their number.

    Parameters
    ----------
    table : DataFrame or dict of str to DataFrame
        :func:`copanalysis.analysis.validity.reliability`, or several by name (one line
        each, such as one per coded set).
    ax : Axes, optional
    title : str, optional
    **kwargs
        Passed to the line of each table (``Axes.plot``).

    Returns
    -------
    Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> table = pd.DataFrame({"confidence": [0.3, 0.7], "accuracy": [0.25, 0.75],
    ...                       "units": [8, 4]})
    >>> ax = plot_reliability(table)
    >>> [round(float(v), 2) for v in ax.lines[1].get_ydata()]
    [0.25, 0.75]
    >>> plt.close(ax.figure)
    """
    tables = table if isinstance(table, dict) else {"": table}
    ax = new_axes(ax, 5.2, 5.4)
    ax.plot([0, 1], [0, 1], color=GREY, linestyle="--", linewidth=1, label="calibrated")
    for index, ((name, part), color) in enumerate(zip(tables.items(), CATEGORICAL, strict=False)):
        require_columns(
            part,
            ("confidence", "accuracy", "units"),
            chart="plot_reliability",
            table_name="reliability",
        )
        style = {"color": color, "marker": "o", "linewidth": 1.5, **kwargs}
        ece = part.attrs.get("ece")
        label = name if ece is None else f"{name}: calibration error {ece:.2f}".lstrip(": ")
        ax.plot(part["confidence"], part["accuracy"], label=label or None, **style)
        # unit counts beside the points, right of one series and left of the next
        side = (6, -4) if index % 2 == 0 else (-6, 4)
        for x, y, n in zip(part["confidence"], part["accuracy"], part["units"], strict=True):
            ax.annotate(
                count_text(n),
                (x, y),
                xytext=side,
                textcoords="offset points",
                ha="left" if index % 2 == 0 else "right",
                fontsize=ANNOTATION_SIZE,
                color=color,
            )
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.02, 1.02)
    ax.set_aspect("equal")
    ax.legend(
        frameon=False,
        fontsize=ANNOTATION_SIZE,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.16),
        ncol=1,
    )
    return tidy(
        ax,
        title=title,
        xlabel="Confidence of the primary code",
        ylabel="Share right (units in each bin)",
        grid="y",
    )
