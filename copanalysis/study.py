"""The main job: code a loaded corpus and compute every table a report needs.

``analyse(corpus)`` is the one-way flow of the package in one call: the corpus frames go to the
coders, the codes to the analysis functions, and the tables come back in a frozen
:class:`Findings` value that the plots, the report and the command line read from. Nothing here
touches files.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from time import monotonic
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from copanalysis.coding.coders import (
    LOCAL_CODERS,
    CoderName,
    default_coder,
    installed,
    judges_polarity,
)
from copanalysis.errors import SchemaError
from copanalysis.frames import CODEBOOKS_FOR
from copanalysis.io.corpus import Corpus

if TYPE_CHECKING:
    from copanalysis.codebooks.codebook import Codebook


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
        Which coder produced the stories' value-cycle codes, and why it was chosen.
    tables : dict of str to DataFrame
        The summary tables, by name: ``frequencies``, ``frequencies_by_community``,
        ``grid_placements``, ``grid``, ``grid_codes`` (the stories' coded passages on the
        strategic-value grid), ``worksheet_placements``, ``worksheet_grid``,
        ``worksheet_grid_codes`` (the grid worksheets' answers, in the cells their
        respondents wrote them in), ``paths``, ``flows``, ``cooccurrence``, ``quantities``,
        ``themes``, ``inductive_themes``, ``roles``, ``role_themes``, and where the corpus
        has human codes ``evaluation`` (each candidate coder against them, cross-validated;
        ``attrs["chosen"]`` names the one that coded the stories), with ``coder="best"``
        ``coder_choice`` (each coder's macro F1 minus the default's, with its interval:
        :func:`~copanalysis.coding.coder_choice.compare_with_default`),
        ``agreement`` (machine vs the main human coder, on codes the machine made for
        stories it was not trained on), ``codes_found`` (for each code the main human coder
        used, their sentences with it and how many of those the machine's out-of-fold codes
        found it in: :func:`~copanalysis.coding.evaluation.found_codes`),
        ``agreement_humans`` (human vs human) and
        ``agreement_same_stories`` (the machine on the stories a second person coded too); ``llm``
        when a language model coded the stories (its ``llm_report``: the server, the calls,
        the tokens).
    held_out : DataFrame
        The machine's out-of-fold value-cycle codes of the stories the main human coder
        coded: each story coded by a coder that never saw it in training, the codes
        ``agreement`` compares (the rule coder's own codes, which learn nothing). Empty
        without human codes of the value cycles.
    judges_polarity : bool
        Whether the coder of the stories' value cycles tells value denied from value told
        (its codes can have polarity -1): False for the TF-IDF ``model`` coder, whose codes
        are all +1, so that no story counts as telling of a cycle as absent.
    codes_given : bool
        Whether the stories' value-cycle codes were given to :func:`analyse` (made before
        it) rather than coded there: then no coder was trained here, and ``held_out`` and
        ``agreement`` hold the given codes of the stories the main human coder coded, as
        they were given.
    """

    corpus: Corpus
    codes: pd.DataFrame
    coder: str
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    held_out: pd.DataFrame = field(default_factory=lambda: _no_codes())
    judges_polarity: bool = True
    codes_given: bool = False

    def codes_for(self, codebook: str) -> pd.DataFrame:
        """The machine codes of one codebook."""
        return self.codes[self.codes["codebook"] == codebook]

    @property
    def trained_on(self) -> str | None:
        """The person whose value-cycle codes the stories' coder learned from (the main
        human coder), or None: no human codes, the rule coder, which learns nothing, or
        codes given to :func:`analyse`, whose coder was not trained here."""
        from copanalysis.coding.training import main_coder

        gold = self.corpus.gold
        human = gold[gold["codebook"].astype("string") == "value_cycles"] if len(gold) else gold
        if not len(human) or self.coder.startswith("rules:") or self.codes_given:
            return None
        return main_coder(human)


def _no_codes() -> pd.DataFrame:
    from copanalysis.schema import empty

    return empty("codes")


def project_codes(findings: Findings) -> pd.DataFrame:
    """The machine's value-cycle codes to hand to a QDA tool beside the human codes.

    On the stories the main human coder coded, a coder trained on all their codes gives back
    the codes it learned there (trial 33: kappa 0.99 against them in NVivo, 0.78 out of
    fold). Those stories carry the out-of-fold codes instead (:attr:`Findings.held_out`, the
    codes ``agreement`` compares); the other stories the codes of the coder trained on all
    of them. The ``coder`` (the QDA tool's user) says so, in one name.

    Returns
    -------
    DataFrame
        A ``codes`` frame of the ``value_cycles`` codebook.

    Examples
    --------
    >>> import pandas as pd
    >>> from copanalysis.io.corpus import Corpus
    >>> from copanalysis.schema import empty
    >>> gold = pd.DataFrame({"doc_id": ["S1"], "field": ["story"], "start": [0], "end": [5],
    ...                      "code": ["applied"], "codebook": ["value_cycles"],
    ...                      "coder": ["Ana"]})
    >>> machine = pd.DataFrame({"doc_id": ["S1", "S2"], "field": ["story"] * 2,
    ...                         "start": [0, 0], "end": [5, 4], "code": ["applied"] * 2,
    ...                         "codebook": ["value_cycles"] * 2,
    ...                         "coder": ["semantic:value_cycles@ab12"] * 2})
    >>> held_out = machine.iloc[:1].assign(code="realized", coder="semantic:value_cycles@cv5")
    >>> corpus = Corpus(*(empty(f) for f in ("stories", "items", "roles", "grid")), gold)
    >>> findings = Findings(corpus, machine, "semantic:value_cycles@ab12 (best)",
    ...                     held_out=held_out)
    >>> codes = project_codes(findings)
    >>> codes[["doc_id", "code"]].values.tolist()
    [['S1', 'realized'], ['S2', 'applied']]
    >>> print(codes["coder"].iloc[0])
    semantic:value_cycles@ab12 (trained on Ana's codes; out-of-fold on the 1 story Ana coded)
    """
    machine = findings.codes_for("value_cycles")
    who = findings.trained_on
    if who is None:
        return machine
    theirs = _coded_by(findings, who)
    codes = pd.concat(
        [machine[~machine["doc_id"].astype(str).isin(theirs)], findings.held_out],
        ignore_index=True,
    ).sort_values(["doc_id", "field", "start", "end"], kind="stable", ignore_index=True)
    label = str(machine["coder"].iloc[0]) if len(machine) else findings.coder.split(" ")[0]
    stories = f"{len(theirs)} {'story' if len(theirs) == 1 else 'stories'}"
    return codes.assign(
        coder=f"{label} (trained on {who}'s codes; out-of-fold on the {stories} {who} coded)"
    )


