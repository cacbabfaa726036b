"""The measured figures of the README: the real development set first, then the bundled corpus.

The README holds blocks between ``<!-- measured:NAME -->`` and ``<!-- /measured -->``. This
module computes each block; ``tests/test_readme.py`` fails when the README disagrees with
the code, and running this file rewrites the blocks::

    .venv/bin/python tests/readme_figures.py

The benchmark block is written by ``benchmarks/run.py`` (timings are not reproducible, so no
test compares them).
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
DEV = REPO / "data" / "dev"
#: The coded sets of the development set: codebook -> the frame it codes.
DEV_SETS = {"value_cycles": "stories", "enablers_challenges": "items"}
CYCLES = (
    "immediate",
    "potential",
    "applied",
    "realized",
    "reframing",
    "orienting",
    "enabling",
    "strategic",
)
#: Bootstrap resamples for the kappa intervals, and the folds of the cross-validation.
N_BOOT = 2000
FOLDS = 5
README = REPO / "README.md"
BLOCK = re.compile(
    r"(<!-- measured:(?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- /measured -->)", re.S
)


def _markdown(table: pd.DataFrame, *, floats: str = "{:.2f}") -> str:
    shown = table.copy()
    for column in shown.columns:
        if pd.api.types.is_float_dtype(shown[column]):
            shown[column] = [floats.format(v) if pd.notna(v) else "" for v in shown[column]]
    header = "| " + " | ".join(map(str, shown.columns)) + " |"
    rule = "|" + "|".join("---" for _ in shown.columns) + "|"
    rows = ["| " + " | ".join(map(str, row)) + " |" for row in shown.itertuples(index=False)]
    return "\n".join([header, rule, *rows]) + "\n"


def findings():
    """The bundled corpus analysed as ``make demo`` does (coder chosen by cross-validation)."""
    from copanalysis.io import load_corpus
    from copanalysis.study import analyse

    return analyse(load_corpus(REPO / "data" / "raw", progress=False), progress=False)


def corpus_block(result) -> str:
    corpus = result.corpus
    gold = corpus.gold
    rows = [
        ("value-creation stories", len(corpus.stories)),
        ("communities", corpus.stories["community"].nunique()),
        ("story files (CSV, XLSX, DOCX, Markdown)", len(corpus.stories.attrs["sources"])),
        ("enabler and challenge items", len(corpus.items)),
        ("leadership-role respondents", corpus.roles["respondent"].nunique()),
        ("value-grid respondents", corpus.grid["respondent"].nunique()),
        ("human-coded spans (gold set)", len(gold)),
        ("human coders", gold["coder"].nunique()),
        ("machine-coded spans (all codebooks)", len(result.codes)),
    ]
    return _markdown(pd.DataFrame(rows, columns=["what", "count"]))


def _per_code(table: pd.DataFrame) -> pd.DataFrame:
    columns = ["code", "precision", "recall", "f1", "cohen_kappa", "support"]
    return table[columns].rename(columns={"cohen_kappa": "kappa"})


def rules_block(result) -> str:
    evaluation = result.tables["evaluation"]
    return _markdown(_per_code(evaluation[evaluation["coder"] == "rules"]))


def _untrained(result) -> pd.DataFrame:
    """The learned coders trained on the codebook's training corpus, scored on every story."""
    from copanalysis.coding.evaluation import evaluate

    gold, stories = result.corpus.gold, result.corpus.stories
    main = str(gold["coder"].value_counts().index[0])
    parts = []
    for name in ("model", "semantic", "ensemble"):
        coder = dev_coder(name, "value_cycles")
        table = evaluate(coder, gold, stories, cv=0, coders=[main])
        parts.append(table.assign(coder=name, training="training corpus"))
    return pd.concat(parts, ignore_index=True)


