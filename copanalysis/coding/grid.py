"""Place coded value on the strategic-value grid: to members or to the organization, in the
short or the long term (Wenger, McDermott & Snyder 2002, table 1-1).

A coder over ``codes``: every placement says why it was made: the prompt field's prior, the
cue words in the text (package data ``coding/data/grid.yaml``), the cycle's mapping
(``coding/data/grid_cycles.yaml``), or the worksheet cell the respondent wrote in.
:func:`copanalysis.analysis.value_grid_summary` sums the placements up cell by cell.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from copanalysis.codebooks.order import cycle_of
from copanalysis.coding.absence import absent_value, says_nothing
from copanalysis.coding.training import overlapping
from copanalysis.coding.wordlists import word_lists
from copanalysis.frames import text_units
from copanalysis.schema import BENEFICIARIES, HORIZONS, validate

__all__ = ["value_grid", "worksheet_placements"]

_CUES = word_lists("grid")
#: Words naming the organization or the people it serves (the beneficiary is the organization).
ORGANIZATION_CUES: tuple[str, ...] = _CUES["organization"]
#: First-person plural words (lean organization) and singular ones (lean members).
WE_CUES: tuple[str, ...] = _CUES["we"]
I_CUES: tuple[str, ...] = _CUES["i"]
#: Words that put value in the long term.
LONG_TERM_CUES: tuple[str, ...] = _CUES["long_term"]
#: How each cycle sits on the time axis (and, in a free story, whom it serves by default).
CYCLE_HORIZON: dict[str, str] = dict(word_lists("grid_cycles")["horizon"])
CYCLE_BENEFICIARY: dict[str, str] = dict(word_lists("grid_cycles")["beneficiary"])
#: Cycles whose horizon is set by the cycle alone (no time cue moves them).
_FIXED_HORIZON = {"immediate", *(c for c, h in CYCLE_HORIZON.items() if h == "long")}
_GRID_CODE = re.compile(r"^(members?|organi[sz]ation)[_\- ]+(short|long)(?:[_\- ]*term)?$", re.I)

_COLUMNS = [
    "doc_id", "field", "start", "end", "quote", "code", "beneficiary", "horizon", "evidence",
    "confidence",
]  # fmt: skip
_DTYPES: dict[str, Any] = {
    **dict.fromkeys(["doc_id", "field", "quote", "code", "evidence"], "string"),
    "start": "int64", "end": "int64", "confidence": "float64",
    "beneficiary": pd.CategoricalDtype(list(BENEFICIARIES)),
    "horizon": pd.CategoricalDtype(list(HORIZONS)),
}  # fmt: skip


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
    left = max(text.rfind(c, 0, start) for c in ends) + 1
    right = end
    if not (end > start and text[end - 1] in ends):
        after = re.compile(r"[.!?\n]").search(text, end)
        right = after.end() if after else len(text)
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


def _once(codes: pd.DataFrame) -> pd.DataFrame:
    """Leave out a ``strategic_grid`` code whose span a value-cycle code overlaps: that
    passage is placed by its cycle (or left out with it, when the cycle is denied), not
    counted a second time in the cell the grid's cue words name."""
    if codes.empty:
        return codes
    is_cell = codes["code"].astype(str).map(lambda c: _cell_code(c) is not None).to_numpy()
    if not is_cell.any():
        return codes
    cycles = codes[~is_cell & codes["code"].astype(str).map(cycle_of).isin(CYCLE_HORIZON)]
    spans = codes[["doc_id", "field", "start", "end"]].astype({"doc_id": str, "field": str})
    covered = overlapping(spans, spans.loc[cycles.index], ())["unit"]
    return codes[~(is_cell & np.isin(np.arange(len(codes)), covered))]