def project_contents(findings: Findings) -> tuple[list[Codebook], pd.DataFrame]:
    """The codebooks and codes of the project ``copanalysis run`` writes for a QDA tool:
    the stories' value-cycle codes of the people and of the machine
    (:func:`project_codes`), and the people's own codes of the stories that are no
    built-in code ("Emotional support", a survey question MAXQDA coded each answer with),
    in a codebook of their own, so that a project read in comes back with every code of
    its stories (trial 43: her own codes were left out).

    Examples
    --------
    >>> import pandas as pd
    >>> from copanalysis.io.corpus import Corpus
    >>> from copanalysis.schema import empty
    >>> gold = pd.DataFrame({"doc_id": ["S1", "S1"], "field": ["story"] * 2,
    ...                      "start": [0, 0], "end": [5, 5],
    ...                      "code": ["applied", "Workload"],
    ...                      "codebook": ["value_cycles", None], "coder": ["Ana"] * 2})
    >>> stories = pd.DataFrame({"story_id": ["S1"], "story": ["We met."]})
    >>> corpus = Corpus(stories, *(empty(f) for f in ("items", "roles", "grid")), gold)
    >>> books, codes = project_contents(Findings(corpus, empty("codes"), "rules"))
    >>> [b.name for b in books], [(c.code, c.label) for c in books[1].codes]
    (['value_cycles', "Ana's own codes"], [('own_1', 'Workload')])
    >>> codes["code"].tolist()
    ['applied', 'Workload']
    """
    from copanalysis.codebooks.codebook import Code, Codebook
    from copanalysis.io.codebooks import load_codebook

    book = load_codebook("value_cycles")
    corpus = findings.corpus
    gold = corpus.gold[corpus.gold["doc_id"].isin(corpus.stories["story_id"])]
    own = gold[gold["codebook"].isna() & ~gold["code"].isin(book.codes_by_id)]
    exchanged = pd.concat([gold, project_codes(findings)], ignore_index=True)
    exchanged = exchanged[
        exchanged["doc_id"].isin(corpus.stories["story_id"])
        & exchanged["code"].isin(book.codes_by_id)
    ]
    names = list(dict.fromkeys(own["code"].astype(str)))
    if not names:
        return [book], exchanged.reset_index(drop=True)
    people = sorted(set(own["coder"].dropna().astype(str)))
    whose = f"{people[0]}'s" if len(people) == 1 else "the human coders'"
    theirs = Codebook(
        f"{whose} own codes",
        "1",
        tuple(Code(f"own_{i}", name) for i, name in enumerate(names, start=1)),
    )
    codes = pd.concat([exchanged, own], ignore_index=True)
    return [book, theirs], codes


def review_codes(findings: Findings) -> pd.DataFrame:
    """The machine's value-cycle codes for a person to check, least confident first.

    They are the codes :func:`project_codes` hands to a QDA tool, on the stories no person
    coded (their value cycles), or on every story when a person coded them all; pass them
    to :func:`~copanalysis.export_for_review`.

    Returns
    -------
    DataFrame
        A ``codes`` frame of the ``value_cycles`` codebook, sorted by ``confidence``
        (then by story and offset); ``attrs["only_uncoded"]`` says whether the stories a
        person coded were left out, ``attrs["human_coded"]`` how many stories a person
        coded.

    Examples
    --------
    >>> import pandas as pd
    >>> from copanalysis.io.corpus import Corpus
    >>> from copanalysis.schema import empty
    >>> gold = pd.DataFrame({"doc_id": ["S1"], "field": ["story"], "start": [0], "end": [5],
    ...                      "code": ["applied"], "codebook": ["value_cycles"],
    ...                      "coder": ["Ana"]})
    >>> machine = pd.DataFrame({"doc_id": ["S1", "S2", "S3"], "field": ["story"] * 3,
    ...                         "start": [0] * 3, "end": [5] * 3, "code": ["applied"] * 3,
    ...                         "codebook": ["value_cycles"] * 3, "coder": ["rules"] * 3,
    ...                         "confidence": [0.2, 0.9, 0.6]})
    >>> stories = pd.DataFrame({"story_id": ["S1", "S2", "S3"], "story": ["..."] * 3})
    >>> corpus = Corpus(stories, *(empty(f) for f in ("items", "roles", "grid")), gold)
    >>> review_codes(Findings(corpus, machine, "rules"))[["doc_id", "confidence"]]
      doc_id  confidence
    0     S3         0.6
    1     S2         0.9
    >>> review_codes(Findings(corpus, machine, "rules")).attrs
    {'only_uncoded': True, 'human_coded': 1}
    """
    from copanalysis.io.review import reviewed_by

    codes = project_codes(findings)
    gold = findings.corpus.gold
    human = gold[gold["codebook"].astype("string") == "value_cycles"] if len(gold) else gold
    coded = set(human["doc_id"].astype(str))
    # a story whose every code a reviewer rejected has no codes, and was read all the same
    coded |= {span[0] for spans in reviewed_by(gold).values() for span in spans}
    stories = set(findings.corpus.stories["story_id"].astype(str))
    only_uncoded = bool(coded) and bool(stories - coded)  # then only the stories nobody coded
    if only_uncoded:
        codes = codes[~codes["doc_id"].astype(str).isin(coded)]
    order = ["confidence", "doc_id", "field", "start", "end"]
    codes = codes.sort_values(order, kind="stable", ignore_index=True)
    codes.attrs.update(only_uncoded=only_uncoded, human_coded=len(coded & stories))
    return codes


