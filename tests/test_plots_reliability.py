"""plot_reliability: one line per coded set, on the diagonal when calibrated."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from copanalysis.analysis.validity import reliability
from copanalysis.errors import SchemaError
from copanalysis.plots.reliability import plot_reliability


def test_each_set_is_a_line_with_its_bins_and_units() -> None:
    reference = pd.Series(["a", "a", "b", "b"], index=list("wxyz"))
    predicted = pd.DataFrame(
        {"code": ["a", "b", "b", "b"], "confidence": [0.9, 0.2, 0.3, 0.85]}, index=list("wxyz")
    )
    table = reliability(predicted, reference=reference, bins=2)
    ax = plot_reliability({"cycles": table, "themes": table.assign(accuracy=0.5)})
    diagonal, cycles, themes = ax.lines
    assert diagonal.get_label() == "calibrated"
    np.testing.assert_allclose(cycles.get_xdata(), [0.25, 0.875])
    np.testing.assert_allclose(cycles.get_ydata(), [0.5, 1.0])
    np.testing.assert_allclose(themes.get_ydata(), [0.5, 0.5])
    assert cycles.get_label() == f"cycles: calibration error {table.attrs['ece']:.2f}"
    assert sorted(t.get_text() for t in ax.texts) == ["2", "2", "2", "2"]
    plt.close(ax.figure)


def test_a_table_without_its_columns_is_refused() -> None:
    with pytest.raises(SchemaError, match="plot_reliability"):
        plot_reliability(pd.DataFrame({"confidence": [0.5]}))
