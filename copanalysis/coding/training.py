"""Training material for the learned coders: units with the codes people gave them.

* :func:`codebook_material`: a codebook's own training corpus (or its examples);
* :func:`code_labels`: the segments of a coded frame, each with the codes of the human
  spans overlapping it;
* :func:`coded_segments`: the other way round, segments and the codes a coder gave them,
  as a ``codes`` frame;
* :func:`as_texts` / :func:`label_lists`: what ``fit(X, y)`` of every learned coder accepts.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from copanalysis.coding.scoring import codes_of
from copanalysis.errors import SchemaError
from copanalysis.schema import validate

if TYPE_CHECKING:
    from copanalysis.codebooks.codebook import Codebook

__all__ = [
    "as_texts",
    "calibrated",
    "codable_codes",
    "code_labels",
    "codebook_material",
    "coded_segments",
    "definition_text",
    "has_material",
    "human_codes",
    "in_codebook_order",
    "label_lists",
    "overlapping",
    "segment_codes",
]


#: How much a code's definition counts against one unit of the training corpus.
DEFINITION_WEIGHT = 3.0
#: How much each published, author-coded unit counts against one unit of the corpus (as a
#: researcher's own units count in ``fit_codes``): real text is closer to what is coded.
PUBLISHED_WEIGHT = 3.0


def as_texts(X: Iterable[str]) -> list[str]:
    """Texts as a list of str; a missing text (None, NaN) is the empty string.

    Raises
    ------
    SchemaError
        When ``X`` is one string rather than a sequence of texts.

    Examples
    --------
    >>> as_texts(["a", None, float("nan"), 3])
    ['a', '', '', '3']
    """
    if isinstance(X, str):
        raise SchemaError("expected a list or Series of texts, got one string")
    return ["" if t is None or (isinstance(t, float) and t != t) else str(t) for t in X]


def label_lists(y: Any, n: int, *, who: str = "fit") -> list[list[str]]:
    """Each of ``n`` texts' codes as a list (main code first), from label sets, single
    codes or a 0/1 DataFrame whose columns are codes; a missing label is no code.

    Raises
    ------
    SchemaError
        When ``y`` is missing or has not one row per text (the message starts with ``who``).

    Examples
    --------
    >>> label_lists([{"potential"}, "applied", None], 3)
    [['potential'], ['applied'], []]
    >>> label_lists(pd.DataFrame({"a": [1, 0], "b": [1, 1]}), 2)
    [['a', 'b'], ['b']]
    """
    if y is None:
        raise SchemaError(f"{who}: texts given without their codes (y)")
    if isinstance(y, pd.DataFrame):
        names = [str(c) for c in y.columns]
        labels = [[names[j] for j in np.flatnonzero(row)] for row in y.to_numpy().astype(bool)]
    else:
        labels = [codes_of(value) for value in y]
    if len(labels) != n:
        raise SchemaError(f"{who}: {n} texts but {len(labels)} label rows; expected one each")
    return labels


#: Folds of the cross-validation that calibrates a head (:func:`calibrated`).
CALIBRATION_FOLDS = 3


def calibrated(
    base: Any,
    features: Any,
    target: np.ndarray,
    *,
    least: float,
    random_state: Any = None,
    sample_weight: np.ndarray | None = None,
    ensemble: bool = True,
) -> Any:
    """``base`` (a linear classifier) fitted on ``features``, calibrated with sigmoids
    fitted out of fold (scikit-learn's ``CalibratedClassifierCV``, stratified
    :data:`CALIBRATION_FOLDS` folds) when every class of ``target`` has at least ``least``
    examples, else fitted as it is.

    The fit runs with one BLAS thread (threadpoolctl, as scikit-learn limits its own
    workers): the solver's many small vector operations gain nothing from a second thread,
    and on a machine busy with other work they lose much to waking it (there, a semantic
    coder's fit took 2.9 s with two threads and 0.6 s with one, the ensemble's
    cross-validated scoring on the bundled corpus 364 s and 36 s; on a quiet machine the
    two take about as long). One thread also sums in one order, so that a fit gives the
    same confidences on every run (with two they moved by up to 1e-3)."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.model_selection import StratifiedKFold
    from threadpoolctl import threadpool_limits

    _, counts = np.unique(target, return_counts=True)
    with threadpool_limits(limits=1, user_api="blas"):
        if counts.min() < least:
            return base.fit(features, target, sample_weight=sample_weight)
        folds = StratifiedKFold(CALIBRATION_FOLDS, shuffle=True, random_state=random_state)
        model = CalibratedClassifierCV(base, method="sigmoid", cv=folds, ensemble=ensemble)
        return model.fit(features, target, sample_weight=sample_weight)


