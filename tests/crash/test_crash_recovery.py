"""SIGKILL a sweep at each stage, sweep again, and find exactly the state of an uninterrupted run."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from council.catalog import Catalog
from tasks.intake.files import sha256_of
from tasks.pipeline.submission import Reader
from tasks.pipeline.sweep import sweep
from tests.crash.harness import data_state, drop_samples, run_kill_at, settings_for, uninterrupted_state

# AGRO is swept first (clean, feedback only), then HEALTH (rejected: annotated copy, then feedback).
TWO = (("AGRO", "2026S1"), ("HEALTH", "2026S1"))
CRASH_POINTS = {
    "after archiving": ("tasks.intake.files:archive_copy", "return", 1),
    "after recording": ("tasks.storage.ledger:record_received", "return", 1),
    "during validation": ("tasks.validate.content:validate_sheet", "call", 2),
    "inside the load transaction": ("tasks.storage.warehouse:_insert_frame", "call", 2),
    "writing feedback, half a zip": ("zipfile:ZipFile.writestr", "call", 5),
    "before the inbox copy moves": ("tasks.intake.files:move_to_processed", "call", 1),
    "writing the annotated copy": ("tasks.feedback.annotate:annotate_workbook", "call", 1),
    "load committed, nothing answered yet": ("tasks.storage.warehouse:load_submission", "return", 1),
}


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog, read: Reader) -> dict[str, object]:
    return uninterrupted_state(tmp_path_factory.mktemp("baseline") / "data", catalog, read, TWO)


@pytest.mark.parametrize("point", list(CRASH_POINTS))
def test_a_sweep_killed_anywhere_converges_on_the_next_sweep(
    point: str, tmp_path: Path, catalog: Catalog, read: Reader, uninterrupted: dict[str, object]
) -> None:
    settings = settings_for(tmp_path / "data")
    drop_samples(settings, catalog, TWO)
    dropped = {sha256_of(p)[0] for p in settings.inbox.rglob("*.xlsx")}
    assert run_kill_at(settings, *CRASH_POINTS[point]) == -9, f"the sweep never reached {point}"
    sweep(settings, catalog, read)
    state = data_state(settings, catalog)
    assert state == uninterrupted
    assert {name.rsplit("/", 1)[1].split(".")[0] for name in state["archive"]} == dropped
    assert state["inbox"] == []
    for name in state["outbox"]:
        openpyxl.load_workbook(settings.outbox / name, read_only=True).close()


def test_a_second_sweep_after_recovery_changes_nothing(tmp_path: Path, catalog: Catalog, read: Reader) -> None:
    settings = settings_for(tmp_path / "data")
    drop_samples(settings, catalog, TWO)
    assert run_kill_at(settings, *CRASH_POINTS["inside the load transaction"]) == -9
    sweep(settings, catalog, read)
    before = data_state(settings, catalog)
    assert sweep(settings, catalog, read) == []
    assert data_state(settings, catalog) == before
