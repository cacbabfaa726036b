"""A REFI-QDA project as a study folder (:mod:`copanalysis.io.refi_study`)."""

from __future__ import annotations

import pandas as pd

from copanalysis.io import load_codebook, load_stories, write_qdpx
from copanalysis.io.refi_study import import_refi


def test_codes_on_a_placeholder_answer_do_not_stop_a_copy_being_found(tmp_path) -> None:
    """Trial 43: MAXQDA's survey import codes every answer with its question, "see above"
    too; the stories' loader reads that answer as no answer, so the quote stood nowhere in
    the story, the document was written as a second story '5' beside the survey's, every
    survey id then took its file's name, and none of the 125 human codes fitted a story."""
    survey = tmp_path / "survey.csv"
    survey.write_text(
        "ID,What did you take away from it?,Has it changed anything you do in practice?,"
        "How has it helped your organization?\n"
        "5,I learnt how to do a proper ABPI before compression.,see above,"
        "Our healing rates went up at the clinic.\n",
        encoding="utf-8",
    )
    stories = load_stories(survey)
    document = (
        "I learnt how to do a proper ABPI before compression.\r\nsee above\r\n"
        "Our healing rates went up at the clinic."
    )
    spans = [(0, 52, "potential"), (54, 63, "applied"), (65, 105, "realized")]
    codes = pd.DataFrame(
        {
            "doc_id": "5",
            "field": "story",
            "start": [a for a, _, _ in spans],
            "end": [b for _, b, _ in spans],
            "code": [c for _, _, c in spans],
            "codebook": "value_cycles",
            "coder": "AO",
        }
    )
    qdpx = write_qdpx(
        tmp_path / "maxqda.qdpx",
        codebook=load_codebook("value_cycles"),
        stories=pd.DataFrame({"story_id": ["5"], "story": [document]}),
        codes=codes,
        progress=False,
    )

    done = import_refi(qdpx, tmp_path / "study", onto=stories, progress=False)

    assert done.onto == {"5": "5"}
    assert done.stories == 0 and done.stories_file is None
    gold = pd.read_csv(done.gold_file)
    assert gold[["doc_id", "field", "start", "end", "code"]].values.tolist() == [
        [5, "insights", 0, 52, "potential"],
        [5, "organization", 0, 40, "realized"],
    ]
    assert any("1 code on answers that are only a placeholder" in said for said in done.warnings)


def test_a_copy_of_a_story_of_one_answer_is_found(tmp_path) -> None:
    """A story of one answer is one text unit: pandas read the Series grouping its units as
    a list of one key, and finding the copy's story raised KeyError '5'."""
    survey = tmp_path / "survey.csv"
    survey.write_text(
        "ID,What did you take away from it?\n5,I learnt how to do a proper ABPI.\n",
        encoding="utf-8",
    )
    text = "I learnt how to do a proper ABPI."
    qdpx = write_qdpx(
        tmp_path / "maxqda.qdpx",
        codebook=load_codebook("value_cycles"),
        stories=pd.DataFrame({"story_id": ["5"], "story": [text]}),
        codes=pd.DataFrame(
            {
                "doc_id": ["5"],
                "field": "story",
                "start": 0,
                "end": len(text),
                "code": "potential",
                "codebook": "value_cycles",
                "coder": "AO",
            }
        ),  # fmt: skip
        progress=False,
    )

    done = import_refi(qdpx, tmp_path / "study", onto=load_stories(survey), progress=False)

    assert done.onto == {"5": "5"}
    gold = pd.read_csv(done.gold_file)
    assert gold[["doc_id", "field", "start", "end", "code"]].values.tolist() == [
        [5, "insights", 0, len(text), "potential"]
    ]


def test_a_document_of_only_placeholders_is_not_written_as_a_story(tmp_path) -> None:
    """Trial 43: her 20th MAXQDA document held only "n/a" lines (the survey row the
    stories' loader skipped); it was written as a story, counted in the report (70 stories
    for 69) and coded potential -1 four times."""
    text = "Has it changed anything?\r\nI use the Doppler now."
    documents = pd.DataFrame({"story_id": ["12", "31"], "story": ["n/a\r\nn/a\r\nN/A\r\n-", text]})
    codes = pd.DataFrame(
        {
            "doc_id": ["12", "12", "31"],
            "field": "story",
            "start": [0, 5, 26],
            "end": [3, 8, len(text)],
            "code": ["potential", "applied", "applied"],
            "codebook": "value_cycles",
            "coder": "AO",
        }
    )
    qdpx = write_qdpx(
        tmp_path / "maxqda.qdpx",
        codebook=load_codebook("value_cycles"),
        stories=documents,
        codes=codes,
        progress=False,
    )

    done = import_refi(qdpx, tmp_path / "study", progress=False)

    assert done.stories == 1 and done.codes == 1
    assert pd.read_csv(done.stories_file)["story_id"].tolist() == [31]
    assert pd.read_csv(done.gold_file)["doc_id"].tolist() == [31]
    assert (
        "1 document holding only placeholders ('n/a', 'see above', '-') not written as "
        "stories ('12'); 2 codes on them left out"
    ) in done.warnings


def test_the_machine_s_own_codes_read_back_are_no_human_codes(tmp_path) -> None:
    # trial 44: a run's project.qdpx, read back, made the semantic coder a second human
    # coder in gold/, and the report gave "alpha 0.90" between it and itself
    stories = pd.DataFrame({"story_id": ["s1"], "story": ["We met. I use the checklist now."]})
    machine = "semantic:value_cycles@ddca1446 (trained on Grace's codes; out-of-fold)"
    codes = pd.DataFrame(
        {
            "doc_id": ["s1", "s1", "s1"],
            "field": ["story"] * 3,
            "start": [0, 8, 8],
            "end": [7, 32, 32],
            "code": ["immediate", "applied", "applied"],
            "codebook": ["value_cycles"] * 3,
            "coder": ["Grace", "Grace", machine],
        }
    )
    project = write_qdpx(
        tmp_path / "project.qdpx",
        codebook=load_codebook("value_cycles"),
        stories=stories,
        codes=codes,
        progress=False,
    )
    done = import_refi(project, tmp_path / "study", progress=False)
    assert (done.codes, done.coders) == (2, ("Grace",))
    assert pd.read_csv(done.gold_file)["coder"].tolist() == ["Grace", "Grace"]
    assert any(
        note.startswith(f"1 code by copanalysis's own coder ({machine!r}) left out of gold/")
        for note in done.warnings
    )
