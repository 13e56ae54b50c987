"""Group repeated problems so that one mistake made in 500 rows is one line of feedback, not 500."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from council.problems import ERROR, WARNING, Problem

_SEVERITY_ORDER: dict[str, int] = {ERROR: 0, WARNING: 1}
_NUMBER_RUN = re.compile(r"[0-9][0-9\s.,]*")


@dataclass(frozen=True)
class ProblemGroup:
    """One kind of mistake in one column: where it first occurs, how often, and how to fix it."""

    rule: str
    severity: str
    sheet: str | None
    column: str | None
    count: int
    cells: tuple[str, ...]
    more_cells: int
    value: str | None
    message: str
    fix: str


def _template_key(problem: Problem) -> str:
    """The message with the values that vary row by row masked out (the found value, numbers)."""
    message = problem.message
    if problem.value:
        message = message.replace(problem.value, "\x00")
    return _NUMBER_RUN.sub("#", message)


def _group_key(problem: Problem) -> tuple[str, str, str | None, str | None, str]:
    return (problem.severity, problem.rule, problem.sheet, problem.column, _template_key(problem))


def _position(problem: Problem) -> tuple[int, int, int]:
    """Sort key in sheet order: row, then column; problems without a cell come first."""
    where = problem.location
    if where is None:
        return (0, problem.row or 0, 0)
    return (1, problem.row if problem.row is not None else where.row, where.column + 1)


def _group(members: Sequence[Problem], max_cells: int) -> ProblemGroup:
    ordered = sorted(members, key=_position)
    first = ordered[0]
    cells = list(dict.fromkeys(p.cell for p in ordered if p.cell))
    shown = cells[: max(0, max_cells)]
    return ProblemGroup(
        rule=first.rule,
        severity=first.severity,
        sheet=first.sheet,
        column=first.column,
        count=sum(1 + p.more for p in members),
        cells=tuple(shown),
        more_cells=len(cells) - len(shown) + sum(p.more for p in members),
        value=next((p.value for p in ordered if p.value), None),
        message=first.message,
        fix=first.fix,
    )


def group_problems(problems: Sequence[Problem], max_cells: int = 10) -> list[ProblemGroup]:
    """One group per (severity, rule, sheet, column, message template); errors first, then warnings.

    Within a severity, groups keep the order in which their first problem was reported (validation
    reports the file and its structure before the cells), so the result is stable.
    """
    grouped: dict[tuple[str, str, str | None, str | None, str], list[Problem]] = {}
    for problem in problems:
        grouped.setdefault(_group_key(problem), []).append(problem)
    groups = [_group(members, max_cells) for members in grouped.values()]
    return sorted(groups, key=lambda g: _SEVERITY_ORDER.get(g.severity, len(_SEVERITY_ORDER)))


def top_groups(groups: Sequence[ProblemGroup], limit: int = 5) -> list[ProblemGroup]:
    """The first `limit` groups: what the summary sheet tells the centre before anything else."""
    return list(groups[:limit])
