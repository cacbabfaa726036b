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

import contextlib
import contextvars
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from copanalysis.frames import is_dask_frame, require_dask
from copanalysis.schema import empty

if TYPE_CHECKING:
    import dask.dataframe as dd
    from spacy.language import Language

    from copanalysis.coding.api import FittedCoder
    from copanalysis.io.codebooks import CodebookSource

__all__ = [
    "code_dask",
    "code_on_cluster",
    "is_dask_frame",
    "iter_codes_dask",
    "on_cluster",
    "require_dask",
    "use_cluster",
]

#: The client that :func:`use_cluster` set up, and whether to show Dask's progress bar.
_CLUSTER: contextvars.ContextVar[tuple[Any, bool] | None] = contextvars.ContextVar(
    "copanalysis_cluster", default=None
)


@contextlib.contextmanager
def use_cluster(
    *, scheduler: str | None = None, workers: int | None = None, progress: bool = True
) -> Iterator[Any]:
    """Code on a Dask cluster inside the ``with`` block: ``code()`` of a pandas frame then
    runs its batches on the cluster's workers and returns the same codes, in the same order.

    What ``copanalysis run --scheduler/--workers`` does around the whole study.

    Parameters
    ----------
    scheduler : str, optional
        The address of a running scheduler (``tcp://host:8786``).
    workers : int, optional
        Start a local cluster of this many single-threaded worker processes instead
        (loopback only, no dashboard); it is closed at the end of the block.
    progress : bool
        Show Dask's progress bar while the cluster codes.

    Yields
    ------
    distributed.Client

    Raises
    ------
    MissingExtraError
        Without the extra ``copanalysis[dask]``.
    ValueError
        Unless exactly one of ``scheduler`` and ``workers`` is given, or ``workers`` < 1.
    """
    require_dask("running on a Dask cluster")
    from distributed import Client, LocalCluster

    if (scheduler is None) == (workers is None):
        raise ValueError("use_cluster: give a scheduler address or a number of workers")
    with contextlib.ExitStack() as stack:
        if workers is not None:
            if workers < 1:
                raise ValueError(f"use_cluster: workers must be 1 or more, got {workers!r}")
            address: Any = stack.enter_context(
                LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    scheduler_kwargs={"dashboard": False},
                )
            )
        else:
            address = scheduler
        try:
            client = stack.enter_context(Client(address))
        except (OSError, ValueError) as exc:
            if scheduler is None:
                raise
            raise OSError(
                f"scheduler {scheduler!r} (copanalysis run --scheduler): could not reach a "
                f"Dask scheduler there ({exc}); is it running, and is the address "
                "tcp://host:port?"
            ) from exc
        token = _CLUSTER.set((client, progress))
        try:
            yield client
        finally:
            _CLUSTER.reset(token)


def on_cluster() -> bool:
    """Whether :func:`use_cluster` is in effect (``code()`` of a pandas frame then runs on
    the cluster)."""
    return _CLUSTER.get() is not None


def code_dask(
    frame: dd.DataFrame,
    codebook: CodebookSource | Sequence[CodebookSource],
    coder: str | FittedCoder | None,
    min_confidence: float,
    nlp: Language | None,
    batch_size: int,
    *,
    keep_attrs: bool = False,
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

    from copanalysis.coding.api import _coders, selective
    from copanalysis.coding.rules import _check_batch_size

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
                keep_attrs=keep_attrs,
                meta=meta,
                align_dataframes=False,
            )
        )
    return pieces[0] if len(pieces) == 1 else dd.concat(pieces)


def code_on_cluster(
    frame: pd.DataFrame,
    codebook: CodebookSource | Sequence[CodebookSource],
    coder: str | FittedCoder | None,
    min_confidence: float,
    nlp: Language | None,
    batch_size: int,
) -> pd.DataFrame:
    """:func:`~copanalysis.code` of a pandas frame inside :func:`use_cluster`.

    The frame is cut into the batches the in-memory path codes (``batch_size`` rows each),
    one task per batch; the batches' codes come back in order and are joined as in memory,
    with their ``attrs`` (``abstained`` summed, ``llm_report`` combined).
    """
    import dask.dataframe as dd
    from distributed import progress as progress_bar

    from copanalysis.coding.api import join_batches
    from copanalysis.coding.rules import _check_batch_size

    _check_batch_size(batch_size)
    setting = _CLUSTER.get()
    if setting is None:
        raise RuntimeError("code_on_cluster: call it inside use_cluster()")
    client, show = setting
    lazy = code_dask(
        dd.from_pandas(frame, chunksize=batch_size, sort=False),
        codebook,
        coder,
        min_confidence,
        nlp,
        batch_size,
        keep_attrs=True,
    )
    futures = client.compute(lazy.to_delayed())
    if show:
        progress_bar(futures)
    parts = client.gather(futures)
    codes = join_batches(parts)
    codes.attrs.update(
        min_confidence=float(min_confidence),
        abstained=sum(int(p.attrs.get("abstained", 0)) for p in parts),
        coded_units=sum(int(p.attrs.get("coded_units", 0)) for p in parts),
    )
    return codes


def iter_codes_dask(
    frame: dd.DataFrame,
    codebook: CodebookSource | Sequence[CodebookSource],
    coder: str | FittedCoder | None,
    min_confidence: float,
    nlp: Language | None,
    batch_size: int,
) -> Iterator[pd.DataFrame]:
    """:func:`~copanalysis.iter_codes` of a Dask frame: the codes of each partition, in
    order, computed in parallel a few partitions ahead of the one yielded (so memory stays
    bounded by those partitions' codes), each with its ``attrs`` (``abstained`` ...).

    ``iter_codes`` always yields pandas ``codes`` frames; for the lazy Dask frame itself,
    call :func:`~copanalysis.code`.
    """
    import dask

    codes = code_dask(frame, codebook, coder, min_confidence, nlp, batch_size, keep_attrs=True)
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
    part: pd.DataFrame,
    fitted: Any,
    *,
    batch_size: int,
    min_confidence: float,
    keep_attrs: bool,
) -> pd.DataFrame:
    """One partition's codes, by the in-memory path (no progress bar on a worker)."""
    from copanalysis.coding.api import _code_fitted, selective

    codes = selective(_code_fitted(part, fitted, batch_size, False), min_confidence)
    if not keep_attrs:
        codes.attrs = {}  # per-partition counts; a Dask frame carries no attrs
    return codes
