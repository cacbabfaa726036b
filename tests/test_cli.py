"""The ``copanalysis`` command: the demo writes every output and leaves data/raw alone."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from copanalysis.cli import main
from copanalysis.io import read_refi


def _digest(folder) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_demo_writes_frames_tables_charts_report_and_project(raw_dir, tmp_path, capsys) -> None:
    before = _digest(raw_dir)
    assert main(["demo", "--raw", str(raw_dir), "--out", str(tmp_path), "--no-progress"]) == 0
    assert _digest(raw_dir) == before
    printed = capsys.readouterr().out
    assert "stories     84 rows" in printed and "skipped" in printed

    for frame in ("stories", "items", "roles", "grid", "gold", "codes"):
        assert (tmp_path / f"{frame}.parquet").is_file()
    charts = {p.stem for p in (tmp_path / "figures").glob("*.png")}
    assert charts == {p.stem for p in (tmp_path / "figures").glob("*.svg")}
    assert {
        "value_grid",
        "cycle_frequencies",
        "story_reach",
        "value_flows",
        "cooccurrence",
        "enablers_challenges",
        "leadership_roles",
        "agreement",
        "quantities",
    } <= charts
    frequencies = pd.read_csv(tmp_path / "tables" / "frequencies.csv")
    assert frequencies["n"].max() <= 84
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") == len(charts)

    project = read_refi(tmp_path / "project.qdpx", progress=False)
    assert len(project.stories) == 84
    assert {"Ana Ruiz", "Kwame Mensah"} <= set(project.codes["coder"])


def test_a_missing_folder_is_a_clear_error(tmp_path, capsys) -> None:
    assert main(["report", str(tmp_path / "nowhere"), "--out", str(tmp_path / "r.html")]) == 2
    assert "nowhere: no such folder" in capsys.readouterr().err
