"""Reading a ``codes`` frame the way every analysis does."""

from __future__ import annotations

import pandas as pd

__all__ = ["is_negative"]


def is_negative(codes: pd.DataFrame) -> pd.Series:
    """True where a code has polarity -1 (``codes`` as :func:`~copanalysis.schema.validate`
    returns it, so a missing polarity is 0, neutral).

    Examples
    --------
    >>> is_negative(pd.DataFrame({"polarity": [1, 0, -1]})).tolist()
    [False, False, True]
    """
    return codes["polarity"].eq(-1)
