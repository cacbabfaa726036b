"""study.analyse: the coder choice and the tables a report reads."""

from __future__ import annotations

import dataclasses

import pytest

from copanalysis.errors import SchemaError
from copanalysis.schema import empty
from copanalysis.study import analyse


def test_rules_findings_have_every_report_table(findings) -> None:
    expected = {
        "evaluation",
        "agreement",
        "agreement_humans",
        "frequencies",
        "frequencies_by_community",
        "grid_placements",
        "grid",
        "grid_codes",
        "worksheet_placements",
        "worksheet_grid",
        "worksheet_grid_codes",
        "paths",
        "flows",
        "cooccurrence",
        "quantities",
        "themes",
        "inductive_themes",
        "roles",
        "role_themes",
    }
    assert expected <= set(findings.tables)
    assert findings.coder.startswith("rules:value_cycles@")
    # every story gets a path row, and the grid summary always has its four cells
    assert len(findings.tables["paths"]) == len(findings.corpus.stories)
    assert len(findings.tables["grid"]) == 4
    grid_codes = findings.tables["grid_codes"]
    assert grid_codes["n"].sum() == findings.tables["grid"]["n"].sum()
    # the grid worksheets' answers stay in their own cells, by respondent
    from copanalysis.frames import text_units

    answers = text_units(findings.corpus.grid)
    placed = findings.tables["worksheet_placements"]
    assert set(placed["doc_id"]) <= set(findings.corpus.grid["respondent"])
    cells = placed["beneficiary"].astype(str) + "_" + placed["horizon"].astype(str)
    assert (cells == placed["field"]).all()
    assert 0 < len(placed[["doc_id", "field"]].drop_duplicates()) <= len(answers)
    worksheet = findings.tables["worksheet_grid"].set_index(["beneficiary", "horizon"])
    respondents = placed.groupby(["beneficiary", "horizon"], observed=True)["doc_id"].nunique()
    assert worksheet.loc[respondents.index, "n_docs"].tolist() == respondents.tolist()
    # the rule coder is scored on every story (nothing to learn)
    assert set(findings.tables["evaluation"]["coder"]) == {"rules"}


def test_agreement_compares_the_codes_every_human_coder_used(findings) -> None:
    gold = findings.corpus.gold
    shared = set.intersection(*(set(g) for _, g in gold.groupby("coder")["code"]))
    for name in ("agreement", "agreement_humans"):
        codes = set(findings.tables[name]["code"]) - {"(all codes)"}
        assert codes <= shared


def test_without_human_codes_the_stories_get_the_default_coder(corpus) -> None:
    pytest.importorskip("sentence_transformers")  # the default follows the installed coders
    stories = corpus.stories.head(12)
    small = dataclasses.replace(corpus, stories=stories, gold=empty("codes"))
    result = analyse(small, progress=False)
    cycles = result.codes_for("value_cycles")
    cycles = cycles[cycles["doc_id"].isin(stories["story_id"])]
    assert len(cycles)
    assert cycles["coder"].str.startswith("semantic:value_cycles@").all()
    assert "no human codes" in result.coder
    assert "agreement" not in result.tables and "evaluation" not in result.tables


