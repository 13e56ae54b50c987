from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from council.catalog import load_catalog
from tasks.read import IsolatedReader
from tasks.samples.files import corrected_resubmission
from tasks.validate import ValidationResult
from tests.office.libreoffice import SKIP_REASON, SOFFICE, convert_all
from tests.requires import unavailable
from tests.validate.workbooks import NOW, judge_file, rows_with, write_report

Verdict = Callable[..., ValidationResult]
PLANTED = rows_with(
    kpi={"unit": "KZT"}, projects={"region_code": "KZ-99", "funding_private_kzt": 350_002.50}
)  # kpi.unit_mismatch at kpi!D3, cell.codelist at projects!K3, projects.funding_sum at projects!N3


EDIT = ("budget", "G3", 46_000.0)  # spent, so the computed execution H3 (spent / corrected plan) changes


@pytest.fixture(scope="session")
def verdict(reader: IsolatedReader) -> Verdict:
    """Read a real file through the isolated reader and validate it as if dropped in `folder` (once per file)."""
    seen: dict[tuple[Path, str, datetime], ValidationResult] = {}

    def run(path: Path, folder: str = "AGRO", now: datetime = NOW) -> ValidationResult:
        key = (path, folder, now)
        if key not in seen:
            seen[key] = judge_file(reader, path, folder, now)
        return seen[key]

    return run


def edited_by_openpyxl(source: Path, out: Path, sheet: str, cell: str, value: object) -> Path:
    """Change one cell with openpyxl, which saves every formula without its cached value."""
    book = openpyxl.load_workbook(source)
    book[sheet][cell] = value
    book.save(out)
    return out


def _originals(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    sample = folder / "sample.xlsx"
    sample.write_bytes(corrected_resubmission(load_catalog(), "AGRO", "2026S1"))
    valid = write_report(folder, name="valid.xlsx")
    return {
        "edited": edited_by_openpyxl(valid, folder / "edited.xlsx", *EDIT),
        "valid": valid,
        "dash": write_report(folder, name="-rf отчёт АГРО.xlsx"),  # would be an option if passed relative
        "planted": write_report(folder, PLANTED, name="planted.xlsx"),
        "sample": sample,
    }


@pytest.fixture(scope="session")
def office(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """Originals and their LibreOffice-saved copies: {"original"|"xlsx"|"ods"|"xls": {name: path}}."""
    if SOFFICE is None:
        unavailable(SKIP_REASON)
    work = tmp_path_factory.mktemp("office")
    originals = _originals(work / "in")
    jobs = {"xlsx": list(originals.values()), "ods": [originals["valid"]], "xls": [originals["valid"]]}
    started = time.perf_counter()
    converted = convert_all(jobs, work / "out")
    (work / "seconds.txt").write_text(f"{time.perf_counter() - started:.2f}\n")
    by_name = {path: name for name, path in originals.items()}
    result = {"original": originals}
    for fmt, paths in converted.items():
        result[fmt] = {by_name[source]: out for source, out in zip(jobs[fmt], paths, strict=True)}
    return result
