"""The rule coder: codebook cues matched on lemmas, with negation, polarity and evidence.

How a code is decided
---------------------
* **Cues** are lemma phrases. Each word matches any inflection ("learned", "learnt" and
  "Learning" hit "learn"); the words of a multi-word cue match in order with up to
  :data:`MAX_GAP` tokens between them, within one clause ("shared our experiences" hits
  "share experience").
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
* **Rows**: one per segment, code and polarity; overlapping codes are all kept; a cue match
  inside a longer match for the same code counts once. When a sub-code fires, its parent is
  added with the same span and polarity, its best child's confidence and the children's
  evidence (marked ``(via <sub-code>)``) unless the parent fired there itself, or
  ``parents=False``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted
from spacy.language import Language

from copanalysis.codebooks import load_codebook
from copanalysis.codebooks.codebook import Codebook
from copanalysis.coding.cues import compile_codebook
from copanalysis.coding.documents import frame_kind, text_units
from copanalysis.coding.matching import (
    MAX_GAP,
    NEGATION_WINDOW,
    MatchTables,
    build_tables,
    code_batch,
    field_rows,
)
from copanalysis.coding.pipeline import make_nlp, pipeline_label
from copanalysis.coding.segments import ParsedBatch, parse_ahead
from copanalysis.schema import validate

__all__ = ["MAX_GAP", "NEGATION_WINDOW", "RuleCoder"]


class RuleCoder(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Code texts against a codebook with its cues, the way a trained coder reads them.

    A scikit-learn estimator over raw texts: ``fit`` compiles the codebook (no learning),
    ``predict`` returns a multi-label indicator array over ``classes_`` so the coder can be
    scored like a classifier (``score`` is subset accuracy), and ``code`` returns the
    ``codes`` frame with every code's quote, offsets, polarity, confidence and evidence.
    The rules are in the module docs.

    Parameters
    ----------
    codebook : str, path or Codebook
        A built-in name (``"value_cycles"``), a YAML file, or a :class:`Codebook`.
    model : str, optional
        The spaCy pipeline (:func:`~copanalysis.coding.make_nlp`): ``None`` for the
        download-free default, ``"auto"`` or an installed trained pipeline's name.
    unit : {"sentence", "field"}
        The span each code row quotes: the sentence with the cue, or the whole field.
    min_confidence : float
        Rows below this confidence are dropped.
    parents : bool
        Add the parent's row when a sub-code fires.
    n_jobs : int, optional
        ``1`` codes in the calling thread alone; ``None`` (the default) or ``-1`` tokenizes
        the next batch in a worker thread while this one is coded, when the machine has
        more than one CPU (any ``n_jobs`` above 1 does so too: the two steps are all that
        run side by side). The codes are the same either way.

    Attributes
    ----------
    codebook_ : Codebook
    classes_ : ndarray of str
        The codable codes, in codebook order (the columns of :meth:`predict`).
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

    def __init__(
        self,
        codebook: str | Codebook = "value_cycles",
        *,
        model: str | None = None,
        unit: Literal["sentence", "field"] = "sentence",
        min_confidence: float = 0.0,
        parents: bool = True,
        n_jobs: int | None = None,
    ) -> None:
        self.codebook = codebook
        self.model = model
        self.unit = unit
        self.min_confidence = min_confidence
        self.parents = parents
        self.n_jobs = n_jobs

    def fit(self, X: Any = None, y: Any = None, *, nlp: Language | None = None) -> RuleCoder:
        """Compile the codebook's cues (``X`` and ``y`` are ignored: rules learn nothing).

        Parameters
        ----------
        X, y : ignored
            Accepted so the coder fits in scikit-learn pipelines and cross-validation.
        nlp : Language, optional
            A pipeline to use instead of ``make_nlp(model)``.

        Returns
        -------
        RuleCoder
            self, fitted.
        """
        if self.unit not in ("sentence", "field"):
            raise ValueError(f"unit must be 'sentence' or 'field', got {self.unit!r}")
        book = load_codebook(self.codebook)
        self.nlp_ = make_nlp(self.model) if nlp is None else nlp
        self.codebook_ = book
        self.tables_ = _tables(book, self.nlp_)
        self.classes_ = np.array(self.tables_.codes, dtype=object)
        label = pipeline_label(self.nlp_)
        self.coder_ = f"rules:{book.name}@{book.version}" + (f"+{label}" if label else "")
        return self

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
        texts = ["" if t is None else str(t) for t in X]
        units = pd.DataFrame(
            {
                "doc_id": [str(i) for i in range(len(texts))],
                "field": "text",
                "text": texts,
                "kind": pd.NA,
            }
        )
        codes = self.code_units(units, progress=False)
        out = np.zeros((len(texts), len(self.classes_)), dtype=int)
        column = {c: j for j, c in enumerate(self.classes_)}
        for doc_id, code in zip(codes["doc_id"], codes["code"], strict=True):
            out[int(doc_id), column[code]] = 1
        return out

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
        # the same batches as iter_code (batch_size consecutive units of text_units), but
        # the units are cut in one pass over the whole frame: the codes are held whole
        # anyway, and row-chunked cutting (iter_code's flat memory) costs speed
        return self.code_units(text_units(frame), progress=progress, batch_size=batch_size)

    def iter_code(
        self, frame: pd.DataFrame, *, progress: bool = False, batch_size: int = 1000
    ) -> Iterator[pd.DataFrame]:
        """Code ``frame`` batch by batch: one validated ``codes`` frame per ``batch_size`` texts.

        The rows of all the batches, concatenated, are exactly :meth:`code`'s; only one batch
        of texts and codes is in memory at a time, so a consumer that writes or aggregates
        each batch (:func:`~copanalysis.io.write_codes_parquet`) codes any corpus in bounded
        memory: the batch, and the tokenizer's memory of text chunks (capped at
        ``copanalysis.coding.segments.MAX_CACHED_CHUNKS``).

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
        for columns in self._stream(frame, progress=progress, batch_size=batch_size):
            yield self._frame(columns)

    def _stream(
        self, frame: pd.DataFrame, *, progress: bool, batch_size: int
    ) -> Iterator[dict[str, list[Any]]]:
        """Each batch's codes as column pieces (the one loop of code and iter_code)."""
        _check_batch_size(batch_size)
        from tqdm.auto import tqdm

        with tqdm(
            total=len(frame),
            unit="row",
            desc=f"coding {self.codebook_.name}",
            disable=not progress,
        ) as bar:
            batches = (
                (None if units is None else _UnitColumns.of(units, self.tables_), rows)
                for units, rows in _unit_batches(frame, batch_size)
            )
            for (batch, rows), parsed in parse_ahead(
                self.nlp_, batches, _batch_texts, thread=self._threaded()
            ):
                if batch is None:  # rows read: progress only
                    bar.update(rows)
                else:
                    yield self._batch_columns(batch, parsed)

    def code_units(
        self, units: pd.DataFrame, *, progress: bool = False, batch_size: int = 1000
    ) -> pd.DataFrame:
        """Code a frame of text units (``doc_id``, ``field``, ``text``, optional ``kind``)."""
        check_is_fitted(self, "tables_")
        return self._frame(
            _merge(self._stream_units(units, progress=progress, batch_size=batch_size))
        )

    def _stream_units(
        self, units: pd.DataFrame, *, progress: bool, batch_size: int
    ) -> Iterator[dict[str, list[Any]]]:
        _check_batch_size(batch_size)
        from tqdm.auto import tqdm

        n = len(units)
        # once for the whole frame, sliced per batch
        columns = _UnitColumns.of(units, self.tables_)
        batches = (columns.slice(lo, batch_size) for lo in range(0, n, batch_size))
        with tqdm(total=n, desc=f"coding {self.codebook_.name}", disable=not progress) as bar:
            for batch, parsed in parse_ahead(
                self.nlp_, batches, lambda b: b.texts.to_pylist(), thread=self._threaded()
            ):
                yield self._batch_columns(batch, parsed)
                bar.update(len(batch.kinds))

    def _threaded(self) -> bool:
        """Whether to parse the next batch in a worker thread (see ``n_jobs``)."""
        n_jobs = self.n_jobs
        if n_jobs is None or n_jobs < 0:
            return (os.cpu_count() or 1) > 1
        return n_jobs > 1

    def _batch_columns(
        self, batch: _UnitColumns, parsed: list[tuple[int, ParsedBatch]]
    ) -> dict[str, list[Any]]:
        """The codes of one batch of text units (``parsed`` by :func:`parse_ahead`), as
        column pieces for :meth:`_frame`."""
        doc_ids, field_ids, fields, kinds = (
            batch.doc_ids,
            batch.field_ids,
            batch.fields,
            batch.kinds,
        )
        columns: dict[str, list[Any]] = {name: [] for name in _COLUMNS}
        for first, one in parsed:
            count = len(one.starts)
            part = code_batch(
                one,
                self.tables_,
                fields=fields[first : first + count],
                kinds=kinds[first : first + count],
                by_sentence=self.unit == "sentence",
                parents=self.parents,
            )
            # the batch's rows as final column pieces (arrow strings, numpy numbers)
            keep = (
                part.confidence >= self.min_confidence if self.min_confidence > 0 else slice(None)
            )
            rows = pa.array(part.unit[keep] + first)
            columns["doc_id"].append(doc_ids.take(rows))
            columns["field"].append(field_ids.take(rows))
            columns["start"].append(part.start[keep])
            columns["end"].append(part.end[keep])
            columns["quote"].append(part.quote.take(pa.array(part.quote_index[keep])))
            columns["code"].append(self.tables_.code_names.take(pa.array(part.code[keep])))
            columns["polarity"].append(part.polarity[keep])
            columns["confidence"].append(part.confidence[keep])
            columns["evidence"].append(
                part.evidence if isinstance(keep, slice) else part.evidence.filter(pa.array(keep))
            )
        return columns

    def _frame(self, columns: dict[str, list[Any]]) -> pd.DataFrame:
        def numbers(name: str, dtype: type) -> np.ndarray:
            parts = columns[name]
            return np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype)

        def strings(name: str) -> Any:
            parts = columns[name]
            chunks = pa.chunked_array(parts, type=pa.string())
            return pd.array(chunks, dtype="string")

        n = sum(len(p) for p in columns["start"])
        frame = pd.DataFrame(
            {
                "doc_id": strings("doc_id"),
                "field": strings("field"),
                "start": numbers("start", np.int64),
                "end": numbers("end", np.int64),
                "quote": strings("quote"),
                "codebook": _repeat(self.codebook_.name, n),
                "code": strings("code"),
                "polarity": numbers("polarity", np.int64),
                "coder": _repeat(self.coder_, n),
                "confidence": numbers("confidence", np.float64),
                "evidence": strings("evidence"),
            }
        )
        return validate(frame, "codes")


