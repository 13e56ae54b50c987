"""KPIs by priority area and in total, with target and comparison periods, for the Council pack.

How values combine:
- Within one submission there is one value per indicator × area: rows split by project are summed.
- Across centres every indicator adds up, flows and cumulative stocks alike (each centre reports
  its own stock at period end).
- The catalog's `aggregation` ("sum" | "last") says how values combine over *periods*. A pack only
  ever sets single half-years side by side, so neither rule changes a number here: a "sum" flow
  is compared flow to flow, a "last" stock stock to stock, and no period is ever added to another.
  The rule is carried into the output (`aggregation`) so the pack can state it per indicator.
- A row's own priority area counts (a GreenTech project of an OILGAS centre is GreenTech).
- Rows with area "ALL" are a centre's total not split by area: never added into an area, they form
  their own "ALL" block. For the grand total a centre counts once per indicator: its ALL value
  where it reported one, otherwise the sum of its area rows (so nothing is counted twice).
- An observation with status "M" (missing) carries no value: it counts as not reported, never as 0.
- Changes are relative (value / earlier value − 1); without an earlier value (or with 0) they are NA.
"""

from __future__ import annotations

import pandas as pd

from council.catalog import Catalog
from tasks.aggregate.inputs import ALL_AREAS, PackInputs

MISSING_OBSERVATION = "M"
CENTRE_KEYS = ["period", "centre", "priority_area", "indicator_code"]
COMPARISON_COLUMNS = [
    "value",
    "target",
    "pct_of_target",
    "value_prev",
    "change_vs_prev",
    "value_year_ago",
    "change_vs_year_ago",
    "centres_reporting",
]


def ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator, NA where the denominator is NA or 0 (never a 0 or an infinity)."""
    return numerator.astype("float64") / denominator.astype("float64").where(denominator.ne(0))


def centre_values(kpi: pd.DataFrame) -> pd.DataFrame:
    """One value and target per period × centre × area × indicator (project rows summed)."""
    value = pd.to_numeric(kpi["value"], errors="coerce").astype("float64")
    frame = kpi.assign(
        value=value.mask(kpi["obs_status"].eq(MISSING_OBSERVATION).fillna(False).astype(bool)),
        target_value=pd.to_numeric(kpi["target_value"], errors="coerce").astype("float64"),
    )
    grouped = frame.groupby(CENTRE_KEYS, sort=True)[["value", "target_value"]]
    return grouped.sum(min_count=1).reset_index()


def centre_totals(values: pd.DataFrame) -> pd.DataFrame:
    """Per centre and indicator the rows that make its total: its ALL row if any, else its area rows."""
    is_all = values["priority_area"].eq(ALL_AREAS)
    has_all = is_all.groupby([values["period"], values["centre"], values["indicator_code"]]).transform("any")
    return values.loc[is_all | ~has_all]


def _across_centres(values: pd.DataFrame, group: list[str]) -> pd.DataFrame:
    """Sum values and targets over centres; count the centres that reported a value."""
    grouped = values.groupby(["period", *group], sort=True)
    sums = grouped[["value", "target_value"]].sum(min_count=1).rename(columns={"target_value": "target"})
    reporting = values.dropna(subset=["value"]).groupby(["period", *group])["centre"].nunique()
    return sums.assign(centres_reporting=reporting).reset_index()


def _in_period(
    totals: pd.DataFrame, period: str, group: list[str], columns: list[str], suffix: str = ""
) -> pd.DataFrame:
    picked = totals.loc[totals["period"].eq(period)].set_index(group)[columns]
    return picked.add_suffix(suffix)


def _compare(totals: pd.DataFrame, inputs: PackInputs, group: list[str]) -> pd.DataFrame:
    """Put the reviewed period next to the previous half-year and the same half a year ago."""
    current = _in_period(totals, inputs.period, group, ["value", "target", "centres_reporting"])
    previous = _in_period(totals, inputs.previous_period, group, ["value"], "_prev")
    year_ago = _in_period(totals, inputs.year_ago_period, group, ["value"], "_year_ago")
    wide = current.join(previous, how="outer").join(year_ago, how="outer")
    wide = wide.assign(
        pct_of_target=ratio(wide["value"], wide["target"]),
        change_vs_prev=ratio(wide["value"], wide["value_prev"]) - 1,
        change_vs_year_ago=ratio(wide["value"], wide["value_year_ago"]) - 1,
        centres_reporting=wide["centres_reporting"].fillna(0).astype("int64"),
    )
    return wide.reset_index()


def _describe(frame: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Add unit and period rule of each indicator, in the catalog's order of areas and indicators."""
    areas = {code: rank for rank, code in enumerate(catalog.codes("priority_area_or_all"))}
    indicators = {code: rank for rank, code in enumerate(catalog.indicators)}
    described = frame.assign(
        unit=frame["indicator_code"].map(lambda code: catalog.indicators[code].unit),
        aggregation=frame["indicator_code"].map(lambda code: catalog.indicators[code].aggregation),
        _area=frame["priority_area"].map(areas),
        _indicator=frame["indicator_code"].map(indicators),
    )
    ordered = described.sort_values(["_area", "_indicator"], kind="mergesort", na_position="last")
    return ordered.drop(columns=["_area", "_indicator"]).reset_index(drop=True)


def kpi_by_area(inputs: PackInputs, catalog: Catalog) -> pd.DataFrame:
    """Per priority area (then the separate ALL block) × indicator: value, target and both changes."""
    totals = _across_centres(centre_values(inputs.kpi), ["priority_area", "indicator_code"])
    wide = _compare(totals, inputs, ["priority_area", "indicator_code"])
    described = _describe(wide, catalog)
    return described[["priority_area", "indicator_code", "unit", "aggregation", *COMPARISON_COLUMNS]]


def kpi_totals(inputs: PackInputs, catalog: Catalog) -> pd.DataFrame:
    """Per indicator over all areas, each centre counted once: the Council's grand totals."""
    totals = _across_centres(centre_totals(centre_values(inputs.kpi)), ["indicator_code"])
    wide = _compare(totals, inputs, ["indicator_code"]).assign(priority_area=ALL_AREAS)
    described = _describe(wide, catalog)
    return described[["priority_area", "indicator_code", "unit", "aggregation", *COMPARISON_COLUMNS]]
