"""Reading worksheets: respondent and community lines of a DOCX; page furniture left out."""

from __future__ import annotations

import os
from pathlib import Path

import docx
import pandas as pd
import pytest

from copanalysis.io import format_load_report, load_lists, load_stories
from copanalysis.io.documents import read_respondents


def test_read_respondents_pairs_the_nth_lines_with_the_nth_worksheet(tmp_path):
    document = docx.Document()
    document.add_paragraph("Respondent: Hannah")
    document.add_paragraph("Organisation: City engineers")
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "Name: not a respondent line (inside a table)"
    document.add_paragraph("Name:  Rahul ")
    document.save(tmp_path / "sheets.docx")
    found = read_respondents(tmp_path / "sheets.docx")
    assert found.names == ("Hannah", "Rahul")
    assert found.communities == ("City engineers",)
    assert [found.name(n) for n in (1, 2, 3)] == ["Hannah", "Rahul", "sheets-003"]
    assert [found.community(n) for n in (1, 2)] == ["City engineers", None]


SEED = Path(__file__).parents[1].parent / "shared" / "seed" / "wenger-2007-worksheets.txt"
#: The seed worksheets live in ``../shared/seed`` beside the project (CI has it; there a
#: missing file fails the test instead of skipping it).
needs_seed = pytest.mark.skipif(
    not SEED.is_file() and not os.environ.get("CI"), reason=f"seed worksheets not in {SEED}"
)
ANSWERS = {
    "Community/date:": "Community/date: Harbour Engineers / 14 March 2025",
    "Member/role:": "Member/role: Jonas Berg, site engineer",
    "What meaningful": "Site walks with the senior engineers.",
    "What specific": "How to read a drainage survey.",
    "How did this influence": "I check the outfalls first now.",
    "How did this contribute to your": "More confident on site.",
    "How did this contribute to the goal": "Two fewer flooding call-outs this winter.",
}


