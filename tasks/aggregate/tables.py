"""All aggregate tables of one pack, computed once and handed to every renderer (xlsx, html, manifest)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from council.catalog import Catalog
from tasks.aggregate.areas import kpi_by_area, kpi_totals
from tasks.aggregate.completeness import completeness
from tasks.aggregate.headline import headline_by_area
from tasks.aggregate.inputs import PackInputs


@dataclass(frozen=True)
class PackTables:
    """The pack's numbers: KPIs by area and in total, headline figures, completeness."""

    kpi_by_area: pd.DataFrame
    kpi_totals: pd.DataFrame
    headline: pd.DataFrame
    completeness: pd.DataFrame


def build_tables(inputs: PackInputs, catalog: Catalog) -> PackTables:
    """Compute every aggregate table of the pack from its inputs."""
    return PackTables(
        kpi_by_area=kpi_by_area(inputs, catalog),
        kpi_totals=kpi_totals(inputs, catalog),
        headline=headline_by_area(inputs, catalog),
        completeness=completeness(inputs, catalog),
    )
