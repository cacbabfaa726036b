"""code(): one call for every frame, several codebooks, and any fitted coder."""

from __future__ import annotations

import pandas as pd
import pytest

from copanalysis.codebooks.codebook import Code, Codebook
from copanalysis.coding.api import code, iter_codes
from copanalysis.coding.rules import RuleCoder
from copanalysis.schema import empty, validate

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


def test_without_a_codebook_each_frame_gets_its_own() -> None:
    # an enabler/challenge list coded with no codebook named was coded with the value
    # cycles ("Turnover of members" -> potential); it gets the enabler/challenge themes
    items = pd.DataFrame(
        {"item_id": ["1", "2"], "kind": ["challenge", "enabler"],
         "text": ["No budget for cover.", "Protected time from the head."]}
    )  # fmt: skip
    codes = code(items, coder="rules", progress=False)
    assert codes[["doc_id", "codebook", "code", "polarity"]].values.tolist() == [
        ["1", "enablers_challenges", "RESOURCES", -1],
        ["2", "enablers_challenges", "TIME", 1],
    ]
    batches = list(iter_codes(items, coder="rules", progress=False))
    assert pd.concat(batches)["codebook"].unique().tolist() == ["enablers_challenges"]
    texts = pd.DataFrame({"id": ["t1"], "text": ["We shared our experiences."]})
    assert code(texts, coder="rules", progress=False)["codebook"].tolist() == ["value_cycles"]


def test_fitted_coder_object_is_called_as_is() -> None:
    coder = RuleCoder(THEMES, unit="field").fit()
    items = pd.DataFrame({"item_id": ["1"], "kind": ["challenge"], "text": ["Time. Time."]})
    codes = code(items, "ignored", coder=coder, progress=False)
    assert codes[["code", "start", "end", "polarity"]].values.tolist() == [["TIME", 0, 11, -1]]


def test_a_coder_not_yet_fitted_is_fitted_on_a_copy_on_its_codebooks_material() -> None:
    """Trial 27: code(stories, coder=SemanticCoder(prompts=1.0)) raised scikit-learn's
    NotFittedError, whose hint (call 'fit') is not what a user of this package needs."""
    unfitted = RuleCoder(THEMES, unit="field")
    items = pd.DataFrame({"item_id": ["1"], "kind": ["challenge"], "text": ["Time. Time."]})
    codes = code(items, "ignored", coder=unfitted, progress=False)
    assert codes[["code", "coder"]].values.tolist() == [["TIME", "rules:themes@2"]]
    assert not hasattr(unfitted, "tables_")  # the user's object is left as it was
    batches = list(iter_codes(items, "ignored", coder=unfitted, progress=False))
    assert pd.concat(batches)["code"].tolist() == ["TIME"]


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


def test_default_coder_is_the_semantic_coder_trained_on_the_corpus() -> None:
    pytest.importorskip("sentence_transformers")  # the default follows the installed coders
    from copanalysis.coding.coders import default_coder

    assert default_coder() == "semantic"  # the best on the development set (README)
    text = "We shared our experiences at the monthly meeting; I now use their checklist."
    stories = pd.DataFrame({"story_id": ["s1"], "practice": [text]})
    codes = code(stories, "value_cycles", progress=False)
    assert codes["coder"].str.startswith("semantic:value_cycles@").all()
    assert codes["evidence"].str.startswith('like "').all()


def test_iter_codes_has_the_same_default_coder_as_code() -> None:
    stories = pd.DataFrame({"story_id": ["s1", "s2"], "practice": ["I use it.", "We met."]})
    streamed = pd.concat(iter_codes(stories, "value_cycles", progress=False), ignore_index=True)
    pd.testing.assert_frame_equal(streamed, code(stories, "value_cycles", progress=False))


def test_selective_coding_leaves_units_below_the_threshold_uncoded() -> None:
    stories = pd.DataFrame(
        {
            "story_id": ["s1"],
            "practice": ["We shared our experiences. I applied the new template."],
        }
    )
    every = code(stories, "value_cycles", coder="rules", progress=False)
    assert every.attrs["abstained"] == 0 and every.attrs["min_confidence"] == 0.0
    sure = code(stories, "value_cycles", coder="rules", min_confidence=0.3, progress=False)
    assert (sure["confidence"] >= 0.3).all()
    kept_spans = set(zip(sure["start"], sure["end"], strict=True))
    all_spans = set(zip(every["start"], every["end"], strict=True))
    assert sure.attrs["abstained"] == len(all_spans - kept_spans) == 1
    with pytest.raises(ValueError, match="min_confidence must be in 0..1"):
        code(stories, "value_cycles", coder="rules", min_confidence=1.5, progress=False)


def test_model_coder_is_dispatched() -> None:
    pytest.importorskip("copanalysis.coding.model")
    stories = pd.DataFrame({"story_id": ["s1"], "practice": ["I applied the new template."]})
    codes = code(stories, "value_cycles", coder="model", progress=False)
    assert codes["coder"].str.startswith("model:value_cycles@").all()


STREAM = pd.DataFrame(
    {
        "story_id": [f"s{i}" for i in range(7)],
        "story": [
            "I learnt a lot. We used it.",
            "Nothing.",
            "We did not learn anything new.",
            "Time to use the new template.",
            "",
            "Learning and learning again.",
            "I used what I learned.",
        ],
        "practice": ["We use it daily."] * 7,
    }
)