def value_grid(
    codes: pd.DataFrame, *, frame: pd.DataFrame | None = None, progress: bool = True
) -> pd.DataFrame:
    """Place each coded segment of value on the strategic-value grid, with its evidence.

    Codes of the value cycles are placed by rules; ``strategic_grid`` codes
    (``members_short`` ... ``organization_long``) and codes of a ``grid`` worksheet frame
    (fields ``members_short`` ... ``organization_long``, the cells the respondent wrote
    in) are placed where they say, a ``strategic_grid`` code only where no value-cycle code
    overlaps it (a passage is counted once). Codes at polarity -1 are left out (a "waste
    of time" is no value), and so are codes of passages that say no value came of it
    ("Hard to say", :mod:`copanalysis.coding.absence`) and codes of other codebooks.

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
        horizon, evidence, confidence`` (the code's; beneficiary and horizon are
        categoricals; evidence reads
        "field 'organization' -> organization; cycle 'realized' -> short").

    Examples
    --------
    >>> stories = pd.DataFrame({"story_id": ["s1"],
    ...     "organization": ["Waiting lists fell for years."],
    ...     "practice": ["I use the template now."]})
    >>> codes = pd.DataFrame({"doc_id": ["s1", "s1"], "field": ["organization", "practice"],
    ...     "start": [0, 2], "end": [13, 5], "code": ["realized", "applied"], "coder": "me"})
    >>> placed = value_grid(codes, frame=stories)
    >>> placed[["code", "beneficiary", "horizon"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'code': 'realized', 'beneficiary': 'organization', 'horizon': 'long'},
     {'code': 'applied', 'beneficiary': 'members', 'horizon': 'short'}]
    >>> placed["evidence"].iloc[0]
    "field 'organization' -> organization; cycle 'realized' -> short; long-term cue 'years' -> long"
    """  # noqa: E501
    codes = validate(codes, "codes")
    once = _once(codes)  # before denied cycles are dropped: they hold their passage too
    codes = _specific(once[once["polarity"].ne(-1)])
    texts: dict[tuple[str, str], str] = {}
    if frame is not None and len(frame):
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
        if cell is None and (absent_value(str(quote)) is not None or says_nothing(str(quote))):
            continue  # "Not much this term", "Hard to say": no value to place
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
        sure = pd.to_numeric(record.get("confidence"), errors="coerce")
        rows.append((doc_id, field, start, end, quote, code, who, when, evidence, sure))
    return pd.DataFrame(rows, columns=_COLUMNS).astype(_DTYPES)


def worksheet_placements(grid: pd.DataFrame, codes: pd.DataFrame) -> pd.DataFrame:
    """Place the answers of strategic-value grid worksheets in the cells their respondents
    wrote them in, with the value cycles coded in each answer.

    The worksheet already says who benefits and when: each answer's ``value_cycles`` codes
    are placed in its cell (:func:`value_grid`, evidence "grid worksheet cell ..."). An
    answer that no cycle codes (the coder was unsure, or the answer names no cycle) keeps
    its cell's own ``strategic_grid`` code, so that nothing a respondent wrote is dropped.
    An answer coded only as absent or negative value (polarity -1), or uncoded and saying
    flatly that no value came of it ("Not much this term", see
    :mod:`copanalysis.coding.absence`), is left out, as :func:`value_grid` leaves such
    codes out.

    Parameters
    ----------
    grid : DataFrame
        A ``grid`` frame (one row per respondent and cell).
    codes : DataFrame
        A ``codes`` frame; only the ``value_cycles`` codes of the worksheet's answers are
        read.

    Returns
    -------
    DataFrame
        As :func:`value_grid`: ``doc_id`` (the respondent), ``field`` (``members_short``
        ...), ``start, end, quote, code, beneficiary, horizon, evidence, confidence``.

    Examples
    --------
    >>> grid = pd.DataFrame({"respondent": ["r1", "r1"], "beneficiary": "members",
    ...     "horizon": ["short", "long"], "text": ["Quick advice.", "A network later."]})
    >>> codes = pd.DataFrame({"doc_id": ["r1"], "field": ["members_short"], "start": [0],
    ...     "end": [13], "codebook": "value_cycles", "code": ["potential"], "coder": "me"})
    >>> worksheet_placements(grid, codes)[["doc_id", "code", "horizon"]].values.tolist()
    [['r1', 'potential', 'short'], ['r1', 'members_long', 'long']]
    """
    units = text_units(validate(grid, "grid"), name="grid")
    codes = validate(codes, "codes")
    cells = units[["doc_id", "field"]].astype(str)
    keys = pd.MultiIndex.from_frame(cells)
    on_answers = codes[
        codes["codebook"].astype(str).eq("value_cycles")
        & pd.MultiIndex.from_frame(codes[["doc_id", "field"]].astype(str)).isin(keys)
    ]
    placed = value_grid(on_answers, frame=grid, progress=False)
    coded = pd.MultiIndex.from_frame(on_answers[["doc_id", "field"]].astype(str))
    bare = units[~keys.isin(coded)]
    # a boolean array, not a list: an empty list would select no columns
    said = bare["text"].astype(str)
    bare = bare[
        np.array([absent_value(t) is None and not says_nothing(t) for t in said], dtype=bool)
    ]
    rows = []
    for doc_id, field, text in zip(bare["doc_id"], bare["field"], bare["text"], strict=True):
        who, when = _cell_code(str(field))  # type: ignore[misc]
        evidence = f"grid worksheet cell {field!r} -> {who}, {when}; no value cycle coded"
        rows.append((doc_id, field, 0, len(text), text, field, who, when, evidence, np.nan))
    if not rows:
        return placed
    own = pd.DataFrame(rows, columns=_COLUMNS).astype(_DTYPES)
    merged = pd.concat([placed, own], ignore_index=True)
    order = {key: i for i, key in enumerate(zip(cells["doc_id"], cells["field"], strict=True))}
    rank = [order[key] for key in zip(merged["doc_id"], merged["field"], strict=True)]
    return merged.iloc[sorted(range(len(merged)), key=rank.__getitem__)].reset_index(drop=True)
