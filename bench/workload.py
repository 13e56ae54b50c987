"""Bench workloads: sample submissions grown to a chosen size, written as real .xlsx files from the template."""

from __future__ import annotations

from pathlib import Path

from council.catalog import Catalog
from tasks.samples import centre_language, generate_rows, sample_meta
from tasks.samples.files import drop_file
from tasks.template.workbook import build_workbook

Rows = dict[str, list[dict[str, object]]]


def project_ids(centre: str, count: int) -> list[str]:
    """Ids matching the schema's `CENTRE-YYYY-NNN` pattern: a new year block every 1,000 projects."""
    return [f"{centre}-{2020 + n // 1000}-{n % 1000:03d}" for n in range(count)]


def grown_rows(catalog: Catalog, centre: str, period: str, projects: int, kpi: int, seed: int = 7) -> Rows:
    """The centre's sample with `projects` project rows and `kpi` KPI rows; indicator × area × project stays unique."""
    sample = generate_rows(catalog, centre, period, seed)
    if projects <= len(sample["projects"]) and kpi <= len(sample["kpi"]):
        return sample
    ids = project_ids(centre, max(projects, 1))
    base = sample["projects"]
    project_rows = [{**base[n % len(base)], "project_id": pid} for n, pid in enumerate(ids)]
    combos = [(code, area) for area in catalog.codes("priority_area_or_all") for code in catalog.indicators]
    if kpi > len(ids) * len(combos):
        raise ValueError(f"{kpi} KPI rows need more than {len(ids)} projects to stay unique")
    return {**sample, "projects": project_rows, "kpi": [_kpi_row(catalog, ids, combos, i) for i in range(kpi)]}


def _kpi_row(catalog: Catalog, ids: list[str], combos: list[tuple[str, str]], i: int) -> dict[str, object]:
    # Project-major order spreads rows over every project, as a real centre's sheet does.
    code, area = combos[(i // len(ids)) % len(combos)]
    return {
        "indicator_code": code,
        "priority_area": area,
        "value": float(i % 500 + 10),
        "unit": catalog.indicators[code].unit,
        "target_value": 500.0,
        "obs_status": "A",
        "project_id": ids[i % len(ids)],
        "comment": f"row {i}",
    }


def workbook_bytes(catalog: Catalog, centre: str, period: str, rows: Rows) -> bytes:
    """The template filled with `rows`, in the centre's own language."""
    lang = centre_language(catalog, centre)
    return build_workbook(catalog, centre, period, lang, rows, sample_meta(catalog, centre, period, lang))


def write_corpus(
    catalog: Catalog, inbox: Path, count: int, projects: int = 0, kpi: int = 0, periods: tuple[str, ...] = ()
) -> list[Path]:
    """`count` distinct workbooks spread over centres and periods (distinct seeds: no duplicate bytes)."""
    centres, periods = list(catalog.centres), periods or tuple(catalog.periods)
    written = []
    for n in range(count):
        centre, period = centres[n % len(centres)], periods[(n // len(centres)) % len(periods)]
        seed = 7 + n // (len(centres) * len(periods))
        data = workbook_bytes(catalog, centre, period, grown_rows(catalog, centre, period, projects, kpi, seed))
        written.append(drop_file(inbox / centre / f"{centre}_{period}_{n:04d}.xlsx", data))
    return written
