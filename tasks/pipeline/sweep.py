"""One sweep of every drop folder, as plain functions (the Prefect flow wires the same steps)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from council.catalog import Catalog
from council.settings import Settings
from tasks.intake.files import InboxFile
from tasks.intake.hold import tend
from tasks.intake.inbox import InboxListing, Waiting, list_inbox
from tasks.pipeline.submission import Outcome, Reader
from tasks.pipeline.workers import open_reader, plan_batches, read_limits, run_batches
from tasks.storage import ledger
from tasks.storage.db import WarehouseUnreadable
from tasks.storage.warehouse import ensure_schema

__all__ = ["SweepReport", "open_reader", "parallel_report", "read_limits", "sweep", "sweep_report"]

log = logging.getLogger("council.sweep")


@dataclass(frozen=True)
class SweepReport:
    """What a sweep did with each file it took, and what it left waiting, with the reason."""

    outcomes: list[Outcome] = field(default_factory=list)
    waiting: list[Waiting] = field(default_factory=list)


def pending_submissions(settings: Settings, catalog: Catalog) -> list[ledger.Received]:
    """Work left by a dead or stale sweep, failed work due for another try, and held submissions whose period
    was unlocked; all claimed by us."""
    ensure_schema(settings.warehouse, catalog)
    at, timeout = settings.now(), settings.claim_timeout_s
    unfinished = ledger.unfinished_submissions(settings.warehouse, at, claim_timeout_s=timeout)
    return unfinished + ledger.releasable_submissions(settings.warehouse, at)


def resumable(settings: Settings, catalog: Catalog) -> tuple[list[ledger.Received], list[Waiting]]:
    """`pending_submissions`, or none and why: a full disk or a lock held too long must not stop the sweep
    (each file then fails on its own and stays for a later sweep). A damaged warehouse does stop it: no file
    can be answered until an operator acts, and the message says how."""
    try:
        return pending_submissions(settings, catalog), []
    except WarehouseUnreadable:
        raise
    except Exception as error:
        log.error("unfinished work could not be read from the ledger: %s", error, exc_info=error)
        return [], [Waiting(None, "", f"unfinished work could not be read from the ledger this time: {error}")]


def inbox_listing(settings: Settings, catalog: Catalog, centre: str | None = None) -> InboxListing:
    """Settled files in the drop folders (one centre's, or all), and what waits there with its reason.

    The hold is tended first: a file that grew after it was taken, or that a dead sweep took, is back
    in its drop folder in time for this listing.
    """
    centres = [centre] if centre else list(catalog.centres)
    held = tend(settings.taken, settings.inbox, centres, settings.settle_seconds, settings.hold_taken_s)
    listing = list_inbox(settings.inbox, centres, settings.settle_seconds, time.time(), everything=centre is None)
    return InboxListing(listing.files, held + listing.waiting)


def inbox_files(settings: Settings, catalog: Catalog, centre: str | None = None) -> list[InboxFile]:
    """Only the settled files of `inbox_listing`."""
    return inbox_listing(settings, catalog, centre).files


def sweep_report(settings: Settings, catalog: Catalog, read: Reader, centre: str | None = None) -> SweepReport:
    """The sweep, every centre one after the other on the reader given."""
    return _swept(settings, catalog, centre, read)


def sweep(settings: Settings, catalog: Catalog, read: Reader, centre: str | None = None) -> list[Outcome]:
    """The outcomes of `sweep_report`."""
    return sweep_report(settings, catalog, read, centre).outcomes


def parallel_report(settings: Settings, catalog: Catalog, centre: str | None = None) -> SweepReport:
    """The sweep with centres spread over worker processes where it pays (`Settings.workers`)."""
    return _swept(settings, catalog, centre, None)


def _swept(settings: Settings, catalog: Catalog, centre: str | None, read: Reader | None) -> SweepReport:
    """The one sweep loop: finish pending work and take every settled file, a centre's files in their order,
    centres one after the other on `read` or side by side in worker processes; outcomes by centre."""
    pending, trouble = resumable(settings, catalog)
    listing = inbox_listing(settings, catalog, centre)
    if read is not None:  # one after the other: centres in the order their work was found
        outcomes = run_batches(settings, catalog, plan_batches(pending, listing.files, largest_first=False), read=read)
        return SweepReport(outcomes, trouble + listing.waiting)
    outcomes = run_batches(settings, catalog, plan_batches(pending, listing.files))
    # sorted is stable: a centre's files stay in their order
    return SweepReport(sorted(outcomes, key=lambda o: o.centre), trouble + listing.waiting)


def parallel_sweep(settings: Settings, catalog: Catalog, centre: str | None = None) -> list[Outcome]:
    """The outcomes of `parallel_report`."""
    return parallel_report(settings, catalog, centre).outcomes
