"""No chart in pack.xlsx is split across a printed page: one that could straddle a page end starts a new page."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from council.catalog import load_catalog
from tasks.pack import PACK_XLSX, write_pack
from tasks.pack.excel import PRINTABLE_H_PX, keep_charts_whole, least_page_px, set_print_area
from tasks.pack.summary import CHART_SIZE
from tests.aggregate.pack_inputs_builder import frame, make_inputs, narrative

CATALOG = load_catalog()


def sheet_with_chart(path: Path, rows: int, chart_row: int) -> tuple[xlsxwriter.Workbook, Worksheet]:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("s")
    sheet.fit_to_pages(1, 0)
    for row in range(rows):
        sheet.write_number(row, 0, row)
    chart = book.add_chart({"type": "column"})
    chart.add_series({"values": ["s", 0, 0, rows - 1, 0]})
    sheet.insert_chart(chart_row, 0, chart, CHART_SIZE)
    set_print_area(sheet)
    return book, sheet


def test_a_chart_that_could_straddle_a_page_end_starts_a_new_page(tmp_path: Path) -> None:
    book, sheet = sheet_with_chart(tmp_path / "a.xlsx", 40, 42)
    assert keep_charts_whole(sheet) == [42]
    book.close()
    assert [b.id for b in openpyxl.load_workbook(tmp_path / "a.xlsx")["s"].row_breaks.brk] == [42]


def test_a_chart_that_surely_ends_on_the_first_page_stays_put(tmp_path: Path) -> None:
    book, sheet = sheet_with_chart(tmp_path / "b.xlsx", 5, 7)
    assert keep_charts_whole(sheet) == []
    book.close()


def test_a_chart_fits_on_a_page_of_its_own() -> None:
    """Why a break before a chart is enough: the chart is shorter than the least a page holds at 100 %."""
    book = xlsxwriter.Workbook(str(Path("/dev/null")))
    chart_height = book.add_chart({"type": "column"}).height * CHART_SIZE["y_scale"]
    sheet = book.add_worksheet()
    assert chart_height < least_page_px(sheet) <= PRINTABLE_H_PX


def test_a_long_summary_puts_its_chart_on_a_new_page(tmp_path: Path) -> None:
    """Thirty decision requests push the summary's chart down the sheet: it must not start near a page end."""
    rows = [narrative("AGRO", "DECISION_REQUEST", f"Request {n}: " + "words " * 30, "AGRITECH") for n in range(30)]
    inputs = make_inputs(narrative=frame(CATALOG, "narrative", rows))
    write_pack(inputs, CATALOG, tmp_path, "ru", code_version="t", pdf=False)
    summary = openpyxl.load_workbook(tmp_path / PACK_XLSX)["summary"]
    anchors = [chart.anchor._from.row for chart in summary._charts]
    assert anchors and [b.id for b in summary.row_breaks.brk] == anchors
