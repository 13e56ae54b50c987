"""How tall a row of wrapped text must be: Excel and LibreOffice do not grow rows written by a library.

xlsxwriter cannot auto-fit, and a row left at the default height shows one line of a wrapped cell and hides
(on screen) or overprints (on paper) the rest. So the writer estimates the lines each cell needs from its
text and its column's width, and sets the row height itself. The estimate errs on the tall side: a row a
line too tall costs a little paper, a row a line too short hides a word of the message a centre must act on.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache

LINE_POINTS = 15.0  # one line of 11-point Calibri (Excel's default row height)
ROW_PADDING = 3.0  # points above and below the text, so the last line's descenders are not clipped
# A column `w` wide holds `w` zeros of the font the reader's office suite draws with (Calibri, or
# LibreOffice's stand-in, here DejaVu Sans). Measured in LibreOffice, a width of 44 holds ~47 characters
# of Russian text: assume 5 % fewer characters than the width (12 % in bold), for capitals and codes.
CHARS_PER_WIDTH = 0.95
BOLD_CHARS_PER_WIDTH = 0.88


@lru_cache(maxsize=8192)  # one mistake in 50,000 rows is 50,000 cells of the same few texts
def wrapped_lines(text: str, width: float, *, bold: bool = False) -> int:
    """Lines `text` takes in a wrapping cell `width` characters wide (greedy word wrap, as office suites do)."""
    capacity = max(1, int(width * (BOLD_CHARS_PER_WIDTH if bold else CHARS_PER_WIDTH)))
    return sum(_paragraph_lines(paragraph, capacity) for paragraph in str(text).split("\n"))


def _paragraph_lines(paragraph: str, capacity: int) -> int:
    if len(paragraph) <= capacity:
        return 1
    lines, used = 1, 0
    for word in paragraph.split():
        if len(word) > capacity:  # a long cell list or hash: broken wherever the line ends
            lines += (used > 0) + math.ceil(len(word) / capacity) - 1
            used = len(word) % capacity or capacity
            continue
        needed = len(word) + (1 if used else 0)
        if used + needed > capacity:
            lines, used = lines + 1, len(word)
        else:
            used += needed
    return lines


def row_height(cells: Iterable[tuple[object, float]], *, bold: bool = False) -> float | None:
    """The height in points a row of (text, column width) cells needs; None when one line is enough."""
    per_width = BOLD_CHARS_PER_WIDTH if bold else CHARS_PER_WIDTH
    lines = 1
    for value, width in cells:
        text = value if isinstance(value, str) else "" if value is None else str(value)
        # Most cells of a long table hold one short line: decide those without simulating the wrap.
        if len(text) > width * per_width or "\n" in text:
            lines = max(lines, wrapped_lines(text, width, bold=bold))
    return None if lines <= 1 else lines * LINE_POINTS + ROW_PADDING
