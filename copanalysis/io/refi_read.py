"""Reading QDA-XML 1.0 documents that real QDA tools write, deviations and all.

The parser is defusedxml with DTDs forbidden, so no entity is ever expanded and no
external resource is ever fetched. Every tolerated deviation (NVivo's UTF-16 offsets, a
namespace misspelling, GUIDs in another letter case, ``Sources/`` for ``sources/``...) is
corrected and reported once per kind, with how often it happened.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from io import BytesIO
from pathlib import PurePosixPath

import numpy as np
import pandas as pd

from copanalysis.codebooks.codebook import Code, Codebook
from copanalysis.errors import RefiError
from copanalysis.io.refi_descriptions import (
    CODE_KEYS,
    SELECTION_KEYS,
    SOURCE_KEYS,
    split_description,
)
from copanalysis.schema import FRAMES, PROMPT_FIELDS, empty, validate

__all__ = [
    "Notes",
    "ParsedProject",
    "code_points",
    "parse_codebook",
    "parse_project",
    "parse_xml",
    "slug",
]

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
_STORY_COLUMNS = {c.lower(): c for c in FRAMES["stories"].columns}
_VALUE_TAGS = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue")
_DEFAULT_COLOR = Code("code", "code").color
_FIELD_RANGE = re.compile(r"^(\w+) (\d+):(\d+)$")


# ---------------------------------------------------------------------------- warnings


_SUMMARIES = {
    "namespace": "namespace spelling corrected",
    "guid case": "GUID references matched only ignoring letter case or braces",
    "set members": "Set members read from the other attribute name (guid/targetGUID)",
    "several sets": (
        "sources in more than one set (document group) of one kind: the sets' names joined "
        "with '; ' in that column"
    ),
    "set and variable": (
        "sources whose set (document group) and variable disagree on a column: the "
        "variable's value kept"
    ),
    "sources case": "source files found under another letter case of the folder",
    "relative path": "plainTextPath without internal:// read from the archive",
    "docx text": "plain-text file empty; text taken from the .docx",
    "utf16": "UTF-16 code-unit offsets converted to code points",
    "end clipped": "selection ends past the text clipped to its length",
    "bad span": "selections with impossible positions left out",
    "unknown code": "codings of codes not in the codebook left out",
    "missing text": "text sources without readable text (external or missing file)",
    "empty text": "text sources whose text is empty (the .txt and any .docx) left out",
    "non-text": "non-text sources (pictures, PDF, audio, video) left out",
    "duplicate names": "repeated code names made unique ids",
    "duplicate stories": "repeated source names made unique story ids",
    "fields": "selections crossing the story's prompt fields clipped to one field",
    "bad date": "dates that could not be read set to missing",
    "bad value": "variable values that do not fit their declared type set to missing",
    "memos": "project memos (Notes) not read: only sources, codes and codings are",
    "note refs": "links to memos (NoteRef) not read",
    "comments": "coders' comments on their selections (Description) not read",
    "source descriptions": "source descriptions not read",
}


@dataclass
class Notes:
    """The deviations met while reading one file: kind -> examples."""

    path: str
    seen: dict[str, list[str]] = field(default_factory=dict)

    def add(self, kind: str, detail: str) -> None:
        self.seen.setdefault(kind, []).append(detail)

    def messages(self) -> tuple[str, ...]:
        out = []
        for kind, details in self.seen.items():
            count = f"{len(details)} time{'s' if len(details) > 1 else ''}"
            out.append(f"{self.path}: {_SUMMARIES[kind]} ({count}; first: {details[0]})")
        return tuple(out)


# ---------------------------------------------------------------------------- XML


def parse_xml(data: bytes, *, path: str) -> ET.Element:
    """Parse ``data`` safely: no DTD, no entity, no external reference.

    Raises
    ------
    RefiError
        For malformed XML or any DTD or entity declaration; the message names ``path``.

    Examples
    --------
    >>> parse_xml(b"<CodeBook/>", path="a.qdc").tag
    'CodeBook'
    >>> parse_xml(b'<!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>', path="a.qdc")
    Traceback (most recent call last):
    ...
    copanalysis.errors.RefiError: a.qdc: unsafe XML refused (DTD or entity declaration): ...
    """
    import defusedxml
    import defusedxml.ElementTree as SafeET

    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except defusedxml.DefusedXmlException as exc:
        raise RefiError(
            f"unsafe XML refused (DTD or entity declaration): {exc!r}", path=path
        ) from exc
    except ET.ParseError as exc:
        raise RefiError(f"malformed XML: {exc}", path=path) from exc


def _local(element: ET.Element) -> str:
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def _children(element: ET.Element, name: str) -> Iterator[ET.Element]:
    return (child for child in element if _local(child) == name)


def _child(element: ET.Element, name: str) -> ET.Element | None:
    return next(_children(element, name), None)


def _text(element: ET.Element | None) -> str:
    return "" if element is None or element.text is None else element.text


def _check_namespace(root: ET.Element, expected: str, notes: Notes) -> None:
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    if namespace != expected:
        notes.add("namespace", f"{namespace or '(none)'!r} read as {expected!r}")


def _norm_guid(value: str) -> str:
    return value.strip().strip("{}").lower()


def slug(name: str) -> str:
    """A code id made from a REFI code name: ASCII, lower case, words joined by ``_``.

    Examples
    --------
    >>> slug("Applied value (practice)")
    'applied_value_practice'
    >>> slug("Réflexion / Änderung")
    'reflexion_anderung'
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^0-9A-Za-z]+", "_", ascii_name).strip("_").lower()


