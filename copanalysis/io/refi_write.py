"""Building QDA-XML 1.0 documents (``.qdc`` codebooks, ``.qde`` projects) from our frames.

Every GUID is a uuid5 under :data:`GUID_NAMESPACE` of what the element stands for (the
code's path of ids, the story id, the span with its code and coder), so exporting the same
frames twice gives the same bytes, and a re-export updates a QDA project instead of
duplicating its codes.
"""

from __future__ import annotations

import re
import uuid
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from importlib.metadata import PackageNotFoundError, version
from os import PathLike

import pandas as pd

from copanalysis.codebooks.codebook import Code, Codebook
from copanalysis.errors import CodebookError, RefiError
from copanalysis.io.codes import misquoted
from copanalysis.io.fields import is_personal_metadata
from copanalysis.io.refi_descriptions import join_description, xml_text
from copanalysis.schema import FRAMES, PROMPT_FIELDS, validate

__all__ = [
    "CODEBOOK_NS",
    "GUID_NAMESPACE",
    "PROJECT_NS",
    "code_paths",
    "compose_document",
    "guid",
    "project_xml",
    "qdc_xml",
]

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
#: The fixed namespace of every GUID copanalysis writes (uuid5 of "copanalysis.refi").
GUID_NAMESPACE = uuid.UUID("6f1c53a4-1b7e-5a8e-9d0b-6b1e2c7a3f10")
#: Case and source variables written for a story, in this order, when any story has one.
STORY_VARIABLES: tuple[str, ...] = ("community", "member", "role", "date")
_COLOR = re.compile(r"^#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})$")


def guid(kind: str, *parts: object) -> str:
    """The stable GUID (upper case) of a ``kind`` of element identified by ``parts``.

    Examples
    --------
    >>> guid("code", "applied") == guid("code", "applied")
    True
    >>> guid("code", "applied") == guid("code", "immediate")
    False
    >>> len(guid("story", "S001"))
    36
    """
    key = "\x1f".join([kind, *map(str, parts)])
    return str(uuid.uuid5(GUID_NAMESPACE, key)).upper()


def origin() -> str:
    """The ``origin`` attribute: ``copanalysis <version>``."""
    try:
        return f"copanalysis {version('copanalysis')}"
    except PackageNotFoundError:  # pragma: no cover - source tree without metadata
        return "copanalysis"


def code_paths(codebook: Codebook) -> dict[str, tuple[str, ...]]:
    """Each code id -> its path of ids from the root (``("cycles", "applied")``).

    Raises
    ------
    CodebookError
        When two codes share an id, a parent is not a code of the codebook, or parents
        form a loop.

    Examples
    --------
    >>> book = Codebook("demo", "1", (Code("cycle", "Cycle"), Code("applied", "Applied",
    ...                 parent="cycle")))
    >>> code_paths(book)
    {'cycle': ('cycle',), 'applied': ('cycle', 'applied')}
    """
    parents: dict[str, str | None] = {}
    for item in codebook.codes:
        if item.code in parents:
            raise CodebookError(f"codebook {codebook.name!r}: code {item.code!r} repeats")
        parents[item.code] = item.parent or None
    paths: dict[str, tuple[str, ...]] = {}
    for code in parents:
        chain = [code]
        parent = parents[code]
        while parent is not None:
            if parent not in parents:
                raise CodebookError(
                    f"codebook {codebook.name!r}: code {code!r} has parent {parent!r}, "
                    "which is not a code of the codebook"
                )
            if parent in chain:
                raise CodebookError(
                    f"codebook {codebook.name!r}: parents of {code!r} form a loop "
                    f"({' -> '.join([*chain, parent])})"
                )
            chain.append(parent)
            parent = parents[parent]
        paths[code] = tuple(reversed(chain))
    return paths


def _code_description(item: Code) -> str:
    pairs = [("Include", item.include), ("Exclude", item.exclude)]
    pairs += [("Example", example) for example in item.examples]
    pairs += [
        ("Cues", "; ".join(item.cues)),
        ("Fields", "; ".join(item.fields)),
        ("Aliases", "; ".join(item.aliases)),
        ("Code id", item.code),
    ]
    return join_description(item.description, pairs)


