"""Grouping: one mistake repeated in many rows is one line; errors come before warnings."""

from __future__ import annotations

import pytest

from council.catalog import load_catalog
from council.problems import ERROR, WARNING, CellRef, Problem, make_problem
from tasks.feedback import group_problems


def number_problem(row: int, value: str = "abc", column: str = "budget_total_kzt") -> Problem:
    problem = make_problem(
        load_catalog(),
        "cell.number",
        "ru",
        sheet="projects",
        cell=f"projects!P{row}",
        value=value,
        field=column,
        row=row,
    )
    assert problem is not None and (problem.rule, problem.severity) == ("cell.number", ERROR)
    return problem


def test_500_identical_problems_are_one_group() -> None:
    groups = group_problems([number_problem(row) for row in range(502, 2, -1)])
    assert len(groups) == 1
    group = groups[0]
    assert (group.rule, group.count, group.more_cells) == ("cell.number", 500, 490)
    assert group.cells == tuple(f"projects!P{row}" for row in range(3, 13))  # sheet order, not input order


def test_different_values_of_one_mistake_group_together_but_columns_do_not() -> None:
    problems = [
        number_problem(3, "abc"),
        number_problem(4, "12 тг"),
        number_problem(5, "x", column="funding_public_kzt"),
    ]
    groups = group_problems(problems, max_cells=1)
    assert [(g.column, g.count, g.cells, g.more_cells) for g in groups] == [
        ("budget_total_kzt", 2, ("projects!P3",), 1),
        ("funding_public_kzt", 1, ("projects!P5",), 0),
    ]
    assert groups[0].value == "abc"


def test_errors_come_before_warnings_in_a_stable_order() -> None:
    warning = Problem(
        "narrative.rag_required", WARNING, "narrative", "narrative!C4", None, "no RAG", row=4, column="rag"
    )
    missing = Problem("sheet.missing", ERROR, "pilots", None, None, "no sheet")
    problems = [warning, number_problem(7), missing, number_problem(3)]
    groups = group_problems(problems)
    assert [g.rule for g in groups] == ["cell.number", "sheet.missing", "narrative.rag_required"]
    assert group_problems(list(reversed(problems)))[-1].rule == "narrative.rag_required"
    assert groups[1].cells == () and groups[1].more_cells == 0


def test_cells_sort_by_row_then_column_number() -> None:
    problems = [
        Problem("cell.required", ERROR, "kpi", f"kpi!{ref}", None, "empty", column="x") for ref in ("AA3", "B3", "C2")
    ]
    assert group_problems(problems)[0].cells == ("kpi!C2", "kpi!B3", "kpi!AA3")


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("projects!F12", ("projects", 12, 5, "projects!F12")),
        ("kpi!$AA$3", ("kpi", 3, 26, "kpi!AA3")),
        ("B7", (None, 7, 1, "B7")),
        ("my sheet!xfd1048576", ("my sheet", 1_048_576, 16_383, "my sheet!XFD1048576")),
    ],
)
def test_a_cell_reference_is_read_back_once_into_a_typed_location(text: str, where: tuple) -> None:
    ref = CellRef.parse(text)
    assert ref is not None and (ref.sheet, ref.row, ref.column, str(ref)) == where


@pytest.mark.parametrize("text", [None, "", "projects", "projects!A0", "projects!XFE1", "projects!A1048577", "F"])
def test_whole_file_problems_and_cells_outside_excel_have_no_location(text: str | None) -> None:
    assert CellRef.parse(text) is None