def project_note(findings: Findings) -> str:
    """What a project file's description says of the machine's codes (see
    :func:`project_codes`); empty when no human codes trained the coder."""
    who = findings.trained_on
    if who is None:
        return ""
    n = len(_coded_by(findings, who))
    return (
        f"The machine's value-cycle codes were learned from {who}'s codes. On the {n} "
        f"{'story' if n == 1 else 'stories'} {who} coded they are out-of-fold: each story "
        f"coded by a coder trained on the other folds' stories, never on itself, as the "
        "report's agreement is measured; a coder comparison there is not inflated. On the "
        f"other stories they are the codes of the coder trained on all of {who}'s codes."
    )


def _coded_by(findings: Findings, who: str) -> set[str]:
    """The stories ``who`` coded with the value cycles."""
    gold = findings.corpus.gold
    mine = gold[(gold["codebook"].astype("string") == "value_cycles") & (gold["coder"] == who)]
    return set(mine["doc_id"].astype(str))


def analyse(
    corpus: Corpus,
    *,
    coder: CoderName | Literal["best"] = "best",
    min_confidence: float = 0.0,
    by: str | Sequence[str] = (),
    cv: int = 5,
    progress: bool = True,
    random_state: int = 0,
    codes: pd.DataFrame | None = None,
) -> Findings:
    """Code a corpus and compute the summary tables of a report.

    Parameters
    ----------
    corpus : Corpus
        From :func:`copanalysis.io.load_corpus`.
    coder : {"best", "rules", "model", "semantic", "ensemble"}
        The coder for the stories' value cycles. ``"best"`` is
        :func:`~copanalysis.coding.coders.default_coder`, the coder that agrees best with
        the authors' codes on the real development set, unless the corpus's human codes
        show another one clearly better: every installed coder is cross-validated against
        them, and another replaces the default only when its macro F1 is higher beyond the
        uncertainty of the difference (a paired bootstrap over the stories, 95% for all the
        comparisons together) and, when the default judges polarity, it does too
        (:mod:`~copanalysis.coding.coder_choice`; ``tables["coder_choice"]`` holds the
        comparisons, and :attr:`Findings.coder` says which rule decided). The learned
        coders train on the main human coder's codes (and the codebook's training corpus).
        The other codebooks are coded by their default coders
        (:func:`~copanalysis.coding.coders.default_coder`).
    min_confidence : float
        Codes less confident than this are left out; the passages left with no code are
        counted in the ``uncoded`` table and said in the charts and the report (see
        :func:`~copanalysis.code`).
    by : str or sequence of str
        Columns of the stories to compare their groups by (a ``wave`` or ``district``
        column, or ``"file"``, the file each story came from): for each, the tables
        ``frequencies_by_<column>`` and ``reach_by_<column>`` (the column's name in lower
        case, other characters as ``_``), and with human codes ``reach_by_<column>_human``
        (the main human coder's codes, on the stories they coded)
        (:func:`~copanalysis.analysis.groups.reach_by`), which the report charts.
    cv : int
        Folds (by story) for the cross-validation of learned coders.
    progress : bool
        Show progress bars.
    random_state : int
        Seed for the learned coders and the bootstrap intervals.
    codes : DataFrame, optional
        Codes already made, used as they are instead of coding again: the value-cycle
        codes a large corpus was streamed to (:func:`~copanalysis.iter_codes` and
        :func:`~copanalysis.io.write_codes_parquet`, read back with
        :func:`~copanalysis.io.load_codes`), and any other codebook's codes of a frame.
        A frame and codebook they hold no codes of is coded as usual (the stories'
        strategic grid, the lists' themes). ``coder`` and ``cv`` are then not used for
        the value cycles and no coder is chosen or scored; with human codes, ``agreement``
        compares the codes given with the main human coder's as they are given (whether
        their coder learned from those codes is not known here). ``min_confidence`` still
        applies.

    Returns
    -------
    Findings

    Raises
    ------
    SchemaError
        When ``corpus`` is not a :class:`Corpus` (a single frame, say) or ``coder`` is not
        a coder's name; when ``codes`` hold no value-cycle code, or codes of documents
        the corpus does not have (codes of another study).

    Examples
    --------
    >>> import copanalysis as cop  # doctest: +SKIP
    >>> findings = cop.analyse(cop.load_corpus("data/raw"))  # doctest: +SKIP
    >>> html = cop.build_report(findings, cop.report_figures(findings))  # doctest: +SKIP
    """
    _check_arguments(corpus, coder, by)
    _warn_unread(corpus)
    _warn_ungrouped(corpus.stories, by)
    from copanalysis.analysis.cooccurrence import cooccurrence
    from copanalysis.analysis.frequencies import code_frequencies
    from copanalysis.analysis.grid import value_grid_codes, value_grid_summary
    from copanalysis.analysis.groups import group_key, reach_by, with_group
    from copanalysis.analysis.paths import story_paths, value_flows
    from copanalysis.analysis.roles import role_matrix, role_themes
    from copanalysis.analysis.themes import theme_balance
    from copanalysis.coding import training
    from copanalysis.coding.api import code, selective
    from copanalysis.coding.grid import value_grid, worksheet_placements
    from copanalysis.coding.quantities import quantities
    from copanalysis.coding.themes import MIN_ITEMS_FOR_THEMES, find_themes
    from copanalysis.io.review import reviewed_by
    from copanalysis.schema import empty

    stories = corpus.stories
    gold = corpus.gold
    human = gold[gold["codebook"] == "value_cycles"] if len(gold) else gold
    tables: dict[str, pd.DataFrame] = {}
    given = _given_codes(corpus, codes)
    if ("stories", "value_cycles") in given:
        cycles = selective(given[("stories", "value_cycles")], min_confidence)
        held_out, why = _given_against(human, cycles, stories, random_state, tables)
        polar = _given_judge_polarity(cycles)
    elif len(human):
        cycles, held_out, why, polar = _code_cycles_against(
            human, stories, coder, cv, random_state, progress, tables, min_confidence
        )
        cycles = selective(cycles, min_confidence)
    else:
        held_out = empty("codes")
        chosen: CoderName = default_coder() if coder == "best" else coder
        none = "no human codes of the value cycles here" if len(gold) else "no human codes here"
        why = (
            f"{none}: the default, the coder that agrees best with the authors' codes on the "
            "development set"
            if coder == "best"
            else "as asked"
        )
        cycles = code(
            stories, "value_cycles", coder=chosen, min_confidence=min_confidence, progress=progress
        )
        polar = judges_polarity(chosen)

    coded = {("stories", "value_cycles"): cycles}
    coded[("stories", "strategic_grid")] = (
        selective(given[("stories", "strategic_grid")], min_confidence)
        if ("stories", "strategic_grid") in given
        else code(
            stories,
            "strategic_grid",
            coder="rules",
            min_confidence=min_confidence,
            progress=progress,
        )
    )
    for frame_name in ("items", "roles", "grid"):
        frame = getattr(corpus, frame_name)
        for book in CODEBOOKS_FOR[frame_name] if len(frame) else ():
            coded[(frame_name, book)] = (
                selective(given[(frame_name, book)], min_confidence)
                if (frame_name, book) in given
                else code(frame, book, min_confidence=min_confidence, progress=progress)
            )
    nonempty = [p for p in coded.values() if len(p)]
    codes = pd.concat(nonempty, ignore_index=True) if nonempty else empty("codes")
    tables["uncoded"] = pd.DataFrame(
        [
            {
                "frame": frame_name,
                "codebook": book,
                "min_confidence": min_confidence,
                "left_uncoded": int(part.attrs.get("abstained", 0)),
                "without_codes": _without_codes(getattr(corpus, frame_name), part),
                "answers_without_codes": _answers_without_codes(
                    getattr(corpus, frame_name), part
                ),
            }
            for (frame_name, book), part in coded.items()
            if len(getattr(corpus, frame_name))  # no "0 of 0" rows for a frame not given
        ],
        columns=[
            "frame", "codebook", "min_confidence", "left_uncoded", "without_codes",
            "answers_without_codes",
        ],
    )  # fmt: skip

    if len(stories):  # the stories' tables: none of them for a study without stories
        tables["frequencies"] = code_frequencies(cycles, codebook="value_cycles", frame=stories)
        tables["frequencies_by_community"] = code_frequencies(
            cycles, codebook="value_cycles", frame=stories, by="community"
        )
        on_grid = codes[codes["doc_id"].isin(stories["story_id"])]
        placements = value_grid(
            on_grid[on_grid["codebook"].isin(["value_cycles", "strategic_grid"])],
            frame=stories,
            progress=progress,
        )
        tables["grid_placements"] = placements
        tables["grid"] = value_grid_summary(placements)
        tables["grid_codes"] = value_grid_codes(placements)
        tables["paths"] = story_paths(cycles, frame=stories)
        for column in [by] if isinstance(by, str) else list(by):
            grouped, key = with_group(stories, column), group_key(column)
            tables[f"frequencies_by_{key}"] = code_frequencies(
                cycles, codebook="value_cycles", frame=grouped, by=column
            )
            tables[f"reach_by_{key}"] = reach_by(tables["paths"], grouped, column)
            # the same by the main human coder's own codes, on their stories; not by a
            # reviewer's, which cover only the passages the machine coded
            if len(human) and training.main_coder(human) not in reviewed_by(human):
                main = human[human["coder"] == training.main_coder(human)]
                theirs = grouped[grouped["story_id"].isin(set(main["doc_id"]))]
                # one path per story, however many groups it is in
                paths = story_paths(main, frame=theirs.drop_duplicates("story_id"))
                table = reach_by(paths, theirs, column)
                table.attrs["coder"] = str(main["coder"].iloc[0])
                tables[f"reach_by_{key}_human"] = table
        tables["flows"] = value_flows(cycles)
        tables["cooccurrence"] = cooccurrence(cycles)
        tables["quantities"] = quantities(stories, progress=progress)
    if len(corpus.grid):
        answers = worksheet_placements(corpus.grid, codes)
        tables["worksheet_placements"] = answers
        tables["worksheet_grid"] = value_grid_summary(answers)
        tables["worksheet_grid_codes"] = value_grid_codes(answers)
    if len(corpus.items):
        tables["themes"] = theme_balance(coded[("items", "enablers_challenges")])
        themes_gold = gold[gold["codebook"] == "enablers_challenges"] if len(gold) else gold
        if len(themes_gold):
            tables["agreement_themes"] = _theme_agreement(
                coded[("items", "enablers_challenges")], themes_gold, corpus.items, random_state
            )
        if corpus.items["text"].fillna("").str.strip().astype(bool).sum() >= MIN_ITEMS_FOR_THEMES:
            tables["inductive_themes"] = find_themes(corpus.items, random_state=random_state)
    if len(corpus.roles):
        tables["roles"] = role_matrix(corpus.roles)
        tables["role_themes"] = role_themes(
            coded[("roles", "enablers_challenges")], frame=corpus.roles
        )
    llm = cycles.attrs.get("llm_report")
    if llm:  # where the texts went, for the report's methods
        tables["llm"] = pd.DataFrame([{k: v for k, v in llm.items() if not isinstance(v, list)}])
    label = str(cycles["coder"].iloc[0]) if len(cycles) else "no codes"
    return Findings(
        corpus=corpus,
        codes=codes,
        coder=f"{label} ({why})",
        tables=tables,
        held_out=held_out,
        judges_polarity=polar,
        codes_given=("stories", "value_cycles") in given,
    )


