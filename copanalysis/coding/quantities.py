"""Quantitative value claims: the numbers members give when asked what changed.

"Waiting times fell from 6 weeks to 3", "we saved €4,000", "sold for MK 450,000", "40 hours
a month", "errors halved": the framework counts such numbers as strong evidence of realized
value (Wenger, Trayner & de Laat 2011, the ``organization`` prompt asks for them). A coder
over texts: its word lists are package data, ``coding/data/quantities.yaml``.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

import pandas as pd

from copanalysis.coding.wordlists import word_lists
from copanalysis.errors import MissingColumnError
from copanalysis.frames import text_units

__all__ = ["quantities"]

_WORDS = word_lists("quantities")
_SMALL = list(_WORDS["small_numbers"])
_TENS = list(_WORDS["tens"])
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
_SCALES = {"k": 1e3, "hundred": 1e2, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6,
           "bn": 1e9, "billion": 1e9}  # fmt: skip
#: Unit words and how they are reported.
UNITS: dict[str, str] = (
    {
        word: "%" if key == "unit_percent" else key.removeprefix("unit_")
        for key, words in _WORDS.items()
        if key.startswith("unit_")
        for word in words
    }
    | _WORDS["measures"]
    | {"m": "m"}
)
#: A bare "m" after a number is a million ("EUR 2 m", "3m people"), but metres before "of"
#: and what is measured ("300 m of pipe"), unless that is money ("3 m of funding") or a
#: currency comes before the number ("£3 m of works").
_OF_MEASURED = (
    r"\s+of\s+(?!(?:(?:the|our|their|its|this|that|new|extra|additional)\s+)?"
    rf"(?:{'|'.join(_WORDS['money_nouns'])})\b)[A-Za-z]"
)
_METRES = rf"m(?={_OF_MEASURED})"
#: A unit of measure as written, in any case, not the start of a longer word ("180 m3",
#: "20l/s", "2 ha" but not "2 hard").
_MEASURE = (
    "(?:"
    + "|".join(
        re.escape(w).replace(r"\ ", r"\s+")
        for w in sorted(_WORDS["measures"], key=len, reverse=True)
    )
    + f"|{_METRES})"
    + r"(?![\w/²³])"
)
#: What a rate is per, and the words that say "per": "3 a week", "€40 per session".
_PERIODS = r"(?:hour|day|week|month|year|session|meeting)"
_PER = rf"(?:a|per|each|every|an)\s+(?P<per>{_PERIODS})"
#: Verb stems that say a quantity went down, or up.
DOWN_CUES: tuple[str, ...] = _WORDS["down"]
UP_CUES: tuple[str, ...] = _WORDS["up"]
_VERBS = re.compile(
    r"\b(reduc\w*|cut(?:s|ting)?|decreas\w*|fell|fall(?:s|en)?|dropp?\w*|lower\w*|"
    r"shorten\w*|sav(?:e|ed|es|ing)|avoid(?:s|ed|ing)?|halv\w*|declin\w*|shr[au]nk|slash\w*|"
    r"trimm?\w*|freed|"
    r"increas\w*|rose|ris(?:e|es|en)|grew|grow\w*|doubl\w*|tripl\w*|quadrupl\w*|gain\w*|"
    r"boost\w*|rais\w*|improv\w*|expand\w*|went (?:up|down)|go(?:es)? (?:up|down)|"
    r"trained|reached|served|attracted|added|won|spen[dt]\w*|took|takes?|need(?:s|ed)?)\b",
    re.IGNORECASE,
)
_ARTICLES = set(_WORDS["articles"])
_PRONOUNS = set(_WORDS["pronouns"])
_FILLER = set(_WORDS["filler"])
_DETERMINERS = _ARTICLES | _PRONOUNS | _FILLER
_NOT_UNITS = set(_WORDS["not_units"])
_ATTENDANCE = frozenset(_WORDS["attendance"])
_PLURALS = frozenset(_WORDS["plurals"])

_WORD = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
#: "1-in-30 years": a return period, read as its 30.
_ONE_IN = r"(?:\b(?:1|one)-in-)?"
_RETURN_PERIOD = re.compile(r"(?:1|one)-in-\d", re.IGNORECASE)


def _number(million: str) -> str:
    """The pattern of a number, its bare "m" scale read by ``million`` (:data:`_METRES`)."""
    return (
        rf"(?:{_ONE_IN}(?:{_DIGITS})(?:\s?(?:k|{million}|mn|bn)\b|\s(?:thousand|million|"
        rf"billion)\b)?|\b(?:{_WORD})(?:[-\s](?:{'|'.join(_SMALL[1:10])}))?"
        rf"(?:\s(?:hundred|thousand|million)\b)?\b)"
    )


#: A number: "300 m of pipe" is 300 (metres); "EUR 2 m", "3m people" are millions.
_NUM = _number(rf"m(?!{_OF_MEASURED})")
#: A number after a currency: its "m" is a million ("£3 m of works").
_MONEY_NUM = _number("m")
#: "8 of 25 farmers", "15 of our 16 girls": the number's total, kept in the quote but not
#: the claim's number; an article or a possessive (quantities.yaml's ``articles``) may come
#: before it (trial 39: "We kept 15 of our 16 girls" was 16 girls, the whole).
_OF_TOTAL = rf"(?:\s+(?:out\s+)?of\s+(?:(?:{'|'.join(sorted(_ARTICLES))})\s+)?(?:{_NUM}))?"
_UNIT_WORD = rf"(?:{_MEASURE}|[A-Za-z%€$£][A-Za-z]*)"
_RATE = rf"(?:\s+{_PER})?"
#: The unit after a range's second number, unless the words are its rate ("to €250 a month":
#: "a" is no unit).
_U2 = (
    rf"(?:\s*(?!(?:a|per|each|every|an)\s+{_PERIODS}\b)"
    rf"(?P<u2>%|percent\b|per cent\b|{_UNIT_WORD}))?{_RATE}"
)
_PREPOSITIONS = set(_WORDS["prepositions"])
#: Local currency signs and ISO 4217 codes, and the unit each is reported as ("MK" ->
#: "MWK", "KES" -> "KES"): read as written, case-sensitive.
CURRENCIES: dict[str, str] = {
    **{code: code for code in _WORDS["currency_codes"]},
    **_WORDS["currency_signs"],
}
_SIGN = "|".join(re.escape(s) for s in sorted(CURRENCIES, key=len, reverse=True))
#: A sign or code before the amount ("MK 18,000", "KSh500", "₦50,000"), not inside a word.
_LOCAL_BEFORE = rf"(?-i:(?<![\w₵¢])(?:{_SIGN})(?<=\S))\s?(?=\d)"
#: A code after the amount ("4,000 MWK more"), not a word naming what was counted ("3 CAD
#: sessions"): punctuation, the end, or a word of rate, change or comparison follows.
_CODE_AFTER = (
    rf"(?-i:{'|'.join(sorted(_WORDS['currency_codes'], key=len, reverse=True))})\b"
    r"(?=\s*(?:$|[^\w\s]|(?:a|an|per|each|every|more|less|extra|in|from|to|for|of|and|or|"
    r"than|this|last|which|that|on|at|a\s+year|a\s+month)\b))"
)
#: A currency before an amount: a sign of the three the patterns always read, or a local one.
_CUR = rf"(?:[€$£]|{_LOCAL_BEFORE})"
_CUE_NAMES = re.compile(
    "|".join(rf"{re.escape(n)}\b".replace(r"\ ", r"\s+") for n in _WORDS["cue_names"]),
    re.IGNORECASE,
)
#: Between a range's first number and its "to": its rate ("from about 20 a week to 5") or
#: its period ("from 9 in the last quarter of 2024 to 4").
_FIRST_RATE = rf"(?:\s+(?:a|per|each|every|an)\s+{_PERIODS})?"
#: The months, in order.
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")  # fmt: skip
#: The months a named time may be a few words after "in": all but May, also the verb "may"
#: (the patterns ignore case: "in the meeting we may ...").
_NAMED_MONTHS = "|".join(m for m in _MONTH_NAMES if m != "May")
#: Every month, May too, where it follows a preposition at once ("in May", "by May 2026"):
#: the verb "may" never does.
_MONTHS_AFTER = "|".join(_MONTH_NAMES)
#: A date of the calendar: "May 12", "12 May", "12th of May 2026", "May 12, 2026",
#: "mid-May", "early June 2026", "late June". The month is capitalised ("may" is a verb);
#: its day is no quantity (trial 36: "On May 12 teachers presented" was 12 teachers).
_DATE = (
    rf"(?:(?:early|mid|late)(?:-|\s+)(?-i:{_MONTHS_AFTER})\b"
    # "in May" takes a month, not a day: "In March 12 nurses joined" counts 12 nurses
    rf"|(?<!\bin\s)(?<!\bduring\s)(?-i:{_MONTHS_AFTER})\s+(?:[12]\d|3[01]|0?[1-9])"
    r"(?:st|nd|rd|th)?\b"
    rf"|(?<![\d.,])(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\s+(?:of\s+)?(?-i:{_MONTHS_AFTER})\b)"
    r"(?:,?\s+(?:19|20)\d\d\b)?"
)
_DATES = re.compile(_DATE, re.IGNORECASE)
_FIRST_PERIOD = (
    rf"(?:\s+(?:in|during|over|on|by)\s+{_DATE}"
    rf"|\s+(?:in|during|over)\s+(?:(?:{_MONTHS_AFTER})\b(?:\s+(?:19|20)\d\d\b)?|"
    r"(?:[A-Za-z]+\s+){0,4}?(?:(?:19|20)\d\d|Q[1-4]|"
    rf"{_NAMED_MONTHS}|before|beforehand|earlier)\b))?"
)

_PERIOD_WORD = r"(?:year|quarter|month|week|term|season|audit|winter|spring|summer|autumn)"
#: A named time: "in March", "during 2023", "in Q1", "in the first term".
_WHEN = (
    rf"(?:(?:in|during|by|on)\s+{_DATE}"
    rf"|(?:in|during|by)\s+(?:(?:{_MONTHS_AFTER})(?:\s+(?:19|20)\d\d)?\b|(?:19|20)\d\d|Q[1-4]|"
    r"the\s+first\s+(?:week|month|quarter|term|year)))"
)
#: Durations and their length in days, to compare "a day" with "a week".
_DAYS = {"minute": 1 / 1440, "hour": 1 / 24, "day": 1.0, "week": 7.0, "month": 30.4375,
         "year": 365.25}  # fmt: skip
_DURATION_WORD = "|".join(_DAYS)

#: Words that hedge a number ("to under 100", "from ~20 a month to maybe 5").
_HEDGE = (
    r"(?:(?:about|around|roughly|approximately|nearly|almost|maybe|perhaps|probably|just|"
    r"only|under|over|below|above|barely|(?:less|more|fewer)\s+than)\s+|~\s*)*"
)

#: "7 out of 18", "8 in 10", "12 of 30": a part of a whole.
_SHARE_OF = r"\s+(?:out\s+of|of|in)\s+"
#: The same, naming its word, to tell "3 in 10" (a share) from "12 of 30" (a count).
_OF_2 = r"\s+(?P<of2>out\s+of|of|in)\s+"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (  # "7 out of 18 got full marks compared to 2 out of 20", "now 8 in 10 nurses use it, up
        # from 3 in 10": shares of two wholes, compared as percentages
        "shares",
        re.compile(
            rf"(?<![\w.])(?P<n2>{_NUM}){_SHARE_OF}(?P<t2>{_NUM})\b[^.;:!?]{{0,60}}?[\s,]+"
            r"(?:compared\s+(?:with|to)|against|versus|vs\.?|(?P<d>up|down)\s+from|"
            r"instead\s+of)\s+(?:about\s+|around\s+|only\s+|just\s+)?"
            rf"(?P<n1>{_NUM}){_SHARE_OF}(?P<t1>{_NUM})\b",
            re.IGNORECASE,
        ),
    ),
    (  # "from 3 in 10 to 8 in 10", "from 5 of 12 to 9 of 14": shares of wholes that differ
        # (of one whole, "from 12 of 30 to 25 of 30" is a range of counts, below)
        "shares",
        re.compile(
            rf"\bfrom\s+{_HEDGE}(?P<n1>{_NUM}){_SHARE_OF}(?P<t1>{_NUM})\b"
            rf"(?:\s+[A-Za-z-]+){{0,2}}?\s+(?:up\s+|down\s+)?to\s+{_HEDGE}"
            rf"(?P<n2>{_NUM}){_OF_2}(?P<t2>{_NUM})\b",
            re.IGNORECASE,
        ),
    ),
    (
        "range",
        re.compile(
            rf"\bfrom\s+(?:(?:a|an|the)\s+(?:median|mean|average|total|peak)\s+of\s+)?"
            rf"{_HEDGE}(?P<c1>{_CUR})?(?P<n1>{_NUM})(?:\s*[-–]\s*(?P<n1b>{_NUM}))?"
            rf"{_OF_TOTAL}(?:\s*+(?P<u1>%|percent\b|{_UNIT_WORD}))?{_FIRST_RATE}{_FIRST_PERIOD}"
            r"\s+(?:down\s+|up\s+)?to\s+"
            rf"{_HEDGE}(?P<c2>{_CUR})?(?P<n2>{_NUM})(?:\s*[-–]\s*(?P<n2b>{_NUM}))?{_OF_TOTAL}"
            + _U2,
            re.IGNORECASE,
        ),
    ),
    (  # "cut a 6 week backlog to 2 weeks", "brought the 3-hour meeting down to 45 minutes":
        # a length that sizes a thing, changed to another (was two decreases, 6 and 2)
        "sized_range",
        re.compile(
            r"\b(?:cut|reduc\w*|brought|got|shr[au]nk|trimm?\w*|turned)\s+"
            r"(?:a|an|the|our|their|my|its|his|her)\s+(?P<c1>)"
            rf"(?P<n1>{_NUM})[-\s](?P<u1>{_DURATION_WORD})s?(?:\s+[A-Za-z-]+){{1,2}}?"
            rf"\s+(?:down\s+)?(?:to|into)\s+{_HEDGE}(?P<c2>)(?P<n2>{_NUM})" + _U2,
            re.IGNORECASE,
        ),
    ),
    (  # "waiting time 12 -> 8 days", "31 → 19"
        "range",
        re.compile(
            rf"(?<![\w.])(?P<c1>{_CUR})?(?P<n1>{_NUM})(?:\s*+(?P<u1>%|percent\b|{_UNIT_WORD}))?\s*"
            rf"(?:->|→|=>|⟶)\s*(?P<c2>{_CUR})?(?P<n2>{_NUM})" + _U2,
            re.IGNORECASE,
        ),
    ),
    (  # "audit: 40% to 12%", "falls went down 6 to 2": a change when it falls, or when a
        # change verb comes just before ("5 to 10 people" is a rough count, not a change)
        "range_to",
        re.compile(
            rf"(?<![\w.])(?P<c1>{_CUR})?(?P<n1>{_NUM})(?:\s*+(?P<u1>%|percent\b|{_UNIT_WORD}))?\s+to\s+"
            rf"(?P<c2>{_CUR})?(?P<n2>{_NUM})" + _U2,
            re.IGNORECASE,
        ),
    ),
    (  # "attendance rose to 40 from 25", "grew to 150 from 90 members": the value reached,
        # then the value it came from, after a change verb (trial 42: no claim; "to 3 days
        # from 10 days", a count, takes its "from" as its baseline in _claims)
        "to_from",
        re.compile(
            rf"\bto\s+{_HEDGE}(?P<n2>{_NUM})(?:\s+from\s+{_HEDGE}(?P<n1>{_NUM})(?!\s?%)"
            rf"(?:\s+(?P<u>{_UNIT_WORD}))?{_RATE}"
            # "rose to 40, up from 25": its "up from" is its baseline (_claims)
            rf"|(?=,?\s+(?:up|down)\s+from\s+(?:about\s+|around\s+)?{_CUR}?{_NUM}))",
            re.IGNORECASE,
        ),
    ),
    (  # "17 now have mulched plots, last season it was 4", "31 schools now, in 2024 they
        # were 12" (trial 35: read as the "25 farmers" of the share before it): a count now,
        # then the count of an earlier time told as what it was
        "compared_was",
        re.compile(
            rf"(?<![\w.])(?P<n2>{_NUM})(?:\s+[A-Za-z][A-Za-z-]*){{0,2}}?\s+now\b[^.;:]{{0,60}}?"
            rf"[\s,]+(?P<when>(?:last|the\s+previous)\s+{_PERIOD_WORD}|the\s+{_PERIOD_WORD}\s+"
            rf"before|before|at\s+the\s+start|(?P<w1>{_WHEN})),?\s+(?:it|that|they|there|"
            r"the\s+(?:number|count|figure))\s+(?:was|were|had\s+been)\s+"
            rf"(?:only\s+|just\s+|about\s+|around\s+)?(?P<n1>{_NUM})\b(?!\s?%)",
            re.IGNORECASE,
        ),
    ),
    (  # "2 this quarter compared with 9 last quarter", "24 now ..., against 13 at the start",
        # "1 this year, 5 the year before", "7 complaints last year against 11 the year
        # before", "zero stockout days in March compared to 35 days in January": a count of
        # one time beside the count of another time; "no complaints from the 40 properties
        # this winter, against 12 the year before": none, a count of 0 of what it names,
        # where a few words may say whose
        "compared",
        re.compile(
            rf"(?:(?<![\w.])(?P<n2>{_NUM})|\b(?P<none>no)\s+)"
            rf"(?(none)(?!(?:{'|'.join(sorted(_NOT_UNITS))})\b)"
            rf"(?P<u_none>[A-Za-z][A-Za-z-]*s)\b(?:\s+[\w'’-]+){{0,5}}?"
            rf"|(?:\s+(?P<u0>[A-Za-z][A-Za-z-]+))??(?:\s+(?P<u1>[A-Za-z][A-Za-z-]+))??)"
            rf"\s+(?:(?:this|last)\s+{_PERIOD_WORD}|now|(?P<w2>{_WHEN}))\b[^.;:]{{0,40}}?"
            rf"(?:[\s,]+(?:compared\s+(?:with|to)|against|versus|vs\.?)\s+|,\s+)"
            rf"(?P<n1>{_NUM})(?:\s+[A-Za-z][A-Za-z-]+){{0,2}}?"
            rf"\s+(?:last\s+{_PERIOD_WORD}|the\s+{_PERIOD_WORD}\s+before"
            rf"|the\s+previous\s+\w+|at\s+the\s+start|before|(?P<w1>{_WHEN}))\b",
            re.IGNORECASE,
        ),
    ),
    (
        "money",
        re.compile(
            rf"(?P<c1>{_LOCAL_BEFORE}|[€$£]|\b(?:EUR|USD|GBP)\s?)(?P<n1>{_MONEY_NUM})"
            r"(?:\b|(?<=[kKmM]))"
            rf"|\b(?P<n2>{_NUM})\s?(?P<c2>euros?|EUR|dollars?|USD|pounds?|GBP)\b"
            rf"|\b(?P<n3>{_NUM})\s?(?P<c3>{_CODE_AFTER})",
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
            r"\b(?:by\s+)?(?P<k>a|one|two|three|four)[-\s](?P<f>thirds?|quarters?|fifths?)\b"
            r"|\bby\s+(?P<half>half)\b",
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
    (  # "in a day instead of a week", "within 2 days instead of 3 weeks": a duration and the
        # duration it replaced ("a" is one here), in the first one's unit
        "durations",
        re.compile(
            rf"\b(?:in|within|takes?|took|after)\s+(?:(?P<a1>an?)|(?P<n1>{_NUM}))\s+"
            rf"(?P<u1>{_DURATION_WORD})s?\s+(?:instead\s+of|rather\s+than|not|compared\s+"
            rf"(?:with|to))\s+(?:(?P<a2>an?)|(?P<n2>{_NUM}))\s+(?P<u2>{_DURATION_WORD})s?\b(?!\s+ago)",
            re.IGNORECASE,
        ),
    ),
    (  # "0 new category 2 pressure ulcers in April and May, compared with 3 in the same two
        # months last year": a count, and later in its clause the count it is compared with
        "compared_loose",
        re.compile(
            rf"(?<![\w.,])(?P<n2>{_NUM})\s+(?P<what>[A-Za-z][^.;:!?]{{0,80}}?)[\s,]+"
            r"(?:compared\s+(?:with|to)|versus|vs\.?|instead\s+of)\s+"
            rf"(?:about\s+|around\s+|only\s+|just\s+)?(?P<n1>{_NUM})\b(?!\s?%)",
            re.IGNORECASE,
        ),
    ),
    (
        "count",
        re.compile(
            rf"\b(?P<n1>{_NUM})(?:\s*[-–]\s*(?P<n1b>{_NUM}))?{_OF_TOTAL}(?:\s*(?={_MEASURE})|\s+)"
            rf"(?P<w1>{_MEASURE}|[A-Za-z][A-Za-z-]+)"
            rf"(?:\s+(?P<w2>[A-Za-z][A-Za-z-]+))?",
            re.IGNORECASE,
        ),
    ),
)
_RATE_AFTER = re.compile(rf"\s+{_PER}\b", re.IGNORECASE)
#: "3 hours of prep a week": the rate after what the unit counts.
_OF_RATE = re.compile(rf"\s+of\s+(?:[A-Za-z-]+\s+){{0,2}}?{_PER}\b", re.IGNORECASE)
#: "... instead of 45", "..., up from 41%": the value a claim compares with.
_BASELINE = re.compile(
    r"(?:\s+(?:this|last|the\s+previous|the\s+first|a)\s+(?:year|term|quarter|month|week|"
    r"time|round|audit))?"  # "100% this year vs 70% last year"
    r"[\s,]*(?:instead\s+of|compared\s+(?:with|to)|versus|vs\.?|(?:up|down)\s+from|"
    r"(?P<not>not)(?!\s+(?:one|a|an)\b))\s+"  # "2 snags not 15 like last time" (trial 42)
    rf"(?:about\s+|around\s+|an?\s+(?=(?:1|one)-in-))?{_CUR}?(?P<n>{_NUM})(?:\s?%)?"
    r"(?(not)(?!\s+(?:of|out|in)\b))",  # "12 staff, not 2 of them": no baseline
    re.IGNORECASE,
)
#: A change verb just before "6 to 2" ("falls went down 6 to 2", "cut the backlog 40 to 12",
#: "went up, 48% to 61%").
_CHANGE_BEFORE = re.compile(
    r"\b(?:reduc\w*|cut|decreas\w*|fell|fall(?:s|en)?|dropp?\w*|went\s+(?:up|down)|"
    r"(?:go(?:es)?|gone)\s+(?:up|down)|increas\w*|rose|ris(?:e|es|en)|grew|improv\w*|"
    r"declin\w*|lower\w*|rais\w*|shr[au]nk|doubl\w*|tripl\w*|halv\w*)"
    r"(?:\s+[A-Za-z]+){0,2}(?:\s+|\s*[(:,]\s*)$",
    re.IGNORECASE,
)
_UP_DOWN_FROM = re.compile(rf"\b(?P<d>up|down)\s+from\s+{_CUR}?(?P<n>{_NUM})(?:\s?%)?", re.I)
#: Time units after "in", "for", "over"... give a duration, not a value ("in six months").
_DURATION = re.compile(
    r"\b(?:in|for|over|within|during|after|than|of)\s+"
    r"(?:(?:the|those|these)\s+)?(?:(?:same|first|last|next|past|following)\s+)?$",
    re.IGNORECASE,
)
_LABEL = re.compile(
    r"\b(?:year|grade|level|moment|phase|step|stage|version|room|ward|page|chapter|number|"
    r"category|band|type|tier|cohort|wave|round|"
    r"no\.?|class|group|team|module|unit|route|line)\s+(?:\d+\s*(?:and|or|to|&|,|-)\s*)?$",
    re.IGNORECASE,
)
#: The units of time a claim is measured in (plural, as claims carry them).
TIME_UNITS = {"minutes", "hours", "days", "weeks", "months", "years"}
#: Whole numbers in this span, both ends of a range without a unit, are years.
_YEARS = (1900, 2100)
_MONEY_UNITS = {"EUR", "USD", "GBP", *CURRENCIES.values()}
#: "30% fewer calls", "15% less on emergency repairs": what changed, after the amount.
_NOT_NOUN = (
    r"(?!(?:in|on|at|by|for|from|to|of|with|than|this|last|over|and|but|or|as|because|"
    r"since|per|a|an|the)\b)"
)
_AFTER_NOUN = re.compile(
    r"\s*(?:more|fewer|less|higher|lower|extra)\s+(?:on\s+(?=[a-z]))?"
    rf"({_NOT_NOUN}[a-z][a-z-]+(?:\s+{_NOT_NOUN}[a-z][a-z-]+)?)\b",
    re.IGNORECASE,
)
_FRACTIONS = {"third": 100 / 3, "quarter": 25.0, "fifth": 20.0, "half": 50.0}
_PARTS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4}
_FACTORS = {"halved": (0.5, -1), "doubled": (2.0, 1), "tripled": (3.0, 1), "trebled": (3.0, 1),
            "quadrupled": (4.0, 1)}  # fmt: skip
_SENTENCE = re.compile(r"[^\n]+?(?:[.!?]+(?=\s|$)|$)", re.MULTILINE)
#: How far before or after a number, in characters, the words that qualify it are read (its
#: clause's start, a cue, a label, a verb): far beyond any clause of a story, and what keeps
#: a sentence of thousands of numbers from being read once for each of them.
_REACH = 400
#: What the words just before or after a number are matched against.
_TO_AFTER = re.compile(r"\s+to\b")
_SHARE_AFTER = re.compile(rf"{_SHARE_OF}{_NUM}", re.IGNORECASE)
_TO_BEFORE = re.compile(r"\bto\s+[€$£]?$")
_RHYTHM_BEFORE = re.compile(r"\b(?:every|each)\s+$", re.IGNORECASE)
_PER_BEFORE = re.compile(r"\bper\s+$", re.IGNORECASE)
_OF_BEFORE = re.compile(r"\bof\s+$")
_WHOLE_BEFORE = re.compile(r"(?:^|[,;:(])\s*of\s+(?:the|our|my|their|all)?\s*$", re.IGNORECASE)
_PART_AFTER = re.compile(rf"[^.;:,]*,\s+(?:{_NUM})\b", re.IGNORECASE)
_WHEN_AFTER = re.compile(r"\s+(?:ago|later|earlier|before|after)\b", re.IGNORECASE)
_OF_AFTER = re.compile(r"\s+of\b")
_NOT_AFTER = re.compile(r"['’]t\b")
_THAN_AFTER = re.compile(r"\s+than\b")
#: An amount more or less than at a time before, said right after it: "KES 23,500 more than
#: last season", "5 bags fewer than the year before" is a rise or a fall (trial 44: no
#: direction), not a bound as "more than 60 nurses" is.
_THAN_BEFORE = re.compile(
    r"\s+(?P<cue>more|less|fewer|higher|lower)\s+than\s+(?:(?:in|during)\s+)?(?:the\s+|a\s+)?"
    r"(?:(?:last|previous|past)\s+(?:season|year|harvest|term|month|week|time)|before|previously"
    r"|past|(?:season|year|harvest|term|month|week)\s+(?:before|ago))\b",
    re.IGNORECASE,
)
_CONTAINER = "|".join(_WORDS["containers"])
#: A measure that sizes what produce is packed in ("3 bags of 90kg", "(90 kg bags)", "a 20
#: litre tin"): the size of a bag is no claim, as a place something was done is not
#: (:data:`_WHERE`: "sell in 50kg bags").
_CONTAINER_AFTER = re.compile(rf"[-\s]?(?:{_CONTAINER})(?:s|es)?\b", re.IGNORECASE)
_CONTAINER_BEFORE = re.compile(rf"\b(?:{_CONTAINER})(?:s|es)?\s+of\s+$", re.IGNORECASE)


def _reach(at: int) -> int:
    """Where the words read before position ``at`` start (:data:`_REACH`)."""
    return max(0, at - _REACH)


@dataclass(frozen=True)
class _Claim:
    start: int
    end: int
    number: float
    unit: str
    direction: int
    baseline: float
    #: The verb of a saving, as said, when the claim is an amount saved (:func:`_gained`).
    saving: str = ""
    #: The baseline in its own unit, as a reader says it ("3 months"), when ``baseline`` is
    #: given in the claim's unit to compare the two ("3 weeks not 3 months": 13.04 weeks).
    baseline_said: str = ""


def _value(text: str) -> float:
    """The value of a number written with digits, separators, scales or words."""
    words = re.sub(r"^(?:1|one)-in-", "", text.lower()).replace("-", " ").split()
    if not words:
        return float("nan")
    joined = " ".join(words)
    if joined in NUMBER_WORDS:
        return NUMBER_WORDS[joined]
    if words[0] in NUMBER_WORDS:  # "twenty five", "two hundred"
        value = 0.0
        for word in words:
            if word in _SCALES and value:
                value *= _SCALES[word]
            else:
                value += NUMBER_WORDS.get(word, 0.0)
        return value
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
        if not (is_plural_noun or key in _PLURALS) or key in _NOT_UNITS:
            return ""
        unit = key
    return f"{unit}/{per.lower()}" if per else unit


_WORD_RUN = re.compile(r"[A-Za-z]+")
#: Where a clause ends: a semicolon, a colon, or a comma before a new subject, unless it
#: only says who reckons ("Saved us doing the migration twice, I estimate two months").
_CLAUSE = re.compile(
    r"[;:]|,\s+(?!(?:i|we)(?:['’]d)?\s+(?:estimate|think|guess|reckon|say|believe|figure|"
    r"suppose|would\s+say)\b)"
    r"(?=(?:the|a|an|we|i|he|she|they|you|it|our|my|his|her|their|its|this|that|these|"
    r"those)\b)",
    re.IGNORECASE,
)


#: What may follow a cue's stem in a word that is still the cue ("reduc" -> "reduction",
#: "drop" -> "dropped"), so that "lesson", "upon", "upstream", "freedom" and "extract"
#: are no cues.
_CUE_ENDINGS = frozenset(
    ["", "e", "es", "ed", "d", "s", "ing", "ings", "en", "n", "th", "ped", "ping", "ting",
     "ion", "ions", "tion", "tions", "ement", "ements", "ment", "ments"]
)  # fmt: skip


def _clause_start(sentence: str, at: int) -> int:
    """Where the clause holding position ``at`` of ``sentence`` starts (:data:`_CLAUSE`)."""
    first = _reach(at)
    return max((m.end() for m in _CLAUSE.finditer(sentence, first, at)), default=first)


def _cue_sign(word: str) -> int:
    """-1 when the lower-case ``word`` is a down cue ("fell", "reduction", "lower"), +1 when
    it is an up cue, else 0.

    Examples
    --------
    >>> [_cue_sign(w) for w in ["reduction", "dropped", "lesson", "upstream", "growth", "a"]]
    [-1, -1, 0, 0, 1, 0]
    """
    for sign, stems in ((-1, DOWN_CUES), (1, UP_CUES)):
        if any(word.startswith(s) and word[len(s) :] in _CUE_ENDINGS for s in stems):
            return sign
    return 0


def _direction_near(sentence: str, start: int, end: int, *, after: bool = True) -> int:
    """The sign of the change cue nearest to the span [start, end) of ``sentence``; with
    ``after=False`` only a cue before the span's end counts."""
    return _cue_near(sentence, start, end, after=after)[0]


