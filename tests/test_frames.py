"""text_units: every frame the package reads becomes (doc_id, field, text, kind) units."""

from __future__ import annotations

import pandas as pd
import pytest

from copanalysis.errors import DuplicateIdError, MissingColumnError
from copanalysis.frames import frame_kind, text_units


def test_stories_give_one_unit_per_filled_prompt_field_in_order() -> None:
    stories = pd.DataFrame(
        {
            "story_id": ["s1", "s2"],
            "activities": ["We met.", None],
            "practice": ["I used it.", "  "],
            "story": [None, "A free story."],
        }
    )
    units = text_units(stories)
    assert units[["doc_id", "field", "text"]].values.tolist() == [
        ["s1", "activities", "We met."],
        ["s1", "practice", "I used it."],
        ["s2", "story", "A free story."],
    ]


def test_items_keep_their_kind() -> None:
    items = pd.DataFrame(
        {"item_id": ["i1", "i2"], "kind": ["enabler", "challenge"], "text": ["Time", "Money"]}
    )
    units = text_units(items)
    assert units[["doc_id", "field", "kind"]].values.tolist() == [
        ["i1", "text", "enabler"],
        ["i2", "text", "challenge"],
    ]


def test_roles_join_distinct_texts_once_per_respondent_and_aspect() -> None:
    roles = pd.DataFrame(
        {
            "respondent": ["r1", "r1", "r1"],
            "role": ["Coordination", "Networking", "Expertise"],
            "aspect": ["purpose", "purpose", "purpose"],
            "text": ["Keep it going.", "Keep it going.", "Answer questions."],
        }
    )
    assert frame_kind(roles) == "roles"
    units = text_units(roles)
    assert units[["doc_id", "field", "text"]].values.tolist() == [
        ["r1", "purpose", "Keep it going.\n\nAnswer questions."]
    ]


def test_grid_cells_become_fields() -> None:
    grid = pd.DataFrame(
        {
            "respondent": ["r1", "r1"],
            "beneficiary": ["members", "organization"],
            "horizon": ["short", "long"],
            "text": ["Quick help.", "Retention."],
        }
    )
    assert text_units(grid)["field"].tolist() == ["members_short", "organization_long"]


def test_hand_built_frame_detects_id_and_text_columns() -> None:
    frame = pd.DataFrame({"id": [1, 2], "answer": ["We met.", "We learnt."], "n": [1, 2]})
    units = text_units(frame)
    assert units[["doc_id", "field", "text"]].values.tolist() == [
        ["1", "answer", "We met."],
        ["2", "answer", "We learnt."],
    ]


def test_missing_id_and_duplicate_story_ids_raise_with_names() -> None:
    with pytest.raises(MissingColumnError, match="no id column.*found answer"):
        text_units(pd.DataFrame({"answer": ["x"]}), name="mine.csv")
    with pytest.raises(MissingColumnError, match="mine.csv"):
        text_units(pd.DataFrame({"answer": ["x"]}), name="mine.csv")
    with pytest.raises(DuplicateIdError, match="story_id 's1' repeats"):
        text_units(pd.DataFrame({"story_id": ["s1", "s1"], "story": ["a", "b"]}))
