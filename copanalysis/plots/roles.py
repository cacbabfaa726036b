"""Who takes on which leadership role: roles x member types."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from copanalysis.codebooks.order import CodebookLike
from copanalysis.plots.annotations import key, say_empty, set_title, write
from copanalysis.plots.canvas import ANNOTATION_SIZE, LABEL_SIZE, PAGE_WIDTH, TICK_SIZE, new_axes
from copanalysis.plots.heatmap import draw_count_grid
from copanalysis.plots.labels import count_text, shorten, wrap
from copanalysis.plots.palette import CATEGORICAL, CHALLENGE, ENABLER, INK
from copanalysis.plots.tables import is_codes, require_columns
from copanalysis.schema import MEMBER_TYPES, ROLES

__all__ = ["plot_role_themes", "plot_roles"]

#: The colour of each worksheet question in :func:`plot_role_themes`.
ASPECT_COLORS: dict[str, str] = {"challenges": CHALLENGE, "support": ENABLER}
_ASPECT_NAMES: dict[str, str] = {"challenges": "challenge", "support": "support needed"}


def _in_order(values: pd.Series, known: tuple[str, ...]) -> list[str]:
    present = [str(v) for v in values.dropna().unique()]
    return [v for v in known if v in present] + sorted(v for v in present if v not in known)


def plot_roles(
    table_or_roles: pd.DataFrame,
    *,
    ax: Axes | None = None,
    codebook: Any = None,
    title: str | None = "Leadership roles by member type",
    **kwargs: Any,
) -> Axes:
    """Draw leadership roles (rows) x member types (columns) as a heat map of respondents.

    Rows and columns follow the worksheet's order (:data:`copanalysis.schema.ROLES`,
    :data:`copanalysis.schema.MEMBER_TYPES`); roles or types the worksheet does not list
    follow, alphabetically. Empty cells are left blank.

    Parameters
    ----------
    table_or_roles : DataFrame
        The long frame of :func:`copanalysis.role_matrix` (``role``, ``member_type``,
        ``n_respondents``), or a ``roles`` frame (then ``role_matrix`` counts it).
    ax : Axes, optional
        Where to draw; a new 9 x 7 inch figure when omitted.
    codebook : ignored
        Accepted so that every chart takes the same keywords.
    title : str or None
        The chart title, bold and left-aligned; None for none. Change it here:
        ``ax.set_title`` on the axes returned adds a second, centred title beside it.
    **kwargs
        Passed on to ``Axes.imshow`` (``cmap``, ``alpha``...).

    Returns
    -------
    Axes
        ``ax.images[0].get_array()`` is the roles x member types matrix.

    Examples
    --------
    >>> import pandas as pd, matplotlib.pyplot as plt
    >>> matrix = pd.DataFrame({"role": ["Networking", "Coordination", "Coordination"],
    ...                        "member_type": ["Core member", "Coordinator", "Core member"],
    ...                        "n_respondents": [2, 4, 1]})
    >>> ax = plot_roles(matrix)
    >>> ax.images[0].get_array().tolist()
    [[4.0, 1.0], [0.0, 2.0]]
    >>> plt.close(ax.figure)
    """
    table: Any = table_or_roles
    if isinstance(table, pd.DataFrame) and "aspect" in table.columns:
        from copanalysis.analysis import role_matrix

        table = role_matrix(table)
    table = require_columns(
        table,
        ("role", "member_type", "n_respondents"),
        chart="plot_roles",
        table_name="role_matrix",
    )
    counts = pd.to_numeric(table["n_respondents"], errors="coerce").fillna(0)
    matrix = table.assign(n_respondents=counts).pivot_table(
        index="role",
        columns="member_type",
        values="n_respondents",
        aggfunc="sum",
        fill_value=0,
        observed=True,
    )
    rows = _in_order(table["role"], ROLES)
    columns = _in_order(table["member_type"], MEMBER_TYPES)
    matrix = matrix.reindex(index=rows, columns=columns).fillna(0)
    ax = new_axes(ax, min(2.8 + 0.8 * len(columns), PAGE_WIDTH), 1.8 + 0.42 * len(rows))
    labels: dict[str, Any] = {"row_labels": rows, "column_labels": columns, "label_width": 30}
    draw_count_grid(ax, matrix, show_zeros=False, **labels, **kwargs)
    ax.set_xlabel("Member type", fontsize=LABEL_SIZE, color=INK)
    ax.xaxis.set_label_position("top")
    return set_title(ax, title)


def _dot_area(n: np.ndarray, most: float) -> np.ndarray:
    """Marker area in points² for a count: 1 is a visible dot, ``most`` a full cell."""
    return np.where(n > 0, 24.0 + 96.0 * (n - 1) / max(most - 1, 1), 0.0)


def _aspect_color(aspect: str, i: int) -> str:
    return ASPECT_COLORS.get(aspect, CATEGORICAL[(i + 2) % len(CATEGORICAL)])


def _role_themes(
    table: Any, roles: pd.DataFrame | None, aspects: list[str], codebook: CodebookLike
) -> pd.DataFrame:
    """One row per (role, code, aspect) with a count, of the aspects asked for."""
    if is_codes(table):
        if roles is None:
            from copanalysis.errors import SchemaError

            raise SchemaError(
                "plot_role_themes: a codes frame needs the roles frame it codes "
                "(plot_role_themes(codes, roles)); "
                "or pass copanalysis.role_themes(codes, frame=roles)"
            )
        from copanalysis.analysis.roles import role_themes

        table = role_themes(table, frame=roles, aspect=aspects, codebook=codebook)
    table = require_columns(
        table, ("role", "code", "aspect", "n"), chart="plot_role_themes", table_name="role_themes"
    )
    frame = pd.DataFrame(
        {
            "role": table["role"].astype("string").to_numpy(),
            "code": table["code"].astype("string").to_numpy(),
            "label": (table["label"] if "label" in table.columns else table["code"])
            .astype("string")
            .to_numpy(),
            "aspect": table["aspect"].astype("string").to_numpy(),
            "n": pd.to_numeric(table["n"], errors="coerce").fillna(0).to_numpy(dtype=float),
        }
    )
    frame["label"] = frame["label"].fillna(frame["code"])
    return frame[frame["aspect"].isin(aspects) & (frame["n"] > 0)].dropna(subset=["role"])


def _matrix_ticks(ax: Axes, columns: list[str], rows: list[str]) -> None:
    """Roles slanted over the top, themes down the left, a light line between cells."""
    ax.set_xlim(-0.6, max(len(columns), 1) - 0.4)
    ax.set_ylim(max(len(rows), 1) - 0.5, -0.5)
    ax.set_xticks(range(len(columns)))
    ax.set_xticklabels(
        [shorten(c, 30) for c in columns],  # one line each, so slanted labels stay apart
        rotation=40,
        ha="left",
        rotation_mode="anchor",
        fontsize=TICK_SIZE,
    )
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(rows, fontsize=TICK_SIZE)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xticks(np.arange(len(columns) + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(len(rows) + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="#E5E5E5", linewidth=0.8)
    ax.tick_params(which="minor", length=0)
    ax.set_axisbelow(True)


def _dot_legend(ax: Axes, aspects: list[str], most: float) -> None:
    """Name each aspect's colour, and show the dot of 1, about half and the most."""

    def dot(color: str, size: float, label: str) -> Line2D:
        return Line2D([], [], marker="o", linestyle="", color=color, markersize=size, label=label)

    handles = [dot(_aspect_color(a, i), 7, _ASPECT_NAMES.get(a, a)) for i, a in enumerate(aspects)]
    sizes = sorted({1, int(most)} | ({int(round(most / 2))} if most >= 3 else set()))
    for k in sizes:
        area = float(_dot_area(np.array([float(k)]), most)[0])
        handles.append(
            dot(
                "#999999",
                float(np.sqrt(area)),
                f"{count_text(k)} respondent{'s' if k > 1 else ''}",
            )
        )
    under = {"loc": "upper center", "bbox_to_anchor": (0.5, 0.0), "ncol": len(handles)}
    key(ax, handles, handletextpad=0.3, columnspacing=1.2, **under)


