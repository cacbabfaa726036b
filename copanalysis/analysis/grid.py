"""Sum up the placements on the strategic-value grid cell by cell (the placing itself is a
coder: :func:`copanalysis.coding.value_grid`)."""

from __future__ import annotations

import pandas as pd

from copanalysis.schema import BENEFICIARIES, HORIZONS

__all__ = ["value_grid_summary"]


def _exemplar(quotes: list[str], width: int = 140) -> str:
    quotes = [" ".join(q.split()) for q in quotes if isinstance(q, str) and q.strip()]
    if not quotes:
        return ""
    fitting = [q for q in quotes if len(q) <= width]
    if fitting:
        return max(fitting, key=len)
    shortest = min(quotes, key=len)
    cut = (
        shortest[: width - 1].rsplit(" ", 1)[0]
        if " " in shortest[: width - 1]
        else shortest[: width - 1]
    )
    return cut.rstrip(" ,;:") + "…"


#: The strategic_grid codes, named after the cells they stand for.
_CELL_CODES = [f"{who}_{when}" for who in BENEFICIARIES for when in HORIZONS]


def value_grid_summary(placements: pd.DataFrame, *, top: int = 3) -> pd.DataFrame:
    """Summarise :func:`~copanalysis.coding.value_grid` placements cell by cell.

    Parameters
    ----------
    placements : DataFrame
        The output of :func:`~copanalysis.coding.value_grid`.
    top : int
        How many codes ``top_codes`` names.

    Returns
    -------
    DataFrame
        Always four rows (members/short, members/long, organization/short,
        organization/long): ``beneficiary, horizon, n`` (placements), ``n_docs``,
        ``top_codes`` ("applied (12), realized (5)"; the ``strategic_grid`` codes, which
        only restate the cell, when no other code is placed there) and ``exemplar``, the
        longest quote of the cell's top code that fits 140 characters (else the shortest,
        cut with an ellipsis); 0 and "" for an empty cell.

    Examples
    --------
    >>> placements = pd.DataFrame({"doc_id": ["s1", "s2", "s2"],
    ...     "quote": ["We cut costs.", "Fewer errors.", "We use it."],
    ...     "code": ["realized", "realized", "applied"],
    ...     "beneficiary": "organization", "horizon": "short"})
    >>> value_grid_summary(placements)[["beneficiary", "horizon", "n", "top_codes"]]
        beneficiary horizon  n                      top_codes
    0       members   short  0
    1       members    long  0
    2  organization   short  3  realized (2), applied (1)
    3  organization    long  0
    """
    rows = []
    for who in BENEFICIARIES:
        for when in HORIZONS:
            cell = placements[
                (placements["beneficiary"].astype(str) == who)
                & (placements["horizon"].astype(str) == when)
            ]
            counts = cell["code"].astype(str).value_counts(sort=False)
            # a strategic_grid code only restates its cell: the cycles lead, if there are any
            cycles = counts[~counts.index.isin(_CELL_CODES)]
            counts = cycles if len(cycles) else counts
            ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
            top_codes = ", ".join(f"{code} ({n})" for code, n in ranked)
            exemplar = ""
            if ranked:
                quotes = cell.loc[cell["code"].astype(str) == ranked[0][0], "quote"].tolist()
                exemplar = _exemplar(quotes)
            rows.append((who, when, len(cell), cell["doc_id"].nunique(), top_codes, exemplar))
    summary = pd.DataFrame(
        rows, columns=["beneficiary", "horizon", "n", "n_docs", "top_codes", "exemplar"]
    )
    summary["beneficiary"] = pd.Categorical(summary["beneficiary"], categories=list(BENEFICIARIES))
    summary["horizon"] = pd.Categorical(summary["horizon"], categories=list(HORIZONS))
    summary[["n", "n_docs"]] = summary[["n", "n_docs"]].astype("int64")
    summary["top_codes"] = summary["top_codes"].astype("string")
    summary["exemplar"] = summary["exemplar"].astype("string")
    return summary
