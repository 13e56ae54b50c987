"""How wide a label is in DejaVu Sans, and how to wrap it to a width: the SVG charts lay out by these."""

from __future__ import annotations

import json
from functools import cache

from tasks.pack.font_metrics import TABLE

# Browsers kern and hint slightly differently from the bare advance widths; leave this much slack.
SAFETY = 1.06


@cache
def _widths() -> tuple[int, dict[int, int], int]:
    table = json.loads(TABLE.read_text(encoding="utf-8"))
    widths = {int(code): int(width) for code, width in table["widths"].items()}
    return int(table["units_per_em"]), widths, max(widths.values())


def text_width(text: str, size: float) -> float:
    """Width of `text` at font size `size` (same units); a character the table lacks counts as the widest."""
    units, widths, widest = _widths()
    return SAFETY * size * sum(widths.get(ord(ch), widest) for ch in text) / units


def wrap(text: str, size: float, width: float) -> list[str]:
    """Words on lines no wider than `width`; a single word wider than that keeps a line of its own."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]
