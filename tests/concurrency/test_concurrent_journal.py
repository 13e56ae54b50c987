"""Two sweeps at once write one journal: every line whole, in an order that rebuilds the same warehouse."""

from __future__ import annotations

from pathlib import Path

import duckdb

from council.catalog import Catalog
from council.settings import Settings
from tasks.pipeline.rebuild import rebuild
from tasks.pipeline.submission import Reader
from tasks.storage.journal import read_journal
from tests.concurrency.test_concurrent_sweeps import FOUR, start_together
from tests.crash.harness import drop_samples, settings_for, warehouse_state


def _with_ledger(settings: Settings, catalog: Catalog) -> dict[str, object]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        ledger = con.execute("SELECT * EXCLUDE (event_id) FROM ledger ORDER BY event_id").fetchall()
    return warehouse_state(settings, catalog) | {"ledger": ledger}


def test_the_journal_of_two_sweeps_at_once_rebuilds_their_warehouse(
    tmp_path: Path, catalog: Catalog, read: Reader
) -> None:
    settings = settings_for(tmp_path / "data")
    drop_samples(settings, catalog, FOUR)
    start_together(settings, tmp_path / "gate", {"first": "sweep", "second": "sweep"})
    swept = _with_ledger(settings, catalog)
    journal = read_journal(settings.journal)
    assert journal.unreadable == [] and len(journal.events) == len(swept["ledger"])

    report = rebuild(settings, catalog, read, force=True)

    assert (report.rolled_back, report.notes) == (0, [])
    assert _with_ledger(settings, catalog) == swept
