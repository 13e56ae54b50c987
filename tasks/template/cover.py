"""The template's cover (what a centre fills in about the report), `codes` reference and hidden `_meta` sheets."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import yaml
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from council.catalog import Catalog, pick
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


def codes_heading(catalog: Catalog, codelist: str, lang: str) -> str:
    """What a list is for, in the reader's words: the labels of the columns and cover entries that use it."""
    sheets: dict[str, list[str]] = {}  # column label → the sheets it is on: two lists may share a label
    for schema in catalog.sheets.values():
        for f in schema.fields:
            if f.codelist == codelist:
                sheets.setdefault(f.label(lang), []).append(schema.label(lang))
    users = [f"{label} ({', '.join(dict.fromkeys(on))})" for label, on in sheets.items()]
    users += [k.label(lang) for k in catalog.meta_keys if k.codelist == codelist]
    if codelist == FLAG_CODELIST:
        users.append(catalog.text("template.codes_nothing_to_report", lang))
    return " · ".join(dict.fromkeys(users)) or codelist


def code_names(catalog: Catalog, codelist: str, lang: str) -> dict[str, str]:
    """Each code's name in `lang`; the country list's names come from countries.yaml's `names`.

    The catalog (council/catalog.py) keeps only the country codes; until it loads their names too,
    they are read here from the same reference file.
    """
    names = {code: catalog.code_label(codelist, code, lang) for code in catalog.codes(codelist)}
    if codelist == "country" and all(name == code for code, name in names.items()):
        countries = _country_names(catalog.root)
        names = {code: pick(countries.get(code, {}), lang) or code for code in names}
    return names


@cache
def _country_names(root: Path) -> dict[str, dict[str, str]]:
    with (root / "reference" / "countries.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)["country"].get("names", {})


def _unit_name(catalog: Catalog, indicator: str, lang: str) -> str:
    unit = catalog.indicators[indicator].unit
    name = catalog.code_label("unit", unit, lang)
    return unit if name == unit else f"{unit} ({name})"


def codes_in_print_order(catalog: Catalog) -> list[str]:
    """Short lists first, long ones (regions, indicators, countries) last: on screen and on paper the
    short lists are not lost below 249 countries. Ties keep first-use order."""
    used = codelists_used(catalog)
    return sorted(used, key=lambda name: len(catalog.codes(name)))


def write_codes(sheet: Worksheet, catalog: Catalog, lang: str, styles: Styles) -> dict[str, str]:
    """One block per codelist, one under another: a heading saying what the list is for, then code, name in
    `lang` (and unit, for indicators). Returns each list's range for the dropdowns.

    Stacked rather than side by side, so the sheet prints one page wide with no empty pages, and column
    widths come from the longest code and name, so every code is seen in full.
    """
    blocks = {name: code_names(catalog, name, lang) for name in codes_in_print_order(catalog)}
    units = (
        {code: _unit_name(catalog, code, lang) for code in catalog.codes("indicator")} if "indicator" in blocks else {}
    )
    widths = _codes_widths(blocks, units)
    sheet.write_string(0, 0, catalog.text("template.codes_title", lang), styles.get("title"))
    sources, row = {}, 2
    for name, names in blocks.items():
        row = _write_code_block(sheet, catalog, lang, styles, name, names, units if name == "indicator" else {}, row)
        first = xl_rowcol_to_cell(row - len(names), 0, True, True)
        last = xl_rowcol_to_cell(row - 1, 0, True, True)
        sources[name] = f"={CODES_SHEET}!{first}:{last}"
        row += 1  # a blank row between lists
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    # Printed: A4 portrait, one page wide, only the lists (no trailing blank pages).
    sheet.set_paper(9)
    sheet.set_portrait()
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    sheet.print_area(0, 0, row - 2, len(widths) - 1)
    sheet.fit_to_pages(1, 0)
    sheet.set_footer("&L&A&R&P / &N")
    sheet.protect("", {"autofilter": True, "sort": True})
    return sources


def _write_code_block(
    sheet: Worksheet,
    catalog: Catalog,
    lang: str,
    styles: Styles,
    name: str,
    names: dict[str, str],
    units: dict[str, str],
    row: int,
) -> int:
    """Heading, column titles, then one row per code; returns the row after the block."""
    sheet.write_string(row, 0, codes_heading(catalog, name, lang), styles.get("subtitle"))
    titles = [catalog.text("template.codes_code", lang), catalog.text("template.codes_label", lang)]
    titles += [catalog.text("template.codes_unit", lang)] if units else []
    for col, title in enumerate(titles):
        sheet.write_string(row + 1, col, title, styles.get("heading"))
    row += 2
    for code, label in names.items():
        sheet.write_string(row, 0, code)
        sheet.write_string(row, 1, label)  # the name, even where it is the code itself (en "KZT")
        if units:
            sheet.write_string(row, 2, units[code])
        row += 1
    return row


CODE_CHAR_WIDTH = 1.15  # codes are capitals and digits, wider than the "0" a column width counts in
MAX_NAME_WIDTH = 70


def _codes_widths(blocks: dict[str, dict[str, str]], units: dict[str, str]) -> list[float]:
    """Column widths from the longest code, name and unit, so nothing is cut off."""
    longest_code = max(len(code) for names in blocks.values() for code in names)
    longest_name = max(len(label) for names in blocks.values() for label in names.values())
    widths = [max(8.0, longest_code * CODE_CHAR_WIDTH + 2), float(min(MAX_NAME_WIDTH, max(12, longest_name + 3)))]
    return widths + ([max(len(u) for u in units.values()) + 3.0] if units else [])


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
