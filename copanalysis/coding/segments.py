"""Cut frames into segments: one per prompt field, or one per sentence.

Texts are parsed in batches: a batch's texts are joined with a blank line into one spaCy
``Doc`` (whitespace never joins tokens, and every text starts a new sentence), so the
tokenizer, sentencizer and matcher run once per batch and the rest is array arithmetic.
The segmenter and the rule coder share this parser, so their sentence offsets agree.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, LOWER, ORTH, SENT_START
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from copanalysis.coding.documents import text_units
from copanalysis.coding.pipeline import make_nlp, pipeline_label
from copanalysis.schema import validate

__all__ = ["ParsedBatch", "Unit", "parse_batches", "segment", "sentences"]

Unit = Literal["sentence", "field"]
#: Joins a batch's texts into one Doc.
SEPARATOR = "\n\n"
#: Upper bound of characters per parsed Doc (spaCy's default ``max_length`` is 10**6).
MAX_CHARS = 200_000


@dataclass(frozen=True)
class ParsedBatch:
    """Texts parsed as one Doc, with per-token arrays (positions are Doc token indices).

    Attributes
    ----------
    doc : Doc
    text : str
        The joined text; ``text[starts[u]:starts[u] + len(texts[u])]`` is text ``u``.
    starts : ndarray of int
        Character offset of each text in ``text``.
    first_token : ndarray of int
        Index of each text's first token, with ``len(doc)`` appended.
    lower : ndarray of uint64
        Hash of each token's lower-case form (spaCy's ``LOWER``).
    idx, end : ndarray of int
        Character offsets of each token in ``text``.
    space : ndarray of bool
        Whitespace tokens.
    sentence_start : ndarray of bool
        Sentence starts: the pipeline's, each text's first token, and the token after a
        line break.
    """

    doc: Doc
    text: str
    starts: np.ndarray
    first_token: np.ndarray
    lower: np.ndarray
    idx: np.ndarray
    end: np.ndarray
    space: np.ndarray
    sentence_start: np.ndarray


def parse_batches(
    nlp: Language, texts: Sequence[str], *, max_chars: int = MAX_CHARS
) -> Iterator[tuple[int, ParsedBatch]]:
    """Parse ``texts`` in order, yielding ``(index of the first text, ParsedBatch)``.

    With a rule-only pipeline (the default) only the tokenizer runs: coding matches
    precompiled surface forms, so the lemmatizer is not needed, and sentence starts follow
    spaCy's ``sentencizer`` rule (its punctuation characters), computed on arrays. A trained
    pipeline runs whole and its sentence boundaries are used.
    """
    lo = 0
    while lo < len(texts):
        hi, size = lo, 0
        while hi < len(texts) and (hi == lo or size + len(texts[hi]) <= max_chars):
            size += len(texts[hi]) + len(SEPARATOR)
            hi += 1
        yield lo, _parse(nlp, texts[lo:hi])
        lo = hi


def member(values: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Whether each value is in the small sorted ``table`` (a binary search per value)."""
    if not len(table):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(table, values), len(table) - 1)
    return table[at] == values


def _punct_hashes(nlp: Language) -> np.ndarray:
    if "sentencizer" in nlp.pipe_names:
        chars = getattr(nlp.get_pipe("sentencizer"), "punct_chars", None)
        chars = chars or Sentencizer.default_punct_chars
    else:
        chars = Sentencizer.default_punct_chars
    return np.array(sorted({nlp.vocab.strings.add(c) for c in chars}), dtype=np.uint64)


def _parse(nlp: Language, texts: Sequence[str]) -> ParsedBatch:
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    starts = np.concatenate(([0], np.cumsum(lengths + len(SEPARATOR))[:-1]))
    text = SEPARATOR.join(texts)
    trained = pipeline_label(nlp) is not None
    doc = nlp(text) if trained else nlp.make_doc(text)
    n = len(doc)
    attrs = [ORTH, LOWER, IDX, LENGTH, IS_SPACE, IS_PUNCT, SENT_START]
    table = doc.to_array(attrs[: 7 if trained else 6]) if n else np.zeros((0, 7), np.uint64)
    orth, lower = table[:, 0], table[:, 1]
    numbers = table[:, 2:].astype(np.int64)
    idx, length = numbers[:, 0], numbers[:, 1]
    space = numbers[:, 2].astype(bool)
    if trained:
        sentence_start = numbers[:, 4] == 1
    else:
        sentence_start = _sentencizer_rule(
            member(orth, _punct_hashes(nlp)), numbers[:, 3].astype(bool)
        )
    first_token = np.searchsorted(idx, starts, side="left")
    sentence_start[first_token[first_token < n]] = True
    for i in np.flatnonzero(space).tolist():
        if i + 1 < n and "\n" in doc[i].text:
            sentence_start[i + 1] = True
    return ParsedBatch(
        doc=doc,
        text=text,
        starts=starts,
        first_token=np.append(first_token, n),
        lower=lower,
        idx=idx,
        end=idx + length,
        space=space,
        sentence_start=sentence_start,
    )


