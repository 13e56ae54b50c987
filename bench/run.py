"""`make bench`: every measurement of issue 6 in one run on one machine, one table, results/latest.json.

Run: .venv/bin/python -m bench.run [--quick] [--only startup,read,naive,sweep,scaling,pack,drop,hostile,samples]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import drop, hostile, naive, pack, read_floor, samples, scaling, startup, sweep
from bench.plot import scaling_chart

RESULTS = Path(__file__).resolve().parent / "results"
SIZES = {
    "quick": {"runs": 1, "cells": 100_000, "projects": 50, "kpi": 500, "scaling": [10, 30]},
    "full": {"runs": 3, "cells": 1_000_000, "projects": 300, "kpi": 3000, "scaling": [10, 100, 1000]},
}


def _naive_vs_pipeline(size: dict[str, Any]) -> dict[str, Any]:
    """The same 8-centre corpus through the naive baseline and through the pipeline, each in a fresh process."""
    folder = sweep.prepare(8, size["projects"], size["kpi"])
    baseline = naive.measure(folder / "inbox")  # reads only: the inbox is left for the pipeline
    ours = sweep.run_worker("bench.sweep", {"data_dir": str(folder), "cold": True})
    return {"naive": baseline, "pipeline": ours, "speed_up": round(baseline["wall_s"] / ours["wall_s"], 2)}


def plan(size: dict[str, Any]) -> dict[str, Callable[[], Any]]:
    return {
        "startup": lambda: startup.measure(max(size["runs"], 3)),
        "read": lambda: read_floor.measure(size["cells"], size["runs"]),
        "naive": lambda: _naive_vs_pipeline(size),
        "sweep": lambda: sweep.measure(size["projects"], size["kpi"], size["runs"]),
        "scaling": lambda: scaling.measure(size["scaling"]),
        "pack": lambda: pack.measure(size["runs"], size["projects"], size["kpi"]),
        "drop": lambda: drop.measure(interval_s=30.0, watch_runs=size["runs"]),
        "hostile": lambda: hostile.measure(size["runs"]),
        "samples": lambda: samples.measure(size["runs"]),
    }


def table(results: dict[str, Any]) -> list[str]:
    """The one table of figures and ratios (markdown), from whatever was measured."""
    lines = ["| measurement | figure | target |", "|---|---|---|"]
    for key, render in ROWS:
        if key in results and "error" not in results[key]:
            lines += [f"| {a} | {b} | {c} |" for a, b, c in render(results[key])]
    return lines


def _rows_read(r: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (f"parse only, {r['cells']:,} cells ({r['file_mb']} MB)", f"{r['parse_s']:.2f} s", ""),
        ("full ingest of the same file", f"{r['ingest_s']:.2f} s = **{r['ratio']}×** parse", "≤ 3×"),
    ]


def _rows_naive(r: dict[str, Any]) -> list[tuple[str, str, str]]:
    n, p = r["naive"], r["pipeline"]
    return [
        (f"naive baseline, {n['files']} files, {n['rows']:,} rows", f"{n['wall_s']:.2f} s", ""),
        ("pipeline (`council ingest`, cold), same files", f"{p['wall_s']:.2f} s = **{r['speed_up']}×** faster", "≥ 5×"),
    ]


def _workers(count: int) -> str:
    return "in one process" if count == 1 else f"{count} workers"


def _rows_sweep(r: dict[str, Any]) -> list[tuple[str, str, str]]:
    stages = ", ".join(f"{k} {v:.2f}" for k, v in r["stages_s"].items())
    cold = r["cold"]
    return [
        (
            f"sweep 8 centres × {r['projects']} projects, {r['kpi_rows']} KPI rows (`council ingest`, cold)",
            f"{cold['wall_s']:.2f} s, {_workers(cold['workers'])}, peak {cold['peak_tree_mb']:.0f} MB"
            f" ({cold['peak_processes']} processes)",
            "< 1 GB",
        ),
        ("  same files, one warm process, one after another", f"{r['wall_s']:.2f} s", ""),
        ("    by stage (s)", stages, ""),
        ("    warm-up (GX import + reader start)", f"{r['warmup_s']:.2f} s", ""),
    ]


def _rows_scaling(points: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [
        (
            f"sweep of {p['workbooks']} workbooks (`council ingest`, {_workers(p['workers'])})",
            f"{p['s_per_workbook']:.3f} s/wb, peak {p['peak_tree_mb']:.0f} MB ({p['peak_processes']} processes)",
            "flat; < 1 GB",
        )
        for p in points
    ]


def _rows_startup(r: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        ('`python -c "import prefect"`', f"{r['import_prefect_s']:.2f} s", ""),
        ("`council --help`", f"{r['council_help_s']:.2f} s = **{r['help_over_prefect']}×** import prefect", "≤ 0.25×"),
        ("`council status`", f"{r['council_status_s']:.2f} s", ""),
    ]


def _rows_pack(r: dict[str, Any]) -> list[tuple[str, str, str]]:
    d, a = r["demo"], r["all_periods"]
    return [
        (f"pack, demo data ({d['submissions']} sample submissions)", f"{d['build_s']:.2f} s", ""),
        (f"pack, 8 centres × {a['periods']} periods, {a['kpi_rows']} KPI rows each", f"{a['build_s']:.2f} s", ""),
    ]


def _rows_drop(r: dict[str, Any]) -> list[tuple[str, str, str]]:
    i, w = r["interval"], r["watch"]
    runs = " / ".join(f"{s:.1f}" for s in w["all_s"])
    return [
        (
            f"drop → feedback, `council serve`, interval {i['interval_s']:.0f} s (dropped just after a tick)",
            f"{i['drop_to_feedback_s']:.1f} s = interval + {i['drop_to_feedback_s'] - i['interval_s']:.1f} s",
            "≤ interval + 10 s",
        ),
        ("drop → feedback, `council serve --watch`", f"**{w['drop_to_feedback_s']:.1f} s** (runs: {runs})", "< 15 s"),
        ("  --watch, file dropped while a sweep runs", f"{w['dropped_during_sweep_s']:.1f} s", "not the next tick"),
    ]


ROWS = [
    ("read", _rows_read),
    ("naive", _rows_naive),
    ("sweep", _rows_sweep),
    ("scaling", _rows_scaling),
    ("startup", _rows_startup),
    ("pack", _rows_pack),
    ("drop", _rows_drop),
    ("hostile", hostile.rows),
    ("samples", samples.rows),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one run each (about 2–3 minutes)")
    parser.add_argument("--only", default="", help="comma-separated subset of: " + ", ".join(plan(SIZES["quick"])))
    args = parser.parse_args()
    mode = "quick" if args.quick else "full"
    steps = plan(SIZES[mode])
    chosen = [s for s in args.only.split(",") if s] or list(steps)
    results: dict[str, Any] = _earlier(mode) if args.only else {}
    results |= {
        "mode": mode,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
    }
    for name in chosen:
        start = time.perf_counter()
        try:
            results[name] = steps[name]()
        except Exception as error:  # one failed measurement must not lose the others
            results[name] = {"error": f"{type(error).__name__}: {error}"[-2000:]}
        results.setdefault("elapsed_s", {})[name] = round(time.perf_counter() - start, 1)
        _save(results)
    print("\n".join(table(results)))
    for name in chosen:
        if "error" in results.get(name, {}):
            print(f"\n{name} failed: {results[name]['error']}")


def _earlier(mode: str) -> dict[str, Any]:
    """With --only, the other measurements of the last run of the same mode are kept, not overwritten."""
    latest = RESULTS / "latest.json"
    earlier = json.loads(latest.read_text(encoding="utf-8")) if latest.exists() else {}
    return earlier if earlier.get("mode") == mode else {}


def _save(results: dict[str, Any]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    points = results.get("scaling")
    if isinstance(points, list) and points:
        scaling_chart([(p["workbooks"], p["s_per_workbook"]) for p in points], RESULTS / "scaling.png")


if __name__ == "__main__":
    main()
