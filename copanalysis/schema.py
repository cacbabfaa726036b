"""The frame contracts every module shares.

Each frame is a tidy pandas DataFrame: one observation per row, the columns below, in this
order, with these dtypes. Loaders return them, coders and analyses consume them, and each
has one ``validate_*`` function that checks a frame and returns it with canonical dtypes.
Columns a loader could not map (unknown survey questions) may follow the documented ones.

``stories``
    ``story_id`` (str, unique, stable across reloads), ``community``, ``date``
    (datetime64, NaT where unknown), ``member``, ``role``, the prompt fields
    ``activities``, ``insights``, ``practice``, ``development``, ``organization``, the free
    narrative ``story``, and ``source`` ("file[:sheet]:row N").
``items``
    ``item_id`` (str, unique), ``kind`` (``enabler`` | ``challenge``, or missing for an
    answer to a question that asks for both: the coders read its kind from its text),
    ``text``, ``community``, ``respondent``, ``source``.
``roles``
    ``respondent``, ``role``, ``member_type``, ``aspect`` (one of :data:`ROLE_ASPECTS`),
    ``text``, ``source``. One row per respondent x role x member type x aspect; a
    respondent who named a role or member type but answered no aspect has one row per role
    x member type with no ``aspect`` and no ``text``.
``grid``
    ``respondent``, ``beneficiary`` (``members`` | ``organization``), ``horizon``
    (``short`` | ``long``), ``text``, ``source``.
``segments``
    ``doc_id``, ``field``, ``segment`` (int, 0-based within the field), ``start``, ``end``
    (code-point offsets into that field's text), ``text``.
``codes``
    ``doc_id``, ``field``, ``start``, ``end``, ``quote``, ``codebook``, ``code``,
    ``polarity`` (+1 / 0 / -1), ``coder``, ``confidence`` (0..1), ``evidence``. One row per
    coded span; human and machine codes share it.
``codebook``
    ``code``, ``parent``, ``label``, ``description``, ``include``, ``exclude``,
    ``examples``, ``cues``, ``color``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from copanalysis.errors import SchemaError

__all__ = [
    "ASPECT_KINDS",
    "BENEFICIARIES",
    "FRAMES",
    "HORIZONS",
    "ITEM_KINDS",
    "MEMBER_TYPES",
    "PROMPT_FIELDS",
    "ROLES",
    "ROLE_ASPECTS",
    "FrameSpec",
    "empty",
    "validate",
    "validate_codebook",
    "validate_codes",
    "validate_grid",
    "validate_items",
    "validate_roles",
    "validate_segments",
    "validate_stories",
]

#: The value-creation story prompts, in the worksheet's order, then the free narrative.
PROMPT_FIELDS: tuple[str, ...] = (
    "activities",
    "insights",
    "practice",
    "development",
    "organization",
    "story",
)
ITEM_KINDS: tuple[str, ...] = ("enabler", "challenge")
ROLE_ASPECTS: tuple[str, ...] = (
    "purpose",
    "actions",
    "challenges",
    "gratification",
    "qualification",
    "support",
)
#: The role worksheet's aspects that list what hinders a role and what would help it: their
#: answers are read as a list of that kind (a challenge, an enabler).
ASPECT_KINDS: dict[str, str] = {"challenges": "challenge", "support": "enabler"}
BENEFICIARIES: tuple[str, ...] = ("members", "organization")
HORIZONS: tuple[str, ...] = ("short", "long")
#: The seed worksheet's twelve leadership roles, as written there.
ROLES: tuple[str, ...] = (
    "Coordination",
    "Event facilitation",
    "Inquiry - learning agenda",
    "Subgroup leadership",
    "Networking",
    "Expertise",
    "Institutional liaison",
    "Boundary connections",
    "Documentation - repository",
    "Infrastructure",
    "Generations - newcomers/alums",
    "Transactions - help desk",
)
#: The seed worksheet's eight member types.
MEMBER_TYPES: tuple[str, ...] = (
    "Coordinator",
    "Expert",
    "Core member",
    "Active member",
    "Peripheral member",
    "Lurker",
    "Sponsor",
    "Outsider",
)

Kind = Literal["str", "category", "datetime", "int", "float"]
FrameName = Literal["stories", "items", "roles", "grid", "segments", "codes", "codebook"]


@dataclass(frozen=True)
class FrameSpec:
    """The contract of one frame: its columns in order, their kinds, and its constraints.

    ``required`` columns must be there, with a value in every row except in the
    ``may_be_missing`` ones."""

    name: str
    columns: Mapping[str, Kind]
    required: Sequence[str]
    unique: Sequence[str] = ()
    may_be_missing: Sequence[str] = ()
    allowed: Mapping[str, Sequence[object]] = field(default_factory=dict)
    defaults: Mapping[str, object] = field(default_factory=dict)


_STR: Kind = "str"
FRAMES: dict[str, FrameSpec] = {
    "stories": FrameSpec(
        "stories",
        {
            "story_id": "str",
            "community": "str",
            "date": "datetime",
            "member": "str",
            "role": "str",
            **{f: _STR for f in PROMPT_FIELDS},
            "source": "str",
        },
        required=("story_id",),
        unique=("story_id",),
    ),
    "items": FrameSpec(
        "items",
        {
            "item_id": "str",
            "kind": "category",
            "text": "str",
            "community": "str",
            "respondent": "str",
            "source": "str",
        },
        required=("item_id", "kind", "text"),
        unique=("item_id",),
        may_be_missing=("kind",),
        allowed={"kind": ITEM_KINDS},
    ),
    "roles": FrameSpec(
        "roles",
        {
            "respondent": "str",
            "role": "str",
            "member_type": "str",
            "aspect": "category",
            "text": "str",
            "source": "str",
        },
        required=("respondent", "aspect"),
        may_be_missing=("aspect",),
        allowed={"aspect": ROLE_ASPECTS},
    ),
    "grid": FrameSpec(
        "grid",
        {
            "respondent": "str",
            "beneficiary": "category",
            "horizon": "category",
            "text": "str",
            "source": "str",
        },
        required=("respondent", "beneficiary", "horizon", "text"),
        allowed={"beneficiary": BENEFICIARIES, "horizon": HORIZONS},
    ),
    "segments": FrameSpec(
        "segments",
        {
            "doc_id": "str",
            "field": "str",
            "segment": "int",
            "start": "int",
            "end": "int",
            "text": "str",
        },
        required=("doc_id", "field", "segment", "start", "end", "text"),
        unique=("doc_id", "field", "segment"),
    ),
    "codes": FrameSpec(
        "codes",
        {
            "doc_id": "str",
            "field": "str",
            "start": "int",
            "end": "int",
            "quote": "str",
            "codebook": "str",
            "code": "str",
            "polarity": "int",
            "coder": "str",
            "confidence": "float",
            "evidence": "str",
        },
        required=("doc_id", "field", "start", "end", "code", "coder"),
        allowed={"polarity": (-1, 0, 1)},
        defaults={"polarity": 0},
    ),
    "codebook": FrameSpec(
        "codebook",
        {
            "code": "str",
            "parent": "str",
            "label": "str",
            "description": "str",
            "include": "str",
            "exclude": "str",
            "examples": "str",
            "cues": "str",
            "color": "str",
        },
        required=("code", "label"),
        unique=("code",),
    ),
}


def empty(name: FrameName) -> pd.DataFrame:
    """An empty frame with the columns and dtypes of ``name``.

    Examples
    --------
    >>> list(empty("codes").columns)[:4]
    ['doc_id', 'field', 'start', 'end']
    >>> len(empty("stories"))
    0
    """
    spec = FRAMES[name]
    frame = pd.DataFrame({col: pd.Series([], dtype=object) for col in spec.columns})
    return _coerce(frame, spec)


def _has_kind(series: pd.Series, kind: Kind) -> bool:
    """Whether ``series`` already has the canonical dtype of ``kind`` (then it is not copied)."""
    dtype = series.dtype
    if kind == "str":
        return isinstance(dtype, pd.StringDtype) and dtype == pd.StringDtype()
    if kind == "category":
        return isinstance(dtype, pd.CategoricalDtype)
    if kind == "datetime":
        return pd.api.types.is_datetime64_any_dtype(dtype)
    return str(dtype) == ("int64" if kind == "int" else "float64")


def _coerce(frame: pd.DataFrame, spec: FrameSpec) -> pd.DataFrame:
    # a shallow copy: columns are replaced, never written in place, so the caller's frame
    # is untouched without copying every column of a large codes frame
    out = frame.copy(deep=False)
    for col, kind in spec.columns.items():
        if col not in out.columns or _has_kind(out[col], kind):
            continue
        try:
            if kind == "str":
                out[col] = out[col].astype("string")
            elif kind == "category":
                out[col] = out[col].astype("string").astype("category")
            elif kind == "datetime":
                out[col] = pd.to_datetime(out[col], errors="raise")
            elif kind == "int":
                out[col] = pd.to_numeric(out[col], errors="raise").astype("int64")
            elif kind == "float":
                out[col] = pd.to_numeric(out[col], errors="raise").astype("float64")
        except (TypeError, ValueError) as exc:
            raise SchemaError(
                f"{spec.name} frame: column {col!r} cannot be read as {kind}: {exc}"
            ) from exc
    documented = [c for c in spec.columns if c in out.columns]
    extra = [c for c in out.columns if c not in spec.columns]
    return out[documented + extra]


def validate(frame: pd.DataFrame, name: FrameName) -> pd.DataFrame:
    """Check ``frame`` against the contract ``name`` and return it with canonical dtypes.

    Missing optional columns are added (all missing, or the column's default: a code with no
    stated ``polarity`` gets 0, neutral); documented columns come first, in order, and extra
    columns are kept after them.

    Raises
    ------
    SchemaError
        When a required column is missing or has missing values, a unique key repeats, a
        value is outside its allowed set, or a column cannot take its dtype. The message
        names the frame, the column and the first offending row.

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({"item_id": ["a"], "kind": ["enabler"], "text": ["Time"]})
    >>> list(validate(items, "items").columns)
    ['item_id', 'kind', 'text', 'community', 'respondent', 'source']
    >>> validate(items.assign(kind="maybe"), "items")
    Traceback (most recent call last):
    ...
    copanalysis.errors.SchemaError: items frame: column 'kind' has 'maybe' at row 0; expected one of enabler, challenge
    """  # noqa: E501
    if not isinstance(frame, pd.DataFrame):
        raise SchemaError(f"{name} frame: expected a pandas DataFrame, got {type(frame)}")
    spec = FRAMES[name]
    missing = [c for c in spec.required if c not in frame.columns]
    if missing:
        raise SchemaError(
            f"{name} frame: missing required column(s) {', '.join(map(repr, missing))}; "
            f"has {', '.join(map(str, frame.columns))}"
        )
    out = frame.copy(deep=False)
    for col in spec.columns:
        if col not in out.columns:
            out[col] = pd.NA
    for col, value in spec.defaults.items():
        if out[col].isna().any():
            out[col] = out[col].astype(object).where(out[col].notna(), value)
    for col in spec.required:
        if col in spec.may_be_missing:
            continue
        nulls = out[col].isna().to_numpy().nonzero()[0]
        if len(nulls):
            raise SchemaError(
                f"{name} frame: column {col!r} is empty at row {out.index[nulls[0]]}"
            )
    if spec.unique:
        dup = out.duplicated(list(spec.unique), keep="first")
        if dup.any():
            row = out.index[dup.to_numpy().nonzero()[0][0]]
            key = out.loc[row, list(spec.unique)].tolist()
            raise SchemaError(
                f"{name} frame: {'/'.join(spec.unique)} {key if len(key) > 1 else key[0]!r} "
                f"repeats at row {row}"
            )
    out = _coerce(out, spec)
    for col, values in spec.allowed.items():
        present = out[col].dropna()
        bad = present[~present.isin(list(values))]
        if len(bad):
            raise SchemaError(
                f"{name} frame: column {col!r} has {bad.iloc[0]!r} at row {bad.index[0]}; "
                f"expected one of {', '.join(map(str, values))}"
            )
    return out


def validate_stories(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate a ``stories`` frame (see the module docstring)."""
    return validate(frame, "stories")


def validate_items(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate an ``items`` (enablers and challenges) frame."""
    return validate(frame, "items")


def validate_roles(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate a ``roles`` (leadership-role worksheet) frame."""
    return validate(frame, "roles")


def validate_grid(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate a ``grid`` (strategic-value reflection grid) frame."""
    return validate(frame, "grid")


def validate_segments(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate a ``segments`` frame."""
    return validate(frame, "segments")


def validate_codes(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate a ``codes`` frame."""
    return validate(frame, "codes")


def validate_codebook(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate a ``codebook`` frame."""
    return validate(frame, "codebook")
