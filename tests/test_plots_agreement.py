"""plot_agreement: points at the statistic, error bars at the CI, reference lines."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from copanalysis.errors import SchemaError
from copanalysis.plots import plot_agreement

TABLE = pd.DataFrame(
    {
        "code": ["potential", "immediate", "reframing"],
        "units": [60, 60, 60],
        "n_coders": [2, 2, 2],
        "percent_agreement": [0.8, 0.9, 1.0],
        "cohen_kappa": [0.52, 0.81, np.nan],
        "fleiss_kappa": [0.5, 0.8, np.nan],
        "krippendorff_alpha": [0.5, 0.8, np.nan],
        "alpha_low": [0.3, 0.7, np.nan],
        "alpha_high": [0.66, 0.88, np.nan],
    }
)


def test_points_and_error_bars_equal_the_table():
    ax = plot_agreement(TABLE)
    container = ax.containers[0]
    points = container.lines[0]
    # immediate is drawn first (cycle order), on top
    assert points.get_xdata().tolist() == [0.8, 0.5]
    segments = container.lines[2][0].get_segments()
    assert [s[:, 0].tolist() for s in segments] == [[0.7, 0.88], [0.3, 0.66]]
    assert points.get_ydata().tolist() == [2.0, 1.0]
    plt.close(ax.figure)


def test_reference_lines_and_landis_koch_bands():
    ax = plot_agreement(TABLE)
    vertical = sorted(line.get_xdata()[0] for line in ax.lines if line.get_linestyle() == "--")
    assert vertical == [0.6, 0.8]
    texts = [t.get_text() for t in ax.texts]
    assert {"moderate", "substantial", "almost\nperfect", "n/a"} <= set(texts)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["Immediate\n(n = 60)", "Potential\n(n = 60)", "Reframing\n(n = 60)"]
    assert ax.get_xlabel() == "Krippendorff's α"
    plt.close(ax.figure)


def test_kappa_without_intervals_draws_points_only():
    ax = plot_agreement(TABLE, statistic="cohen_kappa")
    segments = ax.containers[0].lines[2][0].get_segments()
    assert all(s[0, 0] == s[1, 0] for s in segments)
    assert ax.containers[0].lines[0].get_xdata().tolist() == [0.81, 0.52]
    plt.close(ax.figure)


def test_missing_statistic_is_named():
    with pytest.raises(SchemaError, match="'fleiss_kappa'"):
        plot_agreement(TABLE.drop(columns="fleiss_kappa"), statistic="fleiss_kappa")
