"""Centres in parallel, each centre's files in order: one sweep's work split over worker processes.

Validation is CPU-bound Python (pandas + Great Expectations' bookkeeping), so threads do not help
and processes do. A centre is the unit of work because its files must be decided in the order they
arrived: a later file for a period supersedes an earlier one. Each worker keeps one warm isolated
reader and pays the Great Expectations import once for the whole sweep, not once per file.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial

from council.catalog import Catalog
from council.problems import Status
from council.settings import Settings
from tasks.intake.files import InboxFile, display_name
from tasks.pipeline.submission import Outcome, Reader, process_file, process_received
from tasks.read import IsolatedReader, ReadLimits
from tasks.storage.ledger import Received


@dataclass(frozen=True)
class Batch:
    """One centre's share of a sweep: work resumed from the ledger first, then its settled files, oldest first."""

    centre: str
    pending: list[Received] = field(default_factory=list)
    files: list[InboxFile] = field(default_factory=list)

    @property
    def size_bytes(self) -> int:
        return sum(r.size_bytes for r in self.pending) + sum(f.size for f in self.files)


def plan_batches(pending: list[Received], files: list[InboxFile], largest_first: bool = True) -> list[Batch]:
    """One batch per centre, largest first: handing out big batches first keeps both cores busy to the end.

    Without `largest_first`, centres keep the order their work was found in (one reader, nothing to balance).
    """
    centres = list(dict.fromkeys([r.centre for r in pending] + [f.centre for f in files]))
    batches = [Batch(c, [r for r in pending if r.centre == c], [f for f in files if f.centre == c]) for c in centres]
    return sorted(batches, key=lambda b: b.size_bytes, reverse=True) if largest_first else batches


def read_limits(settings: Settings) -> ReadLimits:
    return ReadLimits.from_settings(settings)


@contextmanager
def open_reader(settings: Settings) -> Iterator[Reader]:
    """A warm isolated reader for a whole sweep, closed (child stopped) at the end."""
    limits = read_limits(settings)
    with IsolatedReader(limits.memory_mb) as reader:
        yield partial(reader.read, limits=limits)


def run_batch(batch: Batch, settings: Settings, catalog: Catalog, read: Reader) -> list[Outcome]:
    """A centre's resumed submissions, then its files, one after the other."""
    outcomes = [process_received(r, settings, catalog, read) for r in batch.pending]
    return outcomes + [process_file(f, settings, catalog, read) for f in batch.files]


# Below this many files a pool costs more than it saves: each worker is a fresh interpreter that
# imports pandas and DuckDB (~2 s), and workers share one DuckDB file lock. Measured on 2 cores:
# 8 typical workbooks take the same time either way; 100 sample workbooks go 1.3x faster in two workers.
MIN_FILES_FOR_WORKERS = 12


def worker_count(settings: Settings, batches: list[Batch]) -> int:
    """Never more workers than centres with work, nor than the configured (or available) cores; none for a few files."""
    if sum(len(b.pending) + len(b.files) for b in batches) < MIN_FILES_FOR_WORKERS:
        return 1
    wanted = settings.workers or os.cpu_count() or 1
    return max(1, min(wanted, len(batches)))


RunBatch = Callable[[Batch], list[Outcome]]


@contextmanager
def batch_runner(
    settings: Settings, catalog: Catalog, batches: list[Batch], workers: int | None = None, read: Reader | None = None
) -> Iterator[tuple[RunBatch, bool]]:
    """A function running one batch, and whether calls may overlap (True: it hands batches to worker processes).

    With one worker (one centre with work, or a few files) batches run here, one after the other, on one
    warm reader: a pool would only add its start-up. `workers` overrides the choice; a `read` given means
    here, on that reader.
    """
    if read is not None:
        yield partial(run_batch, settings=settings, catalog=catalog, read=read), False
        return
    workers = worker_count(settings, batches) if workers is None else workers
    if workers == 1:
        with open_reader(settings) as read:
            yield partial(run_batch, settings=settings, catalog=catalog, read=read), False
        return
    # spawn, not fork: the caller may be a Prefect flow with threads running, and a forked copy of
    # a threaded process can deadlock on a lock held by a thread that does not exist in the copy.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=start_worker, initargs=(settings,)) as pool:

        def in_worker(batch: Batch) -> list[Outcome]:
            future: Future[list[Outcome]] = pool.submit(run_in_worker, batch, settings, catalog)
            try:
                return future.result()
            except Exception as error:  # a worker died (killed, out of memory): this centre's files, not the sweep
                return worker_lost(batch, error)

        yield in_worker, True


def run_batches(
    settings: Settings, catalog: Catalog, batches: list[Batch], read: Reader | None = None
) -> list[Outcome]:
    """Every batch, in parallel where it pays (here on `read` when given); outcomes in batch order."""
    with batch_runner(settings, catalog, batches, read=read) as (run, parallel):
        if not parallel:
            return [o for b in batches for o in run(b)]
        from concurrent.futures import ThreadPoolExecutor

        # Threads only wait on the worker processes; they let results come back as each batch ends.
        with ThreadPoolExecutor(len(batches)) as waiting:
            done = list(waiting.map(run, batches))
    return [o for outcomes in done for o in outcomes]


def worker_lost(batch: Batch, error: BaseException) -> list[Outcome]:
    """A batch whose worker process died: every file in it failed this time. Nothing is lost: taken files wait
    in the hold and claimed submissions in the ledger, both owned by a dead process, for the next sweep."""
    note = f"the worker process handling {batch.centre} stopped ({type(error).__name__}: {error}); tried again"
    outcomes = [Outcome(r.centre, r.file_name, Status.FAILED, r.submission_id, note=note) for r in batch.pending]
    return outcomes + [Outcome(f.centre, display_name(f.path.name), Status.FAILED, note=note) for f in batch.files]


_READER: Reader | None = None


def start_worker(settings: Settings) -> None:
    """Once per worker process: a warm isolated reader, stopped when the worker exits."""
    global _READER
    limits = ReadLimits.from_settings(settings)
    reader = IsolatedReader(limits.memory_mb)
    atexit.register(reader.close)
    _READER = partial(reader.read, limits=limits)


def run_in_worker(batch: Batch, settings: Settings, catalog: Catalog) -> list[Outcome]:
    assert _READER is not None, "worker started without its reader"
    return run_batch(batch, settings, catalog, _READER)
