"""How far coders agree, code by code: agreement statistics with confidence intervals."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.transforms import blended_transform_factory

from copanalysis.analysis.agreement import MIN_APPLIED
from copanalysis.codebooks.order import CodebookLike, order_codes
from copanalysis.plots.annotations import MUTED, below_axes, key, set_title, write
from copanalysis.plots.canvas import (
    ANNOTATION_SIZE,
    PAGE_WIDTH,
    align_tick_labels_left,
    new_axes,
    tidy,
)
from copanalysis.plots.labels import (
    code_labels,
    count_text,
    nest_codes,
    nested_label,
    or_built_in,
    shorten,
    wrap,
)
from copanalysis.plots.palette import CATEGORICAL, GREY, INK, OKABE_ITO
from copanalysis.plots.tables import require_columns

__all__ = ["LANDIS_KOCH", "OVERALL", "coder_name", "plot_agreement"]

Statistic = Literal["krippendorff_alpha", "cohen_kappa", "fleiss_kappa", "percent_agreement"]

_NAMES: dict[str, str] = {
    "krippendorff_alpha": "Krippendorff's α",
    "cohen_kappa": "Cohen's κ",
    "fleiss_kappa": "Fleiss' κ",
    "percent_agreement": "Share of units coded alike",
}
#: Landis & Koch (1977) bands of kappa: (lower bound, name).
LANDIS_KOCH: tuple[tuple[float, str], ...] = (
    (0.0, "slight"),
    (0.2, "fair"),
    (0.4, "moderate"),
    (0.6, "substantial"),
    (0.8, "almost perfect"),
)
#: Krippendorff's (2004) bands of alpha: data to rely on from 0.800, to draw tentative
#: conclusions from 0.667 (trial 45: kappa's words on an alpha axis).
KRIPPENDORFF: tuple[tuple[float, str], ...] = (
    (0.0, "unreliable"),
    (0.667, "tentative"),
    (0.8, "reliable"),
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


def coder_name(coder: object) -> str:
    """A coder's name for a legend: a person's as it is, a machine coder's id without its
    version hash ("semantic:value_cycles@938dac12" -> "semantic (value_cycles)").

    Examples
    --------
    >>> coder_name("semantic:value_cycles@938dac12"), coder_name("Ana Ruiz")
    ('semantic (value_cycles)', 'Ana Ruiz')
    """
    text = str(coder)
    machine = re.fullmatch(r"([^:@\s]+):([^:@\s]+)@[0-9a-fA-F.]+", text)
    if machine:
        return f"{machine[1]} ({machine[2]})"
    return re.sub(r"@[0-9a-fA-F]{6,}$", "", text)


def _compared(table: pd.DataFrame) -> str:
    """Who is compared, from the table's ``attrs`` (``"Ana vs semantic (value_cycles)"``),
    else ``"coders compared"``."""
    coders = table.attrs.get("coders") or []
    return " vs ".join(coder_name(c) for c in coders) if coders else "coders compared"


def _pool_note(table: pd.DataFrame, codes: list[str], names: dict[str, str]) -> str:
    """What the pooled row leaves out, from ``attrs["pooled_codes"]``, or ``""``."""
    pooled = table.attrs.get("pooled_codes")
    if pooled is None or not (table["code"] == OVERALL).any():
        return ""
    left_out = [c for c in codes if c not in set(pooled)]
    if not left_out:
        return ""
    people = [coder_name(c) for c in table.attrs.get("pooled_over") or []]
    whose = f" {' and '.join(people)} used" if people else " pooled"
    return shorten(
        f"pooled: the {len(pooled)} codes{whose}, not "
        + ", ".join(names.get(c, c) for c in left_out),
        110,
    )


def _missing_text(row: pd.Series) -> str:
    """Why a code has no statistic: the machine never found it in the sentences a person
    coded with it (``not_found``: how many), too few uses to estimate one, or none to have."""
    missed = pd.to_numeric(pd.Series([row.get("not_found")]), errors="coerce").iloc[0]
    if pd.notna(missed) and missed > 0:
        sentences = "sentence" if missed == 1 else "sentences"
        coded = f"{count_text(missed)} {sentences} coded with it"
        return f"the machine never found it (0 of the {coded})"
    fewest = pd.to_numeric(pd.Series([row.get("fewest_applied")]), errors="coerce").iloc[0]
    if pd.isna(fewest) or fewest >= MIN_APPLIED:
        return "n/a"
    used = "never used it" if fewest == 0 else f"used it on {count_text(fewest)} unit only"
    return f"too few to estimate (a coder {used})"


def _comparisons(table: pd.DataFrame, statistic: str) -> pd.DataFrame:
    """The table with string codes and a ``comparison`` column ("" when it has none)."""
    table = require_columns(
        table, ("code", statistic), chart="plot_agreement", table_name="agreement"
    )
    frame = table.assign(code=table["code"].astype("string")).dropna(subset=["code"])
    if "comparison" in frame.columns:
        return frame.assign(comparison=frame["comparison"].astype("string").fillna(""))
    return frame.assign(comparison="")


def _draw_comparison(
    ax: Axes, part: pd.DataFrame, statistic: str, interval: tuple[str, str] | None,
    offset: float, i: int, k: int, **kwargs: Any,
) -> tuple[Any, float, list[tuple[float, str, str]], int | None]:  # fmt: skip
    """Draw one comparison's points and intervals, each value written past its interval.

    Returns the container, the lowest bound drawn, the rows with no value (y, colour, why)
    and the number of units every code was rated on (None when they differ)."""
    values = _numbers(part, statistic)
    low = _numbers(part, interval[0] if interval else None)
    high = _numbers(part, interval[1] if interval else None)
    low, high = np.where(np.isnan(low), values, low), np.where(np.isnan(high), values, high)
    y = offset - part["_slot"].to_numpy(dtype=float)  # the first comparison on top
    shown = ~np.isnan(values)
    color = CATEGORICAL[i % len(CATEGORICAL)] if k > 1 else OKABE_ITO["blue"]
    style = {"color": color, "ecolor": color, "elinewidth": 2, "capsize": 3 if k > 1 else 4,
             "markersize": 6 if k > 1 else 7, "zorder": 3, **kwargs}  # fmt: skip
    xerr = np.vstack([values[shown] - low[shown], high[shown] - values[shown]])
    marker = _MARKERS[i % len(_MARKERS)]
    container = ax.errorbar(values[shown], y[shown], xerr=xerr, fmt=marker, **style)
    units = _units_note(part)
    each_n = units is None and "units" in part.columns
    size = ANNOTATION_SIZE - (0.5 if k > 1 else 0.0)
    backing = {"facecolor": "white", "edgecolor": "none", "pad": 0.6}  # over the dashed lines
    ns = _numbers(part, "units")[shown]
    for yi, value, top, n in zip(y[shown], values[shown], high[shown], ns, strict=True):
        text = f"{round(value, 2) + 0.0:.2f}"
        text += f"  (n = {count_text(n)})" if each_n and not np.isnan(n) else ""
        ink = INK if k == 1 else color
        write(ax, top + 0.02, yi, text, size=size, color=ink, bbox=backing, zorder=4)
    lowest = float(np.nanmin(low[shown])) if shown.any() else 0.0
    reasons = [_missing_text(row) for _, row in part[~shown].iterrows()]
    return (
        container,
        lowest,
        list(zip(y[~shown], [color] * len(reasons), reasons, strict=True)),
        units,
    )


def _bands(ax: Axes, left: float, statistic: str) -> None:
    """Name the bands of ``statistic`` over the plot (Krippendorff's for alpha, Landis &
    Koch's for kappa), and shade agreement below chance."""
    header = blended_transform_factory(ax.transData, ax.transAxes)
    over: dict[str, Any] = {"transform": header, "ha": "center", "va": "bottom", "color": MUTED}
    bands = KRIPPENDORFF if statistic == "krippendorff_alpha" else LANDIS_KOCH
    bounds = [b for b, _ in bands] + [1.0]
    for (start, name), end in zip(bands, bounds[1:], strict=True):
        if start >= left:  # every band named, the weak ones too (trial 23)
            write(ax, (start + end) / 2, 1.01, name.replace(" ", "\n"), **over)
    ax.axvspan(max(left, -1.0), 0.0, color=GREY, alpha=0.18, zorder=0, linewidth=0)
    if left <= -0.15:
        write(ax, left / 2, 1.01, "below\nchance", **over)


def _references(ax: Axes, statistic: str, thresholds: Sequence[float] | None, left: float) -> None:
    """The dashed lines at ``thresholds`` (by default the bounds of the statistic's bands)
    and the bands' names."""
    if statistic == "percent_agreement":
        bands: tuple[tuple[float, str], ...] = ()
    else:
        bands = KRIPPENDORFF if statistic == "krippendorff_alpha" else LANDIS_KOCH
    lines = [b for b, _ in bands if b >= 0.6] if thresholds is None else thresholds
    for threshold in lines:
        ax.axvline(threshold, color=MUTED, linestyle="--", linewidth=1, zorder=1)
    if bands:
        _bands(ax, left, statistic)


def _axis_label(table: pd.DataFrame, statistic: str, intervals: bool) -> str:
    """The statistic's name, and what its lines are when the table says ("Krippendorff's
    α (lines: 95% bootstrap intervals)")."""
    level = table.attrs.get("confidence")
    said = f" (lines: {level:.0%} bootstrap intervals)" if level and intervals else ""
    return _NAMES.get(statistic, statistic) + said


def plot_agreement(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    codebook: CodebookLike = None,
    statistic: Statistic = "krippendorff_alpha",
    thresholds: Sequence[float] | None = None,
    title: str | None = "Agreement between coders, by code",
    **kwargs: Any,
) -> Axes:
    """Draw one point per code at its agreement statistic, with its confidence interval.

    Dashed lines mark ``thresholds``, and the bands are named: for Krippendorff's alpha
    after Krippendorff (2004), reliable from 0.800 and good for tentative conclusions from
    0.667; for a kappa after Landis & Koch (1977), slight, fair, moderate, substantial
    (0.6), almost perfect (0.8); the shaded band left of 0 is agreement below chance. The
    x axis says what the intervals are (the table's ``attrs["confidence"]``: "95%
    bootstrap intervals") and the legend what a unit is (``attrs["units_are"]``). Codes
    whose statistic could not be computed (no variation)
    are listed with "n/a", and codes a coder used on fewer than
    :data:`~copanalysis.analysis.agreement.MIN_APPLIED` units (``fewest_applied``) with
    "too few to estimate", in grey and with no point or interval; a code with a
    ``not_found`` value (the sentences a person coded with it, of which the machine found it
    in none) says so instead: "the machine never found it (0 of the 4 sentences coded with
    it)". Sub-codes follow their
    parent, indented ("└ Human capital"). The row pooling all codes (``"(all codes)"``)
    comes last, after a gap, in bold. The legend names the coders compared (from the
    table's ``attrs["coders"]``; a machine coder without its version hash) and, when the
    pooled row leaves codes out (``attrs["pooled_codes"]``), which.

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
    thresholds : sequence of float, optional
        Where to draw the reference lines; by default the bounds of the bands above
        (0.667 and 0.8 for alpha, 0.6 and 0.8 for a kappa).
    title : str or None
        The chart title, bold and left-aligned; None for none. Change it here:
        ``ax.set_title`` on the axes returned adds a second, centred title beside it.
    **kwargs
        Passed on to ``Axes.errorbar`` for every comparison (``color``, ``markersize``,
        ``elinewidth``, ``alpha``...).

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
    frame = _comparisons(table, statistic)
    comparisons = list(dict.fromkeys(frame["comparison"]))
    interval = _interval_columns(statistic, frame.columns)
    book = or_built_in(codebook)
    nested = nest_codes([c for c in order_codes(frame["code"], book) if c != OVERALL], book)
    codes = [code for code, _ in nested]
    pooled = bool((frame["code"] == OVERALL).any())
    names = code_labels(book, codes)
    labels = [
        nested_label(wrap(names[c], 26 - 3 * depth, max_lines=2), depth) for c, depth in nested
    ]
    # rows from the top: the codes, then the pooled row after a gap
    slot = {code: float(i) for i, code in enumerate(codes)}
    if pooled:
        slot[OVERALL] = len(codes) + _GAP
    n_rows = len(codes) + (1 + _GAP if pooled else 0)
    k = len(comparisons)
    row_height = 0.42 if k == 1 else 0.22 + 0.15 * k  # inches
    ax = new_axes(ax, PAGE_WIDTH, 1.9 + row_height * n_rows)
    step = min(0.2 / row_height, 0.8 / k)  # points of one code 0.2 in apart
    lowest = 0.0
    missing: list[tuple[float, str, str]] = []  # (y, colour, why) of the codes with no value
    legend: list[tuple[Any, str]] = []
    for i, comparison in enumerate(comparisons):
        part = frame[(frame["comparison"] == comparison)].drop_duplicates("code")
        part = part[part["code"].isin(slot)].assign(_slot=lambda f: f["code"].map(slot))
        part = part.sort_values("_slot", kind="stable")
        offset = ((k - 1) / 2 - i) * step
        style = {"label": comparison, **kwargs}
        container, low, unrated, units = _draw_comparison(
            ax, part, statistic, interval, offset, i, k, **style
        )
        lowest, missing = min(lowest, low), missing + unrated
        if comparison or units is not None:
            name = comparison or _compared(table)
            unit_name = table.attrs.get("units_are") or "units"
            text = name if units is None else f"{name}: {units} {unit_name} per code"
            pool = "" if comparison else _pool_note(table, codes, names)
            legend.append((container, f"{text}\n{pool}" if pool else text))
    left = np.floor(lowest * 10) / 10 - 0.05
    for yi, color, why in missing:
        na: dict[str, Any] = {
            "size": ANNOTATION_SIZE - (0.5 if k > 1 else 0.0),
            "fontstyle": "italic",
        }
        write(ax, left + 0.02, yi, why, color=color if k > 1 else "#666666", **na)
    _references(ax, statistic, thresholds, left)
    if pooled:
        ax.axhline(-(len(codes) - 0.5 + _GAP / 2), color="#BBBBBB", linewidth=0.8, zorder=1)
    ax.set_xlim(left, 1.1)
    ax.set_ylim(-(n_rows - 0.5), 0.5)
    ax.set_yticks([-slot[c] for c in [*codes, *([OVERALL] if pooled else [])]])
    ax.set_yticklabels(labels + ([_OVERALL_LABEL] if pooled else []))
    tidy(ax, xlabel=_axis_label(table, statistic, interval is not None), grid="x")
    ax.tick_params(axis="y", length=0)
    if pooled:
        ax.get_yticklabels()[-1].set_fontweight("bold")
    if any(depth for _, depth in nested):
        align_tick_labels_left(ax)
    if legend:
        # below the x axis label, whatever the height of the plot
        handles, texts = [h for h, _ in legend], [t for _, t in legend]
        under = {"loc": "upper center", "bbox_to_anchor": (0.5, 0.0), "ncol": 1}
        key(ax, handles, labels=texts, bbox_transform=below_axes(ax, 40), **under)
    return set_title(ax, title, pad=34)