@dataclass(frozen=True)
class _UnitColumns:
    """Text units as the coder reads them: arrow ids, fields and texts, prior rows, kinds."""

    doc_ids: pa.Array
    field_ids: pa.Array
    texts: pa.Array
    fields: np.ndarray  # each unit's row of the field priors
    kinds: np.ndarray  # each unit's list kind as a sign (_kind_signs)

    @classmethod
    def of(cls, units: pd.DataFrame, tables: MatchTables) -> _UnitColumns:
        def arrow(name: str) -> pa.Array:
            values = pa.array(units[name], type=pa.string())
            return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values

        field_ids = arrow("field")
        return cls(
            arrow("doc_id"),
            field_ids,
            arrow("text"),
            field_rows(tables, field_ids),
            _kind_signs(units),
        )

    def slice(self, lo: int, size: int) -> _UnitColumns:
        hi = lo + size
        return _UnitColumns(
            self.doc_ids.slice(lo, size),
            self.field_ids.slice(lo, size),
            self.texts.slice(lo, size),
            self.fields[lo:hi],
            self.kinds[lo:hi],
        )


_COLUMNS = (
    "doc_id",
    "field",
    "start",
    "end",
    "quote",
    "code",
    "polarity",
    "confidence",
    "evidence",
)


def _merge(batches: Iterable[dict[str, list[Any]]]) -> dict[str, list[Any]]:
    """All batches' column pieces, in order (nothing is copied until :meth:`_frame`)."""
    merged: dict[str, list[Any]] = {name: [] for name in _COLUMNS}
    for columns in batches:
        for name in _COLUMNS:
            merged[name].extend(columns[name])
    return merged


