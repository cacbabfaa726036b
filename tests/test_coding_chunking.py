"""The compiled chunk and token loops, checked against spaCy and the array versions."""

from __future__ import annotations

import random

import numpy as np
import pytest

from copanalysis.coding import make_nlp, segments
from copanalysis.coding.chunking import (
    crossing_candidates,
    cut_chunks,
    find_chunks,
    gather_tokens,
    insert_chunks,
    new_table,
)
from copanalysis.coding.segments import (
    _SPACE,
    SEPARATOR,
    _sentencizer_rule,
    scan_tokens,
)


def _scan_as_spacy(nlp, texts: list[str]):
    """Scan ``texts`` as one batch and check every token against ``nlp.make_doc``."""
    text = SEPARATOR.join(texts)
    starts = np.cumsum([0] + [len(t) + len(SEPARATOR) for t in texts[:-1]])
    # (a second time if a small cache was cleared midway)
    tokens = scan_tokens(nlp, text, starts) or scan_tokens(nlp, text, starts)
    assert tokens is not None
    doc = nlp.make_doc(text)
    assert [text[a:b] for a, b in zip(tokens.idx, tokens.end, strict=True)] == [
        t.text for t in doc
    ]
    assert tokens.lower.tolist() == [t.lower for t in doc]
    assert tokens.space.tolist() == [t.is_space for t in doc]
    assert tokens.newline.tolist() == [t.is_space and "\n" in t.text for t in doc]
    return tokens


def _chunks(text: str) -> list[str]:
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    start, end, _ = cut_chunks(points, _SPACE)
    return [text[a:b] for a, b in zip(start.tolist(), end.tolist(), strict=True)]


def test_chunks_are_cut_where_spacy_cuts() -> None:
    # a space after a word is absorbed; other whitespace, and a second space, are chunks
    assert _chunks("We  met.\nOk \t go") == ["We", " ", "met.", "\n", "Ok", "\t ", "go"]
    assert _chunks(" lead\u00a0nbsp\u3000end ") == [" ", "lead", "\u00a0", "nbsp", "\u3000", "end"]
    assert _chunks("") == []


def test_equal_chunks_hash_equal_in_bytes_and_code_points() -> None:
    text = "learn learnt learn"
    wide = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    narrow = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    _, _, h_wide = cut_chunks(wide, _SPACE)
    _, _, h_narrow = cut_chunks(narrow, _SPACE)
    assert h_wide.tolist() == h_narrow.tolist()
    assert h_wide[0] == h_wide[2] != h_wide[1]
    assert (h_wide != 0).all()


def test_table_finds_what_was_inserted_and_nothing_else() -> None:
    keys, values = new_table(8)
    hashes = np.array([5, 13, 21, 2**63 + 7], dtype=np.uint64)  # 5, 13, 21 share a slot
    insert_chunks(keys, values, hashes, np.array([10, 11, 12, 13]))
    query = np.array([21, 5, 99, 2**63 + 7, 13], dtype=np.uint64)
    assert find_chunks(keys, values, query).tolist() == [12, 10, -1, 13, 11]


def test_sentence_starts_match_the_array_rule() -> None:
    rng = np.random.default_rng(0)
    n = 2000
    period = rng.random(n) < 0.15
    punct = period | (rng.random(n) < 0.15)
    ptr = np.arange(n + 1)
    zeros = np.zeros(n, dtype=np.int64)
    *_, starts = gather_tokens(
        np.arange(n),
        np.arange(n) * 3,
        np.arange(n) * 3 + 1,
        np.zeros(n, np.uint64),
        0,
        ptr,
        zeros,
        zeros + 1,
        zeros.astype(np.uint64),
        np.zeros(n, bool),
        punct,
        period,
        np.zeros(n, bool),
    )
    assert starts.tolist() == _sentencizer_rule(period, punct).tolist()


def test_crossing_candidates_match_the_array_formula() -> None:
    rng = np.random.default_rng(1)
    follows = rng.integers(-1, 3, 50)
    begins = rng.integers(-1, 3, 50)
    near_end, near_start = rng.random(50) < 0.5, rng.random(50) < 0.5
    left, right = rng.integers(0, 50, 500), rng.integers(0, 50, 500)
    expected = np.flatnonzero(
        (follows[left] >= 0) & (begins[right] >= 0) & (near_end[left] | near_start[right])
    )
    found = crossing_candidates(left, right, follows, begins, near_end, near_start)
    assert found.tolist() == expected.tolist()


