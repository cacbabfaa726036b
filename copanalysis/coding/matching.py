"""The rule coder's engine: compiled cues matched on spaCy's token arrays with numpy.

Every cue word is compiled into its one-token surface forms, each known by the id spaCy's
string store gives its lower-case text, which is what ``Doc.to_array(LOWER)`` holds. The
cue words of a batch are then found with one ``np.searchsorted`` over its tokens, and the
words of multi-word cues are joined up word by word, as arrays. Everything after that is
array arithmetic too: negation and polarity scopes, field priors, grouping per segment and
code, and parent codes. A codebook's token patterns are found by spaCy's ``Matcher`` on the
same ``Doc`` and join the cue matches. Quotes and evidence strings are cut from the batch
text once per row.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from spacy.language import Language

from copanalysis.codebooks.codebook import Codebook
from copanalysis.coding.cues import CLAUSE_BREAKS, CompiledCodebook
from copanalysis.coding.segments import ParsedBatch
from copanalysis.errors import CodebookError

__all__ = [
    "MAX_GAP",
    "NEGATION_WINDOW",
    "BatchCodes",
    "MatchTables",
    "build_tables",
    "code_batch",
    "field_rows",
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
#: The ends of evidence strings without a negator or polarity cue, by the list kind's sign.
_KIND_NOTES = {0: '"', 1: '", listed as enabler', -1: '", listed as challenge'}


@dataclass(frozen=True)
class MatchTables:
    """A compiled codebook as arrays (built once, in ``fit``)."""

    keys: np.ndarray  # sorted LOWER ids of the cue words' forms and of clause breaks
    key_form: np.ndarray  # per key: its row of form_words, or -1 (a clause break only)
    key_break: np.ndarray  # per key: whether it ends a clause
    form_words: np.ndarray  # (forms + 1, most words of a form) word ids, -1 padded; last -1
    cue_len: np.ndarray  # words per cue (tokens per token pattern)
    cue_words: np.ndarray  # (n_cues, longest) word ids, -1 padded
    cue_role: np.ndarray  # index into _ROLES
    cue_base: np.ndarray  # specificity x sharing
    heads: tuple[str, ...]  # per cue: 'cue "<cue>" <- "', or 'pattern [...] <- "'
    polarity_notes: tuple[str, ...]  # per cue: '", polarity cue "<cue>"'
    first_ptr: np.ndarray  # CSR: form -> cues starting with one of its words
    first_cue: np.ndarray
    code_ptr: np.ndarray  # CSR: cue -> codes
    code_idx: np.ndarray
    parent: np.ndarray  # per code: index of its codable parent or -1
    codes: tuple[str, ...]
    field_row: dict[str, int]  # field -> row of field_prior
    field_prior: np.ndarray  # (known fields + 1, codes) confidence shift; last row zeros
    matcher: Any  # spaCy Matcher of the token patterns, or None
    pattern_cue: dict[int, int]  # Matcher match id -> cue


def build_tables(book: Codebook, compiled: CompiledCodebook, nlp: Language) -> MatchTables:
    """Turn a compiled codebook into arrays; ids come from ``nlp``'s string store.

    A surface form the tokenizer splits ("no's") cannot equal one token and is left out.
    The codes' token ``patterns`` go to a spaCy ``Matcher`` (validated: a bad pattern
    raises :class:`~copanalysis.errors.CodebookError` naming its code).
    """
    words_of: dict[int, tuple[int, ...]] = {}
    for form, word_ids in compiled.forms.items():
        if len(nlp.make_doc(form)) == 1:
            words_of[nlp.vocab.strings.add(form.lower())] = word_ids
    form_ids = np.array(sorted(words_of), dtype=np.uint64)
    word_lists = [words_of[h] for h in form_ids.tolist()]
    form_words = np.full(
        (len(word_lists) + 1, max((len(w) for w in word_lists), default=1)), -1, dtype=np.int64
    )
    for row, ids in enumerate(word_lists):
        form_words[row, : len(ids)] = ids
    breaks = np.array(sorted({nlp.vocab.strings.add(b) for b in CLAUSE_BREAKS}), dtype=np.uint64)
    keys = np.union1d(form_ids, breaks)
    key_form = np.full(len(keys), -1, dtype=np.int64)
    is_form = np.isin(keys, form_ids)
    key_form[is_form] = np.searchsorted(form_ids, keys[is_form])

    codes = tuple(c.code for c in book.codes if c.codable)
    code_index = {c: i for i, c in enumerate(codes)}
    cues = list(compiled.cues)
    lengths = [len(w) for w in compiled.cue_words]
    owners = [[code_index[c] for c in cue.codes] for cue in cues]
    heads = [f'cue "{c.text}" <- "' for c in cues]
    matcher, pattern_cue = _patterns(book, nlp, len(cues))
    for code, pattern in ((c.code, p) for c in book.codes if c.codable for p in c.patterns):
        lengths.append(len(pattern))
        owners.append([code_index[code]])
        heads.append(f'pattern {json.dumps(list(pattern), separators=(",", ":"))} <- "')
    n_cues = len(lengths)
    longest = max((len(w) for w in compiled.cue_words), default=1)
    cue_words = np.full((n_cues, longest), -1, dtype=np.int64)
    for i, ids in enumerate(compiled.cue_words):
        cue_words[i, : len(ids)] = ids
    cue_len = np.array(lengths, dtype=np.int64)
    n_codes_of = np.array([max(len(o), 1) for o in owners], dtype=np.int64)
    base = np.array([SPECIFICITY.get(int(n), MULTI) for n in cue_len]) * SHARED ** (n_codes_of - 1)
    first_ptr, first_cue = _csr(
        [[c for w in ids for c in compiled.first_word.get(w, ())] for ids in word_lists]
    )
    code_ptr, code_idx = _csr(owners)
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
    roles = [_ROLES.index(c.role) for c in cues] + [0] * (n_cues - len(cues))
    return MatchTables(
        keys=keys,
        key_form=key_form,
        key_break=np.isin(keys, breaks),
        form_words=form_words,
        cue_len=cue_len,
        cue_words=cue_words,
        cue_role=np.array(roles, dtype=np.int64),
        cue_base=base,
        heads=tuple(heads),
        polarity_notes=tuple(f'", polarity cue "{c.text}"' for c in cues),
        first_ptr=first_ptr,
        first_cue=first_cue,
        code_ptr=code_ptr,
        code_idx=code_idx,
        parent=parents,
        codes=codes,
        field_row={f: i for i, f in enumerate(known)},
        field_prior=prior,
        matcher=matcher,
        pattern_cue=pattern_cue,
    )


def _patterns(book: Codebook, nlp: Language, first: int) -> tuple[Any, dict[int, int]]:
    """A ``Matcher`` of the codable codes' token patterns, each a cue from ``first`` on."""
    from spacy.matcher import Matcher

    found = [(c.code, p) for c in book.codes if c.codable for p in c.patterns]
    if not found:
        return None, {}
    matcher = Matcher(nlp.vocab, validate=True)
    pattern_cue: dict[int, int] = {}
    for k, (code, pattern) in enumerate(found):
        key = f"{book.name}:{code}:{k}"
        try:
            matcher.add(key, [list(pattern)])
        except (ValueError, KeyError) as error:  # spaCy's MatchPatternError is a ValueError
            raise CodebookError(
                f"codebook {book.name!r}, code {code!r}, field 'patterns': "
                f"{list(pattern)!r} is not a spaCy token pattern ({error})"
            ) from None
        pattern_cue[nlp.vocab.strings[key]] = first + k
    return matcher, pattern_cue


