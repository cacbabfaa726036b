"""The rule coder's engine: match compiled cues in a parsed batch, with array arithmetic.

Every cue word is compiled into its single-token surface forms, each known by the hash
spaCy gives its lower-case text (the ``LOWER`` attribute). Finding the cue words of a batch
is then one probe per token of a hash table of those forms (:func:`look_up`): the same
result as a ``PhraseMatcher(attr="LOWER")`` over one-token patterns, far faster, because it
runs on the whole batch at once. Multi-word cues are assembled in one compiled pass over
the candidate matches; everything after that works on numpy arrays: negation and polarity
scopes, field priors, grouping per segment and code, and parent codes. No Python string is
built per row: evidence strings are written in one compiled pass from byte pieces (the
batch text's UTF-8 bytes and the codebook's fixed pieces), and quotes are cut from the
batch text as arrow strings (:func:`text_slices`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numba import njit
from spacy.language import Language

from copanalysis.codebooks.codebook import Codebook
from copanalysis.coding.cues import CLAUSE_BREAKS, CompiledCodebook
from copanalysis.coding.segments import ParsedBatch, member

__all__ = [
    "MAX_GAP",
    "NEGATION_WINDOW",
    "MatchTables",
    "WordIndex",
    "build_tables",
    "code_batch",
    "field_rows",
    "look_up",
    "text_slices",
    "word_index",
]

#: Tokens allowed between the words of a multi-word cue ("shared *our* experiences").
MAX_GAP = 2
#: Tokens allowed between a negator and the cue it negates ("not *really* learn").
NEGATION_WINDOW = 3
#: Confidence of a cue by its number of words (three or more: ``MULTI``).
SPECIFICITY = {1: 0.55, 2: 0.70}
MULTI = 0.80
#: Factor per extra code that shares a cue.
SHARED = 0.75
#: Confidence lost per token between a multi-word cue's words.
GAP_COST = 0.03
#: Confidence gained when the code lists the field, lost when another code does.
FIELD_BONUS = 0.20
FIELD_COST = 0.15
_ROLES = ("code", "negator", "pseudo", "positive", "negative")
#: The ends of evidence strings that need no text: plain, and the list kind's sign.
_NOTES = ('"', '", listed as enabler', '", listed as challenge')
#: Pieces between evidence strings' parts: a negator's note, its end, and a join.
_NEGATED, _END, _SEPARATOR = '", negated by "', '"', " | "


@dataclass(frozen=True)
class MatchTables:
    """A compiled codebook as arrays (built once, in ``fit``)."""

    form_hash: np.ndarray  # sorted LOWER hashes of the cue words' surface forms
    form_words: np.ndarray  # (forms + 1, most words of a form) word ids, -1 padded; last row -1
    break_hash: np.ndarray  # sorted LOWER hashes of clause-breaking tokens
    words: WordIndex  # the two above as one hash table
    cue_len: np.ndarray
    cue_words: np.ndarray  # (n_cues, longest) word ids, -1 padded
    cue_role: np.ndarray  # index into _ROLES
    cue_text: tuple[str, ...]
    cue_base: np.ndarray  # specificity x sharing
    first_ptr: np.ndarray  # CSR: form -> cues starting with one of its words
    first_cue: np.ndarray
    code_ptr: np.ndarray  # CSR: cue -> codes
    code_idx: np.ndarray
    parent: np.ndarray  # per code: index of its codable parent or -1
    codes: tuple[str, ...]
    code_names: pa.StringArray  # ``codes`` as an arrow array (rows take their names from it)
    field_row: dict[str, int]  # field -> row of field_prior
    field_prior: np.ndarray  # (known fields + 1, codes) confidence shift; last row zeros
    pieces: np.ndarray  # UTF-8 bytes of the evidence strings' fixed pieces (see _pieces)
    piece_ptr: np.ndarray  # where each piece starts in ``pieces``, with the end appended


def build_tables(book: Codebook, compiled: CompiledCodebook, nlp: Language) -> MatchTables:
    """Turn a compiled codebook into arrays; hashes come from ``nlp``'s string store.

    A surface form the tokenizer splits ("no's") cannot equal one token and is left out.
    """
    words_of: dict[int, tuple[int, ...]] = {}
    for form, word_ids in compiled.forms.items():
        if len(nlp.make_doc(form)) == 1:
            words_of[nlp.vocab.strings.add(form.lower())] = word_ids
    form_hash = np.array(sorted(words_of), dtype=np.uint64)
    word_lists = [words_of[h] for h in form_hash.tolist()]
    form_words = np.full(
        (len(word_lists) + 1, max((len(w) for w in word_lists), default=1)), -1, dtype=np.int64
    )
    for row, ids in enumerate(word_lists):
        form_words[row, : len(ids)] = ids
    codes = tuple(c.code for c in book.codes if getattr(c, "codable", True))
    code_index = {c: i for i, c in enumerate(codes)}
    n_cues = len(compiled.cues)
    longest = max((len(w) for w in compiled.cue_words), default=1)
    cue_words = np.full((n_cues, longest), -1, dtype=np.int64)
    for i, ids in enumerate(compiled.cue_words):
        cue_words[i, : len(ids)] = ids
    cue_len = np.array([len(w) for w in compiled.cue_words], dtype=np.int64)
    n_codes_of = np.array([max(len(c.codes), 1) for c in compiled.cues], dtype=np.int64)
    base = np.array([SPECIFICITY.get(int(n), MULTI) for n in cue_len]) * SHARED ** (n_codes_of - 1)
    first_ptr, first_cue = _csr(
        [[c for w in ids for c in compiled.first_word.get(w, ())] for ids in word_lists]
    )
    code_ptr, code_idx = _csr([[code_index[c] for c in cue.codes] for cue in compiled.cues])
    parents = np.full(len(codes), -1, dtype=np.int64)
    for c in book.codes:
        if c.code in code_index and c.parent in code_index:
            parents[code_index[c.code]] = code_index[c.parent]
    known = sorted({f for c in book.codes for f in c.fields})
    prior = np.zeros((len(known) + 1, len(codes)))
    for row, f in enumerate(known):
        for c in book.codes:
            if c.code in code_index:
                prior[row, code_index[c.code]] = FIELD_BONUS if f in c.fields else -FIELD_COST
    breaks = np.array(sorted({nlp.vocab.strings.add(b) for b in CLAUSE_BREAKS}), dtype=np.uint64)
    return MatchTables(
        form_hash=form_hash,
        form_words=form_words,
        break_hash=breaks,
        words=word_index(form_hash, breaks),
        cue_len=cue_len,
        cue_words=cue_words,
        cue_role=np.array([_ROLES.index(c.role) for c in compiled.cues], dtype=np.int64),
        cue_text=tuple(c.text for c in compiled.cues),
        cue_base=base,
        first_ptr=first_ptr,
        first_cue=first_cue,
        code_ptr=code_ptr,
        code_idx=code_idx,
        parent=parents,
        codes=codes,
        code_names=pa.array(codes, type=pa.string()),
        field_row={f: i for i, f in enumerate(known)},
        field_prior=prior,
        **_pieces([c.text for c in compiled.cues], codes),
    )


@dataclass(frozen=True)
class WordIndex:
    """Cue word forms and clause breaks by ``LOWER`` hash: an open table of hash bits.

    ``slot[h & mask]`` is the entry a hash may be: 0 for none (entry 0 matches nothing),
    -1 when several entries share the slot (then a binary search decides).
    """

    mask: np.uint64
    slot: np.ndarray  # int32 per slot: entry, 0 none, -1 several
    hash: np.ndarray  # per entry (entry 0: none), then sorted
    form: np.ndarray  # per entry: index in form_hash, or -1
    is_break: np.ndarray  # per entry


def word_index(form_hash: np.ndarray, break_hash: np.ndarray) -> WordIndex:
    """Index the sorted ``form_hash`` and ``break_hash`` for :func:`look_up`."""
    keys = np.union1d(form_hash, break_hash).astype(np.uint64)
    size = 1 << max(10, int(64 * len(keys)).bit_length())
    mask = np.uint64(size - 1)
    slot = np.zeros(size, dtype=np.int32)
    at = (keys & mask).astype(np.intp)
    taken = np.bincount(at, minlength=size)
    slot[at] = np.arange(1, len(keys) + 1, dtype=np.int32)
    slot[taken > 1] = -1
    form = np.full(len(keys) + 1, -1, dtype=np.int64)
    is_form = member(keys, form_hash)
    form[1:][is_form] = np.searchsorted(form_hash, keys[is_form])
    return WordIndex(
        mask=mask,
        slot=slot,
        hash=np.append(np.uint64(0), keys),
        form=form,
        is_break=np.append(False, member(keys, break_hash)),
    )


def look_up(lower: np.ndarray, index: WordIndex) -> tuple[np.ndarray, np.ndarray]:
    """Each token's cue word form (index in ``form_hash``, -1 none) and whether it breaks
    a clause: a hash-table probe per token (the same as binary searches in the tables).

    Examples
    --------
    >>> forms = np.array([3, 7, 2**40 + 3], dtype=np.uint64)  # 3 and 2**40 + 3 share a slot
    >>> index = word_index(forms, np.array([5, 7], dtype=np.uint64))
    >>> form, breaks = look_up(np.array([7, 2**40 + 3, 4, 5, 3, 0], dtype=np.uint64), index)
    >>> form.tolist(), breaks.tolist()
    ([1, 2, -1, -1, 0, -1], [True, False, False, True, False, False])
    """
    return _look_up(lower, index.mask, index.slot, index.hash, index.form, index.is_break)  # type: ignore[no-any-return]


@njit(cache=True, nogil=True)
def _look_up(
    lower: np.ndarray,
    mask: np.uint64,
    slot: np.ndarray,
    hashes: np.ndarray,
    forms: np.ndarray,
    breaks: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    n, n_keys = len(lower), len(hashes) - 1
    form = np.full(n, -1, dtype=np.int64)
    is_break = np.zeros(n, dtype=np.bool_)
    for i in range(n):
        h = lower[i]
        entry = int(slot[h & mask])
        if entry < 0:  # several entries share the slot: binary search
            lo, hi = 1, n_keys + 1
            while lo < hi:
                mid = (lo + hi) // 2
                if hashes[mid] < h:
                    lo = mid + 1
                else:
                    hi = mid
            entry = lo if lo <= n_keys and hashes[lo] == h else 0
        if hashes[entry] == h:
            form[i] = forms[entry]
            is_break[i] = breaks[entry]
    return form, is_break


def _pieces(cues: list[str], codes: tuple[str, ...]) -> dict[str, np.ndarray]:
    """The fixed pieces of evidence strings as one UTF-8 byte pool, in this order: per cue
    its head ``cue "<cue>" <- "``; the notes (:data:`_NOTES`, then per cue
    ``", polarity cue "<cue>"``); per code `` (via <code>)``; then :data:`_NEGATED`,
    :data:`_END` and :data:`_SEPARATOR`. :func:`_evidence` finds them by these positions.
    """
    texts = [
        *(f'cue "{c}" <- "' for c in cues),
        *_NOTES,
        *(f'", polarity cue "{c}"' for c in cues),
        *(f" (via {c})" for c in codes),
        _NEGATED,
        _END,
        _SEPARATOR,
    ]
    encoded = [t.encode("utf-8") for t in texts]
    ptr = np.zeros(len(encoded) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(e) for e in encoded])
    return {"pieces": np.frombuffer(b"".join(encoded), dtype=np.uint8), "piece_ptr": ptr}


def _csr(lists: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    ptr = np.zeros(len(lists) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(x) for x in lists])
    flat = np.array([v for x in lists for v in x], dtype=np.int64)
    return ptr, flat


def _expand(ptr: np.ndarray, flat: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each key, each value of its CSR row: (position of the key, value)."""
    counts = ptr[keys + 1] - ptr[keys]
    owner = np.repeat(np.arange(len(keys)), counts)
    within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, flat[ptr[keys][owner] + within]


