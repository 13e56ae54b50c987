"""Content layer: typed values, then the generated GX suite (fields, references, cross-field checks)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from numbers import Real

import pandas as pd

from council.catalog import STORAGE_BOUNDS, Catalog, Field, SheetSchema
from council.numbers import format_count, format_date, format_number
from council.problems import Problem, cell_ref, make_problem, shown_value
from tasks.validate import parse
from tasks.validate.checks import CheckContext, Derived, derive
from tasks.validate.structure import SheetLayout
from tasks.validate.suites import (
    ROW_ID,
    Expect,
    derived_expectations,
    field_expectations,
    reference_expectations,
    run_suite,
)

TYPE_RULES = {"number": "cell.number", "integer": "cell.integer", "date": "cell.date"}
SHOWN_CODES = 12  # a codelist this long or shorter is listed in full in a message; a longer one is counted
MAX_LISTED = 1000  # cells listed per rule and column; the rest are counted (one mistake × 100k rows)


@dataclass(frozen=True)
class SheetContent:
    frame: pd.DataFrame  # typed values keyed by field code, plus excel_row
    problems: list[Problem]


def _typed_column(values: pd.Series, f: Field, catalog: Catalog) -> tuple[pd.Series, pd.Series | None]:
    if f.type == "number":
        return parse.parse_number(values)
    if f.type == "integer":
        return parse.parse_integer(values)
    if f.type == "date":
        return parse.parse_date(values)
    if f.codelist:
        codes = parse.parse_code(values)
        return (codes.replace(catalog.region_aliases) if f.codelist == "region" else codes), None
    return parse.parse_text(values), None


def typed_frame(raw: pd.DataFrame, schema: SheetSchema, catalog: Catalog) -> tuple[pd.DataFrame, dict[str, pd.Series]]:
    """Parse every input column by its schema type; returns the frame and per-column bad-value masks."""
    columns, bad = {}, {}
    for f in schema.input_fields:
        columns[f.name], mask = _typed_column(raw[f.name], f, catalog)
        if mask is not None:
            bad[f.name] = mask
    return pd.DataFrame(columns, index=raw.index).assign(**{ROW_ID: raw[ROW_ID].astype("int64")}), bad


class _Cells:
    """Turns (field, excel row) into problems rendered in the submitter's language."""

    def __init__(self, catalog: Catalog, schema: SheetSchema, layout: SheetLayout, raw: pd.DataFrame, lang: str):
        self.catalog, self.schema, self.layout, self.lang = catalog, schema, layout, lang
        self.raw = raw.set_index(ROW_ID)

    def problem(self, rule: str, field_name: str, row: int, **placeholders: object) -> Problem | None:
        f = self.schema.field(field_name)
        column = self.layout.columns.get(field_name, 0)
        value = placeholders.pop("value", self.raw.at[row, field_name] if field_name in self.raw else None)
        if f.type in ("number", "integer"):  # a BIN typed as a number stays digits; an amount reads `1 234,5`
            value = shown_value(value, self.lang)
        elif f.type == "date" and isinstance(value, date):  # a real date cell: `31.01.2025`, not `2025-01-31 00:00:00`
            value = format_date(value.date() if isinstance(value, datetime) else value, self.lang)
        return make_problem(
            self.catalog,
            rule,
            self.lang,
            sheet=self.schema.name,
            cell=cell_ref(self.schema.name, column, row),
            value=value,
            field=field_name,
            row=row,
            column=f.label(self.lang),
            **placeholders,
        )


def _type_problems(cells: _Cells, raw: pd.DataFrame, bad: dict[str, pd.Series]) -> list[Problem]:
    found: list[Problem] = []
    for name, mask in bad.items():
        rows = raw.loc[mask, ROW_ID].tolist()
        listed = [cells.problem(TYPE_RULES[cells.schema.field(name).type], name, int(r)) for r in rows[:MAX_LISTED]]
        found += _with_count([p for p in listed if p is not None], len(rows))
    return found


def _field_placeholders(spec: Expect, f: Field, catalog: Catalog, lang: str, value: object = None) -> dict[str, object]:
    """What the rule's text says is allowed, in the reader's language; `value` is the failing cell's typed value."""
    if spec.kind == "in_set" and f.codelist:
        return {"allowed": allowed_codes(catalog, f.codelist, lang)}
    if spec.kind == "between":
        minimum, maximum = _shown_bounds(f, value)
        return {
            "minimum": _num(minimum, lang),
            "maximum": _num(maximum, lang),
            "allowed": _range(catalog, lang, minimum, maximum),
        }
    if spec.kind == "regex":
        return {"example": f.pattern_example or f.pattern}
    if spec.kind == "max_length":  # found: how long the text is, which the message states next to the limit
        length = {"found": format_count(len(str(value)), lang)} if isinstance(value, str) else {}
        return {"maximum": format_count(f.max_length or 0, lang), **length}
    return {}


