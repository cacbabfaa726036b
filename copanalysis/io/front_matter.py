"""A Markdown story file's YAML front matter: the story's community, date, member and role.

Notes kept in Obsidian, Jekyll, Hugo or a GitHub wiki often open with YAML front matter::

    ---
    community: Maintainers' Circle
    date: 2025-09-18
    member: Priya Raman
    ---

Its lines are never a story's text (:func:`~copanalysis.io.documents.read_blocks` leaves
them out and lists them), but the fields it names are the story's: each key is read as a
worksheet label ("community", "date", "member", "role", "Name", "Site" ...), as a
"Community: ..." line in the body would be. Keys that name no field ("title", "tags") are
listed, not read (trial 38: three stories lost their community, date and member).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import yaml

from copanalysis.io.header_lines import header_field

__all__ = ["FRONT_MATTER_FIELDS", "MAX_CHARACTERS", "FrontMatter", "read_front_matter"]

#: The story fields front matter can give: who, where and when, never an answer.
FRONT_MATTER_FIELDS = ("community", "date", "member", "role")
#: Front matter longer than this is not read: a file's fields take a few lines, and PyYAML
#: takes seconds over a line of 100,000 brackets.
MAX_CHARACTERS = 10_000

LabelOf = Callable[[str], "tuple[str, float, str] | None"]


@dataclass(frozen=True)
class FrontMatter:
    """The story fields a file's front matter gives (``{"community": "Riverside"}``), the
    key that gave each (``{"community": "Site"}``), the keys it names that are no field,
    and why the whole of it could not be read (``problem``), if so."""

    fields: dict[str, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    not_read: list[str] = field(default_factory=list)
    problem: str | None = None


def read_front_matter(lines: Sequence[str], label_of: LabelOf) -> FrontMatter:
    """Read the YAML between a file's ``---`` lines as story fields.

    ``label_of`` reads a "Label: value" line as a worksheet label (``(field, score,
    value)`` or None), as the loader reads the lines of the file's body.

    Examples
    --------
    >>> from copanalysis.io.fields import STORY_WORDING, match_label
    >>> def label_of(text):
    ...     return match_label(text, STORY_WORDING)
    >>> lines = ["title: Visit", "community: Riverside", "date: 2025-03-14", "Site: Ward 3"]
    >>> matter = read_front_matter(lines, label_of)
    >>> matter.fields
    {'community': 'Riverside', 'date': '2025-03-14'}
    >>> matter.keys, matter.not_read
    ({'community': 'community', 'date': 'date'}, ['title', 'Site'])
    >>> read_front_matter(["community: [unclosed"], label_of).problem
    'not YAML (while parsing a flow sequence)'
    """
    text = "\n".join(lines)
    if len(text) > MAX_CHARACTERS:
        return FrontMatter(problem=f"of {len(text):,} characters, too long to be a file's fields")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        return FrontMatter(problem=f"not YAML ({getattr(exc, 'context', None) or exc})")
    except RecursionError:  # "[[[[...": PyYAML composes nested values recursively
        return FrontMatter(problem="not YAML (nested too deeply)")
    if data is None:
        return FrontMatter()
    if not isinstance(data, dict):
        return FrontMatter(problem=f"not 'key: value' lines but a YAML {type(data).__name__}")
    found: dict[str, str] = {}
    keys: dict[str, str] = {}
    not_read: list[str] = []
    for key, value in data.items():
        name, said = _field_of(str(key), value, label_of)
        if name is None or name in found:
            not_read.append(str(key))
            continue
        found[name], keys[name] = said, str(key)
    return FrontMatter(found, keys, not_read)


def _field_of(key: str, value: object, label_of: LabelOf) -> tuple[str | None, str]:
    """The story field a front-matter key names, and its value as text."""
    if isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, str | int | float) and not isinstance(value, bool):
        text = str(value).strip()
    else:
        return None, ""  # a list, a mapping, yes/no or nothing: no one field's value
    if not text:
        return None, ""
    line = f"{key}: {text}"
    label = label_of(line)
    if label is not None and label[0] in FRONT_MATTER_FIELDS:
        return label[0], label[2] or text
    place_or_person = header_field(line)  # "Site: Ward 3", "Participant: P3"
    if label is None and place_or_person is not None:
        return place_or_person
    return None, text
