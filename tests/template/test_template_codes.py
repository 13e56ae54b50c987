"""The template's codes sheet and print layout, as centre staff see them (issue 12): every code in full with
its name in the template's language, and a blank template that prints without empty pages."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
import yaml

from council.catalog import LANGUAGES, load_catalog
from tasks.template import build_workbook, write_template
from tasks.template.cover import CODES_SHEET, code_names
from tasks.template.datasheet import BLANK_PRINT_ROWS
from tests.office.libreoffice import SKIP_REASON, SOFFICE, convert_all
from tests.requires import needs

CATALOG = load_catalog()
LABEL_ROW, FIRST = CATALOG.layout["label_row"], CATALOG.layout["first_data_row"]


def _codes_sheet(lang: str) -> openpyxl.worksheet.worksheet.Worksheet:
    return openpyxl.load_workbook(io.BytesIO(build_workbook(CATALOG, "AGRO", "2026S1", lang)))[CODES_SHEET]


def _width(sheet: openpyxl.worksheet.worksheet.Worksheet, column: int) -> float:
    ranges = [d for d in sheet.column_dimensions.values() if d.min and d.min <= column <= (d.max or d.min)]
    return ranges[0].width if ranges else 8.43


def test_every_country_code_has_a_name_in_every_language() -> None:
    with (CATALOG.root / "reference" / "countries.yaml").open(encoding="utf-8") as handle:
        countries = yaml.safe_load(handle)["country"]
    assert set(countries["names"]) == set(countries["codes"]) == set(CATALOG.codes("country"))
    for code, names in countries["names"].items():
        assert set(names) == set(LANGUAGES) and all(names.values()), code
    assert countries["names"]["NO"]["en"] == "Norway" and countries["names"]["KZ"]["ru"] == "Казахстан"


def _dropdown_lists(book: openpyxl.Workbook) -> dict[str, list[tuple[str, str | None]]]:
    """codelist → the (code, name) rows its dropdowns offer, read from the range each dropdown points at."""
    lists = {}
    for name, schema in CATALOG.sheets.items():
        for col, field in enumerate(schema.fields, start=1):
            cell = f"{openpyxl.utils.get_column_letter(col)}{FIRST}"
            if field.codelist and not field.computed:
                [dv] = [v for v in book[name].data_validations.dataValidation if cell in v.sqref]
                first, last = dv.formula1.split("!")[1].replace("$", "").split(":")
                names_too = f"{first}:B{last.removeprefix('A')}"  # the codes' column and the names beside it
                lists[field.codelist] = [(a.value, b.value) for a, b in book[CODES_SHEET][names_too]]
    return lists


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_code_of_every_list_is_on_the_codes_sheet_with_its_name(lang: str) -> None:
    book = openpyxl.load_workbook(io.BytesIO(build_workbook(CATALOG, "AGRO", "2026S1", lang)))
    lists = _dropdown_lists(book)
    assert set(lists) >= {"country", "region", "indicator", "priority_area", "priority_area_or_all"}
    for codelist, rows in lists.items():
        names = code_names(CATALOG, codelist, lang)
        assert [code for code, _ in rows] == list(CATALOG.codes(codelist)), codelist
        assert rows == [(code, names[code]) for code in CATALOG.codes(codelist)], codelist
        assert all(name for _, name in rows), codelist
    assert all(name != code for code, name in lists["country"])  # a country's name, not its code again
    assert dict(lists["country"])["KZ"] == {"kk": "Қазақстан", "ru": "Казахстан", "en": "Kazakhstan"}[lang]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_codes_and_names_fit_their_columns(lang: str) -> None:
    sheet = _codes_sheet(lang)
    rows = [row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]]
    for column, texts in enumerate(zip(*rows, strict=False), start=1):
        longest = max((len(str(t)) for t in texts if t is not None), default=0)
        if column == 1:  # codes, list headings aside (they span the row, nothing beside them)
            longest = max(len(r[0]) for r in rows if r[1] is not None)
            assert _width(sheet, column) >= longest * 1.1, column
        else:
            assert _width(sheet, column) >= min(longest, 70), column


def test_codes_sheet_prints_one_page_wide_on_a4_and_only_the_lists() -> None:
    sheet = _codes_sheet("ru")
    assert int(sheet.page_setup.paperSize) == 9 and sheet.page_setup.orientation == "portrait"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToHeight == 0
    last = max(cell.row for row in sheet.iter_rows() for cell in row if cell.value is not None)
    assert sheet.print_area.endswith(f"${last}")


def test_data_sheets_print_their_rows_and_room_to_write_not_every_prefilled_formula() -> None:
    blank = openpyxl.load_workbook(io.BytesIO(build_workbook(CATALOG, "AGRO", "2026S1", "ru")))
    many = [{"budget_line": f"line {n}", "funding_source": "GRANT"} for n in range(BLANK_PRINT_ROWS + 15)]
    filled = openpyxl.load_workbook(io.BytesIO(build_workbook(CATALOG, "AGRO", "2026S1", "ru", {"budget": many})))
    for name, schema in CATALOG.sheets.items():
        last_column = openpyxl.utils.get_column_letter(len(schema.fields))
        assert blank[name].print_area == f"'{name}'!$A${LABEL_ROW}:${last_column}${FIRST + BLANK_PRINT_ROWS - 1}"
        assert blank[name].print_title_rows == f"${LABEL_ROW}:${LABEL_ROW}"
    assert filled["budget"].print_area.endswith(f"${FIRST + len(many) - 1}")  # every filled row is printed


def _pdf_pages(pdf: Path) -> list[str]:
    count = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    pages = []
    for page in range(1, count + 1):
        done = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True)
        pages.append(done.stdout.decode())
    return pages


@needs(SOFFICE is not None and shutil.which("pdftotext") is not None, SKIP_REASON)
def test_a_blank_template_prints_without_empty_pages(tmp_path: Path) -> None:
    xlsx = write_template(CATALOG, "HEALTH", "2026S1", "ru", tmp_path / "blank.xlsx")
    [pdf] = convert_all({"pdf": [xlsx]}, tmp_path / "render")["pdf"]
    pages = _pdf_pages(pdf)
    # The cover, one page per data sheet (headers only, so each has text), then the codes lists.
    assert all(page.strip() for page in pages), [i for i, page in enumerate(pages, 1) if not page.strip()]
    assert len(pages) <= 1 + len(CATALOG.sheets) + 7
    codes_pages = "\n".join(pages[1 + len(CATALOG.sheets) :])
    assert "ENTERPRISES_ENGAGED" in codes_pages and "Казахстан" in codes_pages  # in full, with names
