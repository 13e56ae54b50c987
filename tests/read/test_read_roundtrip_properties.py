"""Property: a generated workbook of text, numbers, dates and blanks reads back through the isolated reader
exactly as written (no crash, text byte for byte, dates as dates)."""

from __future__ import annotations

import datetime as dt
import math
import tempfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tasks.read import IsolatedReader, RawWorkbook, ReadLimits

LIMITS = ReadLimits()
# XML 1.0 cannot carry most control characters (openpyxl refuses them); everything else is fair game.
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\t\n"), max_size=40)
TRICKY_TEXT = st.sampled_from(["007", "0012345678", "=SUM(A1:A2)", "+7 701", "-", "1 234,56", "1e5", "TRUE", " x "])
VALUES = st.one_of(
    st.none(),
    TEXT,
    TRICKY_TEXT,
    # Excel's numbers stop at 9.99999999999999E+307; near float max, 16 stored digits would round up to inf.
    st.floats(min_value=-1e307, max_value=1e307),
    st.integers(min_value=-(2**53), max_value=2**53),
    # Excel's calendar starts in 1900 and counts a 29 February 1900 that never was: start after it.
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)).map(
        lambda d: d.replace(microsecond=0)
    ),
)
GRIDS = st.lists(st.lists(VALUES, min_size=1, max_size=6), min_size=1, max_size=8)


@pytest.fixture(scope="module")
def reader() -> Iterator[IsolatedReader]:
    with IsolatedReader(LIMITS.memory_mb) as warm:
        yield warm


def write(grid: list[list[object]], path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "data"
    for r, row in enumerate(grid, start=1):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = sheet.cell(r, c, value)
            if isinstance(value, str):
                cell.data_type = "s"  # text that looks like a formula stays text, as a user typing '=... would get
    book.save(path)


def cell(workbook: RawWorkbook, r: int, c: int) -> object:
    rows = workbook.sheets["data"].rows
    return rows[r][c] if r < len(rows) and c < len(rows[r]) else ""


def same(written: object, got: object) -> bool:
    """Text, dates and blanks exactly (a blank reads as ""); numbers to the 15 digits Excel keeps.

    Writers store a double with 16 significant digits, as Excel does (0.1 + 0.2 is saved as 0.3),
    so the last bit of a Python float does not survive any .xlsx file; the reader adds no loss of its own.
    """
    if written is None:
        return got == ""
    if isinstance(written, (int, float)):
        return type(got) is float and math.isclose(got, written, rel_tol=1e-15, abs_tol=0.0)
    if isinstance(written, dt.datetime) and written.time() == dt.time(0) and type(got) is dt.date:
        return got == written.date()  # calamine gives a whole-day serial as a date: a midnight stamp is that day
    return type(got) is type(written) and got == written


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(grid=GRIDS)
def test_every_value_written_reads_back_equal(reader: IsolatedReader, grid: list[list[object]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.xlsx"
        write(grid, path)
        workbook = reader.read(path, LIMITS)
    assert isinstance(workbook, RawWorkbook), workbook
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            got = cell(workbook, r, c)
            assert same(value, got), (r, c, value, got)
