"""SVG charts of pack.html: every label inside its chart (measured in real Chromium), gridlines, gaps."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from council.catalog import load_catalog
from tasks.aggregate import build_tables
from tasks.pack.browser import browser_page, find_chromium
from tasks.pack.charts_svg import hbar_chart, line_chart, nice_ticks
from tasks.pack.font_metrics import CODEPOINTS, DEJAVU_SANS, TABLE, read_advance_widths
from tasks.pack.html import render_html
from tasks.pack.html_style import CSS
from tasks.pack.text_width import text_width
from tests.aggregate.pack_inputs_builder import make_inputs
from tests.requires import needs

CATALOG = load_catalog()
COLOURS = ["#2F6DB5", "#5FA55A", "#E0A030", "#8E6BBF"]
needs_chromium = needs(find_chromium() is not None, "headless Chromium not installed")

# Every <text> box against its <svg> box, as laid out by the browser (CSS pixels, half a pixel of rounding).
LABELS_OUTSIDE = """JSON.stringify([...document.querySelectorAll('svg.chart')].flatMap((svg, n) => {
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].map(t => [n, t.textContent, t.getBoundingClientRect()])
    .filter(([, , r]) => r.left < box.left - 0.5 || r.right > box.right + 0.5
                      || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
    .map(([n, text, r]) => ({chart: n, text, left: r.left, right: r.right, svg: [box.left, box.right]}));
}))"""
TEXT_COUNT = "document.querySelectorAll('svg.chart text').length"


def labels_outside(page_file: Path, width: int) -> tuple[list[dict[str, object]], int]:
    """Labels whose box leaves their chart in Chromium at a window `width` wide, and how many labels there are."""
    with browser_page() as page:
        page.open(page_file)
        page.call("Emulation.setDeviceMetricsOverride", width=width, height=900, deviceScaleFactor=1, mobile=False)
        outside = page.call("Runtime.evaluate", expression=LABELS_OUTSIDE, returnByValue=True)["result"]["value"]
        count = page.call("Runtime.evaluate", expression=TEXT_COUNT, returnByValue=True)["result"]["value"]
    return json.loads(outside), int(count)


def charts_page(tmp_path: Path, charts: list[str]) -> Path:
    path = tmp_path / "charts.html"
    path.write_text(f"<!DOCTYPE html><html><head><style>{CSS}</style></head><body>{''.join(charts)}</body></html>")
    return path


def long_label_charts() -> list[str]:
    """The longest names the catalogue has, in Kazakh, with big amounts and missing values."""
    names = sorted((i.name("kk") for i in CATALOG.indicators.values()), key=len, reverse=True)[:6]
    values = [12.5, None, 0.4, 3.0, 0.0, 1.1]
    bars = hbar_chart("kk", names, values, lambda v: f"{v:.0%}", COLOURS, "деректер жоқ")
    money = hbar_chart("money", ["МедТех", "Басқа"], [98_765_432_109.99, 1.0], lambda v: f"{v:,.0f}", COLOURS)
    areas = [CATALOG.code_label("priority_area_or_all", a, "kk") for a in CATALOG.codes("priority_area")]
    series = [(a, [1e10 * (n + 1), None, 3e10, 4.5e10]) for n, a in enumerate(areas)]
    trend = line_chart("trend", ["2024S2", "2025S1", "2025S2", "2026S1"], series, lambda v: f"{v:,.0f}", COLOURS)
    return [bars, money, trend]


@needs_chromium
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_pack_chart_label_lies_inside_its_chart(tmp_path: Path, lang: str) -> None:
    inputs = make_inputs()
    page = tmp_path / "pack.html"
    page.write_text(render_html(inputs, CATALOG, build_tables(inputs, CATALOG), lang), encoding="utf-8")
    for width in (1280, 390):  # a desk and a phone
        outside, count = labels_outside(page, width)
        assert count > 10 and outside == [], (width, outside)


@needs_chromium
def test_longest_labels_and_largest_amounts_fit(tmp_path: Path) -> None:
    outside, count = labels_outside(charts_page(tmp_path, long_label_charts()), 1280)
    assert count > 20 and outside == []


@needs_chromium
def test_the_check_sees_a_label_that_is_cut_off(tmp_path: Path) -> None:
    """Guard: the measurement above would fail on a chart that cuts a label off."""
    cut = '<svg class="chart" viewBox="0 0 200 40"><text x="-30" y="20">a label cut off at the left</text></svg>'
    outside, _ = labels_outside(charts_page(tmp_path, [cut]), 1280)
    assert [o["text"] for o in outside] == ["a label cut off at the left"]


def test_measured_width_matches_the_font() -> None:
    """DejaVu Sans at 13 px: 'M' is 1767/2048 em wide; the slack is a few per cent."""
    assert text_width("M", 13) == pytest.approx(13 * 1767 / 2048, rel=0.07)
    assert text_width("ққққ", 13) > text_width("iiii", 13) * 1.5


def test_trend_has_gridlines_and_at_least_four_value_ticks() -> None:
    for top in (0.0, 1.0, 7.3, 10.0, 1234.5, 98_765_432_109.0):
        ticks = nice_ticks(top)
        assert len(ticks) >= 4 and ticks[0] == 0 and ticks[-1] >= top, (top, ticks)
    svg = line_chart("t", ["a", "b", "c"], [("x", [1.0, 5.0, 9.0])], str, COLOURS)
    assert svg.count('class="grid"') >= 4


def test_a_missing_value_is_a_gap_not_a_line_across_it() -> None:
    svg = line_chart("t", ["a", "b", "c", "d", "e"], [("x", [1.0, 2.0, None, 4.0, 5.0])], str, COLOURS)
    lines = re.findall(r'<polyline points="([^"]+)"', svg)
    assert [len(points.split()) for points in lines] == [2, 2]  # a-b and d-e, nothing drawn over c
    assert svg.count("<circle") == 4


def test_a_lone_value_between_gaps_is_a_dot() -> None:
    svg = line_chart("t", ["a", "b", "c"], [("x", [None, 2.0, None])], str, COLOURS)
    assert "<polyline" not in svg and svg.count("<circle") == 1


def test_no_data_in_a_chart_reads_as_no_data() -> None:
    bars = hbar_chart("t", ["a", "b"], [None, 1.0], str, COLOURS, "нет данных")
    trend = line_chart("t", ["a", "b"], [("x", [None, None])], str, COLOURS, "нет данных")
    assert "нет данных" in bars and "нет данных" in trend


@needs(DEJAVU_SANS.exists(), "DejaVu Sans not installed")
def test_the_width_table_is_the_installed_fonts() -> None:
    """The committed table is what `python -m tasks.pack.font_metrics` reads from the font, nothing hand-made."""
    assert read_advance_widths(DEJAVU_SANS, CODEPOINTS) == json.loads(TABLE.read_text(encoding="utf-8"))
