"""One bad file costs one answer, never the sweep: a fault at any stage is that file's outcome.

Each test raises (or breaks a real folder) for one centre's file among several centres' files, and
shows that the others are answered and loaded, the sweep returns, and the failed file is retried
with a back-off, answered, and finally quarantined when it keeps failing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pytest

from council.catalog import Catalog
from council.settings import Settings
from tasks.pipeline.submission import Reader
from tasks.pipeline.sweep import sweep
from tasks.samples import sample_workbook

SWEPT_AT = "2026-07-20T09:00:00+00:00"  # before 2026S1's due date
CENTRES = ("AGRO", "ELEC", "HEALTH")  # clean, clean, rejected with cell problems (an annotated copy)


def settings_for(root: Path, **changes: Any) -> Settings:
    return replace(Settings(data_dir=root, settle_seconds=0, now_override=SWEPT_AT, retry_backoff_s=0), **changes)


def drop_all(settings: Settings, catalog: Catalog) -> None:
    for centre in CENTRES:
        folder = settings.inbox / centre
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{centre} 2026S1.xlsx").write_bytes(sample_workbook(catalog, centre, "2026S1"))


def query(settings: Settings, sql: str, params: list[object] | None = None) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def feedback_of(settings: Settings, centre: str) -> list[str]:
    folder = settings.outbox / centre
    return sorted(p.name for p in folder.glob("*_feedback.xlsx")) if folder.is_dir() else []


# Where a fault is injected: the name a stage is called by, and the centre whose call raises (once).
STAGES = {
    "archiving": ("tasks.pipeline.submission:archive_copy", "HEALTH"),
    "recording in the ledger": ("tasks.storage.ledger:record_received", "HEALTH"),
    "validating": ("tasks.pipeline.submission:validate_workbook", "HEALTH"),
    "recording a rejection": ("tasks.storage.ledger:record_outcome", "HEALTH"),
    "loading": ("tasks.storage.verdicts:load_submission", "AGRO"),
    "writing the annotated copy": ("tasks.feedback:annotate_workbook", "HEALTH"),
    "writing the feedback": ("tasks.feedback:write_feedback", "AGRO"),
    "marking it answered": ("tasks.storage.ledger:mark_answered", "ELEC"),
}


@pytest.fixture
def inject(monkeypatch: pytest.MonkeyPatch) -> Callable[[str, str], list[int]]:
    """Make the named function raise the first time it is called for `centre`; returns the calls it saw."""

    def install(target: str, centre: str) -> list[int]:
        module_name, _, name = target.partition(":")
        module = importlib.import_module(module_name)
        original, raised = getattr(module, name), [0]

        def faulty(*args: Any, **kwargs: Any) -> Any:
            if not raised[0] and centre in _described(args, kwargs):
                raised[0] += 1
                raise RuntimeError(f"injected fault in {name}")
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, faulty)
        return raised

    return install


def _described(args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    """What names the file a call is about: paths, ids and the `centre` of records (not the catalogue, which
    names every centre)."""
    named = [getattr(a, "centre", a) for a in (*args, *kwargs.values())]
    return " ".join(str(a) for a in named if isinstance(a, str | Path))


@pytest.mark.parametrize("stage", list(STAGES))
def test_a_fault_at_any_stage_is_one_files_outcome_and_the_retry_converges(
    stage: str, tmp_path: Path, catalog: Catalog, read: Reader, inject: Callable[[str, str], list[int]]
) -> None:
    settings = settings_for(tmp_path / "data")
    drop_all(settings, catalog)
    target, poisoned = STAGES[stage]
    raised = inject(target, poisoned)
    first = sweep(settings, catalog, read)
    assert raised == [1], f"the fault at {stage} never fired"

    by_centre = {o.centre: o for o in first}
    assert by_centre[poisoned].status == "failed", by_centre[poisoned]
    assert "injected fault" in (by_centre[poisoned].note or "")
    for centre in set(CENTRES) - {poisoned}:
        assert by_centre[centre].status in ("accepted", "accepted_with_warnings", "rejected"), by_centre[centre]
        assert len(feedback_of(settings, centre)) == 1
    assert query(settings, "SELECT count(*) FROM submissions WHERE centre = 'ELEC' AND is_current") == [(1,)]

    second = sweep(settings, catalog, read)  # back-off 0: the failed file is due again
    settled = {o.centre: o.status for o in first + second if o.status not in ("failed", "skipped")}
    assert set(settled) == set(CENTRES)
    assert sweep(settings, catalog, read) == []  # nothing left: converged
    assert_exactly_once(settings, catalog)


def assert_exactly_once(settings: Settings, catalog: Catalog) -> None:
    """One verdict per file, no row loaded twice, every file answered, nothing left in the inbox."""
    verdicts = query(
        settings,
        "SELECT submission_id, count(*) FROM ledger WHERE event IN"
        " ('accepted', 'accepted_with_warnings', 'rejected', 'held') GROUP BY ALL",
    )
    assert len(verdicts) == len(CENTRES) and {n for _, n in verdicts} == {1}
    for sheet in catalog.sheets:
        rows = query(settings, f"SELECT count(*) - count(DISTINCT (submission_id, excel_row)) FROM {sheet}")
        assert rows == [(0,)], sheet
    assert query(settings, "SELECT count(*) FROM submissions WHERE answered_at IS NULL") == [(0,)]
    assert [p for p in settings.inbox.rglob("*") if p.is_file()] == []


def test_the_centre_is_told_at_once_with_a_reference_in_its_language(
    tmp_path: Path, catalog: Catalog, read: Reader, inject: Callable[[str, str], list[int]]
) -> None:
    settings = settings_for(tmp_path / "data")
    drop_all(settings, catalog)
    inject("tasks.storage.verdicts:load_submission", "AGRO")
    [agro] = [o for o in sweep(settings, catalog, read) if o.centre == "AGRO"]
    assert agro.status == "failed" and agro.feedback is not None and "_failed_feedback" in agro.feedback.name
    assert [p.rule for p in agro.problems] == ["pipeline.failed"]
    summary = openpyxl.load_workbook(agro.feedback).worksheets[0]
    text = " ".join(str(c.value) for row in summary.iter_rows() for c in row if c.value)
    assert agro.submission_id and agro.submission_id in text
    language = _meta_language(sample_workbook(catalog, "AGRO", "2026S1"))
    assert catalog.text("feedback.status_failed", language) in text


def _meta_language(data: bytes) -> str:
    """The language a sample workbook is written in (its _meta), as the feedback must be."""
    import io

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    meta = {row[0]: row[1] for row in book["_meta"].iter_rows(values_only=True) if row and row[0]}
    return str(meta["language"])


@pytest.fixture
def unwritable_outbox(tmp_path: Path) -> Iterator[Settings]:
    """A real folder state: AGRO's outbox is a regular file, so nothing can be written under it."""
    settings = settings_for(tmp_path / "data", max_attempts=2)
    (settings.outbox).mkdir(parents=True)
    (settings.outbox / "AGRO").write_text("not a folder")
    yield settings


