"""Realistic mistakes and harmless quirks applied to chosen sample files (data tables, easy to edit).

SAMPLE_MISTAKES break a rule on purpose (the rule code says which); SAMPLE_QUIRKS are valid input
written the way people really type it (Russian-style numbers as text, a date as text), which the
pipeline must accept. With the defaults, 2026S1 ends with HEALTH rejected, ENERGY accepted with
warnings and every other centre clean.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

from council.catalog import Catalog

Row = dict[str, object]
Rows = dict[str, list[Row]]

# `row` is the 0-based data row the mistake is put in (Excel row = row + layout.first_data_row).
SAMPLE_MISTAKES: list[dict[str, object]] = [
    {
        "centre": "HEALTH",
        "period": "2026S1",
        "sheet": "projects",
        "row": 1,
        "kind": "funding_mismatch",
        "rule": "projects.funding_sum",
        "column": "funding_public_kzt",
    },
    {
        "centre": "HEALTH",
        "period": "2026S1",
        "sheet": "kpi",
        "row": 2,
        "kind": "wrong_unit",
        "rule": "kpi.unit_mismatch",
        "column": "unit",
    },
    {
        "centre": "ENERGY",
        "period": "2026S1",
        "sheet": "projects",
        "row": 2,
        "kind": "trl_fall",
        "rule": "projects.trl_fall",
        "column": "trl_current",
    },
    {
        "centre": "AGRO",
        "period": "2025S2",
        "sheet": "projects",
        "row": 3,
        "kind": "unknown_region",
        "rule": "cell.codelist",
        "column": "region_code",
    },
    {
        "centre": "MACH",
        "period": "2025S2",
        "sheet": "kpi",
        "row": 1,
        "kind": "estimate_without_comment",
        "rule": "kpi.comment_required",
        "column": "comment",
    },
    {
        "centre": "CHEM",
        "period": "2025S1",
        "sheet": "budget",
        "row": 0,
        "kind": "spent_over_allocated",
        "rule": "budget.spent_over_allocated",
        "column": "allocated_kzt",
    },
]

SAMPLE_QUIRKS: list[dict[str, object]] = [
    {"centre": "OILGAS", "period": "2026S1", "kind": "amounts_as_text", "separator": " ", "rows": 3},
    {"centre": "MINMET", "period": "2025S2", "kind": "amounts_as_text", "separator": "\u00a0", "rows": 2},
    {"centre": "CHEM", "period": "2026S1", "kind": "date_as_text", "rows": 1},
]
UNKNOWN_REGION = "KZ-99"
AMOUNT_FIELDS = ("budget_total_kzt", "funding_public_kzt", "funding_private_kzt", "funding_foreign_kzt")


def mistakes_for(centre: str, period: str) -> list[dict[str, object]]:
    """The declared mistakes of one sample file."""
    return [m for m in SAMPLE_MISTAKES if m["centre"] == centre and m["period"] == period]


def apply_mistakes(catalog: Catalog, rows: Mapping[str, Sequence[Row]], centre: str, period: str) -> Rows:
    """A copy of the rows with this file's declared mistakes put in (the input is not changed)."""
    result = {sheet: [dict(r) for r in sheet_rows] for sheet, sheet_rows in rows.items()}
    for mistake in mistakes_for(centre, period):
        row = result[str(mistake["sheet"])][int(str(mistake["row"]))]
        _MISTAKES[str(mistake["kind"])](catalog, row)
    return result


def _funding_mismatch(catalog: Catalog, row: Row) -> None:
    # A classic: the public part updated after a budget change, the total not.
    row["funding_public_kzt"] = round(float(str(row["funding_public_kzt"])) + 1_500_000, 2)


def _wrong_unit(catalog: Catalog, row: Row) -> None:
    right = catalog.indicators[str(row["indicator_code"])].unit
    row["unit"] = next(u for u in catalog.codes("unit") if u != right)


def _trl_fall(catalog: Catalog, row: Row) -> None:
    row["trl_current"] = max(1, int(str(row["trl_start"])) - 1)
    row["comment"] = None


def _unknown_region(catalog: Catalog, row: Row) -> None:
    row["region_code"] = UNKNOWN_REGION


def _estimate_without_comment(catalog: Catalog, row: Row) -> None:
    row["obs_status"] = "E"
    row["comment"] = None


def _spent_over_allocated(catalog: Catalog, row: Row) -> None:
    # Allocation cut below what was already spent; execution against the plan stays in range.
    row["allocated_kzt"] = round(float(str(row["spent_kzt"])) * 0.9, 2)


_MISTAKES: dict[str, Callable[[Catalog, Row], None]] = {
    "funding_mismatch": _funding_mismatch,
    "wrong_unit": _wrong_unit,
    "trl_fall": _trl_fall,
    "unknown_region": _unknown_region,
    "estimate_without_comment": _estimate_without_comment,
    "spent_over_allocated": _spent_over_allocated,
}


def apply_quirks(rows: Mapping[str, Sequence[Row]], centre: str, period: str) -> Rows:
    """A copy of the rows with this file's quirks: amounts as "1 234 567,89" text, a date as "15.03.2026" text."""
    result = {sheet: [dict(r) for r in sheet_rows] for sheet, sheet_rows in rows.items()}
    for quirk in (q for q in SAMPLE_QUIRKS if q["centre"] == centre and q["period"] == period):
        for row in result["projects"][: int(str(quirk["rows"]))]:
            if quirk["kind"] == "amounts_as_text":
                row.update({f: russian_amount(row[f], str(quirk["separator"])) for f in AMOUNT_FIELDS})
            elif isinstance(row["start_date"], date):
                row["start_date"] = row["start_date"].strftime("%d.%m.%Y")
    return result


def russian_amount(value: object, separator: str = " ") -> object:
    """1234567.89 → "1 234 567,89" (space or non-breaking-space thousands, comma decimals)."""
    if not isinstance(value, int | float):
        return value
    return f"{value:,.2f}".replace(",", "\0").replace(".", ",").replace("\0", separator)
