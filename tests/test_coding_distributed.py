"""Coding a Dask frame on a real ``distributed.LocalCluster`` (two worker processes on the
loopback): the codes equal the pandas codes for every coder, the coders pickle and load
their heavy objects once per worker, and a worker killed mid-run changes nothing."""

from __future__ import annotations

import os
import pickle
import signal
import time
from collections.abc import Iterator

import pandas as pd
import pytest

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

import copanalysis as cop  # noqa: E402
from copanalysis.coding.api import _fit  # noqa: E402
from copanalysis.frames import is_dask_frame  # noqa: E402
from copanalysis.io.codebooks import load_codebook  # noqa: E402
from copanalysis.schema import empty  # noqa: E402

SPAN = ["doc_id", "field", "start", "end", "codebook", "code", "polarity"]


@pytest.fixture(scope="module")
def client() -> Iterator[distributed.Client]:
    """Two single-threaded worker processes on 127.0.0.1, no dashboard."""
    with (
        distributed.LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
            scheduler_kwargs={"dashboard": False},
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def stories(corpus) -> pd.DataFrame:
    """The bundled stories."""
    return corpus.stories


def in_order(codes: pd.DataFrame) -> pd.DataFrame:
    """Codes in one canonical row order (the Dask frame's rows come partition by
    partition, pandas' batch by batch)."""
    return codes.sort_values([*SPAN, "evidence"], kind="stable").reset_index(drop=True)


def assert_same_codes(lazy, expected: pd.DataFrame) -> None:
    assert is_dask_frame(lazy)
    assert lazy.dtypes.to_dict() == empty("codes").dtypes.to_dict()
    got = lazy.compute()
    assert got.dtypes.to_dict() == expected.dtypes.to_dict()
    assert len(got) > 0
    pd.testing.assert_frame_equal(in_order(got), in_order(expected))


def test_a_pandas_frame_is_not_a_dask_frame(stories) -> None:
    assert not is_dask_frame(stories)
    assert is_dask_frame(dd.from_pandas(stories, npartitions=2))


def test_rule_coder_on_the_cluster_gives_the_pandas_codes(client, stories) -> None:
    frame = dd.from_pandas(stories, npartitions=5)
    lazy = cop.code(frame, "value_cycles", coder="rules")
    assert_same_codes(lazy, cop.code(stories, "value_cycles", coder="rules", progress=False))


def test_one_batch_per_partition_gives_the_rows_in_pandas_order(client, stories) -> None:
    frame = dd.from_pandas(stories, npartitions=4)
    got = cop.code(frame, ["value_cycles", "enablers_challenges"], coder="rules").compute()
    expected = cop.code(
        stories, ["value_cycles", "enablers_challenges"], coder="rules", progress=False
    )
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected)


def test_min_confidence_is_applied_per_partition(client, stories) -> None:
    frame = dd.from_pandas(stories, npartitions=3)
    lazy = cop.code(frame, coder="rules", min_confidence=0.5)
    expected = cop.code(stories, coder="rules", min_confidence=0.5, progress=False)
    assert_same_codes(lazy, expected)


def test_iter_codes_yields_each_partitions_codes_in_order(client, stories) -> None:
    frame = dd.from_pandas(stories, npartitions=4)
    batches = list(cop.iter_codes(frame, coder="rules", min_confidence=0.3))
    assert len(batches) == 4
    assert all(isinstance(b, pd.DataFrame) for b in batches)
    got = pd.concat(batches, ignore_index=True)
    expected = cop.code(stories, coder="rules", min_confidence=0.3, progress=False)
    pd.testing.assert_frame_equal(got, expected)
    assert sum(b.attrs["abstained"] for b in batches) == expected.attrs["abstained"] > 0


@pytest.mark.slow
def test_model_coder_on_the_cluster_gives_the_pandas_codes(client, stories) -> None:
    frame = dd.from_pandas(stories, npartitions=4)
    expected = cop.code(stories, coder="model", progress=False)
    assert_same_codes(cop.code(frame, coder="model"), expected)


def test_a_fitted_rule_coder_pickles_light_and_codes_the_same(stories) -> None:
    fitted = _fit(load_codebook("value_cycles"), "rules", None)
    shipped = pickle.dumps(fitted)
    assert len(shipped) < 100_000  # the spaCy pipeline is rebuilt by name, not shipped
    copy = pickle.loads(shipped)
    assert copy.nlp_ is fitted.nlp_  # the process's own pipeline (make_nlp's cache)
    pd.testing.assert_frame_equal(
        copy.code(stories, progress=False), fitted.code(stories, progress=False)
    )


