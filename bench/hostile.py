"""The hostile corpus (tests/hostile/corpus.py), each file next to a valid report: extra sweep seconds and peaks.

The functional test holds the sweep to refusing each file and to a memory bound; the wall time of each
kind over the valid-only baseline is measured here, where timing belongs.
"""

from __future__ import annotations

from typing import Any

from bench.common import temp_folder
from council.catalog import load_catalog
from tests.hostile.corpus import MAKERS, make_case
from tests.hostile.measured import HOSTILE_CENTRE, fresh_root, measured_sweep

EXTRA_SECONDS = 5.0  # what a hostile file may add to the sweep of one valid report


def measure(runs: int) -> dict[str, Any]:
    catalog = load_catalog()
    baseline = min(measured_sweep(fresh_root(temp_folder("hostile-base"), catalog), catalog).seconds for _ in range(2))
    kinds: dict[str, dict[str, float]] = {}
    for maker in MAKERS:
        best = None
        for _ in range(runs):
            settings = fresh_root(temp_folder("hostile"), catalog)
            make_case(maker.__name__, settings.inbox / HOSTILE_CENTRE)
            run = measured_sweep(settings, catalog)
            best = run if best is None or run.seconds < best.seconds else best
        assert best is not None
        kinds[maker.__name__] = {
            "extra_s": round(best.seconds - baseline, 2),
            "child_peak_mb": round(best.child_peak_mb),
            "parent_extra_mb": round(best.parent_extra_mb),
        }
    worst = max(kinds, key=lambda kind: kinds[kind]["extra_s"])
    return {"baseline_s": round(baseline, 2), "worst": worst, "kinds": kinds}


def rows(r: dict[str, Any]) -> list[tuple[str, str, str]]:
    kinds = r["kinds"]
    over = [kind for kind, k in kinds.items() if k["extra_s"] >= EXTRA_SECONDS]
    peak = max(k["child_peak_mb"] for k in kinds.values())
    return [
        (
            f"hostile corpus, {len(kinds)} kinds, each next to one valid report (baseline {r['baseline_s']:.2f} s)",
            f"worst extra {kinds[r['worst']]['extra_s']:.2f} s ({r['worst']}); reader peak {peak} MB",
            f"< {EXTRA_SECONDS:.0f} s each",
        ),
        ("  kinds over the target", ", ".join(over) or "none", ""),
    ]


if __name__ == "__main__":
    import json

    print(json.dumps(measure(1), indent=2))
