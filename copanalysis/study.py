"""The main job: code a loaded corpus and compute every table a report needs.

``analyse(corpus)`` is the one-way flow of the package in one call: the corpus frames go to the
coders, the codes to the analysis functions, and the tables come back in a frozen
:class:`Findings` value that the plots, the report and the command line read from. Nothing here
touches files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from copanalysis.io.corpus import Corpus

#: Which codebooks code which frame in a study.
CODEBOOKS_FOR: Mapping[str, tuple[str, ...]] = {
    "stories": ("value_cycles", "strategic_grid"),
    "items": ("enablers_challenges",),
    "roles": ("leadership_roles", "member_types"),
    "grid": ("value_cycles",),
}

CoderName = Literal["rules", "model", "ensemble"]


@dataclass(frozen=True)
class Findings:
    """Every table behind a study's report, with the codes they come from.

    Attributes
    ----------
    corpus : Corpus
        The loaded frames.
    codes : DataFrame
        Machine codes of every frame and codebook (the ``codes`` frame).
    coder : str
        Which coder produced ``codes`` for the stories' value cycles, and why.
    tables : dict of str to DataFrame
        The summary tables, by name (``frequencies``, ``grid``, ``paths``, ``flows``, ...).
    """

    corpus: Corpus
    codes: pd.DataFrame
    coder: str
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def codes_for(self, codebook: str) -> pd.DataFrame:
        """The machine codes of one codebook."""
        return self.codes[self.codes["codebook"] == codebook]


def analyse(
    corpus: Corpus,
    *,
    coder: CoderName | Literal["best"] = "best",
    progress: bool = True,
    random_state: int = 0,
) -> Findings:
    """Code a corpus and compute the summary tables of a report.

    Parameters
    ----------
    corpus : Corpus
        From :func:`copanalysis.io.load_corpus`.
    coder : {"best", "rules", "model", "ensemble"}
        The coder for the stories' value cycles. ``"best"`` picks the one with the highest
        cross-validated macro F1 against the corpus's human codes, or the rules when there are
        none. The other codebooks are coded by rules (no human codes train them).
    progress : bool
        Show progress bars.
    random_state : int
        Seed for the learned coder, the cross-validation and the bootstrap intervals.

    Returns
    -------
    Findings
    """
    from copanalysis.analysis import (
        agreement,
        code_frequencies,
        cooccurrence,
        evaluate,
        quantities,
        role_matrix,
        story_paths,
        theme_balance,
        value_flows,
        value_grid,
        value_grid_summary,
    )
    from copanalysis.coding import RuleCoder, TextCoder, code, find_themes
    from copanalysis.coding.ensemble import EnsembleCoder

    stories, gold = corpus.stories, corpus.gold
    tables: dict[str, pd.DataFrame] = {}
    rule_codes = code(stories, "value_cycles", coder="rules", progress=progress)
    machine = {"rules": rule_codes}
    chosen: str = "rules"
    reason = "no human codes to compare with"
    gold_cycles = gold[gold["codebook"] == "value_cycles"] if len(gold) else gold
    if len(gold_cycles):
        candidates = {
            "rules": RuleCoder("value_cycles"),
            "model": TextCoder("value_cycles", random_state=random_state),
            "ensemble": EnsembleCoder("value_cycles", random_state=random_state),
        }
        scores = {}
        for name, estimator in candidates.items():
            table = evaluate(estimator, gold_cycles, stories, cv=5, random_state=random_state)
            table.insert(0, "coder", name)
            tables[f"evaluation_{name}"] = table
            scores[name] = float(table.loc[table["code"] == "macro avg", "f1"].iloc[0])
        chosen = max(scores, key=lambda k: scores[k]) if coder == "best" else coder
        reason = (
            "highest cross-validated macro F1 against the human codes ("
            + ", ".join(f"{k} {v:.2f}" for k, v in scores.items())
            + ")"
        )
        human = gold_cycles[gold_cycles["coder"].str.match(r"^(?!rules:|model:)")]
        fitted_model = candidates["model"].fit_codes(stories, human)
        machine["model"] = fitted_model.code(stories)
        if chosen == "ensemble":
            machine["ensemble"] = candidates["ensemble"].fit_codes(stories, human).code(stories)
        tables["agreement"] = agreement(
            pd.concat([gold_cycles, machine["rules"], machine["model"]], ignore_index=True),
            codebook="value_cycles",
            random_state=random_state,
        )
    elif coder != "best":
        chosen = coder
    cycles = machine.get(chosen, rule_codes)

    parts = [cycles]
    parts.append(code(stories, "strategic_grid", progress=progress))
    for frame_name in ("items", "roles", "grid"):
        frame = getattr(corpus, frame_name)
        if len(frame):
            parts.append(code(frame, list(CODEBOOKS_FOR[frame_name]), progress=progress))
    codes = pd.concat([p for p in parts if len(p)], ignore_index=True)

    tables["frequencies"] = code_frequencies(cycles, codebook="value_cycles", frame=stories)
    tables["frequencies_by_community"] = code_frequencies(
        cycles, codebook="value_cycles", frame=stories, by="community"
    )
    placements = value_grid(
        codes[codes["codebook"].isin(["value_cycles", "strategic_grid"])], stories
    )
    tables["grid_placements"] = placements
    tables["grid"] = value_grid_summary(placements)
    tables["paths"] = story_paths(cycles, frame=stories)
    tables["flows"] = value_flows(cycles)
    tables["cooccurrence"] = cooccurrence(cycles)
    tables["quantities"] = quantities(stories)
    item_codes = codes[codes["codebook"] == "enablers_challenges"]
    if len(item_codes):
        tables["themes"] = theme_balance(item_codes)
    if len(corpus.items):
        tables["inductive_themes"] = find_themes(corpus.items, random_state=random_state)
    if len(corpus.roles):
        tables["roles"] = role_matrix(corpus.roles)
    label = str(cycles["coder"].iloc[0]) if len(cycles) else chosen
    return Findings(corpus=corpus, codes=codes, coder=f"{label} ({reason})", tables=tables)
