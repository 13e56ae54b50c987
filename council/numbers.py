"""Numbers, amounts, percentages and dates as the reader writes them, in every text centres read.

ru and kk (as CLDR has them): `1 234 567,89` and `79,4 %`, with a no-break space (U+00A0) between the
thousands and before the percent sign, so a number never breaks across two lines. U+00A0 and not the
narrower U+202F: every font Excel and LibreOffice ship has it, and a pasted amount still reads back
(the pipeline's own parser takes both). en: `1,234,567.89` and `79.4%`.

One module, used by messages, values shown and the feedback workbook, so the conventions cannot drift.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import SupportsFloat

NBSP = "\u00a0"
# lang → (thousands separator, decimal separator, text between a number and "%")
_CONVENTIONS = {"ru": (NBSP, ",", NBSP), "kk": (NBSP, ",", NBSP), "en": (",", ".", "")}
_FALLBACK = "ru"  # the pipeline's fallback language (council.catalog.FALLBACK_LANGUAGE)
_PLAIN_DIGITS = 17  # beyond ~10^17 a double has no meaningful units digit: show it in scientific form
_EN_MONTHS: tuple[str, ...] = ("January", "February", "March", "April", "May", "June", "July", "August")
_EN_MONTHS += ("September", "October", "November", "December")


def _convention(lang: str | None) -> tuple[str, str, str]:
    return _CONVENTIONS.get((lang or "").strip().lower(), _CONVENTIONS[_FALLBACK])


def _grouped(digits: str, thousands: str) -> str:
    """'1234567' → '1 234 567' (digits only, no sign)."""
    head = len(digits) % 3 or 3
    return thousands.join([digits[:head], *(digits[i : i + 3] for i in range(head, len(digits), 3))])


def _shortest_decimals(value: float) -> int:
    """The decimals the shortest exact repr of `value` needs (0.1 → 1, 266528753.86 → 2, 5.0 → 0)."""
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def format_number(value: SupportsFloat, lang: str | None, decimals: int | None = None) -> str:
    """`value` with the reader's thousands and decimal separators.

    `decimals` fixes the number of decimals; None shows as many as the value has (5.0 → "5", 0.25 → "0,25").
    """
    thousands, point, _ = _convention(lang)
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        return str(number)
    if abs(number) >= 10.0**_PLAIN_DIGITS:
        return f"{number:.6g}".replace(".", point)
    places = _shortest_decimals(number) if decimals is None else decimals
    text = f"{abs(number):.{places}f}"
    whole, _, fraction = text.partition(".")
    sign = "-" if number < 0 and text.strip("0.") else ""
    return sign + _grouped(whole, thousands) + (point + fraction if fraction else "")


def format_amount(value: float | int, lang: str | None) -> str:
    """Money in KZT: always two decimals (`1 234 567,89`)."""
    return format_number(value, lang, decimals=2)


def format_count(value: int, lang: str | None) -> str:
    """A whole count (`12 345`)."""
    return format_number(int(value), lang, decimals=0)


def format_percent(ratio: float, lang: str | None, decimals: int = 1) -> str:
    """A ratio as a percentage: 0.794 → ru `79,4 %`, en `79.4%`."""
    *_, gap = _convention(lang)
    return f"{format_number(ratio * 100, lang, decimals)}{gap}%"


def format_date(day: date, lang: str | None) -> str:
    """ru/kk `15.07.2026`, en `15 July 2026` (never ambiguous between day and month)."""
    if (lang or "").strip().lower() == "en":
        return f"{day.day} {_EN_MONTHS[day.month - 1]} {day.year}"
    return day.strftime("%d.%m.%Y")


# Excel number formats for cells of workbooks centres read. The thousands and decimal marks of
# `#,##0.00` are drawn by the reader's own Excel/LibreOffice locale; only the gap before "%" is ours.
EXCEL_COUNT = "#,##0"
EXCEL_AMOUNT = "#,##0.00"


def excel_percent(lang: str | None, decimals: int = 1) -> str:
    """`0.0 %` for ru/kk (no-break space, as in the text), `0.0%` for en."""
    *_, gap = _convention(lang)
    digits = "0." + "0" * decimals if decimals else "0"
    return f'{digits}"{gap}"%' if gap else f"{digits}%"
