"""Saving and loading frames as Parquet, with their provenance in the file.

The file metadata (key ``copanalysis``) records the frame name, the source files and their
SHA-256, the package version and the time of writing, and the frame's ``attrs`` (the load
report among them), so that a processed file can always be traced back to the raw data.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from copanalysis.errors import CopanalysisError, FileFormatError
from copanalysis.frames import is_dask_frame
from copanalysis.io.outputs import atomic_write, check_output_path
from copanalysis.io.parquet_dataset import write_codes_dataset
from copanalysis.schema import FRAMES, empty, validate

__all__ = ["METADATA_KEY", "load_frame", "save_frame", "write_codes_parquet"]

#: The Parquet file-metadata key under which provenance is stored.
METADATA_KEY = b"copanalysis"


def _frame_name(frame: pd.DataFrame) -> str | None:
    name = frame.attrs.get("frame")
    if isinstance(name, str):
        return name
    for spec in FRAMES.values():
        if list(frame.columns[: len(spec.columns)]) == list(spec.columns):
            return spec.name
    return None


def save_frame(frame: pd.DataFrame, path: str | Path, *, name: str | None = None) -> Path:
    """Write ``frame`` to a Parquet file at ``path``, atomically, with its provenance.

    The frame goes to a temporary file in the same folder, which then replaces ``path``
    (:func:`copanalysis.io.outputs.atomic_write`), so a reader never sees half a file and a
    failed write leaves the old file as it was. Missing folders are created.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any frame; ``attrs`` must be JSON-serialisable (the loaders' are).
    path : str or Path
        The file to write. Never under a ``data/raw`` folder: raw data are read-only.
    name : str, optional
        The frame's name ("stories", "codes", ...); by default ``frame.attrs["frame"]`` or
        the contract in :mod:`copanalysis.schema` whose columns the frame starts with.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    CopanalysisError
        When ``path`` is under ``data/raw``, or ``attrs`` cannot be stored as JSON.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> frame = pd.DataFrame({"code": pd.Categorical(["reframing", "applied"])})
    >>> frame.attrs["sources"] = [{"path": "stories.csv", "sha256": "ab12"}]
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = save_frame(frame, pathlib.Path(folder, "codes.parquet"))
    ...     back = load_frame(path)
    >>> back.equals(frame), back.attrs["sources"], back.attrs["provenance"]["frame"]
    (True, [{'path': 'stories.csv', 'sha256': 'ab12'}], None)
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from copanalysis import __version__

    path = check_output_path(path)
    attrs = {k: v for k, v in frame.attrs.items() if k != "provenance"}
    provenance = {
        "frame": name or _frame_name(frame),
        "sources": attrs.get("sources", []),
        "package_version": __version__,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "categories_dtype": {
            str(col): str(frame[col].cat.categories.dtype)
            for col in frame.columns
            if isinstance(frame[col].dtype, pd.CategoricalDtype)
        },
    }
    try:
        payload = json.dumps({"provenance": provenance, "attrs": attrs}, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise CopanalysisError(
            f"frame.attrs cannot be stored as JSON ({exc}); keep attrs to plain values",
            path=path,
        ) from exc
    table = pa.Table.from_pandas(frame.copy(deep=False))
    table = table.replace_schema_metadata(
        {**(table.schema.metadata or {}), METADATA_KEY: payload.encode("utf-8")}
    )
    return atomic_write(path, lambda temporary: pq.write_table(table, temporary))


def load_frame(path: str | Path) -> pd.DataFrame:
    """Read a frame written by :func:`save_frame`, with its ``attrs`` and dtypes restored.

    ``attrs`` come back as saved, plus ``attrs["provenance"]``: the frame name, source
    files with their SHA-256, package version and time of writing. Categorical columns keep
    their categories (and the categories' dtype).

    Raises
    ------
    FileNotFoundError
        When there is no such file.
    FileFormatError
        When the file is not a readable Parquet file.
    """
    import pyarrow.parquet as pq

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError ...
        raise FileFormatError(
            f"cannot read the Parquet file ({type(exc).__name__}: {exc})", path=path
        ) from exc
    frame = table.to_pandas()
    # the file's own key-value metadata: a streamed codes file adds its attrs there once
    # every batch is written (the Arrow schema stored with the file keeps the first)
    footer = pq.read_metadata(path).metadata or {}
    stored = footer.get(METADATA_KEY) or (table.schema.metadata or {}).get(METADATA_KEY)
    if stored is None:
        return frame
    meta: dict[str, Any] = json.loads(stored.decode("utf-8"))
    for col, dtype in meta["provenance"].get("categories_dtype", {}).items():
        if col in frame.columns and isinstance(frame[col].dtype, pd.CategoricalDtype):
            categories = frame[col].cat.categories
            if str(categories.dtype) != dtype:
                frame[col] = frame[col].cat.rename_categories(categories.astype(dtype))
    frame.attrs.clear()
    frame.attrs.update(meta.get("attrs", {}))
    frame.attrs["provenance"] = meta["provenance"]
    return frame


def codes_metadata(attrs: dict[str, Any] | None = None) -> str:
    """The provenance a streamed codes file carries (frame ``"codes"``, no sources), and
    the codes' ``attrs``, as the JSON stored under :data:`METADATA_KEY`."""
    from copanalysis import __version__

    provenance = {
        "frame": "codes",
        "sources": [],
        "package_version": __version__,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "categories_dtype": {},
    }
    return json.dumps({"provenance": provenance, "attrs": attrs or {}}, ensure_ascii=False)


def _selective_sum(
    batches: Iterable[pd.DataFrame], attrs: dict[str, Any]
) -> Iterator[pd.DataFrame]:
    """``batches`` as they come, with what selective coding left uncoded summed into
    ``attrs`` (``min_confidence``, ``abstained`` of ``coded_units``) as they pass."""
    for batch in batches:
        if "min_confidence" in batch.attrs:
            attrs["min_confidence"] = batch.attrs["min_confidence"]
            for key in ("abstained", "coded_units"):
                attrs[key] = attrs.get(key, 0) + int(batch.attrs.get(key, 0))
        yield batch


def write_codes_parquet(batches: Iterable[pd.DataFrame], path: str | Path) -> Path:
    """Write ``codes`` frames, one batch at a time, to one Parquet file, atomically.

    Meant for :func:`~copanalysis.coding.iter_codes`: each batch is checked as a ``codes``
    frame and appended as its own row group, so only one batch is in memory at a time. The
    file reads back with :func:`load_frame` as the batches concatenated (index from 0), with
    the same provenance as :func:`save_frame` writes (frame ``"codes"``), and what
    selective coding left uncoded (``attrs`` ``min_confidence``, and ``abstained`` and
    ``coded_units`` summed over the batches; trial 45: lost on disk). With no batches
    the file holds an empty ``codes`` frame. The file appears only once every batch is
    written (:func:`copanalysis.io.outputs.atomic_write`).

    Parameters
    ----------
    batches : iterable of DataFrame
        ``codes`` frames (:data:`copanalysis.schema.FRAMES` ``["codes"]``).
    path : str or Path
        The file to write; never under ``data/raw``.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    SchemaError
        When a batch is not a valid ``codes`` frame (nothing is written).
    CopanalysisError
        When ``path`` is under ``data/raw``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from copanalysis.schema import empty
    >>> batch = empty("codes")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = write_codes_parquet([batch, batch], pathlib.Path(folder, "codes.parquet"))
    ...     back = load_frame(path)
    >>> len(back), back.attrs["provenance"]["frame"]
    (0, 'codes')
    """
    if is_dask_frame(batches):  # a partitioned dataset (copanalysis.io.parquet_dataset)
        return write_codes_dataset(batches, path)
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = check_output_path(path)
    payload = codes_metadata()
    selective: dict[str, Any] = {}

    def write(temporary: Path) -> None:
        writer: pq.ParquetWriter | None = None
        schema: pa.Schema | None = None
        try:
            for batch in _selective_sum(batches, selective):
                table = pa.Table.from_pandas(
                    validate(batch, "codes"), schema=schema, preserve_index=False
                )
                if writer is None:
                    schema = table.schema.with_metadata(
                        {**(table.schema.metadata or {}), METADATA_KEY: payload.encode()}
                    )
                    table = table.replace_schema_metadata(schema.metadata)
                    writer = pq.ParquetWriter(temporary, schema)
                writer.write_table(table)
            if writer is None:  # no batches: an empty codes frame
                table = pa.Table.from_pandas(empty("codes"), preserve_index=False)
                table = table.replace_schema_metadata(
                    {**(table.schema.metadata or {}), METADATA_KEY: payload.encode()}
                )
                pq.write_table(table, temporary)
            elif selective:  # known once every batch is written: in the file's footer
                writer.add_key_value_metadata({METADATA_KEY: codes_metadata(selective)})
        finally:
            if writer is not None:
                writer.close()

    return atomic_write(path, write)
