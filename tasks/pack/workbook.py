"""Build the Council pack: pack.xlsx (xlsxwriter), pack.html, pack.pdf (Chromium) and manifest.json."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from council.catalog import LANGUAGES, Catalog
from tasks.aggregate.completeness import completeness_summary
from tasks.aggregate.inputs import PackInputs
from tasks.aggregate.tables import PackTables, build_tables
from tasks.pack.annexes import DATA_SHEET, write_completeness, write_data
from tasks.pack.centres import write_centre_annexes
from tasks.pack.context import SheetContext
from tasks.pack.dashboards import write_dashboards
from tasks.pack.excel import keep_charts_whole, mark_draft, open_workbook, set_print_area
from tasks.pack.html import render_html
from tasks.pack.manifest import build_manifest, changes_since, file_entry, write_manifest
from tasks.pack.methodology import write_methodology
from tasks.pack.pdf import footer_template, header_template, render_pdf
from tasks.pack.sheets import write_budget, write_portfolio, write_trend
from tasks.pack.stamp import data_as_of
from tasks.pack.summary import write_summary
from tasks.pack.text_width import text_width

PACK_XLSX, PACK_HTML, PACK_PDF, MANIFEST_JSON = "pack.xlsx", "pack.html", "pack.pdf", "manifest.json"
DRAFT_MARK_PX = 15  # 11 pt bold, the draft box's font, in pixels


@dataclass(frozen=True)
class OutputFile:
    """One file the pack build wrote, with its hash and size."""

    name: str
    path: Path
    sha256: str
    size: int


@dataclass(frozen=True)
class PackResult:
    """What a pack build produced: its files (with hashes) and the manifest it wrote."""

    out_dir: Path
    files: tuple[OutputFile, ...]
    manifest: dict[str, Any]

    def file(self, name: str) -> OutputFile:
        return next(f for f in self.files if f.name == name)


def write_workbook(
    path: Path, inputs: PackInputs, catalog: Catalog, tables: PackTables, lang: str, draft: bool = False
) -> None:
    """Write pack.xlsx in the Council's reading order, from the summary to the long-format data."""
    as_of = data_as_of(inputs, catalog)
    book, formats = open_workbook(path, as_of)
    ctx = SheetContext(book=book, formats=formats, inputs=inputs, catalog=catalog, lang=lang, as_of=as_of, draft=draft)
    line = completeness_summary(tables.completeness, catalog, lang)
    write_summary(ctx, tables.headline, line)
    write_dashboards(ctx, tables.kpi_by_area, tables.kpi_totals)
    write_trend(ctx, tables)
    write_portfolio(ctx, tables.portfolio)
    write_budget(ctx, tables.budget_by_centre, tables.budget_by_area)
    write_centre_annexes(ctx, tables.completeness)
    write_completeness(ctx, tables.completeness, line)
    write_methodology(ctx)
    write_data(ctx)
    for sheet in book.worksheets():
        set_print_area(sheet)
        keep_charts_whole(sheet)
        if draft:
            mark = ctx.text("draft_mark")
            beside = (sheet.dim_colmax or 0) + 2 if sheet.name == DATA_SHEET else None  # its row 1 is the header
            mark_draft(sheet, mark, text_width(mark, DRAFT_MARK_PX), beside)
    book.close()


def _replace(out_dir: Path, name: str, data: bytes | str) -> None:
    """Write beside the target, then rename: a crash never leaves a half-written file."""
    partial = out_dir / f".{name}.partial"
    if isinstance(data, str):
        partial.write_text(data, encoding="utf-8")
    else:
        partial.write_bytes(data)
    os.replace(partial, out_dir / name)


def _write_pdf(out_dir: Path, catalog: Catalog, lang: str, inputs: PackInputs, draft: bool = False) -> str | None:
    """pack.pdf from pack.html; the reason when it was not made (no browser, or the browser failed)."""
    title = f"{catalog.text('pack.title', lang)} — {inputs.meeting_id}"
    mark = catalog.text("pack.draft_mark", lang) if draft else None
    if mark:
        title = f"{mark} · {title}"
    partial = out_dir / f".{PACK_PDF}.partial"
    try:
        footer = footer_template(catalog, lang, title)
        skipped = render_pdf(out_dir / PACK_HTML, partial, footer, data_as_of(inputs, catalog), header_template(mark))
    except (OSError, RuntimeError, TimeoutError) as error:
        skipped = f"chromium failed: {error}"
    if skipped is None:
        os.replace(partial, out_dir / PACK_PDF)
    return skipped


def _output(out_dir: Path, name: str) -> OutputFile:
    entry = file_entry(out_dir / name)
    return OutputFile(name=name, path=out_dir / name, sha256=entry["sha256"], size=entry["size"])


def write_pack(
    inputs: PackInputs,
    catalog: Catalog,
    out_dir: Path,
    lang: str = "ru",
    *,
    code_version: str,
    tables: PackTables | None = None,
    pdf: bool = True,
    previous_manifest: dict[str, Any] | None = None,
    draft: bool = False,
) -> PackResult:
    """Write pack.xlsx, pack.html, pack.pdf (when a browser exists and `pdf`) and then manifest.json.

    The manifest lists every written file's hash, and what changed since `previous_manifest` if given.
    A `draft` says so on every sheet, page and in the manifest.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown pack language {lang!r}; expected one of {LANGUAGES}")
    tables = tables if tables is not None else build_tables(inputs, catalog)
    out_dir.mkdir(parents=True, exist_ok=True)
    partial = out_dir / f".{PACK_XLSX}.partial"
    write_workbook(partial, inputs, catalog, tables, lang, draft)
    os.replace(partial, out_dir / PACK_XLSX)
    _replace(out_dir, PACK_HTML, render_html(inputs, catalog, tables, lang, draft))
    skipped = _write_pdf(out_dir, catalog, lang, inputs, draft) if pdf else "not requested"
    written = [_output(out_dir, name) for name in (PACK_XLSX, PACK_HTML, PACK_PDF) if (out_dir / name).exists()]
    outputs = {f.name: {"sha256": f.sha256, "size": f.size} for f in written}
    manifest = build_manifest(inputs, catalog, tables, lang, code_version, outputs) | {"draft": draft}
    manifest["renderers"] = {"pdf": "chromium" if skipped is None else None, "pdf_skipped": skipped}
    if previous_manifest is not None:
        manifest["changes"] = changes_since(previous_manifest, manifest)
    write_manifest(manifest, out_dir / MANIFEST_JSON)
    return PackResult(out_dir=out_dir, files=(*written, _output(out_dir, MANIFEST_JSON)), manifest=manifest)
