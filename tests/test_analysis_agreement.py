"""Agreement statistics pinned to published worked examples and to the libraries."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from copanalysis.analysis.agreement import (
    _alpha_weighted,
    _kappa_weighted,
    agreement,
    disagreements,
)
from copanalysis.errors import SchemaError


def _codes(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """A codes frame from (doc_id, code, coder) triples."""
    frame = pd.DataFrame(rows, columns=["doc_id", "code", "coder"])
    return frame.assign(field="story", start=0, end=1, quote="q")


def _reliability_data(table: dict[str, list[object]]) -> pd.DataFrame:
    """Krippendorff-style reliability data (coder -> value per unit, None missing)."""
    rows = [
        (f"u{u:02d}", str(value), coder)
        for coder, values in table.items()
        for u, value in enumerate(values)
        if value is not None
    ]
    return _codes(rows)


def test_krippendorff_2011_nominal_example_with_missing_data() -> None:
    # Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability", section C:
    # four observers, twelve units, missing values; nominal alpha = 0.743.
    data = {
        "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    }
    table = agreement(_reliability_data(data), mode="category", n_boot=200)
    row = table.iloc[0]
    assert len(table) == 1
    assert row["krippendorff_alpha"] == pytest.approx(0.743, abs=5e-4)
    assert row["units"] == 11  # unit 12 has a single value: not pairable
    assert row["n_coders"] == 4
    assert row["alpha_low"] < 0.743 < row["alpha_high"]


def test_fleiss_wikipedia_worked_example() -> None:
    # Wikipedia "Fleiss' kappa" worked example: 10 subjects, 14 raters, 5 categories.
    counts = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
    rows = []
    for s, row in enumerate(counts):
        labels = [c for c, n in enumerate(row) for _ in range(n)]
        rows += [(f"s{s}", f"cat{label}", f"r{r:02d}") for r, label in enumerate(labels)]
    table = agreement(_codes(rows), mode="category", n_boot=0)
    assert table.loc[0, "fleiss_kappa"] == pytest.approx(0.210, abs=5e-4)
    assert table.loc[0, "units"] == 10
    assert table.loc[0, "n_coders"] == 14


def test_cohen_textbook_two_by_two() -> None:
    # Wikipedia "Cohen's kappa": 50 proposals, yes/yes 20, yes/no 5, no/yes 10, no/no 15.
    pairs = [("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10
    pairs += [("no", "no")] * 15
    rows = []
    for i, (a, b) in enumerate(pairs):
        rows += [(f"p{i}", a, "A"), (f"p{i}", b, "B")]
    table = agreement(_codes(rows), mode="category", n_boot=0)
    assert table.loc[0, "cohen_kappa"] == pytest.approx(0.4)
    assert table.loc[0, "percent_agreement"] == pytest.approx(0.7)
    # two coders, no missing: Fleiss' kappa is Scott's pi, alpha is close to it
    assert table.loc[0, "fleiss_kappa"] == pytest.approx(
        (0.7 - (0.45**2 + 0.55**2)) / (1 - (0.45**2 + 0.55**2))
    )


def test_presence_kappa_equals_sklearn_and_units_restricted_to_shared_docs() -> None:
    rng = np.random.default_rng(3)
    docs = [f"d{i}" for i in range(40)]
    a = rng.integers(0, 2, 40)
    b = np.where(rng.random(40) < 0.8, a, 1 - a)
    rows = [(d, "learn", "Ana") for d, x in zip(docs, a, strict=True) if x]
    rows += [(d, "other", "Ana") for d in docs]  # Ana coded every doc
    # Ben coded only the first 20 docs
    rows += [(d, "learn", "Ben") for d, x in zip(docs[:20], b[:20], strict=True) if x]
    rows += [(d, "other", "Ben") for d in docs[:20]]
    table = agreement(_codes(rows), n_boot=0).set_index("code")
    assert table.loc["learn", "units"] == 20
    assert table.loc["learn", "cohen_kappa"] == pytest.approx(cohen_kappa_score(a[:20], b[:20]))
    assert np.isnan(table.loc["other", "cohen_kappa"])  # no variation: undefined
    assert table.loc["other", "percent_agreement"] == 1.0
    assert table.loc["(all codes)", "units"] == 40


def test_bootstrap_closed_forms_match_the_libraries() -> None:
    from nltk.metrics.agreement import AnnotationTask

    rng = np.random.default_rng(0)
    matrix = rng.integers(0, 3, size=(30, 3)).astype(float)
    matrix[rng.random((30, 3)) < 0.2] = np.nan
    filled = np.where(np.isnan(matrix), -1, matrix).astype(int)
    patterns, counts = np.unique(filled, axis=0, return_counts=True)
    triples = [
        (str(c), str(u), int(matrix[u, c]))
        for u in range(30)
        for c in range(3)
        if not np.isnan(matrix[u, c])
    ]
    alpha = _alpha_weighted(patterns, counts[None, :].astype(float))[0]
    assert alpha == pytest.approx(AnnotationTask(data=triples).alpha())
    kappa = _kappa_weighted(patterns[:, :2], counts[None, :].astype(float))[0]
    both = ~np.isnan(matrix[:, 0]) & ~np.isnan(matrix[:, 1])
    assert kappa == pytest.approx(cohen_kappa_score(matrix[both, 0], matrix[both, 1]))


def test_bootstrap_is_seeded() -> None:
    rows = [(f"d{i}", "x" if i % 3 else "y", c) for i in range(30) for c in ("A", "B")]
    rows += [(f"d{i}", "x", "B") for i in range(0, 30, 4)]
    first = agreement(_codes(rows), n_boot=300, random_state=1)
    again = agreement(_codes(rows), n_boot=300, random_state=1)
    pd.testing.assert_frame_equal(first, again)
    row = first.set_index("code").loc["x"]
    assert row["kappa_low"] <= row["cohen_kappa"] <= row["kappa_high"]


def test_segment_units_merge_overlapping_spans() -> None:
    codes = pd.DataFrame(
        {
            "doc_id": ["d1", "d1", "d1", "d1"],
            "field": "story",
            "start": [0, 2, 20, 0],
            "end": [10, 12, 30, 5],
            "code": ["learn", "learn", "apply", "learn"],
            "coder": ["Ana", "Ben", "Ana", "Ben"],
        }
    )
    table = agreement(codes, unit="segment", n_boot=0).set_index("code")
    # units: [0, 12) both coders applied learn; [20, 30) only Ana applied apply
    assert table.loc["learn", "units"] == 2
    assert table.loc["learn", "percent_agreement"] == 1.0
    assert table.loc["apply", "percent_agreement"] == 0.5


def test_segment_units_from_a_segments_frame() -> None:
    segments = pd.DataFrame(
        {
            "doc_id": "d1",
            "field": "story",
            "segment": [0, 1, 2],
            "start": [0, 10, 20],
            "end": [10, 20, 30],
            "text": ["a", "b", "c"],
        }
    )
    codes = pd.DataFrame(
        {
            "doc_id": "d1",
            "field": "story",
            "start": [0, 12, 5],
            "end": [15, 14, 8],
            "code": "learn",
            "coder": ["Ana", "Ana", "Ben"],
        }
    )
    table = agreement(codes, unit="segment", segments=segments, n_boot=0).set_index("code")
    # every segment of the coded document: 2 is one both left without the code
    assert table.loc["learn", "units"] == 3
    assert table.loc["learn", "percent_agreement"] == pytest.approx(2 / 3)


def test_one_codes_agreement_does_not_depend_on_the_other_codes_in_the_frame() -> None:
    """Trial 20: 'realized' alone gave kappa -0.06, inside the full frame 0.90; the
    sentences both left without it counted only when another code sat on them."""
    segments = pd.DataFrame(
        {"doc_id": ["d1"] * 4 + ["d2"] * 4, "field": "story", "segment": [0, 1, 2, 3] * 2,
         "start": [0, 10, 20, 30] * 2, "end": [10, 20, 30, 40] * 2, "text": "x"}
    )  # fmt: skip
    rows = [
        ("d1", 0, "realized", "Ana"), ("d1", 0, "realized", "Ben"),
        ("d1", 10, "applied", "Ana"), ("d1", 10, "applied", "Ben"),
        ("d2", 20, "realized", "Ana"), ("d2", 30, "applied", "Ben"),
        ("d2", 0, "applied", "Ana"), ("d2", 0, "applied", "Ben"),
        ("d1", 30, "realized", "Ben"),  # twice each, so that its kappa is estimated
    ]  # fmt: skip
    codes = pd.DataFrame(rows, columns=["doc_id", "start", "code", "coder"]).assign(
        field="story", end=lambda f: f["start"] + 10
    )
    whole = agreement(codes, unit="segment", segments=segments, n_boot=0).set_index("code")
    alone = agreement(
        codes[codes["code"] == "realized"],
        unit="segment",
        segments=segments,
        documents={"Ana": ["d1", "d2"], "Ben": ["d1", "d2"]},  # Ben read d2 too
        n_boot=0,
    ).set_index("code")
    for column in ("units", "percent_agreement", "cohen_kappa"):
        assert alone.loc["realized", column] == whole.loc["realized", column]
    # 8 sentences: both code d1/0, Ana alone d2/20, Ben alone d1/30, both leave 5 without it
    assert whole.loc["realized", "units"] == 8
    assert whole.loc["realized", "percent_agreement"] == pytest.approx(6 / 8)
    assert whole.loc["realized", "cohen_kappa"] == pytest.approx(1 / 3)


def test_a_document_read_and_found_empty_counts_with_documents() -> None:
    """Trial 18/20: a machine that found nothing in a story dropped it from the comparison
    (kappa 1.0 on 2 stories instead of a disagreement on the third)."""
    codes = _codes([("s1", "applied", "Ana"), ("s1", "applied", "semantic"),
                    ("s2", "potential", "Ana"), ("s2", "potential", "semantic"),
                    ("s3", "applied", "Ana")])  # fmt: skip
    blind = agreement(codes, mode="category", n_boot=0)
    assert blind.loc[0, "units"] == 2 and blind.loc[0, "cohen_kappa"] == 1.0
    read = agreement(codes, mode="category", documents={"semantic": ["s1", "s2", "s3"]}, n_boot=0)
    assert read.loc[0, "units"] == 3
    # s3: applied vs (none): po 2/3, pe (2/3*1/3... ) -> kappa 0.5
    assert read.loc[0, "percent_agreement"] == pytest.approx(2 / 3)
    assert read.loc[0, "cohen_kappa"] == pytest.approx(0.5)
    # a coder named in documents with no row at all found nothing (trial 22: a machine
    # that left every story below --min-confidence crashed the run)
    silent = agreement(codes, mode="category", documents={"Ben": "s1"}, n_boot=0)
    assert silent.attrs["coders"] == ["Ana", "semantic", "Ben"]  # "s1" is one id, not two
    assert silent.loc[0, "units"] == 2  # s1 (three coders) and s2


def test_the_pool_leaves_out_a_code_used_only_where_one_coder_read():
    """Trial 22: a code used only in stories the other coder never saw added all-absent
    rows to the pooled row (alpha 0.420 -> 0.483)."""
    rows = [("s1", "a", "Ana"), ("s1", "a", "Ben"), ("s2", "a", "Ana"), ("s2", "b", "Ben"),
            ("s4", "a", "Ana"), ("s4", "a", "Ben"), ("s5", "b", "Ana"), ("s5", "b", "Ben"),
            ("s3", "c", "Ana")]  # fmt: skip
    with_c = agreement(_codes(rows), n_boot=0).set_index("code")
    without = agreement(_codes(rows[:-1]), n_boot=0).set_index("code")
    assert with_c.loc["(all codes)", "krippendorff_alpha"] == pytest.approx(0.53125)
    assert with_c.loc["c", "units"] == 4  # its own row: s1, s2, s4, s5, all without it
    for column in ("units", "krippendorff_alpha"):
        assert with_c.loc["(all codes)", column] == without.loc["(all codes)", column]


def test_errors_name_the_column_and_coders() -> None:
    codes = _codes([("d1", "x", "Ana")])
    with pytest.raises(SchemaError, match="at least two coders.*Ana"):
        agreement(codes)
    with pytest.raises(SchemaError, match="'coder'.*'Zoe'"):
        agreement(codes, coders=["Ana", "Zoe"])


def test_disagreements_list_each_coders_decision_and_quote() -> None:
    codes = _codes([("d1", "learn", "Ana"), ("d1", "apply", "Ben"), ("d2", "learn", "Ana")])
    codes["quote"] = ["I learned", "I applied", "solo"]
    table = disagreements(codes)
    assert table["doc_id"].unique().tolist() == ["d1"]  # d2: only Ana coded it
    learn = table[table["code"] == "learn"].set_index("coder")
    assert learn.loc["Ana", "applied"] and not learn.loc["Ben", "applied"]
    assert learn.loc["Ana", "quote"] == "I learned"
    assert len(table) == 4


def test_codebook_lists_unused_codes_and_filters_other_codebooks() -> None:
    from copanalysis.codebooks.codebook import Code, Codebook

    book = Codebook("mini", "1", (Code("learn", "Learn"), Code("apply", "Apply")))
    codes = _codes([("d1", "learn", "Ana"), ("d1", "learn", "Ben"), ("d2", "TIME", "Ana")])
    codes["codebook"] = ["mini", "mini", "themes"]
    table = agreement(codes, codebook=book, n_boot=0)
    assert table["code"].tolist() == ["learn", "apply", "(all codes)"]
    assert table.set_index("code").loc["apply", "percent_agreement"] == 1.0
    assert table.set_index("code").loc["learn", "units"] == 1  # d2 holds no 'mini' code


def test_a_sub_code_counts_as_its_parent_for_every_coder_and_unknown_codes_are_named():
    # Ana applies only the sub-code, as QDA users do; Ben writes its parent too, as the
    # machine coders do. They agree on "potential" (it was a disagreement).
    rows = [
        ("s1", "potential_human", "Ana"),
        ("s1", "potential", "Ben"),
        ("s1", "potential_human", "Ben"),
        ("s2", "applied", "Ana"),
        ("s2", "applied", "Ben"),
        ("s3", "aplied", "Ana"),
        ("s3", "applied", "Ben"),
    ]
    codes = _codes(rows).assign(codebook="value_cycles")
    with pytest.warns(UserWarning, match=r"'aplied' x1 \(did you mean 'applied'\?\)"):
        table = agreement(codes, n_boot=0).set_index("code")
    assert table.loc["potential", "percent_agreement"] == 1.0
    assert table.loc["potential_human", "percent_agreement"] == 1.0
    assert table.loc["applied", "percent_agreement"] == pytest.approx(2 / 3)


def test_a_code_with_no_codebook_named_is_checked_against_the_one_codebook():
    """Trial 32: hand codes in the README's minimal layout name no codebook, so "Applied
    value" was compared as a code of its own without the warning the README promises."""
    rows = [("s1", "Applied value", "Ana"), ("s1", "applied", "Ben"), ("s2", "applied", "Ana")]
    rows += [("s2", "applied", "Ben")]
    codes = _codes(rows)
    codes["codebook"] = [None, "value_cycles", None, "value_cycles"]
    with pytest.warns(UserWarning, match=r"'Applied value' x1 \(the name of 'applied'"):
        agreement(codes, codebook="value_cycles", n_boot=0)


