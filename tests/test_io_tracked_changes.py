from __future__ import annotations

import docx
from docx.oxml import parse_xml

from copanalysis.io import check_study
from copanalysis.io.grid import load_grid
from copanalysis.io.stories import load_stories
from copanalysis.io.tracked_changes import TrackedChange, read_tracked_changes

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _tracked_form(path):
    """A Word form whose practice answer holds a deletion by the member and an insertion
    by the coordinator, neither accepted (trial 46: Caoimhe's form)."""
    document = docx.Document()
    document.add_paragraph("Member: Caoimhe Breathnach")
    document.add_paragraph("How did this influence your practice?")
    p = document.add_paragraph("It pushed me ")._p
    p.append(
        parse_xml(
            f'<w:del {_W} w:id="1" w:author="Caoimhe Breathnach"><w:r>'
            '<w:delText xml:space="preserve">completely </w:delText></w:r></w:del>'
        )
    )
    p.append(
        parse_xml(f'<w:r {_W}><w:t xml:space="preserve">out of my comfort zone. </w:t></w:r>')
    )
    p.append(
        parse_xml(
            f'<w:ins {_W} w:id="2" w:author="Siobhán Ní Bhriain"><w:r>'
            "<w:t>(Siobhán: how many Droichead teachers?)</w:t></w:r></w:ins>"
        )
    )
    document.save(path)
    return path


def test_read_tracked_changes_lists_each_change_with_its_author(tmp_path):
    path = _tracked_form(tmp_path / "story-05.docx")
    assert read_tracked_changes(path) == [
        TrackedChange("deletion", "Caoimhe Breathnach", "completely"),
        TrackedChange(
            "insertion", "Siobhán Ní Bhriain", "(Siobhán: how many Droichead teachers?)"
        ),
    ]


def test_a_form_s_tracked_changes_are_said_with_their_authors_and_how_they_were_read(tmp_path):
    # trial 46: the coordinator's inserted query was read, and coded, as the teacher's
    # words, and nothing in check or the load report said the file had tracked changes
    path = _tracked_form(tmp_path / "story-05.docx")
    stories = load_stories(path)
    practice = stories["practice"].iloc[0]
    assert "(Siobhán: how many Droichead teachers?)" in practice  # Word's accepted view
    assert "completely" not in practice
    (entry,) = stories.attrs["load_report"]["files"]
    assert [(c["kind"], c["author"], c["read"]) for c in entry["tracked_changes"]] == [
        ("deletion", "Caoimhe Breathnach", "left out"),
        ("insertion", "Siobhán Ní Bhriain", "read as part of the text"),
    ]
    (note,) = [n for n in entry["notes"] if "tracked change" in n]
    assert note.startswith(
        "2 tracked changes not accepted or rejected, by Caoimhe Breathnach and "
        "Siobhán Ní Bhriain: deletion by 'Caoimhe Breathnach' 'completely' (left out); "
        "insertion by 'Siobhán Ní Bhriain' '(Siobhán: how many Droichead teachers?)' "
        "(read as part of the text)"
    )


def test_check_asks_for_a_look_at_a_file_with_tracked_changes(tmp_path):
    (tmp_path / "stories").mkdir()
    _tracked_form(tmp_path / "stories" / "story-05.docx")
    document = docx.Document()
    document.add_paragraph("Member: Aoife")
    document.add_paragraph("How did this influence your practice?")
    document.add_paragraph("I plan with others now.")
    document.save(tmp_path / "stories" / "story-01.docx")
    checked = check_study(tmp_path)
    assert [f.path.name for f in checked.attention] == ["story-05.docx"]
    (said,) = checked.attention[0].attention
    assert said == (
        "2 tracked change(s) not accepted or rejected, by 'Caoimhe Breathnach', "
        "'Siobhán Ní Bhriain': insertions read as part of the text (listed above)"
    )


def test_a_grid_worksheet_s_tracked_changes_are_said_too(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 1).text, table.cell(0, 2).text = "... short-term?", "... long-term?"
    table.cell(1, 0).text, table.cell(2, 0).text = "... to members?", "... to organization?"
    table.cell(1, 1).text = "Tasks from the bank. "
    table.cell(1, 1).paragraphs[0]._p.append(
        parse_xml(f'<w:ins {_W} w:author="Siobhán"><w:r><w:t>Which bank?</w:t></w:r></w:ins>')
    )
    path = tmp_path / "grid.docx"
    document.save(path)
    grid = load_grid(path)
    assert grid["text"].tolist() == ["Tasks from the bank. Which bank?"]
    (entry,) = grid.attrs["load_report"]["files"]
    assert entry["tracked_changes"] == [
        {"kind": "insertion", "author": "Siobhán", "text": "Which bank?",
         "read": "read as part of the text"}
    ]  # fmt: skip
