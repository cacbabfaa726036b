"""The ``copanalysis`` command: run, check, demo and report; exit statuses; data/raw untouched."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from copanalysis.cli import main
from copanalysis.errors import CopanalysisError
from copanalysis.io import read_refi

SURVEY = (
    "Timestamp,Name of your community / network,Your name,"
    "What meaningful activities did you participate in?,What specific insights did you gain?\n"
    "2025/01/10 10:10:00,Harbour Engineers,Ana,We met every month and shared our experience,"
    "I learned how to read a drainage survey and now I use the checklist on every site\n"
    "2025/01/11 09:00:00,Harbour Engineers,Bo,,\n"
)


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
    # the machine's user says whose codes it learned from (trial 29)
    (machine,) = set(project.codes["coder"]) - {"Ana Ruiz", "Kwame Mensah"}
    assert machine.endswith(
        " (trained on Ana Ruiz's codes; out-of-fold on the 84 stories Ana Ruiz coded)"
    )


def test_a_missing_folder_is_a_clear_error(tmp_path, capsys) -> None:
    assert main(["report", str(tmp_path / "nowhere"), "--out", str(tmp_path / "r.html")]) == 3
    assert "nowhere: no such folder" in capsys.readouterr().err
    assert main(["run", str(tmp_path / "nowhere")]) == 3
    assert main(["check", str(tmp_path / "nowhere")]) == 3


#: What each kind of cached work writes in the cache folder, as the caches write it.
_CACHE_WRITES = {
    "embeddings": ("embeddings-0123456789abcdef.sqlite",),
    "sentence bounds": ("sentences-0123456789abcdef.sqlite",),
    "fitted coders": ("fits/ab12.pickle",),
    "language-model answers": ("llm/ab/" + "ab" * 32 + ".json",),
}


@pytest.mark.parametrize(
    ("kept", "said"),
    [
        ((), "; nothing it computed was kept, so it starts over."),
        (("embeddings",), ": the embeddings made so far are kept in {cache} and are not "
         "made again; the rest starts over."),
        (("embeddings", "sentence bounds", "fitted coders"), ": the embeddings, sentence "
         "bounds and fitted coders made so far are kept in {cache} and are not made again; "
         "the rest starts over."),
        (("language-model answers",), ": the language-model answers made so far are kept "
         "in {cache} and are not made again; the rest starts over."),
    ],
)  # fmt: skip
def test_ctrl_c_says_only_what_the_run_kept_and_is_status_130(
    tmp_path, capsys, monkeypatch, kept, said
) -> None:
    """Trial 41: "the embeddings computed so far are cached" after a run of the TF-IDF
    coder, which embeds nothing; what it did keep (the coders' fits) went unsaid."""
    import copanalysis.cli as cli

    cache = tmp_path / "cache"
    (cache / "fits").mkdir(parents=True)  # an earlier run's: not this run's work
    (cache / "sentences-0123456789abcdef.sqlite-wal").write_bytes(b"")  # opened only
    monkeypatch.setenv("COPANALYSIS_CACHE_DIR", str(cache))

    def interrupted(*args, **kwargs):
        for kind in kept:
            for name in _CACHE_WRITES[kind]:
                (cache / name).parent.mkdir(parents=True, exist_ok=True)
                (cache / name).write_bytes(b"x")
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "run_study", interrupted)
    out = tmp_path / "results"
    assert main(["run", str(tmp_path), "--out", str(out)]) == 130
    assert capsys.readouterr().err == (
        f"copanalysis: interrupted. {out} may be incomplete. Run the same command again"
        + said.format(cache=cache)
        + "\n"
    )


def test_ctrl_c_during_check_says_it_keeps_nothing(tmp_path, capsys, monkeypatch) -> None:
    """Trial 41: check, which embeds nothing, said "the embeddings computed so far are
    cached"."""
    import copanalysis.cli as cli

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "run_check", interrupted)
    assert main(["check", str(tmp_path)]) == 130
    assert capsys.readouterr().err == (
        "copanalysis: interrupted. check writes nothing and keeps nothing: run it again.\n"
    )


def test_ctrl_c_after_the_rule_coder_says_nothing_was_kept(tmp_path, capsys, monkeypatch) -> None:
    """The rule coder keeps nothing in the cache: stopped after it coded, the run says so."""
    import copanalysis.report as report

    folder = tmp_path / "study"
    (folder / "stories").mkdir(parents=True)
    (folder / "stories" / "survey.csv").write_text(SURVEY, encoding="utf-8")
    monkeypatch.setenv("COPANALYSIS_CACHE_DIR", str(tmp_path / "cache"))
    coded = []

    def interrupted(findings):
        coded.append(len(findings.codes))
        raise KeyboardInterrupt

    monkeypatch.setattr(report, "report_figures", interrupted)
    out = tmp_path / "results"
    argv = ["run", str(folder), "--out", str(out), "--coder", "rules", "--no-progress"]
    assert main(argv) == 130
    assert coded and coded[0] > 0  # it stopped after coding
    assert capsys.readouterr().err.endswith(
        f"copanalysis: interrupted. {out} may be incomplete. Run the same command again; "
        "nothing it computed was kept, so it starts over.\n"
    )


