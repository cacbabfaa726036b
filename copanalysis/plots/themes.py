"""Enablers against challenges, theme by theme: diverging bars."""

from __future__ import annotations

from typing import Any

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, MaxNLocator

from copanalysis.codebooks.order import CodebookLike
from copanalysis.plots.annotations import draw_bars, heading, set_title
from copanalysis.plots.canvas import PAGE_WIDTH, new_axes, tidy
from copanalysis.plots.labels import code_labels, count_text, uncoded_note, wrap
from copanalysis.plots.palette import CHALLENGE, ENABLER
from copanalysis.plots.tables import is_codes, require_columns

__all__ = ["plot_enablers_challenges"]


def _themes(table: Any, top: int | None) -> pd.DataFrame:
    """The themes anybody mentioned, the most mentions first, cut to ``top``."""
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
    return themes if top is None else themes.head(top)


def _count(n: float) -> str:
    return count_text(n) if n else ""


def plot_enablers_challenges(
    table_or_codes: pd.DataFrame,
    *,
    ax: Axes | None = None,
    codebook: CodebookLike = None,
    top: int | None = None,
    title: str | None = "Enablers and challenges by theme",
    **kwargs: Any,
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
        The chart title, bold and left-aligned; None for none. Change it here:
        ``ax.set_title`` on the axes returned adds a second, centred title beside it.
    **kwargs
        Passed on to ``Axes.barh`` for both sides' bars (``alpha``, ``height``,
        ``edgecolor``...; ``color`` paints both sides).

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
    {'enablers:TIME': (0.0, 2.0), 'enablers:TRUST': (0.0, 5.0), 'challenges:TIME': (-9.0, 9.0), 'challenges:TRUST': (-1.0, 1.0)}
    >>> plt.close(ax.figure)
    """  # noqa: E501
    themes = _themes(table_or_codes, top)
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
    rows = list(range(len(themes) - 1, -1, -1))  # the most frequent on top
    enablers, challenges = themes["n_enablers"].tolist(), themes["n_challenges"].tolist()
    side = {"height": 0.7, "gap": widest * 0.02}
    for name, color, lengths, starts in (
        ("enablers", ENABLER, enablers, None),
        ("challenges", CHALLENGE, challenges, [-c for c in challenges]),
    ):
        gids = [f"{name}:{code}" for code in themes["code"]]
        labels_ = [_count(n) for n in lengths]
        style = {"color": color, **side, **kwargs}
        draw_bars(ax, rows, lengths, starts=starts, gids=gids, labels=labels_, **style)
    limit = widest * 1.15
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-0.6, len(themes) - 0.4)
    ax.set_yticks(range(len(themes)))
    ax.set_yticklabels([wrap(labels[c], 30, max_lines=2) for c in reversed(list(themes["code"]))])
    ax.axvline(0, color="#555555", linewidth=0.8)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: count_text(abs(x))))
    note = uncoded_note(table_or_codes)  # sentences: a statement may be coded in part
    tidy(ax, xlabel="Number of mentions" + (f"\n{note}" if note else ""), grid="x")
    ax.tick_params(axis="y", length=0)
    over = {"transform": ax.transAxes, "va": "bottom"}
    heading(ax, 0.49, 1.0, "◀ challenges", ha="right", color=CHALLENGE, **over)
    heading(ax, 0.51, 1.0, "enablers ▶", ha="left", color=ENABLER, **over)
    return set_title(ax, title, pad=22)