def human_codes(codes: pd.DataFrame, coders: Iterable[str] | None = None) -> pd.DataFrame:
    """A person's ``codes`` frame, validated, with a polarity of 0 where none is given,
    keeping the rows of ``coders`` when named."""
    if "polarity" not in codes.columns:
        codes = codes.assign(polarity=0)
    human = validate(codes.assign(polarity=codes["polarity"].fillna(0)), "codes")
    return human if coders is None else human[human["coder"].isin(list(coders))]


def main_coder(gold: pd.DataFrame) -> str:
    """The person who coded the most documents (the first in coder order on a tie): the
    yardstick a coder is trained on and compared with. A reviewer of the machine's codes
    (a review sheet, :func:`~copanalysis.io.review.reviewed_by`) is the yardstick only
    when nobody coded on their own: their codes are not independent of the machine.

    Raises
    ------
    SchemaError
        When ``gold`` has no rows.

    Examples
    --------
    >>> gold = pd.DataFrame({"doc_id": ["s1", "s2", "s3"], "coder": ["Dina", "Dina", "Ana"]})
    >>> main_coder(gold)
    'Dina'
    >>> gold.attrs["reviewed_by"] = {"Dina": [("s1", "story", 0, 9), ("s2", "story", 0, 5)]}
    >>> main_coder(gold)
    'Ana'
    """
    from copanalysis.io.review import reviewed_by

    counts = gold.groupby("coder")["doc_id"].nunique().sort_values(ascending=False, kind="stable")
    if counts.empty:
        raise SchemaError("codes frame: no rows to use as the gold standard")
    reviewers = set(reviewed_by(gold))
    return str(sorted(counts.index, key=lambda coder: str(coder) in reviewers)[0])


def codable_codes(labels: list[list[str]], book: Codebook, *, who: str = "fit") -> list[str]:
    """The codebook's codable codes, in its order, once every label is checked to be one.

    Raises
    ------
    SchemaError
        Naming the labels that are not codable codes of ``book`` (starting with ``who``).
    """
    known = [c.code for c in book.codes if c.codable]
    unknown = sorted({c for label in labels for c in label} - set(known))
    if unknown:
        raise SchemaError(
            f"{who}: codes {', '.join(unknown)} are not codable codes of codebook {book.name!r}"
        )
    return known


def in_codebook_order(book: Codebook, codes: Iterable[str]) -> list[str]:
    """``codes`` in the codebook's order (codes not in it last, as given): a set of codes
    as a list that is the same in every process (a set's order follows string hashing)."""
    order = {c.code: i for i, c in enumerate(book.codes)}
    return sorted(codes, key=lambda c: order.get(c, len(order)))


def has_material(codebook: str | Codebook) -> bool:
    """Whether :func:`codebook_material` has anything to learn from: a training corpus, or
    a codable code's examples (a QDA project's own codebook has neither).

    Examples
    --------
    >>> from copanalysis.codebooks.codebook import Code, Codebook
    >>> has_material("value_cycles"), has_material(Codebook("mine", "1", (Code("a", "A"),)))
    (True, False)
    """
    from copanalysis.io.codebooks import load_codebook

    book = load_codebook(codebook)
    return bool(len(book.training_units())) or any(c.examples for c in book.codes if c.codable)


