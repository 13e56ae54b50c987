"""Executive-summary figures per priority area: portfolio, money, key KPIs and budget execution."""

from __future__ import annotations

from fnmatch import fnmatchcase

import pandas as pd

from council.catalog import Catalog
from tasks.aggregate.areas import centre_totals, centre_values, ratio
from tasks.aggregate.inputs import ALL_AREAS, PackInputs

# Which indicators make each headline KPI, as patterns over the catalog's indicator codes:
# a new INVEST_* or PAT_APP_* indicator in the catalog joins its headline without a code change.
HEADLINE_KPIS = {
    "investment_kzt": "INVEST_*_KZT",
    "jobs": "JOBS_CREATED",
    "implementations": "IMPLEMENTATIONS",
    "patent_applications": "PAT_APP_*",
}
# Budget execution is spent over the corrected plan, as in the template's computed column.
SPENT, PLAN = "spent_kzt", "plan_corrected_kzt"
EXECUTION = "budget_execution_pct"


def headline_indicators(catalog: Catalog) -> dict[str, tuple[str, ...]]:
    """Headline KPI name → the catalog's indicator codes it adds up."""
    return {
        name: tuple(c for c in catalog.indicators if fnmatchcase(c, pattern)) for name, pattern in HEADLINE_KPIS.items()
    }


def money_fields(catalog: Catalog, sheet: str) -> tuple[str, ...]:
    """Money columns of a sheet (its KZT amounts), in schema order."""
    return tuple(f.name for f in catalog.sheets[sheet].fields if f.format == "money" and f.computed is None)


def _status_columns(catalog: Catalog) -> list[str]:
    return [f"projects_{status}" for status in catalog.codes("project_status")]


def _by_area_and_total(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Sums of `columns` per priority area plus an ALL row over every row."""
    numbers = frame[columns].apply(pd.to_numeric, errors="coerce").astype("float64")
    per_area = numbers.groupby(frame["priority_area"]).sum()
    return pd.concat([per_area, numbers.sum().to_frame(ALL_AREAS).T])


def _projects(inputs: PackInputs, catalog: Catalog) -> pd.DataFrame:
    """Project count, count per status and summed money per area (each project's own area)."""
    projects = inputs.projects.reset_index(drop=True)  # the join below aligns on a clean index
    statuses = pd.get_dummies(projects["status"], dtype="int64").reindex(
        columns=catalog.codes("project_status"), fill_value=0
    )
    counts = statuses.add_prefix("projects_").assign(projects=1, priority_area=projects["priority_area"])
    money = list(money_fields(catalog, "projects"))
    table = counts.join(projects[money])
    return _by_area_and_total(table, ["projects", *_status_columns(catalog), *money])


def _budget(inputs: PackInputs, catalog: Catalog) -> pd.DataFrame:
    """Budget sheet amounts per area and the execution rate spent / corrected plan."""
    sums = _by_area_and_total(inputs.budget, list(money_fields(catalog, "budget")))
    return sums.assign(**{EXECUTION: ratio(sums[SPENT], sums[PLAN])})


def _kpis(inputs: PackInputs, catalog: Catalog) -> pd.DataFrame:
    """Headline KPIs of the reviewed period per area (area rows only) and in total (no double count)."""
    names = {code: name for name, codes in headline_indicators(catalog).items() for code in codes}
    values = centre_values(inputs.kpi)
    values = values.loc[values["period"].eq(inputs.period)].assign(headline=lambda v: v["indicator_code"].map(names))
    values = values.dropna(subset=["headline"])
    areas = values.loc[values["priority_area"].ne(ALL_AREAS)]
    per_area = areas.groupby(["priority_area", "headline"])["value"].sum(min_count=1).unstack("headline")
    total = centre_totals(values).groupby("headline")["value"].sum(min_count=1).to_frame(ALL_AREAS).T
    return pd.concat([per_area, total]).reindex(columns=list(HEADLINE_KPIS))


def headline_by_area(inputs: PackInputs, catalog: Catalog) -> pd.DataFrame:
    """One row per priority area, then ALL: projects by status, money, headline KPIs, budget execution."""
    index = pd.Index([*catalog.codes("priority_area"), ALL_AREAS], name="priority_area")
    projects = _projects(inputs, catalog).reindex(index)
    counted = ["projects", *_status_columns(catalog), *money_fields(catalog, "projects")]
    budget = _budget(inputs, catalog).reindex(index)
    budget = budget.fillna({name: 0.0 for name in money_fields(catalog, "budget")})
    table = pd.concat([projects.fillna({c: 0 for c in counted}), _kpis(inputs, catalog).reindex(index), budget], axis=1)
    whole = ["projects", *_status_columns(catalog)]
    return table.astype({c: "int64" for c in whole}).reset_index()
