"""Great Expectations suites generated from the sheet schemas, run on one fresh context each time."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from council.catalog import Catalog, SheetSchema
from council.settings import Settings

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


def might_fail(frame: pd.DataFrame, spec: Expect) -> bool:
    """Could GX find `spec` broken in `frame`? A vectorised screen that may say yes wrongly, never no wrongly.

    GX's cost is per expectation (~10 ms of bookkeeping each, whatever the rows), so asking it about
    ~90 expectations of a clean workbook costs a second or more; this asks pandas first. Every doubt
    (an odd type, an error) answers yes, and GX then decides.
    """
    try:
        return bool(_SCREENS[spec.kind](frame, spec))
    except Exception:  # an unexpected type or value: let GX look
        return True


def _present(frame: pd.DataFrame, spec: Expect) -> pd.Series:
    return frame[spec.column].dropna()  # GX's column-map expectations skip nulls; only not_null looks at them


def _texts_longer(frame: pd.DataFrame, spec: Expect) -> bool:
    values = _present(frame, spec)
    if not isinstance(values.dtype, pd.StringDtype) and not all(isinstance(v, str) for v in values):
        return True  # GX measures text; what it makes of other values is its call
    return bool((values.str.len() > spec.params["max_value"]).any())


def _outside(frame: pd.DataFrame, spec: Expect) -> bool:
    values, low, high = _present(frame, spec), spec.params.get("min_value"), spec.params.get("max_value")
    beyond = [values < low] if low is not None else []
    beyond += [values > high] if high is not None else []
    return any(bool(side.any()) for side in beyond)


_SCREENS: dict[str, Callable[[pd.DataFrame, Expect], bool]] = {
    "not_null": lambda frame, spec: frame[spec.column].isna().any(),
    "in_set": lambda frame, spec: (~_present(frame, spec).isin(spec.params["value_set"])).any(),
    "between": _outside,
    # As GX does it: text of the value, pattern searched (ours are anchored).
    "regex": lambda frame, spec: (~_present(frame, spec).astype(str).str.contains(spec.params["regex"])).any(),
    "max_length": _texts_longer,
    # Nulls count as equal here (pandas' duplicated): more suspects than GX, never fewer.
    "unique": lambda frame, spec: _present(frame, spec).duplicated().any(),
    "compound_unique": lambda frame, spec: frame.duplicated(subset=list(spec.columns)).any(),
}


def screen_enabled() -> bool:
    """`COUNCIL_GX_SCREEN=off` sends every expectation to GX (an audit run, and the test that the screen is safe).

    Read from the settings at each suite rather than passed down: the sweep's call path runs through
    modules that take no such flag, and reading the environment costs microseconds beside GX.
    """
    return Settings.from_env().gx_screen


def run_suite(frame: pd.DataFrame, specs: list[Expect], name: str) -> dict[int, list[int]]:
    """Validate `frame` with GX; for each failing spec (by position) the Excel rows that broke it.

    Only the expectations the screen cannot clear go to GX, with row-level results; a clean sheet,
    the common case, never reaches GX. With the screen off, GX answers pass/fail for the whole suite
    first and then rows for the failing expectations only (row-level results cost ~3x a pass/fail).
    """
    if frame.empty or not specs:
        return {}
    if screen_enabled():
        suspects = [i for i, spec in enumerate(specs) if might_fail(frame, spec)]
        return _failing_rows(frame, specs, suspects, name) if suspects else {}
    batch = _gx_batch(frame, name)
    passed = _outcomes(batch.validate(_gx_suite(specs, range(len(specs)), name), result_format="BOOLEAN_ONLY"))
    failing = [i for i, ok in passed.items() if not ok]
    return _failing_rows(frame, specs, failing, name, batch) if failing else {}


def _failing_rows(
    frame: pd.DataFrame, specs: list[Expect], chosen: list[int], name: str, batch: Any = None
) -> dict[int, list[int]]:
    batch = batch or _gx_batch(frame, name)
    result = batch.validate(
        _gx_suite(specs, chosen, f"{name}-rows"),
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [ROW_ID]},
    )
    return _failures(result)


def _gx_batch(frame: pd.DataFrame, name: str) -> Any:
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    # One fresh ephemeral context per validation: GX is not thread-safe across DataFrames.
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return (
        context.data_sources.add_pandas(name)
        .add_dataframe_asset(name)
        .add_batch_definition_whole_dataframe(name)
        .get_batch(batch_parameters={"dataframe": frame})
    )


def _gx_suite(specs: list[Expect], chosen: Iterable[int], name: str) -> Any:
    import great_expectations as gx

    return gx.ExpectationSuite(name=name, expectations=[_gx_expectation(i, specs[i]) for i in chosen])


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
