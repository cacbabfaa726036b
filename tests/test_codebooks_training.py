"""The built-in training corpora: as large and as varied as the project promised, and
every unit written or recoded after the development set was read is marked."""

from __future__ import annotations

import pandas as pd
import pytest

from copanalysis.io.codebooks import load_codebook

CYCLES = ("immediate", "potential", "applied", "realized", "reframing")


@pytest.fixture(scope="module")
def cycles() -> pd.DataFrame:
    return load_codebook("value_cycles").training_units()


@pytest.fixture(scope="module")
def themes() -> pd.DataFrame:
    return load_codebook("enablers_challenges").training_units()


def test_every_main_cycle_has_forty_units_and_every_potential_sub_code_fifteen(cycles):
    book = load_codebook("value_cycles")
    counts = pd.Series([code for codes in cycles["codes"] for code in codes]).value_counts()
    assert all(counts.get(cycle, 0) >= 40 for cycle in CYCLES), counts
    sub_codes = [c.code for c in book.codes if c.parent == "potential"]
    assert len(sub_codes) == 5
    assert all(counts.get(code, 0) >= 15 for code in sub_codes), counts[sub_codes]


def test_every_theme_has_ten_units_in_each_polarity(themes):
    book = load_codebook("enablers_challenges")
    first = themes["codes"].str[0]
    table = pd.crosstab(first, themes["kind"])
    codable = [c.code for c in book.codes if c.codable and c.parent is None]
    assert len(codable) == 22
    assert (table.reindex(codable).fillna(0) >= 10).all().all(), table


@pytest.mark.parametrize("name", ["cycles", "themes"])
def test_ten_sectors_and_first_and_third_person_voices(name, request):
    units = request.getfixturevalue(name)
    assert units["sector"].nunique() >= 10
    assert {"member", "evaluator"} <= set(units["voice"])
    assert units["hard_case"].notna().sum() >= 40


def test_the_decision_rules_hard_cases_are_all_there(cycles):
    assert set(cycles["hard_case"].dropna()) >= {
        "got_vs_used",
        "action_vs_outcome",
        "existing_vs_new_goals",
        "taking_part_vs_convening",
    }


@pytest.mark.parametrize("name", ["cycles", "themes"])
def test_after_dev_marks_are_written_or_a_recode_from_real_codes(name, request):
    units = request.getfixturevalue(name)
    book = load_codebook("value_cycles" if name == "cycles" else "enablers_challenges")
    known = {c.code for c in book.codes}
    marks = units["after_dev"].dropna()
    assert len(marks) > 0
    recoded = marks[marks.str.startswith("recoded from ")]
    assert set(marks) - set(recoded) == {"written"}
    for mark, now in zip(recoded, units.loc[recoded.index, "codes"], strict=True):
        before = mark.removeprefix("recoded from ").split(";")
        assert set(before) <= known
        assert list(now) != before  # a recode changed the codes


def test_learning_habits_practised_in_ones_own_work_are_applied(cycles):
    """The got/used rule holds for learning habits too (value_cycles.yaml): units recoded
    from learning capital are applied now, and the corpus keeps both sides of the rule."""
    recoded = cycles[cycles["after_dev"].fillna("").str.startswith("recoded from ")]
    assert len(recoded) == 11
    assert all(codes == ("applied",) for codes in recoded["codes"])
    habits = cycles[cycles["hard_case"].eq("got_vs_used")]
    assert habits["codes"].map(lambda c: "potential_learning" in c).sum() >= 3
    assert habits["codes"].map(lambda c: c[0] == "applied").sum() >= 20


def test_a_long_document_coded_here_and_there_is_warned_of():
    """Trial 18: one passage coded in a 900-sentence diary taught every learned coder that
    the diary's other sentences have no code (0 codes there, against 747 without it)."""
    import warnings

    from copanalysis.codebooks import builtin_codebook
    from copanalysis.coding.training import code_labels

    sentences = [f"Day {i}: we met at the centre and talked." for i in range(60)]
    text = " ".join(sentences)
    start = text.index("Day 7:")
    stories = pd.DataFrame({"story_id": ["diary", "short"], "story": [text, "I use it now."]})
    codes = pd.DataFrame(
        {"doc_id": ["diary", "short"], "field": "story", "start": [start, 0],
         "end": [start + 40, 13], "code": ["immediate", "applied"], "coder": "Ana"}
    )  # fmt: skip
    book = builtin_codebook("value_cycles")
    with pytest.warns(UserWarning, match=r"1 coded document\(s\) have a code on fewer than 5% "
                      r"of their segments \('diary': 1 of 60\)"):  # fmt: skip
        code_labels(stories, codes, codebook=book)
    through = pd.concat(
        [codes] + [codes.iloc[[0]].assign(start=text.index(f"Day {i}:"),
                                          end=text.index(f"Day {i}:") + 10) for i in (1, 2, 3)]
    )  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        code_labels(stories, through, codebook=book)  # 4 of 60 is 7%: no warning


def test_a_code_added_to_a_copy_of_a_built_in_codebook_learns_from_its_examples():
    """Trial 40: a researcher copied value_cycles (write_codebook) and added a code of her
    own, "advocacy", with six examples. The copy names the built-in training corpus, and
    with a corpus the examples were never read: the code learned from its definition
    alone, and no sentence of her 27 stories got it (her rule coder found six)."""
    import dataclasses

    from copanalysis.codebooks.codebook import Code
    from copanalysis.coding.training import codebook_material

    built_in = load_codebook("value_cycles")
    examples = ("I wrote a one page case for the head.", "I persuaded the governors.")
    advocacy = Code("advocacy", "Advocacy", description="Speaking up.", examples=examples)
    mine = dataclasses.replace(built_in, name="librarians", codes=(*built_in.codes, advocacy))
    before = codebook_material(built_in)
    material = codebook_material(mine)
    learned = material[material["codes"].map(lambda codes: "advocacy" in codes)]
    assert learned["text"].tolist() == [*examples, "Advocacy Speaking up."]
    assert learned["weight"].tolist()[:2] == [1.0, 1.0]
    # the codes the corpus teaches learn from it alone, as before
    assert len(material) == len(before) + 3
    assert (
        material["text"].tolist()[: len(built_in.training_units())]
        == (before["text"].tolist()[: len(built_in.training_units())])
    )
