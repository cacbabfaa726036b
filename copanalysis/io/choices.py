"""A multiple-choice answer written in one cell, as Microsoft Forms exports it.

Microsoft Forms writes the choices a respondent ticked in one cell, each followed by a
semicolon ("Core group;Presenter;", and "Participant;" for one), where KoboToolbox and
SurveyMonkey give each choice a column of its own (:mod:`copanalysis.io.stories`). The
package joins the choices of a member's role with ``"; "``, which ``--by role`` splits
(:func:`~copanalysis.analysis.groups.each_group`); read as it was, "Core group;Presenter;"
was a group of its own (trial 37).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from copanalysis.io.fields import clean_text
from copanalysis.io.tables import Table

__all__ = ["forms_choices", "forms_choices_notes", "is_forms_choices", "joined_choices"]

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