# ---------------------------------------------------------------------------- codebook


@dataclass
class _CodeIndex:
    by_guid: dict[str, str] = field(default_factory=dict)  # normalized guid -> code id
    raw: dict[str, str] = field(default_factory=dict)  # guid as written -> code id
    rows: list[dict[str, str]] = field(default_factory=list)

    def resolve(self, value: str, notes: Notes) -> str | None:
        if value in self.raw:
            return self.raw[value]
        code = self.by_guid.get(_norm_guid(value))
        if code is not None:
            notes.add("guid case", value)
        return code


def _split_list(values: Mapping[str, list[str]], key: str) -> tuple[str, ...]:
    joined = "; ".join(values.get(key, []))
    return tuple(part.strip() for part in joined.split(";") if part.strip())


def _parse_codes(codes_element: ET.Element | None, notes: Notes) -> tuple[list[Code], _CodeIndex]:
    index = _CodeIndex()
    codes: list[Code] = []
    if codes_element is None:
        return codes, index
    used: set[str] = set()
    stack: list[tuple[ET.Element, str | None, tuple[str, ...]]] = [
        (element, None, ()) for element in reversed(list(_children(codes_element, "Code")))
    ]
    while stack:
        element, parent, names = stack.pop()
        name = element.get("name", "").strip()
        raw_guid = element.get("guid", "")
        text, keys = split_description(_text(_child(element, "Description")), CODE_KEYS)
        wanted = (keys.get("Code id") or [""])[0] or slug(name) or "code"
        code = wanted
        if code in used:
            code = f"{parent}_{wanted}" if parent else wanted
            number = 2
            while code in used:
                code = f"{wanted}_{number}"
                number += 1
            notes.add("duplicate names", f"{name!r} -> {code!r}")
        used.add(code)
        codes.append(
            Code(
                code=code,
                label=name or code,
                parent=parent,
                description=text,
                include=" ".join(keys.get("Include", [])),
                exclude=" ".join(keys.get("Exclude", [])),
                cues=_split_list(keys, "Cues"),
                examples=tuple(keys.get("Example", [])),
                fields=_split_list(keys, "Fields"),
                aliases=_split_list(keys, "Aliases"),
                color=element.get("color") or _DEFAULT_COLOR,
                codable=element.get("isCodable", "true").strip().lower() not in ("false", "0"),
            )
        )
        index.raw[raw_guid] = code
        index.by_guid[_norm_guid(raw_guid)] = code
        path = (*names, name)
        index.rows.append(
            {"code": code, "name": name, "path": " / ".join(path), "refi_guid": raw_guid}
        )
        children = list(_children(element, "Code"))
        stack.extend((child, code, path) for child in reversed(children))
    return codes, index


def _taguette_hierarchy(codes: list[Code]) -> list[Code]:
    """Taguette writes a flat list of dotted paths (``a.b``): nest ``a.b`` under ``a``."""
    by_label = {item.label: item.code for item in codes}
    nested = []
    for item in codes:
        prefix = item.label.rsplit(".", 1)[0] if "." in item.label else ""
        if item.parent is None and prefix in by_label:
            item = replace(item, parent=by_label[prefix])
        nested.append(item)
    children: dict[str | None, list[Code]] = {}
    for item in nested:
        children.setdefault(item.parent, []).append(item)
    ordered: list[Code] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        item = stack.pop()
        ordered.append(item)
        stack.extend(reversed(children.get(item.code, [])))
    return ordered


