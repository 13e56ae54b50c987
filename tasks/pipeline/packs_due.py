"""Which official packs the daily check builds: the calendar decides, not hand-kept schedules.

A meeting's pack is due once its period's lock date has come; it is built when its official folder
holds a manifest (a build publishes the folder whole, after locking the period; drafts live apart in
`<id>-draft`). Checking every day catches up after downtime and needs no edit when the Council sets
or moves a meeting.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from council.calendar import Meeting
from council.catalog import Catalog


def due_meetings(catalog: Catalog, today: date) -> list[Meeting]:
    """Every meeting whose period's lock date is today or earlier, oldest first."""
    return [catalog.meetings.for_period(p.code) for p in catalog.periods.begun_by(today) if p.lock_at <= today]


def is_built(packs: Path, meeting_id: str) -> bool:
    return (packs / meeting_id / "manifest.json").is_file()


def unbuilt_due_meetings(catalog: Catalog, packs: Path, today: date) -> list[Meeting]:
    """The meetings whose official pack is due and not built yet."""
    return [m for m in due_meetings(catalog, today) if not is_built(packs, m.id)]
