"""mapping.yaml's files: block: a file's community and date (trial 36: mapping.yaml could
not give an interview transcript a community)."""

from __future__ import annotations

import pandas as pd
import pytest

from copanalysis.errors import FileFormatError
from copanalysis.io import check_study, load_corpus


def _study(tmp_path):
    study = tmp_path / "study"
    (study / "stories").mkdir(parents=True)
    (study / "stories" / "interview-p3.md").write_text(
        "Interviewer: What changed?\n\nP3: I allow AI-assisted drafting now.\n", encoding="utf-8"
    )
    (study / "stories" / "zoom_p1.md").write_text("We rewrote the rubric.\n", encoding="utf-8")
    (study / "stories" / "survey.csv").write_text(
        "Community,Date,What specific insights did you gain?\n"
        "Northbridge,2025-09-15,Disclosure statements help.\n",
        encoding="utf-8",
    )
    return study


def test_a_files_block_gives_a_transcript_its_community_and_date(tmp_path) -> None:
    study = _study(tmp_path)
    (study / "mapping.yaml").write_text(
        "files:\n"
        "  interview-p3.md:\n"
        "    community: Westmoor College\n"
        "    date: 2025-11-17\n"
        '  "stories/zoom_*.md":\n'
        "    community: Eastbrook\n",
        encoding="utf-8",
    )
    stories = load_corpus(study, progress=False).stories.set_index("story_id")
    assert stories["community"].to_dict() == {
        "interview-p3-001": "Westmoor College",
        "survey-001": "Northbridge",
        "zoom_p1-001": "Eastbrook",
    }
    assert stories["date"].to_dict() == {
        "interview-p3-001": pd.Timestamp("2025-11-17"),
        "survey-001": pd.Timestamp("2025-09-15"),
        "zoom_p1-001": pd.NaT,
    }
    notes = {
        entry["path"].split("/")[-1]: [n for n in entry.get("notes", []) if "mapping" in n]
        for entry in stories.attrs["load_report"]["files"]
    }
    assert notes == {
        "interview-p3.md": [
            "community 'Westmoor College' set by mapping.yaml (files: 'interview-p3.md') for "
            "1 row (was empty)",
            "date '2025-11-17' set by mapping.yaml (files: 'interview-p3.md') for 1 row "
            "(was empty)",
        ],
        "survey.csv": [],
        "zoom_p1.md": [
            "community 'Eastbrook' set by mapping.yaml (files: 'stories/zoom_*.md') for 1 row "
            "(was empty)"
        ],
    }
    # check reads the folder as run does, and shows the note under the file
    [checked] = [f for f in check_study(study).files if f.path.name == "interview-p3.md"]
    assert checked.report is not None
    assert (
        "community 'Westmoor College' set by mapping.yaml (files: 'interview-p3.md') for "
        "1 row (was empty)" in checked.report["files"][0]["notes"]
    )


def test_what_the_file_says_is_replaced_and_the_note_says_what_it_was(tmp_path) -> None:
    study = _study(tmp_path)
    (study / "mapping.yaml").write_text(
        "files:\n  survey.csv:\n    community: Northbridge University\n", encoding="utf-8"
    )
    stories = load_corpus(study, progress=False).stories
    assert stories.loc[stories["story_id"] == "survey-001", "community"].tolist() == [
        "Northbridge University"
    ]
    [entry] = [e for e in stories.attrs["load_report"]["files"] if e["path"].endswith(".csv")]
    assert entry["notes"][-1] == (
        "community 'Northbridge University' set by mapping.yaml (files: 'survey.csv') for "
        "1 row (was 'Northbridge')"
    )


@pytest.mark.parametrize(
    ("block", "message"),
    [
        (
            "  interview-p4.md:\n    community: Westmoor\n",
            "mapping.yaml: files: 'interview-p4.md' names no file read from the study folder",
        ),
        (
            "  interview-p3.md:\n    role: lecturer\n",
            "mapping.yaml: files: 'interview-p3.md': 'role' cannot be set for a file; "
            "expected community or date",
        ),
        (
            "  interview-p3.md:\n    date: last autumn\n",
            "mapping.yaml: files: 'interview-p3.md': date 'last autumn' cannot be read as a date",
        ),
        (
            "  interview-p3.md: Westmoor\n",
            "mapping.yaml: files: 'interview-p3.md': expected 'community:' or 'date:' under "
            "the file name, found 'Westmoor'",
        ),
    ],
)
def test_a_files_block_that_cannot_be_followed_is_an_error(tmp_path, block, message) -> None:
    study = _study(tmp_path)
    (study / "mapping.yaml").write_text("files:\n" + block, encoding="utf-8")
    with pytest.raises(FileFormatError) as raised:
        load_corpus(study, progress=False)
    assert str(raised.value).startswith(f"{study / 'mapping.yaml'}: files: ")
    assert message in str(raised.value)
    failed = [f.error for f in check_study(study).failed]
    assert any(message in str(error) for error in failed)