def coders_block(result) -> str:
    # what each learned coder learns from when run fits it (trial 20: the label named
    # only the human codes): the corpus, for semantic (and the ensemble's semantic member)
    # the published development set too, then the human codes of the other folds
    trained = {
        "model": "training corpus + human codes, 5-fold by story",
        "semantic": "training corpus + development set + human codes, 5-fold by story",
        "ensemble": "training corpus + development set + human codes, 5-fold by story",
        "rules": "none (rules)",
    }
    evaluation = result.tables["evaluation"]
    evaluation = evaluation.assign(training=evaluation["coder"].map(trained))
    both = pd.concat([evaluation, _untrained(result)], ignore_index=True)
    rows = both[both["code"].isin(["(micro avg)", "(macro avg)"])]
    table = rows.pivot(index=["coder", "training"], columns="code", values="f1").reset_index()
    table.columns = ["coder", "trained on", "macro F1", "micro F1"]
    return _markdown(table.sort_values("macro F1", ascending=False))


def default_block(result) -> str:
    evaluation = result.tables["evaluation"]
    chosen = result.coder.split(":", 1)[0]
    return _markdown(_per_code(evaluation[evaluation["coder"] == chosen]))


def agreement_block(result) -> str:
    gold = result.corpus.gold
    coders = gold["coder"].value_counts()
    stories = gold.groupby("coder")["doc_id"].nunique()
    both = set.intersection(*(set(g) for _, g in gold.groupby("coder")["doc_id"]))
    humans = f"human vs human ({', '.join(coders.index)}; {len(both)} stories)"
    machine = f"machine vs {coders.index[0]} (held-out codes, {stories[coders.index[0]]} stories)"
    same = f"machine vs {coders.index[0]} (held-out codes, the same {len(both)} stories)"
    rows = []
    for name, label in (
        ("agreement_humans", humans),
        ("agreement_same_stories", same),
        ("agreement", machine),
    ):
        table = result.tables[name]
        overall = table.query("code == '(all codes)'").iloc[0]
        per_code = table.query("code != '(all codes)'")["units"]
        rows.append(
            {
                "comparison": label,
                "sentences": int(per_code.max()),
                "sentence x code units": int(overall["units"]),
                "Cohen's kappa": overall["cohen_kappa"],
                "Krippendorff's alpha": overall["krippendorff_alpha"],
                "95% CI": f"{overall['alpha_low']:.2f} to {overall['alpha_high']:.2f}",
            }
        )
    return _markdown(pd.DataFrame(rows))


#: The prompt weights the README compares (``SemanticCoder(prompts=...)``): the text
#: alone, the earlier default, the default, and a prompt that nearly decides alone.
PROMPTS = (1.0, 2.0, 8.0, 20.0)


def _answers(codes: pd.DataFrame, *, by: str) -> pd.DataFrame:
    """Each answer's primary code (one unit per story and prompt field)."""
    from copanalysis.analysis.validity import primary_codes

    answers = codes.assign(doc_id=codes["doc_id"].astype(str) + "/" + codes["field"].astype(str))
    return primary_codes(answers, codebook="value_cycles", by=by)


def prompts_block(result) -> str:
    """The semantic coder as shipped (its corpus and the published units; not the gold
    codes), with each prompt weight, against the main human coder's main code of each
    answer; and the cycle each prompt asks about, with no coder at all."""
    from copanalysis.analysis.validity import validity
    from copanalysis.coding.semantic import PROMPT_CYCLES, SemanticCoder

    gold = result.corpus.gold
    human = gold["coder"].value_counts().index[0]
    reference = _answers(gold[gold["coder"] == human], by="order")["code"]
    fields = reference.index.str.rsplit("/", n=1).str[1]
    asked = pd.Series(fields.map(lambda f: PROMPT_CYCLES.get(f, "")), index=reference.index)
    stories = result.corpus.stories
    stories = stories[stories["story_id"].astype(str).isin(set(gold["doc_id"].astype(str)))]

    def row(name: str, primary: pd.DataFrame) -> dict[str, object]:
        table = validity(primary, reference=reference, labels=list(CYCLES), n_boot=N_BOOT)
        given = primary["code"].reindex(reference.index)
        return {
            "coder": name,
            "kappa (95% CI)": _kappa_cell(table),
            "answers given their prompt's cycle": f"{(given == asked).mean():.0%}",
        }

    rows = [
        {
            "coder": f"{human} (the reference)",
            "kappa (95% CI)": "1",
            "answers given their prompt's cycle": f"{(reference == asked).mean():.0%}",
        },
        row(
            "no coder: the cycle the prompt asks about",
            pd.DataFrame({"code": asked[asked != ""], "confidence": 1.0, "polarity": 1}),
        ),
    ]
    for prompts in PROMPTS:
        coder = SemanticCoder(prompts=prompts).fit_codebook()
        default = " (default)" if prompts == SemanticCoder().prompts else ""
        rows.append(row(f"semantic, `prompts={prompts:g}`{default}", _answers(
            coder.code(stories), by="confidence"
        )))  # fmt: skip
    return _markdown(pd.DataFrame(rows))