def _sentencizer_rule(period: np.ndarray, punct: np.ndarray) -> np.ndarray:
    """spaCy's ``Sentencizer`` on arrays: a sentence starts at the first token after a
    sentence-final character that is neither punctuation nor such a character.

    Examples
    --------
    >>> period = np.array([0, 0, 1, 0, 0, 1, 1, 0], dtype=bool)  # "We met . Then go ! ! ok"
    >>> punct = period.copy()
    >>> np.flatnonzero(_sentencizer_rule(period, punct)).tolist()
    [0, 3, 7]
    """
    n = len(period)
    starts = np.zeros(n, dtype=bool)
    if n == 0:
        return starts
    word = ~punct & ~period
    words = np.flatnonzero(word)
    before = np.concatenate(([0], np.cumsum(period)))  # periods in [0, k)
    previous = np.concatenate(([-1], words[:-1]))
    seen = before[words] - before[previous + 1] > 0
    starts[words[seen]] = True
    starts[0] = True
    return starts


def sentences(parsed: ParsedBatch) -> pd.DataFrame:
    """The sentences of a parsed batch, whitespace trimmed, whitespace-only ones left out.

    Returns
    -------
    DataFrame
        ``first``, ``stop`` (token range), ``unit`` (index of the text in the batch),
        ``start``, ``end`` (character offsets into that text).
    """
    n = len(parsed.idx)
    if n == 0:
        return pd.DataFrame({k: np.zeros(0, dtype=np.int64) for k in _SENTENCE_COLUMNS})
    first = np.flatnonzero(parsed.sentence_start)
    if first[0] != 0:
        first = np.concatenate(([0], first))
    stop = np.append(first[1:], n)
    big = np.iinfo(np.int64).max
    start_char = np.minimum.reduceat(np.where(parsed.space, big, parsed.idx), first)
    end_char = np.maximum.reduceat(np.where(parsed.space, -1, parsed.end), first)
    keep = end_char > start_char
    first, stop, start_char, end_char = first[keep], stop[keep], start_char[keep], end_char[keep]
    unit = np.searchsorted(parsed.first_token, first, side="right") - 1
    offset = parsed.starts[unit]
    return pd.DataFrame(
        {
            "first": first,
            "stop": stop,
            "unit": unit,
            "start": start_char - offset,
            "end": end_char - offset,
        }
    )


_SENTENCE_COLUMNS = ("first", "stop", "unit", "start", "end")


def segment(
    frame: pd.DataFrame, *, unit: Unit = "sentence", nlp: Language | None = None
) -> pd.DataFrame:
    """Cut the texts of ``frame`` into segments, with offsets into each field's text.

    Parameters
    ----------
    frame : DataFrame
        ``stories`` (one unit per prompt field and ``story``), ``items`` (doc_id is
        ``item_id``, field ``text``), ``roles`` (doc_id is the respondent, field the aspect;
        identical texts once), ``grid`` (doc_id is the respondent, field the cell such as
        ``members_short``), or a hand-built frame with an id column (``story_id``,
        ``item_id``, ``respondent``, ``doc_id`` or ``id``) and text columns.
    unit : {"sentence", "field"}
        One segment per sentence (spaCy's sentencizer, plus a break at each line break),
        or one per field.
    nlp : Language, optional
        The pipeline to split sentences with; default :func:`make_nlp`.

    Returns
    -------
    DataFrame
        The ``segments`` frame: ``doc_id``, ``field``, ``segment`` (0-based within the
        field), ``start``, ``end`` (code-point offsets into the field's text, whitespace
        trimmed) and ``text``.

    Examples
    --------
    >>> stories = pd.DataFrame({"story_id": ["s1"], "story": ["🎉 We met. We learnt."]})
    >>> segment(stories)[["segment", "start", "end", "text"]].values.tolist()
    [[0, 0, 9, '🎉 We met.'], [1, 10, 20, 'We learnt.']]
    >>> segment(stories, unit="field")["end"].tolist()
    [20]
    """
    units = text_units(frame)
    texts = units["text"].tolist()
    if unit == "field":
        segments = pd.DataFrame(
            {
                "doc_id": units["doc_id"],
                "field": units["field"],
                "segment": 0,
                "start": 0,
                "end": [len(t) for t in texts],
                "text": units["text"],
            }
        )
        return validate(segments, "segments")
    if unit != "sentence":
        raise ValueError(f"unit must be 'sentence' or 'field', got {unit!r}")
    nlp = make_nlp() if nlp is None else nlp
    parts = []
    for lo, parsed in parse_batches(nlp, texts):
        found = sentences(parsed)
        found["unit"] += lo
        parts.append(found)
    if not parts:
        return validate(
            pd.DataFrame(columns=["doc_id", "field", "segment", "start", "end", "text"]),
            "segments",
        )
    found = pd.concat(parts, ignore_index=True)
    rows = found["unit"].to_numpy()
    segments = pd.DataFrame(
        {
            "doc_id": units["doc_id"].to_numpy()[rows],
            "field": units["field"].to_numpy()[rows],
            "segment": found.groupby("unit").cumcount().to_numpy(),
            "start": found["start"].to_numpy(),
            "end": found["end"].to_numpy(),
            "text": [
                texts[u][a:b]
                for u, a, b in zip(
                    rows.tolist(), found["start"].tolist(), found["end"].tolist(), strict=True
                )
            ],
        }
    )
    return validate(segments, "segments")
