"""Story paths: which value-creation cycles each story reaches, in the order it tells them.

Good value-creation stories trace a chain from an activity to an effect (Wenger, Trayner &
de Laat 2011); many stop at potential value, which is itself a finding.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import pandas as pd

from copanalysis.analysis._codes import is_negative
from copanalysis.analysis.distributed import is_dask_frame, story_paths_dask
from copanalysis.codebooks.order import (
    CYCLE_ORDER,
    MAIN_CYCLES,
    CodebookLike,
    code_table,
    cycle_of,
)
from copanalysis.frames import document_ids
from copanalysis.schema import PROMPT_FIELDS, validate

__all__ = ["cycle_of", "story_paths", "value_flows"]

_SEPARATOR = " > "


def _ordered_cycles(
    codes: pd.DataFrame, cycles: Sequence[str], codebook: CodebookLike
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The positive codes of ``cycles`` in ``codes``, one row each, in telling order, and
    those of the framework's other cycles (``doc_id``, ``cycle``)."""
    codes = validate(codes, "codes")
    codes = codes[~is_negative(codes)]
    table = code_table(codebook)
    parents = {c: p for c, p in zip(table["code"], table["parent"], strict=True) if p}
    cycle = codes["code"].map(lambda c: cycle_of(str(c), parents=parents))
    rank = {c: i for i, c in enumerate(cycles)}
    field_rank = {f: i for i, f in enumerate(PROMPT_FIELDS)}
    told = pd.DataFrame(
        {
            "doc_id": codes["doc_id"].to_numpy(),
            "cycle": cycle.to_numpy(),
            "_field": codes["field"].map(lambda f: field_rank.get(f, len(field_rank))),
            "_fieldname": codes["field"].fillna("").to_numpy(),
            "start": codes["start"].to_numpy(),
            "confidence": (
                pd.to_numeric(codes["confidence"], errors="coerce").to_numpy(dtype=float)
                if "confidence" in codes.columns
                else float("nan")
            ),
        }
    )
    positive = len(told)
    any_cycle = told["cycle"].isin(list(CYCLE_ORDER)).any()
    others = told.loc[told["cycle"].isin(CYCLE_ORDER) & ~told["cycle"].isin(rank)]
    told = told[told["cycle"].isin(rank)]
    if positive and not len(told) and not any_cycle:
        books = ", ".join(map(repr, sorted(set(codes["codebook"].dropna().astype(str)))))
        warnings.warn(
            f"story_paths: none of the {positive} positive codes (of {books or 'no codebook'}) "
            f"is a value cycle ({', '.join(cycles)}), so every story reaches none; pass the "
            "value_cycles codes, or cycles= naming codes of this codebook",
            UserWarning,
            stacklevel=3,
        )
    told = told.assign(_rank=told["cycle"].map(rank))
    told = told.sort_values(["doc_id", "_field", "_fieldname", "start", "_rank"], kind="stable")
    return told, others[["doc_id", "cycle"]]


def _collapse(cycles: Sequence[str]) -> list[str]:
    path: list[str] = []
    for cycle in cycles:
        if not path or path[-1] != cycle:
            path.append(cycle)
    return path


