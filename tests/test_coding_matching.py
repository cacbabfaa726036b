"""The rule coder's engine: field priors, forms of several cue words, offsets, parents."""

from __future__ import annotations

import pandas as pd

from copanalysis.codebooks.codebook import Code, Codebook
from copanalysis.coding.rules import RuleCoder


def test_a_field_no_code_lists_is_neutral_and_listed_fields_move_confidence() -> None:
    book = Codebook(
        "demo",
        "1",
        (
            Code("applied", "Applied", cues=("apply",), fields=("practice",)),
            Code("realized", "Realized", cues=("save",), fields=("organization",)),
        ),
    )
    coder = RuleCoder(book).fit()
    assert coder.tables_.field_row == {"organization": 0, "practice": 1}
    assert coder.tables_.field_prior.tolist() == [[-0.15, 0.2], [0.2, -0.15], [0.0, 0.0]]
    fields = ["practice", "organization", "story"]
    stories = pd.DataFrame({"story_id": ["s"]} | {f: ["We applied it."] for f in fields})
    codes = coder.code(stories)
    assert codes[["field", "confidence"]].values.tolist() == [
        ["practice", 0.75],
        ["organization", 0.4],
        ["story", 0.55],
    ]


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


def test_a_sub_code_six_levels_down_adds_every_ancestor() -> None:
    levels = [f"l{i}" for i in range(7)]  # l0 is the root, l6 the leaf with the cue
    book = Codebook(
        "deep",
        "1",
        tuple(
            Code(c, c.upper(), parent=levels[i - 1] if i else None, cues=("learn",) * (i == 6))
            for i, c in enumerate(levels)
        ),
    )
    codes = RuleCoder(book).fit().code(pd.DataFrame({"story_id": ["s"], "story": ["I learnt."]}))
    assert codes["code"].tolist() == levels
    assert codes["evidence"].tolist()[0] == 'cue "learn" <- "learnt"' + "".join(
        f" (via l{i})" for i in range(6, 0, -1)
    )
    assert codes["confidence"].tolist() == [0.55] * 7


def test_a_bulleted_answer_is_quoted_from_its_first_word() -> None:
    book = Codebook("demo", "1", (Code("potential", "P", cues=("learn",)),))
    text = "Things I did:\n- learnt cosign\n  2. learnt SLSA"
    codes = RuleCoder(book).fit().code(pd.DataFrame({"story_id": ["s"], "story": [text]}))
    assert codes[["start", "end", "quote"]].values.tolist() == [
        [16, 29, "learnt cosign"],
        [35, 46, "learnt SLSA"],
    ]