@dataclass(frozen=True)
class BatchCodes:
    """Coded rows of one batch (``unit`` is the text's index within the batch)."""

    unit: np.ndarray
    start: np.ndarray
    end: np.ndarray
    code: np.ndarray
    polarity: np.ndarray
    confidence: np.ndarray
    evidence: pa.StringArray
    quote: pa.StringArray  # the distinct quotes
    quote_index: np.ndarray  # per row, its quote


def code_batch(
    parsed: ParsedBatch,
    tables: MatchTables,
    *,
    fields: np.ndarray,
    kinds: np.ndarray,
    by_sentence: bool,
    parents: bool,
) -> BatchCodes:
    """Code one parsed batch.

    Parameters
    ----------
    parsed : ParsedBatch
    tables : MatchTables
    fields : ndarray of int
        Each text's field as its row of the field priors (:func:`field_rows`).
    kinds : ndarray of int
        Each text's list kind as a sign: +1 enabler, -1 challenge, 0 none.
    by_sentence : bool
        Quote the sentence (else the whole field).
    parents : bool
        Add parent codes of sub-codes that fired.
    """
    n_tok = len(parsed.idx)
    if not n_tok or not len(tables.form_hash):
        return _empty_batch()
    form, breaker = look_up(parsed.lower, tables.words)
    token = np.flatnonzero(form >= 0)
    if not len(token):
        return _empty_batch()
    clause = np.cumsum(breaker | parsed.space | parsed.sentence_start)

    cue, start, end, gap = _assemble(form, token, clause, tables)
    role = tables.cue_role[cue]
    pseudo = member(start, np.unique(start[role == _ROLES.index("pseudo")]))
    is_neg = (role == _ROLES.index("negator")) & ~pseudo
    is_sign = (role >= _ROLES.index("positive")) & ~pseudo
    is_code = role == _ROLES.index("code")
    if not is_code.any():
        return _empty_batch()

    # negation: the nearest negator ending before the cue, close and in the same clause
    n_start, n_end = start[is_neg], end[is_neg]
    order = np.argsort(n_end, kind="stable")
    n_start, n_end = n_start[order], n_end[order]
    c_cue, c_start, c_end, c_gap = cue[is_code], start[is_code], end[is_code], gap[is_code]
    j = np.searchsorted(n_end, c_start, side="right") - 1
    jj = np.maximum(j, 0)
    negated = (
        (
            (j >= 0)
            & (c_start - n_end[jj] <= NEGATION_WINDOW)
            & (clause[np.minimum(n_end[jj], n_tok) - 1] == clause[c_start])
        )
        if len(n_end)
        else np.zeros(len(c_start), dtype=bool)
    )

    # polarity cues in the same clause: the nearest decides; a tie of opposite signs gives 0
    sign, sign_cue = _clause_signs(
        c_start, c_end, start[is_sign], end[is_sign], cue[is_sign], clause, tables
    )
    unit = np.searchsorted(parsed.first_token, c_start, side="right") - 1
    kind = kinds[unit]
    polarity = np.where(negated, -1, np.where(sign_cue >= 0, sign, np.where(kind != 0, kind, 1)))

    # each cue match's evidence, as pieces: its cue's head, the words, the note (a fixed
    # piece, or for a negated match the negator's words between two fixed pieces)
    n_cues = len(tables.cue_len)
    note = np.where(kind > 0, 1, np.where(kind < 0, 2, 0))
    note = n_cues + np.where(sign_cue >= 0, len(_NOTES) + sign_cue, note)
    note[negated] = -1
    idx, tok_end = _byte_offsets(parsed)
    negator = np.where(negated, j, 0)
    pieces = (
        c_cue,
        idx[c_start],
        tok_end[c_end - 1],
        note,
        idx[n_start[negator]] if len(n_start) else negator,
        tok_end[n_end[negator] - 1] if len(n_end) else negator,
    )

    # segments: the sentence (ids unique in the batch) or the field
    first = np.flatnonzero(parsed.sentence_start)
    c_seg = np.searchsorted(first, c_start, side="right") - 1 if by_sentence else unit

    # one row per (match, code); a match inside a longer match of the same code is dropped
    # (both lie in one clause, so in one segment): rows by segment, code, start, longest first
    n_codes = len(tables.codes)
    owner, code = _expand(tables.code_ptr, tables.code_idx, c_cue)
    group = c_seg[owner] * n_codes + code
    r_start, r_end = c_start[owner], c_end[owner]
    longest = tables.cue_words.shape[1] * (MAX_GAP + 1) + 1  # longer than any match
    order = np.argsort(
        (group * (n_tok + 1) + r_start) * longest + longest - 1 - (r_end - r_start),
        kind="stable",
    )
    owner, code, group, r_end = owner[order], code[order], group[order], r_end[order]
    big = n_tok + 1
    running = np.maximum.accumulate(group * big + r_end)
    inside = np.zeros(len(code), dtype=bool)
    inside[1:] = running[:-1] >= group[1:] * big + r_end[1:]
    owner, code = owner[~inside], code[~inside]
    row_unit = unit[owner]
    prior = tables.field_prior[fields[row_unit], code]
    confidence = np.clip(
        tables.cue_base[c_cue[owner]] - GAP_COST * c_gap[owner] + prior, 0.05, 0.99
    )
    segment = c_seg[owner]
    order, heads, rows = _group(
        segment, code, polarity[owner], confidence, row_unit, n_codes=n_codes
    )
    items = (owner[order], np.append(heads, len(order)))
    if parents:
        rows, items = _add_parents(rows, items, tables)
    seg, code, pol, conf, r_unit = rows
    # offsets: the sentence's non-space tokens, or the whole text (span_*: in the batch text)
    offset = parsed.starts[r_unit]
    if by_sentence:
        solid = np.flatnonzero(~parsed.space)  # every segment has one: its cue
        stop = np.append(first, n_tok)
        span_start = parsed.idx[solid[np.searchsorted(solid, first[seg])]]
        span_end = parsed.end[solid[np.searchsorted(solid, stop[seg + 1]) - 1]]
    else:
        lengths = np.diff(np.append(parsed.starts, len(parsed.text) + 2)) - 2
        span_start, span_end = offset, offset + lengths[r_unit]
    # rows by text, start, code and polarity (+1, 0, -1); texts follow each other in the batch
    order = np.argsort((span_start * len(tables.codes) + code) * 3 + 1 - pol, kind="stable")
    data = parsed.text.encode("utf-8")
    ev = _evidence(data, tables, pieces, items, n_base=len(heads), code=code, order=order)
    r_unit, span_start, span_end = r_unit[order], span_start[order], span_end[order]
    code, pol, conf = code[order], pol[order], conf[order]
    offset = offset[order]
    s_start, s_end = span_start - offset, span_end - offset
    # one quote string per run of rows with the same span; rows point at it
    new = np.ones(len(span_start), dtype=bool)
    new[1:] = (span_start[1:] != span_start[:-1]) | (span_end[1:] != span_end[:-1])
    quote_index = np.cumsum(new) - 1
    heads = np.flatnonzero(new)
    quote = text_slices(data, *_to_bytes(parsed, span_start[heads], span_end[heads]))
    return BatchCodes(r_unit, s_start, s_end, code, pol, np.round(conf, 3), ev, quote, quote_index)


