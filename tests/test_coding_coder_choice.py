"""coder_choice: the default coder is kept unless another beats it clearly, and a coder
that does not judge polarity never replaces one that does (trial 41)."""

from __future__ import annotations

import pandas as pd
import pytest

from copanalysis.coding.coder_choice import choose_coder, compare_with_default, macro_f1


def _counts(coder: str, right: list[bool], code: str = "applied") -> pd.DataFrame:
    """One code per story, found (tp) or missed (fn) by ``coder``."""
    return pd.DataFrame(
        {
            "doc_id": [f"s{i:02d}" for i in range(len(right))],
            "code": code,
            "tp": [int(r) for r in right],
            "fp": 0,
            "fn": [int(not r) for r in right],
            "coder": coder,
        }
    )


def test_macro_f1_matches_evaluate_on_the_same_codes() -> None:
    """Summed over stories, the counts give evaluate()'s macro F1 to the last digit."""
    import numpy as np

    from copanalysis.coding.evaluation import document_counts, evaluate

    stories = pd.DataFrame(
        {
            "story_id": ["a", "b", "c"],
            "story": ["I learned a lot. We met.", "I changed my lesson.", "It was useful."],
        }
    )
    span = {"field": "story", "codebook": "value_cycles"}
    person = pd.DataFrame(
        {"doc_id": ["a", "a", "b", "c"], "start": [0, 17, 0, 0], "end": [16, 24, 20, 14],
         "code": ["potential", "immediate", "applied", "potential"], "coder": "Ana", **span}
    )  # fmt: skip
    machine = person.iloc[[0, 2]].assign(coder="rules")
    machine = pd.concat([machine, person.iloc[[3]].assign(code="applied", coder="rules")])
    counts = document_counts(person, machine, stories, codebook="value_cycles")
    summed = counts.groupby("code", sort=False)[["tp", "fp", "fn"]].sum().to_numpy()

    class Fixed:  # a coder that codes what it was given, as a fitted coder codes
        codebook, unit, learns, coder_ = "value_cycles", "sentence", False, "fixed"

        def code(self, frame, **_):
            return machine

    table = evaluate(Fixed(), person, stories, cv=0, n_boot=0)
    f1 = float(table.loc[table["code"] == "(macro avg)", "f1"].iloc[0])
    assert float(macro_f1(summed)) == pytest.approx(f1, abs=1e-12)
    assert f1 == pytest.approx((2 / 3 + 0 + 2 / 3) / 3)  # potential, immediate, applied
    assert counts["tp"].sum() == 2 and counts["fp"].sum() == 1 and counts["fn"].sum() == 2
    assert np.array_equal(counts["doc_id"].unique(), ["a", "b", "c"])


def test_a_coder_better_by_a_hair_leaves_the_default_in_place() -> None:
    """Trial 41: the TF-IDF coder was chosen on macro F1 0.64 against 0.63 on 30 stories."""
    default = _counts("semantic", [True, False] * 15)  # 15 of 30 found: F1 30/45
    close = _counts("ensemble", [True, True] + [True, False] * 14)  # one more: F1 32/46
    comparison = compare_with_default(pd.concat([default, close]), default="semantic")
    row = comparison.iloc[0]
    assert row["difference"] == pytest.approx(32 / 46 - 30 / 45)
    assert (row["coder"], row["default"], row["confidence"], row["stories"]) == (
        "ensemble",
        "semantic",
        0.95,
        30,
    )
    assert row["low"] == 0.0  # the resamples without the one story it adds
    chosen, why = choose_coder(
        {"semantic": 30 / 45, "ensemble": 32 / 46},
        comparison,
        default="semantic",
        judges_polarity={"semantic": True, "ensemble": True},
        main_coder="Tomás",
    )
    assert chosen == "semantic"
    assert why == (
        "cross-validated macro F1 against Tomás: semantic 0.67, ensemble 0.70; semantic, the "
        "default, kept: no coder beat it beyond the uncertainty of the difference (ensemble "
        f"+0.03 [+0.00, +{row['high']:.2f}]: the other coder's macro F1 minus semantic's, 95% "
        "paired bootstrap interval over Tomás's 30 stories)"
    )


