"""Tiny hand-made PackInputs (3 reporting centres) whose totals are worked out by hand in the tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from council.catalog import Catalog, load_catalog
from tasks.aggregate.inputs import SUBMISSION_COLUMNS, PackInputs, sheet_columns

PERIOD, PREVIOUS, YEAR_AGO = "2026S1", "2025S2", "2025S1"
BUILT_AT = datetime(2026, 9, 17, 6, 0, tzinfo=UTC)
FORMULA_TITLE = '=HYPERLINK("http://example.invalid","click")'
FORMULA_DECISION = "=1+1 approve the pilot budget"
PLUS_DECISION = "+7 701 000 00 00 call the centre"
FORMULA_FILE = "=SUM(1,2).xlsx"


def frame(catalog: Catalog, sheet: str, rows: list[dict[str, Any]], with_period: bool = False) -> pd.DataFrame:
    """Rows given as dicts, with every column of `sheet` present (absent fields are empty)."""
    return pd.DataFrame(rows, dtype=object).reindex(columns=list(sheet_columns(catalog, sheet, with_period)))


def kpi_row(
    period: str, centre: str, indicator: str, area: str, value: float, target: float | None = None, **extra: Any
) -> dict[str, Any]:
    unit = load_catalog().indicators[indicator].unit
    row = {"period": period, "centre": centre, "submission_id": f"{centre}-{period}", "indicator_code": indicator}
    return (
        row | {"priority_area": area, "value": value, "unit": unit, "target_value": target, "obs_status": "A"} | extra
    )


KPI_ROWS = [
    kpi_row(PERIOD, "AGRO", "JOBS_CREATED", "AGRITECH", 10, 20, project_id="AGRO-2026-001"),
    kpi_row(PERIOD, "AGRO", "JOBS_CREATED", "AGRITECH", 5, 5, project_id="AGRO-2026-002"),
    kpi_row(PERIOD, "AGRO", "JOBS_CREATED", "ALL", 30, 40),
    kpi_row(PERIOD, "OILGAS", "JOBS_CREATED", "GREENTECH", 7, 10),
    kpi_row(PERIOD, "OILGAS", "INVEST_PRIVATE_KZT", "GREENTECH", 1_000_000.5, 2_000_000),
    kpi_row(PERIOD, "HEALTH", "JOBS_CREATED", "MEDTECH", 4, None),
    kpi_row(PERIOD, "HEALTH", "PAT_APP_KZ", "MEDTECH", 2, 3),
    kpi_row(PERIOD, "HEALTH", "PAT_APP_PCT", "MEDTECH", 1, 1),
    kpi_row(PERIOD, "HEALTH", "INVEST_PUBLIC_KZT", "MEDTECH", 500.25, None),
    kpi_row(PERIOD, "HEALTH", "PATIENTS_REACHED", "MEDTECH", 0, 100, obs_status="M", comment="-not counted yet"),
    kpi_row(PREVIOUS, "AGRO", "JOBS_CREATED", "AGRITECH", 12, 20),
    kpi_row(PREVIOUS, "AGRO", "JOBS_CREATED", "ALL", 20, 30),
    kpi_row(PREVIOUS, "HEALTH", "JOBS_CREATED", "MEDTECH", 2, 2),
    kpi_row(YEAR_AGO, "AGRO", "JOBS_CREATED", "AGRITECH", 10, 10),
    kpi_row(YEAR_AGO, "HEALTH", "PAT_APP_KZ", "MEDTECH", 1, 1),
]


def project(
    centre: str,
    number: int,
    area: str,
    status: str,
    total: float,
    public: float,
    private: float,
    foreign: float,
    title: str = "Project",
) -> dict[str, Any]:
    return {
        "centre": centre,
        "submission_id": f"{centre}-{PERIOD}",
        "project_id": f"{centre}-2026-{number:03d}",
        "title": title,
        "priority_area": area,
        "project_type": "RND",
        "status": status,
        "budget_total_kzt": total,
        "funding_public_kzt": public,
        "funding_private_kzt": private,
        "funding_foreign_kzt": foreign,
    }


PROJECT_ROWS = [
    project("AGRO", 1, "AGRITECH", "ACTIVE", 100.5, 100.5, 0, 0),
    project("AGRO", 2, "AGRITECH", "COMPLETED", 200, 0, 200, 0),
    project("OILGAS", 1, "GREENTECH", "ACTIVE", 1000, 400, 300, 300, title=FORMULA_TITLE),
    project("HEALTH", 1, "MEDTECH", "PLANNED", 50, 50, 0, 0),
]


def budget(centre: str, line: str, area: str, plan: float, spent: float) -> dict[str, Any]:
    amounts = {"plan_approved_kzt": plan, "plan_corrected_kzt": plan, "allocated_kzt": plan, "spent_kzt": spent}
    return {
        "centre": centre,
        "submission_id": f"{centre}-{PERIOD}",
        "budget_line": line,
        "funding_source": "GRANT",
        "priority_area": area,
    } | amounts


BUDGET_ROWS = [
    budget("AGRO", "Equipment", "AGRITECH", 1000, 800),
    budget("OILGAS", "Pilots", "GREENTECH", 500, 500),
    budget("OILGAS", "Studies", "OTHER", 100, 0),
    budget("HEALTH", "Nothing planned", "MEDTECH", 0, 0),
]


def narrative(centre: str, section: str, text: str, area: str, rag: str | None = None) -> dict[str, Any]:
    return {
        "centre": centre,
        "submission_id": f"{centre}-{PERIOD}",
        "section": section,
        "text": text,
        "rag": rag,
        "priority_area": area,
    }


NARRATIVE_ROWS = [
    narrative("AGRO", "DECISION_REQUEST", FORMULA_DECISION, "AGRITECH"),
    narrative("HEALTH", "RISK", "Supplier delay", "MEDTECH", "RED"),
    narrative("OILGAS", "DECISION_REQUEST", PLUS_DECISION, "ALL"),
]


def submission(centre: str, status: str, version: int = 1, on_time: bool | None = True, **extra: Any) -> dict[str, Any]:
    row = {
        "centre": centre,
        "submission_id": f"{centre}-{PERIOD}",
        "sha256": f"{centre.lower():0<64}",
        "file_name": f"{centre}.xlsx",
    }
    counts = {"errors": 0, "warnings": 0, "estimated_values": 0, "is_correction": False}
    received = {"received_at": datetime(2026, 7, 20, 9, 30, tzinfo=UTC), "template_version": 1}
    return row | received | counts | {"version": version, "status": status, "on_time": on_time} | extra


SUBMISSION_ROWS = [
    submission("AGRO", "accepted"),
    submission("OILGAS", "accepted_with_warnings", version=2, on_time=False, warnings=3, is_correction=True),
    submission("HEALTH", "accepted", estimated_values=1),
    submission("ELEC", "rejected", errors=4, file_name=FORMULA_FILE),
    submission("MINMET", "held", on_time=False),
    {"centre": "ENERGY", "status": "missing", "version": 0},
]  # MACH and CHEM have no row at all: completeness must still list them as missing.


def make_inputs(**overrides: Any) -> PackInputs:
    """The tiny PackInputs above; keyword arguments replace any of its fields."""
    catalog = load_catalog()
    inputs = PackInputs(
        meeting_id="TPC-2026-09",
        period=PERIOD,
        previous_period=PREVIOUS,
        year_ago_period=YEAR_AGO,
        built_at=BUILT_AT,
        submissions=pd.DataFrame(SUBMISSION_ROWS).reindex(columns=list(SUBMISSION_COLUMNS)),
        kpi=frame(catalog, "kpi", KPI_ROWS, with_period=True),
        projects=frame(catalog, "projects", PROJECT_ROWS),
        budget=frame(catalog, "budget", BUDGET_ROWS),
        pilots=frame(catalog, "pilots", []),
        narrative=frame(catalog, "narrative", NARRATIVE_ROWS),
    )
    return replace(inputs, **overrides)
