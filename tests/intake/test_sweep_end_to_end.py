"""A sweep over real files in a temp data root: archive, ledger, warehouse, feedback, clean inbox."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import duckdb
import openpyxl

from council.catalog import load_catalog
from council.settings import Settings
from tasks.intake.files import sha256_of
from tasks.pipeline.build_pack import build_pack
from tasks.samples import sample_workbook
from tasks.storage.ledger import record_unlock, status_rows
from tests.intake.conftest import drop
from tests.validate.workbooks import ROWS, rows_with, write_report


def _query(settings: Settings, sql: str) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_a_valid_file_is_archived_recorded_loaded_and_answered(
    tmp_path: Path, settings: Settings, run_sweep: Callable
) -> None:
    source = write_report(tmp_path, name="Отчёт АГРО 2026S1.xlsx")
    drop(settings, "AGRO", source)
    [outcome] = run_sweep()
    assert (outcome.status, outcome.period) == ("accepted", "2026S1")
    sha, _ = sha256_of(source)
    assert (settings.archive / sha[:2] / f"{sha}.xlsx").read_bytes() == source.read_bytes()
    assert _query(settings, "SELECT event FROM ledger ORDER BY event_id") == [("received",), ("accepted",)]
    assert _query(settings, "SELECT count(*) FROM projects")[0][0] == len(ROWS["projects"])
    assert _query(settings, "SELECT status, is_current, on_time FROM submissions") == [("accepted", True, True)]
    assert outcome.feedback and outcome.feedback.parent == settings.outbox / "AGRO"
    assert openpyxl.load_workbook(outcome.feedback).sheetnames[0] == "summary"
    assert list((settings.inbox / "AGRO").iterdir()) == []
    assert [p.name.split("__", 1)[1] for p in (settings.processed / "AGRO").iterdir()] == ["Отчёт АГРО 2026S1.xlsx"]


def test_the_same_bytes_twice_are_a_recorded_no_op(tmp_path: Path, settings: Settings, run_sweep: Callable) -> None:
    source = write_report(tmp_path)
    drop(settings, "AGRO", source)
    run_sweep()
    drop(settings, "AGRO", source, name="copy of report.xlsx")
    [again] = run_sweep()
    assert again.status == "duplicate"
    assert _query(settings, "SELECT count(*) FROM submissions")[0][0] == 1
    assert _query(settings, "SELECT count(*) FROM projects")[0][0] == len(ROWS["projects"])
    assert ("duplicate",) in _query(settings, "SELECT event FROM ledger")
    assert list((settings.inbox / "AGRO").iterdir()) == []


def test_a_corrected_resubmission_supersedes_and_the_old_one_is_kept(
    tmp_path: Path, settings: Settings, run_sweep: Callable
) -> None:
    drop(settings, "AGRO", write_report(tmp_path, name="v1.xlsx"))
    [first] = run_sweep()
    corrected = rows_with(kpi={"value": 15})
    drop(
        settings,
        "AGRO",
        write_report(
            tmp_path, corrected, {"is_correction": "YES", "correction_reason": "jobs recount"}, name="v2.xlsx"
        ),
    )
    [outcome] = run_sweep()
    assert outcome.superseded == first.submission_id
    rows = _query(
        settings,
        "SELECT file_name, status, is_current, superseded_by IS NOT NULL FROM submissions",
    )
    assert sorted(rows) == [("v1.xlsx", "accepted", False, True), ("v2.xlsx", "accepted", True, False)]
    current = (
        "SELECT k.value FROM kpi k JOIN submissions s USING (submission_id)"
        " WHERE s.is_current AND k.indicator_code = 'JOBS_CREATED'"
    )
    assert _query(settings, current) == [(15.0,)]
    assert _query(settings, "SELECT is_correction FROM submissions WHERE is_current") == [(True,)]


def test_a_rejected_resubmission_leaves_the_previous_one_in_force(
    tmp_path: Path, settings: Settings, run_sweep: Callable
) -> None:
    drop(settings, "AGRO", write_report(tmp_path, name="good.xlsx"))
    run_sweep()
    drop(settings, "AGRO", write_report(tmp_path, rows_with(kpi={"unit": "KZT"}), name="bad.xlsx"))
    [outcome] = run_sweep()
    assert outcome.status == "rejected"
    assert _query(settings, "SELECT file_name FROM submissions WHERE is_current") == [("good.xlsx",)]
    assert _query(settings, "SELECT rule, cell FROM problems") == [("kpi.unit_mismatch", "kpi!D3")]


def test_late_is_accepted_and_marked_late(tmp_path: Path, settings: Settings, run_sweep: Callable) -> None:
    drop(settings, "AGRO", write_report(tmp_path))
    [outcome] = run_sweep(at="2026-08-25T09:00:00+00:00")  # after due date + grace
    assert outcome.status == "accepted"
    rows = {r["centre"]: r for r in status_rows(settings.warehouse, load_catalog(), "2026S1")}
    assert (rows["AGRO"]["status"], rows["AGRO"]["timeliness"], rows["AGRO"]["versions"]) == ("accepted", "late", 1)
    assert rows["HEALTH"]["status"] == "missing"
    assert len(rows) == 8


def test_a_locked_period_holds_until_unlocked(tmp_path: Path, settings: Settings, run_sweep: Callable) -> None:
    drop(settings, "AGRO", write_report(tmp_path, name="first.xlsx"))
    run_sweep()
    build_pack(settings, load_catalog(), "TPC-2026-09", "2026S1")
    drop(settings, "AGRO", write_report(tmp_path, rows_with(kpi={"value": 20}), name="after-lock.xlsx"))
    [held] = run_sweep()
    assert held.status == "held"
    assert _query(settings, "SELECT file_name FROM submissions WHERE is_current") == [("first.xlsx",)]
    assert run_sweep() == []  # still held: nothing to do
    record_unlock(settings.warehouse, "AGRO", "2026S1", "correction approved at the pre-meeting", settings.now())
    [released] = run_sweep()
    assert (released.file_name, released.status) == ("after-lock.xlsx", "accepted")
    assert _query(settings, "SELECT file_name FROM submissions WHERE is_current") == [("after-lock.xlsx",)]
    events = [e for (e,) in _query(settings, "SELECT event FROM ledger ORDER BY event_id")]
    assert events.count("held") == 1 and "unlocked" in events and "period_locked" in events


def test_a_draft_pack_locks_nothing(tmp_path: Path, settings: Settings, run_sweep: Callable) -> None:
    drop(settings, "AGRO", write_report(tmp_path))
    run_sweep()
    folder = build_pack(settings, load_catalog(), "TPC-2026-09", "2026S1", draft=True)
    assert {p.name for p in folder.iterdir()} >= {"pack.xlsx", "manifest.json"}
    drop(settings, "AGRO", write_report(tmp_path, rows_with(kpi={"value": 20}), name="v2.xlsx"))
    assert [o.status for o in run_sweep()] == ["accepted"]


def test_files_still_being_written_and_lock_files_are_left_alone(tmp_path: Path, settings: Settings, read) -> None:
    from tasks.pipeline.sweep import sweep

    fresh = drop(settings, "AGRO", write_report(tmp_path))
    lock = drop(settings, "AGRO", write_report(tmp_path), name="~$report.xlsx")
    patient = Settings(settings.data_dir, settle_seconds=3600, now_override=settings.now_override)
    assert sweep(patient, load_catalog(), read) == []
    os.utime(fresh, (fresh.stat().st_mtime - 7200,) * 2)
    assert [o.file_name for o in sweep(patient, load_catalog(), read)] == ["report.xlsx"]
    assert lock.exists()


def test_an_unreadable_file_is_archived_recorded_and_answered(
    tmp_path: Path, settings: Settings, run_sweep: Callable
) -> None:
    junk = tmp_path / "report.xlsx"
    junk.write_bytes(b"%PDF-1.7\n this is a scanned letter, not a workbook")
    drop(settings, "AGRO", junk)
    elec = tmp_path / "elec.xlsx"
    elec.write_bytes(sample_workbook(load_catalog(), "ELEC", "2026S1"))
    drop(settings, "ELEC", elec)
    outcomes = {o.centre: o for o in run_sweep()}
    assert outcomes["AGRO"].status == "rejected"
    assert [(p.rule, p.cell) for p in outcomes["AGRO"].problems] == [("file.format", None)]
    assert outcomes["ELEC"].status == "accepted"
    sha, _ = sha256_of(junk)
    assert (settings.archive / sha[:2] / f"{sha}.pdf").exists()
    assert outcomes["AGRO"].feedback is not None and outcomes["AGRO"].feedback.exists()
