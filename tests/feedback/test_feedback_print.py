"""The feedback workbook on paper and on screen: rows tall enough for their text, A4 print settings, the
reader's number formats, timeliness on the summary (issue 12). Rendered through LibreOffice where installed."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from council.catalog import load_catalog
from council.numbers import EXCEL_COUNT, format_date
from council.problems import Problem, make_problem, verdict
from tasks.feedback import write_feedback
from tasks.feedback.layout import LINE_POINTS, wrapped_lines
from tests.office.libreoffice import SKIP_REASON, SOFFICE, convert_all
from tests.requires import needs

CATALOG = load_catalog()
RECEIVED = datetime(2026, 8, 20, 9, 30, tzinfo=UTC)
DEFAULT_HEIGHT = 15.0


def many_problems(lang: str) -> list[Problem]:
    """Long messages and long cell lists: the rows that overlapped the next one before issue 12."""
    found = [
        make_problem(
            CATALOG,
            "cell.range",
            lang,
            sheet="budget",
            cell=f"budget!G{row}",
            value="-5",
            field="spent_kzt",
            row=row,
            column=CATALOG.sheets["budget"].field("spent_kzt").label(lang),
            allowed="≥ 0",
        )
        for row in range(3, 40)
    ]
    found += [
        make_problem(
            CATALOG,
            rule,
            lang,
            sheet="projects",
            cell=f"projects!K{row}",
            value="KZ-99",
            field="region_code",
            row=row,
            column=CATALOG.sheets["projects"].field("region_code").label(lang),
            allowed="x " * 80,
        )
        for row, rule in enumerate(("cell.codelist", "cell.pattern", "cell.required", "cell.date", "cell.number"), 3)
    ]
    return [p for p in found if p is not None]


def write(tmp_path: Path, found: list[Problem], lang: str = "ru", name: str = "feedback.xlsx", **extra: object) -> Path:
    return write_feedback(
        CATALOG,
        tmp_path / name,
        status=extra.pop("status", verdict(found)),
        problems=found,
        lang=lang,
        centre="HEALTH",
        period="2026S1",
        file_name="отчёт здравоохранение, первое полугодие 2026 года (исправленный).xlsx",
        sha256="ab" * 32,
        received_at=RECEIVED,
        annotated="2026-08-20T093000Z_report_2026S1_abababab_rejected_annotated.xlsx",
        annotated_cells=(42, 42),
        **extra,
    )


def _height(sheet: openpyxl.worksheet.worksheet.Worksheet, row: int) -> float:
    return sheet.row_dimensions[row].height or DEFAULT_HEIGHT


def _width(sheet: openpyxl.worksheet.worksheet.Worksheet, column: int) -> float:
    # Adjacent columns of one width are stored as one <col min max> range, keyed by its first letter.
    ranges = [d for d in sheet.column_dimensions.values() if d.min and d.min <= column <= (d.max or d.min)]
    assert ranges, (sheet.title, column)
    return ranges[0].width


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_row_is_as_tall_as_its_wrapped_text(tmp_path: Path, lang: str) -> None:
    book = openpyxl.load_workbook(write(tmp_path, many_problems(lang), lang=lang))
    checked = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str) or (cell.row == 1 and sheet.title == "summary"):
                    continue  # the 14-point title spills into the empty cell beside it
                width = _width(sheet, cell.column)
                # Independent of the writer's estimate: no font fits more than 1.1 characters per width unit.
                assert _height(sheet, cell.row) >= LINE_POINTS * math.ceil(len(cell.value) / (width * 1.1)), (
                    sheet.title,
                    cell.coordinate,
                )
                assert _height(sheet, cell.row) >= LINE_POINTS * wrapped_lines(cell.value, width, bold=cell.font.b)
                checked += 1
    assert checked > 100


def test_a_long_text_wraps_on_words_and_a_long_word_is_broken() -> None:
    assert wrapped_lines("short", 20) == 1
    assert wrapped_lines("word " * 40, 20) == 10  # four 4-letter words and their spaces per line
    assert wrapped_lines("x" * 100, 10) >= 10
    assert wrapped_lines("one\ntwo\nthree", 80) == 3


def test_print_settings_a4_one_page_summary_and_tables_one_page_wide(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(write(tmp_path, many_problems("ru")))
    summary, problems, cells = book["summary"], book["problems"], book["all_cells"]
    for sheet in (summary, problems, cells):
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.page_setup.fitToWidth in (None, 1)  # 1 is OOXML's default and may be left out
        assert sheet.print_area and sheet.page_margins.left == 0.5
        assert "&P" in (sheet.oddFooter.right.text or "")
    assert summary.page_setup.orientation == "portrait" and summary.page_setup.fitToHeight in (None, 1)
    assert summary.print_area == f"'summary'!$A$1:$B${summary.max_row}"
    for sheet in (problems, cells):
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToHeight == 0
        assert sheet.print_title_rows == "$1:$1"  # the header on every printed page


def test_counts_carry_a_number_format(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(write(tmp_path, many_problems("ru")))
    counts = [c for row in book["summary"].iter_rows() for c in row if isinstance(c.value, int)]
    assert len(counts) == 2 and all(c.number_format == EXCEL_COUNT for c in counts)
    problems = book["problems"]
    column = [c.value for c in problems[1]].index(CATALOG.text("feedback.col_count", "ru")) + 1
    assert problems.cell(2, column).value == 37 and problems.cell(2, column).number_format == EXCEL_COUNT


def _summary_text(path: Path) -> str:
    return "\n".join(
        str(c.value) for row in openpyxl.load_workbook(path)["summary"].iter_rows() for c in row if c.value
    )


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_an_accepted_late_report_says_it_was_late_and_by_which_day_it_was_due(tmp_path: Path, lang: str) -> None:
    text = _summary_text(write(tmp_path, [], lang, on_time=False))
    deadline = format_date(CATALOG.periods["2026S1"].deadline, lang)
    expected = CATALOG.text("feedback.late", lang, deadline=deadline, received=format_date(RECEIVED.date(), lang))
    assert expected in text and CATALOG.text("feedback.late_accepted", lang) in text
    on_time = _summary_text(write(tmp_path, [], lang, name="on_time.xlsx", on_time=True))
    assert CATALOG.text("feedback.on_time", lang, deadline=deadline) in on_time
    assert CATALOG.text("feedback.label_timeliness", lang) not in _summary_text(
        write(tmp_path, [], lang, name="x.xlsx")
    )


def test_a_late_rejection_does_not_say_the_report_is_accepted(tmp_path: Path) -> None:
    text = _summary_text(write(tmp_path, many_problems("ru"), on_time=False))
    assert CATALOG.text("feedback.late", "ru", deadline="", received="").split(":")[0] in text
    assert CATALOG.text("feedback.late_accepted", "ru") not in text


def test_received_time_reads_in_the_readers_date_convention(tmp_path: Path) -> None:
    assert "20.08.2026 09:30" in _summary_text(write(tmp_path, [], "ru"))
    assert "20 August 2026 09:30" in _summary_text(write(tmp_path, [], "en", name="en.xlsx"))


def _pdf_page_texts(pdf: Path) -> list[str]:
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    texts = []
    for page in range(1, pages + 1):
        done = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True)
        texts.append(done.stdout.decode())
    return texts


@needs(SOFFICE is not None and shutil.which("pdftotext") is not None, SKIP_REASON)
def test_rendered_by_libreoffice_the_summary_is_one_page_and_the_tables_follow(tmp_path: Path) -> None:
    xlsx = write(tmp_path, many_problems("ru"))
    [pdf] = convert_all({"pdf": [xlsx]}, tmp_path / "render")["pdf"]
    pages = _pdf_page_texts(pdf)
    summary_last_line = CATALOG.text("feedback.annotated_copy", "ru", file="").split(":")[0]
    assert CATALOG.text("feedback.title", "ru") in pages[0] and summary_last_line in pages[0]
    assert CATALOG.text("feedback.col_severity", "ru") in pages[1]  # page 2 is the problems table, not more summary
    assert all(page.strip() for page in pages)  # no empty page
