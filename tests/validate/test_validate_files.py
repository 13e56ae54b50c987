"""A file that cannot be read is one whole-file problem, in the submitter's language, and a rejection."""

from __future__ import annotations

import pytest

from council.catalog import load_catalog
from tasks.read import FileIssue
from tasks.validate import file_issue_result

FILE_RULES = sorted(code for code in load_catalog().rules if code.startswith("file."))


@pytest.mark.parametrize("rule", FILE_RULES)
def test_every_file_rule_becomes_a_whole_file_rejection(rule: str) -> None:
    result = file_issue_result(FileIssue(rule, "PDF document"), load_catalog(), lang="en")
    [problem] = result.problems
    assert (problem.rule, problem.severity, problem.sheet, problem.cell) == (rule, "error", None, None)
    assert result.status == "rejected"


def test_the_specific_finding_is_in_the_message() -> None:
    [problem] = file_issue_result(FileIssue("file.format", "OpenDocument .ods"), load_catalog(), lang="ru").problems
    assert "таблица OpenDocument (.ods)" in problem.message  # the detected format, named in the reader's language
    [problem] = file_issue_result(FileIssue("file.format", "OpenDocument .ods"), load_catalog(), lang="en").problems
    assert "OpenDocument .ods" in problem.message
