"""Structure layer: is this our template, for this folder and an open period, with every sheet and column?"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from council.catalog import FALLBACK_LANGUAGE, LANGUAGES, Catalog, SheetSchema
from council.invisible import neutralised
from council.problems import Problem, make_problem
from tasks.read import RawSheet, RawWorkbook
from tasks.validate.parse import is_blank

COVER_SHEET = "cover"
HEADER_SCAN_ROWS = 10  # how far down a user may have pushed the header by inserting rows


@dataclass(frozen=True)
class SheetLayout:
    """Where a sheet's columns really are in the submitted file (users reorder and insert columns)."""

    columns: dict[str, int]
    first_data_row: int  # 0-based index into RawSheet.rows
    unknown: tuple[str, ...] = ()  # header cells that name no field of the schema


@dataclass(frozen=True)
class StructureResult:
    meta: dict[str, object]
    lang: str
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    layouts: dict[str, SheetLayout] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when content checks can run: no structural error."""
        return not any(p.severity == "error" for p in self.problems)


def _clean(value: object) -> str:
    """Header and `_meta` text as a person reads it: spaces folded, bidi and zero-width characters removed."""
    text = "" if value is None else neutralised(str(value))
    return re.sub(r"[\s\u200b\u00a0\u202f]+", " ", text).strip()


def _scalar(value: object) -> object:
    """A `_meta` value as written: whole floats back to ints (Excel stores 1 as 1.0)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return _clean(value)
    return value


def read_meta(raw: RawWorkbook, catalog: Catalog) -> dict[str, object] | None:
    """Key/value pairs of `_meta`, with blanks filled from the visible cover sheet; None if absent."""
    sheet = raw.sheets.get(catalog.meta_sheet)
    if sheet is None:
        return None
    meta = {_clean(r[0]): _scalar(r[1]) for r in sheet.rows if len(r) >= 2 and _clean(r[0])}
    cover = raw.sheets.get(COVER_SHEET)
    if cover is not None:
        # Formulas linking _meta to the cover lose their cached value when a file is re-saved by
        # tools that do not recalculate (openpyxl): the cover cell is the user's own input.
        for row in cover.rows:
            key = _clean(row[0]) if row else ""
            if key and len(row) >= 3 and meta.get(key) in (None, "") and _clean(row[2]):
                meta[key] = _scalar(row[2])
    return meta


def submission_language(meta: dict[str, object] | None) -> str:
    lang = str((meta or {}).get("language", "")).strip().lower()
    return lang if lang in LANGUAGES else FALLBACK_LANGUAGE


def check_template(meta: dict[str, object] | None, catalog: Catalog, lang: str, centre: str) -> list[Problem]:
    """template.id / template.version: the file must be our template, at the current version."""
    if meta is None or str(meta.get("template_id", "")) != catalog.template_id:
        return _some(make_problem(catalog, "template.id", lang, centre=centre, period="2026S1"))
    version = str(meta.get("template_version", ""))
    if version != str(catalog.template_version):
        expected = catalog.template_version
        return _some(
            make_problem(catalog, "template.version", lang, value=version, found=version or "?", expected=expected)
        )
    return []


def check_meta(meta: dict[str, object], catalog: Catalog, lang: str, folder_centre: str, today: date) -> list[Problem]:
    """_meta against the registry, the folder it was dropped in and the calendar."""
    problems: list[Problem | None] = []
    for key in catalog.meta_keys:
        if key.required and meta.get(key.name) in (None, ""):
            problems.append(
                make_problem(
                    catalog, "meta.missing", lang, sheet=catalog.meta_sheet, field=key.name, column=key.label(lang)
                )
            )
    centre = str(meta.get("centre_code", "")).upper()
    if centre and centre not in catalog.centres:
        problems.append(make_problem(catalog, "meta.centre_unknown", lang, value=centre, found=centre))
    elif centre and centre != folder_centre:
        problems.append(
            make_problem(catalog, "meta.centre_mismatch", lang, value=centre, found=centre, expected=folder_centre)
        )
    problems.extend(_check_period(meta, catalog, lang, today))
    raw_lang = str(meta.get("language", "")).strip().lower()
    if raw_lang and raw_lang not in LANGUAGES:
        problems.append(make_problem(catalog, "meta.language", lang, value=raw_lang, found=raw_lang))
    email_key = next(k for k in catalog.meta_keys if k.name == "contact_email")
    email = str(meta.get("contact_email", "") or "")
    if email and email_key.pattern and not re.fullmatch(email_key.pattern, email):
        problems.append(make_problem(catalog, "meta.contact_email", lang, sheet=COVER_SHEET, value=email))
    return [p for p in problems if p is not None]


def _check_period(meta: dict[str, object], catalog: Catalog, lang: str, today: date) -> list[Problem | None]:
    period = str(meta.get("period", "")).upper()
    if not period:
        return []
    if period not in catalog.periods:
        return [make_problem(catalog, "meta.period_unknown", lang, value=period, found=period)]
    if catalog.periods[period].start > today:
        return [make_problem(catalog, "meta.period_not_open", lang, value=period, found=period)]
    return []


def _norm(text: object) -> str:
    return _clean(text).casefold()


