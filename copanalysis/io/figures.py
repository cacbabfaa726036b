"""Writing charts to disk for reports: PNG, SVG and PDF with reproducible bytes."""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from copanalysis.errors import UnsupportedFormatError
from copanalysis.io.outputs import atomic_write, check_output_path

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["save_figure"]

FigureFormat = Literal["png", "svg", "pdf"]
_FORMATS: tuple[str, ...] = ("png", "svg", "pdf")

# Metadata that would change from run to run (dates) is left out, so the files only change
# when the chart does.
_METADATA: dict[str, dict[str, str | None]] = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


def save_figure(
    fig: Figure | Axes,
    path_stem: str | PathLike[str],
    *,
    formats: Sequence[FigureFormat] = ("png", "svg", "pdf"),
    dpi: int = 300,
) -> list[Path]:
    """Save a chart as ``<path_stem>.png``, ``.svg`` and ``.pdf`` for a report.

    Parent folders are created and each file is written atomically (through a temporary
    sibling). The SVG and PDF files carry no creation date and fixed
    element ids, so saving the same chart twice writes the same bytes.

    Parameters
    ----------
    fig : Figure or Axes
        The chart; for an Axes, its whole figure is saved.
    path_stem : str or path
        Where to write, without the extension (``data/processed/value_grid``); each format's
        extension is appended. A path that ends in one of the formats' extensions
        (``value_grid.png``, as matplotlib's ``savefig`` takes it) has it taken off first, so
        it writes ``value_grid.png``, not ``value_grid.png.png``.
    formats : sequence of {"png", "svg", "pdf"}
        Which files to write.
    dpi : int
        Resolution of the PNG (SVG and PDF are vector).

    Returns
    -------
    list of Path
        The files written, in the order of ``formats``.

    Raises
    ------
    UnsupportedFormatError
        For a format other than png, svg or pdf.
    CopanalysisError
        For a path inside a ``data/raw`` folder, which holds the untouched source data.

    Examples
    --------
    >>> import tempfile, matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> out = tempfile.mkdtemp()
    >>> [p.name for p in save_figure(fig, f"{out}/charts/grid", formats=("png", "svg"))]
    ['grid.png', 'grid.svg']
    >>> [p.name for p in save_figure(fig, f"{out}/charts/grid.png", formats=("png", "svg"))]
    ['grid.png', 'grid.svg']
    >>> plt.close(fig)
    """
    import matplotlib
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    figure = fig.get_figure(root=True) if isinstance(fig, Axes) else fig
    if not isinstance(figure, Figure):
        raise TypeError(f"save_figure: expected a matplotlib Figure or Axes, got {type(fig)}")
    stem = Path(path_stem)
    if stem.suffix.lower().lstrip(".") in _FORMATS:
        stem = stem.with_suffix("")
    for fmt in formats:
        if fmt not in _FORMATS:
            raise UnsupportedFormatError(
                f"cannot save a figure as {fmt!r}; expected one of {', '.join(_FORMATS)}",
                path=stem,
            )
    check_output_path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    written = []
    with matplotlib.rc_context({"svg.hashsalt": "copanalysis", "pdf.compression": 6}):
        for fmt in formats:

            def draw(tmp: Path, fmt: str = fmt) -> None:
                figure.savefig(
                    tmp,
                    format=fmt,
                    dpi=dpi,
                    metadata=_METADATA[fmt],
                    bbox_inches="tight",
                    pad_inches=0.1,
                    facecolor="white",
                )

            written.append(atomic_write(stem.with_name(f"{stem.name}.{fmt}"), draw))
    return written
