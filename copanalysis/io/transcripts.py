"""Interview transcripts: the interviewer's turns, which are not the member's words.

A transcript marks who speaks ("Interviewer:", "I:", "Q:", "**Facilitator:**", "Q2:"), and
quoted transcripts carry the interviewer's words in brackets ("[Interviewer: So, there's that
level of comfort?]"). What the interviewer asked is not what the member said, so
:func:`drop_interviewer` takes it out of the text that is coded; the loader lists each turn
in the load report. A turn that asks a worksheet prompt ("Q: What specific insights did you
gain?", or in the interviewer's own words "Q: What did you get out of it?") stays, without
its speaker label, so that the answer below it is read under that prompt. The answer to a
question that asks no prompt is no answer to the prompt above it: :class:`Transcript` says
where each such answer starts.

In Markdown and plain text a turn runs on over the following lines until a blank line or the
next speaker's label; in Word a turn is its paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from copanalysis.io.documents import Block
from copanalysis.io.fields import NOT_INSIDE_SPACES

__all__ = ["Transcript", "as_loaded", "drop_interviewer", "interviewee", "is_interviewer_label"]

#: Speaker labels that mark the interviewer's turn.
_INTERVIEWER = r"(?:interviewer|facilitator|moderator|researcher|evaluator|int|iv|i|q|question)"
_TURN = re.compile(rf"^[\s*_>]*{_INTERVIEWER}(?:\s*\d+)?[*_]*\s*:[*_]*\s*", re.IGNORECASE)
_ASIDE = re.compile(rf"{NOT_INSIDE_SPACES}\s*\[\s*{_INTERVIEWER}\s*:[^\]]*\]", re.IGNORECASE)
#: A transcription tool's time mark: f4's and MAXQDA's "#00:01:12-4#", "[00:01:12]",
#: "(00:01:12)" (in brackets only with seconds: "(10:30)" may be a time of day). It is no
#: one's words (trial 34: 32 coded quotes ended in " #").
_TIMESTAMP = re.compile(
    rf"{NOT_INSIDE_SPACES}\s*"
    r"(?:#\d{1,2}:\d{2}(?::\d{2})?(?:[-.,]\d+)?#|[\[(]\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?[\])])"
)
#: A turn that only names the interviewer ("Interviewer: Dana Whitfield"): a header line,
#: so the line after it is no answer (trial 36).
_NAME_ONLY = re.compile(r"[A-Z][\w'’-]*\.?(?:\s+[A-Z][\w'’-]*\.?){1,3}")
#: Any speaker's label ("R:", "Participant 3:", "Dr Okafor:"): it ends a turn in text files.
#: Possessive (``*+``): no part gives back what the next cannot take, and a greedy
#: ``[\w.'-]*`` gave back a long word or number one character at a time (quadratic).
_SPEAKER = re.compile(
    r"^[\s*_>]*+[A-Za-z][\w.'-]*+(?:\s++[A-Za-z][\w.'-]*+){0,2}\s*+\d*+[*_]*+\s*+:"
)


#: An interview's title that names who was interviewed: "Interview notes – Arjun Mehta",
#: "Interview with Ana Souza, ward nurse", "Transcript: P3".
_INTERVIEW_TITLE = re.compile(
    r"(?:interview|transcript)(?:\s+(?:notes|transcript))?(?:\s*[:–—-]\s*|\s+with\s+)(?P<who>\S.*)",
    re.IGNORECASE | re.DOTALL,
)


def interviewee(title: str) -> str | None:
    """Who an interview's title names ("Arjun Mehta, release engineering"), or None.

    Examples
    --------
    >>> interviewee("Interview notes – Arjun Mehta (@arjunm), release engineering")
    'Arjun Mehta (@arjunm), release engineering'
    >>> interviewee("Interview with Ana Souza")
    'Ana Souza'
    >>> interviewee("Interviews in the north") is None
    True
    """
    found = _INTERVIEW_TITLE.fullmatch(title.strip(" #*_\t"))
    return found.group("who").strip() if found else None


def as_loaded(text: str) -> str:
    """``text`` as the transcript reader leaves a member's words: each line without its
    speaker's label and without time marks. A quote copied from a QDA tool with them
    ("Bakyt: After the visit ... #00:03:10-2#") is then found in the loaded story.

    Examples
    --------
    >>> as_loaded("Bakyt: After the visit we changed the form. #00:03:10-2#")
    'After the visit we changed the form.'
    >>> as_loaded("R: Yes.\\nP2: We met [00:01:12] again.")
    'Yes.\\nWe met again.'
    """
    lines = []
    for line in _TIMESTAMP.sub("", text).split("\n"):
        label = _SPEAKER.match(line)
        lines.append(line[label.end() :].lstrip(" *_") if label else line)
    return "\n".join(lines)


def is_interviewer_label(label: str) -> bool:
    """Whether ``label`` names the interviewer ("Interviewer", "Facilitator", "I", "Q2").

    Examples
    --------
    >>> [is_interviewer_label(label) for label in ("Interviewer", "Q2", "Campus")]
    [True, True, False]
    """
    return re.fullmatch(rf"{_INTERVIEWER}(?:\s*\d+)?", label.strip(), re.IGNORECASE) is not None


@dataclass(frozen=True)
class Transcript:
    """The blocks left to read, and the interviewer's turns and asides taken out, and the
    blocks whose speaker's label was cut from the member's answer, and those a time mark was
    cut from (as they read before); and the question each answer to a question that asks no
    prompt follows, by the number of the answer's first block."""

    blocks: list[Block]
    turns: list[Block]
    asides: list[Block]
    labelled: list[Block]
    timed: list[Block]
    questions: dict[int, str] = field(default_factory=dict)


