"""Coding on a Dask cluster: the speed-up of two worker processes over one, and the cost of
one worker against coding in this process.

Measured in the same run on the same synthetic stories (:mod:`benchmarks.corpus`), for the
rule coder and the semantic coder, each fitted once beforehand in this process:

* ``pandas``: ``code(stories, coder=fitted)``, in this process;
* ``1 worker`` and ``2 workers``: ``code(dd.read_parquet(folder), coder=fitted).compute()``
  on a ``distributed.LocalCluster`` of that many single-threaded worker processes (loopback
  only). The stories are written beforehand as a Parquet folder of P files, the way the
  README's Dask example keeps a large corpus: each worker reads its own partitions, and the
  client ships only the graph and the fitted coder, not the stories.

Before each timing, the process or every worker codes one partition's worth of the stories:
that loads the spaCy pipeline and the sentence model, and grows spaCy's vocabulary with the
corpus's words, which a long run pays once (with 4 stories instead, the first worker run
measured about a third slower than the same run again).

The semantic coder runs with no embedding cache (``cache_dir=None``), so every run embeds
every sentence. Dask's nanny starts its workers with ``OMP_NUM_THREADS=1`` (its default
``distributed.nanny.pre-spawn-environ``), so a worker's model runs on one core, while in
this process PyTorch uses every core: for the semantic coder, compare 2 workers with
pandas too. Targets: 2 workers at least 1.7x as fast as 1 on two cores; the ratio
``1 worker / pandas`` is the overhead of shipping partitions and codes. The load average
before and after is recorded: other work on the machine understates the speed-up.

Run ``python -m benchmarks.distributed`` from the repository root; ``--update-readme``
writes the README's ``measured:benchmark-dask`` block (do so only on a quiet machine).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from benchmarks.corpus import make_stories

RESULTS = Path(__file__).resolve().parent / "results"
README = Path(__file__).resolve().parents[1] / "README.md"
TARGETS = {"speedup_2_vs_1": 1.7}


def _fitted(coder: str) -> Any:
    from copanalysis.coding.rules import RuleCoder
    from copanalysis.coding.semantic import SemanticCoder

    if coder == "rules":
        return RuleCoder("value_cycles").fit()
    return SemanticCoder("value_cycles", cache_dir=None).fit_codebook()


def _warm_up(stories: Any, fitted: Any) -> int:
    """Code a sample of the stories: the pipeline and model are loaded after this, and
    spaCy's vocabulary holds the corpus's words."""
    from copanalysis.coding import code

    return len(code(stories, coder=fitted, progress=False))


def _timed(fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def measure(
    coder: str, n: int, *, workers: tuple[int, ...] = (1, 2), partitions: int | None = None
) -> dict[str, Any]:
    """Seconds to code ``n`` stories in this process and on clusters of ``workers``."""
    import dask.dataframe as dd
    import distributed
    import pandas as pd

    from copanalysis.coding import code

    stories = make_stories(n, seed=0)
    fitted = _fitted(coder)
    partitions = partitions or max(workers) * 8
    row: dict[str, Any] = {"coder": coder, "stories": n, "partitions": partitions}
    load = [os.getloadavg()[0]]
    row["seconds"] = {}
    sample = stories.head(max(4, n // partitions))
    _warm_up(sample, fitted)
    row["seconds"]["pandas"], expected = _timed(
        lambda: code(stories, coder=fitted, progress=False)
    )
    row["codes"] = len(expected)
    scratch = Path(tempfile.mkdtemp(prefix="copanalysis-bench-"))
    dd.from_pandas(stories, npartitions=partitions).to_parquet(
        scratch / "stories", write_index=False
    )
    for count in workers:
        with (
            distributed.LocalCluster(
                n_workers=count,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                scheduler_kwargs={"dashboard": False},
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            # every worker loads its spaCy pipeline and sentence model before the timing
            client.run(_warm_up, sample, fitted)
            lazy = code(dd.read_parquet(scratch / "stories"), coder=fitted)
            seconds, got = _timed(lazy.compute)
        span = ["doc_id", "field", "start", "end", "code", "polarity"]
        same = got.sort_values(span).reset_index(drop=True)
        wanted = expected.sort_values(span).reset_index(drop=True)
        # the codes and confidences must agree; the semantic coder's evidence prints each
        # neighbour's similarity to two decimals, and torch's float sums depend on which
        # sentences share a batch, so a similarity next to a rounding boundary may print
        # one hundredth apart (counted, not hidden)
        pd.testing.assert_frame_equal(
            same.drop(columns="evidence"), wanted.drop(columns="evidence")
        )
        differs = int((same["evidence"] != wanted["evidence"]).sum())
        row.setdefault("evidence_differs", {})[f"{count}_workers"] = differs
        row["seconds"][f"{count}_workers"] = seconds
    shutil.rmtree(scratch)
    load.append(os.getloadavg()[0])
    row["load_average"] = load
    one = row["seconds"]["1_workers"]
    row["speedup_2_vs_1"] = one / row["seconds"]["2_workers"]
    row["overhead_1_vs_pandas"] = one / row["seconds"]["pandas"]
    return row


def run(rules_stories: int, semantic_stories: int) -> dict[str, Any]:
    report = {
        "cpus": os.cpu_count(),
        "rows": [measure("rules", rules_stories), measure("semantic", semantic_stories)],
        "date": datetime.now().isoformat(timespec="seconds"),
    }
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"distributed-{report['date'][:10]}.json"
    path.write_text(json.dumps(report, indent=2))
    return report


def markdown(report: dict[str, Any]) -> str:
    """The README block: seconds per setting, the speed-up and the overhead, per coder."""
    target = TARGETS["speedup_2_vs_1"]
    rows = [
        f"| coder | stories | partitions | pandas (s) | 1 worker (s) | 2 workers (s) | "
        f"2 workers / 1 (target >= {target}) | 1 worker / pandas | codes | evidence strings "
        f"not identical (1, 2 workers) | load average (before, after; {report['cpus']} CPUs) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in report["rows"]:
        seconds, differs = row["seconds"], row.get("evidence_differs", {})
        rows.append(
            f"| {row['coder']} | {row['stories']:,} | {row['partitions']} | "
            f"{seconds['pandas']:.1f} | {seconds['1_workers']:.1f} | "
            f"{seconds['2_workers']:.1f} | {row['speedup_2_vs_1']:.2f}x | "
            f"{row['overhead_1_vs_pandas']:.2f}x | {row['codes']:,} | "
            f"{differs.get('1_workers', 0)}, {differs.get('2_workers', 0)} | "
            f"{row['load_average'][0]:.1f}, {row['load_average'][1]:.1f} |"
        )
    return "\n".join(rows) + "\n"


_BLOCK = re.compile(r"(<!-- measured:benchmark-dask -->\n)(.*?)(<!-- /measured -->)", re.S)


def update_readme(report: dict[str, Any], readme: Path = README) -> None:
    """Rewrite the README's ``measured:benchmark-dask`` block from ``report``."""
    text = readme.read_text(encoding="utf-8")
    if not _BLOCK.search(text):
        raise ValueError(f"{readme}: no <!-- measured:benchmark-dask --> block")
    readme.write_text(_BLOCK.sub(lambda m: m[1] + markdown(report) + m[3], text))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rules-stories", type=int, default=20_000)
    # about five sentences a story: the three semantic runs (pandas, 1 and 2 workers) of
    # 20,000 stories take about ten minutes on two cores
    parser.add_argument("--semantic-stories", type=int, default=20_000)
    parser.add_argument("--update-readme", action="store_true")
    args = parser.parse_args(argv)
    report = run(args.rules_stories, args.semantic_stories)
    print(markdown(report))
    if args.update_readme:
        update_readme(report)


if __name__ == "__main__":
    main()
