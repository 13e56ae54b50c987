"""One sweep with a stopwatch on each stage, by calling the stage functions of tasks/submission.py directly."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypeVar

from council.catalog import Catalog
from council.settings import Settings
from tasks.intake.files import InboxFile, move_to_processed
from tasks.pipeline.submission import Outcome, Reader, answer, decide, take
from tasks.pipeline.sweep import inbox_files
from tasks.read import FileIssue
from tasks.storage import ledger
from tasks.storage.warehouse import accepted_sheets, ensure_schema
from tasks.validate import file_issue_result, validate_workbook

T = TypeVar("T")
STAGES = ("list", "take", "ledger", "read", "validate", "decide+load", "feedback", "move")


@dataclass
class Stopwatch:
    """Seconds spent per stage, summed over every file of the sweep."""

    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - start

    def run(self, name: str, call: Callable[[], T]) -> T:
        with self.stage(name):
            return call()


def timed_file(file: InboxFile, settings: Settings, catalog: Catalog, read: Reader, watch: Stopwatch) -> Outcome:
    """`tasks.pipeline.submission.process_file` step by step, with `judge` split into its read and its validation."""
    ensure_schema(settings.warehouse, catalog)
    received = watch.run("take", lambda: take(file, settings, catalog))
    assert received is not None, f"{file.path} changed while benchmarked"
    watch.run("ledger", lambda: ledger.record_received(settings.warehouse, received))
    workbook = watch.run("read", lambda: read(Path(received.archive_path)))
    with watch.stage("validate"):
        if isinstance(workbook, FileIssue):
            result = file_issue_result(workbook, catalog)
        else:
            history = partial(accepted_sheets, settings.warehouse, catalog)
            result = validate_workbook(
                workbook, catalog, folder_centre=received.centre, now=settings.now(), history=history
            )
    outcome = watch.run("decide+load", lambda: decide(received, result, settings, catalog))
    outcome = watch.run("feedback", lambda: answer(outcome, received, result, settings, catalog))
    watch.run("move", lambda: move_to_processed(file.path, settings.processed, file.centre, received.received_at))
    return outcome


def timed_sweep(settings: Settings, catalog: Catalog, read: Reader) -> tuple[list[Outcome], Stopwatch]:
    """Every settled inbox file through the timed path; no pending work exists in a fresh data folder."""
    watch = Stopwatch()
    files = watch.run("list", lambda: inbox_files(settings, catalog))
    return [timed_file(f, settings, catalog, read, watch) for f in files], watch
