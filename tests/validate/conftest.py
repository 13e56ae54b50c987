from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from tasks.read import IsolatedReader
from tasks.validate import ValidationResult
from tests.validate.workbooks import NOW, judge_file

Verdict = Callable[..., ValidationResult]


@pytest.fixture
def verdict(reader: IsolatedReader) -> Verdict:
    """Read a real file through the isolated reader and validate it as if dropped in `folder`."""

    def run(path: Path, folder: str = "AGRO", now: datetime = NOW) -> ValidationResult:
        return judge_file(reader, path, folder, now)

    return run
