"""The HTML report: self-contained, complete, and rendered by a real headless browser."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from copanalysis.io import write_report
from copanalysis.report import (
    CHART_SECTIONS,
    CHARTS,
    Quote,
    ReportFigure,
    ReportTable,
    Section,
    build_report,
    report_figures,
    report_sections,
)

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
]


@pytest.fixture(scope="module")
def report(findings, tmp_path_factory) -> tuple[str, Path, dict]:
    figures = report_figures(findings)
    html = build_report(findings, figures, title="Sample corpus report")
    path = write_report(html, tmp_path_factory.mktemp("report") / "report.html")
    yield html, path, figures
    for figure in figures.values():
        plt.close(figure)


def test_report_draws_every_chart_and_inlines_it(report, findings) -> None:
    html, _, figures = report
    assert set(figures) == set(CHARTS)  # the sample corpus has data for every chart
    images = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(images) == len(figures)
    assert all(len(b64) > 10_000 for b64 in images)


def test_report_is_self_contained(report) -> None:
    html, _, _ = report
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", html)
    assert "@media print" in html and "@page" in html


def test_report_states_the_corpus_counts_and_quotes(report, findings) -> None:
    html, _, _ = report
    stories = findings.corpus.stories
    assert f"<b>{len(stories)}</b><span>stories</span>" in html
    assert f"<b>{stories['community'].nunique()}</b><span>communities</span>" in html
    sections = ("cycles", "grid", "worksheet-grid", "reach", "flows", "quantities", "enablers")
    sections = (*sections, "roles")
    for section in (*sections, "role-themes", "methods"):
        assert f'<section id="{section}">' in html
    assert html.count("<blockquote") >= 5
    # the methods name each codebook with its version, and the agreement figures
    assert "value_cycles</td>" in html and "2011.3" in html
    assert "krippendorff_alpha" in html
    assert "Nowhere: every coder ran on this machine, and no text was sent to a server." in html


def test_sections_are_plain_data_in_report_order(findings) -> None:
    sections = report_sections(findings, {})
    assert [s.id for s in sections] == [*(spec.id for spec in CHART_SECTIONS), "methods"]
    assert all(s.figure is None for s in sections)  # no figures given, none inlined
    cycles = sections[0]
    assert cycles.title == "Value-creation cycles"
    assert cycles.tables[0].columns == ["code", "label", "n", "n_negative", "share"]
    assert cycles.tables[0].numeric == [False, False, True, True, True]
    assert cycles.tables[0].total == len(findings.tables["frequencies"])
    assert 1 <= len(cycles.quotes) <= 3 and all(isinstance(q, Quote) for q in cycles.quotes)
    # the table says how its two counts add up and what a sub-code's 0 does not mean
    assert cycles.note.startswith("n counts the stories that tell of the cycle as value")
    assert "a 0 there is no evidence that none was created" in cycles.note
    # each section quotes its own frame: the cycles the stories, the themes the lists
    story_ids = set(findings.corpus.stories["story_id"])
    # a bare response id with its file: "teachers-network-forms.xlsx:Sheet1, response 20"
    cited = [q.where.split(" · ")[2].rpartition(", response ")[2] for q in cycles.quotes]
    assert all(story in story_ids for story in cited)
    worksheet = next(s for s in sections if s.id == "worksheet-grid")
    assert worksheet.tables[0].total == 4
    exemplars = set(findings.tables["worksheet_grid"]["exemplar"]) - {""}
    assert exemplars <= set(findings.corpus.grid["text"].str.strip())
    from copanalysis.frames import text_units

    answers = len(text_units(findings.corpus.grid))
    placed = findings.tables["worksheet_placements"][["doc_id", "field"]].drop_duplicates()
    left_out = answers - len(placed)
    if left_out:
        assert worksheet.note.startswith(f"Not counted: {left_out} of the {answers} answers")
    else:
        assert worksheet.note == ""
    enablers = next(s for s in sections if s.id == "enablers")
    item_ids = set(findings.corpus.items["item_id"])
    assert all(q.where.split(" · ")[2] in item_ids for q in enablers.quotes)
    assert any(q.negative for q in enablers.quotes) and any(
        not q.negative for q in enablers.quotes
    )
    numbers = next(s for s in sections if s.id == "quantities")
    assert numbers.tables[0].columns[:3] == ["doc_id", "from", "to or amount"]
    changes = findings.tables["quantities"].dropna(subset=["baseline"])  # trial 23: "6 -> 3
    assert len(changes) and any(row[1] != "" for row in numbers.tables[0].rows)  # weeks" lost 6
    roles = next(s for s in sections if s.id == "roles")
    assert roles.tables[0].columns[0] == "role"
    methods = sections[-1]
    headings = [part.heading for part in methods.parts]
    assert headings[:3] == ["Codebooks", "Coders", "Where the texts went"]
    assert {"The coder against the human codes", "Source files"} <= set(headings)
    # each agreement table says how many stories it compares: the yardstick's are fewer,
    # and the machine is also shown on those same stories
    gold = findings.corpus.gold
    every = set.intersection(*(set(g) for _, g in gold.groupby("coder")["doc_id"]))
    main = gold["coder"].value_counts().index[0]
    coded = gold.loc[gold["coder"] == main, "doc_id"].nunique()
    assert {
        f"Machine vs human ({coded} stories)",
        f"Machine vs human on the {len(every)} stories a second person coded too",
        f"Human vs human ({len(every)} stories)",
    } <= set(headings)
    # the coder was asked for (rules), not chosen: the text does not say it was chosen
    (asked,) = [p for p in methods.parts if p.heading == "The coder against the human codes"]
    assert "highest macro F1" not in asked.text
    assert methods.parts[2].text.startswith("Nowhere: every coder ran on this machine")
    # the rule coder coded these stories: nothing was cross-validated, and the text says so
    (compared,) = [p for p in methods.parts if p.heading == "Agreement with human coders"]
    assert "The rule coder learns nothing from the stories" in compared.text
    assert "cross-validation" not in compared.text
    gold = findings.corpus.gold
    used = [set(c) for _, c in gold[gold["codebook"] == "value_cycles"].groupby("coder")["code"]]
    alone = sorted(set.union(*used) - set.intersection(*used))
    assert alone and compared.text.endswith(
        f"left out: {', '.join(alone)}. Two human coders on the same stories give the "
        "yardstick. The row (all codes) pools every code: its units count each sentence once "
        "per code, and its interval resamples sentences with all their codes. Agreement is "
        "on whether a code is there, not on its polarity: one coder's applied value and "
        "another's applied value that did not come (polarity -1) agree."
    )
    assert compared.text.startswith("Units are the sentences of the stories compared")


def test_the_coder_table_says_which_coder_and_the_threshold_it_ignores(findings) -> None:
    """Trial 28: with one coder asked for and a threshold, the methods part was never
    written (UnboundLocalError), and without a threshold a choice among several coders read
    'The coder asked for'."""
    import dataclasses

    import pandas as pd

    from copanalysis.report import _evaluation_parts

    evaluation = findings.tables["evaluation"]
    one = evaluation[evaluation["coder"] == evaluation["coder"].iloc[0]]
    uncoded = pd.DataFrame({"frame": ["stories"], "units": [3], "min_confidence": [0.5]})
    for table, threshold, heading in (
        (one, True, "The coder against the human codes"),
        (one, False, "The coder against the human codes"),
        (pd.concat([one, one.assign(coder="other")]), True, "Choosing the coder"),
        (pd.concat([one, one.assign(coder="other")]), False, "Choosing the coder"),
    ):
        tables = {**findings.tables, "evaluation": table}
        tables.pop("uncoded", None)
        if threshold:
            tables["uncoded"] = uncoded
        part = _evaluation_parts(dataclasses.replace(findings, tables=tables))[0]
        assert part.heading == heading
        assert ("highest macro F1" in part.text) == (heading == "Choosing the coder")
        assert (
            part.text.endswith(
                "the 0.50 threshold of the charts and the agreement above is not applied here."
            )
            == threshold
        )
    # trial 33: the per-code table says why a code has no kappa, as the agreement does
    per_code = _evaluation_parts(findings)[1]
    assert per_code.text == (
        "A code the person or the coder applied to fewer than 2 units (fewest_applied) has "
        "no kappa: too few to estimate, as in the agreement above."
    )
    shown = per_code.table
    assert shown is not None and "fewest_applied" in shown.columns


def test_a_section_gets_its_chart_and_a_missing_table_drops_its_section(findings) -> None:
    import dataclasses

    fig, ax = plt.subplots(figsize=(2, 1))
    tables = {k: v for k, v in findings.tables.items() if k != "quantities"}
    fewer = dataclasses.replace(findings, tables=tables)
    sections = report_sections(fewer, {"value_grid": fig, "agreement": fig})
    plt.close(fig)
    assert "quantities" not in [s.id for s in sections]
    grid = next(s for s in sections if s.id == "grid")
    assert isinstance(grid.figure, ReportFigure) and grid.figure.png.startswith("iVBOR")
    assert grid.figure.alt == "Two-by-two grid of strategic value"
    assert [p.figure is not None for p in sections[-1].parts].count(True) == 1


def test_the_template_escapes_every_text_and_marks_cut_tables(findings, monkeypatch) -> None:
    import pandas as pd

    import copanalysis.report as report

    hostile = "<script>alert('x')</script>"
    table = ReportTable.of(pd.DataFrame({"quote": [hostile] * 3, "n": [1, 2, 3]}), max_rows=2)
    section = Section(
        "odd", hostile, hostile, tables=[table], quotes=[Quote(hostile, hostile, True)]
    )
    monkeypatch.setattr(report, "report_sections", lambda findings, figures: [section])
    html = build_report(findings, {})
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</td>" in html
    assert '<td class="num">2</td>' in html and '<td class="num">3</td>' not in html
    assert '<p class="note">First 2 of 3 rows.</p>' in html
    assert '<blockquote class="negative">' in html


def test_methods_say_where_the_texts_went_with_a_language_model(corpus, monkeypatch) -> None:
    pytest.importorskip("openai")  # the [llm] extra
    import dataclasses

    from llm_chat_server import ChatServer, rule_answers

    from copanalysis.schema import empty
    from copanalysis.study import analyse

    small = dataclasses.replace(corpus, stories=corpus.stories.head(4), gold=empty("codes"))
    with ChatServer(rule_answers()) as server:
        monkeypatch.setenv("COPANALYSIS_LLM_BASE_URL", server.url)
        monkeypatch.setenv("COPANALYSIS_LLM_MODEL", "scripted")
        findings = analyse(small, coder="llm", progress=False)
    table = findings.tables["llm"]
    assert table.loc[0, ["model", "endpoint", "remote"]].tolist() == [
        "scripted",
        server.url,
        False,
    ]
    assert table.loc[0, "calls"] == len(server.requests) > 0
    cycles = findings.codes_for("value_cycles")
    stories = cycles[cycles["doc_id"].isin(small.stories["story_id"])]
    assert len(stories) and stories["coder"].eq("llm:scripted@1").all()
    html = build_report(findings, {})
    assert (
        f"coded by the language model scripted, served on this machine ({server.url}): they "
        f"did not leave it ({len(server.requests)} calls, 0 answers from the cache)"
    ) in html


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser() -> str:
    found = _chromium()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing on CI: .ci/run installs it")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return found


def test_report_renders_in_headless_chromium(report, browser, tmp_path) -> None:
    _, path, _ = report
    shot = tmp_path / "report.png"
    subprocess.run(
        [
            browser,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1280,2400",
            f"--screenshot={shot}",
            path.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pixels = plt.imread(shot)[..., :3]
    assert pixels.shape[:2] == (2400, 1280)
    ink = (pixels.mean(axis=2) < 0.85).mean()  # share of non-background pixels
    assert ink > 0.03, f"the screenshot is nearly blank ({ink:.1%} ink)"
    assert np.unique(pixels.reshape(-1, 3), axis=0).shape[0] > 200  # charts, not flat colour
    keep = os.environ.get("COPANALYSIS_KEEP_SCREENSHOT")
    if keep:
        shutil.copy(shot, keep)


def test_report_prints_to_pdf(report, browser, tmp_path) -> None:
    _, path, _ = report
    pdf = tmp_path / "report.pdf"
    subprocess.run(
        [
            browser,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            path.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert pages >= 8  # a section per page in print, charts not cut
    keep = os.environ.get("COPANALYSIS_KEEP_PDF")
    if keep:
        shutil.copy(pdf, keep)


def test_methods_list_what_loading_skipped_read_as_empty_or_did_not_read(tmp_path) -> None:
    from copanalysis.io import load_corpus
    from copanalysis.io.stories import STORY_SUFFIXES
    from copanalysis.study import analyse

    study = tmp_path / "study"
    (study / "stories").mkdir(parents=True)
    (study / "stories" / "survey.csv").write_text(
        "ID,Activities,Insights\n1,Case reviews,N/A\n2,,\n3,Journal club,We learned a lot\n",
        encoding="utf-8",
    )
    (study / "stories" / "form.csv").write_text(  # nothing settles its day/month order
        "Date,Activities\n08/04/2025,A ward visit\n", encoding="utf-8"
    )
    (study / "stories" / "scan.pdf").write_bytes(b"%PDF-1.4")
    findings = analyse(load_corpus(study, progress=False), coder="rules", progress=False)
    methods = report_sections(findings, {})[-1]
    loading = next(part for part in methods.parts if part.heading == "Loading")
    assert loading.table is not None and loading.table.columns == ["frame", "file", "what"]
    said = {row[2] for row in loading.table.rows}
    assert "skipped row 3: no answer to any prompt" in said
    assert (
        "note: 1 answer read as no answer, being only a placeholder: row 2 insights 'N/A'" in said
    )
    assert [row[1:] for row in loading.table.rows if row[1].endswith("form.csv")] == [
        [
            str(study / "stories" / "form.csv"),
            "dates in 'Date' read month-first, assumed (no day above 12 in any value, and the "
            "header does not say): if the day comes first, load again with --dayfirst "
            "(dayfirst=True in Python)",
        ]
    ]
    assert [row[1:] for row in loading.table.rows if row[1].endswith("scan.pdf")] == [
        [
            str(study / "stories" / "scan.pdf"),
            "not read (a type this folder does not read: " + ", ".join(STORY_SUFFIXES) + "); "
            "save the PDF's text as .txt, .md or .docx to read it",
        ]
    ]


def test_the_summary_names_the_files_that_were_not_read(tmp_path) -> None:
    # trial 46: two of twelve teachers' forms, an old Word .doc and a PDF, were named only
    # in the methods' Loading table; the summary counted 10 stories without a word of them
    from copanalysis.io import load_corpus
    from copanalysis.report import _summary
    from copanalysis.study import analyse

    study = tmp_path / "study"
    (study / "stories").mkdir(parents=True)
    (study / "stories" / "survey.csv").write_text(
        "ID,Insights\n1,We learned a new handover\n", encoding="utf-8"
    )
    (study / "stories" / "story-10-donncha.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (study / "stories" / "story-11-gráinne.pdf").write_bytes(b"%PDF-1.4")
    findings = analyse(load_corpus(study, progress=False), coder="rules", progress=False)
    said = _summary(findings)["findings"]
    assert said[0] == (
        "2 files were not read, so nothing below counts what they hold: "
        "stories/story-10-donncha.doc, stories/story-11-gráinne.pdf (the methods' Loading "
        "table says why)."
    )
    (study / "stories" / "story-10-donncha.doc").unlink()
    (study / "stories" / "story-11-gráinne.pdf").unlink()
    findings = analyse(load_corpus(study, progress=False), coder="rules", progress=False)
    assert not any("not read" in line for line in _summary(findings)["findings"])


def test_a_small_study_summary_gives_counts_not_shares_and_says_nothing_was_checked(
    tmp_path,
) -> None:
    from copanalysis.io import load_corpus
    from copanalysis.report import _summary
    from copanalysis.study import analyse

    study = tmp_path / "study"
    (study / "stories").mkdir(parents=True)
    (study / "stories" / "survey.csv").write_text(
        "ID,Insights,Practice\n"
        "1,We learned a new handover,We now use the handover every shift\n"
        "2,I learned about bar models,\n"
        "3,Tips on marking,I now mark with the rubric\n",
        encoding="utf-8",
    )
    findings = analyse(load_corpus(study, progress=False), coder="rules", progress=False)
    said = _summary(findings)["findings"]
    assert re.fullmatch(
        r"\d of 3 stories reach applied value or further( \(1 of them only on a code of "
        r"confidence below 0\.5\))?; \d stop at potential value, .*",
        said[0],
    )
    assert not any("%" in line for line in said)
    paths = findings.tables["paths"]
    beyond = int(paths["reach"].isin(["applied", "realized", "reframing"]).sum())
    findings.tables["paths"] = paths.assign(reach_confidence=0.9)
    assert "only on a code" not in _summary(findings)["findings"][0]
    findings.tables["paths"] = paths.assign(reach_confidence=0.2)
    assert _summary(findings)["findings"][0].startswith(
        f"{beyond} of 3 stories reach applied value or further ({beyond} of them only on a "
        "code of confidence below 0.5); "
    )
    assert said[2] == (
        "With 3 stories, these are counts of what these members told, not shares of a "
        "community: the summary, the charts and the tables of cycles give no percentages "
        "below 20 stories."
    )
    assert said[-1].startswith("No one's codes of these stories were given")
    # trial 28: the charts below that sentence read "15 (88%)"
    figures = report_figures(findings)
    for name in ("cycle_frequencies", "story_reach"):
        (ax,) = figures[name].axes
        said_in_chart = [t.get_text() for t in ax.texts] + [ax.get_xlabel(), ax.get_ylabel()]
        assert said_in_chart and not any("%" in t for t in said_in_chart), name
        assert any(re.fullmatch(r"\d+( \+ \d+ negative)?", t) for t in said_in_chart), name
        plt.close(figures[name])
    cycles = next(s for s in report_sections(findings, {}) if s.id == "cycles")
    assert cycles.tables[0].columns == ["code", "label", "n", "n_negative"]
    assert "no shares are given" in cycles.note


def test_the_summary_names_every_cycle_tied_for_most_common(tmp_path) -> None:
    """Trial 27: "The most common value cycle is Potential value, in 10 stories" while
    enabling value was in 10 stories too."""
    from copanalysis.io import load_corpus
    from copanalysis.report import _summary
    from copanalysis.study import analyse

    study = tmp_path / "study"
    (study / "stories").mkdir(parents=True)
    (study / "stories" / "survey.csv").write_text(
        "ID,Insights,Practice\n"
        "1,We learned a new handover,We now use the handover every shift\n"
        "2,I learned about bar models,I now mark with the rubric\n",
        encoding="utf-8",
    )
    findings = analyse(load_corpus(study, progress=False), coder="rules", progress=False)
    frequencies = findings.tables["frequencies"]
    top = int(frequencies["n"].max())
    assert _summary(findings)["findings"][1] == (
        f"The most common value cycle is Potential value, in {top} stories."
    )
    tied = frequencies["code"].isin(["potential", "potential_human", "enabling"])
    findings.tables["frequencies"] = frequencies.assign(n=frequencies["n"].where(~tied, top))
    assert _summary(findings)["findings"][1] == (
        f"The most common value cycles are Potential value and Enabling value, tied at {top} "
        "stories each."
    )


def test_the_enablers_section_drops_unnamed_themes_and_explains_the_inductive_groups(
    findings,
) -> None:
    from copanalysis.report import _enablers

    content = _enablers(findings)
    first, second = content["tables"]
    counts = [first.columns.index(c) for c in ("n_enablers", "n_challenges", "n_neutral")]
    assert all(sum(float(row[i]) for i in counts) > 0 for row in first.rows)
    named = len(first.rows)
    unnamed = len(findings.tables["themes"]) - named
    assert second.columns == [
        "group", "words that define it", "items", "closest of the 22 themes", "how close"
    ]  # fmt: skip
    assert "a check on the coded themes above, not a finding of its own" in content["note"]
    assert content["note"].startswith(f"The {unnamed} themes") == bool(unnamed)


def test_a_lists_only_study_with_a_mixed_question_reads_right(tmp_path) -> None:
    from copanalysis.io import load_corpus
    from copanalysis.report import _coding_parts, _summary
    from copanalysis.study import analyse

    study = tmp_path / "study"
    (study / "lists").mkdir(parents=True)
    (study / "lists" / "survey.csv").write_text(
        "Respondent ID,What has got in the way?,Anything else about what helps or hinders?\n"
        "1,No cover for the sessions,More funding for supply cover would help\n"
        "2,Parking at the hub school,Being listened to helps a lot\n",
        encoding="utf-8",
    )
    corpus = load_corpus(study, progress=False)
    assert corpus.items["kind"].isna().sum() == 2  # the mixed question's answers: no kind
    findings = analyse(corpus, progress=False)
    summary = _summary(findings)
    said = " ".join(summary["findings"])
    assert "(0 items each)" not in said
    assert [k["label"] for k in summary["kpis"]] == ["coded spans", "enablers & challenges"]
    coders = _coding_parts(findings)[1]
    assert coders.text == (
        "There were no stories to code with the value cycles; the table names the coder of "
        "each codebook."
    )
    # the kind of the mixed answers is read from their text, by the default themes coder
    # (semantic + rules; the rules alone cannot tell a wish from an enabler)
    pytest.importorskip("sentence_transformers")
    codes = findings.codes[findings.codes["codebook"] == "enablers_challenges"]
    mixed = codes[codes["doc_id"].str.contains("mixed")].groupby("doc_id")["polarity"].max()
    assert mixed.to_dict() == {"survey-mixed-001": -1, "survey-mixed-002": 1}


def test_human_theme_codes_are_compared_with_the_machines(tmp_path) -> None:
    from copanalysis.io import load_corpus
    from copanalysis.report import _summary, _theme_agreement_parts
    from copanalysis.study import analyse

    study = tmp_path / "study"
    (study / "lists").mkdir(parents=True)
    (study / "gold").mkdir()
    (study / "lists" / "l.csv").write_text(
        "Enablers,Challenges\n"
        "Protected time to meet every month,No cover for the sessions\n"
        "A facilitator who keeps us on track,The shared drive is a mess\n",
        encoding="utf-8",
    )
    (study / "gold" / "codes.csv").write_text(
        "doc_id,field,start,end,codebook,code,polarity,coder\n"
        "l-enabler-001,text,0,34,enablers_challenges,TIME,1,Evaluator A\n"
        "l-challenge-001,text,0,25,enablers_challenges,TIME,-1,Evaluator A\n"
        "l-enabler-002,text,0,35,enablers_challenges,FACIL,1,Evaluator A\n"
        "l-challenge-002,text,0,26,enablers_challenges,DOC,-1,Evaluator A\n",
        encoding="utf-8",
    )
    findings = analyse(load_corpus(study, progress=False), progress=False)
    table = findings.tables["agreement_themes"]
    assert set(table["code"]) >= {"TIME", "FACIL", "DOC", "(all codes)"}
    (part,) = _theme_agreement_parts(findings)
    assert part.text.startswith(
        "The machine's themes against the human codes of the same items (Evaluator A), on "
        "the 4 items a person coded."
    )
    said = _summary(findings)["findings"]
    assert any(
        line.startswith("The machine's enabler/challenge themes agree with the human codes")
        for line in said
    )


def test_a_long_unbroken_answer_wraps_inside_the_page(findings, browser, monkeypatch, tmp_path):
    import pandas as pd

    import copanalysis.report as report

    url = "https://example.org/?q=" + "verylongtoken" * 30  # 400 characters, no break
    table = ReportTable.of(pd.DataFrame({"exemplar": [url], "frame": ["stories"], "n": [1]}))
    section = Section("odd", "Odd", "", tables=[table], quotes=[Quote(url, "s1", False)])
    monkeypatch.setattr(report, "report_sections", lambda findings, figures: [section])
    html = build_report(findings, {}).replace(
        "</body>",
        "<script>document.title = String(document.documentElement.scrollWidth)</script></body>",
    )
    path = write_report(html, tmp_path / "report.html")
    dumped = subprocess.run(
        [browser, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
         "--window-size=800,600", "--dump-dom", path.as_uri()],
        check=True, capture_output=True, text=True, timeout=120,
    ).stdout  # fmt: skip
    width = int(re.search(r"<title>(\d+)</title>", dumped).group(1))
    assert width <= 800, f"the page is {width}px wide in an 800px window"
    # a one-word cell is never cut inside its word ("storie/s" in a narrow column)
    assert '<td class="word">stories</td>' in html
    assert f"<td>{url}</td>" in html


def test_the_agreement_text_says_what_this_study_has(findings) -> None:
    import dataclasses

    from copanalysis.report import _agreement_parts

    tables = {k: v for k, v in findings.tables.items() if k != "agreement_humans"}
    one = dataclasses.replace(findings, tables=tables, coder="semantic:value_cycles@x (...)")
    text = _agreement_parts(one, {})[0].text
    assert "Two human coders" not in text  # one person coded: no yardstick to speak of
    assert "One person coded these stories, so there is no human-vs-human yardstick" in text
    assert "the stories a person coded were coded by a coder that had seen them" in text


def test_the_agreement_chart_names_the_coders_it_compares(report, findings) -> None:
    """Trial 34: the legend said "machine vs human" and "human vs human" (the README
    promises the coders' names)."""
    import dataclasses

    from copanalysis.report import _agreement_comparison

    table = _agreement_comparison(findings)
    assert list(dict.fromkeys(table["comparison"])) == [
        "rule coder vs Ana Ruiz",
        "Ana Ruiz vs Kwame Mensah",
    ]
    _, _, figures = report
    (ax,) = figures["agreement"].axes
    machine = findings.tables["agreement"]["units"].iloc[0]
    humans = findings.tables["agreement_humans"]["units"].iloc[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        f"rule coder vs Ana Ruiz: {machine} segments per code",
        f"Ana Ruiz vs Kwame Mensah: {humans} segments per code",
    ]
    # without the coders' names (a table built by hand), as before
    unnamed = findings.tables["agreement"].copy()
    unnamed.attrs = {}
    bare = dataclasses.replace(findings, tables={"agreement": unnamed})
    assert set(_agreement_comparison(bare)["comparison"]) == {"machine vs human"}


def test_the_roles_table_does_not_cut_among_ties() -> None:
    import types

    import pandas as pd

    from copanalysis.report import _role_themes

    rows = [("Coordination", "challenges", f"Theme {i}", 1) for i in range(20)]
    themes = pd.DataFrame(rows, columns=["role", "aspect", "label", "n"])
    said = _role_themes(types.SimpleNamespace(tables={"role_themes": themes}))
    # 20 pairs named once each: which 15 to show would be arbitrary, so all are shown
    assert said["tables"][0].total == 20
    assert said["note"].startswith("All 20 role, aspect and theme combinations named")
    busy = themes.assign(n=range(20, 0, -1))
    said = _role_themes(types.SimpleNamespace(tables={"role_themes": busy}))
    assert said["note"] == "The 15 most frequent of 20 role, aspect and theme pairs."


def test_a_leading_theme_on_doubtful_codes_says_so() -> None:
    """Trial 28: "as challenges: Identity and belonging (3 items)" stood on codes at 0.16
    and 0.18, and the summary did not say so."""
    import pandas as pd

    from copanalysis.analysis import theme_balance
    from copanalysis.report import _doubtful_leaders, _leaders

    codes = pd.DataFrame(
        {
            "doc_id": ["i1", "i2", "i3", "i3", "i4", "i5"],
            "field": "text",
            "start": 0,
            "end": 4,
            "code": ["IDENTITY", "IDENTITY", "IDENTITY", "TIME", "TIME", "TRUST"],
            "polarity": [-1, -1, -1, -1, 1, 1],
            "confidence": [0.18, 0.16, 0.9, 0.3, 0.2, 0.95],
            "coder": "machine",
            "codebook": "enablers_challenges",
        }
    )
    themes = theme_balance(codes)
    assert _leaders(themes, "n_challenges").startswith("Identity and belonging (3 items)")
    assert _doubtful_leaders(codes, themes, "n_challenges") == (
        ", 2 of the 3 items behind it only on codes of confidence below 0.5"
    )
    # TIME and TRUST tie as enablers at one item each; only TIME's is doubtful
    assert _doubtful_leaders(codes, themes, "n_enablers") == (
        ", 1 of the 2 items behind them only on codes of confidence below 0.5"
    )
    assert _doubtful_leaders(codes.assign(confidence=0.9), themes, "n_challenges") == ""
    assert _doubtful_leaders(codes.drop(columns="confidence"), themes, "n_enablers") == ""


def _study_with_unread_questions(tmp_path: Path) -> Path:
    """Two story questions and a list question that no field matches, with free-text
    answers, and a Kobo geopoint (no letters: not free text)."""
    study = tmp_path / "study"
    (study / "stories").mkdir(parents=True)
    (study / "lists").mkdir()
    (study / "stories" / "kobo.csv").write_text(
        "ID,Insights,Which radio programme do you follow?,Which market day suits you best?,"
        "Location\n"
        "1,We learned a new handover,The morning health show on Radio Maisha,"
        "Saturday is the big market day here,-3.29 40.10 12.0 5.0\n"
        "2,I learned about bar models,The evening news in Swahili,"
        "Wednesday when the buses run,-3.30 40.11 11.0 5.0\n"
        "3,Tips on marking,,Any day but Sunday for us,-3.31 40.12 10.0 5.0\n",
        encoding="utf-8",
    )
    (study / "lists" / "kobo.csv").write_text(
        "Respondent,Enablers,Which radio programme do you follow?\n"
        "1,Our facilitator keeps every session on time,The morning health show on Radio Maisha\n"
        "2,We share tips in the WhatsApp group,The evening news in Swahili every day\n"
        "3,The district office pays for our airtime,Radio Maisha in the morning always\n",
        encoding="utf-8",
    )
    return study


def test_the_summary_says_first_what_free_text_was_not_read(tmp_path) -> None:
    """Trial 32: with Kobo's "What makes it hard?" unread, the summary said "as challenges:
    none (no item was coded as a challenge)" and quoted reach over two of four questions."""
    from copanalysis.io import load_corpus
    from copanalysis.report import _summary
    from copanalysis.schema import empty
    from copanalysis.study import Findings

    corpus = load_corpus(_study_with_unread_questions(tmp_path), progress=False)
    themes = pd.DataFrame(
        {"code": ["FACIL"], "label": ["Facilitation and rhythm"], "n_enablers": [3],
         "n_challenges": [0], "n_neutral": [0], "net": [3]}
    )  # fmt: skip
    findings = Findings(corpus, empty("codes"), "rules", {"themes": themes})
    said = _summary(findings)["findings"]
    assert said[0] == (
        "5 answers in 2 story questions and 3 in 'Which radio programme do you follow?' "
        "(lists) were not read: no field matched their questions, so nothing below counts "
        "them. Map them in the study folder's mapping.yaml (the methods' Loading table says "
        "how) before quoting these figures."
    )
    assert [line for line in said if line.startswith("The themes")] == [
        "The themes named most often as enablers: Facilitation and rhythm (3 items); as "
        "challenges: none among the items read (3 answers in 'Which radio programme do you "
        "follow?' (lists) were not read)."
    ]
    mapped = load_corpus(
        tmp_path / "study",
        progress=False,
        mapping={
            "stories": {
                "Which radio programme do you follow?": None,
                "Which market day suits you best?": None,
            },
            "lists": {"Which radio programme do you follow?": None},
        },
    )
    said = _summary(Findings(mapped, empty("codes"), "rules", {"themes": themes}))["findings"]
    assert not any("not read" in line for line in said)
    assert [line for line in said if line.startswith("The themes")] == [
        "The themes named most often as enablers: Facilitation and rhythm (3 items); as "
        "challenges: none (no item was coded as a challenge)."
    ]


def test_analyse_warns_once_of_free_text_it_did_not_read(tmp_path) -> None:
    """Trial 32: a notebook user never sees the methods' Loading table."""
    import warnings

    from copanalysis.io import load_corpus
    from copanalysis.study import analyse

    study = _study_with_unread_questions(tmp_path)
    shutil.rmtree(study / "lists")
    corpus = load_corpus(study, progress=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        analyse(corpus, coder="rules", progress=False)
    unread = [w for w in caught if "was not read" in str(w.message)]
    assert len(unread) == 1 and unread[0].category is UserWarning
    assert str(unread[0].message) == (
        "free text that no field matched was not read, so nothing codes or counts it: "
        "'Which radio programme do you follow?' in stories/kobo.csv (2 answers); 'Which "
        "market day suits you best?' in stories/kobo.csv (3 answers). Map each column in the "
        "study folder's mapping.yaml (or mapping= in load_corpus), or to null to leave it out "
        "on purpose; each frame's attrs['load_report'] says how."
    )
    assert unread[0].filename == __file__


def test_the_flows_say_when_a_form_asks_its_free_story_first(tmp_path) -> None:
    """Trial 32: a Kobo form asked the story first, and the paths, which read the free story
    after the worksheet's answers, drew "Realized -> Immediate" steps with no word why."""
    from copanalysis.io import load_corpus
    from copanalysis.study import analyse

    study = tmp_path / "study"
    (study / "stories").mkdir(parents=True)
    (study / "stories" / "kobo.csv").write_text(
        "ID,Story,Practice\n"
        "1,We met at the district office and I learned a new handover.,"
        "I now use the handover every shift\n"
        "2,I learned about bar models at the cluster meeting.,I now mark with the rubric\n",
        encoding="utf-8",
    )
    findings = analyse(load_corpus(study, progress=False), coder="rules", progress=False)
    flows = next(s for s in report_sections(findings, {}) if s.id == "flows")
    assert "and its free story after all of them, wherever the form asks it" in flows.intro
    assert flows.note == (
        "'kobo.csv' asks the free story before the questions that follow it up, but each "
        "story is read with its free story last: a step back, such as realized to "
        "immediate, may be the story's opening read after its follow-up answers."
    )
    (study / "stories" / "kobo.csv").write_text(  # the worksheet's order: nothing to say
        "ID,Practice,Story\n1,I now use the handover every shift,We met and I learned.\n",
        encoding="utf-8",
    )
    findings = analyse(load_corpus(study, progress=False), coder="rules", progress=False)
    flows = next(s for s in report_sections(findings, {}) if s.id == "flows")
    assert flows.note == ""


def test_the_summary_and_the_agreement_chart_name_the_codes_the_machine_never_found(
    tmp_path,
) -> None:
    """Trial 35: out-of-fold the machine found reframing in none of Thandiwe's 4 sentences;
    the summary gave only the pooled alpha, and the chart "too few to estimate (a coder never
    used it)", which reads as "rare"."""
    import matplotlib.pyplot as plt

    from copanalysis.io import load_corpus
    from copanalysis.plots import plot_agreement
    from copanalysis.report import _agreement_comparison, _summary
    from copanalysis.study import analyse

    study = tmp_path / "study"
    (study / "stories").mkdir(parents=True)
    (study / "gold").mkdir()
    (study / "stories" / "survey.csv").write_text(
        "ID,Insights,Practice\n"
        "1,We learned a new handover.,Our team meets on Tuesdays now.\n"
        "2,I learned about bar models.,The ward manager moved the rota.\n"
        "3,I learned about the new rubric.,Our supervisor asked for the minutes.\n",
        encoding="utf-8",
    )
    (study / "gold" / "codes.csv").write_text(
        "doc_id,field,quote,code,coder\n"
        "1,insights,We learned a new handover.,potential,Thandiwe\n"
        "1,practice,Our team meets on Tuesdays now.,reframing,Thandiwe\n"
        "2,insights,I learned about bar models.,potential,Thandiwe\n"
        "2,practice,The ward manager moved the rota.,reframing,Thandiwe\n"
        "3,insights,I learned about the new rubric.,potential,Thandiwe\n"
        "3,practice,Our supervisor asked for the minutes.,potential_social,Thandiwe\n",
        encoding="utf-8",
    )
    findings = analyse(load_corpus(study, progress=False), coder="rules", progress=False)
    found = findings.tables["codes_found"]
    assert found.to_dict("list") == {
        "code": ["potential", "potential_social", "reframing"],
        "sentences": [4, 1, 2],  # a sub-code counts as its parent too
        "found": [3, 0, 0],
        "coder": ["Thandiwe"] * 3,
    }
    (line,) = [s for s in _summary(findings)["findings"] if "Krippendorff" in s]
    assert line.endswith(
        "(pooled presence of each code). On those stories the machine did not find "
        "Social capital, which Thandiwe coded in 1 sentence, nor Reframing value "
        "(2 sentences). See the methods."
    )
    ax = plot_agreement(_agreement_comparison(findings))
    texts = [t.get_text() for t in ax.texts]
    assert "the machine never found it (0 of the 2 sentences coded with it)" in texts
    assert "the machine never found it (0 of the 1 sentence coded with it)" in texts
    plt.close(ax.figure)


def test_a_survey_storys_bare_response_id_is_cited_with_its_file() -> None:
    from copanalysis.report import _quotes

    stories = pd.DataFrame(
        {
            "story_id": ["14", "story-lurker-001"],
            "community": pd.array([None, "Maintainers' Circle"], dtype="string"),
            "source": ["circle-survey.xlsx:Responses:row 15", "story-lurker.md"],
        }
    )
    codes = pd.DataFrame(
        {
            "doc_id": ["14", "story-lurker-001"],
            "field": ["practice", "story"],
            "start": [0, 0],
            "end": [22, 19],
            "quote": ["We now sign every tag.", "I read every thread."],
            "code": ["applied", "potential"],
            "coder": ["rules", "rules"],
            "confidence": [0.9, 0.8],
        }
    )
    assert [(q.text, q.where) for q in _quotes(codes, stories, n=1)] == [
        (
            "We now sign every tag.",
            "applied · practice · circle-survey.xlsx:Responses, response 14",
        ),
        ("I read every thread.", "potential · story · story-lurker-001 · Maintainers' Circle"),
    ]
    from types import SimpleNamespace

    from copanalysis.report import _quantities

    claims = pd.DataFrame(
        {"doc_id": ["14", "story-lurker-001"], "baseline": [41.0, None], "number": [9.0, 3.0]}
        | {"unit": ["days", "people"], "change": ["decrease", None], "quote": ["41 to 9", "3"]}
    )
    findings = SimpleNamespace(
        tables={"quantities": claims}, corpus=SimpleNamespace(stories=stories)
    )
    shown = _quantities(findings)["tables"][0]  # type: ignore[arg-type]
    assert [row[0] for row in shown.rows] == [
        "circle-survey.xlsx:Responses, response 14",
        "story-lurker-001",
    ]


def test_a_coder_that_does_not_judge_polarity_gets_no_hatching_explained(findings) -> None:
    """Trial 41: the TF-IDF coder's codes are all +1, yet the report said "hatched: the
    cycle told as absent or negative" under a chart where no bar could be hatched."""
    import dataclasses

    fig, ax = plt.subplots(figsize=(2, 1))
    label = "model:value_cycles@2228b6f1 (as asked)"
    blind = dataclasses.replace(findings, coder=label, judges_polarity=False)
    for said, polar in ((blind, False), (findings, True)):
        cycles = next(
            s for s in report_sections(said, {"cycle_frequencies": fig}) if s.id == "cycles"
        )
        assert cycles.figure is not None
        if polar:
            assert cycles.figure.caption == (
                "Stories coded with each cycle; hatched: the cycle told as absent or negative."
            )
            assert cycles.note.startswith("n counts the stories that tell of the cycle as value")
            continue
        assert cycles.figure.caption == (
            "Stories coded with each cycle. No bar is hatched: the coder of the value cycles "
            '(model) does not tell value denied from value told ("it made no difference to my '
            'teaching" reads as value).'
        )
        assert cycles.note.startswith(
            "n counts the stories coded with the cycle. n_negative is 0 in every row: the coder "
            'of the value cycles (model) does not tell value denied from value told ("it made no '
            'difference to my teaching" reads as value), so a story that says a cycle did not '
            "happen is counted as telling of it. "
        )
    plt.close(fig)
    html = build_report(blind, report_figures(blind))
    assert "; hatched: the cycle" not in html and "absent or negative (a story" not in html
    assert "No bar is hatched: the coder of the value cycles (model) does not tell" in html


def test_choosing_the_coder_says_the_rule_and_the_default_it_kept(findings) -> None:
    """Trial 41: "the one with the highest macro F1 coded the stories" no longer holds: the
    default is kept unless another coder beats it beyond the uncertainty."""
    import dataclasses

    from copanalysis.report import _evaluation_parts

    evaluation = findings.tables["evaluation"]
    two = pd.concat(
        [evaluation.assign(coder="semantic"), evaluation.assign(coder="model", f1=0.9)],
        ignore_index=True,
    )
    two.attrs["chosen"] = "semantic"
    choice = pd.DataFrame(
        {"coder": ["model"], "default": ["semantic"], "difference": [0.01], "low": [-0.04],
         "high": [0.06], "confidence": [0.95], "stories": [30], "judges_polarity": [False],
         "chosen": [False]}
    )  # fmt: skip
    tables = {**findings.tables, "evaluation": two, "coder_choice": choice}
    tables.pop("uncoded", None)
    parts = _evaluation_parts(dataclasses.replace(findings, tables=tables))
    assert [p.heading for p in parts] == [
        "Choosing the coder",
        "Each coder against the default",
        "Per code, the chosen coder",
    ]
    assert parts[0].text == (
        "Each candidate coder against the main human coder, cross-validated by story (the rule "
        "coder has nothing to learn and is scored on every story). The package's default "
        "coder, semantic (the one that agrees best with the authors' codes on the development "
        "set), codes the stories unless another coder's macro F1 here is higher beyond the "
        "uncertainty of the difference: the lower end of its paired bootstrap interval over "
        "the stories is above 0, all the comparisons together at 95% (Bonferroni). A coder "
        "that does not judge polarity is never chosen over one that does: macro F1 counts "
        "which codes a sentence has, not their polarity. No coder did better beyond the "
        "uncertainty, so semantic coded the stories."
    )
    shown = parts[1].table
    assert shown is not None and shown.columns == [
        "coder", "against", "difference", "low", "high", "confidence", "judges_polarity",
        "chosen",
    ]  # fmt: skip
    per_code = parts[2].table
    assert per_code is not None and per_code.total == len(evaluation)
    assert {row[per_code.columns.index("coder")] for row in per_code.rows} == {"semantic"}


def test_the_numbers_table_gives_a_start_in_another_unit_as_she_wrote_it() -> None:
    """Trial 42: "3 weeks not 3 months" was "13.04 | 3.00 | weeks" in the table, as
    "13 → 3 weeks" in the chart."""
    from types import SimpleNamespace

    from copanalysis.coding.quantities import quantities
    from copanalysis.report import _quantities

    stories = pd.DataFrame(
        {
            "story_id": ["s1", "s2"],
            "organization": [
                "I got the flood consent in 3 weeks not 3 months.",
                "Permit time fell from 6 weeks to 3.",
            ],
        }
    )
    findings = SimpleNamespace(
        tables={"quantities": quantities(stories)}, corpus=SimpleNamespace(stories=stories)
    )
    shown = _quantities(findings)["tables"][0]  # type: ignore[arg-type]
    assert [row[:4] for row in shown.rows] == [
        ["s1", "3 months", "3.00", "weeks"],
        ["s2", "6.00", "3.00", "weeks"],
    ]


def test_the_summary_says_that_stories_repeating_another_are_counted() -> None:
    """Trial 43: a survey submitted twice was noted when loading, and the report counted
    it as two stories without a word."""
    from copanalysis.io.corpus import Corpus
    from copanalysis.report import _summary
    from copanalysis.schema import empty
    from copanalysis.study import Findings

    said = "We met every Tuesday to plan the new maths units with two other schools."
    stories = pd.DataFrame(
        {"story_id": ["1", "2", "3"], "activities": [said, "A site visit.", said]}
    )
    others = [empty(f) for f in ("items", "roles", "grid")]
    corpus = Corpus(stories, *others, empty("codes"))
    findings = Findings(corpus, empty("codes"), "rules")
    assert (
        "1 story repeats an earlier story's every answer word for word under another id "
        "(perhaps a survey submitted twice): it is counted here"
    ) in " ".join(_summary(findings)["findings"])
    once = Findings(Corpus(stories.head(2), *others, empty("codes")), empty("codes"), "rules")
    assert "repeats" not in " ".join(_summary(once)["findings"])
