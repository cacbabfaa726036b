"""The words on a chart: counts beside bars, headings, notes, legends and the title, each in
the house sizes and ink, so that a chart says only where its words go and what they say.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.legend import Legend
from matplotlib.text import Text
from matplotlib.transforms import Transform, offset_copy

from copanalysis.plots.canvas import ANNOTATION_SIZE, LABEL_SIZE, TITLE_SIZE
from copanalysis.plots.palette import INK

__all__ = [
    "MUTED",
    "below_axes",
    "draw_bars",
    "heading",
    "key",
    "say_empty",
    "set_title",
    "write",
]

#: Notes and secondary text.
MUTED: str = "#555555"


def write(
    ax: Axes,
    x: float,
    y: float,
    text: str,
    *,
    size: float = ANNOTATION_SIZE,
    color: str = INK,
    ha: str = "left",
    va: str = "center",
    **style: Any,
) -> Text:
    """Write ``text`` at ``(x, y)`` (data units unless ``transform`` is given), at the
    annotation size in ink, centred vertically.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> write(ax, 0, 0, "12", fontweight="bold").get_fontsize()
    9.0
    >>> plt.close(fig)
    """
    return ax.text(x, y, text, ha=ha, va=va, fontsize=size, color=color, **style)


def heading(ax: Axes, x: float, y: float, text: str, **style: Any) -> Text:
    """Write a bold heading (a row, column or group name) at the axis-label size, centred.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> heading(ax, 0.5, 1, "Short term").get_fontweight()
    'bold'
    >>> plt.close(fig)
    """
    options: dict[str, Any] = {"ha": "center", "size": LABEL_SIZE, "fontweight": "bold"}
    return write(ax, x, y, text, **{**options, **style})


def say_empty(ax: Axes, message: str) -> Text:
    """Say in the middle of ``ax`` that there is nothing to draw.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> say_empty(ax, "No moves between cycles").get_position()
    (0.5, 0.5)
    >>> plt.close(fig)
    """
    return write(ax, 0.5, 0.5, message, size=LABEL_SIZE, ha="center", transform=ax.transAxes)


def set_title(ax: Axes, title: str | None, *, pad: float | None = None) -> Axes:
    """Give ``ax`` its title, bold and left-aligned at the title size (none for ``None``);
    ``pad`` points above the plot area leave room for texts drawn over it.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> set_title(ax, "Stories").get_title(loc="left")
    'Stories'
    >>> plt.close(fig)
    """
    if title:
        ax.set_title(title, fontsize=TITLE_SIZE, color=INK, loc="left", fontweight="bold", pad=pad)
    return ax


def below_axes(ax: Axes, points: float) -> Transform:
    """Axes coordinates moved down by ``points``: to put a note or a legend under the x axis
    label, whatever the height of the plot."""
    figure = ax.get_figure(root=True)
    return offset_copy(ax.transAxes, fig=figure, y=-points, units="points")  # type: ignore[arg-type]


def key(ax: Axes, handles: Sequence[Any], **options: Any) -> Legend:
    """A frameless legend of ``handles`` at the annotation size; ``options`` go to
    ``Axes.legend`` (``loc``, ``ncol``, ``title``...).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from matplotlib.patches import Patch
    >>> fig, ax = plt.subplots()
    >>> [t.get_text() for t in key(ax, [Patch(label="North")]).get_texts()]
    ['North']
    >>> plt.close(fig)
    """
    style: dict[str, Any] = {"frameon": False, "fontsize": ANNOTATION_SIZE}
    return ax.legend(handles=list(handles), **{**style, **options})


def draw_bars(
    ax: Axes,
    positions: Sequence[float],
    lengths: Sequence[float],
    *,
    gids: Sequence[str],
    labels: Sequence[str] | None = None,
    starts: Sequence[float] | None = None,
    horizontal: bool = True,
    gap: float = 0.0,
    label_size: float = ANNOTATION_SIZE,
    **kwargs: Any,
) -> BarContainer:
    """Draw one bar per position, each with its ``gid``, and write its label past its end.

    Parameters
    ----------
    ax : Axes
    positions : sequence of float
        Where each bar sits across the value axis (y for horizontal bars).
    lengths : sequence of float
        How long each bar is; drawn from ``starts`` (0 by default).
    gids : sequence of str
        The ``gid`` of each bar's ``Rectangle``, by which tests and readers find it.
    labels : sequence of str, optional
        The text past each bar's end away from 0 ("14 (70%)"); empty strings write
        nothing. A bar left of 0 gets its label on its left.
    starts : sequence of float, optional
        Where each bar starts on the value axis.
    horizontal : bool
        ``Axes.barh`` when true, ``Axes.bar`` (labels above the bars) otherwise.
    gap : float
        Room between a bar's end and its label, in data units.
    label_size : float
        The labels' font size.
    **kwargs
        Passed on to ``Axes.barh`` / ``Axes.bar`` (``color``, ``height``, ``hatch``,
        ``alpha``...).

    Returns
    -------
    BarContainer

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> bars = draw_bars(ax, [1, 0], [14, 9], gids=["n:a", "n:b"], labels=["14", ""])
    >>> [(p.get_gid(), float(p.get_width())) for p in bars], [t.get_text() for t in ax.texts]
    ([('n:a', 14.0), ('n:b', 9.0)], ['14'])
    >>> plt.close(fig)
    """
    starts = list(starts) if starts is not None else [0.0] * len(lengths)
    if horizontal:
        bars = ax.barh(list(positions), list(lengths), left=starts, **kwargs)
    else:
        bars = ax.bar(list(positions), list(lengths), bottom=starts, **kwargs)
    for bar, gid in zip(bars, gids, strict=True):
        bar.set_gid(gid)
    for position, length, start, text in zip(
        positions, lengths, starts, labels or [""] * len(bars), strict=True
    ):
        if not text:
            continue
        end = start + length
        if horizontal:
            far = end if abs(end) >= abs(start) else start  # the end away from 0
            leftwards = far < 0
            x = far - gap if leftwards else far + gap
            write(ax, x, position, text, size=label_size, ha="right" if leftwards else "left")
        else:
            ax.annotate(
                text,
                (position, end),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=label_size,
                color=INK,
            )
    return bars
