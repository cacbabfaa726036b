"""EnsembleCoder: the weighted vote of rules and model, contract and code()."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from copanalysis.codebooks.codebook import Code, Codebook
from copanalysis.coding.ensemble import EnsembleCoder

LEARN = [
    "I gained a new idea at the meeting",
    "we gained insight into how others plan lessons",
    "she gained a sense of the new grant rules",
    "they gained the new method quickly",
    "I gained a view of how peers face the same issue",
    "he gained a better way to give feedback",
]
APPLY = [
    "I used the checklist on my ward",
    "we used the template in class",
    "she used the method for her project",
    "they used the rubric last term",
    "I used the new rota with the team",
    "he used the feedback form at work",
]
LABELS = [{"potential"}] * 6 + [{"applied"}] * 6


def _book() -> Codebook:
    # the rules know "learn" and "apply"; the training texts say "gained" and "used"
    return Codebook(
        "mini",
        "1",
        (
            Code("potential", "Potential", cues=("learn",)),
            Code("applied", "Applied", cues=("apply",)),
        ),
    )


def test_contract_clone_and_not_fitted() -> None:
    coder = EnsembleCoder(_book(), weight_rules=0.4, threshold=0.6)
    copy = clone(coder)
    assert copy.get_params()["weight_rules"] == 0.4
    with pytest.raises(NotFittedError):
        coder.predict(["x"])
    assert coder.fit(LEARN + APPLY, LABELS) is coder


def test_scores_are_the_weighted_vote() -> None:
    coder = EnsembleCoder(_book(), weight_rules=0.5, threshold=0.5, calibrate=False)
    coder.fit(LEARN + APPLY, LABELS)
    texts = ["I learned it", "we gained insight"]
    scores = coder.predict_proba(texts)
    model = coder.model_.predict_proba(texts)
    rules = coder.rules_.code_units(
        pd.DataFrame({"doc_id": ["0"], "field": "text", "text": texts[:1], "kind": pd.NA})
    )
    learn_conf = float(rules.loc[rules["code"] == "potential", "confidence"].max())
    j = coder.classes_.tolist().index("potential")
    m = coder.model_.classes_.tolist().index("potential")
    assert scores[0, j] == pytest.approx(0.5 * learn_conf + 0.5 * model[0, m])
    assert scores[1, j] == pytest.approx(0.5 * model[1, m])  # no rule fired
    only_rules = EnsembleCoder(_book(), weight_rules=1.0, threshold=0.5, calibrate=False)
    only_rules.fit(LEARN + APPLY, LABELS)
    assert only_rules.predict(["we gained insight"]).sum() == 0
    assert only_rules.predict(["I learned it"])[0, j] == 1


def test_code_keeps_rule_polarity_and_both_evidences() -> None:
    coder = EnsembleCoder(_book(), weight_rules=0.3, threshold=0.4, calibrate=False)
    coder.fit(LEARN + APPLY, LABELS)
    stories = pd.DataFrame(
        {"story_id": ["s1"], "story": ["I did not learn anything new. We used the template."]}
    )
    codes = coder.code(stories)
    by_code = codes.set_index("code")
    assert by_code.loc["potential", "polarity"] == -1
    assert by_code.loc["potential", "evidence"].startswith("rules: ")
    assert by_code.loc["applied", "quote"] == "We used the template."
    assert "model (" in by_code.loc["applied", "evidence"]
    assert codes["coder"].unique().tolist() == [coder.coder_]
    assert coder.coder_.startswith("ensemble:mini@")
    assert np.all(codes["confidence"] >= 0.5)


def test_bad_weight_is_refused() -> None:
    with pytest.raises(ValueError, match="weight_rules"):
        EnsembleCoder(_book(), weight_rules=1.5).fit(LEARN + APPLY, LABELS)