def test_selective_coding_is_counted_and_said_in_the_report(corpus) -> None:
    from copanalysis.report import _summary

    small = dataclasses.replace(
        corpus,
        stories=corpus.stories.head(12),
        items=corpus.items.head(20),
        roles=corpus.roles.head(0),
        grid=corpus.grid.head(0),
        gold=empty("codes"),
    )
    sure = analyse(small, min_confidence=0.5, progress=False)
    uncoded = sure.tables["uncoded"].set_index(["frame", "codebook"])["left_uncoded"]
    assert uncoded.sum() > 0
    assert (sure.codes["confidence"] >= 0.5).all()
    # the charts' tables carry the count, and the report's summary says it
    frequencies = sure.tables["frequencies"]
    assert frequencies.attrs["abstained"] == uncoded[("stories", "value_cycles")]
    said = [line for line in _summary(sure)["findings"] if "left uncoded" in line]
    assert said and said[0].startswith(f"{uncoded.sum()} passages were left uncoded rather")
    # the total says what it adds up, naming only the codebooks with passages left out
    names = {
        "value_cycles": "value cycles",
        "strategic_grid": "strategic grid",
        "enablers_challenges": "enablers and challenges",
    }
    frames = {"stories": "in the stories", "items": "in the enabler/challenge lists",
              "roles": "in the role worksheets", "grid": "in the grid worksheets"}  # fmt: skip
    for (frame_name, book), n in uncoded.items():  # each frame named (trial 23: "85 in the
        # value cycles, ..., 28 in the value cycles" named no frame)
        assert (f"{n} {frames[frame_name]} for the {names[book]}" in said[0]) == bool(n)
    assert said[0].endswith("so every count here is a floor.")
    # documents with no code at all are counted too, whatever made them so
    without = sure.tables["uncoded"].set_index(["frame", "codebook"])["without_codes"]
    cycles = sure.codes_for("value_cycles")
    expected = set(small.stories["story_id"]) - set(cycles["doc_id"])
    assert without[("stories", "value_cycles")] == len(expected)
    import pandas as pd

    from copanalysis.study import _without_codes

    frame = pd.DataFrame({"story_id": ["a", "b", "c"], "practice": ["We met.", "Xyz.", None]})
    assert _without_codes(frame, pd.DataFrame({"doc_id": ["a"]})) == 1  # c has no text
    # and answers: a story coded in one answer but not in another counts that answer
    from copanalysis.study import _answers_without_codes

    two = pd.DataFrame({"story_id": ["a"], "practice": ["We met."], "organization": ["Sales."]})
    coded = pd.DataFrame({"doc_id": ["a"], "field": ["practice"]})
    assert _answers_without_codes(two, coded) == 1  # "Sales." got no code: now counted
    answers = sure.tables["uncoded"].set_index(["frame", "codebook"])["answers_without_codes"]
    assert answers[("stories", "value_cycles")] >= without[("stories", "value_cycles")]


def test_a_study_with_nothing_to_code_still_gives_its_tables_and_report(corpus) -> None:
    import pandas as pd

    from copanalysis.report import build_report

    stories = corpus.stories.head(2).copy()
    for column in ("activities", "insights", "practice", "development", "organization"):
        stories[column] = pd.NA
    stories["story"] = ["Xyz qwv.", "Blorp zzt."]
    bare = dataclasses.replace(
        corpus,
        stories=stories,
        items=corpus.items.head(0),
        roles=corpus.roles.head(0),
        grid=corpus.grid.head(0),
        gold=empty("codes"),
    )
    result = analyse(bare, coder="rules", progress=False)
    assert result.codes.empty
    assert len(result.tables["paths"]) == 2
    assert result.tables["paths"]["reach"].isna().all()  # no cycle reached
    assert "<html" in build_report(result, {})


def test_agreement_under_a_threshold_is_of_the_codes_the_charts_count(corpus, findings) -> None:
    import pandas as pd

    from copanalysis.analysis.agreement import agreement
    from copanalysis.coding.segments import segment
    from copanalysis.report import _summary

    sure = analyse(corpus, coder="rules", min_confidence=0.5, progress=False)
    stories = corpus.stories
    kept = sure.codes_for("value_cycles")
    kept = kept[kept["doc_id"].isin(stories["story_id"])]
    assert (kept["confidence"] >= 0.5).all()
    human = corpus.gold[corpus.gold["codebook"] == "value_cycles"]
    main, other = map(str, human["coder"].value_counts().index)
    shared = set.intersection(*(set(g) for _, g in human.groupby("coder")["code"]))
    pair = pd.concat([human[human["coder"] == main], kept], ignore_index=True)
    read = set(human.loc[human["coder"] == main, "doc_id"])
    expected = agreement(
        pair[pair["code"].isin(shared)],
        codebook="value_cycles",
        unit="segment",
        segments=segment(stories),
        documents={c: read for c in kept["coder"].unique()},  # it found nothing sure: "no code"
        random_state=0,
    )
    pd.testing.assert_frame_equal(sure.tables["agreement"], expected)
    assert not sure.tables["agreement"].equals(findings.tables["agreement"])
    said = [line for line in _summary(sure)["findings"] if "Krippendorff" in line]
    # the coders compared are named (trial 34: "the human coder", "two human coders")
    assert (main, other) == ("Ana Ruiz", "Kwame Mensah")
    assert (
        "On stories it was not trained on, the rule coder agrees with Ana Ruiz (its codes at "
        "0.50 confidence or more) at Krippendorff's alpha "
    ) in said[0]
    # how many stories each figure is on, and the machine on the yardstick's own stories
    every = set.intersection(*(set(g) for _, g in human.groupby("coder")["doc_id"]))
    n_main = human.loc[human["coder"] == main, "doc_id"].nunique()
    assert (
        f", on {n_main} stories; on the {len(every)} stories Ana Ruiz and Kwame Mensah both "
        "coded, the rule coder agrees with Ana Ruiz at "
    ) in said[0]
    assert " and Ana Ruiz and Kwame Mensah with each other at " in said[0]
    assert sure.tables["agreement_same_stories"].attrs["documents"] == len(every)