_PIECES = [
    "We learned a lot.",
    "I did not learn anything new.",
    "We shared our experiences  with others.",
    "tab\there",
    "line\nbreak",
    "e.g. we applied it",
    "can't learn",
    ":) we met",
    '"quoted learning."',
    "well-being",
    "$5,000 saved.",
    "café learnt",
    "🎉 we applied",
    "\u00a0nbsp",
    "Dr. Smith",
    "www.example.com",
    "—",
    "o.k.",
    "lol :-(",
    "  ",
    "",
]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_scanned_tokens_are_spacys_tokens(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # a small cache, so it is cleared while batches are looked up
    monkeypatch.setattr(segments, "MAX_CACHED_CHUNKS", 60)
    nlp = make_nlp()
    rng = random.Random(seed)
    seps = [" ", "", "  ", "\n", " \n ", "\t"]
    for _ in range(40):
        texts = [
            "".join(rng.choice(_PIECES) + rng.choice(seps) for _ in range(rng.randint(0, 5)))
            for _ in range(8)
        ]
        _scan_as_spacy(nlp, texts)


def test_a_text_a_special_case_may_cross_is_tokenized_whole() -> None:
    nlp = make_nlp()
    texts = ["We met.", "gj(: ')gA — s.A+g\"*e.g.", "ok"]
    text = SEPARATOR.join(texts)
    assert scan_tokens(nlp, text) is None  # without the texts' starts it cannot say which
    starts = np.cumsum([0] + [len(t) + len(SEPARATOR) for t in texts[:-1]])
    tokens = scan_tokens(nlp, text, starts)
    assert tokens is not None
    assert [text[a:b] for a, b in zip(tokens.idx, tokens.end, strict=True)] == [
        t.text for t in nlp.make_doc(text)
    ]


def test_new_chunks_tokenized_together_are_tokenized_as_alone() -> None:
    from copanalysis.coding.segments import _ChunkCache

    nlp = make_nlp()
    cache = _ChunkCache(nlp)
    words = [p for text in _PIECES for p in text.split(" ") if p] + [
        ":",
        ")",
        "(:",
        ":-",
        "(",
        "e.g",
        ".",
        "U.S.",
        "a.m.",
        "'s",
        "n't",
        "don't",
        "10a.m.",
        "\n",
        "\t ",
    ]
    chunks = list(dict.fromkeys(w.encode("utf-8") for w in words))
    ids = cache.lookup(chunks)
    for chunk, i in zip(chunks, ids.tolist(), strict=True):
        doc = nlp.tokenizer(chunk.decode("utf-8"))
        lo, hi = cache.ptr[i], cache.ptr[i + 1]
        assert cache.start[lo:hi].tolist() == [t.idx for t in doc]
        assert cache.length[lo:hi].tolist() == [len(t.text) for t in doc]
        assert cache.lower[lo:hi].tolist() == [t.lower for t in doc]
        assert cache.punct[lo:hi].tolist() == [t.is_punct for t in doc]
        assert cache.space[lo:hi].tolist() == [t.is_space for t in doc]


def test_words_of_letters_get_spacys_lower_ids() -> None:
    from copanalysis.coding.chunking import cut_words
    from copanalysis.coding.segments import _chunk_cache

    nlp = make_nlp()
    cache = _chunk_cache(nlp)
    assert cache is not None and cache.words_alone
    # plain words, a symbol ("number" is spaCy's id 432), special cases (not one token),
    # and chunks that are not letters only
    text = "Learned NUMBER number cannot gonna well-being x2 café it's Ok Practitioners"
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    start, end, hashes, lower, tail = cut_words(points, _SPACE, cache.words, cache.tails)
    # the same chunks and hashes as cut_chunks
    assert [a.tolist() for a in cut_chunks(points, _SPACE)] == [
        a.tolist() for a in (start, end, hashes)
    ]
    words = [text[a:b] for a, b in zip(start.tolist(), end.tolist(), strict=True)]
    expected = {
        w: nlp.vocab.strings[w.lower()]
        for w in ("Learned", "NUMBER", "number", "Ok", "Practitioners")  # 13 letters: 2 blocks
    }
    assert expected["number"] == 432
    assert {w: v for w, v in zip(words, lower.tolist(), strict=True) if v} == expected


def test_a_tokenizer_that_splits_words_gets_no_word_shortcut() -> None:
    import spacy
    from spacy.util import compile_suffix_regex

    from copanalysis.coding.segments import _chunk_cache

    nlp = spacy.blank("en")
    suffixes = [*nlp.Defaults.suffixes, "ing$"]  # a tokenizer that cuts "ing" off words
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    cache = _chunk_cache(nlp)
    assert cache is not None and not cache.words_alone
    assert cache.marks == ""  # nor a word with a mark
    text = "We were learning and sharing"
    tokens = scan_tokens(nlp, text)
    assert tokens is not None
    doc = nlp.make_doc(text)
    assert (
        [text[a:b] for a, b in zip(tokens.idx, tokens.end, strict=True)]
        == [t.text for t in doc]
        == ["We", "were", "learn", "ing", "and", "shar", "ing"]
    )


def _lexeme_words(n: int, seed: int) -> list[str]:
    """A sample of the letters-only words of spaCy's English lexeme table."""
    import gzip
    import json
    import re
    from importlib.resources import files

    data = files("spacy_lookups_data") / "data" / "en_lexeme_prob.json.gz"
    words = sorted(
        w for w in json.loads(gzip.decompress(data.read_bytes())) if re.fullmatch(r"[A-Za-z]+", w)
    )
    return random.Random(seed).sample(words, n)


def test_the_marks_a_word_may_end_with_follow_the_tokenizer() -> None:
    from copanalysis.coding.segments import _chunk_cache

    cache = _chunk_cache(make_nlp())
    assert cache is not None and cache.words_alone
    # ":" and ";" start emoticons that go on with a word (":P", ";D"): left to the cache
    assert cache.marks == ",.!?"
    assert cache.tails[1].tolist() == [False, True, False, False]  # "I." stays one token


def test_words_with_a_mark_are_spacys_tokens_and_need_no_cache() -> None:
    from copanalysis.coding.segments import _chunk_cache

    nlp = make_nlp()
    cache = _chunk_cache(nlp)
    assert cache is not None
    cache.clear()
    words = _lexeme_words(3000, 0)
    rng = random.Random(1)
    texts = [
        " ".join(rng.choice(words) + rng.choice([",", ".", "!", "?", ""]) for _ in range(12))
        for _ in range(250)
    ]
    _scan_as_spacy(nlp, texts)
    # 3,000 words with and without marks: only the few special cases and the words
    # ending in an upper-case letter before a period went to the cache
    special = sum(w in nlp.tokenizer.rules for w in words)
    assert cache.size - len(cache.marks) < special + 200


@pytest.mark.parametrize("seed", [0, 1])
def test_words_with_a_mark_beside_special_cases_are_spacys_tokens(seed: int) -> None:
    # every special case, the words of the special-case patterns with and without a mark
    # ("o." before "O", "Ph." before "D.", ":" before "P"), and plain words with marks
    nlp = make_nlp()
    cache = segments._chunk_cache(nlp)
    assert cache is not None
    rules = sorted(nlp.tokenizer.rules)
    words = sorted({w for q in cache.specials.patterns for w in q})
    plain = ["hello", "session", "so", "I", "A", "aB", "USA", "cannot", "gonna", "Let", "It"]
    rng = random.Random(seed)

    def piece() -> str:
        roll = rng.random()
        if roll < 0.25:
            return rng.choice(rules)
        if roll < 0.45:
            return rng.choice(words)
        if roll < 0.8:
            return rng.choice(words + plain) + rng.choice(",.!?;:")
        return rng.choice(plain)

    for _ in range(60):
        texts = [
            "".join(piece() + rng.choice([" ", " ", "  ", "\n", ""]) for _ in range(6))
            for _ in range(30)
        ]
        _scan_as_spacy(nlp, texts)


def test_the_caches_tokenizer_starts_afresh_and_tokens_stay_spacys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(segments, "MAX_TOKENIZER_WORDS", 900)
    nlp = make_nlp()
    cache = segments._chunk_cache(nlp)
    assert cache is not None
    cache.clear()
    first = cache.tokenizer
    words = _lexeme_words(600, 3)
    texts = [" ".join(f"{w}-{i}'s" for w in words[i : i + 40]) for i in range(0, 600, 40)]
    for text in texts:  # 600 chunks the cache tokenizes, two new words each
        _scan_as_spacy(nlp, [text])
        assert len(cache.tokenizer.vocab) <= 900 + 40 * 6
    assert cache.tokenizer is not first
    # the chunks tokenized before are still known, without their lexemes
    _scan_as_spacy(nlp, texts[:1])
