"""End to end: sample files swept into a temp data root, a pack built, every headline checked against the files."""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from council.catalog import load_catalog
from council.settings import Settings
from tasks.aggregate.headline import headline_indicators
from tasks.pipeline.build_pack import build_pack
from tasks.pipeline.submission import Reader
from tasks.pipeline.sweep import open_reader, sweep
from tasks.samples import corrected_resubmission, generate_rows, sample_meta
from tasks.samples.portfolio import centre_language
from tasks.template import build_workbook

CATALOG = load_catalog()
CENTRES = ("AGRO", "OILGAS", "HEALTH")
PERIODS = ("2025S2", "2026S1")
PERIOD, MEETING = "2026S1", "TPC-2026-09"
SWEPT_AT = "2026-07-20T09:00:00+00:00"
LAYOUT = CATALOG.layout


@pytest.fixture(scope="module")
def read() -> Iterator[Reader]:
    with open_reader(Settings(data_dir=Path("unused"))) as warm:
        yield warm


def clean_file(centre: str, period: str) -> bytes:
    """A sample report without quirks or mistakes, so every row is loaded."""
    lang = centre_language(CATALOG, centre)
    rows = generate_rows(CATALOG, centre, period)
    return build_workbook(CATALOG, centre, period, lang, rows, sample_meta(CATALOG, centre, period, lang))


def file_rows(path: Path, sheet: str) -> list[dict[str, Any]]:
    """A data sheet of a workbook read straight with openpyxl, keyed by the hidden code row."""
    ws = openpyxl.load_workbook(path, data_only=True)[sheet]
    codes = [c.value for c in ws[LAYOUT["code_row"]]]
    rows = ws.iter_rows(min_row=LAYOUT["first_data_row"], values_only=True)
    found = [dict(zip(codes, r, strict=False)) for r in rows]
    return [r for r in found if any(v not in (None, "") for k, v in r.items() if k)]


@pytest.fixture(scope="module", autouse=True)
def no_pdf() -> Iterator[None]:
    """These tests check numbers; the PDF has its own test (and costs a browser start per build)."""
    saved = os.environ.get("COUNCIL_CHROMIUM")
    os.environ["COUNCIL_CHROMIUM"] = "no-such-browser"
    yield
    if saved is None:
        os.environ.pop("COUNCIL_CHROMIUM", None)
    else:
        os.environ["COUNCIL_CHROMIUM"] = saved


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, read: Reader, no_pdf: None) -> tuple[Settings, dict[str, Path]]:
    root = tmp_path_factory.mktemp("root")
    settings = Settings(data_dir=root / "data", settle_seconds=0, now_override=SWEPT_AT)
    sources = {}
    for centre in CENTRES:
        for period in PERIODS:
            source = root / "sent" / f"{centre}_{period}.xlsx"
            source.parent.mkdir(parents=True, exist_ok=True)
            source.write_bytes(clean_file(centre, period))
            (settings.inbox / centre).mkdir(parents=True, exist_ok=True)
            (settings.inbox / centre / source.name).write_bytes(source.read_bytes())
            if period == PERIOD:
                sources[centre] = source
    outcomes = sweep(settings, CATALOG, read)
    assert {o.status for o in outcomes} <= {"accepted", "accepted_with_warnings"}, [o.problems for o in outcomes]
    build_pack(settings, CATALOG, MEETING, PERIOD, lang="en", draft=True)
    return settings, sources


