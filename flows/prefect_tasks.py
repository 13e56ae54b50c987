"""Thin Prefect `@task` wrappers over the pure stage functions; the flows use it.

Every task here has side effects on files or the warehouse, so none is cached (a cached
"load" that silently did not run would lose a submission).
"""

from __future__ import annotations

from pathlib import Path

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from council.catalog import Catalog
from council.escape import printable
from council.problems import NOT_PROCESSED
from council.settings import Settings
from flows import artifacts
from tasks.intake.inbox import InboxListing, Waiting
from tasks.pipeline import build_pack, submission, sweep
from tasks.pipeline import workers as parallel
from tasks.storage.ledger import Received


@task(cache_policy=NO_CACHE)
def find_pending(settings: Settings, catalog: Catalog) -> list[Received]:
    pending, trouble = sweep.resumable(settings, catalog)
    for w in trouble:
        get_run_logger().error("%s", w.reason)
    return pending


@task(cache_policy=NO_CACHE, task_run_name="centre-{batch.centre}")
def handle_batch(batch: parallel.Batch, run: parallel.RunBatch) -> list[submission.Outcome]:
    """One centre's files, in order, here on the sweep's one warm reader."""
    return _logged(run(batch))


@task(cache_policy=NO_CACHE, task_run_name="centre-{batch.centre}")
def handle_batch_in_worker(batch: parallel.Batch, settings: Settings, catalog: Catalog) -> list[submission.Outcome]:
    """One centre's files, in order, in a worker process of the sweep's ProcessPoolTaskRunner, on the warm
    reader that worker started once (`parallel.start_worker`, the runner's initializer)."""
    return _logged(parallel.run_in_worker(batch, settings, catalog))


def _logged(outcomes: list[submission.Outcome]) -> list[submission.Outcome]:
    logger = get_run_logger()
    for o in outcomes:
        name = printable(o.file_name)
        if o.status in NOT_PROCESSED:
            logger.error("%s %s: %s: %s\n%s", o.centre, name, o.status, o.note, o.trace or "")
        else:
            logger.info("%s %s: %s (%d problems)", o.centre, name, o.status, len(o.problems))
    return outcomes


@task(cache_policy=NO_CACHE)
def find_inbox(settings: Settings, catalog: Catalog, centre: str | None) -> InboxListing:
    listing = sweep.inbox_listing(settings, catalog, centre)
    logger = get_run_logger()
    logger.info("%d settled file(s) in the drop folders", len(listing.files))
    for w in listing.waiting:
        logger.warning("not taken: %s/%s: %s", w.centre or "inbox", printable(w.name), w.reason)
    return listing


@task(cache_policy=NO_CACHE)
def publish_sweep(outcomes: list[submission.Outcome], waiting: list[Waiting]) -> None:
    artifacts.publish_sweep(outcomes, waiting)


@task(cache_policy=NO_CACHE)
def build(settings: Settings, catalog: Catalog, pack_id: str, period: str, lang: str, draft: bool) -> Path:
    folder = build_pack.build_pack(settings, catalog, pack_id, period, lang=lang, draft=draft)
    get_run_logger().info("pack %s for %s written to %s", pack_id, period, folder)
    return folder


@task(cache_policy=NO_CACHE)
def publish_pack(folder: Path, catalog: Catalog) -> None:
    artifacts.publish_pack(folder, catalog)
