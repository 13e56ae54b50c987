"""Content layer: typed values, then the generated GX suite (fields, references, cross-field checks)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from council.catalog import Catalog, Field, SheetSchema
from council.problems import Problem, cell_ref, make_problem
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
SHOWN_CODES = 12  # how many allowed codes a message lists before "…"
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


def _field_placeholders(spec: Expect, f: Field, catalog: Catalog) -> dict[str, object]:
    if spec.kind == "in_set" and f.codelist:
        codes = catalog.codes(f.codelist)
        return {"allowed": ", ".join(codes[:SHOWN_CODES]) + (" …" if len(codes) > SHOWN_CODES else "")}
    if spec.kind == "between":
        return {"minimum": _num(f.minimum), "maximum": _num(f.maximum)}
    if spec.kind == "regex":
        return {"example": f.pattern_example or f.pattern}
    if spec.kind == "max_length":
        return {"maximum": f.max_length}
    return {}


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


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
    checked, derived = _derive_all(typed, schema, CheckContext(catalog, centre))
    specs = field_specs + [spec for spec, _ in derived]
    failures = run_suite(checked, specs, name=schema.name)
    by_row = typed.set_index(ROW_ID, drop=False)
    for index, rows in sorted(failures.items()):
        spec, listed = specs[index], rows[:MAX_LISTED]
        if index < len(field_specs):
            extra = _field_placeholders(spec, schema.field(spec.column), catalog)
            found = [cells.problem(spec.rule, spec.column, r, **extra) for r in listed]
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
