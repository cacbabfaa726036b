"""The quantitative value claims in the stories ("cut waiting time by 30%")."""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from copanalysis.plots.annotations import heading, set_title, write
from copanalysis.plots.canvas import ANNOTATION_SIZE, LABEL_SIZE, PAGE_WIDTH, TICK_SIZE, new_axes
from copanalysis.plots.labels import count_text, shorten
from copanalysis.plots.palette import OKABE_ITO
from copanalysis.plots.tables import is_codes, require_columns

__all__ = ["NO_CHANGE", "OTHER_UNITS", "plot_quantities"]

#: The heading of the group that gathers units with too few claims to compare.
OTHER_UNITS = "Other units"
#: The heading of the last group: amounts that state no change ("63 new starters", "two
#: wards"), after every claim of a change (trials 31 and 33: they filled the chart).
NO_CHANGE = "Amounts with no change stated"

#: Up and down in one colour: neither is good or bad in itself (waiting times that fell are
#: value), and the challenge colour of the other charts would read as bad news. An amount
#: saved is up, a gain (:func:`copanalysis.quantities`).
_ARROWS = {1: ("▲", OKABE_ITO["blue"]), -1: ("▼", OKABE_ITO["blue"]), 0: ("•", "#777777")}
#: A percentage claim with no starting level ("fell by 40%", "15% more") is a change, not
#: a level ("from 61% to 84%"): the two are grouped apart, never drawn on one scale.
CHANGE_PERCENT = "% change"
_UNIT_TITLES = {
    "%": "Percentages, from → to, on 0–100%",
    CHANGE_PERCENT: "Changes, in percent",
    "": "Counts without a unit",
}
_MUTED = "#666666"
#: Currencies the claims name by code, written with their sign.
_CURRENCY = {"GBP": "£", "EUR": "€", "USD": "$"}
#: An amount longer than this is written a size smaller, so it keeps clear of the arrow.
_LONG_AMOUNT = 15
#: A change longer than this is written on two lines, split after its arrow ("3 months →"
#: over "3 weeks"), not cut.
_ONE_LINE_AMOUNT = 17
# Columns of a row, in data units of an axis running 0..10 across the page.
_ARROW_X, _VALUE_RIGHT, _BAR_LEFT, _BAR_WIDTH, _TEXT_LEFT = 0.12, 2.2, 2.35, 1.25, 3.8
# Heights, in inches (the y axis runs in inches from the top).
_KEY, _HEADER, _ONE_LINE, _TWO_LINES, _FOOTER = 0.28, 0.32, 0.25, 0.35, 0.3
# Characters that fit: what changed (10 pt, beside the story id), the quote (8.5 pt, full
# width of the text column), the amount and the story id.
_CHANGE_CHARS, _QUOTE_CHARS, _AMOUNT_CHARS, _STORY_CHARS = 34, 66, 18, 24
_QUOTE_SIZE = ANNOTATION_SIZE - 0.5


def _split(text: str, first: int, second: int) -> tuple[str, str]:
    """The words of ``text`` that fit a line of ``first`` characters, and the rest cut to
    ``second`` characters."""
    lines = textwrap.wrap(" ".join(text.split()), width=first)
    if not lines:
        return "", ""
    return lines[0], shorten(text[text.find(lines[0]) + len(lines[0]) :], second)


def _number(number: float) -> str:
    return f"{number:,.0f}" if float(number).is_integer() else f"{number:,.2g}"


