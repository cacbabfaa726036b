"""Compiled loops that cut a batch's text into spaCy's chunks and gather their tokens.

spaCy's tokenizer cuts a text at whitespace and tokenizes each whitespace-delimited chunk
on its own, from a cache keyed by the chunk's 64-bit hash. :mod:`copanalysis.coding.segments`
does the same for a whole batch at once: :func:`cut_chunks` finds the chunks and hashes them
in one pass over the text's code points, :func:`find_chunks` looks the hashes up in an
open-addressing table of the chunks seen before (:func:`insert_chunks` adds new ones), and
:func:`gather_tokens` lays out the cached tokens of every chunk, with the sentencizer's
sentence starts, in one pass over the tokens. The loops are compiled by numba (cached on
disk after the first run), so no step is a Python loop over characters or tokens.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = [
    "crossing_candidates",
    "cut_chunks",
    "find_chunks",
    "gather_tokens",
    "insert_chunks",
    "new_table",
]

_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)
_EMPTY = np.uint64(0)


@njit(cache=True, nogil=True)
def cut_chunks(
    points: np.ndarray, is_space: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The chunks of a text, as spaCy's tokenizer cuts them, with a hash of each.

    Runs of whitespace (``is_space[min(code point, len(is_space) - 1)]``) and of other
    characters alternate; a run of whitespace that follows a word and starts with a space
    loses that space (spaCy's ``spacy`` flag), and is no chunk when nothing is left.

    Parameters
    ----------
    points : ndarray of uint8 or uint32
        The text's code points (bytes when it is ASCII).
    is_space : ndarray of bool
        Whether each code point is whitespace (``str.isspace``); code points past its end
        are not.

    Returns
    -------
    start, end : ndarray of int64
        Each chunk's code-point offsets.
    hash : ndarray of uint64
        FNV-1a hash of each chunk's code points (never 0).
    """
    n = len(points)
    last = np.int64(len(is_space) - 1)
    start = np.empty(n, dtype=np.int64)
    end = np.empty(n, dtype=np.int64)
    hashes = np.empty(n, dtype=np.uint64)
    k = 0
    i = 0
    while i < n:
        space = is_space[np.minimum(np.int64(points[i]), last)]
        a = i + 1 if space and i > 0 and points[i] == 32 else i
        h = _FNV_OFFSET
        j = i
        while j < n:  # one pass: the run's end and its hash
            point = np.int64(points[j])
            if is_space[np.minimum(point, last)] != space:
                break
            if j >= a:
                h = (h ^ np.uint64(point)) * _FNV_PRIME
            j += 1
        if a < j:
            start[k] = a
            end[k] = j
            hashes[k] = h if h != _EMPTY else np.uint64(1)
            k += 1
        i = j
    return start[:k], end[:k], hashes[:k]


def new_table(size: int) -> tuple[np.ndarray, np.ndarray]:
    """An empty open-addressing table of ``size`` slots (a power of two): keys and values."""
    return np.zeros(size, dtype=np.uint64), np.full(size, -1, dtype=np.int64)


@njit(cache=True, nogil=True)
def _slot(h: np.uint64, mask: int) -> np.int64:
    return np.int64((h ^ (h >> np.uint64(29))) & np.uint64(mask))


@njit(cache=True, nogil=True)
def insert_chunks(
    keys: np.ndarray, values: np.ndarray, hashes: np.ndarray, ids: np.ndarray
) -> None:
    """Put ``hashes -> ids`` into the table (kept at most half full by the caller)."""
    mask = len(keys) - 1
    for i in range(len(hashes)):
        h = hashes[i]
        slot = _slot(h, mask)
        while keys[slot] != _EMPTY and keys[slot] != h:
            slot = (slot + 1) & mask
        keys[slot] = h
        values[slot] = ids[i]


@njit(cache=True, nogil=True)
def find_chunks(keys: np.ndarray, values: np.ndarray, hashes: np.ndarray) -> np.ndarray:
    """The id stored for each hash, or -1."""
    mask = len(keys) - 1
    out = np.empty(len(hashes), dtype=np.int64)
    for i in range(len(hashes)):
        h = hashes[i]
        slot = _slot(h, mask)
        while True:
            key = keys[slot]
            if key == h:
                out[i] = values[slot]
                break
            if key == _EMPTY:
                out[i] = -1
                break
            slot = (slot + 1) & mask
    return out


@njit(cache=True, nogil=True)
def gather_tokens(
    chunk: np.ndarray,
    chunk_start: np.ndarray,
    ptr: np.ndarray,
    start: np.ndarray,
    length: np.ndarray,
    lower: np.ndarray,
    space: np.ndarray,
    punct: np.ndarray,
    period: np.ndarray,
    newline: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The tokens of a sequence of cached chunks, in order.

    ``ptr``, ``start``, ... are the cache's token columns (chunk ``c`` owns tokens
    ``ptr[c]:ptr[c + 1]``, ``start`` relative to the chunk). Sentence starts follow spaCy's
    ``Sentencizer``: the first token, and the first token after a sentence-final character
    that is neither punctuation nor such a character.

    Returns
    -------
    lower, idx, end, space, newline, sentence_start : ndarray
    """
    total = 0
    for k in range(len(chunk)):
        total += ptr[chunk[k] + 1] - ptr[chunk[k]]
    t_lower = np.empty(total, dtype=np.uint64)
    t_idx = np.empty(total, dtype=np.int64)
    t_end = np.empty(total, dtype=np.int64)
    t_space = np.empty(total, dtype=np.bool_)
    t_newline = np.empty(total, dtype=np.bool_)
    t_start = np.zeros(total, dtype=np.bool_)
    t = 0
    seen = False
    for k in range(len(chunk)):
        c = chunk[k]
        base = chunk_start[k]
        for j in range(ptr[c], ptr[c + 1]):
            t_lower[t] = lower[j]
            t_idx[t] = base + start[j]
            t_end[t] = base + start[j] + length[j]
            t_space[t] = space[j]
            t_newline[t] = newline[j]
            if not punct[j] and not period[j]:
                t_start[t] = seen
                seen = False
            elif period[j]:
                seen = True
            t += 1
    if total:
        t_start[0] = True
    return t_lower, t_idx, t_end, t_space, t_newline, t_start


@njit(cache=True, nogil=True)
def crossing_candidates(
    left: np.ndarray,
    right: np.ndarray,
    follows: np.ndarray,
    begins: np.ndarray,
    near_end: np.ndarray,
    near_start: np.ndarray,
) -> np.ndarray:
    """Positions ``k`` where chunk ``left[k]`` may end and ``right[k]`` begin a cut special-case
    pattern (both classes set) with a special case near the boundary."""
    out = np.empty(len(left), dtype=np.int64)
    n = 0
    for k in range(len(left)):
        a, b = left[k], right[k]
        if follows[a] >= 0 and begins[b] >= 0 and (near_end[a] or near_start[b]):
            out[n] = k
            n += 1
    return out[:n]
