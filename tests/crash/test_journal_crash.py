"""A sweep killed between a verdict's journal line and its commit: the journal survives, rebuild agrees."""

from __future__ import annotations

from pathlib import Path

import duckdb

from council.catalog import Catalog
from council.settings import Settings
from tasks.pipeline.rebuild import rebuild
from tasks.pipeline.submission import Reader
from tasks.pipeline.sweep import sweep
from tasks.storage.journal import JOURNAL_NAME, read_journal
from tests.crash.harness import drop_samples, run_kill_at, settings_for, warehouse_state

TWO = (("AGRO", "2026S1"), ("HEALTH", "2026S1"))  # AGRO is accepted first, then HEALTH is rejected


def _everything(settings: Settings, catalog: Catalog) -> dict[str, object]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        ledger = con.execute("SELECT * EXCLUDE (event_id) FROM ledger ORDER BY event_id").fetchall()
    return warehouse_state(settings, catalog) | {"ledger": ledger}


def test_a_line_whose_transaction_never_committed_and_a_torn_line_do_not_change_the_rebuild(
    tmp_path: Path, catalog: Catalog, read: Reader
) -> None:
    settings = settings_for(tmp_path / "data")
    drop_samples(settings, catalog, TWO)
    # The 2nd line is AGRO's verdict, written inside the load transaction that the kill then loses.
    assert run_kill_at(settings, "tasks.storage.journal:append_event", "return", 2) == -9
    last = read_journal(settings.journal).events[-1]
    assert (last["event"], last["centre"]) == ("accepted", "AGRO")
    with (settings.journal / JOURNAL_NAME).open("ab") as journal:
        journal.write(b'{"event_at":"2026-07-20T09:00:00+00:00","event":"rec')  # and a write cut short
    sweep(settings, catalog, read)  # recovery: AGRO retried and loaded, HEALTH taken
    recovered = _everything(settings, catalog)

    report = rebuild(settings, catalog, read, force=True)

    assert (report.rolled_back, report.unreadable_lines, report.notes) == (1, [3], [])
    assert _everything(settings, catalog) == recovered
    [backup] = report.moved_aside  # the old warehouse is kept, whole
    with duckdb.connect(str(backup), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM submissions").fetchall() == [(2,)]