@pytest.mark.slow
def test_pipeline_loads_once_per_worker(stories) -> None:
    # a cluster of its own: the workers' load counters start from nothing
    with (
        distributed.LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
            scheduler_kwargs={"dashboard": False},
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        frame = dd.from_pandas(stories, npartitions=16)
        cop.code(frame, coder="rules").compute()

        def loads() -> int:
            from copanalysis.coding.pipeline import _build

            return _build.cache_info().misses

        # sixteen partitions, each worker coded some: one pipeline built per worker
        assert sorted(client.run(loads).values()) == [1, 1]


@pytest.mark.slow
def test_semantic_coder_on_the_cluster_gives_the_pandas_codes(client, stories) -> None:
    pytest.importorskip("sentence_transformers")
    frame = dd.from_pandas(stories, npartitions=6)
    expected = cop.code(stories, coder="semantic", progress=False)
    assert_same_codes(cop.code(frame, coder="semantic"), expected)

    def loads() -> int:
        from copanalysis.io.embedding_model import _load

        return _load.cache_info().misses

    assert max(client.run(loads).values()) <= 1  # 0 when every text was in the cache


@pytest.mark.slow
def test_semantic_model_loads_once_per_worker_with_a_cold_cache(stories, tmp_path) -> None:
    pytest.importorskip("sentence_transformers")
    from copanalysis.coding.semantic import SemanticCoder

    fitted = SemanticCoder(cache_dir=None).fit_codebook()
    with (
        distributed.LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
            scheduler_kwargs={"dashboard": False},
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        frame = dd.from_pandas(stories, npartitions=6)
        assert_same_codes(cop.code(frame, coder=fitted), fitted.code(stories))

        def loads() -> int:
            from copanalysis.io.embedding_model import _load

            return _load.cache_info().misses

        assert sorted(client.run(loads).values()) == [1, 1]


@pytest.mark.slow
def test_llm_coder_on_the_cluster_gives_the_pandas_codes(client, stories, tmp_path) -> None:
    pytest.importorskip("openai")
    from llm_chat_server import ChatServer, rule_answers

    from copanalysis.coding.llm import LLMCoder

    few = stories.head(12)
    with ChatServer(rule_answers()) as server:
        coder = LLMCoder(model="scripted", base_url=server.url, cache_dir=None, n_examples=0).fit()
        expected = cop.code(few, coder=coder, progress=False)
        lazy = cop.code(dd.from_pandas(few, npartitions=3), coder=coder)
        assert_same_codes(lazy, expected)


@pytest.mark.slow
def test_a_worker_killed_mid_run_is_retried_and_the_codes_are_complete(client, stories) -> None:
    many = pd.concat(
        [stories.assign(story_id=stories["story_id"] + f"-{i}") for i in range(20)],
        ignore_index=True,
    )
    expected = cop.code(many, coder="rules", progress=False)
    frame = dd.from_pandas(many, npartitions=40)
    future = client.compute(cop.code(frame, coder="rules"))
    deadline = time.monotonic() + 120
    while not any(client.processing().values()):  # wait until the workers are coding
        assert not future.done() and time.monotonic() < deadline
        time.sleep(0.05)
    victim = sorted(client.scheduler_info()["workers"])[0]
    pid = client.run(os.getpid, workers=[victim])[victim]
    os.kill(pid, signal.SIGKILL)  # the worker process dies mid-run
    got = future.result(timeout=300)
    assert victim not in client.scheduler_info()["workers"]
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected)  # complete, and in order
    client.wait_for_workers(2, timeout=120)  # the nanny has started a new one


def test_inside_use_cluster_a_pandas_frame_is_coded_on_the_cluster(client, stories) -> None:
    from copanalysis.coding.distributed import on_cluster, use_cluster

    expected = cop.code(stories, coder="rules", min_confidence=0.3, batch_size=20, progress=False)
    address = client.scheduler.address
    with use_cluster(scheduler=address, progress=False) as there:
        assert on_cluster()
        got = cop.code(stories, coder="rules", min_confidence=0.3, batch_size=20)
        tasks = there.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.task_prefixes))
    assert not on_cluster()
    assert tasks > 0
    pd.testing.assert_frame_equal(got, expected)  # the same rows, in the same order
    assert got.attrs == expected.attrs  # min_confidence and abstained, summed over batches
    assert got.attrs["abstained"] > 0


def test_write_codes_parquet_writes_a_partitioned_dataset(client, stories, tmp_path) -> None:
    from copanalysis.io import load_frame, write_codes_parquet

    lazy = cop.code(dd.from_pandas(stories, npartitions=3), coder="rules")
    folder = write_codes_parquet(lazy, tmp_path / "codes.parquet")
    parts = sorted(folder.glob("*.parquet"))
    assert folder.is_dir() and len(parts) == 3
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no leftovers
    assert load_frame(parts[0]).attrs["provenance"]["frame"] == "codes"
    back = pd.read_parquet(folder)
    expected = cop.code(stories, coder="rules", progress=False)
    pd.testing.assert_frame_equal(back.astype(expected.dtypes), expected)
    write_codes_parquet(lazy, folder)  # a dataset already there is replaced
    assert sorted(folder.glob("*.parquet")) == parts


def _fill_cache(folder: str, worker: int, n: int) -> int:
    """Write ``n`` vectors of this worker's own texts, one transaction each, then read the
    cache whole (what several workers embedding at once do to the shared SQLite file)."""
    import numpy as np

    from copanalysis.io.embedding_cache import EmbeddingCache, text_key

    cache = EmbeddingCache(folder, model_sha256="ab" * 32, dim=4)
    for i in range(n):
        vector = np.full((1, 4), worker * 1000 + i, dtype=np.float32)
        cache.put([text_key(f"{worker}-{i}")], vector)
    return len(cache)


def test_workers_share_one_embedding_cache_file(client, tmp_path) -> None:
    import numpy as np

    from copanalysis.io.embedding_cache import EmbeddingCache, text_key

    workers = sorted(client.scheduler_info()["workers"])
    futures = [
        client.submit(_fill_cache, str(tmp_path), k, 200, workers=[w], pure=False)
        for k, w in enumerate(workers)
    ]
    assert all(n >= 200 for n in client.gather(futures))
    cache = EmbeddingCache(tmp_path, model_sha256="ab" * 32, dim=4)
    keys = [text_key(f"{k}-{i}") for k in range(len(workers)) for i in range(200)]
    found, vectors = cache.get(keys)
    assert found.all() and len(cache) == len(keys)
    assert np.array_equal(vectors[:, 0], [k * 1000 + i for k in range(2) for i in range(200)])
