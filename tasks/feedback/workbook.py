"""The feedback workbook a centre gets for every submission: status, grouped problems, every cell."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from council.catalog import LANGUAGES, Catalog
from council.invisible import neutralised
from council.problems import ACCEPTED, ACCEPTED_WITH_WARNINGS, ERROR, REJECTED, WARNING, Problem
from tasks.feedback.grouping import ProblemGroup, group_problems
from tasks.feedback.naming import as_utc

TOP_GROUPS = 5
_EXCEL_MAX_ROWS = 1_048_576
_EXCEL_MAX_TEXT = 32_767
# Excel's own Good / Neutral / Bad cell styles: colours users already read as ok / check / wrong.
_STATUS_COLOURS = {
    ACCEPTED: ("#C6EFCE", "#006100"),
    ACCEPTED_WITH_WARNINGS: ("#FFEB9C", "#9C5700"),
    REJECTED: ("#FFC7CE", "#9C0006"),
}
_NEUTRAL_COLOURS = ("#D9D9D9", "#000000")
_SEVERITY_STATUS = {ERROR: REJECTED, WARNING: ACCEPTED_WITH_WARNINGS}
_PROBLEM_COLUMNS = (("severity", 16), ("rule", 28), ("sheet", 22), ("column", 28), ("cells", 40))
_PROBLEM_COLUMNS += (("count", 10), ("value", 28), ("message", 60), ("fix", 60))
_CELL_COLUMNS = (("sheet", 16), ("cell", 16), ("rule", 28), ("severity", 16), ("value", 28), ("message", 80))


class _Texts:
    """The feedback texts in one language (ru when the language is unknown)."""

    def __init__(self, catalog: Catalog, lang: str) -> None:
        self.catalog = catalog
        self.lang = lang.strip().lower() if lang and lang.strip().lower() in LANGUAGES else "ru"

    def __call__(self, key: str, **values: object) -> str:
        return self.catalog.text(f"feedback.{key}", self.lang, **values)

    def optional(self, key: str, fallback: str) -> str:
        return self(key) if key in self.catalog.texts.get("feedback", {}) else fallback

    def severity(self, severity: str) -> str:
        return self.optional(f"severity_{severity}", severity)

    def sheet(self, sheet: str | None) -> str:
        schema = self.catalog.sheets.get(sheet or "")
        return f"{schema.label(self.lang)} ({sheet})" if schema else sheet or ""

    def column(self, sheet: str | None, column: str | None) -> str:
        schema = self.catalog.sheets.get(sheet or "")
        field = next((f for f in schema.fields if f.name == column), None) if schema else None
        return f"{field.label(self.lang)} ({column})" if field else column or ""

    def cells(self, group: ProblemGroup) -> str:
        more = [self("and_more", count=group.more_cells)] if group.more_cells else []
        return ", ".join([*group.cells, *more])


def _text(value: object) -> str:
    """Cell text within Excel's limit (xlsxwriter would only report an oversize string by a return code)."""
    text = "" if value is None else str(value)
    return text if len(text) <= _EXCEL_MAX_TEXT else text[: _EXCEL_MAX_TEXT - 1] + "…"


def _formats(book: Workbook, status: str) -> dict[str, Format]:
    fill, font = _STATUS_COLOURS.get(status, _NEUTRAL_COLOURS)
    formats = {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "label": book.add_format({"bold": True, "valign": "top"}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
        "header": book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}),
        "status": book.add_format({"bold": True, "bg_color": fill, "font_color": font, "border": 1}),
    }
    for severity, key in _SEVERITY_STATUS.items():
        fill, font = _STATUS_COLOURS[key]
        formats[severity] = book.add_format({"bg_color": fill, "font_color": font, "valign": "top"})
    return formats


@dataclass(frozen=True)
class _Submission:
    """What the summary says about the file, besides its problems."""

    status: str
    centre: str
    period: str | None
    file_name: str
    sha256: str
    received_at: datetime


def _summary_rows(texts: _Texts, sub: _Submission, problems: Sequence[Problem]) -> list[tuple[str, str | int]]:
    known = texts.catalog.centres.get(sub.centre)
    return [
        (texts("label_centre"), f"{known.name(texts.lang)} ({sub.centre})" if known else sub.centre),
        (texts("label_period"), sub.period or "—"),
        (texts("label_file"), sub.file_name),
        (texts("label_sha256"), sub.sha256),
        (texts("label_received"), as_utc(sub.received_at).strftime("%Y-%m-%d %H:%M:%S")),
        (texts("label_errors"), sum(p.severity == ERROR for p in problems)),
        (texts("label_warnings"), sum(p.severity == WARNING for p in problems)),
        (texts("label_next"), texts.optional(f"next_{sub.status}", "")),
    ]


def _top_lines(texts: _Texts, groups: Sequence[ProblemGroup]) -> list[str]:
    """The first groups in plain words, then where to find the rest."""
    if not groups:
        return [texts("no_problems")]
    lines = []
    for number, g in enumerate(groups[:TOP_GROUPS], start=1):
        where = texts("where", cells=texts.cells(g), count=g.count) if g.cells else texts("where_file")
        severity = texts.severity(g.severity)
        lines.append(texts("top_item", number=number, severity=severity, message=g.message, fix=g.fix, where=where))
    if len(groups) > TOP_GROUPS:
        lines.append(texts("more_groups", count=len(groups) - TOP_GROUPS))
    return [*lines, texts("see_sheets")]


