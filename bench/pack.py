"""Item 6: pack build time for the demo meeting and for 8 centres × 3 periods of grown workbooks."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from bench.common import fresh_settings, run_worker, worker_main
from bench.scaling import PERIODS
from bench.sweep import prepare


def build_timed(data_dir: str, meeting: str, runs: int) -> dict[str, Any]:
    """Sweep what is in the inbox, then build the meeting's pack as a draft (nothing locks) `runs` times."""
    import statistics

    from council.catalog import load_catalog
    from tasks.build_pack import build_pack, resolve_meeting
    from tasks.sweep import open_reader, sweep

    settings, catalog = fresh_settings(Path(data_dir), now="2026-09-10T10:00:00"), load_catalog()
    with open_reader(settings) as read:
        outcomes = sweep(settings, catalog, read)
    pack_id, period = resolve_meeting(catalog, meeting, None)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        folder = build_pack(settings, catalog, pack_id, period, draft=True)
        times.append(time.perf_counter() - start)
    made = sorted(p.name for p in folder.iterdir())
    return {"submissions": len(outcomes), "build_s": round(statistics.median(times), 3), "outputs": made}


def measure(runs: int, projects: int, kpi: int) -> dict[str, Any]:
    """Demo-size data (sample workbooks, 3 periods) and grown workbooks for all 8 centres × those periods."""
    periods = PERIODS
    demo = prepare(24, 0, 0, PERIODS)
    full = prepare(8 * len(periods), projects, kpi, periods)
    return {
        "demo": run_worker("bench.pack", {"data_dir": str(demo), "meeting": "TPC-2026-09", "runs": runs}),
        "all_periods": {
            "periods": len(periods),
            "projects": projects,
            "kpi_rows": kpi,
            **run_worker("bench.pack", {"data_dir": str(full), "meeting": "TPC-2026-09", "runs": runs}),
        },
    }


if __name__ == "__main__":
    worker_main(lambda a: build_timed(a["data_dir"], a["meeting"], a["runs"]))