def _amount(
    number: float, unit: str, baseline: float = np.nan, direction: int = 0, baseline_said: str = ""
) -> str:
    """The amount as a reader says it: ``61% → 84%``, ``−40%``, ``4.1 → 3.4 days``; a
    baseline in another unit as she wrote it (``baseline_said``): ``3 months → 3 weeks``,
    not the ``13 → 3 weeks`` it is compared as.

    Examples
    --------
    >>> _amount(84, "%", 61), _amount(40, CHANGE_PERCENT, direction=-1), _amount(3.4, "days", 4.1)
    ('61% → 84%', '−40%', '4.1 → 3.4 days')
    >>> _amount(48000, "GBP/year"), _amount(250, "EUR", 300)
    ('£48,000/year', '€300 → €250')
    >>> _amount(3, "weeks", 13.04, -1, "3 months")
    '3 months → 3 weeks'
    >>> _amount(1, "days", 7, -1, "1 week"), _amount(1, "hours")
    ('1 week → 1 day', '1 hour')
    """
    from copanalysis.coding.quantities import TIME_UNITS

    text = _number(number)
    if number == 1 and unit in TIME_UNITS:  # "1 day", not "1 days"
        unit = unit[:-1]
    if baseline_said and not np.isnan(baseline):
        return f"{baseline_said} → {text} {unit}".strip()
    if unit == CHANGE_PERCENT:
        return {1: "+", -1: "−"}.get(int(np.sign(direction)), "") + f"{text}%"
    money, _, rate = unit.partition("/")
    if money in _CURRENCY:  # "£48,000/year", shorter than "48,000 GBP/year"
        sign, per = _CURRENCY[money], f"/{rate}" if rate else ""
        before = "" if np.isnan(baseline) else f"{sign}{_number(baseline)} → "
        return f"{before}{sign}{text}{per}"
    if not np.isnan(baseline):
        text = f"{_number(baseline)}{'%' if unit == '%' else ''} → {text}"
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}".strip()


def _text_column(table: pd.DataFrame, column: str) -> np.ndarray:
    values = table[column] if column in table.columns else pd.Series("", index=table.index)
    return values.astype("string").fillna("").str.strip().to_numpy()


def _claims(table: pd.DataFrame, min_unit_claims: int) -> pd.DataFrame:
    """One row per claim with a number, in drawing order, with its ``group`` heading."""
    claims = pd.DataFrame(
        {
            "row": np.arange(len(table)),
            "doc_id": _text_column(table, "doc_id"),
            "number": pd.to_numeric(table["number"], errors="coerce").to_numpy(dtype=float),
            "unit": _text_column(table, "unit"),
            "change": _text_column(table, "change"),
            "quote": _text_column(table, "quote"),
            "direction": pd.to_numeric(table["direction"], errors="coerce")
            .fillna(0)
            .astype(int)
            .to_numpy()
            if "direction" in table.columns
            else 0,
            "baseline": pd.to_numeric(table["baseline"], errors="coerce").to_numpy(dtype=float)
            if "baseline" in table.columns
            else np.nan,
            "baseline_said": _text_column(table, "baseline_said"),
        }
    )
    claims = _same_once(claims[claims["number"].notna()])
    change = (claims["unit"] == "%") & claims["baseline"].isna()
    claims.loc[change, "unit"] = CHANGE_PERCENT
    still = (claims["direction"] == 0) & claims["baseline"].isna()
    n_in_unit = claims[~still].groupby("unit")["row"].transform("size")
    n_in_unit = n_in_unit.reindex(claims.index, fill_value=0)
    own_group = (n_in_unit >= max(min_unit_claims, 1)) & ~still
    claims = claims.assign(
        magnitude=claims["number"].abs(),
        n_in_unit=n_in_unit,
        other=~own_group,
        group=[
            NO_CHANGE
            if quiet
            else OTHER_UNITS
            if not own
            else _UNIT_TITLES.get(unit, unit[:1].upper() + unit[1:])
            for unit, own, quiet in zip(claims["unit"], own_group, still, strict=True)
        ],
        # units with many claims first; within a unit, the largest amounts first; the
        # other units next, by unit; the amounts that state no change last
        _size=np.where(own_group, n_in_unit, np.where(still, -1, 0)),
        _key=np.where(own_group, claims["unit"], "~"),
    )
    claims = claims.sort_values(
        ["_size", "_key", "unit", "magnitude"],
        ascending=[False, True, True, False],
        kind="stable",
    )
    return claims.drop(columns=["_size", "_key"])


def _drawn(claims: pd.DataFrame, most: int) -> pd.DataFrame:
    """The ``most`` claims drawn, in drawing order: the units' own groups take turns, the
    first claim of each, then the second of each... (trial 44: 25 claims in bags filled the
    chart, and no amount in KES was drawn); then the other units, then the amounts that
    state no change.

    Examples
    --------
    >>> claims = pd.DataFrame({"group": ["Bags"] * 3 + ["KES"] * 2 + [NO_CHANGE],
    ...                        "other": [False] * 5 + [True]})
    >>> _drawn(claims, 4)["group"].tolist()
    ['Bags', 'Bags', 'KES', 'KES']
    """
    rank = claims.groupby("group", sort=False).cumcount().to_numpy()
    position = np.arange(len(claims))
    tier = np.where(claims["group"] == NO_CHANGE, 2, np.where(claims["other"], 1, 0))
    turn = np.where(tier == 0, rank, position)  # the other tiers in drawing order
    chosen = np.lexsort((position, turn, tier))[:most]
    return claims.iloc[np.sort(chosen)]