# --------------------------------------------------------------- the development set


@functools.cache
def dev_corpus():
    """``data/dev``, with the items' ``kind`` withheld from the coders."""
    from copanalysis.io import load_corpus

    return load_corpus(DEV, progress=False)


def _dev_frame(book: str) -> pd.DataFrame:
    corpus = dev_corpus()
    if book == "value_cycles":
        return corpus.stories
    return corpus.items.drop(columns=["kind"])  # polarity is judged from the text alone


def _reference(book: str) -> pd.Series:
    from copanalysis.analysis.validity import primary_codes

    gold = dev_corpus().gold
    return primary_codes(gold[gold["codebook"] == book], codebook=book, by="order")["code"]


def dev_coder(name: str, book: str):
    """A coder as ``code(coder=name)`` fits it, on the codebook's own training material,
    but without the published units (the development set itself, which the shipped
    semantic coder also learns from): nothing here is coded by a coder that saw it."""
    from copanalysis.coding.coders import fit_default, make_coder

    blind = {"published": False}
    if name == "semantic":
        return fit_default(make_coder(name, book, **blind))
    if name == "ensemble":
        members = [
            ("semantic", make_coder("semantic", book, **blind)) if member == "semantic" else member
            for member in make_coder(name, book).members
        ]
        return fit_default(make_coder(name, book, members=members))
    return fit_default(make_coder(name, book))


@functools.cache
def dev_primary(name: str, book: str) -> pd.DataFrame:
    """The primary code of each development unit by coder ``name`` (trained on the corpus)."""
    from copanalysis.analysis.validity import primary_codes

    codes = dev_coder(name, book).code(_dev_frame(book))
    return primary_codes(codes, codebook=book)


@functools.cache
def dev_shipped_cross_validated(book: str) -> pd.DataFrame:
    """The semantic coder as the package ships it (corpus, definitions and the published
    units, each counting PUBLISHED_WEIGHT), each unit coded by a coder whose published
    units are the other folds' only (5-fold, the folds of :func:`dev_cross_validated`)."""
    from sklearn.model_selection import KFold

    from copanalysis.analysis.validity import primary_codes
    from copanalysis.coding.semantic import SemanticCoder
    from copanalysis.coding.training import PUBLISHED_WEIGHT, codebook_material
    from copanalysis.io.codebooks import load_codebook

    frame = _dev_frame(book)
    id_column = "story_id" if book == "value_cycles" else "item_id"
    material = codebook_material(book, published=False)
    real = load_codebook(book).published_units()
    ids = frame[id_column].astype(str).to_numpy()
    parts = []
    for train, test in KFold(FOLDS, shuffle=True, random_state=0).split(ids):
        seen = real[real["unit_id"].isin(ids[train])]
        coder = SemanticCoder(book, published=False).fit(
            material["text"].tolist() + seen["text"].tolist(),
            material["codes"].tolist() + [list(c) for c in seen["codes"]],
            polarity=material["polarity"].tolist() + seen["polarity"].tolist(),
            sample_weight=material["weight"].tolist() + [PUBLISHED_WEIGHT] * len(seen),
        )
        parts.append(coder.code(frame[frame[id_column].isin(ids[test])]))
    return primary_codes(pd.concat(parts, ignore_index=True), codebook=book)


@functools.cache
def dev_cross_validated(book: str) -> pd.DataFrame:
    """The semantic coder's primary codes, each unit coded by a coder trained on the corpus
    and the other folds' units (5-fold)."""
    from sklearn.model_selection import KFold

    from copanalysis.analysis.validity import primary_codes
    from copanalysis.coding.semantic import SemanticCoder

    frame = _dev_frame(book)
    id_column = "story_id" if book == "value_cycles" else "item_id"
    gold = dev_corpus().gold
    gold = gold[gold["codebook"] == book]
    ids = frame[id_column].astype(str).to_numpy()
    parts = []
    for train, test in KFold(FOLDS, shuffle=True, random_state=0).split(ids):
        coder = SemanticCoder(book, published=False).fit_codes(
            frame[frame[id_column].isin(ids[train])], gold[gold["doc_id"].isin(ids[train])]
        )
        parts.append(coder.code(frame[frame[id_column].isin(ids[test])]))
    return primary_codes(pd.concat(parts, ignore_index=True), codebook=book)


