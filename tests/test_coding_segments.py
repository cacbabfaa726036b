"""segment: sentences and fields with code-point offsets, the sentencizer rule on arrays."""

from __future__ import annotations

import pandas as pd
import pytest
from spacy.tokens import Doc

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
    frame = pd.DataFrame({"doc_id": ["d"], "text": ["  time\nmoney \n\nNo stop here"]})
    segments = segment(frame)
    assert segments["text"].tolist() == ["time", "money", "No stop here"]
    assert segments[["start", "end"]].values.tolist() == [[2, 6], [7, 12], [15, 27]]


def test_a_list_items_marker_is_left_out_of_its_sentence() -> None:
    text = (
        "Things I did:\n- sat in on 6 calls\n  * wrote the policy\n• ran it\n1. first\n2) second"
    )
    segments = segment(pd.DataFrame({"doc_id": ["d"], "text": [text]}))
    assert segments["text"].tolist() == [
        "Things I did:",
        "sat in on 6 calls",
        "wrote the policy",
        "ran it",
        "first",
        "second",
    ]
    assert segments[["start", "end"]].values.tolist() == [
        [0, 13],
        [16, 33],
        [38, 54],
        [57, 63],
        [67, 72],
        [76, 82],
    ]
    assert [text[a:b] for a, b in segments[["start", "end"]].values] == segments["text"].tolist()


def test_a_dash_or_number_that_is_not_a_list_marker_stays() -> None:
    text = "-5% waste\n1.5 times more\nWe met - twice.\n- \n2025. A year"
    segments = segment(pd.DataFrame({"doc_id": ["d"], "text": [text]}))
    assert segments["text"].tolist() == [
        "-5% waste",
        "1.5 times more",
        "We met - twice.",
        "-",
        "2025.",
        "A year",
    ]


def test_a_line_break_that_wraps_prose_does_not_cut_the_sentence() -> None:
    wrapped = "We share one spares list with Northbrook now,\nso we no longer keep a full stock."
    long_line = "I organised the site visit to the Eastvale pumping station"
    texts = [
        wrapped,
        f"{long_line}\nand hosted the spring asset workshop. Then we left.",
        f"{long_line}\n\nand a new paragraph",  # a blank line: a break
        f"{long_line}.\nnext, after a full stop",  # the line ends a sentence
        f"{long_line}\nThe next line starts a sentence",
        "What helped:\ntime to meet\nsupport from managers",  # short lines: a list
    ]
    frame = pd.DataFrame({"doc_id": list("abcdef"), "text": texts})
    segments = segment(frame)
    assert segments[["doc_id", "text"]].values.tolist() == [
        ["a", wrapped],
        ["b", f"{long_line}\nand hosted the spring asset workshop."],
        ["b", "Then we left."],
        ["c", long_line],
        ["c", "and a new paragraph"],
        ["d", f"{long_line}."],
        ["d", "next, after a full stop"],
        ["e", long_line],
        ["e", "The next line starts a sentence"],
        ["f", "What helped:"],
        ["f", "time to meet"],
        ["f", "support from managers"],
    ]
    assert segments[["start", "end"]].values.tolist()[:3] == [[0, 80], [0, 96], [97, 110]]
    # one text at a time, or a batch cut anywhere: the same sentences
    alone = pd.concat([segment(frame.iloc[[i]]) for i in range(len(frame))])
    assert alone["text"].tolist() == segments["text"].tolist()


def test_field_unit_is_the_whole_text() -> None:
    items = pd.DataFrame({"item_id": ["1"], "kind": ["challenge"], "text": ["No time. No money."]})
    segments = segment(items, unit="field")
    assert segments[["doc_id", "field", "segment", "start", "end"]].values.tolist() == [
        ["1", "text", 0, 0, 18]
    ]


def _opens(doc: Doc, i: int) -> bool:
    """Whether token ``i`` of ``doc`` is an opening bracket or quote written against the
    token after it, after a space or first."""
    token = doc[i]
    return (
        i >= 0
        and token.is_left_punct
        and not token.whitespace_
        and (i == 0 or bool(doc[i - 1].whitespace_) or doc[i - 1].is_space)
    )


