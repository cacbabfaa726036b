"""Cut texts into sentences with spaCy: its tokenizer, its sentencizer, its token arrays.

A batch of texts is joined with a blank line into one text, so spaCy makes one ``Doc`` per
batch: its tokenizer cuts it (the blank line is a whitespace token of its own, so each text
gets the tokens it gets alone), the pipeline's ``sentencizer`` (or spaCy's default one) sets
the sentence starts, and ``Doc.to_array`` hands over the token columns. A trained pipeline
runs whole and its own sentence boundaries are used. Each text, and the token after a line
break, also starts a sentence, unless the break only wraps a line of prose (:func:`_wraps`);
an opening bracket or quote after a sentence's end starts the next one, which spaCy's
sentencizer would start after it (:func:`_openers_start`).
The segmenter and the rule coder share this parse.

spaCy's vocabulary keeps every word it has seen. So that coding a corpus batch by batch
holds memory flat, and leaves the pipeline's own vocabulary as it was, the batches are cut
by the pipeline's tokenizer copied onto a vocabulary of its own (``Tokenizer.to_bytes``),
copied afresh once it holds :data:`MAX_WORDS` words. ``LOWER`` ids, hashes, stay the same.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import spacy
from spacy.attrs import IDX, IS_LEFT_PUNCT, IS_SPACE, LENGTH, LOWER, SENT_START
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokenizer import Tokenizer

from copanalysis.coding.pipeline import make_nlp, pipeline_label
from copanalysis.frames import text_units
from copanalysis.io.embedding_cache import text_key
from copanalysis.io.sentence_cache import SentenceCache
from copanalysis.schema import validate

__all__ = ["ParsedBatch", "Unit", "parse_batches", "segment", "segment_units", "sentences"]

Unit = Literal["sentence", "field"]
#: Joins a batch's texts into one Doc.
SEPARATOR = "\n\n"
#: Upper bound of characters per parsed Doc (spaCy's default ``max_length`` is 10**6).
MAX_CHARS = 200_000
#: Words a copied tokenizer's vocabulary may hold before it is copied afresh.
MAX_WORDS = 200_000
_NEWLINE = re.compile("\n")
#: Characters a line must reach for a line break after it to be read as wrapping a sentence.
WRAPPED_LINE = 40
#: A list item's marker at the start of a line ("- ", "* ", "• ", "1. ", "2) "), followed by
#: the item's words on the same line. Its tokens count as whitespace, so a bulleted answer's
#: sentences, and the quotes made of them, start at the item's first word.
LIST_MARKER = re.compile(r"^[ \t]*(?:[-*+•◦▪‣–]|\d{1,3}[.)])(?=[ \t]+\S)", re.MULTILINE)


@dataclass(frozen=True)
class ParsedBatch:
    """Texts parsed as one joined text (``text[starts[u]:]`` begins text ``u``).

    Token columns (from ``Doc.to_array``): ``lower`` (``LOWER`` ids), ``idx`` and ``end``
    (character offsets in ``text``), ``space`` (whitespace tokens, and the tokens of a list
    marker: :data:`LIST_MARKER`) and ``sentence_start`` (the pipeline's, an opening bracket
    before one moved onto it, each text's first token, and the token after a line break
    that does not only wrap a line of prose).
    ``first_token`` is each text's first token, then the number of tokens; ``matches``
    ``(match_id, start, end)`` of a ``Matcher``, each within one text.
    """

    text: str
    starts: np.ndarray
    first_token: np.ndarray
    lower: np.ndarray
    idx: np.ndarray
    end: np.ndarray
    space: np.ndarray
    sentence_start: np.ndarray
    matches: tuple[np.ndarray, np.ndarray, np.ndarray]


def parse_batches(
    nlp: Language,
    texts: Sequence[str],
    *,
    max_chars: int = MAX_CHARS,
    matcher: Any = None,
) -> Iterator[tuple[int, ParsedBatch]]:
    """Parse ``texts`` in order, yielding ``(index of the first text, ParsedBatch)``.

    Texts are joined into Docs of at most ``max_chars`` characters (a longer text is a Doc
    of its own). With a rule-only pipeline (the default) only the tokenizer and the
    sentencizer run: the rule coder matches precompiled surface forms, so it needs no
    lemmas. With a ``matcher`` (spaCy's ``Matcher``, for a codebook's token patterns) or a
    trained pipeline, the whole pipeline runs, so patterns can use lemmas.
    """
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    # a batch ends before the text that would take it past max_chars (each text at least)
    before = np.concatenate(([0], np.cumsum(lengths + len(SEPARATOR))))
    reach = before[:-1] + lengths
    whole = matcher is not None or pipeline_label(nlp) is not None
    sentencizer = None if whole else _sentencizer(nlp)
    lo = 0
    while lo < len(texts):
        hi = max(lo + 1, int(np.searchsorted(reach, before[lo] + max_chars, side="right")))
        starts = before[lo:hi] - before[lo]
        text = SEPARATOR.join(texts[lo:hi])
        doc = nlp(text) if sentencizer is None else sentencizer(_tokenizer(nlp)(text))
        yield lo, _parsed(doc, text, starts, matcher)
        lo = hi


_COPIES: weakref.WeakKeyDictionary[Language, tuple[bytes, Any]] = weakref.WeakKeyDictionary()


def _tokenizer(nlp: Language) -> Any:
    """``nlp``'s tokenizer on a vocabulary of its own, copied afresh when it holds
    :data:`MAX_WORDS` words or ``nlp``'s tokenizer has changed since."""
    tokenizer = nlp.tokenizer
    if not isinstance(tokenizer, Tokenizer) or nlp.lang is None:  # custom: used as it is
        return tokenizer
    settings = tokenizer.to_bytes(exclude=["vocab"])
    held, copy = _COPIES.get(nlp, (b"", None))  # type: tuple[bytes, Any]
    if copy is None or held != settings or len(copy.vocab) > MAX_WORDS:
        copy = spacy.blank(nlp.lang).tokenizer
        copy.from_bytes(settings)
        _COPIES[nlp] = (settings, copy)
    return copy


