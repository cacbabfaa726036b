"""Which codes occur together, in the same document or the same coded segment."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from copanalysis.analysis._codes import is_negative
from copanalysis.analysis._units import segment_units
from copanalysis.analysis.distributed import cooccurrence_dask, is_dask_frame
from copanalysis.errors import SchemaError
from copanalysis.frames import CountUnit
from copanalysis.schema import validate

__all__ = ["cooccurrence"]


def cooccurrence(
    codes: pd.DataFrame,
    *,
    unit: CountUnit = "doc",
    polarity: Literal["positive", "negative", "any"] = "positive",
) -> pd.DataFrame:
    """Count the units in which each pair of codes occurs together.

    Parameters
    ----------
    codes : DataFrame
        A ``codes`` frame.
    unit : {"doc", "segment"}
        Documents, or coded segments: spans of one field that overlap (or are equal), as
        NVivo's "overlapping" coding query defines them.
    polarity : {"positive", "negative", "any"}
        Which codes count: "positive" keeps polarity +1 and 0 (the default: a "waste of
        time" is not immediate value), "negative" keeps -1 only, "any" keeps all.

    Returns
    -------
    DataFrame
        Square and symmetric, codes on both axes (most frequent first, then by id); a cell
        is the number of units with both codes, the diagonal the units with that code.

    Examples
    --------
    >>> codes = pd.DataFrame({"doc_id": ["s1", "s1", "s2"], "field": "story",
    ...     "start": [0, 10, 0], "end": [5, 15, 5], "code": ["applied", "realized", "applied"],
    ...     "coder": "me"})
    >>> cooccurrence(codes)
    code      applied  realized
    code
    applied         2         1
    realized        1         1
    >>> int(cooccurrence(codes, unit="segment").loc["applied", "realized"])
    0
    """
    if is_dask_frame(codes):  # partial tables per partition (copanalysis.analysis.distributed)
        return cooccurrence_dask(codes, unit=unit, polarity=polarity)
    codes = validate(codes, "codes")
    if unit not in ("doc", "segment"):
        raise SchemaError(f"cooccurrence: unit {unit!r}; expected 'doc' or 'segment'")
    if polarity == "positive":
        codes = codes[~is_negative(codes)]
    elif polarity == "negative":
        codes = codes[is_negative(codes)]
    elif polarity != "any":
        raise SchemaError(
            f"cooccurrence: polarity {polarity!r}; expected 'positive', 'negative' or 'any'"
        )
    if codes.empty:
        empty = pd.DataFrame(
            index=pd.Index([], name="code", dtype="string"),
            columns=pd.Index([], name="code", dtype="string"),
            dtype="int64",
        )
        return empty
    units = codes["doc_id"] if unit == "doc" else segment_units(codes)
    present = pd.crosstab(units.to_numpy(), codes["code"].to_numpy()).clip(upper=1)
    matrix = present.T @ present
    diagonal = dict(zip(matrix.columns, np.diag(matrix.to_numpy()).tolist(), strict=True))
    order = sorted(matrix.columns, key=lambda c: (-diagonal[c], str(c)))
    matrix = matrix.loc[order, order].astype("int64")
    matrix.index.name = "code"
    matrix.columns.name = "code"
    return matrix
