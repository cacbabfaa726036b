"""Coding a Dask frame: the same coders, fitted once on the client, run on every partition.

:func:`~copanalysis.code` and :func:`~copanalysis.iter_codes` hand a
``dask.dataframe.DataFrame`` to this module. The coders are fitted here, in the calling
process, exactly as for a pandas frame; each fitted coder becomes one task of the graph
(``dask.delayed``), so a worker receives and unpickles it once and every partition it codes
reuses it. Heavy objects are not shipped: the rule coder's spaCy pipeline and the sentence
model of the semantic coder are rebuilt from their pinned names, once per worker process
(:func:`~copanalysis.coding.make_nlp` and
:func:`~copanalysis.io.embedding_model.load_sentence_model` cache them per process). Each
partition is coded with the in-memory code path, so the codes are the pandas codes.

Needs the optional extra ``copanalysis[dask]``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeGuard

import pandas as pd

from copanalysis.errors import MissingExtraError
from copanalysis.schema import empty

if TYPE_CHECKING:
    import dask.dataframe as dd
    from spacy.language import Language

    from copanalysis.coding.api import CodebookLike, FittedCoder

__all__ = ["code_dask", "is_dask_frame", "iter_codes_dask", "require_dask"]


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


def code_dask(
    frame: dd.DataFrame,
    codebook: CodebookLike | Sequence[CodebookLike],
    coder: str | FittedCoder | None,
    min_confidence: float,
    nlp: Language | None,
    batch_size: int,
) -> dd.DataFrame:
    """:func:`~copanalysis.code` of a Dask frame: a lazy Dask frame of codes.

    One ``map_partitions`` per codebook, concatenated in codebook order, so the rows come in
    the order :func:`~copanalysis.iter_codes` gives them with one batch per partition: for
    each codebook, partition by partition. Each partition's index runs from 0 (like each
    batch of ``iter_codes``); ``compute().reset_index(drop=True)`` numbers the rows as
    :func:`~copanalysis.code` does. The codes' ``attrs`` (``abstained``, ``llm_report``) are
    per partition and are not carried to the Dask frame.

    The meta (columns and dtypes) is the schema's empty ``codes`` frame, which is what the
    in-memory path validates every batch to.
    """
    require_dask()
    import dask
    import dask.dataframe as dd

    from copanalysis.coding.api import _check_batch_size, _coders, selective

    _check_batch_size(batch_size)
    selective(empty("codes"), min_confidence)  # the range check, before any work
    meta = empty("codes")
    pieces = []
    for fitted in _coders(codebook, coder, nlp):
        # one task holds the fitted coder: sent to (and unpickled on) each worker once
        shipped = dask.delayed(fitted, pure=False)
        pieces.append(
            frame.map_partitions(
                _code_partition,
                shipped,
                batch_size=batch_size,
                min_confidence=min_confidence,
                meta=meta,
                align_dataframes=False,
            )
        )
    return pieces[0] if len(pieces) == 1 else dd.concat(pieces)


def iter_codes_dask(
    frame: dd.DataFrame,
    codebook: CodebookLike | Sequence[CodebookLike],
    coder: str | FittedCoder | None,
    min_confidence: float,
    nlp: Language | None,
    batch_size: int,
) -> Iterator[pd.DataFrame]:
    """:func:`~copanalysis.iter_codes` of a Dask frame: the codes of each partition, in
    order, computed in parallel a few partitions ahead of the one yielded (so memory stays
    bounded by those partitions' codes).

    ``iter_codes`` always yields pandas ``codes`` frames; for the lazy Dask frame itself,
    call :func:`~copanalysis.code`.
    """
    import dask

    codes = code_dask(frame, codebook, coder, min_confidence, nlp, batch_size)
    parts = codes.to_delayed()
    ahead = _workers() * 2
    for lo in range(0, len(parts), ahead):
        yield from dask.compute(*parts[lo : lo + ahead])


def _workers() -> int:
    """The worker threads of the current client, or of this machine."""
    import os

    try:
        from distributed import get_client

        return max(1, sum(get_client().nthreads().values()))
    except (ImportError, ValueError):
        return os.cpu_count() or 1


def _code_partition(
    part: pd.DataFrame, fitted: Any, *, batch_size: int, min_confidence: float
) -> pd.DataFrame:
    """One partition's codes, by the in-memory path (no progress bar on a worker)."""
    from copanalysis.coding.api import _code_fitted, selective

    codes = selective(_code_fitted(part, fitted, batch_size, False), min_confidence)
    codes.attrs = {}  # per-partition counts; Dask frames carry no attrs
    return codes
