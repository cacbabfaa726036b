"""Hierarchies of any depth: a seven-level codebook keeps every ancestor of its deepest code."""

from __future__ import annotations

import pandas as pd

from copanalysis.analysis.paths import cycle_of
from copanalysis.codebooks.codebook import Code, Codebook
from copanalysis.codebooks.order import code_table
from copanalysis.coding.rules import RuleCoder
from copanalysis.io.codebooks import load_codebook, read_codebook, write_codebook

LEVELS = [f"level{i}" for i in range(7)]
DEEP = Codebook(
    "deep",
    "1",
    tuple(
        Code(code, code.title(), parent=LEVELS[i - 1] if i else None, cues=(f"cue{i}",))
        for i, code in enumerate(LEVELS)
    ),
)


def test_codebook_walks_all_seven_levels() -> None:
    assert DEEP.path("level6").count("/") == 6
    assert [c.code for c in DEEP.descendants("level0")] == LEVELS[1:]
    assert code_table(DEEP)["parent"].tolist() == ["", *LEVELS[:-1]]


def test_rule_coder_gives_the_deepest_code_every_ancestor() -> None:
    stories = pd.DataFrame({"story_id": ["s1"], "story": ["Only cue6 here."]})
    codes = RuleCoder(DEEP).fit().code(stories)
    assert sorted(codes["code"].astype(str)) == LEVELS
    assert "via level6" in codes.set_index("code").loc["level0", "evidence"]


def test_the_codebook_files_keep_seven_levels(tmp_path) -> None:
    for path in (
        write_codebook(DEEP, tmp_path / "deep.yaml"),
        write_codebook(DEEP, tmp_path / "deep.csv"),
    ):
        back = load_codebook(path) if path.suffix == ".yaml" else read_codebook(path)
        assert [c.parent for c in back.codes] == [None, *LEVELS[:-1]]


def test_a_deep_code_counts_as_its_root() -> None:
    parents = {c.code: c.parent for c in DEEP.codes if c.parent}
    assert cycle_of("level6", parents=parents) == "level0"


def test_a_refi_codebook_keeps_seven_levels(tmp_path) -> None:
    from copanalysis.io import read_refi, write_qdc

    back = read_refi(write_qdc(DEEP, tmp_path / "deep.qdc")).codebook
    deepest = back.codes[-1].code
    assert back.path(deepest).count("/") == 6
