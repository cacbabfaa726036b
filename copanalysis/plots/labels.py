"""Codes as a chart shows them: their order, their labels, and text that fits.

A chart takes its codebook as a :class:`~copanalysis.codebooks.Codebook`, a ``codebook``
frame (``code``, ``label``, ``color``, ...), a list of either, or ``None``;
:func:`~copanalysis.codebooks.code_table` reads any of those, and this module turns it into
what charts print.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from copanalysis.codebooks.order import (
    CYCLE_ORDER,
    MAIN_CYCLES,
    CodebookLike,
    code_table,
    order_codes,
)

__all__ = [
    "uncoded_note",
    "count_text",
    "BUILT_IN_CODEBOOKS",
    "CYCLE_ORDER",
    "MAIN_CYCLES",
    "CodebookLike",
    "CodeEntry",
    "code_entries",
    "code_labels",
    "nest_codes",
    "nested_label",
    "or_built_in",
    "order_codes",
    "shorten",
    "wrap",
]


#: The built-in codebooks whose labels a chart uses for the codes it is given no codebook
#: for: the value-creation cycles, the strategic grid and the enabler/challenge themes.
BUILT_IN_CODEBOOKS: tuple[str, ...] = ("value_cycles", "strategic_grid", "enablers_challenges")
#: What marks a sub-code's label, after its parent.
SUB_CODE_MARK = "└ "


def or_built_in(codebook: CodebookLike) -> CodebookLike:
    """``codebook``, or the :data:`BUILT_IN_CODEBOOKS` when it is ``None``, so that the
    codes a table names by id (``potential_human``, ``members_long``) still read as their
    labels (Human capital, Members, long term).

    Examples
    --------
    >>> code_labels(or_built_in(None), ["potential_human", "members_long", "TIME"])["members_long"]
    'Members, long term'
    """
    return list(BUILT_IN_CODEBOOKS) if codebook is None else codebook


def nest_codes(codes: Iterable[str], codebook: CodebookLike) -> list[tuple[str, int]]:
    """Put each sub-code right after its parent, keeping the order of ``codes`` otherwise.

    Parents come from the codebook's ``parent`` field. A sub-code whose parent is not among
    ``codes`` stays where it is, at the top level.

    Returns
    -------
    list of (str, int)
        Each code with its depth: 0 for a top-level code, 1 for a sub-code of the code
        before it (or of an earlier sub-code's parent).

    Examples
    --------
    >>> nest_codes(["immediate", "potential_social", "potential", "potential_human"],
    ...            "value_cycles")
    [('immediate', 0), ('potential', 0), ('potential_social', 1), ('potential_human', 1)]
    """
    codes = list(dict.fromkeys(codes))
    table = code_table(codebook)
    parents = {
        code: parent
        for code, parent in zip(table["code"], table["parent"], strict=True)
        if parent and parent in codes and parent != code
    }
    children: dict[str, list[str]] = {}
    for code in codes:
        if code in parents:
            children.setdefault(parents[code], []).append(code)
    nested: list[tuple[str, int]] = []
    seen: set[str] = set()

    def add(code: str, depth: int) -> None:
        if code in seen:
            return
        seen.add(code)
        nested.append((code, depth))
        for child in children.get(code, []):
            add(child, depth + 1)

    for code in codes:
        if code not in parents:
            add(code, 0)
    for code in codes:  # parents that loop back on each other: at the top level
        add(code, 0)
    return nested


def nested_label(label: str, depth: int) -> str:
    r"""A sub-code's label, indented under its parent's by an em space per level (plain
    spaces are too narrow to see): ``"\u2003└ Human capital"``.

    Examples
    --------
    >>> nested_label("Human capital", 1), nested_label("Potential value", 0)
    ('\u2003└ Human capital', 'Potential value')
    >>> nested_label("Reputational\ncapital", 1)  # a wrapped label stays indented
    '\u2003└ Reputational\n\u2003\u2003 capital'
    """
    if depth <= 0:
        return label
    indent = "\u2003" * depth
    first, *rest = label.split("\n")
    return "\n".join([indent + SUB_CODE_MARK + first, *(indent + "\u2003 " + r for r in rest)])


@dataclass(frozen=True)
class CodeEntry:
    """One code as charts need it: its id, a label to print and its colour ("" when unset)."""

    code: str
    label: str
    color: str = ""


def code_entries(codebook: CodebookLike) -> list[CodeEntry]:
    """The codes of ``codebook`` in display order, each with its label and colour.

    Parameters
    ----------
    codebook : Codebook, DataFrame, str, list of these, or None
        As :func:`~copanalysis.codebooks.code_table` reads it.

    Returns
    -------
    list of CodeEntry
        Empty for ``None``. A colour the codebook leaves unset (empty, or the ``Code``
        default ``#777777``) is ``""`` so that :func:`~copanalysis.plots.palette.code_colors`
        picks one from the palette.

    Examples
    --------
    >>> book = pd.DataFrame({"code": ["TIME", "TECH"], "color": ["#0072B2", "#777777"]})
    >>> [(e.code, e.label, e.color) for e in code_entries(book)]
    [('TIME', 'TIME', '#0072B2'), ('TECH', 'TECH', '')]
    """
    table = code_table(codebook)
    return [
        CodeEntry(code, label, color)
        for code, label, color in zip(table["code"], table["label"], table["color"], strict=True)
    ]


def code_labels(codebook: CodebookLike, codes: Iterable[str] = ()) -> dict[str, str]:
    """Map each code to the label a reader sees.

    Codes the codebook does not know keep their id, with underscores read as spaces and the
    first letter capitalised (``potential_human`` -> ``Potential human``); the five cycles
    and other lower-case ids read the same way.

    Examples
    --------
    >>> code_labels(None, ["potential_human", "TIME"])
    {'potential_human': 'Potential human', 'TIME': 'TIME'}
    """
    table = code_table(codebook)
    labels = dict(zip(table["code"], table["label"], strict=True))
    for code in codes:
        if code not in labels:
            labels[code] = code.replace("_", " ").capitalize() if code.islower() else code
    return labels


def count_text(n: float) -> str:
    """A count as every chart label writes it: whole, thousands separated, as the axes
    write them (trial 41: "14584 (81%)" beside an axis of "18,086").

    Examples
    --------
    >>> count_text(14584), count_text(92.0), count_text(1_203_455)
    ('14,584', '92', '1,203,455')
    """
    return f"{n:,.0f}"


def _text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return ""
    return str(value).strip()


def uncoded_note(table: object, *, units: str = "passages") -> str:
    """What a chart must say when selective coding left units uncoded ("" when none).

    Reads ``attrs["abstained"]``, ``attrs["min_confidence"]`` and, when there,
    ``attrs["coded_units"]`` (of how many), which :func:`copanalysis.code` sets and the
    summary tables carry on.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"n": [1]})
    >>> table.attrs.update(min_confidence=0.4, abstained=12)
    >>> uncoded_note(table)
    '12 passages left uncoded (every code below 0.40 confidence)'
    >>> table.attrs["coded_units"] = 340
    >>> uncoded_note(table)
    '12 of 340 passages left uncoded (every code below 0.40 confidence)'
    >>> uncoded_note(pd.DataFrame())
    ''
    """
    attrs = getattr(table, "attrs", {})
    left = int(attrs.get("abstained") or 0)
    if not left:
        return ""
    of = int(attrs.get("coded_units") or 0)
    noun = units if (of or left) != 1 else units.removesuffix("s")
    return (
        f"{count_text(left)}{f' of {count_text(of)}' if of else ''} {noun} left uncoded "
        "(every code below "
        f"{attrs['min_confidence']:.2f} confidence)"
    )


def wrap(text: object, width: int, *, max_lines: int | None = None) -> str:
    """Wrap ``text`` to lines of at most ``width`` characters, cut with an ellipsis after
    ``max_lines`` lines.

    Examples
    --------
    >>> wrap("Documentation - repository", 14)
    'Documentation\\n- repository'
    >>> wrap("one two three four five six", 9, max_lines=2)
    'one two\\nthree…'
    """
    lines = textwrap.wrap(_text(text), width=max(width, 4), max_lines=max_lines, placeholder="…")
    return "\n".join(lines)


def shorten(text: object, width: int) -> str:
    """Cut ``text`` to at most ``width`` characters at a word boundary, with an ellipsis.

    Examples
    --------
    >>> shorten("Time and workload of the coordinators", 20)
    'Time and workload…'
    """
    return wrap(" ".join(_text(text).split()), width, max_lines=1)
