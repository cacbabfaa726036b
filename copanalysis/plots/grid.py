"""The strategic-value grid: who benefits (members, organization) and when (short, long)."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from copanalysis.codebooks.order import CodebookLike
from copanalysis.plots.canvas import ANNOTATION_SIZE, LABEL_SIZE, PAGE_WIDTH, TITLE_SIZE, new_axes
from copanalysis.plots.labels import code_labels, or_built_in, wrap
from copanalysis.plots.palette import INK, count_colormap, text_color_on
from copanalysis.plots.tables import is_codes, require_columns

__all__ = ["plot_value_grid"]

_ROWS = (("members", "To members"), ("organization", "To the organization"))
_COLUMNS = (("short", "Short term"), ("long", "Long term"))
_SUMMARY = ("beneficiary", "horizon", "n", "n_docs", "top_codes", "exemplar")
_TOP_CODE = re.compile(r"\s*(.+?)\s*\((\d+)\)\s*$")


def _summary(table: Any, frame: pd.DataFrame | None) -> pd.DataFrame:
    if is_codes(table):
        from copanalysis.coding import value_grid

        table = value_grid(table, frame=frame)
    placements = {"beneficiary", "horizon", "quote", "code"}
    if (
        isinstance(table, pd.DataFrame)
        and "top_codes" not in table.columns
        and placements <= set(table.columns)
    ):
        from copanalysis.analysis import value_grid_summary

        table = value_grid_summary(table)
    return require_columns(
        table, _SUMMARY, chart="plot_value_grid", table_name="value_grid_summary"
    )


def _leading_codes(top_codes: object, labels: dict[str, str], *, limit: int = 3) -> str:
    """ "applied (12), realized (5)" -> "Applied (12) · Realized (5)" with codebook labels."""
    parts = []
    for piece in str(top_codes if isinstance(top_codes, str) else "").split(","):
        match = _TOP_CODE.match(piece)
        if match:
            code, count = match.groups()
            # a no-break space keeps each count on the line of its label
            parts.append(f"{labels.get(code, code)}\u00a0({count})")
        elif piece.strip():
            parts.append(piece.strip())
    return " · ".join(parts[:limit])


def plot_value_grid(
    table_or_codes: pd.DataFrame,
    *,
    ax: Axes | None = None,
    codebook: CodebookLike = None,
    frame: pd.DataFrame | None = None,
    title: str | None = "Strategic value: who benefits, and when",
) -> Axes:
    """Draw the 2x2 strategic-value grid: each cell shaded by its count, with the count, the
    leading codes and one short exemplar quote.

    Parameters
    ----------
    table_or_codes : DataFrame
        The four rows of :func:`copanalysis.value_grid_summary` (``beneficiary``,
        ``horizon``, ``n``, ``n_docs``, ``top_codes``, ``exemplar``); or the placements of
        :func:`copanalysis.value_grid`; or a ``codes`` frame (then ``frame`` is passed to
        :func:`copanalysis.value_grid`).
    ax : Axes, optional
        Where to draw; a new 9 x 6.5 inch figure when omitted.
    codebook : Codebook, codebook frame or list, optional
        Gives the leading codes their labels; codes it does not know take the labels of
        the built-in codebooks (value cycles, strategic grid, enablers and challenges),
        so ``members_long`` reads "Members, long term".
    frame : DataFrame, optional
        The coded stories, used only when ``table_or_codes`` is a ``codes`` frame.
    title : str or None
        The chart title.

    Returns
    -------
    Axes
        The four cells are ``Rectangle`` patches whose ``gid`` is ``"members/short"``,
        ``"members/long"``, ``"organization/short"`` and ``"organization/long"``; the
        texts in a cell have ``gid`` ``"count:<cell>"``, ``"passages:<cell>"``,
        ``"leading:<cell>"`` and ``"quote:<cell>"``.

    Examples
    --------
    >>> import pandas as pd, matplotlib.pyplot as plt
    >>> summary = pd.DataFrame({
    ...     "beneficiary": ["members", "members", "organization", "organization"],
    ...     "horizon": ["short", "long", "short", "long"],
    ...     "n": [12, 5, 7, 0], "n_docs": [8, 4, 6, 0],
    ...     "top_codes": ["immediate (9), potential (3)", "potential (5)", "applied (7)", ""],
    ...     "exemplar": ["I felt less alone.", "I became the go-to.", "We cut the wait.", ""],
    ... })
    >>> ax = plot_value_grid(summary)
    >>> sorted(p.get_gid() for p in ax.patches if p.get_gid())
    ['members/long', 'members/short', 'organization/long', 'organization/short']
    >>> plt.close(ax.figure)
    """
    summary = _summary(table_or_codes, frame)
    created = ax is None
    ax = new_axes(ax, PAGE_WIDTH, 5.6)
    book = or_built_in(None) if codebook is None else [codebook, *or_built_in(None)]
    labels = code_labels(book)
    cells = {
        (str(row["beneficiary"]), str(row["horizon"])): row for row in summary.to_dict("records")
    }
    counts = [
        int(cells[(b, h)]["n"]) if (b, h) in cells else 0 for b, _ in _ROWS for h, _ in _COLUMNS
    ]
    most = max(max(counts), 1)
    cmap = count_colormap()

    # Size of one data unit (a cell) on the page, to wrap text to it. A figure made here
    # has only this axis off, so the plot area fills nearly all of it after layout.
    fig_w, fig_h = ax.get_figure(root=True).get_size_inches()  # type: ignore[union-attr]
    made_here = created and len(ax.figure.axes) == 1
    box_w, box_h = (
        (0.97, 0.9) if made_here else (ax.get_position().width, ax.get_position().height)
    )
    cell_w_in = fig_w * box_w / 2.14
    cell_h_in = fig_h * box_h / 2.12
    chars = max(int(cell_w_in * 0.9 * 72 / (ANNOTATION_SIZE * 0.52)), 12)
    line_in = ANNOTATION_SIZE * 1.3 / 72

    ax.set_xlim(-0.14, 2.0)
    ax.set_ylim(0.0, 2.12)
    ax.set_axis_off()
    pad = 0.025
    for r, (beneficiary, row_label) in enumerate(_ROWS):
        y0 = 1.0 - r  # members on top
        ax.text(
            -0.07,
            y0 + 0.5,
            row_label,
            rotation=90,
            ha="center",
            va="center",
            fontsize=LABEL_SIZE,
            fontweight="bold",
            color=INK,
        )
        for c, (horizon, column_label) in enumerate(_COLUMNS):
            x0 = float(c)
            if r == 0:
                ax.text(
                    x0 + 0.5,
                    2.05,
                    column_label,
                    ha="center",
                    va="center",
                    fontsize=LABEL_SIZE,
                    fontweight="bold",
                    color=INK,
                )
            cell = cells.get((beneficiary, horizon), {})
            n = int(cell.get("n", 0) or 0)
            n_docs = int(cell.get("n_docs", 0) or 0)
            face = cmap(0.04 + 0.56 * n / most)
            ax.add_patch(
                Rectangle(
                    (x0 + pad, y0 + pad),
                    1 - 2 * pad,
                    1 - 2 * pad,
                    facecolor=face,
                    edgecolor="white",
                    linewidth=2,
                    gid=f"{beneficiary}/{horizon}",
                )
            )
            ink = text_color_on(face)
            left, top = x0 + 2.5 * pad, y0 + 1 - 2.5 * pad
            per_line = 1.0 / cell_h_in * line_in  # one annotation line in data units
            ax.text(
                left,
                top,
                f"{n}",
                ha="left",
                va="top",
                fontsize=22,
                fontweight="bold",
                color=ink,
                gid=f"count:{beneficiary}/{horizon}",
            )
            unit = "story" if n_docs == 1 else "stories"
            ax.text(
                # after the count, however many digits it has (bold 22 pt: ~0.62 em each)
                left + (len(f"{n}") * 0.62 * 22 / 72 + 0.12) / cell_w_in,
                top - 0.02,
                f"coded passages\nin {n_docs} {unit}",
                ha="left",
                va="top",
                fontsize=ANNOTATION_SIZE,
                color=ink,
                linespacing=1.2,
                gid=f"passages:{beneficiary}/{horizon}",
            )
            y = top - 4.0 * per_line
            leading = _leading_codes(cell.get("top_codes", ""), labels)
            if leading:
                text = wrap(f"Leading: {leading}", int(chars * 0.9), max_lines=3)
                ax.text(
                    left,
                    y,
                    text,
                    ha="left",
                    va="top",
                    fontsize=ANNOTATION_SIZE,
                    color=ink,
                    fontweight="bold",
                    linespacing=1.2,
                    gid=f"leading:{beneficiary}/{horizon}",
                )
                y -= (text.count("\n") + 1.6) * per_line
            exemplar = str(cell.get("exemplar") or "").strip()
            if exemplar and not pd.isna(cell.get("exemplar")):
                room = int((y - (y0 + 2.5 * pad)) / per_line)
                quote = wrap(
                    "“" + exemplar.strip("“”\"' ") + "”", int(chars * 0.92), max_lines=max(room, 1)
                )
                ax.text(
                    left,
                    y,
                    quote,
                    ha="left",
                    va="top",
                    fontsize=ANNOTATION_SIZE,
                    color=ink,
                    fontstyle="italic",
                    linespacing=1.2,
                    gid=f"quote:{beneficiary}/{horizon}",
                )
            elif n == 0:
                ax.text(
                    x0 + 0.5,
                    y0 + 0.45,
                    "no passages placed here",
                    ha="center",
                    va="center",
                    fontsize=ANNOTATION_SIZE,
                    color=ink,
                    fontstyle="italic",
                )
    if title:
        ax.set_title(title, fontsize=TITLE_SIZE, color=INK, loc="left", fontweight="bold")
    return ax