def _codes_element(
    codebook: Codebook, *, coded: set[str] | None, path: str | PathLike[str]
) -> ET.Element:
    paths = code_paths(codebook)
    if not codebook.codes:
        raise RefiError(
            f"codebook {codebook.name!r} has no codes; REFI-QDA needs at least one", path=path
        )
    children: dict[str | None, list[Code]] = {}
    for item in codebook.codes:
        children.setdefault(item.parent or None, []).append(item)
    codes = ET.Element("Codes")
    bad_colors = []

    def add(parent: ET.Element, item: Code) -> None:
        grouping = not item.codable and (coded is None or item.code not in coded)
        attrs = {
            "guid": guid("code", *paths[item.code]),
            "name": xml_text(item.label or item.code),
            "isCodable": "false" if grouping else "true",
        }
        if _COLOR.match(item.color or ""):
            attrs["color"] = item.color
        elif item.color:
            bad_colors.append(f"{item.code}={item.color!r}")
        element = ET.SubElement(parent, "Code", attrs)
        ET.SubElement(element, "Description").text = _code_description(item)
        for child in children.get(item.code, []):
            add(element, child)

    for root in children.get(None, []):
        add(codes, root)
    if bad_colors:
        warnings.warn(
            f"{path}: colours that are not #RRGGBB left out: {', '.join(bad_colors)}",
            stacklevel=4,
        )
    return codes


