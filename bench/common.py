"""Shared bench helpers: medians of repeated runs, fresh data folders, and workers in their own process."""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
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


class TreeMemory:
    """Peak summed RSS of this process and every descendant (workers, readers), sampled from /proc.

    `ru_maxrss` gives one process's peak; with worker processes the machine's question is what they
    hold together at the worst moment.
    """

    def __init__(self, every_s: float = 0.05) -> None:
        self.every_s, self.peak_mb, self.processes = every_s, 0.0, 1
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.is_set():
            tree = descendants(os.getpid())
            total = sum(rss_mb(pid) for pid in tree)
            if total > self.peak_mb:
                self.peak_mb, self.processes = total, len(tree)
            self._stop.wait(self.every_s)


def descendants(root: int) -> list[int]:
    """`root` and every process below it, from the parent ids in /proc/<pid>/stat."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rpartition(")")[2].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0
