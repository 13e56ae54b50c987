"""What `council rebuild` does to the ledger's tables besides re-enacting events through the pipeline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from tasks.storage.db import connect, transaction

VERDICTS = ("accepted", "accepted_with_warnings", "rejected", "held")
FILE_COLUMNS = ["centre", "period", "file_name", "sha256", "size_bytes"]
LEDGER_COLUMNS = ["event_at", "event", *FILE_COLUMNS, "submission_id", "detail"]


def committed_events(events: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(events whose transaction committed, lines it left behind that did not), in journal order.

    Lines are written before the commit, so a rolled-back one is followed by its retry. A committed
    ledger has one `received` per submission, and one verdict per submission until it is `released`;
    of two, the earlier never committed. A rolled-back line with no retry after it cannot be told apart.
    """
    dropped: set[int] = set()
    received: dict[str, int] = {}
    decided: dict[str, int] = {}
    for index, event in enumerate(events):
        sid, kind = event.get("submission_id"), event.get("event")
        if sid is None:
            continue
        if kind == "received":
            if sid in received:
                dropped.add(received[sid])
            received[sid] = index
        elif kind in VERDICTS:
            if sid in decided:
                dropped.add(decided[sid])
            decided[sid] = index
        elif kind == "released":
            decided.pop(sid, None)
    kept = [event for index, event in enumerate(events) if index not in dropped]
    return kept, [events[index] for index in sorted(dropped)]


def release(path: Path, submission_id: str) -> None:
    """A held submission back to 'received' once its period was unlocked (its next verdict follows)."""
    with connect(path) as con:
        con.execute(
            "UPDATE submissions SET status = 'received', answered_at = NULL"
            " WHERE submission_id = ? AND status = 'held'",
            [submission_id],
        )


def finish(path: Path) -> None:
    """Decided submissions count as answered (their feedback was sent when they were decided); no claims
    are left, so the next sweep resumes any submission the journal never saw decided."""
    with connect(path) as con:
        con.execute(
            "UPDATE submissions SET answered_at = CASE WHEN status <> 'received' THEN processed_at END,"
            " claimed_by = NULL, claimed_at = NULL"
        )


def replace_ledger(path: Path, events: list[dict[str, Any]]) -> None:
    """The ledger becomes the journal's committed events, in order (replay's own entries are dropped)."""
    rows = [{name: event.get(name) for name in LEDGER_COLUMNS} for event in events]
    frame = pd.DataFrame(rows, columns=LEDGER_COLUMNS)
    frame = frame.assign(
        event_at=pd.to_datetime(frame["event_at"], utc=True, format="ISO8601"),
        size_bytes=frame["size_bytes"].astype("Int64"),  # absent on events about no file: NULL, not NaN
    )
    with connect(path) as con, transaction(con):
        con.execute("DELETE FROM ledger")
        con.register("journal_events", frame)
        try:
            con.execute("INSERT INTO ledger BY NAME SELECT * FROM journal_events")
        finally:
            con.unregister("journal_events")
