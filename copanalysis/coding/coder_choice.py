"""Choosing the coder of the value cycles against a person's codes (``coder="best"``).

The default coder (:func:`~copanalysis.coding.coders.default_coder`) was measured against
the authors' codes on the real development set; a study's own codes are a second,
usually smaller, sample. So the default is kept unless another coder does better on the
study's codes beyond the uncertainty of the difference:

* each other coder's macro F1 is compared with the default's on the same stories, and the
  difference is bootstrapped by resampling stories (the sentences of a story go together),
  with :func:`scipy.stats.bootstrap` (percentile intervals);
* the intervals are Bonferroni-corrected for the number of coders compared, so that the
  default is replaced by chance at most 5% of the time (95% for all the comparisons
  together; each interval is at ``1 - 0.05 / k``);
* a coder whose interval lies wholly above 0 beats the default; of those, the one with the
  highest macro F1 codes the stories;
* a coder that does not judge polarity (the TF-IDF ``model`` coder: its codes are all +1)
  never replaces one that does: macro F1 counts which codes a sentence has, not their
  polarity, so no figure here can show what it loses (trial 41: "It made no difference"
  read as applied value, 0 of 66,718 codes negative).

Trial 41 chose the ``model`` coder over the default on macro F1 0.64 against 0.63 on 30
stories, where the difference's interval was about [-0.04, +0.06].
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["FAMILY_CONFIDENCE", "choose_coder", "compare_with_default", "macro_f1"]

#: The confidence of all the comparisons with the default together (Bonferroni).
FAMILY_CONFIDENCE = 0.95
#: Bootstrap resamples of the stories (scipy's default).
N_RESAMPLES = 9999
#: Cells of a resample's (resamples, stories, codes, 3) counts held in memory at once.
_CELLS_PER_BATCH = 2_000_000
_KINDS = ["tp", "fp", "fn"]


def macro_f1(counts: np.ndarray) -> np.ndarray:
    """The macro F1 of summed ``tp, fp, fn`` counts (last axis) over codes (the axis
    before it), averaged over the codes the person or the machine used, as
    :func:`~copanalysis.coding.evaluation.evaluate` averages them; 0 with no code used.

    Examples
    --------
    >>> counts = np.array([[2, 1, 1], [0, 0, 0], [0, 1, 0]])  # F1 2/3, unused, 0
    >>> print(f"{float(macro_f1(counts)):.3f}")
    0.333
    """
    tp, fp, fn = counts[..., 0], counts[..., 1], counts[..., 2]
    used = (tp + fp + fn) > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.where(used, 2 * tp / (2 * tp + fp + fn), 0.0)
        mean = f1.sum(axis=-1) / used.sum(axis=-1)
    return np.nan_to_num(mean, nan=0.0)


def _array(counts: pd.DataFrame, docs: list[str], codes: list[str]) -> np.ndarray:
    """One coder's counts as a (stories, codes, 3) array; absent cells are 0."""
    index = pd.MultiIndex.from_product([docs, codes], names=["doc_id", "code"])
    cells = counts.set_index(["doc_id", "code"])[_KINDS].reindex(index, fill_value=0)
    return cells.to_numpy(dtype=float).reshape(len(docs), len(codes), len(_KINDS))


