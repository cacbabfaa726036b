"""Theme and cycle frequencies as sorted horizontal bars."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from copanalysis.codebooks.order import CodebookLike
from copanalysis.plots.canvas import ANNOTATION_SIZE, TICK_SIZE, new_axes, tidy
from copanalysis.plots.labels import code_labels, wrap
from copanalysis.plots.palette import CATEGORICAL, INK, code_colors
from copanalysis.plots.tables import is_codes, require_columns

__all__ = ["plot_code_frequencies"]

_COLUMNS = ("code", "n", "n_negative", "share")
NEGATIVE_HATCH = "////"


def _table(
    table: Any, by: str | Sequence[str] | None, codebook: CodebookLike, frame: Any
) -> pd.DataFrame:
    if is_codes(table):
        from copanalysis.analysis import code_frequencies

        table = code_frequencies(table, by=by, codebook=codebook, frame=frame)
    return require_columns(
        table, _COLUMNS, chart="plot_code_frequencies", table_name="code_frequencies"
    )


def _group_key(table: pd.DataFrame, by: list[str]) -> pd.Series:
    if len(by) == 1:
        return table[by[0]].astype("string").fillna("(none)")
    return table[by].astype("string").fillna("(none)").agg(" · ".join, axis=1)


def plot_code_frequencies(
    table_or_codes: pd.DataFrame,
    *,
    ax: Axes | None = None,
    codebook: CodebookLike = None,
    by: str | Sequence[str] | None = None,
    frame: pd.DataFrame | None = None,
    top: int | None = None,
    title: str | None = "How often each code appears",
    unit_label: str = "stories",
) -> Axes:
    """Draw code frequencies as horizontal bars, most frequent on top, labelled with the
    count and the percentage of units.

    Passages coded with negative polarity (-1, "a waste of time") are not value: they
    are drawn as a separate hatched segment after the bar, with their own count.

    Parameters
    ----------
    table_or_codes : DataFrame
        The frame of :func:`copanalysis.code_frequencies` (``[*by,] code, label, n,
        n_negative, share``), or a ``codes`` frame, summarised with ``by``, ``codebook``
        and ``frame``.
    ax : Axes, optional
        Where to draw; a new figure sized to the number of bars when omitted.
    codebook : Codebook, codebook frame or list, optional
        Labels and colours of the codes (a ``label`` column of the table wins for labels).
    by : str or list of str, optional
        Column(s) of the table that group the units (``"community"``, ``"role"``): each
        code then gets one bar per group, coloured by group, sorted by the total count.
    frame : DataFrame, optional
        The coded stories, used only to summarise a ``codes`` frame.
    top : int, optional
        Show only the ``top`` most frequent codes.
    title : str or None
        The chart title.
    unit_label : str
        What ``n`` counts, for the axis label ("stories", "passages").

    Returns
    -------
    Axes
        Each code's bar is a ``Rectangle`` with ``gid`` ``"n:<code>"`` (``"n:<code>:<group>"``
        when grouped), and its negative segment ``"negative:<code>[:<group>]"``.

    Examples
    --------
    >>> import pandas as pd, matplotlib.pyplot as plt
    >>> freq = pd.DataFrame({"codebook": "cycles", "code": ["potential", "immediate"],
    ...                      "label": ["Potential value", "Immediate value"],
    ...                      "n": [14, 9], "n_negative": [0, 2], "share": [0.7, 0.45]})
    >>> ax = plot_code_frequencies(freq)
    >>> {p.get_gid(): float(p.get_width()) for p in ax.patches}
    {'n:potential': 14.0, 'n:immediate': 9.0, 'negative:immediate': 2.0}
    >>> plt.close(ax.figure)
    """
    by_columns = [by] if isinstance(by, str) else list(by or [])
    table = _table(table_or_codes, by_columns or None, codebook, frame)
    require_columns(
        table, by_columns, chart="plot_code_frequencies", table_name="code_frequencies"
    )
    table = table.copy()
    table["code"] = table["code"].astype("string")
    for col in ("n", "n_negative"):
        table[col] = pd.to_numeric(table[col], errors="coerce").fillna(0)
    table["share"] = pd.to_numeric(table["share"], errors="coerce")

    totals = table.groupby("code", sort=False)[["n", "n_negative"]].sum()
    totals = totals.assign(all=totals["n"] + totals["n_negative"])
    order = list(totals.sort_values(["n", "all"], ascending=False, kind="stable").index)
    if top is not None:
        order = order[:top]
    labels = code_labels(codebook, order)
    if "label" in table.columns:
        for code, label in table.drop_duplicates("code").set_index("code")["label"].items():
            if isinstance(label, str) and label.strip() and code in order:
                labels[str(code)] = label
    colors = code_colors(codebook, order)

    groups = list(dict.fromkeys(_group_key(table, by_columns))) if by_columns else [None]
    table["_group"] = _group_key(table, by_columns) if by_columns else None
    n_groups = len(groups)
    ax = new_axes(ax, 8.0, 1.2 + 0.42 * len(order) * max(1, 0.55 * n_groups))
    height = 0.8 / n_groups
    group_colors = {g: CATEGORICAL[i % len(CATEGORICAL)] for i, g in enumerate(groups)}
    longest = float((totals["all"]).max()) if len(totals) else 0.0

    for slot, code in enumerate(order):
        centre = len(order) - 1 - slot  # the most frequent on top
        for g, group in enumerate(groups):
            rows = table[table["code"] == code]
            if group is not None:
                rows = rows[rows["_group"] == group]
            n = float(rows["n"].sum())
            n_negative = float(rows["n_negative"].sum())
            share = rows["share"].iloc[0] if len(rows) else np.nan
            y = centre + 0.4 - height * (g + 0.5)
            suffix = "" if group is None else f":{group}"
            face = colors[code] if group is None else group_colors[group]
            ax.barh(y, n, height=height * 0.92, color=face, gid=f"n:{code}{suffix}", label=None)
            if n_negative:
                ax.barh(
                    y,
                    n_negative,
                    left=n,
                    height=height * 0.92,
                    color="white",
                    edgecolor=face,
                    hatch=NEGATIVE_HATCH,
                    linewidth=0.8,
                    gid=f"negative:{code}{suffix}",
                )
            if group is not None and n == 0 and n_negative == 0:
                continue  # an empty group's bar needs no "0 (0%)"
            text = f"{n:.0f}"
            if pd.notna(share):
                text += f" ({share:.0%})"
            if n_negative:
                text += f"  −{n_negative:.0f} negative"
            ax.text(
                n + n_negative + longest * 0.01,
                y,
                text,
                va="center",
                ha="left",
                fontsize=ANNOTATION_SIZE if n_groups == 1 else ANNOTATION_SIZE - 1,
                color=INK,
            )
    ax.set_yticks(range(len(order)))
    ax.set_yticklabels([wrap(labels[c], 26, max_lines=2) for c in reversed(order)])
    ax.set_ylim(-0.6, len(order) - 0.4)
    negatives = float(table.loc[table["code"].isin(order), "n_negative"].sum()) > 0
    ax.set_xlim(0, max(longest, 1) * (1.38 if negatives else 1.25))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    tidy(ax, title=title, xlabel=f"Number of {unit_label}", grid="x")
    ax.tick_params(axis="y", length=0, labelsize=TICK_SIZE)

    handles = []
    if by_columns:
        handles += [Patch(color=group_colors[g], label=wrap(g, 32, max_lines=1)) for g in groups]
    if negatives:
        handles.append(
            Patch(
                facecolor="white",
                edgecolor="#555555",
                hatch=NEGATIVE_HATCH,
                label="negative (polarity −1)",
            )
        )
    if handles:
        ax.legend(
            handles=handles,
            loc="lower right",
            frameon=False,
            fontsize=ANNOTATION_SIZE,
            title=" · ".join(by_columns) if by_columns else None,
            title_fontsize=ANNOTATION_SIZE,
        )
    return ax