def test_the_difference_is_bootstrapped_over_stories_paired() -> None:
    """Half the stories only the default finds, half only the other coder: the same F1, and
    an interval that spans 0 on both sides; every story found by one and missed by the other
    gives an interval of that one difference alone."""
    even = pd.concat(
        [_counts("semantic", [True, False] * 10), _counts("model", [False, True] * 10)],
        ignore_index=True,
    )
    found = compare_with_default(even, default="semantic", n_resamples=999).iloc[0]
    assert found["difference"] == 0.0
    assert found["low"] < 0 < found["high"]
    sure = pd.concat(
        [_counts("semantic", [False] * 12), _counts("rules", [True] * 12)], ignore_index=True
    )
    found = compare_with_default(sure, default="semantic", n_resamples=999).iloc[0]
    assert (found["difference"], found["low"], found["high"]) == (1.0, 1.0, 1.0)


def test_intervals_are_bonferroni_corrected_for_the_coders_compared() -> None:
    counts = pd.concat(
        [_counts(name, [True, False] * 6) for name in ("semantic", "rules", "model", "ensemble")],
        ignore_index=True,
    )
    comparison = compare_with_default(counts, default="semantic", n_resamples=199)
    assert comparison["coder"].tolist() == ["rules", "model", "ensemble"]
    assert comparison["confidence"].tolist() == [0.9833] * 3
    assert comparison["difference"].tolist() == [0.0] * 3


def test_a_clearly_better_coder_replaces_the_default_and_why_gives_its_figures() -> None:
    counts = pd.concat(
        [_counts("semantic", [False] * 12), _counts("ensemble", [True] * 12),
         _counts("rules", [False] * 12)],
        ignore_index=True,
    )  # fmt: skip
    comparison = compare_with_default(counts, default="semantic", n_resamples=999)
    scores = {"rules": 0.0, "semantic": 0.0, "ensemble": 1.0}
    chosen, why = choose_coder(
        scores,
        comparison,
        default="semantic",
        judges_polarity=dict.fromkeys(scores, True),
        main_coder="Ana",
    )
    assert chosen == "ensemble"
    assert why == (
        "cross-validated macro F1 against Ana: rules 0.00, semantic 0.00, ensemble 1.00; "
        "ensemble chosen over semantic, the default: its macro F1 is higher beyond the "
        "uncertainty of the difference, by +1.00 [+1.00, +1.00] (97.5% paired bootstrap "
        "intervals over Ana's 12 stories, 95% for the 2 comparisons together)"
    )


def test_a_coder_that_does_not_judge_polarity_never_replaces_one_that_does() -> None:
    """Trial 41: the model coder's codes are all +1 ("It made no difference to my
    teaching" counted as applied value), and macro F1 cannot see it."""
    counts = pd.concat(
        [_counts("semantic", [False] * 12), _counts("model", [True] * 12)], ignore_index=True
    )
    comparison = compare_with_default(counts, default="semantic", n_resamples=999)
    scores = {"model": 1.0, "semantic": 0.0}
    chosen, why = choose_coder(
        scores,
        comparison,
        default="semantic",
        judges_polarity={"model": False, "semantic": True},
        main_coder="Ana",
    )
    assert chosen == "semantic"
    assert why == (
        "cross-validated macro F1 against Ana: model 1.00, semantic 0.00; semantic, the "
        "default, kept: no coder beat it beyond the uncertainty of the difference (model "
        "+1.00 [+1.00, +1.00]: the other coder's macro F1 minus semantic's, 95% paired "
        "bootstrap interval over Ana's 12 stories); model does not judge polarity (its codes "
        "are all +1, so value told as absent counts as value), and macro F1 cannot show that "
        "loss, so it is not chosen over semantic, which does"
    )
    # a default that does not judge polarity either (the semantic coder not installed) is
    # replaced by a coder that does, or one that does not, when they beat it clearly
    for polar in (True, False):
        counts = pd.concat(
            [_counts("model", [False] * 12), _counts("rules", [True] * 12)], ignore_index=True
        )
        comparison = compare_with_default(counts, default="model", n_resamples=999)
        chosen, _ = choose_coder(
            {"rules": 1.0, "model": 0.0},
            comparison,
            default="model",
            judges_polarity={"model": False, "rules": polar},
            main_coder="Ana",
        )
        assert chosen == "rules"


def test_with_no_other_coder_the_default_is_kept() -> None:
    counts = _counts("semantic", [True, False])
    comparison = compare_with_default(counts, default="semantic")
    assert comparison.empty
    chosen, why = choose_coder(
        {"semantic": 0.5}, comparison, default="semantic", judges_polarity={}, main_coder="Ana"
    )
    assert (chosen, why) == ("semantic", "cross-validated macro F1 against Ana: semantic 0.50")