def _before_dev_material(book: str) -> pd.DataFrame:
    """The codebook's training material as it stood before the coders' errors on the
    development set were read: units marked ``after_dev == "written"`` left out, and units
    ``recoded from <codes>`` given back their earlier codes."""
    from copanalysis.coding.training import codebook_material
    from copanalysis.io.codebooks import load_codebook

    units = load_codebook(book).training_units()
    material = codebook_material(book)  # the corpus's units first, in order, then definitions
    after = units["after_dev"].fillna("").to_numpy()
    codes = material["codes"].tolist()
    for i, mark in enumerate(after):
        if mark.startswith("recoded from "):
            codes[i] = mark.removeprefix("recoded from ").split(";")
    material = material.assign(codes=pd.Series(codes, index=material.index, dtype=object))
    written = np.zeros(len(material), dtype=bool)
    written[: len(units)] = after == "written"
    return material[~written].reset_index(drop=True)


def after_dev_counts(book: str) -> tuple[int, int]:
    """Training units written, and recoded, after the coders' errors on the dev set were read."""
    from copanalysis.io.codebooks import load_codebook

    after = load_codebook(book).training_units()["after_dev"].fillna("")
    return int((after == "written").sum()), int(after.str.startswith("recoded").sum())


def dev_before_dev(book: str) -> pd.DataFrame:
    """The semantic coder's primary codes when trained on :func:`_before_dev_material`."""
    from copanalysis.coding.semantic import SemanticCoder

    return dev_words(book, SemanticCoder().words, before_dev=True)


#: The weights of a unit's words beside its embedding that the README compares
#: (``SemanticCoder(words=...)``): the embedding alone, and the default.
WORDS = (0.0, 1.0)


@functools.cache
def dev_words(book: str, words: float, *, before_dev: bool = False) -> pd.DataFrame:
    """The semantic coder's primary codes with ``words``, trained on the corpus alone, or
    on the corpus as it stood before this set's errors were read (``before_dev``)."""
    from copanalysis.analysis.validity import primary_codes
    from copanalysis.coding.semantic import SemanticCoder
    from copanalysis.coding.training import codebook_material

    material = (
        _before_dev_material(book) if before_dev else codebook_material(book, published=False)
    )
    coder = SemanticCoder(book, words=words).fit(
        material["text"].tolist(),
        material["codes"].tolist(),
        polarity=material["polarity"].tolist(),
        sample_weight=material["weight"].tolist(),
    )
    return primary_codes(coder.code(_dev_frame(book)), codebook=book)


@functools.cache
def corpus_sector_kappa(book: str, words: float) -> float:
    """Kappa of the semantic coder's main code on its own training corpus, each unit coded
    by a coder trained on the units of other sectors (5 folds of two sectors each): a
    measure apart from the development set, on text we wrote."""
    from sklearn.metrics import cohen_kappa_score
    from sklearn.model_selection import GroupKFold

    from copanalysis.coding.semantic import SemanticCoder
    from copanalysis.io.codebooks import load_codebook

    codebook = load_codebook(book)
    units = codebook.training_units().reset_index(drop=True)
    labels = [list(c) if isinstance(c, tuple | list) else [] for c in units["codes"]]
    texts = units["text"].tolist()
    gold: list[str] = []
    guessed: list[str] = []
    for train, test in GroupKFold(FOLDS).split(units, groups=units["sector"]):
        coder = SemanticCoder(book, words=words).fit(
            [texts[i] for i in train],
            [labels[i] for i in train],
            polarity=units["polarity"].iloc[train].tolist(),
        )
        top = [j for j, c in enumerate(coder.classes_) if c in coder.top_classes_]
        proba = coder.predict_proba([texts[i] for i in test])[:, top]
        for i, k in zip(test, np.argmax(proba, axis=1), strict=True):
            if labels[i]:
                gold.append(codebook.lineage(labels[i][0])[-1])
                guessed.append(str(coder.classes_[top[k]]))
    return float(cohen_kappa_score(gold, guessed))


