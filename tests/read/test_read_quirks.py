"""What readers hide and the preflight's XML scan tells: formulas without values, merged ranges, hidden rows."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from tasks.read import IsolatedReader, RawWorkbook, ReadLimits
from tasks.read.model import SheetQuirks
from tasks.read.preflight import preflight_scan
from tasks.read.quirkscan import QuirkScan

LIMITS = ReadLimits()
SHEET = "xl/worksheets/sheet1.xml"


def quirky_book(tmp_path: Path) -> Path:
    """A user's edits in a spreadsheet program, saved by openpyxl (which stores formulas without values)."""
    book = openpyxl.Workbook()
    kpi = book.active
    kpi.title = "kpi"
    for row in (["code", "value"], ["Код", "Значение"], ["A", "=SUM(1,2)"], ["B", 5], ["C", 6], ["D", 7]):
        kpi.append(row)
    kpi.merge_cells("A1:B1")
    kpi.merge_cells("A5:A6")
    kpi.row_dimensions[1].hidden = True
    kpi.row_dimensions[4].hidden = True
    kpi.row_dimensions[9].hidden = True  # an empty hidden row hides nothing
    book.create_sheet("plain").append(["x", 1])
    path = tmp_path / "quirky.xlsx"
    book.save(path)
    return path


def scan(xml: bytes, chunk: int) -> SheetQuirks:
    quirks = QuirkScan()
    for start in range(0, len(xml), chunk):
        quirks.feed(xml[start : start + chunk])
    return quirks.finish()


def sheet_xml(rows: str, after: str = "", prefix: str = "") -> bytes:
    root = f"{prefix}:worksheet" if prefix else "worksheet"
    ns = f"xmlns{':' + prefix if prefix else ''}"
    data = f"{prefix + ':' if prefix else ''}sheetData"
    body = f'<{root} {ns}="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><{data}>{rows}</{data}>'
    return f'<?xml version="1.0"?>{body}{after}</{root}>'.encode()


def test_the_reader_reports_formulas_without_values_merges_and_hidden_rows(
    tmp_path: Path, reader: IsolatedReader
) -> None:
    book = reader.read(quirky_book(tmp_path), LIMITS)
    assert isinstance(book, RawWorkbook)
    kpi = book.sheets["kpi"]
    assert kpi.formula_cells_without_value == ("B3",)
    assert set(kpi.merged_ranges) == {"A1:B1", "A5:A6"}
    assert kpi.hidden_rows == (1, 4)
    assert kpi.rows[3] == ["B", 5]  # a hidden row is still read as data
    assert kpi.rows[2][1] == ""  # what every reader makes of a formula without a value
    plain = book.sheets["plain"]
    assert (plain.formula_cells_without_value, plain.merged_ranges, plain.hidden_rows) == ((), (), ())


def test_without_the_preflight_nothing_is_claimed(tmp_path: Path, reader: IsolatedReader) -> None:
    book = reader.read(quirky_book(tmp_path), LIMITS, check=False)
    assert isinstance(book, RawWorkbook)
    assert book.sheets["kpi"].merged_ranges == ()


def test_preflight_scan_keys_quirks_by_sheet_name(tmp_path: Path) -> None:
    found = preflight_scan(quirky_book(tmp_path), LIMITS)
    assert isinstance(found, dict)
    assert set(found) == {"kpi", "plain"}
    assert found["kpi"].hidden_rows == (1, 4)


CELLS = (
    '<row r="3"><c r="A3" t="s"><v>0</v></c><c r="B3"><f>SUM(A1:A2)</f></c></row>'  # no <v> at all
    '<row r="4"><c r="B4"><f>A1*2</f><v/></c><c r="C4"><f>A1</f><v></v></c></row>'  # empty values
    '<row r="5"><c r="B5"><f t="shared" ref="B5:B6" si="0">A5*2</f><v>4</v></c></row>'  # cached: quiet
    '<row r="6"><c r="B6"><f t="shared" si="0"/></c></row>'  # a shared formula's follower without value
    '<row r="7"><c r="B7" t="str"><f>IF(1,"","x")</f><v></v></c></row>'  # cached empty text: quiet
    '<row r="8" hidden="true"><c r="A8"><v>1</v></c></row>'
    '<row r="9" hidden="1"/><row r="10" hidden="1" spans="1:2"></row>'  # hidden but empty: quiet
)
EXPECTED = SheetQuirks(("B3", "B4", "C4", "B6"), ("B8:C9", "D2:E2"), (8,))
MERGES = '<mergeCells count="2"><mergeCell ref="B8:C9"/><mergeCell ref="D2:E2"/></mergeCells>'


@pytest.mark.parametrize("chunk", [1, 7, 64, 10**6])
def test_the_scan_does_not_depend_on_where_chunks_end(chunk: int) -> None:
    assert scan(sheet_xml(CELLS, MERGES), chunk) == EXPECTED


def test_prefixed_markup_is_scanned_too() -> None:
    rows = '<x:row r="2" hidden="1"><x:c r="A2"><x:f>1+1</x:f></x:c></x:row>'
    merges = '<x:mergeCells><x:mergeCell ref="A2:A3"/></x:mergeCells>'
    assert scan(sheet_xml(rows, merges, prefix="x"), 5) == SheetQuirks(("A2",), ("A2:A3",), (2,))


def test_rows_and_cells_without_r_are_counted_like_readers_count_them() -> None:
    rows = '<row r="2"><c><v>1</v></c></row><row hidden="1"><c><v>1</v></c><c><f>A3</f></c></row>'
    assert scan(sheet_xml(rows), 3) == SheetQuirks(("B3",), (), (3,))


def test_formulas_outside_cells_are_not_cell_formulas() -> None:
    ext = "<extLst><ext><x14:dataValidations><x14:dataValidation><xm:f>codes!$A$1</xm:f></x14:dataValidation>"
    ext += "</x14:dataValidations></ext></extLst>"
    assert scan(sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>', ext), 11) == SheetQuirks()


def test_hidden_columns_are_not_hidden_rows(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.column_dimensions["A"].hidden = True
    book.active.append([1, 2])
    path = tmp_path / "cols.xlsx"
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        assert b'hidden="1"' in archive.read(SHEET)
    found = preflight_scan(path, LIMITS)
    assert isinstance(found, dict)
    assert found["Sheet"] == SheetQuirks()
