"""Compiled loops that cut a batch's text into spaCy's chunks and gather their tokens.

spaCy's tokenizer cuts a text at whitespace and tokenizes each whitespace-delimited chunk
on its own, from a cache keyed by the chunk's 64-bit hash. :mod:`copanalysis.coding.segments`
does the same for a whole batch at once: :func:`cut_chunks` finds the chunks and hashes them
in one pass over the text's code points, :func:`find_chunks` looks the hashes up in an
open-addressing table of the chunks seen before (:func:`insert_chunks` adds new ones),
:func:`cut_words` also finds the words of plain letters, one token each, and the words
with a mark after them, two (neither needs the cache), and :func:`gather_tokens` lays
out the tokens of every chunk, with the sentencizer's sentence starts, in one pass over
the tokens. The loops are compiled by numba (cached on disk after the first run), so no
step is a Python loop over characters or tokens.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = [
    "bit_filter",
    "crossing_candidates",
    "cut_chunks",
    "find_chunks",
    "gather_tokens",
    "cut_words",
    "insert_chunks",
    "new_table",
    "words_beside",
]

_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)
_EMPTY = np.uint64(0)
_NONE = np.zeros(0, dtype=np.uint64)


_MASK = np.uint64(0xFFFF)


_NO_BITS = np.zeros(0x10000, dtype=np.bool_)


def bit_filter(table: np.ndarray) -> np.ndarray:
    """A filter of 65,536 flags for a sorted ``table`` of hashes: the flags of their low
    16 bits are set (a value whose flag is unset is not in the table)."""
    bits = np.zeros(0x10000, dtype=np.bool_)
    bits[(table & np.uint64(0xFFFF)).astype(np.int64)] = True
    return bits


@njit(cache=True, nogil=True)
def _find(table: np.ndarray, bits: np.ndarray, value: np.uint64) -> int:
    """Position of ``value`` in the sorted ``table`` (filtered by ``bits``), or -1."""
    if not bits[np.int64(value & _MASK)]:
        return -1
    at = np.searchsorted(table, value)
    return int(at) if at < len(table) and table[at] == value else -1


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
    start, end, hashes, _, _ = _cut(points, is_space, False, _NO_WORDS, _NO_TAILS)
    return start, end, hashes


_M = np.uint64(0xC6A4A7935BD1E995)
_R = np.uint64(47)
_NO_WORDS = (_NONE, _NO_BITS, _NONE, _NO_BITS, _NONE)
_NO_TAILS = (np.full(128, -1, np.int64), np.zeros(0, np.bool_), _NONE, _NO_BITS, _NONE, _NO_BITS)


@njit(cache=True, nogil=True)
def cut_words(
    points: np.ndarray,
    is_space: np.ndarray,
    words: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    tails: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`cut_chunks`, and the chunks that are words of ASCII letters, alone or with
    one punctuation mark after them, found in the same one pass over the text.

    A word of letters that is no special case of the tokenizer is one token; a word and a
    mark (``"session,"``), when the mark is one of ``tails`` and neither is in a special
    case, are two (see ``segments._tails`` for when that holds).

    Parameters
    ----------
    points, is_space : ndarray
        As :func:`cut_chunks`.
    words : tuple of ndarray
        ``(rules, rule_bits, symbols, symbol_bits, symbol_ids)``: sorted hashes (as
        :func:`cut_chunks` makes them) of the words of letters that are special cases, and
        their :func:`bit_filter`; sorted hashes of the lower-case words that are spaCy
        symbols, their filter and their ids (spaCy gives "number" the id 432, not a hash).
    tails : tuple of ndarray
        ``(tail_of, lower_only, rules, rule_bits, pattern_words, pattern_bits)``: for each
        ASCII code point its mark's number (-1: none); per mark, whether the letter before
        it must be lower case; sorted hashes of the special cases that are a word and a
        mark, and of the words in special-case patterns, each with its filter.

    Returns
    -------
    start, end, hash : ndarray
        As :func:`cut_chunks`.
    lower : ndarray of uint64
        For a word, alone or before a mark, spaCy's id of its lower-case form (the
        ``LOWER`` of its token; MurmurHash64A with seed 1 of the UTF-8 bytes, except for
        spaCy's symbols); 0 for other chunks.
    tail : ndarray of int64
        The mark's number for a word with a mark, else -1.
    """
    return _cut(points, is_space, True, words, tails)


