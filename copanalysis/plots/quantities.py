"""The quantitative value claims in the stories ("cut waiting time by 30%")."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from copanalysis.plots.canvas import ANNOTATION_SIZE, LABEL_SIZE, TICK_SIZE, TITLE_SIZE, new_axes
from copanalysis.plots.labels import shorten
from copanalysis.plots.palette import INK, OKABE_ITO
from copanalysis.plots.tables import is_codes, require_columns

__all__ = ["plot_quantities"]

_ARROWS = {1: ("▲", OKABE_ITO["blue"]), -1: ("▼", OKABE_ITO["vermillion"]), 0: ("•", "#777777")}
_UNIT_TITLES = {"%": "Percentages", "": "Counts without a unit"}
# Columns of the row layout, in data units of an axis running 0..10.
_ARROW_X, _VALUE_RIGHT, _BAR_LEFT, _BAR_WIDTH, _TEXT_LEFT = 0.1, 2.25, 2.4, 1.5, 4.1


def _amount(number: float, unit: str) -> str:
    text = f"{number:,.0f}" if float(number).is_integer() else f"{number:,.2g}"
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}".strip()


def plot_quantities(
    table_or_codes: pd.DataFrame,
    *,
    ax: Axes | None = None,
    codebook: Any = None,
    max_claims: int = 30,
    title: str | None = "What changed, in numbers",
) -> Axes:
    """Draw the quantitative claims as a table-like chart, one row per claim, grouped by
    unit.

    Each row shows the direction (▲ up, ▼ down, • not stated), the amount with its unit,
    a bar comparing it with the largest claim *in the same unit* (amounts in different
    units are not comparable), and what changed with the story it comes from. Units with
    more claims come first; within a unit, larger amounts first.

    Parameters
    ----------
    table_or_codes : DataFrame
        The frame of :func:`copanalysis.quantities` (``doc_id``, ``number``, ``unit``,
        ``change``, ``direction``, ``quote``), or the ``codes`` or ``stories`` it reads.
    ax : Axes, optional
        Where to draw; a new figure sized to the number of claims when omitted.
    codebook : ignored
        Accepted so that every chart takes the same keywords.
    max_claims : int
        Draw at most this many claims (the largest in each unit first); a last line says
        how many were left out.
    title : str or None
        The chart title.

    Returns
    -------
    Axes
        The bars are ``Rectangle`` patches with ``gid`` ``"claim:<row>"`` (the row's
        position in the table) and width proportional to ``number`` within its unit.

    Examples
    --------
    >>> import pandas as pd, matplotlib.pyplot as plt
    >>> claims = pd.DataFrame({"doc_id": ["s1", "s2"], "number": [30.0, 6.0],
    ...                        "unit": ["%", "weeks"], "change": ["waiting time", "lead time"],
    ...                        "direction": [-1, -1], "quote": ["", ""]})
    >>> ax = plot_quantities(claims)
    >>> [t.get_text() for t in ax.texts][:4]
    ['Percentages (1)', '▼', '30%', 'waiting time']
    >>> plt.close(ax.figure)
    """
    table: Any = table_or_codes
    if is_codes(table) or (isinstance(table, pd.DataFrame) and "story_id" in table.columns):
        from copanalysis.analysis.quantities import quantities

        table = quantities(table)
    table = require_columns(
        table, ("doc_id", "number", "unit"), chart="plot_quantities", table_name="quantities"
    )
    claims = pd.DataFrame(
        {
            "row": np.arange(len(table)),
            "doc_id": table["doc_id"].astype("string").fillna("").to_numpy(),
            "number": pd.to_numeric(table["number"], errors="coerce").to_numpy(dtype=float),
            "unit": table["unit"].astype("string").fillna("").str.strip().to_numpy(),
            "change": (
                table["change"] if "change" in table.columns else pd.Series("", index=table.index)
            )
            .astype("string")
            .fillna("")
            .to_numpy(),
            "quote": (
                table["quote"] if "quote" in table.columns else pd.Series("", index=table.index)
            )
            .astype("string")
            .fillna("")
            .to_numpy(),
            "direction": pd.to_numeric(table["direction"], errors="coerce")
            .fillna(0)
            .astype(int)
            .to_numpy()
            if "direction" in table.columns
            else 0,
        }
    )
    claims = claims[claims["number"].notna()]
    group_size = claims.groupby("unit")["row"].transform("size")
    claims = claims.assign(n_in_unit=group_size, magnitude=claims["number"].abs())
    claims = claims.sort_values(
        ["n_in_unit", "unit", "magnitude"], ascending=[False, True, False], kind="stable"
    )
    left_out = max(len(claims) - max_claims, 0)
    claims = claims.head(max_claims)
    units = list(dict.fromkeys(claims["unit"]))
    n_lines = len(claims) + len(units) + (1 if left_out else 0)

    ax = new_axes(ax, 9.0, 1.0 + 0.3 * max(n_lines, 3))
    ax.set_axis_off()
    ax.set_xlim(0, 10)
    ax.set_ylim(n_lines + 0.2, -0.8)
    line = 0
    for unit in units:
        rows = claims[claims["unit"] == unit]
        header = _UNIT_TITLES.get(unit, unit[:1].upper() + unit[1:])
        ax.text(
            0,
            line,
            f"{header} ({len(rows)})",
            ha="left",
            va="center",
            fontsize=LABEL_SIZE,
            fontweight="bold",
            color=INK,
        )
        ax.plot([0, 10], [line + 0.45, line + 0.45], color="#DDDDDD", linewidth=0.8)
        line += 1
        largest = float(rows["magnitude"].max()) or 1.0
        for claim in rows.itertuples(index=False):
            arrow, color = _ARROWS.get(int(np.sign(claim.direction)), _ARROWS[0])
            ax.text(
                _ARROW_X,
                line,
                arrow,
                ha="center",
                va="center",
                fontsize=TICK_SIZE,
                color=color,
                gid=f"direction:{claim.row}",
            )
            ax.text(
                _VALUE_RIGHT,
                line,
                shorten(_amount(claim.number, unit), 18),
                ha="right",
                va="center",
                fontsize=TICK_SIZE,
                color=INK,
                fontweight="bold",
            )
            ax.add_patch(
                Rectangle(
                    (_BAR_LEFT, line - 0.28),
                    _BAR_WIDTH * claim.magnitude / largest,
                    0.56,
                    color=color,
                    alpha=0.75,
                    linewidth=0,
                    gid=f"claim:{claim.row}",
                )
            )
            what = claim.change.strip() or claim.quote.strip()
            ax.text(
                _TEXT_LEFT,
                line,
                shorten(what, 54),
                ha="left",
                va="center",
                fontsize=TICK_SIZE,
                color=INK,
            )
            ax.text(
                10,
                line,
                shorten(claim.doc_id, 22),
                ha="right",
                va="center",
                fontsize=ANNOTATION_SIZE,
                color="#777777",
            )
            line += 1
    if left_out:
        ax.text(
            0,
            line,
            f"… and {left_out} more claims not shown",
            ha="left",
            va="center",
            fontsize=ANNOTATION_SIZE,
            color="#777777",
            fontstyle="italic",
        )
    if not len(claims):
        ax.text(
            5,
            0.5,
            "No quantitative claims found",
            ha="center",
            va="center",
            fontsize=LABEL_SIZE,
            color=INK,
        )
    if len(claims):
        key = "   ".join(
            f"{a} {name}"
            for (a, _), name in zip(_ARROWS.values(), ("up", "down", "not stated"), strict=True)
        )
        ax.text(
            1.0,
            1.0,
            key,
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=ANNOTATION_SIZE,
            color="#555555",
        )
    if title:
        ax.set_title(title, fontsize=TITLE_SIZE, color=INK, loc="left", fontweight="bold")
    return ax
