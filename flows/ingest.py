"""Inbox sweep: finish interrupted work, take every settled file, answer each centre."""

from __future__ import annotations

from prefect import flow

from council.catalog import load_catalog
from council.settings import Settings
from flows.prefect_tasks import find_inbox, find_pending, handle_batch, publish_sweep
from tasks.pipeline.workers import batch_runner, plan_batches

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
    with batch_runner(settings, catalog, batches) as (run, parallel):
        if parallel:
            futures = [handle_batch.submit(b, run) for b in batches]
            outcomes = [o for f in futures for o in f.result()]
        else:
            outcomes = [o for b in batches for o in handle_batch(b, run)]
    publish_sweep(outcomes, listing.waiting)
    return {status: sum(o.status == status for o in outcomes) for status in sorted({o.status for o in outcomes})}
