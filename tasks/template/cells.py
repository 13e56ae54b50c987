"""Cell formats and typed cell writing shared by every sheet of the template."""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from council.catalog import Field

# Excel number formats per schema `format`, then per field type; "@" keeps typed digits as text,
# so a BIN like 010203400123 typed into an empty cell keeps its leading zero.
NUMBER_FORMATS = {"money": "#,##0.00", "percent": "0.0%"}
TYPE_FORMATS = {"date": "dd.mm.yyyy", "integer": "0", "string": "@", "number": "General"}
DATE_FORMAT = TYPE_FORMATS["date"]

INPUT_FILL = "#FFF2CC"
COMPUTED_FILL = "#E7E6E6"
HEADER_FILL = "#DDEBF7"

_STYLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 14},
    "subtitle": {"bold": True, "font_size": 11},
    "heading": {"bold": True, "bottom": 1},
    "text": {"text_wrap": True, "valign": "top"},
    "code": {"font_color": "#808080", "font_size": 8},
    "label": {"bold": True, "text_wrap": True, "valign": "top", "bg_color": HEADER_FILL, "border": 1},
    "label_computed": {"bold": True, "text_wrap": True, "valign": "top", "bg_color": COMPUTED_FILL, "border": 1},
}


class Styles:
    """One xlsxwriter Format per distinct property set (Excel caps the number of cell styles)."""

    def __init__(self, workbook: Workbook) -> None:
        self._workbook = workbook
        self._cache: dict[tuple[tuple[str, Any], ...], Format] = {}

    def get(self, name: str | None = None, **props: Any) -> Format:
        merged = {**_STYLES.get(name or "", {}), **props}
        key = tuple(sorted(merged.items()))
        if key not in self._cache:
            self._cache[key] = self._workbook.add_format(merged)
        return self._cache[key]

    def field_input(self, field: Field, **props: Any) -> Format:
        """An unlocked cell of an input column, with the column's number format."""
        return self.get(num_format=num_format(field), locked=False, **props)

    def field_computed(self, field: Field) -> Format:
        """A locked, grey cell of a computed column."""
        return self.get(num_format=num_format(field), locked=True, bg_color=COMPUTED_FILL)


def num_format(field: Field) -> str:
    """The Excel number format of a field: its schema format, else its type's."""
    return NUMBER_FORMATS.get(field.format or "", TYPE_FORMATS.get(field.type, "General"))


def excel_serial(day: date) -> float:
    """A date or datetime as an Excel day serial (the value a date cell holds)."""
    moment = day if isinstance(day, datetime) else datetime(day.year, day.month, day.day)
    return (moment.replace(tzinfo=None) - datetime(1899, 12, 30)).total_seconds() / 86400


def write_value(sheet: Worksheet, row: int, col: int, value: object, cell_format: Format | None = None) -> None:
    """Write one value by its Python type: text stays text (even "=1+1"), numbers numbers, dates real dates."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value, cell_format)
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, col, float(value), cell_format)
    elif isinstance(value, datetime | date):
        sheet.write_datetime(row, col, value, cell_format)
    else:
        text = str(value)
        if text:
            sheet.write_string(row, col, text, cell_format)
