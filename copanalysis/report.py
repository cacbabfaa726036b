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
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from copanalysis.analysis.agreement import MIN_APPLIED, parents_added, shared_codes
from copanalysis.analysis.exemplars import exemplars
from copanalysis.codebooks.order import cycle_of
from copanalysis.frames import MACHINE_CODER
from copanalysis.io.review import reviewed_by

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from copanalysis.study import Findings

__all__ = [
    "CHART_SECTIONS",
    "DEFAULT_TITLE",
    "Part",
    "Quote",
    "ReportFigure",
    "ReportTable",
    "Section",
    "build_report",
    "report_figures",
    "report_sections",
]

#: Below this many stories the summary gives counts without percentages.
SMALL_STUDY = 20

#: chart name -> (plot function, table name)
CHARTS: dict[str, tuple[str, str]] = {
    "cycle_frequencies": ("plot_code_frequencies", "frequencies"),
    "value_grid": ("plot_value_grid", "grid_codes"),
    "worksheet_grid": ("plot_value_grid", "worksheet_grid_codes"),
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
        By chart name: ``cycle_frequencies``, ``value_grid``, ``worksheet_grid``,
        ``story_reach``, ``value_flows``, ``cooccurrence``, ``quantities``,
        ``enablers_challenges``, ``leadership_roles``, ``role_themes``, ``agreement``.
    """
    from copanalysis import plots

    small = _small_study(findings)
    figures: dict[str, Figure] = {}
    for name, (function, table_name) in CHARTS.items():
        table = findings.tables.get(table_name)
        if table is None or table.empty:
            continue
        kwargs: dict[str, Any] = {}
        if name == "agreement":
            table = _agreement_comparison(findings)
        if name == "cycle_frequencies" and small:  # counts only, as the summary gives
            table = _without_shares(table)
        elif name == "story_reach":
            kwargs["shares"] = not small
        if name in {"cycle_frequencies", "story_reach", "value_flows", "cooccurrence"}:
            kwargs["codebook"] = "value_cycles"
        elif name == "enablers_challenges":
            kwargs["codebook"] = "enablers_challenges"
        elif name == "worksheet_grid":
            kwargs.update(unit="respondent", title="Strategic value in the grid worksheets")
        # each chart sizes its own figure to its content
        figures[name] = getattr(plots, function)(table, **kwargs).figure
    for key, column in _groups(findings):
        table = findings.tables[f"frequencies_by_{key}"]
        table = _without_shares(table) if small else table
        figures[f"cycles_by_{key}"] = plots.plot_code_frequencies(
            table, codebook="value_cycles", level="main", title=f"Value cycles by {column}"
        ).figure
    return figures


def _small_study(findings: Findings) -> bool:
    """Whether the study has too few stories for shares to mean much (:data:`SMALL_STUDY`):
    its summary, charts and tables then give counts only."""
    return 0 < len(findings.corpus.stories) < SMALL_STUDY


def _without_shares(table: pd.DataFrame) -> pd.DataFrame:
    """A frequencies table with its shares blanked (the attrs kept), for counts only."""
    blank = table.assign(share=float("nan"))
    blank.attrs = dict(table.attrs)
    return blank


def _groups(findings: Findings) -> list[tuple[str, str]]:
    """(key, column) of each column the stories were compared by (``analyse(by=...)``):
    the key names the tables, the reach table's first column is the column."""
    return [
        (name.removeprefix("reach_by_"), str(table.columns[0]))
        for name, table in findings.tables.items()
        if name.startswith("reach_by_") and not name.endswith("_human")
    ]


def _reach_said(reach: pd.DataFrame, column: str) -> str:
    """ "A: 8 of 30 (27%, 95% CI 14% to 45%); B: ..." for a reach_by table."""
    return "; ".join(
        f"{g}: {int(n)} of {int(total)} ({share:.0%}, 95% CI {low:.0%} to {high:.0%})"
        for g, n, total, share, low, high in zip(
            reach[column], reach["applied_or_further"], reach["stories"], reach["share"],
            reach["share_low"], reach["share_high"], strict=True,
        )
    )  # fmt: skip


def _n_stories(reach: pd.DataFrame) -> int:
    """The stories of a reach_by table (each once, however many groups it is in)."""
    return int(reach.attrs.get("stories", reach["stories"].sum()))


def _several_said(reach: pd.DataFrame, column: str) -> str:
    """ "3 stories were told by members of several roles ..." when stories are in several
    groups of a reach_by table (trial 32: "CHW; Other" was a role of its own), else ""."""
    several = int(reach.attrs.get("in_several", 0))
    if not several:
        return ""
    were = "story was" if several == 1 else "stories were"
    return (
        f" {several} {were} told by someone of more than one {column} (a multiple-choice "
        f"answer): each counts under every {column} ticked, so the groups add up to "
        f"{int(reach['stories'].sum())} stories, more than the {_n_stories(reach)} there are."
    )


def _reach_table(reach: pd.DataFrame, caption: str) -> ReportTable:
    return ReportTable.of(
        reach.rename(
            columns={
                "applied_or_further": "applied or further",
                "share_low": "share: 95% CI low",
                "share_high": "high",
            }
        ),
        caption=caption,
    )


def _group_section(
    findings: Findings, key: str, column: str, figures: Mapping[str, Figure]
) -> Section:
    """The stories' cycles side by side for each group of ``column``, and how far each
    group's stories get."""
    reach = findings.tables[f"reach_by_{key}"]
    chart = figures.get(f"cycles_by_{key}")
    figure = (
        ReportFigure(
            _png(chart),
            f"Grouped bar chart of the value cycles by {column}",
            f"The stories of each {column} coded with each cycle; the share is of that "
            f"{column}'s stories.{_several_said(reach, column)}",
        )
        if chart is not None
        else None
    )
    intro = (
        f"The stories compared by {column}. Stories that reach applied value or further "
        f"(their furthest cycle is applied, realized or reframing), by {column}, in the "
        f"machine's codes: {_reach_said(reach, column)}."
    )
    tables = [_reach_table(reach, "The machine's codes")]
    human = findings.tables.get(f"reach_by_{key}_human")
    if human is not None and len(human):  # the yardstick: a person's codes
        who = human.attrs.get("coder", "the human coder")
        intro += (
            f" In {who}'s own codes, on the {_n_stories(human)} stories {who} "
            f"coded: {_reach_said(human, column)}. Where the two differ, the human codes are "
            "the ones to trust."
        )
        tables.append(_reach_table(human, f"{who}'s codes"))
    return Section(
        f"by-{key.replace('_', '-')}",
        f"Value by {column}",
        intro,
        figure,
        tables=tables,
        note="Each story counts once in a group, under its furthest cycle (none: no main "
        f"cycle told); the chart counts every cycle a story tells.{_several_said(reach, column)}"
        " Applied or further and "
        "share count the stories that reach applied value or further, with the share's 95% "
        "interval (Wilson): groups of a few dozen stories leave wide intervals, so a "
        "difference inside them may be chance. The chart and the first table are the "
        "machine's codes, as in the other charts: how far they agree with people is in the "
        "methods, and a coder that agrees less moves these shares too."
        + (" The second table is the human coder's." if len(tables) > 1 else ""),
    )


def _agreement_comparison(findings: Findings) -> pd.DataFrame:
    """Machine vs human beside human vs human, so the machine's figures have a yardstick,
    each comparison named by its coders ("semantic coder vs Dina", "Dina vs Tomás")."""
    machine = findings.tables["agreement"]
    machine = machine.assign(comparison=_compared_said(machine, "machine vs human"))
    found = findings.tables.get("codes_found")
    if found is not None and len(found):  # the codes it never found, for the chart's note
        missed = found[found["found"] == 0].set_index("code")["sentences"]
        machine = machine.assign(not_found=machine["code"].map(missed).astype("Int64"))
    parts = [machine]
    humans = findings.tables.get("agreement_humans")
    if humans is not None and len(humans):
        parts.append(humans.assign(comparison=_compared_said(humans, "human vs human")))
    combined = pd.concat(parts, ignore_index=True)
    for said in ("units_are", "confidence"):  # what the chart's units and lines are
        values = {part.attrs.get(said) for part in parts}
        if len(values) == 1:
            combined.attrs[said] = values.pop()
    return combined


#: How the report names each kind of machine coder.
_MACHINE_NAMES = {"rules": "rule coder", "model": "text coder", "llm": "language-model coder"}


def _sides(table: pd.DataFrame) -> tuple[str, str]:
    """The two sides of a machine-vs-person agreement table, from its ``attrs["coders"]``:
    the machine coder's kind (else "machine coder") and the person (else "the human coder").

    Examples
    --------
    >>> table = pd.DataFrame(columns=["code"])
    >>> table.attrs["coders"] = ["Dina", "semantic:value_cycles@938dac12"]
    >>> _sides(table), _sides(pd.DataFrame())
    (('semantic coder', 'Dina'), ('machine coder', 'the human coder'))
    """
    coders = [str(c) for c in table.attrs.get("coders") or []]
    machines = [_coder_said(c) for c in coders if MACHINE_CODER.fullmatch(c)]
    people = [c for c in coders if not MACHINE_CODER.fullmatch(c)]
    machine = machines[0] if len(machines) == 1 else "machine coder"
    return machine, people[0] if len(people) == 1 else "the human coder"


def _coder_said(coder: object) -> str:
    """A coder as the report names it: a person by name, a machine coder by its kind.

    Examples
    --------
    >>> _coder_said("semantic:value_cycles@938dac12"), _coder_said("rules:value_cycles@1.2")
    ('semantic coder', 'rule coder')
    >>> _coder_said("Dina Kaliyeva")
    'Dina Kaliyeva'
    """
    machine = MACHINE_CODER.fullmatch(str(coder))
    if machine is None:
        return str(coder)
    return _MACHINE_NAMES.get(machine[1], f"{machine[1]} coder")


def _compared_said(table: pd.DataFrame, fallback: str) -> str:
    """Who an agreement table compares, from its ``attrs["coders"]``: the machine first,
    then the people ("semantic coder vs Dina", "Dina vs Tomás"; three or more: "Dina, Tomás
    and Aigerim"), else ``fallback``.

    Examples
    --------
    >>> table = pd.DataFrame(columns=["code"])
    >>> table.attrs["coders"] = ["Dina", "semantic:value_cycles@938dac12"]
    >>> _compared_said(table, "machine vs human")
    'semantic coder vs Dina'
    >>> _compared_said(pd.DataFrame(), "human vs human")
    'human vs human'
    """
    coders = [str(c) for c in table.attrs.get("coders") or []]
    if not coders:
        return fallback
    in_order = sorted(coders, key=lambda c: MACHINE_CODER.fullmatch(c) is None)  # stable
    names = [_coder_said(c) for c in in_order]
    return " vs ".join(names) if len(names) < 3 else f"{', '.join(names[:-1])} and {names[-1]}"


@dataclass(frozen=True)
class ReportTable:
    """A table as the report prints it: column names and cells as text, at most
    ``max_rows`` of the ``total`` rows of the table it comes from."""

    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool]  # per column: right-aligned figures
    total: int
    caption: str = ""  # whose figures, where a section has more than one table

    @classmethod
    def of(cls, table: pd.DataFrame, *, max_rows: int = 40, caption: str = "") -> ReportTable:
        """Format ``table`` (its index left out): floats to two decimals, missing as "".

        Examples
        --------
        >>> t = ReportTable.of(pd.DataFrame({"code": ["TIME", "TRUST"], "share": [0.5, None]}))
        >>> t.columns, t.rows, t.numeric
        (['code', 'share'], [['TIME', '0.50'], ['TRUST', '']], [False, True])
        >>> ReportTable.of(pd.DataFrame({"n": range(50)})).total
        50
        """
        numeric = [
            pd.api.types.is_numeric_dtype(table[c]) and not pd.api.types.is_bool_dtype(table[c])
            for c in table.columns
        ]
        rows = [[_cell(v) for v in row] for row in table.head(max_rows).itertuples(index=False)]
        return cls([str(c) for c in table.columns], rows, numeric, len(table), caption)


