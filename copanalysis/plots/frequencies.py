"""Theme and cycle frequencies as sorted horizontal bars."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from copanalysis.codebooks.order import CodebookLike, code_table
from copanalysis.plots.annotations import MUTED, below_axes, draw_bars, key, write
from copanalysis.plots.canvas import (
    ANNOTATION_SIZE,
    PAGE_WIDTH,
    TICK_SIZE,
    align_tick_labels_left,
    new_axes,
    tidy,
)
from copanalysis.plots.labels import (
    code_labels,
    count_text,
    nest_codes,
    nested_label,
    uncoded_note,
    wrap,
)
from copanalysis.plots.palette import CATEGORICAL, code_colors
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


def _groups_of(table: pd.DataFrame) -> list[str]:
    """The group columns of a table by group (several rows per code): those before
    ``code`` but ``codebook``, where :func:`copanalysis.code_frequencies` writes them; none
    otherwise."""
    if not table["code"].duplicated().any():
        return []
    before = table.columns[: table.columns.get_loc("code")]
    by = [str(c) for c in before if c != "codebook"]
    if not by:
        raise ValueError(
            "plot_code_frequencies: the table has several rows for a code but no column "
            "before 'code' to group them by; pass by= (the column code_frequencies was given)"
        )
    return by


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


@dataclass
class _Rows:
    """The codes a chart draws, top to bottom, with what it prints for each."""

    nested: list[tuple[str, int]]  # (code, depth)
    labels: dict[str, str]
    parents: dict[str, str]

    @property
    def order(self) -> list[str]:
        return [code for code, _ in self.nested]

    def tick_labels(self) -> list[str]:
        """The y tick labels, bottom to top: wrapped, sub-codes indented."""
        depth = dict(self.nested)
        return [
            nested_label(wrap(self.labels[c], 26 - 3 * depth[c], max_lines=2), depth[c])
            for c in reversed(self.order)
        ]


def _rows(
    table: pd.DataFrame, totals: pd.DataFrame, codebook: CodebookLike, level: str, top: int | None
) -> _Rows:
    """The codes by count (sub-codes under their parents), cut to ``level`` and ``top``."""
    ranked = list(totals.sort_values(["n", "all"], ascending=False, kind="stable").index)
    book = _parents_book(table, codebook)
    parents = {c: p for c, p in zip(book["code"], book["parent"], strict=True) if p}
    if level == "main":
        ranked = [code for code in ranked if code not in parents]
    nested = nest_codes(ranked, book)
    if top is not None:
        nested = _keep_under(nested, set([code for code, depth in nested if depth == 0][:top]))
    order = [code for code, _ in nested]
    labels = code_labels(codebook, order)
    if "label" in table.columns:
        for code, label in table.drop_duplicates("code").set_index("code")["label"].items():
            if isinstance(label, str) and label.strip() and code in order:
                labels[str(code)] = label
    return _Rows(nested, labels, parents)


def _xlabel(table: pd.DataFrame, by_columns: list[str], unit_label: str) -> str:
    """ "Number of stories (% of all 84)": what the bars count, and what the shares are of
    (nothing about shares when the table gives none)."""
    units = table.attrs.get("units") if not by_columns else None
    if table["share"].isna().all():  # counts only
        of = f" (of {units:,})" if units else ""
    elif by_columns:  # each group's share is of its own documents
        of = f" (% of each {' and '.join(by_columns)}'s {unit_label})"
    else:
        of = f" (% of all {units:,})" if units else ""
    return f"Number of {unit_label}{of}"


def _count_text(n: float, n_negative: float, share: float) -> str:
    """ "9 (45%) + 3 negative": what a bar says after its end (the hatched segment adds the
    units that tell of the code only as absent or negative)."""
    text = count_text(n) + (f" ({share:.0%})" if pd.notna(share) else "")
    return text + (f" + {count_text(n_negative)} negative" if n_negative else "")


def _sub_code_note(ax: Axes, rows: _Rows, *, below: float) -> None:
    """Say under the chart that the indented codes are counted in their parent too."""
    align_tick_labels_left(ax)
    heads = [c for c, depth in rows.nested if depth == 0 and c in rows.parents.values()]
    heads = [c for c in heads if any(rows.parents.get(o) == c for o in rows.order)]
    names = " and ".join(rows.labels[c] for c in heads) or "the code above"
    note = f"└ sub-codes of {names}: their stories are counted in it too"
    under = below_axes(ax, below)
    write(ax, 0.0, 0.0, note, va="top", color=MUTED, transform=under, gid="note:sub-codes")


def _group_labels(groups: Iterable[Any]) -> list[str]:
    """The legend's name of each group: wrapped to three lines, and in full where that cut
    would leave two groups looking alike (trial 32: two roles both "Community Health
    Worker (CHW)…")."""
    groups = list(groups)
    cut = [wrap(group, 32, max_lines=3) for group in groups]
    stems = [label.removesuffix("…") for label in cut]  # "CHW…" and "CHW" look alike
    return [
        wrap(group, 32) if stems.count(stem) > 1 else label
        for group, label, stem in zip(groups, cut, stems, strict=True)
    ]


def _legend(ax: Axes, by: list[str], colors: dict[Any, str], negatives: bool) -> None:
    """Name the groups' colours and the hatched negative segment, when there are any."""
    handles = [
        Patch(color=c, label=label)
        for label, c in zip(_group_labels(colors), colors.values(), strict=True)
    ]
    if negatives:
        hatched = Patch(facecolor="white", edgecolor=MUTED, hatch=NEGATIVE_HATCH)
        hatched.set_label("negative (polarity −1)")
        handles.append(hatched)
    if handles:
        title = " · ".join(by) if by else None
        key(ax, handles, loc="lower right", title=title, title_fontsize=ANNOTATION_SIZE)


#: The smallest count label written (points): below it a bar's count is left unwritten.
_SMALLEST_LABEL = 6.0


def _label_size(ax: Axes, groups: int, rows: int) -> float | None:
    """The font size of the count labels: the annotation size, smaller to fit a bar of
    ``groups`` on axes ``rows`` codes tall, or None when even the smallest would overlap
    its neighbours' (trial 43: six groups' labels on her own 10x6 axes)."""
    figure = ax.get_figure(root=True)
    points = ax.bbox.height * 72 / (figure.dpi if figure else 72.0) * 0.8 / groups / max(rows, 1)
    size = min(ANNOTATION_SIZE if groups == 1 else ANNOTATION_SIZE - 1, points / 1.25)
    return size if size >= _SMALLEST_LABEL else None


def _unwritten(bars: int) -> str:
    """What the x label says when the counts were left unwritten (:func:`_label_size`)."""
    return (
        f"counts not written: {bars} bars are too many for axes this short (make the figure "
        'taller, or pass level="main")'
    )


def _longest(table: pd.DataFrame, order: Sequence[str], *, grouped: bool) -> float:
    """The longest bar (count and negatives): one group's, when the bars are per group."""
    shown = table[table["code"].isin(list(order))]
    keys = ["code", "_group"] if grouped else ["code"]
    bars = shown.groupby(keys, sort=False)[["n", "n_negative"]].sum().sum(axis=1)
    return float(bars.max()) if len(bars) else 0.0


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
    **kwargs: Any,
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
        Read from a table with several rows per code when not given: the columns before
        ``code``, where :func:`copanalysis.code_frequencies` writes them.
    frame : DataFrame, optional
        The coded stories, used only to summarise a ``codes`` frame.
    top : int, optional
        Show only the ``top`` most frequent top-level codes (each with its sub-codes).
    level : {"all", "main"}
        ``"all"``: codes and their sub-codes, nested; ``"main"``: top-level codes only.
    title : str or None
        The chart title, bold and left-aligned; None for none. Change it here:
        ``ax.set_title`` on the axes returned adds a second, centred title beside it.
    unit_label : str
        What ``n`` counts, for the axis label ("stories", "passages").
    **kwargs
        Passed on to ``Axes.barh`` for the bars of the counts (``color`` overrides the
        codes' or groups' colours, and hatches the negative segments in it too; ``alpha``,
        ``edgecolor``...); the other keywords are not passed to the hatched negative
        segments.

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
    by_columns = by_columns or _groups_of(table)
    require_columns(
        table, by_columns, chart="plot_code_frequencies", table_name="code_frequencies"
    )
    table = table.assign(
        code=table["code"].astype("string"),
        n=pd.to_numeric(table["n"], errors="coerce").fillna(0),
        n_negative=pd.to_numeric(table["n_negative"], errors="coerce").fillna(0),
        share=pd.to_numeric(table["share"], errors="coerce"),
        _group=_group_key(table, by_columns) if by_columns else None,
    )
    totals = table.groupby("code", sort=False)[["n", "n_negative"]].sum()
    totals = totals.assign(all=totals["n"] + totals["n_negative"])
    rows = _rows(table, totals, codebook, level, top)
    order, depth_of = rows.order, dict(rows.nested)
    colors = code_colors(codebook, order)
    groups = list(dict.fromkeys(table["_group"])) if by_columns else [None]
    group_colors = {g: CATEGORICAL[i % len(CATEGORICAL)] for i, g in enumerate(groups)}
    nesting = any(depth_of.values())
    slots = len(order) * max(1, 0.55 * len(groups))
    ax = new_axes(ax, PAGE_WIDTH, 1.2 + 0.42 * slots + (0.25 if nesting else 0.0))
    height = 0.8 / len(groups)
    longest = _longest(table, order, grouped=bool(by_columns))
    size = _label_size(ax, len(groups), len(order))  # None: they would overlap, said below
    for slot, code in enumerate(order):
        centre = len(order) - 1 - slot  # the most frequent on top
        for g, group in enumerate(groups):
            part = table[table["code"] == code]
            part = part if group is None else part[part["_group"] == group]
            n, n_negative = float(part["n"].sum()), float(part["n_negative"].sum())
            y = centre + 0.4 - height * (g + 0.5)
            suffix = "" if group is None else f":{group}"
            face = colors[code] if group is None else group_colors[group]
            thickness = height * (0.6 if depth_of[code] else 0.92)  # sub-codes thinner
            bar = {"height": thickness, "color": face, **kwargs}
            draw_bars(ax, [y], [n], gids=[f"n:{code}{suffix}"], **bar)
            if n_negative:
                # a colour asked for hatches the negative segment too (trial 43: her
                # blue bars beside hatching in the codebook's colours)
                hatched: dict[str, Any] = {"color": "white", "edgecolor": bar["color"]}
                gid = f"negative:{code}{suffix}"
                hatched.update(hatch=NEGATIVE_HATCH, height=thickness, linewidth=0.8, gids=[gid])
                hatched["starts"] = [n]
                draw_bars(ax, [y], [n_negative], **hatched)
            if size and (group is None or n or n_negative):  # an empty group: no "0 (0%)"
                share = part["share"].iloc[0] if len(part) else np.nan
                text = _count_text(n, n_negative, share)
                write(ax, n + n_negative + longest * 0.01, y, text, size=size)
    ax.set_yticks(range(len(order)), rows.tick_labels())
    ax.set_ylim(-0.6, len(order) - 0.4)
    negatives = float(table.loc[table["code"].isin(order), "n_negative"].sum()) > 0
    ax.set_xlim(0, max(longest, 1) * (1.45 if negatives else 1.25))
    # ticks only as far as the longest bar: the room after it is for the labels
    ticks = MaxNLocator(nbins=6, integer=True).tick_values(0, max(longest, 1))
    ax.set_xticks([t for t in ticks if 0 <= t <= max(longest, 1)])
    notes = [uncoded_note(table_or_codes), "" if size else _unwritten(len(order) * len(groups))]
    note = "\n".join(n for n in notes if n)
    xlabel = _xlabel(table, by_columns, unit_label) + (f"\n{note}" if note else "")
    tidy(ax, title=title, xlabel=xlabel, grid="x")
    ax.tick_params(axis="y", length=0, labelsize=TICK_SIZE)
    if nesting:  # under the x label, and under the uncoded note when there is one
        _sub_code_note(ax, rows, below=40 + (14 * (note.count("\n") + 1) if note else 0))
    _legend(ax, by_columns, group_colors if by_columns else {}, negatives)
    return ax
