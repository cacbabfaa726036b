"""Reading a ``codes`` frame the way every analysis does."""

from __future__ import annotations

import pandas as pd

from copanalysis.errors import SchemaError
from copanalysis.schema import validate

__all__ = ["checked_codes", "is_negative"]


def checked_codes(codes: pd.DataFrame) -> pd.DataFrame:
    """Validate ``codes`` against the ``codes`` contract; a missing ``polarity`` (column or
    value, as in human codes) reads as 0, neutral.

    Examples
    --------
    >>> codes = pd.DataFrame({"doc_id": ["s1"], "field": ["story"], "start": [0],
    ...                       "end": [4], "code": ["applied"], "coder": ["me"]})
    >>> checked_codes(codes)["polarity"].tolist()
    [0]
    """
    if not isinstance(codes, pd.DataFrame):
        raise SchemaError(f"codes frame: expected a pandas DataFrame, got {type(codes)}")
    if "polarity" in codes.columns:
        polarity = pd.to_numeric(codes["polarity"], errors="coerce").fillna(0)
    else:
        polarity = pd.Series(0, index=codes.index)
    return validate(codes.assign(polarity=polarity), "codes")


def is_negative(codes: pd.DataFrame) -> pd.Series:
    """True where a code has polarity -1."""
    return codes["polarity"].eq(-1)
