"""How often each code occurs: per document or segment, overall or by group."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import pandas as pd

from copanalysis.analysis._codes import is_negative, selective_attrs
from copanalysis.analysis._units import segment_units
from copanalysis.analysis.distributed import code_frequencies_dask, crosstab_dask, is_dask_frame
from copanalysis.analysis.groups import each_group
from copanalysis.codebooks.order import CodebookLike, code_table, codebook_name
from copanalysis.errors import MissingColumnError, SchemaError
from copanalysis.frames import CountUnit, document_ids, text_units
from copanalysis.schema import validate

__all__ = ["code_frequencies", "crosstab"]


def _labels(codes: pd.DataFrame, codebook: CodebookLike) -> dict[str, str]:
    """Code id -> label, from ``codebook`` or, when it is None, from the built-in codebooks
    named in the ``codebook`` column of ``codes`` (codes no codebook knows keep their id)."""
    if codebook is not None:
        table = code_table(codebook)
    else:
        named = set(codes["codebook"].dropna().astype(str).str.strip()) - {""}
        table = code_table(sorted(named), strict=False)
    return dict(zip(table["code"], table["label"], strict=True))


def _attach_groups(
    codes: pd.DataFrame, by: list[str], frame: pd.DataFrame | None
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Add the ``by`` columns to ``codes`` (from ``codes`` itself or from ``frame``), and
    return the units of ``frame`` with their groups: one row per document, or per document
    and value of a ``by`` column that only ``codes`` has (each text field for ``field``,
    each coder for ``coder``)."""
    documents = None
    if frame is not None:
        documents = pd.DataFrame({"doc_id": document_ids(frame).to_numpy()})
        # the shares are of the frame's documents: codes of others (a grid respondent's,
        # given with the stories) are not counted in them (trial 23: a share of 1.5)
        outside = ~codes["doc_id"].astype(str).isin(set(documents["doc_id"].astype(str)))
        if outside.any():
            others = codes.loc[outside, "doc_id"].astype(str).unique()
            named = ", ".join(map(repr, others[:3])) + (", ..." if len(others) > 3 else "")
            warnings.warn(
                f"code_frequencies: {int(outside.sum())} code(s) of {len(others)} document(s) "
                f"not in frame ({named}) are left out: the shares are of the frame's documents",
                UserWarning,
                stacklevel=3,
            )
            codes = codes[~outside]
        for column in by:
            if column in frame.columns and column != "field":  # a field is the codes'
                documents[column] = frame[column].to_numpy()
                # a document of several groups ("CHW; Supervisor", as the loader joins the
                # choices ticked) counts toward each, as analyse counts it (with_group)
                documents = each_group(documents, column)
    from_frame = [c for c in by if documents is not None and c in documents.columns]
    missing = [c for c in by if c not in from_frame and c not in codes.columns]
    if missing:
        where = "codes or frame" if frame is not None else "codes (pass frame= to join it)"
        raise MissingColumnError(
            f"code_frequencies: no column {missing[0]!r} in {where}; "
            f"expected a column of the coded frame such as 'community' or 'role'"
        )
    # a document may be in several groups (a story of a respondent with two roles, one row
    # per role: copanalysis.analysis.groups.with_group); its codes count in each
    if from_frame and documents is not None:
        lookup = documents.drop_duplicates(["doc_id", *from_frame])[["doc_id", *from_frame]]
        codes = codes.drop(columns=[c for c in from_frame if c in codes.columns])
        codes = codes.merge(lookup, on="doc_id", how="left")
    if documents is not None and frame is not None:
        documents = documents.drop_duplicates(["doc_id", *from_frame])
        for column in (c for c in by if c not in from_frame):
            if column == "field":  # the fields each document has text in
                units = frame if {"doc_id", "field"} <= set(frame.columns) else text_units(frame)
                fields = units[["doc_id", "field"]].drop_duplicates()
                fields["doc_id"] = fields["doc_id"].astype(documents["doc_id"].dtype)
                documents = documents.merge(fields, on="doc_id", how="inner")
            else:  # every document, once per value the codes carry (each coder ...)
                values = codes[[column]].drop_duplicates()
                documents = documents.merge(values, how="cross")
    return codes, documents


