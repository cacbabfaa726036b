"""Every chart: draws on the Axes it is given, returns it, never shows or saves, leaves
rcParams alone, and summarises a raw ``codes`` frame itself."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

import copanalysis.plots as plots
from copanalysis.schema import validate

CODES = validate(
    pd.DataFrame(
        {
            "doc_id": ["s1", "s1", "s1", "s2", "s2", "s3", "s3"],
            "field": [
                "activities",
                "insights",
                "practice",
                "activities",
                "organization",
                "story",
                "story",
            ],
            "start": [0, 0, 0, 0, 0, 0, 10],
            "end": [3, 7, 4, 6, 23, 12, 25],
            "quote": [
                "met",
                "learned",
                "used",
                "joined",
                "cut waiting time by 30%",
                "lack of time",
                "thanks to trust",
            ],
            "codebook": ["value_cycles"] * 5 + ["enablers_challenges"] * 2,
            "code": [
                "immediate",
                "potential",
                "applied",
                "immediate",
                "realized",
                "TIME",
                "TRUST",
            ],
            "polarity": [1, 1, 1, 1, 1, -1, 1],
            "coder": "rules:test",
            "confidence": 1.0,
            "evidence": "",
        }
    ),
    "codes",
)
ROLES = validate(
    pd.DataFrame(
        {
            "respondent": ["r1", "r1", "r2"],
            "role": ["Coordination", "Coordination", "Networking"],
            "member_type": ["Coordinator", "Coordinator", "Core member"],
            "aspect": ["purpose", "actions", "purpose"],
            "text": ["keep it going", "convene", "connect people"],
        }
    ),
    "roles",
)
AGREEMENT = pd.DataFrame(
    {
        "code": ["immediate"],
        "units": [10],
        "krippendorff_alpha": [0.7],
        "alpha_low": [0.5],
        "alpha_high": [0.85],
    }
)

ROLE_THEMES = pd.DataFrame(
    {
        "role": ["Coordination", "Networking"],
        "code": ["TIME", "TRUST"],
        "label": ["Time and workload", "Trust and safety"],
        "aspect": ["challenges", "support"],
        "n": [2, 1],
    }
)

RELIABILITY = pd.DataFrame(
    {"confidence": [0.25, 0.55, 0.8], "accuracy": [0.2, 0.6, 0.9], "units": [10, 20, 5]}
)

CHARTS = {
    "plot_value_grid": CODES,
    "plot_code_frequencies": CODES,
    "plot_story_reach": CODES,
    "plot_value_flows": CODES,
    "plot_cooccurrence": CODES,
    "plot_enablers_challenges": CODES,
    "plot_roles": ROLES,
    "plot_role_themes": ROLE_THEMES,
    "plot_agreement": AGREEMENT,
    "plot_quantities": CODES,
    "plot_reliability": RELIABILITY,
}


def test_every_public_chart_is_covered():
    assert set(CHARTS) == set(plots.__all__)


@pytest.fixture
def no_output(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a chart must not show or save")

    monkeypatch.setattr(plt, "show", refuse)
    monkeypatch.setattr(Figure, "savefig", refuse)
    monkeypatch.setattr(Figure, "show", refuse)


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_draws_on_the_given_axes_without_showing_or_saving(name, no_output):
    rc_before = dict(matplotlib.rcParams)
    fig, ax = plt.subplots()
    figures_before = set(plt.get_fignums())
    drawn = getattr(plots, name)(CHARTS[name], ax=ax)
    assert drawn is ax
    assert set(plt.get_fignums()) == figures_before
    assert ax.has_data() or ax.texts
    assert dict(matplotlib.rcParams) == rc_before
    plt.close(fig)


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_makes_its_own_figure_when_no_axes(name, no_output):
    ax = getattr(plots, name)(CHARTS[name])
    assert isinstance(ax, Axes)
    width, height = ax.figure.get_size_inches()
    assert 4 <= width <= 12 and 2.5 <= height <= 12
    plt.close(ax.figure)


def test_codes_are_summarised_by_the_analysis():
    ax = plots.plot_code_frequencies(CODES)
    widths = {p.get_gid(): p.get_width() for p in ax.patches}
    assert widths["n:immediate"] == 2 and widths["negative:TIME"] == 1
    plt.close(ax.figure)
    ax = plots.plot_story_reach(CODES)
    heights = {p.get_gid(): p.get_height() for p in ax.patches}
    assert heights["reach:applied"] == 1 and heights["reach:realized"] == 1
    assert heights["reach:no cycle"] == 1
    plt.close(ax.figure)
    ax = plots.plot_enablers_challenges(CODES)
    assert {p.get_gid(): p.get_width() for p in ax.patches} == {
        "enablers:TIME": 0,
        "challenges:TIME": 1,
        "enablers:TRUST": 1,
        "challenges:TRUST": 0,
    }
    plt.close(ax.figure)
    ax = plots.plot_roles(ROLES)
    assert ax.images[0].get_array().sum() == 2  # distinct respondents, not rows
    plt.close(ax.figure)


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_fits_the_page_width_and_no_text_overlaps(name):
    from copanalysis.plots.canvas import PAGE_WIDTH, text_overlaps

    ax = getattr(plots, name)(CHARTS[name])
    width, _ = ax.figure.get_size_inches()
    assert width <= PAGE_WIDTH + 1e-9  # the report prints it at its own font sizes
    assert text_overlaps(ax.figure) == []
    plt.close(ax.figure)


def _code_lines(function) -> int:
    """The lines of ``function``'s definition, without its docstring."""
    import ast
    import inspect
    import textwrap

    node = ast.parse(textwrap.dedent(inspect.getsource(function))).body[0]
    assert isinstance(node, ast.FunctionDef)
    lines = node.end_lineno - node.lineno + 1
    doc = node.body[0]
    if isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant):
        lines -= doc.end_lineno - doc.lineno + 1
    return lines


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_reads_short_and_passes_keywords_to_its_main_artist(name):
    import inspect

    function = getattr(plots, name)
    assert _code_lines(function) <= 80, "move the drawing of one part into a helper"
    parameters = inspect.signature(function).parameters.values()
    assert any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters)
    assert "**kwargs" in inspect.getdoc(function)
