"""Plausibility against the previous accepted period: warnings that fire on real changes and not on noise."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from council.catalog import load_catalog
from council.settings import Settings
from tasks.validate.plausibility import area_changes, kpi_changes
from tests.intake.conftest import drop
from tests.validate.workbooks import rows_with, write_report

pytest_plugins = ["tests.intake.conftest"]


def kpi(*rows: tuple[str, str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"indicator_code": c, "priority_area": a, "value": v, "excel_row": i + 3} for i, (c, a, v) in enumerate(rows)]
    )


@pytest.mark.parametrize(
    ("before", "now", "jump", "fall"),
    [
        (("JOBS_CREATED", "AGRITECH", 12), ("JOBS_CREATED", "AGRITECH", 100), True, False),  # 8.3x
        (("JOBS_CREATED", "AGRITECH", 100), ("JOBS_CREATED", "AGRITECH", 12), True, False),  # fell 8.3x
        (("JOBS_CREATED", "AGRITECH", 12), ("JOBS_CREATED", "AGRITECH", 40), False, False),  # 3.3x: plausible
        (("JOBS_CREATED", "AGRITECH", 2), ("JOBS_CREATED", "AGRITECH", 30), False, False),  # below min_value
        (("AREA_COVERED_HA", "AGRITECH", 500), ("AREA_COVERED_HA", "AGRITECH", 400), False, True),  # stock fell
        (("AREA_COVERED_HA", "AGRITECH", 500), ("AREA_COVERED_HA", "AGRITECH", 520), False, False),
        (("JOBS_CREATED", "AGRITECH", 50), ("JOBS_CREATED", "AGRITECH", 40), False, False),  # a flow may fall
        (("JOBS_CREATED", "MEDTECH", 12), ("JOBS_CREATED", "AGRITECH", 100), False, False),  # not the same series
    ],
)
def test_kpi_changes(before: tuple, now: tuple, jump: bool, fall: bool) -> None:
    changes = kpi_changes(kpi(now), kpi(before), load_catalog())
    assert (bool(changes["jump"].any()), bool(changes["fall"].any())) == (jump, fall)


def test_project_rows_of_one_indicator_add_up_before_comparing() -> None:
    now = kpi(("JOBS_CREATED", "AGRITECH", 30), ("JOBS_CREATED", "AGRITECH", 30))
    changes = kpi_changes(now, kpi(("JOBS_CREATED", "AGRITECH", 55)), load_catalog())
    assert changes[["value", "value_prev", "excel_row"]].values.tolist() == [[60, 55, 3]]


def test_area_changes() -> None:
    before = pd.DataFrame({"project_id": ["A-1", "A-2"], "priority_area": ["AGRITECH", "OTHER"]})
    now = pd.DataFrame(
        {
            "project_id": ["A-1", "A-2", "A-3"],
            "priority_area": ["GREENTECH", "OTHER", "MEDTECH"],
            "excel_row": [3, 4, 5],
        }
    )
    assert area_changes(now, before)["project_id"].tolist() == ["A-1"]


def test_warnings_reach_the_submission_at_the_right_cells(
    tmp_path: Path, settings: Settings, run_sweep: Callable
) -> None:
    drop(settings, "AGRO", write_report(tmp_path, period="2025S2", name="2025S2.xlsx"))
    assert [o.status for o in run_sweep()] == ["accepted"]
    changed = rows_with(kpi={"value": 100}, projects={"priority_area": "GREENTECH"})
    drop(settings, "AGRO", write_report(tmp_path, changed, name="2026S1.xlsx"))
    [outcome] = run_sweep()
    assert outcome.status == "accepted_with_warnings"
    found = sorted((p.rule, p.cell, p.severity) for p in outcome.problems)
    assert found == [
        ("plausibility.area_changed", "projects!C3", "warning"),
        ("plausibility.jump", "kpi!C3", "warning"),
    ]


def test_no_previous_period_means_no_plausibility_warnings(
    tmp_path: Path, settings: Settings, run_sweep: Callable
) -> None:
    drop(settings, "AGRO", write_report(tmp_path, rows_with(kpi={"value": 100})))
    assert [o.problems for o in run_sweep()] == [[]]


def test_a_cumulative_indicator_that_fell_is_a_warning_at_its_value_cell() -> None:
    from tasks.validate.plausibility import _kpi_warnings

    now, before = kpi(("AREA_COVERED_HA", "AGRITECH", 400)), kpi(("AREA_COVERED_HA", "AGRITECH", 500))
    [warning] = _kpi_warnings(now, before, load_catalog(), 2, "en")
    assert warning is not None
    assert (warning.rule, warning.severity, warning.cell) == ("plausibility.cumulative_fall", "warning", "kpi!C3")
