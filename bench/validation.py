"""Validation cost of one submission, split into read / validate / write feedback (medians of N runs).

Run: .venv/bin/python -m bench.validation [--runs 3] [--kpi-rows 100000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from council.catalog import load_catalog
from tasks.feedback import write_feedback
from tasks.read import IsolatedReader, ReadLimits
from tasks.samples import generate_rows, sample_meta
from tasks.template.workbook import build_workbook
from tasks.validate import validate_workbook

NOW = datetime(2026, 7, 28, tzinfo=UTC)


def big_kpi_rows(rows: int, bad_share: float) -> dict[str, list[dict[str, object]]]:
    """AGRO's sample grown to `rows` kpi rows (indicator × area × project stays unique), some with a wrong unit."""
    catalog = load_catalog()
    sample = generate_rows(catalog, "AGRO", "2026S1")
    codes, areas = list(catalog.indicators), list(catalog.codes("priority_area_or_all"))
    projects_needed = rows // (len(codes) * len(areas)) + 1
    template = sample["projects"][0]
    projects = [
        {**template, "project_id": f"AGRO-2026-{n:03d}" if n < 1000 else f"AGRO-2027-{n - 1000:03d}"}
        for n in range(projects_needed)
    ]
    every = int(1 / bad_share) if bad_share else 0
    kpi = []
    for i in range(rows):
        code = codes[i % len(codes)]
        unit = (
            "HA"
            if every and i % every == 0 and catalog.indicators[code].unit != "HA"
            else catalog.indicators[code].unit
        )
        kpi.append(
            {
                "indicator_code": code,
                "priority_area": areas[(i // len(codes)) % len(areas)],
                "value": float(i % 500 + 10),
                "unit": unit,
                "target_value": 500.0,
                "obs_status": "A",
                "project_id": projects[i // (len(codes) * len(areas))]["project_id"],
                "comment": f"row {i}",
            }
        )
    return {**sample, "projects": projects, "kpi": kpi}


def measure(path: Path, runs: int) -> dict[str, float]:
    catalog, timings = load_catalog(), {"read": [], "validate": [], "feedback": []}
    with IsolatedReader() as reader, tempfile.TemporaryDirectory() as out:
        for _ in range(runs):
            start = time.perf_counter()
            raw = reader.read(path, ReadLimits(max_rows=1_100_000))
            read_done = time.perf_counter()
            result = validate_workbook(raw, catalog, folder_centre="AGRO", now=NOW)
            validated = time.perf_counter()
            write_feedback(
                catalog,
                Path(out) / "f.xlsx",
                status=result.status,
                problems=result.problems,
                lang="ru",
                centre="AGRO",
                period="2026S1",
                file_name=path.name,
                sha256="0" * 64,
                received_at=NOW,
            )
            done = time.perf_counter()
            for key, value in (
                ("read", read_done - start),
                ("validate", validated - read_done),
                ("feedback", done - validated),
            ):
                timings[key].append(value)
            timings.setdefault("problems", []).append(len(result.problems))
    return {k: statistics.median(v) for k, v in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--kpi-rows", type=int, default=100_000)
    args = parser.parse_args()
    catalog = load_catalog()
    import great_expectations  # noqa: F401  (a one-off ~4 s import, not a validation cost)

    cases = {
        "typical AGRO workbook": generate_rows(catalog, "AGRO", "2026S1"),
        f"kpi {args.kpi_rows:,} rows, clean": big_kpi_rows(args.kpi_rows, 0),
        f"kpi {args.kpi_rows:,} rows, 1% bad units": big_kpi_rows(args.kpi_rows, 0.01),
    }
    print(f"{'case':<34} {'read s':>8} {'validate s':>11} {'feedback s':>11} {'problems':>9}")
    with tempfile.TemporaryDirectory() as folder:
        for name, rows in cases.items():
            path = Path(folder) / "case.xlsx"
            path.write_bytes(
                build_workbook(catalog, "AGRO", "2026S1", "kk", rows, sample_meta(catalog, "AGRO", "2026S1", "kk"))
            )
            m = measure(path, args.runs)
            print(f"{name:<34} {m['read']:>8.2f} {m['validate']:>11.2f} {m['feedback']:>11.2f} {int(m['problems']):>9}")


if __name__ == "__main__":
    main()
