"""The rule coder's engine: byte-range strings, the word hash table, grouping, assembly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from copanalysis.codebooks.codebook import Code, Codebook
from copanalysis.coding.matching import field_rows, look_up, text_slices, word_index
from copanalysis.coding.rules import RuleCoder


@pytest.mark.parametrize(
    "ranges",
    [
        [(0, 5), (5, 5), (6, 9), (10, 16), (17, 21)],  # in order
        [(10, 16), (0, 5), (0, 9), (6, 6), (17, 24)],  # out of order, overlapping
    ],
)
def test_text_slices_cut_utf8_byte_ranges(ranges: list[tuple[int, int]]) -> None:
    data = "Café — naïve 🎉 ok".encode()
    start = np.array([a for a, _ in ranges])
    end = np.array([b for _, b in ranges])
    got = text_slices(data, start, end)
    assert got.type == pa.string()
    assert got.to_pylist() == [data[a:b].decode() for a, b in ranges]


def test_text_slices_of_nothing() -> None:
    none = np.zeros(0, dtype=np.int64)
    assert text_slices(b"abc", none, none).to_pylist() == []


def test_look_up_resolves_hashes_that_share_a_slot() -> None:
    step = 2**40  # above any table mask: these hashes share the low bits
    forms = np.array([5, 9, 5 + step, 5 + 2 * step], dtype=np.uint64)  # sorted
    breaks = np.array([9, 5 + 3 * step], dtype=np.uint64)
    index = word_index(forms, breaks)
    lower = np.array([5 + 2 * step, 9, 5 + 3 * step, 5 + 4 * step, 0, 5], dtype=np.uint64)
    form, is_break = look_up(lower, index)
    assert form.tolist() == [3, 1, -1, -1, -1, 0]
    assert is_break.tolist() == [False, True, True, False, False, False]


def test_field_rows_unknown_and_missing_fields_take_the_neutral_row() -> None:
    coder = RuleCoder(
        Codebook(
            "demo",
            "1",
            (
                Code("applied", "Applied", cues=("apply",), fields=("practice",)),
                Code("realized", "Realized", cues=("save",), fields=("organization",)),
            ),
        )
    ).fit()
    rows = field_rows(coder.tables_, pa.array(["organization", None, "practice", "story"]))
    assert rows.tolist() == [0, 2, 1, 2]
    assert coder.tables_.field_prior[2].tolist() == [0.0, 0.0]


def test_a_form_of_two_cue_words_starts_and_continues_cues() -> None:
    # "onboarding" is a form of the word "onboard" and the word "onboarding"
    book = Codebook(
        "demo",
        "1",
        (
            Code("a", "A", cues=("onboard",)),
            Code("b", "B", cues=("onboarding plan",)),
            Code("c", "C", cues=("smooth onboarding",)),
        ),
    )
    coder = RuleCoder(book).fit()
    assert coder.tables_.form_words.shape[1] == 2
    text = "Our onboarding plan worked. A smooth, quick onboarding. A smooth onboarding."
    codes = coder.code(pd.DataFrame({"story_id": ["s"], "story": [text]}))
    assert codes[["code", "start", "end"]].values.tolist() == [
        ["a", 0, 27],
        ["b", 0, 27],
        ["a", 28, 55],
        ["a", 56, 76],
        ["c", 56, 76],
    ]
    assert codes["evidence"].tolist()[-1] == 'cue "smooth onboarding" <- "smooth onboarding"'


def test_non_ascii_text_gives_character_offsets_and_exact_strings() -> None:
    book = Codebook("demo", "1", (Code("potential", "P", cues=("learn",)),))
    text = "Café naïve 🎉. Wir learnt — à lot, did not learn."
    codes = RuleCoder(book).fit().code(pd.DataFrame({"story_id": ["s"], "story": [text]}))
    # offsets count characters (the emoji is one), strings are cut from UTF-8 bytes
    assert codes[["start", "end", "polarity"]].values.tolist() == [[14, 48, 1], [14, 48, -1]]
    assert codes["quote"].tolist() == ["Wir learnt — à lot, did not learn."] * 2
    assert codes["evidence"].tolist() == [
        'cue "learn" <- "learnt"',
        'cue "learn" <- "learn", negated by "not"',
    ]


def test_grandparents_get_the_chain_of_via_marks() -> None:
    book = Codebook(
        "demo",
        "1",
        (
            Code("top", "Top", cues=("plan",)),
            Code("mid", "Mid", parent="top"),
            Code("leaf", "Leaf", parent="mid", cues=("learn", "share")),
        ),
    )
    text = "We learned and shared. We made a plan and learned."
    codes = RuleCoder(book).fit().code(pd.DataFrame({"story_id": ["s"], "story": [text]}))
    got = codes[["code", "start", "confidence", "evidence"]].values.tolist()
    both = 'cue "learn" <- "learned" | cue "share" <- "shared"'
    assert got == [
        ["top", 0, 0.798, both + " (via leaf) (via mid)"],
        ["mid", 0, 0.798, both + " (via leaf)"],
        ["leaf", 0, 0.798, both],
        ["top", 23, 0.55, 'cue "plan" <- "plan"'],  # fired itself: no via
        ["mid", 23, 0.55, 'cue "learn" <- "learned" (via leaf)'],
        ["leaf", 23, 0.55, 'cue "learn" <- "learned"'],
    ]
