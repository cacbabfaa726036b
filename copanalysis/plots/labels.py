"""Codes as a chart shows them: their order, their labels, and text that fits.

A chart takes its codebook as a :class:`~copanalysis.codebooks.Codebook`, a ``codebook``
frame (``code``, ``label``, ``color``, ...), a list of either, or ``None``. This module turns
any of those into the same few facts: the codes in display order with a label and a colour.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import pandas as pd

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

#: The five main value-creation cycles, in the framework's order (Wenger, Trayner & de Laat 2011).
MAIN_CYCLES: tuple[str, ...] = ("immediate", "potential", "applied", "realized", "reframing")
#: The main cycles followed by the three added in 2020.
CYCLE_ORDER: tuple[str, ...] = (*MAIN_CYCLES, "orienting", "enabling", "strategic")

#: What a chart accepts as its ``codebook``.
CodebookLike: TypeAlias = Any


@dataclass(frozen=True)
class CodeEntry:
    """One code as charts need it: its id, a label to print and its colour ("" when unset)."""

    code: str
    label: str
    color: str = ""


# The colour a Code gets when its codebook names none: treated as "no colour given".
_UNSET_COLORS = {"", "#777777", "nan", "none", "<na>"}


def _text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return ""
    return str(value).strip()


def code_entries(codebook: CodebookLike) -> list[CodeEntry]:
    """The codes of ``codebook`` in display order, each with its label and colour.

    Parameters
    ----------
    codebook : Codebook, DataFrame, str, list of these, or None
        A :class:`~copanalysis.codebooks.Codebook`; a ``codebook`` frame with at least a
        ``code`` column (``label`` and ``color`` are used when present); the name of a
        built-in codebook; or a list of any of these, concatenated in order.

    Returns
    -------
    list of CodeEntry
        Empty for ``None``. A colour the codebook leaves unset (empty, or the ``Code``
        default ``#777777``) is ``""`` so that :func:`~copanalysis.plots.palette.code_colors`
        picks one from the palette.

    Examples
    --------
    >>> import pandas as pd
    >>> book = pd.DataFrame({"code": ["TIME", "TECH"], "label": ["Time & workload", None],
    ...                      "color": ["#0072B2", ""]})
    >>> [(e.code, e.label, e.color) for e in code_entries(book)]
    [('TIME', 'Time & workload', '#0072B2'), ('TECH', 'TECH', '')]
    """
    if codebook is None:
        return []
    if isinstance(codebook, str):
        from copanalysis.codebooks import load_codebook

        return code_entries(load_codebook(codebook))
    if isinstance(codebook, pd.DataFrame):
        if "code" not in codebook.columns:
            from copanalysis.errors import SchemaError

            raise SchemaError(
                "codebook frame: missing required column 'code'; "
                f"has {', '.join(map(str, codebook.columns))}"
            )
        entries = []
        for row in codebook.to_dict("records"):
            code = _text(row.get("code"))
            if not code:
                continue
            label = _text(row.get("label")) or code
            color = _text(row.get("color"))
            entries.append(CodeEntry(code, label, "" if color.lower() in _UNSET_COLORS else color))
        return entries
    if hasattr(codebook, "codes") and not isinstance(codebook, pd.Series):
        return [
            CodeEntry(
                str(c.code),
                _text(getattr(c, "label", "")) or str(c.code),
                ""
                if _text(getattr(c, "color", "")).lower() in _UNSET_COLORS
                else _text(getattr(c, "color", "")),
            )
            for c in codebook.codes
        ]
    if isinstance(codebook, Sequence):
        seen: dict[str, CodeEntry] = {}
        for part in codebook:
            for entry in code_entries(part):
                seen.setdefault(entry.code, entry)
        return list(seen.values())
    raise TypeError(
        "codebook: expected a Codebook, a codebook frame, a codebook name or a list of them, "
        f"got {type(codebook).__name__}"
    )


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
    labels = {e.code: e.label for e in code_entries(codebook)}
    for code in codes:
        if code not in labels:
            labels[code] = code.replace("_", " ").capitalize() if code.islower() else code
    return labels


def order_codes(codes: Iterable[str], codebook: CodebookLike = None) -> list[str]:
    """Put ``codes`` in display order: codebook order, then the framework's cycle order, then
    alphabetical.

    Examples
    --------
    >>> order_codes(["realized", "zeta", "immediate", "alpha"])
    ['immediate', 'realized', 'alpha', 'zeta']
    """
    ranks = {e.code: i for i, e in enumerate(code_entries(codebook))}
    cycle_rank = {c: i for i, c in enumerate(CYCLE_ORDER)}

    def key(code: str) -> tuple[int, int, str]:
        if code in ranks:
            return (0, ranks[code], code)
        if code in cycle_rank:
            return (1, cycle_rank[code], code)
        return (2, 0, code)

    return sorted(dict.fromkeys(codes), key=key)


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
