"""The centre report workbook, generated from the schema catalog: blank for download, or filled (samples)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

from xlsxwriter.workbook import Workbook

from council.catalog import Catalog
from tasks.template.cells import Styles
from tasks.template.cover import CODES_SHEET, COVER_SHEET, write_codes, write_cover, write_meta
from tasks.template.datasheet import write_data_sheet

Rows = Mapping[str, Sequence[Mapping[str, object]]]

# Text a user types that starts with = + - @ must stay text; xlsxwriter would otherwise turn it
# into a formula, a link or a number.
WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "in_memory": True,
}
FALLBACK_CREATED = datetime(2000, 1, 1)


def identity(catalog: Catalog, centre: str, period: str, lang: str) -> dict[str, object]:
    """The `_meta` values the template itself fixes (not typed by the centre)."""
    return {
        "template_id": catalog.template_id,
        "template_version": catalog.template_version,
        "centre_code": centre,
        "period": period,
        "language": lang,
    }


def build_workbook(
    catalog: Catalog,
    centre: str,
    period: str,
    lang: str,
    rows: Rows | None = None,
    meta: Mapping[str, object] | None = None,
) -> bytes:
    """The workbook's bytes: cover, data sheets in schema order, codes, hidden _meta.

    `rows` fills data sheets (keys = field codes); `meta` fills cover values and may override identity keys.
    The same arguments always give the same bytes.
    """
    rows, meta = rows or {}, meta or {}
    buffer = io.BytesIO()
    workbook = Workbook(buffer, WORKBOOK_OPTIONS)
    workbook.set_properties({"title": _title(catalog, centre, period, lang), "created": _created(catalog, period)})
    styles = Styles(workbook)
    # Sheets are added first so their tab order is fixed; they are filled afterwards.
    cover = workbook.add_worksheet(COVER_SHEET)
    data_sheets = {name: workbook.add_worksheet(name) for name in catalog.sheets}
    codes = workbook.add_worksheet(CODES_SHEET)
    meta_sheet = workbook.add_worksheet(catalog.meta_sheet)
    sources = write_codes(codes, catalog, lang, styles)
    cover_cells = write_cover(cover, catalog, centre, period, lang, meta, styles, sources)
    for name, sheet in data_sheets.items():
        write_data_sheet(sheet, catalog, catalog.sheets[name], lang, rows.get(name, ()), styles, sources)
    write_meta(meta_sheet, catalog, identity(catalog, centre, period, lang), meta, cover_cells, styles)
    cover.activate()
    workbook.close()
    return buffer.getvalue()


def write_template(
    catalog: Catalog,
    centre: str,
    period: str,
    lang: str,
    out: Path,
    rows: Rows | None = None,
    meta: Mapping[str, object] | None = None,
) -> Path:
    """Write `build_workbook`'s bytes to `out` (parent folders created) and return the path."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(build_workbook(catalog, centre, period, lang, rows, meta))
    return out


def _title(catalog: Catalog, centre: str, period: str, lang: str) -> str:
    known = catalog.centres.get(centre)
    return catalog.text("template.doc_title", lang, centre=known.name(lang) if known else centre, period=period)


def _created(catalog: Catalog, period: str) -> datetime:
    # A fixed creation time keeps the bytes reproducible (xlsxwriter would stamp "now").
    known = catalog.periods.get(period)
    return datetime(known.start.year, known.start.month, known.start.day) if known else FALLBACK_CREATED