def _annotated_lines(texts: _Texts, annotated: str | None, cells: tuple[int, int]) -> list[str]:
    """Where the annotated copy is, and whether it marks only the first cells of a very long list."""
    if not annotated:
        return []
    marked, total = cells
    capped = [texts("annotated_capped", marked=marked, total=total)] if marked < total else []
    return [texts("annotated_copy", file=annotated), *capped]


def _write_value(sheet: Worksheet, row: int, column: int, value: object, style: Format) -> None:
    if isinstance(value, int) and not isinstance(value, bool):
        sheet.write_number(row, column, value, style)
    else:  # write_string: user values starting with = + - @ must stay text, never formulas
        sheet.write_string(row, column, _text(value), style)


def _write_summary(
    sheet: Worksheet,
    f: dict[str, Format],
    texts: _Texts,
    sub: _Submission,
    problems: Sequence[Problem],
    lines: list[str],
) -> None:
    """Title, status in colour, the facts of the submission, then the main problems in plain words."""
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 1, 110, f["wrap"])
    sheet.write_string(0, 0, texts("title"), f["title"])
    sheet.write_string(2, 0, texts("label_status"), f["label"])
    sheet.write_string(2, 1, texts.optional(f"status_{sub.status}", sub.status), f["status"])
    rows = [*_summary_rows(texts, sub, problems), ("", ""), (texts("top_title"), lines[0])]
    rows += [("", line) for line in lines[1:]]
    for row, (label, value) in enumerate(rows, start=3):
        if label:
            sheet.write_string(row, 0, label, f["label"])
        if value != "":
            _write_value(sheet, row, 1, value, f["wrap"])
    sheet.activate()


Rows = list[tuple[str, tuple[object, ...]]]  # (severity for the colour, cell values)


def _table(
    sheet: Worksheet, f: dict[str, Format], texts: _Texts, columns: tuple[tuple[str, int], ...], rows: Rows
) -> None:
    """Header, widths, rows with the severity cell coloured, a frozen header and a filter."""
    for index, (name, width) in enumerate(columns):
        sheet.set_column(index, index, width, f["wrap"])
        sheet.write_string(0, index, texts(f"col_{name}"), f["header"])
    names = [name for name, _ in columns]
    for row, (severity, values) in enumerate(rows, start=1):
        for column, value in enumerate(values):
            style = f.get(severity, f["wrap"]) if names[column] == "severity" else f["wrap"]
            _write_value(sheet, row, column, value, style)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(1, len(rows)), len(columns) - 1)


def _group_rows(texts: _Texts, groups: Sequence[ProblemGroup]) -> Rows:
    rows: Rows = []
    for g in groups:
        where = (texts.severity(g.severity), g.rule, texts.sheet(g.sheet), texts.column(g.sheet, g.column))
        rows.append((g.severity, (*where, texts.cells(g), g.count, g.value, g.message, g.fix)))
    return rows


def _cell_rows(texts: _Texts, problems: Sequence[Problem]) -> Rows:
    room = _EXCEL_MAX_ROWS - 2  # the header, and a closing line when there are more problems than rows
    rows: Rows = [
        (p.severity, (p.sheet, p.cell, p.rule, texts.severity(p.severity), p.value, p.message)) for p in problems[:room]
    ]
    if len(problems) > room:
        rows.append(("", (texts("truncated", count=len(problems) - room),)))
    return rows


def write_feedback(
    catalog: Catalog,
    out: Path,
    *,
    status: str,
    problems: Sequence[Problem],
    lang: str,
    centre: str,
    period: str | None,
    file_name: str,
    sha256: str,
    received_at: datetime,
    annotated: str | None = None,
    annotated_cells: tuple[int, int] = (0, 0),
) -> Path:
    """Write the feedback workbook to `out` (atomically); a clean submission gets the summary sheet only.

    `annotated` names the annotated copy of the centre's workbook, `annotated_cells` is (marked, with problems).
    """
    texts = _Texts(catalog, lang)
    groups = group_problems(problems)
    # A file name is centre text too: `report\u202excod.exe` must not read as something else on the summary.
    sub = _Submission(status, centre, period, neutralised(file_name), sha256, received_at)
    out.parent.mkdir(parents=True, exist_ok=True)
    # in_memory: zip entries get a fixed date instead of temp-file times, so the bytes do not vary.
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False, "in_memory": True}
    partial = out.with_name(f".{out.name}.partial")  # centres watch the outbox: never show half a file
    with xlsxwriter.Workbook(str(partial), options) as book:
        # A fixed creation time (the receipt time) keeps the bytes identical when re-run.
        book.set_properties({"title": texts("title"), "created": as_utc(received_at)})
        f = _formats(book, status)
        lines = [*_top_lines(texts, groups), *_annotated_lines(texts, annotated, annotated_cells)]
        _write_summary(book.add_worksheet("summary"), f, texts, sub, problems, lines)
        if problems:
            _table(book.add_worksheet("problems"), f, texts, _PROBLEM_COLUMNS, _group_rows(texts, groups))
            _table(book.add_worksheet("all_cells"), f, texts, _CELL_COLUMNS, _cell_rows(texts, problems))
    return partial.replace(out)
