"""cooccurrence of codes in documents and overlapping segments."""

from __future__ import annotations

import pandas as pd

from copanalysis.analysis.cooccurrence import cooccurrence

CODES = pd.DataFrame(
    [
        ("s1", "practice", 0, 40, "applied", 1),
        ("s1", "practice", 10, 30, "realized", 1),  # overlaps applied
        ("s1", "insights", 0, 20, "potential", 1),
        ("s2", "practice", 0, 20, "applied", 1),
        ("s2", "practice", 20, 40, "realized", 1),  # touches, no overlap
        ("s2", "activities", 0, 9, "immediate", -1),
    ],
    columns=["doc_id", "field", "start", "end", "code", "polarity"],
).assign(coder="me")


def test_document_cooccurrence_is_symmetric_with_units_on_the_diagonal():
    matrix = cooccurrence(CODES)
    assert matrix.index.tolist() == ["applied", "realized", "potential"]
    assert matrix.columns.tolist() == matrix.index.tolist()
    assert matrix.loc["applied", "applied"] == 2
    assert matrix.loc["applied", "realized"] == 2
    assert matrix.loc["realized", "applied"] == 2
    assert matrix.loc["potential", "applied"] == 1
    assert "immediate" not in matrix.index  # negative codes left out by default


def test_segment_cooccurrence_needs_overlapping_spans():
    matrix = cooccurrence(CODES, unit="segment")
    assert matrix.loc["applied", "applied"] == 2
    assert matrix.loc["applied", "realized"] == 1
    assert matrix.loc["potential", "applied"] == 0


def test_negative_and_any_polarity():
    assert cooccurrence(CODES, polarity="negative").to_dict() == {"immediate": {"immediate": 1}}
    assert cooccurrence(CODES, polarity="any").loc["immediate", "applied"] == 1