def story_paths(
    codes: pd.DataFrame,
    *,
    frame: pd.DataFrame | None = None,
    cycles: Sequence[str] = MAIN_CYCLES,
    codebook: CodebookLike = None,
) -> pd.DataFrame:
    """The chain of value-creation cycles each story tells.

    Cycles are read in the order of the prompt fields (activities, insights, practice,
    development, organization, then the free story, wherever its file asks it: the same
    codes give the same path whatever a form's column order), then by offset; sub-codes
    count as their parent (``potential_human`` as ``potential``), ``transformative`` as
    ``reframing``; codes at polarity -1 are left out (neutral and missing polarity, as in
    human codes, count); a cycle repeated in a row is told once.

    Parameters
    ----------
    codes : DataFrame
        A ``codes`` frame (value-cycle codes; others are ignored).
    frame : DataFrame, optional
        The coded stories: documents with no cycle code then get a row too (empty path).
    cycles : sequence of str
        The cycles to trace, in the framework's order (default the five main ones; add
        ``orienting``, ``enabling``, ``strategic`` for the 2020 cycles).
    codebook : Codebook, codebook frame, name or None
        Where to find each sub-code's parent (else ``<cycle>_<sub>`` ids are read).

    Returns
    -------
    DataFrame
        One row per document: ``doc_id``, ``path`` ("immediate > potential > applied",
        "" when none), ``n_cycles`` (distinct cycles), ``reach`` (the furthest cycle
        reached, an ordered categorical over ``cycles``; NA when none) and
        ``reach_confidence``, the highest confidence of the codes that reach it (NaN for
        codes without one, such as a person's): the furthest cycle is the figure one
        false code moves most, so a reach that rests on a doubtful code can be seen;
        ``other_cycles``, the framework's cycles not traced (of ``orienting``,
        ``enabling``, ``strategic`` by default) that the story's positive codes tell, in
        the framework's order, joined by ", " ("" when none): a story with an empty path
        may still tell of value (trial 37: stories with only enabling and orienting codes
        read as stories with no code).

    Examples
    --------
    >>> codes = pd.DataFrame({"doc_id": ["s1", "s1", "s1", "s2"],
    ...     "field": ["practice", "activities", "insights", "story"],
    ...     "start": [0, 0, 0, 0], "end": [9, 9, 9, 9],
    ...     "code": ["applied", "immediate", "potential_human", "potential"], "coder": "me"})
    >>> story_paths(codes)[["doc_id", "path", "n_cycles", "reach"]]
      doc_id                             path  n_cycles      reach
    0     s1  immediate > potential > applied         3    applied
    1     s2                        potential         1  potential
    >>> enabling = pd.DataFrame({"doc_id": ["s3", "s3"], "field": "story", "start": [0, 9],
    ...     "end": [8, 20], "code": ["enabling", "orienting"], "coder": "me"})
    >>> story_paths(enabling)[["doc_id", "path", "n_cycles", "other_cycles"]]
      doc_id path  n_cycles          other_cycles
    0     s3              0  orienting, enabling
    """
    if is_dask_frame(codes):  # partial tables per partition (copanalysis.analysis.distributed)
        return story_paths_dask(codes, frame=frame, cycles=cycles, codebook=codebook)
    told, others = _ordered_cycles(codes, cycles, codebook)
    rank = {c: i for i, c in enumerate(cycles)}
    rows = []
    for doc_id, group in told.groupby("doc_id", sort=True):
        path = _collapse(group["cycle"].tolist())
        reach = max(path, key=rank.__getitem__)
        sure = group.loc[group["cycle"] == reach, "confidence"].max()
        rows.append((str(doc_id), _SEPARATOR.join(path), len(set(path)), reach, sure))
    columns = ["doc_id", "path", "n_cycles", "reach", "reach_confidence"]
    paths = pd.DataFrame(rows, columns=columns)
    documents = set(validate(codes, "codes")["doc_id"].astype(str))
    if frame is not None:
        documents |= set(document_ids(frame).dropna().astype(str))
    missing = sorted(documents - set(paths["doc_id"]))
    if missing:
        empty = pd.DataFrame(
            {"doc_id": missing, "path": "", "n_cycles": 0, "reach": pd.NA,
             "reach_confidence": float("nan")}
        )  # fmt: skip
        paths = pd.concat([paths, empty], ignore_index=True)
        if frame is not None:
            order = {d: i for i, d in enumerate(document_ids(frame).astype(str))}
            paths = paths.sort_values(
                "doc_id", key=lambda s: s.map(lambda d: order.get(d, len(order))), kind="stable"
            ).reset_index(drop=True)
    paths["doc_id"] = paths["doc_id"].astype("string")
    paths["path"] = paths["path"].astype("string")
    paths["n_cycles"] = paths["n_cycles"].astype("int64")
    paths["reach"] = pd.Categorical(paths["reach"], categories=list(cycles), ordered=True)
    paths["reach_confidence"] = paths["reach_confidence"].astype("float64")
    paths["other_cycles"] = _other_cycles(paths["doc_id"], others)
    return paths


def _other_cycles(doc_ids: pd.Series, others: pd.DataFrame) -> pd.Series:
    """Each document's cycles of ``others``, in the framework's order, joined by ", "."""
    order = {c: i for i, c in enumerate(CYCLE_ORDER)}
    told = {
        str(doc_id): ", ".join(sorted(set(group["cycle"]), key=order.__getitem__))
        for doc_id, group in others.groupby("doc_id", sort=False)
    }
    return pd.Series([told.get(str(d), "") for d in doc_ids], index=doc_ids.index, dtype="string")


def value_flows(
    codes: pd.DataFrame,
    *,
    cycles: Sequence[str] = MAIN_CYCLES,
    codebook: CodebookLike = None,
) -> pd.DataFrame:
    """Count the steps from one cycle to the next across the stories' paths.

    Parameters
    ----------
    codes : DataFrame
        A ``codes`` frame; read as in :func:`story_paths`.
    cycles, codebook
        As in :func:`story_paths`.

    Returns
    -------
    DataFrame
        Columns ``source``, ``target``, ``n`` (steps, summed over stories), most frequent
        first, then in cycle order.

    Examples
    --------
    >>> codes = pd.DataFrame({"doc_id": ["s1", "s1", "s2", "s2"], "field": "story",
    ...     "start": [0, 10, 0, 10], "end": [9, 19, 9, 19],
    ...     "code": ["immediate", "applied", "immediate", "applied"], "coder": "me"})
    >>> value_flows(codes)
          source   target  n
    0  immediate  applied  2
    """
    paths = story_paths(codes, cycles=cycles, codebook=codebook)
    steps: dict[tuple[str, str], int] = {}
    for path in paths["path"]:
        chain = str(path).split(_SEPARATOR) if path else []
        for source, target in zip(chain, chain[1:], strict=False):
            steps[(source, target)] = steps.get((source, target), 0) + 1
    rank = {c: i for i, c in enumerate(cycles)}
    ordered = sorted(steps.items(), key=lambda kv: (-kv[1], rank[kv[0][0]], rank[kv[0][1]]))
    flows = pd.DataFrame([(s, t, n) for (s, t), n in ordered], columns=["source", "target", "n"])
    flows["source"] = flows["source"].astype("string")
    flows["target"] = flows["target"].astype("string")
    flows["n"] = flows["n"].astype("int64")
    return flows
