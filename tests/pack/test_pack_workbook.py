"""pack.xlsx read back with openpyxl: hand-computed totals, NA cells, text stays text, layout, determinism."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from council.catalog import load_catalog
from tasks.pack import PACK_XLSX, write_pack
from tests.aggregate.pack_inputs_builder import (
    BUILT_AT,
    FORMULA_DECISION,
    FORMULA_FILE,
    KPI_ROWS,
    PERIOD,
    PLUS_DECISION,
    SUBMISSION_ROWS,
    make_inputs,
)

CATALOG = load_catalog()
LANG = "en"


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pack")
    write_pack(make_inputs(), CATALOG, out, LANG, code_version="test", pdf=False)
    return out / PACK_XLSX


def kpi_row(sheet: Worksheet, indicator: str) -> tuple[Any, ...]:
    name = CATALOG.indicators[indicator].name(LANG)
    rows = [row for row in sheet.iter_rows(values_only=True) if row[0] == name]
    assert len(rows) == 1, rows
    return rows[0]


def hand_total(area: str, indicator: str) -> float:
    """The reviewed period's value of an area, summed straight from the builder's rows."""
    return sum(
        r["value"]
        for r in KPI_ROWS
        if (r["period"], r["priority_area"], r["indicator_code"]) == (PERIOD, area, indicator)
        and r["obs_status"] != "M"
    )


def test_sheets_in_order(pack: Path) -> None:
    book = openpyxl.load_workbook(pack)
    annexes = [f"annex_{centre}" for centre in CATALOG.centres]
    dashboards = [*CATALOG.codes("priority_area"), "ALL"]
    middle = ["trend", "portfolio", "budget", *annexes, "completeness", "methodology"]
    assert book.sheetnames == ["summary", *dashboards, *middle, "data"]


@pytest.mark.parametrize(
    ("area", "indicator"),
    [("AGRITECH", "JOBS_CREATED"), ("GREENTECH", "INVEST_PRIVATE_KZT"), ("MEDTECH", "JOBS_CREATED")],
)
def test_dashboard_values_equal_hand_totals(pack: Path, area: str, indicator: str) -> None:
    row = kpi_row(openpyxl.load_workbook(pack)[area], indicator)
    assert row[2] == pytest.approx(hand_total(area, indicator))


def test_all_rows_are_not_added_into_areas_and_total_counts_each_centre_once(pack: Path) -> None:
    book = openpyxl.load_workbook(pack)
    areas = [kpi_row(book[a], "JOBS_CREATED")[2] for a in ("MEDTECH", "AGRITECH", "GREENTECH")]
    assert sum(areas) == 4 + 15 + 7
    assert kpi_row(book["ALL"], "JOBS_CREATED")[2] == 30 + 7 + 4


def test_agritech_jobs_row_in_full(pack: Path) -> None:
    row = kpi_row(openpyxl.load_workbook(pack)["AGRITECH"], "JOBS_CREATED")
    assert row[1] == CATALOG.code_label("unit", "COUNT", LANG)
    assert row[2:10] == pytest.approx((15, 25, 0.6, 12, 0.25, 10, 0.5, 1))
    assert row[10] == CATALOG.code_label("rag", "RED", LANG)  # 60 % is under the amber threshold


def test_missing_previous_period_reads_no_data_not_zero_nor_blank(pack: Path) -> None:
    row = kpi_row(openpyxl.load_workbook(pack)["GREENTECH"], "JOBS_CREATED")
    assert row[5] == row[6] == CATALOG.text("pack.no_data", LANG)


def test_summary_headline_total_column(pack: Path) -> None:
    sheet = openpyxl.load_workbook(pack)["summary"]
    jobs = next(r for r in sheet.iter_rows(values_only=True) if r[0] == CATALOG.text("pack.headline_jobs", LANG))
    assert jobs[1:6] == (4, 15, 7, CATALOG.text("pack.no_data", LANG), 41)


def test_formula_like_text_stays_text(pack: Path) -> None:
    book = openpyxl.load_workbook(pack)
    cells = {c.value: c for sheet in book for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    for text in (FORMULA_DECISION, PLUS_DECISION, FORMULA_FILE):
        assert cells[text].data_type == "s"
    assert not any(c.data_type == "f" for sheet in book for row in sheet.iter_rows() for c in row)


def test_number_formats_and_print_setup(pack: Path) -> None:
    sheet = openpyxl.load_workbook(pack)["GREENTECH"]
    name = CATALOG.indicators["INVEST_PRIVATE_KZT"].name(LANG)
    cells = next(r for r in sheet.iter_rows() if r[0].value == name)
    assert cells[2].number_format == "#,##0.00" and cells[4].number_format == "0.0%"
    assert sheet.freeze_panes == "A5"
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
    # One page wide (1 is the default, so it is left out of the file), as many pages tall as needed.
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth in (None, 1, "1")
    assert int(sheet.page_setup.fitToHeight) == 0


def test_native_charts_are_included(pack: Path) -> None:
    with zipfile.ZipFile(pack) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) >= 2


def test_workbook_created_is_the_latest_report_received_not_the_build_time(pack: Path) -> None:
    created = openpyxl.load_workbook(pack).properties.created
    latest = max(s["received_at"] for s in SUBMISSION_ROWS if "received_at" in s)
    assert created is not None and created.replace(tzinfo=None) == latest.replace(tzinfo=None)
    assert created.replace(tzinfo=None) != BUILT_AT.replace(tzinfo=None)


def test_building_twice_gives_identical_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    inputs = make_inputs()
    write_pack(inputs, CATALOG, first, "ru", code_version="v1", pdf=False)
    shuffled = make_inputs(kpi=inputs.kpi.sample(frac=1, random_state=3))
    write_pack(shuffled, CATALOG, second, "ru", code_version="v1", pdf=False)
    for name in ("pack.xlsx", "pack.html", "manifest.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes()


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_language_builds_with_its_own_titles(tmp_path: Path, lang: str) -> None:
    write_pack(make_inputs(), CATALOG, tmp_path, lang, code_version="test", pdf=False)
    summary = openpyxl.load_workbook(tmp_path / PACK_XLSX)["summary"]
    assert summary["A1"].value == CATALOG.text("pack.title", lang)


def test_unknown_language_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_pack(make_inputs(), CATALOG, tmp_path, "de", code_version="test")


def test_data_sheet_is_long_format_with_schema_codes(pack: Path) -> None:
    rows = list(openpyxl.load_workbook(pack)["data"].iter_rows(values_only=True))
    kpi_fields = [c for c in CATALOG.sheets["kpi"].codes if c != "comment"]
    assert list(rows[0]) == ["period", "centre", *kpi_fields, "submission_id"]
    assert len(rows) - 1 == len(KPI_ROWS)
    keys = [(r[0], r[1], r[3], r[2]) for r in rows[1:]]  # period, centre, area, indicator
    assert keys == sorted(keys)


def test_every_sheet_prints_landscape_a4_within_a_print_area(pack: Path) -> None:
    for sheet in openpyxl.load_workbook(pack).worksheets:
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert sheet.page_setup.paperSize == 9, sheet.title  # A4
        assert sheet.print_area, sheet.title
