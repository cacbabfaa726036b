"""Cut frames into segments: one per prompt field, or one per sentence.

Texts are parsed in batches: a batch's texts are joined with a blank line into one text
(whitespace never joins tokens, and every text starts a new sentence) whose tokens are
spaCy's, gathered as arrays (:func:`scan_tokens`; no ``Doc`` is built for the default
pipeline): words of letters, alone or with a mark such as a comma after them, directly,
and every other whitespace-delimited chunk from a cache of its tokens, so the sentencizer
and matcher run once per batch as array arithmetic. :func:`parse_ahead` parses the next
batch in a worker thread while the caller codes the one before.
The segmenter and the rule coder share this parser, so their sentence offsets agree.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import numpy as np
import pandas as pd
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, LOWER, ORTH, SENT_START
from spacy.language import Language
from spacy.pipeline import Sentencizer

from copanalysis.coding.chunking import (
    bit_filter,
    crossing_candidates,
    cut_chunks,
    cut_words,
    find_chunks,
    gather_tokens,
    insert_chunks,
    new_table,
    words_beside,
)
from copanalysis.coding.documents import text_units
from copanalysis.coding.pipeline import make_nlp, pipeline_label
from copanalysis.schema import validate

__all__ = [
    "ParsedBatch",
    "Unit",
    "parse_ahead",
    "parse_batches",
    "scan_tokens",
    "segment",
    "sentences",
]

Unit = Literal["sentence", "field"]
#: Joins a batch's texts into one Doc.
SEPARATOR = "\n\n"
#: Upper bound of characters per parsed Doc (spaCy's default ``max_length`` is 10**6).
MAX_CHARS = 200_000


@dataclass(frozen=True)
class ParsedBatch:
    """Texts tokenized as one joined text, with per-token arrays (Doc token positions).

    Attributes
    ----------
    text : str
        The joined text; ``text[starts[u]:starts[u] + len(texts[u])]`` is text ``u``.
    starts : ndarray of int
        Character offset of each text in ``text``.
    first_token : ndarray of int
        Index of each text's first token, with the number of tokens appended.
    lower : ndarray of uint64
        Hash of each token's lower-case form (spaCy's ``LOWER``).
    idx, end : ndarray of int
        Character offsets of each token in ``text``.
    space : ndarray of bool
        Whitespace tokens.
    sentence_start : ndarray of bool
        Sentence starts: the pipeline's, each text's first token, and the token after a
        line break.
    utf8 : ndarray of int or None
        Byte offset in ``text.encode("utf-8")`` of each character (with the length
        appended), or ``None`` when the text is ASCII (byte and character offsets agree).
    """

    text: str
    starts: np.ndarray
    first_token: np.ndarray
    lower: np.ndarray
    idx: np.ndarray
    end: np.ndarray
    space: np.ndarray
    sentence_start: np.ndarray
    utf8: np.ndarray | None = None


def parse_batches(
    nlp: Language, texts: Sequence[str], *, max_chars: int = MAX_CHARS
) -> Iterator[tuple[int, ParsedBatch]]:
    """Parse ``texts`` in order, yielding ``(index of the first text, ParsedBatch)``.

    With a rule-only pipeline (the default) only the tokenizer is needed: coding matches
    precompiled surface forms, so the lemmatizer is not run, and sentence starts follow
    spaCy's ``sentencizer`` rule (its punctuation characters), computed on arrays. The
    tokens are spaCy's own, assembled without building a ``Doc`` (see
    :func:`scan_tokens`). A trained pipeline runs whole and its sentence boundaries are
    used. Nothing of a batch is kept once the next one is parsed.
    """
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    # a batch ends before the text that would take it past max_chars (each text at least)
    before = np.concatenate(([0], np.cumsum(lengths + len(SEPARATOR))))
    reach = before[:-1] + lengths
    lo = 0
    while lo < len(texts):
        hi = max(lo + 1, int(np.searchsorted(reach, before[lo] + max_chars, side="right")))
        yield lo, _parse(nlp, texts[lo:hi], lengths[lo:hi])
        lo = hi


T = TypeVar("T")


def parse_ahead(
    nlp: Language,
    batches: Iterable[T],
    texts: Callable[[T], Sequence[str]],
    *,
    thread: bool = True,
) -> Iterator[tuple[T, list[tuple[int, ParsedBatch]]]]:
    """Each batch with :func:`parse_batches` of its ``texts(batch)``, in order.

    With ``thread``, each batch after the first is parsed in a worker thread while the
    caller works on the one before (the compiled tokenizing loops release the GIL), so
    tokenizing and coding run side by side on two cores. One thread at a time parses, so
    one at a time touches the tokenizer's chunk cache; at most two batches are held. An
    error in parsing is raised here, from the batch that caused it.

    Examples
    --------
    >>> nlp = make_nlp()
    >>> [(b, [(len(p.starts), len(p.idx)) for _, p in parsed])
    ...  for b, parsed in parse_ahead(nlp, [["A.", "B."], ["C."]], list)]
    [(['A.', 'B.'], [(2, 3)]), (['C.'], [(1, 1)])]
    """

    def parse(batch: T) -> list[tuple[int, ParsedBatch]]:
        return list(parse_batches(nlp, texts(batch)))

    if not thread:
        for batch in batches:
            yield batch, parse(batch)
        return
    stream = iter(batches)
    for first in stream:  # the first batch here: nothing to overlap with yet
        done: tuple[T, Any] = (first, parse(first))
        break
    else:
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="copanalysis-parse") as pool:
        for batch in stream:
            ahead = (batch, pool.submit(parse, batch))
            yield done
            done = (ahead[0], ahead[1].result())
        yield done


def member(values: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Whether each value is in the small sorted ``table`` (a binary search per value)."""
    if not len(table):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(table, values), len(table) - 1)
    return table[at] == values


