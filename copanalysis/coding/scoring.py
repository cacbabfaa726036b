"""The one ``score`` every coder shares: macro-averaged F1 over codes.

scikit-learn's ``ClassifierMixin.score`` is subset accuracy, which on multi-label codes
counts a text right only when every one of its codes is right, and micro-F1 lets the
frequent codes drown the rare ones. A researcher asks how well each code is found, so
every coder scores the same way: the F1 of each code, averaged with equal weight over the
codes that the truth or the predictions use.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["MacroF1ScoreMixin", "code_indicator", "codes_of", "indicator", "predict_by_coding"]


def predict_by_coding(coder: Any, X: Iterable[str]) -> np.ndarray:
    """Which codes each text gets, from ``coder.code`` of the texts as one-field documents:
    a 0/1 array over ``coder.classes_``."""
    frame, _ = texts_frame(X)
    codes = coder.code(frame)
    column = {str(c): j for j, c in enumerate(coder.classes_)}
    out = np.zeros((len(frame), len(column)), dtype=int)
    out[codes["doc_id"].astype(int), [column[str(c)] for c in codes["code"]]] = 1
    return out


def texts_frame(X: Iterable[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Texts as a frame of documents (``doc_id`` ``"0"``, ``"1"`` ..., ``text``), and their
    units as whole fields (a ``segments`` frame)."""
    texts = ["" if t is None else str(t) for t in X]
    frame = pd.DataFrame({"doc_id": [str(i) for i in range(len(texts))], "text": texts})
    parts = pd.DataFrame(
        {
            "doc_id": frame["doc_id"],
            "field": "text",
            "segment": 0,
            "start": 0,
            "end": [len(t) for t in texts],
            "text": texts,
        }
    )
    return frame, parts


class MacroF1ScoreMixin:
    """Gives a coder ``score``: macro F1 over codes of ``predict`` against ``y``.

    Put it before ``ClassifierMixin`` in the bases, so its ``score`` wins. The coder must
    have ``classes_`` and a ``predict`` returning a 0/1 array over them.
    """

    def score(self, X: Iterable[str], y: Any, sample_weight: Any = None) -> float:
        """Macro-averaged F1 over codes of :meth:`predict` against ``y``.

        Each code's F1 counts equally, over the codes that ``y`` or the predictions use (a
        code neither has is left out, not scored 0); a code in ``y`` the coder does not know
        counts as missed. 1.0 when neither ``y`` nor the predictions hold any code.

        Parameters
        ----------
        X : iterable of str
            Raw texts.
        y : iterable of label sets (or one code, or None), DataFrame or ndarray
            Each text's codes: a list/set of codes, a 0/1 DataFrame with one column per
            code, or a 0/1 array over ``classes_``.
        sample_weight : array-like, optional

        Returns
        -------
        float
            Between 0 and 1.
        """
        from sklearn.metrics import f1_score

        texts = X if isinstance(X, str) else list(X)
        predicted = np.asarray(self.predict(texts)).astype(int)  # type: ignore[attr-defined]
        classes = [str(c) for c in self.classes_]  # type: ignore[attr-defined]
        truth = code_indicator(y, len(predicted), classes)
        predicted = np.hstack(
            [predicted, np.zeros((len(predicted), truth.shape[1] - len(classes)), dtype=int)]
        )
        used = np.flatnonzero(truth.any(axis=0) | predicted.any(axis=0))
        if not len(used):
            return 1.0
        return float(
            f1_score(
                truth,
                predicted,
                labels=used,
                average="macro",
                sample_weight=sample_weight,
                zero_division=0.0,
            )
        )


def code_indicator(y: Any, n: int, classes: list[str]) -> np.ndarray:
    """``y`` as a 0/1 matrix over ``classes``, then one column per code it adds.

    Examples
    --------
    >>> code_indicator([["a"], ["a", "c"], None], 3, ["a", "b"])
    array([[1, 0, 0],
           [1, 0, 1],
           [0, 0, 0]])
    """
    from copanalysis.coding.training import label_lists

    if isinstance(y, np.ndarray) and y.ndim == 2 and y.shape[1] == len(classes):
        y = pd.DataFrame(y, columns=classes)
    labels = label_lists(y, n, who="score")
    extra = sorted({c for label in labels for c in label} - set(classes))
    return indicator(labels, [*classes, *extra])


def indicator(labels: Iterable[Iterable[str]], names: Sequence[str]) -> np.ndarray:
    """Label sets as a 0/1 matrix over ``names``, one row each; other codes are ignored.

    Examples
    --------
    >>> indicator([["b"], ["a", "c"], []], ["a", "b"])
    array([[0, 1],
           [1, 0],
           [0, 0]])
    """
    from sklearn.preprocessing import MultiLabelBinarizer

    wanted = set(names)
    rows = [wanted.intersection(label) for label in labels]
    return MultiLabelBinarizer(classes=list(names)).fit_transform(rows)


def codes_of(value: Any) -> list[str]:
    """One unit's codes, in order, as every learned coder's ``fit(X, y)`` reads ``y``: a
    code, a collection of codes, or none (``None``, NaN, ``pd.NA``, ``""``).

    Examples
    --------
    >>> codes_of("applied"), codes_of(("potential", "potential_human"))
    (['applied'], ['potential', 'potential_human'])
    >>> codes_of(pd.NA), codes_of(""), codes_of(float("nan"))
    ([], [], [])
    """
    if isinstance(value, str):
        return [value] if value else []
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return []
    return [str(v) for v in value]
