"""The archive plus the journal rebuild the ledger and the warehouse: the same pack comes out again."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, time, timedelta
from pathlib import Path

import duckdb
import openpyxl
import pytest

from council.catalog import Catalog
from council.settings import Settings
from council_cli.main import main
from tasks.pipeline.build_pack import build_pack, resolve_meeting
from tasks.pipeline.rebuild import rebuild
from tasks.pipeline.submission import Reader
from tasks.pipeline.sweep import sweep
from tasks.samples import write_corrected, write_samples
from tasks.samples.files import corrected_resubmission, drop_file, sample_workbook
from tasks.storage.journal import JOURNAL_NAME, append_line, journal_dir, read_journal
from tasks.storage.ledger import record_unlock
from tasks.storage.replay import committed_events

PERIODS = ("2025S2", "2026S1")  # 2026S1's pack compares with the half-year before
MEETING = "TPC-2026-09"
LEDGER = "SELECT event_at, event, centre, period, file_name, sha256, size_bytes, submission_id, detail FROM ledger"
SUBMISSIONS = """SELECT submission_id, centre, period, sha256, file_name, size_bytes, received_at, status, is_current,
                        superseded_by, on_time, errors, warnings, estimated_values, processed_at, answered_at IS NULL
                 FROM submissions ORDER BY submission_id"""


def _at(settings: Settings, moment: datetime) -> Settings:
    return dataclasses.replace(settings, now_override=moment.isoformat(), settle_seconds=0)


def _day(catalog: Catalog, period: str, days_after_due: int) -> datetime:
    return datetime.combine(catalog.periods[period].due_date, time(9)) + timedelta(days=days_after_due)


def _demo(settings: Settings, catalog: Catalog, read: Reader) -> None:
    """`make demo`'s story, shortened: two half-years with corrections, a pack, a held correction, an unlock."""
    for period in PERIODS:
        write_samples(catalog, settings.inbox, [period])
        outcomes = sweep(_at(settings, _day(catalog, period, -3)), catalog, read)
        for centre in sorted({o.centre for o in outcomes if o.status == "rejected"}):
            write_corrected(catalog, settings.inbox, centre, period)
        sweep(_at(settings, _day(catalog, period, 20)), catalog, read)
    pack_id, period = resolve_meeting(catalog, MEETING, None)
    build_pack(_at(settings, _day(catalog, period, 21)), catalog, pack_id, period)
    drop_file(settings.inbox / "AGRO" / "late correction.xlsx", corrected_resubmission(catalog, "AGRO", period, 8))
    assert [o.status for o in sweep(_at(settings, _day(catalog, period, 22)), catalog, read)] == ["held"]
    record_unlock(settings.warehouse, "AGRO", period, "late correction approved", _day(catalog, period, 23))
    released = sweep(_at(settings, _day(catalog, period, 24)), catalog, read)
    assert [o.status for o in released] in (["accepted"], ["accepted_with_warnings"])


