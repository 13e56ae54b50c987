"""Property tests: formatted numbers and dates parse back; no input crashes a parser."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.validate.parse import is_blank, parse_code, parse_date, parse_integer, parse_number, parse_text

GROUP_SEPARATORS = ["", " ", "\u00a0", "\u202f", "\u2009"]


def _format(value: float, group: str, decimal: str) -> str:
    whole, _, fraction = f"{abs(value):.2f}".partition(".")
    groups = [whole[max(0, i - 3) : i] for i in range(len(whole), 0, -3)][::-1]
    return ("-" if value < 0 else "") + group.join(groups) + decimal + fraction


@settings(max_examples=200, deadline=None)
@given(
    value=st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
    group=st.sampled_from([*GROUP_SEPARATORS, ",", "."]),
    decimal=st.sampled_from([",", "."]),
)
def test_formatted_numbers_parse_back(value: float, group: str, decimal: str) -> None:
    if group == decimal:
        decimal = "," if group == "." else "."
    text = _format(value, group, decimal)
    numbers, bad = parse_number(pd.Series([text], dtype=object))
    assert not bad[0], text
    assert round(numbers[0], 2) == round(float(f"{value:.2f}"), 2)


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)))
def test_dates_written_day_first_parse_back(day: dt.date) -> None:
    dates, bad = parse_date(pd.Series([day.strftime("%d.%m.%Y"), day.isoformat()], dtype=object))
    assert not bad.any()
    assert [d.date() for d in dates] == [day, day]


CELL = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.floats(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.sampled_from(["", " ", "\u00a0", "\u200b", "1 234,5", "15.03.2026", "=SUM(A1)", "1,234,56", "%"]),
)


@settings(max_examples=100, deadline=None)
@given(values=st.lists(CELL, max_size=12))
def test_no_input_crashes_a_parser(values: list[object]) -> None:
    series = pd.Series(values, dtype=object)
    for parse in (parse_number, parse_integer, parse_date):
        parsed, bad = parse(series)
        assert len(parsed) == len(bad) == len(series)
        assert not (bad & is_blank(series)).any()
    assert len(parse_text(series)) == len(parse_code(series)) == len(series)