def _cue_near(sentence: str, start: int, end: int, *, after: bool = True) -> tuple[int, str]:
    """The sign and the word, lower-cased, of the change cue nearest to the span [start,
    end) of ``sentence`` (:func:`_direction_near`); ``(0, "")`` when there is none."""
    compared = _THAN_BEFORE.match(sentence, end)
    if compared is not None:  # "KES 23,500 more than last season": the claim's own change
        cue = compared.group("cue").lower()
        return _cue_sign(cue), cue
    best: tuple[int, int, str] | None = None
    # only the claim's own clause: "saved the support team tickets, the director approved
    # 20% of my time" (trial 31) is no 20% decrease
    first = _clause_start(sentence, start)
    following = _CLAUSE.search(sentence, end, end + _REACH)
    last = min(len(sentence), end + _REACH) if following is None else following.start()
    for match in _WORD_RUN.finditer(sentence, first, last if after else end):
        word = match.group(0).lower()
        sign = _cue_sign(word)
        if not sign or _NOT_AFTER.match(sentence, match.end()):
            continue  # no cue, or "won't"
        if _CUE_NAMES.match(sentence, match.start()):
            continue  # "fall armyworm": a name, not a change
        if _DESTINATION.search(sentence, _reach(match.start()), match.start()):
            continue  # "goes to the group savings": where it went, a thing, not a change
        if word in {"less", "more", "fewer"} and _THAN_AFTER.match(sentence, match.end()):
            continue  # "more than 60 nurses", "no fewer than 45": a bound, not a change
        distance = start - match.end() if match.end() <= start else max(0, match.start() - end)
        if best is None or distance < best[0]:
            best = (distance, sign, word)
    return (0, "") if best is None else best[1:]


