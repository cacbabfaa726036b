"""The rule coder: codebook cues matched on lemmas, with negation, polarity and evidence.

How a code is decided
---------------------
* **Cues** are lemma phrases. Each word matches any inflection ("learned", "learnt" and
  "Learning" hit "learn"); the words of a multi-word cue match in order with up to
  :data:`MAX_GAP` tokens between them (:data:`~copanalysis.coding.matching.PREPOSITION_GAP`
  before a preposition: "open PRs assigned to" is no "open to"), within one clause ("shared
  our experiences" hits "share experience").
* **Token patterns**: a code's ``patterns`` (spaCy ``Matcher`` token patterns, such as
  ``[{"LOWER": "peer"}, {"LEMMA": "review"}]``) are matched on the same tokens and count
  as cues of as many words as the pattern has tokens.
* **Negation**: a negator ("not", "n't", "no", "never", "nothing", "without", "lack",
  "hardly" ...) ending at most :data:`NEGATION_WINDOW` tokens before the cue, in the same
  clause, makes the code's polarity -1 ("did not learn anything new", "no time", "lack of
  sponsorship"). "not only", "no doubt" and the like do not negate, nor does a negator that
  is part of the cue itself ("not alone", "no longer see"). Clauses end at , ; : . ! ? ( )
  dashes, "but", "however", "although", "though", "whereas", "yet", "because", a line break
  and a sentence end.
* **Polarity**: otherwise the codebook polarity cue (``Codebook.polarity``) nearest the cue
  in its clause decides the sign (0 when a positive and a negative one are equally near; a
  polarity cue inside a longer one, "useful" in "not useful", does not count); otherwise,
  for ``items`` the list's ``kind`` does (enabler +1, challenge -1); otherwise the code is
  +1 (asserted).
* **Confidence** starts from how specific the cue is (0.55 for one word, 0.70 for two,
  0.80 for three or more), is lowered when several codes share the cue (x0.75 per extra
  code) and per gap token (-0.03), and moves with the field: +0.2 when the code lists the
  field among its ``fields``, -0.15 when another code of the codebook lists it and this one
  does not (``practice`` favours applied, ``organization`` realized), clipped to
  [0.05, 0.99]. Several cues of one code in one segment combine as 1 - prod(1 - c).
  With ``calibrate=True`` and a codebook that has a training corpus
  (:meth:`~copanalysis.codebooks.Codebook.training_units`), this score is then mapped to a
  probability: the share of the corpus's codes with that score that its units carry
  (isotonic regression, fitted in :meth:`RuleCoder.fit`).
* **Tokens** are spaCy's: each batch of texts is one ``Doc`` of ``nlp``'s tokenizer and
  sentencizer (:mod:`copanalysis.coding.segments`), whose ``LOWER`` ids are matched
  against the cues' surface forms (:mod:`copanalysis.coding.matching`).
* **Rows**: one per segment, code and polarity; overlapping codes are all kept; a cue match
  inside a longer match for the same code counts once. When a sub-code fires, its parent is
  added with the same span and polarity, its best child's confidence and the children's
  evidence (marked ``(via <sub-code>)``) unless the parent fired there itself (with either
  polarity: its own match says more than a child's), or ``parents=False``.
"""

from __future__ import annotations

import warnings
import weakref
from collections.abc import Iterable, Iterator
from itertools import compress
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted
from spacy.language import Language

from copanalysis.codebooks.codebook import Codebook
from copanalysis.coding.cues import compile_codebook
from copanalysis.coding.matching import (
    MAX_GAP,
    NEGATION_WINDOW,
    MatchTables,
    build_tables,
    code_batch,
)
from copanalysis.coding.pipeline import make_nlp, pipeline_label
from copanalysis.coding.scoring import MacroF1ScoreMixin, predict_by_coding
from copanalysis.coding.segments import parse_batches
from copanalysis.frames import frame_kind, kind_signs, text_units
from copanalysis.io.codebooks import load_codebook
from copanalysis.schema import validate

__all__ = ["MAX_GAP", "NEGATION_WINDOW", "RuleCoder"]