def field_rows(tables: MatchTables, fields: pa.Array) -> np.ndarray:
    """Each field's row of ``tables.field_prior`` (the last row for a field no code lists).

    Examples
    --------
    >>> from copanalysis.codebooks import Code, Codebook
    >>> from copanalysis.coding.cues import compile_codebook
    >>> from copanalysis.coding.pipeline import make_nlp
    >>> book = Codebook("demo", "1", (
    ...     Code("applied", "Applied", cues=("apply",), fields=("practice",)),
    ...     Code("realized", "Realized", cues=("save",), fields=("organization",)),
    ... ))
    >>> nlp = make_nlp()
    >>> tables = build_tables(book, compile_codebook(book, lambda p: p.split()), nlp)
    >>> field_rows(tables, pa.array(["practice", "story", None, "organization"])).tolist()
    [1, 2, 2, 0]
    """
    known = pa.array(list(tables.field_row), type=pa.string())
    rows = pc.index_in(fields, value_set=known).fill_null(len(known))
    return rows.to_numpy(zero_copy_only=False).astype(np.int64)


def text_slices(data: bytes, start: np.ndarray, end: np.ndarray) -> pa.StringArray:
    """The strings ``data[start[i]:end[i]]`` (UTF-8 byte ranges) as one arrow array.

    Examples
    --------
    >>> data = "café au lait".encode("utf-8")
    >>> text_slices(data, np.array([0, 6]), np.array([5, 8])).to_pylist()
    ['café', 'au']
    >>> text_slices(data, np.array([6, 0, 0]), np.array([13, 3, 0])).to_pylist()
    ['au lait', 'caf', '']
    """
    offsets, values = _gather(
        np.frombuffer(data, dtype=np.uint8),
        np.asarray(start, dtype=np.int64),
        np.asarray(end, dtype=np.int64),
    )
    return _strings(offsets, values)


