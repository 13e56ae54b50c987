"""`council rebuild`: the ledger and the warehouse again, from the archive and the journal alone.

Events are re-enacted in journal order through the pipeline's own functions: a `received` line
records the submission, a verdict line re-judges the archived bytes with the clock pinned to the
verdict's time (open period, timeliness and plausibility against earlier data come out as they did),
locks and unlocks land at their place in time. No feedback is written, no inbox file is moved.
The journal's verdict is kept where the bytes allow it: it is what the centre was told and what
packs were built from. A difference from today's judgement is reported (a rule changed since).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from council.catalog import Catalog
from council.settings import Settings
from tasks.pipeline.submission import Reader, decide, judge
from tasks.storage import journal
from tasks.storage.ledger import Received, is_locked, lock_period, record_received, record_unlock
from tasks.storage.replay import VERDICTS, committed_events, finish, release, replace_ledger
from tasks.storage.warehouse import ensure_schema

REBUILD_OWNER = "council-rebuild"
ACCEPTED = ("accepted", "accepted_with_warnings")


class RebuildRefused(Exception):
    """Nothing to rebuild from, or a warehouse in the way that `--force` would move aside."""


@dataclass
class RebuildReport:
    """What the replay did, for the command's output."""

    journal: Path
    events: int
    unreadable_lines: list[int]
    rolled_back: int
    moved_aside: list[Path] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)
    pending: list[str] = field(default_factory=list)  # received, never decided: the next sweep takes them up
    notes: list[str] = field(default_factory=list)  # differences from the journal, events not re-enacted


def journal_to_replay(settings: Settings, force: bool) -> journal.Journal:
    """The journal, after the checks that must pass before anything is touched."""
    found = journal.read_journal(settings.journal)
    if not found.events:
        state = "is empty" if found.path.exists() else "does not exist"
        raise RebuildRefused(f"the journal {found.path} {state}: there is nothing to rebuild from")
    in_the_way = [p for p in _warehouse_files(settings.warehouse) if p.exists()]
    if in_the_way and not force:
        raise RebuildRefused(f"{in_the_way[0]} exists; --force moves it aside (it is never deleted)")
    return found


def _warehouse_files(warehouse: Path) -> list[Path]:
    """The database and its write-ahead log: a stale log must never be replayed into a new database."""
    return [warehouse, warehouse.with_name(warehouse.name + ".wal")]