def _cell(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return f"{value:.2f}" if isinstance(value, float) else str(value)


#: The report's title when none is given.
DEFAULT_TITLE = "Value creation in our community of practice"


@dataclass(frozen=True)
class ReportFigure:
    """A chart inlined as a base64 PNG, with its alternative text and caption."""

    png: str
    alt: str
    caption: str = ""


@dataclass(frozen=True)
class Quote:
    """A member's words, where they come from, and whether they tell of value as absent."""

    text: str
    where: str
    negative: bool = False


@dataclass(frozen=True)
class Part:
    """A headed part of a section: a paragraph, a table and a figure, each optional."""

    heading: str
    text: str = ""
    table: ReportTable | None = None
    figure: ReportFigure | None = None


@dataclass(frozen=True)
class Section:
    """One section of the report, as plain data that the template lays out."""

    id: str
    title: str
    intro: str = ""
    figure: ReportFigure | None = None
    tables: list[ReportTable] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    note: str = ""
    parts: list[Part] = field(default_factory=list)


def build_report(
    findings: Findings,
    figures: Mapping[str, Figure],
    *,
    title: str = DEFAULT_TITLE,
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
        sections=report_sections(findings, figures),
    )


def _png(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


#: A source's row ("survey.csv:row 15"), which a response id's citation leaves out.
_SOURCE_ROW = re.compile(r":row \d+$")


def _citations(stories: pd.DataFrame) -> dict[str, str]:
    """How a reader is told where each story is from: its id, or, for a bare number (a
    survey's response id, "14"), its file and the response ("survey.csv, response 14")."""
    if not {"story_id", "source"} <= set(stories.columns):
        return {}
    cited = {}
    for story, source in zip(stories["story_id"], stories["source"], strict=True):
        if isinstance(story, str) and story.isdigit() and isinstance(source, str) and source:
            cited[story] = f"{_SOURCE_ROW.sub('', source)}, response {story}"
    return cited


def _quotes(codes: pd.DataFrame, stories: pd.DataFrame, **kwargs: Any) -> list[Quote]:
    picked = exemplars(codes, **kwargs).drop_duplicates("quote")
    community = (
        stories.set_index("story_id")["community"].to_dict() if "story_id" in stories else {}
    )
    cited = _citations(stories)
    negatives = picked["polarity"].eq(-1).fillna(False).astype(bool)
    out = []
    for row, negative in zip(picked.itertuples(), negatives, strict=True):
        doc_id = str(row.doc_id)
        where = f"{row.code} · {row.field} · {cited.get(doc_id, doc_id)}"
        named = community.get(row.doc_id)
        if isinstance(named, str) and named:
            where += f" · {named}"
        out.append(Quote(str(row.quote), where, bool(negative)))
    return out


def _summary(findings: Findings) -> dict[str, Any]:
    corpus, tables = findings.corpus, findings.tables
    stories = corpus.stories
    # communities named by people (a list file's name stands in for an unnamed one)
    named = {
        str(c)
        for frame in (stories, corpus.roles, corpus.grid)
        if "community" in frame
        for c in frame["community"].dropna()
    }
    kpis = [
        ("stories", len(stories)),
        ("communities", len(named)),
        ("coded spans", len(findings.codes)),
        ("enablers & challenges", len(corpus.items)),
        ("role worksheets", corpus.roles["respondent"].nunique()),
        ("grid respondents", corpus.grid["respondent"].nunique()),
    ]
    # no "0 grid respondents", and "0 stories" only when there is nothing else to count
    kpis = [(what, n) for what, n in kpis if n] or kpis[:1]
    kpis = [(_ONE.get(what, what) if n == 1 else what, n) for what, n in kpis]
    from copanalysis.io.provenance import unread_text

    unread = unread_text(corpus.frames())
    # first of all, what the figures leave out (trial 32: "as challenges: none" while 27
    # answers stood in a column that was not read)
    findings_text: list[str] = [_unread_first(unread)] if unread else []
    files_said = _files_not_read_said(corpus.frames())
    if files_said:
        findings_text.append(files_said)
    repeats = _repeats_said(stories)
    if repeats:
        findings_text.append(repeats)
    paths = tables.get("paths")
    if paths is not None and len(stories):
        reach = paths["reach"].value_counts()
        further = paths["reach"].isin(["applied", "realized", "reframing"])
        beyond = int(further.sum())
        stuck = int(reach.get("potential", 0))
        doubtful = int((further & (paths["reach_confidence"] < DOUBTFUL_REACH)).sum())
        rests = (
            f" ({doubtful} of them only on a code of confidence below {DOUBTFUL_REACH:g})"
            if doubtful
            else ""
        )
        findings_text.append(
            f"{beyond} of {len(stories)} stories{_share(beyond, len(stories))} reach applied "
            f"value or further{rests}; {stuck}{_share(stuck, len(stories))} stop at potential "
            "value, knowledge that has not yet been put to use."
        )
    frequencies = tables.get("frequencies")
    if frequencies is not None and len(frequencies):
        code = frequencies["code"].astype(str)
        cycles = frequencies[code.map(cycle_of) == code]
        n = int(cycles["n"].max())
        names = cycles.loc[cycles["n"] == n, "label"].astype(str).tolist()
        if len(names) == 1:
            said = f"The most common value cycle is {names[0]}, in {n} stories"
        else:
            said = (
                f"The most common value cycles are {', '.join(names[:-1])} and {names[-1]}, "
                f"tied at {n} stories each"
            )
        findings_text.append(f"{said}{_share(n, len(stories))}.")
    if _small_study(findings):
        findings_text.append(
            f"With {len(stories)} {'story' if len(stories) == 1 else 'stories'}, these are "
            "counts of what these members told, not shares of a community: the summary, the "
            f"charts and the tables of cycles give no percentages below {SMALL_STUDY} stories."
        )
    themes = tables.get("themes")
    if themes is not None and len(themes):
        coded = _codes_in(findings, "enablers_challenges", "items", "item_id")
        in_lists = [u for u in unread if u["frame"] == "items"]
        enablers = _leaders(themes, "n_enablers") or _none("an enabler", in_lists)
        challenges = _leaders(themes, "n_challenges") or _none("a challenge", in_lists)
        findings_text.append(
            f"The themes named most often as enablers: {enablers}"
            f"{_doubtful_leaders(coded, themes, 'n_enablers')}; "
            f"as challenges: {challenges}{_doubtful_leaders(coded, themes, 'n_challenges')}."
        )
    quantities = tables.get("quantities")
    if quantities is not None and len(quantities):
        n, docs = len(quantities), quantities["doc_id"].nunique()
        moved = quantities["direction"].ne(0) | quantities["baseline"].notna()
        findings_text.append(
            f"{n} quantitative value claim{'s' if n != 1 else ''} appear"
            f"{'' if n != 1 else 's'} in the stories, from {docs} "
            f"{'story' if docs == 1 else 'stories'}; {_changes_said(int(moved.sum()), n)}."
        )
    uncoded = tables.get("uncoded")
    left = int(uncoded["left_uncoded"].sum()) if uncoded is not None and len(uncoded) else 0
    threshold = _min_confidence(tables)
    if left and uncoded is not None:
        parts = [
            f"{int(n)} {_FRAME_NAMES.get(str(frame), str(frame))} for the "
            f"{_BOOK_NAMES.get(str(book), str(book).replace('_', ' '))}"
            for frame, book, n in zip(
                uncoded["frame"], uncoded["codebook"], uncoded["left_uncoded"], strict=True
            )
            if n
        ]
        findings_text.append(
            f"{left} passages were left uncoded rather than guessed ({'; '.join(parts)}): "
            f"every code the coders gave them was below {threshold:.2f} confidence. They are "
            "not counted in the charts, so every count here is a floor."
        )
    overall = _overall_alpha(tables.get("agreement"))
    if overall is None and len(stories):
        findings_text.append(
            "No one's codes of these stories were given, so the machine's codes were not "
            "checked against a person's here: code a sample of the stories by hand (gold/) "
            "to measure how far they hold."
        )
    if overall is not None:
        sure = f" (its codes at {threshold:.2f} confidence or more)" if threshold else ""
        machine, person = _sides(tables["agreement"])
        line = (
            f"The codes given ({machine}) agree with {person}{sure} at Krippendorff's "
            f"alpha {overall}"
            if findings.codes_given
            else f"On stories it was not trained on, the {machine} agrees with "
            f"{person}{sure} at Krippendorff's alpha {overall}"
        )
        line += f", on {_stories(tables.get('agreement'))}"
        line += _review_said(corpus.gold, person)
        humans = _overall_alpha(tables.get("agreement_humans"))
        same = _overall_alpha(tables.get("agreement_same_stories"))
        human = corpus.gold[corpus.gold["codebook"].astype("string") == "value_cycles"]
        human = human[~human["coder"].isin(set(reviewed_by(corpus.gold)) - {person})]
        people = human["coder"]
        if humans is not None and same is not None and people.nunique() == 2:
            other = [str(c) for c in people.unique() if str(c) != person]
            both = f"{person} and {other[0]}" if len(other) == 1 else "two human coders"
            line += (
                f"; on the {_stories(tables.get('agreement_same_stories'))} {both} "
                f"both coded, the {machine} agrees with {person} at {same} and {both} with each "
                f"other at {humans}"
            )
        elif humans is not None and same is not None:
            from copanalysis.coding.training import main_coder

            main = main_coder(human)
            line += (
                f"; the {people.nunique()} human coders agree with each other at {humans}, on "
                f"the {_stories(tables.get('agreement_humans'))} two or more of them coded, "
                f"and on the {_stories(tables.get('agreement_same_stories'))} that {main} and "
                f"another of them coded, the machine agrees with {main} at {same}"
            )
        elif humans is not None:
            both = _compared_said(tables["agreement_humans"], "two human coders")
            line += f"; {both.replace(' vs ', ' and ')} agree with each other at {humans}"
        findings_text.append(
            line + ". Units are sentences, each counted once per code (pooled presence of "
            "each code)." + _not_found_said(tables.get("codes_found")) + " See the methods."
        )
    themes_alpha = _overall_alpha(tables.get("agreement_themes"))
    if themes_alpha is not None:
        findings_text.append(
            "The machine's enabler/challenge themes agree with the human codes of the same "
            f"items at Krippendorff's alpha {themes_alpha}. See the methods."
        )
    files_read = {s["path"] for f in corpus.frames().values() for s in f.attrs.get("sources", [])}
    return {
        "kpis": [{"label": label, "value": f"{value:,}"} for label, value in kpis],
        "findings": findings_text,
        "n_files": len(files_read),
    }


def _files_not_read_said(frames: Mapping[str, pd.DataFrame]) -> str:
    """What the summary says of the study's files that were not read: a type no folder
    reads (an old Word .doc, a PDF) or, with ``--skip-unreadable``, a file that failed
    (trial 46: 2 of 12 teachers' story forms, named only in the methods' Loading table).

    Examples
    --------
    >>> stories = pd.DataFrame()
    >>> stories.attrs["load_report"] = {"reads": [".docx"],
    ...     "not_read": ["study/stories/form-10.doc", "study/stories/form-11.pdf"]}
    >>> print(_files_not_read_said({"stories": stories}))
    2 files were not read, so nothing below counts what they hold: stories/form-10.doc, \
stories/form-11.pdf (the methods' Loading table says why).
    """
    from copanalysis.io.provenance import not_read

    paths = [
        Path(path)
        for frame in frames.values()
        for path, _ in not_read(frame.attrs.get("load_report") or {})
    ]
    if not paths:
        return ""
    named = ", ".join(f"{p.parent.name}/{p.name}" if p.parent.name else p.name for p in paths[:5])
    more = f" and {len(paths) - 5} more" if len(paths) > 5 else ""
    return (
        f"{len(paths)} {'file was' if len(paths) == 1 else 'files were'} not read, so nothing "
        f"below counts what {'it holds' if len(paths) == 1 else 'they hold'}: {named}{more} "
        "(the methods' Loading table says why)."
    )


def _repeats_said(stories: pd.DataFrame) -> str:
    """What the summary says of stories that repeat an earlier one's every answer
    (:func:`~copanalysis.io.repeated_answers`): they are counted, and how to drop them
    (trial 43: a survey submitted twice, noted when loading, silent in the report).

    Examples
    --------
    >>> said = "We met every Tuesday to plan the new maths units with two other schools."
    >>> stories = pd.DataFrame({"story_id": ["1", "2"], "activities": [said, said]})
    >>> print(_repeats_said(stories))
    1 story repeats an earlier story's every answer word for word under another id \
(perhaps a survey submitted twice): it is counted here as a story of its own; \
copanalysis.io.repeated_answers finds such stories to drop before analysing.
    """
    from copanalysis.io.responses import repeated_answers

    if not len(stories):
        return ""
    # a frame made by hand may have no source column, which only names where a repeat is
    n = len(repeated_answers(stories if "source" in stories else stories.assign(source="")))
    if not n:
        return ""
    return (
        f"{n} {'story repeats' if n == 1 else 'stories repeat'} an earlier story's every "
        "answer word for word under another id (perhaps a survey submitted twice): "
        f"{'it is' if n == 1 else 'they are'} counted here as {'a story' if n == 1 else 'stories'}"
        " of "
        f"{'its' if n == 1 else 'their'} own; copanalysis.io.repeated_answers finds such "
        "stories to drop before analysing."
    )


def _changes_said(changes: int, n: int) -> str:
    """How many of ``n`` quantitative claims state a change (trial 33: "63 starters" and
    "two wards" were counted among the claims of value).

    Examples
    --------
    >>> _changes_said(7, 10), _changes_said(2, 2), _changes_said(0, 1)
    ('7 of them state a change (a direction or a starting level)', 'both state a change (a direction or a starting level)', 'it states no change')
    """  # noqa: E501
    if n == 1:
        return "it states a change" if changes else "it states no change"
    said = {n: "all state", 0: "none states"}.get(changes, f"{changes} of them state")
    if n == 2 and changes == 2:
        said = "both state"
    return f"{said} a change (a direction or a starting level)"


def _unread_first(unread: list[dict[str, Any]]) -> str:
    """The summary's first line when free text was left unread: how much, where, and that
    the figures below leave it out.

    Examples
    --------
    >>> print(_unread_first([{"frame": "items", "file": "l.csv", "column": "What makes it "
    ...     "hard?", "answers": 27}]))
    27 answers in 'What makes it hard?' (lists) were not read: no field matched their \
question, so nothing below counts them. Map them in the study folder's mapping.yaml (the \
methods' Loading table says how) before quoting these figures.
    """
    columns = len({(u["frame"], u["column"]) for u in unread})
    return (
        f"{_not_read(unread)}: no field matched their question{'s' if columns > 1 else ''}, "
        "so nothing below counts them. Map them in the study folder's mapping.yaml (the "
        "methods' Loading table says how) before quoting these figures."
    )


def _none(kind: str, unread: list[dict[str, Any]]) -> str:
    """What the summary says when no list item was coded as ``kind``: that none was, among
    the items read, when a list file has free text that was not read.

    Examples
    --------
    >>> _none("a challenge", [])
    'none (no item was coded as a challenge)'
    >>> _none("a challenge", [{"frame": "items", "file": "l.csv", "column": "Hard?",
    ...     "answers": 27}])
    "none among the items read (27 answers in 'Hard?' (lists) were not read)"
    """
    if not unread:
        return f"none (no item was coded as {kind})"
    return f"none among the items read ({_not_read(unread)})"


def _not_read(unread: list[dict[str, Any]]) -> str:
    """ "27 answers in 'Hard?' (lists) were not read", from
    :func:`~copanalysis.io.provenance.unread_said`."""
    from copanalysis.io.provenance import unread_said

    n = sum(int(u["answers"]) for u in unread)
    return f"{unread_said(unread)} {'was' if n == 1 else 'were'} not read"


#: The summary's counts, said of one.
_ONE = {
    "stories": "story",
    "communities": "community",
    "coded spans": "coded span",
    "role worksheets": "role worksheet",
    "grid respondents": "grid respondent",
}


#: A story's furthest cycle that rests only on codes below this confidence is doubtful.
DOUBTFUL_REACH = 0.5


def _share(n: int, total: int) -> str:
    """The share after a count, " (78%)"; nothing in a study too small for shares to mean much."""
    return f" ({n / total:.0%})" if total >= SMALL_STUDY else ""


def _min_confidence(tables: Mapping[str, pd.DataFrame]) -> float:
    """The threshold below which the study left codes out (0 when it kept them all)."""
    uncoded = tables.get("uncoded")
    return (
        float(uncoded["min_confidence"].iloc[0]) if uncoded is not None and len(uncoded) else 0.0
    )


#: More themes tied for the most items than this is no finding to name them by.
_MOST_TIED = 3


def _leaders(themes: pd.DataFrame, column: str) -> str | None:
    """The theme(s) with the most items in ``column``, ties included: "Time (3), Trust (3)";
    None when no theme has any.

    Examples
    --------
    >>> themes = pd.DataFrame({"label": ["Time", "Trust", "Tech"], "n": [3, 3, 1]})
    >>> _leaders(themes, "n")
    'Time and Trust (3 items each)'
    >>> _leaders(themes.assign(n=1), "n")
    'Time, Trust and Tech (1 item each)'
    >>> _leaders(themes.assign(n=0), "n") is None
    True
    >>> _leaders(pd.DataFrame({"label": list("ABCDE"), "n": 2}), "n")
    'no theme stands out (5 tied at 2 items each)'
    """
    leading = _leading(themes, column)
    if leading.empty:
        return None
    top = int(leading[column].iloc[0])
    names = leading["label"].astype(str).tolist()
    items = "item" if top == 1 else "items"
    if len(names) > _MOST_TIED:
        return f"no theme stands out ({len(names)} tied at {top} {items} each)"
    if len(names) == 1:
        return f"{names[0]} ({top} {items})"
    return f"{', '.join(names[:-1])} and {names[-1]} ({top} {items} each)"


def _leading(themes: pd.DataFrame, column: str) -> pd.DataFrame:
    """The rows of the theme(s) with the most items in ``column`` (none when no theme has
    any)."""
    top = themes[column].max() if len(themes) else 0
    return themes[themes[column] == top] if top > 0 else themes.iloc[:0]


def _doubtful_leaders(codes: pd.DataFrame, themes: pd.DataFrame, column: str) -> str:
    """ ", 2 of the 3 items only on codes of confidence below 0.5" for the leading themes of
    ``column`` (as :func:`_leaders` names them), or "" when every item behind them has a
    surer code (trial 28: a headline challenge stood on codes at 0.16 and 0.18)."""
    leaders = set(_leading(themes, column)["code"].astype(str))
    if not leaders or len(leaders) > _MOST_TIED or "confidence" not in codes.columns:
        return ""
    sign = {"n_enablers": 1, "n_challenges": -1}[column]
    behind = codes[codes["code"].astype(str).isin(leaders) & (codes["polarity"] == sign)]
    surest = (
        pd.to_numeric(behind["confidence"], errors="coerce")
        .groupby([behind["code"].astype(str), behind["doc_id"].astype(str)])
        .max()
    )
    doubtful = int((surest < DOUBTFUL_REACH).sum())
    if not doubtful:
        return ""
    return (
        f", {doubtful} of the {len(surest)} items behind {'it' if len(leaders) == 1 else 'them'}"
        f" only on codes of confidence below {DOUBTFUL_REACH:g}"
    )


def _not_found_said(found: pd.DataFrame | None) -> str:
    """ " On those stories the machine did not find Reframing value, which Ana coded in 4
    sentences.": the codes a person used that the machine's out-of-fold codes never found in
    their sentences, which the pooled alpha hides (trial 35), or ``""``.

    Examples
    --------
    >>> found = pd.DataFrame({"code": ["potential", "reframing", "potential_social"],
    ...     "sentences": [9, 4, 1], "found": [7, 0, 0], "coder": "Ana"})
    >>> _not_found_said(found)
    ' On those stories the machine did not find Reframing value, which Ana coded in 4 \
sentences, nor Social capital (1 sentence).'
    >>> _not_found_said(found.iloc[:1])
    ''
    """
    if found is None or not len(found):
        return ""
    missed = found[(found["found"] == 0) & (found["sentences"] > 0)]
    if not len(missed):
        return ""
    from copanalysis.io.codebooks import load_codebook

    book = load_codebook("value_cycles")
    said = [
        (book[str(c)].label if str(c) in book else str(c), int(n))
        for c, n in zip(missed["code"], missed["sentences"], strict=True)
    ]
    (first, n), rest = said[0], said[1:]
    line = (
        f" On those stories the machine did not find {first}, which "
        f"{missed['coder'].iloc[0]} coded in {n} sentence{'' if n == 1 else 's'}"
    )
    if rest:
        line += ", nor " + ", ".join(
            f"{label} ({k} sentence{'' if k == 1 else 's'})" for label, k in rest
        )
    return line + "."


def _stories(table: pd.DataFrame | None) -> str:
    """ "84 stories": the documents an agreement table's units come from."""
    n = int(table.attrs.get("documents", 0)) if table is not None else 0
    return f"{n} {'story' if n == 1 else 'stories'}"


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


@dataclass(frozen=True)
class _ChartSection:
    """What a chart's section says, and where its table, quotes and note come from."""

    id: str
    title: str
    table: str  # the findings table the section needs
    chart: str  # the figure of report_figures
    intro: str
    alt: str
    caption: str | Callable[[Findings], str]  # a caption that depends on the coder: called
    content: Callable[[Findings], dict[str, Any]]  # tables, quotes, note


def _codes_in(findings: Findings, codebook: str, frame: str, id_column: str) -> pd.DataFrame:
    """The machine codes of ``codebook`` in one frame of the corpus (the value cycles are
    coded in stories and in grid worksheets; the themes in lists and role sheets)."""
    codes = findings.codes_for(codebook)
    ids = getattr(findings.corpus, frame)
    return codes[codes["doc_id"].isin(ids.get(id_column, []))]


def _cycles(findings: Findings) -> dict[str, Any]:
    small = _small_study(findings)
    columns = ["code", "label", "n", "n_negative"] + ([] if small else ["share"])
    cycles = _codes_in(findings, "value_cycles", "stories", "story_id")
    shares = (
        f"With fewer than {SMALL_STUDY} stories, no shares are given."
        if small
        else "share is n over all stories."
    )
    counted = (
        "n counts the stories that tell of the cycle as value, n_negative those that tell of "
        "it only as absent or negative (a story is in one or the other)."
        if findings.judges_polarity
        else "n counts the stories coded with the cycle. n_negative is 0 in every row: "
        f"{_polarity_blind(findings)}, so a story that says a cycle did not happen is "
        "counted as telling of it."
    )
    return {
        "tables": [ReportTable.of(findings.tables["frequencies"][columns])],
        "quotes": _quotes(cycles, findings.corpus.stories, n=1)[:3],
        "note": f"{counted} {shares} "
        "A sub-code (human, social, tangible, reputational, learning "
        "capital) is given only where the coder reads that kind of capital, so a 0 there is "
        "no evidence that none was created: read the potential value row.",
    }


def _cycles_caption(findings: Findings) -> str:
    """The cycles chart's caption: what its hatching means, or that there is none (trial
    41: the TF-IDF coder's chart was explained as hatched, and no bar could be)."""
    if findings.judges_polarity:
        return "Stories coded with each cycle; hatched: the cycle told as absent or negative."
    return f"Stories coded with each cycle. No bar is hatched: {_polarity_blind(findings)}."


def _polarity_blind(findings: Findings) -> str:
    """That the stories' coder cannot tell value denied from value told, in plain words."""
    label = findings.coder.split(" ")[0].split(":")[0]
    return (
        f"the coder of the value cycles ({label}) does not tell value denied from value told "
        '("it made no difference to my teaching" reads as value)'
    )


def _reach(findings: Findings) -> dict[str, Any]:
    paths = findings.tables["paths"]
    furthest = paths["reach"].astype("string").fillna("(none)").rename("furthest cycle")
    doubtful = (paths["reach_confidence"] < DOUBTFUL_REACH).rename("doubtful")
    reach = (
        doubtful.groupby(furthest, sort=False)
        .agg(["size", "sum"])
        .set_axis(["stories", f"of them, only on codes below {DOUBTFUL_REACH:g}"], axis=1)
        .sort_values("stories", ascending=False, kind="stable")
        .reset_index()
    )
    return {"tables": [ReportTable.of(reach)]}


def _quantities(findings: Findings) -> dict[str, Any]:
    claims = findings.tables["quantities"]
    # "6 -> 3 weeks" was "3.00 weeks": the value a change started from stands beside it
    shown = claims.rename(columns={"baseline": "from", "number": "to or amount"})
    shown["doc_id"] = shown["doc_id"].replace(_citations(findings.corpus.stories))
    columns = ["doc_id", "from", "to or amount", "unit", "change", "quote"]
    table = ReportTable.of(shown[columns])
    # "3 weeks not 3 months" (trial 42): the start in her unit, not the 13.04 weeks it is
    # compared as
    said = claims.get("baseline_said", pd.Series("", index=claims.index))
    rows = [
        [row[0], words, *row[2:]] if isinstance(words, str) and words else row
        for row, words in zip(table.rows, said.head(len(table.rows)), strict=True)
    ]
    return {"tables": [replace(table, rows=rows)]}


#: What a frame's passages are, in the summary's words.
_FRAME_NAMES = {
    "stories": "in the stories",
    "items": "in the enabler/challenge lists",
    "roles": "in the role worksheets",
    "grid": "in the grid worksheets",
}
#: How the summary names a codebook's coding, where its name with spaces for underscores
#: ("value cycles", "member types") does not read right.
_BOOK_NAMES = {"enablers_challenges": "enablers and challenges"}


def _worksheet_grid(findings: Findings) -> dict[str, Any]:
    from copanalysis.frames import text_units

    answers = text_units(findings.corpus.grid, name="grid")
    placed = findings.tables["worksheet_placements"][["doc_id", "field"]].drop_duplicates()
    content: dict[str, Any] = {"tables": [ReportTable.of(findings.tables["worksheet_grid"])]}
    left_out = len(answers) - len(placed)
    if left_out:
        content["note"] = (
            f"Not counted: {left_out} of the {len(answers)} answers, which told only of "
            "absent or negative value (they are in the codes)."
        )
    return content


def _enablers(findings: Findings) -> dict[str, Any]:
    from copanalysis.coding.themes import MIN_ITEMS_FOR_THEMES

    t, stories = findings.tables, findings.corpus.stories
    items = _codes_in(findings, "enablers_challenges", "items", "item_id")
    quotes = _quotes(items, stories, n=1)[:2]
    quotes += _quotes(items, stories, n=1, polarity="negative")[:2]
    named = t["themes"]
    counts = [c for c in ("n_enablers", "n_challenges", "n_neutral") if c in named]
    if counts:  # a theme no item names is no row of a reader's table
        named = named[named[counts].sum(axis=1) > 0]
    content: dict[str, Any] = {"tables": [ReportTable.of(named)], "quotes": quotes}
    if "inductive_themes" in t:
        themes = t["inductive_themes"]
        shown = {c: name for c, name in _INDUCTIVE_COLUMNS.items() if c in themes}
        content["tables"].append(ReportTable.of(themes[list(shown)].rename(columns=shown)))
        covered = int(themes["n_items"].sum()) if "n_items" in themes else 0
        note = (
            f"The second table groups the {len(findings.corpus.items)} items by their words "
            "alone, without the codebook (TF-IDF and NMF, the number of groups chosen by how "
            f"stable they are; {covered} items fall in a group): a check on the coded "
            "themes above, not a finding of its own. Each group is set beside the closest "
            "of the 22 themes by meaning, with how close it is (0 to 1); a group whose words "
            "come from several communities' lists can mix unrelated items, so read its "
            "items before its label."
        )
    else:
        note = (
            f"No inductive themes: the lists hold {len(findings.corpus.items)} item(s), "
            f"fewer than the {MIN_ITEMS_FOR_THEMES} it takes to look for them."
        )
    unnamed = len(t["themes"]) - len(named)
    if unnamed:
        note = f"The {unnamed} themes no item names are left out of the first table. {note}"
    content["note"] = note
    return content


#: The inductive themes' columns a reader sees, and their names there.
_INDUCTIVE_COLUMNS = {
    "theme": "group",
    "top_terms": "words that define it",
    "n_items": "items",
    "taxonomy_label": "closest of the 22 themes",
    "similarity": "how close",
}


def _roles(findings: Findings) -> dict[str, Any]:
    matrix = findings.tables["roles"].pivot_table(
        index="role", columns="member_type", values="n_respondents", aggfunc="sum"
    )
    matrix.columns.name = None
    return {"tables": [ReportTable.of(matrix.reset_index())]}


#: Rows of the roles-by-theme table, when the cut falls above the pairs named once.
_ROLE_ROWS = 15
#: Cohen's kappa and its bootstrap interval, as ``evaluate`` gives them.
_KAPPA_COLUMNS = ("cohen_kappa", "kappa_low", "kappa_high")


def _role_themes(findings: Findings) -> dict[str, Any]:
    themes = findings.tables["role_themes"]
    named = themes[themes["n"] > 0].sort_values(["n", "role"], ascending=[False, True])
    busiest = named[["role", "aspect", "label", "n"]]
    if len(named) > _ROLE_ROWS and int(named["n"].iloc[_ROLE_ROWS]) > 1:
        busiest = busiest.head(_ROLE_ROWS)
        note = f"The {_ROLE_ROWS} most frequent of {len(named)} role, aspect and theme pairs."
    elif len(named) > _ROLE_ROWS:
        # no cut among ties: the pairs named more than once, then every single mention
        note = (
            f"All {len(named)} role, aspect and theme combinations named, most first. A "
            "respondent who took several roles counts once under each."
        )
    else:
        note = "Every role, aspect and theme combination named, most first."
    return {"tables": [ReportTable.of(busiest)], "note": note}


def _story_read_last(findings: Findings) -> str:
    """What the flows say of a form that asks its free story before a worksheet question,
    which the paths read after it (trial 32: a Kobo form told its story first, and its
    follow-up answers drew "Realized -> Immediate" steps); "" when no story file does."""
    from pathlib import PurePath

    from copanalysis.schema import PROMPT_FIELDS

    worksheet = set(PROMPT_FIELDS) - {"story"}
    first = []
    for entry in (findings.corpus.stories.attrs.get("load_report") or {}).get("files", []):
        fields = [str(found.get("field")) for found in (entry.get("mapping") or {}).values()]
        if "story" in fields and worksheet & set(fields[fields.index("story") :]):
            first.append(repr(PurePath(str(entry.get("path"))).name))
    if not first:
        return ""
    files = first[0] if len(first) == 1 else f"{', '.join(first[:-1])} and {first[-1]}"
    return (
        f"{files} {'asks' if len(first) == 1 else 'ask'} the free story before "
        "the questions that follow it up, but each story is read with its free story last: "
        "a step back, such as realized to immediate, may be the story's opening read after "
        "its follow-up answers."
    )


def _table(name: str) -> Callable[[Findings], dict[str, Any]]:
    """The findings table ``name`` as it is."""
    return lambda findings: {"tables": [ReportTable.of(findings.tables[name])]}


#: The chart sections, in report order; a section is left out when its table is missing.
CHART_SECTIONS: tuple[_ChartSection, ...] = (
    _ChartSection(
        "cycles",
        "Value-creation cycles",
        "frequencies",
        "cycle_frequencies",
        "How many stories show each cycle of value creation (Wenger, Trayner & de Laat 2011): "
        "immediate value of taking part, potential value of what members gained, applied "
        "value when practice changes, realized value when results improve, and reframing "
        "when goals themselves change.",
        "Bar chart of value-cycle frequencies",
        _cycles_caption,
        _cycles,
    ),
    _ChartSection(
        "grid",
        "Strategic value: who benefits, and when",
        "grid",
        "value_grid",
        "Coded passages placed on the strategic-value grid (Wenger, McDermott & Snyder "
        "2002): value to members or to the organization, in the short or the long term. "
        "The stories do not say which cell they speak of, so each passage is placed by its "
        "cycle, a fixed rule: immediate, potential (human, social, tangible capital), "
        "applied, realized and enabling value are short term, learning and reputational "
        "capital, reframing, orienting and strategic value long term. Whom it serves comes "
        "from the answer's prompt (the organization prompt: the organization; personal "
        "development: the member), then from words that name the organization or say 'we', "
        "then from the cycle (immediate, potential, orienting: the members; the others: the "
        "organization). Read the time axis as the cycles' shape, not as what members "
        "said about time: their own grid worksheets, where present, say that. Each placement "
        "keeps its evidence in the grid placements table.",
        "Two-by-two grid of strategic value",
        "Stories that tell of value in each cell (shading) and their coded passages, the "
        "codes told in the most stories, and an exemplar.",
        _table("grid"),
    ),
    _ChartSection(
        "worksheet-grid",
        "Strategic value in the grid worksheets",
        "worksheet_grid",
        "worksheet_grid",
        "What respondents wrote on their strategic-value grid worksheets, in the cells they "
        "wrote it in: the worksheet says who benefits and when, and the value cycles coded "
        "in each answer lead the cell. An answer no cycle codes counts under its cell's own "
        "code.",
        "Two-by-two grid of the worksheets' answers",
        "Respondents who wrote of value in each cell (shading), their answers' codes, the "
        "codes named by the most respondents, and an exemplar.",
        _worksheet_grid,
    ),
    _ChartSection(
        "reach",
        "How far stories get",
        "paths",
        "story_reach",
        "The furthest cycle each story reaches. Stories that stop at potential value "
        "describe knowledge gained but not (yet) used. One wrong code can move a story's "
        "furthest cycle, so the table says how many reach it only on codes the coder was "
        "unsure of.",
        "Bar chart of stories by furthest cycle reached",
        "Stories by the furthest value cycle they reach.",
        _reach,
    ),
    _ChartSection(
        "flows",
        "Value flows from cycle to cycle",
        "flows",
        "value_flows",
        "Each band is a step a story takes from one cycle to the next, in the order the "
        "story tells it; its width is the number of such steps, summed over the stories "
        "(a story that returns to a cycle takes a step more than once). A worksheet story "
        "is read in the order of its questions (activities, insights, practice, personal "
        "development, the organization), and its free story after all of them, wherever the "
        "form asks it; so a step back, such as applied to potential, is often the "
        "personal-development answer that follows the practice one, not a story told "
        "backwards.",
        "Alluvial diagram of flows between value cycles",
        "Transitions between consecutive cycles across stories.",
        lambda findings: {**_table("flows")(findings), "note": _story_read_last(findings)},
    ),
    _ChartSection(
        "cooccurrence",
        "Codes that appear together",
        "cooccurrence",
        "cooccurrence",
        "",
        "Heat map of code co-occurrence",
        "Stories in which both codes appear; the diagonal counts each code.",
        lambda findings: {},
    ),
    _ChartSection(
        "quantities",
        "Value in numbers",
        "quantities",
        "quantities",
        "Quantitative claims members make about results (numbers with units, percentages, "
        "before and after), read from the answers about the organization and from free "
        "narratives; from any other answer, changes from one amount to another ('fell from "
        "31 to 19') and time or money saved or gained ('saves me 4 hours a week').",
        "Chart of quantitative value claims",
        "Each claim with its number and unit.",
        _quantities,
    ),
    _ChartSection(
        "enablers",
        "Enablers and challenges",
        "themes",
        "enablers_challenges",
        "What members say helps and hinders their community, coded against 22 bipolar "
        "themes: the same theme can be an enabler or a challenge.",
        "Diverging bar chart of enablers and challenges by theme",
        "Mentions per theme, enablers to the right and challenges to the left: an item that "
        "names two themes counts for each.",
        _enablers,
    ),
    _ChartSection(
        "roles",
        "Leadership roles",
        "roles",
        "leadership_roles",
        "Which leadership roles respondents took on, by their type of membership.",
        "Heat map of leadership roles by member type",
        "Respondents per role and member type.",
        _roles,
    ),
    _ChartSection(
        "role-themes",
        "Challenges and support by role",
        "role_themes",
        "role_themes",
        "What respondents write under each role's typical challenges and the support it "
        "needs, coded against the enabler/challenge themes.",
        "Dot matrix of themes by leadership role",
        "Respondents naming each theme, by role: challenges and support.",
        _role_themes,
    ),
)


def report_sections(findings: Findings, figures: Mapping[str, Figure]) -> list[Section]:
    """The sections of the report, as plain data: one per chart whose table the findings
    have (:data:`CHART_SECTIONS`), then the methods.

    Parameters
    ----------
    findings : Findings
        From :func:`copanalysis.study.analyse`.
    figures : mapping of str to Figure
        From :func:`report_figures`; a section whose chart is missing has no figure.

    Returns
    -------
    list of Section
        Each with its title, intro, figure (PNG in base64), tables, quotes and note; the
        methods section holds its headed parts instead.
    """
    sections = []
    for spec in CHART_SECTIONS:
        if spec.table not in findings.tables:
            continue
        figure = None
        if spec.chart in figures:
            caption = spec.caption(findings) if callable(spec.caption) else spec.caption
            figure = ReportFigure(_png(figures[spec.chart]), spec.alt, caption)
        content = spec.content(findings)
        sections.append(Section(spec.id, spec.title, spec.intro, figure, **content))
        if spec.id == "cycles":  # the groups compared, right after the cycles
            sections += [_group_section(findings, k, c, figures) for k, c in _groups(findings)]
    sections.append(_methods(findings, figures))
    return sections


def _methods(findings: Findings, figures: Mapping[str, Figure]) -> Section:
    return Section(
        "methods",
        "Methods",
        "Stories, lists and worksheets were loaded with copanalysis and coded by its "
        "rule-based and learned coders; every machine code keeps the words that triggered it.",
        parts=[
            *_coding_parts(findings),
            *_agreement_parts(findings, figures),
            *_theme_agreement_parts(findings),
            *_evaluation_parts(findings),
            *_loading_parts(findings),
            *_source_parts(findings),
        ],
    )


def _coding_parts(findings: Findings) -> list[Part]:
    """The codebooks, the coders, where the texts went and what was left uncoded."""
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
        Part("Codebooks", table=ReportTable.of(pd.DataFrame(books))),
        Part(
            "Coders",
            f"Value cycles in the stories were coded by {findings.coder}."
            if len(findings.corpus.stories)
            else "There were no stories to code with the value cycles; the table names the "
            "coder of each codebook.",
            ReportTable.of(coders),
        ),
        Part("Where the texts went", _where_texts_went(findings)),
    ]
    uncoded = findings.tables.get("uncoded")
    if uncoded is not None and len(uncoded):
        parts.append(
            Part(
                "Selective coding",
                "Codes less confident than the threshold were left out, and a passage whose "
                "every code fell below it was left uncoded rather than guessed "
                "(left_uncoded). The learned coders' confidences are calibrated on their "
                "training material; on real text they can be over-confident (the README's "
                "reliability figures on the development set), so read a threshold as a "
                "ranking of the codes, not as a share right. without_codes counts the "
                "documents (stories, list items, respondents) that got no code of the "
                "codebook at all, and answers_without_codes the answers (a document's text "
                "under one prompt) that got none, whether the coder found none there or "
                "left it uncoded.",
                ReportTable.of(uncoded),
            )
        )
    return parts


def _review_said(gold: pd.DataFrame, person: str) -> str:
    """What agreement with ``person`` is worth when their codes are a review of the
    machine's (a review sheet in ``gold/``): they saw its codes first, so they are not
    independent of it; empty for a person who coded on their own.

    Examples
    --------
    >>> gold = pd.DataFrame({"coder": ["Dina"]})
    >>> _review_said(gold, "Dina")
    ''
    >>> gold.attrs["reviewed_by"] = {"Dina": []}
    >>> print(_review_said(gold, "Dina")[:70])
    ; Dina's codes are a review of the machine's codes (a review sheet: ac
    """
    if person not in reviewed_by(gold):
        return ""
    return (
        f"; {person}'s codes are a review of the machine's codes (a review sheet: accepted, "
        f"corrected or rejected), so {person} saw its codes first and is not independent of "
        "it: this agreement flatters the machine, and is no measure of how far its codes "
        "hold against a person coding on their own"
    )


def _agreement_parts(findings: Findings, figures: Mapping[str, Figure]) -> list[Part]:
    """The machine's agreement with the human coders, beside the humans' own."""
    agreement = findings.tables.get("agreement")
    if agreement is None or not len(agreement):
        return []
    shown = ["code", "units", "percent_agreement", "cohen_kappa", "krippendorff_alpha"]
    shown += ["alpha_low", "alpha_high"]
    figure = None
    if "agreement" in figures:
        figure = ReportFigure(
            _png(figures["agreement"]),
            "Agreement by code with confidence intervals",
            "Krippendorff's alpha per code with bootstrap 95% intervals.",
        )
    if findings.codes_given:
        how = (
            "The codes were made before this report and given to it, so they are compared as "
            "they were given; whether their coder learned from these human codes is not known "
            "here, and if it did, the figures flatter it."
        )
    elif findings.coder.startswith("rules:"):
        how = (
            "The rule coder learns nothing from the stories, so its codes are compared as "
            "they are."
        )
    else:
        how = (
            "The machine's codes here come from cross-validation: each story was coded by a "
            "coder trained on the other stories, so the figures are not flattered by "
            "training data."
        )
    threshold = _min_confidence(findings.tables)
    if threshold:
        how += f" Only its codes at {threshold:.2f} confidence or more count, as in the charts."
    gold = findings.corpus.gold
    human = gold[gold["codebook"].astype("string") == "value_cycles"]
    if human["coder"].nunique() > 1:
        used = set(parents_added(human, "value_cycles")["code"].astype(str))
        alone = sorted(used - shared_codes(human, "value_cycles"))
        if alone:
            how += (
                " Only the codes every human coder used are compared, so that a second "
                "coder who used fewer codes is not counted as disagreeing; left out: "
                f"{', '.join(alone)}."
            )
    humans = findings.tables.get("agreement_humans")
    yardstick = (
        " Two human coders on the same stories give the yardstick."
        if humans is not None and len(humans)
        else " One person coded these stories, so there is no human-vs-human yardstick here."
    )
    trained = (
        ""
        if findings.trained_on is None
        else " The codes in the charts come from the coder trained on all the human codes, so "
        "the stories a person coded were coded by a coder that had seen them; the figures "
        "here are the out-of-fold ones."
    )
    review = _review_said(gold, _sides(agreement)[1])
    if review:
        how += (
            f"{review[1:]}. The units are then the sentences of the passages on the review "
            "sheet that got a decision; other reviewers' sheets are not compared."
        )
    parts = [
        Part(
            "Agreement with human coders",
            "Units are the sentences of the stories compared: a sentence nobody coded is "
            "one the coders agree has no code, and a story the machine read and left "
            f"without a code counts as such. {how}{trained}{yardstick} The row (all codes) "
            "pools every code: its units count each sentence once per code, and its "
            "interval resamples sentences with all their codes. Agreement is on whether a "
            "code is there, not on its polarity: one coder's applied value and another's "
            "applied value that did not come (polarity -1) agree.",
            figure=figure,
        ),
        Part(
            f"Machine vs human ({_stories(agreement)})",
            table=ReportTable.of(agreement[shown]),
        ),
    ]
    same = findings.tables.get("agreement_same_stories")
    if same is not None and len(same):
        parts.append(
            Part(
                f"Machine vs human on the {_stories(same)} a second person coded too",
                table=ReportTable.of(same[shown]),
            )
        )
    if humans is not None and len(humans):
        parts.append(
            Part(f"Human vs human ({_stories(humans)})", table=ReportTable.of(humans[shown]))
        )
    return parts


def _theme_agreement_parts(findings: Findings) -> list[Part]:
    """The machine's enabler/challenge themes against the human codes of the same items."""
    table = findings.tables.get("agreement_themes")
    if table is None or not len(table):
        return []
    shown = ["code", "units", "percent_agreement", "cohen_kappa", "krippendorff_alpha"]
    shown += ["alpha_low", "alpha_high"]
    gold = findings.corpus.gold
    human = gold[gold["codebook"].astype("string") == "enablers_challenges"]
    who = ", ".join(sorted(set(human["coder"].astype(str))))
    return [
        Part(
            "Agreement on enabler and challenge themes",
            f"The machine's themes against the human codes of the same items ({who}), on the "
            f"{human['doc_id'].nunique()} items a person coded. Units are sentences any coder "
            "coded; the theme coder learned nothing from these codes, so they are compared as "
            "they are. The row (all codes) pools every code. Agreement is on the theme only: "
            "whether it helps or hinders is not compared.",
            ReportTable.of(table[shown]),
        )
    ]


def _evaluation_parts(findings: Findings) -> list[Part]:
    """How each candidate coder scored, and the chosen one code by code."""
    evaluation = findings.tables.get("evaluation")
    if evaluation is None or not len(evaluation):
        return []
    macro = evaluation[evaluation["code"] == "(macro avg)"]
    chosen = evaluation.attrs.get("chosen") or macro.sort_values("f1").iloc[-1]["coder"]
    choice = findings.tables.get("coder_choice")
    parts = []
    if len(macro) > 1:
        heading = "Choosing the coder"
        said = (
            "Each candidate coder against the main human coder, cross-validated by story "
            "(the rule coder has nothing to learn and is scored on every story). "
            f"{_choice_rule(choice, str(chosen))}"
        )
        if choice is not None and len(choice):
            shown = choice.rename(columns={"default": "against"})
            parts.append(
                Part(
                    "Each coder against the default",
                    "Each coder's macro F1 minus the default's on the same stories, with its "
                    "interval from resampling the stories (all the intervals together at "
                    "95%); judges_polarity says whether the coder tells value denied from "
                    "value told.",
                    ReportTable.of(
                        shown[["coder", "against", "difference", "low", "high",
                               "confidence", "judges_polarity", "chosen"]]
                    ),
                )
            )  # fmt: skip
    else:
        heading = "The coder against the human codes"
        said = (
            "The coder asked for, against the main human coder, cross-validated by story "
            "(the rule coder has nothing to learn and is scored on every story)."
        )
    threshold = _min_confidence(findings.tables)
    if threshold:
        said += (
            f" These tables score every code at any confidence: the {threshold:.2f} "
            "threshold of the charts and the agreement above is not applied here."
        )
    return [
        Part(
            heading,
            said,
            ReportTable.of(macro[["coder", "precision", "recall", "f1", *_KAPPA_COLUMNS]]),
        ),
        *parts,
        Part(
            "Per code, the chosen coder",
            f"A code the person or the coder applied to fewer than {MIN_APPLIED} units "
            "(fewest_applied) has no kappa: too few to estimate, as in the agreement above.",
            table=ReportTable.of(evaluation[evaluation["coder"] == chosen]),
        ),
    ]


def _choice_rule(choice: pd.DataFrame | None, chosen: str) -> str:
    """How ``coder="best"`` chose among the coders scored, and what it chose."""
    if choice is None or not len(choice):  # findings made before the rule: the best F1
        return (
            "The one with the highest macro F1 coded the stories. Its figure was also the "
            "one it was chosen on, so it is a little optimistic, and so is the agreement on "
            "held-out stories above: it comes from the same folds (the stories are held out "
            "from training, not from the choice). For a figure free of the choice, run with "
            "one coder named (--coder semantic)."
        )
    default = str(choice["default"].iloc[0])
    kept = chosen == default
    return (
        f"The package's default coder, {default} (the one that agrees best with the "
        "authors' codes on the development set), codes the stories unless another coder's "
        "macro F1 here is higher beyond the uncertainty of the difference: the lower end of "
        "its paired bootstrap interval over the stories is above 0, all the comparisons "
        "together at 95% (Bonferroni). A coder that does not judge polarity is never chosen "
        "over one that does: macro F1 counts which codes a sentence has, not their polarity. "
        + (
            f"No coder did better beyond the uncertainty, so {default} coded the stories."
            if kept
            else f"{chosen} did, and coded the stories. Its figure was also the one it was "
            "chosen on, so it is a little optimistic, and so is the agreement on held-out "
            "stories above: it comes from the same folds (the stories are held out from "
            "training, not from the choice). For a figure free of the choice, run with one "
            "coder named (--coder semantic)."
        )
    )


def _loading_parts(findings: Findings) -> list[Part]:
    """What loading skipped, read as empty, assumed or did not read, file by file."""
    from copanalysis.io.corpus import unknown_folder_note
    from copanalysis.io.provenance import assumed_dates, left_out, not_read

    rows = []
    for frame_name, frame in findings.corpus.frames().items():
        report = frame.attrs.get("load_report") or {}
        for entry in report.get("files", []):
            rows += [
                {"frame": frame_name, "file": entry.get("path"), "what": said}
                for said in assumed_dates(entry) + left_out(entry, max_listed=20)
            ]
        rows += [
            {"frame": frame_name, "file": path, "what": said} for path, said in not_read(report)
        ]
    rows += [
        {"frame": "", "file": str(folder), "what": unknown_folder_note(folder)}
        for folder in findings.corpus.unknown_folders
    ]
    if not rows:
        return [Part("Loading", "Every row of every file was read; none was skipped.")]
    return [
        Part(
            "Loading",
            "What loading the files skipped, read as no answer, assumed or did not read "
            "(copanalysis check --all lists every row). Nothing else was left out.",
            ReportTable.of(pd.DataFrame(rows), max_rows=200),
        )
    ]


def _source_parts(findings: Findings) -> list[Part]:
    """Every file read, with the start of its SHA-256."""
    sources = [
        {"frame": frame_name, "file": s["path"], "sha256": s["sha256"][:12]}
        for frame_name, frame in findings.corpus.frames().items()
        for s in frame.attrs.get("sources", [])
    ]
    if not sources:
        return []
    return [Part("Source files", table=ReportTable.of(pd.DataFrame(sources), max_rows=200))]


def _where_texts_went(findings: Findings) -> str:
    llm = findings.tables.get("llm")
    if llm is None or llm.empty:
        return "Nowhere: every coder ran on this machine, and no text was sent to a server."
    from copanalysis.coding.llm import where_texts_went

    return where_texts_went({str(k): v for k, v in llm.iloc[0].items()})
