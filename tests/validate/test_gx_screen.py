"""The vectorised screen in front of GX: it may send GX too much, never too little.

GX decides every finding; the screen only spares it the expectations that cannot fail. These tests
hold the screen to that: on awkward frames every expectation GX fails is one the screen suspected,
and whole workbooks give the same problems with the screen on and off.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from council.catalog import Catalog
from tasks.read import IsolatedReader
from tasks.samples import generate_rows
from tasks.validate import suites
from tasks.validate.suites import ROW_ID, Expect, might_fail, run_suite
from tests.validate.test_validate_rules import CELL_RULES, QUIET
from tests.validate.workbooks import NOW, judge_file, rows_with, write_report

# Awkward columns: nulls of every kind, mixed types, invisible and non-ASCII text, duplicates among nulls.
AWKWARD: dict[str, list[Any]] = {
    "code": ["A", "B", None, np.nan, "a", "A "],
    "text": ["short", "x" * 12, None, "жоба", "", "😀" * 5],
    "number": [1.0, 9.0, np.nan, 10.0, -0.5, 1e308],
    "mixed": [1, "1", None, 2.5, True, dt.date(2025, 1, 1)],
    "dates": [pd.Timestamp("2025-01-01"), pd.NaT, pd.Timestamp("2026-06-30"), None, None, None],
    "flag": [True, True, False, True, True, True],
    "id": ["P-1", "P-2", "P-1", None, None, "P-3"],
    "pair_a": ["X", "X", None, None, "Y", "Y"],
    "pair_b": [1.0, 1.0, None, None, 2.0, 3.0],
}

SPECS: list[Expect] = [
    *(Expect("cell.required", "not_null", c) for c in AWKWARD),
    Expect("cell.codelist", "in_set", "code", {"value_set": ["A", "B"]}),
    Expect("cell.codelist", "in_set", "mixed", {"value_set": [1, "1"]}),
    Expect("cell.codelist", "in_set", "flag", {"value_set": [True]}),
    Expect("cell.range", "between", "number", {"min_value": 0, "max_value": 10}),
    Expect("cell.range", "between", "number", {"min_value": -1, "max_value": None}),
    Expect("cell.range", "between", "mixed", {"min_value": 0, "max_value": 3}),
    Expect("cell.pattern", "regex", "code", {"regex": "^(?:[A-Z])$"}),
    Expect("cell.pattern", "regex", "mixed", {"regex": "^(?:\\d+)$"}),
    Expect("cell.too_long", "max_length", "text", {"max_value": 10}),
    Expect("cell.too_long", "max_length", "mixed", {"max_value": 3}),
    Expect("cell.unique", "unique", "id"),
    Expect("cell.unique", "unique", "code"),
    Expect("cell.unique", "compound_unique", "pair_a", columns=("pair_a", "pair_b")),
]


def _frame(rows: slice) -> pd.DataFrame:
    frame = pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in AWKWARD.items()}).iloc[rows]
    return frame.assign(**{ROW_ID: range(3, 3 + len(frame))}).reset_index(drop=True)


def _gx_failures(frame: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> set[int]:
    """The expectations GX itself fails when asked about every one of them."""
    with monkeypatch.context() as patched:
        patched.setenv("COUNCIL_GX_SCREEN", "off")
        return set(run_suite(frame, SPECS, "awkward"))


@pytest.mark.parametrize("rows", [slice(None), slice(0, 2), slice(2, 4), slice(4, 6)], ids=str)
def test_every_expectation_gx_fails_is_one_the_screen_suspected(rows: slice, monkeypatch: pytest.MonkeyPatch) -> None:
    frame = _frame(rows)
    failed_in_gx = _gx_failures(frame, monkeypatch)
    suspected = {i for i, spec in enumerate(SPECS) if might_fail(frame, spec)}
    assert failed_in_gx, "the awkward frame should break something, or this test checks nothing"
    assert failed_in_gx <= suspected, [SPECS[i] for i in failed_in_gx - suspected]


def test_a_screened_run_returns_the_same_rows_as_gx_on_the_whole_suite(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = _frame(slice(None))
    monkeypatch.setenv("COUNCIL_GX_SCREEN", "on")
    screened = run_suite(frame, SPECS, "awkward")
    monkeypatch.setenv("COUNCIL_GX_SCREEN", "off")
    assert screened == run_suite(frame, SPECS, "awkward")
    assert screened  # rows were found, so the comparison compared something


@pytest.mark.parametrize("source", ["test rows", "generated sample"])
def test_a_clean_workbook_never_reaches_gx(
    source: str, catalog: Catalog, reader: IsolatedReader, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What makes a clean workbook cheap: the screen clears every expectation of every sheet."""

    def no_gx(*_: object) -> None:
        raise AssertionError("a clean workbook was sent to GX")

    monkeypatch.setattr(suites, "_gx_batch", no_gx)
    rows = rows_with() if source == "test rows" else generate_rows(catalog, "AGRO", "2026S1")
    result = judge_file(reader, write_report(tmp_path, rows), now=NOW)
    assert result.status == "accepted", result.problems
    assert sum(len(frame) for frame in result.frames.values()) > len(result.frames)


CASES = [(rule, changes) for rule, changes, _ in CELL_RULES] + QUIET


@pytest.mark.parametrize(("rule", "changes"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_problems_are_the_same_with_the_screen_on_and_off(
    rule: str,
    changes: dict[str, dict[str, Any]],
    tmp_path: Path,
    reader: IsolatedReader,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = write_report(tmp_path, rows_with(**changes))
    screened = judge_file(reader, path, now=NOW)
    monkeypatch.setenv("COUNCIL_GX_SCREEN", "off")
    assert judge_file(reader, path, now=NOW).problems == screened.problems
