"""What an Excel workbook hides: sheets, columns and rows hidden in Excel.

A researcher hides a column of e-mail addresses, an old question or the test responses
filtered out; the readers (calamine) read every cell alike, so what was hidden is coded like
the rest unless the load report says so. This module only finds what is hidden, from the
workbook's own XML parts (the ``state`` of a sheet, ``hidden`` on ``<col>`` and ``<row>``).
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import defusedxml.ElementTree as SafeET

__all__ = ["Hidden", "hidden_parts"]

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass
class Hidden:
    """What one sheet hides: the sheet itself, column numbers (1 = A), row numbers."""

    sheet: bool = False
    columns: list[int] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.sheet or bool(self.columns) or bool(self.rows)


def hidden_parts(path: Path) -> dict[str, Hidden]:
    """The sheets of an ``.xlsx``/``.xlsm`` workbook that hide something, by sheet name.

    Returns an empty dict for any other file, or one whose parts cannot be read (the
    workbook reader then says what is wrong with it).
    """
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return {}
    try:
        with zipfile.ZipFile(path) as archive:
            return {
                name: hidden
                for name, state, part in _sheets(archive)
                if (hidden := _hidden_in(archive, part, state))
            }
    except (zipfile.BadZipFile, KeyError, ValueError, SyntaxError, OSError):
        return {}


def _sheets(archive: zipfile.ZipFile) -> list[tuple[str, str, str]]:
    """(name, state, part path) of every sheet, in the workbook's order."""
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels")).iter(
            f"{_RELS}Relationship"
        )
    }
    sheets = []
    for sheet in SafeET.fromstring(archive.read("xl/workbook.xml")).iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(_REL_ID), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        sheets.append((sheet.get("name", ""), sheet.get("state", "visible"), part))
    return sheets


def _hidden_in(archive: zipfile.ZipFile, part: str, state: str) -> Hidden:
    """What one sheet's part hides. The part is large (every cell): lxml's C parser reads
    only its ``<col>`` and ``<row>`` elements, with entities, DTDs and the network off."""
    from lxml import etree

    hidden = Hidden(sheet=state in ("hidden", "veryHidden"))
    with archive.open(part) as stream:
        for _, element in etree.iterparse(
            stream,
            events=("end",),
            tag=(f"{_MAIN}col", f"{_MAIN}row"),
            resolve_entities=False,
            load_dtd=False,
            no_network=True,
        ):
            if element.get("hidden") in ("1", "true"):
                if element.tag == f"{_MAIN}col":
                    low, high = int(element.get("min", "0")), int(element.get("max", "0"))
                    hidden.columns.extend(range(low, min(high, 16384) + 1))
                else:
                    hidden.rows.append(int(element.get("r", "0")))
            element.clear()  # a row's cells are not needed: keep memory flat
    return hidden
