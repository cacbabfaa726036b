"""One ``score`` for every coder: macro F1 over codes, not subset accuracy or micro F1."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import is_classifier
from sklearn.metrics import accuracy_score, f1_score

from copanalysis.codebooks.codebook import Code, Codebook
from copanalysis.coding.ensemble import EnsembleCoder
from copanalysis.coding.llm import LLMCoder
from copanalysis.coding.model import TextCoder
from copanalysis.coding.rules import RuleCoder
from copanalysis.coding.scoring import MacroF1ScoreMixin, code_indicator
from copanalysis.coding.semantic import SemanticCoder

BOOK = Codebook("mini", "1", (Code("a", "A", cues=("learn",)), Code("b", "B", cues=("apply",))))
TEXTS = ["I learn here.", "We learn.", "They learn a lot.", "We apply it."]
# the rules find a, a, a, b: the first text misses b
TRUTH = [["a", "b"], ["a"], ["a"], ["b"]]
TRUTH_MATRIX = np.array([[1, 1], [1, 0], [1, 0], [0, 1]])
PREDICTED = np.array([[1, 0], [1, 0], [1, 0], [0, 1]])


def test_the_three_measures_differ_on_the_tiny_case() -> None:
    assert accuracy_score(TRUTH_MATRIX, PREDICTED) == 0.75  # subset accuracy
    assert f1_score(TRUTH_MATRIX, PREDICTED, average="micro") == pytest.approx(8 / 9)
    # a: F1 1; b: precision 1, recall 1/2, F1 2/3
    assert f1_score(TRUTH_MATRIX, PREDICTED, average="macro") == pytest.approx(5 / 6)


def test_rule_coder_scores_macro_f1() -> None:
    coder = RuleCoder(BOOK).fit()
    np.testing.assert_array_equal(coder.predict(TEXTS), PREDICTED)
    assert coder.score(TEXTS, TRUTH) == pytest.approx(5 / 6)
    assert coder.score(TEXTS, pd.DataFrame(TRUTH_MATRIX, columns=["a", "b"])) == pytest.approx(
        5 / 6
    )
    assert coder.score(TEXTS, TRUTH_MATRIX) == pytest.approx(5 / 6)


@pytest.mark.parametrize(
    "coder",
    [RuleCoder, TextCoder, SemanticCoder, EnsembleCoder, LLMCoder],
    ids=lambda c: c.__name__,
)
def test_every_coder_shares_the_one_score(coder: type) -> None:
    assert coder.score is MacroF1ScoreMixin.score
    assert is_classifier(coder())


class _Fixed(MacroF1ScoreMixin):
    classes_ = np.array(["a", "b"], dtype=object)

    def __init__(self, predicted: np.ndarray) -> None:
        self.predicted = predicted

    def predict(self, X: list[str]) -> np.ndarray:
        return self.predicted


def test_codes_neither_side_uses_are_left_out_and_unknown_codes_count_as_missed() -> None:
    # b is never given nor predicted: the score is a's F1 alone
    assert _Fixed(np.array([[1, 0], [0, 0]])).score(["x", "y"], [["a"], []]) == 1.0
    # c is unknown to the coder: a F1 1, c F1 0
    assert _Fixed(np.array([[1, 0], [0, 0]])).score(["x", "y"], [["a"], ["c"]]) == 0.5
    # nothing to code and nothing coded
    assert _Fixed(np.zeros((2, 2), dtype=int)).score(["x", "y"], [None, []]) == 1.0


def test_code_indicator_rejects_a_wrong_number_of_rows() -> None:
    with pytest.raises(ValueError, match="2 texts but 1 label rows"):
        code_indicator([["a"]], 2, ["a"])


def test_every_learned_coder_reads_a_unit_without_codes_alike() -> None:
    """The audit (helper 44): four parsers of ``y``; ``pd.NA`` crashed two, and ``""`` was
    a code named "" for the TextCoder."""
    from copanalysis.coding.model import _as_indicator
    from copanalysis.coding.training import label_lists

    y = ["applied", ("potential", "potential_human"), None, float("nan"), pd.NA, ""]
    assert label_lists(y, 6) == [["applied"], ["potential", "potential_human"], [], [], [], []]
    matrix, classes = _as_indicator(y, 6)
    assert classes == ["applied", "potential", "potential_human"]
    assert matrix.sum(axis=1).tolist() == [1, 2, 0, 0, 0, 0]
