"""Workbooks saved by a real office suite (LibreOffice Calc): accepted when right, refused cell by cell when wrong."""

from __future__ import annotations

import warnings
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from council.catalog import load_catalog
from council.problems import found_in_language
from tasks.read import FileIssue, IsolatedReader, ReadLimits
from tests.office.conftest import EDIT, Verdict, edited_by_openpyxl
from tests.validate.workbooks import ROWS

Files = dict[str, dict[str, Path]]


def _cells(result: object) -> set[tuple[str, str | None]]:
    return {(p.rule, p.cell) for p in result.problems}


def _open(path: Path, data_only: bool = False) -> openpyxl.Workbook:
    with warnings.catch_warnings():  # openpyxl warns about LibreOffice's extension lists it drops
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(path, data_only=data_only)


@pytest.mark.parametrize("name", ["valid", "dash"])
def test_a_correct_workbook_saved_by_libreoffice_is_accepted(name: str, office: Files, verdict: Verdict) -> None:
    result = verdict(office["xlsx"][name])
    assert (result.status, result.problems) == ("accepted", [])
    assert (result.period, result.meta["centre_code"]) == ("2026S1", "AGRO")


def test_libreoffice_keeps_bins_dates_and_numbers_as_the_reader_needs(office: Files, verdict: Verdict) -> None:
    projects = verdict(office["xlsx"]["valid"]).frames["projects"]
    original = verdict(office["original"]["valid"]).frames["projects"]
    assert projects.iloc[0]["partner_bin"] == "010203400123"  # leading zero kept: a text cell
    assert projects.iloc[0]["start_date"] == datetime(2025, 2, 1)
    assert projects.drop(columns="excel_row").equals(original.drop(columns="excel_row"))


def test_libreoffice_keeps_the_hidden_code_row_meta_sheet_and_dropdowns(office: Files) -> None:
    book = _open(office["xlsx"]["valid"])
    assert book["_meta"].sheet_state == "hidden"
    assert book["projects"].row_dimensions[1].hidden
    lists = [v for v in book["projects"].data_validations.dataValidation if v.type == "list"]
    assert lists and all("codes!" in v.formula1 for v in lists)
    assert any("C3" in v.sqref for v in lists)  # priority_area's dropdown on the first data row
    assert book["projects"].protection.sheet and not book["projects"]["A3"].protection.locked


def test_planted_mistakes_are_reported_at_the_same_cells_after_libreoffice(office: Files, verdict: Verdict) -> None:
    saved = _cells(verdict(office["xlsx"]["planted"]))
    assert {
        ("kpi.unit_mismatch", "kpi!D3"),
        ("cell.codelist", "projects!K3"),
        ("projects.funding_sum", "projects!N3"),
    } <= saved
    assert saved == _cells(verdict(office["original"]["planted"]))


def test_a_realistic_sample_gets_the_same_verdict_before_and_after_libreoffice(office: Files, verdict: Verdict) -> None:
    before, after = verdict(office["original"]["sample"]), verdict(office["xlsx"]["sample"])
    assert (after.status, _cells(after)) == (before.status, _cells(before))
    assert after.status != "rejected"


def test_libreoffice_recalculates_formulas_openpyxl_left_without_values(office: Files) -> None:
    sheet, _, spent = EDIT  # execution (H3) = spent / corrected plan (E3)
    assert _open(office["original"]["edited"], data_only=True)[sheet]["H3"].value is None
    expected = spent / ROWS["budget"][0]["plan_corrected_kzt"]
    assert _open(office["xlsx"]["edited"], data_only=True)[sheet]["H3"].value == pytest.approx(expected)


def test_a_libreoffice_file_edited_by_openpyxl_still_reads_its_meta(
    office: Files, verdict: Verdict, tmp_path: Path
) -> None:
    edited = edited_by_openpyxl(
        office["xlsx"]["valid"], tmp_path / "edited again.xlsx", "narrative", "B3", "Жаңа мәтін"
    )
    assert _open(edited, data_only=True)["_meta"]["B6"].value is None  # prepared_by: a formula, now without value
    result = verdict(edited)
    assert (result.status, result.problems) == ("accepted", [])
    assert (result.meta["centre_code"], result.meta["period"], result.lang) == ("AGRO", "2026S1", "kk")


@pytest.mark.parametrize(("fmt", "named"), [("ods", ".ods"), ("xls", ".xls")])
def test_ods_and_xls_are_refused_with_a_message_naming_the_format(
    fmt: str, named: str, office: Files, verdict: Verdict, reader: IsolatedReader, tmp_path: Path
) -> None:
    path = office[fmt]["valid"]
    issue = reader.read(path, ReadLimits())
    assert isinstance(issue, FileIssue) and issue.rule == "file.format" and named in issue.found
    [problem] = verdict(path).problems
    assert (problem.rule, problem.severity, problem.cell) == ("file.format", "error", None)
    # The detected format is named in the reader's language (issue 12); every language's name keeps the extension.
    assert found_in_language(load_catalog(), issue.found, "ru") in problem.message and named in problem.message
    assert problem.fix == load_catalog().rules["file.format"].fix["ru"]  # how to save as .xlsx, in the same language
    renamed = tmp_path / "report.xlsx"  # the extension is not what decides
    renamed.write_bytes(path.read_bytes())
    assert _cells(verdict(renamed)) == {("file.format", None)}
