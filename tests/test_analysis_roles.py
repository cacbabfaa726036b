"""role_matrix: respondents per leadership role and member type."""

from __future__ import annotations

import pandas as pd

from copanalysis.analysis.roles import role_matrix
from copanalysis.schema import MEMBER_TYPES, ROLES

ROLES_FRAME = pd.DataFrame(
    [
        ("r1", "Coordination", "Core member", "purpose"),
        ("r1", "Coordination", "Core member", "actions"),  # same respondent: once
        ("r2", "coordination ", "core member", "purpose"),  # case and spaces
        ("r2", "Networking", "Expert", "purpose"),
        ("r3", "Podcast host", "Active member", "purpose"),  # not on the worksheet
        ("r4", None, "Lurker", "purpose"),  # no role: left out
    ],
    columns=["respondent", "role", "member_type", "aspect"],
)


def test_all_worksheet_pairs_with_distinct_respondents():
    matrix = role_matrix(ROLES_FRAME)
    assert list(matrix.columns) == ["role", "member_type", "n_respondents"]
    assert len(matrix) == (12 + 1) * 8
    counts = matrix.set_index(["role", "member_type"])["n_respondents"]
    assert counts[("Coordination", "Core member")] == 2
    assert counts[("Networking", "Expert")] == 1
    assert counts[("Podcast host", "Active member")] == 1
    assert counts[("Expertise", "Sponsor")] == 0
    assert matrix["n_respondents"].sum() == 4
    assert list(matrix["role"].cat.categories) == [*ROLES, "Podcast host"]
    assert list(matrix["member_type"].cat.categories) == list(MEMBER_TYPES)
    assert matrix["role"].iloc[0] == "Coordination"
    assert matrix["member_type"].iloc[7] == "Outsider"


def test_empty_roles_give_the_96_zero_pairs():
    empty = pd.DataFrame({"respondent": [], "aspect": []})
    matrix = role_matrix(empty)
    assert len(matrix) == 96
    assert matrix["n_respondents"].sum() == 0
