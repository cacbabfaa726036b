"""Inter-coder agreement: how far coders (people or machines) agree on the same units.

Both people and machines are rows of a ``codes`` frame with a ``coder``, so human vs human
and human vs machine agreement are computed the same way. The statistics come from
well-kept libraries: Cohen's kappa from :func:`sklearn.metrics.cohen_kappa_score`, Fleiss'
kappa from :func:`statsmodels.stats.inter_rater.fleiss_kappa`, and Krippendorff's alpha
(nominal, any number of coders, missing values allowed) from NLTK's
:class:`nltk.metrics.agreement.AnnotationTask`. Confidence intervals are percentile
bootstraps over units; the resampling uses closed forms of the same statistics (checked
against the libraries in the tests) so that 1000 resamples take milliseconds.
"""

from __future__ import annotations

import warnings
import zlib
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from copanalysis.errors import SchemaError
from copanalysis.frames import MIN_APPLIED, CountUnit
from copanalysis.schema import validate

if TYPE_CHECKING:
    from copanalysis.codebooks.codebook import Codebook

__all__ = ["MIN_APPLIED", "agreement", "disagreements", "parents_added", "shared_codes"]

Mode = Literal["presence", "category"]

#: The value a coder gives a unit they coded but left without any code (category mode).
NONE = "(none)"
#: The ``code`` of the row that pools all codes.
OVERALL = "(all codes)"
_ESTIMATES = (
    "cohen_kappa",
    "fleiss_kappa",
    "krippendorff_alpha",
    "alpha_low",
    "alpha_high",
    "kappa_low",
    "kappa_high",
)

_COLUMNS = ["code", "units", "n_coders", "percent_agreement", *_ESTIMATES, "fewest_applied"]


