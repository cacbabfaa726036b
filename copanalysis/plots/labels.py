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
    "CYCLE_ORDER",
    "MAIN_CYCLES",
    "CodebookLike",
    "CodeEntry",
    "code_entries",
    "code_labels",
    "order_codes",
    "shorten",
    "wrap",
]


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


def _text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return ""
    return str(value).strip()


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