def test_a_custom_codebook_rolls_up_sub_codes_at_any_depth():
    from copanalysis.codebooks import Codebook

    book = Codebook.from_yaml_text(
        "name: extension\nversion: '1'\ncodes:\n"
        "  - {code: seed, label: Seed, cues: [seed]}\n"
        "  - {code: certified, label: Certified seed, parent: seed, cues: [certified]}\n"
        "  - {code: voucher, label: Seed vouchers, parent: certified, cues: [voucher]}\n"
    )
    rows = [("s1", "voucher", "Ana"), ("s1", "seed", "Ben"), ("s2", "seed", "Ana")]
    rows += [("s2", "seed", "Ben")]
    codes = _codes(rows).assign(codebook="extension")
    table = agreement(codes, codebook=book, n_boot=0).set_index("code")
    assert table.loc["seed", "percent_agreement"] == 1.0  # voucher is certified is seed
    assert table.loc["certified", "percent_agreement"] == 0.5


def test_the_pooled_row_resamples_units_with_all_their_codes_and_skips_unused_codes():
    """Trial 20: the pooled interval resampled unit x code rows as if independent (about
    20% too narrow on the bundled corpus); codes nobody applied changed the pooled row."""
    from copanalysis.analysis.agreement import _presence_matrix, _rated_units, _statistics
    from copanalysis.codebooks import Codebook

    rows = []  # on each story the coders agree on all four codes, or on none
    for u in range(40):
        ana = "abcd" if u < 15 else "ab"
        ben = "abcd" if u < 15 else "ab" if u < 30 else "cd"
        rows += [(f"s{u}", c, "Ana") for c in ana] + [(f"s{u}", c, "Ben") for c in ben]
    codes = _codes(rows)
    table = agreement(codes, n_boot=2000).set_index("code")
    pooled = table.loc["(all codes)"]
    clustered = pooled["kappa_high"] - pooled["kappa_low"]
    rated, chosen = _rated_units(codes, coders=None, codebook=None, unit="doc", segments=None)
    matrix = np.vstack([_presence_matrix(rated, chosen, c) for c in "abcd"])
    as_rows = _statistics(matrix, 2000, 0.95, np.random.default_rng(0))
    assert as_rows["cohen_kappa"] == pytest.approx(pooled["cohen_kappa"])
    assert clustered > 1.4 * (as_rows["kappa_high"] - as_rows["kappa_low"])

    book = Codebook.from_rows([["tag"]] + [[c] for c in "abcd"] + [["unused"]], name="toy")
    by_name = agreement(codes, n_boot=0).set_index("code").loc["(all codes)"]
    by_book = agreement(codes, codebook=book, n_boot=0).set_index("code")
    assert "unused" in by_book.index
    for column in ("units", "percent_agreement", "cohen_kappa"):
        assert by_book.loc["(all codes)", column] == by_name[column]


