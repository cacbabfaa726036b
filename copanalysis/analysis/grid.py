"""Place coded value on the strategic-value grid: to members or to the organization, in the
short or the long term (Wenger, McDermott & Snyder 2002, table 1-1).

Every placement says why it was made: the prompt field's prior, the cue words in the text,
the cycle's mapping, or the worksheet cell the respondent wrote in.
"""

from __future__ import annotations

import re

import pandas as pd

from copanalysis.analysis._codes import is_negative
from copanalysis.analysis.paths import cycle_of
from copanalysis.schema import BENEFICIARIES, HORIZONS, validate

__all__ = ["leading_codes", "value_grid", "value_grid_codes", "value_grid_summary"]

#: Words naming the organization or the people it serves (the beneficiary is the organization).
ORGANIZATION_CUES: tuple[str, ...] = (
    "team", "teams", "organisation", "organization", "organisations", "organizations",
    "client", "clients", "patient", "patients", "customer", "customers", "unit", "units",
    "department", "departments", "ward", "wards", "hospital", "company", "school",
    "service", "services", "staff", "colleagues", "management", "division", "agency",
    "ministry", "municipality", "firm", "business",
)  # fmt: skip
#: First-person plural words (lean organization) and singular ones (lean members).
WE_CUES: tuple[str, ...] = ("we", "our", "us", "ours")
I_CUES: tuple[str, ...] = ("i", "my", "me", "myself", "mine")
#: Words that put value in the long term.
LONG_TERM_CUES: tuple[str, ...] = (
    "years", "long-term", "long term", "in the long run", "strategy", "strategic",
    "now part of", "policy", "policies", "retention", "retain", "career", "future",
    "sustainable", "sustainability", "permanent", "permanently", "institutionalised",
    "institutionalized", "standard practice", "ever since", "since then", "for good",
    "every year", "employability", "reputation", "identity", "curriculum",
)  # fmt: skip
#: How each cycle sits on the time axis (and, in a free story, whom it serves by default).
CYCLE_HORIZON: dict[str, str] = {
    "immediate": "short",
    "potential": "short",
    "potential_human": "short",
    "potential_social": "short",
    "potential_tangible": "short",
    "potential_learning": "long",
    "potential_reputational": "long",
    "applied": "short",
    "realized": "short",
    "reframing": "long",
    "orienting": "long",
    "enabling": "short",
    "strategic": "long",
}
CYCLE_BENEFICIARY: dict[str, str] = {
    "immediate": "members",
    "potential": "members",
    "orienting": "members",
    "applied": "organization",
    "realized": "organization",
    "reframing": "organization",
    "enabling": "organization",
    "strategic": "organization",
}
#: Cycles whose horizon is set by the cycle alone (no time cue moves them).
_FIXED_HORIZON = {"immediate", *(c for c, h in CYCLE_HORIZON.items() if h == "long")}
_GRID_CODE = re.compile(r"^(members?|organi[sz]ation)[_\- ]+(short|long)(?:[_\- ]*term)?$", re.I)

_COLUMNS = [
    "doc_id", "field", "start", "end", "quote", "code", "beneficiary", "horizon", "evidence",
]  # fmt: skip


