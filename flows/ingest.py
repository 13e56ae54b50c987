"""Inbox sweep: finish interrupted work, take every settled file, answer each centre."""

from __future__ import annotations

from prefect import flow

from council.catalog import load_catalog
from council.settings import Settings
from tasks.prefect_tasks import find_inbox_files, find_pending, handle_file, handle_pending, publish_sweep
from tasks.sweep import open_reader


@flow(name="inbox-sweep")
def inbox_sweep(centre: str | None = None) -> dict[str, int]:
    """pending → settled files → (read · validate · decide · load · feedback) per file → artifacts."""
    settings, catalog = Settings.from_env(), load_catalog()
    pending = find_pending(settings, catalog)
    files = find_inbox_files(settings, catalog, centre)
    with open_reader(settings) as read:
        outcomes = [handle_pending(r, settings, catalog, read) for r in pending]
        outcomes += [handle_file(f, settings, catalog, read) for f in files]
    publish_sweep(outcomes)
    return {status: sum(o.status == status for o in outcomes) for status in sorted({o.status for o in outcomes})}