def test_a_codes_interval_does_not_depend_on_the_codes_before_it():
    """Trial 20: one generator ran through the codes in turn, so a code's interval moved
    when a code sorted before it was added."""
    rows = [(f"s{u}", "b", "Ana") for u in range(12) if u % 3]
    rows += [(f"s{u}", "b", "Ben") for u in range(12) if u % 4]
    rows += [(f"s{u}", "c", who) for u in range(12) for who in ("Ana", "Ben")]
    codes = _codes(rows)
    more = pd.concat([codes, _codes([(f"s{u}", "a", "Ben") for u in (1, 2, 3)])])
    one = agreement(codes, n_boot=500).set_index("code").loc["b"]
    two = agreement(more, n_boot=500).set_index("code").loc["b"]
    assert one["kappa_high"] - one["kappa_low"] > 0.3
    assert (one["kappa_low"], one["kappa_high"]) == (two["kappa_low"], two["kappa_high"])


def test_a_code_used_once_is_too_few_and_the_pool_is_the_persons_codes() -> None:
    """Trial 31: "strategic" (once by the person, never by the machine) and a sub-code
    only the machine used read as precise zeros ("0.00 [-0.02, 0]"), and the sub-code was
    pooled, though the person never codes at that level."""
    docs = [f"d{i}" for i in range(1, 11)]
    rows = [(d, "a", "Me") for d in docs[:5]] + [("d6", "b", "Me")]
    rows += [(d, "a", "semantic:x@1234abcd") for d in docs[:5]]
    rows += [("d6", "x", "semantic:x@1234abcd")]  # Me coded d1 to d6: 6 units compared
    table = agreement(_codes(rows), documents={"semantic:x@1234abcd": docs}, n_boot=200).set_index(
        "code"
    )
    assert table["fewest_applied"].to_dict() == {"a": 5, "b": 0, "x": 0, "(all codes)": 5}
    for code in ("b", "x"):  # not estimated: no statistic, no interval
        assert table.loc[code, ["cohen_kappa", "krippendorff_alpha", "alpha_low"]].isna().all()
        assert table.loc[code, "percent_agreement"] == pytest.approx(5 / 6)
    assert table.loc["a", "krippendorff_alpha"] == pytest.approx(1.0)
    # pooled over the person's codes: a and b (one miss), not the machine's own x
    assert table.attrs["pooled_codes"] == ["a", "b"]
    assert table.attrs["pooled_over"] == ["Me"]
    assert table.loc["(all codes)", "units"] == 12  # with x: 18, and alpha 1 - 140 / 576
    assert table.loc["(all codes)", "krippendorff_alpha"] == pytest.approx(1 - 46 / 286)
    # two people: the codes both used
    people = agreement(_codes([(d, c, "Ben" if k else "Ana") for d, c, k in [
        ("d1", "a", 0), ("d1", "a", 1), ("d2", "a", 0), ("d2", "a", 1), ("d3", "b", 0)]]),
        n_boot=0)  # fmt: skip
    assert people.attrs["pooled_codes"] == ["a"]


@pytest.mark.parametrize(
    ("package", "name"),
    [
        ("analysis", "agreement"),
        ("analysis", "cooccurrence"),
        ("analysis", "exemplars"),
        ("analysis", "validity"),
        ("coding", "quantities"),
    ],
)
def test_the_public_name_is_the_function_whatever_was_imported_first(
    package: str, name: str
) -> None:
    """CI on the minimal versions (lazy_loader 0.4): a test that imported
    ``copanalysis.analysis.agreement`` (the module) first made ``from copanalysis import
    agreement`` the module, not callable."""
    import subprocess
    import sys

    script = (
        f"import copanalysis.{package}.{name}\n"
        f"from copanalysis import {name} as top\n"
        f"from copanalysis.{package} import {name} as sub\n"
        "print(callable(top), callable(sub))"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["True", "True"]