def _parse_sets(root: ET.Element, index: _CodeIndex, *, attribute: str, notes: Notes) -> list:
    rows = []
    other = "targetGUID" if attribute == "guid" else "guid"
    for sets in _children(root, "Sets"):
        for element in _children(sets, "Set"):
            for member in _children(element, "MemberCode"):
                value = member.get(attribute)
                if value is None and member.get(other) is not None:
                    value = member.get(other)
                    notes.add("set members", f"{other}={value}")
                code = index.resolve(value or "", notes)
                if code is not None:
                    rows.append({"set": element.get("name", ""), "code": code})
    return rows


#: A set named "kind::value" (ATLAS.ti's way of making document groups variables) or
#: "Kind: value" ("Depot: Millbrook"): the kind of at most three words, then the value.
_SET_KIND = re.compile(r"^\s*([^:]{1,40}?)\s*(?:::|:)\s*(\S.{0,200})$", re.DOTALL)
#: The column of the sets whose names say no kind ("Interviews", "Wave 2").
_SET_COLUMN = "set"
_TEXT_COLUMNS = frozenset({"story_id", "story", "source", *PROMPT_FIELDS})


def _set_kind(name: str) -> tuple[str | None, str]:
    """``(kind, value)`` of a set of sources by its name; no kind when the name says none.

    Examples
    --------
    >>> _set_kind("Depot: Ty Gwyn"), _set_kind("gender::female"), _set_kind("Millbrook")
    (('Depot', 'Ty Gwyn'), ('gender', 'female'), (None, 'Millbrook'))
    """
    match = _SET_KIND.match(name[:300])
    if match and len(match.group(1).split()) <= 3:
        return match.group(1), match.group(2).strip()
    return None, name.strip()


def _set_column(kind: str) -> str:
    """The stories' column a kind of set fills: a place or a community ("Depot", "Site",
    "Team", "Network") is the community, a column's own name ("Role") that column, any other
    kind its own name."""
    from copanalysis.io.fields import header_label

    column = header_label(kind) or _STORY_COLUMNS.get(kind.strip().casefold(), kind.strip())
    if column in _TEXT_COLUMNS or column.casefold() in _TEXT_COLUMNS:
        return f"{kind.strip()} (set)"  # a group's name is no answer ("Story: pilot")
    return column


def _source_sets(root: ET.Element, notes: Notes) -> dict[str, dict[str, str]]:
    """Each source's values from the project's sets of sources (ATLAS.ti's document groups,
    NVivo's sets, MAXQDA's document sets), by the source's normalised GUID.

    A set named with its kind ("Depot: Millbrook", ATLAS.ti's "depot::Millbrook") fills
    the column of that kind (:func:`_set_column`). The sets named with no kind are one
    grouping: the community when one of their names holds a place ("Millbrook Depot",
    "Riverside School", "Team North"), else the column ``set``. A source in several sets
    of one kind has their names joined with "; " there, and a note says so.
    """
    from copanalysis.io.fields import names_a_place

    named: list[tuple[str | None, str, list[str]]] = []
    for sets in _children(root, "Sets"):
        for element in _children(sets, "Set"):
            members = []
            for member in _children(element, "MemberSource"):
                value = member.get("targetGUID")
                if value is None and member.get("guid") is not None:
                    value = member.get("guid")
                    notes.add("set members", f"guid={value}")
                if value:
                    members.append(_norm_guid(value))
            if members:
                named.append((*_set_kind(element.get("name", "")), members))
    plain = [value for kind, value, _ in named if kind is None]
    placed = any(names_a_place(word) for value in plain for word in re.findall(r"\w+", value))
    values: dict[str, dict[str, list[str]]] = {}
    for kind, value, members in named:
        column = _set_column(kind) if kind is not None else "community" if placed else _SET_COLUMN
        for guid in members:
            said = values.setdefault(guid, {}).setdefault(column, [])
            if value and value not in said:
                said.append(value)
    found: dict[str, dict[str, str]] = {}
    for guid, columns in values.items():
        for column, said in columns.items():
            if len(said) > 1:
                notes.add("several sets", f"{column}: {'; '.join(said)}")
            if said:
                found.setdefault(guid, {})[column] = "; ".join(said)
    return found