def codebook_material(codebook: str | Codebook, *, published: bool = False) -> pd.DataFrame:
    """A codebook's own training material: its corpus and its codes' definitions.

    * The training corpus (:meth:`~copanalysis.codebooks.Codebook.training_units`) when
      the codebook names one, else its codes' examples (polarity unknown); a code the
      corpus has no unit of (one added to a copy of a built-in codebook) learns from its
      examples beside the corpus;
    * with ``published``, the real units coded by their authors
      (:meth:`~copanalysis.codebooks.Codebook.published_units`), each weighted
      :data:`PUBLISHED_WEIGHT` as a researcher's own units are in ``fit_codes``;
    * each top-level code's definition (label, description and ``include`` guidance) as
      one more unit of that code, weighted :data:`DEFINITION_WEIGHT` (measured on the
      development set: the definitions lift the semantic coder's kappa on the value
      cycles; they say nothing of polarity).

    Returns
    -------
    DataFrame
        ``text``, ``codes`` (list, main code first; empty for a unit with no code),
        ``polarity`` (+1, 0, -1, or missing where unknown), ``weight``.

    Raises
    ------
    SchemaError
        When the codebook has no corpus and no examples.

    Examples
    --------
    >>> material = codebook_material("enablers_challenges")
    >>> material.columns.tolist()
    ['text', 'codes', 'polarity', 'weight']
    >>> material["weight"].value_counts().sort_index().to_dict()
    {1.0: 770, 3.0: 22}
    """
    from copanalysis.io.codebooks import load_codebook

    book = load_codebook(codebook)
    units = book.training_units()
    polarity: list[int | None]
    if len(units):
        texts = units["text"].tolist()
        labels = [list(c) for c in units["codes"]]
        polarity = [None if pd.isna(p) else int(p) for p in units["polarity"]]
        # a code the corpus has no unit of (one added to a copy of a built-in codebook)
        # learns from its examples, as a codebook without a corpus does (trial 40: its
        # examples were never read, so it learned from its definition alone and no
        # sentence ever got it)
        in_corpus = {code for codes in labels for code in codes}
        examples = [
            (e, c.code)
            for c in book.codes
            if c.codable and c.code not in in_corpus
            for e in c.examples
        ]
    else:
        examples = [(e, c.code) for c in book.codes if c.codable for e in c.examples]
        if not examples:
            raise SchemaError(f"codebook {book.name!r} has no training corpus and no examples")
        texts, labels, polarity = [], [], []
    texts += [text for text, _ in examples]
    labels += [[code] for _, code in examples]
    polarity += [None] * len(examples)
    weight = [1.0] * len(texts)
    if published and len(units):
        real = book.published_units()
        texts += real["text"].tolist()
        labels += [list(c) for c in real["codes"]]
        polarity += [None if pd.isna(p) else int(p) for p in real["polarity"]]
        weight += [PUBLISHED_WEIGHT] * len(real)
    for code in book.codes:
        if code.parent is None and code.codable and code.description:
            texts.append(definition_text(code))
            labels.append([code.code])
            polarity.append(None)
            weight.append(DEFINITION_WEIGHT)
    return pd.DataFrame(
        {
            "text": texts,
            "codes": pd.Series(labels, dtype=object),
            "polarity": pd.array(polarity, dtype="Int8"),
            "weight": weight,
        }
    )


def definition_text(code: Any) -> str:
    """A code's definition as one training unit: its label, description and ``include``
    guidance (:func:`codebook_material`)."""
    return " ".join(p for p in (code.label, code.description, code.include) if p)


def coded_segments(
    hits: pd.DataFrame,
    codes: np.ndarray,
    *,
    codebook: str,
    coder: str,
    polarity: int | np.ndarray,
    confidence: np.ndarray,
    evidence: list[str],
) -> pd.DataFrame:
    """The ``codes`` frame of coded segments: ``hits.iloc[i]`` coded ``codes[i]``.

    ``hits`` are rows of a ``segments`` frame (each code's quote is the segment's text);
    ``polarity``, ``confidence`` and ``evidence`` hold one value per row (``polarity`` may
    be one value for all).

    Examples
    --------
    >>> hits = pd.DataFrame({"doc_id": ["s1"], "field": ["story"], "start": [0], "end": [8],
    ...                      "text": ["I learnt"]})
    >>> codes = coded_segments(hits, np.array(["potential"], dtype=object), codebook="vc",
    ...                         coder="model:vc@1", polarity=1, confidence=np.array([0.9]),
    ...                         evidence=["learn (+0.5)"])
    >>> codes[["doc_id", "quote", "code", "polarity", "confidence"]].values.tolist()
    [['s1', 'I learnt', 'potential', 1, 0.9]]
    """
    frame = pd.DataFrame(
        {
            "doc_id": hits["doc_id"],
            "field": hits["field"],
            "start": hits["start"],
            "end": hits["end"],
            "quote": hits["text"],
            "codebook": codebook,
            "code": codes if len(codes) else pd.Series([], dtype=object),
            "polarity": polarity,
            "coder": coder,
            "confidence": confidence,
            "evidence": evidence,
        }
    )
    return validate(frame, "codes")


