"""Sample files on disk: byte-identical per seed, named per centre, readable back as written, fast."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl

from council.catalog import load_catalog
from tasks.samples import corrected_resubmission, submission_rows, write_corrected, write_samples

CATALOG = load_catalog()
PERIODS = ["2025S1", "2025S2", "2026S1"]
FIRST = CATALOG.layout["first_data_row"]


def _meta(path: Path) -> dict[str, object]:
    sheet = openpyxl.load_workbook(path, data_only=True)[CATALOG.meta_sheet]
    return {row[0].value: row[1].value for row in sheet.iter_rows()}


def _projects(path: Path) -> list[dict[str, object]]:
    sheet = openpyxl.load_workbook(path)["projects"]
    codes = [c.value for c in sheet[CATALOG.layout["code_row"]]]
    return [dict(zip(codes, row, strict=False)) for row in sheet.iter_rows(min_row=FIRST, values_only=True) if row[0]]


def test_all_centres_three_periods_byte_identical(tmp_path: Path) -> None:
    first = write_samples(CATALOG, tmp_path / "a", PERIODS, seed=7)  # bench/samples.py times this
    second = write_samples(CATALOG, tmp_path / "b", PERIODS, seed=7)
    assert len(first) == len(CATALOG.centres) * len(PERIODS)
    assert [p.relative_to(tmp_path / "a") for p in first] == [p.relative_to(tmp_path / "b") for p in second]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second, strict=True))
    assert {p.parent.name for p in first} == set(CATALOG.centres)
    assert not list((tmp_path / "a").rglob("~$*"))  # no temporary files left behind


def test_other_seed_changes_the_files(tmp_path: Path) -> None:
    (a,) = write_samples(CATALOG, tmp_path / "a", ["2026S1"], seed=7, centres=["AGRO"])
    (b,) = write_samples(CATALOG, tmp_path / "b", ["2026S1"], seed=8, centres=["AGRO"])
    assert a.name == b.name and a.read_bytes() != b.read_bytes()


def test_file_reads_back_as_the_rows_written(tmp_path: Path) -> None:
    (path,) = write_samples(CATALOG, tmp_path, ["2026S1"], centres=["OILGAS"])
    expected = submission_rows(CATALOG, "OILGAS", "2026S1")["projects"]
    back = _projects(path)
    assert len(back) == len(expected)
    for sent, got in zip(expected, back, strict=True):
        for code, value in sent.items():
            value = datetime(value.year, value.month, value.day) if hasattr(value, "month") else value
            assert got[code] == value, code
    meta = _meta(path)
    assert (meta["centre_code"], meta["period"], meta["language"]) == ("OILGAS", "2026S1", "ru")
    assert meta["template_version"] == CATALOG.template_version and meta["is_correction"] == "NO"
    assert isinstance(meta["submission_date"], datetime)


def test_corrected_resubmission_drops_the_mistakes_and_says_why(tmp_path: Path) -> None:
    path = write_corrected(CATALOG, tmp_path, "HEALTH", "2026S1")
    assert path.parent.name == "HEALTH" and path.read_bytes() == corrected_resubmission(CATALOG, "HEALTH", "2026S1")
    meta = _meta(path)
    assert meta["is_correction"] == "YES" and meta["correction_reason"]
    for project in _projects(path):
        parts = sum(float(project[f]) for f in ("funding_public_kzt", "funding_private_kzt", "funding_foreign_kzt"))
        assert round(parts, 2) == project["budget_total_kzt"]
