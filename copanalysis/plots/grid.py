"""The strategic-value grid: who benefits (members, organization) and when (short, long)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from copanalysis.codebooks.order import CodebookLike
from copanalysis.plots.annotations import heading, set_title, write
from copanalysis.plots.canvas import ANNOTATION_SIZE, PAGE_WIDTH, new_axes
from copanalysis.plots.labels import code_labels, count_text, or_built_in, wrap
from copanalysis.plots.palette import count_colormap, text_color_on
from copanalysis.plots.tables import is_codes, require_columns

__all__ = ["plot_value_grid"]

_ROWS = (("members", "To members"), ("organization", "To the organization"))
_COLUMNS = (("short", "Short term"), ("long", "Long term"))
_CELL_CODES = ("beneficiary", "horizon", "code", "n", "cell_docs", "exemplar")
_PAD = 0.025  # white space around a cell, in data units (a cell is 1 x 1)
#: What a cell counts: (one tells, several tell, the plural), by unit.
_TOLD = {
    "story": ("story tells", "stories tell", "stories"),
    "respondent": ("respondent wrote", "respondents wrote", "respondents"),
}


def _cell_codes(table: Any, frame: pd.DataFrame | None) -> pd.DataFrame:
    """The frame of :func:`copanalysis.value_grid_codes`, computed from placements or codes."""
    from copanalysis.analysis.grid import value_grid_codes
    from copanalysis.coding import value_grid

    if is_codes(table):
        table = value_grid(table, frame=frame, progress=False)
    placements = {"beneficiary", "horizon", "quote", "code"}
    if isinstance(table, pd.DataFrame) and "cell_docs" not in table and placements <= set(table):
        table = value_grid_codes(table)
    return require_columns(
        table, _CELL_CODES, chart="plot_value_grid", table_name="value_grid_codes"
    )


@dataclass(frozen=True)
class _Page:
    """The size of one cell on the page, to wrap text to it."""

    cell_w: float  # inches
    cell_h: float  # inches
    chars: int  # characters of annotation text across a cell

    @classmethod
    def of(cls, ax: Axes, created: bool) -> _Page:
        # A figure made here has only this axis off, so the plot area fills nearly all of
        # it after layout.
        fig_w, fig_h = ax.get_figure(root=True).get_size_inches()  # type: ignore[union-attr]
        box = ax.get_position()
        made_here = created and len(ax.figure.axes) == 1
        box_w, box_h = (0.97, 0.9) if made_here else (box.width, box.height)
        cell_w, cell_h = fig_w * box_w / 2.14, fig_h * box_h / 2.12
        return cls(cell_w, cell_h, max(int(cell_w * 0.9 * 72 / (ANNOTATION_SIZE * 0.52)), 12))

    @property
    def line(self) -> float:
        """One line of annotation text, in data units."""
        return ANNOTATION_SIZE * 1.3 / 72 / self.cell_h


def _leading(rows: pd.DataFrame, labels: dict[str, str]) -> str:
    """ "Applied (12) · Realized (5)": the codes that lead a cell, with codebook labels and
    their stories."""
    from copanalysis.analysis.grid import leading_codes

    named = leading_codes(rows)
    # a no-break space keeps each count on the line of its label
    return " · ".join(
        f"{labels.get(code, code)}\u00a0({count_text(n)})"
        for code, n in zip(named["code"].astype(str), named["n_docs"], strict=True)
    )


def _fill_cell(
    ax: Axes,
    x0: float,
    y0: float,
    gid: str,
    rows: pd.DataFrame,
    labels: dict[str, str],
    page: _Page,
    ink: str,
    unit: str,
) -> None:
    """Write a cell's count of stories (or respondents), its passages, its leading codes and
    a quote."""
    n = int(rows["n"].sum())
    n_docs = int(rows["cell_docs"].iloc[0]) if len(rows) else 0
    left, top = x0 + 2.5 * _PAD, y0 + 1 - 2.5 * _PAD
    count = count_text(n_docs)
    write(
        ax, left, top, count, size=22, color=ink, va="top", fontweight="bold", gid=f"count:{gid}"
    )
    # after the count, however many digits it has (bold 22 pt: ~0.62 em each)
    right_of_count = left + (len(count) * 0.62 * 22 / 72 + 0.12) / page.cell_w
    one, several, plural = _TOLD[unit]
    told = one if n_docs == 1 else several
    passages = f"{told} of value here,\nin {count_text(n)} coded passage{'' if n == 1 else 's'}"
    style: dict[str, Any] = {"color": ink, "va": "top", "linespacing": 1.2}
    write(ax, right_of_count, top - 0.02, passages, gid=f"passages:{gid}", **style)
    y = top - 4.0 * page.line
    leading = _leading(rows, labels)
    if leading:
        text = wrap(f"Leading ({plural}): {leading}", int(page.chars * 0.9), max_lines=3)
        write(ax, left, y, text, fontweight="bold", gid=f"leading:{gid}", **style)
        y -= (text.count("\n") + 1.6) * page.line
    exemplar = _exemplar(rows)
    if exemplar:
        room = max(int((y - (y0 + 2.5 * _PAD)) / page.line), 1)
        quote = wrap("“" + exemplar.strip("“”\"' ") + "”", int(page.chars * 0.92), max_lines=room)
        write(ax, left, y, quote, fontstyle="italic", gid=f"quote:{gid}", **style)
    elif n == 0:
        empty = "no passages placed here"
        write(ax, x0 + 0.5, y0 + 0.45, empty, color=ink, ha="center", fontstyle="italic")


def _exemplar(rows: pd.DataFrame) -> str:
    """The exemplar quote of the code that leads a cell ("" for none)."""
    from copanalysis.analysis.grid import leading_codes

    named = leading_codes(rows, 1)
    value = named["exemplar"].iloc[0] if len(named) else ""
    return "" if pd.isna(value) else str(value).strip()


def plot_value_grid(
    table_or_codes: pd.DataFrame,
    *,
    ax: Axes | None = None,
    codebook: CodebookLike = None,
    frame: pd.DataFrame | None = None,
    title: str | None = "Strategic value: who benefits, and when",
    unit: Literal["story", "respondent"] = "story",
    **kwargs: Any,
) -> Axes:
    """Draw the 2x2 strategic-value grid: each cell shaded by its stories, with their count
    (and the passages'), the leading codes by stories and one short exemplar quote.

    Parameters
    ----------
    table_or_codes : DataFrame
        The frame of :func:`copanalysis.value_grid_codes`, one row per cell and code
        (``beneficiary``, ``horizon``, ``code``, ``rank``, ``n``, ``n_docs``,
        ``cell_docs``, ``exemplar``); or the placements of :func:`copanalysis.value_grid`;
        or a ``codes`` frame (then ``frame`` is passed to :func:`copanalysis.value_grid`).
    ax : Axes, optional
        Where to draw; a new 9 x 6.5 inch figure when omitted.
    codebook : Codebook, codebook frame or list, optional
        Gives the leading codes their labels; codes it does not know take the labels of
        the built-in codebooks (value cycles, strategic grid, enablers and challenges),
        so ``members_long`` reads "Members, long term".
    frame : DataFrame, optional
        The coded stories, used only when ``table_or_codes`` is a ``codes`` frame.
    title : str or None
        The chart title, bold and left-aligned; None for none. Change it here:
        ``ax.set_title`` on the axes returned adds a second, centred title beside it.
    unit : {"story", "respondent"}
        What a cell's documents are: stories (coded passages placed by
        :func:`copanalysis.value_grid`) or the respondents of grid worksheets
        (:func:`copanalysis.worksheet_placements`), for the cells' counts and legends.
    **kwargs
        Passed on to the four cells' ``Rectangle`` patches (``alpha``, ``edgecolor``,
        ``facecolor`` to override the shading...).

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
    >>> cells = pd.DataFrame({
    ...     "beneficiary": ["members", "members", "members", "organization"],
    ...     "horizon": ["short", "short", "long", "short"],
    ...     "code": ["immediate", "potential", "potential", "applied"], "rank": [1, 2, 1, 1],
    ...     "n": [9, 3, 5, 7], "n_docs": [8, 2, 4, 6], "cell_docs": [8, 8, 4, 6],
    ...     "exemplar": ["I felt less alone.", "", "I became the go-to.", "We cut the wait."],
    ... })
    >>> ax = plot_value_grid(cells)
    >>> sorted(p.get_gid() for p in ax.patches if p.get_gid())
    ['members/long', 'members/short', 'organization/long', 'organization/short']
    >>> plt.close(ax.figure)
    """
    if unit not in _TOLD:
        raise ValueError(f"unit must be 'story' or 'respondent', not {unit!r}")
    table = _cell_codes(table_or_codes, frame)
    created = ax is None
    ax = new_axes(ax, PAGE_WIDTH, 5.6)
    book = or_built_in(None) if codebook is None else [codebook, *or_built_in(None)]
    labels = code_labels(book)
    key = table["beneficiary"].astype(str) + "/" + table["horizon"].astype(str)
    rows = {gid: part for gid, part in table.groupby(key, sort=False)}
    # shaded by stories, so that one long-winded story does not darken a cell
    most = max([int(part["cell_docs"].iloc[0]) for part in rows.values() if len(part)] + [1])
    cmap = count_colormap()
    page = _Page.of(ax, created)
    ax.set_xlim(-0.14, 2.0)
    ax.set_ylim(0.0, 2.12)
    ax.set_axis_off()
    for r, (beneficiary, row_label) in enumerate(_ROWS):
        y0 = 1.0 - r  # members on top
        heading(ax, -0.07, y0 + 0.5, row_label, rotation=90)
        for c, (horizon, column_label) in enumerate(_COLUMNS):
            if r == 0:
                heading(ax, c + 0.5, 2.05, column_label)
            gid = f"{beneficiary}/{horizon}"
            cell = rows.get(gid, table.iloc[:0])
            docs = int(cell["cell_docs"].iloc[0]) if len(cell) else 0
            face = cmap(0.04 + 0.56 * docs / most)
            style = {"facecolor": face, "edgecolor": "white", "linewidth": 2, **kwargs}
            size = 1 - 2 * _PAD
            ax.add_patch(Rectangle((c + _PAD, y0 + _PAD), size, size, gid=gid, **style))
            _fill_cell(ax, c, y0, gid, cell, labels, page, text_color_on(face), unit)
    return set_title(ax, title)
