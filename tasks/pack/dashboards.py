"""One dashboard sheet per priority area (and one for all areas): KPIs against target and earlier periods."""

from __future__ import annotations

import pandas as pd
from xlsxwriter.format import Format

from tasks.aggregate.inputs import ALL_AREAS
from tasks.pack.context import SheetContext
from tasks.pack.excel import is_missing, set_up_page, write_header, write_row, write_value

HEADER_ROW = 3
WIDTHS = [44, 12, 16, 16, 11, 16, 13, 16, 13, 12, 12]
PCT_COLUMN = 4
# A hidden copy of % of target for the chart: the visible cell may read "no data", which a chart would plot as 0.
CHART_COLUMN = len(WIDTHS) + 1


def _columns(ctx: SheetContext) -> list[tuple[str, str]]:
    """(column of the KPI table, localized header) in the order the dashboard shows them."""
    inputs = ctx.inputs
    return [
        ("indicator_code", ctx.text("col_indicator")),
        ("unit", ctx.text("col_unit")),
        ("value", ctx.text("col_value", period=inputs.period)),
        ("target", ctx.text("col_target", period=inputs.period)),
        ("pct_of_target", ctx.text("col_pct_of_target")),
        ("value_prev", ctx.text("col_value_prev", period=inputs.previous_period)),
        ("change_vs_prev", ctx.text("col_change_vs_prev", period=inputs.previous_period)),
        ("value_year_ago", ctx.text("col_value_year_ago", period=inputs.year_ago_period)),
        ("change_vs_year_ago", ctx.text("col_change_vs_year_ago", period=inputs.year_ago_period)),
        ("centres_reporting", ctx.text("col_centres_reporting")),
        ("rag", ctx.text("col_rag")),
    ]


def _row(ctx: SheetContext, kpi: pd.Series) -> tuple[list[object], list[Format]]:
    """One KPI's cells and formats: amounts in the indicator's own number format."""
    f, number = ctx.formats, ctx.indicator_format(kpi["indicator_code"])
    name = ctx.catalog.indicators[kpi["indicator_code"]].name(ctx.lang)
    unit = ctx.catalog.code_label("unit", kpi["unit"], ctx.lang)
    values = [name, unit, kpi["value"], kpi["target"], kpi["pct_of_target"], kpi["value_prev"]]
    values += [kpi["change_vs_prev"], kpi["value_year_ago"], kpi["change_vs_year_ago"], kpi["centres_reporting"]]
    formats = [f.text, f.text, number, number, f.percent, number, f.change, number, f.change, f.whole]
    rating = kpi.get("rag")
    if is_missing(rating):
        return [*values, None], [*formats, f.text]
    return [*values, ctx.catalog.code_label("rag", str(rating), ctx.lang)], [*formats, f.rag[str(rating)]]


def _add_target_chart(ctx: SheetContext, sheet_name: str, title: str, first: int, last: int) -> None:
    """Bar chart of % of target per indicator: the one measure comparable across units."""
    chart = ctx.book.add_chart({"type": "bar"})
    chart.add_series(
        {
            "name": [sheet_name, HEADER_ROW, PCT_COLUMN],
            "categories": [sheet_name, first, 0, last, 0],
            "values": [sheet_name, first, CHART_COLUMN, last, CHART_COLUMN],
            "data_labels": {"value": True, "num_format": "0%"},
        }
    )
    chart.set_title({"name": ctx.text("chart_pct_of_target", area=title)})
    chart.set_legend({"none": True})
    chart.set_x_axis({"num_format": "0%", "min": 0})
    chart.set_y_axis({"reverse": True})
    chart.show_hidden_data()
    ctx.book.get_worksheet_by_name(sheet_name).insert_chart(last + 2, 0, chart, {"x_scale": 1.5, "y_scale": 1.2})


def write_dashboard(ctx: SheetContext, sheet_name: str, title: str, kpis: pd.DataFrame, note: str = "") -> None:
    """A KPI table for one area (rows in catalog order), and a % of target chart when targets exist."""
    sheet, f, inputs = ctx.book.add_worksheet(sheet_name), ctx.formats, ctx.inputs
    set_up_page(sheet, WIDTHS, freeze_row=HEADER_ROW + 1)
    sheet.write_string(0, 0, title, f.title)
    subtitle = ctx.text(
        "dashboard_subtitle", period=inputs.period, previous=inputs.previous_period, year_ago=inputs.year_ago_period
    )
    sheet.write_string(1, 0, subtitle, f.subtitle)
    if note:
        sheet.write_string(2, 0, note, f.subtitle)
    write_header(sheet, HEADER_ROW, [label for _, label in _columns(ctx)], f)
    if kpis.empty:
        sheet.write_string(HEADER_ROW + 1, 0, ctx.text("no_kpis"), f.subtitle)
        return
    sheet.set_column(CHART_COLUMN, CHART_COLUMN, None, None, {"hidden": True})
    for row, (_, kpi) in enumerate(kpis.iterrows(), start=HEADER_ROW + 1):
        write_row(sheet, row, *ctx.shown(*_row(ctx, kpi)))
        write_value(sheet, row, CHART_COLUMN, kpi["pct_of_target"], f.percent)
    if kpis["pct_of_target"].notna().any():
        _add_target_chart(ctx, sheet_name, title, HEADER_ROW + 1, HEADER_ROW + len(kpis))


def write_dashboards(ctx: SheetContext, kpi_by_area: pd.DataFrame, kpi_totals: pd.DataFrame) -> None:
    """One sheet per priority area, named by its code, then the ALL sheet of grand totals."""
    for area in ctx.catalog.codes("priority_area"):
        rows = kpi_by_area.loc[kpi_by_area["priority_area"].eq(area)]
        write_dashboard(ctx, area, ctx.text("dashboard_title", area=ctx.area(area)), rows)
    write_dashboard(ctx, ALL_AREAS, ctx.text("totals_title"), kpi_totals, note=ctx.text("total_note"))
