"""find_themes: NMF themes, stability choice of k, taxonomy matching."""

from __future__ import annotations

import pandas as pd
import pytest

from copanalysis.codebooks.codebook import Code, Codebook
from copanalysis.coding.themes import find_themes
from copanalysis.errors import MissingColumnError, SchemaError

TIME = [
    "no time for the community",
    "lack of time, heavy workload",
    "workload leaves no time",
    "time to meet is scarce",
    "too little time and too much workload",
    "protected time helped",
]
MONEY = [
    "funding was cut",
    "no budget for travel funding",
    "funding from the ministry",
    "budget cuts hurt us",
    "small grant funding helped",
    "travel budget approved",
]
TECH = [
    "the online platform kept crashing",
    "video calls on a slow platform",
    "a good online platform",
    "platform login problems",
    "the platform made sharing easy",
    "tech support for the online tools",
]


def _items() -> pd.DataFrame:
    texts = TIME + MONEY + TECH
    return pd.DataFrame(
        {"item_id": [f"i{i:02d}" for i in range(len(texts))], "kind": "challenge", "text": texts}
    )


def _taxonomy() -> Codebook:
    return Codebook(
        name="mini",
        version="1",
        codes=(
            Code("TIME", "Time & workload", cues=("time", "workload"), description="Time."),
            Code("RESOURCES", "Funding & resources", cues=("funding", "budget", "grant")),
            Code("TECH", "Technology", cues=("platform", "online", "tech support")),
        ),
    )


def test_three_themes_recovered_and_matched_to_taxonomy() -> None:
    themes = find_themes(_items(), n_themes=3, codebook=_taxonomy())
    assert themes["n_items"].tolist() == [6, 6, 6]
    assert sorted(themes["taxonomy_code"]) == ["RESOURCES", "TECH", "TIME"]
    for row in themes.itertuples():
        first_term = row.top_terms.split(", ")[0]
        assert first_term in {"time", "funding", "platform", "budget", "workload", "online"}
        assert 0.2 < row.similarity <= 1.0
    time_row = themes[themes["taxonomy_code"] == "TIME"].iloc[0]
    assert time_row["taxonomy_label"] == "Time & workload"
    assert time_row["quotes"].count(" | ") == 2
    assert all(q in TIME for q in time_row["quotes"].split(" | "))


def test_assignments_in_attrs_cover_every_item() -> None:
    themes = find_themes(_items(), n_themes=3, codebook=None)
    assignments = themes.attrs["assignments"]
    assert list(assignments.columns) == ["item_id", "text", "theme", "weight"]
    assert len(assignments) == 18
    by_theme = assignments.groupby("theme")["item_id"].apply(set)
    groups = [set(f"i{i:02d}" for i in range(s, s + 6)) for s in (0, 6, 12)]
    assert sorted(map(sorted, by_theme.tolist())) == sorted(map(sorted, groups))
    assert themes["taxonomy_code"].isna().all()


def test_number_of_themes_chosen_by_stability() -> None:
    themes = find_themes(_items(), codebook=None, max_themes=5, n_resamples=5)
    stability = themes.attrs["stability"]
    assert sorted(stability) == [2, 3, 4, 5]
    assert len(themes) == max(stability, key=stability.get)
    assert len(themes) == 3


def test_texts_as_a_list_and_errors() -> None:
    themes = find_themes(TIME + MONEY, n_themes=2, codebook=None)
    assert themes["n_items"].sum() == 12
    assert themes.attrs["assignments"]["item_id"].tolist()[:2] == ["0", "1"]
    with pytest.raises(MissingColumnError, match="'answer'"):
        find_themes(_items(), text_col="answer")
    with pytest.raises(SchemaError, match="at least 3 non-empty texts; got"):
        find_themes(["a b", "", None], n_themes=1)  # type: ignore[list-item]
    with pytest.raises(SchemaError, match="n_themes 40"):
        find_themes(TIME, n_themes=40, codebook=None)


def test_default_taxonomy_is_enablers_challenges() -> None:
    themes = find_themes(_items(), n_themes=3)
    first_terms = themes["top_terms"].str.split(", ").str[0]
    assert dict(zip(first_terms, themes["taxonomy_code"], strict=True)) == {
        "time": "TIME",
        "funding": "RESOURCES",
        "platform": "TECH",
    }
    assert themes["taxonomy_label"].notna().all()


def test_spoken_fillers_and_contraction_halves_never_define_a_group() -> None:
    texts = [
        "I don't really feel like the meetings help, tbh",
        "Honestly the meetings are like a chore, I don't know",
        "Funding for cover is the thing, really",
        "We don't have funding for cover, basically",
        "Time is short, I feel like there's never time",
        "There's no time, actually, it's stuff on top of stuff",
    ]
    themes = find_themes(texts, n_themes=3, codebook=None, random_state=0)
    words = {w for terms in themes["top_terms"] for t in terms.split(", ") for w in t.split()}
    assert not words & {"don", "really", "feel", "like", "tbh", "basically", "stuff", "thing"}
    assert {"meetings", "funding", "time"} <= words
