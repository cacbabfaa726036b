"""code_frequencies and crosstab on small hand-written codes."""

from __future__ import annotations

import pandas as pd
import pytest

from copanalysis.analysis.frequencies import code_frequencies, crosstab
from copanalysis.errors import MissingColumnError, SchemaError


def make_codes(rows: list[tuple[str, str, int, int, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["doc_id", "field", "start", "end", "code", "polarity"]
    ).assign(coder="rules:test@1", codebook="test_cycles")


CODES = make_codes(
    [
        ("s1", "practice", 0, 10, "applied", 1),
        ("s1", "practice", 20, 30, "applied", 1),  # same doc twice: one doc
        ("s1", "insights", 0, 10, "potential", 1),
        ("s2", "practice", 0, 10, "applied", 1),
        ("s2", "activities", 0, 10, "immediate", -1),  # "a waste of time"
        ("s3", "activities", 0, 10, "immediate", 1),
    ]
)
STORIES = pd.DataFrame(
    {
        "story_id": ["s1", "s2", "s3", "s4"],
        "community": ["nurses", "nurses", "teachers", "teachers"],
        "role": ["nurse", "manager", "nurse", None],
    }
)


def test_counts_documents_negative_apart_and_share_over_coded_documents():
    table = code_frequencies(CODES)
    assert list(table.columns) == ["codebook", "code", "label", "n", "n_negative", "share"]
    rows = table.set_index("code")
    assert table["code"].tolist() == ["applied", "immediate", "potential"]
    assert rows.loc["applied", "n"] == 2
    assert rows.loc["immediate", "n"] == 1
    assert rows.loc["immediate", "n_negative"] == 1
    assert rows.loc["potential", "n"] == 1
    assert rows.loc["applied", "share"] == pytest.approx(2 / 3)
    assert rows.loc["applied", "label"] == "applied"  # no codebook: the id
    assert set(table["codebook"]) == {"test_cycles"}


def test_share_divides_by_the_frames_documents_per_group():
    table = code_frequencies(CODES, by="community", frame=STORIES)
    assert list(table.columns[:2]) == ["community", "codebook"]
    nurses = table[table["community"] == "nurses"].set_index("code")
    teachers = table[table["community"] == "teachers"].set_index("code")
    assert nurses.loc["applied", "n"] == 2
    assert nurses.loc["applied", "share"] == pytest.approx(1.0)
    assert nurses.loc["immediate", "n_negative"] == 1
    # teachers: s3 coded, s4 not coded but counted in the denominator
    assert teachers.loc["immediate", "n"] == 1
    assert teachers.loc["immediate", "share"] == pytest.approx(0.5)


def test_segment_unit_counts_spans_and_by_a_codes_column():
    table = code_frequencies(CODES, unit="segment", by="field")
    practice = table[table["field"] == "practice"].set_index("code")
    assert practice.loc["applied", "n"] == 3
    assert practice.loc["applied", "share"] == pytest.approx(1.0)


def test_codebook_gives_labels_and_lists_uncoded_codes_with_zero():
    book = pd.DataFrame(
        {
            "code": ["immediate", "potential", "applied", "realized"],
            "label": ["Immediate value", "Potential value", "Applied value", "Realized value"],
        }
    )
    table = code_frequencies(CODES, codebook=book).set_index("code")
    assert table.loc["applied", "label"] == "Applied value"
    assert table.loc["realized", "n"] == 0
    assert table.loc["realized", "share"] == 0.0
    assert len(table) == 4


def test_missing_optional_columns_are_fine():
    codes = CODES[["doc_id", "field", "start", "end", "code"]].assign(coder="ann")
    table = code_frequencies(codes).set_index("code")
    assert table.loc["immediate", "n"] == 2  # no polarity: neutral, counted
    assert table.loc["immediate", "n_negative"] == 0
    assert table.loc["applied", "codebook"] == ""


def test_unknown_group_column_is_named():
    with pytest.raises(MissingColumnError, match="'region'"):
        code_frequencies(CODES, by="region", frame=STORIES)


def test_bad_unit_is_rejected():
    with pytest.raises(SchemaError, match="'story'"):
        code_frequencies(CODES, unit="story")  # type: ignore[arg-type]


def test_crosstab_counts_documents_by_role_without_negative_codes():
    table = crosstab(CODES, frame=STORIES, by="role")
    assert table.index.tolist() == ["manager", "nurse"]
    assert table.loc["nurse", "applied"] == 1
    assert table.loc["manager", "applied"] == 1
    assert table.loc["nurse", "immediate"] == 1  # s3; s2's negative one is left out
    assert table.loc["manager", "immediate"] == 0
    assert table.loc["nurse", "potential"] == 1


def test_crosstab_names_a_missing_column():
    with pytest.raises(MissingColumnError, match="'team'"):
        crosstab(CODES, frame=STORIES, by="team")


def test_by_field_with_a_frame_divides_by_the_documents_with_text_in_that_field():
    stories = pd.DataFrame(
        {
            "story_id": ["s1", "s2", "s3", "s4"],
            "role": ["nurse", "manager", "nurse", "nurse"],
            "practice": ["We use it.", "We use it too.", "", "Not yet."],
            "activities": ["", "A waste of time.", "Good fun.", "We met."],
            "insights": ["I learned.", "", "", ""],
        }
    )
    table = code_frequencies(CODES, by=["role", "field"], frame=stories).set_index(
        ["role", "field", "code"]
    )
    # nurses with text under practice: s1, s4 (s3's is empty); s1 applied
    assert table.loc[("nurse", "practice", "applied"), "n"] == 1
    assert table.loc[("nurse", "practice", "applied"), "share"] == pytest.approx(1 / 2)
    # nurses with text under activities: s3, s4; s3 immediate
    assert table.loc[("nurse", "activities", "immediate"), "share"] == pytest.approx(1 / 2)
    assert table.loc[("manager", "activities", "immediate"), "n_negative"] == 1
    by_coder = code_frequencies(CODES, by="coder", frame=stories).set_index("code")
    assert by_coder.loc["applied", "share"] == pytest.approx(2 / 4)  # every story, once


def test_by_a_group_no_story_has_counts_them_under_no_group() -> None:
    # a survey without a community question: the column is there, empty in every story
    stories = pd.DataFrame(
        {"story_id": ["s1", "s2"], "community": [None, None], "story": ["a", "b"]}
    )
    codes = pd.DataFrame(
        {
            "doc_id": ["s1"],
            "field": "story",
            "start": 0,
            "end": 1,
            "code": "applied",
            "polarity": 1,
            "coder": "me",
            "codebook": "value_cycles",
        }
    )
    table = code_frequencies(codes, codebook="value_cycles", frame=stories, by="community")
    applied = table[table["code"] == "applied"]
    assert applied[["n", "share"]].values.tolist() == [[1, 0.5]]
    assert applied["community"].isna().all()


def test_codes_of_documents_outside_the_frame_are_left_out_with_a_warning():
    """Trial 23: the grid respondents' codes, given with the stories, were counted as
    stories (a share of 1.5)."""
    codes = pd.DataFrame({"doc_id": ["s1", "g1", "g2"], "field": "story", "start": 0,
                          "end": 3, "code": "applied", "coder": "m"})  # fmt: skip
    stories = pd.DataFrame({"story_id": ["s1", "s2"], "story": ["a", "b"]})
    with pytest.warns(UserWarning, match=r"2 code\(s\) of 2 document\(s\) not in frame"):
        table = code_frequencies(codes, frame=stories)
    assert table[["n", "share"]].values.tolist() == [[1, 0.5]]