class RuleCoder(MacroF1ScoreMixin, ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Code texts against a codebook with its cues, the way a trained coder reads them.

    A scikit-learn estimator over raw texts: ``fit`` compiles the codebook (no learning),
    ``predict`` returns a multi-label indicator array over ``classes_`` so the coder can be
    scored like a classifier (``score`` is macro F1 over codes), and ``code`` returns the
    ``codes`` frame with every code's quote, offsets, polarity, confidence and evidence.
    The rules are in the module docs.

    Parameters
    ----------
    codebook : str, path or Codebook
        A built-in name (``"value_cycles"``), a YAML file, or a :class:`Codebook`.
    model : str, optional
        The spaCy pipeline to build when ``nlp`` is not given
        (:func:`~copanalysis.coding.make_nlp`): ``None`` for the download-free default,
        ``"auto"`` or an installed trained pipeline's name.
    unit : {"sentence", "field"}
        The span each code row quotes: the sentence with the cue, or the whole field.
    min_confidence : float
        Rows below this confidence are dropped.
    calibrate : bool
        Map the rules' score to a calibrated probability, learnt on the codebook's training
        corpus (see the module docs); a codebook without a corpus keeps the score.
    parents : bool
        Add the parent's row when a sub-code fires.
    n_jobs : int, optional
        Deprecated and ignored: coding runs in the calling thread (spaCy's tokenizer holds
        the GIL, so a worker thread no longer runs beside it).
    nlp : Language, optional
        A spaCy pipeline to tokenize with instead of ``make_nlp(model)``.

    Attributes
    ----------
    codebook_ : Codebook
    classes_ : ndarray of str
        The codable codes, in codebook order (the columns of :meth:`predict`).
    calibration_ : tuple of ndarray or None
        The scores and the probabilities they map to (``np.interp`` between them), or
        ``None`` (no calibration).
    nlp_ : Language
    coder_ : str
        ``rules:<codebook>@<version>``, plus ``+<pipeline>@<version>`` for a trained one.

    Examples
    --------
    >>> from copanalysis.codebooks import Code, Codebook
    >>> book = Codebook("demo", "1", (
    ...     Code("potential", "Potential value", cues=("learn", "share experience")),
    ...     Code("applied", "Applied value", cues=("apply",)),
    ... ))
    >>> coder = RuleCoder(book).fit()
    >>> coder.predict(["We shared our experiences.", "I applied it.", "Nothing."])
    array([[1, 0],
           [0, 1],
           [0, 0]])
    >>> stories = pd.DataFrame({"story_id": ["s1"], "story": ["I did not learn much."]})
    >>> coder.code(stories)[["code", "polarity", "evidence"]].values.tolist()
    [['potential', -1, 'cue "learn" <- "learn", negated by "not"']]
    """

    #: It learns nothing from texts: ``fit`` only compiles the cues.
    learns = False

    def __init__(
        self,
        codebook: str | Codebook = "value_cycles",
        *,
        model: str | None = None,
        unit: Literal["sentence", "field"] = "sentence",
        min_confidence: float = 0.0,
        parents: bool = True,
        n_jobs: int | None = None,
        nlp: Language | None = None,
        calibrate: bool = True,
    ) -> None:
        self.codebook = codebook
        self.model = model
        self.unit = unit
        self.min_confidence = min_confidence
        self.parents = parents
        self.n_jobs = n_jobs
        self.nlp = nlp
        self.calibrate = calibrate

    def fit(self, X: Any = None, y: Any = None, *, nlp: Language | None = None) -> RuleCoder:
        """Compile the codebook's cues (``X`` and ``y`` are ignored: rules learn nothing).

        Parameters
        ----------
        X, y : ignored
            Accepted so the coder fits in scikit-learn pipelines and cross-validation.
        nlp : Language, optional
            Deprecated: pass ``RuleCoder(nlp=...)`` instead (a pipeline given here is lost
            by ``clone``). When given, it is used instead of the ``nlp`` parameter.

        Returns
        -------
        RuleCoder
            self, fitted.
        """
        if self.unit not in ("sentence", "field"):
            raise ValueError(f"unit must be 'sentence' or 'field', got {self.unit!r}")
        if nlp is not None:
            _deprecated("RuleCoder.fit(nlp=...) is deprecated; pass RuleCoder(nlp=...) instead")
        else:
            nlp = self.nlp
        if self.n_jobs is not None:
            _deprecated("RuleCoder(n_jobs=...) is deprecated and has no effect")
        book = load_codebook(self.codebook)
        self.nlp_ = make_nlp(self.model) if nlp is None else nlp
        self.codebook_ = book
        self.tables_ = _tables(book, self.nlp_)
        self.classes_ = np.array(self.tables_.codes, dtype=object)
        label = pipeline_label(self.nlp_)
        self.coder_ = f"rules:{book.name}@{book.version}" + (f"+{label}" if label else "")
        self.calibration_ = self._calibration() if self.calibrate else None
        return self

    def __getstate__(self) -> dict[str, Any]:
        # the default pipeline is rebuilt by name where the coder is unpickled (once per
        # process: make_nlp caches it), not shipped to every Dask worker with the coder
        state = dict(super().__getstate__())
        default = self.nlp is None and state.get("nlp_") is not None
        if default and state["nlp_"] is make_nlp(self.model):
            del state["nlp_"], state["tables_"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        if "codebook_" in state and "nlp_" not in state:
            self.nlp_ = make_nlp(self.model)
            self.tables_ = _tables(self.codebook_, self.nlp_)

    def _calibration(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The map from the rules' score to a probability, learnt on the training corpus:
        a code the rules give a corpus unit is right when the unit carries it (or a code
        below it). ``None`` without a corpus."""
        from sklearn.isotonic import IsotonicRegression

        units = self.codebook_.training_units()
        if not len(units):
            return None
        self.calibration_ = None  # score the corpus with the raw scores
        texts = pd.DataFrame(
            {"doc_id": units["unit_id"], "field": "text", "text": units["text"], "kind": pd.NA}
        )
        codes = self.code_units(texts)
        if not len(codes):
            return None
        carried = {}
        for unit, labels in zip(units["unit_id"], units["codes"], strict=True):
            carried[unit] = {a for code in labels for a in self.codebook_.lineage(code)}
        right = [
            code in carried[unit]
            for unit, code in zip(codes["doc_id"], codes["code"], strict=True)
        ]
        fitted = IsotonicRegression(y_min=0.01, y_max=0.95, out_of_bounds="clip").fit(
            codes["confidence"].to_numpy(float), np.asarray(right, dtype=float)
        )
        return np.asarray(fitted.X_thresholds_), np.asarray(fitted.y_thresholds_)

    def predict(self, X: Iterable[str]) -> np.ndarray:
        """Which codes each text gets (any polarity): a 0/1 array over ``classes_``.

        Parameters
        ----------
        X : iterable of str
            Raw texts.

        Returns
        -------
        ndarray of int, shape (n_texts, n_classes)
        """
        check_is_fitted(self, "tables_")
        return predict_by_coding(self, X)

    def code(
        self, frame: pd.DataFrame, *, progress: bool = False, batch_size: int = 1000
    ) -> pd.DataFrame:
        """Code every text of ``frame`` (stories, items, roles, grid or a hand-built frame).

        Parameters
        ----------
        frame : DataFrame
            See :func:`~copanalysis.coding.segment` for the frames and their units.
        progress : bool
            Show a tqdm progress bar over the texts.
        batch_size : int
            Texts parsed per batch (the memory of one batch is held at a time).

        Returns
        -------
        DataFrame
            The ``codes`` frame, one row per segment, code and polarity.
        """
        check_is_fitted(self, "tables_")
        return self.code_units(text_units(frame), progress=progress, batch_size=batch_size)

    def iter_code(
        self, frame: pd.DataFrame, *, progress: bool = False, batch_size: int = 1000
    ) -> Iterator[pd.DataFrame]:
        """Code ``frame`` batch by batch: one validated ``codes`` frame per ``batch_size`` texts.

        The rows of all the batches, concatenated, are exactly :meth:`code`'s; only one batch
        of texts and codes is in memory at a time, so a consumer that writes or aggregates
        each batch (:func:`~copanalysis.io.write_codes_parquet`) codes any corpus in bounded
        memory: the batch, and the tokenizer's vocabulary of the words seen, which starts
        afresh at ``copanalysis.coding.segments.MAX_WORDS`` words.

        Parameters
        ----------
        frame : DataFrame
            See :func:`~copanalysis.coding.segment` for the frames and their units.
        progress : bool
            Show a tqdm progress bar over the texts.
        batch_size : int
            Texts (fields) per batch.

        Yields
        ------
        DataFrame
            A ``codes`` frame (possibly empty) for each batch of texts, in text order.

        Examples
        --------
        >>> stories = pd.DataFrame({"story_id": ["s1", "s2", "s3"],
        ...                         "story": ["I learned a lot.", "Nothing.", "I applied it."]})
        >>> coder = RuleCoder("value_cycles").fit()
        >>> [len(b) for b in coder.iter_code(stories, batch_size=2)]
        [2, 1]
        """
        check_is_fitted(self, "tables_")
        _check_batch_size(batch_size)
        from tqdm.auto import tqdm

        name = f"coding {self.codebook_.name}"
        with tqdm(total=len(frame), unit="row", desc=name, disable=not progress) as bar:
            for units, rows in _unit_batches(frame, batch_size):
                if units is None:  # rows read: progress only
                    bar.update(rows)
                else:
                    yield self._frame(self._columns(units))

    def code_units(
        self, units: pd.DataFrame, *, progress: bool = False, batch_size: int = 1000
    ) -> pd.DataFrame:
        """Code a frame of text units (``doc_id``, ``field``, ``text``, optional ``kind``)."""
        check_is_fitted(self, "tables_")
        _check_batch_size(batch_size)
        from tqdm.auto import tqdm

        n, parts = len(units), []
        # one unit per answer (a story's field): a story of five answers counts five
        desc = f"coding {self.codebook_.name}"
        with tqdm(total=n, desc=desc, unit="answer", disable=not progress) as bar:
            for lo in range(0, n, batch_size):
                parts += self._columns(units.iloc[lo : lo + batch_size])
                bar.update(min(batch_size, n - lo))
        return self._frame(parts)

    def _columns(self, units: pd.DataFrame) -> list[dict[str, Any]]:
        """The codes of a batch of text units, as column pieces (one per parsed Doc)."""
        doc_ids, field_ids = (units[c].to_numpy(dtype=object) for c in ("doc_id", "field"))
        known, other = self.tables_.field_row, len(self.tables_.field_row)  # other: neutral
        fields = np.array([known.get(f, other) for f in field_ids], dtype=np.int64)
        kinds = kind_signs(units["kind"] if "kind" in units.columns else [None] * len(units))
        codes = np.array(self.tables_.codes, dtype=object)
        parts = []
        for first, parsed in parse_batches(
            self.nlp_, units["text"].tolist(), matcher=self.tables_.matcher
        ):
            part = code_batch(
                parsed,
                self.tables_,
                fields=fields[first:],
                kinds=kinds[first:],
                by_sentence=self.unit == "sentence",
                parents=self.parents,
            )
            calibration = getattr(self, "calibration_", None)
            if calibration is not None:
                scores, probabilities = calibration
                part["confidence"] = np.interp(part["confidence"], scores, probabilities)
            keep = part["confidence"] >= self.min_confidence
            rows = part["unit"][keep] + first
            part.update(
                {k: part[k][keep] for k in ("start", "end", "polarity", "confidence")},
                doc_id=doc_ids[rows],
                field=field_ids[rows],
                code=codes[part["code"][keep]],
                quote=list(compress(part["quote"], keep)),
                evidence=list(compress(part["evidence"], keep)),
            )
            parts.append(part)
        return parts

    def _frame(self, parts: list[dict[str, Any]]) -> pd.DataFrame:
        """The ``codes`` frame of the column pieces of :meth:`_columns`."""
        columns = {
            name: pd.array([v for p in parts for v in p[name]], dtype="string")
            if name in ("doc_id", "field", "quote", "code", "evidence")
            else np.concatenate([p[name] for p in parts] or [np.zeros(0, dtype=np.int64)])
            for name in ("doc_id", "field", "start", "end", "quote", "code", "polarity")
            + ("confidence", "evidence")
        }
        n = len(columns["start"])
        for name, value in (("codebook", self.codebook_.name), ("coder", self.coder_)):
            columns[name] = pd.array([value] * n, dtype="string")
        return validate(pd.DataFrame(columns), "codes")


def _deprecated(message: str) -> None:
    warnings.warn(message, DeprecationWarning, stacklevel=3)


def _check_batch_size(batch_size: int) -> None:
    if (
        not isinstance(batch_size, int | np.integer)
        or isinstance(batch_size, bool)
        or batch_size < 1
    ):
        raise ValueError(f"batch_size must be a positive whole number, got {batch_size!r}")


def _unit_batches(
    frame: pd.DataFrame, batch_size: int
) -> Iterator[tuple[pd.DataFrame | None, int]]:
    """``frame``'s text units, ``batch_size`` at a time, and ``(None, rows)`` as rows are read:
    the same batches as ``text_units(frame)`` cut every ``batch_size`` units.

    ``stories`` and ``items`` with unique ids are cut into units ``batch_size`` rows at a
    time, so only a batch of texts is held at once; other frames (whose rows are joined per
    document, or whose repeated id text_units reports) are cut into units whole.
    """
    id_column = {"stories": "story_id", "items": "item_id"}.get(frame_kind(frame))
    if id_column is None or not frame[id_column].is_unique:
        units = text_units(frame)
        for lo in range(0, len(units), batch_size):
            yield units.iloc[lo : lo + batch_size], 0
        yield None, len(frame)
        return
    pending = text_units(frame.iloc[0:0])
    for lo in range(0, len(frame), batch_size):
        chunk = text_units(frame.iloc[lo : lo + batch_size])
        units = pd.concat([pending, chunk], ignore_index=True) if len(pending) else chunk
        full = len(units) - len(units) % batch_size
        for at in range(0, full, batch_size):
            yield units.iloc[at : at + batch_size], 0
        pending = units.iloc[full:]
        yield None, min(batch_size, len(frame) - lo)
    if len(pending):
        yield pending, 0


_TABLES: weakref.WeakKeyDictionary[Language, dict[Codebook, MatchTables]] = (
    weakref.WeakKeyDictionary()
)


def _tables(book: Codebook, nlp: Language) -> MatchTables:
    """A codebook compiled for a pipeline, once for as long as the pipeline lives."""
    books = _TABLES.setdefault(nlp, {})
    if book not in books:
        compiled = compile_codebook(book, lambda phrase: [t.text for t in nlp.make_doc(phrase)])
        books[book] = build_tables(book, compiled, nlp)
    return books[book]
