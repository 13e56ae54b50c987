"""Portfolio (area × status × TRL), budget execution by centre and by area, and the headline trend."""

from __future__ import annotations

import pandas as pd

from council.catalog import Catalog
from tasks.aggregate.areas import centre_totals, centre_values, ratio
from tasks.aggregate.headline import EXECUTION, PLAN, SPENT, headline_indicators, money_fields
from tasks.aggregate.inputs import ALL_AREAS, PackInputs

TRL_FIELD = "trl_current"


def trl_levels(catalog: Catalog) -> list[int]:
    """TRL levels from the schema's bounds on the current TRL (1–9)."""
    field = catalog.sheets["projects"].field(TRL_FIELD)
    return list(range(int(field.minimum or 1), int(field.maximum or 9) + 1))


def portfolio(inputs: PackInputs, catalog: Catalog) -> pd.DataFrame:
    """Project counts per area × status, one column per current TRL, with the total and budget."""
    projects = inputs.projects
    trl = pd.to_numeric(projects[TRL_FIELD], errors="coerce").astype("Int64")
    money = money_fields(catalog, "projects")[0]
    frame = projects.assign(trl=trl, _money=pd.to_numeric(projects[money], errors="coerce").astype("float64"))
    index = pd.MultiIndex.from_product(
        [catalog.codes("priority_area"), catalog.codes("project_status")], names=["priority_area", "status"]
    )
    counts = frame.groupby(["priority_area", "status", "trl"]).size().unstack("trl")
    counts = counts.reindex(index=index, columns=trl_levels(catalog)).fillna(0).astype("int64")
    counts.columns = [f"trl_{level}" for level in counts.columns]
    totals = frame.groupby(["priority_area", "status"]).agg(projects=("status", "size"), budget=("_money", "sum"))
    table = counts.join(totals.reindex(index)).fillna({"projects": 0, "budget": 0.0})
    return table.astype({"projects": "int64"}).rename(columns={"budget": money}).reset_index()


def budget_execution(inputs: PackInputs, catalog: Catalog, by: str) -> pd.DataFrame:
    """Budget amounts and execution (spent / corrected plan) per centre or per area, then a total row."""
    money = list(money_fields(catalog, "budget"))
    numbers = inputs.budget[money].apply(pd.to_numeric, errors="coerce").astype("float64")
    order = list(catalog.centres) if by == "centre" else list(catalog.codes("priority_area"))
    sums = numbers.groupby(inputs.budget[by]).sum().reindex(order)
    # An area without budget lines spent nothing; a centre without any sent nothing (blank, not 0).
    sums = sums if by == "centre" else sums.fillna(0.0)
    sums = pd.concat([sums, numbers.sum().to_frame(ALL_AREAS).T])
    sums.index.name = by
    return sums.assign(**{EXECUTION: ratio(sums[SPENT], sums[PLAN])}).reset_index()


def chronological(inputs: PackInputs) -> list[str]:
    """The pack's periods oldest first, for trend lines."""
    return sorted(set(inputs.periods))


def headline_trend(inputs: PackInputs, catalog: Catalog, name: str) -> pd.DataFrame:
    """One headline KPI per period (rows, oldest first) × priority area and total (columns)."""
    codes = headline_indicators(catalog)[name]
    values = centre_values(inputs.kpi)
    values = values.loc[values["indicator_code"].isin(codes)]
    areas = values.loc[values["priority_area"].ne(ALL_AREAS)]
    per_area = areas.groupby(["period", "priority_area"])["value"].sum(min_count=1).unstack("priority_area")
    total = centre_totals(values).groupby("period")["value"].sum(min_count=1).rename(ALL_AREAS)
    table = per_area.join(total, how="outer") if not per_area.empty else total.to_frame()
    columns = [*catalog.codes("priority_area"), ALL_AREAS]
    return table.reindex(index=chronological(inputs), columns=columns).rename_axis("period").reset_index()
