"""The installed `council` command, run as other tools run it: a separate process, JSON on stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from council.catalog import load_catalog
from tasks.samples import sample_filename, sample_workbook

COUNCIL = Path(sys.executable).with_name("council")
NOW = "2026-07-28T09:00:00+00:00"


def council(*args: str, data: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COUNCIL_DATA_DIR": str(data), "COUNCIL_SETTLE_SECONDS": "0", "COUNCIL_NOW": NOW}
    done = subprocess.run([str(COUNCIL), *args], capture_output=True, text=True, env=env, timeout=300)
    if check and done.returncode not in (0, 1):
        raise AssertionError(done.stderr)
    return done


@pytest.fixture
def health_file(tmp_path: Path) -> Path:
    """HEALTH's 2026S1 sample: rejected for a funding mismatch and a wrong unit."""
    path = tmp_path / sample_filename(load_catalog(), "HEALTH", "2026S1")
    path.write_bytes(sample_workbook(load_catalog(), "HEALTH", "2026S1"))
    return path


def test_help_lists_every_command(tmp_path: Path) -> None:
    out = council("--help", data=tmp_path).stdout
    for command in ("template", "ingest", "validate", "status", "pack", "unlock", "serve"):
        assert command in out


def test_template_writes_the_workbook_for_the_centre(tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "AGRO_2026S1.xlsx"
    council("template", "--centre", "AGRO", "--period", "2026S1", "--lang", "ru", "--out", str(out), data=tmp_path)
    meta = {row[0]: row[1] for row in openpyxl.load_workbook(out)["_meta"].iter_rows(values_only=True)}
    assert (meta["centre_code"], meta["period"], meta["language"]) == ("AGRO", "2026S1", "ru")


def test_unknown_centre_is_a_usage_error(tmp_path: Path) -> None:
    done = council("status", "--period", "1999S1", data=tmp_path, check=False)
    assert done.returncode == 2 and "unknown period" in done.stderr


def test_validate_json_has_the_promised_shape_and_loads_nothing(tmp_path: Path, health_file: Path) -> None:
    done = council("validate", str(health_file), "--json", data=tmp_path / "data")
    verdict = json.loads(done.stdout)
    assert done.returncode == 1
    assert verdict["status"] == "rejected"
    assert all(set(p) == {"rule", "severity", "sheet", "cell", "value", "message"} for p in verdict["problems"])
    found = {(p["rule"], p["cell"]) for p in verdict["problems"]}
    assert found == {("projects.funding_sum", "projects!N4"), ("kpi.unit_mismatch", "kpi!D5")}
    assert not (tmp_path / "data" / "warehouse").exists()


def test_ingest_gives_the_same_verdict_as_validate(tmp_path: Path, health_file: Path) -> None:
    data = tmp_path / "data"
    dry = json.loads(council("validate", str(health_file), "--json", data=data).stdout)
    (data / "inbox" / "HEALTH").mkdir(parents=True)
    (data / "inbox" / "HEALTH" / health_file.name).write_bytes(health_file.read_bytes())
    done = council("ingest", "--json", data=data)
    assert done.returncode == 0  # a rejection is an outcome, not a failure
    [outcome] = json.loads(done.stdout)
    assert outcome["status"] == dry["status"] == "rejected"
    keys = ("rule", "severity", "sheet", "cell", "value", "message")
    with duckdb.connect(str(data / "warehouse" / "council.duckdb"), read_only=True) as con:
        stored = con.execute(f"SELECT {', '.join(keys)} FROM problems ORDER BY cell").fetchall()
    assert sorted(dry["problems"], key=lambda p: p["cell"]) == [dict(zip(keys, row, strict=True)) for row in stored]


def test_status_lists_every_registered_centre(tmp_path: Path) -> None:
    rows = json.loads(council("status", "--period", "2026S1", "--json", data=tmp_path).stdout)
    assert [r["centre"] for r in rows] == list(load_catalog().centres)
    assert {r["status"] for r in rows} == {"missing"}


def test_a_draft_pack_locks_nothing_so_unlock_has_nothing_to_unlock(tmp_path: Path) -> None:
    done = council("pack", "--period", "2026S1", "--draft", data=tmp_path)
    assert Path(done.stdout.strip()).name == "TPC-2026-09-draft-ru"  # drafts in each language apart
    assert (Path(done.stdout.strip()) / "manifest.json").is_file()
    reason = "late correction approved"
    unlock = council("unlock", "--centre", "AGRO", "--period", "2026S1", "--reason", reason, data=tmp_path, check=False)
    assert unlock.returncode == 2 and "not locked" in unlock.stderr  # after an official pack: test_cli_calendar
