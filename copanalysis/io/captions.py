"""Transcripts that a meeting or transcription tool writes: turns under speakers' names.

Zoom and Microsoft Teams save a recorded interview's transcript as WebVTT captions
(``.vtt``): cues of a few seconds each, the speaker named before the words (Zoom:
``Jenna Larsen: The one that stands out...``) or in a voice tag (Teams: ``<v Omar
Hassan>Yes, loud and clear.</v>``). Otter.ai's text export puts each turn under a line with
the speaker's name and the time (``Helena Silva  0:27``), after a header (the title, the
date, ``SUMMARY KEYWORDS``, ``SPEAKERS``) and before a ``Transcribed by https://otter.ai``
line.

These tools name the interviewer as they name the member, by name, so no label says who
asked. :func:`member_turns` takes the speaker who says the most words as the member (in
an interview the member does most of the talking) and leaves every other speaker's turns
out of the text that is coded; the loader lists them in the load report, with whose they
are, so that a wrong guess is seen.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import webvtt

from copanalysis.errors import FileFormatError
from copanalysis.io.documents import Block, Worksheet
from copanalysis.io.encoding import read_text

__all__ = [
    "CaptionSheet",
    "SpeakerTranscript",
    "Turn",
    "caption_sheet",
    "member_turns",
    "read_otter",
    "read_vtt",
]


@dataclass(frozen=True)
class Turn:
    """What one speaker said without a break: ``line`` is where it starts in the file (a
    caption's timing line, or an Otter turn's speaker line); ``speaker`` is None when the
    tool named nobody."""

    speaker: str | None
    text: str
    line: int


@dataclass(frozen=True)
class SpeakerTranscript:
    """A tool's transcript read into turns: the turns, and the lines that are no one's
    words (Otter's header and its "Transcribed by" line), as ``(line, text)``."""

    turns: list[Turn]
    furniture: list[tuple[int, str]]


#: Zoom's speaker before the words: "Jenna Larsen: " (up to five words, no sentence in it).
_ZOOM_SPEAKER = re.compile(r"^(?P<speaker>[^\s:.!?][^:.!?]{0,60}?)\s*:\s+(?=\S)")
#: Otter's turn line: the speaker's name, two or more spaces or a tab, the time.
_OTTER_TURN = re.compile(
    r"^(?P<speaker>\S(?:.{0,58}\S)?)(?: {2,}|\t+)(?:\d{1,2}:)?\d{1,2}:\d{2}\s*$"
)
_OTTER_TRAILER = re.compile(r"^\s*transcribed by\s+(?:https?://)?otter\.ai\b", re.IGNORECASE)


def _speaker_words(caption: webvtt.Caption) -> tuple[str | None, str]:
    """The speaker a caption names (Teams' voice tag, or Zoom's name before the words),
    and its words, tags removed (webvtt-py's ``voice`` and ``text``).

    Examples
    --------
    >>> def cue(text):
    ...     return webvtt.from_string(f"WEBVTT\\n\\n00:01.000 --> 00:02.000\\n{text}\\n")[0]
    >>> _speaker_words(cue("<v Omar Hassan>Yes, <i>loud</i> and clear.</v>"))
    ('Omar Hassan', 'Yes, loud and clear.')
    >>> _speaker_words(cue("Jenna Larsen: Of course, happy to."))
    ('Jenna Larsen', 'Of course, happy to.')
    >>> _speaker_words(cue("basically took it apart with me, in a good way."))
    (None, 'basically took it apart with me, in a good way.')
    """
    speaker = caption.voice.strip() if caption.voice else None
    words = " ".join(caption.text.split())
    if speaker is None:
        named = _ZOOM_SPEAKER.match(words)
        if named and len(named["speaker"].split()) <= 5:
            speaker, words = named["speaker"].strip(), words[named.end() :]
    return speaker, words


def read_vtt(text: str) -> SpeakerTranscript:
    """The turns of a WebVTT caption file (Zoom's or Teams' transcript).

    A cue whose text names no speaker continues the turn before it (Zoom names the
    speaker again only at a new turn when a long turn is cut into cues); cues of the same
    speaker in a row are one turn. ``NOTE`` and ``STYLE`` blocks are skipped.

    Examples
    --------
    >>> vtt = '''WEBVTT
    ...
    ... 1
    ... 00:00:02.140 --> 00:00:07.980
    ... Dana Whitfield: Thanks for doing this.
    ...
    ... 2
    ... 00:00:08.410 --> 00:00:10.020
    ... Jenna Larsen: Of course.
    ...
    ... 3
    ... 00:00:10.100 --> 00:00:12.000
    ... Jenna Larsen: Happy to.
    ... '''
    >>> [(t.speaker, t.text, t.line) for t in read_vtt(vtt).turns]
    [('Dana Whitfield', 'Thanks for doing this.', 4), ('Jenna Larsen', 'Of course. Happy to.', 8)]
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # webvtt-py gives no line numbers: a cue's timing line is the next line with its arrow
    # (no other block may hold one)
    timings = (n + 1 for n, line in enumerate(lines) if "-->" in line)
    turns: list[Turn] = []
    for caption, timing in zip(webvtt.from_string(text).captions, timings, strict=False):
        speaker, words = _speaker_words(caption)
        if not words:
            continue
        if turns and (speaker is None or speaker == turns[-1].speaker):
            last = turns[-1]
            turns[-1] = Turn(last.speaker, f"{last.text} {words}", last.line)
        else:
            turns.append(Turn(speaker, words, timing))
    return SpeakerTranscript(turns, [])


def read_otter(text: str) -> SpeakerTranscript | None:
    """The turns of an Otter.ai text export, or None when ``text`` is not laid out as one
    (fewer than two "Name  0:03" lines).

    What comes before the first turn (title, date, summary keywords, speakers) and the
    "Transcribed by https://otter.ai" line are furniture, no one's words.

    Examples
    --------
    >>> otter = '''Interview Helena
    ... SPEAKERS
    ... Dana, Helena
    ...
    ... Dana  0:03
    ... What did you do?
    ...
    ... Helena  0:10
    ... I went to the meetings.
    ... It helped.
    ...
    ... Transcribed by https://otter.ai'''
    >>> read = read_otter(otter)
    >>> [(t.speaker, t.text, t.line) for t in read.turns]
    [('Dana', 'What did you do?', 5), ('Helena', 'I went to the meetings.\\nIt helped.', 8)]
    >>> read.furniture
    [(1, 'Interview Helena'), (2, 'SPEAKERS'), (3, 'Dana, Helena'), (12, 'Transcribed by https://otter.ai')]
    >>> read_otter("We met on Monday.  10:30\\nIt was good.") is None
    True
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    starts = [n for n, line in enumerate(lines) if _OTTER_TURN.match(line.rstrip())]
    if len(starts) < 2:
        return None
    furniture = [
        (n + 1, line.strip()) for n, line in enumerate(lines[: starts[0]]) if line.strip()
    ]
    turns: list[Turn] = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        said = []
        for n in range(start + 1, end):
            line = lines[n].strip()
            if _OTTER_TRAILER.match(line):
                furniture.append((n + 1, line))
            elif line:
                said.append(line)
        speaker = _OTTER_TURN.match(lines[start].rstrip())["speaker"]  # type: ignore[index]
        if said:
            turns.append(Turn(speaker.strip(), "\n".join(said), start + 1))
    return SpeakerTranscript(turns, furniture)


def member_turns(turns: Sequence[Turn]) -> tuple[str | None, list[Turn], list[Turn]]:
    """The member (the speaker who says the most words), their turns, and the others'.

    Turns that name no speaker are the member's when no turn names one, else they are
    kept with the speaker who says the most (no tool leaves some turns unnamed).

    Examples
    --------
    >>> turns = [Turn("Dana", "What did you do this term?", 1),
    ...          Turn("Jenna", "I went to the redesign clinic in September.", 5),
    ...          Turn("Dana", "Wow.", 9)]
    >>> member, own, others = member_turns(turns)
    >>> member, [t.line for t in own], [t.line for t in others]
    ('Jenna', [5], [1, 9])
    """
    words: dict[str | None, int] = {}
    for turn in turns:
        words[turn.speaker] = words.get(turn.speaker, 0) + len(turn.text.split())
    named = {s: n for s, n in words.items() if s is not None}
    if not named:
        return None, list(turns), []
    member = max(named, key=lambda s: named[s])  # the first to speak wins a tie
    own = [t for t in turns if t.speaker in (member, None)]
    return member, own, [t for t in turns if t.speaker not in (member, None)]


@dataclass(frozen=True)
class CaptionSheet:
    """A tool's transcript as a worksheet: the member's turns as text, the other speakers'
    as "Interviewer:" turns (so a turn that asks a worksheet prompt still heads the answer
    below it), the tool's header and trailer as dropped furniture; ``notes`` say whom the
    member was taken to be, ``member`` is that speaker and ``date`` the date an Otter header
    gives (as written)."""

    sheet: Worksheet
    notes: list[str]
    member: str | None
    date: str | None


#: The date on an Otter header line: "Thu, Nov 13, 2025 2:04PM • 18:42".
_OTTER_DATE = re.compile(r"^(?:[A-Z][a-z]{2},\s*)?([A-Z][a-z]{2,8}\.? \d{1,2}, \d{4})\b")


def caption_sheet(path: str | Path) -> CaptionSheet | None:
    """``path`` read as a tool's transcript: a ``.vtt`` file, or a ``.txt`` file laid out as
    an Otter.ai export; None for any other file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "P1.vtt")
    ...     _ = path.write_text(
    ...         "WEBVTT\\n\\n00:01.000 --> 00:04.000\\n<v Dana>What did you do?</v>\\n\\n"
    ...         "00:05.000 --> 00:09.000\\n<v Jo>I ran the clinic in May.</v>\\n"
    ...     )
    ...     read = caption_sheet(path)
    >>> [(b.number, b.text) for b in read.sheet.blocks], read.member
    ([(3, 'Interviewer: What did you do?'), (6, 'I ran the clinic in May.')], 'Jo')
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".vtt", ".txt"):
        return None
    text, encoding = read_text(path)
    try:
        read = read_vtt(text) if suffix == ".vtt" else read_otter(text)
    except (webvtt.errors.MalformedFileError, webvtt.errors.MalformedCaptionError) as error:
        raise FileFormatError(
            f"not a readable WebVTT transcript ({error}); a Zoom or Teams transcript starts "
            "with a WEBVTT line, then cues of a timing line and the words",
            path=path,
        ) from error
    if read is None:
        return None
    tool = "a Zoom or Teams transcript (WebVTT)" if suffix == ".vtt" else "an Otter.ai transcript"
    member, own, others = member_turns(read.turns)
    blocks = [Block(t.text, t.line) for t in own]
    blocks += [Block(f"Interviewer: {t.text}", t.line) for t in others]
    blocks.sort(key=lambda b: b.number)
    words = {t.speaker: 0 for t in read.turns}
    for turn in read.turns:
        words[turn.speaker] += len(turn.text.split())
    said = f"read as {tool}, {len(read.turns)} turns"
    if member is None:
        notes = [f"{said}; no speaker is named, so every turn is read as the member's words"]
    else:
        notes = [
            f"{said}: the member is taken to be {member!r}, who says {words[member]} of "
            f"{sum(words.values())} words (the most)"
        ]
        for speaker in dict.fromkeys(t.speaker for t in others):
            n = sum(t.speaker == speaker for t in others)
            notes.append(
                f"the {n} turn(s) of {speaker!r} ({words[speaker]} words) are read as the "
                "interviewer's, not the member's words: check that they are"
            )
    dropped = [
        {"line": n, "text": line, "reason": "the transcription tool's header or trailer"}
        for n, line in read.furniture
    ]
    dates = (_OTTER_DATE.match(line) for _, line in read.furniture)
    date = next((found.group(1) for found in dates if found), None)
    return CaptionSheet(
        Worksheet(blocks, suffix.lstrip("."), encoding, dropped), notes, member, date
    )