def test_a_study_without_stories_gets_no_story_tables_sections_or_summary(corpus) -> None:
    from copanalysis.report import _summary, report_sections

    roles_only = dataclasses.replace(
        corpus,
        stories=corpus.stories.head(0),
        items=corpus.items.head(0),
        grid=corpus.grid.head(0),
        gold=empty("codes"),
    )
    result = analyse(roles_only, coder="rules", progress=False)
    story_tables = {"frequencies", "grid", "paths", "flows", "cooccurrence", "quantities"}
    assert not story_tables & set(result.tables)
    assert {"roles", "role_themes"} <= set(result.tables)
    titles = [section.title for section in report_sections(result, {})]
    assert titles == ["Leadership roles", "Challenges and support by role", "Methods"]
    summary = _summary(result)
    # no "0 grid respondents" and no "0 stories", and the communities the worksheets name
    communities = corpus.roles["community"].dropna().nunique()
    kpis = {k["label"]: k["value"] for k in summary["kpis"]}
    assert list(kpis) == ["communities", "coded spans", "role worksheets"]
    assert kpis["communities"] == str(communities) and communities > 0
    assert not any("value cycle" in said for said in summary["findings"])


def test_analyse_names_what_it_needs_when_given_a_frame_or_an_unknown_coder(corpus) -> None:
    from copanalysis.errors import SchemaError
    from copanalysis.study import analyse

    with pytest.raises(SchemaError, match=r"analyse needs a Corpus, from copanalysis\.load_"):
        analyse(corpus.stories)
    with pytest.raises(SchemaError, match="coder 'rule'; expected one of 'best', 'rules'"):
        analyse(corpus, coder="rule")  # type: ignore[arg-type]


@pytest.mark.slow
def test_a_persons_sub_codes_count_as_their_parent_when_choosing_the_shared_codes(
    corpus,
) -> None:
    """Trial 22: a coder who applied only 'potential_human', never 'potential', lost
    'potential' from the comparison (human kappa 0.00 there instead of 0.75)."""
    import dataclasses

    gold = corpus.gold
    ana = gold["coder"] == gold["coder"].value_counts().index[0]
    spans = ["doc_id", "field", "start", "end"]
    subs = gold[ana & gold["code"].str.startswith("potential_")][spans]
    twin = gold[ana & (gold["code"] == "potential")].merge(subs, on=spans, how="left",
                                                            indicator=True)  # fmt: skip
    dropped = twin[twin["_merge"] == "both"][spans].drop_duplicates()
    assert len(dropped) > 10  # the parents she also wrote beside a sub-code
    keep = ~(
        ana & (gold["code"] == "potential")
        & gold[spans].apply(tuple, axis=1).isin(dropped.apply(tuple, axis=1))
    )  # fmt: skip
    only_subs = analyse(
        dataclasses.replace(corpus, gold=gold[keep].reset_index(drop=True)),
        coder="rules",
        progress=False,
    )
    for name in ("agreement_humans", "agreement"):
        mine = only_subs.tables[name].set_index("code")
        assert "potential" in mine.index and mine.loc["potential", "units"] > 0


