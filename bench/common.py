"""Shared bench helpers: medians of repeated runs, fresh data folders, and workers in their own process."""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from council.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
# Inside the grace period of 2026S1 for every period's file: nothing is late-locked, nothing is future-dated.
NOW = "2026-07-20T10:00:00"


def fresh_settings(folder: Path, now: str = NOW) -> Settings:
    """A data root of our own, no settle delay, a pinned clock."""
    return Settings(data_dir=folder, settle_seconds=0, now_override=now)


def median_of(runs: int, call: Callable[[], Any]) -> float:
    """Median wall seconds of `runs` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def temp_folder(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"council-bench-{prefix}-"))


def peak_mb() -> dict[str, float]:
    """Peak RSS of this process and of its reaped children (the isolated reader), in MB (Linux: ru_maxrss is KB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"peak_rss_mb": round(own, 1), "peak_child_rss_mb": round(children, 1)}


def run_worker(module: str, args: dict[str, Any], timeout: float = 3600) -> dict[str, Any]:
    """Run `python -m <module> --worker JSON` in a fresh process; its last stdout line is a JSON result."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}
    done = subprocess.run(
        [sys.executable, "-m", module, "--worker", json.dumps(args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{module} worker failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def worker_main(work: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
    """The `--worker JSON` entry point of a bench module: run `work`, print its result as one JSON line."""
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        result = work(json.loads(sys.argv[2]))
        sys.stdout.write(json.dumps({**result, **peak_mb()}) + "\n")
