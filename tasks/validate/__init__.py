"""Validation of one submitted workbook: structure first, then content. Findings are values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from council.catalog import Catalog
from council.problems import Problem, verdict
from tasks.read import FileIssue, RawWorkbook

__all__ = ["History", "ValidationResult", "file_issue_result", "validate_workbook"]

# (centre, period) → that centre's accepted sheets for the period, empty if none: the
# plausibility rules compare a submission with it. Injected so validation stays pure.
History = Callable[[str, str], dict[str, pd.DataFrame]]


@dataclass(frozen=True)
class ValidationResult:
    """The verdict on one workbook, the problems behind it, and the typed data if it can be loaded."""

    status: str
    problems: list[Problem]
    lang: str
    meta: dict[str, object] = field(default_factory=dict)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def centre(self) -> str | None:
        return str(self.meta["centre_code"]).upper() if self.meta.get("centre_code") else None

    @property
    def period(self) -> str | None:
        return str(self.meta["period"]).upper() if self.meta.get("period") else None

    def count(self, severity: str) -> int:
        return sum(p.severity == severity for p in self.problems)


def file_issue_result(issue: FileIssue, catalog: Catalog, lang: str = "ru") -> ValidationResult:
    """A file that could not be read at all is one whole-file problem (no sheet, no cell)."""
    from council.problems import make_problem

    problem = make_problem(catalog, issue.rule, lang, value=None, found=issue.found)
    problems = [problem] if problem else []
    return ValidationResult(status=verdict(problems) if problems else "rejected", problems=problems, lang=lang)


def validate_workbook(
    raw: RawWorkbook, catalog: Catalog, *, folder_centre: str, now: datetime, history: History | None = None
) -> ValidationResult:
    """Structure, then (only if the structure holds) content of every sheet in schema order."""
    from tasks.validate.content import validate_sheet
    from tasks.validate.quirks import file_problems, not_shadowed, quirk_problems
    from tasks.validate.structure import check_structure

    structure = check_structure(raw, catalog, folder_centre, now)
    whole_file = file_problems(raw, catalog, structure.lang)  # the preflight's warnings (an external link)
    if not structure.ok:
        problems = whole_file + structure.problems
        return ValidationResult(verdict(problems), problems, structure.lang, structure.meta)
    problems = whole_file + structure.problems
    frames: dict[str, pd.DataFrame] = {}
    known: dict[str, set[str]] = {}  # sheet → its primary keys, for the references of later sheets
    for name, raw_frame in structure.frames.items():
        content = validate_sheet(
            raw_frame, catalog.sheets[name], structure.layouts[name], catalog, structure.lang, known, folder_centre
        )
        frames[name] = content.frame
        quirks = quirk_problems(
            raw.sheets[name], catalog.sheets[name], structure.layouts[name], catalog, structure.lang
        )
        problems += quirks + not_shadowed(content.problems, quirks)
        known[name] = (
            set(content.frame[catalog.sheets[name].primary_key[0]].dropna())
            if catalog.sheets[name].primary_key
            else set()
        )
    if history is not None:
        from tasks.validate.plausibility import plausibility_problems

        previous = history(folder_centre, str(catalog.previous_period(str(structure.meta.get("period", "")).upper())))
        problems += plausibility_problems(frames, previous, catalog, structure.layouts, structure.lang)
    return ValidationResult(verdict(problems), problems, structure.lang, structure.meta, frames)
