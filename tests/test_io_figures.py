"""save_figure: formats, folders, reproducible bytes, and data/raw left alone."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from copanalysis.errors import CopanalysisError, UnsupportedFormatError
from copanalysis.io.figures import save_figure


@pytest.fixture
def fig():
    figure, ax = plt.subplots(figsize=(3, 2))
    ax.bar(["a", "b"], [3, 5])
    ax.set_title("Stories")
    yield figure
    plt.close(figure)


def test_writes_each_format_into_new_folders(tmp_path, fig):
    written = save_figure(fig, tmp_path / "out" / "charts" / "reach")
    assert [p.name for p in written] == ["reach.png", "reach.svg", "reach.pdf"]
    assert written[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert written[1].read_text().lstrip().startswith("<?xml")
    assert written[2].read_bytes()[:5] == b"%PDF-"


def test_dpi_sets_png_size(tmp_path, fig):
    from PIL import Image

    (small,) = save_figure(fig, tmp_path / "small", formats=("png",), dpi=50)
    (large,) = save_figure(fig, tmp_path / "large", formats=("png",), dpi=200)
    assert Image.open(large).size[0] == pytest.approx(4 * Image.open(small).size[0], rel=0.1)


def test_svg_and_pdf_bytes_do_not_change_between_saves(tmp_path, fig):
    first = save_figure(fig, tmp_path / "a" / "grid", formats=("svg", "pdf"))
    second = save_figure(fig, tmp_path / "b" / "grid", formats=("svg", "pdf"))
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes()
    svg = first[0].read_text()
    assert "<dc:date>" not in svg
    assert b"CreationDate" not in first[1].read_bytes()


def test_a_dotted_stem_keeps_its_name(tmp_path, fig):
    (path,) = save_figure(fig, tmp_path / "grid.v2", formats=("png",))
    assert path.name == "grid.v2.png"


def test_accepts_an_axes(tmp_path, fig):
    (path,) = save_figure(fig.axes[0], tmp_path / "from_axes", formats=("svg",))
    assert path.exists()


def test_refuses_data_raw(tmp_path, fig):
    target = tmp_path / "project" / "data" / "raw" / "grid"
    with pytest.raises(CopanalysisError, match="data/raw") as info:
        save_figure(fig, target, formats=("png",))
    assert str(target) in str(info.value)
    assert not (tmp_path / "project").exists()


def test_unknown_format_names_the_format(tmp_path, fig):
    with pytest.raises(UnsupportedFormatError, match="'jpeg'"):
        save_figure(fig, tmp_path / "grid", formats=("png", "jpeg"))  # type: ignore[arg-type]
    assert not (tmp_path / "grid.png").exists()


def test_rejects_what_is_not_a_figure(tmp_path):
    with pytest.raises(TypeError, match="Figure or Axes"):
        save_figure("not a figure", tmp_path / "x")  # type: ignore[arg-type]


def test_leaves_rcparams_alone(tmp_path, fig):
    before = dict(matplotlib.rcParams)
    save_figure(fig, tmp_path / "grid", formats=("svg",))
    assert dict(matplotlib.rcParams) == before


def test_a_file_name_with_a_figure_extension_is_not_doubled(tmp_path, fig):
    # trial 31: save_figure(fig, "fig/value_grid.png") wrote value_grid.png.png
    written = save_figure(fig, tmp_path / "value_grid.PNG", formats=("png", "pdf"))
    assert [p.name for p in written] == ["value_grid.png", "value_grid.pdf"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["value_grid.pdf", "value_grid.png"]
