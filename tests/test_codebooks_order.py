"""code_table, order_codes and the cycle order: one reading of a codebook for every consumer."""

from __future__ import annotations

import pandas as pd
import pytest

from copanalysis.codebooks import (
    CYCLE_ALIASES,
    CYCLE_ORDER,
    MAIN_CYCLES,
    Code,
    Codebook,
    code_table,
    order_codes,
)
from copanalysis.codebooks.order import codebook_name
from copanalysis.errors import CodebookError, SchemaError
from copanalysis.io.codebooks import load_codebook

BOOK = Codebook(
    name="cycles",
    version="1",
    codes=(
        Code("potential", "Potential value", color="#56B4E9"),
        Code("potential_human", "Human capital", parent="potential"),  # default colour
        Code("applied", "Applied value"),
    ),
)


def test_cycles_in_the_framework_order():
    assert MAIN_CYCLES == ("immediate", "potential", "applied", "realized", "reframing")
    assert CYCLE_ORDER[5:] == ("orienting", "enabling", "strategic")
    assert CYCLE_ALIASES["transformative"] == "reframing"


def test_a_codebook_and_its_frame_give_the_same_table():
    table = code_table(BOOK)
    assert table.to_dict("records") == [
        {"code": "potential", "label": "Potential value", "parent": "", "color": "#56B4E9"},
        {"code": "potential_human", "label": "Human capital", "parent": "potential", "color": ""},
        {"code": "applied", "label": "Applied value", "parent": "", "color": ""},
    ]
    pd.testing.assert_frame_equal(code_table(BOOK.to_frame()), table)


def test_built_in_by_name_keeps_its_order_parents_and_colours():
    book = load_codebook("value_cycles")
    table = code_table("value_cycles")
    assert table["code"].tolist() == [c.code for c in book]
    assert table.set_index("code").loc["potential_human", "parent"] == "potential"
    assert table["color"].tolist() == [c.color for c in book]


def test_frame_cells_are_cleaned_and_repeats_keep_the_first():
    frame = pd.DataFrame(
        {
            "code": [" TIME ", "TECH", None, "TIME"],
            "label": ["Time", None, "no id", "Again"],
            "color": ["#0072B2", float("nan"), "", "#000000"],
        }
    )
    table = code_table(frame)
    assert table[["code", "label", "parent", "color"]].values.tolist() == [
        ["TIME", "Time", "", "#0072B2"],
        ["TECH", "TECH", "", ""],
    ]


def test_a_list_reads_in_order_and_the_first_entry_wins():
    extra = pd.DataFrame({"code": ["applied", "TIME"], "label": ["Other", "Time"]})
    table = code_table([BOOK, extra])
    assert table["code"].tolist() == ["potential", "potential_human", "applied", "TIME"]
    assert table.set_index("code").loc["applied", "label"] == "Applied value"


def test_none_and_unloadable_names():
    assert code_table(None).columns.tolist() == ["code", "label", "parent", "color"]
    assert code_table(None).empty
    assert code_table("no_such_codebook", strict=False).empty
    with pytest.raises(CodebookError, match="no_such_codebook"):
        code_table("no_such_codebook")


def test_bad_codebooks_are_errors():
    with pytest.raises(SchemaError, match="'code'"):
        code_table(pd.DataFrame({"label": ["Time"]}))
    with pytest.raises(TypeError, match="codebook"):
        code_table(42)


def test_order_codes_codebook_then_cycles_then_alphabetical():
    codes = ["zeta", "realized", "applied", "potential_human", "immediate", "alpha", "applied"]
    assert order_codes(codes, BOOK) == [
        "potential_human",
        "applied",
        "immediate",
        "realized",
        "alpha",
        "zeta",
    ]
    assert order_codes(["strategic", "reframing"]) == ["reframing", "strategic"]


def test_codebook_name():
    assert codebook_name(BOOK) == "cycles"
    assert codebook_name("value_cycles") == "value_cycles"
    assert codebook_name(pd.DataFrame({"code": ["x"]})) == ""
