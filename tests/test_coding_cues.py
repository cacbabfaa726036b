"""Cue compilation: lemma words, inverted lookup forms, negators and polarity cues."""

from __future__ import annotations

from copanalysis.codebooks.codebook import Code, Codebook
from copanalysis.coding.cues import compile_codebook, lemmatize, surface_forms


def test_surface_forms_come_from_the_inverted_lookup_table() -> None:
    assert surface_forms("learn") == {"learn", "learns", "learned", "learning", "learnt"}
    assert {"met", "meets", "meeting"} <= surface_forms("meet")
    assert "n't" in surface_forms("not")


def test_unknown_words_get_regular_forms_and_known_words_do_not() -> None:
    assert surface_forms("upskill") == {"upskill", "upskills", "upskilled", "upskilling"}
    # "new" is in the table ("newer", "newest"), so no regular "news"
    assert "news" not in surface_forms("new")


def test_cues_are_lemmatized_before_expansion() -> None:
    assert lemmatize("Shared") == "share"
    book = Codebook("b", "1", (Code("x", "X", cues=("shared experiences", "learn")),))
    code_cues = [c for c in compile_codebook(book, str.split) if c.role == "code"]
    assert [c.words for c in code_cues] == [("share", "experience"), ("learn",)]
    assert [c.text for c in code_cues] == ["shared experiences", "learn"]


def test_shared_cues_list_every_code_and_polarity_cues_are_compiled() -> None:
    book = Codebook(
        "b",
        "1",
        (Code("a", "A", cues=("time",)), Code("b", "B", cues=("time", "money"))),
        polarity={"positive": ("thanks to",), "negative": ("lack of",)},
    )
    by_role = {}
    for cue in compile_codebook(book, str.split):
        by_role.setdefault(cue.role, []).append(cue)
    assert [(c.text, c.codes) for c in by_role["code"]] == [
        ("time", ("a", "b")),
        ("money", ("b",)),
    ]
    assert [c.words for c in by_role["positive"]] == [("thank", "to")]
    assert [c.words for c in by_role["negative"]] == [("lack", "of")]
    assert ("not",) in [c.words for c in by_role["negator"]]