def _serialize(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def qdc_xml(codebook: Codebook, *, path: str | PathLike[str] = "<codebook>") -> bytes:
    """The ``.qdc`` document (``urn:QDA-XML:codebook:1.0``) of ``codebook``, as bytes.

    Codes nest under their parents; a grouping code (``codable=False``) is
    ``isCodable="false"``. Each code's definition, guidance, examples, cues and id are kept in
    its ``<Description>`` (see :mod:`copanalysis.io.refi_descriptions`).

    Examples
    --------
    >>> book = Codebook("demo", "1", (Code("cycle", "Cycle"), Code("applied", "Applied",
    ...                 parent="cycle", color="#1f77b4")))
    >>> print(qdc_xml(book).decode()[:120])
    <?xml version='1.0' encoding='utf-8'?>
    <CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="copanalysis ...
    """
    root = ET.Element(
        "CodeBook",
        {"xmlns": CODEBOOK_NS, "origin": f"{origin()}; codebook {_codebook_id(codebook)}"},
    )
    root.append(_codes_element(codebook, coded=None, path=path))
    return _serialize(root)


def _codebook_id(codebook: Codebook) -> str:
    return f"{codebook.name}@{codebook.version}" if codebook.version else codebook.name


def _present(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return False
    if isinstance(value, float) and value != value:
        return False
    return not (isinstance(value, str) and not value.strip())


def compose_document(story: Mapping[str, object]) -> tuple[str, list[tuple[str, int, int]]]:
    """The text source of one story, and where each prompt field sits in it.

    A story with only its free narrative becomes that narrative; otherwise each non-empty
    prompt field follows a heading line (``Activities``), separated by a blank line.

    Returns
    -------
    tuple
        ``(text, [(field, start, end), ...])`` with code-point offsets into ``text``.

    Examples
    --------
    >>> compose_document({"story": "We met."})
    ('We met.', [('story', 0, 7)])
    >>> text, layout = compose_document({"activities": "A call.", "story": "It helped."})
    >>> print(text)
    Activities
    A call.
    <BLANKLINE>
    Story
    It helped.
    >>> layout
    [('activities', 11, 18), ('story', 26, 36)]
    """
    fields = [f for f in PROMPT_FIELDS if _present(story.get(f))]
    if fields == ["story"]:
        text = str(story["story"])
        return text, [("story", 0, len(text))]
    parts: list[str] = []
    layout = []
    offset = 0
    for field in fields:
        if parts:
            parts.append("\n\n")
            offset += 2
        heading = f"{field.capitalize()}\n"
        body = str(story[field])
        parts += [heading, body]
        layout.append((field, offset + len(heading), offset + len(heading) + len(body)))
        offset += len(heading) + len(body)
    return "".join(parts), layout


def _variable_values(
    parent: ET.Element, values: Sequence[tuple[str, str, str]], variable_guids: dict[str, str]
) -> None:
    for name, kind, value in values:
        element = ET.SubElement(parent, "VariableValue")
        ET.SubElement(element, "VariableRef", {"targetGUID": variable_guids[name]})
        ET.SubElement(element, f"{kind}Value").text = xml_text(value)


def _story_variables(stories: pd.DataFrame, *, personal: bool) -> list[tuple[str, str]]:
    """(column, REFI type) of the variables worth writing: not a survey tool's record of
    who or where a respondent is (IP address, e-mail) unless ``personal``."""
    extra = [c for c in stories.columns if c not in FRAMES["stories"].columns]
    if not personal:
        extra = [c for c in extra if not is_personal_metadata(str(c))]
    variables = []
    for column in [*STORY_VARIABLES, *extra]:
        if column not in stories.columns or not stories[column].notna().any():
            continue
        variables.append((column, _variable_type(stories[column])))
    return variables


def _variable_type(values: pd.Series) -> str:
    """The REFI-QDA ``typeOfVariable`` of a column: dates (``Date`` when every value is at
    midnight), booleans, integers and floats keep their type, anything else is ``Text``."""
    if pd.api.types.is_datetime64_any_dtype(values):
        dates = values.dropna()
        return "Date" if (dates == dates.dt.normalize()).all() else "DateTime"
    if pd.api.types.is_bool_dtype(values):
        return "Boolean"
    if pd.api.types.is_integer_dtype(values):
        return "Integer"
    if pd.api.types.is_float_dtype(values):
        return "Float"
    return "Text"


def _format_value(value: object, kind: str) -> str:
    if kind == "Date":
        return pd.Timestamp(value).strftime("%Y-%m-%d")  # type: ignore[arg-type]
    if kind == "DateTime":
        return pd.Timestamp(value).strftime("%Y-%m-%dT%H:%M:%S")  # type: ignore[arg-type]
    if kind == "Boolean":
        return "true" if value else "false"
    return str(value)


def _check_codes(
    codes: pd.DataFrame,
    documents: dict[str, tuple[str, dict[str, tuple[int, int]]]],
    codebook: Codebook,
    path: str | PathLike[str],
) -> None:
    known_codes = set(code_paths(codebook))
    rows = zip(
        codes["doc_id"].astype(str).tolist(),
        codes["field"].astype(str).tolist(),
        codes["start"].astype(int).tolist(),
        codes["end"].astype(int).tolist(),
        codes["code"].astype(str).tolist(),
        strict=True,
    )
    quotes = codes["quote"].tolist() if "quote" in codes.columns else [None] * len(codes)
    for position, (doc_id, field, start, end, code) in enumerate(rows):
        if doc_id not in documents:
            raise RefiError(
                f"codes row {position}: doc_id {doc_id!r} is not a story_id of stories",
                path=path,
                column="doc_id",
            )
        layout = documents[doc_id][1]
        if field not in layout:
            raise RefiError(
                f"codes row {position}: story {doc_id!r} has no text in field "
                f"{field!r}; expected one of {', '.join(layout) or '(none)'}",
                path=path,
                column="field",
            )
        length = layout[field][1] - layout[field][0]
        if not 0 <= start <= end <= length:
            raise RefiError(
                f"codes row {position}: span {start}-{end} is outside the "
                f"{length} characters of {doc_id!r} {field!r}",
                path=path,
                column="end",
            )
        offset = layout[field][0]
        said = misquoted(quotes[position], documents[doc_id][0], offset + start, offset + end)
        if said is not None:
            raise RefiError(
                f"codes row {position} ({doc_id!r} {field!r}): {said}; the selection would "
                "mark other words than the coder's",
                path=path,
                column="quote",
            )
        if code not in known_codes:
            # "'Realised value' x1 (the name of 'realized': read it with ...recode)"
            unknown = codebook.unknown_codes(pd.DataFrame({"code": [code]}))
            hint = unknown[0].partition(" x1")[2] if unknown else ""
            raise RefiError(
                f"codes row {position}: code {code!r} is not in the codebook{hint}",
                path=path,
                column="code",
            )


def _by_label(codes: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """``codes`` whose code is written as the label of one of ``codebook``'s codes (case
    aside) named by that code's id: a study folder's ``gold/`` names a project's codes as the
    project does ("Emotional support"), where :func:`read_refi`'s codebook keys them
    ``emotional_support`` (trial 43: writing her codes back beside the machine's failed).

    Examples
    --------
    >>> book = Codebook("mine", "1", (Code("emotional_support", "Emotional support"),))
    >>> codes = pd.DataFrame({"code": ["Emotional support", "emotional_support", "Mood"]})
    >>> _by_label(codes, book)["code"].tolist()
    ['emotional_support', 'emotional_support', 'Mood']
    """
    ids = {c.code for c in codebook.codes}
    labels: dict[str, list[str]] = {}
    for c in codebook.codes:
        labels.setdefault(c.label.casefold(), []).append(c.code)
    named = {
        code: found[0]
        for code in set(codes["code"].astype(str)) - ids
        if len(found := labels.get(code.casefold(), [])) == 1  # one code has that label
    }
    if not named:
        return codes
    return codes.assign(code=codes["code"].astype(str).replace(named))


def _selection_description(row: Mapping[str, object], codebook_id: str) -> str:
    pairs = []
    if _present(row["codebook"]) and row["codebook"] != codebook_id:
        pairs.append(("Codebook", str(row["codebook"])))
    if _present(row["polarity"]) and int(row["polarity"]) != 0:  # type: ignore[call-overload]
        pairs.append(("Polarity", f"{int(row['polarity']):+d}"))  # type: ignore[call-overload]
    if _present(row["confidence"]):
        pairs.append(("Confidence", repr(float(row["confidence"]))))  # type: ignore[arg-type]
    if _present(row["evidence"]):
        pairs.append(("Evidence", str(row["evidence"])))
    return join_description("", pairs)


def project_xml(
    *,
    name: str,
    codebook: Codebook,
    stories: pd.DataFrame,
    codes: pd.DataFrame,
    path: str | PathLike[str] = "<project>",
    progress: bool = True,
    personal: bool = False,
    users: Sequence[str] = (),
    description: str = "",
) -> tuple[bytes, dict[str, bytes]]:
    """The ``project.qde`` document and the ``sources/`` files of a REFI-QDA project.

    Returns
    -------
    tuple
        ``(qde_bytes, {"sources/<GUID>.txt": utf8_bytes, ...})``.

    Examples
    --------
    >>> book = Codebook("demo", "1", (Code("applied", "Applied"),))
    >>> stories = pd.DataFrame({"story_id": ["S1"], "story": ["We now run huddles."]})
    >>> codes = pd.DataFrame({"doc_id": ["S1"], "field": ["story"], "start": [7],
    ...                       "end": [18], "code": ["applied"], "coder": ["ana"]})
    >>> qde, sources = project_xml(name="demo", codebook=book, stories=stories,
    ...                            codes=codes, progress=False)
    >>> [bytes(v) for v in sources.values()]
    [b'We now run huddles.']
    >>> b'startPosition="7" endPosition="18"' in qde
    True
    """
    from tqdm.auto import tqdm

    stories = validate(stories, "stories")
    polarity = codes["polarity"] if "polarity" in codes.columns else 0
    codes = validate(
        codes.assign(polarity=pd.Series(polarity, index=codes.index).fillna(0)), "codes"
    )
    paths = code_paths(codebook)
    codebook_id = _codebook_id(codebook)

    documents: dict[str, tuple[str, dict[str, tuple[int, int]]]] = {}
    records: list[dict[str, object]] = [
        {str(k): v for k, v in record.items()} for record in stories.to_dict("records")
    ]
    for record in records:
        text, layout = compose_document(record)
        documents[str(record["story_id"])] = (text, {f: (s, e) for f, s, e in layout})

    codes = _by_label(codes, codebook)
    _check_codes(codes, documents, codebook, path)
    # a span read both ways (+1 and -1) by one coder is two codings: nothing is dropped
    key = ["doc_id", "field", "start", "end", "code", "coder"]
    duplicated = codes.assign(_negative=codes["polarity"] < 0).duplicated([*key, "_negative"])
    if duplicated.any():
        warnings.warn(
            f"{path}: {int(duplicated.sum())} codes row(s) repeat a span, code, coder and "
            "polarity already written; kept the first",
            stacklevel=3,
        )
        codes = codes[~duplicated]

    root = ET.Element("Project", {"xmlns": PROJECT_NS, "name": xml_text(name), "origin": origin()})
    coders = sorted({*codes["coder"].astype(str).unique(), *map(str, users)})
    user_guids = {coder: guid("user", coder) for coder in coders}
    if coders:
        users_element = ET.SubElement(root, "Users")
        for coder in coders:
            ET.SubElement(
                users_element, "User", {"guid": user_guids[coder], "name": xml_text(coder)}
            )

    code_book = ET.SubElement(root, "CodeBook")
    coded = set(codes["code"].astype(str))
    code_book.append(_codes_element(codebook, coded=coded, path=path))

    variables = _story_variables(stories, personal=personal)
    variable_guids = {column: guid("variable", column) for column, _ in variables}
    if variables:
        element = ET.SubElement(root, "Variables")
        for column, kind in variables:
            ET.SubElement(
                element,
                "Variable",
                {"guid": variable_guids[column], "name": column, "typeOfVariable": kind},
            )

    def values_of(record: Mapping[str, object]) -> list[tuple[str, str, str]]:
        return [
            (column, kind, _format_value(record[column], kind))
            for column, kind in variables
            if _present(record[column])
        ]

    if variables:
        cases = ET.SubElement(root, "Cases")
        for record in records:
            story_id = str(record["story_id"])
            case = ET.SubElement(
                cases, "Case", {"guid": guid("case", story_id), "name": xml_text(story_id)}
            )
            _variable_values(case, values_of(record), variable_guids)
            ET.SubElement(case, "SourceRef", {"targetGUID": guid("story", story_id)})

    offsets = {
        (doc, field): start
        for doc, (_, fields_at) in documents.items()
        for field, (start, _) in fields_at.items()
    }
    codes = codes.assign(
        _start=[
            offsets[(d, f)] + s
            for d, f, s in zip(codes["doc_id"], codes["field"], codes["start"], strict=True)
        ]
    )
    codes = codes.assign(_end=codes["_start"] + codes["end"] - codes["start"])
    codes = codes.sort_values(["doc_id", "_start", "_end", "code", "coder"], kind="stable")
    by_story: dict[str, list[dict[str, object]]] = {}
    for raw in codes.astype(object).to_dict("records"):
        by_story.setdefault(str(raw["doc_id"]), []).append({str(k): v for k, v in raw.items()})
    files: dict[str, bytes] = {}
    if records:
        sources = ET.SubElement(root, "Sources")
    for record in tqdm(records, desc="REFI sources", disable=not progress):
        story_id = str(record["story_id"])
        text, fields_at = documents[story_id]
        source_guid = guid("story", story_id)
        files[f"sources/{source_guid}.txt"] = text.encode("utf-8")
        source = ET.SubElement(
            sources,
            "TextSource",
            {
                "guid": source_guid,
                "name": xml_text(story_id),
                "plainTextPath": f"internal://{source_guid}.txt",
            },
        )
        fields = "; ".join(f"{f} {s}:{e}" for f, (s, e) in fields_at.items())
        provenance = str(record["source"]) if _present(record["source"]) else ""
        ET.SubElement(source, "Description").text = join_description(
            "", [("Story id", story_id), ("Source", provenance), ("Fields", fields)]
        )
        for row in by_story.get(story_id, []):
            start, end = int(row["_start"]), int(row["_end"])  # type: ignore[call-overload]
            identity: tuple[object, ...] = (
                story_id,
                row["field"],
                row["start"],
                row["end"],
                row["code"],
                row["coder"],
            )
            if int(row["polarity"]) < 0:  # type: ignore[call-overload]
                # a span a coder read both ways keeps both codings; positive ones keep the
                # ids they always had
                identity = (*identity, "negative")
            user = user_guids[str(row["coder"])]
            selection = ET.SubElement(
                source,
                "PlainTextSelection",
                {
                    "guid": guid("selection", *identity),
                    "name": xml_text(" ".join(text[start:end].split())[:60]),
                    "startPosition": str(start),
                    "endPosition": str(end),
                    "creatingUser": user,
                },
            )
            comment = _selection_description(row, codebook_id)
            if comment:
                ET.SubElement(selection, "Description").text = comment
            coding = ET.SubElement(
                selection,
                "Coding",
                {"guid": guid("coding", *identity), "creatingUser": user},
            )
            code_guid = guid("code", *paths[str(row["code"])])
            ET.SubElement(coding, "CodeRef", {"targetGUID": code_guid})
        _variable_values(source, values_of(record), variable_guids)
    project = ET.SubElement(root, "Description")
    project.text = join_description(description, [("Codebook", codebook_id)])
    return _serialize(root), files
