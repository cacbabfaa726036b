"""The aggregating analyses of a Dask ``codes`` frame, computed in parallel.

:func:`~copanalysis.analysis.code_frequencies`, :func:`~copanalysis.analysis.crosstab`,
:func:`~copanalysis.analysis.cooccurrence` and :func:`~copanalysis.analysis.story_paths`
hand a ``dask.dataframe.DataFrame`` of codes to this module and return the same pandas
table as for the codes in memory.

Each analysis counts documents or coded segments (spans of one document's field), so the
codes are first shuffled on ``doc_id``: every code of a document then sits in one
partition, whichever partition the coder wrote it to. Each partition is summarised by the
in-memory function itself, and the partial tables are combined:

* ``cooccurrence`` and ``crosstab``: the partitions' tables count disjoint documents, so
  they add up (codes missing from a partition count 0);
* ``story_paths``: one row per document, concatenated, in the in-memory order;
* ``code_frequencies``: each partition is reduced to one row per unit, code and polarity
  sign (a segment keeps its merged span, which is one segment again), and the in-memory
  function counts the reduced rows: the same units, without quotes and evidence.

The coded ``frame`` (stories, items...) may be a pandas or a Dask frame; of a Dask frame
only the id and grouping columns are computed.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import reduce
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from copanalysis.frames import is_dask_frame, require_dask

if TYPE_CHECKING:
    import dask.dataframe as dd

__all__ = [
    "by_document",
    "code_frequencies_dask",
    "cooccurrence_dask",
    "crosstab_dask",
    "story_paths_dask",
]


def by_document(codes: dd.DataFrame) -> dd.DataFrame:
    """``codes`` shuffled so that every code of a document is in one partition."""
    require_dask("summarising a Dask codes frame")
    return codes.shuffle(on="doc_id")


def _partials(codes: dd.DataFrame, summary: Any, **options: Any) -> list[Any]:
    """``summary(partition, **options)`` of each partition of the shuffled codes, computed
    in parallel."""
    import dask

    shuffled = by_document(codes)
    # a frame among the options is one task of the graph, not a copy in every task
    shared = {k: dask.delayed(v) if isinstance(v, pd.DataFrame) else v for k, v in options.items()}
    pieces = [dask.delayed(summary)(part, **shared) for part in shuffled.to_delayed()]
    return list(dask.compute(*pieces))


def _documents(frame: Any, columns: Sequence[str]) -> pd.DataFrame | None:
    """The coded frame in memory: all of a pandas frame; of a Dask frame, its document id
    and ``columns`` (as ``doc_id``, which every analysis reads as the id), and with ``field``
    among them, one row per document and field with text."""
    if frame is None or not is_dask_frame(frame):
        return frame
    from copanalysis.frames import document_ids, text_units

    def ids(part: pd.DataFrame) -> pd.DataFrame:
        kept = {c: part[c].to_numpy() for c in columns if c in part.columns and c != "field"}
        documents = pd.DataFrame({"doc_id": document_ids(part).to_numpy(), **kept})
        if "field" not in columns:
            return documents
        fields = text_units(part)[["doc_id", "field"]].drop_duplicates()
        fields["doc_id"] = fields["doc_id"].astype(documents["doc_id"].dtype)
        return documents.drop_duplicates("doc_id").merge(fields, on="doc_id", how="inner")

    return frame.map_partitions(ids).compute().reset_index(drop=True)


def cooccurrence_dask(codes: dd.DataFrame, *, unit: str, polarity: str) -> pd.DataFrame:
    """:func:`~copanalysis.analysis.cooccurrence` of a Dask codes frame."""
    from copanalysis.analysis.cooccurrence import cooccurrence

    options: dict[str, Any] = {"unit": unit, "polarity": polarity}
    nothing = cooccurrence(codes._meta, **options)  # checks the options before any work
    tables = [t for t in _partials(codes, cooccurrence, **options) if not t.empty]
    if not tables:
        return nothing
    matrix = reduce(lambda a, b: a.add(b, fill_value=0), tables).fillna(0)
    diagonal = dict(zip(matrix.columns, np.diag(matrix.to_numpy()).tolist(), strict=True))
    order = sorted(matrix.columns, key=lambda c: (-diagonal[c], str(c)))
    matrix = matrix.loc[order, order].astype("int64")
    matrix.index.name = "code"
    matrix.columns.name = "code"
    return matrix


def crosstab_dask(codes: dd.DataFrame, frame: Any, *, by: str) -> pd.DataFrame:
    """:func:`~copanalysis.analysis.crosstab` of a Dask codes frame."""
    from copanalysis.analysis.frequencies import crosstab

    documents = _documents(frame, [by])
    if documents is None:
        raise TypeError("crosstab: frame is required, the coded frame with the column by")
    empty = crosstab(codes._meta, frame=documents, by=by)  # every group, no code yet
    tables = _partials(codes, crosstab, frame=documents, by=by)
    table = reduce(lambda a, b: a.add(b, fill_value=0), tables, empty).fillna(0)
    table.index.name = by
    table.columns.name = "code"
    return table.astype("int64")


def story_paths_dask(
    codes: dd.DataFrame, *, frame: Any, cycles: Sequence[str], codebook: Any
) -> pd.DataFrame:
    """:func:`~copanalysis.analysis.story_paths` of a Dask codes frame.

    The in-memory order: the documents with a path by id, then those without one by id, or,
    with ``frame``, the frame's order.
    """
    from copanalysis.analysis.paths import story_paths

    documents = _documents(frame, [])
    nothing = story_paths(codes._meta, cycles=cycles, codebook=codebook)
    parts = [nothing, *_partials(codes, story_paths, cycles=cycles, codebook=codebook)]
    paths = pd.concat(parts, ignore_index=True)
    paths = paths.assign(_none=paths["n_cycles"].eq(0), _id=paths["doc_id"].astype(str))
    paths = paths.sort_values(["_none", "_id"], kind="stable").reset_index(drop=True)
    if documents is not None:
        from copanalysis.frames import document_ids

        ids = document_ids(documents).dropna().astype(str)
        missing = sorted(set(ids) - set(paths["_id"]))
        if missing:
            none = pd.DataFrame(
                {"doc_id": missing, "path": "", "n_cycles": 0, "_id": missing,
                 "reach_confidence": float("nan"), "other_cycles": ""}
            )  # fmt: skip
            paths = pd.concat([paths, none], ignore_index=True)
        order = {d: i for i, d in enumerate(ids)}
        if missing or not paths["n_cycles"].gt(0).all():
            paths = paths.sort_values(
                "_id", key=lambda s: s.map(lambda d: order.get(d, len(order))), kind="stable"
            ).reset_index(drop=True)
    paths = paths.drop(columns=["_none", "_id"])
    paths["doc_id"] = paths["doc_id"].astype("string")
    paths["path"] = paths["path"].astype("string")
    paths["n_cycles"] = paths["n_cycles"].astype("int64")
    paths["reach"] = pd.Categorical(paths["reach"], categories=list(cycles), ordered=True)
    paths["reach_confidence"] = paths["reach_confidence"].astype("float64")
    paths["other_cycles"] = paths["other_cycles"].astype("string")
    return paths


def code_frequencies_dask(
    codes: dd.DataFrame,
    *,
    by: str | Sequence[str] | None,
    codebook: Any,
    unit: str,
    frame: Any,
) -> pd.DataFrame:
    """:func:`~copanalysis.analysis.code_frequencies` of a Dask codes frame."""
    from copanalysis.analysis.frequencies import code_frequencies

    groups = [by] if isinstance(by, str) else list(by or [])
    documents = _documents(frame, groups)
    options: dict[str, Any] = {"by": by, "codebook": codebook, "unit": unit}
    code_frequencies(codes._meta, **options, frame=documents)  # checks before any work
    keep = [c for c in groups if c in codes.columns]
    # the rows keep their place in the whole frame: a unit's group, when it comes from the
    # codes (``by="field"``), is the group of its first code, as in memory
    numbered = codes.map_partitions(_numbered)
    reduced = pd.concat(_partials(numbered, _units_with_codes, unit=unit, keep=keep))
    reduced = reduced.sort_values(["_partition", "_row"]).drop(columns=["_partition", "_row"])
    return code_frequencies(reduced.reset_index(drop=True), **options, frame=documents)


def _numbered(codes: pd.DataFrame, partition_info: dict[str, Any] | None = None) -> pd.DataFrame:
    """``codes`` with each row's partition and place in it."""
    number = partition_info["number"] if partition_info else 0
    return codes.assign(_partition=number, _row=np.arange(len(codes)))


def _units_with_codes(codes: pd.DataFrame, *, unit: str, keep: list[str]) -> pd.DataFrame:
    """One row per unit (document, or segment as its merged span), codebook, code, polarity
    sign and ``keep`` column: what :func:`code_frequencies` counts, nothing more."""
    from copanalysis.analysis._codes import is_negative
    from copanalysis.analysis._units import segment_units
    from copanalysis.schema import validate

    codes = validate(codes.sort_values(["_partition", "_row"]), "codes")
    columns = ["doc_id", "field", "start", "end", "codebook", "code", "coder", *keep]
    columns += ["_partition", "_row"]
    reduced = codes[list(dict.fromkeys(columns))].assign(
        polarity=np.where(is_negative(codes), -1, 1)
    )
    subset = ["doc_id", "codebook", "code", "polarity", *keep]
    if unit == "segment" and len(reduced):
        segment = segment_units(codes)
        span = reduced.groupby(segment.to_numpy())
        reduced = reduced.assign(
            start=span["start"].transform("min"), end=span["end"].transform("max")
        )
        subset = ["field", "start", "end", *subset]
    return reduced.drop_duplicates(subset=list(dict.fromkeys(subset)))
