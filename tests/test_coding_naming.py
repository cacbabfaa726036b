"""CodeNames: the codes a unit names outright, by label or multi-word alias."""

from __future__ import annotations

import pytest

from copanalysis.codebooks.codebook import Code, Codebook
from copanalysis.coding.naming import CodeNames
from copanalysis.io.codebooks import load_codebook


@pytest.fixture(scope="module")
def cycles() -> CodeNames:
    return CodeNames(load_codebook("value_cycles"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The VCoP provided immediate value in supporting networking.", ["immediate"]),
        ("with potential value for supporting practice change", ["potential"]),
        # British spelling, coordination, the 2020 alias, in the order they are named
        (
            "Evidence of realised and transformative value was limited.",
            ["realized", "reframing"],
        ),
        ("Applied/Realized values were reported by half.", ["applied", "realized"]),
        ("immediate, potential, or applied value", ["immediate", "potential", "applied"]),
        ("evidence of transformative (sustainability) value", ["reframing"]),
        # sub-codes by their own labels, named twice listed once
        (
            "It built social capital; social capital and human capital grew.",
            ["potential_social", "potential_human"],
        ),
        # a one-word alias, or a cycle word without its head noun, names nothing
        ("The course was transformative for me.", []),
        ("We saw immediate results and applied the idea.", []),
        ("The potential of the value chain", []),
    ],
)
def test_find_names_codes_in_the_order_they_are_named(
    cycles: CodeNames, text: str, expected: list[str]
) -> None:
    assert [code for code, _ in cycles.find(text)] == expected


def test_find_gives_the_whole_naming_phrase(cycles: CodeNames) -> None:
    assert cycles.find("Members  found Realised\nvalue limited.") == [
        ("realized", "Realised value")
    ]


def test_ungroupable_codes_are_never_named() -> None:
    book = Codebook(
        "toy",
        "1",
        [
            Code("group", "Grouping value", codable=False),
            Code("a", "Alpha value", parent="group"),
            Code("b", "Beta", aliases=["beta value", "b"]),
        ],
    )
    names = CodeNames(book)
    assert names.find("grouping value, alpha value and beta value; beta alone") == [
        ("a", "alpha value"),
        ("b", "beta value"),
    ]