def words_block() -> str:
    """The semantic coder with and without its units' words beside the embedding."""
    rows = []
    for words in WORDS:
        row: dict[str, object] = {"`words`": f"{words:g}"}
        for book, name in (("value_cycles", "cycles"), ("enablers_challenges", "themes")):
            for before_dev, trained in ((False, "corpus"), (True, "corpus before dev")):
                table = _validity(book, dev_words(book, words, before_dev=before_dev))
                row[f"dev {name}: kappa, {trained}"] = _kappa_cell(table)
            row[f"corpus {name}: kappa, other sectors"] = corpus_sector_kappa(book, words)
        rows.append(row)
    return _markdown(pd.DataFrame(rows))


def _validity(book: str, primary: pd.DataFrame, **kwargs) -> pd.DataFrame:
    from copanalysis.analysis.validity import validity

    labels = CYCLES if book == "value_cycles" else sorted(set(_reference(book)))
    return validity(primary, reference=_reference(book), labels=labels, n_boot=N_BOOT, **kwargs)


def _polarity_right(primary: pd.DataFrame) -> float:
    """Share of enabler/challenge statements whose primary code has the authors' kind."""
    kind = dev_corpus().items.set_index("item_id")["kind"]
    polarity = primary.reindex(kind.index)["polarity"]
    guessed = np.where(polarity < 0, "challenge", np.where(polarity > 0, "enabler", ""))
    return float((guessed == kind.to_numpy()).mean())


def _kappa_cell(table: pd.DataFrame) -> str:
    a = table.attrs
    return f"{a['kappa']:.2f} ({a['kappa_low']:.2f} to {a['kappa_high']:.2f})"


def _sources(citations: pd.Series) -> int:
    """Distinct sources, however the citations of one source were punctuated."""
    return citations.str.lower().str.replace(r"[^a-z0-9]", "", regex=True).str[:30].nunique()


def devset_block() -> str:
    corpus = dev_corpus()
    gold = corpus.gold
    cycles = _reference("value_cycles").value_counts()
    kinds = corpus.items["kind"].value_counts()
    rows = [
        ("value-cycle units (quotes, statements)", len(corpus.stories)),
        ("... their sources", _sources(corpus.stories["citation"])),
        ("... verbatim (open licence)", int((corpus.stories["text_type"] == "verbatim").sum())),
        ("... by main cycle", ", ".join(f"{c} {n}" for c, n in cycles.items())),
        ('... that name a cycle outright ("immediate value")', _naming_units(corpus.stories)),
        ("enabler/challenge statements", len(corpus.items)),
        ("... their sources", _sources(corpus.items["citation"])),
        ("... verbatim (open licence)", int((corpus.items["text_type"] == "verbatim").sum())),
        ("... enablers, challenges", f"{kinds['enabler']}, {kinds['challenge']}"),
        (
            "... themes used (of 22)",
            gold.loc[gold["codebook"] == "enablers_challenges", "code"].nunique(),
        ),
    ]
    return _markdown(pd.DataFrame(rows, columns=["what", "count"]))


def _naming_units(stories: pd.DataFrame) -> int:
    """Units that name a value cycle by its label or an alias (evaluators' statements)."""
    from copanalysis.coding.naming import code_names
    from copanalysis.io.codebooks import load_codebook

    names = code_names(load_codebook("value_cycles"))
    return sum(bool(found) for found in names.find_all(stories["story"]))


#: The coders reported on the development set, with what they were trained on.
DEV_CODERS = ("semantic", "ensemble", "model", "rules")


@functools.cache
def dev_ranking(book: str) -> tuple[str, ...]:
    """The coders by kappa of the primary code on one coded set, best first (ties: the
    order of DEV_CODERS). ``copanalysis.coding.coders.PREFERENCE`` must follow it."""
    kappas = {name: _validity(book, dev_primary(name, book)).attrs["kappa"] for name in DEV_CODERS}
    return tuple(sorted(DEV_CODERS, key=lambda n: -kappas[n]))


