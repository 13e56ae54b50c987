"""The feedback workbook, read back with openpyxl: sheets, languages, text safety, determinism."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from council.catalog import load_catalog
from council.problems import ACCEPTED, REJECTED, Problem, make_problem, verdict
from tasks.feedback import write_feedback

RECEIVED = datetime(2026, 11, 28, 10, 15, tzinfo=UTC)
FORMULA_LIKE = ['=HYPERLINK("http://x")', "+7 701 000 00 00", "-5 тг", "@SUM(A1)", "http://example.kz"]


def problems(lang: str = "ru") -> list[Problem]:
    catalog = load_catalog()
    found = [
        make_problem(
            catalog,
            "cell.number",
            lang,
            sheet="projects",
            cell=f"projects!P{r}",
            value=v,
            field="budget_total_kzt",
            row=r,
        )
        for r, v in enumerate(FORMULA_LIKE, start=3)
    ]
    found.append(make_problem(catalog, "narrative.rag_required", lang, sheet="narrative", cell="narrative!C4", row=4))
    return [p for p in found if p is not None]


def write(tmp_path: Path, found: list[Problem], lang: str = "ru", name: str = "feedback.xlsx") -> Path:
    return write_feedback(
        load_catalog(),
        tmp_path / name,
        status=verdict(found),
        problems=found,
        lang=lang,
        centre="AGRO",
        period="2026S2",
        file_name="отчёт АПК.xlsx",
        sha256="0" * 64,
        received_at=RECEIVED,
    )


def test_sheets_and_counts(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(write(tmp_path, problems()))
    assert book.sheetnames == ["summary", "problems", "all_cells"]
    detail = book["problems"]
    assert detail.freeze_panes == "A2" and detail.auto_filter.ref
    rows = list(detail.iter_rows(min_row=2, values_only=True))
    assert [(row[1], row[5]) for row in rows] == [("cell.number", 5), ("narrative.rag_required", 1)]
    assert book["all_cells"].max_row == 1 + len(problems())
    summary_values = [c.value for row in book["summary"].iter_rows() for c in row]
    assert 5 in summary_values and 1 in summary_values  # errors and warnings counted


def test_formula_like_values_stay_text(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(write(tmp_path, problems()))
    cells = book["all_cells"]
    values = [(cells.cell(row, 5).value, cells.cell(row, 5).data_type) for row in range(2, 2 + len(FORMULA_LIKE))]
    assert values == [(value, "s") for value in FORMULA_LIKE]
    assert not book["problems"]._hyperlinks and not cells._hyperlinks


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_labels_follow_the_language(tmp_path: Path, lang: str) -> None:
    book = openpyxl.load_workbook(write(tmp_path, problems(lang), lang=lang))
    header = [c.value for c in book["problems"][1]]
    assert header == [
        load_catalog().text(f"feedback.col_{name}", lang)
        for name in ("severity", "rule", "sheet", "column", "cells", "count", "value", "message", "fix")
    ]


def test_three_languages_differ_and_unknown_falls_back_to_russian(tmp_path: Path) -> None:
    titles = {}
    for lang in ("kk", "ru", "en", "de"):
        book = openpyxl.load_workbook(write(tmp_path, problems(), lang=lang, name=f"{lang}.xlsx"))
        titles[lang] = (book["summary"]["A1"].value, book["summary"]["B3"].value, book["problems"]["A1"].value)
    assert len({titles["kk"], titles["ru"], titles["en"]}) == 3
    assert titles["de"] == titles["ru"]


def test_clean_submission_gets_a_short_confirmation(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(write(tmp_path, []))
    assert book.sheetnames == ["summary"]
    values = [c.value for row in book["summary"].iter_rows() for c in row if c.value is not None]
    assert load_catalog().text("feedback.status_accepted", "ru") in values
    assert load_catalog().text("feedback.no_problems", "ru") in values


def test_status_is_coloured(tmp_path: Path) -> None:
    rejected = openpyxl.load_workbook(write(tmp_path, problems(), name="r.xlsx"))["summary"]["B3"]
    accepted = openpyxl.load_workbook(write(tmp_path, [], name="a.xlsx"))["summary"]["B3"]
    assert verdict(problems()) == REJECTED and verdict([]) == ACCEPTED
    assert rejected.fill.fgColor.rgb != accepted.fill.fgColor.rgb


def test_same_input_same_bytes(tmp_path: Path) -> None:
    first = write(tmp_path, problems(), name="one.xlsx").read_bytes()
    second = write(tmp_path, problems(), name="two.xlsx").read_bytes()
    assert first == second


def test_control_characters_survive_and_no_partial_file_is_left(tmp_path: Path) -> None:
    odd = Problem(
        "cell.pattern", "error", "projects", "projects!A3", "a\x07b\x00c", "bad\x1b", column="project_id", row=3
    )
    path = write(tmp_path, [odd])
    # Stored as Excel's _xHHHH_ escapes: Excel and calamine decode them, openpyxl shows them raw.
    assert CalamineWorkbook.from_path(str(path)).get_sheet_by_name("all_cells").to_python()[1][4] == "a\x07b\x00c"
    assert [p.name for p in tmp_path.iterdir()] == ["feedback.xlsx"]


def test_summary_shows_five_groups_then_points_to_the_rest(tmp_path: Path) -> None:
    found = [
        Problem(f"rule.{n}", "error", "kpi", f"kpi!A{n + 3}", None, f"problem {n}", column=f"c{n}") for n in range(7)
    ]
    summary = openpyxl.load_workbook(write(tmp_path, found))["summary"]
    lines = [row[1] for row in summary.iter_rows(values_only=True) if isinstance(row[1], str)]
    catalog = load_catalog()
    assert catalog.text("feedback.more_groups", "ru", count=2) in lines
    assert sum(line.startswith(tuple(f"{n}. " for n in range(1, 8))) for line in lines) == 5
