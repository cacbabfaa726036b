"""Write the development set's author-coded units as package data the coders learn from.

``data/dev`` is the source (a study folder with its sources, licences and locators); this
script writes ``copanalysis/codebooks/data/<corpus>.published.csv`` from it, in the
training corpus's columns, so that an installed package can learn from real published
units (:meth:`copanalysis.codebooks.Codebook.published_units`). ``tests/test_devset.py``
fails when the package data and ``data/dev`` disagree. Run it after editing ``data/dev``::

    .venv/bin/python tests/published_units.py
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "data" / "dev"
PACKAGE_DATA = ROOT / "copanalysis" / "codebooks" / "data"

#: The dev set's kinds of unit, as the training corpus's voices.
_VOICES = {
    "interview_quote": "member",
    "survey_comment": "survey",
    "story_excerpt": "member",
    "evaluator_statement": "evaluator",
    "researcher_theme_statement": "evaluator",
}
COLUMNS = ["unit_id", "text", "codes", "polarity", "kind", "sector", "voice", "hard_case"]


def _codes(gold: pd.DataFrame, book: str) -> pd.DataFrame:
    """Per unit, its codes in the authors' order and the polarity of the first."""
    rows = gold[gold["codebook"] == book]
    return rows.groupby("doc_id", sort=False).agg(
        codes=("code", lambda c: ";".join(dict.fromkeys(c))), polarity=("polarity", "first")
    )


def published(book: str) -> pd.DataFrame:
    """The published units of one built-in corpus, as the package data holds them.

    Value-cycle units are the quotes and statements with their authors' cycles; enabler
    and challenge statements carry the mapped theme and the authors' kind (polarity +1
    for an enabler, -1 for a challenge). A statement whose label maps to no theme is left
    out: it would teach "no code" for a statement that has one.
    """
    gold = pd.read_csv(DEV / "gold" / "published_codes.csv", dtype={"doc_id": str})
    codes = _codes(gold, book)
    if book == "value_cycles":
        units = pd.read_csv(DEV / "stories" / "value_cycles_published.csv", dtype=str)
        frame = pd.DataFrame(
            {
                "unit_id": units["story_id"],
                "text": units["story"],
                "kind": "",
                "voice": units["unit"].map(_VOICES),
            }
        )
    else:
        units = pd.read_csv(DEV / "lists" / "enablers_challenges_published.csv", dtype=str)
        frame = pd.DataFrame(
            {
                "unit_id": units["item_id"],
                "text": units["text"],
                "kind": units["kind"],
                "voice": "list",
            }
        )
    frame = frame.join(codes, on="unit_id", how="inner")
    if book != "value_cycles":
        frame["polarity"] = frame["kind"].map({"enabler": 1, "challenge": -1})
    frame = frame.assign(sector="", hard_case="", polarity=frame["polarity"].astype(int))
    if frame["voice"].isna().any():
        raise ValueError(f"unknown unit types: {sorted(set(units['unit']) - set(_VOICES))}")
    return frame[COLUMNS].reset_index(drop=True)


def main() -> None:
    for book in ("value_cycles", "enablers_challenges"):
        path = PACKAGE_DATA / f"{book}.published.csv"
        published(book).to_csv(path, index=False, lineterminator="\n")
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
