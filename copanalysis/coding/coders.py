"""The coders by name, and the one policy that picks the default coder.

``code(..., coder="semantic")`` and ``EnsembleCoder(members=["rules", "semantic"])`` name
coders; :func:`make_coder` builds the estimator behind a name and :func:`fit_default`
fits it the way a researcher who has not coded anything yet would (on the codebook's own
training material). :func:`default_coder` is the default of :func:`~copanalysis.code` and
:func:`~copanalysis.iter_codes`: for a codebook the real development set covers
(``data/dev/``), the installed coder that agrees best there with the authors' codes (the
README reports the figures and ``tests/test_readme.py`` checks that :data:`PREFERENCE`
follows them); for any other codebook, the rule coder, which needs no training material.

``coder="llm"`` (:class:`~copanalysis.coding.LLMCoder`) sends the texts to a language-model
server, so it is used only when asked for by name: it is never the default, nor a
candidate when :func:`~copanalysis.study.analyse` picks a coder (:data:`LOCAL_CODERS`).
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from copanalysis.codebooks.codebook import Codebook

__all__ = [
    "CODER_NAMES",
    "LOCAL_CODERS",
    "PREFERENCE",
    "CoderName",
    "default_coder",
    "fit_default",
    "judges_polarity",
    "make_coder",
]

CoderName = Literal["rules", "model", "semantic", "ensemble", "llm"]

#: Every coder name :func:`make_coder` knows.
CODER_NAMES: tuple[CoderName, ...] = ("rules", "model", "semantic", "ensemble", "llm")

#: The coders that run on this machine alone: the only ones the package may choose by
#: itself (the default coder, ``analyse(coder="best")``). ``"llm"`` is used only by name.
LOCAL_CODERS: tuple[CoderName, ...] = ("rules", "model", "semantic", "ensemble")

#: Per training corpus, the coders from best to worst agreement with the authors' codes on
#: the development set (kappa of the primary code), as ``tests/readme_figures.py`` measures.
PREFERENCE: dict[str, tuple[CoderName, ...]] = {
    "value_cycles": ("semantic", "ensemble", "model", "rules"),
    "enablers_challenges": ("ensemble", "semantic", "rules", "model"),
}

#: Each coder name's class, as (module, class name): imported only when built.
CLASSES: dict[str, tuple[str, str]] = {
    "rules": ("copanalysis.coding.rules", "RuleCoder"),
    "model": ("copanalysis.coding.model", "TextCoder"),
    "semantic": ("copanalysis.coding.semantic", "SemanticCoder"),
    "ensemble": ("copanalysis.coding.ensemble", "EnsembleCoder"),
    "llm": ("copanalysis.coding.llm", "LLMCoder"),
}

#: The import each coder needs beyond the required dependencies (its optional extra).
_NEEDS: dict[str, str] = {"semantic": "sentence_transformers", "llm": "openai"}


def installed(name: str) -> bool:
    """Whether the optional extra a coder needs is installed.

    Examples
    --------
    >>> installed("rules")
    True
    """
    need = _NEEDS.get(name)
    return need is None or importlib.util.find_spec(need) is not None


def default_coder(codebook: str | Codebook = "value_cycles") -> CoderName:
    """The default coder for ``codebook``.

    The first installed coder of :data:`PREFERENCE` for the codebook's training corpus (a
    copy of a built-in codebook keeps it), else ``"rules"``.

    Examples
    --------
    >>> default_coder("value_cycles") in CODER_NAMES
    True
    >>> default_coder("leadership_roles")
    'rules'
    """
    from copanalysis.io.codebooks import load_codebook

    book = load_codebook(codebook)
    members = {"ensemble": ("semantic", "rules")}
    for name in PREFERENCE.get(book.training, ()):
        if name in LOCAL_CODERS and all(installed(part) for part in members.get(name, (name,))):
            return name
    return "rules"


def judges_polarity(name: str) -> bool:
    """Whether the coder called ``name`` tells value denied from value told: whether its
    codes can have polarity -1 ("it made no difference to my teaching").

    A coder class says it does not with ``judges_polarity = False`` (the TF-IDF
    :class:`~copanalysis.coding.TextCoder`, whose codes are all +1); the semantic coder
    judges it once fitted with its training corpus, which holds both polarities.

    Examples
    --------
    >>> judges_polarity("model"), judges_polarity("rules")
    (False, True)
    """
    if name not in CLASSES:
        raise ValueError(f"coder must be one of {', '.join(CODER_NAMES)}, got {name!r}")
    module, cls = CLASSES[name]
    said = getattr(getattr(importlib.import_module(module), cls), "judges_polarity", True)
    return said if isinstance(said, bool) else True  # a property: judged once fitted


def make_coder(name: str, codebook: str | Codebook, **params: Any) -> Any:
    """The (unfitted) coder called ``name`` for ``codebook``.

    Parameters
    ----------
    name : {"rules", "model", "semantic", "ensemble", "llm"}
        ``"llm"`` is :class:`~copanalysis.coding.LLMCoder` with its model, server and key
        from ``$COPANALYSIS_LLM_MODEL``, ``$COPANALYSIS_LLM_BASE_URL`` and
        ``$OPENAI_API_KEY``; it calls only a server on this machine.
    codebook : str or Codebook
    **params
        Passed to the coder's constructor (``unit="field"`` ...).

    Raises
    ------
    ValueError
        For an unknown name.
    CopanalysisError
        For ``"llm"`` when ``$COPANALYSIS_LLM_MODEL`` is not set (the message names the
        variables).

    Examples
    --------
    >>> type(make_coder("model", "value_cycles")).__name__
    'TextCoder'
    """
    if name not in CLASSES:
        raise ValueError(f"coder must be one of {', '.join(CODER_NAMES)}, got {name!r}")
    if name == "llm":
        return _llm_from_environment(codebook, **params)
    module, cls = CLASSES[name]
    return getattr(importlib.import_module(module), cls)(codebook, **params)


def fit_default(coder: Any) -> Any:
    """Fit ``coder`` on its codebook's own material: the training corpus for learned
    coders (``fit_codebook``), the cues for the rule coder (``fit``)."""
    if hasattr(coder, "fit_codebook"):
        return coder.fit_codebook()
    return coder.fit()


def _llm_from_environment(codebook: str | Codebook, **params: Any) -> Any:
    """``coder="llm"``: an LLMCoder configured by the environment, refused early when the
    model is not named there."""
    import os

    from copanalysis.coding.llm import (
        DEFAULT_BASE_URL,
        ENV_API_KEY,
        ENV_BASE_URL,
        ENV_MODEL,
        LLMCoder,
    )
    from copanalysis.errors import CopanalysisError

    if not params.get("model") and not os.environ.get(ENV_MODEL):
        base = os.environ.get(ENV_BASE_URL)
        raise CopanalysisError(
            f'coder="llm" reads its settings from the environment, and {ENV_MODEL} is not '
            f"set. Set {ENV_MODEL} to the model's name on the server (such as "
            f"qwen2.5:7b-instruct), {ENV_BASE_URL} to the server's OpenAI-compatible URL "
            f"({'now ' + base if base else 'not set: default ' + DEFAULT_BASE_URL}, Ollama "
            f"on this machine), and {ENV_API_KEY} if the server needs a key; or pass "
            "coder=LLMCoder(model=..., base_url=...). It calls only a server on this "
            "machine; for another, pass LLMCoder(..., allow_remote=True)."
        )
    return LLMCoder(codebook, **params)