def agreement(
    codes: pd.DataFrame,
    *,
    coders: Sequence[str] | None = None,
    codebook: str | Codebook | None = None,
    mode: Mode = "presence",
    unit: CountUnit = "doc",
    segments: pd.DataFrame | None = None,
    documents: Mapping[str, Iterable[str]] | None = None,
    n_boot: int = 1000,
    confidence: float = 0.95,
    random_state: int = 0,
) -> pd.DataFrame:
    """Agreement between coders, per code (``presence``) or over one nominal value (``category``).

    A unit counts for a coder only when that coder coded its document at all (has any row
    for that ``doc_id``), or read it in full by ``documents``: a second coder who coded 20
    of 200 stories is compared on those 20. A machine coder reads every document it is
    given, and finding nothing in one is a decision: name its documents in ``documents``,
    or a story where it found nothing drops out and agreement looks better than it is.
    Inside a coded document, a code the coder did not apply is an explicit "absent". For
    one code's agreement, read its row of the whole table: a frame filtered to that code
    loses the documents where a coder did not use it, unless ``documents`` names them.
    A sub-code counts as its parents too (:meth:`Codebook.with_parents`), for every coder,
    in ``codebook`` or the built-in codebooks the codes name: the machine coders write the
    parents, while a person often applies only the most specific code.

    A code that some coder applied to fewer than :data:`MIN_APPLIED` of the units compared
    gets no kappa, alpha or interval (NaN; ``fewest_applied`` says why): one positive
    against none gives a statistic of ~0 with a narrow interval, which reads as a precise
    zero. The pooled row pools the codes every person compared used (the coders not named
    in ``documents``; every coder when none is named, as for two people): a code only the
    machine applied, such as a sub-code a person never codes at, keeps its own row but does
    not pull the pooled figure down, while a code the person used and the machine never
    did counts against the machine. With every coder named in ``documents`` (machines
    only), every code applied is pooled. ``attrs["pooled_codes"]`` lists them.

    Parameters
    ----------
    codes : DataFrame
        A ``codes`` frame holding the rows of at least two coders.
    coders : sequence of str, optional
        The coders to compare, in order. Default: every coder in ``codes``.
    codebook : str or Codebook, optional
        Keep only codes of this codebook (its name, or the :class:`Codebook`); with a
        :class:`Codebook`, codes nobody applied still get a row.
    mode : {"presence", "category"}
        ``presence``: for each code, whether each coder applied it to each unit (one row
        per code, then an overall row pooling every unit x code). ``category``: each
        (unit, coder) holds one nominal value, the coder's codes on that unit joined with
        ``+`` (``"(none)"`` for a coded document's unit with no code), as in
        Krippendorff's reliability data; one row.
    unit : {"doc", "segment"}
        Units are documents, or segments: every segment of ``segments`` in the documents
        coded (a code counts on a segment when one of its spans overlaps it; a sentence no
        coder coded is a unit all agree has no code, so one code's agreement is the same
        whatever other codes the frame holds); without ``segments``, the coded spans
        themselves, overlapping spans of all coders merged into one unit per
        ``doc_id``/``field`` (two spans that share one character are one unit).
    segments : DataFrame, optional
        A ``segments`` frame (from :func:`copanalysis.segment`), for ``unit="segment"``.
    documents : mapping of str to doc ids, optional
        The documents a coder read in full, whether it applied a code in each or not, by
        coder: ``{"semantic": stories["story_id"]}`` for a machine coder's frame. They
        count for that coder as if it had coded them, with every code "absent" where it
        has no row; a coder named here with no row at all is a coder that found nothing.
        A coder not named counts for the documents it has rows in.
    n_boot : int
        Bootstrap resamples of the units for the confidence intervals (0: none).
    confidence : float
        Level of the percentile intervals.
    random_state : int
        Seed of the bootstrap.

    Returns
    -------
    DataFrame
        One row per code and the overall row, columns ``code``, ``units`` (units rated by
        at least two of the coders), ``n_coders``, ``percent_agreement`` (share of
        agreeing coder pairs, averaged over units), ``cohen_kappa`` (two coders: Cohen's
        kappa on the units both coded; more: the mean over coder pairs, Light's kappa),
        ``fleiss_kappa`` (on the units every coder rated), ``krippendorff_alpha``
        (nominal, all units, missing allowed), ``alpha_low``, ``alpha_high``,
        ``kappa_low``, ``kappa_high``, ``fewest_applied`` (``presence``: the fewest of
        the compared units any one coder applied the code to; missing in ``category``
        mode). A statistic is NaN where it is undefined (no units, or no variation at all:
        alpha and kappa are 0/0 then) or cannot be estimated (``fewest_applied`` under
        :data:`MIN_APPLIED`: kappa, alpha and their intervals). ``attrs`` holds
        ``coders``, ``mode``, ``unit``, ``documents`` (how many documents the units rated
        by two coders or more come from), ``pooled_codes`` (the codes the pooled row
        pools) and ``pooled_over`` (the coders whose codes those are).

    Raises
    ------
    SchemaError
        When fewer than two coders remain, or a named coder has no rows.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = [("s1", "learned", "Ana"), ("s1", "learned", "Ben"), ("s2", "applied", "Ana"),
    ...         ("s2", "learned", "Ben"), ("s3", "applied", "Ana"), ("s3", "applied", "Ben")]
    >>> codes = pd.DataFrame(rows, columns=["doc_id", "code", "coder"]).assign(
    ...     field="story", start=0, end=1)
    >>> table = agreement(codes, n_boot=0)
    >>> table[["code", "units", "percent_agreement", "cohen_kappa", "fewest_applied"]].round(3)
              code  units  percent_agreement  cohen_kappa  fewest_applied
    0      applied      3              0.667          NaN               1
    1      learned      3              0.667          NaN               1
    2  (all codes)      6              0.667        0.333               3

    Ben applied "applied" once (and Ana "learned"): too few to estimate a kappa for it.
    """
    if mode not in ("presence", "category"):
        raise SchemaError(f"agreement: mode {mode!r}; expected 'presence' or 'category'")
    if unit not in ("doc", "segment"):
        raise SchemaError(f"agreement: unit {unit!r}; expected 'doc' or 'segment'")
    rated, chosen = _rated_units(
        codes,
        coders=coders,
        codebook=codebook,
        unit=unit,
        segments=segments,
        documents=documents,
    )
    all_codes = _code_list(rated, codebook)
    # the people's codes are the ones pooled: coders who read every document (named in
    # documents) apply any code, a person only the codes of their scheme
    people = [c for c in chosen if c not in (documents or {})] or list(chosen)
    used = rated.dropna(subset=["code"]).groupby("coder")["code"].unique()
    poolable = set.intersection(*(set(used.get(c, [])) for c in people))
    rows = []
    pooled_codes = []
    if mode == "presence":
        stacked = []
        for code in all_codes:
            matrix = _presence_matrix(rated, chosen, code)
            compared = matrix[(~np.isnan(matrix)).sum(axis=1) >= 2]
            # a code nobody applied on a unit two coders rated adds only agreement on its
            # absence to the pool
            if np.nansum(compared) > 0 and code in poolable:
                stacked.append(matrix)
                pooled_codes.append(code)
            rng = _rng(random_state, code)
            rows.append({"code": code, **_statistics(matrix, n_boot, confidence, rng)})
        pooled = np.vstack(stacked) if stacked else np.empty((0, len(chosen)))
        # each unit is resampled with all its codes (the rows of one unit are not
        # independent draws)
        units = np.tile(np.arange(len(stacked[0])), len(stacked)) if stacked else None
        rng = _rng(random_state, OVERALL)
        rows.append(
            {"code": OVERALL, **_statistics(pooled, n_boot, confidence, rng, clusters=units)}
        )
    else:
        matrix = _category_matrix(rated, chosen)
        rng = _rng(random_state, OVERALL)
        statistics = _statistics(matrix, n_boot, confidence, rng, presence=False)
        rows.append({"code": OVERALL, **statistics})
    table = pd.DataFrame(rows, columns=_COLUMNS)
    table["code"] = table["code"].astype("string")
    table["units"] = table["units"].astype("int64")
    table["n_coders"] = table["n_coders"].astype("int64")
    table["fewest_applied"] = table["fewest_applied"].astype("Int64")
    raters = rated.drop_duplicates(["unit", "coder"]).groupby("unit")["coder"].size()
    compared = rated.loc[rated["unit"].isin(raters.index[raters >= 2]), "doc_id"]
    table.attrs.update(
        coders=list(chosen),
        mode=mode,
        unit=unit,
        # what one unit is, as a chart names it
        units_are="documents"
        if unit == "doc"
        else "segments"
        if segments is not None
        else "coded spans",
        confidence=confidence if n_boot else None,
        documents=compared.nunique(),
        pooled_codes=pooled_codes,
        pooled_over=people,
    )
    return table


