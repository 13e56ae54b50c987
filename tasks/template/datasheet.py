"""One data sheet of the template: hidden code row, labels, dropdowns, hints, typed data, protected formulas."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from council.catalog import Catalog, Field, SheetSchema, pick
from tasks.template.cells import Styles, write_value
from tasks.template.formula import evaluate, place

LAST_VALIDATED_ROW = 2000  # Excel row: dropdowns and hints cover the data area down to here
FORMULA_ROWS = 200  # computed formulas are pre-filled this many rows down (more if there is more data)
LABEL_ROW_HEIGHT = 45
BLANK_PRINT_ROWS = 30  # empty rows a printed blank sheet offers (one landscape page)
DATE_RANGE = (date(1990, 1, 1), date(2100, 12, 31))
PROTECTION = {
    "insert_rows": True,
    "delete_rows": True,
    "format_cells": True,
    "format_columns": True,
    "format_rows": True,
    "sort": True,
    "autofilter": True,
    "select_locked_cells": True,
    "select_unlocked_cells": True,
}

Row = Mapping[str, object]


def write_data_sheet(
    sheet: Worksheet,
    catalog: Catalog,
    schema: SheetSchema,
    lang: str,
    rows: Sequence[Row],
    styles: Styles,
    list_sources: Mapping[str, str],
) -> None:
    """Fill one data sheet: header rows, column formats and validations, the rows, the computed column."""
    _check_keys(schema, rows)
    _write_header(sheet, catalog, schema, lang, styles)
    first = catalog.layout["first_data_row"] - 1
    for col, field in enumerate(schema.fields):
        if field.computed:
            _write_computed(sheet, schema, col, field, rows, first, styles)
            continue
        sheet.data_validation(first, col, LAST_VALIDATED_ROW - 1, col, _validation(catalog, field, lang, list_sources))
        for offset, row in enumerate(rows):
            write_value(sheet, first + offset, col, row.get(field.name), styles.field_input(field))
    label_row = catalog.layout["label_row"] - 1
    sheet.freeze_panes(label_row + 1, 0)
    # Printed: landscape A4, all columns on one page width, the labels repeated on every page; the print
    # area stops after the rows given plus room to write by hand, not at the last pre-filled formula
    # (FORMULA_ROWS of them), which printed pages of empty grey cells.
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(label_row)
    sheet.print_area(label_row, 0, first + max(len(rows), BLANK_PRINT_ROWS) - 1, len(schema.fields) - 1)
    sheet.autofilter(label_row, 0, max(label_row + 1, first + len(rows) - 1), len(schema.fields) - 1)
    sheet.protect("", PROTECTION)


def _check_keys(schema: SheetSchema, rows: Sequence[Row]) -> None:
    unknown = sorted({key for row in rows for key in row} - set(schema.codes))
    if unknown:
        raise ValueError(f"rows for sheet {schema.name!r} carry unknown columns: {unknown}")


def _write_header(sheet: Worksheet, catalog: Catalog, schema: SheetSchema, lang: str, styles: Styles) -> None:
    code_row, label_row = catalog.layout["code_row"] - 1, catalog.layout["label_row"] - 1
    sheet.set_row(code_row, None, styles.get("code"), {"hidden": True})
    sheet.set_row(label_row, LABEL_ROW_HEIGHT)
    for col, field in enumerate(schema.fields):
        column_format = styles.field_computed(field) if field.computed else styles.field_input(field)
        sheet.set_column(col, col, column_width(field), column_format)
        sheet.write_string(code_row, col, field.name, styles.get("code"))
        sheet.write_string(
            label_row, col, field.label(lang), styles.get("label_computed" if field.computed else "label")
        )


def column_width(field: Field) -> float:
    """A readable width from the column's type and expected content, wide enough that no word of its
    bold label (in any language) is broken across lines: "Исполнение, %" read "Исполнени / е, %"."""
    return max(_content_width(field), _longest_label_word(field) * BOLD_WORD_WIDTH + 1)


BOLD_WORD_WIDTH = 1.15  # a bold letter is wider than the "0" a column width counts in


def _content_width(field: Field) -> float:
    if field.type == "date":
        return 12
    if field.type == "integer" or field.format == "percent":
        return 11
    if field.type == "number":
        return 18
    if field.codelist:
        return 16
    return min(60, max(14, (field.max_length or 100) / 10))


def _longest_label_word(field: Field) -> int:
    return max((len(word) for label in field.labels.values() for word in label.split()), default=0)


def _write_computed(
    sheet: Worksheet, schema: SheetSchema, col: int, field: Field, rows: Sequence[Row], first: int, styles: Styles
) -> None:
    template = field.computed or ""
    for offset in range(max(len(rows), FORMULA_ROWS)):
        row = first + offset
        refs = {f.name: xl_rowcol_to_cell(row, c) for c, f in enumerate(schema.fields)}
        values = rows[offset] if offset < len(rows) else {}
        # xlsxwriter would cache 0 and non-recalculating readers would see it: cache Excel's own result.
        cached = evaluate(template, {name: values.get(name) for name in schema.codes})
        sheet.write_formula(row, col, place(template, refs), styles.field_computed(field), _cacheable(cached))


def _cacheable(value: object) -> Any:
    if isinstance(value, bool):
        return value
    return "" if value is None else value


def _validation(catalog: Catalog, field: Field, lang: str, list_sources: Mapping[str, str]) -> dict[str, Any]:
    """The data validation of an input column: its kind, and the field's hint as the input message."""
    options = {**_rule(catalog, field, lang, list_sources)}
    options["input_title"] = field.label(lang)[:32]
    options["input_message"] = input_message(catalog, field, lang)[:255]
    if options["validate"] != "any":
        options["error_title"] = catalog.text("template.error_title", lang)[:32]
        options["error_message"] = options["error_message"][:255]
    return options


