"""``code()``: the one-call entry point that codes any frame against one or more codebooks."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from os import PathLike
from typing import Any, Protocol, runtime_checkable

import pandas as pd
from sklearn.base import clone
from spacy.language import Language

from copanalysis.codebooks.codebook import Codebook
from copanalysis.coding.coders import (
    CODER_NAMES,
    CoderName,
    default_coder,
    fit_default,
    make_coder,
)
from copanalysis.coding.distributed import (
    code_dask,
    code_on_cluster,
    is_dask_frame,
    iter_codes_dask,
    on_cluster,
)
from copanalysis.coding.rules import _check_batch_size
from copanalysis.frames import default_codebook
from copanalysis.io.codebooks import CodebookSource, load_codebook
from copanalysis.schema import empty, validate

__all__ = ["code", "iter_codes", "selective"]


@runtime_checkable
class FittedCoder(Protocol):
    """Anything with ``code(frame) -> codes`` (a fitted RuleCoder, TextCoder, ...)."""

    def code(self, frame: pd.DataFrame) -> pd.DataFrame: ...


def code(
    frame: pd.DataFrame,
    codebook: CodebookSource | Sequence[CodebookSource] | None = None,
    *,
    coder: CoderName | FittedCoder | None = None,
    min_confidence: float = 0.0,
    nlp: Language | None = None,
    progress: bool = True,
    batch_size: int = 1000,
) -> pd.DataFrame:
    """Code the texts of ``frame`` against a codebook, with a quote and evidence per code.

    Parameters
    ----------
    frame : DataFrame
        A ``stories``, ``items``, ``roles`` or ``grid`` frame, or a hand-built frame with an
        id column and text columns (see :func:`~copanalysis.coding.segment`).
    codebook : str, path, Codebook, a list of them, or None
        Built-in names (``"value_cycles"``, ``"enablers_challenges"`` ...), YAML files or
        :class:`Codebook` values; with several, their codes are concatenated. ``None``
        (the default) is the frame's own (:func:`~copanalysis.frames.default_codebook`):
        ``"enablers_challenges"`` for a list's items, ``"leadership_roles"`` for role
        worksheets, ``"value_cycles"`` for stories, grid worksheets and other frames.
    coder : {"semantic", "ensemble", "rules", "model", "llm"}, a coder, or None
        ``"rules"`` is :class:`~copanalysis.coding.RuleCoder` (cues, negation, polarity);
        ``"model"``, ``"semantic"`` and ``"ensemble"`` are the learned coders
        (:class:`~copanalysis.coding.TextCoder`, :class:`~copanalysis.coding.SemanticCoder`,
        :class:`~copanalysis.coding.EnsembleCoder`), trained on the codebook's training
        corpus (``fit_codebook``); to train one on your own codes, fit it and pass it here.
        ``"llm"`` is :class:`~copanalysis.coding.LLMCoder`, a language model on a server on
        this machine, named by ``$COPANALYSIS_LLM_MODEL`` and ``$COPANALYSIS_LLM_BASE_URL``
        (its codes' ``attrs["llm_report"]`` counts the calls, tokens and dropped codes); it
        is never the default.
        A coder given as an object codes with its own codebook (``codebook`` is not
        used): fitted, it is used as it is; a scikit-learn coder not yet fitted
        (``SemanticCoder(prompts=1)``) is fitted here on a copy, on its codebook's own
        material, as a coder named by a string is. Any other object with ``code(frame)``
        is called as it is.
        ``None`` (the default) is :func:`~copanalysis.coding.coders.default_coder`, per
        codebook: the installed coder that agrees best with the authors' codes on the real
        development set (see the README's measured figures), or the rules for a codebook
        the development set does not cover.
    min_confidence : float
        Codes less confident than this are left out, and a unit whose every code falls
        below it is left uncoded rather than guessed (counted in ``attrs["abstained"]``).
        Learned coders' confidences are calibrated on their training material (on real
        text they can be over-confident: see the README's reliability figures).
    nlp : Language, optional
        The spaCy pipeline of the rule coder; default :func:`~copanalysis.coding.make_nlp`.
    progress : bool
        Show a progress bar over the texts.
    batch_size : int
        Texts parsed per batch. The returned frame holds every code; for a corpus whose
        codes do not fit in memory, stream them with :func:`iter_codes` instead.

    Returns
    -------
    DataFrame
        The ``codes`` frame: ``doc_id``, ``field``, ``start``, ``end``, ``quote``,
        ``codebook``, ``code``, ``polarity``, ``coder``, ``confidence``, ``evidence``.
        ``attrs``: ``min_confidence``; ``abstained``, the units (spans) that had a code
        only below ``min_confidence`` and were left uncoded; and ``coded_units``, the units
        that had a code at all, of which ``abstained`` is a part.

    Examples
    --------
    >>> stories = pd.DataFrame({
    ...     "story_id": ["s1"],
    ...     "practice": ["We shared our experiences. I applied the new template."],
    ... })
    >>> codes = code(stories, "value_cycles", coder="rules", progress=False)
    >>> codes[["start", "end", "code"]].values.tolist()
    [[0, 26, 'immediate'], [27, 54, 'potential'], [27, 54, 'potential_tangible'], [27, 54, 'applied']]
    >>> codes["evidence"].iloc[0]
    'cue "share experience" <- "shared our experiences"'
    >>> sure = code(stories, "value_cycles", coder="rules", min_confidence=0.3, progress=False)
    >>> sure["code"].tolist(), sure.attrs["abstained"], sure.attrs["coded_units"]
    (['applied'], 1, 2)
    """  # noqa: E501
    codebook = default_codebook(frame) if codebook is None else codebook
    if is_dask_frame(frame) or on_cluster():  # Dask: copanalysis.coding.distributed
        on_dask = code_dask if is_dask_frame(frame) else code_on_cluster
        return on_dask(frame, codebook, coder, min_confidence, nlp, batch_size)  # type: ignore[return-value,arg-type]
    # the same batches as iter_codes; the rule coder keeps them as column pieces and
    # builds one frame at the end (no per-batch frames, no concatenation)
    parts = [
        _code_fitted(frame, fitted, batch_size, progress)
        for fitted in _coders(codebook, coder, nlp)
    ]
    return selective(join_batches(parts), min_confidence)


def iter_codes(
    frame: pd.DataFrame,
    codebook: CodebookSource | Sequence[CodebookSource] | None = None,
    *,
    coder: CoderName | FittedCoder | None = None,
    min_confidence: float = 0.0,
    nlp: Language | None = None,
    batch_size: int = 1000,
    progress: bool = True,
) -> Iterator[pd.DataFrame]:
    """Code ``frame`` batch by batch, yielding one validated ``codes`` frame per batch.

    For a corpus too large to hold its codes in memory: write or aggregate each batch as
    it comes (:func:`~copanalysis.io.write_codes_parquet` writes them to one Parquet file)
    and the memory used stays bounded: one batch, and the vocabulary of the tokenizer that
    cuts the batches, which starts afresh once it holds
    ``copanalysis.coding.segments.MAX_WORDS`` words.
    :func:`code` is this generator's batches concatenated, so the two always give the same
    rows in the same order.

    Batches are taken per codebook, in the order given: for each codebook, its batches in
    text order.

    * ``coder="rules"`` or a fitted :class:`~copanalysis.coding.RuleCoder`: a batch is
      ``batch_size`` texts (one text per id and prompt field, see
      :func:`~copanalysis.coding.segment`), parsed and coded together.
    * ``"model"``, ``"semantic"``, ``"ensemble"``, ``"llm"`` or any other fitted coder: a
      batch is ``batch_size`` rows of ``frame``, coded with the coder's ``code(rows)``.
      Every row is coded on its own, so the codes are those of the whole frame; with
      several batches, a coder that orders its rows field by field gives them batch by
      batch instead.

    Parameters
    ----------
    frame, codebook, coder, nlp
        As in :func:`code`, with the same defaults.
    min_confidence : float
        As in :func:`code`; each batch's ``attrs["abstained"]`` counts its units left
        uncoded, of its ``attrs["coded_units"]`` (:func:`~copanalysis.io.write_codes_parquet`
        sums them into the file's).
    batch_size : int
        Texts (rule coder) or rows (other coders) per batch.
    progress : bool
        Show a progress bar per codebook.

    Yields
    ------
    DataFrame
        A ``codes`` frame for each batch (empty when nothing in the batch was coded), each
        with its own index from 0.

    Raises
    ------
    ValueError
        When ``coder`` is not one of the names, ``batch_size`` is not a positive whole
        number, or no codebook is given.
    TypeError
        When ``coder`` is neither a name nor an object with ``code(frame)``.

    Examples
    --------
    >>> stories = pd.DataFrame({
    ...     "story_id": ["s1", "s2", "s3"],
    ...     "practice": ["I applied the template.", "Nothing yet.", "We shared our experiences."],
    ... })
    >>> batches = iter_codes(stories, coder="rules", batch_size=2, progress=False)
    >>> [b["code"].tolist() for b in batches]
    [['potential', 'potential_tangible', 'applied'], ['immediate']]

    Written to one Parquet file, batch by batch (:func:`~copanalysis.io.write_codes_parquet`):

    >>> import tempfile, pathlib
    >>> from copanalysis.io import load_frame, write_codes_parquet
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = write_codes_parquet(
    ...         iter_codes(stories, coder="rules", batch_size=2, progress=False),
    ...         pathlib.Path(folder, "codes.parquet"),
    ...     )
    ...     len(load_frame(path))
    4
    """  # noqa: E501
    codebook = default_codebook(frame) if codebook is None else codebook
    if is_dask_frame(frame):  # each partition's codes, computed on the cluster
        yield from iter_codes_dask(frame, codebook, coder, min_confidence, nlp, batch_size)
        return
    _check_batch_size(batch_size)
    for fitted in _coders(codebook, coder, nlp):
        for batch in _iter_fitted(frame, fitted, batch_size, progress):
            yield selective(batch, min_confidence)


def _coders(
    codebook: CodebookSource | Sequence[CodebookSource],
    coder: str | FittedCoder | None,
    nlp: Language | None,
) -> Iterator[Any]:
    """The fitted coder(s): the one given, or one per codebook (fitted as they are reached)."""
    names = ", ".join(repr(n) for n in CODER_NAMES)
    if coder is not None and not isinstance(coder, str):
        if not hasattr(coder, "code"):
            raise TypeError(
                f"coder must be one of {names}, None or an object with .code(frame), "
                f"got {type(coder).__name__}"
            )
        yield coder if is_fitted(coder) else fit_default(clone(coder))
        return
    if coder is not None and coder not in CODER_NAMES:
        raise ValueError(f"coder must be one of {names} or None, got {coder!r}")
    books = [codebook] if isinstance(codebook, str | PathLike | Codebook) else list(codebook)
    if not books:
        raise ValueError("codebook: expected a codebook name, path or Codebook; got none")
    for book in books:
        loaded = load_codebook(book)
        yield _fit(loaded, default_coder(loaded) if coder is None else coder, nlp)


def is_fitted(coder: Any) -> bool:
    """Whether a coder given to :func:`code` is fitted; an object that is not a
    scikit-learn estimator is taken as it is."""
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    try:
        check_is_fitted(coder)
    except NotFittedError:
        return False
    except TypeError:  # not an estimator: its .code is the user's own
        return True
    return True


def _code_fitted(
    frame: pd.DataFrame, fitted: Any, batch_size: int, progress: bool
) -> pd.DataFrame:
    """All of one coder's batches as one ``codes`` frame (what iter_codes yields, joined)."""
    from copanalysis.coding.rules import RuleCoder

    _check_batch_size(batch_size)
    if isinstance(fitted, RuleCoder):  # RuleCoder.code runs iter_code's batch loop
        return fitted.code(frame, progress=progress, batch_size=batch_size)
    return join_batches(list(_iter_fitted(frame, fitted, batch_size, progress)))


def join_batches(batches: list[pd.DataFrame]) -> pd.DataFrame:
    """One ``codes`` frame of a coder's batches, in order, with the language-model coder's
    counts combined over every batch (empty ones too)."""
    kept = [b for b in batches if len(b)]
    if not kept:
        codes = empty("codes")
    elif len(kept) == 1:
        codes = kept[0]
    else:
        codes = validate(pd.concat(kept, ignore_index=True), "codes")
    reports = [b.attrs["llm_report"] for b in batches if "llm_report" in b.attrs]
    if reports:
        from copanalysis.coding.llm import combine_reports

        codes.attrs["llm_report"] = combine_reports(reports)
    return codes


def _fit(book: Codebook, coder: str, nlp: Language | None) -> Any:
    if coder == "rules":
        from copanalysis.coding.rules import RuleCoder

        return RuleCoder(book, nlp=nlp).fit()
    if coder == "llm":  # its settings come from the environment at each call
        return fit_default(make_coder(coder, book))
    return _fitted_default(coder, book, book.training)


@functools.lru_cache(maxsize=8)
def _fitted_default(coder: str, book: Codebook, training: str) -> Any:
    """A learned coder fitted on the codebook's own material, once per process: the same
    codebook and corpus always give the same coder, and coding leaves it unchanged.
    (``training`` is in the key because codebook equality ignores it.)"""
    return fit_default(make_coder(coder, book))


def selective(codes: pd.DataFrame, min_confidence: float) -> pd.DataFrame:
    """``codes`` without the codes less confident than ``min_confidence``.

    ``attrs["abstained"]`` counts the units (spans) that had codes, all of them below the
    threshold: units the coder leaves uncoded rather than guess; ``attrs["coded_units"]``
    the units that had codes at all (trial 45: a count with no denominator).

    Examples
    --------
    >>> codes = pd.DataFrame({"doc_id": ["a", "a", "b"], "field": ["story"] * 3,
    ...     "start": [0, 0, 0], "end": [9, 9, 5], "confidence": [0.9, 0.2, 0.3]})
    >>> kept = selective(codes, 0.5)
    >>> len(kept), kept.attrs["abstained"], kept.attrs["coded_units"]
    (1, 1, 2)
    """
    if not 0.0 <= min_confidence <= 1.0:
        raise ValueError(f"min_confidence must be in 0..1, got {min_confidence!r}")
    sure = codes["confidence"].to_numpy() >= min_confidence
    span = ["doc_id", "field", "start", "end"]
    kept = codes.copy(deep=False) if sure.all() else codes[sure].reset_index(drop=True)
    dropped = codes.loc[~sure, span].drop_duplicates()
    left = dropped.merge(kept[span].drop_duplicates(), how="left", indicator=True)
    kept.attrs = {
        **codes.attrs,
        "min_confidence": float(min_confidence),
        "abstained": int((left["_merge"] == "left_only").sum()),
        "coded_units": int(len(codes[span].drop_duplicates())),
    }
    return kept


def _iter_fitted(
    frame: pd.DataFrame, fitted: Any, batch_size: int, progress: bool
) -> Iterator[pd.DataFrame]:
    from copanalysis.coding.rules import RuleCoder

    if isinstance(fitted, RuleCoder):
        # validated per batch by RuleCoder
        yield from fitted.iter_code(frame, progress=progress, batch_size=batch_size)
        return
    from tqdm.auto import tqdm

    n = len(frame)
    name = type(fitted).__name__
    # a language model answers unit by unit, for minutes: its own bar counts the units,
    # where a bar over rows would stand at 0 until the whole batch is answered
    by_unit = progress and bool(getattr(fitted, "calls_model", False))
    with tqdm(
        total=n, desc=f"coding ({name})", unit="row", disable=not progress or by_unit
    ) as bar:
        for lo in range(0, n, batch_size):
            rows = frame.iloc[lo : lo + batch_size]
            codes = fitted.code(rows, progress=True) if by_unit else fitted.code(rows)
            bar.update(len(rows))
            yield validate(codes, "codes")
