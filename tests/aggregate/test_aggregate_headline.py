"""Headline figures per area: portfolio by status, money, key KPIs and budget execution."""

from __future__ import annotations

import pandas as pd
import pytest

from council.catalog import load_catalog
from tasks.aggregate import headline_by_area
from tasks.aggregate.headline import headline_indicators
from tasks.aggregate.inputs import empty_sheet_frame
from tests.aggregate.pack_inputs_builder import make_inputs

CATALOG = load_catalog()


def headline(**overrides: object) -> pd.DataFrame:
    return headline_by_area(make_inputs(**overrides), CATALOG).set_index("priority_area")


def test_one_row_per_area_then_the_total() -> None:
    assert list(headline().index) == [*CATALOG.codes("priority_area"), "ALL"]


def test_projects_are_counted_by_their_own_area_and_status() -> None:
    table = headline()
    assert table["projects"].to_dict() == {"MEDTECH": 1, "AGRITECH": 2, "GREENTECH": 1, "OTHER": 0, "ALL": 4}
    assert table.loc["AGRITECH", ["projects_ACTIVE", "projects_COMPLETED"]].tolist() == [1, 1]
    assert table.loc["ALL", [f"projects_{s}" for s in CATALOG.codes("project_status")]].sum() == 4


def test_money_sums_and_funding_split() -> None:
    table = headline()
    assert table.loc["AGRITECH", "budget_total_kzt"] == pytest.approx(300.5)
    assert table.loc["GREENTECH", ["funding_public_kzt", "funding_private_kzt", "funding_foreign_kzt"]].tolist() == [
        400,
        300,
        300,
    ]
    assert table.loc["ALL", "budget_total_kzt"] == pytest.approx(1350.5)
    assert table.loc["OTHER", "budget_total_kzt"] == 0


def test_headline_kpis_group_the_catalogs_indicators() -> None:
    groups = headline_indicators(CATALOG)
    assert set(groups["investment_kzt"]) == {"INVEST_PUBLIC_KZT", "INVEST_PRIVATE_KZT", "INVEST_FOREIGN_KZT"}
    table = headline()
    assert table.loc["MEDTECH", "patent_applications"] == 3  # PAT_APP_KZ 2 + PAT_APP_PCT 1
    assert table.loc["ALL", "investment_kzt"] == pytest.approx(1_000_500.75)
    assert table.loc["ALL", "jobs"] == 41  # AGRO counted once, by its ALL row
    assert pd.isna(table.loc["OTHER", "jobs"]) and pd.isna(table.loc["ALL", "implementations"])


def test_budget_execution_is_spent_over_corrected_plan() -> None:
    table = headline()
    assert table.loc["AGRITECH", "budget_execution_pct"] == pytest.approx(0.8)
    assert table.loc["OTHER", "budget_execution_pct"] == 0
    assert pd.isna(table.loc["MEDTECH", "budget_execution_pct"])  # a zero plan has no rate
    assert table.loc["ALL", "budget_execution_pct"] == pytest.approx(1300 / 1600)


def test_empty_sheets_give_zero_counts_and_na_rates() -> None:
    table = headline(projects=empty_sheet_frame(CATALOG, "projects"), budget=empty_sheet_frame(CATALOG, "budget"))
    assert table["projects"].eq(0).all() and table["budget_total_kzt"].eq(0).all()
    assert table["budget_execution_pct"].isna().all()
