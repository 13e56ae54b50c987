"""Plausibility against the centre's previous accepted period: warnings that ask a human to look again."""

from __future__ import annotations

from typing import TypedDict

import pandas as pd

from council.catalog import Catalog
from council.numbers import format_number
from council.problems import Problem, cell_ref, make_problem
from tasks.validate.structure import SheetLayout

KPI_KEY = ["indicator_code", "priority_area"]


def _totals(kpi: pd.DataFrame) -> pd.DataFrame:
    """One value per indicator × area (project rows add up), with the first Excel row it came from."""
    valid = kpi.dropna(subset=[*KPI_KEY, "value"])
    grouped = valid.groupby(KPI_KEY, as_index=False)
    return (
        grouped.agg(value=("value", "sum"), excel_row=("excel_row", "min"))
        if "excel_row" in valid
        else grouped.agg(value=("value", "sum"))
    )


def _shown(value: float, lang: str) -> str:
    """A KPI total in the reader's convention, cents only when there are any (`1 234 567`, `12,5`)."""
    return format_number(round(value, 2), lang)


def kpi_changes(current: pd.DataFrame, previous: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Current vs previous totals per indicator × area, flagged as a jump or a cumulative fall."""
    both = _totals(current).merge(_totals(previous)[[*KPI_KEY, "value"]], on=KPI_KEY, suffixes=("", "_prev"))
    factor, floor = float(catalog.plausibility["jump_factor"]), float(catalog.plausibility["min_value"])
    big = (both["value"] >= floor) & (both["value_prev"] >= floor)
    ratio = both["value"] / both["value_prev"].where(both["value_prev"] != 0)
    cumulative = (
        both["indicator_code"].map({c: i.aggregation == "last" for c, i in catalog.indicators.items()}).eq(True)
    )
    return both.assign(
        ratio=ratio,
        jump=big & ((ratio > factor) | (ratio < 1 / factor)),
        fall=cumulative & (both["value"] < both["value_prev"]),
    )


def area_changes(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Projects whose stable id now carries another priority area than last period."""
    before = previous.dropna(subset=["project_id"]).drop_duplicates("project_id")[["project_id", "priority_area"]]
    both = current.merge(before, on="project_id", suffixes=("", "_prev"))
    return both[both["priority_area"].notna() & (both["priority_area"] != both["priority_area_prev"])]


class _KpiWarning(TypedDict):
    """What both KPI warnings say: where (sheet, cell, field, row) and the two totals compared."""

    sheet: str
    cell: str
    field: str
    row: int
    value: str
    other: str
    column: str


def _kpi_warnings(
    current: pd.DataFrame, previous: pd.DataFrame, catalog: Catalog, column: int, lang: str
) -> list[Problem | None]:
    label = catalog.sheets["kpi"].field("value").label(lang)
    found: list[Problem | None] = []
    for row in kpi_changes(current, previous, catalog).itertuples():
        excel_row = int(row.excel_row)
        where: _KpiWarning = {
            "sheet": "kpi",
            "cell": cell_ref("kpi", column, excel_row),
            "field": "value",
            "row": excel_row,
            "value": _shown(row.value, lang),
            "other": _shown(row.value_prev, lang),
            "column": label,
        }
        if row.fall:
            found.append(make_problem(catalog, "plausibility.cumulative_fall", lang, **where))
        elif row.jump:
            fold = row.ratio if row.ratio >= 1 else 1 / row.ratio
            found.append(make_problem(catalog, "plausibility.jump", lang, found=format_number(fold, lang, 1), **where))
    return found


def _area_warnings(
    current: pd.DataFrame, previous: pd.DataFrame, catalog: Catalog, column: int, lang: str
) -> list[Problem | None]:
    label = catalog.sheets["projects"].field("priority_area").label(lang)
    return [
        make_problem(
            catalog,
            "plausibility.area_changed",
            lang,
            sheet="projects",
            cell=cell_ref("projects", column, int(row.excel_row)),
            field="priority_area",
            row=int(row.excel_row),
            column=label,
            value=row.project_id,
            other=row.priority_area_prev,
            found=row.priority_area,
        )
        for row in area_changes(current, previous).itertuples()
    ]


def plausibility_problems(
    frames: dict[str, pd.DataFrame],
    previous: dict[str, pd.DataFrame],
    catalog: Catalog,
    layouts: dict[str, SheetLayout],
    lang: str,
) -> list[Problem]:
    """Warnings for jumps, falling cumulative indicators and projects that moved area."""
    found: list[Problem | None] = []
    if "kpi" in frames and not previous.get("kpi", pd.DataFrame()).empty:
        found += _kpi_warnings(frames["kpi"], previous["kpi"], catalog, layouts["kpi"].columns["value"], lang)
    if "projects" in frames and not previous.get("projects", pd.DataFrame()).empty:
        found += _area_warnings(
            frames["projects"], previous["projects"], catalog, layouts["projects"].columns["priority_area"], lang
        )
    return [p for p in found if p is not None]
