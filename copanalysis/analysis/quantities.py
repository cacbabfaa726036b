"""Quantitative value claims: the numbers members give when asked what changed.

"Waiting times fell from 6 weeks to 3", "we saved €4,000", "40 hours a month", "errors
halved": the framework counts such numbers as strong evidence of realized value (Wenger,
Trayner & de Laat 2011, the ``organization`` prompt asks for them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pandas as pd

from copanalysis.errors import MissingColumnError

__all__ = ["quantities"]

_SMALL = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
#: Number words and their values.
NUMBER_WORDS: dict[str, float] = {
    **{w: float(i) for i, w in enumerate(_SMALL)},
    **{w: float(20 + 10 * i) for i, w in enumerate(_TENS)},
    "a dozen": 12.0,
    "dozen": 12.0,
    "a hundred": 100.0,
    "hundred": 100.0,
    "a thousand": 1000.0,
    "thousand": 1000.0,
}
_SCALES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "bn": 1e9,
           "billion": 1e9}  # fmt: skip
#: Unit words and how they are reported.
UNITS: dict[str, str] = {
    **dict.fromkeys(["%", "percent", "per cent", "pct"], "%"),
    **dict.fromkeys(["€", "eur", "euro", "euros"], "EUR"),
    **dict.fromkeys(["$", "usd", "dollar", "dollars"], "USD"),
    **dict.fromkeys(["£", "gbp", "pound", "pounds"], "GBP"),
    **dict.fromkeys(["hour", "hours", "hrs", "hr", "h"], "hours"),
    **dict.fromkeys(["minute", "minutes", "mins", "min"], "minutes"),
    **dict.fromkeys(["day", "days"], "days"),
    **dict.fromkeys(["week", "weeks", "wks"], "weeks"),
    **dict.fromkeys(["month", "months"], "months"),
    **dict.fromkeys(["year", "years", "yrs"], "years"),
    **dict.fromkeys(["people", "persons", "person"], "people"),
}
_PERIODS = {"hour": "hour", "day": "day", "week": "week", "month": "month", "year": "year",
            "session": "session", "meeting": "meeting"}  # fmt: skip
#: Verb stems that say a quantity went down, or up.
DOWN_CUES: tuple[str, ...] = (
    "reduc", "cut", "decreas", "fell", "fall", "drop", "lower", "fewer", "less", "shorter",
    "shorten", "sav", "halv", "declin", "shrank", "shrunk", "down", "slash", "trimm", "freed",
)  # fmt: skip
UP_CUES: tuple[str, ...] = (
    "increas", "rose", "rise", "risen", "grew", "grow", "more", "higher", "up", "doubl",
    "tripl", "quadrupl", "gain", "boost", "rais", "extra", "additional", "improv", "expand",
    "added", "won", "attract", "reach",
)  # fmt: skip
_VERBS = re.compile(
    r"\b(reduc\w*|cut(?:s|ting)?|decreas\w*|fell|fall(?:s|en)?|dropp?\w*|lower\w*|"
    r"shorten\w*|sav(?:e|ed|es|ing)|halv\w*|declin\w*|shr[au]nk|slash\w*|trimm?\w*|freed|"
    r"increas\w*|rose|ris(?:e|es|en)|grew|grow\w*|doubl\w*|tripl\w*|quadrupl\w*|gain\w*|"
    r"boost\w*|rais\w*|improv\w*|expand\w*|went (?:up|down)|go(?:es)? (?:up|down)|"
    r"trained|reached|served|attracted|added|won|spen[dt]\w*|took|takes?|need(?:s|ed)?)\b",
    re.IGNORECASE,
)
_DETERMINERS = {"the", "a", "an", "our", "their", "its", "my", "his", "her", "your", "this",
                "that", "these", "those", "we", "i", "they", "it", "us", "them", "you", "he",
                "she", "by", "from", "to", "of", "in", "on", "at", "with", "for", "about",
                "around", "nearly", "almost", "over", "some", "and", "also", "now", "has",
                "have", "had", "was", "were", "is", "are", "been", "be", "per", "which",
                "roughly", "approximately", "than", "just", "only", "still", "even",
                "already", "being", "not"}  # fmt: skip
_NOT_UNITS = {"times", "as", "us", "this", "its", "his", "is", "was", "has", "does", "less",
              "across", "plus", "yes", "thus", "always", "perhaps", "sometimes", "minus",
              "towards", "whereas", "besides", "unless", "various", "previous",
              "serious"}  # fmt: skip

_WORD = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUM = (
    rf"(?:(?:{_DIGITS})(?:\s?(?:k|m|mn|bn)\b|\s(?:thousand|million|billion)\b)?"
    rf"|\b(?:{_WORD})(?:[-\s](?:{'|'.join(_SMALL[1:10])}))?\b)"
)
_UNIT_WORD = r"[A-Za-z%€$£][A-Za-z]*"
_RATE = r"(?:\s+(?:a|per|each|every|an)\s+(?P<per>hour|day|week|month|year|session|meeting))?"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "range",
        re.compile(
            rf"\bfrom\s+(?:about\s+|around\s+)?(?P<c1>[€$£])?(?P<n1>{_NUM})\s*"
            rf"(?P<u1>%|percent\b|{_UNIT_WORD})?\s+(?:down\s+|up\s+)?to\s+"
            rf"(?:about\s+|around\s+|just\s+|only\s+)?(?P<c2>[€$£])?(?P<n2>{_NUM})"
            rf"(?:\s*(?P<u2>%|percent\b|per cent\b|{_UNIT_WORD}))?{_RATE}",
            re.IGNORECASE,
        ),
    ),
    (
        "money",
        re.compile(
            rf"(?P<c1>[€$£]|\b(?:EUR|USD|GBP)\s?)(?P<n1>{_NUM})(?:\b|(?<=[kKmM]))"
            rf"|\b(?P<n2>{_NUM})\s?(?P<c2>euros?|EUR|dollars?|USD|pounds?|GBP)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "percent",
        re.compile(rf"\b(?P<n1>{_NUM})\s?(?P<u1>%|percent\b|per cent\b|pct\b)", re.IGNORECASE),
    ),
    (
        "fraction",
        re.compile(
            r"\b(?:by\s+)?(?:a|one)[-\s](?P<f>third|quarter|fifth)\b|\bby\s+(?P<half>half)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "factor",
        re.compile(
            rf"\b(?P<verb>halved|doubled|tripled|trebled|quadrupled)\b"
            rf"|\b(?P<twice>twice)\s+as\b"
            rf"|\b(?P<n1>{_NUM})\s*(?:times|x)\s+(?:more|as|faster|higher|larger|bigger|fewer)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "count",
        re.compile(
            rf"\b(?P<n1>{_NUM})\s+(?:(?:new|more|fewer|extra|additional|less|full|working|"
            rf"active|other|different|regular)\s+)?(?P<u1>[A-Za-z][A-Za-z-]+){_RATE}",
            re.IGNORECASE,
        ),
    ),
)
_FRACTIONS = {"third": 100 / 3, "quarter": 25.0, "fifth": 20.0, "half": 50.0}
_FACTORS = {"halved": (0.5, -1), "doubled": (2.0, 1), "tripled": (3.0, 1), "trebled": (3.0, 1),
            "quadrupled": (4.0, 1)}  # fmt: skip
_SENTENCE = re.compile(r"[^\n]+?(?:[.!?]+(?=\s|$)|$)", re.MULTILINE)


@dataclass(frozen=True)
class _Claim:
    start: int
    end: int
    number: float
    unit: str
    direction: int
    baseline: float


def _value(text: str) -> float:
    """The value of a number written with digits, separators, scales or words."""
    words = text.lower().replace("-", " ").split()
    if not words:
        return float("nan")
    joined = " ".join(words)
    if joined in NUMBER_WORDS:
        return NUMBER_WORDS[joined]
    if words[0] in NUMBER_WORDS:  # "twenty five"
        return sum(NUMBER_WORDS.get(w, 0.0) for w in words)
    match = re.fullmatch(r"([\d,]+(?:\.\d+)?)\s?([a-z]*)", joined)
    if match is None:
        return float("nan")
    return float(match.group(1).replace(",", "")) * _SCALES.get(match.group(2), 1.0)


def _unit(word: str | None, per: str | None = None) -> str:
    if not word:
        return ""
    key = word.lower()
    unit = UNITS.get(key)
    if unit is None:
        is_plural_noun = (
            len(key) > 3 and key.endswith("s") and not key.endswith(("ss", "us", "is"))
        )
        if not is_plural_noun or key in _NOT_UNITS:
            return ""
        unit = key
    return f"{unit}/{_PERIODS[per.lower()]}" if per else unit


def _direction_near(sentence: str, start: int, end: int) -> int:
    """The sign of the change cue nearest to the span [start, end) of ``sentence``."""
    best: tuple[int, int] | None = None
    for match in re.finditer(r"[A-Za-z]+", sentence):
        word = match.group(0).lower()
        sign = 0
        if word.startswith(DOWN_CUES) and word not in {"cutting-edge", "downside"}:
            sign = -1
        elif word.startswith(UP_CUES) and word not in {"upon", "update", "updated"}:
            sign = 1
        if word in {"up", "down"}:
            sign = 1 if word == "up" else -1
        elif word in {"less", "more"}:
            sign = -1 if word == "less" else 1
        elif not (word.startswith(DOWN_CUES) or word.startswith(UP_CUES)):
            continue
        if word.startswith(("fall", "fell")) and word.startswith("fellow"):
            continue
        distance = start - match.end() if match.end() <= start else max(0, match.start() - end)
        if best is None or distance < best[0]:
            best = (distance, sign)
    return 0 if best is None else best[1]


def _claims(sentence: str) -> Iterator[_Claim]:
    taken: list[tuple[int, int]] = []
    found: list[_Claim] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(sentence):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            claim = _read(kind, match, sentence)
            if claim is None:
                continue
            taken.append((start, end))
            found.append(claim)
    yield from sorted(found, key=lambda c: c.start)


def _read(kind: str, match: re.Match[str], sentence: str) -> _Claim | None:
    start, end = match.span()
    group = match.groupdict()
    nan = float("nan")
    if kind == "range":
        before, after = _value(group["n1"]), _value(group["n2"])
        currency = group["c2"] or group["c1"]
        unit = _unit(currency) if currency else _unit(group["u2"] or group["u1"], group["per"])
        if not unit and group["u2"] and not group["u1"]:
            end = match.start("n2") + len(group["n2"])
        direction = (after > before) - (after < before)
        return _Claim(start, end, after, unit, direction, before)
    if kind == "money":
        number = _value(group["n1"] or group["n2"])
        unit = _unit((group["c1"] or group["c2"]).strip())
        return _Claim(start, end, number, unit, _direction_near(sentence, start, end), nan)
    if kind == "percent":
        number = _value(group["n1"])
        return _Claim(start, end, number, "%", _direction_near(sentence, start, end), nan)
    if kind == "fraction":
        share = _FRACTIONS[(group["f"] or group["half"]).lower()]
        direction = _direction_near(sentence, start, end)
        if direction == 0:
            return None
        return _Claim(start, end, share, "%", direction, nan)
    if kind == "factor":
        if group["verb"]:
            number, direction = _FACTORS[group["verb"].lower()]
            return _Claim(start, end, number, "x", direction, nan)
        if group["twice"]:
            return _Claim(start, end, 2.0, "x", _direction_near(sentence, start, end), nan)
        number = _value(group["n1"])
        return _Claim(start, end, number, "x", _direction_near(sentence, start, end), nan)
    # count: a number with a unit noun ("40 hours a month", "12 new members")
    unit = _unit(group["u1"], group["per"])
    if not unit or re.search(r"\b(?:every|each)\s+$", sentence[:start], re.IGNORECASE):
        return None  # a rhythm ("every two weeks"), not a quantity
    if re.match(r"\s+(?:ago|later|earlier|before|after)\b", sentence[end:], re.IGNORECASE):
        return None  # a date ("two weeks ago")
    number = _value(group["n1"])
    if number == 1 and not group["u1"].lower().endswith("s"):
        return None  # "one day, ..."
    return _Claim(start, end, number, unit, _direction_near(sentence, start, end), nan)


def _what_changed(sentence: str, claim_start: int) -> str:
    """The words naming what changed: the object of the change verb before the number, else
    the subject of the clause, else the verb itself."""
    verbs = [m for m in _VERBS.finditer(sentence) if m.start() <= claim_start]
    verb = verbs[-1] if verbs else None
    if verb is not None and verb.end() <= claim_start:
        region = sentence[verb.end() : claim_start]
        between = re.findall(r"[A-Za-z][A-Za-z'-]*", region)
        while between and between[0].lower() in _DETERMINERS:
            between.pop(0)
        while between and between[-1].lower() in _DETERMINERS:
            between.pop()
        if (
            between
            and not re.search(r"[\d€$£]", region)
            and not any(w.lower() in _DETERMINERS for w in between)
        ):
            return " ".join(between[:5]).lower()
    head = sentence[: verb.start()] if verb is not None else sentence[:claim_start]
    clause = re.split(r"[,;:]|\band\b|\bthat\b|\bwhich\b", head)[-1]
    before = re.findall(r"[A-Za-z][A-Za-z'-]*", clause)
    while before and before[-1].lower() in _DETERMINERS:
        before.pop()
    subject: list[str] = []
    for word in reversed(before):
        if word.lower() in _DETERMINERS:
            break
        subject.insert(0, word)
    if subject:
        return " ".join(subject[-4:]).lower()
    return verb.group(0).lower() if verb is not None else ""


def _sentences(text: str) -> Iterator[tuple[int, int, str]]:
    for match in _SENTENCE.finditer(text):
        raw = match.group(0)
        left = len(raw) - len(raw.lstrip())
        right = len(raw.rstrip())
        if right > left:
            yield match.start() + left, match.start() + right, raw[left:right]


def _texts(
    frame: pd.DataFrame, fields: Sequence[str] | None
) -> Iterator[tuple[str, str, int, str]]:
    """(doc_id, field, offset of the text in its field, text) to read."""
    if {"code", "quote", "start"} <= set(frame.columns) and "doc_id" in frame.columns:
        spans = frame.dropna(subset=["quote"]).drop_duplicates(["doc_id", "field", "start", "end"])
        if fields is not None:
            spans = spans[spans["field"].isin(list(fields))]
        for record in spans.to_dict("records"):
            yield (
                str(record["doc_id"]),
                str(record["field"]),
                int(record["start"]),
                record["quote"],
            )
        return
    from copanalysis.coding.documents import text_units

    units = text_units(frame, name="quantities")
    if fields is not None:
        known = set(map(str, frame.columns)) | set(units["field"].astype(str))
        if not known & set(fields):
            raise MissingColumnError(
                f"quantities: the frame has none of the fields {', '.join(map(repr, fields))}; "
                f"has {', '.join(map(str, frame.columns))}"
            )
        units = units[units["field"].isin(list(fields))]
    for doc_id, field, text in zip(units["doc_id"], units["field"], units["text"], strict=True):
        yield str(doc_id), str(field), 0, str(text)


def quantities(
    codes_or_stories: pd.DataFrame, *, fields: Sequence[str] | None = ("organization",)
) -> pd.DataFrame:
    """Find the quantitative value claims: numbers with units, percentages, changes from one
    value to another, money, multipliers ("halved", "doubled") and fractions ("cut by a
    third").

    Parameters
    ----------
    codes_or_stories : DataFrame
        A ``stories`` frame (or an ``items``, ``roles``, ``grid`` or hand-built frame, read
        as the coders read it), whose ``fields`` are read; or a ``codes`` frame, whose
        quotes are read.
    fields : sequence of str or None
        The fields to read (default the ``organization`` answers, where the worksheet asks
        for numbers); None reads every field.

    Returns
    -------
    DataFrame
        One row per claim: ``doc_id``, ``field``, ``start``, ``end`` and ``quote`` (the
        sentence that makes the claim, offsets into the field's text), ``number`` (the
        value claimed; for "from 6 weeks to 3" the new value, 3), ``unit`` ("%", "EUR",
        "USD", "GBP", "hours", "days", "weeks", "months", "years", "minutes", "people",
        another plural noun such as "members", "x" for a factor, "hours/month" for a rate,
        or ""), ``change`` (the words naming what changed, "" when none), ``direction``
        (+1 up, -1 down, 0 unknown); then ``expression`` (the words of the number) and
        ``baseline`` (the "from" value, NaN when none).

    Examples
    --------
    >>> stories = pd.DataFrame({"story_id": ["s1"], "organization": [
    ...     "We reduced the waiting time from 6 weeks to 3. Costs fell by 20%."]})
    >>> quantities(stories)[["number", "unit", "change", "direction", "expression"]]
       number   unit        change  direction         expression
    0     3.0  weeks  waiting time         -1  from 6 weeks to 3
    1    20.0      %         costs         -1                20%
    """
    rows = []
    for doc_id, field, offset, text in _texts(codes_or_stories, fields):
        for s_start, s_end, sentence in _sentences(text):
            for claim in _claims(sentence):
                rows.append(
                    (
                        doc_id,
                        field,
                        offset + s_start,
                        offset + s_end,
                        sentence,
                        float(claim.number),
                        claim.unit,
                        _what_changed(sentence, claim.start),
                        claim.direction,
                        sentence[claim.start : claim.end],
                        claim.baseline,
                    )
                )
    columns = [
        "doc_id", "field", "start", "end", "quote", "number", "unit", "change", "direction",
        "expression", "baseline",
    ]  # fmt: skip
    table = pd.DataFrame(rows, columns=columns)
    for column in ("doc_id", "field", "quote", "unit", "change", "expression"):
        table[column] = table[column].astype("string")
    for column in ("start", "end", "direction"):
        table[column] = table[column].astype("int64")
    for column in ("number", "baseline"):
        table[column] = table[column].astype("float64")
    return table