def test_help_shows_an_example_and_the_exit_statuses(capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    text = capsys.readouterr().out
    assert "copanalysis check my-study" in text and "copanalysis run my-study" in text
    assert "exit status:" in text and "3  a file or folder could not be read" in text
    with pytest.raises(SystemExit) as exited:
        main(["run"])  # no study folder: a wrong command line
    assert exited.value.code == 2


def test_a_misspelled_option_is_the_commands_error_with_what_it_meant(capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["run", "study", "--min-confidance", "0.4"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: copanalysis run ")
    assert err.rstrip().endswith(
        "copanalysis run: error: unrecognized arguments: --min-confidance 0.4 "
        "(did you mean --min-confidence?)"
    )
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    text = capsys.readouterr().out
    assert "STUDY_DIR" in text and "data_dir" not in text
    assert "--title TITLE the report's title (default:" in " ".join(text.split())


def _study(tmp_path, survey: str = SURVEY):
    study = tmp_path / "my-study"
    (study / "stories").mkdir(parents=True)
    (study / "stories" / "survey.csv").write_text(survey, encoding="utf-8")
    return study


def test_check_prints_each_files_report_and_says_what_needs_a_look(tmp_path, capsys) -> None:
    study = _study(tmp_path)
    (study / "stories" / "scan.pdf").write_bytes(b"%PDF-1.4")
    assert main(["check", str(study)]) == 1  # run would pass over the PDF: a look
    printed = capsys.readouterr().out
    assert "scan.pdf: not read: stories/ reads .csv" in printed
    assert "1 file(s) loaded, 2 need a look (1 not read), 0 could not be read." in printed
    assert "  need a look: stories/scan.pdf, stories/survey.csv" in printed  # named
    assert "Name of your community / network -> community (92)" in printed
    assert "Timestamp -> submitted (100)" in printed
    assert "skipped row 3: no answer to any prompt" in printed  # Bo answered no prompt...
    (study / "stories" / "scan.pdf").unlink()
    assert main(["check", str(study)]) == 1  # ... which needs a look
    assert "1 file(s) loaded, 1 need a look, 0 could not be read." in capsys.readouterr().out
    fine = _study(tmp_path / "fine", SURVEY.replace("Bo,,", "Bo,Case reviews,New ideas"))
    assert main(["check", str(fine)]) == 0
    printed = capsys.readouterr().out
    assert "stories: 2 rows from 1 file" in printed
    assert f"Ready: copanalysis run {fine}" in printed
    assert not (fine / "stories").with_name("my-study-processed").exists()  # check writes nothing


def test_human_codes_that_do_not_fit_the_stories_stop_check_and_run_before_any_output(
    tmp_path, capsys
) -> None:
    study = _study(tmp_path, SURVEY.replace("Bo,,", "Bo,Case reviews,New ideas"))
    (study / "gold").mkdir()
    (study / "gold" / "codes.csv").write_text(
        "doc_id,field,start,end,code,coder\nnobody-001,insights,0,9,potential,Ana\n",
        encoding="utf-8",
    )
    assert main(["check", str(study)]) == 3
    printed = capsys.readouterr().out
    assert (
        "codes.csv: 1 of 1 human codes do not fit the stories: row 2 ('nobody-001' 'insights' "
        in (printed)
    )
    assert main(["run", str(study), "--no-progress"]) == 3
    assert "'nobody-001' 'insights' 0-9 'potential'): no story or list item 'nobody-001'" in (
        capsys.readouterr().err
    )
    assert not (tmp_path / "my-study-processed").exists()  # no report built on them


def test_human_codes_written_as_quotes_without_offsets_pass_check_and_load(
    tmp_path, capsys
) -> None:
    """Trial 30: a spreadsheet coder writes the story, field, quote and code, no offsets."""
    from copanalysis.io import load_corpus

    study = _study(tmp_path, SURVEY.replace("Bo,,", "Bo,Case reviews,New ideas"))
    (study / "gold").mkdir()
    (study / "gold" / "hand-codes.csv").write_text(
        "doc_id,field,quote,code,coder\n"
        "survey-001,activities,We met every month,immediate,Ana\n"
        "survey-001,,now I use the checklist on every site,applied,Ana\n"
        "survey-002,insights,New ideas,potential,Ana\n",
        encoding="utf-8",
    )
    assert main(["check", str(study)]) == 0
    printed = capsys.readouterr().out
    assert "note: start and end of 3 codes found from the quote" in printed
    assert (
        "note: the field of 1 code found from the quote, the one field of the story that "
        "holds it: row 3 'insights'" in printed
    )
    assert f"Ready: copanalysis run {study}" in printed
    gold = load_corpus(study, progress=False).gold
    assert gold[["doc_id", "field", "start", "end", "code"]].values.tolist() == [
        ["survey-001", "activities", 0, 18, "immediate"],
        ["survey-001", "insights", 44, 81, "applied"],
        ["survey-002", "insights", 0, 9, "potential"],
    ]


def test_run_writes_every_output_beside_the_study_through_io(tmp_path, capsys) -> None:
    study = _study(tmp_path)
    (study / "stories" / "scan.pdf").write_bytes(b"%PDF-1.4")
    before = _digest(study)
    argv = ["run", str(study), "--coder", "rules", "--min-confidence", "0.6", "--no-progress"]
    assert main(argv) == 0
    assert _digest(study) == before
    out = tmp_path / "my-study-processed"
    stories = pd.read_parquet(out / "stories.parquet")
    assert stories["community"].tolist() == ["Harbour Engineers"]
    assert stories["submitted"].tolist() == [pd.Timestamp("2025-01-10 10:10")]
    assert {"stories.parquet", "codes.parquet", "report.html", "project.qdpx"} <= {
        p.name for p in out.iterdir()
    }
    assert (out / "tables" / "frequencies.csv").is_file()
    assert (pd.read_parquet(out / "codes.parquet")["confidence"] >= 0.6).all()
    uncoded = pd.read_csv(out / "tables" / "uncoded.csv")
    assert set(uncoded["min_confidence"]) == {0.6}
    printed = capsys.readouterr().out
    assert "Wrote" in printed
    assert f"! {study / 'stories' / 'scan.pdf'}: not read (a type this folder does not" in printed
    with pytest.raises(SystemExit) as bad:
        main(["run", str(study), "--min-confidence", "1.5"])
    assert bad.value.code == 2
    assert "expected a number from 0 to 1, got '1.5'" in capsys.readouterr().err
    assert main(["run", str(study), "--out", str(tmp_path / "data" / "raw" / "x")]) == 3


def test_the_project_holds_the_out_of_fold_machine_codes_on_the_hand_coded_stories(
    raw_dir, tmp_path, capsys
) -> None:
    """Trial 33: the .qdpx held the codes of a coder trained on all the human codes, so on the
    hand-coded stories it gave back what it learned (kappa 0.99 in NVivo, 0.78 out of fold)."""
    import zipfile

    from copanalysis.coding.coders import make_coder
    from copanalysis.coding.evaluation import cross_val_codes
    from copanalysis.io import load_corpus

    study = tmp_path / "ward-study"
    (study / "stories").mkdir(parents=True)
    (study / "gold").mkdir()
    survey = raw_dir / "stories" / "nursing-network-survey.csv"
    (study / "stories" / survey.name).write_bytes(survey.read_bytes())
    gold = pd.read_csv(raw_dir / "gold" / "gold-codes.csv", dtype={"doc_id": str})
    mine = [f"R-N00{i}" for i in range(1, 9)]
    gold = gold[gold["doc_id"].isin(mine) & (gold["coder"] == "Ana Ruiz")]
    gold.to_csv(study / "gold" / "codes.csv", index=False)
    out = tmp_path / "out"
    assert main(["run", str(study), "--out", str(out), "--coder", "model", "--no-progress"]) == 0
    # with no progress bar to say it, run says on stderr how long scoring the coder took
    assert "\nScoring the coders took " in "\n" + capsys.readouterr().err

    project = read_refi(out / "project.qdpx", progress=False)
    (machine,) = set(project.codes["coder"]) - {"Ana Ruiz"}
    assert machine.startswith("model:value_cycles@")
    assert machine.endswith(
        " (trained on Ana Ruiz's codes; out-of-fold on the 8 stories Ana Ruiz coded)"
    )
    corpus = load_corpus(study, progress=False)
    held_out = cross_val_codes(
        make_coder("model", "value_cycles"), corpus.gold, corpus.stories, cv=5,
        coders=["Ana Ruiz"], random_state=0,
    )  # fmt: skip
    key = ["doc_id", "field", "start", "end", "code"]
    exported = project.codes[project.codes["coder"] == machine]
    on_gold = exported[exported["doc_id"].isin(mine)]
    assert len(on_gold) == len(held_out) > 0
    assert sorted(map(tuple, on_gold[key].values.tolist())) == sorted(
        map(tuple, held_out[key].values.tolist())
    )
    # the stories nobody coded by hand keep the codes of the coder trained on all of them
    codes = pd.read_parquet(out / "codes.parquet")
    trained = codes[(codes["codebook"] == "value_cycles") & ~codes["doc_id"].isin(mine)]
    assert len(exported) - len(on_gold) == len(trained)
    with zipfile.ZipFile(out / "project.qdpx") as archive:
        qde = archive.read("project.qde").decode("utf-8")
    assert (
        "The machine's value-cycle codes were learned from Ana Ruiz's codes. On the 8 stories "
        "Ana Ruiz coded they are out-of-fold"
    ) in qde


def test_the_project_keeps_the_human_coders_own_codes(tmp_path, capsys) -> None:
    """Trial 43: her MAXQDA codes of her own ("Workload", "Emotional support") were left
    out of run's project.qdpx, so reading it back into MAXQDA lost them."""
    study = _study(tmp_path)
    (study / "gold").mkdir()
    (study / "gold" / "codes.csv").write_text(
        "doc_id,field,quote,code,coder\n"
        "survey-001,activities,We met every month,immediate,Amara\n"
        "survey-001,insights,I learned how to read a drainage survey,Workload,Amara\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["run", str(study), "--out", str(out), "--coder", "rules", "--no-progress"]) == 0
    project = read_refi(out / "project.qdpx", progress=False)
    hers = project.codes[project.codes["coder"] == "Amara"]
    names = dict(zip(project.code_map["code"], project.code_map["name"], strict=True))
    assert sorted(hers["code"].map(names)) == ["Immediate value", "Workload"]
    printed = capsys.readouterr().out
    assert "with the codes of Amara, rules:value_cycles@" in printed
    assert '(1 code of their own, as "Amara\'s own codes"), for NVivo' in printed


def test_a_file_given_for_a_study_folder_says_so(tmp_path, capsys) -> None:
    study = _study(tmp_path)
    assert main(["check", str(study / "stories" / "survey.csv")]) == 3
    assert "a file, not a study folder" in capsys.readouterr().err


def _study_with_broken_files(tmp_path):
    study = _study(tmp_path)
    (study / "stories" / "broken.xlsx").write_bytes(b"not a workbook at all")
    (study / "lists").mkdir()
    (study / "lists" / "clinic.md").write_text(
        "## Enablers\n- Protected time\n## Challenges\n- Staffing\n", encoding="utf-8"
    )
    (study / "lists" / "empty.csv").write_text("", encoding="utf-8")
    return study


def test_one_broken_file_stops_run_and_says_how_to_go_on(tmp_path, capsys) -> None:
    study = _study_with_broken_files(tmp_path)
    assert main(["run", str(study), "--coder", "rules", "--no-progress"]) == 3
    err = capsys.readouterr().err
    assert "broken.xlsx" in err
    assert f"'copanalysis check {study}' lists every file's problems" in err
    assert "--skip-unreadable" in err
    assert not (tmp_path / "my-study-processed" / "report.html").exists()


def test_skip_unreadable_runs_on_and_lists_each_file_left_out(tmp_path, capsys) -> None:
    study = _study_with_broken_files(tmp_path)
    argv = ["run", str(study), "--coder", "rules", "--no-progress", "--skip-unreadable"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    broken, empty = study / "stories" / "broken.xlsx", study / "lists" / "empty.csv"
    assert f"! {broken}: could not be read, left out: cannot read the workbook" in captured.out
    assert f"! {empty}: could not be read, left out: the file is empty" in captured.out
    assert (
        "warning: 2 file(s) could not be read and were left out (--skip-unreadable): "
        f"{broken}, {empty}" in captured.err
    )
    out = tmp_path / "my-study-processed"
    assert pd.read_parquet(out / "stories.parquet")["member"].tolist() == ["Ana"]
    assert pd.read_parquet(out / "items.parquet")["text"].tolist() == [
        "Protected time",
        "Staffing",
    ]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "broken.xlsx" in html and "could not be read, left out" in html
    assert "No inductive themes: the lists hold 2 item(s), fewer than the 20" in html


def test_report_takes_the_coder_min_confidence_and_skip_unreadable(tmp_path, capsys) -> None:
    study = _study_with_broken_files(tmp_path)
    out = tmp_path / "r.html"
    argv = ["report", str(study), "--out", str(out), "--no-progress", "--coder", "rules"]
    assert main(argv + ["--min-confidence", "0.6", "--skip-unreadable"]) == 0
    html = out.read_text(encoding="utf-8")
    assert "empty.csv" in html and "could not be read, left out" in html
    assert "coded by rules:value_cycles@" in html
    assert "every code the coders gave them was below 0.60 confidence" in html
    assert main(argv) == 3


def test_report_writes_beside_the_study_by_default(tmp_path, capsys) -> None:
    study = _study(tmp_path)
    assert main(["report", str(study), "--coder", "rules", "--no-progress"]) == 0
    written = tmp_path / "my-study-processed" / "report.html"
    assert written.is_file() and f"wrote {written}" in capsys.readouterr().out


def test_dates_nothing_settles_are_flagged_and_dayfirst_settles_them(tmp_path, capsys) -> None:
    study = tmp_path / "study"
    (study / "stories").mkdir(parents=True)
    (study / "stories" / "form.csv").write_text(
        "Date,Activities\n08/04/2025,A ward visit\n", encoding="utf-8"
    )
    assert main(["check", str(study)]) == 1
    assert (
        "! the day/month order of 'Date' is ambiguous (read month-first; if the day comes "
        "first, pass --dayfirst on the command line, or dayfirst=True in Python)"
    ) in capsys.readouterr().out
    assert main(["check", "--dayfirst", str(study)]) == 0
    from copanalysis.io import load_corpus

    assert str(load_corpus(study, progress=False, dayfirst=True).stories["date"].iloc[0])[:10] == (
        "2025-04-08"
    )
    assert str(load_corpus(study, progress=False).stories["date"].iloc[0])[:10] == "2025-08-04"


def test_sub_folders_are_found_in_any_case_and_number_and_others_are_named(tmp_path, capsys):
    study = _study(tmp_path)
    (study / "stories").rename(study / "Story")
    (study / "Grids").mkdir()
    (study / "Grids" / "grid.csv").write_text(
        "Respondent,Members short term\nAna,Quick answers\n", encoding="utf-8"
    )
    (study / "enablers").mkdir()
    (study / ".git").mkdir()
    assert main(["check", str(study)]) == 1
    printed = capsys.readouterr().out
    assert "Story/stories.csv" not in printed and "Story/survey.csv" in printed
    assert "Grids/grid.csv" in printed
    assert (
        "! enablers/ not read: a study folder is read from stories/, lists/, roles/, grid/ and "
        "gold/ (rename it to the one that fits what it holds)"
    ) in printed
    assert ".git" not in printed
    from copanalysis.io import load_corpus

    corpus = load_corpus(study, progress=False)
    assert len(corpus.grid) == 1 and len(corpus.stories) == 1
    assert corpus.unknown_folders == (study / "enablers",)
    (study / "Story").rename(study / "interviews")
    (study / "Grids").rename(study / "sheets")
    with pytest.raises(CopanalysisError, match=r"found enablers/, interviews/, sheets/: rename"):
        load_corpus(study, progress=False)


def test_out_names_a_folder_for_run_and_a_file_or_folder_for_report(tmp_path, capsys) -> None:
    from copanalysis.cli import _parse, _parser

    taken = tmp_path / "results.txt"
    taken.write_text("", encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        main(["run", str(tmp_path), "--out", str(taken)])
    assert exited.value.code == 2
    assert f"argument --out: '{taken}' is a file; give a folder for the outputs" in (
        capsys.readouterr().err
    )
    (tmp_path / "existing").mkdir()
    for given, written in [
        (f"{tmp_path}/new/", tmp_path / "new" / "report.html"),
        (str(tmp_path / "existing"), tmp_path / "existing" / "report.html"),
        (str(tmp_path / "results"), tmp_path / "results" / "report.html"),
        (str(tmp_path / "final.html"), tmp_path / "final.html"),
    ]:
        assert _parse(_parser(), ["report", str(tmp_path), "--out", given]).out == written


def test_a_quiet_run_still_says_that_choosing_the_coder_takes_minutes(raw_dir, capsys) -> None:
    """Trial 19: with --no-progress, run was silent for 7 minutes while it chose the coder."""
    from copanalysis.cli import _print_choosing
    from copanalysis.io import load_corpus

    corpus = load_corpus(raw_dir, progress=False)
    _print_choosing(corpus, "best", progress=False)
    said = capsys.readouterr().err
    assert said.startswith("copanalysis: Choosing the coder of the value cycles: ")
    assert "This takes minutes; --coder NAME" in said
    _print_choosing(corpus, "best", progress=True)  # the bars' own line says it then
    _print_choosing(corpus, "rules", progress=False)  # nothing to choose
    assert capsys.readouterr().err == ""


def test_by_compares_groups_and_an_unknown_column_stops_before_coding(tmp_path, capsys) -> None:
    study = tmp_path / "study"
    (study / "stories").mkdir(parents=True)
    for wave in (1, 2):
        (study / "stories" / f"wave{wave}.csv").write_text(
            "District,What did you learn?\nSiaya,We learned to space the maize rows.\n",
            encoding="utf-8",
        )
    out = tmp_path / "out"
    # a wrong command line (2), not an unreadable file (3), with no word of unreadable files
    assert main(["run", str(study), "--out", str(out), "--coder", "rules", "--by", "wave",
                 "--no-progress"]) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert "no column 'wave' in the stories to group them by; they have" in err
    assert "--skip-unreadable" not in err
    assert not out.exists()
    # trial 44: a column read as a field is named with its field
    assert main(["run", str(study), "--out", str(out), "--coder", "rules", "--by", "district",
                 "--no-progress"]) == 2  # fmt: skip
    assert (
        "no column 'district' in the stories to group them by: column 'District' of "
        f"{study / 'stories' / 'wave1.csv'} was read as 'community' (--by community)"
    ) in capsys.readouterr().err
    assert main(["run", str(study), "--out", str(out), "--coder", "rules", "--by", "file",
                 "--no-progress"]) == 0  # fmt: skip
    reach = pd.read_csv(out / "tables" / "reach_by_file.csv")
    assert reach[["file", "stories"]].values.tolist() == [["wave1.csv", 1], ["wave2.csv", 1]]
    assert (out / "figures" / "cycles_by_file.png").exists()
    (study / "stories" / "wave1.csv").write_text(  # a column name with a space
        "Your subject,What did you learn?\nBiology,We learned to run the titration.\n"
    )
    (study / "stories" / "wave2.csv").unlink()
    assert main(["run", str(study), "--out", str(out), "--coder", "rules", "--by",
                 "Your subject", "--no-progress"]) == 0  # fmt: skip
    assert (out / "tables" / "reach_by_your_subject.csv").exists()
    assert "Value by Your subject" in (out / "report.html").read_text(encoding="utf-8")


QC_DEMO = (
    Path(__file__).parents[1].parent
    / "shared"
    / "refi"
    / "samples"
    / "qualitative-coding-qc-1.3.2-demo.qdpx"
)


@pytest.mark.skipif(
    not QC_DEMO.exists() and not os.environ.get("CI"), reason=f"{QC_DEMO} not found"
)
@pytest.mark.filterwarnings("ignore:qualitative-coding-qc:UserWarning")  # said by the CLI
def test_import_refi_writes_a_real_projects_stories_and_codes_that_check_loads(
    tmp_path, capsys
) -> None:
    """Trial 34: a CLI-only user could not use a MAXQDA team's .qdpx at all."""
    from copanalysis.io import load_corpus
    from copanalysis.io.refi_study import plain_newlines

    study = tmp_path / "study"
    assert main(["import-refi", str(QC_DEMO), str(study), "--no-progress"]) == 0
    said = capsys.readouterr()
    assert "copanalysis: warning: qualitative-coding-qc-1.3.2-demo.qdpx: repeated" in said.err
    out = said.out.splitlines()
    name = "qualitative-coding-qc-1.3.2-demo.csv"
    assert out == [
        f"Wrote {study / 'stories' / name}: 2 stories (the project's text sources)",
        f"Wrote {study / 'gold' / name}: 205 codes by 1 coder (cp)",
        f"Next: copanalysis check {study}",
    ]
    assert main(["check", str(study)]) == 1  # loaded; qc's own codes are no built-in's
    said = capsys.readouterr().out
    assert "stories: 2 rows from 1 file" in said and "codes: 205 rows from 1 file" in said
    assert "205 code(s) of no built-in codebook" in said
    project = read_refi(QC_DEMO, progress=False)
    corpus = load_corpus(study, progress=False)
    assert corpus.stories["story_id"].tolist() == project.stories["story_id"].tolist()
    texts = [plain_newlines(t, np.array([0]))[0] for t in project.stories["story"]]
    assert corpus.stories["story"].tolist() == texts
    gold = corpus.gold.sort_values(["doc_id", "start", "end"], kind="stable")
    assert len(gold) == 205 and set(gold["coder"]) == {"cp"}
    assert set(gold["doc_id"]) == set(project.codes["doc_id"])
    # the codes keep their names as the project has them, from the top of the hierarchy
    assert "rq1_definition\\practices\\computational_thinking" in set(gold["code"])
    assert gold["code"].nunique() == project.codes["code"].nunique()


def test_import_refi_reads_a_qda_teams_code_names_and_refuses_to_overwrite(
    tmp_path, capsys
) -> None:
    """A MAXQDA-style project: its own codebook, code paths, British spelling, Windows line
    breaks and two coders; a second import overwrites nothing without --force."""
    from copanalysis.codebooks.codebook import Code, Codebook
    from copanalysis.io import load_corpus, write_qdpx

    book = Codebook(
        "PFM evaluation",
        "1",
        (
            Code("potential", "Potential value"),
            Code("human", "Human capital", parent="potential"),
            Code("realised", "Realised value"),
            Code("quotes", "Quotes for report"),
        ),
    )
    text = "I: What changed?\r\nNatalia: I learned to read a budget.\r\nWe now publish it."
    stories = pd.DataFrame({"story_id": ["INT01", "INT02"], "story": [text, "Nothing yet."]})
    spans = [
        ("I learned to read a budget.", "human", "Dina"),
        ("We now publish it.", "realised", "Dina"),
        ("We now publish it.", "quotes", "Tom"),
    ]
    codes = pd.DataFrame(
        [
            {
                "doc_id": "INT01",
                "field": "story",
                "start": text.index(q),
                "end": text.index(q) + len(q),
                "code": c,
                "codebook": "PFM evaluation",
                "coder": who,
            }  # fmt: skip
            for q, c, who in spans
        ]
    )
    qdpx = write_qdpx(
        tmp_path / "PFM.qdpx", codebook=book, stories=stories, codes=codes, progress=False
    )
    study = tmp_path / "study"
    assert main(["import-refi", str(qdpx), str(study), "--no-progress"]) == 0
    assert "3 codes by 2 coders (Dina, Tom)" in capsys.readouterr().out
    corpus = load_corpus(study, progress=False)
    assert corpus.stories["story_id"].tolist() == ["INT01", "INT02"]
    gold = corpus.gold.sort_values(["start", "coder"])
    assert gold[["quote", "code", "coder"]].values.tolist() == [
        ["I learned to read a budget.", "potential_human", "Dina"],
        ["We now publish it.", "realized", "Dina"],
        ["We now publish it.", "Quotes for report", "Tom"],
    ]

    written = {p: p.read_bytes() for p in study.rglob("*.csv")}
    assert main(["import-refi", str(qdpx), str(study), "--no-progress"]) == 3
    err = capsys.readouterr().err
    assert "already exist (an earlier import?); nothing was written" in err
    assert "--force" in err
    assert {p: p.read_bytes() for p in study.rglob("*.csv")} == written
    assert main(["import-refi", str(qdpx), str(study), "--force", "--no-progress"]) == 0
    assert {p: p.read_bytes() for p in study.rglob("*.csv")} == written


def test_check_names_import_refi_for_a_project_in_a_study_folder(tmp_path, capsys) -> None:
    study = _study(tmp_path)
    (study / "gold").mkdir()
    (study / "gold" / "team.qdpx").write_bytes(b"PK")
    assert main(["check", str(study)]) == 1
    said = capsys.readouterr().out
    assert f"copanalysis import-refi {study / 'gold' / 'team.qdpx'} STUDY_DIR" in said


REVIEWED = (
    "Timestamp,Name of your community / network,Your name,"
    "What meaningful activities did you participate in?,What specific insights did you gain?\n"
    "2025/01/10 10:10:00,Harbour Engineers,Ana,We met every month and shared our experience,"
    "I learned how to read a drainage survey and now I use the checklist on every site\n"
    "2025/01/11 09:00:00,Harbour Engineers,Bo,We visited a site together,"
    "We changed how the team plans inspections and it saved us two days a month\n"
    "2025/01/12 09:00:00,Harbour Engineers,Cy,I joined a webinar,"
    "It gave me new ideas and I now feel more confident\n"
)


def test_review_sheet_writes_the_machines_codes_and_reads_back(tmp_path, capsys) -> None:
    """The review sheet from the command line: the rule coder's value-cycle codes (as
    ``code`` gives them), least confident first; with gold/, only the stories nobody coded;
    read back with import_review."""
    import copanalysis as cop
    from copanalysis.io import import_review, load_stories
    from copanalysis.io.review import REVIEW_COLUMNS

    study = tmp_path / "ward"
    (study / "stories").mkdir(parents=True)
    (study / "stories" / "survey.csv").write_text(REVIEWED, encoding="utf-8")
    sheet = tmp_path / "sheet.csv"
    argv = ["review-sheet", str(study), "--coder", "rules", "--no-progress"]
    assert main([*argv, "--out", str(sheet)]) == 0
    said = capsys.readouterr().out.splitlines()
    assert said[0] == (
        f"Wrote {sheet}: 9 value-cycle codes in 3 stories, least confident first; value "
        "cycles by rules:value_cycles@2011.3 (as asked)."
    )
    assert said[1].endswith(f"copanalysis.import_review({str(sheet)!r}, reviewer=NAME))")
    rows = pd.read_csv(sheet, dtype={"decision": str})
    assert rows.columns.tolist() == list(REVIEW_COLUMNS)
    assert rows["doc_id"].value_counts().to_dict() == {
        "survey-001": 5, "survey-003": 3, "survey-002": 1,
    }  # fmt: skip
    assert rows["confidence"].is_monotonic_increasing
    stories = load_stories(study / "stories", progress=False)
    assert len(rows) == len(cop.code(stories, "value_cycles", coder="rules", progress=False))

    # with human codes of the first story, the sheet holds the other two stories' codes
    (study / "gold").mkdir()
    (study / "gold" / "ana.csv").write_text(
        "doc_id,field,quote,code,coder\n"
        "survey-001,insights,I learned how to read a drainage survey,potential,Ana\n",
        encoding="utf-8",
    )
    assert main(argv) == 0  # into the folder run writes to
    written = tmp_path / "ward-processed" / "review.xlsx"
    assert capsys.readouterr().out.startswith(
        f"Wrote {written}: 4 value-cycle codes in 2 stories nobody coded in gold/, "
    )
    filled = tmp_path / "filled.csv"
    back = pd.read_excel(written, dtype={"decision": str}, engine="openpyxl")
    assert back["doc_id"].tolist() == ["survey-002", "survey-003", "survey-003", "survey-003"]
    back.assign(decision=["accept", "reject", "accept", "accept"]).to_csv(filled, index=False)
    reviewed = import_review(filled, reviewer="Dina")
    assert len(reviewed) == 3 and set(reviewed["coder"]) == {"Dina"}
    assert len(reviewed.attrs["reviewed"]) == 4


def test_review_sheet_is_in_the_help(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "review-sheet" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["review-sheet", "--help"])
    text = capsys.readouterr().out
    assert "usage: copanalysis review-sheet [-h] [--out OUT]" in text
    assert "review.xlsx in the folder 'run' writes to" in " ".join(text.split())


def _filled_review(study: Path, sheet: Path) -> None:
    """The rule coder's review sheet of ``study``, filled in as Dina's: the second row
    rejected, the third corrected to "realised" (a label, read as ``realized``), the last
    left undecided, the others accepted; saved as ``gold/Dina.csv``."""
    assert main(["review-sheet", str(study), "--coder", "rules", "--no-progress", "--out",
                 str(sheet)]) == 0  # fmt: skip
    rows = pd.read_csv(sheet, dtype=str, keep_default_na=False)
    decisions = ["accept"] * len(rows)
    decisions[1], decisions[2], decisions[-1] = "reject", "other", ""
    others = [""] * len(rows)
    others[2] = "realised"
    (study / "gold").mkdir()
    rows.assign(decision=decisions, other_code=others).to_csv(study / "gold" / "Dina.csv",
                                                              index=False)  # fmt: skip


def test_a_filled_review_sheet_in_gold_is_read_as_the_reviewers_codes(tmp_path, capsys) -> None:
    """A review sheet saved in gold/ under the reviewer's name: check names the undecided
    row, report says what was read, and the agreement is scored on the passages decided on
    and said not to be independent of the machine."""
    import html

    import copanalysis as cop

    study = tmp_path / "ward"
    (study / "stories").mkdir(parents=True)
    (study / "stories" / "survey.csv").write_text(REVIEWED, encoding="utf-8")
    _filled_review(study, tmp_path / "sheet.csv")
    said = capsys.readouterr().out.splitlines()
    assert said[1].startswith(
        f"Fill in 'decision' (accept, reject, or other with the code in 'other_code'), then "
        f"save the sheet in {study / 'gold'}{os.sep} under the reviewer's name "
        f"({study / 'gold' / 'Dina.csv'}), or name it with --review {tmp_path / 'sheet.csv'} "
        "--reviewer Dina: check, run and report read it as Dina's codes"
    )

    assert main(["check", str(study)]) == 1
    checked = capsys.readouterr().out
    assert "review sheet (csv)): 9 rows" in checked
    assert "coders: Dina (7 codes in 2 documents)" in checked
    assert "note: 1 row with no decision (row 10) not read: neither accepted nor rejected" in (
        checked
    )
    assert "! 1 row(s) of the review sheet with no decision, not read (listed above)" in checked

    report = tmp_path / "report.html"
    argv = ["report", str(study), "--coder", "rules", "--no-progress", "--out", str(report)]
    assert main(argv) == 0
    said = capsys.readouterr().out.splitlines()
    assert said[:3] == [
        f"Read {study / 'gold' / 'Dina.csv'}: a filled review sheet, read as Dina's codes (the "
        "reviewer is named after the file): 6 accepted, 1 corrected (the code in other_code), "
        "1 rejected (read as not that code), 1 left undecided.",
        "  Dina reviewed the machine's codes, so Dina's codes are not independent of the "
        "machine: agreement with them flatters it.",
        "  1 row with no decision (row 10) not read: neither accepted nor rejected, their "
        "passages count as unread.",
    ]
    text = " ".join(html.unescape(report.read_text(encoding="utf-8")).split())
    assert "on 3 stories; Dina's codes are a review of the machine's codes" in text

    corpus = cop.load_corpus(study, progress=False)
    gold = corpus.gold
    # survey-002's only code rejected, survey-001's potential_tangible corrected
    assert gold[["doc_id", "code"]].values.tolist() == [
        ["survey-001", "applied"], ["survey-001", "realized"], ["survey-003", "potential"],
        ["survey-001", "immediate"], ["survey-001", "potential"],
        ["survey-001", "potential_human"], ["survey-003", "immediate"],
    ]  # fmt: skip
    assert gold["evidence"].iloc[1] == "review (other) of rules:value_cycles@2011.3"
    assert set(gold["coder"]) == {"Dina"}
    assert list(cop.io.review.reviewed_by(gold)) == ["Dina"]
    findings = cop.analyse(corpus, coder="rules", progress=False)
    agreement = findings.tables["agreement"]
    # the five sentences with a decision (of seven), in the three stories Dina read
    assert agreement["units"].tolist() == [5, 5, 5, 5, 5, 25]
    assert findings.tables["evaluation"].attrs["units"] == 5  # scored on them too
    assert "reach_by_community_human" not in findings.tables


def test_a_review_sheet_named_on_the_command_line_is_read_as_in_gold(tmp_path, capsys) -> None:
    """--review FILE reads a filled sheet where it was saved, as gold/ would (trial 36:
    it only worked once moved into gold/ and renamed)."""
    import copanalysis as cop

    study = tmp_path / "ward"
    (study / "stories").mkdir(parents=True)
    (study / "stories" / "survey.csv").write_text(REVIEWED, encoding="utf-8")
    _filled_review(study, tmp_path / "sheet.csv")
    filled = tmp_path / "review.csv"
    (study / "gold" / "Dina.csv").rename(filled)
    (study / "gold").rmdir()
    capsys.readouterr()

    assert main(["check", str(study), "--review", str(filled), "--reviewer", "Dina"]) == 1
    checked = capsys.readouterr().out
    assert "coders: Dina (7 codes in 2 documents)" in checked
    assert "! 1 row(s) of the review sheet with no decision, not read (listed above)" in checked

    named = cop.load_corpus(study, progress=False, review=filled, reviewer="Dina").gold
    assert named[["doc_id", "code"]].values.tolist() == [
        ["survey-001", "applied"], ["survey-001", "realized"], ["survey-003", "potential"],
        ["survey-001", "immediate"], ["survey-001", "potential"],
        ["survey-001", "potential_human"], ["survey-003", "immediate"],
    ]  # fmt: skip
    assert list(cop.io.review.reviewed_by(named)) == ["Dina"]
    # without --reviewer, the reviewer is named after the file
    unnamed = cop.load_corpus(study, progress=False, review=filled).gold
    assert set(unnamed["coder"]) == {"review"}

    # a table of codes is no review sheet: check says so, naming the file
    codes = tmp_path / "codes.csv"
    codes.write_text("doc_id,code,coder\nsurvey-001,applied,Ana\n", encoding="utf-8")
    assert main(["check", str(study), "--review", str(codes)]) == 3
    assert (
        f"{codes}: not a filled review sheet: its header needs doc_id, code and decision"
        in capsys.readouterr().out
    )


def test_a_review_sheet_beside_a_persons_own_codes(tmp_path, capsys) -> None:
    """With a person's own codes in gold/, they are the yardstick and the review sheet is
    no human-vs-human comparison; a review sheet named after a person whose own codes are
    there stops check and run, naming the file."""
    import copanalysis as cop

    study = tmp_path / "ward"
    (study / "stories").mkdir(parents=True)
    (study / "stories" / "survey.csv").write_text(REVIEWED, encoding="utf-8")
    _filled_review(study, tmp_path / "sheet.csv")
    (study / "gold" / "ana.csv").write_text(
        "doc_id,field,quote,code,coder\n"
        "survey-001,insights,I learned how to read a drainage survey,potential,Ana\n"
        "survey-003,insights,It gave me new ideas,potential,Ana\n",
        encoding="utf-8",
    )
    corpus = cop.load_corpus(study, progress=False)
    assert corpus.gold["coder"].value_counts().to_dict() == {"Dina": 7, "Ana": 2}
    report = corpus.gold.attrs["load_report"]
    assert [e["format"] for e in report["files"]] == ["review sheet (csv)", "csv"]
    findings = cop.analyse(corpus, coder="rules", progress=False)
    compared = set(findings.tables["agreement"].attrs["coders"])
    assert compared == {"rules:value_cycles@2011.3", "Ana"}
    assert findings.tables["agreement"]["units"].iloc[0] == 4  # every sentence of 2 stories
    assert "agreement_humans" not in findings.tables

    (study / "gold" / "ana.csv").rename(study / "gold" / "team.csv")
    (study / "gold" / "Dina.csv").rename(study / "gold" / "Ana.csv")
    with pytest.raises(CopanalysisError, match="rename the review sheet") as said:
        cop.load_corpus(study, progress=False)
    assert said.value.path == str(study / "gold" / "Ana.csv")
    capsys.readouterr()
    assert main(["check", str(study)]) == 3
    assert f"x {study / 'gold' / 'Ana.csv'}: a review sheet is read as the codes of 'Ana'" in (
        capsys.readouterr().out
    )


def test_report_and_run_chart_the_codes_a_corpus_was_streamed_to(
    tmp_path, capsys, coded_frames
) -> None:
    # trial 41: the README's large-corpus path ends at a Parquet file of codes, and the
    # report coded all 18,086 stories again
    import copanalysis as cop
    from copanalysis.io import write_codes_parquet

    study = _study(tmp_path)
    stories = cop.load_corpus(study, progress=False).stories
    streamed = write_codes_parquet(
        cop.iter_codes(stories, "value_cycles", coder="rules", progress=False),
        tmp_path / "codes.parquet",
    )
    asked = coded_frames
    asked.clear()  # the stories were coded once, to stream them
    out = tmp_path / "r.html"
    argv = ["report", str(study), "--out", str(out), "--no-progress", "--codes", str(streamed)]
    assert main(argv) == 0
    assert ("stories", "value_cycles") not in asked and ("stories", "strategic_grid") in asked
    assert "codes given, made before this analysis" in out.read_text(encoding="utf-8")
    # trial 42: run had no --title; the report pasted into a council's report needs one
    assert main(["run", str(study), "--out", str(tmp_path / "out"), "--no-progress",
                 "--codes", str(streamed), "--title", "Engineers' network 2025"]) == 0  # fmt: skip
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "<title>Engineers&#39; network 2025</title>" in html
    saved = pd.read_parquet(tmp_path / "out" / "codes.parquet")
    assert len(saved[saved["codebook"] == "value_cycles"]) == len(pd.read_parquet(streamed))
    assert ("stories", "value_cycles") not in asked
    # codes of another study stop before anything is written
    other = pd.read_parquet(streamed).assign(doc_id="someone-else")
    other.to_parquet(tmp_path / "other.parquet")
    argv[-1] = str(tmp_path / "other.parquet")
    capsys.readouterr()
    assert main(argv) == 3
    assert "with no text in this corpus ('someone-else')" in capsys.readouterr().err


@pytest.mark.slow  # fits the semantic coder in an empty cache: about a minute
def test_ctrl_c_after_the_semantic_coder_names_what_it_cached(tmp_path, capsys, monkeypatch):
    """The semantic coder keeps its embeddings, the sentence bounds and its fit."""
    pytest.importorskip("sentence_transformers")
    import copanalysis.report as report
    from copanalysis.coding import api

    # a fresh process, as on the command line: no coder fitted by an earlier test in memory
    api._fitted_default.cache_clear()
    folder = tmp_path / "study"
    (folder / "stories").mkdir(parents=True)
    (folder / "stories" / "survey.csv").write_text(SURVEY, encoding="utf-8")
    cache = tmp_path / "cache"
    monkeypatch.setenv("COPANALYSIS_CACHE_DIR", str(cache))

    def interrupted(findings):
        raise KeyboardInterrupt

    monkeypatch.setattr(report, "report_figures", interrupted)
    out = tmp_path / "results"
    argv = ["run", str(folder), "--out", str(out), "--coder", "semantic", "--no-progress"]
    assert main(argv) == 130
    assert capsys.readouterr().err.endswith(
        f"copanalysis: interrupted. {out} may be incomplete. Run the same command again: the "
        f"embeddings, sentence bounds and fitted coders made so far are kept in {cache} and "
        "are not made again; the rest starts over.\n"
    )


def test_import_refi_of_a_project_that_coded_the_studys_own_forms(tmp_path, capsys) -> None:
    """Trial 42: 15 Word forms coded in ATLAS.ti and imported into the study that holds
    them were 15 stories more, counted twice, with no word; --codes-only writes the codes
    onto the forms' stories."""
    from copanalysis.io import load_codebook, load_corpus, write_qdpx

    study = tmp_path / "study"
    (study / "stories").mkdir(parents=True)
    (study / "stories" / "forms.csv").write_text(
        "Name,What specific insights did you gain?,How did this influence your practice?\n"
        "Gareth,Riverside had modelled the same culvert in 2023.,I reuse their calcs now.\n"
        "Sian,We compared three inspection apps side by side.,We all use one app now.\n",
        encoding="utf-8",
    )
    form = (
        "Engineers' network story form\nName: Gareth\nWhat specific insights did you gain?\n"
        "Riverside had modelled the same culvert in 2023.\n"
        "How did this influence your practice?\nI reuse their calcs now."
    )
    other = "Notes from the depot visit: we walked the drainage route together."
    documents = pd.DataFrame({"story_id": ["VCS 01 Gareth", "Visit"], "story": [form, other]})
    spans = [("VCS 01 Gareth", form, "I reuse their calcs now.", "applied"),
             ("Visit", other, "we walked the drainage route together", "immediate")]  # fmt: skip
    codes = pd.DataFrame(
        [
            {
                "doc_id": d,
                "field": "story",
                "start": t.index(q),
                "end": t.index(q) + len(q),
                "code": c,
                "codebook": "value_cycles",
                "coder": "Priya",
            }  # fmt: skip
            for d, t, q, c in spans
        ]
    )
    qdpx = write_qdpx(
        tmp_path / "VCS.qdpx",
        codebook=load_codebook("value_cycles"),
        stories=documents,
        codes=codes,
        progress=False,
    )
    assert main(["import-refi", str(qdpx), str(study), "--no-progress"]) == 0
    said = capsys.readouterr()
    assert "Wrote" in said.out and "2 stories" in said.out
    assert (
        "1 of the project's documents are copies of stories already in "
        f"{study / 'stories'} ('VCS 01 Gareth' of 'forms-001', ...)"
    ) in said.err
    assert "--codes-only --force" in said.err
    assert len(load_corpus(study, progress=False).stories) == 4  # the form twice

    argv = ["import-refi", str(qdpx), str(study), "--codes-only", "--force", "--no-progress"]
    assert main(argv) == 0
    assert "1 of the project's documents are copies of stories in" in capsys.readouterr().out
    corpus = load_corpus(study, progress=False)
    assert sorted(corpus.stories["story_id"]) == ["Visit", "forms-001", "forms-002"]
    gold = corpus.gold.sort_values("doc_id")
    assert gold[["doc_id", "field", "quote", "code"]].values.tolist() == [
        ["Visit", "story", "we walked the drainage route together", "immediate"],
        ["forms-001", "practice", "I reuse their calcs now.", "applied"],
    ]


def test_run_with_the_language_model_says_what_its_answers_lost(
    tmp_path, capsys, monkeypatch
) -> None:
    # trial 47: codes the model gave outside the codebook were dropped with no word
    pytest.importorskip("openai")  # the [llm] extra
    from llm_chat_server import ChatServer, codes_reply

    study = tmp_path / "study"
    (study / "stories").mkdir(parents=True)
    (study / "stories" / "network.csv").write_text(
        "story_id,How did this influence your practice?\n"
        "s1,We now plan every session in threes.\n",
        encoding="utf-8",
    )
    unknown = codes_reply(("networking", "We now plan every session in threes.", 1, "no cycle"))
    with ChatServer(lambda request: unknown) as server:
        monkeypatch.setenv("COPANALYSIS_LLM_BASE_URL", server.url)
        monkeypatch.setenv("COPANALYSIS_LLM_MODEL", "scripted")
        status = main(["run", str(study), "--out", str(tmp_path / "out"), "--coder", "llm"])
    assert status == 0
    err = capsys.readouterr().err
    assert (
        "copanalysis: warning: the language model: 1 of the 1 codes the model gave was "
        "dropped: 1 with a code not in the codebook.\n"
    ) in err
    assert "UserWarning" not in err  # said once, by the command, not per batch
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "1 of the 1 codes the model gave was dropped" in html