def compare_with_default(
    counts: pd.DataFrame,
    *,
    default: str,
    family_confidence: float = FAMILY_CONFIDENCE,
    n_resamples: int = N_RESAMPLES,
    random_state: int = 0,
) -> pd.DataFrame:
    """Each other coder's macro F1 minus the default's, with a paired bootstrap interval
    over stories.

    Parameters
    ----------
    counts : DataFrame
        Every coder's :func:`~copanalysis.coding.evaluation.document_counts` of the same
        stories, with a ``coder`` column.
    default : str
        The coder the others are compared with.
    family_confidence : float
        The confidence of all the intervals together; each is at
        ``1 - (1 - family_confidence) / k`` for ``k`` coders compared (Bonferroni).
    n_resamples : int
        Bootstrap resamples of the stories.
    random_state : int
        Seed of the resampling (the same resamples for every coder).

    Returns
    -------
    DataFrame
        One row per other coder, in the order of ``counts``: ``coder``, ``default``,
        ``difference`` (its macro F1 minus the default's), ``low`` and ``high`` (the
        percentile interval), ``confidence`` (of each interval), ``stories`` (resampled).

    Examples
    --------
    >>> one = pd.DataFrame({"doc_id": list("abcdef"), "code": "applied",
    ...                     "tp": [1, 1, 1, 1, 1, 1], "fp": 0, "fn": 0})
    >>> other = one.assign(tp=[1, 0, 1, 0, 1, 0], fn=[0, 1, 0, 1, 0, 1])
    >>> counts = pd.concat([one.assign(coder="semantic"), other.assign(coder="model")])
    >>> found = compare_with_default(counts, default="semantic", n_resamples=999)
    >>> found[["coder", "default", "confidence", "stories"]].values.tolist()
    [['model', 'semantic', 0.95, 6]]
    >>> print(f"{found['difference'].iloc[0]:+.3f}")
    -0.333
    >>> bool(found["high"].iloc[0] < 0)
    True
    """
    from scipy.stats import bootstrap

    coders = list(dict.fromkeys(counts["coder"].astype(str)))
    others = [c for c in coders if c != default]
    columns = ["coder", "default", "difference", "low", "high", "confidence", "stories"]
    if default not in coders or not others:
        return pd.DataFrame(columns=columns)
    docs = sorted(set(counts["doc_id"].astype(str)))
    codes = list(dict.fromkeys(counts["code"].astype(str)))
    arrays = {
        c: _array(counts[counts["coder"].astype(str) == c].astype({"doc_id": str}), docs, codes)
        for c in coders
    }
    confidence = 1 - (1 - family_confidence) / len(others)
    batch = max(1, _CELLS_PER_BATCH // (len(docs) * len(codes) * len(_KINDS)))
    rows = []
    for other in others:
        mine, theirs = arrays[other], arrays[default]

        def difference(
            index: np.ndarray, axis: int = -1, *, a: Any = mine, b: Any = theirs
        ) -> Any:
            picked = index.astype(int)  # (..., stories): each resample's stories
            return macro_f1(a[picked].sum(axis=-3)) - macro_f1(b[picked].sum(axis=-3))

        found = bootstrap(
            (np.arange(len(docs)),),
            difference,
            vectorized=True,
            n_resamples=n_resamples,
            batch=batch,
            confidence_level=confidence,
            method="percentile",
            random_state=np.random.default_rng(random_state),
        )
        rows.append(
            {
                "coder": other,
                "default": default,
                "difference": float(difference(np.arange(len(docs)))),
                "low": float(found.confidence_interval.low),
                "high": float(found.confidence_interval.high),
                "confidence": round(confidence, 4),
                "stories": len(docs),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def choose_coder(
    scores: Mapping[str, float],
    comparison: pd.DataFrame,
    *,
    default: str,
    judges_polarity: Mapping[str, bool],
    main_coder: str,
) -> tuple[str, str]:
    """The coder that codes the stories, and why, in words a report can print.

    Parameters
    ----------
    scores : mapping of str to float
        Each coder's cross-validated macro F1 against ``main_coder``.
    comparison : DataFrame
        :func:`compare_with_default` of the same coders.
    default : str
        The package's default coder (kept unless beaten).
    judges_polarity : mapping of str to bool
        Whether each coder tells value denied from value told
        (:func:`~copanalysis.coding.coders.judges_polarity`).
    main_coder : str
        Whose codes the coders were scored against.

    Returns
    -------
    tuple of str
        The chosen coder's name; why: the scores, the rule that decided and its figures.

    Examples
    --------
    >>> comparison = pd.DataFrame({"coder": ["model", "rules"], "default": "semantic",
    ...     "difference": [0.01, -0.21], "low": [-0.04, -0.3], "high": [0.06, -0.12],
    ...     "confidence": 0.975, "stories": 30})
    >>> scores = {"rules": 0.42, "model": 0.64, "semantic": 0.63}
    >>> polarity = {"rules": True, "model": False, "semantic": True}
    >>> chosen, why = choose_coder(scores, comparison, default="semantic",
    ...                            judges_polarity=polarity, main_coder="Tomás")
    >>> chosen
    'semantic'
    >>> print(why)  # doctest: +NORMALIZE_WHITESPACE
    cross-validated macro F1 against Tomás: rules 0.42, model 0.64, semantic 0.63; semantic,
    the default, kept: no coder beat it beyond the uncertainty of the difference (model
    +0.01 [-0.04, +0.06], rules -0.21 [-0.30, -0.12]: the other coder's macro F1 minus
    semantic's, 97.5% paired bootstrap intervals over Tomás's 30 stories, 95% for the 2
    comparisons together); model does not judge polarity (its codes are all +1, so value
    told as absent counts as value), and macro F1 cannot show that loss, so it is not
    chosen over semantic, which does
    """
    said = ", ".join(f"{name} {score:.2f}" for name, score in scores.items())
    why = f"cross-validated macro F1 against {main_coder}: {said}"
    if not len(comparison):
        return default, why
    polar = judges_polarity.get(default, True)
    beats = comparison[comparison["low"] > 0]
    eligible = [str(c) for c in beats["coder"] if judges_polarity.get(str(c), True) or not polar]
    stories = int(comparison["stories"].iloc[0])
    level = float(comparison["confidence"].iloc[0])
    k = len(comparison)
    how = (
        f"{_percent(level)} paired bootstrap interval{'s' if k > 1 else ''} over "
        f"{main_coder}'s {stories} stories"
        + (f", {_percent(FAMILY_CONFIDENCE)} for the {k} comparisons together" if k > 1 else "")
    )
    # the coders that could have been chosen on F1 alone, or read better, but say nothing
    # of polarity: said, so that a reader does not wonder why they were passed over
    blind = [
        str(name)
        for name, gain in zip(comparison["coder"], comparison["difference"], strict=True)
        if polar and not judges_polarity.get(str(name), True) and float(gain) > 0
    ]
    blind_said = ""
    if blind:
        names = " and ".join(blind)
        does = "does" if len(blind) == 1 else "do"
        blind_said = (
            f"; {names} {does} not judge polarity (its codes are all +1, so value told as "
            f"absent counts as value), and macro F1 cannot show that loss, so "
            f"{'it is' if len(blind) == 1 else 'they are'} not chosen over {default}, "
            "which does"
        )
    if eligible:
        chosen = max(eligible, key=lambda c: scores[c])
        row = comparison[comparison["coder"] == chosen].iloc[0]
        return chosen, (
            f"{why}; {chosen} chosen over {default}, the default: its macro F1 is higher "
            f"beyond the uncertainty of the difference, by {_interval(row)} ({how})"
            f"{blind_said}"
        )
    each = ", ".join(f"{row.coder} {_interval(row)}" for row in comparison.itertuples())
    return default, (
        f"{why}; {default}, the default, kept: no coder beat it beyond the uncertainty of the "
        f"difference ({each}: the other coder's macro F1 minus {default}'s, {how})"
        f"{blind_said}"
    )


def _interval(row: Any) -> str:
    return f"{row.difference:+.2f} [{row.low:+.2f}, {row.high:+.2f}]"


def _percent(level: float) -> str:
    """``0.975`` as ``"97.5%"``, ``0.95`` as ``"95%"``, ``0.98333`` as ``"98.3%"``."""
    return f"{level * 100:.1f}".removesuffix(".0") + "%"
