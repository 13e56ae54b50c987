"""The pack's Excel plumbing: safe workbook options, shared formats, value-aware cell writing, print setup."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from tasks.aggregate.rag import AMBER, GREEN, RED, pack_config

# Submitters' text that starts with = + - @ must stay text: Excel would run it as a formula
# (a formula-injection risk), and "+7 701 ..." phone numbers or "1 234,5" must not turn into numbers.
SAFE_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
MONEY, WHOLE, DECIMAL, PERCENT, CHANGE = "#,##0.00", "#,##0", "#,##0.00", "0.0%", "+0.0%;-0.0%;0.0%"
DATETIME = "yyyy-mm-dd hh:mm"
A4 = 9


@dataclass(frozen=True)
class Formats:
    """The handful of cell formats every sheet of the pack shares."""

    title: Format
    subtitle: Format
    header: Format
    text: Format
    bold: Format
    money: Format
    whole: Format
    decimal: Format
    percent: Format
    change: Format
    datetime: Format
    no_data: Format
    rag: dict[str, Format]


def open_workbook(path: Path, created: datetime) -> tuple[Workbook, Formats]:
    """A workbook that never turns text into formulas, URLs or numbers, with a fixed creation time."""
    book = xlsxwriter.Workbook(str(path), SAFE_OPTIONS)
    # A fixed `created` keeps docProps (and so the file's bytes) identical across rebuilds.
    book.set_properties({"created": utc_naive(created)})
    number = {"valign": "top"}
    formats = Formats(
        title=book.add_format({"bold": True, "font_size": 14}),
        subtitle=book.add_format({"italic": True, "font_color": "#595959"}),
        header=book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1}),
        text=book.add_format({"text_wrap": True, "valign": "top"}),
        bold=book.add_format({"bold": True, "valign": "top"}),
        money=book.add_format(number | {"num_format": MONEY}),
        whole=book.add_format(number | {"num_format": WHOLE}),
        decimal=book.add_format(number | {"num_format": DECIMAL}),
        percent=book.add_format(number | {"num_format": PERCENT}),
        change=book.add_format(number | {"num_format": CHANGE}),
        datetime=book.add_format(number | {"num_format": DATETIME}),
        no_data=book.add_format(number | {"italic": True, "font_color": "#7F7F7F", "align": "right"}),
        rag={code: book.add_format(number | {"bg_color": colour, "bold": True}) for code, colour in rag_colours()},
    )
    return book, formats


def rag_colours() -> list[tuple[str, str]]:
    """(rating code, fill colour) pairs from schemas/pack.yaml."""
    colours = pack_config()["colours"]
    return [(code, str(colours[code])) for code in (RED, AMBER, GREEN)]


def utc_naive(value: datetime) -> datetime:
    """The UTC wall time without tzinfo, as Excel stores it (a naive value is taken as UTC already)."""
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def is_missing(value: Any) -> bool:
    """True for None, NaN, NaT and pandas' NA: cells that must stay blank (never 0)."""
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def write_value(sheet: Worksheet, row: int, col: int, value: Any, fmt: Format | None = None) -> None:
    """Write one cell by the value's type; text always as a string cell."""
    if is_missing(value):
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, bool | np.bool_):
        sheet.write_boolean(row, col, bool(value), fmt)
    elif isinstance(value, int | float | np.integer | np.floating):
        sheet.write_number(row, col, float(value), fmt)
    elif isinstance(value, datetime):
        sheet.write_datetime(row, col, utc_naive(value), fmt)
    elif isinstance(value, date):
        sheet.write_datetime(row, col, datetime(value.year, value.month, value.day), fmt)
    else:
        sheet.write_string(row, col, str(value), fmt)


def write_row(sheet: Worksheet, row: int, values: Sequence[Any], formats: Sequence[Format | None]) -> None:
    """Write `values` from column A, each with the format at the same position."""
    for col, (value, fmt) in enumerate(zip(values, formats, strict=True)):
        write_value(sheet, row, col, value, fmt)


def write_header(sheet: Worksheet, row: int, labels: Sequence[str], formats: Formats) -> None:
    """A header row of labels, repeated on every printed page."""
    write_row(sheet, row, labels, [formats.header] * len(labels))
    sheet.set_row(row, 30)  # two lines: "Change vs 2025S2" wraps in narrow columns
    sheet.repeat_rows(row)


