"""Great Expectations suites generated from the sheet schemas, run on one fresh context each time."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from council.catalog import Catalog, SheetSchema

ROW_ID = "excel_row"


@dataclass(frozen=True)
class Expect:
    """One expectation, described neutrally so suites can be built and tested without importing GX."""

    rule: str
    kind: str  # not_null | in_set | between | regex | unique | compound_unique | max_length
    column: str
    params: dict[str, Any] = field(default_factory=dict)
    columns: tuple[str, ...] = ()  # for compound_unique


def field_expectations(schema: SheetSchema, catalog: Catalog) -> list[Expect]:
    """Per-column constraints of the schema: required, codelist, range, pattern, length, unique."""
    out: list[Expect] = []
    for f in schema.input_fields:
        if f.required:
            out.append(Expect("cell.required", "not_null", f.name))
        if f.codelist:
            out.append(Expect("cell.codelist", "in_set", f.name, {"value_set": list(catalog.codes(f.codelist))}))
        if f.minimum is not None or f.maximum is not None:
            out.append(Expect("cell.range", "between", f.name, {"min_value": f.minimum, "max_value": f.maximum}))
        if f.pattern:
            out.append(Expect("cell.pattern", "regex", f.name, {"regex": f.anchored_pattern}))
        if f.max_length:
            out.append(Expect("cell.too_long", "max_length", f.name, {"max_value": f.max_length}))
        if f.unique:
            out.append(Expect("cell.unique", "unique", f.name))
    if len(schema.primary_key) > 1:
        out.append(Expect("cell.unique", "compound_unique", schema.primary_key[0], columns=schema.primary_key))
    return out


def reference_expectations(schema: SheetSchema, known: dict[str, set[str]]) -> list[Expect]:
    """Foreign keys: values must exist in the referenced sheet (`known[sheet]`)."""
    # GX refuses an empty value set; a value no cell can hold keeps the rule meaningful.
    return [
        Expect(fk.rule, "in_set", fk.fields[0], {"value_set": sorted(known.get(fk.resource, set())) or ["\x00"]})
        for fk in schema.foreign_keys
    ]


def derived_expectations(columns: list[tuple[str, str]]) -> list[Expect]:
    """Derived boolean columns (rule, column) must all be True."""
    return [Expect(rule, "in_set", column, {"value_set": [True]}) for rule, column in columns]


def _gx_expectation(index: int, spec: Expect) -> Any:
    import great_expectations.expectations as gxe

    meta = {"index": index}
    if spec.kind == "not_null":
        return gxe.ExpectColumnValuesToNotBeNull(column=spec.column, meta=meta)
    if spec.kind == "in_set":
        return gxe.ExpectColumnValuesToBeInSet(column=spec.column, value_set=spec.params["value_set"], meta=meta)
    if spec.kind == "between":
        return gxe.ExpectColumnValuesToBeBetween(column=spec.column, **spec.params, meta=meta)
    if spec.kind == "regex":
        return gxe.ExpectColumnValuesToMatchRegex(column=spec.column, regex=spec.params["regex"], meta=meta)
    if spec.kind == "max_length":
        return gxe.ExpectColumnValueLengthsToBeBetween(
            column=spec.column, max_value=spec.params["max_value"], meta=meta
        )
    if spec.kind == "unique":
        return gxe.ExpectColumnValuesToBeUnique(column=spec.column, meta=meta)
    if spec.kind == "compound_unique":
        return gxe.ExpectCompoundColumnsToBeUnique(column_list=list(spec.columns), meta=meta)
    raise ValueError(f"unknown expectation kind {spec.kind}")


def run_suite(frame: pd.DataFrame, specs: list[Expect], name: str) -> dict[int, list[int]]:
    """Validate `frame`; for each failing spec (by position) the Excel rows that broke it.

    GX's cost grows with the number of expectations far more than with rows, and row-level
    results cost ~3x a pass/fail answer; so a cheap pass finds the failing expectations and only
    those run again for their rows. Clean workbooks, the common case, pay for the cheap pass only.
    """
    if frame.empty or not specs:
        return {}
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    # One fresh ephemeral context per validation: GX is not thread-safe across DataFrames.
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batch = (
        context.data_sources.add_pandas(name)
        .add_dataframe_asset(name)
        .add_batch_definition_whole_dataframe(name)
        .get_batch(batch_parameters={"dataframe": frame})
    )
    suite = gx.ExpectationSuite(name=name, expectations=[_gx_expectation(i, s) for i, s in enumerate(specs)])
    failing = [i for i, ok in _outcomes(batch.validate(suite, result_format="BOOLEAN_ONLY")).items() if not ok]
    if not failing:
        return {}
    detail = gx.ExpectationSuite(name=f"{name}-rows", expectations=[_gx_expectation(i, specs[i]) for i in failing])
    result = batch.validate(
        detail, result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [ROW_ID]}
    )
    return _failures(result)


def _outcomes(result: Any) -> dict[int, bool]:
    outcomes = {}
    for outcome in result.results:
        _raise_if_broken(outcome)
        outcomes[outcome.expectation_config.meta["index"]] = bool(outcome.success)
    return outcomes


def _raise_if_broken(outcome: Any) -> None:
    """A GX error (not a failed expectation) is a bug in a suite, never a centre's mistake."""
    if outcome.exception_info and outcome.exception_info.get("raised_exception"):
        raise RuntimeError(f"GX could not evaluate {outcome.expectation_config}: {outcome.exception_info}")


def _failures(result: Any) -> dict[int, list[int]]:
    failures: dict[int, list[int]] = {}
    for outcome in result.results:
        _raise_if_broken(outcome)
        if not outcome.success:
            rows = [int(item[ROW_ID]) for item in outcome.result.get("unexpected_index_list") or []]
            failures[outcome.expectation_config.meta["index"]] = sorted(set(rows))
    return failures
