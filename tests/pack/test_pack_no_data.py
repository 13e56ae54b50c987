"""Nothing reported reads "no data" in the pack's language, never a blank; charts still see a gap, not a 0."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import range_boundaries

from council.catalog import load_catalog
from tasks.aggregate import build_tables
from tasks.pack import PACK_XLSX, write_pack
from tasks.pack.html import render_html
from tests.aggregate.pack_inputs_builder import make_inputs

CATALOG = load_catalog()


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pack")
    write_pack(make_inputs(), CATALOG, out, "kk", code_version="t", pdf=False)
    return out / PACK_XLSX


def test_a_centre_that_sent_nothing_reads_no_data_in_the_completeness_annex(pack: Path) -> None:
    sheet = openpyxl.load_workbook(pack)["completeness"]
    energy = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "ENERGY")
    assert energy[3] == energy[5 + 2] == CATALOG.text("pack.no_data", "kk")  # timeliness, errors


def test_chart_ranges_hold_numbers_or_gaps_never_the_no_data_text(pack: Path) -> None:
    """A chart would plot the text "no data" as 0: every range a chart reads is numbers and blanks."""
    book = openpyxl.load_workbook(pack)
    with zipfile.ZipFile(pack) as archive:
        charts = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/charts/chart")]
    ranges = [r for xml in charts for r in re.findall(r"<c:val><c:numRef><c:f>([^<]+)</c:f>", xml)]
    assert len(ranges) >= 3
    gaps = 0
    for reference in ranges:
        sheet, cells = reference.rsplit("!", 1)
        low_col, low_row, high_col, high_row = range_boundaries(cells.replace("$", ""))
        block = book[sheet.strip("'")].iter_rows(low_row, high_row, low_col, high_col, values_only=True)
        values = [v for row in block for v in row]
        assert all(v is None or isinstance(v, int | float) for v in values), (reference, values)
        gaps += values.count(None)
    assert gaps > 0  # the builder has KPIs without a target: the check met a missing value


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_html_reads_no_data_where_a_figure_is_missing(lang: str) -> None:
    inputs = make_inputs()
    page = render_html(inputs, CATALOG, build_tables(inputs, CATALOG), lang)
    assert f'<span class="muted">{CATALOG.text("pack.no_data", lang)}</span>' in page
    assert "<td></td>" not in page