def _same_once(claims: pd.DataFrame) -> pd.DataFrame:
    """One row for the same claim told in many answers, its story shown as ``"s12 +39
    more"``: the same numbers, unit and direction, and the same thing changed, in any case
    and spacing (trial 41: "52% -> 61% reading scores" retyped, lower-cased or joined to
    another sentence filled 19 of 20 rows). A claim that names no change is the same only in
    the same words. The row kept shows the sentence the claim is most often told in."""
    said = claims["change"].where(claims["change"] != "", claims["quote"])
    claims = claims.assign(
        _what=said.str.casefold().str.split().str.join(" "),
        _quote=claims["quote"].str.casefold().str.split().str.join(" "),
    )
    same = ["number", "unit", "direction", "baseline", "_what"]
    groups = claims.groupby(same, dropna=False, sort=False)
    # the most told wording first, then the shortest (a sentence joined to another by ";"
    # is longer), then the first row
    told = claims.groupby([*same, "_quote"], dropna=False, sort=False)["row"].transform("size")
    order = claims.assign(_told=-told, _length=claims["quote"].str.len()).sort_values(
        ["_told", "_length", "row"], kind="stable"
    )
    kept = order[~order.duplicated(same)].sort_values("row")
    stories = groups["doc_id"].transform("nunique").reindex(kept.index)
    return kept.assign(n_same=stories).drop(columns=["_what", "_quote", "_told", "_length"])


def _amount_lines(amount: str) -> tuple[str, str]:
    """An amount on one line, or a change too long for one (:data:`_ONE_LINE_AMOUNT`) on
    two, split after its arrow; each line cut to fit.

    Examples
    --------
    >>> _amount_lines("3 months → 3 weeks"), _amount_lines("61% → 84%")
    (('3 months →', '3 weeks'), ('61% → 84%', ''))
    """
    if len(amount) <= _ONE_LINE_AMOUNT or " → " not in amount:
        return shorten(amount, _AMOUNT_CHARS), ""
    start, _, end = amount.partition(" → ")
    return shorten(f"{start} →", _AMOUNT_CHARS), shorten(end, _AMOUNT_CHARS)


def _texts(claims: pd.DataFrame) -> pd.DataFrame:
    """Every row's text: the amount, on two lines when it is long; what changed in ink,
    the claim's sentence under it in grey; a claim that names no change shows its sentence
    on both lines."""
    first, second, quoted = [], [], []
    for change, quote in zip(claims["change"], claims["quote"], strict=True):
        if change:
            first.append(shorten(change, _CHANGE_CHARS))
            second.append(shorten(quote, _QUOTE_CHARS))
        else:
            head, rest = _split(quote, _CHANGE_CHARS + 4, _QUOTE_CHARS)
            first.append(head)
            second.append(rest)
        quoted.append(not change)
    said = zip(
        claims["number"],
        claims["unit"],
        claims["baseline"],
        claims["direction"],
        claims["baseline_said"],
        strict=True,
    )
    amounts = [_amount_lines(_amount(*claim)) for claim in said]
    return claims.assign(
        first=first,
        second=second,
        quoted=quoted,
        amount=[top for top, _ in amounts],
        amount_below=[below for _, below in amounts],
    )