def _punct_chars(nlp: Language) -> frozenset[str]:
    chars = None
    if "sentencizer" in nlp.pipe_names:
        chars = getattr(nlp.get_pipe("sentencizer"), "punct_chars", None)
    return frozenset(chars or Sentencizer.default_punct_chars)


def _punct_hashes(nlp: Language) -> np.ndarray:
    return np.array(sorted({nlp.vocab.strings.add(c) for c in _punct_chars(nlp)}), dtype=np.uint64)


def _parse(nlp: Language, texts: Sequence[str], lengths: np.ndarray) -> ParsedBatch:
    starts = np.concatenate(([0], np.cumsum(lengths + len(SEPARATOR))[:-1]))
    text = SEPARATOR.join(texts)
    trained = pipeline_label(nlp) is not None
    tokens = None
    if not trained:
        # a second time if the cache was cleared midway (it then has room for the batch)
        tokens = scan_tokens(nlp, text, starts) or scan_tokens(nlp, text, starts)
    if tokens is None:
        tokens = _doc_tokens(nlp, text, trained=trained)
    n = len(tokens.idx)
    sentence_start = tokens.sentence_start
    first_token = np.searchsorted(tokens.idx, starts, side="left")
    sentence_start[first_token[first_token < n]] = True
    after_break = np.flatnonzero(tokens.newline[:-1]) + 1 if n else np.zeros(0, np.int64)
    sentence_start[after_break] = True
    return ParsedBatch(
        text=text,
        starts=starts,
        first_token=np.append(first_token, n),
        lower=tokens.lower,
        idx=tokens.idx,
        end=tokens.end,
        space=tokens.space,
        sentence_start=sentence_start,
        utf8=tokens.utf8,
    )


@dataclass(frozen=True)
class _Tokens:
    lower: np.ndarray
    idx: np.ndarray
    end: np.ndarray
    space: np.ndarray
    newline: np.ndarray  # whitespace tokens with a line break
    sentence_start: np.ndarray
    utf8: np.ndarray | None


def _doc_tokens(nlp: Language, text: str, *, trained: bool) -> _Tokens:
    """Tokens of ``text`` through a spaCy ``Doc`` (trained pipelines, and the fallback)."""
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
    newline = np.zeros(n, dtype=bool)
    for i in np.flatnonzero(space).tolist():
        newline[i] = "\n" in doc[i].text
    return _Tokens(lower, idx, idx + length, space, newline, sentence_start, _utf8_offsets(text))


def _utf8_offsets(text: str) -> np.ndarray | None:
    if text.isascii():
        return None
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return _utf8_from_points(points)


def _utf8_from_points(points: np.ndarray) -> np.ndarray:
    width = 1 + (points >= 0x80) + (points >= 0x800) + (points >= 0x10000)
    return np.concatenate(([0], np.cumsum(width, dtype=np.int64)))


#: Characters Python's ``str.isspace`` (and so spaCy's tokenizer) splits on.
_SPACE = np.zeros(0x3002, dtype=bool)
_SPACE[[c for c in range(len(_SPACE)) if chr(c).isspace()]] = True
_HAS_SPACE = re.compile(r"\s")
_LETTERS = re.compile(r"[A-Za-z]+")
_LOWER_WORD = re.compile(r"[a-z]+")
#: Chunks remembered per pipeline before the memory is cleared (keeps memory bounded).
MAX_CACHED_CHUNKS = 10_000
#: Words the cache's own tokenizer learns before it starts afresh (its only memory).
MAX_TOKENIZER_WORDS = 5_000


