"""plots.labels: sub-codes nested under their parent, built-in labels by default."""

from __future__ import annotations

import pandas as pd

from copanalysis.plots.labels import (
    BUILT_IN_CODEBOOKS,
    code_labels,
    nest_codes,
    nested_label,
    or_built_in,
)

BOOK = pd.DataFrame(
    {
        "code": ["a", "a1", "a2", "b", "b1"],
        "parent": ["", "a", "a", "", "b"],
        "label": ["A", "A one", "A two", "B", "B one"],
    }
)


def test_sub_codes_move_right_after_their_parent_in_the_given_order():
    assert nest_codes(["b", "a2", "a", "b1", "a1"], BOOK) == [
        ("b", 0),
        ("b1", 1),
        ("a", 0),
        ("a2", 1),
        ("a1", 1),
    ]


def test_a_sub_code_without_its_parent_stays_at_the_top_level():
    assert nest_codes(["a1", "b"], BOOK) == [("a1", 0), ("b", 0)]


def test_parents_that_loop_still_give_every_code_once():
    loop = pd.DataFrame({"code": ["x", "y"], "parent": ["y", "x"]})
    assert nest_codes(["x", "y"], loop) == [("x", 0), ("y", 1)]


def test_nested_labels_are_indented_with_em_spaces():
    assert nested_label("A one", 1) == "\u2003└ A one"
    assert nested_label("deep", 2).startswith("\u2003\u2003└ ")
    assert nested_label("A", 0) == "A"


def test_built_in_codebooks_label_ids_when_no_codebook_is_given():
    assert or_built_in(None) == list(BUILT_IN_CODEBOOKS)
    assert or_built_in(BOOK) is BOOK
    labels = code_labels(or_built_in(None), ["potential_human", "organization_short", "TIME"])
    assert labels["potential_human"] == "Human capital"
    assert labels["organization_short"] == "Organization, short term"
    assert labels["TIME"] == "Time and workload"
