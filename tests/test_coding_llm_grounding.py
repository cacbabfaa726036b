"""Grounding a model's quotes in the text, and pseudonymising names before sending."""

from __future__ import annotations

import pytest

from copanalysis.coding.llm_grounding import (
    Pseudonyms,
    ground_quote,
    normalise,
    placeholder,
)

TEXT = "We met twice.  Ana said: \u201cplan in threes\u201d.\nWe plan in threes now."


@pytest.mark.parametrize(
    ("quote", "found"),
    [
        ("We met twice.", (0, 13, "exact")),
        ("  We met twice.  ", (0, 13, "exact")),  # outer whitespace
        ("\u201cWe met twice.\u201d", (0, 13, "exact")),  # wrapped in quotation marks
        ("...We plan in threes now", (43, 64, "exact")),  # an ellipsis the model added
        ("plan in threes", (26, 40, "exact")),  # the first occurrence wins
        ('Ana said: "plan in threes".', (15, 42, "normalised")),  # straight quotes
        ("We met twice. Ana said:", (0, 24, "normalised")),  # one space for two
        ("We plan in threes now!", (43, 64, "normalised")),  # rapidfuzz >= 95
        ("We plan in fours now", None),  # not in the text
        ("We met three times.", None),
        ("", None),
        ("\u2026", None),
    ],
)
def test_ground_quote(quote: str, found: tuple | None) -> None:
    assert ground_quote(quote, TEXT) == found
    if found is not None:
        assert TEXT[found[0] : found[1]].strip() == TEXT[found[0] : found[1]]


def test_a_fuzzy_match_is_widened_to_whole_words() -> None:
    text = "The juniors now lead one session each."
    start, end, how = ground_quote("juniors now lead one sesion each", text)
    assert (text[start:end], how) == ("juniors now lead one session each", "normalised")


def test_the_threshold_is_a_parameter() -> None:
    text = "I learned a new way to run handovers."
    assert ground_quote("I learnt a new way to run handovers", text) is None
    start, end, _ = ground_quote("I learnt a new way to run handovers", text, min_score=90)
    assert text[start:end] == "I learned a new way to run handovers"


def test_normalise_keeps_each_characters_position() -> None:
    text, index = normalise("\u2018a\u2019 \n\t b ")
    assert text == "'a' b"
    assert index == [0, 1, 2, 3, 7]


def test_placeholders_are_stable_and_case_blind() -> None:
    assert placeholder("Ana Lopez") == placeholder(" ana   LOPEZ ") == "[PERSON-67b6ab]"
    assert placeholder("Ana") != placeholder("Ana Lopez")


def test_pseudonyms_replace_whole_names_and_map_offsets_back() -> None:
    names = Pseudonyms.from_names(["Ana Lopez", None, "B", "de la Cruz"])
    # parts of three letters or more that start with a capital also count
    assert sorted(names.names) == ["ana", "ana lopez", "cruz", "de la cruz", "lopez"]
    original = "Ana Lopez met Anabel and Cruz; ana said so."
    sent = names.apply(original)
    ana, full, cruz = placeholder("Ana"), placeholder("Ana Lopez"), placeholder("Cruz")
    assert sent.text == f"{full} met Anabel and {cruz}; {ana} said so."
    assert len(sent.replaced) == 3
    # every span of the sent text maps to the same words of the original
    start = sent.text.index("met")
    assert sent.to_original(start, start + len("met Anabel and")) == (10, 24)
    start = sent.text.index(ana)
    assert original[slice(*sent.to_original(start, len(sent.text)))] == "ana said so."
    # a span cut inside a placeholder takes in the whole name
    assert sent.to_original(3, 8) == (0, 9)
    assert names.restore(f"{full} and {cruz}") == "Ana Lopez and Cruz"


def test_without_names_nothing_changes() -> None:
    sent = Pseudonyms.from_names([]).apply("Ana met Ben.")
    assert (sent.text, sent.replaced, sent.to_original(4, 7)) == ("Ana met Ben.", (), (4, 7))
