"""Review sheets: export, fill in, import, with formula-looking cells kept as text."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from copanalysis.errors import FileFormatError, MissingColumnError, UnsupportedFormatError
from copanalysis.io.review import REVIEW_COLUMNS, export_for_review, import_review

STORY = "Our team met weekly. =SUM(A1:A3) saved us 3 hours. @Ben helped a lot."


def _at(quote: str) -> tuple[int, int]:
    start = STORY.index(quote)
    return start, start + len(quote)


def _codes() -> pd.DataFrame:
    spans = [
        (_at("=SUM(A1:A3) saved us 3 hours."), "realized"),
        (_at("@Ben helped a lot."), "immediate"),
        (_at("Our team met weekly."), "immediate"),
    ]
    spans = [(s, e, c) for (s, e), c in spans]
    return pd.DataFrame(
        {
            "doc_id": "s1",
            "field": "story",
            "start": [s for s, _, _ in spans],
            "end": [e for _, e, _ in spans],
            "quote": [STORY[s:e] for s, e, _ in spans],
            "codebook": "value_cycles",
            "code": [c for _, _, c in spans],
            "polarity": 1,
            "coder": "model:value_cycles@abc123",
            "confidence": [0.52, 0.48, 0.61],
            "evidence": ["save (+1.10)", "help (+0.40)", "meet (+0.90)"],
        }
    )


def _stories() -> pd.DataFrame:
    return pd.DataFrame({"story_id": ["s1"], "story": [STORY]})


def _fill(path: Path, decisions: list[str], others: list[str]) -> None:
    book = load_workbook(path)
    sheet = book["review"]
    d = REVIEW_COLUMNS.index("decision") + 1
    o = REVIEW_COLUMNS.index("other_code") + 1
    for row, (decision, other) in enumerate(zip(decisions, others, strict=True), start=2):
        sheet.cell(row=row, column=d).value = decision
        sheet.cell(row=row, column=o).value = other or None
    book.save(path)


def test_xlsx_layout_and_formula_cells_stay_text(tmp_path: Path) -> None:
    path = export_for_review(_codes(), _stories(), tmp_path / "review.xlsx")
    book = load_workbook(path)
    sheet = book["review"]
    assert [c.value for c in sheet[1]] == list(REVIEW_COLUMNS)
    assert sheet.freeze_panes == "A2"
    quote = sheet.cell(row=2, column=REVIEW_COLUMNS.index("quote") + 1)
    assert quote.data_type == "s"
    assert quote.value == "'=SUM(A1:A3) saved us 3 hours."
    assert (
        sheet.cell(row=3, column=REVIEW_COLUMNS.index("quote") + 1).value == "'@Ben helped a lot."
    )
    context = sheet.cell(row=2, column=REVIEW_COLUMNS.index("context") + 1).value
    assert "[[=SUM(A1:A3) saved us 3 hours.]]" in context
    validations = sheet.data_validations.dataValidation
    assert len(validations) == 1
    assert validations[0].formula1 == '"accept,reject,other"'
    assert str(validations[0].sqref) == "I2:I4"
    assert sheet.column_dimensions["G"].width == 60  # quote


def test_xlsx_round_trip_accept_reject_other(tmp_path: Path) -> None:
    path = export_for_review(_codes(), _stories(), tmp_path / "review.xlsx")
    _fill(path, ["accept", "other", "reject"], ["", "enabling", ""])
    back = import_review(path, reviewer="Ana Ruiz")
    assert back["code"].tolist() == ["realized", "enabling"]
    assert back["coder"].unique().tolist() == ["Ana Ruiz"]
    assert back["quote"].tolist() == [
        "=SUM(A1:A3) saved us 3 hours.",
        "@Ben helped a lot.",
    ]
    assert back[["start", "end"]].to_numpy().tolist() == [list(_at(q)) for q in back["quote"]]
    assert back["confidence"].tolist() == [1.0, 1.0]
    assert back["evidence"].iloc[1] == "review (other) of model:value_cycles@abc123"
    assert str(back["start"].dtype) == "int64"


def test_csv_round_trip_keeps_formula_text(tmp_path: Path) -> None:
    path = export_for_review(_codes(), _stories(), tmp_path / "review.csv")
    raw = path.read_text(encoding="utf-8")
    assert "'=SUM(A1:A3)" in raw
    sheet = pd.read_csv(path, dtype=str, keep_default_na=False)
    sheet["decision"] = ["accept", "", "accept"]
    sheet.to_csv(path, index=False)
    back = import_review(path, reviewer="Ana Ruiz")
    assert back["quote"].tolist() == ["=SUM(A1:A3) saved us 3 hours.", "Our team met weekly."]


def test_bad_decision_names_file_row_and_column(tmp_path: Path) -> None:
    path = export_for_review(_codes(), _stories(), tmp_path / "review.xlsx")
    _fill(path, ["accept", "maybe", ""], ["", "", ""])
    with pytest.raises(FileFormatError, match=r"review.xlsx, row 3, column 'decision'.*maybe"):
        import_review(path, reviewer="Ana")
    _fill(path, ["other", "", ""], ["", "", ""])
    with pytest.raises(FileFormatError, match=r"row 2, column 'other_code'"):
        import_review(path, reviewer="Ana")
    # trial 29: "realised" was imported as a code of its own, and counted as a disagreement;
    # it is the British spelling of realized (trial 34), and a misspelling is refused
    _fill(path, ["other", "other", ""], ["Realized value", "realised", ""])
    assert import_review(path, reviewer="Ana")["code"].tolist() == ["realized", "realized"]
    _fill(path, ["other", "other", ""], ["Realized value", "realzed", ""])
    with pytest.raises(
        FileFormatError,
        match=r"row 3, column 'other_code'.*no code 'realzed' \(did you mean 'realized'\?\)",
    ):
        import_review(path, reviewer="Ana")
    _fill(path, ["other", "other", ""], ["Realized value", "applied", ""])
    assert import_review(path, reviewer="Ana")["code"].tolist() == ["realized", "applied"]


def test_missing_columns_and_unsupported_suffix(tmp_path: Path) -> None:
    bad = tmp_path / "r.csv"
    bad.write_text("doc_id,code\ns1,x\n", encoding="utf-8")
    with pytest.raises(MissingColumnError, match=r"r.csv.*decision"):
        import_review(bad, reviewer="Ana")
    with pytest.raises(UnsupportedFormatError, match=r"r.txt"):
        export_for_review(_codes(), None, tmp_path / "r.txt")


def test_a_sheet_saved_by_a_european_excel_is_read(tmp_path: Path) -> None:
    path = export_for_review(_codes(), _stories(), tmp_path / "review.csv")
    sheet = pd.read_csv(path, dtype=str, keep_default_na=False)
    sheet["decision"] = ["accept", "", "Accept"]
    sheet = sheet.rename(columns={"decision": "Decision"})  # a reviewer's capital
    # "CSV (semicolon delimited)" in cp1252: it was "lacks column(s) doc_id, ..."
    sheet.to_csv(path, index=False, sep=";", encoding="cp1252")
    back = import_review(path, reviewer="Zoë")
    assert back["code"].tolist() == ["realized", "immediate"]


@pytest.mark.parametrize(
    ("column", "value", "said"),
    [
        ("polarity", "negative", r"column 'polarity'.*'negative' is not -1, 0 or 1"),
        ("polarity", "2", r"column 'polarity'.*polarity 2; expected -1, 0 or 1"),
        ("start", "3.7", r"column 'start'.*'3.7' is not an offset"),
        ("end", "1", r"column 'end'.*end 1 is before start"),
        ("code", "", r"column 'code'.*decision 'accept' on a row with no code"),
    ],
)
def test_impossible_cells_name_file_row_and_column(tmp_path, column, value, said) -> None:
    path = export_for_review(_codes(), _stories(), tmp_path / "review.csv")
    sheet = pd.read_csv(path, dtype=str, keep_default_na=False)
    sheet["decision"] = "accept"
    sheet.loc[1, column] = value
    sheet.to_csv(path, index=False)
    with pytest.raises(FileFormatError, match=r"review.csv, row 3, " + said):
        import_review(path, reviewer="Ana")


def test_training_on_a_review_sheet_reads_only_the_spans_decided_on(tmp_path: Path) -> None:
    from copanalysis.codebooks.codebook import builtin_codebook
    from copanalysis.coding.training import code_labels

    stories = pd.DataFrame({"story_id": ["s1", "s2"], "story": [STORY, "We met. It rained."]})
    rejected = pd.DataFrame(
        {"doc_id": "s2", "field": "story", "start": [0], "end": [7], "quote": ["We met."],
         "codebook": "value_cycles", "code": ["realized"], "polarity": 1, "coder": "m",
         "confidence": 0.5, "evidence": ""}
    )  # fmt: skip
    codes = pd.concat([_codes(), rejected], ignore_index=True)
    path = export_for_review(codes, None, tmp_path / "review.csv")
    sheet = pd.read_csv(path, dtype=str, keep_default_na=False)
    sheet["decision"] = ["accept", "reject", "", "reject"]  # the third never looked at
    sheet.to_csv(path, index=False)
    back = import_review(path, reviewer="Ana")
    assert back.attrs["reviewed"] == [
        ("s1", "story", *_at("=SUM(A1:A3) saved us 3 hours.")),
        ("s1", "story", *_at("@Ben helped a lot.")),
        ("s2", "story", 0, 7),
    ]
    labelled = code_labels(stories, back, codebook=builtin_codebook("value_cycles"))
    # the unread sentences ("Our team met weekly.", "It rained.") are no "no code" example,
    # and s2, whose only row was rejected, is not dropped
    assert dict(zip(labelled["text"], labelled["codes"], strict=True)) == {
        "=SUM(A1:A3) saved us 3 hours.": {"realized"},
        "@Ben helped a lot.": set(),
        "We met.": set(),
    }


def test_a_sheet_in_gold_says_what_was_read_and_names_its_reviewer(tmp_path: Path) -> None:
    """As gold/ reads it: the reviewer named after the file, each decision counted, the
    undecided row named and left unread (neither a code nor a rejection)."""
    from copanalysis.io.review import is_review_sheet, load_review_sheet, reviewed_by

    path = export_for_review(_codes(), _stories(), tmp_path / "Ana Ruiz.xlsx")
    _fill(path, ["reject", "", "Other"], ["", "", "potential"])
    assert is_review_sheet(path)
    codes = load_review_sheet(path)
    assert codes[["code", "coder"]].values.tolist() == [["potential", "Ana Ruiz"]]
    entry = codes.attrs["load_report"]["files"][0]
    assert entry["review"] == {"accepted": 0, "corrected": 1, "rejected": 1, "undecided": 1}
    assert entry["format"] == "review sheet (xlsx)"
    assert entry["notes"][2] == (
        "1 row with no decision (row 3) not read: neither accepted nor rejected, their "
        "passages count as unread"
    )
    assert reviewed_by(codes) == {
        "Ana Ruiz": [("s1", "story", *_at("=SUM(A1:A3) saved us 3 hours.")),
                     ("s1", "story", *_at("Our team met weekly."))],
    }  # fmt: skip
    plain = tmp_path / "codes.csv"
    plain.write_text("doc_id,field,start,end,code,coder\ns1,story,0,5,applied,Ana\n")
    assert not is_review_sheet(plain)