def _rule(catalog: Catalog, field: Field, lang: str, list_sources: Mapping[str, str]) -> dict[str, Any]:
    # Lists stop a wrong code; numbers and dates only warn: "1 234,5" typed as text is valid
    # input the pipeline converts, and Excel must not block it.
    if field.codelist:
        message = catalog.text("template.error_codelist", lang)
        return {"validate": "list", "source": list_sources[field.codelist], "error_message": message}
    if field.type in ("number", "integer"):
        return {
            **_bounds(field),
            "error_type": "warning",
            "error_message": catalog.text(f"template.error_{field.type}", lang),
        }
    if field.type == "date":
        low, high = DATE_RANGE
        return {
            "validate": "date",
            "criteria": "between",
            "minimum": low,
            "maximum": high,
            "error_type": "warning",
            "error_message": catalog.text("template.error_date", lang),
        }
    if field.max_length:
        message = catalog.text("template.error_length", lang, maximum=field.max_length)
        return {
            "validate": "length",
            "criteria": "<=",
            "value": field.max_length,
            "error_type": "warning",
            "error_message": message,
        }
    return {"validate": "any"}


def _bounds(field: Field) -> dict[str, Any]:
    kind = "integer" if field.type == "integer" else "decimal"
    if field.minimum is not None and field.maximum is not None:
        return {"validate": kind, "criteria": "between", "minimum": field.minimum, "maximum": field.maximum}
    if field.minimum is not None:
        return {"validate": kind, "criteria": ">=", "value": field.minimum}
    if field.maximum is not None:
        return {"validate": kind, "criteria": "<=", "value": field.maximum}
    return {"validate": kind, "criteria": "between", "minimum": -1e15, "maximum": 1e15}


def input_message(catalog: Catalog, field: Field, lang: str) -> str:
    """The hint shown when a cell is selected: the schema's hint, else what the column expects."""
    kind = "codelist" if field.codelist else field.type if field.type in ("number", "integer", "date") else "text"
    parts = [pick(field.hint, lang) or catalog.text(f"template.hint_{kind}", lang)]
    if field.pattern_example and field.pattern_example not in parts[0]:
        parts.append(catalog.text("template.hint_example", lang, example=field.pattern_example))
    if field.max_length and kind == "text":
        parts.append(catalog.text("template.hint_max_length", lang, maximum=field.max_length))
    return " ".join(parts)
