"""The measured figures of the README, computed from the bundled corpus.

The README holds blocks between ``<!-- measured:NAME -->`` and ``<!-- /measured -->``. This
module computes each block; ``tests/test_readme.py`` fails when the README disagrees with
the code, and running this file rewrites the blocks::

    .venv/bin/python tests/readme_figures.py

The benchmark block is written by ``benchmarks/run.py`` (timings are not reproducible, so no
test compares them).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
BLOCK = re.compile(
    r"(<!-- measured:(?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- /measured -->)", re.S
)


def _markdown(table: pd.DataFrame, *, floats: str = "{:.2f}") -> str:
    shown = table.copy()
    for column in shown.columns:
        if pd.api.types.is_float_dtype(shown[column]):
            shown[column] = [floats.format(v) if pd.notna(v) else "" for v in shown[column]]
    header = "| " + " | ".join(map(str, shown.columns)) + " |"
    rule = "|" + "|".join("---" for _ in shown.columns) + "|"
    rows = ["| " + " | ".join(map(str, row)) + " |" for row in shown.itertuples(index=False)]
    return "\n".join([header, rule, *rows]) + "\n"


def findings():
    """The bundled corpus analysed as ``make demo`` does (coder chosen by cross-validation)."""
    from copanalysis.io import load_corpus
    from copanalysis.study import analyse

    return analyse(load_corpus(REPO / "data" / "raw", progress=False), progress=False)


def corpus_block(result) -> str:
    corpus = result.corpus
    gold = corpus.gold
    rows = [
        ("value-creation stories", len(corpus.stories)),
        ("communities", corpus.stories["community"].nunique()),
        ("story files (CSV, XLSX, DOCX, Markdown)", len(corpus.stories.attrs["sources"])),
        ("enabler and challenge items", len(corpus.items)),
        ("leadership-role respondents", corpus.roles["respondent"].nunique()),
        ("value-grid respondents", corpus.grid["respondent"].nunique()),
        ("human-coded spans (gold set)", len(gold)),
        ("human coders", gold["coder"].nunique()),
        ("machine-coded spans (all codebooks)", len(result.codes)),
    ]
    return _markdown(pd.DataFrame(rows, columns=["what", "count"]))


def _per_code(table: pd.DataFrame) -> pd.DataFrame:
    columns = ["code", "precision", "recall", "f1", "cohen_kappa", "support"]
    return table[columns].rename(columns={"cohen_kappa": "kappa"})


def rules_block(result) -> str:
    evaluation = result.tables["evaluation"]
    return _markdown(_per_code(evaluation[evaluation["coder"] == "rules"]))


def _untrained(result) -> pd.DataFrame:
    """The learned coders trained on the codebook's examples only, scored on every story."""
    from copanalysis.analysis.evaluation import evaluate
    from copanalysis.coding import EnsembleCoder, TextCoder

    gold, stories = result.corpus.gold, result.corpus.stories
    main = str(gold["coder"].value_counts().index[0])
    parts = []
    for name, coder in (("model", TextCoder()), ("ensemble", EnsembleCoder())):
        table = evaluate(coder.fit_codebook(), gold, stories, cv=0, coders=[main])
        parts.append(table.assign(coder=name, training="codebook examples"))
    return pd.concat(parts, ignore_index=True)


def coders_block(result) -> str:
    evaluation = result.tables["evaluation"].assign(training="human codes, 5-fold by story")
    evaluation.loc[evaluation["coder"] == "rules", "training"] = "none (rules)"
    both = pd.concat([evaluation, _untrained(result)], ignore_index=True)
    rows = both[both["code"].isin(["(micro avg)", "(macro avg)"])]
    table = rows.pivot(index=["coder", "training"], columns="code", values="f1").reset_index()
    table.columns = ["coder", "trained on", "macro F1", "micro F1"]
    return _markdown(table.sort_values("macro F1", ascending=False))


def default_block(result) -> str:
    evaluation = result.tables["evaluation"]
    chosen = result.coder.split(":", 1)[0]
    return _markdown(_per_code(evaluation[evaluation["coder"] == chosen]))


def agreement_block(result) -> str:
    gold = result.corpus.gold
    coders = gold["coder"].value_counts()
    stories = gold.groupby("coder")["doc_id"].nunique()
    both = set.intersection(*(set(g) for _, g in gold.groupby("coder")["doc_id"]))
    humans = f"human vs human ({', '.join(coders.index)}; {len(both)} stories)"
    machine = f"machine vs {coders.index[0]} (held-out codes, {stories[coders.index[0]]} stories)"
    rows = []
    for name, label in (("agreement_humans", humans), ("agreement", machine)):
        overall = result.tables[name].query("code == '(all codes)'").iloc[0]
        rows.append(
            {
                "comparison": label,
                "units": int(overall["units"]),
                "Cohen's kappa": overall["cohen_kappa"],
                "Krippendorff's alpha": overall["krippendorff_alpha"],
                "95% CI": f"{overall['alpha_low']:.2f} to {overall['alpha_high']:.2f}",
            }
        )
    return _markdown(pd.DataFrame(rows))


BLOCKS: dict[str, Callable[..., str]] = {
    "corpus": corpus_block,
    "rules": rules_block,
    "coders": coders_block,
    "default": default_block,
    "agreement": agreement_block,
}


def measured(result) -> dict[str, str]:
    """Every block's text, by name."""
    return {name: block(result) for name, block in BLOCKS.items()}


def readme_blocks(text: str) -> dict[str, str]:
    """The blocks as the README has them now."""
    return {m["name"]: m["body"] for m in BLOCK.finditer(text)}


def rewrite(text: str, blocks: dict[str, str]) -> str:
    """``text`` with each known block replaced by its measured body."""
    return BLOCK.sub(
        lambda m: m[1] + blocks.get(m["name"], m["body"]) + m[4],
        text,
    )


#: the charts the README shows, written to docs/images/ by this script
README_CHARTS = ("value_grid", "cycle_frequencies")


def write_charts(result) -> list[Path]:
    """Draw the README's charts from ``result`` into ``docs/images/``."""
    import matplotlib.pyplot as plt

    from copanalysis.io import save_figure
    from copanalysis.report import report_figures

    figures = report_figures(result)
    written = []
    for name in README_CHARTS:
        written += save_figure(
            figures[name], REPO / "docs" / "images" / name, formats=("png",), dpi=110
        )
    for figure in figures.values():
        plt.close(figure)
    return written


if __name__ == "__main__":
    result = findings()
    README.write_text(rewrite(README.read_text(encoding="utf-8"), measured(result)))
    for path in write_charts(result):
        print(f"wrote {path}", file=sys.stderr)
    print(f"updated {README}", file=sys.stderr)
