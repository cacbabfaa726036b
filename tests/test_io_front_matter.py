"""A Markdown story's YAML front matter gives its community, date, member and role."""

from __future__ import annotations

import pandas as pd

from copanalysis.io import format_load_report, load_corpus, load_stories
from copanalysis.io.fields import STORY_WORDING, match_label
from copanalysis.io.front_matter import read_front_matter

_STORY = (
    "## What meaningful activities did you participate in?\n\nThe security response call.\n\n"
    "## How did this influence your practice?\n\nWe route reports through private advisories.\n"
)


def _label_of(text):
    return match_label(text, STORY_WORDING)


def test_front_matter_gives_the_story_its_community_date_member_and_role(tmp_path):
    # trial 38: the front matter was left out as file metadata, and with it the story's
    # community, date and member
    path = tmp_path / "story-tomas.md"
    path.write_text(
        "---\ntitle: Handling CVE-2025-1234\ncommunity: Maintainers' Circle\n"
        "date: 2025-08-02\nmember: Tomás Herrera\nrole: security response lead\n"
        "tags: [security, embargo]\n---\n\n" + _STORY,
        encoding="utf-8",
    )
    stories = load_stories(path)
    story = stories.iloc[0]
    assert story["community"] == "Maintainers' Circle"
    assert story["date"] == pd.Timestamp("2025-08-02")
    assert story["member"] == "Tomás Herrera"
    assert story["role"] == "security response lead"
    assert story["activities"] == "The security response call."
    entry = stories.attrs["load_report"]["files"][0]
    assert entry["mapping"]["community (front matter)"] == {"field": "community", "score": 100.0}
    assert entry["mapping"]["date (front matter)"]["field"] == "date"
    assert [d["line"] for d in entry["dropped"]] == [1, 2, 3, 4, 5, 6, 7, 8]
    report = format_load_report(stories.attrs["load_report"])
    assert "member (front matter) -> member (100)" in report
    assert "front matter keys that name no field of the story, not read: 'title', 'tags'" in report


def test_what_the_story_says_wins_over_its_front_matter(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text(
        "---\ncommunity: Hillside\nmember: Ana Ruiz\n---\n\n# Story 1\n\n"
        "**Community/date:** Riverside / 2025-03-14\n\n" + _STORY + "\n# Story 2\n\n" + _STORY,
        encoding="utf-8",
    )
    stories = load_stories(path)
    assert stories["community"].tolist() == ["Riverside", "Hillside"]
    assert stories["member"].tolist() == ["Ana Ruiz", "Ana Ruiz"]
    assert stories["date"].tolist() == [pd.Timestamp("2025-03-14"), pd.NaT]
    notes = stories.attrs["load_report"]["files"][0]["notes"]
    assert (
        "story 1 (line 8): its own community 'Riverside' kept, not the front matter's "
        "'Hillside'" in notes
    )


def test_front_matter_that_is_no_yaml_is_noted_and_the_story_still_loads(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("---\ncommunity: [Riverside\n---\n\n" + _STORY, encoding="utf-8")
    stories = load_stories(path)
    assert stories["community"].isna().all()
    assert stories["activities"].tolist() == ["The security response call."]
    notes = stories.attrs["load_report"]["files"][0]["notes"]
    assert notes == [
        "line 1: front matter not YAML (while parsing a flow sequence): none of its fields read"
    ]


def test_mapping_files_wins_over_front_matter(tmp_path):
    (tmp_path / "stories").mkdir()
    (tmp_path / "stories" / "a.md").write_text(
        "---\ncommunity: Maintainers Circle\ndate: 2025-08-02\n---\n\n" + _STORY, encoding="utf-8"
    )
    (tmp_path / "mapping.yaml").write_text(
        "files:\n  a.md:\n    community: Maintainers' Circle\n", encoding="utf-8"
    )
    stories = load_corpus(tmp_path, progress=False).stories
    assert stories["community"].tolist() == ["Maintainers' Circle"]
    assert stories["date"].tolist() == [pd.Timestamp("2025-08-02")]


def test_read_front_matter_reads_place_and_person_labels_and_skips_lists():
    matter = read_front_matter(
        ["Site: Ward 3", "Participant: P3", "tags:", "  - a", "published: true"], _label_of
    )
    assert matter.fields == {"community": "Ward 3", "member": "P3"}
    assert matter.keys == {"community": "Site", "member": "Participant"}
    assert matter.not_read == ["tags", "published"]
    assert matter.problem is None


def test_front_matter_too_long_or_too_deep_is_noted_not_read(tmp_path):
    deep = read_front_matter(["community: " + "[" * 2000 + "]" * 2000], _label_of)
    assert deep.problem == "not YAML (nested too deeply)"
    assert deep.fields == {}
    long = read_front_matter(["community: " + "x" * 10_000], _label_of)
    assert long.problem == "of 10,011 characters, too long to be a file's fields"
    path = tmp_path / "notes.md"
    path.write_text("---\nkey: " + "[" * 50_000 + "\n---\n\n" + _STORY, encoding="utf-8")
    stories = load_stories(path)
    assert stories["activities"].tolist() == ["The security response call."]
    notes = stories.attrs["load_report"]["files"][0]["notes"]
    assert notes == [
        "line 1: front matter of 50,005 characters, too long to be a file's fields: "
        "none of its fields read"
    ]
