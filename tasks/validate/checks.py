"""Cross-field and cross-sheet checks: each kind derives a boolean `ok` column the GX suite asserts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from council.catalog import Catalog, Check


@dataclass(frozen=True)
class CheckContext:
    catalog: Catalog
    centre: str


@dataclass(frozen=True)
class Derived:
    """What one check derives: per-row ok flags, the column to point at, and message placeholders."""

    ok: pd.Series
    cell_field: str
    details: pd.DataFrame  # value / other / found / expected, aligned with the frame


def _money(values: pd.Series) -> pd.Series:
    return values.map(lambda v: "" if pd.isna(v) else f"{v:,.2f}".replace(",", " "))


def _text(values: pd.Series) -> pd.Series:
    return values.map(lambda v: "" if pd.isna(v) else str(v.date() if hasattr(v, "date") else v))


def _filled(values: pd.Series) -> pd.Series:
    return values.notna() & values.astype("string").str.strip().ne("").fillna(False)


def _details(frame: pd.DataFrame, **columns: pd.Series | str) -> pd.DataFrame:
    return pd.DataFrame(
        {k: v if isinstance(v, pd.Series) else pd.Series(v, index=frame.index) for k, v in columns.items()},
        index=frame.index,
    )


def prefix_is_centre(frame: pd.DataFrame, check: Check, ctx: CheckContext) -> Derived:
    ids = frame[check.params["field"]]
    ok = ids.isna() | ids.astype("string").str.startswith(f"{ctx.centre}-").fillna(True)
    return Derived(ok.astype(bool), check.params["field"], _details(frame, value=_text(ids), expected=ctx.centre))


def sum_matches(frame: pd.DataFrame, check: Check, ctx: CheckContext) -> Derived:
    parts = frame[check.params["fields"]].sum(axis=1, min_count=1)
    total = frame[check.params["total"]]
    known = parts.notna() & total.notna()
    ok = ~known | (parts - total).abs().le(float(check.params.get("tolerance", 0)))
    return Derived(
        ok, check.params["total"], _details(frame, value=_money(total), found=_money(parts), expected=_money(total))
    )


def not_before(frame: pd.DataFrame, check: Check, ctx: CheckContext) -> Derived:
    later, earlier = frame[check.params["field"]], frame[check.params["other"]]
    ok = later.isna() | earlier.isna() | (later >= earlier)
    return Derived(ok.astype(bool), check.params["field"], _details(frame, value=_text(later), other=_text(earlier)))


def fall_needs_comment(frame: pd.DataFrame, check: Check, ctx: CheckContext) -> Derived:
    now, start = frame[check.params["field"]], frame[check.params["other"]]
    fell = (now < start).fillna(False).astype(bool)
    ok = ~fell | _filled(frame[check.params["comment"]])
    return Derived(ok, check.params["field"], _details(frame, value=_text(now), other=_text(start)))


def not_greater(frame: pd.DataFrame, check: Check, ctx: CheckContext) -> Derived:
    value, limit = frame[check.params["field"]], frame[check.params["other"]]
    ok = value.isna() | limit.isna() | (value <= limit)
    return Derived(ok.astype(bool), check.params["field"], _details(frame, value=_money(value), other=_money(limit)))


def ratio_outside_needs_text(frame: pd.DataFrame, check: Check, ctx: CheckContext) -> Derived:
    p = check.params
    ratio = frame[p["numerator"]] / frame[p["denominator"]].where(frame[p["denominator"]] != 0)
    outside = ((ratio < p["low"]) | (ratio > p["high"])).fillna(False).astype(bool)
    ok = ~outside | _filled(frame[p["text"]])
    shown = ratio.map(lambda r: "" if pd.isna(r) else f"{r:.1%}")
    return Derived(ok, p["text"], _details(frame, value=shown, found=shown))


def required_unless(frame: pd.DataFrame, check: Check, ctx: CheckContext) -> Derived:
    p = check.params
    exempt = frame[p["when_field"]].isin(p["when_values"])
    ok = exempt | frame[p["when_field"]].isna() | _filled(frame[p["field"]])
    return Derived(ok.astype(bool), p["field"], _details(frame, value=_text(frame[p["when_field"]])))


def required_when(frame: pd.DataFrame, check: Check, ctx: CheckContext) -> list[Derived]:
    """One derived column per required field, so each missing cell is named."""
    p = check.params
    needed = frame[p["when_field"]].isin(p["when_values"])
    return [
        Derived((~needed | _filled(frame[f])).astype(bool), f, _details(frame, value=_text(frame[p["when_field"]])))
        for f in p["fields"]
    ]


def _attribute(ctx: CheckContext, codelist: str, attribute: str) -> dict[str, object]:
    if codelist == "indicator":
        return {code: getattr(ind, attribute) for code, ind in ctx.catalog.indicators.items()}
    raise ValueError(f"no attributes for codelist {codelist}")


def matches_codelist_attribute(frame: pd.DataFrame, check: Check, ctx: CheckContext) -> Derived:
    p = check.params
    expected = frame[p["key"]].map(_attribute(ctx, p["codelist"], p["attribute"]))
    ok = expected.isna() | frame[p["field"]].isna() | (frame[p["field"]] == expected)
    return Derived(
        ok.astype(bool), p["field"], _details(frame, value=_text(frame[p["field"]]), expected=_text(expected))
    )


def whole_when_codelist_attribute(frame: pd.DataFrame, check: Check, ctx: CheckContext) -> Derived:
    p = check.params
    must_be_whole = frame[p["key"]].map(_attribute(ctx, p["codelist"], p["attribute"])).eq(True)
    values = frame[p["field"]]
    ok = ~must_be_whole | values.isna() | (values == values.round())
    return Derived(ok.astype(bool), p["field"], _details(frame, value=_text(values)))


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