class _ChunkCache:
    """spaCy's tokens of each distinct whitespace-delimited chunk, as flat arrays.

    spaCy's tokenizer cuts a text at whitespace (a single space after a word is not a
    token) and tokenizes each chunk on its own, from its own cache; the one step that
    looks across chunks is the special-case matcher (see :class:`_Specials`: where it
    could change tokens, :func:`scan_tokens` lets spaCy tokenize that text whole).
    """

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.period_hashes = _punct_hashes(nlp)
        self.specials = _special_patterns(nlp)
        self.words_alone = _words_alone(nlp)
        # spaCy's own ids (not hashes) of the lower-case words that are its symbols
        from spacy.strings import hash_string  # type: ignore[attr-defined]
        from spacy.symbols import IDS

        symbols = sorted((hash_string(w), i) for w, i in IDS.items() if _LOWER_WORD.fullmatch(w))
        symbol_hashes = np.array([h for h, _ in symbols], dtype=np.uint64)
        # the special cases of ASCII letters only (not one token each)
        rules = _chunk_hashes(
            r for r in getattr(nlp.tokenizer, "rules", None) or {} if _LETTERS.fullmatch(r)
        )
        # the tables cut_words finds words and words with a mark by
        self.words = (
            rules,
            bit_filter(rules),
            symbol_hashes,
            bit_filter(symbol_hashes),
            np.array([i for _, i in symbols], dtype=np.uint64),
        )
        self.marks, self.tails = _tails(nlp, self.specials, words_alone=self.words_alone)
        self.lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        self.cleared = getattr(self, "cleared", -1) + 1  # ids handed out before are void
        # a fresh vocabulary too: its lexemes are the only memory the tokenizer keeps
        self.tokenizer = _light_tokenizer(self.nlp)
        self.table = new_table(1024)  # chunk hash -> id (see chunk_ids)
        self.hashed = 0  # entries in the table
        self.ids: dict[bytes, int] = {}
        self.ptr = np.zeros(1, dtype=np.int64)
        empty_i, empty_u = np.zeros(0, np.int64), np.zeros(0, np.uint64)
        empty_b = np.zeros(0, bool)
        self.start, self.length, self.lower = empty_i, empty_i, empty_u
        self.space, self.punct, self.period_, self.newline = (empty_b,) * 4
        # per chunk: could end / start a special-case pattern that crosses into the next
        # / previous chunk and hide a special case there (see _Specials)
        self.classes: dict[frozenset[tuple[int, int]], int] = {}  # sets of pattern cuts
        self.follows = self.begins = np.zeros(0, np.int64)  # per chunk: class or -1
        self.near_end = self.near_start = empty_b
        self.size = 0  # entries: the marks' (ids 0, 1, ...), then the chunks'
        self._add_marks()

    def _add_marks(self) -> None:
        """An entry per mark a word may end with (:func:`_tails`), ids 0, 1, ...: its token.

        For the crossing test a word with the mark is a chunk that ends with the mark
        and starts no pattern (its word is in none), with a special case near either end.
        """
        n = len(self.marks)
        if not n:
            return
        sp = self.specials
        tokens = [
            self._tokens(self.tokenizer("word" + m), np.array([0]), np.array([5]))
            for m in self.marks
        ]
        self.size = n
        self.ptr = np.arange(n + 1, dtype=np.int64)
        # each mark's own token: the last of "word<mark>"
        columns = [np.concatenate([t[i][-1:] for t in tokens]) for i in range(1, 8)]
        self.start = np.zeros(n, dtype=np.int64)
        self.length, self.lower = columns[1], columns[2]
        self.space, self.punct, self.period_, self.newline = columns[3:7]
        follows = []
        for m in self.marks:
            cuts = sp.ends.get(m, frozenset()) | sp.middles.get(m, (frozenset(), frozenset()))[0]
            follows.append(self.classes.setdefault(cuts, len(self.classes)) if cuts else -1)
        self.follows = np.array(follows, dtype=np.int64)
        self.begins = np.full(n, -1, dtype=np.int64)
        self.near_end = self.near_start = np.ones(n, dtype=bool)

    def lookup(self, chunks: list[bytes]) -> np.ndarray:
        """Ids of ``chunks`` (byte strings), tokenizing the new ones with spaCy (clearing
        the cache first when they would take it past :data:`MAX_CACHED_CHUNKS`)."""
        if self.size + len(chunks) > MAX_CACHED_CHUNKS:
            self.clear()
        ids = self.ids
        new = list(dict.fromkeys(c for c in chunks if c not in ids))
        if new:
            self._add(new)
        return np.fromiter((ids[c] for c in chunks), dtype=np.int64, count=len(chunks))

    def chunk_ids(
        self, text: str, start: np.ndarray, end: np.ndarray, hashes: np.ndarray
    ) -> np.ndarray:
        """Ids of the chunks ``text[start:end]`` known by their hashes (:func:`cut_chunks`).

        A hash not seen before is resolved through :meth:`lookup` (tokenizing the chunk if
        it is new) and remembered. Like spaCy's own tokenizer cache, chunks are known by
        their 64-bit hashes.
        """
        while True:
            cleared = self.cleared
            keys, values = self.table
            ids = find_chunks(keys, values, hashes)
            missing = np.flatnonzero(ids < 0)
            if not len(missing):
                return ids
            new, first = np.unique(hashes[missing], return_index=True)
            where = missing[first]
            chunks = [
                text[a:b].encode("utf-8", "surrogatepass")
                for a, b in zip(start[where].tolist(), end[where].tolist(), strict=True)
            ]
            found = self.lookup(chunks)
            if self.cleared != cleared and len(missing) < len(ids):
                continue  # the ids found in the table before are void: all again
            keys, values = self.table  # (a clear made a new one)
            if 2 * (self.hashed + len(new)) > len(keys):
                size = len(keys)
                while 2 * (self.hashed + len(new)) > size:
                    size *= 2
                old = keys != 0
                self.table = new_table(size)
                insert_chunks(*self.table, keys[old], values[old])
            insert_chunks(*self.table, new, found)
            self.hashed += len(new)
            ids[missing] = found[np.searchsorted(new, hashes[missing])]
            return ids

    def _edges(self, text: str) -> tuple[int, int, bool, bool]:
        """The pattern cuts a chunk can be left of and right of (as class ids, -1 for
        none), and whether a special case is near its end and near its start."""
        sp = self.specials
        # a chunk of letters and digits holds no special case when none is letters and digits
        plain = not sp.alnum and text.isalnum()
        size = len(text)
        ends, starts = sp.ends, sp.starts
        tails = [ends[t] for n in sp.end_lengths if n <= size and (t := text[-n:]) in ends]
        heads = [starts[h] for n in sp.start_lengths if n <= size and (h := text[:n]) in starts]
        if text in sp.middles:
            tails.append(sp.middles[text][0])
            heads.append(sp.middles[text][1])
        follows = frozenset().union(*tails) if tails else frozenset()
        begins = frozenset().union(*heads) if heads else frozenset()
        return (
            self.classes.setdefault(follows, len(self.classes)) if follows else -1,
            self.classes.setdefault(begins, len(self.classes)) if begins else -1,
            not plain and sp.rules.search(text[-sp.reach :]) is not None,
            not plain and sp.rules.search(text[: sp.reach]) is not None,
        )

    def crossing(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Boundaries (left chunk, right chunk) a special-case pattern may cross, hiding a
        special case near them."""
        maybe = crossing_candidates(
            left, right, self.follows, self.begins, self.near_end, self.near_start
        )
        if not len(maybe):
            return maybe
        a, b = self.follows[left[maybe]], self.begins[right[maybe]]
        pairs, inverse = np.unique(a * (len(self.classes) + 1) + b, return_inverse=True)
        sets = {v: k for k, v in self.classes.items()}
        width = len(self.classes) + 1
        meets = np.array([bool(sets[p // width] & sets[p % width]) for p in pairs.tolist()])
        return maybe[meets[inverse]]

    def _add(self, chunks: list[bytes]) -> None:
        """Tokenize new chunks with spaCy and append their tokens' columns.

        Chunks without whitespace tokenize the same alone or side by side, one space
        apart, where no special-case pattern may cross from one into the next (the test of
        :meth:`crossing`, see :class:`_Specials`): those are tokenized together, as one
        text, and the others alone.
        """
        texts = [c.decode("utf-8", "surrogatepass") for c in chunks]
        base = self.size
        for chunk in chunks:
            self.ids[chunk] = self.size
            self.size += 1
        flag = np.array([self._edges(t) for t in texts], dtype=np.int64).reshape(-1, 4)
        self.follows = np.concatenate((self.follows, flag[:, 0]))
        self.begins = np.concatenate((self.begins, flag[:, 1]))
        self.near_end = np.concatenate((self.near_end, flag[:, 2].astype(bool)))
        self.near_start = np.concatenate((self.near_start, flag[:, 3].astype(bool)))
        # side by side: chunks without whitespace, no two of which a pattern may cross
        together = np.array(
            [k for k, t in enumerate(texts) if t and not _HAS_SPACE.search(t)], dtype=np.int64
        )
        while len(together) > 1:
            risky = self.crossing(base + together[:-1], base + together[1:])
            if not len(risky):
                break
            together = np.setdiff1d(together, np.union1d(together[risky], together[risky + 1]))
        alone = np.ones(len(chunks), dtype=bool)
        alone[together] = False
        if len(self.tokenizer.vocab) > MAX_TOKENIZER_WORDS:
            # the tokens kept are arrays: the lexemes of the chunks tokenized before can go
            self.tokenizer = _light_tokenizer(self.nlp)
        tokenizer = self.tokenizer
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        tokens = [
            self._tokens(tokenizer(texts[k]), np.array([k]), lengths[[k]])
            for k in np.flatnonzero(alone).tolist()
        ]
        if len(together):
            text = " ".join([texts[k] for k in together.tolist()])
            tokens.append(self._tokens(tokenizer(text), together, lengths[together]))
        # the new tokens, chunk after chunk
        owner = np.concatenate([t[0] for t in tokens]) if tokens else np.zeros(0, np.int64)
        order = np.argsort(owner, kind="stable")
        counts = np.bincount(owner, minlength=len(chunks))
        self.ptr = np.concatenate((self.ptr, self.ptr[-1] + np.cumsum(counts)))
        if not len(owner):
            return
        columns = [np.concatenate([t[i] for t in tokens])[order] for i in range(1, 8)]
        start, length, lower, space, punct, period, newline = columns
        self.start = np.concatenate((self.start, start))
        self.length = np.concatenate((self.length, length))
        self.lower = np.concatenate((self.lower, lower))
        self.space = np.concatenate((self.space, space))
        self.punct = np.concatenate((self.punct, punct))
        self.period_ = np.concatenate((self.period_, period))
        self.newline = np.concatenate((self.newline, newline))

    def _tokens(self, doc: Any, chunks: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, ...]:
        """Columns of the tokens of ``doc``: the text of ``chunks`` (positions among the new
        chunks, ``lengths`` code points long) joined with single spaces. The first column is
        each token's chunk."""
        n = len(doc)
        if not n:
            empty = np.zeros(0, dtype=np.int64)
            return (empty,) * 3 + (np.zeros(0, np.uint64),) + (np.zeros(0, bool),) * 4
        table = doc.to_array([IDX, LENGTH, LOWER, ORTH, IS_SPACE, IS_PUNCT])
        idx, length = table[:, 0].astype(np.int64), table[:, 1].astype(np.int64)
        space = table[:, 4].astype(bool)
        newline = np.zeros(n, dtype=bool)
        for i in np.flatnonzero(space).tolist():
            newline[i] = "\n" in doc[i].text
        # each chunk's offset in the joined text, and so each token's chunk
        first = np.zeros(len(chunks), dtype=np.int64)
        first[1:] = np.cumsum(lengths + 1)[:-1]
        within = np.searchsorted(first, idx, side="right") - 1
        start = idx - first[within]
        return (
            chunks[within],
            start,
            length,
            table[:, 2],
            space,
            table[:, 5].astype(bool),
            member(table[:, 3], self.period_hashes),
            newline,
        )


@dataclass(frozen=True)
class _Specials:
    """What the tokenizer's special-case matcher could do across a chunk boundary.

    The matcher (spaCy's ``_apply_special_cases``) looks for its special cases' token
    patterns across the whole text, then retokenizes a match whose text is a special case.
    Inside a chunk it does exactly what it does to the chunk alone. A match across chunks
    has whitespace in its text, so it changes nothing itself, but it can hide an
    overlapping match inside one of the chunks that would. A pattern is cut at a boundary
    after its ``i``-th token: the left chunk ends with the pattern's first ``i`` tokens
    (``ends``), the right one starts with the rest (``starts``), or a chunk is a middle
    piece (``middles``); and a special case must be near that boundary (``rules``,
    within ``reach`` characters).
    """

    rules: re.Pattern[str]
    ends: dict[str, frozenset[tuple[int, int]]]
    starts: dict[str, frozenset[tuple[int, int]]]
    middles: dict[str, tuple[frozenset[tuple[int, int]], frozenset[tuple[int, int]]]]
    end_lengths: tuple[int, ...]
    start_lengths: tuple[int, ...]
    reach: int
    alnum: bool  # whether a special case in ``rules`` is letters and digits only
    patterns: tuple[tuple[str, ...], ...]  # each pattern's tokens


def _special_patterns(nlp: Language) -> _Specials:
    from collections import defaultdict

    t: Any = nlp.tokenizer
    bare = _tokenizer_like(nlp, nlp.vocab, rules={})
    rules: list[str] = []
    patterns: list[tuple[str, ...]] = []
    ends: dict[str, set[tuple[int, int]]] = defaultdict(set)
    starts: dict[str, set[tuple[int, int]]] = defaultdict(set)
    middles: dict[str, tuple[set[tuple[int, int]], set[tuple[int, int]]]] = defaultdict(
        lambda: (set(), set())
    )
    for rule in t.rules:
        if (
            not t.faster_heuristics
            or t.find_prefix(rule)
            or t.find_infix(rule)
            or t.find_suffix(rule)
            or " " in rule
        ):
            rules.append(rule)
            words = [tok.text for tok in bare(rule)]
            patterns.append(tuple(words))
            p = len(rules)
            for i in range(1, len(words)):
                ends["".join(words[:i])].add((p, i))
                starts["".join(words[i:])].add((p, i))
                for j in range(1, i):
                    follows, begins = middles["".join(words[j:i])]
                    follows.add((p, i))
                    begins.add((p, j))
    return _Specials(
        rules=re.compile("|".join(map(re.escape, sorted(rules, key=len, reverse=True))) or "(?!)"),
        ends={k: frozenset(v) for k, v in ends.items()},
        starts={k: frozenset(v) for k, v in starts.items()},
        middles={k: (frozenset(f), frozenset(b)) for k, (f, b) in middles.items()},
        end_lengths=tuple(sorted({len(k) for k in ends})),
        start_lengths=tuple(sorted({len(k) for k in starts})),
        reach=2 * max((len(r) for r in rules), default=0),
        alnum=any(r.isalnum() for r in rules),
        patterns=tuple(patterns),
    )


def _words_alone(nlp: Language) -> bool:
    """Whether a chunk of ASCII letters that is no special case is one token of its own.

    True for spaCy's English tokenizer (its prefixes, suffixes and infixes all need a
    character other than a letter; ``python -m benchmarks.tokens`` checks the 629,177
    letters-only words of spaCy's English lexeme table and 150,000 random strings of
    letters, none split; the tests check a sample), so such chunks need no tokenizer and
    no cache. Any other tokenizer
    settings: False.
    """
    from spacy.lang.en import English
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    t: Any = nlp.tokenizer
    d: Any = English.Defaults

    def pattern(f: Any) -> str | None:
        return getattr(getattr(f, "__self__", None), "pattern", None)

    return (
        pattern(t.prefix_search) == compile_prefix_regex(d.prefixes).pattern
        and pattern(t.suffix_search) == compile_suffix_regex(d.suffixes).pattern
        and pattern(t.infix_finditer) == compile_infix_regex(d.infixes).pattern
        and t.token_match is None
        and pattern(t.url_match) == pattern(d.url_match)
    )


#: Marks a word of letters may end with and be cut as the word and the mark (see _tails).
MARKS = ",.!?;:"


_TailTables = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _chunk_hashes(words: Iterable[str]) -> np.ndarray:
    """Sorted distinct hashes of ASCII ``words`` (no whitespace), as :func:`cut_chunks`
    hashes a chunk."""
    hashes = [cut_chunks(np.frombuffer(w.encode("ascii"), np.uint8), _SPACE)[2][0] for w in words]
    return np.unique(np.array(hashes, dtype=np.uint64))


def _tails(nlp: Language, specials: _Specials, *, words_alone: bool) -> tuple[str, _TailTables]:
    """The marks (of :data:`MARKS`) that a chunk of a word of ASCII letters and one mark is
    cut into as the word and the mark, and the tables :func:`cut_words` checks them with.

    With spaCy's English affixes (:func:`_words_alone`) a word and one of these marks are
    two tokens, except before a period after an upper-case letter ("I." is one token) and
    where the chunk or the word is a special case: ``python -m benchmarks.tokens`` checks
    the chunks :func:`cut_words` takes so against spaCy on all 629,177 letters-only words of
    spaCy's English lexeme table and 150,000 random strings of letters, with each mark (the
    tests check a sample). Such a chunk needs no tokenizer and no cache if no
    special case can reach across it: its word is in no pattern of the special-case
    matcher (checked per chunk), and no pattern starts with the mark and goes on with a
    word (else the mark is left out here: ":" and ";" start emoticons such as ":P").
    Without ``words_alone`` (other affixes) no mark is taken.
    """
    t: Any = nlp.tokenizer
    rules = getattr(t, "rules", None) or {}
    marks = "".join(
        m
        for m in MARKS
        if words_alone
        and m not in rules
        and not any(
            len(q) > 1 and q[0] == m and _LETTERS.fullmatch(q[1]) for q in specials.patterns
        )
    )
    tail_of = np.full(128, -1, dtype=np.int64)
    tail_of[[ord(m) for m in marks]] = np.arange(len(marks))
    # a period stays on a word whose last letter is upper case ("I.", "aB."): not cut here
    lower_only = np.array(
        [[tok.text for tok in t("xQ" + m)] != ["xQ", m] for m in marks], dtype=np.bool_
    )
    tail_rules = _chunk_hashes(
        r for r in rules if marks and re.fullmatch(f"[A-Za-z]+[{re.escape(marks)}]", r)
    )
    pattern_words = _chunk_hashes(w for q in specials.patterns for w in q if _LETTERS.fullmatch(w))
    return marks, (
        tail_of,
        lower_only,
        tail_rules,
        bit_filter(tail_rules),
        pattern_words,
        bit_filter(pattern_words),
    )


def _light_tokenizer(nlp: Language) -> Any:
    """``nlp``'s tokenizer on a vocabulary that computes only the attributes the cache keeps.

    Tokens are cut by the tokenizer's rules, affixes and matchers alone, so they are the
    same; a new word's lexeme gets its lower-case form and punctuation and space flags from
    ``nlp``'s own getters, not its twenty-odd attributes (spaCy's main cost on new words).
    """
    from spacy.attrs import IS_PUNCT, IS_SPACE, LOWER
    from spacy.vocab import Vocab

    getters: Any = getattr(nlp.vocab, "lex_attr_getters")  # noqa: B009 (not in the stubs)
    vocab = Vocab(lex_attr_getters={a: getters[a] for a in (LOWER, IS_PUNCT, IS_SPACE)})
    return _tokenizer_like(nlp, vocab, rules=getattr(nlp.tokenizer, "rules", None))


def _tokenizer_like(nlp: Language, vocab: Any, *, rules: Any) -> Any:
    """A tokenizer on ``vocab`` with ``nlp``'s affixes, matchers and heuristics and ``rules``."""
    from spacy.tokenizer import Tokenizer

    t: Any = nlp.tokenizer
    return Tokenizer(
        vocab,
        rules=rules,
        prefix_search=t.prefix_search,
        suffix_search=t.suffix_search,
        infix_finditer=t.infix_finditer,
        token_match=t.token_match,
        url_match=t.url_match,
        faster_heuristics=t.faster_heuristics,
    )


_CACHES: dict[int, tuple[Language, _ChunkCache]] = {}
_CACHES_LOCK = threading.Lock()


def _chunk_cache(nlp: Language) -> _ChunkCache | None:
    """The chunk cache of ``nlp``, or ``None`` when its tokenizer is not spaCy's own."""
    from spacy.tokenizer import Tokenizer

    if type(nlp.tokenizer) is not Tokenizer:
        return None
    with _CACHES_LOCK:
        held = _CACHES.get(id(nlp))
        if held is None or held[0] is not nlp:
            if len(_CACHES) >= 8:
                _CACHES.clear()
            held = (nlp, _ChunkCache(nlp))
            _CACHES[id(nlp)] = held
    return held[1]


def _whole_texts(
    cache: _ChunkCache,
    text: str,
    starts: np.ndarray,
    span_start: np.ndarray,
    span_end: np.ndarray,
    crossing: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """Each text that has a ``crossing`` boundary, as one chunk, whole.

    spaCy tokenizes such a text as a whole (special cases and all), and its tokens are
    used for it. Returns which chunks stay, and the whole texts' starts, ends and chunk
    ids; ``None`` when looking the texts up cleared the cache (the ids are void).
    """
    ends = np.append(starts[1:] - len(SEPARATOR), len(text))
    unit = np.searchsorted(starts, span_start, side="right") - 1
    inside = span_end <= ends[unit]
    whole = np.zeros(len(span_start), dtype=bool)
    extra_start, extra_end, extra_text = [], [], []
    for u in np.unique(unit[crossing]).tolist():
        members = np.flatnonzero((unit == u) & inside)
        a, b = int(span_start[members[0]]), int(span_end[members[-1]])
        whole[members] = True
        extra_start.append(a)
        extra_end.append(b)
        extra_text.append(text[a:b].encode("utf-8", "surrogatepass"))
    cleared = cache.cleared
    extra = cache.lookup(extra_text)
    if cache.cleared != cleared:
        return None
    return ~whole, np.array(extra_start, np.int64), np.array(extra_end, np.int64), extra


def _merge_chunks(
    keep: np.ndarray, columns: list[np.ndarray], extra: list[np.ndarray]
) -> list[np.ndarray]:
    """``columns`` (the first: chunk starts) without the chunks not kept, with ``extra``
    rows added, in order of start."""
    merged = [
        np.concatenate((c[keep], e.astype(c.dtype))) for c, e in zip(columns, extra, strict=True)
    ]
    order = np.argsort(merged[0], kind="stable")
    return [m[order] for m in merged]


def scan_tokens(nlp: Language, text: str, starts: np.ndarray | None = None) -> _Tokens | None:
    """spaCy's tokens of ``text`` (a batch's texts joined), without building a ``Doc``.

    spaCy's tokenizer cuts a text at whitespace and tokenizes each chunk on its own; so
    does this, with compiled loops (:mod:`copanalysis.coding.chunking`): one pass over the
    code points cuts and hashes the chunks, a word of letters is one token (when that
    holds for the tokenizer, see :func:`_words_alone`) and a word with a mark after it
    two (see :func:`_tails`), every other chunk's tokens are
    looked up in the chunk cache (tokenized by spaCy when new), and one pass over the
    tokens lays them out. A text where a special case of the tokenizer could reach across
    two chunks (``starts`` are the texts' offsets) is tokenized by spaCy whole.

    Returns ``None`` for a custom tokenizer (use a ``Doc``), without ``starts`` where a
    special case may cross chunks, or when the cache was cleared midway (try again).
    """
    cache = _chunk_cache(nlp)
    if cache is None:
        return None
    with cache.lock:  # one thread at a time reads and grows a pipeline's cache
        return _scan(cache, text, starts)


def _scan(cache: _ChunkCache, text: str, starts: np.ndarray | None) -> _Tokens | None:
    if text.isascii():
        points, utf8 = np.frombuffer(text.encode("ascii"), dtype=np.uint8), None
    else:
        points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        utf8 = _utf8_from_points(points)
    if cache.words_alone:
        start, end, hashes, letters, tail = cut_words(points, _SPACE, cache.words, cache.tails)
    else:
        start, end, hashes = cut_chunks(points, _SPACE)
        letters = np.zeros(len(start), dtype=np.uint64)
        tail = np.full(len(start), -1, dtype=np.int64)
    n_tails = len(cache.marks)
    # a word of letters is its own token (no cache) unless a special case, and a word and
    # a mark are the two (the mark's entry); a word is looked up when beside a chunk with a
    # special case near it, whose crossing test needs the word's pattern cuts
    chunk = tail.copy()
    bound = np.flatnonzero(letters == 0)
    while True:
        cleared = cache.cleared
        chunk[bound] = cache.chunk_ids(text, start[bound], end[bound], hashes[bound])
        beside = words_beside(chunk, cache.near_start, cache.near_end, n_tails)
        if not len(beside):
            break
        chunk[beside] = cache.chunk_ids(text, start[beside], end[beside], hashes[beside])
        if cache.cleared == cleared:
            break
        bound = np.flatnonzero(chunk >= n_tails)  # the ids found first are void: all again
    letters[chunk >= n_tails] = 0
    crossing = cache.crossing(chunk[:-1], chunk[1:])
    if len(crossing):
        if starts is None:
            return None
        spliced = _whole_texts(cache, text, starts, start, end, crossing)
        if spliced is None:
            return None
        keep, extra_start, extra_end, extra = spliced
        start, end, chunk, letters = _merge_chunks(
            keep,
            [start, end, chunk, letters],
            [extra_start, extra_end, extra, np.zeros(len(extra), np.uint64)],
        )
    lower, idx, tok_end, space, newline, sentence_start = gather_tokens(
        chunk,
        start,
        end,
        letters,
        n_tails,
        cache.ptr,
        cache.start,
        cache.length,
        cache.lower,
        cache.space,
        cache.punct,
        cache.period_,
        cache.newline,
    )
    return _Tokens(lower, idx, tok_end, space, newline, sentence_start, utf8)


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
    return segment_units(text_units(frame), unit=unit, nlp=nlp)


def segment_units(
    units: pd.DataFrame, *, unit: Unit = "sentence", nlp: Language | None = None
) -> pd.DataFrame:
    """:func:`segment` of text units (``doc_id``, ``field``, ``text``, as from ``text_units``)."""
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
