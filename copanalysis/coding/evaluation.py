"""How well a coder reproduces people's codes: per-code precision, recall, F1 and kappa.

Learned coders are cross-validated by document (no story is in both the training and the
test folds); the rule coder learns nothing and is scored on every coded document.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from copanalysis.coding.coders import CLASSES
from copanalysis.coding.scoring import indicator
from copanalysis.errors import SchemaError
from copanalysis.frames import ID_COLUMNS, MIN_APPLIED, CountUnit
from copanalysis.schema import validate

__all__ = [
    "cross_val_codes",
    "document_counts",
    "evaluate",
    "evaluate_out_of_fold",
    "found_codes",
]

MICRO = "(micro avg)"
MACRO = "(macro avg)"
_COLUMNS = [
    "code",
    "precision",
    "recall",
    "f1",
    "cohen_kappa",
    "kappa_low",
    "kappa_high",
    "support",
    "predicted",
    "fewest_applied",
]


def _named_coder(
    name: str, codes_gold: pd.DataFrame, *, fitted: bool, caller: str = "evaluate"
) -> Any:
    """The coder ``name`` for the one codebook of ``codes_gold`` (fitted on the codebook's
    own material when ``fitted``); errors name ``caller``."""
    from copanalysis.coding.coders import fit_default, make_coder

    books = sorted(set(codes_gold["codebook"].dropna().astype(str))) if len(codes_gold) else []
    if len(books) != 1:
        raise SchemaError(
            f"{caller}: coder {name!r} is a name, and the human codes hold "
            f"{'no codebook' if not books else 'codes of ' + ', '.join(books)}; pass a coder "
            "made for one codebook, such as copanalysis.RuleCoder('value_cycles'), or the "
            "codes of one codebook"
        )
    coder = make_coder(name, books[0])
    return fit_default(coder) if fitted else coder


def evaluate(
    coder: Any,
    codes_gold: pd.DataFrame,
    frame: pd.DataFrame,
    *,
    cv: int = 5,
    unit: CountUnit = "segment",
    coders: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    random_state: int = 0,
    n_boot: int = 1000,
    confidence: float = 0.95,
    progress: bool = False,
) -> pd.DataFrame:
    """Score a coder against human codes, cross-validated by document for learned coders.

    Parameters
    ----------
    coder : RuleCoder, TextCoder, SemanticCoder, EnsembleCoder, or a coder's name
        A coder with ``code(frame)``, or a name as ``code()`` takes it (``"rules"``,
        ``"model"``, ``"semantic"``, ``"ensemble"``), made for the codebook of the human
        codes (with ``cv=0``, trained on that codebook's own material first). One that
        learns (anything but the rule coder) is
        cloned and refitted in each fold on the other folds' documents, the way a
        researcher trains it on their own codes: with its ``fit_codes`` (the semantic coder
        adds its training corpus), else with ``fit(texts, y)`` on their segments.
    codes_gold : DataFrame
        The human ``codes``.
    frame : DataFrame
        The frame both coded (``stories`` ...).
    cv : int
        Folds of :class:`~sklearn.model_selection.GroupKFold` over documents. ``0``: no
        refitting; score the coder as fitted (say, a ``TextCoder`` trained with
        ``fit_codebook``, which never saw the gold set) on every coded document.
    unit : {"segment", "doc"}
        Score each segment (the coder's ``unit``: a code is right on a segment when a
        gold span of that code overlaps it) or each document (the set of codes it got).
    coders : sequence of str, optional
        Whose codes are the gold standard. Default: the coder who coded the most
        documents (one person's consistent coding, not a mix; on a tie, the first name in
        alphabetical order). Name them when two people coded the same documents.
    labels : sequence of str, optional
        The codes to score. Default: the codebook's codes that occur in the gold set.
    random_state : int
        Seed of the learned coder's refits (folds are deterministic groups) and of the
        bootstrap.
    n_boot : int
        Bootstrap resamples of the units for the kappa intervals (0: none), as in
        :func:`~copanalysis.agreement`.
    confidence : float
        Level of the percentile intervals.
    progress : bool
        Show a progress bar over the folds.

    Returns
    -------
    DataFrame
        One row per code, then ``(micro avg)`` and ``(macro avg)`` (over the codes the
        gold or the coder uses, as the coders' ``score``); columns ``code``,
        ``precision``, ``recall``, ``f1``, ``cohen_kappa`` (machine vs gold on the
        presence of the code per unit), ``kappa_low`` and ``kappa_high`` (its percentile
        bootstrap interval over the units, as :func:`~copanalysis.agreement` gives it;
        the micro and macro averages' resample each unit with all its codes, the macro's
        averaging the codes' kappas in each resample), ``support`` (gold positives),
        ``predicted`` (machine positives), ``fewest_applied`` (the fewer of the two). A
        code the gold or the machine applied to fewer than
        :data:`~copanalysis.frames.MIN_APPLIED` units gets no kappa and no interval (NaN),
        as in :func:`~copanalysis.agreement`: one positive against none reads as a precise
        1.00 or 0.00; the macro kappa averages the codes that have one. ``attrs``:
        ``coder`` (its ``coder_``), ``gold`` (the gold coders), ``unit``, ``cv`` (folds, 0
        for the rule coder), ``units`` (scored).

    Raises
    ------
    SchemaError
        When the gold set has no codes of the coder's codebook, or fewer documents than
        folds.
    """
    table, _ = _evaluated(
        coder, codes_gold, frame, cv=cv, unit=unit, coders=coders, labels=labels,
        random_state=random_state, progress=progress, n_boot=n_boot, confidence=confidence,
    )  # fmt: skip
    return table


def evaluate_out_of_fold(
    coder: Any,
    codes_gold: pd.DataFrame,
    frame: pd.DataFrame,
    *,
    cv: int = 5,
    coders: Sequence[str] | None = None,
    random_state: int = 0,
    progress: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`evaluate` and :func:`cross_val_codes` of a learning coder from one
    cross-validation: the scores and the out-of-fold codes they are scored on.

    ``copanalysis run`` scores each coder and then needs the chosen one's out-of-fold codes
    for agreement; fitting and coding every fold a second time gave the same codes, at the
    cost of the slowest coder's whole cross-validation again (trial 35: 14 minutes).

    Parameters
    ----------
    coder, codes_gold, frame, cv, coders, random_state, progress
        As in :func:`evaluate` (a coder that learns, and ``cv`` of 2 or more).

    Returns
    -------
    tuple of DataFrame
        The table of :func:`evaluate` (``unit="segment"``) and the codes of
        :func:`cross_val_codes`, the same as each of them gives.

    Raises
    ------
    SchemaError
        As :func:`evaluate`, and when ``coder`` learns nothing or ``cv`` is under 2: it has
        no out-of-fold codes.
    """
    return _cross_validated(
        coder, codes_gold, frame, cv=cv, coders=coders, random_state=random_state,
        progress=progress, n_boot=1000, caller="evaluate_out_of_fold",
    )  # fmt: skip


def _evaluated(
    coder: Any,
    codes_gold: pd.DataFrame,
    frame: pd.DataFrame,
    *,
    cv: int = 5,
    unit: CountUnit = "segment",
    coders: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    random_state: int = 0,
    progress: bool = False,
    n_boot: int = 1000,
    confidence: float = 0.95,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`evaluate`'s table, and the machine codes it scored."""
    from sklearn.base import clone

    from copanalysis.coding.api import is_fitted
    from copanalysis.coding.training import segment_codes
    from copanalysis.io.codebooks import load_codebook

    if unit not in ("segment", "doc"):
        raise SchemaError(f"evaluate: unit {unit!r}; expected 'segment' or 'doc'")
    if isinstance(coder, str):
        coder = _named_coder(coder, codes_gold, fitted=cv == 0)
    book = load_codebook(coder.codebook)
    gold, chosen, names, labelled = _gold_units(
        codes_gold, frame, book, coders=coders, labels=labels, unit=getattr(coder, "unit", "")
    )
    docs = labelled["doc_id"].astype(str).to_numpy()
    truth = indicator(labelled["codes"].tolist(), names)
    learns = getattr(coder, "learns", True) and cv != 0
    predicted = np.zeros_like(truth)
    if learns:
        machine = _out_of_fold(coder, labelled, frame, cv, random_state, progress, gold, chosen)
        predicted = indicator(segment_codes(labelled, machine), names)
        folds_used = cv
        name = f"{type(coder).__name__} (cross-validated)"
    else:
        if not is_fitted(coder) and getattr(coder, "learns", True):
            raise SchemaError(
                f"evaluate: cv=0 scores a fitted coder as it is; {type(coder).__name__} is "
                "not fitted (fit it, or pass cv >= 2)"
            )
        fitted = coder if is_fitted(coder) else clone(coder).fit()
        subset = _subset(frame, set(docs))
        machine = fitted.code(subset)
        predicted = indicator(segment_codes(labelled, machine), names)
        folds_used = 0
        name = str(getattr(fitted, "coder_", type(coder).__name__))
    if unit == "doc":
        truth, predicted = _by_doc(truth, docs), _by_doc(predicted, docs)
    table = _scores(
        truth, predicted, names, n_boot=n_boot, confidence=confidence, random_state=random_state
    )
    table.attrs.update(
        coder=name, gold=chosen, unit=unit, cv=folds_used, units=int(truth.shape[0])
    )
    return table, machine


def _gold_units(
    codes_gold: pd.DataFrame,
    frame: pd.DataFrame,
    book: Any,
    *,
    coders: Sequence[str] | None,
    labels: Sequence[str] | None,
    unit: str,
) -> tuple[pd.DataFrame, list[str], list[str], pd.DataFrame]:
    """The gold coders' codes, their names, the codes scored and the units (``"field"``
    units for a coder whose ``unit`` is ``"field"``, else sentences) with their gold
    ``codes``, as :func:`evaluate` scores them."""
    from copanalysis.coding.training import code_labels, human_codes, main_coder

    gold = human_codes(codes_gold)
    chosen = list(coders) if coders is not None else [main_coder(gold)]
    gold = gold[gold["coder"].isin(chosen)]
    codable = [c.code for c in book.codes if c.codable]
    present = {a for c in set(gold["code"].astype(str)) for a in book.lineage(c) or (c,)}
    names = list(labels) if labels is not None else [c for c in codable if c in present]
    if not names:
        raise SchemaError(
            f"codes frame: column 'code' holds no code of codebook {book.name!r} for "
            f"{', '.join(chosen)}"
        )
    coder_unit: Literal["sentence", "field"] = "field" if unit == "field" else "sentence"
    labelled = code_labels(frame, gold, codebook=book, unit=coder_unit)
    return gold, chosen, names, labelled


def document_counts(
    codes_gold: pd.DataFrame,
    machine: pd.DataFrame,
    frame: pd.DataFrame,
    *,
    codebook: str,
    coders: Sequence[str] | None = None,
    unit: Literal["sentence", "field"] = "sentence",
) -> pd.DataFrame:
    """For each coded document and code, the units behind :func:`evaluate`'s F1: those
    the machine and the person both gave the code (``tp``), the machine alone (``fp``),
    the person alone (``fn``).

    Summed over documents they give :func:`evaluate`'s scores of the same ``machine``
    codes (its ``unit="segment"`` table); a bootstrap that resamples documents resamples
    these rows (:func:`~copanalysis.coding.coder_choice.compare_with_default`).

    Parameters
    ----------
    codes_gold : DataFrame
        The human ``codes``.
    machine : DataFrame
        The machine's ``codes`` of the same documents (out-of-fold ones for a coder that
        learns, as :func:`evaluate_out_of_fold` gives them).
    frame : DataFrame
        The frame both coded (``stories`` ...).
    codebook : str
        The codebook of the codes.
    coders : sequence of str, optional
        Whose codes are the gold standard, as in :func:`evaluate`.
    unit : {"sentence", "field"}
        The machine coder's unit.

    Returns
    -------
    DataFrame
        One row per document and scored code (codebook order), columns ``doc_id``,
        ``code``, ``tp``, ``fp``, ``fn``.

    Examples
    --------
    >>> stories = pd.DataFrame({"story_id": ["s1", "s2"],
    ...                         "story": ["I learned. I changed.", "I met them."]})
    >>> person = pd.DataFrame({"doc_id": ["s1", "s2"], "field": ["story"] * 2,
    ...     "start": [0, 0], "end": [10, 11], "code": ["potential", "immediate"],
    ...     "codebook": "value_cycles", "coder": "Ana"})
    >>> machine = person.assign(code=["potential", "potential"], coder="semantic")
    >>> document_counts(person, machine, stories, codebook="value_cycles")
      doc_id       code  tp  fp  fn
    0     s1  immediate   0   0   0
    1     s1  potential   1   0   0
    2     s2  immediate   0   0   1
    3     s2  potential   0   1   0
    """
    import warnings

    from copanalysis.coding.training import segment_codes
    from copanalysis.io.codebooks import load_codebook

    book = load_codebook(codebook)
    with warnings.catch_warnings():  # said once already, when the coder was scored
        warnings.simplefilter("ignore", UserWarning)
        _, _, names, labelled = _gold_units(
            codes_gold, frame, book, coders=coders, labels=None, unit=unit
        )
    truth = indicator(labelled["codes"].tolist(), names).astype(bool)
    predicted = indicator(segment_codes(labelled, machine), names).astype(bool)
    cells = {"tp": truth & predicted, "fp": ~truth & predicted, "fn": truth & ~predicted}
    docs = labelled["doc_id"].astype(str).to_numpy()
    rows = [
        pd.DataFrame(cell.astype(int), columns=names).assign(doc_id=docs)
        .groupby("doc_id", sort=True).sum()
        .melt(ignore_index=False, var_name="code", value_name=kind)
        .set_index("code", append=True)[kind]
        for kind, cell in cells.items()
    ]  # fmt: skip
    counts = pd.concat(rows, axis=1).reset_index()
    order = {name: i for i, name in enumerate(names)}
    counts = counts.sort_values(
        ["doc_id", "code"], key=lambda c: c.map(order) if c.name == "code" else c
    )
    return counts.reset_index(drop=True)[["doc_id", "code", "tp", "fp", "fn"]]


def cross_val_codes(
    coder: Any,
    codes_gold: pd.DataFrame,
    frame: pd.DataFrame,
    *,
    cv: int = 5,
    coders: Sequence[str] | None = None,
    random_state: int = 0,
    progress: bool = False,
) -> pd.DataFrame:
    """Out-of-fold machine codes: each document coded by a coder that never saw it.

    Use it for honest human-vs-machine agreement on the gold set (a coder trained on all
    of it would be scored on its own training data).

    Parameters
    ----------
    coder : TextCoder, SemanticCoder, EnsembleCoder, or a coder's name
        Cloned and refitted on the other folds' documents, as in :func:`evaluate`; a name
        (``"model"``, ``"semantic"``, ``"ensemble"``) is made for the codebook of the human
        codes, as :func:`evaluate` makes it.
    codes_gold, frame, cv, coders, random_state, progress
        As in :func:`evaluate`.

    Returns
    -------
    DataFrame
        A ``codes`` frame for the coded documents; ``coder`` is
        ``<model|semantic|ensemble|llm>:<codebook>@cv<k>`` (the folds' coders differ in
        their hash): those :func:`evaluate_out_of_fold` scores.

    Raises
    ------
    SchemaError
        As :func:`evaluate_out_of_fold`.
    """
    if isinstance(coder, str):
        coder = _named_coder(coder, codes_gold, fitted=False, caller="cross_val_codes")
    _, machine = _cross_validated(
        coder, codes_gold, frame, cv=cv, coders=coders, random_state=random_state,
        progress=progress, n_boot=0, caller="cross_val_codes",
    )  # fmt: skip
    return machine


def found_codes(
    codes_gold: pd.DataFrame, machine: pd.DataFrame, frame: pd.DataFrame, *, codebook: str
) -> pd.DataFrame:
    """How many of a person's sentences of each code the machine found that code in.

    A code the machine found in none of them (``found`` 0) is one it missed every time,
    which a pooled agreement figure hides and "too few to estimate" reads as rare (trial 35:
    reframing, coded in 4 sentences, found in none out-of-fold).

    Parameters
    ----------
    codes_gold : DataFrame
        One person's ``codes`` (sub-codes count as their parents too).
    machine : DataFrame
        The machine's ``codes`` of the same documents (out-of-fold ones, to be honest).
    frame : DataFrame
        The frame both coded (``stories`` ...), split into sentences.
    codebook : str
        The codebook of the codes.

    Returns
    -------
    DataFrame
        One row per code the person used, in codebook order: ``code``, ``sentences`` (the
        person's sentences with it) and ``found`` (those of them the machine gave it too).

    Examples
    --------
    >>> stories = pd.DataFrame({"story_id": ["s1"], "insights": ["I learned. I changed."]})
    >>> person = pd.DataFrame({"doc_id": ["s1", "s1"], "field": ["insights"] * 2,
    ...     "start": [0, 11], "end": [10, 21], "code": ["potential", "reframing"],
    ...     "codebook": "value_cycles", "coder": "Ana"})
    >>> machine = person.iloc[:1].assign(coder="semantic")
    >>> found_codes(person, machine, stories, codebook="value_cycles")
            code  sentences  found
    0  potential          1      1
    1  reframing          1      0
    """
    from copanalysis.coding.training import code_labels, segment_codes
    from copanalysis.io.codebooks import load_codebook

    book = load_codebook(codebook)
    labelled = code_labels(frame, codes_gold, codebook=book, unit="sentence")
    truth = labelled["codes"].tolist()
    predicted = segment_codes(labelled, machine)
    rows = [
        {
            "code": c.code,
            "sentences": sum(c.code in t for t in truth),
            "found": sum(
                c.code in t and c.code in p for t, p in zip(truth, predicted, strict=True)
            ),
        }
        for c in book.codes
    ]
    table = pd.DataFrame(rows, columns=["code", "sentences", "found"])
    return table[table["sentences"] > 0].reset_index(drop=True)


#: How ``coder`` names a coder class (the names ``code(coder=...)`` takes).
_KINDS = {cls: name for name, (_, cls) in CLASSES.items()}


def _cross_validated(
    coder: Any,
    codes_gold: pd.DataFrame,
    frame: pd.DataFrame,
    *,
    cv: int,
    caller: str,
    **options: Any,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`evaluate_out_of_fold`: the scores of a learning coder's out-of-fold codes,
    and those codes, their ``coder`` named ``<kind>:<codebook>@cv<k>``."""
    from copanalysis.io.codebooks import load_codebook

    if isinstance(coder, str) or not getattr(coder, "learns", True) or cv < 2:
        raise SchemaError(
            f"{caller}: {coder!r} with cv={cv} is not cross-validated; pass a "
            "coder object that learns, and cv of 2 or more"
        )
    table, machine = _evaluated(coder, codes_gold, frame, cv=cv, **options)
    book = load_codebook(coder.codebook).name
    kind = _KINDS.get(type(coder).__name__, type(coder).__name__)
    return table, validate(machine.assign(coder=f"{kind}:{book}@cv{cv}"), "codes")


def _out_of_fold(
    coder: Any,
    labelled: pd.DataFrame,
    frame: pd.DataFrame,
    cv: int,
    random_state: int,
    progress: bool,
    gold: pd.DataFrame,
    chosen: list[str],
) -> pd.DataFrame:
    """Codes of each fold's documents by a clone fitted on the other folds' documents: with
    its ``fit_codes`` when it has one (as a researcher trains it on their own codes: the
    semantic coder adds its training corpus), else with ``fit`` on their segments."""
    from sklearn.base import clone
    from sklearn.model_selection import GroupKFold
    from tqdm.auto import tqdm

    docs = labelled["doc_id"].astype(str).to_numpy()
    n_docs = len(set(docs))
    if cv < 2 or n_docs < cv:
        raise SchemaError(
            f"evaluate: {n_docs} coded documents; cv={cv} needs at least 2 folds and "
            f"{max(cv, 2)} documents"
        )
    parts_out = []
    folds = GroupKFold(n_splits=cv).split(labelled, groups=docs)
    for train, test in tqdm(list(folds), disable=not progress, desc="folds"):
        fitted = clone(coder)
        if "random_state" in fitted.get_params():
            fitted.set_params(random_state=random_state)
        if hasattr(fitted, "fit_codes"):
            seen = set(docs[train])
            fitted.fit_codes(
                _subset(frame, seen),
                gold[gold["doc_id"].astype(str).isin(seen)],
                coders=chosen,
            )
        else:
            train_codes = labelled["codes"].iloc[train].tolist()
            train_names = sorted({c for label in train_codes for c in label})
            fitted.fit(
                labelled["text"].iloc[train].tolist(),
                pd.DataFrame(indicator(train_codes, train_names), columns=train_names),
            )
        parts = labelled.iloc[test].drop(columns="codes").reset_index(drop=True)
        subset = _subset(frame, set(docs[test]))
        parts_out.append(fitted.code(subset, segments=parts))
    return pd.concat(parts_out, ignore_index=True)


def _subset(frame: pd.DataFrame, docs: set[str]) -> pd.DataFrame:
    """The rows of ``frame`` of the documents ``docs`` (all of it without an id column)."""
    id_column = next((c for c in ID_COLUMNS if c in frame.columns), None)
    if id_column is None:
        return frame
    return frame[frame[id_column].astype(str).isin(docs)]


def _by_doc(matrix: np.ndarray, docs: np.ndarray) -> np.ndarray:
    frame = pd.DataFrame(matrix).assign(doc=docs)
    return frame.groupby("doc", sort=True).max().to_numpy()


def _scores(
    truth: np.ndarray,
    predicted: np.ndarray,
    names: Sequence[str],
    *,
    n_boot: int = 1000,
    confidence: float = 0.95,
    random_state: int = 0,
) -> pd.DataFrame:
    from sklearn.metrics import cohen_kappa_score, precision_recall_fscore_support

    from copanalysis.analysis.agreement import OVERALL

    interval = functools.partial(
        _kappa_interval, n_boot=n_boot, confidence=confidence, random_state=random_state
    )

    # one code is a one-column matrix, which scikit-learn reads as a binary target and
    # scores its label 0, the code's absence (trial 45): a column nobody uses keeps it a
    # multilabel indicator, and adds nothing to any count
    wide_truth, wide_predicted = (
        np.hstack([m, np.zeros((m.shape[0], 1), dtype=m.dtype)]) if m.shape[1] == 1 else m
        for m in (truth, predicted)
    )
    precision, recall, f1, support = precision_recall_fscore_support(
        wide_truth,
        wide_predicted,
        average=None,
        labels=list(range(len(names))),
        zero_division=0.0,
    )
    made = predicted.sum(axis=0).astype(int)
    fewest = np.minimum(support, made)
    # under MIN_APPLIED units by the person or the machine, no kappa: one positive gives a
    # precise-looking 1.00 or 0.00 (trial 33), as agreement() says "too few to estimate"
    kappas = [
        _kappa(cohen_kappa_score, truth[:, j], predicted[:, j])
        if fewest[j] >= MIN_APPLIED
        else float("nan")
        for j in range(len(names))
    ]
    rows = [
        {
            "code": names[j],
            "precision": precision[j],
            "recall": recall[j],
            "f1": f1[j],
            "cohen_kappa": kappas[j],
            **interval(truth[:, j], predicted[:, j], kappas[j], code=names[j]),
            "support": int(support[j]),
            "predicted": int(made[j]),
            "fewest_applied": int(fewest[j]),
        }
        for j in range(len(names))
    ]
    micro = precision_recall_fscore_support(
        wide_truth, wide_predicted, average="micro", zero_division=0.0
    )
    # the macro average is over the codes the gold or the machine uses, as every coder's
    # score() (a code neither has is left out, not scored 0), and so is its kappa
    used = np.flatnonzero(truth.any(axis=0) | predicted.any(axis=0))
    macro = (
        precision_recall_fscore_support(
            wide_truth, wide_predicted, labels=used, average="macro", zero_division=0.0
        )
        if len(used)
        else (np.nan, np.nan, np.nan, None)
    )
    total, all_made = int(truth.sum()), int(predicted.sum())
    pooled = min(total, all_made)
    flat = (
        _kappa(cohen_kappa_score, truth.ravel(), predicted.ravel())
        if pooled >= MIN_APPLIED
        else float("nan")
    )
    # each unit is resampled with all its codes, drawn as agreement()'s pooled row is
    units = np.repeat(np.arange(truth.shape[0]), truth.shape[1])
    pooled_interval = interval(
        truth.ravel(), predicted.ravel(), flat, code=OVERALL, clusters=units
    )
    averaged = [j for j in used if np.isfinite(kappas[j])]
    macro_kappa = _mean([kappas[j] for j in averaged])
    macro_interval = _macro_kappa_interval(
        truth[:, averaged], predicted[:, averaged], n_boot=n_boot, confidence=confidence,
        random_state=random_state,
    )  # fmt: skip
    for code, scores, kappa, found in (
        (MICRO, micro, flat, pooled_interval),
        (MACRO, macro, macro_kappa, macro_interval),
    ):
        summary = [code, *scores[:3], kappa, found["kappa_low"], found["kappa_high"]]
        rows.append(dict(zip(_COLUMNS, [*summary, total, all_made, pooled], strict=True)))
    return pd.DataFrame(rows, columns=_COLUMNS).astype(
        {"code": "string", **dict.fromkeys(_COLUMNS[1:7], float)}
    )


def _kappa_interval(
    truth: np.ndarray,
    predicted: np.ndarray,
    kappa: float,
    *,
    code: str,
    n_boot: int,
    confidence: float,
    random_state: int,
    clusters: np.ndarray | None = None,
) -> dict[str, float]:
    """``kappa_low`` and ``kappa_high`` of the machine's ``predicted`` against the gold
    ``truth`` (0/1 per unit), bootstrapped as :func:`~copanalysis.agreement` does for
    ``code``; NaN where ``kappa`` is NaN.

    Examples
    --------
    >>> truth, predicted = np.array([1, 1, 1, 0, 0, 0]), np.array([1, 1, 0, 0, 0, 1])
    >>> _kappa_interval(truth, predicted, float("nan"), code="a", n_boot=100,
    ...                 confidence=0.95, random_state=0)
    {'kappa_low': nan, 'kappa_high': nan}
    """
    from copanalysis.analysis.agreement import _intervals, _rng

    if not np.isfinite(kappa):
        return {"kappa_low": np.nan, "kappa_high": np.nan}
    matrix = np.column_stack([truth, predicted]).astype(float)
    found = _intervals(matrix, n_boot, confidence, _rng(random_state, code), clusters=clusters)
    return {"kappa_low": found["kappa_low"], "kappa_high": found["kappa_high"]}


def _macro_kappa_interval(
    truth: np.ndarray, predicted: np.ndarray, *, n_boot: int, confidence: float, random_state: int
) -> dict[str, float]:
    """The percentile bootstrap interval of the macro kappa: each resample draws the units
    (each with all its codes, as the pooled kappa's do) and averages the kappas of the
    codes (columns) in it, as the macro kappa averages them; NaN with no code or no
    resample.

    Examples
    --------
    >>> truth = np.array([[1, 0], [1, 1], [1, 0], [0, 1], [0, 0], [0, 1], [1, 1], [0, 0]])
    >>> guess = np.array([[1, 0], [0, 1], [1, 0], [0, 1], [1, 0], [0, 0], [1, 1], [0, 1]])
    >>> found = _macro_kappa_interval(truth, guess, n_boot=200, confidence=0.95,
    ...                               random_state=7)
    >>> bool(found["kappa_low"] < 0.5 < found["kappa_high"])
    True
    >>> _macro_kappa_interval(truth[:, :0], guess[:, :0], n_boot=200, confidence=0.95,
    ...                       random_state=7)
    {'kappa_low': nan, 'kappa_high': nan}
    """
    import warnings

    from copanalysis.analysis.agreement import _kappa_weighted, _rng

    out = {"kappa_low": np.nan, "kappa_high": np.nan}
    units = len(truth)
    if n_boot <= 0 or not units or not truth.shape[1]:
        return out
    weights = _rng(random_state, MACRO).multinomial(units, np.full(units, 1 / units), size=n_boot)
    kappas = np.stack(
        [
            _kappa_weighted(np.column_stack([truth[:, j], predicted[:, j]]), weights.astype(float))
            for j in range(truth.shape[1])
        ]
    )
    tail = (1 - confidence) / 2 * 100
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        means = np.nanmean(kappas, axis=0)
        if np.isfinite(means).any():
            out["kappa_low"], out["kappa_high"] = np.nanpercentile(means, [tail, 100 - tail])
    return {key: float(value) for key, value in out.items()}


def _mean(values: list[float]) -> float:
    finite = [v for v in values if np.isfinite(v)]
    return float(np.mean(finite)) if finite else float("nan")


def _kappa(score: Any, a: np.ndarray, b: np.ndarray) -> float:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(score(a, b))
