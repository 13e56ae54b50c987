"""Cross-field and cross-sheet checks: each kind derives a boolean `ok` column the GX suite asserts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from numbers import Real

import pandas as pd

from council.catalog import Catalog, Check
from council.numbers import format_amount, format_date, format_number, format_percent


@dataclass(frozen=True)
class CheckContext:
    catalog: Catalog
    centre: str
    lang: str = "ru"  # the reader's language: amounts and percentages in messages are written its way


Explain = Callable[[pd.DataFrame], dict[str, pd.Series]]


@dataclass(frozen=True)
class Derived:
    """Per-row ok flags, the column a failure points at, and how to word a failing row.

    `explain` runs only on the failing rows (message placeholders value / other / found / expected),
    so a clean 100k-row sheet never formats a single message.
    """

    ok: pd.Series
    cell_field: str
    explain: Explain

    def details(self, failing: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame(self.explain(failing), index=failing.index)


def _money(values: pd.Series, lang: str) -> pd.Series:
    return values.map(lambda v: "" if pd.isna(v) else format_amount(v, lang))


def _text(values: pd.Series, lang: str) -> pd.Series:
    """Values as the reader writes them: dates `31.01.2025` / `31 January 2025`, numbers `2,5` / `2.5`."""
    return values.map(lambda v: "" if pd.isna(v) else _shown(v, lang))


def _shown(value: object, lang: str) -> str:
    if isinstance(value, datetime | date):
        return format_date(value.date() if isinstance(value, datetime) else value, lang)
    if isinstance(value, Real) and not isinstance(value, bool):
        return format_number(value, lang)
    return str(value)


def _filled(values: pd.Series) -> pd.Series:
    return values.notna() & values.astype("string").str.strip().ne("").fillna(False)


def prefix_is_centre(frame: pd.DataFrame, check: Check, ctx: CheckContext) -> Derived:
    field = check.params["field"]
    ok = frame[field].isna() | frame[field].astype("string").str.startswith(f"{ctx.centre}-").fillna(True)
    return Derived(ok.astype(bool), field, lambda f: {"value": _text(f[field], ctx.lang), "expected": ctx.centre})


def sum_matches(frame: pd.DataFrame, check: Check, ctx: CheckContext) -> Derived:
    fields, total = check.params["fields"], check.params["total"]
    parts = frame[fields].sum(axis=1, min_count=1)
    known = parts.notna() & frame[total].notna()
    ok = ~known | (parts - frame[total]).abs().le(float(check.params.get("tolerance", 0)))

    def explain(f: pd.DataFrame) -> dict[str, pd.Series]:
        shown = {"value": _money(f[total], ctx.lang), "expected": _money(f[total], ctx.lang)}
        return {**shown, "found": _money(f[fields].sum(axis=1), ctx.lang)}

    return Derived(ok, total, explain)


def not_before(frame: pd.DataFrame, check: Check, ctx: CheckContext) -> Derived:
    later, earlier = check.params["field"], check.params["other"]
    ok = frame[later].isna() | frame[earlier].isna() | (frame[later] >= frame[earlier])
    return Derived(
        ok.astype(bool), later, lambda f: {"value": _text(f[later], ctx.lang), "other": _text(f[earlier], ctx.lang)}
    )


def fall_needs_comment(frame: pd.DataFrame, check: Check, ctx: CheckContext) -> Derived:
    now, start = check.params["field"], check.params["other"]
    fell = (frame[now] < frame[start]).fillna(False).astype(bool)
    ok = ~fell | _filled(frame[check.params["comment"]])
    return Derived(ok, now, lambda f: {"value": _text(f[now], ctx.lang), "other": _text(f[start], ctx.lang)})


def not_greater(frame: pd.DataFrame, check: Check, ctx: CheckContext) -> Derived:
    value, limit = check.params["field"], check.params["other"]
    ok = frame[value].isna() | frame[limit].isna() | (frame[value] <= frame[limit])
    return Derived(
        ok.astype(bool), value, lambda f: {"value": _money(f[value], ctx.lang), "other": _money(f[limit], ctx.lang)}
    )


def _ratio(frame: pd.DataFrame, numerator: str, denominator: str) -> pd.Series:
    return frame[numerator] / frame[denominator].where(frame[denominator] != 0)


def ratio_outside_needs_text(frame: pd.DataFrame, check: Check, ctx: CheckContext) -> Derived:
    p = check.params
    ratio = _ratio(frame, p["numerator"], p["denominator"])
    outside = ((ratio < p["low"]) | (ratio > p["high"])).fillna(False).astype(bool)
    ok = ~outside | _filled(frame[p["text"]])

    def explain(f: pd.DataFrame) -> dict[str, pd.Series]:
        ratio = _ratio(f, p["numerator"], p["denominator"])
        shown = ratio.map(lambda r: "" if pd.isna(r) else format_percent(r, ctx.lang))
        return {"value": shown, "found": shown}

    return Derived(ok, p["text"], explain)


def required_unless(frame: pd.DataFrame, check: Check, ctx: CheckContext) -> Derived:
    p = check.params
    exempt = frame[p["when_field"]].isin(p["when_values"])
    ok = exempt | frame[p["when_field"]].isna() | _filled(frame[p["field"]])
    return Derived(ok.astype(bool), p["field"], lambda f: {"value": _text(f[p["when_field"]], ctx.lang)})


def required_when(frame: pd.DataFrame, check: Check, ctx: CheckContext) -> list[Derived]:
    """One derived column per required field, so each missing cell is named."""
    p = check.params
    needed = frame[p["when_field"]].isin(p["when_values"])
    return [
        Derived(
            (~needed | _filled(frame[f])).astype(bool),
            f,
            lambda rows: {"value": _text(rows[p["when_field"]], ctx.lang)},
        )
        for f in p["fields"]
    ]


def _attribute(ctx: CheckContext, codelist: str, attribute: str) -> dict[str, object]:
    if codelist == "indicator":
        return {code: getattr(ind, attribute) for code, ind in ctx.catalog.indicators.items()}
    raise ValueError(f"no attributes for codelist {codelist}")


def matches_codelist_attribute(frame: pd.DataFrame, check: Check, ctx: CheckContext) -> Derived:
    p = check.params
    lookup = _attribute(ctx, p["codelist"], p["attribute"])
    expected = frame[p["key"]].map(lookup)
    ok = expected.isna() | frame[p["field"]].isna() | (frame[p["field"]] == expected)

    def explain(f: pd.DataFrame) -> dict[str, pd.Series]:
        return {"value": _text(f[p["field"]], ctx.lang), "expected": _text(f[p["key"]].map(lookup), ctx.lang)}

    return Derived(ok.astype(bool), p["field"], explain)


def whole_when_codelist_attribute(frame: pd.DataFrame, check: Check, ctx: CheckContext) -> Derived:
    p = check.params
    must_be_whole = frame[p["key"]].map(_attribute(ctx, p["codelist"], p["attribute"])).eq(True)
    values = frame[p["field"]]
    ok = ~must_be_whole | values.isna() | (values == values.round())
    return Derived(ok.astype(bool), p["field"], lambda f: {"value": _text(f[p["field"]], ctx.lang)})


CHECK_KINDS: dict[str, Callable[[pd.DataFrame, Check, CheckContext], Derived | list[Derived]]] = {
    "prefix_is_centre": prefix_is_centre,
    "sum_matches": sum_matches,
    "not_before": not_before,
    "fall_needs_comment": fall_needs_comment,
    "not_greater": not_greater,
    "ratio_outside_needs_text": ratio_outside_needs_text,
    "required_unless": required_unless,
    "required_when": required_when,
    "matches_codelist_attribute": matches_codelist_attribute,
    "whole_when_codelist_attribute": whole_when_codelist_attribute,
}


def derive(frame: pd.DataFrame, check: Check, ctx: CheckContext) -> list[Derived]:
    """Run the check kind named in the schema; a kind the code does not know is a schema error."""
    result = CHECK_KINDS[check.kind](frame, check, ctx)
    return result if isinstance(result, list) else [result]