def shared_codes(codes: pd.DataFrame, codebook: str | Codebook | None = None) -> set[str]:
    """The codes every coder of ``codes`` used: agreement compares like with like (a second
    coder who coded only the main cycles says nothing about the sub-codes).

    With ``codebook``, each coder's sub-codes count as their parents too (as
    :func:`agreement` reads them): a person who applied only ``potential_human`` used
    ``potential``.

    Examples
    --------
    >>> codes = pd.DataFrame({"coder": ["Ana", "Ana", "Kwame"],
    ...                       "code": ["applied", "orienting", "applied"]})
    >>> shared_codes(codes)
    {'applied'}
    >>> codes = pd.DataFrame({"doc_id": "s1", "field": "story", "start": 0, "end": 5,
    ...     "codebook": "value_cycles", "coder": ["Ana", "Kwame"],
    ...     "code": ["potential_human", "potential"]})
    >>> shared_codes(codes, "value_cycles")
    {'potential'}
    """
    if codebook is not None:
        codes = parents_added(codes, codebook)
    used = [set(group.astype(str)) for _, group in codes.groupby("coder")["code"]]
    return set.intersection(*used) if used else set()


def parents_added(codes: pd.DataFrame, codebook: str | Codebook) -> pd.DataFrame:
    """``codes`` with each sub-code's parents in ``codebook`` beside it
    (:meth:`Codebook.with_parents`), as :func:`agreement` reads every coder's codes."""
    from copanalysis.codebooks.codebook import builtin_codebook

    book = builtin_codebook(codebook) if isinstance(codebook, str) else codebook
    return book.with_parents(codes)


