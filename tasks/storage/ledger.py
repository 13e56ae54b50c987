"""The append-only ledger of every file seen, and the state of each submission."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from council.catalog import Catalog
from council.owners import owner_alive, sweep_owner
from council.problems import Problem
from tasks.storage.db import connect, first_row, transaction
from tasks.storage.warehouse import insert_problems

RECEIVED_COLUMNS = "centre, file_name, sha256, size_bytes, archive_path, received_at"
CLAIM_TIMEOUT_S = 600.0  # a sweep that has not finished a file in 10 minutes is presumed dead


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
    from tasks.storage.journal import append_event, warehouse_of

    append_event(warehouse_of(con), values, r)  # write-ahead: in the event's transaction, before it commits


def submission_status(path: Path, submission_id: str) -> str | None:
    with connect(path) as con:
        row = first_row(con, "SELECT status FROM submissions WHERE submission_id = ?", [submission_id])
    return row[0] if row else None


def _claim_is_live(claimed_by: str | None, claimed_at: datetime | None, owner: str, timeout_s: float) -> bool:
    """Someone else's recent claim by a process that still runs; a dead or stale claim may be taken over."""
    if not claimed_by or claimed_by == owner or claimed_at is None:
        return False
    if datetime.now(UTC) - claimed_at > timedelta(seconds=timeout_s):
        return False
    return owner_alive(claimed_by)


def _claim(con: Any, submission_id: str, owner: str) -> None:
    # Wall-clock time, not Settings.now(): a claim measures real elapsed time even when the clock is pinned.
    con.execute(
        "UPDATE submissions SET claimed_by = ?, claimed_at = ? WHERE submission_id = ?",
        [owner, datetime.now(UTC), submission_id],
    )


def record_received(path: Path, r: Received, owner: str | None = None, claim_timeout_s: float = CLAIM_TIMEOUT_S) -> str:
    """Record and claim a file: 'new', 'retry' (never finished, or given up on and sent again: claim taken
    over), 'busy' (another live sweep is on it) or 'duplicate' (same bytes, already answered)."""
    owner = owner or sweep_owner()
    with connect(path) as con, transaction(con):
        row = first_row(
            con,
            "SELECT status, answered_at IS NOT NULL AND quarantined_at IS NULL, claimed_by, claimed_at,"
            " quarantined_at IS NOT NULL FROM submissions WHERE submission_id = ?",
            [r.submission_id],
        )
        if row is None:
            con.execute(
                f"INSERT INTO submissions (submission_id, {RECEIVED_COLUMNS}, status, claimed_by, claimed_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 'received', ?, ?)",
                [r.submission_id, *_received_values(r), owner, datetime.now(UTC)],
            )
            _event(con, r.received_at, "received", r)
            return "new"
        status, answered, claimed_by, claimed_at, quarantined = row
        live = _claim_is_live(claimed_by, claimed_at, owner, claim_timeout_s)
        kind = "duplicate" if answered else ("busy" if live else "retry")
        if kind == "retry":
            if quarantined:  # the centre sent the same bytes again: a fresh start, not the old failures
                _reset_failures(con, r.submission_id)
            _claim(con, r.submission_id, owner)
        detail = f"in progress elsewhere ({claimed_by})" if kind == "busy" else f"status {status}"
        _event(con, r.received_at, "skipped" if kind == "busy" else kind, r, detail=detail)
        return kind


def _reset_failures(con: Any, submission_id: str) -> None:
    con.execute(
        "UPDATE submissions SET attempts = 0, next_attempt_at = NULL, quarantined_at = NULL, answered_at = NULL"
        " WHERE submission_id = ?",
        [submission_id],
    )


@dataclass(frozen=True)
class Failure:
    """A failed attempt at handling a submission, as counted: quarantined once it reached the limit."""

    attempts: int
    quarantined: bool
    next_attempt_at: datetime | None


def record_failure(
    path: Path, r: Received, *, error: str, at: datetime, max_attempts: int, backoff_s: float
) -> Failure:
    """Count a failed attempt and release the claim; a committed verdict, if any, stays as it is.

    The next attempt waits `backoff_s`, doubling with each failure (wall-clock time, like claims: a
    pinned clock must not stop retries); at `max_attempts` the submission is quarantined instead.
    """
    with connect(path) as con, transaction(con):
        row = first_row(con, "SELECT coalesce(attempts, 0) FROM submissions WHERE submission_id = ?", [r.submission_id])
        attempts = (row[0] if row else 0) + 1
        quarantined = attempts >= max_attempts
        retry_at = None if quarantined else datetime.now(UTC) + timedelta(seconds=backoff_s * 2 ** (attempts - 1))
        con.execute(
            """UPDATE submissions SET attempts = ?, last_error = ?, next_attempt_at = ?, quarantined_at = ?,
               claimed_by = NULL, claimed_at = NULL WHERE submission_id = ?""",
            [attempts, error[:4000], retry_at, at if quarantined else None, r.submission_id],
        )
        event = "quarantined" if quarantined else "failed"
        _event(con, at, event, r, detail=f"attempt {attempts} of {max_attempts}: {error}"[:4000])
    return Failure(attempts, quarantined, retry_at)


