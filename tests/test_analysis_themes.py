"""theme_balance of enabler and challenge codes."""

from __future__ import annotations

import pandas as pd

from copanalysis.analysis.themes import theme_balance

CODES = pd.DataFrame(
    [
        ("i1", "TIME", 1, "enablers_challenges"),
        ("i2", "TIME", -1, "enablers_challenges"),
        ("i3", "TIME", -1, "enablers_challenges"),
        ("i3", "TIME", -1, "enablers_challenges"),  # same item twice: once
        ("i4", "SPONSOR", 1, "enablers_challenges"),
        ("i5", "SPONSOR", 0, "enablers_challenges"),
        ("i6", "TECH", -1, "enablers_challenges"),
        ("i7", "applied", 1, "value_cycles"),  # another codebook: ignored
    ],
    columns=["doc_id", "code", "polarity", "codebook"],
).assign(field="text", start=0, end=5, coder="me")
BOOK = pd.DataFrame(
    {
        "code": ["TIME", "TECH", "SPONSOR", "TRUST"],
        "label": ["Time & workload", "Technology", "Sponsorship", "Trust & safety"],
    }
)


def test_counts_each_sign_by_document_and_sorts_by_total():
    balance = theme_balance(CODES, codebook=BOOK)
    assert list(balance.columns) == [
        "code", "label", "n_enablers", "n_challenges", "n_neutral", "net",
    ]  # fmt: skip
    assert balance.to_dict("records") == [
        {"code": "TIME", "label": "Time & workload", "n_enablers": 1, "n_challenges": 2,
         "n_neutral": 0, "net": -1},
        {"code": "SPONSOR", "label": "Sponsorship", "n_enablers": 1, "n_challenges": 0,
         "n_neutral": 1, "net": 1},
        {"code": "TECH", "label": "Technology", "n_enablers": 0, "n_challenges": 1,
         "n_neutral": 0, "net": -1},
        {"code": "TRUST", "label": "Trust & safety", "n_enablers": 0, "n_challenges": 0,
         "n_neutral": 0, "net": 0},
    ]  # fmt: skip


def test_without_codebook_labels_are_ids_and_other_codebooks_are_ignored():
    balance = theme_balance(CODES, codebook=None)
    assert balance["code"].tolist() == ["TIME", "SPONSOR", "TECH"]
    assert balance["label"].tolist() == ["TIME", "SPONSOR", "TECH"]


def test_hand_made_codes_without_codebook_or_polarity():
    codes = pd.DataFrame(
        {"doc_id": ["a", "b"], "field": "text", "start": 0, "end": 3,
         "code": ["TIME", "TIME"], "coder": "ann"}
    )  # fmt: skip
    balance = theme_balance(codes, codebook=None)
    assert balance.loc[0, ["n_enablers", "n_challenges", "n_neutral"]].tolist() == [0, 0, 2]
