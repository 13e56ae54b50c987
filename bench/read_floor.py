"""Item 1: the fast reader's parse alone versus our full ingest of the same clean workbook."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from bench.common import fresh_settings, run_worker, temp_folder, worker_main
from bench.workload import grown_rows, workbook_bytes

KPI_COLUMNS = 8  # only to size the file: cells ÷ columns of the kpi sheet ≈ rows


def big_workbook(cells: int) -> Path:
    """A clean AGRO workbook of about `cells` cells, almost all of them in the kpi sheet."""
    from council.catalog import load_catalog

    catalog = load_catalog()
    rows = cells // KPI_COLUMNS
    projects = rows // 100 + 1  # 105 indicator × area pairs per project keep the kpi key unique
    path = temp_folder("floor") / "AGRO_2026S1.xlsx"
    path.write_bytes(workbook_bytes(catalog, "AGRO", "2026S1", grown_rows(catalog, "AGRO", "2026S1", projects, rows)))
    return path


def parse_only(path: Path) -> int:
    """python-calamine reading every sheet into Python values: the floor any reader of ours sits on."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    return sum(len(book.get_sheet_by_name(name).to_python()) for name in book.sheet_names)


def ingest_once(path: Path) -> dict[str, Any]:
    """Drop → detect → hash → archive → preflight → read → validate → load → feedback, warm, in a fresh folder."""
    from bench.stages import timed_sweep
    from council.catalog import load_catalog
    from tasks.pipeline.sweep import open_reader
    from tasks.samples.files import drop_file

    settings, catalog = fresh_settings(temp_folder("ingest")), load_catalog()
    drop_file(settings.inbox / "AGRO" / path.name, path.read_bytes())
    with open_reader(settings) as read:
        read(Path("/nonexistent.xlsx"))
        start = time.perf_counter()
        outcomes, watch = timed_sweep(settings, catalog, read)
        wall = time.perf_counter() - start
    return {"wall_s": wall, "stages_s": dict(watch.seconds), "status": outcomes[0].status}


def work(args: dict[str, Any]) -> dict[str, Any]:
    import great_expectations  # noqa: F401  (once per process, not per file)

    path, runs = Path(args["path"]), args["runs"]
    parse = []
    for _ in range(runs):
        start = time.perf_counter()
        parse_only(path)
        parse.append(time.perf_counter() - start)
    ingests = sorted((ingest_once(path) for _ in range(runs)), key=lambda r: r["wall_s"])
    mid = ingests[len(ingests) // 2]
    return {
        "parse_s": round(statistics.median(parse), 3),
        "ingest_s": round(mid["wall_s"], 3),
        "ingest_stages_s": {k: round(v, 3) for k, v in mid["stages_s"].items()},
        "status": mid["status"],
    }


def measure(cells: int, runs: int) -> dict[str, Any]:
    path = big_workbook(cells)
    result = run_worker("bench.read_floor", {"path": str(path), "runs": runs})
    ratio = result["ingest_s"] / result["parse_s"]
    return {"cells": cells, "file_mb": round(path.stat().st_size / 2**20, 2), "ratio": round(ratio, 2), **result}


if __name__ == "__main__":
    worker_main(work)
