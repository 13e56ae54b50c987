"""The centre's own workbook with each offending cell filled red or amber and commented: the fix, in place."""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Sequence
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils.cell import column_index_from_string
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from council.catalog import LANGUAGES, load_catalog
from council.problems import ERROR, WARNING, Problem

AUTHOR = "Council pipeline"
MAX_ANNOTATED_CELLS = 5_000  # openpyxl writes ~10k comments a second; enough to show every kind of mistake
# Excel's Bad / Neutral fills, as on the feedback workbook's severity column.
_FILLS = {ERROR: "FFC7CE", WARNING: "FFEB9C"}
_RANK = {ERROR: 0, WARNING: 1}
_EXCEL_MAX_ROW, _EXCEL_MAX_COLUMN, _EXCEL_MAX_TEXT = 1_048_576, 16_384, 32_767
_MAX_PROBLEMS_PER_COMMENT = 20
_A1 = re.compile(r"^(?P<sheet>.+)!\$?(?P<col>[A-Za-z]{1,3})\$?(?P<row>[0-9]{1,7})$")
# What openpyxl raises on a file that is not a readable xlsx (the reader refused those already).
_UNREADABLE = (OSError, zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError, AttributeError)

CellKey = tuple[str, str]  # (sheet, A1 coordinate)


def _address(cell: str | None) -> CellKey | None:
    """`projects!F12` → ("projects", "F12"); None for whole-file problems or references outside Excel's grid."""
    match = _A1.match(cell or "")
    if match is None:
        return None
    column, row = match["col"].upper(), int(match["row"])
    if not (1 <= row <= _EXCEL_MAX_ROW and column_index_from_string(column) <= _EXCEL_MAX_COLUMN):
        return None
    return match["sheet"], f"{column}{row}"


def problems_by_cell(problems: Sequence[Problem]) -> dict[CellKey, list[Problem]]:
    """Problems that point at a cell, grouped per cell in the order they were reported."""
    cells: dict[CellKey, list[Problem]] = {}
    for problem in problems:
        key = _address(problem.cell)
        if key is not None:
            cells.setdefault(key, []).append(problem)
    return cells


def has_cell_problems(problems: Sequence[Problem]) -> bool:
    """Whether an annotated copy would mark anything at all."""
    return any(_address(p.cell) is not None for p in problems)


def _chosen(cells: dict[CellKey, list[Problem]], limit: int) -> dict[CellKey, list[Problem]]:
    """The first `limit` cells, errors before warnings, so a capped copy still shows what rejects the file."""
    ordered = sorted(cells.items(), key=lambda item: min(_RANK.get(p.severity, 2) for p in item[1]))
    return dict(ordered[: max(0, limit)])


def _label(key: str, lang: str, fallback: str, **values: object) -> str:
    catalog = load_catalog()
    return catalog.text(f"feedback.{key}", lang, **values) if key in catalog.texts.get("feedback", {}) else fallback


def _entry(problem: Problem, lang: str) -> str:
    """`Error · kpi.unit_mismatch`, the message, then the fix (messages are already in the submitter's language)."""
    severity = _label(f"severity_{problem.severity}", lang, problem.severity)
    fix = f"{_label('col_fix', lang, 'Fix')}: {problem.fix}" if problem.fix else ""
    return "\n".join(line for line in (f"{severity} · {problem.rule}", problem.message, fix) if line)


def _comment_text(problems: Sequence[Problem], lang: str, previous: str | None) -> str:
    """Every problem of the cell; a comment the user wrote there is kept below ours."""
    parts = [_entry(p, lang) for p in problems[:_MAX_PROBLEMS_PER_COMMENT]]
    if len(problems) > _MAX_PROBLEMS_PER_COMMENT:
        rest = len(problems) - _MAX_PROBLEMS_PER_COMMENT
        parts.append(_label("and_more", lang, f"+{rest}", count=rest))
    if previous:
        parts.append(previous)
    text = "\n\n".join(parts)
    return text if len(text) <= _EXCEL_MAX_TEXT else text[: _EXCEL_MAX_TEXT - 1] + "…"


def _mark(sheet: Worksheet, coordinate: str, problems: Sequence[Problem], lang: str) -> None:
    """Fill with the worst severity's colour and comment; the value, number format and lock stay as they were."""
    cell = sheet[coordinate]
    worst = min((p.severity for p in problems), key=lambda s: _RANK.get(s, 2))
    colour = _FILLS.get(worst, _FILLS[WARNING])
    cell.fill = PatternFill(fill_type="solid", start_color=colour, end_color=colour)
    previous = cell.comment.text if cell.comment is not None else None
    text = _comment_text(problems, lang, previous)
    lines = text.count("\n") + 1 + len(text) // 60
    cell.comment = Comment(text, AUTHOR, height=min(600, 20 + 15 * lines), width=360)


def _clear_stale(book: Workbook) -> None:
    """Drop our marks from an earlier annotated copy that the centre fixed and sent back (a likely habit)."""
    ours = {f"00{colour}" for colour in _FILLS.values()}
    for sheet in book.worksheets:
        for cell in list(sheet._cells.values()):  # only cells that exist; iter_rows would create every empty one
            if cell.comment is None or cell.comment.author != AUTHOR:
                continue
            cell.comment = None
            if cell.fill.fill_type == "solid" and cell.fill.start_color.rgb in ours:
                cell.fill = PatternFill(fill_type=None)


def _open(source: Path) -> Workbook | None:
    try:
        with warnings.catch_warnings():  # unsupported extensions (e.g. LibreOffice's) are dropped with a warning
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(source, keep_vba=False, keep_links=True, rich_text=True)
    except _UNREADABLE:
        return None


def annotate_workbook(
    source: Path, out: Path, problems: Sequence[Problem], lang: str, max_cells: int = MAX_ANNOTATED_CELLS
) -> Path | None:
    """Write `source` to `out` with its problem cells marked; None when nothing to mark or the file is unreadable.

    At most `max_cells` cells are marked (errors first); `annotated_count` tells how many that is.
    """
    cells = _chosen(problems_by_cell(problems), max_cells)
    if not cells:
        return None
    book = _open(source)
    if book is None:
        return None
    lang = lang if lang in LANGUAGES else "ru"
    _clear_stale(book)
    for (sheet_name, coordinate), found in cells.items():
        if sheet_name in book.sheetnames:
            _mark(book[sheet_name], coordinate, found, lang)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")  # centres watch the outbox: never show half a file
    book.save(partial)
    return partial.replace(out)


def annotated_count(problems: Sequence[Problem], max_cells: int = MAX_ANNOTATED_CELLS) -> tuple[int, int]:
    """(cells marked, cells with problems): the summary says when the copy marks only the first ones."""
    total = len(problems_by_cell(problems))
    return min(total, max(0, max_cells)), total
