"""``copanalysis run --workers N`` and ``--scheduler ADDRESS``: the study coded on a Dask
cluster gives the codes of the run in this process."""

from __future__ import annotations

import sys

import pandas as pd
import pytest

from copanalysis.cli import main
from copanalysis.io import load_frame


def test_without_dask_the_flags_are_a_usage_error_naming_the_extra(
    raw_dir, tmp_path, monkeypatch, capsys
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    assert main(["run", str(raw_dir), "--out", str(tmp_path), "--workers", "2"]) == 2
    assert "copanalysis[dask]" in capsys.readouterr().err
    assert not (tmp_path / "codes.parquet").exists()


def test_scheduler_and_workers_exclude_each_other(raw_dir, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["run", str(raw_dir), "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"])
    assert exit_.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_workers_must_be_positive(raw_dir, tmp_path, capsys) -> None:
    pytest.importorskip("distributed")
    assert main(["run", str(raw_dir), "--out", str(tmp_path), "--workers", "0"]) == 2
    assert "--workers must be 1 or more" in capsys.readouterr().err


def test_a_scheduler_that_cannot_be_reached_is_named_with_the_option(
    raw_dir, tmp_path, capsys
) -> None:
    pytest.importorskip("distributed")
    argv = ["run", str(raw_dir), "--out", str(tmp_path), "--scheduler", "nonsense"]
    assert main(argv + ["--no-progress"]) == 3
    err = capsys.readouterr().err
    assert "scheduler 'nonsense' (copanalysis run --scheduler): could not reach" in err
    assert "tcp://host:port" in err
    assert not (tmp_path / "codes.parquet").exists()


@pytest.mark.slow
def test_run_on_two_local_workers_writes_the_in_process_codes(raw_dir, tmp_path, capsys) -> None:
    pytest.importorskip("distributed")
    common = ["--coder", "rules", "--no-progress"]
    assert main(["run", str(raw_dir), "--out", str(tmp_path / "here"), *common]) == 0
    cluster = ["--workers", "2"]
    assert main(["run", str(raw_dir), "--out", str(tmp_path / "dask"), *common, *cluster]) == 0
    assert "Coding on the Dask cluster at tcp://127.0.0.1:" in capsys.readouterr().out
    here = load_frame(tmp_path / "here" / "codes.parquet")
    there = load_frame(tmp_path / "dask" / "codes.parquet")
    assert len(here) > 0
    pd.testing.assert_frame_equal(there, here)
    for table in ("frequencies", "paths", "cooccurrence", "uncoded"):
        assert (tmp_path / "dask" / "tables" / f"{table}.csv").read_text() == (
            tmp_path / "here" / "tables" / f"{table}.csv"
        ).read_text()
