"""show_codes: the HTML of a coded story."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from copanalysis.display import HighlightedText, show_codes
from copanalysis.plots.palette import code_colors

STORIES = pd.DataFrame(
    {
        "story_id": ["s1", "s2"],
        "community": ["Nurses <CoP>", "Teachers"],
        "activities": ["We met & talked. The webinar was a waste of time.", "x"],
        "practice": ["I used the <checklist> with my team.", None],
        "organization": [None, "y"],
    }
)
CODES = pd.DataFrame(
    [
        ("s1", "activities", 0, 16, "immediate", 1, 'cue "meet" <- "met"'),
        ("s1", "activities", 17, 50, "immediate", -1, 'cue "waste of time"'),
        ("s1", "practice", 0, 36, "applied", 1, 'cue "use" <- "used"'),
        ("s1", "practice", 11, 22, "potential_tangible", 1, 'cue "checklist"'),
        ("s2", "activities", 0, 1, "immediate", 1, "other story"),
    ],
    columns=["doc_id", "field", "start", "end", "code", "polarity", "evidence"],
).assign(coder="rules:value_cycles@1", confidence=0.8)
BOOK = pd.DataFrame(
    {
        "code": ["immediate", "applied", "potential_tangible"],
        "label": ["Immediate value", "Applied value", "Tangible capital"],
        "color": ["#E69F00", "#009E73", "#A0D5F3"],
    }
)


def bars(markup: str) -> list[dict[str, str]]:
    pattern = re.compile(
        r'<span class="(?P<css>cop-bar[^"]*)" data-code="(?P<code>[^"]+)" '
        r'data-polarity="(?P<polarity>[^"]+)" title="(?P<title>[^"]*)" '
        r'style="background: (?P<fill>[^;]+); top: (?P<top>\d+)px'
    )
    return [m.groupdict() for m in pattern.finditer(markup)]


def covered(markup: str) -> dict[str, str]:
    """Code -> the text its bars run under, pieces joined."""
    text: dict[str, str] = {}
    piece = re.compile(
        r'<span class="cop-span"[^>]*>(?P<text>[^<]*)(?P<bars>.*?)'
        r'(?=<span class="cop-span"|</div>)',
        re.DOTALL,
    )
    for match in piece.finditer(markup):
        for code in re.findall(r'class="cop-bar[^"]*" data-code="([^"]+)"', match["bars"]):
            text[code] = text.get(code, "") + match["text"]
    return text


def test_returns_displayable_html_with_field_blocks_in_order():
    shown = show_codes(CODES, STORIES, "s1", codebook=BOOK)
    assert isinstance(shown, HighlightedText)
    assert shown._repr_html_() == shown.html
    fields = re.findall(r'<div class="cop-field-name"[^>]*>([^<]+)</div>', shown.html)
    assert fields == ["activities", "practice"]
    assert "other story" not in shown.html  # only this document's codes


def test_user_text_is_escaped():
    markup = show_codes(CODES, STORIES, "s1", codebook=BOOK).html
    assert "&lt;checklist&gt;" in markup
    assert "<checklist>" not in markup
    assert "&amp; " in markup
    assert "Nurses &lt;CoP&gt;" in markup  # the header's community
    assert "&quot;meet&quot;" in markup  # evidence quotes inside the title attribute


def test_codebook_colours_labels_and_evidence_tooltips():
    markup = show_codes(CODES, STORIES, "s1", codebook=BOOK).html
    found = bars(markup)
    applied = [b for b in found if b["code"] == "applied"]
    assert applied and all(b["fill"] == "#009E73" for b in applied)
    assert "Applied value</span>" in markup
    assert "Tangible capital</span>" in markup
    title = applied[0]["title"]
    assert title.startswith("applied: Applied value\npolarity +1\ncoder: rules:value_cycles@1")
    assert "confidence: 0.80" in title
    assert "evidence: cue &quot;use&quot; &lt;- &quot;used&quot;" in title


def test_overlapping_spans_stack_on_separate_levels():
    markup = show_codes(CODES, STORIES, "s1", codebook=BOOK).html
    found = bars(markup)
    tops = {(b["code"], b["top"]) for b in found if b["code"] != "immediate"}
    assert tops == {("applied", "23"), ("potential_tangible", "38")}
    under = covered(markup)
    assert under["applied"] == "I used the &lt;checklist&gt; with my team."
    assert under["potential_tangible"] == "&lt;checklist&gt;"
    # two immediate spans (positive, negative), the space between them uncoded
    assert under["immediate"] == "We met &amp; talked." + "The webinar was a waste of time."


def test_negative_codes_are_marked():
    markup = show_codes(CODES, STORIES, "s1", codebook=BOOK).html
    negative = [b for b in bars(markup) if b["polarity"] == "-1"]
    assert len(negative) == 7  # one bar per word of "The webinar was a waste of time."
    assert {b["code"] for b in negative} == {"immediate"}
    assert covered(markup)["immediate"].endswith("The webinar was a waste of time.")
    assert negative[0]["css"] == "cop-bar cop-negative"
    assert negative[0]["fill"].startswith("repeating-linear-gradient(45deg, #E69F00")
    assert "− Immediate value</span>" in markup
    assert "polarity -1" in negative[0]["title"]


def test_without_codebook_built_in_labels_and_palette_colours():
    markup = show_codes(CODES, STORIES, "s1").html
    assert "Applied value</span>" in markup  # the built-in codebook's label, as in charts
    first = show_codes(CODES, STORIES, "s1").html
    assert first == markup  # stable colours
    mine = CODES.assign(code=CODES["code"].str.upper())  # codes no codebook knows: ids
    assert "APPLIED</span>" in show_codes(mine, STORIES, "s1").html


def test_codes_without_a_colour_take_the_colour_the_charts_give_them():
    from copanalysis.plots.palette import code_colors

    def fills(codebook: object) -> dict[str, str]:
        shown = show_codes(CODES, STORIES, "s1", codebook=codebook).html
        return {b["code"]: b["fill"] for b in bars(shown) if b["polarity"] == "1"}

    assert fills(None) == code_colors(None, ["applied", "immediate", "potential_tangible"])
    book = BOOK.assign(color=["#E69F00", "", ""])  # applied, potential_tangible: none
    assert fills(book) == code_colors(book)
    assert fills(book)["immediate"] == "#E69F00"
    assert fills(book)["applied"] == "#0072B2"  # the first palette colour still free


def test_unknown_document_is_an_error():
    with pytest.raises(KeyError, match="'s9' in the frame\"$"):
        show_codes(CODES, STORIES, "s9")
    loaded = STORIES.copy()
    loaded.attrs["load_report"] = {"files": [{"skipped": [{"row": 4, "reason": "no answer"}]}]}
    with pytest.raises(KeyError, match=r"'s9' in the frame \(loading skipped 1 row\(s\)"):
        show_codes(CODES, loaded, "s9")


def test_rule_codes_render_on_their_offsets():
    import copanalysis as cop

    stories = pd.DataFrame(
        {"story_id": ["s1"], "practice": ["We shared our experiences. I applied the template."]}
    )
    codes = cop.code(stories, "value_cycles", coder="rules", progress=False)
    markup = show_codes(codes, stories, "s1", codebook="value_cycles").html
    under = covered(markup)
    assert set(under) == set(codes["code"])
    assert under["immediate"] == "We shared our experiences."
    assert under["applied"] == "I applied the template."


def test_the_header_gives_a_date_without_a_midnight_time_and_a_time_to_the_minute():
    stories = STORIES.assign(
        date=[pd.Timestamp("2025-03-14"), pd.Timestamp("2025-03-15 10:22:05")]
    )
    header = r'<div class="cop-doc-id"[^>]*>s\d <span[^>]*>([^<]*)</span>'
    first = re.search(header, show_codes(CODES, stories, "s1").html)[1]
    second = re.search(header, show_codes(CODES, stories, "s2").html)[1]
    assert first == "community: Nurses &lt;CoP&gt;; date: 2025-03-14"
    assert second == "community: Teachers; date: 2025-03-15 10:22"


def test_the_semantic_evidence_says_what_its_number_is():
    codes = CODES.assign(evidence=['like "We met monthly" (0.81)'] + ['cue "use"'] * 4)
    titles = {
        b["code"] + b["polarity"]: b["title"] for b in bars(show_codes(codes, STORIES, "s1").html)
    }
    assert html.unescape(titles["immediate1"]).endswith(
        'evidence: like "We met monthly" (0.81)\n(the training units with this code most alike '
        "in meaning; the number is their similarity, 0 unrelated to 1 the same meaning, not the "
        "confidence)"
    )
    assert html.unescape(titles["applied1"]).endswith('evidence: cue "use"')


def test_a_label_on_a_dark_colour_is_written_in_white():
    book = BOOK.assign(color=["#332288", "#009E73", "#FFFFCC"])
    shown = show_codes(CODES, STORIES, "s1", codebook=book).html
    labels = dict(
        re.findall(r'class="cop-label" style="background: ([^;]+); color: ([^;]+);', shown)
    )
    assert labels["#332288"] == "white" and labels["#FFFFCC"] == "#222222"


def test_built_in_codes_take_their_codebooks_colours_without_a_codebook():
    codes = pd.DataFrame(
        [
            ("s1", "practice", 0, 10, "applied", "value_cycles"),
            ("s1", "practice", 11, 22, "realized", "value_cycles"),
            ("s1", "practice", 23, 36, "reframing", "value_cycles"),
            ("s1", "activities", 0, 16, "members_short", "strategic_grid"),
        ],
        columns=["doc_id", "field", "start", "end", "code", "codebook"],
    ).assign(coder="semantic:value_cycles@1", polarity=1)
    fills = {b["code"]: b["fill"] for b in bars(show_codes(codes, STORIES, "s1").html)}
    assert fills == {  # as the charts colour them, from each code's codebook
        "applied": "#009E73",
        "realized": "#0072B2",
        "reframing": "#CC79A7",
        "members_short": code_colors(["value_cycles", "strategic_grid"])["members_short"],
    }


def test_the_coders_are_named_above_the_legend_not_only_on_hover():
    human = CODES[CODES["doc_id"] == "s1"].head(1).assign(coder="Ana Ruiz <AR>")
    markup = show_codes(pd.concat([CODES, human]), STORIES, "s1", codebook=BOOK).html
    n = int((CODES["doc_id"] == "s1").sum())
    line = re.search(r'<div class="cop-coders"[^>]*>([^<]+)</div>', markup)
    assert line is not None
    assert line[1] == f"coded by rules:value_cycles@1 ({n} spans), Ana Ruiz &lt;AR&gt; (1 span)"
    # before the legend
    assert markup.index('class="cop-coders"') < markup.index('class="cop-legend"')
