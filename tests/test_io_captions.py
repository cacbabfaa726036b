"""Zoom, Teams and Otter.ai transcripts: the member's turns are the story (trial 36)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from copanalysis.io import check_study, format_load_report, load_stories
from copanalysis.io.captions import Turn, member_turns, read_otter, read_vtt

ZOOM = """WEBVTT

1
00:00:02.140 --> 00:00:07.980
Dana Whitfield: Okay, the recording is on. What did you do this term?

2
00:00:18.200 --> 00:00:29.870
Jenna Larsen: The redesign clinic in September. Two people from Westmoor

3
00:00:29.870 --> 00:00:36.450
Jenna Larsen: took my lab report apart with me.

4
00:00:37.010 --> 00:00:41.220
Dana Whitfield: Mm-hmm.

5
00:00:41.900 --> 00:00:55.300
Jenna Larsen: So I changed the lab report, and scores went up by half a grade.
"""

TEAMS = """WEBVTT

0a7c1d2e-5b1f/12-0
00:00:03.120 --> 00:00:06.480
<v Dana Whitfield>Can you hear me OK?</v>

0a7c1d2e-5b1f/13-0
00:00:06.900 --> 00:00:08.010
<v Omar Hassan>Yes, loud and clear.</v>

0a7c1d2e-5b1f/21-0
00:00:15.900 --> 00:00:31.770
<v Omar Hassan>A colleague came to my class and I went to hers.</v>
"""

OTTER = """Interview Helena Silva
Thu, Nov 13, 2025 2:04PM \u2022 18:42

SUMMARY KEYWORDS
ai, students, quiz

SPEAKERS
Dana Whitfield, Helena Silva

Dana Whitfield  0:03
What did you do this fall?

Helena Silva  0:10
I went to the monthly meetings.
I had a one-on-one with Dev.

Helena Silva  0:49
So I built a short quiz for my nursing students.

