"""The page a chart is drawn on: a new figure of a sensible size, and the house typography.

Charts set sizes and colours on their own artists; nothing here touches ``rcParams``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text

from copanalysis.plots.palette import INK

__all__ = [
    "ANNOTATION_SIZE",
    "LABEL_SIZE",
    "PAGE_WIDTH",
    "TICK_SIZE",
    "TITLE_SIZE",
    "align_tick_labels_left",
    "new_axes",
    "text_overlaps",
    "tidy",
]

#: Font sizes in points, chosen for a figure printed at report width (about 16 cm).
TITLE_SIZE: float = 13.0
LABEL_SIZE: float = 11.0
TICK_SIZE: float = 10.0
ANNOTATION_SIZE: float = 9.0
#: The text width of an A4 page with the report's margins (182 mm), in inches. The report
#: scales every figure to this width, so a chart drawn this wide prints its fonts at the
#: sizes above; a wider one shrinks them.
PAGE_WIDTH: float = 7.2


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


def _corners(text: Text, renderer: Any, grow: float) -> np.ndarray | None:
    """The four corners of ``text`` on the page (display units), rotated with the text."""
    turned = text.get_window_extent(renderer)
    angle = text.get_rotation()
    if angle % 180:
        text.set_rotation(0)
        flat = text.get_window_extent(renderer)
        text.set_rotation(angle)
    else:
        flat = turned
    width, height = flat.width + 2 * grow, flat.height + 2 * grow
    if flat.width <= 0 or flat.height <= 0:
        return None
    # a rectangle's bounding box, however it is turned, has the rectangle's centre
    centre = np.array([(turned.x0 + turned.x1) / 2, (turned.y0 + turned.y1) / 2])
    theta = np.deg2rad(angle)
    rotation = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    half = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]]) * [width / 2, height / 2]
    return np.asarray(centre + half @ rotation.T)


def _separated(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two convex quadrilaterals are apart (separating axis theorem)."""
    for quad in (a, b):
        for i in range(4):
            edge = quad[(i + 1) % 4] - quad[i]
            normal = np.array([-edge[1], edge[0]])
            pa, pb = a @ normal, b @ normal
            if pa.max() <= pb.min() or pb.max() <= pa.min():
                return True
    return False


def _drawn_texts(figure: Figure) -> list[Text]:
    """The texts a draw of ``figure`` actually puts on the page, in drawing order (not the
    tick labels outside the view, nor those of an axis that is switched off)."""
    drawn: list[Text] = []
    draw = Text.draw

    def record(self: Text, renderer: Any) -> None:
        if self.get_visible():
            drawn.append(self)
        draw(self, renderer)

    Text.draw = record  # type: ignore[method-assign,assignment]
    try:
        figure.draw_without_rendering()
    finally:
        Text.draw = draw  # type: ignore[method-assign]
    return list(dict.fromkeys(drawn))


def text_overlaps(figure: Figure, *, pad: float = 0.0) -> list[tuple[str, str]]:
    """The pairs of texts of ``figure`` that overlap on the page, to check a chart's layout.

    Every visible, non-empty text counts: titles, axis and tick labels, legends and the
    texts a chart writes. Slanted labels are compared as the slanted boxes they are. A
    text that runs off the figure is paired with ``"(figure edge)"``. The figure is drawn
    once to measure them.

    Parameters
    ----------
    figure : Figure
        The figure to check.
    pad : float
        Grow every text box by this many points on each side before comparing, to ask for
        some white space between texts.

    Returns
    -------
    list of (str, str)
        The texts of each overlapping pair, in drawing order; empty when nothing overlaps.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = new_axes(None, 4, 3)
    >>> _ = ax.text(0.5, 0.5, "one"), ax.text(0.5, 0.5, "two"), ax.text(0.1, 0.9, "three")
    >>> _ = ax.text(1.5, 0.5, "off the page")
    >>> text_overlaps(ax.figure)
    [('(figure edge)', 'off the page'), ('one', 'two')]
    >>> plt.close(ax.figure)
    """
    drawn = _drawn_texts(figure)
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    grow = pad * figure.dpi / 72
    quads = []
    for text in drawn:
        if not text.get_text().strip():
            continue
        corners = _corners(text, renderer, grow)
        if corners is not None:
            quads.append((text.get_text(), corners))
    page = figure.bbox
    edge = [
        ("(figure edge)", text)
        for text, quad in quads
        if (quad[:, 0].min() < page.x0 - 0.5 or quad[:, 0].max() > page.x1 + 0.5)
        or (quad[:, 1].min() < page.y0 - 0.5 or quad[:, 1].max() > page.y1 + 0.5)
    ]
    return edge + [
        (a, b)
        for i, (a, quad_a) in enumerate(quads)
        for b, quad_b in quads[i + 1 :]
        if not _separated(quad_a, quad_b)
    ]


def align_tick_labels_left(ax: Axes, *, gap: float = 4.0) -> Axes:
    """Left-align the y tick labels of ``ax`` in a column of their own, so that indented
    labels (sub-codes under their parent) read as indented.

    Parameters
    ----------
    gap : float
        White space between the longest label and the axis, in points.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = new_axes(None, 4, 3)
    >>> ax.set_yticks([0, 1], ["Potential value", "  └ Human capital"])  # doctest: +ELLIPSIS
    [...]
    >>> ax = align_tick_labels_left(ax)
    >>> {label.get_horizontalalignment() for label in ax.get_yticklabels()}
    {'left'}
    >>> plt.close(ax.figure)
    """
    figure = ax.get_figure(root=True)
    if figure is None:
        return ax
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    labels = [label for label in ax.get_yticklabels() if label.get_text()]
    if not labels:
        return ax
    widest = max(label.get_window_extent(renderer).width for label in labels)
    ax.tick_params(axis="y", pad=widest * 72 / figure.dpi + gap)
    for label in ax.get_yticklabels():
        label.set_horizontalalignment("left")
    return ax
