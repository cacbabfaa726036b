"""A document's header line: several labelled fields spaced apart on one line.

A form without a table, or an interview transcript, opens with a line such as
``Date: 17 November 2025    Campus: Westmoor College    Interviewer: Dana Whitfield``: one
paragraph, its fields apart by runs of spaces or tabs (or " | "). Each field is read by its
label: the worksheet's own (:func:`~copanalysis.io.fields.match_label`: date, community,
member, role), a place that stands for the community ("Campus", "Site", "Hospital") or the
member's ("Participant"), as :func:`~copanalysis.io.fields.header_label` reads them. The
interviewer's name is no field of the story, and a label the loader does not know
("Duration: 45 minutes") names none: both are left out of the story's fields and text, and
the loader lists them (trial 36: the whole line was read as one unreadable date). A line
that starts with the interviewer's name ("Interviewer: Dana Whitfield    Date: 17 November
2025") is read as the same line with that field last (:func:`interviewer_last`), not as the
interviewer's turn.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from copanalysis.io.fields import header_label
from copanalysis.io.transcripts import is_interviewer_label

__all__ = [
    "LineFields",
    "header_field",
    "header_line_label",
    "interviewer_last",
    "same_line_fields",
]

#: What keeps two fields of one line apart: three spaces or more, tabs, or " | ".
FIELD_GAP = re.compile(r"\s{3,}|\t+|\s+\|\s+")
#: "Label: value", the label a word or a few ("Name of school"), not a time ("10:30").
_LABELLED = re.compile(r"\s*([^\W\d_][\w'’./-]*(?:\s+[^\W\d_][\w'’./-]*){0,3})\s*:\s*(\S.*)")
#: A header's value is short and no sentence ("P3 (Ruth Fischer, Associate Professor)"):
#: a longer one, or one that ends a sentence, is someone's words.
_MAX_WORDS = 12

LabelOf = Callable[[str], "tuple[str, float, str] | None"]


@dataclass(frozen=True)
class LineFields:
    """The ``(field, value)`` pairs one line gives, in order, the parts left out, each with
    why (``"'Interviewer: Dana Whitfield' (the interviewer)"``), and the labels after the
    first that named a field, with their field (``("Campus", "community")``)."""

    fields: list[tuple[str, str]]
    left_out: list[str]
    labels: list[tuple[str, str]] = field(default_factory=list)


def header_field(text: str) -> tuple[str, str] | None:
    """``(field, value)`` when ``text`` is "Label: value" with a label that names the
    community or the member (:func:`~copanalysis.io.fields.header_label`) and a short value
    that ends no sentence; None otherwise.

    Examples
    --------
    >>> header_field("Campus: Westmoor College")
    ('community', 'Westmoor College')
    >>> header_field("Participant: P3 (Ruth Fischer, Associate Professor of History)")
    ('member', 'P3 (Ruth Fischer, Associate Professor of History)')
    >>> header_field("Participant: We met every week."), header_field("Duration: 45 min")
    (None, None)
    """
    labelled = _LABELLED.fullmatch(text.strip())
    if labelled is None:
        return None
    label, value = labelled.group(1), labelled.group(2).strip()
    field = header_label(label)
    if field is None or len(value.split()) > _MAX_WORDS or value.endswith((".", "?", "!")):
        return None
    return field, value


def header_line_label(text: str) -> tuple[str, float, str] | None:
    """``(field, 100.0, answer)`` as :func:`~copanalysis.io.fields.match_label` gives it,
    for a line whose first field has a community's, place's or member's label; the answer
    holds the rest of the line, for :func:`same_line_fields` to split.

    Examples
    --------
    >>> header_line_label("Campus: Westmoor College    Date: 17 November 2025")
    ('community', 100.0, 'Westmoor College    Date: 17 November 2025')
    >>> header_line_label("We met at the campus: it was far.") is None
    True
    """
    header = header_field(FIELD_GAP.split(text.strip(), maxsplit=1)[0])
    if header is None:
        return None
    return header[0], 100.0, text.split(":", 1)[1].strip()


def interviewer_last(text: str) -> str:
    """``text`` with its first field moved to its end when the line is a header line that
    starts with the interviewer's name ("Interviewer: Dana Whitfield    Date: 17 November
    2025"): read so, the line is a header line like one that starts with "Date:", and the
    interviewer's name is left out and listed as there; any other text as it is (a turn of
    the interviewer's, "Interviewer: What changed?").

    Examples
    --------
    >>> interviewer_last("Interviewer: Dana Whitfield    Date: 17 November 2025    Campus: "
    ...                  "Westmoor College")
    'Date: 17 November 2025    Campus: Westmoor College    Interviewer: Dana Whitfield'
    >>> interviewer_last("Interviewer: What changed?    We met weekly.")
    'Interviewer: What changed?    We met weekly.'
    """
    stripped = text.strip()
    gap = FIELD_GAP.search(stripped)
    if gap is None:
        return text
    first, rest = stripped[: gap.start()], stripped[gap.end() :]
    labelled = _LABELLED.fullmatch(first)
    if (
        labelled is None
        or not is_interviewer_label(labelled.group(1))
        or len(labelled.group(2).split()) > _MAX_WORDS
        or labelled.group(2).rstrip().endswith((".", "?", "!"))
        or _LABELLED.fullmatch(FIELD_GAP.split(rest, maxsplit=1)[0]) is None
    ):
        return text
    return f"{rest}{gap.group(0)}{first}"


def same_line_fields(
    name: str, answer: str, label_of: LabelOf, *, one_line: Collection[str]
) -> LineFields:
    """The fields of one line whose first label named field ``name``, its ``answer`` the
    rest of the line.

    A part after a gap (:data:`FIELD_GAP`) with a label ``label_of`` reads as one of the
    ``one_line`` fields, or a community's, place's or member's label (:func:`header_field`),
    is that field; the interviewer's name and a part with a label neither knows are left
    out; any other part belongs to the field before it. Only a one-line field's answer is
    split.

    Examples
    --------
    >>> from copanalysis.io.fields import STORY_WORDING, match_label
    >>> def label_of(text):
    ...     return match_label(text, STORY_WORDING)
    >>> same_line_fields("member", "Jo Okafor      Role: Duty manager", label_of,
    ...                  one_line={"member", "role"}).fields
    [('member', 'Jo Okafor'), ('role', 'Duty manager')]
    >>> read = same_line_fields(
    ...     "date", "17 November 2025    Campus: Westmoor College    Interviewer: Dana "
    ...     "Whitfield\\tDuration: 45 min", label_of, one_line={"date"})
    >>> read.fields, read.labels
    ([('date', '17 November 2025'), ('community', 'Westmoor College')], [('Campus', 'community')])
    >>> for part in read.left_out:
    ...     print(part)
    'Interviewer: Dana Whitfield' (the interviewer)
    'Duration: 45 min' (a label the loader does not know)
    """
    if name not in one_line or not answer:
        return LineFields([(name, answer)], [])
    parts = FIELD_GAP.split(answer)
    found: list[tuple[str, list[str]]] = [(name, [parts[0]])]
    left_out: list[str] = []
    labels: list[tuple[str, str]] = []
    for part in parts[1:]:
        labelled = _LABELLED.fullmatch(part.strip())
        label = label_of(part)
        if label is not None and label[0] in one_line and label[2]:
            found.append((label[0], [label[2]]))
            labels.append((part.split(":", 1)[0].strip(), label[0]))
            continue
        header = header_field(part)
        if header is not None and labelled is not None:
            found.append((header[0], [header[1]]))
            labels.append((labelled.group(1), header[0]))
            continue
        if labelled is not None:
            why = (
                "the interviewer"
                if is_interviewer_label(labelled.group(1))
                else "a label the loader does not know"
            )
            left_out.append(f"{part.strip()!r} ({why})")
            continue
        found[-1][1].append(part)
    if len(found) == 1 and not left_out:
        return LineFields([(name, answer)], [])  # the gaps were the answer's own
    return LineFields([(one, " ".join(words).strip()) for one, words in found], left_out, labels)
