"""Sample workbooks: every centre × three periods written by `write_samples` (the demo and the tests lean on it)."""

from __future__ import annotations

from typing import Any

from bench.common import median_of, temp_folder
from council.catalog import load_catalog
from tasks.samples import write_samples

PERIODS = ["2025S1", "2025S2", "2026S1"]


def measure(runs: int) -> dict[str, Any]:
    catalog = load_catalog()
    seconds = median_of(runs, lambda: write_samples(catalog, temp_folder("samples"), PERIODS, seed=7))
    return {"files": len(catalog.centres) * len(PERIODS), "write_s": round(seconds, 2)}


def rows(r: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(f"sample workbooks, {r['files']} files (every centre × 3 periods)", f"{r['write_s']:.2f} s", "< 10 s")]