def _rows(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def _state(settings: Settings, catalog: Catalog) -> dict[str, list[tuple]]:
    """Everything the warehouse knows, in values that do not depend on row ids."""
    tables = {name: f"SELECT * FROM {name} ORDER BY ALL" for name in catalog.sheets}
    return {
        "ledger": _rows(settings.warehouse, LEDGER + " ORDER BY event_id"),
        "submissions": _rows(settings.warehouse, SUBMISSIONS),
        "problems": _rows(settings.warehouse, "SELECT * FROM problems ORDER BY ALL"),
        "locks": _rows(settings.warehouse, "SELECT * FROM period_locks ORDER BY ALL"),
        "unlocks": _rows(settings.warehouse, "SELECT * FROM unlocks ORDER BY ALL"),
    } | {name: _rows(settings.warehouse, sql) for name, sql in tables.items()}


def _pack_figures(folder: Path) -> dict[str, object]:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    workbook = openpyxl.load_workbook(folder / "pack.xlsx", read_only=True)
    data = [row for row in workbook["data"].iter_rows(values_only=True)]
    workbook.close()
    keep = ("inputs", "comparison_inputs", "headline", "completeness", "period", "built_at")
    return {key: manifest[key] for key in keep} | {"data": data}


def test_after_the_warehouse_is_lost_rebuild_gives_the_same_pack(
    tmp_path: Path, catalog: Catalog, read: Reader, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    settings = Settings(data_dir=tmp_path / "data", settle_seconds=0)
    _demo(settings, catalog, read)
    pack_id, period = resolve_meeting(catalog, MEETING, None)
    official = _at(settings, _day(catalog, period, 25))
    before = _pack_figures(build_pack(official, catalog, pack_id, period))
    state = _state(settings, catalog)
    assert {"held", "unlocked", "released", "period_locked", "rejected"} <= {row[1] for row in state["ledger"]}
    assert before["inputs"] and len(before["data"]) > 1 and state["kpi"]  # the comparison compares something
    settings.warehouse.unlink()

    monkeypatch.setenv("COUNCIL_DATA_DIR", str(settings.data_dir))
    assert main(["rebuild"]) == 0
    output = capsys.readouterr().out
    assert f"{len(state['ledger'])} event(s) replayed" in output and "not re-enacted" not in output
    assert _state(settings, catalog) == state
    assert _pack_figures(build_pack(official, catalog, pack_id, period)) == before
    assert list((settings.inbox / "AGRO").iterdir()) == []


def test_the_ledger_writes_the_journal_rebuild_reads(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    assert journal_dir(settings.warehouse) == settings.journal  # derived from the warehouse path, for now
    assert journal_dir(tmp_path / "own.duckdb") == tmp_path / "own.journal"  # never outside the file's folder


def test_a_torn_last_line_is_ignored_and_the_next_line_starts_afresh(tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    append_line(folder, json.dumps({"event": "received", "submission_id": "AGRO-1"}))
    with (folder / JOURNAL_NAME).open("ab") as journal:
        journal.write(b'{"event": "accepted", "submission_id": "AG')  # power cut in the middle of a write
    assert [e["event"] for e in read_journal(folder).events] == ["received"]
    append_line(folder, json.dumps({"event": "retry", "submission_id": "AGRO-1"}))
    found = read_journal(folder)
    assert ([e["event"] for e in found.events], found.unreadable) == (["received", "retry"], [2])


def test_lines_of_transactions_that_never_committed_are_left_out() -> None:
    def line(event: str, sid: str) -> dict[str, str]:
        return {"event": event, "submission_id": sid}

    events = [
        line("received", "A"),
        line("accepted", "A"),  # its load rolled back: the retry decided again
        line("retry", "A"),
        line("accepted", "A"),
        line("received", "B"),  # its transaction rolled back: the file was taken again
        line("received", "B"),
        line("held", "B"),
        line("released", "B"),
        line("accepted", "B"),  # a second verdict after a release is the normal path
    ]
    kept, dropped = committed_events(events)
    assert dropped == [events[1], events[4]]
    assert kept == [e for i, e in enumerate(events) if i not in (1, 4)]


def test_rebuild_says_clearly_when_there_is_no_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("COUNCIL_DATA_DIR", str(tmp_path / "data"))
    assert main(["rebuild"]) == 2
    assert "does not exist: there is nothing to rebuild from" in capsys.readouterr().err
    (tmp_path / "data" / "journal").mkdir(parents=True)
    (tmp_path / "data" / "journal" / JOURNAL_NAME).write_bytes(b"")
    assert main(["rebuild", "--force"]) == 2
    assert "is empty: there is nothing to rebuild from" in capsys.readouterr().err
    assert not (tmp_path / "data" / "warehouse").exists()


def test_rebuild_refuses_to_replace_a_warehouse_unless_forced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    append_line(settings.journal, json.dumps({"event_at": "2026-07-20T09:00:00+00:00", "event": "unlocked"}))
    settings.warehouse.parent.mkdir(parents=True)
    settings.warehouse.write_bytes(b"the analysts' only copy")
    monkeypatch.setenv("COUNCIL_DATA_DIR", str(settings.data_dir))
    assert main(["rebuild"]) == 2
    assert "--force moves it aside" in capsys.readouterr().err
    assert settings.warehouse.read_bytes() == b"the analysts' only copy"


def test_a_verdict_today_s_rules_would_not_give_is_reported_and_the_journal_s_kept_where_it_can_be(
    tmp_path: Path, catalog: Catalog, read: Reader
) -> None:
    settings = Settings(data_dir=tmp_path / "data", settle_seconds=0, now_override="2026-07-20T09:00:00+00:00")
    for centre in ("AGRO", "HEALTH"):  # accepted, and rejected for a funding mismatch and a wrong unit
        drop_file(settings.inbox / centre / f"{centre}.xlsx", sample_workbook(catalog, centre, "2026S1"))
    assert [o.status for o in sweep(settings, catalog, read)] == ["accepted", "rejected"]
    # As if the rules had changed since: the journal remembers other verdicts than today's rules give.
    path = settings.journal / JOURNAL_NAME
    text = path.read_text(encoding="utf-8")
    text = text.replace('"event":"accepted"', '"event":"accepted_with_warnings"')
    path.write_text(text.replace('"event":"rejected"', '"event":"accepted"'), encoding="utf-8")

    report = rebuild(settings, catalog, read, force=True)

    assert [note.split(" ", 1)[0].split("-")[0] for note in report.notes] == ["AGRO", "HEALTH"]
    assert "journal accepted, judged today rejected, kept rejected" in report.notes[1]
    statuses = _rows(settings.warehouse, "SELECT centre, status FROM submissions ORDER BY centre")
    assert statuses == [("AGRO", "accepted_with_warnings"), ("HEALTH", "rejected")]
