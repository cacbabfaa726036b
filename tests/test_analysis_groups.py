"""Value by group (trial 19: a funder asked whether value moved between two survey waves
and differed by role; neither run nor the report could compare groups)."""

from __future__ import annotations

import pandas as pd
import pytest

from copanalysis.analysis.groups import reach_by, with_group
from copanalysis.errors import MissingColumnError


def test_reach_by_counts_each_story_once_under_its_furthest_cycle_per_group():
    paths = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d", "e"],
            "reach": ["potential", "realized", None, "applied", "immediate"],
        }
    )
    stories = pd.DataFrame(
        {"story_id": list("abcde"), "wave": ["2024", "2025", "2025", "2025", None]}
    )
    table = reach_by(paths, stories, "wave")
    assert table.columns.tolist() == [
        "wave", "stories", "immediate", "potential", "applied", "realized", "reframing",
        "none", "applied_or_further", "share", "share_low", "share_high",
    ]  # fmt: skip
    assert table[["wave", "stories", "none", "applied_or_further"]].values.tolist() == [
        ["(none)", 1, 0, 0],
        ["2024", 1, 0, 0],
        ["2025", 3, 1, 2],
    ]
    assert table["share"].tolist() == [0.0, 0.0, pytest.approx(2 / 3)]
    # 2 of 3: the Wilson interval (z = 1.96), worked by hand
    z, n, p = 1.959964, 3, 2 / 3
    centre, half = (p + z * z / (2 * n)), z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5)
    low, high = (centre - half) / (1 + z * z / n), (centre + half) / (1 + z * z / n)
    assert table.loc[2, ["share_low", "share_high"]].tolist() == [
        pytest.approx(low, abs=1e-6), pytest.approx(high, abs=1e-6)
    ]  # fmt: skip


def test_the_file_group_is_read_from_the_source_and_a_missing_column_is_named():
    stories = pd.DataFrame({"story_id": ["a"], "source": ["wave1.csv:row 2"], "district": "X"})
    assert with_group(stories, "file")["file"].tolist() == ["wave1.csv"]
    assert with_group(stories, "district") is stories
    with pytest.raises(MissingColumnError, match="no column 'wave'.*'district'.*or 'file'"):
        with_group(stories, "wave")


def test_analyse_by_file_and_community_gives_the_tables_charts_and_report_sections(corpus):
    from copanalysis.report import build_report, report_figures, report_sections
    from copanalysis.study import analyse

    findings = analyse(corpus, coder="rules", by=["file", "community"], progress=False)
    stories = corpus.stories
    files = stories["source"].str.split(":").str[0]
    by_file = findings.tables["reach_by_file"]
    assert by_file["file"].tolist() == sorted(set(files))
    assert by_file["stories"].tolist() == files.value_counts().sort_index().tolist()
    paths = findings.tables["paths"].set_index("doc_id")["reach"]
    later = paths.isin(["applied", "realized", "reframing"])
    assert by_file["applied_or_further"].sum() == int(later.sum())
    frequencies = findings.tables["frequencies_by_file"]
    assert set(frequencies["file"]) == set(files)
    figures = report_figures(findings)
    assert {"cycles_by_file", "cycles_by_community"} <= set(figures)
    sections = report_sections(findings, figures)
    ids = [s.id for s in sections]
    assert ids[ids.index("cycles") + 1 : ids.index("cycles") + 3] == ["by-file", "by-community"]
    by = sections[ids.index("by-file")]
    assert by.title == "Value by file" and by.figure is not None
    first = by_file.iloc[0]
    assert (
        f"{first['file']}: {first['applied_or_further']} of {first['stories']} "
        f"({first['share']:.0%}, 95% CI {first['share_low']:.0%} to {first['share_high']:.0%})"
    ) in by.intro
    # the same, by the main human coder's own codes: the yardstick (trial 23: the human
    # codes ranked the communities differently, and only the machine's were shown)
    human = findings.tables["reach_by_file_human"]
    gold = corpus.gold[corpus.gold["codebook"] == "value_cycles"]
    main = gold["coder"].value_counts().index[0]
    assert human.attrs["coder"] == main
    assert human["stories"].sum() == gold.loc[gold["coder"] == main, "doc_id"].nunique()
    assert f"In {main}'s own codes, on the {human['stories'].sum()} stories" in by.intro
    assert len(by.tables) == 2 and by.note.endswith("The second table is the human coder's.")
    # trial 28: the second table had no label of its own
    assert [t.caption for t in by.tables] == ["The machine's codes", f"{main}'s codes"]
    html = build_report(findings, figures)
    assert f"<caption>{main}&#39;s codes</caption>" in html or f"<caption>{main}'s codes" in html
    with pytest.raises(MissingColumnError, match="no column 'wave'"):
        analyse(corpus, coder="rules", by="wave", progress=False)


