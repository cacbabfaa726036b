"""REFI-QDA exchange: codebooks (``.qdc``) and projects (``.qdpx``) that NVivo, ATLAS.ti,
MAXQDA, QualCoder and Taguette open.

:func:`read_refi` turns another tool's export into our frames (the codebook, one story per
text source, one ``codes`` row per coded selection and code); :func:`write_qdc` and
:func:`write_qdpx` write ours back, valid against the QDA-XML 1.0 schemas, with stable
GUIDs so that a second export updates a project instead of duplicating it.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from copanalysis.codebooks.codebook import Codebook, normal_name
from copanalysis.errors import RefiError
from copanalysis.io.refi_archive import MAX_SIZE, read_members, write_archive
from copanalysis.io.refi_read import Notes, ParsedProject, parse_codebook, parse_project, parse_xml
from copanalysis.io.refi_write import project_xml, qdc_xml

__all__ = ["RefiProject", "read_refi", "write_qdc", "write_qdpx"]

_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class RefiProject:
    """What a REFI-QDA file holds, as copanalysis values and frames.

    Attributes
    ----------
    codebook : Codebook
        The codes, nested by ``parent``. Each REFI code name is the ``label``; the ``code``
        id is the ``Code id`` line of its description (files copanalysis wrote) or a slug
        of the name, made unique.
    stories : DataFrame
        The ``stories`` frame: one row per text source. ``story_id`` is the source's name
        (else its file name, else its GUID), the text is in ``story`` (or back in its
        prompt fields for files copanalysis wrote), and case or source variables
        (``community``, ``role``...) are columns. Sets of sources (ATLAS.ti's document
        groups, NVivo's sets, MAXQDA's document sets) are columns too: a set named with its
        kind ("Depot: Millbrook", "gender::female") fills that kind's column (a place's,
        "Depot", "Site", "Team", the ``community``), and the sets named with no kind are the
        ``community`` when one of their names holds a place ("Millbrook Depot"), else the
        column ``set``; a source in several sets of one kind has their names joined with
        "; " (and a warning says so). A variable's value wins over a set's.
    codes : DataFrame
        The ``codes`` frame: one row per coded selection and code, ``coder`` the name of
        the REFI user who made it, ``start``/``end`` code-point offsets (end exclusive)
        into the field's text, ``quote`` the coded text.
    code_map : DataFrame
        ``code``, ``name`` (the REFI name), ``path`` (names from the root, joined by
        ``" / "``), ``refi_guid`` (as written in the file).
    sets : DataFrame
        ``set``, ``code``: one row per member of a REFI code set.
    origin : str
        The tool that wrote the file (its ``origin`` attribute).
    users : tuple of str
        The names of the project's REFI users (coders), in file order.
    warnings : tuple of str
        The deviations from the standard that were corrected, one message per kind.
    """

    codebook: Codebook
    stories: pd.DataFrame
    codes: pd.DataFrame
    code_map: pd.DataFrame
    sets: pd.DataFrame
    origin: str
    users: tuple[str, ...]
    warnings: tuple[str, ...]


def _project(parsed: ParsedProject, notes: Notes) -> RefiProject:
    messages = notes.messages()
    for message in messages:
        warnings.warn(message, UserWarning, stacklevel=3)
    return RefiProject(
        codebook=parsed.codebook,
        stories=parsed.stories,
        codes=parsed.codes,
        code_map=parsed.code_map,
        sets=parsed.sets,
        origin=parsed.origin,
        users=parsed.users,
        warnings=messages,
    )


def read_refi(
    path: str | os.PathLike[str], *, max_size: int = MAX_SIZE, progress: bool = True
) -> RefiProject:
    """Read a REFI-QDA codebook (``.qdc``) or project (``.qdpx``, or a bare ``.qde``).

    Tolerates what real exports do: NVivo's UTF-16 offsets (converted to code points),
    exclusive end positions, ``Sources/`` for ``sources/``, relative text paths, GUIDs in
    either case or in braces, an empty ``<Sets/>``, the namespace spelling
    ``urn:QDA-XML:codebook:1:0``, set members under ``guid`` or ``targetGUID``, and sources
    stored as ``.docx`` with empty ``.txt`` twins. Each correction is warned once per kind
    (and listed in ``warnings``). A ``.qde`` not named ``project.qde`` (ATLAS.ti names it
    after the project) is read without a warning, the name logged at debug level (logger
    ``copanalysis.io.refi``).

    Parameters
    ----------
    path : path-like
        The file.
    max_size : int
        Largest total uncompressed size read from an archive, in bytes (200 MiB).
    progress : bool
        Show a progress bar over the sources.

    Returns
    -------
    RefiProject
        The codebook, the ``stories`` and ``codes`` frames, the code-id mapping and sets.

    Raises
    ------
    RefiError
        When the file is not XML or not a zip, holds a DTD or entity declaration, has
        unsafe member names or sizes, has no or several ``.qde`` files, or its root is
        neither ``CodeBook`` nor ``Project``. The message names the file.

    Examples
    --------
    >>> import tempfile
    >>> from copanalysis.codebooks.codebook import Code
    >>> target = Path(tempfile.mkdtemp()) / "demo.qdc"
    >>> book = Codebook("demo", "1", (Code("cycle", "Value cycle"),
    ...                 Code("applied", "Applied value", parent="cycle")))
    >>> project = read_refi(write_qdc(book, target))
    >>> [(c.code, c.label, c.parent) for c in project.codebook.codes]
    [('cycle', 'Value cycle', None), ('applied', 'Applied value', 'cycle')]
    """
    file = Path(path)
    data = file.read_bytes()
    notes = Notes(file.name)
    if file.suffix.lower() == ".qdpx" or data.startswith(b"PK\x03\x04"):
        members = read_members(data, path=file, max_size=max_size)
        qde = sorted(n for n in members if "/" not in n and n.lower().endswith(".qde"))
        if not qde:
            raise RefiError(
                "no .qde project file at the archive's root; a .qdpx holds project.qde "
                f"(found: {', '.join(sorted(members)) or 'nothing'})",
                path=file,
            )
        if len(qde) > 1:
            raise RefiError(
                f"several .qde files at the root ({', '.join(qde)}); expected exactly one",
                path=file,
            )
        if qde[0] != "project.qde":
            # ATLAS.ti names it after the project in every export, and the one .qde is read
            # all the same: a fact for a developer, not a warning (trial 42)
            _LOG.debug("%s: the project XML is named %r, not project.qde", file, qde[0])
        where = f"{file} ({qde[0]})"
        root = parse_xml(members[qde[0]], path=where)
    else:
        if len(data) > max_size:
            raise RefiError(f"{len(data)} bytes, over the limit of {max_size}", path=file)
        members = {}
        where = str(file)
        root = parse_xml(data, path=where)
    kind = root.tag.rsplit("}", 1)[-1]
    if kind == "CodeBook" and not members:
        parsed = parse_codebook(root, path=where, name=file.stem, notes=notes)
    elif kind == "Project":
        parsed = parse_project(
            root,
            members,
            path=where,
            name=file.name,
            notes=notes,
            archive=str(file),
            progress=progress,
        )
    else:
        raise RefiError(
            f"root element is <{kind}>; expected <CodeBook> (.qdc) or <Project> (.qde)",
            path=where,
        )
    return _project(parsed, notes)


def write_qdc(codebook: Codebook, path: str | os.PathLike[str]) -> Path:
    """Write ``codebook`` as a REFI-QDA codebook (``.qdc``) and return its path.

    The file is valid against ``Codebook.xsd``: codes nest under their parents, grouping
    codes (``codable=False``) are ``isCodable="false"``, colours are kept, and each code's
    definition, inclusion and exclusion criteria, examples, cues and id are kept as lines of
    its ``<Description>``. GUIDs are uuid5 of the code's path of ids, so re-exporting gives
    the same file and a QDA tool updates the codes instead of adding copies.

    Examples
    --------
    >>> import tempfile
    >>> from copanalysis.codebooks.codebook import Code
    >>> book = Codebook("demo", "1", (Code("applied", "Applied value"),))
    >>> target = write_qdc(book, Path(tempfile.mkdtemp()) / "demo.qdc")
    >>> b'name="Applied value" isCodable="true"' in target.read_bytes()
    True
    """
    target = Path(path)
    content = qdc_xml(codebook, path=target)
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.tmp")
    temp.write_bytes(content)
    os.replace(temp, target)
    return target


def write_qdpx(
    path: str | os.PathLike[str],
    *,
    codebook: Codebook | Sequence[Codebook],
    stories: pd.DataFrame,
    codes: pd.DataFrame,
    name: str | None = None,
    progress: bool = True,
    personal: bool = False,
    users: Sequence[str] = (),
    description: str = "",
) -> Path:
    """Write stories, a codebook and codes as a REFI-QDA project (``.qdpx``).

    Each story becomes a UTF-8 plain-text source (``sources/<GUID>.txt``): its free
    narrative, or its prompt fields under headings (``Activities``...). ``community``,
    ``member``, ``role``, ``date`` and any extra story columns become variables, on the
    source and on one case per story, except a survey tool's record of who or where a
    respondent is (IP address, e-mail, recipient name, location): a project is handed to
    co-coders, so those stay out unless ``personal=True``. Each ``codes`` row becomes a
    selection with one coding by a REFI user named after its ``coder``; polarity,
    confidence, evidence and the codebook (when not the project's) go in the selection's
    ``<Description>``. The
    project is valid against ``Project.xsd``, and the archive is byte-identical for equal
    input (stable GUIDs, fixed timestamps, sorted members).

    Parameters
    ----------
    path : path-like
        Where to write the ``.qdpx``.
    codebook : Codebook or sequence of Codebook
        The codes; every ``codes.code`` must be one of them. Several codebooks (a project's
        own, read back with :func:`read_refi`, and the one the machine coded with) are
        written as one code system, the first's codes first.
    stories : DataFrame
        A ``stories`` frame.
    codes : DataFrame
        A ``codes`` frame whose ``doc_id`` are ``story_id`` of ``stories`` and whose spans
        lie inside the named ``field``.
    name : str, optional
        The project name shown by the QDA tool (default: the file name's stem).
    progress : bool
        Show a progress bar over the stories.
    personal : bool
        Also write the survey tool's personal-data columns
        (:func:`~copanalysis.io.fields.is_personal_metadata`) as variables.
    users : sequence of str
        Users to list beside those who coded (a project read with :func:`read_refi` keeps
        its ``users``, those who coded nothing among them, with ``users=project.users``).
    description : str
        The project's description, above its ``Codebook:`` line: what a QDA tool's user
        should know of the codes (which of them are out-of-fold, say).

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    RefiError
        When a code row names an unknown story, field or code, or a span outside its text;
        the message names the file, the row and the column.

    Examples
    --------
    >>> import tempfile
    >>> from copanalysis.codebooks.codebook import Code
    >>> book = Codebook("demo", "1", (Code("applied", "Applied value"),))
    >>> stories = pd.DataFrame({"story_id": ["S1"], "community": ["nurses"],
    ...                         "story": ["We now run huddles."]})
    >>> codes = pd.DataFrame({"doc_id": ["S1"], "field": ["story"], "start": [7],
    ...                       "end": [18], "code": ["applied"], "coder": ["ana"]})
    >>> target = write_qdpx(Path(tempfile.mkdtemp()) / "demo.qdpx", codebook=book,
    ...                     stories=stories, codes=codes, progress=False)
    >>> back = read_refi(target, progress=False)
    >>> back.codes[["doc_id", "start", "end", "quote", "code", "coder"]].values.tolist()
    [['S1', 7, 18, 'run huddles', 'applied', 'ana']]
    >>> back.stories.loc[0, "community"]
    'nurses'
    """
    target = Path(path)
    qde, sources = project_xml(
        name=name or target.stem,
        codebook=_one_codebook(codebook),
        stories=stories,
        codes=codes,
        path=target,
        progress=progress,
        personal=personal,
        users=users,
        description=description,
    )
    return write_archive(target, {"project.qde": qde, **sources})


def _one_codebook(books: Codebook | Sequence[Codebook]) -> Codebook:
    """One codebook of several: every code, once, the first codebook's first.

    An alias of a later codebook's code that names a code already kept (by its
    identifier, label or an alias) is left out: an alias is only another way to read a
    name, and a project's own code "Knowledge capital" is the researcher's, not the
    framework codebook's ``potential`` that reads it (trial 45: the two together stopped
    the export with "alias 'knowledge capital' already names code 'knowledge_capital'").
    """
    if isinstance(books, Codebook):
        return books
    books = list(books)
    if not books:
        raise RefiError("write_qdpx: codebook= names no codebook")
    seen: dict[str, Any] = {}
    names: set[str] = set()  # the kept codes' identifiers, labels and aliases, normalised
    for book in books:
        for code in book.codes:
            if code.code in seen:
                continue
            own = [a for a in code.aliases if normal_name(a) not in names]
            if len(own) < len(code.aliases):
                code = dataclasses.replace(code, aliases=tuple(own))
            seen[code.code] = code
            names.update(normal_name(n) for n in (code.code, code.label, *code.aliases))
    return dataclasses.replace(books[0], codes=tuple(seen.values()))
