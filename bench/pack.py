"""Item 6: pack build time for the demo meeting and for a meeting with 8 centres × 6 periods of data."""

from __future__ import annotations

import shutil
import time
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bench.common import fresh_settings, run_worker, temp_folder, worker_main
from bench.scaling import PERIODS
from bench.sweep import prepare

# The reference calendar starts at 2025S1; two earlier half-years give TPC-2026-09 six periods of history.
# Their meetings are a week after the lock dates they always had (2024-09-19, 2025-03-13).
EARLIER_FIRST = "2024S1"
EARLIER_MEETINGS = (
    {"id": "TPC-2024-09", "date": date(2024, 9, 26), "period": "2024S1"},
    {"id": "TPC-2025-03", "date": date(2025, 3, 20), "period": "2024S2"},
)
SIX_PERIODS = ("2024S1", "2024S2", *PERIODS, "2026S2")


def schemas_with_earlier_periods() -> Path:
    """A copy of schemas/ whose calendar also holds 2024S1 and 2024S2 (the shipped reference data is untouched)."""
    from council.catalog import SCHEMAS_DIR

    root = temp_folder("schemas") / "schemas"
    shutil.copytree(SCHEMAS_DIR, root)
    calendar_path = root / "reference" / "calendar.yaml"
    calendar = yaml.safe_load(calendar_path.read_text(encoding="utf-8"))
    calendar["rule"]["first_period"] = EARLIER_FIRST
    calendar["meetings"] = [*EARLIER_MEETINGS, *calendar["meetings"]]
    calendar_path.write_text(yaml.safe_dump(calendar, allow_unicode=True), encoding="utf-8")
    return root


def build_timed(data_dir: str, meeting: str, runs: int, now: str, schemas: str | None) -> dict[str, Any]:
    """Sweep what is in the inbox, then build the meeting's pack as a draft (nothing locks) `runs` times."""
    import statistics

    from council.catalog import load_catalog
    from tasks.pipeline.build_pack import build_pack, resolve_meeting
    from tasks.pipeline.sweep import open_reader, sweep

    settings = fresh_settings(Path(data_dir), now=now)
    catalog = load_catalog(Path(schemas)) if schemas else load_catalog()
    with open_reader(settings) as read:
        outcomes = sweep(settings, catalog, read)
    pack_id, period = resolve_meeting(catalog, meeting, None)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        folder = build_pack(settings, catalog, pack_id, period, draft=True)
        times.append(time.perf_counter() - start)
    made = sorted(p.name for p in folder.iterdir())
    loaded = sorted({o.period for o in outcomes if o.status.startswith("accepted")})
    return {
        "submissions": len(outcomes),
        "periods_loaded": loaded,
        "build_s": round(statistics.median(times), 3),
        "outputs": made,
    }


def measure(runs: int, projects: int, kpi: int) -> dict[str, Any]:
    """Demo-size data (sample workbooks, 3 periods), and grown workbooks for 8 centres × 6 periods."""
    demo = prepare(24, 0, 0, PERIODS)
    schemas = schemas_with_earlier_periods()
    full = prepare(8 * len(SIX_PERIODS), projects, kpi, SIX_PERIODS, schemas=schemas)
    common = {"meeting": "TPC-2026-09", "runs": runs}
    # 2026S2 is open on this clock, so the warehouse holds six half-years when TPC-2026-09's pack is built.
    late = "2026-09-10T10:00:00"
    return {
        "demo": run_worker("bench.pack", {**common, "data_dir": str(demo), "now": late, "schemas": None}),
        "all_periods": {
            "periods": len(SIX_PERIODS),
            "projects": projects,
            "kpi_rows": kpi,
            **run_worker("bench.pack", {**common, "data_dir": str(full), "now": late, "schemas": str(schemas)}),
        },
    }


if __name__ == "__main__":
    worker_main(lambda a: build_timed(a["data_dir"], a["meeting"], a["runs"], a["now"], a["schemas"]))
