"""``code()``: the one-call entry point that codes any frame against one or more codebooks."""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike
from typing import Any, Literal, Protocol, runtime_checkable

import pandas as pd
from spacy.language import Language

from copanalysis.codebooks import load_codebook
from copanalysis.codebooks.codebook import Codebook
from copanalysis.schema import empty, validate

__all__ = ["code"]

CodebookLike = str | PathLike[str] | Codebook


@runtime_checkable
class FittedCoder(Protocol):
    """Anything with ``code(frame) -> codes`` (a fitted RuleCoder, TextCoder, ...)."""

    def code(self, frame: pd.DataFrame) -> pd.DataFrame: ...


def code(
    frame: pd.DataFrame,
    codebook: CodebookLike | Sequence[CodebookLike] = "value_cycles",
    *,
    coder: Literal["rules", "model", "ensemble"] | FittedCoder = "ensemble",
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
    codebook : str, path, Codebook or a list of them
        Built-in names (``"value_cycles"``, ``"enablers_challenges"`` ...), YAML files or
        :class:`Codebook` values; with several, their codes are concatenated.
    coder : {"ensemble", "rules", "model"} or a fitted coder
        ``"rules"`` is :class:`~copanalysis.coding.RuleCoder` (cues, negation, polarity);
        ``"model"`` and ``"ensemble"`` are the learned coders
        (:class:`~copanalysis.coding.TextCoder`, ``EnsembleCoder``) trained on the
        codebook's example sentences (``fit_codebook``); to train them on your own codes,
        fit one and pass it here. Any object with ``code(frame)`` is called as it is (then
        ``codebook`` is not used). The default, ``"ensemble"``, is the coder that agrees
        best with human coders on held-out stories of the bundled gold set (see the
        README's measured figures); ``"rules"`` is the fastest and fully transparent.
    nlp : Language, optional
        The spaCy pipeline; default :func:`~copanalysis.coding.make_nlp`.
    progress : bool
        Show a progress bar over the texts.
    batch_size : int
        Texts parsed per batch (memory stays flat in corpus size).

    Returns
    -------
    DataFrame
        The ``codes`` frame: ``doc_id``, ``field``, ``start``, ``end``, ``quote``,
        ``codebook``, ``code``, ``polarity``, ``coder``, ``confidence``, ``evidence``.

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
    """  # noqa: E501
    if not isinstance(coder, str):
        if not hasattr(coder, "code"):
            raise TypeError(
                f"coder must be 'rules', 'model', 'ensemble' or an object with .code(frame), "
                f"got {type(coder).__name__}"
            )
        return validate(coder.code(frame), "codes")
    if coder not in ("rules", "model", "ensemble"):
        raise ValueError(f"coder must be 'rules', 'model' or 'ensemble', got {coder!r}")
    books = [codebook] if isinstance(codebook, str | PathLike | Codebook) else list(codebook)
    if not books:
        raise ValueError("codebook: expected a codebook name, path or Codebook; got none")
    parts = [
        _code_one(frame, load_codebook(book), coder, nlp, progress, batch_size) for book in books
    ]
    parts = [p for p in parts if len(p)]
    if not parts:
        return empty("codes")
    if len(parts) == 1 and coder == "rules":
        return parts[0]  # RuleCoder.code validated it; no second copy of a large frame
    return validate(pd.concat(parts, ignore_index=True), "codes")


def _code_one(
    frame: pd.DataFrame,
    book: Codebook,
    coder: str,
    nlp: Language | None,
    progress: bool,
    batch_size: int,
) -> pd.DataFrame:
    fitted: Any
    if coder == "rules":
        from copanalysis.coding.rules import RuleCoder

        fitted = RuleCoder(book).fit(nlp=nlp)
        return fitted.code(frame, progress=progress, batch_size=batch_size)
    if coder == "model":
        from copanalysis.coding.model import TextCoder

        fitted = TextCoder(book).fit_codebook()
    else:
        from copanalysis.coding.ensemble import EnsembleCoder

        fitted = EnsembleCoder(book).fit_codebook()
    return fitted.code(frame, progress=progress)
