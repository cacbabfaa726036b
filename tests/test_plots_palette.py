"""The palette and code labels every chart shares."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from copanalysis.codebooks.codebook import Code, Codebook
from copanalysis.errors import SchemaError
from copanalysis.plots.labels import code_entries, code_labels, order_codes, shorten, wrap
from copanalysis.plots.palette import CATEGORICAL, code_colors, count_colormap, text_color_on

BOOK = Codebook(
    name="cycles",
    version="1",
    codes=(
        Code("immediate", "Immediate value", color="#E69F00"),
        Code("potential", "Potential value"),  # no colour: the Code default
        Code("applied", "Applied value", color="#009E73"),
        Code("realized", "Realized value"),
    ),
)


def test_codebook_colours_are_kept_and_the_others_are_distinct():
    colors = code_colors(BOOK)
    assert colors["immediate"] == "#E69F00"
    assert colors["applied"] == "#009E73"
    assert colors["potential"] != colors["realized"]
    assert {colors["potential"], colors["realized"]}.isdisjoint({"#E69F00", "#009E73"})
    assert all(c in CATEGORICAL for c in (colors["potential"], colors["realized"]))


def test_a_code_keeps_its_colour_from_a_frame_or_a_codebook():
    frame = pd.DataFrame(
        {
            "code": [c.code for c in BOOK.codes],
            "label": [c.label for c in BOOK.codes],
            "color": ["#E69F00", "", "#009E73", None],
        }
    )
    assert code_colors(frame) == code_colors(BOOK)


def test_unknown_codes_get_a_stable_colour_by_id():
    first = code_colors(None, ["MY_TIME", "MY_TRUST", "MY_TECH"])
    again = code_colors(None, ["MY_TECH", "MY_TIME"])
    assert first["MY_TIME"] == again["MY_TIME"] and first["MY_TECH"] == again["MY_TECH"]
    assert set(first.values()) <= set(CATEGORICAL)


def test_without_a_codebook_built_in_codes_keep_their_codebooks_colours():
    colors = code_colors(None, ["applied", "realized", "reframing", "TIME", "MY_CODE"])
    assert colors == {
        "applied": code_colors("value_cycles")["applied"],
        "realized": code_colors("value_cycles")["realized"],
        "reframing": code_colors("value_cycles")["reframing"],
        "TIME": code_colors("enablers_challenges")["TIME"],
        "MY_CODE": code_colors(None, ["MY_CODE"])["MY_CODE"],
    }
    assert colors["realized"] != colors["reframing"]


def test_palette_is_okabe_ito_then_tol():
    assert CATEGORICAL[:2] == ("#0072B2", "#E69F00")
    assert len(set(CATEGORICAL)) == len(CATEGORICAL) == 16


def test_counts_colormap_runs_light_to_dark():
    cmap = count_colormap()
    assert text_color_on(cmap(0.0)) == "#222222"
    assert text_color_on(cmap(1.0)) == "white"


def test_labels_and_order_from_the_codebook():
    assert code_labels(BOOK, ["potential", "TIME"])["potential"] == "Potential value"
    assert code_labels(BOOK, ["TIME"])["TIME"] == "TIME"
    assert order_codes(["realized", "TIME", "immediate", "orienting"], BOOK) == [
        "immediate",
        "realized",
        "orienting",
        "TIME",
    ]
    merged = code_entries([BOOK, pd.DataFrame({"code": ["TIME"], "label": ["Time"]})])
    assert [e.code for e in merged] == ["immediate", "potential", "applied", "realized", "TIME"]


def test_codebook_frame_without_code_column_is_an_error():
    with pytest.raises(SchemaError, match="'code'"):
        code_entries(pd.DataFrame({"label": ["Time"]}))
    with pytest.raises(TypeError, match="codebook"):
        code_entries(42)


def test_wrap_and_shorten_keep_within_width():
    text = "Boundary connections & outside expertise from partner networks"
    lines = wrap(text, 20, max_lines=2).split("\n")
    assert len(lines) == 2 and all(len(line) <= 20 for line in lines)
    assert lines[-1].endswith("…")
    assert len(shorten(text, 25)) <= 25