#: The verbs of a saving ("saved £38,000", "avoided 3 call-outs"): saving is spending less,
#: but the amount saved is value gained.
_SAVING = re.compile(r"sav(?:e|ed|es|ing)|avoid(?:s|ed|ing)?")


def _gained(claim: _Claim, cue: str) -> _Claim:
    """``claim`` as an amount saved, up (+1), when the ``cue`` that made it a fall is a verb
    of saving (trial 42: "▼ £38,000 saved" read as a fall in value); its label then tells
    the saving (:func:`_what_changed`). Any other claim as it is: "costs fell by £2k" and
    "we lost 3 members" are falls.

    Examples
    --------
    >>> claim = _Claim(0, 7, 38000.0, "GBP", -1, float("nan"))
    >>> [(c.direction, c.saving) for c in (_gained(claim, "saved"), _gained(claim, "fell"))]
    [(1, 'saved'), (-1, '')]
    """
    if claim.direction < 0 and _SAVING.fullmatch(cue):
        return replace(claim, direction=1, saving=cue)
    return claim


#: A cue word that heads the noun phrase after "to", "into" or "towards" and a determiner
#: ("goes to the group savings", "put into our savings account") names where something went,
#: not a change; without a determiner it may be a verb ("helped to reduce").
_DESTINATION = re.compile(
    r"\b(?:to|into|towards?)\s+(?:the|a|an|our|their|my|his|her|its|your|this|that)\s+"
    r"(?:[A-Za-z-]+\s+){0,2}$",
    re.IGNORECASE,
)