def _two_surveys(tmp_path):
    """A study with two files named survey.csv, in north/ (2 rows) and south/ (1 row)."""
    study = tmp_path / "study"
    for folder, rows in (("north", ["Ana,We met.", "Ben,We wrote."]), ("south", ["Cy,We read."])):
        (study / "stories" / folder).mkdir(parents=True)
        (study / "stories" / folder / "survey.csv").write_text(
            "Name,What specific insights did you gain?\n" + "\n".join(rows) + "\n",
            encoding="utf-8",
        )
    return study


def test_a_path_names_one_of_two_files_of_one_name(tmp_path) -> None:
    # user trial: "interviews.docx" in north/ and south/ both took the setting of one
    study = _two_surveys(tmp_path)
    (study / "mapping.yaml").write_text(
        "files:\n"
        "  stories/north/survey.csv:\n    community: North\n"
        "  south/survey.csv:\n    community: South\n    date: 2025-11-17\n",
        encoding="utf-8",
    )
    stories = load_corpus(study, progress=False).stories
    assert stories[["member", "community"]].values.tolist() == [
        ["Ana", "North"],
        ["Ben", "North"],
        ["Cy", "South"],
    ]
    assert stories["date"].isna().tolist() == [True, True, False]
    notes = [entry["notes"][-1] for entry in stories.attrs["load_report"]["files"]]
    assert notes == [
        "community 'North' set by mapping.yaml (files: 'stories/north/survey.csv') for 2 rows "
        "(was empty)",
        "date '2025-11-17' set by mapping.yaml (files: 'south/survey.csv') for 1 row (was empty)",
    ]
    assert check_study(study).failed == ()


def test_a_name_of_two_files_is_an_error_naming_both(tmp_path) -> None:
    study = _two_surveys(tmp_path)
    (study / "mapping.yaml").write_text(
        "files:\n  survey.csv:\n    community: North\n", encoding="utf-8"
    )
    message = (
        f"{study / 'mapping.yaml'}: files: 'survey.csv' names 2 files: "
        "'stories/north/survey.csv', 'stories/south/survey.csv'; write the path of the one "
        "meant under the study folder (such as 'stories/north/survey.csv'), one entry for each"
    )
    with pytest.raises(FileFormatError) as raised:
        load_corpus(study, progress=False)
    assert str(raised.value) == message
    assert [str(f.error) for f in check_study(study).failed] == [message]
    # a glob names them all, as before
    (study / "mapping.yaml").write_text(
        'files:\n  "survey.*":\n    community: Both\n', encoding="utf-8"
    )
    stories = load_corpus(study, progress=False).stories
    assert stories["community"].tolist() == ["Both", "Both", "Both"]


def test_rows_that_cannot_be_told_to_be_one_files_are_an_error(tmp_path) -> None:
    from pathlib import Path

    from copanalysis.io.file_settings import set_from_files

    stories = pd.DataFrame({"community": [None, None], "source": ["a.md:line 1", "a.md:line 1"]})
    stories.attrs["load_report"] = {  # no n_rows: which row is whose is not known
        "files": [{"path": "study/stories/x/a.md"}, {"path": "study/stories/y/a.md"}]
    }
    with pytest.raises(FileFormatError) as raised:
        set_from_files(stories, {"x/a.md": {"community": "X"}}, root=Path("study"))
    assert str(raised.value) == (
        "mapping.yaml: files: 'x/a.md': the rows of 'stories/x/a.md' cannot be told from those "
        "of 'stories/y/a.md' (their sources name the same file, 'a.md'); rename one of the files"
    )
    # told by their counts, each file has its row
    stories.attrs["load_report"]["files"] = [
        {"path": "study/stories/x/a.md", "n_rows": 1},
        {"path": "study/stories/y/a.md", "n_rows": 1},
    ]
    out, used = set_from_files(stories, {"x/a.md": {"community": "X"}}, root=Path("study"))
    assert (out["community"].tolist(), used) == (["X", None], {"x/a.md"})
