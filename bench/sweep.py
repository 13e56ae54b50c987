"""Item 3: one realistic sweep (8 centres, typical-size workbooks): wall time and peak memory, split by stage."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.common import TreeMemory, fresh_settings, run_worker, temp_folder, worker_main
from bench.workload import write_corpus


def sweep_in_process(data_dir: str) -> dict[str, Any]:
    """Warm up as `council serve` would be (GX imported, reader child started), then time one sweep."""
    from bench.stages import timed_sweep
    from council.catalog import load_catalog
    from tasks.pipeline.sweep import open_reader

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


def cold_sweep(data_dir: str) -> dict[str, Any]:
    """What `council ingest` does in a fresh process: plan, start the workers, sweep; peak RSS of the whole tree."""
    from council.catalog import load_catalog
    from tasks.pipeline.sweep import inbox_files, parallel_sweep
    from tasks.pipeline.workers import plan_batches, worker_count

    settings, catalog = fresh_settings(Path(data_dir)), load_catalog()
    workers = worker_count(settings, plan_batches([], inbox_files(settings, catalog)))  # what the sweep will choose
    with TreeMemory() as memory:
        start = time.perf_counter()
        outcomes = parallel_sweep(settings, catalog)
        wall = time.perf_counter() - start
    return {
        "files": len(outcomes),
        "wall_s": round(wall, 3),
        "workers": workers,
        "peak_tree_mb": round(memory.peak_mb, 1),
        "peak_processes": memory.processes,
        "statuses": dict(Counter(o.status for o in outcomes)),
    }


def work(args: dict[str, Any]) -> dict[str, Any]:
    return cold_sweep(args["data_dir"]) if args.get("cold") else sweep_in_process(args["data_dir"])


def prepare(
    count: int, projects: int, kpi: int, periods: tuple[str, ...] = ("2026S1",), schemas: Path | None = None
) -> Path:
    """A fresh data folder whose inbox holds `count` generated workbooks (generation is not timed)."""
    from council.catalog import load_catalog

    folder = temp_folder("sweep")
    catalog = load_catalog(schemas) if schemas else load_catalog()
    write_corpus(catalog, fresh_settings(folder).inbox, count, projects, kpi, periods)
    return folder


def median_run(args: list[dict[str, Any]]) -> dict[str, Any]:
    """Each run in a fresh process and data folder; the run with the median wall time."""
    results = sorted((run_worker("bench.sweep", a) for a in args), key=lambda r: r["wall_s"])
    return results[len(results) // 2]


def measure(projects: int, kpi: int, runs: int) -> dict[str, Any]:
    """8 centres: the production sweep (cold, workers) and the warm in-process sweep split by stage, medians."""
    cold = median_run([{"data_dir": str(prepare(8, projects, kpi)), "cold": True} for _ in range(runs)])
    staged = median_run([{"data_dir": str(prepare(8, projects, kpi))} for _ in range(runs)])
    return {"projects": projects, "kpi_rows": kpi, "runs": runs, "cold": cold, **staged}


if __name__ == "__main__":
    worker_main(work)
