"""make_nlp: the download-free default pipeline, caching, and trained-pipeline labels."""

from __future__ import annotations

import pytest

from copanalysis.coding.pipeline import make_nlp, pipeline_label
from copanalysis.errors import CopanalysisError


def test_default_pipeline_lemmatizes_offline_and_splits_sentences() -> None:
    nlp = make_nlp()
    doc = nlp("We learnt a lot. Then we shared experiences.")
    assert nlp.pipe_names == ["lemmatizer", "sentencizer"]
    assert [t.lemma_ for t in doc][1] == "learn"
    assert [s.text for s in doc.sents] == ["We learnt a lot.", "Then we shared experiences."]
    assert pipeline_label(nlp) is None


def test_pipeline_is_cached_per_model_name() -> None:
    assert make_nlp() is make_nlp(None)


def test_auto_falls_back_to_the_default_without_a_trained_pipeline() -> None:
    pytest.importorskip("spacy")
    import importlib.util

    if importlib.util.find_spec("en_core_web_sm") is not None:
        pytest.skip("en_core_web_sm is installed here")
    assert make_nlp("auto") is make_nlp()


def test_missing_trained_pipeline_names_it() -> None:
    with pytest.raises(CopanalysisError, match="'xx_no_such_pipeline' is not installed"):
        make_nlp("xx_no_such_pipeline")


def test_trained_pipeline_label_uses_meta() -> None:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("tagger")
    nlp.meta.update({"name": "core_test", "version": "1.2.3"})
    assert pipeline_label(nlp) == "en_core_test@1.2.3"
