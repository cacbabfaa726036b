"""exemplars: the quotes that show what a code means."""

from __future__ import annotations

import pandas as pd

from copanalysis.analysis.exemplars import exemplars


def _codes(quotes: list[str], confidence: list[float]) -> pd.DataFrame:
    n = len(quotes)
    return pd.DataFrame(
        {
            "doc_id": [f"s{i}" for i in range(n)],
            "field": "activities",
            "start": 0,
            "end": [len(q) for q in quotes],
            "quote": quotes,
            "code": "immediate",
            "polarity": 1,
            "coder": "machine",
            "confidence": confidence,
        }
    )


def test_a_quote_of_a_word_or_two_comes_after_every_longer_one() -> None:
    """Trial 28: "Honestly?" at 0.95 was the report's quote for immediate value."""
    codes = _codes(
        ["Honestly?", "Great night.", "The calving night at Tom's was brilliant.", "Good fun"],
        [0.96, 0.94, 0.61, 0.9],
    )
    picked = exemplars(codes, n=3)
    assert picked["quote"].tolist() == [
        "The calving night at Tom's was brilliant.",
        "Honestly?",
        "Great night.",
    ]
    # with only short quotes, the most confident still stands for the code
    assert exemplars(codes.iloc[[0, 1]], n=1)["quote"].tolist() == ["Honestly?"]


def test_most_confident_first_and_the_shorter_on_a_tie() -> None:
    codes = _codes(
        ["We tried the new rota.", "We tried the new rota on every ward.", "It was useful."],
        [0.8, 0.8, 0.9],
    )
    assert exemplars(codes, n=3)["quote"].tolist() == [
        "It was useful.",
        "We tried the new rota.",
        "We tried the new rota on every ward.",
    ]