def test_sentences_match_spacys_sentencizer_across_batches() -> None:
    """spaCy's sentence starts, but for an opening bracket before one ("Hi!! (Really?)"),
    which starts it in place of the word after it."""
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
            {t.i - 1 if _opens(doc, t.i - 1) else t.i for t in doc if t.is_sent_start}
            | {t.i + 1 for t in doc if t.is_space and "\n" in t.text and t.i + 1 < len(doc)}
        )
        for k, a in enumerate(starts):
            b = starts[k + 1] if k + 1 < len(starts) else len(doc)
            words = [t for t in doc[a:b] if not t.is_space]
            if words:
                expected.append((text, words[0].idx, words[-1].idx + len(words[-1])))
    found = []
    for lo, parsed in parse_batches(nlp, texts, max_chars=30):
        for unit, a, b in zip(*(x.tolist() for x in sentences(parsed)), strict=True):
            found.append((texts[lo + unit], a, b))
    assert found == expected


def test_an_opening_bracket_after_a_sentence_starts_the_next_one() -> None:
    """Trial 39: spaCy's sentencizer kept the "[" with the sentence before it ("...when lots
    drop out. [" and "Coach's note: ...] I found out ..."); a closing quote or bracket
    still ends its sentence."""
    story = (
        "It helps when lots drop out. [Coach's note: this was mostly from Priya's talk in "
        'November] I found out how. He said "go." Then we went (all of us). ("Really?") Yes.'
    )
    segments = segment(pd.DataFrame({"story_id": ["s1"], "story": [story]}))
    assert segments[["start", "end", "text"]].values.tolist() == [
        [0, 28, "It helps when lots drop out."],
        [
            29,
            107,
            "[Coach's note: this was mostly from Priya's talk in November] I found out how.",
        ],
        [108, 121, 'He said "go."'],
        [122, 147, "Then we went (all of us)."],
        [148, 159, '("Really?")'],
        [160, 164, "Yes."],
    ]


def test_unknown_unit_is_refused() -> None:
    with pytest.raises(ValueError, match="unit must be"):
        segment(pd.DataFrame({"id": ["a"], "text": ["x"]}), unit="clause")  # type: ignore[arg-type]


TRICKY = [
    "We didn't learn much :) but it's fine (:",
    "withdrawn after publication: 1 this year, e.g. at 10a.m. in the U.S.",
    "o.O really?! 🎉🎉 we met\u00a0twice\u3000a week",
    "  leading and trailing  \n\n",
    "tabs\tand\r\nbreaks\x1c and ’s quotes '' ok",
    "gj(: ')gA — s.A+g\"*e.g.",
    "Dr. Smith can't go;-) www.example.com $5,000 well-being o.k.",
    " ",
    "end with two spaces  ",
]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_each_text_of_a_batch_gets_the_tokens_spacy_gives_it_alone(seed: int) -> None:
    import random

    nlp = make_nlp()
    rng = random.Random(seed)
    seps = [" ", "", "  ", "\n", " \n ", "\t"]
    texts = TRICKY + [
        "".join(rng.choice(TRICKY) + rng.choice(seps) for _ in range(rng.randint(1, 4)))
        for _ in range(60)
    ]
    rng.shuffle(texts)
    for lo, parsed in parse_batches(nlp, texts, max_chars=400):
        for u in range(len(parsed.starts)):
            text = texts[lo + u]
            a, b = parsed.first_token[u], parsed.first_token[u + 1]
            offset = parsed.starts[u]
            got = [
                (int(i - offset), int(e - offset), int(low))
                for i, e, low, space in zip(
                    parsed.idx[a:b],
                    parsed.end[a:b],
                    parsed.lower[a:b],
                    parsed.space[a:b],
                    strict=True,
                )
                if not space and i - offset < len(text)
            ]
            alone = [
                (t.idx, t.idx + len(t.text), t.lower)
                for t in nlp.tokenizer(text)
                if not t.is_space
            ]
            assert got == alone, text


