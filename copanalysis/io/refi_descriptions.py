"""The ``<Description>`` conventions copanalysis uses inside REFI-QDA files.

REFI-QDA has no element for a code's inclusion criteria or a machine coding's confidence,
so copanalysis writes them as ``Key: value`` lines at the end of the free-text
``<Description>`` that every QDA tool shows and keeps. A human reads them as guidance in
NVivo or ATLAS.ti; :func:`split_description` reads them back (from any tool's file).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

__all__ = [
    "CODE_KEYS",
    "SELECTION_KEYS",
    "SOURCE_KEYS",
    "join_description",
    "split_description",
    "xml_text",
]

#: Keys written after a code's definition, in this order (``Example`` repeats).
CODE_KEYS: tuple[str, ...] = (
    "Include",
    "Exclude",
    "Example",
    "Cues",
    "Fields",
    "Aliases",
    "Code id",
)
#: Keys written in a coded selection's description.
SELECTION_KEYS: tuple[str, ...] = ("Codebook", "Polarity", "Confidence", "Evidence")
#: Keys written in a text source's description.
SOURCE_KEYS: tuple[str, ...] = ("Story id", "Source", "Fields")

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(value: str) -> str:
    """``value`` without the characters XML 1.0 cannot hold (C0 controls, surrogates).

    Examples
    --------
    >>> xml_text("bell\\x07 tab\\t")
    'bell tab\\t'
    """
    return _INVALID_XML.sub("", value)


def _one_line(value: str) -> str:
    return " ".join(xml_text(value).split())


def join_description(text: str, pairs: Iterable[tuple[str, str]]) -> str:
    """``text``, a blank line, then one ``Key: value`` line per pair with a non-empty value.

    Values are put on one line (runs of whitespace become one space).

    Examples
    --------
    >>> print(join_description("Learning that changed practice.", [("Include", "new "
    ...     "routines"), ("Exclude", ""), ("Example", "We now run huddles.")]))
    Learning that changed practice.
    <BLANKLINE>
    Include: new routines
    Example: We now run huddles.
    """
    lines = [f"{key}: {_one_line(value)}" for key, value in pairs if _one_line(value)]
    body = xml_text(text).strip()
    if not lines:
        return body
    return f"{body}\n\n" + "\n".join(lines) if body else "\n".join(lines)


def split_description(description: str, keys: Sequence[str]) -> tuple[str, dict[str, list[str]]]:
    """Split a description into its free text and the trailing ``Key: value`` lines.

    Only a block of lines at the end whose keys are all in ``keys`` counts; anything
    above it is the free text, returned stripped.

    Examples
    --------
    >>> split_description("Applied value.\\n\\nInclude: a change\\nExample: one\\nExample: two",
    ...                   CODE_KEYS)
    ('Applied value.', {'Include': ['a change'], 'Example': ['one', 'two']})
    >>> split_description("Note: not ours", CODE_KEYS)
    ('Note: not ours', {})
    """
    lines = description.rstrip().splitlines()
    pattern = re.compile(r"^(" + "|".join(map(re.escape, keys)) + r"):\s?(.*)$")
    cut = len(lines)
    while cut > 0 and (match := pattern.match(lines[cut - 1].strip())):
        cut -= 1
    found: dict[str, list[str]] = {}
    for line in lines[cut:]:
        match = pattern.match(line.strip())
        assert match is not None
        found.setdefault(match.group(1), []).append(match.group(2).strip())
    return "\n".join(lines[:cut]).strip(), found
