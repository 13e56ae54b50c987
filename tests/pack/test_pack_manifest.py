"""manifest.json: periods, inputs with hashes, outputs whose hashes match the files, sorted keys."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from council.catalog import load_catalog
from tasks.pack import MANIFEST_JSON, PACK_XLSX, PackResult, write_pack
from tests.aggregate.pack_inputs_builder import BUILT_AT, SUBMISSION_ROWS, make_inputs

CATALOG = load_catalog()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, PackResult]:
    out = tmp_path_factory.mktemp("pack")
    return out, write_pack(make_inputs(), CATALOG, out, "ru", code_version="abc123", pdf=False)


def read(out: Path) -> dict[str, Any]:
    return json.loads((out / MANIFEST_JSON).read_text(encoding="utf-8"))


def test_output_hashes_match_the_files(built: tuple[Path, PackResult]) -> None:
    out, result = built
    manifest = read(out)
    data = (out / PACK_XLSX).read_bytes()
    assert manifest["outputs"][PACK_XLSX] == {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    for written in result.files:
        assert hashlib.sha256(written.path.read_bytes()).hexdigest() == written.sha256


def test_identity_and_periods(built: tuple[Path, PackResult]) -> None:
    manifest = read(built[0])
    assert (manifest["meeting"], manifest["period"]) == ("TPC-2026-09", "2026S1")
    assert (manifest["previous_period"], manifest["year_ago_period"]) == ("2025S2", "2025S1")
    assert manifest["built_at"] == BUILT_AT.isoformat() and manifest["code_version"] == "abc123"


def test_inputs_are_the_accepted_submissions_with_their_own_hashes(built: tuple[Path, PackResult]) -> None:
    manifest = read(built[0])
    assert [entry["centre"] for entry in manifest["inputs"]] == ["AGRO", "OILGAS", "HEALTH"]
    oilgas = manifest["inputs"][1]
    assert oilgas == {
        "centre": "OILGAS",
        "submission_id": "OILGAS-2026S1",
        "version": 2,
        "sha256": next(row["sha256"] for row in SUBMISSION_ROWS if row["centre"] == "OILGAS"),
        "status": "accepted_with_warnings",
    }
    assert {(e["period"], e["centre"]) for e in manifest["comparison_inputs"]} == {
        ("2025S1", "AGRO"),
        ("2025S1", "HEALTH"),
        ("2025S2", "AGRO"),
        ("2025S2", "HEALTH"),
    }


def test_headline_numbers_and_nulls(built: tuple[Path, PackResult]) -> None:
    manifest = read(built[0])
    assert manifest["headline"]["ALL"]["jobs"] == 41
    assert manifest["headline"]["OTHER"]["jobs"] is None
    assert manifest["completeness"]["missing"] == 3


def test_keys_are_sorted(built: tuple[Path, PackResult]) -> None:
    text = (built[0] / MANIFEST_JSON).read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
