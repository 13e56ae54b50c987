"""The ledger's journal: one JSON line per ledger event, appended and fsynced beside the archive.

With the archive it is enough to rebuild the warehouse (`council rebuild`). A line is written
*inside* the event's transaction, before its commit (write-ahead): a crash can then leave a line
whose transaction never committed, never a committed event without its line. Replay tells the two
apart (`tasks.storage.replay.committed_events`). Keys are the ledger's columns; a `received` line
also carries what creates the submission: `archive` (relative to the data root) and `received_at`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

JOURNAL_NAME = "ledger.jsonl"
_SUSPENDED: ContextVar[bool] = ContextVar("journal_suspended", default=False)


def journal_dir(warehouse: Path) -> Path:
    """`<data root>/journal` for the standard `<data root>/warehouse/council.duckdb` (`Settings.journal`).

    Ledger functions are handed the warehouse path, not Settings, so the folder is derived from it;
    a warehouse kept elsewhere (a test's own file) journals beside itself, never outside its folder.
    """
    if warehouse.parent.name == "warehouse":
        return warehouse.parent.parent / "journal"
    return warehouse.with_name(f"{warehouse.stem}.journal")


def data_root(warehouse: Path) -> Path:
    return journal_dir(warehouse).parent


@contextmanager
def suspended() -> Iterator[None]:
    """No lines while `council rebuild` replays: the events it re-enacts are already in the journal."""
    token = _SUSPENDED.set(True)
    try:
        yield
    finally:
        _SUSPENDED.reset(token)


def warehouse_of(con: Any) -> Path | None:
    """The DuckDB file a connection writes (None in memory: nothing durable to journal)."""
    rows = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    return Path(rows[0][0]) if rows and rows[0][0] else None


def event_line(values: dict[str, object], received: Any | None, root: Path) -> dict[str, object]:
    """The ledger row's non-empty values; a `received` event adds where its bytes are and when they came."""
    line = {key: value for key, value in values.items() if value is not None}
    if received is not None and values.get("event") == "received":
        archive = Path(received.archive_path)
        line["archive"] = str(archive.relative_to(root)) if archive.is_relative_to(root) else str(archive)
        line["received_at"] = received.received_at
    return line


def append_event(warehouse: Path | None, values: dict[str, object], received: Any | None = None) -> None:
    """Append one event's line and fsync it (call inside the event's transaction, before it commits)."""
    if warehouse is None or _SUSPENDED.get():
        return
    line = event_line(values, received, data_root(warehouse))
    append_line(journal_dir(warehouse), json.dumps(line, ensure_ascii=False, default=_iso, separators=(",", ":")))


def journal_accepted(warehouse: Path, acceptance: Any, superseded: str | None) -> None:
    """The accepted verdict's line (written by `load_submission`, not `_event`)."""
    values = {
        "event_at": acceptance.processed_at,
        "event": acceptance.status,
        "centre": acceptance.centre,
        "period": acceptance.period,
        "submission_id": acceptance.submission_id,
        "detail": f"supersedes {superseded}" if superseded else None,
    }
    append_event(warehouse, values)


def _iso(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not journalled: {type(value).__name__}")


def append_line(folder: Path, text: str) -> None:
    """One write of one line, on a line of its own even after a torn tail, then fsync."""
    path = folder / JOURNAL_NAME
    new_folder, new_file = not folder.exists(), not path.exists()
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        size = os.fstat(fd).st_size
        # A crash mid-write leaves a line without its newline; never glue the next event onto it.
        torn = size > 0 and os.pread(fd, 1, size - 1) != b"\n"
        os.write(fd, (("\n" if torn else "") + text + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    if new_file:  # a new name must be durable too, not only the bytes behind it
        _fsync_dir(folder)
    if new_folder:
        _fsync_dir(folder.parent)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Journal:
    """The events read back in order, and the lines that were not whole JSON (a torn tail)."""

    path: Path
    events: list[dict[str, Any]]
    unreadable: list[int]  # line numbers, 1-based


def read_journal(folder: Path) -> Journal:
    """Every whole line; a torn or garbled line is listed, not fatal (a crash mid-append leaves one)."""
    path = folder / JOURNAL_NAME
    if not path.is_file():
        return Journal(path, [], [])
    events, unreadable = [], []
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                event = json.loads(raw)
            except ValueError:
                event = None
            if isinstance(event, dict) and "event" in event:
                events.append(event)
            else:
                unreadable.append(number)
    return Journal(path, events, unreadable)
