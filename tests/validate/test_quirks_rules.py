"""Formulas without values, merged cells and hidden rows in a real report, and the cases that must stay quiet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from council.catalog import load_catalog
from council.problems import Problem, column_letter
from tasks.read import IsolatedReader, RawSheet, RawWorkbook, ReadLimits
from tasks.validate.quirks import MAX_LISTED, invisible_problems, parse_a1, quirk_problems, row_ranges
from tasks.validate.structure import SheetLayout, check_structure
from tests.validate.conftest import Verdict
from tests.validate.workbooks import NOW, ROWS, rows_with, write_report

QUIRKS = {"cell.formula_no_value", "sheet.merged_cells", "sheet.hidden_rows"}


def _edit(path: Path, edit: Any) -> Path:
    """Change the workbook as a user would, then save it with openpyxl (formulas lose their cached values)."""
    book = openpyxl.load_workbook(path)
    edit(book)
    book.save(path)
    return path


def _quirks(result: Any) -> list[tuple[str, str | None, str | None]]:
    return [(p.rule, p.sheet, p.cell) for p in result.problems if p.rule in QUIRKS]


def _structure_quirks(path: Path, reader: IsolatedReader) -> list[Problem]:
    """Read and locate the layout, then only the quirk checks: quiet cases need no content suites."""
    raw = reader.read(path, ReadLimits())
    assert isinstance(raw, RawWorkbook)
    catalog = load_catalog()
    structure = check_structure(raw, catalog, "AGRO", NOW)
    assert structure.ok, structure.problems
    return [
        problem
        for name, layout in structure.layouts.items()
        for problem in quirk_problems(raw.sheets[name], catalog.sheets[name], layout, catalog, structure.lang)
    ]


def test_a_formula_typed_into_an_input_cell_has_no_value(tmp_path: Path, verdict: Verdict) -> None:
    result = verdict(_edit(write_report(tmp_path), lambda b: b["kpi"].__setitem__("C3", "=10+2")))
    hits = [p for p in result.problems if p.rule == "cell.formula_no_value"]
    assert [(p.cell, p.sheet, p.column, p.row, p.severity) for p in hits] == [("kpi!C3", "kpi", "value", 3, "error")]
    assert [p for p in result.problems if p.cell == "kpi!C3"] == hits  # no "required" on top of it
    assert result.status == "rejected"


def test_a_merge_over_two_data_rows_is_an_error(tmp_path: Path, reader: IsolatedReader) -> None:
    merged = _structure_quirks(_edit(write_report(tmp_path), lambda b: b["kpi"].merge_cells("B3:B4")), reader)
    assert [(p.rule, p.sheet, p.cell, p.severity) for p in merged] == [("sheet.merged_cells", "kpi", None, "error")]
    assert "B3:B4" in merged[0].message


def test_a_hidden_data_row_is_a_warning_and_still_loaded(tmp_path: Path, verdict: Verdict) -> None:
    def hide(book: openpyxl.Workbook) -> None:
        book["kpi"].row_dimensions[4].hidden = True

    result = verdict(_edit(write_report(tmp_path), hide))
    assert _quirks(result) == [("sheet.hidden_rows", "kpi", None)]
    assert result.status == "accepted_with_warnings"
    assert 4 in set(result.frames["kpi"]["excel_row"])
    assert len(result.frames["kpi"]) == len(ROWS["kpi"])


def test_the_untouched_template_file_has_no_quirks(tmp_path: Path, reader: IsolatedReader) -> None:
    # Its code rows are hidden, budget.execution_pct holds formulas, _meta links to the cover by formulas.
    assert _structure_quirks(write_report(tmp_path), reader) == []


def test_a_resaved_template_keeps_its_own_formulas_quiet(tmp_path: Path, reader: IsolatedReader) -> None:
    # openpyxl drops every cached value, also of our computed execution_pct column: not the user's doing.
    assert _structure_quirks(_edit(write_report(tmp_path), lambda b: None), reader) == []


def test_merges_in_the_header_and_hidden_empty_rows_are_harmless(tmp_path: Path, reader: IsolatedReader) -> None:
    def tidy(book: openpyxl.Workbook) -> None:
        book["kpi"].merge_cells("A2:B2")
        for row in range(40, 60):
            book["kpi"].row_dimensions[row].hidden = True

    assert _structure_quirks(_edit(write_report(tmp_path), tidy), reader) == []


def test_quirks_follow_the_located_layout() -> None:
    catalog = load_catalog()
    schema = catalog.sheets["kpi"]
    # The code row was deleted and a column inserted: labels in row 1, data from row 2, `value` in column D.
    layout = SheetLayout(columns={f.name: i + 1 for i, f in enumerate(schema.input_fields)}, first_data_row=1)
    sheet = RawSheet(
        name="kpi",
        visible=True,
        rows=[["label"], ["", "x"], ["", "y"], ["", ""]],
        formula_cells_without_value=("A2", "D1", "D2"),
        merged_ranges=("A1:C1", "B2:B3"),
        hidden_rows=(1, 3, 4),
    )
    found = [(p.rule, p.cell, p.column) for p in quirk_problems(sheet, schema, layout, catalog, "en")]
    assert found == [
        ("cell.formula_no_value", "kpi!D2", "value"),
        ("sheet.merged_cells", None, None),
        ("sheet.hidden_rows", None, None),
    ]


def test_hidden_bidi_and_zero_width_text_is_a_warning_and_loaded_without_them(tmp_path: Path, verdict: Verdict) -> None:
    # "\u202e" makes the title read backwards on screen; the value loaded is the text as stored, minus the controls.
    rows = rows_with(projects={"title": "Суару\u202e\u200bжүйесі", "project_id": "AGRO-2025-001\u200b"})
    result = verdict(write_report(tmp_path, rows))
    hits = [p for p in result.problems if p.rule == "cell.invisible_characters"]
    assert [(p.cell, p.column, p.severity, p.value) for p in hits] == [
        ("projects!B3", "title", "warning", "Суаружүйесі")
    ]  # the zero-width space in a code is folded away silently, as before
    assert "U+202E, U+200B" in hits[0].message and "\u202e" not in hits[0].message
    assert result.status == "accepted_with_warnings"
    assert result.frames["projects"].iloc[0]["title"] == "Суаружүйесі"


def test_a_bidi_override_in_a_number_or_code_cell_is_named(tmp_path: Path, verdict: Verdict) -> None:
    # Shown as "12" in Excel under a right-to-left override, stored (and read) as 21.
    result = verdict(write_report(tmp_path, rows_with(kpi={"value": "\u202e21", "unit": "\u202eCOUNT"})))
    hits = [(p.rule, p.cell, p.value) for p in result.problems if p.rule == "cell.invisible_characters"]
    assert hits == [("cell.invisible_characters", "kpi!C3", "21"), ("cell.invisible_characters", "kpi!D3", "COUNT")]
    assert result.frames["kpi"].iloc[0]["value"] == 21


def test_invisible_characters_in_blank_cells_and_header_rows_are_quiet() -> None:
    catalog = load_catalog()
    schema = catalog.sheets["narrative"]
    layout = SheetLayout(columns={f.name: i for i, f in enumerate(schema.input_fields)}, first_data_row=1)
    sheet = RawSheet(name="narrative", visible=True, rows=[["sec\u202etion", "te\u200bxt"], ["", " \u200b\u202e"]])
    assert invisible_problems(sheet, schema, layout, catalog, "en") == []


def test_invisible_characters_past_the_listing_cap_are_counted() -> None:
    catalog = load_catalog()
    schema = catalog.sheets["narrative"]
    text_column = [f.name for f in schema.input_fields].index("text")
    layout = SheetLayout(columns={"text": text_column}, first_data_row=0)
    row = [""] * text_column + ["a\u200bb"]
    found = invisible_problems(RawSheet("narrative", True, [row] * (MAX_LISTED + 5)), schema, layout, catalog, "en")
    assert (
        len(found) == MAX_LISTED and found[-1].more == 5 and found[0].cell == f"narrative!{column_letter(text_column)}1"
    )


def test_references_and_row_ranges() -> None:
    assert parse_a1("C3") == (2, 3)
    assert parse_a1("$AA$10") == (26, 10)
    assert parse_a1("C") is None
    assert row_ranges([12, 7, 8, 9]) == "7–9, 12"


def test_meta_values_are_read_without_hidden_characters(tmp_path: Path, verdict: Verdict) -> None:
    meta = {"prepared_by": "Айгүл\u202e Серікқызы", "centre_code": "AGRO\u200b"}
    result = verdict(write_report(tmp_path, meta=meta))
    assert (result.meta["prepared_by"], result.centre) == ("Айгүл Серікқызы", "AGRO")
    assert result.status == "accepted"
