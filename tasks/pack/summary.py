"""The `summary` sheet: cover, completeness line, headline figures per area, a chart, decision requests."""

from __future__ import annotations

import math

import pandas as pd
from xlsxwriter.format import Format

from council.catalog import Catalog
from tasks.aggregate.headline import EXECUTION, headline_indicators, money_fields
from tasks.aggregate.inputs import ALL_AREAS
from tasks.pack.context import SheetContext
from tasks.pack.excel import set_up_page, write_row

SHEET = "summary"
DECISION_REQUEST = "DECISION_REQUEST"
CHART_SIZE = {"x_scale": 1.6, "y_scale": 1.2}

TEXT_SPAN = 4  # value columns a sentence (completeness, a decision request) spreads across
VALUE_WIDTH = 20  # characters per value column, as set in write_summary
LINE_HEIGHT = 15  # points per wrapped line


def _headline_rows(ctx: SheetContext) -> list[tuple[str, str, Format]]:
    """(column of the headline table, localized label, number format) for each summary line."""
    f, catalog, lang = ctx.formats, ctx.catalog, ctx.lang
    rows = [("projects", ctx.text("headline_projects"), f.whole)]
    for status in catalog.codes("project_status"):
        label = ctx.text("headline_projects_status", status=catalog.code_label("project_status", status, lang))
        rows.append((f"projects_{status}", label, f.whole))
    projects, budget = catalog.sheets["projects"], catalog.sheets["budget"]
    rows += [
        (c, ctx.text("headline_projects_money", field=projects.field(c).label(lang)), f.money)
        for c in money_fields(catalog, "projects")
    ]
    for name, codes in headline_indicators(catalog).items():
        rows.append((name, ctx.text(f"headline_{name}"), ctx.indicator_format(codes[0]) if codes else f.decimal))
    rows += [
        (c, ctx.text("headline_budget_money", field=budget.field(c).label(lang)), f.money)
        for c in money_fields(catalog, "budget")
    ]
    return [*rows, (EXECUTION, ctx.text(f"headline_{EXECUTION}"), f.percent)]


def _write_cover(ctx: SheetContext, completeness_line: str) -> int:
    sheet, f, inputs = ctx.book.get_worksheet_by_name(SHEET), ctx.formats, ctx.inputs
    sheet.write_string(0, 0, ctx.text("title"), f.title)
    cover = [
        ("meeting", inputs.meeting_id, f.text),
        ("period", inputs.period, f.text),
        ("previous_period", inputs.previous_period, f.text),
        ("year_ago_period", inputs.year_ago_period, f.text),
        ("data_as_of", ctx.as_of, f.datetime),
        ("completeness", completeness_line, f.text),
    ]
    for row, (key, value, fmt) in enumerate(cover, start=2):
        write_row(sheet, row, [ctx.text(key), value], [f.bold, fmt])
    last = 2 + len(cover) - 1
    _wrapped(ctx, last, completeness_line)  # the completeness line is a sentence: give it the page width
    return 2 + len(cover) + 1


def _wrapped(ctx: SheetContext, row: int, text: str, first_col: int = 1) -> None:
    """Text across the value columns, wrapped, in a row tall enough to show all of it."""
    sheet, last_col = ctx.book.get_worksheet_by_name(SHEET), first_col + TEXT_SPAN - 1
    sheet.merge_range(row, first_col, row, last_col, "", ctx.formats.text)
    sheet.write_string(row, first_col, text, ctx.formats.text)
    sheet.set_row(row, LINE_HEIGHT * max(1, math.ceil(len(text) / (VALUE_WIDTH * TEXT_SPAN))))


