"""One annex sheet per registered centre: its submission, its key KPIs and its narrative."""

from __future__ import annotations

import pandas as pd

from tasks.aggregate.areas import centre_values, ratio
from tasks.aggregate.completeness import MISSING
from tasks.aggregate.rag import pack_config
from tasks.pack.context import SheetContext
from tasks.pack.excel import is_missing, set_up_page, write_header, write_row

SUBMISSION_FIELDS = ["status", "on_time", "received_at", "version", "template_version", "errors", "warnings"]
SUBMISSION_FIELDS += ["estimated_values", "is_correction", "file_name"]
NARRATIVE_SECTIONS = "narrative_section"


def annex_sheet_name(centre: str) -> str:
    """Sheet name of a centre's annex (Excel allows 31 characters)."""
    return f"annex_{centre}"[:31]


def centre_kpis(ctx: SheetContext, centre: str) -> pd.DataFrame:
    """A centre's KPIs of the reviewed period (project rows summed), biggest share of target first."""
    inputs = ctx.inputs
    kpi = inputs.kpi.loc[inputs.kpi["centre"].eq(centre) & inputs.kpi["period"].eq(inputs.period)]
    if kpi.empty:
        return kpi
    values = centre_values(kpi).assign(pct=lambda v: ratio(v["value"], v["target_value"]))
    indicators = {code: rank for rank, code in enumerate(ctx.catalog.indicators)}
    ordered = values.assign(_rank=values["indicator_code"].map(indicators)).sort_values(
        ["_rank", "priority_area"], kind="mergesort"
    )
    limit = int(pack_config(ctx.catalog.root)["annex"]["key_kpis"])
    return ordered.drop(columns="_rank").head(limit).reset_index(drop=True)


def _submission_block(ctx: SheetContext, sheet_name: str, entry: pd.Series) -> int:
    sheet, f = ctx.book.get_worksheet_by_name(sheet_name), ctx.formats
    sheet.write_string(2, 0, ctx.text("annex_submission"), f.bold)
    received = entry["status"] != MISSING
    for row, field in enumerate(SUBMISSION_FIELDS, start=3):
        value = entry.get(field)
        if field == "status":
            value = ctx.text(f"status_{value}")
        elif field == "on_time" and received and not is_missing(value):
            value = ctx.text("on_time_yes" if bool(value) else "on_time_no")
        elif field == "is_correction" and not is_missing(value):
            value = ctx.catalog.code_label("yes_no", "YES" if bool(value) else "NO", ctx.lang)
        fmt = f.datetime if field == "received_at" else f.whole if isinstance(value, int | float) else f.text
        shown = None if not received and field != "status" else value
        write_row(sheet, row, *ctx.shown([ctx.text(f"col_{field}"), shown], [f.text, fmt]))
    return 3 + len(SUBMISSION_FIELDS) + 1


def _kpi_block(ctx: SheetContext, sheet_name: str, centre: str, top: int) -> int:
    sheet, f = ctx.book.get_worksheet_by_name(sheet_name), ctx.formats
    sheet.write_string(top, 0, ctx.text("annex_kpis", period=ctx.inputs.period), f.bold)
    kpis = centre_kpis(ctx, centre)
    if kpis.empty:
        sheet.write_string(top + 1, 0, ctx.text("annex_nothing"), f.subtitle)
        return top + 3
    labels = [ctx.text(k) for k in ("col_indicator", "col_area", "col_value", "col_target", "col_pct_of_target")]
    labels = [label.format(period=ctx.inputs.period) for label in labels]
    write_header(sheet, top + 1, labels, f)
    for row, kpi in enumerate(kpis.itertuples(index=False), start=top + 2):
        number = ctx.indicator_format(kpi.indicator_code)
        name = ctx.catalog.indicators[kpi.indicator_code].name(ctx.lang)
        values = [name, ctx.area(kpi.priority_area), kpi.value, kpi.target_value, kpi.pct]
        write_row(sheet, row, *ctx.shown(values, [f.text, f.text, number, number, f.percent]))
    return top + 2 + len(kpis) + 1


def _narrative_block(ctx: SheetContext, sheet_name: str, centre: str, top: int) -> None:
    sheet, f, catalog, lang = ctx.book.get_worksheet_by_name(sheet_name), ctx.formats, ctx.catalog, ctx.lang
    sheet.write_string(top, 0, ctx.text("annex_narrative"), f.bold)
    narrative = ctx.inputs.narrative.loc[ctx.inputs.narrative["centre"].eq(centre)]
    if narrative.empty:
        sheet.write_string(top + 1, 0, ctx.text("annex_nothing"), f.subtitle)
        return
    write_row(sheet, top + 1, [ctx.text(k) for k in ("col_section", "col_area", "col_rag", "col_text")], [f.header] * 4)
    rank = {code: position for position, code in enumerate(catalog.codes(NARRATIVE_SECTIONS))}
    ordered = narrative.assign(_rank=narrative["section"].map(rank)).sort_values("_rank", kind="mergesort")
    for row, item in enumerate(ordered.itertuples(index=False), start=top + 2):
        area = ctx.area(item.priority_area) if isinstance(item.priority_area, str) else None
        rag = item.rag if isinstance(item.rag, str) and item.rag in f.rag else None
        section = catalog.code_label(NARRATIVE_SECTIONS, item.section, lang)
        values = [section, area, catalog.code_label("rag", rag, lang) if rag else None, item.text]
        write_row(sheet, row, values, [f.text, f.text, f.rag[rag] if rag else f.text, f.text])


def write_centre_annexes(ctx: SheetContext, completeness: pd.DataFrame) -> None:
    """One annex per registered centre, in registry order, also for a centre that sent nothing."""
    for _, entry in completeness.iterrows():
        name = annex_sheet_name(entry["centre"])
        sheet = ctx.book.add_worksheet(name)
        set_up_page(sheet, [40, 22, 18, 18, 70])
        sheet.write_string(0, 0, ctx.text("annex_title", centre=ctx.centre(entry["centre"])), ctx.formats.title)
        top = _submission_block(ctx, name, entry)
        top = _kpi_block(ctx, name, entry["centre"], top)
        _narrative_block(ctx, name, entry["centre"], top)
