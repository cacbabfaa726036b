"""Tracked changes a Word document still holds: neither accepted nor rejected.

Word keeps an edit made with Track Changes on as an insertion (``w:ins``) or a deletion
(``w:del``), with its author, until someone accepts or rejects it. The loaders read a
document as Word shows it with every change accepted (:func:`~copanalysis.io.documents.
paragraph_text`): inserted text is read, deleted text is not. That is the only reading that
keeps a form filled in with Track Changes on (every answer an insertion), but it also reads
a reviewer's insertion as the member's words (trial 46: the coordinator's query "(Siobhán:
could you say how many Droichead teachers? )" in a teacher's answer, coded as hers). Neither
the file's properties nor the change's author tell a member's own edit from a reviewer's,
so nothing is left out by its author: the load report says which changes the file holds,
whose they are and how they were read, and ``check`` asks for a look.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from copanalysis.io.places import SHOWN, first_places

__all__ = [
    "TrackedChange",
    "read_tracked_changes",
    "tracked_changes_entry",
    "tracked_changes_note",
]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
#: The elements a tracked change's text is in: inserted text, and deleted text.
_TEXT = {"insertion": f"{_W}t", "deletion": f"{_W}delText"}
_KINDS: dict[str, Literal["insertion", "deletion"]] = {
    f"{_W}ins": "insertion",
    f"{_W}del": "deletion",
}
#: How the loaders read each kind of change.
READ_AS = {"insertion": "read as part of the text", "deletion": "left out"}


@dataclass(frozen=True)
class TrackedChange:
    """One tracked change of a document's body: ``kind``, its ``author`` ("" when Word
    recorded none) and its ``text`` (a change of formatting or of a paragraph mark alone
    has none, and is no :class:`TrackedChange`)."""

    kind: Literal["insertion", "deletion"]
    author: str
    text: str


def _changes(body: Any) -> list[TrackedChange]:
    """The tracked changes with text in a document's ``w:body`` element, in order; the
    fallback copy of a drawing (a text box's text, written twice) is passed over."""
    found: list[TrackedChange] = []
    for element in body.iter(*_KINDS):
        if any(a.tag == _FALLBACK for a in element.iterancestors()):
            continue
        kind = _KINDS[element.tag]
        text = "".join(t.text or "" for t in element.iter(_TEXT[kind]))
        if text.strip():
            author = element.get(f"{_W}author") or ""
            found.append(TrackedChange(kind, author.strip(), " ".join(text.split())))
    return found


def read_tracked_changes(path: str | Path) -> list[TrackedChange]:
    """The tracked changes with text in the body of the Word document at ``path``.

    Examples
    --------
    >>> import tempfile, pathlib, docx
    >>> from docx.oxml import parse_xml
    >>> w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "story.docx")
    ...     document = docx.Document()
    ...     p = document.add_paragraph("We met. ")._p
    ...     p.append(parse_xml(f'<w:del {w} w:author="Ana"><w:r><w:delText>Twice.'
    ...                        '</w:delText></w:r></w:del>'))
    ...     p.append(parse_xml(f'<w:ins {w} w:author="Jo"><w:r><w:t>How often?</w:t>'
    ...                        '</w:r></w:ins>'))
    ...     document.save(path)
    ...     read_tracked_changes(path)
    [TrackedChange(kind='deletion', author='Ana', text='Twice.'),
     TrackedChange(kind='insertion', author='Jo', text='How often?')]
    """
    import docx

    return _changes(docx.Document(str(path)).element.body)


def tracked_changes_note(changes: Sequence[TrackedChange]) -> str:
    """The load report's note on a document's tracked changes: how many, whose, how each
    was read, and how to read the file otherwise.

    Examples
    --------
    >>> print(tracked_changes_note([
    ...     TrackedChange("deletion", "Ana", "Twice."),
    ...     TrackedChange("insertion", "Jo", "(Jo: how often?)")]))
    2 tracked changes not accepted or rejected, by Ana and Jo: deletion by 'Ana' \
'Twice.' (left out); insertion by 'Jo' '(Jo: how often?)' (read as part of the \
text). Read as Word shows the file with every change accepted; if a change is not the \
member's, reject it in Word (Review > Reject) and load the file again
    """
    authors = list(dict.fromkeys(c.author or "an author Word did not record" for c in changes))
    by = ", ".join(authors[:-1]) + (" and " if len(authors) > 1 else "") + authors[-1]
    places = [
        f"{c.kind} by {c.author or '(no author)'!r} {_shortened(c.text)!r} ({READ_AS[c.kind]})"
        for c in changes
    ]
    n = len(changes)
    return (
        f"{n} tracked change{'s' if n != 1 else ''} not accepted or rejected, by {by}: "
        f"{first_places(places, shown=SHOWN)}. Read as Word shows the file with every "
        "change accepted; if a change is not the member's, reject it in Word (Review > "
        "Reject) and load the file again"
    )


def _shortened(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


def tracked_changes_entry(path: Path) -> dict[str, Any]:
    """What a Word document's tracked changes add to its load-report entry: the
    ``tracked_changes`` (each ``{"kind", "author", "text", "read"}``), a note, and every
    change under ``listed`` when the note names only the first :data:`~copanalysis.io.
    places.SHOWN`; nothing for a document with none."""
    changes = read_tracked_changes(path)
    if not changes:
        return {}
    said = [
        {"kind": c.kind, "author": c.author, "text": c.text, "read": READ_AS[c.kind]}
        for c in changes
    ]
    every = [f"{c['kind']} by {c['author']!r}: {c['text']!r} ({c['read']})" for c in said]
    return {
        "tracked_changes": said,
        "note": tracked_changes_note(changes),
        "listed": {"tracked changes": every} if len(every) > SHOWN else {},
    }