def validity_block() -> str:
    from copanalysis.coding.coders import make_coder

    rows = []
    for name in DEV_CODERS:
        cycles = _validity("value_cycles", dev_primary(name, "value_cycles"))
        themes = _validity("enablers_challenges", dev_primary(name, "enablers_challenges"))
        trained = (
            "cues; confidence calibrated on the training corpus"
            if name == "rules"
            else "training corpus"
        )
        if name == "ensemble":
            members = [m if isinstance(m, str) else m[0] for m in make_coder(name, "x").members]
            trained = f"{' + '.join(members)}, training corpus"
        rows.append(
            {
                "coder": name,
                "trained on": trained,
                "cycles: kappa (95% CI)": _kappa_cell(cycles),
                "cycles: accuracy": cycles.attrs["accuracy"],
                "themes: kappa (95% CI)": _kappa_cell(themes),
                "enabler or challenge right (kind withheld)": _polarity_right(
                    dev_primary(name, "enablers_challenges")
                ),
            }
        )
    cycles = _validity("value_cycles", dev_before_dev("value_cycles"))
    themes = _validity("enablers_challenges", dev_before_dev("enablers_challenges"))
    written = [after_dev_counts(book) for book in ("value_cycles", "enablers_challenges")]
    rows.append(
        {
            "coder": "semantic",
            "trained on": (
                "training corpus without the units written or recoded after reading this "
                f"set's errors ({written[0][0]} + {written[0][1]} cycles, "
                f"{written[1][0]} + {written[1][1]} themes)"
            ),
            "cycles: kappa (95% CI)": _kappa_cell(cycles),
            "cycles: accuracy": cycles.attrs["accuracy"],
            "themes: kappa (95% CI)": _kappa_cell(themes),
            "enabler or challenge right (kind withheld)": _polarity_right(
                dev_before_dev("enablers_challenges")
            ),
        }
    )
    for trained, primary in (
        (
            f"as shipped: training corpus + the other dev units ({FOLDS}-fold)",
            dev_shipped_cross_validated,
        ),
        (
            f"training corpus + `fit_codes` on the other dev units' codes ({FOLDS}-fold)",
            dev_cross_validated,
        ),
    ):
        cycles = _validity("value_cycles", primary("value_cycles"))
        themes = _validity("enablers_challenges", primary("enablers_challenges"))
        rows.append(
            {
                "coder": "semantic",
                "trained on": trained,
                "cycles: kappa (95% CI)": _kappa_cell(cycles),
                "cycles: accuracy": cycles.attrs["accuracy"],
                "themes: kappa (95% CI)": _kappa_cell(themes),
                "enabler or challenge right (kind withheld)": _polarity_right(
                    primary("enablers_challenges")
                ),
            }
        )
    return _markdown(pd.DataFrame(rows))


def validity_cycles_block() -> str:
    """Per-cycle precision, recall and F1 of every coder (trained on the corpus)."""
    ranking = dev_ranking("value_cycles")
    parts = []
    for name in ranking:
        table = _validity("value_cycles", dev_primary(name, "value_cycles"))
        table = table.reset_index()[["code", "precision", "recall", "f1", "support"]]
        parts.append(table.assign(coder=name))
    table = pd.concat(parts, ignore_index=True)
    table = table[table["support"] > 0]
    wide = table.pivot(index="code", columns="coder", values="f1")
    wide = wide.reindex([c for c in CYCLES if c in wide.index])[list(ranking)]
    support = table.drop_duplicates("code").set_index("code")["support"].astype(int)
    wide.insert(0, "units", support.reindex(wide.index))
    first = ranking[0]
    best = table[table["coder"] == first].set_index("code")
    wide.insert(1, f"{first}: precision", best["precision"].reindex(wide.index))
    wide.insert(2, f"{first}: recall", best["recall"].reindex(wide.index))
    wide.columns = [c if c in ("units",) or ":" in c else f"{c}: F1" for c in wide.columns]
    return _markdown(wide.reset_index())


#: The thresholds of the selective-coding table.
THRESHOLDS = (0.0, 0.3, 0.4, 0.5)