def _strings(offsets: np.ndarray, values: np.ndarray) -> pa.StringArray:
    """An arrow string array from its offsets and UTF-8 bytes (no copy, no check)."""
    return pa.Array.from_buffers(  # type: ignore[no-any-return]
        pa.string(),
        len(offsets) - 1,
        [None, pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(values)],
    )


@njit(cache=True, nogil=True)
def _gather(data: np.ndarray, start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    offsets = np.zeros(len(start) + 1, dtype=np.int64)
    for i in range(len(start)):
        offsets[i + 1] = offsets[i] + end[i] - start[i]
    values = np.empty(offsets[-1], dtype=np.uint8)
    for i in range(len(start)):
        values[offsets[i] : offsets[i + 1]] = data[start[i] : end[i]]
    return offsets, values


def _byte_offsets(parsed: ParsedBatch) -> tuple[np.ndarray, np.ndarray]:
    """Each token's start and end as byte offsets into ``parsed.text`` in UTF-8."""
    return _to_bytes(parsed, parsed.idx, parsed.end)


def _to_bytes(
    parsed: ParsedBatch, start: np.ndarray, end: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    if parsed.utf8 is None:
        return start, end
    return parsed.utf8[start], parsed.utf8[end]


def _assemble(
    form: np.ndarray,
    token: np.ndarray,
    clause: np.ndarray,
    tables: MatchTables,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Cue matches from each token's cue word form (``form``, -1 none; ``token``: the tokens
    with one): each cue's words in order, gaps <= MAX_GAP, one clause.

    Matches come shortest cue first, then in the order of their first word's token and the
    cue's place among the cues starting with that form. Returns cue, start, end, gap.
    """
    return _assemble_loop(  # type: ignore[no-any-return]
        form,
        token,
        clause,
        tables.first_ptr,
        tables.first_cue,
        tables.cue_len,
        tables.cue_words,
        tables.form_words,
        MAX_GAP,
    )


@njit(cache=True, nogil=True)
def _assemble_loop(
    form: np.ndarray,
    token: np.ndarray,
    clause: np.ndarray,
    first_ptr: np.ndarray,
    first_cue: np.ndarray,
    cue_len: np.ndarray,
    cue_words: np.ndarray,
    form_words: np.ndarray,
    max_gap: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    n_tok = len(form)
    n_cand = 0
    for i in token:
        n_cand += first_ptr[form[i] + 1] - first_ptr[form[i]]
    cue = np.empty(n_cand, dtype=np.int64)
    start = np.empty(n_cand, dtype=np.int64)
    end = np.empty(n_cand, dtype=np.int64)
    longest = cue_words.shape[1]
    per_length = np.zeros(longest + 2, dtype=np.int64)
    n = 0
    for i in token:
        f = form[i]
        for j in range(first_ptr[f], first_ptr[f + 1]):
            q = first_cue[j]
            at = i + 1
            ok = True
            for k in range(1, cue_len[q]):
                # the next word at the first of the max_gap + 1 tokens after the last one
                need = cue_words[q, k]
                hit = -1
                for p in range(at, min(at + max_gap + 1, n_tok)):
                    if form[p] >= 0:
                        for w in form_words[form[p]]:
                            if w == need:
                                hit = p
                                break
                    if hit >= 0:
                        break
                if hit < 0 or clause[hit] != clause[at - 1]:
                    ok = False
                    break
                at = hit + 1
            if ok:
                cue[n], start[n], end[n] = q, i, at
                per_length[cue_len[q] + 1] += 1
                n += 1
    # stable by cue length
    place = np.cumsum(per_length)
    order = np.empty(n, dtype=np.int64)
    for m in range(n):
        length = cue_len[cue[m]]
        order[place[length]] = m
        place[length] += 1
    cue, start, end = cue[order], start[order], end[order]
    gap = end - start
    for m in range(n):
        gap[m] -= cue_len[cue[m]]
    return cue, start, end, gap


def _clause_signs(
    c_start: np.ndarray,
    c_end: np.ndarray,
    p_start: np.ndarray,
    p_end: np.ndarray,
    p_cue: np.ndarray,
    clause: np.ndarray,
    tables: MatchTables,
) -> tuple[np.ndarray, np.ndarray]:
    """Per code match: the sign of the nearest polarity cue in its clause, and that cue."""
    sign = np.zeros(len(c_start), dtype=np.int64)
    which = np.full(len(c_start), -1, dtype=np.int64)
    if not len(p_start):
        return sign, which
    # drop a polarity cue inside a longer one ("useful" in "not useful")
    order = np.lexsort((-p_end, p_start))
    p_start, p_end, p_cue = p_start[order], p_end[order], p_cue[order]
    running = np.maximum.accumulate(p_end)
    inside = np.zeros(len(p_start), dtype=bool)
    inside[1:] = (running[:-1] >= p_end[1:]) & ~(
        (p_start[1:] == p_start[:-1]) & (p_end[1:] == p_end[:-1])
    )
    p_start, p_end, p_cue = p_start[~inside], p_end[~inside], p_cue[~inside]
    p_sign = np.where(tables.cue_role[p_cue] == _ROLES.index("positive"), 1, -1)
    p_clause = clause[p_start]
    order = np.argsort(p_clause, kind="stable")
    p_start, p_cue, p_sign, p_clause = p_start[order], p_cue[order], p_sign[order], p_clause[order]
    _nearest_signs(c_start, c_end, clause, p_start, p_cue, p_sign, p_clause, sign, which)
    return sign, which


@njit(cache=True, nogil=True)
def _nearest_signs(
    c_start: np.ndarray,
    c_end: np.ndarray,
    clause: np.ndarray,
    p_start: np.ndarray,
    p_cue: np.ndarray,
    p_sign: np.ndarray,
    p_clause: np.ndarray,
    sign: np.ndarray,
    which: np.ndarray,
) -> None:
    """Fill ``sign`` and ``which`` per code match from the polarity cues of its clause
    (sorted by clause): the nearest ones' common sign (0 if they differ), the first of them.
    """
    for i in range(len(c_start)):
        here = clause[c_start[i]]
        lo = np.searchsorted(p_clause, here, side="left")
        hi = np.searchsorted(p_clause, here, side="right")
        best, low, high, first = -1, 2, -2, -1
        for t in range(lo, hi):
            d = min(abs(p_start[t] - c_start[i]), abs(p_start[t] - c_end[i]))
            if first < 0 or d < best:
                best, low, high, first = d, p_sign[t], p_sign[t], t
            elif d == best:
                low, high = min(low, p_sign[t]), max(high, p_sign[t])
        if first >= 0:
            sign[i] = low if low == high else 0
            which[i] = p_cue[first]


_Rows = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _group(
    segment: np.ndarray,
    code: np.ndarray,
    polarity: np.ndarray,
    confidence: np.ndarray,
    unit: np.ndarray,
    *,
    n_codes: int,
    best: bool = False,
) -> tuple[np.ndarray, np.ndarray, _Rows]:
    """One row per (segment, code, polarity), confidences noisy-or'ed (``best``: the highest).

    Returns the stable order that sorts the rows by (segment, code, -polarity), where each
    group starts in it, and the grouped rows (segment, code, polarity, confidence, unit).
    """
    order = np.argsort((segment * n_codes + code) * 3 + 1 - polarity, kind="stable")
    segment, code, polarity = segment[order], code[order], polarity[order]
    confidence, unit = confidence[order], unit[order]
    new = np.ones(len(code), dtype=bool)
    new[1:] = (
        (segment[1:] != segment[:-1]) | (code[1:] != code[:-1]) | (polarity[1:] != polarity[:-1])
    )
    heads = np.flatnonzero(new)
    if best:
        confidence = np.maximum.reduceat(confidence, heads)
    else:
        confidence = np.minimum(1.0 - np.multiply.reduceat(1.0 - confidence, heads), 0.99)
    return order, heads, (segment[heads], code[heads], polarity[heads], confidence, unit[heads])


def _add_parents(
    rows: _Rows, items: tuple[np.ndarray, np.ndarray], tables: MatchTables
) -> tuple[_Rows, tuple[np.ndarray, np.ndarray]]:
    """Add each fired sub-code's parent (same segment and polarity) unless it fired itself.

    A parent's confidence is its best child's, not their noisy-or; its evidence is its
    children's, each marked ``(via <child>)``. ``items`` is a CSR of each row's evidence
    items (cue matches for the rows given, child rows for the parents added).
    """
    seg, code, pol, conf, unit = rows
    flat, ptr = [items[0]], [items[1]]
    n_codes = len(tables.codes)
    added = 0  # the rows added last: only they can lack a parent now
    for _ in range(4):  # hierarchy depth
        parent = tables.parent[code[added:]]
        child = added + np.flatnonzero(parent >= 0)
        if not len(child):
            break
        key = (seg * n_codes + code) * 3 + pol + 1
        p_key = (seg[child] * n_codes + tables.parent[code[child]]) * 3 + pol[child] + 1
        fresh = child[~member(p_key, np.sort(key))]
        if not len(fresh):
            break
        order, heads, p_rows = _group(
            seg[fresh],
            tables.parent[code[fresh]],
            pol[fresh],
            conf[fresh],
            unit[fresh],
            n_codes=n_codes,
            best=True,
        )
        flat.append(fresh[order])
        ptr.append(ptr[-1][-1] + heads[1:])
        ptr.append(ptr[-2][-1] + np.array([len(order)]))
        added = len(seg)
        seg, code, pol, conf, unit = (
            np.concatenate([old, new]) for old, new in zip(rows, p_rows, strict=True)
        )
        rows = (seg, code, pol, conf, unit)
    return rows, (np.concatenate(flat), np.concatenate(ptr))


def _evidence(
    data: bytes,
    tables: MatchTables,
    pieces: tuple[np.ndarray, ...],
    items: tuple[np.ndarray, np.ndarray],
    *,
    n_base: int,
    code: np.ndarray,
    order: np.ndarray,
) -> pa.StringArray:
    """Each row's evidence string, written from byte pieces, rows in ``order``.

    A row before ``n_base`` joins its cue matches' evidence (``pieces``: cue, words' byte
    range, note piece or -1 for a negator's byte range) with " | "; a later (parent) row
    joins its child rows' evidence, each followed by its ``(via <child code>)`` piece.
    """
    via = len(tables.piece_ptr) - 1 - 3 - len(tables.codes)  # the first code's via piece
    cue, start, end, note, neg_start, neg_end = pieces
    offsets, out = _write_evidence(
        np.frombuffer(data, dtype=np.uint8),
        tables.pieces,
        tables.piece_ptr,
        cue,
        start,
        end,
        note,
        neg_start,
        neg_end,
        items[0],
        items[1],
        n_base,
        code,
        via,
        order,
    )
    return _strings(offsets, out)


@njit(cache=True, nogil=True)
def _write_evidence(
    data: np.ndarray,
    pool: np.ndarray,
    ptr: np.ndarray,
    m_cue: np.ndarray,
    m_start: np.ndarray,
    m_end: np.ndarray,
    m_note: np.ndarray,
    m_neg_start: np.ndarray,
    m_neg_end: np.ndarray,
    flat: np.ndarray,
    row_ptr: np.ndarray,
    n_base: int,
    code: np.ndarray,
    via: int,
    order: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    negated = len(ptr) - 4  # then its end, then the separator
    quote, separator = negated + 1, negated + 2
    n_rows = len(row_ptr) - 1
    size = np.zeros(n_rows, dtype=np.int64)
    for r in range(n_rows):  # children before their parents
        total = 0
        for t in range(row_ptr[r], row_ptr[r + 1]):
            if t > row_ptr[r]:
                total += ptr[separator + 1] - ptr[separator]
            it = flat[t]
            if r < n_base:
                q, note = m_cue[it], m_note[it]
                total += ptr[q + 1] - ptr[q] + m_end[it] - m_start[it]
                if note >= 0:
                    total += ptr[note + 1] - ptr[note]
                else:
                    total += ptr[quote + 1] - ptr[negated] + m_neg_end[it] - m_neg_start[it]
            else:
                v = via + code[it]
                total += size[it] + ptr[v + 1] - ptr[v]
        size[r] = total
    # each row's place in the output, rows in ``order``
    offsets = np.zeros(n_rows + 1, dtype=np.int64)
    place = np.empty(n_rows, dtype=np.int64)
    for i in range(n_rows):
        place[order[i]] = offsets[i]
        offsets[i + 1] = offsets[i] + size[order[i]]
    out = np.empty(offsets[n_rows], dtype=np.uint8)
    for r in range(n_rows):  # a parent copies its children's evidence, written before it
        at = place[r]
        for t in range(row_ptr[r], row_ptr[r + 1]):
            if t > row_ptr[r]:
                at = _put(out, at, pool, ptr[separator], ptr[separator + 1])
            it = flat[t]
            if r < n_base:
                q, note = m_cue[it], m_note[it]
                at = _put(out, at, pool, ptr[q], ptr[q + 1])
                at = _put(out, at, data, m_start[it], m_end[it])
                if note >= 0:
                    at = _put(out, at, pool, ptr[note], ptr[note + 1])
                else:
                    at = _put(out, at, pool, ptr[negated], ptr[negated + 1])
                    at = _put(out, at, data, m_neg_start[it], m_neg_end[it])
                    at = _put(out, at, pool, ptr[quote], ptr[quote + 1])
            else:
                at = _put(out, at, out, place[it], place[it] + size[it])
                v = via + code[it]
                at = _put(out, at, pool, ptr[v], ptr[v + 1])
    return offsets, out


@njit(cache=True, nogil=True, inline="always")
def _put(out: np.ndarray, at: int, source: np.ndarray, start: int, end: int) -> int:
    n = end - start
    out[at : at + n] = source[start:end]
    return at + n


def _empty_batch() -> BatchCodes:
    empty_int = np.zeros(0, dtype=np.int64)
    none = pa.array([], type=pa.string())
    return BatchCodes(
        empty_int, empty_int, empty_int, empty_int, empty_int, np.zeros(0), none, none, empty_int
    )
