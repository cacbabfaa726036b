"""The benchmark script runs (its figures are measured by `make bench`, not by the tests)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.corpus import make_stories, story_words
from benchmarks.run import markdown, measure_speed, readme_table
from copanalysis.coding import code

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def test_make_bench_command_starts() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert "--sizes" in out.stdout


def test_speed_is_measured_on_the_same_texts() -> None:
    row = measure_speed(40, repeat=1, naive=False)
    stories = make_stories(40, seed=0)
    assert row["words"] == story_words(stories)
    assert row["codes"] == len(code(stories, "value_cycles", coder="rules", progress=False))
    assert set(row["seconds"]) == {"coder", "tokenizer"}
    ratio = row["words_per_second"]["coder"] / row["words_per_second"]["tokenizer"]
    assert abs(row["ratios"]["coder_vs_tokenizer"] - ratio) < 1e-9


def test_readme_table_merges_the_latest_result_of_each_size(tmp_path: Path) -> None:
    row = measure_speed(20, repeat=1, naive=False)
    from benchmarks.corpus import CORPUS_VERSION

    for stamp, words in (("20260101-000000", 1), ("20260102-000000", row["words"])):
        report = {"corpus": CORPUS_VERSION, "sizes": [dict(row, words=words)]}
        (tmp_path / f"benchmark-{stamp}.json").write_text(json.dumps(report))
    table = readme_table(tmp_path)
    assert table == markdown({"sizes": [row], "realism": None})
    assert f"| 20 | {row['words']:,} |" in table


def test_the_loading_benchmark_writes_a_survey_the_loader_reads_whole(tmp_path) -> None:
    from benchmarks.loading import _child, write_survey

    path = tmp_path / "responses.csv"
    rows = write_survey(path, 0.05)
    assert path.stat().st_size >= 50_000
    measured = _child(str(path), False)
    assert measured["rows"] == rows and measured["frame_mb"] > 0
    assert set(_child(str(path), True)) == {"peak_python_mb"}


def test_the_scaling_benchmark_times_each_case_at_two_sizes(tmp_path: Path) -> None:
    from benchmarks.scaling import CASES, markdown, measure_growth, update_readme

    names = ["header of spaces (load_stories)", "a number, spaces, its unit (quantities)"]
    rows = measure_growth(names, scale=0.01, repeat=1)
    assert [row["case"] for row in rows] == names
    assert [row["characters"] for row in rows] == [[80, 320], [80, 320]]
    assert all(row["growth"] == row["seconds"][1] / row["seconds"][0] for row in rows)
    # every case makes its input and runs: a case that raised would stop the benchmark
    for at in CASES.values():
        at(20)()
    readme = tmp_path / "README.md"
    readme.write_text("a\n<!-- measured:benchmark-scaling -->\nold\n<!-- /measured -->\nb\n")
    update_readme(rows, readme)
    assert readme.read_text() == (
        f"a\n<!-- measured:benchmark-scaling -->\n{markdown(rows)}\n<!-- /measured -->\nb\n"
    )
