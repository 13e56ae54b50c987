"""The trend, portfolio and budget sheets of pack.xlsx, each with its native chart."""

from __future__ import annotations

import pandas as pd

from tasks.aggregate.headline import EXECUTION, PLAN, SPENT, headline_indicators, money_fields
from tasks.aggregate.inputs import ALL_AREAS
from tasks.aggregate.portfolio import trl_levels
from tasks.aggregate.tables import PackTables
from tasks.pack.context import SheetContext
from tasks.pack.excel import set_up_page, write_header, write_row, write_value

TREND_SHEET, PORTFOLIO_SHEET, BUDGET_SHEET = "trend", "portfolio", "budget"
HEADER_ROW = 3
CHART_SIZE = {"x_scale": 1.6, "y_scale": 1.2}


def _area_label(ctx: SheetContext, code: str) -> str:
    return ctx.text("total") if code == ALL_AREAS else ctx.area(code)


def write_trend(ctx: SheetContext, tables: PackTables) -> None:
    """The trend KPI per period (oldest first) × area, and a line chart of it per area."""
    sheet, f = ctx.book.add_worksheet(TREND_SHEET), ctx.formats
    trend, figure = tables.trend, ctx.text(f"headline_{tables.trend_kpi}")
    areas = [c for c in trend.columns if c != "period"]
    set_up_page(sheet, [14, *[18] * len(areas)], freeze_row=HEADER_ROW + 1)
    sheet.write_string(0, 0, ctx.text("trend_title", figure=figure), f.title)
    write_header(sheet, HEADER_ROW, [ctx.text("col_period"), *[_area_label(ctx, a) for a in areas]], f)
    codes = headline_indicators(ctx.catalog)[tables.trend_kpi]
    number = ctx.indicator_format(codes[0]) if codes else f.decimal
    hidden = len(areas) + 2  # first column of the chart's numeric copy (a gap stays a gap there)
    sheet.set_column(hidden, hidden + len(areas) - 1, None, None, {"hidden": True})
    for row, entry in enumerate(trend.itertuples(index=False), start=HEADER_ROW + 1):
        write_row(sheet, row, *ctx.shown(list(entry), [f.text, *[number] * len(areas)]))
        for offset, value in enumerate(list(entry)[1:]):
            write_value(sheet, row, hidden + offset, value, number)
    sheet.write_string(HEADER_ROW + len(trend) + 1, 0, ctx.text("total_note"), f.subtitle)
    chart = ctx.book.add_chart({"type": "line"})
    last = HEADER_ROW + len(trend)
    for col in range(1, len(areas)):  # the areas; the total would dwarf them
        chart.add_series(
            {
                "name": [TREND_SHEET, HEADER_ROW, col],
                "categories": [TREND_SHEET, HEADER_ROW + 1, 0, last, 0],
                "values": [TREND_SHEET, HEADER_ROW + 1, hidden + col - 1, last, hidden + col - 1],
                "marker": {"type": "circle"},
            }
        )
    chart.show_hidden_data()
    chart.show_blanks_as("gap")
    chart.set_title({"name": ctx.text("trend_title", figure=figure)})
    chart.set_y_axis({"num_format": "#,##0"})
    chart.set_legend({"position": "bottom"})
    sheet.insert_chart(last + 3, 0, chart, CHART_SIZE)


