"""suggest: the least certain segments, and the review loop round trip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from copanalysis.coding.model import TextCoder
from copanalysis.coding.review import suggest
from copanalysis.errors import SchemaError
from copanalysis.io.review import REVIEW_COLUMNS, export_for_review, import_review

TEXTS = [
    "I learned a new idea",
    "we learned so much",
    "she learned the method",
    "I applied it at work",
    "we applied the checklist",
    "he applied the tool",
]
LABELS = [{"potential"}] * 3 + [{"applied"}] * 3
STORY = "We learned so much. Then it rained all day. =SUM(A1) we applied the checklist."


def _coder() -> TextCoder:
    return TextCoder(calibrate=False).fit(TEXTS, LABELS)


def _stories() -> pd.DataFrame:
    return pd.DataFrame({"story_id": ["s1"], "story": [STORY]})


def test_margin_puts_the_coin_toss_first() -> None:
    coder = _coder()
    picked = suggest(coder, _stories(), n=3)
    assert picked["quote"].tolist()[0] == "Then it rained all day."
    assert len(picked) == 3
    assert picked["uncertainty"].is_monotonic_decreasing
    proba = coder.predict_proba(picked["quote"].tolist())
    for i, (code, conf) in enumerate(zip(picked["code"], picked["confidence"], strict=True)):
        j = coder.classes_.tolist().index(code)
        assert conf == pytest.approx(proba[i, j])
        # the chosen code is the one closest to the threshold
        assert abs(conf - 0.5) == pytest.approx(np.abs(proba[i] - 0.5).min())
    assert set(picked["evidence"]) <= {
        "the coder would give it (confidence 0.50 or more)",
        "a guess below the coder's threshold (0.50): accept only if right",
    }  # not "not proposed", which read as the tool rejecting the code under review


def test_entropy_ranks_the_same_coin_toss_first() -> None:
    picked = suggest(_coder(), _stories(), n=1, by="entropy")
    assert picked["quote"].tolist() == ["Then it rained all day."]
    assert 0 < picked["uncertainty"].iloc[0] <= 1


def test_bad_arguments() -> None:
    with pytest.raises(SchemaError, match="n must be"):
        suggest(_coder(), _stories(), n=0)
    with pytest.raises(SchemaError, match="'kl'"):
        suggest(_coder(), _stories(), by="kl")  # type: ignore[arg-type]


def test_suggest_export_import_round_trip(tmp_path: Path) -> None:
    coder = _coder()
    picked = suggest(coder, _stories(), n=3)
    path = export_for_review(picked, _stories(), tmp_path / "review.xlsx")
    book = load_workbook(path)
    sheet = book["review"]
    decision = REVIEW_COLUMNS.index("decision") + 1
    other = REVIEW_COLUMNS.index("other_code") + 1
    quotes = [sheet.cell(row=r, column=REVIEW_COLUMNS.index("quote") + 1).value for r in (2, 3, 4)]
    for row, quote in zip((2, 3, 4), quotes, strict=True):
        if quote.startswith("'=SUM"):
            sheet.cell(row=row, column=decision).value = "other"
            sheet.cell(row=row, column=other).value = "realized"
        elif "rained" in quote:
            sheet.cell(row=row, column=decision).value = "reject"
        else:
            sheet.cell(row=row, column=decision).value = "accept"
    book.save(path)
    back = import_review(path, reviewer="Ana Ruiz")
    assert "Then it rained all day." not in back["quote"].tolist()
    formula = back[back["quote"].str.startswith("=SUM")]
    assert formula["code"].tolist() == ["realized"]
    assert formula["quote"].iloc[0] == "=SUM(A1) we applied the checklist."
    assert (back["coder"] == "Ana Ruiz").all()
    assert STORY[formula["start"].iloc[0] : formula["end"].iloc[0]] == formula["quote"].iloc[0]
