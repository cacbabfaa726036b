"""What the analyses need to know about a codebook: each code's label, parent and colour.

Every analysis takes its ``codebook`` as a :class:`~copanalysis.codebooks.Codebook`, a
``codebook`` frame, the name of a built-in codebook, or ``None``; :func:`code_table` turns
any of those into one small frame.
"""

from __future__ import annotations

from typing import Any, TypeAlias

import pandas as pd

__all__ = ["CYCLE_ALIASES", "CYCLE_ORDER", "MAIN_CYCLES", "CodebookLike", "code_table"]

#: The five main value-creation cycles, in order (Wenger, Trayner & de Laat 2011).
MAIN_CYCLES: tuple[str, ...] = ("immediate", "potential", "applied", "realized", "reframing")
#: The main cycles, then the three added by Wenger-Trayner & Wenger-Trayner (2020).
CYCLE_ORDER: tuple[str, ...] = (*MAIN_CYCLES, "orienting", "enabling", "strategic")
#: Other names coders use for a cycle.
CYCLE_ALIASES: dict[str, str] = {"transformative": "reframing"}

#: A Codebook, a codebook frame, a built-in codebook's name, or None.
CodebookLike: TypeAlias = Any

_COLUMNS = ["code", "label", "parent", "color"]


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


def code_table(codebook: CodebookLike, *, strict: bool = True) -> pd.DataFrame:
    """The codes of ``codebook`` with their label, parent ("" for none) and colour.

    Parameters
    ----------
    codebook : Codebook, DataFrame, str or None
        A :class:`~copanalysis.codebooks.Codebook`, a ``codebook`` frame (a ``code`` column;
        ``label``, ``parent`` and ``color`` when present), a built-in codebook's name, or
        ``None`` (no codes).
    strict : bool
        When False, a name that cannot be loaded gives an empty table instead of an error
        (analyses use this to look up labels for the ``codebook`` column of ``codes``).

    Returns
    -------
    DataFrame
        Columns ``code, label, parent, color``, in codebook order; the label defaults to
        the code id.

    Examples
    --------
    >>> book = pd.DataFrame({"code": ["TIME", "TECH"], "label": ["Time & workload", None]})
    >>> code_table(book)[["code", "label"]].to_dict("records")
    [{'code': 'TIME', 'label': 'Time & workload'}, {'code': 'TECH', 'label': 'TECH'}]
    """
    rows: list[dict[str, str]] = []
    if codebook is None:
        pass
    elif isinstance(codebook, str):
        from copanalysis.codebooks import load_codebook

        try:
            loaded = load_codebook(codebook)
        except Exception:
            if strict:
                raise
            loaded = None
        return code_table(loaded, strict=strict)
    elif isinstance(codebook, pd.DataFrame):
        if "code" not in codebook.columns:
            from copanalysis.errors import SchemaError

            raise SchemaError(
                "codebook frame: missing required column 'code'; "
                f"has {', '.join(map(str, codebook.columns))}"
            )
        for record in codebook.to_dict("records"):
            code = _text(record.get("code"))
            if code:
                rows.append(
                    {
                        "code": code,
                        "label": _text(record.get("label")) or code,
                        "parent": _text(record.get("parent")),
                        "color": _text(record.get("color")),
                    }
                )
    elif hasattr(codebook, "codes"):
        for entry in codebook.codes:
            code = _text(getattr(entry, "code", ""))
            rows.append(
                {
                    "code": code,
                    "label": _text(getattr(entry, "label", "")) or code,
                    "parent": _text(getattr(entry, "parent", "")),
                    "color": _text(getattr(entry, "color", "")),
                }
            )
    else:
        raise TypeError(
            "codebook: expected a Codebook, a codebook frame, a codebook name or None, "
            f"got {type(codebook).__name__}"
        )
    table = pd.DataFrame(rows, columns=_COLUMNS).drop_duplicates("code")
    return table.reset_index(drop=True)


def codebook_name(codebook: CodebookLike) -> str:
    """The name of ``codebook`` ("" when it has none).

    Examples
    --------
    >>> codebook_name("value_cycles"), codebook_name(None)
    ('value_cycles', '')
    """
    if isinstance(codebook, str):
        return codebook
    return _text(getattr(codebook, "name", ""))


def labels_for(codes: pd.DataFrame, codebook: CodebookLike) -> dict[str, str]:
    """Code id -> label, from ``codebook`` or, when it is None, from the built-in codebooks
    named in the ``codebook`` column of ``codes`` (codes no codebook knows keep their id).

    Examples
    --------
    >>> codes = pd.DataFrame({"codebook": ["mine"], "code": ["x"]})
    >>> labels_for(codes, pd.DataFrame({"code": ["x"], "label": ["Ex"]}))
    {'x': 'Ex'}
    """
    if codebook is not None:
        table = code_table(codebook)
    else:
        names = sorted({_text(n) for n in codes.get("codebook", pd.Series(dtype=object))} - {""})
        parts = [code_table(name, strict=False) for name in names]
        table = pd.concat(parts) if parts else code_table(None)
    return dict(zip(table["code"], table["label"], strict=True))