def test_batches_are_cut_on_a_vocabulary_of_their_own_that_starts_afresh(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import spacy

    from copanalysis.coding import segments

    monkeypatch.setattr(segments, "MAX_WORDS", 2000)
    nlp = make_nlp()
    words = len(nlp.vocab)
    alone = spacy.blank("en").tokenizer  # the same rules, to compare with
    copies: list = []  # kept, so no copy's id is reused
    texts = [f"Entry{i}: we learnt {i} things, e.g. word{i}x and x{i}word." for i in range(3000)]
    for lo, parsed in parse_batches(nlp, texts, max_chars=5000):
        copy = segments._COPIES[nlp][1]
        if not any(c is copy for c in copies):
            copies.append(copy)
        assert len(copy.vocab) <= 2000 + 400  # a batch's words at most
        u = len(parsed.starts) - 1  # the last text of each batch, against spaCy alone
        a, b = parsed.first_token[u], parsed.first_token[u + 1]
        got = [parsed.text[i:e] for i, e in zip(parsed.idx[a:b], parsed.end[a:b], strict=True)]
        assert got == [t.text for t in alone(texts[lo + u])]
    assert len(copies) > 3  # copied afresh as the words came
    assert len(nlp.vocab) == words  # the pipeline's own vocabulary did not grow


def test_a_change_to_the_pipelines_tokenizer_reaches_the_batches() -> None:
    import spacy

    nlp = spacy.blank("en")
    texts = ["We met at the drop-in yesterday."]
    lo, parsed = next(parse_batches(nlp, texts))
    assert "drop-in" not in [parsed.text[a:b] for a, b in zip(parsed.idx, parsed.end, strict=True)]
    nlp.tokenizer.add_special_case("drop-in", [{"ORTH": "drop-in"}])
    lo, parsed = next(parse_batches(nlp, texts))
    assert "drop-in" in [parsed.text[a:b] for a, b in zip(parsed.idx, parsed.end, strict=True)]


def test_sentences_read_from_the_cache_are_the_ones_cut(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from copanalysis.coding import segments as module

    texts = [
        "🎉 We met. We learnt.",
        "   ",
        "",
        "time\nmoney \n\nNo stop here",
        "We met. We learnt.",
        "🎉 We met. We learnt.",  # the same text again
        "One line that wraps in an e-mail because it is long\nand goes on here. Done.",
    ]
    frame = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts})
    cut: list[str] = []
    real = module._sentences_of
    monkeypatch.setattr(
        module, "_sentences_of", lambda nlp, texts: cut.extend(texts) or real(nlp, texts)
    )
    plain = segment(frame)
    n = len(cut)
    assert n == 5  # blank texts are no units
    first = segment(frame, cache_dir=tmp_path)  # cuts every text once, and keeps the cut
    assert cut[n:] == [texts[0], texts[3], texts[4], texts[6]]  # the repeated text once
    n = len(cut)
    again = segment(frame, cache_dir=tmp_path)  # cuts nothing
    assert len(cut) == n
    pd.testing.assert_frame_equal(first, plain)
    pd.testing.assert_frame_equal(again, plain)
    # a new text is cut alone; the others are read
    more = pd.concat([frame, pd.DataFrame({"doc_id": ["new"], "text": ["Fresh. Words."]})])
    mixed = segment(more, cache_dir=tmp_path)
    assert cut[n:] == ["Fresh. Words."]
    pd.testing.assert_frame_equal(mixed, segment(more))
    assert [p.name[:10] for p in tmp_path.iterdir() if p.suffix == ".sqlite"] == ["sentences-"]


def test_a_pipeline_of_ones_own_is_not_cached(tmp_path) -> None:
    frame = pd.DataFrame({"doc_id": ["d"], "text": ["We met. We learnt."]})
    segment(frame, nlp=make_nlp(), cache_dir=tmp_path)
    assert not list(tmp_path.iterdir())
