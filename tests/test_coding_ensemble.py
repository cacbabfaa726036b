"""EnsembleCoder(members=[...], weights=...): the weighted vote, contract and code()."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from copanalysis.codebooks.codebook import Code, Codebook
from copanalysis.coding.ensemble import EnsembleCoder
from copanalysis.coding.model import TextCoder
from copanalysis.coding.rules import RuleCoder

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


def _ensemble(weights: list[float] | None, threshold: float) -> EnsembleCoder:
    return EnsembleCoder(
        _book(),
        members=[("rules", RuleCoder(_book())), ("model", TextCoder(_book(), calibrate=False))],
        weights=weights,
        threshold=threshold,
    )


def test_contract_clone_and_not_fitted() -> None:
    coder = _ensemble([0.4, 0.6], 0.6)
    copy = clone(coder)
    assert copy.get_params()["weights"] == [0.4, 0.6]
    assert [name for name, _ in copy.get_params()["members"]] == ["rules", "model"]
    with pytest.raises(NotFittedError):
        coder.predict(["x"])
    assert coder.fit(LEARN + APPLY, LABELS) is coder
    assert [name for name, _ in coder.members_] == ["rules", "model"]
    # the members given are cloned, never fitted in place
    assert not hasattr(coder.members[1][1], "classes_")


def test_scores_are_the_weighted_vote() -> None:
    coder = _ensemble([1, 1], 0.5).fit(LEARN + APPLY, LABELS)
    texts = ["I learned it", "we gained insight"]
    scores = coder.predict_proba(texts)
    rules, model = (est for _, est in coder.members_)
    by_model = model.predict_proba(texts)
    fired = rules.code_units(
        pd.DataFrame({"doc_id": ["0"], "field": "text", "text": texts[:1], "kind": pd.NA})
    )
    learn_conf = float(fired.loc[fired["code"] == "potential", "confidence"].max())
    j = coder.classes_.tolist().index("potential")
    m = model.classes_.tolist().index("potential")
    assert scores[0, j] == pytest.approx(0.5 * learn_conf + 0.5 * by_model[0, m])
    assert scores[1, j] == pytest.approx(0.5 * by_model[1, m])  # no rule fired
    only_rules = _ensemble([1, 0], 0.5).fit(LEARN + APPLY, LABELS)
    assert only_rules.predict(["we gained insight"]).sum() == 0
    assert only_rules.predict(["I learned it"])[0, j] == 1


def test_code_keeps_rule_polarity_and_every_members_evidence() -> None:
    coder = _ensemble([0.3, 0.7], 0.4).fit(LEARN + APPLY, LABELS)
    stories = pd.DataFrame(
        {"story_id": ["s1"], "story": ["I did not learn anything new. We used the template."]}
    )
    codes = coder.code(stories)
    by_code = codes.set_index("code")
    assert by_code.loc["potential", "polarity"] == -1
    assert by_code.loc["potential", "evidence"].startswith("rules (0.")
    assert by_code.loc["applied", "quote"] == "We used the template."
    assert by_code.loc["applied", "evidence"].startswith("model (")
    assert codes["coder"].unique().tolist() == [coder.coder_]
    assert coder.coder_.startswith("ensemble:mini@")
    assert np.all(codes["confidence"] >= 0.4)


def test_members_by_name_are_built_for_the_codebook() -> None:
    coder = EnsembleCoder(_book(), members=["rules", "model"]).fit(LEARN + APPLY, LABELS)
    assert [type(est).__name__ for _, est in coder.members_] == ["RuleCoder", "TextCoder"]
    assert all(est.codebook_.name == "mini" for _, est in coder.members_)


@pytest.mark.parametrize(
    ("members", "weights", "message"),
    [
        ([], None, "members is empty"),
        (["rules", "rules"], None, "repeat"),
        (["rules", "model"], [1.0], "2 non-negative numbers"),
        (["rules", "model"], [-1.0, 2.0], "non-negative"),
    ],
)
def test_bad_members_or_weights_are_refused(members, weights, message) -> None:
    with pytest.raises(ValueError, match=message):
        EnsembleCoder(_book(), members=members, weights=weights).fit(LEARN + APPLY, LABELS)


# ------------------------------------------------------------------ calibration

_PEOPLE = ["I", "we", "she", "they", "he", "our team", "the nurses", "my colleague", "Ana", "Kofi"]
_GAINED = ["a new idea", "insight into planning", "the grant rules", "a better method"]
_USED = ["the checklist on the ward", "the template in class", "the rubric", "the new rota"]
MANY_TEXTS = [f"{p} gained {t}" for p in _PEOPLE for t in _GAINED] + [
    f"{p} used {t}" for p in _PEOPLE for t in _USED
]
MANY_LABELS = [{"potential"}] * 40 + [{"applied"}] * 40
# statements that say both, each coded once each way: the out-of-fold votes are not all right
BOTH = [f"{p} gained and used the toolkit" for p in _PEOPLE] * 2
BOTH_LABELS = [{"potential"}] * 10 + [{"applied"}] * 10
HELD_OUT = ["the midwives gained a fresh idea", "the midwives used the template"]


def _calibrated_pair(texts: list[str], labels: list[set[str]]) -> tuple[EnsembleCoder, ...]:
    def make(calibrate: bool) -> EnsembleCoder:
        members = [("rules", RuleCoder(_book())), ("model", TextCoder(_book(), calibrate=False))]
        return EnsembleCoder(_book(), members=members, calibrate=calibrate)

    return make(True).fit(texts, labels), make(False).fit(texts, labels)


def test_calibration_is_a_logistic_map_of_the_vote() -> None:
    texts, labels = MANY_TEXTS + BOTH, MANY_LABELS + BOTH_LABELS
    assert len(texts) >= 100
    calibrated, raw = _calibrated_pair(texts, labels)
    assert raw.calibration_ is None
    slope, intercept = calibrated.calibration_
    assert slope > 0
    votes = raw.predict_proba(HELD_OUT)
    expected = np.where(votes > 0, 1 / (1 + np.exp(-(slope * votes + intercept))), 0.0)
    np.testing.assert_allclose(calibrated.predict_proba(HELD_OUT), expected)
    # a monotone map: every unit keeps the same best code
    assert (calibrated.predict_proba(HELD_OUT).argmax(1) == votes.argmax(1)).all()
    assert calibrated.coder_ != raw.coder_


def test_the_coder_id_does_not_hang_on_the_calibrations_last_digits(monkeypatch) -> None:
    # the fitted slope moves in its last digits from one machine to the next; the id names
    # what was fitted on what, so two runs on the same material give the same id
    texts, labels = MANY_TEXTS + BOTH, MANY_LABELS + BOTH_LABELS
    ids = []
    for slope in (2.000001, 2.000002):
        monkeypatch.setattr(EnsembleCoder, "_calibration", lambda self, t, y, s=slope: (s, -1.0))
        ids.append(_calibrated_pair(texts, labels)[0].coder_)
    assert ids[0] == ids[1]
    # ... and other material, or no calibration, is another id
    other = _calibrated_pair(texts[:-1], labels[:-1])[0].coder_
    raw = _calibrated_pair(texts, labels)[1].coder_
    assert len({ids[0], other, raw}) == 3


def test_a_silent_member_no_longer_halves_the_confidence() -> None:
    # the rules know "learn"/"apply", so they never fire on these texts: the raw vote is
    # half the model's confidence although the model is nearly always right
    calibrated, raw = _calibrated_pair(MANY_TEXTS + BOTH, MANY_LABELS + BOTH_LABELS)
    best_raw = raw.predict_proba(HELD_OUT).max(axis=1)
    best = calibrated.predict_proba(HELD_OUT).max(axis=1)
    assert (best_raw <= 0.5).all()
    assert (best > 0.8).all()
    assert [raw.classes_[j] for j in raw.predict_proba(HELD_OUT).argmax(1)] == [
        "potential",
        "applied",
    ]


def test_no_calibration_with_too_few_texts() -> None:
    calibrated, _ = _calibrated_pair(LEARN + APPLY, LABELS)
    assert calibrated.calibration_ is None
    votes = calibrated.predict_proba(HELD_OUT)
    assert votes.max() <= 0.5 + 1e-9  # the raw vote: half of the model's confidence


def test_fit_codes_gives_each_units_codes_in_codebook_order(monkeypatch) -> None:
    # a unit's codes are a set, whose order changes with the process's string hashing; the
    # calibration's members were fitted on rows in that order, so their confidences moved
    # from one run to the next and the fit cache never found their fits again
    names = ["potential", "applied", "realized", "reframing", "strategic", "enabling"]
    book = Codebook(
        "six", "1", tuple(Code(n, n.title(), cues=(n,), examples=(f"a {n} story",)) for n in names)
    )
    stories = pd.DataFrame({"story_id": ["s1"], "story": ["We did all of it. Nothing else."]})
    codes = pd.DataFrame(
        {
            "doc_id": "s1",
            "field": "story",
            "start": 0,
            "end": 17,
            "code": names[::-1],
            "codebook": "six",
            "coder": "Ana",
        }
    )
    given = []
    monkeypatch.setattr(
        EnsembleCoder, "_finish", lambda self, fitted, texts, labels: given.append(labels)
    )
    EnsembleCoder(book, members=[("rules", RuleCoder(book))]).fit_codes(stories, codes)
    # the two sentences, then the codebook's examples
    assert given[0][:2] == [names, []]
    assert given[0][2:] == [[n] for n in names]
