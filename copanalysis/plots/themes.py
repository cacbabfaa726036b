"""Enablers against challenges, theme by theme: diverging bars."""

from __future__ import annotations

from typing import Any

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, MaxNLocator

from copanalysis.codebooks.order import CodebookLike
from copanalysis.plots.canvas import (
    ANNOTATION_SIZE,
    LABEL_SIZE,
    PAGE_WIDTH,
    TITLE_SIZE,
    new_axes,
    tidy,
)
from copanalysis.plots.labels import code_labels, uncoded_note, wrap
from copanalysis.plots.palette import CHALLENGE, ENABLER, INK
from copanalysis.plots.tables import is_codes, require_columns

__all__ = ["plot_enablers_challenges"]


def plot_enablers_challenges(
    table_or_codes: pd.DataFrame,
    *,
    ax: Axes | None = None,
    codebook: CodebookLike = None,
    top: int | None = None,
    title: str | None = "Enablers and challenges by theme",
) -> Axes:
    """Draw one diverging bar per theme: enablers to the right, challenges to the left.

    Themes are sorted by how often they come up (enablers plus challenges), the most
    frequent on top; each side is labelled with its count. Themes nobody mentioned are
    left out.

    Parameters
    ----------
    table_or_codes : DataFrame
        The frame of :func:`copanalysis.theme_balance` (``code``, ``label``,
        ``n_enablers``, ``n_challenges``, ...), or a ``codes`` frame.
    ax : Axes, optional
        Where to draw; a new figure sized to the number of themes when omitted.
    codebook : Codebook, codebook frame or list, optional
        Theme labels, when the table has no ``label`` column.
    top : int, optional
        Show only the ``top`` most frequent themes.
    title : str or None
        The chart title.

    Returns
    -------
    Axes
        Bars are ``Rectangle`` patches with ``gid`` ``"enablers:<code>"`` (width
        ``n_enablers``) and ``"challenges:<code>"`` (width ``n_challenges``, drawn leftwards
        from 0).

    Examples
    --------
    >>> import pandas as pd, matplotlib.pyplot as plt
    >>> balance = pd.DataFrame({"code": ["TIME", "TRUST"], "label": ["Time", "Trust"],
    ...                         "n_enablers": [2, 5], "n_challenges": [9, 1]})
    >>> ax = plot_enablers_challenges(balance)
    >>> {p.get_gid(): (float(p.get_x()), float(p.get_width())) for p in ax.patches}
    {'enablers:TIME': (0.0, 2.0), 'challenges:TIME': (-9.0, 9.0), 'enablers:TRUST': (0.0, 5.0), 'challenges:TRUST': (-1.0, 1.0)}
    >>> plt.close(ax.figure)
    """  # noqa: E501
    table: Any = table_or_codes
    if is_codes(table):
        from copanalysis.analysis import theme_balance

        table = theme_balance(table)
    table = require_columns(
        table,
        ("code", "n_enablers", "n_challenges"),
        chart="plot_enablers_challenges",
        table_name="theme_balance",
    )
    themes = table.assign(
        code=table["code"].astype("string"),
        n_enablers=pd.to_numeric(table["n_enablers"], errors="coerce").fillna(0),
        n_challenges=pd.to_numeric(table["n_challenges"], errors="coerce").fillna(0),
    )
    themes = themes.assign(total=themes["n_enablers"] + themes["n_challenges"])
    themes = themes[themes["total"] > 0].sort_values("total", ascending=False, kind="stable")
    if top is not None:
        themes = themes.head(top)
    labels = code_labels(codebook, themes["code"])
    if "label" in themes.columns:
        labels.update(
            {
                str(c): str(lab)
                for c, lab in zip(themes["code"], themes["label"], strict=True)
                if isinstance(lab, str) and lab.strip()
            }
        )
    widest = float(max(themes["n_enablers"].max(), themes["n_challenges"].max(), 1))

    ax = new_axes(ax, PAGE_WIDTH, 1.4 + 0.4 * len(themes))
    for slot, row in enumerate(themes.itertuples(index=False)):
        y = len(themes) - 1 - slot
        enablers, challenges = float(row.n_enablers), float(row.n_challenges)
        ax.barh(y, enablers, height=0.7, color=ENABLER, gid=f"enablers:{row.code}")
        ax.barh(
            y,
            challenges,
            left=-challenges,
            height=0.7,
            color=CHALLENGE,
            gid=f"challenges:{row.code}",
        )
        if enablers:
            ax.text(
                enablers + widest * 0.02,
                y,
                f"{enablers:.0f}",
                ha="left",
                va="center",
                fontsize=ANNOTATION_SIZE,
                color=INK,
            )
        if challenges:
            ax.text(
                -challenges - widest * 0.02,
                y,
                f"{challenges:.0f}",
                ha="right",
                va="center",
                fontsize=ANNOTATION_SIZE,
                color=INK,
            )
    limit = widest * 1.15
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-0.6, len(themes) - 0.4)
    ax.set_yticks(range(len(themes)))
    ax.set_yticklabels([wrap(labels[c], 30, max_lines=2) for c in reversed(list(themes["code"]))])
    ax.axvline(0, color="#555555", linewidth=0.8)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{abs(x):.0f}"))
    note = uncoded_note(table_or_codes, units="statements")
    tidy(ax, title=title, xlabel="Number of mentions" + (f"\n{note}" if note else ""), grid="x")
    ax.tick_params(axis="y", length=0)
    ax.text(
        0.49,
        1.0,
        "◀ challenges",
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=LABEL_SIZE,
        color=CHALLENGE,
        fontweight="bold",
    )
    ax.text(
        0.51,
        1.0,
        "enablers ▶",
        transform=ax.transAxes,
        ha="left",
        va="bottom",
        fontsize=LABEL_SIZE,
        color=ENABLER,
        fontweight="bold",
    )
    ax.set_title(
        ax.get_title(loc="left"),
        loc="left",
        fontsize=TITLE_SIZE,
        fontweight="bold",
        color=INK,
        pad=22,
    )
    return ax
