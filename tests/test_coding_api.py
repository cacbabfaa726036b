"""code(): one call for every frame, several codebooks, and any fitted coder."""

from __future__ import annotations

import pandas as pd
import pytest

from copanalysis.codebooks.codebook import Code, Codebook
from copanalysis.coding.api import code
from copanalysis.coding.rules import RuleCoder
from copanalysis.schema import empty

CYCLES = Codebook(
    "cycles", "1", (Code("potential", "P", cues=("learn",)), Code("applied", "A", cues=("use",)))
)
THEMES = Codebook("themes", "2", (Code("TIME", "Time", cues=("time",)),))


def test_hand_built_frame_with_an_id_and_a_text_column() -> None:
    stories = pd.DataFrame({"story_id": ["a", "b"], "story": ["I learnt a lot.", "Nothing."]})
    codes = code(stories, CYCLES, coder="rules", progress=False)
    assert codes[["doc_id", "field", "start", "end", "code"]].values.tolist() == [
        ["a", "story", 0, 15, "potential"]
    ]


def test_several_codebooks_are_concatenated_in_order() -> None:
    stories = pd.DataFrame({"story_id": ["a"], "practice": ["We used the time well."]})
    codes = code(stories, [CYCLES, THEMES], coder="rules", progress=False)
    assert codes[["codebook", "code", "coder"]].values.tolist() == [
        ["cycles", "applied", "rules:cycles@1"],
        ["themes", "TIME", "rules:themes@2"],
    ]


def test_built_in_codebook_by_name() -> None:
    stories = pd.DataFrame({"story_id": ["s1"], "practice": ["We shared our experiences."]})
    codes = code(stories, "value_cycles", coder="rules", progress=False)
    assert codes["code"].tolist() == ["immediate"]
    assert codes["coder"][0].startswith("rules:value_cycles@")


def test_fitted_coder_object_is_called_as_is() -> None:
    coder = RuleCoder(THEMES, unit="field").fit()
    items = pd.DataFrame({"item_id": ["1"], "kind": ["challenge"], "text": ["Time. Time."]})
    codes = code(items, "ignored", coder=coder, progress=False)
    assert codes[["code", "start", "end", "polarity"]].values.tolist() == [["TIME", 0, 11, -1]]


def test_no_codes_gives_an_empty_codes_frame() -> None:
    codes = code(
        pd.DataFrame({"id": ["x"], "text": ["Nothing here."]}),
        CYCLES,
        coder="rules",
        progress=False,
    )
    assert codes.empty
    assert list(codes.columns) == list(empty("codes").columns)


def test_bad_coder_is_refused() -> None:
    frame = pd.DataFrame({"id": ["x"], "text": ["x"]})
    with pytest.raises(ValueError, match="coder must be"):
        code(frame, CYCLES, coder="magic", progress=False)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="object with .code"):
        code(frame, CYCLES, coder=object(), progress=False)  # type: ignore[arg-type]


def test_default_coder_is_the_ensemble_trained_on_the_codebook_examples() -> None:
    text = "We shared our experiences at the monthly meeting; I now use their checklist."
    stories = pd.DataFrame({"story_id": ["s1"], "practice": [text]})
    codes = code(stories, "value_cycles", progress=False)
    assert codes["coder"].str.startswith("ensemble:value_cycles@").all()
    assert {"immediate", "applied"} <= set(codes["code"])
    # the evidence names both voters: the rule's cue and the model's features
    assert codes["evidence"].str.contains('rules: cue "share experience"').any()
    assert codes["evidence"].str.contains("model (", regex=False).all()


def test_model_coder_is_dispatched() -> None:
    pytest.importorskip("copanalysis.coding.model")
    stories = pd.DataFrame({"story_id": ["s1"], "practice": ["I applied the new template."]})
    codes = code(stories, "value_cycles", coder="model", progress=False)
    assert codes["coder"].str.startswith("model:value_cycles@").all()
