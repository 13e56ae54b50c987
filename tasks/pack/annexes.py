"""The annex sheets: `completeness` (what arrived, how and when) and `data` (every KPI row, long format)."""

from __future__ import annotations

import pandas as pd
from xlsxwriter.format import Format

from tasks.aggregate.completeness import MISSING
from tasks.pack.context import SheetContext
from tasks.pack.excel import is_missing, set_up_page, write_header, write_row

COMPLETENESS_SHEET, DATA_SHEET = "completeness", "data"
COMPLETENESS_HEADER_ROW = 3
COMPLETENESS_COLUMNS = [
    "centre",
    "centre_name",
    "status",
    "on_time",
    "received_at",
    "version",
    "template_version",
    "errors",
    "warnings",
    "estimated_values",
    "is_correction",
    "file_name",
]
# Free text stays in the warehouse: the data sheet carries only codes and numbers.
DATA_EXCLUDED_FIELDS = ("comment",)
# Codes shown in full: the longest indicator code and a submission id are wider than a number.
DATA_WIDTHS = {"period": 10, "centre": 10, "indicator_code": 24, "submission_id": 26, "obs_status": 11}
DATA_SORT = ["period", "centre", "priority_area", "indicator_code", "project_id", "obs_status", "submission_id"]


def _flag(value: object, yes: str, no: str) -> str | None:
    return None if is_missing(value) else (yes if bool(value) else no)


def _completeness_cells(ctx: SheetContext, entry: pd.Series) -> tuple[list[object], list[Format]]:
    f, received = ctx.formats, entry["status"] != MISSING
    yes, no = (ctx.catalog.code_label("yes_no", code, ctx.lang) for code in ("YES", "NO"))
    values = [
        entry["centre"],
        ctx.centre(entry["centre"]),
        ctx.text(f"status_{entry['status']}"),
        _flag(entry["on_time"], ctx.text("on_time_yes"), ctx.text("on_time_no")) if received else None,
        entry["received_at"],
        entry["version"],
        entry["template_version"],
        entry["errors"],
        entry["warnings"],
        entry["estimated_values"],
        _flag(entry["is_correction"], yes, no),
        entry["file_name"],
    ]
    return values, [f.text, f.text, f.text, f.text, f.datetime, *[f.whole] * 5, f.text, f.text]


def write_completeness(ctx: SheetContext, table: pd.DataFrame, summary_line: str) -> None:
    """Expected versus received, one row per registered centre, under the one-line summary."""
    sheet, f = ctx.book.add_worksheet(COMPLETENESS_SHEET), ctx.formats
    set_up_page(sheet, [10, 44, 22, 14, 17, 9, 10, 9, 12, 12, 11, 30], freeze_row=COMPLETENESS_HEADER_ROW + 1)
    sheet.write_string(0, 0, ctx.text("completeness_title"), f.title)
    sheet.write_string(1, 0, summary_line, f.bold)
    write_header(sheet, COMPLETENESS_HEADER_ROW, [ctx.text(f"col_{c}") for c in COMPLETENESS_COLUMNS], f)
    for row, (_, entry) in enumerate(table.iterrows(), start=COMPLETENESS_HEADER_ROW + 1):
        write_row(sheet, row, *ctx.shown(*_completeness_cells(ctx, entry)))


def data_columns(ctx: SheetContext) -> list[str]:
    """Columns of the long-format data sheet, from the kpi schema plus period and provenance."""
    fields = [c for c in ctx.catalog.sheets["kpi"].codes if c not in DATA_EXCLUDED_FIELDS]
    return ["period", "centre", *fields, "submission_id"]


def data_rows(kpi: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """KPI rows of every period in one deterministic order, whatever order the warehouse returned."""
    numbers = {c: pd.to_numeric(kpi[c], errors="coerce").astype("float64") for c in ("value", "target_value")}
    frame = kpi.assign(**numbers)[columns]
    keys = [c for c in DATA_SORT if c in columns] + ["value", "target_value"]
    return frame.sort_values(keys, kind="mergesort", na_position="last").reset_index(drop=True)


def write_data(ctx: SheetContext) -> None:
    """Every KPI row of the three periods, headed by the language-neutral column codes."""
    sheet, f = ctx.book.add_worksheet(DATA_SHEET), ctx.formats
    columns = data_columns(ctx)
    rows = data_rows(ctx.inputs.kpi, columns)
    set_up_page(sheet, [DATA_WIDTHS.get(c, 16) for c in columns], freeze_row=1)
    write_header(sheet, 0, columns, f)
    for row, (_, entry) in enumerate(rows.iterrows(), start=1):
        number = ctx.indicator_format(entry["indicator_code"])
        formats = [number if c in ("value", "target_value") else None for c in columns]
        write_row(sheet, row, entry.tolist(), formats)
    sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
