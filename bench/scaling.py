"""Item 4: 10, 100, 1,000 sample-size workbooks in one sweep: seconds per workbook and peak RSS."""

from __future__ import annotations

from typing import Any

from bench.common import run_worker
from bench.sweep import prepare

PERIODS = ("2025S1", "2025S2", "2026S1")  # files beyond 24 are re-submissions: they supersede, as corrections do


def measure(counts: list[int]) -> list[dict[str, Any]]:
    """`council ingest` on a fresh process and data folder per point; the workload is the sample size (12 projects,
    18 KPI rows); the time includes starting the workers."""
    points = []
    for count in counts:
        result = run_worker("bench.sweep", {"data_dir": str(prepare(count, 0, 0, PERIODS)), "cold": True})
        per = result["wall_s"] / max(result["files"], 1)
        points.append({"workbooks": count, "s_per_workbook": round(per, 3), **result})
    return points
