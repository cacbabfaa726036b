"""Reading worksheets: respondent and community lines of a DOCX."""

from __future__ import annotations

import docx

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
