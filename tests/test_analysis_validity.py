"""validity() and reliability(): the dev-set figures' statistics (trial 20's audit)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from copanalysis.analysis.validity import reliability, validity

LABELS = ["potential", "applied", "realized"]


def test_integer_unit_ids_are_matched_not_scored_as_uncoded():
    """Integer ids gave coverage 0, accuracy 0 and kappa 0 for a coder right on all three
    units, with no warning."""
    reference = pd.Series(["applied", "potential", "realized"], index=[1, 2, 3])
    predicted = pd.DataFrame(
        {"code": ["applied", "potential", "realized"], "confidence": 0.9}, index=["1", "2", "3"]
    )
    table = validity(predicted, reference=reference, labels=LABELS, n_boot=0)
    assert (table.attrs["coverage"], table.attrs["accuracy"]) == (1.0, 1.0)
    assert table.attrs["kappa"] == 1.0
    same = reliability(predicted.set_axis([1, 2, 3]), reference=reference, bins=2)
    assert same["units"].sum() == 3 and same["accuracy"].tolist() == [1.0]


def test_a_unit_left_uncoded_is_a_miss_in_the_per_code_table():
    """The README's per-cycle table scored a coder that abstains on its coded units only
    (the model coder: potential F1 0.55 over 20 units, 0.46 over all 29)."""
    reference = pd.Series(["applied", "applied", "potential", "potential"], index=list("abcd"))
    predicted = pd.DataFrame(
        {"code": ["applied", "potential"], "confidence": [0.9, 0.8]}, index=["a", "c"]
    )
    table = validity(predicted, reference=reference, labels=LABELS, n_boot=0)
    assert table.loc["applied", ["precision", "recall", "f1", "support"]].tolist() == [
        1.0, 0.5, pytest.approx(2 / 3), 2.0
    ]  # fmt: skip
    assert np.isnan(table.loc["realized", "f1"])  # no reference unit: undefined


def test_reliability_leaves_out_units_without_a_confidence():
    reference = pd.Series(["applied", "applied"], index=["a", "b"])
    predicted = pd.DataFrame(
        {"code": ["applied", "applied"], "confidence": [0.9, np.nan]}, index=["a", "b"]
    )
    table = reliability(predicted, reference=reference, bins=2)
    assert table["units"].tolist() == [1] and table.attrs["ece"] == pytest.approx(0.1)
