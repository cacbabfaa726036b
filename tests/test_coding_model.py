"""TextCoder: the scikit-learn contract, predictions, evidence, code() and fit_codes()."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer

from copanalysis.codebooks.codebook import Code, Codebook
from copanalysis.coding.model import TextCoder
from copanalysis.coding.training import code_labels

LEARN = [
    "I learned a new idea at the meeting",
    "we learned how others plan lessons",
    "she learned about new grant rules",
    "they learned the new method quickly",
    "I learned that peers face the same issue",
    "he learned a better way to give feedback",
]
APPLY = [
    "I applied the checklist on my ward",
    "we applied the template in class",
    "she applied the method to her project",
    "they applied the rubric last term",
    "I applied the new rota to the team",
    "he applied the feedback form at work",
]
TEXTS = LEARN + APPLY
LABELS = [{"potential"}] * 6 + [{"applied"}] * 6
Y = pd.DataFrame({"applied": [0] * 6 + [1] * 6, "potential": [1] * 6 + [0] * 6})


def _book() -> Codebook:
    return Codebook(
        "mini",
        "1",
        (
            Code("potential", "Potential", examples=tuple(LEARN[:3])),
            Code("applied", "Applied", examples=tuple(APPLY[:3])),
        ),
    )


def test_init_stores_parameters_and_clone_round_trips() -> None:
    coder = TextCoder(_book(), C=3.0, threshold=0.4, ngram_range=(1, 3), char_ngrams=False)
    params = coder.get_params()
    assert params["C"] == 3.0 and params["ngram_range"] == (1, 3)
    copy = clone(coder)
    assert copy is not coder
    assert copy.get_params()["C"] == 3.0
    assert copy.set_params(C=0.5) is copy and copy.C == 0.5
    assert not hasattr(copy, "coefs_")


def test_not_fitted_raises() -> None:
    coder = TextCoder(_book())
    for method in (coder.predict, coder.predict_proba, coder.decision_function):
        with pytest.raises(NotFittedError):
            method(["text"])


def test_fit_returns_self_and_predicts_the_right_codes() -> None:
    coder = TextCoder(_book(), calibrate=False)
    assert coder.fit(TEXTS, LABELS) is coder
    assert coder.classes_.tolist() == ["applied", "potential"]
    predicted = coder.predict(["we learned a lot", "I applied the idea at work"])
    assert predicted.tolist() == [[0, 1], [1, 0]]
    proba = coder.predict_proba(["we learned a lot"])
    assert proba.shape == (1, 2) and proba[0, 1] > 0.5 > proba[0, 0]
    scores = coder.decision_function(["we learned a lot"])
    assert scores[0, 1] > 0 > scores[0, 0]
    assert coder.score(TEXTS, LABELS) == 1.0


def test_label_forms_agree_and_fingerprint_tracks_data() -> None:
    a = TextCoder(_book(), calibrate=False).fit(TEXTS, LABELS)
    b = TextCoder(_book(), calibrate=False).fit(TEXTS, Y)
    np.testing.assert_allclose(a.predict_proba(TEXTS), b.predict_proba(TEXTS))
    assert a.coder_ == b.coder_
    assert a.coder_.startswith("model:mini@") and len(a.coder_.split("@")[1]) == 8
    c = TextCoder(_book(), calibrate=False).fit(TEXTS[:-1], LABELS[:-1])
    d = TextCoder(_book(), calibrate=False, C=2.0).fit(TEXTS, LABELS)
    assert len({a.coder_, c.coder_, d.coder_}) == 3


def test_calibration_used_only_with_enough_examples() -> None:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression

    big = TextCoder(_book(), calibrate=True).fit(TEXTS * 2, LABELS * 2)
    assert all(isinstance(m, CalibratedClassifierCV) for m in big.estimators_)
    small = TextCoder(_book(), calibrate=True).fit(TEXTS, LABELS)
    assert all(isinstance(m, LogisticRegression) for m in small.estimators_)
    p = big.predict_proba(["we learned a lot"])
    assert p.min() >= 0 and p.max() <= 1


def test_evidence_names_the_strongest_word_features() -> None:
    coder = TextCoder(_book(), calibrate=False, char_ngrams=False).fit(TEXTS, LABELS)
    reasons = coder.evidence(["we learned a new idea"])[0]
    potential = reasons[coder.classes_.tolist().index("potential")]
    assert potential.split(" (")[0] == "learn"  # a lemma
    assert "(+" in potential


def test_in_a_pipeline_with_cross_val_score_and_grid_search() -> None:
    strip = FunctionTransformer(lambda xs: [x.strip() for x in xs])
    pipe = make_pipeline(strip, TextCoder(_book(), calibrate=False))
    assert isinstance(pipe, Pipeline)
    scores = cross_val_score(pipe, TEXTS, Y, cv=KFold(3, shuffle=True, random_state=0))
    assert scores.shape == (3,) and scores.mean() > 0.8
    search = GridSearchCV(
        TextCoder(_book(), calibrate=False),
        {"C": [0.01, 10.0]},
        cv=KFold(3, shuffle=True, random_state=0),
    )
    search.fit(TEXTS, Y)
    assert search.best_params_["C"] in (0.01, 10.0)
    assert search.best_estimator_.predict(["they learned it"]).tolist() == [[0, 1]]


def test_fit_codebook_learns_from_examples() -> None:
    coder = TextCoder(_book(), calibrate=False).fit_codebook()
    assert sorted(coder.classes_) == ["applied", "potential"]
    assert coder.predict(["I learned a new idea"]).tolist() == [[0, 1]]


def _stories() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "story_id": ["s1", "s2", "s3"],
            "story": [
                "We met monthly. " + LEARN[0] + ". " + APPLY[0] + ".",
                LEARN[1] + ". " + APPLY[1] + ".",
                LEARN[2] + ". Nothing else.",
            ],
        }
    )


def _human_codes(stories: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for story_id, text in zip(stories["story_id"], stories["story"], strict=True):
        for sentence, code in [(s, "potential") for s in LEARN] + [(s, "applied") for s in APPLY]:
            at = text.find(sentence)
            if at >= 0:
                rows.append((story_id, "story", at, at + len(sentence), sentence, code, "Ana"))
    return pd.DataFrame(
        rows, columns=["doc_id", "field", "start", "end", "quote", "code", "coder"]
    ).assign(codebook="mini", polarity=1)


def test_code_labels_marks_overlapping_segments() -> None:
    stories = _stories()
    labelled = code_labels(stories, _human_codes(stories), codebook=_book())
    s1 = labelled[labelled["doc_id"] == "s1"]
    assert s1["codes"].tolist() == [set(), {"potential"}, {"applied"}]
    s3 = labelled[labelled["doc_id"] == "s3"]
    assert s3["codes"].tolist() == [{"potential"}, set()]


def test_fit_codes_then_code_a_frame() -> None:
    stories = _stories()
    coder = TextCoder(_book(), calibrate=False).fit_codes(stories, _human_codes(stories))
    fresh = pd.DataFrame({"story_id": ["n1"], "story": ["We learned a new idea. I applied it."]})
    codes = coder.code(fresh)
    assert codes["code"].tolist() == ["potential", "applied"]
    assert codes["quote"].tolist() == ["We learned a new idea.", "I applied it."]
    assert codes["start"].tolist() == [0, 23]
    assert (codes["coder"] == coder.coder_).all()
    assert codes["confidence"].between(0.5, 1).all()
    assert codes["evidence"].str.contains(r"\(\+\d", regex=True).all()
    assert codes["codebook"].unique().tolist() == ["mini"]


def test_evidence_never_lists_function_words() -> None:
    import re

    from spacy.lang.en.stop_words import STOP_WORDS

    coder = TextCoder("value_cycles").fit_codebook()
    texts = [
        "I learned a lot by listening to the other nurses.",
        "We now use the checklist on every ward, and it is in the rota.",
        "It was a waste of my time and I did not go back.",
    ]
    reasons = [r for per_text in coder.evidence(texts, top=5) for r in per_text if r]
    features = [m for r in reasons for m in re.findall(r"(.+?) \([+-]\d\.\d\d\)(?:, |$)", r)]
    assert len(features) > 20
    for feature in features:
        words = re.findall(r"[^\W_]+", feature.strip("'").lower())
        assert any(w not in STOP_WORDS for w in words), feature
