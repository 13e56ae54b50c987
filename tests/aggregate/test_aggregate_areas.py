"""KPIs by priority area: hand-computed totals, no double counting of ALL, own-area rule, NA not 0."""

from __future__ import annotations

import pandas as pd
import pytest

from council.catalog import load_catalog
from tasks.aggregate import kpi_by_area, kpi_totals
from tasks.aggregate.inputs import empty_sheet_frame
from tests.aggregate.pack_inputs_builder import PERIOD, PREVIOUS, frame, kpi_row, make_inputs

CATALOG = load_catalog()


def one(table: pd.DataFrame, area: str, indicator: str) -> pd.Series:
    rows = table.loc[table["priority_area"].eq(area) & table["indicator_code"].eq(indicator)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_area_values_match_a_hand_computed_total() -> None:
    row = one(kpi_by_area(make_inputs(), CATALOG), "AGRITECH", "JOBS_CREATED")
    # AGRO: 10 + 5 (two projects), targets 20 + 5; 12 a half-year earlier, 10 a year earlier.
    assert (row["value"], row["target"], row["value_prev"], row["value_year_ago"]) == (15, 25, 12, 10)
    assert row["pct_of_target"] == pytest.approx(0.6)
    assert row["change_vs_prev"] == pytest.approx(0.25)
    assert row["change_vs_year_ago"] == pytest.approx(0.5)
    assert row["centres_reporting"] == 1
    assert row["unit"] == "COUNT" and row["aggregation"] == "sum"


def test_all_rows_form_their_own_block_and_are_never_added_into_an_area() -> None:
    table = kpi_by_area(make_inputs(), CATALOG)
    jobs = table.loc[table["indicator_code"].eq("JOBS_CREATED")].set_index("priority_area")["value"]
    assert jobs.to_dict() == {"MEDTECH": 4, "AGRITECH": 15, "GREENTECH": 7, "ALL": 30}
    assert list(table["priority_area"].unique()) == ["MEDTECH", "AGRITECH", "GREENTECH", "ALL"]


def test_grand_total_counts_each_centre_once() -> None:
    row = one(kpi_totals(make_inputs(), CATALOG), "ALL", "JOBS_CREATED")
    # AGRO's ALL row (30) replaces its area rows (15); OILGAS 7 and HEALTH 4 come from their areas.
    assert (row["value"], row["target"], row["centres_reporting"]) == (41, 50, 3)
    # Previous half-year: AGRO ALL 20 + HEALTH 2; a year ago AGRO had no ALL row: its area row 10.
    assert (row["value_prev"], row["value_year_ago"]) == (22, 10)


def test_a_row_counts_in_its_own_area_not_the_centres_default() -> None:
    table = kpi_by_area(make_inputs(), CATALOG)
    assert CATALOG.centres["OILGAS"].default_area == "OTHER"
    assert one(table, "GREENTECH", "INVEST_PRIVATE_KZT")["value"] == pytest.approx(1_000_000.5)
    assert not table["priority_area"].eq("OTHER").any()


def test_missing_comparison_period_gives_na_not_zero() -> None:
    row = one(kpi_by_area(make_inputs(), CATALOG), "GREENTECH", "JOBS_CREATED")
    assert pd.isna(row["value_prev"]) and pd.isna(row["change_vs_prev"])
    assert pd.isna(row["change_vs_year_ago"])


def test_missing_target_or_zero_earlier_value_gives_na() -> None:
    rows = [
        kpi_row(PERIOD, "AGRO", "LICENCES", "AGRITECH", 3, None),
        kpi_row(PREVIOUS, "AGRO", "LICENCES", "AGRITECH", 0, 0),
    ]
    row = one(
        kpi_by_area(make_inputs(kpi=frame(CATALOG, "kpi", rows, with_period=True)), CATALOG), "AGRITECH", "LICENCES"
    )
    assert pd.isna(row["pct_of_target"]) and pd.isna(row["change_vs_prev"])
    assert row["value_prev"] == 0


def test_missing_observation_is_not_reported_rather_than_zero() -> None:
    row = one(kpi_by_area(make_inputs(), CATALOG), "MEDTECH", "PATIENTS_REACHED")
    assert pd.isna(row["value"]) and row["target"] == 100 and row["centres_reporting"] == 0


def test_rows_follow_catalog_order_whatever_the_input_order() -> None:
    inputs = make_inputs()
    shuffled = make_inputs(kpi=inputs.kpi.sample(frac=1, random_state=7))
    pd.testing.assert_frame_equal(kpi_by_area(inputs, CATALOG), kpi_by_area(shuffled, CATALOG))
    medtech = kpi_by_area(inputs, CATALOG).query("priority_area == 'MEDTECH'")["indicator_code"].tolist()
    assert medtech == [code for code in CATALOG.indicators if code in medtech]


def test_input_frames_are_not_mutated() -> None:
    inputs = make_inputs()
    before = inputs.kpi.copy(deep=True)
    kpi_by_area(inputs, CATALOG)
    kpi_totals(inputs, CATALOG)
    pd.testing.assert_frame_equal(inputs.kpi, before)


def test_no_kpi_rows_gives_an_empty_table_with_its_columns() -> None:
    inputs = make_inputs(kpi=empty_sheet_frame(CATALOG, "kpi", with_period=True))
    table = kpi_by_area(inputs, CATALOG)
    assert table.empty and "change_vs_prev" in table.columns
    assert kpi_totals(inputs, CATALOG).empty
