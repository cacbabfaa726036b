"""Theme and cycle frequencies as sorted horizontal bars."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import offset_copy

from copanalysis.codebooks.order import CodebookLike, code_table
from copanalysis.plots.canvas import (
    ANNOTATION_SIZE,
    PAGE_WIDTH,
    TICK_SIZE,
    align_tick_labels_left,
    new_axes,
    tidy,
)
from copanalysis.plots.labels import code_labels, nest_codes, nested_label, uncoded_note, wrap
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


def _parents_book(table: pd.DataFrame, codebook: CodebookLike) -> pd.DataFrame:
    """Who is whose parent: from ``codebook``, or else from the built-in codebooks named in
    the table's ``codebook`` column."""
    if codebook is not None:
        return code_table(codebook)
    if "codebook" in table.columns:
        named = sorted(set(table["codebook"].dropna().astype(str).str.strip()) - {""})
        return code_table(named, strict=False)
    return code_table(None)


def _keep_under(nested: list[tuple[str, int]], kept: set[str]) -> list[tuple[str, int]]:
    """The top-level codes in ``kept``, each with the sub-codes nested under it."""
    out: list[tuple[str, int]] = []
    keeping = False
    for code, depth in nested:
        if depth == 0:
            keeping = code in kept
        if keeping:
            out.append((code, depth))
    return out


def plot_code_frequencies(
    table_or_codes: pd.DataFrame,
    *,
    ax: Axes | None = None,
    codebook: CodebookLike = None,
    by: str | Sequence[str] | None = None,
    frame: pd.DataFrame | None = None,
    top: int | None = None,
    level: Literal["all", "main"] = "all",
    title: str | None = "How often each code appears",
    unit_label: str = "stories",
) -> Axes:
    """Draw code frequencies as horizontal bars, most frequent on top, labelled with the
    count and the percentage of units.

    Passages coded with negative polarity (-1, "a waste of time") are not value: they
    are drawn as a separate hatched segment after the bar, with their own count.

    Sub-codes (the forms of capital under potential value) are part of their parent: a
    story with human capital is also a story with potential value. So that they do not
    read as more codes side by side, each sub-code is drawn right after its parent, with
    an indented label ("└ Human capital"), a thinner bar in its lighter tint, and a note
    under the chart; ``level="main"`` leaves them out. Parents come from the codebook's
    ``parent`` field (from the built-in codebooks named in the table's ``codebook``
    column when no codebook is given).

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
        Show only the ``top`` most frequent top-level codes (each with its sub-codes).
    level : {"all", "main"}
        ``"all"``: codes and their sub-codes, nested; ``"main"``: top-level codes only.
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
    ranked = list(totals.sort_values(["n", "all"], ascending=False, kind="stable").index)
    book = _parents_book(table, codebook)
    parents = dict(zip(book["code"], book["parent"], strict=True))
    if level == "main":
        ranked = [code for code in ranked if not parents.get(code)]
    nested = nest_codes(ranked, book)
    if top is not None:
        kept = set([code for code, depth in nested if depth == 0][:top])
        nested = _keep_under(nested, kept)
    order = [code for code, _ in nested]
    depth_of = dict(nested)
    labels = code_labels(codebook, order)
    if "label" in table.columns:
        for code, label in table.drop_duplicates("code").set_index("code")["label"].items():
            if isinstance(label, str) and label.strip() and code in order:
                labels[str(code)] = label
    colors = code_colors(codebook, order)

    groups = list(dict.fromkeys(_group_key(table, by_columns))) if by_columns else [None]
    table["_group"] = _group_key(table, by_columns) if by_columns else None
    n_groups = len(groups)
    nesting = any(depth_of.values())
    ax = new_axes(
        ax,
        PAGE_WIDTH,
        1.2 + 0.42 * len(order) * max(1, 0.55 * n_groups) + (0.25 if nesting else 0.0),
    )
    height = 0.8 / n_groups
    group_colors = {g: CATEGORICAL[i % len(CATEGORICAL)] for i, g in enumerate(groups)}
    shown = totals.loc[totals.index.isin(order), "all"]
    longest = float(shown.max()) if len(shown) else 0.0

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
            thickness = height * (0.6 if depth_of[code] else 0.92)  # sub-codes thinner
            ax.barh(y, n, height=thickness, color=face, gid=f"n:{code}{suffix}", label=None)
            if n_negative:
                ax.barh(
                    y,
                    n_negative,
                    left=n,
                    height=thickness,
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
    ax.set_yticklabels(
        [
            nested_label(wrap(labels[c], 26 - 3 * depth_of[c], max_lines=2), depth_of[c])
            for c in reversed(order)
        ]
    )
    ax.set_ylim(-0.6, len(order) - 0.4)
    negatives = float(table.loc[table["code"].isin(order), "n_negative"].sum()) > 0
    ax.set_xlim(0, max(longest, 1) * (1.45 if negatives else 1.25))
    # ticks only as far as the longest bar: the room after it is for the labels
    ticks = MaxNLocator(nbins=6, integer=True).tick_values(0, max(longest, 1))
    ax.set_xticks([t for t in ticks if 0 <= t <= max(longest, 1)])
    note = uncoded_note(table_or_codes)
    xlabel = f"Number of {unit_label}" + (f"\n{note}" if note else "")
    tidy(ax, title=title, xlabel=xlabel, grid="x")
    ax.tick_params(axis="y", length=0, labelsize=TICK_SIZE)
    if nesting:
        align_tick_labels_left(ax)
        heads = [code for code, depth in nested if depth == 0 and code in parents.values()]
        heads = [c for c in heads if any(parents.get(o) == c for o in order)]
        names = " and ".join(labels[c] for c in heads) or "the code above"
        ax.text(
            0.0,
            0.0,
            f"└ sub-codes of {names}: their stories are counted in it too",
            transform=offset_copy(
                ax.transAxes,
                fig=ax.get_figure(root=True),  # type: ignore[arg-type]
                y=-40,
                units="points",
            ),
            ha="left",
            va="top",
            fontsize=ANNOTATION_SIZE,
            color="#555555",
            gid="note:sub-codes",
        )

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
