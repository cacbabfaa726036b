"""How a frame is read, beside its contract in :mod:`copanalysis.schema`: which kind it is
(:func:`frame_kind`), which column holds its document ids (:data:`ID_COLUMNS`,
:func:`document_ids`) and its text units, ``(doc_id, field, text)`` (:func:`text_units`).

Coders, analyses and the display all read frames through these, so a story field, an
enabler item, a leadership-role answer and a grid cell are cut, offset and identified the
same way everywhere.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, Any, Literal, TypeGuard

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from copanalysis.errors import DuplicateIdError, MissingColumnError, MissingExtraError
from copanalysis.schema import ASPECT_KINDS, PROMPT_FIELDS

if TYPE_CHECKING:
    import dask.dataframe as dd

__all__ = [
    "CODEBOOKS_FOR",
    "CountUnit",
    "FrameKind",
    "ID_COLUMNS",
    "KIND_SIGNS",
    "MACHINE_CODER",
    "MIN_APPLIED",
    "default_codebook",
    "document_ids",
    "frame_kind",
    "is_dask_frame",
    "kind_signs",
    "require_dask",
    "text_units",
    "unit_kinds",
]

FrameKind = Literal["stories", "items", "roles", "grid", "texts"]
#: What an analysis counts: documents, or coded segments (spans of a field that overlap).
CountUnit = Literal["doc", "segment"]
#: The fewest units each coder must have applied a code to for its kappa (and alpha) to be
#: estimated, in :func:`~copanalysis.agreement` and :func:`~copanalysis.evaluate` alike:
#: with one positive (or none) the statistic is ~0 or 1 with a narrow interval, a
#: precise-looking figure that says nothing.
MIN_APPLIED = 2

#: Which built-in codebooks code which frame: a study codes each frame with all of its
#: codebooks, and :func:`~copanalysis.coding.code` with the first (:func:`default_codebook`).
CODEBOOKS_FOR: dict[FrameKind, tuple[str, ...]] = {
    "stories": ("value_cycles", "strategic_grid"),
    "items": ("enablers_challenges",),
    "roles": ("leadership_roles", "member_types", "enablers_challenges"),
    "grid": ("value_cycles",),
    "texts": ("value_cycles",),
}
#: A machine coder's id in a codes frame's ``coder`` column ("semantic:value_cycles@938dac12",
#: "rules:value_cycles@1.2"): its kind (group 1), a colon, its codebook or model, an @ and
#: its version. A person's name is never so written.
MACHINE_CODER = re.compile(r"([^:@\s]+):\S+@\S+")
#: Columns tried, in order, as the document id of a hand-built frame.
ID_COLUMNS: tuple[str, ...] = ("story_id", "item_id", "respondent", "doc_id", "id")
#: Texts of the same document and field are joined with this (offsets count it).
JOIN = "\n\n"


def frame_kind(frame: pd.DataFrame) -> FrameKind:
    """Recognise a frame from its columns.

    Examples
    --------
    >>> frame_kind(pd.DataFrame({"item_id": ["1"], "kind": ["enabler"], "text": ["Time"]}))
    'items'
    >>> frame_kind(pd.DataFrame({"story_id": ["s1"], "story": ["We met."]}))
    'stories'
    >>> frame_kind(pd.DataFrame({"id": [1], "answer": ["We met."]}))
    'texts'
    """
    columns = set(frame.columns)
    if {"story_id"} <= columns and columns & set(PROMPT_FIELDS):
        return "stories"
    if {"item_id", "kind", "text"} <= columns:
        return "items"
    if {"respondent", "aspect", "text"} <= columns:
        return "roles"
    if {"respondent", "beneficiary", "horizon", "text"} <= columns:
        return "grid"
    return "texts"


def default_codebook(frame: pd.DataFrame | dd.DataFrame) -> str:
    """The built-in codebook a frame is coded with when none is named: the enabler/challenge
    themes for a list, the leadership roles for role worksheets, the value cycles otherwise.

    Examples
    --------
    >>> default_codebook(pd.DataFrame({"item_id": ["1"], "kind": ["enabler"], "text": ["Time"]}))
    'enablers_challenges'
    >>> default_codebook(pd.DataFrame({"id": [1], "answer": ["We met."]}))
    'value_cycles'
    """
    return CODEBOOKS_FOR[frame_kind(frame)][0]  # type: ignore[arg-type]


def document_ids(frame: pd.DataFrame, *, name: str = "frame") -> pd.Series:
    """The document id of each row of ``frame`` (as str), as the coders read it: the
    ``story_id`` of stories, the ``item_id`` of items, the ``respondent`` of role and grid
    worksheets, else the first of :data:`ID_COLUMNS`.

    Raises
    ------
    MissingColumnError
        When ``frame`` has no id column.

    Examples
    --------
    >>> document_ids(pd.DataFrame({"story_id": [1, 2], "story": ["a", "b"]})).tolist()
    ['1', '2']
    """
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


def text_units(frame: pd.DataFrame, *, name: str = "frame") -> pd.DataFrame:
    """The text units of ``frame``: one row per document and field with text.

    ``stories`` give one unit per prompt field (and ``story``); ``items`` one per item
    (field ``text``), keeping the list's ``kind``; ``roles`` one per respondent and aspect
    (its ``challenges`` of kind ``challenge``, its ``support`` ``enabler``);
    ``grid`` one per respondent and cell (field ``members_short`` ...). A hand-built frame
    needs an id column (the first of :data:`ID_COLUMNS`) and text columns (the prompt fields
    it has, else ``text``, else every string column but the id). Distinct texts of the same
    document and field (a respondent's answers for several roles) are joined with a blank
    line, once each; offsets count into the joined text. Empty texts are dropped.

    Parameters
    ----------
    frame : DataFrame
        A ``stories``, ``items``, ``roles`` or ``grid`` frame, or a hand-built one.
    name : str
        What error messages call the frame (a file name when there is one).

    Returns
    -------
    DataFrame
        ``doc_id``, ``field``, ``text`` (str) and ``kind`` (``enabler`` / ``challenge`` or
        missing), in the frame's row order.

    Raises
    ------
    MissingColumnError
        When no id or no text column can be found.
    DuplicateIdError
        When a ``story_id`` or ``item_id`` repeats.

    Examples
    --------
    >>> stories = pd.DataFrame({"story_id": ["s1"], "practice": ["I used it."],
    ...                         "organization": [None]})
    >>> text_units(stories)[["doc_id", "field", "text"]].values.tolist()
    [['s1', 'practice', 'I used it.']]
    >>> grid = pd.DataFrame({"respondent": ["r1"], "beneficiary": ["members"],
    ...                      "horizon": ["long"], "text": ["A network."]})
    >>> text_units(grid)["field"].tolist()
    ['members_long']
    """
    kind = frame_kind(frame)
    if kind == "stories":
        id_column = "story_id"
        fields = [f for f in PROMPT_FIELDS if f in frame.columns]
        # string columns (pandas' default): stacked in arrow, no Python strings
        long = (
            None
            if _string_columns(frame, [id_column, *fields])
            else _melt(frame, id_column, fields)
        )
    elif kind == "items":
        id_column = "item_id"
        long = pd.DataFrame(
            {
                "doc_id": frame["item_id"],
                "field": "text",
                "text": frame["text"],
                "kind": frame["kind"],
            }
        )
    elif kind == "roles":
        id_column = "respondent"
        long = pd.DataFrame(
            {"doc_id": frame["respondent"], "field": frame["aspect"], "text": frame["text"]}
        )
        # what hinders a role is a challenge, the help it needs an enabler (trial 28:
        # "Time, my own caseload" under challenges was coded as an enabler)
        long["kind"] = frame["aspect"].astype("string").map(ASPECT_KINDS).astype("string")
    elif kind == "grid":
        id_column = "respondent"
        cell = frame["beneficiary"].astype("string") + "_" + frame["horizon"].astype("string")
        long = pd.DataFrame({"doc_id": frame["respondent"], "field": cell, "text": frame["text"]})
    else:
        id_column = _id_column(frame, name)
        fields = _text_columns(frame, id_column, name)
        long = _melt(frame, id_column, fields)
        if "kind" in frame.columns:
            long["kind"] = frame["kind"].to_numpy()[long["row"].to_numpy()]
    if id_column in ("story_id", "item_id"):
        dup = frame[id_column].duplicated()
        if dup.any():
            row = int(dup.to_numpy().nonzero()[0][0])
            raise DuplicateIdError(
                f"{id_column} {frame[id_column].iloc[row]!r} repeats; expected unique ids",
                path=name,
                row=row,
                column=id_column,
            )
    if long is None:
        return _stack_strings(frame, id_column, fields)
    return _tidy(long)


def _string_columns(frame: pd.DataFrame, columns: list[str]) -> bool:
    """Whether every column is a pandas string dtype (values str or missing)."""
    return all(isinstance(frame[c].dtype, pd.StringDtype) for c in columns)


def _stack_strings(frame: pd.DataFrame, id_column: str, fields: list[str]) -> pd.DataFrame:
    """:func:`_melt` then :func:`_tidy` for string columns, in arrow: the same units.

    Ids are unique (checked), so no (doc_id, field) repeats and nothing is joined.
    """
    n, k = len(frame), len(fields)

    def arrow(column: str) -> pa.Array:
        values = pa.array(frame[column].array, type=pa.large_string())
        return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values

    # the columns one after another (field-major); units are read in row-major order
    stacked = (
        pa.concat_arrays([arrow(f) for f in fields]) if k else pa.array([], pa.large_string())
    )
    trimmed = pc.utf8_ltrim(stacked, characters=_SPACES)
    present = pc.greater(pc.binary_length(trimmed), 0).fill_null(False)
    present = present.to_numpy(zero_copy_only=False).reshape(k, n).T
    present &= pc.is_valid(arrow(id_column)).to_numpy(zero_copy_only=False)[:, None]
    row, column = np.nonzero(present)  # row-major: rows in frame order, fields in column order
    kept = pa.array(column * n + row)
    field = pa.array(fields, type=pa.string()).take(pa.array(column))
    return pd.DataFrame(
        {
            "doc_id": pd.array(
                arrow(id_column).take(pa.array(row)).cast(pa.string()), dtype="string"
            ),
            "field": pd.array(field, dtype="string"),
            "text": pd.array(stacked.take(kept).cast(pa.string()), dtype="string"),
            "kind": pd.array(pa.nulls(len(field), pa.string()), dtype="string"),
        }
    )


def _melt(frame: pd.DataFrame, id_column: str, fields: list[str]) -> pd.DataFrame:
    """Stack the text columns of ``frame``: rows in frame order, fields in column order."""
    n, k = len(frame), len(fields)
    texts = np.stack([frame[f].to_numpy(dtype=object) for f in fields], axis=1).ravel()
    return pd.DataFrame(
        {
            "row": np.repeat(np.arange(n), k),
            "doc_id": np.repeat(frame[id_column].to_numpy(dtype=object), k),
            "field": np.tile(np.array(fields, dtype=object), n),
            "text": texts,
            "kind": None,
        }
    )


def _as_text(value: object) -> str | None:
    if isinstance(value, str):
        return value if value.strip() else None
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value)
    return text if text.strip() else None


#: Characters ``str.strip`` removes (``str.isspace``), as an RE2 class of everything else.
#: Every character ``str.isspace`` calls whitespace (what ``str.strip`` removes).
_SPACES = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
_NOT_SPACE = "[^" + "".join(f"\\x{{{c:x}}}" for c in range(0x3001) if chr(c).isspace()) + "]"


def _all_strings(values: np.ndarray) -> bool:
    return pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty")


def _texts(values: np.ndarray) -> tuple[Any, np.ndarray]:
    """The texts (blank ones as missing) and which are present.

    Strings are checked as one pyarrow array (a text is blank when it has no character
    but whitespace, as ``str.strip`` sees it); other values are stringified one by one.
    """
    if len(values) and _all_strings(values):
        array = pa.array(values, type=pa.large_string(), from_pandas=True)
        present = pc.match_substring_regex(array, _NOT_SPACE).fill_null(False)
        return array, present.to_numpy(zero_copy_only=False)
    texts = [_as_text(v) for v in values]
    present = np.fromiter((t is not None for t in texts), dtype=bool, count=len(texts))
    return pa.array(texts, type=pa.large_string()), present


def _labels(values: np.ndarray) -> Any:
    """Ids or field names as strings (``str()`` of each value)."""
    if _all_strings(values) and not pd.isna(values).any():
        return pa.array(values, type=pa.large_string())
    return pa.array([str(v) for v in values], type=pa.large_string())


def _tidy(long: pd.DataFrame) -> pd.DataFrame:
    """Drop empty texts, stringify, and join repeated (doc_id, field) texts."""
    texts, present = _texts(long["text"].to_numpy(dtype=object))
    ids = long["doc_id"].to_numpy(dtype=object)
    keep = present & ~pd.isna(ids)
    kind = long["kind"].to_numpy(dtype=object) if "kind" in long.columns else None
    n = int(keep.sum())
    if kind is None or pd.isna(kind).all():
        kinds = pd.array(np.full(n, None, dtype=object), dtype="string")
    else:
        kinds = pd.array(
            [None if pd.isna(v) else str(v).lower() for v in kind[keep]], dtype="string"
        )
    mask = pa.array(keep)
    units = pd.DataFrame(
        {
            "doc_id": pd.array(_labels(ids[keep]).cast(pa.string()), dtype="string"),
            "field": pd.array(
                _labels(long["field"].to_numpy(dtype=object)[keep]).cast(pa.string()),
                dtype="string",
            ),
            "text": pd.array(texts.filter(mask).cast(pa.string()), dtype="string"),
            "kind": kinds,
        }
    )
    if units.duplicated(["doc_id", "field"]).any():
        units = units.drop_duplicates(["doc_id", "field", "text"])
        units = units.groupby(["doc_id", "field"], sort=False, as_index=False).agg(
            text=("text", JOIN.join), kind=("kind", "first")
        )
        units = units.astype({"doc_id": "string", "field": "string", "text": "string"})
        units["kind"] = units["kind"].astype("string")
    return units[["doc_id", "field", "text", "kind"]].reset_index(drop=True)


def _id_column(frame: pd.DataFrame, name: str) -> str:
    for column in ID_COLUMNS:
        if column in frame.columns:
            return column
    raise MissingColumnError(
        f"no id column; expected one of {', '.join(ID_COLUMNS)}, "
        f"found {', '.join(map(str, frame.columns)) or 'no columns'}",
        path=name,
    )


def _text_columns(frame: pd.DataFrame, id_column: str, name: str) -> list[str]:
    fields = [f for f in PROMPT_FIELDS if f in frame.columns]
    if fields:
        return fields
    if "text" in frame.columns:
        return ["text"]
    strings = [
        str(c) for c in frame.columns if c != id_column and c != "kind" and _is_text(frame[c])
    ]
    if not strings:
        raise MissingColumnError(
            f"no text column; expected one of {', '.join(PROMPT_FIELDS)}, 'text', or a "
            f"column of strings besides {id_column!r}, found "
            f"{', '.join(map(str, frame.columns))}",
            path=name,
        )
    return strings


def _is_text(column: pd.Series) -> bool:
    if pd.api.types.is_string_dtype(column.dtype):
        values = column.dropna()
        return len(values) > 0 and all(isinstance(v, str) for v in values.head(20))
    return False


def is_dask_frame(data: object) -> TypeGuard[dd.DataFrame]:
    """Whether ``data`` is a ``dask.dataframe.DataFrame`` (without importing Dask when the
    caller has not: a frame of Dask's cannot exist before Dask is imported).

    Examples
    --------
    >>> is_dask_frame(pd.DataFrame({"story_id": ["s1"]}))
    False
    """
    if "dask.dataframe" not in sys.modules:
        return False
    import dask.dataframe as dd

    return isinstance(data, dd.DataFrame)


def require_dask(what: str = "coding a Dask frame") -> None:
    """Import ``dask.dataframe`` and ``distributed``, or raise a clear error naming the extra.

    Raises
    ------
    MissingExtraError
        When Dask (or ``distributed``) is not installed.
    """
    try:
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as exc:
        raise MissingExtraError(
            f"{what} needs Dask, from the optional extra copanalysis[dask]: "
            "pip install 'copanalysis[dask]'"
        ) from exc


def unit_kinds(frame: pd.DataFrame, parts: pd.DataFrame) -> np.ndarray:
    """The list ``kind`` (``enabler``/``challenge``, lower-cased) of the unit each of
    ``parts`` (rows with ``doc_id`` and ``field``) comes from, ``""`` where it has none: a
    story, or a list item of no given kind.

    Examples
    --------
    >>> items = pd.DataFrame({"item_id": ["a", "b"], "kind": ["Challenge", None],
    ...                       "text": ["No time", "It helps and hurts"]})
    >>> parts = pd.DataFrame({"doc_id": ["b", "a"], "field": ["text", "text"]})
    >>> unit_kinds(items, parts).tolist()
    ['', 'challenge']
    """
    if not len(parts) or frame_kind(frame) in ("stories", "grid"):  # units of no kind
        return np.full(len(parts), "", dtype=object)
    units = text_units(frame)
    known = units.dropna(subset=["kind"]) if "kind" in units.columns else units.iloc[:0]
    lookup = {
        (str(d), str(f)): str(k).strip().lower()
        for d, f, k in zip(known["doc_id"], known["field"], known["kind"], strict=True)
    }
    return np.array(
        [
            lookup.get((str(d), str(f)), "")
            for d, f in zip(parts["doc_id"], parts["field"], strict=True)
        ],
        dtype=object,
    )


#: A list kind's sign, as :func:`unit_kinds` gives the kind (lower-cased).
KIND_SIGNS: dict[str, int] = {"enabler": 1, "challenge": -1}


def kind_signs(kinds: Any) -> np.ndarray:
    """List kinds as signs: +1 an enabler, -1 a challenge, 0 anything else (any case).

    Examples
    --------
    >>> kind_signs(["enabler", "Challenge", "", None]).tolist()
    [1, -1, 0, 0]
    """
    lowered = pd.Series(kinds, dtype="string").str.strip().str.lower()
    return lowered.map(KIND_SIGNS).fillna(0).to_numpy(dtype=np.int64)