@pytest.mark.slow
def test_three_coders_and_a_machine_that_coded_nothing_sure(corpus) -> None:
    """Trial 22: with three people the summary called them two and gave the machine's
    figure as on stories it was not; a threshold above every code crashed the run."""
    import dataclasses

    import pandas as pd

    from copanalysis.report import _summary

    gold = corpus.gold
    second = gold["coder"].value_counts().index[1]
    lee = gold[gold["coder"] == second].assign(coder="Lee")
    lee = lee[lee["doc_id"].isin(sorted(set(lee["doc_id"]))[:5])]
    three = dataclasses.replace(corpus, gold=pd.concat([gold, lee], ignore_index=True))
    result = analyse(three, coder="rules", min_confidence=0.99, progress=False)
    machine = result.tables["agreement"].attrs["coders"][1]
    assert machine.startswith("rules:")  # named though it kept no code at 0.99
    said = next(line for line in _summary(result)["findings"] if "Krippendorff" in line)
    main = gold["coder"].value_counts().index[0]
    same = result.tables["agreement_same_stories"].attrs["documents"]
    assert "the 3 human coders agree with each other at" in said
    assert f"and on the {same} stories that {main} and another of them coded, the machine " \
        f"agrees with {main} at" in said  # fmt: skip


def test_four_coded_stories_are_cross_validated_one_story_out_and_one_needs_the_rules(
    corpus,
) -> None:
    """Trial 34: a pilot's four coded interviews stopped run, even with --coder semantic
    ("evaluate: 4 coded documents; cv=5 needs at least 2 folds and 5 documents")."""
    gold = corpus.gold
    ana = gold[gold["coder"] == gold["coder"].value_counts().index[0]]
    four = ana[ana["doc_id"].isin(sorted(ana["doc_id"].unique())[:4])]
    small = dataclasses.replace(corpus, gold=four.reset_index(drop=True))
    with pytest.warns(UserWarning, match=r"coded 4 stories, fewer than the 5 folds asked"):
        found = analyse(small, coder="model", progress=False)
    assert "(cross-validated macro F1 against " in found.coder
    assert found.held_out["doc_id"].nunique() <= 4
    one = ana[ana["doc_id"] == ana["doc_id"].iloc[0]]
    single = dataclasses.replace(corpus, gold=one.reset_index(drop=True))
    with pytest.raises(SchemaError, match=r"coded 1 story: code at least 2 stories, or use"):
        analyse(single, coder="model", progress=False)
    ruled = analyse(single, coder="best", progress=False)  # only the rules can be measured
    assert ruled.coder.startswith("rules:") and "(macro F1 against " in ruled.coder


def test_the_choosing_note_counts_the_main_coders_stories_for_its_folds(corpus) -> None:
    """The folds are the main coder's stories when they are fewer than ``cv``; the stories
    counted are every human coder's."""
    import pandas as pd

    from copanalysis.study import choosing_note

    gold = pd.DataFrame(
        {
            "doc_id": ["s1", "s2", "s3", "s1", "s4", "s5", "s5"],
            "coder": ["Ben", "Ben", "Ben", "Ana", "Ana", "Cy", "Ben"],
            "codebook": ["value_cycles"] * 6 + ["strategic_grid"],
        }
    )
    study = dataclasses.replace(corpus, gold=gold)
    note = choosing_note(study, "best", cv=5)
    assert note is not None
    assert "each cross-validated in 3 folds against Ben's codes of 5 stories." in note
    assert "in 2 folds against Ben's codes of 5 stories." in str(choosing_note(study, cv=2))
    assert choosing_note(study, "rules") is None
    assert choosing_note(dataclasses.replace(corpus, gold=gold.iloc[:0])) is None


