"""story_paths and value_flows."""

from __future__ import annotations

import pandas as pd
import pytest

from copanalysis.analysis.paths import cycle_of, story_paths, value_flows

CODES = pd.DataFrame(
    [
        # s1 told out of order in the frame: prompt order decides
        ("s1", "organization", 0, 10, "realized", 1),
        ("s1", "practice", 30, 40, "applied", 1),
        ("s1", "practice", 0, 10, "potential_tangible", 1),
        ("s1", "activities", 0, 10, "immediate", 1),
        ("s1", "insights", 0, 10, "potential_human", 1),
        # s2: negative immediate dropped; same offset ordered by cycle
        ("s2", "activities", 0, 10, "immediate", -1),
        ("s2", "story", 50, 60, "transformative", 1),
        ("s2", "story", 0, 10, "applied", 1),
        ("s2", "story", 0, 10, "potential", 1),
        # s3: only a theme code
        ("s3", "story", 0, 10, "TIME", -1),
    ],
    columns=["doc_id", "field", "start", "end", "code", "polarity"],
).assign(coder="me")


def test_paths_follow_prompt_order_and_roll_up_sub_codes():
    paths = story_paths(CODES).set_index("doc_id")
    assert paths.loc["s1", "path"] == "immediate > potential > applied > realized"
    assert paths.loc["s1", "n_cycles"] == 4
    assert paths.loc["s1", "reach"] == "realized"
    assert paths.loc["s2", "path"] == "potential > applied > reframing"
    assert paths.loc["s2", "reach"] == "reframing"
    assert paths.loc["s3", "path"] == ""
    assert paths.loc["s3", "n_cycles"] == 0
    assert pd.isna(paths.loc["s3", "reach"])


def test_reach_confidence_is_the_surest_code_of_the_cycle_reached():
    """Trial 27: "The benchmarking session in Brno." at confidence 0.27 made a story reach
    realized value; the paths now show what a reach rests on."""
    sure = CODES.assign(confidence=[0.27, 0.9, 0.8, 0.9, 0.9, 0.9, 0.4, 0.9, 0.9, 0.9])
    paths = story_paths(sure).set_index("doc_id")
    assert paths["reach_confidence"].tolist()[:2] == [0.27, 0.4]
    assert pd.isna(paths.loc["s3", "reach_confidence"])
    assert story_paths(CODES)["reach_confidence"].isna().all()  # a person's codes


def test_paths_include_uncoded_stories_of_the_frame_in_frame_order():
    stories = pd.DataFrame({"story_id": ["s9", "s2", "s1", "s3"]})
    paths = story_paths(CODES, frame=stories)
    assert paths["doc_id"].tolist() == ["s9", "s2", "s1", "s3"]
    assert paths["reach"].cat.categories.tolist() == [
        "immediate", "potential", "applied", "realized", "reframing",
    ]  # fmt: skip
    assert paths.loc[0, "path"] == ""


def test_codebook_parents_and_repeats():
    codes = pd.DataFrame(
        [
            ("s1", "story", 0, 5, "skills", 1),
            ("s1", "story", 10, 15, "potential", 1),
            ("s1", "story", 20, 25, "applied", 1),
            ("s1", "story", 30, 35, "potential", 1),
        ],
        columns=["doc_id", "field", "start", "end", "code", "polarity"],
    ).assign(coder="me")
    book = pd.DataFrame({"code": ["potential", "skills"], "parent": [None, "potential"]})
    paths = story_paths(codes, codebook=book)
    assert paths.loc[0, "path"] == "potential > applied > potential"
    assert paths.loc[0, "n_cycles"] == 2
    assert paths.loc[0, "reach"] == "applied"


def test_value_flows_sum_steps_over_stories():
    flows = value_flows(CODES)
    assert flows.to_dict("records") == [
        {"source": "potential", "target": "applied", "n": 2},
        {"source": "immediate", "target": "potential", "n": 1},
        {"source": "applied", "target": "realized", "n": 1},
        {"source": "applied", "target": "reframing", "n": 1},
    ]


def test_cycle_of():
    assert cycle_of("potential_reputational") == "potential"
    assert cycle_of("enabling") == "enabling"
    assert cycle_of("TIME") == "time"


def test_codes_of_another_codebook_reach_no_cycle_with_a_warning_that_says_why() -> None:
    codes = pd.DataFrame(
        {"doc_id": ["E1", "E2"], "field": "story", "start": 0, "end": 5, "polarity": 1}
    ).assign(codebook="extension", code=["peer_advice", "demo_plot"], coder="rules")
    with pytest.warns(UserWarning, match=r"none of the 2 positive codes \(of 'extension'\)"):
        paths = story_paths(codes)
    assert paths["reach"].isna().all()


def test_other_cycles_name_the_cycles_a_story_tells_outside_its_path():
    # trial 37: stories 6 and 7 carried only enabling and orienting codes, and their empty
    # path and n_cycles 0 read as stories with no code
    codes = pd.DataFrame(
        [
            ("s6", "story", 0, 10, "enabling", 1),
            ("s6", "story", 20, 30, "orienting", 1),
            ("s7", "story", 0, 10, "strategic", -1),  # negative: left out, as in paths
            ("s8", "story", 0, 10, "applied", 1),
            ("s8", "story", 20, 30, "enabling", 1),
        ],
        columns=["doc_id", "field", "start", "end", "code", "polarity"],
    ).assign(coder="me")
    stories = pd.DataFrame({"story_id": ["s6", "s7", "s8", "s9"]})
    paths = story_paths(codes, frame=stories)
    assert paths[["doc_id", "path", "n_cycles", "other_cycles"]].values.tolist() == [
        ["s6", "", 0, "orienting, enabling"],
        ["s7", "", 0, ""],
        ["s8", "applied", 1, "enabling"],
        ["s9", "", 0, ""],
    ]
    assert str(paths["other_cycles"].dtype) == "string"
    # traced cycles are no other cycles
    traced = story_paths(codes, cycles=("applied", "enabling")).set_index("doc_id")
    assert traced["other_cycles"].to_dict() == {"s6": "orienting", "s7": "", "s8": ""}