@njit(cache=True, nogil=True)
def _lower_hash(points: np.ndarray, a: int, b: int) -> np.uint64:
    """MurmurHash64A (seed 1) of the lower case of ASCII letters ``points[a:b]``."""
    h = np.uint64(1) ^ (np.uint64(b - a) * _M)
    block = np.uint64(0)
    shift = np.uint64(0)
    for j in range(a, b):
        block |= (np.uint64(points[j]) | np.uint64(32)) << shift
        shift += np.uint64(8)
        if shift == 64:
            block *= _M
            block ^= block >> _R
            block *= _M
            h ^= block
            h *= _M
            block = np.uint64(0)
            shift = np.uint64(0)
    if shift:
        h ^= block
        h *= _M
    h ^= h >> _R
    h *= _M
    h ^= h >> _R
    return h


@njit(cache=True, nogil=True)
def _cut(
    points: np.ndarray,
    is_space: np.ndarray,
    find_words: bool,
    words: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    tails: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rules, rule_bits, symbols, symbol_bits, symbol_ids = words
    tail_of, lower_only, tail_rules, tail_rule_bits, pattern_words, pattern_bits = tails
    n = len(points)
    last = np.int64(len(is_space) - 1)
    start = np.empty(n, dtype=np.int64)
    end = np.empty(n, dtype=np.int64)
    hashes = np.empty(n, dtype=np.uint64)
    size = n if find_words else 0
    lower = np.zeros(size, dtype=np.uint64)
    tail = np.full(size, -1, dtype=np.int64)
    k = 0
    i = 0
    while i < n:
        space = is_space[np.minimum(np.int64(points[i]), last)]
        a = i + 1 if space and i > 0 and points[i] == 32 else i
        h = _FNV_OFFSET
        before = h  # the hash without the last code point
        others = 0 if find_words and not space else 2  # code points other than letters
        j = i
        while j < n:  # one pass: the run's end, its hashes, what it is made of
            point = np.int64(points[j])
            if is_space[np.minimum(point, last)] != space:
                break
            if j >= a:
                before = h
                h = (h ^ np.uint64(point)) * _FNV_PRIME
            if others < 2 and (point < 65 or point > 122 or 90 < point < 97):
                others += 1 if j > a else 2  # a mark can only end a word
            j += 1
        if a < j:
            start[k] = a
            end[k] = j
            hashes[k] = h if h != _EMPTY else np.uint64(1)
            if others == 0 and _find(rules, rule_bits, hashes[k]) < 0:
                # a word: its LOWER id, from its bytes (just read: in the CPU's cache)
                lower[k] = _word_id(points, a, j, symbols, symbol_bits, symbol_ids)
            elif others == 1:
                word = before if before != _EMPTY else np.uint64(1)  # as hashes
                mark = np.int64(points[j - 1])
                r = tail_of[mark] if mark < 128 else -1
                if (
                    r >= 0
                    and (not lower_only[r] or 97 <= points[j - 2] <= 122)
                    and _find(tail_rules, tail_rule_bits, hashes[k]) < 0
                    and _find(rules, rule_bits, word) < 0
                    and _find(pattern_words, pattern_bits, word) < 0
                ):
                    lower[k] = _word_id(points, a, j - 1, symbols, symbol_bits, symbol_ids)
                    tail[k] = r
            k += 1
        i = j
    return start[:k], end[:k], hashes[:k], lower[:k], tail[:k]


@njit(cache=True, nogil=True)
def _word_id(
    points: np.ndarray,
    a: int,
    b: int,
    symbols: np.ndarray,
    symbol_bits: np.ndarray,
    symbol_ids: np.ndarray,
) -> np.uint64:
    """spaCy's id of the lower case of the ASCII letters ``points[a:b]``."""
    h = _lower_hash(points, a, b)
    at = _find(symbols, symbol_bits, h)
    return symbol_ids[at] if at >= 0 else h


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
    chunk_end: np.ndarray,
    chunk_lower: np.ndarray,
    n_tails: int,
    ptr: np.ndarray,
    start: np.ndarray,
    length: np.ndarray,
    lower: np.ndarray,
    space: np.ndarray,
    punct: np.ndarray,
    period: np.ndarray,
    newline: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The tokens of a sequence of chunks, in order.

    A chunk ``c >= n_tails`` is cached: ``ptr``, ``start``, ... are the cache's token
    columns (chunk ``c`` owns tokens ``ptr[c]:ptr[c + 1]``, ``start`` relative to the
    chunk). A chunk ``-1`` is one word, ``chunk_start[k]:chunk_end[k]`` with ``LOWER`` id
    ``chunk_lower[k]``. A chunk ``0 <= c < n_tails`` is a word (``chunk_lower[k]``) and a
    mark, the one token of cached chunk ``c``, which ends the chunk. Sentence starts
    follow spaCy's ``Sentencizer``: the first token, and the first token after a
    sentence-final character that is neither punctuation nor such a character.

    Returns
    -------
    lower, idx, end, space, newline, sentence_start : ndarray
    """
    total = 0
    for k in range(len(chunk)):
        c = chunk[k]
        total += 1 if c < 0 else ptr[c + 1] - ptr[c] + (c < n_tails)
    t_lower = np.empty(total, dtype=np.uint64)
    t_idx = np.empty(total, dtype=np.int64)
    t_end = np.empty(total, dtype=np.int64)
    t_space = np.zeros(total, dtype=np.bool_)
    t_newline = np.zeros(total, dtype=np.bool_)
    t_start = np.zeros(total, dtype=np.bool_)
    t = 0
    seen = False
    for k in range(len(chunk)):
        c = chunk[k]
        base = chunk_start[k]
        if c < n_tails:  # a word, alone or before a mark
            t_lower[t] = chunk_lower[k]
            t_idx[t] = base
            t_end[t] = chunk_end[k] if c < 0 else chunk_end[k] - 1
            t_start[t] = seen
            seen = False
            t += 1
            if c < 0:
                continue
            base = chunk_end[k] - 1  # the mark's token, as cached
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
def words_beside(
    chunk: np.ndarray, near_start: np.ndarray, near_end: np.ndarray, n_tails: int
) -> np.ndarray:
    """Positions of the words (``chunk`` -1) beside a cached chunk (``>= n_tails``) with a
    special case near their common boundary: ``near_start`` of the next chunk,
    ``near_end`` of the previous. (A word with a mark, ``0 <= chunk < n_tails``, starts no
    pattern a word could go on, see ``segments._tails``.)"""
    out = np.empty(len(chunk), dtype=np.int64)
    n = 0
    for k in range(len(chunk)):
        if chunk[k] >= 0:
            continue
        after = k + 1 < len(chunk) and chunk[k + 1] >= n_tails and near_start[chunk[k + 1]]
        before = k > 0 and chunk[k - 1] >= n_tails and near_end[chunk[k - 1]]
        if after or before:
            out[n] = k
            n += 1
    return out[:n]


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
    pattern (both classes set) with a special case near the boundary (-1: no chunk)."""
    out = np.empty(len(left), dtype=np.int64)
    n = 0
    for k in range(len(left)):
        a, b = left[k], right[k]
        if a < 0 or b < 0:  # a word that is no cached chunk
            continue
        if follows[a] >= 0 and begins[b] >= 0 and (near_end[a] or near_start[b]):
            out[n] = k
            n += 1
    return out[:n]
