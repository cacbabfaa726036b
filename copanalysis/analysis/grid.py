"""Sum up the placements on the strategic-value grid cell by cell (the placing itself is a
coder: :func:`copanalysis.coding.value_grid`)."""

from __future__ import annotations

import pandas as pd

from copanalysis.analysis.exemplars import mend_quotation_marks
from copanalysis.codebooks.order import cycle_of
from copanalysis.schema import BENEFICIARIES, HORIZONS

__all__ = ["leading_codes", "value_grid_codes", "value_grid_summary"]


def _exemplar(part: pd.DataFrame, width: int = 140) -> str:
    """The most confident of a code's quotes that fits ``width`` characters (a person's
    codes, with no confidence, count alike), the longest among equals; else the shortest
    quote, cut."""
    sure = (
        pd.to_numeric(part["confidence"], errors="coerce").fillna(1.0).tolist()
        if "confidence" in part.columns
        else [1.0] * len(part)
    )
    pairs = [
        (s, mend_quotation_marks(" ".join(q.split())))
        for s, q in zip(sure, part["quote"].tolist(), strict=True)
        if isinstance(q, str) and q.strip()
    ]
    if not pairs:
        return ""
    quotes = [q for _, q in pairs]
    fitting = [(s, len(q), q) for s, q in pairs if len(q) <= width]
    if fitting:
        return max(fitting)[2]
    shortest = min(quotes, key=len)
    cut = (
        shortest[: width - 1].rsplit(" ", 1)[0]
        if " " in shortest[: width - 1]
        else shortest[: width - 1]
    )
    return cut.rstrip(" ,;:") + "…"


#: The strategic_grid codes, named after the cells they stand for.
_CELL_CODES = [f"{who}_{when}" for who in BENEFICIARIES for when in HORIZONS]


#: What tells one placed passage from another.
_PASSAGE = ("doc_id", "field", "start", "end", "quote", "code")

#: The columns of :func:`value_grid_codes`.
GRID_CODES_COLUMNS = [
    "beneficiary", "horizon", "code", "rank", "n", "n_docs", "share", "cell_docs", "exemplar",
]  # fmt: skip


def value_grid_codes(placements: pd.DataFrame) -> pd.DataFrame:
    """Count :func:`~copanalysis.coding.value_grid` placements by grid cell and code: the
    tidy table behind the grid chart and :func:`value_grid_summary`.

    Parameters
    ----------
    placements : DataFrame
        The output of :func:`~copanalysis.coding.value_grid` (``doc_id``, ``quote``,
        ``code``, ``beneficiary``, ``horizon``).

    Returns
    -------
    DataFrame
        One row per cell and code placed there (a sub-code counted as its cycle), cells in
        grid order (members/short,
        members/long, organization/short, organization/long; an empty cell has no rows):
        ``beneficiary, horizon`` (categoricals), ``code``, ``rank`` (1 for the code that
        leads the cell: the most stories first, so that one long-winded story cannot lead
        it, then the most passages, ties by code; a ``strategic_grid`` code, which only
        restates its cell, after every cycle), ``n`` (passages), ``n_docs``
        (stories), ``share`` (of the cell's passages), ``cell_docs`` (stories with any
        passage in the cell) and ``exemplar``, the code's most confident quote that fits
        140 characters, the longest among equals (else its shortest, cut with an
        ellipsis).

    Examples
    --------
    >>> placements = pd.DataFrame({"doc_id": ["s1", "s2", "s2"],
    ...     "quote": ["We cut costs.", "Fewer errors.", "We use it."],
    ...     "code": ["realized", "realized", "applied"],
    ...     "beneficiary": "organization", "horizon": "short"})
    >>> value_grid_codes(placements)[["horizon", "code", "rank", "n", "n_docs", "share"]]
      horizon      code  rank  n  n_docs     share
    0   short  realized     1  2       2  0.666667
    1   short   applied     2  1       1  0.333333
    """
    rows = []
    for who in BENEFICIARIES:
        for when in HORIZONS:
            cell = placements[
                (placements["beneficiary"].astype(str) == who)
                & (placements["horizon"].astype(str) == when)
            ]
            # a sub-code counts as its cycle, once per passage ("potential_learning" and
            # "potential" on one answer are one passage of potential value)
            cell = cell.assign(code=cell["code"].astype(str).map(cycle_of))
            if "start" in cell.columns:
                cell = cell.drop_duplicates([c for c in _PASSAGE if c in cell.columns])
            by_code = cell.groupby("code")
            counts = by_code["doc_id"].agg(["size", "nunique"])
            ranked = sorted(
                zip(
                    counts.index.astype(str),
                    counts["size"].astype(int),
                    counts["nunique"].astype(int),
                    strict=True,
                ),
                key=lambda r: (r[0] in _CELL_CODES, -r[2], -r[1], r[0]),
            )
            for rank, (code, n, docs) in enumerate(ranked, start=1):
                part = by_code.get_group(code)
                rows.append(
                    (who, when, code, rank, n, docs, n / len(cell),
                     cell["doc_id"].nunique(), _exemplar(part))
                )  # fmt: skip
    table = pd.DataFrame(rows, columns=GRID_CODES_COLUMNS)
    table["beneficiary"] = pd.Categorical(table["beneficiary"], categories=list(BENEFICIARIES))
    table["horizon"] = pd.Categorical(table["horizon"], categories=list(HORIZONS))
    table[["rank", "n", "n_docs", "cell_docs"]] = table[
        ["rank", "n", "n_docs", "cell_docs"]
    ].astype("int64")
    table["share"] = table["share"].astype("float64")
    for column in ("code", "exemplar"):
        table[column] = table[column].astype("string")
    return table