def _sentencizer(nlp: Language) -> Any:
    """The pipeline's sentencizer, or spaCy's default one."""
    if "sentencizer" in nlp.pipe_names:
        return nlp.get_pipe("sentencizer")
    return Sentencizer()


def _parsed(doc: Any, text: str, starts: np.ndarray, matcher: Any) -> ParsedBatch:
    n = len(doc)
    table = doc.to_array([LOWER, IDX, LENGTH, IS_SPACE, SENT_START, IS_LEFT_PUNCT]).reshape(n, 6)
    numbers = table[:, 1:].astype(np.int64)  # SENT_START -1 (not a start) wraps in uint64
    idx, space = numbers[:, 0], numbers[:, 2] == 1
    space |= _in_list_markers(idx, idx + numbers[:, 1], text)
    # spaCy's starts, an opening bracket after a sentence's end moved onto the next one
    opening = numbers[:, 4] == 1
    sentence_start = _openers_start(numbers[:, 3] == 1, idx, idx + numbers[:, 1], space, opening)
    first_token = np.searchsorted(idx, starts, side="left")
    sentence_start[first_token[first_token < n]] = True
    # the token after a line break (only whitespace tokens hold one), unless the break
    # only wraps a line of prose
    breaks = np.array([m.start() for m in _NEWLINE.finditer(text)], dtype=np.int64)
    after = np.unique(np.searchsorted(idx, breaks, side="right"))
    after = after[after < n]
    sentence_start[[a for a in after.tolist() if not _wraps(text, idx, numbers[:, 1], a)]] = True
    rows = np.array(matcher(doc) if matcher is not None else [], dtype=np.uint64).reshape(-1, 3)
    ids, begin, stop = rows[:, 0], rows[:, 1].astype(np.int64), rows[:, 2].astype(np.int64)
    inside = np.searchsorted(first_token, begin, side="right") == np.searchsorted(
        first_token, stop - 1, side="right"
    )  # within one text
    return ParsedBatch(
        text=text,
        starts=starts,
        first_token=np.append(first_token, n),
        lower=table[:, 0],
        idx=idx,
        end=idx + numbers[:, 1],
        space=space,
        sentence_start=sentence_start,
        matches=(ids[inside], begin[inside], stop[inside]),
    )


