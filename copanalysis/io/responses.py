"""Survey rows that are not quite a member's response: test submissions and unfinished ones.

Qualtrics marks its previews and test responses (:func:`~copanalysis.io.records.
not_responses`); other tools (KoboToolbox, Google Forms, SurveyMonkey) do not, and a team
tries its form out with a "Test submission please ignore" row (trial 32). Such a row is
skipped only when every answer it gives is nothing but a test marker, so that a story that
tells of a test ("we tested the new form") is never lost. Unfinished responses (Qualtrics'
``Finished`` False, LimeSurvey's empty ``Date submitted``) are partial answers, and kept; the
load report counts them. Rows that give
the same email address are one respondent answering twice or more (a resubmitted form):
both are kept, and the load report lists them, since counting both counts one member's
story twice (trial 36). So are rows that repeat an earlier row's every answer word for
word under a new id (:func:`repeated_answers`; trial 41: an anonymous survey, submitted
twice).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from copanalysis.io.fields import content_words
from copanalysis.io.places import SHOWN, first_places
from copanalysis.io.tables import Table
from copanalysis.schema import PROMPT_FIELDS

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "is_test_answer",
    "marked_as_test",
    "repeated_answers",
    "repeated_answers_note",
    "repeated_note",
    "repeated_places",
    "repeated_respondents",
    "unfinished_note",
    "unfinished_rows",
]

#: A whole answer that only marks a row as a try of the form: "test", "testing 1 2 3",
#: "Test submission please ignore", "this is a test", "ignore this", "please disregard".
_TEST_ANSWER = re.compile(
    r"(?:(?:this\s+is\s+|just\s+)?(?:an?\s+|only\s+a\s+)?"
    r"(?:test(?:ing)?|dummy)(?:\s+(?:test(?:ing)?|submission|response|entry|record|row|"
    r"answer|data|form|survey|only|\d+))*"
    r"(?:\s*[,.:;!-]*\s*(?:please\s+|pls\s+|kindly\s+)?(?:ignore|disregard|delete)"
    r"(?:\s+(?:this|it|me))?)?"
    r"|(?:please\s+|pls\s+|kindly\s+)?(?:ignore|disregard|delete)(?:\s+(?:this|it|me))?"
    r"(?:\s*[,.:;!-]*\s*(?:it\s+is\s+|it's\s+)?(?:an?\s+|just\s+a\s+)?test(?:ing)?)?)"
    r"(?:\s+\d+)*[\s.!]*",
    re.IGNORECASE,
)


def is_test_answer(text: str | None) -> bool:
    """Whether an answer is, as a whole, only a test marker.

    Examples
    --------
    >>> [is_test_answer(t) for t in ("test", "Testing 1 2 3", "test test", "This is a test.",
    ...     "Test submission please ignore", "ignore this", "Please disregard - test")]
    [True, True, True, True, True, True, True]
    >>> [is_test_answer(t) for t in ("We tested the new form.", "Test results came back",
    ...     "malaria test", "Ignore the noise", "", None)]
    [False, False, False, False, False, False]
    """
    return bool(text and text.strip()) and _TEST_ANSWER.fullmatch(str(text).strip()) is not None


def marked_as_test(answers: Iterable[str | None]) -> str | None:
    """Why a row is a test submission, or None: every answer it gives (at least one; None
    is no answer) is only a test marker (:func:`is_test_answer`).

    Examples
    --------
    >>> print(marked_as_test(["Test submission please ignore", "test", None]))
    a test submission, not a member's response (its only answers: 'Test submission please
    ignore', 'test')
    >>> marked_as_test(["test", "We tested the phones."]) is None
    True
    >>> marked_as_test([None, None]) is None
    True
    """
    given = [text for text in answers if text]
    if not given or not all(is_test_answer(text) for text in given):
        return None
    said = ", ".join(map(repr, given))
    return f"a test submission, not a member's response (its only answers: {said})"


#: A survey's column of whether the respondent finished, and of how far they got.
_FINISHED = frozenset({"finished"})
_PROGRESS = frozenset({"progress"})
_NOT_FINISHED = frozenset({"false", "0", "0.0", "no"})
#: LimeSurvey's time a response was submitted, empty in an incomplete response, and the
#: column of the last page the respondent saw, which only LimeSurvey writes beside it
#: (by its full heading or its code: "submitdate. Date submitted").
_LIMESURVEY_SUBMITTED = frozenset({"date submitted", "submitdate"})
_LIMESURVEY_LAST_PAGE = frozenset({"last page", "lastpage"})


def unfinished_rows(table: Table) -> dict[int, str | None]:
    """The rows whose ``Finished`` cell says the respondent did not finish (Qualtrics'
    False or 0), each with its ``Progress`` cell when there is one; in a LimeSurvey export,
    the rows with no ``Date submitted`` (an incomplete response; LimeSurvey gives no
    progress).

    Examples
    --------
    >>> from pathlib import Path
    >>> table = Table(Path("q.csv"), "csv", ["Progress", "Finished", "Story"],
    ...     [(4, ["40", "False", "We met."]), (5, ["100", "True", "We met again."])])
    >>> unfinished_rows(table)
    {4: '40'}
    >>> table = Table(Path("lime.csv"), "csv", ["Date submitted", "Last page", "Story"],
    ...     [(2, ["2025-10-14 09:12:33", "4", "We met."]), (3, ["", "2", "We met again."])])
    >>> unfinished_rows(table)
    {3: None}
    """
    names = [" ".join(str(c).casefold().split()) for c in table.columns]
    finished = next((i for i, name in enumerate(names) if name in _FINISHED), None)
    if finished is None:
        return _not_submitted(table)
    progress = next((i for i, name in enumerate(names) if name in _PROGRESS), None)
    return {
        row: (str(cells[progress]).strip() or None) if progress is not None else None
        for row, cells in table.rows
        if str(cells[finished]).strip().casefold() in _NOT_FINISHED
    }


def _not_submitted(table: Table) -> dict[int, str | None]:
    """The rows of a LimeSurvey export that were never submitted (trial 38: two partial
    responses were read as whole ones, with no word)."""
    names = [content_words(str(column)) for column in table.columns]
    submitted = next((i for i, name in enumerate(names) if name in _LIMESURVEY_SUBMITTED), None)
    if submitted is None or not _LIMESURVEY_LAST_PAGE & set(names):
        return {}
    return {
        row: None
        for row, cells in table.rows
        if submitted >= len(cells) or not str(cells[submitted]).strip()
    }


def unfinished_note(rows: Mapping[int, str | None]) -> list[str]:
    """The load report's note on the loaded responses that were not finished: kept, as
    partial answers are answers, and counted (trial 33: kept with no word).

    Examples
    --------
    >>> print(*unfinished_note({4: "20", 7: "60", 9: "35"}))
    3 responses were not finished (Progress 20-60%): rows 4, 7, 9; they are kept (a
    partial answer is still an answer)
    >>> print(*unfinished_note({4: None}))
    1 response was not finished: row 4; it is kept (a partial answer is still an answer)
    >>> unfinished_note({})
    []
    >>> print(*unfinished_note({r: "40" for r in range(4, 581)}))
    577 responses were not finished (Progress 40%): rows 4, 5, 6, 7, 8, and 572 more, all \