def selective_block() -> str:
    rows = []
    for book, label in (("value_cycles", "cycles"), ("enablers_challenges", "themes")):
        first = dev_ranking(book)[0]
        primary = dev_primary(first, book)
        for threshold in THRESHOLDS:
            a = _validity(book, primary, min_confidence=threshold).attrs
            rows.append(
                {
                    "coded set": f"{label} ({first})",
                    "min_confidence": f"{threshold:.1f}",
                    "coverage": a["coverage"],
                    "precision (primary code right)": a["precision"],
                    "units coded": f"{a['coded']} of {a['units']}",
                }
            )
    return _markdown(pd.DataFrame(rows))


def calibration_block() -> str:
    """Every coder's expected calibration error on the development set (5 bins)."""
    from copanalysis.analysis.validity import reliability

    rows = []
    for name in DEV_CODERS:
        row = {"coder": name}
        for book, label in (("value_cycles", "cycles"), ("enablers_challenges", "themes")):
            table = reliability(dev_primary(name, book), reference=_reference(book), bins=5)
            mean = (table["confidence"] * table["units"]).sum() / table["units"].sum()
            right = (table["accuracy"] * table["units"]).sum() / table["units"].sum()
            row[f"{label}: calibration error"] = table.attrs["ece"]
            row[f"{label}: mean confidence, share right"] = f"{mean:.2f}, {right:.2f}"
        rows.append(row)
    return _markdown(pd.DataFrame(rows))


def write_reliability_chart() -> list[Path]:
    """The default coder's reliability curve on the development set, for the README."""
    import matplotlib.pyplot as plt

    from copanalysis.analysis.validity import reliability
    from copanalysis.io import save_figure
    from copanalysis.plots.reliability import plot_reliability

    tables = {
        f"{label}, {dev_ranking(book)[0]} coder, {len(_reference(book))} units": reliability(
            dev_primary(dev_ranking(book)[0], book), reference=_reference(book), bins=5
        )
        for book, label in (("value_cycles", "cycles"), ("enablers_challenges", "themes"))
    }
    ax = plot_reliability(tables, title="The default coders on the development set")
    written = save_figure(ax.figure, REPO / "docs" / "images" / "reliability", formats=("png",))
    plt.close(ax.figure)
    return written


DEV_BLOCKS: dict[str, Callable[[], str]] = {
    "devset": devset_block,
    "validity": validity_block,
    "validity-cycles": validity_cycles_block,
    "words": words_block,
    "selective": selective_block,
    "calibration": calibration_block,
}


BLOCKS: dict[str, Callable[..., str]] = {
    "corpus": corpus_block,
    "rules": rules_block,
    "coders": coders_block,
    "default": default_block,
    "agreement": agreement_block,
    "prompts": prompts_block,
}


def measured(result) -> dict[str, str]:
    """Every block's text, by name."""
    blocks = {name: block() for name, block in DEV_BLOCKS.items()}
    return blocks | {name: block(result) for name, block in BLOCKS.items()}


def readme_blocks(text: str) -> dict[str, str]:
    """The blocks as the README has them now."""
    return {m["name"]: m["body"] for m in BLOCK.finditer(text)}


def rewrite(text: str, blocks: dict[str, str]) -> str:
    """``text`` with each known block replaced by its measured body."""
    return BLOCK.sub(
        lambda m: m[1] + blocks.get(m["name"], m["body"]) + m[4],
        text,
    )


#: the charts the README shows, written to docs/images/ by this script
README_CHARTS = ("value_grid", "cycle_frequencies")


def write_charts(result) -> list[Path]:
    """Draw the README's charts from ``result`` into ``docs/images/``."""
    import matplotlib.pyplot as plt

    from copanalysis.io import save_figure
    from copanalysis.report import report_figures

    figures = report_figures(result)
    written = []
    for name in README_CHARTS:
        written += save_figure(
            figures[name], REPO / "docs" / "images" / name, formats=("png",), dpi=110
        )
    for figure in figures.values():
        plt.close(figure)
    return written


if __name__ == "__main__":
    result = findings()
    README.write_text(rewrite(README.read_text(encoding="utf-8"), measured(result)))
    for path in [*write_charts(result), *write_reliability_chart()]:
        print(f"wrote {path}", file=sys.stderr)
    print(f"updated {README}", file=sys.stderr)
