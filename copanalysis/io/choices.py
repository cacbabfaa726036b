"""Multiple-choice answers: Microsoft Forms' one cell, LimeSurvey's column per choice.

Microsoft Forms writes the choices a respondent ticked in one cell, each followed by a
semicolon ("Core group;Presenter;", and "Participant;" for one), where KoboToolbox and
SurveyMonkey give each choice a column of its own (:mod:`copanalysis.io.stories`), and so
does LimeSurvey ("Which sub-groups are you part of? [Security response]", "Yes" in the cell
of each choice ticked: :func:`limesurvey_choices`). The package joins the choices with
``"; "``, which ``--by`` splits (:func:`~copanalysis.analysis.groups.each_group`); read as it
was, "Core group;Presenter;" was a group of its own (trial 37), and LimeSurvey's columns
stayed loose "Yes" columns no one could group by (trial 38).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from copanalysis.io.fields import clean_text
from copanalysis.io.tables import Table

__all__ = [
    "boxes_ticked",
    "is_ticked_choices",
    "forms_choices",
    "forms_choices_notes",
    "is_forms_choices",
    "joined_choices",
    "limesurvey_choices",
]

#: A LimeSurvey multiple-choice column: "<question> [<choice>]", its question code first in
#: the "Question code & question text" headings ("G01Q03[SQ001]. <question> [<choice>]").
_LIMESURVEY_CHOICE = re.compile(
    r"(?:(?P<code>[A-Za-z]\w*)\[[^\[\]]*\]\.)?(?P<question>[^\[\]]*)\[(?P<choice>[^\[\]]+)\]\s*"
)
#: What LimeSurvey writes in a choice's cell when it was ticked (answer texts, answer codes).
LIMESURVEY_TICKED = frozenset({"yes", "y"})
#: Its "Other" choice, whose column holds what the respondent wrote.
_OTHER = re.compile(r"other\b", re.IGNORECASE)


def limesurvey_choices(table: Table) -> dict[str, dict[str, tuple[int, str | None]]]:
    """LimeSurvey's multiple-choice questions in ``table``: each question (with its code,
    "G01Q03. <question>", when the headings give it) -> its columns, each with its position
    and its choice (None for "Other", where the respondent wrote). A question is two choice
    columns or more, whose cells hold only "Yes" or "Y" (ticked) or nothing.

    Examples
    --------
    >>> from pathlib import Path
    >>> q = "G01Q03[SQ00{}]. Which sub-groups are you in? [{}]"
    >>> columns = [q.format(1, "Security"), q.format(2, "Releases"),
    ...            "G01Q03[other]. Which sub-groups are you in? [Other]", "Story"]
    >>> table = Table(Path("s.csv"), "csv", columns, [(2, ["Yes", "", "docs", "We met."])])
    >>> limesurvey_choices(table)
    {'G01Q03. Which sub-groups are you in?': {'G01Q03[SQ001]. Which sub-groups are you in? \
[Security]': (0, 'Security'), 'G01Q03[SQ002]. Which sub-groups are you in? [Releases]': \
(1, 'Releases'), 'G01Q03[other]. Which sub-groups are you in? [Other]': (2, None)}}
    """
    questions: dict[str, dict[str, tuple[int, str | None]]] = {}
    for i, column in enumerate(table.columns):
        found = _LIMESURVEY_CHOICE.fullmatch(column)
        if found is None or not found.group("question").strip():
            continue
        question = found.group("question").strip()
        if found.group("code"):
            question = f"{found.group('code')}. {question}"
        choice = found.group("choice").strip()
        questions.setdefault(question, {})[column] = (
            i,
            None if _OTHER.fullmatch(choice) else choice,
        )
    return {
        question: split
        for question, split in questions.items()
        if sum(choice is not None for _, choice in split.values()) >= 2
        and all(
            cell.casefold() in LIMESURVEY_TICKED
            for i, choice in split.values()
            if choice is not None
            for _, cells in table.rows
            if (cell := clean_text(cells[i])) is not None
        )
    }


#: The fields a member's choices fill: who the member is.
_FIELDS = ("role",)


def is_forms_choices(answers: Iterable[str | None]) -> bool:
    """Whether a column's answers are Microsoft Forms' choices ticked: there are some, and
    every one ends with a semicolon.

    Examples
    --------
    >>> is_forms_choices(["Monthly meet-up;WhatsApp group;", None, "WhatsApp group;"])
    True
    >>> is_forms_choices(["Under-9s", "WhatsApp group;"]), is_forms_choices([None])
    (False, False)
    """
    said = [answer.strip() for answer in answers if answer is not None and answer.strip()]
    return bool(said) and all(answer.endswith(";") for answer in said)


#: Google Forms joins the choices ticked of a checkbox question with ", ".
_GOOGLE_JOIN = ", "
#: The fewest answers from which a column is read as choices ticked, and the longest choice.
_FEWEST_TICKED = 6
_LONGEST_CHOICE = 80


def is_ticked_choices(answers: Iterable[str | None]) -> bool:
    """Whether a column's answers are a multiple-choice question's choices ticked: as
    Microsoft Forms writes them (:func:`is_forms_choices`), or as Google Forms joins a
    checkbox question's, with ", ": a few short choices over and over (each ticked twice on
    average), two or more in some answers.

    Examples
    --------
    >>> ticked = ["Termly meeting, WhatsApp group", "Peer visit", "WhatsApp group",
    ...           "Termly meeting, Peer visit", "Termly meeting", "Peer visit"]
    >>> is_ticked_choices(ticked), is_ticked_choices(["Core group;Presenter;"])
    (True, True)
    >>> is_ticked_choices(["We met, then talked", "Two webinars", "The field day, with Jan",
    ...                    "Monthly call", "A visit, then a call", "Webinar"])
    False
    """
    said = [answer.strip() for answer in answers if answer is not None and answer.strip()]
    if is_forms_choices(said):
        return True
    if len(said) < _FEWEST_TICKED:
        return False
    ticked = [answer.split(_GOOGLE_JOIN) for answer in said]
    choices = {choice.strip() for answer in ticked for choice in answer}
    return (
        any(len(answer) > 1 for answer in ticked)
        and 2 * len(choices) <= sum(len(answer) for answer in ticked)
        and all(0 < len(choice) <= _LONGEST_CHOICE for choice in choices)
    )


def forms_choices(table: Table, index: Mapping[str, int]) -> dict[str, str]:
    """The fields of ``index`` (field -> column position) whose every answer in ``table``
    ends with a semicolon, Microsoft Forms' choices ticked, each with an answer to show
    (the first of two choices or more, else the first).

    Examples
    --------
    >>> from pathlib import Path
    >>> table = Table(Path("f.xlsx"), "xlsx", ["Role", "Story"],
    ...               [(2, ["Participant;", "We met."]), (3, ["", "Hi."]),
    ...                (4, ["Core group;Presenter;", "Hello."])])
    >>> forms_choices(table, {"role": 0, "story": 1})
    {'role': 'Core group;Presenter;'}
    >>> table.rows[0][1][0] = "Participant"
    >>> forms_choices(table, {"role": 0, "story": 1})
    {}
    """
    found = {}
    for field in _FIELDS:
        if field not in index:
            continue
        said = [
            answer
            for _, cells in table.rows
            if (answer := clean_text(cells[index[field]])) is not None
        ]
        if is_forms_choices(said):
            found[field] = next((a for a in said if a.count(";") > 1), said[0])
    return found


def joined_choices(answer: str | None) -> str | None:
    """The choices of a Microsoft Forms cell, joined by ``"; "``.

    Examples
    --------
    >>> joined_choices("Core group;Presenter;"), joined_choices("Participant;")
    ('Core group; Presenter', 'Participant')
    >>> joined_choices(";") is None
    True
    """
    if answer is None:
        return None
    return "; ".join(c.strip() for c in answer.split(";") if c.strip()) or None


#: A Word form's check boxes: empty, and ticked (Word's check box content control shows
#: "☒" by default; "☑" and "■" are its other ticks).
_EMPTY_BOX = "☐"
_BOX = re.compile("([☐☒☑■])")


def boxes_ticked(answer: str | None) -> str | None:
    """The options ticked in a Word form's line of check boxes, joined by ``"; "`` (None
    when none is ticked); any other answer as it is. A line of boxes has an empty box and
    each option follows its box: "☐ Coordinator   ☒ Core member   ☐ Active member".

    Examples
    --------
    >>> boxes_ticked("☐ Coordinator   ☒ Core member   ☐ Active member   ☐ Peripheral member")
    'Core member'
    >>> boxes_ticked("☒ Coordinator ☐ Core member ☑ Sponsor"), boxes_ticked("☐ A  ☐ B") is None
    ('Coordinator; Sponsor', True)
    >>> boxes_ticked("Core member ☒"), boxes_ticked("Core member")
    ('Core member ☒', 'Core member')
    """
    if answer is None or _EMPTY_BOX not in answer:
        return answer
    parts = _BOX.split(answer)  # text, box, option, box, option ...
    if parts[0].strip():
        return answer  # words before the first box: no line of boxes
    options = zip(parts[1::2], parts[2::2], strict=True)
    ticked = [option.strip(" \t,;/") for box, option in options if box != _EMPTY_BOX]
    return "; ".join(option for option in ticked if option) or None


def forms_choices_notes(shown: Mapping[str, str]) -> list[str]:
    """The load report's note on each field :func:`forms_choices` found.

    Examples
    --------
    >>> forms_choices_notes({"role": "Core group;Presenter;"})
    ["role: the choices ticked, each followed by ';' as Microsoft Forms writes them \
('Core group;Presenter;'), read one by one and joined by '; ' ('Core group; Presenter')"]
    """
    return [
        f"{field}: the choices ticked, each followed by ';' as Microsoft Forms writes them "
        f"({answer!r}), read one by one and joined by '; ' ({joined_choices(answer)!r})"
        for field, answer in shown.items()
    ]
