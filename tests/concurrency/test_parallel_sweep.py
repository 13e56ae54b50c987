"""Centres in worker processes: the same result as one sweep after another, each centre's files in order."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

from council.catalog import Catalog
from tasks.intake.files import InboxFile
from tasks.pipeline.submission import Reader
from tasks.pipeline.sweep import inbox_files, parallel_sweep, pending_submissions
from tasks.pipeline.workers import MIN_FILES_FOR_WORKERS, Batch, batch_runner, plan_batches, worker_count
from tasks.storage.ledger import Received
from tests.crash.harness import data_state, drop_samples, settings_for, uninterrupted_state

# Two periods of AGRO: the second is checked for plausibility against the first, so their order matters.
SAMPLES = (("AGRO", "2025S2"), ("AGRO", "2026S1"), ("ENERGY", "2026S1"), ("HEALTH", "2026S1"))


def _file(centre: str, name: str, size: int) -> InboxFile:
    return InboxFile(centre, Path(f"/inbox/{centre}/{name}"), size, 0.0)


def _received(centre: str, size: int) -> Received:
    return Received(centre, "old.xlsx", "0" * 64, size, "/archive/x", datetime(2026, 7, 1, tzinfo=UTC))


def test_a_batch_is_one_centre_with_its_resumed_work_first_and_its_files_in_order() -> None:
    files = [_file("AGRO", "a.xlsx", 10), _file("ENERGY", "e.xlsx", 500), _file("AGRO", "b.xlsx", 20)]
    batches = plan_batches([_received("AGRO", 5)], files)
    assert [b.centre for b in batches] == ["ENERGY", "AGRO"]  # the biggest batch is handed out first
    agro = batches[1]
    assert [f.path.name for f in agro.files] == ["a.xlsx", "b.xlsx"]
    assert [r.file_name for r in agro.pending] == ["old.xlsx"]
    assert agro.size_bytes == 35


def _batches(centres: int, files_each: int) -> list[Batch]:
    return [Batch(f"C{c}", files=[_file(f"C{c}", f"{n}.xlsx", 1) for n in range(files_each)]) for c in range(centres)]


def test_no_more_workers_than_centres_with_work_or_than_configured(tmp_path: Path) -> None:
    settings = dataclasses.replace(settings_for(tmp_path), workers=2)
    enough = MIN_FILES_FOR_WORKERS
    assert worker_count(settings, _batches(8, enough)) == 2
    assert worker_count(settings, _batches(1, enough)) == 1
    assert worker_count(dataclasses.replace(settings, workers=1), _batches(8, enough)) == 1
    assert worker_count(dataclasses.replace(settings, workers=3), _batches(8, enough)) == 3
    assert worker_count(settings, []) == 1


def test_a_few_files_are_done_in_process_without_a_pool(tmp_path: Path) -> None:
    settings = dataclasses.replace(settings_for(tmp_path), workers=2)
    assert worker_count(settings, _batches(2, MIN_FILES_FOR_WORKERS // 2 - 1)) == 1


def test_a_parallel_sweep_leaves_exactly_the_state_of_an_ordinary_sweep(
    tmp_path: Path, catalog: Catalog, read: Reader
) -> None:
    expected = uninterrupted_state(tmp_path / "ordinary", catalog, read, SAMPLES)
    settings = dataclasses.replace(settings_for(tmp_path / "parallel"), workers=2)
    drop_samples(settings, catalog, SAMPLES)
    batches = plan_batches(pending_submissions(settings, catalog), inbox_files(settings, catalog))
    # Four files are below the pool's threshold; the test wants the pool, so it asks for it directly.
    with batch_runner(settings, catalog, batches, workers=2) as (run, parallel):
        assert parallel
        outcomes = [o for b in batches for o in run(b)]
    assert data_state(settings, catalog) == expected
    assert sorted(o.centre for o in outcomes) == ["AGRO", "AGRO", "ENERGY", "HEALTH"]
    assert [o.period for o in outcomes if o.centre == "AGRO"] == ["2025S2", "2026S1"]


def test_council_ingest_sweeps_few_files_in_process(tmp_path: Path, catalog: Catalog) -> None:
    settings = dataclasses.replace(settings_for(tmp_path), workers=2)
    drop_samples(settings, catalog, SAMPLES)
    outcomes = parallel_sweep(settings, catalog)
    assert [(o.centre, o.period) for o in outcomes] == [
        ("AGRO", "2025S2"),
        ("AGRO", "2026S1"),
        ("ENERGY", "2026S1"),
        ("HEALTH", "2026S1"),
    ]