def _seed_story_lines() -> list[str]:
    """The seed's value-creation story worksheet, filled in, its © line and all."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    start = lines.index("Value creation stories")
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("©"))
    filled = []
    for line in lines[start : end + 1]:
        answer = next((a for prompt, a in ANSWERS.items() if line.startswith(prompt)), None)
        if answer is None or answer.startswith(line.rstrip(":")):
            filled.append(answer or line)
        else:
            filled.extend([line, answer])
    return filled


@needs_seed
@pytest.mark.parametrize("suffix", [".md", ".docx"])
def test_the_seed_worksheets_copyright_line_is_never_part_of_an_answer(tmp_path, suffix):
    lines = _seed_story_lines()
    assert lines[-1] == "© 2007, Etienne Wenger"
    pages = [*lines, "Page 1 of 2", *lines, "Page 2 of 2"]  # two stories, one a page
    path = tmp_path / f"harbour{suffix}"
    if suffix == ".md":
        path.write_text("\n".join(pages), encoding="utf-8")
    else:
        document = docx.Document()
        document.sections[0].footer.paragraphs[0].text = "Learning for a small planet"
        for line in pages:
            paragraph = document.add_paragraph(line)
            if line == "Value creation stories" and len(document.paragraphs) > 1:
                paragraph.paragraph_format.page_break_before = True
        document.save(path)
    stories = load_stories(path)
    assert len(stories) == 2
    assert stories["organization"].tolist() == [ANSWERS["How did this contribute to the goal"]] * 2
    assert stories["community"].tolist() == ["Harbour Engineers"] * 2
    entry = stories.attrs["load_report"]["files"][0]
    reasons = [(d["text"], d["reason"]) for d in entry["dropped"]]
    assert ("© 2007, Etienne Wenger", "copyright line") in reasons
    assert ("Page 2 of 2", "page number") in reasons
    assert ("Value creation stories", "running head or foot") in reasons
    if suffix == ".docx":
        assert reasons[0] == ("Learning for a small planet", "page footer")
    text = format_load_report(stories.attrs["load_report"])
    assert "(copyright line): '© 2007, Etienne Wenger'" in text


def test_furniture_in_lists_and_answers_that_merely_repeat_are_kept(tmp_path):
    path = tmp_path / "clinic.md"
    path.write_text(
        "Community/date: Nurses / 3 March 2025\n"
        "How did this contribute to the goal of the organization?\nNot yet.\n\n"
        "© 2007, Etienne Wenger\n\f\n"
        "Community/date: Nurses / 4 March 2025\n"
        "How did this contribute to the goal of the organization?\nNot yet.\n"
        "- 2 -\n",
        encoding="utf-8",
    )
    stories = load_stories(path)
    assert stories["organization"].tolist() == [
        "Not yet.",
        "Not yet.",
    ]  # answers, not running feet
    dropped = stories.attrs["load_report"]["files"][0]["dropped"]
    assert [(d["line"], d["reason"]) for d in dropped] == [
        (5, "copyright line"),
        (6, "page break"),
        (10, "page number"),
    ]
    lists = tmp_path / "lists.md"
    lists.write_text("## Enablers\n- Protected time\n\n© 2007, Etienne Wenger\n", encoding="utf-8")
    items = load_lists(lists)
    assert items["text"].tolist() == ["Protected time"]
    assert items.attrs["load_report"]["files"][0]["dropped"][0]["reason"] == "copyright line"


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _word_form(path: Path, answers: dict[str, str]) -> None:
    document = docx.Document()
    for prompt, answer in answers.items():
        document.add_paragraph(prompt)
        document.add_paragraph(answer)
    document.save(path)


def test_word_text_inserted_with_tracked_changes_and_in_text_boxes_is_read(tmp_path):
    from docx.oxml import parse_xml

    path = tmp_path / "form.docx"
    _word_form(
        path,
        {
            "What happened in the community?": "We met on Tuesdays.",
            "What insights did you gain?": "Answer here.",
            "How has your practice changed?": "",
        },
    )
    document = docx.Document(path)
    insight, practice = document.paragraphs[3], document.paragraphs[5]
    insight._p.append(  # a tracked insertion, and a tracked deletion that must stay out
        parse_xml(f'<w:ins {_W} w:id="1" w:author="A"><w:r><w:t xml:space="preserve"> '
                  "Inserted words.</w:t></w:r></w:ins>")
    )  # fmt: skip
    insight._p.append(
        parse_xml(f'<w:del {_W} w:id="2" w:author="A"><w:r><w:delText> Deleted words.'
                  "</w:delText></w:r></w:del>")
    )  # fmt: skip
    box = (
        f'<w:r {_W} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox>'
        "<w:txbxContent><w:p><w:r><w:t>I now run the debriefs.</w:t></w:r></w:p>"
        "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    )
    practice._p.append(parse_xml(box))
    document.save(path)
    story = load_stories(path).iloc[0]
    assert story["insights"] == "Answer here. Inserted words."  # python-docx dropped these
    assert story["practice"] == "I now run the debriefs."  # and the text box


def test_markdown_front_matter_is_file_metadata_not_a_story(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text(
        "---\ntitle: Interview notes\ncommunity: Riverside\ndate: 2025-03-14\n"
        "tags: [midwifery, spring]\n---\n\n# Story 1\n\n"
        "**Community/date:** Riverside / 2025-03-14\n\n"
        "**What specific insights did you gain?**\nA risk tool.\n",
        encoding="utf-8",
    )
    stories = load_stories(path)
    assert stories["insights"].tolist() == ["A risk tool."]  # one story, not a phantom
    dropped = stories.attrs["load_report"]["files"][0]["dropped"]
    assert [d["line"] for d in dropped] == [1, 2, 3, 4, 5, 6]
    assert {d["reason"] for d in dropped} == {"front matter (file metadata)"}


def test_a_form_tables_question_answer_header_row_is_no_story_text(tmp_path):
    # trial 42: "Question | Answer" heading a council's form table was read as the story
    # text of 21 forms
    document = docx.Document()
    document.add_paragraph("Community/date: Millbrook depot / 3 March 2025")
    rows = [
        ("Question", "Answer"),
        ("What meaningful activities did you participate in?", "A design review."),
        ("How did this influence your practice?", "I check culvert sizes first now."),
    ]
    table = document.add_table(rows=len(rows), cols=2)
    for r, (prompt, answer) in enumerate(rows):
        table.cell(r, 0).text, table.cell(r, 1).text = prompt, answer
    path = tmp_path / "form.docx"
    document.save(path)
    stories = load_stories(path)
    row = stories.iloc[0]
    assert (row["activities"], row["practice"]) == (
        "A design review.",
        "I check culvert sizes first now.",
    )
    assert row["story"] is pd.NA
    dropped = stories.attrs["load_report"]["files"][0]["dropped"]
    assert [(d["text"], d["reason"]) for d in dropped] == [
        ("Question | Answer", "table header row")
    ]
