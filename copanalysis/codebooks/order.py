"""Codes in order, with their labels, parents and colours, from any codebook a researcher has.

Analyses, charts and :func:`~copanalysis.show_codes` take their ``codebook`` as a
:class:`~copanalysis.codebooks.Codebook`, a ``codebook`` frame, the name of a built-in
codebook (or a codebook file), a list of these, or ``None``. :func:`code_table` turns any of
those into one small frame, and :func:`order_codes` puts codes in the order a reader expects.
The value-creation cycles of the framework, in order, live here too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeAlias

import pandas as pd

__all__ = [
    "CYCLE_ALIASES",
    "CYCLE_ORDER",
    "MAIN_CYCLES",
    "CodebookLike",
    "code_table",
    "codebook_name",
    "cycle_of",
    "order_codes",
]

#: The five main value-creation cycles, in order (Wenger, Trayner & de Laat 2011).
MAIN_CYCLES: tuple[str, ...] = ("immediate", "potential", "applied", "realized", "reframing")
#: The main cycles, then the three added by Wenger-Trayner & Wenger-Trayner (2020).
CYCLE_ORDER: tuple[str, ...] = (*MAIN_CYCLES, "orienting", "enabling", "strategic")
#: Other names coders use for a cycle.
CYCLE_ALIASES: dict[str, str] = {"transformative": "reframing"}

#: What analyses and charts take as a codebook (one meaning, defined here only): a Codebook,
#: a codebook frame, a built-in codebook's name, a list of these, or None.
CodebookLike: TypeAlias = Any

_COLUMNS = ["code", "label", "parent", "color"]
# The colour a Code gets when its codebook names none, and empty cells: "no colour given".
_UNSET_COLORS = {"", "#777777", "nan", "none", "<na>"}


def _text(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        try:
            if pd.isna(value):  # type: ignore[call-overload]
                return ""
        except (TypeError, ValueError):
            pass
    return str(value).strip()


def _row(code: object, label: object, parent: object, color: object) -> dict[str, str]:
    ident = _text(code)
    shade = _text(color)
    return {
        "code": ident,
        "label": _text(label) or ident,
        "parent": _text(parent),
        "color": "" if shade.lower() in _UNSET_COLORS else shade,
    }


def _rows(codebook: CodebookLike, *, strict: bool) -> list[dict[str, str]]:
    if codebook is None:
        return []
    if isinstance(codebook, str):
        from copanalysis.codebooks.codebook import builtin_codebook

        try:
            loaded = builtin_codebook(codebook)
        except Exception:
            if strict:
                raise
            return []
        return _rows(loaded, strict=strict)
    if isinstance(codebook, pd.DataFrame):
        if "code" not in codebook.columns:
            from copanalysis.errors import SchemaError

            raise SchemaError(
                "codebook frame: missing required column 'code'; "
                f"has {', '.join(map(str, codebook.columns))}"
            )
        return [
            _row(r.get("code"), r.get("label"), r.get("parent"), r.get("color"))
            for r in codebook.to_dict("records")
        ]
    if hasattr(codebook, "codes") and not isinstance(codebook, pd.Series):
        return [
            _row(
                getattr(c, "code", ""),
                getattr(c, "label", ""),
                getattr(c, "parent", ""),
                getattr(c, "color", ""),
            )
            for c in codebook.codes
        ]
    if isinstance(codebook, Sequence):
        return [row for part in codebook for row in _rows(part, strict=strict)]
    raise TypeError(
        "codebook: expected a Codebook, a codebook frame, a codebook name or a list of them, "
        f"got {type(codebook).__name__}"
    )


def code_table(codebook: CodebookLike, *, strict: bool = True) -> pd.DataFrame:
    """The codes of ``codebook`` in display order, with their label, parent and colour.

    Parameters
    ----------
    codebook : Codebook, DataFrame, str, list of these, or None
        A :class:`~copanalysis.codebooks.Codebook`; a ``codebook`` frame (a ``code``
        column; ``label``, ``parent`` and ``color`` when present); a built-in codebook's
        name (a codebook file is read first, by :func:`copanalysis.io.load_codebook`); a
        list of any of these, read in order; or ``None`` (no codes).
    strict : bool
        When False, a name that cannot be loaded gives no codes instead of an error
        (analyses use this to look up labels for the ``codebook`` column of ``codes``).

    Returns
    -------
    DataFrame
        Columns ``code, label, parent, color`` (all str), one row per code in codebook
        order; a code listed twice keeps its first row. The label defaults to the code id,
        the parent is ``""`` for a top-level code, and the colour is ``""`` when the
        codebook gives none (an empty cell, or the :class:`~copanalysis.codebooks.Code`
        default ``#777777``).

    Raises
    ------
    SchemaError
        When a codebook frame has no ``code`` column.
    TypeError
        When ``codebook`` is none of the above.

    Examples
    --------
    >>> book = pd.DataFrame({"code": ["TIME", "TECH"], "label": ["Time & workload", None],
    ...                      "color": ["#0072B2", ""]})
    >>> code_table(book)
       code            label parent    color
    0  TIME  Time & workload         #0072B2
    1  TECH             TECH
    >>> code_table("value_cycles").loc[2, ["code", "parent"]].tolist()
    ['potential_human', 'potential']
    """
    rows = [row for row in _rows(codebook, strict=strict) if row["code"]]
    table = pd.DataFrame(rows, columns=_COLUMNS).drop_duplicates("code")
    return table.reset_index(drop=True)


def codebook_name(codebook: CodebookLike) -> str:
    """The name of ``codebook`` ("" when it has none, as a frame or ``None``).

    Examples
    --------
    >>> codebook_name("value_cycles"), codebook_name(None)
    ('value_cycles', '')
    """
    if isinstance(codebook, str):
        return codebook
    if isinstance(codebook, pd.DataFrame):  # a frame's "name" would be a column
        return ""
    return _text(getattr(codebook, "name", ""))


def order_codes(codes: Iterable[str], codebook: CodebookLike = None) -> list[str]:
    """Put ``codes`` in display order: codebook order, then the framework's cycle order
    (:data:`CYCLE_ORDER`), then alphabetical. Repeats are dropped.

    Examples
    --------
    >>> order_codes(["realized", "zeta", "immediate", "alpha"])
    ['immediate', 'realized', 'alpha', 'zeta']
    >>> order_codes(["TIME", "applied"], pd.DataFrame({"code": ["TIME"]}))
    ['TIME', 'applied']
    """
    ranks = {code: i for i, code in enumerate(code_table(codebook)["code"])}
    cycle_rank = {c: i for i, c in enumerate(CYCLE_ORDER)}

    def key(code: str) -> tuple[int, int, str]:
        if code in ranks:
            return (0, ranks[code], code)
        if code in cycle_rank:
            return (1, cycle_rank[code], code)
        return (2, 0, code)

    return sorted(dict.fromkeys(codes), key=key)


def cycle_of(code: str, *, parents: dict[str, str] | None = None) -> str:
    """The cycle a code counts as: a sub-code counts as its parent, an alias as its cycle.

    Parameters
    ----------
    code : str
        A code id (``potential_human``, ``transformative``, ``applied``).
    parents : dict, optional
        Code -> parent, from a codebook; without it, ``<cycle>_<sub>`` ids count as
        ``<cycle>``.

    Examples
    --------
    >>> cycle_of("potential_human"), cycle_of("transformative"), cycle_of("Applied")
    ('potential', 'reframing', 'applied')
    """
    seen: set[str] = set()
    current = code.strip()
    while parents and parents.get(current) and current not in seen:
        seen.add(current)
        current = parents[current]
    current = current.lower()
    current = CYCLE_ALIASES.get(current, current)
    head = current.split("_", 1)[0]
    if head != current and CYCLE_ALIASES.get(head, head) in CYCLE_ORDER:
        current = CYCLE_ALIASES.get(head, head)
    return current
