"""The page a chart is drawn on: a new figure of a sensible size, and the house typography.

Charts set sizes and colours on their own artists; nothing here touches ``rcParams``.
"""

from __future__ import annotations

from matplotlib.axes import Axes

from copanalysis.plots.palette import INK

__all__ = ["ANNOTATION_SIZE", "LABEL_SIZE", "TICK_SIZE", "TITLE_SIZE", "new_axes", "tidy"]

#: Font sizes in points, chosen for a figure printed at report width (about 16 cm).
TITLE_SIZE: float = 13.0
LABEL_SIZE: float = 11.0
TICK_SIZE: float = 10.0
ANNOTATION_SIZE: float = 9.0


def new_axes(ax: Axes | None, width: float, height: float) -> Axes:
    """Return ``ax``, or the Axes of a new pyplot figure of ``width`` x ``height`` inches
    (at least 2.5 inches high, so a title and one row fit).

    The figure uses the constrained layout engine, so long labels push the plot area in
    rather than off the page.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = new_axes(None, 6, 3)
    >>> [round(v) for v in ax.figure.get_size_inches()]
    [6, 3]
    >>> plt.close(ax.figure)
    """
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(width, max(height, 2.5)), layout="constrained")
    return fig.add_subplot()


def tidy(
    ax: Axes,
    *,
    title: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    grid: str | None = None,
) -> Axes:
    """House style: title and axis labels at report sizes, no top/right spines, light grid.

    Parameters
    ----------
    grid : {"x", "y"} or None
        Draw light grid lines across that axis' ticks, behind the data.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = tidy(new_axes(None, 4, 3), title="Stories", xlabel="n")
    >>> ax.get_title(loc="left"), ax.spines["top"].get_visible()
    ('Stories', False)
    >>> plt.close(ax.figure)
    """
    if title is not None:
        ax.set_title(title, fontsize=TITLE_SIZE, color=INK, loc="left", fontweight="bold")
    if xlabel is not None:
        ax.set_xlabel(xlabel, fontsize=LABEL_SIZE, color=INK)
    if ylabel is not None:
        ax.set_ylabel(ylabel, fontsize=LABEL_SIZE, color=INK)
    ax.tick_params(labelsize=TICK_SIZE, colors=INK, length=3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#888888")
    if grid is not None:
        ax.set_axisbelow(True)
        ax.grid(True, axis=grid, color="#E5E5E5", linewidth=0.8)  # type: ignore[arg-type]
    return ax
