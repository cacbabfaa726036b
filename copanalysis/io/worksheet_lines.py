"""The lines around a worksheet's tables: who filled it in, and what else was written there.

A grid worksheet (DOCX, Markdown) holds its table under lines such as "Respondent: ...",
"Community: ...", or a school team's "School: Coláiste Bhríde" and "Team: Aoife, Róisín and
Liam". The respondent's and the community's own lines are read by
:func:`~copanalysis.io.documents.respondent_line`; a place or a participant's line by
:func:`~copanalysis.io.header_lines.header_field`, as the stories loader reads a form's
header lines: a place stands for the community ("Campus: Westmoor College"), unless a
"Community:" line names it, and then the place names who filled the worksheet in (trial 46:
four school teams' grids were four respondents named after their files, their "School:" and
"Team:" lines dropped unsaid). Every other line is listed as not read, with the page
furniture (the copyright line) :func:`~copanalysis.io.documents.read_blocks` leaves out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from copanalysis.io.documents import (
    Respondents,
    markdown_table_lines,
    read_blocks,
    respondent_line,
)
from copanalysis.io.header_lines import header_field

__all__ = ["WorksheetLines", "read_worksheet_lines"]


@dataclass(frozen=True)
class WorksheetLines:
    """What the lines outside a worksheet file's tables say.

    ``respondents`` names the respondent and community of each worksheet (the n-th line of
    a kind for the n-th table); ``mapping`` holds each label read, as a load report's
    mapping (``{"School": {"field": "respondent", "score": 100.0}}``); ``notes`` says how a
    place was read; ``dropped`` lists the lines not read and the page furniture, each as
    ``{"paragraph" | "line": n, "text": ..., "reason": ...}``.
    """

    respondents: Respondents
    mapping: dict[str, dict[str, Any]]
    notes: list[str]
    dropped: list[dict[str, Any]]


def read_worksheet_lines(path: str | Path) -> WorksheetLines:
    """Read who filled in the worksheets of a file, and list its other lines.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "grid-bhride.md")
    ...     _ = path.write_text(
    ...         "# Reflection on strategic value\\nSchool: Coláiste Bhríde\\n"
    ...         "Team: Aoife and Liam\\nCommunity: Líonra Mata\\n\\n© 2007 Etienne Wenger\\n",
    ...         encoding="utf-8")
    ...     read = read_worksheet_lines(path)
    >>> read.respondents.name(1), read.respondents.community(1)
    ('Coláiste Bhríde', 'Líonra Mata')
    >>> read.mapping
    {'School': {'field': 'respondent', 'score': 100.0}, 'Community': {'field': 'community', \
'score': 100.0}}
    >>> for line in read.dropped:
    ...     print(line)
    {'line': 1, 'text': 'Reflection on strategic value', 'reason': 'a title or heading'}
    {'line': 3, 'text': 'Team: Aoife and Liam', 'reason': "'School:' names the respondent \
already: not read"}
    {'line': 6, 'text': '© 2007 Etienne Wenger', 'reason': 'copyright line'}
    """
    path = Path(path)
    sheet = read_blocks(path, include_tables=False)
    in_tables = markdown_table_lines(path) if sheet.format == "md" else set()
    unit = "paragraph" if sheet.format == "docx" else "line"
    names: list[str] = []
    communities: list[str] = []
    places: dict[str, list[tuple[int, str, str]]] = {}  # label: (number, line, value)
    mapping: dict[str, dict[str, Any]] = {}
    dropped: list[dict[str, Any]] = []
    at: dict[str, int] = {}  # each label's first line
    for block in sheet.blocks:
        text = block.text.strip()
        if not text or block.number in in_tables:
            continue
        label = text.split(":", 1)[0].strip()
        at.setdefault(label, block.number)
        said = respondent_line(text) if block.level == 0 else None
        header = header_field(text) if block.level == 0 and said is None else None
        if said is not None:
            (names if said[0] == "respondent" else communities).append(said[1])
            mapping.setdefault(label, {"field": said[0], "score": 100.0})
        elif header is not None and header[0] == "member":  # "Participant: P3"
            names.append(header[1])
            mapping.setdefault(label, {"field": "respondent", "score": 100.0})
        elif header is not None:  # a place: "School: ...", "Campus: ..."
            places.setdefault(label, []).append((block.number, text, header[1]))
        else:
            reason = "a title or heading" if block.level else "outside the tables: not read"
            dropped.append({unit: block.number, "text": text, "reason": reason})
    notes: list[str] = []
    kinds = list(places)
    if kinds and not communities:  # "Campus: Westmoor College" names the community
        communities = [value for _, _, value in places[kinds[0]]]
        mapping[kinds.pop(0)] = {"field": "community", "score": 100.0}
    if kinds and not names:  # beside a "Community:" line, the place filled the sheet in
        first = places[kinds[0]]
        names = [value for _, _, value in first]
        mapping[kinds.pop(0)] = {"field": "respondent", "score": 100.0}
        notes.append(
            f"{first[0][1]!r} read as the respondent: a line of its own names the community"
        )
    named_by = (
        next(label for label, f in mapping.items() if f["field"] == "respondent") if kinds else ""
    )
    for kind in kinds:
        reason = f"'{named_by}:' names the respondent already: not read"
        dropped += [{unit: n, "text": line, "reason": reason} for n, line, _ in places[kind]]
    return WorksheetLines(
        Respondents(path.stem, tuple(names), tuple(communities)),
        dict(sorted(mapping.items(), key=lambda item: at[item[0]])),
        notes,
        sorted([*dropped, *sheet.dropped], key=lambda d: d.get(unit, 0)),
    )
