"""Validity against reference codes: one code per unit, kappa with a bootstrap interval,
precision, recall and F1 per code, coverage when a coder may abstain, and reliability.

Made for coded sets whose units each carry a few codes, such as published quotes coded by
their authors (``data/dev/``): each unit's *primary* code is compared, the first code the
reference gives and the machine's most confident one. Sub-codes count as their top-level
code (``potential_human`` is ``potential``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from copanalysis.analysis.agreement import NONE
from copanalysis.codebooks.codebook import Codebook
from copanalysis.io.codebooks import load_codebook

__all__ = ["NONE", "primary_codes", "reliability", "validity"]


def primary_codes(
    codes: pd.DataFrame, *, codebook: str | Codebook, by: str = "confidence"
) -> pd.DataFrame:
    """Each unit's primary top-level code.

    Parameters
    ----------
    codes : DataFrame
        A ``codes`` frame; codes outside ``codebook`` are ignored.
    codebook : str or Codebook
    by : {"confidence", "order"}
        ``"confidence"``: the code with the highest confidence (a machine's choice; ties go
        to codebook order). ``"order"``: the first code listed for the unit (a reference
        set's main code, when its rows list it first).

    Returns
    -------
    DataFrame
        Indexed by ``doc_id``: ``code`` (top-level), ``confidence``, ``polarity``.

    Examples
    --------
    >>> codes = pd.DataFrame({"doc_id": ["a", "a", "b"], "code": ["potential_human",
    ...     "applied", "realized"], "confidence": [0.9, 0.6, 0.7], "polarity": [1, 1, -1]})
    >>> primary_codes(codes, codebook="value_cycles")["code"].to_dict()
    {'a': 'potential', 'b': 'realized'}
    """
    book = load_codebook(codebook)
    top = _top_level(book)
    rows = codes[codes["code"].astype(str).isin(top)].copy()
    rows["code"] = rows["code"].astype(str).map(top)
    rows["rank"] = rows["code"].map({c.code: i for i, c in enumerate(book.codes)})
    rows["doc_id"] = rows["doc_id"].astype(str)
    rows["order"] = np.arange(len(rows))
    if by == "confidence":
        rows = rows.sort_values(["confidence", "rank"], ascending=[False, True], kind="stable")
    elif by != "order":
        raise ValueError(f"by must be 'confidence' or 'order', got {by!r}")
    first = rows.drop_duplicates("doc_id").set_index("doc_id")
    if "polarity" not in first.columns:
        first["polarity"] = 1
    return first[["code", "confidence", "polarity"]]


def validity(
    predicted: pd.DataFrame,
    *,
    reference: pd.Series,
    labels: Sequence[str],
    min_confidence: float = 0.0,
    n_boot: int = 2000,
    level: float = 0.95,
    random_state: int = 0,
) -> pd.DataFrame:
    """Compare a coder's primary codes with reference codes, unit by unit.

    Parameters
    ----------
    predicted : DataFrame
        :func:`primary_codes` of the coder; units it did not code are missing.
    reference : Series
        The reference code of each unit, indexed by ``doc_id`` (every unit scored).
    labels : sequence of str
        The codes reported, one row each.
    min_confidence : float
        The coder abstains on units whose primary code is less confident than this.
    n_boot : int
        Bootstrap resamples of the units for the kappa interval.
    level : float
        The interval's coverage.
    random_state : int
        Seed of the bootstrap.

    Returns
    -------
    DataFrame
        One row per label: ``precision``, ``recall``, ``f1``, ``support`` (reference
        units), ``predicted`` (units the coder gave it), over every unit: a unit the coder
        left uncoded is a miss of its reference code (recall), and no code given
        (precision).
        ``attrs``: ``units``, ``coded`` and ``coverage`` (coded / units); ``kappa`` over
        every unit (an abstention counts as a category of its own, "(none)") with
        ``kappa_low`` and ``kappa_high``; ``accuracy`` over every unit; ``precision`` and
        ``kappa_coded`` over the coded units alone.

    Examples
    --------
    >>> reference = pd.Series(["applied", "potential", "applied", "realized"],
    ...                       index=["a", "b", "c", "d"])
    >>> predicted = pd.DataFrame({"code": ["applied", "potential", "realized"],
    ...                           "confidence": [0.9, 0.8, 0.3]}, index=["a", "b", "c"])
    >>> table = validity(predicted, reference=reference,
    ...                  labels=["potential", "applied", "realized"],
    ...                  min_confidence=0.5, n_boot=200)
    >>> table.attrs["coverage"], table.attrs["precision"]
    (0.5, 1.0)
    >>> table.loc["applied", ["precision", "recall", "support"]].tolist()  # "c": uncoded
    [1.0, 0.5, 2.0]
    >>> table.attrs["accuracy"]
    0.5
    """
    from sklearn.metrics import cohen_kappa_score

    truth, chosen = _aligned(reference, predicted)
    coded = chosen["code"].notna() & (chosen["confidence"].fillna(-1) >= min_confidence)
    guess = chosen["code"].where(coded, NONE).astype(str)
    table = _per_label(truth, guess, labels)
    y, p = truth.to_numpy(), guess.to_numpy()
    table.attrs.update(
        units=len(truth),
        coded=int(coded.sum()),
        coverage=float(coded.mean()) if len(truth) else float("nan"),
        accuracy=float((y == p).mean()) if len(truth) else float("nan"),
        precision=float((y[coded] == p[coded]).mean()) if coded.any() else float("nan"),
        kappa=_kappa(cohen_kappa_score, y, p),
        kappa_coded=_kappa(cohen_kappa_score, y[coded], p[coded]),
        min_confidence=min_confidence,
    )
    low, high = _interval(y, p, n_boot, level, random_state)
    table.attrs.update(kappa_low=low, kappa_high=high)
    return table


def reliability(predicted: pd.DataFrame, *, reference: pd.Series, bins: int = 5) -> pd.DataFrame:
    """How often a coder's primary code is right, by its confidence.

    Parameters
    ----------
    predicted : DataFrame
        :func:`primary_codes` of the coder.
    reference : Series
        The reference code of each unit, indexed by ``doc_id``.
    bins : int
        Equal-width confidence bins over 0..1.

    Returns
    -------
    DataFrame
        One row per bin with units: ``low``, ``high``, ``confidence`` (mean),
        ``accuracy`` (share right), ``units``. ``attrs["ece"]``: the expected calibration
        error (the units-weighted mean gap between confidence and accuracy).

    Examples
    --------
    >>> reference = pd.Series(["applied", "applied", "potential"], index=["a", "b", "c"])
    >>> predicted = pd.DataFrame({"code": ["applied", "potential", "potential"],
    ...                           "confidence": [0.9, 0.3, 0.8]}, index=["a", "b", "c"])
    >>> reliability(predicted, reference=reference, bins=2)[["confidence", "accuracy", "units"]]
       confidence  accuracy  units
    0        0.30       0.0      1
    1        0.85       1.0      2
    """
    truth, chosen = _aligned(reference, predicted)
    chosen = chosen.dropna(subset=["code", "confidence"])
    right = (chosen["code"].astype(str) == truth.reindex(chosen.index)).astype(float)
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(chosen["confidence"].to_numpy(float), edges[1:-1]), 0, bins - 1)
    rows = []
    for b in range(bins):
        mask = which == b
        if mask.any():
            rows.append(
                {
                    "low": edges[b],
                    "high": edges[b + 1],
                    "confidence": float(chosen["confidence"].to_numpy(float)[mask].mean()),
                    "accuracy": float(right.to_numpy()[mask].mean()),
                    "units": int(mask.sum()),
                }
            )
    table = pd.DataFrame(rows, columns=["low", "high", "confidence", "accuracy", "units"])
    gap = (table["confidence"] - table["accuracy"]).abs() * table["units"]
    table.attrs["ece"] = float(gap.sum() / table["units"].sum()) if len(table) else float("nan")
    return table


def _aligned(reference: pd.Series, predicted: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame]:
    """The reference codes and the coder's rows of the same units, both indexed by the unit
    ids as text (the primary codes' ``doc_id`` is text; integer ids matched nothing)."""
    truth = pd.Series(reference.astype(str).to_numpy(), index=reference.index.astype(str))
    chosen = predicted.set_axis(predicted.index.astype(str)).reindex(truth.index)
    return truth, chosen


def _top_level(book: Codebook) -> dict[str, str]:
    """Every code of ``book`` -> its top-level ancestor."""
    return {code.code: book.lineage(code.code)[-1] for code in book.codes}


def _per_label(truth: pd.Series, guess: pd.Series, labels: Sequence[str]) -> pd.DataFrame:
    rows = []
    for label in labels:
        hit = int(((truth == label) & (guess == label)).sum())
        support = int((truth == label).sum())
        given = int((guess == label).sum())
        precision = hit / given if given else float("nan")
        recall = hit / support if support else float("nan")
        f1 = (
            2 * precision * recall / (precision + recall)
            if given and support and (precision + recall)
            else 0.0
            if support
            else float("nan")
        )
        rows.append(
            {
                "code": label,
                "precision": precision,
                "recall": recall,
                "f1": f1,
                "support": float(support),
                "predicted": float(given),
            }
        )
    columns = ["code", "precision", "recall", "f1", "support", "predicted"]
    return pd.DataFrame(rows, columns=columns).set_index("code")


def _kappa(score: object, y: np.ndarray, p: np.ndarray) -> float:
    import warnings

    if len(y) < 2 or len(set(y) | set(p)) < 2:
        return float("nan")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return float(score(y, p))  # type: ignore[operator]


def _interval(
    y: np.ndarray, p: np.ndarray, n_boot: int, level: float, random_state: int
) -> tuple[float, float]:
    """Percentile bootstrap interval of Cohen's kappa over resampled units."""
    if len(y) < 2 or n_boot < 1:
        return float("nan"), float("nan")
    categories, codes = np.unique(np.concatenate([y, p]), return_inverse=True)
    a, b = codes[: len(y)], codes[len(y) :]
    k = len(categories)
    pairs = a * k + b
    rng = np.random.default_rng(random_state)
    draws = rng.integers(0, len(y), size=(n_boot, len(y)))
    counts = np.zeros((n_boot, k * k))
    np.add.at(counts, (np.repeat(np.arange(n_boot), len(y)), pairs[draws].ravel()), 1)
    table = counts.reshape(n_boot, k, k) / len(y)
    observed = np.trace(table, axis1=1, axis2=2)
    expected = (table.sum(axis=2) * table.sum(axis=1)).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        kappas = (observed - expected) / (1 - expected)
    kappas = kappas[np.isfinite(kappas)]
    if not len(kappas):
        return float("nan"), float("nan")
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(kappas, [tail, 100 - tail])
    return float(low), float(high)