def code_labels(
    frame: pd.DataFrame,
    codes: pd.DataFrame,
    *,
    codebook: Codebook,
    unit: Literal["sentence", "field"] = "sentence",
    coders: Sequence[str] | None = None,
    segments: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The segments of the coded documents of ``frame`` with their human codes.

    A human code holds its parents in ``codebook`` too (see :meth:`Codebook.with_parents`),
    as the machine coders' codes do. Human codes that are not codes of ``codebook`` are left
    out with a warning that names them. Codes from a review sheet
    (:func:`copanalysis.import_review`) bring the spans the reviewer decided on
    (``attrs["reviewed"]``): only the segments overlapping them are returned.

    Returns
    -------
    DataFrame
        The ``segments`` columns plus ``codes`` (a set of code names per segment, empty
        for a negative segment).
    """
    from copanalysis.coding.segments import segments_of

    human = human_codes(codes, coders)
    unknown = codebook.unknown_codes(human)
    if unknown:
        warnings.warn(
            f"{len(unknown)} human code(s) are not codes of codebook {codebook.name!r} and "
            f"are left out: {'; '.join(unknown[:10])}",
            UserWarning,
            stacklevel=3,
        )
    human = codebook.with_parents(human)  # a person's sub-code holds its parents too
    known = {c.code for c in codebook.codes if c.codable}
    parts = segments_of(frame, unit=unit, segments=segments)
    reviewed = codes.attrs.get("reviewed")
    if reviewed is not None:  # a review sheet: only the spans a person decided on
        parts = _overlapping(parts, reviewed)
    else:
        parts = parts[parts["doc_id"].isin(set(human["doc_id"]))]
    parts = parts.reset_index(drop=True)
    parts["codes"] = pd.Series(segment_codes(parts, human, known=known), dtype=object)
    if reviewed is None:
        _warn_sparse(parts)
    return parts


#: A coded document of at least this many segments, with a code on fewer than this share
#: of them, was most likely coded in part (one passage of a long transcript).
_SPARSE_SEGMENTS = 50
_SPARSE_SHARE = 0.05


def _warn_sparse(parts: pd.DataFrame) -> None:
    """Warn of long documents a person coded only here and there: their other segments are
    learned (and scored) as "no code" (trial 18: one passage coded in a 900-sentence diary
    taught the coder to code nothing there)."""
    coded = parts["codes"].map(bool)
    per_doc = coded.groupby(parts["doc_id"].astype(str)).agg(["sum", "size"])
    sparse = per_doc[
        (per_doc["size"] >= _SPARSE_SEGMENTS) & (per_doc["sum"] < _SPARSE_SHARE * per_doc["size"])
    ]
    if sparse.empty:
        return
    shown = ", ".join(
        f"{doc!r}: {int(row['sum'])} of {int(row['size'])}"
        for doc, row in sparse.head(5).iterrows()
    )
    more = f" and {len(sparse) - 5} more" if len(sparse) > 5 else ""
    warnings.warn(
        f"{len(sparse)} coded document(s) have a code on fewer than "
        f"{_SPARSE_SHARE:.0%} of their segments ({shown}{more}): every other segment of them "
        "is taken as one the coder read and left without a code. If they were coded only in "
        "part, code them through, or leave them out of the human codes given",
        UserWarning,
        stacklevel=4,
    )


def _overlapping(parts: pd.DataFrame, spans: Sequence[tuple[str, str, int, int]]) -> pd.DataFrame:
    """The segments of ``parts`` that overlap any of ``spans`` (doc_id, field, start, end)."""
    marked = pd.DataFrame(list(spans), columns=["doc_id", "field", "start", "end"])
    hits = segment_codes(parts, marked.assign(code="reviewed"))
    return parts[np.array([bool(h) for h in hits], dtype=bool)]


def segment_codes(
    parts: pd.DataFrame, codes: pd.DataFrame, *, known: Iterable[str] | None = None
) -> list[set[str]]:
    """For each row of a ``segments`` frame, the codes whose spans overlap it.

    Examples
    --------
    >>> parts = pd.DataFrame({"doc_id": ["a", "a"], "field": ["story"] * 2,
    ...                       "start": [0, 10], "end": [9, 20]})
    >>> codes = pd.DataFrame({"doc_id": ["a"], "field": ["story"], "start": [12],
    ...                       "end": [15], "code": ["applied"]})
    >>> segment_codes(parts, codes)
    [set(), {'applied'}]
    """
    spans = codes if known is None else codes[codes["code"].isin(set(known))]
    joined = overlapping(parts[["doc_id", "field", "start", "end"]], spans)
    labels: dict[int, set[str]] = {}
    for index, code in zip(joined["unit"], joined["code"], strict=True):
        labels.setdefault(int(index), set()).add(str(code))
    return [labels.get(i, set()) for i in range(len(parts))]


def overlapping(
    units: pd.DataFrame, spans: pd.DataFrame, columns: Sequence[str] = ("code",)
) -> pd.DataFrame:
    """Every pair of a unit and a span of the same document and field whose offsets
    overlap: the unit's columns, ``unit`` its position in ``units``, and the span's
    ``start_code``, ``end_code`` and ``columns``.

    Examples
    --------
    >>> units = pd.DataFrame({"doc_id": ["a", "a"], "field": ["story"] * 2,
    ...                       "start": [0, 10], "end": [9, 20]})
    >>> spans = pd.DataFrame({"doc_id": ["a"], "field": ["story"], "start": [5],
    ...                       "end": [12], "code": ["applied"]})
    >>> overlapping(units, spans)[["unit", "start_code", "code"]].to_dict("list")
    {'unit': [0, 1], 'start_code': [5, 5], 'code': ['applied', 'applied']}
    """
    joined = (
        units.reset_index(drop=True)
        .reset_index(names="unit")
        .merge(
            spans[["doc_id", "field", "start", "end", *columns]],
            on=["doc_id", "field"],
            suffixes=("", "_code"),
        )
    )
    return joined[(joined["start_code"] < joined["end"]) & (joined["start"] < joined["end_code"])]
