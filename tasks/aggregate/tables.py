"""All aggregate tables of one pack, computed once and handed to every renderer (xlsx, html, manifest)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from council.catalog import Catalog
from tasks.aggregate.areas import kpi_by_area, kpi_totals
from tasks.aggregate.completeness import completeness
from tasks.aggregate.headline import headline_by_area
from tasks.aggregate.inputs import PackInputs
from tasks.aggregate.portfolio import budget_execution, headline_trend, portfolio
from tasks.aggregate.rag import pack_config, rag_thresholds, with_rating


@dataclass(frozen=True)
class PackTables:
    """The pack's numbers: KPIs by area and in total (rated), headline figures, completeness, and more."""

    kpi_by_area: pd.DataFrame
    kpi_totals: pd.DataFrame
    headline: pd.DataFrame
    completeness: pd.DataFrame
    portfolio: pd.DataFrame
    budget_by_centre: pd.DataFrame
    budget_by_area: pd.DataFrame
    trend: pd.DataFrame
    trend_kpi: str


def build_tables(inputs: PackInputs, catalog: Catalog) -> PackTables:
    """Compute every aggregate table of the pack from its inputs."""
    thresholds = rag_thresholds(catalog.root)
    trend_kpi = str(pack_config(catalog.root)["trend_kpi"])
    return PackTables(
        kpi_by_area=with_rating(kpi_by_area(inputs, catalog), thresholds),
        kpi_totals=with_rating(kpi_totals(inputs, catalog), thresholds),
        headline=headline_by_area(inputs, catalog),
        completeness=completeness(inputs, catalog),
        portfolio=portfolio(inputs, catalog),
        budget_by_centre=budget_execution(inputs, catalog, "centre"),
        budget_by_area=budget_execution(inputs, catalog, "priority_area"),
        trend=headline_trend(inputs, catalog, trend_kpi),
        trend_kpi=trend_kpi,
    )
