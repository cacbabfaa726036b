"""The aggregating analyses of a Dask codes frame give the pandas tables, with a story's
codes spread over several partitions (Dask's threaded scheduler; the cluster is tested in
``test_coding_distributed``)."""

from __future__ import annotations

import pandas as pd
import pytest

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")

from copanalysis.analysis import (  # noqa: E402
    code_frequencies,
    cooccurrence,
    crosstab,
    story_paths,
)
from copanalysis.coding.api import code  # noqa: E402


@pytest.fixture(scope="module")
def codes(corpus) -> pd.DataFrame:
    """Rule codes of the bundled stories, both codebooks."""
    return code(
        corpus.stories, ["value_cycles", "enablers_challenges"], coder="rules", progress=False
    )


@pytest.fixture(scope="module")
def mixed(codes) -> pd.DataFrame:
    """The codes in shuffled row order."""
    return codes.sample(frac=1.0, random_state=0).reset_index(drop=True)


@pytest.fixture(scope="module")
def scattered(mixed) -> dd.DataFrame:
    """The shuffled codes over five partitions: stories split across them."""
    frame = dd.from_pandas(mixed, npartitions=5, sort=False)
    parts = dask.compute(*frame.to_delayed())
    homes = pd.concat([p["doc_id"].drop_duplicates() for p in parts]).value_counts()
    assert (homes > 1).any()  # some story's codes sit in several partitions
    return frame


def test_a_story_split_over_partitions_is_one_story(codes) -> None:
    one = codes[codes["doc_id"] == codes["doc_id"].iloc[0]]
    halves = dd.from_pandas(one, npartitions=2, sort=False)
    assert halves.npartitions == 2 and len(one) > 2
    pd.testing.assert_frame_equal(story_paths(halves), story_paths(one))
    pd.testing.assert_frame_equal(cooccurrence(halves), cooccurrence(one))
    assert code_frequencies(halves)["n"].max() == 1


@pytest.mark.parametrize("unit", ["doc", "segment"])
@pytest.mark.parametrize("polarity", ["positive", "negative", "any"])
def test_cooccurrence(codes, scattered, unit, polarity) -> None:
    pd.testing.assert_frame_equal(
        cooccurrence(scattered, unit=unit, polarity=polarity),
        cooccurrence(codes, unit=unit, polarity=polarity),
    )


@pytest.mark.parametrize("unit", ["doc", "segment"])
@pytest.mark.parametrize(
    ("by", "with_frame"),
    [
        (None, False),
        ("field", False),
        (None, True),
        ("field", True),
        (["community"], True),
        (["role", "community"], True),
        (["role", "field"], True),
    ],
)
def test_code_frequencies(mixed, scattered, corpus, unit, by, with_frame) -> None:
    frame = corpus.stories if with_frame else None
    expected = code_frequencies(mixed, by=by, unit=unit, frame=frame)
    got = code_frequencies(scattered, by=by, unit=unit, frame=frame)
    pd.testing.assert_frame_equal(got, expected)
    if with_frame:
        stories = dd.from_pandas(corpus.stories, npartitions=3)
        got = code_frequencies(scattered, by=by, unit=unit, frame=stories)
        pd.testing.assert_frame_equal(got, expected)


def test_code_frequencies_with_a_codebook_and_a_dask_frame(codes, scattered, corpus) -> None:
    only = codes[codes["codebook"] == "value_cycles"]
    lazy = dd.from_pandas(only.sample(frac=1.0, random_state=1), npartitions=4, sort=False)
    stories = dd.from_pandas(corpus.stories, npartitions=3)
    expected = code_frequencies(
        only, by="community", codebook="value_cycles", frame=corpus.stories
    )
    got = code_frequencies(lazy, by="community", codebook="value_cycles", frame=stories)
    pd.testing.assert_frame_equal(got, expected)


@pytest.mark.parametrize("by", ["role", "community"])
def test_crosstab(codes, scattered, corpus, by) -> None:
    expected = crosstab(codes, frame=corpus.stories, by=by)
    pd.testing.assert_frame_equal(crosstab(scattered, frame=corpus.stories, by=by), expected)
    stories = dd.from_pandas(corpus.stories, npartitions=2)
    pd.testing.assert_frame_equal(crosstab(scattered, frame=stories, by=by), expected)


def test_story_paths(codes, scattered, corpus) -> None:
    pd.testing.assert_frame_equal(story_paths(scattered), story_paths(codes))
    expected = story_paths(codes, frame=corpus.stories)
    pd.testing.assert_frame_equal(story_paths(scattered, frame=corpus.stories), expected)


def test_story_paths_with_stories_left_uncoded(codes, corpus) -> None:
    some = codes[codes["doc_id"].isin(corpus.stories["story_id"].iloc[::3])]
    lazy = dd.from_pandas(some.iloc[::-1], npartitions=3, sort=False)
    stories = dd.from_pandas(corpus.stories, npartitions=2)
    expected = story_paths(some, frame=corpus.stories)
    assert (expected["n_cycles"] == 0).any()
    pd.testing.assert_frame_equal(story_paths(lazy, frame=stories), expected)
    pd.testing.assert_frame_equal(story_paths(lazy), story_paths(some))


def test_empty_codes_give_the_empty_tables(codes, corpus) -> None:
    none = dd.from_pandas(codes.iloc[:0], npartitions=1)
    pd.testing.assert_frame_equal(cooccurrence(none), cooccurrence(codes.iloc[:0]))
    pd.testing.assert_frame_equal(
        crosstab(none, frame=corpus.stories), crosstab(codes.iloc[:0], frame=corpus.stories)
    )
    pd.testing.assert_frame_equal(story_paths(none), story_paths(codes.iloc[:0]))