def _given_against(
    human: pd.DataFrame,
    cycles: pd.DataFrame,
    stories: pd.DataFrame,
    random_state: int,
    tables: dict[str, pd.DataFrame],
) -> tuple[pd.DataFrame, str]:
    """Codes given to ``analyse``, against the main human coder's on the stories they
    coded (``agreement`` and the tables beside it): the codes of those stories, and why the
    codes are these. Whether the codes' coder learned from that person is not known here."""
    from copanalysis.schema import empty

    if not len(human):
        return empty("codes"), "codes given, made before this analysis; no human codes here"
    main_coder, _ = _main_coder_stories(human)
    theirs = set(human.loc[human["coder"] == main_coder, "doc_id"].astype(str))
    held_out = cycles[cycles["doc_id"].astype(str).isin(theirs)].reset_index(drop=True)
    named = sorted(set(cycles["coder"].astype(str)))
    tables.update(
        _agreement_tables(
            human, held_out, cycles, stories, main_coder, named[0] if named else "codes given",
            random_state,
        )
    )  # fmt: skip
    return held_out, (
        f"codes given, made before this analysis; compared with {main_coder}'s codes as "
        "given (if their coder learned from those codes, the agreement flatters it)"
    )


def _given_judge_polarity(codes: pd.DataFrame) -> bool:
    """Whether codes given to ``analyse`` come from a coder that tells value denied from
    value told: any code of polarity -1 says so; else their coder's name (``model:...``,
    all +1), and True for codes of no known coder (a person's, another tool's)."""
    from copanalysis.coding.coders import CODER_NAMES

    if (pd.to_numeric(codes["polarity"], errors="coerce") < 0).any():
        return True
    names = {str(c).partition(":")[0] for c in codes["coder"].dropna()}
    return all(judges_polarity(n) for n in names if n in CODER_NAMES)


