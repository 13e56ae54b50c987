"""One mistake repeated in many rows is counted in full but listed only up to a cap."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.feedback import group_problems
from tasks.validate import content
from tests.validate.conftest import Verdict
from tests.validate.workbooks import ROWS, write_report


def test_findings_past_the_cap_are_counted_not_listed(
    tmp_path: Path, verdict: Verdict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(content, "MAX_LISTED", 2)
    kpi = [
        {**ROWS["kpi"][0], "priority_area": area, "unit": "KZT"}
        for area in ("AGRITECH", "MEDTECH", "GREENTECH", "OTHER", "ALL")
    ]
    result = verdict(write_report(tmp_path, {**ROWS, "kpi": kpi}))
    listed = [p for p in result.problems if p.rule == "kpi.unit_mismatch"]
    assert [p.cell for p in listed] == ["kpi!D3", "kpi!D4"]
    assert [p.more for p in listed] == [0, 3]
    [group] = [g for g in group_problems(result.problems) if g.rule == "kpi.unit_mismatch"]
    assert (group.count, group.more_cells) == (5, 3)
