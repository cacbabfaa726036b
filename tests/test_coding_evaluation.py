"""evaluate: per-code scores against hand-built gold codes, CV by document."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from copanalysis.codebooks.codebook import Code, Codebook
from copanalysis.coding.evaluation import MACRO, MICRO, _scores, evaluate
from copanalysis.coding.model import TextCoder
from copanalysis.errors import SchemaError

LEARN = ["I learned a new idea.", "We learned so much.", "She learned the method."]
APPLY = ["I applied it at work.", "We applied the checklist.", "He applied the tool."]


def _book() -> Codebook:
    return Codebook("mini", "1", (Code("potential", "Potential"), Code("applied", "Applied")))


def _corpus(n: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    stories, rows = [], []
    for i in range(n):
        learn, apply = LEARN[i % 3], APPLY[(i + 1) % 3]
        text = f"{learn} {apply}"
        stories.append((f"s{i}", text))
        rows.append((f"s{i}", "story", 0, len(learn), learn, "potential", "Ana"))
        at = len(learn) + 1
        rows.append((f"s{i}", "story", at, at + len(apply), apply, "applied", "Ana"))
    frame = pd.DataFrame(stories, columns=["story_id", "story"])
    gold = pd.DataFrame(
        rows, columns=["doc_id", "field", "start", "end", "quote", "code", "coder"]
    )
    return frame, gold.assign(codebook="mini", polarity=1)


def test_scores_table_values() -> None:
    truth = pd.DataFrame({"a": [1, 1, 0, 0], "b": [0, 1, 0, 1]}).to_numpy()
    guess = pd.DataFrame({"a": [1, 0, 0, 0], "b": [0, 1, 1, 1]}).to_numpy()
    table = _scores(truth, guess, ["a", "b"]).set_index("code")
    assert table.loc["a", ["precision", "recall"]].tolist() == [1.0, 0.5]
    assert table.loc["b", ["precision", "recall"]].tolist() == pytest.approx([2 / 3, 1.0])
    assert table.loc["b", "cohen_kappa"] == pytest.approx(
        cohen_kappa_score([0, 1, 0, 1], [0, 1, 1, 1])
    )
    assert pd.isna(table.loc["a", "cohen_kappa"])  # the machine applied "a" once: too few
    assert table.loc["a", "support"] == 2 and table.loc["b", "predicted"] == 3
    # micro: tp 3, fp 1, fn 1
    assert table.loc[MICRO, ["precision", "recall", "f1"]].tolist() == pytest.approx([0.75] * 3)
    assert table.loc[MACRO, "f1"] == pytest.approx((2 / 3 + 0.8) / 2)


def test_one_code_is_scored_on_its_presence_not_its_absence() -> None:
    """Trial 45: a gold set of one code (a QDA project whose only code the codebook read
    was "Knowledge capital") is a one-column matrix, "binary" to scikit-learn, which scored
    label 0, the code's absence: support 312 of 336 sentences, F1 0.97 for a coder that found
    10 of 24, and the micro row was accuracy; `run` reported them."""
    truth = np.array([[1], [1], [0], [0], [0], [0]])
    guess = np.array([[1], [0], [0], [0], [0], [1]])
    table = _scores(truth, guess, ["potential"], n_boot=0).set_index("code")
    assert table.loc["potential", ["precision", "recall", "f1"]].tolist() == pytest.approx(
        [0.5, 0.5, 0.5]
    )
    assert table.loc["potential", ["support", "predicted"]].tolist() == [2, 2]
    for average in (MICRO, MACRO):
        assert table.loc[average, ["precision", "recall", "f1"]].tolist() == pytest.approx(
            [0.5, 0.5, 0.5]
        )


def test_a_code_applied_once_gets_no_kappa_as_in_agreement() -> None:
    """Trial 33: evaluate gave potential_social (support 1) kappa 1.00 for one coder and 0.00
    for another, while agreement said "too few to estimate" for the same code."""
    truth = pd.DataFrame(
        {"social": [1, 0, 0, 0, 0], "tangible": [0, 1, 0, 0, 0], "applied": [1, 1, 0, 0, 1]}
    ).to_numpy()
    guess = pd.DataFrame(
        {"social": [1, 0, 0, 0, 0], "tangible": [0, 0, 0, 0, 0], "applied": [1, 1, 0, 1, 1]}
    ).to_numpy()
    table = _scores(truth, guess, ["social", "tangible", "applied"]).set_index("code")
    assert table["fewest_applied"].tolist() == [1, 0, 3, 5, 5]
    kappa = cohen_kappa_score([1, 1, 0, 0, 1], [1, 1, 0, 1, 1])
    assert table["cohen_kappa"].tolist()[2:4] == pytest.approx(
        [kappa, cohen_kappa_score(truth.ravel(), guess.ravel())]
    )
    assert table["cohen_kappa"].isna().tolist() == [True, True, False, False, False]
    assert table.loc[MACRO, "cohen_kappa"] == pytest.approx(kappa)  # of the codes with one
    # no kappa, no interval; the macro average's resamples average the codes with one
    no_interval = table[["kappa_low", "kappa_high"]].isna().all(axis=1)
    assert no_interval.tolist() == [True, True, False, False, False]
    assert table.loc["social", "f1"] == 1.0  # precision, recall and F1 are kept


def test_learned_coder_cross_validated_by_document() -> None:
    frame, gold = _corpus()
    table = evaluate(TextCoder(_book(), calibrate=False), gold, frame, cv=5)
    assert table["code"].tolist() == ["potential", "applied", MICRO, MACRO]
    assert table.attrs["cv"] == 5 and table.attrs["units"] == 20
    assert table.attrs["gold"] == ["Ana"]
    row = table.set_index("code").loc[MICRO]
    assert row["support"] == 20
    assert row["f1"] == 1.0  # the two codes use disjoint words


def test_doc_unit_and_gold_coder_choice() -> None:
    frame, gold = _corpus()
    extra = gold.iloc[:2].assign(coder="Ben")  # Ben coded one story
    table = evaluate(
        TextCoder(_book(), calibrate=False), pd.concat([gold, extra]), frame, cv=2, unit="doc"
    )
    assert table.attrs["gold"] == ["Ana"]
    assert table.attrs["units"] == 10
    assert table.set_index("code").loc["potential", "support"] == 10


def test_rule_coder_is_scored_without_folds() -> None:
    from copanalysis.coding.rules import RuleCoder

    book = Codebook(
        "mini",
        "1",
        (
            Code("potential", "Potential", cues=("learn",)),
            Code("applied", "Applied", cues=("use",)),
        ),
    )
    frame, gold = _corpus()
    table = evaluate(RuleCoder(book), gold, frame).set_index("code")
    assert table.attrs["cv"] == 0
    assert table.loc["potential", "recall"] == 1.0
    assert table.loc["applied", "recall"] == 0.0  # "applied" is not a cue of this book


def test_errors() -> None:
    frame, gold = _corpus(3)
    with pytest.raises(SchemaError, match="cv=5"):
        evaluate(TextCoder(_book()), gold, frame, cv=5)
    with pytest.raises(SchemaError, match="no code of codebook 'mini'"):
        evaluate(TextCoder(_book()), gold.assign(code="other"), frame, cv=2)


def test_cv_zero_scores_a_fitted_coder_as_it_is() -> None:
    frame, gold = _corpus()
    book = Codebook(
        "mini",
        "1",
        (
            Code("potential", "Potential", examples=("I learned a lot.", "We learned it.")),
            Code("applied", "Applied", examples=("I applied it.", "We applied the tool.")),
        ),
    )
    coder = TextCoder(book, calibrate=False).fit_codebook()
    table = evaluate(coder, gold, frame, cv=0).set_index("code")
    assert table.attrs["cv"] == 0 and table.attrs["coder"] == coder.coder_
    assert table.loc[MICRO, "f1"] == 1.0
    with pytest.raises(SchemaError, match="not fitted"):
        evaluate(TextCoder(book), gold, frame, cv=0)


def test_cross_val_codes_feed_agreement() -> None:
    from copanalysis.analysis.agreement import agreement
    from copanalysis.coding.evaluation import cross_val_codes

    frame, gold = _corpus()
    machine = cross_val_codes(TextCoder(_book(), calibrate=False), gold, frame, cv=5)
    assert machine["coder"].unique().tolist() == ["model:mini@cv5"]
    assert sorted(machine["doc_id"].unique()) == sorted(frame["story_id"])
    table = agreement(pd.concat([gold, machine]), unit="segment", n_boot=0).set_index("code")
    assert table.loc["potential", "percent_agreement"] == 1.0
    assert table.loc["potential", "units"] == 20


def test_a_gold_sub_code_holds_its_parent_and_unknown_gold_codes_are_named() -> None:
    from copanalysis.coding.rules import RuleCoder

    book = Codebook(
        "mini",
        "1",
        (
            Code("potential", "Potential", cues=("learn",)),
            Code("potential_idea", "Idea", parent="potential", cues=("idea",)),
            Code("applied", "Applied", cues=("applied",)),
        ),
    )
    frame, gold = _corpus(6)
    # the person coded "I learned a new idea." with the sub-code only, as in a QDA tool
    gold.loc[gold["quote"].eq("I learned a new idea."), "code"] = "potential_idea"
    gold.loc[gold["code"].eq("applied"), "code"] = "aplied"
    with pytest.warns(UserWarning, match=r"'aplied' x6 \(did you mean 'applied'\?\)"):
        table = evaluate(RuleCoder(book), gold, frame).set_index("code")
    # the rule coder writes "potential" beside "potential_idea": no longer a false positive
    assert table.loc["potential", ["precision", "recall", "support"]].tolist() == [1.0, 1.0, 6]
    assert table.loc["potential_idea", "support"] == 2
    assert "applied" not in table.index


def test_a_coder_name_is_made_for_the_human_codes_codebook() -> None:
    from copanalysis.coding.rules import RuleCoder

    frame, gold = _corpus()
    gold = gold.assign(codebook="value_cycles")
    by_name = evaluate("rules", gold, frame)
    pd.testing.assert_frame_equal(by_name, evaluate(RuleCoder("value_cycles"), gold, frame))
    assert by_name.attrs["coder"].startswith("rules:value_cycles@")
    mixed = pd.concat([gold, gold.assign(codebook="enablers_challenges")])
    with pytest.raises(SchemaError, match="codes of enablers_challenges, value_cycles; pass a"):
        evaluate("rules", mixed, frame)


def test_the_macro_average_leaves_out_codes_neither_side_uses_as_score_does():
    """Trial 20: a code with no gold and no machine unit counted as F1 0 in evaluate's
    macro average (0.556) while every coder's score() left it out (0.833)."""
    import numpy as np

    truth = np.array([[1, 0, 0], [0, 1, 0], [1, 1, 0]])
    predicted = np.array([[1, 0, 0], [0, 1, 0], [1, 0, 0]])
    table = _scores(truth, predicted, ["a", "b", "unused"]).set_index("code")
    # a: F1 1; b: precision 1, recall 1/2, F1 2/3; "unused": left out
    assert table.loc[MACRO, "f1"] == pytest.approx((1 + 2 / 3) / 2)
    assert table.loc["unused", "f1"] == 0.0  # its own row stays, for the table