Transcribed by https://otter.ai
"""


def test_zoom_cues_of_one_speaker_are_one_turn_and_each_turn_keeps_its_line():
    turns = read_vtt(ZOOM).turns
    assert [(t.speaker, t.line) for t in turns] == [
        ("Dana Whitfield", 4),
        ("Jenna Larsen", 8),
        ("Dana Whitfield", 16),
        ("Jenna Larsen", 20),
    ]
    assert turns[1].text == (
        "The redesign clinic in September. Two people from Westmoor took my lab report apart "
        "with me."
    )


def test_teams_voice_tags_name_the_speaker_and_no_tag_is_left_in_the_text():
    turns = read_vtt(TEAMS).turns
    assert [(t.speaker, t.text, t.line) for t in turns] == [
        ("Dana Whitfield", "Can you hear me OK?", 4),
        (
            "Omar Hassan",
            "Yes, loud and clear. A colleague came to my class and I went to hers.",
            8,
        ),
    ]


def test_otter_turns_and_its_header_and_trailer_as_furniture():
    read = read_otter(OTTER)
    assert read is not None
    assert [(t.speaker, t.text, t.line) for t in read.turns] == [
        ("Dana Whitfield", "What did you do this fall?", 10),
        ("Helena Silva", "I went to the monthly meetings.\nI had a one-on-one with Dev.", 13),
        ("Helena Silva", "So I built a short quiz for my nursing students.", 17),
    ]
    assert [line for line, _ in read.furniture] == [1, 2, 4, 5, 7, 8, 20]


def test_a_narrative_with_a_time_of_day_is_no_otter_transcript():
    assert read_otter("We met at the library  10:30\nIt went well.\nThen lunch.") is None


def test_the_member_is_the_speaker_with_the_most_words_and_unnamed_turns_are_theirs():
    turns = [Turn("Dana", "What did you do?", 1), Turn("Jo", "I ran the clinic in September.", 3)]
    member, own, others = member_turns(turns)
    assert (member, [t.line for t in own], [t.line for t in others]) == ("Jo", [3], [1])
    assert member_turns([Turn(None, "We met.", 2)]) == (None, [Turn(None, "We met.", 2)], [])


def test_transcripts_load_as_the_members_story_and_the_report_names_who_was_left_out(
    tmp_path: Path,
):
    folder = tmp_path / "study" / "stories"
    folder.mkdir(parents=True)
    (folder / "P1 zoom.vtt").write_text(ZOOM, encoding="utf-8")
    (folder / "P2 teams.vtt").write_text(TEAMS, encoding="utf-8")
    (folder / "P4 otter.txt").write_text(OTTER, encoding="utf-8")
    stories = load_stories(folder, progress=False)
    assert stories["story_id"].tolist() == ["P1 zoom-001", "P2 teams-001", "P4 otter-001"]
    assert stories["member"].tolist() == ["Jenna Larsen", "Omar Hassan", "Helena Silva"]
    assert stories["story"].tolist() == [
        "The redesign clinic in September. Two people from Westmoor took my lab report apart "
        "with me.\nSo I changed the lab report, and scores went up by half a grade.",
        "Yes, loud and clear. A colleague came to my class and I went to hers.",
        "I went to the monthly meetings.\nI had a one-on-one with Dev.\n"
        "So I built a short quiz for my nursing students.",
    ]
    assert stories["date"].isna().tolist() == [True, True, False]
    assert stories["date"].iloc[2] == pd.Timestamp("2025-11-13")
    assert stories["source"].tolist() == [
        "P1 zoom.vtt:line 8",
        "P2 teams.vtt:line 8",
        "P4 otter.txt:line 13",
    ]
    zoom, _, otter = stories.attrs["load_report"]["files"]
    assert zoom["format"] == "vtt"
    assert zoom["notes"][:2] == [
        "read as a Zoom or Teams transcript (WebVTT), 4 turns: the member is taken to be "
        "'Jenna Larsen', who says 30 of 42 words (the most)",
        "the 2 turn(s) of 'Dana Whitfield' (12 words) are read as the interviewer's, not the "
        "member's words: check that they are",
    ]
    assert zoom["notes"][2].startswith("2 line(s) of the interviewer's turns left out")
    assert "the date 'Nov 13, 2025' read from the transcript's header" in otter["notes"]
    assert [d["line"] for d in otter["dropped"]] == [1, 2, 4, 5, 7, 8, 20]
    assert (
        "dropped line 20 (the transcription tool's header or trailer): "
        "'Transcribed by https://otter.ai'" in format_load_report(stories.attrs["load_report"])
    )
    checked = check_study(tmp_path / "study")
    assert [f.not_read for f in checked.files] == [None, None, None]
    assert [f.report["n_rows"] if f.report else None for f in checked.files] == [1, 1, 1]


def test_a_vtt_file_that_is_not_webvtt_is_an_error_naming_the_file(tmp_path: Path):
    import pytest

    from copanalysis.errors import FileFormatError

    path = tmp_path / "P9.vtt"
    path.write_text("00:00:01.000 --> 00:00:02.000\nNo header line.\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match=r"P9\.vtt.*not a readable WebVTT transcript"):
        load_stories(path, progress=False)


def test_cue_settings_and_styling_tags_stay_out_of_the_words():
    vtt = (
        "WEBVTT\n\nNOTE made by hand\n\n00:01.000 --> 00:04.000 align:start position:10%\n"
        "<v.loud Dana>What <i>did</i> you do?</v>\n\n"
        "00:05.000 --> 00:09.000\n<c.yellow>Jo: I ran</c> the clinic.\n"
    )
    turns = read_vtt(vtt).turns
    assert [(t.speaker, t.text, t.line) for t in turns] == [
        ("Dana", "What did you do?", 5),
        ("Jo", "I ran the clinic.", 8),
    ]
