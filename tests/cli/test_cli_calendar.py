"""The installed `council` command with a calendar that never runs out, codes in any case, and honest unlocks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl

from council.catalog import load_catalog
from tasks.samples import sample_filename, sample_workbook
from tasks.samples.files import drop_file

COUNCIL = Path(sys.executable).with_name("council")
IN_2031 = "2031-07-20T09:00:00+00:00"  # 2031S1 has ended and is due on 31 July; 2030S2 is past its deadline
IN_2026 = "2026-07-28T09:00:00+00:00"


def council(*args: str, data: Path, now: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COUNCIL_DATA_DIR": str(data), "COUNCIL_SETTLE_SECONDS": "0", "COUNCIL_NOW": now}
    return subprocess.run([str(COUNCIL), *args], capture_output=True, text=True, env=env, timeout=300)


def test_a_template_for_a_period_years_ahead_of_the_listed_ones(tmp_path: Path) -> None:
    out = tmp_path / "AGRO_2029S1.xlsx"
    done = council("template", "--centre", "AGRO", "--period", "2029S1", "--out", str(out), data=tmp_path, now=IN_2026)
    assert done.returncode == 0, done.stderr
    meta = {row[0]: row[1] for row in openpyxl.load_workbook(out)["_meta"].iter_rows(values_only=True)}
    assert (meta["centre_code"], meta["period"]) == ("AGRO", "2029S1")


def test_in_2031_a_report_for_the_open_period_is_swept_and_accepted(tmp_path: Path) -> None:
    """Per SPEC §2 a period is open from its first day until its pack is built: in July 2031 that is 2031S1,
    which has just ended (on time until 10 August), and 2030S2, whose pack is not built either (late)."""
    catalog, data = load_catalog(), tmp_path / "data"
    for centre, period in (("AGRO", "2031S1"), ("ELEC", "2030S2")):
        target = data / "inbox" / centre / sample_filename(catalog, centre, period)
        drop_file(target, sample_workbook(catalog, centre, period))
    done = council("ingest", "--json", data=data, now=IN_2031)
    assert done.returncode == 0, done.stderr
    outcomes = {(o["centre"], o["period"]): o for o in json.loads(done.stdout)}
    assert set(outcomes) == {("AGRO", "2031S1"), ("ELEC", "2030S2")}
    assert {o["status"] for o in outcomes.values()} == {"accepted"}
    status = json.loads(council("status", "--period", "2031S1", "--json", data=data, now=IN_2031).stdout)
    agro = next(row for row in status if row["centre"] == "AGRO")
    assert (agro["status"], agro["timeliness"]) == ("accepted", "on_time")
    late = json.loads(council("status", "--period", "2030S2", "--json", data=data, now=IN_2031).stdout)
    assert next(row["timeliness"] for row in late if row["centre"] == "ELEC") == "late"


def test_a_report_for_a_period_not_begun_is_not_open_rather_than_unknown(tmp_path: Path) -> None:
    path = tmp_path / "AGRO_2032S1.xlsx"
    path.write_bytes(sample_workbook(load_catalog(), "AGRO", "2032S1"))
    done = council("validate", str(path), "--json", data=tmp_path / "data", now=IN_2031)
    verdict = json.loads(done.stdout)
    assert verdict["status"] == "rejected"
    assert [p["rule"] for p in verdict["problems"]] == ["meta.period_not_open"]


def test_unlock_of_a_period_that_is_not_locked_says_so_and_fails(tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = council("unlock", "--centre", "AGRO", "--period", "2026S1", "--reason", "late fix", data=data, now=IN_2026)
    assert done.returncode != 0 and "not locked" in done.stderr
    assert "unlocked" not in done.stdout


def test_codes_in_any_case_and_an_unlock_only_once_per_lock(tmp_path: Path) -> None:
    data = tmp_path / "data"
    unknown = council("pack", "--meeting", "tpc-2026-10", data=data, now=IN_2026)
    assert unknown.returncode == 2 and "unknown meeting 'TPC-2026-10'" in unknown.stderr
    pack = council("pack", "--meeting", "tpc-2026-09", data=data, now=IN_2026)
    assert pack.returncode == 0, pack.stderr
    assert Path(pack.stdout.strip()).name == "TPC-2026-09"
    unlock = council("unlock", "--centre", "agro", "--period", "2026s1", "--reason", "late fix", data=data, now=IN_2026)
    assert unlock.returncode == 0, unlock.stderr
    assert unlock.stdout.startswith("AGRO 2026S1 unlocked")
    again = council("unlock", "--centre", "Agro", "--period", "2026S1", "--reason", "again", data=data, now=IN_2026)
    assert again.returncode != 0 and "not locked" in again.stderr
    status = council("status", "--period", "2026s1", "--json", data=data, now=IN_2026)
    assert status.returncode == 0 and len(json.loads(status.stdout)) == len(load_catalog().centres)
