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
from council.numbers import EXCEL_COUNT, format_count, format_date
from council.problems import ACCEPTED, ACCEPTED_WITH_WARNINGS, ERROR, EXCEL_MAX_ROW, REJECTED, WARNING, Problem
from tasks.feedback.grouping import ProblemGroup, group_problems
from tasks.feedback.layout import row_height
from tasks.feedback.naming import as_utc

TOP_GROUPS = 5
_EXCEL_MAX_ROWS = EXCEL_MAX_ROW
_EXCEL_MAX_TEXT = 32_767
# Excel's own Good / Neutral / Bad cell styles: colours users already read as ok / check / wrong.
_STATUS_COLOURS: dict[str, tuple[str, str]] = {  # keyed by Status, looked up with a status read back as text
    ACCEPTED: ("#C6EFCE", "#006100"),
    ACCEPTED_WITH_WARNINGS: ("#FFEB9C", "#9C5700"),
    REJECTED: ("#FFC7CE", "#9C0006"),
}
_NEUTRAL_COLOURS = ("#D9D9D9", "#000000")
_SEVERITY_STATUS = {ERROR: REJECTED, WARNING: ACCEPTED_WITH_WARNINGS}
# Widths in characters. Printed on A4: the summary portrait at 100 % (26 + 74 fit its 19 cm), the tables
# landscape, fitted to one page width (problems at ~75 %, all_cells at ~95 %), so every column is read.
_SUMMARY_WIDTHS = (26, 74)
_PROBLEM_COLUMNS = (
    ("severity", 14),
    ("rule", 18),
    ("sheet", 14),
    ("column", 20),
    ("cells", 20),
    ("count", 9),
    ("value", 16),
    ("message", 42),
    ("fix", 42),
)
_CELL_COLUMNS = (("sheet", 12), ("cell", 13), ("rule", 24), ("severity", 14), ("value", 22), ("message", 70))
_A4 = 9  # xlsxwriter's paper code
_MARGINS = {"left": 0.5, "right": 0.5, "top": 0.6, "bottom": 0.6}  # inches
_FOOTER = "&L&A&R&P / &N"  # sheet name left, "page / pages" right: loose printed pages stay in order
_LATE_COLOURS = ("#FFEB9C", "#9C5700")  # Excel's Neutral: worth noting, not wrong


class _Texts:
    """The feedback texts in one language (ru when the language is unknown)."""

    def __init__(self, catalog: Catalog, lang: str) -> None:
        self.catalog = catalog
        self.lang = lang.strip().lower() if lang and lang.strip().lower() in LANGUAGES else "ru"

    def __call__(self, key: str, **values: object) -> str:
        return self.catalog.text(f"feedback.{key}", self.lang, **values)

    def optional(self, key: str, fallback: str) -> str:
        return self(key) if key in self.catalog.texts.get("feedback", {}) else fallback

    def count(self, number: int) -> str:
        """A count inside a sentence, grouped the reader's way (`12 345` / `12,345`)."""
        return format_count(number, self.lang)

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
        more = [self("and_more", count=self.count(group.more_cells))] if group.more_cells else []
        return ", ".join([*group.cells, *more])


def _text(value: object) -> str:
    """Cell text within Excel's limit (xlsxwriter would only report an oversize string by a return code)."""
    text = "" if value is None else str(value)
    return text if len(text) <= _EXCEL_MAX_TEXT else text[: _EXCEL_MAX_TEXT - 1] + "…"


