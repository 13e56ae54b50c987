"""SPEC §8 inputs people really send, end to end through the isolated reader: each read right or answered clearly.

Covered elsewhere: Russian-style numbers, dates as text, a deleted code row and moved columns
(test_validate_rules.py QUIET and structure tests), number and date spellings (test_parse_values.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from tests.validate.conftest import Verdict
from tests.validate.workbooks import ROWS, rows_with, write_report


def _edit(path: Path, edit: Any) -> Path:
    book = openpyxl.load_workbook(path)
    edit(book)
    book.save(path)
    return path


def test_padding_rows_of_spaces_between_and_after_data_rows_are_skipped(tmp_path: Path, verdict: Verdict) -> None:
    def pad(book: openpyxl.Workbook) -> None:
        kpi = book["kpi"]
        kpi.insert_rows(4, 2)  # between the first and the second data row
        kpi["A4"], kpi["C4"], kpi["D5"] = "   ", "\u00a0", " \u200b"
        kpi["B20"], kpi["H21"] = " ", "\u00a0\u00a0"  # after the data, as far down as a user scrolls
        kpi["D6"] = "COUNT"  # the (old) second row now sits on row 6, with a wrong unit for KZT

    result = verdict(_edit(write_report(tmp_path), pad))
    assert [(p.rule, p.cell) for p in result.problems] == [("kpi.unit_mismatch", "kpi!D6")]
    assert list(result.frames["kpi"]["excel_row"]) == [3, 6, 7]


def test_codes_with_trailing_spaces_and_nbsp_are_the_codes(tmp_path: Path, verdict: Verdict) -> None:
    changes = {"indicator_code": "JOBS_CREATED ", "priority_area": "\u00a0AGRITECH\u00a0", "unit": "COUNT\u200b"}
    result = verdict(write_report(tmp_path, rows_with(kpi=changes)))
    assert result.problems == []
    first = result.frames["kpi"].iloc[0]
    assert (first["indicator_code"], first["priority_area"], first["unit"]) == ("JOBS_CREATED", "AGRITECH", "COUNT")


def test_a_bin_typed_as_a_number_that_lost_its_leading_zero_is_named(tmp_path: Path, verdict: Verdict) -> None:
    # Excel turns 010203400123 typed into a General cell into the number 10203400123: we say so, we do not guess.
    result = verdict(write_report(tmp_path, rows_with(projects={"partner_bin": 10203400123})))
    assert [(p.rule, p.cell, p.value) for p in result.problems] == [("cell.pattern", "projects!M3", "10203400123")]


def test_a_bin_kept_as_text_keeps_its_leading_zero_and_a_numeric_one_has_no_decimal_point(
    tmp_path: Path, verdict: Verdict
) -> None:
    result = verdict(write_report(tmp_path, rows_with(pilots={"adopter_bin": 120440012345})))
    assert result.problems == []
    assert result.frames["projects"].iloc[0]["partner_bin"] == "010203400123"
    assert result.frames["pilots"].iloc[0]["adopter_bin"] == "120440012345"


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path, verdict: Verdict) -> None:
    def type_text(book: openpyxl.Workbook) -> None:
        cell = book["projects"]["R3"]  # comment
        cell.value, cell.data_type = "=SUM(A1:A3) не формула", "s"

    result = verdict(_edit(write_report(tmp_path), type_text))
    assert result.problems == []
    assert result.frames["projects"].iloc[0]["comment"] == "=SUM(A1:A3) не формула"


def test_a_file_name_with_spaces_cyrillic_and_a_leading_dash_is_read(tmp_path: Path, verdict: Verdict) -> None:
    result = verdict(write_report(tmp_path, name="-rf Отчёт ҚАЗ  №1 (копия).xlsx"))
    assert result.status == "accepted"
    assert len(result.frames["kpi"]) == len(ROWS["kpi"])