def allowed_codes(catalog: Catalog, codelist: str, lang: str) -> str:
    """A short list as `CODE — name; …` in the reader's language; a long one by its size and where to find it.

    Never cut short with "…": a centre cannot act on a list it cannot see the end of.
    """
    codes = catalog.codes(codelist)
    if len(codes) > SHOWN_CODES:
        return catalog.text("problems.codes_on_sheet", lang, count=format_count(len(codes), lang))
    named = [_code_with_name(catalog, codelist, code, lang) for code in codes]
    return catalog.text("problems.codes_listed", lang, codes="; ".join(named))


def _code_with_name(catalog: Catalog, codelist: str, code: str, lang: str) -> str:
    name = catalog.code_label(codelist, code, lang)
    return code if name == code else f"{code} — {name}"


def _shown_bounds(f: Field, value: object) -> tuple[float | None, float | None]:
    """The bounds worth telling: the schema's own, or the storage bound this value broke.

    catalog.py tightens every money/integer field to what the warehouse holds (STORAGE_BOUNDS), so a field
    whose schema says only `minimum: 0` carries a maximum of 10^15 too: "must be ≥ 0" is what helps a centre
    that typed -5, and "≤ 1 000 000 000 000 000" (that bound alone) one that typed 10^16.
    """
    low, high = STORAGE_BOUNDS.get("money" if f.format == "money" else f.type, (None, None))
    number = float(value) if isinstance(value, Real) and not isinstance(value, bool) else None
    if number is not None and high is not None and f.maximum == high and number > high:
        return None, f.maximum
    if number is not None and low is not None and f.minimum == low and number < low:
        return f.minimum, None
    minimum = f.minimum if f.minimum != low else None
    maximum = f.maximum if f.maximum != high else None
    # No value to judge by (never expected for a failed range): say every bound rather than nothing.
    return (minimum, maximum) if minimum is not None or maximum is not None else (f.minimum, f.maximum)


def _range(catalog: Catalog, lang: str, minimum: float | None, maximum: float | None) -> str:
    if minimum is not None and maximum is not None:
        return catalog.text("problems.range_between", lang, minimum=_num(minimum, lang), maximum=_num(maximum, lang))
    if minimum is not None:
        return catalog.text("problems.range_at_least", lang, minimum=_num(minimum, lang))
    return catalog.text("problems.range_at_most", lang, maximum=_num(maximum, lang)) if maximum is not None else ""


def _num(value: float | None, lang: str) -> str:
    return "" if value is None else format_number(value, lang)


def _derive_all(
    typed: pd.DataFrame, schema: SheetSchema, ctx: CheckContext
) -> tuple[pd.DataFrame, list[tuple[Expect, Derived]]]:
    derived, columns = [], {}
    for check in schema.checks:
        for i, d in enumerate(derive(typed, check, ctx)):
            name = f"_ok_{check.rule}_{i}"
            columns[name] = d.ok
            derived.append((name, check.rule, d))
    specs = derived_expectations([(rule, name) for name, rule, _ in derived])
    return typed.assign(**columns), list(zip(specs, (d for _, _, d in derived), strict=True))


def validate_sheet(
    raw: pd.DataFrame,
    schema: SheetSchema,
    layout: SheetLayout,
    catalog: Catalog,
    lang: str,
    known: dict[str, set[str]],
    centre: str,
) -> SheetContent:
    """All content rules of one sheet; problems are values, nothing raises for bad data."""
    typed, bad = typed_frame(raw, schema, catalog)
    cells = _Cells(catalog, schema, layout, raw, lang)
    problems = _type_problems(cells, raw, bad)
    field_specs = field_expectations(schema, catalog) + reference_expectations(schema, known)
    checked, derived = _derive_all(typed, schema, CheckContext(catalog, centre, lang))
    specs = field_specs + [spec for spec, _ in derived]
    failures = run_suite(checked, specs, name=schema.name)
    by_row = typed.set_index(ROW_ID, drop=False)
    for index, rows in sorted(failures.items()):
        spec, listed = specs[index], rows[:MAX_LISTED]
        if index < len(field_specs):
            f = schema.field(spec.column)
            found = [
                cells.problem(
                    spec.rule, spec.column, r, **_field_placeholders(spec, f, catalog, lang, by_row.at[r, f.name])
                )
                for r in listed
            ]
        else:
            d = derived[index - len(field_specs)][1]
            details = d.details(by_row.loc[listed])
            found = [cells.problem(spec.rule, d.cell_field, r, **details.loc[r].to_dict()) for r in listed]
        problems += _with_count([p for p in found if p is not None], len(rows))
    return SheetContent(frame=typed, problems=_without_echoes([p for p in problems if p is not None]))


def _with_count(listed: list[Problem], total: int) -> list[Problem]:
    """Past MAX_LISTED cells a finding is counted, not listed: the last listed one carries the rest."""
    if listed and total > len(listed):
        listed[-1] = replace(listed[-1], more=total - len(listed))
    return listed


def _without_echoes(problems: list[Problem]) -> list[Problem]:
    """A cell whose value could not be parsed is reported once, not again as 'empty'."""
    typed_cells = {p.cell for p in problems if p.rule in TYPE_RULES.values()}
    return [p for p in problems if not (p.rule == "cell.required" and p.cell in typed_cells)]