def test_a_file_that_keeps_failing_is_quarantined_listed_and_released_on_request(
    unwritable_outbox: Settings, catalog: Catalog, read: Reader
) -> None:
    from tasks.storage.ledger import attention_rows, release_quarantined

    settings = unwritable_outbox
    drop_all(settings, catalog)
    first = {o.centre: o for o in sweep(settings, catalog, read)}
    assert first["AGRO"].status == "failed" and first["ELEC"].status.startswith("accepted")
    [second] = sweep(settings, catalog, read)
    assert (second.centre, second.status) == ("AGRO", "quarantined")
    assert sweep(settings, catalog, read) == []  # quarantined: not retried for ever
    [row] = attention_rows(settings.warehouse)
    assert (row["centre"], row["state"], row["attempts"]) == ("AGRO", "quarantined", 2)
    assert "NotADirectoryError" in str(row["last_error"]) or "FileExistsError" in str(row["last_error"])
    # The verdict committed before the answer failed stays: the data is loaded once.
    assert query(settings, "SELECT status, is_current FROM submissions WHERE centre = 'AGRO'") == [("accepted", True)]

    (settings.outbox / "AGRO").unlink()  # the operator repairs the outbox and releases the file
    assert release_quarantined(settings.warehouse, str(row["submission_id"]), settings.now())
    [answered] = sweep(settings, catalog, read)
    assert (answered.centre, answered.status) == ("AGRO", "accepted") and answered.feedback is not None
    assert attention_rows(settings.warehouse) == []
    verdicts = query(settings, "SELECT count(*) FROM ledger WHERE event = 'accepted' AND centre = 'AGRO'")
    assert verdicts == [(1,)]


def test_a_failed_file_waits_for_its_back_off(tmp_path: Path, catalog: Catalog, read: Reader) -> None:
    settings = settings_for(tmp_path / "data", retry_backoff_s=3600)
    (settings.outbox).mkdir(parents=True)
    (settings.outbox / "AGRO").write_text("not a folder")
    drop_all(settings, catalog)
    before = datetime.now(UTC)  # the back-off runs on the wall clock, like claims
    assert {o.status for o in sweep(settings, catalog, read) if o.centre == "AGRO"} == {"failed"}
    after = datetime.now(UTC)
    (settings.outbox / "AGRO").unlink()
    assert sweep(settings, catalog, read) == []  # not due for an hour
    [(next_at,)] = query(settings, "SELECT next_attempt_at FROM submissions WHERE centre = 'AGRO'")
    assert before + timedelta(hours=1) <= next_at <= after + timedelta(hours=1)