#: A change cue denied just before a claim: "did not fall by 10 days", "never rose above".
_NEGATED = re.compile(r"(?:\bnot|\bnever|\bno|n['’]t)\s+(?P<after>(?:[A-Za-z]+\s+){1,4})$", re.I)
#: "to 4% from 7%": the value a claim after "to" was changed from.
_TO_FROM = re.compile(
    rf"\s+from\s+(?:about\s+|around\s+)?{_CUR}?(?P<n>{_NUM})(?:\s?%)?", re.IGNORECASE
)


def _denied(sentence: str, start: int) -> bool:
    """Whether the change cue just before ``start`` is denied ("did not fall by")."""
    match = _NEGATED.search(sentence, _reach(start), start)
    return match is not None and any(
        _cue_sign(w.lower()) for w in match.group("after").split()[:2]
    )


#: A return period written with spaces, or with a hyphen before its unit: "1 in 30 years",
#: "a 1-in-100-year storm", "1 in 100-year".
_SPACED_RETURN = re.compile(
    r"\b(?:1|one)(?:(?P<gap1> )|-)in(?:(?P<gap2> )|-)\d[\d,]*(?:(?P<gap3>-)|\s)(?=years?\b)",
    re.IGNORECASE,
)
#: In a sentence that has a return period, a spaced "1 in 10" that counts no thing ("1 in
#: 30 years instead of 1 in 10"): the period it is compared with.
_SPACED_ONE_IN = re.compile(
    r"\b(?:1|one)(?P<gap1> )in(?P<gap2> )\d[\d,]*\b(?!\s*[A-Za-z])", re.IGNORECASE
)


def _hyphened(sentence: str) -> str:
    """``sentence`` with each return period written as "1-in-30 years", the form the
    patterns read (:data:`_ONE_IN`), the same length: "1 in 30 years" and "a
    1-in-100-year storm" are read as "1-in-30 years" and "a 1-in-100 year storm".

    Examples
    --------
    >>> _hyphened("Now 1 in 30 years instead of 1 in 10, for a 1-in-100-year storm.")
    'Now 1-in-30 years instead of 1-in-10, for a 1-in-100 year storm.'
    >>> _hyphened("Now 8 in 10 operators use it, up from 3 in 10.")
    'Now 8 in 10 operators use it, up from 3 in 10.'
    """
    chars = list(sentence)

    def mend(match: re.Match[str]) -> None:
        for gap, mark in (("gap1", "-"), ("gap2", "-"), ("gap3", " ")):
            if gap in match.re.groupindex and match.group(gap) is not None:
                chars[match.start(gap)] = mark

    periods = list(_SPACED_RETURN.finditer(sentence))
    for match in periods:
        mend(match)
    if periods or _RETURN_PERIOD.search(sentence):
        for match in _SPACED_ONE_IN.finditer(sentence):
            mend(match)
    return "".join(chars)


def _claims(sentence: str) -> Iterator[_Claim]:
    """The claims of a sentence whose return periods are hyphened (:func:`_hyphened`); their
    positions are the sentence's as written, which has the same length."""
    # "78% say it is relevant, up from 41%": "up from 41%" is the baseline of the claim
    # before it, not a claim of its own
    compared = [
        m
        for m in _UP_DOWN_FROM.finditer(sentence)
        if not _TO_AFTER.match(sentence, m.end())  # "up from 58% to 71%": a range
        and not _SHARE_AFTER.match(sentence, m.end())  # "up from 3 in 10"
    ]
    # the spans taken so far, apart and in order: a span is looked up, not every one read
    # (trial: 8,000 characters of "3 km " took 40 s)
    taken: list[tuple[int, int]] = [m.span() for m in compared]
    compared_ends = [m.end() for m in compared]
    dates = [m.span() for m in _DATES.finditer(sentence)]
    ranges = [m.span() for m in _WRITTEN_RANGE.finditer(sentence)]
    found: list[_Claim] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(sentence):
            start, end = match.span()
            if _overlaps(taken, start, end):
                continue
            if _dated(match, dates):
                continue  # "On May 12 teachers presented": a day of the month, no count
            if kind in _BEFORE_AFTER and _split_range(match, ranges):
                continue  # "scale 1-5 -> 1-4" is no change from 5 to 1
            claim = _read(kind, match, sentence)
            if claim is None or _denied(sentence, claim.start):
                continue
            tail = _BASELINE.match(sentence, claim.end)
            if tail is None and _TO_BEFORE.search(sentence, _reach(claim.start), claim.start):
                tail = _TO_FROM.match(sentence, claim.end)
            if tail is not None and math.isnan(claim.baseline):
                baseline = _value(tail.group("n"))
                direction = (claim.number > baseline) - (claim.number < baseline)
                claim = replace(
                    claim, end=tail.end(), baseline=baseline, direction=direction, saving=""
                )
                # "85%, up from 60%": the claim has taken its own "up from" as its baseline
                first, last = (bisect_right(compared_ends, at) for at in (claim.start, claim.end))
                for m in compared[first:last]:
                    del taken[bisect_left(taken, m.span())]
                del compared[first:last], compared_ends[first:last]
            if _overlaps(taken, claim.start, claim.end):
                continue
            insort(taken, (claim.start, claim.end))
            found.append(claim)
    found.sort(key=lambda c: c.start)
    starts = [c.start for c in found]
    # "doubled this year (1,240 to 2,510)": the factor is the range that follows it
    found = [
        c
        for c in found
        if not (
            c.unit == "x"
            and any(
                not math.isnan(o.baseline)
                for o in found[bisect_left(starts, c.end) : bisect_right(starts, c.end + 30)]
            )
        )
    ]
    ends = [c.end for c in found]  # apart and in order, as their spans
    for match in compared:
        before = bisect_right(ends, match.start()) - 1
        if before >= 0 and math.isnan(found[before].baseline):
            direction = 1 if match.group("d").lower() == "up" else -1
            found[before] = replace(
                found[before], baseline=_value(match.group("n")), direction=direction, saving=""
            )
    found = _then_and_now(sentence, found)
    # "Training of facilitators ..., 3 days at Mikundi" (trial 35): a length of time that
    # neither changed nor is a rate is how long something lasted, not a result; a return
    # period ("a 1-in-100-year storm") is no length of time. "Two days, 14 people, lots of
    # coffee" (trial 38): a count of those who came that neither changed nor is a rate is
    # the size of an activity
    yield from (
        c
        for c in found
        if not (
            (c.unit in TIME_UNITS or c.unit in _ATTENDANCE)
            and c.direction == 0
            and math.isnan(c.baseline)
        )
        or (c.unit in TIME_UNITS and _RETURN_PERIOD.match(sentence, c.start))
    )