def release_quarantined(path: Path, submission_id: str, at: datetime) -> bool:
    """An analyst's `council retry`: a quarantined submission is tried again by the next sweep."""
    with connect(path) as con, transaction(con):
        row = first_row(
            con,
            f"SELECT {RECEIVED_COLUMNS} FROM submissions WHERE submission_id = ? AND quarantined_at IS NOT NULL",
            [submission_id],
        )
        if row is None:
            return False
        _reset_failures(con, submission_id)
        _event(con, at, "retry", Received(*row), detail="released from quarantine by an analyst")
    return True


def attention_rows(path: Path) -> list[dict[str, object]]:
    """Submissions whose handling failed: waiting for another try, or quarantined (kept, listed, answered)."""
    with connect(path, read_only=True) as con:
        rows = con.execute(
            """SELECT centre, submission_id, file_name, status, attempts, last_error, next_attempt_at, quarantined_at
               FROM submissions WHERE quarantined_at IS NOT NULL OR (answered_at IS NULL AND attempts > 0)
               ORDER BY received_at"""
        ).fetchall()
    names = ("centre", "submission_id", "file_name", "status", "attempts", "last_error", "next_attempt_at")
    return [
        dict(zip(names, row[:7], strict=True)) | {"state": "quarantined" if row[7] is not None else "failed"}
        for row in rows
    ]


def _received_values(r: Received) -> list[object]:
    return [r.centre, r.file_name, r.sha256, r.size_bytes, r.archive_path, r.received_at]


def mark_answered(path: Path, submission_id: str, at: datetime) -> None:
    """The centre has its feedback: the submission is finished and no sweep will take it up again."""
    with connect(path) as con:
        con.execute("UPDATE submissions SET answered_at = ? WHERE submission_id = ?", [at, submission_id])


def decided_status(path: Path, submission_id: str) -> str | None:
    """The verdict already committed (a sweep died before answering), or None while still 'received'."""
    status = submission_status(path, submission_id)
    return None if status in (None, "received") else status


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
        return _locked(con, centre, period)


def _locked(con: Any, centre: str, period: str) -> bool:
    row = first_row(
        con,
        """SELECT max(l.locked_at), (SELECT max(u.unlocked_at) FROM unlocks u WHERE u.centre = ? AND u.period = ?)
           FROM period_locks l WHERE l.period = ?""",
        [centre, period, period],
    )
    locked_at, unlocked_at = row if row else (None, None)
    return locked_at is not None and (unlocked_at is None or unlocked_at < locked_at)


def lock_period(path: Path, period: str, pack_id: str, at: datetime) -> None:
    lock_period_if(path, period, pack_id, at, still_true=lambda _con: True)


def lock_period_if(path: Path, period: str, pack_id: str, at: datetime, *, still_true: Callable[[Any], bool]) -> bool:
    """Lock `period` for `pack_id` only if `still_true(con)` holds, checked in the same write transaction.

    A sweep checks the lock and loads in one connection too, and DuckDB lets one process write at a
    time: so a submission is either loaded before this check (and the check sees it) or held after it.
    """
    with connect(path) as con, transaction(con):
        if not still_true(con):
            return False
        con.execute("INSERT INTO period_locks VALUES (?, ?, ?)", [period, at, pack_id])
        _event(con, at, "period_locked", period=period, detail=pack_id)
    return True


def record_unlock(path: Path, centre: str, period: str, reason: str, at: datetime) -> None:
    with connect(path) as con, transaction(con):
        con.execute("INSERT INTO unlocks VALUES (?, ?, ?, ?)", [centre, period, reason, at])
        _event(con, at, "unlocked", centre=centre, period=period, detail=reason)


def releasable_submissions(path: Path, at: datetime, owner: str | None = None) -> list[Received]:
    """Held submissions, oldest first, whose period has since been unlocked: back to 'received', claimed by us."""
    owner = owner or sweep_owner()
    with connect(path) as con, transaction(con):
        rows = con.execute(
            f"SELECT {RECEIVED_COLUMNS}, period FROM submissions"
            " WHERE status = 'held' AND answered_at IS NOT NULL ORDER BY received_at"
        ).fetchall()
        released = [Received(*row[:6]) for row in rows if not _locked(con, row[0], row[6])]
        for r in released:
            con.execute(
                "UPDATE submissions SET status = 'received', answered_at = NULL WHERE submission_id = ?",
                [r.submission_id],
            )
            _claim(con, r.submission_id, owner)
            _event(con, at, "released", r, detail="period unlocked")
    return released


def unfinished_submissions(
    path: Path, at: datetime, owner: str | None = None, claim_timeout_s: float = CLAIM_TIMEOUT_S
) -> list[Received]:
    """Submissions never answered whose sweep died (or went stale), or whose failed handling is due for another
    try: claimed by us, processed again from the archive. Quarantined ones wait for an analyst or a resend."""
    owner = owner or sweep_owner()
    with connect(path) as con, transaction(con):
        rows = con.execute(
            f"SELECT {RECEIVED_COLUMNS}, claimed_by, claimed_at, status FROM submissions"
            " WHERE answered_at IS NULL AND quarantined_at IS NULL"
            " AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY received_at",
            [datetime.now(UTC)],
        ).fetchall()
        taken = [row for row in rows if not _claim_is_live(row[6], row[7], owner, claim_timeout_s)]
        for row in taken:
            r = Received(*row[:6])
            _claim(con, r.submission_id, owner)
            _event(con, at, "retry", r, detail=f"resumed from the archive (status {row[8]})")
    return [Received(*row[:6]) for row in taken]


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
