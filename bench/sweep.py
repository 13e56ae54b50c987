"""Item 3: one realistic sweep (8 centres, typical-size workbooks): wall time and peak memory, split by stage."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.common import fresh_settings, run_worker, temp_folder, worker_main
from bench.workload import write_corpus


def sweep_in_process(data_dir: str) -> dict[str, Any]:
    """Warm up as `council serve` would be (GX imported, reader child started), then time one sweep."""
    from bench.stages import timed_sweep
    from council.catalog import load_catalog
    from tasks.sweep import open_reader

    settings, catalog = fresh_settings(Path(data_dir)), load_catalog()
    start = time.perf_counter()
    import great_expectations  # noqa: F401  (imported once per serve process, not per sweep)

    with open_reader(settings) as read:
        read(Path("/nonexistent.xlsx"))  # starts the warm child outside the timing
        warm = time.perf_counter() - start
        start = time.perf_counter()
        outcomes, watch = timed_sweep(settings, catalog, read)
        wall = time.perf_counter() - start
    return {
        "files": len(outcomes),
        "wall_s": round(wall, 3),
        "warmup_s": round(warm, 3),
        "stages_s": {k: round(v, 3) for k, v in watch.seconds.items()},
        "statuses": dict(Counter(o.status for o in outcomes)),
    }


def prepare(count: int, projects: int, kpi: int, periods: tuple[str, ...] = ("2026S1",)) -> Path:
    """A fresh data folder whose inbox holds `count` generated workbooks (generation is not timed)."""
    from council.catalog import load_catalog

    folder = temp_folder("sweep")
    write_corpus(load_catalog(), fresh_settings(folder).inbox, count, projects, kpi, periods)
    return folder


def measure(projects: int, kpi: int, runs: int) -> dict[str, Any]:
    """Median-wall run of `runs` sweeps of 8 centres, each in a fresh process and data folder."""
    results = [run_worker("bench.sweep", {"data_dir": str(prepare(8, projects, kpi))}) for _ in range(runs)]
    best = sorted(results, key=lambda r: r["wall_s"])[len(results) // 2]
    return {"projects": projects, "kpi_rows": kpi, "runs": runs, **best}


if __name__ == "__main__":
    worker_main(lambda args: sweep_in_process(args["data_dir"]))