listed by copanalysis check --all; they are kept (a partial answer is still an answer)
    """
    if not rows:
        return []
    n = len(rows)
    shares = [float(p) for p in rows.values() if p is not None and _is_number(p)]
    span = ""
    if shares:
        low, high = min(shares), max(shares)
        span = f" (Progress {low:g}%)" if low == high else f" (Progress {low:g}-{high:g}%)"
    listed = first_places([str(row) for row in sorted(rows)], sep=", ")
    was, rows_, kept = ("was", "row", "it is") if n == 1 else ("were", "rows", "they are")
    return [
        f"{n:,} response{'s' if n != 1 else ''} {was} not finished{span}: {rows_} {listed}; "
        f"{kept} kept (a partial answer is still an answer)"
    ]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


#: The column a survey tool writes the respondent's email address in.
_EMAIL = re.compile(r"\s*(?:respondent\s+)?e-?mail(?:\s+address)?\s*", re.IGNORECASE)


def repeated_respondents(
    records: Sequence[Mapping[str, Any]], columns: Iterable[str]
) -> list[dict[str, Any]]:
    """The email addresses that two rows or more of ``records`` give, in the first of
    ``columns`` named as an email address column ("Email Address", "Email", "E-mail"),
    compared without case or spaces: ``{"column", "value", "rows"}`` each (rows as
    ``records``' ``_row``). A value with no "@" is no address and names no one: Microsoft
    Forms writes "anonymous" for every response of a form that does not record names.

    Examples
    --------
    >>> records = [{"_row": 3, "Email": "jo@uni.edu"}, {"_row": 4, "Email": None},
    ...            {"_row": 7, "Email": " Jo@uni.edu"}, {"_row": 8, "Email": "anonymous"},
    ...            {"_row": 9, "Email": "anonymous"}]
    >>> repeated_respondents(records, ["Name", "Email"])
    [{'column': 'Email', 'value': 'jo@uni.edu', 'rows': [3, 7]}]
    """
    column = next((c for c in columns if _EMAIL.fullmatch(c)), None)
    if column is None:
        return []
    rows: dict[str, list[int]] = {}
    for record in records:
        value = record.get(column)
        if isinstance(value, str) and "@" in value:
            rows.setdefault(value.strip().casefold(), []).append(int(record["_row"]))
    return [
        {"column": column, "value": value, "rows": found}
        for value, found in rows.items()
        if len(found) > 1
    ]


def repeated_note(repeated: Sequence[Mapping[str, Any]]) -> list[str]:
    """The load report's line on rows of one respondent (:func:`repeated_respondents`): one
    per address, or for more than :data:`~copanalysis.io.places.SHOWN` addresses one line
    that names the first few (:func:`repeated_places` lists them all).

    Examples
    --------
    >>> repeated_note([{"column": "Email", "value": "jo@uni.edu", "rows": [3, 7]}])
    ["rows 3 and 7 give the same 'Email' ('jo@uni.edu'): one respondent answered more \
than once, and each answer is kept as a story; delete the rows you do not mean to count"]
    >>> print(*repeated_note([{"column": "Email", "value": f"p{n}@uni.edu", "rows": [n, n + 40]}
    ...                       for n in range(2, 9)]))
    7 addresses in 'Email' are each given by more than one row (rows 2 and 42: \
'p2@uni.edu'; rows 3 and 43: 'p3@uni.edu'; rows 4 and 44: 'p4@uni.edu'; rows 5 and 45: \
'p5@uni.edu'; rows 6 and 46: 'p6@uni.edu'; and 2 more, all listed by copanalysis check \
--all): a respondent answered more than once, and each answer is kept as a story; delete \
the rows you do not mean to count
    """
    if len(repeated) > SHOWN:
        return [
            f"{len(repeated):,} addresses in {repeated[0]['column']!r} are each given by more "
            f"than one row ({first_places(repeated_places(repeated))}): a respondent answered "
            "more than once, and each answer is kept as a story; delete the rows you do not "
            "mean to count"
        ]
    notes = []
    for said in repeated:
        notes.append(
            f"{_rows(said['rows'])} give the same {said['column']!r} ({said['value']!r}): one "
            "respondent answered more than once, and each answer is kept as a story; delete "
            "the rows you do not mean to count"
        )
    return notes


def repeated_places(repeated: Sequence[Mapping[str, Any]]) -> list[str]:
    """Each repeated address (:func:`repeated_respondents`) with its rows, for the load
    report's ``listed``.

    Examples
    --------
    >>> repeated_places([{"column": "Email", "value": "jo@uni.edu", "rows": [3, 7, 9]}])
    ["rows 3, 7 and 9: 'jo@uni.edu'"]
    """
    return [f"{_rows(said['rows'])}: {said['value']!r}" for said in repeated]


def _rows(rows: Sequence[int]) -> str:
    """ "rows 3, 7 and 9" """
    named = [str(row) for row in rows]
    return f"rows {', '.join(named[:-1])} and {named[-1]}"


#: A row repeats another only when its answers hold this many different words: two people
#: may well both answer "Yes" or "Too early to tell" and nothing else (trial 41).
REPEAT_MIN_WORDS = 10
_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
#: Who a story is by, and where from: a repeat names the same.
_WHO = ("community", "member", "role")


def repeated_answers(stories: pd.DataFrame) -> pd.DataFrame:
    """The stories whose every answer is an earlier story's, word for word, under another
    ``story_id``: most likely one person who submitted the survey twice (trial 41: 80
    rows of 15,075, each coded and counted twice).

    Two stories repeat each other when each prompt (``activities`` ... ``story``) is
    answered by both with the same text (spaces aside: ``" ".join(text.split())``) or by
    neither, their answers hold at least :data:`REPEAT_MIN_WORDS` different words (so
    that "Yes" or "Too early to tell" alone, which many may write, is no repeat), and they
    name the same ``community``, ``member`` and ``role`` (or none): two members of a
    network answering from templates may write the same sentences, but from one place
    (trial 41: 18 of 113 stories alike in every answer came from another region). Nothing
    is dropped: loading notes them, and this finds them to drop.

    Parameters
    ----------
    stories : DataFrame
        A stories frame (:func:`~copanalysis.io.load_stories`), in its files' order.

    Returns
    -------
    DataFrame
        One row per story that repeats an earlier one: ``story_id`` and ``source`` of the
        repeat, ``repeats`` and ``repeats_source`` of the first story so answered.

    Examples
    --------
    >>> import pandas as pd
    >>> said = "We met every Tuesday to plan the new maths units together with two schools."
    >>> stories = pd.DataFrame({"story_id": ["R_1", "R_2", "R_3", "R_4", "R_5"],
    ...     "activities": [said, "Yes", said + " ", "Yes", said],
    ...     "practice": [None, None, None, None, "I use exit tickets now."],
    ...     "source": [f"s.csv:row {n}" for n in range(4, 9)]})
    >>> repeated_answers(stories)
      story_id        source repeats repeats_source
    0      R_3  s.csv:row 6     R_1   s.csv:row 4

    To count each story once, drop the repeats:

    >>> stories[~stories["story_id"].isin(repeated_answers(stories)["story_id"])].story_id.tolist()
    ['R_1', 'R_2', 'R_4', 'R_5']
    """
    import pandas as pd

    fields = [f for f in PROMPT_FIELDS if f in stories.columns]
    who = [f for f in _WHO if f in stories.columns]
    first: dict[tuple[str | None, ...], int] = {}
    found: list[tuple[int, int]] = []
    answers = stories[[*fields, *who]].itertuples(index=False, name=None)
    for i, row in enumerate(answers):
        key = tuple(" ".join(str(t).split()) or None if isinstance(t, str) else None for t in row)
        said = " ".join(t for t in key[: len(fields)] if t is not None)
        if len({w.casefold() for w in _WORDS.findall(said)}) < REPEAT_MIN_WORDS:
            continue
        if key in first:
            found.append((i, first[key]))
        else:
            first[key] = i
    ids, sources = stories["story_id"].astype(str), stories["source"].astype(str)
    return pd.DataFrame(
        {
            "story_id": [ids.iloc[i] for i, _ in found],
            "source": [sources.iloc[i] for i, _ in found],
            "repeats": [ids.iloc[j] for _, j in found],
            "repeats_source": [sources.iloc[j] for _, j in found],
        },
        dtype=object,
    )


def repeated_answers_note(repeats: Sequence[tuple[str, str]]) -> list[str]:
    """The load report's note on the rows of one file that repeat an earlier row's answers
    (:func:`repeated_answers`), each ``(where, where the earlier row is)``.

    Examples
    --------
    >>> print(*repeated_answers_note([("row 812", "row 97")]))
    row 812 repeats every answer of row 97 word for word, under another id: perhaps one \
person submitted twice. It is kept and coded as a story of its own; to count it once, \
delete the row from the file, or in Python drop it with stories = \
stories[~stories.story_id.isin(cop.repeated_answers(stories).story_id)]
    """
    if not repeats:
        return []
    n = len(repeats)
    places = first_places([f"{where} repeats {earlier}" for where, earlier in repeats])
    said = (
        f"{repeats[0][0]} repeats every answer of {repeats[0][1]}"
        if n == 1
        else f"{n:,} rows repeat every answer of an earlier row ({places})"
    )
    it, row, them = ("It is", "the row", "it") if n == 1 else ("Each is", "the rows", "them")
    return [
        f"{said} word for word, under another id: perhaps one person submitted twice. {it} "
        f"kept and coded as a story of its own; to count {them} once, delete {row} from "
        f"the file, or in Python drop {them} with stories = "
        "stories[~stories.story_id.isin(cop.repeated_answers(stories).story_id)]"
    ]
