"""The Dask benchmark's README block is written from its report (the figures themselves are
measured by `make bench`, not by the tests)."""

from __future__ import annotations

import pytest

pytest.importorskip("distributed")

from benchmarks.distributed import markdown, update_readme  # noqa: E402

REPORT = {
    "cpus": 2,
    "rows": [
        {
            "coder": "rules",
            "stories": 20_000,
            "partitions": 16,
            "seconds": {"pandas": 4.0, "1_workers": 6.0, "2_workers": 3.2},
            "load_average": [0.1, 0.3],
            "speedup_2_vs_1": 6.0 / 3.2,
            "overhead_1_vs_pandas": 6.0 / 4.0,
            "codes": 98_765,
            "evidence_differs": {"1_workers": 0, "2_workers": 1},
        }
    ],
}


def test_markdown_reports_the_ratios_and_the_load() -> None:
    table = markdown(REPORT)
    row = "| rules | 20,000 | 16 | 4.0 | 6.0 | 3.2 | 1.88x | 1.50x | 98,765 | 0, 1 | 0.1, 0.3 |"
    assert row in table
    assert "target >= 1.7" in table


def test_update_readme_rewrites_only_its_block(tmp_path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("a\n<!-- measured:benchmark-dask -->\nold\n<!-- /measured -->\nb\n")
    update_readme(REPORT, readme)
    text = readme.read_text()
    assert text.startswith("a\n<!-- measured:benchmark-dask -->\n| coder |")
    assert text.endswith("<!-- /measured -->\nb\n") and "old" not in text
    other = tmp_path / "other.md"
    other.write_text("no block\n")
    with pytest.raises(ValueError, match="benchmark-dask"):
        update_readme(REPORT, other)
