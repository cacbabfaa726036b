"""The evaluation report: one self-contained HTML file built from a study's findings.

Every chart sits beside the table it is drawn from and two or three quotes in members' own
words, and a methods section says which codebooks and coders produced the numbers and how far
the machine agrees with human coders. Figures are inlined as PNG, so the file has no external
links or scripts and prints to PDF from a browser as it is. Writing the file is
:func:`copanalysis.io.write_report`'s job.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from typing import TYPE_CHECKING, Any

import pandas as pd

from copanalysis.analysis.exemplars import exemplars

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from copanalysis.study import Findings

__all__ = ["build_report", "report_figures"]

#: chart name -> (plot function, table name)
CHARTS: dict[str, tuple[str, str]] = {
    "cycle_frequencies": ("plot_code_frequencies", "frequencies"),
    "value_grid": ("plot_value_grid", "grid"),
    "story_reach": ("plot_story_reach", "paths"),
    "value_flows": ("plot_value_flows", "flows"),
    "cooccurrence": ("plot_cooccurrence", "cooccurrence"),
    "quantities": ("plot_quantities", "quantities"),
    "enablers_challenges": ("plot_enablers_challenges", "themes"),
    "leadership_roles": ("plot_roles", "roles"),
    "role_themes": ("plot_role_themes", "role_themes"),
    "agreement": ("plot_agreement", "agreement"),
}


def report_figures(findings: Findings) -> dict[str, Figure]:
    """Draw every chart of the report from the findings' tables.

    Charts whose table is missing (no enabler lists, no human codes for agreement) are left
    out. The caller owns the figures: save them with :func:`copanalysis.io.save_figure` and
    close them.

    Returns
    -------
    dict of str to Figure
        By chart name: ``cycle_frequencies``, ``value_grid``, ``story_reach``,
        ``value_flows``, ``cooccurrence``, ``quantities``, ``enablers_challenges``,
        ``leadership_roles``, ``role_themes``, ``agreement``.
    """
    from copanalysis import plots

    figures: dict[str, Figure] = {}
    for name, (function, table_name) in CHARTS.items():
        table = findings.tables.get(table_name)
        if table is None or table.empty:
            continue
        kwargs: dict[str, Any] = {}
        if name == "agreement":
            table = _agreement_comparison(findings)
        if name in {"cycle_frequencies", "story_reach", "value_flows", "cooccurrence"}:
            kwargs["codebook"] = "value_cycles"
        elif name == "enablers_challenges":
            kwargs["codebook"] = "enablers_challenges"
        # each chart sizes its own figure to its content
        figures[name] = getattr(plots, function)(table, **kwargs).figure
    return figures


def _agreement_comparison(findings: Findings) -> pd.DataFrame:
    """Machine vs human beside human vs human, so the machine's figures have a yardstick."""
    parts = [findings.tables["agreement"].assign(comparison="machine vs human")]
    humans = findings.tables.get("agreement_humans")
    if humans is not None and len(humans):
        parts.append(humans.assign(comparison="human vs human"))
    return pd.concat(parts, ignore_index=True)


@dataclass
class _Section:
    id: str
    title: str
    intro: str = ""
    figure: str = ""
    alt: str = ""
    caption: str = ""
    table: str = ""
    quotes: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""


def build_report(
    findings: Findings,
    figures: Mapping[str, Figure],
    *,
    title: str = "Value creation in our community of practice",
    generated: dt.datetime | None = None,
) -> str:
    """Render the report as one self-contained HTML document.

    Parameters
    ----------
    findings : Findings
        From :func:`copanalysis.study.analyse`.
    figures : mapping of str to Figure
        From :func:`report_figures` (inlined as PNG).
    title : str
        The report's title.
    generated : datetime, optional
        The date printed under the title (now by default).

    Returns
    -------
    str
        The HTML document.
    """
    import jinja2

    from copanalysis import __version__

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(
        files("copanalysis").joinpath("templates/report.html.j2").read_text(encoding="utf-8")
    )
    when = generated or dt.datetime.now()
    return template.render(
        title=title,
        version=__version__,
        generated=when.strftime("%d %B %Y"),
        summary=_summary(findings),
        sections=_sections(findings, {k: _png(v) for k, v in figures.items()}),
    )


