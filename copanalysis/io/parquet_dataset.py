"""Writing a Dask ``codes`` frame as a partitioned Parquet dataset: one file per partition,
written by the workers in parallel.

:func:`~copanalysis.io.write_codes_parquet` hands a Dask frame to this module. Every file
carries the provenance :func:`~copanalysis.io.save_frame` writes (frame ``"codes"``), so
each part reads back on its own with :func:`~copanalysis.io.load_frame`; the whole dataset
reads with ``pandas.read_parquet(folder)`` or ``dask.dataframe.read_parquet(folder)``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from copanalysis.io.outputs import check_output_path, created_mode
from copanalysis.schema import empty

if TYPE_CHECKING:
    import dask.dataframe as dd

__all__ = ["write_codes_dataset"]


def write_codes_dataset(codes: dd.DataFrame, path: str | Path) -> Path:
    """Write a Dask ``codes`` frame to the folder ``path``, one Parquet file per partition.

    The folder appears only once every partition is written (written beside it, then
    renamed into place); a folder already there is replaced.

    Parameters
    ----------
    codes : dask.dataframe.DataFrame
        A ``codes`` frame, such as :func:`~copanalysis.code` returns for a Dask frame.
    path : str or Path
        The folder to write; never under ``data/raw``.

    Returns
    -------
    Path
        The folder written.

    Raises
    ------
    SchemaError
        When ``codes`` does not have the columns and dtypes of a ``codes`` frame.
    """
    from copanalysis.errors import SchemaError
    from copanalysis.io.parquet import codes_metadata

    target = check_output_path(path)
    expected = empty("codes").dtypes.to_dict()
    if codes.dtypes.to_dict() != expected:
        raise SchemaError(
            f"write_codes_parquet: the Dask frame's columns are {codes.dtypes.to_dict()}; "
            f"expected a codes frame, {expected}"
        )
    payload = codes_metadata()
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        codes.to_parquet(
            temporary,
            write_index=False,
            custom_metadata={"copanalysis": payload.encode()},
            write_metadata_file=False,
        )
        os.chmod(temporary, created_mode(folder=True))
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        os.replace(temporary, target)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return target
