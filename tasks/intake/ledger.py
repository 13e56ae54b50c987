"""The append-only ledger of every file seen, and the state of each submission."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from council.catalog import Catalog
from council.problems import Problem
from tasks.load.db import connect, first_row, transaction
from tasks.load.warehouse import insert_problems

RECEIVED_COLUMNS = "centre, file_name, sha256, size_bytes, archive_path, received_at"


@dataclass(frozen=True)
class Received:
    """A file taken from a centre's drop folder, archived under its hash."""

    centre: str
    file_name: str
    sha256: str
    size_bytes: int
    archive_path: str
    received_at: datetime

    @property
    def submission_id(self) -> str:
        return f"{self.centre}-{self.sha256[:16]}"


def _event(con: Any, at: datetime, event: str, r: Received | None = None, **extra: object) -> None:
    values = {"event_at": at, "event": event, **extra}
    if r is not None:
        values |= {
            "centre": r.centre,
            "file_name": r.file_name,
            "sha256": r.sha256,
            "size_bytes": r.size_bytes,
            "submission_id": r.submission_id,
        }
    columns = ", ".join(values)
    con.execute(f"INSERT INTO ledger ({columns}) VALUES ({', '.join('?' * len(values))})", list(values.values()))


def submission_status(path: Path, submission_id: str) -> str | None:
    with connect(path) as con:
        row = first_row(con, "SELECT status FROM submissions WHERE submission_id = ?", [submission_id])
    return row[0] if row else None


def record_received(path: Path, r: Received) -> str:
    """Record a file; returns 'new', 'retry' (seen but never finished) or 'duplicate' (same bytes done)."""
    with connect(path) as con, transaction(con):
        row = first_row(con, "SELECT status FROM submissions WHERE submission_id = ?", [r.submission_id])
        if row is None:
            con.execute(
                f"INSERT INTO submissions (submission_id, {RECEIVED_COLUMNS}, status)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 'received')",
                [r.submission_id, r.centre, r.file_name, r.sha256, r.size_bytes, r.archive_path, r.received_at],
            )
            _event(con, r.received_at, "received", r)
            return "new"
        kind = "retry" if row[0] == "received" else "duplicate"
        _event(con, r.received_at, kind, r, detail=f"status {row[0]}")
        return kind


def record_outcome(
    path: Path,
    r: Received,
    *,
    status: str,
    period: str | None,
    on_time: bool | None,
    problems: list[Problem],
    at: datetime,
    meta: dict[str, object],
) -> None:
    """Rejected or held: the verdict, its problems and a ledger event, together."""
    with connect(path) as con, transaction(con):
        con.execute("DELETE FROM problems WHERE submission_id = ?", [r.submission_id])
        con.execute(
            """UPDATE submissions SET status = ?, period = ?, on_time = ?, errors = ?, warnings = ?,
               template_version = ?, language = ?, processed_at = ? WHERE submission_id = ?""",
            [
                status,
                period,
                on_time,
                sum(p.severity == "error" for p in problems),
                sum(p.severity == "warning" for p in problems),
                _text(meta.get("template_version")),
                _text(meta.get("language")),
                at,
                r.submission_id,
            ],
        )
        insert_problems(con, r.submission_id, problems)
        _event(con, at, status, r, period=period, detail=f"{len(problems)} problems")


def _text(value: object) -> str | None:
    return None if value in (None, "") else str(value)


def is_locked(path: Path, centre: str, period: str) -> bool:
    """Locked when the period's pack was built and this centre has no unlock since."""
    with connect(path) as con:
        row = first_row(
            con,
            """SELECT max(l.locked_at), (SELECT max(u.unlocked_at) FROM unlocks u WHERE u.centre = ? AND u.period = ?)
               FROM period_locks l WHERE l.period = ?""",
            [centre, period, period],
        )
    locked_at, unlocked_at = row if row else (None, None)
    return locked_at is not None and (unlocked_at is None or unlocked_at < locked_at)


def lock_period(path: Path, period: str, pack_id: str, at: datetime) -> None:
    with connect(path) as con, transaction(con):
        con.execute("INSERT INTO period_locks VALUES (?, ?, ?)", [period, at, pack_id])
        _event(con, at, "period_locked", period=period, detail=pack_id)


def record_unlock(path: Path, centre: str, period: str, reason: str, at: datetime) -> None:
    with connect(path) as con, transaction(con):
        con.execute("INSERT INTO unlocks VALUES (?, ?, ?, ?)", [centre, period, reason, at])
        _event(con, at, "unlocked", centre=centre, period=period, detail=reason)


def releasable_submissions(path: Path) -> list[Received]:
    """Held submissions, oldest first, whose period has since been unlocked for their centre."""
    with connect(path) as con:
        rows = con.execute(
            f"SELECT {RECEIVED_COLUMNS}, period FROM submissions WHERE status = 'held' ORDER BY received_at"
        ).fetchall()
    return [Received(*row[:6]) for row in rows if not is_locked(path, row[0], row[6])]


def unfinished_submissions(path: Path) -> list[Received]:
    """Submissions recorded but never decided (a sweep died mid-way): processed again from the archive."""
    with connect(path) as con:
        rows = con.execute(
            f"SELECT {RECEIVED_COLUMNS} FROM submissions WHERE status = 'received' ORDER BY received_at"
        ).fetchall()
    return [Received(*row) for row in rows]


def status_rows(path: Path, catalog: Catalog, period: str) -> list[dict[str, object]]:
    """Per registered centre: latest submission's status, on time or late, number of versions."""
    with connect(path, read_only=True) as con:
        frame = con.execute(
            """SELECT centre, status, on_time, received_at, file_name, is_current,
                      count(*) OVER (PARTITION BY centre) AS versions,
                      row_number() OVER (PARTITION BY centre ORDER BY received_at DESC) AS recency,
                      max(CASE WHEN is_current THEN status END) OVER (PARTITION BY centre) AS in_force
               FROM submissions WHERE period = ?""",
            [period],
        ).df()
    latest = frame[frame["recency"] == 1].set_index("centre") if not frame.empty else frame
    return [_status_entry(code, latest, catalog, period) for code in catalog.centres]


def _status_entry(code: str, latest: Any, catalog: Catalog, period: str) -> dict[str, object]:
    if code not in getattr(latest, "index", ()):
        return {
            "centre": code,
            "period": period,
            "status": "missing",
            "timeliness": "missing",
            "versions": 0,
            "in_force": None,
            "latest_file": None,
            "received_at": None,
        }
    row = latest.loc[code]
    on_time = row["on_time"]
    timeliness = "unknown" if on_time is None or on_time != on_time else ("on_time" if on_time else "late")
    return {
        "centre": code,
        "period": period,
        "status": row["status"],
        "timeliness": timeliness,
        "versions": int(row["versions"]),
        "in_force": row["in_force"] if isinstance(row["in_force"], str) else None,
        "latest_file": row["file_name"],
        "received_at": row["received_at"].isoformat(),
    }
