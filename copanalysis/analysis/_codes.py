"""Reading a ``codes`` frame the way every analysis does."""

from __future__ import annotations

import pandas as pd

__all__ = ["SELECTIVE", "is_negative", "selective_attrs"]

#: What :func:`~copanalysis.code` records of selective coding in ``codes.attrs``.
SELECTIVE = ("min_confidence", "abstained", "coded_units")


def is_negative(codes: pd.DataFrame) -> pd.Series:
    """True where a code has polarity -1 (``codes`` as :func:`~copanalysis.schema.validate`
    returns it, so a missing polarity is 0, neutral).

    Examples
    --------
    >>> is_negative(pd.DataFrame({"polarity": [1, 0, -1]})).tolist()
    [False, False, True]
    """
    return codes["polarity"].eq(-1)


def selective_attrs(codes: pd.DataFrame) -> dict[str, object]:
    """What selective coding left uncoded, for the tables made from ``codes`` to carry on.

    Examples
    --------
    >>> codes = pd.DataFrame({"polarity": [1]})
    >>> codes.attrs.update(min_confidence=0.4, abstained=3, other="x")
    >>> selective_attrs(codes)
    {'min_confidence': 0.4, 'abstained': 3}
    """
    return {key: codes.attrs[key] for key in SELECTIVE if key in codes.attrs}