def test_review_codes_are_of_the_stories_nobody_coded_or_of_all_when_all_were() -> None:
    import pandas as pd

    from copanalysis.io.corpus import Corpus
    from copanalysis.study import Findings, review_codes

    def codes(ids, coder, confidence=None):
        frame = pd.DataFrame(
            {
                "doc_id": ids,
                "field": "story",
                "start": 0,
                "end": 5,
                "code": "applied",
                "codebook": "value_cycles",
                "coder": coder,
            }  # fmt: skip
        )
        return frame if confidence is None else frame.assign(confidence=confidence)

    stories = pd.DataFrame({"story_id": ["S1", "S2"], "story": ["We applied it."] * 2})
    machine = codes(["S1", "S2", "S2"], "rules:value_cycles@1", [0.9, 0.7, 0.8])
    blank = [empty(f) for f in ("items", "roles", "grid")]
    rules = "rules:value_cycles@1 (as asked)"  # the rule coder: nothing held out
    some = Findings(Corpus(stories, *blank, codes(["S1"], "Ana")), machine, rules)
    assert review_codes(some)["confidence"].tolist() == [0.7, 0.8]
    assert review_codes(some).attrs == {"only_uncoded": True, "human_coded": 1}
    every = Findings(Corpus(stories, *blank, codes(["S1", "S2"], "Ana")), machine, rules)
    assert review_codes(every)["doc_id"].tolist() == ["S2", "S2", "S1"]
    assert review_codes(every).attrs == {"only_uncoded": False, "human_coded": 2}
    other = codes(["S1"], "Ana").assign(codebook="strategic_grid")  # not the value cycles
    none = Findings(Corpus(stories, *blank, other), machine, rules)
    assert review_codes(none).attrs == {"only_uncoded": False, "human_coded": 0}
    assert len(review_codes(none)) == 3


def test_comparing_by_a_column_most_stories_lack_says_so(corpus) -> None:
    """Trial 35: `run --by community` compared "(none)" (24 of 33 stories) with one- and
    two-story districts, and nothing said that most stories had no community."""
    import warnings

    stories = corpus.stories.head(3).copy()
    stories["community"] = ["Dedza", None, None]
    bare = dataclasses.replace(
        corpus,
        stories=stories,
        items=corpus.items.head(0),
        roles=corpus.roles.head(0),
        grid=corpus.grid.head(0),
        gold=empty("codes"),
    )
    with pytest.warns(UserWarning) as said:
        result = analyse(bare, coder="rules", by=["community"], progress=False)
    ours = [str(w.message) for w in said if "stories have no" in str(w.message)]
    assert ours == [
        "2 of 3 stories have no community: compared by community, they are one group, "
        "'(none)'. Map the column that gives it in the study folder's mapping.yaml (or "
        "mapping= in load_corpus); `copanalysis check` lists the columns each file kept."
    ]
    assert result.tables["reach_by_community"]["community"].tolist() == ["(none)", "Dedza"]
    stories["community"] = ["Dedza", "Dedza", None]  # one of three: no warning
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        analyse(dataclasses.replace(bare, stories=stories), coder="rules", by="community")
    assert not [w for w in said if "stories have no" in str(w.message)]


def test_the_chosen_coders_held_out_codes_come_from_its_scoring_not_a_second_run(
    corpus, monkeypatch
) -> None:
    """Trial 35: run cross-validated the chosen coder twice over the same folds (once to
    score it, once for agreement's out-of-fold codes), the ensemble's 12 minutes twice."""
    from copanalysis.coding import evaluation
    from copanalysis.coding.model import TextCoder

    gold = corpus.gold
    ana = gold[gold["coder"] == gold["coder"].value_counts().index[0]]
    four = ana[ana["doc_id"].isin(sorted(ana["doc_id"].unique())[:4])].reset_index(drop=True)
    small = dataclasses.replace(corpus, gold=four)
    folds = []
    real = evaluation._out_of_fold
    monkeypatch.setattr(
        evaluation, "_out_of_fold", lambda *a, **k: folds.append(a[3]) or real(*a, **k)
    )
    with pytest.warns(UserWarning, match=r"coded 4 stories, fewer than the 5 folds asked"):
        found = analyse(small, coder="model", progress=False)
    assert folds == [4]  # one cross-validation of the model, leaving one story out
    alone = evaluation.cross_val_codes(
        TextCoder("value_cycles", random_state=0),
        small.gold[small.gold["codebook"] == "value_cycles"],
        small.stories,
        cv=4,
        coders=[str(four["coder"].iloc[0])],
    )
    assert len(found.held_out) == len(alone) > 0
    assert found.held_out.reset_index(drop=True).equals(alone.reset_index(drop=True))


