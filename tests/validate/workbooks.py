"""A small valid report (written by the real template writer) and ways to break it, for rule tests."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from council.catalog import load_catalog
from tasks.read import FileIssue, IsolatedReader, ReadLimits
from tasks.template.workbook import build_workbook
from tasks.validate import ValidationResult, file_issue_result, validate_workbook

NOW = datetime(2026, 7, 20, 9, 0, tzinfo=UTC)  # inside 2026S1's reporting window

META: dict[str, Any] = {"prepared_by": "Айгүл Сәрсенова", "contact_email": "a.sarsenova@agro.kz", "is_correction": "NO"}

PROJECT: dict[str, Any] = {
    "project_id": "AGRO-2025-001",
    "title": "Тамшылатып суару технологиясын енгізу",
    "priority_area": "AGRITECH",
    "sector": "Өсімдік шаруашылығы",
    "project_type": "PILOT",
    "status": "ACTIVE",
    "trl_start": 4,
    "trl_current": 5,
    "start_date": date(2025, 2, 1),
    "end_date_plan": date(2026, 12, 31),
    "region_code": "KZ-19",
    "partner_name": "ТОО «АгроИнновации»",
    "partner_bin": "010203400123",
    "budget_total_kzt": 1_000_000.00,
    "funding_public_kzt": 600_000.00,
    "funding_private_kzt": 350_000.50,
    "funding_foreign_kzt": 49_999.50,
    "comment": None,
}

ROWS: dict[str, list[dict[str, Any]]] = {
    "projects": [
        PROJECT,
        {**PROJECT, "project_id": "AGRO-2026-002", "priority_area": "GREENTECH", "status": "PLANNED"},
    ],
    "kpi": [
        {
            "indicator_code": "JOBS_CREATED",
            "priority_area": "AGRITECH",
            "value": 12,
            "unit": "COUNT",
            "target_value": 10,
            "obs_status": "A",
            "project_id": "AGRO-2025-001",
        },
        {
            "indicator_code": "INVEST_PRIVATE_KZT",
            "priority_area": "AGRITECH",
            "value": 2.5e8,
            "unit": "KZT",
            "target_value": 3e8,
            "obs_status": "A",
        },
        {
            "indicator_code": "REPORTS_PUBLISHED",
            "priority_area": "ALL",
            "value": 3,
            "unit": "COUNT",
            "target_value": 4,
            "obs_status": "A",
        },
    ],
    "budget": [
        {
            "budget_line": "Жабдық сатып алу",
            "funding_source": "GRANT",
            "priority_area": "AGRITECH",
            "plan_approved_kzt": 100_000.0,
            "plan_corrected_kzt": 100_000.0,
            "allocated_kzt": 100_000.0,
            "spent_kzt": 92_000.0,
        },
    ],
    "pilots": [
        {
            "technology_name": "Дрондармен бүрку",
            "priority_area": "AGRITECH",
            "stage": "PILOT",
            "origin": "FOREIGN",
            "origin_country": "CN",
            "adopter_name": "ШҚ «Береке»",
            "adopter_bin": "120440012345",
            "trl": 7,
            "effect_metric": "Су үнемдеу, %",
            "effect_value": 30,
            "import_substitution": "NO",
        },
    ],
    "narrative": [
        {"section": "ACHIEVEMENT", "text": "Алғашқы пилот сәтті аяқталды.", "priority_area": "AGRITECH"},
        {"section": "RISK", "text": "Жабдық жеткізу кешігуі мүмкін.", "rag": "AMBER", "priority_area": "AGRITECH"},
    ],
}


def judge_file(reader: IsolatedReader, path: Path, folder: str = "AGRO", now: datetime = NOW) -> ValidationResult:
    """Read a real file through the isolated reader and validate it as if dropped in `folder`."""
    raw = reader.read(path, ReadLimits())
    if isinstance(raw, FileIssue):
        return file_issue_result(raw, load_catalog())
    return validate_workbook(raw, load_catalog(), folder_centre=folder, now=now)


def rows_with(**changes: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """A deep copy of the valid rows with `sheet={"field": value}` applied to each sheet's first row."""
    rows = copy.deepcopy(ROWS)
    for sheet, fields in changes.items():
        rows[sheet][0].update(fields)
    return rows


def write_report(
    folder: Path,
    rows: dict[str, list[dict[str, Any]]] | None = None,
    meta: dict[str, Any] | None = None,
    *,
    centre: str = "AGRO",
    period: str = "2026S1",
    lang: str = "kk",
    name: str = "report.xlsx",
) -> Path:
    """The workbook a centre would upload, written by the template writer."""
    path = folder / name
    data = build_workbook(
        load_catalog(), centre, period, lang, ROWS if rows is None else rows, {**META, **(meta or {})}
    )
    path.write_bytes(data)
    return path
