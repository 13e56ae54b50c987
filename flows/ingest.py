"""Inbox sweep: finish interrupted work, take every settled file, answer each centre."""

from __future__ import annotations

from prefect import flow

from council.catalog import load_catalog
from council.settings import Settings
from flows.prefect_tasks import find_inbox, find_pending, handle_batch, publish_sweep
from tasks.pipeline.workers import batch_runner, plan_batches


@flow(name="inbox-sweep")
def inbox_sweep(centre: str | None = None) -> dict[str, int]:
    """pending → settled files → per centre, in order: read · validate · decide · load · feedback → artifacts.

    Centres run side by side in worker processes (COUNCIL_WORKERS, default one per core); each
    centre's files stay in arrival order so a later file supersedes an earlier one.
    """
    settings, catalog = Settings.from_env(), load_catalog()
    pending, listing = find_pending(settings, catalog), find_inbox(settings, catalog, centre)
    batches = plan_batches(pending, listing.files)
    with batch_runner(settings, catalog, batches) as (run, parallel):
        if parallel:
            futures = [handle_batch.submit(b, run) for b in batches]
            outcomes = [o for f in futures for o in f.result()]
        else:
            outcomes = [o for b in batches for o in handle_batch(b, run)]
    publish_sweep(outcomes, listing.waiting)
    return {status: sum(o.status == status for o in outcomes) for status in sorted({o.status for o in outcomes})}