def _given_codes(
    corpus: Corpus, codes: pd.DataFrame | None
) -> dict[tuple[str, str], pd.DataFrame]:
    """``analyse``'s ``codes``, by the frame whose documents they code and their codebook;
    empty when none are given."""
    from copanalysis.errors import SchemaError
    from copanalysis.frames import frame_kind, text_units
    from copanalysis.schema import validate

    if codes is None:
        return {}
    codes = validate(codes, "codes")
    given: dict[tuple[str, str], pd.DataFrame] = {}
    used = pd.Series(False, index=codes.index)
    books = codes["codebook"].astype(str)
    documents = codes["doc_id"].astype(str)
    known = pd.Series(False, index=codes.index)
    for frame_name, frame in corpus.frames().items():
        if frame_name == "gold" or not len(frame):
            continue
        mine = documents.isin(set(text_units(frame)["doc_id"].astype(str)))
        known |= mine
        for book in CODEBOOKS_FOR[frame_kind(frame)]:
            rows = mine & (books == book)
            if rows.any():
                given[(frame_name, book)] = codes[rows].reset_index(drop=True)
                used |= rows
    strangers = sorted(set(documents[~known]))
    if strangers:
        named = ", ".join(map(repr, strangers[:5]))
        more = f" and {len(strangers) - 5} more" if len(strangers) > 5 else ""
        raise SchemaError(
            f"analyse: the codes given code {len(strangers)} "
            f"{'document' if len(strangers) == 1 else 'documents'} with no text in this "
            f"corpus ({named}{more}): were they made from another study folder?"
        )
    unused = sorted(set(books[~used]))
    if unused:
        raise SchemaError(
            f"analyse: the codes given hold codes of {', '.join(map(repr, unused))}, which "
            "the report does not chart for the documents they code; leave them out"
        )
    if ("stories", "value_cycles") not in given:
        raise SchemaError(
            "analyse: the codes given hold no value-cycle code of the stories (codebooks: "
            f"{', '.join(sorted(set(books))) or 'none'}); stream them with "
            "copanalysis.iter_codes(stories, 'value_cycles')"
        )
    return given


def _warn_unread(corpus: Corpus) -> None:
    """Warn, once, of the columns of free text that loading kept but no field read: the
    report's summary says so, but a notebook shows no report (trial 32: 27 challenges and
    two story questions went unread without a word)."""
    import warnings

    from copanalysis.io.provenance import unread_listed, unread_text

    unread = unread_text(corpus.frames())
    if unread:
        warnings.warn(
            f"free text that no field matched was not read, so nothing codes or counts it: "
            f"{unread_listed(unread)}. Map each column in the study folder's mapping.yaml "
            "(or mapping= in load_corpus), or to null to leave it out on purpose; each "
            "frame's attrs['load_report'] says how.",
            UserWarning,
            stacklevel=3,
        )


def _without_codes(frame: pd.DataFrame, codes: pd.DataFrame) -> int:
    """How many documents of ``frame`` (stories, items, respondents) with any text got no
    code at all: "Not much this term", or a passage every code of which fell below the
    threshold."""
    from copanalysis.frames import text_units

    documents = set(text_units(frame)["doc_id"].astype(str))
    return len(documents - set(codes["doc_id"].astype(str)))


def _answers_without_codes(frame: pd.DataFrame, codes: pd.DataFrame) -> int:
    """How many answers (a document's text in one field) got no code of the codebook: the
    coder found none there, or every code fell below the threshold."""
    from copanalysis.frames import text_units

    units = text_units(frame)
    if not len(units):
        return 0
    answers = set(zip(units["doc_id"].astype(str), units["field"].astype(str), strict=True))
    coded = set(zip(codes["doc_id"].astype(str), codes["field"].astype(str), strict=True))
    return len(answers - coded)


