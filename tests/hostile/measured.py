"""One sweep of a data root with a fresh reader child, measured: outcomes, wall time and memory peaks.

The hostile-sweep test asserts on the outcomes and the memory bounds; `bench/hostile.py` reports the
wall time (timing belongs in bench/, not in a functional test).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from council.catalog import Catalog
from council.settings import Settings
from tasks.pipeline.submission import Outcome
from tasks.pipeline.sweep import read_limits, sweep
from tasks.read import IsolatedReader
from tasks.samples import sample_workbook

SWEPT_AT = "2026-07-20T09:00:00+00:00"
HOSTILE_CENTRE, VALID_CENTRE = "AGRO", "ELEC"


@dataclass(frozen=True)
class Run:
    outcomes: list[Outcome]
    seconds: float
    child_peak_mb: float
    parent_extra_mb: float


def _status_kb(pid: int | str, key: str) -> int:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    line = next((line for line in text.splitlines() if line.startswith(key + ":")), f"{key}: 0 kB")
    return int(line.split()[1])


def measured_sweep(settings: Settings, catalog: Catalog) -> Run:
    """One sweep with a fresh reader child; wall time and the peaks of the child and of this process."""
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM so the peak below is this sweep's own
    rss_before = _status_kb("self", "VmRSS")
    limits = read_limits(settings)
    started = time.perf_counter()
    with IsolatedReader(limits.memory_mb) as reader:
        outcomes = sweep(settings, catalog, partial(reader.read, limits=limits))
        seconds = time.perf_counter() - started
        # Only the live child's VmHWM: RUSAGE_CHILDREN counts a forked child's pre-exec copy of this process.
        child_kb = _status_kb(reader.pid, "VmHWM") if reader.pid else 0
    parent_kb = _status_kb("self", "VmHWM") - rss_before
    return Run(outcomes, seconds, child_kb / 1024, parent_kb / 1024)


def fresh_root(folder: Path, catalog: Catalog) -> Settings:
    """A data root (folder/data) holding one valid ELEC report in its inbox."""
    settings = Settings(data_dir=folder / "data", settle_seconds=0, now_override=SWEPT_AT)
    inbox = settings.inbox / VALID_CENTRE
    inbox.mkdir(parents=True)
    (inbox / "ELEC 2026S1.xlsx").write_bytes(sample_workbook(catalog, VALID_CENTRE, "2026S1"))
    return settings