def _png(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _html_table(table: pd.DataFrame, *, index: bool = False, max_rows: int = 40) -> str:
    shown = table.head(max_rows)
    html = shown.to_html(
        index=index, border=0, float_format=lambda x: f"{x:.2f}", na_rep="", escape=True
    )
    if len(table) > max_rows:
        html += f'<p class="note">First {max_rows} of {len(table)} rows.</p>'
    return html


def _quotes(codes: pd.DataFrame, stories: pd.DataFrame, **kwargs: Any) -> list[dict[str, Any]]:
    picked = exemplars(codes, **kwargs).drop_duplicates("quote")
    community = (
        stories.set_index("story_id")["community"].to_dict() if "story_id" in stories else {}
    )
    out = []
    for row in picked.itertuples():
        where = f"{row.code} · {row.field} · {row.doc_id}"
        if community.get(row.doc_id):
            where += f" · {community[row.doc_id]}"
        out.append({"text": row.quote, "where": where, "negative": row.polarity == -1})
    return out


def _summary(findings: Findings) -> dict[str, Any]:
    corpus, tables = findings.corpus, findings.tables
    stories = corpus.stories
    kpis = [
        ("stories", len(stories)),
        ("communities", stories["community"].nunique()),
        ("coded spans", len(findings.codes)),
        ("enablers & challenges", len(corpus.items)),
        ("role worksheets", corpus.roles["respondent"].nunique()),
        ("grid respondents", corpus.grid["respondent"].nunique()),
    ]
    findings_text: list[str] = []
    paths = tables.get("paths")
    if paths is not None and len(stories):
        reach = paths["reach"].value_counts()
        beyond = sum(int(reach.get(c, 0)) for c in ("applied", "realized", "reframing"))
        stuck = int(reach.get("potential", 0))
        findings_text.append(
            f"{beyond} of {len(stories)} stories ({beyond / len(stories):.0%}) reach applied "
            f"value or further; {stuck} ({stuck / len(stories):.0%}) stop at potential value, "
            "knowledge that has not yet been put to use."
        )
    frequencies = tables.get("frequencies")
    if frequencies is not None and len(frequencies):
        top = frequencies.iloc[0]
        findings_text.append(
            f"The most common value cycle is {top['label']}, in {int(top['n'])} stories "
            f"({top['share']:.0%})."
        )
    themes = tables.get("themes")
    if themes is not None and len(themes):
        findings_text.append(
            f"The themes members name most often as enablers: {_leaders(themes, 'n_enablers')}; "
            f"as challenges: {_leaders(themes, 'n_challenges')}."
        )
    quantities = tables.get("quantities")
    if quantities is not None and len(quantities):
        findings_text.append(
            f"{len(quantities)} quantitative value claims appear in the stories, "
            f"from {quantities['doc_id'].nunique()} stories."
        )
    uncoded = tables.get("uncoded")
    left = int(uncoded["left_uncoded"].sum()) if uncoded is not None and len(uncoded) else 0
    if left and uncoded is not None:
        threshold = float(uncoded["min_confidence"].iloc[0])
        findings_text.append(
            f"{left} passages were left uncoded rather than guessed: every code the coders "
            f"gave them was below {threshold:.2f} confidence. They are not counted in the "
            "charts."
        )
    overall = _overall_alpha(tables.get("agreement"))
    if overall is not None:
        line = (
            "On stories it was not trained on, the machine coder agrees with the human coder "
            f"at Krippendorff's alpha {overall}"
        )
        humans = _overall_alpha(tables.get("agreement_humans"))
        if humans is not None:
            line += f"; two human coders agree with each other at {humans}"
        findings_text.append(line + ". See the methods.")
    files_read = {s["path"] for f in corpus.frames().values() for s in f.attrs.get("sources", [])}
    return {
        "kpis": [{"label": label, "value": f"{value:,}"} for label, value in kpis],
        "findings": findings_text,
        "n_files": len(files_read),
    }


def _leaders(themes: pd.DataFrame, column: str) -> str:
    """The theme(s) with the most items in ``column``, ties included: "Time (3), Trust (3)".

    Examples
    --------
    >>> themes = pd.DataFrame({"label": ["Time", "Trust", "Tech"], "n": [3, 3, 1]})
    >>> _leaders(themes, "n")
    'Time and Trust (3 items each)'
    """
    top = int(themes[column].max())
    names = themes.loc[themes[column] == top, "label"].astype(str).tolist()
    if len(names) == 1:
        return f"{names[0]} ({top} items)"
    return f"{', '.join(names[:-1])} and {names[-1]} ({top} items each)"


def _overall_alpha(table: pd.DataFrame | None) -> str | None:
    """ "0.52 (95% CI 0.47 to 0.56)" for a table's ``(all codes)`` row, or None."""
    if table is None or table.empty:
        return None
    overall = table[table["code"] == "(all codes)"]
    if overall.empty:
        return None
    row = overall.iloc[0]
    return (
        f"{row['krippendorff_alpha']:.2f} (95% CI {row['alpha_low']:.2f} to "
        f"{row['alpha_high']:.2f})"
    )


def _sections(findings: Findings, png: Mapping[str, str]) -> list[_Section]:
    t, stories = findings.tables, findings.corpus.stories
    cycles = findings.codes_for("value_cycles")
    sections: list[_Section] = []

    def add(section: _Section, chart: str) -> None:
        if chart in png:
            section.figure = png[chart]
        sections.append(section)

    if "frequencies" in t:
        add(
            _Section(
                "cycles",
                "Value-creation cycles",
                "How many stories show each cycle of value creation (Wenger, Trayner & de Laat "
                "2011): immediate value of taking part, potential value of what members gained, "
                "applied value when practice changes, realized value when results improve, and "
                "reframing when goals themselves change.",
                alt="Bar chart of value-cycle frequencies",
                caption="Stories coded with each cycle; hatched: the cycle told as absent or "
                "negative.",
                table=_html_table(t["frequencies"][["code", "label", "n", "n_negative", "share"]]),
                quotes=_quotes(cycles, stories, n=1)[:3],
            ),
            "cycle_frequencies",
        )
    if "grid" in t:
        add(
            _Section(
                "grid",
                "Strategic value: who benefits, and when",
                "Coded passages placed on the strategic-value grid (Wenger, McDermott & Snyder "
                "2002): value to members or to the organization, in the short or the long term. "
                "Each placement keeps its evidence in the grid placements table.",
                alt="Two-by-two grid of strategic value",
                caption="Coded passages in each cell, the leading codes, and an exemplar.",
                table=_html_table(t["grid"]),
            ),
            "value_grid",
        )
    if "paths" in t:
        reach = (
            t["paths"]["reach"]
            .astype("string")
            .fillna("(none)")
            .value_counts()
            .rename_axis("furthest cycle")
            .reset_index(name="stories")
        )
        add(
            _Section(
                "reach",
                "How far stories get",
                "The furthest cycle each story reaches. Stories that stop at potential value "
                "describe knowledge gained but not (yet) used.",
                alt="Bar chart of stories by furthest cycle reached",
                caption="Stories by the furthest value cycle they reach.",
                table=_html_table(reach),
            ),
            "story_reach",
        )
    if "flows" in t:
        add(
            _Section(
                "flows",
                "Value flows from cycle to cycle",
                "Each band is a step a story takes from one cycle to the next, in the order the "
                "story tells it; its width is the number of stories taking that step.",
                alt="Alluvial diagram of flows between value cycles",
                caption="Transitions between consecutive cycles across stories.",
                table=_html_table(t["flows"]),
            ),
            "value_flows",
        )
    if "cooccurrence" in t:
        add(
            _Section(
                "cooccurrence",
                "Codes that appear together",
                alt="Heat map of code co-occurrence",
                caption="Stories in which both codes appear; the diagonal counts each code.",
            ),
            "cooccurrence",
        )
    if "quantities" in t:
        claims = t["quantities"]
        add(
            _Section(
                "quantities",
                "Value in numbers",
                "Quantitative claims members make about results (numbers with units, "
                "percentages, before and after).",
                alt="Chart of quantitative value claims",
                caption="Each claim with its number and unit.",
                table=_html_table(claims[["doc_id", "number", "unit", "change", "quote"]]),
            ),
            "quantities",
        )
    if "themes" in t:
        items = findings.codes_for("enablers_challenges")
        quotes = _quotes(items, stories, n=1)[:2]
        quotes += _quotes(items, stories, n=1, polarity="negative")[:2]
        note = ""
        if "inductive_themes" in t:
            themes = t["inductive_themes"]
            shown = [c for c in ("theme", "top_terms", "n_items", "taxonomy_label") if c in themes]
            note = "Inductive themes found in the same lists (TF-IDF and NMF)."
            table = _html_table(t["themes"]) + _html_table(themes[shown])
        else:
            table = _html_table(t["themes"])
        add(
            _Section(
                "enablers",
                "Enablers and challenges",
                "What members say helps and hinders their community, coded against 22 bipolar "
                "themes: the same theme can be an enabler or a challenge.",
                alt="Diverging bar chart of enablers and challenges by theme",
                caption="Items per theme: enablers to the right, challenges to the left.",
                table=table,
                quotes=quotes,
                note=note,
            ),
            "enablers_challenges",
        )
    if "roles" in t:
        matrix = t["roles"].pivot_table(
            index="role", columns="member_type", values="n_respondents", aggfunc="sum"
        )
        add(
            _Section(
                "roles",
                "Leadership roles",
                "Which leadership roles respondents took on, by their type of membership.",
                alt="Heat map of leadership roles by member type",
                caption="Respondents per role and member type.",
                table=_html_table(matrix, index=True),
            ),
            "leadership_roles",
        )
    if "role_themes" in t:
        themes = t["role_themes"]
        busiest = (
            themes[themes["n"] > 0]
            .sort_values(["n", "role"], ascending=[False, True])
            .head(15)[["role", "aspect", "label", "n"]]
        )
        add(
            _Section(
                "role-themes",
                "Challenges and support by role",
                "What respondents write under each role's typical challenges and the support "
                "it needs, coded against the enabler/challenge themes.",
                alt="Dot matrix of themes by leadership role",
                caption="Respondents naming each theme, by role: challenges and support.",
                table=_html_table(busiest),
                note="The 15 most frequent role, aspect and theme combinations.",
            ),
            "role_themes",
        )
    sections.append(_methods(findings, png))
    return sections


def _methods(findings: Findings, png: Mapping[str, str]) -> _Section:
    from copanalysis.io.codebooks import load_codebook

    codes = findings.codes
    coders = (
        codes.groupby(["codebook", "coder"], observed=True).size().rename("codes").reset_index()
    )
    books = []
    for name in sorted(set(codes["codebook"].dropna())):
        book = load_codebook(name)
        books.append(
            {
                "codebook": book.name,
                "version": book.version,
                "codes": len(book.codes),
                "sources": "; ".join(book.sources),
            }
        )
    parts = [
        "<h3>Codebooks</h3>",
        _html_table(pd.DataFrame(books)),
        "<h3>Coders</h3>",
        f"<p>Value cycles in the stories were coded by {_escape(findings.coder)}.</p>",
        _html_table(coders),
        "<h3>Where the texts went</h3>",
        f"<p>{_escape(_where_texts_went(findings))}</p>",
    ]
    uncoded = findings.tables.get("uncoded")
    if uncoded is not None and len(uncoded):
        parts += [
            "<h3>Selective coding</h3>",
            "<p>Codes less confident than the threshold were left out, and a passage whose "
            "every code fell below it was left uncoded rather than guessed. The learned "
            "coders' confidences are calibrated probabilities.</p>",
            _html_table(uncoded),
        ]
    shown = ["code", "units", "percent_agreement", "cohen_kappa", "krippendorff_alpha"]
    shown += ["alpha_low", "alpha_high"]
    agreement = findings.tables.get("agreement")
    if agreement is not None and len(agreement):
        parts.append("<h3>Agreement with human coders</h3>")
        parts.append(
            "<p>Units are sentences any coder coded. The machine's codes here come from "
            "cross-validation: each story was coded by a model trained on the other stories, "
            "so the figures are not flattered by training data. Two human coders on the same "
            "stories give the yardstick.</p>"
        )
        if "agreement" in png:
            parts.append(
                f'<figure><img src="data:image/png;base64,{png["agreement"]}" '
                'alt="Agreement by code with confidence intervals"><figcaption>Krippendorff\'s '
                "alpha per code with bootstrap 95% intervals.</figcaption></figure>"
            )
        parts += ["<h3>Machine vs human</h3>", _html_table(agreement[shown])]
        humans = findings.tables.get("agreement_humans")
        if humans is not None and len(humans):
            parts += ["<h3>Human vs human</h3>", _html_table(humans[shown])]
    evaluation = findings.tables.get("evaluation")
    if evaluation is not None and len(evaluation):
        macro = evaluation[evaluation["code"] == "(macro avg)"]
        parts += [
            "<h3>Choosing the coder</h3>",
            "<p>Each candidate coder against the main human coder, cross-validated by story "
            "(the rule coder has nothing to learn and is scored on every story). The one with "
            "the highest macro F1 coded the stories.</p>",
            _html_table(macro[["coder", "precision", "recall", "f1", "cohen_kappa"]]),
            "<h3>Per code, the chosen coder</h3>",
            _html_table(
                evaluation[evaluation["coder"] == macro.sort_values("f1").iloc[-1]["coder"]]
            ),
        ]
    sources = [
        {"frame": frame_name, "file": s["path"], "sha256": s["sha256"][:12]}
        for frame_name, frame in findings.corpus.frames().items()
        for s in frame.attrs.get("sources", [])
    ]
    if sources:
        parts += ["<h3>Source files</h3>", _html_table(pd.DataFrame(sources), max_rows=200)]
    return _Section(
        "methods",
        "Methods",
        "Stories, lists and worksheets were loaded with copanalysis and coded by its rule-based "
        "and learned coders; every machine code keeps the words that triggered it.",
        table="\n".join(parts),
    )


def _where_texts_went(findings: Findings) -> str:
    llm = findings.tables.get("llm")
    if llm is None or llm.empty:
        return "Nowhere: every coder ran on this machine, and no text was sent to a server."
    from copanalysis.coding.llm import where_texts_went

    return where_texts_went({str(k): v for k, v in llm.iloc[0].items()})


def _escape(text: str) -> str:
    import html

    return html.escape(text)
