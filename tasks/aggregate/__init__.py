"""Aggregation for the Council pack: pure functions over the frames of `PackInputs`."""

from tasks.aggregate.areas import kpi_by_area, kpi_totals
from tasks.aggregate.completeness import completeness, completeness_counts, completeness_summary
from tasks.aggregate.headline import headline_by_area
from tasks.aggregate.inputs import PackInputs
from tasks.aggregate.portfolio import budget_execution, headline_trend, portfolio
from tasks.aggregate.rag import rag_thresholds, rate, with_rating
from tasks.aggregate.tables import PackTables, build_tables

__all__ = [
    "PackInputs",
    "PackTables",
    "budget_execution",
    "build_tables",
    "completeness",
    "completeness_counts",
    "completeness_summary",
    "headline_by_area",
    "headline_trend",
    "kpi_by_area",
    "kpi_totals",
    "portfolio",
    "rag_thresholds",
    "rate",
    "with_rating",
]
