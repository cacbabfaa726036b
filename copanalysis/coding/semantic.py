"""The semantic coder: code texts by what they mean, with checkable evidence.

:class:`SemanticCoder` embeds each unit with a pinned offline sentence model
(:mod:`copanalysis.coding.embeddings`) and codes it with a calibrated linear head, which
reads the embedding and, beside it, the unit's own words (TF-IDF, ``words``): the embedding
says what a unit is about, its words what it says of it ("learned" or "used", "now"):

* a multinomial logistic regression over the codebook's top-level codes and "no code",
  its probabilities calibrated by cross-validation (sigmoid, then normalised), gives each
  unit its main code and that code's probability;
* for a code with sub-codes (``potential``), a second head picks the sub-code; its
  confidence is P(parent) x P(sub-code | parent);
* a polarity head says whether the unit tells of value that was absent or negative
  (value cycles), or of a challenge rather than an enabler (enabler/challenge statements,
  when the list's ``kind`` is unknown);
* the evidence of each code is the training units nearest to the unit among those with the
  code, and their cosine similarity: ``like "We now plan our sessions in threes…" (0.81)``;
* a unit that names a code outright ("the community provided immediate value") gets that
  code (:mod:`copanalysis.coding.naming`), with the evidence ``names "immediate value"``:
  evaluators' statements often say which cycle they report.

It trains on the codebook's training corpus (:meth:`SemanticCoder.fit_codebook`), on a
researcher's own codes (:meth:`SemanticCoder.fit_codes`, with or without the corpus), or on
texts and label sets (:meth:`SemanticCoder.fit`). Needs the optional extra
``copanalysis[semantic]``.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import warnings
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from copanalysis.coding.absence import (
    absent_value,
    insight_clause,
    is_aside,
    is_request,
    problem_gone,
    says_nothing,
)
from copanalysis.coding.embeddings import BATCH_SIZE, DEFAULT_MODEL, Embedder
from copanalysis.coding.scoring import MacroF1ScoreMixin, indicator
from copanalysis.coding.training import (
    as_texts,
    calibrated,
    codable_codes,
    codebook_material,
    in_codebook_order,
    label_lists,
    overlapping,
)
from copanalysis.errors import SchemaError
from copanalysis.io.embedding_cache import default_cache_dir
from copanalysis.io.fit_cache import FitCache

if TYPE_CHECKING:
    from copanalysis.codebooks.codebook import Codebook

__all__ = ["NO_CODE", "SemanticCoder"]

#: The class a unit with no code of the codebook falls in.
NO_CODE = "(no code)"
#: Calibrate a head only when every class has at least this many training units (more
#: than :data:`copanalysis.coding.model.MIN_PER_CLASS_TO_CALIBRATE`: a head has many classes).
MIN_PER_HEAD_CLASS = 15


class SemanticCoder(MacroF1ScoreMixin, ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Code units by sentence embeddings and a calibrated linear head.

    Parameters
    ----------
    codebook : str or Codebook
        The codebook whose codes it predicts.
    unit : {"sentence", "field"}
        What :meth:`code` codes: each sentence, or each field's whole text.
    model : str
        The pinned embedding model (:data:`copanalysis.io.embedding_model.MODELS`).
    C : float
        Inverse regularisation strength of the logistic regressions.
    second_code : float
        A second top-level code is given to a unit when its probability reaches this
        (the most probable code is always given, unless it is "no code").
    named : float, "built-in" or None
        A unit that names a code by its label or a multi-word alias ("realised value")
        gets the code, with at least this confidence (and every code above it);
        ``None`` reads only the embedding. ``"built-in"`` (the default) is 0.9 for the
        built-in codebooks, whose labels are the framework's names ("applied value"), and
        ``None`` for a codebook of your own, whose labels are often everyday words ("field
        day") that name nothing.
    cache_dir : path-like, "default" or None
        Where embeddings, fitted coders and the texts' sentences are cached
        (:func:`~copanalysis.io.embedding_cache.default_cache_dir` for ``"default"``; see
        :mod:`copanalysis.io.fit_cache` and :mod:`copanalysis.io.sentence_cache`): a coder
        fitted on the same material before is loaded, not fitted again, and a text coded
        before is neither embedded nor cut into sentences again. ``None`` caches nothing.
    neighbours : int
        Training units quoted as the evidence of each code.
    context : float
        With ``unit="sentence"``, the weight of the answer's embedding (the mean of its
        sentences') mixed into each sentence's (0 reads each sentence alone).
    words : float
        The weight of the unit's own words beside its embedding: the heads read the
        embedding and the unit's TF-IDF word vector (its vocabulary learned from the
        training texts), scaled by ``words``; 0 reads the embedding alone. The embedding
        carries what a unit is about, its words what it says of it ("learned" against
        "used", "now", "fewer"), which the framework's cycles turn on.
    prompts : float
        How much a worksheet prompt counts (:meth:`code`, units of a prompt field): the
        main head's probability of each top-level code that the prompt favours (the
        code's ``fields``, or a sub-code's: ``activities`` favours immediate and enabling
        value) is multiplied by this and the row renormalised, so that its odds against
        each code the prompt does not favour are multiplied by ``prompts``, before the
        main code is chosen: the prior the rule coder also reads, as a reader reads "A
        checklist for new volunteers." in answer to "What insights did you gain? What
        access to useful information or material?". Coders give most answers a cycle
        their prompt asks about, so the prior is strong; an answer needs clear words to be
        coded otherwise (the README measures 1, 2, 8 and 20). 1 reads the text alone;
        ``code``'s confidences are the shifted probabilities.
    batch_size : int
        Texts per forward pass of the embedding model.
    random_state : int
        Seed of the calibration folds.
    published : bool
        Also learn from the real, author-coded units shipped with the package
        (:meth:`Codebook.published_units`, the development set) when learning from the
        codebook's material (:meth:`fit_codebook`, and :meth:`fit_codes` with
        ``corpus=True``). ``False`` learns from the written corpus alone, as the README's
        figures on the development set must.

    Attributes
    ----------
    classes_ : ndarray of str
        The codes it can give, in codebook order (the columns of :meth:`predict`).
    codebook_ : Codebook
    top_classes_ : ndarray of str
        The classes of the main head: top-level codes, and :data:`NO_CODE` when the
        training data had units without a code.
    head_ : estimator
        The main head (calibrated when every class has enough units).
    child_heads_ : dict
        Parent code -> the head over its sub-codes, with :data:`NO_CODE` for "the parent,
        not further specified" when training units of the parent had no sub-code; or the
        one sub-code itself, when every unit of the parent had it.
    polarity_head_ : estimator or None
        P(the unit tells of absent or negative value, or of a challenge).
    train_embeddings_ : ndarray, shape (n_units, dim)
    train_texts_ : ndarray of str
    train_labels_ : ndarray of bool, shape (n_units, n_classes)
        What the evidence quotes from.
    coder_ : str
        ``semantic:<codebook>@<hash>``, the hash covering the model's weights, the
        parameters and the training data.

    Examples
    --------
    >>> coder = SemanticCoder(cache_dir=None).fit(  # doctest: +SKIP
    ...     ["I learned a new way to plan sessions", "We now plan every session that way"],
    ...     [{"potential"}, {"applied"}])
    """

    def __init__(
        self,
        codebook: str | Codebook = "value_cycles",
        *,
        unit: Literal["sentence", "field"] = "sentence",
        model: str = DEFAULT_MODEL,
        C: float = 3.0,
        second_code: float = 0.45,
        named: float | Literal["built-in"] | None = "built-in",
        cache_dir: str | os.PathLike[str] | None = "default",
        neighbours: int = 2,
        context: float = 0.5,
        words: float = 1.0,
        prompts: float = 8.0,
        batch_size: int = BATCH_SIZE,
        random_state: int = 0,
        published: bool = True,
    ) -> None:
        self.codebook = codebook
        self.unit = unit
        self.model = model
        self.C = C
        self.second_code = second_code
        self.named = named
        self.cache_dir = cache_dir
        self.neighbours = neighbours
        self.context = context
        self.words = words
        self.prompts = prompts
        self.batch_size = batch_size
        self.random_state = random_state
        self.published = published

    # ------------------------------------------------------------------ fitting

    def fit(
        self,
        X: Iterable[str],
        y: Any,
        *,
        polarity: Sequence[Any] | None = None,
        sample_weight: Sequence[float] | None = None,
    ) -> Any:
        """Learn from texts and their codes.

        Parameters
        ----------
        X : iterable of str
        y : list of label sets (main code first when a unit has several), or a 0/1
            DataFrame whose columns are codes. A text with no code teaches "no code".
        polarity : sequence of int, optional
            Per text: -1 when it tells of absent or negative value (or a challenge),
            +1 or 0 otherwise, missing (``None``, ``pd.NA``) where unknown: those texts do
            not train the polarity head. Without it there is no polarity head.
        sample_weight : sequence of float, optional
            Per text: how much it counts (default 1 each).

        Returns
        -------
        SemanticCoder
            self, fitted.
        """
        from copanalysis.io.codebooks import load_codebook

        texts = as_texts(X)
        labels = label_lists(y, len(texts), who="SemanticCoder")
        if not texts:
            raise SchemaError("SemanticCoder.fit: no texts to learn from")
        book = load_codebook(self.codebook)
        weight = np.ones(len(texts)) if sample_weight is None else np.asarray(sample_weight, float)
        if weight.shape != (len(texts),):
            raise SchemaError(
                f"SemanticCoder.fit: {len(texts)} texts but {weight.size} sample weights"
            )
        known = codable_codes(labels, book, who="SemanticCoder.fit")
        self.words_ = _weight("words", self.words, least=0.0)
        self.prompts_ = _weight("prompts", self.prompts, least=None)
        self.codebook_ = book
        embedder = self._embedder()
        self.embedder_ident_ = embedder.ident
        folder = self._cache_folder()
        cache = None if folder is None else FitCache(folder)
        key = self._fit_key(texts, labels, polarity, weight)
        state = None if cache is None else cache.get(key)
        if state is not None:  # fitted on the same material before: the same coder
            self.__dict__.update(state)
            self.codebook_ = book  # its prompts and names as they are now, not as cached
            self._warn_if_never_uncoded()
            return self
        vectors = embedder.encode(texts)
        self.classes_ = np.array(known, dtype=object)
        self.vocabulary_ = _vocabulary(texts) if self.words_ > 0 else None
        features = self._features(vectors, texts)
        self.head_, self.top_classes_ = self._fit_main(features, labels, book, weight)
        self.child_heads_ = self._fit_children(features, labels, book, weight)
        self.polarity_head_ = self._fit_polarity(features, polarity, weight)
        self.train_embeddings_ = vectors
        self.train_texts_ = np.array(texts, dtype=object)
        self.train_labels_ = indicator(labels, known).astype(bool)
        given = [0] * len(texts) if polarity is None else polarity
        self.train_polarity_ = np.array(
            [0 if pd.isna(p) else int(np.sign(p)) for p in given], dtype=np.int8
        )
        self.coder_ = f"semantic:{book.name}@{key[:8]}"
        if cache is not None:
            cache.put(key, {k: v for k, v in vars(self).items() if k.endswith("_")})
        self._warn_if_never_uncoded()
        return self

    def _warn_if_never_uncoded(self) -> None:
        """Warn when a codebook of the user's was learned with no uncoded text, so that
        every sentence will get a code (trial 25: "..." and "None" coded)."""
        if NO_CODE in self.top_classes_ or self._built_in():
            return
        warnings.warn(
            f"SemanticCoder: codebook {self.codebook_.name!r} was learned from texts that "
            "all have a code (such as its examples and definitions alone), so every "
            "sentence it codes gets one, even an answer with nothing to code. Learn from "
            "coded stories (fit_codes: the sentences you left uncoded teach it 'no code'), "
            "or code with min_confidence.",
            UserWarning,
            stacklevel=3,
        )

    def fit_codebook(self) -> Any:
        """Learn from the codebook's training corpus (:meth:`Codebook.training_units`) and,
        with ``published=True``, its published units (:meth:`Codebook.published_units`).

        A codebook without a corpus trains on its codes' examples instead.

        Returns
        -------
        SemanticCoder
            self, fitted.
        """
        material = codebook_material(self.codebook, published=self.published)
        return self.fit(
            material["text"].tolist(),
            material["codes"].tolist(),
            polarity=material["polarity"].tolist(),
            sample_weight=material["weight"].tolist(),
        )

    def fit_codes(
        self,
        frame: pd.DataFrame,
        codes: pd.DataFrame,
        *,
        coders: Sequence[str] | None = None,
        segments: pd.DataFrame | None = None,
        corpus: bool = True,
        own_weight: float = 3.0,
    ) -> Any:
        """Learn from people's codes of ``frame``, and from the training corpus.

        ``frame`` is cut into units (``unit``); a unit carries the codes of the human
        spans overlapping it, and a unit of a coded document that no span overlaps
        teaches "no code". Polarity comes from the human codes' ``polarity``.

        Parameters
        ----------
        frame : DataFrame
            The coded frame (``stories``, ``items`` ...).
        codes : DataFrame
            A ``codes`` frame; a sub-code holds its parents, and codes outside the codebook
            are left out with a warning that names them.
        coders : sequence of str, optional
            Whose codes to learn from; default every coder in ``codes``.
        segments : DataFrame, optional
            Pre-computed ``segment(frame, unit=self.unit)``.
        corpus : bool
            Also learn from the codebook's training corpus (default), which keeps codes
            the researcher used rarely from being forgotten. A codebook with no corpus
            and no examples (a QDA project's own, from
            :func:`~copanalysis.io.read_refi`) learns from the codes alone, as with
            ``corpus=False``, and a warning says so.
        own_weight : float
            How much each of the researcher's units counts against one unit of the
            corpus: their own material is closer to what is coded next.

        Returns
        -------
        SemanticCoder
            self, fitted.
        """
        from copanalysis.coding.training import code_labels, has_material
        from copanalysis.io.codebooks import load_codebook

        book = load_codebook(self.codebook)
        labelled = code_labels(
            frame, codes, codebook=book, unit=self.unit, coders=coders, segments=segments
        )
        texts = labelled["text"].tolist()
        labels = [in_codebook_order(book, label) for label in labelled["codes"]]
        polarity: list[Any] = _span_polarity(labelled, codes, coders)
        weight = [float(own_weight)] * len(texts)
        if corpus and not has_material(book):
            warnings.warn(
                f"SemanticCoder.fit_codes: codebook {book.name!r} has no training corpus and "
                "no examples: learned from your codes alone (corpus=False says so and "
                "stops this warning)",
                UserWarning,
                stacklevel=2,
            )
        elif corpus:
            material = codebook_material(book, published=self.published)
            texts += material["text"].tolist()
            labels += material["codes"].tolist()
            polarity += material["polarity"].tolist()
            weight += material["weight"].tolist()
        return self.fit(texts, labels, polarity=polarity, sample_weight=weight)

    def _cache_folder(self) -> str | os.PathLike[str] | None:
        """Where the embeddings, the fits and the sentences are cached (``None``: nowhere)."""
        return default_cache_dir() if self.cache_dir == "default" else self.cache_dir

    def _embedder(self) -> Embedder:
        return Embedder(self.model, cache_dir=self.cache_dir, batch_size=self.batch_size)

    def _fit_main(
        self, vectors: Any, labels: list[list[str]], book: Codebook, weight: np.ndarray
    ) -> tuple[Any, np.ndarray]:
        roots = {c.code for c in book.codes if c.parent is None}
        top = [[c for c in label if c in roots] or _parents(book, label) for label in labels]
        rows, targets, shares = _row_per_target([t or [NO_CODE] for t in top])
        if len(set(targets)) < 2:
            raise SchemaError(
                f"SemanticCoder.fit: the training units hold one class only ({targets[0]!r}); "
                "it needs units of at least two top-level codes, or units with no code"
            )
        order = [c.code for c in book.codes if c.code in set(targets)]
        classes = np.array(order + ([NO_CODE] if NO_CODE in targets else []), dtype=object)
        head = self._head(vectors[rows], np.array(targets, dtype=object), shares * weight[rows])
        return head, classes

    def _fit_children(
        self, vectors: Any, labels: list[list[str]], book: Codebook, weight: np.ndarray
    ) -> dict[str, Any]:
        heads: dict[str, Any] = {}
        for parent in book.codes:
            children = {c.code for c in book.children(parent.code) if c.codable}
            if not children:
                continue
            # a unit of the parent with none of its sub-codes teaches "the parent, not
            # further specified", so that a lone sub-code is not given to every unit
            chosen = [
                [c for c in label if c in children] or ([NO_CODE] if parent.code in label else [])
                for label in labels
            ]
            rows, targets, shares = _row_per_target(chosen)
            if len(set(targets)) >= 2:
                heads[parent.code] = self._head(
                    vectors[rows], np.array(targets, dtype=object), shares * weight[rows]
                )
            elif targets and targets[0] != NO_CODE:
                heads[parent.code] = targets[0]  # the parent is only ever that sub-code
        return heads

    def _fit_polarity(
        self, vectors: Any, polarity: Sequence[Any] | None, weight: np.ndarray
    ) -> Any:
        if polarity is None:
            return None
        if len(polarity) != vectors.shape[0]:
            raise SchemaError(
                f"SemanticCoder.fit: {vectors.shape[0]} texts but {len(polarity)} polarity values"
            )
        known = np.array([not pd.isna(p) for p in polarity])
        negative = np.array([bool(k and int(p) < 0) for k, p in zip(known, polarity, strict=True)])
        if negative[known].all() or not negative.any():
            return None
        return self._head(vectors[known], negative[known].astype(int), weight[known])

    def _head(self, features: Any, targets: np.ndarray, weights: np.ndarray) -> Any:
        """A logistic regression, calibrated by cross-validation when the data allow."""
        from sklearn.linear_model import LogisticRegression

        base = LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000)
        return calibrated(
            base,
            features,
            targets,
            least=MIN_PER_HEAD_CLASS,
            random_state=self.random_state,
            sample_weight=weights,
        )

    def _params_repr(self) -> str:
        """The parameters a fit depends on (not where it caches), the codebook by name."""
        params = {k: v for k, v in self.get_params().items() if k not in ("cache_dir",)}
        params["codebook"] = self.codebook_.ident
        return repr(sorted(params.items()))

    def _fit_key(
        self,
        texts: list[str],
        labels: list[list[str]],
        polarity: Sequence[Any] | None,
        weight: np.ndarray,
    ) -> str:
        """What a fit depends on, hashed: the parameters, the codebook's codes and
        hierarchy, the embedding model, the material, the fitting code and the versions of
        the libraries that fit (:class:`~copanalysis.io.fit_cache.FitCache`)."""
        import sklearn

        tree = [(c.code, c.parent, c.codable) for c in self.codebook_.codes]
        digest = hashlib.sha256(repr((self._params_repr(), tree)).encode())
        for part in (self.embedder_ident_, _fitting_code(), sklearn.__version__, np.__version__):
            digest.update(part.encode() + b"\x02")
        _digest_material(digest, texts, labels, polarity, weight)
        return digest.hexdigest()

    @property
    def judges_polarity(self) -> bool:
        """Whether its codes' polarity is a judgement (a polarity head was trained)."""
        return getattr(self, "polarity_head_", None) is not None

    # --------------------------------------------------------------- predicting

    def _unit_vectors(self, parts: pd.DataFrame, *, progress: bool) -> np.ndarray:
        """Each unit's embedding; a sentence's is mixed with the mean of its answer's
        sentences (``context``), so that it is read in the light of what surrounds it
        (at no extra cost: the answer is not embedded again)."""
        vectors = self._embedder().encode(parts["text"].tolist(), progress=progress)
        if self.context <= 0 or self.unit == "field" or not len(parts):
            return vectors
        answer = (parts["doc_id"].astype(str) + "\x00" + parts["field"].astype(str)).to_numpy()
        which, answers = pd.factorize(answer)
        from scipy import sparse

        members = sparse.csr_matrix(
            (np.ones(len(which)), (which, np.arange(len(which)))), shape=(len(answers), len(which))
        )
        sums = members @ vectors  # each answer's sentences summed
        mixed = (1 - self.context) * vectors + self.context * _unit_length(sums)[which]
        return _unit_length(mixed).astype(np.float32)

    def _features(self, vectors: np.ndarray, texts: Sequence[str]) -> Any:
        """What the heads read: the embeddings, and beside them (``words`` > 0) the
        texts' TF-IDF word vectors scaled by ``words``, as one sparse matrix."""
        if self.vocabulary_ is None:
            return vectors
        from scipy import sparse

        counts = self.vocabulary_.transform(list(texts)) * self.words_
        return sparse.hstack([sparse.csr_matrix(vectors), counts], format="csr")

    def embed(self, X: Iterable[str], *, progress: bool = False) -> np.ndarray:
        """The unit-length embeddings of ``X`` (through the cache)."""
        return self._embedder().encode(as_texts(X), progress=progress)

    def predict_proba(self, X: Iterable[str]) -> np.ndarray:
        """Each code's calibrated probability.

        A top-level code's probability comes from the main head; a sub-code's is its
        parent's times the sub-code head's.

        Returns
        -------
        ndarray, shape (n_texts, n_classes)
        """
        check_is_fitted(self, "head_")
        texts = as_texts(X)
        proba = self._proba(self._features(self.embed(texts), texts))
        named, _ = self._names(texts)
        return np.maximum(proba, named * (self._named() or 0.0))

    def _top(self, vectors: Any, fields: Sequence[str] | None = None) -> np.ndarray:
        """The main head's probabilities; with the units' prompt ``fields``, the odds of
        the codes each prompt favours multiplied by ``prompts``, and each row renormalised."""
        top = self.head_.predict_proba(vectors)
        if fields is None or self.prompts_ == 1 or not len(top):
            return top
        top = top * np.where(self._favoured(fields), self.prompts_, 1.0)
        return top / top.sum(axis=1, keepdims=True)

    def _wanted(self) -> dict[str, set[str]]:
        """Top-level code -> the prompt fields that favour it (its own ``fields`` and its
        sub-codes')."""
        book = self.codebook_
        wanted: dict[str, set[str]] = {}
        for c in book.codes:  # lineage ends at the top-level code
            wanted.setdefault(book.lineage(c.code)[-1], set()).update(c.fields)
        return wanted

    def _favoured(self, fields: Sequence[str]) -> np.ndarray:
        """Whether each unit's prompt field favours each class of the main head:
        bool, shape (n_units, n_top_classes)."""
        wanted = self._wanted()
        names = [str(n) for n in self.head_.classes_]
        prompts, which = np.unique(np.asarray(fields, dtype=str), return_inverse=True)
        table = np.array([[f in wanted.get(n, set()) for n in names] for f in prompts], bool)
        return table.reshape(len(prompts), len(names))[which]

    def _favoured_notes(self, fields: Sequence[str], columns: np.ndarray) -> list[str]:
        """For each code given (its column of :attr:`classes_`), ``"; the <field> prompt
        favours it"`` when the unit's prompt raised the code's odds (or its parent's)
        against other codes (``prompts`` > 1, and the prompt does not favour every code
        alike), else ``""``."""
        if self.prompts_ <= 1:
            return [""] * len(columns)
        wanted = self._wanted()
        codes = {str(n) for n in self.head_.classes_} - {NO_CODE}
        roots = {str(c): self.codebook_.lineage(str(c))[-1] for c in self.classes_}
        favours = {f: sum(f in wanted.get(c, set()) for c in codes) for f in set(fields)}
        raised = {f for f, n in favours.items() if 0 < n < len(codes)}
        return [
            f"; the {f} prompt favours it"
            if f in raised and f in wanted.get(roots[str(self.classes_[j])], set())
            else ""
            for f, j in zip(fields, columns, strict=True)
        ]

    def _heads(
        self, vectors: Any, fields: Sequence[str] | None = None
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """The main head's probabilities (:meth:`_top`) and each sub-code head's, run
        once for both :meth:`_proba` and :meth:`_chosen`."""
        top = self._top(vectors, fields)
        given = {
            parent: head.predict_proba(vectors)
            for parent, head in self.child_heads_.items()
            if not isinstance(head, str)
        }
        return top, given

    def _proba(
        self, vectors: Any, heads: tuple[np.ndarray, dict[str, np.ndarray]] | None = None
    ) -> np.ndarray:
        out = np.zeros((vectors.shape[0], len(self.classes_)))
        if not vectors.shape[0]:
            return out
        column = {c: j for j, c in enumerate(self.classes_)}
        top, conditionals = heads or self._heads(vectors)
        # every code's probability, a category's too (a QDA project's "Community
        # dynamics", not codable itself): its sub-codes' probabilities are shares of it
        likely = {name: top[:, k] for k, name in enumerate(self.head_.classes_)}
        for parent, head in self.child_heads_.items():
            p_parent = likely.get(parent, np.zeros(vectors.shape[0]))
            if isinstance(head, str):
                likely[head] = p_parent
                continue
            given = conditionals[parent]
            for k, name in enumerate(head.classes_):
                if name != NO_CODE:
                    likely[name] = p_parent * given[:, k]
        for name, p in likely.items():
            if name in column:
                out[:, column[name]] = p
        return out

    def predict(self, X: Iterable[str]) -> np.ndarray:
        """Which codes each text gets (see :meth:`code` for the rule).

        Returns
        -------
        ndarray of int, shape (n_texts, n_classes)
        """
        check_is_fitted(self, "head_")
        texts = as_texts(X)
        features = self._features(self.embed(texts), texts)
        named, _ = self._names(texts)
        heads = self._heads(features)
        chosen = self._chosen(features, self._proba(features, heads=heads), heads=heads) | named
        chosen[~_codable(texts)] = False  # "...", an emoji, "Totally.": nothing to code
        return chosen.astype(int)

    def predict_negative(self, X: Iterable[str]) -> np.ndarray:
        """P(a text tells of absent or negative value, or of a challenge); 0.5 without a head."""
        check_is_fitted(self, "head_")
        texts = as_texts(X)
        return self._negative(self._features(self.embed(texts), texts))

    def _negative(self, vectors: Any) -> np.ndarray:
        if self.polarity_head_ is None or not vectors.shape[0]:
            return np.full(vectors.shape[0], 0.5)
        return np.asarray(self.polarity_head_.predict_proba(vectors)[:, 1])

    def _chosen(
        self,
        vectors: Any,
        proba: np.ndarray,
        heads: tuple[np.ndarray, dict[str, np.ndarray]] | None = None,
    ) -> np.ndarray:
        """The codes given: the main head's best code (unless "no code"), any other
        top-level code at ``second_code`` or more, and the best sub-code of a given parent
        when it is at least as likely as the others together."""
        chosen = np.zeros(proba.shape, dtype=bool)
        if not vectors.shape[0]:
            return chosen
        column = {c: j for j, c in enumerate(self.classes_)}
        top, conditionals = heads or self._heads(vectors)
        best = np.argmax(top, axis=1)
        # every code given, a category's too (a QDA project's "Community dynamics", not
        # codable itself, whose sub-codes are then chosen among; trial 45: a KeyError)
        given: dict[str, np.ndarray] = {
            name: (best == k) | (top[:, k] >= self.second_code)
            for k, name in enumerate(self.head_.classes_)
            if name != NO_CODE
        }
        for parent, head in self.child_heads_.items():
            if parent not in given:
                continue
            if isinstance(head, str):
                given[head] = given[parent]
                continue
            conditional = conditionals[parent]
            winner = np.argmax(conditional, axis=1)
            sure = conditional.max(axis=1) >= 0.5
            for k, name in enumerate(head.classes_):
                if name != NO_CODE:
                    given[name] = given[parent] & sure & (winner == k)
        for name, rows in given.items():
            if name in column:
                chosen[:, column[name]] = rows
        return chosen

    def _named(self) -> float | None:
        """``named`` as it applies to the fitted codebook."""
        if self.named != "built-in":
            return self.named  # type: ignore[return-value]
        return 0.9 if self._built_in() else None

    def _built_in(self) -> bool:
        """Whether the fitted codebook is one of the package's, unchanged."""
        from copanalysis.codebooks.codebook import builtin_codebook, list_codebooks

        book = self.codebook_
        return book.name in list_codebooks() and builtin_codebook(book.name).ident == book.ident

    def _names(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Which codes each text names (with their parents), and the phrase that names
        each: boolean and string arrays of shape (n_texts, n_classes)."""
        named = np.zeros((len(texts), len(self.classes_)), dtype=bool)
        phrases = np.full(named.shape, "", dtype=object)
        if self._named() is None or not len(texts):
            return named, phrases
        from copanalysis.coding.naming import code_names

        book = self.codebook_
        column = {c: j for j, c in enumerate(self.classes_)}
        for i, found in enumerate(code_names(book).find_all(texts)):
            for code, phrase in found:
                for above in book.lineage(code):  # the code and every code above it
                    j = column.get(above)
                    if j is not None and not named[i, j]:
                        named[i, j] = True
                        phrases[i, j] = phrase
        return named, phrases

    def _training_quotes(self) -> tuple[dict[str, list[int]], list[str]]:
        """Per fit, found once: the training units with each text (case and spacing
        ignored), and how the evidence quotes each training unit."""
        known = getattr(self, "_quotes_of", None)
        if known is None or known[0] is not self.train_texts_:
            from copanalysis.coding.training import definition_text

            book = self.codebook_
            defined = {definition_text(c): c.label for c in book.codes if c.parent is None}
            trained: dict[str, list[int]] = {}
            quotes = []
            for k, text in enumerate(map(str, self.train_texts_)):
                trained.setdefault(_text_key(text), []).append(k)
                quotes.append(
                    f"like the definition of {defined[text]}"
                    if text in defined
                    else f'like "{_clip(text)}"'
                )
            known = self._quotes_of = (self.train_texts_, trained, quotes)
        return known[1], known[2]

    def evidence(
        self,
        vectors: np.ndarray,
        columns: np.ndarray,
        signs: np.ndarray | None = None,
        texts: Sequence[str] | None = None,
    ) -> list[str]:
        """For each (unit, code) pair, the nearest training units with that code.

        Parameters
        ----------
        vectors : ndarray, shape (n, dim)
            The units' embeddings.
        columns : ndarray of int, shape (n,)
            Each unit's code, as a column of :attr:`classes_`.
        signs : ndarray of int, shape (n,), optional
            Each code's polarity: a training unit of the other polarity is quoted only
            when the code has no unit of this one (a denial is not evidence for a gain).
        texts : sequence of str, optional
            The units' texts. A unit that is itself a training unit with the code (a
            sentence of the researcher's own codes, after ``fit_codes``) is not quoted as
            its own support: its evidence starts ``trained on this very sentence with the
            code;`` and quotes the nearest other units.

        Returns
        -------
        list of str
            ``like "We now plan our sessions in threes…" (0.81); like "…" (0.77)``; a
            code's definition as ``like the definition of Applied value (0.52)``; when no
            unit is near (similarity below :data:`CLOSE`), the evidence starts
            ``no close training unit; nearest:``.
        """
        check_is_fitted(self, "head_")
        if not len(vectors):
            return []
        trained, quotes = self._training_quotes()
        embeddings = self.train_embeddings_
        labels = np.asfortranarray(self.train_labels_)  # a code's units: one column
        given = signs is not None
        signs = np.zeros(len(columns), dtype=int) if signs is None else np.asarray(signs, int)
        # the units are taken a code and polarity at a time: each group's training pool is
        # found, compared and sorted in one go; a unit that is itself a training unit with
        # the code is compared alone, without itself
        groups: dict[tuple[int, int], list[int]] = {}
        for i, (j, sign) in enumerate(zip(columns.tolist(), signs.tolist(), strict=True)):
            groups.setdefault((j, sign), []).append(i)
        nearest: list[tuple[np.ndarray, np.ndarray]] = [(np.empty(0, dtype=int),) * 2] * len(
            columns
        )
        itself = [""] * len(columns)
        for (j, sign), rows in groups.items():
            pool = np.flatnonzero(labels[:, j])
            if given:
                agreeing = pool[self.train_polarity_[pool] != -sign]
                pool = agreeing if len(agreeing) else pool
            plain = []
            for i in rows:
                same = None if texts is None else trained.get(_text_key(texts[i]))
                mine = np.isin(pool, same) if same else None
                if mine is None or not mine.any():
                    plain.append(i)
                    continue
                itself[i] = "trained on this very sentence with the code; "
                nearest[i] = _nearest(vectors[[i]], embeddings, pool[~mine], self.neighbours)[0]
            if plain:
                found_all = _nearest(vectors[plain], embeddings, pool, self.neighbours)
                for i, found in zip(plain, found_all, strict=True):
                    nearest[i] = found
        out = []
        for i, (best, near) in enumerate(nearest):
            if not len(best):
                out.append(itself[i].removesuffix("; "))
                continue
            pairs = zip(best.tolist(), near.tolist(), strict=True)  # floats format faster
            said = "; ".join(f"{quotes[k]} ({v:.2f})" for k, v in pairs)
            far = near[0] < CLOSE
            out.append(itself[i] + (f"no close training unit; nearest: {said}" if far else said))
        return out

    def code(
        self,
        frame: pd.DataFrame,
        *,
        segments: pd.DataFrame | None = None,
        progress: bool = False,
    ) -> pd.DataFrame:
        """Code every unit of ``frame``.

        Each unit gets the main head's most probable code unless that is "no code", any
        other top-level code whose probability reaches ``second_code``, and, under a code
        with sub-codes, the most probable sub-code when its conditional probability is at
        least 0.5. The main head's probabilities of a unit that answers a worksheet prompt
        are first shifted toward the codes the prompt favours (``prompts``).

        Returns
        -------
        DataFrame
            The ``codes`` frame: one row per unit and code; ``quote`` the unit,
            ``confidence`` the calibrated probability, ``polarity`` from the list's
            ``kind`` for enabler/challenge items, else -1 when the polarity head finds
            absent or negative value (or a challenge) more likely than not or the unit
            says flatly that no value came of it ("Nothing new tbh": see
            :mod:`copanalysis.coding.absence`; evidence ``no value: "nothing new"``), else
            +1 (and +1 for a potential-value code of a unit that tells of an insight gained,
            "I realised that ... never ...": evidence ``an insight: "realised that"``);
            ``evidence`` the nearest training units with the code, and their similarity,
            and ``the insights prompt favours it`` when the unit answers a prompt that
            raised the code's odds (``prompts``).
        """
        check_is_fitted(self, "head_")
        from copanalysis.coding.segments import segments_of
        from copanalysis.coding.training import coded_segments
        from copanalysis.frames import frame_kind, kind_signs, unit_kinds

        parts = segments_of(
            frame, unit=self.unit, segments=segments, cache_dir=self._cache_folder()
        )
        vectors = self._unit_vectors(parts, progress=progress)
        parts_text = parts["text"].tolist()
        features = self._features(vectors, parts_text)
        fields = parts["field"].astype(str).tolist()
        heads = self._heads(features, fields)
        proba = self._proba(features, heads=heads)
        named, phrases = self._names(parts_text)
        proba = np.maximum(proba, named * (self._named() or 0.0))
        chosen = self._chosen(features, proba, heads=heads) | named
        chosen[~_codable(parts_text)] = False  # "...", "Totally.": nothing to code
        if frame_kind(frame) in _ACCOUNTS:  # "More meetings please": no value got
            asked = [i for i in np.flatnonzero(chosen.any(axis=1)) if is_request(parts_text[i])]
            chosen[asked] = False
        rows, cols = np.nonzero(chosen)
        denial = functools.cache(absent_value)  # a unit coded twice is read once
        rows, cols = self._flat_answers(parts, proba, rows, cols, denial=denial)
        hits = parts.iloc[rows].reset_index(drop=True)
        texts = hits["text"].astype(str).tolist()
        kinds = kind_signs(unit_kinds(frame, hits))
        negative = self._negative(features[rows])
        # an answer that says flatly that no value came of it ("Nothing new tbh") is near
        # the cycle it denies; the polarity head alone would call it value
        absent = [denial(text) for text in texts]
        said = np.array([a is not None for a in absent], dtype=bool)
        # ... and one that says a problem went away ("zero stockout days") is value, though
        # its "zero" reads to the polarity head like a denial (trial 32)
        gone = [
            problem_gone(text) if n > 0.5 else None
            for text, n in zip(texts, negative, strict=True)
        ]
        solved = np.array([g is not None for g in gone], dtype=bool)
        # ... and one that tells of an insight ("I realised that women never talk when the
        # chief's wife is there") is the value of what was learnt, though its content
        # holds a "never" (trial 35)
        learnt = self._insights(texts, cols, negative)
        solved |= np.array([i is not None for i in learnt], dtype=bool)
        sign = np.where(((negative > 0.5) & ~solved) | said, -1, 1)
        sign = np.where(kinds != 0, kinds, sign)
        prompts = [
            f" in answer to the {f} prompt"
            if PROMPT_CYCLES.get(f) == str(self.classes_[c]) and len(t.split()) <= FLAT_WORDS
            else ""
            for f, t, c in zip(hits["field"].astype(str), texts, cols, strict=True)
        ]
        favoured = self._favoured_notes(hits["field"].astype(str).tolist(), cols)
        evidence = [
            (f'names "{phrase}"' if phrase else quoted)
            + (f'; no value: "{words}"{prompt}' if words and s < 0 else "")
            + (f'; a problem gone: "{fixed}"' if fixed and s > 0 else "")
            + (f'; an insight: "{insight}"' if insight and s > 0 else "")
            + ("" if phrase or (words and s < 0 and prompt) else note)
            for phrase, quoted, words, fixed, insight, s, prompt, note in zip(
                phrases[rows, cols],
                self.evidence(vectors[rows], cols, sign, texts),
                absent,
                gone,
                learnt,
                sign,
                prompts,
                favoured,
                strict=True,
            )
        ]
        return coded_segments(
            hits,
            self.classes_[cols],
            codebook=self.codebook_.name,
            coder=self.coder_,
            polarity=sign,
            confidence=proba[rows, cols],
            evidence=evidence,
        )

    def _insights(
        self, texts: Sequence[str], cols: np.ndarray, negative: np.ndarray
    ) -> list[str | None]:
        """Per coded unit, the words by which it tells of an insight gained ("realised
        that": :func:`~copanalysis.coding.absence.insight_clause`) when its code is one
        whose value that insight is (``insight_codes`` in ``coding/data/absence.yaml``, or
        a sub-code of one) and the polarity head calls it negative; else None. A change or
        result told in the insight ("we saw that yields did not rise", realized) keeps the
        head's polarity."""
        from copanalysis.coding.wordlists import word_lists

        book = self.codebook_
        wanted = set(word_lists("absence")["insight_codes"])
        of_insight = {
            str(c): bool(wanted & set(book.lineage(str(c)) or (str(c),))) for c in self.classes_
        }
        return [
            insight_clause(text) if n > 0.5 and of_insight[str(self.classes_[c])] else None
            for text, c, n in zip(texts, cols, negative, strict=True)
        ]

    def _flat_answers(
        self,
        parts: pd.DataFrame,
        proba: np.ndarray,
        rows: np.ndarray,
        cols: np.ndarray,
        *,
        denial: Callable[[str], str | None] = absent_value,
    ) -> tuple[np.ndarray, np.ndarray]:
        """A whole short answer to a worksheet prompt that says no value came of it ("None",
        "Nothing really", "No") denies the value that prompt asks about: it is coded with
        the prompt's cycle (``practice`` -> applied), whatever cycle its few words are
        near, or whether any was chosen at all (trial 21: "Nothing really" to "What have
        you done differently?" was no *potential* value, and "None" was no code, lumped
        with the stories the coder missed). Its confidence is the head's for that cycle,
        or :data:`FLAT_CONFIDENCE` when that is lower (``proba`` is raised in place).
        ``denial`` finds the words that deny value (:func:`absent_value`)."""
        index = {str(c): j for j, c in enumerate(self.classes_)}
        fields = parts["field"].astype(str).tolist()
        texts = parts["text"].astype(str).tolist()
        flat = np.array(
            [
                PROMPT_CYCLES.get(f) in index
                and len(t.split()) <= FLAT_WORDS
                and denial(t) is not None
                for f, t in zip(fields, texts, strict=True)
            ],
            dtype=bool,
        )
        if not flat.any():
            return rows, cols
        at = np.flatnonzero(flat)
        cycle = np.array([index[PROMPT_CYCLES[fields[i]]] for i in at], dtype=cols.dtype)
        proba[at, cycle] = np.maximum(proba[at, cycle], FLAT_CONFIDENCE)
        keep = ~flat[rows]
        rows = np.concatenate([rows[keep], at])
        cols = np.concatenate([cols[keep], cycle])
        order = np.lexsort((cols, rows))
        return rows[order], cols[order]


#: The cycle each worksheet prompt asks about (FRAMEWORK.md; Wenger, Trayner & de Laat
#: 2011): a flat "no" to it denies that cycle. ``development`` and the free ``story`` ask
#: about no one cycle.
PROMPT_CYCLES = {
    "activities": "immediate",
    "insights": "potential",
    "practice": "applied",
    "organization": "realized",
}
#: Below this similarity a training unit is no close example of what a unit says
#: (unrelated texts sit near 0, a paraphrase near 0.8).
CLOSE = 0.3
#: A flat answer is at most this many words ("Nothing really, to be honest.").
FLAT_WORDS = 6
#: The least confidence of a flat answer's code: a rule, not the head's estimate.
FLAT_CONFIDENCE = 0.5


# ---------------------------------------------------------------------- helpers


def _digest_material(
    digest: Any,
    texts: list[str],
    labels: list[list[str]],
    polarity: Sequence[Any] | None,
    weight: np.ndarray,
) -> None:
    """Feed the training material to a hash."""
    for text, label in zip(texts, labels, strict=True):
        digest.update(text.encode("utf-8", "surrogatepass") + b"\x00")
        digest.update(";".join(label).encode() + b"\x01")
    if polarity is not None:
        digest.update(repr([None if pd.isna(p) else int(p) for p in polarity]).encode())
    digest.update(np.ascontiguousarray(weight, dtype=np.float64).tobytes())


@functools.cache
def _fitting_code() -> str:
    """The hash of the code that fits and embeds (and calibrates: ``training``): a changed
    package never reuses a fit."""
    from copanalysis.coding import embeddings, training

    digest = hashlib.sha256()
    for module in (__file__, embeddings.__file__, training.__file__):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()


def _codable(texts: Sequence[str]) -> np.ndarray:
    """Whether each text says something a code could stand on: not one without a letter or
    digit ("...", "?!", an emoji), nor only assent ("Totally.", "It's fine.":
    :func:`~copanalysis.coding.absence.says_nothing`), nor an aside in brackets ("(coach)",
    "[Interviewer: ...]": :func:`~copanalysis.coding.absence.is_aside`)."""
    return np.array(
        [_WORD.search(t) is not None and not says_nothing(t) and not is_aside(t) for t in texts]
    )


_WORD = re.compile(r"\w")
#: Frames whose units are accounts of value (a story's answers, a grid cell's), where a
#: request tells of no value got; a list's request may tell of a challenge ("We need more
#: time"), and is coded.
_ACCOUNTS = frozenset({"stories", "grid", "texts"})


def _weight(name: str, value: Any, *, least: float | None) -> float:
    """``value`` as a finite float at least ``least`` (above 0 when ``least`` is None).

    Raises
    ------
    ValueError
        Naming the parameter, for anything else.
    """
    bound = "0 or more" if least is not None else "above 0"
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not np.isfinite(number) or (number < least if least is not None else number <= 0):
        raise ValueError(f"SemanticCoder: {name} must be a finite number {bound}, got {value!r}")
    return number


def _vocabulary(texts: Sequence[str]) -> Any:
    """The TF-IDF word vectorizer the heads read beside the embeddings, fitted on the
    training texts: words as scikit-learn's default analyzer finds them, one-letter
    words ("I") kept, words of a single training text left out (unless no word is in two);
    ``None`` when the texts hold no word."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    for min_df in (2, 1):  # a handful of texts may share no word
        try:
            return TfidfVectorizer(
                token_pattern=r"(?u)\b\w+\b", min_df=min_df, sublinear_tf=True, dtype=np.float32
            ).fit(texts)
        except ValueError:  # no word left: the texts hold none, or none twice
            continue
    return None


def _unit_length(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length."""
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True).clip(1e-12)


def _parents(book: Codebook, label: list[str]) -> list[str]:
    """The top-level codes above a label's sub-codes (a sub-code implies its parent)."""
    tops = [book.lineage(code)[-1] for code in label if code in book.codes_by_id]
    return list(dict.fromkeys(tops))


def _row_per_target(targets: list[list[str]]) -> tuple[np.ndarray, list[str], np.ndarray]:
    """One training row per (unit, target), weighted 1/k for a unit with k targets."""
    sizes = np.array([len(chosen) for chosen in targets], dtype=np.int64)
    rows = np.repeat(np.arange(len(targets), dtype=np.int64), sizes)
    weights = np.repeat(1.0 / np.maximum(sizes, 1), sizes)
    return rows, [name for chosen in targets for name in chosen], weights


def _span_polarity(
    labelled: pd.DataFrame, codes: pd.DataFrame, coders: Sequence[str] | None
) -> list[int]:
    """Per labelled unit: -1 when a human span overlapping it has polarity -1, else +1."""
    spans = codes if coders is None else codes[codes["coder"].isin(list(coders))]
    if "polarity" not in spans.columns:
        return [1] * len(labelled)
    negative = spans[spans["polarity"].fillna(0).astype(int) < 0]
    units = labelled[["doc_id", "field", "start", "end"]]
    hit = set(overlapping(units, negative, ())["unit"].tolist())
    return [-1 if i in hit else 1 for i in range(len(labelled))]


def _nearest(
    vectors: np.ndarray, embeddings: np.ndarray, pool: np.ndarray, k: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each vector, the ``k`` units of ``pool`` nearest to it (ties in pool order),
    and their similarities."""
    if not len(pool):
        return [(pool, np.empty(0))] * len(vectors)
    with _blas().limit(limits=1, user_api="blas"):  # as in fitting (``calibrated``)
        similarity = vectors @ embeddings[pool].T
    order = np.argsort(-similarity, axis=1, kind="stable")[:, :k]
    near = np.take_along_axis(similarity, order, axis=1)
    return list(zip(pool[order], near, strict=True))


@functools.cache
def _blas() -> Any:
    """threadpoolctl's controller of the BLAS libraries, found once (finding them takes
    milliseconds): a product as small as :func:`_nearest`'s gains nothing from a second
    BLAS thread, and on a busy machine loses much to waking it (there, the evidence of
    1,580 codes took 0.096 s with two threads, 0.021 s with one)."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _text_key(text: str) -> str:
    """A text as compared with a training unit's: case and spacing ignored."""
    return " ".join(str(text).casefold().split())


def _clip(text: str, width: int = 60) -> str:
    """A training unit shortened for the evidence column.

    Examples
    --------
    >>> _clip("We now plan our sessions in threes, and the juniors lead one each.", 30)
    'We now plan our sessions in…'
    """
    text = " ".join(str(text).split())
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"