def _code_cycles_against(
    human: pd.DataFrame,
    stories: pd.DataFrame,
    coder: CoderName | Literal["best"],
    cv: int,
    random_state: int,
    progress: bool,
    tables: dict[str, pd.DataFrame],
    min_confidence: float = 0.0,
) -> tuple[pd.DataFrame, pd.DataFrame, str, bool]:
    """Code the stories' value cycles with the coder chosen against the human codes; also
    return why it was chosen and whether it judges polarity.

    Adds ``evaluation``, ``agreement`` and (with several human coders) ``agreement_humans``
    and ``agreement_same_stories`` (the machine on the stories a second person coded too) to
    ``tables``; returns the codes, the out-of-fold codes of the main coder's stories (those
    ``agreement`` compares) and why that coder was chosen. The machine's side of
    ``agreement`` keeps only the codes at or above ``min_confidence``, as the charts do.
    """
    from copanalysis.coding.api import code, selective
    from copanalysis.io.review import reviewed_by

    main_coder, coded = _main_coder_stories(human)
    reviewers = reviewed_by(human)
    spans = reviewers.get(main_coder)
    if spans is not None:  # a review sheet: trained and scored on the spans decided on
        human = human.copy()
        human.attrs["reviewed"] = spans
    cv = _folds(cv, coded, main_coder)
    candidates = _candidates(coder)
    if cv < 2:  # nothing to hold out: only the rule coder, which learns nothing, is measured
        if "rules" not in candidates:
            raise SchemaError(
                f"coder {coder!r} is measured on stories it was not trained on, and "
                f"{main_coder} coded {coded} {'story' if coded == 1 else 'stories'}: code "
                "at least 2 stories, or use the rule coder (--coder rules, coder='rules')"
            )
        candidates = ("rules",)
    if progress and len(candidates) > 1:
        from tqdm.auto import tqdm

        tqdm.write(_choosing_note(candidates, cv, main_coder, human["doc_id"].nunique()))
    scores = {}
    evaluations = []
    out_of_fold: dict[str, pd.DataFrame] = {}  # each learning coder's, from its scoring
    # how long each coder's cross-validation took (trial 35: 14 minutes, unsaid)
    seconds: dict[str, float] = {}
    machines: dict[CoderName, pd.DataFrame] = {}  # each coder's codes it was scored on
    for name in candidates:
        start = monotonic()
        table, machines[name] = _evaluate(
            name, human, stories, main_coder, cv, random_state, progress
        )
        seconds[name] = monotonic() - start
        if name != "rules":  # the rule coder learns nothing: nothing of it is held out
            out_of_fold[name] = machines[name]
        evaluations.append(table.assign(coder=name))
        scores[name] = float(table.loc[table["code"] == "(macro avg)", "f1"].iloc[0])
    tables["evaluation"] = pd.concat(evaluations, ignore_index=True)
    if progress:
        from tqdm.auto import tqdm

        tqdm.write(timing_note(seconds))
    if coder == "best" and len(candidates) > 1:
        chosen, why = _chosen_against(
            human, stories, machines, scores, main_coder, random_state, tables
        )
    else:
        chosen = "rules" if candidates == ("rules",) else coder  # type: ignore[assignment]
        # the rule coder learns nothing, so nothing of it is held out (trial 34:
        # "cross-validated macro F1 against Dina: rules 0.47")
        how = "macro F1" if candidates == ("rules",) else "cross-validated macro F1"
        said = ", ".join(f"{k} {v:.2f}" for k, v in scores.items())
        why = f"{how} against {main_coder}: {said}"
    tables["evaluation"].attrs.update(seconds=seconds, chosen=chosen)
    trainer = human[human["coder"] == main_coder]
    fitted = _fitted(chosen, stories, trainer, random_state)
    cycles = code(stories, "value_cycles", coder=fitted, progress=progress)
    polar = bool(getattr(fitted, "judges_polarity", True))
    # agreement on stories the machine never saw in training: out-of-fold codes, as sure
    # as the codes the charts count; those its scoring made, not a second cross-validation
    # of the same folds (trial 35)
    held_out = selective(cycles if chosen == "rules" else out_of_fold[chosen], min_confidence)
    tables.update(
        _agreement_tables(human, held_out, cycles, stories, main_coder, chosen, random_state)
    )
    return cycles, held_out, why, polar


def _agreement_tables(
    human: pd.DataFrame,
    held_out: pd.DataFrame,
    cycles: pd.DataFrame,
    stories: pd.DataFrame,
    main_coder: str,
    chosen: str,
    random_state: int,
) -> dict[str, pd.DataFrame]:
    """``codes_found``, ``agreement`` and (with several human coders) ``agreement_humans``
    and ``agreement_same_stories``: the machine's codes ``held_out`` of the stories the
    main coder coded against theirs, and the people against each other."""
    from copanalysis.analysis.agreement import agreement, parents_added, shared_codes
    from copanalysis.coding.evaluation import found_codes
    from copanalysis.coding.segments import segment
    from copanalysis.coding.training import _overlapping
    from copanalysis.io.review import reviewed_by

    reviewers = reviewed_by(human)
    spans = reviewers.get(main_coder)
    trainer = human[human["coder"] == main_coder]
    tables: dict[str, pd.DataFrame] = {}
    # how many of the person's sentences of each code the machine found it in: a code it
    # never found is hidden by the pooled figure (trial 35)
    tables["codes_found"] = found_codes(
        trainer, held_out, stories, codebook="value_cycles"
    ).assign(coder=main_coder)
    # every coder's sub-codes count as their parents before the shared codes are chosen:
    # a person who applied only "potential_human" used "potential" (trial 22)
    # a reviewer of the machine's codes is no human-vs-human yardstick, for they started
    # from the machine's codes: only the main coder's review is compared, with the machine
    human = human[~human["coder"].isin(set(reviewers)) | (human["coder"] == main_coder)]
    shared = shared_codes(human, "value_cycles")
    units = segment(stories)
    if spans is not None:  # the reviewer read only the passages on their sheet
        units = _overlapping(units, spans).reset_index(drop=True)
    human = parents_added(human, "value_cycles")
    trainer = human[human["coder"] == main_coder]
    machine_vs_main = pd.concat([trainer, held_out], ignore_index=True)
    # the stories the machine read, by table: every story the main coder coded; for
    # agreement_same_stories, those the main coder and another person both coded (the
    # yardstick's stories)
    mine = set(trainer["doc_id"].astype(str))
    if spans is not None:  # a story whose every code the reviewer rejected was read too
        mine |= {span[0] for span in spans}
    read: dict[str, set[str]] = {"agreement": mine}
    pairs = {"agreement": machine_vs_main}
    if human["coder"].nunique() > 1:
        pairs["agreement_humans"] = human
        others = set(human.loc[human["coder"] != main_coder, "doc_id"].astype(str))
        read["agreement_same_stories"] = mine & others
        pairs["agreement_same_stories"] = machine_vs_main[
            machine_vs_main["doc_id"].astype(str).isin(mine & others)
        ]
    # the machine's name, even when it left every story uncoded (a high --min-confidence)
    named = sorted(set(held_out["coder"].astype(str)) or set(cycles["coder"].astype(str)))
    machine = named[0] if named else str(chosen)
    for table_name, pair in pairs.items():
        pair = pair[pair["code"].isin(shared)]
        # where the machine found nothing (or nothing sure enough) in a story it read, the
        # story counts as "no code", not as unread
        documents = {machine: read[table_name]} if table_name in read else {}
        if spans is not None:
            documents[main_coder] = mine
        tables[table_name] = agreement(
            pair,
            codebook="value_cycles",
            unit="segment",
            segments=units,
            documents=documents,
            random_state=random_state,
        )
    return tables


