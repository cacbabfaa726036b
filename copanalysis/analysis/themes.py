"""Enablers and challenges: how often each bipolar theme helps, and how often it hinders."""

from __future__ import annotations

import pandas as pd

from copanalysis.analysis._codes import selective_attrs
from copanalysis.codebooks.order import CodebookLike, code_table, codebook_name
from copanalysis.schema import validate

__all__ = ["theme_balance"]


def theme_balance(
    codes: pd.DataFrame, *, codebook: CodebookLike = "enablers_challenges"
) -> pd.DataFrame:
    """Count, for each enabler/challenge theme, the documents where it enables (+1),
    challenges (-1) or is mentioned without a sign (0).

    Parameters
    ----------
    codes : DataFrame
        A ``codes`` frame; only the rows of the theme codebook are read (rows whose
        ``codebook`` is empty count too, for hand-made codes).
    codebook : Codebook, codebook frame, name or None
        The theme codebook: its name selects the rows, its labels label them, and its
        themes nobody mentions are listed with 0. ``None`` reads rows of
        ``enablers_challenges`` with their ids as labels. A name that cannot be loaded is
        used for selection only.

    Returns
    -------
    DataFrame
        Columns ``code, label, n_enablers, n_challenges, n_neutral, net`` (enablers minus
        challenges), sorted by total mentions, most first, then by code. ``attrs``
        keeps what selective coding left uncoded (see :func:`copanalysis.code`).

    Examples
    --------
    >>> codes = pd.DataFrame({"doc_id": ["i1", "i2", "i3", "i3"], "field": "text",
    ...     "start": 0, "end": 4, "code": ["TIME", "TIME", "TECH", "TIME"],
    ...     "polarity": [1, -1, -1, -1], "coder": "me", "codebook": "enablers_challenges"})
    >>> theme_balance(codes, codebook=None)
       code label  n_enablers  n_challenges  n_neutral  net
    0  TIME  TIME           1             2          0   -1
    1  TECH  TECH           0             1          0   -1
    """
    left = selective_attrs(codes)
    codes = validate(codes, "codes")
    name = codebook_name(codebook) or "enablers_challenges"
    book = codes["codebook"].fillna("").astype(str)
    codes = codes[book.isin([name, ""])]
    table = code_table(codebook, strict=False)
    sign = codes["polarity"].map({1: "n_enablers", -1: "n_challenges", 0: "n_neutral"})
    counts = (
        codes.assign(_sign=sign)
        .groupby(["code", "_sign"])["doc_id"]
        .nunique()
        .unstack("_sign")
        .reindex(columns=["n_enablers", "n_challenges", "n_neutral"])
    )
    themes = list(dict.fromkeys([*table["code"], *counts.index.astype(str)]))
    counts = counts.reindex(themes).fillna(0).astype("int64")
    counts.columns.name = None
    balance = counts.rename_axis("code").reset_index()
    labels = dict(zip(table["code"], table["label"], strict=True))
    balance.insert(1, "label", balance["code"].map(lambda c: labels.get(c, c)))
    balance["net"] = balance["n_enablers"] - balance["n_challenges"]
    total = balance[["n_enablers", "n_challenges", "n_neutral"]].sum(axis=1)
    balance = balance.assign(_total=total).sort_values(
        ["_total", "code"], ascending=[False, True], kind="stable"
    )
    balance = balance.drop(columns="_total").reset_index(drop=True)
    balance["code"] = balance["code"].astype("string")
    balance["label"] = balance["label"].astype("string")
    balance.attrs.update(left)
    return balance