def _draw_claim(ax: Axes, claim: Any, y: float, largest: float, **kwargs: Any) -> float:
    """Draw one claim's row from ``y`` down; return where the next row starts."""
    line = y + 0.10
    arrow, color = _ARROWS.get(int(np.sign(claim.direction)), _ARROWS[0])
    mark: dict[str, Any] = {"size": TICK_SIZE, "color": color, "ha": "center"}
    write(ax, _ARROW_X, line, arrow, gid=f"direction:{claim.row}", **mark)
    longest = max(len(claim.amount), len(claim.amount_below))
    size = TICK_SIZE if longest <= _LONG_AMOUNT else TICK_SIZE - 1.5
    bold: dict[str, Any] = {"size": size, "ha": "right", "fontweight": "bold"}
    write(ax, _VALUE_RIGHT, line, claim.amount, **bold)
    if claim.amount_below:
        write(ax, _VALUE_RIGHT, y + 0.26, claim.amount_below, **bold)
    if not claim.other:
        # a level in percent on its own 0-100% scale; a tick at where a claim started
        scale = 100.0 if claim.unit == "%" else largest
        width = _BAR_WIDTH * min(claim.magnitude / scale, 1.0)
        style = {"color": color, "alpha": 0.75, "linewidth": 0, **kwargs}
        bar = Rectangle((_BAR_LEFT, line - 0.08), width, 0.16, gid=f"claim:{claim.row}", **style)
        ax.add_patch(bar)
        if claim.unit == "%":
            ends = [_BAR_LEFT, _BAR_LEFT + _BAR_WIDTH]
            ax.plot(ends, [line] * 2, color="#BBBBBB", linewidth=0.6, zorder=0)
        if not np.isnan(claim.baseline):  # a tick where it started, in any unit
            x = _BAR_LEFT + _BAR_WIDTH * min(abs(claim.baseline) / scale, 1.0)
            ax.plot(
                [x, x],
                [line - 0.12, line + 0.12],
                color="#333333",
                linewidth=1.2,
                gid=f"baseline:{claim.row}",
            )
    what = ("“" if claim.quoted else "") + claim.first
    grey: dict[str, Any] = {"size": _QUOTE_SIZE, "color": _MUTED, "fontstyle": "italic"}
    look = grey if claim.quoted else {"size": TICK_SIZE}
    write(ax, _TEXT_LEFT, line, what, gid=f"what:{claim.row}", **look)
    more = f" +{claim.n_same - 1} more" if claim.n_same > 1 else ""
    story = shorten(claim.doc_id, _STORY_CHARS - len(more)) + more
    write(ax, 10, line, story, size=ANNOTATION_SIZE - 0.5, color=_MUTED, ha="right")
    if not claim.second:
        return y + (_TWO_LINES if claim.amount_below else _ONE_LINE)
    quote = ("" if claim.quoted else "“") + claim.second.strip('“”"') + "”"
    write(ax, _TEXT_LEFT, y + 0.26, quote, gid=f"quote:{claim.row}", **grey)
    return y + _TWO_LINES


def _key_line(ax: Axes) -> None:
    """What the arrows and the bars mean, over the rows."""
    names = ("up", "down", "not stated")
    arrows = "   ".join(
        f"{a} {name}" for (a, _), name in zip(_ARROWS.values(), names, strict=True)
    )
    text = f"{arrows}   · bars compare amounts within a group; | marks a starting level"
    write(ax, 0, _KEY * 0.4, text, size=ANNOTATION_SIZE - 0.5, color="#555555")