def field_rows(tables: MatchTables, fields: Iterable[str | None]) -> np.ndarray:
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
    >>> tables = build_tables(book, compile_codebook(book, str.split), make_nlp())
    >>> field_rows(tables, ["practice", "story", None, "organization"]).tolist()
    [1, 2, 2, 0]
    """
    rows, other = tables.field_row, len(tables.field_row)
    return np.array([rows.get(f, other) for f in fields], dtype=np.int64)  # type: ignore[arg-type]


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


def _member(values: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Whether each value is in the sorted ``table``."""
    if not len(table):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(table, values), len(table) - 1)
    return table[at] == values


@dataclass(frozen=True)
class BatchCodes:
    """Coded rows of one batch (``unit`` is the text's index within the batch)."""

    unit: np.ndarray
    start: np.ndarray
    end: np.ndarray
    code: np.ndarray
    polarity: np.ndarray
    confidence: np.ndarray
    quote: list[str]
    evidence: list[str]


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
    if not n_tok or not len(tables.keys):
        return _empty_batch()
    at = np.minimum(np.searchsorted(tables.keys, parsed.lower), len(tables.keys) - 1)
    known = tables.keys[at] == parsed.lower
    form = np.where(known, tables.key_form[at], -1)
    clause = np.cumsum((known & tables.key_break[at]) | parsed.space | parsed.sentence_start)

    cue, start, end, gap = _assemble(form, clause, tables)
    if tables.matcher is not None:  # token patterns: code matches of their own
        ids, p_start, p_end = parsed.matches
        p_cue = np.array([tables.pattern_cue[i] for i in ids.tolist()], dtype=np.int64)
        cue, start, end = (
            np.concatenate(p) for p in ((cue, p_cue), (start, p_start), (end, p_end))
        )
        gap = np.concatenate((gap, np.zeros(len(p_cue), dtype=np.int64)))
    role = tables.cue_role[cue]
    pseudo = _member(start, np.unique(start[role == _ROLES.index("pseudo")]))
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
        (j >= 0)
        & (c_start - n_end[jj] <= NEGATION_WINDOW)
        & (clause[np.maximum(n_end[jj] - 1, 0)] == clause[c_start])
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

    # segments: the sentence (ids unique in the batch) or the field
    first = np.flatnonzero(parsed.sentence_start)
    c_seg = np.searchsorted(first, c_start, side="right") - 1 if by_sentence else unit

    # one row per (match, code); a match inside a longer match of the same code is dropped
    # (both lie in one clause, so in one segment): rows by segment, code, start, longest first
    n_codes = len(tables.codes)
    owner, code = _expand(tables.code_ptr, tables.code_idx, c_cue)
    group = c_seg[owner] * n_codes + code
    r_start, r_end = c_start[owner], c_end[owner]
    order = np.lexsort((r_start - r_end, r_start, group))
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
    order, heads, rows = _group(
        c_seg[owner], code, polarity[owner], confidence, row_unit, n_codes=n_codes
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
        lengths = np.diff(np.append(parsed.starts, len(parsed.text) + len(_SEP))) - len(_SEP)
        span_start, span_end = offset, offset + lengths[r_unit]
    # rows by text, start, code and polarity (+1, 0, -1); texts follow each other in the batch
    order = np.lexsort((-pol, code, span_start))
    notes = _notes(parsed, negated, n_start, n_end, j, sign_cue, kind, tables)
    evidence = _evidence(
        parsed, tables, (c_cue, c_start, c_end, notes), items, n_base=len(heads), code=code
    )
    r_unit, span_start, span_end = r_unit[order], span_start[order], span_end[order]
    code, pol, conf, offset = code[order], pol[order], conf[order], offset[order]
    text = parsed.text
    return BatchCodes(
        r_unit,
        span_start - offset,
        span_end - offset,
        code,
        pol,
        np.round(conf, 3),
        [text[a:b] for a, b in zip(span_start.tolist(), span_end.tolist(), strict=True)],
        [evidence[i] for i in order.tolist()],
    )


_SEP = "\n\n"  # segments.SEPARATOR


def _assemble(
    form: np.ndarray, clause: np.ndarray, tables: MatchTables
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Cue matches from each token's cue word form (``form``, -1 none): each cue's words
    in order, the next at the first of the MAX_GAP + 1 tokens after the last where one of
    its forms is, in the same clause.

    Matches come shortest cue first, then in the order of their first word's token and the
    cue's place among the cues starting with that form. Returns cue, start, end, gap.
    """
    n_tok = len(form)
    token = np.flatnonzero(form >= 0)
    owner, cue = _expand(tables.first_ptr, tables.first_cue, form[token])
    start = token[owner]
    after = start + 1  # the token after the last word found
    ok = np.ones(len(cue), dtype=bool)
    for k in range(1, tables.cue_words.shape[1]):
        going = np.flatnonzero(ok & (tables.cue_len[cue] > k))
        if not len(going):
            break
        need = tables.cue_words[cue[going], k]
        hit = np.full(len(going), -1, dtype=np.int64)
        for d in range(MAX_GAP + 1):
            p = after[going] + d
            here = np.minimum(p, n_tok - 1)
            found = (
                (hit < 0) & (p < n_tok) & (tables.form_words[form[here]] == need[:, None]).any(1)
            )
            hit[found] = p[found]
        last = after[going] - 1
        fails = (hit < 0) | (clause[np.maximum(hit, 0)] != clause[last])
        ok[going[fails]] = False
        after[going[~fails]] = hit[~fails] + 1
    keep = np.flatnonzero(ok)
    keep = keep[np.argsort(tables.cue_len[cue[keep]], kind="stable")]
    cue, start, end = cue[keep], start[keep], after[keep]
    return cue, start, end, end - start - tables.cue_len[cue]


def _clause_signs(
    c_start: np.ndarray,
    c_end: np.ndarray,
    p_start: np.ndarray,
    p_end: np.ndarray,
    p_cue: np.ndarray,
    clause: np.ndarray,
    tables: MatchTables,
) -> tuple[np.ndarray, np.ndarray]:
    """Per code match: the sign of the nearest polarity cues in its clause (0 if they
    differ), and the first of them (-1: none)."""
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
    p_start, p_cue = p_start[~inside], p_cue[~inside]
    p_sign = np.where(tables.cue_role[p_cue] == _ROLES.index("positive"), 1, -1)
    p_clause = clause[p_start]
    order = np.argsort(p_clause, kind="stable")
    p_start, p_cue, p_sign, p_clause = p_start[order], p_cue[order], p_sign[order], p_clause[order]
    # every (code match, polarity cue of its clause) pair, cues in their order
    here = clause[c_start]
    lo = np.searchsorted(p_clause, here, side="left")
    counts = np.searchsorted(p_clause, here, side="right") - lo
    if not counts.any():
        return sign, which
    match = np.repeat(np.arange(len(c_start)), counts)
    cue = lo[match] + np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    distance = np.minimum(
        np.abs(p_start[cue] - c_start[match]), np.abs(p_start[cue] - c_end[match])
    )
    heads = np.flatnonzero(np.diff(match, prepend=-1))
    nearest = np.minimum.reduceat(distance, heads)
    best = distance == np.repeat(nearest, counts[counts > 0])
    low = np.minimum.reduceat(np.where(best, p_sign[cue], 2), heads)
    high = np.maximum.reduceat(np.where(best, p_sign[cue], -2), heads)
    first = np.maximum.reduceat(np.where(best, -np.arange(len(cue)), -len(cue)), heads)
    matched = match[heads]
    sign[matched] = np.where(low == high, low, 0)
    which[matched] = p_cue[cue[-first]]
    return sign, which


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
    order = np.lexsort((-polarity, code, segment))
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
    """Add each fired sub-code's parent (same segment and polarity) unless it fired itself,
    up the hierarchy to its root.

    A parent's confidence is its best child's, not their noisy-or; its evidence is its
    children's, each marked ``(via <child>)``. ``items`` is a CSR of each row's evidence
    items (cue matches for the rows given, child rows for the parents added).
    """
    seg, code, pol, conf, unit = rows
    flat, ptr = [items[0]], [items[1]]
    n_codes = len(tables.codes)
    added = 0  # the rows added last: only they can lack a parent now
    while True:
        parent = tables.parent[code[added:]]
        child = added + np.flatnonzero(parent >= 0)
        key = (seg * n_codes + code) * 3 + pol + 1
        p_key = (seg[child] * n_codes + tables.parent[code[child]]) * 3 + pol[child] + 1
        fresh = child[~_member(p_key, np.sort(key))]
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
        rows = tuple(np.concatenate([old, new]) for old, new in zip(rows, p_rows, strict=True))  # type: ignore[assignment]
        seg, code, pol, conf, unit = rows
    return rows, (np.concatenate(flat), np.concatenate(ptr))


def _notes(
    parsed: ParsedBatch,
    negated: np.ndarray,
    n_start: np.ndarray,
    n_end: np.ndarray,
    j: np.ndarray,
    sign_cue: np.ndarray,
    kind: np.ndarray,
    tables: MatchTables,
) -> list[str]:
    """How each code match's evidence ends: its negator, its polarity cue or its list kind."""
    text, idx, end = parsed.text, parsed.idx, parsed.end
    notes = [_KIND_NOTES[k] for k in kind.tolist()]
    signed = np.flatnonzero(sign_cue >= 0)
    for m, c in zip(signed.tolist(), sign_cue[signed].tolist(), strict=True):
        notes[m] = tables.polarity_notes[c]
    which = np.flatnonzero(negated)
    for m, a, b in zip(
        which.tolist(),
        idx[n_start[j[which]]].tolist(),
        end[n_end[j[which]] - 1].tolist(),
        strict=True,
    ):
        notes[m] = f'", negated by "{text[a:b]}"'
    return notes


def _evidence(
    parsed: ParsedBatch,
    tables: MatchTables,
    matches: tuple[np.ndarray, np.ndarray, np.ndarray, list[str]],
    items: tuple[np.ndarray, np.ndarray],
    *,
    n_base: int,
    code: np.ndarray,
) -> list[str]:
    """Each row's evidence string.

    A row before ``n_base`` joins its cue matches' evidence (``matches``: cue, first and
    end token, note) with " | "; a later (parent) row joins its child rows' evidence, each
    followed by `` (via <child code>)``.
    """
    text, idx, end = parsed.text, parsed.idx, parsed.end
    cue, start, stop, notes = matches
    used = np.unique(items[0][: items[1][n_base]])
    pieces = dict.fromkeys(used.tolist(), "")
    for m, c, a, b in zip(
        used.tolist(),
        cue[used].tolist(),
        idx[start[used]].tolist(),
        end[stop[used] - 1].tolist(),
        strict=True,
    ):
        pieces[m] = tables.heads[c] + text[a:b] + notes[m]
    via = [f" (via {c})" for c in tables.codes]
    flat, ptr, codes = items[0].tolist(), items[1].tolist(), code.tolist()
    rows: list[str] = []
    for r in range(len(ptr) - 1):
        a, b = ptr[r], ptr[r + 1]
        if r < n_base:
            rows.append(
                pieces[flat[a]] if b - a == 1 else " | ".join([pieces[m] for m in flat[a:b]])
            )
        else:
            rows.append(" | ".join([rows[c] + via[codes[c]] for c in flat[a:b]]))
    return rows


def _empty_batch() -> BatchCodes:
    none = np.zeros(0, dtype=np.int64)
    return BatchCodes(none, none, none, none, none, np.zeros(0), [], [])