def test_kappa_intervals_are_agreements_bootstrap_of_the_same_units() -> None:
    """evaluate's kappa intervals are agreement()'s: the same resamples of the same units
    (per code, and each unit with all its codes for the pooled kappa)."""
    from copanalysis.analysis.agreement import OVERALL, agreement

    truth = np.array([[1, 0], [1, 1], [1, 0], [0, 1], [0, 0], [0, 1], [1, 1], [0, 0]])
    guess = np.array([[1, 0], [0, 1], [1, 0], [0, 1], [1, 0], [0, 0], [1, 1], [0, 1]])
    table = _scores(truth, guess, ["a", "b"], n_boot=200, random_state=7).set_index("code")
    assert table["cohen_kappa"].tolist() == [0.5] * 4
    assert table.loc[["a", "b", MICRO], "kappa_low"].tolist() == pytest.approx(
        [-0.25, -0.2, 0.150852272727]
    )
    assert table.loc[["a", "b", MICRO], "kappa_high"].tolist() == pytest.approx(
        [1.0, 1.0, 0.862068965517]
    )
    # the macro kappa's: the same units drawn, each resample's mean of the codes' kappas
    # (scikit-learn's kappa with the draws as sample weights)
    from sklearn.metrics import cohen_kappa_score

    from copanalysis.analysis.agreement import _rng

    draws = _rng(7, MACRO).multinomial(len(truth), np.full(len(truth), 1 / len(truth)), size=200)
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        means = [
            np.nanmean(
                [cohen_kappa_score(truth[:, j], guess[:, j], sample_weight=w) for j in (0, 1)]
            )
            for w in draws
        ]
        expected = np.nanpercentile(means, [2.5, 97.5])
    assert table.loc[MACRO, ["kappa_low", "kappa_high"]].tolist() == pytest.approx(expected)
    assert table.loc[MACRO, "kappa_low"] < 0.5 < table.loc[MACRO, "kappa_high"]
    units = [f"u{i}" for i in range(len(truth))]
    rows = [
        (unit, code, coder)
        for unit, said, found in zip(units, truth, guess, strict=True)
        for code, gold_has, machine_has in zip("ab", said, found, strict=True)
        for coder, has in (("Ana", gold_has), ("rules", machine_has))
        if has
    ]
    codes = pd.DataFrame(rows, columns=["doc_id", "code", "coder"]).assign(
        field="story", start=0, end=1
    )
    both = agreement(
        codes, n_boot=200, random_state=7, documents=dict.fromkeys(["Ana", "rules"], units)
    )
    both = both.set_index("code").rename(index={OVERALL: MICRO})
    columns = ["cohen_kappa", "kappa_low", "kappa_high"]
    pd.testing.assert_frame_equal(
        table.loc[["a", "b", MICRO], columns],
        both.loc[["a", "b", MICRO], columns],
        check_index_type=False,
        check_names=False,
    )
    other = _scores(truth, guess, ["a", "b"], n_boot=200, random_state=8).set_index("code")
    assert other.loc["a", "kappa_low"] == pytest.approx(-0.231730769231)  # another seed