def _write_headline(ctx: SheetContext, headline: pd.DataFrame, top: int) -> int:
    """Figures as rows, areas as columns (then the total): readable on one landscape page."""
    sheet, f = ctx.book.get_worksheet_by_name(SHEET), ctx.formats
    sheet.write_string(top, 0, ctx.text("headline_title"), f.title)
    areas = list(headline["priority_area"])
    labels = [ctx.text("total") if a == ALL_AREAS else ctx.area(a) for a in areas]
    write_row(sheet, top + 1, [ctx.text("headline_metric"), *labels], [f.header] * (len(labels) + 1))
    table = headline.set_index("priority_area")
    for offset, (column, label, fmt) in enumerate(_headline_rows(ctx), start=top + 2):
        write_row(sheet, offset, *ctx.shown([label, *table[column].tolist()], [f.text, *[fmt] * len(areas)]))
    end = top + 2 + len(_headline_rows(ctx))
    sheet.write_string(end, 0, ctx.text("total_note"), f.subtitle)
    return end


def _add_budget_chart(ctx: SheetContext, headline: pd.DataFrame, top: int, at_row: int) -> None:
    """Column chart of project budget per area, read from the headline table's budget row."""
    rows = [column for column, _, _ in _headline_rows(ctx)]
    budget_row = top + 2 + rows.index(money_fields(ctx.catalog, "projects")[0])
    last_area = int((headline["priority_area"] != ALL_AREAS).sum())
    chart = ctx.book.add_chart({"type": "column"})
    chart.add_series(
        {
            "name": [SHEET, budget_row, 0],
            "categories": [SHEET, top + 1, 1, top + 1, last_area],
            "values": [SHEET, budget_row, 1, budget_row, last_area],
            "data_labels": {"value": True, "num_format": "#,##0"},
        }
    )
    chart.set_title({"name": ctx.text("chart_budget_by_area")})
    chart.set_legend({"none": True})
    chart.set_y_axis({"num_format": "#,##0"})
    # Below the tables, not beside them: the sheet then prints one A4 landscape page wide.
    ctx.book.get_worksheet_by_name(SHEET).insert_chart(at_row, 0, chart, CHART_SIZE)


def decision_requests(narrative: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Narrative rows asking the Council for a decision, in registry order of centres."""
    rank = {code: position for position, code in enumerate(catalog.centres)}
    asked = narrative.loc[narrative["section"].eq(DECISION_REQUEST)]
    ordered = asked.assign(_rank=asked["centre"].map(rank)).sort_values("_rank", kind="mergesort")
    return ordered.drop(columns="_rank").reset_index(drop=True)


def _write_decisions(ctx: SheetContext, top: int) -> int:
    sheet, f = ctx.book.get_worksheet_by_name(SHEET), ctx.formats
    sheet.write_string(top, 0, ctx.text("decisions_title"), f.title)
    requests = decision_requests(ctx.inputs.narrative, ctx.catalog)
    if requests.empty:
        sheet.write_string(top + 1, 0, ctx.text("no_decisions"), f.subtitle)
        return top + 2
    write_row(sheet, top + 1, [ctx.text("col_centre"), ctx.text("col_area")], [f.header] * 2)
    sheet.merge_range(top + 1, 2, top + 1, 2 + TEXT_SPAN - 1, ctx.text("col_text"), f.header)
    sheet.set_row(top + 1, LINE_HEIGHT * 2)  # "Priority area" wraps in kk and ru
    for row, request in enumerate(requests.itertuples(index=False), start=top + 2):
        area = ctx.area(request.priority_area) if isinstance(request.priority_area, str) else None
        write_row(sheet, row, [ctx.centre(request.centre), area], [f.text, f.text])
        _wrapped(ctx, row, str(request.text), first_col=2)
    return top + 2 + len(requests)


def write_summary(ctx: SheetContext, headline: pd.DataFrame, completeness_line: str) -> None:
    """Fill the `summary` sheet: what the Council reads first."""
    sheet = ctx.book.add_worksheet(SHEET)
    set_up_page(sheet, [52, *[VALUE_WIDTH] * len(headline)])
    top = _write_cover(ctx, completeness_line)
    end = _write_headline(ctx, headline, top)
    after = _write_decisions(ctx, end + 2)
    _add_budget_chart(ctx, headline, top, after + 1)
