"""One sweep of every drop folder, as plain functions (the Prefect flow wires the same steps)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

from council.catalog import Catalog
from council.settings import Settings
from tasks.intake import ledger
from tasks.intake.files import InboxFile, ensure_drop_folders, settled_files
from tasks.load.warehouse import ensure_schema
from tasks.read import IsolatedReader, ReadLimits
from tasks.submission import Outcome, Reader, process_file, process_received


def read_limits(settings: Settings) -> ReadLimits:
    return ReadLimits(
        max_bytes=int(settings.max_file_mb * 2**20),
        max_uncompressed_bytes=int(settings.max_unpacked_mb * 2**20),
        max_rows=settings.max_rows,
        max_columns=settings.max_columns,
        timeout_s=settings.read_timeout_s,
        memory_mb=settings.read_memory_mb,
    )


@contextmanager
def open_reader(settings: Settings) -> Iterator[Reader]:
    """A warm isolated reader for a whole sweep, closed (child stopped) at the end."""
    limits = read_limits(settings)
    with IsolatedReader(limits.memory_mb) as reader:
        yield partial(reader.read, limits=limits)


def pending_submissions(settings: Settings, catalog: Catalog) -> list[ledger.Received]:
    """Work left by a dead or stale sweep, and held submissions whose period was unlocked; all claimed by us."""
    ensure_schema(settings.warehouse, catalog)
    at = settings.now()
    return ledger.unfinished_submissions(settings.warehouse, at) + ledger.releasable_submissions(settings.warehouse, at)


def inbox_files(settings: Settings, catalog: Catalog, centre: str | None = None) -> list[InboxFile]:
    """Settled files in the drop folders (one centre's, or all registered centres')."""
    centres = [centre] if centre else list(catalog.centres)
    ensure_drop_folders(settings.inbox, list(catalog.centres))
    return settled_files(settings.inbox, centres, settings.settle_seconds, time.time())


def sweep(settings: Settings, catalog: Catalog, read: Reader, centre: str | None = None) -> list[Outcome]:
    """Finish pending work, then take every settled file, oldest folder order first."""
    outcomes = [process_received(r, settings, catalog, read) for r in pending_submissions(settings, catalog)]
    return outcomes + [process_file(f, settings, catalog, read) for f in inbox_files(settings, catalog, centre)]


def parallel_sweep(settings: Settings, catalog: Catalog, centre: str | None = None) -> list[Outcome]:
    """The same sweep with centres spread over worker processes (`Settings.workers`); outcomes by centre."""
    from tasks.parallel import plan_batches, run_batches

    batches = plan_batches(pending_submissions(settings, catalog), inbox_files(settings, catalog, centre))
    return sorted(run_batches(settings, catalog, batches), key=lambda o: o.centre)  # stable: files stay in order