def _common_key_types(
    left: pd.DataFrame, right: pd.DataFrame, keys: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both frames with each group key of one type, so that they merge (a group column
    with no value at all is float in one and object in the other)."""
    differ = [k for k in keys if left[k].dtype != right[k].dtype]
    if differ:
        left = left.astype({k: object for k in differ})
        right = right.astype({k: object for k in differ})
    return left, right


def code_frequencies(
    codes: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    codebook: CodebookLike = None,
    unit: CountUnit = "doc",
    frame: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Count the documents (or segments) that carry each code.

    Parameters
    ----------
    codes : DataFrame
        A ``codes`` frame; missing optional columns are fine (no ``polarity`` counts as
        neutral).
    by : str or list of str, optional
        Group by these columns: of ``codes`` (``field``, ``coder``) or of ``frame``, joined
        on the document id (``community``, ``role``). A value of ``frame`` that joins
        several groups (``"CHW; Supervisor"``, the choices ticked in a multiple-choice
        question) counts toward each of them, not as a group of its own, as
        :func:`~copanalysis.analysis.groups.with_group` and ``analyse`` count it.
    codebook : Codebook, codebook frame, name or None
        Labels, and the codes to list with 0 when nothing carries them. When None, labels
        come from the built-in codebooks named in ``codes`` (else the code id).
    unit : {"doc", "segment"}
        Count documents, or coded segments (overlapping spans of one field).
    frame : DataFrame, optional
        The coded frame (``stories``, ``items``...): the groups for ``by``, and the number
        of documents per group that ``share`` divides by (uncoded documents included). A
        document on several rows with different groups (``with_group``'s one row per role
        of a respondent with two) counts in each of them.

    Returns
    -------
    DataFrame
        Columns ``[*by, "codebook", "code", "label", "n", "n_negative", "share"]``: ``n``
        units with the code at polarity +1 or 0, ``n_negative`` units with it only at -1
        (a unit with both counts in ``n``), so that ``n + n_negative`` is the units with
        the code; ``share`` = n / units in the group. Sorted by group, then ``n`` descending.
        ``attrs`` keeps what selective coding left uncoded (``min_confidence``,
        ``abstained``; see :func:`copanalysis.code`), for charts to say so, and, without
        ``by``, ``units``: what ``share`` divides by; with ``by`` and ``frame``,
        ``documents`` (the frame's documents) and ``in_several`` (how many of them
        count in more than one group: the groups' documents add up to more than
        ``documents`` by as many, or more).

    Examples
    --------
    >>> codes = pd.DataFrame({"doc_id": ["s1", "s1", "s2", "s3", "s3"], "field": "story",
    ...     "start": [0, 0, 0, 0, 9], "end": [5, 5, 5, 5, 14],
    ...     "code": ["applied", "potential", "applied", "immediate", "applied"],
    ...     "polarity": [1, 1, 1, -1, -1], "coder": "me", "codebook": "demo"})
    >>> code_frequencies(codes)[["code", "n", "n_negative", "share"]]
            code  n  n_negative     share
    0    applied  2           1  0.666667
    1  potential  1           0  0.333333
    2  immediate  0           1  0.000000
    >>> s2_both_ways = pd.concat([codes, codes.iloc[[2]].assign(start=9, end=14, polarity=-1)])
    >>> table = code_frequencies(s2_both_ways).set_index("code")
    >>> table.loc["applied", ["n", "n_negative"]].tolist()  # s2 counts once, as value
    [2, 1]

    A story of a respondent with two roles counts toward each:

    >>> stories = pd.DataFrame({"story_id": ["s1", "s2", "s3"],
    ...                         "role": ["CHW; Supervisor", "CHW", "Supervisor"]})
    >>> by_role = code_frequencies(codes, frame=stories, by="role")
    >>> by_role[by_role["code"] == "applied"][["role", "n", "n_negative", "share"]]
             role  n  n_negative  share
    0         CHW  2           0    1.0
    2  Supervisor  1           1    0.5
    >>> by_role.attrs["documents"], by_role.attrs["in_several"]
    (3, 1)
    """
    if is_dask_frame(codes):  # partial tables per partition (copanalysis.analysis.distributed)
        return code_frequencies_dask(codes, by=by, codebook=codebook, unit=unit, frame=frame)
    left = selective_attrs(codes)
    codes = validate(codes, "codes")
    if unit not in ("doc", "segment"):
        raise SchemaError(f"code_frequencies: unit {unit!r}; expected 'doc' or 'segment'")
    groups = [by] if isinstance(by, str) else list(by or [])
    codes = codes.assign(codebook=codes["codebook"].fillna(""))
    codes, documents = _attach_groups(codes, groups, frame)
    if unit == "doc":
        codes = codes.assign(_unit=codes["doc_id"].astype("string"))
    else:
        codes = codes.assign(_unit=segment_units(codes))
    codes = codes.assign(_negative=is_negative(codes))
    keys = [*groups, "codebook", "code"]

    # units per group: the denominator of share
    if unit == "doc" and documents is not None:
        base = documents
    else:  # without the frame: the units with a code, in each group they have one in
        base = codes.drop_duplicates(["_unit", *groups])
    if groups:
        totals = base.groupby(groups, dropna=False).size().rename("_units").reset_index()
    else:
        totals = pd.DataFrame({"_units": [len(base)]})

    # a unit that tells of a code both as value and as its absence counts once, as value
    only_negative = codes.groupby([*keys, "_unit"], dropna=False)["_negative"].transform("all")
    positive = codes[~codes["_negative"]].groupby(keys, dropna=False)["_unit"].nunique()
    negative = codes[only_negative].groupby(keys, dropna=False)["_unit"].nunique()
    table = pd.concat([positive.rename("n"), negative.rename("n_negative")], axis=1)
    table = table.fillna(0).astype("int64").reset_index()

    listed = code_table(codebook)
    if len(listed):
        name = codebook_name(codebook)
        if groups:
            cells = codes[groups].drop_duplicates()
            if documents is not None:
                cells = pd.concat([cells, documents[groups].drop_duplicates()])
            cells = cells.drop_duplicates()
        else:
            cells = pd.DataFrame(index=[0])
        names = sorted(set(table["codebook"])) if not name else [name]
        wanted = cells.merge(pd.DataFrame({"codebook": names}), how="cross").merge(
            listed[["code"]], how="cross"
        )
        wanted, table = _common_key_types(wanted, table, groups)
        table = wanted.merge(table, on=keys, how="outer")
        table[["n", "n_negative"]] = table[["n", "n_negative"]].fillna(0).astype("int64")

    labels = _labels(codes, codebook)
    table["label"] = table["code"].map(lambda c: labels.get(c, c)).astype("string")
    if groups:
        table, totals = _common_key_types(table, totals, groups)
        table = table.merge(totals, on=groups, how="left")
    else:
        table["_units"] = totals["_units"].iloc[0]
    units = table["_units"].fillna(0).astype("float64")
    table["share"] = (table["n"] / units.where(units > 0)).fillna(0.0)
    table = table.sort_values(
        [*groups, "n", "n_negative", "code"],
        ascending=[True] * len(groups) + [False, False, True],
        kind="stable",
    )
    columns = [*groups, "codebook", "code", "label", "n", "n_negative", "share"]
    table = table[columns].reset_index(drop=True)
    table["codebook"] = table["codebook"].astype("string")
    table["code"] = table["code"].astype("string")
    table.attrs.update(left)
    if not groups:  # what share divides by, for a chart to say "of 84 stories"
        table.attrs["units"] = int(totals["_units"].iloc[0])
    elif documents is not None:  # the groups' documents add up to more than the documents
        several = documents.groupby("doc_id")[groups].nunique(dropna=False).gt(1).any(axis=1)
        table.attrs["documents"] = int(documents["doc_id"].nunique())
        table.attrs["in_several"] = int(several.sum())
    return table


def crosstab(codes: pd.DataFrame, *, frame: pd.DataFrame, by: str = "role") -> pd.DataFrame:
    """Count the documents with each code in each group of ``frame``.

    Codes at polarity -1 are left out (a "waste of time" is not immediate value).

    Parameters
    ----------
    codes : DataFrame
        A ``codes`` frame.
    frame : DataFrame
        The coded frame, with a document id column and the column ``by``.
    by : str
        The grouping column of ``frame`` (``role``, ``community``, ``member_type``...).

    Returns
    -------
    DataFrame
        Wide: one row per value of ``by`` (every value in ``frame``, missing values left
        out), one column per code, cells = number of documents.

    Examples
    --------
    >>> stories = pd.DataFrame({"story_id": ["s1", "s2", "s3"],
    ...                         "role": ["nurse", "nurse", "manager"]})
    >>> codes = pd.DataFrame({"doc_id": ["s1", "s2", "s2"], "field": "story", "start": 0,
    ...     "end": 4, "code": ["applied", "applied", "realized"], "coder": "me"})
    >>> crosstab(codes, frame=stories)
    code     applied  realized
    role
    manager        0         0
    nurse          2         1
    """
    if is_dask_frame(codes):  # partial tables per partition (copanalysis.analysis.distributed)
        return crosstab_dask(codes, frame, by=by)
    codes = validate(codes, "codes")
    if by not in frame.columns:
        raise MissingColumnError(
            f"crosstab: frame has no column {by!r}; has {', '.join(map(str, frame.columns))}"
        )
    documents = each_group(
        pd.DataFrame({"doc_id": document_ids(frame).to_numpy(), by: frame[by].to_numpy()}), by
    ).drop_duplicates()  # a document of several groups ("CHW; Supervisor") counts in each
    kept = codes[~is_negative(codes)][["doc_id", "code"]].drop_duplicates()
    kept = kept.merge(documents, on="doc_id", how="inner").dropna(subset=[by])
    table = pd.crosstab(kept[by], kept["code"])
    groups = sorted(documents[by].dropna().unique(), key=str)
    table = table.reindex(index=groups, fill_value=0)
    table.index.name = by
    table.columns.name = "code"
    return table.astype("int64")
