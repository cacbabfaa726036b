"""A table of counts drawn as a shaded grid with every count written in its cell."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import Normalize

from copanalysis.plots.canvas import ANNOTATION_SIZE, TICK_SIZE
from copanalysis.plots.labels import count_text, wrap
from copanalysis.plots.palette import count_colormap, text_color_on

__all__ = ["draw_count_grid"]


def draw_count_grid(
    ax: Axes,
    counts: pd.DataFrame,
    *,
    row_labels: list[str],
    column_labels: list[str],
    label_width: int = 24,
    show_zeros: bool = True,
    bold_diagonal: bool = False,
    **kwargs: Any,
) -> Axes:
    """Shade ``counts`` (rows x columns) on ``ax`` with Tol's YlOrBr and write each count.

    The image is the Axes' only image, so ``ax.images[0].get_array()`` equals ``counts``.
    Column labels sit on top, slanted, so long names do not collide. ``kwargs`` go to
    ``Axes.imshow`` (``cmap``, ``alpha``...); each count is written in black or white,
    whichever reads better on its cell.

    Examples
    --------
    >>> import pandas as pd, matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> table = pd.DataFrame([[3, 1], [1, 2]], index=["a", "b"], columns=["a", "b"])
    >>> ax = draw_count_grid(ax, table, row_labels=["A", "B"], column_labels=["A", "B"])
    >>> ax.images[0].get_array().tolist()
    [[3.0, 1.0], [1.0, 2.0]]
    >>> plt.close(fig)
    """
    values = counts.to_numpy(dtype=float)
    most = float(np.nanmax(values)) if values.size and np.isfinite(values).any() else 0.0
    norm = Normalize(vmin=0, vmax=max(most, 1.0))
    style = {"cmap": count_colormap(), "aspect": "auto", "interpolation": "nearest", **kwargs}
    image = ax.imshow(values, norm=norm, **style)
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            value = values[i, j]
            if np.isnan(value) or (value == 0 and not show_zeros):
                continue
            ax.text(
                j,
                i,
                count_text(value),
                ha="center",
                va="center",
                fontsize=ANNOTATION_SIZE,
                color=text_color_on(image.to_rgba(value)),
                fontweight="bold" if bold_diagonal and i == j else "normal",
            )
    ax.set_xticks(range(values.shape[1]))
    ax.set_xticklabels(
        [wrap(label, label_width, max_lines=2) for label in column_labels],
        rotation=40,
        ha="left",
        rotation_mode="anchor",
        fontsize=TICK_SIZE,
    )
    ax.set_yticks(range(values.shape[0]))
    ax.set_yticklabels(
        [wrap(label, label_width, max_lines=2) for label in row_labels], fontsize=TICK_SIZE
    )
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xticks(np.arange(values.shape[1] + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(values.shape[0] + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    return ax