def drop_interviewer(
    blocks: Sequence[Block], *, by_line: bool, is_prompt: Callable[[str], bool]
) -> Transcript:
    """``blocks`` without the interviewer's turns and bracketed asides.

    ``by_line`` is true for Markdown and plain text, where a turn continues on the lines
    below it; ``is_prompt`` tells a worksheet prompt, which is kept without its label.
    The result's ``turns`` holds the blocks of every dropped turn, ``asides`` the blocks an
    aside was cut from, as they read before the cut. The member's answer to a turn loses
    its speaker's label ("Rutger: Honestly, a lot of talk." reads "Honestly, a lot of
    talk."); ``labelled`` holds those blocks as they read before. A turn that only names
    the interviewer ("Interviewer: Dana Whitfield") is a header line, not a question: the
    line after it keeps its label ("Participant: P3"). A transcription tool's
    time marks ("#00:01:12-4#", "[00:01:12]") are cut from every block; ``timed`` holds
    the blocks they were cut from. ``questions`` gives, for the first block of each answer
    to a question that asks no prompt, that question (trial 45: such an answer was read as
    the answer to the prompt above it).

    Examples
    --------
    >>> blocks = [Block("#00:00:05-3# I: What happened?", 1),
    ...           Block("Ana: We used the template. [00:01:12]", 2)]
    >>> read = drop_interviewer(blocks, by_line=True, is_prompt=lambda text: False)
    >>> [b.text for b in read.blocks], len(read.turns), len(read.timed), read.questions
    (['We used the template.'], 1, 2, {2: 'What happened?'})
    """
    kept: list[Block] = []
    turns: list[Block] = []
    asides: list[Block] = []
    labelled: list[Block] = []
    timed: list[Block] = []
    questions: dict[int, str] = {}
    asked: str | None = None  # the question that asks no prompt, until its answer starts
    in_turn = answering = False
    for block in blocks:
        if _TIMESTAMP.search(block.text):
            timed.append(block)
            block = replace(block, text=_TIMESTAMP.sub("", block.text).strip())
        text = block.text
        if not text.strip():
            in_turn = False
            kept.append(block)
            continue
        label = _TURN.match(text) if block.level == 0 else None
        if label is not None:
            question = text[label.end() :]
            if is_prompt(question):
                in_turn, asked = False, None
                answering = True  # "P96: I learned ...": the answer below loses its label
                kept.append(replace(block, text=question))
                continue
            in_turn = by_line
            answering = not _NAME_ONLY.fullmatch(question.strip(" *_"))
            asked = question.strip(" *_") if answering else None
            turns.append(block)
            continue
        if in_turn and not _SPEAKER.match(text):
            turns.append(block)
            continue
        in_turn = False
        if asked is not None:
            questions[block.number] = asked
            asked = None
        speaker = _SPEAKER.match(text) if answering and block.level == 0 else None
        answering = False
        if speaker is not None and text[speaker.end() :].strip():
            labelled.append(block)
            block = replace(block, text=text[speaker.end() :].lstrip(" *_"))
            text = block.text
        if _ASIDE.search(text):
            asides.append(block)
            block = replace(block, text=_ASIDE.sub("", text))
        kept.append(block)
    return Transcript(kept, turns, asides, labelled, timed, questions)
