"""The rule coder's engine: compiled cues matched on spaCy's token arrays with numpy.

Each cue word is compiled into its one-token surface forms, known by the ids spaCy's
string store gives them, which is what ``Doc.to_array(LOWER)`` holds; one
``np.searchsorted`` finds a batch's cue words, and multi-word cues are joined up word by
word. Negation and polarity scopes, field priors, grouping and parent codes are array
arithmetic too. A codebook's token patterns are found by spaCy's ``Matcher`` on the same
``Doc``. Quotes and evidence strings are cut from the batch text once per row.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
from spacy.language import Language

from copanalysis.codebooks.codebook import Codebook
from copanalysis.coding.cues import Cue, surface_forms
from copanalysis.coding.segments import SEPARATOR, ParsedBatch
from copanalysis.coding.wordlists import word_lists
from copanalysis.errors import CodebookError

__all__ = ["MAX_GAP", "NEGATION_WINDOW", "MatchTables", "build_tables", "code_batch"]

#: Tokens allowed between the words of a multi-word cue ("shared *our* experiences").
MAX_GAP = 2
#: Tokens a cue's preposition may be after the word before it ("helped me with"; "open
#: PRs assigned to" is no "open to").
PREPOSITION_GAP = 1
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
    first: tuple[np.ndarray, np.ndarray]  # CSR (_csr): form -> cues starting with its words
    cue_words: np.ndarray  # (cues, longest) word ids, -1 padded (patterns have none)
    cue_len: np.ndarray  # words per cue (tokens per token pattern)
    cue_gap: np.ndarray  # (cues, longest) tokens each word may skip to: 1 for "to", "of"...
    cue_role: np.ndarray  # index into _ROLES
    cue_base: np.ndarray  # specificity x sharing
    heads: tuple[str, ...]  # per cue: 'cue "<cue>" <- "', or 'pattern [...] <- "'
    polarity_notes: tuple[str, ...]  # per cue: '", polarity cue "<cue>"'
    code_of: tuple[np.ndarray, np.ndarray]  # CSR: cue -> its codes
    codes: tuple[str, ...]
    parent: np.ndarray  # per code: index of its codable parent or -1
    field_row: dict[str, int]  # field -> row of field_prior
    field_prior: np.ndarray  # (known fields + 1, codes) confidence shift; last row zeros
    matcher: Any  # spaCy Matcher of the token patterns, or None
    pattern_cue: dict[int, int]  # Matcher match id -> cue


def build_tables(book: Codebook, cues: tuple[Cue, ...], nlp: Language) -> MatchTables:
    """Turn compiled cues (:func:`~copanalysis.coding.cues.compile_codebook`) into arrays;
    ids come from ``nlp``'s string store.

    A surface form the tokenizer splits ("no's") cannot equal one token and is left out.
    The codes' token ``patterns`` go to a spaCy ``Matcher`` (validated: a bad pattern
    raises :class:`~copanalysis.errors.CodebookError` naming its code).
    """
    vocabulary: dict[str, int] = {}  # each lemma word's id, in order of first use
    cue_words = [[vocabulary.setdefault(w, len(vocabulary)) for w in c.words] for c in cues]
    words_of: dict[int, set[int]] = defaultdict(set)  # form's LOWER id -> its words
    for word, word_id in vocabulary.items():
        for form in surface_forms(word):
            if len(nlp.make_doc(form)) == 1:
                words_of[nlp.vocab.strings.add(form)].add(word_id)
    form_ids = np.array(sorted(words_of), dtype=np.uint64)
    form_words = [sorted(words_of[h]) for h in form_ids.tolist()]
    scope = word_lists("scope")
    prepositions = set(scope["prepositions"])
    break_ids = sorted(nlp.vocab.strings.add(b) for b in scope["clause_breaks"])
    breaks = np.array(break_ids, dtype=np.uint64)
    keys = np.union1d(form_ids, breaks)
    first_word: dict[int, list[int]] = defaultdict(list)  # word -> cues starting with it
    for cue_id, ids in enumerate(cue_words):
        first_word[ids[0]].append(cue_id)

    codable = {c.code: c for c in book.codes if c.codable}
    index = {c: i for i, c in enumerate(codable)}
    owners = [[index[c] for c in cue.codes] for cue in cues]
    heads = [f'cue "{c.text}" <- "' for c in cues]
    matcher, pattern_cue = _patterns(book, nlp, len(cues))
    for code, pattern in ((c.code, p) for c in codable.values() for p in c.patterns):
        owners.append([index[code]])
        heads.append(f'pattern {json.dumps(list(pattern), separators=(",", ":"))} <- "')
        cue_words.append([-1] * len(pattern))  # found by the Matcher, not word by word
    cue_len = np.array([len(w) for w in cue_words], dtype=np.int64)
    sharing = np.array([max(len(o), 1) for o in owners])
    known = sorted({f for c in book.codes for f in c.fields})
    prior = np.zeros((len(known) + 1, len(codable)))
    for row, field in enumerate(known):
        prior[row] = [FIELD_BONUS if field in c.fields else -FIELD_COST for c in codable.values()]
    return MatchTables(
        keys=keys,
        key_form=np.where(np.isin(keys, form_ids), np.searchsorted(form_ids, keys), -1),
        key_break=np.isin(keys, breaks),
        form_words=_padded([*form_words, []]),
        first=_csr([[c for w in ids for c in first_word.get(w, ())] for ids in form_words]),
        cue_words=_padded(cue_words[: len(cues)]),
        cue_len=cue_len,
        cue_gap=_padded(
            [[PREPOSITION_GAP if w in prepositions else MAX_GAP for w in c.words] for c in cues]
        ),
        cue_role=np.array([_ROLES.index(c.role) for c in cues] + [0] * (len(owners) - len(cues))),
        cue_base=np.array([SPECIFICITY.get(n, MULTI) for n in cue_len.tolist()])
        * SHARED ** (sharing - 1),
        heads=tuple(heads),
        polarity_notes=tuple(f'", polarity cue "{c.text}"' for c in cues),
        code_of=_csr(owners),
        codes=tuple(codable),
        parent=np.array([index.get(c.parent or "", -1) for c in codable.values()], dtype=int),
        field_row={f: i for i, f in enumerate(known)},
        field_prior=prior,
        matcher=matcher,
        pattern_cue=pattern_cue,
    )


def _patterns(book: Codebook, nlp: Language, first: int) -> tuple[Any, dict[int, int]]:
    """A ``Matcher`` of the codable codes' token patterns, each a cue from ``first`` on."""
    from spacy.matcher import Matcher

    found = [(c.code, p) for c in book.codes if c.codable for p in c.patterns]
    matcher = Matcher(nlp.vocab, validate=True) if found else None
    pattern_cue: dict[int, int] = {}
    for k, (code, pattern) in enumerate(found):
        key = f"{book.name}:{code}:{k}"
        try:
            matcher.add(key, [list(pattern)])  # type: ignore[union-attr]
        except (ValueError, KeyError) as error:  # spaCy's MatchPatternError is a ValueError
            raise CodebookError(
                f"codebook {book.name!r}, code {code!r}, field 'patterns': "
                f"{list(pattern)!r} is not a spaCy token pattern ({error})"
            ) from None
        pattern_cue[nlp.vocab.strings[key]] = first + k
    return matcher, pattern_cue