#: A time before, said before an amount ("last season I harvested 3 bags", "before, it
#: took 3 days"), and the time now, said between it and an amount of the same unit ("...,
#: this season I got 10 bags", "now 1 day").
_THEN = re.compile(
    r"\b(?:(?:last|previous|past)\s+(?:season|year|harvest|term|month|week)"
    r"|before|previously|in\s+the\s+past|used\s+to)\b",
    re.IGNORECASE,
)
_NOW = re.compile(
    r"\b(?:(?:this|current)\s+(?:season|year|harvest|term|month|week)"
    r"|now|today|nowadays|these\s+days)\b",
    re.IGNORECASE,
)


def _then_and_now(sentence: str, found: list[_Claim]) -> list[_Claim]:
    """``found`` with an amount said of a time before and the next amount of its unit said
    of the time now read as one change (trial 44: "before I was harvesting 3 bags of 90kg
    on one acre, this season I got 10 bags" was 3 bags and 10 bags, no change).

    Examples
    --------
    >>> sentence = "Last season I harvested 3 bags, this season I got 10 bags."
    >>> [(c.number, c.baseline, c.direction) for c in _then_and_now(sentence, [
    ...     _Claim(24, 30, 3.0, "bags", 0, math.nan), _Claim(50, 57, 10.0, "bags", 0, math.nan)])]
    [(10.0, 3.0, 1)]
    """
    merged: list[_Claim] = []
    used: set[int] = set()
    following: dict[int, int] = {}  # each claim's next claim of its unit, found in one pass
    seen: dict[str, int] = {}
    for k in range(len(found) - 1, -1, -1):
        if found[k].unit in seen:
            following[k] = seen[found[k].unit]
        seen[found[k].unit] = k
    for i, first in enumerate(found):
        if i in used:
            continue
        merged.append(first)
        if first.direction or not math.isnan(first.baseline):
            continue
        since = found[i - 1].end if i else 0  # the words since the claim before
        if not _THEN.search(sentence, since, first.start):
            continue
        later = following.get(i)
        if later is None:
            continue
        second = found[later]
        if second.direction or not math.isnan(second.baseline):
            continue
        if not _NOW.search(sentence, first.end, second.start):
            continue
        direction = (second.number > first.number) - (second.number < first.number)
        merged[-1] = replace(
            second, start=first.start, baseline=first.number, direction=direction, saving=""
        )
        used.add(later)
    return merged


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of ``spans``, which are apart and in order.

    Examples
    --------
    >>> [_overlaps([(0, 3), (5, 9)], *span) for span in [(3, 5), (4, 6), (8, 12), (9, 10)]]
    [False, True, True, False]
    """
    before = bisect_left(spans, (end,))  # the spans that start before ``end``
    return before > 0 and spans[before - 1][1] > start


#: The groups of a pattern that hold a claim's numbers.
_NUMBER_GROUPS = ("n1", "n1b", "n2", "n2b", "n3", "t1", "t2")
#: A range written with a dash: "1-5", "20–30", "1,000-1,500".
_WRITTEN_RANGE = re.compile(rf"(?<![\w.,])(?:{_DIGITS})\s*[-–]\s*(?:{_DIGITS})(?![\w])")
#: The patterns that read two numbers as a value before and a value after.
_BEFORE_AFTER = frozenset(
    ["shares", "range", "sized_range", "range_to", "to_from", "compared_was", "compared",
     "durations", "compared_loose"]
)  # fmt: skip


def _split_range(match: re.Match[str], ranges: Sequence[tuple[int, int]]) -> bool:
    """Whether one of ``match``'s numbers is one end of a range written with a dash
    (:data:`_WRITTEN_RANGE`) that the match does not read whole: "1-5 -> 1-4" is a scale
    that changed, not 5 that fell to 1.

    Examples
    --------
    >>> text = "scale 1-5 -> 1-4"
    >>> ranges = [m.span() for m in _WRITTEN_RANGE.finditer(text)]
    >>> _split_range(re.search(r"(?P<n1>5) -> (?P<n2>1)", text), ranges)
    True
    >>> _split_range(re.search(r"(?P<n1>1)-5", text), ranges)
    False
    """
    for group in _NUMBER_GROUPS:
        if group not in match.re.groupindex or match.group(group) is None:
            continue
        at = match.start(group)
        # the ranges are apart and in order: the one that may hold ``at`` is looked up
        i = bisect_right(ranges, (at, math.inf)) - 1
        if i < 0:
            continue
        start, end = ranges[i]
        if at < end and not (match.start() <= start and end <= match.end()):
            return True
    return False


def _duration_said(value: float, unit: str) -> str:
    """A length of time as a reader says it, in its own ``unit`` (a key of :data:`_DAYS`).

    Examples
    --------
    >>> _duration_said(3.0, "month"), _duration_said(1.0, "week"), _duration_said(2.5, "day")
    ('3 months', '1 week', '2.5 days')
    """
    return f"{value:,g} {unit}{'' if value == 1 else 's'}"


def _rough(low: float, high: float) -> bool:
    """Whether a range written "low-high" is a rough amount ("2-3 weeks", "20-30 a week"),
    read as its middle, not a bracket or a scale ("ages 0-5", "children 2-59 months",
    "scored 1-5").

    Examples
    --------
    >>> _rough(2, 3), _rough(20, 30), _rough(0, 5), _rough(2, 59), _rough(1, 5)
    (True, True, False, False, False)
    """
    return 0 < low < high <= 3 * low


def _dated(match: re.Match[str], dates: Sequence[tuple[int, int]]) -> bool:
    """Whether one of ``match``'s numbers is the day or year of a date (:data:`_DATE`)."""
    spans = [
        match.span(group)
        for group in _NUMBER_GROUPS
        if group in match.re.groupindex and match.group(group) is not None
    ]
    return any(s <= start < e for start, _ in spans for s, e in dates)


def _without_dates(sentence: str) -> str:
    """``sentence`` with each date (:data:`_DATE`) blanked to a comma, the same length: a
    date is no part of what changed ("By May 12 attendance rose by 20%": "attendance")."""
    return _DATES.sub(lambda m: ",".ljust(len(m.group())), sentence)