def write_portfolio(ctx: SheetContext, table: pd.DataFrame) -> None:
    """Projects per area × status, one column per current TRL, the count and the budget."""
    sheet, f, catalog = ctx.book.add_worksheet(PORTFOLIO_SHEET), ctx.formats, ctx.catalog
    levels = trl_levels(catalog)
    money = money_fields(catalog, "projects")[0]
    set_up_page(sheet, [22, 18, *[7] * len(levels), 10, 20], freeze_row=HEADER_ROW + 1)
    sheet.write_string(0, 0, ctx.text("portfolio_title"), f.title)
    sheet.write_string(1, 0, ctx.text("portfolio_note"), f.subtitle)
    labels = [ctx.text("col_area"), ctx.text("col_status_project")]
    labels += [ctx.text("col_trl", level=level) for level in levels]
    labels += [ctx.text("col_projects"), catalog.sheets["projects"].field(money).label(ctx.lang)]
    write_header(sheet, HEADER_ROW, labels, f)
    trl_columns = [f"trl_{level}" for level in levels]
    for row, (_, entry) in enumerate(table.iterrows(), start=HEADER_ROW + 1):
        status = catalog.code_label("project_status", entry["status"], ctx.lang)
        values = [ctx.area(entry["priority_area"]), status, *entry[trl_columns].tolist(), entry["projects"]]
        formats = [f.text, f.text, *[f.whole] * (len(levels) + 1), f.money]
        write_row(sheet, row, *ctx.shown([*values, entry[money]], formats))


def _budget_block(ctx: SheetContext, sheet_name: str, top: int, table: pd.DataFrame, key: str) -> int:
    """One budget table (per centre or per area) from row `top`; returns the row after it."""
    sheet, f, catalog = ctx.book.get_worksheet_by_name(sheet_name), ctx.formats, ctx.catalog
    money = list(money_fields(catalog, "budget"))
    labels = [catalog.sheets["budget"].field(c).label(ctx.lang) for c in money]
    name = ctx.text("col_centre") if key == "centre" else ctx.text("col_area")
    write_row(sheet, top, [name, *labels, ctx.text("col_execution")], [f.header] * (len(money) + 2))
    for row, (_, entry) in enumerate(table.iterrows(), start=top + 1):
        code = entry[key]
        label = ctx.text("total") if code == ALL_AREAS else ctx.centre(code) if key == "centre" else ctx.area(code)
        formats = [f.bold if code == ALL_AREAS else f.text, *[f.money] * len(money), f.percent]
        write_row(sheet, row, *ctx.shown([label, *entry[money].tolist(), entry[EXECUTION]], formats))
    return top + 1 + len(table)


def _budget_chart(ctx: SheetContext, top: int, table: pd.DataFrame) -> None:
    """Clustered columns per area: corrected plan against spent (the total row left out)."""
    money = list(money_fields(ctx.catalog, "budget"))
    last = top + len(table) - 1  # the row before the total
    chart = ctx.book.add_chart({"type": "column"})
    for column in (PLAN, SPENT):
        col = 1 + money.index(column)
        chart.add_series(
            {
                "name": [BUDGET_SHEET, top, col],
                "categories": [BUDGET_SHEET, top + 1, 0, last, 0],
                "values": [BUDGET_SHEET, top + 1, col, last, col],
            }
        )
    chart.set_title({"name": ctx.text("chart_budget_execution")})
    chart.set_y_axis({"num_format": "#,##0"})
    chart.set_legend({"position": "bottom"})
    ctx.book.get_worksheet_by_name(BUDGET_SHEET).insert_chart(top, len(money) + 3, chart, CHART_SIZE)


def write_budget(ctx: SheetContext, by_centre: pd.DataFrame, by_area: pd.DataFrame) -> None:
    """Budget execution by centre, then by area with a plan-against-spent chart."""
    sheet, f = ctx.book.add_worksheet(BUDGET_SHEET), ctx.formats
    set_up_page(sheet, [44, *[18] * len(money_fields(ctx.catalog, "budget")), 13])
    sheet.write_string(0, 0, ctx.text("budget_title"), f.title)
    sheet.write_string(2, 0, ctx.text("budget_by_centre"), f.bold)
    end = _budget_block(ctx, BUDGET_SHEET, HEADER_ROW, by_centre, "centre")
    sheet.write_string(end + 1, 0, ctx.text("budget_by_area"), f.bold)
    _budget_block(ctx, BUDGET_SHEET, end + 2, by_area, "priority_area")
    _budget_chart(ctx, end + 2, by_area)
