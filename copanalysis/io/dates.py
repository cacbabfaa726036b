"""Reading the dates that survey tools and people write, a column at a time.

Survey tools write their own timestamp formats: Google Forms ``2025/01/10 10:10:00`` (or,
through Sheets, ``1/10/2025 10:10:00`` or ``10/01/2025 10:10:00`` by the sheet's locale, and
``2025/01/10 10:10:00 AM GMT+1`` in its own download), Microsoft Forms ``1/10/25 10:10:00``
or real spreadsheet dates, Qualtrics, LimeSurvey, Typeform and REDCap ISO 8601
(``2025-01-10 10:10:00``, ``2025-01-10T10:10:00.000Z``), SurveyMonkey ``01/10/2025
10:10:00 AM``. People write ``10.01.2025``, ``10 January 2025``, ``Jan 10, 2025``,
``10-Jan-25``, ``January 2025`` or ``2025-01``.

``01/02/2025`` is the 1st of February to some and the 2nd of January to others, so
:func:`read_dates` decides the order of a whole column at once, from the column's
unambiguous values (a first number above 12 is a day: ``31/01/2025``), else from its header
(``Date (dd/mm/yyyy)``), else from another column of the same file, else from the
separator (dotted dates are day-first wherever they are written), and otherwise reads
month-first and says that it assumed so. A time zone (``Z``, ``+01:00``, ``GMT+1``,
``UTC``) is converted to UTC and dropped; REDCap's ``[not completed]`` is no date at all.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

__all__ = ["DateOrder", "DateReading", "order_from_header", "parse_date", "read_dates"]

DateOrder = Literal["day-first", "month-first"]

#: Cells that mean "no date", not "a date I cannot read".
NOT_A_DATE = frozenset({"[not completed]", "not completed", "n/a", "na", "-", "--"})

_ZONE = re.compile(
    r"\s*\(?\b(?:GMT|UTC)\s*(?:(?P<sign>[+-])(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?)?\)?$",
    re.IGNORECASE,
)
_TIME = r"(?:[ T,]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,6}))?)?\s*(?P<ampm>[AaPp]\.?\s?[Mm]\.?)?)?"  # noqa: E501
#: 10/01/2025, 10.01.25, 10-01-2025, with an optional time
_NUMERIC = re.compile(
    r"^(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})" + _TIME + "$"
)
#: 2025/01/10, 2025.01.10, with an optional time (ISO with dashes goes to fromisoformat first)
_YEAR_FIRST = re.compile(
    r"^(?P<year>\d{4})(?P<sep>[./-])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})" + _TIME + "$"
)
_HEADER_DAY_FIRST = re.compile(r"\b(?:dd?|jj)\s*[./-]\s*mm?\b", re.IGNORECASE)
_HEADER_MONTH_FIRST = re.compile(r"\bmm?\s*[./-]\s*dd?\b", re.IGNORECASE)

#: Forms with month names, or only part of a date, tried in order with ``strptime``.
_NAMED_FORMATS: tuple[str, ...] = (
    "%d %B %Y",
    "%d %b %Y",
    "%d %b. %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%b. %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%d %B, %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%d %B %Y %H:%M",
    "%d %b %Y %H:%M",
    "%B %d, %Y %I:%M %p",
    "%b %d, %Y %I:%M %p",
    "%B %d, %Y %H:%M",
    "%b %d, %Y %H:%M",
    "%A, %B %d, %Y",
    "%A, %d %B %Y",
    "%B %Y",
    "%b %Y",
    "%b. %Y",
    "%Y-%m",
    "%Y/%m",
    "%m/%Y",
    "%m.%Y",
    "%Y",
)


def _timestamp(value: dt.datetime) -> pd.Timestamp:
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return pd.Timestamp(value)


def _time_of(match: re.Match[str]) -> tuple[int, int, int, int]:
    if match.group("hour") is None:
        return 0, 0, 0, 0
    hour, minute = int(match.group("hour")), int(match.group("minute"))
    second = int(match.group("second") or 0)
    fraction = match.group("fraction") or ""
    micro = int((fraction + "000000")[:6]) if fraction else 0
    ampm = (match.group("ampm") or "").lower().replace(".", "").replace(" ", "")
    if ampm:
        if not 1 <= hour <= 12:
            raise ValueError("12-hour clock")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    return hour, minute, second, micro


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if len(text) == 2 and year < 70 else year + 1900 if len(text) == 2 else year


def _split_zone(text: str) -> tuple[str, dt.timezone | None]:
    zone = _ZONE.search(text)
    if zone is None or zone.start() == 0:
        return text, None
    offset = dt.timedelta(0)
    if zone.group("sign"):
        offset = dt.timedelta(
            hours=int(zone.group("hours")), minutes=int(zone.group("minutes") or 0)
        )
        if zone.group("sign") == "-":
            offset = -offset
    return text[: zone.start()].strip(), dt.timezone(offset)


def _parse(text: str, order: DateOrder | None) -> pd.Timestamp | None:
    """One date; ``order`` None tries month-first, then day-first (dotted: the reverse)."""
    try:
        return _timestamp(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        pass
    text, zone = _split_zone(text)
    found: dt.datetime | None = None
    numeric = _NUMERIC.match(text)
    if numeric:
        a, b = int(numeric.group("a")), int(numeric.group("b"))
        year = _year(numeric.group("year"))
        # a single value: month-first, then day-first; dotted dates are day-first
        guesses = ("month-first", "day-first")
        if numeric.group("sep") == ".":
            guesses = ("day-first", "month-first")
        for first in guesses if order is None else (order,):
            month, day = (a, b) if first == "month-first" else (b, a)
            try:
                found = dt.datetime(year, month, day, *_time_of(numeric))
                break
            except ValueError:
                continue
    elif (whole := _YEAR_FIRST.match(text)) is not None:
        try:
            found = dt.datetime(
                int(whole.group("year")),
                int(whole.group("month")),
                int(whole.group("day")),
                *_time_of(whole),
            )
        except ValueError:
            found = None
    else:
        for fmt in _NAMED_FORMATS:
            try:
                found = dt.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
    if found is None:
        return None
    if zone is not None:
        found = found.replace(tzinfo=zone)
    return _timestamp(found)


def _clean(value: object) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = re.sub(r"\s+", " ", str(value)).strip()
    if not text or text.lower() in NOT_A_DATE:
        return None
    return text


#: Excel's day numbers (the 1900 date system, as Excel counts them: day 1 is 1900-01-01,
#: with its phantom 29 February 1900), from 1954 to 2064: a date cell that lost its format.
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
_SERIALS = (20_000, 60_000)
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def parse_date(value: object, *, dayfirst: bool | None = None) -> pd.Timestamp | None:
    """Parse one date; None when it is empty or in no known format.

    A single value cannot tell ``01/02/2025``'s order: month-first is tried first, then
    day-first (for dotted dates, ``01.02.2025``, day-first first), unless ``dayfirst``
    says which. For a column of dates use
    :func:`read_dates`, which decides the order from the whole column.

    Examples
    --------
    >>> [str(parse_date(v)) for v in ("2025-03-14", "3/14/2025 10:22:05", "14.03.2025")]
    ['2025-03-14 00:00:00', '2025-03-14 10:22:05', '2025-03-14 00:00:00']
    >>> str(parse_date("2025/01/10 10:10:00 AM GMT+1"))
    '2025-01-10 09:10:00'
    >>> str(parse_date("01/02/2025", dayfirst=True))
    '2025-02-01 00:00:00'
    >>> str(parse_date("March 2025")), str(parse_date("2025-03"))
    ('2025-03-01 00:00:00', '2025-03-01 00:00:00')
    >>> parse_date("sometime last spring") is None, parse_date("[not completed]") is None
    (True, True)
    """
    if isinstance(value, dt.datetime):
        return _timestamp(value)
    text = _clean(value)
    if text is None:
        return None
    order: DateOrder | None = (
        None if dayfirst is None else "day-first" if dayfirst else "month-first"
    )
    return _parse(text, order)


@dataclass(frozen=True)
class DateReading:
    """What :func:`read_dates` made of a column.

    Attributes
    ----------
    values : list of Timestamp or None
        One per input value; None where it was empty or could not be read.
    order : str or None
        ``"day-first"``, ``"month-first"``, ``"assumed month-first"`` (no value, header or
        other column told; the load report flags it), ``"mixed"`` (some values are
        unambiguously day-first and others month-first: each was read by its own numbers,
        the ambiguous ones by the more common order), or None when no value has the
        ``01/02/2025`` shape.
    why : str
        What decided the order, for the load report.
    bad : list of int
        Positions (in the input) of values that are no date in any known format.
    serials : list of int
        Positions of values read as Excel serial day numbers (``45736`` is 2025-03-20):
        a workbook's date cell that lost its date format.
    shifted : list of int
        Positions of values given in a time zone other than UTC ("10:12 AM GMT+1",
        "2025-03-10T10:12:00+01:00"), whose time was moved to UTC.
    """

    values: list[pd.Timestamp | None]
    order: str | None
    why: str = ""
    bad: list[int] = field(default_factory=list)
    serials: list[int] = field(default_factory=list)
    shifted: list[int] = field(default_factory=list)

    def report(self) -> dict[str, object]:
        """``{"order", "why"}`` for a load report (JSON-serialisable)."""
        return {"order": self.order, "why": self.why}


def order_from_header(header: str) -> DateOrder | None:
    """The day/month order a header spells out ("Date (dd/mm/yyyy)"), or None.

    Examples
    --------
    >>> order_from_header("Date of the activity (dd/mm/yyyy)"), order_from_header("Date")
    ('day-first', None)
    >>> order_from_header("When? (MM/DD/YYYY)")
    'month-first'
    """
    if _HEADER_DAY_FIRST.search(header):
        return "day-first"
    if _HEADER_MONTH_FIRST.search(header):
        return "month-first"
    return None


def read_dates(
    values: Sequence[object],
    *,
    labels: Sequence[str] | None = None,
    header: str | None = None,
    dayfirst: bool | None = None,
    fallback: DateOrder | None = None,
    fallback_why: str = "as the file's other date column",
) -> DateReading:
    """Read a column of dates, deciding day-first or month-first for the whole column.

    The order comes from, in turn: ``dayfirst`` (the caller's word); the column's values
    when some are unambiguous (``31/01/2025`` is day-first, ``01/31/2025`` month-first);
    the ``header`` ("Date (dd/mm/yyyy)"); ``fallback`` (the order another column of the
    same file showed); dotted dates (``10.01.2025``: day-first wherever they are written);
    otherwise month-first, reported as ``"assumed month-first"``.

    Parameters
    ----------
    values : sequence
        The cells (text, datetimes, or None).
    labels : sequence of str, optional
        Where each value is ("row 4"), to say which value decided the order.
    header : str, optional
        The column's header.
    dayfirst : bool, optional
        Force the order.
    fallback : {"day-first", "month-first"}, optional
        The order to use when the column itself cannot tell.
    fallback_why : str
        Where ``fallback`` comes from, for the load report.

    Returns
    -------
    DateReading

    Examples
    --------
    >>> reading = read_dates(["03/02/2025", "31/01/2025", "", "soon"],
    ...                      labels=["row 2", "row 3", "row 4", "row 5"])
    >>> [str(v.date()) if v is not None else None for v in reading.values]
    ['2025-02-03', '2025-01-31', None, None]
    >>> reading.order, reading.why, reading.bad
    ('day-first', "row 3: '31/01/2025'", [3])
    >>> read_dates(["03/02/2025"]).order
    'assumed month-first'
    >>> read_dates(["03/02/2025"], header="Date (dd/mm/yyyy)").why
    "the header says so: 'Date (dd/mm/yyyy)'"
    >>> reading = read_dates(["45736", "2025-03-28"])  # a date cell that lost its format
    >>> [str(v.date()) for v in reading.values], reading.serials
    (['2025-03-20', '2025-03-28'], [0])
    """
    texts: list[str | None] = []
    direct: dict[int, pd.Timestamp] = {}
    for i, value in enumerate(values):
        if isinstance(value, dt.datetime):
            direct[i] = _timestamp(value)
            texts.append(None)
        else:
            texts.append(_clean(value))
    day_evidence: list[int] = []
    month_evidence: list[int] = []
    dotted = shaped = 0
    per_value: dict[int, DateOrder] = {}
    for i, text in enumerate(texts):
        if text is None:
            continue
        numeric = _NUMERIC.match(_split_zone(text)[0])
        if numeric is None:
            continue
        shaped += 1
        dotted += numeric.group("sep") == "."
        a, b = int(numeric.group("a")), int(numeric.group("b"))
        if a > 12 >= b:
            day_evidence.append(i)
            per_value[i] = "day-first"
        elif b > 12 >= a:
            month_evidence.append(i)
            per_value[i] = "month-first"

    def where(i: int) -> str:
        label = labels[i] if labels is not None else f"value {i + 1}"
        return f"{label}: {texts[i]!r}"

    order: str | None
    column_order: DateOrder
    if not shaped:  # ISO dates, "10 January 2025": no order to settle, dayfirst or not
        column_order, order, why = "month-first", None, ""
    elif dayfirst is not None:
        column_order = "day-first" if dayfirst else "month-first"
        order, why = column_order, f"dayfirst={dayfirst}"
    elif day_evidence and month_evidence:
        column_order = "day-first" if len(day_evidence) >= len(month_evidence) else "month-first"
        order = "mixed"
        ambiguous = shaped - len(day_evidence) - len(month_evidence)
        why = (
            f"day-first at {where(day_evidence[0])}, month-first at {where(month_evidence[0])}; "
            f"the {ambiguous} ambiguous one{'s' if ambiguous != 1 else ''} read {column_order}"
        )
    elif day_evidence or month_evidence:
        column_order = "day-first" if day_evidence else "month-first"
        order, why = column_order, where((day_evidence or month_evidence)[0])
    elif header is not None and (said := order_from_header(header)) is not None:
        column_order, order, why = said, said, f"the header says so: {header!r}"
    elif fallback is not None:
        column_order, order, why = fallback, fallback, fallback_why
    elif dotted == shaped:
        column_order, order, why = "day-first", "day-first", "dotted dates are day-first"
    else:
        column_order, order = "month-first", "assumed month-first"
        why = "no day above 12 in any value, and the header does not say"
    parsed: list[pd.Timestamp | None] = []
    bad: list[int] = []
    serials: list[int] = []
    for i, text in enumerate(texts):
        if text is None and i not in direct:
            parsed.append(None)
            continue
        serial = _SERIAL.fullmatch(str(text)) if i not in direct else None
        if i in direct:
            stamp: pd.Timestamp | None = direct[i]
        elif serial is not None and _SERIALS[0] <= float(str(text)) <= _SERIALS[1]:
            stamp = _timestamp(_EXCEL_EPOCH + dt.timedelta(days=float(str(text))))
            serials.append(i)
        else:
            own = per_value.get(i, column_order) if order == "mixed" else column_order
            stamp = _parse(str(text), own)
        if stamp is None or not pd.Timestamp.min <= stamp <= pd.Timestamp.max:
            bad.append(i)  # no date, or one a date column cannot hold (the year 1000)
            stamp = None
        parsed.append(stamp)
    shifted = [i for i, v in enumerate(values) if parsed[i] is not None and _offset(v)]
    return DateReading(parsed, order, why, bad, serials, shifted)


def _offset(value: Any) -> bool:
    """Whether a date value is given in a time zone other than UTC.

    Examples
    --------
    >>> [_offset(v) for v in ("2025/03/10 10:12:04 AM GMT+1", "10:12 UTC", "2025-03-10",
    ...                       "2025-03-10T10:12:00+01:00", "2025-03-10T10:12:00Z")]
    [True, False, False, True, False]
    """
    if isinstance(value, str):
        text = value.strip()
        zone = _split_zone(text)[1]
        if zone is not None:  # "GMT+1", "UTC"
            return zone.utcoffset(None) != dt.timedelta(0)
        try:  # ISO 8601 with an offset, as _parse reads it
            value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return False
    if not isinstance(value, dt.datetime):
        return False
    offset = value.utcoffset()
    return offset is not None and offset != dt.timedelta(0)