def _chosen_against(
    human: pd.DataFrame,
    stories: pd.DataFrame,
    machines: dict[CoderName, pd.DataFrame],
    scores: dict[CoderName, float],
    main_coder: str,
    random_state: int,
    tables: dict[str, pd.DataFrame],
) -> tuple[CoderName, str]:
    """``coder="best"``: the default coder, unless another beats it on the human codes
    beyond the uncertainty of the difference (:mod:`~copanalysis.coding.coder_choice`);
    the comparison goes in ``tables["coder_choice"]``."""
    from copanalysis.coding.coder_choice import choose_coder, compare_with_default
    from copanalysis.coding.coders import PREFERENCE, judges_polarity
    from copanalysis.coding.evaluation import document_counts

    default: CoderName = default_coder()
    if default not in machines:  # not installed here: the first of the preference that is
        default = next(c for c in (*PREFERENCE["value_cycles"], *machines) if c in machines)
    counts = pd.concat(
        [
            document_counts(
                human, codes, stories, codebook="value_cycles", coders=[main_coder],
                unit="field" if _estimator(name, random_state).unit == "field" else "sentence",
            ).assign(coder=name)
            for name, codes in machines.items()
        ],
        ignore_index=True,
    )  # fmt: skip
    comparison = compare_with_default(counts, default=default, random_state=random_state)
    polarity = {str(name): judges_polarity(name) for name in machines}
    chosen, why = choose_coder(
        {str(name): score for name, score in scores.items()},
        comparison,
        default=default,
        judges_polarity=polarity,
        main_coder=main_coder,
    )
    tables["coder_choice"] = comparison.assign(
        judges_polarity=comparison["coder"].map(polarity).astype(bool),
        chosen=comparison["coder"] == chosen,
    )
    return next(c for c in machines if c == chosen), why


def _candidates(coder: CoderName | Literal["best"]) -> tuple[CoderName, ...]:
    """The coders ``coder`` asks to compare: every one installed for ``"best"``."""
    return tuple(n for n in LOCAL_CODERS if _usable(n)) if coder == "best" else (coder,)


def choosing_note(
    corpus: Corpus, coder: CoderName | Literal["best"] = "best", cv: int = 5
) -> str | None:
    """What :func:`analyse` will spend minutes on before anything is written: choosing the
    coder against the corpus's human codes (None when there is nothing to choose). With
    ``progress=False`` ``analyse`` says nothing, so the command line prints this itself."""
    gold = corpus.gold
    human = gold[gold["codebook"] == "value_cycles"] if len(gold) else gold
    candidates = _candidates(coder)
    if not len(human) or len(candidates) < 2:
        return None
    main, coded = _main_coder_stories(human)
    return _choosing_note(candidates, min(cv, coded), main, human["doc_id"].nunique())


def _main_coder_stories(human: pd.DataFrame) -> tuple[str, int]:
    """The main coder of the human codes (the yardstick, see
    :func:`~copanalysis.coding.training.main_coder`) and how many stories they coded.

    Examples
    --------
    >>> human = pd.DataFrame({"doc_id": ["s1", "s1", "s2", "s3", "s3"],
    ...                       "coder": ["Ben", "Ana", "Ben", "Ben", "Ben"]})
    >>> _main_coder_stories(human)
    ('Ben', 3)
    """
    from copanalysis.coding.training import main_coder

    main = main_coder(human)
    return main, int(human.loc[human["coder"] == main, "doc_id"].nunique())


def timing_note(seconds: dict[str, float]) -> str:
    """How long scoring each coder took (``tables["evaluation"].attrs["seconds"]``).

    Examples
    --------
    >>> print(timing_note({"rules": 2.4, "model": 21.0, "semantic": 243.2, "ensemble": 728.9}))
    Scoring the coders took 16 min 36 s: rules 2 s, model 21 s, semantic 4 min 3 s, \
ensemble 12 min 9 s.
    """

    def took(s: float) -> str:
        minutes, rest = divmod(round(s), 60)
        return f"{minutes} min {rest} s" if minutes else f"{rest} s"

    each = ", ".join(f"{name} {took(s)}" for name, s in seconds.items())
    return f"Scoring the coders took {took(sum(seconds.values()))}: {each}."


def _folds(cv: int, coded: int, main_coder: str) -> int:
    """The folds (by story) the learned coders are cross-validated in: ``cv``, or one story
    per fold when the main coder coded fewer stories, with a warning (trial 34: four coded
    interviews stopped ``run`` with "cv=5 needs ... 5 documents").

    Examples
    --------
    >>> import warnings
    >>> _folds(5, 40, "Ana")
    5
    >>> with warnings.catch_warnings(record=True) as said:
    ...     warnings.simplefilter("always")
    ...     _folds(5, 4, "Ana")
    4
    >>> str(said[0].message).split(": ")[0]
    'Ana coded 4 stories, fewer than the 5 folds asked'
    """
    if coded >= cv or coded < 2:
        return cv if coded >= cv else coded
    warnings.warn(
        f"{main_coder} coded {coded} stories, fewer than the {cv} folds asked: the learned "
        f"coders are cross-validated leaving one story out at a time ({coded} folds), and "
        "agreement on so few stories is rough",
        UserWarning,
        stacklevel=4,
    )
    return coded


