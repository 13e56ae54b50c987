"""Every content and structure rule: a case that fires it at the right cell, and a near miss that stays quiet."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from council.catalog import load_catalog
from tests.validate.conftest import Verdict
from tests.validate.workbooks import ROWS, rows_with, write_report

# (rule, changes to the valid rows, expected cell); the change hits the first row (Excel row 3).
CELL_RULES: list[tuple[str, dict[str, dict[str, Any]], str]] = [
    ("cell.required", {"projects": {"title": None}}, "projects!B3"),
    ("cell.number", {"projects": {"budget_total_kzt": "около миллиона"}}, "projects!N3"),
    ("cell.integer", {"projects": {"trl_start": 3.5}}, "projects!G3"),
    ("cell.date", {"projects": {"start_date": "31.02.2025"}}, "projects!I3"),
    ("cell.codelist", {"projects": {"region_code": "KZ-99"}}, "projects!K3"),
    ("cell.range", {"projects": {"trl_current": 12}}, "projects!H3"),
    ("cell.pattern", {"projects": {"partner_bin": "12345"}}, "projects!M3"),
    ("cell.too_long", {"projects": {"title": "x" * 501}}, "projects!B3"),
    (
        "projects.project_id_centre",
        {"projects": {"project_id": "HEALTH-2025-001"}, "kpi": {"project_id": None}},
        "projects!A3",
    ),
    ("projects.funding_sum", {"projects": {"funding_private_kzt": 350_002.50}}, "projects!N3"),
    ("projects.end_before_start", {"projects": {"end_date_plan": date(2025, 1, 31)}}, "projects!J3"),
    ("projects.trl_fall", {"projects": {"trl_current": 3}}, "projects!H3"),
    ("kpi.project_unknown", {"kpi": {"project_id": "AGRO-2025-999"}}, "kpi!G3"),
    ("kpi.unit_mismatch", {"kpi": {"unit": "KZT"}}, "kpi!D3"),
    ("kpi.whole_count", {"kpi": {"value": 2.5}}, "kpi!C3"),
    ("kpi.comment_required", {"kpi": {"obs_status": "E"}}, "kpi!H3"),
    ("budget.spent_over_allocated", {"budget": {"spent_kzt": 100_000.01}}, "budget!G3"),
    ("budget.variance_explanation", {"budget": {"spent_kzt": 50_000.0}}, "budget!I3"),
    ("pilots.adopter_required", {"pilots": {"adopter_name": None}}, "pilots!F3"),
    ("narrative.rag_required", {"narrative": {"section": "RISK"}}, "narrative!C3"),
]

# Near misses: each is one step short of the rule above it firing.
QUIET: list[tuple[str, dict[str, dict[str, Any]]]] = [
    ("cell.required", {"projects": {"comment": None, "sector": None}}),
    ("cell.number", {"projects": {"budget_total_kzt": "1 000 000,00", "funding_public_kzt": "600\u00a0000,00"}}),
    ("cell.integer", {"projects": {"trl_start": 4.0}}),
    ("cell.date", {"projects": {"start_date": "01.02.2025"}}),
    ("cell.codelist", {"projects": {"region_code": "kz-ast"}}),
    ("cell.range", {"projects": {"trl_start": 1, "trl_current": 9}}),
    ("cell.pattern", {"projects": {"partner_bin": "000000000001"}}),
    ("cell.too_long", {"projects": {"title": "x" * 500}}),
    ("projects.project_id_centre", {"projects": {"project_id": "AGRO-2019-077"}, "kpi": {"project_id": None}}),
    ("projects.funding_sum", {"projects": {"funding_private_kzt": 350_001.00}}),
    ("projects.end_before_start", {"projects": {"end_date_plan": date(2025, 2, 1)}}),
    ("projects.trl_fall", {"projects": {"trl_current": 3, "comment": "Пилот қайта жобаланды"}}),
    ("kpi.project_unknown", {"kpi": {"project_id": None}}),
    ("kpi.unit_mismatch", {"kpi": {"unit": " count "}}),
    ("kpi.whole_count", {"kpi": {"indicator_code": "ENERGY_SAVED_MWH", "unit": "MWH", "value": 2.5}}),
    ("kpi.comment_required", {"kpi": {"obs_status": "E", "comment": "Бағалау: келісімшарттар бойынша"}}),
    ("budget.spent_over_allocated", {"budget": {"spent_kzt": 100_000.0}}),
    ("budget.variance_explanation", {"budget": {"spent_kzt": 85_000.0}}),
    ("pilots.adopter_required", {"pilots": {"stage": "SCANNED", "adopter_name": None, "adopter_bin": None}}),
    ("narrative.rag_required", {"narrative": {"section": "ACHIEVEMENT", "rag": None}}),
]


def _rules(result: Any) -> set[str]:
    return {p.rule for p in result.problems}


def test_the_valid_report_raises_no_rule_at_all(tmp_path: Path, verdict: Verdict) -> None:
    result = verdict(write_report(tmp_path))
    assert result.problems == []
    assert result.status == "accepted"
    assert set(result.frames) == set(load_catalog().sheets)


@pytest.mark.parametrize(("rule", "changes", "cell"), CELL_RULES, ids=[c[0] for c in CELL_RULES])
def test_cell_rule_fires_at_its_cell(
    rule: str, changes: dict[str, dict[str, Any]], cell: str, tmp_path: Path, verdict: Verdict
) -> None:
    result = verdict(write_report(tmp_path, rows_with(**changes)))
    hits = [p for p in result.problems if p.rule == rule]
    assert [p.cell for p in hits] == [cell], result.problems
    assert hits[0].severity == load_catalog().rules[rule].severity
    assert hits[0].sheet == cell.split("!")[0]
    expected = "rejected" if hits[0].severity == "error" else "accepted_with_warnings"
    assert result.status == expected


@pytest.mark.parametrize(("rule", "changes"), QUIET, ids=[c[0] for c in QUIET])
def test_cell_rule_stays_quiet_on_a_near_miss(
    rule: str, changes: dict[str, dict[str, Any]], tmp_path: Path, verdict: Verdict
) -> None:
    result = verdict(write_report(tmp_path, rows_with(**changes)))
    assert result.problems == [], result.problems


def test_duplicate_project_id_is_reported_on_the_second_row(tmp_path: Path, verdict: Verdict) -> None:
    rows = rows_with()
    rows["projects"][1]["project_id"] = rows["projects"][0]["project_id"]
    hits = [p for p in verdict(write_report(tmp_path, rows)).problems if p.rule == "cell.unique"]
    assert {p.cell for p in hits} >= {"projects!A4"}


def test_both_missing_adopter_cells_are_named(tmp_path: Path, verdict: Verdict) -> None:
    result = verdict(write_report(tmp_path, rows_with(pilots={"adopter_name": None, "adopter_bin": None})))
    assert sorted(p.cell for p in result.problems if p.rule == "pilots.adopter_required") == ["pilots!F3", "pilots!G3"]


def test_a_rule_switched_off_in_rules_yaml_is_not_reported(
    tmp_path: Path, verdict: Verdict, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = load_catalog()
    rule = catalog.rules["projects.trl_fall"]
    monkeypatch.setitem(
        catalog.rules, "projects.trl_fall", type(rule)(rule.code, rule.severity, False, rule.message, rule.fix)
    )
    result = verdict(write_report(tmp_path, rows_with(projects={"trl_current": 3})))
    assert "projects.trl_fall" not in _rules(result)


# ---- structure: _meta against the folder and the calendar --------------------------------------


@pytest.mark.parametrize(
    ("rule", "kwargs", "folder", "now"),
    [
        ("meta.centre_mismatch", {"centre": "HEALTH"}, "AGRO", None),
        ("meta.centre_unknown", {"centre": "SPACE"}, "AGRO", None),
        ("meta.period_unknown", {"period": "2024S2"}, "AGRO", None),
        ("meta.period_not_open", {"period": "2026S2"}, "AGRO", datetime(2026, 6, 30, tzinfo=UTC)),
        ("meta.missing", {"meta": {"prepared_by": None}}, "AGRO", None),
        ("meta.contact_email", {"meta": {"contact_email": "sarsenova at agro"}}, "AGRO", None),
        ("meta.language", {"lang": "de"}, "AGRO", None),
    ],
)
def test_meta_rule_fires(
    rule: str, kwargs: dict[str, Any], folder: str, now: datetime | None, tmp_path: Path, verdict: Verdict
) -> None:
    rows = kwargs.pop("rows", None)
    result = verdict(write_report(tmp_path, rows, **kwargs), folder=folder, **({"now": now} if now else {}))
    hits = [p for p in result.problems if p.rule == rule]
    assert len(hits) == 1, result.problems
    assert hits[0].severity == load_catalog().rules[rule].severity


def test_meta_rules_quiet_for_an_open_period_in_the_right_folder(tmp_path: Path, verdict: Verdict) -> None:
    result = verdict(write_report(tmp_path, period="2026S2", lang="en"), now=datetime(2026, 7, 1, tzinfo=UTC))
    assert result.problems == []
    assert result.lang == "en"


def _edit(path: Path, edit: Any) -> Path:
    """Change the workbook as a user would in a spreadsheet program, then save it."""
    book = openpyxl.load_workbook(path)
    edit(book)
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("rule", "edit"),
    [
        ("template.id", lambda b: b["_meta"].__setitem__("B1", "someone-elses-template")),
        ("template.version", lambda b: b["_meta"].__setitem__("B2", 0)),
    ],
)
def test_template_identity_rules_fire_and_stop_content_checks(
    rule: str, edit: Any, tmp_path: Path, verdict: Verdict
) -> None:
    result = verdict(_edit(write_report(tmp_path, rows_with(projects={"title": None})), edit))
    assert _rules(result) == {rule}
    assert result.problems[0].cell is None
    assert result.status == "rejected"


def test_a_workbook_without_meta_is_not_our_template(tmp_path: Path, verdict: Verdict) -> None:
    result = verdict(_edit(write_report(tmp_path), lambda b: b.remove(b["_meta"])))
    assert _rules(result) == {"template.id"}


def test_missing_sheet_is_named_and_content_is_not_checked(tmp_path: Path, verdict: Verdict) -> None:
    result = verdict(
        _edit(write_report(tmp_path, rows_with(projects={"title": None})), lambda b: b.remove(b["pilots"]))
    )
    assert [(p.rule, p.sheet) for p in result.problems] == [("sheet.missing", "pilots")]


def test_optional_sheet_may_be_missing(tmp_path: Path, verdict: Verdict) -> None:
    assert verdict(_edit(write_report(tmp_path), lambda b: b.remove(b["narrative"]))).problems == []


def test_deleted_column_is_named(tmp_path: Path, verdict: Verdict) -> None:
    result = verdict(_edit(write_report(tmp_path), lambda b: b["kpi"].delete_cols(5)))  # target_value
    assert [(p.rule, p.sheet, p.column) for p in result.problems] == [("sheet.column_missing", "kpi", "target_value")]


def test_extra_column_is_a_warning_and_the_data_still_loads(tmp_path: Path, verdict: Verdict) -> None:
    def add(book: openpyxl.Workbook) -> None:
        book["kpi"]["J1"], book["kpi"]["J2"] = "my_notes", "Мои заметки"

    result = verdict(_edit(write_report(tmp_path), add))
    assert [(p.rule, p.value) for p in result.problems] == [("sheet.column_unknown", "my_notes")]
    assert result.status == "accepted_with_warnings"


def test_deleted_code_row_falls_back_to_labels_in_any_language(tmp_path: Path, verdict: Verdict) -> None:
    result = verdict(_edit(write_report(tmp_path, lang="ru"), lambda b: b["projects"].delete_rows(1)))
    assert result.problems == []
    assert len(result.frames["projects"]) == len(ROWS["projects"])


def test_moved_columns_are_found_by_code_and_cells_point_at_the_real_place(tmp_path: Path, verdict: Verdict) -> None:
    result = verdict(_edit(write_report(tmp_path, rows_with(kpi={"unit": "KZT"})), lambda b: b["kpi"].insert_cols(1)))
    assert [(p.rule, p.cell) for p in result.problems] == [("kpi.unit_mismatch", "kpi!E3")]


def test_empty_required_sheet_needs_the_nothing_to_report_flag(tmp_path: Path, verdict: Verdict) -> None:
    rows = {**rows_with(), "budget": []}
    assert _rules(verdict(write_report(tmp_path, rows))) == {"sheet.empty"}
    quiet = verdict(write_report(tmp_path, rows, {"nothing_to_report_budget": "YES"}, name="flagged.xlsx"))
    assert quiet.problems == []


def test_rows_on_a_sheet_flagged_empty_are_a_warning(tmp_path: Path, verdict: Verdict) -> None:
    result = verdict(write_report(tmp_path, meta={"nothing_to_report_budget": "YES"}))
    assert [(p.rule, p.sheet) for p in result.problems] == [("sheet.rows_despite_nothing", "budget")]
