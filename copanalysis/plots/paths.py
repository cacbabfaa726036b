"""How far stories get along the value cycles, and how they move from cycle to cycle."""

from __future__ import annotations

from typing import Any

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path
from matplotlib.ticker import MaxNLocator

from copanalysis.codebooks.order import MAIN_CYCLES, CodebookLike, order_codes
from copanalysis.plots.annotations import (
    MUTED,
    below_axes,
    draw_bars,
    heading,
    key,
    say_empty,
    write,
)
from copanalysis.plots.canvas import ANNOTATION_SIZE, PAGE_WIDTH, new_axes, tidy
from copanalysis.plots.labels import code_labels, count_text, wrap
from copanalysis.plots.palette import GREY, code_colors
from copanalysis.plots.tables import is_codes, require_columns

__all__ = ["plot_story_reach", "plot_value_flows"]

NO_CYCLE = "no cycle"


def plot_story_reach(
    table_or_codes: pd.DataFrame,
    *,
    ax: Axes | None = None,
    codebook: CodebookLike = None,
    title: str | None = "How far stories get along the value cycles",
    shares: bool = True,
    doubtful_below: float | None = 0.5,
    **kwargs: Any,
) -> Axes:
    """Draw one bar per cycle: the number of stories whose furthest cycle it is.

    Cycles run in the framework's order (immediate, potential, applied, realized,
    reframing); stories that reach no main cycle get a grey "no cycle" bar at the end, when
    there are any. Each bar is labelled with its count and its share of stories. The part
    of a bar whose stories reach its cycle only on codes of confidence below
    ``doubtful_below`` is hatched, and the label says how many (trial 35: a story "reached"
    reframing on one code at 0.23, and the bar did not show it).

    Parameters
    ----------
    table_or_codes : DataFrame
        The frame of :func:`copanalysis.story_paths` (one row per story with ``reach``), or
        a ``codes`` frame.
    ax : Axes, optional
        Where to draw; a new 7 x 4 inch figure when omitted.
    codebook : Codebook, codebook frame or list, optional
        Labels and colours of the cycles.
    title : str or None
        The chart title, bold and left-aligned; None for none. Change it here:
        ``ax.set_title`` on the axes returned adds a second, centred title beside it.
    shares : bool
        Label each bar with its share of the stories as well as its count (``False`` for a
        study too small for shares to mean much).
    doubtful_below : float or None
        Hatch the stories whose ``reach_confidence`` (:func:`copanalysis.story_paths`) is
        below this; None, or a table without that column, hatches none.
    **kwargs
        Passed on to ``Axes.bar`` (``color`` paints every bar; ``alpha``, ``width``...).

    Returns
    -------
    Axes
        Bars are ``Rectangle`` patches with ``gid`` ``"reach:<cycle>"``; the hatched part
        of a bar, ``"reach_doubtful:<cycle>"``.

    Examples
    --------
    >>> import pandas as pd, matplotlib.pyplot as plt
    >>> paths = pd.DataFrame({"doc_id": list("abcd"),
    ...                       "reach": ["potential", "potential", "applied", None]})
    >>> ax = plot_story_reach(paths)
    >>> {p.get_gid(): int(p.get_height()) for p in ax.patches}
    {'reach:immediate': 0, 'reach:potential': 2, 'reach:applied': 1, 'reach:realized': 0, 'reach:reframing': 0, 'reach:no cycle': 1}
    >>> plt.close(ax.figure)
    """  # noqa: E501
    table: Any = table_or_codes
    if is_codes(table):
        from copanalysis.analysis import story_paths

        table = story_paths(table)
    table = require_columns(table, ("reach",), chart="plot_story_reach", table_name="story_paths")
    reach = table["reach"].astype("string")
    counts = reach.value_counts(dropna=True)
    cycles = order_codes([*MAIN_CYCLES, *counts.index], codebook)
    cycles = [c for c in cycles if c in MAIN_CYCLES or counts.get(c, 0)]
    values = [int(counts.get(c, 0)) for c in cycles]
    n_missing = int(reach.isna().sum())
    labels = code_labels(codebook, cycles)
    colors = code_colors(codebook, cycles)
    names = [labels[c] for c in cycles]
    faces = [colors[c] for c in cycles]
    gids = [f"reach:{c}" for c in cycles]
    if n_missing:
        values.append(n_missing)
        names.append("None of these five")
        faces.append(GREY)
        gids.append(f"reach:{NO_CYCLE}")
    total = max(len(table), 1)

    doubtful = [0] * len(values)
    if doubtful_below is not None and "reach_confidence" in table.columns:
        unsure = table.loc[
            pd.to_numeric(table["reach_confidence"], errors="coerce").lt(doubtful_below), "reach"
        ].astype("string")
        doubtful = [int(unsure.eq(c).sum()) for c in cycles] + [0] * bool(n_missing)

    ax = new_axes(ax, PAGE_WIDTH, 4.0)
    texts = [
        f"{count_text(value)} ({value / total:.0%})" if shares else count_text(value)
        for value in values
    ]
    texts = [
        f"{text}\n{count_text(n)} below {doubtful_below:g}" if n else text
        for text, n in zip(texts, doubtful, strict=True)
    ]
    bars = {"width": 0.7, "color": faces, **kwargs}
    draw_bars(ax, range(len(values)), values, gids=gids, labels=texts, horizontal=False, **bars)
    for x, (n, gid) in enumerate(zip(doubtful, gids, strict=True)):
        if n:  # over the bottom of the bar: these stories reach it only on unsure codes
            ax.add_patch(
                Rectangle(
                    (x - 0.35, 0), 0.7, n, fill=False, hatch="////", edgecolor="white",
                    linewidth=0, gid=gid.replace("reach:", "reach_doubtful:", 1),
                )
            )  # fmt: skip
    if any(doubtful):  # the key: white hatching on a bar's grey, as it shows on the bars
        said = f"reached only on codes of confidence below {doubtful_below:g}"
        key(ax, [Patch(facecolor=MUTED, edgecolor="white", hatch="////", label=said)])
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels([wrap(n, 12, max_lines=2) for n in names])
    ax.set_ylim(0, max(max(values, default=0), 1) * 1.25)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    xlabel = "Furthest of the five main cycles the story reaches"
    if n_missing:  # what "none" holds: a reader would take it for "no value"
        xlabel += "\nNone of these five: no value told, only other cycles, or nothing coded"
    ylabel = f"Stories (% of all {len(table):,})" if shares else f"Stories (of {len(table):,})"
    tidy(ax, title=title, xlabel=xlabel, ylabel=ylabel, grid="y")
    ax.tick_params(axis="x", length=0)
    return ax