def disagreements(
    codes: pd.DataFrame,
    *,
    coders: Sequence[str] | None = None,
    codebook: str | Codebook | None = None,
    unit: CountUnit = "doc",
    segments: pd.DataFrame | None = None,
    documents: Mapping[str, Iterable[str]] | None = None,
) -> pd.DataFrame:
    """The units and codes on which coders differ, with each coder's decision and quotes.

    Parameters
    ----------
    codes, coders, codebook, unit, segments, documents
        As in :func:`agreement`; only coders who coded (or read, by ``documents``) a unit's
        document take part.

    Returns
    -------
    DataFrame
        Tidy: one row per unit x code x coder where at least two coders rated the unit and
        they differ on the code. Columns ``doc_id``, ``field``, ``start``, ``end`` (the
        unit: the whole document for ``unit="doc"``, with empty ``field`` and -1
        offsets), ``code``, ``coder``, ``applied`` (bool) and ``quote`` (the coder's
        quotes for that code in the unit, joined with `` | ``; empty when not applied).

    Examples
    --------
    >>> import pandas as pd
    >>> codes = pd.DataFrame({"doc_id": ["s1", "s1", "s2"], "field": "story", "start": 0,
    ...     "end": 5, "quote": ["I met", "I met", "I use"], "code": ["immediate", "potential",
    ...     "applied"], "coder": ["Ana", "Ben", "Ana"]})
    >>> disagreements(codes)[["doc_id", "code", "coder", "applied", "quote"]]
      doc_id       code coder  applied  quote
    0     s1  immediate   Ana     True  I met
    1     s1  immediate   Ben    False
    2     s1  potential   Ana    False
    3     s1  potential   Ben     True  I met
    """
    rated, chosen = _rated_units(
        codes,
        coders=coders,
        codebook=codebook,
        unit=unit,
        segments=segments,
        documents=documents,
    )
    columns = ["doc_id", "field", "start", "end", "code", "coder", "applied", "quote"]
    raters = rated.drop_duplicates(["unit", "coder"])
    coded = rated.dropna(subset=["code"])
    records = []
    unit_info = rated.drop_duplicates("unit").set_index("unit")[
        ["doc_id", "field", "start", "end"]
    ]
    for (unit_key, code), group in coded.groupby(["unit", "code"], sort=True):
        who = raters.loc[raters["unit"] == unit_key, "coder"].tolist()
        if len(who) < 2:
            continue
        applied = set(group["coder"])
        if all(c in applied for c in who):
            continue
        info = unit_info.loc[str(unit_key)]
        for coder in [c for c in chosen if c in who]:
            quotes = group.loc[group["coder"] == coder, "quote"].dropna().astype(str)
            records.append(
                {
                    "doc_id": info["doc_id"],
                    "field": info["field"],
                    "start": info["start"],
                    "end": info["end"],
                    "code": code,
                    "coder": coder,
                    "applied": coder in applied,
                    "quote": " | ".join(dict.fromkeys(q for q in quotes if q)),
                }
            )
    table = pd.DataFrame(records, columns=columns)
    for col in ("doc_id", "field", "code", "coder", "quote"):
        table[col] = table[col].astype("string")
    for col in ("start", "end"):
        table[col] = table[col].astype("int64")
    table["applied"] = table["applied"].astype(bool)
    return table


# --------------------------------------------------------------------------- units


