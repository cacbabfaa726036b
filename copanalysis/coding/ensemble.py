"""The ensemble coder: several coders vote on each unit, with weights.

Built the way scikit-learn's ``VotingClassifier`` is: ``EnsembleCoder(members=[...],
weights=[...])``, each member a coder name or a ``(name, estimator)`` pair. Each member
codes the frame; each (unit, code) gets the weighted mean of the members' confidences (a
member that did not give the code counts 0). That vote is then calibrated: mapped to the
probability that the unit has the code, by a logistic regression fitted on out-of-fold
votes over the training texts (Platt scaling, as scikit-learn's ``CalibratedClassifierCV``
does for one classifier). A unit keeps its best code, and any other code whose confidence
reaches ``threshold``.
Polarity is a vote too: the sign of the members' polarities weighted by weight x
confidence, among the members that judge polarity (the rule coder's negation scopes, the
semantic coder's polarity head; not :class:`~copanalysis.coding.TextCoder`). The evidence
lists every member that gave the code.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.validation import check_is_fitted

from copanalysis.coding.coders import fit_default, make_coder
from copanalysis.coding.scoring import MacroF1ScoreMixin, indicator, texts_frame
from copanalysis.coding.training import (
    as_texts,
    code_labels,
    codebook_material,
    in_codebook_order,
    label_lists,
    overlapping,
)

if TYPE_CHECKING:
    from copanalysis.codebooks.codebook import Codebook

__all__ = ["MIN_TO_CALIBRATE", "EnsembleCoder"]

Member = str | tuple[str, Any]

#: Training texts the vote needs before it is calibrated (five folds of twenty).
MIN_TO_CALIBRATE = 100

#: Folds of the out-of-fold votes the calibration is fitted on.
_FOLDS = 5


class EnsembleCoder(MacroF1ScoreMixin, ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Combine coders by a weighted vote of their confidences.

    Parameters
    ----------
    codebook : str or Codebook
        The codebook the members built from a name code against.
    members : sequence of str or (name, estimator)
        The coders: names (``"rules"``, ``"model"``, ``"semantic"``) or ``(name,
        estimator)`` pairs. Estimators are cloned before fitting.
    weights : sequence of float, optional
        One weight per member (normalised to sum to 1); default equal weights.
    threshold : float
        Confidence at or above which a code other than the unit's best is kept.
    polarity_from : str or None
        The name of the member whose polarity the ensemble takes for every code of a unit
        that member coded (the polarity of its most confident code there; elsewhere the
        vote decides). ``"auto"``: the member named ``semantic``
        when there is one (it judges enablers and challenges best on the development set),
        else the vote; ``None``: the vote always.
    unit : {"sentence", "field"}
        The units voted on; members built from a name code the same units.
    calibrate : bool
        Map the vote to a probability (see above). The out-of-fold votes come from members
        fitted again on four fifths of the training texts and coding the rest; a member
        that does not learn from texts (the rule coder) codes as it is. Skipped, so that
        the vote is the confidence, when there are fewer than :data:`MIN_TO_CALIBRATE`
        training texts, when the out-of-fold votes are all right (or all wrong), or when a
        member calls a language model (coding the training texts five times over would
        cost a run of its own).

    Attributes
    ----------
    members_ : list of (str, estimator)
        The fitted members.
    weights_ : ndarray
        The normalised weights.
    classes_ : ndarray of str
        Codes any member gives, in codebook order.
    codebook_ : Codebook
    calibration_ : tuple of float or None
        The slope and intercept of the logistic map from the vote to the confidence, or
        None when the vote was not calibrated.
    coder_ : str
        ``ensemble:<codebook>@<hash>`` (hash of the members' ``coder_``, the weights, the
        threshold and the material the calibration was fitted on).

    Examples
    --------
    >>> texts = ["I learned a new idea", "we learned so much", "I applied it at work",
    ...          "we now apply the checklist", "I learned about grants", "I applied the tool"]
    >>> labels = [{"potential"}, {"potential"}, {"applied"}, {"applied"}, {"potential"},
    ...           {"applied"}]
    >>> from copanalysis.coding.model import TextCoder
    >>> coder = EnsembleCoder(members=["rules", ("model", TextCoder(calibrate=False))],
    ...                       threshold=0.3).fit(texts, labels)
    >>> coder.calibration_ is None  # too few texts to calibrate the vote on
    True
    >>> predicted = coder.predict(["they learned a lot"])
    >>> [str(c) for c, p in zip(coder.classes_, predicted[0]) if p]
    ['potential']
    """

    def __init__(
        self,
        codebook: str | Codebook = "value_cycles",
        *,
        members: Sequence[Member] = ("semantic", "rules"),
        weights: Sequence[float] | None = None,
        threshold: float = 0.4,
        polarity_from: str | None = "auto",
        unit: Literal["sentence", "field"] = "sentence",
        calibrate: bool = True,
    ) -> None:
        self.codebook = codebook
        self.members = members
        self.weights = weights
        self.threshold = threshold
        self.polarity_from = polarity_from
        self.unit = unit
        self.calibrate = calibrate

    # ------------------------------------------------------------------ fitting

    def _unfitted(self) -> list[tuple[str, Any]]:
        if not self.members:
            raise ValueError("EnsembleCoder: members is empty; give at least one coder")
        out = []
        for member in self.members:
            if isinstance(member, str):
                out.append((member, make_coder(member, self.codebook, unit=self.unit)))
            else:
                name, estimator = member
                out.append((str(name), clone(estimator)))
        names = [name for name, _ in out]
        if len(set(names)) != len(names):
            raise ValueError(f"EnsembleCoder: member names repeat: {names}")
        if self.polarity_from not in (None, "auto", *names):
            raise ValueError(
                f"EnsembleCoder: polarity_from {self.polarity_from!r} is not a member "
                f"({', '.join(names)})"
            )
        return out

    def fit(self, X: Iterable[str], y: Any) -> EnsembleCoder:
        """Fit each member that learns on texts and codes; compile the rule members.

        Returns
        -------
        EnsembleCoder
            self, fitted.
        """
        texts = as_texts(X)
        labels = label_lists(y, len(texts), who="EnsembleCoder.fit")
        fitted = []
        for name, estimator in self._unfitted():
            learns = getattr(estimator, "learns", True)
            fitted.append((name, estimator.fit(texts, labels) if learns else estimator.fit()))
        return self._finish(fitted, texts, labels)

    def fit_codebook(self) -> EnsembleCoder:
        """Fit each member on the codebook's own material (:func:`fit_default`).

        Returns
        -------
        EnsembleCoder
            self, fitted.
        """
        fitted = [(name, fit_default(est)) for name, est in self._unfitted()]
        material = codebook_material(fitted[0][1].codebook_)
        return self._finish(fitted, material["text"].tolist(), material["codes"].tolist())

    def fit_codes(
        self,
        frame: pd.DataFrame,
        codes: pd.DataFrame,
        *,
        coders: Sequence[str] | None = None,
        segments: pd.DataFrame | None = None,
    ) -> EnsembleCoder:
        """Fit each learning member on people's codes of ``frame`` (its ``fit_codes``).

        Returns
        -------
        EnsembleCoder
            self, fitted.
        """
        fitted = []
        for name, estimator in self._unfitted():
            if hasattr(estimator, "fit_codes"):
                estimator = estimator.fit_codes(frame, codes, coders=coders, segments=segments)
            else:
                estimator = estimator.fit()
            fitted.append((name, estimator))
        book = fitted[0][1].codebook_
        labelled = code_labels(
            frame, codes, codebook=book, unit=self.unit, coders=coders, segments=segments
        )
        material = codebook_material(book)
        texts = labelled["text"].tolist() + material["text"].tolist()
        # each unit's codes (a set) in codebook order, as the semantic member's fit_codes
        # orders them: in a set's own order the rows the calibration's members were fitted on
        # changed from one process to the next, and the fit cache never found their fits again
        ordered = [in_codebook_order(book, codes) for codes in labelled["codes"]]
        labels = ordered + material["codes"].tolist()
        return self._finish(fitted, texts, labels)

    def _finish(
        self, fitted: list[tuple[str, Any]], texts: list[str], labels: list[list[str]]
    ) -> EnsembleCoder:
        weights = np.ones(len(fitted)) if self.weights is None else np.asarray(self.weights)
        if weights.shape != (len(fitted),) or (weights < 0).any() or weights.sum() <= 0:
            raise ValueError(
                f"EnsembleCoder: weights must be {len(fitted)} non-negative numbers, not all "
                f"0; got {self.weights!r}"
            )
        book = fitted[0][1].codebook_
        known = set().union(*(set(est.classes_) for _, est in fitted))
        self.members_ = fitted
        self.weights_ = weights / weights.sum()
        self.codebook_ = book
        self.classes_ = np.array([c.code for c in book.codes if c.code in known], dtype=object)
        self.calibration_ = self._calibration(texts, labels) if self.calibrate else None
        pairs = zip(fitted, self.weights_, strict=True)
        key = "|".join(f"{est.coder_}*{w:.4f}" for (_, est), w in pairs)
        # the calibration's inputs, not its floats: those move in their last digits from
        # one machine (or BLAS thread count) to the next, and the id must not
        material = (
            json.dumps([texts, [sorted(label) for label in labels]]) if self.calibrate else ""
        )
        key += f"|{self.threshold}|{self.calibrate}|{hashlib.sha1(material.encode()).hexdigest()}"
        self.coder_ = f"ensemble:{book.name}@{hashlib.sha1(key.encode()).hexdigest()[:8]}"
        return self

    def _calibration(
        self, texts: list[str], labels: list[list[str]]
    ) -> tuple[float, float] | None:
        """Platt scaling of the vote, fitted on out-of-fold votes over ``texts``."""
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import KFold

        if len(texts) < MIN_TO_CALIBRATE or any(
            getattr(e, "calls_model", False) for _, e in self.members_
        ):
            return None
        column = {c: j for j, c in enumerate(self.classes_)}
        # a sub-code implies every code above it
        lineages = [{a for c in label for a in self.codebook_.lineage(c)} for label in labels]
        truth = indicator(lineages, list(column)).astype(bool)
        votes = np.zeros(truth.shape)
        folds = KFold(_FOLDS, shuffle=True, random_state=0).split(texts)
        for train, test in folds:
            train_labels = [labels[i] for i in train]
            members = [
                (
                    name,
                    clone(est).fit([texts[i] for i in train], train_labels)
                    if getattr(est, "learns", True)
                    else est,
                )
                for name, est in self.members_
            ]
            frame, parts = texts_frame([texts[i] for i in test])
            for (_, estimator), weight in zip(members, self.weights_, strict=True):
                votes[test] += weight * _cells(parts, estimator.code(frame), column)[0]
        voted = votes > 0
        if len(np.unique(truth[voted])) < 2:
            return None
        model = LogisticRegression().fit(votes[voted].reshape(-1, 1), truth[voted])
        slope, intercept = float(model.coef_[0, 0]), float(model.intercept_[0])
        return (round(slope, 6), round(intercept, 6)) if slope > 0 else None

    def _calibrated(self, votes: np.ndarray) -> np.ndarray:
        if self.calibration_ is None:
            return votes
        slope, intercept = self.calibration_
        return np.where(votes > 0, expit(slope * votes + intercept), 0.0)

    # --------------------------------------------------------------- predicting

    def predict_proba(self, X: Iterable[str]) -> np.ndarray:
        """The confidence of each code for each text (the calibrated vote, 0..1).

        Returns
        -------
        ndarray, shape (n_texts, n_classes)
        """
        check_is_fitted(self, "members_")
        frame, parts = texts_frame(X)
        return self._vote(frame, parts, progress=False)[0]  # one unit per text, in order

    def predict(self, X: Iterable[str]) -> np.ndarray:
        """Which codes each text gets: its best code, and any other at ``threshold`` or more.

        Returns
        -------
        ndarray of int, shape (n_texts, n_classes)
        """
        return self._kept(self.predict_proba(X)).astype(int)

    def _kept(self, scores: np.ndarray) -> np.ndarray:
        kept = scores >= self.threshold
        if scores.size:
            best = np.argmax(scores, axis=1)
            rows = np.arange(len(scores))
            kept[rows, best] |= scores[rows, best] > 0
        return kept

    def code(
        self,
        frame: pd.DataFrame,
        *,
        segments: pd.DataFrame | None = None,
        progress: bool = False,
    ) -> pd.DataFrame:
        """Code every unit of ``frame`` with every member and keep the codes the vote carries.

        Returns
        -------
        DataFrame
            The ``codes`` frame: ``confidence`` the calibrated vote, ``polarity`` the
            weighted vote of the members that judge it, ``evidence``
            ``"<member> (<confidence>): <its evidence>"`` for each member that gave it,
            joined with ``" / "``.
        """
        check_is_fitted(self, "members_")
        from copanalysis.coding.segments import segments_of
        from copanalysis.coding.training import coded_segments

        parts = segments_of(frame, unit=self.unit, segments=segments)
        scores, polarity, evidence = self._vote(frame, parts, progress=progress)
        rows, cols = np.nonzero(self._kept(scores))
        return coded_segments(
            parts.iloc[rows].reset_index(drop=True),
            self.classes_[cols],
            codebook=self.codebook_.name,
            coder=self.coder_,
            polarity=polarity[rows, cols],
            confidence=scores[rows, cols],
            evidence=[
                evidence.get((i, j), "") for i, j in zip(rows.tolist(), cols.tolist(), strict=True)
            ],
        )

    def _vote(
        self, frame: pd.DataFrame, parts: pd.DataFrame, *, progress: bool
    ) -> tuple[np.ndarray, np.ndarray, dict[tuple[int, int], str]]:
        shape = (len(parts), len(self.classes_))
        scores = np.zeros(shape)
        lean = np.zeros(shape)  # the weighted vote on polarity
        chosen = np.zeros(shape, dtype=int)  # the polarity `polarity_from` gives each unit
        names = [name for name, _ in self.members_]
        source = self.polarity_from
        if source == "auto":
            source = "semantic" if "semantic" in names else None
        pieces: dict[tuple[int, int], list[str]] = {}
        column = {c: j for j, c in enumerate(self.classes_)}
        for (name, estimator), weight in zip(self.members_, self.weights_, strict=True):
            codes = estimator.code(frame, progress=progress)
            confidence, sign, why = _cells(parts, codes, column)
            scores += weight * confidence
            if getattr(estimator, "judges_polarity", True):
                lean += weight * confidence * sign
            if name == source:
                # its most confident code's polarity, for every code of the unit: whether
                # a statement tells of an enabler or a challenge is the statement's, not
                # one code's
                best = np.argmax(confidence, axis=1)
                rows = np.arange(len(confidence))
                unit_sign = np.where(confidence[rows, best] > 0, sign[rows, best], 0)
                chosen = np.repeat(unit_sign[:, None], shape[1], axis=1)
            for (i, j), text in why.items():
                pieces.setdefault((i, j), []).append(f"{name} ({confidence[i, j]:.2f}): {text}")
        polarity = np.where(lean < 0, -1, 1)
        if source is not None:
            polarity = np.where(chosen != 0, chosen, polarity)
        return (
            self._calibrated(scores),
            polarity,
            {key: " / ".join(value) for key, value in pieces.items()},
        )


