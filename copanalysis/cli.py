"""The ``copanalysis`` command: ``demo`` runs the main job, ``report`` writes the HTML report."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from copanalysis import __version__
from copanalysis.errors import CopanalysisError

DEFAULT_RAW = Path("data/raw")
DEFAULT_OUT = Path("data/processed")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="copanalysis",
        description="Load, code and chart value-creation stories from communities of practice.",
    )
    parser.add_argument("--version", action="version", version=f"copanalysis {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser(
        "demo", help="load, code and chart a study folder (the bundled corpus by default)"
    )
    demo.add_argument("--raw", type=Path, default=DEFAULT_RAW, help="study folder to read")
    demo.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the outputs")
    demo.add_argument("--no-progress", action="store_true", help="hide progress bars")

    report = commands.add_parser("report", help="write the HTML evaluation report")
    report.add_argument("data_dir", type=Path, help="study folder (stories/, lists/, ...)")
    report.add_argument("--out", type=Path, required=True, help="the .html file to write")
    report.add_argument("--title", default="Value creation in our community of practice")
    report.add_argument("--no-progress", action="store_true", help="hide progress bars")

    args = parser.parse_args(argv)
    try:
        if args.command == "demo":
            run_demo(args.raw, args.out, progress=not args.no_progress)
        else:
            run_report(args.data_dir, args.out, title=args.title, progress=not args.no_progress)
    except CopanalysisError as exc:
        print(f"copanalysis: error: {exc}", file=sys.stderr)
        return 2
    return 0


def run_report(data_dir: Path, out: Path, *, title: str, progress: bool = True) -> Path:
    """Load ``data_dir``, analyse it and write one self-contained HTML report to ``out``."""
    from copanalysis.io import load_corpus, write_report
    from copanalysis.report import build_report, report_figures
    from copanalysis.study import analyse

    findings = analyse(load_corpus(data_dir, progress=progress), progress=progress)
    figures = report_figures(findings)
    path = write_report(build_report(findings, figures, title=title), out)
    print(f"wrote {path}")
    return path


def run_demo(raw: Path, out: Path, *, progress: bool = True) -> None:
    """The main job on a study folder: load, validate, code, summarise, chart, report, export."""
    import pandas as pd

    from copanalysis.codebooks import load_codebook
    from copanalysis.io import (
        format_load_report,
        load_corpus,
        save_figure,
        save_frame,
        write_qdpx,
        write_report,
    )
    from copanalysis.report import build_report, report_figures
    from copanalysis.study import analyse

    corpus = load_corpus(raw, progress=progress)
    print(f"Loaded {raw}:")
    for name, frame in corpus.frames().items():
        print(f"  {name:<8} {len(frame):>5} rows")
    for name, frame in corpus.frames().items():
        report = frame.attrs.get("load_report")
        if report:
            print(f"\n== {name}\n{format_load_report(report)}")

    out.mkdir(parents=True, exist_ok=True)
    for name, frame in corpus.frames().items():
        save_frame(frame, out / f"{name}.parquet")

    findings = analyse(corpus, progress=progress)
    save_frame(findings.codes, out / "codes.parquet")
    tables_dir = out / "tables"
    tables_dir.mkdir(exist_ok=True)
    for name, table in findings.tables.items():
        # wide tables (crosstabs, co-occurrence) carry their labels in the index
        table.to_csv(tables_dir / f"{name}.csv", index=not isinstance(table.index, pd.RangeIndex))
    print(f"\nCoded {len(findings.codes)} spans; value cycles by {findings.coder}.")

    figures = report_figures(findings)
    figures_dir = out / "figures"
    for name, figure in figures.items():
        save_figure(figure, figures_dir / name, formats=("png", "svg"))
    print(f"Wrote {len(figures)} figures to {figures_dir}/ (PNG and SVG).")

    report_path = write_report(build_report(findings, figures), out / "report.html")
    print(f"Wrote {report_path}")

    book = load_codebook("value_cycles")
    exchanged = pd.concat([corpus.gold, findings.codes_for("value_cycles")], ignore_index=True)
    exchanged = exchanged[
        exchanged["code"].isin(book.codes_by_id)
        & exchanged["doc_id"].isin(corpus.stories["story_id"])
    ]
    project = write_qdpx(
        out / "project.qdpx",
        codebook=book,
        stories=corpus.stories,
        codes=exchanged,
        name="copanalysis sample corpus",
        progress=progress,
    )
    coders = ", ".join(sorted(set(exchanged["coder"])))
    print(f"Wrote {project}: stories with the codes of {coders}, for NVivo, ATLAS.ti, MAXQDA")
