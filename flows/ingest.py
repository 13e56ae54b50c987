"""Inbox sweep: finish interrupted work, take every settled file, answer each centre."""

from __future__ import annotations

from prefect import flow
from prefect.task_runners import ProcessPoolTaskRunner

from council.catalog import Catalog, load_catalog
from council.settings import Settings
from flows.prefect_tasks import find_inbox, find_pending, handle_batch, handle_batch_in_worker, publish_sweep
from tasks.pipeline.submission import Outcome
from tasks.pipeline.workers import Batch, batch_runner, plan_batches, start_worker, worker_count, worker_lost

# No retries: a sweep's failures are per file (outcomes in its summary), and a file that failed is taken again
# by the next sweep, five minutes later at most; a retry would only repeat what the next tick does. The timeout
# is a backstop against a hung sweep, which would otherwise hold the deployment's one slot (CANCEL_NEW) forever;
# work it leaves claimed is resumed by the next sweep.
SWEEP_TIMEOUT_S = 3600


@flow(name="inbox-sweep", timeout_seconds=SWEEP_TIMEOUT_S)
def inbox_sweep(centre: str | None = None) -> dict[str, int]:
    """pending → settled files → per centre, in order: read · validate · decide · load · feedback → artifacts.

    Centres run side by side in worker processes (COUNCIL_WORKERS, default one per core); each
    centre's files stay in arrival order so a later file supersedes an earlier one.

    Args:
        centre: sweep only this centre's drop folder (e.g. ELEC); leave it empty for every centre.
    """
    settings, catalog = Settings.from_env(), load_catalog()
    pending, listing = find_pending(settings, catalog), find_inbox(settings, catalog, centre)
    batches = plan_batches(pending, listing.files)
    workers = worker_count(settings, batches)
    if workers > 1:
        outcomes = in_workers(settings, catalog, batches, workers)
    else:  # one centre with work, or a few files: here, on one warm reader; a pool would only add its start-up
        with batch_runner(settings, catalog, batches, workers=1) as (run, _):
            outcomes = [o for b in batches for o in handle_batch(b, run)]
    publish_sweep(outcomes, listing.waiting)
    return {status: sum(o.status == status for o in outcomes) for status in sorted({o.status for o in outcomes})}


def in_workers(settings: Settings, catalog: Catalog, batches: list[Batch], workers: int) -> list[Outcome]:
    """Centres side by side in Prefect's ProcessPoolTaskRunner (spawned processes), each worker starting one warm
    isolated reader once (the initializer); measured no slower than the hand-built pool it replaces here.

    A worker that dies (killed, out of memory) fails its centres' files this time, not the sweep: they wait
    in the hold and the ledger for the next sweep, as with the pool `council ingest` uses (tasks/pipeline/workers.py).
    """
    runner = ProcessPoolTaskRunner(max_workers=workers, initializer=start_worker, initargs=(settings,))
    with runner:
        futures = [
            runner.submit(handle_batch_in_worker, parameters={"batch": b, "settings": settings, "catalog": catalog})
            for b in batches
        ]
        outcomes: list[Outcome] = []
        for batch, future in zip(batches, futures, strict=True):
            try:
                outcomes += future.result()
            except Exception as error:
                outcomes += worker_lost(batch, error)
    return outcomes
