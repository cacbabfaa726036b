"""Loading a table of codes (human gold codes, or codes exported elsewhere)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from copanalysis.errors import SchemaError
from copanalysis.io.parquet import load_frame
from copanalysis.io.provenance import attach_provenance, list_files
from copanalysis.io.tables import TABLE_SUFFIXES, read_tables
from copanalysis.schema import validate

__all__ = ["CODE_SUFFIXES", "load_codes"]

CODE_SUFFIXES: tuple[str, ...] = (*TABLE_SUFFIXES, ".parquet")


def load_codes(path: str | Path) -> pd.DataFrame:
    """Load a ``codes`` table from CSV/TSV, XLSX, JSON or Parquet (or a folder of them).

    The file holds the columns of the ``codes`` frame (:mod:`copanalysis.schema`):
    ``doc_id``, ``field``, ``start``, ``end``, ``quote``, ``codebook``, ``code``,
    ``polarity``, ``coder``, ``confidence``, ``evidence``; empty cells are missing. Offsets
    are code-point positions in the loaded field text.

    Returns
    -------
    pandas.DataFrame
        The validated ``codes`` frame, with ``attrs["load_report"]`` and ``attrs["sources"]``.

    Raises
    ------
    SchemaError
        When a column is missing or a value does not fit (the message names the file and
        the row as a spreadsheet shows it).
    UnsupportedFormatError, EmptyFileError, FileFormatError
        As for the other loaders.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "gold.csv")
    ...     _ = path.write_text(
    ...         "doc_id,field,start,end,quote,codebook,code,polarity,coder,confidence,evidence\\n"
    ...         "s-001,insights,0,9,A checkli,value-cycles,potential,1,Ana,1.0,\\n",
    ...         encoding="utf-8",
    ...     )
    ...     codes = load_codes(path)
    >>> codes[["doc_id", "start", "end", "code", "polarity"]]
      doc_id  start  end       code  polarity
    0  s-001      0    9  potential         1
    """
    files = list_files(path, CODE_SUFFIXES)
    parts: list[pd.DataFrame] = []
    entries: list[dict[str, Any]] = []
    for file in files:
        if file.suffix.lower() == ".parquet":
            frame = load_frame(file)
            frame.attrs.clear()
            frame.index = pd.Index(range(1, len(frame) + 1))
            parts.append(_checked(frame, file.name))
            entries.append({"path": str(file), "format": "parquet", "n_rows": len(frame)})
            continue
        for table in read_tables(file):
            part = pd.DataFrame(
                [[cell.strip() or None for cell in cells] for _, cells in table.rows],
                columns=table.columns,
                index=pd.Index([n for n, _ in table.rows]),
                dtype=object,
            )
            parts.append(_checked(_numbers(part, table.where), table.where))
            entries.append({**table.report(), "n_rows": len(part)})
    codes = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    codes = validate(codes.reset_index(drop=True), "codes")
    return attach_provenance(codes, name="codes", files=files, entries=entries)


def _checked(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    """Validate one file's rows (indexed by spreadsheet row) and name the file on error."""
    try:
        return validate(frame, "codes")
    except SchemaError as exc:
        raise SchemaError(f"{exc} (row numbers as in the file)", path=label) from exc


def _numbers(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    """Read the offset, polarity and confidence cells as numbers, naming any bad cell."""
    out = frame.copy()
    for column in ("start", "end", "polarity", "confidence"):
        if column not in out.columns:
            continue
        numbers = pd.to_numeric(out[column], errors="coerce")
        bad = out[column].notna() & numbers.isna()
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            raise SchemaError(
                f"{out[column].iloc[row]!r} is not a number",
                path=label,
                row=int(out.index[row]),
                column=column,
            )
        out[column] = numbers
    return out
