"""See the codes in the text: a story with its coded spans highlighted, for checking
machine codes by eye in Jupyter.

The layout follows spaCy displaCy's span style (a coloured bar under each coded span, its
code name at the start, overlapping spans on separate lines), written directly so that each
span can carry its polarity and evidence. All user text is escaped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pandas as pd

__all__ = ["HighlightedText", "show_codes"]

_BAR = 4  # px, height of a span's bar
_GAP = 15  # px between bars of overlapping spans
_FIRST = 23  # px from the top of a line to the first bar


@dataclass(frozen=True)
class HighlightedText:
    """Coded text as HTML: Jupyter shows it, ``.html`` holds the markup.

    Examples
    --------
    >>> HighlightedText("<b>x</b>")._repr_html_()
    '<b>x</b>'
    """

    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


def _esc(value: object) -> str:
    return html.escape("" if value is None or value is pd.NA else str(value), quote=True)


def _code_colors(codes: list[str], codebook: object) -> tuple[dict[str, str], dict[str, str]]:
    """Labels from the codebook; colours as every chart gives them."""
    from copanalysis.codebooks.order import code_table
    from copanalysis.plots.labels import or_built_in
    from copanalysis.plots.palette import code_colors

    table = code_table(or_built_in(codebook))
    return dict(zip(table["code"], table["label"], strict=True)), code_colors(codebook, codes)


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    code: str
    label: str
    polarity: int
    title: str


def _levels(spans: list[_Span]) -> dict[_Span, int]:
    """Give each span the lowest bar level free over its whole extent."""
    levels: dict[_Span, int] = {}
    ends: list[int] = []  # end offset of the span last placed on each level
    for span in sorted(spans, key=lambda s: (s.start, -s.end, s.code)):
        for level, end in enumerate(ends):
            if end <= span.start:
                ends[level] = span.end
                levels[span] = level
                break
        else:
            levels[span] = len(ends)
            ends.append(span.end)
    return levels


def _bar_style(color: str, level: int, negative: bool, first: bool) -> str:
    top = _FIRST + level * _GAP
    fill = (
        f"repeating-linear-gradient(45deg, {color}, {color} 3px, #ffffff 3px, #ffffff 6px)"
        if negative
        else color
    )
    rounded = "border-top-left-radius: 3px; border-bottom-left-radius: 3px; " if first else ""
    return (
        f"background: {fill}; top: {top}px; height: {_BAR}px; left: -1px; "
        f"width: calc(100% + 2px); position: absolute; {rounded}"
    )


def _label_html(span: _Span, color: str) -> str:
    from copanalysis.plots.palette import text_color_on

    negative = span.polarity == -1
    name = ("− " if negative else "") + span.label
    decoration = "text-decoration: line-through; " if negative else ""
    return (
        f'<span class="cop-label" style="background: {color}; color: {text_color_on(color)}; '
        f"top: -0.5em; padding: 2px 3px; position: absolute; font-size: 0.6em; font-weight: bold; "
        f'line-height: 1; border-radius: 3px; z-index: 10; white-space: nowrap; {decoration}"'
        f' title="{_esc(span.title)}">{_esc(name)}</span>'
    )


def _field_html(text: str, spans: list[_Span], colors: dict[str, str]) -> str:
    """The text of one field, cut at every span boundary, each piece with its bars."""
    levels = _levels(spans)
    height = _FIRST + (max(levels.values(), default=-1) + 1) * _GAP + 6
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    parts = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        piece = text[left:right]
        over = sorted(
            (s for s in spans if s.start <= left and right <= s.end), key=levels.__getitem__
        )
        if not over:
            parts.append(
                f'<span style="line-height: 20px; vertical-align: top; white-space: pre-wrap;">'
                f"{_esc(piece)}</span>"
            )
            continue
        # one inline block per word (with its trailing space), as displaCy does per token,
        # so that long spans wrap line by line with their bars
        offset = left
        for chunk in re.findall(r"\S+\s*|\s+", piece):
            bars = []
            for span in over:
                color = colors[span.code]
                first = span.start == offset
                negative = span.polarity == -1
                label = _label_html(span, color) if first else ""
                css = "cop-bar cop-negative" if negative else "cop-bar"
                style = _bar_style(color, levels[span], negative, first)
                bars.append(
                    f'<span class="{css}" data-code="{_esc(span.code)}" '
                    f'data-polarity="{span.polarity}" title="{_esc(span.title)}" '
                    f'style="{style}">{label}</span>'
                )
            parts.append(
                f'<span class="cop-span" style="display: inline-block; position: relative; '
                f"height: {height}px; line-height: 20px; vertical-align: top; "
                f'white-space: pre-wrap;">{_esc(chunk)}{"".join(bars)}'
                "</span>"
            )
            offset += len(chunk)
    return "".join(parts)


#: How to read the semantic coder's evidence, under it in a span's tooltip.
_LIKE = (
    "(the training units with this code most alike in meaning; the number is their "
    "similarity, 0 unrelated to 1 the same meaning, not the confidence)"
)


def _fact(value: object) -> object:
    """A date as a reader writes it: the day alone when the time is midnight (a date
    with no time of day), else to the minute.

    Examples
    --------
    >>> _fact(pd.Timestamp("2025-03-14")), _fact(pd.Timestamp("2025-03-14 10:22:05"))
    ('2025-03-14', '2025-03-14 10:22')
    """
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d" if value == value.normalize() else "%Y-%m-%d %H:%M")
    return value


def _header(frame: pd.DataFrame, doc_id: str) -> str:
    from copanalysis.frames import document_ids

    rows = frame[document_ids(frame).astype(str).to_numpy() == str(doc_id)]
    facts = []
    for column in ("community", "member", "role", "kind", "date"):
        if column in rows.columns and len(rows) and not pd.isna(rows[column].iloc[0]):
            facts.append(f"{column}: {_esc(_fact(rows[column].iloc[0]))}")
    about = (
        f' <span style="font-weight: normal; color: #555;">{"; ".join(facts)}</span>'
        if facts
        else ""
    )
    return f'<div class="cop-doc-id" style="font-weight: bold;">{_esc(doc_id)}{about}</div>'


def show_codes(
    codes: pd.DataFrame,
    frame: pd.DataFrame,
    doc_id: str,
    *,
    codebook: object = None,
) -> HighlightedText:
    """Show one document with its coded spans highlighted, to check codes by eye.

    Each field (``activities`` ... ``organization``, ``story``, an item's ``text``) is a
    block; each coded span has a bar in its code's colour with the code's label at its
    start, overlapping spans stack on separate lines, a code at polarity -1 is striped
    and its label struck through and marked "−", and hovering a bar or label shows the
    code, polarity, coder, confidence and evidence (the ``title`` attribute).

    Parameters
    ----------
    codes : DataFrame
        A ``codes`` frame (only the rows of ``doc_id`` are shown).
    frame : DataFrame
        The coded frame (``stories``, ``items``, ``roles``, ``grid`` or hand-built), read
        as the coders read it so that the offsets match.
    doc_id : str
        The document to show.
    codebook : Codebook, codebook frame, name or None
        Labels and colours (codes without a colour get one from the colour-blind-safe
        palette the charts use, :func:`~copanalysis.plots.palette.code_colors`, so a code
        has the same colour here as in every chart). None: the built-in codebooks' labels
        and colours for the codes they hold.

    Returns
    -------
    HighlightedText
        Displays as HTML in Jupyter; ``.html`` is the markup.

    Raises
    ------
    KeyError
        When ``frame`` has no document ``doc_id``.

    Examples
    --------
    >>> stories = pd.DataFrame({"story_id": ["s1"], "practice": ["I used the <new> template."]})
    >>> codes = pd.DataFrame({"doc_id": ["s1"], "field": ["practice"], "start": [2],
    ...     "end": [6], "code": ["applied"], "coder": ["me"], "evidence": ['cue "use"']})
    >>> shown = show_codes(codes, stories, "s1")
    >>> "&lt;new&gt;" in shown.html, 'data-code="applied"' in shown.html
    (True, True)
    """
    from copanalysis.frames import text_units
    from copanalysis.schema import validate

    codes = validate(codes, "codes")
    units = text_units(frame)
    units = units[units["doc_id"].astype(str) == str(doc_id)]
    if units.empty:
        skipped = sum(
            len(entry.get("skipped", []))
            for entry in frame.attrs.get("load_report", {}).get("files", [])
        )
        hint = (
            f" (loading skipped {skipped} row(s) with no answer: see the frame's load report)"
            if skipped
            else ""
        )
        raise KeyError(f"show_codes: no document {doc_id!r} in the frame{hint}")
    mine = codes[codes["doc_id"].astype(str) == str(doc_id)]
    labels, colors = _code_colors(sorted(set(mine["code"].astype(str))), codebook)
    texts = dict(zip(units["field"].astype(str), units["text"].astype(str), strict=True))
    blocks = []
    for field, text in texts.items():
        spans = []
        for record in mine[mine["field"].astype(str) == field].to_dict("records"):
            start = max(0, min(int(record["start"]), len(text)))
            end = max(start, min(int(record["end"]), len(text)))
            if end == start:
                continue
            code = str(record["code"])
            polarity = int(record["polarity"])
            details = [f"{code}: {labels.get(code, code)}", f"polarity {polarity:+d}"]
            for key in ("coder", "confidence", "evidence"):
                value = record.get(key)
                if value is not None and not pd.isna(value):
                    shown = f"{value:.2f}" if key == "confidence" else str(value)
                    details.append(f"{key}: {shown}")
                    if key == "evidence" and 'like "' in shown:
                        details.append(_LIKE)
            label = labels.get(code, code)
            spans.append(_Span(start, end, code, label, polarity, "\n".join(details)))
        blocks.append(
            '<div class="cop-field" style="margin: 0 0 1em 0;">'
            '<div class="cop-field-name" style="font-size: 0.8em; font-weight: bold; '
            f'text-transform: uppercase; color: #555;">{_esc(field)}</div>'
            '<div class="cop-text" style="line-height: 20px; direction: ltr;">'
            f"{_field_html(text, spans, colors)}</div></div>"
        )
    legend = "".join(
        f'<span style="background: {colors[c]}; padding: 1px 6px; margin-right: 6px; '
        f'border-radius: 3px; font-size: 0.8em;">{_esc(labels.get(c, c))}</span>'
        for c in sorted(set(mine["code"].astype(str)))
    )
    header = _header(frame, doc_id)
    coders = mine["coder"].dropna().astype(str).value_counts(sort=False)
    by = ", ".join(f"{_esc(c)} ({n} span{'s' if n != 1 else ''})" for c, n in coders.items())
    coded_by = (
        f'<div class="cop-coders" style="font-size: 0.8em; color: #555;">coded by {by}</div>'
    )
    markup = (
        '<div class="cop-codes" style="font-family: sans-serif; max-width: 60em;">'
        f"{header}{coded_by if by else ''}"
        f'<div class="cop-legend" style="margin: 0.3em 0 0.8em 0;">{legend}</div>'
        f"{''.join(blocks)}</div>"
    )
    return HighlightedText(markup)