def test_evaluate_gives_kappa_intervals_and_keeps_its_scores() -> None:
    from copanalysis.coding.rules import RuleCoder

    book = Codebook(
        "mini",
        "1",
        (
            Code("potential", "Potential", cues=("learn",)),
            Code("applied", "Applied", cues=("use",)),
        ),
    )
    texts = ["I learned a lot.", "We used the tool.", "I learned and we used it.",
             "Nothing new.", "I learned nothing.", "We used nothing.", "A quiet year.",
             "We used and learned."]  # fmt: skip
    said = [["potential"], ["applied"], ["potential", "applied"], ["potential"], [],
            ["applied"], ["applied"], ["potential"]]  # fmt: skip
    frame = pd.DataFrame({"story_id": [f"s{i}" for i in range(8)], "story": texts})
    gold = pd.DataFrame(
        [
            (f"s{i}", "story", 0, len(text), text, code, "Ana")
            for i, (text, codes) in enumerate(zip(texts, said, strict=True))
            for code in codes
        ],
        columns=["doc_id", "field", "start", "end", "quote", "code", "coder"],
    ).assign(codebook="mini", polarity=1)
    table = evaluate(RuleCoder(book), gold, frame, n_boot=200, random_state=3)
    assert table.columns.tolist() == [
        "code", "precision", "recall", "f1", "cohen_kappa", "kappa_low", "kappa_high",
        "support", "predicted", "fewest_applied",
    ]  # fmt: skip
    assert table.attrs["units"] == 7  # the stories Ana coded
    assert table["cohen_kappa"].tolist() == pytest.approx([0.72, 5 / 12, 4 / 7, 0.568333333])
    assert table["kappa_low"].tolist()[:3] == pytest.approx([0.0, -0.4, 1 / 7])
    assert table["kappa_high"].tolist()[:3] == pytest.approx([1.0, 1.0, 6 / 7])
    assert table[["kappa_low", "kappa_high"]].iloc[3].tolist() == pytest.approx(
        [0.192045, 0.848130], abs=1e-6
    )  # the macro kappa's
    unbooted = evaluate(RuleCoder(book), gold, frame, n_boot=0)
    assert unbooted[["kappa_low", "kappa_high"]].isna().all().all()
    kept = table.columns.drop(["kappa_low", "kappa_high"])
    pd.testing.assert_frame_equal(table[kept], unbooted[kept])


def test_cross_val_codes_takes_a_coders_name_as_evaluate_does() -> None:
    """Trial 35: cross_val_codes("semantic", gold, stories) raised a raw AttributeError
    ('str' object has no attribute 'codebook') where evaluate takes the name."""
    from copanalysis.coding.evaluation import cross_val_codes

    frame, gold = _corpus()
    gold = gold.assign(codebook="value_cycles")
    by_name = cross_val_codes("model", gold, frame, cv=5)
    made = cross_val_codes(TextCoder("value_cycles"), gold, frame, cv=5)
    pd.testing.assert_frame_equal(by_name, made)
    assert by_name["coder"].unique().tolist() == ["model:value_cycles@cv5"]
    assert sorted(by_name["doc_id"].unique()) == sorted(frame["story_id"])
    mixed = pd.concat([gold, gold.assign(codebook="enablers_challenges")])
    with pytest.raises(SchemaError, match=r"^cross_val_codes: coder 'model' is a name, and the"):
        cross_val_codes("model", mixed, frame)
