"""segment: sentences and fields with code-point offsets, the sentencizer rule on arrays."""

from __future__ import annotations

import pandas as pd
import pytest

from copanalysis.coding.pipeline import make_nlp
from copanalysis.coding.segments import parse_batches, segment, sentences


def test_sentence_offsets_are_code_points_after_an_emoji() -> None:
    stories = pd.DataFrame({"story_id": ["s1"], "insights": ["🎉🎉 We met. We learnt a lot!"]})
    segments = segment(stories)
    assert segments[["doc_id", "field", "segment", "start", "end"]].values.tolist() == [
        ["s1", "insights", 0, 0, 10],
        ["s1", "insights", 1, 11, 27],
    ]
    text = stories["insights"][0]
    assert [text[a:b] for a, b in segments[["start", "end"]].values] == segments["text"].tolist()


def test_line_breaks_start_sentences_and_whitespace_is_trimmed() -> None:
    frame = pd.DataFrame({"doc_id": ["d"], "text": ["  - time\n- money\n\nNo stop here"]})
    segments = segment(frame)
    assert segments["text"].tolist() == ["- time", "- money", "No stop here"]
    assert segments[["start", "end"]].values.tolist() == [[2, 8], [9, 16], [18, 30]]


def test_field_unit_is_the_whole_text() -> None:
    items = pd.DataFrame({"item_id": ["1"], "kind": ["challenge"], "text": ["No time. No money."]})
    segments = segment(items, unit="field")
    assert segments[["doc_id", "field", "segment", "start", "end"]].values.tolist() == [
        ["1", "text", 0, 0, 18]
    ]


def test_sentences_match_spacys_sentencizer_across_batches() -> None:
    nlp = make_nlp()
    texts = [
        "Hi!! (Really?) Yes... ok.",
        '"Done." Next one',
        "e.g. this. And U.S. that",
        "",
        "Wait?! - no. ... fine",
        "one\ntwo. three",
    ]
    expected = []
    for text in texts:
        doc = nlp(text)
        starts = sorted(
            {t.i for t in doc if t.is_sent_start}
            | {t.i + 1 for t in doc if t.is_space and "\n" in t.text and t.i + 1 < len(doc)}
        )
        for k, a in enumerate(starts):
            b = starts[k + 1] if k + 1 < len(starts) else len(doc)
            words = [t for t in doc[a:b] if not t.is_space]
            if words:
                expected.append((text, words[0].idx, words[-1].idx + len(words[-1])))
    found = []
    for lo, parsed in parse_batches(nlp, texts, max_chars=30):
        for unit, a, b in sentences(parsed)[["unit", "start", "end"]].values.tolist():
            found.append((texts[lo + unit], a, b))
    assert found == expected


def test_unknown_unit_is_refused() -> None:
    with pytest.raises(ValueError, match="unit must be"):
        segment(pd.DataFrame({"id": ["a"], "text": ["x"]}), unit="clause")  # type: ignore[arg-type]


def test_batch_tokens_are_spacys_tokens_without_a_doc() -> None:
    import numpy as np

    from copanalysis.coding.segments import SEPARATOR, scan_tokens

    nlp = make_nlp()
    texts = [
        "We didn't learn much :) but it's fine (:",
        "withdrawn after publication: 1 this year, e.g. at 10a.m. in the U.S.",
        "o.O really?! 🎉🎉 we met\u00a0twice\u3000a week",
        "  leading and trailing  \n\n",
        "tabs\tand\r\nbreaks\x1c and ’s quotes '' ok",
        "",
        "gj(: ')gA — s.A+g\"*e.g.",
    ]
    text = SEPARATOR.join(texts)
    starts = np.concatenate(([0], np.cumsum([len(t) + len(SEPARATOR) for t in texts])[:-1]))
    tokens = scan_tokens(nlp, text, starts)
    assert tokens is not None  # "publication: 1" may cross chunks: that text goes to spaCy
    doc = nlp.make_doc(text)
    assert [text[a:b] for a, b in zip(tokens.idx, tokens.end, strict=True)] == [
        t.text for t in doc
    ]
    assert tokens.lower.tolist() == [t.lower for t in doc]
    assert tokens.space.tolist() == [t.is_space for t in doc]
    assert tokens.newline.tolist() == [t.is_space and "\n" in t.text for t in doc]
