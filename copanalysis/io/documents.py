"""Filled-in worksheets as a flat list of text blocks: Word documents, Markdown and plain text.

A worksheet is read in document order as :class:`Block` values (a paragraph, a table cell
paragraph, or a line), each with its position, whether it is a heading, and whether it is
marked (bold, or a ticked box) so the loaders can find prompts, answers and circled options.

Page furniture never reaches a loader (:func:`find_furniture`): copyright lines ("© 2007,
Etienne Wenger"), page numbers ("Page 2 of 3", "- 2 -"), page breaks (form feeds, Markdown
rules) and running heads and feet (a line repeated at page edges). Word's own headers and
footers are not in the body at all; their text is listed with the rest of what was dropped.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from copanalysis.errors import FileFormatError
from copanalysis.io.encoding import read_text

__all__ = [
    "DOCUMENT_SUFFIXES",
    "Block",
    "Cell",
    "Respondents",
    "Worksheet",
    "find_furniture",
    "markdown_table_lines",
    "read_blocks",
    "read_docx_tables",
    "read_markdown_tables",
    "read_respondents",
    "read_tables_of",
    "respondent_line",
]

DOCUMENT_SUFFIXES: tuple[str, ...] = (".docx", ".md", ".markdown", ".txt")
#: A Markdown heading's marker ("## "); the title is the rest of the line without its
#: closing hashes (:func:`_heading_title`).
_HEADING = re.compile(r"(#{1,6})\s+")
_RESPONDENT = re.compile(r"^\W*(respondent|name|member)\W*:\s*(.+)$", re.IGNORECASE)
_COMMUNITY = re.compile(
    r"^\W*(community|organi[sz]ation|network|community of practice|cop)\W*:\s*(.+)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Block:
    """One paragraph or line of a worksheet.

    ``number`` is the paragraph (DOCX, body paragraphs and table-cell paragraphs counted in
    order, from 1) or the line (Markdown/TXT, from 1); ``level`` is the heading level (0
    for body text); ``listed`` marks a DOCX paragraph of a bulleted or numbered list, whose
    bullet is no part of its text (a Markdown/TXT line keeps its bullet in its text);
    ``first_cell`` marks a paragraph of the first cell of a DOCX table's row of two cells or
    more, where a form's table puts its questions.
    """

    text: str
    number: int
    level: int = 0
    page_break: bool = False
    listed: bool = False
    first_cell: bool = False


@dataclass(frozen=True)
class Worksheet:
    """A worksheet's text blocks without its page furniture.

    ``dropped`` lists what was left out, each as ``{"paragraph" | "line" | "where": ...,
    "text": ..., "reason": ...}`` for the load report. ``front_matter`` holds the lines of a
    Markdown file's YAML front matter between its ``---`` lines, as written (also listed in
    ``dropped``), for :func:`~copanalysis.io.front_matter.read_front_matter`.
    """

    blocks: list[Block]
    format: str
    encoding: str | None
    dropped: list[dict[str, Any]] = field(default_factory=list)
    front_matter: list[str] = field(default_factory=list)


_COPYRIGHT = re.compile(
    r"^\W{0,3}(?:©|\(c\)\s*(?:19|20)\d\d|copyright\b|all rights reserved\b)", re.IGNORECASE
)
_PAGE_NUMBER = re.compile(
    r"^\s*(?:page\s+\d+(?:\s*(?:of|/)\s*\d+)?|p\.\s*\d+|[-–—]\s*\d+\s*[-–—]|\d+\s*\|\s*page"
    r"|page\s*\|\s*\d+|\d+\s+of\s+\d+)\s*$",
    re.IGNORECASE,
)
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,}|\f+)\s*$")


def _heading_title(rest: str) -> str:
    r"""A Markdown heading's text after its marker, without the closing hashes and the
    spaces around them.

    String methods, not a regex such as ``(.*?)\s*#*\s*$``: tried at each character, that
    rescans every run of spaces or hashes to its end (a heading line of 3,000
    spaces took minutes).

    Examples
    --------
    >>> _heading_title("Enablers ##  "), _heading_title("C#"), _heading_title("##")
    ('Enablers', 'C', '')
    """
    return rest.rstrip().rstrip("#").rstrip()


def find_furniture(
    blocks: Sequence[Block], *, is_label: Callable[[str], bool] | None = None
) -> dict[int, str]:
    """Which blocks are page furniture: ``{index: reason}``.

    - a copyright line: "© 2007, Etienne Wenger", "(c) 2021 ...", "Copyright ...";
    - a page number: "Page 2", "Page 2 of 3", "2 of 3", "- 2 -", "p. 2";
    - a page break: a form feed or a Markdown rule (``---``, ``***``);
    - a running head or foot: a body line (not a heading, not a label ending in ":", not
      a worksheet label by ``is_label``, not the answer right after a label) that appears
      at least twice, each time at a page edge: next to the start or end of the file, a
      page break, or another furniture line.

    Examples
    --------
    >>> lines = ["Value creation stories", "Community/date: Nurses", "We met.",
    ...          "© 2007, Etienne Wenger", "Page 1 of 2", "\f", "Value creation stories",
    ...          "Community/date: Teachers", "We talked.", "Page 2 of 2"]
    >>> blocks = [Block(t, n) for n, t in enumerate(lines, start=1)]
    >>> find_furniture(blocks, is_label=lambda t: t.startswith("Community/date"))
    {0: 'running head or foot', 3: 'copyright line', 4: 'page number', 5: 'page break',
     6: 'running head or foot', 9: 'page number'}
    """
    found: dict[int, str] = {}
    for i, block in enumerate(blocks):
        text = block.text.strip()
        if not text and "\f" not in block.text:
            continue
        if _COPYRIGHT.match(text):
            found[i] = "copyright line"
        elif _PAGE_NUMBER.match(text):
            found[i] = "page number"
        elif _RULE.match(block.text):
            found[i] = "page break"
    filled = [i for i, b in enumerate(blocks) if b.text.strip() or i in found]
    edges: set[int] = set()
    for position, i in enumerate(filled):
        before = filled[position - 1] if position else None
        after = filled[position + 1] if position + 1 < len(filled) else None
        at_edge = (
            before is None
            or after is None
            or before in found
            or after in found
            or blocks[i].page_break
            or (after is not None and blocks[after].page_break)
        )
        if at_edge:
            edges.add(i)
    labels = is_label or (lambda _: False)
    seen: dict[str, list[int]] = {}
    for position, i in enumerate(filled):
        block = blocks[i]
        text = " ".join(block.text.split())
        if i in found or block.level > 0 or text.endswith(":") or labels(text):
            continue
        before = filled[position - 1] if position else None
        if before is not None and before not in found and labels(blocks[before].text.strip()):
            continue  # the answer to a worksheet label
        seen.setdefault(text.casefold(), []).append(i)
    for places in seen.values():
        if len(places) > 1 and all(i in edges for i in places):
            found.update({i: "running head or foot" for i in places})
    return dict(sorted(found.items()))


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
    path: str | Path,
    *,
    include_tables: bool = True,
    is_label: Callable[[str], bool] | None = None,
) -> Worksheet:
    """Read a worksheet's text blocks, without its page furniture.

    DOCX: body paragraphs and the paragraphs of table cells, in document order (a merged
    cell counts once); paragraphs styled "Heading n"/"Title" are headings; a paragraph
    with a page break is marked ``page_break``. Markdown: ``#`` lines are headings. TXT:
    every line is body text; a form feed marks a page break. ``include_tables=False``
    leaves DOCX tables out (read them with :func:`read_docx_tables`). Furniture
    (:func:`find_furniture`, with ``is_label`` telling the worksheet's labels) is left out
    and listed in ``dropped``, with the text of Word's headers and footers.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "notes.md")
    ...     text = "# Story 1\\n\\nWe met.\\n\\n© 2025 Nurses' Network"
    ...     _ = path.write_text(text, encoding="utf-8")
    ...     sheet = read_blocks(path)
    >>> sheet.format, [(b.number, b.text) for b in sheet.blocks]
    ('md', [(1, 'Story 1'), (2, ''), (3, 'We met.'), (4, '')])
    >>> sheet.dropped
    [{'line': 5, 'text': "© 2025 Nurses' Network", 'reason': 'copyright line'}]
    """
    path = Path(path)
    suffix = path.suffix.lower()
    encoding: str | None = None
    extra: list[dict[str, Any]] = []
    if suffix == ".docx":
        blocks, extra = _docx_blocks(path, include_tables=include_tables)
        fmt, unit = "docx", "paragraph"
    else:
        text, encoding = read_text(path)
        blocks, unit = [], "line"
        markdown = suffix in (".md", ".markdown")
        fmt = "md" if markdown else "txt"
        for number, line in enumerate(text.split("\n"), start=1):
            heading = _HEADING.match(line) if markdown else None
            page_break = "\f" in line and bool(line.replace("\f", "").strip())
            if heading:
                title = _heading_title(line[heading.end() :])
                blocks.append(Block(title, number, len(heading.group(1))))
            else:
                blocks.append(Block(line.replace("\f", "") if page_break else line, number))
            if page_break:
                blocks[-1] = Block(blocks[-1].text, number, blocks[-1].level, page_break=True)
    furniture = find_furniture(blocks, is_label=is_label)
    front_matter: list[str] = []
    if fmt == "md":
        matter = _front_matter(blocks)
        if matter:  # the lines between its first and last line, the '---' fences
            front_matter = [b.text for b in blocks[matter.start + 1 : matter.stop - 1]]
        furniture.update(dict.fromkeys(matter, "front matter (file metadata)"))
        furniture = dict(sorted(furniture.items()))
    dropped = [
        {unit: blocks[i].number, "text": blocks[i].text.strip(), "reason": reason}
        for i, reason in furniture.items()
    ]
    kept = [b for i, b in enumerate(blocks) if i not in furniture]
    return Worksheet(kept, fmt, encoding, [*extra, *dropped], front_matter)


#: A line of YAML front matter: "key: value", a list item, or an indented line.
_YAML_LINE = re.compile(r"^\s*$|^[\w-]+\s*:|^\s*-\s|^\s+\S")


def _front_matter(blocks: Sequence[Block]) -> range:
    """The blocks of a Markdown file's YAML front matter (``---`` at the top, lines of YAML,
    ``---`` or ``...``), or an empty range: metadata for a site generator, not a worksheet.

    Examples
    --------
    >>> lines = ["---", "title: Visit", "tags: [a, b]", "---", "# Story 1", "We met."]
    >>> _front_matter([Block(t, n) for n, t in enumerate(lines, start=1)])
    range(0, 4)
    >>> _front_matter([Block(t, n) for n, t in enumerate(["---", "We met."], start=1)])
    range(0, 0)
    """
    if not blocks or blocks[0].text.strip() != "---":
        return range(0)
    for i, block in enumerate(blocks[1:_FRONT_MATTER_LINES], start=1):
        if block.text.strip() in ("---", "...") and i > 1:
            return range(i + 1)
        if block.level or not _YAML_LINE.match(block.text):
            return range(0)
    return range(0)


#: How far down a Markdown file its front matter may close.
_FRONT_MATTER_LINES = 60


def _heading_level(name: str) -> int:
    if name == "Title":
        return 1
    match = re.match(r"Heading (\d)", name)
    return int(match.group(1)) if match else 0


def _is_listed(paragraph, style: str) -> bool:  # type: ignore[no-untyped-def]
    """Whether a DOCX paragraph is an item of a bulleted or numbered list: numbered by Word
    (its own numbering or its style's) or in a list style ("List Bullet", "List Number")."""
    p_pr = paragraph._p.pPr
    return style.startswith("List") or (p_pr is not None and p_pr.numPr is not None)


def _has_page_break(paragraph) -> bool:  # type: ignore[no-untyped-def]
    if paragraph.paragraph_format.page_break_before:
        return True
    return bool(paragraph._p.xpath("./w:r/w:br[@w:type='page'] | ./w:r/w:lastRenderedPageBreak"))


def _headers_and_footers(document) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """The distinct texts of Word's page headers and footers (never part of the body)."""
    found: list[dict[str, Any]] = []
    seen: set[str] = set()
    for number, section in enumerate(document.sections, start=1):
        for kind in ("header", "footer"):
            for paragraph in getattr(section, kind).paragraphs:
                text = paragraph.text.strip()
                if text and text not in seen:
                    seen.add(text)
                    found.append(
                        {
                            "where": f"section {number} {kind}",
                            "text": text,
                            "reason": f"page {kind}",
                        }
                    )
    return found


def _docx_blocks(path: Path, *, include_tables: bool) -> tuple[list[Block], list[dict[str, Any]]]:
    from docx.table import Table as DocxTable

    document = _open_docx(path)
    blocks: list[Block] = []
    # style names by id, read once: python-docx's paragraph.style searches every style
    # for the default on each call
    names = {style.style_id: style.name or "" for style in document.styles}

    def add(paragraph, *, first_cell: bool = False) -> None:  # type: ignore[no-untyped-def]
        text, boxes = paragraph_text(paragraph._p)
        blocks.append(
            Block(
                text,
                len(blocks) + 1,
                _heading_level(names.get(paragraph._p.style, "")),
                page_break=_has_page_break(paragraph),
                listed=_is_listed(paragraph, names.get(paragraph._p.style, "")),
                first_cell=first_cell,
            )
        )
        for box in boxes:  # a text box anchored here: its paragraphs come after this one
            blocks.append(Block(box, len(blocks) + 1, 0))

    def walk(table: DocxTable) -> None:
        for number, row in enumerate(table.rows):
            said = [cell.text for cell in row.cells]
            if number == 0 and _is_table_header(said):  # "Question | Answer" heads a form
                furniture.append(
                    {"where": "a table", "text": " | ".join(said), "reason": "table header row"}
                )
                continue
            cells = list({id(cell._tc): cell for cell in row.cells}.values())  # merged: once
            for position, cell in enumerate(cells):
                for inner in cell.iter_inner_content():
                    if isinstance(inner, DocxTable):
                        walk(inner)
                    else:
                        add(inner, first_cell=position == 0 and len(cells) > 1)

    furniture: list[dict[str, Any]] = []
    for item in document.iter_inner_content():
        if isinstance(item, DocxTable):
            if include_tables:
                walk(item)
        else:
            add(item)
    # a header part python-docx cannot follow: nothing of the body is lost
    with contextlib.suppress(Exception):
        furniture += _headers_and_footers(document)
    return blocks, furniture


#: The words of a form table's header cells: "Question | Answer", "Prompt | Response".
_HEADER_CELLS = (
    frozenset({"question", "questions", "prompt", "prompts", "item"}),
    frozenset({"answer", "answers", "response", "responses", "your answer", "your response"}),
)


def _is_table_header(cells: list[str]) -> bool:
    """Whether a table's first row only heads its columns, "Question | Answer" (trial 42:
    it was read as story text in 21 Word forms).

    Examples
    --------
    >>> _is_table_header(["Question", "Answer"]), _is_table_header(["Prompt:", "Response"])
    (True, True)
    >>> _is_table_header(["What did you do?", "A site visit"])
    False
    """
    words = [" ".join(re.sub(r"[^\w\s]", " ", c).casefold().split()) for c in cells]
    distinct = list(dict.fromkeys(words))  # a merged cell repeats
    if len(distinct) != 2:
        return False
    return all(w in kinds for w, kinds in zip(distinct, _HEADER_CELLS, strict=True))


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
#: Elements of a run that stand for characters, as Word shows them.
_CHARACTERS = {f"{_W}tab": "\t", f"{_W}ptab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n",
               f"{_W}noBreakHyphen": "-"}  # fmt: skip
#: Containers whose text Word does not show in the paragraph: deleted and moved-away text,
#: the other rendering of a drawing (the fallback), and text boxes (read on their own).
_HIDDEN = {f"{_W}del", f"{_W}moveFrom", f"{_MC}Fallback", f"{_W}txbxContent"}


def paragraph_text(p: Any) -> tuple[str, list[str]]:
    """The text of a Word paragraph (``w:p``) as Word shows it, and the text of each text box
    anchored in it.

    python-docx's ``paragraph.text`` reads only the paragraph's own runs and hyperlinks:
    it leaves out text inserted with tracked changes, in content controls, fields and smart
    tags. Here every ``w:t`` counts but deleted text; a text box's paragraphs are returned
    apart (once, not again from the drawing's fallback rendering).

    Examples
    --------
    >>> from docx.oxml import parse_xml
    >>> w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    >>> p = parse_xml(f'<w:p {w}><w:r><w:t>Kept.</w:t></w:r>'
    ...     '<w:del><w:r><w:delText> Gone.</w:delText></w:r></w:del>'
    ...     '<w:ins><w:r><w:t xml:space="preserve"> Inserted.</w:t></w:r></w:ins></w:p>')
    >>> paragraph_text(p)
    ('Kept. Inserted.', [])
    """
    parts: list[str] = []
    boxes: list[str] = []

    def visit(element: Any) -> None:
        for child in element:
            tag = child.tag
            if tag == f"{_W}t":
                parts.append(child.text or "")
            elif tag in _CHARACTERS:
                parts.append(_CHARACTERS[tag])
            elif tag == f"{_W}txbxContent":
                texts = [paragraph_text(inner) for inner in child.iterchildren(f"{_W}p")]
                boxes.append("\n".join(t for t, _ in texts if t.strip()))
            elif tag not in _HIDDEN and isinstance(tag, str):
                visit(child)

    visit(p)
    return "".join(parts), [b for b in boxes if b.strip()]


def _cell_text(cell) -> str:  # type: ignore[no-untyped-def]
    """A table cell's text as Word shows it (:func:`paragraph_text`), text boxes included."""
    lines = []
    for paragraph in cell.paragraphs:
        text, boxes = paragraph_text(paragraph._p)
        lines += [text, *boxes]
    return "\n".join(lines).strip()


def _marked(cell, bold_styles: set[str]) -> bool:  # type: ignore[no-untyped-def]
    runs = [r for p in cell.paragraphs for r in p.runs if r.text.strip()]
    if runs and all(r.bold or r._r.style in bold_styles for r in runs):
        return True
    if runs and all(_highlighted(r) for r in runs):
        return True
    shading = cell._tc.xpath("./w:tcPr/w:shd/@w:fill")
    return bool(shading) and shading[0].lower() not in ("auto", "ffffff", "none")


def _highlighted(run) -> bool:  # type: ignore[no-untyped-def]
    """Whether Word's highlighter marks ``run`` (any colour but "none")."""
    colour = run._r.xpath("./w:rPr/w:highlight/@w:val")
    return bool(colour) and colour[0] != "none"


def read_docx_tables(path: str | Path) -> list[list[list[Cell]]]:
    """The tables of a DOCX as rows of :class:`Cell` (merged cells repeat, as in Word).

    A cell is ``marked`` when all its text is bold or highlighted, or it has a background
    fill: the ways people "circle" an option in Word.
    """
    from docx.enum.style import WD_STYLE_TYPE

    document = _open_docx(Path(path))
    # bold character styles by id, read once (python-docx's run.style searches every style)
    bold_styles = {
        style.style_id
        for style in document.styles
        if style.type == WD_STYLE_TYPE.CHARACTER and style.font.bold
    }
    tables = []
    for table in document.tables:
        rows = []
        for row in table.rows:
            rows.append([Cell(_cell_text(cell), _marked(cell, bold_styles)) for cell in row.cells])
        tables.append(rows)
    return tables


def read_markdown_tables(path: str | Path) -> list[list[list[Cell]]]:
    """The pipe tables of a Markdown file as rows of :class:`Cell` (the header row first),
    read by markdown-it-py; a cell is ``marked`` when all its text is bold (``**Sponsor**``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "grid.md")
    ...     text = "Respondent: Ana\\n\\n| | Short-term |\\n|---|---|\\n| Members | **Tips** |\\n"
    ...     _ = path.write_text(text, encoding="utf-8")
    ...     (table,) = read_markdown_tables(path)
    >>> [[(c.text, c.marked) for c in row] for row in table]
    [[('', False), ('Short-term', False)], [('Members', False), ('Tips', True)]]
    """
    from markdown_it import MarkdownIt

    text, _ = read_text(Path(path))
    tables: list[list[list[Cell]]] = []
    for token in MarkdownIt("commonmark").enable("table").parse(text):
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            tables[-1].append([])
        elif token.type == "inline" and tables and token.level > 2:  # a cell's content
            tables[-1][-1].append(_inline_cell(token.children or []))
        elif token.type == "table_close":
            tables[-1] = [row for row in tables[-1] if row]
    return tables


def markdown_table_lines(path: str | Path) -> set[int]:
    """The lines (from 1) of a Markdown file's pipe tables, as markdown-it-py finds them.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "grid.md")
    ...     text = "Respondent: Ana\\n\\n| | Short-term |\\n|---|---|\\n| Members | Tips |\\n"
    ...     _ = path.write_text(text, encoding="utf-8")
    ...     sorted(markdown_table_lines(path))
    [3, 4, 5]
    """
    from markdown_it import MarkdownIt

    text, _ = read_text(Path(path))
    lines: set[int] = set()
    for token in MarkdownIt("commonmark").enable("table").parse(text):
        if token.type == "table_open" and token.map:
            lines.update(range(token.map[0] + 1, token.map[1] + 1))
    return lines


def _inline_cell(children: Sequence[Any]) -> Cell:
    """A table cell from markdown-it's inline tokens: its plain text, and whether it is
    all bold."""
    words = [c.content if c.type != "softbreak" else " " for c in children if c.content or
             c.type == "softbreak"]  # fmt: skip
    kinds = [c.type for c in children if c.type != "text" or c.content.strip()]
    bold = (
        len(kinds) >= 3
        and kinds[0] == "strong_open"
        and kinds[-1] == "strong_close"
        and "strong_close" not in kinds[1:-1]
    )
    return Cell(" ".join("".join(words).split()), bold)


def read_tables_of(path: str | Path) -> list[list[list[Cell]]]:
    """The tables of a worksheet document: Word's (:func:`read_docx_tables`) or
    Markdown's pipe tables (:func:`read_markdown_tables`); none in plain text."""
    suffix = Path(path).suffix.lower()
    if suffix == ".docx":
        return read_docx_tables(path)
    if suffix in (".md", ".markdown"):
        return read_markdown_tables(path)
    return []


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


def respondent_line(text: str) -> tuple[str, str] | None:
    """``("respondent" | "community", value)`` for a "Respondent:" (or "Name:", "Member:")
    or "Community:" (or "Organization:", "Network:") line, else None.

    Examples
    --------
    >>> respondent_line("Respondent: Tom Price"), respondent_line("We met.")
    (('respondent', 'Tom Price'), None)
    >>> respondent_line("Network: Regional Antimicrobial Pharmacists Network")
    ('community', 'Regional Antimicrobial Pharmacists Network')
    """
    if m := _RESPONDENT.match(text):
        return "respondent", m.group(2).strip()
    if m := _COMMUNITY.match(text):
        return "community", m.group(2).strip()
    return None


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
    blocks = read_blocks(path, include_tables=False).blocks
    said = [found for block in blocks if (found := respondent_line(block.text))]
    return Respondents(
        stem=path.stem,
        names=tuple(value for kind, value in said if kind == "respondent"),
        communities=tuple(value for kind, value in said if kind == "community"),
    )