def _openers_start(
    sentence_start: np.ndarray,
    idx: np.ndarray,
    end: np.ndarray,
    space: np.ndarray,
    left_punct: np.ndarray,
) -> np.ndarray:
    """The sentence starts with each opening bracket or quote that opens a sentence moved
    onto it: "... drop out. [Coach's note: ...] I found out" is cut before the "[", not after.

    spaCy's sentencizer keeps every punctuation token after a sentence's final mark in that
    sentence, so that a closing bracket or quote ('He said "go."') stays with it; an opening
    one (``IS_LEFT_PUNCT``) goes with it too. A run of such tokens written against the start
    that follows (no space between) and after a space (or at the first token) is the start
    of that sentence instead; one written against the mark before it ('"go."') is not.

    Examples
    --------
    >>> starts = np.array([1, 0, 0, 1, 0], dtype=bool)  # "Out. [Note] ...": [ | Note
    >>> idx, end = np.array([0, 3, 5, 6, 10]), np.array([3, 4, 6, 10, 11])
    >>> no = np.zeros(5, dtype=bool)
    >>> _openers_start(starts, idx, end, no, np.array([0, 0, 1, 0, 0], dtype=bool)).tolist()
    [True, False, True, False, False]
    """
    n = len(idx)
    glued = np.zeros(n, dtype=bool)
    glued[:-1] = end[:-1] == idx[1:]  # no space before the next token
    opener = left_punct & glued & ~space
    # for each token, where the run of openers that ends just before it begins
    positions = np.arange(n)
    last_other = np.maximum.accumulate(np.where(opener, -1, positions))
    first = np.append(0, last_other[:-1] + 1)
    moved = np.flatnonzero(sentence_start & (first < positions))
    runs = first[moved]
    after_space = (runs == 0) | space[runs - 1] | (end[runs - 1] < idx[runs])
    out = sentence_start.copy()
    out[moved[after_space]] = False
    out[runs[after_space]] = True
    return out


def _wraps(text: str, idx: np.ndarray, length: np.ndarray, token: int) -> bool:
    """Whether the line break just before ``token`` wraps a sentence over two lines (text
    copied from an e-mail or a PDF, a line break typed mid-sentence): a single line break
    after a line of at least :data:`WRAPPED_LINE` characters that ends in a word or a comma,
    before a word in lower case. A short line (a list item, a heading) keeps its break."""
    gap, word = token - 1, token - 2
    if word < 0 or not text[idx[token]].islower():
        return False
    line_end = int(idx[word] + length[word])
    return (
        text.count("\n", int(idx[gap]), int(idx[gap] + length[gap])) == 1
        and (text[line_end - 1].isalnum() or text[line_end - 1] in ",;")
        and line_end >= WRAPPED_LINE
        and text.rfind("\n", line_end - WRAPPED_LINE, line_end) == -1
    )


def _in_list_markers(idx: np.ndarray, end: np.ndarray, text: str) -> np.ndarray:
    """Whether each token (its ``idx`` and ``end`` in ``text``) lies within a list marker."""
    spans = np.array([m.span() for m in LIST_MARKER.finditer(text)], dtype=np.int64)
    if not len(spans):
        return np.zeros(len(idx), dtype=bool)
    # the last marker starting at or before each token; markers do not overlap
    k = np.searchsorted(spans[:, 0], idx, side="right") - 1
    return (k >= 0) & (end <= spans[np.maximum(k, 0), 1])


def sentences(parsed: ParsedBatch) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sentences of a parsed batch, whitespace trimmed, whitespace-only ones left out:
    each one's text (its index in the batch), and its start and end in that text."""
    if not len(parsed.idx):
        return (np.zeros(0, dtype=np.int64),) * 3
    first = np.flatnonzero(parsed.sentence_start)  # the first token is always a start
    start = np.minimum.reduceat(np.where(parsed.space, np.iinfo(np.int64).max, parsed.idx), first)
    end = np.maximum.reduceat(np.where(parsed.space, -1, parsed.end), first)
    keep = end > start
    unit = np.searchsorted(parsed.first_token, first[keep], side="right") - 1
    return unit, start[keep] - parsed.starts[unit], end[keep] - parsed.starts[unit]