def set_up_page(sheet: Worksheet, widths: Sequence[float], freeze_row: int | None = None) -> None:
    """Landscape A4 fitted to one page wide, column widths, frozen rows above `freeze_row`."""
    sheet.set_landscape()
    sheet.set_paper(A4)
    sheet.fit_to_pages(1, 0)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    if freeze_row is not None:
        sheet.freeze_panes(freeze_row, 0)


CHART_ROWS, CHART_COLUMNS = 24, 10  # what a chart at CHART_SIZE covers from its anchor cell, generously
# A4 landscape less xlsxwriter's default margins (0.7" sides, 0.75" top and bottom), in pixels at 96 dpi.
PRINTABLE_W_PX, PRINTABLE_H_PX = 988, 650
PAGE_SLACK = 0.85  # repeated header rows and whole-row page ends take some of a page
ZOOM_TOLERANCE = 1.1  # Excel and LibreOffice size columns a little differently: assume up to 10 % less zoom-out


def _print_extent(sheet: Worksheet) -> tuple[int, int]:
    """Last row and column of the used cells and of the charts anchored below or beside them."""
    last_row, last_col = sheet.dim_rowmax or 0, sheet.dim_colmax or 0
    for anchor_row, anchor_col, *_ in sheet.charts:
        last_row, last_col = max(last_row, anchor_row + CHART_ROWS), max(last_col, anchor_col + CHART_COLUMNS)
    return last_row, last_col


def set_print_area(sheet: Worksheet) -> None:
    """Print exactly the used cells and the charts anchored below or beside them."""
    if sheet.dim_rowmax is None:
        return
    sheet.print_area(0, 0, *_print_extent(sheet))


def least_page_px(sheet: Worksheet) -> float:
    """The least height of the sheet one printed page holds, fitted to one page wide (zooming out, never in)."""
    width = sum(sheet._size_col(col) for col in range(_print_extent(sheet)[1] + 1))
    zoom = min(1.0, PRINTABLE_W_PX / max(width, 1) * ZOOM_TOLERANCE)
    return PRINTABLE_H_PX / zoom * PAGE_SLACK


def _top_px(sheet: Worksheet, row: int) -> float:
    return float(sum(sheet._size_row(r) for r in range(row)))


def keep_charts_whole(sheet: Worksheet) -> list[int]:
    """Start a chart on a new page unless it surely ends on the page it starts on; returns the rows broken before.

    Page ends fall a little differently in Excel and LibreOffice, so a chart stays where it is only when it
    ends within the least a page holds from the sheet's (or the last break's) top; otherwise it starts a page
    of its own, which it always fits (a chart is about half a page).
    """
    page = least_page_px(sheet)
    breaks, page_top = [], 0.0
    for row, _col, chart, _x, y_offset, _xs, y_scale, *_ in sorted(sheet.charts, key=lambda c: (c[0], c[1])):
        top = _top_px(sheet, row) + y_offset
        if top + chart.height * y_scale > page_top + page:
            breaks.append(row)
            page_top = _top_px(sheet, row)
    if breaks:
        sheet.set_h_pagebreaks(breaks)
    return breaks


def mark_draft(sheet: Worksheet, mark: str, text_width_px: float, column: int | None = None) -> None:
    """A draft says so on screen (a red box at the top, a red tab) and on paper (header and footer).

    The box goes right of the titles, or at `column` where row 1 is a table header it must not cover.
    """
    printed = mark.replace("&", "&&")  # & starts a code in Excel's header language
    sheet.set_header(f'&C&"-,Bold"&14&KC00000{printed}')
    sheet.set_footer(f'&L&"-,Bold"&KC00000{printed}&R&P / &N')
    sheet.set_tab_color("#C00000")
    sheet.insert_textbox(0, _mark_column(sheet) if column is None else column, mark, _draft_box(text_width_px))


DRAFT_BOX_AFTER_PX = 560  # right of the sheet titles (column A and a little more), so no title is covered


def _mark_column(sheet: Worksheet) -> int:
    """The first column starting at least DRAFT_BOX_AFTER_PX from the left."""
    col, left = 0, 0
    while left < DRAFT_BOX_AFTER_PX:
        left += sheet._size_col(col)
        col += 1
    return col


def _draft_box(text_width_px: float) -> dict[str, Any]:
    return {
        "width": int(text_width_px) + 24,
        "height": 26,
        "font": {"bold": True, "color": "#C00000", "size": 11},
        "border": {"color": "#C00000", "width": 1.5},
        "fill": {"color": "#FFF0F0"},
        "align": {"vertical": "middle", "horizontal": "center"},
        "object_position": 3,
    }
