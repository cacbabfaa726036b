"""How far coders agree, code by code: agreement statistics with confidence intervals."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.transforms import blended_transform_factory, offset_copy

from copanalysis.codebooks.order import CodebookLike, order_codes
from copanalysis.plots.canvas import (
    ANNOTATION_SIZE,
    PAGE_WIDTH,
    TITLE_SIZE,
    align_tick_labels_left,
    new_axes,
    tidy,
)
from copanalysis.plots.labels import code_labels, nest_codes, nested_label, or_built_in, wrap
from copanalysis.plots.palette import CATEGORICAL, GREY, INK, OKABE_ITO
from copanalysis.plots.tables import require_columns

__all__ = ["LANDIS_KOCH", "OVERALL", "plot_agreement"]

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


#: The ``code`` of the row of :func:`copanalysis.agreement` that pools all codes.
OVERALL = "(all codes)"
_OVERALL_LABEL = "All codes, pooled"
_MARKERS = ("o", "s", "D", "^", "v")
_GAP = 0.6  # extra space, in rows, between the codes and the pooled row


def _interval_columns(statistic: str, columns: pd.Index) -> tuple[str, str] | None:
    """The columns holding the interval of ``statistic``, if the table has them."""
    candidates = [(f"{statistic}_low", f"{statistic}_high")]
    if statistic == "krippendorff_alpha":
        candidates.insert(0, ("alpha_low", "alpha_high"))
    if statistic == "cohen_kappa":
        candidates.append(("kappa_low", "kappa_high"))
    for low, high in candidates:
        if low in columns and high in columns:
            return low, high
    return None


def _numbers(frame: pd.DataFrame, column: str | None) -> np.ndarray:
    if column is None or column not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)


def _units_note(part: pd.DataFrame) -> int | None:
    """The number of units every code of ``part`` was rated on, when it is the same."""
    if "units" not in part.columns:
        return None
    units = pd.to_numeric(part.loc[part["code"] != OVERALL, "units"], errors="coerce").dropna()
    return int(units.iloc[0]) if len(units) and units.nunique() == 1 else None


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
    Landis & Koch (1977): moderate, substantial, almost perfect; the shaded band left of 0
    is agreement below chance. Codes whose statistic could not be computed (no variation)
    are listed with "n/a". Sub-codes follow their parent, indented ("└ Human capital").
    The row pooling all codes (``"(all codes)"``) comes last, after a gap, in bold.

    With a ``comparison`` column (``"machine vs human"``, ``"human vs human"``), each code
    gets one point and interval per comparison, side by side in the order the comparisons
    first appear, each comparison in its own colour and marker, named in the legend.

    Parameters
    ----------
    table : DataFrame
        The frame of :func:`copanalysis.agreement` (``code``, ``units``, the statistics,
        ``alpha_low``/``alpha_high`` and ``kappa_low``/``kappa_high``), optionally with a
        ``comparison`` column (several such frames concatenated). Intervals come from
        ``alpha_low``/``alpha_high`` for Krippendorff's alpha, ``kappa_low``/
        ``kappa_high`` for Cohen's kappa, and ``<statistic>_low``/``<statistic>_high``
        when the table has them.
    ax : Axes, optional
        Where to draw; a new page-wide figure sized to the number of codes when omitted.
    codebook : Codebook, codebook frame or list, optional
        Orders and labels the codes; by default the built-in codebooks
        (:data:`~copanalysis.plots.labels.BUILT_IN_CODEBOOKS`).
    statistic : {"krippendorff_alpha", "cohen_kappa", "fleiss_kappa", "percent_agreement"}
        Which statistic to draw.
    thresholds : sequence of float
        Where to draw the reference lines.
    title : str or None
        The chart title.

    Returns
    -------
    Axes
        ``ax.containers`` holds one ``ErrorbarContainer`` per comparison, labelled with
        its name (``""`` without a ``comparison`` column): its first line is the points,
        and its bar lines run from each code's lower to upper bound, codes from top to
        bottom.

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
    frame = table.assign(code=table["code"].astype("string")).dropna(subset=["code"])
    if "comparison" in frame.columns:
        frame = frame.assign(comparison=frame["comparison"].astype("string").fillna(""))
    else:
        frame = frame.assign(comparison="")
    comparisons = list(dict.fromkeys(frame["comparison"]))
    interval = _interval_columns(statistic, frame.columns)
    book = or_built_in(codebook)
    nested = nest_codes([c for c in order_codes(frame["code"], book) if c != OVERALL], book)
    codes = [code for code, _ in nested]
    pooled = bool((frame["code"] == OVERALL).any())
    names = code_labels(book, codes)
    labels = {
        code: nested_label(wrap(names[code], 26 - 3 * depth, max_lines=2), depth)
        for code, depth in nested
    }

    # rows from the top: the codes, then the pooled row after a gap
    slot = {code: float(i) for i, code in enumerate(codes)}
    if pooled:
        slot[OVERALL] = len(codes) + _GAP
    n_rows = len(codes) + (1 + _GAP if pooled else 0)
    k = len(comparisons)
    row_height = 0.42 if k == 1 else 0.22 + 0.15 * k  # inches
    ax = new_axes(ax, PAGE_WIDTH, 1.9 + row_height * n_rows)
    step = min(0.2 / row_height, 0.8 / k)  # points of one code 0.2 in apart
    offsets = [((k - 1) / 2 - i) * step for i in range(k)]

    lowest = 0.0
    missing: list[tuple[float, str]] = []
    legend: list[tuple[Any, str]] = []
    for i, comparison in enumerate(comparisons):
        part = frame[frame["comparison"] == comparison].drop_duplicates("code")
        part = part[part["code"].isin(slot)]
        part = part.assign(_slot=part["code"].map(slot)).sort_values("_slot", kind="stable")
        values = _numbers(part, statistic)
        low = _numbers(part, interval[0] if interval else None)
        high = _numbers(part, interval[1] if interval else None)
        low = np.where(np.isnan(low), values, low)
        high = np.where(np.isnan(high), values, high)
        y = offsets[i] - part["_slot"].to_numpy(dtype=float)  # the first comparison on top
        shown = ~np.isnan(values)
        color = CATEGORICAL[i % len(CATEGORICAL)] if k > 1 else OKABE_ITO["blue"]
        container = ax.errorbar(
            values[shown],
            y[shown],
            xerr=np.vstack([values[shown] - low[shown], high[shown] - values[shown]]),
            fmt=_MARKERS[i % len(_MARKERS)],
            color=color,
            ecolor=color,
            elinewidth=2,
            capsize=3 if k > 1 else 4,
            markersize=6 if k > 1 else 7,
            zorder=3,
            label=comparison,
        )
        units = _units_note(part)
        if comparison or units is not None:
            name = comparison or "coders compared"
            legend.append(
                (container, name if units is None else f"{name}: {units} units per code")
            )
        each_n = units is None and "units" in part.columns
        for yi, value, top, n in zip(
            y[shown], values[shown], high[shown], _numbers(part, "units")[shown], strict=True
        ):
            ax.text(
                top + 0.02,
                yi,
                f"{round(value, 2) + 0.0:.2f}"
                + (f"  (n = {n:.0f})" if each_n and not np.isnan(n) else ""),
                ha="left",
                va="center",
                fontsize=ANNOTATION_SIZE - (0.5 if k > 1 else 0.0),
                color=INK if k == 1 else color,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6, "alpha": 0.85},
                zorder=4,
            )
        if shown.any():
            lowest = min(lowest, float(np.nanmin(low[shown])))
        missing += [(yi, color) for yi in y[~shown]]

    left = np.floor(lowest * 10) / 10 - 0.05
    for yi, color in missing:
        ax.text(
            left + 0.02,
            yi,
            "n/a",
            ha="left",
            va="center",
            fontsize=ANNOTATION_SIZE - (0.5 if k > 1 else 0.0),
            color=color if k > 1 else "#666666",
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
        if left <= -0.15:
            ax.text(
                left / 2,
                1.01,
                "below\nchance",
                transform=header,
                ha="center",
                va="bottom",
                fontsize=ANNOTATION_SIZE,
                color="#555555",
            )
    if pooled:
        ax.axhline(-(len(codes) - 0.5 + _GAP / 2), color="#BBBBBB", linewidth=0.8, zorder=1)
    ax.set_xlim(left, 1.1)
    ax.set_ylim(-(n_rows - 0.5), 0.5)
    ticks = [-slot[c] for c in [*codes, *([OVERALL] if pooled else [])]]
    ax.set_yticks(ticks)
    ax.set_yticklabels([labels[c] for c in codes] + ([_OVERALL_LABEL] if pooled else []))
    tidy(ax, xlabel=_NAMES.get(statistic, statistic), grid="x")
    ax.tick_params(axis="y", length=0)
    if pooled:
        ax.get_yticklabels()[-1].set_fontweight("bold")
    if any(depth for _, depth in nested):
        align_tick_labels_left(ax)
    if legend:
        ax.legend(
            handles=[handle for handle, _ in legend],
            labels=[text for _, text in legend],
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            # below the x axis label, whatever the height of the plot
            bbox_transform=offset_copy(
                ax.transAxes,
                fig=ax.get_figure(root=True),  # type: ignore[arg-type]
                y=-40,
                units="points",
            ),
            ncol=1,
            frameon=False,
            fontsize=ANNOTATION_SIZE,
        )
    if title:
        ax.set_title(title, loc="left", fontsize=TITLE_SIZE, fontweight="bold", color=INK, pad=34)
    return ax
