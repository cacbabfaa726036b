"""load_codes: the gold codes table from CSV, XLSX and Parquet."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from copanalysis.errors import SchemaError
from copanalysis.io.codes import load_codes
from copanalysis.io.parquet import save_frame

REPO_GOLD = Path(__file__).resolve().parents[1] / "data" / "raw" / "gold" / "gold-codes.csv"

HEADER = "doc_id,field,start,end,quote,codebook,code,polarity,coder,confidence,evidence"


def test_csv_gold_codes_are_typed_and_validated(tmp_path):
    path = tmp_path / "gold-codes.csv"
    path.write_text(
        HEADER + "\n"
        "s-001,insights,0,11,A checklist,value-cycles,potential,1,Ana Ruiz,1,\n"
        "s-001,practice,4,20,fewer falls here,value-cycles,applied,-1,Ana Ruiz,,\n",
        encoding="utf-8",
    )
    codes = load_codes(path)
    assert codes["start"].tolist() == [0, 4]
    assert codes["end"].dtype == "int64"
    assert codes["polarity"].tolist() == [1, -1]
    assert codes["confidence"].iloc[0] == 1.0 and pd.isna(codes["confidence"].iloc[1])
    assert codes["coder"].unique().tolist() == ["Ana Ruiz"]
    assert codes.attrs["load_report"]["files"][0]["n_rows"] == 2


def test_xlsx_and_parquet(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(["s-2", "story", 3, 8, "quote", "cb", "realized", 0, "Bo", 0.5, "cue"])
    book.save(tmp_path / "codes.xlsx")
    codes = load_codes(tmp_path / "codes.xlsx")
    assert (codes["start"].iloc[0], codes["end"].iloc[0], codes["confidence"].iloc[0]) == (
        3,
        8,
        0.5,
    )
    save_frame(codes, tmp_path / "codes.parquet")
    back = load_codes(tmp_path / "codes.parquet")
    pd.testing.assert_frame_equal(back, codes)


def test_bad_cells_name_file_row_and_column(tmp_path):
    path = tmp_path / "gold.csv"
    path.write_text(
        HEADER + "\n"
        "s-1,story,0,3,abc,cb,applied,1,Ana,,\n"
        "s-1,story,zero,3,abc,cb,applied,1,Ana,,\n",
        encoding="utf-8",
    )
    with pytest.raises(SchemaError, match=r"gold\.csv, row 3, column 'start': 'zero'"):
        load_codes(path)
    path.write_text(HEADER + "\ns-1,story,0,3,abc,cb,,1,Ana,,\n", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"gold\.csv.*'code' is empty at row 2"):
        load_codes(path)


def test_a_misspelled_column_is_an_error_not_a_column_of_defaults(tmp_path):
    path = tmp_path / "gold.csv"
    path.write_text(
        "doc_id,field,start,end,code,polarty,coder\ns1,practice,0,8,applied,-1,Ana\n",
        encoding="utf-8",
    )
    with pytest.raises(SchemaError, match=r"gold\.csv: column 'polarty' looks like 'polarity'"):
        load_codes(path)
    path.write_text(  # a column of one's own is kept
        "doc_id,field,start,end,code,polarity,coder,memo\ns1,practice,0,8,applied,-1,Ana,x\n",
        encoding="utf-8",
    )
    assert load_codes(path)[["polarity", "memo"]].values.tolist() == [[-1, "x"]]


def test_human_codes_are_matched_to_the_stories_or_each_misfit_is_named():
    from copanalysis.io.codes import match_codes

    stories = pd.DataFrame(
        {
            "story_id": ["T01", "T02"],
            "practice": ["I use the exit tickets now.", None],
            "organization": ["Scores went up.", "Fewer referrals."],
        }
    )
    codes = pd.DataFrame(
        [
            ("T01", "practice", 0, 27, "Applied value", None),  # a label, no codebook
            ("T01", "organisation", 0, 15, "realized", "value_cycles"),  # British spelling
            ("T02", "organization", 0, 16, "MINE", "my_codes"),  # another codebook's code
        ],
        columns=["doc_id", "field", "start", "end", "code", "codebook"],
    ).assign(coder="Ana")
    matched = match_codes(codes, stories)
    assert matched[["field", "code", "codebook"]].astype(object).values.tolist() == [
        ["practice", "applied", "value_cycles"],
        ["organization", "realized", "value_cycles"],
        ["organization", "MINE", "my_codes"],
    ]
    wrong = pd.DataFrame(
        [
            ("T09", "practice", 0, 5, "applied", "value_cycles"),
            ("T02", "practice", 0, 5, "applied", "value_cycles"),
            ("T02", "organization", 0, 99, "realized", "value_cycles"),
            ("T01", "practice", 0, 5, "potental", "value_cycles"),
        ],
        columns=["doc_id", "field", "start", "end", "code", "codebook"],
    ).assign(coder="Ana")
    with pytest.raises(SchemaError) as raised:
        match_codes(wrong, stories, path="gold/codes.csv")
    message = str(raised.value)
    assert message.startswith("gold/codes.csv: 4 of 4 human codes do not fit the stories: ")
    assert "'T09' 'practice' 0-5 'applied': no story or list item 'T09'" in message
    assert "story 'T02' has no text in field 'practice' (it has organization)" in message
    assert "'T02' 'organization' 0-99 'realized': the span is outside the 16 characters" in message
    assert "no code 'potental' (did you mean 'potential'?)" in message


def test_misfits_read_from_a_file_are_named_by_row_and_a_shared_problem_once(tmp_path):
    """Trial 27: seven codes 'aplied' gave seven copies of the list of codes, in one line of
    about 2,000 characters, and no row of the file."""
    from copanalysis.io.codes import match_codes

    stories = pd.DataFrame({"story_id": ["T01", "T02"], "practice": ["I use it.", "We do."]})
    path = tmp_path / "codes.csv"
    path.write_text(
        "doc_id,field,start,end,code,codebook,coder\n"
        "T01,practice,0,9,aplied,value_cycles,Ana\n"
        "T09,practice,0,6,applied,value_cycles,Ana\n"
        "T02,practice,0,6,aplied,value_cycles,Ana\n",
        encoding="utf-8",
    )
    codes = load_codes(path).sort_values("doc_id")  # a sort keeps each code's row
    with pytest.raises(SchemaError) as raised:
        match_codes(codes, stories, path=path.name)
    message = str(raised.value)
    assert message.startswith(
        "codes.csv: 3 of 3 human codes do not fit the stories: rows 2, 4: no code 'aplied' "
        "(did you mean 'applied'?); expected one of "
    )
    assert message.count("expected one of") == 1
    assert "; row 3 ('T09' 'practice' 0-6 'applied'): no story or list item 'T09'" in message


def test_the_load_report_says_who_coded_what():
    from copanalysis.io import format_load_report

    codes = load_codes(REPO_GOLD)
    (entry,) = codes.attrs["load_report"]["files"]
    counts = codes.groupby("coder")["doc_id"].nunique().to_dict()
    assert {c: n["documents"] for c, n in entry["coders"].items()} == counts
    both = set.intersection(*(set(d) for _, d in codes.groupby("coder")["doc_id"]))
    assert entry["documents_in_common"] == len(both) > 0
    line = format_load_report(codes.attrs["load_report"]).splitlines()[2]
    assert line.startswith("    coders: Ana Ruiz (") and line.endswith(
        f"; {len(both)} documents coded by all"
    )


def test_a_projects_own_code_names_are_read_as_the_codebooks_before_agreement():
    import warnings

    from copanalysis.analysis.agreement import agreement
    from copanalysis.errors import CodebookError, SchemaError
    from copanalysis.io import recode

    def span(doc, code, coder, book):
        return {"doc_id": doc, "field": "story", "start": 0, "end": 4, "code": code,
                "coder": coder, "codebook": book}  # fmt: skip

    human = pd.DataFrame(
        [
            span("i1", "applied_value", "Ana", "My interviews"),  # as read_refi names it
            span("i2", "Learning", "Ana", "My interviews"),
            span("i2", "Mood", "Ana", "My interviews"),
        ]
    )
    machine = pd.DataFrame(
        [
            span("i1", "applied", "rules", "value_cycles"),
            span("i2", "potential", "rules", "value_cycles"),
        ]
    )
    # as exported, the two share no code and no codebook: nothing to agree on
    with pytest.raises(SchemaError, match=r"share no code and no codebook.*'Ana' used 3"):
        agreement(pd.concat([human, machine]), n_boot=0)
    with pytest.raises(SchemaError, match=r"'Ana' coded nothing of codebook 'value_cycles'"):
        agreement(pd.concat([human, machine]), codebook="value_cycles", n_boot=0)
    with pytest.warns(
        UserWarning, match=r"1 of 3 codes are not codes of 'value_cycles'.*'Mood' \(1\)"
    ):
        read = recode(human, "value_cycles", mapping={"learning": "Potential value"})
    assert read["code"].tolist() == ["applied", "potential", "Mood"]
    assert read["codebook"].tolist() == ["value_cycles", "value_cycles", "My interviews"]
    table = agreement(pd.concat([read, machine]), codebook="value_cycles", n_boot=0)
    overall = table[table["code"] == "(all codes)"].iloc[0]
    assert overall["percent_agreement"] == 1.0 and overall["units"] == 4
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert recode(read.head(2), "value_cycles").attrs["unmatched"] == {}
    with pytest.raises(CodebookError, match="no code 'learned'"):
        recode(human, "value_cycles", mapping={"Learning": "learned"})
    # trial 29: British spelling, the README's own ("realised"), and a QDA project's names
    # pooled unread with the machine's codes are warned of by agreement too
    british = human.assign(code=["realised_value", "Realised value", "Organisational"])
    with pytest.warns(UserWarning, match=r"1 of 3 codes .*'Organisational' \(1\)"):
        assert recode(british, "value_cycles")["code"].tolist()[:2] == ["realized"] * 2
    # British spelling in a name with punctuation: the codebook reads the spelling of the
    # name recode has stripped of its punctuation (recode has no spelling rule of its own)
    punctuated = human.assign(code=["Realised value.", "'Realised' value", "Realised valu"])
    with pytest.warns(UserWarning, match=r"1 of 3 codes .*'Realised valu' \(1\)"):
        read = recode(punctuated, "value_cycles")
    assert read["code"].tolist() == ["realized", "realized", "Realised valu"]
    with pytest.warns(
        UserWarning,
        match=r"agreement: 2 code\(s\) of other codebooks than 'value_cycles' are compared as "
        r"they are, so they agree with nothing there \('My interviews': Learning, Mood\)",
    ):
        agreement(
            pd.concat(
                [
                    human.iloc[[0]].assign(codebook="value_cycles", code="applied"),
                    human.iloc[1:],
                    machine,
                ]
            ),
            n_boot=0,
        )


def test_a_quote_that_is_not_the_text_at_its_offsets_is_named_with_where_it_stands():
    """Trial 18: offsets taken in the original file (Windows line ends count two
    characters) shifted every code after the first line, silently."""
    from copanalysis.io.codes import match_codes

    stories = pd.DataFrame(
        {"story_id": ["s1"], "practice": ["We met.\nI took the sheet home. And more."]}
    )
    quote = "I took the sheet home."
    fine = pd.DataFrame({"doc_id": ["s1"], "field": ["practice"], "start": [8], "end": [30],
                         "code": ["applied"], "coder": ["Ana"], "quote": [quote]})  # fmt: skip
    assert len(match_codes(fine, stories)) == 1
    # loosely compared: the quote's line breaks and spaces may differ
    assert len(match_codes(fine.assign(quote="I took the  sheet\nhome."), stories)) == 1
    late = fine.assign(start=9, end=31)
    with pytest.raises(
        SchemaError,
        match=r"'s1' 'practice' 9-31 'applied': its quote 'I took the sheet home.' is not the "
        r"text at 9-31 \(' took the sheet home. '\); it stands at 8-30",
    ):
        match_codes(late, stories)


STORIES = pd.DataFrame(
    {
        "story_id": ["s-001", "s-002"],
        "insights": ["We met. I learned to \u2018ask\u2019 first.\nWe met again.", "Nothing new."],
        "practice": ["I use the checklist.", "I use the checklist too."],
    }
)


def test_codes_without_offsets_are_placed_by_their_quotes(tmp_path):
    """Trial 30: a spreadsheet coder writes the quote, not character offsets."""
    path = tmp_path / "hand-codes.csv"
    path.write_text(
        "doc_id,field,quote,code,coder\n"
        "s-001,insights,I learned to \u2018ask\u2019 first.,potential,Ana\n"  # exact
        "s-001,insights,i learned to  'ask' first,potential,Bo\n"  # case, spaces, quotes
        "s-001,,I use the checklist,applied,Ana\n"  # no field: the one that holds it
        "s-002,insights,Nothing new.,potential,Ana\n"  # the whole answer
        "s-002,practice,the checklist too,applied,Ana\n",
        encoding="utf-8",
    )
    codes = load_codes(path, stories=STORIES)
    assert codes[["doc_id", "field", "start", "end"]].values.tolist() == [
        ["s-001", "insights", 8, 33],
        ["s-001", "insights", 8, 32],
        ["s-001", "practice", 0, 19],
        ["s-002", "insights", 0, 12],
        ["s-002", "practice", 6, 23],
    ]
    assert codes["quote"].tolist() == [
        "I learned to \u2018ask\u2019 first.",
        "I learned to \u2018ask\u2019 first",  # the text as it stands
        "I use the checklist",
        "Nothing new.",
        "the checklist too",
    ]
    assert codes.attrs["load_report"]["files"][0]["notes"] == [
        "start and end of 5 codes found from the quote (1 found only with case, spacing, "
        "quotation marks, ellipses, speaker labels or time marks ignored, the quote now the "
        "text as it stands: row 3)",
        "the field of 1 code found from the quote, the one field of the story that holds "
        "it: row 4 'practice'",
    ]
    # the placed codes are the codes a file with those offsets gives
    from copanalysis.io.codes import match_codes

    offsets = tmp_path / "offsets.csv"
    offsets.write_text(
        "doc_id,field,start,end,quote,code,coder\n"
        "s-001,insights,8,33,I learned to \u2018ask\u2019 first.,potential,Ana\n"
        "s-001,practice,,,I use the checklist,applied,Ana\n",  # offsets of some rows only
        encoding="utf-8",
    )
    mixed = match_codes(load_codes(offsets, stories=STORIES), STORIES)
    assert mixed[["field", "start", "end"]].values.tolist() == [
        ["insights", 8, 33],
        ["practice", 0, 19],
    ]


def test_a_quote_found_twice_nowhere_or_in_two_fields_is_named_by_row(tmp_path):
    path = tmp_path / "hand-codes.csv"
    path.write_text(
        "doc_id,field,quote,code,coder\n"
        "s-001,insights,We met,immediate,Ana\n"
        "s-001,insights,I learnt to ask first,potential,Ana\n"
        "s-001,,I use it,applied,Ana\n"
        "s-001,,I,applied,Ana\n"
        "s-009,practice,I use it,applied,Ana\n"
        "s-002,practice,,applied,Ana\n",
        encoding="utf-8",
    )
    with pytest.raises(SchemaError) as raised:
        load_codes(path, stories=STORIES)
    assert str(raised.value) == str(path) + (
        ": 6 of 6 codes without start and end could not be placed by their "
        "quote: row 2 ('s-001' 'insights' 'immediate'): its quote 'We met' stands 2 times in "
        "'insights' (at 0-6, 34-40): quote more of the passage to tell them apart, or give "
        "start and end; row 3 ('s-001' 'insights' 'potential'): its quote 'I learnt to ask "
        "first' is not in 'insights'; the nearest passage is 'I learned to \u2018ask\u2019 "
        "first'; row 4 ('s-001' 'applied'): its quote 'I use it' is not in any field of "
        "'s-001' (insights, practice); the nearest passage is 'I use the' (in 'practice'); "
        "row 5 ('s-001' 'applied'): no field given, and its quote 'I' stands in insights, "
        "practice: name the field; "
        "row 6 ('s-009' 'practice' 'applied'): no story or list item 's-009'; "
        "row 7 ('s-002' 'practice' 'applied'): no start and end, and no quote to find them by"
    )


def test_codes_without_offsets_need_the_texts_they_quote(tmp_path):
    path = tmp_path / "hand-codes.csv"
    path.write_text("doc_id,field,quote,code,coder\ns-001,practice,I use,applied,Ana\n")
    with pytest.raises(SchemaError) as raised:
        load_codes(path)
    assert str(raised.value) == str(path) + (
        ": row 2 gives no start and end: they are found from each code's quote "
        "in the text it codes, and no texts were given (load_codes(..., stories=...); "
        "load_corpus and check give the study's own)"
    )


def test_find_quote_prefers_the_quote_as_written_and_whole_words():
    from copanalysis.io.codes import find_quote

    text = "Ask first. ask FIRST. Asking first."
    assert find_quote("Ask first", text) == [(0, 9)]  # exactly, though "ask FIRST" is loose
    assert find_quote("ask first", text) == [(0, 9), (11, 20)]
    assert find_quote("sk first", text) == [(1, 9)]  # inside a word when nothing else fits
    assert find_quote("  ", text) == []


def test_a_quote_written_as_a_quotation_is_found_without_its_marks_and_ellipses():
    """Trial 31: a hand coder wrote quotes as they cite them in a report, in quotation
    marks and with "..." for words left out, and every such quote was "not found"."""
    from copanalysis.io.codes import find_quote

    text = "We met in May. Since then I use the checklist (every visit), really."
    said = {
        "\u201cI use the checklist\u201d": "I use the checklist",
        "'Since then I use the checklist ...'": "Since then I use the checklist",
        "\u2026I use the checklist (every visit), really.": text[26:],
        '"Since then [...] really."': "Since then I use the checklist (every visit), really.",
        "We met \u2026 the checklist (\u2026), really": text[:-1],
        "we met . . . in may": "We met in May",  # and loosely: case
    }
    for quote, passage in said.items():
        ((start, end),) = find_quote(quote, text)
        assert text[start:end] == passage, quote
    assert find_quote("\u201cWe met \u2026 in June\u201d", text) == []  # a part is not there
    assert find_quote("\u2026in May\u2026 Since", text) == [(7, 20)]
    path_text = "We met. We met again."
    assert find_quote("\u201cWe met\u2026 again.\u201d", path_text) == [(0, 21), (8, 21)]


def test_a_field_may_be_named_by_the_question_the_survey_asked(tmp_path):
    """Trial 30: a spreadsheet coder named each code's field by the survey's question
    ("What did you get out of it?"), as the export shows it, and every row was an error."""
    from copanalysis.io.codes import match_codes
    from copanalysis.io.stories import load_stories

    survey = tmp_path / "survey.csv"
    survey.write_text(
        "Response ID,1. What did you get out of it? *,How did you use it in your classroom?\n"
        "r1,I learned to ask first.,I use the checklist now.\n",
        encoding="utf-8",
    )
    mapping = {
        "1. What did you get out of it? *": "insights",
        "How did you use it in your classroom?": "practice",
    }
    stories = load_stories(survey, mapping=mapping)
    gold = tmp_path / "gold.csv"
    gold.write_text(
        "doc_id,field,quote,code,coder\n"
        "r1,What did you get out of it?,I learned to ask first.,potential,Ana\n"  # no number
        "r1,How did you use it in your classroom,I use the checklist,applied,Ana\n",  # no ?
        encoding="utf-8",
    )
    codes = load_codes(gold, stories=stories)
    assert codes[["field", "start", "end"]].values.tolist() == [
        ["insights", 0, 23],
        ["practice", 0, 19],
    ]
    # and with offsets, where match_codes reads the field
    offsets = tmp_path / "offsets.csv"
    offsets.write_text(
        "doc_id,field,start,end,code,coder\n"
        "r1,1. What did you get out of it? *,0,23,potential,Ana\n",
        encoding="utf-8",
    )
    matched = match_codes(load_codes(offsets), stories)
    assert matched["field"].tolist() == ["insights"]
    # a question the survey did not ask is still an error naming the fields there are
    offsets.write_text(
        "doc_id,field,start,end,code,coder\nr1,What will you do next?,0,23,potential,Ana\n",
        encoding="utf-8",
    )
    with pytest.raises(SchemaError, match="has no text in field 'What will you do next"):
        match_codes(load_codes(offsets), stories)


def test_a_field_the_export_does_not_name_says_where_its_quote_stands(tmp_path):
    """Trial 44: a Kobo export with XML names ("group_story/q_learned") and codes whose
    field is the form's question ("What did you learn or pick up from it?"): 77 of 77
    codes refused, none saying which field held its quote."""
    from copanalysis.io.stories import load_stories

    survey = tmp_path / "kobo.csv"
    survey.write_text(
        "_id;group_story/q_learned;group_story/q_changed\n"
        "41873201;I learnt to scout for fall armyworm early.;I plant in rows now.\n",
        encoding="utf-8",
    )
    stories = load_stories(survey, mapping={"group_story/q_changed": "practice"})
    gold = tmp_path / "gold.csv"
    gold.write_text(
        "doc_id,field,quote,code,coder\n"
        "41873201,What did you learn or pick up from it?,I learnt to scout,potential,Grace\n"
        "41873201,What did you learn or pick up from it?,the rains failed,potential,Grace\n",
        encoding="utf-8",
    )
    with pytest.raises(SchemaError) as raised:
        load_codes(gold, stories=stories)
    message = str(raised.value)
    assert (
        "row 2 ('41873201' 'What did you learn or pick up from it?' 'potential'): story "
        "'41873201' has no text in field 'What did you learn or pick up from it?' (it has "
        "insights, practice); its quote stands in 'insights': write that field, or leave "
        "the field empty and it is found from the quote"
    ) in message
    # a quote that stands nowhere is told as before, with no field to suggest
    assert "(it has insights, practice); row" in message or message.endswith(
        "(it has insights, practice)"
    )


def test_a_quote_in_a_column_not_read_as_a_field_names_the_column(tmp_path):
    """Trial 32: a Kobo question no field matched held the coded passage, and the error
    said only "is not in any field of '310000001' (insights, story)"."""
    from copanalysis.io.stories import load_stories

    survey = tmp_path / "kobo.csv"
    survey.write_text(
        "_id,What did you learn?,What did you do differently afterwards?,"
        "Anything else to tell us?\n"
        "310000001,I learned to use the timer.,Now I use the phone timer for every RDT.,"
        "The venue was too far from most of our posts.\n",
        encoding="utf-8",
    )
    stories = load_stories(
        survey,
        mapping={
            "_id": "story_id",
            "What did you learn?": "insights",
            "What did you do differently afterwards?": None,
        },
    )
    gold = tmp_path / "gold.csv"
    gold.write_text(
        "doc_id,field,quote,code,coder\n"
        "310000001,,Now I use the phone timer,applied,Ana\n"
        "310000001,practice,Now I use the phone timer,applied,Ana\n"
        "310000001,,too far from most of our posts,potential,Ana\n"
        "310000001,,the timer,potential,Ana\n",
        encoding="utf-8",
    )
    with pytest.raises(SchemaError) as raised:
        load_codes(gold, stories=stories)
    how = (
        "which was not read as a field: map that column to the field it answers (in the "
        "study folder's mapping.yaml, or mapping= in Python), and the code is placed there"
    )
    assert str(raised.value) == str(gold) + (
        ": 3 of 4 codes without start and end could not be placed by their quote: "
        "rows 2, 3: its quote 'Now I use the phone timer' stands in column 'What did you "
        f"do differently afterwards?', {how}; "
        "row 4 ('310000001' 'potential'): its quote 'too far from most of our posts' stands "
        f"in column 'Anything else to tell us?', {how}"
    )


def test_codes_of_no_codebook_are_named_by_check_not_left_out_unsaid(tmp_path):
    """Trial 34: a MAXQDA team's codes ("Realised value", "Potential value\\knowledge
    capital", "Quotes for report") named no codebook; 21 of 48 were left out of every
    figure while check said Ready and the report "Nothing else was left out"."""
    from copanalysis.io import check_study, load_corpus
    from copanalysis.io.provenance import format_load_report

    study = tmp_path / "study"
    (study / "stories").mkdir(parents=True)
    (study / "gold").mkdir()
    (study / "stories" / "int.txt").write_text(
        "I learned how the crosswalk works. We used the template. Recoding took six weeks.",
        encoding="utf-8",
    )
    (study / "gold" / "codes.csv").write_text(
        "doc_id,quote,code,coder\n"
        "int-001,I learned how the crosswalk works.,Potential value\\knowledge capital,Dina\n"
        "int-001,We used the template.,Applied,Dina\n"
        "int-001,Recoding took six weeks.,Realised value,Dina\n"
        "int-001,Recoding took six weeks.,Time and workload,Dina\n"
        "int-001,We used the template.,Quotes for report,Dina\n"
        "int-001,We used the template.,Quotes for report,Tom\n",
        encoding="utf-8",
    )
    gold = load_corpus(study).gold
    assert gold[["code", "codebook"]].fillna("(none)").values.tolist() == [
        ["potential", "value_cycles"],
        ["applied", "value_cycles"],
        ["realized", "value_cycles"],
        ["TIME", "enablers_challenges"],  # a code of another built-in codebook
        ["Quotes for report", "(none)"],
        ["Quotes for report", "(none)"],
    ]
    (entry,) = gold.attrs["load_report"]["files"]
    assert entry["unread_codes"] == {"Quotes for report": 2}
    (check,) = [c for c in check_study(study).files if c.folder == "gold"]
    said = format_load_report(check.report)
    assert (
        "note: 2 codes with no codebook named are no code of a built-in codebook and are left "
        "out of every figure: 'Quotes for report' (2);"
    ) in said
    assert check.attention
    # every passage a code left out codes has a code read too: nothing counts as no code
    assert "passages coded only with codes left out" not in said
    assert (
        "note: 4 codes read by their names: 'Potential value\\knowledge capital' as "
        "value_cycles 'potential' (1), 'Applied' as value_cycles 'applied' (1)"
    ) in said


def test_codes_read_in_part_say_their_other_passages_count_as_no_code(tmp_path):
    """Trial 45: of a QualCoder project's five cycle codes only 'Value creation\\Knowledge
    capital' (24 of 252) was read, as potential; the passages he coded 'Changed practice'
    then taught the coders that they hold no value, and check said nothing of it."""
    from copanalysis.io import check_study
    from copanalysis.io.provenance import format_load_report

    study = tmp_path / "study"
    (study / "stories").mkdir(parents=True)
    (study / "gold").mkdir()
    (study / "stories" / "int.txt").write_text(
        "I learned how the release process works. I now run pre-commit on every PR.",
        encoding="utf-8",
    )
    (study / "gold" / "codes.csv").write_text(
        "doc_id,quote,code,coder\n"
        "int-001,I learned how the release process works.,"
        "Value creation\\Knowledge capital,Tomasz\n"
        "int-001,I now run pre-commit on every PR.,Value creation\\Changed practice,Tomasz\n",
        encoding="utf-8",
    )
    (check,) = [c for c in check_study(study).files if c.folder == "gold"]
    assert (
        "some codes read as a built-in codebook's and others left out: their passages count "
        "as no code (listed above)"
    ) in check.attention
    said = format_load_report(check.report)
    assert "the passages coded only with codes left out (below) count as coded with none" in said


def test_a_maxqda_coded_segments_export_is_read_as_it_comes(tmp_path):
    """Trial 34: MAXQDA's "Export coded segments" took seven rounds of check: 'Code' was
    not 'code', the advice renamed its End (a paragraph number) to the character offset
    end, and the document "INT01_Natalia" was "no story" (its story is INT01_Natalia-001)."""
    from copanalysis.io import load_stories

    (tmp_path / "INT01_Natalia.txt").write_text(
        "I learned how the Armenian crosswalk works. We used the template.", encoding="utf-8"
    )
    stories = load_stories(tmp_path / "INT01_Natalia.txt")
    export = tmp_path / "coded segments.csv"
    export.write_text(
        "Color,Document group,Document name,Code,Begin,End,Segment,Created by\n"
        "#ff0000,Interviews,INT01_Natalia,Potential value\\Human capital,2,2,"
        "I learned how the Armenian crosswalk works.,Dina\n"
        "#00ff00,Interviews,INT01_Natalia,Applied,3,3,We used the template.,Dina\n",
        encoding="utf-8",
    )
    codes = load_codes(export, stories=stories)
    assert codes[["doc_id", "field", "start", "end", "code", "coder"]].values.tolist() == [
        ["INT01_Natalia-001", "story", 0, 43, "Potential value\\Human capital", "Dina"],
        ["INT01_Natalia-001", "story", 44, 65, "Applied", "Dina"],
    ]
    notes = codes.attrs["load_report"]["files"][0]["notes"]
    assert notes[:2] == [
        "columns read as the codes table's: 'Document name' as doc_id, 'Code' as code, "
        "'Segment' as quote, 'Created by' as coder",
        "'Begin' and 'End' left out: paragraph numbers, as MAXQDA exports them, not "
        "character offsets; each code is placed by its quote",
    ]
    assert (
        "documents named by their file, read as its one story: 'INT01_Natalia' as "
        "'INT01_Natalia-001'"
    ) in notes


def test_a_quote_copied_with_its_speaker_label_and_time_mark_is_found(tmp_path):
    """Trial 34: a MAXQDA coder coded a whole paragraph with its speaker's label and the
    f4 time mark, which the transcript reader leaves out of the story: "not found"."""
    from copanalysis.io.stories import load_stories

    transcript = tmp_path / "INT02_Bakyt.txt"
    transcript.write_text(
        "I: What stayed with you?\n"
        "Bakyt: After the visit we changed the budget form. #00:03:10-2#\n"
        "I: Did it change results?\n"
        "Bakyt: Yes, the ministry adopted it.\n",
        encoding="utf-8",
    )
    stories = load_stories(transcript)
    text = stories["story"].iloc[0]
    gold = tmp_path / "gold.csv"
    gold.write_text(
        "doc_id,quote,code,coder\n"
        "INT02_Bakyt-001,Bakyt: After the visit we changed the budget form. #00:03:10-2#,"
        "applied,Dina\n"
        'INT02_Bakyt-001,"Bakyt: Yes, the ministry adopted it.",realized,Dina\n',
        encoding="utf-8",
    )
    codes = load_codes(gold, stories=stories)
    assert [text[s:e] for s, e in codes[["start", "end"]].values] == [
        "After the visit we changed the budget form.",
        "Yes, the ministry adopted it.",
    ]
    assert codes["quote"].tolist() == [
        "After the visit we changed the budget form.",
        "Yes, the ministry adopted it.",
    ]
    assert (
        "2 found only with case, spacing, quotation marks, ellipses, speaker labels or "
        in (codes.attrs["load_report"]["files"][0]["notes"][0])
    )


def test_codes_of_an_id_two_files_repeat_say_what_it_is_read_as(tmp_path) -> None:
    """Trial 43: an import's stories took ids the survey had; each file's ids were read with
    the file's name before them, and every one of her 125 codes was refused as "no story
    or list item '5'", with no word of the renaming."""
    from copanalysis.errors import SchemaError
    from copanalysis.io import load_corpus

    study = tmp_path / "study"
    (study / "stories").mkdir(parents=True)
    (study / "gold").mkdir()
    for name in ("survey", "import"):
        (study / "stories" / f"{name}.csv").write_text(
            "ID,Insights\n5,We learned a new handover.\n", encoding="utf-8"
        )
    (study / "gold" / "codes.csv").write_text(
        "doc_id,field,quote,code,coder\n5,insights,We learned a new handover.,potential,Ana\n",
        encoding="utf-8",
    )
    with pytest.raises(SchemaError) as raised:
        load_corpus(study, progress=False)
    assert (
        "no story or list item '5' (ids two files repeat are read with the file's name before "
        "them: 'import-5', 'survey-5')"
    ) in str(raised.value)
