"""role_matrix: respondents per leadership role and member type."""

from __future__ import annotations

import pandas as pd
import pytest

from copanalysis.analysis.roles import role_matrix, role_themes
from copanalysis.errors import SchemaError
from copanalysis.schema import MEMBER_TYPES, ROLES

ROLES_FRAME = pd.DataFrame(
    [
        ("r1", "Coordination", "Core member", "purpose"),
        ("r1", "Coordination", "Core member", "actions"),  # same respondent: once
        ("r2", "coordination ", "core member", "purpose"),  # case and spaces
        ("r2", "Networking", "Expert", "purpose"),
        ("r3", "Podcast host", "Active member", "purpose"),  # not on the worksheet
        ("r4", None, "Lurker", "purpose"),  # no role: "(not given)"
        ("r5", "Inquiry - learning agenda", None, "purpose"),  # no member type, the same
    ],
    columns=["respondent", "role", "member_type", "aspect"],
)


def test_all_worksheet_pairs_with_distinct_respondents():
    matrix = role_matrix(ROLES_FRAME)
    assert list(matrix.columns) == ["role", "member_type", "n_respondents"]
    assert len(matrix) == (12 + 1 + 1) * (8 + 1)
    counts = matrix.set_index(["role", "member_type"])["n_respondents"]
    assert counts[("Coordination", "Core member")] == 2
    assert counts[("Networking", "Expert")] == 1
    assert counts[("Podcast host", "Active member")] == 1
    assert counts[("Expertise", "Sponsor")] == 0
    # marked one and not the other: counted, not left out of the chart
    assert counts[("(not given)", "Lurker")] == 1
    assert counts[("Inquiry - learning agenda", "(not given)")] == 1
    assert matrix["n_respondents"].sum() == 6
    assert list(matrix["role"].cat.categories) == [*ROLES, "Podcast host", "(not given)"]
    assert list(matrix["member_type"].cat.categories) == [*MEMBER_TYPES, "(not given)"]
    assert matrix["role"].iloc[0] == "Coordination"
    assert matrix["member_type"].iloc[7] == "Outsider"


def test_empty_roles_give_the_96_zero_pairs():
    empty = pd.DataFrame({"respondent": [], "aspect": []})
    matrix = role_matrix(empty)
    assert len(matrix) == 96
    assert matrix["n_respondents"].sum() == 0


# ---- role_themes: themes of the challenges and support per role ----

WORKSHEET = pd.DataFrame(
    [
        ("Ana", "Coordination", "Coordinator", "challenges", "no time"),
        ("Ana", "Coordination", "Coordinator", "support", "protected time"),
        ("Ana", "Networking", "Coordinator", "challenges", "no time"),
        ("Ben", "coordination", "Core member", "challenges", "no budget, no time"),
        ("Cy", "Podcast host", "Active member", "support", "a budget"),
        ("Di", None, "Lurker", "challenges", "no time"),  # no role: left out
    ],
    columns=["respondent", "role", "member_type", "aspect", "text"],
)
CODES = pd.DataFrame(
    {
        "doc_id": ["Ana", "Ana", "Ben", "Ben", "Ben", "Cy", "Di", "Ana"],
        "field": [
            "challenges",
            "support",
            "challenges",
            "challenges",
            "challenges",
            "support",
            "challenges",
            "purpose",
        ],
        "start": [0, 0, 0, 11, 0, 0, 0, 0],
        "end": [7, 14, 9, 18, 18, 8, 7, 5],
        "code": ["TIME", "TIME", "RESOURCES", "TIME", "TIME", "RESOURCES", "TIME", "TIME"],
        "polarity": [-1, 1, -1, -1, -1, 1, -1, 1],
        "coder": "rules",
        "codebook": "enablers_challenges",
    }
)


def counts(table):
    rows = table[table["n"] > 0]
    return {(r.role, r.code, r.aspect): r.n for r in rows.itertuples()}


def test_distinct_respondents_per_role_theme_and_aspect():
    table = role_themes(CODES, frame=WORKSHEET)
    assert list(table.columns) == ["role", "code", "label", "aspect", "n"]
    assert counts(table) == {
        ("Coordination", "TIME", "challenges"): 2,  # Ana and Ben (twice coded: once)
        ("Coordination", "RESOURCES", "challenges"): 1,
        ("Coordination", "TIME", "support"): 1,
        ("Networking", "TIME", "challenges"): 1,  # Ana answered it for both roles
        ("Podcast host", "RESOURCES", "support"): 1,
    }
    labels = dict(zip(table["code"], table["label"], strict=False))
    assert labels["TIME"] == "Time and workload"
    assert labels["RESOURCES"] == "Funding and resources"


def test_every_role_theme_and_aspect_with_zeros_in_order():
    table = role_themes(CODES, frame=WORKSHEET)
    n_themes = table["code"].nunique()
    assert n_themes == 22  # the enablers_challenges codebook
    assert len(table) == (12 + 1) * n_themes * 2
    assert list(table["role"].cat.categories) == [*ROLES, "Podcast host"]
    assert list(table["aspect"].cat.categories) == ["challenges", "support"]
    assert table["code"].iloc[0] == "TIME" and table["aspect"].iloc[0] == "challenges"
    assert table["n"].sum() == 6


def test_one_aspect_and_other_questions_are_not_read():
    table = role_themes(CODES, frame=WORKSHEET, aspect="support")
    assert counts(table) == {
        ("Coordination", "TIME", "support"): 1,
        ("Podcast host", "RESOURCES", "support"): 1,
    }
    # Ana's purpose is coded, but the worksheet has no purpose answer of hers for any role
    assert counts(role_themes(CODES, frame=WORKSHEET, aspect="purpose")) == {}
    with_purpose = pd.concat(
        [WORKSHEET, WORKSHEET.iloc[[0]].assign(aspect="purpose", text="keep it going")]
    )
    assert counts(role_themes(CODES, frame=with_purpose, aspect="purpose")) == {
        ("Coordination", "TIME", "purpose"): 1
    }


def test_codes_of_another_codebook_are_left_out():
    other = CODES.assign(codebook=["value_cycles"] + ["enablers_challenges"] * 7)
    assert (
        counts(role_themes(other, frame=WORKSHEET)).get(("Networking", "TIME", "challenges"))
        is None
    )


def test_an_unknown_aspect_is_named():
    with pytest.raises(SchemaError, match="'hopes'.*challenges, gratification"):
        role_themes(CODES, frame=WORKSHEET, aspect=["support", "hopes"])


def test_a_misspelt_member_type_column_is_named_and_an_empty_one_is_not_given() -> None:
    roles = pd.DataFrame(
        {
            "respondent": ["r1", "r2"],
            "role": ["Coordination", "networking"],
            "membertype": ["Core member", "Expert"],
            "aspect": ["purpose", "purpose"],
        }
    )
    with pytest.raises(SchemaError, match="no 'member_type' column; it has respondent, role"):
        role_matrix(roles)
    empty = roles.drop(columns="membertype").assign(member_type=pd.NA)
    counted = role_matrix(empty.astype({"member_type": "string[pyarrow]"}))
    counted = counted[counted["n_respondents"] > 0]
    assert counted[["role", "member_type"]].astype(str).values.tolist() == [
        ["Coordination", "(not given)"],
        ["Networking", "(not given)"],
    ]