def _codebook_identity(label: str, fallback: str) -> tuple[str, str]:
    label = label.strip() or fallback
    name, _, version = label.rpartition("@")
    return (name, version) if name else (label, "")


def _origin_codebook(origin: str) -> str:
    match = re.search(r";\s*codebook (.+)$", origin)
    return match.group(1) if match else ""


@dataclass(frozen=True)
class ParsedProject:
    """What a QDA-XML document holds, as our values and frames."""

    codebook: Codebook
    stories: pd.DataFrame
    codes: pd.DataFrame
    code_map: pd.DataFrame
    sets: pd.DataFrame
    origin: str
    users: tuple[str, ...] = ()


def _code_map(index: _CodeIndex) -> pd.DataFrame:
    frame = pd.DataFrame(index.rows, columns=["code", "name", "path", "refi_guid"])
    return frame.astype("string")


def parse_codebook(root: ET.Element, *, path: str, name: str, notes: Notes) -> ParsedProject:
    """Read a ``<CodeBook>`` document (``.qdc``).

    Examples
    --------
    >>> root = parse_xml(b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
    ...     b'<Code guid="8B3D1F5E-0000-4000-8000-000000000001" name="Learning" '
    ...     b'isCodable="true"/></Codes><Sets/></CodeBook>', path="a.qdc")
    >>> book = parse_codebook(root, path="a.qdc", name="a", notes=Notes("a.qdc")).codebook
    >>> [(c.code, c.label) for c in book.codes]
    [('learning', 'Learning')]
    """
    _check_namespace(root, CODEBOOK_NS, notes)
    codes, index = _parse_codes(_child(root, "Codes"), notes)
    origin = root.get("origin", "")
    if origin.lower().startswith("taguette"):
        codes = _taguette_hierarchy(codes)
    book_name, version = _codebook_identity(_origin_codebook(origin), name)
    sets = _parse_sets(root, index, attribute="guid", notes=notes)
    return ParsedProject(
        codebook=Codebook(book_name, version, tuple(codes), title=book_name),
        stories=empty("stories"),
        codes=empty("codes"),
        code_map=_code_map(index),
        sets=pd.DataFrame(sets, columns=["set", "code"]).astype("string"),
        origin=origin,
    )


# ---------------------------------------------------------------------------- offsets


def code_points(text: str, offsets: np.ndarray) -> np.ndarray:
    """Convert UTF-16 code-unit offsets into ``text`` to code-point offsets.

    An offset inside a surrogate pair moves to the start of its character.

    Examples
    --------
    >>> text = "🙂 ok"  # the emoji is two UTF-16 code units
    >>> code_points(text, np.array([0, 2, 3, 5])).tolist()
    [0, 1, 2, 4]
    """
    widths = np.fromiter((2 if ord(ch) > 0xFFFF else 1 for ch in text), dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(widths)])
    return np.searchsorted(starts, offsets, side="right") - 1


