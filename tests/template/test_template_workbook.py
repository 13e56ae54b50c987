"""The generated template honours the layout contract the reader relies on (read back with openpyxl)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime

import openpyxl
import pytest

from council.catalog import LANGUAGES, load_catalog
from tasks.template import build_workbook, write_template
from tasks.template.cover import CODES_SHEET, COVER_SHEET

CATALOG = load_catalog()
CODE_ROW, LABEL_ROW, FIRST = (CATALOG.layout[k] for k in ("code_row", "label_row", "first_data_row"))

BUDGET_ROWS = [
    {
        "budget_line": "Оплата труда",
        "funding_source": "GRANT",
        "priority_area": "MEDTECH",
        "plan_approved_kzt": 1000.0,
        "plan_corrected_kzt": 800.0,
        "allocated_kzt": 700.0,
        "spent_kzt": 600.0,
    },
    {
        "budget_line": "Оборудование",
        "funding_source": "OWN_FUNDS",
        "priority_area": "OTHER",
        "plan_approved_kzt": 5.0,
        "plan_corrected_kzt": 0.0,
        "allocated_kzt": 0.0,
        "spent_kzt": 0.0,
    },
]
PROJECT = {
    "project_id": "HEALTH-2025-001",
    "title": "=1+1",
    "priority_area": "MEDTECH",
    "sector": "+7 701 555 55 55",
    "project_type": "RND",
    "status": "ACTIVE",
    "trl_start": 3,
    "trl_current": 4,
    "start_date": date(2025, 2, 1),
    "end_date_plan": date(2027, 1, 31),
    "region_code": "KZ-75",
    "partner_name": "ТОО «МедТех»",
    "partner_bin": "010203400123",
    "budget_total_kzt": 1234567.89,
    "funding_public_kzt": 1000000.0,
    "funding_private_kzt": 234567.89,
    "funding_foreign_kzt": 0.0,
    "comment": "@x",
}
META = {
    "prepared_by": "Ольга Ким",
    "contact_email": "o.kim@health.kz",
    "submission_date": date(2026, 7, 10),
    "is_correction": "NO",
    "nothing_to_report_narrative": "YES",
}


def _load(data: bytes, data_only: bool = False) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data), data_only=data_only)


@pytest.fixture(scope="module")
def filled() -> bytes:
    return build_workbook(CATALOG, "HEALTH", "2026S1", "ru", {"budget": BUDGET_ROWS, "projects": [PROJECT]}, META)


def _data_rows(sheet, schema) -> list[dict]:
    codes = [c.value for c in sheet[CODE_ROW]]
    rows = []
    for cells in sheet.iter_rows(min_row=FIRST, values_only=True):
        row = {
            code: value for code, value in zip(codes, cells, strict=False) if code and not schema.field(code).computed
        }
        if any(v not in (None, "") for v in row.values()):
            rows.append(row)
    return rows


def test_sheet_order_visibility_and_active_cover() -> None:
    book = _load(build_workbook(CATALOG, "AGRO", "2026S1", "kk"))
    assert book.sheetnames == [COVER_SHEET, *CATALOG.sheets, CODES_SHEET, CATALOG.meta_sheet]
    assert book.active.title == COVER_SHEET
    states = {name: book[name].sheet_state for name in book.sheetnames}
    assert states.pop(CATALOG.meta_sheet) == "hidden"
    assert set(states.values()) == {"visible"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_code_row_hidden_and_labels_in_language(lang: str) -> None:
    book = _load(build_workbook(CATALOG, "ELEC", "2025S2", lang))
    for name, schema in CATALOG.sheets.items():
        sheet = book[name]
        assert [c.value for c in sheet[CODE_ROW]] == list(schema.codes)
        assert sheet.row_dimensions[CODE_ROW].hidden
        assert [c.value for c in sheet[LABEL_ROW]] == [f.label(lang) for f in schema.fields]
        assert all(c.font.bold for c in sheet[LABEL_ROW])
        assert sheet.freeze_panes == f"A{FIRST}"
        assert sheet.auto_filter.ref.startswith(f"A{LABEL_ROW}:")


def _range_values(book: openpyxl.Workbook, formula: str) -> list[str]:
    sheet_name, cells = formula.lstrip("=").split("!")
    return [row[0].value for row in book[sheet_name][cells.replace("$", "")]]


def test_every_codelist_column_has_a_dropdown_over_the_codes_sheet() -> None:
    book = _load(build_workbook(CATALOG, "AGRO", "2026S1", "en"))
    for name, schema in CATALOG.sheets.items():
        validations = book[name].data_validations.dataValidation
        for col, field in enumerate(schema.fields, start=1):
            cell = f"{openpyxl.utils.get_column_letter(col)}{FIRST + 10}"
            found = [dv for dv in validations if cell in dv.sqref]
            if field.computed:
                assert not found
                continue
            assert len(found) == 1, (name, field.name)
            assert found[0].prompt  # the hint shown when the cell is selected
            if field.codelist:
                assert found[0].type == "list" and found[0].formula1.startswith(f"{CODES_SHEET}!$")
                assert _range_values(book, found[0].formula1) == list(CATALOG.codes(field.codelist))
            elif field.type in ("number", "integer", "date"):
                assert found[0].errorStyle == "warning"


def test_computed_cells_locked_with_cached_result_and_inputs_unlocked(filled: bytes) -> None:
    formulas, values = _load(filled)["budget"], _load(filled, data_only=True)["budget"]
    col = openpyxl.utils.get_column_letter(CATALOG.sheets["budget"].codes.index("execution_pct") + 1)
    assert formulas[f"{col}{FIRST}"].value == f'=IF(N(E{FIRST})=0,"",G{FIRST}/E{FIRST})'
    assert values[f"{col}{FIRST}"].value == pytest.approx(0.75)
    assert values[f"{col}{FIRST + 1}"].value in (None, "")  # corrected plan 0: blank, not #DIV/0!
    assert values[f"{col}{FIRST + 50}"].value in (None, "")
    assert formulas[f"{col}{FIRST}"].protection.locked
    assert formulas[f"{col}{FIRST}"].number_format == "0.0%"
    assert not formulas[f"A{FIRST}"].protection.locked
    assert not formulas[f"G{FIRST}"].protection.locked and formulas[f"G{FIRST}"].number_format == "#,##0.00"
    assert formulas.protection.sheet and formulas.protection.password is None
    assert not formulas.protection.insertRows and not formulas.protection.sort  # False = allowed in OOXML


def test_meta_sheet_keys_identity_and_links_to_cover(filled: bytes) -> None:
    book, cached = _load(filled), _load(filled, data_only=True)
    meta, cover = book[CATALOG.meta_sheet], book[COVER_SHEET]
    keys = [k.name for k in CATALOG.meta_keys] + list(CATALOG.nothing_to_report_keys.values())
    assert [r[0].value for r in meta.iter_rows()] == keys
    values = {r[0].value: r[1].value for r in cached[CATALOG.meta_sheet].iter_rows()}
    assert values["template_id"] == CATALOG.template_id
    assert values["template_version"] == CATALOG.template_version and isinstance(
        values["template_version"], int | float
    )
    assert (values["centre_code"], values["period"], values["language"]) == ("HEALTH", "2026S1", "ru")
    assert values["prepared_by"] == "Ольга Ким" and values["nothing_to_report_narrative"] == "YES"
    assert values["submission_date"] == datetime(2026, 7, 10)
    assert values["correction_reason"] in (None, "")
    cover_keys = {r[0].value: r[0].row for r in cover.iter_rows() if r[0].value}
    inputs = [k.name for k in CATALOG.meta_keys if k.input] + list(CATALOG.nothing_to_report_keys.values())
    assert list(cover_keys) == inputs
    for row in meta.iter_rows():
        if row[0].value in cover_keys:
            link = f"C{cover_keys[row[0].value]}"
            assert row[1].value == f'=IF({COVER_SHEET}!{link}="","",{COVER_SHEET}!{link})'
            assert not cover[link].protection.locked
    assert cover.column_dimensions["A"].hidden


def test_cover_yes_no_entries_have_dropdowns(filled: bytes) -> None:
    cover = _load(filled)[COVER_SHEET]
    rows = {r[0].value: r[0].row for r in cover.iter_rows() if r[0].value}
    flagged = [k for k in rows if k.startswith("nothing_to_report_") or k == "is_correction"]
    for key in flagged:
        assert any(f"C{rows[key]}" in dv.sqref and dv.type == "list" for dv in cover.data_validations.dataValidation)


def test_text_that_looks_like_a_formula_stays_text(filled: bytes) -> None:
    sheet = _load(filled)["projects"]
    cells = {c.value: c for c in sheet[FIRST] if c.value is not None}
    for text in ("=1+1", "+7 701 555 55 55", "@x", "010203400123"):
        assert cells[text].data_type == "s"
    xml = zipfile.ZipFile(io.BytesIO(filled)).read("xl/worksheets/sheet2.xml").decode()
    assert not re.search(r"<f>1\+1</f>", xml)


def test_filled_workbook_round_trips(filled: bytes) -> None:
    book = _load(filled)
    (back,) = _data_rows(book["projects"], CATALOG.sheets["projects"])
    for code, value in PROJECT.items():
        expected = datetime(value.year, value.month, value.day) if isinstance(value, date) else value
        assert back[code] == expected, code
    budget = _data_rows(book["budget"], CATALOG.sheets["budget"])
    assert [r["spent_kzt"] for r in budget] == [600.0, 0.0]
    assert back["partner_bin"] == "010203400123"


def test_blank_template_has_no_data_and_same_args_give_same_bytes(tmp_path) -> None:
    first = build_workbook(CATALOG, "CHEM", "2026S1", "en")
    assert first == build_workbook(CATALOG, "CHEM", "2026S1", "en")
    path = write_template(CATALOG, "CHEM", "2026S1", "en", tmp_path / "out" / "template.xlsx")
    assert path.read_bytes() == first
    book = _load(first)
    assert all(_data_rows(book[n], s) == [] for n, s in CATALOG.sheets.items())


def test_unknown_column_in_rows_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown columns"):
        build_workbook(CATALOG, "AGRO", "2026S1", "ru", {"kpi": [{"indicator_code": "LICENCES", "colour": "red"}]})