def _batch_texts(item: tuple[_UnitColumns | None, int]) -> list[str]:
    """A batch's texts as Python strings (one batch at a time: memory stays flat)."""
    return [] if item[0] is None else item[0].texts.to_pylist()


def _kind_signs(units: pd.DataFrame) -> np.ndarray:
    """Each unit's list kind as a sign: +1 enabler, -1 challenge, 0 none or other."""
    kinds: np.ndarray = np.zeros(len(units), dtype=np.int64)
    if "kind" not in units.columns or units["kind"].isna().all():  # stories: no kinds
        return kinds
    kind = units["kind"].astype("string").str.lower()
    kinds[kind.eq("enabler").fillna(False).to_numpy(dtype=bool)] = 1
    kinds[kind.eq("challenge").fillna(False).to_numpy(dtype=bool)] = -1
    return kinds


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
    """``frame``'s text units, ``batch_size`` at a time, and ``(None, rows)`` as rows are read.

    ``stories`` and ``items`` (unique ids: each row's units are its own) are cut into
    units ``batch_size`` rows at a time, so only a batch of texts is held at once; other
    frames (a document's rows are joined) are cut into units whole. Either way the batches
    are the same ``batch_size`` consecutive units of :func:`text_units`.
    """
    kind = frame_kind(frame)
    id_column = {"stories": "story_id", "items": "item_id"}.get(kind)
    if id_column is None or _may_repeat(frame[id_column], batch_size):  # text_units says which
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


def _may_repeat(ids: pd.Series, batch_size: int) -> bool:
    """Whether two ids may be equal: their 64-bit hashes, taken a batch at a time, collide.

    8 bytes per id instead of a hash table of the ids themselves; a (vanishingly rare)
    collision only sends the frame down the whole-frame path, which checks exactly.
    """
    hashes = np.concatenate(
        [
            pd.util.hash_pandas_object(ids.iloc[lo : lo + batch_size], index=False).to_numpy()
            for lo in range(0, len(ids), batch_size)
        ]
        or [np.zeros(0, dtype=np.uint64)]
    )
    hashes.sort()
    return bool((hashes[1:] == hashes[:-1]).any())


def _repeat(value: str, n: int) -> Any:
    """A pandas ``string`` array of ``n`` times ``value`` (built in arrow, not as a list)."""
    one = pa.array([value], type=pa.string())
    return pd.array(one.take(pa.array(np.zeros(n, dtype=np.int64))), dtype="string")


@lru_cache(maxsize=16)
def _tables(book: Codebook, nlp: Language) -> MatchTables:
    """Compile a codebook for a pipeline once per process (tables are read-only)."""
    compiled = compile_codebook(book, lambda phrase: [t.text for t in nlp.make_doc(phrase)])
    return build_tables(book, compiled, nlp)
