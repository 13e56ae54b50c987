"""The template's cover (what a centre fills in about the report), `codes` reference and hidden `_meta` sheets."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from council.catalog import Catalog
from tasks.template.cells import DATE_FORMAT, INPUT_FILL, Styles, excel_serial, write_value

COVER_SHEET = "cover"
CODES_SHEET = "codes"
FLAG_CODELIST = "yes_no"  # nothing_to_report_<sheet> flags take the same YES/NO codes as is_correction
KEY_COL, LABEL_COL, VALUE_COL = 0, 1, 2

ROW_HEIGHT = 15  # points per line of text
CHARS_PER_LINE = 75  # what fits one line of the 70-wide label column


@dataclass(frozen=True)
class CoverEntry:
    """One value a centre fills in on the cover (and `_meta` links to)."""

    key: str
    label: str
    codelist: str | None
    is_date: bool


def cover_entries(catalog: Catalog, lang: str) -> list[CoverEntry]:
    """The input meta keys, then one nothing-to-report flag per data sheet, in that order."""
    entries = [
        CoverEntry(k.name, k.label(lang), k.codelist, k.name.endswith("_date")) for k in catalog.meta_keys if k.input
    ]
    for sheet, key in catalog.nothing_to_report_keys.items():
        label = catalog.text("template.nothing_to_report", lang, sheet=catalog.sheets[sheet].label(lang))
        entries.append(CoverEntry(key, label, FLAG_CODELIST, False))
    return entries


def codelists_used(catalog: Catalog) -> list[str]:
    """Every codelist a data column or a cover entry draws on, in first-use order."""
    names = [f.codelist for s in catalog.sheets.values() for f in s.fields if f.codelist]
    names += [k.codelist for k in catalog.meta_keys if k.codelist] + [FLAG_CODELIST]
    return list(dict.fromkeys(n for n in names if n in catalog.codelists))


def write_codes(sheet: Worksheet, catalog: Catalog, lang: str, styles: Styles) -> dict[str, str]:
    """One block per codelist (code, name in `lang`; units for indicators); returns each list's range."""
    sources, col = {}, 0
    for name in codelists_used(catalog):
        codes = catalog.codes(name)
        sheet.write_string(0, col, name, styles.get("heading"))
        sheet.write_string(0, col + 1, catalog.text("template.codes_label", lang), styles.get("heading"))
        for row, code in enumerate(codes, start=1):
            sheet.write_string(row, col, code)
            if catalog.codelists[name][code]:
                sheet.write_string(row, col + 1, catalog.code_label(name, code, lang))
        width = 2
        if name == "indicator":
            sheet.write_string(0, col + 2, catalog.text("template.codes_unit", lang), styles.get("heading"))
            for row, code in enumerate(codes, start=1):
                sheet.write_string(row, col + 2, catalog.indicators[code].unit)
            width = 3
        sheet.set_column(col, col, 14)
        sheet.set_column(col + 1, col + width - 1, 40 if any(catalog.codelists[name].values()) else 4)
        first, last = xl_rowcol_to_cell(1, col, True, True), xl_rowcol_to_cell(len(codes), col, True, True)
        sources[name] = f"={CODES_SHEET}!{first}:{last}"
        col += width + 1
    sheet.freeze_panes(1, 0)
    sheet.protect("", {"autofilter": True, "sort": True})
    return sources