def _cells(
    parts: pd.DataFrame, codes: pd.DataFrame, column: dict[str, int]
) -> tuple[np.ndarray, np.ndarray, dict[tuple[int, int], str]]:
    """One member's codes laid on the units: the highest confidence of each code on each
    unit (from any of its spans overlapping the unit), that span's polarity and evidence."""
    confidence = np.zeros((len(parts), len(column)))
    sign = np.ones((len(parts), len(column)), dtype=int)
    evidence: dict[tuple[int, int], str] = {}
    if not len(codes) or not len(parts):
        return confidence, sign, evidence
    joined = overlapping(
        parts[["doc_id", "field", "start", "end"]],
        codes,
        ("code", "polarity", "confidence", "evidence"),
    )
    joined = joined[joined["code"].astype(str).isin(column)]
    joined = joined.sort_values("confidence", ascending=False, kind="stable")
    joined = joined.drop_duplicates(["unit", "code"])
    i = joined["unit"].to_numpy()
    j = joined["code"].astype(str).map(column).to_numpy()
    confidence[i, j] = joined["confidence"].to_numpy(dtype=float)
    sign[i, j] = joined["polarity"].to_numpy(dtype=int)
    for a, b, text in zip(i.tolist(), j.tolist(), joined["evidence"].astype(str), strict=True):
        evidence[(a, b)] = text
    return confidence, sign, evidence
