"""The bundled sample corpus in ``data/raw/`` loads completely, and the gold set lines up.

These tests read the real files with the package's loaders, so they also guard the loaders
against the shapes researchers actually send (survey exports, Word worksheets, notes).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import copanalysis
from copanalysis.schema import MEMBER_TYPES, PROMPT_FIELDS, ROLES

RAW = Path(__file__).parents[1] / "data" / "raw"
MAIN_CYCLES = {
    "immediate",
    "potential",
    "applied",
    "realized",
    "reframing",
    "orienting",
    "enabling",
    "strategic",
}
#: stories per file, as written
STORY_FILES = {
    "nursing-network-survey.csv": 24,
    "teachers-network-forms.xlsx": 20,
    "farmers-extension.csv": 16,
    "engineers-roads.docx": 3,
    "engineers-water.docx": 2,
    "engineers-drainage.docx": 2,
    "engineers-permits.docx": 4,
    "oss-sprint-notes.md": 5,
    "oss-mentoring.md": 4,
    "oss-maintainers.md": 4,
}
COMMUNITIES = {
    "Regional Nursing Practice Network",
    "Northside Teachers' Network",
    "Early Literacy Circle",
    "Nyando Farmer Field School",
    "Hillside Dairy Group",
    "Municipal Engineers Exchange",
    "City Water Practitioners",
    "Tessera contributors",
}
#: (enablers, challenges) per list file
LIST_FILES = {
    "hospital-enablers-challenges.md": (6, 7),
    "teachers-network.csv": (6, 6),
    "city-engineers.xlsx": (6, 9),
    "oss-project.docx": (6, 6),
    "farmers-cooperative.txt": (5, 6),
}


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _file(source: pd.Series) -> pd.Series:
    """The file name part of a ``source`` ("file[:sheet]:row N")."""
    return source.astype(str).str.split(":").str[0].map(lambda s: Path(s).name)


@pytest.fixture(scope="module")
def untouched() -> Iterator[None]:
    """Loading must leave every file in data/raw byte-for-byte unchanged."""
    before = _digest(RAW)
    yield
    assert _digest(RAW) == before


@pytest.fixture(scope="module")
def stories(untouched: None) -> pd.DataFrame:
    return copanalysis.load_stories(RAW / "stories", progress=False)


@pytest.fixture(scope="module")
def gold(untouched: None) -> pd.DataFrame:
    return copanalysis.load_codes(RAW / "gold" / "gold-codes.csv")


def _report(frame: pd.DataFrame, name: str) -> dict:
    (entry,) = [f for f in frame.attrs["load_report"]["files"] if Path(f["path"]).name == name]
    return entry


# ------------------------------------------------------------------------------ stories
def test_every_story_is_loaded_from_every_file(stories: pd.DataFrame) -> None:
    assert len(stories) == 84
    assert _file(stories["source"]).value_counts().to_dict() == STORY_FILES


def test_story_ids_follow_the_id_column_or_the_file_position(stories: pd.DataFrame) -> None:
    expected = {f"R-N{n:03d}" for n in range(1, 26)} - {"R-N013"}
    expected |= {str(n) for n in range(1, 21)}
    expected |= {f"farmers-extension-{n:03d}" for n in range(1, 17)}
    for name, count in STORY_FILES.items():
        if name.startswith(("engineers-", "oss-")):
            stem = Path(name).stem
            expected |= {f"{stem}-{n:03d}" for n in range(1, count + 1)}
    assert set(stories["story_id"]) == expected
    row = stories.set_index("story_id").loc["engineers-permits-003"]
    assert (row["member"], row["role"]) == ("Eva Novák", "deputy city engineer")


def test_at_least_five_communities(stories: pd.DataFrame) -> None:
    assert stories["community"].nunique() >= 5


def test_communities_are_read_from_every_format(stories: pd.DataFrame) -> None:
    assert set(stories["community"]) == COMMUNITIES
    by_file = stories.assign(file=_file(stories["source"])).groupby("file")["community"]
    assert by_file.nunique().to_dict() == {
        "nursing-network-survey.csv": 1,
        "teachers-network-forms.xlsx": 2,
        "farmers-extension.csv": 2,
        "engineers-roads.docx": 1,
        "engineers-water.docx": 1,
        "engineers-drainage.docx": 1,
        "engineers-permits.docx": 1,
        "oss-sprint-notes.md": 1,
        "oss-mentoring.md": 1,
        "oss-maintainers.md": 1,
    }


def test_members_are_read_from_worksheets(stories: pd.DataFrame) -> None:
    by_id = stories.set_index("story_id")
    assert tuple(by_id.loc["oss-mentoring-001", ["member", "role"]]) == (
        "Chidi Eze",
        "mentee, spring mentoring cohort",
    )
    assert by_id.loc["R-N010", "member"] == "Nguyễn Thị Lan"


def test_every_story_names_its_member(stories: pd.DataFrame) -> None:
    by_id = stories.set_index("story_id")
    assert str(by_id.loc["farmers-extension-004", "member"]) == "Joseph Mutua"
    assert tuple(by_id.loc["farmers-extension-012", ["member", "role"]]) == (
        "Tomás Herrera",
        "agronomist, seed company (invited)",
    )
    farmers = stories[_file(stories["source"]) == "farmers-extension.csv"]
    assert farmers["member"].notna().sum() == 16 and farmers["role"].notna().sum() == 16
    assert _report(stories, "farmers-extension.csv")["mapping"]["Name (farmer or officer)"] == {
        "field": "member",
        "score": 95.0,
    }
    assert tuple(by_id.loc["oss-maintainers-003", ["member", "role"]]) == (
        "Yusuf Demir",
        "developer at a mapping company (user)",
    )
    assert stories["member"].notna().all()


def test_worksheet_titles_are_introductions_not_stories(stories: pd.DataFrame) -> None:
    for name in ("engineers-roads.docx", "engineers-permits.docx"):
        entry = _report(stories, name)
        assert entry["introduction"] == {
            "paragraph": 1,
            "to": 1,
            "text": "Value creation stories",
        }
    by_id = stories.set_index("story_id")
    assert by_id.loc["engineers-permits-001", "source"] == "engineers-permits.docx:paragraph 2"


def test_every_prompt_field_has_text(stories: pd.DataFrame) -> None:
    filled = stories[list(PROMPT_FIELDS)].notna().sum().to_dict()
    assert filled == {
        "activities": 81,
        "insights": 77,
        "practice": 49,
        "development": 37,
        "organization": 43,
        "story": 3,
    }


def test_the_empty_survey_row_is_skipped_and_reported(stories: pd.DataFrame) -> None:
    entry = _report(stories, "nursing-network-survey.csv")
    assert [s["row"] for s in entry["skipped"]] == [14]  # header is row 1, R-N013 is row 14
    assert "R-N013" not in set(stories["story_id"])
    assert stories.attrs["load_report"]["n_skipped"] == 1


def test_the_unparseable_date_is_nat_and_reported(stories: pd.DataFrame) -> None:
    by_id = stories.set_index("story_id")
    assert pd.isna(by_id.loc["farmers-extension-004", "date"])
    assert by_id.loc["farmers-extension-001", "date"] == pd.Timestamp("2025-02-03")  # 03.02.
    assert by_id.loc["R-N018", "date"] == pd.Timestamp("2025-03-14 10:22:05")
    assert stories["date"].isna().sum() == 1
    entry = _report(stories, "farmers-extension.csv")
    assert entry["bad_dates"] == [{"row": 5, "value": "spring 2025"}]


def test_texts_keep_non_ascii_emoji_and_paragraphs(stories: pd.DataFrame) -> None:
    by_id = stories.set_index("story_id")
    assert by_id.loc["10", "member"] == "Ngozi Okonkwo-Adébáyọ̀"
    assert by_id.loc["R-N010", "member"] == "Nguyễn Thị Lan"
    assert by_id.loc["R-N005", "development"].index("🙂") == 21
    assert by_id.loc["farmers-extension-004", "development"].endswith("silage 🌱")
    organization = by_id.loc["engineers-water-001", "organization"]
    assert organization.count("\n") == 1
    assert organization.endswith("in the 2026 budget.")
    assert by_id.loc["R-N014", "practice"].count("\n") == 1


# ------------------------------------------------------------------ lists, roles, grid
def test_lists_from_five_organisations_with_both_kinds(untouched: None) -> None:
    items = copanalysis.load_lists(RAW / "lists")
    counts = (
        items.assign(file=_file(items["source"]))
        .groupby(["file", "kind"], observed=True)
        .size()
        .unstack()
    )
    assert {f: (int(r["enabler"]), int(r["challenge"])) for f, r in counts.iterrows()} == (
        LIST_FILES
    )
    hospital = items[_file(items["source"]) == "hospital-enablers-challenges.md"]
    assert hospital["text"].iloc[0].startswith("Thanks to protected time on Thursday")


def test_roles_cover_every_role_and_member_type(untouched: None) -> None:
    roles = copanalysis.load_roles(RAW / "roles")
    assert set(roles["role"].dropna()) == set(ROLES)
    assert set(roles["member_type"].dropna()) == set(MEMBER_TYPES)
    assert roles["respondent"].nunique() == 18
    hannah = roles[roles["respondent"] == "Hannah Schmidt"]
    assert set(hannah["role"]) == {"Inquiry - learning agenda", "Boundary connections"}
    assert set(hannah["member_type"]) == {"Active member"}
    assert set(hannah["aspect"]) == {
        "purpose",
        "actions",
        "challenges",
        "gratification",
        "qualification",
        "support",
    }


def test_grid_respondents_cover_the_four_cells(untouched: None) -> None:
    grid = copanalysis.load_grid(RAW / "grid")
    assert grid["respondent"].nunique() == 14
    cells = set(zip(grid["beneficiary"].astype(str), grid["horizon"].astype(str), strict=True))
    assert cells == {
        ("members", "short"),
        ("members", "long"),
        ("organization", "short"),
        ("organization", "long"),
    }
    ingrid = grid[grid["respondent"] == "Ingrid Larsen"].set_index(["beneficiary", "horizon"])
    assert ingrid.loc[("organization", "long"), "text"].startswith("Lower non-revenue water")
    assert len(grid) == 54  # 8 x 4 wide (one cell left empty) + 15 long + 2 x 4 in Word


# ------------------------------------------------------------------------------- gold
def test_gold_set_size_and_coders(gold: pd.DataFrame) -> None:
    assert len(gold) == 614
    assert gold.groupby("coder").size().to_dict() == {"Ana Ruiz": 469, "Kwame Mensah": 145}
    assert set(gold["codebook"]) == {"value_cycles"}
    main = gold[gold["code"].isin(MAIN_CYCLES)]
    assert len(main) == 506
    assert set(main["code"]) == MAIN_CYCLES
    double = gold.groupby("coder")["doc_id"].nunique().to_dict()
    assert double == {"Ana Ruiz": 84, "Kwame Mensah": 22}


def test_gold_quotes_are_the_story_text_at_their_offsets(
    gold: pd.DataFrame, stories: pd.DataFrame
) -> None:
    assert set(gold["doc_id"]) <= set(stories["story_id"])
    texts = stories.set_index("story_id")
    wrong = [
        (row.doc_id, row.field, row.start)
        for row in gold.itertuples()
        if texts.loc[row.doc_id, row.field][row.start : row.end] != row.quote
    ]
    assert wrong == []
    # offsets count code points: after the 🙂 (two UTF-16 units) the quote starts at 294
    after_emoji = gold[gold["quote"].str.startswith("I learned more about git")]
    assert set(after_emoji["start"]) == {294}


def test_gold_sub_codes_sit_on_potential_spans(gold: pd.DataFrame) -> None:
    sub = gold[gold["code"].str.startswith("potential_")]
    assert set(sub["code"]) == {
        "potential_human",
        "potential_social",
        "potential_tangible",
        "potential_reputational",
        "potential_learning",
    }
    key = ["doc_id", "field", "start", "end", "coder"]
    potential = gold[gold["code"] == "potential"][key]
    matched = sub[key].merge(potential, how="left", indicator=True)
    assert (matched["_merge"] == "both").all()
    assert set(sub["coder"]) == {"Ana Ruiz"}


def test_gold_polarity_marks_negative_experiences(gold: pd.DataFrame) -> None:
    waste = gold[gold["quote"].str.contains("waste of time")]
    assert set(zip(waste["code"], waste["polarity"], strict=True)) == {("immediate", -1)}
    assert gold["polarity"].value_counts().to_dict().keys() <= {-1, 0, 1}
    assert (gold["polarity"] == -1).sum() >= 20


def test_skip_unreadable_leaves_out_and_lists_a_broken_file_of_every_folder(tmp_path) -> None:
    from copanalysis.errors import CopanalysisError
    from copanalysis.io import load_corpus

    study = tmp_path / "study"
    for folder in ("stories", "lists", "roles", "grid"):
        (study / folder).mkdir(parents=True)
        (study / folder / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    (study / "stories" / "survey.csv").write_text(
        "Your name,What specific insights did you gain?\nAna,We learned\n", encoding="utf-8"
    )
    with pytest.raises(CopanalysisError, match="broken.xlsx"):
        load_corpus(study, progress=False)
    corpus = load_corpus(study, skip_unreadable=True, progress=False)
    assert corpus.stories["member"].tolist() == ["Ana"]
    for name, frame in corpus.frames().items():
        if name == "gold":
            continue
        report = frame.attrs["load_report"]
        [left] = report["unreadable"]
        assert left["path"] == str(study / name.replace("items", "lists") / "broken.xlsx")
        assert left["error"].startswith(left["path"])
        assert left["path"] not in {s["path"] for s in frame.attrs["sources"]}
    assert [s["path"] for s in corpus.stories.attrs["sources"]] == [
        str(study / "stories" / "survey.csv")
    ]
