"""Dates as survey tools and people write them, and the day/month order of a column."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from copanalysis.io.dates import order_from_header, parse_date, read_dates


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025/01/10 10:10:00", "2025-01-10 10:10:00"),  # Google Forms
        ("2025/01/10 10:10:00 AM GMT+1", "2025-01-10 09:10:00"),  # its own download
        ("2025/01/10 2:05:09 PM GMT-05:00", "2025-01-10 19:05:09"),
        ("1/10/25 10:10:00", "2025-01-10 10:10:00"),  # Microsoft Forms
        ("1/10/2025 10:10:00 AM", "2025-01-10 10:10:00"),
        ("2025-01-10 10:10:00", "2025-01-10 10:10:00"),  # Qualtrics, LimeSurvey, Typeform
        ("2025-01-10T10:10:00.000Z", "2025-01-10 10:10:00"),
        ("2025-01-10 10:10", "2025-01-10 10:10:00"),  # REDCap
        ("01/10/2025 06:45:12 PM", "2025-01-10 18:45:12"),  # SurveyMonkey
        ("10.01.2025 10:10", "2025-01-10 10:10:00"),
        ("10 January 2025", "2025-01-10"),
        ("Jan 10, 2025", "2025-01-10"),
        ("10-Jan-25", "2025-01-10"),
        ("Friday, January 10, 2025", "2025-01-10"),
        ("January 2025", "2025-01-01"),
        ("2025-01", "2025-01-01"),
        ("2025", "2025-01-01"),
    ],
)
def test_every_tools_format(value, expected):
    assert parse_date(value) == pd.Timestamp(expected)


@pytest.mark.parametrize("value", ["", "[not completed]", "soon", "31/02/2025", "13/13/2025"])
def test_no_date_or_an_impossible_one_is_none(value):
    assert parse_date(value) is None


def test_a_column_is_read_in_one_order_and_says_why():
    reading = read_dates(["01/02/2025", "02/13/2025", None, dt.datetime(2025, 3, 1, 9, 0)])
    assert reading.values == [
        pd.Timestamp("2025-01-02"),
        pd.Timestamp("2025-02-13"),
        None,
        pd.Timestamp("2025-03-01 09:00"),
    ]
    assert (reading.order, reading.why) == ("month-first", "value 2: '02/13/2025'")
    mixed = read_dates(["13/01/2025", "01/14/2025", "02/03/2025", "14/02/2025"])
    assert mixed.order == "mixed"
    assert [str(v.date()) for v in mixed.values] == [
        "2025-01-13",
        "2025-01-14",
        "2025-03-02",  # the ambiguous one, by the commoner order (day-first, 2 to 1)
        "2025-02-14",
    ]
    assert read_dates(["02/03/2025"], fallback="day-first").values == [pd.Timestamp("2025-03-02")]
    assert read_dates(["02.03.2025"]).order == "day-first"
    assert read_dates(["02/03/2025"], dayfirst=False).order == "month-first"
    assert read_dates(["2025-03-02", "spring"]).bad == [1]
    assert read_dates(["2025-03-02"]).order is None  # nothing ambiguous to decide


@pytest.mark.parametrize(
    ("header", "order"),
    [
        ("Date of the activity (dd/mm/yyyy)", "day-first"),
        ("Datum (DD.MM.YYYY)", "day-first"),
        ("When? (MM/DD/YYYY)", "month-first"),
        ("Date", None),
    ],
)
def test_the_header_can_say_the_order(header, order):
    assert order_from_header(header) == order


def test_dayfirst_says_nothing_of_a_column_with_no_ambiguous_shape() -> None:
    reading = read_dates(["2025-01-31 10:00", "10 January 2025"], dayfirst=True)
    assert reading.order is None and reading.why == ""  # it said "day-first (dayfirst=True)"
    assert read_dates(["01/02/2025"], dayfirst=True).order == "day-first"


def test_a_date_a_date_column_cannot_hold_is_unreadable_not_a_crash() -> None:
    # the fuzz tests found an XLSX date of the year 1000: load_stories raised
    # OutOfBoundsDatetime when it made the column datetime64[ns]
    reading = read_dates([dt.datetime(1000, 1, 1), "1000-01-01", "2025-01-31"])
    assert reading.values == [None, None, pd.Timestamp("2025-01-31")]
    assert reading.bad == [0, 1]


def test_an_excel_day_number_in_a_date_column_is_read_and_noted(tmp_path) -> None:
    import openpyxl

    from copanalysis.io import load_stories

    path = tmp_path / "survey.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ID", "Date of the activity", "What specific insights did you gain?"])
    sheet.append(["1", 45736, "A new handover."])  # a date cell that lost its format
    sheet.append(["2", "14/03/2025", "Bar models."])
    book.save(path)
    stories = load_stories(path)
    assert [str(d.date()) for d in stories["date"]] == ["2025-03-20", "2025-03-14"]
    (note,) = [n for n in stories.attrs["load_report"]["files"][0]["notes"] if "Excel day" in n]
    assert "row 2: '45736' -> 2025-03-20" in note