def _read(kind: str, match: re.Match[str], sentence: str) -> _Claim | None:
    start, end = match.span()
    group = match.groupdict()
    nan = float("nan")
    if kind == "range":
        before, after = _value(group["n1"]), _value(group["n2"])
        highs = [_value(group[g]) if group.get(g) else None for g in ("n1b", "n2b")]
        starts = (before, after)
        if any(h is not None and not _rough(v, h) for v, h in zip(starts, highs, strict=True)):
            return None  # "changed from 1-5 to 1-4": a scale, no amount (trial 42: 3 -> 1)
        ends = [before, after] + [h for h in highs if h is not None]
        currency = (group["c2"] or group["c1"] or "").strip()
        word = group["u2"] or group["u1"]
        if currency in CURRENCIES or word in CURRENCIES:  # "MK 4,000", "450 ZMW"
            rate = group["per"]
            unit = CURRENCIES[currency or word] + (f"/{rate.lower()}" if rate else "")
        else:
            unit = _unit(currency or word, group["per"])
        if not unit and all(_YEARS[0] <= v <= _YEARS[1] and v == int(v) for v in ends):
            return None  # "from 2019 to 2023": a period, not a value that rose
        if highs[0] is not None:  # "from 20-30 a week to 5": the middle of the range it left
            before = (before + highs[0]) / 2
        if highs[1] is not None:  # "to 10-15": the middle of the range it came to
            after = (after + highs[1]) / 2
        said = ""
        durations = [(u or "").lower().removesuffix("s") for u in (group["u1"], unit)]
        lengths = [_DAYS.get(d) for d in durations]
        if lengths[0] and lengths[1]:  # "from six months to six weeks": in weeks
            said = "" if lengths[0] == lengths[1] else _duration_said(before, durations[0])
            before = round(before * lengths[0] / lengths[1], 6)
        if not unit and group["u2"] and not group["u1"]:
            end = match.end("n2b") if group.get("n2b") else match.end("n2")
        direction = (after > before) - (after < before)
        return _Claim(start, end, after, unit, direction, before, baseline_said=said)
    if kind == "shares":
        was, was_of, now, now_of = (_value(group[n]) for n in ("n1", "t1", "n2", "t2"))
        if not (0 <= was <= was_of and 0 <= now <= now_of) or 0 in (was_of, now_of):
            return None  # "2 in 0", "12 of 3": not a part of a whole
        if was_of == now_of and (group.get("of2") or "in").lower() != "in":
            return None  # "from 12 of 30 to 25 of 30": one whole, the range of counts reads it
        before, after = round(100 * was / was_of, 1), round(100 * now / now_of, 1)
        said = (group.get("d") or "").lower()
        direction = {"up": 1, "down": -1}.get(said, (after > before) - (after < before))
        return _Claim(start, end, after, "%", direction, before)
    if kind == "compared_loose":
        before, after = _value(group["n1"]), _value(group["n2"])
        if _LABEL.search(sentence, _reach(start), start) or all(
            _YEARS[0] <= v <= _YEARS[1] for v in (before, after)
        ):
            return None  # "category 2 ..., compared with 3", "2023 compared with 2022"
        unit = _counted(group["what"])
        if _RETURN_PERIOD.match(group["n2"]) and re.match(r"years?\b", group["what"], re.I):
            unit = "years"  # "a 1-in-100 year storm instead of 1-in-25"
        return _Claim(start, end, after, unit, (after > before) - (after < before), before)
    if kind == "compared_was":
        before, after = _value(group["n1"]), _value(group["n2"])
        unit = _counted(sentence[match.end("n2") : match.start("when")])
        return _Claim(start, end, after, unit, (after > before) - (after < before), before)
    if kind == "compared":
        if group["none"]:  # "no complaints ... this winter, against 12 the year before"
            unit = _unit(group["u_none"])
            if not unit:
                return None  # "no longer", "no one": no count of a thing
            before, after = _value(group["n1"]), 0.0
        else:
            before, after = _value(group["n1"]), _value(group["n2"])
            unit = _unit(group["u1"]) or _unit(group["u0"])
        if _earlier(group["w2"], group["w1"]):  # "35 in January compared to 0 in March"
            before, after = after, before
        return _Claim(start, end, after, unit, (after > before) - (after < before), before)
    if kind == "durations":
        after = 1.0 if group["a1"] else _value(group["n1"])
        before = 1.0 if group["a2"] else _value(group["n2"])
        first, second = group["u1"].lower(), group["u2"].lower()
        said = "" if first == second else _duration_said(before, second)
        before = before * _DAYS[second] / _DAYS[first]  # in the first duration's unit
        if math.isclose(before, after):
            return None
        start = match.start("a1") if group["a1"] else match.start("n1")
        direction = (after > before) - (after < before)
        return _Claim(start, end, after, f"{first}s", direction, before, baseline_said=said)
    if kind == "sized_range":  # the claim starts at the length, after its verb
        claim = _read("range", match, sentence)
        return None if claim is None else replace(claim, start=match.start("n1"))
    if kind == "range_to":
        before, after = _value(group["n1"]), _value(group["n2"])
        units = (group["c1"] or group["u1"] or "", group["c2"] or group["u2"] or "")
        verb = _CHANGE_BEFORE.search(sentence, _reach(start), start)
        if verb is None and not (after < before and units[0] and units[0] == units[1]):
            return None
        return _read("range", match, sentence)
    if kind == "to_from":
        if group["n1"] is None:  # "to 40, up from 25": the "up from" says it changed
            return _Claim(match.start("n2"), end, _value(group["n2"]), "", 0, nan)
        if _CHANGE_BEFORE.search(sentence, _reach(start), start) is None:
            return None  # "sent to 40 from 25 schools": where, not a change
        before, after = _value(group["n1"]), _value(group["n2"])
        unit = _unit(group["u"], group["per"])
        if not unit and all(_YEARS[0] <= v <= _YEARS[1] and v == int(v) for v in (before, after)):
            return None  # "moved to 2024 from 2023": a date
        end = end if unit else match.end("n1")  # "to 12 from 30 last year": no unit
        return _Claim(
            match.start("n2"), end, after, unit, (after > before) - (after < before), before
        )
    if kind == "money":
        number = _value(group["n1"] or group["n2"] or group["n3"])
        sign = (group["c1"] or group["c2"] or group["c3"]).strip()
        unit = CURRENCIES.get(sign) or _unit(sign)
        rate = _RATE_AFTER.match(sentence, end)  # "€250 a month"
        if rate is not None:
            unit, end = f"{unit}/{rate.group('per').lower()}", rate.end()
        direction, cue = _cue_near(sentence, start, end)
        return _gained(_Claim(start, end, number, unit, direction, nan), cue)
    if kind == "percent":
        number = _value(group["n1"])
        direction, cue = _cue_near(sentence, start, end)
        return _gained(_Claim(start, end, number, "%", direction, nan), cue)
    if kind == "fraction":
        times = _PARTS.get((group["k"] or "a").lower(), 1)
        share = times * _FRACTIONS[(group["f"] or group["half"]).lower().removesuffix("s")]
        direction, cue = _cue_near(sentence, start, end)
        if direction == 0 and not _OF_AFTER.match(sentence, end):
            return None  # "three quarters of teachers" is a share; "a third" alone is not
        return _gained(_Claim(start, end, share, "%", direction, nan), cue)
    if kind == "factor":
        if group["verb"]:
            number, direction = _FACTORS[group["verb"].lower()]
            return _Claim(start, end, number, "x", direction, nan)
        number = 2.0 if group["twice"] else _value(group["n1"])
        direction, cue = _cue_near(sentence, start, end)
        return _gained(_Claim(start, end, number, "x", direction, nan), cue)
    # count: a number with a unit noun ("40 hours a month", "34 hidden leaks")
    unit, word = _unit(group["w1"]), "w1"
    if (
        not unit
        and group["w2"]
        and (group["w2"].lower().endswith("s") or group["w2"].lower() in _PLURALS)
        and group["w1"].lower() not in _PREPOSITIONS | _DETERMINERS
    ):
        unit, word = _unit(group["w2"]), "w2"
    reach = _reach(start)
    if not unit or _RHYTHM_BEFORE.search(sentence, reach, start):
        return None  # a rhythm ("every two weeks"), not a quantity
    if _PER_BEFORE.search(sentence, reach, start):
        return None  # the base of a rate ("incidence per 1,000 bed days"), not a quantity
    if _LABEL.search(sentence, reach, start):
        return None  # a name ("Year 4", "moment 5"), not a quantity
    whole = _WHOLE_BEFORE.search(sentence, reach, start)
    if whole and _PART_AFTER.match(sentence, end, end + _REACH):
        return None  # "Of the 25 farmers in my school, 17 now ...": the whole of a share
    end = match.end(word)
    if _CONTAINER_AFTER.match(sentence, end) or _CONTAINER_BEFORE.search(sentence, reach, start):
        return None  # "3 bags of 90kg", "(90 kg bags)": the size of a bag, no claim
    if (
        _RETURN_PERIOD.match(group["n1"])
        and group[word].lower() == "year"
        and group["w2"]
        and group["w2"].lower() not in _NOT_MEASURED
    ):
        end = match.end("w2")  # "a 1-in-100-year storm": the period of a storm
    rate = _RATE_AFTER.match(sentence, end) or _OF_RATE.match(sentence, end)
    if rate is not None:
        unit, end = f"{unit}/{rate.group('per').lower()}", rate.end()
    if _WHEN_AFTER.match(sentence, end):
        return None  # a date ("two weeks ago")
    number = _value(group["n1"])
    if group["n1b"]:  # "a review cycle of 2-3 weeks": the middle of the range
        high = _value(group["n1b"])
        if not _rough(number, high):
            return None  # "children 2-59 months", "ages 0-5": a bracket, not a rough amount
        number = (number + high) / 2
    if number == 1 and not (
        group[word].lower().endswith("s")
        or _its_baseline(sentence, end, number)
        or (_TO_BEFORE.search(sentence, reach, start) and _TO_FROM.match(sentence, end))
    ):
        return None  # "one day, ..."; but "cut it to 1 day from 3 days" is a change
    is_duration = unit in TIME_UNITS and _DURATION.search(sentence, reach, start)
    # "saved the lab turnaround of 10 days": what was saved, though "of" may start a length
    saved = _OF_BEFORE.search(sentence, reach, start) and _direction_near(
        sentence, start, end, after=False
    )
    if is_duration and not saved and not _its_baseline(sentence, end, number):
        return None  # "in six months", "for the first time in ten years"
    # a count of things changes by a cue before it or inside it ("fell to 12 complaints",
    # "34 fewer leaks"); a cue after it tells of something else (trial 28: "Two outbreaks
    # diagnosed faster", "The four partners ... from the savings" read as decreases)
    # "a 6 week block", "a 10 minute drill" (trial 39): a length in the singular before a
    # noun is the size of a thing, counted as things are ("instead of making it up" was a
    # 6-week increase); with no cue before it, it is no claim, as a length of time is not
    # (the filter at the end of _claims)
    measured = unit.split("/")[0] in TIME_UNITS and not _sized(group, word)
    direction, cue = _cue_near(sentence, start, end, after=measured)
    if direction < 0 and _saved_before(sentence, start) and not _spent(unit):
        direction = 0  # "We saved 2 ha of wetland from development": kept, not cut
    where = _WHERE.search(sentence, reach, start)
    if where and not _BASELINE.match(sentence, end):
        # a change cue right before the preposition is the count's own ("Members grew in 8
        # groups"); one further off is another amount's ("Stock down by EUR 60,000 across
        # the two municipalities", trial 37)
        last = sentence[_reach(where.start()) : where.start()].split()[-1:]
        if not (direction and last and _cue_sign(last[0].lower().strip(",;:"))):
            return None  # "shared in 8 WhatsApp groups": where something was done, no result
    return _gained(_Claim(start, end, number, unit, direction, nan), cue)


