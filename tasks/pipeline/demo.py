"""`make demo`: three half-years of sample submissions swept on their due dates, a correction, a pack."""

from __future__ import annotations

import dataclasses
import time
from datetime import datetime, timedelta

from council.catalog import load_catalog
from council.settings import Settings
from tasks.pipeline.build_pack import build_pack, resolve_meeting
from tasks.pipeline.sweep import parallel_sweep
from tasks.samples import write_corrected, write_samples
from tasks.storage.ledger import status_rows

PERIODS = ("2025S1", "2025S2", "2026S1")
MEETING = "TPC-2026-09"


def _at(settings: Settings, moment: datetime) -> Settings:
    """Settings whose clock reads `moment`: each round is swept as if on its due date."""
    return dataclasses.replace(settings, now_override=moment.isoformat(), settle_seconds=0)


def _report(outcomes: list) -> None:
    for o in outcomes:
        errors = sum(p.severity == "error" for p in o.problems)
        warnings = len(o.problems) - errors
        counts = f"{errors:>3} errors {warnings:>3} warnings"
        print(f"  {o.centre:<7} {o.period or '-':<7} {o.status:<23} {counts}  {o.file_name}")


def main() -> None:
    settings, catalog = Settings.from_env(), load_catalog()
    started = time.perf_counter()
    for period in PERIODS:
        due = datetime.combine(catalog.periods[period].due_date, datetime.min.time())
        write_samples(catalog, settings.inbox, [period])
        print(f"Sweep of {period} reports, as on {due - timedelta(days=3):%Y-%m-%d}:")
        outcomes = parallel_sweep(_at(settings, due - timedelta(days=3)), catalog)
        _report(outcomes)
        rejected = sorted({o.centre for o in outcomes if o.status == "rejected"})
        for centre in rejected:
            write_corrected(catalog, settings.inbox, centre, period)
        if rejected:
            late = datetime.combine(catalog.periods[period].deadline + timedelta(days=2), datetime.min.time())
            print(f"Sweep of corrected {period} reports ({', '.join(rejected)}), late, as on {late:%Y-%m-%d}:")
            _report(parallel_sweep(_at(settings, late), catalog))
    pack_id, period = resolve_meeting(catalog, MEETING, None)
    folder = build_pack(settings, catalog, pack_id, period)
    print(f"\nStatus for {period}:")
    for row in status_rows(settings.warehouse, catalog, period):
        print(f"  {row['centre']:<7} {row['status']:<23} {row['timeliness']:<8} versions {row['versions']}")
    print(
        f"\nPack: {folder}/pack.xlsx\nFeedback: {settings.outbox}/<CENTRE>/"
        f"\nDemo took {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
