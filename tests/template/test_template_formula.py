"""Computed-column formulas: placed in cells and evaluated as Excel would (the cached value)."""

from __future__ import annotations

from datetime import date

import pytest

from council.catalog import load_catalog
from tasks.template.formula import evaluate, place

EXECUTION = load_catalog().sheets["budget"].field("execution_pct").computed or ""


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"plan_corrected_kzt": 200.0, "spent_kzt": 150.0}, 0.75),
        ({"plan_corrected_kzt": 0.0, "spent_kzt": 10.0}, ""),
        ({"plan_corrected_kzt": None, "spent_kzt": None}, ""),
        ({"plan_corrected_kzt": "text", "spent_kzt": 1.0}, ""),  # N(text) = 0
        ({"plan_corrected_kzt": 4.0, "spent_kzt": "1 234,5"}, "#VALUE!"),
    ],
)
def test_execution_formula_evaluates_like_excel(values: dict, expected: object) -> None:
    assert evaluate(EXECUTION, values) == expected


def test_place_replaces_codes_but_not_text_literals() -> None:
    assert place(EXECUTION, {"plan_corrected_kzt": "E3", "spent_kzt": "G3"}) == '=IF(N(E3)=0,"",G3/E3)'
    assert place('=IF(a="a","a",a)', {"a": "B7"}) == '=IF(B7="a","a",B7)'


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("=-2^2+3*(1+1)", 10.0),
        ('=1&"a"', "1a"),
        ("=IF(1>2,1)", False),
        ("=ROUND(1/3,2)", 0.33),
        ("=MAX(1,5,3)-MIN(4,2)", 3.0),
        ("=AND(1,0)", False),
        ("=1/0", "#DIV/0!"),
        ("=UNKNOWN(1)", "#NAME?"),
        ("=missing_code", "#NAME?"),
    ],
)
def test_excel_subset(formula: str, expected: object) -> None:
    assert evaluate(formula, {}) == expected


def test_blank_equals_empty_text_and_zero_and_dates_are_serials() -> None:
    assert evaluate('=IF(a="",1,2)', {"a": None}) == 1
    assert evaluate("=IF(a=0,1,2)", {"a": None}) == 1
    assert evaluate("=b-a", {"a": date(2026, 1, 1), "b": date(2026, 1, 31)}) == 30