def plot_quantities(
    table_or_codes: pd.DataFrame,
    *,
    ax: Axes | None = None,
    codebook: Any = None,
    max_claims: int = 20,
    min_unit_claims: int = 2,
    title: str | None = "What changed, in numbers",
    **kwargs: Any,
) -> Axes:
    """Draw the quantitative claims as a table-like chart, one row per claim, grouped by
    unit.

    Each row shows the direction (▲ up, ▼ down, • not stated), the amount with its unit
    (``61% → 84%`` when the claim gives where it started), a bar comparing it with the
    largest claim *in the same unit* (amounts in different units are not comparable), what
    changed and the story it comes from, and under it the sentence of the claim in grey.
    A claim that says where it started has a tick there ("95 -> 52 minutes": a bar to 52
    and a tick at 95, on a scale that holds both). Percentages are two groups: levels with
    their starting level ("went from 61% to 84%"), drawn on a 0-100% scale, and changes in
    percent ("fell by 40%", "15% more"), signed, whose bars compare them with each other.
    Units with at least ``min_unit_claims`` claims get their own group, the most claims
    first, the larger amounts first within a group; the claims of the other units are
    gathered last under "Other units", without bars. The same claim told in several
    answers (the same numbers, unit, direction and thing changed, in any case or spacing)
    is one row, its story shown as ``"s12 +3 more"`` (the other stories that tell it).

    Parameters
    ----------
    table_or_codes : DataFrame
        The frame of :func:`copanalysis.quantities` (``doc_id``, ``number``, ``unit``,
        ``change``, ``direction``, ``quote``, ``baseline``, ``baseline_said``: a starting
        level in another unit is labelled as written, "3 months → 3 weeks"), or the
        ``codes`` or ``stories`` it reads.
    ax : Axes, optional
        Where to draw; a new figure, page wide and as tall as its rows, when omitted.
    codebook : ignored
        Accepted so that every chart takes the same keywords.
    max_claims : int
        Draw at most this many claims: the units' own groups take turns (the largest
        claim of each, then the next of each...), then the other units and the amounts
        that state no change; a group heading says when only some of its claims are
        drawn, and a last line how many were left out.
    min_unit_claims : int
        A unit with fewer claims than this joins "Other units".
    title : str or None
        The chart title, bold and left-aligned; None for none. Change it here:
        ``ax.set_title`` on the axes returned adds a second, centred title beside it.
    **kwargs
        Passed on to the bars' ``Rectangle`` patches (``color`` for every bar, ``alpha``,
        ``hatch``...).

    Returns
    -------
    Axes
        The bars are ``Rectangle`` patches with ``gid`` ``"claim:<row>"`` (the row's
        position in the table) and width proportional to ``number`` within its unit.

    Examples
    --------
    >>> import pandas as pd, matplotlib.pyplot as plt
    >>> claims = pd.DataFrame({"doc_id": ["s1", "s2", "s3"], "number": [30.0, 12.0, 6.0],
    ...                        "unit": ["%", "%", "weeks"],
    ...                        "change": ["waiting time", "no-shows", "lead time"],
    ...                        "direction": [-1, -1, -1], "quote": ["", "", ""]})
    >>> ax = plot_quantities(claims)
    >>> [t.get_text() for t in ax.texts][:4]
    ['Changes, in percent (2)', '▼', '−30%', 'waiting time']
    >>> sorted(p.get_gid() for p in ax.patches)  # the lone claim in weeks has no bar
    ['claim:0', 'claim:1']
    >>> plt.close(ax.figure)
    """
    table: Any = table_or_codes
    if is_codes(table) or (isinstance(table, pd.DataFrame) and "story_id" in table.columns):
        from copanalysis.coding.quantities import quantities

        table = quantities(table)
    table = require_columns(
        table, ("doc_id", "number", "unit"), chart="plot_quantities", table_name="quantities"
    )
    claims = _claims(table, min_unit_claims)
    totals = claims.groupby("group", sort=False).size()
    left_out = max(len(claims) - max(max_claims, 0), 0)
    claims = _texts(_drawn(claims, max(max_claims, 0)))
    groups = list(dict.fromkeys(claims["group"]))
    rows_height = sum(
        _TWO_LINES if text or below else _ONE_LINE
        for text, below in zip(claims["second"], claims["amount_below"], strict=True)
    )
    height = _KEY + rows_height + _HEADER * len(groups) + (_FOOTER if left_out else 0.0)
    ax = new_axes(ax, PAGE_WIDTH, 0.55 + max(height, 0.8))
    ax.set_axis_off()
    ax.set_xlim(0, 10)
    ax.set_ylim(max(height, 0.8), 0)
    y = _KEY if len(claims) else 0.0
    for group in groups:
        rows = claims[claims["group"] == group]
        shown, total = len(rows), int(totals[group])
        count = (
            count_text(shown)
            if shown == total
            else f"{count_text(shown)} of {count_text(total)} shown"
        )
        heading(ax, 0, y + _HEADER * 0.5, f"{group} ({count})", ha="left")
        ax.plot([0, 10], [y + _HEADER - 0.03] * 2, color="#DDDDDD", linewidth=0.8)
        y += _HEADER
        # the scale holds where a claim started too: "95 -> 52 minutes" is a fall
        largest = {
            unit: float(np.nanmax([*group_rows["magnitude"], *group_rows["baseline"].abs()]))
            or 1.0
            for unit, group_rows in rows.groupby("unit")
        }
        for claim in rows.itertuples(index=False):
            y = _draw_claim(ax, claim, y, largest[claim.unit], **kwargs)
    if left_out:
        more = f"… and {left_out} more claims not shown"
        write(ax, 0, y + _FOOTER * 0.55, more, color=_MUTED, fontstyle="italic")
    if not len(claims):
        write(ax, 5, 0.4, "No quantitative claims found", size=LABEL_SIZE, ha="center")
    else:
        _key_line(ax)
    return set_title(ax, title)
