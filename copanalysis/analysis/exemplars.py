"""Exemplar quotes: the words behind a number, for reports and notebooks."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

import pandas as pd

from copanalysis.schema import validate

__all__ = ["exemplars", "mend_quotation_marks"]


def mend_quotation_marks(text: str) -> str:
    """A sentence cut from its text, with its quotation marks mended for display.

    A sentence splitter leaves an opening mark at the end of the sentence before a quotation
    ('differently. "') and takes it from the quotation's own sentence ('We stopped," said
    Mr Patel'). The dangling mark is dropped; a closing mark with no opening one gets it
    back. The offsets of a code are not touched: this is for reading.

    Examples
    --------
    >>> mend_quotation_marks('Feedback differs a lot. "')
    'Feedback differs a lot.'
    >>> mend_quotation_marks('We stopped," said Mr Patel, "and they read it now."')
    '"We stopped," said Mr Patel, "and they read it now."'
    >>> mend_quotation_marks("We stopped,” she said.")
    '“We stopped,” she said.'
    >>> mend_quotation_marks('He said "yes".')
    'He said "yes".'
    """
    text = text.strip()
    for opening, closing in (('"', '"'), ("“", "”")):
        if opening == closing:
            unbalanced = text.count(opening) % 2 == 1
        else:
            unbalanced = text.count(opening) != text.count(closing)
        if not unbalanced:
            continue
        if re.search(rf"\s{opening}$", text):  # a quotation that opens after the cut
            text = text[:-1].rstrip()
            continue
        first = min((i for i in (text.find(opening), text.find(closing)) if i >= 0), default=-1)
        if first > 0 and not text[first - 1].isspace():  # it closes what opened before
            text = opening + text
    return text


#: Fewer words than this make a poor exemplar (trial 28: "Honestly?" at 0.95 was the
#: report's quote for immediate value).
MIN_WORDS = 3


def exemplars(
    codes: pd.DataFrame,
    *,
    code: str | Sequence[str] | None = None,
    n: int = 3,
    polarity: Literal["positive", "negative", "any"] = "positive",
    max_chars: int = 240,
) -> pd.DataFrame:
    """Pick up to ``n`` quotes per code that show what the code means in members' words.

    Quotes come from distinct documents, most confident first, and shorter quotes win ties so a
    report stays readable; a quote longer than ``max_chars`` is cut at a word with an ellipsis.
    A quote of fewer than :data:`MIN_WORDS` words ("Honestly?") comes only after every longer
    one: it cannot show what a code means.

    Parameters
    ----------
    codes : DataFrame
        A ``codes`` frame.
    code : str or sequence of str, optional
        Only these codes (in this order); all codes by default, most frequent first.
    n : int
        Quotes per code.
    polarity : {"positive", "negative", "any"}
        Which codes to draw from: positive and neutral (default), negative only, or all.
    max_chars : int
        Longest quote kept whole.

    Returns
    -------
    DataFrame
        ``code, doc_id, field, quote, polarity, confidence``, one row per exemplar.

    Examples
    --------
    >>> import pandas as pd
    >>> codes = pd.DataFrame({
    ...     "doc_id": ["s1", "s1", "s2"], "field": ["practice"] * 3, "start": [0, 0, 0],
    ...     "end": [5, 5, 5], "quote": ["I tried it", "I tried it again", "We used it"],
    ...     "code": ["applied"] * 3, "coder": ["rules"] * 3, "confidence": [0.9, 0.9, 0.5]})
    >>> exemplars(codes, n=2)[["doc_id", "quote"]].to_dict("list")
    {'doc_id': ['s1', 's2'], 'quote': ['I tried it', 'We used it']}
    """
    frame = validate(codes, "codes")
    frame = frame[frame["quote"].notna()]
    signs = frame["polarity"].fillna(1)
    if polarity == "positive":
        frame = frame[signs >= 0]
    elif polarity == "negative":
        frame = frame[signs < 0]
    if code is None:
        order = frame["code"].value_counts().index.tolist()
    else:
        order = [code] if isinstance(code, str) else list(code)
    frame = frame.assign(
        _short=frame["quote"].str.count(r"\S+") < MIN_WORDS,
        _confidence=frame["confidence"].fillna(1.0),
        _length=frame["quote"].str.len(),
    ).sort_values(
        ["_short", "_confidence", "_length"], ascending=[True, False, True], kind="stable"
    )
    picked = []
    for name in order:
        chosen = frame[frame["code"] == name].drop_duplicates("doc_id").head(n)
        picked.append(chosen)
    columns = ["code", "doc_id", "field", "quote", "polarity", "confidence"]
    if not picked:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    out = pd.concat(picked, ignore_index=True)[columns]
    out["quote"] = [_shorten(q, max_chars) for q in out["quote"]]
    return out


def _shorten(text: str, max_chars: int) -> str:
    text = mend_quotation_marks(" ".join(str(text).split()))
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"