def _rated_units(
    codes: pd.DataFrame,
    *,
    coders: Sequence[str] | None,
    codebook: str | Codebook | None,
    unit: CountUnit,
    segments: pd.DataFrame | None,
    documents: Mapping[str, Iterable[str]] | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """Rows ``unit, doc_id, field, start, end, coder, code, quote``: who rated what.

    Every unit of a document a coder coded (or read, by ``documents``) gets a row for that
    coder with ``code`` NA, plus one row per code the coder applied to the unit.
    """
    frame = validate(_fill_optional(codes), "codes")
    every = list(dict.fromkeys(frame["coder"].tolist()))
    if codebook is not None:
        name = codebook if isinstance(codebook, str) else codebook.name
        frame = frame[frame["codebook"].isna() | (frame["codebook"] == name)]
    read = {
        str(c): {str(docs)} if isinstance(docs, str) else {str(d) for d in docs}
        for c, docs in (documents or {}).items()
    }
    # a coder named in documents read them: with no row at all, it found nothing there
    present = list(dict.fromkeys([*frame["coder"].tolist(), *read]))
    dropped = [c for c in every if c not in present and (coders is None or c in coders)]
    if dropped and codebook is not None:
        theirs = codes.loc[codes["coder"].isin(dropped), "codebook"].dropna().astype(str)
        raise SchemaError(
            f"agreement: {', '.join(map(repr, dropped))} coded nothing of codebook {name!r} "
            f"(their codes are of {', '.join(map(repr, sorted(set(theirs)))) or 'no codebook'}); "
            "read their codes as this codebook's first: copanalysis.io.recode(codes, "
            f"{name!r}, mapping={{'their code': '{name} code'}})"
        )
    if coders is None:
        chosen = present
    else:
        chosen = list(dict.fromkeys(coders))
        missing = [c for c in chosen if c not in present]
        if missing:
            raise SchemaError(
                f"codes frame: column 'coder' has no rows for {', '.join(map(repr, missing))}; "
                f"coders present: {', '.join(present)}"
            )
    if len(chosen) < 2:
        raise SchemaError(
            f"codes frame: agreement needs at least two coders in column 'coder'; "
            f"found {len(chosen)} ({', '.join(chosen)})"
        )
    frame = _rolled_up(frame[frame["coder"].isin(chosen)].reset_index(drop=True), codebook)
    books = [set(g.dropna().astype(str)) for _, g in frame.groupby("coder")["codebook"]]
    if len(frame) and not shared_codes(frame) and all(books) and not set.intersection(*books):
        # no code and no codebook in common: two vocabularies, not a disagreement
        used = {
            c: sorted(set(g.astype(str))) for c, g in frame.groupby("coder", sort=False)["code"]
        }
        said = "; ".join(
            f"{c!r} used {len(v)} ({', '.join(map(repr, v[:3]))}{', ...' if len(v) > 3 else ''})"
            for c, v in used.items()
        )
        raise SchemaError(
            f"agreement: the coders share no code and no codebook, so there is nothing to "
            f"agree on: {said}. "
            "Read one set as the other's first: copanalysis.io.recode(codes, <codebook>, "
            "mapping={'their code': 'codebook code'})"
        )
    read = {c: docs for c, docs in read.items() if c in chosen}
    if unit == "doc":
        spans = frame.assign(unit=frame["doc_id"], field="", start=-1, end=-1)[
            ["unit", "doc_id", "field", "start", "end", "coder", "code", "quote"]
        ]
        units = spans.drop_duplicates("unit")[["unit", "doc_id", "field", "start", "end"]]
        # a document read and left without any code is a unit too, for whoever coded it
        quiet = sorted(set().union(*read.values()) - set(units["doc_id"].astype(str)))
        units = pd.concat(
            [units, pd.DataFrame({"unit": quiet, "doc_id": quiet, "field": "", "start": -1,
                                  "end": -1})],
            ignore_index=True,
        )  # fmt: skip
    else:
        rated_docs = set(frame["doc_id"].astype(str)).union(*read.values())
        units, spans = _segment_units(frame, segments, rated_docs)
    docs_by_coder = frame.groupby("coder", sort=False)["doc_id"].unique()
    blanks = []
    for coder in chosen:
        their_docs = set(map(str, docs_by_coder.get(coder, []))) | read.get(coder, set())
        mine = units[units["doc_id"].astype(str).isin(their_docs)]
        blanks.append(mine.assign(coder=coder, code=None, quote=None))
    rated = pd.concat([*blanks, spans], ignore_index=True)
    rated["code"] = rated["code"].astype("string")
    return rated, chosen


def _rolled_up(frame: pd.DataFrame, codebook: str | Codebook | None) -> pd.DataFrame:
    """Every coder's sub-codes with their parents, for the codebook given or the built-in
    codebooks the codes name; codes such a codebook does not have are warned of."""
    from copanalysis.codebooks.codebook import builtin_codebook, list_codebooks

    if codebook is not None and not isinstance(codebook, str):
        books = [codebook]
    else:
        names = {codebook} if codebook else set(frame["codebook"].dropna().astype(str))
        books = [builtin_codebook(n) for n in sorted(names) if n in list_codebooks()]
    named = frame["codebook"].fillna("").astype(str)
    other = frame[~named.isin([b.name for b in books]) & named.ne("")]
    if books and len(other):  # trial 29: a QDA project's own code names, not read as its
        shown = other.groupby(named[other.index])["code"].unique()
        said = "; ".join(f"{b!r}: {', '.join(map(str, c[:6]))}" for b, c in shown.items())
        warnings.warn(
            f"agreement: {len(other)} code(s) of other codebooks than "
            f"{', '.join(repr(b.name) for b in books)} are compared as they are, so they "
            f"agree with nothing there ({said}); read them as its codes with "
            "copanalysis.io.recode(codes, codebook, mapping=...)",
            UserWarning,
            stacklevel=4,
        )
    for book in books:
        # a code with no codebook named (the README's minimal gold layout) is the one
        # codebook's when there is one (trial 32: "Applied value" was compared unwarned)
        claims = frame["codebook"].eq(book.name)
        if len(books) == 1:
            claims |= frame["codebook"].isna()
        unknown = book.unknown_codes(frame[claims])
        if unknown:
            warnings.warn(
                f"agreement: {len(unknown)} code(s) are not codes of codebook {book.name!r} "
                f"and are compared as they are: {'; '.join(unknown[:10])}",
                UserWarning,
                stacklevel=4,
            )
        frame = book.with_parents(frame)
    return frame


def _fill_optional(codes: pd.DataFrame) -> pd.DataFrame:
    """Give hand-made frames without ``polarity`` a neutral one (the schema's int column)."""
    if isinstance(codes, pd.DataFrame) and (
        "polarity" not in codes.columns or codes["polarity"].isna().any()
    ):
        polarity = codes["polarity"] if "polarity" in codes.columns else pd.Series(0, codes.index)
        return codes.assign(polarity=polarity.fillna(0))
    return codes


def _segment_units(
    frame: pd.DataFrame, segments: pd.DataFrame | None, documents: set[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Units (``unit, doc_id, field, start, end``) and coded spans mapped onto them.

    With ``segments``, the units are every segment of the rated ``documents``: a sentence
    no coder coded is one they agree on (no code), so a code's agreement does not depend on
    which other codes the frame holds. Without, the units are the coded spans, merged where
    they overlap."""
    if segments is None:
        pieces = []
        for (doc, fld), group in frame.groupby(["doc_id", "field"], sort=True):
            ordered = group.sort_values(["start", "end"])
            merged: list[list[int]] = []
            for start, end in zip(ordered["start"], ordered["end"], strict=True):
                if merged and start < merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], int(end))
                else:
                    merged.append([int(start), int(end)])
            pieces.append(
                pd.DataFrame(
                    {
                        "doc_id": doc,
                        "field": fld,
                        "start": [m[0] for m in merged],
                        "end": [m[1] for m in merged],
                    }
                )
            )
        candidates = (
            pd.concat(pieces, ignore_index=True)
            if pieces
            else pd.DataFrame(columns=["doc_id", "field", "start", "end"])
        )
    else:
        candidates = validate(segments, "segments")[["doc_id", "field", "start", "end"]]
    candidates = candidates.assign(
        unit=candidates["doc_id"].astype(str)
        + "/"
        + candidates["field"].astype(str)
        + "/"
        + candidates["start"].astype(str)
    )
    joined = frame.merge(candidates, on=["doc_id", "field"], suffixes=("_code", ""))
    overlap = (joined["start_code"] < joined["end"]) & (joined["start"] < joined["end_code"])
    spans = joined[overlap][["unit", "doc_id", "field", "start", "end", "coder", "code", "quote"]]
    kept = (
        candidates["unit"].isin(spans["unit"])
        if segments is None
        else candidates["doc_id"].astype(str).isin(documents)
    )
    units = candidates[kept][["unit", "doc_id", "field", "start", "end"]]
    return units.reset_index(drop=True), spans.reset_index(drop=True)


def _code_list(rated: pd.DataFrame, codebook: str | Codebook | None) -> list[str]:
    used = sorted(rated["code"].dropna().unique().tolist())
    if codebook is None or isinstance(codebook, str):
        return used
    listed = [c.code for c in codebook.codes]
    return listed + [c for c in used if c not in listed]


def _presence_matrix(rated: pd.DataFrame, chosen: list[str], code: str) -> np.ndarray:
    """Units x coders: 1 applied, 0 not applied, NaN not rated."""
    raters = rated.drop_duplicates(["unit", "coder"]).assign(value=0.0)
    hits = rated.loc[rated["code"] == code, ["unit", "coder"]].drop_duplicates()
    raters = raters.merge(hits.assign(hit=1.0), on=["unit", "coder"], how="left")
    raters["value"] = raters["hit"].fillna(0.0)
    wide = raters.pivot(index="unit", columns="coder", values="value")
    return wide.reindex(columns=chosen).to_numpy(dtype=float)


def _category_matrix(rated: pd.DataFrame, chosen: list[str]) -> np.ndarray:
    """Units x coders of integer category labels (NaN not rated)."""
    labels = rated.groupby(["unit", "coder"], sort=True)["code"].agg(
        lambda s: "+".join(sorted(set(s.dropna()))) or NONE
    )
    wide = labels.unstack("coder").reindex(columns=chosen)
    stacked = pd.Series(wide.to_numpy().ravel()).dropna()
    categories = sorted(set(stacked.tolist()))
    index = {c: float(i) for i, c in enumerate(categories)}
    return wide.apply(lambda col: col.map(index)).to_numpy(dtype=float)


# ---------------------------------------------------------------------- statistics


def _rng(random_state: int, code: str) -> np.random.Generator:
    """The bootstrap's generator for one code: seeded by the code's name, so that a code's
    interval does not depend on the codes before it."""
    return np.random.default_rng([random_state, zlib.crc32(code.encode("utf-8"))])


def _statistics(
    matrix: np.ndarray,
    n_boot: int,
    confidence: float,
    rng: np.random.Generator,
    *,
    clusters: np.ndarray | None = None,
    presence: bool = True,
) -> dict[str, float]:
    """Point estimates (libraries) and bootstrap intervals for one units x coders matrix;
    ``clusters`` (one id per row) resamples rows in groups (a unit with all its codes);
    ``presence``: the matrix holds 1 (applied) and 0, and ``fewest_applied`` counts the 1s
    (under :data:`MIN_APPLIED`, no kappa, alpha or interval is estimated)."""
    rated = (~np.isnan(matrix)).sum(axis=1)
    if clusters is not None:
        clusters = clusters[rated >= 2]
    matrix = matrix[rated >= 2]
    fewest = _fewest_applied(matrix) if presence else np.nan
    out: dict[str, float] = {
        "fewest_applied": fewest,
        "units": float(len(matrix)),
        "n_coders": float(matrix.shape[1]),
        "percent_agreement": _percent_agreement(matrix),
        **dict.fromkeys(_ESTIMATES, np.nan),
    }
    if fewest < MIN_APPLIED:  # one positive against none: a precise-looking zero
        return out
    out.update(
        cohen_kappa=_cohen_kappa(matrix),
        fleiss_kappa=_fleiss_kappa(matrix),
        krippendorff_alpha=_krippendorff_alpha(matrix),
    )
    out.update(_intervals(matrix, n_boot, confidence, rng, clusters=clusters))
    return out


def _intervals(
    matrix: np.ndarray,
    n_boot: int,
    confidence: float,
    rng: np.random.Generator,
    *,
    clusters: np.ndarray | None = None,
) -> dict[str, float]:
    """Percentile bootstrap intervals of Krippendorff's alpha and Cohen's kappa for one
    units x coders matrix (NaN where a coder did not rate a unit; ``clusters``, one id per
    row, resamples rows in groups): ``alpha_low``, ``alpha_high``, ``kappa_low``,
    ``kappa_high``, NaN with no resamples or where no resample gives the statistic.

    Examples
    --------
    >>> matrix = np.array([[1, 1], [1, 1], [0, 0], [0, 1], [0, 0], [1, 0]], dtype=float)
    >>> found = _intervals(matrix, 200, 0.95, _rng(0, "learned"))
    >>> bool(found["kappa_low"] < found["kappa_high"])
    True
    >>> _intervals(matrix, 0, 0.95, _rng(0, "learned"))["kappa_low"]
    nan
    """
    out = dict.fromkeys(("alpha_low", "alpha_high", "kappa_low", "kappa_high"), np.nan)
    if n_boot > 0 and len(matrix):
        alphas, kappas = _bootstrap(matrix, n_boot, rng, clusters=clusters)
        tail = (1 - confidence) / 2 * 100
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            if np.isfinite(alphas).any():
                out["alpha_low"], out["alpha_high"] = np.nanpercentile(alphas, [tail, 100 - tail])
            if np.isfinite(kappas).any():
                out["kappa_low"], out["kappa_high"] = np.nanpercentile(kappas, [tail, 100 - tail])
    return out


def _fewest_applied(matrix: np.ndarray) -> float:
    """The fewest units (rows) any one coder (column) applied the code to (1s)."""
    return float(np.nansum(matrix, axis=0).min()) if matrix.shape[1] else float("nan")


def _percent_agreement(matrix: np.ndarray) -> float:
    if not len(matrix):
        return float("nan")
    shares = []
    for row in matrix:
        values = row[~np.isnan(row)]
        pairs = list(combinations(values, 2))
        shares.append(sum(a == b for a, b in pairs) / len(pairs))
    return float(np.mean(shares))


def _pairs(matrix: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    out = []
    for i, j in combinations(range(matrix.shape[1]), 2):
        both = ~np.isnan(matrix[:, i]) & ~np.isnan(matrix[:, j])
        if both.any():
            out.append((matrix[both, i], matrix[both, j]))
    return out


def _cohen_kappa(matrix: np.ndarray) -> float:
    from sklearn.metrics import cohen_kappa_score

    kappas = []
    for a, b in _pairs(matrix):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            kappas.append(cohen_kappa_score(a, b))
    finite = [k for k in kappas if np.isfinite(k)]
    return float(np.mean(finite)) if finite else float("nan")


def _fleiss_kappa(matrix: np.ndarray) -> float:
    from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

    complete = matrix[~np.isnan(matrix).any(axis=1)]
    if not len(complete):
        return float("nan")
    table, _ = aggregate_raters(complete.astype(int))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        value = fleiss_kappa(table, method="fleiss")
    return float(value)


def _krippendorff_alpha(matrix: np.ndarray) -> float:
    from nltk.metrics.agreement import AnnotationTask

    values = matrix[~np.isnan(matrix)]
    if len(np.unique(values)) < 2:
        return float("nan")  # no variation: alpha is 0/0 (NLTK would say 1)
    triples = [
        (str(coder), str(item), int(matrix[item, coder]))
        for item in range(matrix.shape[0])
        for coder in range(matrix.shape[1])
        if not np.isnan(matrix[item, coder])
    ]
    return float(AnnotationTask(data=triples).alpha())


def _bootstrap(
    matrix: np.ndarray,
    n_boot: int,
    rng: np.random.Generator,
    *,
    clusters: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Alpha and kappa over ``n_boot`` resamples of the units (rows), vectorised.

    Resampling units only changes how often each distinct rating pattern occurs, so each
    resample is a weight vector over the patterns; the statistics are closed forms of
    those weights (the same values as NLTK's alpha and scikit-learn's kappa). With
    ``clusters``, whole clusters are resampled: a resample's pattern weights are the
    clusters drawn times the patterns each cluster holds.
    """
    filled = np.where(np.isnan(matrix), -1, matrix).astype(int)
    if clusters is None:
        patterns, counts = np.unique(filled, axis=0, return_counts=True)
        weights = rng.multinomial(len(matrix), counts / counts.sum(), size=n_boot)
        return _alpha_weighted(patterns, weights.astype(float)), _kappa_weighted(
            patterns, weights.astype(float)
        )
    patterns, which = np.unique(filled, axis=0, return_inverse=True)
    ids, cluster = np.unique(clusters, return_inverse=True)
    held = np.zeros((len(ids), len(patterns)))
    np.add.at(held, (cluster, which.ravel()), 1.0)
    drawn = rng.multinomial(len(ids), np.full(len(ids), 1 / len(ids)), size=n_boot)
    resampled = drawn @ held
    return _alpha_weighted(patterns, resampled), _kappa_weighted(patterns, resampled)


def _alpha_weighted(patterns: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Nominal Krippendorff's alpha for each row of ``weights`` (pattern multiplicities)."""
    categories = np.unique(patterns[patterns >= 0])
    n_uc = np.stack([(patterns == c).sum(axis=1) for c in categories], axis=1).astype(float)
    m_u = n_uc.sum(axis=1)
    pairable = m_u >= 2
    n_uc, m_u = n_uc[pairable], m_u[pairable]
    w = weights[:, pairable]
    observed = (m_u**2 - (n_uc**2).sum(axis=1)) / (m_u - 1)
    n = w @ m_u
    n_c = w @ n_uc
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = n**2 - (n_c**2).sum(axis=1)
        alpha = 1 - (n - 1) * (w @ observed) / expected
    return np.where(expected > 0, alpha, np.nan)


def _kappa_weighted(patterns: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Cohen's kappa (mean over coder pairs) for each row of ``weights``."""
    kappas = []
    for i, j in combinations(range(patterns.shape[1]), 2):
        both = (patterns[:, i] >= 0) & (patterns[:, j] >= 0)
        if not both.any():
            continue
        a, b, w = patterns[both, i], patterns[both, j], weights[:, both]
        total = w.sum(axis=1)
        categories = np.unique(np.concatenate([a, b]))
        with np.errstate(divide="ignore", invalid="ignore"):
            observed = (w @ (a == b)) / total
            chance = sum((w @ (a == c)) * (w @ (b == c)) for c in categories) / total**2
            kappas.append(np.where(chance < 1, (observed - chance) / (1 - chance), np.nan))
    if not kappas:
        return np.full(len(weights), np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(np.stack(kappas), axis=0)
