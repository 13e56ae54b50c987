"""The methodology sheet: how the figures are made, and every indicator's definition, in the pack language."""

from __future__ import annotations

from tasks.aggregate.rag import rag_thresholds
from tasks.pack.context import SheetContext
from tasks.pack.excel import set_up_page, write_header, write_row

SHEET = "methodology"
PARAGRAPHS = ("method_sources", "method_areas", "method_periods", "method_missing", "method_changes")


def methodology_paragraphs(ctx: SheetContext) -> list[str]:
    """The methodology text, the RAG thresholds filled in from schemas/pack.yaml."""
    rag = rag_thresholds(ctx.catalog.root)
    thresholds = {"green": f"{rag.green:.0%}", "amber": f"{rag.amber:.0%}"}
    return [*(ctx.text(key) for key in PARAGRAPHS), ctx.text("method_rag", **thresholds), ctx.text("total_note")]


def write_methodology(ctx: SheetContext) -> None:
    """Paragraphs, then a table of indicators: code, name, unit, how it combines over a period, whole."""
    sheet, f, catalog, lang = ctx.book.add_worksheet(SHEET), ctx.formats, ctx.catalog, ctx.lang
    set_up_page(sheet, [22, 60, 14, 30, 12])
    sheet.write_string(0, 0, ctx.text("methodology_title"), f.title)
    paragraphs = methodology_paragraphs(ctx)
    for row, text in enumerate(paragraphs, start=2):
        sheet.merge_range(row, 0, row, 4, text, f.text)
        sheet.set_row(row, 45)
    top = 2 + len(paragraphs) + 1
    labels = [ctx.text(k) for k in ("col_code", "col_name", "col_unit", "col_aggregation", "col_whole")]
    write_header(sheet, top, labels, f)
    for row, indicator in enumerate(catalog.indicators.values(), start=top + 1):
        whole = catalog.code_label("yes_no", "YES" if indicator.whole else "NO", lang)
        values = [indicator.code, indicator.name(lang), catalog.code_label("unit", indicator.unit, lang)]
        values += [ctx.text(f"aggregation_{indicator.aggregation}"), whole]
        write_row(sheet, row, values, [f.text] * 5)
