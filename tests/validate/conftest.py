from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from council.catalog import load_catalog
from tasks.read import FileIssue, IsolatedReader, ReadLimits
from tasks.validate import ValidationResult, file_issue_result, validate_workbook
from tests.validate.workbooks import NOW

Verdict = Callable[..., ValidationResult]


@pytest.fixture(scope="session")
def reader() -> Iterator[IsolatedReader]:
    with IsolatedReader() as warm:
        yield warm


@pytest.fixture
def verdict(reader: IsolatedReader) -> Verdict:
    """Read a real file through the isolated reader and validate it as if dropped in `folder`."""

    def run(path: Path, folder: str = "AGRO", now: datetime = NOW) -> ValidationResult:
        raw = reader.read(path, ReadLimits())
        if isinstance(raw, FileIssue):
            return file_issue_result(raw, load_catalog())
        return validate_workbook(raw, load_catalog(), folder_centre=folder, now=now)

    return run