def test_run_says_how_long_scoring_each_coder_took(tmp_path, monkeypatch, capsys) -> None:
    """Trial 35: run took 14 minutes choosing the coder, and said nothing of where they went."""
    from copanalysis import cli, study
    from copanalysis.io import load_corpus

    folder = tmp_path / "study"
    (folder / "stories").mkdir(parents=True)
    (folder / "gold").mkdir()
    (folder / "stories" / "survey.csv").write_text(
        "ID,Insights\n1,We learned a new handover.\n2,I learned about bar models.\n",
        encoding="utf-8",
    )
    (folder / "gold" / "codes.csv").write_text(
        "doc_id,field,quote,code,coder\n"
        "1,insights,We learned a new handover.,potential,Ana\n"
        "2,insights,I learned about bar models.,potential,Ana\n",
        encoding="utf-8",
    )
    clock = iter([100.0, 102.4])
    monkeypatch.setattr(study, "monotonic", lambda: next(clock))
    found = analyse(load_corpus(folder, progress=False), coder="rules", progress=True)
    assert found.tables["evaluation"].attrs["seconds"] == {"rules": pytest.approx(2.4)}
    assert "Scoring the coders took 2 s: rules 2 s.\n" in capsys.readouterr().out
    cli._print_timing(found, progress=False)  # run --no-progress says it on stderr
    assert capsys.readouterr().err == "Scoring the coders took 2 s: rules 2 s.\n"
    cli._print_timing(found, progress=True)  # the progress output said it already
    assert capsys.readouterr().err == ""


def test_codes_given_are_charted_as_they_are_and_not_coded_again(
    corpus, findings, coded_frames
) -> None:
    # trial 41: a corpus streamed to Parquet by iter_codes was coded again by analyse
    asked = coded_frames
    cycles = findings.codes_for("value_cycles")
    streamed = cycles[cycles["doc_id"].isin(set(corpus.stories["story_id"]))]
    again = analyse(corpus, codes=streamed, progress=False)
    assert ("stories", "value_cycles") not in asked
    assert ("stories", "strategic_grid") in asked  # what is not given is coded as usual
    assert "codes given" in again.coder and again.coder.startswith("rules:value_cycles@")
    assert "evaluation" not in again.tables  # no coder was chosen or scored
    # compared with the person's codes as given: the rule coder learns nothing, so its
    # codes given agree with Ana exactly as analyse's own rule codes did
    assert again.codes_given and "compared with Ana Ruiz's codes as given" in again.coder
    for name in ("agreement", "codes_found"):
        assert again.tables[name].equals(findings.tables[name]), name
    assert again.judges_polarity  # the rule coder's codes: value denied is told apart
    tfidf = streamed.assign(polarity=1, coder="model:value_cycles@0")
    assert not analyse(corpus, codes=tfidf, progress=False).judges_polarity
    for name in ("frequencies", "grid", "grid_codes", "paths", "flows", "themes"):
        assert again.tables[name].equals(findings.tables[name]), name
    # a threshold still applies; codes of another study, or none of the value cycles, stop
    sure = analyse(corpus, codes=streamed, min_confidence=0.99, progress=False)
    assert len(sure.codes_for("value_cycles")) < len(again.codes_for("value_cycles"))
    with pytest.raises(
        SchemaError, match=r"1 document with no text in this corpus \('elsewhere'\)"
    ):
        analyse(corpus, codes=streamed.assign(doc_id="elsewhere").head(1), progress=False)
    grid_only = findings.codes_for("strategic_grid")
    with pytest.raises(SchemaError, match="hold no value-cycle code of the stories"):
        analyse(corpus, codes=grid_only, progress=False)