def _pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    words = sorted(cues, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


_ORGANIZATION = _pattern(ORGANIZATION_CUES)
_WE = _pattern(WE_CUES)
_I = _pattern(I_CUES)
_LONG = _pattern(LONG_TERM_CUES)


def _found(pattern: re.Pattern[str], text: str) -> list[str]:
    return list(dict.fromkeys(m.group(0).lower() for m in pattern.finditer(text)))


def _context(text: str, start: int, end: int, quote: str) -> str:
    """The sentence(s) around a coded span, from the field's text when it is known."""
    if not text or not 0 <= start <= end <= len(text):
        return quote
    ends = ".!?\n"
    left = start
    while left > 0 and text[left - 1] not in ends:
        left -= 1
    right = end
    if not (end > start and text[end - 1] in ends):
        while right < len(text) and text[right] not in ends:
            right += 1
        right = min(right + 1, len(text))
    return text[left:right].strip() or quote


def _cues(words: list[str]) -> str:
    return ", ".join(f"'{w}'" for w in words)


def _beneficiary(field: str, cycle: str, text: str) -> tuple[str, str]:
    if field == "organization":
        return "organization", "field 'organization' -> organization"
    if field == "development":
        return "members", "field 'development' -> members"
    members_cycle = CYCLE_BENEFICIARY.get(cycle, "members") == "members"
    if field in ("activities", "insights") and members_cycle:
        return "members", f"field {field!r} -> members"
    organization = _found(_ORGANIZATION, text)
    if organization:
        return "organization", f"cue {_cues(organization)} -> organization"
    we, me = _found(_WE, text), _found(_I, text)
    if we and len(we) > len(me) and not members_cycle:
        return "organization", f"cue {_cues(we)} (we/our) -> organization"
    if me:
        return "members", f"cue {_cues(me)} (I/my) -> members"
    if field in ("activities", "insights", "practice"):
        return "members", f"field {field!r} -> members"
    default = CYCLE_BENEFICIARY.get(cycle, "members")
    return default, f"cycle {cycle!r} -> {default}"


def _horizon(code: str, cycle: str, text: str) -> tuple[str, str]:
    key = code.lower() if code.lower() in CYCLE_HORIZON else cycle
    horizon = CYCLE_HORIZON.get(key, "short")
    reason = f"cycle {key!r} -> {horizon}"
    if key not in _FIXED_HORIZON and horizon == "short":
        long_cues = _found(_LONG, text)
        if long_cues:
            return "long", f"{reason}; long-term cue {_cues(long_cues)} -> long"
    return horizon, reason


def _cell_code(code: str) -> tuple[str, str] | None:
    match = _GRID_CODE.match(code.strip())
    if match is None:
        return None
    who = "members" if match.group(1).lower().startswith("member") else "organization"
    return who, match.group(2).lower()


def _specific(codes: pd.DataFrame) -> pd.DataFrame:
    """Drop a cycle where one of its sub-codes codes the same span (``potential`` beside
    ``potential_human``): the sub-code says more about where the value lies."""
    if codes.empty:
        return codes
    span = ["doc_id", "field", "start", "end"]
    cycle = codes["code"].astype(str).map(cycle_of)
    is_sub = cycle != codes["code"].astype(str).str.lower()
    subs = codes.loc[is_sub, span].assign(_cycle=cycle[is_sub]).drop_duplicates()
    marked = codes[span].assign(_cycle=codes["code"].astype(str).str.lower())
    covered = marked.merge(subs, on=[*span, "_cycle"], how="left", indicator=True)
    return codes[covered["_merge"].to_numpy() != "both"]


def value_grid(
    codes: pd.DataFrame, frame: pd.DataFrame | None = None, *, progress: bool = True
) -> pd.DataFrame:
    """Place each coded segment of value on the strategic-value grid, with its evidence.

    Codes of the value cycles are placed by rules; ``strategic_grid`` codes
    (``members_short`` ... ``organization_long``) and codes of a ``grid`` worksheet frame
    (fields ``members_short`` ... ``organization_long``, the cells the respondent wrote
    in) are placed where they say. Codes at
    polarity -1 are left out (a "waste of time" is no value), and so are codes of other
    codebooks.

    Beneficiary: the ``organization`` prompt puts value with the organization and the
    ``development`` prompt with members, and so do the ``activities`` and ``insights``
    prompts for the members' cycles (immediate, potential, orienting). Elsewhere the
    sentence decides: words for the organization or those it serves ("team", "clients",
    "patients", "department"...); for the organization's cycles (applied, realized,
    reframing, enabling, strategic) more we/our than I/my; then I/my for members. Failing
    those, ``activities``, ``insights`` and ``practice`` answers go to members and a free
    story follows the cycle.

    Horizon: immediate, potential (human, social, tangible), applied, realized and enabling
    are short-term; potential learning and reputational, reframing, orienting and strategic
    are long-term. Long-term cues in the sentence ("years", "strategy", "now part of",
    "policy", "retention"...) move all but immediate value to the long term.

    Parameters
    ----------
    codes : DataFrame
        A ``codes`` frame.
    frame : DataFrame, optional
        The coded frame (``stories``, ``items``, ``grid``...), read as the coders read it,
        for the sentence around each span. Without it only the quotes are read.
    progress : bool
        Show a progress bar over the codes when placing them takes more than a second.

    Returns
    -------
    DataFrame
        One row per placed code: ``doc_id, field, start, end, quote, code, beneficiary,
        horizon, evidence`` (beneficiary and horizon are categoricals; evidence reads
        "field 'organization' -> organization; cycle 'realized' -> short").

    Examples
    --------
    >>> stories = pd.DataFrame({"story_id": ["s1"],
    ...     "organization": ["Waiting lists fell for years."],
    ...     "practice": ["I use the template now."]})
    >>> codes = pd.DataFrame({"doc_id": ["s1", "s1"], "field": ["organization", "practice"],
    ...     "start": [0, 2], "end": [13, 5], "code": ["realized", "applied"], "coder": "me"})
    >>> placed = value_grid(codes, stories)
    >>> placed[["code", "beneficiary", "horizon"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'code': 'realized', 'beneficiary': 'organization', 'horizon': 'long'},
     {'code': 'applied', 'beneficiary': 'members', 'horizon': 'short'}]
    >>> placed["evidence"].iloc[0]
    "field 'organization' -> organization; cycle 'realized' -> short; long-term cue 'years' -> long"
    """  # noqa: E501
    codes = validate(codes, "codes")
    codes = _specific(codes[~is_negative(codes)])
    texts: dict[tuple[str, str], str] = {}
    if frame is not None and len(frame):
        from copanalysis.coding.documents import text_units

        units = text_units(frame)
        keys = zip(units["doc_id"].astype(str), units["field"].astype(str), strict=True)
        texts = dict(zip(keys, units["text"].astype(str), strict=True))
    rows = []
    from tqdm.auto import tqdm

    records = codes.to_dict("records")
    for record in tqdm(records, desc="value grid", unit="code", disable=not progress, delay=1):
        doc_id, field, code = str(record["doc_id"]), str(record["field"]), str(record["code"])
        start, end = int(record["start"]), int(record["end"])
        text = texts.get((doc_id, field), "")
        quote = record["quote"] if isinstance(record["quote"], str) else text[start:end]
        cell = _cell_code(code)
        cycle = cycle_of(code)
        if cell is not None:
            who, when = cell
            evidence = f"strategic_grid code {code!r} -> {who}, {when}"
        elif _cell_code(field) is not None:
            who, when = _cell_code(field)  # type: ignore[misc]
            evidence = f"grid worksheet cell {field!r} -> {who}, {when}"
        elif cycle in CYCLE_HORIZON:
            context = _context(text, start, end, quote)
            who, why_who = _beneficiary(field, cycle, context)
            when, why_when = _horizon(code, cycle, context)
            evidence = f"{why_who}; {why_when}"
        else:
            continue
        rows.append((doc_id, field, start, end, quote, code, who, when, evidence))
    placements = pd.DataFrame(rows, columns=_COLUMNS)
    for column in ("doc_id", "field", "quote", "code", "evidence"):
        placements[column] = placements[column].astype("string")
    for column in ("start", "end"):
        placements[column] = placements[column].astype("int64")
    placements["beneficiary"] = pd.Categorical(
        placements["beneficiary"], categories=list(BENEFICIARIES)
    )
    placements["horizon"] = pd.Categorical(placements["horizon"], categories=list(HORIZONS))
    return placements


def _exemplar(quotes: list[str], width: int = 140) -> str:
    quotes = [" ".join(q.split()) for q in quotes if isinstance(q, str) and q.strip()]
    if not quotes:
        return ""
    fitting = [q for q in quotes if len(q) <= width]
    if fitting:
        return max(fitting, key=len)
    shortest = min(quotes, key=len)
    cut = (
        shortest[: width - 1].rsplit(" ", 1)[0]
        if " " in shortest[: width - 1]
        else shortest[: width - 1]
    )
    return cut.rstrip(" ,;:") + "…"


#: The strategic_grid codes, named after the cells they stand for.
_CELL_CODES = [f"{who}_{when}" for who in BENEFICIARIES for when in HORIZONS]


#: The columns of :func:`value_grid_codes`.
GRID_CODES_COLUMNS = [
    "beneficiary", "horizon", "code", "rank", "n", "n_docs", "share", "cell_docs", "exemplar",
]  # fmt: skip


def value_grid_codes(placements: pd.DataFrame) -> pd.DataFrame:
    """Count :func:`value_grid` placements by grid cell and code: the tidy table behind the
    grid chart and :func:`value_grid_summary`.

    Parameters
    ----------
    placements : DataFrame
        The output of :func:`value_grid` (``doc_id``, ``quote``, ``code``, ``beneficiary``,
        ``horizon``).

    Returns
    -------
    DataFrame
        One row per cell and code placed there, cells in grid order (members/short,
        members/long, organization/short, organization/long; an empty cell has no rows):
        ``beneficiary, horizon`` (categoricals), ``code``, ``rank`` (1 for the code that
        leads the cell: the most passages first, ties by code; a ``strategic_grid`` code,
        which only restates its cell, after every cycle), ``n`` (passages), ``n_docs``
        (stories), ``share`` (of the cell's passages), ``cell_docs`` (stories with any
        passage in the cell) and ``exemplar``, the code's longest quote that fits 140
        characters (else its shortest, cut with an ellipsis).

    Examples
    --------
    >>> placements = pd.DataFrame({"doc_id": ["s1", "s2", "s2"],
    ...     "quote": ["We cut costs.", "Fewer errors.", "We use it."],
    ...     "code": ["realized", "realized", "applied"],
    ...     "beneficiary": "organization", "horizon": "short"})
    >>> value_grid_codes(placements)[["horizon", "code", "rank", "n", "n_docs", "share"]]
      horizon      code  rank  n  n_docs     share
    0   short  realized     1  2       2  0.666667
    1   short   applied     2  1       1  0.333333
    """
    rows = []
    for who in BENEFICIARIES:
        for when in HORIZONS:
            cell = placements[
                (placements["beneficiary"].astype(str) == who)
                & (placements["horizon"].astype(str) == when)
            ]
            by_code = cell.assign(code=cell["code"].astype(str)).groupby("code")
            counts = by_code.size()
            ranked = sorted(counts.items(), key=lambda kv: (kv[0] in _CELL_CODES, -kv[1], kv[0]))
            for rank, (code, n) in enumerate(ranked, start=1):
                part = by_code.get_group(code)
                rows.append(
                    (who, when, code, rank, n, part["doc_id"].nunique(), n / len(cell),
                     cell["doc_id"].nunique(), _exemplar(part["quote"].tolist()))
                )  # fmt: skip
    table = pd.DataFrame(rows, columns=GRID_CODES_COLUMNS)
    table["beneficiary"] = pd.Categorical(table["beneficiary"], categories=list(BENEFICIARIES))
    table["horizon"] = pd.Categorical(table["horizon"], categories=list(HORIZONS))
    table[["rank", "n", "n_docs", "cell_docs"]] = table[
        ["rank", "n", "n_docs", "cell_docs"]
    ].astype("int64")
    table["share"] = table["share"].astype("float64")
    for column in ("code", "exemplar"):
        table[column] = table[column].astype("string")
    return table


def leading_codes(cell: pd.DataFrame, top: int = 3) -> pd.DataFrame:
    """The rows of one cell of :func:`value_grid_codes` that lead it, best first: the
    ``top`` best ranked, leaving out the ``strategic_grid`` codes (which only restate the
    cell) when any other code is placed there.

    Examples
    --------
    >>> cell = pd.DataFrame({"code": ["orienting", "members_long"], "rank": [1, 2]})
    >>> leading_codes(cell)["code"].tolist()
    ['orienting']
    """
    cell = cell.sort_values("rank", kind="stable") if "rank" in cell.columns else cell
    others = cell[~cell["code"].astype(str).isin(_CELL_CODES)]
    return (others if len(others) else cell).head(top)


def value_grid_summary(placements: pd.DataFrame, *, top: int = 3) -> pd.DataFrame:
    """Summarise :func:`value_grid` placements cell by cell, for reading as a table.

    Parameters
    ----------
    placements : DataFrame
        The output of :func:`value_grid`.
    top : int
        How many codes ``top_codes`` names.

    Returns
    -------
    DataFrame
        Always four rows (members/short, members/long, organization/short,
        organization/long): ``beneficiary, horizon, n`` (placements), ``n_docs``,
        ``top_codes`` ("applied (12), realized (5)"; the ``strategic_grid`` codes, which
        only restate the cell, when no other code is placed there) and ``exemplar``, the
        exemplar of the cell's top code (see :func:`value_grid_codes`, the same counts one
        row per cell and code); 0 and "" for an empty cell.

    Examples
    --------
    >>> placements = pd.DataFrame({"doc_id": ["s1", "s2", "s2"],
    ...     "quote": ["We cut costs.", "Fewer errors.", "We use it."],
    ...     "code": ["realized", "realized", "applied"],
    ...     "beneficiary": "organization", "horizon": "short"})
    >>> value_grid_summary(placements)[["beneficiary", "horizon", "n", "top_codes"]]
        beneficiary horizon  n                      top_codes
    0       members   short  0
    1       members    long  0
    2  organization   short  3  realized (2), applied (1)
    3  organization    long  0
    """
    by_cell = value_grid_codes(placements).groupby(["beneficiary", "horizon"], observed=True)
    rows = []
    for who in BENEFICIARIES:
        for when in HORIZONS:
            if (who, when) not in by_cell.groups:
                rows.append((who, when, 0, 0, "", ""))
                continue
            cell = by_cell.get_group((who, when))
            leading = leading_codes(cell, top)
            named = zip(leading["code"], leading["n"], strict=True)
            top_codes = ", ".join(f"{code} ({n})" for code, n in named)
            rows.append(
                (who, when, int(cell["n"].sum()), int(cell["cell_docs"].iloc[0]), top_codes,
                 str(leading["exemplar"].iloc[0]))
            )  # fmt: skip
    summary = pd.DataFrame(
        rows, columns=["beneficiary", "horizon", "n", "n_docs", "top_codes", "exemplar"]
    )
    summary["beneficiary"] = pd.Categorical(summary["beneficiary"], categories=list(BENEFICIARIES))
    summary["horizon"] = pd.Categorical(summary["horizon"], categories=list(HORIZONS))
    summary[["n", "n_docs"]] = summary[["n", "n_docs"]].astype("int64")
    summary["top_codes"] = summary["top_codes"].astype("string")
    summary["exemplar"] = summary["exemplar"].astype("string")
    return summary