def _band(x0: float, x1: float, y0_top: float, y1_top: float, width: float) -> Path:
    """A band of constant thickness ``width`` from (x0, y0_top) down to (x1, y1_top)."""
    mid = (x0 + x1) / 2
    vertices = [
        (x0, y0_top),
        (mid, y0_top),
        (mid, y1_top),
        (x1, y1_top),
        (x1, y1_top - width),
        (mid, y1_top - width),
        (mid, y0_top - width),
        (x0, y0_top - width),
        (x0, y0_top),
    ]
    codes = [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4, Path.LINETO,
             Path.CURVE4, Path.CURVE4, Path.CURVE4, Path.CLOSEPOLY]  # fmt: skip
    return Path(vertices, codes)


_NODE_W = 0.05  # the width of a cycle's node, in data units (the bands run 0 to 1)
_NODE_SIZE = ANNOTATION_SIZE + 1


def _flows(table: Any) -> pd.DataFrame:
    """The moves between cycles, one row per (source, target), without empty ones."""
    if is_codes(table):
        from copanalysis.analysis import value_flows

        table = value_flows(table)
    table = require_columns(
        table, ("source", "target", "n"), chart="plot_value_flows", table_name="value_flows"
    )
    flows = table.assign(
        source=table["source"].astype("string"),
        target=table["target"].astype("string"),
        n=pd.to_numeric(table["n"], errors="coerce").fillna(0),
    )
    flows = flows[(flows["n"] > 0) & flows["source"].notna() & flows["target"].notna()]
    return flows.groupby(["source", "target"], as_index=False, sort=False)["n"].sum()


def _node_tops(side: pd.Series, cycles: list[str], total: float, gap: float) -> dict[str, float]:
    """The top of each cycle's node on one side, in the framework's order, top down."""
    tops, y = {}, total + gap * (len(side) - 1)
    for cycle in cycles:
        if cycle in side.index:
            tops[cycle] = y
            y -= float(side[cycle]) + gap
    return tops


