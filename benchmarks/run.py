"""Throughput and memory of ``code(stories, "value_cycles")`` against two baselines.

Measured in the same run on the same synthetic stories (:mod:`benchmarks.corpus`):

* ``coder``: ``copanalysis.code(stories, "value_cycles")``, end to end (stories frame in,
  validated ``codes`` frame out);
* ``tokenizer``: spaCy's bare tokenizer, ``nlp.tokenizer.pipe`` over the same texts;
* ``naive``: the loop a researcher writes first, ``series.str.contains(cue, case=False,
  regex=False)`` for every cue of the codebook and every text column;
* ``naive_forms``: the same loop made to find what the coder finds, one case-insensitive
  whole-word regex per cue over its inflected forms (still no negation, offsets or evidence).

Each timing is the best of ``repeat`` runs, the coder's and the tokenizer's interleaved (the
machine is shared, so the minimum is the least disturbed). Peak memory is measured in a
fresh process per size: the rise of the peak resident set while coding, and how much of it
is the returned ``codes`` frame.

Run ``python -m benchmarks.run --sizes 1000 10000`` from the repository root. Results go to
``benchmarks/results/benchmark-<date>.json`` (git-ignored) and a Markdown table to stdout;
:func:`readme_table` rebuilds the README table from the latest JSON file.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import resource
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from benchmarks.corpus import make_stories, story_words

RESULTS = Path(__file__).resolve().parent / "results"
TARGETS = {"coder_vs_tokenizer": 0.5, "coder_vs_naive": 15.0}
#: Largest corpus the inflected-forms regex baseline runs on.
FORMS_MAX = 10_000


def _best(fn: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def measure_speed(n: int, *, seed: int = 0, repeat: int = 3, naive: bool = True) -> dict:
    """Words per second of the coder and the baselines on ``n`` synthetic stories."""
    from copanalysis.codebooks import load_codebook
    from copanalysis.coding import code, make_nlp
    from copanalysis.coding.cues import surface_forms
    from copanalysis.coding.documents import text_units
    from copanalysis.schema import PROMPT_FIELDS

    stories = make_stories(n, seed=seed)
    words = story_words(stories)
    texts = text_units(stories)["text"].tolist()
    nlp = make_nlp()
    book = load_codebook("value_cycles")
    cues = [cue for c in book.codes for cue in c.cues]
    columns = [stories[f] for f in PROMPT_FIELDS if f in stories.columns]
    code(stories.head(50), "value_cycles", progress=False)  # compile and warm caches

    def run_tokenizer() -> None:
        for _ in nlp.tokenizer.pipe(texts, batch_size=1000):
            pass

    result: dict[str, Any] = {}

    def run_coder() -> None:
        result["codes"] = len(code(stories, "value_cycles", progress=False))

    def run_naive() -> None:
        for column in columns:
            for cue in cues:
                column.str.contains(cue, case=False, regex=False)

    patterns = [
        r"\b(?:"
        + r"\s+(?:\w+\s+){0,2}".join(
            "(?:" + "|".join(sorted(map(re.escape, surface_forms(w)))) + ")" for w in cue.split()
        )
        + r")\b"
        for cue in cues
    ]

    def run_naive_forms() -> None:
        for column in columns:
            for pattern in patterns:
                column.str.contains(pattern, case=False, regex=True)

    # interleaved, so a burst of load on the shared machine hits both alike
    pairs = [(_best(run_tokenizer, 1), _best(run_coder, 1)) for _ in range(repeat)]
    seconds = {
        "tokenizer": min(p[0] for p in pairs),
        "coder": min(p[1] for p in pairs),
    }
    if naive:
        seconds["naive"] = _best(run_naive, max(1, repeat - 1))
        if n <= FORMS_MAX:  # the regex loop is slow: skipped on the largest corpora
            seconds["naive_forms"] = _best(run_naive_forms, 1)
    speed = {k: words / v for k, v in seconds.items()}
    ratios = {"coder_vs_tokenizer": speed["coder"] / speed["tokenizer"]}
    if naive:
        ratios["coder_vs_naive"] = speed["coder"] / speed["naive"]
        if "naive_forms" in speed:
            ratios["coder_vs_naive_forms"] = speed["coder"] / speed["naive_forms"]
    return {
        "stories": n,
        "texts": len(texts),
        "words": words,
        "cues": len(cues),
        "codes": result["codes"],
        "seconds": seconds,
        "words_per_second": speed,
        "ratios": ratios,
    }


def measure_memory(n: int, *, seed: int = 0) -> dict:
    """Memory of coding ``n`` stories, in a fresh Python process.

    ``peak_mb`` is the peak of memory allocated while ``code()`` ran (tracemalloc: Python
    objects, numpy arrays and spaCy's docs; not pyarrow's buffers, where the codes' strings
    are kept), ``codes_mb`` what the returned frame holds, ``input_mb`` the stories frame.
    Texts are parsed a batch at a time, so the working set is flat; what grows with the
    corpus is the output (about 0.3 KB per code row of offsets, codes and confidences).
    """
    script = (
        "import json, sys, tracemalloc; sys.path.insert(0, '.');"
        "from benchmarks.corpus import make_stories;"
        "from copanalysis.coding import code;"
        f"stories = make_stories({n}, seed={seed});"
        "code(stories.head(50), 'value_cycles', progress=False);"
        "tracemalloc.start(); base = tracemalloc.get_traced_memory()[0];"
        "codes = code(stories, 'value_cycles', progress=False);"
        "peak = tracemalloc.get_traced_memory()[1] - base; tracemalloc.stop();"
        "print(json.dumps({'peak_mb': peak / 2**20,"
        " 'input_mb': stories.memory_usage(deep=True).sum() / 2**20,"
        " 'codes_mb': codes.memory_usage(deep=True).sum() / 2**20}))"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True
    )
    memory = json.loads(out.stdout.strip().splitlines()[-1])
    return memory


def run(sizes: list[int], *, repeat: int = 3, memory: bool = True, naive: bool = True) -> dict:
    """Measure every size; write ``benchmarks/results/benchmark-<timestamp>.json``."""
    rows = []
    for n in sizes:
        row = measure_speed(n, repeat=repeat, naive=naive)
        if memory:
            row["memory"] = measure_memory(n)
        rows.append(row)
        print(f"measured {n} stories", file=sys.stderr)
    report = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
        },
        "targets": TARGETS,
        "sizes": rows,
    }
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"benchmark-{stamp}.json").write_text(json.dumps(report, indent=2))
    return report


def markdown(report: dict) -> str:
    """The benchmark report as a Markdown table (one row per corpus size)."""
    lines = [
        "| stories | words | coder (words/s) | tokenizer (words/s) | naive `str.contains` "
        "(words/s) | coder / tokenizer | coder / naive | coder / naive, inflected forms "
        "| peak memory while coding (MB) | codes frame returned (MB) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in report["sizes"]:
        speed, ratios = row["words_per_second"], row["ratios"]
        memory = row.get("memory", {})

        def fmt(value: float | None, spec: str) -> str:
            return "-" if value is None else format(value, spec)

        lines.append(
            f"| {row['stories']:,} | {row['words']:,} | {speed['coder']:,.0f} | "
            f"{speed['tokenizer']:,.0f} | {fmt(speed.get('naive'), ',.0f')} | "
            f"{ratios['coder_vs_tokenizer']:.2f} | "
            f"{fmt(ratios.get('coder_vs_naive'), '.2f')} | "
            f"{fmt(ratios.get('coder_vs_naive_forms'), '.1f')} | "
            f"{fmt(memory.get('peak_mb'), '.0f')} | {fmt(memory.get('codes_mb'), '.0f')} |"
        )
    return "\n".join(lines)


def readme_table(results: str | Path = RESULTS) -> str:
    """The Markdown table of the latest results, merging every size measured.

    For each corpus size the most recent measurement wins, so a one-off 100k run and the
    routine 1k/10k runs make one table.
    """
    files = sorted(Path(results).glob("benchmark-*.json"))
    if not files:
        raise FileNotFoundError(f"no benchmark results in {results}; run benchmarks/run.py")
    latest: dict[int, dict] = {}
    for path in files:
        for row in json.loads(path.read_text())["sizes"]:
            latest[row["stories"]] = row
    return markdown({"sizes": [latest[n] for n in sorted(latest)]})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--no-naive", action="store_true")
    args = parser.parse_args(argv)
    report = run(
        args.sizes, repeat=args.repeat, memory=not args.no_memory, naive=not args.no_naive
    )
    print(markdown(report))
    print(
        f"\nmax RSS of this process: "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