def write_cover(
    sheet: Worksheet,
    catalog: Catalog,
    centre: str,
    period: str,
    lang: str,
    meta: Mapping[str, object],
    styles: Styles,
    list_sources: Mapping[str, str],
) -> dict[str, str]:
    """Title, instructions, the sheet list, then one input row per cover entry; returns key -> value cell."""
    sheet.set_column(KEY_COL, KEY_COL, 24, None, {"hidden": True})
    sheet.set_column(LABEL_COL, LABEL_COL, 70, styles.get("text"))
    sheet.set_column(VALUE_COL, VALUE_COL, 40)
    sheet.fit_to_pages(1, 0)  # printed: labels and the values typed next to them on one page width
    row = _write_title(sheet, catalog, centre, period, lang, styles)
    sheet.write_string(row, LABEL_COL, catalog.text("template.sheets_heading", lang), styles.get("heading"))
    for name, schema in catalog.sheets.items():
        row += 1
        sheet.write_string(row, LABEL_COL, schema.label(lang))
        sheet.write_string(row, VALUE_COL, name)
    row += 2
    sheet.write_string(row, LABEL_COL, catalog.text("template.details_heading", lang), styles.get("heading"))
    cells = {}
    for entry in cover_entries(catalog, lang):
        row += 1
        cells[entry.key] = _write_entry(sheet, row, entry, meta.get(entry.key), styles, list_sources)
    sheet.protect(
        "", {"format_columns": True, "format_rows": True, "select_locked_cells": True, "select_unlocked_cells": True}
    )
    return cells


def _write_title(sheet: Worksheet, catalog: Catalog, centre: str, period: str, lang: str, styles: Styles) -> int:
    known = catalog.centres.get(centre)
    sheet.write_string(0, LABEL_COL, catalog.text("template.cover_title", lang), styles.get("title"))
    sheet.write_string(1, LABEL_COL, known.name(lang) if known else centre, styles.get("subtitle"))
    subtitle = catalog.text(
        "template.cover_subtitle",
        lang,
        period=period,
        template_id=catalog.template_id,
        version=catalog.template_version,
    )
    sheet.write_string(2, LABEL_COL, subtitle)
    instructions = sorted(k for k in catalog.texts["template"] if k.startswith("instruction_"))
    for offset, key in enumerate(instructions):
        text = f"{offset + 1}. {catalog.text(f'template.{key}', lang)}"
        # Office suites do not grow a row for wrapped text written by a library: size it here.
        sheet.set_row(4 + offset, ROW_HEIGHT * math.ceil(len(text) / CHARS_PER_LINE))
        sheet.write_string(4 + offset, LABEL_COL, text)
    return 4 + len(instructions) + 1


def _write_entry(
    sheet: Worksheet, row: int, entry: CoverEntry, value: object, styles: Styles, list_sources: Mapping[str, str]
) -> str:
    """Key (hidden column A), label, and the unlocked yellow value cell; returns the value cell's reference."""
    sheet.write_string(row, KEY_COL, entry.key)
    sheet.write_string(row, LABEL_COL, entry.label)
    cell_format = styles.get(
        num_format=DATE_FORMAT if entry.is_date else "@", locked=False, bg_color=INPUT_FILL, border=1
    )
    sheet.write_blank(row, VALUE_COL, None, cell_format)
    write_value(sheet, row, VALUE_COL, value, cell_format)
    if entry.codelist and entry.codelist in list_sources:
        sheet.data_validation(
            row, VALUE_COL, row, VALUE_COL, {"validate": "list", "source": list_sources[entry.codelist]}
        )
    return f"{COVER_SHEET}!{xl_rowcol_to_cell(row, VALUE_COL)}"


def write_meta(
    sheet: Worksheet,
    catalog: Catalog,
    identity: Mapping[str, object],
    meta: Mapping[str, object],
    cover_cells: Mapping[str, str],
    styles: Styles,
) -> None:
    """Key in column A, value in column B from row 1: identity values, then formulas linking the cover."""
    keys = [k.name for k in catalog.meta_keys] + list(catalog.nothing_to_report_keys.values())
    for row, key in enumerate(keys):
        sheet.write_string(row, 0, key)
        if key in cover_cells:
            _write_link(sheet, row, cover_cells[key], meta.get(key), styles)
        else:
            write_value(sheet, row, 1, meta.get(key, identity.get(key)))
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 30)
    sheet.hide()


def _write_link(sheet: Worksheet, row: int, cell: str, value: object, styles: Styles) -> None:
    # Cached value = what the cover holds, so readers that do not recalculate still see it.
    if isinstance(value, date):
        cached: object = excel_serial(value)
        cell_format = styles.get(num_format=DATE_FORMAT)
    else:
        cached, cell_format = ("" if value is None else str(value)), None
    sheet.write_formula(row, 1, f'=IF({cell}="","",{cell})', cell_format, cached)