def _match_row(row: list[object], lookup: dict[str, str], key: Callable[[object], str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, value in enumerate(row):
        code = lookup.get(key(value))
        if code is not None and code not in found:
            found[code] = index
    return found


def locate_columns(sheet: RawSheet, schema: SheetSchema) -> SheetLayout | None:
    """Find the hidden code row; if a user deleted it, fall back to labels in any language."""
    codes = {f.name: f.name for f in schema.input_fields}
    labels = {_norm(label): f.name for f in schema.input_fields for label in f.labels.values()}
    for index, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        for lookup, key in ((codes, _clean), (labels, _norm)):
            found = _match_row(row, lookup, key)
            if len(found) * 2 >= len(schema.input_fields):
                unknown = tuple(_clean(v) for i, v in enumerate(row) if _clean(v) and i not in found.values())
                start = _data_start(sheet, index, labels)
                return SheetLayout(columns=found, first_data_row=start, unknown=unknown)
    return None


def _data_start(sheet: RawSheet, header_index: int, labels: dict[str, str]) -> int:
    """The row after the header; skips the label row that follows the code row."""
    following = sheet.rows[header_index + 1] if header_index + 1 < len(sheet.rows) else []
    is_label_row = sum(_norm(v) in labels for v in following) * 2 >= max(1, len([v for v in following if _clean(v)]))
    return header_index + 2 if following and is_label_row and any(_clean(v) for v in following) else header_index + 1


def sheet_frame(sheet: RawSheet, schema: SheetSchema, layout: SheetLayout) -> pd.DataFrame:
    """Data rows as an object frame keyed by field code, with `excel_row`; blank rows dropped."""
    rows = sheet.rows[layout.first_data_row :]
    data = {code: [row[i] if i < len(row) else "" for row in rows] for code, i in layout.columns.items()}
    frame = pd.DataFrame(data, dtype=object).assign(
        excel_row=range(layout.first_data_row + 1, layout.first_data_row + 1 + len(rows))
    )
    for missing in (f.name for f in schema.input_fields if f.name not in layout.columns):
        frame[missing] = ""
    # Padding rows (blank, or only spaces) between and after the data are not data.
    blank = pd.concat([is_blank(frame[code]) for code in layout.columns], axis=1).all(axis=1)
    return frame.loc[~blank].reset_index(drop=True)


def check_sheets(raw: RawWorkbook, catalog: Catalog, lang: str, meta: dict[str, object]) -> StructureResult:
    """Every data sheet present, every column found, empty sheets only when declared empty."""
    frames, layouts, problems = {}, {}, []
    for name, schema in catalog.sheets.items():
        sheet = raw.sheets.get(name)
        if sheet is None:
            if schema.required:
                problems.append(make_problem(catalog, "sheet.missing", lang, sheet=name, value=name))
            continue
        layout = locate_columns(sheet, schema)
        if layout is None:
            problems.append(
                make_problem(
                    catalog,
                    "sheet.column_missing",
                    lang,
                    sheet=name,
                    field=schema.input_fields[0].name,
                    column=schema.input_fields[0].label(lang),
                )
            )
            continue
        problems.extend(_column_problems(catalog, schema, layout, lang))
        frames[name], layouts[name] = sheet_frame(sheet, schema, layout), layout
        problems.extend(_emptiness(catalog, schema, frames[name], meta, lang))
    return StructureResult(
        meta=meta, lang=lang, frames=frames, layouts=layouts, problems=[p for p in problems if p is not None]
    )


def _column_problems(catalog: Catalog, schema: SheetSchema, layout: SheetLayout, lang: str) -> list[Problem | None]:
    missing = [
        make_problem(catalog, "sheet.column_missing", lang, sheet=schema.name, field=f.name, column=f.label(lang))
        for f in schema.input_fields
        if f.name not in layout.columns
    ]
    computed = {label for f in schema.fields if f.computed for label in (f.name, *map(_clean, f.labels.values()))}
    unknown = [
        make_problem(catalog, "sheet.column_unknown", lang, sheet=schema.name, value=name, found=name)
        for name in layout.unknown
        if name not in computed
    ]
    return missing + unknown


def _emptiness(
    catalog: Catalog, schema: SheetSchema, frame: pd.DataFrame, meta: dict[str, object], lang: str
) -> list[Problem | None]:
    declared_empty = catalog.is_yes(_clean(meta.get(catalog.nothing_to_report_keys[schema.name])))
    if frame.empty and schema.required and not declared_empty:
        return [make_problem(catalog, "sheet.empty", lang, sheet=schema.name)]
    if not frame.empty and declared_empty:
        return [make_problem(catalog, "sheet.rows_despite_nothing", lang, sheet=schema.name)]
    return []


def _some(problem: Problem | None) -> list[Problem]:
    return [problem] if problem is not None else []


def check_structure(raw: RawWorkbook, catalog: Catalog, folder_centre: str, now: datetime) -> StructureResult:
    """Template identity, then `_meta`, then sheets and columns; stops early when the file is not ours."""
    meta = read_meta(raw, catalog)
    lang = submission_language(meta)
    template = check_template(meta, catalog, lang, folder_centre)
    if template or meta is None:
        return StructureResult(meta=meta or {}, lang=lang, problems=template)
    meta_problems = check_meta(meta, catalog, lang, folder_centre, now.date())
    sheets = check_sheets(raw, catalog, lang, meta)
    return StructureResult(
        meta=meta, lang=lang, frames=sheets.frames, layouts=sheets.layouts, problems=meta_problems + sheets.problems
    )
