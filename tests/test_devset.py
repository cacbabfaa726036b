"""The development set (data/dev): well formed, and kept apart from every training text."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from copanalysis.codebooks import list_codebooks
from copanalysis.io import load_corpus
from copanalysis.io.codebooks import load_codebook

#: The sources held back for independent evaluation (../shared/RESERVED-SOURCES.md), by
#: first author, and words that name the others anywhere in a citation: none may appear in
#: the development set.
RESERVED_FIRST_AUTHORS = (
    "Whitaker",
    "Bertram",
    "Koatz",
    "Soleymani",
    "van Amersfoort",
    "Baas",
    "Booth Freeman",
    "Cavé",
    "Probst",
    "Allison",
    "Baker",
    "Barnett",
    "Duarte",
    "Ford",
    "Ponsford",
    "Ikioda",
    "McCreesh",
    "McLoughlin",
    "Ranmuthugala",
    "Wenger-Trayner",
)
RESERVED_WORDS = ("Albion", "Strive", "Center of Excellence in Finance", "MOOC-Ed")


@pytest.fixture(scope="module")
def dev(repo_root: Path):
    return load_corpus(repo_root / "data" / "dev", progress=False)


def test_the_development_set_loads_as_a_study_folder(dev) -> None:
    assert len(dev.stories) == 29
    assert len(dev.items) == 119
    assert set(dev.gold["coder"]) == {"authors"}
    assert set(dev.gold["codebook"]) == {"value_cycles", "enablers_challenges"}
    for book in ("value_cycles", "enablers_challenges"):
        known = {c.code for c in load_codebook(book).codes}
        assert set(dev.gold.loc[dev.gold["codebook"] == book, "code"]) <= known
    # every unit has a code, with its span covering the whole text
    assert set(dev.stories["story_id"]) == set(dev.gold["doc_id"]) & set(dev.stories["story_id"])
    texts = dict(zip(dev.stories["story_id"], dev.stories["story"], strict=True))
    for row in dev.gold[dev.gold["codebook"] == "value_cycles"].itertuples():
        assert (row.start, row.end, row.quote) == (0, len(texts[row.doc_id]), texts[row.doc_id])


def test_every_unit_says_where_it_comes_from(dev) -> None:
    for frame in (dev.stories, dev.items):
        assert frame["citation"].str.len().min() > 40
        assert frame["locator"].notna().all()
        assert set(frame["text_type"]) <= {"verbatim", "close_paraphrase"}
        assert frame["licence"].notna().all()
    assert set(dev.items["kind"]) == {"enabler", "challenge"}


def test_no_unit_comes_from_a_reserved_source(dev) -> None:
    citations = pd.concat([dev.stories["citation"], dev.items["citation"]])
    hits = [c for c in citations if c.startswith(RESERVED_FIRST_AUTHORS)]
    hits += [c for c in citations for word in RESERVED_WORDS if word in c]
    assert hits == []
    # the seed's coaching journal is volume 7, not the reserved volumes 3 and 5
    coaching = citations[citations.str.contains("Applied Coaching Research Journal")]
    assert coaching.str.contains(r"Vol\. ?7").all()


def _training_texts() -> list[str]:
    texts: list[str] = []
    for name in list_codebooks():
        book = load_codebook(name)
        texts += book.training_units()["text"].tolist()
        texts += [example for code in book.codes for example in code.examples]
    return texts


def test_no_development_unit_is_in_the_training_material(dev) -> None:
    from rapidfuzz import fuzz, process

    units = dev.stories["story"].tolist() + dev.items["text"].tolist()
    training = _training_texts()
    assert len(training) > 1500
    scores = process.cdist(units, training, scorer=fuzz.ratio, workers=1)
    worst = np.unravel_index(np.argmax(scores), scores.shape)
    assert scores.max() < 85, (units[worst[0]], training[worst[1]], scores.max())


@pytest.mark.parametrize("name", ["value_cycles", "enablers_challenges"])
def test_the_published_units_in_the_package_are_the_development_set(name) -> None:
    """The package data the semantic coder learns from is data/dev as it stands
    (tests/published_units.py writes it), every unit with its authors' first code first."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from published_units import published

    shipped = load_codebook(name).published_units()
    built = published(name)
    assert shipped["unit_id"].tolist() == built["unit_id"].tolist()
    assert shipped["text"].tolist() == built["text"].tolist()
    assert [";".join(c) for c in shipped["codes"]] == built["codes"].tolist()
    assert shipped["polarity"].tolist() == built["polarity"].tolist()
    assert shipped.attrs["dropped"] == 0


def test_published_units_are_all_the_coded_development_units(dev) -> None:
    cycles = load_codebook("value_cycles").published_units()
    themes = load_codebook("enablers_challenges").published_units()
    assert set(cycles["unit_id"]) == set(dev.stories["story_id"])
    themed = dev.items[dev.items["theme"].notna()]
    assert set(themes["unit_id"]) == set(themed["item_id"])  # two fit no theme: left out
    kinds = themed.set_index("item_id")["kind"]
    assert (themes.set_index("unit_id")["kind"] == kinds.reindex(themes["unit_id"])).all()
    assert set(themes["polarity"]) == {1, -1}
