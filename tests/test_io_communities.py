"""One name per community: spellings that differ only in case, spaces or punctuation."""

from __future__ import annotations

import pandas as pd

from copanalysis.io import load_corpus, unify_communities
from copanalysis.io.provenance import left_out


def _frame(communities: list[object], source: str) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "community": communities,
            "source": [f"{source}:row {i + 2}" for i in range(len(communities))],
        }
    )
    frame.attrs["load_report"] = {
        "frame": "x",
        "files": [{"path": f"study/{source}", "notes": []}],
    }
    return frame


def test_spellings_of_one_name_take_the_spelling_most_rows_use() -> None:
    stories = _frame(["North Coaches", "North Coaches", "north  coaches", None], "a.csv")
    items = _frame(["North-Coaches.", "City Engineers"], "b.csv")
    grid = pd.DataFrame({"text": ["no community column"]})
    out = unify_communities({"stories": stories, "items": items, "grid": grid})
    assert out["stories"]["community"].tolist()[:3] == ["North Coaches"] * 3
    assert pd.isna(out["stories"]["community"].iloc[3])
    # other words are another community, whatever they look like
    assert out["items"]["community"].tolist() == ["North Coaches", "City Engineers"]
    assert out["grid"] is grid
    # each renaming is noted in the file it came from; the input frames are untouched
    assert left_out(out["stories"].attrs["load_report"]["files"][0]) == [
        "note: community 'north  coaches' (1 row) read as 'North Coaches', the spelling most "
        "rows use: the names differ only in case, spaces or punctuation"
    ]
    assert "'North-Coaches.' (1 row)" in out["items"].attrs["load_report"]["files"][0]["notes"][0]
    assert stories["community"].iloc[2] == "north  coaches"
    assert stories.attrs["load_report"]["files"][0]["notes"] == []


def test_a_tie_keeps_the_first_spelling_in_sorted_order_and_one_spelling_is_left_alone() -> None:
    frame = _frame(["river group", "River Group", "Hill Group"], "a.csv")
    out = unify_communities({"stories": frame})["stories"]
    assert out["community"].tolist() == ["River Group", "River Group", "Hill Group"]
    alone = _frame(["River Group", "Hill Group"], "a.csv")
    assert unify_communities({"stories": alone})["stories"] is alone


def test_a_study_folder_counts_one_community_across_its_files(tmp_path) -> None:
    (tmp_path / "stories").mkdir()
    (tmp_path / "lists").mkdir()
    (tmp_path / "stories" / "survey.csv").write_text(
        "Community,Your name,Insights\n"
        "North Coaches,Ana,We learned a lot about drills\n"
        "North Coaches,Bo,I picked up a warm-up\n"
        "north coaches,Cy,We tried the new drill\n",
        encoding="utf-8",
    )
    (tmp_path / "lists" / "north.csv").write_text(
        "Community,Kind,Item\nNorth coaches.,enabler,A shared drive\n", encoding="utf-8"
    )
    corpus = load_corpus(tmp_path, progress=False)
    assert set(corpus.stories["community"]) | set(corpus.items["community"]) == {"North Coaches"}
    notes = corpus.items.attrs["load_report"]["files"][0]["notes"]
    assert notes == [
        "community 'North coaches.' (1 row) read as 'North Coaches', the spelling most rows "
        "use: the names differ only in case, spaces or punctuation"
    ]


def test_load_stories_and_load_lists_read_spellings_of_one_community_as_one(tmp_path):
    """Trial 35: the README's tour loaded stories per folder, and 'dedza ' stayed a
    community apart from 'Dedza' while run (load_corpus) read them as one."""
    from copanalysis.io import load_lists, load_stories

    stories = tmp_path / "stories"
    stories.mkdir()
    (stories / "wave1.csv").write_text(
        "Community,What did you learn?\nDedza,Pit planting.\nNtcheu,Ripping.\n", "utf-8"
    )
    (stories / "wave2.csv").write_text(
        "Community,What did you learn?\nDedza,Manure.\ndedza ,Mulching.\n", "utf-8"
    )
    loaded = load_stories(stories)
    assert loaded["community"].tolist() == ["Dedza", "Ntcheu", "Dedza", "Dedza"]
    entries = loaded.attrs["load_report"]["files"]
    assert [e.get("notes", []) for e in entries] == [
        [],
        [
            "community 'dedza' (1 row) read as 'Dedza', the spelling most rows use: the "
            "names differ only in case, spaces or punctuation"
        ],
    ]
    (tmp_path / "lists.csv").write_text(
        "District,Enablers\nKasungu,Mentors\nKASUNGU,Radio\nKasungu,Visits\n", "utf-8"
    )
    assert load_lists(tmp_path / "lists.csv")["community"].tolist() == ["Kasungu"] * 3


def test_a_name_with_a_gloss_in_brackets_is_the_name_without_it() -> None:
    # trial 46: the stories said "Líonra Mata na Gaillimhe (Galway Maths Teachers'
    # Network)", the lists and grids "Líonra Mata na Gaillimhe": "2 communities" for one
    glossed = "Líonra Mata na Gaillimhe (Galway Maths Teachers' Network)"
    stories = _frame([glossed, glossed], "story-01.docx")
    grid = _frame(["Líonra Mata na Gaillimhe", "líonra mata na gaillimhe "], "grid.docx")
    out = unify_communities({"stories": stories, "grid": grid})
    assert set(out["stories"]["community"]) | set(out["grid"]["community"]) == {
        "Líonra Mata na Gaillimhe"
    }
    assert out["stories"].attrs["load_report"]["files"][0]["notes"] == [
        f"community {glossed!r} (2 rows) read as 'Líonra Mata na Gaillimhe', the same name "
        "without the gloss in brackets after it"
    ]


def test_a_gloss_alone_or_two_glosses_of_one_name_stay_apart() -> None:
    # conservative: without the bare name there is nothing to read it as, and two glosses
    # of one name may be two groups of it; other words before the bracket are another name
    alone = _frame(["Nurses Network (North)", "City Engineers"], "a.csv")
    assert unify_communities({"stories": alone})["stories"] is alone
    two = _frame(["Nurses Network", "Nurses Network (North)", "Nurses Network (South)"], "a.csv")
    assert unify_communities({"stories": two})["stories"] is two
    other = _frame(["Nurses Network", "Nurses Network Wales (NNW)"], "a.csv")
    assert unify_communities({"stories": other})["stories"] is other