def expected_kpis(sources: dict[str, Path]) -> dict[str, dict[str, float]]:
    """Headline KPI per area and total, from the files: own area, ALL not double-counted, M not counted."""
    names = {code: name for name, codes in headline_indicators(CATALOG).items() for code in codes}
    areas: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for path in sources.values():
        by_area: dict[tuple[str, str], float] = defaultdict(float)
        for row in file_rows(path, "kpi"):
            if row["obs_status"] != "M" and row["indicator_code"] in names and row["value"] is not None:
                by_area[(row["indicator_code"], row["priority_area"])] += float(row["value"])
        for (code, area), value in by_area.items():
            if area != "ALL":
                areas[area][names[code]] += value
        for code in {c for c, _ in by_area}:  # per indicator: the centre's ALL row, else its area rows
            whole = by_area.get((code, "ALL"))
            own = whole if whole is not None else sum(v for (c, a), v in by_area.items() if c == code)
            areas["ALL"][names[code]] += own
    return areas


def expected_money(sources: dict[str, Path]) -> dict[str, dict[str, float]]:
    """Projects, project budget and budget spent per area (and in total), from the files."""
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for path in sources.values():
        for row in file_rows(path, "projects"):
            for area in (row["priority_area"], "ALL"):
                totals[area]["projects"] += 1
                totals[area]["budget_total_kzt"] += float(row["budget_total_kzt"])
        for row in file_rows(path, "budget"):
            for area in (row["priority_area"], "ALL"):
                totals[area]["spent_kzt"] += float(row["spent_kzt"])
                totals[area]["plan_corrected_kzt"] += float(row["plan_corrected_kzt"])
    return totals


def manifest(settings: Settings) -> dict[str, Any]:
    return json.loads((settings.packs / f"{MEETING}-draft-en" / "manifest.json").read_text(encoding="utf-8"))


def test_every_headline_kpi_equals_the_files(built: tuple[Settings, dict[str, Path]]) -> None:
    settings, sources = built
    headline = manifest(settings)["headline"]
    for area, figures in expected_kpis(sources).items():
        for name, value in figures.items():
            assert headline[area][name] == pytest.approx(value), (area, name)


def test_every_area_total_of_projects_and_budget_equals_the_files(built: tuple[Settings, dict[str, Path]]) -> None:
    settings, sources = built
    headline = manifest(settings)["headline"]
    for area, figures in expected_money(sources).items():
        for name, value in figures.items():
            assert headline[area][name] == pytest.approx(value), (area, name)
        execution = figures["spent_kzt"] / figures["plan_corrected_kzt"] if figures["plan_corrected_kzt"] else None
        assert headline[area]["budget_execution_pct"] == pytest.approx(execution)


def test_manifest_lists_inputs_with_file_hashes_and_outputs(built: tuple[Settings, dict[str, Path]]) -> None:
    import hashlib

    settings, sources = built
    found = manifest(settings)
    assert {i["centre"]: i["sha256"] for i in found["inputs"]} == {
        c: hashlib.sha256(p.read_bytes()).hexdigest() for c, p in sources.items()
    }
    folder = settings.packs / f"{MEETING}-draft-en"
    for name, entry in found["outputs"].items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == entry["sha256"]


def test_rebuild_gives_same_numbers_and_says_what_changed(
    built: tuple[Settings, dict[str, Path]], read: Reader
) -> None:
    settings, _ = built
    folder = settings.packs / f"{MEETING}-draft-en"
    data_before = list(openpyxl.load_workbook(folder / "pack.xlsx")["data"].iter_rows(values_only=True))
    first = manifest(settings)
    build_pack(settings, CATALOG, MEETING, PERIOD, lang="en", draft=True)
    again = manifest(settings)
    assert again["headline"] == first["headline"]
    assert list(openpyxl.load_workbook(folder / "pack.xlsx")["data"].iter_rows(values_only=True)) == data_before
    assert again["changes"]["added"] == [] and again["changes"]["superseded"] == []
    (settings.inbox / "HEALTH" / "corrected.xlsx").write_bytes(corrected_resubmission(CATALOG, "HEALTH", PERIOD))
    sweep(settings, CATALOG, read)
    build_pack(settings, CATALOG, MEETING, PERIOD, lang="en", draft=True)
    [change] = manifest(settings)["changes"]["superseded"]
    assert change["centre"] == "HEALTH" and change["was"] != change["now"]