def _choosing_note(candidates: tuple[str, ...], cv: int, main_coder: str, stories: int) -> str:
    """What ``coder="best"`` is about to do with human codes, and how to skip it.

    Examples
    --------
    >>> print(_choosing_note(("rules", "semantic"), 5, "Ana", 40))
    Choosing the coder of the value cycles: 2 coders (rules, semantic), each cross-validated \
in 5 folds against Ana's codes of 40 stories. This takes minutes; --coder NAME (coder= in \
Python) uses one coder and skips it.
    """
    return (
        f"Choosing the coder of the value cycles: {len(candidates)} coders "
        f"({', '.join(candidates)}), each cross-validated in {cv} folds against "
        f"{main_coder}'s codes of {stories} stories. This takes minutes; --coder NAME "
        "(coder= in Python) uses one coder and skips it."
    )


def _warn_ungrouped(stories: pd.DataFrame, by: str | Sequence[str]) -> None:
    """Warn when most stories have no value in a column they are compared by: they are
    then one group, "(none)" (trial 35: 24 of 33 stories had no community, and the report
    compared "(none)" with one- and two-story districts without a word).

    Examples
    --------
    >>> import warnings
    >>> stories = pd.DataFrame({"story_id": ["a", "b", "c"],
    ...                         "community": ["Dedza", None, None]})
    >>> with warnings.catch_warnings(record=True) as said:
    ...     warnings.simplefilter("always")
    ...     _warn_ungrouped(stories, ["community"])
    >>> print(said[0].message)  # doctest: +ELLIPSIS
    2 of 3 stories have no community: compared by community, they are one group, '(none)'...
    """
    from copanalysis.analysis.groups import with_group

    for column in [by] if isinstance(by, str) else list(by):
        values = with_group(stories, column)[column]
        missing = int(values.isna().sum())
        if missing * 2 > len(values):
            warnings.warn(
                f"{missing} of {len(values)} stories have no {column}: compared by {column}, "
                f"they are one group, '(none)'. Map the column that gives it in the study "
                "folder's mapping.yaml (or mapping= in load_corpus); `copanalysis check` "
                "lists the columns each file kept.",
                UserWarning,
                stacklevel=3,
            )


def _check_arguments(corpus: Any, coder: Any, by: str | Sequence[str] = ()) -> None:
    from typing import get_args

    from copanalysis.errors import SchemaError

    if not isinstance(corpus, Corpus):
        raise SchemaError(
            f"analyse needs a Corpus, from copanalysis.load_corpus(study_folder), not a "
            f"{type(corpus).__name__}; to code one frame, use copanalysis.code(frame, codebook)"
        )
    names = ("best", *get_args(CoderName))
    if coder not in names:
        raise SchemaError(
            f"analyse: coder {coder!r}; expected one of {', '.join(map(repr, names))}"
        )
    from copanalysis.analysis.groups import with_group

    for column in [by] if isinstance(by, str) else list(by):  # before minutes of coding
        with_group(corpus.stories, column)


def _theme_agreement(
    machine: pd.DataFrame, human: pd.DataFrame, items: pd.DataFrame, random_state: int
) -> pd.DataFrame:
    """The machine's enabler/challenge themes against the human codes of the same items, on
    the codes every human coder used, by sentence. The theme coder learns nothing from these
    codes (it is trained on the codebook's corpus), so its codes are compared as they are."""
    from copanalysis.analysis.agreement import agreement, parents_added, shared_codes
    from copanalysis.coding.segments import segment

    shared = shared_codes(human, "enablers_challenges")
    human = parents_added(human, "enablers_challenges")
    coded = set(human["doc_id"].astype(str))
    mine = machine[machine["doc_id"].astype(str).isin(coded)]
    pair = pd.concat([mine, human], ignore_index=True)
    pair = pair[pair["code"].isin(shared)]
    return agreement(
        pair,
        codebook="enablers_challenges",
        unit="segment",
        segments=segment(items),
        # it read every item: one where it found no theme counts as "no code"
        documents={str(c): coded for c in set(pair["coder"]) & set(mine["coder"])},
        random_state=random_state,
    )


def _usable(name: str) -> bool:
    """Whether ``name`` can run here (its optional extra, and its members', installed)."""
    if name == "ensemble":
        return installed("semantic")
    return installed(name)


def _estimator(name: CoderName, random_state: int) -> Any:
    from copanalysis.coding.coders import make_coder

    estimator = make_coder(name, "value_cycles")
    if "random_state" in estimator.get_params():
        estimator.set_params(random_state=random_state)
    return estimator


def _evaluate(
    name: CoderName,
    human: pd.DataFrame,
    stories: pd.DataFrame,
    main_coder: str,
    cv: int,
    random_state: int,
    progress: bool,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A coder's scores against ``main_coder``, and the codes they were scored on: its
    out-of-fold codes, or the rule coder's own (it learns nothing and is scored on every
    story)."""
    from copanalysis.coding.evaluation import _evaluated, evaluate_out_of_fold

    estimator = _estimator(name, random_state)
    if name == "rules":
        return _evaluated(estimator, human, stories, cv=0, coders=[main_coder])
    return evaluate_out_of_fold(
        estimator,
        human,
        stories,
        cv=cv,
        coders=[main_coder],
        random_state=random_state,
        progress=progress,
    )


def _fitted(name: CoderName, stories: pd.DataFrame, human: pd.DataFrame, random_state: int) -> Any:
    estimator = _estimator(name, random_state)
    if name == "rules":
        return estimator.fit()
    return estimator.fit_codes(stories, human)
