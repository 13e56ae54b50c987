"""Aggregation for the Council pack: pure functions over the frames of `PackInputs`."""

from tasks.aggregate.areas import kpi_by_area, kpi_totals
from tasks.aggregate.completeness import completeness, completeness_counts, completeness_summary
from tasks.aggregate.headline import headline_by_area
from tasks.aggregate.inputs import PackInputs
from tasks.aggregate.tables import PackTables, build_tables

__all__ = [
    "PackInputs",
    "PackTables",
    "build_tables",
    "completeness",
    "completeness_counts",
    "completeness_summary",
    "headline_by_area",
    "kpi_by_area",
    "kpi_totals",
]
