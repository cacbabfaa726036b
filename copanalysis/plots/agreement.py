"""How far coders agree, code by code: agreement statistics with confidence intervals."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.transforms import blended_transform_factory

from copanalysis.codebooks.order import CodebookLike, order_codes
from copanalysis.plots.canvas import ANNOTATION_SIZE, TITLE_SIZE, new_axes, tidy
from copanalysis.plots.labels import code_labels, wrap
from copanalysis.plots.palette import GREY, INK, OKABE_ITO
from copanalysis.plots.tables import require_columns

__all__ = ["LANDIS_KOCH", "plot_agreement"]

Statistic = Literal["krippendorff_alpha", "cohen_kappa", "fleiss_kappa", "percent_agreement"]

_NAMES: dict[str, str] = {
    "krippendorff_alpha": "Krippendorff's α",
    "cohen_kappa": "Cohen's κ",
    "fleiss_kappa": "Fleiss' κ",
    "percent_agreement": "Share of units coded alike",
}
#: Landis & Koch (1977) bands: (lower bound, name).
LANDIS_KOCH: tuple[tuple[float, str], ...] = (
    (0.0, "slight"),
    (0.2, "fair"),
    (0.4, "moderate"),
    (0.6, "substantial"),
    (0.8, "almost perfect"),
)


def _interval_columns(statistic: str) -> tuple[str, str]:
    if statistic == "krippendorff_alpha":
        return "alpha_low", "alpha_high"
    return f"{statistic}_low", f"{statistic}_high"


def plot_agreement(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    codebook: CodebookLike = None,
    statistic: Statistic = "krippendorff_alpha",
    thresholds: Sequence[float] = (0.6, 0.8),
    title: str | None = "Agreement between coders, by code",
) -> Axes:
    """Draw one point per code at its agreement statistic, with its confidence interval.

    Dashed lines mark ``thresholds`` (0.6 and 0.8), and the bands between are named after
    Landis & Koch (1977): moderate, substantial, almost perfect. Codes whose statistic could
    not be computed (no variation) are listed with "n/a".

    Parameters
    ----------
    table : DataFrame
        The frame of :func:`copanalysis.agreement` (``code``, ``units``, the statistics,
        and ``alpha_low``/``alpha_high``). Intervals come from ``alpha_low``/``alpha_high``
        for Krippendorff's alpha and from ``<statistic>_low``/``<statistic>_high`` for the
        others, when the table has them.
    ax : Axes, optional
        Where to draw; a new figure sized to the number of codes when omitted.
    codebook : Codebook, codebook frame or list, optional
        Orders and labels the codes.
    statistic : {"krippendorff_alpha", "cohen_kappa", "fleiss_kappa", "percent_agreement"}
        Which statistic to draw.
    thresholds : sequence of float
        Where to draw the reference lines.
    title : str or None
        The chart title.

    Returns
    -------
    Axes
        The points are the first line of ``ax.containers[0]`` (an ``ErrorbarContainer``);
        its bar lines run from each code's lower to upper bound.

    Examples
    --------
    >>> import pandas as pd, matplotlib.pyplot as plt
    >>> table = pd.DataFrame({"code": ["immediate", "potential"], "units": [40, 40],
    ...                       "krippendorff_alpha": [0.82, 0.55],
    ...                       "alpha_low": [0.7, 0.31], "alpha_high": [0.91, 0.74]})
    >>> ax = plot_agreement(table)
    >>> [seg[:, 0].tolist() for seg in ax.containers[0].lines[2][0].get_segments()]
    [[0.7, 0.91], [0.31, 0.74]]
    >>> plt.close(ax.figure)
    """
    table = require_columns(
        table, ("code", statistic), chart="plot_agreement", table_name="agreement"
    )
    low_col, high_col = _interval_columns(statistic)
    frame = table.assign(code=table["code"].astype("string"))
    codes = order_codes(frame["code"].dropna(), codebook)
    frame = frame.set_index("code").loc[codes]
    labels = code_labels(codebook, codes)
    values = pd.to_numeric(frame[statistic], errors="coerce").to_numpy(dtype=float)
    has_ci = low_col in frame.columns and high_col in frame.columns
    low = (
        pd.to_numeric(frame[low_col], errors="coerce").to_numpy(dtype=float) if has_ci else values
    )
    high = (
        pd.to_numeric(frame[high_col], errors="coerce").to_numpy(dtype=float) if has_ci else values
    )
    low = np.where(np.isnan(low), values, low)
    high = np.where(np.isnan(high), values, high)

    ax = new_axes(ax, 7.5, 1.5 + 0.42 * len(codes))
    y = np.arange(len(codes))[::-1].astype(float)
    shown = ~np.isnan(values)
    ax.errorbar(
        values[shown],
        y[shown],
        xerr=np.vstack([values[shown] - low[shown], high[shown] - values[shown]]),
        fmt="o",
        color=OKABE_ITO["blue"],
        ecolor=OKABE_ITO["blue"],
        elinewidth=2,
        capsize=4,
        markersize=7,
        zorder=3,
    )
    for yi, value, top in zip(y[shown], values[shown], high[shown], strict=True):
        ax.text(
            top + 0.02,
            yi,
            f"{value:.2f}",
            ha="left",
            va="center",
            fontsize=ANNOTATION_SIZE,
            color=INK,
        )
    leftmost = min(0.0, float(np.nanmin(low)) if shown.any() else 0.0)
    left = np.floor(leftmost * 10) / 10 - 0.05
    for yi in y[~shown]:
        ax.text(
            left + 0.02,
            yi,
            "n/a",
            ha="left",
            va="center",
            fontsize=ANNOTATION_SIZE,
            color="#666666",
            fontstyle="italic",
        )
    for threshold in thresholds:
        ax.axvline(threshold, color="#555555", linestyle="--", linewidth=1, zorder=1)
    if statistic != "percent_agreement":
        header = blended_transform_factory(ax.transData, ax.transAxes)
        bounds = [b for b, _ in LANDIS_KOCH] + [1.0]
        for (start, name), end in zip(LANDIS_KOCH, bounds[1:], strict=True):
            if start >= left and start >= 0.4:
                ax.text(
                    (start + end) / 2,
                    1.01,
                    name.replace(" ", "\n"),
                    transform=header,
                    ha="center",
                    va="bottom",
                    fontsize=ANNOTATION_SIZE,
                    color="#555555",
                )
        ax.axvspan(max(left, -1.0), 0.0, color=GREY, alpha=0.18, zorder=0, linewidth=0)
    ax.set_xlim(left, 1.1)
    ax.set_ylim(-0.6, len(codes) - 0.4)
    ax.set_yticks(y)
    units = frame["units"] if "units" in frame.columns else pd.Series(pd.NA, index=frame.index)
    ax.set_yticklabels(
        [
            wrap(labels[c], 26, max_lines=2) + ("" if pd.isna(u) else f"\n(n = {int(u)})")
            for c, u in zip(codes, units, strict=True)
        ]
    )
    tidy(ax, xlabel=_NAMES.get(statistic, statistic), grid="x")
    ax.tick_params(axis="y", length=0)
    if title:
        ax.set_title(title, loc="left", fontsize=TITLE_SIZE, fontweight="bold", color=INK, pad=30)
    return ax
