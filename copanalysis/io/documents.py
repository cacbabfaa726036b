"""Filled-in worksheets as a flat list of text blocks: Word documents, Markdown and plain text.

A worksheet is read in document order as :class:`Block` values (a paragraph, a table cell
paragraph, or a line), each with its position, whether it is a heading, and whether it is
marked (bold, or a ticked box) so the loaders can find prompts, answers and circled options.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from copanalysis.errors import FileFormatError
from copanalysis.io.encoding import read_text

__all__ = [
    "DOCUMENT_SUFFIXES",
    "Block",
    "Cell",
    "Respondents",
    "read_blocks",
    "read_docx_tables",
    "read_respondents",
]

DOCUMENT_SUFFIXES: tuple[str, ...] = (".docx", ".md", ".markdown", ".txt")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_RESPONDENT = re.compile(r"^\W*(respondent|name|member)\W*:\s*(.+)$", re.IGNORECASE)
_COMMUNITY = re.compile(r"^\W*(community|organi[sz]ation)\W*:\s*(.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Block:
    """One paragraph or line of a worksheet.

    ``number`` is the paragraph (DOCX, body paragraphs and table-cell paragraphs counted in
    order, from 1) or the line (Markdown/TXT, from 1); ``level`` is the heading level (0
    for body text).
    """

    text: str
    number: int
    level: int = 0


@dataclass(frozen=True)
class Cell:
    """One table cell of a DOCX: its text and whether it is marked (bold or shaded)."""

    text: str
    marked: bool = False


def _open_docx(path: Path):  # type: ignore[no-untyped-def]
    import docx

    try:
        return docx.Document(str(path))
    except Exception as exc:  # python-docx raises zip, XML and KeyError alike
        raise FileFormatError(
            f"cannot read the Word document ({type(exc).__name__}: {exc}); "
            "is it a valid .docx file?",
            path=path,
        ) from exc


def read_blocks(
    path: str | Path, *, include_tables: bool = True
) -> tuple[list[Block], str, str | None]:
    """Read a worksheet's text blocks; return ``(blocks, format, encoding)``.

    DOCX: body paragraphs and the paragraphs of table cells, in document order (a merged
    cell counts once); paragraphs styled "Heading n"/"Title" are headings. Markdown: ``#``
    lines are headings. TXT: every line is body text. ``include_tables=False`` leaves
    DOCX tables out (read them with :func:`read_docx_tables`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "notes.md")
    ...     _ = path.write_text("# Story 1\\n\\nWe met.", encoding="utf-8")
    ...     blocks, fmt, encoding = read_blocks(path)
    >>> blocks, fmt
    ([Block(text='Story 1', number=1, level=1), Block(text='', number=2, level=0), Block(text='We met.', number=3, level=0)], 'md')
    """  # noqa: E501
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _docx_blocks(path, include_tables=include_tables), "docx", None
    text, encoding = read_text(path)
    lines = text.split("\n")
    if suffix in (".md", ".markdown"):
        blocks = []
        for number, line in enumerate(lines, start=1):
            heading = _HEADING.match(line)
            if heading:
                blocks.append(Block(heading.group(2), number, len(heading.group(1))))
            else:
                blocks.append(Block(line, number))
        return blocks, "md", encoding
    return [Block(line, n) for n, line in enumerate(lines, start=1)], "txt", encoding


def _heading_level(paragraph) -> int:  # type: ignore[no-untyped-def]
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    if name == "Title":
        return 1
    match = re.match(r"Heading (\d)", name)
    return int(match.group(1)) if match else 0


def _docx_blocks(path: Path, *, include_tables: bool) -> list[Block]:
    from docx.table import Table as DocxTable

    document = _open_docx(path)
    blocks: list[Block] = []

    def add(paragraph) -> None:  # type: ignore[no-untyped-def]
        blocks.append(Block(paragraph.text, len(blocks) + 1, _heading_level(paragraph)))

    def walk(table: DocxTable) -> None:
        for row in table.rows:
            seen: set[int] = set()
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                for inner in cell.iter_inner_content():
                    if isinstance(inner, DocxTable):
                        walk(inner)
                    else:
                        add(inner)

    for item in document.iter_inner_content():
        if isinstance(item, DocxTable):
            if include_tables:
                walk(item)
        else:
            add(item)
    return blocks


def _marked(cell) -> bool:  # type: ignore[no-untyped-def]
    runs = [r for p in cell.paragraphs for r in p.runs if r.text.strip()]
    if runs and all(r.bold or (r.style is not None and r.style.font.bold) for r in runs):
        return True
    shading = cell._tc.xpath("./w:tcPr/w:shd/@w:fill")
    return bool(shading) and shading[0].lower() not in ("auto", "ffffff", "none")


def read_docx_tables(path: str | Path) -> list[list[list[Cell]]]:
    """The tables of a DOCX as rows of :class:`Cell` (merged cells repeat, as in Word).

    A cell is ``marked`` when all its text is bold or it has a background fill: the two
    ways people "circle" an option in Word.
    """
    document = _open_docx(Path(path))
    tables = []
    for table in document.tables:
        rows = []
        for row in table.rows:
            rows.append([Cell(cell.text.strip(), _marked(cell)) for cell in row.cells])
        tables.append(rows)
    return tables


@dataclass(frozen=True)
class Respondents:
    """Who filled in the worksheets of one file: its "Respondent:" and "Community:" lines.

    The n-th "Respondent:" (or "Name:", "Member:") line outside the tables names the
    respondent of the n-th worksheet table, the n-th "Community:" (or "Organization:")
    line its community.
    """

    stem: str
    names: tuple[str, ...]
    communities: tuple[str, ...]

    def name(self, n: int) -> str:
        """The respondent of worksheet ``n`` (from 1), else ``f"{stem}-{n:03d}"``."""
        return self.names[n - 1] if len(self.names) >= n else f"{self.stem}-{n:03d}"

    def community(self, n: int) -> str | None:
        """The community of worksheet ``n`` (from 1), or None when no line names it."""
        return self.communities[n - 1] if len(self.communities) >= n else None


def read_respondents(path: str | Path) -> Respondents:
    """Read the respondent and community lines of a worksheet file (DOCX tables left out).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "sheets.md")
    ...     _ = path.write_text("Respondent: Ana\\nOrganization: Clinic\\n", encoding="utf-8")
    ...     found = read_respondents(path)
    >>> found.name(1), found.community(1), found.name(2), found.community(2)
    ('Ana', 'Clinic', 'sheets-002', None)
    """
    path = Path(path)
    blocks, _, _ = read_blocks(path, include_tables=False)
    return Respondents(
        stem=path.stem,
        names=tuple(m.group(2).strip() for b in blocks if (m := _RESPONDENT.match(b.text))),
        communities=tuple(m.group(2).strip() for b in blocks if (m := _COMMUNITY.match(b.text))),
    )