def test_a_story_of_several_roles_counts_in_each_role_not_as_a_role_of_its_own():
    """Trial 32: a Kobo select_multiple role, joined "CHW; Other" by the loader, was a group
    of its own beside "CHW" in the by-role chart and table."""
    from copanalysis.analysis.frequencies import code_frequencies
    from copanalysis.report import _several_said

    stories = pd.DataFrame(
        {
            "story_id": ["a", "b", "c", "d"],
            "role": ["CHW; Supervisor", "CHW", "Supervisor", "CHW; CHW"],
            "source": "kobo.xlsx:row 2",
        }
    )
    grouped = with_group(stories, "role")
    assert grouped[["story_id", "role"]].values.tolist() == [
        ["a", "CHW"], ["a", "Supervisor"], ["b", "CHW"], ["c", "Supervisor"], ["d", "CHW"],
    ]  # fmt: skip
    paths = pd.DataFrame({"doc_id": list("abcd"), "reach": ["applied", None, "potential", None]})
    table = reach_by(paths, grouped, "role")
    assert table[["role", "stories", "applied_or_further"]].values.tolist() == [
        ["CHW", 3, 1],
        ["Supervisor", 2, 1],
    ]
    assert table.attrs == {"stories": 4, "in_several": 1}
    assert _several_said(table, "role") == (
        " 1 story was told by someone of more than one role (a multiple-choice answer): each "
        "counts under every role ticked, so the groups add up to 5 stories, more than the 4 "
        "there are."
    )
    assert _several_said(reach_by(paths, stories.iloc[[1, 2]], "role"), "role") == ""
    codes = pd.DataFrame(
        {"doc_id": ["a", "a", "c"], "field": "story", "start": [0, 9, 0], "end": [5, 14, 5],
         "code": ["applied", "potential", "potential"], "coder": "me", "codebook": "demo"}
    )  # fmt: skip
    frequencies = code_frequencies(codes, frame=grouped, by="role").set_index(["role", "code"])
    assert frequencies["n"].to_dict() == {
        ("CHW", "applied"): 1,
        ("CHW", "potential"): 1,
        ("Supervisor", "potential"): 2,
        ("Supervisor", "applied"): 1,
    }
    assert frequencies.loc[("CHW", "applied"), "share"] == pytest.approx(1 / 3)
    assert frequencies.loc[("Supervisor", "potential"), "share"] == 1.0


def test_code_frequencies_of_joined_roles_count_toward_each_role_called_directly():
    """code_frequencies(..., by="role") on the stories as loaded, "CHW; Supervisor" joined,
    counts as analyse counts them (with_group): toward each role, no role of its own, and
    says how many stories are in more than one."""
    from copanalysis.analysis.frequencies import code_frequencies, crosstab

    stories = pd.DataFrame(
        {"story_id": ["a", "b", "c", "d"],
         "role": ["CHW; Supervisor", "CHW", "Supervisor", "CHW; CHW"]}
    )  # fmt: skip
    codes = pd.DataFrame(
        {"doc_id": ["a", "a", "c", "d"], "field": "story", "start": [0, 9, 0, 0],
         "end": [5, 14, 5, 5], "code": ["applied", "potential", "potential", "applied"],
         "coder": "me", "codebook": "demo"}
    )  # fmt: skip
    direct = code_frequencies(codes, frame=stories, by="role")
    grouped = code_frequencies(codes, frame=with_group(stories, "role"), by="role")
    pd.testing.assert_frame_equal(direct, grouped, check_dtype=False)
    assert direct[["role", "code", "n", "share"]].values.tolist() == [
        ["CHW", "applied", 2, 2 / 3],
        ["CHW", "potential", 1, 1 / 3],
        ["Supervisor", "potential", 2, 1.0],
        ["Supervisor", "applied", 1, 0.5],
    ]
    assert direct.attrs["documents"] == 4 and direct.attrs["in_several"] == 1
    assert grouped.attrs["documents"] == 4 and grouped.attrs["in_several"] == 1
    assert crosstab(codes, frame=stories).to_dict("index") == {
        "CHW": {"applied": 2, "potential": 1},
        "Supervisor": {"applied": 1, "potential": 2},
    }
