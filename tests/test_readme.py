"""The README's measured figures are what the code measures today."""

from __future__ import annotations

import pytest
import readme_figures


@pytest.mark.slow
def test_readme_figures_match_the_code() -> None:
    text = readme_figures.README.read_text(encoding="utf-8")
    present = readme_figures.readme_blocks(text)
    assert set(readme_figures.BLOCKS) <= set(present), "README lacks a measured block"
    measured = readme_figures.measured(readme_figures.findings())
    for name, body in measured.items():
        assert present[name] == body, (
            f"README block {name!r} is stale: run .venv/bin/python tests/readme_figures.py"
        )


def test_rewrite_replaces_only_known_blocks() -> None:
    def block(name: str, body: str) -> str:
        return f"<!-- measured:{name} -->\n{body}<!-- /measured -->\n"

    text = "a\n" + block("corpus", "old\n") + block("bench", "x\n")
    out = readme_figures.rewrite(text, {"corpus": "new\n"})
    assert out == "a\n" + block("corpus", "new\n") + block("bench", "x\n")


def test_the_default_coders_are_the_best_on_the_development_set() -> None:
    pytest.importorskip("sentence_transformers")  # the default follows the installed coders
    from copanalysis.coding.coders import PREFERENCE

    for book in readme_figures.DEV_SETS:
        assert PREFERENCE[book] == readme_figures.dev_ranking(book), (
            f"coders.PREFERENCE[{book!r}] does not follow the measured ranking"
        )


def test_the_agreement_paragraph_says_what_unit_the_figures_use() -> None:
    """Trial 32: `agreement` counts by story unless told, while the README's tables and the
    report count sentences, and the paragraph did not say so."""
    text = " ".join(readme_figures.README.read_text(encoding="utf-8").split())
    paragraph = text[text.index("- `agreement(codes)` gives") :]
    paragraph = paragraph[: paragraph.index(" - ")]
    assert (
        '`unit` says what is compared: the default, `unit="doc"`, asks only whether each '
        'coder applied a code somewhere in a story; `unit="segment", '
        "segments=cop.segment(stories)` compares sentence by sentence, as the measured "
        "tables below, `analyse` and the HTML report do." in paragraph
    )
