"""Cell parsers on the spellings centres actually type (numbers, dates, text, codes)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from tasks.validate.parse import is_blank, parse_code, parse_date, parse_integer, parse_number, parse_text


def cells(*values: object) -> pd.Series:
    return pd.Series(list(values), dtype=object)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1234567.89, 1234567.89),
        (5, 5.0),
        ("1234567.89", 1234567.89),
        ("1 234 567,89", 1234567.89),
        ("1\u00a0234\u00a0567,89", 1234567.89),
        ("1\u202f234\u202f567,89", 1234567.89),
        ("1\u2009234,5", 1234.5),
        ("1234567,89", 1234567.89),
        ("1,234,567.89", 1234567.89),
        ("1.234.567,89", 1234567.89),
        ("1.234.567", 1234567.0),
        ("1,234", 1.234),  # one separator + three digits: the ru/kk decimal comma
        ("1.234", 1.234),
        ("-5", -5.0),
        ("\u22123,5", -3.5),
        ("  7\t", 7.0),
        ("\u200b12\u200b", 12.0),
        ("12,5%", 0.125),
        ("1,5E+11", 1.5e11),
        (",5", 0.5),
    ],
)
def test_parse_number_accepts_common_spellings(raw: object, expected: float) -> None:
    numbers, bad = parse_number(cells(raw))
    assert numbers[0] == pytest.approx(expected)
    assert not bad[0]


@pytest.mark.parametrize(
    "raw",
    ["1,234,56", "12abc", "5.", "-", "%", "1 23", "1.234.567.8,9,1", "12 тг", "#N/A", True, False, dt.date(2026, 1, 1)],
)
def test_parse_number_rejects_non_numbers(raw: object) -> None:
    numbers, bad = parse_number(cells(raw))
    assert math.isnan(numbers[0])
    assert bad[0]


def test_blanks_are_nan_and_not_bad() -> None:
    numbers, bad = parse_number(cells("", "  ", "\u00a0\u200b", None, float("nan"), pd.NA))
    assert numbers.isna().all()
    assert not bad.any()
    assert numbers.dtype == "float64"


def test_parsers_keep_the_index_and_do_not_touch_the_input() -> None:
    raw = pd.Series([" 1,5 ", "x", None], index=[7, 8, 9], dtype=object)
    before = raw.copy()
    numbers, bad = parse_number(raw)
    assert list(numbers.index) == [7, 8, 9] and list(bad.index) == [7, 8, 9]
    assert bad.tolist() == [False, True, False]
    pd.testing.assert_series_equal(raw, before)


def test_parse_integer_wants_whole_numbers() -> None:
    values, bad = parse_integer(cells(3.0, "3,0", "1 234", 3.5, "1,234", "x", ""))
    assert values.dtype == "Int64"
    assert values.tolist()[:3] == [3, 3, 1234]
    assert bad.tolist() == [False, False, False, True, True, True, False]


@pytest.mark.parametrize(
    "raw",
    [
        dt.date(2026, 3, 15),
        dt.datetime(2026, 3, 15, 10, 30),
        46096.0,
        "15.03.2026",
        "15/03/2026",
        "15-03-2026",
        "2026-03-15",
        "2026/3/15",
        "15.3.2026",
        "15.03.26",
        "15.03.2026 г.",
        "2026-03-15 00:00:00",
        " 15.03.2026\u00a0",
    ],
)
def test_parse_date_accepts_common_spellings(raw: object) -> None:
    dates, bad = parse_date(cells(raw))
    assert dates[0] == pd.Timestamp("2026-03-15")
    assert not bad[0]
    assert dates.dtype == "datetime64[s]"


@pytest.mark.parametrize(
    "raw",
    ["31.02.2026", "29.02.2025", "00.01.2026", "15.13.2026", "15.03/2026", "03/15/2026", "abc", 0.0, 60.0, 3e6, True],
)
def test_parse_date_rejects_impossible_dates(raw: object) -> None:
    dates, bad = parse_date(cells(raw))
    assert pd.isna(dates[0])
    assert bad[0]


def test_excel_serials_around_the_phantom_leap_day() -> None:
    dates, _ = parse_date(cells(1.0, 59.0, 61.0, 2958465.0))
    assert [d.date() for d in dates] == [
        dt.date(1900, 1, 1),
        dt.date(1900, 2, 28),
        dt.date(1900, 3, 1),
        dt.date(9999, 12, 31),
    ]


def test_two_digit_years_follow_python_percent_y() -> None:
    dates, _ = parse_date(cells("01.01.68", "01.01.69"))
    assert [d.year for d in dates] == [2068, 1969]


def test_parse_text_renders_like_the_user_typed() -> None:
    raw = cells(
        "  Алматы\u00a0", "\u200b", 10203400123.0, 0.1, 7, dt.date(2026, 1, 2), dt.datetime(2026, 1, 2, 3, 4), None
    )
    text = parse_text(raw)
    assert text.tolist()[:2] == ["Алматы", pd.NA]
    assert text.tolist()[2:7] == ["10203400123", "0.1", "7", "2026-01-02", "2026-01-02T03:04:00"]
    assert text.isna().tolist()[-1]


def test_parse_code_is_case_and_layout_insensitive() -> None:
    codes = parse_code(cells("medtech ", "m\u200bedtech", "\u0410", "  ", None))
    assert codes.tolist()[:3] == ["MEDTECH", "MEDTECH", "A"]  # a Cyrillic А typed for obs_status A
    assert codes.isna().tolist()[3:] == [True, True]


def test_is_blank() -> None:
    blank = is_blank(cells("", " ", "\u200b", None, float("nan"), 0, "x", False, np.float64("nan")))
    assert blank.tolist() == [True, True, True, True, True, False, False, False, True]


def test_hidden_characters_are_removed_inside_values_before_parsing() -> None:
    # What the screen shows is what is loaded: a zero-width space inside a number, a bidi override in front of it.
    numbers, bad = parse_number(cells("1\u200b234", "\u202e21", "2\u2066,5\u2069"))
    assert numbers.tolist() == [1234.0, 21.0, 2.5] and not bad.any()
    dates, _ = parse_date(cells("15.\u200e03.2026"))
    assert dates.iloc[0] == pd.Timestamp("2026-03-15")
    text = parse_text(cells("Су\u202eару\u200b жүйесі", "\u2067\u2069"))
    assert text.iloc[0] == "Суару жүйесі" and text.isna().iloc[1]