def test_iter_codes_batches_concatenate_to_code_exactly() -> None:
    batches = list(
        iter_codes(STREAM, [CYCLES, THEMES], coder="rules", batch_size=3, progress=False)
    )
    # 13 texts (the blank story is no text), row by row, in batches of 3: 5 per codebook,
    # the empty ones too; the first is s0's two fields and s1's practice
    assert [len(b) for b in batches] == [4, 2, 3, 3, 2, 0, 0, 1, 0, 0]
    assert batches[0][["doc_id", "field", "code"]].values.tolist() == [
        ["s0", "practice", "applied"],
        ["s0", "story", "potential"],
        ["s0", "story", "applied"],
        ["s1", "practice", "applied"],
    ]
    assert batches[1][["doc_id", "code", "polarity"]].values.tolist()[-1] == [
        "s2",
        "potential",
        -1,
    ]
    whole = code(STREAM, [CYCLES, THEMES], coder="rules", progress=False, batch_size=1000)
    joined = pd.concat(batches, ignore_index=True)
    pd.testing.assert_frame_equal(joined, whole)
    assert len(whole) == 15 and whole["polarity"].tolist().count(-1) == 1
    # and code() itself, batch by batch, gives the same frame
    pd.testing.assert_frame_equal(
        code(STREAM, [CYCLES, THEMES], coder="rules", progress=False, batch_size=2), whole
    )


def test_iter_codes_each_batch_is_a_valid_codes_frame() -> None:
    for batch in iter_codes(STREAM, CYCLES, coder="rules", batch_size=4, progress=False):
        pd.testing.assert_frame_equal(validate(batch, "codes"), batch)
        assert list(batch.index) == list(range(len(batch)))
        assert set(batch["coder"]) <= {"rules:cycles@1"}


def test_iter_codes_with_a_fitted_rule_coder_and_a_custom_coder() -> None:
    fitted = RuleCoder(CYCLES).fit()
    batches = list(iter_codes(STREAM, coder=fitted, batch_size=5, progress=False))
    pd.testing.assert_frame_equal(
        pd.concat(batches, ignore_index=True), fitted.code(STREAM, batch_size=1000)
    )

    class RowCounter:
        """A user's coder: codes each row it is given once, with code 'seen'."""

        calls: list[int] = []

        def code(self, frame: pd.DataFrame) -> pd.DataFrame:
            self.calls.append(len(frame))
            rows = fitted.code(frame)
            return rows.head(1)

    counter = RowCounter()
    out = list(iter_codes(STREAM, coder=counter, batch_size=3, progress=False))
    assert counter.calls == [3, 3, 1]  # rows of the frame, not texts
    assert [len(b) for b in out] == [1, 1, 1]


def test_iter_codes_rejects_bad_batch_size_and_coder() -> None:
    with pytest.raises(ValueError, match="batch_size must be a positive whole number, got 0"):
        next(iter_codes(STREAM, CYCLES, batch_size=0))
    with pytest.raises(ValueError, match="coder must be"):
        next(iter_codes(STREAM, CYCLES, coder="regex"))  # type: ignore[arg-type]
    assert list(iter_codes(STREAM.head(0), CYCLES, coder="rules", progress=False)) == []
    assert code(STREAM.head(0), CYCLES, coder="rules", progress=False).equals(empty("codes"))


def test_iter_codes_streams_stories_by_rows_and_still_refuses_repeated_ids() -> None:
    from copanalysis.errors import DuplicateIdError

    # batches of 2 texts cut across rows whose blank fields are dropped: same rows as whole
    batches = list(iter_codes(STREAM, CYCLES, coder="rules", batch_size=2, progress=False))
    assert len(batches) == 7  # 13 texts
    pd.testing.assert_frame_equal(
        pd.concat(batches, ignore_index=True),
        RuleCoder(CYCLES).fit().code(STREAM, batch_size=1000),
    )
    repeated = STREAM.assign(story_id=["s0"] * 7)
    with pytest.raises(DuplicateIdError, match="story_id 's0' repeats"):
        next(iter_codes(repeated, CYCLES, coder="rules", batch_size=2, progress=False))


def test_coding_inside_a_streaming_loop_shares_the_pipeline_safely() -> None:
    # the loop body codes other texts with the same (cached) pipeline between the batches
    # iter_code yields: neither disturbs the other's tokens or codes
    from benchmarks.corpus import make_stories

    stories = make_stories(300, seed=5)
    others = make_stories(300, seed=6)
    coder = RuleCoder("value_cycles").fit()
    alone = RuleCoder("value_cycles").fit()
    assert coder.nlp_ is alone.nlp_
    expected_others = alone.code(others, batch_size=25)
    streamed, inner = [], []
    for lo, batch in enumerate(coder.iter_code(stories, batch_size=50)):
        streamed.append(batch)
        inner.append(alone.code(others.iloc[lo * 25 : lo * 25 + 25], batch_size=25))
    pd.testing.assert_frame_equal(
        pd.concat(streamed, ignore_index=True), alone.code(stories, batch_size=50)
    )
    expected = expected_others[
        expected_others["doc_id"].isin(others["story_id"][: 25 * len(inner)])
    ]
    pd.testing.assert_frame_equal(
        pd.concat(inner, ignore_index=True), expected.reset_index(drop=True)
    )


def test_code_with_a_pipeline_of_ones_own_uses_it_without_a_deprecation_warning() -> None:
    """code(..., nlp=) passed the pipeline through the deprecated RuleCoder.fit(nlp=)."""
    import warnings

    from copanalysis.coding import make_nlp

    nlp = make_nlp()
    stories = pd.DataFrame({"story_id": ["s1"], "story": ["I learned a new drill."]})
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        codes = code(stories, CYCLES, coder="rules", nlp=nlp, progress=False)
    assert "potential" in set(codes["code"])
