"""Active learning for the review loop: which segments a person should code next.

:func:`suggest` picks the segments a fitted coder is least sure of; hand them to
:func:`copanalysis.export_for_review`, let a person accept, reject or correct them, read
them back with :func:`copanalysis.import_review`, and refit on the larger gold set.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from copanalysis.errors import SchemaError
from copanalysis.schema import validate

__all__ = ["suggest"]


def suggest(
    coder: Any,
    frame: pd.DataFrame,
    *,
    n: int = 20,
    by: Literal["margin", "entropy"] = "margin",
    segments: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The ``n`` segments of ``frame`` the coder is least sure of, with its best guess.

    Parameters
    ----------
    coder : TextCoder, SemanticCoder or EnsembleCoder
        A fitted coder with ``predict_proba`` and ``classes_`` (and ``threshold``,
        default 0.5).
    frame : DataFrame
        The frame to draw segments from (``stories`` ...).
    n : int
        How many segments.
    by : {"margin", "entropy"}
        ``margin``: the segments with a code whose probability is closest to the
        coder's threshold (uncertainty sampling on the decision boundary). ``entropy``:
        the segments with the largest total binary entropy over all codes.
    segments : DataFrame, optional
        Pre-computed ``segment(frame, unit=coder.unit)``.

    Returns
    -------
    DataFrame
        A ``codes`` frame, one row per suggested segment, most uncertain first: the
        segment's ``doc_id``, ``field``, ``start``, ``end``, ``quote``, the ``code`` the
        coder is least sure of, ``polarity`` (read as ``coder.code`` reads it: from a list
        item's kind, else the coder's polarity of the segment, else 1),
        ``coder`` (the coder's ``coder_``),
        ``confidence`` (its probability), ``evidence`` (whether the coder would give the
        code, its probability reaching the threshold, or only guesses it), then
        ``segment`` and ``uncertainty`` (0..1, 1 = a coin toss). Pass it to
        :func:`copanalysis.export_for_review`.

    Raises
    ------
    SchemaError
        When ``n`` is not positive or ``by`` is unknown.

    Examples
    --------
    >>> from copanalysis.coding.model import TextCoder
    >>> texts = ["I learned a lot", "we learned so much", "I applied it", "we applied it"]
    >>> coder = TextCoder(calibrate=False).fit(texts, [{"potential"}, {"potential"},
    ...                                                {"applied"}, {"applied"}])
    >>> stories = pd.DataFrame({"story_id": ["s1"],
    ...                         "story": ["We learned it. Then it rained. We applied it."]})
    >>> suggest(coder, stories, n=1)[["quote", "code"]].values.tolist()
    [['Then it rained.', 'applied']]
    """
    check_is_fitted(coder)
    if n < 1:
        raise SchemaError(f"suggest: n must be a positive number of segments, got {n}")
    if by not in ("margin", "entropy"):
        raise SchemaError(f"suggest: by {by!r}; expected 'margin' or 'entropy'")
    from copanalysis.coding.segments import segments_of
    from copanalysis.coding.training import coded_segments

    parts = segments_of(frame, unit=getattr(coder, "unit", "sentence"), segments=segments)
    proba = coder.predict_proba(parts["text"].tolist()) if len(parts) else np.zeros((0, 0))
    threshold = float(getattr(coder, "threshold", 0.5))
    if by == "margin":
        span = max(threshold, 1.0 - threshold)
        closeness = 1.0 - np.abs(proba - threshold) / span
        pick = closeness.argmax(axis=1) if proba.size else np.zeros(0, dtype=int)
        uncertainty = closeness[np.arange(len(parts)), pick] if proba.size else np.zeros(0)
    else:
        p = np.clip(proba, 1e-12, 1 - 1e-12)
        entropy = -(p * np.log2(p) + (1 - p) * np.log2(1 - p))
        pick = entropy.argmax(axis=1) if proba.size else np.zeros(0, dtype=int)
        total = entropy.sum(axis=1) if proba.size else np.zeros(0)
        uncertainty = total / max(proba.shape[1], 1)
    order = np.argsort(-uncertainty, kind="stable")[:n]
    chosen = parts.iloc[order].reset_index(drop=True)
    codes = np.asarray(coder.classes_, dtype=object)[pick[order]] if len(order) else []
    confidence = proba[order, pick[order]] if len(order) else np.zeros(0)
    book = getattr(coder, "codebook_", None)
    polarity = _polarity(coder, frame, chosen, codes)
    out = coded_segments(
        chosen,
        np.asarray(codes, dtype=object),
        codebook=getattr(book, "name", None),  # type: ignore[arg-type]
        coder=str(getattr(coder, "coder_", type(coder).__name__)),
        polarity=polarity,
        confidence=confidence,
        evidence=np.where(
            confidence >= threshold,
            f"the coder would give it (confidence {threshold:.2f} or more)",
            f"a guess below the coder's threshold ({threshold:.2f}): accept only if right",
        ).tolist(),
    )
    return validate(out.assign(segment=chosen["segment"], uncertainty=uncertainty[order]), "codes")


def _polarity(coder: Any, frame: pd.DataFrame, chosen: pd.DataFrame, codes: Any) -> np.ndarray:
    """The polarity of each suggested segment's code, as ``coder.code`` gives it: the list
    item's kind (an enabler +1, a challenge -1); else the polarity the coder gives that code
    there, or its most confident code there; else, for a segment the coder leaves uncoded,
    its polarity head or the absence rules (-1 where they find no value, unless a problem
    went away); else +1."""
    from copanalysis.coding.absence import absent_value, problem_gone
    from copanalysis.frames import kind_signs, unit_kinds

    polarity = np.ones(len(chosen), dtype=int)
    if not len(chosen):
        return polarity
    coded = coder.code(frame, segments=chosen)
    coded = coded.sort_values("confidence", ascending=False, kind="stable")
    own: dict[tuple[Any, ...], int] = {}  # (segment, code) -> polarity, most confident first
    best: dict[tuple[Any, ...], int] = {}  # segment -> its most confident code's polarity
    for row in coded[["doc_id", "field", "start", "code", "polarity"]].itertuples(index=False):
        own.setdefault((row.doc_id, row.field, row.start, row.code), int(row.polarity))
        best.setdefault((row.doc_id, row.field, row.start), int(row.polarity))
    spans = list(zip(chosen["doc_id"], chosen["field"], chosen["start"], strict=True))
    negative = (
        np.asarray(coder.predict_negative(chosen["text"].tolist())) >= 0.5
        if hasattr(coder, "predict_negative")
        else np.zeros(len(chosen), dtype=bool)
    )
    for i, (span, code, text) in enumerate(zip(spans, codes, chosen["text"], strict=True)):
        sign = own.get((*span, code), best.get(span))
        if sign is None:
            denied = negative[i] and problem_gone(str(text)) is None
            sign = -1 if denied or absent_value(str(text)) is not None else 1
        polarity[i] = int(sign)
    signs = kind_signs(unit_kinds(frame, chosen))
    return np.where(signs != 0, signs, polarity)