def _killed_reader(read: Reader, centre_file: str) -> Reader:
    """A reader whose child is killed by a signal while reading one file (as the OOM killer would)."""
    from tasks.read import FileIssue

    def reading(path: Path) -> Any:
        workbook = read(path)
        return (
            FileIssue("file.unreadable", "reader crashed (signal 9)", transient=True)
            if path.name == centre_file
            else workbook
        )

    return reading


def test_a_transient_reader_failure_never_becomes_the_verdict_of_those_bytes(
    tmp_path: Path, catalog: Catalog, read: Reader
) -> None:
    from tasks.intake.files import sha256_of

    settings = settings_for(tmp_path / "data", retry_backoff_s=3600)
    drop_all(settings, catalog)
    sha = sha256_of(settings.inbox / "AGRO" / "AGRO 2026S1.xlsx")[0]
    outcomes = sweep(settings, catalog, _killed_reader(read, f"{sha}.xlsx"))
    assert {o.centre: o.status for o in outcomes}["AGRO"] == "failed"
    assert query(settings, "SELECT status FROM submissions WHERE sha256 = ?", [sha]) == [("received",)]
    assert not query(
        settings, "SELECT 1 FROM problems p JOIN submissions s USING (submission_id) WHERE sha256 = ?", [sha]
    )
    # The centre sends the same bytes again: they are processed now, not called a duplicate of a non-verdict.
    (settings.inbox / "AGRO" / "again.xlsx").write_bytes(sample_workbook(catalog, "AGRO", "2026S1"))
    [again] = sweep(settings, catalog, read)
    assert (again.centre, again.status) == ("AGRO", "accepted") and again.feedback is not None


def test_a_warehouse_that_refuses_the_load_cannot_be_reached_by_a_file_validate_accepts(catalog: Catalog) -> None:
    """The schema bounds every stored column by what the warehouse holds: DECIMAL(18,2) money, 32-bit integers."""
    for schema in catalog.sheets.values():
        for f in schema.input_fields:
            if f.format == "money":
                assert f.maximum is not None and f.maximum <= 10**15 and f.minimum is not None, f.name
            elif f.type == "integer":
                assert f.maximum is not None and f.maximum < 2**31, f.name


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A data root on a 32 MB file system of its own, which a test can fill."""
    import subprocess

    root = tmp_path / "small"
    root.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", str(root)], check=True)
    try:
        yield root
    finally:
        subprocess.run(["umount", "-l", str(root)], check=False)


def fill(folder: Path) -> Path:
    """Write until the file system says it is full (ENOSPC), as a real full disk would."""
    ballast = folder / "ballast"
    with ballast.open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    return ballast


def test_a_full_disk_rejects_nothing_and_the_file_is_taken_once_there_is_room(
    small_disk: Path, catalog: Catalog, read: Reader
) -> None:
    settings = settings_for(small_disk / "data")
    drop_all(settings, catalog)
    ballast = fill(small_disk)
    outcomes = sweep(settings, catalog, read)
    assert outcomes and {o.status for o in outcomes} == {"failed"}, outcomes
    assert sorted(p.name for p in settings.inbox.rglob("*.xlsx")) == sorted(f"{c} 2026S1.xlsx" for c in CENTRES)
    ballast.unlink()
    statuses = {o.centre: o.status for o in sweep(settings, catalog, read)}
    assert statuses == {"AGRO": "accepted", "ELEC": "accepted", "HEALTH": "rejected"}
    assert_exactly_once(settings, catalog)


def test_validate_gives_the_sweeps_verdict_on_an_amount_the_warehouse_cannot_hold(
    tmp_path: Path, catalog: Catalog, read: Reader
) -> None:
    from tasks.pipeline.dry_run import validate_file
    from tests.validate.workbooks import rows_with, write_report

    settings = settings_for(tmp_path / "data")
    report = write_report(tmp_path, rows_with(projects={"budget_total_kzt": 12345678901234567}), name="big.xlsx")
    dry = validate_file(report, settings, catalog, centre="AGRO")
    (settings.inbox / "AGRO").mkdir(parents=True)
    (settings.inbox / "AGRO" / "big.xlsx").write_bytes(report.read_bytes())
    [swept] = sweep(settings, catalog, read)
    assert dry.status == swept.status == "rejected"
    assert {p.rule for p in dry.problems} == {p.rule for p in swept.problems} >= {"cell.range"}