def leading_codes(cell: pd.DataFrame, top: int = 3) -> pd.DataFrame:
    """The rows of one cell of :func:`value_grid_codes` that lead it, best first: the
    ``top`` best ranked, leaving out the ``strategic_grid`` codes (which only restate the
    cell) when any other code is placed there.

    Examples
    --------
    >>> cell = pd.DataFrame({"code": ["orienting", "members_long"], "rank": [1, 2]})
    >>> leading_codes(cell)["code"].tolist()
    ['orienting']
    """
    cell = cell.sort_values("rank", kind="stable") if "rank" in cell.columns else cell
    others = cell[~cell["code"].astype(str).isin(_CELL_CODES)]
    return (others if len(others) else cell).head(top)


def value_grid_summary(placements: pd.DataFrame, *, top: int = 3) -> pd.DataFrame:
    """Summarise :func:`~copanalysis.coding.value_grid` placements cell by cell, for
    reading as a table.

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
        ``top_codes`` ("applied (12), realized (5)", in stories; the ``strategic_grid``
        codes, which only restate the cell, when no other code is placed there) and
        ``exemplar``, the exemplar of the cell's top code (see :func:`value_grid_codes`,
        the same counts one row per cell and code); 0 and "" for an empty cell.

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
    by_cell = value_grid_codes(placements).groupby(["beneficiary", "horizon"], observed=True)
    rows = []
    for who in BENEFICIARIES:
        for when in HORIZONS:
            if (who, when) not in by_cell.groups:
                rows.append((who, when, 0, 0, "", ""))
                continue
            cell = by_cell.get_group((who, when))
            leading = leading_codes(cell, top)
            named = zip(leading["code"], leading["n_docs"], strict=True)
            top_codes = ", ".join(f"{code} ({n})" for code, n in named)
            rows.append(
                (who, when, int(cell["n"].sum()), int(cell["cell_docs"].iloc[0]), top_codes,
                 str(leading["exemplar"].iloc[0]))
            )  # fmt: skip
    summary = pd.DataFrame(
        rows, columns=["beneficiary", "horizon", "n", "n_docs", "top_codes", "exemplar"]
    )
    summary["beneficiary"] = pd.Categorical(summary["beneficiary"], categories=list(BENEFICIARIES))
    summary["horizon"] = pd.Categorical(summary["horizon"], categories=list(HORIZONS))
    summary[["n", "n_docs"]] = summary[["n", "n_docs"]].astype("int64")
    summary["top_codes"] = summary["top_codes"].astype("string")
    summary["exemplar"] = summary["exemplar"].astype("string")
    return summary
