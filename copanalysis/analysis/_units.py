"""The units analyses count: documents (:func:`copanalysis.frames.document_ids`) and coded
segments (spans of one field that overlap)."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["segment_units"]


def segment_units(codes: pd.DataFrame) -> pd.Series:
    """Number the coded segments of ``codes``: spans of the same document and field that
    overlap (or are equal) form one segment.

    Returns
    -------
    Series of int
        Aligned with ``codes``; equal numbers mean the same segment.

    Examples
    --------
    >>> codes = pd.DataFrame({"doc_id": ["a", "a", "a"], "field": ["story"] * 3,
    ...                       "start": [0, 5, 30], "end": [20, 25, 40]})
    >>> segment_units(codes).tolist()
    [0, 0, 1]
    """
    if codes.empty:
        return pd.Series([], index=codes.index, dtype="int64")
    order = codes.sort_values(["doc_id", "field", "start", "end"], kind="stable")
    doc = order["doc_id"].astype("string").fillna("").to_numpy()
    field = order["field"].astype("string").fillna("").to_numpy()
    start = order["start"].to_numpy(dtype="int64")
    end = order["end"].to_numpy(dtype="int64")
    ids = np.empty(len(order), dtype="int64")
    current = -1
    reach = -1
    for i in range(len(order)):
        same_place = i > 0 and doc[i] == doc[i - 1] and field[i] == field[i - 1]
        if not same_place or start[i] >= reach:
            current += 1
            reach = end[i]
        else:
            reach = max(reach, end[i])
        ids[i] = current
    return pd.Series(ids, index=order.index).reindex(codes.index)
