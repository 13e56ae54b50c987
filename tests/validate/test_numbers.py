"""council.numbers: one convention per language for every number a centre reads (issue 12)."""

from __future__ import annotations

from datetime import date

import pytest

from council.numbers import (
    NBSP,
    excel_percent,
    format_amount,
    format_count,
    format_date,
    format_number,
    format_percent,
)


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_ru_and_kk_group_with_a_no_break_space_and_use_a_decimal_comma(lang: str) -> None:
    assert format_amount(1234567.89, lang) == f"1{NBSP}234{NBSP}567,89"
    assert format_percent(0.794, lang) == f"79,4{NBSP}%"
    assert format_count(12345, lang) == f"12{NBSP}345"
    assert format_number(-1234.5, lang) == f"-1{NBSP}234,5"
    assert format_date(date(2026, 7, 15), lang) == "15.07.2026"


def test_en_groups_with_commas_and_uses_a_decimal_point() -> None:
    assert format_amount(1234567.89, "en") == "1,234,567.89"
    assert format_percent(0.794, "en") == "79.4%"
    assert format_count(12345, "en") == "12,345"
    assert format_date(date(2026, 7, 15), "en") == "15 July 2026"


def test_a_number_shows_the_decimals_it_has_and_no_float_noise() -> None:
    assert format_number(5.0, "en") == "5"
    assert format_number(0.1 + 0.2, "en") == "0.30000000000000004"  # the value itself, not a rounding of it
    assert format_number(266528753.86, "ru") == f"266{NBSP}528{NBSP}753,86"
    assert format_number(1e15, "en") == "1,000,000,000,000,000"
    assert format_number(1.5, "en", decimals=2) == "1.50"
    assert format_number(-0.001, "en", decimals=1) == "0.0"  # no "-0.0"


def test_an_unknown_language_falls_back_to_russian_conventions() -> None:
    assert format_amount(1000, "de") == format_amount(1000, "ru") == f"1{NBSP}000,00"


def test_excel_percent_format_matches_the_text_convention() -> None:
    assert excel_percent("en") == "0.0%"
    assert excel_percent("ru") == f'0.0"{NBSP}"%'