def plot_value_flows(
    table_or_codes: pd.DataFrame,
    *,
    ax: Axes | None = None,
    codebook: CodebookLike = None,
    title: str | None = "How stories move from cycle to cycle",
    **kwargs: Any,
) -> Axes:
    """Draw the flows between cycles as a Sankey diagram: cycles a story moves *from* on the
    left, cycles it moves *to* on the right, both in the framework's order, joined by bands
    whose thickness is the number of moves.

    Parameters
    ----------
    table_or_codes : DataFrame
        The frame of :func:`copanalysis.value_flows` (``source``, ``target``, ``n``), or a
        ``codes`` frame.
    ax : Axes, optional
        Where to draw; a new figure sized to the number of cycles when omitted.
    codebook : Codebook, codebook frame or list, optional
        Labels, order and colours of the cycles; a band takes its source's colour.
    title : str or None
        The chart title, bold and left-aligned; None for none. Change it here:
        ``ax.set_title`` on the axes returned adds a second, centred title beside it.
    **kwargs
        Passed on to the bands' ``PathPatch`` (``alpha``, ``facecolor``, ``edgecolor``...).

    Returns
    -------
    Axes
        Bands are ``PathPatch`` patches with ``gid`` ``"flow:<source>><target>"`` whose
        thickness in data units is ``n``; nodes are ``Rectangle`` patches with ``gid``
        ``"from:<cycle>"`` and ``"to:<cycle>"``.

    Examples
    --------
    >>> import pandas as pd, matplotlib.pyplot as plt
    >>> flows = pd.DataFrame({"source": ["immediate", "potential"],
    ...                       "target": ["potential", "applied"], "n": [6, 2]})
    >>> ax = plot_value_flows(flows)
    >>> sorted(p.get_gid() for p in ax.patches if p.get_gid().startswith("flow:"))
    ['flow:immediate>potential', 'flow:potential>applied']
    >>> plt.close(ax.figure)
    """
    flows = _flows(table_or_codes)
    cycles = order_codes([*flows["source"], *flows["target"]], codebook)
    rank = {c: i for i, c in enumerate(cycles)}
    flows = flows.assign(_s=flows["source"].map(rank), _t=flows["target"].map(rank))
    flows = flows.sort_values(["_s", "_t"])
    labels = code_labels(codebook, cycles)
    colors = code_colors(codebook, cycles)
    outflow = flows.groupby("source")["n"].sum()
    inflow = flows.groupby("target")["n"].sum()
    total = float(flows["n"].sum())
    ax = new_axes(ax, PAGE_WIDTH, 1.5 + 0.55 * max(len(cycles), 2))
    ax.set_axis_off()
    if total == 0:
        say_empty(ax, "No moves between cycles")
        return tidy(ax, title=title)
    gap = total * 0.06
    left_top = _node_tops(outflow, cycles, total, gap)
    right_top = _node_tops(inflow, cycles, total, gap)
    height = total + gap * (max(len(outflow), len(inflow)) - 1)
    sides = (("from", -_NODE_W, left_top, outflow), ("to", 1.0, right_top, inflow))
    for side, x, tops, counts in sides:
        for cycle, top in tops.items():
            n = float(counts[cycle])
            node = Rectangle((x, top - n), _NODE_W, n, color=colors[cycle], gid=f"{side}:{cycle}")
            ax.add_patch(node)
            name = wrap(labels[cycle], 22, max_lines=2)
            if side == "from":
                said = f"{name}  {count_text(n)}"
                write(ax, x - 0.02, top - n / 2, said, size=_NODE_SIZE, ha="right")
            else:
                said = f"{count_text(n)}  {name}"
                write(ax, x + _NODE_W + 0.02, top - n / 2, said, size=_NODE_SIZE)
        heading(ax, x + _NODE_W / 2, height + gap * 0.8, side, va="bottom")
    left_next, right_next = dict(left_top), dict(right_top)
    for source, target, n in zip(flows["source"], flows["target"], flows["n"], strict=True):
        path = _band(0.0, 1.0, left_next[source], right_next[target], float(n))
        style = {"facecolor": colors[source], "alpha": 0.55, "linewidth": 0, **kwargs}
        ax.add_patch(PathPatch(path, gid=f"flow:{source}>{target}", **style))
        left_next[source] -= float(n)
        right_next[target] -= float(n)
    ax.set_xlim(-0.8, 1.85)
    ax.set_ylim(-gap * 0.3, height + gap * 2)
    note = (
        "The numbers count steps from one cycle to the next, over all the stories:\n"
        "a story that tells three cycles takes two steps."
    )
    write(ax, 0.0, 0.0, note, va="top", color=MUTED, transform=below_axes(ax, 4), gid="note:steps")
    return tidy(ax, title=title)