def test_codes_given_of_a_learning_coder_are_not_said_to_be_trained_here(corpus, findings) -> None:
    # codes given by a semantic coder were said to be "trained on Ana Ruiz's codes", and the
    # project export swapped the stories Ana coded for out-of-fold codes there were none of:
    # 55 of 446 codes left
    from copanalysis.report import _agreement_parts, _summary
    from copanalysis.study import project_codes, project_note

    cycles = findings.codes_for("value_cycles")
    streamed = cycles[cycles["doc_id"].isin(set(corpus.stories["story_id"]))].assign(
        coder="semantic:value_cycles@0123abcd"
    )
    given = analyse(corpus, codes=streamed, progress=False)
    assert given.trained_on is None and project_note(given) == ""
    exported = project_codes(given)  # every code, as given
    assert exported.equals(given.codes_for("value_cycles"))
    on_stories = exported[exported["doc_id"].isin(set(corpus.stories["story_id"]))]
    assert len(on_stories) == len(streamed)
    assert set(on_stories["coder"]) == {"semantic:value_cycles@0123abcd"}
    said = " ".join(_summary(given)["findings"])
    assert "The codes given (semantic coder) agree with Ana Ruiz at Krippendorff's alpha" in said
    assert "not trained on" not in said
    methods = str(_agreement_parts(given, {}))
    assert "whether their coder learned from these human codes is not known" in methods
    assert "cross-validation" not in methods


def _templated_study(folder):
    """Twenty stories of two made-up sentences a person coded, which the TF-IDF coder
    learns from the other folds and the rule coder's cues never match."""
    (folder / "stories").mkdir(parents=True)
    (folder / "gold").mkdir()
    said = {"applied": "Zorblat the flimflam quixotically.", "immediate": "Wibble quux snarf."}
    rows = [(str(i), list(said)[i % 2]) for i in range(1, 21)]
    (folder / "stories" / "survey.csv").write_text(
        "ID,Practice\n" + "".join(f"{i},{said[code]}\n" for i, code in rows), encoding="utf-8"
    )
    (folder / "gold" / "codes.csv").write_text(
        "doc_id,field,quote,code,coder\n"
        + "".join(f"{i},practice,{said[code]},{code},Tomás\n" for i, code in rows),
        encoding="utf-8",
    )


def test_best_keeps_the_default_over_a_coder_that_does_not_judge_polarity(
    tmp_path, monkeypatch
) -> None:
    """Trial 41: run --coder best chose the TF-IDF coder, whose codes are all +1, over the
    default on macro F1 0.64 against 0.63; "It made no difference" then counted as value."""
    from copanalysis import study
    from copanalysis.io import load_corpus

    _templated_study(tmp_path / "study")
    corpus = load_corpus(tmp_path / "study", progress=False)
    monkeypatch.setattr(study, "_candidates", lambda coder: ("rules", "model"))
    monkeypatch.setattr(study, "default_coder", lambda: "rules")
    found = analyse(corpus, coder="best", progress=False)
    evaluation = found.tables["evaluation"]
    macro = evaluation[evaluation["code"] == "(macro avg)"].set_index("coder")["f1"]
    assert macro.to_dict() == {"rules": 0.0, "model": 1.0}
    assert evaluation.attrs["chosen"] == "rules"
    assert found.judges_polarity and found.coder.startswith("no codes (")  # the rules found none
    choice = found.tables["coder_choice"]
    assert choice[["coder", "default", "difference", "low", "high", "confidence"]].to_dict(
        "records"
    ) == [
        {"coder": "model", "default": "rules", "difference": 1.0, "low": 1.0, "high": 1.0,
         "confidence": 0.95}
    ]  # fmt: skip
    assert choice["judges_polarity"].tolist() == [False]
    assert choice["chosen"].tolist() == [False]
    assert found.coder.endswith(
        "(cross-validated macro F1 against Tomás: rules 0.00, model 1.00; rules, the default, "
        "kept: no coder beat it beyond the uncertainty of the difference (model +1.00 [+1.00, "
        "+1.00]: the other coder's macro F1 minus rules's, 95% paired bootstrap interval over "
        "Tomás's 20 stories); model does not judge polarity (its codes are all +1, so value "
        "told as absent counts as value), and macro F1 cannot show that loss, so it is not "
        "chosen over rules, which does)"
    )
    # with a default that does not judge polarity either, it stays: the rules do not beat it
    monkeypatch.setattr(study, "default_coder", lambda: "model")
    found = analyse(corpus, coder="best", progress=False)
    assert found.coder.startswith("model:value_cycles@") and not found.judges_polarity
    assert "; model, the default, kept: no coder beat it" in found.coder
    assert "(rules -1.00 [-1.00, -1.00]: " in found.coder