def _csr(lists: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Lists of ints as (pointers, values): list ``i`` is ``values[ptr[i]:ptr[i + 1]]``."""
    ptr = np.concatenate(([0], np.cumsum([len(x) for x in lists], dtype=np.int64)))
    return ptr, np.array([v for x in lists for v in x], dtype=np.int64)


def _padded(lists: list[list[int]]) -> np.ndarray:
    """Lists of ints as rows of a matrix, padded with -1."""
    out = np.full((len(lists), max([len(x) for x in lists] + [1])), -1, dtype=np.int64)
    for row, values in enumerate(lists):
        out[row, : len(values)] = values
    return out


def _expand(csr: tuple[np.ndarray, np.ndarray], keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each key, each value of its CSR row: (position of the key, value)."""
    ptr, flat = csr
    counts = ptr[keys + 1] - ptr[keys]
    owner = np.repeat(np.arange(len(keys)), counts)
    within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, flat[ptr[keys][owner] + within]


def code_batch(
    parsed: ParsedBatch,
    tables: MatchTables,
    *,
    fields: np.ndarray,
    kinds: np.ndarray,
    by_sentence: bool,
    parents: bool,
) -> dict[str, Any]:
    """Code one parsed batch: its rows as columns ``unit`` (the text's index in the batch),
    ``start``, ``end``, ``code`` (index in ``tables.codes``), ``polarity``, ``confidence``,
    ``quote`` and ``evidence``.

    ``fields`` are the texts' rows of ``tables.field_prior`` (by ``field_row``), ``kinds``
    their list kinds as signs (+1 enabler, -1 challenge, 0 none); ``by_sentence`` quotes
    the sentence (else the whole text); ``parents`` adds the parents of sub-codes fired.
    """
    n_tok = len(parsed.idx)
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
    pseudo = np.isin(start, start[role == _ROLES.index("pseudo")])
    is_neg = (role == _ROLES.index("negator")) & ~pseudo
    is_sign = (role >= _ROLES.index("positive")) & ~pseudo
    is_code = role == _ROLES.index("code")
    if not is_code.any():
        return {k: [] for k in ("quote", "evidence")} | {
            k: np.zeros(0, dtype=np.int64)
            for k in ("unit", "start", "end", "code", "polarity", "confidence")
        }

    # negation: the nearest negator ending before the cue, close and in the same clause
    order = np.argsort(end[is_neg], kind="stable")
    n_start, n_end = start[is_neg][order], end[is_neg][order]
    c_cue, c_start, c_end, c_gap = cue[is_code], start[is_code], end[is_code], gap[is_code]
    j = np.searchsorted(n_end, c_start, side="right") - 1  # -1: none
    negated = np.zeros(len(c_start), dtype=bool)
    if len(n_end):
        close = (c_start - n_end[j] <= NEGATION_WINDOW) & (clause[n_end[j] - 1] == clause[c_start])
        negated = (j >= 0) & close
    # polarity cues in the same clause: the nearest decides; a tie of opposite signs gives 0
    sign, sign_cue = _clause_signs(
        c_start, c_end, start[is_sign], end[is_sign], cue[is_sign], clause, tables
    )
    unit = np.searchsorted(parsed.first_token, c_start, side="right") - 1
    kind = kinds[unit]
    polarity = np.where(negated, -1, np.where(sign_cue >= 0, sign, np.where(kind != 0, kind, 1)))
    first = np.flatnonzero(parsed.sentence_start)  # sentences: ids unique in the batch
    c_seg = np.searchsorted(first, c_start, side="right") - 1 if by_sentence else unit

    # one row per (match, code); a match inside a longer match of the same code is dropped
    # (both lie in one clause, so in one segment): rows by segment, code, start, longest first
    owner, code = _expand(tables.code_of, c_cue)
    group = c_seg[owner] * len(tables.codes) + code
    order = np.lexsort((c_start[owner] - c_end[owner], c_start[owner], group))
    owner, code, group = owner[order], code[order], group[order]
    ends = group * (n_tok + 1) + c_end[owner]
    inside = np.append(False, np.maximum.accumulate(ends)[:-1] >= ends[1:])
    owner, code = owner[~inside], code[~inside]
    confidence = np.clip(
        tables.cue_base[c_cue[owner]]
        - GAP_COST * c_gap[owner]
        + tables.field_prior[fields[unit[owner]], code],
        0.05,
        0.99,
    )
    order, heads, rows = _group(c_seg[owner], code, polarity[owner], confidence, unit[owner])
    # each match's evidence ends with its negator, else its polarity cue, else its list kind
    text, idx, tok_end = parsed.text, parsed.idx, parsed.end
    notes = [
        tables.polarity_notes[s] if s >= 0 else _KIND_NOTES[k]
        for s, k in zip(sign_cue.tolist(), kind.tolist(), strict=True)
    ]
    for m in np.flatnonzero(negated).tolist():
        notes[m] = f'", negated by "{text[idx[n_start[j[m]]] : tok_end[n_end[j[m]] - 1]]}"'
    pieces = [
        tables.heads[c] + text[a:b] + note
        for c, a, b, note in zip(
            c_cue.tolist(), idx[c_start].tolist(), tok_end[c_end - 1].tolist(), notes, strict=True
        )
    ]
    evidence = _joined([pieces[m] for m in owner[order].tolist()], heads)
    if parents:
        rows, evidence = _add_parents(rows, evidence, tables)
    seg, code, pol, conf, r_unit = rows
    # offsets: the sentence's non-space tokens, or the whole text (span_*: in the batch text)
    offset = parsed.starts[r_unit]
    if by_sentence:
        solid = np.flatnonzero(~parsed.space)  # every segment has one: its cue
        stop = np.append(first, n_tok)
        span_start = parsed.idx[solid[np.searchsorted(solid, first[seg])]]
        span_end = parsed.end[solid[np.searchsorted(solid, stop[seg + 1]) - 1]]
    else:
        sep = len(SEPARATOR)
        span_start = offset
        span_end = offset + np.diff(np.append(parsed.starts, len(parsed.text) + sep))[r_unit] - sep
    # rows by text, start, code and polarity (+1, 0, -1); texts follow each other in the batch
    order = np.lexsort((-pol, code, span_start))
    span_start, span_end, offset = span_start[order], span_end[order], offset[order]
    return {
        "unit": r_unit[order],
        "start": span_start - offset,
        "end": span_end - offset,
        "code": code[order],
        "polarity": pol[order],
        "confidence": np.round(conf[order], 3),
        "quote": [text[a:b] for a, b in zip(span_start.tolist(), span_end.tolist(), strict=True)],
        "evidence": [evidence[i] for i in order.tolist()],
    }


def _assemble(
    form: np.ndarray, clause: np.ndarray, tables: MatchTables
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Cue matches from each token's cue word form (``form``, -1 none): each cue's words
    in order, the next at the first of the MAX_GAP + 1 tokens after the last where one of
    its forms is (of the PREPOSITION_GAP + 1 for a preposition: ``cue_gap``), in the same
    clause.

    Matches come shortest cue first, then in the order of their first word's token and the
    cue's place among the cues starting with that form. Returns cue, start, end, gap.
    """
    n_tok = len(form)
    token = np.flatnonzero(form >= 0)
    owner, cue = _expand(tables.first, form[token])
    start = token[owner]
    after = start + 1  # the token after the last word found
    ok = np.ones(len(cue), dtype=bool)
    for k in range(1, tables.cue_words.shape[1]):
        going = np.flatnonzero(ok & (tables.cue_len[cue] > k))
        need = tables.cue_words[cue[going], k][:, None]
        allowed = tables.cue_gap[cue[going], k]
        hit = np.full(len(going), -1, dtype=np.int64)
        for d in range(MAX_GAP + 1):
            p = after[going] + d
            here = tables.form_words[form[np.minimum(p, n_tok - 1)]] == need
            found = (hit < 0) & (p < n_tok) & here.any(axis=1) & (d <= allowed)
            hit[found] = p[found]
        fails = (hit < 0) | (clause[hit] != clause[after[going] - 1])
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
    same = (p_start[1:] == p_start[:-1]) & (p_end[1:] == p_end[:-1])
    inside = np.append(False, (np.maximum.accumulate(p_end)[:-1] >= p_end[1:]) & ~same)
    p_start, p_cue = p_start[~inside], p_cue[~inside]
    order = np.argsort(clause[p_start], kind="stable")
    p_start, p_cue, p_clause = p_start[order], p_cue[order], clause[p_start[order]]
    p_sign = np.where(tables.cue_role[p_cue] == _ROLES.index("positive"), 1, -1)
    # every (code match, polarity cue of its clause) pair, cues in their order
    lo = np.searchsorted(p_clause, clause[c_start], side="left")
    counts = np.searchsorted(p_clause, clause[c_start], side="right") - lo
    if not counts.any():
        return sign, which
    match = np.repeat(np.arange(len(c_start)), counts)
    cue = lo[match] + np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    distance = np.minimum(abs(p_start[cue] - c_start[match]), abs(p_start[cue] - c_end[match]))
    heads = np.flatnonzero(np.diff(match, prepend=-1))
    best = distance == np.repeat(np.minimum.reduceat(distance, heads), counts[counts > 0])
    low = np.minimum.reduceat(np.where(best, p_sign[cue], 2), heads)
    high = np.maximum.reduceat(np.where(best, p_sign[cue], -2), heads)
    first = -np.maximum.reduceat(np.where(best, -np.arange(len(cue)), -len(cue)), heads)
    sign[match[heads]] = np.where(low == high, low, 0)
    which[match[heads]] = p_cue[cue[first]]
    return sign, which


_Rows = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _group(
    segment: np.ndarray,
    code: np.ndarray,
    polarity: np.ndarray,
    confidence: np.ndarray,
    unit: np.ndarray,
    *,
    best: bool = False,
) -> tuple[np.ndarray, np.ndarray, _Rows]:
    """One row per (segment, code, polarity), confidences noisy-or'ed (``best``: the highest).

    Returns the stable order that sorts the rows by (segment, code, -polarity), where each
    group starts in it, and the grouped rows (segment, code, polarity, confidence, unit).
    """
    order = np.lexsort((-polarity, code, segment))
    segment, code, polarity = segment[order], code[order], polarity[order]
    new = np.diff(segment, prepend=-1) | np.diff(code, prepend=-1) | np.diff(polarity, prepend=2)
    heads = np.flatnonzero(new)
    if best:
        confidence = np.maximum.reduceat(confidence[order], heads)
    else:
        confidence = np.minimum(1.0 - np.multiply.reduceat(1.0 - confidence[order], heads), 0.99)
    rows = (segment[heads], code[heads], polarity[heads], confidence, unit[order][heads])
    return order, heads, rows


def _add_parents(rows: _Rows, evidence: list[str], tables: MatchTables) -> tuple[_Rows, list[str]]:
    """Add each fired sub-code's parent (same segment and polarity) unless it fired there
    itself, with either polarity, up the hierarchy to its root.

    A parent's confidence is its best child's, not their noisy-or; its evidence is its
    children's, each marked ``(via <child>)``.
    """
    added = 0  # the rows added last: only they can lack a parent now
    while True:
        seg, code, pol, conf, unit = rows
        child = added + np.flatnonzero(tables.parent[code[added:]] >= 0)
        # a parent that fired there itself, with either polarity, is not added again: its
        # own match says more than a child's (one code per span, not +1 beside -1)
        key = seg * len(tables.codes) + code
        p_key = seg[child] * len(tables.codes) + tables.parent[code[child]]
        fresh = child[~np.isin(p_key, key)]
        if not len(fresh):
            return rows, evidence
        p_code = tables.parent[code[fresh]]
        order, heads, p_rows = _group(
            seg[fresh], p_code, pol[fresh], conf[fresh], unit[fresh], best=True
        )
        kids = fresh[order].tolist()
        evidence += _joined([f"{evidence[c]} (via {tables.codes[code[c]]})" for c in kids], heads)
        added = len(seg)
        rows = tuple(np.concatenate(pair) for pair in zip(rows, p_rows, strict=True))  # type: ignore[assignment]


def _joined(pieces: list[str], heads: np.ndarray) -> list[str]:
    """The pieces of each group (groups start at ``heads``), joined with " | "."""
    bounds = [*heads.tolist(), len(pieces)]
    return [" | ".join(pieces[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]
