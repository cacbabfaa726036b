"""An e-mail's greeting and sign-off in a survey answer: no part of what the member says.

A member who answers by e-mail, or pastes an e-mail into the form, brings its letter
furniture along: "Hi Amara," above the answer, and "Best wishes," with a name, a job
title, a phone number and a confidentiality notice below it. Each of those lines is a
sentence the coders would code (trial 40: all nine were coded as immediate value). The
greeting line and the sign-off with every line after it are left out of the answer, and the
load report lists them, as it lists page furniture.

Each line is read on its own, at most :data:`_LONGEST_LINE` characters of it, so the
patterns take time in proportion to the answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["drop_letter_lines", "without_letter_lines"]

#: A line read as a greeting or a sign-off is short; longer lines are the member's words.
_LONGEST_LINE = 60
#: "Hi Amara,", "Dear Dr Osei,", "Hello all", "Good morning Linda,": a greeting and at most
#: four words of name.
_GREETING = re.compile(
    r"(?:hi|hello|hey|dear|good\s+(?:morning|afternoon|evening))"
    r"(?:\s+[\w.'’-]+){0,4}\s*[,!:]?",
    re.IGNORECASE,
)
#: "Best wishes,", "Kind regards", "Many thanks,", "Cheers,", "Yours sincerely,".
_SIGN_OFF = re.compile(
    r"(?:(?:with\s+)?(?:best|kind|warm|warmest|many)\s+(?:wishes|regards|thanks)"
    r"|best|regards|thanks|thank\s+you|many\s+thanks|cheers|all\s+the\s+best"
    r"|yours(?:\s+(?:sincerely|faithfully|truly))?|speak\s+soon|bw|kr)\s*[,.!]*",
    re.IGNORECASE,
)


def without_letter_lines(text: str) -> tuple[str, list[str]]:
    """``text`` without an e-mail's greeting line and its sign-off and what follows it, and
    the lines left out.

    A greeting is left out only as the first line of an answer with more lines after it,
    and a sign-off only with a line after it (the name that signs it): a one-line answer,
    or a last line "Thanks!", stays as it is.

    Examples
    --------
    >>> mail = ("Hi Amara,\\n\\nThe peer visit was the highlight.\\n\\nBest wishes,\\nJo\\n"
    ...         "Jo Pritchard | School Librarian\\nTel: 01632 960 412")
    >>> kept, dropped = without_letter_lines(mail)
    >>> kept
    'The peer visit was the highlight.'
    >>> dropped
    ['Hi Amara,', 'Best wishes,', 'Jo', 'Jo Pritchard | School Librarian', 'Tel: 01632 960 412']
    >>> without_letter_lines("Hi all, the meetings helped.")
    ('Hi all, the meetings helped.', [])
    >>> without_letter_lines("It helped a lot.\\nThanks!")
    ('It helped a lot.\\nThanks!', [])
    """
    lines = text.split("\n")
    said = [i for i, line in enumerate(lines) if line.strip()]
    if len(said) < 2:
        return text, []
    dropped: list[int] = []
    first = said[0]
    if _is(_GREETING, lines[first]):
        dropped.append(first)
    for at, i in enumerate(said[1:-1], start=1):
        # after the answer's first line (past a greeting), before the name that signs it
        if at > len(dropped) and _is(_SIGN_OFF, lines[i]):
            dropped += said[at:]
            break
    if not dropped or len(dropped) == len(said):
        return text, []
    gone = set(dropped)
    kept = "\n".join(line for i, line in enumerate(lines) if i not in gone)
    return kept.strip(), [lines[i].strip() for i in sorted(gone)]


def _is(pattern: re.Pattern[str], line: str) -> bool:
    line = line.strip()
    return len(line) <= _LONGEST_LINE and pattern.fullmatch(line) is not None


def drop_letter_lines(
    values: dict[str, str | None], fields: Iterable[str], *, where: str
) -> list[str]:
    """Leave an e-mail's greeting and sign-off out of the answers of ``fields``
    (:func:`without_letter_lines`); say which, for the load report (the lines under the
    sign-off, a name and a phone number, are counted, not shown).

    Examples
    --------
    >>> values = {"activities": "Dear Linda,\\nThe visit.\\nKind regards\\nSam", "story": None}
    >>> drop_letter_lines(values, values, where="row 4")
    ["row 4 activities: 'Dear Linda,', 'Kind regards' and the 1 line after it"]
    >>> values["activities"]
    'The visit.'
    """
    notes = []
    for field in fields:
        text = values.get(field)
        if text is None:
            continue
        kept, dropped = without_letter_lines(text)
        if not dropped:
            continue
        values[field] = kept
        # the signature under the sign-off is counted, not shown: a name, a phone number
        shown = next(
            (dropped[: n + 1] for n, line in enumerate(dropped) if _is(_SIGN_OFF, line)),
            dropped,
        )
        rest = len(dropped) - len(shown)
        after = f" and the {rest} line{'s' if rest != 1 else ''} after it" if rest else ""
        notes.append(f"{where} {field}: {', '.join(repr(line) for line in shown)}{after}")
    return notes
