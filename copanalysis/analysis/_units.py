"""The units analyses count: documents (the id of a story, item or worksheet row) and
coded segments (spans of one field that overlap)."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from copanalysis.errors import MissingColumnError

__all__ = ["Unit", "document_ids", "segment_units"]

Unit = Literal["doc", "segment"]


def document_ids(frame: pd.DataFrame, *, name: str = "frame") -> pd.Series:
    """The document id of each row of ``frame`` (as str), as the coders read it: the
    ``story_id`` of stories, the ``item_id`` of items, the ``respondent`` of role and grid
    worksheets, else the first of :data:`~copanalysis.coding.documents.ID_COLUMNS`.

    Raises
    ------
    MissingColumnError
        When ``frame`` has no id column.

    Examples
    --------
    >>> document_ids(pd.DataFrame({"story_id": [1, 2], "story": ["a", "b"]})).tolist()
    ['1', '2']
    """
    from copanalysis.coding.documents import ID_COLUMNS, frame_kind

    kind = frame_kind(frame)
    ids = {"stories": ("story_id",), "items": ("item_id",), "roles": ("respondent",),
           "grid": ("respondent",)}.get(kind, ID_COLUMNS)  # fmt: skip
    for column in ids:
        if column in frame.columns:
            return frame[column].astype("string").rename("doc_id")
    raise MissingColumnError(
        f"no document id column; expected one of {', '.join(ID_COLUMNS)}, "
        f"has {', '.join(map(str, frame.columns))}",
        path=name,
    )


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
