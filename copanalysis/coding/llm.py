"""The language-model coder: a model the researcher chooses codes each unit, every code
grounded in an exact quote.

:class:`LLMCoder` sends each unit (a member's answer to one question, by default) with a
prompt built from the codebook (:mod:`copanalysis.coding.llm_prompt`) to an
OpenAI-compatible chat-completions server (:mod:`copanalysis.coding.llm_client`), reads the
JSON answer, and keeps a code only when its quote is found in the unit
(:mod:`copanalysis.coding.llm_grounding`); the offsets come from the text, never from the
model. Answers are cached on disk (:mod:`copanalysis.io.llm_cache`), so a rerun makes no
call, and an interrupted run keeps every answer it got.

Local first: only a server on this machine is called unless ``allow_remote=True``, and
people's names can be replaced by placeholders before anything is sent
(``pseudonymise=True``). Needs the optional extra ``copanalysis[llm]``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import takewhile
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from copanalysis.coding.llm_client import ChatEndpoint, check_allowed, endpoint
from copanalysis.coding.llm_grounding import PseudonymisedText, Pseudonyms, ground_quote
from copanalysis.coding.llm_prompt import (
    PROMPT_VERSION,
    Answer,
    WorkedExample,
    estimate_tokens,
    parse_answer,
    prompt_messages,
    prompt_sha256,
    response_schema,
    unit_message,
)
from copanalysis.coding.scoring import MacroF1ScoreMixin, predict_by_coding
from copanalysis.coding.training import (
    as_texts,
    codable_codes,
    human_codes,
    label_lists,
    overlapping,
)
from copanalysis.errors import CodebookError, CopanalysisError, EndpointError
from copanalysis.frames import KIND_SIGNS, unit_kinds
from copanalysis.schema import empty, validate

if TYPE_CHECKING:
    from copanalysis.codebooks.codebook import Codebook
    from copanalysis.io.llm_cache import LLMCache

__all__ = [
    "DEFAULT_BASE_URL",
    "ENV_API_KEY",
    "ENV_BASE_URL",
    "ENV_MODEL",
    "LLMCoder",
    "combine_reports",
    "what_was_dropped",
    "where_texts_went",
]

#: The environment variables ``coder="llm"`` reads (and :class:`LLMCoder` when its
#: ``base_url`` or ``model`` is not given); the key is the openai client's own variable.
ENV_BASE_URL = "COPANALYSIS_LLM_BASE_URL"
ENV_MODEL = "COPANALYSIS_LLM_MODEL"
ENV_API_KEY = "OPENAI_API_KEY"
#: Where an LLMCoder looks without ``base_url`` or ``COPANALYSIS_LLM_BASE_URL``: Ollama's
#: OpenAI-compatible endpoint on this machine.
DEFAULT_BASE_URL = "http://localhost:11434/v1"
#: A worked example longer than this (characters) is not shown to the model.
MAX_EXAMPLE_CHARS = 1500
#: The confidence of every grounded code: a model's answer comes with no probability.
CONFIDENCE = 1.0
#: The counts of a run's ``llm_report``.
_COUNTS = (
    "calls", "cache_hits", "retries", "malformed_retries", "prompt_tokens",
    "completion_tokens", "answers", "codes_kept", "grounded_exact", "grounded_normalised",
    "unknown_codes", "ungrounded_quotes", "malformed_entries", "failed", "failed_cut_off",
)  # fmt: skip
#: The columns of :meth:`LLMCoder.appendix`.
APPENDIX_COLUMNS = [
    "doc_id",
    "field",
    "start",
    "end",
    "request",
    "response",
    "response_format",
    "prompt_tokens",
    "completion_tokens",
    "created",
]


class LLMCoder(MacroF1ScoreMixin, ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Code units with a language model the researcher chooses, every quote grounded.

    Parameters
    ----------
    codebook : str or Codebook
        The codebook the prompt is built from and the codes are checked against.
    model : str, optional
        The model's name on the server (``"qwen2.5:7b-instruct"`` for Ollama). Default:
        ``$COPANALYSIS_LLM_MODEL``.
    base_url : str, optional
        The server's OpenAI-compatible base URL. Default: ``$COPANALYSIS_LLM_BASE_URL``,
        else Ollama on this machine (``http://localhost:11434/v1``).
    api_key : str, optional
        Default: ``$OPENAI_API_KEY``; a server on this machine needs none. Prefer the
        environment variable: a key given here is kept with the coder (it is masked in
        the coder's repr).
    unit : {"field", "sentence"}
        What one request codes: a field's whole text (the model sees the context and
        quotes the passages) or each sentence.
    allow_remote : bool
        Call a server that is not on this machine. Off by default: only ``localhost``,
        ``127.0.0.1`` and ``::1`` are called, so the texts stay on the machine.
    pseudonymise : bool
        Replace people's names (the frame's ``member`` and ``respondent`` columns and
        ``names``) with stable placeholders before sending; the quotes are taken from the
        original text and the names are put back in the reasons.
    names : sequence of str
        More names to pseudonymise (colleagues, clients named in the stories).
    n_examples : int
        The most worked examples :meth:`fit_codes` keeps from the researcher's codes.
    codebook_examples : int
        Examples per code quoted from the codebook in the prompt.
    temperature : float
        Sampling temperature (0: the model's most likely answer).
    seed : int or None
        Sent with every request, for servers that support one.
    max_tokens : int or None
        The longest answer asked for.
    timeout : float
        Seconds to wait for one answer.
    max_retries : int
        Retries (with exponential backoff) of a request that met a 429, a 5xx, a timeout or
        a dropped connection.
    concurrency : int
        Requests in flight at once.
    cache_dir : path-like, "default" or None
        Where answers are cached: ``"default"`` is
        :func:`~copanalysis.io.embedding_cache.default_cache_dir` (``llm/`` in it);
        ``None`` keeps them in memory, for the life of the coder.
    dry_run : bool
        Call nothing: :meth:`code` returns no codes, and ``attrs["llm_report"]`` estimates
        the tokens the run would send and the calls it would make.

    Attributes
    ----------
    classes_ : ndarray of str
        The codebook's codable codes.
    codebook_ : Codebook
    model_, base_url_ : str
        The model and server, resolved from the parameters and the environment.
    host_ : str
        The server's host and port (part of the cache key).
    remote_ : bool
        Whether the server is on another machine.
    examples_ : list of WorkedExample
        The researcher's coded units shown to the model.
    messages_ : list of dict
        The messages before each unit: the system prompt and the worked examples.
    prompt_sha256_ : str
        The hash of those messages and the request settings (part of the cache key).
    coder_ : str
        ``llm:<model>@<prompt version>``, the ``coder`` column of its codes.

    Examples
    --------
    A dry run calls nothing; it says how many calls and tokens coding would take:

    >>> stories = pd.DataFrame({"story_id": ["s1"], "practice": ["I now plan every session."]})
    >>> coder = LLMCoder(model="qwen2.5:7b-instruct", cache_dir=None, dry_run=True).fit()
    >>> coder.coder_
    'llm:qwen2.5:7b-instruct@1'
    >>> codes = coder.code(stories)
    >>> len(codes), codes.attrs["llm_report"]["calls_needed"]
    (0, 1)
    >>> codes.attrs["llm_report"]["estimated_prompt_tokens"] > 2000
    True
    """

    #: Each code is a call to a language model (an ensemble does not calibrate on it).
    calls_model = True

    def __init__(
        self,
        codebook: str | Codebook = "value_cycles",
        *,
        model: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        unit: Literal["field", "sentence"] = "field",
        allow_remote: bool = False,
        pseudonymise: bool = False,
        names: Sequence[str] = (),
        n_examples: int = 6,
        codebook_examples: int = 3,
        temperature: float = 0.0,
        seed: int | None = 0,
        max_tokens: int | None = 1024,
        timeout: float = 120.0,
        max_retries: int = 4,
        concurrency: int = 4,
        cache_dir: str | os.PathLike[str] | None = "default",
        dry_run: bool = False,
    ) -> None:
        self.codebook = codebook
        self.model = model
        self.base_url = base_url
        self.api_key = api_key
        self.unit = unit
        self.allow_remote = allow_remote
        self.pseudonymise = pseudonymise
        self.names = names
        self.n_examples = n_examples
        self.codebook_examples = codebook_examples
        self.temperature = temperature
        self.seed = seed
        self.max_tokens = max_tokens
        self.timeout = timeout
        self.max_retries = max_retries
        self.concurrency = concurrency
        self.cache_dir = cache_dir
        self.dry_run = dry_run

    def __repr__(self, N_CHAR_MAX: int = 700) -> str:  # noqa: N803 (scikit-learn's name)
        if not self.api_key:
            return str(super().__repr__(N_CHAR_MAX))
        import copy

        masked = copy.copy(self)  # the repr of a copy whose key is hidden
        masked.api_key = "***"
        return str(BaseEstimator.__repr__(masked, N_CHAR_MAX))

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, str]:
        # no HTML diagram: it would print the parameters, api_key among them
        return {"text/plain": repr(self)}

    # ------------------------------------------------------------------ fitting

    def fit(self, X: Iterable[str] | None = None, y: Any = None) -> LLMCoder:
        """Build the prompt; with ``X`` and ``y``, a few of those texts become worked examples.

        Parameters
        ----------
        X : iterable of str, optional
            Coded texts (each quoted whole in its worked example).
        y : label sets, or a 0/1 DataFrame whose columns are codes
            Their codes.

        Returns
        -------
        LLMCoder
            self, fitted.

        Raises
        ------
        CopanalysisError
            When no model is given and ``$COPANALYSIS_LLM_MODEL`` is not set.
        """
        from copanalysis.io.codebooks import load_codebook

        book = load_codebook(self.codebook)
        examples: list[WorkedExample] = []
        if X is not None:
            texts = as_texts(X)
            labels = label_lists(y, len(texts), who="LLMCoder.fit")
            codable_codes(labels, book, who="LLMCoder.fit")
            units = [
                (t, "text", [(c, t.strip(), 1, "") for c in label], "")
                for t, label in zip(texts, labels, strict=True)
            ]
            examples = self._choose_examples(book, units, self._pseudonyms(None))
        return self._finish(book, examples)

    def fit_codes(
        self,
        frame: pd.DataFrame,
        codes: pd.DataFrame,
        *,
        coders: Sequence[str] | None = None,
        segments: pd.DataFrame | None = None,
    ) -> LLMCoder:
        """Build the prompt with a few of the researcher's own coded units as worked examples.

        Units are cut from ``frame`` as the coder codes them (``unit``). Each code of the
        codebook the researcher used gets a worked example in codebook order (the shortest
        unit that carries it), up to ``n_examples`` units; each example shows every human
        code on the unit, with the coded words as its quote and the code's label (or the
        researcher's memo, from ``evidence``) as its reason.

        Parameters
        ----------
        frame : DataFrame
            The coded frame.
        codes : DataFrame
            A ``codes`` frame; codes outside the codebook are ignored.
        coders : sequence of str, optional
            Whose codes to learn from; default every coder in ``codes``.
        segments : DataFrame, optional
            Pre-computed ``segment(frame, unit=self.unit)``.

        Returns
        -------
        LLMCoder
            self, fitted.
        """
        from copanalysis.coding.segments import segments_of
        from copanalysis.io.codebooks import load_codebook

        book = load_codebook(self.codebook)
        parts = segments_of(frame, unit=self.unit, segments=segments)
        human = human_codes(codes, coders)
        codable = {c.code for c in book.codes if c.codable}
        human = human[human["code"].astype(str).isin(codable)]
        joined = overlapping(parts, human, ("code", "polarity", "evidence"))
        spans: dict[int, list[tuple[str, str, int, str]]] = {}
        columns = ["unit", "text", "start", "end", "start_code", "end_code", "code", "polarity"]
        memos = joined["evidence"].astype(object).where(joined["evidence"].notna(), "")
        for (unit, text, start, end, lo, hi, code, polarity), memo in zip(
            joined[columns].itertuples(index=False, name=None), memos.tolist(), strict=True
        ):
            quote = str(text)[max(lo, start) - start : min(hi, end) - start].strip()
            if quote:
                found = (str(code), quote, int(polarity), str(memo))
                spans.setdefault(int(unit), []).append(found)
        kinds = unit_kinds(frame, parts).tolist()
        units = [
            (str(parts.at[i, "text"]), str(parts.at[i, "field"]), found, kinds[i])
            for i, found in sorted(spans.items())
        ]
        pseudonyms = self._pseudonyms(frame)
        return self._finish(book, self._choose_examples(book, units, pseudonyms))

    def _choose_examples(
        self,
        book: Codebook,
        units: Sequence[tuple[Any, ...]],
        pseudonyms: Pseudonyms | None,
    ) -> list[WorkedExample]:
        """Up to ``n_examples`` units, the shortest carrying each code in codebook order."""
        candidates = [u for u in units if u[2] and len(u[0]) <= MAX_EXAMPLE_CHARS]
        order = sorted(range(len(candidates)), key=lambda i: (len(candidates[i][0]), i))
        chosen: list[int] = []
        for code in (c.code for c in book.codes if c.codable):
            if len(chosen) >= self.n_examples:
                break
            for i in order:
                if i not in chosen and any(span[0] == code for span in candidates[i][2]):
                    chosen.append(i)
                    break
        examples = []
        for i in sorted(chosen):
            text, field_name, spans, kind = candidates[i]
            examples.append(
                WorkedExample(
                    text=_sent(pseudonyms, text),
                    field=field_name,
                    codes=_example_codes(book, spans, pseudonyms),
                    kind=kind,
                )
            )
        return examples

    def _finish(self, book: Codebook, examples: list[WorkedExample]) -> LLMCoder:
        if self.unit not in ("field", "sentence"):
            raise ValueError(f"LLMCoder: unit must be 'field' or 'sentence', got {self.unit!r}")
        if not isinstance(self.concurrency, int) or self.concurrency < 1:
            raise ValueError(
                f"LLMCoder: concurrency must be a positive whole number, got {self.concurrency!r}"
            )
        model = self.model or os.environ.get(ENV_MODEL, "")
        if not model:
            raise CopanalysisError(
                f"LLMCoder: no model. Pass model=..., or set {ENV_MODEL} (the model's name on "
                f"the server, such as qwen2.5:7b-instruct) and {ENV_BASE_URL} (the server's "
                f"OpenAI-compatible URL; default {DEFAULT_BASE_URL}, Ollama on this machine); "
                f"{ENV_API_KEY} is read for servers that need a key."
            )
        base_url = self.base_url or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL
        self.host_, self.remote_ = endpoint(base_url)
        self.codebook_ = book
        self.classes_ = np.array([c.code for c in book.codes if c.codable], dtype=object)
        self.model_ = model
        self.base_url_ = base_url
        self.examples_ = examples
        self.messages_ = prompt_messages(
            book, examples=examples, codebook_examples=self.codebook_examples
        )
        self.prompt_sha256_ = prompt_sha256(
            self.messages_,
            schema=response_schema(book),
            temperature=self.temperature,
            seed=self.seed,
            max_tokens=self.max_tokens,
        )
        self.coder_ = f"llm:{model}@{PROMPT_VERSION}"
        return self

    # ------------------------------------------------------------------ coding

    def _pseudonyms(self, frame: pd.DataFrame | None) -> Pseudonyms | None:
        if not self.pseudonymise:
            return None
        names: list[object] = list(self.names)
        if frame is not None:
            for column in ("member", "respondent"):
                if column in frame.columns:
                    names += frame[column].dropna().astype(str).unique().tolist()
        return Pseudonyms.from_names(names)

    def _cache(self) -> LLMCache:
        from copanalysis.io.embedding_cache import default_cache_dir
        from copanalysis.io.llm_cache import LLMCache

        cache = getattr(self, "_memory_cache", None)
        if self.cache_dir is None:
            if cache is None:
                cache = self._memory_cache = LLMCache(None)
            return cache
        folder = default_cache_dir() if self.cache_dir == "default" else self.cache_dir
        return LLMCache(folder)

    def _units(self, frame: pd.DataFrame, segments: pd.DataFrame | None) -> _Units:
        from copanalysis.coding.segments import segments_of
        from copanalysis.io.llm_cache import answer_key

        parts = segments_of(frame, unit=self.unit, segments=segments)
        pseudonyms = self._pseudonyms(frame)
        kinds = unit_kinds(frame, parts).tolist()
        sent = [
            PseudonymisedText(str(t), str(t)) if pseudonyms is None else pseudonyms.apply(str(t))
            for t in parts["text"]
        ]
        requests = [
            unit_message(s.text, field=str(f), kind=k)
            for s, f, k in zip(sent, parts["field"], kinds, strict=True)
        ]
        keys = [
            answer_key(
                host=self.host_,
                model=self.model_,
                prompt_sha256=self.prompt_sha256_,
                unit_sha256=hashlib.sha256(r.encode("utf-8")).hexdigest(),
            )
            for r in requests
        ]
        return _Units(parts, sent, requests, keys, kinds, pseudonyms)

    def code(
        self,
        frame: pd.DataFrame,
        *,
        segments: pd.DataFrame | None = None,
        progress: bool = False,
    ) -> pd.DataFrame:
        """Code every unit of ``frame``, asking the model for the units not in the cache.

        Each code the model gives is kept when its code is one of the codebook's (by
        identifier, alias or label) and its quote is found in the unit
        (:func:`~copanalysis.coding.llm_grounding.ground_quote`); the others are dropped
        and counted. A sub-code also gives its parent code on the same span. A unit whose
        answer is not readable JSON is asked again once, then counted as failed while the
        run goes on; it is not cached, so the next run asks again. A run that dropped codes
        or left units uncoded warns, with the counts (:func:`what_was_dropped`).

        Parameters
        ----------
        frame : DataFrame
            A ``stories``, ``items``, ``roles`` or ``grid`` frame, or a hand-built one.
        segments : DataFrame, optional
            Pre-computed ``segment(frame, unit=self.unit)``.
        progress : bool
            Show a progress bar over the units.

        Returns
        -------
        DataFrame
            The ``codes`` frame: ``quote`` the grounded words of the text, ``polarity`` the
            model's (the list's ``kind`` for enabler/challenge items, when known),
            ``confidence`` 1.0 (a model states no probability, so ``min_confidence`` does
            not filter these codes), ``evidence`` the model's reason, ``coder``
            :attr:`coder_`. ``attrs["llm_report"]``: where the texts went (``endpoint``,
            ``host``, ``remote``, ``model``, ``prompt_version``, ``prompt_sha256``,
            ``pseudonymised``, ``names_replaced``), what it cost (``units``, ``calls``,
            ``cache_hits``, ``retries``, ``malformed_retries``, ``prompt_tokens``,
            ``completion_tokens``, ``response_format``), and what was kept (``answers``,
            ``codes_kept``, ``grounded_exact``, ``grounded_normalised``, ``unknown_codes``
            and ``unknown_code_names``, ``ungrounded_quotes``, ``malformed_entries``,
            ``failed`` and ``failed_units``, ``failed_cut_off`` those whose answer the
            server cut off at ``max_tokens``); for a dry run, ``calls_needed``,
            ``estimated_prompt_tokens`` and ``max_completion_tokens``.

        Raises
        ------
        EndpointError
            When the server is on another machine and ``allow_remote`` is off, refuses
            the key, has no such model, cannot be reached or does not answer in time.
            Every answer received before is cached.
        """
        check_is_fitted(self, "messages_")
        units = self._units(frame, segments)
        cache = self._cache()
        entries: list[dict[str, Any] | None] = [cache.get(key) for key in units.keys]
        report = self._report(units)
        report["cache_hits"] = sum(e is not None for e in entries)
        missing = [i for i, e in enumerate(entries) if e is None]
        if self.dry_run:
            prefix = sum(estimate_tokens(m["content"]) for m in self.messages_)
            report.update(
                calls_needed=len(missing),
                estimated_prompt_tokens=sum(
                    prefix + estimate_tokens(units.requests[i]) for i in missing
                ),
                max_completion_tokens=len(missing) * (self.max_tokens or 0),
            )
            codes = empty("codes")
            codes.attrs["llm_report"] = report
            return codes
        if missing:
            check_allowed(self.base_url_, allow_remote=self.allow_remote)
            self._ask(units, missing, entries, cache, report, progress)
        codes = self._codes(units, entries, report)
        dropped = what_was_dropped(report)
        if dropped:  # counted in attrs, and said: nothing is lost without a word
            warnings.warn(f"LLMCoder ({self.coder_}): {dropped}", UserWarning, stacklevel=2)
        return codes

    def _report(self, units: _Units) -> dict[str, Any]:
        replaced = sum(len(s.replaced) for s in units.sent)
        return {
            "endpoint": self.base_url_,
            "host": self.host_,
            "remote": bool(self.remote_),
            "model": self.model_,
            "prompt_version": PROMPT_VERSION,
            "prompt_sha256": self.prompt_sha256_[:12],
            "pseudonymised": bool(self.pseudonymise),
            "names_replaced": replaced,
            "dry_run": bool(self.dry_run),
            "units": len(units.keys),
            **dict.fromkeys(_COUNTS, 0),
            "response_format": "",
            "unknown_code_names": [],
            "failed_units": [],
        }

    def _ask(
        self,
        units: _Units,
        missing: list[int],
        entries: list[dict[str, Any] | None],
        cache: LLMCache,
        report: dict[str, Any],
        progress: bool,
    ) -> None:
        """Ask the server for the ``missing`` units, ``concurrency`` at a time, caching each
        answer as it comes."""
        from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait

        from tqdm.auto import tqdm

        server = ChatEndpoint(
            self.base_url_,
            model=self.model_,
            api_key=self._api_key(),
            schema=response_schema(self.codebook_),
            temperature=self.temperature,
            seed=self.seed,
            max_tokens=self.max_tokens,
            timeout=self.timeout,
            max_retries=self.max_retries,
        )
        tally: Counter[str] = Counter()
        failed: list[str] = []
        lock = threading.Lock()
        bar = tqdm(
            total=len(missing), desc=f"coding ({self.coder_})", unit="unit", disable=not progress
        )

        def ask(i: int) -> None:
            entry = self._answer(server, units, i, tally, lock)
            if entry is None:
                with lock:
                    failed.append(units.where(i))
            if entry is not None:
                cache.put(units.keys[i], entry)
                entries[i] = entry
            bar.update(1)

        pool = ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="llm")
        try:
            futures = [pool.submit(ask, i) for i in missing]
            done, _ = wait(futures, return_when=FIRST_EXCEPTION)
            for future in done:
                error = future.exception()
                if error is not None:
                    raise error
        finally:
            # on an error or an interrupt: drop the requests not started, let those in
            # flight finish (their answers are cached), close the connections
            pool.shutdown(wait=True, cancel_futures=True)
            bar.close()
            server.close()
            report.update(tally, failed=len(failed), failed_units=sorted(failed))
            report["response_format"] = server.response_format

    def _api_key(self) -> str:
        key = self.api_key or os.environ.get(ENV_API_KEY, "")
        if key:
            return key
        if self.remote_:
            raise EndpointError(
                f"LLM endpoint {self.base_url_} is on another machine and no API key is "
                f"set: set {ENV_API_KEY} or pass api_key= to LLMCoder"
            )
        return "no-key"  # local servers need none; the openai client wants a string

    def _answer(
        self,
        server: ChatEndpoint,
        units: _Units,
        i: int,
        tally: Counter[str],
        lock: threading.Lock,
    ) -> dict[str, Any] | None:
        """One unit's answer as a cache entry, or None when it stayed unreadable."""
        messages = [*self.messages_, {"role": "user", "content": units.requests[i]}]
        where = units.where(i)
        cut_off = False
        for attempt in range(2):
            completion = server.complete(messages, unit=where)
            cut_off = completion.cut_off
            with lock:
                tally.update(
                    calls=1,
                    retries=completion.retries,
                    prompt_tokens=completion.prompt_tokens,
                    completion_tokens=completion.completion_tokens,
                    malformed_retries=attempt,
                )
            if parse_answer(completion.content) is not None:
                return {
                    "host": self.host_,
                    "model": self.model_,
                    "prompt_sha256": self.prompt_sha256_,
                    "request": units.requests[i],
                    "response": completion.content,
                    "response_format": completion.response_format,
                    "prompt_tokens": completion.prompt_tokens,
                    "completion_tokens": completion.completion_tokens,
                    "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                }
        if cut_off:  # the same request would be cut off again: the limit is too low
            with lock:
                tally.update(failed_cut_off=1)
        return None

    def _codes(
        self, units: _Units, entries: list[dict[str, Any] | None], report: dict[str, Any]
    ) -> pd.DataFrame:
        """The grounded codes of every answered unit."""
        book = self.codebook_
        codable = set(self.classes_)
        rows: dict[tuple[str, str, int, int, str], dict[str, Any]] = {}
        unknown: set[str] = set()
        for i, entry in enumerate(entries):
            if entry is None:
                continue
            parsed = parse_answer(entry.get("response"))
            if parsed is None:  # a cache entry written by something else
                continue
            answers, bad = parsed
            report["answers"] += len(answers) + bad
            report["malformed_entries"] += bad
            for answer in answers:
                code = _known_code(book, answer.code, codable)
                if code is None:
                    report["unknown_codes"] += 1
                    unknown.add(answer.code)
                    continue
                found = self._ground(units, i, answer)
                if found is None:
                    report["ungrounded_quotes"] += 1
                    continue
                start, end, how = found
                report[f"grounded_{how}"] += 1
                self._add_rows(rows, units, i, answer, code, start, end)
        report["unknown_code_names"] = sorted(unknown)
        report["codes_kept"] = len(rows)
        if not rows:
            codes = empty("codes")
        else:
            # unit by unit, in the text's order, codes of one span in codebook order
            order = {c.code: i for i, c in enumerate(book.codes)}
            ranked = sorted(
                rows.items(),
                key=lambda kv: (kv[1].pop("_unit"), kv[0][2], kv[0][3], order[kv[0][4]]),
            )
            codes = validate(pd.DataFrame([row for _, row in ranked]), "codes")
        codes.attrs["llm_report"] = report
        return codes

    def _ground(self, units: _Units, i: int, answer: Answer) -> tuple[int, int, str] | None:
        sent = units.sent[i]
        found = ground_quote(answer.quote, sent.text)
        if found is None:
            return None
        start, end = sent.to_original(found[0], found[1])
        return start, end, found[2]

    def _add_rows(
        self,
        rows: dict[tuple[str, str, int, int, str], dict[str, Any]],
        units: _Units,
        i: int,
        answer: Answer,
        code: str,
        start: int,
        end: int,
    ) -> None:
        part = units.parts.iloc[i]
        offset = int(part["start"])
        text = str(part["text"])
        kind = units.kinds[i]
        polarity = KIND_SIGNS.get(kind, answer.polarity)
        reason = answer.reason
        if units.pseudonyms is not None:
            reason = units.pseudonyms.restore(reason)
        codable = set(self.classes_)  # a sub-code implies its (codable) parents
        for name in takewhile(codable.__contains__, self.codebook_.lineage(code)):
            key = (str(part["doc_id"]), str(part["field"]), offset + start, offset + end, name)
            rows.setdefault(
                key,
                {
                    "_unit": i,
                    "doc_id": key[0],
                    "field": key[1],
                    "start": key[2],
                    "end": key[3],
                    "quote": text[start:end],
                    "codebook": self.codebook_.name,
                    "code": name,
                    "polarity": polarity,
                    "coder": self.coder_,
                    "confidence": CONFIDENCE,
                    "evidence": reason,
                },
            )

    # ------------------------------------------------------------- the audit trail

    def appendix(
        self, frame: pd.DataFrame, *, segments: pd.DataFrame | None = None
    ) -> pd.DataFrame:
        """The requests and answers behind the codes of ``frame``, from the cache.

        For a methods appendix: write it with :func:`copanalysis.io.write_llm_appendix`.
        Nothing is sent; a unit not yet coded (or whose answer was unreadable) has an
        empty response.

        Returns
        -------
        DataFrame
            One row per unit: ``doc_id``, ``field``, ``start``, ``end``, ``request`` (the
            unit's message as sent: pseudonymised when names were), ``response`` (the
            model's answer, verbatim), ``response_format``, ``prompt_tokens``,
            ``completion_tokens``, ``created`` (UTC). ``attrs``: ``messages`` (the system
            prompt and worked examples sent before every unit), ``coder``, ``endpoint``,
            ``model``, ``prompt_sha256``, ``settings`` (temperature, seed, max_tokens).
        """
        check_is_fitted(self, "messages_")
        units = self._units(frame, segments)
        cache = self._cache()
        records = []
        for i, key in enumerate(units.keys):
            entry = cache.get(key) or {}
            part = units.parts.iloc[i]
            records.append(
                {
                    "doc_id": str(part["doc_id"]),
                    "field": str(part["field"]),
                    "start": int(part["start"]),
                    "end": int(part["end"]),
                    "request": units.requests[i],
                    "response": entry.get("response", ""),
                    "response_format": entry.get("response_format", ""),
                    "prompt_tokens": int(entry.get("prompt_tokens", 0)),
                    "completion_tokens": int(entry.get("completion_tokens", 0)),
                    "created": entry.get("created", ""),
                }
            )
        table = pd.DataFrame(records, columns=APPENDIX_COLUMNS)
        table.attrs.update(
            messages=[dict(m) for m in self.messages_],
            coder=self.coder_,
            endpoint=self.base_url_,
            model=self.model_,
            prompt_sha256=self.prompt_sha256_,
            settings={
                "temperature": self.temperature,
                "seed": self.seed,
                "max_tokens": self.max_tokens,
            },
        )
        return table

    # --------------------------------------------------------- scikit-learn methods

    def predict(self, X: Iterable[str]) -> np.ndarray:
        """Which codes each text gets: a 0/1 array over :attr:`classes_`.

        Returns
        -------
        ndarray of int, shape (n_texts, n_classes)
        """
        check_is_fitted(self, "messages_")
        return predict_by_coding(self, X)


# ---------------------------------------------------------------------- the run


@dataclass
class _Units:
    """The units of one run, each as sent and under its cache key."""

    parts: pd.DataFrame
    sent: list[PseudonymisedText]
    requests: list[str]
    keys: list[str]
    kinds: list[str]
    pseudonyms: Pseudonyms | None

    def where(self, i: int) -> str:
        part = self.parts.iloc[i]
        return f"{part['doc_id']}/{part['field']}@{int(part['start'])}"


# ---------------------------------------------------------------------- helpers


def _sent(pseudonyms: Pseudonyms | None, text: str) -> str:
    return text if pseudonyms is None else pseudonyms.apply(text).text


def _example_codes(
    book: Codebook, spans: Sequence[tuple[str, str, int, str]], pseudonyms: Pseudonyms | None
) -> tuple[dict[str, Any], ...]:
    """The answer a worked example shows: each (code, quote) once, in codebook order, a
    parent left out where one of its sub-codes has the same quote (the model is asked for
    the most specific code)."""
    order = {c.code: i for i, c in enumerate(book.codes)}
    seen: dict[tuple[str, str], tuple[int, str]] = {}
    for code, quote, polarity, memo in spans:
        seen.setdefault((code, quote), (polarity, memo))
    specific = {
        (book.codes_by_id[code].parent, quote)
        for code, quote in seen
        if book.codes_by_id[code].parent is not None
    }
    kept = sorted((key for key in seen if key not in specific), key=lambda k: (order[k[0]], k[1]))
    return tuple(
        {
            "code": code,
            "quote": _sent(pseudonyms, quote),
            "polarity": seen[(code, quote)][0],
            "reason": _sent(pseudonyms, seen[(code, quote)][1])
            or f"{book.codes_by_id[code].label}.",
        }
        for code, quote in kept
    )


def _known_code(book: Codebook, name: str, codable: set[str]) -> str | None:
    """The codable code ``name`` stands for (identifier, alias or label), or None."""
    try:
        code = book.resolve(name)
    except CodebookError:
        return None
    return code if code in codable else None


# ---------------------------------------------------------------------- reports


def combine_reports(reports: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """One ``llm_report`` for several batches of a run: counts added, lists joined, the
    rest from the first batch (the answer format from the last that called the server).

    Examples
    --------
    >>> combine_reports([{"model": "m", "calls": 2, "failed_units": ["a/story@0"]},
    ...                  {"model": "m", "calls": 3, "failed_units": []}])
    {'model': 'm', 'calls': 5, 'failed_units': ['a/story@0']}
    """
    out: dict[str, Any] = {}
    for report in reports:
        for name, value in report.items():
            if name not in out:
                out[name] = list(value) if isinstance(value, list) else value
            elif isinstance(value, bool):
                out[name] = out[name] or value
            elif isinstance(value, int | float):
                out[name] += value
            elif isinstance(value, list):
                out[name] = sorted(set(out[name]) | set(value))
            elif name == "response_format" and value:
                out[name] = value
    return out


def where_texts_went(report: Mapping[str, Any]) -> str:
    """A sentence for a methods section: where the coded texts were sent.

    Examples
    --------
    >>> print(where_texts_went({"model": "qwen2.5:7b", "endpoint": "http://localhost:11434/v1",
    ...     "remote": False, "calls": 12, "cache_hits": 3, "pseudonymised": True,
    ...     "names_replaced": 4, "dry_run": False}))
    The texts were coded by the language model qwen2.5:7b, served on this machine (http://localhost:11434/v1): they did not leave it (12 calls, 3 answers from the cache). People's names were replaced by placeholders before sending (4 replacements).
    """  # noqa: E501
    model, url = report.get("model", "?"), report.get("endpoint", "?")
    if report.get("dry_run"):
        return f"No text was sent: a dry run estimated what coding with {model} at {url} takes."
    calls, hits = report.get("calls", 0), report.get("cache_hits", 0)
    counts = f"{calls} calls, {hits} answers from the cache"
    if report.get("remote"):
        line = (
            f"The texts were sent to the language model {model} at {url}, a server outside "
            f"this machine, as the researcher allowed (allow_remote=True) ({counts})."
        )
    else:
        line = (
            f"The texts were coded by the language model {model}, served on this machine "
            f"({url}): they did not leave it ({counts})."
        )
    if report.get("pseudonymised"):
        n = int(report.get("names_replaced", 0))
        line += (
            " People's names were replaced by placeholders before sending "
            f"({n} replacement{'' if n == 1 else 's'})."
        )
    else:
        line += " People's names were sent as written."
    dropped = what_was_dropped(report)
    return f"{line} {dropped}" if dropped else line


def what_was_dropped(report: Mapping[str, Any]) -> str:
    """A sentence on what a run lost: units the model gave no readable answer for (they
    stay uncoded), and codes dropped as not in the codebook or quoting words not in the
    text; empty when nothing was lost.

    Examples
    --------
    >>> print(what_was_dropped({"units": 177, "failed": 4, "answers": 260,
    ...     "unknown_codes": 36, "unknown_code_names": ["knowledge_sharing"],
    ...     "ungrounded_quotes": 24, "malformed_entries": 0,
    ...     "failed_units": ["PFM-011/insights@0", "PFM-011/practice@0", "PFM-030/activities@0",
    ...                      "PFM-036/activities@0"]}))
    4 of 177 units got no readable answer from the model and stay uncoded (PFM-011/insights@0, PFM-011/practice@0, PFM-030/activities@0 and 1 more; they are asked again on the next run). 60 of the 260 codes the model gave were dropped: 36 with a code not in the codebook (knowledge_sharing), 24 whose quote is not in the text.
    >>> what_was_dropped({"units": 3, "failed": 0, "answers": 2, "unknown_codes": 0,
    ...     "ungrounded_quotes": 0, "malformed_entries": 0})
    ''
    """  # noqa: E501
    said = []
    failed = int(report.get("failed", 0))
    if failed:
        where = list(report.get("failed_units") or [])
        named = ", ".join(where[:3]) + (f" and {len(where) - 3} more" if len(where) > 3 else "")
        units = int(report.get("units", 0))
        said.append(
            f"{failed} of {units} unit{'' if units == 1 else 's'} got "
            f"no readable answer from the model and stay uncoded ({named + '; ' if named else ''}"
            "they are asked again on the next run)."
        )
        cut = int(report.get("failed_cut_off", 0))
        if cut:
            said.append(
                f"{'It was' if failed == 1 else f'{cut} of them were'} cut off at the "
                "answer-length limit, and will be again: pass a larger max_tokens= to "
                "LLMCoder."
            )
    why = []
    unknown = int(report.get("unknown_codes", 0))
    if unknown:
        names = ", ".join(str(n) for n in report.get("unknown_code_names") or [])
        why.append(f"{unknown} with a code not in the codebook{f' ({names})' if names else ''}")
    ungrounded = int(report.get("ungrounded_quotes", 0))
    if ungrounded:
        why.append(f"{ungrounded} whose quote is not in the text")
    unread = int(report.get("malformed_entries", 0))
    if unread:
        why.append(f"{unread} that could not be read (no code or quote)")
    if why:
        n = unknown + ungrounded + unread
        said.append(
            f"{n} of the {int(report.get('answers', 0))} codes the model gave "
            f"{'was' if n == 1 else 'were'} dropped: {', '.join(why)}."
        )
    return " ".join(said)
