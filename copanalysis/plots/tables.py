"""The tables behind the charts: check a table has the columns a chart draws, or tell a
``codes`` frame from a summary table so a chart can compute its table itself."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from copanalysis.errors import SchemaError

__all__ = ["is_codes", "require_columns"]

_CODES_COLUMNS = frozenset({"doc_id", "code", "coder"})


def is_codes(table: object) -> bool:
    """True when ``table`` is a ``codes`` frame (one row per coded span) rather than a
    summary table.

    Examples
    --------
    >>> import pandas as pd
    >>> is_codes(pd.DataFrame(columns=["doc_id", "field", "start", "end", "code", "coder"]))
    True
    >>> is_codes(pd.DataFrame(columns=["code", "n"]))
    False
    """
    return isinstance(table, pd.DataFrame) and set(table.columns) >= _CODES_COLUMNS


def require_columns(
    table: object, columns: Iterable[str], *, chart: str, table_name: str
) -> pd.DataFrame:
    """Return ``table`` if it is a frame with ``columns``; raise a :class:`SchemaError`
    naming the chart, the missing columns and the function that makes the table otherwise.

    Examples
    --------
    >>> import pandas as pd
    >>> require_columns(pd.DataFrame({"code": ["TIME"]}), ["code", "n"],
    ...                 chart="plot_code_frequencies", table_name="code_frequencies")
    Traceback (most recent call last):
    ...
    copanalysis.errors.SchemaError: plot_code_frequencies: the table lacks column(s) 'n' (has code); expected the frame from copanalysis.code_frequencies() or a codes frame
    """  # noqa: E501
    if not isinstance(table, pd.DataFrame):
        raise SchemaError(
            f"{chart}: expected a pandas DataFrame (from copanalysis.{table_name}()), "
            f"got {type(table).__name__}"
        )
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise SchemaError(
            f"{chart}: the table lacks column(s) {', '.join(map(repr, missing))} "
            f"(has {', '.join(map(str, table.columns))}); expected the frame from "
            f"copanalysis.{table_name}() or a codes frame"
        )
    return table