def _sized(group: dict[str, str | None], word: str) -> bool:
    """Whether a count's unit (its ``word`` group) is a length in the singular that sizes
    the noun after it ("6 week block", "ten minute drill"), not a length of time ("6 week
    of", "10 minute shorter", "2 day a week", "2 weeks").

    Examples
    --------
    >>> [_sized({"w1": "week", "w2": w}, "w1") for w in ["block", "of", "shorter", None]]
    [True, False, False, False]
    >>> _sized({"w1": "weeks", "w2": "block"}, "w1"), _sized({"w1": "h", "w2": "walk"}, "w1")
    (False, False)
    """
    unit, noun = (group[word] or "").lower(), (group["w2"] or "").lower()
    return (
        word == "w1"
        and unit in _DAYS
        and bool(noun)
        and noun not in _NOT_MEASURED | _PRONOUNS
        and not _cue_sign(noun)
    )


#: Units of what is used up, so that saving some of it is using less ("saved 250 m3 a
#: day"): money, time, a rate, and the measures of ``spent`` in quantities.yaml.
_SPENT = frozenset(_WORDS["spent"])


def _spent(unit: str) -> bool:
    """Whether ``unit`` is one of what is used up: money, time ("developer-months"), a rate,
    or a measure of ``spent`` ("m³", "kWh"); not land ("ha") nor a count of things ("jobs").

    Examples
    --------
    >>> [_spent(u) for u in ["EUR", "developer-months", "trips/week", "kWh", "ha", "jobs"]]
    [True, True, True, True, False, False]
    """
    return (
        "/" in unit
        or unit in _MONEY_UNITS
        or unit.rsplit("-", 1)[-1] in TIME_UNITS
        or unit in _SPENT
    )


def _saved_before(sentence: str, start: int) -> bool:
    """Whether the change cue nearest before ``start``, in its clause, is a form of "save"
    ("We saved 2 ha of wetland", "saving 30 jobs")."""
    words = _WORD_RUN.findall(sentence, _clause_start(sentence, start), start)
    cues = [w.lower() for w in words if _cue_sign(w.lower())]
    return bool(cues) and re.fullmatch(r"sav(?:e|ed|es|ing)", cues[-1]) is not None


#: A preposition of place or channel just before a count, or before the count it is listed
#: with: "shared in 8 WhatsApp groups and 3 churches", "posted on 3 pages", "spread across
#: 12 villages", "across the two municipalities" say where something was done, not what it
#: gave, unless the count changed.
_WHERE = re.compile(
    rf"\b(?:in|on|across|via|through|among|at)\s+(?:(?:all|both|{'|'.join(sorted(_ARTICLES))})\s+)?"
    rf"(?:{_NUM}(?:\s+[A-Za-z-]+){{1,2}}(?:\s*,|,?\s+(?:and|or))\s+)?$",
    re.IGNORECASE,
)


def _counted(words: str) -> str:
    """What a count counts, from the words after its number: the first plural noun
    ("new category 2 pressure ulcers in April" -> "ulcers"), else nothing; a unit of
    measure right after it is its unit ("km of cast iron mains" -> "km").

    Examples
    --------
    >>> _counted("new category 2 pressure ulcers in April and May"), _counted("in May")
    ('ulcers', '')
    >>> _counted(" km of cast iron mains")
    'km'
    """
    measure = re.match(rf"\s*({_MEASURE})", words, re.IGNORECASE)
    if measure is not None:
        return _unit(re.sub(r"\s+", " ", measure.group(1)))
    for word in re.findall(r"[A-Za-z][A-Za-z-]*", words):
        lower = word.lower()
        if lower in _PREPOSITIONS:
            break  # "in April and May": after the noun phrase
        if lower.endswith("s") and not lower.endswith("ss") and lower not in _DETERMINERS:
            return _unit(word)
    return ""


#: Where in its month a part of it falls, as a day ("early June" before "June 12").
_PART_OF_MONTH = {"early": 5, "mid": 15, "late": 25}
_MONTH_WORDS = tuple(m.lower() for m in _MONTH_NAMES)
_DAY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?")


def _moment(said: str) -> tuple[int | None, str, int, int | None] | None:
    """A named time as ``(year, kind, index, day)``: kind "month" (index 0-11, the day of
    the month or its part when said) or "quarter" (index 0-3), or ``(year, "", 0, None)``
    for a year alone; None when it names no such time ("in the first term").

    Examples
    --------
    >>> _moment("in mid-May"), _moment("on 12th May 2026"), _moment("in Q2")
    ((None, 'month', 4, 15), (2026, 'month', 4, 12), (None, 'quarter', 1, None))
    """
    words = re.findall(r"[a-z0-9]+", said.lower())[1:]
    year = next((int(w) for w in words if re.fullmatch(r"(?:19|20)\d\d", w)), None)
    day = next((int(m[1]) for w in words if (m := _DAY.fullmatch(w))), None)
    for word in words:
        if word in _MONTH_WORDS:
            part = next((_PART_OF_MONTH[w] for w in words if w in _PART_OF_MONTH), None)
            return year, "month", _MONTH_WORDS.index(word), day or part
        if re.fullmatch(r"q[1-4]", word):
            return year, "quarter", int(word[1]) - 1, None
    return None if year is None else (year, "", 0, None)


def _earlier(first: str | None, second: str | None) -> bool:
    """Whether the named time ``first`` ("in January", "in 2023", "in Q1", "on May 12",
    "in mid-May") comes before ``second`` of the same kind; False when either is not such a
    time, or when one names a day of a month the other names whole.

    Examples
    --------
    >>> _earlier("in January", "in March"), _earlier("in 2024", "during 2023")
    (True, False)
    >>> _earlier("in 2023", "in 2024")
    True
    >>> _earlier("in Q1", "in March"), _earlier(None, "in March")
    (False, False)
    >>> _earlier("in January 2026", "in May 2026"), _earlier("in May 2025", "in January 2026")
    (True, True)
    >>> _earlier("in early May", "on May 12"), _earlier("on 30 May", "in mid-May")
    (True, False)
    >>> _earlier("in May", "on May 12")
    False
    """
    if not first or not second:
        return False
    a, b = _moment(first), _moment(second)
    if a is None or b is None:
        return False
    if a[0] is not None and b[0] is not None and a[0] != b[0]:
        return a[0] < b[0]
    if not a[1] or a[1] != b[1]:
        return False
    if a[2] != b[2]:
        return a[2] < b[2]
    return a[3] is not None and b[3] is not None and a[3] < b[3]


def _its_baseline(sentence: str, end: int, number: float) -> bool:
    """Whether a baseline after a duration is the duration's own ("in a day instead of a
    week"), not that of a count before it ("212 checks in three months, up from 40": 3 is
    not up from 40)."""
    tail = _BASELINE.match(sentence, end)
    if tail is None:
        return False
    said = re.search(r"\b(up|down)\s+from\b", tail.group(0), re.IGNORECASE)
    if said is None:
        return True
    baseline = _value(tail.group("n"))
    return (number > baseline) if said.group(1).lower() == "up" else (number < baseline)


def _as_said(word: str) -> str:
    """A word lower-cased, unless it is an acronym ("SEND", "PR", "A&E" stay)."""
    return word if len(word) > 1 and word.isupper() else word.lower()


_ENDS_IN_CHANGE = re.compile(
    r"\b(?:up|down|higher|lower|fewer|less|more)(?:\s+(?:too|also|again))?\s*$", re.IGNORECASE
)


def _subject(head: str) -> str:
    """The noun phrase that ends ``head`` (the words before a change verb); an aside in
    brackets is none of it ("Non-revenue water in the pilot zone (DMA 7) went down": not
    "DMA", trial 37).

    Examples
    --------
    >>> _subject("Non-revenue water (DMA 7) ")
    'non-revenue water'
    """
    clauses = re.split(  # "per 1,000 bed days": a thousands comma is no clause break
        r"(?<!\d),|,(?!\d)|[;:(]|\b(?:and|but|that|which|when|because|though|although|while)\b",
        re.sub(r"\s*\([^()]*\)", "", head),
    )
    clause = clauses[-1]
    if not clause.strip() and len(clauses) > 1 and _ENDS_IN_CHANGE.search(clauses[-2]):
        clause = clauses[-2]  # "cases are down too, 7 last year against 11": the clause before
    words = re.findall(r"[A-Za-z0-9](?:[A-Za-z0-9'’-]|,(?=\d{3}))*", clause)
    while words and (words[-1].lower() in _FILLER | _PREPOSITIONS or words[-1].isdigit()):
        words.pop()
    # "Help requests to me dropped": the person it happened to is no part of what changed
    while len(words) > 1 and _pronoun(words[-1]) and words[-2].lower() in _PREPOSITIONS:
        del words[-2:]
    phrase: list[str] = []
    for word in reversed(words):
        lower = word.lower()
        if phrase and lower in _PREPOSITIONS:  # "complaints about potholes"
            phrase.insert(0, lower)
            continue
        if lower in _FILLER and phrase and phrase[0] in _PREPOSITIONS:
            phrase = []  # "errors reported at transfer": the subject is before "reported"
            continue
        if _pronoun(word) or lower in _FILLER:  # "We're five municipalities"
            break
        if lower not in _ARTICLES:
            phrase.insert(0, _as_said(word))
    if phrase and phrase[0] in _PREPOSITIONS:
        return ""  # "By Monday three colleagues had replied": a when, not a what
    return " ".join(phrase[-6:])


def _pronoun(word: str) -> bool:
    """Whether ``word`` is a pronoun, contracted or not ("we", "we're", "I've")."""
    return re.sub(r"['’](?:re|s|ve|ll|d|m)$", "", word.lower()) in _PRONOUNS


#: "a 1-in-100 year storm" (:func:`_hyphened`): a return period and what it is the period of.
_PERIOD_OF = re.compile(r"(?:1|one)-in-[\d,]+\s+year\s+([A-Za-z][A-Za-z-]*)", re.IGNORECASE)
#: "11 km of cast iron mains": a measure and, after its "of", what it measures.
_MEASURED = re.compile(rf"{_NUM}\s*{_MEASURE}\s+of\s+(?P<what>[^.;:,()]*)", re.IGNORECASE)
#: The words that end what a measure measures ("mains instead of 6", "water a day").
_NOT_MEASURED = _ARTICLES | _PREPOSITIONS | _FILLER | set(_WORDS["comparisons"])
#: "78% say CPD is relevant": what a share of people say, to the end of its clause.
_SAYS = re.compile(
    rf"\s+(?:of\s+(?:the\s+)?[a-z]+\s+)?(?P<verb>{'|'.join(_WORDS['saying'])})\s+(?:that\s+)?"
    r"(?P<what>[^.;:,()!?\n]+)",
    re.IGNORECASE,
)