def plot_role_themes(
    table_or_codes: pd.DataFrame,
    roles: pd.DataFrame | None = None,
    *,
    aspect: str | Sequence[str] = ("challenges", "support"),
    ax: Axes | None = None,
    codebook: CodebookLike = "enablers_challenges",
    title: str | None = "Challenges and support, by role",
    **kwargs: Any,
) -> Axes:
    """Draw which themes the holders of each leadership role name as its challenges and
    as the support it needs: a dot matrix of themes (rows) x roles (columns).

    In each cell, one dot per aspect (challenges in vermillion on the left, support in
    blue on the right), its area growing with the number of respondents, who are also
    written beside it when more than one. Themes nobody names and roles nobody holds are
    left out; themes are sorted by how many respondents name them, most on top.

    Parameters
    ----------
    table_or_codes : DataFrame
        The frame of :func:`copanalysis.role_themes` (``role``, ``code``, ``label``,
        ``aspect``, ``n``), or the ``codes`` frame of the coded role worksheet (then
        ``roles`` is required and ``role_themes`` counts them).
    roles : DataFrame, optional
        The ``roles`` frame, when ``table_or_codes`` is a ``codes`` frame.
    aspect : str or sequence of str
        The worksheet questions to draw (``"challenges"``, ``"support"``, ...).
    ax : Axes, optional
        Where to draw; a new page-wide figure sized to the number of themes when omitted.
    codebook : Codebook, codebook frame, name or None
        The theme codebook of :func:`copanalysis.role_themes`.
    title : str or None
        The chart title, bold and left-aligned; None for none. Change it here:
        ``ax.set_title`` on the axes returned adds a second, centred title beside it.
    **kwargs
        Passed on to ``Axes.scatter`` for every aspect's dots (``alpha``, ``marker``,
        ``edgecolors``...).

    Returns
    -------
    Axes
        One ``PathCollection`` per aspect in ``ax.collections``, with ``gid``
        ``"aspect:<aspect>"``; its offsets are (role column, theme row) and its sizes grow
        with ``n``. Columns run left to right in worksheet order, rows from the top.

    Examples
    --------
    >>> import pandas as pd, matplotlib.pyplot as plt
    >>> table = pd.DataFrame({"role": ["Coordination", "Coordination", "Networking"],
    ...     "code": ["TIME", "TIME", "TRUST"], "label": ["Time", "Time", "Trust"],
    ...     "aspect": ["challenges", "support", "support"], "n": [3, 1, 2]})
    >>> ax = plot_role_themes(table)
    >>> [c.get_gid() for c in ax.collections]
    ['aspect:challenges', 'aspect:support']
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Time', 'Trust']
    >>> plt.close(ax.figure)
    """
    aspects = [aspect] if isinstance(aspect, str) else list(dict.fromkeys(aspect))
    frame = _role_themes(table_or_codes, roles, aspects, codebook)
    totals = frame.groupby("code", sort=False)["n"].sum()
    themes = list(totals.sort_values(ascending=False, kind="stable").index)
    labels = dict(zip(frame["code"], frame["label"], strict=True))
    columns = _in_order(frame["role"], ROLES)
    drawn = [a for a in aspects if a in set(frame["aspect"])] or aspects
    ax = new_axes(ax, PAGE_WIDTH, 2.6 + 0.34 * max(len(themes), 2))
    column = {role: i for i, role in enumerate(columns)}
    row = {code: i for i, code in enumerate(themes)}
    most = float(frame["n"].max()) if len(frame) else 1.0
    step = min(0.42, 0.84 / len(drawn)) if len(drawn) > 1 else 0.0
    for i, name in enumerate(drawn):
        part = frame[frame["aspect"] == name]
        offset = (i - (len(drawn) - 1) / 2) * step
        x = part["role"].map(column).to_numpy(dtype=float) + offset
        y = part["code"].map(row).to_numpy(dtype=float)
        n = part["n"].to_numpy(dtype=float)
        label = _ASPECT_NAMES.get(name, name)
        style = {"color": _aspect_color(name, i), "alpha": 0.9, "linewidths": 0, **kwargs}
        ax.scatter(
            x, y, s=_dot_area(n, most), zorder=3, gid=f"aspect:{name}", label=label, **style
        )
        count: dict[str, Any] = {
            "ha": "center",
            "size": ANNOTATION_SIZE - 1.5,
            "fontweight": "bold",
            "zorder": 4,
        }
        for xi, yi, ni in zip(x, y, n, strict=True):
            if ni > 1:
                write(ax, xi, yi, count_text(ni), color="white", **count)
    _matrix_ticks(ax, columns, [wrap(labels[c], 30, max_lines=2) for c in themes])
    if not len(frame):
        say_empty(ax, "No challenges or support themes coded")
    else:
        _dot_legend(ax, drawn, most)
    return set_title(ax, title)
