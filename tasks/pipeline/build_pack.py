"""Building a Council pack as plain functions (the Prefect flow wires the same steps).

A build holds `packs/.<id>.lock`, so one build of a pack runs at a time, writes into a staging
folder and swaps it in whole (`tasks/pack/folder.py`): a kill at any instant leaves the previous
pack. An official build locks its period once the pack is written, and only if the inputs it shows
are still those in force, checked inside the lock's own write transaction: a submission a sweep
accepts meanwhile is in the pack (the build writes it again) or, coming after the lock, held.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import fields
from functools import partial
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from council import __version__
from council.catalog import Catalog
from council.settings import Settings
from tasks.aggregate.inputs import PackInputs
from tasks.storage.db import one_connection
from tasks.storage.ledger import lock_period_if
from tasks.storage.warehouse import ensure_schema, pack_inputs_in, read_pack_inputs

REPO = Path(__file__).resolve().parent.parent
PACK_LOCK_WAIT_S = 300.0  # a pack builds in seconds: wait this long behind another build of it, then say so
OPTIMISTIC_ATTEMPTS = 2  # then one attempt holding the warehouse, so a stream of new submissions cannot starve it


def resolve_meeting(catalog: Catalog, meeting: str | None, period: str | None) -> tuple[str, str]:
    """(pack id, period): a meeting names its period; a period maps to the meeting that reviews it.

    Every period of the calendar has one: set by the Council, else the calendar's default meeting.
    """
    if meeting:
        return meeting, catalog.meetings[meeting].period
    if period is not None and period in catalog.periods:
        return catalog.meetings.for_period(period).id, period
    return f"period-{period}", str(period)


def code_version() -> str:
    """Package version plus the git commit when run from a checkout (the manifest records it)."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short=12", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return __version__
    return f"{__version__}+g{commit}"


def previous_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of the pack about to be replaced, so the new one can say what changed."""
    try:
        return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def build_pack(
    settings: Settings,
    catalog: Catalog,
    pack_id: str,
    period: str,
    *,
    lang: str = "ru",
    draft: bool = False,
    wait_s: float = PACK_LOCK_WAIT_S,
) -> Path:
    """Write packs/<id>/ from the submissions in force; an official (non-draft) build locks the period.

    Raises `tasks.pack.folder.PackBuildBusy` when another build of the same pack holds it longer than `wait_s`.
    """
    from tasks.pack.folder import PackFolders, clear_leftovers, one_build_at_a_time, publish  # imports the renderer

    ensure_schema(settings.warehouse, catalog)
    folders = PackFolders(settings.packs / pack_folder_name(pack_id, lang, draft))
    with one_build_at_a_time(folders, wait_s):
        clear_leftovers(folders)
        read = partial(read_pack_inputs, settings.warehouse, catalog, pack_id, period, settings.now())
        write = partial(_write_staging, folders.staging, catalog, lang, previous_manifest(folders.final), draft)
        try:
            if draft:
                write(read())
            else:
                _write_then_lock(settings.warehouse, catalog, pack_id, read, write)
            publish(folders)
        finally:
            shutil.rmtree(folders.staging, ignore_errors=True)  # a failed build's half pack
    return folders.final


def pack_folder_name(pack_id: str, lang: str, draft: bool) -> str:
    """packs/<id>/ for the official pack; a draft per language, so drafts in two languages both stay."""
    return f"{pack_id}-draft-{lang}" if draft else pack_id


def _write_staging(
    staging: Path, catalog: Catalog, lang: str, before: dict[str, Any] | None, draft: bool, inputs: PackInputs
) -> None:
    from tasks.pack import write_pack
    from tasks.pack.folder import fsync_tree

    shutil.rmtree(staging, ignore_errors=True)  # an earlier attempt's pack, from inputs no longer in force
    staging.mkdir(parents=True)
    version = code_version()
    write_pack(inputs, catalog, staging, lang=lang, code_version=version, previous_manifest=before, draft=draft)
    fsync_tree(staging)  # before the lock: what can still fail (a full disk, I/O) fails while nothing is locked


def _write_then_lock(
    warehouse: Path,
    catalog: Catalog,
    pack_id: str,
    read: Callable[[], PackInputs],
    write: Callable[[PackInputs], None],
) -> None:
    """Write the pack, then lock its period if the inputs are unchanged; else write it again.

    The warehouse is free while the pack is written (sweeps go on); the last attempt holds it from
    the read to the lock, so sweeps wait a few seconds and that attempt cannot be overtaken.
    """
    for _ in range(OPTIMISTIC_ATTEMPTS):
        if _attempt(warehouse, catalog, pack_id, read, write):
            return
    with one_connection(warehouse):
        if not _attempt(warehouse, catalog, pack_id, read, write):
            raise RuntimeError(f"the inputs of pack {pack_id} changed while this build held the warehouse")


def _attempt(
    warehouse: Path,
    catalog: Catalog,
    pack_id: str,
    read: Callable[[], PackInputs],
    write: Callable[[PackInputs], None],
) -> bool:
    """One read, one written pack, and the lock if the inputs are still those in force (True when locked)."""
    inputs = read()
    write(inputs)
    unchanged = partial(_inputs_unchanged, inputs, catalog)
    return lock_period_if(warehouse, inputs.period, pack_id, inputs.built_at, still_true=unchanged)


def _inputs_unchanged(inputs: PackInputs, catalog: Catalog, con: duckdb.DuckDBPyConnection) -> bool:
    """Re-read on the lock's connection: the pack shows exactly what is in force when the period locks."""
    now = pack_inputs_in(con, catalog, inputs.meeting_id, inputs.period, inputs.built_at)
    return same_inputs(now, inputs)


def same_inputs(a: PackInputs, b: PackInputs) -> bool:
    """Field by field; frames whole (values, dtypes, row order), so any new, superseded or held file counts."""
    return all(_same(getattr(a, f.name), getattr(b, f.name)) for f in fields(PackInputs))


def _same(a: object, b: object) -> bool:
    return a.equals(b) if isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame) else a == b