def _utf16_length(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


# ---------------------------------------------------------------------------- sources


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _member_lookup(
    members: Mapping[str, bytes],
) -> Callable[[str, Notes], bytes | None]:
    folded = {name.lower(): name for name in members}

    def find(name: str, notes: Notes) -> bytes | None:
        if name in members:
            return members[name]
        actual = folded.get(name.lower())
        if actual is not None:
            notes.add("sources case", f"{name!r} found as {actual!r}")
            return members[actual]
        return None

    return find


def _internal(
    value: str, find: Callable[[str, Notes], bytes | None], notes: Notes
) -> bytes | None:
    """The bytes behind a plainTextPath/richTextPath, from the archive only."""
    if not value:
        return None
    if value.lower().startswith("internal://"):
        return find("sources/" + value[len("internal://") :], notes)
    unix = value.replace("\\", "/")
    if "://" in unix or unix.startswith("/") or re.match(r"^[A-Za-z]:", unix):
        return None  # an external file: never read from the user's disk
    if ".." in PurePosixPath(unix).parts:
        return None
    for candidate in (f"sources/{unix}", unix):
        data = find(candidate, notes)
        if data is not None:
            notes.add("relative path", value)
            return data
    return None


def _docx_text(data: bytes, *, archive: str, member: str) -> str | None:
    import docx

    from copanalysis.io.refi_archive import read_members

    read_members(data, path=f"{archive} ({member})")  # size and name checks before parsing
    try:
        document = docx.Document(BytesIO(data))
    except Exception:  # python-docx raises many types for broken files
        return None
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def _source_text(
    source: ET.Element,
    find: Callable[[str, Notes], bytes | None],
    *,
    archive: str,
    notes: Notes,
) -> str | None:
    content = _child(source, "PlainTextContent")
    if content is not None:
        return _text(content)
    plain = _internal(source.get("plainTextPath", ""), find, notes)
    if plain is not None and _decode(plain).strip():
        return _decode(plain)
    rich_path = source.get("richTextPath", "")
    if rich_path.lower().endswith(".docx"):
        rich = _internal(rich_path, find, notes)
        if rich is not None:
            member = "sources/" + rich_path.split("://", 1)[-1]
            text = _docx_text(rich, archive=archive, member=member)
            if text is not None and text.strip():
                notes.add("docx text", rich_path)
                return text
    return None if plain is None else _decode(plain)


def _variable_value(element: ET.Element) -> str | None:
    for tag in (*_VALUE_TAGS, "DateTimeValue"):
        value = _child(element, tag)
        if value is not None:
            return _text(value).strip()
    return None


def _values(element: ET.Element, variables: Mapping[str, str], notes: Notes) -> dict[str, str]:
    found = {}
    for value in _children(element, "VariableValue"):
        ref = _child(value, "VariableRef")
        name = variables.get(_norm_guid(ref.get("targetGUID", ""))) if ref is not None else None
        text = _variable_value(value)
        if name is not None and text is not None and text != "":
            found[name] = text
    return found


def _layout(description_keys: Mapping[str, list[str]], length: int) -> list[tuple[str, int, int]]:
    ranges = []
    for part in "; ".join(description_keys.get("Fields", [])).split(";"):
        match = _FIELD_RANGE.match(part.strip())
        if not match:
            return []
        name, start, end = match.group(1), int(match.group(2)), int(match.group(3))
        if name not in PROMPT_FIELDS or not 0 <= start <= end <= length:
            return []
        ranges.append((name, start, end))
    ranges.sort(key=lambda r: r[1])
    if any(a[2] > b[1] for a, b in zip(ranges, ranges[1:], strict=False)):
        return []
    return ranges


def _place(
    start: int, end: int, layout: list[tuple[str, int, int]], notes: Notes, where: str
) -> tuple[str, int, int]:
    if not layout:
        return "story", start, end
    for name, first, last in layout:
        if first <= start and end <= last:
            return name, start - first, end - first
    for name, first, last in layout:  # start in this field (or in the heading before it)
        if start < last:
            notes.add("fields", where)
            begin = max(start, first)
            return name, begin - first, max(begin, min(end, last)) - first
    name, first, last = layout[-1]
    notes.add("fields", where)
    return name, last - first, last - first


def _target(coding: ET.Element) -> str:
    ref = _child(coding, "CodeRef")
    return "" if ref is None else ref.get("targetGUID", "")


def _codings(
    source: ET.Element, story_id: str, length: int, notes: Notes
) -> list[tuple[int, int, str, str, dict[str, list[str]]]]:
    """(start, end, code GUID, user GUID, description keys) of each coding of a source."""
    spans = []
    for selection in _children(source, "PlainTextSelection"):
        try:
            start = int(selection.get("startPosition", ""))
            end = int(selection.get("endPosition", ""))
        except ValueError:
            notes.add("bad span", f"{story_id}: {selection.get('guid')}")
            continue
        comment, keys = split_description(_text(_child(selection, "Description")), SELECTION_KEYS)
        if comment.strip():
            notes.add("comments", f"{story_id} {start}-{end}: {comment.strip()[:40]!r}")
        for coding in _children(selection, "Coding"):
            user = coding.get("creatingUser") or selection.get("creatingUser") or ""
            spans.append((start, end, _target(coding), user, keys))
    for coding in _children(source, "Coding"):  # the whole source coded
        user = coding.get("creatingUser") or source.get("creatingUser") or ""
        spans.append((0, length, _target(coding), user, {}))
    return spans


def parse_project(
    root: ET.Element,
    members: Mapping[str, bytes],
    *,
    path: str,
    name: str,
    notes: Notes,
    archive: str = "",
    progress: bool = True,
) -> ParsedProject:
    """Read a ``<Project>`` document (``.qde``) with the archive members it refers to.

    ``path`` names the document in messages, ``archive`` the ``.qdpx`` holding it, and
    ``name`` is the file name used in the stories' ``source`` column.
    """
    from tqdm.auto import tqdm

    _check_namespace(root, PROJECT_NS, notes)
    for memos in _children(root, "Notes"):  # what the package keeps no place for, counted
        for memo in _children(memos, "Note"):
            notes.add("memos", repr(memo.get("name") or memo.get("guid") or ""))
    for element in root.iter():
        if _local(element) == "NoteRef":
            notes.add("note refs", element.get("targetGUID") or "")
    origin = root.get("origin", "")
    users: dict[str, str] = {}
    for users_element in _children(root, "Users"):
        for person in _children(users_element, "User"):
            label = person.get("name") or person.get("id") or person.get("guid") or ""
            users[_norm_guid(person.get("guid") or "")] = label
    book = _child(root, "CodeBook")
    codes_list, index = _parse_codes(_child(book, "Codes") if book is not None else None, notes)
    description_keys = split_description(_text(_child(root, "Description")), SELECTION_KEYS)[1]
    book_label = (description_keys.get("Codebook") or [""])[0]
    book_name, version = _codebook_identity(book_label, root.get("name") or name)
    codebook = Codebook(book_name, version, tuple(codes_list), title=root.get("name", ""))
    codebook_id = f"{book_name}@{version}" if version else book_name

    variables: dict[str, str] = {}
    types: dict[str, str] = {}
    for variables_element in _children(root, "Variables"):
        for variable in _children(variables_element, "Variable"):
            label = variable.get("name", "").strip()
            column = _STORY_COLUMNS.get(label.lower(), label)
            variables[_norm_guid(variable.get("guid", ""))] = column
            types[column] = variable.get("typeOfVariable", "Text")
    case_values: dict[str, dict[str, str]] = {}
    for cases in _children(root, "Cases"):
        for case in _children(cases, "Case"):
            values = _values(case, variables, notes)
            for ref in _children(case, "SourceRef"):
                target = _norm_guid(ref.get("targetGUID", ""))
                case_values.setdefault(target, {}).update(values)

    set_values = _source_sets(root, notes)
    find = _member_lookup(members)
    story_rows: list[dict[str, object]] = []
    code_rows: list[dict[str, object]] = []
    used_ids: set[str] = set()
    nvivo = "nvivo" in origin.lower()
    sources_element = _child(root, "Sources")
    sources = list(sources_element) if sources_element is not None else []
    for source in tqdm(sources, desc="REFI sources", disable=not progress):
        kind = _local(source)
        source_guid = source.get("guid", "")
        if kind != "TextSource":
            notes.add("non-text", f"{kind} {source.get('name') or source_guid}")
            continue
        text = _source_text(source, find, archive=archive, notes=notes)
        label = source.get("name") or ""
        if text is None:
            notes.add("missing text", label or source.get("plainTextPath") or source_guid)
            continue
        if not text.strip():  # NVivo's codebook-only export: empty .txt and .docx
            notes.add("empty text", label or source.get("plainTextPath") or source_guid)
            continue
        about, keys = split_description(_text(_child(source, "Description")), SOURCE_KEYS)
        if about.strip():
            notes.add("source descriptions", f"{label or source_guid}: {about.strip()[:40]!r}")
        stem = PurePosixPath(source.get("plainTextPath", "").split("://")[-1]).stem
        story_id = (keys.get("Story id") or [""])[0] or label or stem or source_guid
        if story_id in used_ids:
            new_id = f"{story_id} ({_norm_guid(source_guid)[:8]})"
            notes.add("duplicate stories", f"{story_id!r} -> {new_id!r}")
            story_id = new_id
        used_ids.add(story_id)
        layout = _layout(keys, len(text))
        row: dict[str, object] = {"story_id": story_id}
        if layout:
            row.update({f: text[s:e] for f, s, e in layout})
        else:
            row["story"] = text
        row.update(case_values.get(_norm_guid(source_guid), {}))
        row.update(_values(source, variables, notes))
        for column, value in set_values.get(_norm_guid(source_guid), {}).items():
            if column not in row:
                row[column] = value
            elif str(row[column]) != value:  # a variable says it for this source
                notes.add(
                    "set and variable", f"{story_id} {column}: {row[column]!r}, not {value!r}"
                )
        row["source"] = (keys.get("Source") or [""])[0] or f"{name}:{label or stem or source_guid}"
        story_rows.append(row)

        spans = _codings(source, story_id, len(text), notes)
        if not spans:
            continue
        starts = np.array([s[0] for s in spans], dtype=np.int64)
        ends = np.array([s[1] for s in spans], dtype=np.int64)
        astral = _utf16_length(text) != len(text)
        beyond = bool((ends > len(text)).any()) and bool((ends <= _utf16_length(text)).all())
        if astral and (nvivo or beyond):
            new_starts, new_ends = code_points(text, starts), code_points(text, ends)
            changed = int(((new_starts != starts) | (new_ends != ends)).sum())
            if changed:
                notes.add("utf16", f"{story_id}: {changed} selection(s)")
            starts, ends = new_starts, new_ends
        for (_, _, target, user, selection_keys), start, end in zip(
            spans, starts, ends, strict=True
        ):
            start, end = int(start), int(end)
            where = f"{story_id} {start}-{end}"
            if start < 0 or start > end or start > len(text):
                notes.add("bad span", where)
                continue
            if end > len(text):
                notes.add("end clipped", where)
                end = len(text)
            code = index.resolve(target, notes)
            if code is None:
                notes.add("unknown code", f"{where} -> {target}")
                continue
            field_name, field_start, field_end = _place(start, end, layout, notes, where)
            field_text = str(row[field_name])
            confidence = (selection_keys.get("Confidence") or [""])[0]
            evidence = selection_keys.get("Evidence")
            polarity = (selection_keys.get("Polarity") or ["0"])[0]
            code_rows.append(
                {
                    "doc_id": story_id,
                    "field": field_name,
                    "start": field_start,
                    "end": field_end,
                    "quote": field_text[field_start:field_end],
                    "codebook": (selection_keys.get("Codebook") or [codebook_id])[0],
                    "code": code,
                    "polarity": int(polarity) if re.fullmatch(r"[+-]?[01]", polarity) else 0,
                    "coder": users.get(_norm_guid(user), user or "unknown"),
                    "confidence": float(confidence) if _is_float(confidence) else np.nan,
                    "evidence": evidence[0] if evidence else None,
                }
            )

    stories = _stories_frame(story_rows, notes, types)
    codes = validate(pd.DataFrame(code_rows), "codes") if code_rows else empty("codes")
    sets = _parse_sets(root, index, attribute="targetGUID", notes=notes)
    return ParsedProject(
        codebook=codebook,
        stories=stories,
        codes=codes,
        code_map=_code_map(index),
        sets=pd.DataFrame(sets, columns=["set", "code"]).astype("string"),
        origin=origin,
        users=tuple(users.values()),
    )


def _is_float(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _stories_frame(
    rows: list[dict[str, object]], notes: Notes, types: Mapping[str, str]
) -> pd.DataFrame:
    """The stories, each variable typed as the project declares it (``typeOfVariable``):
    ``date`` and any Date/DateTime variable as datetimes, Integer, Float and Boolean
    variables as pandas' nullable types, the rest as text. A value that does not fit its
    type is left empty and noted."""
    if not rows:
        return empty("stories")
    frame = pd.DataFrame(rows)
    extra = [c for c in frame.columns if c not in FRAMES["stories"].columns]
    for column in frame.columns:
        kind = "Date" if column == "date" else types.get(column, "Text")
        if column not in extra and column != "date":
            continue
        typed: pd.Series
        if kind in {"Date", "DateTime"}:
            typed = pd.to_datetime(frame[column], errors="coerce", format="mixed")
        elif kind in {"Integer", "Float"}:
            typed = pd.to_numeric(frame[column], errors="coerce")
            typed = typed.astype("Int64" if kind == "Integer" else "Float64")
        elif kind == "Boolean":
            lowered = frame[column].astype("string").str.strip().str.lower()
            typed = lowered.map({"true": True, "false": False, "1": True, "0": False})
            typed = typed.astype("boolean")
        else:
            frame[column] = frame[column].astype("string")
            continue
        bad = frame[column].notna() & typed.isna()
        for value in frame.loc[bad, column]:
            notes.add(
                "bad date" if kind in {"Date", "DateTime"} else "bad value", f"{column} {value!r}"
            )
        frame[column] = typed
    return validate(frame, "stories")
