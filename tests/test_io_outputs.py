"""Outputs are written atomically and get the permissions of any new file (the umask's)."""

from __future__ import annotations

import os
import stat

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from copanalysis.io.figures import save_figure
from copanalysis.io.outputs import atomic_write, created_mode, save_table
from copanalysis.io.parquet import save_frame
from copanalysis.io.refi_archive import write_archive
from copanalysis.io.report import write_report


@pytest.fixture(params=[0o022, 0o077, 0o002])
def umask(request):
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_outputs_follow_the_umask_as_a_plain_open_would(tmp_path, umask) -> None:
    expected = 0o666 & ~umask
    assert created_mode() == expected and created_mode(folder=True) == 0o777 & ~umask
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    assert _mode(plain) == expected  # what the user's other files get
    frame = pd.DataFrame({"a": [1, 2]})
    fig, ax = plt.subplots()
    written = [
        atomic_write(tmp_path / "a.txt", lambda p: p.write_text("hi")),
        save_table(frame, tmp_path / "tables" / "t.csv"),
        save_frame(frame, tmp_path / "f.parquet"),
        write_report("<html></html>", tmp_path / "report.html"),
        write_archive(tmp_path / "project.qdpx", {"project.qde": b"<Project/>"}),
        *save_figure(fig, tmp_path / "figures" / "chart", formats=("png", "svg")),
    ]
    plt.close(fig)
    assert {p.name: oct(_mode(p)) for p in written} == {p.name: oct(expected) for p in written}
    assert os.umask(umask) == umask  # reading the umask left it as it was
