"""Streaming scan of one worksheet part for what readers hide: formulas without values, merges, hidden rows.

Every reader returns a formula cell without a cached value as an empty cell, keeps a merged range's value
only in its top-left cell and returns hidden rows as ordinary data; only the XML tells. The scan is fed
the same chunks as the preflight's extent scan and costs a few substring searches per chunk unless a
chunk holds a formula, a hidden row, a merge or a row without `r`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tasks.read.model import SheetQuirks
from tasks.read.xmlscan import _REF, HUGE, column_number

MAX_TAIL = 16 * 2**20  # a piece is normally cut after a row; a row this long is cut anywhere
MAX_FINDINGS = 100_000  # per kind and sheet: enough to tell the user, bounded for a hostile file

_FORMULA = re.compile(rb"<([\w.-]+:)?f(?=[\s/>])")
_ROW = re.compile(rb"<(?:[\w.-]+:)?row(?=[\s/>])([^>]*)>")
_MERGE = re.compile(rb"""<(?:[\w.-]+:)?mergeCell\s[^>]*?\bref\s*=\s*["']([^"']+)["']""")
_HIDDEN = re.compile(rb"""\shidden\s*=\s*["'](?:1|true)["']""")
_STRING_RESULT = re.compile(rb"""\st\s*=\s*["']str["']""")
# `<v>` followed by text: a cached value. `<v/>`, `<v />` and `<v></v>` are none (openpyxl writes `<v />`).
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v\s*>[^<]")
_EMPTY_VALUE = re.compile(rb"<(?:[\w.-]+:)?v\s*>\s*<")
_CELL_START = re.compile(rb"<(?:[\w.-]+:)?c(?=[\s/>])([^>]*)>")
_REF_PARTS = re.compile(r"\$?([A-Za-z]{1,4})\$?([0-9]{1,12})")


@dataclass
class QuirkScan:
    """State carried between chunks of one worksheet part; `finish()` returns what was found."""

    tail: bytes = b""
    row: int = 0  # the last row number seen, for rows written without `r`
    formulas: list[str] = field(default_factory=list)
    merges: list[str] = field(default_factory=list)
    hidden: list[int] = field(default_factory=list)
    merged_cells: int = 0  # cells covered by every merge (not capped like `merges`): what openpyxl would create
    largest_merge: str = ""
    largest_area: int = 0

    def feed(self, data: bytes) -> None:
        """Scan whole rows; the unfinished one waits for the next chunk."""
        data = self.tail + data
        cut = _cut(data)
        self.tail = data[cut:]
        self._scan(data[:cut])

    def finish(self) -> SheetQuirks:
        self._scan(self.tail)
        self.tail = b""
        return SheetQuirks(tuple(self.formulas), tuple(self.merges), tuple(self.hidden))

    def _scan(self, body: bytes) -> None:
        # Substring tests first: about 0.1 s per 50 MB of sheet XML together; regexes only where they hit.
        before, rows = self.row, None
        last = _last_row(body)
        if b"hidden" in body or (last is not None and last[1] is None):  # a row without `r`: count them
            rows = self._rows(body)
        elif last is not None:
            self.row = last[1] or self.row
        if (b"f>" in body or b"shared" in body) and _FORMULA.search(body):
            self._formulas(body, rows if rows is not None else _row_starts(body, before), before)
        # <mergeCells> follows </sheetData> in files Excel writes, but readers accept it anywhere: a crafted
        # file puts it first. Cell text cannot hold the tag (`<` is escaped), so any piece is searched.
        if b"mergeCell" in body:
            refs = [ref.decode("ascii", "replace") for ref in _MERGE.findall(body)]
            self._tally(refs)
            _extend(self.merges, refs)

    def _tally(self, refs: list[str]) -> None:
        for ref in refs:
            area = merge_area(ref)
            self.merged_cells += area
            if area > self.largest_area:
                self.largest_area, self.largest_merge = area, ref

    def _rows(self, body: bytes) -> list[tuple[int, int]]:
        """(position, number) of each row start tag, noting hidden rows that hold anything."""
        starts = []
        for match in _ROW.finditer(body):
            self.row = _row_number(match, self.row)
            starts.append((match.start(), self.row))
            if _HIDDEN.search(match.group(1)) and not _empty_row(body, match.end(), match.group(1)):
                _extend(self.hidden, (self.row,))
        return starts

    def _formulas(self, body: bytes, rows: list[tuple[int, int]], before: int) -> None:
        for match in _FORMULA.finditer(body):
            prefix = match.group(1) or b""
            start = body.rfind(b"<" + prefix + b"c", 0, match.start())
            cell = _CELL_START.match(body, start) if start >= 0 else None
            if cell is None or cell.end() > match.start():
                continue  # an `<f>` outside a cell (extension lists): not a cell formula
            end = body.find(b"</" + prefix + b"c>", match.end())
            if not _has_value(cell.group(1), body[match.end() : end if end >= 0 else len(body)]):
                _extend(self.formulas, (_cell_ref(body, cell, rows, before),))


def merge_area(ref: str) -> int:
    """Cells in a range like `A1:XFD1048576` (17,179,869,184); a single cell is 1, what cannot be read is 0."""
    corners = [_REF_PARTS.fullmatch(part.strip()) for part in ref.split(":")]
    if not 1 <= len(corners) <= 2 or not all(corners):
        return 0
    columns = [column_number(c.group(1).encode()) for c in corners if c]
    rows = [int(c.group(2)) if len(c.group(2)) <= 9 else HUGE for c in corners if c]
    return (max(columns) - min(columns) + 1) * (max(rows) - min(rows) + 1)


def _row_starts(body: bytes, before: int) -> list[tuple[int, int]]:
    """(position, row number) of every row start tag."""
    starts = []
    for match in _ROW.finditer(body):
        before = _row_number(match, before)
        starts.append((match.start(), before))
    return starts


def _row_number(row_tag: re.Match[bytes], previous: int) -> int:
    """A row's `r`; a row without one follows the row before it, as readers count."""
    ref = _REF.search(row_tag.group(1))
    return int(ref.group(2)) if ref and ref.group(2) else previous + 1


def _last_row(body: bytes) -> tuple[int, int | None] | None:
    """Position and `r` of the last row start tag (None for a row without `r`), found from the end."""
    end = len(body)
    while (found := body.rfind(b"row", 0, end)) >= 0:
        opening = body.rfind(b"<", 0, found)
        match = _ROW.match(body, opening) if opening >= 0 else None
        if match and match.start(1) == found + 3:
            ref = _REF.search(match.group(1))
            return match.start(), int(ref.group(2)) if ref and ref.group(2) else None
        end = found
    return None


def _cell_ref(body: bytes, cell: re.Match[bytes], rows: list[tuple[int, int]], last_row: int) -> str:
    """The cell's own `r`, or its position counted from the row start the way readers count it."""
    ref = _REF.search(cell.group(1))
    if ref and ref.group(1) and ref.group(2):
        return (ref.group(1) + ref.group(2)).decode("ascii").upper()
    at = bisect.bisect_left(rows, (cell.start(),)) - 1
    row_start, row = rows[at] if at >= 0 else (0, last_row)
    column = 0
    for other in _CELL_START.finditer(body, row_start, cell.end()):
        other_ref = _REF.search(other.group(1))
        column = column_number(other_ref.group(1)) if other_ref and other_ref.group(1) else column + 1
    return f"{_letters(column)}{row}"


def _cut(data: bytes) -> int:
    """After the last `</row>` (or `<row>`): never inside a cell. Past MAX_TAIL, after the last tag."""
    end = data.rfind(b"row>")
    if end >= 0:
        return end + 4
    return data.rfind(b">") + 1 if len(data) > MAX_TAIL else 0


def _empty_row(body: bytes, end: int, attributes: bytes) -> bool:
    """A hidden row with no cells (`<row r="9" hidden="1"/>`, or closed at once) hides nothing."""
    return attributes.rstrip().endswith(b"/") or body.startswith(b"</", end)


def _has_value(cell_attributes: bytes, content: bytes) -> bool:
    """A cached value is text in `<v>`; an empty `<v>` counts only for a string result (Excel's "")."""
    if _VALUE.search(content):
        return True
    return bool(_STRING_RESULT.search(cell_attributes) and _EMPTY_VALUE.search(content))


def _extend(found: list[Any], items: Iterable[Any]) -> None:
    for item in items:
        if len(found) >= MAX_FINDINGS:
            return
        found.append(item)


def _letters(column: int) -> str:
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