#: "6 week backlog to 2 weeks": the thing a length sizes, before the length it went to.
_SIZED_THING = re.compile(
    rf"{_NUM}[-\s](?:{_DURATION_WORD})s?\s+"
    r"(?P<what>[A-Za-z-]+(?:\s+(?!(?:down|to|into)\b)[A-Za-z-]+)?)\s+(?:down\s+)?(?:to|into)\b",
    re.IGNORECASE,
)


def _what_changed(
    sentence: str, claim_start: int, claim_end: int, *, compares: bool = False, saving: str = ""
) -> str:
    """The words naming what changed: a noun right after the number ("30% fewer calls"),
    the object of the change verb before it ("cut permit processing"), the subject of the
    clause ("rejected milk fell"), else the verb itself, else, for a claim that ``compares``
    two values, the heading before its colon ("Fewer procedures withdrawn at the last
    minute: 1 this year, 5 the year before": "procedures withdrawn at last minute"), as a
    list of claims is told; what a measure measures names it
    ("11 km of cast iron mains instead of 6": "cast iron mains"), and what a share of people
    say ("78% say CPD is relevant": "say CPD is relevant"), and what a return period is of
    ("a 1-in-100-year storm": "storm"). A claim of an amount saved names the ``saving`` in
    its words' order: the verb before what was saved ("We saved 500 kg of fertiliser":
    "saved fertiliser"), after who or what saved it ("Fixing the leaks saved 250 m3 a day":
    "fixing leaks saved"), else alone ("saved")."""
    period_of = _PERIOD_OF.match(sentence, claim_start, claim_end)
    if period_of is not None:
        return _as_said(period_of.group(1))
    sized = _SIZED_THING.match(sentence, claim_start, claim_end) if compares else None
    if sized is not None:  # "6 week backlog to 2 weeks": the backlog
        return " ".join(_as_said(w) for w in sized.group("what").split())
    after = _AFTER_NOUN.match(sentence, claim_end)
    if after is not None and after.group(1).lower() not in _PREPOSITIONS:
        return _as_said(after.group(1))
    measured = _MEASURED.match(sentence, claim_start, claim_start + _REACH)
    if measured is not None:  # "of the water": the article is skipped, the words after end it
        words = re.findall(r"[A-Za-z][A-Za-z-]*", measured.group("what"))
        words = words[1:] if words and words[0].lower() in _ARTICLES else words
        stop = next((i for i, w in enumerate(words) if w.lower() in _NOT_MEASURED), len(words))
        if stop:
            return " ".join([saving] * bool(saving) + [_as_said(w) for w in words[:stop]])
    says = _SAYS.match(sentence, claim_end, claim_end + _REACH)
    if says is not None:
        words = [_as_said(w) for w in says.group("what").split()][:6]
        return " ".join([says.group("verb").lower(), *words])
    first = _clause_start(sentence, claim_start)
    # a verb that starts by the claim's start: "halved" is its claim
    verbs = [
        m for m in _VERBS.finditer(sentence, first, claim_start + 40) if m.start() <= claim_start
    ]
    verb = verbs[-1] if verbs else None
    # "Costs went down, on average, by 20%": an aside, not the verb's object
    aside = verb is not None and sentence[verb.end() : claim_start].lstrip().startswith(",")
    if verb is not None and verb.end() <= claim_start and not aside:
        region = sentence[verb.end() : claim_start]
        between = [_as_said(w) for w in re.findall(r"[A-Za-z][A-Za-z'-]*", region)]
        small = _ARTICLES | _PREPOSITIONS | _FILLER
        while between and between[0].lower() in small:
            between.pop(0)
        while between and between[-1].lower() in small:
            between.pop()
        said = {w.lower() for w in between}
        if between and not re.search(r"[\d€$£(]", region) and not said & _PRONOUNS:
            return " ".join(
                [saving] * bool(saving) + [w for w in between if w.lower() not in _ARTICLES]
            )
    head = sentence[first : verb.start() if verb is not None else claim_start]
    subject = _subject(head)
    if subject:
        return f"{subject} {saving}".strip()
    if compares and verb is None and not head.strip() and first <= _REACH:
        return _heading(sentence[:first])
    return saving or (verb.group(0).lower() if verb is not None else "")


#: A sentence's opening words before a colon, one clause ("Fewer procedures withdrawn at
#: the last minute: 1 this year, 5 the year before"; not "The trip costs less when two
#: schools share a coach: £380 saved").
_HEADING = re.compile(
    r"\s*(?P<words>(?:(?!\b(?:and|but|that|which|when|because|though|although|while)\b)"
    r"[^:;,()\[\]])+?)\s*:\s*",
    re.IGNORECASE,
)


def _heading(before: str) -> str:
    """What changed, named by the opening words ``before`` a claim's clause when they are a
    heading ending in a colon; the comparison word that starts them is the claim's
    direction, not its name; "" for any other words.

    Examples
    --------
    >>> _heading("Fewer procedures withdrawn at the last minute: ")
    'procedures withdrawn at last minute'
    >>> _heading("Fewer missed doses (audit: "), _heading("")
    ('', '')
    """
    heading = _HEADING.fullmatch(before)
    if heading is None:
        return ""
    words = _subject(heading.group("words")).split()
    while words and _cue_sign(words[0].lower()):
        words.pop(0)  # "fewer", "more"
    return " ".join(words)


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


def _claim_elsewhere(claim: _Claim) -> bool:
    """Whether a claim outside the fields asked for numbers still claims value: a change
    from one amount to another, or time or money that went up or down ("saves me 4 hours a
    week", "£12,000 a year less on dressings")."""
    if not math.isnan(claim.baseline):
        return True
    base = str(claim.unit).split("/")[0]
    return claim.direction != 0 and (base in TIME_UNITS or base in _MONEY_UNITS)


def quantities(
    codes_or_stories: pd.DataFrame,
    *,
    fields: Sequence[str] | None = ("organization", "story"),
    changes_elsewhere: bool = True,
    progress: bool = True,
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
        for numbers, and the free narrative ``story``, which has no such answer); None
        reads every field.
    changes_elsewhere : bool
        Also keep, from every other field, the claims of a change from one amount to
        another ("re-referrals fell from 31 to 19" in a ``practice`` answer, "12 -> 8
        days") and of time or money gained or saved ("it saves me 4 hours a week"): a count
        elsewhere ("two webinars", "we meet 2 hours a month") is no claim, a change is.
    progress : bool
        Show a progress bar over the texts when reading them takes more than a second.

    Returns
    -------
    DataFrame
        One row per claim: ``doc_id``, ``field``, ``start``, ``end`` and ``quote`` (the
        sentence that makes the claim, offsets into the field's text), ``number`` (the
        value claimed; for "from 6 weeks to 3" the new value, 3), ``unit`` ("%", "EUR",
        "USD", "GBP", another ISO 4217 code for a local sign or code before or after the
        amount ("MK 18,000" -> "MWK", "KSh 500" -> "KES", "₦50,000" -> "NGN"; "kwacha" for
        a bare "K", which Malawi and Zambia share), "hours", "days", "weeks", "months",
        "years", "minutes", "people", a unit of measure such as "km", "m³" or "kWh",
        another plural noun such as "members", "x" for a factor, a rate such as
        "hours/month", "EUR/month" or "m³/day", or ""), ``change`` (the words
        naming what changed, "" when none), ``direction`` (+1 up, -1 down, 0 unknown; an
        amount saved or avoided is up, a gain, though less was spent: "saved £4,000" is
        +1, its change "saved"; "costs fell by £2k" and "we lost 3 members" are -1); then
        ``expression`` (the words of the number) and ``baseline`` (the "from" value, NaN
        when none; a range it left, "from 20-30 a week to 5", counts as its middle, 25, as
        does a range it came to, "to 10-15", 12.5, while a scale or a bracket, "changed from
        1-5 to 1-4", is no amount and no claim; the duration a duration replaced, "in a day
        instead of a week", is given in the claim's unit, 7 days), and ``baseline_said``
        (that baseline in its own unit, as a reader says it, when it was given in the
        claim's unit to compare them: "3 months" of "in 3 weeks not 3 months", whose
        baseline is 13.04 weeks; "" for any other claim).

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
    from tqdm.auto import tqdm

    texts = list(_texts(codes_or_stories, fields))
    if fields is not None and changes_elsewhere:
        chosen = set(fields)
        texts += [t for t in _texts(codes_or_stories, None) if t[1] not in chosen]
    for doc_id, field, offset, text in tqdm(
        texts, desc="quantities", unit="text", disable=not progress, delay=1
    ):
        elsewhere = fields is not None and field not in fields
        for s_start, s_end, sentence in _sentences(text):
            hyphened = _hyphened(sentence)
            worded = _without_dates(hyphened)  # what changed is read in it
            for claim in _claims(hyphened):
                if elsewhere and not _claim_elsewhere(claim):
                    continue
                rows.append(
                    (
                        doc_id,
                        field,
                        offset + s_start,
                        offset + s_end,
                        sentence,
                        float(claim.number),
                        claim.unit,
                        _what_changed(
                            worded,
                            claim.start,
                            claim.end,
                            compares=not math.isnan(claim.baseline),
                            saving=claim.saving,
                        ),
                        claim.direction,
                        sentence[claim.start : claim.end],
                        claim.baseline,
                        claim.baseline_said,
                    )
                )
    dtypes = {
        "doc_id": "string", "field": "string", "start": "int64", "end": "int64",
        "quote": "string", "number": "float64", "unit": "string", "change": "string",
        "direction": "int64", "expression": "string", "baseline": "float64",
        "baseline_said": "string",
    }  # fmt: skip
    return pd.DataFrame(rows, columns=list(dtypes)).astype(dtypes)