def _formats(book: Workbook, status: str) -> dict[str, Format]:
    fill, font = _STATUS_COLOURS.get(status, _NEUTRAL_COLOURS)
    late_fill, late_font = _LATE_COLOURS
    formats = {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "label": book.add_format({"bold": True, "valign": "top", "text_wrap": True}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
        # Counts read as numbers: thousands marked in the reader's own Excel locale, next to their label.
        "count": book.add_format({"num_format": EXCEL_COUNT, "valign": "top", "align": "left"}),
        "header": book.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
        ),
        "status": book.add_format({"bold": True, "bg_color": fill, "font_color": font, "border": 1}),
        "late": book.add_format({"bg_color": late_fill, "font_color": late_font, "text_wrap": True, "valign": "top"}),
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
    on_time: bool | None = None


def _received(texts: _Texts, received_at: datetime) -> str:
    moment = as_utc(received_at)
    return f"{format_date(moment.date(), texts.lang)} {moment:%H:%M}"


def _timeliness(texts: _Texts, sub: _Submission) -> str | None:
    """On time, or late with the last day and the day it arrived; None when timeliness is not known."""
    period = texts.catalog.periods.get(sub.period or "") if sub.on_time is not None else None
    if period is None:
        return None
    deadline = format_date(period.deadline, texts.lang)
    if sub.on_time:
        return texts("on_time", deadline=deadline)
    late = texts("late", deadline=deadline, received=format_date(as_utc(sub.received_at).date(), texts.lang))
    accepted = sub.status in (ACCEPTED, ACCEPTED_WITH_WARNINGS)
    return f"{late} {texts('late_accepted')}" if accepted else late


SummaryRow = tuple[str, str | int, str]  # label, value, the value's style


def _summary_rows(texts: _Texts, sub: _Submission, problems: Sequence[Problem]) -> list[SummaryRow]:
    known = texts.catalog.centres.get(sub.centre)
    timeliness = _timeliness(texts, sub)
    late = [(texts("label_timeliness"), timeliness, "wrap" if sub.on_time else "late")] if timeliness else []
    return [
        (texts("label_centre"), f"{known.name(texts.lang)} ({sub.centre})" if known else sub.centre, "wrap"),
        (texts("label_period"), sub.period or "—", "wrap"),
        *late,
        (texts("label_file"), sub.file_name, "wrap"),
        (texts("label_sha256"), sub.sha256, "wrap"),
        (texts("label_received"), _received(texts, sub.received_at), "wrap"),
        (texts("label_errors"), sum(p.severity == ERROR for p in problems), "count"),
        (texts("label_warnings"), sum(p.severity == WARNING for p in problems), "count"),
        (texts("label_next"), texts.optional(f"next_{sub.status}", ""), "wrap"),
    ]


def _top_lines(texts: _Texts, groups: Sequence[ProblemGroup]) -> list[str]:
    """The first groups in plain words, then where to find the rest."""
    if not groups:
        return [texts("no_problems")]
    lines = []
    for number, g in enumerate(groups[:TOP_GROUPS], start=1):
        where = texts("where", cells=texts.cells(g), count=texts.count(g.count)) if g.cells else texts("where_file")
        severity = texts.severity(g.severity)
        lines.append(texts("top_item", number=number, severity=severity, message=g.message, fix=g.fix, where=where))
    if len(groups) > TOP_GROUPS:
        lines.append(texts("more_groups", count=texts.count(len(groups) - TOP_GROUPS)))
    return [*lines, texts("see_sheets")]


def _annotated_lines(texts: _Texts, annotated: str | None, cells: tuple[int, int]) -> list[str]:
    """Where the annotated copy is, and whether it marks only the first cells of a very long list."""
    if not annotated:
        return []
    marked, total = cells
    capped = [texts("annotated_capped", marked=texts.count(marked), total=texts.count(total))] if marked < total else []
    return [texts("annotated_copy", file=annotated), *capped]


def _write_value(sheet: Worksheet, row: int, column: int, value: object, style: Format) -> None:
    if isinstance(value, int) and not isinstance(value, bool):
        sheet.write_number(row, column, value, style)
    else:  # write_string: user values starting with = + - @ must stay text, never formulas
        sheet.write_string(row, column, _text(value), style)


def _fit_row(sheet: Worksheet, row: int, cells: Sequence[tuple[object, float]], *, bold: bool = False) -> None:
    """Give a row the height its wrapped text needs (office suites do not grow rows a library wrote)."""
    height = row_height(cells, bold=bold)
    if height is not None:
        sheet.set_row(row, height)


def _print_setup(sheet: Worksheet, last_row: int, last_column: int, *, landscape: bool, one_page: bool) -> None:
    """A4, margins, page numbers, only the filled range; one page wide (and tall, for the summary)."""
    sheet.set_paper(_A4)
    if landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.set_margins(**_MARGINS)
    sheet.set_footer(_FOOTER)
    sheet.print_area(0, 0, max(0, last_row), last_column)
    sheet.fit_to_pages(1, 1 if one_page else 0)


def _write_summary(
    sheet: Worksheet,
    f: dict[str, Format],
    texts: _Texts,
    sub: _Submission,
    problems: Sequence[Problem],
    lines: list[str],
) -> None:
    """Title, status in colour, the facts of the submission, then the main problems in plain words."""
    label_width, value_width = _SUMMARY_WIDTHS
    sheet.set_column(0, 0, label_width)
    sheet.set_column(1, 1, value_width)
    sheet.write_string(0, 0, texts("title"), f["title"])
    sheet.set_row(0, 21)  # the 14-point title
    sheet.write_string(2, 0, texts("label_status"), f["label"])
    sheet.write_string(2, 1, texts.optional(f"status_{sub.status}", sub.status), f["status"])
    rows: list[SummaryRow] = [*_summary_rows(texts, sub, problems), ("", "", "wrap")]
    rows += [(texts("top_title") if i == 0 else "", line, "wrap") for i, line in enumerate(lines)]
    for row, (label, value, style) in enumerate(rows, start=3):
        if label:
            sheet.write_string(row, 0, label, f["label"])
        if value != "":
            _write_value(sheet, row, 1, value, f[style])
        _fit_row(sheet, row, [(label, label_width * 0.9), (value, value_width)])  # the label is bold
    _print_setup(sheet, 3 + len(rows) - 1, 1, landscape=False, one_page=True)
    sheet.activate()


Rows = list[tuple[str, tuple[object, ...]]]  # (severity for the colour, cell values)


def _table(
    sheet: Worksheet, f: dict[str, Format], texts: _Texts, columns: tuple[tuple[str, int], ...], rows: Rows
) -> None:
    """Header, widths, rows sized to their text with the severity cell coloured, a frozen header and a filter."""
    names = [name for name, _ in columns]
    widths = [width for _, width in columns]
    headers = [texts(f"col_{name}") for name in names]
    for index, (width, header) in enumerate(zip(widths, headers, strict=True)):
        sheet.set_column(index, index, width, f["count"] if names[index] == "count" else f["wrap"])
        sheet.write_string(0, index, header, f["header"])
    _fit_row(sheet, 0, list(zip(headers, widths, strict=True)), bold=True)
    for row, (severity, values) in enumerate(rows, start=1):
        for column, value in enumerate(values):
            style = f.get(severity, f["wrap"]) if names[column] == "severity" else f["wrap"]
            _write_value(sheet, row, column, value, f["count"] if names[column] == "count" else style)
        _fit_row(sheet, row, list(zip(values, widths, strict=False)))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(1, len(rows)), len(columns) - 1)
    sheet.repeat_rows(0)  # every printed page starts with the column names
    _print_setup(sheet, max(1, len(rows)), len(columns) - 1, landscape=True, one_page=False)


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
        rows.append(("", (texts("truncated", count=texts.count(len(problems) - room)),)))
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
    on_time: bool | None = None,
) -> Path:
    """Write the feedback workbook to `out` (atomically); a clean submission gets the summary sheet only.

    `annotated` names the annotated copy of the centre's workbook, `annotated_cells` is (marked, with problems).
    `on_time` is the submission's timeliness (tasks.pipeline.submission.on_time): the summary says on time, or late and
    by which day it was due; None (unknown, or a caller that does not say) leaves timeliness out.
    """
    texts = _Texts(catalog, lang)
    groups = group_problems(problems)
    # A file name is centre text too: `report\u202excod.exe` must not read as something else on the summary.
    sub = _Submission(status, centre, period, neutralised(file_name), sha256, received_at, on_time)
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