def move_aside(warehouse: Path) -> list[Path]:
    """Rename `council.duckdb` (and its .wal) to `council.duckdb.bak-<UTC stamp>`; returns the new names."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    backup = warehouse.with_name(f"{warehouse.name}.bak-{stamp}")
    while backup.exists():
        backup = backup.with_name(backup.name + "+")
    moved = []
    for source, target in zip(_warehouse_files(warehouse), _warehouse_files(backup), strict=True):
        if source.exists():
            moved.append(source.rename(target))
    return moved


def rebuild(settings: Settings, catalog: Catalog, read: Reader, *, force: bool = False) -> RebuildReport:
    """Replay the journal into a new warehouse; an existing one is refused, or moved aside with `force`."""
    found = journal_to_replay(settings, force)
    events, rolled_back = committed_events(found.events)
    report = RebuildReport(found.path, len(events), found.unreadable, len(rolled_back))
    report.moved_aside = move_aside(settings.warehouse)
    ensure_schema(settings.warehouse, catalog)
    replay = _Replay(settings, catalog, read, report)
    with journal.suspended():
        for event in events:
            try:
                replay.apply(event)
            except Exception as error:  # one submission's failure is its own: the rest still replay
                about = event.get("submission_id") or event.get("period")
                report.notes.append(f"{about}: {event.get('event')} not re-enacted ({error!r})")
    report.pending = [sid for sid, status in replay.status.items() if status == "received"]
    finish(settings.warehouse)
    replace_ledger(settings.warehouse, events)
    return report


@dataclass
class _Replay:
    settings: Settings
    catalog: Catalog
    read: Reader
    report: RebuildReport
    received: dict[str, Received] = field(default_factory=dict)
    status: dict[str, str] = field(default_factory=dict)  # submission id → its state so far in the replay

    def apply(self, event: dict[str, Any]) -> None:
        """Re-enact one event; retries, skips, duplicates and failures are history only (they stay in the ledger)."""
        kind, path, at = event["event"], self.settings.warehouse, _instant(event["event_at"])
        if kind == "received":
            self.record(event)
        elif kind in VERDICTS:
            self.verdict(event)
        elif kind == "period_locked":
            lock_period(path, event["period"], event.get("detail", ""), at)
        elif kind == "unlocked":
            record_unlock(path, event["centre"], event["period"], event.get("detail", ""), at)
        elif kind == "released":
            release(path, event["submission_id"])
            self.status[event["submission_id"]] = "received"

    def record(self, event: dict[str, Any]) -> None:
        archive = Path(event["archive"])
        archived = archive if archive.is_absolute() else self.settings.data_dir / archive
        r = Received(
            event["centre"], event["file_name"], event["sha256"], event["size_bytes"], str(archived),
            _instant(event["received_at"]),
        )  # fmt: skip
        if not archived.is_file():
            self.report.notes.append(f"{r.submission_id} {r.file_name}: archived bytes missing at {archived}")
        record_received(self.settings.warehouse, r, owner=REBUILD_OWNER)
        self.received[r.submission_id] = r
        self.status[r.submission_id] = "received"

    def verdict(self, event: dict[str, Any]) -> None:
        r, wanted = self.received.get(event["submission_id"]), event["event"]
        if r is None:
            self.report.notes.append(f"{event['submission_id']}: {wanted} without a received line, not re-enacted")
            return
        rejudged, kept = self.rejudge(r, wanted, event["event_at"])
        self.report.outcomes[kept] += 1
        self.status[r.submission_id] = kept
        if wanted != rejudged or wanted != kept:
            self.report.notes.append(
                f"{r.submission_id} {r.file_name}: journal {wanted}, judged today {rejudged}, kept {kept}"
                " (a rule changed since, or a lock line never committed)"
            )

    def rejudge(self, r: Received, wanted: str, at: str) -> tuple[str, str]:
        """(today's verdict on the bytes, the verdict recorded): the journal's, unless the bytes cannot carry it."""
        then = dataclasses.replace(self.settings, now_override=at)
        result = judge(r, then, self.catalog, self.read)
        locked = result.period is not None and is_locked(then.warehouse, r.centre, result.period)
        rejudged = "held" if locked and result.status != "rejected" else result.status
        # Rows today's rules reject may not even fit the warehouse: such a submission cannot be loaded again.
        status = result.status if wanted in ACCEPTED and result.status == "rejected" else wanted
        outcome = decide(r, dataclasses.replace(result, status=status), then, self.catalog)
        return rejudged, outcome.status


def _instant(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def report_lines(report: RebuildReport, warehouse: Path) -> list[str]:
    """What an analyst reads after `council rebuild`."""
    lines = [f"rebuilt {warehouse} from {report.journal}: {report.events} event(s) replayed"]
    lines += [f"  previous warehouse moved aside: {p}" for p in report.moved_aside]
    if report.rolled_back:
        lines.append(f"  {report.rolled_back} line(s) of transactions that never committed, skipped")
    if report.unreadable_lines:
        numbers = ", ".join(map(str, report.unreadable_lines))
        lines.append(f"  unreadable line(s) ignored (a write cut short by a crash): {numbers}")
    verdicts = ", ".join(f"{status} {count}" for status, count in sorted(report.outcomes.items()))
    lines.append(f"  verdicts re-enacted: {verdicts or 'none'}")
    if report.pending:
        lines.append(f"  {len(report.pending)} submission(s) never decided: the next sweep takes them up")
    if report.notes:
        lines.append(f"  {len(report.notes)} event(s) not re-enacted as journalled:")
        lines += [f"    {note}" for note in report.notes]
    return lines