def segment(
    frame: pd.DataFrame,
    *,
    unit: Unit = "sentence",
    nlp: Language | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Cut the texts of ``frame`` into segments, with offsets into each field's text.

    Parameters
    ----------
    frame : DataFrame
        ``stories`` (one unit per prompt field), ``items``, ``roles`` (a respondent's
        aspects), ``grid`` (a respondent's cells) or a hand-built frame with an id column
        and text columns: the units of :func:`~copanalysis.frames.text_units`.
    unit : {"sentence", "field"}
        One segment per sentence (spaCy's sentencizer, plus a break at each line break
        that does not only wrap a long line of prose), or one per field.
    nlp : Language, optional
        The pipeline to split sentences with; default :func:`make_nlp`.
    cache_dir : path-like, optional
        A folder where the default pipeline's sentences are kept
        (:class:`~copanalysis.io.sentence_cache.SentenceCache`), so that a text cut once
        is not cut again; ``None`` (the default) keeps nothing.

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
    return segment_units(text_units(frame), unit=unit, nlp=nlp, cache_dir=cache_dir)


def segments_of(
    frame: pd.DataFrame,
    *,
    unit: Unit = "sentence",
    segments: pd.DataFrame | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """``segments`` when given (cut beforehand), else :func:`segment` of ``frame``; the
    index numbered from 0 either way."""
    parts = segment(frame, unit=unit, cache_dir=cache_dir) if segments is None else segments
    return parts.reset_index(drop=True)


def segment_units(
    units: pd.DataFrame,
    *,
    unit: Unit = "sentence",
    nlp: Language | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """:func:`segment` of text units (``doc_id``, ``field``, ``text``, as from ``text_units``)."""
    texts = units["text"].tolist()
    if unit == "field":
        rows, start = np.arange(len(texts)), np.zeros(len(texts), dtype=np.int64)
        end = np.array([len(t) for t in texts], dtype=np.int64)
    elif unit == "sentence" and nlp is None and cache_dir is not None:
        rows, start, end = _cached_sentences(texts, SentenceCache(cache_dir, segmenter=_key()))
    elif unit == "sentence":
        rows, start, end = _sentences_of(make_nlp() if nlp is None else nlp, texts)
    else:
        raise ValueError(f"unit must be 'sentence' or 'field', got {unit!r}")
    segments = pd.DataFrame(
        {
            "doc_id": units["doc_id"].to_numpy()[rows],
            "field": units["field"].to_numpy()[rows],
            "segment": np.arange(len(rows)) - np.searchsorted(rows, rows),
            "start": start,
            "end": end,
            "text": [
                texts[u][a:b]
                for u, a, b in zip(rows.tolist(), start.tolist(), end.tolist(), strict=True)
            ],
        }
    )
    return validate(segments, "segments")


def _sentences_of(nlp: Language, texts: Sequence[str]) -> tuple[np.ndarray, ...]:
    """Each sentence's text (its index in ``texts``), start and end, in order."""
    found = [
        (rows + lo, start, end)
        for lo, parsed in parse_batches(nlp, texts)
        for rows, start, end in [sentences(parsed)]
    ]
    empty = [np.zeros(0, dtype=np.int64)]
    return tuple(np.concatenate([f[i] for f in found] or empty) for i in range(3))


def _cached_sentences(texts: Sequence[str], cache: SentenceCache) -> tuple[np.ndarray, ...]:
    """:func:`_sentences_of` the default pipeline, reading each text's sentences from
    ``cache`` and cutting (and caching) only the texts it does not hold."""
    keys = [text_key(text) for text in texts]
    bounds = cache.get(keys)
    # each text not held is cut once, however often the batch repeats it ("N/A" in every row)
    missing: dict[bytes, int] = {}
    for i, (key, held) in enumerate(zip(keys, bounds, strict=True)):
        if held is None:
            missing.setdefault(key, i)
    fresh: dict[bytes, np.ndarray] = {}
    if missing:
        rows, start, end = _sentences_of(make_nlp(), [texts[i] for i in missing.values()])
        cut = np.searchsorted(rows, np.arange(1, len(missing)))
        fresh = dict(zip(missing, np.split(np.column_stack([start, end]), cut), strict=True))
        cache.put(list(fresh), list(fresh.values()))
    found = [fresh[key] if held is None else held for key, held in zip(keys, bounds, strict=True)]
    counts = np.array([len(b) for b in found], dtype=np.int64)
    pairs = np.concatenate(found or [np.zeros((0, 2), np.int64)])
    return np.repeat(np.arange(len(texts)), counts), pairs[:, 0], pairs[:, 1]


@functools.cache
def _key() -> str:
    """A hash of what decides the default pipeline's sentences: this module, spaCy's
    version, the tokenizer's rules and the sentencizer's marks."""
    nlp = make_nlp()
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(spacy.__version__.encode())
    digest.update(_tokenizer(nlp).to_bytes(exclude=["vocab"]))
    digest.update("".join(sorted(_sentencizer(nlp).punct_chars)).encode())
    return digest.hexdigest()
