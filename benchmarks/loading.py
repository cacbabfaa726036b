"""Memory and time of loading a large survey export: ``load_stories`` on a 50 MB CSV.

The CSV is a Google Forms export (:func:`write_survey`): a timestamp, community, role, name,
an activity date, the five prompts, an email address; answers of realistic length with
non-ASCII letters, quoted commas and line breaks. Each measurement runs in a fresh process
(:func:`measure`): the time, the growth of the process's resident set (``ru_maxrss``) and,
in another process, the peak of Python's own allocations (``tracemalloc``), against the
file's size. The loader streams the
file (the text is never held whole), so the peak is the frame it returns plus the rows on
their way to it: a fixed multiple of the file, which :data:`TARGET_PEAK_PER_FILE_BYTE`
bounds.

Run ``python -m benchmarks.loading --megabytes 50`` from the repository root (results go to
``benchmarks/results/loading-<date>.json``, git-ignored). Not part of ``make test``.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
#: Peak Python allocations while loading, per byte of the file: the target to keep.
TARGET_PEAK_PER_FILE_BYTE = 12.0

HEADER = [
    "Timestamp",
    "Email Address",
    "Name of your community / network",
    "Your role in the community",
    "Your name",
    "Date of the activity (dd/mm/yyyy)",
    "1. What meaningful activities did you participate in? *",
    "2. What specific insights did you gain? What access to useful information or material? *",
    "3. How did this influence your practice? *",
    "4. How did this contribute to your personal/professional development? *",
    "5. How did this contribute to the goal of the organization? *",
]
WORDS = (
    "we",
    "met",
    "every",
    "month",
    "shared",
    "cases",
    "the",
    "ward",
    "nurses",
    "learned",
    "checklist",
    "wound",
    "care",
    "José's",
    "team",
    "Zoë",
    "presented,",
    "and",
    "I",
    "now",
    "check",
    "every",
    "patient",
    "on",
    "admission;",
    "fewer",
    "falls,",
    "12",
    "to",
    "5",
    "a",
    "quarter,",
    "confidence,",
    "network,",
    "colleagues,",
    "rota",
)


def write_survey(path: Path, megabytes: float, *, seed: int = 0) -> int:
    """Write a Google Forms CSV of about ``megabytes`` MB at ``path``; return its rows."""
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    start = datetime(2025, 1, 1)
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        while handle.tell() < target:
            when = start + timedelta(minutes=rows)
            answers = [
                " ".join(rng.choices(WORDS, k=rng.randint(5, 80)))
                + ("\nAnd more." if rng.random() < 0.1 else "")
                for _ in range(5)
            ]
            writer.writerow(
                [
                    when.strftime("%Y/%m/%d %H:%M:%S"),
                    f"r{rows}@example.org",
                    rng.choice(["Nursing Practice Network", "Harbour Engineers"]),
                    rng.choice(["Ward nurse", "Charge nurse", "Site engineer"]),
                    f"Member {rows}",
                    (when - timedelta(days=rng.randint(0, 20))).strftime("%d/%m/%Y"),
                    *answers,
                ]
            )
            rows += 1
    return rows


def _child(path: str, trace: bool) -> dict[str, Any]:
    """Load ``path`` in this (fresh) process: with ``trace``, the peak of Python's
    allocations; without, the time (CPU and wall) and the growth of the resident set."""
    import resource
    import tracemalloc

    import copanalysis.io as cio

    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:
        tracemalloc.start()
    began, cpu = time.perf_counter(), time.process_time()
    stories = cio.load_stories(path, progress=False)
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    if trace:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return {"peak_python_mb": round(peak / 1e6, 1)}
    return {
        "rows": len(stories),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "rss_growth_mb": round(
            (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base_rss) / 1e3, 1
        ),
        "frame_mb": round(stories.memory_usage(deep=True).sum() / 1e6, 1),
    }


def measure(megabytes: float) -> dict[str, Any]:
    """Write the CSV, then load it in a fresh process; the figures as a dict."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "responses.csv")
        rows = write_survey(path, megabytes)
        size = path.stat().st_size
        result: dict[str, Any] = {}
        for trace in (False, True):
            code = (
                "import json, benchmarks.loading as b; "
                f"print(json.dumps(b._child({str(path)!r}, {trace})))"
            )
            out = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
            result.update(json.loads(out.strip().splitlines()[-1]))
    result.update(
        file_mb=round(size / 1e6, 1),
        rows_written=rows,
        peak_per_file_byte=round(result["peak_python_mb"] * 1e6 / size, 2),
        target_peak_per_file_byte=TARGET_PEAK_PER_FILE_BYTE,
    )
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--megabytes", type=float, nargs="+", default=[50.0])
    args = parser.parse_args(argv)
    results = [measure(mb) for mb in args.megabytes]
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"loading-{stamp}.json").write_text(json.dumps(results, indent=2))
    for result in results:
        verdict = "ok" if result["peak_per_file_byte"] <= TARGET_PEAK_PER_FILE_BYTE else "OVER"
        print(json.dumps(result), verdict)


if __name__ == "__main__":
    main()
